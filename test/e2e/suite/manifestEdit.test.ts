/**
 * A manifest edit reaches pymono's diagnostics and sidebar in a real workbench, on the copy of examples/monorepo
 * the driver opened: billing-worker imports `acme.telemetry` without declaring it (PM002 of
 * expected-findings.json; telemetry only arrives through mq-client). Declaring `acme-telemetry` in
 * billing-worker's pyproject.toml through a WorkspaceEdit and saving clears the PM002 and turns billing-worker
 * into a direct dependent in acme-telemetry's "Used by"; the editor's Undo (then save) brings both back.
 *
 * The tree is read through the provider the extension exports on its API (`packageTree`), as tree.test.ts does.
 */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { type ExpectedFinding, readExpectedFindings } from './findings';
import { activatePymono } from './pymono';
import { diagnosticCode, waitForDiagnostics } from './waits';

/** Bound on one save -> re-index -> diagnostics / tree refresh round trip, in milliseconds. */
const TIMEOUT_MS = 30_000;

/** The part of the extension's API this file reads: the Packages tree's data provider. */
interface TreeApi {
  packageTree: {
    getChildren(node?: unknown): unknown[];
    getTreeItem(node: unknown): vscode.TreeItem;
    onDidRefresh: vscode.Event<unknown>;
  };
}

function isTreeApi(value: unknown): value is TreeApi {
  const v = value as Partial<TreeApi> | null;
  return typeof v?.packageTree?.getChildren === 'function' && typeof v.packageTree.getTreeItem === 'function' && typeof v.packageTree.onDidRefresh === 'function';
}

describe('pymono follows a manifest edit (real extension host)', function () {
  let tree: TreeApi['packageTree'];
  let finding: ExpectedFinding & { module: string };
  let uri: vscode.Uri;
  let manifest: vscode.Uri;
  /** The manifest's text before the test, put back by `after` should the test stop half-way. */
  let original: string | undefined;

  const label = (node: unknown): string => {
    const l = tree.getTreeItem(node).label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  };
  const childNamed = (node: unknown, name: string): unknown => {
    const found = tree.getChildren(node).find((c) => label(c) === name);
    assert.ok(found !== undefined, `no '${name}' under '${node === undefined ? '(top)' : label(node)}': [${tree.getChildren(node).map(label).join(', ')}]`);
    return found;
  };
  /** "name" or "name (description)" for each entry of the library's "Used by". */
  const usedBy = (library: string): string[] =>
    tree
      .getChildren(childNamed(childNamed(childNamed(undefined, 'Libraries'), library), 'Used by'))
      .map((n) => {
        const d = tree.getTreeItem(n).description;
        return typeof d === 'string' && d !== '' ? `${label(n)} (${d})` : label(n);
      });

  /** Resolves once `accept()` holds, checked now and on every tree refresh; rejects after `ms` with what the tree shows. */
  const waitForTree = (accept: () => boolean, what: string, seen: () => string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!accept()) return;
        clearTimeout(timer);
        sub.dispose();
        resolve();
      };
      const sub = tree.onDidRefresh(check);
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what}; the tree shows ${seen()}`));
      }, TIMEOUT_MS);
      check();
    });

  const pm002 = (ds: readonly vscode.Diagnostic[]): vscode.Diagnostic[] =>
    ds.filter((d) => d.source === 'pymono' && diagnosticCode(d) === finding.code && d.range.start.line === finding.line - 1);
  const telemetryUsers = (): string => usedBy('acme-telemetry').join(', ');
  const billingIsDirect = (): boolean => usedBy('acme-telemetry').includes('billing-worker');
  const billingIsViaMq = (): boolean => usedBy('acme-telemetry').some((u) => /^billing-worker \(via mq-client\b/.test(u));

  before(async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the workbench opened no workspace folder');
    const found = readExpectedFindings(folder.uri.fsPath).find((f) => f.code === 'PM002' && f.module?.startsWith('acme.telemetry'));
    assert.ok(found?.module, 'expected-findings.json lists no PM002 for an acme.telemetry import');
    finding = { ...found, module: found.module };
    uri = vscode.Uri.joinPath(folder.uri, ...finding.path.split('/'));
    // billing-worker has a flat layout: <package>/<import package>/<file>.py.
    manifest = vscode.Uri.joinPath(folder.uri, ...finding.path.split('/').slice(0, -2), 'pyproject.toml');
    const exported: unknown = await activatePymono();
    assert.ok(isTreeApi(exported), 'the API exposes no packageTree');
    tree = exported.packageTree;
    await waitForTree(() => tree.getChildren().length > 0, 'the first snapshot', () => 'nothing');
    await waitForDiagnostics(uri, (ds) => pm002(ds).length > 0, TIMEOUT_MS, `the ${finding.code} diagnostic for ${finding.module} on line ${finding.line}`);
  });

  after(async function () {
    // Tests share the workspace copy (tree.test.ts reads billing-worker's relation to acme-telemetry).
    if (original === undefined) return;
    const doc = await vscode.workspace.openTextDocument(manifest);
    if (doc.getText() === original && !doc.isDirty) return;
    const restore = new vscode.WorkspaceEdit();
    restore.replace(manifest, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
    assert.ok(await vscode.workspace.applyEdit(restore), `VS Code refused to restore ${manifest.fsPath}`);
    assert.ok(await doc.save(), `saving the restored ${manifest.fsPath} failed`);
  });

  it('clears the undeclared-library diagnostic and makes the service a direct dependent when the manifest declares it; Undo restores both', async function () {
    assert.ok(billingIsViaMq(), `before the edit billing-worker should use acme-telemetry via mq-client; Used by: ${telemetryUsers()}`);
    const doc = await vscode.workspace.openTextDocument(manifest);
    original = doc.getText();
    const anchor = '    "mq-client",\n';
    const offset = original.indexOf(anchor);
    assert.ok(offset >= 0, `${path.basename(path.dirname(manifest.fsPath))}/pyproject.toml has no line ${JSON.stringify(anchor)}`);
    await vscode.window.showTextDocument(doc, { preview: false });

    const add = new vscode.WorkspaceEdit();
    add.insert(manifest, doc.positionAt(offset + anchor.length), '    "acme-telemetry",\n');
    assert.ok(await vscode.workspace.applyEdit(add), 'VS Code refused the edit');
    assert.ok(await doc.save(), `saving ${manifest.fsPath} failed`);
    await waitForDiagnostics(uri, (ds) => pm002(ds).length === 0, TIMEOUT_MS, `the ${finding.code} diagnostic to go away once billing-worker declares acme-telemetry`);
    await waitForTree(billingIsDirect, "billing-worker as a direct entry of acme-telemetry's Used by", telemetryUsers);

    // The user's Undo in the manifest's editor, then save: the file is as before and so are the findings.
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, manifest.fsPath, 'the manifest is not the active editor');
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), original, 'Undo did not restore the manifest text');
    assert.ok(await doc.save(), `saving ${manifest.fsPath} after Undo failed`);
    await waitForDiagnostics(uri, (ds) => pm002(ds).length > 0, TIMEOUT_MS, `the ${finding.code} diagnostic to come back after Undo`);
    await waitForTree(billingIsViaMq, 'billing-worker to be reached via mq-client again after Undo', telemetryUsers);
  });
});
