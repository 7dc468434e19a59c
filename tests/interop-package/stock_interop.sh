#!/usr/bin/env bash
# Handoff packages against the stock tools, both ways, through the real
# baton CLI and Debian's age, minisign, tar and sha256sum:
#  1. baton keygen + baton pack -> the law firm's stock recipe of
#     docs/handoff-packages.md ("recipe: stock-open", run verbatim);
#  2. a package assembled with stock tools only (keys from minisign -G -W
#     and age-keygen) by the docs' assembly recipe ("recipe: stock-assemble",
#     run verbatim) -> baton open; the same bag in other tar orders;
#  3. receipts: baton receipt -> minisign -V and baton receipt verify;
#  4. the CLI's exit code per refusal class, and an empty target folder.
# usage: stock_interop.sh path/to/baton
set -euo pipefail
BATON=$(realpath "$1")
DOC=$(realpath "$(dirname "$0")/../../docs/handoff-packages.md")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
export BATON_LEDGER="$W/ledger.sqlite"
fail() { echo "FAIL: $*" >&2; exit 1; }
# The shell block after "<!-- recipe: NAME " in the docs, as written there.
recipe() {
    awk -v name="$1" 'index($0, "<!-- recipe: " name " ") == 1 {found = 1; next}
        found && $0 == "```sh" {inblock = 1; next}
        inblock && $0 == "```" {exit}
        inblock {print}' "$DOC"
}
recipe stock-open >"$W/stock-open.sh"
recipe stock-assemble >"$W/stock-assemble.sh"
[ -s "$W/stock-open.sh" ] && [ -s "$W/stock-assemble.sh" ] || fail "recipes not found in $DOC"
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
# A case the case format accepts (baton pack validates it), with this test's id.
jq -c '.case_id = "NW-2026-0042"' "$(dirname "$DOC")/../tests/cases/gb-ew-b2b-ready.json" >case.json
# Over 8 MiB in total, so packing hashes on its worker thread.
head -c 9500000 /dev/urandom >docs/invoice.pdf
printf 'Final demand\n' >"docs/final demand.txt"
printf 'Mahnung\n' >"docs/Mahnung Müller.txt"
: >docs/empty.txt
"$BATON" pack -k agency.key -r firm.agepub -c case.json -d docs/invoice.pdf \
    -d "docs/final demand.txt" -d "docs/Mahnung Müller.txt" -d docs/empty.txt -o case.baton >pack.out
grep -q '^sequence=1$' pack.out || fail "first sequence is not 1"
TM=$(sed -n 's/^tagmanifest_sha256=//p' pack.out)
mkdir firmside
(cd firmside && PACKAGE="$W/case.baton" FIRM_IDENTITY="$W/firm.agekey" SENDER_PUB="$W/agency.pub" \
    sh -e ../stock-open.sh) >minisign.out || fail "the stock opening recipe refused baton's package"
mv firmside/case stock
grep -q 'Trusted comment: baton-handoff/1 case=NW-2026-0042 sender=agency recipient=firm seq=1 ' \
    minisign.out || fail "trusted comment: $(cat minisign.out)"
[ "$(ls -A stock)" = bag ] || fail "the recipe left more than bag/: $(ls -A stock)"
[ "$(sha256sum <stock/bag/tagmanifest-sha256.txt | cut -d' ' -f1)" = "$TM" ] || fail "tagmanifest hash"
# Baton writes the signed part first (docs: Entry order), the document
# index with it.
age -d -i firm.agekey case.baton | tar -t >list.out
head -7 list.out >order.out
printf 'bag/\nbag/bagit.txt\nbag/bag-info.txt\nbag/documents.json\nbag/manifest-sha256.txt\nbag/tagmanifest-sha256.txt\nbag/tagmanifest-sha256.txt.minisig\n' |
    cmp - order.out || fail "entry order: $(cat order.out)"
