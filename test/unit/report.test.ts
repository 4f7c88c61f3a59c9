import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DeclaredRequirement, DependencyKind, Finding, GraphEdge, PackageInfo, PackageKind } from '../../server/src/core/model';
import { lineRange } from '../../server/src/core/model';
import { formatFindingsText } from '../../server/src/core/report/findingsText';
import { formatFindingsJson } from '../../server/src/core/report/findingsJson';
import { formatFindingsGithub, escapeProperty } from '../../server/src/core/report/findingsGithub';
import { formatFindingsSarif, type SarifRule } from '../../server/src/core/report/findingsSarif';
import { formatGraphText } from '../../server/src/core/report/graphText';
import { formatGraphJson } from '../../server/src/core/report/graphJson';
import { formatGraphDot } from '../../server/src/core/report/graphDot';
import { formatGraphMermaid } from '../../server/src/core/report/graphMermaid';
import { formatAffectedText } from '../../server/src/core/report/affectedText';
import { formatAffectedJson } from '../../server/src/core/report/affectedJson';
import { relativePosix, toOneBased } from '../../server/src/core/report/paths';

const ROOT = path.resolve('/repo');
const at = (...parts: string[]): string => path.join(ROOT, ...parts);

function finding(over: Partial<Finding> & Pick<Finding, 'code' | 'file' | 'range' | 'message'>): Finding {
  return { rule: 'undeclared-dependency', severity: 'error', package: 'api', ...over };
}

const FINDINGS: Finding[] = [
  finding({
    code: 'PM003', rule: 'transitive-dependency', severity: 'warning', package: 'billing',
    file: at('services', 'billing', 'app', 'main.py'), range: lineRange(4, 7, 15),
    message: "'requests' is declared by acme-http, not by billing", module: 'requests', distribution: 'requests',
  }),
  finding({
    code: 'PM001', file: at('services', 'api', 'app', 'main.py'), range: lineRange(2, 7, 11),
    message: "'yaml' (pyyaml) is not declared by api", module: 'yaml', distribution: 'pyyaml',
  }),
  finding({
    code: 'PM008', rule: 'invalid-manifest', file: at('services', 'api', 'pyproject.toml'), range: lineRange(0, 0, 0),
    message: 'invalid requirement "x=={{ v }}"',
  }),
];

describe('report paths', () => {
  it('makes paths POSIX and relative to the root, "." for the root itself', () => {
    assert.equal(relativePosix(ROOT, at('libs', 'a', 'x.py')), 'libs/a/x.py');
    assert.equal(relativePosix(ROOT, ROOT), '.');
  });

  it('turns a 0-based half-open range into 1-based columns with an exclusive end', () => {
    assert.deepEqual(toOneBased(lineRange(0, 0, 4)), { line: 1, column: 1, endLine: 1, endColumn: 5 });
  });
});

describe('findings text', () => {
  it('prints path:line:col: CODE message sorted by path and a summary', () => {
    const out = formatFindingsText(FINDINGS, ROOT, { packages: 5, files: 40 });
    assert.equal(
      out,
      [
        "services/api/app/main.py:3:8: PM001 'yaml' (pyyaml) is not declared by api",
        'services/api/pyproject.toml:1:1: PM008 invalid requirement "x=={{ v }}"',
        "services/billing/app/main.py:5:8: PM003 'requests' is declared by acme-http, not by billing",
        'Found 3 problems (2 errors, 1 warning) in 2 packages',
        '',
      ].join('\n'),
    );
  });

  it('says all checks passed with package and file counts when there are no findings', () => {
    assert.equal(formatFindingsText([], ROOT, { packages: 1, files: 12 }), 'All checks passed (1 package, 12 files)\n');
  });

  it('keeps a multi-line message on one line and counts hints as notes', () => {
    const out = formatFindingsText(
      [finding({ code: 'PM009', severity: 'hint', file: at('a.py'), range: lineRange(0, 0, 1), message: 'bad\n  toml' })],
      ROOT, { packages: 1, files: 1 },
    );
    assert.equal(out, 'a.py:1:1: PM009 bad toml\nFound 1 problem (0 errors, 0 warnings, 1 note) in 1 package\n');
  });
});

