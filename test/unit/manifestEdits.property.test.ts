import * as assert from 'node:assert/strict';
import { parse } from 'smol-toml';
import type { ManifestEditResult, TextEdit } from '../../server/src/core/edits/index';
import { addInternalRequirement, addRequirement, applyEdits, removeRequirement } from '../../server/src/core/edits/index';
import { offsetAt } from '../../server/src/core/edits/textEdit';
import { normalizeName } from '../../server/src/core/manifests/pep508';
import { parseRequirementsFile } from '../../server/src/core/manifests/requirements';
import { prng } from './helpers/prng';


class Gen {
  constructor(readonly rnd: () => number) {}
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }
}

const NAMES = ['fastapi', 'httpx', 'SQLAlchemy', 'pydantic', 'requests', 'uvicorn', 'rich', 'numpy', 'Flask_Cors', 'zope.interface', 'attrs', 'boto3', 'celery', 'redis', 'orjson', 'Jinja2', 'click', 'typer'];
const SPECS = ['', '>=1.2', '==2.0.1', '~=0.27', '>=2,<3', '!=1.5'];
const COMMENTS = ['# note', '# café ✓', '# 日本語のコメント', '# 🐍 snake', '# "quoted" # twice', "# it's fine"];

interface Dep {
  name: string;
  text: string;
}

function makeDeps(g: Gen, quote: string, max: number): Dep[] {
  const names = g.shuffle([...NAMES]).slice(0, g.int(max + 1));
  const deps = names.map((name) => {
    let text = name + (g.chance(0.2) ? '[extra]' : '') + g.pick(SPECS);
    if (g.chance(0.15)) text += quote === '"' ? "; python_version >= '3.11'" : '; python_version >= "3.11"';
    return { name, text };
  });
  if (g.chance(0.4)) deps.sort((a, b) => (normalizeName(a.name) < normalizeName(b.name) ? -1 : 1));
  return deps;
}

