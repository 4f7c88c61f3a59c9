/**
 * Runs planned builds as child processes (the `BuildExecutor` of server/src/core/builds/rebuildRunner.ts):
 * at most `jobs` at once, each in its own process group (POSIX `detached`, so cancelling kills the build's
 * children too: `make` → `docker`), output split into lines and handed over per service, and one result per
 * job. A failing or unstartable build never stops the others. Only the CLI `rebuild` command and the editor's
 * tasks call this, and only when the user asked for a rebuild.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { BuildExecutor, BuildJob, BuildOutputLine, BuildResult, BuildRunOptions } from '../core/builds/rebuildRunner';

/** Milliseconds between SIGTERM and SIGKILL when a build is cancelled. */
export const KILL_GRACE_MS = 3000;

/** The Node executor. */
export function createBuildExecutor(): BuildExecutor {
  return { run: runBuilds };
}

/**
 * Runs `jobs` with at most `options.jobs` concurrently (values below 1 count as 1). Jobs start in order.
 * After `options.signal` aborts, no new job starts (those get `cancelled: true`, `exitCode: null`) and running
 * ones have their process group sent SIGTERM, then SIGKILL after `KILL_GRACE_MS`.
 */
export async function runBuilds(jobs: readonly BuildJob[], options: BuildRunOptions): Promise<BuildResult[]> {
  const limit = Math.max(1, Math.floor(options.jobs) || 1);
  const results: BuildResult[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index];
      if (options.signal?.aborted) {
        results[index] = { service: job.service, ok: false, exitCode: null, durationMs: 0, cancelled: true };
      } else {
        options.onStart?.(job);
        results[index] = await runOne(job, options);
      }
      options.onEnd?.(results[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

function runOne(job: BuildJob, options: BuildRunOptions): Promise<BuildResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const posix = process.platform !== 'win32';
    let child: ChildProcess;
    const common = { cwd: job.cwd, detached: posix, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
    try {
      child = job.argv && job.argv.length > 0 ? spawn(job.argv[0], job.argv.slice(1), common) : spawn(job.command, { ...common, shell: true });
    } catch (err) {
      resolve({ service: job.service, ok: false, exitCode: null, durationMs: 0, cancelled: false, error: errorText(err) });
      return;
    }
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      cancelled = true;
      killTree(child, 'SIGTERM');
      killTimer = setTimeout(() => killTree(child, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    if (options.signal) options.signal.addEventListener('abort', onAbort, { once: true });
    const flushers = [pipeLines(child.stdout, job.service, 'stdout', options.onLine), pipeLines(child.stderr, job.service, 'stderr', options.onLine)];
    let settled = false;
    let startError: string | undefined;
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      for (const flush of flushers) flush();
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      const result: BuildResult = {
        service: job.service,
        ok: exitCode === 0 && !startError,
        exitCode: startError ? null : exitCode,
        durationMs: Math.round(performance.now() - started),
        cancelled,
      };
      if (signal) result.signal = signal;
      if (startError) result.error = startError;
      resolve(result);
    };
    child.on('error', (err) => {
      // Spawn failures (ENOENT: program not installed, bad cwd) arrive here; 'close' may follow or not.
      startError = `could not start '${job.argv?.[0] ?? job.command}' in ${job.cwd}: ${errorText(err)}`;
      if (child.pid === undefined) finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
    if (options.signal?.aborted) onAbort();
  });
}

/** Splits a stream into lines (LF or CRLF) and hands each to `onLine`; the returned function flushes a last unterminated line. */
function pipeLines(
  stream: NodeJS.ReadableStream | null,
  service: string,
  kind: BuildOutputLine['stream'],
  onLine: ((line: BuildOutputLine) => void) | undefined,
): () => void {
  let pending = '';
  if (stream) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        const text = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        onLine?.({ service, stream: kind, text });
        nl = pending.indexOf('\n');
      }
    });
  }
  return () => {
    if (pending !== '') onLine?.({ service, stream: kind, text: pending.replace(/\r$/, '') });
    pending = '';
  };
}

/** Kills the build's whole process group (POSIX) or tree (Windows `taskkill /T /F`). Errors (already gone) are ignored. */
function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' });
    else process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already exited.
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
