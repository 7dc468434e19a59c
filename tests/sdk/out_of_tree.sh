#!/usr/bin/env bash
# The integrator's path, end to end, against the *installed* SDK, from
# outside the source tree (issue 12, "How it is shown"):
#   1. cmake --install the build into a temporary prefix, then move the
#      prefix elsewhere: what is installed must run where it lands;
#   2. the install itself: RPATH relative to the binary, libbaton's SONAME,
#      baton-sdk.pc and the CMake package all carry the SDK version of
#      baton/plugin.h; `env -i baton --version` runs with no environment;
#      find_package(baton-sdk MAJOR.0 / MAJOR.MINOR) succeed, MAJOR+1.0
#      and MAJOR.MINOR+1 fail;
#      and a plugin binary built against SDK 1.0 (tests/sdk/abi-1.0) passes
#      the installed host's check in process and isolated (the isolated
#      run finds the install's own worker relative to the moved baton);
#   3. docs/writing-a-plugin.md followed verbatim: its shell blocks marked
#      "<!-- test: run -->" are extracted and run, in order, in an empty
#      folder, with nothing but PATH=/usr/bin:/bin and BATON_SDK_PREFIX
#      (scaffold, CMake find_package build, pkg-config build, plugin check,
#      --expect on the golden cases, offline evaluate, ci.sh);
#   4. the reference plugin installed under share/baton builds with CMake
#      and passes the golden cases installed for it;
#   5. deliberately broken variants of the scaffold fail the check, each
#      for its own reason: a negative fee, a crash, an answer that changes
#      between two calls, an SDK minor newer than the host's, a changed
#      golden answer (with --update then refreshing it), and (in sanitizer
#      builds) a leak.
#
# In a sanitizer build (SANITIZE=ON) steps 3 and 4 are left out: they run
# the whole conformance corpus several times (minutes under ASan) and
# prove nothing a normal build does not; there the scaffold for step 5 is
# made directly, and step 5 adds the leak.
#
# usage: out_of_tree.sh BUILD_DIR SOURCE_DIR SANITIZE(ON|OFF)
set -euo pipefail

build=$1 src=$2 sanitize=${3:-OFF}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
clean_env=(env -i PATH=/usr/bin:/bin HOME="$work")

# ---- 1. install, then move the prefix ----
cmake --install "$build" --prefix "$work/first-prefix" > "$work/install.log"
mv "$work/first-prefix" "$work/prefix"
prefix=$work/prefix

# ---- 2. the install ----
major=$(sed -n 's/^#define BATON_SDK_MAJOR \([0-9]*\).*/\1/p' "$src/sdk/include/baton/plugin.h")
minor=$(sed -n 's/^#define BATON_SDK_MINOR \([0-9]*\).*/\1/p' "$src/sdk/include/baton/plugin.h")
sdk="$major.$minor"
fail() { echo "FAIL: $*"; exit 1; }

[ -f "$prefix/include/baton/plugin.h" ] || fail "SDK headers not installed"
for f in bin/baton bin/batond libexec/baton/baton-worker; do
  runpath=$(readelf -d "$prefix/$f" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
  case "$runpath" in
    '$ORIGIN/'*) ;;
    *) fail "$f: RUNPATH is '$runpath', not relative to the binary (\$ORIGIN/...)" ;;
  esac
done
soname=$(readelf -d "$prefix/lib/libbaton.so.$major" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libbaton.so.$major" ] || fail "libbaton's SONAME is '$soname', not libbaton.so.$major"
[ -f "$prefix/lib/libbaton.so.$sdk" ] || fail "no lib/libbaton.so.$sdk (the file version is the SDK's)"
pcver=$("${clean_env[@]}" PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --modversion baton-sdk)
[ "$pcver" = "$sdk" ] || fail "baton-sdk.pc says $pcver, baton/plugin.h says $sdk"
version=$("${clean_env[@]}" "$prefix/bin/baton" --version) || fail "the installed baton does not start with an empty environment"
case "$version" in
  *"(SDK $sdk)") ;;
  *) fail "baton --version says '$version', not SDK $sdk" ;;
esac
"${clean_env[@]}" "$prefix/bin/batond" --version | grep -q "SDK $sdk" || fail "batond --version"
for f in share/doc/baton/writing-a-plugin.md share/doc/baton/case-format.md \
         share/doc/baton/sdk-install.md share/baton/case.schema.json \
         share/baton/examples/gb-ew-b2b-invoice.json share/baton/cases/gb-ew-b2b-ready.json \
         share/baton/reference-plugin/northwind/CMakeLists.txt \
         share/baton/golden/northwind lib/baton/plugins/gb-ew.so; do
  [ -e "$prefix/$f" ] || fail "$f is not installed"
