/**
 * The example monorepo over real LSP: every finding listed in examples/monorepo/expected-findings.json is
 * published (and nothing else), and declaring a dependency in an open manifest clears exactly its finding.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphSnapshotRequest } from '../../server/src/protocol';
import { ensureBuilt, type LspClient, REPO, startServer, uriOf } from './lspClient';

/** One entry of expected-findings.json: `line` is 1-based, `path` POSIX relative to the example root. */
interface Expected {
  code: string;
  path: string;
  line: number;
  module?: string;
  distribution?: string;
}

function readExpected(): Expected[] {
  const raw: unknown = JSON.parse(readFileSync(path.join(REPO, 'examples', 'monorepo', 'expected-findings.json'), 'utf8'));
  assert.ok(Array.isArray(raw), 'expected-findings.json is an array');
  return raw.map((e: unknown) => {
    const o = e as Record<string, unknown>;
    assert.ok(typeof o.code === 'string' && typeof o.path === 'string' && typeof o.line === 'number', JSON.stringify(e));
    return o as unknown as Expected;
  });
}

/** `code path:line` keys of everything the server currently shows (the last publication per URI). */
function shown(s: LspClient, root: string): string[] {
  const last = new Map<string, string[]>();
  for (const p of s.published) {
    const rel = path.relative(root, fileURLToPath(p.uri)).split(path.sep).join('/');
    last.set(rel, p.diagnostics.map((d) => `${String(d.code)} ${rel}:${d.range.start.line + 1}`));
  }
  return [...last.values()].flat().sort();
}

describe('language server on examples/monorepo', function () {
  let server: LspClient | undefined;
  let root = '';

  before(() => ensureBuilt());
  beforeEach(() => {
    root = path.join(realpathSync(mkdtempSync(path.join(os.tmpdir(), 'pymono-example-'))), 'monorepo');
    cpSync(path.join(REPO, 'examples', 'monorepo'), root, { recursive: true });
  });
  afterEach(() => {
    server?.kill();
    server = undefined;
    rmSync(path.dirname(root), { recursive: true, force: true });
  });

  it('publishes exactly the findings of expected-findings.json', async () => {
    const s = (server = startServer());
    await s.initialize([root]);
    const expected = readExpected();
    assert.deepEqual(shown(s, root), expected.map((e) => `${e.code} ${e.path}:${e.line}`).sort());
    // The fix data of an undeclared import names the manifest to edit and the distribution to add.
    for (const e of expected.filter((x) => x.code === 'PM001')) {
      const d = s.latest(path.join(root, ...e.path.split('/')))?.find((x) => x.code === 'PM001' && x.range.start.line === e.line - 1);
      const data = d?.data as { distribution?: string; manifest?: string } | undefined;
      assert.ok(data?.manifest?.endsWith('pyproject.toml') || data?.manifest?.endsWith('.txt'), JSON.stringify(d));
      if (e.distribution) assert.equal(data?.distribution, e.distribution);
    }
  });

  it('clears the undeclared import of orders-api when its open pyproject declares it, touching no other file', async () => {
    const s = (server = startServer());
    await s.initialize([root]);
    const pm001 = readExpected().find((e) => e.code === 'PM001');
    assert.ok(pm001, 'the example has a PM001');
    const importing = path.join(root, ...pm001.path.split('/'));
    const d = s.latest(importing)?.find((x) => x.code === 'PM001');
    const data = d?.data as { manifest: string; requirement?: string; distribution: string } | undefined;
    assert.ok(data, 'PM001 carries fix data');
    const manifestText = readFileSync(data.manifest, 'utf8');
    const at = manifestText.indexOf('dependencies = [');
    assert.ok(at >= 0, `${data.manifest} has a dependencies array`);
    const line = manifestText.slice(0, at).split('\n').length; // the line after `dependencies = [` (0-based)
    await s.open(data.manifest, manifestText);
    const since = s.mark();
    await s.change(data.manifest, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: `    "${data.requirement ?? data.distribution}",\n` }]);
    const p = await s.nextDiagnosticsFor(importing, since);
    assert.deepEqual(p.diagnostics.filter((x) => x.code === 'PM001').map((x) => x.range.start.line), []);
    await s.connection.sendRequest(GraphSnapshotRequest);
    // Only the importing file changed; the manifest itself may be republished only if its own findings moved
    // (its line numbers shift by one below the insertion).
    const touched = new Set(s.published.slice(since).map((x) => x.uri));
    touched.delete(uriOf(importing));
    touched.delete(uriOf(data.manifest));
    assert.deepEqual([...touched], []);
  });
});
