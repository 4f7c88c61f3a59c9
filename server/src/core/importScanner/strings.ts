/**
 * Skipping Python string literals byte by byte (Python Language Reference 2.4.1 "String and Bytes literals",
 * PEP 498 f-strings with PEP 701 nesting): single and triple quotes, backslash escapes and escaped line ends,
 * f-string replacement fields with nested strings and format specs. Nothing is decoded or allocated.
 */
import * as chars from './chars';

// Local bindings: module-namespace getters (as transpilers emit for named imports) are too slow in the hot loops.
const {
  BACKSLASH, BANG, CLASS, CL_IDENT, CL_QUOTE, COLON, CR, EQUALS, LBRACE, LF, PREFIX_F, PREFIX_RAW, RBRACE,
  prefixFlags,
} = chars;
import type { ScanState } from './state';

const OK = 0;
/** A single-quoted string (or a replacement field inside one) met a line end; `pos` is at the line end. */
const AT_NEWLINE = 1;
const AT_EOF = 2;
/** Nesting beyond this is skipped as plain text (pathological PEP 701 input). */
const MAX_NEST = 32;

/**
 * Skips the string literal whose opening quote is at `st.pos`, given its prefix flags (`PREFIX_*`), and reports
 * unterminated literals. A single-quoted string cut by a line end stops there (the line end is left for the
 * caller). A triple-quoted string left open at the end of the file is reported at its first line, and the scan
 * resumes once at the line after it (so one stray `"""` does not hide the rest of the file).
 */
export function skipString(st: ScanState, flags: number): void {
  const startLine = st.line;
  const quotePos = st.pos;
  const q = st.buf[quotePos];
  const triple = st.buf[quotePos + 1] === q && st.buf[quotePos + 2] === q;
  const r = skipAt(st, flags, 0);
  if (r === OK) return;
  if (r === AT_NEWLINE || !triple) {
    st.problem(st.line, 'unterminated string literal');
    return;
  }
  st.problem(startLine, 'unterminated triple-quoted string literal');
  if (st.rescanned) return;
  st.rescanned = true;
  let p = quotePos;
  const b = st.buf;
  while (p < st.len && b[p] !== LF && b[p] !== CR) p++;
  st.pos = p;
  st.line = startLine;
  if (p < st.len) st.newline();
  st.depth = 0;
  st.lineEnded = true;
}

function skipAt(st: ScanState, flags: number, nest: number): number {
  const b = st.buf;
  const q = b[st.pos];
  const triple = b[st.pos + 1] === q && b[st.pos + 2] === q;
  st.pos += triple ? 3 : 1;
  if ((flags & PREFIX_F) !== 0 && nest < MAX_NEST) return fBody(st, q, triple, (flags & PREFIX_RAW) !== 0, nest);
  return plainBody(st, q, triple);
}

function plainBody(st: ScanState, q: number, triple: boolean): number {
  const b = st.buf;
  const len = st.len;
  let p = st.pos;
  if (!triple) {
    while (p < len) {
      const c = b[p];
      if (c === q) {
        st.pos = p + 1;
        return OK;
      }
      if (c === BACKSLASH) {
        const d = b[p + 1];
        if (d === LF || d === CR) {
          st.pos = p + 1;
          st.newline();
          p = st.pos;
        } else p += 2;
      } else if (c === LF || c === CR) {
        st.pos = p;
        return AT_NEWLINE;
      } else p++;
    }
    st.pos = len;
    return AT_EOF;
  }
  while (p < len) {
    const c = b[p];
    if (c === q) {
      if (b[p + 1] === q && b[p + 2] === q) {
        st.pos = p + 3;
        return OK;
      }
      p++;
    } else if (c === BACKSLASH) {
      const d = b[p + 1];
      if (d === LF || d === CR) {
        st.pos = p + 1;
        st.newline();
        p = st.pos;
      } else p += 2;
    } else if (c === LF || c === CR) {
      st.pos = p;
      st.newline();
      p = st.pos;
    } else p++;
  }
  st.pos = len;
  return AT_EOF;
}

