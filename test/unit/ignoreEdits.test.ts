/**
 * The ignore quick fixes (core/ignoreEdits.ts): a `# pymono: ignore[CODE]` comment on one line, and a code in
 * `[tool.pymono.per-package-ignores]` of the root pyproject.toml, with the rest of each file byte-identical.
 */
import * as assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/core/edits/textEdit';
import { ignoreForPackageEdits, ignoreOnLineEdit } from '../../server/src/core/ignoreEdits';

function onLine(text: string, line: number, code: string): string | undefined {
  const e = ignoreOnLineEdit(text, line, code);
  return e && applyEdits(text, [e]);
}

function forPackage(text: string, id: string, code: string): string {
  const r = ignoreForPackageEdits('/ws/pyproject.toml', text, id, code);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return applyEdits(text, r.edits);
}

describe('ignore on this line', () => {
  it('appends the comment, replacing trailing whitespace and keeping CRLF', () => {
    assert.equal(onLine('import os\r\nimport requests   \r\nx = 1\r\n', 1, 'PM001'), 'import os\r\nimport requests  # pymono: ignore[PM001]\r\nx = 1\r\n');
  });

  it('adds the code to an existing ignore comment in its separator style, and does nothing when already covered', () => {
    assert.equal(onLine('import a  # pymono: ignore[PM003]\n', 0, 'PM001'), 'import a  # pymono: ignore[PM003,PM001]\n');
    assert.equal(onLine('import a  # noqa  # pymono: ignore[PM003, PM004]\n', 0, 'PM001'), 'import a  # noqa  # pymono: ignore[PM003, PM004, PM001]\n');
    assert.equal(ignoreOnLineEdit('import a  # pymono: ignore[pm001]\n', 0, 'PM001'), undefined);
    assert.equal(ignoreOnLineEdit('import a  # pymono: ignore\n', 0, 'PM001'), undefined, 'a bare ignore covers every code');
    assert.equal(ignoreOnLineEdit('import a\n', 5, 'PM001'), undefined, 'no such line');
  });

  it('puts the comment after a backslash continuation, on the last physical line of the statement', () => {
    assert.equal(onLine('from acme import \\\n    models\n', 0, 'PM002'), 'from acme import \\\n    models  # pymono: ignore[PM002]\n');
  });

  it('works on manifest lines (a TOML array element, a requirements line)', () => {
    assert.equal(onLine('dependencies = [\n    "sqlalchemy>=2.0",\n]\n', 1, 'PM005'), 'dependencies = [\n    "sqlalchemy>=2.0",  # pymono: ignore[PM005]\n]\n');
    assert.equal(onLine('flask\ngunicorn=={{ v }}', 1, 'PM008'), 'flask\ngunicorn=={{ v }}  # pymono: ignore[PM008]');
  });
});

describe('ignore for this package', () => {
  it('adds a key to an existing [tool.pymono.per-package-ignores] after its last entry', () => {
    const text = '[tool.pymono]\nservices = ["services/*"]\n\n[tool.pymono.per-package-ignores]\n# why\n"worker" = ["PM003"]\n\n[tool.ruff]\nline-length = 100\n';
    assert.equal(forPackage(text, 'api', 'PM001'), text.replace('"worker" = ["PM003"]\n', '"worker" = ["PM003"]\n"api" = ["PM001"]\n'));
  });

  it('adds the code to the package’s existing array, matching the key by its normalized name', () => {
    const text = '[tool.pymono.per-package-ignores]\nBilling_Worker = [\n    "PM003",\n]\n';
    assert.equal(forPackage(text, 'billing-worker', 'PM005'), '[tool.pymono.per-package-ignores]\nBilling_Worker = [\n    "PM003",\n    "PM005",\n]\n');
    const r = ignoreForPackageEdits('/ws/pyproject.toml', text, 'billing-worker', 'PM003');
    assert.equal(r.ok, false);
  });

  it('creates the table after the last [tool.pymono...] table, or at the end of the file', () => {
    const withConfig = '[tool.pymono]\nlibraries = ["libs/*"]\n\n[tool.pymono.mapping]\nx = "y"\n\n[tool.ruff]\nline-length = 100\n';
    assert.equal(
      forPackage(withConfig, 'api', 'PM001'),
      withConfig.replace('x = "y"\n', 'x = "y"\n\n[tool.pymono.per-package-ignores]\n"api" = ["PM001"]\n'),
    );
    const bare = '[tool.uv.workspace]\r\nmembers = ["libs/*"]\r\n';
    assert.equal(forPackage(bare, 'api', 'PM001'), `${bare}\r\n[tool.pymono.per-package-ignores]\r\n"api" = ["PM001"]\r\n`);
  });

  it('refuses, with a located reason, a file that does not parse or a table of the wrong shape', () => {
    const broken = ignoreForPackageEdits('/ws/pyproject.toml', '[tool.pymono\n', 'api', 'PM001');
    assert.ok(!broken.ok && broken.reason.startsWith('/ws/pyproject.toml: the file has a TOML syntax error'), JSON.stringify(broken));
    const wrong = ignoreForPackageEdits('/ws/pyproject.toml', '[tool.pymono]\nper-package-ignores = ["x"]\n', 'api', 'PM001');
    assert.ok(!wrong.ok && wrong.reason.includes('is not a table'), JSON.stringify(wrong));
  });
});
