/**
 * Service or library: `[tool.pymono] services` / `libraries` globs first, then the documented heuristic
 * (docs/rules.md, "Configuration").
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { PackageKind } from './model';
import type { PymonoConfig } from './config';
import type { DraftPackage } from './packages';

const SERVICE_DIRS = new Set(['apps', 'app', 'services', 'service', 'stack', 'microservices']);
const LIBRARY_DIRS = new Set(['libs', 'lib', 'packages', 'shared', 'common', 'libraries']);

const compiled = new WeakMap<PymonoConfig, { services: (p: string) => boolean; libraries: (p: string) => boolean }>();

/** The config's kind globs, compiled once per config object. */
function matchers(config: PymonoConfig): { services: (p: string) => boolean; libraries: (p: string) => boolean } {
  let m = compiled.get(config);
  if (!m) {
    const none = (): boolean => false;
    m = {
      services: config.services.length > 0 ? picomatch(config.services, { dot: true }) : none,
      libraries: config.libraries.length > 0 ? picomatch(config.libraries, { dot: true }) : none,
    };
    compiled.set(config, m);
  }
  return m;
}

/** The kind of a package and the reason, for hovers and `pymono graph`. */
export function classifyKind(
  root: string,
  pkg: DraftPackage,
  hasDependents: boolean,
  config: PymonoConfig,
): { kind: PackageKind; reason: string } {
  const rel = path.relative(root, pkg.root).split(path.sep).join('/') || '.';
  const globs = matchers(config);
  if (globs.services(rel)) return { kind: 'service', reason: 'matches [tool.pymono] services' };
  if (globs.libraries(rel)) return { kind: 'library', reason: 'matches [tool.pymono] libraries' };
  const parents = rel.split('/').slice(0, -1);
  const serviceDir = parents.find((s) => SERVICE_DIRS.has(s));
  if (serviceDir) return { kind: 'service', reason: `lives under ${serviceDir}/` };
  const libraryDir = parents.find((s) => LIBRARY_DIRS.has(s));
  if (libraryDir) return { kind: 'library', reason: `lives under ${libraryDir}/` };
  if (pkg.format === 'requirements') return { kind: 'service', reason: 'requirements-only app' };
  if (pkg.format === 'dockerfile') return { kind: 'service', reason: 'Dockerfile-only app' };
  if (pkg.hasDockerfile) return { kind: 'service', reason: 'has a Dockerfile' };
  if (hasDependents) return { kind: 'library', reason: 'other packages depend on it' };
  if (Object.keys(pkg.scripts).length > 0) return { kind: 'service', reason: 'declares scripts and nobody depends on it' };
  return { kind: 'other', reason: 'no rule applies' };
}
