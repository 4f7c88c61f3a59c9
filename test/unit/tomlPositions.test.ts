import * as assert from 'node:assert/strict';
import type { Range } from '../../server/src/core/model';
import type { TomlPath } from '../../server/src/core/manifests/tomlPositions';
import { indexTomlPositions } from '../../server/src/core/manifests/tomlPositions';
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };

// smol-toml's types are ESM; its CommonJS build is what `require` loads here (see pyproject.ts).
const smol: typeof SmolToml = require('smol-toml');

/** Every leaf (non-table, non-array) value of a parsed document with its path. */
function leaves(value: unknown, path: TomlPath = []): { path: TomlPath; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v: unknown, i) => leaves(v, [...path, i]));
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [{ path, value }];
}

function r(line: number, character: number, endLine: number, endCharacter: number): Range {
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

const PEP621 = [
  '[project]', // 0
  'name = "orders-api"', // 1
  'dependencies = [', // 2
  '    "fastapi>=0.110",  # web framework', // 3
  "    'acme-core',", // 4
  '    # "commented-out>=1",', // 5
  '    "httpx[http2]>=0.27 ; python_version >= \\"3.11\\"",', // 6
  ']', // 7
  '', // 8
  '[project.optional-dependencies]', // 9
  'dev = ["pytest>=8", "ruff",]', // 10
].join('\n');

describe('tomlPositions', () => {
  it('records each array element of a multi-line array with its quotes, skipping comments', () => {
    const pos = indexTomlPositions(PEP621);
    assert.deepEqual(pos.valueRange(['project', 'dependencies', 0]), r(3, 4, 3, 20));
    assert.deepEqual(pos.valueRange(['project', 'dependencies', 1]), r(4, 4, 4, 15));
    assert.deepEqual(pos.valueRange(['project', 'dependencies', 2]), r(6, 4, 6, 53));
    assert.equal(pos.valueRange(['project', 'dependencies', 3]), undefined);
    assert.deepEqual(pos.valueRange(['project', 'dependencies']), r(2, 15, 7, 1));
    assert.deepEqual(pos.keyRange(['project', 'dependencies']), r(2, 0, 2, 12));
  });

  it('handles a trailing comma and a table header path', () => {
    const pos = indexTomlPositions(PEP621);
    assert.deepEqual(pos.valueRange(['project', 'optional-dependencies', 'dev', 1]), r(10, 20, 10, 26));
    assert.deepEqual(pos.tableHeaderRange(['project', 'optional-dependencies']), r(9, 0, 9, 31));
    assert.deepEqual(pos.tableHeaderRange(['project']), r(0, 0, 0, 9));
  });

  it('gives a header table a value range that ends at its last value (the append point)', () => {
    const pos = indexTomlPositions(PEP621);
    assert.deepEqual(pos.valueRange(['project']), r(0, 0, 7, 1));
    assert.deepEqual(pos.valueRange(['project', 'optional-dependencies']), r(9, 0, 10, 28));
  });

  it('records keys and values inside inline tables, and whole entries', () => {
    const text = '[tool.poetry.dependencies]\npython = "^3.11"\nacme-core = { path = "../../libs/core", develop = true }\n';
    const pos = indexTomlPositions(text);
    const dep = ['tool', 'poetry', 'dependencies', 'acme-core'];
    assert.deepEqual(pos.keyRange(dep), r(2, 0, 2, 9));
    assert.deepEqual(pos.valueRange(dep), r(2, 12, 2, 56));
    assert.deepEqual(pos.valueRange([...dep, 'path']), r(2, 21, 2, 38));
    assert.deepEqual(pos.valueRange([...dep, 'develop']), r(2, 50, 2, 54));
    assert.equal(pos.textOf(pos.entryRange(dep) ?? r(0, 0, 0, 0)), 'acme-core = { path = "../../libs/core", develop = true }');
  });

  it('records dotted keys as one key range for the path and prefix ranges for the parents', () => {
    const text = 'tool.uv.package = false\ntool . uv . "dev-dependencies" = ["pytest"]\n';
    const pos = indexTomlPositions(text);
    assert.deepEqual(pos.keyRange(['tool', 'uv', 'package']), r(0, 0, 0, 15));
    assert.deepEqual(pos.keyRange(['tool', 'uv']), r(0, 0, 0, 7));
    assert.deepEqual(pos.keyRange(['tool']), r(0, 0, 0, 4));
    assert.deepEqual(pos.valueRange(['tool', 'uv', 'package']), r(0, 18, 0, 23));
    assert.deepEqual(pos.valueRange(['tool', 'uv', 'dev-dependencies', 0]), r(1, 34, 1, 42));
  });

  it('decodes quoted keys, including the empty key and escapes', () => {
    const text = '[tool.setuptools.package-dir]\n"" = "src"\n[tool.uv.sources]\n"acme.core" = { workspace = true }\n"caf\\u00e9" = { path = "x" }\n\'lit\\n\' = { index = "y" }\n';
    const pos = indexTomlPositions(text);
    assert.deepEqual(pos.valueRange(['tool', 'setuptools', 'package-dir', '']), r(1, 5, 1, 10));
    assert.deepEqual(pos.keyRange(['tool', 'uv', 'sources', 'acme.core']), r(3, 0, 3, 11));
    assert.deepEqual(pos.keyRange(['tool', 'uv', 'sources', 'café']), r(4, 0, 4, 11));
    assert.deepEqual(pos.keyRange(['tool', 'uv', 'sources', 'lit\\n']), r(5, 0, 5, 7));
  });

  it('numbers repeated [[array.of.tables]] and nests sub-tables under the latest one', () => {
    const text = [
      '[[tool.uv.index]]',
      'name = "internal"',
      'url = "https://pypi.internal/simple"',
      '[[tool.uv.index]]',
      'name = "torch"',
      '[tool.uv.index.extra]',
      'x = 1',
    ].join('\n');
    const pos = indexTomlPositions(text);
    assert.deepEqual(pos.tableHeaderRange(['tool', 'uv', 'index', 0]), r(0, 0, 0, 17));
    assert.deepEqual(pos.valueRange(['tool', 'uv', 'index', 0, 'url']), r(2, 6, 2, 36));
    assert.deepEqual(pos.valueRange(['tool', 'uv', 'index', 1, 'name']), r(4, 7, 4, 14));
    assert.deepEqual(pos.valueRange(['tool', 'uv', 'index', 1, 'extra', 'x']), r(6, 4, 6, 5));
  });

  it('skips multi-line basic and literal strings, with quotes inside and right before the delimiter', () => {
    const text = [
      'a = """first "line"',
      'second ""line"""""', // content ends with two quotes before the closing delimiter
      "b = '''raw \\ text",
      "'''",
      'c = "esc \\" quote" # comment with "quotes"',
      "d = 'lit'",
    ].join('\n');
    const pos = indexTomlPositions(text);
    assert.deepEqual(pos.valueRange(['a']), r(0, 4, 1, 18));
    assert.deepEqual(pos.valueRange(['b']), r(2, 4, 3, 3));
    assert.deepEqual(pos.valueRange(['c']), r(4, 4, 4, 18));
    assert.deepEqual(pos.valueRange(['d']), r(5, 4, 5, 9));
  });

  it('records scalars, date-times and nested arrays without their comments', () => {
    const text = 'n = 1_000 # count\nwhen = 1979-05-27 07:32:00Z # date\nm = [[1, 2], ["x", {k = true}]]\n';
    const pos = indexTomlPositions(text);
    assert.deepEqual(pos.valueRange(['n']), r(0, 4, 0, 9));
    assert.deepEqual(pos.valueRange(['when']), r(1, 7, 1, 27));
    assert.deepEqual(pos.valueRange(['m', 1, 0]), r(2, 14, 2, 17));
    assert.deepEqual(pos.valueRange(['m', 1, 1, 'k']), r(2, 24, 2, 28));
  });

  it('gives the same ranges for CRLF text and never includes the carriage return', () => {
    const crlf = PEP621.replace(/\n/g, '\r\n');
    const lf = indexTomlPositions(PEP621);
    const pos = indexTomlPositions(crlf);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(pos.valueRange(['project', 'dependencies', i]), lf.valueRange(['project', 'dependencies', i]));
    }
    assert.deepEqual(pos.valueRange(['project']), r(0, 0, 7, 1));
    assert.equal(pos.textOf(pos.valueRange(['project', 'name']) ?? r(0, 0, 0, 0)), '"orders-api"');
  });

  it('counts columns in UTF-16 code units', () => {
    const text = 'x = { d = "é🚀", n = "y" }\n';
    const pos = indexTomlPositions(text);
    // "é🚀" is 3 UTF-16 units (é is one, the rocket a surrogate pair) plus two quotes: 10..15; `n` starts at 17.
    assert.deepEqual(pos.valueRange(['x', 'd']), r(0, 10, 0, 15));
    assert.deepEqual(pos.keyRange(['x', 'n']), r(0, 17, 0, 18));
    assert.equal(pos.textOf(pos.valueRange(['x', 'n']) ?? r(0, 0, 0, 0)), '"y"');
  });

  it('follows a document that starts with a byte order mark', () => {
    const pos = indexTomlPositions('\uFEFF[project]\nname = "x"\n');
    assert.deepEqual(pos.tableHeaderRange(['project']), r(0, 1, 0, 10));
    assert.deepEqual(pos.valueRange(['project', 'name']), r(1, 7, 1, 10));
  });

  it('stops recording at an unclosed array and keeps what it found before', () => {
    const text = '[project]\nname = "x"\ndependencies = ["a",\n\n[tool.uv]\npackage = true\n';
    const pos = indexTomlPositions(text);
    assert.deepEqual(pos.valueRange(['project', 'name']), r(1, 7, 1, 10));
    assert.deepEqual(pos.valueRange(['project', 'dependencies', 0]), r(2, 16, 2, 19));
    assert.equal(pos.valueRange(['tool', 'uv', 'package']), undefined);
    assert.equal(pos.tableHeaderRange(['tool', 'uv']), undefined);
  });

  it('stops at two entries on one line and at an unterminated string', () => {
    const two = indexTomlPositions('a = 1 b = 2\nc = 3\n');
    assert.deepEqual(two.valueRange(['a']), r(0, 4, 0, 5));
    assert.equal(two.valueRange(['c']), undefined);
    const open = indexTomlPositions('a = "x\nb = 2\n');
    assert.equal(open.valueRange(['a']), undefined);
    assert.equal(open.valueRange(['b']), undefined);
  });

  it('records a range for every value smol-toml reads, and that range re-parses to the same value', () => {
    const doc = [
      '# a uv workspace member',
      'tool.pymono.kind = "service"',
      '[project]',
      'name = "billing"   # the service',
      "description = '''",
      'Bills "customers".\'\'\'',
      'dependencies = [ "acme-core", \'acme.telemetry>=1\' ,',
      '  "stripe==8.*", ]',
      '[project.scripts]',
      'billing = "billing.cli:main"',
      '[dependency-groups]',
      'test = ["pytest"]',
      'dev = [{ include-group = "test" }, "ruff>=0.5"]',
      '[tool.uv.sources]',
      'acme-core = { workspace = true }',
      '"acme.telemetry" = [ { path = "../../libs/telemetry", marker = "sys_platform == \'linux\'" }, { index = "internal" } ]',
      '[[tool.uv.index]]',
      'name = "internal"',
      'url = "https://pypi.internal/simple/"',
      'explicit = true',
      '[tool.x]',
      'f = 3.5e2',
      'i = 0x1F',
      't = 07:32:00',
      'inf = -inf',
    ].join('\r\n');
    const parsed = smol.parse(doc);
    const pos = indexTomlPositions(doc);
    const all = leaves(parsed);
    assert.ok(all.length >= 20, `expected many leaves, got ${all.length}`);
    for (const leaf of all) {
      const range = pos.valueRange(leaf.path);
      assert.ok(range, `no range for ${JSON.stringify(leaf.path)}`);
      const reparsed = smol.parse(`v = ${pos.textOf(range)}`).v;
      assert.deepEqual(reparsed, leaf.value, `range of ${JSON.stringify(leaf.path)}`);
    }
  });

  it('never throws on any prefix of a realistic document', () => {
    const doc = `${PEP621}\n[tool.uv.sources]\n"acme.core" = [{ path = "../core", marker = "sys_platform == 'linux'" }]\nx = """a\n"b"\n"""\n[[t]]\ny = 1979-05-27T07:32:00Z\n`;
    for (let n = 0; n <= doc.length; n++) {
      const pos = indexTomlPositions(doc.slice(0, n));
      pos.valueRange(['project', 'dependencies', 0]);
    }
    const full = indexTomlPositions(doc);
    assert.equal(full.textOf(full.valueRange(['tool', 'uv', 'sources', 'acme.core', 0, 'path']) ?? r(0, 0, 0, 0)), '"../core"');
    assert.equal(full.textOf(full.valueRange(['t', 0, 'y']) ?? r(0, 0, 0, 0)), '1979-05-27T07:32:00Z');
  });
});