cmp stock/bag/data/documents/0001.pdf docs/invoice.pdf
cmp stock/bag/data/documents/0002.txt "docs/final demand.txt"
cmp stock/bag/data/case.json case.json
cmp stock/bag/data/documents/0003.txt "docs/Mahnung Müller.txt"
# The next package from the same key gets the next sequence number.
"$BATON" pack -k agency.key -r firm.agepub -c case.json -o case2.baton | grep -q '^sequence=2$' ||
    fail "second sequence is not 2"
expect_exit 1 "$BATON" pack -k agency.key -r firm.agepub -c case.json --seq 2 -o case3.baton

# ---- 2. stock tools -> baton open ----
minisign -G -W -p stock.pub -s stock.key >/dev/null
age-keygen -o stockfirm.key 2>/dev/null
mkdir -p s/docs
cp case.json s/case.json
cp docs/invoice.pdf s/docs/invoice.pdf
cp "docs/Mahnung Müller.txt" "s/docs/Mahnung Müller.txt"
(cd s && CASE_ID=NW-2026-0042 SENDER=stock-agency RECIPIENT=stockfirm SENDER_KEY="$W/stock.key" \
    RECIPIENT_AGE="$(age-keygen -y ../stockfirm.key)" sh -e ../stock-assemble.sh) ||
    fail "the stock assembly recipe failed"
[ "$(cat stock.key.seq)" = 1 ] || fail "the recipe did not advance stock.key.seq"
mkdir opened
"$BATON" open -i stockfirm.key --recipient-name stockfirm -p stock.pub -C opened s/case.baton >open.out ||
    fail "baton open refused the stock-built package"
cmp opened/bag/data/documents/invoice.pdf docs/invoice.pdf
grep -q '^sender=stock-agency$' open.out || fail "sender"
# baton pack continues the sequence the recipe advanced.
"$BATON" pack -k stock.key -r "$(age-keygen -y stockfirm.key)" --sender stock-agency --recipient-name stockfirm -c case.json -o after-stock.baton |
    grep -q '^sequence=2$' || fail "baton pack did not continue after the recipe's seq=1"
# An identity file not named NAME.agekey gives no recipient name by default.
expect_exit 2 "$BATON" verify -i stockfirm.key -p stock.pub --no-ledger s/case.baton
grep -q 'recipient-name' "$W/stderr" || fail "no hint at --recipient-name: $(cat "$W/stderr")"
# The same bag in GNU tar's name order puts 9.5 MB of payload before the
# signature: refused, naming the entry and the limit.
(cd s && tar --format=posix --sort=name -cf - bag) | age -r "$(age-keygen -y stockfirm.key)" >stock-sorted.baton
expect_exit 13 "$BATON" verify -i stockfirm.key --recipient-name stockfirm -p stock.pub --no-ledger stock-sorted.baton
grep -q 'invoice.pdf (9500000 bytes) comes before the signed tag files' "$W/stderr" ||
    fail "unsigned payload message: $(cat "$W/stderr")"
# Without the large document, other orders and formats open.
rm s/bag/data/documents/invoice.pdf
(cd s/bag && printf 'External-Identifier: NW-2026-0042\nPayload-Oxum: %s.2\nSource-Organization: stock-agency\n' \
    "$(find data -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')" >bag-info.txt &&
    find data -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum >manifest-sha256.txt &&
    sha256sum bag-info.txt bagit.txt manifest-sha256.txt >tagmanifest-sha256.txt &&
    minisign -S -s ../../stock.key -m tagmanifest-sha256.txt -t "baton-handoff/1 case=NW-2026-0042 sender=stock-agency recipient=stockfirm seq=9 created=$(date -u +%FT%TZ) expires=$(date -u -d '+30 days' +%FT%TZ)" >/dev/null)
for fmt in posix gnu; do
    (cd s && tar --format=$fmt -cf - bag) | age -r "$(age-keygen -y stockfirm.key)" >stock-$fmt.baton
    "$BATON" verify -i stockfirm.key --recipient-name stockfirm -p stock.pub --no-ledger stock-$fmt.baton >/dev/null ||
        fail "baton verify refused the small $fmt-format stock package"
done

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
