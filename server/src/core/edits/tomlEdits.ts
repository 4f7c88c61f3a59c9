/**
 * Format-preserving edits of a TOML document (https://toml.io/en/v1.0.0), for the manifest quick fixes.
 *
 * Nothing here re-serializes a document: values come from smol-toml only to decide *what* to change, positions
 * come from `tomlPositions.ts`, and every change is a small `OffsetEdit` at an insertion point found in the raw
 * text. New text follows the file: its line ends (LF or CRLF), the indentation and quote character of the
 * neighbouring entries, trailing commas when the neighbours have them.
 */
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };
import type { Range } from '../model';
import type { TomlTable } from '../manifests/pyprojectContext';
import { isTable } from '../manifests/pyprojectContext';
import type { TomlPath, TomlPositions } from '../manifests/tomlPositions';
import { indexTomlPositions } from '../manifests/tomlPositions';
import type { OffsetEdit, Step } from './textEdit';

// smol-toml's types are ESM while this package compiles to CommonJS: see pyproject.ts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const smol: typeof SmolToml = require('smol-toml');

/** A TOML document ready for editing: text, parsed value, position index, and the file's style. */
export interface TomlDoc {
  text: string;
  root: TomlTable;
  pos: TomlPositions;
  /** Offsets where lines start, counting `\n` only (the `tomlPositions` convention). */
  lineStarts: number[];
  /** The file's line end: `\r\n` when its first line end is one, else `\n`. */
  nl: string;
  /** One level of indentation as the file writes it: its first indented line's leading tab, else four spaces. */
  indentUnit: string;
}

/** A `[start, end)` span of offsets. */
export interface Span {
  start: number;
  end: number;
}

/** Parses `text` for editing; a TOML syntax error becomes a reason naming its 1-based line. */
export function readToml(text: string): { ok: true; doc: TomlDoc } | { ok: false; reason: string } {
  let root: TomlTable;
  try {
    root = smol.parse(text);
  } catch (e) {
    const where = e instanceof smol.TomlError ? ` at line ${e.line}` : '';
    const what = e instanceof Error ? e.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '') : String(e);
    return { ok: false, reason: `the file has a TOML syntax error${where} (${what}); fix it first` };
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const firstEnd = text.indexOf('\n');
  const nl = firstEnd > 0 && text[firstEnd - 1] === '\r' ? '\r\n' : '\n';
  const indented = /^([ \t]+)\S/m.exec(text);
  const indentUnit = indented?.[1].startsWith('\t') ? '\t' : '    ';
  return { ok: true, doc: { text, root, pos: indexTomlPositions(text), lineStarts, nl, indentUnit } };
}

/** True when `text` parses as TOML (the last check before an edit is offered). */
export function parsesAsToml(text: string): { ok: true } | { ok: false; reason: string } {
  const r = readToml(text);
  return r.ok ? { ok: true } : r;
}

