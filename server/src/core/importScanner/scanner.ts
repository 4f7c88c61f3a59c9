/**
 * The scanner's single pass over a UTF-8 buffer: logical lines (Python Language Reference 2.1: line joining
 * inside brackets and after `\`), indentation-delimited blocks for `if TYPE_CHECKING:` and `try:`, statement
 * starts (line start, after `;`, after a depth-0 `:`), and skipping of strings and comments without decoding.
 */
import type { FileScan } from '../model';
import * as chars from './chars';
import { ScanState } from './state';
import * as statements from './statements';
import * as strings from './strings';

// Local bindings: module-namespace getters (as transpilers emit for named imports) are too slow in the hot loops.
const {
  CLASS, CL_BACKSLASH, CL_CLOSE, CL_COLON, CL_DIGIT, CL_HASH, CL_IDENT, CL_NL, CL_OPEN, CL_QUOTE, CL_SEMI, CL_SPACE,
  CR, DOT, EQUALS, FF, HASH, IDENT_CONT, LF, OPTIONAL_HANDLERS, SPACE, TAB, W_AS, W_DUNDER_IMPORT, W_ELIF, W_EXCEPT,
  W_FROM, W_IF, W_IMPORT, W_IMPORT_MODULE, W_TRY, W_TYPE_CHECKING, bytesEqual, prefixFlags, wordAt,
} = chars;
const { parseFrom, parseImport, tryDynamic } = statements;
const { skipString } = strings;

const BLOCK_TYPE_ONLY = 1;
const BLOCK_TRY = 2;

/** An open block the scanner tracks: its kind, the indentation of its header and the first record inside it. */
interface Block {
  kind: number;
  indent: number;
  first: number;
  inline: boolean;
}

/** A `try:` body that ended; `except` clauses at `indent` may still mark records `[first, end)` optional. */
interface TryCandidate {
  indent: number;
  first: number;
  end: number;
}

/** States of the `except` clause being read. */
const EXC_NONE = 0;
const EXC_EMPTY = 1;
const EXC_NAMES = 2;
const EXC_DONE = 3;

/** Scans `buf` from byte `lineStart` (after a BOM the caller does not count); see `scanPythonBytes`. */
export function scanBuffer(buf: Uint8Array, lineStart: number): FileScan {
  const sc = new Scanner(buf, lineStart);
  sc.run();
  return { imports: sc.st.imports, problems: sc.st.problems };
}

class Scanner {
  readonly st: ScanState;
  private readonly blocks: Block[] = [];
  private readonly candidates: TryCandidate[] = [];
  private indent = 0;
  private pendingBlock = 0;
  private exceptState = EXC_NONE;
  private exceptCandidate: TryCandidate | undefined = undefined;

  constructor(buf: Uint8Array, lineStart: number) {
    this.st = new ScanState(buf, lineStart);
    // A byte order mark is not part of the text (a second one, left by a decoder, is skipped too).
    if (buf[lineStart] === 0xef && buf[lineStart + 1] === 0xbb && buf[lineStart + 2] === 0xbf) this.st.pos += 3;
  }

  run(): void {
    const st = this.st;
    while (st.pos < st.len) {
      st.lineEnded = false;
      if (!this.startLogicalLine()) continue;
      const first = st.imports.length;
      this.logicalLine();
      st.applySuppression(first);
      this.pendingBlock = 0;
      this.exceptState = EXC_NONE;
    }
    if (st.depth > 0) st.closeBrackets();
  }

  /**
   * At a physical line start: measures the indentation (tab stops of 8, form feed resets, as CPython's
   * tokenizer). Blank and comment-only lines are consumed and return false. Otherwise closes the blocks the
   * indentation ends and returns true.
   */
  private startLogicalLine(): boolean {
    const st = this.st;
    const b = st.buf;
    let p = st.pos;
    let col = 0;
    for (;;) {
      const c = b[p];
      if (c === SPACE) col++;
      else if (c === TAB) col = (col & ~7) + 8;
      else if (c === FF) col = 0;
      else break;
      p++;
    }
    st.pos = p;
    if (p >= st.len) return false;
    const c = b[p];
    if (c === LF || c === CR) {
      st.newline();
      return false;
    }
    if (c === HASH) {
      st.comment(false);
      if (st.pos < st.len) st.newline();
      return false;
    }
    this.indent = col;
    this.dedent(col, wordAt(b, p, W_EXCEPT));
    return true;
  }