done
echo "ok: installed SDK $sdk (libbaton.so.$major), runs from a moved prefix with no environment"

find_sdk() { # VERSION -> cmake's exit status
  local dir=$work/find-$1
  mkdir -p "$dir"
  printf 'cmake_minimum_required(VERSION 3.18)\nproject(probe C)\nfind_package(baton-sdk %s REQUIRED)\n' "$1" \
    > "$dir/CMakeLists.txt"
  "${clean_env[@]}" cmake -S "$dir" -B "$dir/build" -DCMAKE_PREFIX_PATH="$prefix" > "$dir/log" 2>&1
}
find_sdk "$major.0" || { cat "$work/find-$major.0/log"; fail "find_package(baton-sdk $major.0)"; }
find_sdk "$sdk" || { cat "$work/find-$sdk/log"; fail "find_package(baton-sdk $sdk)"; }
! find_sdk "$((major + 1)).0" || fail "find_package(baton-sdk $((major + 1)).0) accepted SDK $sdk"
! find_sdk "$major.$((minor + 1))" || fail "find_package(baton-sdk $major.$((minor + 1))) accepted SDK $sdk"
echo "ok: find_package(baton-sdk) takes $major.0 and $sdk, refuses $((major + 1)).0 and $major.$((minor + 1))"

if [ "$sanitize" != ON ]; then
# ---- 2b. a plugin built against SDK 1.0 (tests/sdk/abi-1.0) in the
# installed host, in process and isolated: the isolated run needs the
# install's own baton-worker, found relative to the moved baton ----
if [ "$(uname -m)" = x86_64 ]; then
  abi10=$src/tests/sdk/abi-1.0/abi10_plugin.x86_64.so
  mkdir "$work/one-case"
  cp "$src/docs/examples/gb-ew-b2b-invoice.json" "$work/one-case/"
  for mode in "" --isolated; do
    "${clean_env[@]}" "$prefix/bin/baton" plugin check "$abi10" $mode --cases "$work/one-case" \
      --no-default-cases > "$work/abi10.log" 2>&1 || { cat "$work/abi10.log"; fail "the SDK 1.0 plugin in the installed host ${mode:-in process}"; }
    grep -q "built against SDK 1.0; host SDK $sdk" "$work/abi10.log" || { cat "$work/abi10.log"; fail "abi10: versions"; }
  done
  "${clean_env[@]}" "$prefix/bin/baton" evaluate -c "$work/one-case/gb-ew-b2b-invoice.json" \
    --plugin "$abi10" > "$work/abi10.json" || fail "baton evaluate with the SDK 1.0 plugin"
  python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["plugins"][0]; sys.exit(p["sdk"] != "1.0")' \
    "$work/abi10.json" || fail "the answer does not name the plugin's SDK 1.0"
  echo "ok: a plugin built against SDK 1.0 passes the installed host's check, in process and isolated"
fi

# ---- 2c. the installed mock host (baton/mockhost.h), linked by an
# integrator's unit test through find_package(baton::mockhost) and through
# pkg-config's baton-mockhost: a case read, a finding written, a refusal
# with its reason ----
mh=$work/mockhost
mkdir -p "$mh"
cat > "$mh/t.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "baton/mockhost.h"
int main(int argc, char **argv)
{
    char err[256], text[65536];
    FILE *f = fopen(argv[1], "rb");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[n] = '\0';
    baton_mockhost *mh = baton_mockhost_new();
    const baton_host_api *api = baton_mockhost_api(mh);
    const char *j = NULL;
    if (argc != 2 || baton_mockhost_set_case(mh, text, "2025-11-03", err, sizeof err) != 0 ||
        api->view_string(baton_mockhost_case(mh), "jurisdiction", &j) != 0 || strcmp(j, "gb-ew") != 0)
        return 1;
    if (api->result_finding(baton_mockhost_result(mh), "filing", "letter_sent", BATON_FINDING_MET,
                            "A letter was sent.", NULL) != 0)
        return 2;
    if (api->result_finding(baton_mockhost_result(mh), "filing", "Final demand", BATON_FINDING_MET,
                            "x", NULL) == 0 || strstr(baton_mockhost_last_error(), "Final demand") == NULL)
        return 3;
    char *json = baton_mockhost_result_json(mh);
    int ok = json != NULL && strstr(json, "\"letter_sent\"") != NULL;
    free(json);
    baton_mockhost_free(mh);
    return ok ? 0 : 4;
}
C
printf 'cmake_minimum_required(VERSION 3.18)\nproject(t C)\nfind_package(baton-sdk %s REQUIRED)\nadd_executable(t t.c)\ntarget_link_libraries(t PRIVATE baton::mockhost)\n' "$sdk" \
  > "$mh/CMakeLists.txt"
