/**
 * Every command the extension contributes: its id, palette title, whether it shows in the Command Palette, and
 * its title-bar icon, plus `registerCommands` which binds handlers to them. package.json's
 * `contributes.commands` / `menus.commandPalette` must agree with this table (test/unit/packageJson.test.ts).
 * Only a type is imported from `vscode`, so the table loads in plain Node tests.
 */
import type { Disposable } from 'vscode';

/** The category every pymono command shows under in the palette. */
export const COMMAND_CATEGORY = 'Python Monorepo';

/** Command ids (`pymono.*`). Hover links of the server use `openManifest` / `openSource` with `[{ uri }]`. */
export const CommandIds = {
  refreshPackages: 'pymono.refreshPackages',
  groupByFolder: 'pymono.packages.groupByFolder',
  showFlat: 'pymono.packages.showFlat',
  openManifest: 'pymono.openManifest',
  openSource: 'pymono.openSource',
  revealInExplorer: 'pymono.revealInExplorer',
  copyName: 'pymono.copyName',
  restartServer: 'pymono.restartServer',
  showLog: 'pymono.showLog',
  rebuildAffected: 'pymono.rebuildAffected',
  rebuildService: 'pymono.rebuildService',
} as const;

/** Keys of `CommandIds`. */
export type CommandKey = keyof typeof CommandIds;

/** One contributed command. */
export interface CommandSpec {
  key: CommandKey;
  id: (typeof CommandIds)[CommandKey];
  title: string;
  /** False for commands that need a tree element (hidden from the palette with `"when": "false"`). */
  palette: boolean;
  /** Codicon for the view title bar / inline menus, as package.json writes it (`$(refresh)`). */
  icon?: string;
}

/** The registration table, in the order package.json lists the commands. */
export const COMMANDS: readonly CommandSpec[] = [
  { key: 'refreshPackages', id: CommandIds.refreshPackages, title: 'Refresh Packages', palette: true, icon: '$(refresh)' },
  { key: 'groupByFolder', id: CommandIds.groupByFolder, title: 'Group Packages by Folder', palette: false, icon: '$(list-tree)' },
  { key: 'showFlat', id: CommandIds.showFlat, title: 'Show Packages as a Flat List', palette: false, icon: '$(list-flat)' },
  // Without an argument it opens the manifest of the package owning the active editor, so it is useful in the palette.
  { key: 'openManifest', id: CommandIds.openManifest, title: 'Open Package Manifest', palette: true, icon: '$(go-to-file)' },
  { key: 'openSource', id: CommandIds.openSource, title: 'Open Source Folder', palette: false },
  { key: 'revealInExplorer', id: CommandIds.revealInExplorer, title: 'Reveal in Explorer', palette: false },
  { key: 'copyName', id: CommandIds.copyName, title: 'Copy Name', palette: false },
  { key: 'restartServer', id: CommandIds.restartServer, title: 'Restart Language Server', palette: true },
  { key: 'showLog', id: CommandIds.showLog, title: 'Show Log', palette: true },
  { key: 'rebuildAffected', id: CommandIds.rebuildAffected, title: 'Rebuild Affected Services', palette: true, icon: '$(tools)' },
  // Needs a service node of the Packages view (its context menu).
  { key: 'rebuildService', id: CommandIds.rebuildService, title: 'Rebuild', palette: false, icon: '$(tools)' },
];

/** A command handler: VS Code passes the tree element, hover-link JSON arguments, or nothing. */
export type CommandHandler = (...args: unknown[]) => unknown;

/**
 * Registers one handler per entry of COMMANDS with `register` (`vscode.commands.registerCommand`) and returns
 * the disposables (the caller pushes them to `context.subscriptions`).
 */
export function registerCommands(
  register: (id: string, handler: CommandHandler) => Disposable,
  handlers: Readonly<Record<CommandKey, CommandHandler>>,
): Disposable[] {
  return COMMANDS.map((c) => register(c.id, handlers[c.key]));
}
