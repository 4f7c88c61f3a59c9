/**
 * pymono's diagnostics in a real workbench, on the copy of examples/monorepo the driver opened: an undeclared
 * import listed in expected-findings.json is reported on its line, shows in the Problems panel (the README's
 * picture, docs/images/problems.png), and disappears when a WorkspaceEdit removes the import.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { type ExpectedFinding, pickImportFinding, readExpectedFindings } from './findings';
import { activatePymono } from './pymono';
import { snap } from './screenshots';
import { describeDiagnostics, diagnosticCode, waitForDiagnostics } from './waits';

/** Bound on one round trip edit -> re-check -> publishDiagnostics, in milliseconds. */
const DIAGNOSTICS_TIMEOUT_MS = 30_000;

/** pymono's diagnostics on `uri` with rule `code` whose range starts on 0-based `line` (any line when omitted). */
function pymonoDiagnostics(diagnostics: readonly vscode.Diagnostic[], code: string, line?: number): vscode.Diagnostic[] {
  return diagnostics.filter(
    (d) => d.source === 'pymono' && diagnosticCode(d) === code && (line === undefined || d.range.start.line === line),
  );
}

describe('pymono diagnostics on the example monorepo (real extension host)', function () {
  let finding: ExpectedFinding & { module: string };
  let uri: vscode.Uri;
  let doc: vscode.TextDocument;
  /** 0-based line of the import, as the diagnostic and the editor count. */
  let line: number;

  before(async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the workbench opened no workspace folder');
    finding = pickImportFinding(readExpectedFindings(folder.uri.fsPath));
    uri = vscode.Uri.joinPath(folder.uri, ...finding.path.split('/'));
    line = finding.line - 1;
    await activatePymono();
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0) });
  });

  it('reports the undeclared import of expected-findings.json with its code on its line', async function () {
    const found = await waitForDiagnostics(
      uri,
      (ds) => pymonoDiagnostics(ds, finding.code, line).length > 0,
      DIAGNOSTICS_TIMEOUT_MS,
      `a pymono ${finding.code} diagnostic on line ${finding.line} (import of ${finding.module})`,
    );
    const [diagnostic] = pymonoDiagnostics(found, finding.code, line);
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error, `${finding.code} should be an error`);
    const flagged = doc.getText(diagnostic.range);
    assert.ok(
      finding.module.startsWith(flagged) || flagged.includes(finding.module.split('.')[0]),
      `the diagnostic's range covers '${flagged}', not the import of ${finding.module}`,
    );
  });

  it('shows the finding in the Problems panel (docs/images/problems.png)', async function () {
    const [diagnostic] = pymonoDiagnostics(vscode.languages.getDiagnostics(uri), finding.code, line);
    assert.ok(diagnostic, `no ${finding.code} diagnostic to show:\n${describeDiagnostics(vscode.languages.getDiagnostics(uri))}`);
    // Open the panel first, then switch editors: with `problems.autoReveal` (default on) the panel scrolls to
    // the active file's problems, so the finding is on screen even when the list is longer than the panel.
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // Cursor at the start of the flagged name (an empty selection), so the picture shows the squiggle.
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(diagnostic.range.start, diagnostic.range.start) });
    // The driver takes the picture once the message is visible in the panel and the editor has drawn the
    // squiggle (no-op under @vscode/test-electron).
    await snap('problems', { waitForText: diagnostic.message, within: '.markers-panel', waitForSelector: '.monaco-editor .squiggly-error' });
  });

  it('clears the finding when a WorkspaceEdit removes the import, and reports it again when restored', async function () {
    const importLine = doc.lineAt(line);
    const removed = doc.getText(importLine.rangeIncludingLineBreak);
    assert.ok(removed.includes(finding.module.split('.')[0]), `line ${finding.line} is not the import of ${finding.module}: '${importLine.text}'`);

    const remove = new vscode.WorkspaceEdit();
    remove.delete(uri, importLine.rangeIncludingLineBreak);
    assert.ok(await vscode.workspace.applyEdit(remove), 'VS Code refused the edit removing the import');
    await waitForDiagnostics(
      uri,
      (ds) => pymonoDiagnostics(ds, finding.code).every((d) => !d.message.includes(finding.module)) &&
        pymonoDiagnostics(ds, finding.code, line).length === 0,
      DIAGNOSTICS_TIMEOUT_MS,
      `the ${finding.code} diagnostic for ${finding.module} to disappear after removing line ${finding.line}`,
    );

    // Putting the line back proves the server is still checking this file (the diagnostic did not vanish
    // because the server stopped publishing).
    const restore = new vscode.WorkspaceEdit();
    restore.insert(uri, new vscode.Position(line, 0), removed);
    assert.ok(await vscode.workspace.applyEdit(restore), 'VS Code refused the edit restoring the import');
    await waitForDiagnostics(
      uri,
      (ds) => pymonoDiagnostics(ds, finding.code, line).length > 0,
      DIAGNOSTICS_TIMEOUT_MS,
      `the ${finding.code} diagnostic to come back on line ${finding.line} after restoring the import`,
    );
  });
});
