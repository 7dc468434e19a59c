#!/bin/sh
# build.sh - how abi10_plugin.x86_64.so was built: with the SDK 1.0 headers
# exactly as commit dfc6d45 shipped them (taken from git, not from the
# tree), so the binary stays what a 1.0 integrator built. Run it from
# anywhere inside the repository; it rewrites the .so next to it. The test
# loads the committed binary; rebuild it only to replace a lost file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(git -C "$here" rev-parse --show-toplevel)
rev=dfc6d45
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/include/baton"
for h in plugin.h error.h date.h money.h; do
    git -C "$top" show "$rev:sdk/include/baton/$h" >"$tmp/include/baton/$h"
done
grep -q '#define BATON_SDK_MINOR 0' "$tmp/include/baton/plugin.h"
cc -std=c11 -O2 -Wall -Wextra -Werror -fPIC -fvisibility=hidden -shared \
    -I"$tmp/include" -o "$here/abi10_plugin.x86_64.so" "$here/abi10_plugin.c"
echo "built $here/abi10_plugin.x86_64.so against SDK 1.0 ($rev)"
