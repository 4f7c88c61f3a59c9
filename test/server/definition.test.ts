/**
 * Go to Definition and document links over real LSP on a copy of examples/monorepo (no venv anywhere): internal
 * imports land in the library's module file, or on the line of an imported name (following `__init__.py`
 * re-exports); manifest entries, uv workspace sources, Poetry paths and requirements `-e` lines lead to the
 * member's pyproject.toml.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DefinitionRequest, DocumentLinkRequest, type Location, type Position } from 'vscode-languageserver-protocol';
import { type LspClient, uriOf } from './lspClient';
import { at, positionOf, useExampleServer } from './editorFixture';

describe('definition and document links (LSP, examples/monorepo)', function () {
  let s: LspClient | undefined;
  let root = '';

  useExampleServer((server, r) => {
    s = server;
    root = r;
  });

  async function definitionAt(rel: string, position: Position): Promise<Location | null> {
    const r = await (s as LspClient).connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: uriOf(at(root, rel)) }, position });
    assert.ok(r === null || !Array.isArray(r), 'a single Location');
    return r as Location | null;
  }

  async function definition(rel: string, needle: string, offset = 0): Promise<Location | null> {
    return definitionAt(rel, positionOf(at(root, rel), needle, offset));
  }

  /** The Location of the first `needle` in a library file, `offset` characters in, `length` long. */
  function expectedAt(rel: string, needle: string, offset: number, length: number): Location {
    const p = positionOf(at(root, rel), needle, offset);
    return { uri: uriOf(at(root, rel)), range: { start: p, end: { line: p.line, character: p.character + length } } };
  }

  const fileStart = (rel: string): Location => ({ uri: uriOf(at(root, rel)), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });

  it('lands on the module-level definition of an imported name', async () => {
    const loc = await definition('services/orders-api/src/orders_api/events.py', 'import get_logger', 9);
    assert.deepEqual(loc, expectedAt('libs/telemetry/src/acme/telemetry/logging.py', 'def get_logger', 4, 'get_logger'.length));
  });

  it('follows a re-export of the package __init__.py to the defining submodule', async () => {
    const loc = await definition('services/orders-api/src/orders_api/events.py', 'import Publisher', 9);
    assert.deepEqual(loc, expectedAt('libs/mq-client/mq_client/publisher.py', 'class Publisher', 6, 'Publisher'.length));
  });

  it('opens the module of the clicked segment, never shallower than the library', async () => {
    const rel = 'services/orders-api/src/orders_api/events.py';
    assert.deepEqual(await definition(rel, 'acme.telemetry.logging', 17), fileStart('libs/telemetry/src/acme/telemetry/logging.py'));
    assert.deepEqual(await definition(rel, 'acme.telemetry.logging', 7), fileStart('libs/telemetry/src/acme/telemetry/__init__.py'));
    assert.deepEqual(await definition(rel, 'acme.telemetry.logging', 1), fileStart('libs/telemetry/src/acme/telemetry/__init__.py'));
    // An undeclared import (PM002) navigates all the same.
    assert.deepEqual(await definition('services/billing-worker/billing_worker/consumer.py', 'acme.models.invoices', 15), fileStart('libs/models/acme/models/invoices.py'));
  });

  it('resolves from the open document text: `from package import name` through __init__.py, and a submodule name', async () => {
    const file = at(root, 'services/orders-api/src/orders_api/main.py');
    const text = 'from acme.telemetry import get_logger\nfrom acme.telemetry import tracing\n';
    await (s as LspClient).open(file, text);
    const rel = 'services/orders-api/src/orders_api/main.py';
    assert.deepEqual(await definitionAt(rel, { line: 0, character: 30 }), expectedAt('libs/telemetry/src/acme/telemetry/logging.py', 'def get_logger', 4, 'get_logger'.length));
    assert.deepEqual(await definitionAt(rel, { line: 1, character: 30 }), fileStart('libs/telemetry/src/acme/telemetry/tracing.py'));
  });

  it('answers nothing on third-party and standard-library imports', async () => {
    assert.equal(await definition('services/orders-api/src/orders_api/inventory.py', 'import requests', 9), null);
    assert.equal(await definition('services/orders-api/src/orders_api/inventory.py', 'import os', 8), null);
  });

  it('goes from dependency entries, uv workspace sources, Poetry paths and -e lines to the member pyproject.toml', async () => {
    assert.deepEqual(await definition('services/orders-api/pyproject.toml', '"acme-telemetry"', 3), fileStart('libs/telemetry/pyproject.toml'));
    assert.deepEqual(await definition('pyproject.toml', 'mq-client = { workspace = true }', 2), fileStart('libs/mq-client/pyproject.toml'));
    assert.deepEqual(await definition('legacy/auth-helpers/pyproject.toml', '"../shared-utils"', 4), fileStart('legacy/shared-utils/pyproject.toml'));
    assert.deepEqual(await definition('apps/reports/requirements.txt', '-e ../../libs/models', 8), fileStart('libs/models/pyproject.toml'));
    assert.equal(await definition('services/orders-api/pyproject.toml', '"fastapi>=0.110"', 3), null);
  });

  it('links every internal entry of a manifest to its member, and nothing else', async () => {
    const links = async (rel: string): Promise<string[]> => {
      const file = at(root, rel);
      const lines = readFileSync(file, 'utf8').split(/\r?\n/);
      const got = await (s as LspClient).connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: uriOf(file) } });
      return (got ?? []).map((l) => {
        const text = lines[l.range.start.line].slice(l.range.start.character, l.range.end.character);
        return `${text} -> ${path.relative(root, decodeURIComponent(new URL(l.target ?? '').pathname))}`;
      });
    };
    assert.deepEqual(await links('pyproject.toml'), [
      'acme-telemetry -> libs/telemetry/pyproject.toml',
      'acme-models -> libs/models/pyproject.toml',
      'mq-client -> libs/mq-client/pyproject.toml',
    ]);
    assert.deepEqual(await links('legacy/auth-helpers/pyproject.toml'), [
      'shared-utils -> legacy/shared-utils/pyproject.toml',
      '"../shared-utils" -> legacy/shared-utils/pyproject.toml',
    ]);
    assert.deepEqual(await links('services/orders-api/pyproject.toml'), [
      '"acme-models" -> libs/models/pyproject.toml',
      '"acme-telemetry" -> libs/telemetry/pyproject.toml',
      '"mq-client" -> libs/mq-client/pyproject.toml',
    ]);
    assert.deepEqual(await links('apps/reports/requirements.txt'), ['-e ../../libs/models -> libs/models/pyproject.toml']);
  });
});
