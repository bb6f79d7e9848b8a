#!/bin/sh
# Install the Debian packages jixiao needs to build and test, only when missing,
# then the browser test's node modules (tests/web) when they are missing.
# Safe to run repeatedly; a no-op on a machine that already has everything.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
PKGS="build-essential pkg-config meson ninja-build clang libclang-rt-14-dev
libyaml-dev libcmocka-dev python3 python3-yaml clang-format valgrind
libzip-dev libexpat1-dev libxlsxwriter-dev libsqlite3-dev libsodium-dev zip unzip
python3-docx python3-openpyxl poppler-utils libmicrohttpd-dev libjansson-dev curl chromium wrk"
# Debian's npm conflicts with a node installed otherwise (e.g. nodesource,
# which brings its own npm): only ask for Debian's when there is no npm.
command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "jixiao: missing Debian packages:$missing (run as root or install them)" >&2
    exit 1
  fi
  echo "jixiao: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# playwright-core for tests/web/browser.mjs, exactly as locked
if [ ! -d "$root/tests/web/node_modules" ]; then
  echo "jixiao: installing tests/web/node_modules" >&2
  npm ci --prefix "$root/tests/web" --no-audit --no-fund --silent ||
    echo "jixiao: npm ci failed; the browser test will be skipped" >&2

fi
