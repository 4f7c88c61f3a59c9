/**
 * The extension starts in a real workbench: it activates on the monorepo and its exported API's `ready`
 * (first indexing finished by the language server forked over IPC) resolves.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, activatePymono } from './pymono';

describe('pymono activation (real extension host)', () => {
  it('activates on the example monorepo and its API reports the workspace indexed', async () => {
    assert.ok(vscode.workspace.workspaceFolders?.length, 'the workbench opened no workspace folder');
    const api = await activatePymono();
    assert.strictEqual(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true, `${EXTENSION_ID} is not active`);
    assert.ok(api.client, 'the API exposes no language client');
  });
});
