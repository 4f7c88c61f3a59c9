import * as assert from 'node:assert/strict';
import type { DeclaredRequirement, Range } from '../../server/src/core/model';
import { parsePyproject } from '../../server/src/core/manifests/pyproject';

function r(line: number, character: number, endLine: number, endCharacter: number): Range {
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

function find(reqs: DeclaredRequirement[], normalized: string): DeclaredRequirement {
  const hit = reqs.find((q) => q.normalized === normalized);
  assert.ok(hit, `no requirement ${normalized}: ${reqs.map((q) => q.normalized).join(', ')}`);
  return hit;
}

const POETRY1 = [
  '[tool.poetry]', // 0
  'name = "payments-service"', // 1
  'version = "2.3.1"', // 2
  'description = "Takes payments"', // 3
  'authors = ["Acme <dev@acme.io>"]', // 4
  'packages = [{ include = "payments", from = "src" }]', // 5
  '', // 6
  '[tool.poetry.dependencies]', // 7
  'python = "^3.10"', // 8
  'fastapi = "^0.110"', // 9
  'acme-core = { path = "../../libs/core", develop = true }', // 10
  'acme-telemetry = {path = "../../libs/telemetry"}  # not editable', // 11
  'requests = { version = ">= 2.31, < 3", extras = ["socks"], markers = "sys_platform == \'linux\'" }', // 12
  'pandas = [', // 13
  '    { version = "<2", python = "<3.9" },', // 14
  '    { version = "^2.1", python = ">=3.9" },', // 15
  ']', // 16
  'boto3 = { version = "*", optional = true }', // 17
  'internal-sdk = { git = "https://github.com/acme/sdk.git", branch = "main" }', // 18
  'private-lib = { version = "~1.4", source = "acme-private" }', // 19
  '', // 20
  '[tool.poetry.extras]', // 21
  'aws = ["boto3"]', // 22
  '', // 23
  '[tool.poetry.group.dev.dependencies]', // 24
  'pytest = "^8.0"', // 25
  'acme-testing = { path = "../../libs/testing", develop = true }', // 26
  '', // 27
  '[tool.poetry.group.lint]', // 28
  'optional = true', // 29
  '[tool.poetry.group.lint.dependencies]', // 30
  'ruff = "*"', // 31
  '', // 32
  '[tool.poetry.dev-dependencies]', // 33
  'black = "^24"', // 34
  '', // 35
  '[tool.poetry.scripts]', // 36
  'payments = "payments.main:run"', // 37
  'payments-admin = { reference = "payments.admin:main", type = "console" }', // 38
].join('\n');

describe('parsePyproject: Poetry', () => {
  describe('Poetry 1 service', () => {
    const info = parsePyproject('/repo/services/payments/pyproject.toml', POETRY1);

    it('takes name, version, description, python and scripts from [tool.poetry]', () => {
      assert.deepEqual(info.problems, []);
      assert.equal(info.format, 'poetry');
      assert.deepEqual(info.project, {
        name: 'payments-service',
        normalized: 'payments-service',
        version: '2.3.1',
        description: 'Takes payments',
        requiresPython: '^3.10',
        scripts: { payments: 'payments.main:run', 'payments-admin': 'payments.admin:main' },
        nameRange: r(1, 7, 1, 25),
      });
    });

    it('locates each dependency at its key and keeps the whole entry as raw text', () => {
      const core = find(info.requirements, 'acme-core');
      assert.deepEqual(core.range, r(10, 0, 10, 9));
      assert.equal(core.raw, 'acme-core = { path = "../../libs/core", develop = true }');
      assert.deepEqual(find(info.requirements, 'pandas').range, r(13, 0, 13, 6));
      assert.equal(find(info.requirements, 'pandas').raw.split('\n').length, 4);
      assert.deepEqual(find(info.requirements, 'ruff').range, r(31, 0, 31, 4));
    });

    it('skips python and reads every other main dependency as runtime, in file order', () => {
      const main = info.requirements.filter((q) => q.group === undefined);
      assert.deepEqual(main.map((q) => [q.name, q.kind, q.specifier]), [
        ['fastapi', 'runtime', '^0.110'],
        ['acme-core', 'runtime', ''],
        ['acme-telemetry', 'runtime', ''],
        ['requests', 'runtime', '>=2.31,<3'],
        ['pandas', 'runtime', '<2'],
        ['internal-sdk', 'runtime', ''],
        ['private-lib', 'runtime', '~1.4'],
      ]);
      const requests = find(info.requirements, 'requests');
      assert.deepEqual([requests.extras, requests.marker], [['socks'], "sys_platform == 'linux'"]);
    });

    it('turns path, develop, git and source into requirement sources', () => {
      assert.deepEqual(find(info.requirements, 'acme-core').source, { type: 'path', path: '/repo/libs/core', editable: true });
      assert.deepEqual(find(info.requirements, 'acme-telemetry').source, { type: 'path', path: '/repo/libs/telemetry', editable: false });
      assert.deepEqual(find(info.requirements, 'internal-sdk').source, { type: 'git', url: 'https://github.com/acme/sdk.git' });
      assert.deepEqual(find(info.requirements, 'private-lib').source, { type: 'index', index: 'acme-private' });
      assert.equal(find(info.requirements, 'fastapi').source, undefined);
    });

    it('marks optional = true as optional with the extra that lists it', () => {
      const boto = find(info.requirements, 'boto3');
      assert.deepEqual([boto.kind, boto.group, boto.specifier], ['optional', 'aws', '']);
    });

    it('reads groups and the legacy dev-dependencies as dev with the group name', () => {
      const dev = info.requirements.filter((q) => q.kind === 'dev').map((q) => [q.name, q.group]);
      assert.deepEqual(dev, [['black', 'dev'], ['pytest', 'dev'], ['acme-testing', 'dev'], ['ruff', 'lint']]);
      assert.deepEqual(find(info.requirements, 'acme-testing').source, { type: 'path', path: '/repo/libs/testing', editable: true });
    });

    it('reads packages include/from as the layout', () => {
      assert.deepEqual(info.layout, { modules: ['payments'], sourceDirs: ['/repo/services/payments/src'] });
    });
  });

  describe('Poetry 2 project', () => {
    const text = [
      '[project]', // 0
      'name = "reports"', // 1
      'requires-python = ">=3.11"', // 2
      'dynamic = ["version"]', // 3
      'dependencies = [', // 4
      '  "acme-core (>=1.0)",', // 5
      '  "jinja2>=3",', // 6
      ']', // 7
      '', // 8
      '[tool.poetry]', // 9
      'version = "0.4.2"', // 10
      'packages = [{ include = "acme/reports", from = "src" }]', // 11
      '', // 12
      '[tool.poetry.dependencies]', // 13
      'acme-core = { path = "../../libs/core", develop = true }', // 14
      'jinja2 = "^3.1"', // 15
      'extra-only = "^1.0"', // 16
      '', // 17
      '[tool.poetry.group.dev.dependencies]', // 18
      'pytest = "^8"', // 19
    ].join('\n');
    const info = parsePyproject('/repo/services/reports/pyproject.toml', text);

    it('takes the name from [project] and a dynamic version from [tool.poetry]', () => {
      assert.deepEqual(info.problems, []);
      assert.equal(info.format, 'pep621');
      assert.deepEqual([info.project?.name, info.project?.version, info.project?.nameRange], ['reports', '0.4.2', r(1, 7, 1, 16)]);
    });

    it('adds a [tool.poetry.dependencies] source to the [project] requirement instead of a second one', () => {
      const cores = info.requirements.filter((q) => q.normalized === 'acme-core');
      assert.equal(cores.length, 1);
      assert.deepEqual(cores[0].range, r(5, 2, 5, 21));
      assert.equal(cores[0].specifier, '>=1.0');
      assert.deepEqual(cores[0].source, { type: 'path', path: '/repo/libs/core', editable: true });
      assert.equal(info.requirements.filter((q) => q.normalized === 'jinja2').length, 1);
    });

    it('still reads names only Poetry declares, and Poetry groups', () => {
      assert.deepEqual(info.requirements.map((q) => [q.name, q.kind]), [
        ['acme-core', 'runtime'],
        ['jinja2', 'runtime'],
        ['extra-only', 'runtime'],
        ['pytest', 'dev'],
      ]);
      assert.deepEqual(find(info.requirements, 'extra-only').range, r(16, 0, 16, 10));
    });

    it('turns a slash include into a dotted namespace module', () => {
      assert.deepEqual(info.layout, { modules: ['acme.reports'], sourceDirs: ['/repo/services/reports/src'] });
    });
  });

  describe('problems', () => {
    it('reports bad keys and specs at the key or value, keeping the good entries', () => {
      const text = [
        '[tool.poetry]', // 0
        'name = "svc"', // 1
        '[tool.poetry.dependencies]', // 2
        'python = "^3.11"', // 3
        '"-bad-" = "^1"', // 4
        'numeric = 3', // 5
        'nothing = { foo = "bar" }', // 6
        'empty = []', // 7
        'lib = { path = "../lib", develop = "yes" }', // 8
        'ok = "^1"', // 9
      ].join('\n');
      const info = parsePyproject('/repo/svc/pyproject.toml', text);
      assert.deepEqual(
        info.problems.map((p) => [p.range, p.message]),
        [
          [r(4, 0, 4, 7), 'Poetry dependency key "-bad-" is not a valid distribution name (PEP 508)'],
          [r(5, 10, 5, 11), "Poetry dependency 'numeric' must be a version string or a table, found an integer (3)"],
          [r(6, 10, 6, 25), "Poetry dependency 'nothing' has none of the known keys (version, path, git, url, source, extras, markers, ...)"],
          [r(7, 8, 7, 10), "Poetry dependency 'empty' is an empty list of constraints"],
          [r(8, 35, 8, 40), '`tool.poetry.dependencies.lib.develop` must be true or false, found a string ("yes")'],
        ],
      );
      assert.deepEqual(info.requirements.map((q) => q.name), ['lib', 'ok']);
      assert.deepEqual(find(info.requirements, 'lib').source, { type: 'path', path: '/repo/lib', editable: false });
    });

    it('reports a packages entry that is not a table', () => {
      const info = parsePyproject('/repo/svc/pyproject.toml', '[tool.poetry]\nname = "svc"\npackages = ["svc"]\n');
      assert.deepEqual(info.problems.map((p) => p.range), [r(2, 12, 2, 17)]);
      assert.match(info.problems[0].message, /must be a table such as \{ include = "mypkg", from = "src" \}/);
    });
  });
});
