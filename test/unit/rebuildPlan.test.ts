/**
 * The plain logic behind "Rebuild Affected Services" (client/src/rebuild/rebuildModel.ts, rebuildConfig.ts):
 * quick-pick rows from a server answer, the `pymono` task definition, the parallelism-limited scheduler, the
 * end-of-run summary, the build states the Packages view shows, and the settings reader.
 */
import * as assert from 'node:assert/strict';
import type { AffectedRoot } from '../../server/src/protocol';
import { readRebuildConfig, REBUILD_DEFAULTS } from '../../client/src/rebuild/rebuildConfig';
import {
  type BuildOutcome,
  BuildStateStore,
  describeBuildState,
  parseTaskDefinition,
  pickEntries,
  progressText,
  runLimited,
  summarize,
  taskName,
} from '../../client/src/rebuild/rebuildModel';

const ROOT = 'file:///work/acme';
const REASON = 'libs/models/acme/models/orders.py changed (acme-models) → orders-api';

/** What the server answers for a change of acme-models in the example monorepo (trimmed to two services). */
function answer(rootUri = ROOT): AffectedRoot {
  return {
    rootUri,
    compared: 'changes since the merge base with main',
    changedFiles: [`${rootUri}/libs/models/acme/models/orders.py`],
    services: [
      {
        name: 'orders-api',
        via: ['acme-models', 'orders-api'],
        reason: REASON,
        build: { command: 'make -C services/orders-api', args: ['make', '-C', 'services/orders-api'], shell: false, cwd: '/work/acme', source: 'makefile', origin: 'services/orders-api/Makefile', reason: REASON },
      },
      {
        name: 'reports',
        via: ['acme-models', 'reports'],
        reason: 'libs/models/acme/models/orders.py changed (acme-models) → reports',
        noBuild: 'no Makefile, Dockerfile, uv workspace or Poetry project in apps/reports: set [tool.pymono.services.reports] build = "..." or [tool.pymono] build',
      },
    ],
    devAffected: [],
    problems: [],
  };
}

function outcome(service: string, status: BuildOutcome['status'], exitCode?: number): BuildOutcome {
  return { rootUri: ROOT, service, taskName: taskName(service), status, durationMs: 10, ...(exitCode !== undefined ? { exitCode } : {}) };
}

