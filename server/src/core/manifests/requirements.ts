/**
 * pip requirements files (https://pip.pypa.io/en/stable/reference/requirements-file-format/), parsed into
 * located `DeclaredRequirement`s, `-r`/`-c` includes and located problems.
 *
 * The line handling mirrors pip's `req_file.py`: continuation lines (`\` at the end) are joined first, then
 * comments (`#` at the start or after whitespace) are dropped, then the line is split into the requirement
 * (the words before the first word starting with `-`) and options (parsed like `shlex.split`). Environment
 * variables (`${VAR}`) are kept as text. The requirement part is read with pip's rules for what is a local path,
 * a URL (`#egg=` names it) or a PEP 508 string; `classifyPipArgument` is shared with the Dockerfile parser.
 */
import * as path from 'node:path';
import type { DeclaredRequirement, DependencyKind, ManifestProblem, Range, RequirementSource } from '../model';
import { isValidName, normalizeName, parseRequirement } from './pep508';
import { MappedText, shellTokens, splitLines } from './textLines';

/** A `-r file` / `--requirement file` or `-c file` / `--constraint file` line; `path` is absolute. */
export interface RequirementsInclude {
  kind: 'requirement' | 'constraint';
  path: string;
  /** The range of the path as written. */
  range: Range;
}

/** What `parseRequirementsFile` returns. `problems` never stops the rest of the file from being read. */
export interface RequirementsFile {
  file: string;
  requirements: DeclaredRequirement[];
  includes: RequirementsInclude[];
  problems: ManifestProblem[];
}

const DEV_WORDS = new Set([
  'dev', 'devel', 'develop', 'development', 'test', 'tests', 'testing', 'lint', 'linting', 'linters', 'docs',
  'doc', 'documentation', 'typing', 'types', 'mypy', 'ci', 'qa', 'style', 'format', 'formatting', 'fmt', 'check',
  'checks', 'bench', 'benchmark', 'benchmarks', 'e2e', 'integration', 'unit', 'coverage', 'tox', 'local', 'debug',
  'tools', 'tooling', 'pytest', 'precommit', 'pre-commit',
]);

/** pip-tools input stems accepted as requirements files when they end in `.in` without saying "requirements". */
const IN_STEMS = new Set(['base', 'common', 'main', 'prod', 'production', 'runtime', ...DEV_WORDS]);

/**
 * True for file names that are pip requirements files by convention: `requirements.txt`, `requirements-dev.txt`,
 * `dev-requirements.txt`, `requirements_test.in` (any `.txt`/`.in` name containing "requirements"), and
 * pip-tools inputs such as `base.in`, `dev.in`, `test.in`. Other `.in` files (`MANIFEST.in`, `Makefile.in`) are
 * not. Files under a `requirements/` folder (`requirements/prod.txt`) are the caller's call. Case-insensitive.
 */
export function isRequirementsFileName(baseName: string): boolean {
  const lower = baseName.toLowerCase();
  const m = /^(.*)\.(txt|in)$/.exec(lower);
  if (!m) return false;
  if (m[1].includes('requirements')) return true;
  return m[2] === 'in' && IN_STEMS.has(m[1]);
}

/**
 * The dependency kind a requirements file declares, from its base name: `dev` when a word of the name (split on
 * `-`, `_`, `.`) is dev-like (`requirements-dev.txt`, `test-requirements.txt`, `requirements_lint.txt`,
 * `docs.txt` under `requirements/`), with `group` the base name without extension; otherwise `runtime` with no
 * group (main dependencies).
 */
export function requirementsKindOf(baseName: string): { kind: DependencyKind; group?: string } {
  const stem = baseName.replace(/\.(txt|in)$/i, '');
  const words = stem.toLowerCase().split(/[-_.\s]+/);
  if (words.some((w) => DEV_WORDS.has(w)) || DEV_WORDS.has(stem.toLowerCase())) return { kind: 'dev', group: stem };
  return { kind: 'runtime' };
}

