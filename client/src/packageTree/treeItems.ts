/**
 * Tree node (treeModel.ts) -> `vscode.TreeItem`: labels, descriptions (version, problem count, "via x"),
 * tooltips, icons, click commands, and the `contextValue` that package.json menus match:
 *   `pymono.package.<kind>` for a package at its home place, `pymono.relation.<kind>` for a package listed
 *   under another one (kind = service | library | other).
 */
import * as vscode from 'vscode';
import type { SnapshotPackage } from '../../../server/src/protocol';
import { CommandIds } from '../commands';
import { type BuildState, describeBuildState } from '../rebuild/rebuildModel';
import { declaringEdge, type PackageNode, type RelationNode, type TreeNode } from './treeModel';

/** contextValue prefixes (package.json `view/item/context` menus match `viewItem =~ /^pymono\.(package|relation)\./`). */
export const CONTEXT_PACKAGE = 'pymono.package';
export const CONTEXT_RELATION = 'pymono.relation';

const KIND_ICONS: Record<SnapshotPackage['kind'], string> = { service: 'server-process', library: 'library', other: 'package' };
const GROUP_ICONS: Record<SnapshotPackage['kind'], string> = { service: 'server-environment', library: 'book', other: 'question' };

function problemText(n: number): string {
  return n === 1 ? '1 problem' : `${n} problems`;
}

function packageIcon(pkg: SnapshotPackage, problems: number): vscode.ThemeIcon {
  return problems > 0 ? new vscode.ThemeIcon(KIND_ICONS[pkg.kind], new vscode.ThemeColor('list.errorForeground')) : new vscode.ThemeIcon(KIND_ICONS[pkg.kind]);
}

/** Escapes Markdown-significant characters in manifest text shown in a tooltip. */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function packageTooltip(pkg: SnapshotPackage, relPath: string, problems: number): vscode.MarkdownString {
  const lines = [`**${md(pkg.name)}**${pkg.version ? ` ${md(pkg.version)}` : ''}`];
  if (pkg.description) lines.push('', md(pkg.description));
  lines.push('', `${md(pkg.kind)}: ${md(pkg.kindReason)}`, '', `\`${relPath}\` · ${md(pkg.format)}`);
  if (pkg.modules.length > 0) lines.push('', `imports as ${pkg.modules.map((m) => `\`${m}\``).join(', ')}`);
  if (problems > 0) lines.push('', `$(error) ${problemText(problems)}`);
  // supportThemeIcons: the $(error) icon renders.
  return new vscode.MarkdownString(lines.join('\n'), true);
}

function packageItem(node: PackageNode, problems: number, build: BuildState | undefined): vscode.TreeItem {
  const { pkg } = node;
  const item = new vscode.TreeItem(pkg.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  const shown = build ? describeBuildState(build) : undefined;
  item.description = [pkg.version, problems > 0 ? problemText(problems) : undefined, shown?.description].filter(Boolean).join(' · ');
  const tooltip = packageTooltip(pkg, node.relPath, problems);
  if (shown) tooltip.appendMarkdown(`\n\n${md(shown.tooltip)}`);
  item.tooltip = tooltip;
  // The last build's state replaces the kind icon (running, failed, built); problems keep their count in the description.
  item.iconPath = shown ? new vscode.ThemeIcon(shown.icon, shown.color ? new vscode.ThemeColor(shown.color) : undefined) : packageIcon(pkg, problems);
  item.contextValue = `${CONTEXT_PACKAGE}.${pkg.kind}`;
  item.command = { title: 'Open Manifest', command: CommandIds.openManifest, arguments: [{ uri: pkg.manifestUri }] };
  item.accessibilityInformation = { label: `${pkg.kind} ${pkg.name}${pkg.version ? ` version ${pkg.version}` : ''}${problems > 0 ? `, ${problemText(problems)}` : ''}` };
  return item;
}

function relationItem(node: RelationNode): vscode.TreeItem {
  const { pkg, relation } = node;
  const item = new vscode.TreeItem(pkg.name, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const parts: string[] = [];
  if (!relation.direct && relation.via) parts.push(`via ${relation.via}`);
  if (relation.kind !== 'runtime') parts.push(relation.kind);
  // The version stays in the tooltip: "via x" is what a narrow sidebar must not cut off.
  item.description = parts.join(' · ');
  const chain = relation.path.join(' → ');
  const edge = declaringEdge(node);
  const declared = edge ? `\n\ndeclared as \`${edge.raw.replace(/`/g, "'")}\`${edge.group ? ` in ${md(edge.group)}` : ''}` : '';
  const version = pkg.version ? ` ${md(pkg.version)}` : '';
  item.tooltip = new vscode.MarkdownString(`**${md(pkg.name)}**${version}\n\n${relation.direct ? 'direct' : 'transitive'} ${md(relation.kind)} dependency: ${md(chain)}${declared}`);
  item.iconPath = new vscode.ThemeIcon(KIND_ICONS[pkg.kind]);
  item.contextValue = `${CONTEXT_RELATION}.${pkg.kind}`;
  // A direct relation opens the entry that declares it; a transitive one opens the package's manifest.
  item.command = edge
    ? { title: 'Open Declaration', command: CommandIds.openManifest, arguments: [{ uri: edge.uri, range: edge.range }] }
    : { title: 'Open Manifest', command: CommandIds.openManifest, arguments: [{ uri: pkg.manifestUri }] };
  return item;
}

/** The TreeItem for `node`; `problems` is the node's problem count and `build` its last build (packages only). */
export function toTreeItem(node: TreeNode, problems: number, build?: BuildState): vscode.TreeItem {
  switch (node.type) {
    case 'root': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('root-folder');
      item.tooltip = vscode.Uri.parse(node.rootUri).fsPath;
      return item;
    }
    case 'group': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.description = String(node.count);
      item.iconPath = new vscode.ThemeIcon(GROUP_ICONS[node.kind]);
      return item;
    }
    case 'folder': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.iconPath = vscode.ThemeIcon.Folder;
      return item;
    }
    case 'package':
      return packageItem(node, problems, build);
    case 'section': {
      const item = new vscode.TreeItem(node.label, node.count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = node.count > 0 ? String(node.count) : 'none';
      item.iconPath = new vscode.ThemeIcon(node.section === 'usedBy' ? 'references' : 'type-hierarchy-sub');
      return item;
    }
    case 'relation':
      return relationItem(node);
  }
}
