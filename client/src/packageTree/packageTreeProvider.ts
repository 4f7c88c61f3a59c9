/**
 * The `pymono.packages` view's data provider. It holds one immutable TreeModel built from the latest
 * `pymono/graphSnapshot` and answers every expand from it (no server round trip). It refetches the snapshot
 * when the server announces `pymono/graphChanged` or reports `ready`, recounts problems when diagnostics change,
 * and keeps the `pymono.state` context key (which selects the view's `viewsWelcome` content) in step.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { GraphChangedNotification, GraphSnapshotRequest, type GraphSnapshot } from '../../../server/src/protocol';
import type { BuildStateStore } from '../rebuild/rebuildModel';
import type { ServerStatus } from '../serverStatus';
import { toTreeItem } from './treeItems';
import { type Grouping, normalizeSnapshotUris, type PackageNode, TreeModel, type TreeNode } from './treeModel';

/** Id of the view (package.json `contributes.views.pymono`). */
export const PACKAGES_VIEW_ID = 'pymono.packages';

/** Context key selecting the welcome content: see TreeState. */
export const STATE_CONTEXT_KEY = 'pymono.state';
/** Context key with the current Grouping (`flat` / `folder`), for the title-bar toggle. */
export const GROUPING_CONTEXT_KEY = 'pymono.packages.grouping';
/** Values of `pymono.state`: `loading` before the first snapshot, `noPackages`, `error` (server failed, nothing to show), `ready`. */
export type TreeState = 'loading' | 'noPackages' | 'error' | 'ready';

/** Every value `pymono.state` takes (package.json `viewsWelcome` covers the empty ones). */
export const TREE_STATES: readonly TreeState[] = ['loading', 'noPackages', 'error', 'ready'];

/** Diagnostic source whose diagnostics count as a package's problems. */
const PROBLEM_SOURCE = 'pymono';
/** Coalescing delay for diagnostic bursts before recounting, in ms (a full publish is hundreds of events). */
const RECOUNT_DELAY_MS = 150;
const GROUPING_MEMENTO_KEY = 'pymono.packages.grouping';

/** See the file comment. Owns its listeners; dispose it with the extension. */
export class PackageTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  /** Fires when nodes changed (`undefined`: the whole tree). */
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refreshed = new vscode.EventEmitter<TreeModel>();
  /** Fires after a new model (new snapshot or grouping) replaced the previous one. */
  readonly onDidRefresh = this.refreshed.event;

  private snapshot: GraphSnapshot | undefined;
  private model: TreeModel | undefined;
  private counts = new Map<string, number>();
  private grouping: Grouping;
  private fetching: Promise<void> | undefined;
  private fetchAgain = false;
  private recountTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly client: LanguageClient,
    private readonly status: ServerStatus,
    private readonly memento: vscode.Memento,
    private readonly log: vscode.OutputChannel,
    /** Last build state per service (rebuild/); service items show it. */
    private readonly builds?: BuildStateStore,
  ) {
    this.grouping = memento.get<unknown>(GROUPING_MEMENTO_KEY) === 'folder' ? 'folder' : 'flat';
    void vscode.commands.executeCommand('setContext', GROUPING_CONTEXT_KEY, this.grouping);
    this.disposables.push(
      client.onNotification(GraphChangedNotification, () => void this.refresh()),
      status.onDidChange((s) => {
        // Later changes (and restarts: a new server announces its first generation) arrive as graphChanged.
        if (s.phase === 'ready' && !this.model) void this.refresh();
        this.updateState();
      }),
      vscode.languages.onDidChangeDiagnostics(() => this.scheduleRecount()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.updateState()),
    );
    if (builds) {
      this.disposables.push(
        builds.onDidChange((rootUri, service) => {
          const nodes = this.model?.packageNodes().filter((n) => n.pkg.id === service && n.rootUri === rootUri) ?? [];
          if (nodes.length > 0) this.changed.fire(nodes);
        }),
      );
    }
    this.updateState();
  }

  /** The current model, `undefined` before the first snapshot arrived. */
  get current(): TreeModel | undefined {
    return this.model;
  }

  /** The current grouping. */
  get currentGrouping(): Grouping {
    return this.grouping;
  }

  /** Problem count of a package node (0 when none). */
  problemsOf(node: PackageNode): number {
    return this.counts.get(node.id) ?? 0;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.type !== 'package') return toTreeItem(node, 0);
    return toTreeItem(node, this.problemsOf(node), this.builds?.get(node.rootUri, node.pkg.id));
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!this.model) return [];
    return node ? this.model.children(node) : this.model.topLevel();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  /**
   * Fetches a fresh snapshot and rebuilds the model. Calls during a fetch are coalesced into one more fetch
   * after it, so the last call always sees every change announced before it. Never rejects (failures are logged).
   */
  refresh(): Promise<void> {
    if (this.fetching) {
      this.fetchAgain = true;
      return this.fetching;
    }
    this.fetching = (async () => {
      do {
        this.fetchAgain = false;
        try {
          const snapshot = await this.client.sendRequest(GraphSnapshotRequest);
          this.apply(normalizeSnapshotUris(snapshot, (u) => vscode.Uri.parse(u).toString()));
        } catch (err: unknown) {
          this.log.appendLine(`pymono: could not fetch the package graph: ${err instanceof Error ? err.message : String(err)}`);
        }
      } while (this.fetchAgain);
    })().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  /** Switches between a flat list and folders (remembered per workspace); rebuilds from the last snapshot. */
  async setGrouping(grouping: Grouping): Promise<void> {
    this.grouping = grouping;
    await this.memento.update(GROUPING_MEMENTO_KEY, grouping);
    await vscode.commands.executeCommand('setContext', GROUPING_CONTEXT_KEY, grouping);
    if (this.snapshot) this.apply(this.snapshot);
  }

  private apply(snapshot: GraphSnapshot): void {
    this.snapshot = snapshot;
    this.model = new TreeModel(snapshot, { grouping: this.grouping });
    this.counts = this.countProblems(this.model);
    this.updateState();
    this.changed.fire(undefined);
    this.refreshed.fire(this.model);
  }

  private countProblems(model: TreeModel): Map<string, number> {
    const perFile: [string, number][] = [];
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      const n = diagnostics.filter((d) => d.source === PROBLEM_SOURCE).length;
      if (n > 0) perFile.push([uri.toString(), n]);
    }
    return model.problemCounts(perFile);
  }

  private scheduleRecount(): void {
    if (this.recountTimer) return;
    this.recountTimer = setTimeout(() => {
      this.recountTimer = undefined;
      const model = this.model;
      if (!model) return;
      const next = this.countProblems(model);
      const changed = model.packageNodes().filter((n) => (next.get(n.id) ?? 0) !== (this.counts.get(n.id) ?? 0));
      this.counts = next;
      if (changed.length > 0) this.changed.fire(changed);
    }, RECOUNT_DELAY_MS);
  }

  private updateState(): void {
    const failed = this.status.current.phase === 'error';
    let state: TreeState;
    if (!this.model) state = failed ? 'error' : vscode.workspace.workspaceFolders?.length ? 'loading' : 'noPackages';
    else if (this.model.packageCount() === 0) state = failed ? 'error' : 'noPackages';
    else state = 'ready';
    void vscode.commands.executeCommand('setContext', STATE_CONTEXT_KEY, state);
  }

  dispose(): void {
    if (this.recountTimer) clearTimeout(this.recountTimer);
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
    this.refreshed.dispose();
  }
}
