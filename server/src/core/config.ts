/**
 * `[tool.pymono]` in the workspace root pyproject.toml: kind globs, excludes, module mapping, severities,
 * per-package ignores, build commands and global files (docs/rules.md, "Configuration"). Validation is lenient: a bad entry becomes a located
 * problem (reported as PM008) and the rest of the table still applies.
 */
import type { ManifestProblem, Range, RuleCode, Severity } from './model';
import { FILE_START } from './model';
import { isRuleCode, RULES } from './rules/registry';
import type { TomlPath, TomlPositions } from './manifests/tomlPositions';

/** The effective configuration. Globs are picomatch patterns relative to the root, POSIX separators. */
export interface PymonoConfig {
  services: string[];
  libraries: string[];
  exclude: string[];
  /** Distributions never reported as unused, on top of the built-in list. */
  noImport: string[];
  reportOptionalImports: boolean;
  /** Import name (dotted) -> distribution names. */
  mapping: Record<string, string[]>;
  /** Severity per rule; `off` disables it. */
  severity: Record<RuleCode, Severity | 'off'>;
  /** Package id (normalized) -> codes not reported for it. */
  perPackageIgnores: Record<string, RuleCode[]>;
  /**
   * `[tool.pymono] build`: the default build command of a service, a shell command run from the root with the
   * placeholders `{name}` (package id), `{path}` (service folder relative to the root, POSIX) and `{root}`.
   */
  build?: string;
  /** `[tool.pymono.services.<name>]` tables, keyed by normalized package id. */
  serviceSettings: Record<string, ServiceSettings>;
  /** Globs (relative to the root, POSIX) of files whose change affects every service or none (`globalFilesAffect`). */
  globalFiles: string[];
  /** What a changed global file affects: every service (`all`, the default) or nothing (`none`). */
  globalFilesAffect: 'all' | 'none';
}

/** Settings of one service (`[tool.pymono.services.<name>]`). */
export interface ServiceSettings {
  /** Build command of this service (same placeholders as `[tool.pymono] build`); wins over the default. */
  build?: string;
}

/** `global-files` when not configured: root Makefiles and `.mk` includes, CI configuration. */
export const DEFAULT_GLOBAL_FILES: readonly string[] = ['*.mk', 'Makefile', '.github/**', '.gitlab-ci.yml'];

const KNOWN_KEYS = [
  'services', 'libraries', 'exclude', 'no-import', 'report-optional-imports', 'mapping', 'severity', 'per-package-ignores',
  'build', 'global-files', 'global-files-affect',
];

