/**
 * The RUN side of a Dockerfile read (see dockerfile.ts): a RUN instruction split into simple commands (shell form,
 * JSON exec form, `sh -c` scripts, heredoc scripts), the pip-like commands among them (`pip install`, `pip3`,
 * `python -m pip`, `uv pip install`, `pip wheel`, `pip-sync`), and their arguments read as requirements.
 */
import * as path from 'node:path';
import type { DeclaredRequirement, Range } from '../model';
import { classifyPipArgument, sourceOf } from './requirements';
import { jsonStrings, shellTokens, type ShellToken } from './textLines';
import { hostPathOf, imagePath, substitute, type Instruction, type Stage } from './dockerfileStages';
import type { DockerfileInstalls } from './dockerfile';

/** One simple command of a RUN: its words, and how to locate an offset of their text in the file. */
export interface Command {
  words: ShellToken[];
  rangeAt(start: number, end: number): Range;
}

/** The simple commands of a RUN instruction: shell form, JSON exec form (with `sh -c` scripts), heredoc scripts. */
export function runCommands(ins: Instruction): Command[] {
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
export function installs(cmd: Command, stage: Stage, contextDir: string, out: DockerfileInstalls): void {
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
