/**
 * Typed reader of the `pymono.*` settings the client reads (package.json `contributes.configuration` is the
 * schema; test/server/settings.test.ts checks they agree). Only a type is imported from `vscode`, so this file
 * loads in plain Node tests.
 */
import type { WorkspaceConfiguration } from 'vscode';
import { REBUILD_SETTING_KEYS } from './rebuild/rebuildConfig';

/** `pymono.trace.server`: how much of the LSP traffic vscode-languageclient logs to the output channel. */
export type TraceSetting = 'off' | 'messages' | 'verbose';

/** The client-side settings with defaults applied. */
export interface ClientConfig {
  /** `pymono.enable`: the server keeps running when false but publishes no diagnostics. */
  enable: boolean;
  /** `pymono.trace.server`. */
  traceServer: TraceSetting;
}

/** Defaults, identical to package.json's `default` values. */
export const CLIENT_DEFAULTS: Readonly<ClientConfig> = Object.freeze({ enable: true, traceServer: 'off' });

/** The keys (under `pymono.`) the client reads (the `rebuild.*` ones through rebuild/rebuildConfig.ts). */
export const CLIENT_SETTING_KEYS = ['enable', 'trace.server', ...REBUILD_SETTING_KEYS] as const;

/**
 * Reads the `pymono` section (`vscode.workspace.getConfiguration('pymono')`, or anything with the same `get`).
 * A value of the wrong type falls back to its default.
 */
export function readClientConfig(section: Pick<WorkspaceConfiguration, 'get'>): ClientConfig {
  const enable: unknown = section.get('enable');
  const trace: unknown = section.get('trace.server');
  return {
    enable: typeof enable === 'boolean' ? enable : CLIENT_DEFAULTS.enable,
    traceServer: trace === 'off' || trace === 'messages' || trace === 'verbose' ? trace : CLIENT_DEFAULTS.traceServer,
  };
}
