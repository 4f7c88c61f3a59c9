import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { brief, load, writeTree } from './helpers/tree';
import { compatible, toPep440 } from '../../server/src/core/rules/drift';

const lib = (name: string, deps: string[], extra = ''): string =>
  `[project]\nname = "${name}"\nversion = "1.0.0"\nrequires-python = ">=3.11"\ndependencies = [${deps.map((d) => JSON.stringify(d)).join(', ')}]\n${extra}`;

describe('rules', () => {
  it('PM004: runtime code may not import a dev-only dependency; tests and TYPE_CHECKING may', async () => {
    const root = writeTree({
      'svc/pyproject.toml': lib('svc', ['httpx'], '\n[dependency-groups]\ndev = ["pytest", "mypy-extensions", "rich"]\n'),
      'svc/svc/main.py': 'import httpx\nimport rich\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import mypy_extensions\n',
      'svc/tests/test_main.py': 'import pytest\nimport rich\n',
    });
    const { ws } = await load(root);
    assert.deepEqual(brief(root, ws.findings()), ['PM004 svc/svc/main.py:2 rich']);
    assert.equal(ws.findings()[0].fix?.action, 'move-to-runtime');
  });

  it('PM005: reports unused runtime dependencies but not tools, plugins or stubs', async () => {
    const root = writeTree({
      'svc/pyproject.toml': lib('svc', ['fastapi', 'uvicorn[standard]', 'gunicorn', 'types-requests', 'orjson', 'pytest-cov']),
      'svc/svc/main.py': 'import fastapi\n',
    });
    const { ws } = await load(root);
    assert.deepEqual(brief(root, ws.findings()), ['PM005 svc/pyproject.toml:5 orjson']);
    const f = ws.findings()[0];
    assert.equal(f.range.start.character, 78, 'the range starts at the opening quote of "orjson"');
    assert.equal(f.fix?.action, 'remove');
  });

  it('PM006: flags incompatible specifiers and different pins, not compatible ranges', async () => {
    const root = writeTree({
      'a/pyproject.toml': lib('a', ['pydantic==2.5.0', 'requests>=2.28']),
      'a/a/__init__.py': 'import pydantic, requests\n',
      'b/pyproject.toml': lib('b', ['pydantic==1.10.13', 'requests<3']),
      'b/b/__init__.py': 'import pydantic, requests\n',
      'c/pyproject.toml': lib('c', ['pydantic>=2']),
      'c/c/__init__.py': 'import pydantic\n',
    });
    const { ws } = await load(root);
    assert.deepEqual(brief(root, ws.findings()).sort(), ['PM006 a/pyproject.toml:5 pydantic', 'PM006 b/pyproject.toml:5 pydantic', 'PM006 c/pyproject.toml:5 pydantic']);
    const onB = ws.findings().find((f) => f.file.includes(`${path.sep}b${path.sep}`));
    assert.match(onB?.message ?? '', /a \(==2\.5\.0\), c \(>=2\)/);
  });

  it('PM006 helpers: Poetry caret/tilde translate per the Poetry docs and overlap is decided by PEP 440', () => {
    assert.equal(toPep440('^1.2.3'), '>=1.2.3,<2.0.0');
    assert.equal(toPep440('^0.2.3'), '>=0.2.3,<0.3.0');
    assert.equal(toPep440('~1.2'), '>=1.2.0,<1.3.0');
    assert.equal(compatible('>=2.0', '<2.0'), false);
    assert.equal(compatible('>1.0', '<1.1'), true);
    assert.equal(compatible('==1.4.2', '==1.4.3'), false);
    assert.equal(compatible('~=1.4', '>=1.5,<2'), true);
  });

  it('PM007: reports each edge of a cycle with the whole chain', async () => {
    const root = writeTree({
      'libs/x/pyproject.toml': lib('x', ['y']),
      'libs/x/x/__init__.py': 'import y\n',
      'libs/y/pyproject.toml': lib('y', ['z']),
      'libs/y/y/__init__.py': 'import z\n',
      'libs/z/pyproject.toml': lib('z', ['x']),
      'libs/z/z/__init__.py': 'import x\n',
    });
    const { ws } = await load(root);
    const cycles = ws.findings().filter((f) => f.code === 'PM007');
    assert.deepEqual(brief(root, cycles), ['PM007 libs/x/pyproject.toml:5 y', 'PM007 libs/y/pyproject.toml:5 z', 'PM007 libs/z/pyproject.toml:5 x']);
    assert.match(cycles[0].message, /x -> y -> z -> x/);
  });

  it('PM009: a declared stdlib module is reported; a backport needed by an allowed Python is not', async () => {
    const root = writeTree({
      'a/pyproject.toml': lib('a', ['asyncio', 'tomli']),
      'a/a/__init__.py': 'import asyncio\nimport tomli\n',
    });
    const { ws } = await load(root);
    assert.deepEqual(brief(root, ws.findings()), ['PM009 a/pyproject.toml:5 asyncio']);
  });

  it('suppressions and optional imports are not reported; report-optional-imports turns them on', async () => {
    const files = {
      'a/pyproject.toml': lib('a', []),
      'a/a/__init__.py': 'import requests  # pymono: ignore\nimport yaml  # pymono: ignore[PM003]\ntry:\n    import ujson\nexcept ImportError:\n    ujson = None\n',
    };
    const quiet = writeTree(files);
    assert.deepEqual(brief(quiet, (await load(quiet)).ws.findings()), ['PM001 a/a/__init__.py:2 yaml']);
    const loud = writeTree({ ...files, 'pyproject.toml': '[tool.pymono]\nreport-optional-imports = true\n' });
    assert.deepEqual(brief(loud, (await load(loud)).ws.findings()), ['PM001 a/a/__init__.py:2 yaml', 'PM001 a/a/__init__.py:4 ujson']);
  });

  it('config: severities, per-package ignores and mapping apply; a bad setting is a located PM008', async () => {
    const root = writeTree({
      'pyproject.toml': '[tool.pymono]\nunknown-key = 1\n\n[tool.pymono.mapping]\n"corp_sdk" = "Corp-SDK"\n\n[tool.pymono.severity]\nPM001 = "warning"\n\n[tool.pymono.per-package-ignores]\n"b" = ["PM001"]\n',
      'a/pyproject.toml': lib('a', []),
      'a/a/__init__.py': 'import corp_sdk\n',
      'b/pyproject.toml': lib('b', []),
      'b/b/__init__.py': 'import corp_sdk\n',
    });
    const { ws } = await load(root);
    const got = ws.findings();
    assert.deepEqual(brief(root, got), ['PM001 a/a/__init__.py:1 corp_sdk', 'PM008 pyproject.toml:2']);
    const pm001 = got.find((f) => f.code === 'PM001');
    assert.equal(pm001?.severity, 'warning');
    assert.equal(pm001?.distribution, 'corp-sdk');
  });
});
