/**
 * Walks a workspace through the injected Host and collects what pymono reads: manifests (pyproject.toml,
 * requirements files, Dockerfiles) and Python sources (.py, .pyi, .ipynb).
 *
 * Skipped, with the reason recorded: directories named in SKIP_DIRS, cookiecutter template paths (`{{...}}`),
 * what `.gitignore` files ignore (nested ones apply below their folder, as git does), `[tool.pymono] exclude`
 * globs, symlink loops and unreadable directories. Nothing here throws.
 */
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import * as path from 'node:path';
import type { Host } from './host';
import { isRequirementsFileName } from './manifests/requirements';
import { isDockerfileName } from './manifests/dockerfile';
import { isComposeFileName } from './builds/compose';

/** Directory names never walked into. */
export const SKIP_DIRS = new Set([
  '.git', '.hg', '.svn', '.venv', 'venv', '.env', 'env', 'node_modules', 'build', 'dist', 'site-packages',
  '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.idea', '.vscode', '.eggs',
  '.e2e-tools', '.direnv', 'htmlcov',
]);

/** What a walk found. Paths are absolute; lists are sorted. */
export interface DiscoveryResult {
  pyprojects: string[];
  requirementsFiles: string[];
  dockerfiles: string[];
  composeFiles: string[];
  pythonFiles: string[];
  /** Directories that directly contain an `__init__.py`. */
  initDirs: Set<string>;
  /** Files and folders left out with the reason (only the unexpected ones: not the SKIP_DIRS). */
  skipped: { file: string; reason: string }[];
}

/** Python source extensions pymono scans. */
export function isPythonSource(name: string): boolean {
  return name.endsWith('.py') || name.endsWith('.pyi') || name.endsWith('.ipynb');
}

interface IgnoreLayer {
  dir: string;
  rules: Ignore;
}

/**
 * Walks `root`. `exclude` holds picomatch globs relative to root (POSIX). Directories are visited concurrently.
 * `onPythonFiles` receives each folder's Python files as soon as they are found, so scanning can start while the
 * walk goes on.
 */
export async function discover(
  root: string,
  host: Host,
  exclude: string[] = [],
  onPythonFiles?: (files: string[]) => void,
): Promise<DiscoveryResult> {
  const result: DiscoveryResult = {
    pyprojects: [], requirementsFiles: [], dockerfiles: [], composeFiles: [], pythonFiles: [], initDirs: new Set(), skipped: [],
  };
  const excluded = exclude.length > 0 ? picomatch(exclude, { dot: true }) : undefined;
  const seenReal = new Set<string>();

  // Layers only ever apply below their own folder, which is an ancestor of every path tested against them.
  const isIgnored = (layers: IgnoreLayer[], abs: string, isDir: boolean): boolean => {
    for (const layer of layers) {
      if (!abs.startsWith(layer.dir + path.sep)) continue;
      let rel = abs.slice(layer.dir.length + 1);
      if (path.sep !== '/') rel = rel.split(path.sep).join('/');
      if (layer.rules.ignores(isDir ? rel + '/' : rel)) return true;
    }
    return false;
  };

  // Canonical paths are needed only below a symlinked folder outside the workspace, where a link can lead back;
  // elsewhere each folder is reached once by construction (links into the workspace are skipped below).
  const walk = async (dir: string, layers: IgnoreLayer[], viaLink: boolean): Promise<void> => {
    if (viaLink) {
      let real: string;
      try {
        real = await host.realpath(dir);
      } catch (e) {
        result.skipped.push({ file: dir, reason: errorText(e) });
        return;
      }
      if (seenReal.has(real)) {
        result.skipped.push({ file: dir, reason: `symlink loop or duplicate: already walked as ${real}` });
        return;
      }
      seenReal.add(real);
    }
    let entries;
    try {
      entries = await host.readDirectory(dir);
    } catch (e) {
      result.skipped.push({ file: dir, reason: `unreadable directory: ${errorText(e)}` });
      return;
    }
    let here = layers;
    if (entries.some((e) => e.name === '.gitignore' && e.kind !== 'directory')) {
      try {
        const text = new TextDecoder().decode(await host.readFile(path.join(dir, '.gitignore')));
        here = [...layers, { dir, rules: ignore().add(text) }];
      } catch (e) {
        result.skipped.push({ file: path.join(dir, '.gitignore'), reason: `unreadable .gitignore: ${errorText(e)}` });
      }
    }
    const subdirs: { dir: string; link: boolean }[] = [];
    const pythonHere: string[] = [];
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      let kind = entry.kind;
      if (kind === 'symlink') {
        const st = await host.stat(abs).catch(() => undefined);
        if (!st) {
          result.skipped.push({ file: abs, reason: 'broken symlink' });
          continue;
        }
        kind = st.kind === 'directory' ? 'directory' : st.kind === 'file' ? 'file' : 'other';
      }
      if (kind === 'directory') {
        if (SKIP_DIRS.has(entry.name) || entry.name.endsWith('.egg-info') || entry.name.includes('{{')) continue;
        if (excluded && excluded(rel(root, abs))) continue;
        if (isIgnored(here, abs, true)) continue;
        if (entry.kind === 'symlink' && !viaLink) {
          // A link back into the workspace would walk the same files twice (or forever): skip it, say why.
          const real = await host.realpath(abs).catch(() => undefined);
          if (real === undefined || real === rootReal || real.startsWith(rootReal + path.sep)) {
            const loop = real !== undefined && (rootReal + path.sep + path.relative(root, abs)).startsWith(real + path.sep);
            result.skipped.push({ file: abs, reason: `${loop ? 'symlink loop' : 'symlink to a folder already in the workspace'}: ${real ?? 'unresolvable'}` });
            continue;
          }
        }
        subdirs.push({ dir: abs, link: viaLink || entry.kind === 'symlink' });
      } else if (kind === 'file') {
        const name = entry.name;
        const python = isPythonSource(name);
        const requirements = isRequirementsFileName(name) || (path.basename(dir) === 'requirements' && /\.(txt|in)$/.test(name));
        const manifest = name === 'pyproject.toml' || requirements || isDockerfileName(name) || isComposeFileName(name);
        if (!python && !manifest) continue;
        if (excluded && excluded(rel(root, abs))) continue;
        if (isIgnored(here, abs, false)) continue;
        if (python) {
          result.pythonFiles.push(abs);
          pythonHere.push(abs);
          if (name === '__init__.py') result.initDirs.add(dir);
        } else if (name === 'pyproject.toml') result.pyprojects.push(abs);
        else if (requirements) result.requirementsFiles.push(abs);
        else if (isDockerfileName(name)) result.dockerfiles.push(abs);
        else result.composeFiles.push(abs);
      }
    }
    if (onPythonFiles && pythonHere.length > 0) onPythonFiles(pythonHere);
    await Promise.all(subdirs.map((d) => walk(d.dir, here, d.link)));
  };

  const rootReal = await host.realpath(root).catch(() => root);
  await walk(root, [], false);
  for (const list of [result.pyprojects, result.requirementsFiles, result.dockerfiles, result.composeFiles, result.pythonFiles]) list.sort();
  return result;
}


/** `abs` relative to `root` with POSIX separators. */
export function rel(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

/** The message of an unknown thrown value. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
