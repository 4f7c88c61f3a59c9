import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ScanOutcome } from '../../server/src/core/host';
import { scanPythonBytes } from '../../server/src/core/importScanner';
import { ScanPool } from '../../server/src/host/scanPool';
import { unpackScan } from '../../server/src/core/packedScan';
import { decodeBatch, encodeBatch } from '../../server/src/host/scanWorker';

const WORKER = path.join(__dirname, '../../server/src/host/scanWorker.ts');
const TSX = ['--import', 'tsx'];

function reason(o: ScanOutcome | undefined): string {
  assert.ok(o !== undefined, 'missing outcome');
  assert.equal(o.ok, false, 'expected a skipped file');
  return o.ok ? '' : o.reason;
}

describe('ScanPool', function () {
  this.timeout(60_000);
  let dir = '';
  let pool: ScanPool;
  const files: Record<string, string> = {};

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pymono-pool-'));
    const write = (name: string, data: string | Uint8Array): void => {
      files[name] = path.join(dir, name);
      fs.writeFileSync(files[name], data);
    };
    write('plain.py', 'import os\nfrom acme.core import (a,\n    b)\n');
    write('unicode.py', '\ufeffs = "日本 🎉"; import requests\n');
    write('binary.py', new Uint8Array([0x69, 0x6d, 0x70, 0x00, 0x01, 0x02]));
    write('latin1.py', new Uint8Array([...new TextEncoder().encode('s = "caf'), 0xe9, ...new TextEncoder().encode('"\nimport x\n')]));
    write('big.py', 'import a\n' + '# padding\n'.repeat(200));
    write('nb.ipynb', JSON.stringify({ cells: [{ cell_type: 'code', source: ['%load_ext x\n', 'import pandas\n'] }] }, null, 1));
    write('locked.py', 'import secret\n');
    fs.chmodSync(files['locked.py'], 0o000);
    fs.mkdirSync(path.join(dir, 'adir.py'));
    files['adir.py'] = path.join(dir, 'adir.py');
    files['missing.py'] = path.join(dir, 'missing.py');
    pool = new ScanPool({ workerScript: WORKER, size: 2, execArgv: TSX });
  });

  after(async () => {
    await pool.close();
    fs.chmodSync(files['locked.py'], 0o644);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('scans Python files on workers with the same result as scanPythonBytes, plus the mtime', async () => {
    const res = await pool.scan([files['plain.py'], files['unicode.py']], 1 << 20);
    for (const name of ['plain.py', 'unicode.py']) {
      const o = res.get(files[name]);
      assert.ok(o?.ok);
      assert.deepEqual(o.scan, scanPythonBytes(fs.readFileSync(files[name])));
      assert.equal(o.mtimeMs, fs.statSync(files[name]).mtimeMs);
    }
    const plain = res.get(files['plain.py']);
    assert.ok(plain?.ok);
    assert.deepEqual(plain.scan.imports.map((r) => r.module), ['os', 'acme.core']);
  });

  it('skips binary files, files over maxBytes and invalid UTF-8 with their reasons', async () => {
    const res = await pool.scan([files['binary.py'], files['big.py'], files['latin1.py']], 1000);
    assert.equal(reason(res.get(files['binary.py'])), 'binary file');
    assert.equal(reason(res.get(files['big.py'])), 'larger than 1000 bytes');
    assert.equal(reason(res.get(files['latin1.py'])), 'not valid UTF-8 (and no PEP 263 coding declaration)');
  });

  it('reports unreadable paths with the OS error message', async () => {
    const res = await pool.scan([files['missing.py'], files['adir.py'], files['locked.py']], 1 << 20);
    assert.match(reason(res.get(files['missing.py'])), /^ENOENT: no such file or directory/);
    assert.match(reason(res.get(files['adir.py'])), /^EISDIR: illegal operation on a directory/);
    // chmod 000 blocks reads except for root (CAP_DAC_OVERRIDE): assert whichever applies here.
    let readable = true;
    try {
      fs.readFileSync(files['locked.py']);
    } catch {
      readable = false;
    }
    const locked = res.get(files['locked.py']);
    if (readable) assert.ok(locked?.ok && locked.scan.imports[0].module === 'secret');
    else assert.match(reason(locked), /^EACCES: permission denied/);
  });

  it('scans notebooks with the notebook scanner', async () => {
    const o = (await pool.scan([files['nb.ipynb']], 1 << 20)).get(files['nb.ipynb']);
    assert.ok(o?.ok);
    assert.deepEqual(o.scan.imports.map((r) => r.module), ['pandas']);
    assert.equal(o.scan.imports[0].range.start.line, 6);
  });

  it('gives the same outcomes on workers and in the current thread, in input order, over many batches', async () => {
    const paths: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const p = path.join(dir, `gen${i}.py`);
      fs.writeFileSync(p, `import m${i}\nif TYPE_CHECKING:\n    from pkg${i % 7} import (x,\n  y)\n`);
      paths.push(p);
    }
    paths.push(...Object.values(files));
    const inThread = new ScanPool({ workerScript: WORKER, size: 0 });
    const [a, b] = await Promise.all([pool.scan(paths, 1000), inThread.scan(paths, 1000)]);
    await inThread.close();
    assert.deepEqual([...a.keys()], [...new Set(paths)]);
    assert.deepEqual(a, b);
    const first = a.get(paths[0]);
    assert.ok(first?.ok);
    assert.deepEqual(first.scan.imports.map((r) => `${r.module}:${r.typeOnly}`), ['m0:false', 'pkg0:true']);
  });

  it('fails the batch of a worker that cannot start instead of hanging', async () => {
    const broken = new ScanPool({ workerScript: path.join(dir, 'no-such-worker.js'), size: 1 });
    const res = await broken.scan([files['plain.py']], 1 << 20);
    await broken.close();
    assert.match(reason(res.get(files['plain.py'])), /^scan worker failed: /);
  });

  it('rejects scans after close', async () => {
    const p = new ScanPool({ workerScript: WORKER, size: 1, execArgv: TSX });
    await p.close();
    await assert.rejects(p.scan([files['plain.py']], 100), /ScanPool is closed/);
  });

  it('answers scanPacked with the packed form of what scan answers, on workers and in the current thread', async () => {
    const paths = Object.values(files);
    const plain = await pool.scan(paths, 10_000);
    const inThread = new ScanPool({ workerScript: WORKER, size: 0 });
    for (const packedPool of [pool, inThread]) {
      const packed = await packedPool.scanPacked(paths, 10_000);
      assert.deepEqual([...packed.keys()], [...plain.keys()]);
      for (const [file, outcome] of plain) {
        const other = packed.get(file);
        if (!outcome.ok) assert.deepEqual(other, outcome, file);
        else {
          assert.ok(other?.ok && 'packed' in other, file);
          assert.deepEqual(JSON.parse(JSON.stringify(unpackScan(other.packed))), JSON.parse(JSON.stringify(outcome.scan)), file);
        }
      }
    }
    await inThread.close();
  });

  it('scans small requests in the calling thread when no worker runs and inThreadUpTo allows it', async () => {
    const p = new ScanPool({ workerScript: path.join(dir, 'no-such-worker.js'), size: 2, inThreadUpTo: 4 });
    const small = await p.scan([files['plain.py'], files['unicode.py']], 10_000);
    assert.equal(p.threads, 0, 'no worker was started');
    assert.ok(small.get(files['plain.py'])?.ok);
    const large = await p.scan(Object.values(files), 10_000);
    assert.match(reason(large.get(files['plain.py'])), /scan worker failed/, 'a larger request goes to (here: broken) workers');
    await p.close();
  });

  it('ends idle workers after idleMs and starts fresh ones for the next scan', async () => {
    const p = new ScanPool({ workerScript: WORKER, size: 2, execArgv: TSX, idleMs: 20 });
    const first = await p.scan([files['plain.py'], files['unicode.py']], 10_000);
    assert.ok(p.threads > 0);
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 10_000;
      const poll = (): void => {
        if (p.threads === 0) resolve();
        else if (Date.now() > deadline) reject(new Error(`still ${p.threads} worker threads after 10 s idle`));
        else setImmediate(poll);
      };
      poll();
    });
    const second = await p.scan([files['plain.py'], files['unicode.py']], 10_000);
    assert.deepEqual([...second].map(([f, o]) => [f, o.ok && o.scan]), [...first].map(([f, o]) => [f, o.ok && o.scan]));
    await p.close();
  });

  it('resolves an empty scan without starting workers', async () => {
    const p = new ScanPool({ workerScript: path.join(dir, 'no-such-worker.js'), size: 2 });
    assert.equal((await p.scan([], 100)).size, 0);
    await p.close();
  });
});

