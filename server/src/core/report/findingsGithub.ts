/**
 * `pymono check --format github`: GitHub Actions workflow commands, which the runner turns into annotations on the
 * pull request diff. One line per finding:
 * `::error file=path,line=L,col=C,endLine=L2,endColumn=C2,title=PM001 undeclared-dependency::message`
 * (`warning` for warnings, `notice` for information and hints).
 * Source: GitHub docs "Workflow commands for GitHub Actions" (setting an error/warning/notice message) and the
 * escaping rules of actions/toolkit `command.ts` (`escapeData`, `escapeProperty`).
 */
import type { Finding, Severity } from '../model';
import { toFindingRecords } from './findingsJson';

/** Renders findings as workflow commands, one per line, each line ending with a newline; `''` for no findings. */
export function formatFindingsGithub(findings: readonly Finding[], root: string): string {
  return toFindingRecords(findings, root)
    .map((r) => {
      const props = [
        `file=${escapeProperty(r.path)}`,
        `line=${r.line}`,
        `col=${r.column}`,
        `endLine=${r.endLine}`,
        `endColumn=${r.endColumn}`,
        `title=${escapeProperty(`${r.code} ${r.rule}`)}`,
      ].join(',');
      return `::${commandFor(r.severity)} ${props}::${escapeData(r.message)}\n`;
    })
    .join('');
}

/** The workflow command for a severity: error, warning, or notice for the two informational ones. */
export function commandFor(severity: Severity): 'error' | 'warning' | 'notice' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'notice';
}

/** Escapes a message: `%`, CR and LF become `%25`, `%0D`, `%0A` (actions/toolkit `escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value: as `escapeData`, plus `:` and `,` become `%3A` and `%2C` (`escapeProperty`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
