/**
 * The impact of a set of changes on the workspace: which packages they touch, which packages and services that
 * reaches over runtime (and optional) edges, each with its shortest `via` chain and a human reason, and which
 * packages only a development edge reaches (their tests are affected, not their images).
 *
 * What seeds the walk:
 * - a changed file belongs to the innermost package owning it (a Dockerfile, Makefile or manifest included);
 * - a changed `uv.lock` / `poetry.lock` with a `LockDiff` seeds only the packages in the lock's scope whose
 *   requirements reach a changed distribution through the lock (uv workspace members of the lock's folder, or
 *   the project owning it); without a usable diff, every package of its scope (conservative);
 * - a file matching `[tool.pymono] global-files` (root-relative globs) seeds every service when
 *   `global-files-affect = "all"` (docs/rules.md, "Configuration").
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { GraphEdge, ManifestProblem, PackageInfo } from '../model';
import type { PymonoConfig } from '../config';
import { runtimeDependents, type AffectedResult, type AffectedService } from '../affected';
import type { ChangedFile } from './gitChanges';
import { describeChange, findChangedDependency, lockFormatOf, reachingChanged, type LockDiff } from './lockDiff';

/** What the impact computation reads from a workspace (the `Workspace` class satisfies it). */
export interface ImpactGraph {
  readonly root: string;
  packages(): PackageInfo[];
  edges(): GraphEdge[];
  ownerOf(file: string): PackageInfo | undefined;
  context(): { config: PymonoConfig };
}

/** An affected service with its shortest chain from a changed package and why, e.g. `a.py changed (lib) → svc`. */
export interface ImpactService extends AffectedService {
  reason: string;
}

/** A package reached only through a development edge: its tests are affected, not its build. */
export interface DevAffectedPackage {
  id: string;
  via: string[];
  reason: string;
  service: boolean;
}

/** One compared lock file: the changes in words and the packages it seeded. Paths absolute. */
export interface LockImpact {
  file: string;
  changes: string[];
  packages: string[];
}

/**
 * The impact of changes. Extends `AffectedResult` (same fields and meaning); lists sorted, paths absolute.
 * `reasons` gives every affected package's reason; `globalFiles` the changed files that matched `global-files`;
 * `unownedFiles` the changed files outside every package that affect nothing; `problems` the lock files that
 * could not be compared (their whole scope is then affected).
 */
export interface ChangeImpact extends AffectedResult {
  services: ImpactService[];
  devAffected: DevAffectedPackage[];
  reasons: Record<string, string>;
  globalFiles: string[];
  unownedFiles: string[];
  locks: LockImpact[];
  problems: ManifestProblem[];
}

interface Seed {
  what: string;
  count: number;
  label: string;
}

/**
 * Computes the impact of `changed` (files as `ChangedFile`s or absolute/root-relative paths) given the lock
 * comparisons of the changed lock files (`loadLockDiffs`). Never throws on odd input: unknown paths are unowned.
 */
