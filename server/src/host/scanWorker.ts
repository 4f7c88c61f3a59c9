/**
 * The import-scan worker: reads Python files (`.py`, `.pyi`) and notebooks (`.ipynb`) itself and scans them.
 * esbuild bundles this file to `dist/scanWorker.js`; `ScanPool` starts it with `workerData` marking the role.
 * `scanFileSync` is also what the pool runs in the current thread when it has no workers.
 *
 * Messages: the parent posts `ScanRequest { id, paths, maxBytes }`; the worker answers with a `WireBatch`
 * (compact encoding of the outcomes in the same order) that `decodeBatch` turns back into `ScanOutcome`s.
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { PackedScanOutcome, ScanOutcome } from '../core/host';
import { PACKED_FLAGS, unpackScan } from '../core/packedScan';
import type { FileScan } from '../core/model';
import { scanPython, scanPythonBytes } from '../core/importScanner';
import { TextDecoder } from 'node:util';
import { scanNotebook } from '../core/notebook';

/** `workerData.role` of a scan worker. */
export const SCAN_WORKER_ROLE = 'pymono-scan-worker';

/** A batch of files to scan. `maxBytes`: files larger than this are skipped. */
export interface ScanRequest {
  id: number;
  paths: string[];
  maxBytes: number;
}

/** The outcomes of one batch, in request order (in-thread scans). */
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
    if (!isUtf8(bytes)) {
      // PEP 263: a `# -*- coding: latin-1 -*-` line in the first two lines declares another source encoding.
      const encoding = declaredEncoding(bytes);
      if (!encoding) return { ok: false, reason: 'not valid UTF-8 (and no PEP 263 coding declaration)' };
      return { ok: true, scan: scanPython(encoding.decode(bytes)), mtimeMs: stat.mtimeMs };
    }
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

/** Python codec names that the WHATWG Encoding Standard spells differently. */
const PYTHON_CODEC_ALIASES: Record<string, string> = {
  'latin-1': 'latin1', l1: 'latin1', 'iso8859-1': 'iso-8859-1', '8859': 'iso-8859-1', 'iso8859-15': 'iso-8859-15',
  'latin-9': 'iso-8859-15', cp1252: 'windows-1252', 'cp1251': 'windows-1251', 'euc-jp': 'euc-jp', 'shift-jis': 'shift_jis', sjis: 'shift_jis',
};

const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/**
 * The decoder for a PEP 263 encoding declaration on line 1 or 2 (the declaration itself is ASCII), or `undefined`
 * when there is none or the label is unknown to the WHATWG Encoding Standard (then the file is skipped with a reason).
 */
