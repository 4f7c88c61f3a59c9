/**
 * Shared plumbing of the pyproject.toml readers (`pyproject.ts`, `pyprojectPoetry.ts`, `pyprojectUv.ts`,
 * `pyprojectGroups.ts`, `pyprojectLayout.ts`): the reading context, located problems, small type validators over
 * smol-toml values, and the PEP 508 string → `DeclaredRequirement` step.
 *
 * Values come from smol-toml; positions from `tomlPositions.ts`. Nothing here throws.
 */
import * as nodePath from 'node:path';
import type { DeclaredRequirement, DependencyKind, ManifestProblem, Range, RequirementSource } from '../model';
import { FILE_START } from '../model';
import { normalizeName, parseRequirement } from './pep508';
import type { TomlPath, TomlPositions } from './tomlPositions';

/** A TOML table as smol-toml returns it (null-prototype object). */
export type TomlTable = Record<string, unknown>;

/** What every reader needs: the manifest's absolute path and folder, the position index, the problem sink. */
export interface ReadContext {
  file: string;
  dir: string;
  pos: TomlPositions;
  problems: ManifestProblem[];
}

/** True for a TOML table (not an array, not a date). */
export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Names a TOML value's type for messages: `a string`, `an array`, `a table`, `an integer`, ... */
export function describe(v: unknown): string {
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)})`;
  if (typeof v === 'boolean') return `a boolean (${v})`;
  if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(Number(v)) ? `an integer (${v})` : `a float (${v})`;
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  if (isTable(v)) return 'a table';
  return 'an unknown value';
}

/** Writes a path the way a user reads it: `project.optional-dependencies.dev[2]`, quoting keys that need it. */
export function displayPath(path: TomlPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += (out === '' ? '' : '.') + (/^[A-Za-z0-9_-]+$/.test(seg) ? seg : JSON.stringify(seg));
  }
  return out;
}

/**
 * The best range for `path`: its value (or key, with `prefer = 'key'`), else the nearest recorded ancestor's
 * header, key or value, else the start of the file. Used so that every problem is located even when the
 * position index stopped early.
 */
export function locate(ctx: ReadContext, path: TomlPath, prefer: 'value' | 'key' = 'value'): Range {
  const first = prefer === 'key' ? ctx.pos.keyRange(path) : ctx.pos.valueRange(path);
  if (first) return first;
  for (let n = path.length; n > 0; n--) {
    const p = path.slice(0, n);
    const r = ctx.pos.keyRange(p) ?? ctx.pos.tableHeaderRange(p) ?? ctx.pos.valueRange(p);
    if (r) return r;
  }
  return FILE_START;
}

/** Records a problem located at `path` (see `locate`). */
export function report(ctx: ReadContext, path: TomlPath, message: string, prefer: 'value' | 'key' = 'value'): void {
  ctx.problems.push({ file: ctx.file, range: locate(ctx, path, prefer), message });
}

/** The table at `key` of `parent`, `undefined` when absent; reports a located problem when it is not a table. */
export function subTable(ctx: ReadContext, parent: TomlTable | undefined, key: string, path: TomlPath): TomlTable | undefined {
  const v = parent?.[key];
  if (v === undefined) return undefined;
  if (isTable(v)) return v;
  report(ctx, path, `\`${displayPath(path)}\` must be a table, found ${describe(v)}`);
  return undefined;
}

/** The string at `key`, `undefined` when absent; reports a located problem when it is not a string. */
export function optionalString(ctx: ReadContext, table: TomlTable | undefined, key: string, path: TomlPath): string | undefined {
  const v = table?.[key];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  report(ctx, path, `\`${displayPath(path)}\` must be a string, found ${describe(v)}`);
  return undefined;
}

/**
 * The strings of an array value with their paths; reports the value when it is not an array and each element
 * that is not a string. `what` names the expected content for the message (e.g. `PEP 508 strings`).
 */
export function stringElements(ctx: ReadContext, value: unknown, path: TomlPath, what: string): { text: string; path: TomlPath }[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report(ctx, path, `\`${displayPath(path)}\` must be an array of ${what}, found ${describe(value)}`);
    return [];
  }
  const out: { text: string; path: TomlPath }[] = [];
  value.forEach((el: unknown, i) => {
    const p = [...path, i];
    if (typeof el === 'string') out.push({ text: el, path: p });
    else report(ctx, p, `\`${displayPath(p)}\` must be a string, found ${describe(el)}`);
  });
  return out;
}

