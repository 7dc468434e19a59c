#!/usr/bin/env bash
# Interop of libbaton's minisign module with Debian's minisign binary, both
# directions: keys, signatures, encrypted secret keys, and tampering.
# Usage: minisign_interop.sh PATH/TO/crypto_driver
set -euo pipefail
D="$1"
command -v minisign >/dev/null || { echo "minisign binary missing (tools/setup-deps)"; exit 1; }
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
cd "$T"
pass=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
die() { echo "FAIL - $*"; exit 1; }

head -c 5000000 /dev/urandom >big
printf 'case file\n' >small
: >empty

# 1. minisign keys and signatures verified by libbaton.
minisign -G -W -p ms.pub -s ms.key -f >/dev/null
for f in small big empty; do
  minisign -S -s ms.key -m "$f" -t "minisign trusted $f" >/dev/null
  tc="$("$D" ms-verify ms.pub "$f" "$f.minisig")" || die "libbaton rejects minisign signature of $f"
  [ "$tc" = "minisign trusted $f" ] || die "trusted comment read back as '$tc'"
done
ok "libbaton verifies minisign signatures (empty, small, 5 MB)"
pkb64="$(tail -n 1 ms.pub)"
"$D" ms-verify-b64 "$pkb64" small small.minisig >/dev/null || die "bare base64 public key"
ok "libbaton verifies with the bare base64 public key"

# 2. libbaton keys and signatures verified by minisign (-H: prehashed only).
"$D" ms-keygen bt.key bt.pub
for f in small big empty; do
  "$D" ms-sign bt.key "$f" "$f.bt.minisig" "baton trusted $f"
  minisign -V -H -p bt.pub -m "$f" -x "$f.bt.minisig" -q || die "minisign rejects libbaton signature of $f"
  out="$(minisign -V -H -p bt.pub -m "$f" -x "$f.bt.minisig" -Q)"
  [ "$out" = "baton trusted $f" ] || die "minisign reads trusted comment as '$out'"
done
ok "minisign -V -H verifies libbaton signatures (empty, small, 5 MB)"
minisign -V -H -P "$(tail -n 1 bt.pub)" -m small -x small.bt.minisig -q || die "minisign -P with libbaton key"
ok "minisign -P accepts libbaton's bare public key"
minisign -R -s bt.key -p r.pub >/dev/null 2>&1 || die "minisign -R cannot read libbaton's secret key"
cmp -s bt.pub r.pub || die "libbaton public key file differs from what minisign -R derives"
ok "libbaton's unencrypted secret key is read by minisign (-R recreates the same public key file)"

# 3. minisign signs with a libbaton-made unencrypted key; libbaton verifies.
minisign -S -s bt.key -m small -x small.ms-bt.minisig -t "signed by minisign" >/dev/null
"$D" ms-verify bt.pub small small.ms-bt.minisig >/dev/null || die "verify minisign signature made with libbaton key"
ok "minisign signs with a libbaton key; libbaton verifies"

# 4. Encrypted secret keys: libbaton -> minisign (password on stdin), and back.
BATON_TEST_PASSWORD="correct horse" BATON_TEST_OPSLIMIT=1048576 BATON_TEST_MEMLIMIT=33554432 \
  "$D" ms-keygen enc.key enc.pub
echo "correct horse" | minisign -S -s enc.key -m small -x small.enc.minisig -t "enc" >/dev/null 2>&1 \
  || die "minisign cannot open libbaton's encrypted secret key"
"$D" ms-verify enc.pub small small.enc.minisig >/dev/null || die "verify after encrypted key"
if echo "wrong" | minisign -S -s enc.key -m small -x bad.minisig >/dev/null 2>&1; then
  die "minisign accepted a wrong password for libbaton's key"
fi
ok "minisign opens libbaton's scrypt-encrypted secret key (and refuses a wrong password)"
printf 'pw-ms\npw-ms\n' | minisign -G -p msenc.pub -s msenc.key -f >/dev/null 2>&1
BATON_TEST_PASSWORD=pw-ms "$D" ms-sign msenc.key small small.msenc.minisig "from encrypted"
minisign -V -H -p msenc.pub -m small -x small.msenc.minisig -q || die "signature with minisign's encrypted key"
ok "libbaton opens minisign's encrypted secret key (default scrypt cost, 1 GiB)"
# (A wrong password is refused in unit_minisign; repeating a 1 GiB scrypt
# derivation here would only slow the suite down.)

# 5. Tampering: content, trusted comment, signature line, key id, algorithm.
cp small tampered && printf 'x' >>tampered
if "$D" ms-verify bt.pub tampered small.bt.minisig 2>/dev/null; then die "tampered content accepted"; fi
sed '3s/.*/trusted comment: baton trusted small but changed/' small.bt.minisig >tc.minisig
if "$D" ms-verify bt.pub small tc.minisig 2>/dev/null; then die "tampered trusted comment accepted"; fi
if minisign -V -p bt.pub -m small -x tc.minisig -q 2>/dev/null; then die "minisign accepted tampered comment (test bug)"; fi
if "$D" ms-verify ms.pub small small.bt.minisig 2>/dev/null; then die "wrong key accepted"; fi
minisign -S -l -s ms.key -m small -x legacy.minisig >/dev/null 2>&1
if "$D" ms-verify ms.pub small legacy.minisig 2>/dev/null; then die "legacy Ed signature accepted"; fi
ok "tampered content, trusted comment, wrong key and legacy (non-prehashed) signatures are refused"

echo "minisign interop: $pass groups passed"
