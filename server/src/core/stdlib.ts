/**
 * Is an import the standard library's? Answers per Python minor version (3.8–3.14) from the generated
 * `stdlibData.ts` (regenerate with `python3 tools/gen-stdlib.py`), and turns a package's `requires-python`
 * (PEP 621 / PEP 440 specifier, or a Poetry constraint) into the minors it allows.
 */
import { satisfies, validRange } from '@renovatebot/pep440';
import { STDLIB_BASE, STDLIB_DELTAS } from './stdlibData';

/** The Python 3 minor versions the standard-library lists cover, oldest first. */
export const STDLIB_VERSIONS: readonly number[] = [8, 9, 10, 11, 12, 13, 14];

/** The minor assumed when a package says nothing usable about its Python version. */
export const DEFAULT_STDLIB_MINOR = 14;

/** Highest patch release probed when matching a specifier (so `>3.11` or `==3.11.4` still admit 3.11). */
const MAX_PATCH = 40;

const sets = new Map<number, ReadonlySet<string>>();

/** The set of top-level stdlib names of Python 3.`minor`, built once from base + delta. */
function stdlibSet(minor: number): ReadonlySet<string> {
  let set = sets.get(minor);
  if (set === undefined) {
    const delta = STDLIB_DELTAS[minor] ?? { add: [], remove: [] };
    const built = new Set(STDLIB_BASE);
    for (const name of delta.remove) built.delete(name);
    for (const name of delta.add) built.add(name);
    set = built;
    sets.set(minor, set);
  }
  return set;
}

/** The sorted top-level standard-library module names of Python 3.`minor` (`[]` for a minor not covered). */
export function stdlibModulesOf(minor: number): string[] {
  if (!STDLIB_VERSIONS.includes(minor)) return [];
  return [...stdlibSet(minor)].sort();
}

/**
 * Rewrites the Poetry constraint forms PEP 440 lacks into PEP 440 specifier sets, one per `||` alternative:
 * `^3.10` → `>=3.10,<4`, `~3.10` → `>=3.10,<3.11` (Poetry docs, "Dependency specification"), a bare version
 * `3.11` → `==3.11`, `3.11.*` → `==3.11.*`, `*` → no constraint. PEP 440 text passes through unchanged.
 */
function toPep440Alternatives(spec: string): string[] {
  return spec.split('||').map((alt) =>
    alt
      .split(',')
      .map((raw) => {
        const part = raw.trim();
        if (part === '*' || part === '') return '';
        const caret = /^\^\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(part);
        if (caret) {
          const [, major, minor, patch] = caret;
          const lower = [major, minor ?? '0', patch ?? '0'].join('.');
          // ^0.x pins the minor, ^x pins the major (Poetry's caret rule).
          const upper = major === '0' ? `0.${Number(minor ?? '0') + 1}` : `${Number(major) + 1}`;
          return `>=${lower},<${upper}`;
        }
        const tilde = /^~\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(part);
        if (tilde) {
          const [, major, minor, patch] = tilde;
          const lower = [major, minor ?? '0', patch ?? '0'].join('.');
          const upper = minor === undefined ? `${Number(major) + 1}` : `${major}.${Number(minor) + 1}`;
          return `>=${lower},<${upper}`;
        }
        if (/^\d+(\.\d+)*(\.\*)?$/.test(part)) return `==${part}`;
        return part;
      })
      .filter((p) => p !== '')
      .join(','),
  );
}

const minorsCache = new Map<string, number[]>();

/**
 * The minors of 3.8–3.14 that a `requires-python` specifier allows (PEP 440 "Version specifiers", evaluated
 * with `@renovatebot/pep440`). A minor is allowed when any of its releases 3.m.0 … 3.m.40 satisfies the spec,
 * so `>3.11` and `==3.11.4` both admit 3.11. Poetry forms (`^3.10`, `~3.10`, `a || b`) are accepted too.
 *
 * Returns `[14]` (the newest) when the spec is absent, blank, invalid, or allows none of the covered minors.
 */
export function stdlibMinorsFor(requiresPython?: string): number[] {
  const spec = (requiresPython ?? '').trim();
  if (spec === '') return [DEFAULT_STDLIB_MINOR];
  const cached = minorsCache.get(spec);
  if (cached) return [...cached];
  const allowed = new Set<number>();
  for (const alternative of toPep440Alternatives(spec)) {
    if (alternative === '') {
      STDLIB_VERSIONS.forEach((m) => allowed.add(m));
      continue;
    }
    if (!validRange(alternative)) continue;
    for (const minor of STDLIB_VERSIONS) {
      // Patch releases can only matter when the spec names this minor (`>3.11`, `==3.11.4`, `!=3.11.0`).
      const mentioned = new RegExp(`(^|[^\\d.])3\\.${minor}(?!\\d)`).test(alternative);
      const lastPatch = mentioned ? MAX_PATCH : 0;
      for (let patch = 0; patch <= lastPatch; patch++) {
        if (satisfies(`3.${minor}.${patch}`, alternative)) {
          allowed.add(minor);
          break;
        }
      }
    }
  }
  const result = allowed.size === 0 ? [DEFAULT_STDLIB_MINOR] : [...allowed].sort((a, b) => a - b);
  minorsCache.set(spec, result);
  return [...result];
}

/**
 * True when the top-level segment of the dotted `module` (`os.path` → `os`) is a standard-library module in
 * ANY of the given minors: code that supports 3.8–3.12 may import `distutils`. An empty `minors` means the
 * default (`[14]`). Relative imports are the caller's business; `''` is never stdlib.
 */
export function isStdlibModule(module: string, minors: number[]): boolean {
  const top = module.split('.')[0] ?? '';
  if (top === '') return false;
  const wanted = minors.length === 0 ? [DEFAULT_STDLIB_MINOR] : minors;
  return wanted.some((m) => STDLIB_VERSIONS.includes(m) && stdlibSet(m).has(top));
}
