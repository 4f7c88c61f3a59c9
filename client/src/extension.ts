/**
 * VS Code entry point: activate/deactivate only. Starts the language client (languageClient.ts) and returns an
 * API object that tests await.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { startLanguageClient } from './languageClient';

/** What `activate` returns (`vscode.extensions.getExtension('pymono.pymono').exports`). */
export interface PymonoApi {
  client: LanguageClient;
  /** Resolves when the server has finished its first indexing. */
  ready: Promise<void>;
}

let active: LanguageClient | undefined;

/** Creates the output channel "Python Monorepo" and starts the language server; everything is owned by `context`. */
export function activate(context: vscode.ExtensionContext): PymonoApi {
  const output = vscode.window.createOutputChannel('Python Monorepo');
  context.subscriptions.push(output);
  const { client, ready } = startLanguageClient(context, output);
  active = client;
  return { client, ready };
}

/** Stops the language server (VS Code awaits the returned promise). */
export async function deactivate(): Promise<void> {
  const client = active;
  active = undefined;
  if (client?.isRunning()) await client.stop();
}
