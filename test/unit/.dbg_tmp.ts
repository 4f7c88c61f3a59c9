import { normalizeName } from '../../server/src/core/manifests/pep508';
import { addRequirement, addInternalRequirement, removeRequirement, applyEdits } from '../../server/src/core/edits/index';
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
const seed = Number(process.env.SEED);
const g = new Gen(prng(seed));
const c = pyprojectCase(g);
console.log(JSON.stringify(c.indent), c.format);
console.log(c.text);
const present = new Set(c.deps.map((d) => normalizeName(d.name)));
const op = c.deps.length > 0 && g.chance(0.45) ? 'remove' : g.chance(0.2) && c.format === 'pep621' ? 'internal' : 'add';
console.log('op', op);
if (op === 'remove') { const v = normalizeName(g.pick(c.deps).name); const r = removeRequirement('/ws/svc/pyproject.toml', c.text, v); console.log(v, r); if (r.ok) console.log(applyEdits(c.text, r.edits)); }
else { const name = g.pick(NAMES.filter((n) => !present.has(normalizeName(n))).concat(['brand-new-dist'])); const spec = g.pick(SPECS);
const requirement = c.format === 'pep621' && g.chance(0.3) ? `${name}[extra]${spec}` : `${name}${spec}`;
const r = op === 'internal' ? addInternalRequirement('/ws/svc/pyproject.toml', c.text, name, { relativePath: '../libs/x', uvWorkspace: true, sourceCovered: g.chance(0.3) }) : addRequirement('/ws/svc/pyproject.toml', c.text, requirement);
console.log(JSON.stringify(r)); if (r.ok) console.log(applyEdits(c.text, r.edits)); }
