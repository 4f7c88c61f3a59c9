/**
 * The import-scan worker: reads Python files (`.py`, `.pyi`) and notebooks (`.ipynb`) itself and scans them.
 * esbuild bundles this file to `dist/scanWorker.js`; `ScanPool` starts it with `workerData` marking the role.
 * `scanFileSync` is also what the pool runs in the current thread when it has no workers.
 *
 * Messages: the parent posts `ScanRequest { id, paths, maxBytes }`; the worker answers
 * `ScanResponse { id, results: [path, ScanOutcome][] }` in the same order.
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { ScanOutcome } from '../core/host';
import { scanPythonBytes } from '../core/importScanner';
import { scanNotebook } from '../core/notebook';

/** `workerData.role` of a scan worker. */
export const SCAN_WORKER_ROLE = 'pymono-scan-worker';

/** A batch of files to scan. `maxBytes`: files larger than this are skipped. */
export interface ScanRequest {
  id: number;
  paths: string[];
  maxBytes: number;
}

/** The outcomes of one batch, in request order. */
export interface ScanResponse {
  id: number;
  results: [string, ScanOutcome][];
}

/** Bytes inspected for a NUL byte to tell binary files apart (as git does). */
const BINARY_PROBE = 8192;

/** Notebook text decoder (drops a BOM, as JSON readers do). */
const utf8 = new TextDecoder();

/** Reused read buffer: scanning copies what it keeps, so one buffer per thread is enough. */
let scratch = Buffer.allocUnsafe(64 * 1024);

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Reads and scans one file. Never throws: a file over `maxBytes` gives `larger than N bytes`, a NUL byte in the
 * first 8 KB `binary file`, invalid UTF-8 (WHATWG strict decoding, via `buffer.isUtf8`) `not valid UTF-8`, and an
 * unreadable path (missing, a directory, no permission) the OS error message. `.ipynb` files go through
 * `scanNotebook`, everything else through `scanPythonBytes`. The outcome carries the file's mtime in ms.
 */
export function scanFileSync(path: string, maxBytes: number): ScanOutcome {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    return { ok: false, reason: errorMessage(e) };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.size > maxBytes) return { ok: false, reason: `larger than ${maxBytes} bytes` };
    let size = stat.size;
    if (scratch.length < size + 1) scratch = Buffer.allocUnsafe(Math.max(size + 1, scratch.length * 2));
    let n = 0;
    // Read the size fstat gave; a file reporting size 0 (empty, or procfs-like) is read to its end.
    for (;;) {
      if (n === scratch.length) {
        if (n > maxBytes) return { ok: false, reason: `larger than ${maxBytes} bytes` };
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger, 0, 0, n);
        scratch = bigger;
      }
      const want = size > 0 ? size - n : scratch.length - n;
      if (want === 0) break;
      const r = fs.readSync(fd, scratch, n, want, null);
      if (r === 0) break;
      n += r;
    }
    size = n;
    if (size > maxBytes) return { ok: false, reason: `larger than ${maxBytes} bytes` };
    const bytes = scratch.subarray(0, size);
    if (bytes.subarray(0, BINARY_PROBE).indexOf(0) !== -1) return { ok: false, reason: 'binary file' };
    if (!isUtf8(bytes)) return { ok: false, reason: 'not valid UTF-8' };
    const scan = path.endsWith('.ipynb') ? scanNotebook(utf8.decode(bytes)) : scanPythonBytes(bytes);
    return { ok: true, scan, mtimeMs: stat.mtimeMs };
  } catch (e) {
    return { ok: false, reason: errorMessage(e) };
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // Closing a descriptor we opened cannot meaningfully fail; nothing to report.
    }
  }
}

/** Scans a batch in order. */
export function scanBatch(req: ScanRequest): ScanResponse {
  const results: [string, ScanOutcome][] = [];
  for (const p of req.paths) results.push([p, scanFileSync(p, req.maxBytes)]);
  return { id: req.id, results };
}

function isScanRequest(v: unknown): v is ScanRequest {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<ScanRequest>;
  return typeof r.id === 'number' && typeof r.maxBytes === 'number' && Array.isArray(r.paths) && r.paths.every((p) => typeof p === 'string');
}

function isWorkerRole(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { role?: unknown }).role === SCAN_WORKER_ROLE;
}

const port = parentPort;
if (port !== null && isWorkerRole(workerData)) {
  port.on('message', (msg: unknown) => {
    if (isScanRequest(msg)) port.postMessage(scanBatch(msg));
  });
}
