/**
 * The "Python Monorepo" sidebar in a real workbench, on the copy of examples/monorepo the driver opened: the
 * Packages view lists the services and libraries of expected-graph.json, a library's "Used by" names a
 * transitive dependent with the package it goes through, the view follows the active editor, and a manifest
 * edit saved through a WorkspaceEdit reaches the tree (pymono/graphChanged -> snapshot). Also takes the README's
 * picture of the tree (docs/images/tree.png).
 *
 * The tree is read the way VS Code reads it: through the provider's getChildren/getTreeItem (exported on the
 * extension's API as `packageTree`), checked structurally at run time, like any consumer of `exports`.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, activatePymono } from './pymono';
import { snap } from './screenshots';
import { withTimeout } from './waits';

/** Bound on one manifest edit -> re-index -> graphChanged -> snapshot -> new tree, in milliseconds. */
const TREE_TIMEOUT_MS = 20_000;

/** The part of the API this file uses. */
interface TreeApi {
  packageTree: {
    getChildren(node?: unknown): unknown[];
    getTreeItem(node: unknown): vscode.TreeItem;
    getParent(node: unknown): unknown;
    onDidRefresh: vscode.Event<unknown>;
  };
  packageView: vscode.TreeView<unknown>;
}

function isTreeApi(value: unknown): value is TreeApi {
  const v = value as Partial<TreeApi> | null;
  return (
    typeof v?.packageTree?.getChildren === 'function' &&
    typeof v.packageTree.getTreeItem === 'function' &&
    typeof v.packageTree.onDidRefresh === 'function' &&
    typeof v.packageView?.reveal === 'function'
  );
}

/** A node with its rendered TreeItem's label and description. */
interface Shown {
  node: unknown;
  label: string;
  description: string;
}

interface ExpectedGraph {
  packages: { name: string; path: string; kind: string; dependencies: string[] }[];
}

