#!/usr/bin/env bash
# The integrator's path, end to end, against the *installed* SDK:
#   1. cmake --install the build into a temporary prefix;
#   2. `baton plugin new` a plugin project and build it out of tree with
#      only: cc -shared $(pkg-config --cflags --libs baton-sdk)
#      (PKG_CONFIG_PATH pointing into the prefix, nothing from the source
#      tree on the include path);
#   3. `baton plugin check` passes it;
#   4. deliberately broken variants of it fail the check, each for its own
#      reason: a negative fee, a crash, an answer that changes between two
#      calls, an SDK minor newer than the host's, and (in sanitizer builds)
#      a leak.
#
# usage: out_of_tree.sh BUILD_DIR BATON SANITIZE(ON|OFF)
set -euo pipefail

build=$1 baton=$2 sanitize=${3:-OFF}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" > "$work/install.log"
pc=$(find "$prefix" -name baton-sdk.pc | head -n 1)
[ -n "$pc" ] || { echo "no baton-sdk.pc installed"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc")
[ -f "$prefix/include/baton/plugin.h" ] || { echo "SDK headers not installed"; exit 1; }
echo "installed SDK: $(pkg-config --modversion baton-sdk) at $prefix"

cd "$work"
"$baton" plugin new acme-courts -o acme > /dev/null
for f in acme/acme-courts.c acme/Makefile acme/README.md acme/examples/case.json; do
  [ -s "$f" ] || { echo "scaffold is missing $f"; exit 1; }
done
grep -q 'pkg-config --cflags --libs baton-sdk' acme/Makefile

sdk_flags=$(pkg-config --cflags --libs baton-sdk)
case "$sdk_flags" in
  *"$prefix"*) ;;
  *) echo "pkg-config did not point into the prefix: $sdk_flags"; exit 1 ;;
esac

build_plugin() { # OUT.so SRC.c
  cc -shared -o "$1" "$2" $sdk_flags
}

build_plugin acme-courts.so acme/acme-courts.c
echo "built acme-courts.so out of tree"

check() { # PLUGIN.so -> exit status; output in check.log
  set +e
  "$baton" plugin check "./$1" --cases acme/examples --no-default-cases --timeout 10 \
    > "$work/check.log" 2>&1
  local rc=$?
  set -e
  return $rc
}

if ! check acme-courts.so; then
  echo "baton plugin check failed a freshly scaffolded plugin:"
  cat check.log
  exit 1
fi
grep -q '^PASS' check.log
echo "ok: the scaffolded plugin passes"

fails=0
# expect_fail NAME PATTERN: the check must fail and say PATTERN.
expect_fail() {
  if check "$1.so"; then
    echo "NOT CAUGHT: $1 passed the check"
    cat check.log
    fails=$((fails + 1))
  elif ! grep -q -- "$2" check.log; then
    echo "WRONG REASON: $1 failed, but without '$2':"
    cat check.log
    fails=$((fails + 1))
  else
    echo "ok: $1 fails the check: $(grep -m1 -- "$2" check.log | cut -c1-110)"
  fi
}

# A negative fee.
sed 's|fee.minor = (principal.minor \* st->fee_bp + 5000) / 10000;|fee.minor = -((principal.minor * st->fee_bp + 5000) / 10000) - 1;|' \
  acme/acme-courts.c > negfee.c
grep -q 'fee.minor = -(' negfee.c
build_plugin negfee.so negfee.c
expect_fail negfee "negative court_fee"

# A crash in the letter.
sed 's|    if (strcmp(kind, "reminder") != 0)|    if (kind != NULL) { volatile int *p = NULL; *p = 1; }\n    if (strcmp(kind, "reminder") != 0)|' \
  acme/acme-courts.c > crash.c
grep -q 'volatile int \*p' crash.c
build_plugin crash.so crash.c
# (a plain build reports the signal, an ASan build the sanitizer's finding)
expect_fail crash "letter reminder .*crashed: \(killed by SIGSEGV\|AddressSanitizer: SEGV\)"

# Hidden mutable state: the second call answers differently.
sed 's|    return api->result_int(out, "claim.days_overdue", baton_date_diff(due, as_of));|    static int calls;\n    return api->result_int(out, "claim.days_overdue", baton_date_diff(due, as_of) + calls++);|' \
  acme/acme-courts.c > state.c
grep -q 'static int calls' state.c
build_plugin state.so state.c
expect_fail state "not deterministic"

# Built against a newer SDK minor than the host offers: refused at load.
sed 's|    BATON_PLUGIN_HEADER,|    .magic = BATON_PLUGIN_MAGIC, .sdk_major = BATON_SDK_MAJOR, .sdk_minor = BATON_SDK_MINOR + 1, .struct_size = sizeof(baton_plugin),|' \
  acme/acme-courts.c > newer.c
grep -q 'BATON_SDK_MINOR + 1' newer.c
build_plugin newer.so newer.c
expect_fail newer "load"

if [ "$sanitize" = ON ]; then
  # A leak in every evaluation: LeakSanitizer in the call's process.
  sed 's|    size_t n = 0, agreements = 0;|    size_t n = 0, agreements = 0;\n    void *volatile lost = malloc(64);\n    lost = NULL;|' \
    acme/acme-courts.c > leak.c
  grep -q 'lost = malloc' leak.c
  build_plugin leak.so leak.c
  expect_fail leak "LeakSanitizer"
fi

[ "$fails" -eq 0 ] || exit 1
echo "ok: every broken plugin was caught"
