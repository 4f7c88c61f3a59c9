/**
 * PM001–PM004: the per-file import rules. Classification order is docs/rules.md "How an import is classified".
 * A file check reads only the shared RuleContext and the file's scan, so editing a file re-checks that file alone.
 */
import * as path from 'node:path';
import type { FileScan, Finding, ImportRecord, PackageInfo, Range, RuleCode } from '../model';
import { isStdlibModule } from '../stdlib';
import type { DistributionMatch } from '../distributions';
import { isTestFile, makeFinding, preferredRequirement, type RuleContext } from './context';

/** The findings of one file and what it uses (normalized distributions and internal package ids). */
export interface FileCheck {
  findings: Finding[];
  used: Set<string>;
}

interface Target {
  module: string;
  range: Range;
  record: ImportRecord;
}

/** Checks one Python file of package `pkg` against PM001–PM004. */
export function checkFileImports(ctx: RuleContext, pkg: PackageInfo, file: string, scan: FileScan): FileCheck {
  const findings: Finding[] = [];
  const used = new Set<string>();
  const test = isTestFile(pkg.root, file);
  const declared = ctx.declared.get(pkg.id) ?? new Map();
  const minors = ctx.minors.get(pkg.id) ?? [14];
  const own = ctx.ownModules.get(pkg.id);
  const dir = path.dirname(file);

  const push = (code: RuleCode, t: Target, message: string, extra: Parameters<typeof makeFinding>[6]): void => {
    const s = t.record.suppressed;
    if (s === 'all' || (s && s.includes(code))) return;
    const f = makeFinding(ctx, code, pkg.id, file, t.range, message, { module: t.module, ...extra });
    if (f) findings.push(f);
  };

  for (const t of targets(ctx, scan)) {
    const top = t.module.split('.')[0];
    if (!top || stdlib(ctx, top, minors)) continue;
    if (own?.lookup(t.module)) continue;
    if (isLocal(ctx, pkg, dir, top)) continue;
    const quiet = t.record.optional && !ctx.config.reportOptionalImports;

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
  return { findings, used };

  function checkDevOnly(t: Target, decls: { kind: string; file: string }[], dist: string): void {
    if (test || t.record.typeOnly || decls.length === 0 || !decls.every((d) => d.kind === 'dev')) return;
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
function* targets(ctx: RuleContext, scan: FileScan): Generator<Target> {
  for (const record of scan.imports) {
    if (record.level > 0 || !record.module) continue;
    let covered = false;
    if (record.names && !record.dynamic) {
      const baseLength = ctx.modules.lookup(record.module)?.matched.length ?? -1;
      for (const n of record.names) {
        if (n.name === '*') continue;
        const full = `${record.module}.${n.name}`;
        const hit = ctx.modules.lookup(full);
        if (hit && hit.matched.length > baseLength) {
          covered = true;
          yield { module: full, range: n.range, record };
        }
      }
    }
    if (!covered) yield { module: record.module, range: record.range, record };
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

/** Standard-library test of a top-level name for a set of Python minors, memoized per context. */
function stdlib(ctx: RuleContext, top: string, minors: number[]): boolean {
  const key = `std\0${minors.join(',')}\0${top}`;
  const known = ctx.memo.get(key);
  if (typeof known === 'boolean') return known;
  const answer = isStdlibModule(top, minors);
  ctx.memo.set(key, answer);
  return answer;
}

/** A top-level module that exists next to the importing file or in one of the package's source roots. */
function isLocal(ctx: RuleContext, pkg: PackageInfo, dir: string, top: string): boolean {
  const key = `local\0${dir}\0${top}`;
  const known = ctx.memo.get(key);
  if (typeof known === 'boolean') return known;
  const answer = computeLocal(ctx, pkg, dir, top);
  ctx.memo.set(key, answer);
  return answer;
}

function computeLocal(ctx: RuleContext, pkg: PackageInfo, dir: string, top: string): boolean {
  const roots = [dir, pkg.root, ...pkg.sourceRoots];
  for (const r of roots) {
    const base = path.join(r, top);
    if (ctx.pythonFiles.has(base + '.py') || ctx.pythonFiles.has(base + '.pyi') || ctx.pythonDirs.has(base)) return true;
  }
  return false;
}
