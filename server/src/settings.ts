/**
 * The language server's settings: the `pymono` configuration section as the server reads it through
 * `workspace/configuration` (or the `settings.pymono` payload of `workspace/didChangeConfiguration` for clients
 * without configuration pull). package.json `contributes.configuration` is the schema; a test keeps them in step.
 */

/** Server-side settings with their defaults applied. */
export interface ServerSettings {
  /** `pymono.enable`: when false the server publishes no diagnostics (and clears those it published). */
  enable: boolean;
  /** `pymono.diagnostics.debounceMs`: delay after the last keystroke before a document is re-checked, in ms (0..2000). */
  debounceMs: number;
}

/** The defaults, used when the client sends nothing or an invalid value. */
export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze({ enable: true, debounceMs: 75 });

/** The dotted keys (under `pymono.`) the server reads; the settings test checks package.json declares each. */
export const SERVER_SETTING_KEYS = ['enable', 'diagnostics.debounceMs'] as const;

/**
 * Reads the raw `pymono` section (whatever JSON the client sent: possibly `null`, nested objects, or dotted keys
 * flattened by some editors) into settings. Invalid values fall back to the default and are listed in
 * `problems` as `pymono.<key>: <what is wrong>` for the server log; nothing throws.
 */
export function parseSettings(raw: unknown): { settings: ServerSettings; problems: string[] } {
  const settings: ServerSettings = { ...DEFAULT_SETTINGS };
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { settings, problems };
  if (!isRecord(raw)) {
    problems.push(`pymono: expected an object, got ${typeof raw}`);
    return { settings, problems };
  }
  const enable = lookup(raw, 'enable');
  if (enable !== undefined) {
    if (typeof enable === 'boolean') settings.enable = enable;
    else problems.push(`pymono.enable: expected a boolean, got ${JSON.stringify(enable)}`);
  }
  const debounce = lookup(raw, 'diagnostics.debounceMs');
  if (debounce !== undefined) {
    if (typeof debounce === 'number' && Number.isFinite(debounce) && debounce >= 0 && debounce <= 2000) {
      settings.debounceMs = Math.round(debounce);
    } else {
      problems.push(`pymono.diagnostics.debounceMs: expected a number of milliseconds in 0..2000, got ${JSON.stringify(debounce)}`);
    }
  }
  return { settings, problems };
}

/** Reads `a.b.c` from a nested object, or from a flat `"a.b.c"` key. */
function lookup(obj: Record<string, unknown>, dotted: string): unknown {
  if (dotted in obj) return obj[dotted];
  let cur: unknown = obj;
  for (const part of dotted.split('.')) {
    if (!isRecord(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
