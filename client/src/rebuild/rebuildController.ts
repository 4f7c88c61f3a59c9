/**
 * "Python Monorepo: Rebuild Affected Services" and the Packages view's "Rebuild": asks the server which services
 * the git changes affect (`pymono/affectedServices`), lets the user choose in a multi-select quick pick (affected
 * services with a build command pre-selected, each with its reason and command), runs the chosen builds as
 * `pymono` tasks under a cancellable progress notification, and ends with a summary whose button shows a failing
 * build's terminal. Builds never run in an untrusted workspace.
 *
 * Tests drive it through the extension API (`RebuildApi`): `onDidShowPick` fires once the pick is visible,
 * `onDidFinish` / `lastSummary` give the result.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { type AffectedRoot, type AffectedServicesParams, AffectedServicesRequest } from '../../../server/src/protocol';
import { packageOfNode } from '../packageActions';
import { createBuildTask } from './pymonoTasks';
import { readRebuildConfig } from './rebuildConfig';
import { type BuildStateStore, type PickEntry, pickEntries, progressText, type RebuildSummary, summarize, TASK_TYPE } from './rebuildModel';
import { type TaskJob, TaskRunner } from './taskRunner';

/** What the quick pick showed (for tests): its title and rows. */
export interface ShownPick {
  title: string;
  items: { service: string; label: string; description: string; detail: string; picked: boolean }[];
}

/** The part of the extension API tests use (`api.rebuild`). */
export interface RebuildApi {
  /** Fires once the service quick pick is visible. */
  readonly onDidShowPick: vscode.Event<ShownPick>;
  /** Fires with the summary at the end of every run (also "nothing to rebuild"). */
  readonly onDidFinish: vscode.Event<RebuildSummary>;
  /** The last run's summary. */
  readonly lastSummary: RebuildSummary | undefined;
  /** Last build state per service (what the Packages view shows). */
  readonly states: BuildStateStore;
  /** Shows the terminal of the last build of `service` (see TaskRunner.showOutput). */
  showOutput(service: string, rootUri?: string): Promise<boolean>;
  /** Cancels the running rebuild, as its notification's Cancel button does; false when none runs. */
  cancel(): boolean;
}

interface PickItem extends vscode.QuickPickItem {
  entry: PickEntry;
}

const SHOW_OUTPUT = 'Show Output';
const MANAGE_TRUST = 'Manage Workspace Trust';
const CHOOSE = 'Choose Services…';

