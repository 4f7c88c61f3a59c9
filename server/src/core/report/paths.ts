/**
 * Path and position helpers shared by the report formatters: reports show paths POSIX-style relative to the
 * workspace root and positions 1-based (the convention of ruff, deptry, GitHub annotations and SARIF), while the
 * core speaks absolute OS paths and 0-based UTF-16 positions (model.ts).
 */
import * as path from 'node:path';
import type { Range } from '../model';

/**
 * `file` relative to `root`, with `/` separators: `services/api/app.py`; `.` for the root itself. A file outside
 * the root keeps its `..` segments; a file on another Windows drive stays absolute (with `/` separators).
 * Pure string work (node:path), no file-system access.
 */
export function relativePosix(root: string, file: string): string {
  const rel = path.relative(root, file);
  if (rel === '') return '.';
  return rel.split(path.sep).join('/');
}

/**
 * A report region: 1-based `line`/`column` of the start and `endLine`/`endColumn` of the end, where `endColumn`
 * is exclusive (the column just after the last character), as SARIF 2.1.0 §3.30 defines it. Columns count
 * UTF-16 code units like the core's ranges.
 */
export interface OneBasedRegion {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Converts a 0-based half-open core range to a 1-based region with an exclusive end column. */
export function toOneBased(range: Range): OneBasedRegion {
  return {
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/** `n word` or `n words`: `plural(1, 'problem')` is `1 problem`, `plural(2, 'package')` is `2 packages`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
