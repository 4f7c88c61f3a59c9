/**
 * The contract between build planning (core) and build execution (`server/src/host/buildRunner.ts`, which owns
 * `child_process`). Core code never runs a build: the CLI `rebuild` command and the editor's tasks hand the
 * planned jobs to an executor, and only when the user asked for it.
 */
import type { BuildPlan } from './buildCommands';

/** One build to run: `argv` runs without a shell; otherwise `command` runs through the platform shell. `cwd` absolute. */
export interface BuildJob {
  service: string;
  command: string;
  argv?: string[];
  cwd: string;
}

/** One line a build printed (without its line terminator). */
export interface BuildOutputLine {
  service: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

/**
 * How one build ended. `exitCode` is `null` when the process was killed by a signal, could not start, or never
 * started (cancelled before its turn); `durationMs` is wall-clock milliseconds from spawn to exit (0 when never
 * started); `error` says why it could not start. `ok` is true only for exit code 0.
 */
export interface BuildResult {
  service: string;
  ok: boolean;
  exitCode: number | null;
  signal?: string;
  durationMs: number;
  cancelled: boolean;
  error?: string;
}

/** Options of a run: at most `jobs` builds at once (>= 1); `signal` cancels (running process groups are killed). */
export interface BuildRunOptions {
  jobs: number;
  signal?: AbortSignal;
  onStart?: (job: BuildJob) => void;
  onLine?: (line: BuildOutputLine) => void;
  onEnd?: (result: BuildResult) => void;
}

/** Runs builds; a failing build never stops the others. Resolves with one result per job, in the jobs' order. */
export interface BuildExecutor {
  run(jobs: readonly BuildJob[], options: BuildRunOptions): Promise<BuildResult[]>;
}

/** The jobs of the plans that have a command (plans without one are reported, not run). */
export function jobsOf(plans: readonly BuildPlan[]): BuildJob[] {
  const jobs: BuildJob[] = [];
  for (const p of plans) {
    if (p.command === undefined) continue;
    jobs.push(p.argv ? { service: p.service, command: p.command, argv: [...p.argv], cwd: p.cwd } : { service: p.service, command: p.command, cwd: p.cwd });
  }
  return jobs;
}

/** `[service] text`: the prefix every streamed build line carries. */
export function prefixLine(line: BuildOutputLine): string {
  return `[${line.service}] ${line.text}`;
}
