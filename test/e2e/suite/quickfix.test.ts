/**
 * pymono's quick fix in a real workbench, on the copy of examples/monorepo the driver opened: the undeclared
 * import of expected-findings.json (PM001 `requests` in orders-api's inventory.py) offers "Add `requests` to
 * orders-api's dependencies" as its preferred fix; the quick-fix menu open on the squiggle is the README's
 * picture (docs/images/quickfix.png); applying the fix adds exactly one line to orders-api's pyproject.toml
 * (every other byte, comments included, unchanged) and the diagnostic goes away.
 *
 * Tests share the workspace copy: the manifest is put back (and saved) at the end, and the diagnostic is awaited
 * again, so later files see the example monorepo as it was.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { type ExpectedFinding, pickImportFinding, readExpectedFindings } from './findings';
import { activatePymono } from './pymono';
import { snapTransient } from './screenshots';
import { describeDiagnostics, diagnosticCode, waitForDiagnostics, withTimeout } from './waits';

/** Bound on one round trip edit/save -> re-index -> publishDiagnostics, and on one code-action request, in milliseconds. */
const TIMEOUT_MS = 30_000;

/** pymono's `code` diagnostics starting on 0-based `line`. */
function findingsOn(diagnostics: readonly vscode.Diagnostic[], code: string, line: number): vscode.Diagnostic[] {
  return diagnostics.filter((d) => d.source === 'pymono' && diagnosticCode(d) === code && d.range.start.line === line);
}

/**
 * `original` with `added` inserted as a line of its own just before the `]` closing its multi-line
 * `dependencies = [` array: the text a PEP 621 "add requirement" fix must produce on a file written one entry
 * per line. Fails when the file has no such array.
 */
function withAppendedDependency(original: string, added: string): string {
  const lines = original.split('\n');
  const open = lines.findIndex((l) => /^dependencies\s*=\s*\[\s*$/.test(l));
  assert.ok(open >= 0, `no multi-line 'dependencies = [' in:\n${original}`);
  const close = lines.findIndex((l, i) => i > open && /^\]\s*$/.test(l));
  assert.ok(close > open, `'dependencies = [' is never closed in:\n${original}`);
  return [...lines.slice(0, close), added, ...lines.slice(close)].join('\n');
}


