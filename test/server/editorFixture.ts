/**
 * Shared by the editor-feature server tests (hover, definition, code actions): a temp copy of
 * examples/monorepo, a server initialized with the capabilities VS Code announces for those features, helpers to
 * find a position by text, and a WorkspaceEdit applier that writes the result to disk like the editor would.
 */
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ClientCapabilities,
  type InitializeResult,
  InitializeRequest,
  InitializedNotification,
  type Position,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/core/edits/textEdit';
import { ensureBuilt, type LspClient, REPO, startServer, uriOf } from './lspClient';

/** A fresh copy of examples/monorepo; returns the copy's root (a `monorepo` folder inside a temp folder). */
export function copyExample(): string {
  const root = path.join(realpathSync(mkdtempSync(path.join(os.tmpdir(), 'pymono-editor-'))), 'monorepo');
  cpSync(path.join(REPO, 'examples', 'monorepo'), root, { recursive: true });
  return root;
}

/** What VS Code 1.9x announces for the features under test (plus what lspClient.ts announces for the rest). */
export const EDITOR_CAPABILITIES: ClientCapabilities = {
  workspace: {
    workspaceFolders: true,
    configuration: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { didSave: true },
    publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    definition: { linkSupport: false },
    documentLink: { tooltipSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
    },
  },
};

/** Starts the built server and initializes it on `root` with `caps`; resolves after the first ready status. */
export async function bootEditor(root: string, caps: ClientCapabilities = EDITOR_CAPABILITIES): Promise<{ s: LspClient; init: InitializeResult }> {
  const s = startServer();
  const init = await s.connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: uriOf(root),
    workspaceFolders: [{ uri: uriOf(root), name: path.basename(root) }],
    capabilities: caps,
  });
  await s.connection.sendNotification(InitializedNotification.type, {});
  await s.waitForStatus(['ready', 'error']);
  return { s, init };
}

/** The absolute path of a POSIX path relative to `root`. */
export function at(root: string, rel: string): string {
  return path.join(root, ...rel.split('/'));
}

/**
 * The position of the `nth` occurrence (0-based) of `needle` in `file`, moved `offset` characters into it.
 * Fails the test when the text is not there (the example changed).
 */
export function positionOf(file: string, needle: string, offset = 0, nth = 0, text = readFileSync(file, 'utf8')): Position {
  const lines = text.split(/\r?\n/);
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    let from = 0;
    for (;;) {
      const i = lines[line].indexOf(needle, from);
      if (i < 0) break;
      if (seen++ === nth) return { line, character: i + offset };
      from = i + 1;
    }
  }
  assert.fail(`'${needle}' not found in ${file}`);
}

/**
 * Applies a WorkspaceEdit (documentChanges or changes) to the files' disk text and returns file -> new text.
 * Writes the results to disk (a closed file the editor edits and saves) unless `write` is false (an open
 * document: the editor changes its buffer and sends didChange; the disk is written only when it is saved).
 */
export function applyWorkspaceEdit(edit: WorkspaceEdit | undefined, write = true): Map<string, string> {
  assert.ok(edit, 'the action carries an edit');
  const perFile = new Map<string, TextEdit[]>();
  for (const dc of edit.documentChanges ?? []) {
    assert.ok('textDocument' in dc, 'only text document edits');
    perFile.set(fileURLToPath(dc.textDocument.uri), dc.edits as TextEdit[]);
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) perFile.set(fileURLToPath(uri), edits);
  const out = new Map<string, string>();
  for (const [file, edits] of perFile) {
    const next = applyEdits(readFileSync(file, 'utf8'), edits);
    if (write) writeFileSync(file, next);
    out.set(file, next);
  }
  return out;
}

/** Markdown text of a hover's contents (MarkupContent, MarkedString or an array of them). */
export function hoverText(contents: unknown): string {
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map(hoverText).join('\n');
  if (contents && typeof contents === 'object' && 'value' in contents) return String((contents as { value: unknown }).value);
  return '';
}

/**
 * Registers the mocha hooks of a suite that boots the built server on a fresh copy of examples/monorepo for each
 * test, and removes the copy afterwards; `onBoot` receives the client and the copy's root.
 */
export function useExampleServer(onBoot: (s: LspClient, root: string) => void): void {
  let s: LspClient | undefined;
  let root = '';
  before(() => ensureBuilt());
  beforeEach(async () => {
    root = copyExample();
    s = (await bootEditor(root)).s;
    onBoot(s, root);
  });
  afterEach(() => {
    s?.kill();
    s = undefined;
    rmSync(path.dirname(root), { recursive: true, force: true });
  });
}