/** Literal part of an f-string: up to the closing quote, entering replacement fields at single `{`. */
function fBody(st: ScanState, q: number, triple: boolean, raw: boolean, nest: number): number {
  const b = st.buf;
  const len = st.len;
  while (st.pos < len) {
    const p = st.pos;
    const c = b[p];
    if (c === q) {
      if (!triple) {
        st.pos = p + 1;
        return OK;
      }
      if (b[p + 1] === q && b[p + 2] === q) {
        st.pos = p + 3;
        return OK;
      }
      st.pos = p + 1;
    } else if (c === BACKSLASH) {
      const d = b[p + 1];
      if (d === LF || d === CR) {
        st.pos = p + 1;
        st.newline();
      } else if (!raw && d === 0x4e && b[p + 2] === LBRACE) {
        // \N{UNICODE NAME}: the braces are part of the escape, not a field.
        let k = p + 3;
        while (k < len && b[k] !== RBRACE && b[k] !== q && b[k] !== LF && b[k] !== CR) k++;
        st.pos = b[k] === RBRACE ? k + 1 : k;
      } else st.pos = p + 2;
    } else if (c === LBRACE) {
      if (b[p + 1] === LBRACE) st.pos = p + 2;
      else {
        st.pos = p + 1;
        const r = field(st, triple, nest + 1);
        if (r !== OK) return r;
      }
    } else if (c === LF || c === CR) {
      if (!triple) return AT_NEWLINE;
      st.newline();
    } else st.pos = p + 1;
  }
  st.pos = len;
  return AT_EOF;
}

/** A replacement field after its `{`: an expression (with nested strings and brackets), `!conv`, `:spec`, `}`. */
function field(st: ScanState, triple: boolean, nest: number): number {
  const b = st.buf;
  const len = st.len;
  let depth = 0;
  while (st.pos < len) {
    const p = st.pos;
    const c = b[p];
    const cl = CLASS[c];
    if (cl === CL_QUOTE) {
      const r = skipAt(st, 0, nest);
      if (r !== OK) return r;
    } else if (cl === CL_IDENT) {
      const e = st.identEnd(p);
      const flags = CLASS[b[e]] === CL_QUOTE ? prefixFlags(b, p, e - p) : 0;
      st.pos = e;
      if (flags !== 0) {
        const r = skipAt(st, flags, nest);
        if (r !== OK) return r;
      }
    } else if (c === 0x28 || c === 0x5b || c === LBRACE) {
      depth++;
      st.pos = p + 1;
    } else if (c === 0x29 || c === 0x5d) {
      if (depth > 0) depth--;
      st.pos = p + 1;
    } else if (c === RBRACE) {
      st.pos = p + 1;
      if (depth === 0) return OK;
      depth--;
    } else if (c === COLON && depth === 0) {
      st.pos = p + 1;
      return formatSpec(st, triple, nest);
    } else if (c === BANG && depth === 0 && b[p + 1] !== EQUALS) {
      st.pos = p + 1;
    } else if (c === LF || c === CR) {
      if (!triple) return AT_NEWLINE;
      st.newline();
    } else st.pos = p + 1;
  }
  st.pos = len;
  return AT_EOF;
}

/** A format spec after the field's `:`: literal text with nested `{fields}`, ending at the field's `}`. */
function formatSpec(st: ScanState, triple: boolean, nest: number): number {
  const b = st.buf;
  const len = st.len;
  while (st.pos < len) {
    const p = st.pos;
    const c = b[p];
    if (c === RBRACE) {
      st.pos = p + 1;
      return OK;
    }
    if (c === LBRACE) {
      st.pos = p + 1;
      const r = field(st, triple, nest + 1);
      if (r !== OK) return r;
    } else if (c === LF || c === CR) {
      if (!triple) return AT_NEWLINE;
      st.newline();
    } else st.pos = p + 1;
  }
  st.pos = len;
  return AT_EOF;
}