export function computeChangeImpact(ws: ImpactGraph, changed: readonly (ChangedFile | string)[], lockDiffs: readonly LockDiff[] = []): ChangeImpact {
  const root = ws.root;
  const config = ws.context().config;
  const packages = ws.packages();
  const byId = new Map(packages.map((p) => [p.id, p]));
  const isGlobal = config.globalFiles.length > 0 ? picomatch(config.globalFiles, { dot: true }) : (): boolean => false;
  const diffs = new Map(lockDiffs.map((d) => [path.resolve(root, d.file), d]));
  const relOf = (abs: string): string => path.relative(root, abs).split(path.sep).join('/');

  const seeds = new Map<string, Seed>();
  const devSeeds = new Map<string, Seed>();
  const seed = (target: Map<string, Seed>, id: string, what: string, label = id): void => {
    const s = target.get(id);
    if (s) s.count++;
    else target.set(id, { what, count: 1, label });
  };
  const problems: ManifestProblem[] = [];
  const globalFiles: string[] = [];
  let firstGlobal = '';
  const unownedFiles: string[] = [];
  const locks: LockImpact[] = [];
  const files = new Set<string>();

  const entries = changed.map((c) => (typeof c === 'string' ? { path: path.resolve(root, c), status: 'modified' as const } : c));
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const entry of entries) {
    const sides: [string, string][] = [[path.resolve(root, entry.path), describeFile(entry, relOf)]];
    if (entry.oldPath !== undefined) sides.push([path.resolve(root, entry.oldPath), `${relOf(path.resolve(root, entry.oldPath))} renamed to ${relOf(path.resolve(root, entry.path))}`]);
    for (const [abs, what] of sides) {
      if (files.has(abs)) continue;
      files.add(abs);
      const rel = relOf(abs);
      const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
      const global = inside && isGlobal(rel);
      if (global) {
        globalFiles.push(abs);
        firstGlobal ||= what;
      }
      if (lockFormatOf(abs)) {
        const diff = diffs.get(abs);
        const scope = lockScope(abs, packages, ws);
        if (diff && !diff.problem) {
          locks.push(lockImpact(diff, rel, scope, byId, seeds, devSeeds, seed));
        } else {
          const why = diff?.problem ? diff.problem.message : 'not compared with its base version';
          if (diff?.problem) problems.push(diff.problem);
          for (const id of scope) seed(seeds, id, `${rel} changed (${why})`);
          locks.push({ file: abs, changes: [], packages: [...scope].sort() });
        }
        if (scope.size === 0 && !global) unownedFiles.push(abs);
        continue;
      }
      const owner = ws.ownerOf(abs);
      if (owner) seed(seeds, owner.id, what);
      else if (!global) unownedFiles.push(abs);
    }
  }

  const changedPackages = [...seeds.keys()].sort();
  const dependents = runtimeDependents(ws.edges());
  const walk = reverseWalk(seeds, dependents, new Map());
  // Services a changed package reaches keep that (more telling) chain; a global file seeds the others.
  if (globalFiles.length > 0 && config.globalFilesAffect === 'all') {
    const label = globalFiles.length > 1 ? `global file, +${globalFiles.length - 1} more` : 'global file';
    const globalSeeds = new Map<string, Seed>();
    for (const p of packages) if (p.kind === 'service' && !walk.prev.has(p.id)) globalSeeds.set(p.id, { what: firstGlobal, count: 1, label });
    for (const [id, s] of globalSeeds) seeds.set(id, s);
    reverseWalk(globalSeeds, dependents, walk.prev);
  }
  const affectedPackages = [...walk.prev.keys()].sort();
  const reasons: Record<string, string> = {};
  for (const id of affectedPackages) reasons[id] = reasonOf(id, walk.prev, seeds);

  const services: ImpactService[] = [];
  for (const id of affectedPackages) {
    if (byId.get(id)?.kind === 'service') services.push({ name: id, via: viaOf(id, walk.prev), reason: reasons[id] });
  }

  const devAffected = devReached(walk.prev, seeds, devSeeds, ws.edges(), byId);
  return {
    changedFiles: [...files].sort(),
    changedPackages,
    affectedPackages,
    services,
    devAffected,
    reasons,
    globalFiles: globalFiles.sort(),
    unownedFiles: unownedFiles.sort(),
    locks,
    problems,
  };
}

// ---------------------------------------------------------------------------------------------------------

function describeFile(f: { path: string; status: string; oldPath?: string }, relOf: (abs: string) => string): string {
  const rel = relOf(f.path);
  if (f.status === 'deleted') return `${rel} deleted`;
  if (f.status === 'added' || f.status === 'untracked') return `${rel} added`;
  if (f.status === 'renamed' && f.oldPath !== undefined) return `${rel} renamed from ${relOf(f.oldPath)}`;
  return `${rel} changed`;
}

/**
 * The packages a lock file resolves: for `uv.lock` the uv workspace members rooted in its folder, or the project
 * in that folder; for `poetry.lock` the project in its folder; otherwise the package owning the file.
 */
function lockScope(file: string, packages: readonly PackageInfo[], ws: ImpactGraph): Set<string> {
  const dir = path.dirname(file);
  const scope = new Set<string>();
  if (lockFormatOf(file) === 'uv') for (const p of packages) if (p.uvWorkspaceRoot === dir) scope.add(p.id);
  if (scope.size === 0) {
    const here = packages.find((p) => p.root === dir) ?? ws.ownerOf(file);
    if (here) scope.add(here.id);
  }
  return scope;
}

