/**
 * `textDocument/hover`: on an import in a Python file, the internal package or third-party distribution it
 * resolves to; on a dependency entry of a manifest, the same from the manifest side. The Markdown comes from the
 * core (hoverFacts.ts -> hoverContent.ts); the hover's range is the hovered module, name or entry.
 */
import type { Hover, Position } from 'vscode-languageserver/node';
import { importAt, manifestEntryAt, entryPackage } from '../core/entryAt';
import { classifyImport, importHover, manifestEntryHover } from '../core/hoverFacts';
import { toLspRange } from '../convert';
import { type FeatureDeps, isManifestDocument, isPythonDocument, librarySource, readText, scanOf, withWorkspace } from './featureContext';

/** The hover at `position` in the document `uri`, or `undefined` when nothing pymono knows is there. */
export async function provideHover(deps: FeatureDeps, uri: string, position: Position): Promise<Hover | undefined> {
  return withWorkspace(deps, uri, async (ws, file): Promise<Hover | undefined> => {
    if (isPythonDocument(file)) {
      const scan = await scanOf(deps, ws, file);
      const hit = scan && importAt(scan, position);
      if (!hit) return undefined;
      const target = classifyImport(ws.context(), ws.ownerOf(file), file, hit);
      if (!target) return undefined;
      const source = target.kind === 'internal' ? await librarySource(deps, target.library, target.module) : undefined;
      return { contents: { kind: 'markdown', value: importHover(ws, file, hit, target, source) }, range: toLspRange(hit.range) };
    }
    if (!isManifestDocument(ws, file)) return undefined;
    const text = await readText(deps, file);
    const entry = text === undefined ? undefined : manifestEntryAt(file, text, position);
    if (!entry) return undefined;
    const lib = entryPackage(entry, ws.packages());
    const source = lib ? await librarySource(deps, lib, undefined) : undefined;
    const value = manifestEntryHover(ws, file, entry, source);
    return value === undefined ? undefined : { contents: { kind: 'markdown', value }, range: toLspRange(entry.range) };
  });
}
