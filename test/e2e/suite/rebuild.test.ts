/**
 * "Rebuild Affected Services" in a real workbench, on the driver's copy of examples/monorepo made a git repository
 * here (branch main, one commit): a change to a shared library opens the quick pick with exactly the services it
 * reaches pre-selected, accepting it runs their Makefile builds as `pymono` tasks (the BUILD-INFO artifacts prove
 * which ran), and the summary says what happened; a failing Makefile gives a failed summary whose terminal can be
 * shown; the Packages view shows each service's last build and rebuilds one service from its item; the builds
 * are listed in Run Task. Takes the README's picture of the quick pick (docs/images/rebuild.png).
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { activatePymono } from './pymono';
import { snap } from './screenshots';
import { withTimeout } from './waits';

/** Bound on git + the affected-services request until the quick pick shows, in milliseconds. */
const PICK_TIMEOUT_MS = 30_000;
/** Bound on a whole run of two `make` builds (each stages a few dozen files), in milliseconds. */
const BUILD_TIMEOUT_MS = 60_000;

const LOGGING = 'libs/telemetry/src/acme/telemetry/logging.py';
const ORDERS_MAKEFILE = 'services/orders-api/Makefile';
const MODELS = 'libs/models/acme/models/orders.py';
const BILLING_MAKEFILE = 'services/billing-worker/Makefile';
const BUILD_INFO = {
  'orders-api': 'services/orders-api/build/BUILD-INFO',
  'billing-worker': 'services/billing-worker/build/BUILD-INFO',
  notifications: 'legacy/notifications/build/BUILD-INFO',
} as const;

/** The parts of the API and of the summary this file uses (checked at run time, like any consumer of `exports`). */
interface Summary {
  message: string;
  severity: string;
  succeeded: string[];
  failed: string[];
  outcomes: { service: string; status: string; exitCode?: number }[];
}
interface ShownPick {
  title: string;
  items: { service: string; label: string; description: string; detail: string; picked: boolean }[];
}
interface RebuildApiShape {
  rebuild: {
    onDidShowPick: vscode.Event<ShownPick>;
    onDidFinish: vscode.Event<Summary>;
    lastSummary: Summary | undefined;
    states: {
      get(rootUri: string, service: string): { status: string } | undefined;
      onDidChange(l: (rootUri: string, service: string) => void): vscode.Disposable;
      clear(): void;
    };
    showOutput(service: string, rootUri?: string): Promise<boolean>;
    cancel(): boolean;
  };
  packageTree: { getChildren(node?: unknown): unknown[]; getTreeItem(node: unknown): vscode.TreeItem };
}

function isRebuildApi(v: unknown): v is RebuildApiShape {
  const a = v as Partial<RebuildApiShape> | null;
  return typeof a?.rebuild?.onDidShowPick === 'function' && typeof a.rebuild.showOutput === 'function' && typeof a.packageTree?.getTreeItem === 'function';
}

/** Resolves with the next event, or rejects after `ms` saying what was awaited. */
function nextEvent<T>(event: vscode.Event<T>, ms: number, what: string): Promise<T> {
  let sub: vscode.Disposable | undefined;
  return withTimeout(new Promise<T>((resolve) => (sub = event((e) => resolve(e)))), ms, what).finally(() => sub?.dispose());
}

