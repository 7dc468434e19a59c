#!/usr/bin/env bash
# The committed samples in docs/samples/ are what the code renders today:
# tools/render-samples into a temporary folder, then the text and HTML of
# every sample must match the committed files byte for byte. (The PDFs are
# not compared: their bytes also depend on the installed cairo and fonts.)
# When a plugin's letter changes on purpose, run tools/render-samples.
#
# usage: samples_current.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$src/tools/render-samples" "$build" "$tmp" > /dev/null
fail=0
for f in "$tmp"/*.txt "$tmp"/*.html; do
  name=$(basename "$f")
  if [ ! -f "$src/docs/samples/$name" ]; then
    echo "docs/samples/$name is not committed"
    fail=1
  elif ! cmp -s "$f" "$src/docs/samples/$name"; then
    echo "docs/samples/$name is out of date:"
    diff -u "$src/docs/samples/$name" "$f" | head -20 || true
    fail=1
  fi
done
[ "$fail" -eq 0 ] || { echo "run tools/render-samples to update them"; exit 1; }
echo "ok: $(ls "$tmp" | wc -l) sample files rendered, text and HTML match docs/samples/"
