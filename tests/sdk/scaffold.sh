#!/usr/bin/env bash
# `baton plugin new`, per country: the name rule is the loader's (32
# characters scaffold, build and load; 33 are refused by both), the
# country comes from the jurisdiction code or --country and decides the
# example's currency (with its minor-unit digits) and address format, an
# unknown country needs --currency, an agency needs a jurisdiction plugin,
# and every scaffold passes its own golden cases as made.
#
# usage: scaffold.sh BATON SOURCE_DIR PLUGIN_DIR
set -euo pipefail

baton=$1 src=$2 plugins=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

build() { # DIR NAME: builds DIR/NAME.so against the source tree's headers
  cc -shared -fPIC -fvisibility=hidden -Wall -Wextra -Werror -I"$src/sdk/include" \
    -o "$1/$2.so" "$1/$2.c"
}
golden() { # DIR NAME [ARGS]: the scaffold's golden cases pass
  local d=$1 n=$2
  shift 2
  "$baton" plugin check "$d/$n.so" --expect "$d/golden" "$@" > "$d.check" 2>&1 ||
    { cat "$d.check"; fail "$n: its own golden cases fail"; }
  grep -q "^golden: $d/golden: 2 case(s), 2 matched, 0 failed" "$d.check" || { cat "$d.check"; fail "$n: summary"; }
}
refused() { # PATTERN ARGS...: plugin new exits 2 and says PATTERN
  local pattern=$1
  shift
  set +e
  "$baton" plugin new "$@" > out.log 2>&1
  local rc=$?
  set -e
  [ $rc -eq 2 ] || { cat out.log; fail "plugin new $* exited $rc, not 2"; }
  grep -q -- "$pattern" out.log || { cat out.log; fail "plugin new $*: no '$pattern'"; }
}
member() { # FILE PYTHON-EXPR EXPECTED
  local got
  got=$(python3 -c "import json,sys; c=json.load(open(sys.argv[1])); print($2)" "$1")
  [ "$got" = "$3" ] || fail "$1: $2 is '$got', not '$3'"
}

# The name rule: 32 characters pass the scaffold, the build and the loader.
name32=abcdefghij-abcdefghij-abcdefghij
"$baton" plugin new "$name32" --country ie -o n32 > /dev/null
build n32 "$name32"
golden n32 "$name32"
refused "a plugin name is 1 to 32 characters" "${name32}k" --country ie
refused "a plugin name is 1 to 32 characters" Acme --country ie
refused "a plugin name is 1 to 32 characters" acme- --country ie
echo "ok: 32 characters scaffold, build and load; 33, upper case and a trailing '-' are refused"

# The country from the jurisdiction code.
"$baton" plugin new ie > /dev/null
member ie/examples/case.json 'c["claim"]["principal"]["currency"]' EUR
member ie/examples/case.json 'c["debtor"]["address"]["postcode"]' "T12 X70A"
member ie/examples/case.json 'c["debtor"]["address"]["country"]' IE
member ie/examples/case.json 'c["jurisdiction"]' ie
"$baton" plugin new us-tx > /dev/null
member us-tx/examples/case.json 'c["claim"]["principal"]["currency"]' USD
member us-tx/examples/case.json 'c["creditor"]["address"]["region"]' CA
"$baton" plugin new jp > /dev/null
member jp/examples/case.json 'c["claim"]["principal"]["amount"]' 180000
member jp/golden/overdue-invoice/expected.json 'c["costs"][0]["amount"]["amount"]' 9000
"$baton" plugin new acme-courts --country se > /dev/null
member acme-courts/examples/case.json 'c["claim"]["principal"]["amount"]' 12500.00
member acme-courts/examples/case.json 'c["debtor"]["address"]["postcode"]' "411 01"
member acme-courts/golden/overdue-invoice/expected.json 'c["costs"][0]["amount"]["minor"]' 62500
# (5 % of 12,500.00 SEK; JPY has no minor unit: 5 % of 180,000 is 9,000)
"$baton" plugin new xk --country xk --currency EUR > /dev/null
member xk/examples/case.json 'c["debtor"]["address"]["country"]' XK
member xk/examples/case.json 'c["claim"]["principal"]["amount"]' 1250.00
for d in ie jp acme-courts; do
  build "$d" "$d"
  golden "$d" "$d"
done
grep -q 'baton_percent_bp_half_up(principal.minor, st->fee_bp)' ie/ie.c ||
  fail "the scaffold does not round with the SDK's named rule"
if grep -q '+ 5000) / 10000' ie/ie.c; then fail "the scaffold hand-rolls its rounding"; fi
echo "ok: ie (EUR, Eircode), us-tx (USD), jp (JPY, no minor unit), --country se (SEK), xk --currency EUR; ie, jp and the SEK one pass their golden cases"

# A golden case must fix its date.
grep -v '"as_of"' ie/golden/no-agreement/case.json > dateless.json
mv dateless.json ie/golden/no-agreement/case.json
if "$baton" plugin check ie/ie.so --expect ie/golden > ie.check 2>&1; then fail "a golden case without as_of passed"; fi
grep -q 'no-agreement/case.json: no "as_of"' ie.check || { cat ie.check; fail "no as_of: wrong reason"; }
echo "ok: a golden case without as_of is refused"

refused "cannot tell the country of 'acme-courts'" acme-courts
refused "does not know 'xk'" xk
refused "is not an ISO 4217 code" xk --country xk --currency ZZZ
refused "needs a jurisdiction plugin" acme-agency --agency --country ie
refused "--jurisdiction is for --agency" acme --country ie --jurisdiction de
echo "ok: no country, an unknown country without --currency, a bad currency, an agency without a jurisdiction plugin are refused"

# An agency in Germany: evaluated with Baton's de plugin.
"$baton" plugin new acme-agency --agency --country de -o agency > /dev/null
grep -q -- '--expect golden --with de' agency/ci.sh || fail "the agency's ci.sh does not add its jurisdiction plugin"
member agency/golden/overdue-invoice/case.json 'c["jurisdiction"]' de
build agency acme-agency
golden agency acme-agency --with "$plugins/de.so"
echo "ok: an agency scaffold passes its golden cases with the de plugin"
