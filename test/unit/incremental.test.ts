import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { brief, load, writeTree } from './helpers/tree';
import type { Host } from '../../server/src/core/host';
import { createNodeHost } from '../../server/src/host/nodeHost';
import { Workspace } from '../../server/src/core/workspace';

const files = {
  'pyproject.toml': '[tool.uv.workspace]\nmembers = ["libs/*", "services/*"]\n\n[tool.uv.sources]\nmq = { workspace = true }\n',
  'libs/mq/pyproject.toml': '[project]\nname = "mq"\nversion = "1.0.0"\ndependencies = ["pika>=1.3"]\n',
  'libs/mq/mq/__init__.py': 'import pika\n',
  'services/orders/pyproject.toml': '[project]\nname = "orders"\nversion = "1.0.0"\ndependencies = ["mq"]\n',
  'services/orders/orders/main.py': 'import mq\nimport pika\n',
  'services/orders/orders/other.py': 'import json\n',
  'services/billing/pyproject.toml': '[project]\nname = "billing"\nversion = "1.0.0"\ndependencies = ["orders"]\n',
  'services/billing/billing/__init__.py': 'import orders\n',
};

describe('incremental updates', () => {
  it('a Python edit re-checks that file only: nothing else is read or scanned', async () => {
    const root = writeTree(files);
    const { ws, host } = await load(root);
    const main = path.join(root, 'services/orders/orders/main.py');
    assert.deepEqual(brief(root, ws.findings()), ['PM003 services/orders/orders/main.py:2 pika']);
    const touched: string[] = [];
    const spyHost = host as Host;
    const origRead = spyHost.readFile.bind(spyHost);
    const origScan = spyHost.scanFiles.bind(spyHost);
    spyHost.readFile = async (p) => (touched.push(p), origRead(p));
    spyHost.scanFiles = async (p, m) => (touched.push(...p), origScan(p, m));
    const v = ws.version;
    await ws.updateDocument(main, 'import mq\n');
    assert.deepEqual(ws.findings(), []);
    assert.ok(ws.version > v);
    await ws.updateDocument(main, 'import mq\nimport boto3\n');
    assert.deepEqual(brief(root, ws.findings()), ['PM001 services/orders/orders/main.py:2 boto3']);
    assert.deepEqual(touched, []);
  });

  it('a manifest edit in the editor rebuilds the graph from cached imports without reading Python files', async () => {
    const root = writeTree(files);
    const { ws, host } = await load(root);
    const reads: string[] = [];
    const scans: string[] = [];
    const spyHost = host as Host;
    const origRead = spyHost.readFile.bind(spyHost);
    const origScan = spyHost.scanFiles.bind(spyHost);
    spyHost.readFile = async (p) => (reads.push(p), origRead(p));
    spyHost.scanFiles = async (p, m) => (scans.push(...p), origScan(p, m));
    const manifest = path.join(root, 'services/orders/pyproject.toml');
    await ws.updateDocument(manifest, '[project]\nname = "orders"\nversion = "1.0.0"\ndependencies = ["mq", "pika>=1.3"]\n');
    assert.deepEqual(ws.findings(), []);
    assert.deepEqual(scans, []);
    assert.ok(!reads.some((r) => r.endsWith('.py')), reads.join(', '));
  });

  it("a library dropping a distribution re-checks its dependents' imports of it (PM003 becomes PM001)", async () => {
    const root = writeTree(files);
    const { ws } = await load(root);
    assert.deepEqual(brief(root, ws.findings()), ['PM003 services/orders/orders/main.py:2 pika']);
    await ws.updateDocument(path.join(root, 'libs/mq/pyproject.toml'), '[project]\nname = "mq"\nversion = "1.0.0"\ndependencies = ["structlog"]\n');
    assert.deepEqual(brief(root, ws.findings()).sort(), [
      'PM001 libs/mq/mq/__init__.py:1 pika',
      'PM001 services/orders/orders/main.py:2 pika',
      'PM005 libs/mq/pyproject.toml:4 structlog',
    ]);
    await ws.updateDocument(path.join(root, 'libs/mq/pyproject.toml'), undefined);
    assert.deepEqual(brief(root, ws.findings()), ['PM003 services/orders/orders/main.py:2 pika']);
  });

  it('files created and deleted on disk are picked up', async () => {
    const root = writeTree(files);
    const { ws } = await load(root);
    const added = path.join(root, 'services/billing/billing/new.py');
    fs.writeFileSync(added, 'import stripe\n');
    await ws.filesChanged([added]);
    assert.ok(brief(root, ws.findings()).includes('PM001 services/billing/billing/new.py:1 stripe'));
    fs.unlinkSync(added);
    await ws.filesChanged([added]);
    assert.ok(!brief(root, ws.findings()).some((b) => b.includes('new.py')));
  });

  it('affected: owners of changed files, their dependents over runtime edges, services with shortest via', async () => {
    const root = writeTree(files);
    const { ws } = await load(root);
    const result = ws.affected([path.join(root, 'libs/mq/mq/__init__.py'), 'README.md']);
    assert.deepEqual(result.changedPackages, ['mq']);
    assert.deepEqual(result.affectedPackages, ['billing', 'mq', 'orders']);
    assert.deepEqual(result.services, [
      { name: 'billing', via: ['mq', 'orders', 'billing'] },
      { name: 'orders', via: ['mq', 'orders'] },
    ]);
  });

  it('an unreadable folder is skipped with its reason and the rest is analysed', async () => {
    const root = writeTree(files);
    const base = createNodeHost({ workers: 0 });
    const blocked = path.join(root, 'services/billing');
    const host: Host = {
      ...base,
      readDirectory: async (p) => {
        if (p === blocked) throw new Error(`EACCES: permission denied, scandir '${p}'`);
        return base.readDirectory(p);
      },
    };
    const ws = await Workspace.load(root, host);
    assert.ok(ws.skipped().some((s) => s.file === blocked && /EACCES/.test(s.reason)));
    assert.deepEqual(brief(root, ws.findings()), ['PM003 services/orders/orders/main.py:2 pika']);
    await base.dispose();
  });
});
