/**
 * `textDocument/definition`:
 * - on an import of a workspace package in a Python file: the module's file in that package (the hovered dotted
 *   segment's module, never shallower than the package's import name), or for `from x import name` the line of
 *   `name`'s module-level definition (core navigation.ts); resolved from the workspace, so no venv is needed;
 * - on a dependency entry, a uv `{ workspace = true }` source, a Poetry `path` or a requirements `-e ../x` line
 *   of a manifest: the member's pyproject.toml (the same targets as the document links).
 */
import type { Location, Position } from 'vscode-languageserver/node';
import { importAt, manifestLinks, rangeContains, type ImportAt } from '../core/entryAt';
import { classifyImport } from '../core/hoverFacts';
import type { Location as CoreLocation, PackageInfo } from '../core/model';
import type { RuleContext } from '../core/rules/context';
import { resolveDefinition } from '../core/navigation';
import { toLspRange } from '../convert';
import { type FeatureDeps, isManifestDocument, isPythonDocument, reader, readText, scanOf, uriOf, withWorkspace } from './featureContext';

/** The definition at `position` in the document `uri`, or `undefined`. */
export async function provideDefinition(deps: FeatureDeps, uri: string, position: Position): Promise<Location | undefined> {
  const found = await withWorkspace(deps, uri, async (ws, file): Promise<CoreLocation | undefined> => {
    if (isPythonDocument(file)) {
      const scan = await scanOf(deps, ws, file);
      const hit = scan && importAt(scan, position);
      if (!hit) return undefined;
      const target = classifyImport(ws.context(), ws.ownerOf(file), file, hit);
      if (target?.kind !== 'internal') return undefined;
      return importDefinition(deps, ws.context(), target.library, target.module, hit);
    }
    if (!isManifestDocument(ws, file)) return undefined;
    const text = await readText(deps, file);
    const link = text === undefined ? undefined : manifestLinks(file, text, ws.packages()).find((l) => rangeContains(l.range, position));
    return link && { file: link.target, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  });
  return found && { uri: uriOf(deps, found.file), range: toLspRange(found.range) };
}

/**
 * Where an import of `module` (provided by `lib`) leads. On an imported name that is not itself the module,
 * the name's definition in the module; on the dotted module, the hovered segment's module, clamped to the
 * package's import name (`acme` of `acme.telemetry` opens `acme.telemetry`).
 */
export async function importDefinition(deps: FeatureDeps, ctx: RuleContext, lib: PackageInfo, module: string, hit: ImportAt): Promise<CoreLocation | undefined> {
  const r = reader(deps);
  if (hit.name !== undefined && module !== hit.module) return resolveDefinition(r, lib.sourceRoots, module, hit.name);
  if (hit.name !== undefined) return resolveDefinition(r, lib.sourceRoots, module);
  const matched = ctx.modules.lookup(module)?.matched ?? module;
  const wanted = hit.segmentModule.length >= matched.length ? hit.segmentModule : matched;
  return (await resolveDefinition(r, lib.sourceRoots, wanted)) ?? (await resolveDefinition(r, lib.sourceRoots, module));
}
