import * as assert from 'node:assert/strict';
import { parse } from 'smol-toml';
import type { ManifestEditResult } from '../../server/src/core/edits/index';
import { addInternalRequirement, addRequirement, applyEdits, moveToRuntime, removeRequirement } from '../../server/src/core/edits/index';
import { applyOffsetEdits, diffEdits, mergeEdits, offsetAt } from '../../server/src/core/edits/textEdit';
import { positionAt } from '../../server/src/core/manifests/textLines';

const PY = '/repo/services/orders-api/pyproject.toml';
const REQ = '/repo/services/orders-api/requirements.txt';
const lines = (...l: string[]): string => l.join('\n');

/** Applies a successful result to `text` and checks that the outcome still parses when it is TOML. */
function applied(text: string, r: ManifestEditResult, file = PY): string {
  assert.ok(r.ok, r.ok ? '' : r.reason);
  const out = applyEdits(text, r.edits);
  if (file.endsWith('.toml')) parse(out);
  return out;
}

function reasonOf(r: ManifestEditResult): string {
  assert.ok(!r.ok, 'expected the edit to be refused');
  return r.reason;
}

describe('manifest edits: PEP 621 [project] dependencies', () => {
  const MULTI = lines('[project]', 'name = "orders-api"', 'dependencies = [', '    "fastapi>=0.110",  # web', '    "httpx",', ']', '');

  it('appends a line with the elements\' indentation and trailing comma to a multi-line array', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = [', '    "sqlalchemy>=2",', '    "fastapi>=0.110",', ']', '');
    const r = addRequirement(PY, text, 'requests>=2.31');
    assert.ok(r.ok);
    assert.equal(r.title, "Add 'requests>=2.31' to orders-api's dependencies");
    assert.equal(applied(text, r), lines('[project]', 'name = "orders-api"', 'dependencies = [', '    "sqlalchemy>=2",', '    "fastapi>=0.110",', '    "requests>=2.31",', ']', ''));
  });

  it('inserts in sorted position when the elements are sorted case-insensitively', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = [', '    "FastAPI>=0.110",  # web', '    "httpx",', '    "SQLAlchemy>=2",', ']', '');
    const out = applied(text, addRequirement(PY, text, 'pydantic'));
    assert.equal(out, lines('[project]', 'name = "orders-api"', 'dependencies = [', '    "FastAPI>=0.110",  # web', '    "httpx",', '    "pydantic",', '    "SQLAlchemy>=2",', ']', ''));
  });

  it('adds the missing comma after the last element and no trailing comma when the array has none', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = [', '\t"httpx",', '\t"sqlalchemy"  # orm', ']', '');
    const r = addRequirement(PY, text, 'uvicorn');
    assert.ok(r.ok);
    assert.equal(r.edits.length, 2, 'a comma and a new line, as two small edits');
    assert.equal(applied(text, r), lines('[project]', 'name = "orders-api"', 'dependencies = [', '\t"httpx",', '\t"sqlalchemy",  # orm', '\t"uvicorn"', ']', ''));
  });

  it('writes `, "x"` before `]` in a single-line array, keeping its trailing comma and quote style', () => {
    const text = lines('[project]', "name = 'orders-api'", "dependencies = ['fastapi', 'httpx',]", '');
    assert.equal(applied(text, addRequirement(PY, text, 'requests')), lines('[project]', "name = 'orders-api'", "dependencies = ['fastapi', 'httpx', 'requests',]", ''));
  });

  it('turns `[]` into `["x"]`', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = []', '');
    assert.equal(applied(text, addRequirement(PY, text, 'requests')), lines('[project]', 'name = "orders-api"', 'dependencies = ["requests"]', ''));
  });

  it('adds to an empty multi-line array above its `]`, at the indentation of the comment inside', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = [', '  # nothing yet', ']', '');
    assert.equal(applied(text, addRequirement(PY, text, 'requests')), lines('[project]', 'name = "orders-api"', 'dependencies = [', '  # nothing yet', '  "requests",', ']', ''));
  });

  it('falls back to a basic string when a literal string cannot hold the requirement', () => {
    const text = lines('[project]', "name = 'orders-api'", "dependencies = ['fastapi']", '');
    const out = applied(text, addRequirement(PY, text, "tomli; python_version < '3.11'"));
    assert.equal(out, lines('[project]', "name = 'orders-api'", `dependencies = ['fastapi', "tomli; python_version < '3.11'"]`, ''));
  });

  it('creates `dependencies = [...]` after the last key of [project] when it is missing, keeping CRLF', () => {
    const text = ['[project]', 'name = "orders-api"', 'classifiers = [', '    "Private :: Do Not Upload",', ']  # keep', '', '[tool.uv]', 'package = true', ''].join('\r\n');
    const out = applied(text, addRequirement(PY, text, 'requests'));
    assert.equal(out, ['[project]', 'name = "orders-api"', 'classifiers = [', '    "Private :: Do Not Upload",', ']  # keep', 'dependencies = ["requests"]', '', '[tool.uv]', 'package = true', ''].join('\r\n'));
  });

  it('refuses a requirement [project] already declares, an invalid one, and a dynamic `dependencies`', () => {
    assert.match(reasonOf(addRequirement(PY, MULTI, 'HTTPX>=0.27')), /already in the dependencies/);
    assert.match(reasonOf(addRequirement(PY, MULTI, 'pkg=={{ version }}')), /not a valid PEP 508 requirement/);
    const dynamic = lines('[project]', 'name = "orders-api"', 'dynamic = ["dependencies"]', '');
    assert.match(reasonOf(addRequirement(PY, dynamic, 'requests')), /dynamic/);
  });

  it('refuses files with a syntax error (naming the line), without [project] or [tool.poetry], and Dockerfiles', () => {
    assert.match(reasonOf(addRequirement(PY, lines('[project]', 'name = "x', ''), 'requests')), /orders-api\/pyproject.toml: .*syntax error at line 2/);
    assert.match(reasonOf(addRequirement(PY, lines('[tool.ruff]', 'line-length = 100', ''), 'requests')), /does not create \[project\]/);
    assert.match(reasonOf(addRequirement('/repo/apps/cron/Dockerfile', 'FROM python:3.12\n', 'requests')), /Dockerfile only/);
  });

  it('removes an element alone on its line together with its comment', () => {
    assert.equal(applied(MULTI, removeRequirement(PY, MULTI, 'fastapi')), lines('[project]', 'name = "orders-api"', 'dependencies = [', '    "httpx",', ']', ''));
  });

  it('removes the last element and the comma before it when the array has no trailing comma', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = [', '    "fastapi",  # web', '    "sqlalchemy"', ']', '');
    const r = removeRequirement(PY, text, 'sqlalchemy');
    assert.ok(r.ok);
    assert.equal(r.title, "Remove unused 'sqlalchemy'");
    assert.equal(applied(text, r), lines('[project]', 'name = "orders-api"', 'dependencies = [', '    "fastapi"  # web', ']', ''));
  });

  it('removes elements of single-line arrays with their separator', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = ["fastapi", "SQLAlchemy[asyncio]>=2", "httpx",]', '');
    assert.equal(applied(text, removeRequirement(PY, text, 'sqlalchemy')), lines('[project]', 'name = "orders-api"', 'dependencies = ["fastapi", "httpx",]', ''));
    assert.equal(applied(text, removeRequirement(PY, text, 'fastapi')), lines('[project]', 'name = "orders-api"', 'dependencies = ["SQLAlchemy[asyncio]>=2", "httpx",]', ''));
    assert.equal(applied(text, removeRequirement(PY, text, 'httpx')), lines('[project]', 'name = "orders-api"', 'dependencies = ["fastapi", "SQLAlchemy[asyncio]>=2",]', ''));
  });

  it('removes every declaration of a name (marker variants) and refuses a name that is not declared', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = [', '    "numpy<2; python_version < \'3.10\'",', '    "httpx",', '    "numpy>=2; python_version >= \'3.10\'",', ']', '');
    assert.equal(applied(text, removeRequirement(PY, text, 'numpy')), lines('[project]', 'name = "orders-api"', 'dependencies = [', '    "httpx",', ']', ''));
    assert.match(reasonOf(removeRequirement(PY, text, 'requests')), /not a runtime dependency/);
  });
});

