/**
 * The language server: LSP glue over the core. Declares capabilities the client supports, keeps one core
 * `Workspace` per workspace folder (workspaceState.ts), routes document edits, disk changes and settings to it,
 * and publishes diagnostics (features/diagnostics.ts); hovers, definitions, document links and code actions are
 * wired by features/editorFeatures.ts. Handlers stay thin: resolve -> core -> convert.
 * A failing handler is logged and reported as status `error`; it never takes the process down.
 */
import { collectAfterLoad } from './host/heap';
import * as path from 'node:path';
import {
  type ClientCapabilities,
  CodeActionKind,
  type Connection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type InitializeParams,
  type InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Host } from './core/host';
import { edgeToSnapshot, packageToSnapshot, pathToUri, uriToPath } from './convert';
import { DiagnosticsPublisher } from './features/diagnostics';
import { FIX_ALL_KIND } from './features/codeActions';
import { registerEditorFeatures } from './features/editorFeatures';
import { registerAffected } from './features/affected';
import { GraphChangedNotification, GraphSnapshotRequest, type GraphSnapshot, StatusNotification, type ServerState } from './protocol';
import { DEFAULT_SETTINGS, parseSettings, type ServerSettings } from './settings';
import { Debouncer, isInside, WorkspaceState } from './workspaceState';

/** Glob patterns the server asks the client to watch on disk (dynamic `workspace/didChangeWatchedFiles`). */
export const WATCHED_GLOBS = ['**/pyproject.toml', '**/requirements*.txt', '**/*.in', '**/Dockerfile*', '**/*.py', '**/.gitignore'];

/** What the server needs from its host: the core's I/O plus a way to stop worker threads on shutdown. */
export type ServerHost = Host & { dispose(): Promise<void> };

/** True for Python sources the server tracks as documents (`.py`, `.pyi`). */
export function isPythonFile(file: string): boolean {
  return /\.pyi?$/i.test(file);
}

/**
 * True for file names that may be manifests: `pyproject.toml`, `requirements*.txt`, `*.in` (pip-tools inputs),
 * `Dockerfile*` and `*.dockerfile`. The core decides whether such a file is part of the graph.
 */
export function isManifestName(file: string): boolean {
  const base = path.basename(file);
  return (
    base === 'pyproject.toml' ||
    /^requirements.*\.txt$/i.test(base) ||
    base.endsWith('.in') ||
    base.startsWith('Dockerfile') ||
    base.toLowerCase().endsWith('.dockerfile')
  );
}

/** Which optional client features the server may use, from the `initialize` capabilities. */
interface Gates {
  workspaceFolders: boolean;
  configurationPull: boolean;
  watchedFilesRegistration: boolean;
  configurationRegistration: boolean;
  /** WorkspaceEdit `documentChanges` (versioned edits) in code actions. */
  documentChanges: boolean;
  /** CodeAction literals (without them a client only takes Commands: no code action provider is declared). */
  codeActionLiterals: boolean;
}

function gatesOf(caps: ClientCapabilities): Gates {
  return {
    workspaceFolders: caps.workspace?.workspaceFolders === true,
    configurationPull: caps.workspace?.configuration === true,
    watchedFilesRegistration: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    configurationRegistration: caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    documentChanges: caps.workspace?.workspaceEdit?.documentChanges === true,
    codeActionLiterals: caps.textDocument?.codeAction?.codeActionLiteralSupport !== undefined,
  };
}

/** The absolute roots named by `initialize`: workspace folders, else `rootUri`, else the deprecated `rootPath`. */
function initialRoots(params: InitializeParams): string[] {
  const folders: WorkspaceFolder[] = params.workspaceFolders ?? [];
  const fromFolders = folders.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
  if (fromFolders.length > 0) return fromFolders;
  const fromUri = params.rootUri ? uriToPath(params.rootUri) : undefined;
  if (fromUri) return [fromUri];
  return params.rootPath ? [path.resolve(params.rootPath)] : [];
}

/**
 * Wires every handler on `connection` and starts listening. `host` is disposed on `shutdown`.
 * Call once per connection; returns nothing (the connection owns the lifetime).
 */
