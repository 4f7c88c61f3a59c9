/**
 * `textDocument/codeAction`: quick fixes built from `Diagnostic.data` (the finding's FixData, so nothing is
 * re-analysed), the ignore fixes every rule has, `source.fixAll.pymono`, and "Open library source" on internal
 * imports. Manifest edits come from core/edits (format-preserving) and core/ignoreEdits.ts; the text edited is
 * the open document's when the manifest is open, else the disk's. After the client applies an edit, the usual
 * didChange / file-watcher flow re-checks and the diagnostic goes away.
 *
 * Fixes per rule (preferred first): PM001/PM003 add the requirement (Single Version Policy spec from FixData);
 * PM002 add the internal library (with a uv workspace source unless the root's sources cover it); PM004 move
 * to runtime; PM005 remove; PM009 remove. Then "Ignore on this line" and "Ignore for this package".
 */
import * as path from 'node:path';
import { type CodeAction, CodeActionKind, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import { addInternalRequirement, addRequirement, applyEdits, moveToRuntime, removeRequirement, type ManifestEditResult, type TextEdit } from '../core/edits';
import { diffEdits, toTextEdits } from '../core/edits/textEdit';
import { importAt } from '../core/entryAt';
import { classifyImport } from '../core/hoverFacts';
import { ignoreForPackageEdits, ignoreOnLineEdit } from '../core/ignoreEdits';
import { normalizeName } from '../core/manifests/pep508';
import { parsePyproject } from '../core/manifests/pyproject';
import type { FixData, Finding } from '../core/model';
import type { Workspace } from '../core/workspace';
import { DIAGNOSTIC_SOURCE } from '../convert';
import { OPEN_SOURCE_COMMAND } from '../core/hoverContent';
import { type FeatureDeps, isPythonDocument, librarySource, readText, scanOf, uriOf, withWorkspace, workspaceEdit } from './featureContext';

/** The kind of the fix-all source action (a sub-kind of `source.fixAll`, as vscode-eslint names its own). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.pymono`;

const ACTIONS = new Set<FixData['action']>(['add', 'add-internal', 'move-to-runtime', 'remove']);

/** Narrows `Diagnostic.data` to the FixData the server put there (convert.ts); `undefined` for anything else. */
export function parseFixData(data: unknown): FixData | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const str = (k: string): boolean => typeof d[k] === 'string';
  if (!ACTIONS.has(d.action as FixData['action']) || !str('package') || !str('manifest') || !str('distribution')) return undefined;
  if ((d.requirement !== undefined && !str('requirement')) || (d.targetRoot !== undefined && !str('targetRoot'))) return undefined;
  const fix: FixData = { action: d.action as FixData['action'], package: d.package as string, manifest: d.manifest as string, distribution: d.distribution as string };
  if (typeof d.requirement === 'string') fix.requirement = d.requirement;
  if (typeof d.targetRoot === 'string') fix.targetRoot = d.targetRoot;
  return fix;
}

/** The code actions for a request: quick fixes for pymono diagnostics, fix-all when asked, "Open library source". */
export async function provideCodeActions(deps: FeatureDeps, params: CodeActionParams): Promise<CodeAction[] | undefined> {
  return withWorkspace(deps, params.textDocument.uri, async (ws, file) => {
    const only = params.context.only;
    const wants = (kind: string): boolean => only === undefined || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const out: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const d of params.context.diagnostics) out.push(...(await fixesFor(deps, ws, file, d)));
    }
    if (only !== undefined && wants(FIX_ALL_KIND)) {
      const all = await fixAll(deps, ws, file);
      if (all) out.push(all);
    }
    if (only === undefined && isPythonDocument(file)) {
      const open = await openSourceAction(deps, ws, file, params.range.start);
      if (open) out.push(open);
    }
    return out;
  });
}

/** A manifest edit ready to become a CodeAction. */
interface PlannedEdit {
  title: string;
  edits: Map<string, TextEdit[]>;
}

async function fixesFor(deps: FeatureDeps, ws: Workspace, file: string, d: Diagnostic): Promise<CodeAction[]> {
  const code = typeof d.code === 'string' ? d.code : '';
  if (d.source !== DIAGNOSTIC_SOURCE || !/^PM\d{3}$/.test(code)) return [];
  const fix = parseFixData(d.data);
  const out: CodeAction[] = [];
  const action = (p: PlannedEdit, preferred: boolean): CodeAction => ({
    title: p.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    ...(preferred ? { isPreferred: true } : {}),
    edit: workspaceEdit(deps, p.edits),
  });
  const primary = fix ? await primaryFix(deps, ws, code, fix) : undefined;
  if (primary) out.push(action(primary, true));

  const text = await readText(deps, file);
  const line = text === undefined ? undefined : ignoreOnLineEdit(text, d.range.start.line, code);
  if (line) out.push(action({ title: `Ignore ${code} on this line`, edits: new Map([[file, [line]]]) }, false));

  const pkgId = fix?.package ?? findingOf(ws.findingsFor(file), code, d)?.package ?? ws.ownerOf(file)?.id ?? '';
  const rootManifest = path.join(ws.root, 'pyproject.toml');
  const rootText = pkgId === '' ? undefined : await readText(deps, rootManifest);
  if (rootText !== undefined) {
    const r = ignoreForPackageEdits(rootManifest, rootText, pkgId, code);
    const name = ws.package(pkgId)?.name ?? pkgId;
    if (r.ok) out.push(action({ title: `Ignore ${code} for package ${name}`, edits: new Map([[rootManifest, r.edits]]) }, false));
  }
  return out;
}

