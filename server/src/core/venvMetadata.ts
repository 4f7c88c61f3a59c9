/**
 * Reads installed distributions out of virtual environments, to sharpen the import ↔ distribution mapping
 * when a venv happens to exist (it is never required). Implements the installed-project layout of the PyPA
 * "Recording installed projects" spec (`*.dist-info` with `METADATA`, `RECORD`, optional `top_level.txt` and
 * PEP 610 `direct_url.json`), plus legacy `*.egg-info` directories (`PKG-INFO`, `top_level.txt`).
 *
 * All I/O goes through the injected `Host`. Nothing here throws: an unreadable or malformed entry is skipped
 * and the reason is passed to `host.log`.
 */
import * as path from 'node:path';
import type { Host } from './host';
import { namespaceRoot } from './curatedModules';
import { normalizeName } from './manifests/pep508';

/** One installed distribution found in a site-packages directory. */
export interface VenvDistribution {
  /** `Name:` from METADATA, as written. */
  name: string;
  /** PEP 503 normalized name. */
  normalized: string;
  /** `Version:` from METADATA. */
  version: string;
  /** Dotted import names the distribution provides (`['yaml', '_yaml']`, `['opentelemetry.sdk']`); `[]` for editable installs. */
  modules: string[];
  /** Absolute path of the site-packages directory it was found in. */
  sitePackages: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PYTHON_LIB_DIR = /^python3\.\d+t?$/;

/** Describes a rejection for the log. */
function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function isDirectory(p: string, host: Host): Promise<boolean> {
  try {
    return (await host.stat(p))?.kind === 'directory';
  } catch (err) {
    host.log(`pymono: cannot stat ${p}: ${reason(err)}`);
    return false;
  }
}

async function isFile(p: string, host: Host): Promise<boolean> {
  try {
    return (await host.stat(p))?.kind === 'file';
  } catch (err) {
    host.log(`pymono: cannot stat ${p}: ${reason(err)}`);
    return false;
  }
}

/** The site-packages directories of one virtual environment (`lib/python3.*`, `lib64/python3.*`, `Lib`). */
async function sitePackagesOf(venv: string, host: Host): Promise<string[]> {
  const found: string[] = [];
  for (const lib of ['lib', 'lib64']) {
    const libDir = path.join(venv, lib);
    if (!(await isDirectory(libDir, host))) continue;
    try {
      for (const entry of await host.readDirectory(libDir)) {
        if (!PYTHON_LIB_DIR.test(entry.name) || (entry.kind !== 'directory' && entry.kind !== 'symlink')) continue;
        const site = path.join(libDir, entry.name, 'site-packages');
        if (await isDirectory(site, host)) found.push(site);
      }
    } catch (err) {
      host.log(`pymono: cannot list ${libDir}: ${reason(err)}`);
    }
  }
  const windows = path.join(venv, 'Lib', 'site-packages');
  if (await isDirectory(windows, host)) found.push(windows);
  return found;
}

/**
 * Finds the site-packages directories of the virtual environments pymono looks at: `<root>/.venv`,
 * `<root>/venv`, the same two under each of `extraDirs` (package directories, as Poetry's in-project venvs
 * sit), and any of `extraDirs` that is itself a venv (has `pyvenv.cfg`). Returns absolute site-packages paths,
 * de-duplicated by real path (`lib64` is often a symlink to `lib`), in discovery order; `[]` when there is none.
 */
export async function findVenvs(root: string, host: Host, extraDirs: string[] = []): Promise<string[]> {
  const venvs: string[] = [];
  for (const dir of [root, ...extraDirs]) {
    venvs.push(path.join(dir, '.venv'), path.join(dir, 'venv'));
  }
  for (const dir of extraDirs) {
    if (await isFile(path.join(dir, 'pyvenv.cfg'), host)) venvs.push(dir);
  }
  const result: string[] = [];
  const seen = new Set<string>();
  for (const venv of venvs) {
    if (!(await isDirectory(venv, host))) continue;
    for (const site of await sitePackagesOf(venv, host)) {
      let real = site;
      try {
        real = await host.realpath(site);
      } catch (err) {
        host.log(`pymono: cannot resolve ${site}: ${reason(err)}`);
      }
      if (seen.has(real)) continue;
      seen.add(real);
      result.push(site);
    }
  }
  return result;
}

/** RFC 822-style header fields of a METADATA / PKG-INFO file (the part before the first blank line). */
export function parseMetadataHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') break;
    if (/^[ \t]/.test(line)) continue; // continuation of a multi-line field (Description, License)
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(key)) headers.set(key, line.slice(colon + 1).trim());
  }
  return headers;
}