/** What one pip argument installs, before local paths are resolved. `normalized` is `''` when the name is unknown. */
export interface PipArgument {
  name: string;
  normalized: string;
  extras: string[];
  /** PEP 440 specifier without spaces (`''` when none); `${VAR}` parts kept as written. */
  specifier: string;
  marker?: string;
  /** A local directory or archive, as written (decoded from a `file:` URL); relative paths are not resolved. */
  localPath?: string;
  /** A remote URL (`git+https://...`, `https://.../x.whl`, or the URL of `name @ url`). */
  url?: string;
}

/**
 * Result of `classifyPipArgument`: the argument; or an error with its offset in the input; or `dynamic` when the
 * distribution name itself comes from an environment variable and cannot be known.
 */
export type PipArgumentResult =
  | { kind: 'ok'; arg: PipArgument }
  | { kind: 'error'; message: string; offset: number }
  | { kind: 'dynamic' };

const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const VCS_PREFIX = /^(git|hg|svn|bzr)\+/i;
const DIRECT_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/;
const ARCHIVE = /\.(whl|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar|zip)$/i;
const ENV_VAR = /\$\{[A-Za-z0-9_]+\}/g;
/** Stands for the n-th `${VAR}` while parsing; valid as a version (`~=`, `==x.*`), a name part and URL text. */
const PLACEHOLDER = /1234567890(\d{3})\.0/g;
const HAS_PLACEHOLDER = /1234567890\d{3}\.0/;

/**
 * Reads one pip requirement argument the way pip's `install_req_from_line` / `install_req_from_editable` do:
 * a URL (`git+https://...#egg=name`, `https://.../pkg-1.0-py3-none-any.whl`, `file:../x`), a local path
 * (`.`, `./libs/x`, `../base[dev]`, `libs/x`, `dist/pkg-1.0.tar.gz`), or a PEP 508 string (`flask>=2; marker`,
 * `name @ url`). With `editable` (`-e`), anything that is not a URL is a path, and a VCS URL must name its
 * distribution with `#egg=`. Errors carry the 0-based offset in `text` where they sit.
 */
export function classifyPipArgument(text: string, editable: boolean): PipArgumentResult {
  const lead = text.length - text.trimStart().length;
  const t = text.trim();
  if (t === '') return { kind: 'error', message: 'expected a requirement, a path or a URL', offset: 0 };
  const isUrl = URL_SCHEME.test(t) || VCS_PREFIX.test(t) || /^file:/i.test(t);
  if (isUrl) return urlArgument(t, lead, editable);
  if (!editable && (DIRECT_REFERENCE.test(t) || !looksLikePath(t))) return pep508Argument(t, lead);
  const markerAt = t.indexOf(';');
  const body = (markerAt < 0 ? t : t.slice(0, markerAt)).trim();
  const marker = markerAt < 0 ? undefined : t.slice(markerAt + 1).trim();
  if (marker === '') return { kind: 'error', message: "expected an environment marker after ';'", offset: lead + markerAt };
  const { base, extras } = stripExtras(body);
  const fromFile = archiveName(base);
  return { kind: 'ok', arg: { name: fromFile, normalized: fromFile && normalizeName(fromFile), extras, specifier: '', marker, localPath: base } };
}

/** pip's `_looks_like_path`, plus archives and Windows drive paths. */
function looksLikePath(t: string): boolean {
  const body = t.split(';')[0].trim();
  return /^(\.|~|\/|\\|[A-Za-z]:[\\/])/.test(body) || /[\\/]/.test(body) || ARCHIVE.test(stripExtras(body).base);
}

