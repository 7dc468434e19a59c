/*
 * minisign_key.c - minisign key pairs, public key and secret key files.
 *
 * Owns: generation, the base64 public key and its file, the 158-byte secret
 * key blob (unencrypted or scrypt-encrypted) and its file. Signing and
 * verification are in minisign_sig.c.
 *
 * Layout and scrypt use follow minisign 0.11 (src/minisign.c, seckey_load and
 * encrypt_key); see baton/minisign.h for the field list.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "baton/error.h"
#include "minisign_internal.h"
#include "secfile.h"
#include "visibility.h"

#define SK_BLOB_BYTES 158
#define SK_B64_LEN    212 /* padded base64 of 158 bytes */
#define PK_BLOB_BYTES 42
#define KEYNUM_SK_OFF 54  /* "Ed" kdf "B2" salt(32) ops(8) mem(8) */
#define KEYNUM_SK_LEN 104 /* keynum(8) sk(64) checksum(32) */
#define MAX_OPSLIMIT  4294967296ULL
#define MAX_MEMLIMIT  4294967296ULL
#define SECFILE_MAX   4096

static const char sk_comment_default[] = "minisign encrypted secret key";
static const char comment_prefix[] = "untrusted comment: ";

static void put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* BLAKE2b-256("Ed" | keynum | sk), as minisign's seckey_compute_chk. */
static void compute_chk(const struct baton_minisign_seckey *k, uint8_t out[32])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, (const uint8_t *)"Ed", 2);
    crypto_generichash_update(&st, k->keynum, sizeof k->keynum);
    crypto_generichash_update(&st, k->sk, sizeof k->sk);
    crypto_generichash_final(&st, out, 32);
    sodium_memzero(&st, sizeof st);
}

static int valid_comment(const char *c, size_t max)
{
    size_t n = strlen(c);
    return n <= max && strpbrk(c, "\r\n") == NULL;
}