describe('manifest edits: development dependencies and moves', () => {
  it('adds a dev requirement to an existing PEP 735 group, or creates [dependency-groups] after [project]', () => {
    const withGroup = lines('[project]', 'name = "orders-api"', '', '[dependency-groups]', 'dev = ["pytest>=8"]', '');
    assert.equal(applied(withGroup, addRequirement(PY, withGroup, 'ruff', { kind: 'dev' })), lines('[project]', 'name = "orders-api"', '', '[dependency-groups]', 'dev = ["pytest>=8", "ruff"]', ''));
    const bare = lines('[project]', 'name = "orders-api"', 'dependencies = ["fastapi"]', '', '[tool.uv]', 'package = true', '');
    const r = addRequirement(PY, bare, 'pytest>=8', { kind: 'dev' });
    assert.ok(r.ok);
    assert.equal(r.title, "Add 'pytest>=8' to orders-api's dev dependencies");
    assert.equal(applied(bare, r), lines('[project]', 'name = "orders-api"', 'dependencies = ["fastapi"]', '', '[dependency-groups]', 'dev = ["pytest>=8"]', '', '[tool.uv]', 'package = true', ''));
  });

  it('moves a PEP 735 dev declaration to [project] dependencies keeping its specifier and marker', () => {
    const text = lines(
      '[project]', 'name = "orders-api"', 'dependencies = [', '    "fastapi",', '    "sqlalchemy",', ']', '',
      '[dependency-groups]', 'dev = [', '    "pytest>=8",', '    "rich>=13; sys_platform != \'win32\'",  # pretty output', ']', '',
    );
    const r = moveToRuntime(PY, text, 'rich');
    assert.ok(r.ok);
    assert.equal(r.title, "Move 'rich' to runtime dependencies");
    assert.equal(r.edits.length, 2);
    assert.equal(applied(text, r), lines(
      '[project]', 'name = "orders-api"', 'dependencies = [', '    "fastapi",', '    "rich>=13; sys_platform != \'win32\'",', '    "sqlalchemy",', ']', '',
      '[dependency-groups]', 'dev = [', '    "pytest>=8",', ']', '',
    ));
  });

  it('moves from a dev extra and uv dev-dependencies at once', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = ["fastapi"]', '', '[project.optional-dependencies]', 'test = ["rich", "pytest"]', '', '[tool.uv]', 'dev-dependencies = ["rich>=13"]', '');
    assert.equal(applied(text, moveToRuntime(PY, text, 'rich')), lines('[project]', 'name = "orders-api"', 'dependencies = ["fastapi", "rich>=13"]', '', '[project.optional-dependencies]', 'test = ["pytest"]', '', '[tool.uv]', 'dev-dependencies = []', ''));
  });

  it('moves a Poetry group entry to a Poetry 2 [project], converting the caret constraint', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = ["fastapi"]', '', '[tool.poetry.group.dev.dependencies]', 'rich = "^13.1"', 'pytest = "^8"', '');
    assert.equal(applied(text, moveToRuntime(PY, text, 'rich')), lines('[project]', 'name = "orders-api"', 'dependencies = ["fastapi", "rich>=13.1,<14"]', '', '[tool.poetry.group.dev.dependencies]', 'pytest = "^8"', ''));
  });

  it('refuses a move when nothing declares the name for development, and for requirements files', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = ["fastapi"]', '');
    assert.match(reasonOf(moveToRuntime(PY, text, 'rich')), /no development declaration/);
    assert.match(reasonOf(moveToRuntime(REQ, 'rich\n', 'rich')), /one kind of dependency/);
  });
});

