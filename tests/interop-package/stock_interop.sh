#!/usr/bin/env bash
# Handoff packages against the stock tools, both ways, through the real
# baton CLI and Debian's age, minisign, tar and sha256sum:
#  1. baton keygen + baton pack -> age -d | tar -x, minisign -V -H,
#     sha256sum -c on both manifests (what docs/handoff-packages.md tells a
#     law firm to run);
#  2. a package assembled with stock tools only (keys from minisign -G -W
#     and age-keygen) in the documented layout -> baton open;
#  3. receipts: baton receipt -> minisign -V and baton receipt verify;
#  4. the CLI's exit code per refusal class, and an empty target folder.
# usage: stock_interop.sh path/to/baton
set -euo pipefail
BATON=$(realpath "$1")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
export BATON_LEDGER="$W/ledger.sqlite"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_exit() { # expect_exit CODE cmd...
    local want=$1; shift
    set +e; "$@" >/dev/null 2>"$W/stderr"; local got=$?; set -e
    [ "$got" = "$want" ] || { cat "$W/stderr" >&2; fail "$* exited $got, want $want"; }
}

# ---- keys ----
"$BATON" keygen -o agency >/dev/null
"$BATON" keygen -o firm >/dev/null
[ "$(stat -c %a agency.key)" = 600 ] || fail "secret key mode"
[ "$(stat -c %a firm.agekey)" = 600 ] || fail "age identity mode"
expect_exit 1 "$BATON" keygen -o agency
"$BATON" keygen -o agency --force >/dev/null

# ---- 1. baton pack -> stock tools ----
mkdir docs
printf '{"case_id":"NW-2026-0042","debtor":{"name":"Example Ltd"}}\n' >case.json
# Over 8 MiB in total, so packing hashes on its worker thread.
head -c 9500000 /dev/urandom >docs/invoice.pdf
printf 'Final demand\n' >"docs/final demand.txt"
printf 'Mahnung\n' >"docs/Mahnung Müller.txt"
: >docs/empty.txt
"$BATON" pack -k agency.key -r firm.agepub -c case.json -d docs/invoice.pdf \
    -d "docs/final demand.txt" -d "docs/Mahnung Müller.txt" -d docs/empty.txt -o case.baton >pack.out
grep -q '^sequence=1$' pack.out || fail "first sequence is not 1"
TM=$(sed -n 's/^tagmanifest_sha256=//p' pack.out)
mkdir stock && (cd stock && age -d -i ../firm.agekey ../case.baton | tar -x)
minisign -V -H -p agency.pub -m stock/bag/tagmanifest-sha256.txt >minisign.out
grep -q 'Trusted comment: baton-handoff/1 case=NW-2026-0042 sender=agency recipient=firm seq=1 ' \
    minisign.out || fail "trusted comment: $(cat minisign.out)"
(cd stock/bag && sha256sum --strict -c manifest-sha256.txt && sha256sum --strict -c tagmanifest-sha256.txt) >/dev/null
[ "$(sha256sum <stock/bag/tagmanifest-sha256.txt | cut -d' ' -f1)" = "$TM" ] || fail "tagmanifest hash"
cmp stock/bag/data/documents/invoice.pdf docs/invoice.pdf
cmp "stock/bag/data/documents/final demand.txt" "docs/final demand.txt"
cmp stock/bag/data/case.json case.json
cmp "stock/bag/data/documents/Mahnung Müller.txt" "docs/Mahnung Müller.txt"
# The next package from the same key gets the next sequence number.
"$BATON" pack -k agency.key -r firm.agepub -c case.json -o case2.baton | grep -q '^sequence=2$' ||
    fail "second sequence is not 2"
expect_exit 1 "$BATON" pack -k agency.key -r firm.agepub -c case.json --seq 2 -o case3.baton

