#!/usr/bin/env bash
# Names inside packages made with stock tools only (GNU tar, sha256sum,
# minisign, age; the recipe of docs/handoff-packages.md), checked by the
# real `baton verify`:
#  - every example of the name rule's refusals is an unsafe path (exit 10):
#    names equal up to normalization or compatibility folding (U+00C5 vs
#    U+212B, K vs U+212A), case twins outside Latin-1 (Greek, Cyrillic),
#    combining marks out of canonical order, U+00AD, U+061C, U+180E,
#    U+FFF9, a tag character, U+2028;
#  - NFC names with combining marks outside U+0300-036F open (exit 0);
#  - a manifest with RFC 8493 percent-encoding (%25) opens;
#  - a decomposed name that GNU tar writes into a pax header, for a file
#    the signed manifest names composed, is refused: libarchive reads pax
#    names composed, stock tar creates them as stored (sha256sum -c fails).
# usage: stock_names.sh path/to/baton
set -euo pipefail
BATON=$(realpath "$1")
CASES=$(realpath "$(dirname "$0")/../cases")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
fail() { echo "FAIL: $*" >&2; exit 1; }

minisign -G -W -p agency.pub -s agency.key >/dev/null
age-keygen -o firm.key 2>/dev/null
RCPT=$(age-keygen -y firm.key)
# A case the case format accepts (baton pack validates it), with this test's id.
jq -c '.case_id = "NW-2026-0042"' "$CASES/gb-ew-b2b-ready.json" >case.json
SEQ=0

# make_bag DIR NAME...: bag/data/case.json and one document per NAME
# (printf %b escapes, so names are given as bytes).
make_bag() {
    local d=$1
    shift
    rm -rf "$d"
    mkdir -p "$d/bag/data/documents"
    cp case.json "$d/bag/data/case.json"
    for n in "$@"; do
        printf 'document %s\n' "$n" >"$d/bag/data/documents/$(printf '%b' "$n")"
    done
}

# manifest DIR: the documented manifest line per payload file.
manifest() {
    (cd "$1/bag" && find data -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum >manifest-sha256.txt)
}

# seal DIR: bagit.txt, bag-info.txt, tagmanifest, signature, then tar | age
# into DIR.baton, as docs/handoff-packages.md assembles a package.
seal() {
    SEQ=$((SEQ + 1))
    (
        cd "$1/bag"
        printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >bagit.txt
        octets=$(find data -type f -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}')
        streams=$(find data -type f | wc -l)
        printf 'External-Identifier: NW-2026-0042\nPayload-Oxum: %s.%s\nSource-Organization: agency\n' \
            "$octets" "$streams" >bag-info.txt
        sha256sum bag-info.txt bagit.txt manifest-sha256.txt >tagmanifest-sha256.txt
        now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
        exp=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
        minisign -S -s ../../agency.key -m tagmanifest-sha256.txt \
            -t "baton-handoff/1 case=NW-2026-0042 sender=agency recipient=firm seq=$SEQ created=$now expires=$exp" >/dev/null
    )
    (cd "$1" && tar --format=posix --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - bag) |
        age -r "$RCPT" >"$1.baton"
}

# expect CODE WHAT NAME...: a stock package holding these names verifies
# with exit CODE.
expect() {
    local want=$1 what=$2
    shift 2
    make_bag p "$@"
    manifest p
    seal p
    set +e
    "$BATON" verify -i firm.key --recipient-name firm -p agency.pub --no-ledger p.baton >out 2>err
    local got=$?
    set -e
    [ "$got" = "$want" ] || { cat err >&2; fail "$what: exit $got, want $want"; }
}

expect 10 "A-ring U+00C5 and Angstrom sign U+212B" '\xc3\x85.txt' '\xe2\x84\xab.txt'
expect 10 "K and Kelvin sign U+212A" 'K.txt' '\xe2\x84\xaa.txt'
expect 10 "Greek case twins" '\xce\xa3.txt' '\xcf\x83.txt'
expect 10 "Cyrillic case twins" '\xd0\x94\xd0\xbe\xd0\xb3.txt' '\xd0\xb4\xd0\xbe\xd0\xb3.txt'
expect 10 "ligature fi and fi" '\xef\xac\x81le.txt' 'file.txt'
expect 10 "marks outside U+0300-036F out of canonical order" 'x\xd2\x83\xcc\xa3.txt'
expect 10 "soft hyphen U+00AD" 'Zins\xc2\xadsatz.txt'
expect 10 "Arabic letter mark U+061C" 'a\xd8\x9cb.txt'
expect 10 "Mongolian vowel separator U+180E" 'a\xe1\xa0\x8eb.txt'
expect 10 "interlinear annotation anchor U+FFF9" 'a\xef\xbf\xb9b.txt'
expect 10 "tag character U+E0041" 'a\xf3\xa0\x81\x81b.txt'
expect 10 "line separator U+2028" 'a\xe2\x80\xa8b.txt'
expect 10 "decomposed u-diaeresis (NFD)" 'Mu\xcc\x88ller.txt'
expect 0 "Cyrillic with titlo U+0483 (NFC)" '\xd0\xb1\xd2\x83.txt'
expect 0 "Devanagari vowel sign and virama (NFC)" \
    '\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xa6\xe0\xa5\x80.txt'

