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
import type { DeclaredRequirement, ManifestProblem, Range } from '../model';
import { jsonStrings, MappedText, shellTokens, splitLines, type ShellToken } from './textLines';
import { imagePath, substitute, type CopyStep, type Instruction, type Stage } from './dockerfileStages';
import { installs, runCommands } from './dockerfileRun';

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
