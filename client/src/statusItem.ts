/**
 * The language status item ("{}" in the status bar) shown for Python sources, pip requirements files and
 * pyproject.toml: "indexing…", "N packages" or the error, with a link to restart the server.
 */
import * as vscode from 'vscode';
import { CommandIds } from './commands';
import type { ServerStatus, ServerStatusView } from './serverStatus';

/** Documents the item shows for: where pymono's diagnostics, hovers and fixes apply. */
export const STATUS_SELECTOR: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'pip-requirements' },
  { language: 'toml' },
  { pattern: '**/pyproject.toml' },
];

/** Text, detail and severity of the item for a status. */
export function describeStatus(view: ServerStatusView): { text: string; detail: string; busy: boolean; error: boolean } {
  switch (view.phase) {
    case 'starting':
      return { text: 'pymono: starting…', detail: 'Starting the language server', busy: true, error: false };
    case 'indexing':
      return { text: 'pymono: indexing…', detail: 'Reading manifests and scanning imports', busy: true, error: false };
    case 'ready':
      return { text: `pymono: ${view.packages} ${view.packages === 1 ? 'package' : 'packages'}`, detail: 'Workspace packages indexed', busy: false, error: false };
    case 'error':
      return { text: '$(error) pymono: error', detail: view.message ?? 'The language server failed', busy: false, error: true };
  }
}

/** Creates the item, keeps it in step with `status`, and returns it (pushed to `context.subscriptions` by the caller). */
export function createStatusItem(status: ServerStatus): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('pymono.status', STATUS_SELECTOR);
  item.name = 'Python Monorepo';
  item.command = { title: 'Restart', command: CommandIds.restartServer, tooltip: 'Restart the pymono language server' };
  const render = (view: ServerStatusView): void => {
    const d = describeStatus(view);
    item.text = d.text;
    item.detail = d.detail;
    item.busy = d.busy;
    item.severity = d.error ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
  };
  render(status.current);
  const sub = status.onDidChange(render);
  return vscode.Disposable.from(sub, item);
}
