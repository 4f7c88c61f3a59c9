/**
 * Everything the rules need about one state of the workspace graph, computed once per graph build and shared
 * by every file check (so a `.py` edit re-checks one file with no graph work).
 */
import * as path from 'node:path';
import type { DeclaredRequirement, FixData, Finding, GraphEdge, PackageInfo, Range, RuleCode } from '../model';
import type { PymonoConfig } from '../config';
import type { DistributionIndex } from '../distributions';
import { ModuleIndex } from '../ownership';
import { stdlibMinorsFor } from '../stdlib';
import { RULES } from './registry';

/** Shared, read-only inputs of the rules. */
export interface RuleContext {
  root: string;
  config: PymonoConfig;
  packages: Map<string, PackageInfo>;
  edges: GraphEdge[];
  /** Package id -> normalized requirement name -> its declarations. */
  declared: Map<string, Map<string, DeclaredRequirement[]>>;
  /** Package id -> internal packages reachable over runtime edges (not including itself). */
  runtimeClosure: Map<string, string[]>;
  /** Package id -> normalized names of the uv workspace root's dev requirements (count for test code). */
  workspaceDev: Map<string, Set<string>>;
  /** Package id -> Python minor versions allowed by its requires-python. */
  minors: Map<string, number[]>;
  /** Dotted module -> providing packages (services nobody depends on are left out). */
  modules: ModuleIndex;
  /** Per package: its own modules, for the "own code" test. */
  ownModules: Map<string, ModuleIndex>;
  distributions: DistributionIndex;
  /** Every Python file path, and every folder that holds one directly or has an `__init__.py`: the "local module" test. */
  pythonFiles: ReadonlySet<string>;
  pythonDirs: ReadonlySet<string>;
  /** Memo of derived answers (local-module tests, preferred specifiers), valid for this context only. */
  memo: Map<string, string | boolean>;
}

/** Builds the per-graph context. `dependents` tells which services are importable by others. */
export function buildRuleContext(
  root: string,
  config: PymonoConfig,
  packages: PackageInfo[],
  edges: GraphEdge[],
  workspaceDev: Map<string, Set<string>>,
  distributions: DistributionIndex,
  fileSets: PythonFileSets,
): RuleContext {
  const byId = new Map(packages.map((p) => [p.id, p]));
  const declared = new Map<string, Map<string, DeclaredRequirement[]>>();
  for (const p of packages) {
    const m = new Map<string, DeclaredRequirement[]>();
    for (const r of p.requirements) {
      if (!r.normalized) continue;
      const list = m.get(r.normalized) ?? [];
      list.push(r);
      m.set(r.normalized, list);
    }
    declared.set(p.id, m);
  }
  const hasDependents = new Set(edges.map((e) => e.to));
  const moduleEntries: [string, string][] = [];
  const ownModules = new Map<string, ModuleIndex>();
  for (const p of packages) {
    ownModules.set(p.id, new ModuleIndex(p.modules.map((m) => [m, p.id])));
    if (p.kind === 'service' && !hasDependents.has(p.id)) continue;
    for (const m of p.modules) moduleEntries.push([m, p.id]);
  }
  const runtimeOut = new Map<string, string[]>();
  for (const e of edges) {
    if (e.kind === 'dev') continue;
    const list = runtimeOut.get(e.from) ?? [];
    list.push(e.to);
    runtimeOut.set(e.from, list);
  }
  const runtimeClosure = new Map<string, string[]>();
  for (const p of packages) {
    const seen = new Set<string>();
    const stack = [...(runtimeOut.get(p.id) ?? [])];
    while (stack.length) {
      const id = stack.pop() as string;
      if (seen.has(id) || id === p.id) continue;
      seen.add(id);
      stack.push(...(runtimeOut.get(id) ?? []));
    }
    runtimeClosure.set(p.id, [...seen].sort());
  }
  const minors = new Map(packages.map((p) => [p.id, stdlibMinorsFor(p.requiresPython)]));
  return {
    root, config, packages: byId, edges, declared, runtimeClosure, workspaceDev, minors,
    modules: new ModuleIndex(moduleEntries), ownModules, distributions, pythonFiles: fileSets.files, pythonDirs: fileSets.dirs, memo: new Map(),
  };
}