function pep508Argument(t: string, lead: number): PipArgumentResult {
  const vars = t.match(ENV_VAR) ?? [];
  let i = 0;
  const input = vars.length === 0 ? t : t.replace(ENV_VAR, () => `1234567890${String(i++).padStart(3, '0')}.0`);
  const restore = (s: string): string => s.replace(PLACEHOLDER, (_m, n: string) => vars[Number(n)] ?? _m);
  const parsed = parseRequirement(input);
  if (!parsed.ok) {
    if (vars.length > 0 && !isValidName(/^[^\s[<>=!~;@(]*/.exec(t)?.[0] ?? '')) return { kind: 'dynamic' };
    return { kind: 'error', message: restore(parsed.message), offset: lead + mapOffset(vars, input, parsed.offset) };
  }
  const r = parsed.requirement;
  if (vars.length > 0 && HAS_PLACEHOLDER.test(r.name)) return { kind: 'dynamic' };
  const arg: PipArgument = { name: r.name, normalized: r.normalized, extras: r.extras, specifier: restore(r.specifier) };
  if (r.marker !== undefined) arg.marker = restore(r.marker);
  if (r.url !== undefined) {
    const url = restore(r.url);
    if (/^file:/i.test(url)) arg.localPath = fileUrlPath(url);
    else arg.url = url;
  }
  return { kind: 'ok', arg };
}

/** Maps an offset in the placeholder-substituted input back to the text with the `${VAR}`s it replaced. */
function mapOffset(vars: string[], substituted: string, offset: number): number {
  let shift = 0;
  for (const m of substituted.matchAll(PLACEHOLDER)) {
    if (m.index >= offset) break;
    if (offset < m.index + m[0].length) return m.index + shift;
    shift += (vars[Number(m[1])]?.length ?? m[0].length) - m[0].length;
  }
  return offset + shift;
}

function urlArgument(t: string, lead: number, editable: boolean): PipArgumentResult {
  const sep = /;\s/.exec(t);
  const body = sep ? t.slice(0, sep.index).trim() : t;
  const marker = sep ? t.slice(sep.index + 1).trim() : undefined;
  if (marker === '') return { kind: 'error', message: "expected an environment marker after ';'", offset: lead + (sep?.index ?? 0) };
  const { base, extras } = stripExtras(body);
  const egg = /[#&]egg=([^&]*)/.exec(base);
  let name = '';
  const allExtras = [...extras];
  if (egg) {
    const m = /^([^[]*)(?:\[([^\]]*)\])?$/.exec(egg[1].trim());
    name = m?.[1].trim() ?? '';
    if (!isValidName(name)) {
      return { kind: 'error', message: `invalid distribution name '${egg[1]}' in '#egg='`, offset: lead + egg.index + 5 };
    }
    for (const e of (m?.[2] ?? '').split(',')) if (e.trim() !== '') allExtras.push(e.trim());
  } else {
    const last = base.split(/[?#]/)[0].replace(/\/+$/, '').split('/').pop() ?? '';
    name = archiveName(last);
  }
  if (name === '' && editable && VCS_PREFIX.test(base)) {
    return { kind: 'error', message: `cannot tell the distribution name of '${base}': add '#egg=<name>'`, offset: lead };
  }
  const arg: PipArgument = { name, normalized: name && normalizeName(name), extras: allExtras, specifier: '', marker };
  if (/^file:/i.test(base)) arg.localPath = fileUrlPath(base);
  else arg.url = base;
  return { kind: 'ok', arg };
}

/** pip's `_strip_extras`: `../base[dev,test]` -> `../base` and `['dev', 'test']`. */
function stripExtras(p: string): { base: string; extras: string[] } {
  const m = /^(.+)\[([^\]]+)\]$/.exec(p);
  if (!m) return { base: p, extras: [] };
  return { base: m[1], extras: m[2].split(',').map((e) => e.trim()).filter((e) => e !== '') };
}

/** The distribution name in a wheel (`name-ver-py-abi-plat.whl`) or sdist (`name-1.0.tar.gz`) file name, else `''`. */
function archiveName(p: string): string {
  const file = p.split(/[\\/]/).pop() ?? '';
  const wheel = /^([A-Za-z0-9][A-Za-z0-9._]*?)-[^-]+(-[^-]+)?-[^-]+-[^-]+-[^-]+\.whl$/i.exec(file);
  if (wheel) return wheel[1];
  const sdist = /^(.+?)-(\d[^-]*)\.(tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip)$/i.exec(file);
  return sdist && isValidName(sdist[1]) ? sdist[1] : '';
}

/** `file:../x`, `file:///abs/x`, `file://localhost/abs/x`, `file:///C:/x` -> the (percent-decoded) path. */
function fileUrlPath(url: string): string {
  let p = url.replace(/^file:/i, '').split('#')[0];
  if (p.startsWith('//')) {
    p = p.slice(2);
    const slash = p.indexOf('/');
    p = slash < 0 ? '' : p.slice(slash);
    if (/^\/[A-Za-z]:[\\/]/.test(p)) p = p.slice(1);
  }
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/** Makes the model's `source` from a classified argument; `resolve` turns a local path into an absolute one. */
export function sourceOf(arg: PipArgument, editable: boolean, resolve: (p: string) => string): RequirementSource | undefined {
  if (arg.localPath !== undefined) return { type: 'path', path: resolve(arg.localPath), editable };
  if (arg.url !== undefined) return /^git\+/i.test(arg.url) ? { type: 'git', url: arg.url } : { type: 'url', url: arg.url };
  return undefined;
}

interface OptionSpec {
  value: boolean;
  role?: 'requirement' | 'constraint' | 'editable';
}

/** Options pip accepts in a requirements file (`SUPPORTED_OPTIONS` and `SUPPORTED_OPTIONS_REQ` of pip's req_file). */
const LONG_OPTIONS: Record<string, OptionSpec> = {
  '--index-url': { value: true }, '--extra-index-url': { value: true }, '--no-index': { value: false },
  '--constraint': { value: true, role: 'constraint' }, '--requirement': { value: true, role: 'requirement' },
  '--editable': { value: true, role: 'editable' }, '--find-links': { value: true }, '--no-binary': { value: true },
  '--only-binary': { value: true }, '--prefer-binary': { value: false }, '--require-hashes': { value: false },
  '--pre': { value: false }, '--trusted-host': { value: true }, '--use-feature': { value: true },
  '--global-option': { value: true }, '--config-settings': { value: true }, '--hash': { value: true },
  '--install-option': { value: true },
};
const SHORT_OPTIONS: Record<string, string> = {
  '-i': '--index-url', '-c': '--constraint', '-r': '--requirement', '-e': '--editable', '-f': '--find-links', '-C': '--config-settings',
};

/** The long option `word` names, accepting unambiguous prefixes as optparse does. */
function longOption(word: string): string | undefined {
  if (word in LONG_OPTIONS) return word;
  const hits = Object.keys(LONG_OPTIONS).filter((k) => k.startsWith(word));
  return hits.length === 1 ? hits[0] : undefined;
}

/**
 * Parses a pip requirements file. `file` is its absolute path (relative paths resolve against its folder);
 * `kind` overrides the kind told by the file name (`requirementsKindOf`). Never throws: every line pip would
 * reject (invalid PEP 508, `-e` without a path, unknown option) becomes a problem located at the offending span.
 */
export function parseRequirementsFile(file: string, text: string, kind?: DependencyKind): RequirementsFile {
  const named = requirementsKindOf(path.basename(file));
  const effectiveKind = kind ?? named.kind;
  const group = effectiveKind === 'dev' ? named.group ?? path.basename(file).replace(/\.(txt|in)$/i, '') : undefined;
  const dir = path.dirname(file);
  const out: RequirementsFile = { file, requirements: [], includes: [], problems: [] };
  const problem = (range: Range, message: string): void => void out.problems.push({ file, range, message });
  for (const logical of joinLines(text)) {
    const full = logical.text;
    const comment = /(^|\s)#/.exec(full);
    const s = comment ? full.slice(0, comment.index) : full;
    const words = [...s.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0] }));
    if (words.length === 0) continue;
    const firstOption = words.findIndex((w) => w.text.startsWith('-'));
    const args = firstOption < 0 ? words : words.slice(0, firstOption);
    const add = (start: number, end: number, editable: boolean, valueStart: number): void => {
      const raw = s.slice(start, end);
      const result = classifyPipArgument(s.slice(valueStart, end), editable);
      if (result.kind === 'dynamic') return;
      if (result.kind === 'error') {
        const what = editable ? `invalid editable requirement '${raw}'` : `invalid requirement '${raw}'`;
        problem(logical.rangeAt(valueStart + result.offset, end), `${what}: ${result.message}`);
        return;
      }
      const a = result.arg;
      const req: DeclaredRequirement = {
        name: a.name, normalized: a.normalized, specifier: a.specifier, extras: a.extras, kind: effectiveKind,
        file, range: logical.rangeAt(start, end), raw,
      };
      if (a.marker !== undefined) req.marker = a.marker;
      if (group !== undefined) req.group = group;
      const source = sourceOf(a, editable, (p) => path.resolve(dir, p));
      if (source) req.source = source;
      out.requirements.push(req);
    };
    if (args.length > 0) add(args[0].start, args[args.length - 1].end, false, args[0].start);
    if (firstOption < 0) continue;
    const base = words[firstOption].start;
    const tokens = shellTokens(s.slice(base), { operators: false, comments: false });
    for (let k = 0; k < tokens.length; k++) {
      const tok = tokens[k];
      const at = (a: number, b: number): Range => logical.rangeAt(base + a, base + b);
      if (!tok.value.startsWith('-')) {
        problem(at(tok.start, tok.end), `unexpected '${tok.value}' after the options; pip ignores it`);
        continue;
      }
      const eq = tok.value.indexOf('=');
      const isLong = tok.value.startsWith('--');
      const flag = isLong ? longOption(eq < 0 ? tok.value : tok.value.slice(0, eq)) : SHORT_OPTIONS[tok.value.slice(0, 2)];
      const spec = flag === undefined ? undefined : LONG_OPTIONS[flag];
      if (flag === undefined || spec === undefined) {
        problem(at(tok.start, tok.end), `unknown option '${eq < 0 || !isLong ? tok.value : tok.value.slice(0, eq)}' in a requirements file`);
        continue;
      }
      if (!spec.value) continue;
      let value: string;
      let vStart: number;
      let vEnd: number;
      if (isLong && eq >= 0) [value, vStart, vEnd] = [tok.value.slice(eq + 1), tok.start + eq + 1, tok.end];
      else if (!isLong && tok.value.length > 2) [value, vStart, vEnd] = [tok.value.slice(2).replace(/^=/, ''), tok.start + 2, tok.end];
      else if (k + 1 < tokens.length) {
        const next = tokens[++k];
        [value, vStart, vEnd] = [next.value, next.inner?.start ?? next.start, next.inner?.end ?? next.end];
      } else {
        problem(at(tok.start, tok.end), `option '${tok.value}' needs a value`);
        continue;
      }
      if (value.trim() === '') {
        problem(at(tok.start, vEnd), `option '${tok.value}' needs a value`);
        continue;
      }
      if (spec.role === 'editable') add(base + tok.start, base + vEnd, true, base + vStart);
      else if (spec.role !== undefined && !/^https?:\/\//i.test(value)) {
        const target = /^file:/i.test(value) ? fileUrlPath(value) : value;
        out.includes.push({ kind: spec.role, path: path.resolve(dir, target), range: at(vStart, vEnd) });
      }
    }
  }
  return out;
}

/** pip's `join_lines`: lines ending in `\` join the next one, unless they are comment lines. */
function joinLines(text: string): MappedText[] {
  const out: MappedText[] = [];
  let current: MappedText | undefined;
  for (const { line, text: t } of splitLines(text)) {
    const isComment = /(^|\s)#/.test(t);
    if (t.endsWith('\\') && !isComment) {
      current ??= new MappedText();
      current.append(t.replace(/\\+$/, ''), line, 0);
      continue;
    }
    const m = current ?? new MappedText();
    if (current && isComment) m.append(' ', line, 0);
    m.append(t, line, 0);
    out.push(m);
    current = undefined;
  }
  if (current) out.push(current);
  return out;
}