  private dedent(indent: number, isExcept: boolean): void {
    const blocks = this.blocks;
    while (blocks.length > 0) {
      const top = blocks[blocks.length - 1];
      if (!top.inline && top.indent < indent) break;
      blocks.pop();
      if (top.kind === BLOCK_TYPE_ONLY) this.st.typeOnlyCount--;
      else if (top.indent === indent) this.candidates.push({ indent, first: top.first, end: this.st.imports.length });
    }
    const cands = this.candidates;
    while (cands.length > 0 && cands[cands.length - 1].indent > indent) cands.pop();
    this.exceptCandidate = undefined;
    if (cands.length > 0 && cands[cands.length - 1].indent === indent) {
      if (isExcept) this.exceptCandidate = cands[cands.length - 1];
      else cands.pop();
    }
  }

  /** Scans one logical line from its first token to its end (or to a recovery point). */
  private logicalLine(): void {
    const st = this.st;
    const b = st.buf;
    const len = st.len;
    /** 2: first statement of the line, 1: after `;` or a depth-0 `:`, 0: inside a statement. */
    let stmt = 2;
    while (st.pos < len) {
      const p = st.pos;
      const c = b[p];
      switch (CLASS[c]) {
        case CL_SPACE: {
          let e = p + 1;
          while (CLASS[b[e]] === CL_SPACE) e++;
          st.pos = e;
          break;
        }
        case CL_NL:
          st.newline();
          if (st.depth === 0) return;
          if (st.statementKeywordAhead()) {
            st.closeBrackets();
            return;
          }
          break;
        case CL_HASH:
          st.comment(true);
          break;
        case CL_IDENT: {
          let e = p + 1;
          while (IDENT_CONT[b[e]] === 1) e++;
          st.pos = e;
          const n = e - p;
          if (CLASS[b[e]] === CL_QUOTE && n <= 2) {
            const flags = prefixFlags(b, p, n);
            if (flags !== 0) {
              skipString(st, flags);
              stmt = 0;
              if (st.lineEnded) return;
              break;
            }
          }
          if (stmt !== 0) {
            if (this.keyword(p, n, stmt === 2)) {
              if (st.lineEnded) return;
              stmt = 0;
              break;
            }
            stmt = 0;
          } else if (this.exceptState === EXC_EMPTY || this.exceptState === EXC_NAMES) this.exceptName(p, n);
          if (n === 13 && c === 0x69 && bytesEqual(b, p, W_IMPORT_MODULE)) tryDynamic(st, p, e, false);
          else if (n === 10 && c === 0x5f && bytesEqual(b, p, W_DUNDER_IMPORT)) tryDynamic(st, p, e, true);
          break;
        }
        case CL_DIGIT: {
          let e = p + 1;
          while (IDENT_CONT[b[e]] === 1 || (b[e] === DOT && CLASS[b[e + 1]] === CL_DIGIT)) e++;
          st.pos = e;
          stmt = 0;
          break;
        }
        case CL_QUOTE:
          skipString(st, 4);
          stmt = 0;
          if (st.lineEnded) return;
          break;
        case CL_OPEN:
          if (st.depth === 0) {
            st.depthOpenLine = st.line;
            st.depthOpenChar = c;
          }
          st.depth++;
          st.pos = p + 1;
          stmt = 0;
          break;
        case CL_CLOSE:
          if (st.depth > 0) st.depth--;
          else st.problem(st.line, `unmatched '${String.fromCharCode(c)}'`);
          st.pos = p + 1;
          stmt = 0;
          break;
        case CL_SEMI:
          st.pos = p + 1;
          if (st.depth === 0) {
            stmt = 1;
            this.pendingBlock = 0;
          }
          break;
        case CL_COLON:
          st.pos = p + 1;
          if (st.depth === 0 && b[p + 1] !== EQUALS) {
            this.headerColon();
            stmt = 1;
          } else stmt = 0;
          break;
        case CL_BACKSLASH:
          st.pos = p + 1;
          if (b[p + 1] === LF || b[p + 1] === CR) st.newline();
          break;
        default:
          st.pos = p + 1;
          stmt = 0;
      }
    }
  }