/** A table of string values (`[project.scripts]`); reports the table and each non-string value. */
export function stringTable(ctx: ReadContext, parent: TomlTable | undefined, key: string, path: TomlPath): Record<string, string> {
  const t = subTable(ctx, parent, key, path);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(t ?? {})) {
    if (typeof v === 'string') out[k] = v;
    else report(ctx, [...path, k], `\`${displayPath([...path, k])}\` must be a string, found ${describe(v)}`);
  }
  return out;
}

/** An absolute path for `p` written relative to the manifest's folder. */
export function resolvePath(ctx: ReadContext, p: string): string {
  return nodePath.resolve(ctx.dir, p);
}

/**
 * The source a PEP 508 direct reference names: `git+...` → git, `file:` URLs → an absolute path (PDM's
 * `${PROJECT_ROOT}` replaced by the manifest's folder), anything else → url.
 */
export function sourceFromUrl(ctx: ReadContext, url: string, editable = false): RequirementSource {
  if (url.startsWith('git+')) return { type: 'git', url };
  if (url.startsWith('file:')) {
    let p = url.replace(/^file:(\/\/)?/, '').replace(/^\/?\$\{PROJECT_ROOT\}/, ctx.dir);
    p = p.replace(/#.*$/, '');
    try {
      p = decodeURIComponent(p);
    } catch {
      // Keep the text as written: a stray `%` is not worth a problem here.
    }
    return { type: 'path', path: resolvePath(ctx, p), editable };
  }
  return { type: 'url', url };
}

/**
 * Turns one PEP 508 string (PEP 621 arrays, PEP 735 groups, uv and PDM dev dependencies) into a requirement
 * located at the string literal; `raw` is the string's value. PDM's editable form `-e file:///${PROJECT_ROOT}/x#egg=name`
 * (or `-e name @ file:///...`) gives an editable path source. An invalid string yields a located problem that
 * quotes the parser's reason, and `undefined`.
 */
export function pep508Requirement(
  ctx: ReadContext,
  text: string,
  path: TomlPath,
  kind: DependencyKind,
  group: string | undefined,
): DeclaredRequirement | undefined {
  const range = locate(ctx, path);
  const base = { kind, ...(group === undefined ? {} : { group }), file: ctx.file, range, raw: text };
  const editable = /^-e\s+/.exec(text);
  const body = editable ? text.slice(editable[0].length) : text;
  if (editable && !/^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/.test(body)) {
    // `-e <url-or-path>#egg=name`: the name (if any) comes from the egg fragment.
    const egg = /#egg=([A-Za-z0-9._-]+)/.exec(body);
    const name = egg ? egg[1] : '';
    const target = /^[a-z+]+:/.test(body) ? body : `file:${body}`;
    const source = sourceFromUrl(ctx, target, true);
    return { ...base, name, normalized: name === '' ? '' : normalizeName(name), specifier: '', extras: [], source };
  }
  const parsed = parseRequirement(body);
  if (!parsed.ok) {
    ctx.problems.push({
      file: ctx.file,
      range,
      message: `invalid PEP 508 requirement ${JSON.stringify(text)} in \`${displayPath(path)}\`: ${parsed.message} (at character ${parsed.offset + (text.length - body.length) + 1})`,
    });
    return undefined;
  }
  const r = parsed.requirement;
  const req: DeclaredRequirement = { ...base, name: r.name, normalized: r.normalized, specifier: r.specifier, extras: r.extras };
  if (r.marker !== undefined) req.marker = r.marker;
  if (r.url !== undefined) req.source = sourceFromUrl(ctx, r.url, editable !== null);
  return req;
}

/** `pep508Requirement` over every string of an array value (non-arrays and non-strings are reported). */
export function pep508List(ctx: ReadContext, value: unknown, path: TomlPath, kind: DependencyKind, group: string | undefined): DeclaredRequirement[] {
  const out: DeclaredRequirement[] = [];
  for (const el of stringElements(ctx, value, path, 'PEP 508 requirement strings')) {
    const req = pep508Requirement(ctx, el.text, el.path, kind, group);
    if (req) out.push(req);
  }
  return out;
}
