/**
 * PM001–PM004: the per-file import rules. Classification order is docs/rules.md "How an import is classified".
 * A file check reads only the shared RuleContext and the file's scan, so editing a file re-checks that file alone.
 */
import * as path from 'node:path';
import type { FileScan, Finding, PackageInfo, RuleCode } from '../model';
import { PACKED_FLAGS, packedRange, packScan, type PackedScan } from '../packedScan';
import { isStdlibModule } from '../stdlib';
import type { DistributionMatch } from '../distributions';
import { isTestFile, makeFinding, preferredRequirement, type RuleContext } from './context';

/** The findings of one file and what it uses (normalized distributions and internal package ids). */
export interface FileCheck {
  findings: Finding[];
  used: Set<string>;
  /**
   * Distributions this file imports without its package declaring them: the only imports whose outcome depends on
   * what the package's internal dependencies declare (PM001 vs PM003). `undefined` when there are none.
   */
  closureKeys?: string[];
}

/**
 * One module an import brings in, read straight from the packed scan: no object per import is built unless a finding
 * needs its range (`rangeAt` is the offset of the range in `ints`).
 */
interface Target {
  module: string;
  rangeAt: number;
  flags: number;
  codes: number;
}

/**
 * Checks one Python file of package `pkg` against PM001–PM004. The scan may be packed (core/packedScan.ts), which is
 * how the Workspace keeps them; a FileScan is packed first.
 */
export function checkFileImports(ctx: RuleContext, pkg: PackageInfo, file: string, input: FileScan | PackedScan): FileCheck {
  const scan = 'ints' in input ? input : packScan(input);
  const findings: Finding[] = [];
  const used = new Set<string>();
  let closureKeys: string[] | undefined;
  const test = isTestFile(pkg.root, file);
  const declared = ctx.declared.get(pkg.id) ?? new Map();
  const minors = ctx.minors.get(pkg.id) ?? [14];
  const own = ctx.ownModules.get(pkg.id);
  const dir = path.dirname(file);
  const stdlibTops = stdlibMemo(ctx, minors);
  const localTops = localMemo(ctx, dir);

  const push = (code: RuleCode, t: Target, message: string, extra: Parameters<typeof makeFinding>[6]): void => {
    if (t.flags & PACKED_FLAGS.suppressAll) return;
    if (t.flags & PACKED_FLAGS.suppressCodes && scan.strings[t.codes].split(',').includes(code)) return;
    const f = makeFinding(ctx, code, pkg.id, file, packedRange(scan.ints, t.rangeAt), message, { module: t.module, ...extra });
    if (f) findings.push(f);
  };

  for (const t of targets(ctx, scan)) {
    const dot = t.module.indexOf('.');
    const top = dot < 0 ? t.module : t.module.slice(0, dot);
    if (!top) continue;
    let std = stdlibTops.get(top);
    if (std === undefined) stdlibTops.set(top, (std = isStdlibModule(top, minors)));
    if (std) continue;
    if (own?.lookup(t.module)) continue;
    let local = localTops.get(top);
    if (local === undefined) localTops.set(top, (local = computeLocal(ctx, pkg, dir, top)));
    if (local) continue;
    const quiet = (t.flags & PACKED_FLAGS.optional) !== 0 && !ctx.config.reportOptionalImports;

    const internal = ctx.modules.lookup(t.module);
    if (internal) {
      if (internal.ids.includes(pkg.id)) continue;
      const id = internal.ids.find((i) => declared.has(i)) ?? internal.ids[0];
      used.add(id);
      const decls = declared.get(id);
      const lib = ctx.packages.get(id);
      if (decls) {
        checkDevOnly(t, decls, id);
      } else if (!quiet && lib) {
        push('PM002', t, `'${t.module}' belongs to internal package '${lib.name}', which ${pkg.name} does not declare`, {
          distribution: id,
          fix: { action: 'add-internal', package: pkg.id, manifest: pkg.manifest, distribution: id, requirement: lib.name, targetRoot: lib.root },
        });
      }
      continue;
    }

    const { match, providers } = thirdParty(ctx, t.module);
    const mine = providers.find((d) => declared.has(d));
    if (mine) {
      used.add(mine);
      checkDevOnly(t, declared.get(mine) ?? [], mine);
      continue;
    }
    const dist = match.distributions[0] ?? providers[0];
    if (test && providers.some((d) => ctx.workspaceDev.get(pkg.id)?.has(d))) continue;
    if (quiet) continue;
    (closureKeys ??= []).push(...providers);
    const siblings = (ctx.runtimeClosure.get(pkg.id) ?? []).filter((id) => providers.some((d) => ctx.declared.get(id)?.has(d)));
    if (siblings.length > 0) {
      const names = siblings.map((id) => ctx.packages.get(id)?.name ?? id);
      const sibDist = providers.find((d) => ctx.declared.get(siblings[0])?.has(d)) ?? dist;
      const sibReq = ctx.declared.get(siblings[0])?.get(sibDist)?.[0];
      push('PM003', t, `'${t.module}' comes from '${sibDist}', which ${pkg.name} does not declare; it is installed only because ${names.join(', ')} declare${names.length === 1 ? 's' : ''} it`, {
        distribution: sibDist,
        fix: { action: 'add', package: pkg.id, manifest: pkg.manifest, distribution: sibDist, requirement: sibReq ? `${sibReq.name}${sibReq.specifier && !/^[\^~*]/.test(sibReq.specifier) ? sibReq.specifier : ''}` : sibDist },
      });
    } else {
      const why = match.reason === 'name' ? '' : ` (${match.detail ?? match.reason})`;
      push('PM001', t, `'${t.module}' comes from '${dist}'${why}, which neither ${pkg.name} nor its internal dependencies declare`, {
        distribution: dist,
        fix: { action: 'add', package: pkg.id, manifest: pkg.manifest, distribution: dist, requirement: preferredRequirement(ctx, dist, pkg.id) },
      });
    }
  }
  return { findings, used, closureKeys };

  function checkDevOnly(t: Target, decls: { kind: string; file: string }[], dist: string): void {
    if (test || (t.flags & PACKED_FLAGS.typeOnly) !== 0 || decls.length === 0 || !decls.every((d) => d.kind === 'dev')) return;
    push('PM004', t, `runtime code imports '${t.module}' from '${dist}', which ${pkg.name} declares only for development`, {
      distribution: dist,
      fix: { action: 'move-to-runtime', package: pkg.id, manifest: pkg.manifest, distribution: dist },
    });
  }
}

