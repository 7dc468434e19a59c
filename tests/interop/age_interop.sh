#!/usr/bin/env bash
# Interop of libbaton's age module with Debian's age 1.1.1, both directions:
# identities from either side, one and several recipients, payload sizes
# around the 64 KiB chunk boundary, and tampering.
# Usage: age_interop.sh PATH/TO/crypto_driver
set -euo pipefail
D="$1"
command -v age >/dev/null || { echo "age binary missing (tools/setup-deps)"; exit 1; }
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
cd "$T"
pass=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
die() { echo "FAIL - $*"; exit 1; }

sizes="0 1 65535 65536 65537 131072 5000000"
for s in $sizes; do head -c "$s" /dev/urandom >"p$s"; done

# Identities: libbaton-made (bt) and age-keygen-made (ak).
"$D" age-keygen bt.id
age-keygen -o ak.id 2>/dev/null
age-keygen -o ak2.id 2>/dev/null
bt_r="$("$D" age-recipient bt.id)"
[ "$bt_r" = "$(age-keygen -y bt.id)" ] || die "age-keygen -y derives another recipient from libbaton's identity"
ak_r="$(age-keygen -y ak.id)"
ak2_r="$(age-keygen -y ak2.id)"
[ "$ak_r" = "$("$D" age-recipient ak.id)" ] || die "libbaton derives another recipient from age-keygen's identity"
head -n 2 bt.id | grep -Eq '^# created: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})$' \
  || die "identity file: created line"
[ "$(sed -n 2p bt.id)" = "# public key: $bt_r" ] || die "identity file: public key line"
ok "identities: both sides derive the same recipients; libbaton writes age-keygen's file format"

# libbaton encrypts, age decrypts.
for s in $sizes; do
  "$D" age-encrypt "bt$s.age" "p$s" "$bt_r"
  age -d -i bt.id "bt$s.age" >"out$s" || die "age cannot decrypt libbaton file of $s bytes"
  cmp -s "p$s" "out$s" || die "age decrypts libbaton file of $s bytes to other bytes"
done
ok "age -d decrypts libbaton files ($sizes bytes)"

# age encrypts, libbaton decrypts.
for s in $sizes; do
  age -r "$bt_r" -o "ag$s.age" "p$s"
  "$D" age-decrypt bt.id "ag$s.age" "dec$s" || die "libbaton cannot decrypt age file of $s bytes"
  cmp -s "p$s" "dec$s" || die "libbaton decrypts age file of $s bytes to other bytes"
  age -r "$ak_r" -o "agk$s.age" "p$s"
  "$D" age-decrypt ak.id "agk$s.age" "deck$s" || die "libbaton with age-keygen identity, $s bytes"
  cmp -s "p$s" "deck$s" || die "age-keygen identity decrypts to other bytes ($s)"
done
ok "libbaton decrypts age files ($sizes bytes) with its own and age-keygen identities"

# Several recipients, both directions.
age -r "$ak_r" -r "$bt_r" -r "$ak2_r" -o multi.age p65537
"$D" age-decrypt bt.id multi.age multi.out && cmp -s p65537 multi.out || die "age -r -r -r, libbaton decrypts"
"$D" age-encrypt bmulti.age p65537 "$ak_r" "$bt_r" "$ak2_r"
for id in ak.id bt.id ak2.id; do
  age -d -i "$id" bmulti.age >"bm.$id" && cmp -s p65537 "bm.$id" || die "libbaton multi-recipient, age -d -i $id"
done
ok "several recipients: age -r -r -r read by libbaton; libbaton's three-recipient file opened by each identity with age"

# Wrong identity, tampering, truncation and trailing data are refused and
# leave no output behind.
if "$D" age-decrypt ak2.id bt65537.age x.out 2>/dev/null; then die "wrong identity accepted"; fi
[ ! -e x.out ] || die "output left behind after a failure"
# The tamper flips the low bit of the byte at offset 70000 (XOR 0x01), so it
# changes that byte whatever its value; writing a fixed byte would change
# nothing one run in 256.
cp ag131072.age tamper.age
orig_byte="$(od -An -tu1 -j 70000 -N 1 ag131072.age | tr -d ' ')"
flipped_byte=$((orig_byte ^ 1))
printf "\\$(printf '%03o' "$flipped_byte")" | dd of=tamper.age bs=1 seek=70000 conv=notrunc status=none
[ "$(od -An -tu1 -j 70000 -N 1 tamper.age | tr -d ' ')" = "$flipped_byte" ] || die "tamper did not change byte 70000"
! cmp -s ag131072.age tamper.age || die "tampered file equals the original"
if "$D" age-decrypt bt.id tamper.age x.out 2>/dev/null; then die "tampered payload accepted"; fi
head -c -1 ag131072.age >trunc.age
if "$D" age-decrypt bt.id trunc.age x.out 2>/dev/null; then die "truncated payload accepted"; fi
# 65537 bytes = one full chunk + a 1-byte last chunk (17 bytes sealed):
# dropping the last chunk leaves a file that ends exactly at a chunk boundary.
head -c $(($(stat -c %s ag65537.age) - 17)) ag65537.age >cut.age
if "$D" age-decrypt bt.id cut.age x.out 2>/dev/null; then die "file cut at a chunk boundary accepted"; fi
cp ag65535.age trail.age && printf 'x' >>trail.age
if "$D" age-decrypt bt.id trail.age x.out 2>/dev/null; then die "trailing data accepted"; fi
sed '2s/X25519/x25519/' ag1.age >hdr.age
if "$D" age-decrypt bt.id hdr.age x.out 2>/dev/null; then die "altered header accepted"; fi
ok "wrong identity, tampered/truncated/cut payloads, trailing data and altered headers are refused"

echo "age interop: $pass groups passed"
