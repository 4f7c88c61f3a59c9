/**
 * A pool of worker threads that read and scan Python files for imports (`scanWorker.ts`). Paths are sent in
 * batches (a few hundred per message) so message overhead stays small against the scan itself; workers start
 * lazily and are unref'ed while idle, so an unclosed pool never keeps a process alive. `size: 0` scans in the
 * current thread (yielding to the event loop between batches).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { PackedScanOutcome, ScanOutcome } from '../core/host';
import { SCAN_WORKER_ROLE, decodeBatch, decodeBatchPacked, isWireBatch, scanBatch, type ScanRequest } from './scanWorker';
import { packScan } from '../core/packedScan';

/** Options: the worker entry script (absolute), how many workers, and `execArgv` (e.g. `['--import', 'tsx']`). */
export interface ScanPoolOptions {
  workerScript: string;
  size: number;
  execArgv?: string[];
  /** Milliseconds a worker may stay idle before it is ended (default 250). */
  idleMs?: number;
  /** Requests of at most this many files are scanned in the calling thread when no worker is running (default 0). */
  inThreadUpTo?: number;
}

/** Largest batch sent to a worker in one message. */
const MAX_BATCH = 256;

type AnyOutcome = ScanOutcome | PackedScanOutcome;

interface Job {
  batches: [string, AnyOutcome][][];
  remaining: number;
  /** Answer in the packed form (core/packedScan.ts). */
  packed: boolean;
  resolve: (m: Map<string, AnyOutcome>) => void;
}

interface Task {
  req: ScanRequest;
  job: Job;
  index: number;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
  idleTimer?: NodeJS.Timeout;
}

/**
 * Starts a scan worker. A `.ts` script (tests and benchmarks running the sources) is loaded through tsx's CommonJS
 * API from a small eval'ed bootstrap: Node 20 does not apply `--import tsx` hooks to a worker's entry file, so
 * that flag is dropped from `execArgv` there.
 */
function startWorker(script: string, execArgv: string[] | undefined): Worker {
  const workerData = { role: SCAN_WORKER_ROLE };
  if (!/\.[cm]?ts$/.test(script)) return new Worker(script, { workerData, execArgv });
  const args: string[] = [];
  for (let i = 0; i < (execArgv?.length ?? 0); i++) {
    const a = (execArgv as string[])[i];
    if (a === '--import' && execArgv?.[i + 1] === 'tsx') i++;
    else if (a !== '--import=tsx') args.push(a);
  }
  const api = createRequire(script).resolve('tsx/cjs/api');
  const code = `require(${JSON.stringify(api)}).register();\nrequire(${JSON.stringify(script)});\n`;
  return new Worker(code, { eval: true, workerData, execArgv: args });
}

/** Scans files for imports on worker threads. Results never reject for a bad file: each path gets a `ScanOutcome`. */
export class ScanPool {
  private readonly opts: ScanPoolOptions;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly jobs = new Set<Job>();
  private nextId = 1;
  private closed = false;

  constructor(opts: ScanPoolOptions) {
    this.opts = { ...opts, size: Math.max(0, Math.floor(opts.size)) };
  }

  /**
   * Scans `paths` (absolute; `.py`, `.pyi`, `.ipynb`) and resolves with one outcome per distinct path, in input
   * order. Files over `maxBytes`, binary or non-UTF-8 files and unreadable paths get `{ ok: false, reason }`; a
   * worker that dies fails its batch with `scan worker failed: ...`. Rejects only when the pool is closed.
   */
  scan(paths: string[], maxBytes: number): Promise<Map<string, ScanOutcome>> {
    return this.run(paths, maxBytes, false) as Promise<Map<string, ScanOutcome>>;
  }

  /** `scan`, answering with packed imports (no object per import is built on this thread). */
  scanPacked(paths: string[], maxBytes: number): Promise<Map<string, PackedScanOutcome>> {
    return this.run(paths, maxBytes, true) as Promise<Map<string, PackedScanOutcome>>;
  }

