/**
 * pymono's hovers in a real workbench, on the copy of examples/monorepo the driver opened:
 * - on an internal import (`acme.telemetry` in orders-api's events.py) the hover names the distribution, its
 *   version (from the library's pyproject.toml), how orders-api declares it, and its direct dependents (from
 *   expected-graph.json);
 * - on the undeclared third-party import of expected-findings.json (`requests`, PM001) it says the importing
 *   package does not declare it, with the rule code;
 * - the hover shown for real in the editor (`editor.action.showHover`) is the README's picture, docs/images/hover.png.
 *
 * Hovers are asked through `vscode.executeHoverProvider`, i.e. every provider VS Code has for the position
 * (only pymono's in this workbench: no Python extension is installed).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { pickImportFinding, readExpectedFindings } from './findings';
import { activatePymono } from './pymono';
import { snapTransient } from './screenshots';
import { withTimeout } from './waits';

/** Bound on one hover request (the server may still be re-checking after an earlier test's edit), in milliseconds. */
const HOVER_TIMEOUT_MS = 20_000;

interface ExpectedGraph {
  packages: { name: string; path: string; kind: string; dependencies: string[]; devDependencies: string[] }[];
}

/** The Markdown (or plain) text of every hover VS Code returns at `position`, joined by blank lines. */
async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await withTimeout(
    vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position),
    HOVER_TIMEOUT_MS,
    `the hover at ${path.basename(uri.fsPath)}:${position.line + 1}:${position.character + 1}`,
  );
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n\n');
}

/**
 * The position of `word` on the first line of `doc` that starts with `lineStart` (the middle of the word, so
 * the position is inside it whichever way the provider rounds). Fails naming the file when there is no such line.
 */
function positionIn(doc: vscode.TextDocument, lineStart: string, word: string): vscode.Position {
  for (let i = 0; i < doc.lineCount; i++) {
    const text = doc.lineAt(i).text;
    if (!text.startsWith(lineStart)) continue;
    const at = text.indexOf(word);
    assert.ok(at >= 0, `${doc.uri.fsPath}:${i + 1} '${text}' has no '${word}'`);
    return new vscode.Position(i, at + Math.floor(word.length / 2));
  }
  assert.fail(`${doc.uri.fsPath} has no line starting with '${lineStart}'`);
}

/** `[project] version` of a pyproject.toml's text (a plain `version = "..."` line), for assertions. */
function projectVersion(file: string): string {
  const m = /^version\s*=\s*"([^"]+)"/m.exec(fs.readFileSync(file, 'utf8'));
  assert.ok(m, `${file} has no version = "..." line`);
  return m[1];
}


describe('pymono hovers (real extension host)', function () {
  let root: vscode.Uri;
  let events: vscode.TextDocument;
  let graph: ExpectedGraph;
  /** The position of `telemetry` in `from acme.telemetry.logging import get_logger`. */
  let telemetryAt: vscode.Position;

  before(async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the workbench opened no workspace folder');
    root = folder.uri;
    graph = JSON.parse(fs.readFileSync(path.join(root.fsPath, 'expected-graph.json'), 'utf8')) as ExpectedGraph;
    await activatePymono();
    events = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, 'services', 'orders-api', 'src', 'orders_api', 'events.py'));
    telemetryAt = positionIn(events, 'from acme.telemetry.logging import', 'telemetry');
  });

  it('on an internal import names the distribution, its version, how the importer declares it and its direct dependents', async function () {
    const text = await hoverText(events.uri, telemetryAt);
    assert.ok(text !== '', `no hover on 'acme.telemetry' in events.py:${telemetryAt.line + 1}`);
    const version = projectVersion(path.join(root.fsPath, 'libs', 'telemetry', 'pyproject.toml'));
    assert.ok(text.includes('**acme-telemetry**'), `the hover does not name acme-telemetry:\n${text}`);
    assert.ok(text.includes(`\`${version}\``), `the hover does not give acme-telemetry's version ${version}:\n${text}`);
    assert.match(text, /`orders-api` declares `acme-telemetry`/, `the hover does not say how orders-api declares it:\n${text}`);
    assert.match(text, /workspace source/, `the hover does not show orders-api's { workspace = true } source:\n${text}`);

    const usedBy = /^Used by \(direct\): (.*)$/m.exec(text);
    assert.ok(usedBy, `the hover has no 'Used by (direct)' line:\n${text}`);
    const shown = [...usedBy[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort();
    const direct = graph.packages.filter((p) => p.dependencies.includes('acme-telemetry')).map((p) => p.name).sort();
    assert.deepStrictEqual(shown, direct, `direct dependents in the hover vs expected-graph.json (line: '${usedBy[0]}')`);
  });

  it('on the undeclared import of expected-findings.json says the importing package does not declare it', async function () {
    const finding = pickImportFinding(readExpectedFindings(root.fsPath));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, ...finding.path.split('/')));
    const line = doc.lineAt(finding.line - 1).text;
    const at = line.indexOf(finding.module);
    assert.ok(at >= 0, `${finding.path}:${finding.line} '${line}' does not import ${finding.module}`);
    const text = await hoverText(doc.uri, new vscode.Position(finding.line - 1, at + 1));
    const owner = graph.packages.find((p) => finding.path.startsWith(`${p.path}/`));
    assert.ok(owner, `expected-graph.json has no package owning ${finding.path}`);
    assert.ok(text.includes(`**${finding.module}**`), `the hover does not name the distribution ${finding.module}:\n${text}`);
    assert.ok(text.includes(`**Not declared** by \`${owner.name}\``), `the hover does not say ${owner.name} does not declare it:\n${text}`);
    assert.ok(text.includes(`\`${finding.code}\``), `the hover does not name the finding ${finding.code}:\n${text}`);
  });

  it('shows the internal-package hover in the editor (docs/images/hover.png)', async function () {
    // The editor gets the full height: the Problems panel an earlier test opened would squeeze the hover.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    // The driver takes the picture once pymono's content is rendered inside the editor's hover widget.
    await snapTransient('hover', { waitForText: 'Used by (direct)', within: '.monaco-hover', timeoutMs: 8_000 }, async () => {
      await vscode.window.showTextDocument(events, { selection: new vscode.Range(telemetryAt, telemetryAt), preview: false });
      await vscode.commands.executeCommand('editor.action.showHover');
    });
    await vscode.commands.executeCommand('editor.action.hideHover');
  });
});
