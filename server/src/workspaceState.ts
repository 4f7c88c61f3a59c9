/**
 * The server's analysis state: one core `Workspace` per workspace folder (multi-root: each folder is its own
 * root), a serial queue per root so that edits, disk changes and snapshots apply in the order they arrived,
 * an analysis generation counter that protocol payloads carry as `version`, and the per-document debouncer.
 *
 * Nothing here knows about LSP: the server feeds it paths and texts and decides what to publish.
 */
import * as path from 'node:path';
import type { Host } from './core/host';
import { Workspace } from './core/workspace';

/** Loads a workspace for a root; `Workspace.load` in production, injectable for tests. */
export type WorkspaceLoader = (root: string, host: Host) => Promise<Workspace>;

interface RootEntry {
  root: string;
  /** Resolves with the loaded workspace, or `undefined` when loading failed (logged). */
  workspace: Promise<Workspace | undefined>;
  /** Tail of this root's serial queue; never rejects. */
  tail: Promise<void>;
  /** Set when the root was removed: queued work is skipped. */
  removed: boolean;
  /** The workspace once loaded. */
  current?: Workspace;
}

/**
 * Per-root workspaces with serialized access. Every mutation and every read that must see all earlier edits
 * goes through `run(root, fn)`; `fn` runs after everything queued before it on that root, with the loaded
 * workspace. Errors thrown by `fn` are reported to `onError` and never escape (the server stays up).
 */
export class WorkspaceState {
  private readonly entries = new Map<string, RootEntry>();
  private gen = 0;

  /**
   * @param host I/O for the core.
   * @param onError Receives a failing root and error (the server logs it and sends status `error`).
   * @param loader How a root is loaded (defaults to `Workspace.load`).
   */
  constructor(
    private readonly host: Host,
    private readonly onError: (root: string, err: unknown) => void,
    private readonly loader: WorkspaceLoader = (root, host) => Workspace.load(root, host),
  ) {}

  /** The analysis generation: increments whenever a root is added or removed, or a root's workspace version changes. */
  get generation(): number {
    return this.gen;
  }

  /** The roots, in the order they were added. */
  roots(): string[] {
    return [...this.entries.keys()];
  }

  /** The workspaces loaded so far, by root (roots still loading or failed are left out). */
  current(): { root: string; workspace: Workspace }[] {
    const out: { root: string; workspace: Workspace }[] = [];
    for (const e of this.entries.values()) if (e.current) out.push({ root: e.root, workspace: e.current });
    return out;
  }

  /** Starts loading `root` (absolute path) unless it is already known; resolves when it is loaded (or failed). */
  addRoot(root: string): Promise<Workspace | undefined> {
    const existing = this.entries.get(root);
    if (existing) return existing.workspace;
    const workspace = this.loader(root, this.host).then(
      (ws) => {
        this.gen++;
        entry.current = ws;
        return ws;
      },
      (err: unknown) => {
        this.onError(root, err);
        return undefined;
      },
    );
    const entry: RootEntry = { root, workspace, tail: workspace.then(() => undefined), removed: false };
    this.entries.set(root, entry);
    return workspace;
  }

  /** Forgets `root`; work already queued on it is skipped. Returns whether it was known. */
  removeRoot(root: string): boolean {
    const entry = this.entries.get(root);
    if (!entry) return false;
    entry.removed = true;
    this.entries.delete(root);
    this.gen++;
    return true;
  }

  /** The innermost root containing `file` (an absolute path), or `undefined` when no root does. */
  rootFor(file: string): string | undefined {
    let best: string | undefined;
    for (const root of this.entries.keys()) {
      if (isInside(file, root) && (best === undefined || root.length > best.length)) best = root;
    }
    return best;
  }

  /**
   * Queues `fn` on `root`'s serial queue. Resolves with `fn`'s result, or `undefined` when the root is unknown,
   * was removed, failed to load, or `fn` threw (reported to `onError`).
   */
  run<T>(root: string, fn: (ws: Workspace) => Promise<T>): Promise<T | undefined> {
    const entry = this.entries.get(root);
    if (!entry) return Promise.resolve(undefined);
    const result = entry.tail.then(async () => {
      const ws = await entry.workspace;
      if (!ws || entry.removed) return undefined;
      const before = ws.version;
      try {
        return await fn(ws);
      } catch (err) {
        this.onError(root, err);
        return undefined;
      } finally {
        if (ws.version !== before) this.gen++;
      }
    });
    entry.tail = result.then(() => undefined);
    return result;
  }

  /** Resolves when every root has loaded and drained the work queued so far. */
  async idle(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.tail));
  }

  /** The loaded workspaces (roots still loading or failed are left out), awaiting pending loads. */
  async loaded(): Promise<{ root: string; workspace: Workspace }[]> {
    const out: { root: string; workspace: Workspace }[] = [];
    for (const e of [...this.entries.values()]) {
      const ws = await e.workspace;
      if (ws && !e.removed) out.push({ root: e.root, workspace: ws });
    }
    return out;
  }
}

/** True when `file` is `root` itself or lies under it (path-segment aware: `/a/bc` is not inside `/a/b`). */
export function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Per-key trailing-edge debounce: `schedule(key, ms, fn)` runs `fn` once, `ms` after the last `schedule` for
 * that key. `flush(key)` runs a pending call now; `dispose()` cancels everything.
 */
export class Debouncer {
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; fn: () => void }>();

  /** (Re)schedules `fn` for `key` after `delayMs` milliseconds. */
  schedule(key: string, delayMs: number, fn: () => void): void {
    this.cancel(key);
    const timer = setTimeout(() => {
      this.pending.delete(key);
      fn();
    }, delayMs);
    this.pending.set(key, { timer, fn });
  }

  /** Runs the pending call for `key` immediately, if any. */
  flush(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.cancel(key);
    p.fn();
  }

  /** Drops the pending call for `key`, if any. */
  cancel(key: string): void {
    const p = this.pending.get(key);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(key);
    }
  }

  /** Cancels every pending call. */
  dispose(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }
}
