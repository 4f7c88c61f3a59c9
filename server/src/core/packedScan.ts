/**
 * A compact, retained form of a FileScan. The Workspace keeps every file's imports between checks (a manifest
 * edit re-evaluates them without re-reading files); as plain objects that is four objects per import and per imported
 * name (record, range, start, end) — about 100 MB for 50,000 files. Packed, a file's imports are one Int32Array and
 * one short string array, and a FileScan is rebuilt only for the moment a check or an editor feature needs it.
 *
 * Layout of `ints`, per record: module index, level, flags (1 typeOnly, 2 optional, 4 dynamic, 8 suppressed all,
 * 16 has suppressed codes, 32 has names), suppressed-codes index (into `strings`, codes joined by ','; -1 when none),
 * start line, start character, end line, end character, name count, then per name: name index, start line, start
 * character, end line, end character.
 */
import type { FileScan, ImportRecord, Range } from './model';

/** A FileScan packed for retention. `problems` is kept as is (rare). */
export interface PackedScan {
  strings: string[];
  ints: Int32Array;
  count: number;
  problems: FileScan['problems'];
}

/** Bits of a packed record's flags word. */
export const PACKED_FLAGS = { typeOnly: 1, optional: 2, dynamic: 4, suppressAll: 8, suppressCodes: 16, hasNames: 32 } as const;
const { typeOnly: TYPE_ONLY, optional: OPTIONAL, dynamic: DYNAMIC, suppressAll: SUPPRESS_ALL, suppressCodes: SUPPRESS_CODES, hasNames: HAS_NAMES } = PACKED_FLAGS;

/** Packs a scan. Strings are de-duplicated within the file. */
export function packScan(scan: FileScan): PackedScan {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const intern = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  let size = 0;
  for (const r of scan.imports) size += 9 + 5 * (r.names?.length ?? 0);
  const ints = new Int32Array(size);
  let p = 0;
  const range = (r: Range): void => {
    ints[p++] = r.start.line;
    ints[p++] = r.start.character;
    ints[p++] = r.end.line;
    ints[p++] = r.end.character;
  };
  for (const r of scan.imports) {
    const s = r.suppressed;
    ints[p++] = intern(r.module);
    ints[p++] = r.level;
    ints[p++] =
      (r.typeOnly ? TYPE_ONLY : 0) | (r.optional ? OPTIONAL : 0) | (r.dynamic ? DYNAMIC : 0) |
      (s === 'all' ? SUPPRESS_ALL : 0) | (Array.isArray(s) ? SUPPRESS_CODES : 0) | (r.names ? HAS_NAMES : 0);
    ints[p++] = Array.isArray(s) ? intern(s.join(',')) : -1;
    range(r.range);
    const names = r.names ?? [];
    ints[p++] = names.length;
    for (const n of names) {
      ints[p++] = intern(n.name);
      range(n.range);
    }
  }
  return { strings, ints, count: scan.imports.length, problems: scan.problems };
}

/** The range stored at `at` in a packed scan's ints (start line, start character, end line, end character). */
export function packedRange(ints: Int32Array, at: number): Range {
  return { start: { line: ints[at], character: ints[at + 1] }, end: { line: ints[at + 2], character: ints[at + 3] } };
}

/** Rebuilds the FileScan (fresh objects, equal to the packed one). */
export function unpackScan(packed: PackedScan): FileScan {
  const { strings, ints } = packed;
  let p = 0;
  const range = (): Range => {
    const r = { start: { line: ints[p], character: ints[p + 1] }, end: { line: ints[p + 2], character: ints[p + 3] } };
    p += 4;
    return r;
  };
  const imports: ImportRecord[] = [];
  for (let i = 0; i < packed.count; i++) {
    const module = strings[ints[p++]];
    const level = ints[p++];
    const flags = ints[p++];
    const codes = ints[p++];
    const record: ImportRecord = { module, level, range: range(), typeOnly: (flags & TYPE_ONLY) !== 0, optional: (flags & OPTIONAL) !== 0, dynamic: (flags & DYNAMIC) !== 0 };
    const n = ints[p++];
    if (flags & HAS_NAMES) {
      record.names = [];
      for (let k = 0; k < n; k++) {
        const name = strings[ints[p++]];
        record.names.push({ name, range: range() });
      }
    }
    if (flags & SUPPRESS_ALL) record.suppressed = 'all';
    else if (flags & SUPPRESS_CODES) record.suppressed = strings[codes].split(',');
    imports.push(record);
  }
  return { imports, problems: packed.problems };
}
