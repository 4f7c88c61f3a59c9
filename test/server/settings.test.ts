/**
 * package.json `contributes.configuration` is the settings schema: the server's and the client's typed readers
 * must read exactly keys it declares, with the same defaults.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CLIENT_DEFAULTS, CLIENT_SETTING_KEYS, readClientConfig } from '../../client/src/config';
import { DEFAULT_SETTINGS, parseSettings, SERVER_SETTING_KEYS } from '../../server/src/settings';

interface SchemaProperty {
  type?: string;
  default?: unknown;
  enum?: unknown[];
}

function schema(): Record<string, SchemaProperty> {
  const pkg: unknown = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
  const props = (pkg as { contributes?: { configuration?: { properties?: Record<string, SchemaProperty> } } }).contributes?.configuration?.properties;
  assert.ok(props, 'package.json declares contributes.configuration.properties');
  return props;
}

describe('settings schema and readers', () => {
  it('declares every key the server and the client read, and nothing else under pymono.', () => {
    const declared = Object.keys(schema()).filter((k) => k.startsWith('pymono.')).sort();
    const read = [...new Set([...SERVER_SETTING_KEYS, ...CLIENT_SETTING_KEYS])].map((k) => `pymono.${k}`).sort();
    assert.deepEqual(declared, read);
  });

  it('uses the package.json defaults in the server reader', () => {
    const props = schema();
    assert.equal(props['pymono.enable'].default, DEFAULT_SETTINGS.enable);
    assert.equal(props['pymono.diagnostics.debounceMs'].default, DEFAULT_SETTINGS.debounceMs);
  });

  it('uses the package.json defaults in the client reader', () => {
    const props = schema();
    assert.equal(props['pymono.enable'].default, CLIENT_DEFAULTS.enable);
    assert.equal(props['pymono.trace.server'].default, CLIENT_DEFAULTS.traceServer);
    assert.deepEqual(props['pymono.trace.server'].enum, ['off', 'messages', 'verbose']);
  });

  it('reads nested and dotted server settings and reports invalid values without throwing', () => {
    assert.deepEqual(parseSettings({ enable: false, diagnostics: { debounceMs: 10 } }), { settings: { enable: false, debounceMs: 10 }, problems: [] });
    assert.deepEqual(parseSettings({ 'diagnostics.debounceMs': 0 }).settings.debounceMs, 0);
    const bad = parseSettings({ enable: 'yes', diagnostics: { debounceMs: -5 } });
    assert.deepEqual(bad.settings, { ...DEFAULT_SETTINGS });
    assert.equal(bad.problems.length, 2);
    assert.match(bad.problems[0], /^pymono\.enable: expected a boolean/);
    assert.match(bad.problems[1], /^pymono\.diagnostics\.debounceMs:/);
    assert.deepEqual(parseSettings(null).settings, { ...DEFAULT_SETTINGS });
    assert.match(parseSettings(42).problems[0], /expected an object/);
  });

  it('falls back to defaults in the client reader for values of the wrong type', () => {
    const values: Record<string, unknown> = { enable: 'no', 'trace.server': 'loud' };
    const cfg = readClientConfig({ get: <T>(key: string): T | undefined => values[key] as T | undefined });
    assert.deepEqual(cfg, { ...CLIENT_DEFAULTS });
    const ok: Record<string, unknown> = { enable: false, 'trace.server': 'verbose' };
    assert.deepEqual(readClientConfig({ get: <T>(key: string): T | undefined => ok[key] as T | undefined }), { enable: false, traceServer: 'verbose' });
  });
});
