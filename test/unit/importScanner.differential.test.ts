/**
 * Differential test of the import scanner against CPython's `ast` (tools/py_imports.py): a seeded, generated
 * corpus of valid Python files mixing the constructs that trip naive scanners, scanned by both, compared exactly
 * (modules, levels, names, lines and UTF-16 columns) for the static imports.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanPythonBytes } from '../../server/src/core/importScanner';
import { prng } from './helpers/prng';

const FILES = 2400;
const SEED = 0x5eed_2024;


const MODULE_PARTS = ['os', 'sys', 'json', 'acme', 'core', 'telemetry', 'shared', 'utils', 'données', '日本', 'café',
  'Ωmega', 'µsvc', 'ﬁle', 'x_1', '_private', 'requests', 'numpy', 'pkg', 'mod'];
const NAMES = ['a', 'b', 'path', 'Client', '日本語', 'é', 'Any', 'helper', 'µ', 'ﬁnd', 'load', 'x9'];
const NOISE_TEXT = ['日本', 'é', '🎉', 'import x', 'from y import z', '#', 'it’s', 'ß', '\\t', 'plain'];

interface Expected {
  module: string;
  level: number;
  names: { name: string; line: number; col: number }[] | null;
  line: number;
  col: number;
}

class Gen {
  private readonly r: () => number;
  ind = '    ';
  constructor(seed: number) {
    this.r = prng(seed);
  }
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  dotted(): string {
    const n = 1 + this.int(3);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(this.pick(MODULE_PARTS));
    return parts.join(this.chance(0.03) ? ' . ' : '.');
  }
  noise(): string {
    return this.pick(NOISE_TEXT) + ' ' + this.pick(NOISE_TEXT);
  }
  /** Simple statements with no import, written to trip a scanner; `§` marks a line that starts a statement. */
  simple(inDef: boolean): string[] {
    const t = this.noise();
    switch (this.int(22)) {
      case 0: return [`s = "${t}"`];
      case 1: return [`s = 'from y import z # ${t}'`];
      case 2: return [`f = f"{d['import x']!r:>{w}} from y import z {{lit}} ${t}"`];
      case 3: return [`g = rb'\\' import x' + b"\\x00"`];
      case 4: return ['doc = """', 'import inside_docstring', `from y import ${this.pick(NAMES)}`, `${t}"""`];
      case 5: return [`# import commented ${t}`, "§pass"];
      case 6: return ['important = 1', '§from_x = 2', '§imports = {}'];
      case 7: return ['obj.import_thing(from_x, important)', '§imports.x = 3'];
      case 8: return [`d = {"k": lambda v: v[1:2], 'import': (y := 5)}`];
      case 9: return [`cont = "line \\`, `import not_a_statement"`];
      case 10: return [`total = (1 +`, `  # import in a comment inside brackets`, `  2)`];
      case 11: return [`x: int = 1; y = '${t}'`];
      case 12: return [`u = u'${t}' ; ᾱ = "🎉"`];
      case 13: return [`q = F'''{x}`, 'import still_a_string', `{y:{"w"}}'''`];
      case 14: return [`class Deco${this.int(99)}: import_thing = 1`];
      case 15: return inDef ? ['result = yield from gen()'] : ['result = [i for i in range(3) if i]'];
      case 16: return [`raise_it = None  # from y import z`];
      case 17: return ['values = [', '    "import x",', "    'from y import z',", ']'];
      case 18: return [`print("${t}", end='')`];
      case 19: return [`s2 = r"\\"import x"`];
      case 20: return [`t = 'a' \\`, `    'import x'`];
      default: return ['pass'];
    }
  }
  importLines(top: boolean): string[] {
    const i = this.ind;
    switch (this.int(top ? 12 : 11)) {
      case 0: return [`import ${this.dotted()}`];
      case 1: return [`import ${this.dotted()} as alias, ${this.dotted()}`];
      case 2: return [`import ${this.dotted()}, \\`, `${i}${this.dotted()}`];
      case 3: return [`from ${'.'.repeat(this.int(3))}${this.dotted()} import ${this.pick(NAMES)} as n, ${this.pick(NAMES)}`];
      case 4: return [`from ${'.'.repeat(1 + this.int(4))} import ${this.pick(NAMES)}`];
      case 5: return [`from ${this.dotted()} import (`, `${i}${this.pick(NAMES)},  # import fake`, `${i}${this.pick(NAMES)} as z,`, ')'];
      case 6: return [`from ${this.dotted()} import (${this.pick(NAMES)}, ${this.pick(NAMES)})`];
      case 7: return [`from ${this.dotted()} \\`, `${i}import ${this.pick(NAMES)}`];
      case 8: return [`x = 1; import ${this.dotted()};\timport ${this.dotted()}; y = "日本"`];
      case 9: return [`ß = "${this.noise()} 🎉"; from .${this.dotted()} import ${this.pick(NAMES)}`];
      case 10: return [`from...${this.pick(MODULE_PARTS)} import(${this.pick(NAMES)})`];
      default: return [`from ${this.dotted()} import *`];
    }
  }
  /** A block of statements at indentation `pre` (depth limits nesting). */
  block(pre: string, depth: number, count: number, inDef: boolean): string[] {
    const out: string[] = [];
    for (let k = 0; k < count; k++) {
      const roll = this.int(10);
      if (roll < 3) out.push(...this.importLines(depth === 0 && !inDef).map((l, j) => (j === 0 ? pre + l : l)));
      else if (roll < 7 || depth >= 3) {
        out.push(...this.simple(inDef).map((l, j) => (j === 0 ? pre + l : l.startsWith('§') ? pre + l.slice(1) : l)));
      }
      else out.push(...this.compound(pre, depth, inDef));
    }
    return out;
  }
  compound(pre: string, depth: number, inDef: boolean): string[] {
    const inner = pre + this.ind;
    const body = (d: boolean = inDef): string[] => this.block(inner, depth + 1, 1 + this.int(3), d);
    switch (this.int(11)) {
      case 0: return [
        `${pre}def fn${this.int(999)}(a: "int" = 1, *args: str) -> dict[str, int]:`, `${inner}"""Docstring: import x."""`,
        ...body(true),
      ];
      case 1: return [`${pre}@decorator(arg=1)`, `${pre}class K${this.int(999)}(Base, metaclass=M):`, ...body(false)];
      case 2: return [`${pre}if TYPE_CHECKING:`, ...body(), `${pre}else:`, ...body()];
      case 3: return [`${pre}if typing.TYPE_CHECKING: import ${this.dotted()}`];
      case 4: return [
        `${pre}try:`, ...body(), `${pre}except (ValueError, ImportError) as exc:`, ...body(),
        `${pre}else:`, ...body(), `${pre}finally:`, ...body(),
      ];
      case 5: return [`${pre}with open("f") as fh, ctx() as c:`, ...body()];
      case 6: return [`${pre}for i in range(3):`, ...body(), `${pre}else: import ${this.dotted()}`];
      case 7: return [
        `${pre}match command:`, `${inner}case {"import": x}:`, ...this.block(inner + this.ind, depth + 2, 1, inDef),
        `${inner}case _: pass`,
      ];
      case 8: return [`${pre}async def co${this.int(99)}():`, `${inner}await thing()`, ...body(true)];
      case 9: return [`${pre}try: import ${this.dotted()}`, `${pre}except ImportError: pass`];
      default: return [`${pre}while x: from ${this.dotted()} import ${this.pick(NAMES)}; break`];
    }
  }
  file(): string {
    this.ind = this.pick(['    ', '\t', '  ']);
    const lines: string[] = [];
    if (this.chance(0.3)) lines.push('"""Module docstring.', '', 'import not_real', 'from nowhere import nothing', '"""');
    if (this.chance(0.2)) lines.push('from __future__ import annotations');
    lines.push(...this.block('', 0, 8 + this.int(25), false));
    const eol = this.chance(0.1) ? '\r\n' : '\n';
    const bom = this.chance(0.03) ? '\ufeff' : '';
    return bom + lines.join(eol) + (this.chance(0.9) ? eol : '');
  }
}