/**
 * The modules an import brings in: `from acme import telemetry` names `acme.telemetry` when an internal package
 * provides that (PEP 420 portion), else the module `acme` itself. Relative imports are the package's own code.
 */
function* targets(ctx: RuleContext, scan: PackedScan): Generator<Target> {
  const { ints, strings } = scan;
  let p = 0;
  for (let r = 0; r < scan.count; r++) {
    const module = strings[ints[p]];
    const level = ints[p + 1];
    const flags = ints[p + 2];
    const codes = ints[p + 3];
    const rangeAt = p + 4;
    const nNames = ints[p + 8];
    const namesAt = p + 9;
    p = namesAt + 5 * nNames;
    if (level > 0 || !module) continue;
    let covered = false;
    if (nNames > 0 && (flags & PACKED_FLAGS.dynamic) === 0) {
      const baseLength = ctx.modules.lookup(module)?.matched.length ?? -1;
      for (let k = 0; k < nNames; k++) {
        const name = strings[ints[namesAt + 5 * k]];
        if (name === '*') continue;
        const full = `${module}.${name}`;
        const hit = ctx.modules.lookup(full);
        if (hit && hit.matched.length > baseLength) {
          covered = true;
          yield { module: full, rangeAt: namesAt + 5 * k + 1, flags, codes };
        }
      }
    }
    if (!covered) yield { module, rangeAt, flags, codes };
  }
}

const distMemo = new WeakMap<RuleContext, Map<string, { match: DistributionMatch; providers: string[] }>>();

/** The distribution answers for a module, memoized per context (thousands of files import the same modules). */
function thirdParty(ctx: RuleContext, module: string): { match: DistributionMatch; providers: string[] } {
  let memo = distMemo.get(ctx);
  if (!memo) distMemo.set(ctx, (memo = new Map()));
  let hit = memo.get(module);
  if (!hit) {
    hit = { match: ctx.distributions.resolve(module), providers: ctx.distributions.providers(module) };
    memo.set(module, hit);
  }
  return hit;
}

const stdlibMemos = new WeakMap<RuleContext, Map<number[], Map<string, boolean>>>();
const localMemos = new WeakMap<RuleContext, Map<string, Map<string, boolean>>>();

/** Per context and Python-minors array (one per package, shared): top-level name -> is standard library. */
function stdlibMemo(ctx: RuleContext, minors: number[]): Map<string, boolean> {
  let byMinors = stdlibMemos.get(ctx);
  if (!byMinors) stdlibMemos.set(ctx, (byMinors = new Map()));
  let memo = byMinors.get(minors);
  if (!memo) byMinors.set(minors, (memo = new Map()));
  return memo;
}

/** Per context and folder: top-level name -> is a module next to files of that folder (see computeLocal). */
function localMemo(ctx: RuleContext, dir: string): Map<string, boolean> {
  let byDir = localMemos.get(ctx);
  if (!byDir) localMemos.set(ctx, (byDir = new Map()));
  let memo = byDir.get(dir);
  if (!memo) byDir.set(dir, (memo = new Map()));
  return memo;
}

/** A top-level module that exists next to the importing file or in one of the package's source roots. */
function computeLocal(ctx: RuleContext, pkg: PackageInfo, dir: string, top: string): boolean {
  const roots = [dir, pkg.root, ...pkg.sourceRoots];
  for (const r of roots) {
    const base = r + path.sep + top;
    if (ctx.pythonFiles.has(base + '.py') || ctx.pythonFiles.has(base + '.pyi') || ctx.pythonDirs.has(base)) return true;
  }
  return false;
}
