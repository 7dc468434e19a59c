#!/usr/bin/env bash
# build/sdk/baton-sdk.pc, the build tree's pkg-config file, names an
# include directory that holds the SDK headers and a library directory
# that holds libbaton, and a plugin builds with it alone:
#   cc -shared $(PKG_CONFIG_PATH=build/sdk pkg-config --cflags --libs baton-sdk)
#
# usage: build_tree_pc.sh BUILD_DIR
set -euo pipefail

build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PKG_CONFIG_PATH=$build/sdk
unset PKG_CONFIG_LIBDIR

inc=$(pkg-config --variable=includedir baton-sdk)
lib=$(pkg-config --variable=libdir baton-sdk)
[ -f "$inc/baton/plugin.h" ] || { echo "includedir $inc has no baton/plugin.h"; exit 1; }
ls "$lib"/libbaton.so* > /dev/null 2>&1 || { echo "libdir $lib has no libbaton.so"; exit 1; }

cat > "$work/probe.c" <<'C'
#include <baton/plugin.h>
#include <baton/package.h>
int probe_sdk_major(void) { return BATON_SDK_MAJOR; }
C
cc -shared -o "$work/probe.so" "$work/probe.c" $(pkg-config --cflags --libs baton-sdk)
echo "build tree SDK: headers in $inc, libbaton in $lib; a plugin builds with pkg-config alone"
