/**
 * VS Code entry point: activate/deactivate only. Wires the language client (languageClient.ts), the language
 * status item, the package tree, the `pymono` task provider and "Rebuild Affected Services" (rebuild/), and the
 * commands, and returns an API object that tests can await.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { startLanguageClient } from './languageClient';
import { PackageActions } from './packageActions';
import { PACKAGES_VIEW_ID, PackageTreeProvider } from './packageTree/packageTreeProvider';
import { followActiveEditor } from './packageTree/reveal';
import type { TreeNode } from './packageTree/treeModel';
import { PymonoTaskProvider } from './rebuild/pymonoTasks';
import { type RebuildApi, RebuildController } from './rebuild/rebuildController';
import { BuildStateStore, TASK_TYPE } from './rebuild/rebuildModel';
import { ServerStatus } from './serverStatus';
import { createStatusItem } from './statusItem';

/** What `activate` returns (`vscode.extensions.getExtension('pymono.pymono').exports`). */
export interface PymonoApi {
  client: LanguageClient;
  /** Resolves when the server has finished its first indexing. */
  ready: Promise<void>;
  /** The `pymono.packages` view's provider: tests read the tree through `getChildren` / `getTreeItem`. */
  packageTree: PackageTreeProvider;
  /** The `pymono.packages` view itself (selection, visibility, reveal). */
  packageView: vscode.TreeView<TreeNode>;
  /** "Rebuild Affected Services": the quick pick's and the runs' events, the last summary, build states. */
  rebuild: RebuildApi;
}

let active: LanguageClient | undefined;

/** Creates the output channel "Python Monorepo", starts the language server and the UI; everything is owned by `context`. */
export function activate(context: vscode.ExtensionContext): PymonoApi {
  const output = vscode.window.createOutputChannel('Python Monorepo');
  const status = new ServerStatus();
  context.subscriptions.push(output, status);
  const { client, ready, restart } = startLanguageClient(context, output, status);
  active = client;

  const buildStates = new BuildStateStore();
  const packageTree = new PackageTreeProvider(client, status, context.workspaceState, output, buildStates);
  const rebuild = new RebuildController(client, ready, output, buildStates);
  const view = vscode.window.createTreeView(PACKAGES_VIEW_ID, { treeDataProvider: packageTree, showCollapseAll: true });
  const actions = new PackageActions(packageTree);
  context.subscriptions.push(
    rebuild,
    vscode.tasks.registerTaskProvider(TASK_TYPE, new PymonoTaskProvider(client, ready, output)),
    packageTree,
    view,
    followActiveEditor(view, packageTree, output),
    createStatusItem(status),
    ...registerCommands((id, handler) => vscode.commands.registerCommand(id, handler), {
      refreshPackages: () => packageTree.refresh(),
      groupByFolder: () => packageTree.setGrouping('folder'),
      showFlat: () => packageTree.setGrouping('flat'),
      openManifest: (arg) => actions.openManifest(arg),
      openSource: (arg) => actions.openSource(arg),
      revealInExplorer: (arg) => actions.revealInExplorer(arg),
      copyName: (arg) => actions.copyName(arg),
      restartServer: () => restart().catch((err: unknown) => void vscode.window.showErrorMessage(`pymono: ${err instanceof Error ? err.message : String(err)}`)),
      showLog: () => output.show(true),
      rebuildAffected: () => rebuild.rebuildAffected(),
      rebuildService: (arg) => rebuild.rebuildService(arg),
    }),
  );
  return { client, ready, packageTree, packageView: view, rebuild };
}

/** Stops the language server (VS Code awaits the returned promise). */
export async function deactivate(): Promise<void> {
  const client = active;
  active = undefined;
  if (client?.isRunning()) await client.stop();
}
