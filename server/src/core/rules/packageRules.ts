/**
 * Package-level rules: PM005 unused-dependency (from what the package's files use), PM007 dependency-cycle
 * (Tarjan's strongly connected components over runtime edges), PM008 invalid-manifest (manifest problems),
 * PM009 stdlib-dependency.
 */
import type { Finding, GraphEdge, ManifestProblem, PackageInfo } from '../model';
import { isNoImportDistribution } from '../distributions';
import { isStdlibModule } from '../stdlib';
import { makeFinding, type RuleContext } from './context';

/** PM005 for one package: runtime requirements that nothing in `used` (union over its files) accounts for. */
export function checkUnused(ctx: RuleContext, pkg: PackageInfo, used: ReadonlySet<string>, fileCount: number): Finding[] {
  if (fileCount === 0 || pkg.virtual) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const r of pkg.requirements) {
    if (r.kind !== 'runtime' || !r.normalized || seen.has(r.normalized)) continue;
    seen.add(r.normalized);
    if (used.has(r.normalized)) continue;
    const internal = ctx.packages.get(r.normalized);
    if (!internal && (isNoImportDistribution(r.normalized, ctx.config.noImport) || isStdlibModule(r.normalized.replace(/-/g, '_'), ctx.minors.get(pkg.id) ?? [14]))) continue;
    if (internal && internal.modules.length === 0) continue;
    const what = internal ? `internal package '${internal.name}'` : `'${r.name}'`;
    const f = makeFinding(ctx, 'PM005', pkg.id, r.file, r.range, `${what} is declared as a runtime dependency of ${pkg.name} but no file of ${pkg.name} imports it`, {
      distribution: r.normalized,
      fix: { action: 'remove', package: pkg.id, manifest: r.file, distribution: r.normalized },
    });
    if (f) out.push(f);
  }
  return out;
}

/** PM009 for one package: declared names that are standard-library modules for every allowed Python version. */
export function checkStdlibDeps(ctx: RuleContext, pkg: PackageInfo): Finding[] {
  const out: Finding[] = [];
  const minors = ctx.minors.get(pkg.id) ?? [14];
  for (const r of pkg.requirements) {
    if (!r.normalized || ctx.packages.has(r.normalized) || r.source) continue;
    const mod = r.normalized.replace(/-/g, '_');
    if (!minors.every((m) => isStdlibModule(mod, [m]))) continue;
    const f = makeFinding(ctx, 'PM009', pkg.id, r.file, r.range, `'${r.name}' is part of the Python standard library (Python 3.${minors[0]}–3.${minors[minors.length - 1]}); declaring it installs an unrelated or obsolete distribution`, {
      distribution: r.normalized,
      fix: { action: 'remove', package: pkg.id, manifest: r.file, distribution: r.normalized },
    });
    if (f) out.push(f);
  }
  return out;
}

/** PM007: every runtime edge inside a strongly connected component of more than one package (or a self edge). */
export function checkCycles(ctx: RuleContext, edges: GraphEdge[]): Finding[] {
  const runtime = edges.filter((e) => e.kind !== 'dev');
  const out = new Map<string, string[]>();
  for (const e of runtime) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let comp = 0;
  const strong = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      for (;;) {
        const w = stack.pop() as string;
        onStack.delete(w);
        component.set(w, comp);
        if (w === v) break;
      }
      comp++;
    }
  };
  for (const id of [...out.keys()].sort()) if (!index.has(id)) strong(id);
  const members = new Map<number, string[]>();
  for (const [id, c] of component) members.set(c, [...(members.get(c) ?? []), id]);

  const findings: Finding[] = [];
  for (const e of runtime) {
    const c = component.get(e.from);
    if (c === undefined || c !== component.get(e.to)) continue;
    const cycle = shortestPath(out, e.to, e.from, new Set(members.get(c)));
    const chain = [e.from, ...cycle].map((id) => ctx.packages.get(id)?.name ?? id).join(' -> ');
    const f = makeFinding(ctx, 'PM007', e.from, e.requirement.file, e.requirement.range, `dependency cycle: ${chain}`, { distribution: e.to });
    if (f) findings.push(f);
  }
  return findings;
}

/** Breadth-first path from `from` to `to` inside `allowed` (inclusive of both ends). */
function shortestPath(out: Map<string, string[]>, from: string, to: string, allowed: Set<string>): string[] {
  const prev = new Map<string, string>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length) {
    const v = queue.shift() as string;
    if (v === to) break;
    for (const w of out.get(v) ?? []) {
      if (seen.has(w) || !allowed.has(w)) continue;
      seen.add(w);
      prev.set(w, v);
      queue.push(w);
    }
  }
  const pathIds = [to];
  let cur = to;
  while (cur !== from && prev.has(cur)) {
    cur = prev.get(cur) as string;
    pathIds.unshift(cur);
  }
  return pathIds;
}

/** PM008 from located manifest problems; `ownerOf` gives the package a manifest belongs to. */
export function manifestFindings(ctx: RuleContext, problems: ManifestProblem[], ownerOf: (file: string) => string | undefined): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const p of problems) {
    const key = `${p.file}:${p.range.start.line}:${p.range.start.character}:${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const f = makeFinding(ctx, 'PM008', ownerOf(p.file) ?? '', p.file, p.range, p.message);
    if (f) out.push(f);
  }
  return out;
}