describe('pymono package tree (real extension host)', function () {
  let api: TreeApi;
  let root: vscode.Uri;
  let expected: ExpectedGraph;

  const show = (node: unknown): Shown => {
    const item = api.packageTree.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    return { node, label, description: typeof item.description === 'string' ? item.description : '' };
  };
  const children = (node?: unknown): Shown[] => api.packageTree.getChildren(node).map(show);
  const child = (node: unknown, label: string): Shown => {
    const found = children(node).find((c) => c.label === label);
    assert.ok(found, `no '${label}' under '${node === undefined ? '(top)' : show(node).label}': [${children(node).map((c) => c.label).join(', ')}]`);
    return found;
  };
  /** "name (description)" of each relation under a library's section. */
  const usedBy = (library: string, group = 'Libraries'): string[] =>
    children(child(child(undefined, group).node, library).node)
      .filter((s) => s.label === 'Used by')
      .flatMap((s) => children(s.node))
      .map((r) => (r.description ? `${r.label} (${r.description})` : r.label));

  /** Resolves once `accept()` holds, checked now and after every tree refresh; rejects after `ms` with what was seen. */
  const waitForTree = (accept: () => boolean, ms: number, what: string, seen: () => string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      let sub: vscode.Disposable | undefined;
      const timer = setTimeout(() => {
        sub?.dispose();
        reject(new Error(`timed out after ${ms} ms waiting for ${what}; the tree shows ${seen()}`));
      }, ms);
      const check = (): void => {
        if (!accept()) return;
        clearTimeout(timer);
        sub?.dispose();
        resolve();
      };
      sub = api.packageTree.onDidRefresh(check);
      check();
    });

  before(async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the workbench opened no workspace folder');
    root = folder.uri;
    expected = JSON.parse(fs.readFileSync(path.join(root.fsPath, 'expected-graph.json'), 'utf8')) as ExpectedGraph;
    const exported: unknown = await activatePymono();
    assert.ok(isTreeApi(exported), 'the API exposes no packageTree/packageView');
    api = exported;
    await waitForTree(() => children().length > 0, TREE_TIMEOUT_MS, 'the first snapshot', () => 'nothing');
  });

  it('lists the services and libraries of expected-graph.json under Services and Libraries', function () {
    assert.deepStrictEqual(children().map((c) => c.label), ['Services', 'Libraries']);
    for (const [group, kind] of [['Services', 'service'], ['Libraries', 'library']]) {
      const shown = children(child(undefined, group).node).map((c) => c.label).sort();
      const want = expected.packages.filter((p) => p.kind === kind).map((p) => p.name).sort();
      assert.deepStrictEqual(shown, want, `${group}`);
    }
    assert.match(child(child(undefined, 'Libraries').node, 'acme-models').description, /^2\.1\.0\b/, 'a package shows its version');
  });

  it("shows a library's dependents under Used by, a transitive one with the package it goes through", function () {
    const users = usedBy('acme-telemetry');
    // Direct dependents come from expected-graph.json; billing-worker only reaches telemetry through mq-client.
    const direct = expected.packages.filter((p) => p.dependencies.includes('acme-telemetry')).map((p) => p.name);
    for (const name of direct) assert.ok(users.some((u) => u.startsWith(`${name} `) || u === name), `${name} missing from Used by: ${users.join(', ')}`);
    assert.ok(users.some((u) => /^billing-worker \(via mq-client/.test(u)), `no 'billing-worker via mq-client' in Used by: ${users.join(', ')}`);
  });

  it('reveals the package owning the active editor and shows it (docs/images/tree.png)', async function () {
    await vscode.commands.executeCommand('workbench.view.extension.pymono');
    await waitForTree(() => api.packageView.visible, TREE_TIMEOUT_MS, 'the Packages view to be visible', () => 'a hidden view');
    const file = vscode.Uri.joinPath(root, 'libs', 'telemetry', 'src', 'acme', 'telemetry', 'tracing.py');
    await vscode.window.showTextDocument(file, { preview: false });
    const selected = (): string => api.packageView.selection.map((n) => show(n).label).join(', ');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the view did not select acme-telemetry; selection: [${selected()}]`)), TREE_TIMEOUT_MS);
      const check = (): void => {
        if (selected() !== 'acme-telemetry') return;
        clearTimeout(timer);
        sub.dispose();
        resolve();
      };
      const sub = api.packageView.onDidChangeSelection(check);
      check();
    });
    // Expand telemetry's "Used by" for the picture (reveal walks getParent up to the group).
    const telemetry = child(child(undefined, 'Libraries').node, 'acme-telemetry');
    await api.packageView.reveal(child(telemetry.node, 'Used by').node, { expand: true, select: false, focus: false });
    // The picture is about the sidebar: give the editor the full height.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await snap('tree', { waitForText: 'via mq-client', within: '.part.sidebar' });
  });

  it('updates the tree when a manifest edit adding an internal dependency is saved, and again when it is undone', async function () {
    const manifest = vscode.Uri.joinPath(root, 'libs', 'models', 'pyproject.toml');
    const doc = await vscode.workspace.openTextDocument(manifest);
    const anchor = '    "pydantic>=2.5,<3",\n';
    const offset = doc.getText().indexOf(anchor);
    assert.ok(offset >= 0, `libs/models/pyproject.toml has no line ${JSON.stringify(anchor)}`);
    const at = doc.positionAt(offset + anchor.length);
    const added = '    "acme-telemetry",\n';
    const hasModels = (): boolean => usedBy('acme-telemetry').some((u) => u === 'acme-models' || u.startsWith('acme-models ('));
    assert.ok(!hasModels(), 'acme-models already uses acme-telemetry before the edit');

    const add = new vscode.WorkspaceEdit();
    add.insert(manifest, at, added);
    assert.ok(await vscode.workspace.applyEdit(add), 'VS Code refused the edit');
    assert.ok(await doc.save(), 'saving libs/models/pyproject.toml failed');
    await waitForTree(hasModels, TREE_TIMEOUT_MS, "acme-models under acme-telemetry's Used by", () => usedBy('acme-telemetry').join(', '));
    const models = child(child(undefined, 'Libraries').node, 'acme-models');
    assert.ok(children(child(models.node, 'Depends on').node).some((r) => r.label === 'acme-telemetry'), "acme-telemetry is not under acme-models' Depends on");

    const undo = new vscode.WorkspaceEdit();
    undo.delete(manifest, new vscode.Range(at, doc.positionAt(doc.offsetAt(at) + added.length)));
    assert.ok(await vscode.workspace.applyEdit(undo), 'VS Code refused the undo edit');
    assert.ok(await doc.save(), 'saving libs/models/pyproject.toml failed');
    await waitForTree(() => !hasModels(), TREE_TIMEOUT_MS, 'acme-models to leave Used by after the undo', () => usedBy('acme-telemetry').join(', '));
  });

  it('registers every command package.json contributes', async function () {
    const contributed: unknown = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON?.contributes?.commands;
    assert.ok(Array.isArray(contributed) && contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c: { command?: unknown }) => String(c.command)).filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], 'contributed but not registered');
  });

  it('restarts the language server from its command and fills the tree again', async function () {
    const refilled = new Promise<void>((resolve) => {
      const sub = api.packageTree.onDidRefresh(() => {
        if (children().length === 0) return;
        sub.dispose();
        resolve();
      });
    });
    await withTimeout(Promise.resolve(vscode.commands.executeCommand('pymono.restartServer')), TREE_TIMEOUT_MS, 'pymono.restartServer');
    await withTimeout(refilled, TREE_TIMEOUT_MS, 'a new snapshot from the restarted server');
    assert.deepStrictEqual(children().map((c) => c.label), ['Services', 'Libraries']);
  });
});