"${clean_env[@]}" cmake -S "$mh" -B "$mh/build" -DCMAKE_PREFIX_PATH="$prefix" > "$mh/log" 2>&1 &&
  "${clean_env[@]}" cmake --build "$mh/build" >> "$mh/log" 2>&1 || { cat "$mh/log"; fail "a unit test linking baton::mockhost"; }
"${clean_env[@]}" "$mh/build/t" "$prefix/share/baton/examples/gb-ew-b2b-invoice.json" || fail "the mock host test (find_package) exited $?"
mh_flags=$("${clean_env[@]}" PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs baton-mockhost) || fail "pkg-config baton-mockhost"
cc -o "$mh/t-pc" "$mh/t.c" $mh_flags -Wl,-rpath,"$prefix/lib" || fail "a unit test built with pkg-config baton-mockhost"
"${clean_env[@]}" "$mh/t-pc" "$prefix/share/baton/examples/gb-ew-b2b-invoice.json" || fail "the mock host test (pkg-config) exited $?"
echo "ok: the installed mock host links through find_package and pkg-config; a case, a finding and a refusal's reason"

# ---- 3. docs/writing-a-plugin.md, verbatim ----
awk '/^<!-- test: run -->$/ { want = 1; next }
     want && /^```sh$/ { inblock = 1; want = 0; next }
     inblock && /^```$/ { inblock = 0; print ""; next }
     inblock { print }
     { want = want && /^$/ }' "$src/docs/writing-a-plugin.md" > "$work/doc.sh"
blocks=$(grep -c '^<!-- test: run -->$' "$src/docs/writing-a-plugin.md")
[ "$blocks" -ge 8 ] || fail "docs/writing-a-plugin.md has $blocks marked blocks, expected at least 8"
mkdir "$work/doc"
if ! (cd "$work/doc" && "${clean_env[@]}" BATON_SDK_PREFIX="$prefix" bash -e -x "$work/doc.sh" \
        > "$work/doc.log" 2>&1); then
  tail -n 60 "$work/doc.log"
  fail "the commands of docs/writing-a-plugin.md failed (script: its $blocks marked blocks)"
fi
grep -q '^ci: ie passed' "$work/doc.log" || fail "ci.sh did not report success"
grep -q '^golden: golden: 2 case(s), 2 matched, 0 failed' "$work/doc.log" || fail "no golden summary"
echo "ok: docs/writing-a-plugin.md's $blocks marked blocks ran as written against the install"

# ---- 4. the installed reference plugin and its golden cases ----
ref=$work/northwind
cp -r "$prefix/share/baton/reference-plugin/northwind" "$ref"
"${clean_env[@]}" cmake -S "$ref" -B "$ref/build" -DCMAKE_PREFIX_PATH="$prefix" > "$ref.log" 2>&1 &&
  "${clean_env[@]}" cmake --build "$ref/build" >> "$ref.log" 2>&1 || { cat "$ref.log"; fail "reference plugin build"; }
docs=$prefix/share/doc/baton/plugins
"${clean_env[@]}" "$prefix/bin/baton" plugin check "$ref/build/northwind.so" \
  --config "$docs/northwind.config.json" --with "gb-ew:$docs/gb-ew.config.json" \
  --expect "$prefix/share/baton/golden/northwind" > "$ref.check" 2>&1 || { cat "$ref.check"; fail "reference plugin golden cases"; }
echo "ok: the installed reference plugin builds and passes $(grep -o '[0-9]* case(s)' "$ref.check") installed golden cases"
else
  mkdir "$work/doc"
  (cd "$work/doc" && "${clean_env[@]}" "$prefix/bin/baton" plugin new ie > /dev/null)
fi

# ---- 5. broken variants ----
plugin=$work/doc/ie
baton=("${clean_env[@]}" "$prefix/bin/baton")
sdk_flags=$("${clean_env[@]}" PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs baton-sdk)
case "$sdk_flags" in
  *"$prefix"*) ;;
  *) fail "pkg-config did not point into the prefix: $sdk_flags" ;;
esac
cd "$work"
build_plugin() { # OUT.so SRC.c
  cc -shared -o "$1" "$2" $sdk_flags
}

