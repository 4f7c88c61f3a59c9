/**
 * Where things sit in a TOML document.
 *
 * smol-toml gives values but no positions, so this module walks the raw text once and records, for every key
 * path, the range of the key and the range of its value. It follows the TOML 1.0 syntax (https://toml.io/en/v1.0.0):
 * basic, literal and multi-line strings, comments, arrays spanning lines, inline tables (leniently across lines
 * and with a trailing comma, as TOML 1.1 and smol-toml allow), dotted and quoted keys, `[table]` and
 * `[[array.of.tables]]` headers, LF and CRLF line ends. It does not decode values: that is smol-toml's job.
 *
 * Paths: table and key names as strings, array indexes as numbers. `[[tool.uv.index]]` opens
 * `['tool', 'uv', 'index', 0]`, then `1`, ...; `dependencies = ["a", "b"]` under `[project]` records
 * `['project', 'dependencies', 0]` for the literal `"a"` (quotes included).
 *
 * Positions are 0-based lines and characters in UTF-16 code units (LSP convention); ranges are half-open and
 * never include a line's `\r`. On text it cannot follow (a syntax error) the indexer stops recording and keeps
 * what it found before; it never throws.
 */
import type { Position, Range } from '../model';

/** A key path: table/key names as strings, array indexes as numbers. */
export type TomlPath = (string | number)[];

/** Ranges found by `indexTomlPositions`; every query returns `undefined` for a path it did not record. */
export interface TomlPositions {
  /**
   * The value's range: a string literal with its quotes, an array from `[` to `]`, an inline table from `{` to `}`,
   * a scalar's text. For a table opened by a `[header]`: from the header's `[` to the end of the table's last
   * value (the header alone when the table is empty), which is where a new key is appended.
   */
  valueRange(path: TomlPath): Range | undefined;
  /** The key's range. For a dotted key `a.b.c = 1` the range of `a.b.c` for the full path and `a.b`, `a` for the prefixes. */
  keyRange(path: TomlPath): Range | undefined;
  /** The `[table]` or `[[array.of.tables]]` header, brackets included, of the table at `path`. */
  tableHeaderRange(path: TomlPath): Range | undefined;
  /** A whole `key = value` entry: from the key's start to the value's end (for header tables, as `valueRange`). */
  entryRange(path: TomlPath): Range | undefined;
  /** The document text inside `range`. */
  textOf(range: Range): string;
}

interface Span {
  start: number;
  end: number;
}

interface Entry {
  key?: Span;
  value?: Span;
  header?: Span;
}

interface KeySegment extends Span {
  name: string;
}

/** Internal: thrown to stop the walk at text the indexer cannot follow. Never escapes `indexTomlPositions`. */
class StopIndexing extends Error {}

const BARE_KEY = /[A-Za-z0-9_-]+/y;
const SCALAR = /[^\s,\]}#]+/y;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const TIME_AFTER_SPACE = / \d{2}:/y;

/**
 * Indexes the key and value ranges of a TOML document (see the module comment for the path and range shapes).
 * Never throws: at the first construct it cannot follow it stops and keeps the ranges recorded so far.
 */
export function indexTomlPositions(text: string): TomlPositions {
  const lineStarts = computeLineStarts(text);
  const entries = new Map<string, Entry>();
  try {
    new Walker(text, entries).run();
  } catch {
    // StopIndexing or an unexpected failure: keep what was recorded; smol-toml reports the syntax error.
  }
  const toRange = (span: Span | undefined): Range | undefined =>
    span && { start: positionAt(lineStarts, span.start), end: positionAt(lineStarts, span.end) };
  const get = (path: TomlPath): Entry | undefined => entries.get(pathKey(path));
  return {
    valueRange: (path) => toRange(get(path)?.value),
    keyRange: (path) => toRange(get(path)?.key),
    tableHeaderRange: (path) => toRange(get(path)?.header),
    entryRange: (path) => {
      const e = get(path);
      if (!e?.value) return undefined;
      const start = e.header ? e.header.start : (e.key?.start ?? e.value.start);
      return toRange({ start, end: e.value.end });
    },
    textOf: (range) => text.slice(offsetAt(lineStarts, range.start), offsetAt(lineStarts, range.end)),
  };
}

