import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { brief, load, writeTree } from './helpers/tree';

const uvRoot = `[tool.uv.workspace]
members = ["libs/*", "services/*"]
exclude = ["libs/legacy-*"]

[tool.uv.sources]
acme-log = { workspace = true }
acme-db = { workspace = true }

[dependency-groups]
dev = ["pytest>=8"]
`;

describe('workspace graph', () => {
  it('makes uv members from globs, honours exclude, and inherits root sources', async () => {
    const root = writeTree({
      'pyproject.toml': uvRoot,
      'libs/log/pyproject.toml': '[project]\nname = "acme-log"\nversion = "1.0.0"\ndependencies = ["structlog>=24"]\n',
      'libs/log/acme_log/__init__.py': 'import structlog\n',
      'libs/db/pyproject.toml': '[project]\nname = "acme_db"\nversion = "0.3.0"\ndependencies = []\n',
      'libs/db/acme_db/__init__.py': '',
      'libs/legacy-x/pyproject.toml': '[project]\nname = "legacy-x"\nversion = "0.1"\n',
      'services/api/pyproject.toml': '[project]\nname = "api"\nversion = "2.0.0"\ndependencies = ["acme-log", "Acme.DB>=0.3"]\n',
      'services/api/api/main.py': 'import acme_log\nimport acme_db\n',
    });
    const { ws } = await load(root);
    const api = ws.package('api');
    assert.ok(api);
    assert.equal(api.uvWorkspaceRoot, root);
    assert.equal(ws.package('legacy-x')?.uvWorkspaceRoot, undefined, 'excluded folder is not a member');
    assert.deepEqual(ws.dependencies('api').map((e) => e.to).sort(), ['acme-db', 'acme-log']);
    assert.deepEqual(api.requirements.map((r) => r.source?.type), ['workspace', 'workspace'], 'root sources apply to members');
    assert.equal(api.kind, 'service');
    assert.equal(ws.package('acme-log')?.kind, 'library');
    assert.deepEqual(brief(root, ws.findings()), []);
  });

  it('reports root { workspace = true } sources that name no member, on their lines', async () => {
    const root = writeTree({
      'pyproject.toml': uvRoot,
      'services/api/pyproject.toml': '[project]\nname = "api"\nversion = "1"\ndependencies = [\n  "acme-log",\n]\n',
      'services/api/api/__init__.py': '',
    });
    const { ws } = await load(root);
    const pm008 = ws.findings().filter((f) => f.code === 'PM008');
    assert.deepEqual(pm008.map((f) => [path.relative(root, f.file), f.range.start.line]), [['pyproject.toml', 5], ['pyproject.toml', 6]]);
    assert.match(pm008[0].message, /no member of this workspace is named 'acme-log'/);
  });

  it('reports a Poetry path dependency to a missing folder and still uses the rest of the manifest', async () => {
    const root = writeTree({
      'svc/pyproject.toml': [
        '[tool.poetry]', 'name = "svc"', 'version = "0.1.0"', '', '[tool.poetry.dependencies]', 'python = "^3.11"',
        'shared = { path = "../shared", develop = true }', 'flask = "^3.0"', '',
      ].join('\n'),
      'svc/svc/app.py': 'import flask\nimport requests\n',
    });
    const { ws } = await load(root);
    const codes = brief(root, ws.findings());
    assert.ok(codes.includes('PM008 svc/pyproject.toml:7'), codes.join('\n'));
    assert.ok(codes.includes('PM001 svc/svc/app.py:2 requests'), codes.join('\n'));
    assert.ok(!codes.some((c) => c.includes('flask') && c.startsWith('PM001')));
  });

  it('resolves `-e ../base` in a requirements-only app to the internal package at that path', async () => {
    const root = writeTree({
      'base/pyproject.toml': '[project]\nname = "company-base"\nversion = "1.0"\ndependencies = ["requests"]\n',
      'base/company_base/__init__.py': 'import requests\n',
      'apps/report/requirements.txt': '-e ../../base\nflask==3.0.0\n',
      'apps/report/app.py': 'import flask\nimport company_base\nimport requests\n',
    });
    const { ws } = await load(root);
    assert.deepEqual(ws.dependencies('report').map((e) => e.to), ['company-base']);
    assert.equal(ws.package('report')?.kind, 'service');
    assert.equal(ws.package('report')?.format, 'requirements');
    assert.deepEqual(brief(root, ws.findings()), ['PM003 apps/report/app.py:3 requests']);
  });

  it('tells PEP 420 namespace portions apart: `from acme import b` needs acme-b declared', async () => {
    const root = writeTree({
      'libs/a/pyproject.toml': '[project]\nname = "acme-a"\nversion = "1"\n',
      'libs/a/src/acme/a/__init__.py': '',
      'libs/b/pyproject.toml': '[project]\nname = "acme-b"\nversion = "1"\n',
      'libs/b/acme/b/__init__.py': '',
      'services/s/pyproject.toml': '[project]\nname = "s"\nversion = "1"\ndependencies = ["acme-a"]\n',
      'services/s/s/main.py': 'from acme import a\nfrom acme import b\nimport acme.a.x\n',
    });
    const { ws } = await load(root);
    assert.deepEqual(ws.package('acme-a')?.modules, ['acme.a']);
    assert.deepEqual(ws.package('acme-b')?.modules, ['acme.b']);
    const found = ws.findings().filter((f) => f.code !== 'PM005');
    assert.deepEqual(brief(root, found), ['PM002 services/s/s/main.py:2 acme.b']);
    assert.equal(found[0].range.start.character, 17, 'the range is the imported name b');
  });

  it('treats a Dockerfile-only app as a service whose pip installs are its declarations (seed 001)', async () => {
    const root = writeTree({
      'shared/pyproject.toml': '[tool.poetry]\nname = "shared"\nversion = "0.1.0"\npackages = [{ include = "shared" }]\n',
      'shared/shared/utils.py': 'import logging\n',
      'apps/app-one/Dockerfile': 'FROM python:3.13.5-slim\nWORKDIR /app\nCOPY shared/ ./shared\nRUN pip install --no-cache-dir ./shared\nCOPY apps/app-one .\nRUN pip install flask\n',
      'apps/app-one/main.py': 'from flask import Flask\nimport logging\nfrom shared.utils import log_info\nimport redis\n',
    });
    const { ws } = await load(root);
    const app = ws.package('app-one');
    assert.equal(app?.format, 'dockerfile');
    assert.equal(app?.kind, 'service');
    assert.deepEqual(ws.dependencies('app-one').map((e) => e.to), ['shared']);
    assert.deepEqual(brief(root, ws.findings()), ['PM001 apps/app-one/main.py:4 redis']);
  });

  it('skips .venv, gitignored folders and cookiecutter templates, and survives a symlink loop', async () => {
    const root = writeTree({
      '.gitignore': 'generated/\n',
      'pkg/pyproject.toml': '[project]\nname = "pkg"\nversion = "1"\n',
      'pkg/pkg/__init__.py': '',
      'pkg/.venv/lib/python3.11/site-packages/x/__init__.py': 'import nothing_here\n',
      'pkg/generated/bad.py': 'import nothing_here\n',
      'pkg/{{cookiecutter.name}}/x.py': 'import nothing_here\n',
    });
    fs.symlinkSync(path.join(root, 'pkg'), path.join(root, 'pkg', 'loop'));
    const { ws } = await load(root);
    assert.deepEqual(ws.filesOf('pkg').map((f) => path.relative(root, f)), [path.join('pkg', 'pkg', '__init__.py')]);
    assert.ok(ws.skipped().some((s) => s.file.endsWith('loop') && /symlink loop/.test(s.reason)));
    assert.deepEqual(ws.findings(), []);
  });
});
