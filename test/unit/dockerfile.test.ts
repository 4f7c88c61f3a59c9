import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Range } from '../../server/src/core/model';
import { isDockerfileName, parseDockerfile } from '../../server/src/core/manifests/dockerfile';

function r(line: number, character: number, endLine: number, endCharacter: number): Range {
  return { start: { line, character }, end: { line: endLine, character: endCharacter } };
}

const ROOT = path.resolve('/repo');

// Seed 001, verbatim: apps/app-one/Dockerfile built with the repository root as context.
const SEED_001 = `# use this image as the base
FROM python:3.13.5-slim

# set the working directory
WORKDIR /app

# copy shared Python code
COPY shared/ ./shared

# install packages in the \`./shared\` folder's pyproject.toml file
RUN pip install --no-cache-dir ./shared

# copy the app-one service
COPY apps/app-one .

# install the flask package
RUN pip install flask

# open port 5000
EXPOSE 5000

# set Flask environment variables
ENV FLASK_ENV=development
ENV FLASK_DEBUG=1
ENV FLASK_APP=main

# run the flask app; --host allows external requests; --port uses port 5000 for the flask app, the requests to that port will be forwarded to the running flask app
CMD ["flask", "run", "--host=0.0.0.0", "--port=5000"]
`;

describe('Dockerfile installs', () => {
  it('maps seed 001: ./shared back to the shared/ folder of the context, flask as a named requirement', () => {
    const file = path.join(ROOT, 'apps/app-one/Dockerfile');
    const parsed = parseDockerfile(file, SEED_001, ROOT);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.requirementFiles, []);
    assert.deepEqual(parsed.copies, [
      { sources: ['shared/'], dest: '/app/shared', line: 7 },
      { sources: ['apps/app-one'], dest: '/app', line: 13 },
    ]);
    assert.deepEqual(parsed.requirements, [
      {
        name: '', normalized: '', specifier: '', extras: [], kind: 'runtime', file, range: r(10, 31, 10, 39), raw: './shared',
        source: { type: 'path', path: path.join(ROOT, 'shared'), editable: false },
      },
      { name: 'flask', normalized: 'flask', specifier: '', extras: [], kind: 'runtime', file, range: r(16, 16, 16, 21), raw: 'flask' },
    ]);
  });

  it('gives a CRLF Dockerfile the same positions as its LF twin', () => {
    const file = path.join(ROOT, 'apps/app-one/Dockerfile');
    assert.deepEqual(parseDockerfile(file, SEED_001.replace(/\n/g, '\r\n'), ROOT), parseDockerfile(file, SEED_001, ROOT));
  });

  it('resolves pip install -r requirements.txt after COPY . . to the file in the context', () => {
    const svc = path.join(ROOT, 'services/orders');
    const text = ['FROM python:3.9-slim', '', 'WORKDIR /app', '', 'COPY . .', '', 'RUN pip install -r requirements.txt', '', 'CMD ["python", "main.py"]'].join('\n');
    const parsed = parseDockerfile(path.join(svc, 'Dockerfile'), text, svc);
    assert.deepEqual(parsed.requirementFiles, [{ path: path.join(svc, 'requirements.txt'), range: r(6, 19, 6, 35) }]);
    assert.deepEqual(parsed.requirements, []);
  });

  it('follows relative WORKDIRs, file and folder COPYs and ENV paths back to the host', () => {
    const text = [
      'FROM python:3.12-slim', // 0
      'ENV LIBS=/opt/libs', // 1
      'WORKDIR /srv', // 2
      'WORKDIR app', // 3
      'COPY --chown=app:app libs/auth /opt/auth', // 4
      'COPY services/api/requirements.txt services/api/requirements-extra.txt ./', // 5
      'COPY libs/ $LIBS/', // 6
      'COPY services/api/ .', // 7
      'RUN pip install -e /opt/auth', // 8
      'RUN pip install -r requirements-extra.txt -r ./requirements.txt', // 9
      'RUN pip install $LIBS/core ${LIBS}/db', // 10
      'RUN pip install --editable=.', // 11
    ].join('\n');
    const parsed = parseDockerfile(path.join(ROOT, 'services/api/Dockerfile'), text, ROOT);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.copies.map((c) => c.dest), ['/opt/auth', '/srv/app', '/opt/libs', '/srv/app']);
    assert.deepEqual(parsed.requirementFiles, [
      { path: path.join(ROOT, 'services/api/requirements-extra.txt'), range: r(9, 19, 9, 41) },
      { path: path.join(ROOT, 'services/api/requirements.txt'), range: r(9, 45, 9, 63) },
    ]);
    assert.deepEqual(
      parsed.requirements.map((q) => [q.raw, q.source, q.range]),
      [
        ['-e /opt/auth', { type: 'path', path: path.join(ROOT, 'libs/auth'), editable: true }, r(8, 16, 8, 28)],
        ['/opt/libs/core', { type: 'path', path: path.join(ROOT, 'libs/core'), editable: false }, r(10, 16, 10, 26)],
        ['/opt/libs/db', { type: 'path', path: path.join(ROOT, 'libs/db'), editable: false }, r(10, 27, 10, 37)],
        ['--editable=.', { type: 'path', path: path.join(ROOT, 'services/api'), editable: true }, r(11, 16, 11, 28)],
      ],
    );
  });

  it('falls back to the context folder when no COPY explains a path', () => {
    const text = 'FROM python:3.12\nWORKDIR /code\nRUN pip install ./tools/cli -r reqs/base.txt';
    const parsed = parseDockerfile(path.join(ROOT, 'Dockerfile'), text, ROOT);
    assert.deepEqual(parsed.requirements[0].source, { type: 'path', path: path.join(ROOT, 'tools/cli'), editable: false });
    assert.deepEqual(parsed.requirementFiles.map((f) => f.path), [path.join(ROOT, 'reqs/base.txt')]);
  });

  it('reads continued RUN lines, unquotes quoted specs and locates each token on its own line', () => {
    const text = [
      'FROM python:3.12-slim', // 0
      'run pip install --no-cache-dir \\', // 1
      '    # pinned web stack', // 2
      '    "fastapi>=0.110,<1" \\', // 3
      "    'uvicorn[standard]==0.30.1' \\", // 4
      '  && python3 -m pip install --user -q httpx ; pip3 install -U --prefix /install orjson || true', // 5
    ].join('\n');
    const parsed = parseDockerfile(path.join(ROOT, 'svc/Dockerfile'), text, path.join(ROOT, 'svc'));
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.requirements.map((q) => [q.normalized, q.specifier, q.extras, q.raw, q.range]),
      [
        ['fastapi', '>=0.110,<1', [], 'fastapi>=0.110,<1', r(3, 5, 3, 22)],
        ['uvicorn', '==0.30.1', ['standard'], 'uvicorn[standard]==0.30.1', r(4, 5, 4, 30)],
        ['httpx', '', [], 'httpx', r(5, 38, 5, 43)],
        ['orjson', '', [], 'orjson', r(5, 80, 5, 86)],
      ],
    );
  });

  it('reads JSON exec form, sh -c scripts inside it and RUN heredoc scripts', () => {
    const text = [
      '# syntax=docker/dockerfile:1.7', // 0
      'FROM python:3.12', // 1
      'RUN ["pip", "install", "httpx==0.27.0"]', // 2
      'RUN ["/bin/sh", "-c", "pip install \\"redis>=5\\" > /dev/null 2>&1 && echo ok"]', // 3
      'RUN <<EOF', // 4
      'set -e', // 5
      'uv pip install --system structlog', // 6
      'EOF', // 7
      'RUN python3 <<EOF', // 8
      'print("pip install not-a-requirement")', // 9
      'EOF', // 10
    ].join('\n');
    const parsed = parseDockerfile(path.join(ROOT, 'Dockerfile'), text, ROOT);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.requirements.map((q) => [q.normalized, q.range]),
      [
        ['httpx', r(2, 24, 2, 37)],
        ['redis', r(3, 37, 3, 45)],
        ['structlog', r(6, 24, 6, 33)],
      ],
    );
  });

  it('skips installs from other stages and wheel globs, and inherits WORKDIR and COPYs from a parent stage', () => {
    const text = [
      'FROM python:3.12 AS builder', // 0
      'WORKDIR /build', // 1
      'COPY requirements.txt .', // 2
      'RUN pip wheel --wheel-dir /wheels -r requirements.txt', // 3
      'FROM python:3.12-slim AS runtime', // 4
      'COPY --from=builder /wheels /wheels', // 5
      'RUN pip install --no-index --find-links=/wheels /wheels/* && pip install /wheels/acme-1.0-py3-none-any.whl', // 6
      'WORKDIR /app', // 7
      'COPY libs/core ./core', // 8
      'FROM runtime AS test', // 9
      'RUN pip install -e ./core pytest', // 10
    ].join('\n');
    const svc = path.join(ROOT, 'services/billing');
    const parsed = parseDockerfile(path.join(svc, 'Dockerfile'), text, ROOT);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.copies, [
      { sources: ['requirements.txt'], dest: '/build', line: 2 },
      { sources: ['libs/core'], dest: '/app/core', line: 8 },
    ]);
    assert.deepEqual(parsed.requirementFiles.map((f) => f.path), [path.join(ROOT, 'requirements.txt')]);
    assert.deepEqual(
      parsed.requirements.map((q) => [q.normalized, q.source]),
      [
        ['', { type: 'path', path: path.join(ROOT, 'libs/core'), editable: true }],
        ['pytest', undefined],
      ],
    );
  });

  it('reports invalid requirement tokens where they stand and skips ARG-driven ones', () => {
    const text = [
      'ARG SDK_VERSION', // 0
      'FROM python:3.12', // 1
      'ARG SDK_VERSION', // 2
      'RUN pip install "acme-sdk==${SDK_VERSION}" flask== requests', // 3
      'RUN pip install -r', // 4
      'COPY only-one-arg', // 5
    ].join('\n');
    const file = path.join(ROOT, 'Dockerfile');
    const parsed = parseDockerfile(file, text, ROOT);
    assert.deepEqual(parsed.requirements.map((q) => q.normalized), ['requests']);
    assert.deepEqual(parsed.problems, [
      { file, range: r(3, 48, 3, 50), message: "invalid requirement 'flask==': invalid version specifier '=='" },
      { file, range: r(4, 16, 4, 18), message: "'-r' needs a value" },
      { file, range: r(5, 5, 5, 17), message: 'COPY needs at least one source and a destination' },
    ]);
  });

  it('finds pip behind if/then and sudo, reads combined short flags and word-splits an ARG list', () => {
    const text = [
      'FROM python:3.12', // 0
      'ARG PACKAGES="gunicorn structlog"', // 1
      'WORKDIR /app', // 2
      'COPY requirements*.txt ./', // 3
      'RUN if [ "$ENV" = "dev" ]; then pip install -qr requirements-dev.txt; fi', // 4
      'RUN pip install $PACKAGES > /tmp/pip.log', // 5
      "RUN sudo -H pip install -e '.[dev]'", // 6
    ].join('\n');
    const svc = path.join(ROOT, 'svc');
    const parsed = parseDockerfile(path.join(svc, 'Dockerfile'), text, svc);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.requirementFiles, [{ path: path.join(svc, 'requirements-dev.txt'), range: r(4, 48, 4, 68) }]);
    assert.deepEqual(
      parsed.requirements.map((q) => [q.normalized, q.extras, q.source, q.range]),
      [
        ['gunicorn', [], undefined, r(5, 16, 5, 25)],
        ['structlog', [], undefined, r(5, 16, 5, 25)],
        ['', ['dev'], { type: 'path', path: svc, editable: true }, r(6, 24, 6, 34)],
      ],
    );
  });

  it('uses ARG defaults and the escape directive', () => {
    const text = ['# escape=`', 'FROM python:3.12', 'ARG CORE=libs/core', 'COPY ${CORE} /opt/core', 'RUN pip install `', '    /opt/core'].join('\n');
    const parsed = parseDockerfile(path.join(ROOT, 'Dockerfile'), text, ROOT);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.requirements.map((q) => [q.source, q.range]), [
      [{ type: 'path', path: path.join(ROOT, 'libs/core'), editable: false }, r(5, 4, 5, 13)],
    ]);
  });

  it('recognises Dockerfile names', () => {
    for (const yes of ['Dockerfile', 'dockerfile', 'Dockerfile.dev', 'Dockerfile.prod', 'api.dockerfile', 'worker.Dockerfile']) {
      assert.equal(isDockerfileName(yes), true, yes);
    }
    for (const no of ['Dockerfile.dockerignore', 'Dockerfile.j2', 'docker-compose.yml', 'Dockerfiles', 'README.md']) {
      assert.equal(isDockerfileName(no), false, no);
    }
  });
});
