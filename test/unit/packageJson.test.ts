/**
 * package.json `contributes` is the extension's schema: its settings, commands, menus, views and languages must
 * agree with the code that reads or registers them (client/src/config.ts, server/src/settings.ts,
 * client/src/commands.ts, the package tree's ids and context keys, the language client's document selector).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CLIENT_DEFAULTS, CLIENT_SETTING_KEYS } from '../../client/src/config';
import { COMMAND_CATEGORY, COMMANDS } from '../../client/src/commands';
import { DEFAULT_SETTINGS, SERVER_SETTING_KEYS } from '../../server/src/settings';
import { REPO } from './helpers/tree';

interface Command {
  command: string;
  title: string;
  category?: string;
  icon?: string;
}
interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}
interface Manifest {
  main: string;
  activationEvents: string[];
  contributes: {
    configuration: { properties: Record<string, { type?: string; default?: unknown; description?: string; enum?: unknown[] }> };
    commands: Command[];
    menus: Record<string, MenuItem[]>;
    viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
    views: Record<string, { id: string; name: string }[]>;
    viewsWelcome: { view: string; contents: string; when: string }[];
    languages: { id: string; filenamePatterns?: string[]; configuration?: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
  };
}

const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;
const contributes = manifest.contributes;

/** The client source files that must agree with the manifest, read as text (they import `vscode`). */
function source(rel: string): string {
  return readFileSync(path.join(REPO, rel), 'utf8');
}

/** Commands named in `command:` links of welcome content. */
function welcomeCommands(): string[] {
  return contributes.viewsWelcome.flatMap((w) => [...w.contents.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]));
}