describe('pymono Rebuild Affected Services (real extension host)', function () {
  let api: RebuildApiShape;
  let root: string;
  let rootUri: string;
  const file = (rel: string): string => path.join(root, ...rel.split('/'));
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=pymono e2e', '-c', 'user.email=e2e@pymono.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: root, encoding: 'utf8' });
  const originals = new Map<string, string>();
  const edit = (rel: string, change: (text: string) => string): void => {
    const text = fs.readFileSync(file(rel), 'utf8');
    if (!originals.has(rel)) originals.set(rel, text);
    fs.writeFileSync(file(rel), change(text));
  };
  const label = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
  /** The Packages view's item of a service (under "Services"), as VS Code would render it now. */
  const serviceItem = (name: string): { node: unknown; item: vscode.TreeItem } => {
    const group = api.packageTree.getChildren().find((n) => label(api.packageTree.getTreeItem(n)) === 'Services');
    assert.ok(group, 'the Packages view has a Services group');
    const node = api.packageTree.getChildren(group).find((n) => label(api.packageTree.getTreeItem(n)) === name);
    assert.ok(node, `no ${name} under Services`);
    return { node, item: api.packageTree.getTreeItem(node) };
  };
  /**
   * Runs the command without awaiting it, waits for the pick, lets `inspect` look at it, accepts it, runs
   * `whileRunning` and awaits the summary.
   */
  const runAndAccept = async (inspect: (pick: ShownPick) => Promise<void> | void, whileRunning?: () => Promise<void>): Promise<Summary> => {
    const shown = nextEvent(api.rebuild.onDidShowPick, PICK_TIMEOUT_MS, 'the Rebuild Affected Services quick pick');
    const run = vscode.commands.executeCommand<Summary | undefined>('pymono.rebuildAffected');
    const pick = await shown;
    await inspect(pick);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await whileRunning?.();
    const summary = await withTimeout(Promise.resolve(run), BUILD_TIMEOUT_MS, 'the rebuild run to end with a summary');
    assert.ok(summary, 'the command resolved without a summary (pick dismissed?)');
    return summary;
  };

  before(async function () {
    this.timeout(90_000);
    const exported: unknown = await activatePymono();
    assert.ok(isRebuildApi(exported), 'the extension API exposes rebuild and packageTree');
    api = exported;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    root = folder.uri.fsPath;
    rootUri = folder.uri.toString();
    for (const rel of Object.values(BUILD_INFO)) fs.rmSync(path.dirname(file(rel)), { recursive: true, force: true });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'example monorepo');
    edit(LOGGING, (t) => `${t}\n# e2e: a change to the shared telemetry library\n`);
  });

  after(async () => {
    for (const [rel, text] of originals) fs.writeFileSync(file(rel), text);
    for (const rel of Object.values(BUILD_INFO)) fs.rmSync(path.dirname(file(rel)), { recursive: true, force: true });
    fs.rmSync(path.join(root, '.git'), { recursive: true, force: true });
    for (const t of vscode.window.terminals) if (/build (orders-api|billing-worker|notifications)/.test(t.name)) t.dispose();
    await vscode.workspace.getConfiguration('pymono').update('rebuild.parallelism', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('notifications.clearAll');
    // Later tests (and their pictures) see the services as they were before any build.
    api.rebuild.states.clear();
    assert.match(String(serviceItem('orders-api').item.description), /^0\.4\.0( · \d+ problems?)?$/);
  });

  it('pre-selects the services a library change reaches, runs their builds as tasks and says they succeeded', async function () {
    this.timeout(PICK_TIMEOUT_MS + BUILD_TIMEOUT_MS + 60_000);
    const t0 = Date.now();
    const summary = await runAndAccept(async (pick) => {
      const picked = pick.items.filter((i) => i.picked).map((i) => i.service);
      assert.deepEqual(picked, ['billing-worker', 'orders-api'], `picked: ${JSON.stringify(pick.items)}`);
      const orders = pick.items.find((i) => i.service === 'orders-api');
      assert.equal(orders?.description, 'make -C services/orders-api');
      assert.equal(orders?.detail, `${LOGGING} changed (acme-telemetry) → orders-api`);
      assert.match(pick.items.find((i) => i.service === 'billing-worker')?.detail ?? '', /→ mq-client → billing-worker$/);
      assert.match(pick.title, /main/, 'the title says what was compared');
    });
    console.log(`[rebuild e2e] pick + 2 builds in ${Date.now() - t0} ms`);
    assert.equal(summary.message, 'Rebuilt 2 services: 2 succeeded');
    assert.deepEqual(summary.succeeded, ['billing-worker', 'orders-api']);
    assert.deepEqual(api.rebuild.lastSummary?.message, summary.message);
    for (const service of ['orders-api', 'billing-worker'] as const) {
      const info = fs.readFileSync(file(BUILD_INFO[service]), 'utf8');
      assert.match(info, new RegExp(`^service: ${service}$`, 'm'));
      assert.match(info, /^libraries: .*libs\/telemetry/m);
      assert.ok(fs.existsSync(path.join(path.dirname(file(BUILD_INFO[service])), 'libs', 'telemetry', 'src', 'acme', 'telemetry', 'logging.py')), `${service} staged the changed library`);
    }
    assert.ok(!fs.existsSync(file(BUILD_INFO.notifications)), 'notifications is not affected and was not built');
    assert.match(String(serviceItem('orders-api').item.description), /^0\.4\.0( · \d+ problems?)? · built$/);
    assert.match(String(serviceItem('billing-worker').item.description), /built$/);
    assert.equal(serviceItem('notifications').item.description?.toString().includes('built'), false);
  });

  it('offers an affected service without a build unselected, reports a failing build by name and shows its terminal', async function () {
    this.timeout(PICK_TIMEOUT_MS + BUILD_TIMEOUT_MS + 60_000);
    edit(ORDERS_MAKEFILE, (t) => t.replace(/^build:\n/m, 'build:\n\t@echo "e2e: simulated build failure" >&2; exit 3\n'));
    // acme-models also reaches apps/reports, which has no Makefile, Dockerfile, uv or Poetry build.
    edit(MODELS, (t) => `${t}\n# e2e: a change to the shared models library\n`);
    await vscode.commands.executeCommand('workbench.view.extension.pymono');
    const t0 = Date.now();
    const summary = await runAndAccept(async (pick) => {
      assert.deepEqual(pick.items.map((i) => [i.service, i.picked]), [['billing-worker', true], ['orders-api', true], ['reports', false]]);
      const reports = pick.items[2];
      assert.equal(reports.description, 'no build command');
      assert.match(reports.detail, /^not built: set \[tool\.pymono\.services\.reports\] build/);
      await snap('rebuild', { waitForText: 'make -C services/orders-api', within: '.quick-input-widget' });
    });
    console.log(`[rebuild e2e] failing run in ${Date.now() - t0} ms`);
    assert.equal(summary.message, 'Rebuilt 2 services: 1 succeeded; 1 failed: orders-api');
    assert.equal(summary.severity, 'error');
    assert.equal(summary.outcomes.find((o) => o.service === 'orders-api')?.exitCode, 2, 'make exits with 2 when a recipe fails');
    assert.equal(await api.rebuild.showOutput('orders-api'), true, `no terminal for the failed task among [${vscode.window.terminals.map((t) => t.name).join(', ')}]`);
    console.log(`[rebuild e2e] terminals: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
    assert.match(String(serviceItem('orders-api').item.description), /build failed$/);
    assert.match(String(serviceItem('billing-worker').item.description), /built$/);
    for (const rel of [ORDERS_MAKEFILE, MODELS]) fs.writeFileSync(file(rel), originals.get(rel) ?? "");
  });

  it('rebuilds one service from its Packages view item, showing it running then built', async function () {
    this.timeout(BUILD_TIMEOUT_MS + 10_000);
    fs.rmSync(file(BUILD_INFO['billing-worker']));
    const seen: string[] = [];
    const sub = api.rebuild.states.onDidChange((uri, service) => {
      if (service === 'billing-worker') seen.push(api.rebuild.states.get(uri, service)?.status ?? '?');
    });
    try {
      const summary = await withTimeout(
        Promise.resolve(vscode.commands.executeCommand<Summary | undefined>('pymono.rebuildService', serviceItem('billing-worker').node)),
        BUILD_TIMEOUT_MS,
        'the Rebuild of billing-worker from its tree item',
      );
      assert.equal(summary?.message, 'Rebuilt 1 service: 1 succeeded');
    } finally {
      sub.dispose();
    }
    assert.deepEqual(seen, ['running', 'succeeded']);
    assert.ok(fs.existsSync(file(BUILD_INFO['billing-worker'])), 'billing-worker was built again');
    assert.equal(api.rebuild.states.get(vscode.Uri.parse(rootUri).toString(), 'billing-worker')?.status, 'succeeded');
  });

  it('cancels: the running build is terminated and the queued one never starts', async function () {
    this.timeout(PICK_TIMEOUT_MS + BUILD_TIMEOUT_MS + 30_000);
    // One build at a time: billing-worker runs first (by name) and orders-api waits in the queue.
    await vscode.workspace.getConfiguration('pymono').update('rebuild.parallelism', 1, vscode.ConfigurationTarget.Workspace);
    edit(BILLING_MAKEFILE, (t) => t.replace(/^build:\n/m, 'build:\n\t@echo "e2e: a build that runs until it is cancelled"; sleep 600\n'));
    fs.rmSync(file(BUILD_INFO['orders-api']));
    let sub: vscode.Disposable | undefined;
    const billingRuns = new Promise<void>((resolve) => {
      sub = api.rebuild.states.onDidChange((uri, service) => {
        if (service === 'billing-worker' && api.rebuild.states.get(uri, service)?.status === 'running') resolve();
      });
    });
    const t0 = Date.now();
    try {
      const summary = await runAndAccept(
        (pick) => assert.deepEqual(pick.items.filter((i) => i.picked).map((i) => i.service), ['billing-worker', 'orders-api']),
        async () => {
          await withTimeout(billingRuns, PICK_TIMEOUT_MS, 'the billing-worker build to start');
          assert.equal(api.rebuild.cancel(), true, 'a rebuild is running');
        },
      );
      console.log(`[rebuild e2e] cancelled run in ${Date.now() - t0} ms`);
      assert.equal(summary.message, 'Rebuilt 2 services: 2 cancelled: billing-worker, orders-api');
      assert.equal(summary.severity, 'warning');
    } finally {
      sub?.dispose();
      fs.writeFileSync(file(BILLING_MAKEFILE), originals.get(BILLING_MAKEFILE) ?? '');
    }
    assert.ok(!fs.existsSync(file(BUILD_INFO['orders-api'])), 'the queued orders-api build never ran');
    const left = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('runs until it is cancelled'));
    assert.deepEqual(left, [], 'the cancelled build left processes behind');
    assert.match(String(serviceItem('billing-worker').item.description), /build cancelled$/);
    assert.equal(api.rebuild.cancel(), false, 'nothing runs any more');
  });

  it('lists every service build as a pymono task for Run Task, detected commands without a shell', async () => {
    const tasks = await withTimeout(vscode.tasks.fetchTasks({ type: 'pymono' }), 20_000, 'the pymono tasks');
    assert.deepEqual(tasks.map((t) => t.name).sort(), ['build billing-worker', 'build notifications', 'build orders-api', 'build webhook']);
    const orders = tasks.find((t) => t.name === 'build orders-api');
    const exec = orders?.execution;
    assert.ok(exec instanceof vscode.ProcessExecution, 'a detected Makefile build runs without a shell');
    assert.deepEqual([exec.process, ...exec.args], ['make', '-C', 'services/orders-api']);
    assert.equal(exec.options?.cwd, root);
    assert.deepEqual(orders?.definition, { type: 'pymono', service: 'orders-api' });
  });
});
