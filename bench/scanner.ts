/**
 * Import scanner benchmark. Run with `npx tsx bench/scanner.ts`.
 *
 * 1. Generates ~20 MB of realistic Python (imports at the top, classes, functions, docstrings, comments,
 *    f-strings, dicts, occasional non-ASCII) in memory as UTF-8 files of ~3-4 KB, and prints MB/s and files/s
 *    of `scanPythonBytes` on one thread (best of several rounds).
 * 2. Writes 5,000 such files to a temp dir, bundles the scan worker with esbuild, and prints the wall time of
 *    `ScanPool.scan` over them with 2 workers, 1 worker and in the current thread (`size: 0`): the first scan
 *    (cold: worker start-up and JIT warm-up included) and two more on the same pool.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { scanPythonBytes } from '../server/src/core/importScanner';
import { ScanPool } from '../server/src/host/scanPool';
import { prng } from '../test/unit/helpers/prng';


const rnd = prng(42);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
const MODS = ['os', 'sys', 'json', 'logging', 'typing', 'dataclasses', 'pathlib', 'requests', 'pydantic', 'sqlalchemy.orm',
  'acme.telemetry', 'acme.core.models', 'shared.utils', 'fastapi', 'numpy', 'pandas', 'collections.abc'];
const NAMES = ['Any', 'Optional', 'BaseModel', 'Session', 'get_logger', 'Path', 'field', 'Depends', 'APIRouter'];

function pyFile(): string {
  const out: string[] = ['"""Service module: handles orders and their lifecycle.', '', 'Example:', '    from acme import x', '"""'];
  out.push('from __future__ import annotations', '');
  for (let i = 0, n = 4 + Math.floor(rnd() * 8); i < n; i++) {
    out.push(rnd() < 0.5 ? `import ${pick(MODS)}` : `from ${pick(MODS)} import ${pick(NAMES)}, ${pick(NAMES)}`);
  }
  out.push('from typing import TYPE_CHECKING', '', 'if TYPE_CHECKING:', `    from ${pick(MODS)} import ${pick(NAMES)}`, '');
  out.push('logger = logging.getLogger(__name__)', '');
  let size = out.join('\n').length;
  const target = 2800 + Math.floor(rnd() * 1200);
  while (size < target) {
    const cls = `Order${Math.floor(rnd() * 1000)}`;
    const block = [
      '',
      `class ${cls}(BaseModel):`,
      `    """An order as the API returns it (prix en €, 日本 supported)."""`,
      '',
      '    id: int',
      '    items: list[str] = field(default_factory=list)',
      '',
      `    def total(self, discount: float = 0.0) -> float:`,
      '        # Sum the item prices, then apply the discount.',
      '        values = {"a": 1, "b": [1, 2, 3], "c": (4, 5)}',
      '        result = sum(v for v in values.values() if isinstance(v, int))',
      `        logger.info(f"total for {self.id!r}: {result:>10.2f} after {discount:.0%}")`,
      '        return result * (1 - discount)',
      '',
      '    async def fetch(self, session: Session) -> None:',
      "        rows = await session.execute('SELECT * FROM orders WHERE id = :id', {'id': self.id})",
      '        for row in rows:',
      '            if row.status == "cancelled":  # skip cancelled rows',
      '                continue',
      '            self.items.append(row.name)',
    ];
    if (rnd() < 0.3) block.push('        import json as _json  # lazy import', '        return _json.dumps(self.items)');
    size += block.join('\n').length + 1;
    out.push(...block);
  }
  return out.join('\n') + '\n';
}

function main(): Promise<void> | void {
  const enc = new TextEncoder();
  const files: Uint8Array[] = [];
  let bytes = 0;
  while (bytes < 20 * 1024 * 1024) {
    const f = enc.encode(pyFile());
    files.push(f);
    bytes += f.length;
  }
  let imports = 0;
  for (const f of files) imports += scanPythonBytes(f).imports.length; // warm-up
  let best = Infinity;
  for (let round = 0; round < 10; round++) {
    const t0 = performance.now();
    for (const f of files) scanPythonBytes(f);
    best = Math.min(best, performance.now() - t0);
  }
  const mb = bytes / (1024 * 1024);
  console.log(`scanPythonBytes: ${files.length} files, ${mb.toFixed(1)} MB, ${imports} imports`);
  const perSecond = 1000 / best;
  console.log(`  single thread: ${(mb * perSecond).toFixed(0)} MB/s, ${Math.round(files.length * perSecond)} files/s ` +
    `(best of 10 rounds: ${best.toFixed(0)} ms)`);
  return poolBench(files);
}

async function poolBench(files: Uint8Array[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pymono-bench-'));
  try {
    const paths: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const p = path.join(dir, `m${i}.py`);
      fs.writeFileSync(p, files[i % files.length]);
      paths.push(p);
    }
    const worker = path.join(dir, 'scanWorker.js');
    await esbuild.build({
      entryPoints: [path.join(__dirname, '../server/src/host/scanWorker.ts')], bundle: true, platform: 'node',
      target: 'node20', format: 'cjs', outfile: worker, logLevel: 'warning',
    });
    for (const size of [2, 1, 0]) {
      const pool = new ScanPool({ workerScript: worker, size });
      const times: number[] = [];
      let ok = 0;
      for (let round = 0; round < 3; round++) {
        const t0 = performance.now();
        const res = await pool.scan(paths, 1024 * 1024);
        times.push(performance.now() - t0);
        ok = [...res.values()].filter((r) => r.ok).length;
      }
      await pool.close();
      const [cold, ...warm] = times.map((t) => t.toFixed(0));
      console.log(`ScanPool size ${size}: ${paths.length} files on disk (${ok} scanned): ` +
        `first ${cold} ms${size > 0 ? ' (worker start and JIT warm-up included)' : ''}, then ${warm.join(' / ')} ms`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
