/**
 * Imports of Jupyter notebooks (`.ipynb`, nbformat 4 `cells[].source` and nbformat 3 `worksheets[].cells[].input`):
 * each code cell is scanned with the Python import scanner, IPython magics (`%line`, `!shell`) are blanked out,
 * cells starting with a non-Python `%%cell` magic are skipped, and every range is mapped back to the line and
 * UTF-16 column of the JSON file where the source text stands (through JSON string escapes). Pure.
 */
import type { FileScan, ImportRecord, Position, Range } from './model';
import { scanPython } from './importScanner';
import { lineOf, lineStarts } from './manifests/textLines';

/** A JSON value that keeps the position of its string literals (content start offset, after the quote). */
type JNode =
  | { t: 'obj'; at: number; entries: Map<string, JNode> }
  | { t: 'arr'; at: number; items: JNode[] }
  | { t: 'str'; at: number; value: string }
  | { t: 'lit'; at: number };

class JsonError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
};

/** Minimal RFC 8259 parser over `text` that records where string contents start. Throws `JsonError`. */
function parseJson(text: string): JNode {
  let i = 0;
  const ws = (): void => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  const fail = (what: string): never => {
    throw new JsonError(i, i >= text.length ? `unexpected end of JSON, ${what}` : `${what}, found '${text[i]}'`);
  };
  const str = (): { at: number; value: string } => {
    const at = ++i;
    let value = '';
    let from = i;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail('unterminated string');
      if (c === 0x22) break;
      if (c < 0x20) fail('control character in string');
      if (c === 0x5c) {
        value += text.slice(from, i);
        const e = text[i + 1];
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
          value += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && Object.hasOwn(SIMPLE_ESCAPES, e)) {
          value += SIMPLE_ESCAPES[e];
          i += 2;
        } else fail('invalid escape');
        from = i;
      } else i++;
    }
    value += text.slice(from, i);
    i++;
    return { at, value };
  };
  const value = (depth: number): JNode => {
    if (depth > 512) fail('nesting too deep');
    ws();
    const at = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries = new Map<string, JNode>();
      ws();
      if (text[i] === '}') {
        i++;
        return { t: 'obj', at, entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a property name');
        const key = str().value;
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        entries.set(key, value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return { t: 'obj', at, entries };
        } else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const items: JNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { t: 'arr', at, items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return { t: 'arr', at, items };
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return { t: 'str', ...str() };
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (m === null) fail('expected a JSON value');
    i += (m as RegExpExecArray)[0].length;
    return { t: 'lit', at };
  };
  const root = value(0);
  ws();
  if (i < text.length) fail('unexpected text after the JSON value');
  return root;
}

/** Cell magics whose body is Python code; any other `%%magic` cell is not scanned. */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'memit', 'mprun']);

/** One source string of a cell: its decoded text and where its content starts in the JSON text. */
interface Piece {
  value: string;
  rawStart: number;
  cellOffset: number;
}

/** Maps cell-text positions to JSON-file positions through the pieces' escapes. */
class CellMap {
  private readonly cellStarts: number[];
  constructor(
    private readonly json: string,
    private readonly jsonStarts: number[],
    private readonly pieces: Piece[],
    cellText: string,
  ) {
    this.cellStarts = lineStarts(cellText);
  }

  range(r: Range): Range {
    return { start: this.position(r.start, false), end: this.position(r.end, true) };
  }

  position(p: Position, isEnd: boolean): Position {
    const offset = (this.cellStarts[p.line] ?? 0) + p.character;
    let k = 0;
    for (let j = 0; j < this.pieces.length; j++) {
      const pc = this.pieces[j];
      if (isEnd ? pc.cellOffset < offset : pc.cellOffset <= offset) k = j;
    }
    const piece = this.pieces[k];
    let local = Math.min(offset - piece.cellOffset, piece.value.length);
    let r = piece.rawStart;
    while (local > 0) {
      if (this.json.charCodeAt(r) === 0x5c) r += this.json[r + 1] === 'u' ? 6 : 2;
      else r++;
      local--;
    }
    const line = lineOf(this.jsonStarts, r);
    return { line, character: r - this.jsonStarts[line] };
  }
}

function problemLine(text: string, offset: number): number {
  return lineOf(lineStarts(text), offset);
}

