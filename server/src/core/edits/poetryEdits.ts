/**
 * Edits of the Poetry side of a pyproject.toml for the quick fixes, after the Poetry docs ("The pyproject.toml
 * file", "Dependency specification", "Managing dependencies > Dependency groups"): entries `name = "spec"` or
 * `name = { ... }` in `[tool.poetry.dependencies]`, `[tool.poetry.group.<g>.dependencies]` and the legacy
 * `[tool.poetry.dev-dependencies]`; plus the conversions between PEP 508 strings and Poetry specs.
 */
import { isValidSpecifier, normalizeName, parseRequirement } from '../manifests/pep508';
import { isTable } from '../manifests/pyprojectContext';
import type { TomlPath } from '../manifests/tomlPositions';
import type { Step } from './textEdit';
import type { TomlDoc } from './tomlEdits';
import { addKeyToTable, createTable, quoteOf, removeKeyFromTable, tomlKey, tomlString, valueAt, valueSpan } from './tomlEdits';

/** `[tool.poetry.dependencies]`. */
export const POETRY_MAIN: TomlPath = ['tool', 'poetry', 'dependencies'];

/** True when the file has a `[tool.poetry]` table. */
export function hasPoetryTable(doc: TomlDoc): boolean {
  return isTable(valueAt(doc, ['tool', 'poetry']));
}

/** The key of the table at `table` whose PEP 503 name is `normalized` (never `python`), if any. */
export function poetryKeyOf(doc: TomlDoc, table: TomlPath, normalized: string): string | undefined {
  const t = valueAt(doc, table);
  if (!isTable(t)) return undefined;
  return Object.keys(t).find((k) => k.toLowerCase() !== 'python' && normalizeName(k) === normalized);
}

/** The Poetry development tables that exist: legacy `dev-dependencies`, then every `group.<g>.dependencies`. */
export function poetryDevTables(doc: TomlDoc): TomlPath[] {
  const out: TomlPath[] = [];
  if (isTable(valueAt(doc, ['tool', 'poetry', 'dev-dependencies']))) out.push(['tool', 'poetry', 'dev-dependencies']);
  const groups = valueAt(doc, ['tool', 'poetry', 'group']);
  for (const g of isTable(groups) ? Object.keys(groups) : []) {
    if (isTable(valueAt(doc, ['tool', 'poetry', 'group', g, 'dependencies']))) out.push(['tool', 'poetry', 'group', g, 'dependencies']);
  }
  return out;
}

/** The table a Poetry dev dependency goes to: group `group` (default `dev`), or the legacy table when no group was asked and it exists. */
export function poetryDevTarget(doc: TomlDoc, group: string | undefined): TomlPath {
  const legacy: TomlPath = ['tool', 'poetry', 'dev-dependencies'];
  if (group === undefined && isTable(valueAt(doc, legacy)) && !isTable(valueAt(doc, ['tool', 'poetry', 'group', 'dev']))) return legacy;
  return ['tool', 'poetry', 'group', group ?? 'dev', 'dependencies'];
}

/** The quote character of the table's first string value (`"` when it has none). */
export function poetryQuote(doc: TomlDoc, table: TomlPath): string {
  const t = valueAt(doc, table);
  const spans = Object.keys(isTable(t) ? t : {})
    .map((k) => valueSpan(doc, [...table, k]))
    .filter((s) => s !== undefined);
  return quoteOf(doc.text, spans);
}

/**
 * Adds `name = value` (`value` is TOML text) to the Poetry table at `table`: in sorted position when the keys
 * other than `python` are sorted case-insensitively, else after the last entry; the `[header]` table is created
 * after the other `[tool.poetry...]` tables when missing.
 */
export function addPoetryDependency(doc: TomlDoc, table: TomlPath, name: string, value: string): Step {
  const key = tomlKey(name);
  if (valueAt(doc, table) === undefined) {
    return createTable(doc, table.map((s) => tomlKey(String(s))).join('.'), [`${key} = ${value}`], [['tool', 'poetry']]);
  }
  const sortKey = { of: (k: string) => (k.toLowerCase() === 'python' ? undefined : normalizeName(k)), key: normalizeName(name) };
  return addKeyToTable(doc, table, key, value, sortKey);
}