describe('findings json', () => {
  it('emits version 1 with relative paths, 1-based regions and optional module/distribution', () => {
    const doc = JSON.parse(formatFindingsJson(FINDINGS, ROOT)) as { version: number; findings: Record<string, unknown>[] };
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.findings[0], {
      code: 'PM001', rule: 'undeclared-dependency', severity: 'error', package: 'api', path: 'services/api/app/main.py',
      line: 3, column: 8, endLine: 3, endColumn: 12, message: "'yaml' (pyyaml) is not declared by api",
      module: 'yaml', distribution: 'pyyaml',
    });
    assert.equal('module' in doc.findings[1], false);
    assert.deepEqual(doc.findings.map((f) => f.path), [
      'services/api/app/main.py', 'services/api/pyproject.toml', 'services/billing/app/main.py',
    ]);
  });

  it('emits an empty list for no findings', () => {
    assert.equal(formatFindingsJson([], ROOT), '{\n  "version": 1,\n  "findings": []\n}\n');
  });
});

describe('findings github', () => {
  it('writes one workflow command per finding with the severity as command', () => {
    const lines = formatFindingsGithub(FINDINGS, ROOT).split('\n');
    assert.equal(
      lines[0],
      "::error file=services/api/app/main.py,line=3,col=8,endLine=3,endColumn=12,title=PM001 undeclared-dependency::'yaml' (pyyaml) is not declared by api",
    );
    assert.match(lines[2], /^::warning file=services\/billing\/app\/main\.py,line=5,col=8,endLine=5,endColumn=16,title=PM003 transitive-dependency::/);
    assert.equal(lines.length, 4); // three commands and the empty string after the final newline
  });

  it('uses notice for information findings and escapes %, newlines, commas and colons', () => {
    const out = formatFindingsGithub(
      [finding({ code: 'PM005', severity: 'information', file: at('a,b:c.py'), range: lineRange(0, 0, 1), message: '100% sure\nreally' })],
      ROOT,
    );
    assert.equal(out, '::notice file=a%2Cb%3Ac.py,line=1,col=1,endLine=1,endColumn=2,title=PM005 undeclared-dependency::100%25 sure%0Areally\n');
    assert.equal(escapeProperty('x:y,z%'), 'x%3Ay%2Cz%25');
  });
});

describe('findings sarif', () => {
  const rules: SarifRule[] = [
    { id: 'PM001', name: 'undeclared-dependency', severity: 'error', summary: 's1', helpUri: 'https://x/rules#pm001' },
    { id: 'PM003', name: 'transitive-dependency', severity: 'warning', summary: 's3', helpUri: 'https://x/rules#pm003' },
  ];

  it('builds a SARIF 2.1.0 log whose results point at driver rules and relative artifact URIs', () => {
    interface Result {
      ruleId: string; ruleIndex?: number; level: string; message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }[];
    }
    interface Log {
      $schema: string; version: string;
      runs: { tool: { driver: { name: string; version: string; rules: Record<string, unknown>[] } };
        originalUriBaseIds: Record<string, { uri: string }>; results: Result[] }[];
    }
    const log = JSON.parse(formatFindingsSarif(FINDINGS, ROOT, rules, { name: 'pymono', version: '9.9.9' })) as Log;
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.deepEqual(run.tool.driver.rules[1], {
      id: 'PM003', name: 'transitive-dependency', shortDescription: { text: 's3' },
      helpUri: 'https://x/rules#pm003', defaultConfiguration: { level: 'warning' },
    });
    assert.equal(run.tool.driver.version, '9.9.9');
    assert.match(run.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/repo\/$/);
    assert.equal(run.results.length, 3);
    const [first, second, third] = run.results;
    assert.equal(first.ruleId, 'PM001');
    assert.equal(first.ruleIndex, 0);
    assert.equal(first.level, 'error');
    assert.deepEqual(first.locations[0].physicalLocation, {
      artifactLocation: { uri: 'services/api/app/main.py', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 8, endLine: 3, endColumn: 12 },
    });
    // PM008 is not in the rule table given: the result names the rule but has no index into it.
    assert.equal(second.ruleId, 'PM008');
    assert.equal(second.ruleIndex, undefined);
    assert.equal(third.ruleIndex, 1);
    assert.equal(third.level, 'warning');
    for (const r of run.results) {
      if (r.ruleIndex !== undefined) assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
      const region = r.locations[0].physicalLocation.region;
      assert.ok(region.startLine >= 1 && region.startColumn >= 1 && region.endColumn >= region.startColumn);
    }
  });

  it('percent-encodes artifact URIs', () => {
    const out = formatFindingsSarif(
      [finding({ code: 'PM001', file: at('my app', 'main.py'), range: lineRange(0, 0, 1), message: 'm' })], ROOT, rules, { name: 'pymono', version: '1' },
    );
    assert.match(out, /"uri": "my%20app\/main\.py"/);
  });
});