  private run(paths: string[], maxBytes: number, packed: boolean): Promise<Map<string, AnyOutcome>> {
    if (this.closed) return Promise.reject(new Error('ScanPool is closed'));
    const size = this.opts.size;
    const workers = Math.max(1, size);
    const batchSize = Math.min(MAX_BATCH, Math.max(16, Math.ceil(paths.length / (workers * 4))));
    return new Promise((resolve) => {
      const job: Job = { batches: [], remaining: 0, packed, resolve };
      const tasks: Task[] = [];
      for (let i = 0; i < paths.length; i += batchSize) {
        const req: ScanRequest = { id: this.nextId++, paths: paths.slice(i, i + batchSize), maxBytes };
        tasks.push({ req, job, index: tasks.length });
      }
      job.remaining = tasks.length;
      job.batches = new Array<[string, AnyOutcome][]>(tasks.length);
      if (tasks.length === 0) {
        resolve(new Map());
        return;
      }
      this.jobs.add(job);
      // A handful of files (a save, a file created on disk) is scanned here rather than waking a worker thread.
      if (size === 0 || (this.slots.length === 0 && paths.length <= (this.opts.inThreadUpTo ?? 0))) {
        void this.runInThread(tasks);
        return;
      }
      this.queue.push(...tasks);
      this.dispatch();
    });
  }

  /** Worker threads alive now (idle ones are ended after `idleMs`). */
  get threads(): number {
    return this.slots.length;
  }

  /** Stops the workers. Scans still running resolve with `scan pool was closed` for their unfinished paths. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending = [...this.queue, ...this.slots.flatMap((s) => (s.task ? [s.task] : []))];
    this.queue.length = 0;
    const slots = this.slots.splice(0);
    for (const s of slots) s.task = undefined;
    for (const t of pending) this.fail(t, 'scan pool was closed');
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => 0)));
  }

  private async runInThread(tasks: Task[]): Promise<void> {
    for (const t of tasks) {
      if (this.closed) {
        this.fail(t, 'scan pool was closed');
        continue;
      }
      const results = scanBatch(t.req).results;
      this.complete(t, t.job.packed ? results.map(([p, o]): [string, AnyOutcome] => [p, o.ok ? { ok: true, packed: packScan(o.scan), mtimeMs: o.mtimeMs } : o]) : results);
      // Let I/O and other requests run between batches.
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === undefined);
      if (slot === undefined) {
        if (this.slots.length >= this.opts.size) return;
        try {
          slot = this.spawn();
        } catch (e) {
          // The worker could not even be created (e.g. tsx missing for a .ts script): fail what waits.
          const reason = `scan worker failed: ${e instanceof Error ? e.message : String(e)}`;
          for (const t of this.queue.splice(0)) this.fail(t, reason);
          return;
        }
      }
      const task = this.queue.shift() as Task;
      clearTimeout(slot.idleTimer);
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage(task.req);
    }
  }

  /**
   * Ends a worker that stays idle for `idleMs` (default 250 ms): after the cold scan a language server keeps no
   * thread heaps around (each is tens of MB of RSS); the next large batch starts a fresh worker in about 50 ms.
   */
  private retireLater(slot: Slot): void {
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (slot.task !== undefined || this.closed) return;
      const i = this.slots.indexOf(slot);
      if (i === -1) return;
      this.slots.splice(i, 1);
      void slot.worker.terminate().catch(() => 0);
    }, this.opts.idleMs ?? 250);
    slot.idleTimer.unref();
  }

  private spawn(): Slot {
    const worker = startWorker(this.opts.workerScript, this.opts.execArgv);
    const slot: Slot = { worker, task: undefined };
    this.slots.push(slot);
    worker.on('message', (msg: unknown) => {
      const task = slot.task;
      if (task === undefined || !isWireBatch(msg) || msg.id !== task.req.id) return;
      slot.task = undefined;
      worker.unref();
      this.complete(task, task.job.packed ? decodeBatchPacked(task.req.paths, msg) : decodeBatch(task.req.paths, msg));
      this.dispatch();
      if (slot.task === undefined) this.retireLater(slot);
    });
    const die = (reason: string): void => {
      const i = this.slots.indexOf(slot);
      if (i === -1) return;
      this.slots.splice(i, 1);
      const task = slot.task;
      slot.task = undefined;
      if (task) this.fail(task, `scan worker failed: ${reason}`);
      if (!this.closed) this.dispatch();
    };
    worker.on('error', (err: Error) => die(err.message));
    worker.on('exit', (code) => die(`exited with code ${code}`));
    return slot;
  }

  private fail(task: Task, reason: string): void {
    this.complete(task, task.req.paths.map((p): [string, ScanOutcome] => [p, { ok: false, reason }]));
  }

  private complete(task: Task, results: [string, AnyOutcome][]): void {
    const job = task.job;
    if (!this.jobs.has(job) || job.batches[task.index] !== undefined) return;
    job.batches[task.index] = results;
    if (--job.remaining > 0) return;
    this.jobs.delete(job);
    const map = new Map<string, AnyOutcome>();
    for (const batch of job.batches) for (const [p, o] of batch) map.set(p, o);
    job.resolve(map);
  }
}
