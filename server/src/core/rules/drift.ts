/**
 * PM006 version-drift (Single Version Policy, seed 004): one third-party distribution declared by several packages
 * with specifiers no single version satisfies, or pinned (`==`) to different versions. Specifiers are PEP 440
 * (checked with @renovatebot/pep440); Poetry's `^` and `~` are first translated as the Poetry docs define them
 * ("Dependency specification": caret and tilde requirements).
 */
import { satisfies, valid } from '@renovatebot/pep440';
import type { DeclaredRequirement, Finding } from '../model';
import { makeFinding, type RuleContext } from './context';

/** Translates one Poetry constraint (`^1.2`, `~1.2.3`, `*`, `1.2.*`) to PEP 440; PEP 440 input is returned as is. */
export function toPep440(spec: string): string {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== '*')
    .map((part) => {
      const caret = /^\^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(part);
      if (caret) {
        const [maj, min, pat] = [Number(caret[1]), caret[2] === undefined ? undefined : Number(caret[2]), caret[3] === undefined ? undefined : Number(caret[3])];
        const lower = [maj, min ?? 0, pat ?? 0].join('.');
        const upper = maj > 0 || min === undefined ? `${maj + 1}.0.0` : min > 0 || pat === undefined ? `0.${min + 1}.0` : `0.0.${(pat ?? 0) + 1}`;
        return `>=${lower},<${upper}`;
      }
      const tilde = /^~(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(part);
      if (tilde) {
        const maj = Number(tilde[1]);
        const min = tilde[2] === undefined ? undefined : Number(tilde[2]);
        const lower = [maj, min ?? 0, tilde[3] ?? 0].join('.');
        return `>=${lower},<${min === undefined ? `${maj + 1}.0.0` : `${maj}.${min + 1}.0`}`;
      }
      if (/^\d/.test(part)) return `==${part}`;
      return part;
    })
    .join(',');
}

/** Versions worth testing against a set of specifiers: every literal they mention, and near neighbours of each. */
function candidates(specs: string[]): string[] {
  const out = new Set<string>();
  for (const spec of specs) {
    for (const m of spec.matchAll(/\d+(?:\.\d+)*/g)) {
      const v = m[0];
      const parts = v.split('.').map(Number);
      while (parts.length < 3) parts.push(0);
      out.add(v);
      out.add(`${v}.post1`);
      out.add([parts[0], parts[1], parts[2] + 1].join('.'));
      out.add([parts[0], parts[1] + 1, 0].join('.'));
      out.add([parts[0] + 1, 0, 0].join('.'));
      if (parts[2] > 0) out.add([parts[0], parts[1], parts[2] - 1].join('.'));
      else if (parts[1] > 0) out.add([parts[0], parts[1] - 1, 999].join('.'));
      else if (parts[0] > 0) out.add([parts[0] - 1, 999, 999].join('.'));
    }
  }
  return [...out].filter((v) => valid(v) !== null);
}

/** True when some version satisfies both PEP 440 specifier sets (or either is empty or unparseable). */
export function compatible(a: string, b: string): boolean {
  if (a === '' || b === '' || a === b) return true;
  const pinA = /^===?([^,]+)$/.exec(a);
  const pinB = /^===?([^,]+)$/.exec(b);
  if (pinA && pinB && !pinA[1].includes('*') && !pinB[1].includes('*')) return valid(pinA[1]) === valid(pinB[1]) || pinA[1] === pinB[1];
  try {
    return candidates([a, b]).some((v) => satisfies(v, a) && satisfies(v, b));
  } catch {
    return true;
  }
}

/** PM006 over all packages: each declaration in a conflicting pair is reported, naming the other packages. */
export function checkDrift(ctx: RuleContext): Finding[] {
  const byDist = new Map<string, { pkg: string; req: DeclaredRequirement; spec: string }[]>();
  for (const [pkg, decls] of ctx.declared) {
    for (const [dist, reqs] of decls) {
      if (ctx.packages.has(dist)) continue;
      for (const req of reqs) {
        if (!req.specifier || req.source) continue;
        const list = byDist.get(dist) ?? [];
        list.push({ pkg, req, spec: toPep440(req.specifier) });
        byDist.set(dist, list);
      }
    }
  }
  const findings: Finding[] = [];
  for (const [dist, decls] of byDist) {
    if (new Set(decls.map((d) => d.pkg)).size < 2) continue;
    const specs = [...new Set(decls.map((d) => d.spec))];
    if (specs.length < 2) continue;
    const conflicts = new Map<string, Set<string>>();
    for (let i = 0; i < specs.length; i++) {
      for (let j = i + 1; j < specs.length; j++) {
        if (compatible(specs[i], specs[j])) continue;
        conflicts.set(specs[i], (conflicts.get(specs[i]) ?? new Set()).add(specs[j]));
        conflicts.set(specs[j], (conflicts.get(specs[j]) ?? new Set()).add(specs[i]));
      }
    }
    for (const d of decls) {
      const against = conflicts.get(d.spec);
      if (!against) continue;
      const others = decls
        .filter((o) => o.pkg !== d.pkg && against.has(o.spec))
        .map((o) => `${ctx.packages.get(o.pkg)?.name ?? o.pkg} (${o.req.specifier})`);
      if (others.length === 0) continue;
      const f = makeFinding(ctx, 'PM006', d.pkg, d.req.file, d.req.range, `'${d.req.name}${d.req.specifier}' cannot be satisfied together with ${[...new Set(others)].join(', ')}: one version per distribution (Single Version Policy)`, { distribution: dist });
      if (f) findings.push(f);
    }
  }
  return findings;
}
