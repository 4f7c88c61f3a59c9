/**
 * `# pymono: ignore` and `# pymono: ignore[PM001,PM003]` on manifest lines (pyproject.toml, requirements files,
 * Dockerfiles all use `#` comments). Python files get the same comments from the import scanner.
 */
import type { Finding } from '../model';

const IGNORE = /#\s*pymono:\s*ignore(?:\[([^\]]*)\])?/;

/** True when the finding's first line in `text` carries an ignore comment that covers its code. */
export function suppressedByComment(finding: Finding, text: string | undefined): boolean {
  if (text === undefined) return false;
  const line = lineAt(text, finding.range.start.line);
  const m = IGNORE.exec(line);
  if (!m) return false;
  if (m[1] === undefined) return true;
  return m[1].split(',').map((c) => c.trim()).includes(finding.code);
}

/** The 0-based line `n` of `text` (CRLF-safe), or '' past the end. */
function lineAt(text: string, n: number): string {
  let start = 0;
  for (let i = 0; i < n; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return (end < 0 ? text.slice(start) : text.slice(start, end)).replace(/\r$/, '');
}
