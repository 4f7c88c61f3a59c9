/**
 * The mutable cursor the import scanner's passes share: the byte buffer, the position, the physical line being
 * read, bracket depth, and the records and problems found so far. Low-level moves that every pass needs (line
 * ends, whitespace, comments and their `# pymono: ignore` directives, UTF-16 columns) live here.
 */
import type { ImportRecord, ImportedName } from '../model';
import * as chars from './chars';

// Local bindings: module-namespace getters (as transpilers emit for named imports) are too slow in the hot loops.
const {
  BACKSLASH, CLASS, CL_IDENT, CL_SPACE, CR, IDENT_CONT, LBRACKET, LF, RBRACKET, SPACE, TAB, COLON, COMMA,
  STATEMENT_ONLY_KEYWORDS, W_FROM, W_IGNORE, W_IMPORT, W_PYMONO, bytesEqual, wordAt, DOT,
} = chars;

/** Decoder used for columns and names; non-fatal (as `new TextDecoder()`), keeping U+FEFF inside the text. */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Problems kept per file: a broken or non-Python file should not produce one entry per byte. */
const MAX_PROBLEMS = 100;

/** A problem the scanner reports: 0-based line and a message. */
export interface ScanProblem {
  line: number;
  message: string;
}

/** Shared scanner state over one UTF-8 buffer. Fields are public so the passes in sibling files can move it. */
export class ScanState {
  readonly buf: Uint8Array;
  readonly len: number;
  /** Current byte offset. */
  pos: number;
  /** 0-based line of `pos` and the byte offset where that physical line starts. */
  line = 0;
  lineStart: number;
  /** Open bracket depth; the line and byte of the outermost open bracket (for "never closed" problems). */
  depth = 0;
  depthOpenLine = 0;
  depthOpenChar = 0x28;
  readonly imports: ImportRecord[] = [];
  readonly problems: ScanProblem[] = [];
  /** Number of open `if TYPE_CHECKING:` blocks. */
  typeOnlyCount = 0;
  /** Set by a recovery that ended the logical line early; `pos` then sits at the start of a physical line. */
  lineEnded = false;
  /** The suppression collected from `# pymono: ignore` comments of the current logical line. */
  suppression: 'all' | string[] | undefined = undefined;
  /** An unterminated triple-quoted string already made the scanner re-read the rest once. */
  rescanned = false;
  /** The last column computed: its line start, byte offset and value (see `column`). */
  private colLineStart = -1;
  private colPos = 0;
  private colValue = 0;

  constructor(buf: Uint8Array, lineStart: number) {
    this.buf = buf;
    this.len = buf.length;
    this.lineStart = lineStart;
    this.pos = lineStart;
  }

