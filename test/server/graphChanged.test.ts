/**
 * `pymono/graphChanged` against the built server: after a manifest change is processed the server announces
 * the new analysis generation, and a `pymono/graphSnapshot` requested on that notification already shows the
 * change (what the VS Code package tree relies on to refresh without polling).
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { GraphChangedNotification, type GraphChangedParams, GraphSnapshotRequest } from '../../server/src/protocol';
import { API_PYPROJECT, uvWorkspace } from './fixtures';
import { startServer, uriOf, useServers } from './lspClient';

describe('pymono/graphChanged notification', function () {
  const { roots, track } = useServers();

  it('announces a manifest change with a generation the next snapshot reaches, and the snapshot shows the change', async () => {
    const fx = uvWorkspace();
    roots.push(fx.root);
    const s = track(startServer());
    await s.initialize([fx.root]);
    const before = await s.connection.sendRequest(GraphSnapshotRequest);
    assert.ok(before.roots[0].edges.some((e) => e.from === 'api' && e.to === 'shared'), 'the fixture starts with api -> shared');

    const announced = new Promise<GraphChangedParams>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no pymono/graphChanged within 15 s; stderr:\n${s.stderr}`)), 15_000);
      s.connection.onNotification(GraphChangedNotification, (params) => {
        clearTimeout(timer);
        resolve(params);
      });
    });
    writeFileSync(fx.apiManifest, API_PYPROJECT.replace('    "shared",\n', ''));
    await s.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(fx.apiManifest), type: FileChangeType.Changed }] });

    const { version } = await announced;
    assert.ok(version > before.version, `announced generation ${version} is not newer than the snapshot's ${before.version}`);
    const after = await s.connection.sendRequest(GraphSnapshotRequest);
    assert.ok(after.version >= version, `snapshot ${after.version} is older than the announcement ${version}`);
    assert.deepEqual(after.roots[0].edges.filter((e) => e.from === 'api').map((e) => e.to), []);
  });
});