describe('package.json contributes agrees with the code', () => {
  it('declares every setting either reader reads, with a description and a default of the declared type', () => {
    const props = contributes.configuration.properties;
    const read = new Set([...SERVER_SETTING_KEYS, ...CLIENT_SETTING_KEYS].map((k) => `pymono.${k}`));
    for (const key of read) assert.ok(props[key], `package.json does not declare ${key}`);
    for (const [key, p] of Object.entries(props)) {
      assert.ok(read.has(key), `${key} is declared but no reader reads it`);
      assert.ok(p.description && p.description.length > 20, `${key} needs a description`);
      assert.equal(typeof p.default, p.type === 'number' ? 'number' : p.type, `${key}: default ${JSON.stringify(p.default)} is not a ${p.type}`);
      if (p.enum) assert.ok(p.enum.includes(p.default), `${key}: default is not one of its enum values`);
    }
    assert.equal(props['pymono.enable'].default, DEFAULT_SETTINGS.enable);
    assert.equal(props['pymono.enable'].default, CLIENT_DEFAULTS.enable);
    assert.equal(props['pymono.diagnostics.debounceMs'].default, DEFAULT_SETTINGS.debounceMs);
    assert.equal(props['pymono.trace.server'].default, CLIENT_DEFAULTS.traceServer);
  });

  it('contributes exactly the commands of the registration table, with their titles, in the Python Monorepo category', () => {
    const declared = contributes.commands.map((c) => ({ command: c.command, title: c.title, category: c.category, icon: c.icon }));
    const table = COMMANDS.map((c) => ({ command: c.id, title: c.title, category: COMMAND_CATEGORY, icon: c.icon }));
    assert.deepEqual(declared, table);
  });

  it('hides exactly the tree-only commands from the Command Palette', () => {
    const hidden = contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command).sort();
    assert.deepEqual(hidden, COMMANDS.filter((c) => !c.palette).map((c) => c.id).sort());
  });

  it('only puts declared commands in menus and welcome links, and scopes view menus to the package view', () => {
    const ids = new Set(COMMANDS.map((c) => c.id));
    const view = contributes.views.pymono[0].id;
    for (const [menu, items] of Object.entries(contributes.menus)) {
      for (const item of items) {
        assert.ok(ids.has(item.command as (typeof COMMANDS)[number]['id']), `menu ${menu} names unknown command ${item.command}`);
        if (menu.startsWith('view/')) assert.match(item.when ?? '', new RegExp(`\\bview == ${view.replace('.', '\\.')}\\b`), `${menu} ${item.command} is not scoped to ${view}`);
      }
    }
    for (const c of welcomeCommands()) assert.ok(ids.has(c as (typeof COMMANDS)[number]['id']), `viewsWelcome links unknown command ${c}`);
  });

  it('matches the context values the tree items set in the item context menu', () => {
    const items = source('client/src/packageTree/treeItems.ts');
    const prefixes = [...items.matchAll(/export const CONTEXT_\w+ = '([\w.]+)'/g)].map((m) => m[1]);
    assert.deepEqual(prefixes.sort(), ['pymono.package', 'pymono.relation']);
    for (const item of contributes.menus['view/item/context']) {
      const m = /viewItem =~ \/(.+)\//.exec(item.when ?? '');
      assert.ok(m, `${item.command} has no viewItem condition`);
      const re = new RegExp(m[1]);
      // Rebuild applies to services only; every other item to every kind of package.
      const kinds = item.command === 'pymono.rebuildService' ? ['service'] : ['service', 'library', 'other'];
      for (const kind of kinds) for (const p of prefixes) assert.ok(re.test(`${p}.${kind}`), `${item.command} misses ${p}.${kind}`);
      for (const kind of ['service', 'library', 'other'].filter((k) => !kinds.includes(k))) for (const p of prefixes) assert.ok(!re.test(`${p}.${kind}`), `${item.command} shows on ${p}.${kind}`);
      assert.ok(!re.test('section'), `${item.command} would show on a section`);
    }
  });

  it('declares the activity-bar container and view the provider registers, with welcome content for each empty state', () => {
    assert.deepEqual(contributes.viewsContainers.activitybar.map((c) => [c.id, c.title]), [['pymono', 'Python Monorepo']]);
    assert.ok(existsSync(path.join(REPO, contributes.viewsContainers.activitybar[0].icon)), 'the activity-bar icon file exists');
    const provider = source('client/src/packageTree/packageTreeProvider.ts');
    const viewId = /PACKAGES_VIEW_ID = '([\w.]+)'/.exec(provider)?.[1];
    assert.deepEqual(contributes.views.pymono.map((v) => v.id), [viewId]);
    const stateKey = /STATE_CONTEXT_KEY = '([\w.]+)'/.exec(provider)?.[1];
    const welcome = contributes.viewsWelcome.map((w) => w.when).sort();
    assert.deepEqual(welcome, ['error', 'loading', 'noPackages'].map((s) => `${stateKey} == ${s}`));
    const groupingKey = /GROUPING_CONTEXT_KEY = '([\w.]+)'/.exec(provider)?.[1];
    const toggles = contributes.menus['view/title'].filter((m) => m.when?.includes(`${groupingKey} `));
    assert.equal(toggles.length, 2, `the flat/folder toggle is keyed on ${groupingKey}`);
  });

  it('contributes the pip-requirements language and grammar the language client selects', () => {
    const [lang] = contributes.languages;
    assert.equal(lang.id, 'pip-requirements');
    assert.deepEqual(lang.filenamePatterns, ['**/*requirements*.{txt,in}', '**/requirements/*.{txt,in}']);
    assert.ok(lang.configuration && existsSync(path.join(REPO, lang.configuration)), 'language configuration file exists');
    const [grammar] = contributes.grammars;
    assert.equal(grammar.language, 'pip-requirements');
    const tm = JSON.parse(readFileSync(path.join(REPO, grammar.path), 'utf8')) as { scopeName: string };
    assert.equal(tm.scopeName, grammar.scopeName);
    assert.match(source('client/src/languageClient.ts'), /language: 'pip-requirements'/);
    assert.ok(manifest.activationEvents.includes('onLanguage:pip-requirements'));
  });

  it('ships a grammar whose every rule compiles and whose scopes all end in .pip-requirements', () => {
    const grammar: unknown = JSON.parse(readFileSync(path.join(REPO, contributes.grammars[0].path), 'utf8'));
    let rules = 0;
    const visit = (v: unknown, where: string): void => {
      if (Array.isArray(v)) return v.forEach((x, i) => visit(x, `${where}[${i}]`));
      if (typeof v !== 'object' || v === null) return;
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'match' || k === 'begin' || k === 'end') && typeof x === 'string') {
          assert.doesNotThrow(() => new RegExp(x), `${where}.${k} does not compile: ${x}`);
          rules++;
        }
        if (k === 'name' && typeof x === 'string' && where !== '$') assert.match(x, /\.pip-requirements$/, `${where}.name`);
        visit(x, `${where}.${k}`);
      }
    };
    visit(grammar, '$');
    assert.ok(rules > 15, `only ${rules} rules found`);
  });
});
