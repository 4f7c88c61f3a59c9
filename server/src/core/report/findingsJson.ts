/**
 * `pymono check --format json`: the stable JSON shape of findings, and the plain record every findings
 * formatter (text, github, sarif) renders from.
 *
 * Shape (version 1, documented in README "CLI"):
 * `{"version":1,"findings":[{"code","rule","severity","package","path","line","column","endLine","endColumn",
 * "message","module"?,"distribution"?}]}` with `path` POSIX relative to the root, `line`/`column` 1-based and
 * `endColumn` exclusive (1-based column just after the range).
 */
import type { Finding, RuleCode, Severity } from '../model';
import { relativePosix, toOneBased } from './paths';

/** One finding as reports show it: relative POSIX path, 1-based region, no fix data. */
export interface FindingRecord {
  code: RuleCode;
  rule: string;
  severity: Severity;
  /** Normalized package id, `''` when the finding belongs to no package. */
  package: string;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  module?: string;
  distribution?: string;
}

/**
 * Converts core findings to report records, sorted by path, then line, column and code so that every output
 * format lists findings in the same, deterministic order whatever order the core produced them in.
 */
export function toFindingRecords(findings: readonly Finding[], root: string): FindingRecord[] {
  const records = findings.map((f): FindingRecord => {
    const record: FindingRecord = {
      code: f.code,
      rule: f.rule,
      severity: f.severity,
      package: f.package,
      path: relativePosix(root, f.file),
      ...toOneBased(f.range),
      message: f.message,
    };
    if (f.module !== undefined) record.module = f.module;
    if (f.distribution !== undefined) record.distribution = f.distribution;
    return record;
  });
  return records.sort(compareRecords);
}

function compareRecords(a: FindingRecord, b: FindingRecord): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}

/** Renders findings as the version-1 JSON document above (2-space indented, trailing newline). */
export function formatFindingsJson(findings: readonly Finding[], root: string): string {
  return JSON.stringify({ version: 1, findings: toFindingRecords(findings, root) }, null, 2) + '\n';
}
