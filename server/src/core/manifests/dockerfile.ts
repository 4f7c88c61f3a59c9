/**
 * Dockerfiles read for what they `pip install` (Dockerfile reference: https://docs.docker.com/reference/dockerfile/).
 *
 * Instructions are assembled first (case-insensitive keywords, escape-char continuations, comment and blank lines
 * inside continuations dropped, `# escape=` parser directive, heredoc bodies set aside), keeping every piece's file
 * position. The build is then followed stage by stage: `ARG`/`ENV` values, `WORKDIR`, and what each `COPY`/`ADD`
 * put where, so an install argument written as an image path (`./shared`, `/app`, `-r requirements.txt`) maps back
 * to the host path under the build context. `RUN` commands (shell form, JSON exec form, `sh -c` inside it, and
 * `RUN <<EOF` scripts) are split on `&&`, `||`, `;`, `|` and searched for `pip install`, `pip3 install`,
 * `python -m pip install`, `uv pip install` and `pip wheel`; `pip-sync`/`uv pip sync` name requirements files.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { DeclaredRequirement, ManifestProblem, Range } from '../model';
import { classifyPipArgument, sourceOf } from './requirements';
import { jsonStrings, MappedText, shellTokens, splitLines, type ShellToken } from './textLines';

/** What a Dockerfile installs with pip, and the COPY/ADD steps that explain where image paths come from. */
export interface DockerfileInstalls {
  file: string;
  /** Requirements installed by `RUN pip install ...`: kind `runtime`, no group, range of the argument token. */
  requirements: DeclaredRequirement[];
  /** `-r x.txt` arguments, resolved to absolute host paths, with the range of the path token. */
  requirementFiles: { path: string; range: Range }[];
  /**
   * `COPY`/`ADD` steps from the build context (not `--from=` stages, not URLs): `sources` as written (after known
   * `ARG`/`ENV` substitution, relative to the build context), `dest` the absolute image path, `line` 0-based.
   */
  copies: { sources: string[]; dest: string; line: number }[];
  problems: ManifestProblem[];
}

const NOT_DOCKERFILE = /\.(dockerignore|j2|jinja2?|tmpl|tpl|template|in|bak|orig|swp|md)$/i;

/** True for `Dockerfile`, `Dockerfile.<anything>` (`Dockerfile.dev`) and `<name>.dockerfile`, case-insensitive; not for templates or `.dockerignore` files. */
export function isDockerfileName(baseName: string): boolean {
  const lower = baseName.toLowerCase();
  if (NOT_DOCKERFILE.test(lower)) return false;
  return lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile');
}

interface Instruction {
  keyword: string;
  line: number;
  /** The instruction's arguments (the text after the keyword), mapped to file positions. */
  args: MappedText;
  /** Bodies of heredocs opened by this instruction, in order. */
  heredocs: { word: string; body: MappedText }[];
}

interface CopyStep {
  sources: string[];
  dest: string;
  /** `dest` written with a trailing `/` or for several sources: files land inside it. */
  destIsDir: boolean;
  /** Content from another stage, an image or a URL: installs from here cannot be traced to the host. */
  opaque: boolean;
}

interface Stage {
  name?: string;
  workdir: string;
  copies: CopyStep[];
  vars: Map<string, string>;
}

/**
 * Parses a Dockerfile at absolute path `file`, with `contextDir` the absolute host directory of its build context.
 * Never throws; malformed COPY/ADD and invalid requirement tokens become located problems. Tokens that depend on an
 * unknown `$VAR` (ARG without default) and globs (`/wheels/*.whl`) are skipped without a problem.
 */
