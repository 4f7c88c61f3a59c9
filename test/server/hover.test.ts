/**
 * Hovers over real LSP on a copy of examples/monorepo: internal imports (declared and not), third-party imports
 * (with the mapping reason and the Single Version Policy view), dependency entries of pyproject.toml and
 * requirements files, an open document's unsaved text, and nothing on the standard library.
 */
import * as assert from 'node:assert/strict';
import { HoverRequest, type Hover } from 'vscode-languageserver-protocol';
import { type LspClient, uriOf } from './lspClient';
import { at, hoverText, positionOf, useExampleServer } from './editorFixture';

/** The JSON args of a `command:<id>?<args>` link in `md`. */
function commandArgs(md: string, id: string): unknown {
  const m = new RegExp(`\\(command:${id.replace('.', '\\.')}\\?([^)]*)\\)`).exec(md);
  assert.ok(m, `no ${id} link in:\n${md}`);
  return JSON.parse(decodeURIComponent(m[1]));
}

describe('hover (LSP, examples/monorepo)', function () {
  let s: LspClient | undefined;
  let root = '';

  useExampleServer((server, r) => {
    s = server;
    root = r;
  });

  async function hover(rel: string, needle: string, offset = 0, nth = 0): Promise<Hover | null> {
    const file = at(root, rel);
    return (s as LspClient).connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(file) }, position: positionOf(file, needle, offset, nth) });
  }

  it('shows an internal library on any segment of a declared import: version, description, path, declaration, dependents, links', async () => {
    const h = await hover('services/orders-api/src/orders_api/events.py', 'acme.telemetry.logging', 5);
    assert.ok(h);
    const md = hoverText(h.contents);
    assert.match(md, /^\*\*acme-telemetry\*\* `1\.3\.0` — internal library/);
    assert.ok(md.includes('Structured logging and lightweight tracing shared by every acme service.'), md);
    assert.ok(md.includes('Path: `libs/telemetry` · provides `acme.telemetry`'), md);
    assert.ok(md.includes('`orders-api` declares `acme-telemetry`:\n- `acme-telemetry` — workspace source `{ workspace = true }`; runtime in `services/orders-api/pyproject.toml`'), md);
    assert.ok(md.includes('Used by (direct): `mq-client`, `orders-api`'), md);
    assert.deepEqual(commandArgs(md, 'pymono.openManifest'), [{ uri: uriOf(at(root, 'libs/telemetry/pyproject.toml')) }]);
    assert.deepEqual(commandArgs(md, 'pymono.openSource'), [{ uri: uriOf(at(root, 'libs/telemetry/src/acme/telemetry/logging.py')) }]);
    // The range is the whole dotted module.
    const line = positionOf(at(root, 'services/orders-api/src/orders_api/events.py'), 'acme.telemetry.logging').line;
    assert.deepEqual(h.range, { start: { line, character: 5 }, end: { line, character: 27 } });
    // The first segment (the PEP 420 namespace `acme`) hovers the same library.
    const first = await hover('services/orders-api/src/orders_api/events.py', 'acme.telemetry.logging', 1);
    assert.match(hoverText(first?.contents), /^\*\*acme-telemetry\*\*/);
  });

  it('says an internal import is not declared, with the PM002 finding', async () => {
    const h = await hover('services/billing-worker/billing_worker/consumer.py', 'acme.telemetry.logging', 16);
    const md = hoverText(h?.contents);
    assert.match(md, /^\*\*acme-telemetry\*\*/);
    assert.ok(md.includes("**Not declared** by `billing-worker`. `PM002`: 'acme.telemetry.logging' belongs to internal package 'acme-telemetry'"), md);
  });

  it('explains a third-party import that is not declared: distribution, mapping reason and the PM001 finding', async () => {
    const h = await hover('services/orders-api/src/orders_api/inventory.py', 'import requests', 9);
    assert.ok(h);
    const md = hoverText(h.contents);
    assert.match(md, /^\*\*requests\*\* — third-party distribution/);
    assert.ok(md.includes('`requests` maps to `requests` by its PEP 503 name (`requests`).'), md);
    assert.ok(md.includes("**Not declared** by `orders-api`. `PM001`: 'requests' comes from 'requests'"), md);
    assert.ok(md.includes('No other package declares it.'), md);
    assert.deepEqual(h.range, { start: { line: 4, character: 7 }, end: { line: 4, character: 15 } });
  });

  it('names the config mapping as the reason, and the transitive declarer for PM003', async () => {
    const flags = hoverText((await hover('services/orders-api/src/orders_api/flags.py', 'import acme_flags', 8))?.contents);
    assert.ok(flags.includes('`acme_flags` maps to `acme-feature-flags` by `[tool.pymono.mapping]` (`acme_flags`).'), flags);
    assert.ok(flags.includes('`orders-api` declares `acme-feature-flags`:\n- `acme-feature-flags>=3.2` — version `>=3.2`; runtime'), flags);
    const pika = hoverText((await hover('services/orders-api/src/orders_api/events.py', 'pika.exceptions', 1))?.contents);
    assert.ok(pika.includes('`PM003`'), pika);
    assert.ok(pika.includes('Declared by 1 other package:\n- `mq-client`: `>=1.3,<2`'), pika);
    assert.ok(pika.includes('✓ Single Version Policy: one specifier (`>=1.3,<2`)'), pika);
  });

  it('shows who else declares a third-party dependency entry, highlighting differing specifiers', async () => {
    const h = await hover('services/orders-api/pyproject.toml', '"pydantic>=2.6"', 3);
    assert.ok(h);
    const md = hoverText(h.contents);
    assert.match(md, /^\*\*pydantic\*\* — third-party distribution/);
    assert.ok(md.includes('`orders-api` declares `pydantic`:\n- `pydantic>=2.6` — version `>=2.6`; runtime in `services/orders-api/pyproject.toml`'), md);
    assert.ok(md.includes('Declared by 2 other packages:\n- `acme-models`: **`>=2.5,<3`** ≠\n- `notifications`: **`^1.10`** ≠'), md);
    assert.ok(md.includes('⚠ Single Version Policy: 3 different specifiers (`>=2.6`, `>=2.5,<3`, `^1.10`)'), md);
    const line = positionOf(at(root, 'services/orders-api/pyproject.toml'), '"pydantic>=2.6"').line;
    assert.deepEqual(h.range, { start: { line, character: 4 }, end: { line, character: 19 } });
  });

  it('shows the library behind an internal dependency entry, with the uv root source it inherits', async () => {
    const md = hoverText((await hover('services/orders-api/pyproject.toml', '"acme-telemetry"', 2))?.contents);
    assert.match(md, /^\*\*acme-telemetry\*\* `1\.3\.0`/);
    assert.ok(md.includes('workspace source `{ workspace = true }`'), md);
    assert.ok(md.includes('Used by (direct): `mq-client`, `orders-api`'), md);
  });

  it('shows the library behind a requirements `-e ../x` line and a Poetry path entry', async () => {
    const req = hoverText((await hover('apps/reports/requirements.txt', '-e ../../libs/models', 4))?.contents);
    assert.match(req, /^\*\*acme-models\*\* `2\.1\.0`/);
    assert.ok(req.includes('- `-e ../../libs/models` — path `../../libs/models` (editable); runtime in `apps/reports/requirements.txt`'), req);
    const poetry = hoverText((await hover('legacy/auth-helpers/pyproject.toml', 'shared-utils = {', 2))?.contents);
    assert.match(poetry, /^\*\*shared-utils\*\* `0\.6\.0` — internal library/);
    assert.ok(poetry.includes('path `../shared-utils` (editable); runtime'), poetry);
  });

  it('answers from the open document before it is re-analysed, and says nothing on the standard library', async () => {
    const file = at(root, 'services/orders-api/src/orders_api/inventory.py');
    await (s as LspClient).open(file, 'import yaml\nimport os\n');
    const yaml = await (s as LspClient).connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(file) }, position: { line: 0, character: 8 } });
    const md = hoverText(yaml?.contents);
    assert.match(md, /^\*\*pyyaml\*\* — third-party distribution/);
    assert.ok(md.includes("by pymono's curated table (`yaml`)"), md);
    const os = await (s as LspClient).connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(file) }, position: { line: 1, character: 8 } });
    assert.equal(os, null);
  });
});