  /** Consumes the line end at `pos` (`\n`, `\r\n` or `\r`) and moves to the next physical line. */
  newline(): void {
    const b = this.buf;
    if (b[this.pos] === CR && b[this.pos + 1] === LF) this.pos += 2;
    else this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  /** Records a problem; after `MAX_PROBLEMS` one last entry says the rest were left out. */
  problem(line: number, message: string): void {
    const n = this.problems.length;
    if (n < MAX_PROBLEMS) this.problems.push({ line, message });
    else if (n === MAX_PROBLEMS) this.problems.push({ line, message: 'too many syntax problems; the rest are not reported' });
  }

  /**
   * UTF-16 column of byte offset `p` on the physical line starting at byte `lineStart`. Only the line prefix is
   * looked at, continuing from the previous call on the same line (so many imports on one long line stay linear).
   * Every offset asked for is next to an ASCII byte, where a UTF-8 decoder's state is fresh, so decoding the
   * prefix in pieces counts exactly as decoding the whole text does (U+FFFD for each invalid sequence included).
   */
  column(lineStart: number, p: number): number {
    let from = lineStart;
    let col = 0;
    if (lineStart === this.colLineStart && p >= this.colPos) {
      from = this.colPos;
      col = this.colValue;
    }
    const b = this.buf;
    let i = from;
    while (i < p && b[i] < 0x80) i++;
    col += i < p ? decoder.decode(b.subarray(from, p)).length : p - from;
    this.colLineStart = lineStart;
    this.colPos = p;
    this.colValue = col;
    return col;
  }

  /** Decodes `buf[s, e)`; non-ASCII identifiers are NFKC-normalized as Python does (PEP 3131). */
  text(s: number, e: number, identifier: boolean): string {
    const b = this.buf;
    let out = '';
    for (let i = s; i < e; i++) {
      const c = b[i];
      if (c >= 0x80) {
        const t = decoder.decode(b.subarray(s, e));
        return identifier ? t.normalize('NFKC') : t;
      }
      out += String.fromCharCode(c);
    }
    return out;
  }

  /** End of the identifier starting at `p`. */
  identEnd(p: number): number {
    const b = this.buf;
    while (IDENT_CONT[b[p]] === 1) p++;
    return p;
  }

  /** Skips spaces, tabs, form feeds and backslash line continuations; stops at anything else. */
  skipInlineWs(): void {
    const b = this.buf;
    for (;;) {
      const c = b[this.pos];
      if (CLASS[c] === CL_SPACE) this.pos++;
      else if (c === BACKSLASH && (b[this.pos + 1] === LF || b[this.pos + 1] === CR)) {
        this.pos++;
        this.newline();
      } else return;
    }
  }

  /**
   * Skips a comment starting at `pos` (the `#`) up to, not including, the line end. With `directives`, a
   * `# pymono: ignore` or `# pymono: ignore[PM001, PM003]` in it joins the logical line's suppression.
   */
  comment(directives: boolean): void {
    const b = this.buf;
    const len = this.len;
    let p = this.pos + 1;
    let sawP = false;
    while (p < len) {
      const c = b[p];
      if (c === LF || c === CR) break;
      if (c === 0x70) sawP = true;
      p++;
    }
    if (directives && sawP) this.directive(this.pos + 1, p);
    this.pos = p;
  }

  private directive(s: number, e: number): void {
    const b = this.buf;
    for (let i = s; i + 6 <= e; i++) {
      if (b[i] !== 0x70 || !bytesEqual(b, i, W_PYMONO) || (i > s && IDENT_CONT[b[i - 1]] === 1)) continue;
      let j = i + 6;
      while (b[j] === SPACE || b[j] === TAB) j++;
      if (b[j] !== COLON) continue;
      j++;
      while (b[j] === SPACE || b[j] === TAB) j++;
      if (j + 6 > e || !bytesEqual(b, j, W_IGNORE) || (j + 6 < e && IDENT_CONT[b[j + 6]] === 1)) continue;
      j += 6;
      if (j < e && b[j] === LBRACKET) {
        let k = j + 1;
        while (k < e && b[k] !== RBRACKET) k++;
        if (k >= e) {
          this.problem(this.line, "unclosed '[' in '# pymono: ignore[...]' comment");
          return;
        }
        const codes: string[] = [];
        let start = j + 1;
        for (let m = j + 1; m <= k; m++) {
          if (m === k || b[m] === COMMA) {
            const code = this.text(start, m, false).trim().toUpperCase();
            if (code !== '') codes.push(code);
            start = m + 1;
          }
        }
        if (codes.length === 0) {
          this.problem(this.line, "'# pymono: ignore[]' lists no rule codes");
          return;
        }
        this.suppress(codes);
      } else this.suppress('all');
      return;
    }
  }

  private suppress(s: 'all' | string[]): void {
    const cur = this.suppression;
    if (cur === 'all' || s === 'all') this.suppression = 'all';
    else if (cur === undefined) this.suppression = s;
    else for (const c of s) if (!cur.includes(c)) cur.push(c);
  }

  /** Applies the logical line's suppression to the records made since `first`, and clears it. */
  applySuppression(first: number): void {
    const s = this.suppression;
    if (s === undefined) return;
    for (let i = first; i < this.imports.length; i++) this.imports[i].suppressed = s === 'all' ? 'all' : s.slice();
    this.suppression = undefined;
  }

  /** Adds an import record; `typeOnly` follows the open `if TYPE_CHECKING:` blocks. */
  addRecord(
    module: string, level: number, names: ImportedName[] | undefined, line: number, character: number,
    endLine: number, endCharacter: number, dynamic: boolean,
  ): void {
    const rec: ImportRecord = {
      module, level,
      range: { start: { line, character }, end: { line: endLine, character: endCharacter } },
      typeOnly: this.typeOnlyCount > 0, optional: false, dynamic,
    };
    if (names !== undefined) rec.names = names;
    this.imports.push(rec);
  }

  /**
   * True when the physical line starting at `pos` begins with a keyword that cannot stand first on a line
   * inside brackets (`import`, `def`, `class`, `return`, ... or `from <module> import`): the open bracket was
   * never closed and that line starts a statement.
   */
  statementKeywordAhead(): boolean {
    const b = this.buf;
    let p = this.pos;
    while (CLASS[b[p]] === CL_SPACE) p++;
    const c = b[p];
    if (CLASS[c] !== CL_IDENT || c >= 0x80) return false;
    const e = this.identEnd(p);
    const n = e - p;
    if (n === 4 && bytesEqual(b, p, W_FROM)) {
      let q = e;
      if (CLASS[b[q]] !== CL_SPACE) return false;
      while (CLASS[b[q]] === CL_SPACE) q++;
      while (IDENT_CONT[b[q]] === 1 || b[q] === DOT) q++;
      if (CLASS[b[q]] !== CL_SPACE) return false;
      while (CLASS[b[q]] === CL_SPACE) q++;
      return wordAt(b, q, W_IMPORT);
    }
    for (const w of STATEMENT_ONLY_KEYWORDS) if (w.length === n && bytesEqual(b, p, w)) return true;
    return false;
  }

  /** Reports the open bracket as never closed and drops to depth 0. */
  closeBrackets(): void {
    const ch = String.fromCharCode(this.depthOpenChar);
    this.problem(this.depthOpenLine, `'${ch}' was never closed`);
    this.depth = 0;
  }
}