function scannerView(bytes: Uint8Array): Expected[] {
  return scanPythonBytes(bytes).imports.filter((r) => !r.dynamic).map((r) => ({
    module: r.module,
    level: r.level,
    names: r.names ? r.names.map((n) => ({ name: n.name, line: n.range.start.line, col: n.range.start.character })) : null,
    line: r.range.start.line,
    col: r.range.start.character,
  }));
}

function isResult(v: unknown): v is { ok: boolean; imports?: Expected[]; error?: string } {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}

describe('import scanner vs CPython ast (differential)', function () {
  this.timeout(180_000);
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pymono-diff-'));
  });
  after(() => {
    // KEEP_CORPUS=1 keeps the generated files for debugging a mismatch.
    if (!process.env.KEEP_CORPUS) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`finds exactly the imports ast finds in ${FILES} generated files`, () => {
    const gen = new Gen(SEED);
    const paths: string[] = [];
    const encoder = new TextEncoder();
    for (let i = 0; i < FILES; i++) {
      const p = path.join(dir, `f${i}.py`);
      fs.writeFileSync(p, encoder.encode(gen.file()));
      paths.push(p);
    }
    const script = path.join(__dirname, '../../tools/py_imports.py');
    const out = execFileSync('python3', [script], { input: paths.join('\n'), maxBuffer: 1 << 30, encoding: 'utf8' });
    const parsed: unknown = JSON.parse(out);
    assert.ok(typeof parsed === 'object' && parsed !== null);
    const byPath = parsed as Record<string, unknown>;
    const mismatches: string[] = [];
    let records = 0;
    for (const p of paths) {
      const res = byPath[p];
      assert.ok(isResult(res), `no result for ${p}`);
      assert.ok(res.ok, `generator wrote invalid Python in ${p}: ${res.error}`);
      const expected = res.imports ?? [];
      records += expected.length;
      const actual = scannerView(fs.readFileSync(p));
      try {
        assert.deepEqual(actual, expected);
      } catch (e) {
        if (mismatches.length < 3) mismatches.push(`${p}: ${(e as Error).message.slice(0, 3000)}`);
        else mismatches.push(p);
      }
    }
    assert.ok(records > FILES * 5, `corpus too thin: ${records} records`);
    assert.deepEqual(mismatches, []);
  });
});