/** The path column of each RECORD line (CSV: `path,hash,size`; the path may be double-quoted). */
export function recordPaths(text: string): string[] {
  const paths: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('"')) {
      const close = line.indexOf('"', 1);
      paths.push(close < 0 ? line.slice(1) : line.slice(1, close).replace(/""/g, '"'));
    } else {
      const comma = line.indexOf(',');
      paths.push(comma < 0 ? line : line.slice(0, comma));
    }
  }
  return paths;
}

/** The module name a file contributes (`six.py` → `six`, `_x.cpython-311-x86_64-linux-gnu.so` → `_x`), if any. */
function moduleOfFile(file: string): string | undefined {
  const m = /^([^.]+)(?:\.[^.]+)*\.(py|pyi|so|pyd)$/.exec(file);
  return m && IDENTIFIER.test(m[1] ?? '') ? m[1] : undefined;
}

/** What `RECORD` says a distribution installs: its import names and whether it is an editable install. */
export interface RecordModules {
  modules: string[];
  /** True when RECORD lists `__editable__*` files, or `.pth` files but no Python module at all. */
  editable: boolean;
}

/**
 * Import names from RECORD paths (relative to site-packages). A top-level `.py`/extension file is a module; a
 * directory path is descended until the first level that holds Python files directly (so a PEP 420 namespace
 * directory such as `opentelemetry/` gives `opentelemetry.sdk`), and known namespace roots (`google.cloud`)
 * are always descended. Skipped: `*.dist-info`, `*.egg-info`, `*.data`, `__pycache__`, `bin/`, `..` and
 * absolute paths, `.pth` files, `__editable__*` helpers, and non-identifier directories (`foo-stubs`).
 */
export function modulesFromRecord(paths: string[]): RecordModules {
  const files: { dirs: string[]; mod: string }[] = [];
  let sawPth = false;
  let sawEditable = false;
  for (const p of paths) {
    const segs = p.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
    const file = segs[segs.length - 1];
    if (file === undefined || p.startsWith('/') || /^[A-Za-z]:/.test(p) || segs.includes('..')) continue;
    if (file.startsWith('__editable__')) {
      sawEditable = true;
      continue;
    }
    if (file.endsWith('.pth')) {
      sawPth = true;
      continue;
    }
    const first = segs[0] ?? '';
    if (/\.(dist-info|egg-info|data)$/.test(first) || first === 'bin' || segs.includes('__pycache__')) continue;
    const mod = moduleOfFile(file);
    const dirs = segs.slice(0, -1);
    if (mod === undefined || !dirs.every((d) => IDENTIFIER.test(d))) continue;
    files.push({ dirs, mod });
  }
  // Dotted directories that hold a Python file directly: the "first level that has files".
  const codeDirs = new Set(files.filter((f) => f.dirs.length > 0).map((f) => f.dirs.join('.')));
  const modules = new Set<string>();
  for (const { dirs, mod } of files) {
    let module: string | undefined;
    for (let n = 1; n <= dirs.length && module === undefined; n++) {
      const prefix = dirs.slice(0, n).join('.');
      if (codeDirs.has(prefix) && namespaceRoot(prefix) === undefined) module = prefix;
    }
    // No package above the file: it is a top-level module, or a file directly inside a namespace root
    // (`google/cloud/client.py` → `google.cloud.client`); a root's own `__init__` names nothing.
    if (module === undefined && mod !== '__init__') module = [...dirs, mod].join('.');
    if (module !== undefined) modules.add(module);
  }
  return { modules: [...modules].sort(), editable: sawEditable || (sawPth && modules.size === 0) };
}

/** Combines top_level.txt (coarse, trusted) with RECORD (fine): a namespace top level is refined by RECORD. */
function combineModules(topLevel: string[] | undefined, record: string[] | undefined): string[] {
  if (topLevel === undefined) return record ?? [];
  const result = new Set<string>();
  for (const t of topLevel) {
    const refined = (record ?? []).filter((m) => m === t || m.startsWith(`${t}.`));
    if (refined.length > 0) refined.forEach((m) => result.add(m));
    else if (namespaceRoot(t) === undefined) result.add(t);
  }
  return [...result].sort();
}

