/**
 * Makes the package tree follow the active editor: when the view is visible, the package owning the active
 * file is revealed and selected (the innermost root and package folder that contain it: multi-root aware).
 * Runs when the active editor changes, when the view becomes visible and when a new snapshot arrives.
 */
import * as vscode from 'vscode';
import type { PackageTreeProvider } from './packageTreeProvider';
import type { PackageNode, TreeNode } from './treeModel';

/** The package node owning `uri` in the provider's current model, if any. */
export function packageForUri(provider: PackageTreeProvider, uri: vscode.Uri): PackageNode | undefined {
  return provider.current?.packageNodeFor(uri.toString());
}

/** Wires the following; returns the listeners (the caller owns them). */
export function followActiveEditor(view: vscode.TreeView<TreeNode>, provider: PackageTreeProvider, log: vscode.OutputChannel): vscode.Disposable {
  let lastRevealed: string | undefined;
  const reveal = (force: boolean): void => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (!view.visible || !uri || uri.scheme !== 'file') return;
    const node = packageForUri(provider, uri);
    if (!node) return;
    // Do not fight the user: re-reveal the same package only when the tree was rebuilt or shown again.
    if (!force && node.id === lastRevealed && view.selection.some((s) => s.id === node.id)) return;
    lastRevealed = node.id;
    view.reveal(node, { select: true, focus: false, expand: false }).then(undefined, (err: unknown) => {
      log.appendLine(`pymono: could not reveal ${node.pkg.name} in the package tree: ${err instanceof Error ? err.message : String(err)}`);
    });
  };
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(() => reveal(false)),
    view.onDidChangeVisibility((e) => e.visible && reveal(true)),
    provider.onDidRefresh(() => reveal(true)),
  );
}
