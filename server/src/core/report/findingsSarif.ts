/**
 * `pymono check --format sarif`: a SARIF 2.1.0 log (OASIS Static Analysis Results Interchange Format, the input
 * of GitHub code scanning). One run; `tool.driver.rules` lists every rule (id, name, shortDescription, helpUri,
 * defaultConfiguration.level) and each result points at its rule by `ruleId` and `ruleIndex`, with a
 * `physicalLocation` whose `artifactLocation.uri` is relative to the `%SRCROOT%` base (the workspace root) and
 * whose `region` is 1-based with an exclusive `endColumn` (SARIF §3.30.5–3.30.8), counted in UTF-16 code units
 * (`columnKind`, §3.14.17).
 */
import { pathToFileURL } from 'node:url';
import type { Finding, RuleCode, Severity } from '../model';
import { toFindingRecords } from './findingsJson';

/** The rule metadata SARIF needs, passed in by the caller (the CLI builds it from `RULES` and `ruleDocUrl`). */
export interface SarifRule {
  id: RuleCode;
  name: string;
  summary: string;
  severity: Severity;
  helpUri: string;
}

/** Who produced the log. */
export interface SarifTool {
  name: string;
  version: string;
  informationUri?: string;
}

/** SARIF result levels (§3.27.10). */
export type SarifLevel = 'error' | 'warning' | 'note';

/** Maps a pymono severity to a SARIF level: information and hint become `note`. */
export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** The SARIF schema URI written as `$schema`. */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * Renders findings as a SARIF 2.1.0 JSON document (2-space indented, trailing newline). `rules` is the full rule
 * table in a fixed order; a finding whose code is missing from it gets no `ruleIndex` (its `ruleId` still says
 * which rule). `root` is the absolute workspace root, written as the `%SRCROOT%` base URI.
 */
export function formatFindingsSarif(
  findings: readonly Finding[],
  root: string,
  rules: readonly SarifRule[],
  tool: SarifTool,
): string {
  const index = new Map<string, number>(rules.map((r, i) => [r.id, i]));
  const results = toFindingRecords(findings, root).map((r) => {
    const ruleIndex = index.get(r.code);
    return {
      ruleId: r.code,
      ...(ruleIndex === undefined ? {} : { ruleIndex }),
      level: sarifLevel(r.severity),
      message: { text: r.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodePath(r.path), uriBaseId: '%SRCROOT%' },
            region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
          },
        },
      ],
      properties: {
        rule: r.rule,
        package: r.package,
        ...(r.module === undefined ? {} : { module: r.module }),
        ...(r.distribution === undefined ? {} : { distribution: r.distribution }),
      },
    };
  });
  let rootUri = pathToFileURL(root).href;
  if (!rootUri.endsWith('/')) rootUri += '/';
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            ...(tool.informationUri === undefined ? {} : { informationUri: tool.informationUri }),
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              helpUri: r.helpUri,
              defaultConfiguration: { level: sarifLevel(r.severity) },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** Percent-encodes each segment of a relative POSIX path so it is a valid URI reference (`a b.py` -> `a%20b.py`). */
function encodePath(posixPath: string): string {
  return posixPath.split('/').map((s) => (s === '..' || s === '.' ? s : encodeURIComponent(s))).join('/');
}