/** The configuration with nothing set. */
export function defaultConfig(): PymonoConfig {
  const severity = {} as Record<RuleCode, Severity | 'off'>;
  for (const [code, info] of Object.entries(RULES)) severity[code as RuleCode] = info.severity;
  return {
    services: [], libraries: [], exclude: [], noImport: [], reportOptionalImports: false, mapping: {}, severity, perPackageIgnores: {},
    serviceSettings: {}, globalFiles: [...DEFAULT_GLOBAL_FILES], globalFilesAffect: 'all',
  };
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/**
 * Reads a raw `[tool.pymono]` table. `positions` locates problems in `file`; keys are validated, unknown keys
 * and wrong types are reported, never thrown.
 */
export function readConfig(
  table: Record<string, unknown> | undefined,
  file: string,
  positions: TomlPositions | undefined,
  normalize: (name: string) => string,
): { config: PymonoConfig; problems: ManifestProblem[] } {
  const config = defaultConfig();
  const problems: ManifestProblem[] = [];
  if (!table) return { config, problems };
  const where = (path: TomlPath): Range =>
    positions?.valueRange(['tool', 'pymono', ...path]) ?? positions?.keyRange(['tool', 'pymono', ...path]) ?? FILE_START;
  const problem = (path: TomlPath, message: string): void => {
    problems.push({ file, range: where(path), message: `[tool.pymono] ${path.join('.')}: ${message}` });
  };
  const stringList = (v: unknown, at: TomlPath): string[] => {
    if (v === undefined) return [];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    problem(at, 'expected an array of strings');
    return [];
  };
  const strings = (key: string): string[] => stringList(table[key], [key]);

  for (const key of Object.keys(table)) {
    if (!KNOWN_KEYS.includes(key)) problem([key], 'unknown setting');
  }
  readServices(table['services'], config, problem, stringList, normalize);
  config.libraries = strings('libraries');
  config.exclude = strings('exclude');
  config.noImport = strings('no-import').map(normalize);
  const roi = table['report-optional-imports'];
  if (roi !== undefined) {
    if (typeof roi === 'boolean') config.reportOptionalImports = roi;
    else problem(['report-optional-imports'], 'expected true or false');
  }

  const mapping = table['mapping'];
  if (mapping !== undefined) {
    if (isTable(mapping)) {
      for (const [mod, dist] of Object.entries(mapping)) {
        if (typeof dist === 'string') config.mapping[mod] = [normalize(dist)];
        else if (Array.isArray(dist) && dist.length > 0 && dist.every((d) => typeof d === 'string')) config.mapping[mod] = (dist as string[]).map(normalize);
        else problem(['mapping', mod], 'expected a distribution name or an array of names');
      }
    } else problem(['mapping'], 'expected a table of import name = distribution');
  }

  const severity = table['severity'];
  if (severity !== undefined) {
    if (isTable(severity)) {
      for (const [code, value] of Object.entries(severity)) {
        if (!isRuleCode(code)) problem(['severity', code], `unknown rule code '${code}'`);
        else if (typeof value !== 'string' || !SEVERITIES.has(value)) problem(['severity', code], 'expected one of error, warning, information, hint, off');
        else config.severity[code] = value as Severity | 'off';
      }
    } else problem(['severity'], 'expected a table of CODE = severity');
  }

  const ignores = table['per-package-ignores'];
  if (ignores !== undefined) {
    if (isTable(ignores)) {
      for (const [pkg, codes] of Object.entries(ignores)) {
        if (Array.isArray(codes) && codes.every((c) => typeof c === 'string' && isRuleCode(c))) {
          config.perPackageIgnores[normalize(pkg)] = codes as RuleCode[];
        } else problem(['per-package-ignores', pkg], 'expected an array of rule codes such as ["PM005"]');
      }
    } else problem(['per-package-ignores'], 'expected a table of package = [codes]');
  }

  const build = table['build'];
  if (build !== undefined) {
    if (typeof build === 'string' && build.trim() !== '') config.build = build;
    else problem(['build'], 'expected a non-empty command string such as "make -C {path} image"');
  }
  const globalFiles = table['global-files'];
  if (Array.isArray(globalFiles) && globalFiles.every((x) => typeof x === 'string')) config.globalFiles = globalFiles as string[];
  else if (globalFiles !== undefined) problem(['global-files'], 'expected an array of globs relative to the root (the defaults still apply)');
  const affect = table['global-files-affect'];
  if (affect !== undefined) {
    if (affect === 'all' || affect === 'none') config.globalFilesAffect = affect;
    else problem(['global-files-affect'], 'expected "all" or "none"');
  }
  return { config, problems };
}

/**
 * `services` is either an array of globs, or a table: `globs = [...]` plus one `[tool.pymono.services.<name>]`
 * table per service (`build = "..."`). TOML cannot hold both an array and sub-tables under one key, hence the table form.
 */
function readServices(
  value: unknown,
  config: PymonoConfig,
  problem: (path: TomlPath, message: string) => void,
  stringList: (v: unknown, at: TomlPath) => string[],
  normalize: (name: string) => string,
): void {
  if (value === undefined) return;
  if (!isTable(value)) {
    config.services = stringList(value, ['services']);
    return;
  }
  for (const [key, entry] of Object.entries(value)) {
    if (key === 'globs') {
      config.services = stringList(entry, ['services', 'globs']);
      continue;
    }
    if (!isTable(entry)) {
      problem(['services', key], 'expected a table of service settings such as { build = "make -C {path}" } (or `globs = [...]`)');
      continue;
    }
    const settings: ServiceSettings = {};
    for (const [k, v] of Object.entries(entry)) {
      if (k !== 'build') problem(['services', key, k], 'unknown service setting (known: build)');
      else if (typeof v === 'string' && v.trim() !== '') settings.build = v;
      else problem(['services', key, k], 'expected a non-empty command string');
    }
    config.serviceSettings[normalize(key)] = settings;
  }
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