describe('manifest edits: Poetry', () => {
  const POETRY = lines(
    '[tool.poetry]', 'name = "billing"', 'version = "0.1.0"', '', '[tool.poetry.dependencies]', 'python = "^3.11"', 'fastapi = "^0.110"', 'httpx = "*"  # client', '',
    '[tool.poetry.group.dev.dependencies]', 'pytest = "^8"', 'rich = { version = "^13", extras = ["jupyter"] }', '',
  );

  it('adds `name = "spec"` in sorted position, converting a bare name to "*"', () => {
    const r = addRequirement(PY, POETRY, 'Gunicorn');
    assert.ok(r.ok);
    assert.equal(r.title, "Add 'Gunicorn' to billing's dependencies");
    assert.ok(applied(POETRY, r).includes(lines('fastapi = "^0.110"', 'Gunicorn = "*"', 'httpx = "*"  # client')));
    assert.ok(applied(POETRY, addRequirement(PY, POETRY, 'requests>=2.31')).includes(lines('httpx = "*"  # client', 'requests = ">=2.31"', '')));
  });

  it('keeps literal-string quoting and appends after the last key of an unsorted table', () => {
    const text = lines('[tool.poetry]', "name = 'billing'", '', '[tool.poetry.dependencies]', "python = '^3.11'", "uvicorn = '*'", "fastapi = '^0.110'  # web", '');
    assert.equal(applied(text, addRequirement(PY, text, 'httpx~=0.27')), lines('[tool.poetry]', "name = 'billing'", '', '[tool.poetry.dependencies]', "python = '^3.11'", "uvicorn = '*'", "fastapi = '^0.110'  # web", "httpx = '~=0.27'", ''));
  });

  it('writes extras, markers and dotted names as Poetry expects', () => {
    const out = applied(POETRY, addRequirement(PY, POETRY, 'zope.interface[test]>=6; python_version>="3.12"'));
    assert.ok(out.includes(`\n"zope.interface" = { version = ">=6", extras = ["test"], markers = "python_version>=\\"3.12\\"" }\n`), out);
  });

  it('adds dev requirements to [tool.poetry.group.dev.dependencies], creating it when missing', () => {
    assert.ok(applied(POETRY, addRequirement(PY, POETRY, 'mypy', { kind: 'dev' })).includes(lines('[tool.poetry.group.dev.dependencies]', 'mypy = "*"', 'pytest = "^8"')));
    const noDev = lines('[tool.poetry]', 'name = "billing"', '', '[tool.poetry.dependencies]', 'python = "^3.11"', '');
    assert.equal(applied(noDev, addRequirement(PY, noDev, 'pytest>=8', { kind: 'dev' })), lines('[tool.poetry]', 'name = "billing"', '', '[tool.poetry.dependencies]', 'python = "^3.11"', '', '[tool.poetry.group.dev.dependencies]', 'pytest = ">=8"', ''));
  });

  it('creates [tool.poetry.dependencies] after [tool.poetry] when it is missing', () => {
    const text = lines('[tool.poetry]', 'name = "billing"', '', '[build-system]', 'requires = ["poetry-core"]', '');
    assert.equal(applied(text, addRequirement(PY, text, 'requests')), lines('[tool.poetry]', 'name = "billing"', '', '[tool.poetry.dependencies]', 'requests = "*"', '', '[build-system]', 'requires = ["poetry-core"]', ''));
  });

  it('removes a key line with its comment and moves a dev table entry verbatim', () => {
    assert.ok(!applied(POETRY, removeRequirement(PY, POETRY, 'httpx')).includes('httpx'));
    assert.equal(applied(POETRY, removeRequirement(PY, POETRY, 'httpx')), POETRY.replace('httpx = "*"  # client\n', ''));
    const moved = applied(POETRY, moveToRuntime(PY, POETRY, 'rich'));
    assert.equal(moved, lines(
      '[tool.poetry]', 'name = "billing"', 'version = "0.1.0"', '', '[tool.poetry.dependencies]', 'python = "^3.11"', 'fastapi = "^0.110"', 'httpx = "*"  # client',
      'rich = { version = "^13", extras = ["jupyter"] }', '', '[tool.poetry.group.dev.dependencies]', 'pytest = "^8"', '',
    ));
  });

  it('adds an internal library as a develop path dependency', () => {
    const r = addInternalRequirement(PY, POETRY, 'acme-models', { relativePath: '../../libs/models', uvWorkspace: false, sourceCovered: false });
    assert.ok(r.ok);
    assert.equal(r.title, "Add internal library 'acme-models'");
    assert.ok(applied(POETRY, r).includes(lines('python = "^3.11"', 'acme-models = { path = "../../libs/models", develop = true }', 'fastapi = "^0.110"')));
  });
});

