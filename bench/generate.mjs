#!/usr/bin/env node
// Generates a large synthetic Python monorepo for the pymono benchmarks (deterministic: same flags, same bytes).
//
//   node bench/generate.mjs --packages 2000 --files 25 --out bench/.generated/mono [--seed 1]
//
// Layout: libs/<name>/ (libraries) and services/<name>/ (services), internal dependencies forming a DAG (each
// package depends on 0–5 lower-numbered libraries). Manifest formats are mixed the way real monorepos mix them:
//   - uv workspace members (PEP 621 + [tool.uv.sources] { workspace = true } + PEP 735 [dependency-groups]),
//   - Poetry projects with path dependencies (develop = true) and a dev group,
//   - plain PEP 621 projects naming internal libraries by bare name, with dependency groups (include-group),
//   - requirements.txt services with `-e ../../libs/x` lines, requirements-dev.txt and a Dockerfile,
//   - a few Dockerfile-only apps that `pip install` libraries copied from the repo root build context.
// Python files are a few KB each: import headers (stdlib, third-party, internal, relative, optional try/except,
// TYPE_CHECKING), docstrings and strings containing the word `import`, functions and classes. About 1% of files
// import a third-party distribution nobody declares and 0.5% an internal library their package does not declare.
// Prints a one-line summary (packages, files, bytes, ms) to stdout.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Parses `--name value` flags into an object of strings. */
export function parseFlags(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument '${argv[i]}'`);
    out[m[1]] = m[2] ?? argv[++i];
  }
  return out;
}

/** mulberry32: a small deterministic PRNG returning floats in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STDLIB = ['os', 'sys', 'json', 're', 'typing', 'dataclasses', 'logging', 'collections', 'itertools', 'functools',
  'pathlib', 'datetime', 'hashlib', 'uuid', 'enum', 'contextlib', 'asyncio', 'textwrap', 'decimal', 'math'];
// [import name, distribution, specifier]
const THIRD = [
  ['requests', 'requests', '>=2.31'], ['pydantic', 'pydantic', '>=2.5'], ['yaml', 'pyyaml', '>=6.0'],
  ['numpy', 'numpy', '>=1.26'], ['attr', 'attrs', '>=23.1'], ['dateutil', 'python-dateutil', '>=2.8'],
  ['jwt', 'pyjwt', '>=2.8'], ['redis', 'redis', '>=5.0'], ['sqlalchemy', 'sqlalchemy', '>=2.0'],
  ['httpx', 'httpx', '>=0.27'], ['click', 'click', '>=8.1'], ['structlog', 'structlog', '>=24.1'],
  ['orjson', 'orjson', '>=3.9'], ['tenacity', 'tenacity', '>=8.2'], ['boto3', 'boto3', '>=1.34'],
  ['google.protobuf', 'protobuf', '>=4.25'], ['PIL', 'pillow', '>=10.2'], ['bs4', 'beautifulsoup4', '>=4.12'],
  ['fastapi', 'fastapi', '>=0.110'], ['jinja2', 'jinja2', '>=3.1'],
];
const UNDECLARED = ['lxml', 'toolz', 'cachetools', 'markdown'];
const WORDS = ['order', 'invoice', 'customer', 'payment', 'ledger', 'report', 'session', 'token', 'metric', 'event',
  'batch', 'record', 'account', 'profile', 'shipment', 'quote', 'policy', 'claim', 'asset', 'price'];

const pad = (i) => String(i).padStart(4, '0');
const posix = (p) => p.split(path.sep).join('/');

/** Plans the packages: names, kinds, formats, module names, internal deps (DAG) and third-party deps. */
function plan(count, rand) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const packages = [];
  const serviceFrom = Math.floor(count * 0.75); // the top quarter are services: nothing depends on them
  for (let i = 0; i < count; i++) {
    const service = i >= serviceFrom;
    const r = rand();
    let format;
    if (service) format = r < 0.45 ? 'uv' : r < 0.62 ? 'poetry' : r < 0.77 ? 'pep621' : r < 0.95 ? 'requirements' : 'dockerfile';
    else format = r < 0.55 ? 'uv' : r < 0.8 ? 'poetry' : 'pep621';
    const namespace = !service && rand() < 0.35;
    const name = service ? `svc-${pad(i)}` : `acme-lib-${pad(i)}`;
    const module = service ? `svc_${pad(i)}` : namespace ? `acme.lib${pad(i)}` : `acme_lib_${pad(i)}`;
    const dir = service ? `services/${name}` : `libs/${name}`;
    const deps = new Set();
    const libsBelow = Math.min(i, serviceFrom);
    const n = libsBelow === 0 ? 0 : Math.floor(rand() * 6);
    for (let k = 0; k < n; k++) deps.add(Math.floor(rand() * libsBelow));
    const third = new Set();
    const t = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < t; k++) third.add(pick(THIRD));
    packages.push({ i, name, module, dir, service, format, namespace, deps: [...deps].sort((a, b) => a - b), third: [...third] });
  }
  return packages;
}

function pyproject(p, all) {
  const deps = p.deps.map((d) => all[d]);
  const third = p.third.map(([, dist, spec]) => `${dist}${spec}`);
  const srcPkg = p.service ? p.module : p.namespace ? 'acme' : p.module;
  if (p.format === 'poetry') {
    const lines = ['[tool.poetry]', `name = "${p.name}"`, 'version = "0.1.0"', `description = "Synthetic package ${p.i}"`,
      'authors = ["Bench <bench@example.invalid>"]',
      p.service ? `packages = [{ include = "${srcPkg}" }]` : `packages = [{ include = "${srcPkg}", from = "src" }]`,
      '', '[tool.poetry.dependencies]', 'python = "^3.10"'];
    for (const [, dist, spec] of p.third) lines.push(`${dist} = "${spec.replace('>=', '^')}"`);
    for (const d of deps) lines.push(`${d.name} = { path = "${posix(path.relative(p.dir, d.dir))}", develop = true }`);
    lines.push('', '[tool.poetry.group.dev.dependencies]', 'pytest = "^8.0"', '',
      '[build-system]', 'requires = ["poetry-core>=1.8"]', 'build-backend = "poetry.core.masonry.api"', '');
    return lines.join('\n');
  }
  const reqs = [...third, ...deps.map((d) => (p.format === 'pep621' ? `${d.name}>=0.1` : d.name))];
  const lines = ['[project]', `name = "${p.name}"`, 'version = "0.1.0"', `description = "Synthetic package ${p.i}"`,
    'requires-python = ">=3.10"', 'dependencies = [', ...reqs.map((r) => `    "${r}",`), ']', ''];
  if (p.service) lines.push('[project.scripts]', `${p.name} = "${p.module}.main:run"`, '');
  if (p.format === 'uv') {
    lines.push('[dependency-groups]', 'dev = ["pytest>=8.0", "pytest-cov>=5"]', '');
    if (deps.length > 0) {
      lines.push('[tool.uv.sources]');
      for (const d of deps) {
        lines.push(d.format === 'uv' ? `${d.name} = { workspace = true }` : `${d.name} = { path = "${posix(path.relative(p.dir, d.dir))}", editable = true }`);
      }
      lines.push('');
    }
  } else {
    lines.push('[dependency-groups]', 'lint = ["ruff>=0.4"]', 'test = ["pytest>=8.0", { include-group = "lint" }]', '');
  }
  lines.push('[build-system]', 'requires = ["hatchling"]', 'build-backend = "hatchling.build"', '');
  if (!p.service) lines.push('[tool.hatch.build.targets.wheel]', `packages = ["src/${srcPkg}"]`, '');
  return lines.join('\n');
}

/** Import lines for one file; `first` files import every declared dependency so nothing is unused. */
function importHeader(p, all, fileIndex, siblings, rand) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const lines = ['from __future__ import annotations', ''];
  const std = new Set();
  for (let k = 0; k < 3 + Math.floor(rand() * 4); k++) std.add(pick(STDLIB));
  for (const s of [...std].sort()) lines.push(`import ${s}`);
  lines.push('');
  const third = fileIndex === 0 ? p.third : p.third.filter(() => rand() < 0.4);
  for (const [mod] of third) lines.push(mod.includes('.') ? `from ${mod} import message` : `import ${mod}`);
  if (rand() < 0.01) lines.push(`import ${pick(UNDECLARED)}  # deliberately undeclared`);
  if (rand() < 0.1) lines.push('', 'try:', '    import ujson as fastjson', 'except ImportError:  # optional speed-up', '    fastjson = None');
  lines.push('');
  const deps = fileIndex === 0 ? p.deps : p.deps.filter(() => rand() < 0.3);
  for (const d of deps) {
    const dep = all[d];
    lines.push(rand() < 0.5 ? `from ${dep.module} import helpers as ${dep.module.replace(/\./g, '_')}_helpers` : `import ${dep.module}.mod_000`);
  }
  if (rand() < 0.005 && p.i > 0) {
    const libs = all.filter((x) => !x.service).length;
    const stranger = all[Math.floor(rand() * Math.min(p.i, libs))];
    if (!p.deps.includes(stranger.i)) lines.push(`import ${stranger.module}  # deliberately undeclared internal`);
  }
  if (siblings.length > 0) {
    const s = pick(siblings);
    lines.push(rand() < 0.5 ? `from . import ${s}` : `from .${s} import ${s.toUpperCase()}_NAME`);
  }
  if (rand() < 0.15) lines.push('', 'from typing import TYPE_CHECKING', '', 'if TYPE_CHECKING:', '    from collections.abc import Iterable');
  return lines;
}

