/**
 * Quick fixes over real LSP on a copy of examples/monorepo: one test per rule code with the edited file asserted
 * byte for byte, the ignore fixes, `source.fixAll.pymono`, "Open library source", capability gating, and the
 * round trip: apply the WorkspaceEdit like the editor, tell the server, and watch the diagnostic go away.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  type CodeAction,
  CodeActionRequest,
  type Command,
  type Diagnostic,
  DidChangeWatchedFilesNotification,
  DidSaveTextDocumentNotification,
  FileChangeType,
} from 'vscode-languageserver-protocol';
import { GraphSnapshotRequest } from '../../server/src/protocol';
import { type LspClient, makeTree, uriOf } from './lspClient';
import { UV_WORKSPACE } from './fixtures';
import { applyWorkspaceEdit, at, bootEditor, copyExample, EDITOR_CAPABILITIES, useExampleServer } from './editorFixture';

const ORDERS = 'services/orders-api/pyproject.toml';
const ROOT = 'pyproject.toml';

describe('code actions (LSP, examples/monorepo)', function () {
  let s: LspClient | undefined;
  let root = '';
  const extraRoots: string[] = [];

  useExampleServer((server, r) => {
    s = server;
    root = r;
  });
  afterEach(() => {
    for (const r of extraRoots.splice(0)) rmSync(r, { recursive: true, force: true });
  });

  const read = (rel: string): string => readFileSync(at(root, rel), 'utf8');

  /** The published diagnostic `code` of `rel` (exactly one). */
  function diagnostic(rel: string, code: string, client = s as LspClient, base = root): Diagnostic {
    const found = (client.latest(at(base, rel)) ?? []).filter((d) => d.code === code);
    assert.equal(found.length, 1, `${code} in ${rel}: ${JSON.stringify(client.latest(at(base, rel)))}`);
    return found[0];
  }

  async function actionsFor(rel: string, d: Diagnostic, client = s as LspClient, base = root): Promise<(CodeAction | Command)[]> {
    return (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uriOf(at(base, rel)) }, range: d.range, context: { diagnostics: [d] } })) ?? [];
  }

  /** The actions of the one `code` diagnostic of `rel` that carry an edit, in the server's order. */
  async function quickFixes(rel: string, code: string): Promise<CodeAction[]> {
    const all = await actionsFor(rel, diagnostic(rel, code));
    return all.filter((a): a is CodeAction => 'edit' in a && a.edit !== undefined);
  }

  /**
   * Applies the action titled `title` among the fixes of `code` in `rel` (to disk unless `write` is false);
   * returns the changed files' new texts by relative path.
   */
  async function apply(rel: string, code: string, title: string, write = true): Promise<Record<string, string>> {
    const fixes = await quickFixes(rel, code);
    const fix = fixes.find((a) => a.title === title);
    assert.ok(fix, `no '${title}' among ${JSON.stringify(fixes.map((a) => a.title))}`);
    const out: Record<string, string> = {};
    for (const [file, text] of applyWorkspaceEdit(fix.edit, write)) out[path.relative(root, file).split(path.sep).join('/')] = text;
    return out;
  }

  async function diskChanged(client: LspClient, files: string[]): Promise<void> {
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: files.map((f) => ({ uri: uriOf(f), type: FileChangeType.Changed })) });
  }

  it('declares hover, definition, document links and code action kinds', async () => {
    const other = copyExample();
    extraRoots.push(path.dirname(other));
    const { s: s2, init } = await bootEditor(other);
    try {
      const caps = init.capabilities;
      assert.equal(caps.hoverProvider, true);
      assert.equal(caps.definitionProvider, true);
      assert.deepEqual(caps.documentLinkProvider, { resolveProvider: false });
      assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.pymono'], resolveProvider: false });
    } finally {
      s2.kill();
    }
  });

  it('PM001: adds the requirement to the package manifest (preferred, first), and the diagnostic goes away', async () => {
    const client = s as LspClient;
    const py = 'services/orders-api/src/orders_api/inventory.py';
    const manifest = at(root, ORDERS);
    const before = read(ORDERS);
    await client.open(manifest, before);
    const d = diagnostic(py, 'PM001');
    const actions = (await actionsFor(py, d)) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred === true]),
      [
        ["Add `requests` to orders-api's dependencies", 'quickfix', true],
        ['Ignore PM001 on this line', 'quickfix', false],
        ['Ignore PM001 for package orders-api', 'quickfix', false],
      ],
    );
    assert.deepEqual(actions[0].diagnostics, [d]);
    // The manifest is open: the edit is versioned with the open document's version.
    const change = actions[0].edit?.documentChanges?.[0];
    assert.ok(change && 'textDocument' in change);
    assert.deepEqual(change.textDocument, { uri: uriOf(manifest), version: 1 });
    // The editor applies the edit to the open buffer (didChange), then saves it.
    const after = applyWorkspaceEdit(actions[0].edit, false).get(manifest) ?? '';
    assert.equal(after, before.replace('    "mq-client",\n]', '    "mq-client",\n    "requests",\n]'));
    const since = client.mark();
    await client.change(manifest, [{ text: after }]);
    const p = await client.waitForDiagnostics((x) => x.uri === uriOf(at(root, py)) && !x.diagnostics.some((y) => y.code === 'PM001'), since);
    assert.deepEqual(p.diagnostics, []);
    // Saving (disk write + didSave + the watcher's event) keeps it clean.
    writeFileSync(manifest, after);
    await client.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: uriOf(manifest) } });
    await diskChanged(client, [manifest]);
    await client.connection.sendRequest(GraphSnapshotRequest);
    assert.deepEqual(client.latest(at(root, py)), []);
  });

  it('PM003: adds the distribution with the specifier the internal dependency uses', async () => {
    const before = read(ORDERS);
    const out = await apply('services/orders-api/src/orders_api/events.py', 'PM003', "Add `pika>=1.3,<2` to orders-api's dependencies");
    assert.deepEqual(out, { [ORDERS]: before.replace('    "mq-client",\n]', '    "mq-client",\n    "pika>=1.3,<2",\n]') });
  });

  it('PM002: adds the internal library, without a member source when the uv root sources cover it', async () => {
    const rel = 'services/billing-worker/pyproject.toml';
    const before = read(rel);
    const out = await apply('services/billing-worker/billing_worker/consumer.py', 'PM002', 'Add internal library `acme-telemetry`');
    assert.deepEqual(out, { [rel]: before.replace('    "asyncio>=3.4.3",\n]', '    "asyncio>=3.4.3",\n    "acme-telemetry",\n]') });
  });

  it('PM002: adds a { workspace = true } source when the uv root does not cover the library', async () => {
    const base = makeTree({
      ...UV_WORKSPACE,
      'services/api/pyproject.toml': '[project]\nname = "api"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = [\n    "fastapi>=0.110",\n]\n',
    });
    extraRoots.push(base);
    const { s: s2 } = await bootEditor(base);
    try {
      const rel = 'services/api/api/main.py';
      const d = diagnostic(rel, 'PM002', s2, base);
      const fix = (await actionsFor(rel, d, s2, base))[0] as CodeAction;
      assert.equal(fix.title, 'Add internal library `shared`');
      const after = applyWorkspaceEdit(fix.edit).get(at(base, 'services/api/pyproject.toml'));
      assert.equal(
        after,
        '[project]\nname = "api"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = [\n    "fastapi>=0.110",\n    "shared",\n]\n\n[tool.uv.sources]\nshared = { workspace = true }\n',
      );
    } finally {
      s2.kill();
    }
  });

  it('PM004: moves a Poetry dev dependency to the runtime table', async () => {
    const rel = 'legacy/notifications/pyproject.toml';
    const before = read(rel);
    const out = await apply('legacy/notifications/notifications/preview.py', 'PM004', 'Move `rich` to runtime dependencies');
    assert.deepEqual(out, { [rel]: before.replace('pydantic = "^1.10"\n', 'pydantic = "^1.10"\nrich = "^13.7"\n').replace('rich = "^13.7"\nmypy-boto3-ses', 'mypy-boto3-ses') });
  });

  it('PM005 and PM009: remove the declaration with its line', async () => {
    const before = read(ORDERS);
    assert.deepEqual(await apply(ORDERS, 'PM005', 'Remove unused `sqlalchemy`'), { [ORDERS]: before.replace('    "sqlalchemy>=2.0",\n', '') });
    const worker = 'services/billing-worker/pyproject.toml';
    const workerBefore = read(worker);
    assert.deepEqual(await apply(worker, 'PM009', 'Remove `asyncio` (standard library module)'), { [worker]: workerBefore.replace('    "asyncio>=3.4.3",\n', '') });
  });

  it('PM006, PM007, PM008: only the ignore fixes, on the manifest line and in the root config', async () => {
    for (const [rel, code, pkg] of [[ORDERS, 'PM006', 'orders-api'], ['legacy/auth-helpers/pyproject.toml', 'PM007', 'auth-helpers'], ['apps/reports/requirements.txt', 'PM008', 'reports']]) {
      assert.deepEqual((await quickFixes(rel, code)).map((a) => a.title), [`Ignore ${code} on this line`, `Ignore ${code} for package ${pkg}`]);
    }
    const req = 'apps/reports/requirements.txt';
    const before = read(req);
    assert.deepEqual(await apply(req, 'PM008', 'Ignore PM008 on this line'), {
      [req]: before.replace('gunicorn=={{ gunicorn_version }}\n', 'gunicorn=={{ gunicorn_version }}  # pymono: ignore[PM008]\n'),
    });
  });

  it('ignores on the line of a Python import, and the diagnostic goes away', async () => {
    const client = s as LspClient;
    const rel = 'services/orders-api/src/orders_api/inventory.py';
    const file = at(root, rel);
    const before = read(rel);
    await client.open(file, before);
    const out = await apply(rel, 'PM001', 'Ignore PM001 on this line', false);
    assert.deepEqual(out, { [rel]: before.replace('import requests\n', 'import requests  # pymono: ignore[PM001]\n') });
    const since = client.mark();
    await client.change(file, [{ text: out[rel] }]);
    const p = await client.nextDiagnosticsFor(file, since);
    assert.deepEqual(p.diagnostics, []);
  });

  it('ignores for a package in [tool.pymono.per-package-ignores]: a new key, or a code added to an existing one', async () => {
    const client = s as LspClient;
    const before = read(ROOT);
    const added = await apply('services/orders-api/src/orders_api/inventory.py', 'PM001', 'Ignore PM001 for package orders-api');
    const withOrders = before.replace('"billing-worker" = ["PM003"]\n', '"billing-worker" = ["PM003"]\n"orders-api" = ["PM001"]\n');
    assert.deepEqual(added, { [ROOT]: withOrders });
    const extended = await apply('services/billing-worker/billing_worker/consumer.py', 'PM002', 'Ignore PM002 for package billing-worker');
    assert.deepEqual(extended, { [ROOT]: withOrders.replace('"billing-worker" = ["PM003"]', '"billing-worker" = ["PM003", "PM002"]') });
    const since = client.mark();
    await diskChanged(client, [at(root, ROOT)]);
    const py = at(root, 'services/orders-api/src/orders_api/inventory.py');
    const p = await client.nextDiagnosticsFor(py, since);
    assert.deepEqual(p.diagnostics, []);
  });

  it('creates [tool.pymono.per-package-ignores] at the end of a root pyproject.toml that has none, and uses `changes` when the client has no documentChanges', async () => {
    const base = makeTree(UV_WORKSPACE);
    extraRoots.push(base);
    const caps = { ...EDITOR_CAPABILITIES, workspace: { ...EDITOR_CAPABILITIES.workspace, workspaceEdit: { documentChanges: false } } };
    const { s: s2 } = await bootEditor(base, caps);
    try {
      const rel = 'services/api/api/main.py';
      const actions = (await actionsFor(rel, diagnostic(rel, 'PM001', s2, base), s2, base)) as CodeAction[];
      const fix = actions.find((a) => a.title === 'Ignore PM001 for package api');
      assert.ok(fix?.edit?.changes && fix.edit.documentChanges === undefined);
      const after = applyWorkspaceEdit(fix.edit).get(at(base, ROOT));
      assert.equal(after, `${UV_WORKSPACE[ROOT]}\n[tool.pymono.per-package-ignores]\n"api" = ["PM001"]\n`);
    } finally {
      s2.kill();
    }
  });

  it('source.fixAll.pymono applies every safe fix of the document at once, as one edit per manifest', async () => {
    const client = s as LspClient;
    const rel = 'services/orders-api/src/orders_api/inventory.py';
    const file = at(root, rel);
    const since = client.mark();
    await client.open(file, `import pika\n${read(rel)}`);
    await client.waitForDiagnostics((p) => p.uri === uriOf(file) && p.diagnostics.some((d) => d.code === 'PM003') && p.diagnostics.some((d) => d.code === 'PM001'), since);
    const requestAll = async (r: string): Promise<CodeAction[]> =>
      ((await client.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: uriOf(at(root, r)) },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll'] },
      })) ?? []) as CodeAction[];
    const actions = await requestAll(rel);
    assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['Fix all pymono dependency problems', 'source.fixAll.pymono']]);
    const before = read(ORDERS);
    const change = actions[0].edit?.documentChanges ?? [];
    assert.equal(change.length, 1);
    assert.ok('edits' in change[0] && change[0].edits.length === 1, 'one edit for the manifest');
    const after = applyWorkspaceEdit(actions[0].edit).get(at(root, ORDERS));
    assert.equal(after, before.replace('    "mq-client",\n]', '    "mq-client",\n    "pika>=1.3,<2",\n    "requests",\n]'));
    // In the manifest itself, fix-all removes the unused dependency (and never adds an ignore).
    const inManifest = await requestAll(ORDERS);
    assert.equal(inManifest.length, 1);
    const cleaned = applyWorkspaceEdit(inManifest[0].edit).get(at(root, ORDERS));
    assert.equal(cleaned, (after ?? '').replace('    "sqlalchemy>=2.0",\n', ''));
  });

  it('offers "Open library source" on an internal import, running pymono.openSource on the module file', async () => {
    const rel = 'services/orders-api/src/orders_api/events.py';
    const line = read(rel).split('\n').findIndex((l) => l.startsWith('from acme.models.orders'));
    const actions = ((await (s as LspClient).connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uriOf(at(root, rel)) },
      range: { start: { line, character: 12 }, end: { line, character: 12 } },
      context: { diagnostics: [] },
    })) ?? []) as CodeAction[];
    assert.deepEqual(actions, [
      {
        title: 'Open library source (acme-models)',
        kind: '',
        command: { title: 'Open library source (acme-models)', command: 'pymono.openSource', arguments: [{ uri: uriOf(at(root, 'libs/models/acme/models/orders.py')) }] },
      },
    ]);
  });
});