/** Owns the commands' state; dispose it with the extension. */
export class RebuildController implements RebuildApi, vscode.Disposable {
  private readonly shown = new vscode.EventEmitter<ShownPick>();
  private readonly finished = new vscode.EventEmitter<RebuildSummary>();
  readonly onDidShowPick = this.shown.event;
  readonly onDidFinish = this.finished.event;
  private last: RebuildSummary | undefined;
  private readonly runner: TaskRunner;
  private running: vscode.CancellationTokenSource | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly ready: Promise<void>,
    private readonly log: vscode.OutputChannel,
    readonly states: BuildStateStore,
  ) {
    this.runner = new TaskRunner(states);
  }

  get lastSummary(): RebuildSummary | undefined {
    return this.last;
  }

  /** `pymono.rebuildAffected`. Resolves with the run's summary, or `undefined` when nothing ran (dismissed pick, untrusted, error). */
  async rebuildAffected(): Promise<RebuildSummary | undefined> {
    if (!this.checkTrust()) return undefined;
    const roots = await this.fetch((folder) => {
      const cfg = readRebuildConfig(vscode.workspace.getConfiguration('pymono', folder.uri));
      return { rootUri: folder.uri.toString(), mode: cfg.compare === 'uncommitted' ? 'uncommitted' : 'editor', ...(cfg.defaultBranch ? { defaultBranch: cfg.defaultBranch } : {}) };
    }, 'Finding affected services…');
    if (!roots) return undefined;
    const problems = roots.flatMap((r) => r.problems.map((p) => p.message));
    for (const p of problems) this.log.appendLine(`pymono: affected services: ${p}`);
    const entries = pickEntries(roots, folderName);
    if (entries.length === 0) {
      if (problems.length > 0) {
        void vscode.window.showWarningMessage(`pymono: cannot tell which services are affected: ${problems[0]}`, CHOOSE).then((c) => c === CHOOSE && void this.rebuildChosen());
        return undefined;
      }
      const compared = roots.map((r) => r.compared).filter(Boolean).join('; ');
      return this.publish(summarize([]), `No affected services: nothing to rebuild (compared: ${compared || 'nothing'}).`);
    }
    const compared = roots.length === 1 ? roots[0].compared : `${roots.length} folders`;
    const chosen = await this.pick(entries, `Rebuild Affected Services (${compared})`);
    return chosen ? this.runEntries(chosen) : undefined;
  }

  /** `pymono.rebuildService`: the service of a Packages view node (or of the `{ service, rootUri }` given). */
  async rebuildService(arg?: unknown): Promise<RebuildSummary | undefined> {
    const target = serviceOfArg(arg);
    if (!target) {
      void vscode.window.showInformationMessage('pymono: Rebuild: pick a service in the Python Monorepo view.');
      return undefined;
    }
    if (!this.checkTrust()) return undefined;
    const roots = await this.fetch((folder) => (sameUri(folder.uri.toString(), target.rootUri) ? { rootUri: target.rootUri, mode: 'all', services: [target.service] } : undefined), `Planning the build of ${target.service}…`);
    const entry = roots ? pickEntries(roots).find((e) => e.service === target.service) : undefined;
    if (!entry) {
      if (roots) void vscode.window.showWarningMessage(`pymono: no service named ${target.service} in this workspace.`);
      return undefined;
    }
    if (!entry.build) {
      void vscode.window.showWarningMessage(`pymono: ${target.service} has no build command: ${entry.noBuild ?? ''}`);
      return undefined;
    }
    return this.runEntries([entry]);
  }

  showOutput(service: string, rootUri?: string): Promise<boolean> {
    const root = rootUri ?? this.last?.outcomes.find((o) => o.service === service)?.rootUri ?? vscode.workspace.workspaceFolders?.[0]?.uri.toString() ?? '';
    return this.runner.showOutput(root, service);
  }

  cancel(): boolean {
    if (!this.running) return false;
    this.running.cancel();
    return true;
  }

  dispose(): void {
    this.running?.cancel();
    this.shown.dispose();
    this.finished.dispose();
  }

  /** Every service of every folder, none pre-selected (when git cannot say what is affected). */
  private async rebuildChosen(): Promise<RebuildSummary | undefined> {
    const roots = await this.fetch((folder) => ({ rootUri: folder.uri.toString(), mode: 'all' }), 'Listing services…');
    if (!roots) return undefined;
    const entries = pickEntries(roots, folderName).map((e) => ({ ...e, picked: false }));
    const chosen = await this.pick(entries, 'Rebuild Services');
    return chosen ? this.runEntries(chosen) : undefined;
  }

  private checkTrust(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window
      .showWarningMessage(
        'pymono: builds run commands from this repository (Makefiles, Dockerfiles, [tool.pymono] build), so they only run in a trusted workspace. The affected-services analysis stays off too, as it runs git here.',
        MANAGE_TRUST,
      )
      .then((choice) => choice === MANAGE_TRUST && void vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }

  /** One request per workspace folder (`paramsOf` returns `undefined` to skip one); `undefined` after an error shown to the user. */
  private async fetch(paramsOf: (folder: vscode.WorkspaceFolder) => AffectedServicesParams | undefined, title: string): Promise<AffectedRoot[] | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, async () => {
        await this.ready;
        const answers = await Promise.all(
          folders.map((f) => {
            const params = paramsOf(f);
            return params ? this.client.sendRequest(AffectedServicesRequest, params) : Promise.resolve({ version: 0, roots: [] });
          }),
        );
        return answers.flatMap((a) => a.roots).map((r) => ({ ...r, rootUri: vscode.Uri.parse(r.rootUri).toString() }));
      });
    } catch (err: unknown) {
      const message = err instanceof Error ? err.message : String(err);
      this.log.appendLine(`pymono: affected services request failed: ${message}`);
      void vscode.window.showErrorMessage(`pymono: could not compute the affected services: ${message}`);
      return undefined;
    }
  }

  /** Shows the multi-select pick; resolves with the accepted entries, or `undefined` when dismissed. */
  private pick(entries: PickEntry[], title: string): Promise<PickEntry[] | undefined> {
    const qp = vscode.window.createQuickPick<PickItem>();
    qp.title = title;
    qp.canSelectMany = true;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.ignoreFocusOut = true;
    qp.placeholder = 'Services to rebuild';
    qp.items = entries.map((entry) => ({ label: entry.label, description: entry.description, detail: entry.detail, entry }));
    qp.selectedItems = qp.items.filter((i) => i.entry.picked);
    return new Promise<PickEntry[] | undefined>((resolve) => {
      let accepted = false;
      qp.onDidAccept(() => {
        accepted = true;
        const chosen = qp.selectedItems.map((i) => i.entry);
        qp.hide();
        resolve(chosen);
      });
      qp.onDidHide(() => {
        qp.dispose();
        if (!accepted) resolve(undefined);
      });
      qp.show();
      this.shown.fire({
        title,
        items: qp.items.map((i) => ({ service: i.entry.service, label: i.label, description: i.description ?? '', detail: i.detail ?? '', picked: qp.selectedItems.includes(i) })),
      });
    });
  }

  /** Runs the buildable entries as tasks (chosen ones without a build are reported as skipped) and shows the summary. */
  private async runEntries(chosen: PickEntry[]): Promise<RebuildSummary | undefined> {
    if (this.running) {
      void vscode.window.showWarningMessage('pymono: a rebuild is already running; cancel it from its notification first.');
      return undefined;
    }
    const skipped = chosen.filter((e) => !e.build).map((e) => e.service);
    const jobs: TaskJob[] = [];
    for (const e of chosen) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(e.rootUri));
      if (!e.build || !folder) continue;
      jobs.push({ rootUri: e.rootUri, service: e.service, task: createBuildTask(folder, { type: TASK_TYPE, service: e.service }, e.service, e.build) });
    }
    if (jobs.length === 0) return this.publish(summarize([], skipped));
    const limit = readRebuildConfig(vscode.workspace.getConfiguration('pymono')).parallelism;
    const cancellation = new vscode.CancellationTokenSource();
    this.running = cancellation;
    try {
      const outcomes = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Rebuilding ${jobs.length} service${jobs.length === 1 ? '' : 's'}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => cancellation.cancel());
          let reported = 0;
          return this.runner.run(jobs, limit, cancellation.token, (p) => {
            const increment = ((p.done - reported) * 100) / p.total;
            reported = p.done;
            progress.report({ message: progressText(p.running, p.queued, p.done, p.total), increment });
          });
        },
      );
      return this.publish(summarize(outcomes, skipped));
    } finally {
      this.running = undefined;
      cancellation.dispose();
    }
  }

  /** Records and announces a summary, and shows it (not awaited: the message stays until dismissed). */
  private publish(summary: RebuildSummary, text = summary.message): RebuildSummary {
    this.last = summary;
    this.log.appendLine(`pymono: ${text}`);
    for (const o of summary.outcomes) this.log.appendLine(`  ${o.service}: ${o.status}${o.exitCode !== undefined ? ` (exit code ${o.exitCode})` : ''}${o.error ? ` (${o.error})` : ''}, ${o.durationMs} ms`);
    const failed = summary.outcomes.filter((o) => o.status === 'failed');
    if (failed.length > 0) {
      void vscode.window.showErrorMessage(text, SHOW_OUTPUT).then(async (choice) => {
        if (choice !== SHOW_OUTPUT) return;
        const which = failed.length === 1 ? failed[0] : (await vscode.window.showQuickPick(failed.map((f) => ({ label: f.service, outcome: f })), { title: 'Show the output of' }))?.outcome;
        if (which) await this.runner.showOutput(which.rootUri, which.service);
      });
    } else if (summary.severity === 'warning') void vscode.window.showWarningMessage(text);
    else void vscode.window.showInformationMessage(text);
    this.finished.fire(summary);
    return summary;
  }
}

function folderName(rootUri: string): string {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(rootUri))?.name ?? vscode.Uri.parse(rootUri).path.split('/').pop() ?? rootUri;
}

function sameUri(a: string, b: string): boolean {
  return vscode.Uri.parse(a).toString() === vscode.Uri.parse(b).toString();
}

/** The service named by a Packages view node (package or relation of kind service), or `{ service, rootUri }`. */
function serviceOfArg(arg: unknown): { service: string; rootUri: string } | undefined {
  const pkg = packageOfNode(arg);
  const rootUri = typeof arg === 'object' && arg !== null ? (arg as { rootUri?: unknown }).rootUri : undefined;
  if (pkg && pkg.kind === 'service' && typeof rootUri === 'string') return { service: pkg.id, rootUri };
  const a = arg as { service?: unknown } | undefined;
  if (typeof a?.service === 'string' && typeof rootUri === 'string') return { service: a.service, rootUri };
  return undefined;
}
