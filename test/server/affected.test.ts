/**
 * `pymono/affectedServices` against the built server (dist/server.js) on a real git repository: a copy of
 * examples/monorepo committed on `main`, then a library file modified. The request names the services the change
 * reaches (and only those) with their `via` chains, reasons and detected build commands; `all` lists every
 * service's build; a folder that is not a git repository comes back as a problem, and the server keeps working.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc';
import { AffectedServicesRequest, type AffectedServicesResult, GraphSnapshotRequest } from '../../server/src/protocol';
import { ensureBuilt, type LspClient, REPO, startServer, uriOf } from './lspClient';

const LOGGING = 'libs/telemetry/src/acme/telemetry/logging.py';

/** A copy of examples/monorepo (without build outputs or caches) under a fresh temp folder; returns its real path. */
function copyMonorepo(): string {
  const root = path.join(realpathSync(mkdtempSync(path.join(os.tmpdir(), 'pymono-affected-'))), 'monorepo');
  cpSync(path.join(REPO, 'examples', 'monorepo'), root, { recursive: true, filter: (src) => !/(^|[\\/])(build|__pycache__|\.venv)$/.test(src) });
  return root;
}

/** Runs git in `cwd` with a fixed identity (the machine may have none configured). */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=pymono tests', '-c', 'user.email=tests@pymono.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
}

/** Makes `root` a git repository on branch `main` with everything committed. */
function commitAll(root: string): void {
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'initial import');
}

function names(result: AffectedServicesResult): string[] {
  assert.equal(result.roots.length, 1, `one root expected: ${JSON.stringify(result.roots.map((r) => r.rootUri))}`);
  return result.roots[0].services.map((s) => s.name);
}

describe('pymono/affectedServices request', function () {
  this.timeout(60_000);
  let server: LspClient | undefined;
  const temps: string[] = [];

  before(() => ensureBuilt());
  afterEach(() => {
    server?.kill();
    server = undefined;
    for (const t of temps.splice(0)) rmSync(path.dirname(t), { recursive: true, force: true });
  });

  it('names the services a library change reaches, with via chains, reasons and their Makefile builds', async () => {
    const root = copyMonorepo();
    temps.push(root);
    commitAll(root);
    appendFileSync(path.join(root, LOGGING), '\n# a change to a shared library\n');
    const s = (server = startServer());
    await s.initialize([root]);

    const result = await s.connection.sendRequest(AffectedServicesRequest, { mode: 'editor' });
    assert.deepEqual(names(result), ['billing-worker', 'orders-api']);
    const [rootAnswer] = result.roots;
    assert.equal(rootAnswer.rootUri, uriOf(root));
    assert.match(rootAnswer.compared, /main/, 'editor mode compares with the default branch main');
    assert.deepEqual(rootAnswer.changedFiles, [uriOf(path.join(root, LOGGING))]);
    assert.deepEqual(rootAnswer.problems, []);

    const [billing, orders] = rootAnswer.services;
    assert.deepEqual(billing.via, ['acme-telemetry', 'mq-client', 'billing-worker']);
    assert.equal(billing.reason, `${LOGGING} changed (acme-telemetry) → mq-client → billing-worker`);
    assert.deepEqual(orders.via, ['acme-telemetry', 'orders-api']);
    assert.deepEqual(orders.build, {
      command: 'make -C services/orders-api',
      args: ['make', '-C', 'services/orders-api'],
      shell: false,
      cwd: root,
      source: 'makefile',
      origin: 'services/orders-api/Makefile',
      reason: orders.reason,
    });
    assert.equal(billing.build?.command, 'make -C services/billing-worker');
    assert.equal(orders.noBuild, undefined);
    assert.ok(result.version >= 1, `analysis generation ${result.version}`);
  });

  it('gives the same services for uncommitted changes and for a base ref, and nothing once the change is committed', async () => {
    const root = copyMonorepo();
    temps.push(root);
    commitAll(root);
    git(root, 'checkout', '-q', '-b', 'feature');
    appendFileSync(path.join(root, 'libs/models/acme/models/orders.py'), '\n# models change\n');
    const s = (server = startServer());
    await s.initialize([root]);

    const uncommitted = await s.connection.sendRequest(AffectedServicesRequest, { mode: 'uncommitted' });
    // acme-models is used by both uv services and, through requirements.txt `-e ../../libs/models`, by reports.
    assert.deepEqual(names(uncommitted), ['billing-worker', 'orders-api', 'reports']);
    const reports = uncommitted.roots[0].services[2];
    assert.equal(reports.build, undefined, 'reports has no Makefile, Dockerfile, uv or Poetry build');
    assert.match(reports.noBuild ?? '', /\[tool\.pymono\.services\.reports\] build/);

    git(root, 'commit', '-q', '-am', 'models change');
    const committed = await s.connection.sendRequest(AffectedServicesRequest, { mode: 'uncommitted' });
    assert.deepEqual(names(committed), []);
    const sinceMain = await s.connection.sendRequest(AffectedServicesRequest, { mode: { base: 'main' } });
    assert.deepEqual(names(sinceMain), ['billing-worker', 'orders-api', 'reports']);
    const editor = await s.connection.sendRequest(AffectedServicesRequest, { mode: 'editor', defaultBranch: 'main' });
    assert.deepEqual(names(editor), ['billing-worker', 'orders-api', 'reports']);
    const unknownBranch = await s.connection.sendRequest(AffectedServicesRequest, { mode: { base: 'no-such-branch' } });
    assert.deepEqual(names(unknownBranch), []);
    assert.match(unknownBranch.roots[0].problems[0]?.message ?? '', /unknown git ref 'no-such-branch'/);
  });

  it('lists every service with its build in mode all, and only the named ones when asked', async () => {
    const root = copyMonorepo();
    temps.push(root);
    const s = (server = startServer());
    await s.initialize([root]);
    const all = await s.connection.sendRequest(AffectedServicesRequest, { mode: 'all', rootUri: uriOf(root) });
    assert.deepEqual(names(all), ['billing-worker', 'notifications', 'orders-api', 'reports', 'webhook']);
    const byName = new Map(all.roots[0].services.map((x) => [x.name, x]));
    assert.equal(byName.get('notifications')?.build?.command, 'make -C legacy/notifications');
    assert.equal(byName.get('webhook')?.build?.source, 'dockerfile');
    assert.equal(byName.get('webhook')?.build?.command, 'docker build -f apps/webhook/Dockerfile -t webhook .');
    const one = await s.connection.sendRequest(AffectedServicesRequest, { mode: 'all', services: ['orders-api'] });
    assert.deepEqual(names(one), ['orders-api']);
  });

  it('reports a folder outside git as a problem, and keeps answering other requests', async () => {
    const root = copyMonorepo();
    temps.push(root);
    const s = (server = startServer());
    await s.initialize([root]);
    const result = await s.connection.sendRequest(AffectedServicesRequest, { mode: 'editor' });
    assert.deepEqual(names(result), []);
    const problems = result.roots[0].problems.map((p) => p.message);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /is not inside a git repository/);

    await assert.rejects(
      s.connection.sendRequest(AffectedServicesRequest, { mode: 'everything' } as unknown as { mode: 'all' }),
      (err: unknown) => err instanceof ResponseError && /mode must be/.test(err.message),
    );
    const snapshot = await s.connection.sendRequest(GraphSnapshotRequest);
    assert.ok(snapshot.roots[0].packages.length > 5, 'the server still answers after the failures');
    assert.equal(s.proc.exitCode, null, `the server exited; stderr: ${s.stderr}`);
  });
});
