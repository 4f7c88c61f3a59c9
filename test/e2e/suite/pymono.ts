/**
 * Access to the extension under test for the end-to-end suite: its id, activation, and the readiness promise of
 * the API object `activate` returns (client/src/extension.ts `PymonoApi`). The suite does not import the client's
 * types: it checks the exported object's shape at run time, as any consumer of `exports` would.
 */
import * as vscode from 'vscode';
import { withTimeout } from './waits';

/** `publisher.name` from package.json. */
export const EXTENSION_ID = 'pymono.pymono';

/** Bound on activation + first indexing of the example monorepo, in milliseconds (a cold extension host included). */
export const READY_TIMEOUT_MS = 60_000;

/** The part of the extension's exported API the suite relies on. */
export interface PymonoApiShape {
  client: unknown;
  ready: Thenable<unknown>;
}

function isApi(value: unknown): value is PymonoApiShape {
  if (typeof value !== 'object' || value === null) return false;
  const ready: unknown = (value as { ready?: unknown }).ready;
  return typeof ready === 'object' && ready !== null && typeof (ready as { then?: unknown }).then === 'function';
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  return `an object with keys [${Object.keys(value).join(', ')}]`;
}

let activated: Promise<PymonoApiShape> | undefined;

/**
 * Activates the extension (if VS Code has not already) and waits for `api.ready`. Memoised: every test file may
 * call it. Rejects when the extension is missing, exports no `ready` promise, fails to start its server, or is not
 * ready within READY_TIMEOUT_MS.
 */
export function activatePymono(): Promise<PymonoApiShape> {
  activated ??= (async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded (extensionDevelopmentPath wrong?)`);
    const exported: unknown = await withTimeout(ext.activate(), READY_TIMEOUT_MS, `activation of ${EXTENSION_ID}`);
    if (!isApi(exported)) throw new Error(`${EXTENSION_ID} exports no API with a 'ready' promise (got ${describe(exported)})`);
    await withTimeout(exported.ready, READY_TIMEOUT_MS, `${EXTENSION_ID} API 'ready' (first indexing by the language server)`);
    return exported;
  })();
  return activated;
}