function body(name, rand, targetBytes) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const out = [`${name.toUpperCase()}_NAME = "${name}"`, 'HELP = "import the data first, then call run(); from x import y is not an import here"', ''];
  let size = out.join('\n').length;
  let k = 0;
  while (size < targetBytes) {
    const w = pick(WORDS);
    const chunk = rand() < 0.3
      ? [`class ${w[0].toUpperCase()}${w.slice(1)}${k}:`,
        `    """A ${w} record.`, '', '    Example::', '', `        import ${w}s  # docs only, not an import`, `        ${w}s.load()`, '    """', '',
        '    def __init__(self, value: int = 0) -> None:', '        self.value = value', `        self.label = "${w}-${k}"`, '',
        '    def total(self, items: list[int]) -> int:', '        acc = self.value', '        for item in items:',
        '            if item % 3 == 0:', '                acc += item * 2', '            else:', '                acc -= item', '        return acc', '', '']
      : [`def ${w}_${k}(data: dict, limit: int = ${k + 10}) -> list:`, `    """Collect ${w} entries; callers import this via the package."""`,
        '    result = []', '    for key, value in sorted(data.items()):', '        if len(result) >= limit:', '            break',
        `        result.append((key, str(value).strip(), "${w} from import"))`, '    return result', '', ''];
    out.push(...chunk);
    size += chunk.join('\n').length;
    k++;
  }
  return out;
}

