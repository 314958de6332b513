#!/bin/sh
# Builds the liboauth conformance adapter (test/interop/liboauth_sign.c).
# Needs: a C compiler, pkg-config, liboauth-dev and libjson-c-dev (Debian).
# Output: $1, or .tmp/interop/liboauth_sign under the repository (gitignored).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-"$root/.tmp/interop/liboauth_sign"}
mkdir -p "$(dirname "$out")"
CC=${CC:-cc}
if pkg-config --exists oauth json-c 2>/dev/null; then
  flags=$(pkg-config --cflags --libs oauth json-c)
else
  flags="-I/usr/include/json-c -loauth -ljson-c"
fi
# -rdynamic: liboauth's calls to its own signing functions must reach the
# recording wrappers defined in the adapter (see the comment at its top).
# shellcheck disable=SC2086
$CC -std=c99 -O1 -Wall -Wno-deprecated-declarations -rdynamic -o "$out.tmp" "$here/liboauth_sign.c" $flags -ldl
mv "$out.tmp" "$out"
echo "$out"
