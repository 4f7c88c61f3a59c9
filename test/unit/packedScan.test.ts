import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanPython } from '../../server/src/core/importScanner';
import { packScan, unpackScan } from '../../server/src/core/packedScan';
import { REPO } from './helpers/tree';

/** JSON round trip drops `undefined`-valued keys, the one difference packing may legitimately make. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('packed scans', () => {
  it('unpack(pack(scan)) equals the scan for every Python file of the example monorepo', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) walk(abs);
        else if (e.name.endsWith('.py')) files.push(abs);
      }
    };
    walk(path.join(REPO, 'examples', 'monorepo'));
    assert.ok(files.length > 20);
    for (const f of files) {
      const scan = scanPython(fs.readFileSync(f, 'utf8'));
      assert.deepEqual(plain(unpackScan(packScan(scan))), plain(scan), f);
    }
  });

  it('keeps flags, suppressions, names and multi-line ranges', () => {
    const src = [
      'from typing import TYPE_CHECKING',
      'if TYPE_CHECKING:',
      '    from a.b import (c,',
      '        d)  # pymono: ignore[PM001, PM003]',
      'try:',
      '    import ujson  # pymono: ignore',
      'except ImportError:',
      '    pass',
      'import importlib',
      'm = importlib.import_module("plugins.x")',
      'from . import sibling',
    ].join('\n');
    const scan = scanPython(src);
    const back = unpackScan(packScan(scan));
    assert.deepEqual(plain(back), plain(scan));
    const ab = back.imports.find((r) => r.module === 'a.b');
    assert.equal(ab?.typeOnly, true);
    assert.deepEqual(ab?.suppressed, ['PM001', 'PM003']);
    assert.deepEqual(ab?.names?.map((n) => [n.name, n.range.start.line]), [['c', 2], ['d', 3]]);
    assert.equal(back.imports.find((r) => r.module === 'ujson')?.suppressed, 'all');
    assert.equal(back.imports.find((r) => r.module === 'plugins.x')?.dynamic, true);
    assert.equal(back.imports.find((r) => r.level === 1)?.module, '');
  });
});