/** Writes the monorepo under `out` (replacing it) and `out/.bench-meta.json`; returns { packages, filesPerPackage, seed, files, bytes }. */
export function generate({ packages: count, files, out, seed }) {
  const rand = prng(seed);
  const all = plan(count, rand);
  fs.rmSync(out, { recursive: true, force: true });
  let fileCount = 0;
  let bytes = 0;
  const write = (rel, text) => {
    const abs = path.join(out, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    bytes += Buffer.byteLength(text);
    if (rel.endsWith('.py')) fileCount++;
  };
  const uvMembers = all.filter((p) => p.format === 'uv').map((p) => p.dir);
  write('pyproject.toml', ['[tool.uv.workspace]', 'members = [', ...uvMembers.map((m) => `    "${m}",`), ']', '',
    '[dependency-groups]', 'dev = ["pytest>=8.0", "ruff>=0.4"]', '',
    '[tool.pymono]', 'services = ["services/*"]', 'libraries = ["libs/*"]', ''].join('\n'));
  write('.gitignore', '.venv/\n__pycache__/\n');
  for (const p of all) {
    const modDir = p.service ? `${p.dir}/${p.module}` : `${p.dir}/src/${p.module.replace('.', '/')}`;
    if (p.format === 'requirements') {
      const lines = ['# runtime requirements', ...p.third.map(([, dist, spec]) => `${dist}${spec}`),
        ...p.deps.map((d) => `-e ${posix(path.relative(p.dir, all[d].dir))}`)];
      write(`${p.dir}/requirements.txt`, lines.join('\n') + '\n');
      write(`${p.dir}/requirements-dev.txt`, '-r requirements.txt\npytest>=8.0\n');
      write(`${p.dir}/Dockerfile`, `FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "-m", "${p.module}.main"]\n`);
    } else if (p.format === 'dockerfile') {
      const lines = ['FROM python:3.12-slim', 'WORKDIR /app'];
      for (const d of p.deps) lines.push(`COPY ${all[d].dir}/ ./${all[d].dir}`, `RUN pip install --no-cache-dir ./${all[d].dir}`);
      lines.push(`RUN pip install --no-cache-dir ${p.third.map(([, dist, spec]) => `"${dist}${spec}"`).join(' ')}`,
        `COPY ${p.dir} .`, `CMD ["python", "-m", "${p.module}.main"]`);
      write(`${p.dir}/Dockerfile`, lines.join('\n') + '\n');
    } else {
      write(`${p.dir}/pyproject.toml`, pyproject(p, all));
    }
    const tests = p.format === 'dockerfile' || files < 4 ? 0 : 2;
    const modules = Math.max(1, files - tests);
    const names = [];
    for (let f = 0; f < modules; f++) {
      const fixed = p.service ? ['__init__', 'helpers', 'main'] : ['__init__', 'helpers'];
      const name = f < fixed.length ? fixed[f] : `mod_${String(f - fixed.length).padStart(3, '0')}`;
      const siblings = names.filter((n) => n !== '__init__');
      const header = importHeader(p, all, f, f === 0 ? [] : siblings, rand);
      const doc = [`"""${p.name}: ${name}.`, '', 'Use it like this::', '', `    import ${p.module}`, `    from ${p.module} import ${name}`, '"""'];
      write(`${modDir}/${name}.py`, [...doc, ...header, '', ...body(name, rand, 1500 + Math.floor(rand() * 3000))].join('\n'));
      names.push(name);
    }
    for (let t = 0; t < tests; t++) {
      const lines = ['import pytest', '', `from ${p.module} import helpers`, '', '', `def test_helpers_${t}():`,
        '    assert helpers.HELPERS_NAME == "helpers"', '', '', '@pytest.mark.parametrize("n", [1, 2, 3])',
        `def test_numbers_${t}(n):`, '    assert n > 0', ''];
      write(`${p.dir}/tests/test_${String(t).padStart(2, '0')}.py`, lines.join('\n'));
    }
  }
  const meta = { packages: all.length, filesPerPackage: files, seed, files: fileCount, bytes };
  fs.writeFileSync(path.join(out, '.bench-meta.json'), JSON.stringify(meta) + '\n');
  return meta;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const flags = parseFlags(process.argv.slice(2));
  const opts = {
    packages: Number(flags.packages ?? 2000),
    files: Number(flags.files ?? 25),
    out: path.resolve(flags.out ?? 'bench/.generated/mono'),
    seed: Number(flags.seed ?? 1),
  };
  if (!(opts.packages >= 1 && opts.files >= 1)) throw new Error('--packages and --files must be positive numbers');
  const t0 = performance.now();
  const r = generate(opts);
  const ms = Math.round(performance.now() - t0);
  console.log(`generated ${r.packages} packages, ${r.files} Python files, ${(r.bytes / 1e6).toFixed(1)} MB in ${opts.out} (${ms} ms)`);
}
