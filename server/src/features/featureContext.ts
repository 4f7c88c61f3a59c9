/**
 * What the editor features (hover, definition, document links, code actions) share: the workspace state, the
 * host, the open documents, and the client's WorkspaceEdit capability. The server builds one `FeatureDeps` and
 * hands it to `registerEditorFeatures` (editorFeatures.ts); each handler resolves -> core -> converts.
 */
import * as path from 'node:path';
import type { WorkspaceEdit } from 'vscode-languageserver/node';
import { TextDocumentEdit } from 'vscode-languageserver/node';
import type { Host } from '../core/host';
import type { FileScan, PackageInfo } from '../core/model';
import type { TextEdit } from '../core/edits';
import type { Workspace } from '../core/workspace';
import { scanPython } from '../core/importScanner';
import { findModuleFile, readerFromHost, type SourceReader } from '../core/navigation';
import { isDockerfileName } from '../core/manifests/dockerfile';
import { isRequirementsFileName } from '../core/manifests/requirements';
import { pathToUri, toLspRange, uriToPath } from '../convert';
import type { WorkspaceState } from '../workspaceState';

/** The server-side inputs of the editor features. */
export interface FeatureDeps {
  state: WorkspaceState;
  host: Host;
  /** The text of the open document for an absolute path, if it is open. */
  openText(file: string): string | undefined;
  /** The version of the open document for an absolute path, if it is open. */
  openVersion(file: string): number | undefined;
  /** The URI the client uses for a file (an open document's own URI, else its `file:` URI). */
  uriFor(file: string): string;
  /** True when the client accepts `documentChanges` in a WorkspaceEdit (versioned edits). */
  documentChanges(): boolean;
  /** Logs a handler failure (the output channel). */
  logError(where: string, err: unknown): void;
}

/**
 * Runs `fn` on the workspace owning the document `uri`, after the edits queued before it; `undefined` for
 * non-`file:` URIs, files outside every root, or a failing `fn`. A failure is logged here, so that a broken
 * hover never turns the whole server's status to `error` (as a failing analysis does).
 */
export async function withWorkspace<T>(deps: FeatureDeps, uri: string, fn: (ws: Workspace, file: string) => Promise<T>): Promise<T | undefined> {
  const file = uriToPath(uri);
  const root = file === undefined ? undefined : deps.state.rootFor(file);
  if (file === undefined || root === undefined) return undefined;
  return deps.state.run(root, async (ws) => {
    try {
      return await fn(ws, file);
    } catch (err) {
      deps.logError(`${path.basename(file)}`, err);
      return undefined;
    }
  });
}

/** The text of `file`: the open document's, else the disk's (UTF-8); `undefined` when it cannot be read. */
export async function readText(deps: FeatureDeps, file: string): Promise<string | undefined> {
  return reader(deps).read(file);
}

/** A navigation reader answering from open documents first, then the disk. */
export function reader(deps: FeatureDeps): SourceReader {
  return readerFromHost(deps.host, (f) => deps.openText(f));
}

/** The import scan of a Python file as the editor shows it: the open text scanned now, else the workspace's cache. */
export async function scanOf(deps: FeatureDeps, ws: Workspace, file: string): Promise<FileScan | undefined> {
  const open = deps.openText(file);
  if (open !== undefined) return scanPython(open);
  const cached = ws.scanOf(file);
  if (cached) return cached;
  const disk = await readText(deps, file);
  return disk === undefined ? undefined : scanPython(disk);
}

/**
 * A WorkspaceEdit over several files: `documentChanges` with each open document's version (null when closed)
 * when the client supports it, else `changes`.
 */
export function workspaceEdit(deps: FeatureDeps, edits: Map<string, TextEdit[]>): WorkspaceEdit {
  const lsp = (list: TextEdit[]) => list.map((e) => ({ range: toLspRange(e.range), newText: e.newText }));
  if (deps.documentChanges()) {
    return {
      documentChanges: [...edits].map(([file, list]) => TextDocumentEdit.create({ uri: deps.uriFor(file), version: deps.openVersion(file) ?? null }, lsp(list))),
    };
  }
  const changes: Record<string, ReturnType<typeof lsp>> = {};
  for (const [file, list] of edits) changes[deps.uriFor(file)] = lsp(list);
  return { changes };
}

/** The `file:` URI of a path as the client knows it. */
export function uriOf(deps: FeatureDeps, file: string): string {
  return deps.uriFor(file) || pathToUri(file);
}

/** True for Python sources the features answer in (`.py`, `.pyi`). */
export function isPythonDocument(file: string): boolean {
  return /\.pyi?$/i.test(file);
}

/** True for the manifests whose entries the features locate: pyproject.toml and requirements files of the graph. */
export function isManifestDocument(ws: Workspace, file: string): boolean {
  const base = path.basename(file);
  return base.toLowerCase() === 'pyproject.toml' || isRequirementsFileName(base) || (ws.isManifest(file) && !isDockerfileName(base));
}

/**
 * The file "Open library source" opens for `module` of `lib`: the deepest existing module file from `module` up to
 * the package's own import name, else the file of the package's first module; `undefined` when none exists.
 */
export async function librarySource(deps: FeatureDeps, lib: PackageInfo, module: string | undefined): Promise<string | undefined> {
  const r = reader(deps);
  const tries: string[] = [];
  if (module) {
    const segs = module.split('.');
    for (let n = segs.length; n >= 1; n--) tries.push(segs.slice(0, n).join('.'));
  }
  tries.push(...lib.modules);
  for (const m of tries) {
    const found = await findModuleFile(r, lib.sourceRoots, m);
    if (found) return found.file;
  }
  return undefined;
}
