/**
 * Changed files from real git repositories (uncommitted, ranges, the editor default, errors) and the impact of
 * those changes on a real uv-workspace monorepo: affected packages, services with via chains and reasons,
 * global files, development-only reach.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changedPaths, detectDefaultBranch, listChanges, parseNameStatusZ, parseStatusZ, type ChangedFile } from '../../server/src/core/changes/gitChanges';
import { computeChangeImpact } from '../../server/src/core/changes/affectedChanges';
import { Workspace } from '../../server/src/core/workspace';
import { testHost, writeTree } from './helpers/tree';
import { git, write } from './helpers/git';

/** A repository with `files` committed on `branch`. */
function repo(files: Record<string, string>, branch = 'main'): string {
  const root = writeTree(files);
  git(root, 'init', '-q', '-b', branch);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'initial');
  return root;
}

const rels = (root: string, files: ChangedFile[]): string[] =>
  files.map((f) => `${f.status} ${path.relative(root, f.path)}${f.oldPath ? ` <- ${path.relative(root, f.oldPath)}` : ''}`);

const host = testHost();
after(() => host.dispose());

describe('git changed files', () => {
  it('lists staged, unstaged, untracked, deleted and renamed files with both rename paths', async () => {
    const root = repo({ 'a.py': 'a\n', 'b.py': 'b\n', 'old name.py': 'x = 1\n', 'gone.txt': 'g\n' });
    write(root, 'a.py', 'a changed\n');
    write(root, 'staged.py', 's\n');
    git(root, 'add', 'staged.py');
    write(root, 'deep/new dir/ünïcode.py', 'u\n');
    fs.rmSync(path.join(root, 'gone.txt'));
    git(root, 'mv', 'old name.py', 'new name.py');
    const set = await listChanges(host, root, { mode: 'uncommitted' });
    assert.deepEqual(rels(root, set.files), [
      'modified a.py',
      'untracked deep/new dir/ünïcode.py',
      'deleted gone.txt',
      'renamed new name.py <- old name.py',
      'added staged.py',
    ]);
    assert.equal(set.repoRoot, root);
    assert.equal(set.base, git(root, 'rev-parse', 'HEAD').trim());
    assert.equal(set.head, undefined);
    assert.ok(changedPaths(set.files).includes(path.join(root, 'old name.py')));
    assert.ok(changedPaths(set.files).includes(path.join(root, 'new name.py')));
  });

  it('lists the files changed on a branch since its merge base, not those changed on main meanwhile', async () => {
    const root = repo({ 'libs/a/x.py': '1\n', 'libs/b/y.py': '2\n', 'z.py': '3\n', 'docs/old.md': 'o\n' });
    git(root, 'checkout', '-q', '-b', 'feature');
    write(root, 'libs/a/x.py', '1 changed\n');
    git(root, 'mv', 'docs/old.md', 'docs/new.md');
    git(root, 'rm', '-q', 'z.py');
    git(root, 'commit', '-q', '-am', 'feature work');
    git(root, 'checkout', '-q', 'main');
    write(root, 'libs/b/y.py', '2 changed on main\n');
    git(root, 'commit', '-q', '-am', 'main work');
    const set = await listChanges(host, root, { mode: 'range', base: 'main', head: 'feature' });
    assert.deepEqual(rels(root, set.files), ['renamed docs/new.md <- docs/old.md', 'modified libs/a/x.py', 'deleted z.py']);
    assert.equal(set.head, git(root, 'rev-parse', 'feature').trim());
    assert.equal(set.base, git(root, 'merge-base', 'main', 'feature').trim());
  });

  it('compares with the working tree when no head is given, untracked files included', async () => {
    const root = repo({ 'a.py': '1\n', 'b.py': '2\n' });
    git(root, 'checkout', '-q', '-b', 'feature');
    write(root, 'a.py', 'committed change\n');
    git(root, 'commit', '-q', '-am', 'on feature');
    write(root, 'b.py', 'uncommitted change\n');
    write(root, 'new/c.py', 'untracked\n');
    const set = await listChanges(host, root, { mode: 'range', base: 'main' });
    assert.deepEqual(rels(root, set.files), ['modified a.py', 'modified b.py', 'untracked new/c.py']);
    assert.equal(set.head, undefined);
  });

  it('uses the commits since the default branch plus the working tree in editor mode', async () => {
    const root = repo({ 'a.py': '1\n', 'b.py': '2\n' });
    git(root, 'checkout', '-q', '-b', 'topic');
    write(root, 'a.py', 'committed\n');
    git(root, 'commit', '-q', '-am', 'topic');
    write(root, 'b.py', 'dirty\n');
    const set = await listChanges(host, root, { mode: 'editor' });
    assert.deepEqual(rels(root, set.files), ['modified a.py', 'modified b.py']);
    assert.match(set.description, /merge base of main/);
  });

  it('detects the default branch from origin/HEAD, then main, then master', async () => {
    const withRemote = repo({ 'a.py': '1\n' }, 'trunk');
    git(withRemote, 'update-ref', 'refs/remotes/origin/trunk', 'HEAD');
    git(withRemote, 'symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/trunk');
    assert.equal(await detectDefaultBranch(host, withRemote), 'origin/trunk');
    assert.equal(await detectDefaultBranch(host, repo({ 'a.py': '1\n' }, 'main')), 'main');
    assert.equal(await detectDefaultBranch(host, repo({ 'a.py': '1\n' }, 'master')), 'master');
    const none = repo({ 'a.py': '1\n' }, 'develop');
    assert.equal(await detectDefaultBranch(host, none), undefined);
    write(none, 'a.py', 'dirty\n');
    const set = await listChanges(host, none, { mode: 'editor' });
    assert.deepEqual(rels(none, set.files), ['modified a.py']);
    assert.match(set.description, /no origin\/HEAD, main or master/);
  });

  it('spells paths under the symlink the caller used', async () => {
    const root = repo({ 'a.py': '1\n' });
    write(root, 'a.py', '2\n');
    const link = path.join(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pymono-link-'))), 'repo');
    fs.symlinkSync(root, link);
    const set = await listChanges(host, link, { mode: 'uncommitted' });
    assert.deepEqual(set.files.map((f) => f.path), [path.join(link, 'a.py')]);
  });

  it('explains a folder outside git, an unknown ref, an option-like ref, a repository without commits and unrelated histories', async () => {
    const plain = writeTree({ 'a.py': '1\n' });
    await assert.rejects(listChanges(host, plain, { mode: 'uncommitted' }), /is not inside a git repository/);
    const root = repo({ 'a.py': '1\n' });
    await assert.rejects(listChanges(host, root, { mode: 'range', base: 'no-such-branch' }), /unknown git ref 'no-such-branch'/);
    await assert.rejects(listChanges(host, root, { mode: 'range', base: 'main', head: 'nope' }), /unknown git ref 'nope'/);
    await assert.rejects(listChanges(host, root, { mode: 'range', base: '--output=/tmp/x' }), /invalid git ref/);
    const empty = writeTree({ 'a.py': '1\n' });
    git(empty, 'init', '-q', '-b', 'main');
    await assert.rejects(listChanges(host, empty, { mode: 'range', base: 'main' }), /has no commits yet/);
    const fresh = await listChanges(host, empty, { mode: 'uncommitted' });
    assert.deepEqual(rels(empty, fresh.files), ['untracked a.py']);
    assert.equal(fresh.base, undefined);
    git(root, 'checkout', '-q', '--orphan', 'unrelated');
    git(root, 'commit', '-q', '-m', 'orphan');
    await assert.rejects(listChanges(host, root, { mode: 'range', base: 'main', head: 'unrelated' }), /no common ancestor/);
  });

  it('parses NUL-separated status and name-status output, renames included', () => {
    const top = path.resolve('/repo');
    assert.deepEqual(parseStatusZ('R  new.py\0old.py\0 M a b.py\0?? u.py\0!! ignored.py\0AD gone.py\0UU conflict.py\0', top), [
      { path: path.join(top, 'new.py'), status: 'renamed', oldPath: path.join(top, 'old.py') },
      { path: path.join(top, 'a b.py'), status: 'modified' },
      { path: path.join(top, 'u.py'), status: 'untracked' },
      { path: path.join(top, 'gone.py'), status: 'deleted' },
      { path: path.join(top, 'conflict.py'), status: 'unmerged' },
    ]);
    assert.deepEqual(parseNameStatusZ('M\0a.py\0R087\0old.py\0new.py\0D\0gone.py\0A\0added.py\0', top), [
      { path: path.join(top, 'a.py'), status: 'modified' },
      { path: path.join(top, 'new.py'), status: 'renamed', oldPath: path.join(top, 'old.py') },
      { path: path.join(top, 'gone.py'), status: 'deleted' },
      { path: path.join(top, 'added.py'), status: 'added' },
    ]);
  });
});

/** A uv workspace: telemetry <- mq-client <- billing-worker, telemetry/models <- orders-api, testkit -dev-> reports. */
const MONOREPO: Record<string, string> = {
  '.gitignore': 'out/\n',
  'pyproject.toml': [
    '[tool.uv.workspace]', 'members = ["libs/*", "services/*"]', '',
    '[tool.uv.sources]', 'acme-telemetry = { workspace = true }', 'acme-models = { workspace = true }',
    'mq-client = { workspace = true }', 'acme-testkit = { workspace = true }', '',
    '[tool.pymono]', 'services = ["services/*"]', 'libraries = ["libs/*"]', '',
  ].join('\n'),
  'libs/telemetry/pyproject.toml': '[project]\nname = "acme-telemetry"\nversion = "1.0"\ndependencies = ["structlog>=24"]\n',
  'libs/telemetry/src/acme/telemetry/__init__.py': '',
  'libs/telemetry/src/acme/telemetry/logging.py': 'import structlog\n',
  'libs/models/pyproject.toml': '[project]\nname = "acme-models"\nversion = "1.0"\ndependencies = ["pydantic>=2"]\n',
  'libs/models/src/acme/models/__init__.py': 'import pydantic\n',
  'libs/mq-client/pyproject.toml': '[project]\nname = "mq-client"\nversion = "1.0"\ndependencies = ["pika>=1.3", "acme-telemetry"]\n',
  'libs/mq-client/mq_client/__init__.py': 'import pika\nimport acme.telemetry\n',
  'libs/testkit/pyproject.toml': '[project]\nname = "acme-testkit"\nversion = "1.0"\ndependencies = ["pytest>=8"]\n',
  'libs/testkit/acme_testkit/__init__.py': 'import pytest\n',
  'services/orders-api/pyproject.toml': '[project]\nname = "orders-api"\nversion = "1.0"\ndependencies = ["fastapi>=0.110", "acme-models", "acme-telemetry"]\n',
  'services/orders-api/orders_api/main.py': 'import fastapi\nimport acme.models\nimport acme.telemetry\n',
  'services/orders-api/Dockerfile': 'FROM python:3.12-slim\n',
  'services/billing-worker/pyproject.toml': '[project]\nname = "billing-worker"\nversion = "1.0"\ndependencies = ["mq-client", "stripe>=8"]\n',
  'services/billing-worker/billing_worker/main.py': 'import mq_client\nimport stripe\n',
  'services/reports/pyproject.toml': '[project]\nname = "reports"\nversion = "1.0"\ndependencies = ["pandas>=2"]\n\n[dependency-groups]\ndev = ["acme-testkit", "pytest>=8"]\n',
  'services/reports/reports/main.py': 'import pandas\n',
  'services/reports/tests/test_main.py': 'import acme_testkit\n',
};

describe('change impact', () => {
  it('affects the owner of a changed library file and its dependents, with shortest via chains and reasons', async () => {
    const root = repo(MONOREPO);
    write(root, 'libs/telemetry/src/acme/telemetry/logging.py', 'import structlog\nLOG = 1\n');
    const ws = await Workspace.load(root, host);
    const set = await listChanges(host, root, { mode: 'uncommitted' });
    const impact = computeChangeImpact(ws, set.files);
    assert.deepEqual(impact.changedPackages, ['acme-telemetry']);
    assert.deepEqual(impact.affectedPackages, ['acme-telemetry', 'billing-worker', 'mq-client', 'orders-api']);
    assert.deepEqual(impact.services, [
      { name: 'billing-worker', via: ['acme-telemetry', 'mq-client', 'billing-worker'], reason: 'libs/telemetry/src/acme/telemetry/logging.py changed (acme-telemetry) → mq-client → billing-worker' },
      { name: 'orders-api', via: ['acme-telemetry', 'orders-api'], reason: 'libs/telemetry/src/acme/telemetry/logging.py changed (acme-telemetry) → orders-api' },
    ]);
    // Same sets as the plain affected computation of the workspace.
    const plain = ws.affected(changedPaths(set.files));
    assert.deepEqual(impact.affectedPackages, plain.affectedPackages);
    assert.deepEqual(impact.services.map((s) => ({ name: s.name, via: s.via })), plain.services);
  });

  it('keeps packages reached only through a development edge apart, flagged', async () => {
    const root = repo(MONOREPO);
    write(root, 'libs/testkit/acme_testkit/__init__.py', 'import pytest\nX = 1\n');
    write(root, 'libs/testkit/acme_testkit/fixtures.py', 'import pytest\n');
    const ws = await Workspace.load(root, host);
    const impact = computeChangeImpact(ws, (await listChanges(host, root, { mode: 'uncommitted' })).files);
    assert.deepEqual(impact.affectedPackages, ['acme-testkit']);
    assert.deepEqual(impact.services, []);
    assert.deepEqual(impact.devAffected, [{
      id: 'reports',
      via: ['acme-testkit', 'reports'],
      reason: 'libs/testkit/acme_testkit/__init__.py changed (acme-testkit, +1 more change) → reports (development dependency)',
      service: true,
    }]);
  });

  it('counts a rename across packages for both packages and a Dockerfile for its service', async () => {
    const root = repo(MONOREPO);
    git(root, 'mv', 'libs/models/src/acme/models/__init__.py', 'libs/telemetry/src/acme/telemetry/moved.py');
    write(root, 'services/billing-worker/Dockerfile', 'FROM python:3.12-slim\n');
    const ws = await Workspace.load(root, host);
    const impact = computeChangeImpact(ws, (await listChanges(host, root, { mode: 'uncommitted' })).files);
    assert.deepEqual(impact.changedPackages, ['acme-models', 'acme-telemetry', 'billing-worker']);
    assert.equal(impact.reasons['acme-models'], 'libs/models/src/acme/models/__init__.py renamed to libs/telemetry/src/acme/telemetry/moved.py (acme-models)');
    assert.equal(impact.reasons['billing-worker'], 'services/billing-worker/Dockerfile added (billing-worker)');
    assert.deepEqual(impact.services.map((s) => s.name), ['billing-worker', 'orders-api']);
  });

  it('rebuilds every service for a changed global file, or none when global-files-affect = "none"', async () => {
    const root = repo(MONOREPO);
    write(root, '.github/workflows/ci.yml', 'on: push\n');
    write(root, 'README.md', 'docs\n');
    const ws = await Workspace.load(root, host);
    const files = (await listChanges(host, root, { mode: 'uncommitted' })).files;
    const impact = computeChangeImpact(ws, files);
    assert.deepEqual(impact.services.map((s) => s.name), ['billing-worker', 'orders-api', 'reports']);
    assert.equal(impact.services[1].reason, '.github/workflows/ci.yml added (global file) → orders-api');
    assert.deepEqual(impact.changedPackages, []);
    assert.deepEqual(impact.globalFiles, [path.join(root, '.github/workflows/ci.yml')]);
    assert.deepEqual(impact.unownedFiles, [path.join(root, 'README.md')]);

    write(root, 'pyproject.toml', MONOREPO['pyproject.toml'] + 'global-files = [".github/**"]\nglobal-files-affect = "none"\n');
    const quiet = computeChangeImpact(await Workspace.load(root, host), files);
    assert.deepEqual(quiet.services, []);
    assert.deepEqual(quiet.globalFiles, [path.join(root, '.github/workflows/ci.yml')]);
  });

  it('keeps the chain from a changed package for the services it reaches when a global file also changed', async () => {
    const root = repo(MONOREPO);
    write(root, 'common.mk', 'X := 1\n');
    write(root, 'libs/models/src/acme/models/__init__.py', 'import pydantic\nY = 2\n');
    const ws = await Workspace.load(root, host);
    const impact = computeChangeImpact(ws, (await listChanges(host, root, { mode: 'uncommitted' })).files);
    assert.deepEqual(impact.services.map((s) => [s.name, s.via.join(' > '), s.reason]), [
      ['billing-worker', 'billing-worker', 'common.mk added (global file) → billing-worker'],
      ['orders-api', 'acme-models > orders-api', 'libs/models/src/acme/models/__init__.py changed (acme-models) → orders-api'],
      ['reports', 'reports', 'common.mk added (global file) → reports'],
    ]);
    assert.deepEqual(impact.changedPackages, ['acme-models']);
  });

  it('accepts plain paths relative to the root and ignores files outside it', async () => {
    const root = repo(MONOREPO);
    const ws = await Workspace.load(root, host);
    const impact = computeChangeImpact(ws, ['libs/models/pyproject.toml', path.join(os.tmpdir(), 'elsewhere.py')]);
    assert.deepEqual(impact.changedPackages, ['acme-models']);
    assert.deepEqual(impact.services.map((s) => s.name), ['orders-api']);
    assert.deepEqual(impact.unownedFiles, [path.join(os.tmpdir(), 'elsewhere.py')]);
  });
});
