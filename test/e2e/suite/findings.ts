/**
 * Reads the example monorepo's contract file, `expected-findings.json` (examples/monorepo/README.md, "Contract
 * files"): an array of `{ code, path, line, module?, distribution? }` with `path` POSIX relative to the monorepo
 * root and `line` 1-based.
 */
import * as fs from 'fs';
import * as path from 'path';

/** One expected finding, as written in expected-findings.json. */
export interface ExpectedFinding {
  code: string;
  /** POSIX path relative to the monorepo root. */
  path: string;
  /** 1-based line. */
  line: number;
  /** Dotted module as imported (PM001..PM004). */
  module?: string;
  distribution?: string;
}

function isExpectedFinding(value: unknown): value is ExpectedFinding {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === 'string' &&
    typeof v.path === 'string' &&
    typeof v.line === 'number' &&
    Number.isInteger(v.line) &&
    v.line >= 1 &&
    (v.module === undefined || typeof v.module === 'string') &&
    (v.distribution === undefined || typeof v.distribution === 'string')
  );
}

/**
 * Parses `<root>/expected-findings.json`. Throws an Error naming the file and the offending entry index when the
 * file is missing, is not JSON, or an entry lacks `code`/`path`/`line` (the suite reports that as a failed hook).
 */
export function readExpectedFindings(root: string): ExpectedFinding[] {
  const file = path.join(root, 'expected-findings.json');
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err: unknown) {
    throw new Error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(data)) throw new Error(`${file}: expected a JSON array of findings`);
  return data.map((entry: unknown, i) => {
    if (!isExpectedFinding(entry)) throw new Error(`${file}: entry ${i} is not {code, path, line>=1}: ${JSON.stringify(entry)}`);
    return entry;
  });
}

/**
 * The first expected undeclared-import finding (`code`, default PM001) on a Python file that names its module,
 * i.e. one whose import line the suite can delete. Throws when the contract holds none.
 */
export function pickImportFinding(findings: readonly ExpectedFinding[], code = 'PM001'): ExpectedFinding & { module: string } {
  const found = findings.find((f) => f.code === code && f.path.endsWith('.py') && f.module !== undefined);
  if (!found || found.module === undefined) throw new Error(`expected-findings.json lists no ${code} on a .py file with a module`);
  return { ...found, module: found.module };
}
