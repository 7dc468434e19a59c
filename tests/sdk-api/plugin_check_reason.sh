#!/bin/sh
# plugin_check_reason.sh BATON PLUGIN.so CASE.json - `baton plugin check`
# fails a plugin whose builder call the host refused, and says why in the
# host's words (SDK 1.1 last_error), in process and with --isolated.
set -eu
baton=$1
plugin=$2
case_file=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/cases"
cp "$case_file" "$tmp/cases/"
printf '{"probe": "fail"}\n' >"$tmp/fail.json"
want='the host refused: finding code "Final demand": not [a-z0-9_-]{1,64} (byte 0)'
for mode in "" --isolated; do
    status=0
    "$baton" plugin check "$plugin" --config "$tmp/fail.json" --no-default-cases \
        --cases "$tmp/cases" $mode >"$tmp/out" 2>&1 || status=$?
    if [ "$status" -ne 1 ]; then
        echo "FAIL ${mode:-in process}: exit $status, expected 1"
        cat "$tmp/out"
        exit 1
    fi
    if ! grep -F "$want" "$tmp/out" | grep -q '^FAIL  filing_rules'; then
        echo "FAIL ${mode:-in process}: no failure line names the reason:"
        cat "$tmp/out"
        exit 1
    fi
    echo "ok ${mode:-in process}: $(grep -c -F "$want" "$tmp/out") failure lines name the reason"
done
