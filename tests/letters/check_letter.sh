#!/usr/bin/env bash
# Renders one letter with `baton letter` as text, HTML and PDF and checks
# that every required element listed in an expectation file appears in the
# text and in the PDF's text layer as read back by poppler's pdftotext.
#
# usage: check_letter.sh BATON PLUGIN_DIR CASE KIND EXPECT [PLUGIN_SPEC]...
#
# Expectation file: one element per line, compared after collapsing all
# whitespace (line wraps differ between text and PDF) to single spaces.
# '#' lines are comments naming the rule an element comes from.
#   @first TEXT    the first line of the text rendering (the letterhead)
#   @pages>=N      the PDF has at least N pages (and says "Page 1 of")
#   anything else  a literal that must appear in text and PDF
set -euo pipefail

baton=$1 plugin_dir=$2 case=$3 kind=$4 expect=$5
shift 5
args=()
for p in "$@"; do args+=(--plugin "$p"); done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

for fmt in text html pdf; do
  "$baton" letter --plugin-dir "$plugin_dir" -c "$case" -k "$kind" -f "$fmt" \
    -o "$tmp/letter.$fmt" "${args[@]}"
done
pdftotext -enc UTF-8 "$tmp/letter.pdf" "$tmp/pdf.txt"
norm() { tr -s '[:space:]' ' ' < "$1"; }
norm "$tmp/letter.text" > "$tmp/text.norm"
norm "$tmp/pdf.txt" > "$tmp/pdf.norm"

# The PDF is a PDF, A4; the HTML is one self-contained UTF-8 page.
head -c 5 "$tmp/letter.pdf" | grep -q '^%PDF-' || { echo "not a PDF"; fail=1; }
pdfinfo "$tmp/letter.pdf" | grep -q 'Page size: *595.276 x 841.89 pts (A4)' ||
  { echo "PDF is not A4"; fail=1; }
grep -q '<meta charset="utf-8">' "$tmp/letter.html" || { echo "HTML: no charset"; fail=1; }
if grep -Eq '<script|src=|href=|@import' "$tmp/letter.html"; then
  echo "HTML loads or runs something"
  fail=1
fi

while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    ''|'#'*) continue ;;
    @first\ *)
      want=${line#@first }
      got=$(head -n 1 "$tmp/letter.text")
      if [ "$got" != "$want" ]; then
        echo "first line: expected '$want', got '$got'"
        fail=1
      fi
      ;;
    @pages\>=*)
      want=${line#@pages>=}
      pages=$(pdfinfo "$tmp/letter.pdf" | sed -n 's/^Pages: *//p')
      if [ "$pages" -lt "$want" ]; then
        echo "PDF has $pages page(s), expected at least $want"
        fail=1
      elif ! grep -q "Page 1 of $pages" "$tmp/pdf.norm"; then
        echo "PDF of $pages pages is not numbered 'Page 1 of $pages'"
        fail=1
      fi
      ;;
    *)
      el=$(printf '%s' "$line" | tr -s '[:space:]' ' ')
      grep -qF -- "$el" "$tmp/text.norm" || { echo "text: missing '$el'"; fail=1; }
      grep -qF -- "$el" "$tmp/pdf.norm" || { echo "pdf:  missing '$el'"; fail=1; }
      ;;
  esac
done < "$expect"

if [ "$fail" -ne 0 ]; then
  echo "--- text rendering:"
  cat "$tmp/letter.text"
  exit 1
fi
echo "ok: $(basename "$expect" .txt): every element in text and PDF"
