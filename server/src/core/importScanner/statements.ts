/**
 * Parsing the import statements themselves once the scanner has met `import` or `from` at a statement start
 * (Python Language Reference 7.11 "The import statement"), and recognising dynamic imports
 * (`importlib.import_module("x")`, `import_module("x")`, `__import__("x")`) with one string literal argument.
 */
import type { ImportedName } from '../model';
import * as chars from './chars';

// Local bindings: module-namespace getters (as transpilers emit for named imports) are too slow in the hot loops.
const {
  BACKSLASH, CLASS, CL_IDENT, CL_NL, CL_QUOTE, CL_SPACE, COMMA, CR, DOT, HASH, IDENT_CONT, LF, LPAREN, PREFIX_F,
  PREFIX_VALID, RPAREN, STAR, W_AS, W_IMPORT, W_IMPORTLIB_DOT, bytesEqual, prefixFlags, wordAt,
} = chars;
import type { ScanState } from './state';

/** A dotted name as read: its text and where it starts and ends (line, UTF-16 column). */
interface Dotted {
  text: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** Reads one identifier at `pos` (no keyword check); `undefined` when none stands there. */
function identifier(st: ScanState): { s: number; e: number } | undefined {
  const c = st.buf[st.pos];
  if (CLASS[c] !== CL_IDENT) return undefined;
  const s = st.pos;
  const e = st.identEnd(s);
  st.pos = e;
  return { s, e };
}

/** Reads `NAME ('.' NAME)*` allowing whitespace and backslash continuations between the tokens. */
function dottedName(st: ScanState): Dotted | undefined {
  if (CLASS[st.buf[st.pos]] !== CL_IDENT || wordAt(st.buf, st.pos, W_IMPORT)) return undefined;
  const line = st.line;
  const col = st.column(st.lineStart, st.pos);
  let id = identifier(st);
  if (id === undefined) return undefined;
  let text = st.text(id.s, id.e, true);
  let endLine = st.line;
  let endCol = st.column(st.lineStart, id.e);
  for (;;) {
    const save = st.pos;
    const saveLine = st.line;
    const saveLineStart = st.lineStart;
    st.skipInlineWs();
    if (st.buf[st.pos] !== DOT) {
      st.pos = save;
      st.line = saveLine;
      st.lineStart = saveLineStart;
      break;
    }
    st.pos++;
    st.skipInlineWs();
    id = identifier(st);
    if (id === undefined) {
      st.problem(st.line, `expected a name after '${text}.'`);
      break;
    }
    text += '.' + st.text(id.s, id.e, true);
    endLine = st.line;
    endCol = st.column(st.lineStart, id.e);
  }
  return { text, line, col, endLine, endCol };
}

/** After a statement: anything but `;`, a comment, a line end or the end of the file is reported. */
function expectStatementEnd(st: ScanState, what: string): void {
  st.skipInlineWs();
  const c = st.buf[st.pos];
  if (st.pos >= st.len || c === 0x3b || c === HASH || CLASS[c] === CL_NL) return;
  st.problem(st.line, `unexpected text after ${what}`);
}

/** Skips `as NAME` if present. */
function asName(st: ScanState): void {
  st.skipInlineWs();
  if (!wordAt(st.buf, st.pos, W_AS)) return;
  st.pos += 2;
  st.skipInlineWs();
  if (identifier(st) === undefined) st.problem(st.line, "expected a name after 'as'");
}

/** `import a.b as c, d` after the `import` keyword: one record per dotted name. */
export function parseImport(st: ScanState): void {
  for (;;) {
    st.skipInlineWs();
    const d = dottedName(st);
    if (d === undefined) {
      st.problem(st.line, "expected a module name after 'import'");
      return;
    }
    st.addRecord(d.text, 0, undefined, d.line, d.col, d.endLine, d.endCol, false);
    asName(st);
    st.skipInlineWs();
    if (st.buf[st.pos] !== COMMA) break;
    st.pos++;
  }
  expectStatementEnd(st, 'the import statement');
}

/** `from .x.y import a as b, c` / `from x import (a,\n b)` / `from x import *` after the `from` keyword. */
export function parseFrom(st: ScanState): void {
  const b = st.buf;
  st.skipInlineWs();
  let level = 0;
  let line = st.line;
  let col = st.column(st.lineStart, st.pos);
  let endLine = line;
  let endCol = col;
  while (b[st.pos] === DOT) {
    level++;
    st.pos++;
    endLine = st.line;
    endCol = st.column(st.lineStart, st.pos);
    st.skipInlineWs();
  }
  let module = '';
  const d = dottedName(st);
  if (d !== undefined) {
    module = d.text;
    if (level === 0) {
      line = d.line;
      col = d.col;
    }
    endLine = d.endLine;
    endCol = d.endCol;
  } else if (level === 0) {
    st.problem(st.line, "expected a module name after 'from'");
    return;
  }
  st.skipInlineWs();
  if (!wordAt(b, st.pos, W_IMPORT)) {
    st.problem(st.line, `expected 'import' after 'from ${'.'.repeat(level)}${module}'`);
    return;
  }
  st.pos += 6;
  st.skipInlineWs();
  const names: ImportedName[] = [];
  if (b[st.pos] === STAR) {
    const l = st.line;
    const c = st.column(st.lineStart, st.pos);
    st.pos++;
    names.push({ name: '*', range: { start: { line: l, character: c }, end: { line: l, character: c + 1 } } });
  } else if (b[st.pos] === LPAREN) {
    st.pos++;
    parenNames(st, names);
  } else {
    for (;;) {
      if (!importedName(st, names)) break;
      asName(st);
      st.skipInlineWs();
      if (b[st.pos] !== COMMA) break;
      st.pos++;
      st.skipInlineWs();
    }
  }
  st.addRecord(module, level, names, line, col, endLine, endCol, false);
  if (!st.lineEnded && st.depth === 0) expectStatementEnd(st, 'the import statement');
}

/** Reads one imported name into `names`; reports and returns false when none stands at `pos`. */
function importedName(st: ScanState, names: ImportedName[]): boolean {
  const l = st.line;
  const ls = st.lineStart;
  const id = identifier(st);
  if (id === undefined) {
    st.problem(st.line, 'expected a name to import');
    return false;
  }
  const range = { start: { line: l, character: st.column(ls, id.s) }, end: { line: l, character: st.column(ls, id.e) } };
  names.push({ name: st.text(id.s, id.e, true), range });
  return true;
}

/**
 * The parenthesised name list of a from-import, up to its `)`. Line ends and comments (with their
 * `# pymono: ignore`) may stand anywhere. A line that can only start a statement ends the list as unclosed.
 */
function parenNames(st: ScanState, names: ImportedName[]): void {
  const openLine = st.line;
  const b = st.buf;
  let expectName = true;
  for (;;) {
    // Whitespace, comments and line ends.
    for (;;) {
      const c = b[st.pos];
      if (CLASS[c] === CL_SPACE) st.pos++;
      else if (c === HASH) st.comment(true);
      else if (c === LF || c === CR) {
        st.newline();
        if (st.statementKeywordAhead()) {
          st.problem(openLine, "'(' was never closed");
          st.lineEnded = true;
          return;
        }
      } else if (c === BACKSLASH && (b[st.pos + 1] === LF || b[st.pos + 1] === CR)) {
        st.pos++;
        st.newline();
      } else break;
    }
    if (st.pos >= st.len) {
      st.problem(openLine, "'(' was never closed");
      return;
    }
    const c = b[st.pos];
    if (c === RPAREN) {
      if (names.length === 0) st.problem(st.line, 'expected a name to import');
      st.pos++;
      return;
    }
    if (expectName && CLASS[c] === CL_IDENT) {
      importedName(st, names);
      asName(st);
      expectName = false;
    } else if (!expectName && c === COMMA) {
      st.pos++;
      expectName = true;
    } else {
      st.problem(st.line, 'unexpected text in the parenthesised import list');
      // Let the general scanner find the closing bracket.
      st.depth = 1;
      st.depthOpenLine = openLine;
      st.depthOpenChar = LPAREN;
      return;
    }
  }
}

/**
 * At an identifier `import_module` / `__import__` ending at `e` (starting at `s`): when it is called with one
 * string literal, records a dynamic import whose range is the literal's content. `import_module` must be bare or
 * `importlib.import_module`; `__import__` must be bare. The position is left unchanged.
 */
export function tryDynamic(st: ScanState, s: number, e: number, isDunder: boolean): void {
  const b = st.buf;
  if (s > 0 && b[s - 1] === DOT) {
    if (isDunder || s < 10 || !bytesEqual(b, s - 10, W_IMPORTLIB_DOT)) return;
    if (s > 10 && (IDENT_CONT[b[s - 11]] === 1 || b[s - 11] === DOT)) return;
  }
  let p = e;
  while (b[p] === 0x20 || b[p] === 0x09) p++;
  if (b[p] !== LPAREN) return;
  const savePos = st.pos;
  const saveLine = st.line;
  const saveLineStart = st.lineStart;
  st.pos = p + 1;
  skipCallWs(st);
  const litLine = st.line;
  const litLineStart = st.lineStart;
  let found: { module: string; col: number; endCol: number } | undefined;
  p = st.pos;
  while (CLASS[b[p]] === CL_IDENT && p - st.pos < 2) p++;
  const flags = p > st.pos ? prefixFlags(b, st.pos, p - st.pos) : PREFIX_VALID;
  const q = b[p];
  if (flags !== 0 && (flags & PREFIX_F) === 0 && CLASS[q] === CL_QUOTE && !isBytesPrefix(b, st.pos, p)) {
    const triple = b[p + 1] === q && b[p + 2] === q;
    const cs = p + (triple ? 3 : 1);
    let ce = cs;
    while (ce < st.len && b[ce] !== q && b[ce] !== BACKSLASH && b[ce] !== LF && b[ce] !== CR) ce++;
    const closes = triple ? b[ce] === q && b[ce + 1] === q && b[ce + 2] === q : b[ce] === q;
    if (closes && ce > cs) {
      st.pos = ce + (triple ? 3 : 1);
      skipCallWs(st);
      if (b[st.pos] === COMMA) {
        st.pos++;
        skipCallWs(st);
      }
      if (b[st.pos] === RPAREN) {
        found = { module: st.text(cs, ce, false), col: st.column(litLineStart, cs), endCol: st.column(litLineStart, ce) };
      }
    }
  }
  st.pos = savePos;
  st.line = saveLine;
  st.lineStart = saveLineStart;
  if (found) st.addRecord(found.module, 0, undefined, litLine, found.col, litLine, found.endCol, true);
}

function isBytesPrefix(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if ((b[i] | 0x20) === 0x62) return true;
  return false;
}

/** Whitespace, line ends and comments inside a call's parentheses (no directive handling). */
function skipCallWs(st: ScanState): void {
  const b = st.buf;
  for (;;) {
    const c = b[st.pos];
    if (CLASS[c] === CL_SPACE) st.pos++;
    else if (c === LF || c === CR) st.newline();
    else if (c === HASH) st.comment(false);
    else if (c === BACKSLASH && (b[st.pos + 1] === LF || b[st.pos + 1] === CR)) {
      st.pos++;
      st.newline();
    } else return;
  }
}

