/**
 * PEP 508 dependency specifiers and PEP 503 name normalization.
 *
 * `parseRequirement` accepts the forms the PEP allows — `name[extras] specifier ; marker` and
 * `name[extras] @ url ; marker` — and reports the first problem with the character offset it sits at.
 * Specifier sets are validated with `@renovatebot/pep440` (PEP 440), not by hand.
 */
import { validRange } from '@renovatebot/pep440';

/** A parsed PEP 508 requirement. `specifier` has its spaces removed (`>=1.0,<2`); `''` when absent. */
export interface Pep508Requirement {
  name: string;
  normalized: string;
  extras: string[];
  specifier: string;
  url?: string;
  marker?: string;
}

/** Result of `parseRequirement`: the requirement, or a message and the 0-based offset in the input where it failed. */
export type Pep508Result = { ok: true; requirement: Pep508Requirement } | { ok: false; message: string; offset: number };

/** PEP 503: lowercase, runs of `-`, `_`, `.` become one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;

/** True when `text` is a valid PEP 508 distribution name. */
export function isValidName(text: string): boolean {
  const m = NAME.exec(text);
  return m !== null && m[0].length === text.length;
}

const specifierCache = new Map<string, boolean>();

/**
 * True when `spec` (e.g. `>=1.0, <2`) is a valid PEP 440 specifier set; `''` is valid (any version). Results are
 * memoized: monorepos repeat the same few specifiers thousands of times and the PEP 440 pattern is costly.
 */
export function isValidSpecifier(spec: string): boolean {
  const s = spec.trim();
  if (s === '') return true;
  let ok = specifierCache.get(s);
  if (ok === undefined) {
    ok = validRange(s);
    if (specifierCache.size > 50_000) specifierCache.clear();
    specifierCache.set(s, ok);
  }
  return ok;
}

/**
 * Parses one PEP 508 requirement string.
 *
 * Errors: an invalid or missing name, an unclosed `[` or `(`, an invalid specifier (for example a template
 * placeholder such as `pkg=={{ version }}`), an empty URL after `@`, or an empty marker after `;`.
 */
export function parseRequirement(input: string): Pep508Result {
  let i = 0;
  const skipWs = (): void => {
    while (i < input.length && (input[i] === ' ' || input[i] === '\t')) i++;
  };
  skipWs();
  const nameMatch = NAME.exec(input.slice(i));
  if (!nameMatch) return { ok: false, message: `expected a distribution name, found '${input.slice(i, i + 20)}'`, offset: i };
  const name = nameMatch[0];
  i += name.length;
  skipWs();

  const extras: string[] = [];
  if (input[i] === '[') {
    const close = input.indexOf(']', i);
    if (close < 0) return { ok: false, message: "unclosed '[' in extras", offset: i };
    const inner = input.slice(i + 1, close).trim();
    if (inner !== '') {
      for (const part of inner.split(',')) {
        const extra = part.trim();
        if (!isValidName(extra)) return { ok: false, message: `invalid extra name '${extra}'`, offset: i + 1 };
        extras.push(extra);
      }
    }
    i = close + 1;
    skipWs();
  }

  let url: string | undefined;
  let specifier = '';
  const semicolon = findMarkerStart(input, i);
  const body = input.slice(i, semicolon < 0 ? input.length : semicolon);
  if (body.trimStart().startsWith('@')) {
    url = body.trim().slice(1).trim();
    if (url === '') return { ok: false, message: "expected a URL after '@'", offset: i };
  } else {
    let spec = body.trim();
    if (spec.startsWith('(')) {
      if (!spec.endsWith(')')) return { ok: false, message: "unclosed '(' in version specifier", offset: i };
      spec = spec.slice(1, -1).trim();
    }
    if (spec !== '' && !isValidSpecifier(spec)) {
      return { ok: false, message: `invalid version specifier '${spec}'`, offset: i + body.indexOf(spec.charAt(0)) };
    }
    specifier = spec.replace(/\s+/g, '');
  }

  let marker: string | undefined;
  if (semicolon >= 0) {
    marker = input.slice(semicolon + 1).trim();
    if (marker === '') return { ok: false, message: "expected an environment marker after ';'", offset: semicolon };
  }
  return { ok: true, requirement: { name, normalized: normalizeName(name), extras, specifier, url, marker } };
}

/** The `;` that starts the marker: for URL requirements PEP 508 requires whitespace before it. */
function findMarkerStart(input: string, from: number): number {
  const rest = input.slice(from);
  if (rest.trimStart().startsWith('@')) {
    const m = /\s;/.exec(rest);
    return m ? from + m.index + 1 : -1;
  }
  const idx = rest.indexOf(';');
  return idx < 0 ? -1 : from + idx;
}