function lockImpact(
  diff: LockDiff,
  rel: string,
  scope: Set<string>,
  byId: Map<string, PackageInfo>,
  seeds: Map<string, Seed>,
  devSeeds: Map<string, Seed>,
  seed: (target: Map<string, Seed>, id: string, what: string, label?: string) => void,
): LockImpact {
  const seeded: string[] = [];
  const text = (hit: NonNullable<ReturnType<typeof findChangedDependency>>): string => {
    const via = hit.chain.length > 1 ? ` via ${hit.chain.slice(0, -1).join(' → ')}` : '';
    const more = hit.more > 0 ? ` and ${hit.more} more changed distribution${hit.more > 1 ? 's' : ''}` : '';
    return `${rel}: ${describeChange(hit.change)}${via}${more}`;
  };
  const reaching = reachingChanged(diff, scope);
  const names = (pkg: PackageInfo, dev: boolean): string[] =>
    pkg.requirements.filter((r) => (r.kind === 'dev') === dev && r.normalized !== '' && reaching.has(r.normalized)).map((r) => r.normalized);
  for (const id of [...scope].sort()) {
    const pkg = byId.get(id);
    if (!pkg) continue;
    const runtime = names(pkg, false);
    const hit = runtime.length > 0 ? findChangedDependency(diff, runtime, scope) : undefined;
    if (hit) {
      seed(seeds, id, text(hit));
      seeded.push(id);
      continue;
    }
    const dev = names(pkg, true);
    const devHit = dev.length > 0 ? findChangedDependency(diff, dev, scope) : undefined;
    if (devHit) seed(devSeeds, id, text(devHit), `${id}, development dependency`);
  }
  return { file: diff.file, changes: [...diff.changes.values()].map(describeChange).sort(), packages: seeded };
}


/**
 * Multi-source breadth-first walk from the seeds to their dependents, extending `prev` (id -> the package it was
 * reached from; `undefined` for a seed) without revisiting what it already holds.
 */
function reverseWalk(seeds: Map<string, Seed>, dependents: Map<string, string[]>, prev: Map<string, string | undefined>): { prev: Map<string, string | undefined> } {
  const queue = [...seeds.keys()].filter((id) => !prev.has(id)).sort();
  for (const id of queue) prev.set(id, undefined);
  for (let i = 0; i < queue.length; i++) {
    for (const dep of dependents.get(queue[i]) ?? []) {
      if (prev.has(dep)) continue;
      prev.set(dep, queue[i]);
      queue.push(dep);
    }
  }
  return { prev };
}

function viaOf(id: string, prev: Map<string, string | undefined>): string[] {
  const via = [id];
  for (let cur = prev.get(id); cur !== undefined; cur = prev.get(cur)) via.unshift(cur);
  return via;
}

function seedText(s: Seed): string {
  return `${s.what} (${s.label}${s.count > 1 ? `, +${s.count - 1} more change${s.count > 2 ? 's' : ''}` : ''})`;
}

function reasonOf(id: string, prev: Map<string, string | undefined>, seeds: Map<string, Seed>): string {
  const via = viaOf(id, prev);
  const start = seeds.get(via[0]) as Seed;
  const head = seedText(start);
  // A service seeded by a global file: say which service the global change reaches.
  if (via.length === 1) return start.label.startsWith('global file') ? `${head} → ${id}` : head;
  return `${head} → ${via.slice(1).join(' → ')}`;
}

/** Packages one development edge away from an affected package (or seeded by a dev-only lock change), not affected themselves. */
function devReached(
  prev: Map<string, string | undefined>,
  seeds: Map<string, Seed>,
  devSeeds: Map<string, Seed>,
  edges: readonly GraphEdge[],
  byId: Map<string, PackageInfo>,
): DevAffectedPackage[] {
  const out = new Map<string, DevAffectedPackage>();
  const offer = (cand: DevAffectedPackage): void => {
    const old = out.get(cand.id);
    if (!old || cand.via.length < old.via.length || (cand.via.length === old.via.length && cand.via.join() < old.via.join())) out.set(cand.id, cand);
  };
  for (const e of edges) {
    if (e.kind !== 'dev' || !prev.has(e.to) || prev.has(e.from)) continue;
    const via = [...viaOf(e.to, prev), e.from];
    offer({ id: e.from, via, reason: `${reasonOf(e.to, prev, seeds)} → ${e.from} (development dependency)`, service: byId.get(e.from)?.kind === 'service' });
  }
  for (const [id, s] of devSeeds) {
    if (prev.has(id)) continue;
    offer({ id, via: [id], reason: seedText(s), service: byId.get(id)?.kind === 'service' });
  }
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
