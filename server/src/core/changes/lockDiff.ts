/**
 * Lock-file diffs: which resolved distributions a change of `uv.lock` or `poetry.lock` really changed, so that a
 * lock change affects only the packages that depend on those (Nx marks everything affected on a lock change).
 *
 * Both formats are TOML with one `[[package]]` table per resolved distribution:
 * - uv (uv docs, "Concepts > Projects > Locking", the `uv.lock` format): `name`, `version`, `source = { registry |
 *   editable | virtual | path | directory | git | url = ... }`, `dependencies = [{ name = "x", ... }]` and
 *   `[package.optional-dependencies]` (`extra = [{ name }]`); `[package.dev-dependencies]` are ignored here.
 * - Poetry (Poetry docs, "Basic usage > Installing with poetry.lock"): `name`, `version`, `[package.source]`
 *   (`type`, `url`, `reference`, `resolved_reference`) for path/git/url packages, and `[package.dependencies]`
 *   (`name = "spec"` or a table).
 * A distribution changed when it was added or removed, or when its version, source or dependency names changed.
 */
import * as path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { Host } from '../host';
import type { ManifestProblem } from '../model';
import { FILE_START, lineRange } from '../model';
import { normalizeName } from '../manifests/pep508';
import { readAtRevision, type ChangedFile } from './gitChanges';

/** The lock formats understood. */
export type LockFormat = 'uv' | 'poetry';

/** One resolved entry. `name` and `dependencies` are PEP 503 normalized; `source` is a canonical text form. */
export interface LockedDistribution {
  name: string;
  version: string;
  source: string;
  /** Runtime and optional (extra) dependency names. */
  dependencies: string[];
}

/** A parsed lock: normalized name -> its entries (uv may lock several versions of one name for different markers). */
export interface LockGraph {
  format: LockFormat;
  packages: Map<string, LockedDistribution[]>;
}

/** How one distribution differs between the base and the head lock. `before`/`after` are version lists (`[]` when absent). */
export interface DistributionChange {
  name: string;
  kind: 'added' | 'removed' | 'changed';
  before: string[];
  after: string[];
}

/**
 * The comparison of one lock file. `file` is absolute (the head path); `changes` is keyed by normalized name.
 * `problem` is set when a side could not be read or parsed: callers then treat the whole lock as changed.
 */
export interface LockDiff {
  file: string;
  format: LockFormat;
  changes: Map<string, DistributionChange>;
  /** Distribution name -> dependency names, over both sides (so removed edges still lead somewhere). */
  dependencies: Map<string, Set<string>>;
  problem?: ManifestProblem;
}

/** A changed distribution reached from a package's requirement: `chain` runs from the requirement to `change.name`. */
export interface LockHit {
  chain: string[];
  change: DistributionChange;
  /** How many other changed distributions are reachable from the same start (for "and N more"). */
  more: number;
}

/** `uv` for `uv.lock`, `poetry` for `poetry.lock`, else `undefined` (by base name). */
export function lockFormatOf(file: string): LockFormat | undefined {
  const base = path.basename(file);
  return base === 'uv.lock' ? 'uv' : base === 'poetry.lock' ? 'poetry' : undefined;
}

/**
 * Parses a lock text. Never throws: a TOML error or a malformed `[[package]]` entry becomes a problem located in
 * `file` (0-based line), and what could be read is kept.
 */