const comment = (g: Gen): string => (g.chance(0.3) ? `  ${g.pick(COMMENTS)}` : '');
const q = (quote: string, s: string): string => (quote === "'" ? `'${s}'` : `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);

/** A `dependencies` array in one of the layouts people write. */
function arrayText(g: Gen, deps: Dep[], quote: string, indent: string, nl: string): string {
  const els = deps.map((d) => q(quote, d.text));
  const trailing = g.chance(0.5);
  if (els.length === 0) return g.pick(['[]', '[ ]', `[${nl}${indent}# none yet${nl}]`, `[${nl}]`]);
  const layout = g.pick(['multi', 'multi', 'single', 'hang-open', 'hang-close']);
  if (layout === 'single') return `[${els.join(', ')}${trailing ? ',' : ''}]`;
  const lines = els.map((e, i) => {
    const last = i === els.length - 1;
    return `${indent}${e}${!last || trailing ? ',' : ''}${comment(g)}`;
  });
  if (layout === 'hang-close') {
    const body = [...lines.slice(0, -1), `${indent}${els[els.length - 1]}${trailing ? ',' : ''}`].join(nl);
    return `[${nl}${body}]`;
  }
  if (g.chance(0.3)) lines.splice(g.int(lines.length + 1), 0, `${indent}# "commented-out>=1",`);
  if (layout === 'hang-open') return `[${lines.join(nl).trimStart()}${nl}]`;
  return `[${g.chance(0.2) ? `  ${g.pick(COMMENTS)}` : ''}${nl}${lines.join(nl)}${nl}]`;
}

const EXTRA_TABLES = [
  (quote: string) => ['[build-system]', `requires = [${q(quote, 'hatchling')}]`, `build-backend = ${q(quote, 'hatchling.build')}`],
  () => ['[tool.ruff]', 'line-length = 100', '[tool.ruff.lint]', 'select = ["E", "F"]  # rules'],
  () => ['[tool.empty]'],
  () => ['[tool.uv]', 'package = true'],
  () => ['[dependency-groups]', 'test = ["pytest>=8"]', 'dev = [{ include-group = "test" }, "ruff"]'],
  () => ['[[tool.uv.index]]', 'name = "internal"', 'url = "https://pypi.internal/simple"'],
  (quote: string) => ['[project.urls]', `Home = ${q(quote, 'https://example.com/ü')}`],
];

interface Case {
  text: string;
  format: 'pep621' | 'poetry';
  deps: Dep[];
  quote: string;
  nl: string;
  indent: string;
}

function pyprojectCase(g: Gen): Case {
  const nl = g.pick(['\n', '\r\n']);
  const indent = g.pick(['    ', '  ', '\t']);
  const quote = g.pick(['"', "'"]);
  const format = g.chance(0.75) ? 'pep621' : 'poetry';
  const blank = (): string[] => (g.chance(0.5) ? [''] : g.chance(0.5) ? ['', `# ${g.pick(COMMENTS).slice(2)}`] : []);
  // Each extra table appears once: some before the main table, the rest after it.
  const pool = g.shuffle(EXTRA_TABLES.filter((t) => format === 'pep621' || !t(quote)[0].startsWith('[project'))).slice(0, g.int(4));
  const extras = (before: boolean): string[] =>
    pool
      .splice(0, before ? g.int(pool.length + 1) : pool.length)
      .flatMap((t) => (before && t(quote)[0].startsWith('[project') ? [] : [...blank(), ...t(quote), '']));
  const out: string[] = [];
  if (g.chance(0.3)) out.push(`# ${g.pick(COMMENTS).slice(2)}`, '');
  let deps: Dep[];
  if (format === 'pep621') {
    deps = makeDeps(g, quote, 6);
    const missing = deps.length === 0 && g.chance(0.4);
    const keys = [`name = ${q(quote, 'orders-api')}${comment(g)}`, `version = ${q(quote, '0.1.0')}`];
    if (g.chance(0.5)) keys.push(`description = ${q(quote, 'Bestellungen ✓')}`);
    if (g.chance(0.4)) keys.push(`authors = [{ name = ${q(quote, 'Zoë')}, email = ${q(quote, 'z@example.com')} }]`);
    if (g.chance(0.3)) keys.push(`license = { text = ${q(quote, 'MIT')} }`);
    if (!missing) keys.splice(1 + g.int(keys.length), 0, `dependencies = ${arrayText(g, deps, quote, indent, nl)}${comment(g)}`);
    if (g.chance(0.3)) keys.push(`classifiers = [${nl}${indent}${q(quote, 'Private :: Do Not Upload')},${nl}]`);
    out.push(...extras(true), `[project]${comment(g)}`, ...keys.flatMap((k) => (g.chance(0.15) ? [`# ${g.pick(COMMENTS).slice(2)}`, k] : [k])), '', ...extras(false));
  } else {
    deps = makeDeps(g, quote, 5).map((d) => ({ name: d.name, text: g.pick(['*', '^1.2', '>=2,<3', '~0.27']) }));
    out.push(...extras(true), '[tool.poetry]', `name = ${q(quote, 'billing')}`, '');
    if (deps.length > 0 || g.chance(0.5)) {
      out.push(`[tool.poetry.dependencies]${comment(g)}`);
      if (g.chance(0.8)) out.push(`python = ${q(quote, '^3.11')}`);
      for (const d of deps) {
        const key = /^[A-Za-z0-9_-]+$/.test(d.name) ? d.name : `"${d.name}"`;
        out.push(g.chance(0.2) ? `${key} = { version = ${q(quote, d.text)}, extras = ["x"] }${comment(g)}` : `${key} = ${q(quote, d.text)}${comment(g)}`);
      }
      out.push('');
    }
    if (g.chance(0.5)) out.push('[tool.poetry.group.dev.dependencies]', 'pytest = "^8"', '');
    out.push(...extras(false));
  }
  let text = out.join(nl);
  if (g.chance(0.3)) text = text.replace(/(\r?\n)+$/, '');
  return { text, format, deps, quote, nl, indent };
}

type Doc = Record<string, unknown>;

/** Asserts the edits left everything before the first and after the last edited span byte-identical. */
function assertOutsideUnchanged(text: string, out: string, edits: TextEdit[]): void {
  const starts = edits.map((e) => offsetAt(text, e.range.start));
  const ends = edits.map((e) => offsetAt(text, e.range.end));
  const s = Math.min(...starts);
  const e = Math.max(...ends);
  assert.equal(out.slice(0, s), text.slice(0, s), 'prefix changed');
  assert.equal(out.slice(out.length - (text.length - e)), text.slice(e), 'suffix changed');
}

function assertLineEnds(text: string, out: string): void {
  if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(out), 'a bare LF appeared in a CRLF file');
  else assert.ok(!out.includes('\r'), 'a CR appeared in an LF file');
}

function okResult(r: ManifestEditResult, seed: number, text: string): TextEdit[] {
  assert.ok(r.ok, `seed ${seed}: ${r.ok ? '' : r.reason}\n${text}`);
  return r.edits;
}