/** Offsets at which each line starts; a line ends at `\n` (a preceding `\r` stays on the line it ends). */
function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Converts a UTF-16 offset to a 0-based position; a position on a `\r` before `\n` is kept as is. */
function positionAt(lineStarts: number[], offset: number): Position {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - lineStarts[lo] };
}

function offsetAt(lineStarts: number[], pos: Position): number {
  const line = Math.max(0, Math.min(pos.line, lineStarts.length - 1));
  return lineStarts[line] + Math.max(0, pos.character);
}

function pathKey(path: TomlPath): string {
  return JSON.stringify(path);
}

/** One pass over the text; records into `entries`. Throws `StopIndexing` at the first thing it cannot follow. */
class Walker {
  private pos = 0;
  /** Current count of `[[x]]` blocks per resolved path (key: `pathKey`). */
  private readonly arrayTables = new Map<string, number>();
  /** The table opened by the last header, whose value span grows with each entry in it. */
  private currentTable: Entry | undefined;
  private currentPath: TomlPath = [];

  constructor(
    private readonly text: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  run(): void {
    // A byte order mark is not part of the document (smol-toml skips it too); it still counts as a column.
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    for (;;) {
      this.skipBlank(true);
      if (this.pos >= this.text.length) return;
      if (this.text[this.pos] === '[') this.header();
      else {
        const end = this.keyValue(this.currentPath);
        if (this.currentTable?.value) this.currentTable.value.end = end;
      }
      this.endOfLine();
    }
  }

  private entry(path: TomlPath): Entry {
    const k = pathKey(path);
    let e = this.entries.get(k);
    if (!e) {
      e = {};
      this.entries.set(k, e);
    }
    return e;
  }

  /** `[a.b]` or `[[a.b]]`: resolves array-of-tables indexes and records the header. */
  private header(): void {
    const start = this.pos;
    const isArray = this.text.startsWith('[[', this.pos);
    this.pos += isArray ? 2 : 1;
    this.skipBlank(false);
    const segments = this.key();
    this.skipBlank(false);
    const close = isArray ? ']]' : ']';
    if (!this.text.startsWith(close, this.pos)) throw new StopIndexing();
    this.pos += close.length;
    const path: TomlPath = [];
    segments.forEach((seg, i) => {
      path.push(seg.name);
      const k = pathKey(path);
      if (i === segments.length - 1 && isArray) {
        const count = (this.arrayTables.get(k) ?? 0) + 1;
        this.arrayTables.set(k, count);
        path.push(count - 1);
      } else {
        const count = this.arrayTables.get(k);
        if (count !== undefined) path.push(count - 1);
      }
    });
    const e = this.entry(path);
    const span = { start, end: this.pos };
    e.header = span;
    e.value = { ...span };
    e.key ??= { start: segments[0].start, end: segments[segments.length - 1].end };
    this.currentTable = e;
    this.currentPath = path;
  }

  /** `key = value` relative to `base`; records key and value spans and returns the value's end offset. */
  private keyValue(base: TomlPath): number {
    const segments = this.key();
    this.skipBlank(false);
    if (this.text[this.pos] !== '=') throw new StopIndexing();
    this.pos++;
    this.skipBlank(false);
    const path = [...base];
    segments.forEach((seg, i) => {
      path.push(seg.name);
      const e = this.entry(path);
      if (i === segments.length - 1 || !e.key) e.key = { start: segments[0].start, end: seg.end };
    });
    return this.value(path);
  }

  /** A bare, quoted or dotted key. */
  private key(): KeySegment[] {
    const segments: KeySegment[] = [];
    for (;;) {
      const start = this.pos;
      const c = this.text[this.pos];
      let name: string;
      if (c === '"' || c === "'") {
        if (this.text.startsWith(c.repeat(3), this.pos)) throw new StopIndexing();
        const end = this.string();
        const inner = this.text.slice(start + 1, end - 1);
        name = c === '"' ? decodeBasicEscapes(inner) : inner;
      } else {
        BARE_KEY.lastIndex = this.pos;
        const m = BARE_KEY.exec(this.text);
        if (!m) throw new StopIndexing();
        name = m[0];
        this.pos += name.length;
      }
      segments.push({ name, start, end: this.pos });
      const save = this.pos;
      this.skipBlank(false);
      if (this.text[this.pos] !== '.') {
        this.pos = save;
        return segments;
      }
      this.pos++;
      this.skipBlank(false);
    }
  }

  /** Any value at the cursor; records its span under `path` and returns its end offset. */
  private value(path: TomlPath): number {
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === '"' || c === "'") this.string();
    else if (c === '[') this.array(path);
    else if (c === '{') this.inlineTable(path);
    else this.scalar();
    this.entry(path).value = { start, end: this.pos };
    return this.pos;
  }

