/**
 * The build-stage model of a Dockerfile read (see dockerfile.ts): instructions with file positions, COPY/ADD steps,
 * and the mapping of an image path back to the host path under the build context that a COPY put there.
 */
import * as path from 'node:path';
import picomatch from 'picomatch';
import type { MappedText } from './textLines';

export interface Instruction {
  keyword: string;
  line: number;
  /** The instruction's arguments (the text after the keyword), mapped to file positions. */
  args: MappedText;
  /** Bodies of heredocs opened by this instruction, in order. */
  heredocs: { word: string; body: MappedText }[];
}

export interface CopyStep {
  sources: string[];
  dest: string;
  /** `dest` written with a trailing `/` or for several sources: files land inside it. */
  destIsDir: boolean;
  /** Content from another stage, an image or a URL: installs from here cannot be traced to the host. */
  opaque: boolean;
}

export interface Stage {
  name?: string;
  workdir: string;
  copies: CopyStep[];
  vars: Map<string, string>;
}

/** An absolute, normalized image path for `p` written relative to `workdir`. */
export function imagePath(workdir: string, p: string): string {
  const joined = p.startsWith('/') ? path.posix.normalize(p) : path.posix.join(workdir, p);
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}


export const FILE_LIKE = /\.(txt|in|toml|cfg|py|lock|json|ya?ml|ini|sh|md|whl|tar\.gz|tgz|zip)$/i;

/**
 * The host path an image path came from: the COPY whose destination is the closest ancestor of `target` wins
 * (later steps win ties); `opaque` when that step copied from another stage or a URL; `undefined` when no step
 * explains it. Without the file system, a source ending in a file extension is taken for a file.
 */
export function hostPathOf(target: string, stage: Stage, contextDir: string): string | 'opaque' | undefined {
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
export function globMatches(pattern: string, name: string): boolean {
  try {
    return picomatch(pattern, { dot: true })(name);
  } catch {
    return false;
  }
}

/** Docker variable substitution (`$X`, `${X}`, `${X:-d}`, `${X:+d}`); `undefined` when a variable is unknown. */
export function substitute(text: string, vars: ReadonlyMap<string, string>): string | undefined {
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
