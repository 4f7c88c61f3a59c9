/**
 * The `pymono` task type (package.json `contributes.taskDefinitions`): one build task per service, so builds
 * appear in "Run Task", can be customised in tasks.json (`{ "type": "pymono", "service": "orders-api" }` plus
 * presentation, group, dependsOn ...), and are what "Rebuild Affected Services" runs. Commands detected by the
 * server (Makefile, Dockerfile, uv, Poetry) run as a `ProcessExecution` without a shell; configured ones
 * (`[tool.pymono] build`) as a `ShellExecution`; both in the working directory the server planned.
 *
 * Nothing is provided or resolved in an untrusted workspace: a build runs commands from the repository.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { type AffectedBuild, type AffectedRoot, AffectedServicesRequest } from '../../../server/src/protocol';
import { parseTaskDefinition, TASK_TYPE, taskName } from './rebuildModel';

/**
 * The task that builds `service` with `build`, scoped to `folder`. `definition` is kept as given (VS Code
 * matches tasks.json customisations by it). Runs silently in a dedicated terminal titled `taskName(service)`.
 */
export function createBuildTask(folder: vscode.WorkspaceFolder, definition: vscode.TaskDefinition, service: string, build: AffectedBuild): vscode.Task {
  const execution =
    build.shell || !build.args || build.args.length === 0
      ? new vscode.ShellExecution(build.command, { cwd: build.cwd })
      : new vscode.ProcessExecution(build.args[0], build.args.slice(1), { cwd: build.cwd });
  const task = new vscode.Task(definition, folder, taskName(service), TASK_TYPE, execution, []);
  task.detail = `${build.command}  (${build.origin})`;
  task.group = vscode.TaskGroup.Build;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, panel: vscode.TaskPanelKind.Dedicated, clear: true, focus: false, showReuseMessage: false, echo: true };
  return task;
}

/** The workspace folder a definition's `root` names (folder name, or a path inside it), else `scope`'s folder, else the only folder. */
export function folderForTask(root: string | undefined, scope: vscode.Task['scope']): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (root !== undefined) {
    const byName = folders.find((f) => f.name === root);
    if (byName) return byName;
    return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(root));
  }
  if (typeof scope === 'object' && scope !== null && 'uri' in scope) return scope;
  return folders.length === 1 ? folders[0] : undefined;
}

/** Provides and resolves `pymono` tasks by asking the server for the services' build commands (mode `all`). */
export class PymonoTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly client: LanguageClient,
    private readonly ready: Promise<void>,
    private readonly log: vscode.OutputChannel,
  ) {}

  /** One task per service with a build command, in every workspace folder. */
  async provideTasks(token: vscode.CancellationToken): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted) return [];
    const tasks: vscode.Task[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const root of await this.services(folder, undefined, token)) {
        for (const s of root.services) if (s.build) tasks.push(createBuildTask(folder, { type: TASK_TYPE, service: s.name }, s.name, s.build));
      }
    }
    return tasks;
  }

  /** Fills in the execution of a tasks.json `pymono` task; `undefined` (VS Code reports it) when the service has no build. */
  async resolveTask(task: vscode.Task, token: vscode.CancellationToken): Promise<vscode.Task | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const def = parseTaskDefinition(task.definition);
    const folder = def ? folderForTask(def.root, task.scope) : undefined;
    if (!def || !folder) {
      this.log.appendLine(`pymono: cannot resolve task ${JSON.stringify(task.definition)}: it needs "service" and a workspace folder ("root")`);
      return undefined;
    }
    const info = (await this.services(folder, [def.service], token)).flatMap((r) => r.services).find((s) => s.name === def.service);
    if (!info?.build) {
      this.log.appendLine(`pymono: task for '${def.service}' in ${folder.name}: ${info?.noBuild ?? 'no such service'}`);
      return undefined;
    }
    return createBuildTask(folder, task.definition, def.service, info.build);
  }

  private async services(folder: vscode.WorkspaceFolder, only: string[] | undefined, token: vscode.CancellationToken): Promise<AffectedRoot[]> {
    try {
      await this.ready;
      const result = await this.client.sendRequest(AffectedServicesRequest, { mode: 'all', rootUri: folder.uri.toString(), ...(only ? { services: only } : {}) }, token);
      for (const r of result.roots) for (const p of r.problems) this.log.appendLine(`pymono: tasks of ${folder.name}: ${p.message}`);
      return result.roots;
    } catch (err: unknown) {
      this.log.appendLine(`pymono: could not list the build tasks of ${folder.name}: ${err instanceof Error ? err.message : String(err)}`);
      return [];
    }
  }
}