/** A plain-object copy (smol-toml tables have a null prototype, which deepEqual would compare). */
function plain(v: unknown): Doc {
  return JSON.parse(JSON.stringify(v ?? {})) as Doc;
}

function withoutPath(doc: Doc, path: string[]): Doc {
  const copy = plain(doc);
  let t: Doc = copy;
  for (const k of path.slice(0, -1)) {
    const next = t[k];
    if (typeof next !== 'object' || next === null) return copy;
    t = next as Doc;
  }
  delete t[path[path.length - 1]];
  return copy;
}

function at(doc: Doc, path: string[]): unknown {
  let v: unknown = doc;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Doc)[k] : undefined;
  return v;
}

const depNames = (v: unknown): string[] => (Array.isArray(v) ? v.map((s) => normalizeName(String(s).split(/[\s[<>=!~;]/)[0])) : []);

describe('manifest edits: properties over generated manifests', () => {
  it('adds and removes in 3,000 generated pyprojects: still TOML, only the dependency changed, bytes outside kept', function () {
    this.timeout(120_000);
    let checked = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const g = new Gen(prng(seed));
      const c = pyprojectCase(g);
      const before = parse(c.text) as Doc;
      const depsPath = c.format === 'pep621' ? ['project', 'dependencies'] : ['tool', 'poetry', 'dependencies'];
      const present = new Set(c.deps.map((d) => normalizeName(d.name)));
      const op = c.deps.length > 0 && g.chance(0.45) ? 'remove' : g.chance(0.2) && c.format === 'pep621' ? 'internal' : 'add';
      let out: string;
      if (op === 'remove') {
        const victim = normalizeName(g.pick(c.deps).name);
        const edits = okResult(removeRequirement('/ws/svc/pyproject.toml', c.text, victim), seed, c.text);
        out = applyEdits(c.text, edits);
        assertOutsideUnchanged(c.text, out, edits);
        const after = parse(out) as Doc;
        if (c.format === 'pep621') {
          const expected = (at(before, depsPath) as unknown[]).filter((s) => depNames([s])[0] !== victim);
          assert.deepEqual(at(after, depsPath), expected, `seed ${seed}`);
        } else {
          const table = at(after, depsPath) as Doc;
          assert.ok(!Object.keys(table).some((k) => normalizeName(k) === victim), `seed ${seed}`);
          assert.deepEqual(withoutPath(after, depsPath), withoutPath(before, depsPath), `seed ${seed}`);
          assert.deepEqual(plain(table), withoutPath(at(before, depsPath) as Doc, [Object.keys(at(before, depsPath) as Doc).find((k) => normalizeName(k) === victim) ?? '']));
        }
        assert.deepEqual(withoutPath(after, depsPath), withoutPath(before, depsPath), `seed ${seed}`);
      } else {
        const name = g.pick(NAMES.filter((n) => !present.has(normalizeName(n))).concat(['brand-new-dist']));
        const spec = g.pick(SPECS);
        const requirement = c.format === 'pep621' && g.chance(0.3) ? `${name}[extra]${spec}` : `${name}${spec}`;
        const r =
          op === 'internal'
            ? addInternalRequirement('/ws/svc/pyproject.toml', c.text, name, { relativePath: '../libs/x', uvWorkspace: true, sourceCovered: g.chance(0.3) })
            : addRequirement('/ws/svc/pyproject.toml', c.text, requirement);
        const edits = okResult(r, seed, c.text);
        for (const e of edits) assert.equal(c.text.slice(offsetAt(c.text, e.range.start), offsetAt(c.text, e.range.end)).trim(), '', `seed ${seed}: an add only inserts`);
        out = applyEdits(c.text, edits);
        assertOutsideUnchanged(c.text, out, edits);
        const after = parse(out) as Doc;
        const added = op === 'internal' ? name : requirement;
        if (c.format === 'pep621') {
          const was = (at(before, depsPath) as unknown[] | undefined) ?? [];
          const now = at(after, depsPath) as unknown[];
          assert.deepEqual([...now].sort(), [...was, added].sort(), `seed ${seed}`);
          assert.deepEqual(now.filter((s) => s !== added), was, `seed ${seed}: the other elements keep their order`);
          let rest = withoutPath(after, depsPath);
          if (op === 'internal' && !at(before, ['tool', 'uv', 'sources', name])) {
            const src = at(after, ['tool', 'uv', 'sources', name]);
            if (src !== undefined) assert.deepEqual(plain(src), { workspace: true });
            rest = withoutPath(rest, ['tool', 'uv', 'sources', name]);
            if (at(before, ['tool', 'uv', 'sources']) === undefined) rest = withoutPath(rest, ['tool', 'uv', 'sources']);
            if (at(before, ['tool', 'uv']) === undefined) rest = withoutPath(rest, ['tool', 'uv']);
            if (at(before, ['tool']) === undefined) rest = withoutPath(rest, ['tool']);
          }
          assert.deepEqual(rest, withoutPath(before, depsPath), `seed ${seed}`);
          const line = out.split(/\r?\n/).find((l) => l.includes(`${c.quote}${added}${c.quote}`) || l.includes(`"${added}"`));
          const elementLines = c.text.includes(`${c.nl}${c.indent}${c.quote}`);
          if (line !== undefined && /^\s/.test(line) && elementLines) assert.ok(line.startsWith(c.indent), `seed ${seed}: indentation of ${JSON.stringify(line)}`);
        } else {
          const table = at(after, depsPath) as Doc;
          const key = Object.keys(table).find((k) => k === name);
          assert.ok(key, `seed ${seed}: ${name} missing`);
          assert.equal(table[name], spec === '' ? '*' : spec, `seed ${seed}`);
          const beforeTable = (at(before, depsPath) as Doc | undefined) ?? {};
          assert.deepEqual(withoutPath(table, [name]), plain(beforeTable), `seed ${seed}`);
          assert.deepEqual(withoutPath(withoutPath(after, depsPath), ['tool', 'poetry', 'dependencies']), withoutPath(before, depsPath), `seed ${seed}`);
        }
      }
      assertLineEnds(c.text, out);
      checked++;
    }
    assert.equal(checked, 3000);
  });

  it('adds and removes in 1,500 generated requirements files: same lines otherwise, same line ends', function () {
    this.timeout(120_000);
    const file = '/ws/svc/requirements.txt';
    for (let seed = 1; seed <= 1500; seed++) {
      const g = new Gen(prng(100_000 + seed));
      const nl = g.pick(['\n', '\r\n']);
      const deps = makeDeps(g, '"', 8);
      const lines: string[] = [];
      if (g.chance(0.3)) lines.push(`# ${g.pick(COMMENTS).slice(2)}`);
      if (g.chance(0.3)) lines.push('-r base.txt', '--index-url https://pypi.internal/simple');
      for (const d of deps) {
        if (g.chance(0.15)) lines.push('');
        if (g.chance(0.2)) lines.push(`${d.text} \\${nl}    --hash=sha256:${'a'.repeat(16)} \\${nl}    --hash=sha256:${'b'.repeat(16)}`);
        else lines.push(`${d.text}${comment(g)}`);
      }
      if (g.chance(0.2)) lines.push('-e ../libs/acme-core');
      let text = lines.join(nl);
      if (text !== '' && g.chance(0.7)) text += nl;
      const names = (t: string): string[] => parseRequirementsFile(file, t).requirements.map((r) => r.normalized).sort();
      const before = names(text);
      const present = new Set(before);
      let out: string;
      if (deps.length > 0 && g.chance(0.5)) {
        const victim = normalizeName(g.pick(deps).name);
        const edits = okResult(removeRequirement(file, text, victim), seed, text);
        for (const e of edits) assert.equal(e.newText, '', `seed ${seed}: a removal only deletes`);
        out = applyEdits(text, edits);
        assertOutsideUnchanged(text, out, edits);
        assert.deepEqual(names(out), before.filter((n) => n !== victim), `seed ${seed}`);
      } else {
        const name = g.pick(NAMES.filter((n) => !present.has(normalizeName(n))).concat(['brand-new-dist']));
        const requirement = `${name}${g.pick(SPECS)}`;
        const edits = okResult(addRequirement(file, text, requirement), seed, text);
        assert.ok(edits.every((e) => e.range.start.line === e.range.end.line && e.range.start.character === e.range.end.character), `seed ${seed}: an add only inserts`);
        out = applyEdits(text, edits);
        assertOutsideUnchanged(text, out, edits);
        assert.deepEqual(names(out), [...before, normalizeName(name)].sort(), `seed ${seed}`);
        assert.equal(parseRequirementsFile(file, out).problems.length, parseRequirementsFile(file, text).problems.length, `seed ${seed}`);
        assert.equal(/[\r\n]$/.test(out), /[\r\n]$/.test(text) || text === '', `seed ${seed}: final line end kept as it was`);
      }
      assertLineEnds(text, out);
    }
  });
});
