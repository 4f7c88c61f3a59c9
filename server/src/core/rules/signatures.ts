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

/**
 * Per package: `own` changes when the package's own inputs change (declarations, layout, Python versions, uv root dev
 * requirements): all its files are re-checked. `closure` changes when the declarations of its runtime closure change:
 * those only matter to imports the package does not declare itself (PM003), so only the files whose `closureKeys`
 * meet the changed distributions are re-checked. `declared` is each package's name -> declaration signature, kept to
 * tell which distributions changed between two builds.
 */
export interface PackageSignatures {
  own: Map<string, string>;
  closure: Map<string, string>;
  declared: Map<string, Map<string, string>>;
}

/** Computes the signatures of every package of a rule context. */
export function packageSignatures(ctx: RuleContext): PackageSignatures {
  const declared = new Map<string, Map<string, string>>();
  const declSig = new Map<string, string>();
  for (const [id, decls] of ctx.declared) {
    const names = new Map<string, string>();
    for (const [name, reqs] of decls) names.set(name, reqs.map((r) => `${r.kind}${r.specifier}`).join('|'));
    declared.set(id, names);
    declSig.set(id, [...names].map(([n, v]) => `${n}=${v}`).sort().join(','));
  }
  const declHash = new Map<string, number>();
  for (const [id, sig] of declSig) declHash.set(id, hashText(sig));
  const own = new Map<string, string>();
  const closure = new Map<string, string>();
  for (const p of ctx.packages.values()) {
    const dev = [...(ctx.workspaceDev.get(p.id) ?? [])].sort().join(',');
    own.set(p.id, [p.root, p.requiresPython ?? '', p.sourceRoots.join(','), p.manifest, declSig.get(p.id) ?? '', dev].join('\n'));
    // Hashed: as text, 2,000 closures of hundreds of packages each would be over 100 MB of strings per build.
    let h = 0x811c9dc5;
    for (const id of ctx.runtimeClosure.get(p.id) ?? []) h = mix(mix(h, hashText(id)), declHash.get(id) ?? 0);
    closure.set(p.id, h.toString(36));
  }
  return { own, closure, declared };
}

/** Distribution names whose declaration changed in any package between two builds (added, removed or respecified). */
export function changedDistributions(before: Map<string, Map<string, string>>, after: Map<string, Map<string, string>>): Set<string> {
  const changed = new Set<string>();
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(id) ?? new Map<string, string>();
    const b = after.get(id) ?? new Map<string, string>();
    for (const [name, sig] of a) if (b.get(name) !== sig) changed.add(name);
    for (const [name, sig] of b) if (a.get(name) !== sig) changed.add(name);
  }
  return changed;
}

/** FNV-1a over UTF-16 code units, 32 bits. */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Order-sensitive combination of two 32-bit hashes. */
function mix(h: number, v: number): number {
  return Math.imul(h ^ v, 0x01000193) >>> 0 ^ (h >>> 13);
}