# RFC 8493 section 2.1.3: '%' in a manifest path is written %25.
make_bag p '5% Zinsen.pdf'
manifest p
sed -i 's|5% Zinsen|5%25 Zinsen|' p/bag/manifest-sha256.txt
seal p
"$BATON" verify -i firm.key --recipient-name firm -p agency.pub --no-ledger p.baton >/dev/null ||
    fail "a bag with a percent-encoded manifest path was refused"
sed -i 's|5%25 Zinsen|5%2 Zinsen|' p/bag/manifest-sha256.txt
seal p
set +e
"$BATON" verify -i firm.key --recipient-name firm -p agency.pub --no-ledger p.baton >/dev/null 2>&1
[ $? = 13 ] || fail "a bare '%' sequence in a manifest path was not malformed"
set -e

# The tar holds the name decomposed (GNU tar writes it into a pax 'path'
# record), the signed manifest names it composed.
make_bag p 'Mu\xcc\x88ller.txt'
manifest p
sed -i "s|$(printf 'Mu\xcc\x88ller')|$(printf 'M\xc3\xbcller')|" p/bag/manifest-sha256.txt
seal p
tar --format=posix -C p -cf - bag | strings | grep -q "path=bag/data/documents/Mu" ||
    fail "GNU tar did not write the name into a pax header"
if (cd p/bag && sha256sum --strict -c manifest-sha256.txt >/dev/null 2>&1); then
    fail "stock sha256sum accepted the decomposed name"
fi
set +e
"$BATON" verify -i firm.key --recipient-name firm -p agency.pub --no-ledger p.baton >/dev/null 2>err
got=$?
set -e
[ "$got" = 10 ] || { cat err >&2; fail "decomposed pax name: exit $got, want 10"; }

# ---- Documents keep the names people give them ----
# baton pack stores them as data/documents/0001.pdf ...; the signed
# documents.json carries the given names; the stock recipe verifies the
# package; baton open restores the names under DIR/documents/.
"$BATON" keygen -o sender >/dev/null
"$BATON" keygen -o lawfirm >/dev/null
mkdir given
long=$(printf 'x%.0s' $(seq 251)).pdf # 255 bytes
names=("5% Zinsen.pdf" "$(printf '\xc3\x9cberweisung M\xc3\xa4rz.pdf')"
    "$(printf '\xd0\xb4\xd0\xbe\xd0\xb3\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x80.pdf')"
    "$(printf '\xe5\x90\x88\xe5\x90\x8c.pdf')" "Rechnung.pdf" "RECHNUNG.pdf" "$long")
args=()
for n in "${names[@]}"; do
    printf 'content of %s\n' "$n" >"given/$n"
    args+=(-d "given/$n")
done
"$BATON" pack -k sender.key -r lawfirm.agepub -c case.json "${args[@]}" -o given.baton >/dev/null
mkdir stock2
age -d -i lawfirm.agekey given.baton | tar -x -C stock2
minisign -V -H -p sender.pub -m stock2/bag/tagmanifest-sha256.txt >/dev/null
(cd stock2/bag && sha256sum --strict -c manifest-sha256.txt && sha256sum --strict -c tagmanifest-sha256.txt) >/dev/null ||
    fail "the stock recipe does not verify a package with given names"
grep -q '  documents.json$' stock2/bag/tagmanifest-sha256.txt || fail "documents.json is not signed"
jq -r '.documents[].name' stock2/bag/documents.json >index-names
printf '%s\n' "${names[@]}" | cmp - index-names || fail "documents.json does not hold the names exactly"
mkdir opened2
"$BATON" open -i lawfirm.agekey -p sender.pub --no-ledger -C opened2/case given.baton >open2.out
for i in "${!names[@]}"; do
    n=${names[$i]}
    if [ "$n" = RECHNUNG.pdf ]; then
        [ ! -e "opened2/case/documents/$n" ] || fail "the case twin was restored too"
        cmp "opened2/case/bag/data/documents/0006.pdf" "given/$n"
    else
        cmp "opened2/case/documents/$n" "given/$n"
    fi
done
grep -q '^document=data/documents/0001.pdf name="5% Zinsen.pdf" restored="documents/5% Zinsen.pdf"$' open2.out ||
    fail "open does not show the mapping: $(cat open2.out)"
grep -q '^document=data/documents/0006.pdf name="RECHNUNG.pdf" restored=no reason=' open2.out ||
    fail "open does not report the name it could not restore"
echo "stock names: all checks passed"