/** The code cells of a notebook tree: the source node of each (nbformat 4 `source`, nbformat 3 `input`). */
function codeCellSources(root: JNode): JNode[] | string {
  if (root.t !== 'obj') return 'a notebook must be a JSON object';
  const lists: JNode[] = [];
  const cells = root.entries.get('cells');
  if (cells !== undefined) lists.push(cells);
  const sheets = root.entries.get('worksheets');
  if (sheets?.t === 'arr') {
    for (const ws of sheets.items) {
      const c = ws.t === 'obj' ? ws.entries.get('cells') : undefined;
      if (c !== undefined) lists.push(c);
    }
  }
  if (lists.length === 0) return 'the notebook has no "cells" list';
  const out: JNode[] = [];
  for (const list of lists) {
    if (list.t !== 'arr') return '"cells" must be a list';
    for (const cell of list.items) {
      if (cell.t !== 'obj') continue;
      const type = cell.entries.get('cell_type');
      if (type?.t !== 'str' || type.value !== 'code') continue;
      const src = cell.entries.get('source') ?? cell.entries.get('input');
      if (src !== undefined) out.push(src);
    }
  }
  return out;
}

/** Blanks IPython line magics and shell escapes; returns undefined for a cell under a non-Python `%%` magic. */
function blankMagics(text: string): string | undefined {
  const lines = text.split(/(\r\n|\r|\n)/);
  let first = true;
  for (let i = 0; i < lines.length; i += 2) {
    const trimmed = lines[i].trimStart();
    if (trimmed === '') continue;
    if (first && trimmed.startsWith('%%')) {
      const name = /^%%(\w+)/.exec(trimmed)?.[1] ?? '';
      if (!PYTHON_CELL_MAGICS.has(name)) return undefined;
    }
    first = false;
    if (trimmed.startsWith('%') || trimmed.startsWith('!')) lines[i] = ' '.repeat(lines[i].length);
  }
  return lines.join('');
}

/**
 * Scans the code cells of a notebook given as JSON text. Ranges and problem lines point into the JSON file:
 * the line of the JSON string holding that source line, and the UTF-16 column inside it (escapes such as
 * `\"` or `\u00e9` are stepped over). Malformed JSON or a non-notebook document gives one problem and no
 * imports; a source that is neither a string nor a list of strings gives a problem at its line. Never throws.
 */
export function scanNotebook(jsonText: string): FileScan {
  let root: JNode;
  try {
    root = parseJson(jsonText);
  } catch (e) {
    const offset = e instanceof JsonError ? e.offset : 0;
    const message = `invalid notebook JSON: ${(e as Error).message}`;
    return { imports: [], problems: [{ line: problemLine(jsonText, offset), message }] };
  }
  const sources = codeCellSources(root);
  if (typeof sources === 'string') return { imports: [], problems: [{ line: 0, message: sources }] };
  const jsonStarts = lineStarts(jsonText);
  const imports: ImportRecord[] = [];
  const problems: FileScan['problems'] = [];
  for (const src of sources) {
    const nodes = src.t === 'str' ? [src] : src.t === 'arr' ? src.items : [];
    if (nodes.length === 0 || nodes.some((n) => n.t !== 'str')) {
      if (!(src.t === 'arr' && src.items.length === 0)) {
        problems.push({ line: lineOf(jsonStarts, src.at), message: 'a cell source must be a string or a list of strings' });
      }
      continue;
    }
    const pieces: Piece[] = [];
    let text = '';
    for (const n of nodes) {
      if (n.t !== 'str') continue;
      pieces.push({ value: n.value, rawStart: n.at, cellOffset: text.length });
      text += n.value;
    }
    const code = blankMagics(text);
    if (code === undefined) continue;
    const scan = scanPython(code);
    const map = new CellMap(jsonText, jsonStarts, pieces, code);
    for (const rec of scan.imports) {
      const mapped: ImportRecord = { ...rec, range: map.range(rec.range) };
      if (rec.names) mapped.names = rec.names.map((n) => ({ name: n.name, range: map.range(n.range) }));
      imports.push(mapped);
    }
    for (const p of scan.problems) {
      problems.push({ line: map.position({ line: p.line, character: 0 }, false).line, message: p.message });
    }
  }
  return { imports, problems };
}
