/**
 * The Python import scanner: finds the import statements of a Python source file without a full parser.
 *
 * What it reports (Python Language Reference 7.11 "The import statement"):
 * - `import a.b as c, d` -> two records (`a.b`, `d`); `from x import (a,\n b)` -> one record with `names`;
 *   `from . import x` / `from ..pkg.mod import y` -> `level` = number of dots, `module` = the rest (maybe `''`);
 *   `from x import *` -> `names = [{ name: '*' }]`. Backslash continuations and `;` are followed; imports
 *   anywhere (functions, classes, `if`, `try`, `with`, `else:`, after a compound header's `:`) are found.
 * - `typeOnly` inside `if TYPE_CHECKING:` / `if <name>.TYPE_CHECKING:` (not its `else:`).
 * - `optional` inside a `try:` body one of whose handlers is bare or names `ImportError`, `ModuleNotFoundError`,
 *   `Exception` or `BaseException` (alone, in a tuple, dotted, or with `as`).
 * - `dynamic` for `importlib.import_module("x")`, `import_module("x")`, `__import__("x")` with one string literal
 *   (no f-string, no bytes); `module` is the literal's text and `range` its content.
 * - `suppressed` from `# pymono: ignore` (`'all'`) or `# pymono: ignore[PM001, PM003]` (the codes, upper-cased) on
 *   any physical line of the logical line holding the record.
 * Nothing inside strings (all quote kinds and prefixes, f-strings with nested fields), docstrings or comments
 * counts. A syntax error is recorded as a problem `{ line, message }` and scanning goes on: an unterminated
 * string ends at its line, an unclosed bracket ends at the next line that can only start a statement, an
 * unterminated triple-quoted string makes the scanner resume at the line after it (once).
 *
 * Positions are 0-based lines and UTF-16 columns; line ends are `\n`, `\r\n` and `\r` (as both Python and LSP).
 * Non-ASCII identifiers are NFKC-normalized as Python does (PEP 3131).
 */
import type { FileScan } from './model';
import { scanBuffer } from './importScanner/scanner';

const encoder = new TextEncoder();

/**
 * Scans Python source text. Pure; never throws on any input. Equal to `scanPythonBytes` of the text's UTF-8
 * encoding, except that a leading U+FEFF here counts as one column of line 0 (it is part of the string).
 */
export function scanPython(source: string): FileScan {
  return scanBuffer(encoder.encode(source), 0);
}

/**
 * Scans Python source given as UTF-8 bytes, without decoding the file: only module names, imported names and the
 * line prefixes before found imports are decoded. A leading UTF-8 BOM is skipped and not counted, so the result
 * equals `scanPython(new TextDecoder().decode(bytes))` for any bytes (invalid sequences count as U+FFFD, as the
 * decoder makes them). Pure; never throws.
 */
export function scanPythonBytes(bytes: Uint8Array): FileScan {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return scanBuffer(bytes, bom ? 3 : 0);
}