export function parseLock(text: string, file: string, format: LockFormat): { lock: LockGraph; problems: ManifestProblem[] } {
  const lock: LockGraph = { format, packages: new Map() };
  const problems: ManifestProblem[] = [];
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    const line = err instanceof TomlError ? Math.max(0, err.line - 1) : 0;
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    problems.push({ file, range: lineRange(line, 0, 0), message: `${path.basename(file)}: ${first}` });
    return { lock, problems };
  }
  const entries = doc['package'];
  if (entries === undefined) return { lock, problems };
  if (!Array.isArray(entries)) {
    problems.push({ file, range: FILE_START, message: `${path.basename(file)}: 'package' should be an array of tables ([[package]])` });
    return { lock, problems };
  }
  entries.forEach((entry, i) => {
    const name = isTable(entry) ? entry['name'] : undefined;
    if (!isTable(entry) || typeof name !== 'string' || name === '') {
      problems.push({ file, range: FILE_START, message: `${path.basename(file)}: [[package]] entry #${i + 1} has no name` });
      return;
    }
    const id = normalizeName(name);
    const dist: LockedDistribution = {
      name: id,
      version: typeof entry['version'] === 'string' ? entry['version'] : '',
      source: canonical(entry['source']),
      dependencies: format === 'uv' ? uvDependencies(entry) : poetryDependencies(entry),
    };
    const list = lock.packages.get(id) ?? [];
    list.push(dist);
    lock.packages.set(id, list);
  });
  return { lock, problems };
}

/**
 * Compares two texts of one lock file (`undefined`: the file does not exist on that side). A side that does not
 * parse makes `problem` set; the changes found on what did parse are still returned.
 */
export function diffLocks(file: string, format: LockFormat, baseText: string | undefined, headText: string | undefined): LockDiff {
  const base = baseText === undefined ? { lock: emptyLock(format), problems: [] } : parseLock(baseText, file, format);
  const head = headText === undefined ? { lock: emptyLock(format), problems: [] } : parseLock(headText, file, format);
  const changes = new Map<string, DistributionChange>();
  const names = new Set([...base.lock.packages.keys(), ...head.lock.packages.keys()]);
  for (const name of names) {
    const b = base.lock.packages.get(name) ?? [];
    const h = head.lock.packages.get(name) ?? [];
    if (signature(b) === signature(h)) continue;
    const kind = b.length === 0 ? 'added' : h.length === 0 ? 'removed' : 'changed';
    changes.set(name, { name, kind, before: versions(b), after: versions(h) });
  }
  const dependencies = new Map<string, Set<string>>();
  for (const lock of [base.lock, head.lock]) {
    for (const [name, list] of lock.packages) {
      const set = dependencies.get(name) ?? new Set<string>();
      for (const d of list) for (const dep of d.dependencies) set.add(dep);
      dependencies.set(name, set);
    }
  }
  const problem = head.problems[0] ?? base.problems[0];
  const diff: LockDiff = { file, format, changes, dependencies };
  if (problem) diff.problem = baseText !== undefined && base.problems[0] === problem ? { ...problem, message: `${problem.message} (base version)` } : problem;
  return diff;
}

/** `pydantic 2.6.0 → 2.7.1`, `httpx added (0.27.0)`, `six removed (1.16.0)`; several locked versions are joined by `, `. */
export function describeChange(c: DistributionChange): string {
  if (c.kind === 'added') return `${c.name} added (${c.after.join(', ') || 'no version'})`;
  if (c.kind === 'removed') return `${c.name} removed (${c.before.join(', ') || 'no version'})`;
  const before = c.before.join(', ');
  const after = c.after.join(', ');
  return before === after ? `${c.name} ${after} (source or dependencies changed)` : `${c.name} ${before} → ${after}`;
}

/**
 * Breadth-first search from `start` (normalized requirement names) through the lock's dependency edges for a
 * changed distribution; names in `stop` are neither reported nor crossed (workspace members, whose own changes
 * the package graph propagates). Returns the shortest hit (ties: alphabetical), or `undefined`.
 */
export function findChangedDependency(diff: LockDiff, start: Iterable<string>, stop: ReadonlySet<string>): LockHit | undefined {
  const prev = new Map<string, string | undefined>();
  const queue: string[] = [];
  for (const s of [...new Set(start)].sort()) {
    if (stop.has(s) || prev.has(s)) continue;
    prev.set(s, undefined);
    queue.push(s);
  }
  const hits: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i];
    if (diff.changes.has(name)) hits.push(name);
    for (const dep of [...(diff.dependencies.get(name) ?? [])].sort()) {
      if (stop.has(dep) || prev.has(dep)) continue;
      prev.set(dep, name);
      queue.push(dep);
    }
  }
  if (hits.length === 0) return undefined;
  const first = hits[0];
  const chain = [first];
  for (let cur = prev.get(first); cur !== undefined; cur = prev.get(cur)) chain.unshift(cur);
  return { chain, change: diff.changes.get(first) as DistributionChange, more: hits.length - 1 };
}

