/**
 * `pymono check` default output, in the style of ruff and deptry: one line per finding
 * `path:line:col: CODE message` (path POSIX relative to the root, 1-based line and column), then a summary line.
 */
import type { Finding } from '../model';
import { toFindingRecords } from './findingsJson';
import { plural } from './paths';

/** What the summary line needs besides the findings: how many packages and Python files were checked. */
export interface CheckStats {
  packages: number;
  files: number;
}

/**
 * Renders findings as text. The summary is `Found N problems (E errors, W warnings) in P packages` (P counts the
 * distinct packages the findings belong to; `information`/`hint` findings are added as `, I notes` when present),
 * or `All checks passed (P packages, F files)` when there are none. Ends with a newline.
 */
export function formatFindingsText(findings: readonly Finding[], root: string, stats: CheckStats): string {
  const records = toFindingRecords(findings, root);
  if (records.length === 0) {
    return `All checks passed (${plural(stats.packages, 'package')}, ${plural(stats.files, 'file')})\n`;
  }
  const lines = records.map((r) => `${r.path}:${r.line}:${r.column}: ${r.code} ${oneLine(r.message)}`);
  const errors = records.filter((r) => r.severity === 'error').length;
  const warnings = records.filter((r) => r.severity === 'warning').length;
  const notes = records.length - errors - warnings;
  const packages = new Set(records.map((r) => r.package).filter((p) => p !== '')).size;
  const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${notes > 0 ? `, ${plural(notes, 'note')}` : ''}`;
  lines.push(`Found ${plural(records.length, 'problem')} (${counts}) in ${plural(packages, 'package')}`);
  return lines.join('\n') + '\n';
}

/** Keeps one finding on one line: a message with line breaks (e.g. a TOML parser's excerpt) is joined with spaces. */
function oneLine(message: string): string {
  return message.replace(/\s*\r?\n\s*/g, ' ');
}
