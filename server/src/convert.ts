/**
 * The only place where core data (server/src/core/model.ts) and LSP / protocol types meet. Core ranges are
 * already 0-based line/character in UTF-16 code units, so ranges copy over; paths become `file:` URIs.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import type { Finding, GraphEdge, PackageInfo, Range, Severity } from './core/model';
import { ruleDocUrl } from './core/rules/registry';
import { shippedRulesDoc } from './rulesDoc';

const RULES_DOC = shippedRulesDoc();
import type { SnapshotEdge, SnapshotPackage, SnapshotRange } from './protocol';

/** The `source` of every pymono diagnostic. */
export const DIAGNOSTIC_SOURCE = 'pymono';

/** An absolute OS path -> `file:` URI (percent-encoded as WHATWG URL does). */
export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}

/**
 * A `file:` URI -> absolute OS path; `undefined` for any other scheme (untitled documents, git: views ...)
 * or a malformed URI, which the server then ignores.
 */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Configured severity -> LSP severity (1 error .. 4 hint). */
export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
  }
}

/** A fresh copy of a core range (never share objects with the core's caches). */
export function toLspRange(range: Range): SnapshotRange {
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}

/**
 * A finding -> LSP diagnostic: `code` is the rule code (`PM001`), `codeDescription.href` links the rule's docs,
 * `data` carries the finding's FixData (what the quick fix needs) and PM005 (unused dependency) is tagged
 * Unnecessary so editors fade it.
 */
export function findingToDiagnostic(f: Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toLspRange(f.range),
    severity: toLspSeverity(f.severity),
    code: f.code,
    codeDescription: { href: ruleDocUrl(f.code, RULES_DOC) },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  if (f.fix) diagnostic.data = { ...f.fix };
  if (f.code === 'PM005') diagnostic.tags = [DiagnosticTag.Unnecessary];
  return diagnostic;
}

/** A core package -> the protocol's plain JSON package. */
export function packageToSnapshot(p: PackageInfo): SnapshotPackage {
  const out: SnapshotPackage = {
    id: p.id,
    name: p.name,
    kind: p.kind,
    kindReason: p.kindReason,
    format: p.format,
    rootUri: pathToUri(p.root),
    manifestUri: pathToUri(p.manifest),
    manifestUris: p.manifestFiles.map(pathToUri),
    modules: [...p.modules],
    scripts: { ...p.scripts },
    virtual: p.virtual,
    requirementCount: p.requirements.length,
  };
  if (p.version !== undefined) out.version = p.version;
  if (p.description !== undefined) out.description = p.description;
  return out;
}

/** A core graph edge -> the protocol's plain JSON edge. */
export function edgeToSnapshot(e: GraphEdge): SnapshotEdge {
  const out: SnapshotEdge = {
    from: e.from,
    to: e.to,
    kind: e.kind,
    uri: pathToUri(e.requirement.file),
    range: toLspRange(e.requirement.range),
    raw: e.requirement.raw,
  };
  if (e.requirement.group !== undefined) out.group = e.requirement.group;
  return out;
}