export function parseDockerfile(file: string, text: string, contextDir: string): DockerfileInstalls {
  const out: DockerfileInstalls = { file, requirements: [], requirementFiles: [], copies: [], problems: [] };
  const stages: Stage[] = [];
  const globals = new Map<string, string>();
  let stage: Stage = { workdir: '/', copies: [], vars: new Map() };
  for (const ins of instructions(text)) {
    const words = /^(FROM|ARG|ENV)$/.test(ins.keyword) ? shellTokens(ins.args.text, { operators: false, comments: false }) : [];
    if (ins.keyword === 'FROM') {
      const plain = words.filter((w) => !w.value.startsWith('--'));
      const image = (substitute(plain[0]?.value ?? '', globals) ?? '').toLowerCase();
      const parent = stages.find((s) => s.name === image);
      stage = parent
        ? { workdir: parent.workdir, copies: [...parent.copies], vars: new Map(parent.vars) }
        : { workdir: '/', copies: [], vars: new Map() };
      if (plain.length >= 3 && plain[1].value.toLowerCase() === 'as') stage.name = plain[2].value.toLowerCase();
      stages.push(stage);
    } else if (ins.keyword === 'ARG' || ins.keyword === 'ENV') {
      assignVars(ins.keyword, words, stages.length === 0 ? globals : stage.vars, globals);
    } else if (ins.keyword === 'WORKDIR') {
      const dir = substitute(ins.args.text.trim(), stage.vars);
      if (dir !== undefined && dir !== '') stage.workdir = imagePath(stage.workdir, dir);
    } else if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
      copyStep(ins, stage, out, file);
    } else if (ins.keyword === 'RUN') {
      for (const cmd of runCommands(ins)) installs(cmd, stage, contextDir, out);
    }
  }
  return out;
}

/** Splits the file into instructions, following the escape directive, continuations and heredocs. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let escape = '\\';
  let directives = true;
  let current: MappedText | undefined;
  let startLine = 0;
  const pending: { word: string; strip: boolean; body: MappedText }[] = [];
  const lines = splitLines(text);
  for (const { line, text: t } of lines) {
    if (pending.length > 0) {
      const doc = pending[0];
      const candidate = doc.strip ? t.replace(/^\t+/, '') : t;
      if (candidate === doc.word) pending.shift();
      else if (doc.strip) doc.body.append(candidate + '\n', line, t.length - candidate.length);
      else doc.body.append(t + '\n', line, 0);
      continue;
    }
    if (directives) {
      const d = /^\s*#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(\S*)\s*$/.exec(t);
      if (d) {
        if (d[1].toLowerCase() === 'escape' && (d[2] === '`' || d[2] === '\\')) escape = d[2];
        continue;
      }
      directives = false;
    }
    if (/^\s*(#|$)/.test(t)) continue;
    const trimmed = t.replace(/\s+$/, '');
    const continues = trimmed.endsWith(escape);
    if (!current) {
      current = new MappedText();
      startLine = line;
    }
    current.append(continues ? trimmed.slice(0, -1) : t, line, 0);
    if (continues) continue;
    const ins = finish(current, startLine);
    current = undefined;
    if (!ins) continue;
    out.push(ins);
    if (ins.keyword === 'RUN' || ins.keyword === 'COPY' || ins.keyword === 'ADD') {
      for (const m of ins.args.text.matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g)) {
        // Only a heredoc whose delimiter line follows (so `$((1<<X))` cannot swallow the rest of the file).
        const closes = lines.slice(line + 1).some((l) => (m[1] === '-' ? l.text.replace(/^\t+/, '') : l.text) === m[3]);
        if (!closes) continue;
        const body = new MappedText();
        ins.heredocs.push({ word: m[3], body });
        pending.push({ word: m[3], strip: m[1] === '-', body });
      }
    }
  }
  if (current) {
    const ins = finish(current, startLine);
    if (ins) out.push(ins);
  }
  return out;
}

function finish(joined: MappedText, line: number): Instruction | undefined {
  const m = /^(\s*)(\S+)(\s*)/.exec(joined.text);
  if (!m) return undefined;
  return { keyword: m[2].toUpperCase(), line, args: joined.slice(m[0].length), heredocs: [] };
}

/** Docker variable substitution (`$X`, `${X}`, `${X:-d}`, `${X:+d}`); `undefined` when a variable is unknown. */
function substitute(text: string, vars: ReadonlyMap<string, string>): string | undefined {
  let unknown = false;
  const re = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  const result = text.replace(re, (whole: string, braced?: string, op?: string, word?: string, bare?: string) => {
    const value = vars.get(braced ?? bare ?? '');
    if (op === '-') return value !== undefined && value !== '' ? value : word ?? '';
    if (op === '+') return value !== undefined && value !== '' ? word ?? '' : '';
    if (value === undefined) unknown = true;
    return value ?? whole;
  });
  return unknown ? undefined : result;
}

