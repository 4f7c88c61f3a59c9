#!/usr/bin/env node
// Affected-services benchmark: the computation beyond git on a synthetic monorepo.
//
//   node --import tsx bench/affected.mjs [--packages 2000] [--files 3] [--changed 100] [--out DIR]
//
// Generates (or reuses) bench/.generated/mono-<packages>x<files> with bench/generate.mjs, loads the Workspace
// (not timed), picks <changed> Python files spread over the packages, and times:
//   - computeChangeImpact (ownership, reverse closure, via chains, reasons): median and max of 20 runs after 3 warm-ups;
//   - diffLocks on a synthetic uv.lock listing every uv member, their third-party distributions and 300 more, one bumped,
//     and the impact with that lock diff added;
//   - planBuilds for the affected services (folder listings through the host: I/O, reported separately).
// Target: the impact computation <= 300 ms. Figures, not assertions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generate, parseFlags } from './generate.mjs';
import { createNodeHost } from '../server/src/host/nodeHost.ts';
import { Workspace } from '../server/src/core/workspace.ts';
import { computeChangeImpact } from '../server/src/core/changes/affectedChanges.ts';
import { diffLocks } from '../server/src/core/changes/lockDiff.ts';
import { planBuilds } from '../server/src/core/builds/buildCommands.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const flags = parseFlags(process.argv.slice(2));
const P = Number(flags.packages ?? 2000);
const F = Number(flags.files ?? 3);
const CHANGED = Number(flags.changed ?? 100);
const out = path.resolve(flags.out ?? path.join(repo, 'bench', '.generated', `mono-${P}x${F}`));
const log = (m) => process.stderr.write(`${m}\n`);

if (!fs.existsSync(path.join(out, '.bench-meta.json'))) {
  log(`generating ${out} ...`);
  generate({ packages: P, files: F, out, seed: 1 });
}

const host = createNodeHost({ workers: 2 });
try {
  let t = performance.now();
  const ws = await Workspace.load(out, host);
  log(`loaded ${ws.packages().length} packages in ${Math.round(performance.now() - t)} ms`);

  const allFiles = ws.packages().flatMap((p) => ws.filesOf(p.id));
  const step = Math.max(1, Math.floor(allFiles.length / CHANGED));
  const changed = [];
  for (let i = 0; i < allFiles.length && changed.length < CHANGED; i += step) changed.push({ path: allFiles[i], status: 'modified' });

  const time = (fn, runs = 20) => {
    for (let i = 0; i < 3; i++) fn();
    const ms = [];
    let last;
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      last = fn();
      ms.push(performance.now() - s);
    }
    ms.sort((a, b) => a - b);
    return { median: ms[Math.floor(ms.length / 2)], max: ms[ms.length - 1], last };
  };

  const impact = time(() => computeChangeImpact(ws, changed));

  // A uv.lock resolving every uv member, the third-party distributions they declare and 300 transitive ones
  // (a chain dist-299 -> ... -> dist-0); each declared distribution depends on one dist-N; dist-150 is bumped.
  const members = ws.packages().filter((p) => p.uvWorkspaceRoot !== undefined);
  const internal = new Set(ws.packages().map((p) => p.id));
  const declared = [...new Set(members.flatMap((p) => p.requirements.map((r) => r.normalized)).filter((n) => n && !internal.has(n)))].sort();
  const third = Array.from({ length: 300 }, (_, i) => `dist-${i}`);
  const lockText = (bumped) => {
    const lines = ['version = 1', 'requires-python = ">=3.11"', ''];
    for (const p of members) {
      lines.push('[[package]]', `name = "${p.name}"`, `version = "${p.version ?? '0'}"`, `source = { editable = "${path.relative(out, p.root)}" }`, 'dependencies = [');
      for (const r of p.requirements) if (r.kind !== 'dev' && r.normalized) lines.push(`    { name = "${r.normalized}" },`);
      lines.push(']', '');
    }
    declared.forEach((d, i) => {
      lines.push('[[package]]', `name = "${d}"`, 'version = "1.0.0"', 'source = { registry = "https://pypi.org/simple" }');
      lines.push(`dependencies = [{ name = "dist-${(i * 37) % 300}" }]`, '');
    });
    third.forEach((d, i) => {
      lines.push('[[package]]', `name = "${d}"`, `version = "${d === bumped ? '2.0.0' : '1.0.0'}"`, 'source = { registry = "https://pypi.org/simple" }');
      if (i > 0) lines.push(`dependencies = [{ name = "dist-${i - 1}" }]`);
      lines.push('');
    });
    return lines.join('\n');
  };
  const baseLock = lockText('');
  const headLock = lockText('dist-150');
  const lockFile = path.join(out, 'uv.lock');
  const lockDiff = time(() => diffLocks(lockFile, 'uv', baseLock, headLock), 5);
  const withLock = time(() => computeChangeImpact(ws, [...changed, { path: lockFile, status: 'modified' }], [lockDiff.last]));

  t = performance.now();
  const plans = await planBuilds(ws, host, impact.last.services);
  const planMs = performance.now() - t;

  const r = impact.last;
  const fmt = (n) => n.toFixed(1);
  console.log(`affected on ${ws.packages().length} packages, ${changed.length} changed files (beyond git)`);
  console.log(`  computeChangeImpact         median ${fmt(impact.median)} ms, max ${fmt(impact.max)} ms  (target <= 300 ms)`);
  console.log(`    changed ${r.changedPackages.length} / affected ${r.affectedPackages.length} packages, ${r.services.length} services`);
  console.log(`  diffLocks (${members.length + declared.length + third.length} locked, ${(baseLock.length / 1024).toFixed(0)} KB x 2)  median ${fmt(lockDiff.median)} ms`);
  console.log(`  impact with the lock diff   median ${fmt(withLock.median)} ms (lock seeded ${withLock.last.locks[0]?.packages.length ?? 0} packages)`);
  console.log(`  planBuilds (${plans.plans.length} services, I/O)  ${fmt(planMs)} ms`);
  console.log(JSON.stringify({
    packages: ws.packages().length, changedFiles: changed.length,
    impactMedianMs: +fmt(impact.median), impactMaxMs: +fmt(impact.max), lockDiffMedianMs: +fmt(lockDiff.median),
    impactWithLockMedianMs: +fmt(withLock.median), planBuildsMs: +fmt(planMs),
    affectedPackages: r.affectedPackages.length, services: r.services.length,
  }));
} finally {
  await host.dispose();
}