describe('pymono quick fix for an undeclared import (real extension host)', function () {
  let finding: ExpectedFinding & { module: string };
  let uri: vscode.Uri;
  let manifest: vscode.Uri;
  let original: string;
  let diagnostic: vscode.Diagnostic;
  let preferred: vscode.CodeAction;

  before(async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the workbench opened no workspace folder');
    finding = pickImportFinding(readExpectedFindings(folder.uri.fsPath));
    uri = vscode.Uri.joinPath(folder.uri, ...finding.path.split('/'));
    // The importing package's manifest: the pyproject.toml of the folder above src/ (orders-api's src layout).
    const pkgDir = finding.path.split('/src/')[0];
    assert.notStrictEqual(pkgDir, finding.path, `${finding.path} is not under a src/ layout package`);
    manifest = vscode.Uri.joinPath(folder.uri, ...pkgDir.split('/'), 'pyproject.toml');
    original = (await vscode.workspace.openTextDocument(manifest)).getText();
    await activatePymono();
    // Code-action requests need the document loaded (vscode.executeCodeActionProvider: "Illegal argument" otherwise).
    await vscode.workspace.openTextDocument(uri);
    const found = await waitForDiagnostics(
      uri,
      (ds) => findingsOn(ds, finding.code, finding.line - 1).length > 0,
      TIMEOUT_MS,
      `the ${finding.code} diagnostic for ${finding.module} on line ${finding.line}`,
    );
    diagnostic = findingsOn(found, finding.code, finding.line - 1)[0];
  });

  after(async function () {
    // Put the manifest back for the tests that follow, whatever happened above.
    const doc = await vscode.workspace.openTextDocument(manifest);
    if (doc.getText() === original && !doc.isDirty) return;
    const restore = new vscode.WorkspaceEdit();
    restore.replace(manifest, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
    assert.ok(await vscode.workspace.applyEdit(restore), `VS Code refused to restore ${manifest.fsPath}`);
    assert.ok(await doc.save(), `saving the restored ${manifest.fsPath} failed`);
    await waitForDiagnostics(
      uri,
      (ds) => findingsOn(ds, finding.code, finding.line - 1).length > 0,
      TIMEOUT_MS,
      `the ${finding.code} diagnostic to come back once ${manifest.fsPath} was restored`,
    );
  });

  it("offers adding the distribution to the importing package's dependencies as the preferred fix", async function () {
    const actions = await withTimeout(
      vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        uri,
        diagnostic.range,
        vscode.CodeActionKind.QuickFix.value,
      ),
      TIMEOUT_MS,
      `the code actions on ${finding.path}:${finding.line}`,
    );
    // A bare Command has a string `command`; a CodeAction has a Command object there, or none.
    const fixes = (actions ?? []).filter((a): a is vscode.CodeAction => typeof a.command !== 'string');
    const titles = fixes.map((a) => `${a.isPreferred ? '* ' : ''}${a.title}`).join('\n  ');
    const best = fixes.filter((a) => a.isPreferred);
    assert.strictEqual(best.length, 1, `expected one preferred quick fix, got:\n  ${titles}`);
    preferred = best[0];
    const distribution = finding.distribution ?? finding.module.split('.')[0];
    assert.match(
      preferred.title,
      new RegExp(`^Add \`${distribution}[^\`]*\` to orders-api's dependencies$`),
      `the preferred fix's title; all fixes:\n  ${titles}`,
    );
    assert.ok(preferred.edit, `the preferred fix carries no WorkspaceEdit`);
    assert.deepStrictEqual(
      preferred.edit.entries().map(([u]) => u.fsPath),
      [manifest.fsPath],
      'the preferred fix should edit only the importing package manifest',
    );
  });

  it('shows the quick-fix menu on the squiggle (docs/images/quickfix.png)', async function () {
    assert.ok(preferred, 'no preferred fix from the previous test');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const doc = await vscode.workspace.openTextDocument(uri);
    // The menu renders the title as plain text; wait for the preferred fix in the action widget and the squiggle.
    const request = { waitForText: preferred.title, within: '.action-widget', waitForSelector: '.monaco-editor .squiggly-error', timeoutMs: 8_000 };
    await snapTransient('quickfix', request, async () => {
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(diagnostic.range.start, diagnostic.range.start), preview: false });
      await vscode.commands.executeCommand('editor.action.quickFix');
    });
    await vscode.commands.executeCommand('hideCodeActionWidget');
  });

  it('applies the fix: one line added to the manifest, comments intact, and the diagnostic goes away', async function () {
    assert.ok(preferred?.edit, 'no preferred fix from the first test');
    const requirement = /^Add `([^`]+)`/.exec(preferred.title)?.[1];
    assert.ok(requirement, `cannot read the requirement from '${preferred.title}'`);
    assert.ok(await vscode.workspace.applyEdit(preferred.edit), 'VS Code refused the quick fix edit');
    const doc = await vscode.workspace.openTextDocument(manifest);
    assert.ok(await doc.save(), `saving ${manifest.fsPath} failed`);

    const expected = withAppendedDependency(original, `    "${requirement}",`);
    assert.strictEqual(doc.getText(), expected, `${manifest.fsPath} after the fix (editor buffer)`);
    const onDisk = Buffer.from(await vscode.workspace.fs.readFile(manifest)).toString('utf8');
    assert.strictEqual(onDisk, expected, `${manifest.fsPath} after the fix (saved file)`);
    const comments = original.split('\n').filter((l) => l.trimStart().startsWith('#'));
    assert.ok(comments.length > 0, 'the manifest has no comment to check');
    for (const c of comments) assert.ok(onDisk.includes(c), `comment lost: ${c}`);

    await waitForDiagnostics(
      uri,
      (ds) => findingsOn(ds, finding.code, finding.line - 1).length === 0,
      TIMEOUT_MS,
      `the ${finding.code} diagnostic for ${finding.module} to go away after the fix`,
    );
    assert.ok(
      !vscode.languages.getDiagnostics(manifest).some((d) => d.source === 'pymono' && d.message.includes(`'${requirement}'`)),
      `the added requirement is itself reported:\n${describeDiagnostics(vscode.languages.getDiagnostics(manifest))}`,
    );
  });
});