function assignVars(keyword: string, words: ShellToken[], vars: Map<string, string>, globals: ReadonlyMap<string, string>): void {
  if (keyword === 'ENV' && words.length > 0 && !words[0].value.includes('=')) {
    const value = substitute(words.slice(1).map((w) => w.value).join(' '), vars);
    if (value === undefined) vars.delete(words[0].value);
    else vars.set(words[0].value, value);
    return;
  }
  for (const w of words) {
    const eq = w.value.indexOf('=');
    const name = eq < 0 ? w.value : w.value.slice(0, eq);
    const value = eq < 0 ? globals.get(name) : substitute(w.value.slice(eq + 1), vars);
    if (value === undefined) vars.delete(name);
    else vars.set(name, value);
  }
}

/** An absolute, normalized image path for `p` written relative to `workdir`. */
function imagePath(workdir: string, p: string): string {
  const joined = p.startsWith('/') ? path.posix.normalize(p) : path.posix.join(workdir, p);
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}

function copyStep(ins: Instruction, stage: Stage, out: DockerfileInstalls, file: string): void {
  const text = ins.args.text;
  const flagsLength = /^\s*(?:--\S+\s+)*/.exec(text)?.[0].length ?? 0;
  const rest = text.slice(flagsLength);
  const from = /(^|\s)--from=/i.test(text.slice(0, flagsLength));
  const items = jsonStrings(rest)?.map((j) => j.value) ?? rest.split(/\s+/).filter((w) => w !== '');
  if (items.length < 2) {
    if (ins.heredocs.length === 0) {
      out.problems.push({ file, range: ins.args.rangeAt(0, text.length), message: `${ins.keyword} needs at least one source and a destination` });
    }
    return;
  }
  const rawDest = items[items.length - 1];
  const dest = imagePath(stage.workdir, substitute(rawDest, stage.vars) ?? rawDest);
  const sources = items.slice(0, -1).filter((s) => !s.startsWith('<<')).map((s) => substitute(s, stage.vars) ?? s);
  const remote = (s: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^git@/.test(s);
  const local = from ? [] : sources.filter((s) => !remote(s));
  const destIsDir = rawDest.endsWith('/') || rawDest === '.' || items.length > 2;
  if (local.length < sources.length || sources.length === 0) {
    stage.copies.push({ sources: from ? sources : sources.filter(remote), dest, destIsDir, opaque: true });
  }
  if (local.length > 0) {
    stage.copies.push({ sources: local, dest, destIsDir, opaque: false });
    out.copies.push({ sources: local, dest, line: ins.line });
  }
}

const FILE_LIKE = /\.(txt|in|toml|cfg|py|lock|json|ya?ml|ini|sh|md|whl|tar\.gz|tgz|zip)$/i;

/**
 * The host path an image path came from: the COPY whose destination is the closest ancestor of `target` wins
 * (later steps win ties); `opaque` when that step copied from another stage or a URL; `undefined` when no step
 * explains it. Without the file system, a source ending in a file extension is taken for a file.
 */
function hostPathOf(target: string, stage: Stage, contextDir: string): string | 'opaque' | undefined {
  let best: string | 'opaque' | undefined;
  let bestScore = -1;
  const consider = (score: number, host: () => string | 'opaque'): void => {
    if (score < bestScore) return;
    bestScore = score;
    best = host();
  };
  for (const copy of stage.copies) {
    const d = copy.dest;
    const under = target === d || target.startsWith(d === '/' ? '/' : d + '/');
    for (const src of copy.sources) {
      const host = (rest: string) => (): string | 'opaque' => (copy.opaque ? 'opaque' : path.resolve(contextDir, src.replace(/^\/+/, ''), rest));
      const base = path.posix.basename(src.replace(/\/+$/, ''));
      if (/[*?[]/.test(base)) {
        if (path.posix.dirname(target) === d && globMatches(base, path.posix.basename(target))) {
          consider(target.length, () => (copy.opaque ? 'opaque' : path.resolve(contextDir, path.posix.dirname(src).replace(/^\/+/, ''), path.posix.basename(target))));
        }
      } else if (FILE_LIKE.test(base) && !src.endsWith('/')) {
        if (target === path.posix.join(d, base)) consider(target.length, host(''));
        else if (target === d && !copy.destIsDir) consider(d.length, host(''));
      } else if (under) {
        consider(d.length, host(path.posix.relative(d, target)));
      }
    }
  }
  return best;
}

/** `picomatch` on one path segment; a pattern it cannot compile matches nothing. */
function globMatches(pattern: string, name: string): boolean {
  try {
    return picomatch(pattern, { dot: true })(name);
  } catch {
    return false;
  }
}

/** One simple command of a RUN: its words, and how to locate an offset of their text in the file. */
interface Command {
  words: ShellToken[];
  rangeAt(start: number, end: number): Range;
}

/** The simple commands of a RUN instruction: shell form, JSON exec form (with `sh -c` scripts), heredoc scripts. */
function runCommands(ins: Instruction): Command[] {
  const text = ins.args.text;
  const json = jsonStrings(text);
  if (json) {
    const shell = json.length >= 3 && SHELL.test(json[0].value) && /^-[a-z]*c$/.test(json[1].value);
    if (shell) {
      const s = json[2];
      const at = (i: number): number => s.map[i] ?? s.end;
      return splitCommands(shellTokens(s.value), (a, b) => ins.args.rangeAt(at(a), b > a ? at(b - 1) + 1 : at(a)));
    }
    const words: ShellToken[] = json.map((s) => ({ kind: 'word', value: s.value, start: s.start, end: s.end, quoted: true, expands: false }));
    return [{ words, rangeAt: (a, b) => ins.args.rangeAt(a, b) }];
  }
  const flags = /^\s*(?:--[a-z-]+(?:=\S*)?\s+)*/.exec(text)?.[0].length ?? 0;
  const commands = splitCommands(shellTokens(text.slice(flags)), (a, b) => ins.args.rangeAt(flags + a, flags + b));
  // `RUN <<EOF` and `RUN bash -e <<EOF` run the heredoc as a shell script; `RUN python3 <<EOF` does not.
  const script = commands.length === 0 || (commands.length === 1 && SHELL.test(commands[0].words[0].value) && commands[0].words.slice(1).every((w) => w.value.startsWith('-')));
  if (script) {
    for (const doc of ins.heredocs) {
      const body = doc.body.text.replace(/\\\n/g, '  '); // line continuations; offsets stay put
      commands.push(...splitCommands(shellTokens(body), (a, b) => doc.body.rangeAt(a, b)));
    }
  }
  return commands;
}

const SHELL = /(^|\/)(ba|da|z)?sh$/;

function splitCommands(tokens: ShellToken[], rangeAt: (a: number, b: number) => Range): Command[] {
  const out: Command[] = [];
  let words: ShellToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'word') {
      words.push(t);
    } else if (/[<>]/.test(t.value)) {
      // A redirection's target (or a heredoc's delimiter) is not an argument; `2>&1` has none.
      if (!/&(\d+-?|-)$/.test(t.value)) i++;
    } else {
      if (words.length > 0) out.push({ words, rangeAt });
      words = [];
    }
  }
  if (words.length > 0) out.push({ words, rangeAt });
  return out;
}