BATON_API int baton_minisign_keygen(baton_minisign_seckey **out, baton_minisign_pubkey *pub,
                                    char *err, size_t errlen)
{
    struct baton_minisign_seckey *k;
    uint8_t pk[32];

    *out = NULL;
    if (sodium_init() < 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "libsodium failed to initialise");
    k = sodium_malloc(sizeof *k);
    if (k == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of secure memory");
    randombytes_buf(k->keynum, sizeof k->keynum);
    crypto_sign_keypair(pk, k->sk);
    if (pub != NULL)
        baton_minisign_seckey_public(k, pub);
    *out = k;
    return 0;
}

BATON_API void baton_minisign_seckey_free(baton_minisign_seckey *sk)
{
    if (sk == NULL)
        return;
    sodium_memzero(sk, sizeof *sk);
    sodium_free(sk);
}

BATON_API void baton_minisign_seckey_public(const baton_minisign_seckey *sk,
                                            baton_minisign_pubkey *pub)
{
    memcpy(pub->keynum, sk->keynum, sizeof pub->keynum);
    crypto_sign_ed25519_sk_to_pk(pub->pk, sk->sk);
}

BATON_API void baton_minisign_keyid_hex(const uint8_t keynum[BATON_MINISIGN_KEYNUM_BYTES],
                                        char out[BATON_MINISIGN_KEYID_HEX_LEN + 1])
{
    snprintf(out, BATON_MINISIGN_KEYID_HEX_LEN + 1, "%llX", (unsigned long long)get_le64(keynum));
}

/* XORs the keynum|sk|checksum part with scrypt(password, salt). */
static int scrypt_xor(uint8_t *blob, const char *password, char *err, size_t errlen)
{
    uint8_t stream[KEYNUM_SK_LEN];
    uint64_t ops = get_le64(blob + 38);
    uint64_t mem = get_le64(blob + 46);
    int rc = 0;

    if (ops > MAX_OPSLIMIT || mem > MAX_MEMLIMIT)
        return baton__fail(err, errlen, BATON_ELIMIT,
                           "scrypt limits too large (opslimit %llu, memlimit %llu)",
                           (unsigned long long)ops, (unsigned long long)mem);
    if (crypto_pwhash_scryptsalsa208sha256(stream, sizeof stream, password, strlen(password),
                                           blob + 6, ops, (size_t)mem) != 0) {
        rc =
            baton__fail(err, errlen, BATON_ENOMEM, "scrypt key derivation failed (out of memory?)");
        goto out;
    }
    for (size_t i = 0; i < sizeof stream; i++)
        blob[KEYNUM_SK_OFF + i] ^= stream[i];
out:
    sodium_memzero(stream, sizeof stream);
    return rc;
}

BATON_API int baton_minisign_seckey_encode(const baton_minisign_seckey *sk, const char *password,
                                           uint64_t opslimit, uint64_t memlimit,
                                           const char *untrusted_comment, char **out,
                                           size_t *outlen, char *err, size_t errlen)
{
    uint8_t *blob = NULL;
    char *text = NULL;
    size_t clen, total;
    int rc;

    *out = NULL;
    if (outlen != NULL)
        *outlen = 0;
    if (sodium_init() < 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "libsodium failed to initialise");
    if (untrusted_comment == NULL)
        untrusted_comment = sk_comment_default;
    if (!valid_comment(untrusted_comment, BATON_MINISIGN_COMMENT_MAX))
        return baton__fail(err, errlen, BATON_EINVAL,
                           "untrusted comment must be one line of at most %d bytes",
                           BATON_MINISIGN_COMMENT_MAX);
    if (opslimit == 0 && memlimit == 0) {
        opslimit = BATON_MINISIGN_OPSLIMIT_DEFAULT;
        memlimit = BATON_MINISIGN_MEMLIMIT_DEFAULT;
    }
    rc = BATON_ENOMEM;
    blob = sodium_malloc(SK_BLOB_BYTES);
    clen = strlen(untrusted_comment);
    total = sizeof comment_prefix - 1 + clen + 1 + SK_B64_LEN + 1;
    text = sodium_malloc(total + 1);
    if (blob == NULL || text == NULL) {
        baton__fail(err, errlen, rc, "out of secure memory");
        goto out;
    }
    memset(blob, 0, SK_BLOB_BYTES);
    memcpy(blob, "Ed", 2);
    memcpy(blob + 4, "B2", 2);
    memcpy(blob + KEYNUM_SK_OFF, sk->keynum, 8);
    memcpy(blob + KEYNUM_SK_OFF + 8, sk->sk, 64);
    if (password != NULL) {
        memcpy(blob + 2, "Sc", 2);
        randombytes_buf(blob + 6, 32);
        put_le64(blob + 38, opslimit);
        put_le64(blob + 46, memlimit);
        compute_chk(sk, blob + KEYNUM_SK_OFF + 72);
        if ((rc = scrypt_xor(blob, password, err, errlen)) != 0)
            goto out;
    }
    memcpy(text, comment_prefix, sizeof comment_prefix - 1);
    memcpy(text + sizeof comment_prefix - 1, untrusted_comment, clen);
    text[sizeof comment_prefix - 1 + clen] = '\n';
    baton__b64_encode(text + sizeof comment_prefix + clen, blob, SK_BLOB_BYTES, 1);
    text[total - 1] = '\n';
    text[total] = '\0';
    *out = text;
    if (outlen != NULL)
        *outlen = total;
    text = NULL;
    rc = 0;
out:
    if (blob != NULL) {
        sodium_memzero(blob, SK_BLOB_BYTES);
        sodium_free(blob);
    }
    if (text != NULL) {
        sodium_memzero(text, total + 1);
        sodium_free(text);
    }
    return rc;
}

BATON_API void baton_minisign_text_free(char *text)
{
    if (text == NULL)
        return;
    /* Every text this module hands out comes from sodium_malloc, public
     * material included, so one free function serves them all. */
    sodium_memzero(text, strlen(text));
    sodium_free(text);
}

/*
 * Splits "untrusted comment: ...\n<b64>[\n]" into the base64 line. Exactly
 * two lines; the final newline may be missing.
 */
static int split_two_lines(const char *text, size_t len, const char **b64, size_t *b64len,
                           char *err, size_t errlen)
{
    const char *nl;
    const char *end = text + len;

    if (len < sizeof comment_prefix - 1 ||
        memcmp(text, comment_prefix, sizeof comment_prefix - 1) != 0)
        return baton__fail(err, errlen, BATON_EINVAL,
                           "first line must start with \"untrusted comment: \"");
    nl = memchr(text, '\n', len);
    if (nl == NULL)
        return baton__fail(err, errlen, BATON_EINVAL, "missing key line");
    if ((size_t)(nl - text) > sizeof comment_prefix - 1 + BATON_MINISIGN_COMMENT_MAX)
        return baton__fail(err, errlen, BATON_EINVAL, "untrusted comment too long");
    *b64 = nl + 1;
    if (end > *b64 && end[-1] == '\n')
        end--;
    if (memchr(*b64, '\n', (size_t)(end - *b64)) != NULL)
        return baton__fail(err, errlen, BATON_EINVAL, "unexpected extra lines");
    *b64len = (size_t)(end - *b64);
    return 0;
}

BATON_API int baton_minisign_seckey_is_encrypted(const char *text, size_t len)
{
    const char *b64;
    size_t b64len, n;
    uint8_t blob[SK_BLOB_BYTES];
    int rc;

    if ((rc = split_two_lines(text, len, &b64, &b64len, NULL, 0)) != 0)
        return rc;
    if (baton__b64_decode(b64, b64len, blob, sizeof blob, &n, 1) != 0 || n != SK_BLOB_BYTES)
        rc = BATON_EINVAL;
    else if (memcmp(blob + 2, "Sc", 2) == 0)
        rc = 1;
    else if (blob[2] == 0 && blob[3] == 0)
        rc = 0;
    else
        rc = BATON_EUNSUPP;
    sodium_memzero(blob, sizeof blob);
    return rc;
}

BATON_API int baton_minisign_seckey_decode(const char *text, size_t len, const char *password,
                                           baton_minisign_seckey **out, char *err, size_t errlen)
{
    struct baton_minisign_seckey *k = NULL;
    uint8_t *blob = NULL;
    uint8_t chk[32];
    uint8_t pk[32];
    const char *b64;
    size_t b64len, n;
    int encrypted;
    int rc;

    *out = NULL;
    if (sodium_init() < 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "libsodium failed to initialise");
    if ((rc = split_two_lines(text, len, &b64, &b64len, err, errlen)) != 0)
        return rc;
    rc = BATON_ENOMEM;
    blob = sodium_malloc(SK_BLOB_BYTES);
    k = sodium_malloc(sizeof *k);
    if (blob == NULL || k == NULL) {
        baton__fail(err, errlen, rc, "out of secure memory");
        goto out;
    }
    rc = BATON_EINVAL;
    if (baton__b64_decode(b64, b64len, blob, SK_BLOB_BYTES, &n, 1) != 0 || n != SK_BLOB_BYTES) {
        baton__fail(err, errlen, rc, "secret key is not canonical base64 of %d bytes",
                    SK_BLOB_BYTES);
        goto out;
    }
    if (memcmp(blob, "Ed", 2) != 0) {
        baton__fail(err, errlen, BATON_EUNSUPP, "unsupported signature algorithm");
        rc = BATON_EUNSUPP;
        goto out;
    }
    if (memcmp(blob + 4, "B2", 2) != 0) {
        rc = baton__fail(err, errlen, BATON_EUNSUPP, "unsupported checksum algorithm");
        goto out;
    }
    if (memcmp(blob + 2, "Sc", 2) == 0) {
        encrypted = 1;
    } else if (blob[2] == 0 && blob[3] == 0) {
        encrypted = 0;
    } else {
        rc = baton__fail(err, errlen, BATON_EUNSUPP, "unsupported key derivation function");
        goto out;
    }
    if (encrypted) {
        if (password == NULL) {
            rc = baton__fail(err, errlen, BATON_EDENIED,
                             "the secret key is encrypted and no password was given");
            goto out;
        }
        if ((rc = scrypt_xor(blob, password, err, errlen)) != 0)
            goto out;
    }
    memcpy(k->keynum, blob + KEYNUM_SK_OFF, 8);
    memcpy(k->sk, blob + KEYNUM_SK_OFF + 8, 64);
    if (encrypted || !sodium_is_zero(blob + KEYNUM_SK_OFF + 72, 32)) {
        compute_chk(k, chk);
        if (sodium_memcmp(chk, blob + KEYNUM_SK_OFF + 72, 32) != 0) {
            rc = baton__fail(err, errlen, BATON_ECRYPTO,
                             encrypted ? "wrong password for the secret key"
                                       : "secret key checksum does not match");
            goto out;
        }
    }
    /* The public half stored in sk must belong to the seed. */
    crypto_sign_ed25519_sk_to_seed(chk, k->sk);
    {
        uint8_t sk2[64];
        crypto_sign_seed_keypair(pk, sk2, chk);
        rc = sodium_memcmp(sk2, k->sk, 64) == 0 ? 0 : BATON_ECRYPTO;
        sodium_memzero(sk2, sizeof sk2);
    }
    if (rc != 0) {
        baton__fail(err, errlen, rc, "secret key is inconsistent (public half differs)");
        goto out;
    }
    *out = k;
    k = NULL;
out:
    sodium_memzero(chk, sizeof chk);
    if (blob != NULL) {
        sodium_memzero(blob, SK_BLOB_BYTES);
        sodium_free(blob);
    }
    baton_minisign_seckey_free(k);
    return rc;
}

BATON_API int baton_minisign_seckey_save(const baton_minisign_seckey *sk, const char *path,
                                         const char *password, uint64_t opslimit, uint64_t memlimit,
                                         int overwrite, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    int rc = baton_minisign_seckey_encode(sk, password, opslimit, memlimit, NULL, &text, &len, err,
                                          errlen);
    if (rc != 0)
        return rc;
    rc = baton__secfile_write(path, text, len, 0600, overwrite, err, errlen);
    baton_minisign_text_free(text);
    return rc;
}

BATON_API int baton_minisign_seckey_load(const char *path, const char *password,
                                         baton_minisign_seckey **out, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    int rc = baton__secfile_read(path, SECFILE_MAX, &text, &len, err, errlen);
    *out = NULL;
    if (rc != 0)
        return rc;
    rc = baton_minisign_seckey_decode(text, len, password, out, err, errlen);
    baton__secfile_free(text, len);
    return rc;
}

BATON_API void baton_minisign_pubkey_encode(const baton_minisign_pubkey *pub,
                                            char out[BATON_MINISIGN_PUBKEY_B64_LEN + 1])
{
    uint8_t blob[PK_BLOB_BYTES];
    memcpy(blob, "Ed", 2);
    memcpy(blob + 2, pub->keynum, 8);
    memcpy(blob + 10, pub->pk, 32);
    baton__b64_encode(out, blob, sizeof blob, 1);
}

BATON_API int baton_minisign_pubkey_decode(const char *b64, size_t len, baton_minisign_pubkey *pub,
                                           char *err, size_t errlen)
{
    uint8_t blob[PK_BLOB_BYTES + 3];
    size_t n;

    if (baton__b64_decode(b64, len, blob, sizeof blob, &n, 1) != 0 || n != PK_BLOB_BYTES)
        return baton__fail(err, errlen, BATON_EINVAL,
                           "public key is not canonical base64 of %d bytes", PK_BLOB_BYTES);
    if (memcmp(blob, "Ed", 2) != 0)
        return baton__fail(err, errlen, BATON_EUNSUPP,
                           "public key has an unsupported signature algorithm");
    memcpy(pub->keynum, blob + 2, 8);
    memcpy(pub->pk, blob + 10, 32);
    return 0;
}

BATON_API int baton_minisign_pubkey_file_encode(const baton_minisign_pubkey *pub,
                                                const char *untrusted_comment, char **out,
                                                size_t *outlen)
{
    char id[BATON_MINISIGN_KEYID_HEX_LEN + 1];
    char dflt[64];
    char *text;
    size_t clen, total;

    *out = NULL;
    if (outlen != NULL)
        *outlen = 0;
    if (sodium_init() < 0)
        return BATON_ECRYPTO;
    if (untrusted_comment == NULL) {
        baton_minisign_keyid_hex(pub->keynum, id);
        snprintf(dflt, sizeof dflt, "minisign public key %s", id);
        untrusted_comment = dflt;
    }
    if (!valid_comment(untrusted_comment, BATON_MINISIGN_COMMENT_MAX))
        return BATON_EINVAL;
    clen = strlen(untrusted_comment);
    total = sizeof comment_prefix - 1 + clen + 1 + BATON_MINISIGN_PUBKEY_B64_LEN + 1;
    text = sodium_malloc(total + 1);
    if (text == NULL)
        return BATON_ENOMEM;
    memcpy(text, comment_prefix, sizeof comment_prefix - 1);
    memcpy(text + sizeof comment_prefix - 1, untrusted_comment, clen);
    text[sizeof comment_prefix - 1 + clen] = '\n';
    baton_minisign_pubkey_encode(pub, text + sizeof comment_prefix + clen);
    text[total - 1] = '\n';
    text[total] = '\0';
    *out = text;
    if (outlen != NULL)
        *outlen = total;
    return 0;
}

BATON_API int baton_minisign_pubkey_file_decode(const char *text, size_t len,
                                                baton_minisign_pubkey *pub, char *err,
                                                size_t errlen)
{
    const char *b64;
    size_t b64len;
    int rc = split_two_lines(text, len, &b64, &b64len, err, errlen);
    if (rc != 0)
        return rc;
    return baton_minisign_pubkey_decode(b64, b64len, pub, err, errlen);
}

BATON_API int baton_minisign_pubkey_save(const baton_minisign_pubkey *pub, const char *path,
                                         int overwrite, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    int rc = baton_minisign_pubkey_file_encode(pub, NULL, &text, &len);
    if (rc != 0)
        return baton__fail(err, errlen, rc, "cannot encode public key");
    rc = baton__secfile_write(path, text, len, 0644, overwrite, err, errlen);
    baton_minisign_text_free(text);
    return rc;
}

BATON_API int baton_minisign_pubkey_load(const char *path, baton_minisign_pubkey *pub, char *err,
                                         size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    int rc = baton__secfile_read(path, SECFILE_MAX, &text, &len, err, errlen);
    if (rc != 0)
        return rc;
    rc = baton_minisign_pubkey_file_decode(text, len, pub, err, errlen);
    baton__secfile_free(text, len);
    return rc;
}
