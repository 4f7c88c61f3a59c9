/**
 * Creates and starts the LanguageClient for dist/server.js over Node IPC: server options, document selector,
 * and a readiness promise that resolves when the server has indexed the workspace (first `pymono/status`
 * `ready` or `error`).
 */
import * as vscode from 'vscode';
import {
  type DocumentSelector,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { StatusNotification, type StatusParams } from '../../server/src/protocol';
import { CommandIds } from './commands';
import { readClientConfig } from './config';
import type { ServerStatus } from './serverStatus';

/** Language client id: also the prefix of the `pymono.trace.server` setting vscode-languageclient reads. */
export const CLIENT_ID = 'pymono';

/** Python sources, pip requirements files (by language id and by name), pyproject.toml, pip-tools inputs and Dockerfiles. */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: 'file', language: 'python' },
  { scheme: 'file', language: 'pip-requirements' },
  { scheme: 'file', pattern: '**/pyproject.toml' },
  { scheme: 'file', pattern: '**/requirements*.txt' },
  { scheme: 'file', pattern: '**/*.in' },
  { scheme: 'file', pattern: '**/Dockerfile*' },
];

/** A started (or starting) client and the promise tests await. */
export interface StartedClient {
  client: LanguageClient;
  /** Resolves once the server has reported `ready` (or `error`) for the first time; rejects if the client fails to start. */
  ready: Promise<void>;
  /** Stops and starts the server again (the tree and status item follow its notifications). */
  restart(): Promise<void>;
}

/** Commands the server's hover Markdown may run through `command:` links (nothing else is trusted). */
export const TRUSTED_HOVER_COMMANDS: readonly string[] = [CommandIds.openManifest, CommandIds.openSource];

/**
 * Starts the language server. Every disposable created here is pushed to `context.subscriptions`; stopping the
 * client on dispose ends the server process. `pymono/status` notifications and the client's own state changes
 * (a server that stops, or never starts) are reported to `status`.
 */
export function startLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel, status: ServerStatus): StartedClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    markdown: { isTrusted: { enabledCommands: TRUSTED_HOVER_COMMANDS }, supportHtml: false },
  };
  const client = new LanguageClient(CLIENT_ID, 'Python Monorepo', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => void client.stop().catch(() => undefined) });

  const config = readClientConfig(vscode.workspace.getConfiguration('pymono'));
  output.appendLine(`pymono: starting the language server (enable=${config.enable}, trace=${config.traceServer})`);

  /** True while we stop or restart the server ourselves, so that its Stopped state is not reported as a failure. */
  let stopping = false;
  context.subscriptions.push({ dispose: () => (stopping = true) });
  let markReady: () => void = () => undefined;
  const indexed = new Promise<void>((resolve) => (markReady = resolve));
  context.subscriptions.push(
    // One handler per method (vscode-jsonrpc keeps the last one registered): everything else listens to `status`.
    client.onNotification(StatusNotification, (params: StatusParams) => {
      if (params.state === 'error' && params.message) output.appendLine(`pymono: ${params.message}`);
      status.fromServer(params);
      if (params.state !== 'indexing') markReady();
    }),
    client.onDidChangeState(({ oldState, newState }) => {
      if (newState === State.Starting) status.starting();
      // Running -> Stopped without a stop()/restart() from us: the server crashed or exited.
      else if (newState === State.Stopped && oldState === State.Running && !stopping) status.failed('the language server stopped');
    }),
  );
  const ready = client.start().then(() => indexed);
  ready.catch((err: unknown) => {
    output.appendLine(`pymono: the language server failed to start: ${String(err)}`);
    status.failed(`the language server failed to start: ${err instanceof Error ? err.message : String(err)}`);
  });
  const restart = async (): Promise<void> => {
    stopping = true;
    try {
      output.appendLine('pymono: restarting the language server');
      status.starting();
      if (client.isRunning()) await client.restart();
      else await client.start();
    } catch (err: unknown) {
      status.failed(`the language server failed to restart: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    } finally {
      stopping = false;
    }
  };
  return { client, ready, restart };
}