describe('manifest edits: internal libraries in uv workspaces', () => {
  const MEMBER = lines('[project]', 'name = "orders-api"', 'dependencies = [', '    "fastapi",', ']', '', '[tool.uv]', 'package = true', '', '[tool.ruff]', 'line-length = 100', '');

  it('adds the dependency and creates [tool.uv.sources] after the other [tool.uv] tables', () => {
    const r = addInternalRequirement(PY, MEMBER, 'acme-models', { relativePath: '../../libs/models', uvWorkspace: true, sourceCovered: false });
    assert.ok(r.ok);
    assert.equal(r.edits.length, 2);
    assert.equal(applied(MEMBER, r), lines(
      '[project]', 'name = "orders-api"', 'dependencies = [', '    "fastapi",', '    "acme-models",', ']', '', '[tool.uv]', 'package = true', '',
      '[tool.uv.sources]', 'acme-models = { workspace = true }', '', '[tool.ruff]', 'line-length = 100', '',
    ));
  });

  it('adds to an existing [tool.uv.sources] table, and only the dependency when the root covers the source', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = ["fastapi"]', '', '[tool.uv.sources]', 'acme-core = { workspace = true }', '');
    const out = applied(text, addInternalRequirement(PY, text, 'acme_models', { relativePath: '../libs/models', uvWorkspace: true, sourceCovered: false }));
    assert.equal(out, lines('[project]', 'name = "orders-api"', 'dependencies = ["fastapi", "acme_models"]', '', '[tool.uv.sources]', 'acme-core = { workspace = true }', 'acme_models = { workspace = true }', ''));
    const covered = applied(text, addInternalRequirement(PY, text, 'acme-models', { relativePath: '../libs/models', uvWorkspace: true, sourceCovered: true }));
    assert.equal(covered, text.replace('["fastapi"]', '["fastapi", "acme-models"]'));
  });

  it('adds only the missing source when the dependency is declared, and refuses when both are there', () => {
    const text = lines('[project]', 'name = "orders-api"', 'dependencies = ["acme-models"]', '');
    assert.equal(applied(text, addInternalRequirement(PY, text, 'acme-models', { relativePath: '../libs/models', uvWorkspace: true, sourceCovered: false })), lines('[project]', 'name = "orders-api"', 'dependencies = ["acme-models"]', '', '[tool.uv.sources]', 'acme-models = { workspace = true }', ''));
    assert.match(reasonOf(addInternalRequirement(PY, text, 'acme-models', { relativePath: '../libs/models', uvWorkspace: true, sourceCovered: true })), /already declared/);
  });
});

