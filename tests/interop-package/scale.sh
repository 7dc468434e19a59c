#!/usr/bin/env bash
# Scale: a case with 1 GiB of documents packs and opens (extracts) with a
# peak resident set under 64 MiB each, measured by GNU time on the real
# baton CLI. The documents are sparse files (no disk space for the input);
# everything is removed afterwards.
# usage: scale.sh path/to/baton [MiB]   (default 1024)
set -euo pipefail
BATON=$(realpath "$1")
SAMPLE=$(realpath "$(dirname "$0")/../cases/gb-ew-b2b-ready.json")
MIB=${2:-1024}
LIMIT_KB=$((64 * 1024))
W=$(mktemp -d "${SCALE_TMPDIR:-/var/tmp}/baton-scale-XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"
"$BATON" keygen -o agency >/dev/null
"$BATON" keygen -o firm >/dev/null
sed 's/"case_id": "GBEW-B2B-READY"/"case_id": "SCALE-1"/' "$SAMPLE" >case.json
# Four documents: three sparse quarters and one with real random content,
# so both the zero and the non-zero paths run.
q=$((MIB / 4))
for i in 1 2 3; do truncate -s "${q}M" "doc$i.bin"; done
head -c $(((MIB - 3 * q) * 1048576)) /dev/urandom >doc4.bin
args=()
for i in 1 2 3 4; do args+=(-d "doc$i.bin"); done

rss() { sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$1"; }
secs() { sed -n 's/^\s*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1"; }

/usr/bin/time -v -o pack.time "$BATON" pack -k agency.key -r firm.agepub -c case.json "${args[@]}" \
    -o case.baton >pack.out
rm -f doc1.bin doc2.bin doc3.bin
/usr/bin/time -v -o open.time "$BATON" open -i firm.agekey -p agency.pub --ledger ledger.sqlite \
    -C out case.baton >open.out
grep -q "^payload_bytes=$((MIB * 1048576 + $(stat -c %s case.json)))$" open.out ||
    { cat open.out; echo "FAIL: payload size"; exit 1; }
cmp out/bag/data/documents/0004.bin doc4.bin
cmp out/documents/doc4.bin doc4.bin
pr=$(rss pack.time)
or=$(rss open.time)
echo "scale: ${MIB} MiB  pack $(secs pack.time) peak RSS ${pr} KB  open $(secs open.time) peak RSS ${or} KB"
[ "$pr" -lt "$LIMIT_KB" ] || { echo "FAIL: pack peak RSS ${pr} KB >= ${LIMIT_KB} KB"; exit 1; }
[ "$or" -lt "$LIMIT_KB" ] || { echo "FAIL: open peak RSS ${or} KB >= ${LIMIT_KB} KB"; exit 1; }
echo "scale: ok"
