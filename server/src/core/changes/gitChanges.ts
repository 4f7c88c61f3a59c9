/**
 * Changed files from git, through the injected `Host` (never `child_process` directly):
 * - `uncommitted`: staged, unstaged, untracked (every file, not folders), deleted and renamed paths, from
 *   `git status --porcelain=v1 -z --untracked-files=all --find-renames` (git-status(1), "Porcelain Format Version 1");
 * - `range`: the files changed between `git merge-base BASE HEAD` and HEAD (`git diff --name-status -z -M`,
 *   git-diff(1) "--name-status"); without a head, against the working tree plus the uncommitted and untracked files;
 * - `editor`: `range` from the default branch (`origin/HEAD`, else `main`, else `master`) to the working tree, or
 *   `uncommitted` when none of those exists.
 * A rename counts with both its old and new path. Every git failure becomes an `Error` whose message says what is
 * wrong (not a repository, unknown ref, no commits, no common ancestor), never an escaping git stack.
 */
import * as path from 'node:path';
import type { Host } from '../host';

/** What happened to a path: git's status letters in words. */
export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'typechange' | 'unmerged' | 'untracked';

/** One changed path. `path` is absolute (the new path of a rename); `oldPath` is the absolute previous path of a rename or copy. */
export interface ChangedFile {
  path: string;
  status: ChangeStatus;
  oldPath?: string;
}

/** Which changes to list. */
export type ChangeQuery =
  | { mode: 'uncommitted' }
  | { mode: 'range'; base: string; head?: string }
  | { mode: 'editor'; defaultBranch?: string };

/**
 * The changes found. `files` sorted by path. `base` is the commit the head is compared with (the merge base, or
 * HEAD for uncommitted changes; `undefined` in a repository without commits); `head` is a commit id, or
 * `undefined` for the working tree. `description` says in words what was compared (for reports).
 */
export interface ChangeSet {
  repoRoot: string;
  files: ChangedFile[];
  base?: string;
  head?: string;
  description: string;
}

/**
 * Lists the changes of the repository containing `cwd` (an absolute folder). Paths come back absolute, expressed
 * under `cwd`'s spelling when `cwd` is reached through a symlink. Rejects with a readable `Error` on any git failure.
 */
export async function listChanges(host: Host, cwd: string, query: ChangeQuery): Promise<ChangeSet> {
  const repo = await openRepo(host, cwd);
  if (query.mode === 'uncommitted') return uncommitted(repo);
  if (query.mode === 'range') return range(repo, query.base, query.head);
  const branch = query.defaultBranch ?? (await detectDefaultBranch(host, repo.top));
  if (branch === undefined) {
    const set = await uncommitted(repo);
    return { ...set, description: `${set.description} (no origin/HEAD, main or master branch to compare with)` };
  }
  return range(repo, branch, undefined);
}

/**
 * The default branch of the repository at `top`: the target of `refs/remotes/origin/HEAD` (as `origin/main`),
 * else `main`, else `master` when such a local branch exists; `undefined` otherwise.
 */
export async function detectDefaultBranch(host: Host, top: string): Promise<string | undefined> {
  const remoteHead = await tryGit(host, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], top);
  if (remoteHead !== undefined && remoteHead.trim().startsWith('refs/remotes/')) return remoteHead.trim().slice('refs/remotes/'.length);
  for (const name of ['main', 'master']) {
    if ((await tryGit(host, ['rev-parse', '--verify', '--quiet', `refs/heads/${name}`], top)) !== undefined) return name;
  }
  return undefined;
}

/** Every absolute path a change touches: new paths and the old paths of renames, sorted, without duplicates. */
export function changedPaths(files: readonly ChangedFile[]): string[] {
  const all = new Set<string>();
  for (const f of files) {
    all.add(f.path);
    if (f.oldPath !== undefined) all.add(f.oldPath);
  }
  return [...all].sort();
}

/**
 * Parses `git status --porcelain=v1 -z` output. Entries are `XY PATH\0`, followed by `ORIG_PATH\0` when X or Y
 * is R or C. Ignored entries (`!!`) are dropped. Paths are resolved against `top`.
 */
