/**
 * The Node implementation of the core's `Host` (server/src/core/host.ts): `fs/promises` for files and
 * directories, `child_process.execFile` (never a shell) for git, and a pool of worker threads (`ScanPool`)
 * for the import scan of many Python files. The language server and the CLI both create one of these.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DirEntry, FileStat, Host, PackedScanOutcome, ScanOutcome } from '../core/host';
import { ScanPool } from './scanPool';

/** Options of `createNodeHost`. */
export interface NodeHostOptions {
  /** Receives log lines (the server's output channel, the CLI's stderr). Defaults to dropping them. Never stdout. */
  log?: (message: string) => void;
  /** Number of scan worker threads; defaults to `min(2, os.availableParallelism())`. `0` scans nothing in workers: the pool decides. */
  workers?: number;
  /** Absolute path of the worker script; defaults to `scanWorker.js` next to this bundle (or `scanWorker.ts` under tsx). */
  workerScript?: string;
}

/** A `Host` that owns worker threads: `dispose()` stops them (idempotent). */
export type NodeHost = Host & { dispose(): Promise<void>; scanFilesPacked: NonNullable<Host["scanFilesPacked"]> };

/** Largest git output accepted, in bytes (a `git diff --name-only` over a huge monorepo stays far below). */
const GIT_MAX_BUFFER = 64 * 1024 * 1024;

/**
 * Creates the Node host. The worker pool is started lazily on the first `scanFiles` call so that a host used
 * only for manifests (or a server that is shut down early) never spawns threads.
 *
 * Under tsx (tests running the TypeScript sources) the worker is `scanWorker.ts`, started with
 * `--import tsx`; in the esbuild bundle it is `dist/scanWorker.js`.
 */
export function createNodeHost(opts: NodeHostOptions = {}): NodeHost {
  const log = opts.log ?? ((): void => undefined);
  const runningTs = __filename.endsWith('.ts');
  const workerScript = opts.workerScript ?? path.join(__dirname, runningTs ? 'scanWorker.ts' : 'scanWorker.js');
  // ScanPool turns `--import tsx` into a tsx CommonJS bootstrap for a `.ts` worker (the flag alone does not
  // reach worker entry files on Node 20).
  const execArgv = workerScript.endsWith('.ts') ? ['--import', 'tsx'] : undefined;
  const size = opts.workers ?? Math.min(2, availableParallelism());
  let pool: ScanPool | undefined;
  let disposed = false;

  const getPool = (): ScanPool => {
    if (disposed) throw new Error('scanFiles: the host has been disposed');
    // A save or a few files created on disk are scanned in this thread rather than waking a worker.
    pool ??= new ScanPool({ workerScript, size, execArgv, inThreadUpTo: 16 });
    return pool;
  };

  return {
    // Small metadata reads are synchronous: a monorepo walk makes thousands of them, and each asynchronous call
    // costs a thread-pool round trip that is slower than the system call itself (the walk of 50,000 files went
    // from ~650 ms to ~200 ms). Python sources are read by the scan workers, not here.
    async readFile(file: string): Promise<Uint8Array> {
      return readFileSync(file);
    },

    async readDirectory(dir: string): Promise<DirEntry[]> {
      const entries = readdirSync(dir, { withFileTypes: true });
      return entries.map((e) => ({
        name: e.name,
        kind: e.isSymbolicLink() ? 'symlink' : e.isDirectory() ? 'directory' : e.isFile() ? 'file' : 'other',
      }));
    },

    async stat(file: string): Promise<FileStat | undefined> {
      try {
        const s = statSync(file);
        return { kind: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other', size: s.size, mtimeMs: s.mtimeMs };
      } catch (err) {
        // A missing path (or a dangling symlink, or a path through a file) is "does not exist", not an error.
        const code = errorCode(err);
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        throw err;
      }
    },

    async realpath(file: string): Promise<string> {
      return realpathSync(file);
    },

    async scanFiles(paths: string[], maxBytes: number): Promise<Map<string, ScanOutcome>> {
      if (paths.length === 0) return new Map();
      return getPool().scan(paths, maxBytes);
    },

    async scanFilesPacked(paths: string[], maxBytes: number): Promise<Map<string, PackedScanOutcome>> {
      if (paths.length === 0) return new Map();
      return getPool().scanPacked(paths, maxBytes);
    },

    git(args: string[], cwd: string): Promise<string> {
      return new Promise((resolve, reject) => {
        execFile('git', args, { cwd, maxBuffer: GIT_MAX_BUFFER, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
          if (err) {
            const detail = stderr.trim() || err.message;
            reject(new Error(`git ${args.join(' ')} (in ${cwd}) failed: ${detail}`));
          } else {
            resolve(stdout);
          }
        });
      });
    },

    log,

    async dispose(): Promise<void> {
      disposed = true;
      const p = pool;
      pool = undefined;
      if (p) await p.close();
    },
  };
}

/** `os.availableParallelism()` (Node >= 18.14), falling back to the CPU count; at least 1. */
function availableParallelism(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, n);
}

/** The `code` of a Node system error (`ENOENT`, `EACCES`, ...), if any. */
function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
