/**
 * Real LSP over stdio against the built server: diagnostics after initialize, after edits of Python files and
 * manifests (in the editor and on disk), and for malformed manifests.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DiagnosticSeverity,
  DiagnosticTag,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  FileChangeType,
} from 'vscode-languageserver-protocol';
import { GraphSnapshotRequest } from '../../server/src/protocol';
import { API_MAIN, API_PYPROJECT, uvWorkspace } from './fixtures';
import { type LspClient, startServer, uriOf, useServers } from './lspClient';

describe('language server diagnostics (stdio)', function () {
  const { roots, track } = useServers();

  /** A fresh uv-workspace fixture and a server initialized on it. */
  async function boot(overrides: Record<string, string> = {}): Promise<{ s: LspClient; fx: ReturnType<typeof uvWorkspace> }> {
    const fx = uvWorkspace(overrides);
    roots.push(fx.root);
    const s = startServer();
    track(s);
    await s.initialize([fx.root]);
    return { s, fx };
  }

  /** Resolves once every edit sent before has been processed (the snapshot request waits for each root's queue). */
  async function barrier(s: LspClient): Promise<void> {
    await s.connection.sendRequest(GraphSnapshotRequest);
  }

  it('publishes PM001 for an undeclared import after initialize, with range, docs link and fix data', async () => {
    const { s, fx } = await boot();
    const diags = s.latest(fx.main);
    assert.ok(diags, 'main.py got diagnostics');
    const pm001 = diags.filter((d) => d.code === 'PM001');
    assert.equal(pm001.length, 1, JSON.stringify(diags));
    const d = pm001[0];
    assert.deepEqual(d.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 15 } });
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.source, 'pymono');
    const href = d.codeDescription?.href ?? '';
    assert.ok(href.startsWith('file://') && href.endsWith('/docs/rules.md#pm001'), href);
    assert.ok(existsSync(fileURLToPath(href.replace(/#.*$/, ''))), `the linked rules doc exists: ${href}`);
    assert.ok(readFileSync(fileURLToPath(href.replace(/#.*$/, '')), 'utf8').includes('<a id="pm001"></a>'), 'the anchor exists');
    assert.match(d.message, /requests/);
    const data = d.data as Record<string, unknown>;
    assert.equal(data.action, 'add');
    assert.equal(data.distribution, 'requests');
    assert.equal(data.manifest, fx.apiManifest);
    // Nothing else in this fixture is wrong: no other file carries diagnostics.
    const others = s.published.filter((p) => p.uri !== uriOf(fx.main) && p.diagnostics.length > 0);
    assert.deepEqual(others.map((p) => p.uri), []);
  });

  it('clears a file when an edit removes the import, and republishes no other file', async () => {
    // util.py has a finding of its own, so a server that republished everything would send it again.
    const { s, fx } = await boot({ 'libs/shared/shared/util.py': 'import os\nimport yaml\n' });
    assert.ok(s.latest(fx.util)?.some((d) => d.code === 'PM001'), 'util.py starts with a finding');
    await s.open(fx.main, API_MAIN);
    const since = s.mark();
    const version = await s.change(fx.main, [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' }]);
    const p = await s.waitForDiagnostics((x) => x.uri === uriOf(fx.main) && x.diagnostics.length === 0, since);
    assert.equal(p.version, version);
    await barrier(s);
    assert.deepEqual(
      s.published.slice(since).map((x) => x.uri),
      [uriOf(fx.main)],
    );
  });

  it('reports an undeclared import as soon as an edit adds it', async () => {
    const { s, fx } = await boot();
    await s.open(fx.main, API_MAIN);
    const since = s.mark();
    await s.change(fx.main, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'import httpx\n' }]);
    const p = await s.waitForDiagnostics((x) => x.uri === uriOf(fx.main) && x.diagnostics.some((d) => /httpx/.test(d.message)), since);
    const byLine = p.diagnostics.filter((d) => d.code === 'PM001').map((d) => [d.range.start.line, d.range.start.character, d.range.end.character]);
    assert.deepEqual(byLine, [
      [0, 7, 12],
      [2, 7, 15],
    ]);
  });

  it('publishes the newest version last when edits arrive in a burst', async () => {
    const { s, fx } = await boot();
    await s.open(fx.main, API_MAIN);
    const since = s.mark();
    // Three edits sent without waiting: add httpx, add yaml, then remove the requests line (now line 3).
    void s.change(fx.main, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'import httpx\n' }]);
    void s.change(fx.main, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'import yaml\n' }]);
    const last = await s.change(fx.main, [{ range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }, text: '' }]);
    const p = await s.waitForDiagnostics((x) => x.uri === uriOf(fx.main) && x.version === last, since);
    assert.deepEqual(
      p.diagnostics.map((d) => [d.code, d.range.start.line]),
      [
        ['PM001', 0],
        ['PM001', 1],
      ],
    );
    assert.match(p.diagnostics[0].message, /yaml/);
    await barrier(s);
    const forMain = s.published.slice(since).filter((x) => x.uri === uriOf(fx.main));
    assert.equal(forMain[forMain.length - 1].version, last, 'nothing older is published after the newest version');
  });

  it('reports a dependency as unused on the manifest when an edit removes its last import', async () => {
    const { s, fx } = await boot();
    await s.open(fx.main, API_MAIN);
    const since = s.mark();
    await s.change(fx.main, [{ text: 'from shared.util import helper\n\nprint(helper())\n' }]);
    const p = await s.waitForDiagnostics((x) => x.uri === uriOf(fx.apiManifest) && x.diagnostics.length > 0, since);
    assert.deepEqual(
      p.diagnostics.map((d) => [d.code, d.range.start.line]),
      [['PM005', 5]],
    );
    assert.match(p.diagnostics[0].message, /fastapi/);
  });

  it('restores the findings of the file on disk when the edited document closes', async () => {
    const { s, fx } = await boot();
    await s.open(fx.main, API_MAIN);
    let since = s.mark();
    await s.change(fx.main, [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' }]);
    await s.waitForDiagnostics((x) => x.uri === uriOf(fx.main) && x.diagnostics.length === 0, since);
    since = s.mark();
    await s.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: uriOf(fx.main) } });
    const p = await s.nextDiagnosticsFor(fx.main, since);
    assert.deepEqual(
      p.diagnostics.map((d) => [d.code, d.range.start.line]),
      [['PM001', 1]],
    );
  });

  it('drops the diagnostic when the open pyproject declares the dependency (didChange on the manifest)', async () => {
    const { s, fx } = await boot();
    await s.open(fx.apiManifest, API_PYPROJECT);
    const since = s.mark();
    await s.change(fx.apiManifest, [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '    "requests>=2",\n' }]);
    const p = await s.nextDiagnosticsFor(fx.main, since);
    assert.deepEqual(p.diagnostics, []);
  });

  it('drops the diagnostic when the pyproject changes on disk and the client reports it (didChangeWatchedFiles)', async () => {
    const { s, fx } = await boot();
    const since = s.mark();
    writeFileSync(fx.apiManifest, API_PYPROJECT.replace('    "shared",\n', '    "shared",\n    "requests>=2",\n'));
    await s.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf(fx.apiManifest), type: FileChangeType.Changed }] });
    const p = await s.nextDiagnosticsFor(fx.main, since);
    assert.deepEqual(p.diagnostics, []);
  });

  it('reports an unused dependency declared in the open manifest as PM005, faded as unnecessary', async () => {
    const { s, fx } = await boot();
    await s.open(fx.apiManifest, API_PYPROJECT);
    const since = s.mark();
    await s.change(fx.apiManifest, [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '    "pydantic>=2",\n' }]);
    const p = await s.waitForDiagnostics((x) => x.uri === uriOf(fx.apiManifest) && x.diagnostics.some((d) => d.code === 'PM005'), since);
    const d = p.diagnostics.find((x) => x.code === 'PM005');
    assert.ok(d);
    assert.equal(d.range.start.line, 6);
    assert.deepEqual(d.tags, [DiagnosticTag.Unnecessary]);
    assert.match(d.message, /pydantic/);
  });

  it('reports a malformed pyproject as PM008 on the manifest at the line of the error', async () => {
    const broken = '[project]\nname = "shared"\nversion = "0.1.0"\ndependencies = [\n    "requests"\n    "flask",\n]\n';
    const { s, fx } = await boot({ 'libs/shared/pyproject.toml': broken });
    const diags = s.latest(fx.sharedManifest);
    assert.ok(diags, 'the broken manifest got diagnostics');
    const pm008 = diags.find((d) => d.code === 'PM008');
    assert.ok(pm008, JSON.stringify(diags));
    assert.equal(pm008.severity, DiagnosticSeverity.Error);
    assert.equal(pm008.range.start.line, 5);
  });

  it('asks the client to watch manifests, Python files and .gitignore', async () => {
    const { s } = await boot();
    const watch = s.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.ok(watch, 'registered workspace/didChangeWatchedFiles');
    const globs = ((watch.registerOptions as { watchers: { globPattern: string }[] }).watchers ?? []).map((w) => w.globPattern);
    for (const g of ['**/pyproject.toml', '**/requirements*.txt', '**/*.py', '**/.gitignore', '**/Dockerfile*', '**/*.in']) {
      assert.ok(globs.includes(g), `watches ${g}: ${globs.join(', ')}`);
    }
  });
});
