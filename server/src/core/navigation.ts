/**
 * Go to Definition for imports of workspace code, resolved from the workspace itself (the importing package's
 * venv, editable installs and PEP 660 import hooks play no part, so it works with no venv at all):
 * - a dotted module -> its file under the providing package's source roots: `a/b/c.py` (or `.pyi`), else the
 *   package `a/b/c/__init__.py` (Python's import system, "Regular packages");
 * - `from x import name` -> the line of `name`'s module-level `def` / `async def` / `class` / assignment /
 *   annotation in `x`, following `from .sub import name` re-exports; else the submodule `x/name.py`; else `x`.
 *
 * I/O goes through a `SourceReader` (build one over the core `Host` with `readerFromHost`, with the editor's
 * open documents layered on top). Positions are 0-based, UTF-16 (model.ts).
 */
import * as path from 'node:path';
import type { Host } from './host';
import type { Location, Range } from './model';
import { scanPython } from './importScanner';

/** How navigation reads source files. `read` resolves `undefined` for a missing or unreadable file. */
export interface SourceReader {
  read(file: string): Promise<string | undefined>;
}

/**
 * A reader over `host.readFile` (UTF-8), answering from `overlay(file)` first (an open editor's text).
 * Read errors become `undefined`: a missing candidate file is the normal case, not a failure.
 */
export function readerFromHost(host: Host, overlay: (file: string) => string | undefined = () => undefined): SourceReader {
  return {
    async read(file) {
      const open = overlay(file);
      if (open !== undefined) return open;
      try {
        return Buffer.from(await host.readFile(file)).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The files that may hold dotted `module` under each source root, in lookup order: for every root
 * `<root>/a/b/c.py`, `<root>/a/b/c.pyi`, `<root>/a/b/c/__init__.py`, `<root>/a/b/c/__init__.pyi`.
 */
export function moduleFileCandidates(sourceRoots: readonly string[], module: string): string[] {
  const segs = module.split('.').filter((s) => s !== '');
  if (segs.length === 0) return [];
  const out: string[] = [];
  for (const root of sourceRoots) {
    const base = path.join(root, ...segs);
    out.push(`${base}.py`, `${base}.pyi`, path.join(base, '__init__.py'), path.join(base, '__init__.pyi'));
  }
  return out;
}

/** The first existing file of `moduleFileCandidates` with its text, or `undefined`. */
export async function findModuleFile(reader: SourceReader, sourceRoots: readonly string[], module: string): Promise<{ file: string; text: string } | undefined> {
  for (const file of moduleFileCandidates(sourceRoots, module)) {
    const text = await reader.read(file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

/**
 * The range of `name` where the module-level code of `text` defines it: `def name`, `async def name`,
 * `class name`, `name = ...`, `name: T = ...` or `name: T`, written at column 0. Lines inside triple-quoted
 * strings, bracketed expressions and backslash continuations are not statements and are skipped.
 * `undefined` when there is no such definition.
 */
export function findTopLevelDefinition(text: string, name: string): Range | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  const patterns = [
    new RegExp(`^(?:async[ \\t]+)?def[ \\t]+(${name})\\b`),
    new RegExp(`^class[ \\t]+(${name})\\b`),
    new RegExp(`^(${name})[ \\t]*(?::|=(?!=))`),
  ];
  const lines = text.split(/\r\n|\r|\n/);
  const state: LineState = { triple: undefined, depth: 0, continued: false };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const statementStart = state.triple === undefined && state.depth === 0 && !state.continued;
    if (statementStart) {
      for (const re of patterns) {
        const m = re.exec(line);
        if (!m) continue;
        const at = m.index + m[0].lastIndexOf(name);
        return { start: { line: i, character: at }, end: { line: i, character: at + name.length } };
      }
    }
    advance(line, state);
  }
  return undefined;
}

interface LineState {
  /** The open triple quote, when a triple-quoted string spans past the line. */
  triple: '"""' | "'''" | undefined;
  /** Open brackets. */
  depth: number;
  /** The line ended with a backslash continuation. */
  continued: boolean;
}

/** Moves the lexical state over one line (strings, comments, brackets, continuations). */
function advance(line: string, s: LineState): void {
  let i = 0;
  s.continued = false;
  while (i < line.length) {
    if (s.triple) {
      const close = line.indexOf(s.triple, i);
      if (close < 0) return;
      i = close + 3;
      s.triple = undefined;
      continue;
    }
    const c = line[i];
    if (c === '#') return;
    if (c === '"' || c === "'") {
      const three = line.slice(i, i + 3);
      if (three === '"""' || three === "'''") {
        s.triple = three;
        i += 3;
        continue;
      }
      i++;
      while (i < line.length && line[i] !== c) i += line[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') s.depth++;
    else if ((c === ')' || c === ']' || c === '}') && s.depth > 0) s.depth--;
    else if (c === '\\' && i === line.length - 1) s.continued = true;
    i++;
  }
}

/**
 * The module a module-level `from <relative> import name` in `file` (the module `module`) re-exports `name`
 * from, e.g. `acme.telemetry.logging` for `from .logging import get_logger` in `acme/telemetry/__init__.py`.
 * For `from . import name` the answer is the submodule `module.name` itself, with `submodule: true`.
 * `undefined` when `name` is not re-exported that way.
 */
export function reExportSource(file: string, module: string, text: string, name: string): { module: string; submodule: boolean } | undefined {
  const isInit = /^__init__\.pyi?$/.test(path.basename(file));
  const pkgSegs = module.split('.');
  if (!isInit) pkgSegs.pop();
  const lines = text.split(/\r\n|\r|\n/);
  for (const r of scanPython(text).imports) {
    if (r.level === 0 || r.dynamic || !r.names?.some((n) => n.name === name)) continue;
    if (!/^from\b/.test(lines[r.range.start.line] ?? '') || r.level - 1 > pkgSegs.length) continue;
    const base = pkgSegs.slice(0, pkgSegs.length - (r.level - 1));
    const target = [...base, ...(r.module ? r.module.split('.') : [name])].join('.');
    if (target !== module) return { module: target, submodule: r.module === '' };
  }
  return undefined;
}

/**
 * Where Go to Definition lands for the import of `module` (and `name`, for `from module import name`), searched
 * under `sourceRoots` (the providing package's import roots). Re-exports are followed up to 4 levels.
 * `undefined` when no file of the module exists under the roots (a namespace folder, a stale graph).
 */
export async function resolveDefinition(reader: SourceReader, sourceRoots: readonly string[], module: string, name?: string): Promise<Location | undefined> {
  const found = await findModuleFile(reader, sourceRoots, module);
  if (name === undefined) return fileStart(found);
  if (!found) return fileStart(await findModuleFile(reader, sourceRoots, `${module}.${name}`));
  let current = { ...found, module };
  for (let depth = 0; depth < 4; depth++) {
    const def = findTopLevelDefinition(current.text, name);
    if (def) return { file: current.file, range: def };
    const next = reExportSource(current.file, current.module, current.text, name);
    const file = next && (await findModuleFile(reader, sourceRoots, next.module));
    if (!next || !file) break;
    if (next.submodule) return fileStart(file);
    current = { ...file, module: next.module };
  }
  return fileStart((await findModuleFile(reader, sourceRoots, `${module}.${name}`)) ?? found);
}

function fileStart(found: { file: string } | undefined): Location | undefined {
  return found && { file: found.file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}
