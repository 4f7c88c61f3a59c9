/**
 * The Node host against a real temp directory: directory listing kinds, stat of missing paths, git through
 * execFile, and the import scan through the worker pool.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { createNodeHost, type NodeHost } from '../../server/src/host/nodeHost';
import { makeTree } from './lspClient';

describe('node host', () => {
  let dir = '';
  let host: NodeHost;
  beforeEach(() => {
    dir = makeTree({ 'pkg/mod.py': 'import os\nfrom acme.base import thing\n', 'readme.md': '# x\n' }, 'pymono-host-');
    host = createNodeHost({ workers: 1 });
  });
  afterEach(async () => {
    await host.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists files, folders and symlinks with their kinds', async () => {
    symlinkSync(path.join(dir, 'pkg'), path.join(dir, 'link'));
    const entries = (await host.readDirectory(dir)).sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(entries, [
      { name: 'link', kind: 'symlink' },
      { name: 'pkg', kind: 'directory' },
      { name: 'readme.md', kind: 'file' },
    ]);
  });

  it('stats files and returns undefined for missing paths', async () => {
    const s = await host.stat(path.join(dir, 'readme.md'));
    assert.equal(s?.kind, 'file');
    assert.equal(s?.size, 4);
    assert.equal(await host.stat(path.join(dir, 'nope', 'x.py')), undefined);
    assert.equal(await host.stat(path.join(dir, 'readme.md', 'below')), undefined);
  });

  it('rejects reading a missing directory with the path in the message', async () => {
    await assert.rejects(host.readDirectory(path.join(dir, 'missing')), /ENOENT.*missing/);
  });

  it('runs git without a shell and rejects with its stderr', async () => {
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const out = await host.git(['rev-parse', '--is-inside-work-tree'], dir);
    assert.equal(out.trim(), 'true');
    await assert.rejects(host.git(['no-such-command; echo hi'], dir), /git no-such-command; echo hi .*failed: .*not a git command/);
  });

  it('scans Python files for imports through the worker pool', async () => {
    mkdirSync(path.join(dir, 'empty'));
    const file = path.join(dir, 'pkg', 'mod.py');
    const result = await host.scanFiles([file], 1_000_000);
    const outcome = result.get(file);
    assert.ok(outcome?.ok, JSON.stringify(outcome));
    assert.deepEqual(outcome.scan.imports.map((i) => i.module), ['os', 'acme.base']);
  });
});
