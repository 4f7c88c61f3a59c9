/**
 * Reads and parses every manifest a discovery found, honouring open-editor overlays. Parsing is pure
 * (manifests/*); this file only does the I/O and keeps the parsed results by absolute path.
 */
import * as path from 'node:path';
import type { Host } from './host';
import type { ManifestProblem } from './model';
import { FILE_START } from './model';
import { parsePyproject, type PyprojectInfo } from './manifests/pyproject';
import { parseRequirementsFile, requirementsKindOf, type RequirementsFile } from './manifests/requirements';
import { parseDockerfile, type DockerfileInstalls } from './manifests/dockerfile';
import { errorText } from './discovery';

/** Parsed manifests by absolute path, plus problems reading them (unreadable files). */
export interface ManifestSet {
  pyprojects: Map<string, PyprojectInfo>;
  requirements: Map<string, RequirementsFile>;
  dockerfiles: Map<string, DockerfileInstalls>;
  readProblems: ManifestProblem[];
  /** The text each manifest was parsed from (for `# pymono: ignore` comments on manifest lines). */
  texts: Map<string, string>;
}

/** Reads a manifest's text from the overlay (open editor) or disk; `undefined` plus a problem when unreadable. */
export async function readText(
  file: string,
  host: Host,
  overlay: ReadonlyMap<string, string>,
  problems: ManifestProblem[],
): Promise<string | undefined> {
  const open = overlay.get(file);
  if (open !== undefined) return open;
  try {
    return new TextDecoder().decode(await host.readFile(file));
  } catch (e) {
    problems.push({ file, range: FILE_START, message: `cannot read ${path.basename(file)}: ${errorText(e)}` });
    return undefined;
  }
}

/**
 * Parse results kept between graph builds: a manifest whose text did not change is neither read nor parsed again
 * (a manifest edit in a 2,000-package repository re-parses one file, not 2,000). The owner invalidates an entry
 * when the file changes on disk (`invalidate`); an open editor's text is always compared.
 */
export interface ParseCache {
  pyprojects: Map<string, { text: string; info: PyprojectInfo }>;
  requirements: Map<string, { text: string; info: RequirementsFile }>;
}

/** An empty parse cache. */
export function newParseCache(): ParseCache {
  return { pyprojects: new Map(), requirements: new Map() };
}

/** Forgets the cached parse of `file` (it changed on disk or its editor closed). */
export function invalidate(cache: ParseCache, file: string): void {
  cache.pyprojects.delete(file);
  cache.requirements.delete(file);
}

/** Parses every pyproject.toml and requirements file of the lists (Dockerfiles are parsed later, once their build context is known). */
export async function readManifests(
  pyprojects: string[],
  requirementsFiles: string[],
  host: Host,
  overlay: ReadonlyMap<string, string>,
  cache: ParseCache = newParseCache(),
): Promise<ManifestSet> {
  const set: ManifestSet = { pyprojects: new Map(), requirements: new Map(), dockerfiles: new Map(), readProblems: [], texts: new Map() };
  const readCached = async <T>(file: string, cache: Map<string, { text: string; info: T }>, into: Map<string, T>, parse: (text: string) => T): Promise<void> => {
    const cached = cache.get(file);
    if (cached && (!overlay.has(file) || overlay.get(file) === cached.text)) {
      set.texts.set(file, cached.text);
      into.set(file, cached.info);
      return;
    }
    const text = await readText(file, host, overlay, set.readProblems);
    if (text === undefined) return;
    set.texts.set(file, text);
    const info = parse(text);
    cache.set(file, { text, info });
    into.set(file, info);
  };
  await Promise.all([
    ...pyprojects.map((file) => readCached(file, cache.pyprojects, set.pyprojects, (text) => parsePyproject(file, text))),
    ...requirementsFiles.map((file) =>
      readCached(file, cache.requirements, set.requirements, (text) => parseRequirementsFile(file, text, requirementsKindOf(path.basename(file)).kind)),
    ),
  ]);
  return set;
}

/** Parses one Dockerfile against its build context and records it in the set. */
export async function readDockerfile(
  set: ManifestSet,
  file: string,
  contextDir: string,
  host: Host,
  overlay: ReadonlyMap<string, string>,
): Promise<DockerfileInstalls | undefined> {
  const text = await readText(file, host, overlay, set.readProblems);
  if (text === undefined) return undefined;
  set.texts.set(file, text);
  const parsed = parseDockerfile(file, text, contextDir);
  set.dockerfiles.set(file, parsed);
  return parsed;
}

/** Parses an already read Dockerfile again against another build context (no second read). */
export function reparseDockerfile(set: ManifestSet, file: string, contextDir: string, previous: DockerfileInstalls): DockerfileInstalls {
  const text = set.texts.get(file);
  if (text === undefined) return previous;
  const parsed = parseDockerfile(file, text, contextDir);
  set.dockerfiles.set(file, parsed);
  return parsed;
}

/**
 * Reads a requirements file referenced by `-r` that the walk did not index (outside the package, or ignored),
 * parsing it once and keeping it in the set.
 */
export async function readIncludedRequirements(
  set: ManifestSet,
  file: string,
  host: Host,
  overlay: ReadonlyMap<string, string>,
): Promise<RequirementsFile | undefined> {
  const known = set.requirements.get(file);
  if (known) return known;
  const text = await readText(file, host, overlay, set.readProblems);
  if (text === undefined) return undefined;
  set.texts.set(file, text);
  const parsed = parseRequirementsFile(file, text, requirementsKindOf(path.basename(file)).kind);
  set.requirements.set(file, parsed);
  return parsed;
}