/** The fix the rule's FixData asks for, computed on the manifest's current text; `undefined` when it cannot be made. */
async function primaryFix(deps: FeatureDeps, ws: Workspace, code: string, fix: FixData): Promise<PlannedEdit | undefined> {
  const text = await readText(deps, fix.manifest);
  if (text === undefined) return undefined;
  const owner = ws.package(fix.package)?.name ?? fix.package;
  let result: ManifestEditResult;
  let title: string;
  switch (fix.action) {
    case 'add': {
      const req = fix.requirement ?? fix.distribution;
      result = addRequirement(fix.manifest, text, req);
      title = `Add \`${req}\` to ${owner}'s dependencies`;
      break;
    }
    case 'add-internal': {
      const name = fix.requirement ?? ws.package(fix.distribution)?.name ?? fix.distribution;
      const opts = await internalOptions(deps, ws, fix, name);
      result = addInternalRequirement(fix.manifest, text, name, opts);
      title = `Add internal library \`${name}\``;
      break;
    }
    case 'move-to-runtime':
      result = moveToRuntime(fix.manifest, text, fix.distribution);
      title = `Move \`${fix.distribution}\` to runtime dependencies`;
      break;
    case 'remove':
      result = removeRequirement(fix.manifest, text, fix.distribution);
      title = code === 'PM009' ? `Remove \`${fix.distribution}\` (standard library module)` : `Remove unused \`${fix.distribution}\``;
      break;
  }
  if (!result.ok) {
    deps.logError(`quick fix ${code}`, new Error(result.reason));
    return undefined;
  }
  return { title, edits: new Map([[fix.manifest, result.edits]]) };
}

/**
 * PM002 options: the library's folder relative to the manifest's (POSIX), whether the package is a uv workspace
 * member, and whether the uv root's `[tool.uv.sources]` already names the library (then no member source is added).
 */
async function internalOptions(deps: FeatureDeps, ws: Workspace, fix: FixData, name: string): Promise<{ relativePath: string; uvWorkspace: boolean; sourceCovered: boolean }> {
  const targetRoot = fix.targetRoot ?? ws.package(fix.distribution)?.root ?? path.dirname(fix.manifest);
  const relativePath = path.relative(path.dirname(fix.manifest), targetRoot).split(path.sep).join('/') || '.';
  const uvRoot = ws.package(fix.package)?.uvWorkspaceRoot;
  if (uvRoot === undefined) return { relativePath, uvWorkspace: false, sourceCovered: false };
  const rootFile = path.join(uvRoot, 'pyproject.toml');
  const rootText = rootFile === fix.manifest ? undefined : await readText(deps, rootFile);
  const sourceCovered = rootText !== undefined && parsePyproject(rootFile, rootText).uvSources.has(normalizeName(name));
  return { relativePath, uvWorkspace: true, sourceCovered };
}

/** The finding behind a diagnostic: same code, same start. */
function findingOf(findings: Finding[], code: string, d: Diagnostic): Finding | undefined {
  return findings.find((f) => f.code === code && f.range.start.line === d.range.start.line && f.range.start.character === d.range.start.character);
}

/**
 * `source.fixAll.pymono`: every safe fix of the document's findings at once (PM001/PM003 add, PM005 remove;
 * never the ignores). Fixes to one manifest run one after the other on its evolving text and become one minimal
 * edit, so they never overlap; a fix that no longer applies (the requirement was added by an earlier one) is skipped.
 */
async function fixAll(deps: FeatureDeps, ws: Workspace, file: string): Promise<CodeAction | undefined> {
  const byManifest = new Map<string, FixData[]>();
  for (const f of ws.findingsFor(file)) {
    const safe = f.fix && (((f.code === 'PM001' || f.code === 'PM003') && f.fix.action === 'add') || (f.code === 'PM005' && f.fix.action === 'remove'));
    if (!safe || !f.fix) continue;
    const list = byManifest.get(f.fix.manifest) ?? [];
    list.push(f.fix);
    byManifest.set(f.fix.manifest, list);
  }
  const edits = new Map<string, TextEdit[]>();
  for (const [manifest, fixes] of byManifest) {
    const original = await readText(deps, manifest);
    if (original === undefined) continue;
    let current = original;
    for (const fix of fixes) {
      const r = fix.action === 'add' ? addRequirement(manifest, current, fix.requirement ?? fix.distribution) : removeRequirement(manifest, current, fix.distribution);
      if (r.ok) current = applyEdits(current, r.edits);
    }
    if (current !== original) edits.set(manifest, toTextEdits(original, diffEdits(original, current)));
  }
  if (edits.size === 0) return undefined;
  return { title: 'Fix all pymono dependency problems', kind: FIX_ALL_KIND, edit: workspaceEdit(deps, edits) };
}

/** "Open library source" for the internal import at `position`: runs `pymono.openSource` on the module's file. */
async function openSourceAction(deps: FeatureDeps, ws: Workspace, file: string, position: { line: number; character: number }): Promise<CodeAction | undefined> {
  const scan = await scanOf(deps, ws, file);
  const hit = scan && importAt(scan, position);
  const target = hit && classifyImport(ws.context(), ws.ownerOf(file), file, hit);
  if (target?.kind !== 'internal') return undefined;
  const source = await librarySource(deps, target.library, target.module);
  if (!source) return undefined;
  const title = `Open library source (${target.library.name})`;
  return { title, kind: CodeActionKind.Empty, command: { title, command: OPEN_SOURCE_COMMAND, arguments: [{ uri: uriOf(deps, source) }] } };
}
