import * as assert from 'node:assert/strict';
import type { DeclaredRequirement, Range } from '../../server/src/core/model';
import { parsePyproject } from '../../server/src/core/manifests/pyproject';

function r(line: number, character: number, endLine: number, endCharacter: number): Range {
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

function find(reqs: DeclaredRequirement[], normalized: string, group?: string): DeclaredRequirement {
  const hit = reqs.find((q) => q.normalized === normalized && q.group === group);
  assert.ok(hit, `no requirement ${normalized} in group ${String(group)}: ${reqs.map((q) => `${q.normalized}/${q.group}`).join(', ')}`);
  return hit;
}

const ROOT = [
  '[project]', // 0
  'name = "acme-monorepo"', // 1
  'version = "0"', // 2
  'requires-python = ">=3.11"', // 3
  'dependencies = []', // 4
  '', // 5
  '[tool.uv]', // 6
  'package = false', // 7
  '', // 8
  '[tool.uv.workspace]', // 9
  'members = ["services/*", "libs/*"]', // 10
  'exclude = ["libs/legacy-*"]', // 11
  '', // 12
  '[tool.uv.sources]', // 13
  'acme-core = { workspace = true }', // 14
  'Acme_Telemetry = { workspace = true }', // 15
  'vendored-sdk = { path = "vendor/sdk", editable = true }', // 16
  'internal-auth = { git = "https://github.com/acme/auth", tag = "v2.1.0" }', // 17
  'torch = [', // 18
  '  { index = "pytorch-cpu", marker = "sys_platform != \'darwin\'" },', // 19
  '  { index = "pytorch-mps", marker = "sys_platform == \'darwin\'" },', // 20
  ']', // 21
  '', // 22
  '[dependency-groups]', // 23
  'dev = ["pytest>=8", "ruff"]', // 24
  '', // 25
  '[tool.pymono]', // 26
  'services = ["services/*"]', // 27
].join('\n');

const MEMBER = [
  '[project]', // 0
  'name = "Orders_API"', // 1
  'version = "1.4.0"', // 2
  'description = "Order intake service"', // 3
  'requires-python = ">=3.11,<3.13"', // 4
  'dependencies = [', // 5
  '    "acme-core",', // 6
  '    "acme.telemetry>=0.3",       # namespace portion', // 7
  '    "fastapi[standard]>=0.110,<1",', // 8
  '    # "celery",', // 9
  '    "sqlalchemy[asyncio] >= 2.0 ; python_version >= \'3.11\'",', // 10
  ']', // 11
  '', // 12
  '[project.optional-dependencies]', // 13
  'Tests = ["hypothesis"]', // 14
  'kafka = ["aiokafka>=0.10"]', // 15
  '', // 16
  '[project.scripts]', // 17
  'orders = "orders_api.cli:main"', // 18
  '[project.gui-scripts]', // 19
  'orders-gui = "orders_api.gui:main"', // 20
  '', // 21
  '[dependency-groups]', // 22
  'test = ["pytest>=8", "pytest-asyncio", "acme-testing",]', // 23
  'lint = ["ruff>=0.5", "mypy"]', // 24
  'dev = [', // 25
  '    { include-group = "test" },', // 26
  '    { include-group = "lint" },', // 27
  '    "ipython",', // 28
  ']', // 29
  '', // 30
  '[tool.uv.sources]', // 31
  'acme-core = { workspace = true }', // 32
  'acme-telemetry = { workspace = true }', // 33
  'acme-testing = { workspace = true }', // 34
].join('\n');

describe('parsePyproject', () => {
  describe('uv workspace root', () => {
    const info = parsePyproject('/repo/pyproject.toml', ROOT);

    it('reads a virtual root: package = false, members and exclude globs as written', () => {
      assert.deepEqual(info.problems, []);
      assert.equal(info.format, 'pep621');
      assert.equal(info.uvPackage, false);
      assert.deepEqual(info.uvWorkspace, { members: ['services/*', 'libs/*'], exclude: ['libs/legacy-*'], range: r(9, 0, 9, 19) });
      assert.equal(info.project?.requiresPython, '>=3.11');
    });

    it('keys root sources by normalized name, resolves paths and takes the first marker source', () => {
      assert.deepEqual([...info.uvSources.keys()], ['acme-core', 'acme-telemetry', 'vendored-sdk', 'internal-auth', 'torch']);
      assert.deepEqual(info.uvSources.get('acme-telemetry'), { source: { type: 'workspace' }, range: r(15, 0, 15, 14) });
      assert.deepEqual(info.uvSources.get('vendored-sdk')?.source, { type: 'path', path: '/repo/vendor/sdk', editable: true });
      assert.deepEqual(info.uvSources.get('internal-auth')?.source, { type: 'git', url: 'https://github.com/acme/auth' });
      assert.deepEqual(info.uvSources.get('torch')?.source, { type: 'index', index: 'pytorch-cpu' });
    });

    it('keeps the raw [tool.pymono] table with the positions of the file', () => {
      assert.deepEqual(JSON.parse(JSON.stringify(info.pymono?.table)), { services: ['services/*'] });
      assert.deepEqual(info.pymono?.positions.valueRange(['tool', 'pymono', 'services', 0]), r(27, 12, 27, 24));
    });

    it('reads root dependency groups as dev requirements', () => {
      assert.deepEqual(info.requirements.map((q) => [q.name, q.kind, q.group]), [['pytest', 'dev', 'dev'], ['ruff', 'dev', 'dev']]);
    });
  });

  describe('uv workspace member', () => {
    const info = parsePyproject('/repo/services/orders/pyproject.toml', MEMBER);

    it('reads the metadata, normalized name, name range and merged scripts', () => {
      assert.deepEqual(info.problems, []);
      assert.deepEqual(info.project, {
        name: 'Orders_API',
        normalized: 'orders-api',
        version: '1.4.0',
        description: 'Order intake service',
        requiresPython: '>=3.11,<3.13',
        scripts: { orders: 'orders_api.cli:main', 'orders-gui': 'orders_api.gui:main' },
        nameRange: r(1, 7, 1, 19),
      });
    });

    it('locates runtime requirements at their string literals, past comments', () => {
      const runtime = info.requirements.filter((q) => q.kind === 'runtime');
      assert.deepEqual(runtime.map((q) => q.range), [r(6, 4, 6, 15), r(7, 4, 7, 25), r(8, 4, 8, 33), r(10, 4, 10, 59)]);
      const sa = find(runtime, 'sqlalchemy');
      assert.deepEqual([sa.specifier, sa.extras, sa.marker, sa.raw], [">=2.0", ['asyncio'], "python_version >= '3.11'", "sqlalchemy[asyncio] >= 2.0 ; python_version >= '3.11'"]);
      assert.equal(sa.file, '/repo/services/orders/pyproject.toml');
    });

    it("applies this file's uv sources to its requirements by normalized name", () => {
      assert.deepEqual(find(info.requirements, 'acme-telemetry').source, { type: 'workspace' });
      assert.deepEqual(find(info.requirements, 'acme-testing', 'test').source, { type: 'workspace' });
      assert.deepEqual(find(info.requirements, 'acme-testing', 'dev').source, { type: 'workspace' });
      assert.equal(find(info.requirements, 'fastapi').source, undefined);
    });

    it('classifies extras: dev-like names as dev, others as optional, group = extra', () => {
      assert.deepEqual([find(info.requirements, 'hypothesis', 'Tests').kind, find(info.requirements, 'aiokafka', 'kafka').kind], ['dev', 'optional']);
    });

    it('expands include-group into the including group, keeping the original ranges', () => {
      const dev = info.requirements.filter((q) => q.group === 'dev').map((q) => q.name);
      assert.deepEqual(dev, ['pytest', 'pytest-asyncio', 'acme-testing', 'ruff', 'mypy', 'ipython']);
      assert.deepEqual(find(info.requirements, 'pytest', 'dev').range, r(23, 8, 23, 19));
      assert.deepEqual(find(info.requirements, 'pytest', 'test').range, r(23, 8, 23, 19));
      assert.deepEqual(find(info.requirements, 'mypy', 'dev').range, r(24, 21, 24, 27));
      assert.equal(info.requirements.filter((q) => q.group === 'test').length, 3);
    });

    it('reads a CRLF copy of the file with the same ranges', () => {
      const crlf = parsePyproject('/repo/services/orders/pyproject.toml', MEMBER.replace(/\n/g, '\r\n'));
      assert.deepEqual(crlf.problems, []);
      assert.deepEqual(crlf.requirements.map((q) => q.range), info.requirements.map((q) => q.range));
      assert.equal(crlf.requirements.length, 17);
    });
  });

  describe('problems', () => {
    it('reports a broken TOML file at the line of the error and reads nothing else', () => {
      const text = '[project]\nname = "x"\ndependencies = [\n  "a",\n  "b"\n\n[tool.uv]\npackage = false\n';
      const info = parsePyproject('/repo/pyproject.toml', text);
      assert.equal(info.problems.length, 1);
      assert.match(info.problems[0].message, /^TOML syntax error: /);
      assert.equal(info.problems[0].range.start.line, 6);
      assert.deepEqual([info.requirements, info.project, info.uvPackage], [[], undefined, undefined]);
    });

    it('reports an unterminated string on its own line and column', () => {
      const info = parsePyproject('/repo/pyproject.toml', '[project]\nname = "x\nversion = "1"\n');
      assert.equal(info.problems.length, 1);
      assert.equal(info.problems[0].range.start.line, 1);
      assert.match(info.problems[0].message, /TOML syntax error/);
    });

    it('reports a template placeholder requirement at its literal and keeps the others', () => {
      const text = [
        '[project]',
        'name = "{{ cookiecutter.slug }}-svc"',
        'dependencies = [',
        '  "fastapi>=0.110",',
        '  "acme-core=={{ cookiecutter.core_version }}",',
        '  "httpx",',
        ']',
      ].join('\n');
      const info = parsePyproject('/repo/templates/svc/pyproject.toml', text);
      assert.deepEqual(info.requirements.map((q) => q.name), ['fastapi', 'httpx']);
      const placeholder = info.problems.find((p) => p.message.includes('core_version'));
      assert.ok(placeholder);
      assert.deepEqual(placeholder.range, r(4, 2, 4, 46));
      assert.match(placeholder.message, /invalid version specifier/);
      assert.match(placeholder.message, /project\.dependencies\[1\]/);
      const badName = info.problems.find((p) => p.message.includes('not a valid distribution name'));
      assert.deepEqual(badName?.range, r(1, 7, 1, 36));
      assert.equal(info.project, undefined);
    });

    it('reports wrong types at the value: a string for dependencies, a non-string element, a bad requires-python', () => {
      const text = '[project]\nname = "svc"\nrequires-python = ">=3.x"\ndependencies = "fastapi"\n[project.optional-dependencies]\ndev = ["pytest", 3]\n';
      const info = parsePyproject('/repo/pyproject.toml', text);
      assert.deepEqual(
        info.problems.map((p) => [p.range, p.message]),
        [
          [r(2, 18, 2, 25), '`project.requires-python` ">=3.x" is not a valid PEP 440 version specifier'],
          [r(3, 15, 3, 24), '`project.dependencies` must be an array of PEP 508 requirement strings, found a string ("fastapi")'],
          [r(5, 17, 5, 18), '`project.optional-dependencies.dev[1]` must be a string, found an integer (3)'],
        ],
      );
      assert.deepEqual(info.requirements.map((q) => q.name), ['pytest']);
    });

    it('reports a [project] table without a name at its header', () => {
      const info = parsePyproject('/repo/pyproject.toml', '# comment\n[project]\nversion = "1"\n');
      assert.deepEqual(info.problems.map((p) => p.range), [r(1, 0, 1, 9)]);
      assert.equal(info.format, undefined);
    });

    it('reports an include of a missing group and an include cycle at the include-group value', () => {
      const text = [
        '[project]',
        'name = "svc"',
        '[dependency-groups]',
        'a = ["x", { include-group = "b" }]',
        'b = [{ include-group = "A" }, "y"]',
        'c = [{ include-group = "docs" }, { include = "a" }]',
      ].join('\n');
      const info = parsePyproject('/repo/pyproject.toml', text);
      assert.deepEqual(
        info.problems.map((p) => [p.range, p.message]),
        [
          [r(4, 23, 4, 26), 'dependency group include cycle: a -> b -> a'],
          [r(5, 23, 5, 29), "dependency group 'c' includes 'docs', which is not a group in [dependency-groups]"],
          [r(5, 33, 5, 50), "dependency group 'c': a table entry must be exactly { include-group = \"name\" }, found keys include"],
        ],
      );
      assert.deepEqual(info.requirements.map((q) => `${q.group}:${q.name}`), ['a:x', 'a:y', 'b:y']);
    });

    it('reports a uv source with none of the known keys and keeps the others', () => {
      const text = '[project]\nname = "svc"\ndependencies = ["lib-a", "lib-b"]\n[tool.uv.sources]\nlib-a = { workspace = true }\nlib-b = { branch = "main" }\n';
      const info = parsePyproject('/repo/svc/pyproject.toml', text);
      assert.deepEqual(info.problems.map((p) => [p.range, p.message]), [[r(5, 8, 5, 27), "uv source for 'lib-b' has none of workspace, path, git, url or index"]]);
      assert.deepEqual(info.requirements.map((q) => q.source), [{ type: 'workspace' }, undefined]);
    });
  });

  describe('other tools', () => {
    it('reads PDM dev groups, file:// direct references and -e editable entries', () => {
      const text = [
        '[project]',
        'name = "ingest"',
        'dependencies = ["acme-core @ file:///${PROJECT_ROOT}/../../libs/core"]',
        '[tool.pdm.dev-dependencies]',
        'test = ["pytest>=8", "-e file:///${PROJECT_ROOT}/../../libs/testing#egg=acme-testing"]',
        'lint = ["ruff"]',
      ].join('\n');
      const info = parsePyproject('/repo/services/ingest/pyproject.toml', text);
      assert.deepEqual(info.problems, []);
      assert.deepEqual(find(info.requirements, 'acme-core').source, { type: 'path', path: '/repo/libs/core', editable: false });
      const testing = find(info.requirements, 'acme-testing', 'test');
      assert.deepEqual([testing.kind, testing.source, testing.range], ['dev', { type: 'path', path: '/repo/libs/testing', editable: true }, r(4, 21, 4, 85)]);
      assert.deepEqual(find(info.requirements, 'ruff', 'lint').kind, 'dev');
    });

    it('reads [tool.uv] dev-dependencies as the dev group and keeps a PEP 508 URL over a uv source', () => {
      const text = '[project]\nname = "svc"\ndependencies = ["sdk @ https://example.com/sdk-1.0.tar.gz"]\n[tool.uv]\ndev-dependencies = ["pytest"]\n[tool.uv.sources]\nsdk = { workspace = true }\n';
      const info = parsePyproject('/repo/svc/pyproject.toml', text);
      assert.deepEqual(find(info.requirements, 'sdk').source, { type: 'url', url: 'https://example.com/sdk-1.0.tar.gz' });
      assert.deepEqual([find(info.requirements, 'pytest', 'dev').kind, find(info.requirements, 'pytest', 'dev').range], ['dev', r(4, 20, 4, 28)]);
    });

    it('reads a Hatch src layout', () => {
      const text = '[project]\nname = "acme-core"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n[tool.hatch.build.targets.wheel]\npackages = ["src/acme_core"]\n';
      const info = parsePyproject('/repo/libs/core/pyproject.toml', text);
      assert.deepEqual(info.layout, { modules: ['acme_core'], sourceDirs: ['/repo/libs/core/src'] });
    });

    it('reads setuptools find (where, plain include names) and package-dir', () => {
      const text = [
        '[project]',
        'name = "legacy-lib"',
        '[tool.setuptools]',
        'package-dir = { "" = "src" }',
        '[tool.setuptools.packages.find]',
        'where = ["src", "plugins"]',
        'include = ["legacy_lib*", "legacy_helpers"]',
      ].join('\n');
      const info = parsePyproject('/repo/libs/legacy/pyproject.toml', text);
      assert.deepEqual(info.problems, []);
      assert.deepEqual(info.layout, { modules: ['legacy_helpers'], sourceDirs: ['/repo/libs/legacy/src', '/repo/libs/legacy/plugins'] });
    });

    it('reads setuptools dotted package lists and py-modules', () => {
      const text = '[project]\nname = "acme-billing"\n[tool.setuptools]\npackages = ["acme.billing", "acme.billing.api"]\npy-modules = ["billing_compat"]\npackage-dir = { "acme" = "lib/acme" }\n';
      const info = parsePyproject('/repo/libs/billing/pyproject.toml', text);
      assert.deepEqual(info.layout, { modules: ['acme.billing', 'acme.billing.api', 'billing_compat', 'acme'], sourceDirs: ['/repo/libs/billing/lib'] });
    });
  });
});