export function parseStatusZ(out: string, top: string): ChangedFile[] {
  const parts = out.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i];
    if (entry.length < 4) continue;
    const x = entry[0];
    const y = entry[1];
    const file = path.join(top, entry.slice(3));
    if (x === '!' && y === '!') continue;
    if (x === '?' && y === '?') {
      files.push({ path: file, status: 'untracked' });
      continue;
    }
    if (x === 'R' || x === 'C' || y === 'R' || y === 'C') {
      const old = parts[++i] ?? '';
      files.push({ path: file, status: x === 'C' || y === 'C' ? 'copied' : 'renamed', oldPath: path.join(top, old) });
      continue;
    }
    files.push({ path: file, status: statusOfXY(x, y) });
  }
  return files;
}

/**
 * Parses `git diff --name-status -z` output: `S\0PATH\0` entries, `R<score>\0OLD\0NEW\0` and
 * `C<score>\0OLD\0NEW\0` for renames and copies. Paths are resolved against `top`.
 */
export function parseNameStatusZ(out: string, top: string): ChangedFile[] {
  const parts = out.split('\0');
  const files: ChangedFile[] = [];
  for (let i = 0; i < parts.length; i++) {
    const code = parts[i];
    if (code === '') continue;
    const letter = code[0];
    if (letter === 'R' || letter === 'C') {
      const old = parts[++i] ?? '';
      const now = parts[++i] ?? '';
      files.push({ path: path.join(top, now), status: letter === 'R' ? 'renamed' : 'copied', oldPath: path.join(top, old) });
      continue;
    }
    const file = parts[++i] ?? '';
    if (file === '') continue;
    files.push({ path: path.join(top, file), status: LETTERS[letter] ?? 'modified' });
  }
  return files;
}

/**
 * The text of `file` (absolute, inside `repoRoot`) at commit `rev` (`git show REV:PATH`), or `undefined` when the
 * file does not exist in that commit. Rejects when git fails for another reason.
 */
export async function readAtRevision(host: Host, repoRoot: string, rev: string, file: string): Promise<string | undefined> {
  const rel = path.relative(repoRoot, file).split(path.sep).join('/');
  const listed = await host.git(['--literal-pathspecs', 'ls-tree', '-z', '--name-only', rev, '--', rel], repoRoot);
  if (listed.split('\0').every((l) => l !== rel)) return undefined;
  return host.git(['show', `${rev}:${rel}`], repoRoot);
}

// ---------------------------------------------------------------------------------------------------------

const LETTERS: Record<string, ChangeStatus> = { A: 'added', M: 'modified', D: 'deleted', T: 'typechange', U: 'unmerged', X: 'modified', B: 'modified' };

function statusOfXY(x: string, y: string): ChangeStatus {
  if (x === 'U' || y === 'U' || (x === 'A' && y === 'A') || (x === 'D' && y === 'D')) return 'unmerged';
  if (x === 'D' || y === 'D') return 'deleted';
  if (x === 'A') return 'added';
  if (x === 'T' || y === 'T') return 'typechange';
  return 'modified';
}

/** The repository's top folder and how to spell its paths under the caller's `cwd`. */
interface Repo {
  host: Host;
  /** `git rev-parse --show-toplevel` as git reports it (canonical). */
  top: string;
  /** Maps a path under `top` to the caller's spelling (through a symlinked `cwd`). */
  local: (abs: string) => string;
  /** HEAD's commit id, `undefined` before the first commit. */
  headCommit?: string;
}

async function openRepo(host: Host, cwd: string): Promise<Repo> {
  let top: string;
  try {
    top = path.resolve((await host.git(['rev-parse', '--show-toplevel'], cwd)).trim());
  } catch (err) {
    const msg = errorText(err);
    if (/not a git repository/i.test(msg)) throw new Error(`${cwd} is not inside a git repository`);
    throw new Error(`git could not run in ${cwd}: ${msg}`);
  }
  let local = (abs: string): string => abs;
  try {
    const real = await host.realpath(cwd);
    const inner = path.relative(top, real);
    if (real !== cwd && !inner.startsWith('..') && !path.isAbsolute(inner)) {
      const localTop = path.resolve(cwd, inner === '' ? '.' : inner.split(path.sep).map(() => '..').join(path.sep));
      local = (abs: string): string => path.join(localTop, path.relative(top, abs));
    }
  } catch {
    // An unresolvable cwd keeps git's spelling.
  }
  const head = await tryGit(host, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], top);
  return { host, top, local, headCommit: head?.trim() || undefined };
}

