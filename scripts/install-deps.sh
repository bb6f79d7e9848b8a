#!/bin/sh
# Install the Debian packages jixiao needs to build and test, only when missing.
# Safe to run repeatedly; a no-op on a machine that already has everything.
set -eu
PKGS="build-essential pkg-config meson ninja-build clang libclang-rt-14-dev
libyaml-dev libcmocka-dev python3 python3-yaml clang-format valgrind
libzip-dev libexpat1-dev libxlsxwriter-dev libsqlite3-dev libsodium-dev zip unzip
python3-docx python3-openpyxl poppler-utils wrk"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "jixiao: missing Debian packages:$missing (run as root or install them)" >&2
  exit 1
fi
echo "jixiao: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
