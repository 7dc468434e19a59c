#!/usr/bin/env bash
# Throughput of libbaton's age encryption/decryption versus the age binary
# on the same file (default 512 MiB), file to file, best of N runs each,
# alternating the two so machine load hits both alike. Not a ctest test.
# Usage: age_bench.sh PATH/TO/crypto_driver [SIZE_MIB] [RUNS]
set -euo pipefail
D="$1"
MIB="${2:-512}"
RUNS="${3:-3}"
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
head -c "$((MIB << 20))" /dev/urandom >"$T/in"
age-keygen -o "$T/id" 2>/dev/null
R="$(age-keygen -y "$T/id")"

# best wall time and best CPU time (user + sys) of a command over RUNS runs
best() {
  local bw=999999 bc=999999 w c
  for _ in $(seq "$RUNS"); do
    read -r w c < <(/usr/bin/time -f '%e %U %S' "$@" 2>&1 >/dev/null | tail -n 1 |
      awk '{ print $1, $2 + $3 }')
    if (($(echo "$w < $bw" | bc -l))); then bw=$w; fi
    if (($(echo "$c < $bc" | bc -l))); then bc=$c; fi
  done
  echo "$bw $bc"
}
rate() { echo "scale=0; $MIB / ($1 + 0.001)" | bc -l; }
report() { # label wall cpu
  printf '%-22s wall %5s MiB/s   per CPU-second %5s MiB/s\n' "$1" "$(rate "$2")" "$(rate "$3")"
}

read -r ea_w ea_c < <(best age -r "$R" -o "$T/a.age" "$T/in")
read -r eb_w eb_c < <(best "$D" age-encrypt "$T/b.age" "$T/in" "$R")
read -r da_w da_c < <(best age -d -i "$T/id" -o "$T/a.out" "$T/b.age")
read -r db_w db_c < <(best "$D" age-decrypt "$T/id" "$T/a.age" "$T/b.out")
cmp -s "$T/in" "$T/a.out" && cmp -s "$T/in" "$T/b.out" || { echo "round trip mismatch"; exit 1; }
echo "file to file, $MIB MiB, best of $RUNS (load average: $(cut -d' ' -f1 /proc/loadavg))"
report "age encrypt" "$ea_w" "$ea_c"
report "libbaton encrypt" "$eb_w" "$eb_c"
report "age decrypt" "$da_w" "$da_c"
report "libbaton decrypt" "$db_w" "$db_c"
