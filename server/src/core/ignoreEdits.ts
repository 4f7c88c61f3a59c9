/**
 * The two "ignore" quick fixes every rule offers (docs/rules.md, first paragraph):
 * - on one line: `# pymono: ignore[CODE]` appended to the line, or CODE added to the ignore comment already there
 *   (Python files, pyproject.toml, requirements files and Dockerfiles all take `#` comments);
 * - for a whole package: CODE added to `[tool.pymono.per-package-ignores]` of the workspace root pyproject.toml,
 *   creating the entry, or the table (after the last `[tool.pymono...]` table, else at the end of the file).
 * Edits are minimal text edits; every other byte of the file is kept.
 */
import type { Position } from './model';
import { normalizeName } from './manifests/pep508';
import { isTable } from './manifests/pyprojectContext';
import type { ManifestEditResult, TextEdit } from './edits';
import { applyOffsetEdits, toTextEdits } from './edits/textEdit';
import { addKeyToTable, appendToArray, createTable, parsesAsToml, readToml, tomlString, valueAt } from './edits/tomlEdits';

const DIRECTIVE = /#\s*pymono:\s*ignore(?:\[([^\]]*)\])?/;

/**
 * The edit that suppresses `code` on 0-based line `line` of `text`, or `undefined` when the line already
 * suppresses it (or does not exist). A Python line continued by a backslash gets the comment on the last line
 * of the continuation, where a comment is allowed. Trailing whitespace of the line is replaced by the comment.
 */
export function ignoreOnLineEdit(text: string, line: number, code: string): TextEdit | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  if (line < 0 || line >= lines.length) return undefined;
  let target = line;
  while (/\\\s*$/.test(lines[target]) && target + 1 < lines.length) target++;
  for (let l = line; l <= target; l++) {
    const m = DIRECTIVE.exec(lines[l]);
    if (!m) continue;
    if (m[1] === undefined) return undefined;
    const codes = m[1].split(',').map((c) => c.trim().toUpperCase());
    if (codes.includes(code)) return undefined;
    const close = m.index + m[0].length - 1;
    const sep = m[1].includes(', ') ? ', ' : ',';
    const at: Position = { line: l, character: close };
    return { range: { start: at, end: at }, newText: m[1].trim() === '' ? code : `${sep}${code}` };
  }
  const body = lines[target];
  const end = body.replace(/\s+$/, '').length;
  const lead = end === 0 ? '' : '  ';
  return { range: { start: { line: target, character: end }, end: { line: target, character: body.length } }, newText: `${lead}# pymono: ignore[${code}]` };
}

const TABLE = ['tool', 'pymono', 'per-package-ignores'];

/**
 * Edits of the root pyproject.toml (`file`, text `text`) that add `code` to the per-package ignores of the
 * package `packageId` (PEP 503 normalized; existing keys are compared normalized). Fails when the file does not
 * parse, the package already ignores the code, or the table is written in a form that cannot be extended
 * (an inline `[tool] pymono = {...}`): the reason says so.
 */
export function ignoreForPackageEdits(file: string, text: string, packageId: string, code: string): ManifestEditResult {
  const title = `Ignore ${code} for package '${packageId}'`;
  const read = readToml(text);
  if (!read.ok) return { ok: false, reason: `${file}: ${read.reason}` };
  const doc = read.doc;
  const table = valueAt(doc, TABLE);
  const entry = `${tomlString(packageId, '"')} = [${tomlString(code, '"')}]`;
  let step;
  if (isTable(table)) {
    const key = Object.keys(table).find((k) => normalizeName(k) === packageId);
    const codes = key === undefined ? undefined : table[key];
    if (key !== undefined && Array.isArray(codes)) {
      if (codes.includes(code)) return { ok: false, reason: `${file}: '${packageId}' already ignores ${code}` };
      step = appendToArray(doc, [...TABLE, key], tomlString(code, '"'));
    } else if (key !== undefined) {
      return { ok: false, reason: `${file}: [tool.pymono.per-package-ignores] '${key}' is not an array; fix it first` };
    } else {
      step = addKeyToTable(doc, TABLE, tomlString(packageId, '"'), `[${tomlString(code, '"')}]`);
    }
  } else if (table !== undefined) {
    return { ok: false, reason: `${file}: [tool.pymono] per-package-ignores is not a table; fix it first` };
  } else {
    step = createTable(doc, TABLE.join('.'), [entry], [['tool', 'pymono']]);
  }
  if (!step.ok) return { ok: false, reason: `${file}: ${step.reason}` };
  const after = applyOffsetEdits(text, step.edits);
  const check = parsesAsToml(after);
  if (!check.ok) return { ok: false, reason: `${file}: the edit would break the file (${check.reason}); add ${code} by hand` };
  return { ok: true, edits: toTextEdits(text, step.edits), title };
}
