import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { brief, load, writeTree } from './helpers/tree';

describe('bad input: located findings or logged skips, and the rest is analysed', () => {
  it('skips a 20 MB file, a binary file and an undeclared non-UTF-8 file with their reasons', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 'x = 1\n');
    const root = writeTree({
      'svc/pyproject.toml': '[project]\nname = "svc"\nversion = "1"\ndependencies = []\n',
      'svc/svc/huge.py': big,
      'svc/svc/blob.py': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a, 0x0a, 0x69, 0x6d]),
      'svc/svc/latin1.py': Buffer.from('# caf\xe9\nimport requests\n', 'latin1'),
      'svc/svc/ok.py': 'import httpx\n',
      'svc/svc/declared.py': Buffer.from('# -*- coding: latin-1 -*-\n"caf\xe9"\nimport chardet\n', 'latin1'),
    });
    const { ws, host } = await load(root);
    const reasons = new Map(ws.skipped().map((s) => [path.basename(s.file), s.reason]));
    assert.match(reasons.get('huge.py') ?? '', /larger than/);
    assert.match(reasons.get('blob.py') ?? '', /binary/);
    assert.match(reasons.get('latin1.py') ?? '', /UTF-8/);
    assert.deepEqual(brief(root, ws.findings()), ['PM001 svc/svc/declared.py:3 chardet', 'PM001 svc/svc/ok.py:1 httpx'], 'a PEP 263 declaration is honoured');
    assert.ok(host.logs.some((l) => l.includes('huge.py')), 'the skip is logged');
  });

  it('reports malformed TOML at its line while the other packages still report', async () => {
    const root = writeTree({
      'a/pyproject.toml': '[project]\nname = "a"\nversion = "1"\ndependencies = [\n  "requests",\n  "flask"\n\n[tool.x]\n',
      'a/a/__init__.py': 'import requests\n',
      'b/pyproject.toml': '[project]\nname = "b"\nversion = "1"\ndependencies = ["pkg=={{ version }}", "flask"]\n',
      'b/b/__init__.py': 'import flask\nimport redis\n',
    });
    const { ws } = await load(root);
    const got = brief(root, ws.findings());
    assert.ok(got.some((g) => /^PM008 a\/pyproject.toml:(7|8)$/.test(g)), got.join('\n'));
    assert.ok(got.includes('PM008 b/pyproject.toml:4'), got.join('\n'));
    assert.ok(got.includes('PM001 b/b/__init__.py:2 redis'), got.join('\n'));
    const placeholder = ws.findings().find((f) => f.code === 'PM008' && f.file.endsWith(path.join('b', 'pyproject.toml')));
    assert.equal(placeholder?.range.start.character, 16);
    assert.match(placeholder?.message ?? '', /\{\{ version \}\}/);
  });

  it('reports two packages with the same normalized name on both manifests', async () => {
    const root = writeTree({
      'one/pyproject.toml': '[project]\nname = "Acme_Utils"\nversion = "1"\n',
      'one/acme_utils/__init__.py': '',
      'two/pyproject.toml': '[project]\nname = "acme.utils"\nversion = "2"\n',
      'two/acme_utils2/__init__.py': '',
    });
    const { ws } = await load(root);
    assert.deepEqual(brief(root, ws.findings()), ['PM008 one/pyproject.toml:2', 'PM008 two/pyproject.toml:2']);
    assert.equal(ws.packages().length, 2);
  });
});