/** Reads a file as UTF-8 text, or `undefined` when it does not exist; rejects on other errors. */
async function readOptional(p: string, host: Host): Promise<string | undefined> {
  const stat = await host.stat(p);
  if (stat === undefined || stat.kind !== 'file') return undefined;
  return new TextDecoder('utf-8').decode(await host.readFile(p));
}

/** True when PEP 610 `direct_url.json` says the install is editable; malformed JSON counts as not. */
function isEditableDirectUrl(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data !== 'object' || data === null) return false;
    const dirInfo: unknown = (data as Record<string, unknown>)['dir_info'];
    return typeof dirInfo === 'object' && dirInfo !== null && (dirInfo as Record<string, unknown>)['editable'] === true;
  } catch {
    return false;
  }
}

/** Reads one `*.dist-info` or `*.egg-info` directory; `undefined` (logged) when it is unusable. */
async function readInfoDir(dir: string, sitePackages: string, host: Host): Promise<VenvDistribution | undefined> {
  const egg = dir.endsWith('.egg-info');
  const metadataFile = path.join(dir, egg ? 'PKG-INFO' : 'METADATA');
  const metadata = await readOptional(metadataFile, host);
  if (metadata === undefined) {
    host.log(`pymono: skipping ${dir}: no ${path.basename(metadataFile)}`);
    return undefined;
  }
  const headers = parseMetadataHeaders(metadata);
  const name = headers.get('name') ?? '';
  const version = headers.get('version') ?? '';
  if (name === '' || version === '') {
    host.log(`pymono: skipping ${dir}: ${path.basename(metadataFile)} has no ${name === '' ? 'Name' : 'Version'} field`);
    return undefined;
  }
  const topLevelText = await readOptional(path.join(dir, 'top_level.txt'), host);
  const topLevel = topLevelText
    ?.split(/\r?\n/)
    .map((l) => l.trim().replace(/[\\/]/g, '.'))
    .filter((l) => l !== '' && l.split('.').every((s) => IDENTIFIER.test(s)));
  const recordText = egg ? undefined : await readOptional(path.join(dir, 'RECORD'), host);
  const record = recordText === undefined ? undefined : modulesFromRecord(recordPaths(recordText));
  const editable =
    (record?.editable ?? false) || (!egg && isEditableDirectUrl(await readOptional(path.join(dir, 'direct_url.json'), host)));
  const modules = editable ? [] : combineModules(topLevel, record?.modules);
  if (!editable && topLevel === undefined && record === undefined) {
    host.log(`pymono: ${dir}: neither top_level.txt nor RECORD; import names of ${name} unknown`);
  }
  return { name, normalized: normalizeName(name), version, modules, sitePackages };
}

/**
 * Lists the distributions installed in one site-packages directory, sorted by normalized name. For each
 * `*.dist-info`: Name and Version from METADATA; import names from `top_level.txt` when present (refined by
 * RECORD for namespace packages), else from RECORD (see `modulesFromRecord`). Editable installs (PEP 660
 * `__editable__*` files, a `.pth`-only RECORD, or PEP 610 `dir_info.editable`) get no modules: their code is
 * in the workspace, where package ownership decides. Never rejects; problems are logged and the entry skipped.
 */
export async function readSitePackages(sitePackages: string, host: Host): Promise<VenvDistribution[]> {
  let entries;
  try {
    entries = await host.readDirectory(sitePackages);
  } catch (err) {
    host.log(`pymono: cannot list ${sitePackages}: ${reason(err)}`);
    return [];
  }
  const infoDirs = entries
    .filter((e) => /\.(dist-info|egg-info)$/.test(e.name) && (e.kind === 'directory' || e.kind === 'symlink'))
    .map((e) => path.join(sitePackages, e.name));
  const read = await Promise.all(
    infoDirs.map(async (dir) => {
      try {
        return await readInfoDir(dir, sitePackages, host);
      } catch (err) {
        host.log(`pymono: skipping ${dir}: ${reason(err)}`);
        return undefined;
      }
    }),
  );
  const result = read.filter((d): d is VenvDistribution => d !== undefined);
  return result.sort((a, b) => a.normalized.localeCompare(b.normalized) || a.version.localeCompare(b.version));
}