async function uncommitted(repo: Repo): Promise<ChangeSet> {
  const files = await statusFiles(repo);
  return {
    repoRoot: repo.top,
    files: finish(repo, files),
    base: repo.headCommit,
    description: repo.headCommit ? 'uncommitted changes (staged, unstaged, untracked)' : 'every file (the repository has no commits yet)',
  };
}

async function range(repo: Repo, base: string, head: string | undefined): Promise<ChangeSet> {
  if (!repo.headCommit && head === undefined) throw new Error(`the repository at ${repo.top} has no commits yet: nothing to compare with '${base}'`);
  const baseCommit = await resolveRef(repo, base);
  const headCommit = head === undefined ? (repo.headCommit as string) : await resolveRef(repo, head);
  let mergeBase: string;
  try {
    mergeBase = (await repo.host.git(['merge-base', baseCommit, headCommit], repo.top)).trim();
  } catch (err) {
    throw new Error(`'${base}' and '${head ?? 'HEAD'}' have no common ancestor in ${repo.top} (${firstLine(errorText(err))})`);
  }
  const args = ['diff', '--name-status', '-z', '-M', '--no-ext-diff', mergeBase];
  if (head !== undefined) args.push(headCommit);
  const diff = parseNameStatusZ(await gitOrExplain(repo, args), repo.top);
  const files = head === undefined ? mergeFiles(diff, await statusFiles(repo)) : diff;
  const short = mergeBase.slice(0, 12);
  return {
    repoRoot: repo.top,
    files: finish(repo, files),
    base: mergeBase,
    head: head === undefined ? undefined : headCommit,
    description: head === undefined
      ? `changes since ${short} (merge base of ${base} and HEAD), working tree and untracked files included`
      : `changes from ${short} (merge base of ${base} and ${head}) to ${head}`,
  };
}

async function statusFiles(repo: Repo): Promise<ChangedFile[]> {
  const out = await gitOrExplain(repo, ['--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=all', '--find-renames']);
  return parseStatusZ(out, repo.top);
}

/** Resolves a ref to a commit id, or throws "unknown git ref". Refs starting with `-` are refused (not options). */
async function resolveRef(repo: Repo, ref: string): Promise<string> {
  if (ref.trim() === '' || ref.startsWith('-')) throw new Error(`invalid git ref '${ref}'`);
  const out = await tryGit(repo.host, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], repo.top);
  if (out === undefined || out.trim() === '') throw new Error(`unknown git ref '${ref}' in ${repo.top}`);
  return out.trim();
}

/** Entries of `first` win; `second` adds paths not seen yet (untracked files, uncommitted changes). */
function mergeFiles(first: ChangedFile[], second: ChangedFile[]): ChangedFile[] {
  const seen = new Set(first.map((f) => f.path));
  return [...first, ...second.filter((f) => !seen.has(f.path))];
}

function finish(repo: Repo, files: ChangedFile[]): ChangedFile[] {
  return files
    .map((f) => (f.oldPath === undefined ? { ...f, path: repo.local(f.path) } : { ...f, path: repo.local(f.path), oldPath: repo.local(f.oldPath) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function gitOrExplain(repo: Repo, args: string[]): Promise<string> {
  try {
    return await repo.host.git(args, repo.top);
  } catch (err) {
    throw new Error(`git ${args.join(' ')} failed in ${repo.top}: ${firstLine(errorText(err))}`);
  }
}

async function tryGit(host: Host, args: string[], cwd: string): Promise<string | undefined> {
  try {
    return await host.git(args, cwd);
  } catch {
    return undefined;
  }
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