  /**
   * A word at a statement start (`first`: the first statement of its logical line). Returns true when it
   * consumed an import statement; sets up `if TYPE_CHECKING:`, `try:` and `except` handling otherwise.
   */
  private keyword(p: number, n: number, first: boolean): boolean {
    const st = this.st;
    const b = st.buf;
    const c = b[p];
    if (n === 6 && c === 0x69 && bytesEqual(b, p, W_IMPORT)) {
      parseImport(st);
      return true;
    }
    if (n === 4 && c === 0x66 && bytesEqual(b, p, W_FROM)) {
      parseFrom(st);
      return true;
    }
    if (!first) return false;
    if ((n === 2 && bytesEqual(b, p, W_IF)) || (n === 4 && bytesEqual(b, p, W_ELIF))) {
      if (this.typeCheckingCondition(p + n)) this.pendingBlock = BLOCK_TYPE_ONLY;
    } else if (n === 3 && bytesEqual(b, p, W_TRY)) this.pendingBlock = BLOCK_TRY;
    else if (n === 6 && bytesEqual(b, p, W_EXCEPT) && this.exceptCandidate !== undefined) this.exceptState = EXC_EMPTY;
    return false;
  }

  /** True when `TYPE_CHECKING:` or `<name>.TYPE_CHECKING:` (e.g. `typing.`, `t.`) follows at `p`. */
  private typeCheckingCondition(p: number): boolean {
    const b = this.st.buf;
    if (CLASS[b[p]] !== CL_SPACE) return false;
    while (CLASS[b[p]] === CL_SPACE) p++;
    if (!wordAt(b, p, W_TYPE_CHECKING)) {
      if (CLASS[b[p]] !== CL_IDENT) return false;
      while (IDENT_CONT[b[p]] === 1) p++;
      if (b[p] !== DOT) return false;
      p++;
      if (!wordAt(b, p, W_TYPE_CHECKING)) return false;
    }
    p += 13;
    while (CLASS[b[p]] === CL_SPACE) p++;
    return b[p] === 0x3a && b[p + 1] !== EQUALS;
  }

  /** An identifier inside an `except` clause that follows a `try:` body. */
  private exceptName(p: number, n: number): void {
    const b = this.st.buf;
    if (n === 2 && this.st.depth === 0 && bytesEqual(b, p, W_AS)) {
      this.exceptState = EXC_DONE;
      return;
    }
    this.exceptState = EXC_NAMES;
    for (const w of OPTIONAL_HANDLERS) {
      if (w.length === n && bytesEqual(b, p, w)) {
        this.markOptional();
        return;
      }
    }
  }

  private markOptional(): void {
    const cand = this.exceptCandidate;
    this.exceptState = EXC_DONE;
    if (cand === undefined) return;
    for (let i = cand.first; i < cand.end; i++) this.st.imports[i].optional = true;
  }

  /** A depth-0 `:` ends a compound statement header: opens a tracked block or settles a bare `except:`. */
  private headerColon(): void {
    const st = this.st;
    if (this.exceptState !== EXC_NONE) {
      if (this.exceptState === EXC_EMPTY) this.markOptional();
      this.exceptState = EXC_NONE;
    }
    if (this.pendingBlock === 0) return;
    const b = st.buf;
    let p = st.pos;
    while (CLASS[b[p]] === CL_SPACE) p++;
    const inline = p < st.len && b[p] !== LF && b[p] !== CR && b[p] !== HASH;
    this.blocks.push({ kind: this.pendingBlock, indent: this.indent, first: st.imports.length, inline });
    if (this.pendingBlock === BLOCK_TYPE_ONLY) st.typeOnlyCount++;
    this.pendingBlock = 0;
  }
}
