/**
 * Byte classes and byte constants for the import scanner. The scanner works on UTF-8 bytes: every byte that
 * matters to Python's tokenizer for our purposes is ASCII, and any byte >= 0x80 can only belong to an identifier,
 * a string or a comment, so it is classed as an identifier byte (the tokenizer rules of the Python Language
 * Reference, "Lexical analysis", sections 2.1 and 2.3).
 */

export const CL_OTHER = 0;
/** `A-Z a-z _` and every byte >= 0x80 (non-ASCII identifier characters, PEP 3131). */
export const CL_IDENT = 1;
export const CL_DIGIT = 2;
/** Space, tab and form feed: whitespace between tokens. */
export const CL_SPACE = 3;
/** `\n` and `\r`: physical line ends (`\r\n` is one end). */
export const CL_NL = 4;
export const CL_QUOTE = 5;
export const CL_HASH = 6;
export const CL_OPEN = 7;
export const CL_CLOSE = 8;
export const CL_SEMI = 9;
export const CL_COLON = 10;
export const CL_BACKSLASH = 11;

/** Class of each byte value. */
export const CLASS: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c >= 0x80) t[c] = CL_IDENT;
    else if (c >= 0x30 && c <= 0x39) t[c] = CL_DIGIT;
  }
  t[0x20] = CL_SPACE;
  t[0x09] = CL_SPACE;
  t[0x0c] = CL_SPACE;
  t[0x0a] = CL_NL;
  t[0x0d] = CL_NL;
  t[0x22] = CL_QUOTE;
  t[0x27] = CL_QUOTE;
  t[0x23] = CL_HASH;
  t[0x28] = CL_OPEN;
  t[0x5b] = CL_OPEN;
  t[0x7b] = CL_OPEN;
  t[0x29] = CL_CLOSE;
  t[0x5d] = CL_CLOSE;
  t[0x7d] = CL_CLOSE;
  t[0x3b] = CL_SEMI;
  t[0x3a] = CL_COLON;
  t[0x5c] = CL_BACKSLASH;
  return t;
})();

/** True for bytes that continue an identifier (letters, digits, `_`, non-ASCII). */
export const IDENT_CONT: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) if (CLASS[c] === CL_IDENT || CLASS[c] === CL_DIGIT) t[c] = 1;
  return t;
})();

export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const TAB = 0x09;
export const FF = 0x0c;
export const HASH = 0x23;
export const BACKSLASH = 0x5c;
export const DOT = 0x2e;
export const COMMA = 0x2c;
export const STAR = 0x2a;
export const COLON = 0x3a;
export const EQUALS = 0x3d;
export const LPAREN = 0x28;
export const RPAREN = 0x29;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const BANG = 0x21;
export const SQUOTE = 0x27;
export const DQUOTE = 0x22;

/** ASCII bytes of a word, for comparisons against the buffer. */
export function word(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** True when `buf[start, start + w.length)` equals `w` (the caller checks the identifier length). */
export function bytesEqual(buf: Uint8Array, start: number, w: Uint8Array): boolean {
  for (let i = 0; i < w.length; i++) if (buf[start + i] !== w[i]) return false;
  return true;
}

/** True when the whole word `w` stands at `p` (not followed by an identifier byte). */
export function wordAt(buf: Uint8Array, p: number, w: Uint8Array): boolean {
  return bytesEqual(buf, p, w) && IDENT_CONT[buf[p + w.length] ?? 0] !== 1;
}

export const W_IMPORT = word('import');
export const W_FROM = word('from');
export const W_AS = word('as');
export const W_IF = word('if');
export const W_ELIF = word('elif');
export const W_TRY = word('try');
export const W_EXCEPT = word('except');
export const W_TYPE_CHECKING = word('TYPE_CHECKING');
export const W_IMPORT_MODULE = word('import_module');
export const W_DUNDER_IMPORT = word('__import__');
export const W_IMPORTLIB_DOT = word('importlib.');
export const W_PYMONO = word('pymono');
export const W_IGNORE = word('ignore');

/** Names whose presence in an `except` clause makes the `try` body's imports optional. */
export const OPTIONAL_HANDLERS: Uint8Array[] = [
  'ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException',
].map(word);

/**
 * Keywords that can only begin a statement, never stand first on a line inside brackets: when one of them starts a
 * physical line while a bracket is open, the bracket was never closed and the scanner recovers there.
 */
export const STATEMENT_ONLY_KEYWORDS: Uint8Array[] = [
  'import', 'def', 'class', 'return', 'try', 'except', 'finally', 'while', 'with', 'raise', 'pass', 'elif',
  'global', 'nonlocal', 'assert', 'del', 'break', 'continue',
].map(word);

/** String prefix flags (Python Language Reference 2.4.1). */
export const PREFIX_RAW = 1;
export const PREFIX_F = 2;
export const PREFIX_VALID = 4;

/**
 * The flags of the identifier `buf[start, start + n)` used as a string prefix (`r`, `b`, `u`, `f`, `t`, `rb`, `br`,
 * `fr`, `rf`, `tr`, `rt`, and Python 2's `ur`, in any case), or 0 when it is not a prefix.
 */
export function prefixFlags(buf: Uint8Array, start: number, n: number): number {
  if (n > 2) return 0;
  let flags = PREFIX_VALID;
  let seenB = false;
  let seenF = false;
  let seenR = false;
  let seenU = false;
  for (let i = 0; i < n; i++) {
    const c = buf[start + i] | 0x20;
    if (c === 0x72) {
      if (seenR) return 0;
      seenR = true;
      flags |= PREFIX_RAW;
    } else if (c === 0x62) {
      if (seenB || seenF || seenU) return 0;
      seenB = true;
    } else if (c === 0x66 || c === 0x74) {
      if (seenB || seenF || seenU) return 0;
      seenF = true;
      flags |= PREFIX_F;
    } else if (c === 0x75) {
      if (seenU || seenB || seenF || (n === 2 && i === 1)) return 0;
      seenU = true;
    } else return 0;
  }
  return flags;
}