describe('scan worker wire format', () => {
  it('round-trips every field of the outcomes through encodeBatch/decodeBatch', () => {
    const src = [
      'import a.b as c, d  # pymono: ignore',
      'from .x import (p,  # pymono: ignore[PM001, PM003]',
      '    q)',
      'if TYPE_CHECKING:',
      '    from typing import Any',
      'try:',
      '    m = importlib.import_module("dyn.mod")',
      'except ImportError:',
      '    pass',
      's = "日本"; from . import *',
      'x = (',
    ].join('\n');
    const scan = scanPythonBytes(new TextEncoder().encode(src));
    assert.ok(scan.imports.some((r) => Array.isArray(r.suppressed)) && scan.imports.some((r) => r.suppressed === 'all'));
    assert.ok(scan.imports.some((r) => r.dynamic && r.optional) && scan.imports.some((r) => r.typeOnly));
    assert.equal(scan.problems.length, 1);
    const outcomes: ScanOutcome[] = [
      { ok: true, scan, mtimeMs: 1700000000123.5 },
      { ok: false, reason: 'binary file' },
      { ok: true, scan: { imports: [], problems: [] }, mtimeMs: 0 },
      { ok: true, scan, mtimeMs: 42 },
    ];
    const paths = ['/a.py', '/b.py', '/c.py', '/d.py'];
    const wire = encodeBatch(7, outcomes);
    assert.equal(wire.id, 7);
    assert.deepEqual(decodeBatch(paths, wire), paths.map((p, i) => [p, outcomes[i]]));
  });
});
