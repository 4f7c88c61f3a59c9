/**
 * Real LSP against the built server: transports (stdio, Node IPC), shutdown/exit, multi-root workspaces,
 * the `pymono/*` protocol and the `pymono.enable` setting.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DidChangeConfigurationNotification } from 'vscode-languageserver-protocol';
import { GraphSnapshotRequest } from '../../server/src/protocol';
import { uvWorkspace } from './fixtures';
import { makeTree, startServer, uriOf, useServers } from './lspClient';

describe('language server lifecycle and protocol', function () {
  const { roots, track } = useServers();

  function fixture(): ReturnType<typeof uvWorkspace> {
    const fx = uvWorkspace();
    roots.push(fx.root);
    return fx;
  }

  it('exits with code 0 after shutdown and exit over --stdio', async () => {
    const fx = fixture();
    const s = track(startServer());
    const init = await s.initialize([fx.root]);
    assert.equal(init.serverInfo?.name, 'pymono');
    assert.ok(s.latest(fx.main)?.some((d) => d.code === 'PM001'), 'diagnostics arrived over stdio');
    assert.equal(await s.shutdown(), 0);
    assert.doesNotMatch(s.stderr, /Error|exception/i);
  });

  it('works over Node IPC as the VS Code client starts it', async () => {
    const fx = fixture();
    const s = track(startServer({ transport: 'ipc' }));
    await s.initialize([fx.root]);
    assert.ok(s.latest(fx.main)?.some((d) => d.code === 'PM001'), 'diagnostics arrived over IPC');
    assert.equal(await s.shutdown(), 0);
  });

  it('reports indexing then ready with the package count', async () => {
    const fx = fixture();
    const s = track(startServer());
    await s.initialize([fx.root]);
    const states = s.statuses.map((x) => x.state);
    assert.equal(states[0], 'indexing');
    const ready = s.statuses.find((x) => x.state === 'ready');
    assert.ok(ready);
    assert.equal(ready.packages, 2);
    assert.ok(ready.version > 0);
  });

  it('answers pymono/graphSnapshot with the packages and internal edges of the root', async () => {
    const fx = fixture();
    const s = track(startServer());
    await s.initialize([fx.root]);
    const snap = await s.connection.sendRequest(GraphSnapshotRequest);
    assert.equal(snap.roots.length, 1);
    const [root] = snap.roots;
    assert.equal(root.rootUri, uriOf(fx.root));
    assert.deepEqual(root.packages.map((p) => p.id), ['api', 'shared']);
    const api = root.packages.find((p) => p.id === 'api');
    assert.equal(api?.manifestUri, uriOf(fx.apiManifest));
    assert.deepEqual(
      root.edges.map((e) => [e.from, e.to, e.kind, e.uri, e.range.start.line]),
      [['api', 'shared', 'runtime', uriOf(fx.apiManifest), 6]],
    );
  });

  it('analyses each workspace folder as its own root', async () => {
    const a = fixture();
    const other = makeTree({
      'requirements.txt': 'flask==3.0.0\n',
      'app.py': 'import flask\nimport yaml\n',
    });
    roots.push(other);
    const s = track(startServer());
    await s.initialize([a.root, other]);
    // The second root is loaded in parallel; the snapshot waits for both.
    const snap = await s.connection.sendRequest(GraphSnapshotRequest);
    assert.deepEqual(snap.roots.map((r) => r.rootUri).sort(), [uriOf(a.root), uriOf(other)].sort());
    const appDiags = s.latest(path.join(other, 'app.py')) ?? [];
    assert.deepEqual(appDiags.map((d) => [d.code, d.range.start.line]), [['PM001', 1]]);
    assert.ok(s.latest(a.main)?.some((d) => d.code === 'PM001'));
  });

  it('publishes nothing while pymono.enable is false and the findings once it is turned on', async () => {
    const fx = fixture();
    const s = track(startServer({ settings: { enable: false } }));
    await s.initialize([fx.root]);
    await s.connection.sendRequest(GraphSnapshotRequest);
    assert.deepEqual(s.published, []);
    s.settings = { enable: true };
    await s.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const p = await s.nextDiagnosticsFor(fx.main, 0);
    assert.ok(p.diagnostics.some((d) => d.code === 'PM001'));
  });

  it('clears published diagnostics when pymono.enable is turned off', async () => {
    const fx = fixture();
    const s = track(startServer());
    await s.initialize([fx.root]);
    assert.ok((s.latest(fx.main) ?? []).length > 0);
    const since = s.mark();
    s.settings = { enable: false };
    await s.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const p = await s.nextDiagnosticsFor(fx.main, since);
    assert.deepEqual(p.diagnostics, []);
  });
});
