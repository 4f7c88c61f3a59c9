/**
 * Runs build tasks with a parallelism limit: at most N `vscode.tasks.executeTask` at once, the next starting when
 * one ends (`onDidEndTaskProcess` gives the exit code, `onDidEndTask` the end). Cancelling stops the running
 * tasks (SIGTERM to each task's process group, so `make` and what it runs end together; `terminate()` on Windows)
 * and starts no queued one. Every start and end is recorded in the `BuildStateStore` the package
 * tree reads, and the last execution of each service is kept so its terminal can be shown afterwards.
 */
import * as vscode from 'vscode';
import { type BuildOutcome, buildKey, type BuildStateStore, parseTaskDefinition, runLimited } from './rebuildModel';

/** One build to run. `rootUri` is the workspace folder's URI (`vscode.Uri.toString()`). */
export interface TaskJob {
  rootUri: string;
  service: string;
  task: vscode.Task;
}

/** Progress of a run: services running now, how many wait, how many ended. */
export interface RunProgress {
  running: string[];
  queued: number;
  done: number;
  total: number;
}

interface Waiter {
  job: TaskJob;
  key: string;
  started: number;
  exec?: vscode.TaskExecution;
  /** Set by onDidStartTaskProcess: before it, VS Code does not know the task as running and cannot terminate it. */
  processStarted: boolean;
  /** The task's process id (onDidStartTaskProcess), the leader of its process group. */
  pid?: number;
  exitCode?: number;
  cancelled: boolean;
  /** Set once `stop` signalled or terminated it: whatever exit code follows (a killed process reports 0), it was cancelled. */
  stopped: boolean;
  resolve: (outcome: BuildOutcome) => void;
}

/** Executes `TaskJob`s; one instance per extension (it remembers executions for `terminalOf`). */
export class TaskRunner {
  private readonly lastTask = new Map<string, vscode.Task>();

  constructor(private readonly states: BuildStateStore) {}

