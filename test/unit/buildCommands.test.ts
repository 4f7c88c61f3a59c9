/**
 * Build commands per service (configured, Makefile, Dockerfile with docker-compose contexts, uv, Poetry), the
 * compose reader, and the new `[tool.pymono]` settings with their located problems.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { expandPlaceholders, formatCommand, planBuilds, type BuildPlan } from '../../server/src/core/builds/buildCommands';
import { parseComposeBuilds } from '../../server/src/core/builds/compose';
import { Workspace } from '../../server/src/core/workspace';
import { testHost, writeTree } from './helpers/tree';

const host = testHost();
after(() => host.dispose());

const ROOT_PYPROJECT = [
  '[tool.uv.workspace]', 'members = ["services/*"]', '',
  '[tool.pymono]', 'libraries = ["libs/*"]', '',
  '[tool.pymono.services]', 'globs = ["services/*", "apps/*", "legacy/notifications"]', '',
].join('\n');

const TREE: Record<string, string> = {
  'docker-compose.yml': [
    'services:',
    '  rabbitmq:',
    '    image: rabbitmq:3.13',
    '  orders:',
    '    build:',
    '      context: .',
    '      dockerfile: ./services/orders-api/Dockerfile',
    '  notifications:',
    '    build:',
    '      context: ./legacy',
    '      dockerfile: ./notifications/Dockerfile',
    '  remote:',
    '    build: https://github.com/acme/remote.git#main',
    '',
  ].join('\n'),
  'services/svc-make/pyproject.toml': '[project]\nname = "svc-make"\nversion = "1"\n',
  'services/svc-make/Makefile': 'all:\n\ttrue\n',
  'services/svc-make/Dockerfile': 'FROM python:3.12\n',
  'services/orders-api/pyproject.toml': '[project]\nname = "orders-api"\nversion = "1"\n',
  'services/orders-api/Dockerfile': 'FROM python:3.12\n',
  'services/svc-uv/pyproject.toml': '[project]\nname = "svc_uv"\nversion = "1"\n',
  'services/composed/pyproject.toml': '[project]\nname = "composed"\nversion = "1"\n',
  'services/composed/compose.yaml': 'services:\n  composed:\n    build: .\n',
  'services/composed/Dockerfile': 'FROM python:3.12\n',
  'legacy/notifications/pyproject.toml': '[tool.poetry]\nname = "notifications"\nversion = "1"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n',
  'legacy/notifications/Dockerfile': 'FROM python:3.12\n',
  'apps/poetry-svc/pyproject.toml': '[tool.poetry]\nname = "poetry-svc"\nversion = "1"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n',
  'apps/webhook/Dockerfile': 'FROM python:3.12\nRUN pip install flask\n',
  'apps/webhook/main.py': 'import flask\n',
  'apps/reports/requirements.txt': 'pandas\n',
  'apps/reports/app.py': 'import pandas\n',
};

async function plan(files: Record<string, string>, services: string[]): Promise<{ root: string; plans: BuildPlan[]; problems: string[] }> {
  const root = writeTree(files);
  const ws = await Workspace.load(root, host);
  const { plans, problems } = await planBuilds(ws, host, services.map((name) => ({ name, reason: `because ${name}` })));
  return { root, plans, problems: problems.map((p) => `${path.relative(root, p.file)}:${p.range.start.line + 1} ${p.message}`) };
}

const short = (root: string, p: BuildPlan): string[] => [p.service, p.source ?? '-', p.command ?? '-', path.relative(root, p.cwd) || '.'];

describe('build commands', () => {
  it('detects Makefile, Dockerfile (with compose contexts), uv and Poetry commands, in that order', async () => {
    const { root, plans, problems } = await plan({ ...TREE, 'pyproject.toml': ROOT_PYPROJECT },
      ['svc-make', 'orders-api', 'notifications', 'composed', 'webhook', 'svc-uv', 'poetry-svc', 'reports']);
    assert.deepEqual(problems, []);
    assert.deepEqual(plans.map((p) => short(root, p)), [
      ['svc-make', 'makefile', 'make -C services/svc-make', '.'],
      ['orders-api', 'dockerfile', 'docker build -f services/orders-api/Dockerfile -t orders-api .', '.'],
      ['notifications', 'dockerfile', 'docker build -f legacy/notifications/Dockerfile -t notifications legacy', '.'],
      ['composed', 'dockerfile', 'docker build -f services/composed/Dockerfile -t composed services/composed', '.'],
      ['webhook', 'dockerfile', 'docker build -f apps/webhook/Dockerfile -t webhook .', '.'],
      ['svc-uv', 'uv', 'uv build --package svc_uv', '.'],
      ['poetry-svc', 'poetry', 'poetry build', 'apps/poetry-svc'],
      ['reports', '-', '-', 'apps/reports'],
    ]);
    assert.deepEqual(plans[1].argv, ['docker', 'build', '-f', 'services/orders-api/Dockerfile', '-t', 'orders-api', '.']);
    assert.equal(plans[1].origin, "docker-compose.yml service 'orders' (context .)");
    assert.equal(plans[4].origin, 'apps/webhook/Dockerfile (context: the repository root)');
    assert.match(plans[7].origin, /set \[tool\.pymono\.services\.reports\] build/);
    assert.equal(plans[0].reason, 'because svc-make');
  });

  it('prefers a per-service build, then the default build, with placeholders and no shell argv', async () => {
    const configured = (ROOT_PYPROJECT + [
      '[tool.pymono.services.svc_make]', 'build = "make -C {path} image ROOT={root}"', '',
    ].join('\n')).replace('libraries = ["libs/*"]', 'libraries = ["libs/*"]\nbuild = "./ci/build.sh {name} {path} | awk \'{print $1}\'"');
    const { root, plans } = await plan({ ...TREE, 'pyproject.toml': configured }, ['svc-make', 'orders-api']);
    assert.deepEqual(plans.map((p) => short(root, p)), [
      ['svc-make', 'config', `make -C services/svc-make image ROOT=${root}`, '.'],
      ['orders-api', 'config', "./ci/build.sh orders-api services/orders-api | awk '{print $1}'", '.'],
    ]);
    assert.equal(plans[0].argv, undefined);
    assert.equal(plans[0].origin, '[tool.pymono.services.svc-make] build');
    assert.equal(plans[1].origin, '[tool.pymono] build');
  });

  it('quotes placeholder values a shell would split', () => {
    assert.equal(expandPlaceholders('cd {root} && make -C {path}', { name: 'x', path: 'services/my app', root: "/tmp/it's" }),
      "cd '/tmp/it'\\''s' && make -C 'services/my app'");
    assert.equal(formatCommand(['docker', 'build', '-t', 'a b', '.']), "docker build -t 'a b' .");
  });

  it('plans nothing runnable for an unknown service', async () => {
    const { plans } = await plan({ ...TREE, 'pyproject.toml': ROOT_PYPROJECT }, ['ghost']);
    assert.equal(plans[0].command, undefined);
    assert.match(plans[0].origin, /no package named 'ghost'/);
  });

  it('reports a broken compose file with its line and still plans from the Dockerfile', async () => {
    const { root, plans, problems } = await plan({ ...TREE, 'pyproject.toml': ROOT_PYPROJECT, 'docker-compose.yml': 'services:\n  orders:\n    build: [oops\n' }, ['orders-api']);
    assert.equal(problems.length > 0, true);
    assert.match(problems[0], /^docker-compose\.yml:\d+ docker-compose\.yml: /);
    assert.deepEqual(short(root, plans[0]), ['orders-api', 'dockerfile', 'docker build -f services/orders-api/Dockerfile -t orders-api .', '.']);
  });
});

describe('compose builds', () => {
  it('resolves string and table builds against the compose folder and skips remote and inline ones', () => {
    const file = path.resolve('/repo/deploy/compose.yaml');
    const text = [
      'services:',
      '  api:',
      '    build: ../services/api',
      '  worker:',
      '    build:',
      '      context: ..',
      '      dockerfile: services/worker/Dockerfile.prod',
      '  inline:',
      '    build:',
      '      dockerfile_inline: FROM alpine',
      '  git:',
      '    build: git@github.com:acme/x.git',
      '  bad:',
      '    build: [1, 2]',
      '',
    ].join('\n');
    const { builds, problems } = parseComposeBuilds(text, file);
    assert.deepEqual(builds.map((b) => [b.service, b.line, b.context, b.dockerfile]), [
      ['api', 1, path.resolve('/repo/services/api'), path.resolve('/repo/services/api/Dockerfile')],
      ['worker', 3, path.resolve('/repo'), path.resolve('/repo/services/worker/Dockerfile.prod')],
    ]);
    assert.deepEqual(problems.map((p) => [p.range.start.line, p.message]), [[13, 'compose.yaml: services.bad.build should be a path or a mapping with context/dockerfile']]);
  });
});

describe('build and global-files settings', () => {
  it('reports wrong build, services and global-files settings at their lines and keeps the defaults', async () => {
    const text = [
      '[tool.pymono]', // 1
      'build = 3', // 2
      'global-files = "Makefile"', // 3
      'global-files-affect = "some"', // 4
      '', // 5
      '[tool.pymono.services]', // 6
      'globs = ["services/*"]', // 7
      'svc-a = "make"', // 8
      '', // 9
      '[tool.pymono.services.svc-b]', // 10
      'build = 1', // 11
      'image = "x"', // 12
      '',
    ].join('\n');
    const root = writeTree({ 'pyproject.toml': text, 'services/svc-b/pyproject.toml': '[project]\nname = "svc-b"\nversion = "1"\n' });
    const ws = await Workspace.load(root, host);
    const pm008 = ws.findings().filter((f) => f.code === 'PM008').map((f) => `${f.range.start.line + 1} ${f.message}`);
    assert.deepEqual(pm008, [
      '2 [tool.pymono] build: expected a non-empty command string such as "make -C {path} image"',
      '3 [tool.pymono] global-files: expected an array of globs relative to the root (the defaults still apply)',
      '4 [tool.pymono] global-files-affect: expected "all" or "none"',
      '8 [tool.pymono] services.svc-a: expected a table of service settings such as { build = "make -C {path}" } (or `globs = [...]`)',
      '11 [tool.pymono] services.svc-b.build: expected a non-empty command string',
      '12 [tool.pymono] services.svc-b.image: unknown service setting (known: build)',
    ]);
    const config = ws.context().config;
    assert.equal(config.build, undefined);
    assert.deepEqual(config.globalFiles, ['*.mk', 'Makefile', '.github/**', '.gitlab-ci.yml']);
    assert.equal(config.globalFilesAffect, 'all');
    assert.deepEqual(config.services, ['services/*']);
    assert.equal(ws.package('svc-b')?.kind, 'service');
  });
});
