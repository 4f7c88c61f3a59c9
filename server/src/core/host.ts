/**
 * The I/O the analysis core needs, injected so that the CLI, the language server and tests drive the same core.
 * The Node implementation lives in `server/src/host/nodeHost.ts`; nothing in `core/` touches `fs` directly.
 */
import type { FileScan } from './model';
import type { PackedScan } from './packedScan';

/** One directory entry. `symlink` entries are reported as such; the walker decides whether to follow them. */
export interface DirEntry {
  name: string;
  kind: 'file' | 'directory' | 'symlink' | 'other';
}

/** Result of `stat` on a path: `undefined` when it does not exist. Sizes in bytes, mtime in ms since epoch. */
export interface FileStat {
  kind: 'file' | 'directory' | 'other';
  size: number;
  mtimeMs: number;
}

/** A file's imports as scanned by the host (possibly on worker threads), or the reason it was skipped. */
export type ScanOutcome = { ok: true; scan: FileScan; mtimeMs: number } | { ok: false; reason: string };

/** Like ScanOutcome, with the imports in the retained packed form (core/packedScan.ts). */
export type PackedScanOutcome = { ok: true; packed: PackedScan; mtimeMs: number } | { ok: false; reason: string };

/**
 * File system and process access for the core. Every method rejects with an `Error` whose message names the
 * path and the OS reason (e.g. `EACCES: permission denied, scandir '/x'`); the core turns those into located
 * findings or logged skips, never crashes.
 */
export interface Host {
  /** Reads a whole file as bytes. */
  readFile(path: string): Promise<Uint8Array>;
  /** Lists a directory (not recursive). */
  readDirectory(path: string): Promise<DirEntry[]>;
  /** Stats a path, following symlinks; `undefined` when it does not exist. */
  stat(path: string): Promise<FileStat | undefined>;
  /** Resolves symlinks to the canonical absolute path. */
  realpath(path: string): Promise<string>;
  /**
   * Scans many Python files (`.py`, `.pyi`, `.ipynb`) for imports; the Node host spreads them over worker threads.
   * Files over `maxBytes` or that are not text are returned as `{ ok: false, reason }`.
   */
  scanFiles(paths: string[], maxBytes: number): Promise<Map<string, ScanOutcome>>;
  /**
   * Optional: `scanFiles` answering in the packed form, so a host that decodes worker output can skip building an
   * object per import. The Workspace uses it when present.
   */
  scanFilesPacked?(paths: string[], maxBytes: number): Promise<Map<string, PackedScanOutcome>>;
  /** Runs git with `args` in `cwd` and returns stdout; rejects with stderr on a non-zero exit. */
  git(args: string[], cwd: string): Promise<string>;
  /** Logs a message (the server's output channel, the CLI's stderr with `--verbose`). Never stdout. */
  log(message: string): void;
}