  /**
   * Runs `jobs` (at most `limit` at once, in order) and resolves with one outcome per job, in the jobs' order,
   * once every started task has ended. `token` cancels: running tasks are terminated (outcome `cancelled`),
   * queued ones never start. Never rejects: a task VS Code refuses to start is `failed` with its `error`.
   */
  async run(jobs: readonly TaskJob[], limit: number, token: vscode.CancellationToken, onProgress?: (p: RunProgress) => void): Promise<BuildOutcome[]> {
    const pending = new Map<string, Waiter>();
    let done = 0;
    let next = 0;
    const report = (): void => onProgress?.({ running: [...pending.values()].map((w) => w.job.service), queued: jobs.length - next, done, total: jobs.length });
    /**
     * Stops a started task. VS Code's `terminate()` hangs up the task's own process only, so a `make` whose recipe
     * runs would wait for that child forever: signal the task's whole process group (the pty made the task's
     * process a group leader) and let the task end when it exits; `terminate()` where that is not possible.
     */
    const stop = (w: Waiter): void => {
      w.stopped = true;
      if (w.pid !== undefined && process.platform !== 'win32') {
        try {
          process.kill(-w.pid, 'SIGTERM');
          return;
        } catch {
          // No such group (already gone, or not a group leader): fall back to VS Code.
        }
      }
      w.exec?.terminate();
    };
    const waiterOf = (execution: vscode.TaskExecution): Waiter | undefined => {
      for (const w of pending.values()) if (w.exec === execution) return w;
      // The end can arrive before executeTask's promise settled: match by folder and service.
      const def = parseTaskDefinition(execution.task.definition);
      const scope = execution.task.scope;
      if (!def || typeof scope !== 'object' || scope === null || !('uri' in scope)) return undefined;
      return pending.get(buildKey(scope.uri.toString(), def.service));
    };
    const finish = (w: Waiter, error?: string): void => {
      if (pending.get(w.key) !== w) return;
      pending.delete(w.key);
      done++;
      const durationMs = Date.now() - w.started;
      const status = error !== undefined ? 'failed' : w.stopped ? 'cancelled' : w.exitCode === 0 ? 'succeeded' : w.cancelled ? 'cancelled' : 'failed';
      const outcome: BuildOutcome = { rootUri: w.job.rootUri, service: w.job.service, taskName: w.job.task.name, status, durationMs };
      if (w.exitCode !== undefined) outcome.exitCode = w.exitCode;
      if (error !== undefined) outcome.error = error;
      this.states.set(w.job.rootUri, w.job.service, { status, at: Date.now(), taskName: w.job.task.name, durationMs, ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}), ...(error ? { error } : {}) });
      report();
      w.resolve(outcome);
    };
    const subscriptions: vscode.Disposable[] = [
      vscode.tasks.onDidStartTaskProcess((e) => {
        const w = waiterOf(e.execution);
        if (!w) return;
        w.processStarted = true;
        w.pid = e.processId;
        w.exec ??= e.execution;
        // Cancelled while the task was starting: stop it now that it can be.
        if (w.cancelled) stop(w);
      }),
      vscode.tasks.onDidEndTaskProcess((e) => {
        const w = waiterOf(e.execution);
        if (w) w.exitCode = e.exitCode;
      }),
      vscode.tasks.onDidEndTask((e) => {
        const w = waiterOf(e.execution);
        if (w) finish(w);
      }),
      token.onCancellationRequested(() => {
        for (const w of pending.values()) {
          w.cancelled = true;
          if (w.processStarted) stop(w);
        }
      }),
    ];
    const start = (job: TaskJob): Promise<BuildOutcome> =>
      new Promise<BuildOutcome>((resolve) => {
        next++;
        const w: Waiter = { job, key: buildKey(job.rootUri, job.service), started: Date.now(), processStarted: false, cancelled: false, stopped: false, resolve };
        pending.set(w.key, w);
        this.lastTask.set(w.key, job.task);
        this.states.set(job.rootUri, job.service, { status: 'running', at: w.started, taskName: job.task.name });
        report();
        vscode.tasks.executeTask(job.task).then(
          (exec) => {
            w.exec = exec;
            if (token.isCancellationRequested) {
              w.cancelled = true;
              if (w.processStarted) stop(w);
            }
          },
          (err: unknown) => finish(w, `VS Code did not start the task: ${err instanceof Error ? err.message : String(err)}`),
        );
      });
    const skip = (job: TaskJob): BuildOutcome => {
      next++;
      done++;
      this.states.set(job.rootUri, job.service, { status: 'cancelled', at: Date.now(), taskName: job.task.name });
      return { rootUri: job.rootUri, service: job.service, taskName: job.task.name, status: 'cancelled', durationMs: 0 };
    };
    try {
      report();
      return await runLimited(jobs, limit, start, skip, () => token.isCancellationRequested);
    } finally {
      for (const s of subscriptions) s.dispose();
    }
  }

  /**
   * Shows the terminal of the last build of `service` (VS Code titles a task's terminal with the task's name).
   * When that terminal was closed, runs the task again so its output shows. Resolves with whether a terminal was
   * found (`false`: re-run, or nothing known about the service).
   */
  async showOutput(rootUri: string, service: string): Promise<boolean> {
    const task = this.lastTask.get(buildKey(rootUri, service));
    if (!task) return false;
    const terminal = findTaskTerminal(vscode.window.terminals, task.name);
    if (terminal) {
      terminal.show(false);
      return true;
    }
    await vscode.tasks.executeTask(task);
    return false;
  }
}

/** The terminal titled with a task's name: exactly, or as VS Code decorates it (`Task - build x`, `build x (pymono)`). */
export function findTaskTerminal(terminals: readonly vscode.Terminal[], name: string): vscode.Terminal | undefined {
  const exact = terminals.filter((t) => t.name === name);
  if (exact.length > 0) return exact[exact.length - 1];
  const loose = terminals.filter((t) => new RegExp(`(^|[\\s:-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s(])`).test(t.name));
  return loose[loose.length - 1];
}
