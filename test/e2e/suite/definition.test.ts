/**
 * Go to Definition on imports of internal libraries in a real workbench, on the copy of examples/monorepo the
 * driver opened (no virtual environment exists there, so the answer can only come from pymono):
 * - `from mq_client import Publisher` lands on `class Publisher` in libs/mq-client/mq_client/publisher.py
 *   (through the package's `from .publisher import Publisher` re-export);
 * - `from acme.telemetry.logging import get_logger` lands on `def get_logger` in the PEP 420 namespace package
 *   under libs/telemetry/src;
 * - the editor command `editor.action.revealDefinition` opens that file as the active editor at that line.
 */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { activatePymono } from './pymono';
import { withTimeout } from './waits';

/** Bound on one definition request or one editor switch, in milliseconds. */
const TIMEOUT_MS = 20_000;

/** Where a definition result points, whichever of Location / LocationLink the provider returned. */
function target(d: vscode.Location | vscode.LocationLink): { uri: vscode.Uri; range: vscode.Range } {
  return 'targetUri' in d ? { uri: d.targetUri, range: d.targetSelectionRange ?? d.targetRange } : { uri: d.uri, range: d.range };
}

function describeTargets(found: readonly (vscode.Location | vscode.LocationLink)[]): string {
  if (found.length === 0) return '(none)';
  return found.map((d) => target(d)).map((t) => `${t.uri.fsPath}:${t.range.start.line + 1}:${t.range.start.character + 1}`).join(', ');
}

/** The 0-based line of the first line of `doc` matching `re`; fails naming the file when none does. */
function lineMatching(doc: vscode.TextDocument, re: RegExp): number {
  for (let i = 0; i < doc.lineCount; i++) if (re.test(doc.lineAt(i).text)) return i;
  assert.fail(`${doc.uri.fsPath} has no line matching ${re}`);
}

/**
 * Resolves with the active editor once it shows `file` (checked now and on every active-editor change); rejects
 * after `ms` milliseconds naming the file the active editor shows then.
 */
function waitForActiveEditor(file: vscode.Uri, ms: number): Promise<vscode.TextEditor> {
  return new Promise<vscode.TextEditor>((resolve, reject) => {
    const check = (e: vscode.TextEditor | undefined): void => {
      if (e?.document.uri.fsPath !== file.fsPath) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    };
    const sub = vscode.window.onDidChangeActiveTextEditor(check);
    const timer = setTimeout(() => {
      sub.dispose();
      const active = vscode.window.activeTextEditor?.document.uri.fsPath ?? 'none';
      reject(new Error(`timed out after ${ms} ms waiting for ${path.basename(file.fsPath)} to become the active editor (active: ${active})`));
    }, ms);
  });
}

describe('pymono go to definition on internal imports (real extension host)', function () {
  let root: vscode.Uri;
  let events: vscode.TextDocument;

  /** The position inside `name` on the line of events.py that is exactly `line`. */
  const at = (line: string, name: string): vscode.Position => {
    const i = lineMatching(events, new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    return new vscode.Position(i, events.lineAt(i).text.lastIndexOf(name) + 1);
  };

  const definitions = async (position: vscode.Position): Promise<(vscode.Location | vscode.LocationLink)[]> =>
    (await withTimeout(
      vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', events.uri, position),
      TIMEOUT_MS,
      `the definition at events.py:${position.line + 1}:${position.character + 1}`,
    )) ?? [];

  /** Asserts that `found` is one location: `file` (relative to the root, POSIX) at the line matching `re`. */
  const assertLandsOn = async (found: readonly (vscode.Location | vscode.LocationLink)[], file: string, re: RegExp): Promise<void> => {
    assert.strictEqual(found.length, 1, `expected one definition, got ${describeTargets(found)}`);
    const expected = vscode.Uri.joinPath(root, ...file.split('/'));
    const t = target(found[0]);
    assert.strictEqual(t.uri.fsPath, expected.fsPath, 'the definition is in the wrong file');
    const line = lineMatching(await vscode.workspace.openTextDocument(expected), re);
    assert.strictEqual(t.range.start.line + 1, line + 1, `the definition should be on ${file}:${line + 1} (${re})`);
  };

  before(async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the workbench opened no workspace folder');
    root = folder.uri;
    await activatePymono();
    events = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'services', 'orders-api', 'src', 'orders_api', 'events.py'));
  });

  it('lands on the class a library re-exports from its package (from mq_client import Publisher)', async function () {
    const found = await definitions(at('from mq_client import Publisher', 'Publisher'));
    await assertLandsOn(found, 'libs/mq-client/mq_client/publisher.py', /^class Publisher\b/);
  });

  it('lands on the function in a PEP 420 namespace library with a src layout (acme.telemetry.logging)', async function () {
    const found = await definitions(at('from acme.telemetry.logging import get_logger', 'get_logger'));
    await assertLandsOn(found, 'libs/telemetry/src/acme/telemetry/logging.py', /^def get_logger\b/);
  });

  it("opens the library's file at the definition from the editor command (editor.action.revealDefinition)", async function () {
    const position = at('from mq_client import Publisher', 'Publisher');
    const expected = vscode.Uri.joinPath(root, 'libs', 'mq-client', 'mq_client', 'publisher.py');
    await vscode.window.showTextDocument(events, { selection: new vscode.Range(position, position), preview: false });
    const opened = waitForActiveEditor(expected, TIMEOUT_MS);
    await vscode.commands.executeCommand('editor.action.revealDefinition');
    const editor = await opened;
    const line = lineMatching(editor.document, /^class Publisher\b/);
    assert.strictEqual(editor.selection.active.line + 1, line + 1, `the cursor should be on publisher.py:${line + 1} (class Publisher)`);
  });
});
