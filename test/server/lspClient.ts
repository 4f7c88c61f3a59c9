/**
 * A small LSP client for the server tests: spawns the BUILT server (dist/server.js) with `--stdio` (or
 * `--node-ipc`), speaks JSON-RPC through vscode-jsonrpc, answers the server's requests the way VS Code does,
 * and records every notification so tests wait for conditions instead of sleeping.
 */
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';
import {
  type ClientCapabilities,
  ConfigurationRequest,
  type Diagnostic,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type InitializeResult,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  type Registration,
  RegistrationRequest,
  type TextDocumentContentChangeEvent,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol';
import { StatusNotification, type StatusParams } from '../../server/src/protocol';

/** Repository root (this file is test/server/lspClient.ts). */
export const REPO = path.resolve(__dirname, '..', '..');
/** The built server; `PYMONO_SERVER_JS` points the tests at another build (then nothing is rebuilt). */
const SERVER_JS = process.env.PYMONO_SERVER_JS ?? path.join(REPO, 'dist', 'server.js');

/** Newest mtime (ms) of the files under `dir`. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ with esbuild when dist/server.js is missing or older than a source file (`npm test` builds first anyway). */
export function ensureBuilt(): void {
  if (process.env.PYMONO_SERVER_JS) return;
  let built = 0;
  try {
    built = statSync(SERVER_JS).mtimeMs;
  } catch {
    built = 0;
  }
  if (built < newestMtime(path.join(REPO, 'server', 'src'))) {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

/** Writes `files` (relative POSIX path -> content) under a fresh temp directory and returns its real path. */
export function makeTree(files: Record<string, string>, prefix = 'pymono-lsp-'): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  writeTree(dir, files);
  return dir;
}

/** Writes `files` (relative POSIX path -> content) under `dir`, creating folders. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** `file:` URI of an absolute path (the same encoding the server uses). */
export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** Options of `startServer`. */
export interface StartOptions {
  transport?: 'stdio' | 'ipc';
  /** The `pymono` section returned for `workspace/configuration`; mutable through `LspClient.settings`. */
  settings?: Record<string, unknown>;
}

/** The client capabilities VS Code 1.9x announces for what pymono uses. */
const CAPABILITIES: ClientCapabilities = {
  workspace: {
    workspaceFolders: true,
    configuration: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    didChangeConfiguration: { dynamicRegistration: true },
  },
  textDocument: {
    synchronization: { didSave: true, dynamicRegistration: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true, tagSupport: { valueSet: [1, 2] } },
  },
};

/** A running server plus what it has said so far. */
export class LspClient {
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** Every `pymono/status` received, in order. */
  readonly statuses: StatusParams[] = [];
  /** Dynamic registrations the server asked for. */
  readonly registrations: Registration[] = [];
  /** Server stderr (diagnosis on failure). */
  stderr = '';
  /** Returned for `workspace/configuration` section `pymono`. */
  settings: Record<string, unknown>;
  private readonly versions = new Map<string, number>();
  private readonly waiters: { check: () => boolean; fail: (why: string) => void }[] = [];
  private readonly exited: Promise<number | null>;

  constructor(
    readonly proc: ChildProcess,
    readonly connection: MessageConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
    proc.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) =>
      proc.on('exit', (code, signal) => {
        // Nothing more will arrive: fail whoever is still waiting instead of letting them run into the deadline.
        for (const w of this.waiters.splice(0)) w.fail(`the server exited (code ${code}, signal ${signal})`);
        resolve(code);
      }),
    );
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      this.poke();
    });
    connection.onNotification(StatusNotification, (s) => {
      this.statuses.push(s);
      this.poke();
    });
    connection.onNotification('window/logMessage', () => undefined);
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((i) => (i.section === 'pymono' ? this.settings : null)));
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      return null;
    });
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    connection.listen();
  }

  /** Index of the next notification to arrive: pass it to the `wait*` methods to ignore earlier ones. */
  mark(): number {
    return this.published.length;
  }

  /** Resolves with the first publishDiagnostics at index >= `since` that satisfies `pred`; rejects after `deadlineMs`. */
  waitForDiagnostics(pred: (p: PublishDiagnosticsParams) => boolean, since = 0, deadlineMs = 15000): Promise<PublishDiagnosticsParams> {
    return this.waitFor(() => this.published.slice(since).find(pred), deadlineMs, 'publishDiagnostics');
  }

  /** Resolves with the first diagnostics published for `file` at index >= `since`. */
  nextDiagnosticsFor(file: string, since: number): Promise<PublishDiagnosticsParams> {
    const uri = uriOf(file);
    return this.waitForDiagnostics((p) => p.uri === uri, since);
  }

  /** Resolves with the first `pymono/status` at index >= `since` in one of `states`. */
  waitForStatus(states: StatusParams['state'][], since = 0, deadlineMs = 30000): Promise<StatusParams> {
    return this.waitFor(() => this.statuses.slice(since).find((s) => states.includes(s.state)), deadlineMs, `status ${states.join('|')}`);
  }

  /** The diagnostics last published for `file` (undefined when never published). */
  latest(file: string): Diagnostic[] | undefined {
    const uri = uriOf(file);
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i].diagnostics;
    return undefined;
  }

  /** Sends initialize + initialized for `folders` (absolute paths), and waits for the first `ready`/`error` status. */
  async initialize(folders: string[]): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders.length > 0 ? uriOf(folders[0]) : null,
      workspaceFolders: folders.map((f) => ({ uri: uriOf(f), name: path.basename(f) })),
      capabilities: CAPABILITIES,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    await this.waitForStatus(['ready', 'error']);
    return result;
  }

  /** didOpen with `text` (languageId from the file name); version 1. */
  async open(file: string, text: string): Promise<void> {
    const languageId = file.endsWith('.py') ? 'python' : file.endsWith('.toml') ? 'toml' : 'pip-requirements';
    this.versions.set(file, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(file), languageId, version: 1, text } });
  }

  /** didChange with incremental (or whole-text) changes; bumps and returns the document version. */
  async change(file: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(file) ?? 0) + 1;
    this.versions.set(file, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uriOf(file), version }, contentChanges: changes });
    return version;
  }

  /** Sends shutdown + exit and resolves with the process exit code. */
  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  /** Kills the process if a test failed before shutting it down. */
  kill(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill();
    this.connection.dispose();
  }

  private waitFor<T>(find: () => T | undefined, deadlineMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        const seen = this.published.map((p) => `${path.basename(p.uri)}:${p.diagnostics.map((d) => String(d.code)).join(',')}`);
        reject(new Error(`no ${what}: ${why}; published so far: [${seen.join(' ')}]; stderr: ${this.stderr}`));
      };
      const waiter = {
        check: (): boolean => {
          const found = find();
          if (found === undefined) return false;
          clearTimeout(timer);
          resolve(found);
          return true;
        },
        fail,
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        fail(`nothing matched within ${deadlineMs} ms`);
      }, deadlineMs);
      if (!waiter.check()) this.waiters.push(waiter);
    });
  }

  private poke(): void {
    for (const w of [...this.waiters]) if (w.check()) this.waiters.splice(this.waiters.indexOf(w), 1);
  }
}

/** Starts dist/server.js (stdio by default, `--node-ipc` as VS Code does) and returns a connected client. */
export function startServer(opts: StartOptions = {}): LspClient {
  const settings = opts.settings ?? {};
  if (opts.transport === 'ipc') {
    const proc = fork(SERVER_JS, ['--node-ipc'], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const connection = createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
    return new LspClient(proc, connection, settings);
  }
  const proc = spawn(process.execPath, [SERVER_JS, '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  if (!proc.stdout || !proc.stdin) throw new Error('server process has no stdio pipes');
  const connection = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  return new LspClient(proc, connection, settings);
}

/**
 * Registers the mocha hooks of a suite that starts servers on temp folders: builds once, and after each test kills
 * the server it tracked and removes the folders pushed on `roots`.
 */
export function useServers(): { roots: string[]; track(s: LspClient): LspClient } {
  let server: LspClient | undefined;
  const roots: string[] = [];
  before(() => ensureBuilt());
  afterEach(() => {
    server?.kill();
    server = undefined;
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });
  return { roots, track: (s) => (server = s) };
}