function pkg(id: string, kind: PackageKind, dir: string, version?: string): PackageInfo {
  return {
    name: id, id, version, root: at(...dir.split('/')), manifest: at(...dir.split('/'), 'pyproject.toml'),
    manifestFiles: [], format: 'pep621', kind, kindReason: 'test', requirements: [], scripts: {}, modules: [],
    sourceRoots: [], virtual: false,
  };
}

function edge(from: string, to: string, kind: DependencyKind): GraphEdge {
  const requirement: DeclaredRequirement = {
    name: to, normalized: to, specifier: '', extras: [], kind, file: at('x'), range: lineRange(0, 0, 0), raw: to,
  };
  return { from, to, kind, requirement };
}

const PACKAGES = [
  pkg('api', 'service', 'services/api', '1.0.0'),
  pkg('acme-models', 'library', 'libs/models', '0.1.0'),
  pkg('acme-testing', 'library', 'libs/testing'),
  pkg('tools', 'other', 'tools'),
];
const EDGES = [
  edge('api', 'acme-models', 'runtime'),
  edge('api', 'acme-testing', 'dev'),
  edge('acme-testing', 'acme-models', 'runtime'),
  edge('tools', 'acme-models', 'optional'),
  edge('tools', 'acme-models', 'dev'), // the same target twice: listed once, with the stronger kind
];

describe('graph text', () => {
  it('lists services, libraries and others with dependencies, dependents and marked dev edges', () => {
    assert.equal(
      formatGraphText(PACKAGES, EDGES, ROOT),
      [
        'Services (1)',
        '  api 1.0.0 (services/api)',
        '    -> acme-models, acme-testing (dev)',
        '',
        'Libraries (2)',
        '  acme-models 0.1.0 (libs/models)',
        '    <- acme-testing, api, tools (optional)',
        '  acme-testing (libs/testing)',
        '    -> acme-models',
        '    <- api (dev)',
        '',
        'Other (1)',
        '  tools (tools)',
        '    -> acme-models (optional)',
        '',
        '4 packages (1 service, 2 libraries, 1 other), 4 internal edges',
        '',
      ].join('\n'),
    );
  });

  it('shows an empty services section and leaves out an empty other section', () => {
    const out = formatGraphText([pkg('lib', 'library', 'lib')], [], ROOT);
    assert.equal(out, 'Services (0)\n  (none)\n\nLibraries (1)\n  lib (lib)\n\n1 package (0 services, 1 library), 0 internal edges\n');
  });
});

