/**
 * What the package commands do: open a manifest (or the entry declaring a dependency), open a package's source
 * folder, reveal a package in the Explorer, copy its name. Arguments come from three places and are narrowed
 * from `unknown`: a package-tree node (context menu), `{ uri: string, range? }` (tree clicks and the server's
 * hover links, JSON), or nothing (Command Palette: the package owning the active editor).
 */
import * as vscode from 'vscode';
import type { SnapshotPackage, SnapshotRange } from '../../server/src/protocol';
import type { PackageTreeProvider } from './packageTree/packageTreeProvider';
import { packageForUri } from './packageTree/reveal';

/** A location argument: a `file:` URI string and an optional 0-based range to select. */
export interface LocationArg {
  uri: vscode.Uri;
  range?: vscode.Range;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isPosition(v: unknown): v is SnapshotRange['start'] {
  return isRecord(v) && typeof v.line === 'number' && typeof v.character === 'number' && v.line >= 0 && v.character >= 0;
}

/** `{ uri: string, range?: {start, end} }` (or a `vscode.Uri`) -> LocationArg; `undefined` for anything else. */
export function parseLocationArg(arg: unknown): LocationArg | undefined {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (!isRecord(arg) || typeof arg.uri !== 'string' || arg.uri === '') return undefined;
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(arg.uri, true);
  } catch {
    return undefined;
  }
  const r = arg.range;
  if (isRecord(r) && isPosition(r.start) && isPosition(r.end)) {
    return { uri, range: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) };
  }
  return { uri };
}

/** The package a tree node (package or relation) stands for; `undefined` for other arguments. */
export function packageOfNode(arg: unknown): SnapshotPackage | undefined {
  if (!isRecord(arg) || (arg.type !== 'package' && arg.type !== 'relation')) return undefined;
  const pkg = arg.pkg;
  return isRecord(pkg) && typeof pkg.manifestUri === 'string' && typeof pkg.rootUri === 'string' && typeof pkg.name === 'string' ? (pkg as unknown as SnapshotPackage) : undefined;
}

/** Handlers bound to one package tree. */
export class PackageActions {
  constructor(private readonly provider: PackageTreeProvider) {}

  /** The package named by a tree node, else the one owning the active editor; tells the user when there is none. */
  private packageFor(arg: unknown, action: string): SnapshotPackage | undefined {
    const pkg = packageOfNode(arg);
    if (pkg) return pkg;
    const active = vscode.window.activeTextEditor?.document.uri;
    const owner = active ? packageForUri(this.provider, active)?.pkg : undefined;
    if (!owner) void vscode.window.showInformationMessage(`pymono: ${action}: pick a package in the Python Monorepo view, or open a file of a package first.`);
    return owner;
  }

  /** `pymono.openManifest`: a location, a tree node, or the active editor's package. */
  async openManifest(arg?: unknown): Promise<void> {
    const location = parseLocationArg(arg);
    if (location) return this.open(location);
    const pkg = this.packageFor(arg, 'Open Package Manifest');
    if (pkg) await this.open({ uri: vscode.Uri.parse(pkg.manifestUri) });
  }

  /** `pymono.openSource`: a file opens in an editor, a folder is revealed in the Explorer. */
  async openSource(arg?: unknown): Promise<void> {
    const location = parseLocationArg(arg);
    if (location) {
      const stat = await Promise.resolve(vscode.workspace.fs.stat(location.uri)).catch(() => undefined);
      if (stat && stat.type & vscode.FileType.Directory) return this.revealFolder(location.uri);
      return this.open(location);
    }
    const pkg = this.packageFor(arg, 'Open Source Folder');
    if (pkg) await this.revealFolder(await sourceFolder(pkg));
  }

  /** `pymono.revealInExplorer`: the package folder. */
  async revealInExplorer(arg?: unknown): Promise<void> {
    const pkg = this.packageFor(arg, 'Reveal in Explorer');
    if (pkg) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.parse(pkg.rootUri));
  }

  /** `pymono.copyName`: the distribution name as written in the manifest. */
  async copyName(arg?: unknown): Promise<void> {
    const pkg = this.packageFor(arg, 'Copy Name');
    if (!pkg) return;
    await vscode.env.clipboard.writeText(pkg.name);
    vscode.window.setStatusBarMessage(`Copied ${pkg.name}`, 3000);
  }

  private async open({ uri, range }: LocationArg): Promise<void> {
    try {
      await vscode.window.showTextDocument(uri, { preview: true, ...(range ? { selection: range } : {}) });
    } catch (err: unknown) {
      void vscode.window.showErrorMessage(`pymono: cannot open ${uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async revealFolder(folder: vscode.Uri): Promise<void> {
    await vscode.commands.executeCommand('revealInExplorer', folder);
    const init = vscode.Uri.joinPath(folder, '__init__.py');
    if (await isType(init, vscode.FileType.File)) await this.open({ uri: init });
  }
}

async function isType(uri: vscode.Uri, type: vscode.FileType): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & type) !== 0;
  } catch {
    return false;
  }
}

/**
 * The folder of a package's first import package: `<root>/src/<a/b>` or `<root>/<a/b>` for module `a.b`
 * (src and flat layouts, PEP 420 namespace portions included), else the package folder itself.
 */
export async function sourceFolder(pkg: SnapshotPackage): Promise<vscode.Uri> {
  const root = vscode.Uri.parse(pkg.rootUri);
  for (const module of pkg.modules) {
    for (const base of [vscode.Uri.joinPath(root, 'src'), root]) {
      const candidate = vscode.Uri.joinPath(base, ...module.split('.'));
      if (await isType(candidate, vscode.FileType.Directory)) return candidate;
    }
  }
  return root;
}