/** Removes the entry named `normalized` from the Poetry table at `table` (`ok` with no edits when absent). */
export function removePoetryDependency(doc: TomlDoc, table: TomlPath, normalized: string): Step {
  const key = poetryKeyOf(doc, table, normalized);
  return key === undefined ? { ok: true, edits: [] } : removeKeyFromTable(doc, table, key);
}

/**
 * A PEP 508 string as a Poetry dependency value (TOML text): `"*"` for a bare name, `">=1.2,<2"` for a
 * specifier, else an inline table with `version`, `extras`, `markers`, or `git` (+ `rev`) / `path` / `url` for
 * a direct reference. `undefined` when the string does not parse.
 */
export function pep508ToPoetry(requirement: string, quote: string): string | undefined {
  const parsed = parseRequirement(requirement);
  if (!parsed.ok) return undefined;
  const r = parsed.requirement;
  const s = (v: string): string => tomlString(v, quote);
  if (r.url === undefined && r.extras.length === 0 && r.marker === undefined) return s(r.specifier || '*');
  const fields: string[] = [];
  if (r.url !== undefined) {
    if (r.url.startsWith('git+')) {
      const url = r.url.slice(4);
      const at = url.lastIndexOf('@');
      const rev = at > url.lastIndexOf('/') ? url.slice(at + 1) : undefined;
      fields.push(`git = ${s(rev === undefined ? url : url.slice(0, at))}`);
      if (rev !== undefined) fields.push(`rev = ${s(rev)}`);
    } else if (r.url.startsWith('file:')) fields.push(`path = ${s(r.url.replace(/^file:(\/\/)?/, ''))}`);
    else fields.push(`url = ${s(r.url)}`);
  } else fields.push(`version = ${s(r.specifier || '*')}`);
  if (r.extras.length > 0) fields.push(`extras = [${r.extras.map(s).join(', ')}]`);
  if (r.marker !== undefined) fields.push(`markers = ${s(r.marker)}`);
  return `{ ${fields.join(', ')} }`;
}

/**
 * A Poetry dependency (`name` and its parsed value) as a PEP 508 string, converting Poetry constraints
 * (`^1.2` → `>=1.2,<2`, `~1.2.3` → `>=1.2.3,<1.3`, `1.2` → `==1.2`, `*` → none). `undefined` when it has no
 * PEP 508 equivalent here (path/git/url/source tables, `||` alternatives, lists of constraints, `python` limits).
 */
export function poetryToPep508(name: string, value: unknown): string | undefined {
  if (typeof value === 'string') {
    const spec = poetryConstraint(value);
    return spec === undefined ? undefined : `${name}${spec}`;
  }
  if (!isTable(value)) return undefined;
  const known = new Set(['version', 'extras', 'markers']);
  if (Object.keys(value).some((k) => !known.has(k))) return undefined;
  const spec = typeof value.version === 'string' ? poetryConstraint(value.version) : value.version === undefined ? '' : undefined;
  if (spec === undefined) return undefined;
  const extras = Array.isArray(value.extras) && value.extras.every((e) => typeof e === 'string') ? value.extras : [];
  const marker = typeof value.markers === 'string' ? `; ${value.markers}` : '';
  return `${name}${extras.length > 0 ? `[${extras.join(',')}]` : ''}${spec}${marker}`;
}

/** A Poetry constraint string as a PEP 440 specifier set (`''` for any version), `undefined` when it cannot be. */
function poetryConstraint(text: string): string | undefined {
  const t = text.trim();
  if (t === '' || t === '*') return '';
  if (t.includes('||')) return undefined;
  const out: string[] = [];
  for (const part of t.split(',')) {
    const m = /^(\^|~=|~|===|==|!=|>=|<=|>|<|=)?\s*([^\s,]+)$/.exec(part.trim());
    if (!m) return undefined;
    const [, op = '', v] = m;
    if (op === '^' || op === '~') {
      if (!/^\d+(\.\d+)*$/.test(v)) return undefined;
      const nums = v.split('.').map(Number);
      let idx = op === '~' ? Math.min(1, nums.length - 1) : nums.findIndex((n) => n !== 0);
      if (idx < 0) idx = nums.length - 1;
      const upper = [...nums.slice(0, idx), nums[idx] + 1].join('.');
      out.push(`>=${v}`, `<${upper}`);
    } else if (op === '' || op === '=') out.push(`==${v}`);
    else out.push(`${op}${v}`);
  }
  const spec = out.join(',');
  return isValidSpecifier(spec) ? spec : undefined;
}
