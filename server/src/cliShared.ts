/**
 * What the CLI's commands share: the usage error type (exit code 2), ROOT resolution, changed-file paths and error
 * messages.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A mistake in how the CLI was called (bad ROOT, unknown code, git failure): reported on stderr, exit code 2. */
export class UsageError extends Error {}

/** Resolves ROOT (default: `cwd`) to a canonical existing directory, or throws a UsageError saying what is wrong. */
export function resolveRoot(root: string | undefined, cwd: string = process.cwd()): string {
  const abs = path.resolve(cwd, root ?? '.');
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (err) {
    throw new UsageError(`root '${root ?? '.'}' does not exist or cannot be read (${errorMessage(err)})`);
  }
  if (!st.isDirectory()) throw new UsageError(`root '${root ?? '.'}' is not a directory`);
  return fs.realpathSync(abs);
}

/** Absolute, canonical form of a file given relative to `base`; a deleted file keeps its resolved path. */
export function canonicalFile(file: string, base: string): string {
  const abs = path.resolve(base, file);
  try {
    return fs.realpathSync(abs);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
    } catch {
      return abs;
    }
  }
}

/** The message of an unknown thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