  private array(path: TomlPath): void {
    this.pos++;
    for (let index = 0; ; index++) {
      this.skipBlank(true);
      if (this.text[this.pos] === ']') break;
      this.value([...path, index]);
      this.skipBlank(true);
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] === ']') break;
      else throw new StopIndexing();
    }
    this.pos++;
  }

  private inlineTable(path: TomlPath): void {
    this.pos++;
    for (;;) {
      this.skipBlank(true);
      if (this.text[this.pos] === '}') break;
      this.keyValue(path);
      this.skipBlank(true);
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] === '}') break;
      else throw new StopIndexing();
    }
    this.pos++;
  }

  /** Numbers, booleans, dates and times (a date followed by ` HH:` continues as a date-time). */
  private scalar(): void {
    SCALAR.lastIndex = this.pos;
    const m = SCALAR.exec(this.text);
    if (!m) throw new StopIndexing();
    this.pos += m[0].length;
    TIME_AFTER_SPACE.lastIndex = this.pos;
    if (DATE_ONLY.test(m[0]) && TIME_AFTER_SPACE.test(this.text)) {
      SCALAR.lastIndex = this.pos + 1;
      const time = SCALAR.exec(this.text);
      if (time) this.pos += 1 + time[0].length;
    }
  }

  /** Skips a basic, literal or multi-line string at the cursor and returns the offset after its closing quote. */
  private string(): number {
    const q = this.text[this.pos];
    const t = this.text;
    if (t.startsWith(q.repeat(3), this.pos)) {
      let i = this.pos + 3;
      for (;;) {
        if (i >= t.length) throw new StopIndexing();
        if (q === '"' && t[i] === '\\') i += 2;
        else if (t.startsWith(q.repeat(3), i)) break;
        else i++;
      }
      // Up to two quotes may sit right before the closing delimiter (`""""a"""""` ends after all five).
      let end = i + 3;
      for (let extra = 0; extra < 2 && t[end] === q; extra++) end++;
      this.pos = end;
      return end;
    }
    let i = this.pos + 1;
    for (;;) {
      if (i >= t.length || t[i] === '\n' || t[i] === '\r') throw new StopIndexing();
      if (q === '"' && t[i] === '\\') i += 2;
      else if (t[i] === q) break;
      else i++;
    }
    this.pos = i + 1;
    return this.pos;
  }

  /** Skips spaces, tabs and comments; with `newlines` also line ends (inside arrays and between entries). */
  private skipBlank(newlines: boolean): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '#') {
        if (!newlines) return;
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      } else if (newlines && (c === '\n' || (c === '\r' && t[this.pos + 1] === '\n'))) this.pos++;
      else return;
    }
  }

  /** After an entry or header only a comment and the line end (or the end of the text) may follow. */
  private endOfLine(): void {
    const t = this.text;
    this.skipBlank(false);
    if (t[this.pos] === '#') while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
    if (this.pos >= t.length) return;
    if (t[this.pos] === '\r' && t[this.pos + 1] === '\n') this.pos += 2;
    else if (t[this.pos] === '\n') this.pos++;
    else throw new StopIndexing();
  }
}

/** Decodes the escapes of a TOML basic string (used for quoted keys only; values come from smol-toml). */
function decodeBasicEscapes(s: string): string {
  const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
  return s.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)/g, (all, esc: string) => {
    if (esc.length > 1) {
      const cp = parseInt(esc.slice(1), 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
    }
    return simple[esc] ?? all;
  });
}
