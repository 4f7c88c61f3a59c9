/**
 * Text edits for manifest quick fixes: the LSP-shaped `TextEdit` the code actions hand to the editor, and the
 * offset-based edits the manifest editors compute internally.
 *
 * Positions follow `model.ts` (0-based lines, UTF-16 characters, LSP line ends `\n`, `\r\n`, `\r`; a leading
 * byte order mark takes no column, as in an editor buffer). Offsets are UTF-16 indexes into the raw text.
 */
import type { Position, Range } from '../model';
import { positionAt } from '../manifests/textLines';

/** One LSP text edit: replace `range` (half-open, in the original text) by `newText`. */
export type TextEdit = { range: Range; newText: string };

/** An edit in offsets: replace `text.slice(start, end)` by `newText` (`start === end` inserts). */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/**
 * What a step of a manifest edit returns: edits against the text it was given, or why it cannot be done
 * (a sentence for the user, e.g. "[project] dependencies is dynamic").
 */
export type Step = { ok: true; edits: OffsetEdit[] } | { ok: false; reason: string };

/** A step of a manifest edit, computed from the manifest's current text. */
export type TextOp = (text: string) => Step;

/**
 * The UTF-16 offset of an LSP `position` in `text` (inverse of `textLines.positionAt`): lines end at `\n`,
 * `\r\n` or `\r`, a leading BOM takes no column. A character past the end of its line clamps to the line end;
 * a line past the end clamps to the end of the text.
 */
export function offsetAt(text: string, position: Position): number {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let line = 0; line < position.line; line++) {
    while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    if (i >= text.length) return text.length;
    i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
  }
  let end = i;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return Math.min(i + Math.max(0, position.character), end);
}

/** Converts offset edits on `text` to LSP text edits (same order). */
export function toTextEdits(text: string, edits: OffsetEdit[]): TextEdit[] {
  return edits.map((e) => ({ range: { start: positionAt(text, e.start), end: positionAt(text, e.end) }, newText: e.newText }));
}

/**
 * Applies LSP text edits to `text` and returns the new text. Edits are against the original text and must not
 * overlap; inserts at the same position appear in array order (the LSP rule). Used by tests and the CLI.
 * Throws a `RangeError` naming both edits when two ranges overlap (a caller bug: the editors never produce that).
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  return applyOffsetEdits(
    text,
    edits.map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText })),
  );
}

/** `applyEdits` over offset edits (same rules: no overlaps, same-offset inserts in array order). */
export function applyOffsetEdits(text: string, edits: OffsetEdit[]): string {
  const sorted = sortEdits(edits);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at || e.end < e.start) {
      throw new RangeError(`overlapping or inverted text edits at offsets ${e.start}..${e.end} (previous edit ends at ${at})`);
    }
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Sorts by start then end, keeping array order among equals (so same-offset inserts keep their order). */
function sortEdits(edits: OffsetEdit[]): OffsetEdit[] {
  return edits
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i)
    .map((x) => x.e);
}

/**
 * Merges edits computed independently against one text: sorted, with touching edits (one ends where the next
 * starts, or two inserts at one offset) joined into one edit. `undefined` when two edits overlap.
 */
export function mergeEdits(edits: OffsetEdit[]): OffsetEdit[] | undefined {
  const out: OffsetEdit[] = [];
  for (const e of sortEdits(edits)) {
    const last = out[out.length - 1];
    if (last && e.start < last.end) return undefined;
    if (last && e.start === last.end) out[out.length - 1] = { start: last.start, end: e.end, newText: last.newText + e.newText };
    else out.push({ ...e });
  }
  return out;
}

/**
 * The single smallest edit that turns `before` into `after` (common prefix and suffix kept), or `[]` when they
 * are equal. The edit never starts or ends between a `\r` and its `\n`.
 */
export function diffEdits(before: string, after: string): OffsetEdit[] {
  if (before === after) return [];
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before[p] === after[p]) p++;
  let s = 0;
  while (s < max - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  if (p > 0 && before[p - 1] === '\r' && before[p] === '\n') p--;
  if (s > 0 && before[before.length - s] === '\n' && before[before.length - s - 1] === '\r') s--;
  return [{ start: p, end: before.length - s, newText: after.slice(p, after.length - s) }];
}

/**
 * Runs the steps of one manifest edit. Each step is first computed against the original text and their edits
 * merged, which keeps every edit small and separate; when two steps touch the same span the steps run one after
 * the other on the evolving text instead and the result is one `diffEdits` edit. The first failing step's
 * reason is returned.
 */
export function runOps(text: string, ops: TextOp[]): Step {
  const all: OffsetEdit[] = [];
  for (const op of ops) {
    const step = op(text);
    if (!step.ok) return step;
    all.push(...step.edits);
  }
  const merged = mergeEdits(all);
  if (merged) return { ok: true, edits: merged };
  let current = text;
  for (const op of ops) {
    const step = op(current);
    if (!step.ok) return step;
    current = applyOffsetEdits(current, step.edits);
  }
  return { ok: true, edits: diffEdits(text, current) };
}

/**
 * Repeats `op` on the evolving text until it returns no edits (at most `limit` times), for "remove every
 * declaration of x": the result is the first round's edits when one round sufficed, else one `diffEdits` edit.
 */
export function repeatOp(op: TextOp, limit = 50): TextOp {
  return (text) => {
    let current = text;
    let first: OffsetEdit[] | undefined;
    for (let round = 0; round < limit; round++) {
      const step = op(current);
      if (!step.ok) return step;
      if (step.edits.length === 0) break;
      if (round === 0) first = step.edits;
      current = applyOffsetEdits(current, step.edits);
    }
    if (current === text) return { ok: true, edits: [] };
    return { ok: true, edits: first && applyOffsetEdits(text, first) === current ? first : diffEdits(text, current) };
  };
}