describe('manifest edits: requirements files', () => {
  it('inserts in sorted position with the file\'s CRLF line ends', () => {
    const text = 'fastapi>=0.110\r\nhttpx\r\nsqlalchemy>=2\r\n';
    const r = addRequirement(REQ, text, 'requests>=2.31');
    assert.ok(r.ok);
    assert.equal(r.title, "Add 'requests>=2.31' to orders-api's dependencies");
    assert.equal(applied(text, r, REQ), 'fastapi>=0.110\r\nhttpx\r\nrequests>=2.31\r\nsqlalchemy>=2\r\n');
  });

  it('appends to an unsorted file, adding a line end first when the file lacks a final one', () => {
    assert.equal(applied('sqlalchemy\nfastapi\n', addRequirement(REQ, 'sqlalchemy\nfastapi\n', 'httpx'), REQ), 'sqlalchemy\nfastapi\nhttpx\n');
    assert.equal(applied('sqlalchemy\nfastapi', addRequirement(REQ, 'sqlalchemy\nfastapi', 'httpx'), REQ), 'sqlalchemy\nfastapi\nhttpx');
    assert.equal(applied('', addRequirement(REQ, '', 'httpx'), REQ), 'httpx\n');
  });

  it('removes a requirement with its continuation lines and keeps the rest byte for byte', () => {
    const text = '-r base.txt\nfastapi==0.110.0 \\\n    --hash=sha256:aaa \\\n    --hash=sha256:bbb\nhttpx==0.27.0  # client\n';
    assert.equal(applied(text, removeRequirement(REQ, text, 'fastapi'), REQ), '-r base.txt\nhttpx==0.27.0  # client\n');
    assert.equal(applied(text, removeRequirement(REQ, text, 'httpx'), REQ), '-r base.txt\nfastapi==0.110.0 \\\n    --hash=sha256:aaa \\\n    --hash=sha256:bbb\n');
    assert.equal(applied('fastapi\r\nhttpx', removeRequirement(REQ, 'fastapi\r\nhttpx', 'httpx'), REQ), 'fastapi');
  });

  it('adds and removes internal libraries as `-e <path>` lines', () => {
    const r = addInternalRequirement(REQ, 'fastapi\n', 'acme-models', { relativePath: '..\\..\\libs\\acme-models', uvWorkspace: false, sourceCovered: false });
    const out = applied('fastapi\n', r, REQ);
    assert.equal(out, 'fastapi\n-e ../../libs/acme-models\n');
    assert.equal(applied(out, removeRequirement(REQ, out, 'acme-models'), REQ), 'fastapi\n');
    assert.match(reasonOf(addInternalRequirement(REQ, out, 'acme-models', { relativePath: '../../libs/acme-models', uvWorkspace: false, sourceCovered: false })), /already/);
  });

  it('refuses lock files generated by pip-compile and names not declared', () => {
    const compiled = '#\n# This file is autogenerated by pip-compile with Python 3.12\n#\nfastapi==0.110.0\n';
    assert.match(reasonOf(addRequirement(REQ, compiled, 'httpx')), /\.in source/);
    assert.match(reasonOf(removeRequirement(REQ, 'fastapi\n', 'httpx')), /nothing declares it/);
  });
});