const PIP_GLOBAL_VALUE = new Set(['--log', '--proxy', '--retries', '--timeout', '--exists-action', '--trusted-host', '--cert', '--client-cert', '--cache-dir', '--python', '--keyring-provider', '--use-feature', '--use-deprecated', '--directory', '--project', '--config-file', '--color', '--allow-insecure-host']);
const INSTALL_VALUE = new Set([
  '-r', '-c', '-e', '-t', '-i', '-f', '-C', '-p', '-P', '--requirement', '--requirements', '--constraint', '--constraints',
  '--override', '--overrides', '--build-constraint', '--build-constraints', '--editable', '--target', '--platform',
  '--python-version', '--implementation', '--abi', '--root', '--prefix', '--src', '--upgrade-strategy', '--install-option',
  '--global-option', '--config-settings', '--config-setting', '--index-url', '--extra-index-url', '--find-links', '--no-binary',
  '--only-binary', '--progress-bar', '--root-user-action', '--report', '--group', '--index', '--default-index',
  '--index-strategy', '--resolution', '--prerelease', '--exclude-newer', '--extra', '--link-mode', '--reinstall-package',
  '--upgrade-package', '--no-build-isolation-package', '--python-platform', '--torch-backend', '--refresh-package',
  '--wheel-dir', '-w', '--dest', '-d', ...PIP_GLOBAL_VALUE,
]);

