/**
 * The plain logic of "Rebuild Affected Services", kept free of the `vscode` runtime so it is unit-tested in Node
 * (test/unit/rebuildPlan.test.ts): the `pymono` task definition, quick-pick entries built from a
 * `pymono/affectedServices` answer, a parallelism-limited scheduler, the end-of-run summary, and the store of
 * each service's last build state that the package tree reads.
 */
import type { AffectedBuild, AffectedRoot } from '../../../server/src/protocol';

/** `contributes.taskDefinitions[].type` and the `source` of every task the provider creates. */
export const TASK_TYPE = 'pymono';

/**
 * A `pymono` task definition (tasks.json): `service` is the package name (as the Packages view shows it);
 * `root` optionally names the workspace folder holding it (its name or absolute path) when the task is not scoped
 * to that folder already.
 */
export interface PymonoTaskDefinition {
  type: typeof TASK_TYPE;
  service: string;
  root?: string;
}

/** Narrows a task definition from tasks.json or VS Code; `undefined` when it is not a valid `pymono` one. */
export function parseTaskDefinition(raw: unknown): PymonoTaskDefinition | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (r.type !== TASK_TYPE || typeof r.service !== 'string' || r.service.trim() === '') return undefined;
  if (r.root !== undefined && typeof r.root !== 'string') return undefined;
  return r.root === undefined ? { type: TASK_TYPE, service: r.service.trim() } : { type: TASK_TYPE, service: r.service.trim(), root: r.root };
}

/** The task's name, shown in Run Task (`pymono: build orders-api`) and as its terminal's title. */
export function taskName(service: string): string {
  return `build ${service}`;
}

/** Store key of a service in a workspace folder (URIs as `vscode.Uri.toString()` prints them). */
export function buildKey(rootUri: string, service: string): string {
  return `${rootUri}|${service}`;
}

/** One quick-pick row: a service to rebuild (or one that cannot be, when `build` is absent). */
export interface PickEntry {
  rootUri: string;
  service: string;
  /** `$(tools) orders-api`, or `$(circle-slash) reports` without a build command. */
  label: string;
  /** The build command, or `no build command`. */
  description: string;
  /** Why it is affected; for a service without a build command, what to configure (first) and what is missing. */
  detail: string;
  /** Pre-selected: every affected service that has a build command. */
  picked: boolean;
  build?: AffectedBuild;
  noBuild?: string;
}

/**
 * One entry per affected service of every root, in the server's order (by name). With several roots,
 * `folderName(rootUri)` prefixes the detail so equal service names stay apart.
 */
export function pickEntries(roots: readonly AffectedRoot[], folderName?: (rootUri: string) => string): PickEntry[] {
  const entries: PickEntry[] = [];
  for (const root of roots) {
    const prefix = folderName && roots.length > 1 ? `${folderName(root.rootUri)}: ` : '';
    for (const s of root.services) {
      const base = { rootUri: root.rootUri, service: s.name };
      if (s.build) {
        entries.push({ ...base, label: `$(tools) ${s.name}`, description: s.build.command, detail: `${prefix}${s.reason}`, picked: true, build: s.build });
      } else {
        const what = s.noBuild ?? 'no build command found';
        // The server says "<what is missing>: set <setting>": lead with the setting, which a narrow pick keeps visible.
        const parts = /^(.*?):\s*(set .*)$/.exec(what);
        const detail = parts ? `not built: ${parts[2]} (${parts[1]})` : `not built: ${what}`;
        entries.push({ ...base, label: `$(circle-slash) ${s.name}`, description: 'no build command', detail: `${prefix}${detail}`, picked: false, noBuild: what });
      }
    }
  }
  return entries;
}

/**
 * Runs `jobs` with at most `limit` (>= 1) at once, in order: the next starts when one ends. Once `stopped()`
 * returns true no job starts any more; those get `skip(job)`. Resolves with one result per job, in the jobs'
 * order. `start` must not reject (a rejection counts as `skip`).
 */
export function runLimited<J, R>(jobs: readonly J[], limit: number, start: (job: J) => Promise<R>, skip: (job: J) => R, stopped: () => boolean): Promise<R[]> {
  const results: R[] = new Array<R>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index];
      if (stopped()) {
        results[index] = skip(job);
        continue;
      }
      try {
        results[index] = await start(job);
      } catch {
        results[index] = skip(job);
      }
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(limit) || 1, jobs.length));
  return Promise.all(Array.from({ length: jobs.length === 0 ? 0 : lanes }, worker)).then(() => results);
}

/** How a build ended. `cancelled`: stopped by the user, or never started because the run was cancelled. */
export type BuildOutcomeStatus = 'succeeded' | 'failed' | 'cancelled';

/** One build's result. `exitCode` is absent when the process never started or was killed; `error` says why it could not start. */
export interface BuildOutcome {
  rootUri: string;
  service: string;
  taskName: string;
  status: BuildOutcomeStatus;
  exitCode?: number;
  error?: string;
  /** Wall-clock milliseconds from start to end (0 when it never started). */
  durationMs: number;
}

