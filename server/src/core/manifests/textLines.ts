/**
 * Small text helpers shared by the line-oriented manifest parsers (requirements files, Dockerfiles).
 *
 * Positions follow the LSP convention of `model.ts`: 0-based lines, characters counted in UTF-16 code units
 * (which is what JavaScript string indices already count). Lines end at `\n`, `\r\n` or a lone `\r`, as in LSP,
 * so a CRLF file gives the same positions as its LF twin. A leading byte order mark is not part of line 0, as
 * in an editor buffer.
 */
import type { Position, Range } from '../model';

/** One physical line: its 0-based index and its text without the line terminator. */
export interface TextLine {
  line: number;
  text: string;
}

/** Splits `text` into lines at `\n`, `\r\n` and `\r` (LSP line ends); drops a leading BOM. Never empty. */
export function splitLines(text: string): TextLine[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.split(/\r\n|\r|\n/).map((t, i) => ({ line: i, text: t }));
}

/**
 * The position of `offset` (a UTF-16 index into `text`, as JavaScript strings count) in LSP terms: lines end at
 * `\n`, `\r\n` or `\r`, and a leading BOM takes no column. An offset inside a `\r\n` pair or past the end is
 * clamped to the end of its line / of the text.
 */
export function positionAt(text: string, offset: number): Position {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = Math.max(bom, Math.min(offset, text.length));
  let line = 0;
  let lineStart = bom;
  for (let i = bom; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  const character = end - lineStart - (text.charCodeAt(end - 1) === 13 && end > lineStart ? 1 : 0);
  return { line, character };
}

interface Segment {
  offset: number;
  line: number;
  character: number;
}

/**
 * A logical text assembled from pieces of physical lines (continuation lines joined, comments dropped), that
 * remembers where each piece came from so an offset in the joined text maps back to a file position.
 */
export class MappedText {
  private joined = '';
  private readonly segments: Segment[] = [];

  /** A mapped text holding one piece: `text` found at `line`, starting at `character`. */
  static of(text: string, line: number, character = 0): MappedText {
    const m = new MappedText();
    m.append(text, line, character);
    return m;
  }

  /** The joined text. */
  get text(): string {
    return this.joined;
  }

  /** Appends `piece`, which sits in the file at `line` from `character` (UTF-16). Empty pieces are ignored. */
  append(piece: string, line: number, character: number): void {
    if (piece === '') return;
    this.segments.push({ offset: this.joined.length, line, character });
    this.joined += piece;
  }

  /** The part `text[start, end)` as a new mapped text whose characters keep their file positions. */
  slice(start: number, end = this.joined.length): MappedText {
    const out = new MappedText();
    this.segments.forEach((seg, i) => {
      const segEnd = i + 1 < this.segments.length ? this.segments[i + 1].offset : this.joined.length;
      const a = Math.max(start, seg.offset);
      const b = Math.min(end, segEnd);
      if (a < b) out.append(this.joined.slice(a, b), seg.line, seg.character + (a - seg.offset));
    });
    return out;
  }

  /** The file position of the character at `offset` (`0 <= offset <= text.length`; the end maps past the last piece). */
  positionAt(offset: number): Position {
    const segs = this.segments;
    if (segs.length === 0) return { line: 0, character: 0 };
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].offset <= offset) lo = mid;
      else hi = mid - 1;
    }
    const seg = segs[lo];
    return { line: seg.line, character: seg.character + Math.max(0, offset - seg.offset) };
  }

  /**
   * The file range of `text[start, end)`. The end sits just after the last character, on that character's line,
   * so a token that ends a physical line never ends at the start of the next one.
   */
  rangeAt(start: number, end: number): Range {
    const s = this.positionAt(start);
    if (end <= start) return { start: s, end: { ...s } };
    const last = this.positionAt(end - 1);
    return { start: s, end: { line: last.line, character: last.character + 1 } };
  }
}

/** A word or operator found by `shellTokens`; `start`/`end` are offsets in the tokenized input. */
export interface ShellToken {
  kind: 'word' | 'op';
  /** Words: the text with quotes removed and backslash escapes applied. Operators: the operator text. */
  value: string;
  start: number;
  end: number;
  /** Some part of the word was quoted. */
  quoted: boolean;
  /** The word has a `$` or backtick expansion outside single quotes (its `value` keeps the `$...` text). */
  expands: boolean;
  /** When the whole word is one quoted string: the offsets of its content between the quotes. */
  inner?: { start: number; end: number };
}

/** Options of `shellTokens`. */
export interface ShellTokenOptions {
  /** Recognise `&&`, `||`, `;`, `|`, `&`, `(`, `)` and redirections (`>`, `2>&1`, `<<EOF`) as operators; default true. */
  operators?: boolean;
  /** Treat `#` at the start of a word as a comment to the end of the line; default true. */
  comments?: boolean;
}