/** A promise with its resolver, so a test decides when each "build" ends. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve: (v: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every pending promise callback run (no timers involved). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('rebuild: quick-pick rows', () => {
  it('pre-selects services with a build, showing the command as description and the reason as detail', () => {
    const [orders, reports] = pickEntries([answer()]);
    assert.deepEqual(
      { label: orders.label, description: orders.description, detail: orders.detail, picked: orders.picked, command: orders.build?.command },
      { label: '$(tools) orders-api', description: 'make -C services/orders-api', detail: REASON, picked: true, command: 'make -C services/orders-api' },
    );
    assert.equal(reports.picked, false);
    assert.equal(reports.description, 'no build command');
    assert.equal(reports.detail, 'not built: set [tool.pymono.services.reports] build = "..." or [tool.pymono] build (no Makefile, Dockerfile, uv workspace or Poetry project in apps/reports)');
    const other = pickEntries([{ ...answer(), services: [{ name: 'x', via: ['x'], reason: 'r', noBuild: 'no package named x' }] }])[0];
    assert.equal(other.detail, 'not built: no package named x');
    assert.equal(reports.build, undefined);
  });

  it('prefixes the detail with the folder name only when several folders answered', () => {
    const folder = (uri: string): string => uri.split('/').pop() ?? uri;
    assert.equal(pickEntries([answer()], folder)[0].detail, REASON);
    const two = pickEntries([answer('file:///work/acme'), answer('file:///work/other')], folder);
    assert.deepEqual(two.map((e) => e.detail.split(':')[0]), ['acme', 'acme', 'other', 'other']);
    assert.deepEqual(two.map((e) => e.rootUri), ['file:///work/acme', 'file:///work/acme', 'file:///work/other', 'file:///work/other']);
  });
});

describe('rebuild: pymono task definitions', () => {
  it('accepts a service with an optional root folder and refuses anything else', () => {
    assert.deepEqual(parseTaskDefinition({ type: 'pymono', service: ' orders-api ' }), { type: 'pymono', service: 'orders-api' });
    assert.deepEqual(parseTaskDefinition({ type: 'pymono', service: 'orders-api', root: 'acme' }), { type: 'pymono', service: 'orders-api', root: 'acme' });
    assert.equal(parseTaskDefinition({ type: 'shell', service: 'orders-api' }), undefined);
    assert.equal(parseTaskDefinition({ type: 'pymono' }), undefined);
    assert.equal(parseTaskDefinition({ type: 'pymono', service: '' }), undefined);
    assert.equal(parseTaskDefinition({ type: 'pymono', service: 'x', root: 3 }), undefined);
    assert.equal(parseTaskDefinition(null), undefined);
    assert.equal(taskName('orders-api'), 'build orders-api');
  });
});

describe('rebuild: parallelism-limited scheduler', () => {
  it('runs at most `limit` jobs at once, starts the next when one ends, and keeps the results in job order', async () => {
    const ends = new Map<string, ReturnType<typeof deferred<string>>>();
    const started: string[] = [];
    let running = 0;
    let peak = 0;
    const start = async (job: string): Promise<string> => {
      started.push(job);
      running++;
      peak = Math.max(peak, running);
      const d = deferred<string>();
      ends.set(job, d);
      const result = await d.promise;
      running--;
      return result;
    };
    const run = runLimited(['a', 'b', 'c', 'd'], 2, start, (j) => `skipped ${j}`, () => false);
    await settle();
    assert.deepEqual(started, ['a', 'b'], 'two lanes start the first two jobs');
    ends.get('b')?.resolve('b ok');
    await settle();
    assert.deepEqual(started, ['a', 'b', 'c'], 'the end of b starts c');
    ends.get('a')?.resolve('a failed');
    ends.get('c')?.resolve('c ok');
    await settle();
    ends.get('d')?.resolve('d ok');
    assert.deepEqual(await run, ['a failed', 'b ok', 'c ok', 'd ok']);
    assert.equal(peak, 2);
  });

  it('starts nothing once stopped and reports the queued jobs as skipped', async () => {
    let stop = false;
    const first = deferred<string>();
    const started: string[] = [];
    const run = runLimited(
      ['a', 'b', 'c'],
      1,
      async (j) => {
        started.push(j);
        return j === 'a' ? first.promise : `${j} ran`;
      },
      (j) => `${j} cancelled`,
      () => stop,
    );
    await settle();
    stop = true;
    first.resolve('a terminated');
    assert.deepEqual(await run, ['a terminated', 'b cancelled', 'c cancelled']);
    assert.deepEqual(started, ['a']);
  });

  it('treats a rejected start as skipped, and handles no jobs and a limit below one', async () => {
    assert.deepEqual(await runLimited(['a', 'b'], 0, async (j) => (j === 'a' ? Promise.reject(new Error('no')) : 'b ok'), (j) => `${j} skipped`, () => false), ['a skipped', 'b ok']);
    assert.deepEqual(await runLimited([], 2, async () => 'x', () => 'y', () => false), []);
  });
});

describe('rebuild: summary', () => {
  it('says how many services were rebuilt and that they succeeded', () => {
    const s = summarize([outcome('billing-worker', 'succeeded', 0), outcome('orders-api', 'succeeded', 0)]);
    assert.equal(s.message, 'Rebuilt 2 services: 2 succeeded');
    assert.equal(s.severity, 'information');
    assert.deepEqual(s.succeeded, ['billing-worker', 'orders-api']);
  });

  it('names the failed, cancelled and unbuildable services and picks the severity', () => {
    const failed = summarize([outcome('billing-worker', 'succeeded', 0), outcome('orders-api', 'failed', 2)]);
    assert.equal(failed.message, 'Rebuilt 2 services: 1 succeeded; 1 failed: orders-api');
    assert.equal(failed.severity, 'error');
    assert.deepEqual(failed.failed, ['orders-api']);
    const cancelled = summarize([outcome('orders-api', 'cancelled')], ['reports']);
    assert.equal(cancelled.message, 'Rebuilt 1 service: 1 cancelled: orders-api; 1 without a build command: reports');
    assert.equal(cancelled.severity, 'warning');
    assert.equal(summarize([]).message, 'Rebuilt 0 services: 0 succeeded');
  });

  it('describes progress with what runs, what waits and what is done', () => {
    assert.equal(progressText(['orders-api', 'billing-worker'], 1, 0, 3), 'orders-api, billing-worker running · 1 queued · 0 of 3 done');
    assert.equal(progressText([], 0, 3, 3), 'starting · 3 of 3 done');
  });
});

describe('rebuild: build states for the Packages view', () => {
  it('stores the last state per folder and service and tells listeners until disposed', () => {
    const store = new BuildStateStore();
    const seen: string[] = [];
    const sub = store.onDidChange((root, service) => seen.push(`${root} ${service}`));
    store.set(ROOT, 'orders-api', { status: 'running', at: 0, taskName: 'build orders-api' });
    store.set(ROOT, 'orders-api', { status: 'failed', at: 1, taskName: 'build orders-api', exitCode: 2 });
    store.set('file:///other', 'orders-api', { status: 'succeeded', at: 2, taskName: 'build orders-api' });
    sub.dispose();
    store.set(ROOT, 'billing-worker', { status: 'succeeded', at: 3, taskName: 'build billing-worker' });
    assert.deepEqual(seen, [`${ROOT} orders-api`, `${ROOT} orders-api`, 'file:///other orders-api']);
    assert.equal(store.get(ROOT, 'orders-api')?.status, 'failed');
    assert.equal(store.get('file:///other', 'orders-api')?.status, 'succeeded');
    assert.equal(store.get(ROOT, 'notifications'), undefined);
    const cleared: string[] = [];
    store.onDidChange((root, service) => cleared.push(`${root} ${service}`));
    store.clear();
    assert.deepEqual(cleared.sort(), ['file:///other orders-api', `${ROOT} billing-worker`, `${ROOT} orders-api`]);
    assert.equal(store.get(ROOT, 'orders-api'), undefined);
  });

  it('renders running, built, failed and cancelled with a word, an icon and the exit code', () => {
    const at = (): string => '14:02:00';
    assert.deepEqual(describeBuildState({ status: 'running', at: 0, taskName: 'build x' }, at), { description: 'building…', icon: 'sync~spin', tooltip: 'Build running since 14:02:00 (task "build x")' });
    assert.equal(describeBuildState({ status: 'succeeded', at: 0, taskName: 'build x', durationMs: 1500 }, at).tooltip, 'Last build succeeded at 14:02:00 in 1.5 s');
    const failed = describeBuildState({ status: 'failed', at: 0, taskName: 'build x', exitCode: 2 }, at);
    assert.deepEqual([failed.description, failed.icon, failed.tooltip], ['build failed', 'error', 'Last build failed at 14:02:00 with exit code 2']);
    assert.equal(describeBuildState({ status: 'cancelled', at: 0, taskName: 'build x' }, at).description, 'build cancelled');
  });
});

describe('rebuild: settings', () => {
  const reader = (values: Record<string, unknown>) => ({ get: <T>(key: string): T | undefined => values[key] as T | undefined });

  it('uses the defaults for missing or mistyped values', () => {
    assert.deepEqual(readRebuildConfig(reader({})), { ...REBUILD_DEFAULTS });
    assert.deepEqual(readRebuildConfig(reader({ 'rebuild.parallelism': 'four', 'rebuild.defaultBranch': 7, 'rebuild.compare': 'all' })), { ...REBUILD_DEFAULTS });
  });

  it('clamps parallelism to 1..32 and trims the branch', () => {
    assert.equal(readRebuildConfig(reader({ 'rebuild.parallelism': 0 })).parallelism, 1);
    assert.equal(readRebuildConfig(reader({ 'rebuild.parallelism': 100 })).parallelism, 32);
    assert.equal(readRebuildConfig(reader({ 'rebuild.parallelism': 3.7 })).parallelism, 3);
    assert.deepEqual(readRebuildConfig(reader({ 'rebuild.defaultBranch': ' develop ', 'rebuild.compare': 'uncommitted' })), { parallelism: 2, defaultBranch: 'develop', compare: 'uncommitted' });
  });
});
