/**
 * Hover Markdown (core/hoverContent.ts) from plain facts, and the facts gathered from a real workspace
 * (core/hoverFacts.ts) on a copy of examples/monorepo.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  commandUri,
  describeDeclaration,
  internalHoverMarkdown,
  reasonText,
  thirdPartyHoverMarkdown,
} from '../../server/src/core/hoverContent';
import { classifyImport, importHover } from '../../server/src/core/hoverFacts';
import { importAt } from '../../server/src/core/entryAt';
import type { DeclaredRequirement, PackageInfo } from '../../server/src/core/model';
import { copyTree, load, REPO } from './helpers/tree';

const ROOT = '/repo';

function pkg(over: Partial<PackageInfo> & { name: string }): PackageInfo {
  const id = over.name.toLowerCase();
  return {
    id, root: `${ROOT}/libs/${id}`, manifest: `${ROOT}/libs/${id}/pyproject.toml`, manifestFiles: [`${ROOT}/libs/${id}/pyproject.toml`],
    format: 'pep621', kind: 'library', kindReason: 'libs/*', requirements: [], scripts: {}, modules: [id.replace(/-/g, '_')],
    sourceRoots: [`${ROOT}/libs/${id}`], virtual: false, ...over,
  };
}

function req(name: string, specifier: string, over: Partial<DeclaredRequirement> = {}): DeclaredRequirement {
  return {
    name, normalized: name.toLowerCase(), specifier, extras: [], kind: 'runtime', file: `${ROOT}/services/api/pyproject.toml`,
    range: { start: { line: 5, character: 4 }, end: { line: 5, character: 6 + name.length + specifier.length } }, raw: `"${name}${specifier}"`, ...over,
  };
}

describe('hover markdown', () => {
  it('builds command links whose args decode to [{ uri }] with the file URI percent-encoded', () => {
    const link = commandUri('pymono.openManifest', '/repo/my libs/x/pyproject.toml');
    assert.match(link, /^command:pymono\.openManifest\?%5B%7B%22uri%22/);
    assert.deepEqual(JSON.parse(decodeURIComponent(link.slice(link.indexOf('?') + 1))), [{ uri: 'file:///repo/my%20libs/x/pyproject.toml' }]);
  });

  it('renders a declared internal library: title, description, path, declaration, dependents and both links', () => {
    const lib = pkg({ name: 'acme-telemetry', version: '1.3.0', description: 'Structured logging', modules: ['acme.telemetry'] });
    const md = internalHoverMarkdown({
      library: lib,
      root: ROOT,
      module: 'acme.telemetry.logging',
      declarer: { name: 'api', declarations: [req('acme-telemetry', '', { source: { type: 'workspace' }, raw: '"acme-telemetry"' })] },
      dependents: [{ name: 'api', kind: 'runtime' }, { name: 'worker', kind: 'dev', group: 'test' }],
      sourceFile: `${ROOT}/libs/acme-telemetry/acme/telemetry/logging.py`,
    });
    assert.equal(
      md,
      [
        '**acme-telemetry** `1.3.0` — internal library',
        'Structured logging',
        'Path: `libs/acme-telemetry` · provides `acme.telemetry`',
        '`api` declares `acme-telemetry`:\n- `"acme-telemetry"` — workspace source `{ workspace = true }`; runtime in `services/api/pyproject.toml`',
        'Used by (direct): `api`, `worker` (dev, group `test`)',
        `[Open manifest](${commandUri('pymono.openManifest', lib.manifest)}) · [Open source](${commandUri('pymono.openSource', `${ROOT}/libs/acme-telemetry/acme/telemetry/logging.py`)})`,
      ].join('\n\n'),
    );
  });

  it('says "Not declared" with the finding, and "no package" when nothing depends on the library', () => {
    const md = internalHoverMarkdown({
      library: pkg({ name: 'shared' }),
      root: ROOT,
      declarer: { name: 'api', declarations: [], finding: { code: 'PM002', message: "'shared' belongs to internal package 'shared'" } },
      dependents: [],
    });
    assert.ok(md.includes("**Not declared** by `api`. `PM002`: 'shared' belongs to internal package 'shared'"), md);
    assert.ok(md.includes('Used by (direct): no package'), md);
    assert.ok(!md.includes('Open source'), 'no source link without a source file');
  });

  it('escapes Markdown in free text and fences code that contains backticks', () => {
    const md = internalHoverMarkdown({ library: pkg({ name: 'x', description: 'Uses *stars* and [links](y) and `ticks`' }), root: ROOT, dependents: [] });
    assert.ok(md.includes('Uses \\*stars\\* and \\[links\\](y) and \\`ticks\\`'), md);
    assert.equal(describeDeclaration(req('x', '', { source: { type: 'git', url: 'https://h/`x`.git' } })), 'git ``https://h/`x`.git``; runtime');
  });

  it('describes each way of declaring a requirement', () => {
    assert.equal(describeDeclaration(req('a', '>=1,<2', { extras: ['s3'], marker: 'python_version < "3.12"' })), 'version `>=1,<2`, extras `s3`, marker `python_version < "3.12"`; runtime');
    assert.equal(
      describeDeclaration(req('b', '', { source: { type: 'path', path: `${ROOT}/libs/b`, editable: true } })),
      'path `../../libs/b` (editable); runtime',
    );
    assert.equal(describeDeclaration(req('c', '', { kind: 'dev', group: 'test' })), 'any version; dev, group `test`');
    assert.equal(describeDeclaration(req('d', '^1.2', { kind: 'optional', group: 'aws' })), 'version `^1.2`; optional, extra `aws`');
  });

  it('explains every mapping reason', () => {
    assert.equal(reasonText({ distributions: ['acme-flags'], reason: 'config', matchedModule: 'acme_flags', detail: 'pymono.mapping' }), 'by `[tool.pymono.mapping]` (`acme_flags`)');
    assert.equal(reasonText({ distributions: ['pyyaml'], reason: 'venv', matchedModule: 'yaml', detail: '/r/.venv/lib/site-packages' }), 'by installed metadata in `/r/.venv/lib/site-packages`');
    assert.equal(reasonText({ distributions: ['pillow'], reason: 'table', matchedModule: 'PIL', detail: 'curated table' }), "by pymono's curated table (`PIL`)");
    assert.equal(
      reasonText({ distributions: ['google-cloud-bigquery'], reason: 'namespace', matchedModule: 'google.cloud.bigquery', detail: 'namespace google.cloud' }),
      'by the namespace rule (namespace google.cloud)',
    );
    assert.equal(reasonText({ distributions: ['requests'], reason: 'name', matchedModule: 'requests' }), 'by its PEP 503 name (`requests`)');
  });

  it('marks the specifiers that differ from the current package’s own (Single Version Policy)', () => {
    const md = thirdPartyHoverMarkdown({
      distribution: 'pydantic',
      root: ROOT,
      module: 'pydantic',
      match: { distributions: ['pydantic'], reason: 'name', matchedModule: 'pydantic' },
      declarer: { name: 'api', declarations: [req('pydantic', '>=2.6')] },
      others: [
        { name: 'models', requirements: [req('pydantic', '>=2.6')] },
        { name: 'legacy', requirements: [req('pydantic', '^1.10', { kind: 'dev', group: 'dev' })] },
      ],
      installedVersion: '2.7.1',
    });
    assert.equal(
      md,
      [
        '**pydantic** — third-party distribution · installed `2.7.1`',
        '`pydantic` maps to `pydantic` by its PEP 503 name (`pydantic`).',
        '`api` declares `pydantic`:\n- `"pydantic>=2.6"` — version `>=2.6`; runtime in `services/api/pyproject.toml`',
        'Declared by 2 other packages:\n- `models`: `>=2.6`\n- `legacy`: **`^1.10`** ≠ (dev, group `dev`)',
        '⚠ Single Version Policy: 2 different specifiers (`>=2.6`, `^1.10`)',
      ].join('\n\n'),
    );
  });

  it('compares with the most used specifier when the current package does not declare it, and says when one specifier rules', () => {
    const others = [
      { name: 'a', requirements: [req('requests', '>=2.31')] },
      { name: 'b', requirements: [req('requests', '>=2.31')] },
      { name: 'c', requirements: [req('requests', '>=2.0')] },
    ];
    const md = thirdPartyHoverMarkdown({ distribution: 'requests', root: ROOT, declarer: { name: 'api', declarations: [] }, others });
    assert.ok(md.includes('- `a`: `>=2.31`\n- `b`: `>=2.31`\n- `c`: **`>=2.0`** ≠'), md);
    const same = thirdPartyHoverMarkdown({ distribution: 'requests', root: ROOT, others: others.slice(0, 2) });
    assert.ok(same.endsWith('✓ Single Version Policy: one specifier (`>=2.31`)'), same);
    const alone = thirdPartyHoverMarkdown({ distribution: 'requests', root: ROOT, others: [], importNames: ['requests'] });
    assert.equal(alone, '**requests** — third-party distribution\n\nProvides `requests`\n\nNo other package declares it.');
  });
});

describe('hover facts from a workspace (examples/monorepo)', () => {
  let root = '';
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('classifies imports as the rules do: stdlib and own code give nothing, internal and third-party give hovers', async () => {
    root = copyTree(path.join(REPO, 'examples', 'monorepo'));
    const { ws, host } = await load(root);
    try {
      const file = path.join(root, 'services/orders-api/src/orders_api/main.py');
      const scan = ws.scanOf(file);
      assert.ok(scan);
      const ctx = ws.context();
      const owner = ws.ownerOf(file);
      const kindAt = (line: number, character: number): string | undefined => {
        const hit = importAt(scan, { line, character });
        assert.ok(hit, `an import at ${line}:${character}`);
        const t = classifyImport(ctx, owner, file, hit);
        return t && (t.kind === 'internal' ? `internal ${t.library.id} ${t.module}` : `third-party ${t.distribution} ${t.match.reason}`);
      };
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      const lineOf = (prefix: string): number => lines.findIndex((l) => l.trimStart().startsWith(prefix));
      assert.equal(kindAt(lineOf('from fastapi import'), 6), 'third-party fastapi name');
      assert.equal(kindAt(lineOf('from acme.telemetry.logging'), 8), 'internal acme-telemetry acme.telemetry.logging');
      assert.equal(kindAt(lineOf('from orders_api import'), 10), undefined, 'own code');
      const events = path.join(root, 'services/orders-api/src/orders_api/events.py');
      const osHit = importAt(ws.scanOf(events) ?? { imports: [], problems: [] }, { line: 2, character: 8 });
      assert.equal(osHit?.module, 'os');
      assert.equal(classifyImport(ctx, ws.ownerOf(events), events, osHit), undefined, 'standard library');
      // On an imported name, the hover is about the module it comes from.
      const hit = importAt(scan, { line: lineOf('from acme.models.orders'), character: 32 });
      assert.equal(hit?.name, 'Order');
      const target = hit && classifyImport(ctx, owner, file, hit);
      assert.equal(target?.kind === 'internal' && target.module, 'acme.models.orders');
      const md = hit && target ? importHover(ws, file, hit, target) : '';
      assert.match(md, /^\*\*acme-models\*\* `2\.1\.0` — internal library/);
      assert.ok(md.includes('Used by (direct): `billing-worker`, `mq-client` (dev, group `dev`), `orders-api`, `reports`'), md);
    } finally {
      await host.dispose();
    }
  });
});