# ---- 2. stock tools -> baton open ----
minisign -G -W -p stock.pub -s stock.key >/dev/null
age-keygen -o stockfirm.key 2>/dev/null
mkdir -p s/bag/data/documents
cp case.json s/bag/data/case.json
cp docs/invoice.pdf s/bag/data/documents/invoice.pdf
cp "docs/Mahnung Müller.txt" "s/bag/data/documents/Mahnung Müller.txt"
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >s/bag/bagit.txt
(
    cd s/bag
    octets=$(find data -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
    streams=$(find data -type f | wc -l)
    printf 'External-Identifier: NW-2026-0042\nPayload-Oxum: %s.%s\nSource-Organization: stock-agency\n' \
        "$octets" "$streams" >bag-info.txt
    find data -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum >manifest-sha256.txt
    sha256sum bag-info.txt bagit.txt manifest-sha256.txt >tagmanifest-sha256.txt
    now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    exp=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
    minisign -S -s ../../stock.key -m tagmanifest-sha256.txt \
        -t "baton-handoff/1 case=NW-2026-0042 sender=stock-agency recipient=stockfirm seq=1 created=$now expires=$exp" >/dev/null
)
(cd s && tar --format=ustar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - bag) |
    age -r "$(age-keygen -y stockfirm.key)" >stock.baton
mkdir opened
"$BATON" open -i stockfirm.key --recipient-name stockfirm -p stock.pub -C opened stock.baton >open.out ||
    fail "baton open refused the stock-built package"
cmp opened/bag/data/documents/invoice.pdf docs/invoice.pdf
grep -q '^sender=stock-agency$' open.out || fail "sender"
# The same stock package with GNU tar's default order and pax format opens too.
(cd s && tar --format=posix -cf - bag) | age -r "$(age-keygen -y stockfirm.key)" >stock-pax.baton
"$BATON" verify -i stockfirm.key --recipient-name stockfirm -p stock.pub --no-ledger stock-pax.baton >/dev/null ||
    fail "baton verify refused the pax-format stock package"

# ---- 3. receipts ----
"$BATON" receipt -k firm.key -i firm.agekey -p agency.pub --ledger r-ledger.sqlite -o receipt.json case.baton >/dev/null
minisign -V -p firm.pub -m receipt.json >/dev/null || fail "minisign rejects the receipt"
grep -q '"verdict":"accepted"' receipt.json || fail "receipt verdict"
"$BATON" receipt verify -p firm.pub --package case.baton --tagmanifest "$TM" receipt.json >rv.out
grep -q '^verdict=accepted$' rv.out || fail "receipt verify output"
expect_exit 7 "$BATON" receipt verify -p firm.pub --package case2.baton receipt.json
expect_exit 5 "$BATON" receipt verify -p agency.pub receipt.json
sed 's/accepted/rejected/' receipt.json >forged.json && cp receipt.json.minisig forged.json.minisig
expect_exit 5 "$BATON" receipt verify -p firm.pub forged.json
# A refused package still gets a (rejected) receipt.
BATON_NOW=2099-01-01T00:00:00Z expect_exit 12 "$BATON" receipt -k firm.key -i firm.agekey \
    -p agency.pub --no-ledger -o late.json case.baton
"$BATON" receipt verify -p firm.pub late.json | grep -q '^reason=expired$' || fail "rejected receipt"

# ---- 4. exit codes per class; nothing left behind ----
mkdir target
expect_exit 0 "$BATON" open -i firm.agekey -p agency.pub -C target/a case.baton
expect_exit 11 "$BATON" open -i firm.agekey -p agency.pub -C target/b case.baton # replayed
expect_exit 4 "$BATON" verify -i agency.agekey -p agency.pub case2.baton        # not for me
expect_exit 4 "$BATON" verify -i firm.agekey --recipient-name other -p agency.pub case2.baton
expect_exit 6 "$BATON" verify -i firm.agekey -p stock.pub case2.baton           # untrusted
BATON_NOW=2099-01-01T00:00:00Z expect_exit 12 "$BATON" verify -i firm.agekey -p agency.pub case2.baton
cp case2.baton flipped.baton
size=$(stat -c %s flipped.baton)
printf '\xff' | dd of=flipped.baton bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
mkdir target/c
expect_exit 7 "$BATON" open -i firm.agekey -p agency.pub -C target/c flipped.baton # tampered
[ -z "$(ls -A target/c)" ] || fail "tampered package left files"
[ "$(ls -A target)" = "$(printf 'a\nc')" ] || fail "stray files in target: $(ls -A target)"
expect_exit 2 "$BATON" open -i firm.agekey case.baton
"$BATON" open --help | grep -q 'replayed' || fail "--help lacks the exit codes"
echo "stock interop: all checks passed"