const EXPANSION_START = /[A-Za-z_{(0-9@*#?$!-]/;

/**
 * Splits `input` into POSIX shell words (quotes, backslash escapes) and, optionally, control and redirection
 * operators, keeping each token's offsets. With `operators: false, comments: false` it behaves like Python's
 * `shlex.split(posix=True)`, which pip uses for requirements-file options. A newline is returned as the `;`
 * operator. An unclosed quote runs to the end of the input (no error: callers judge the words).
 */
export function shellTokens(input: string, options: ShellTokenOptions = {}): ShellToken[] {
  const ops = options.operators ?? true;
  const comments = options.comments ?? true;
  const tokens: ShellToken[] = [];
  let i = 0;
  const n = input.length;
  outer: while (i < n) {
    const c = input[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\n' || c === '\r') {
      if (ops) tokens.push({ kind: 'op', value: ';', start: i, end: i + 1, quoted: false, expands: false });
      i++;
      continue;
    }
    if (comments && c === '#') {
      while (i < n && input[i] !== '\n') i++;
      continue;
    }
    if (ops) {
      const op = readOperator(input, i, '');
      if (op) {
        tokens.push({ kind: 'op', value: op, start: i, end: i + op.length, quoted: false, expands: false });
        i += op.length;
        continue;
      }
    }
    const start = i;
    let value = '';
    let quoted = false;
    let expands = false;
    let quoteCount = 0;
    while (i < n) {
      const ch = input[i];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') break;
      if (ops && /^\d+$/.test(value) && !quoted && (ch === '<' || ch === '>')) {
        // `2>&1`, `2>/dev/null`: the digits are a file descriptor, part of the redirection.
        const op = readOperator(input, i, value);
        if (op) {
          tokens.push({ kind: 'op', value: op, start, end: i + op.length - value.length, quoted: false, expands: false });
          i += op.length - value.length;
          continue outer;
        }
      }
      if (ops && readOperator(input, i, '')) break;
      if (ch === '\\') {
        if (i + 1 < n) value += input[i + 1];
        i += 2;
        continue;
      }
      if (ch === "'") {
        quoted = true;
        quoteCount++;
        const close = input.indexOf("'", i + 1);
        const end = close < 0 ? n : close;
        value += input.slice(i + 1, end);
        i = close < 0 ? n : close + 1;
        continue;
      }
      if (ch === '"') {
        quoted = true;
        quoteCount++;
        i++;
        while (i < n && input[i] !== '"') {
          if (input[i] === '\\' && i + 1 < n && '$`"\\\n'.includes(input[i + 1])) {
            value += input[i + 1];
            i += 2;
            continue;
          }
          if ((input[i] === '$' && EXPANSION_START.test(input[i + 1] ?? '')) || input[i] === '`') expands = true;
          value += input[i];
          i++;
        }
        i++;
        continue;
      }
      if ((ch === '$' && EXPANSION_START.test(input[i + 1] ?? '')) || ch === '`') expands = true;
      value += ch;
      i++;
    }
    const end = Math.min(i, n);
    const token: ShellToken = { kind: 'word', value, start, end, quoted, expands };
    const q = input[start];
    if (quoteCount === 1 && (q === '"' || q === "'") && input[end - 1] === q && end - start >= 2) {
      token.inner = { start: start + 1, end: end - 1 };
    }
    tokens.push(token);
  }
  return tokens;
}

/** The operator starting at `i` (with `fd` digits already read before it), or `undefined`. */
function readOperator(input: string, i: number, fd: string): string | undefined {
  const rest = input.slice(i, i + 3);
  for (const op of ['&&', '||', '&>>', '&>']) if (rest.startsWith(op)) return fd === '' ? op : undefined;
  const c = input[i];
  if (c === ';' || c === '|' || c === '&' || c === '(' || c === ')') return fd === '' ? c : undefined;
  if (c !== '<' && c !== '>') return undefined;
  const m = /^(?:<<-|<<<|<<|>>|<>|>\||<&|>&|<|>)/.exec(input.slice(i));
  if (!m) return undefined;
  // `>&2`, `2>&1`, `<&-` duplicate or close descriptors: the digits belong to the operator.
  const dup = m[0].endsWith('&') ? /^(?:\d+-?|-)/.exec(input.slice(i + m[0].length)) : null;
  return fd + m[0] + (dup ? dup[0] : '');
}

/** A string of a JSON array: decoded `value`, the offsets of its content, and `map[i]` = offset of decoded char i. */
export interface JsonString {
  value: string;
  start: number;
  end: number;
  map: number[];
}

/**
 * The strings of `text` when it is exactly a JSON array of strings (RFC 8259; Docker's exec form
 * `["pip", "install", "x"]`), else `undefined`. Offsets are into `text`; escapes are decoded.
 */
export function jsonStrings(text: string): JsonString[] | undefined {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  ws();
  if (text[i] !== '[') return undefined;
  i++;
  const out: JsonString[] = [];
  ws();
  if (text[i] === ']') return /^\s*$/.test(text.slice(i + 1)) ? out : undefined;
  for (;;) {
    ws();
    if (text[i] !== '"') return undefined;
    const start = ++i;
    let value = '';
    const map: number[] = [];
    while (i < text.length && text[i] !== '"') {
      map.push(i);
      if (text[i] === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else if (e !== undefined && e in simple) {
          value += simple[e];
          i += 2;
        } else return undefined;
      } else value += text[i++];
    }
    if (i >= text.length) return undefined;
    out.push({ value, start, end: i, map });
    i++;
    ws();
    if (text[i] === ']') return /^\s*$/.test(text.slice(i + 1)) ? out : undefined;
    if (text[i] !== ',') return undefined;
    i++;
  }
}

/** 0-based line starts of `text` (line ends `\n`, `\r\n`, `\r`). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) starts.push(i + 1);
  }
  return starts;
}

/** The 0-based line holding `offset`, given `lineStarts` of the text (binary search). */
export function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