describe('graph json', () => {
  it('gives each package its relative path, manifest, runtime, dev dependencies and dependents', () => {
    const doc = JSON.parse(formatGraphJson(PACKAGES, EDGES, ROOT)) as { version: number; packages: Record<string, unknown>[] };
    assert.equal(doc.version, 1);
    assert.deepEqual(doc.packages.map((p) => p.name), ['acme-models', 'acme-testing', 'api', 'tools']);
    assert.deepEqual(doc.packages[2], {
      name: 'api', path: 'services/api', kind: 'service', manifest: 'services/api/pyproject.toml',
      dependencies: ['acme-models'], devDependencies: ['acme-testing'], dependents: [],
    });
    assert.deepEqual(doc.packages[0].dependents, ['acme-testing', 'api', 'tools']);
    assert.deepEqual(doc.packages[3].dependencies, ['acme-models']);
    assert.deepEqual(doc.packages[3].devDependencies, []);
  });
});

describe('graph dot and mermaid', () => {
  it('writes a DOT digraph with shapes by kind and dashed dev edges', () => {
    const dot = formatGraphDot(PACKAGES, EDGES);
    assert.ok(dot.startsWith('digraph pymono {\n'));
    assert.ok(dot.endsWith('}\n'));
    assert.ok(dot.includes('  "api" [label="api\\n1.0.0", shape=box];'));
    assert.ok(dot.includes('  "acme-testing" [label="acme-testing", shape=ellipse];'));
    assert.ok(dot.includes('  "api" -> "acme-models";'));
    assert.ok(dot.includes('  "api" -> "acme-testing" [style=dashed, label="dev"];'));
    assert.equal(dot.split('->').length - 1, 4);
  });

  it('writes a mermaid flowchart with safe node ids and dotted dev edges', () => {
    assert.equal(
      formatGraphMermaid(PACKAGES, EDGES),
      [
        'flowchart LR',
        '  p0["acme-models"]',
        '  p1["acme-testing"]',
        '  p2(["api"])',
        '  p3{{"tools"}}',
        '  p1 --> p0',
        '  p2 --> p0',
        '  p2 -.->|dev| p1',
        '  p3 -.->|optional| p0',
        '',
      ].join('\n'),
    );
  });
});

describe('affected', () => {
  const data = {
    changedFiles: [at('libs', 'telemetry', 'log.py'), at('README.md')],
    changedPackages: ['acme-telemetry'],
    affectedPackages: ['api', 'acme-telemetry', 'acme-models', 'worker'],
    services: [
      { name: 'worker', via: ['acme-telemetry', 'acme-models', 'worker'] },
      { name: 'api', via: ['acme-telemetry', 'api'] },
    ],
  };

  it('prints changed files, packages and services with their via chains', () => {
    assert.equal(
      formatAffectedText(data, ROOT),
      [
        'Changed files (2)',
        '  README.md',
        '  libs/telemetry/log.py',
        'Changed packages: acme-telemetry',
        'Affected packages (4): acme-models, acme-telemetry, api, worker',
        'Services to rebuild (2)',
        '  api     via acme-telemetry -> api',
        '  worker  via acme-telemetry -> acme-models -> worker',
        '',
      ].join('\n'),
    );
  });

  it('says (none) when nothing is affected', () => {
    const out = formatAffectedText({ changedFiles: [], changedPackages: [], affectedPackages: [], services: [] }, ROOT);
    assert.equal(out, 'Changed files (0)\n  (none)\nChanged packages: (none)\nAffected packages (0): (none)\nServices to rebuild (0)\n  (none)\n');
  });

  it('emits the version-1 JSON shape with relative sorted files', () => {
    assert.deepEqual(JSON.parse(formatAffectedJson(data, ROOT)), {
      version: 1,
      changedFiles: ['README.md', 'libs/telemetry/log.py'],
      changedPackages: ['acme-telemetry'],
      affectedPackages: ['acme-models', 'acme-telemetry', 'api', 'worker'],
      services: [
        { name: 'api', via: ['acme-telemetry', 'api'] },
        { name: 'worker', via: ['acme-telemetry', 'acme-models', 'worker'] },
      ],
    });
  });
});