/** The end of a run, as shown to the user and exposed to tests. */
export interface RebuildSummary {
  /** `Rebuilt 2 services: 1 succeeded, 1 failed: orders-api`. */
  message: string;
  severity: 'information' | 'warning' | 'error';
  outcomes: BuildOutcome[];
  succeeded: string[];
  failed: string[];
  cancelled: string[];
  /** Chosen services without a build command (not run). */
  skipped: string[];
}

/**
 * Summarises a run. Severity: `error` when a build failed, `warning` when one was cancelled or a chosen service
 * had no build command, else `information`. Names are listed in the outcomes' order.
 */
export function summarize(outcomes: readonly BuildOutcome[], skipped: readonly string[] = []): RebuildSummary {
  const names = (status: BuildOutcomeStatus): string[] => outcomes.filter((o) => o.status === status).map((o) => o.service);
  const succeeded = names('succeeded');
  const failed = names('failed');
  const cancelled = names('cancelled');
  const parts: string[] = [];
  if (succeeded.length > 0 || outcomes.length === 0) parts.push(`${succeeded.length} succeeded`);
  if (failed.length > 0) parts.push(`${failed.length} failed: ${failed.join(', ')}`);
  if (cancelled.length > 0) parts.push(`${cancelled.length} cancelled: ${cancelled.join(', ')}`);
  if (skipped.length > 0) parts.push(`${skipped.length} without a build command: ${skipped.join(', ')}`);
  const n = outcomes.length;
  const message = `Rebuilt ${n} service${n === 1 ? '' : 's'}: ${parts.join('; ')}`;
  const severity = failed.length > 0 ? 'error' : cancelled.length > 0 || skipped.length > 0 ? 'warning' : 'information';
  return { message, severity, outcomes: [...outcomes], succeeded, failed, cancelled, skipped: [...skipped] };
}

/** The progress line: `orders-api, billing-worker running · 1 queued · 1 of 3 done`. */
export function progressText(running: readonly string[], queued: number, done: number, total: number): string {
  const parts = [running.length > 0 ? `${running.join(', ')} running` : 'starting'];
  if (queued > 0) parts.push(`${queued} queued`);
  parts.push(`${done} of ${total} done`);
  return parts.join(' · ');
}

/** What the Packages view shows of a service's last build. */
export type BuildStatus = 'running' | BuildOutcomeStatus;

/** The last build of one service. `at` is when it started or ended (epoch ms). */
export interface BuildState {
  status: BuildStatus;
  at: number;
  taskName: string;
  exitCode?: number;
  durationMs?: number;
  error?: string;
}

/** A service's build state rendered for a tree item: a description word, a codicon id (and its theme colour id), a tooltip line. */
export interface BuildStateView {
  description: string;
  icon: string;
  color?: string;
  tooltip: string;
}

/** `built` / `build failed` / `building…` / `build cancelled`, with an icon and a tooltip line giving the time and exit code. */
export function describeBuildState(state: BuildState, formatTime: (epochMs: number) => string = (t) => new Date(t).toLocaleTimeString()): BuildStateView {
  const when = formatTime(state.at);
  const took = state.durationMs !== undefined ? ` in ${(state.durationMs / 1000).toFixed(1)} s` : '';
  switch (state.status) {
    case 'running':
      return { description: 'building…', icon: 'sync~spin', tooltip: `Build running since ${when} (task "${state.taskName}")` };
    case 'succeeded':
      return { description: 'built', icon: 'pass', color: 'testing.iconPassed', tooltip: `Last build succeeded at ${when}${took}` };
    case 'failed': {
      const why = state.error ? `: ${state.error}` : state.exitCode !== undefined ? ` with exit code ${state.exitCode}` : '';
      return { description: 'build failed', icon: 'error', color: 'testing.iconFailed', tooltip: `Last build failed at ${when}${why}` };
    }
    case 'cancelled':
      return { description: 'build cancelled', icon: 'circle-slash', tooltip: `Last build was cancelled at ${when}` };
  }
}

/**
 * The last build state of each service, keyed by workspace-folder URI and service name. The package tree reads
 * it and listens to `onDidChange` (which passes the changed keys' root URI and service). Lives as long as the
 * extension; nothing is persisted.
 */
export class BuildStateStore {
  private readonly states = new Map<string, BuildState>();
  private readonly listeners = new Set<(rootUri: string, service: string) => void>();

  /** The last state of `service` in `rootUri`, if it was built during this session. */
  get(rootUri: string, service: string): BuildState | undefined {
    return this.states.get(buildKey(rootUri, service));
  }

  /** Records a state and tells the listeners. */
  set(rootUri: string, service: string, state: BuildState): void {
    this.states.set(buildKey(rootUri, service), state);
    for (const l of [...this.listeners]) l(rootUri, service);
  }

  /** Forgets every state (the items go back to their kind icons) and tells the listeners about each one. */
  clear(): void {
    const keys = [...this.states.keys()];
    this.states.clear();
    for (const key of keys) {
      const cut = key.lastIndexOf('|');
      for (const l of [...this.listeners]) l(key.slice(0, cut), key.slice(cut + 1));
    }
  }

  /** Calls `listener` after every `set` and for every state `clear` drops; returns a disposable (`{ dispose }`) that removes it. */
  onDidChange(listener: (rootUri: string, service: string) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }
}