check() { # PLUGIN.so [ARGS] -> exit status; output in check.log
  local so=$1
  shift
  set +e
  "${baton[@]}" plugin check "./$so" --timeout 10 "$@" > "$work/check.log" 2>&1
  local rc=$?
  set -e
  return $rc
}

fails=0
# expect_fail NAME PATTERN [ARGS]: the check must fail and say PATTERN.
expect_fail() {
  local name=$1 pattern=$2
  shift 2
  if [ $# -eq 0 ]; then
    set -- --cases "$plugin/examples" --no-default-cases
  fi
  if check "$name.so" "$@"; then
    echo "NOT CAUGHT: $name passed the check"
    cat check.log
    fails=$((fails + 1))
  elif ! grep -q -- "$pattern" check.log; then
    echo "WRONG REASON: $name failed, but without '$pattern':"
    cat check.log
    fails=$((fails + 1))
  else
    echo "ok: $name fails the check: $(grep -m1 -- "$pattern" check.log | cut -c1-110)"
  fi
}

# A negative fee.
sed 's|fee.minor = baton_percent_bp_half_up(principal.minor, st->fee_bp);|fee.minor = -baton_percent_bp_half_up(principal.minor, st->fee_bp) - 1;|' \
  "$plugin/ie.c" > negfee.c
grep -q 'fee.minor = -baton' negfee.c
build_plugin negfee.so negfee.c
expect_fail negfee "negative court_fee"

# A crash in the letter.
sed 's|    if (strcmp(kind, "reminder") != 0)|    if (kind != NULL) { volatile int *p = NULL; *p = 1; }\n    if (strcmp(kind, "reminder") != 0)|' \
  "$plugin/ie.c" > crash.c
grep -q 'volatile int \*p' crash.c
build_plugin crash.so crash.c
# (a plain build reports the signal, an ASan build the sanitizer's finding)
expect_fail crash "letter reminder .*crashed: \(killed by SIGSEGV\|AddressSanitizer: SEGV\)"

# Hidden mutable state: the second call answers differently.
sed 's|    return api->result_int(out, "claim.days_overdue", baton_date_diff(due, as_of));|    static int calls;\n    return api->result_int(out, "claim.days_overdue", baton_date_diff(due, as_of) + calls++);|' \
  "$plugin/ie.c" > state.c
grep -q 'static int calls' state.c
build_plugin state.so state.c
expect_fail state "not deterministic"

# Built against a newer SDK minor than the host offers: refused at load.
sed 's|    BATON_PLUGIN_HEADER,|    .magic = BATON_PLUGIN_MAGIC, .sdk_major = BATON_SDK_MAJOR, .sdk_minor = BATON_SDK_MINOR + 1, .struct_size = sizeof(baton_plugin),|' \
  "$plugin/ie.c" > newer.c
grep -q 'BATON_SDK_MINOR + 1' newer.c
build_plugin newer.so newer.c
expect_fail newer "load"

# A changed answer: 6 % instead of 5 %. The golden cases name each figure
# that moved; --update then writes the new answers, and they match.
sed 's|    st->fee_bp = 500; /\* 5 % unless configured \*/|    st->fee_bp = 600;|' "$plugin/ie.c" > sixpct.c
grep -q 'fee_bp = 600' sixpct.c
build_plugin sixpct.so sixpct.c
cp -r "$plugin/golden" golden6
expect_fail sixpct 'costs\[0\].amount.amount: expected "62.50", got "75.00"' --expect golden6
grep -q 'totals.EUR.court_fee.minor: expected 6250, got 7500' check.log || { cat check.log; fail "the golden diff does not name the totals"; }
grep -q '^golden: golden6: 2 case(s), 0 matched, 2 failed' check.log || { cat check.log; fail "no golden summary line"; }
check sixpct.so --expect golden6 --update || { cat check.log; fail "--update"; }
check sixpct.so --expect golden6 || { cat check.log; fail "the golden cases --update wrote do not match"; }
grep -q '"minor":	7500' golden6/overdue-invoice/expected.json || fail "--update did not write the new fee"
echo "ok: --update rewrote the golden answers, which then match"

if [ "$sanitize" = ON ]; then
  # A leak in every evaluation: LeakSanitizer in the call's process.
  sed 's|    size_t n = 0, agreements = 0;|    size_t n = 0, agreements = 0;\n    void *volatile lost = malloc(64);\n    lost = NULL;|' \
    "$plugin/ie.c" > leak.c
  grep -q 'lost = malloc' leak.c
  build_plugin leak.so leak.c
  expect_fail leak "LeakSanitizer"
fi

[ "$fails" -eq 0 ] || exit 1
echo "ok: every broken plugin was caught"