/** The index of the first install argument when `words` is a pip install/wheel/sync command, with its mode. */
function pipCommand(words: ShellToken[]): { at: number; sync: boolean } | undefined {
  let k = 0;
  const skipOptions = (values: Set<string>): void => {
    while (k < words.length && words[k].value.startsWith('-')) k += values.has(words[k].value) ? 2 : 1;
  };
  for (;;) {
    const w = words[k]?.value ?? '';
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) k++;
    else if (['then', 'else', 'do', '{', '!', 'sudo', 'exec', 'time', 'command', 'nice', 'nohup', 'env'].includes(w)) {
      k++;
      skipOptions(new Set(['-u', '-g']));
    } else break;
  }
  const cmd = path.posix.basename(words[k]?.value ?? '');
  k++;
  if (cmd === 'pip-sync') return { at: k, sync: true };
  if (/^python(\d+(\.\d+)*)?$|^py$/.test(cmd)) {
    while (k < words.length && words[k].value.startsWith('-') && words[k].value !== '-m') k++;
    if (words[k]?.value !== '-m' || words[k + 1]?.value !== 'pip') return undefined;
    k += 2;
  } else if (cmd === 'uv') {
    skipOptions(PIP_GLOBAL_VALUE);
    if (words[k]?.value !== 'pip') return undefined;
    k++;
  } else if (!/^pip(\d+(\.\d+)*)?$/.test(cmd)) return undefined;
  skipOptions(PIP_GLOBAL_VALUE);
  const sub = words[k]?.value;
  if (sub === 'install' || sub === 'wheel') return { at: k + 1, sync: false };
  if (sub === 'sync' && cmd === 'uv') return { at: k + 1, sync: true };
  return undefined;
}

