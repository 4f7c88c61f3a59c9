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
  TransportKind,
} from 'vscode-languageclient/node';
import { StatusNotification, type StatusParams } from '../../server/src/protocol';
import { readClientConfig } from './config';

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
}

/**
 * Starts the language server. Every disposable created here is pushed to `context.subscriptions`; stopping the
 * client on dispose ends the server process.
 */
export function startLanguageClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): StartedClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
  };
  const client = new LanguageClient(CLIENT_ID, 'Python Monorepo', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => void client.stop().catch(() => undefined) });

  const config = readClientConfig(vscode.workspace.getConfiguration('pymono'));
  output.appendLine(`pymono: starting the language server (enable=${config.enable}, trace=${config.traceServer})`);

  let markReady: () => void = () => undefined;
  const indexed = new Promise<void>((resolve) => (markReady = resolve));
  context.subscriptions.push(
    client.onNotification(StatusNotification, (status: StatusParams) => {
      if (status.state === 'error' && status.message) output.appendLine(`pymono: ${status.message}`);
      if (status.state !== 'indexing') markReady();
    }),
  );
  const ready = client.start().then(() => indexed);
  ready.catch((err: unknown) => output.appendLine(`pymono: the language server failed to start: ${String(err)}`));
  return { client, ready };
}