/** The value at `path` in the parsed document (`undefined` when any step is missing). */
export function valueAt(doc: TomlDoc, path: TomlPath): unknown {
  let v: unknown = doc.root;
  for (const seg of path) {
    if (typeof seg === 'number') v = Array.isArray(v) ? v[seg] : undefined;
    else v = isTable(v) ? v[seg] : undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

function spanOf(doc: TomlDoc, range: Range | undefined): Span | undefined {
  if (!range) return undefined;
  const at = (line: number, character: number): number => (doc.lineStarts[line] ?? doc.text.length) + character;
  return { start: at(range.start.line, range.start.character), end: at(range.end.line, range.end.character) };
}

/** Offsets of the value at `path` (see `TomlPositions.valueRange`). */
export const valueSpan = (doc: TomlDoc, path: TomlPath): Span | undefined => spanOf(doc, doc.pos.valueRange(path));
/** Offsets of the `[header]` of the table at `path`. */
export const headerSpan = (doc: TomlDoc, path: TomlPath): Span | undefined => spanOf(doc, doc.pos.tableHeaderRange(path));
/** Offsets of the whole `key = value` entry at `path`. */
export const entrySpan = (doc: TomlDoc, path: TomlPath): Span | undefined => spanOf(doc, doc.pos.entryRange(path));

// --- line helpers over raw offsets -----------------------------------------------------------------------

/** The offset where the line holding `at` starts. */
export function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** The offset where the line holding `at` ends (before its `\r\n` or `\n`; the text's end on the last line). */
export function lineEndOf(text: string, at: number): number {
  const n = text.indexOf('\n', at);
  if (n < 0) return text.length;
  return n > 0 && text[n - 1] === '\r' ? n - 1 : n;
}

/** The offset after the line end that follows `at` (the text's end on the last line). */
export function nextLineStart(text: string, at: number): number {
  const n = text.indexOf('\n', at);
  return n < 0 ? text.length : n + 1;
}

/** The whitespace before `at` on its line when only whitespace precedes it there, else `undefined`. */
export function indentBefore(text: string, at: number): string | undefined {
  const before = text.slice(lineStartOf(text, at), at);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/** What follows an array or inline-table item: its separating comma, and whether a line end (or comment) comes next. */
interface After {
  comma?: number;
  lineBreak: boolean;
}

function scanAfter(text: string, at: number): After {
  let i = at;
  const skip = (): void => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  skip();
  const out: After = { lineBreak: false };
  if (text[i] === ',') {
    out.comma = i;
    i++;
    skip();
  }
  out.lineBreak = text[i] === '#' || text[i] === '\n' || text[i] === '\r' || i >= text.length;
  return out;
}

const sameLine = (text: string, a: number, b: number): boolean => !text.slice(Math.min(a, b), Math.max(a, b)).includes('\n');

// --- values ------------------------------------------------------------------------------------------------

const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * `value` as a TOML string: a literal string (`'...'`) when `quote` is `'` and the value allows it (no `'`, no
 * control characters), else a basic string with `\\`, `"` and control characters escaped.
 */
export function tomlString(value: string, quote: string): string {
  if (quote === "'" && !value.includes("'") && !CONTROL.test(value)) return `'${value}'`;
  const esc: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };
  const body = value.replace(/["\\\u0000-\u001f\u007f]/g, (c) => esc[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${body}"`;
}

/** `name` as a TOML key: bare when it is `[A-Za-z0-9_-]+`, else quoted (`"zope.interface"`). */
export function tomlKey(name: string): string {
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : tomlString(name, '"');
}

/** The quote character of the first string among `spans` (`"` when none starts with a quote). */
export function quoteOf(text: string, spans: Span[]): string {
  for (const s of spans) if (text[s.start] === "'" || text[s.start] === '"') return text[s.start];
  return '"';
}

// --- arrays ------------------------------------------------------------------------------------------------

/** An array value: the offsets of its `[` and `]`, its elements' spans and parsed values. */
export interface ArrayInfo {
  open: number;
  close: number;
  items: Span[];
  values: unknown[];
}

/** The array at `path` with every element located; `undefined` when it is not an array or was not fully indexed. */
export function arrayInfo(doc: TomlDoc, path: TomlPath): ArrayInfo | undefined {
  const v = valueAt(doc, path);
  const span = valueSpan(doc, path);
  if (!Array.isArray(v) || !span || doc.text[span.start] !== '[') return undefined;
  const items: Span[] = [];
  for (let i = 0; i < v.length; i++) {
    const s = valueSpan(doc, [...path, i]);
    if (!s) return undefined;
    items.push(s);
  }
  return { open: span.start, close: span.end - 1, items, values: v };
}

/**
 * Adds the element `element` (TOML text, already quoted) to the array at `path`, following the array's style:
 * `[]` becomes `[element]`; when the last element is followed by `]` on its line, `, element` goes after it;
 * otherwise a new line with the elements' indentation, and a trailing comma when the last element has one (a
 * missing comma after the last element is added). With `sortKey`, when every element has a key and the keys are
 * in order (at least two), a multi-line array gets the element in sorted position.
 */
export function appendToArray(doc: TomlDoc, path: TomlPath, element: string, sortKey?: { of: (v: unknown) => string | undefined; key: string }): Step {
  const a = arrayInfo(doc, path);
  if (!a) return { ok: false, reason: `could not locate the array \`${path.join('.')}\` in the file` };
  const { text, nl } = doc;
  if (a.items.length === 0) {
    const inner = text.slice(a.open + 1, a.close);
    if (!inner.includes('\n')) return { ok: true, edits: [{ start: a.open + 1, end: a.close, newText: element }] };
    const commentIndent = /\n([ \t]*)#/.exec(inner)?.[1];
    const indent = commentIndent ?? (indentBefore(text, a.open) ?? '') + doc.indentUnit;
    const at = lineStartOf(text, a.close);
    return { ok: true, edits: [{ start: at, end: at, newText: `${indent}${element},${nl}` }] };
  }
  const last = a.items[a.items.length - 1];
  const after = scanAfter(text, last.end);
  if (!after.lineBreak) return { ok: true, edits: [{ start: last.end, end: last.end, newText: `, ${element}` }] };

  if (sortKey && a.items.length >= 2) {
    const keys = a.values.map(sortKey.of);
    const sorted = keys.every((k, i) => k !== undefined && (i === 0 || (keys[i - 1] ?? '') <= k));
    const j = sorted ? keys.findIndex((k) => (k ?? '') > sortKey.key) : -1;
    if (j >= 0) {
      const target = a.items[j];
      const indent = indentBefore(text, target.start);
      if (indent !== undefined) {
        const at = lineStartOf(text, target.start);
        return { ok: true, edits: [{ start: at, end: at, newText: `${indent}${element},${nl}` }] };
      }
      return { ok: true, edits: [{ start: target.start, end: target.start, newText: `${element}, ` }] };
    }
  }
  const indent =
    indentBefore(text, last.start) ??
    a.items.map((s) => indentBefore(text, s.start)).find((s) => s !== undefined) ??
    (indentBefore(text, a.open) ?? '') + doc.indentUnit;
  const edits: OffsetEdit[] = [];
  if (after.comma === undefined) edits.push({ start: last.end, end: last.end, newText: ',' });
  const eol = lineEndOf(text, last.end);
  edits.push({ start: eol, end: eol, newText: `${nl}${indent}${element}${after.comma === undefined ? '' : ','}` });
  return { ok: true, edits };
}

/**
 * Edits that remove item `idx` of a bracketed list (`items` are array elements or inline-table entries, in
 * order) with its separator: an item alone on its line(s) goes with its line(s), comment included (and when it
 * was the last item without a trailing comma, the comma before it goes too); an item sharing a line goes with
 * the comma and spaces that tie it to its neighbour.
 */
export function removeItemEdits(text: string, items: Span[], idx: number): OffsetEdit[] {
  const it = items[idx];
  const prev = items[idx - 1];
  const next = items[idx + 1];
  const after = scanAfter(text, it.end);
  if (indentBefore(text, it.start) !== undefined && after.lineBreak) {
    const edits: OffsetEdit[] = [{ start: lineStartOf(text, it.start), end: nextLineStart(text, it.end), newText: '' }];
    if (after.comma === undefined && prev && !next) {
      const pc = scanAfter(text, prev.end).comma;
      if (pc !== undefined) edits.unshift({ start: pc, end: pc + 1, newText: '' });
    }
    return edits;
  }
  if (prev && sameLine(text, prev.end, it.start)) return [{ start: prev.end, end: it.end, newText: '' }];
  if (next) {
    if (sameLine(text, it.end, next.start)) return [{ start: it.start, end: next.start, newText: '' }];
    let end = after.comma === undefined ? it.end : after.comma + 1;
    while (text[end] === ' ' || text[end] === '\t') end++;
    return [{ start: it.start, end, newText: '' }];
  }
  if (prev) return [{ start: prev.end, end: it.end, newText: '' }];
  return [{ start: it.start, end: after.comma === undefined ? it.end : after.comma + 1, newText: '' }];
}

/**
 * Removes the first element of the array at `path` for which `matches` holds; `ok` with no edits when none does
 * (or when there is no such array).
 */
export function removeFromArray(doc: TomlDoc, path: TomlPath, matches: (v: unknown) => boolean): Step {
  if (valueAt(doc, path) === undefined) return { ok: true, edits: [] };
  const a = arrayInfo(doc, path);
  if (!a) return { ok: false, reason: `could not locate the elements of \`${path.join('.')}\` in the file` };
  const idx = a.values.findIndex(matches);
  return { ok: true, edits: idx < 0 ? [] : removeItemEdits(doc.text, a.items, idx) };
}

// --- tables ------------------------------------------------------------------------------------------------

/** The table's `key = value` entries located as spans, in file order (sub-tables and dotted prefixes left out). */
function tableEntries(doc: TomlDoc, path: TomlPath): { key: string; span: Span }[] | undefined {
  const t = valueAt(doc, path);
  if (!isTable(t)) return undefined;
  const out: { key: string; span: Span }[] = [];
  for (const key of Object.keys(t)) {
    // Sub-tables with their own `[header]` and dotted-key prefixes are not entries of this table's region.
    const span = headerSpan(doc, [...path, key]) ? undefined : entrySpan(doc, [...path, key]);
    if (span) out.push({ key, span });
  }
  return out.sort((x, y) => x.span.start - y.span.start);
}

/**
 * Adds `key = value` (TOML texts) to the table at `path`: a `[header]` table gets a new line after its last
 * entry (with that entry's indentation), or in sorted position when `sortKey` is given and the keys it ranks are
 * in order; an inline table gets `, key = value` before its `}`. Fails for tables defined by dotted keys only.
 */
export function addKeyToTable(doc: TomlDoc, path: TomlPath, key: string, value: string, sortKey?: { of: (k: string) => string | undefined; key: string }): Step {
  const { text, nl } = doc;
  const entry = `${key} = ${value}`;
  const header = headerSpan(doc, path);
  const region = valueSpan(doc, path);
  if (!region) return { ok: false, reason: `could not locate the table \`${path.join('.')}\` in the file` };
  if (!header) {
    if (text[region.start] !== '{') return { ok: false, reason: `\`${path.join('.')}\` is written with dotted keys; add \`${entry}\` by hand` };
    return addToInlineTable(text, region, entry);
  }
  const entries = tableEntries(doc, path)?.filter((e) => e.span.start >= header.end && e.span.end <= region.end);
  if (sortKey && entries && entries.length >= 2) {
    const ranked = entries.map((e) => ({ e, k: sortKey.of(e.key) })).filter((x) => x.k !== undefined);
    const sorted = ranked.length >= 2 && ranked.every((x, i) => i === 0 || (ranked[i - 1].k ?? '') <= (x.k ?? ''));
    const target = sorted ? ranked.find((x) => (x.k ?? '') > sortKey.key) : undefined;
    const indent = target && indentBefore(text, target.e.span.start);
    if (target && indent !== undefined) {
      const at = lineStartOf(text, target.e.span.start);
      return { ok: true, edits: [{ start: at, end: at, newText: `${indent}${entry}${nl}` }] };
    }
  }
  const lastStart = entries?.[entries.length - 1]?.span.start ?? region.end;
  const indent = region.end > header.end ? (/^[ \t]*/.exec(text.slice(lineStartOf(text, lastStart)))?.[0] ?? '') : '';
  const eol = lineEndOf(text, region.end);
  return { ok: true, edits: [{ start: eol, end: eol, newText: `${nl}${indent}${entry}` }] };
}

function addToInlineTable(text: string, span: Span, entry: string): Step {
  const close = span.end - 1;
  let j = close - 1;
  while (j > span.start && /\s/.test(text[j])) j--;
  if (text.slice(span.start, close).includes('#')) return { ok: false, reason: 'the inline table has comments; add the entry by hand' };
  if (j === span.start) return { ok: true, edits: [{ start: span.start + 1, end: close, newText: ` ${entry} ` }] };
  if (text[j] === ',') return { ok: true, edits: [{ start: j + 1, end: j + 1, newText: ` ${entry},` }] };
  return { ok: true, edits: [{ start: j + 1, end: j + 1, newText: `, ${entry}` }] };
}

/**
 * Removes the entry `key` from the table at `path` (`ok` with no edits when it is absent): in a `[header]` table
 * its line(s) with any comment on them; in an inline table the entry with its comma. Fails for an entry that is
 * itself a `[table]` (Poetry's `[tool.poetry.dependencies.x]` form).
 */
export function removeKeyFromTable(doc: TomlDoc, path: TomlPath, key: string): Step {
  const t = valueAt(doc, path);
  if (!isTable(t) || t[key] === undefined) return { ok: true, edits: [] };
  const where = `\`${[...path, key].join('.')}\``;
  if (headerSpan(doc, [...path, key])) return { ok: false, reason: `${where} is written as a [table]; remove it by hand` };
  const span = entrySpan(doc, [...path, key]);
  if (!span) return { ok: false, reason: `could not locate ${where} in the file` };
  if (!headerSpan(doc, path)) {
    const entries = tableEntries(doc, path);
    const idx = entries?.findIndex((e) => e.key === key) ?? -1;
    const region = valueSpan(doc, path);
    if (!entries || idx < 0 || !region || doc.text[region.start] !== '{') return { ok: false, reason: `${where} is written with dotted keys; remove it by hand` };
    return { ok: true, edits: removeItemEdits(doc.text, entries.map((e) => e.span), idx) };
  }
  const { text } = doc;
  if (indentBefore(text, span.start) === undefined || !scanAfter(text, span.end).lineBreak) {
    return { ok: false, reason: `could not isolate the line of ${where}` };
  }
  return { ok: true, edits: [{ start: lineStartOf(text, span.start), end: nextLineStart(text, span.end), newText: '' }] };
}

/** The end offset of the last `[header]` table at or under `prefix` (its last entry, or its header), if any. */
export function lastTableEnd(doc: TomlDoc, prefix: TomlPath): number | undefined {
  let best: number | undefined;
  const visit = (path: TomlPath, v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach((el: unknown, i) => visit([...path, i], el));
      return;
    }
    if (!isTable(v)) return;
    if (headerSpan(doc, path)) {
      const end = valueSpan(doc, path)?.end;
      if (end !== undefined && (best === undefined || end > best)) best = end;
    }
    for (const [k, child] of Object.entries(v)) visit([...path, k], child);
  };
  visit(prefix, valueAt(doc, prefix));
  return best;
}

/**
 * Inserts a new `[header]` table holding `lines`: after the last table under the first of `after` that has
 * one, else at the end of the file; separated from what precedes it by a blank line.
 */
export function createTable(doc: TomlDoc, header: string, lines: string[], after: TomlPath[]): Step {
  const { text, nl } = doc;
  const body = `[${header}]${nl}${lines.join(nl)}`;
  for (const prefix of after) {
    const end = lastTableEnd(doc, prefix);
    if (end === undefined) continue;
    const eol = lineEndOf(text, end);
    return { ok: true, edits: [{ start: eol, end: eol, newText: `${nl}${nl}${body}` }] };
  }
  if (text.trim() === '') return { ok: true, edits: [{ start: text.length, end: text.length, newText: `${body}${nl}` }] };
  const endsWithNl = text.endsWith('\n');
  const lead = endsWithNl ? (/\n[ \t]*\r?\n$/.test(text) ? '' : nl) : `${nl}${nl}`;
  return { ok: true, edits: [{ start: text.length, end: text.length, newText: `${lead}${body}${endsWithNl ? nl : ''}` }] };
}