/** Reads one command's pip arguments into requirements, requirement files and problems. */
function installs(cmd: Command, stage: Stage, contextDir: string, out: DockerfileInstalls): void {
  const pip = pipCommand(cmd.words);
  if (!pip) return;
  const { words } = cmd;
  const problem = (range: Range, message: string): void => void out.problems.push({ file: out.file, range, message });
  const resolveLocal = (p: string): string | 'opaque' =>
    hostPathOf(imagePath(stage.workdir, p), stage, contextDir) ?? path.resolve(contextDir, p.replace(/^\/+/, ''));
  let positionalOnly = false;
  for (let k = pip.at; k < words.length; k++) {
    const tok = words[k];
    let role: 'requirement' | 'editable' | 'file' = pip.sync ? 'file' : 'requirement';
    let option: ShellToken | undefined;
    let valueTok = tok;
    let value = tok.value;
    let [vStart, vEnd] = [tok.inner?.start ?? tok.start, tok.inner?.end ?? tok.end];
    if (!positionalOnly && tok.value === '--') {
      positionalOnly = true;
      continue;
    }
    if (!positionalOnly && tok.value.startsWith('-') && tok.value !== '-') {
      const eq = tok.value.indexOf('=');
      const long = tok.value.startsWith('--');
      // Short flags combine (`-qUr file`): the first one that takes a value takes the rest of the word or the next word.
      const short = long ? -1 : [...tok.value.slice(1)].findIndex((c) => INSTALL_VALUE.has(`-${c}`)) + 1;
      const name = long ? (eq < 0 ? tok.value : tok.value.slice(0, eq)) : `-${tok.value[short]}`;
      if (!INSTALL_VALUE.has(name)) continue;
      option = tok;
      const attachedAt = long ? eq + 1 : short + 1 + (tok.value[short + 1] === '=' ? 1 : 0);
      const attached = (long && eq < 0) || (!long && short + 1 >= tok.value.length) ? -1 : attachedAt;
      if (attached >= 0) {
        value = tok.value.slice(attached);
        [vStart, vEnd] = [tok.start + attached, tok.end];
      } else if (k + 1 < words.length) {
        valueTok = words[++k];
        value = valueTok.value;
        [vStart, vEnd] = [valueTok.inner?.start ?? valueTok.start, valueTok.inner?.end ?? valueTok.end];
      } else {
        if (/^(-[re]|--requirements?|--editable)$/.test(name)) problem(cmd.rangeAt(tok.start, tok.end), `'${name}' needs a value`);
        continue;
      }
      if (/^(-r|--requirements?)$/.test(name)) role = 'file';
      else if (name === '-e' || name === '--editable') role = 'editable';
      else continue;
    }
    let values = [value];
    let substituted = false;
    if (valueTok.expands) {
      const v = substitute(value, stage.vars);
      if (v === undefined) continue; // ARG-driven: cannot be known here
      substituted = v !== value;
      // An unquoted expansion is split into words by the shell (`ARG PACKAGES="a b"`).
      values = valueTok.quoted ? [v] : v.split(/\s+/).filter((w) => w !== '');
    }
    const range = cmd.rangeAt(vStart, vEnd);
    const separate = option !== undefined && valueTok !== option;
    const entryRange = option ? cmd.rangeAt(option.start, separate ? vEnd : option.end) : range;
    for (const v of values) {
      const at = (offset: number): Range => (substituted ? range : cmd.rangeAt(Math.min(vStart + offset, vEnd), vEnd));
      const raw = option ? (separate ? `${option.value} ${v}` : option.value) : v;
      take(v, role, range, entryRange, at, raw);
    }
  }

  function take(value: string, role: 'requirement' | 'editable' | 'file', range: Range, entryRange: Range, at: (o: number) => Range, raw: string): void {
    if (role === 'file') {
      // URLs and globs cannot be read; uv's `-r pyproject.toml` names a project, not a requirements file.
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /[*?]/.test(value) || /(^|\/)(pyproject\.toml|setup\.py|setup\.cfg)$/.test(value)) return;
      const host = resolveLocal(value);
      if (host !== 'opaque') out.requirementFiles.push({ path: host, range });
      return;
    }
    const editable = role === 'editable';
    const result = classifyPipArgument(value, editable);
    if (result.kind === 'dynamic') return;
    if (result.kind === 'error') {
      problem(at(result.offset), `${editable ? 'invalid editable requirement' : 'invalid requirement'} '${value}': ${result.message}`);
      return;
    }
    const a = result.arg;
    if (a.localPath !== undefined && /[*?]/.test(a.localPath)) return; // globs of built wheels
    const host = a.localPath === undefined ? undefined : resolveLocal(a.localPath);
    if (host === 'opaque') return;
    const req: DeclaredRequirement = {
      name: a.name, normalized: a.normalized, specifier: a.specifier, extras: a.extras, kind: 'runtime', file: out.file, range: entryRange, raw,
    };
    if (a.marker !== undefined) req.marker = a.marker;
    const source = sourceOf(a, editable, () => host ?? contextDir);
    if (source) req.source = source;
    out.requirements.push(req);
  }
}
