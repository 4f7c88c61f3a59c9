/**
 * Signatures of what a file check depends on, so that a graph rebuild re-checks only the files whose inputs
 * changed. A file check reads: the global module index (which packages provide which import names), the
 * configuration and distribution mapping, its own package's declarations, layout and Python versions, the
 * declarations of its runtime closure (PM003), and the uv root's dev requirements (test code).
 */
import type { RuleContext } from './context';

/** One string for everything every file check shares; a change re-checks every file. */
export function globalSignature(ctx: RuleContext, venvCount: number): string {
  const parts: string[] = [JSON.stringify(ctx.config), String(venvCount)];
  const provided: string[] = [];
  for (const p of ctx.packages.values()) provided.push(`${p.id}:${p.kind}:${p.modules.join(',')}`);
  parts.push(provided.sort().join(';'));
  return parts.join('\n');
}

/** Per package: a string that changes when any input of its files' checks changes (beyond the global signature). */
export function packageSignatures(ctx: RuleContext): Map<string, string> {
  const declSig = new Map<string, string>();
  for (const [id, decls] of ctx.declared) {
    const entries: string[] = [];
    for (const [name, reqs] of decls) entries.push(`${name}=${reqs.map((r) => `${r.kind}${r.specifier}`).join('|')}`);
    declSig.set(id, entries.sort().join(','));
  }
  const out = new Map<string, string>();
  for (const p of ctx.packages.values()) {
    const closure = (ctx.runtimeClosure.get(p.id) ?? []).map((id) => `${id}{${declSig.get(id) ?? ''}}`).join(';');
    const dev = [...(ctx.workspaceDev.get(p.id) ?? [])].sort().join(',');
    out.set(p.id, [p.root, p.requiresPython ?? '', p.sourceRoots.join(','), p.manifest, declSig.get(p.id) ?? '', closure, dev].join('\n'));
  }
  return out;
}