/** The Python files of a discovery as a set, and the folders that hold one directly. */
export interface PythonFileSets {
  files: ReadonlySet<string>;
  dirs: ReadonlySet<string>;
}

/**
 * Builds the sets once per discovery. A PEP 420 namespace folder (no `__init__.py`, no files of its own) is not in
 * `dirs`, so it is not a local module: `src/acme/` must not hide `acme.models` of another package.
 */
export function pythonFileSets(pythonFiles: readonly string[]): PythonFileSets {
  const dirs = new Set<string>();
  for (const f of pythonFiles) dirs.add(path.dirname(f));
  return { files: new Set(pythonFiles), dirs };
}

/**
 * Creates a finding with the configured severity, or `undefined` when the rule is off or ignored for the package.
 */
export function makeFinding(
  ctx: RuleContext,
  code: RuleCode,
  pkg: string,
  file: string,
  range: Range,
  message: string,
  extra: { module?: string; distribution?: string; fix?: FixData } = {},
): Finding | undefined {
  const severity = ctx.config.severity[code];
  if (severity === 'off') return undefined;
  if (pkg && ctx.config.perPackageIgnores[pkg]?.includes(code)) return undefined;
  return { code, rule: RULES[code].name, severity, package: pkg, file, range, message, ...extra };
}

/**
 * The requirement text a quick fix adds for `dist` (Single Version Policy): the specifier other packages already
 * use most, else `>=` the installed version from a venv, else the bare name.
 */
export function preferredRequirement(ctx: RuleContext, dist: string, exceptPackage: string): string {
  const key = `pref\0${dist}\0${exceptPackage}`;
  const known = ctx.memo.get(key);
  if (typeof known === 'string') return known;
  const answer = computePreferred(ctx, dist, exceptPackage);
  ctx.memo.set(key, answer);
  return answer;
}

function computePreferred(ctx: RuleContext, dist: string, exceptPackage: string): string {
  const entry = specIndex(ctx).get(dist);
  const counts = new Map(entry?.counts);
  for (const r of ctx.declared.get(exceptPackage)?.get(dist) ?? []) {
    if (counts.has(r.specifier)) counts.set(r.specifier, (counts.get(r.specifier) ?? 1) - 1);
  }
  const best = [...counts].filter((c) => c[1] > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  const display = entry?.display ?? dist;
  if (best) return `${display}${best[0]}`;
  const installed = ctx.distributions.installedVersion(dist);
  return installed ? `${display}>=${installed}` : display;
}

const specIndexes = new WeakMap<RuleContext, Map<string, { display: string; counts: Map<string, number> }>>();

/** Distribution -> how many declarations use each PEP 440 specifier (Poetry `^`/`~`/`*` left out), built once per context. */
function specIndex(ctx: RuleContext): Map<string, { display: string; counts: Map<string, number> }> {
  let index = specIndexes.get(ctx);
  if (index) return index;
  index = new Map();
  for (const m of ctx.declared.values()) {
    for (const [dist, reqs] of m) {
      for (const r of reqs) {
        const entry = index.get(dist) ?? { display: r.name, counts: new Map<string, number>() };
        if (r.specifier && !/[\^~]\d|^\*$/.test(r.specifier)) entry.counts.set(r.specifier, (entry.counts.get(r.specifier) ?? 0) + 1);
        index.set(dist, entry);
      }
    }
  }
  specIndexes.set(ctx, index);
  return index;
}

/** True for test code: under a `tests/` or `test/` folder of the package, `test_*.py`, `*_test.py`, `conftest.py`. */
export function isTestFile(pkgRoot: string, file: string): boolean {
  const base = path.basename(file);
  if (base === 'conftest.py' || /^test_.*\.pyi?$/.test(base) || /_test\.pyi?$/.test(base)) return true;
  const segs = path.relative(pkgRoot, file).split(path.sep).slice(0, -1);
  return segs.some((s) => s === 'tests' || s === 'test' || s === 'testing');
}