export function declaredEncoding(bytes: Uint8Array): TextDecoder | undefined {
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1').split(/\r\n|\r|\n/).slice(0, 2);
  for (const line of head) {
    const m = CODING.exec(line);
    if (!m) continue;
    try {
      const label = m[1].toLowerCase().replace(/_/g, '-');
      return new TextDecoder(PYTHON_CODEC_ALIASES[label] ?? label);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Scans a batch in order, in the current thread. */
export function scanBatch(req: ScanRequest): ScanResponse {
  const results: [string, ScanOutcome][] = [];
  for (const p of req.paths) results.push([p, scanFileSync(p, req.maxBytes)]);
  return { id: req.id, results };
}

/**
 * A batch's outcomes as they cross threads: numbers in an `Int32Array` and mtimes in a `Float64Array` (both
 * transferred, not copied), strings deduplicated. Structured-cloning the result objects costs the receiving thread
 * several times more than rebuilding them from this. Outcomes are in request order; paths are not repeated.
 *
 * Per outcome: `0, reason` when skipped; `1, nImports, nProblems` then per import
 * `module, level, flags, line, char, endLine, endChar`, `[n, code...]` when flags has SUPPRESSED_LIST,
 * `[n, (name, line, char, endLine, endChar)...]` when flags has NAMES; then per problem `line, message`.
 * Strings are indexes into `strs`.
 */
export interface WireBatch {
  id: number;
  ints: Int32Array<ArrayBuffer>;
  mtimes: Float64Array<ArrayBuffer>;
  strs: string[];
}

const F_TYPE_ONLY = 1;
const F_OPTIONAL = 2;
const F_DYNAMIC = 4;
const F_NAMES = 8;
const F_SUPPRESSED_ALL = 16;
const F_SUPPRESSED_LIST = 32;

/** Encodes outcomes (in request order) for `postMessage` with `[ints.buffer, mtimes.buffer]` transferred. */
export function encodeBatch(id: number, outcomes: ScanOutcome[]): WireBatch {
  const ints: number[] = [];
  const mtimes: number[] = [];
  const strs: string[] = [];
  const index = new Map<string, number>();
  const str = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strs.length;
      strs.push(s);
      index.set(s, i);
    }
    return i;
  };
  for (const o of outcomes) {
    if (!o.ok) {
      ints.push(0, str(o.reason));
      continue;
    }
    mtimes.push(o.mtimeMs);
    ints.push(1, o.scan.imports.length, o.scan.problems.length);
    for (const r of o.scan.imports) {
      const sup = r.suppressed;
      const flags = (r.typeOnly ? F_TYPE_ONLY : 0) | (r.optional ? F_OPTIONAL : 0) | (r.dynamic ? F_DYNAMIC : 0) |
        (r.names ? F_NAMES : 0) | (sup === 'all' ? F_SUPPRESSED_ALL : sup ? F_SUPPRESSED_LIST : 0);
      const { start, end } = r.range;
      ints.push(str(r.module), r.level, flags, start.line, start.character, end.line, end.character);
      if (Array.isArray(sup)) {
        ints.push(sup.length);
        for (const c of sup) ints.push(str(c));
      }
      if (r.names) {
        ints.push(r.names.length);
        for (const n of r.names) {
          const { start: ns, end: ne } = n.range;
          ints.push(str(n.name), ns.line, ns.character, ne.line, ne.character);
        }
      }
    }
    for (const p of o.scan.problems) ints.push(p.line, str(p.message));
  }
  return { id, ints: new Int32Array(ints), mtimes: new Float64Array(mtimes), strs };
}


/** Rebuilds the outcomes of `paths` (the request's paths, in order) from a `WireBatch`, as plain FileScans. */
export function decodeBatch(paths: string[], w: WireBatch): [string, ScanOutcome][] {
  return decodeBatchPacked(paths, w).map(([p, o]): [string, ScanOutcome] => [p, o.ok ? { ok: true, scan: unpackScan(o.packed), mtimeMs: o.mtimeMs } : o]);
}

/**
 * Like `decodeBatch`, but straight into the retained packed form (core/packedScan.ts): no object per import is
 * created, which on a cold load of 50,000 files saves both the decoding and the garbage it leaves.
 */
export function decodeBatchPacked(paths: string[], w: WireBatch): [string, PackedScanOutcome][] {
  const { ints, mtimes, strs } = w;
  const local = new Int32Array(strs.length).fill(-1);
  let scratch = new Int32Array(1024);
  let i = 0;
  let m = 0;
  const out: [string, PackedScanOutcome][] = [];
  for (const path of paths) {
    if (ints[i++] === 0) {
      out.push([path, { ok: false, reason: strs[ints[i++]] }]);
      continue;
    }
    const nImports = ints[i++];
    const nProblems = ints[i++];
    const strings: string[] = [];
    const touched: number[] = [];
    const intern = (wireIndex: number): number => {
      let k = local[wireIndex];
      if (k === -1) {
        k = strings.length;
        strings.push(strs[wireIndex]);
        local[wireIndex] = k;
        touched.push(wireIndex);
      }
      return k;
    };
    let p = 0;
    const room = (n: number): void => {
      if (p + n <= scratch.length) return;
      const bigger = new Int32Array(Math.max(scratch.length * 2, p + n));
      bigger.set(scratch);
      scratch = bigger;
    };
    for (let k = 0; k < nImports; k++) {
      room(10);
      const flags = ints[i + 2];
      scratch[p] = intern(ints[i]);
      scratch[p + 1] = ints[i + 1];
      scratch[p + 2] = packedFlags(flags);
      scratch[p + 3] = -1;
      scratch[p + 4] = ints[i + 3];
      scratch[p + 5] = ints[i + 4];
      scratch[p + 6] = ints[i + 5];
      scratch[p + 7] = ints[i + 6];
      const codesAt = p + 3;
      i += 7;
      p += 8;
      if ((flags & F_SUPPRESSED_LIST) !== 0) {
        const codes: string[] = [];
        for (let n = ints[i++]; n > 0; n--) codes.push(strs[ints[i++]]);
        const joined = codes.join(',');
        let idx = strings.indexOf(joined);
        if (idx === -1) idx = strings.push(joined) - 1;
        scratch[codesAt] = idx;
      }
      if ((flags & F_NAMES) !== 0) {
        const n = ints[i++];
        room(1 + 5 * n);
        scratch[p++] = n;
        for (let q = 0; q < n; q++) {
          scratch[p] = intern(ints[i]);
          scratch[p + 1] = ints[i + 1];
          scratch[p + 2] = ints[i + 2];
          scratch[p + 3] = ints[i + 3];
          scratch[p + 4] = ints[i + 4];
          i += 5;
          p += 5;
        }
      } else {
        room(1);
        scratch[p++] = 0;
      }
    }
    const problems: FileScan['problems'] = [];
    for (let k = 0; k < nProblems; k++) {
      problems.push({ line: ints[i], message: strs[ints[i + 1]] });
      i += 2;
    }
    for (const t of touched) local[t] = -1;
    out.push([path, { ok: true, packed: { strings, ints: scratch.slice(0, p), count: nImports, problems }, mtimeMs: mtimes[m++] }]);
  }
  return out;
}

/** Wire flags -> packed flags (see core/packedScan.ts). */
function packedFlags(wire: number): number {
  return (
    ((wire & F_TYPE_ONLY) !== 0 ? PACKED_FLAGS.typeOnly : 0) | ((wire & F_OPTIONAL) !== 0 ? PACKED_FLAGS.optional : 0) |
    ((wire & F_DYNAMIC) !== 0 ? PACKED_FLAGS.dynamic : 0) | ((wire & F_SUPPRESSED_ALL) !== 0 ? PACKED_FLAGS.suppressAll : 0) |
    ((wire & F_SUPPRESSED_LIST) !== 0 ? PACKED_FLAGS.suppressCodes : 0) | ((wire & F_NAMES) !== 0 ? PACKED_FLAGS.hasNames : 0)
  );
}

/** True for a `WireBatch` as posted by a worker. */
export function isWireBatch(v: unknown): v is WireBatch {
  if (typeof v !== 'object' || v === null) return false;
  const w = v as Partial<WireBatch>;
  return typeof w.id === 'number' && w.ints instanceof Int32Array && w.mtimes instanceof Float64Array &&
    Array.isArray(w.strs);
}

function isScanRequest(v: unknown): v is ScanRequest {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<ScanRequest>;
  return typeof r.id === 'number' && typeof r.maxBytes === 'number' && Array.isArray(r.paths) &&
    r.paths.every((p) => typeof p === 'string');
}

function isWorkerRole(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { role?: unknown }).role === SCAN_WORKER_ROLE;
}

const port = parentPort;
if (port !== null && isWorkerRole(workerData)) {
  port.on('message', (msg: unknown) => {
    if (!isScanRequest(msg)) return;
    const wire = encodeBatch(msg.id, msg.paths.map((p) => scanFileSync(p, msg.maxBytes)));
    port.postMessage(wire, [wire.ints.buffer, wire.mtimes.buffer]);
  });
}
