#!/bin/sh
# headers_standalone.sh INCLUDE_DIR - every public SDK header compiles on
# its own, with no compiler extension: as C99 with -pedantic -Werror and as
# C++11 with -pedantic -Werror, under gcc and clang (and, when clang can
# target it, 32-bit i686, where a compiler's __int128 does not exist).
# The target-minor switch: BATON_SDK_TARGET_MINOR=0 compiles, a minor newer
# than the headers' is an #error.
set -eu
inc=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0

try() { # what, compiler and flags...
    what=$1
    shift
    if ! "$@" >"$tmp/out" 2>&1; then
        echo "FAIL $what: $*"
        sed 's/^/    /' "$tmp/out" | head -20
        fails=$((fails + 1))
    fi
    n=$((n + 1))
}

compilers_c="cc"
compilers_cxx="c++"
command -v clang >/dev/null 2>&1 && compilers_c="$compilers_c clang"
command -v clang++ >/dev/null 2>&1 && compilers_cxx="$compilers_cxx clang++"
i686=""
if command -v clang >/dev/null 2>&1 &&
    printf '#include <stdint.h>\n#include <string.h>\n#include <stdio.h>\n' |
    clang --target=i686-linux-gnu -std=c99 -fsyntax-only -x c - >/dev/null 2>&1; then
    i686=yes
fi

# __extension__ would hide an extension from -pedantic: it is defined away.
noext=-D__extension__=
for h in "$inc"/baton/*.h; do
    name=baton/$(basename "$h")
    # Spelled out, where -pedantic cannot see (a macro nobody expands here).
    if grep -n '__int128\|__extension__\|__builtin_\|typeof' "$h" >"$tmp/out"; then
        echo "FAIL $name uses a compiler extension:"
        sed 's/^/    /' "$tmp/out"
        fails=$((fails + 1))
    fi
    printf '#include "%s"\nint baton_header_test_anchor;\n' "$name" >"$tmp/t.c"
    cp "$tmp/t.c" "$tmp/t.cpp"
    for c in $compilers_c; do
        try "$name as C99 ($c)" $c -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only \
            $noext -I"$inc" "$tmp/t.c"
    done
    for c in $compilers_cxx; do
        try "$name as C++11 ($c)" $c -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only \
            $noext -I"$inc" "$tmp/t.cpp"
    done
    if [ -n "$i686" ]; then
        try "$name as C99 for i686 (clang)" clang --target=i686-linux-gnu -std=c99 -pedantic \
            -Wall -Wextra -Werror -fsyntax-only -I"$inc" "$tmp/t.c"
    fi
done

printf '#include "baton/plugin.h"\nint baton_header_test_anchor = BATON_SDK_TARGET_MINOR;\n' >"$tmp/m.c"
try "BATON_SDK_TARGET_MINOR=0" cc -std=c99 -pedantic -Werror -fsyntax-only \
    -DBATON_SDK_TARGET_MINOR=0 -I"$inc" "$tmp/m.c"
if cc -std=c99 -fsyntax-only -DBATON_SDK_TARGET_MINOR=99 -I"$inc" "$tmp/m.c" >"$tmp/out" 2>&1 ||
    ! grep -q "BATON_SDK_TARGET_MINOR must lie between" "$tmp/out"; then
    echo "FAIL a target minor newer than the headers compiles (or says something else)"
    fails=$((fails + 1))
fi
n=$((n + 1))

echo "$n checks, $fails failed${i686:+ (i686 included)}"
[ "$fails" -eq 0 ]