describe('text edits', () => {
  it('converts LSP positions over CRLF, lone CR and a BOM to offsets and back', () => {
    const text = '\ufeffa\r\nbc\rd\ne';
    for (let o = 1; o <= text.length; o++) {
      if (text[o - 1] === '\r' && text[o] === '\n') continue;
      assert.equal(offsetAt(text, positionAt(text, o)), o, `offset ${o}`);
    }
  });

  it('applies same-position inserts in array order and rejects overlapping edits', () => {
    const at = { line: 0, character: 1 };
    assert.equal(applyEdits('ab', [{ range: { start: at, end: at }, newText: 'X' }, { range: { start: at, end: at }, newText: 'Y' }]), 'aXYb');
    assert.throws(() => applyOffsetEdits('abcd', [{ start: 0, end: 2, newText: '' }, { start: 1, end: 3, newText: '' }]), RangeError);
    assert.equal(mergeEdits([{ start: 0, end: 2, newText: '' }, { start: 1, end: 3, newText: '' }]), undefined);
  });

  it('diffs to one edit that never splits a CRLF', () => {
    const [e] = diffEdits('a\r\nb', 'a\r\nx\r\nb');
    assert.equal(applyOffsetEdits('a\r\nb', [e]), 'a\r\nx\r\nb');
    assert.ok(!('a\r\nb'[e.start - 1] === '\r' && 'a\r\nb'[e.start] === '\n'));
  });
});