export function startServer(connection: Connection, host: ServerHost): void {
  const documents = new TextDocuments(TextDocument);
  const debouncer = new Debouncer();
  /** URIs of open documents whose text was handed to the core (an overlay that must be removed on close). */
  const overlaid = new Set<string>();
  /** file -> URI the client used for it, so diagnostics always go to the same URI string. */
  const clientUris = new Map<string, string>();
  let gates: Gates = gatesOf({});
  let settings: ServerSettings = { ...DEFAULT_SETTINGS };
  let pendingRoots: string[] = [];

  const reportError = (where: string, err: unknown): void => {
    const message = err instanceof Error ? err.message : String(err);
    connection.console.error(`pymono: ${where}: ${err instanceof Error && err.stack ? err.stack : message}`);
    sendStatus('error', `${where}: ${message}`);
  };
  const state = new WorkspaceState(host, (root, err) => reportError(`workspace ${root}`, err));

  const docFor = (file: string): TextDocument | undefined => {
    const uri = clientUris.get(file);
    return uri ? documents.get(uri) : undefined;
  };
  const publisher = new DiagnosticsPublisher({
    send: (params) => void connection.sendDiagnostics(params),
    uriFor: (file) => clientUris.get(file),
    versionOf: (file) => docFor(file)?.version,
  });

  function sendStatus(stateName: ServerState, message?: string): void {
    const packages = state.current().reduce((n, r) => n + r.workspace.packages().length, 0);
    void connection.sendNotification(StatusNotification, { version: state.generation, state: stateName, packages, ...(message ? { message } : {}) });
    announceGraph();
  }

  /** Generation last announced with `pymono/graphChanged` (-1: none yet). */
  let announcedGeneration = -1;
  /**
   * Sends `pymono/graphChanged` when the analysis generation moved since the last announcement. Deferred with
   * `setImmediate` because a caller inside `state.run` runs before the queue bumps the generation.
   */
  function announceGraph(): void {
    setImmediate(() => {
      if (state.generation === announcedGeneration) return;
      announcedGeneration = state.generation;
      void connection.sendNotification(GraphChangedNotification, { version: announcedGeneration });
    });
  }

  /** Publishes the findings of `root` that changed (and always the files in `force`). */
  function syncRoot(root: string, force: string[] = []): void {
    const ws = state.current().find((r) => r.root === root)?.workspace;
    if (ws) publisher.sync(ws, (file) => state.rootFor(file) === root, force);
    announceGraph();
  }

  async function addRoots(roots: string[]): Promise<void> {
    if (roots.length === 0) return;
    sendStatus('indexing');
    await Promise.all(
      roots.map(async (root) => {
        const started = Date.now();
        const ws = await state.addRoot(root);
        if (ws) connection.console.info(`pymono: indexed ${root}: ${ws.packages().length} packages, ${ws.findings().length} findings in ${Date.now() - started} ms`);
        await state.run(root, async () => syncRoot(root));
      }),
    );
    collectAfterLoad();
    sendStatus('ready');
  }

  async function pullSettings(pushed?: unknown): Promise<void> {
    let raw: unknown = pushed;
    if (gates.configurationPull) {
      const [section] = (await connection.workspace.getConfiguration([{ section: 'pymono' }])) as unknown[];
      raw = section;
    }
    const { settings: next, problems } = parseSettings(raw);
    for (const p of problems) connection.console.warn(`pymono: setting ignored: ${p}`);
    const wasEnabled = settings.enable;
    settings = next;
    publisher.setEnabled(settings.enable);
    if (settings.enable && !wasEnabled) for (const root of state.roots()) void state.run(root, async () => syncRoot(root));
  }

  /** Hands the latest text of an open document to its root's workspace and publishes what changed. */
  function applyDocument(uri: string, version: number): void {
    const file = uriToPath(uri);
    const root = file ? state.rootFor(file) : undefined;
    if (!file || !root) return;
    void state.run(root, async (ws) => {
      const doc = documents.get(uri);
      if (!doc || doc.version !== version) return; // a newer edit is scheduled and will do this
      const text = doc.getText();
      if (!overlaid.has(uri)) {
        // On open the text usually equals the disk: no need to re-scan (or to rebuild the graph for a manifest).
        const disk = await host.readFile(file).then((b) => Buffer.from(b).toString('utf8'), () => undefined);
        if (disk === text) return;
        overlaid.add(uri);
      }
      await ws.updateDocument(file, text);
      if (documents.get(uri)?.version !== version) return; // stale: the newer version publishes
      syncRoot(root, isPythonFile(file) ? [file] : []);
      if (!isPythonFile(file)) sendStatus('ready');
    });
  }

  const isTracked = (file: string): boolean => {
    if (isPythonFile(file) || isManifestName(file)) return true;
    const root = state.rootFor(file);
    return state.current().some((r) => r.root === root && r.workspace.isManifest(file));
  };

  documents.onDidChangeContent(({ document }) => {
    const file = uriToPath(document.uri);
    if (!file || !isTracked(file)) return;
    clientUris.set(file, document.uri);
    const version = document.version;
    debouncer.schedule(document.uri, settings.debounceMs, () => applyDocument(document.uri, version));
  });

  documents.onDidSave(({ document }) => debouncer.flush(document.uri));

  documents.onDidClose(({ document }) => {
    debouncer.cancel(document.uri);
    const file = uriToPath(document.uri);
    const root = file ? state.rootFor(file) : undefined;
    if (!file || !root || !overlaid.delete(document.uri)) return;
    void state.run(root, async (ws) => {
      await ws.updateDocument(file, undefined);
      syncRoot(root);
      if (!isPythonFile(file)) sendStatus('ready');
    });
  });

  connection.onInitialize((params): InitializeResult => {
    gates = gatesOf(params.capabilities);
    pendingRoots = initialRoots(params);
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        definitionProvider: true,
        documentLinkProvider: { resolveProvider: false },
        ...(gates.codeActionLiterals ? { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false } } : {}),
      },
      serverInfo: { name: 'pymono', version: '0.1.0' },
    };
    if (gates.workspaceFolders) {
      result.capabilities.workspace = { workspaceFolders: { supported: true, changeNotifications: true } };
    }
    return result;
  });

  connection.onInitialized(() => {
    void (async () => {
      try {
        if (gates.watchedFilesRegistration) {
          await connection.client.register(DidChangeWatchedFilesNotification.type, {
            watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
          });
        }
        if (gates.configurationRegistration) {
          await connection.client.register(DidChangeConfigurationNotification.type, { section: 'pymono' });
        }
        if (gates.workspaceFolders) {
          connection.workspace.onDidChangeWorkspaceFolders((e) => {
            void guard('workspace folders', async () => {
              for (const f of e.removed) {
                const root = uriToPath(f.uri);
                if (root && state.removeRoot(root)) publisher.clear((file) => isInside(file, root) && state.rootFor(file) === undefined);
              }
              const added = e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
              await addRoots(added);
              // Ownership of files may have moved between nested roots: re-sync every root.
              for (const root of state.roots()) void state.run(root, async () => syncRoot(root));
            });
          });
        }
        await guard('configuration', () => pullSettings());
        await addRoots(pendingRoots);
      } catch (err) {
        reportError('initialization', err);
      }
    })();
  });

  connection.onDidChangeConfiguration((change) => {
    const pushed: unknown = (change.settings as Record<string, unknown> | null | undefined)?.['pymono'];
    void guard('configuration', () => pullSettings(pushed));
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    const byRoot = new Map<string, string[]>();
    for (const c of changes) {
      const file = uriToPath(c.uri);
      const root = file ? state.rootFor(file) : undefined;
      if (!file || !root) continue;
      let list = byRoot.get(root);
      if (!list) byRoot.set(root, (list = []));
      if (!list.includes(file)) list.push(file);
    }
    for (const [root, files] of byRoot) {
      void state.run(root, async (ws) => {
        await ws.filesChanged(files);
        syncRoot(root);
        sendStatus('ready');
      });
    }
  });

  registerEditorFeatures(connection, {
    state,
    host,
    openText: (file) => (docFor(file) ?? documents.get(pathToUri(file)))?.getText(),
    openVersion: (file) => (docFor(file) ?? documents.get(pathToUri(file)))?.version,
    uriFor: (file) => clientUris.get(file) ?? pathToUri(file),
    documentChanges: () => gates.documentChanges,
    logError: (where, err) => connection.console.warn(`pymono: ${where}: ${err instanceof Error ? err.message : String(err)}`),
  });

  registerAffected(connection, {
    state,
    host,
    logError: (where, err) => connection.console.warn(`pymono: ${where}: ${err instanceof Error ? err.message : String(err)}`),
  });

  connection.onRequest(GraphSnapshotRequest, async (token): Promise<GraphSnapshot> => {
    await state.idle();
    const roots = token.isCancellationRequested ? [] : state.current();
    return {
      version: state.generation,
      roots: roots.map(({ root, workspace }) => ({
        rootUri: pathToUri(root),
        version: workspace.version,
        packages: workspace.packages().map(packageToSnapshot),
        edges: workspace.edges().map(edgeToSnapshot),
      })),
    };
  });

  connection.onShutdown(async () => {
    debouncer.dispose();
    await host.dispose();
  });

  async function guard(where: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      reportError(where, err);
    }
  }

  documents.listen(connection);
  connection.listen();
}