/**
 * Every distribution from which a changed one can be reached through the lock's dependency edges (changed ones
 * included), without crossing names in `stop`: a cheap pre-filter before `findChangedDependency`.
 */
export function reachingChanged(diff: LockDiff, stop: ReadonlySet<string>): Set<string> {
  const reverse = new Map<string, string[]>();
  for (const [name, deps] of diff.dependencies) {
    for (const dep of deps) {
      const list = reverse.get(dep);
      if (list) list.push(name);
      else reverse.set(dep, [name]);
    }
  }
  const seen = new Set<string>();
  const queue = [...diff.changes.keys()].filter((n) => !stop.has(n));
  for (const n of queue) seen.add(n);
  for (let i = 0; i < queue.length; i++) {
    for (const up of reverse.get(queue[i]) ?? []) {
      if (stop.has(up) || seen.has(up)) continue;
      seen.add(up);
      queue.push(up);
    }
  }
  return seen;
}

/** Where to read the two sides of a lock: `base` is a commit; `head` a commit or `undefined` for the working tree. */
export interface LockRevisions {
  repoRoot: string;
  base?: string;
  head?: string;
}

/**
 * Reads and compares every changed `uv.lock` / `poetry.lock` in `files`: the base side with `git show BASE:PATH`
 * (the old path of a rename), the head side from `head` or the working tree through `host`. A read failure becomes
 * the diff's `problem`, never a rejection. No `base` (a repository without commits): the base lock is empty.
 */
export async function loadLockDiffs(host: Host, revs: LockRevisions, files: readonly ChangedFile[]): Promise<LockDiff[]> {
  const out: LockDiff[] = [];
  for (const f of files) {
    const format = lockFormatOf(f.path);
    if (!format) continue;
    try {
      const baseText = revs.base === undefined || f.status === 'untracked' || f.status === 'added'
        ? undefined
        : await readAtRevision(host, revs.repoRoot, revs.base, f.oldPath ?? f.path);
      let headText: string | undefined;
      if (revs.head !== undefined) headText = await readAtRevision(host, revs.repoRoot, revs.head, f.path);
      else if (f.status !== 'deleted' && (await host.stat(f.path))?.kind === 'file') headText = new TextDecoder().decode(await host.readFile(f.path));
      out.push(diffLocks(f.path, format, baseText, headText));
    } catch (err) {
      const message = `${path.basename(f.path)} could not be compared with its base version: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
      out.push({ file: f.path, format, changes: new Map(), dependencies: new Map(), problem: { file: f.path, range: FILE_START, message } });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------

function emptyLock(format: LockFormat): LockGraph {
  return { format, packages: new Map() };
}

function uvDependencies(entry: Record<string, unknown>): string[] {
  const names = new Set<string>();
  const addList = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const d of list) if (isTable(d) && typeof d['name'] === 'string') names.add(normalizeName(d['name']));
  };
  addList(entry['dependencies']);
  const optional = entry['optional-dependencies'];
  if (isTable(optional)) for (const list of Object.values(optional)) addList(list);
  return [...names].sort();
}

function poetryDependencies(entry: Record<string, unknown>): string[] {
  const deps = entry['dependencies'];
  return isTable(deps) ? Object.keys(deps).map(normalizeName).sort() : [];
}

function signature(list: LockedDistribution[]): string {
  return list.map((d) => `${d.version}|${d.source}|${d.dependencies.join(',')}`).sort().join('\n');
}

function versions(list: LockedDistribution[]): string[] {
  return [...new Set(list.map((d) => d.version || '?'))].sort();
}

/** A stable text form of a TOML value (tables with sorted keys), for comparing sources. */
function canonical(v: unknown): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isTable(v)) return `{${Object.keys(v).sort().map((k) => `${k}=${canonical(v[k])}`).join(',')}}`;
  return String(v);
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
