/*
 * minisign_sig.c - minisign prehashed ("ED") signatures: BLAKE2b-512
 * prehash, signing, the four-line .minisig text, strict parsing and
 * verification. Keys are in minisign_key.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "b64.h"
#include "baton/error.h"
#include "minisign_internal.h"
#include "visibility.h"

#define SIG_BLOB_BYTES 74  /* "ED" keynum(8) sig(64) */
#define SIG_B64_LEN    100 /* padded base64 of 74 bytes */
#define GSIG_B64_LEN   88  /* padded base64 of 64 bytes */
#define FILE_BUF_BYTES (1 << 20)

static const char untrusted_prefix[] = "untrusted comment: ";
static const char trusted_prefix[] = "trusted comment: ";
static const char default_untrusted[] = "signature from minisign secret key";

struct baton_minisign_prehash {
    crypto_generichash_state st;
};

BATON_API int baton_minisign_prehash_new(baton_minisign_prehash **out)
{
    baton_minisign_prehash *h;
    size_t size = (sizeof *h + 63) / 64 * 64;

    *out = NULL;
    if (sodium_init() < 0)
        return BATON_ECRYPTO;
    /* The state must be 64-byte aligned (CRYPTO_ALIGN(64) in libsodium). */
    h = aligned_alloc(64, size);
    if (h == NULL)
        return BATON_ENOMEM;
    crypto_generichash_init(&h->st, NULL, 0, BATON_MINISIGN_PREHASH_BYTES);
    *out = h;
    return 0;
}

BATON_API int baton_minisign_prehash_update(baton_minisign_prehash *h, const void *data, size_t len)
{
    if (len == 0)
        return 0;
    return crypto_generichash_update(&h->st, data, len) == 0 ? 0 : BATON_ECRYPTO;
}

BATON_API int baton_minisign_prehash_final(baton_minisign_prehash *h,
                                           uint8_t out[BATON_MINISIGN_PREHASH_BYTES])
{
    int rc = crypto_generichash_final(&h->st, out, BATON_MINISIGN_PREHASH_BYTES);
    crypto_generichash_init(&h->st, NULL, 0, BATON_MINISIGN_PREHASH_BYTES);
    return rc == 0 ? 0 : BATON_ECRYPTO;
}

BATON_API void baton_minisign_prehash_free(baton_minisign_prehash *h)
{
    if (h == NULL)
        return;
    sodium_memzero(h, sizeof *h);
    free(h);
}

static int one_line(const char *c, size_t max)
{
    return strlen(c) <= max && strpbrk(c, "\r\n") == NULL;
}

BATON_API int baton_minisign_sign_prehashed(const baton_minisign_seckey *sk,
                                            const uint8_t prehash[BATON_MINISIGN_PREHASH_BYTES],
                                            const char *untrusted_comment,
                                            const char *trusted_comment, char **out, size_t *outlen,
                                            char *err, size_t errlen)
{
    uint8_t blob[SIG_BLOB_BYTES];
    uint8_t gsig[BATON_MINISIGN_SIG_BYTES];
    uint8_t *gmsg = NULL;
    char *text = NULL;
    size_t ulen, tlen, total, pos;
    int rc = BATON_ENOMEM;

    *out = NULL;
    if (outlen != NULL)
        *outlen = 0;
    if (sodium_init() < 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "libsodium failed to initialise");
    if (untrusted_comment == NULL)
        untrusted_comment = default_untrusted;
    if (trusted_comment == NULL)
        return baton__fail(err, errlen, BATON_EINVAL, "a trusted comment is required");
    if (!one_line(untrusted_comment, BATON_MINISIGN_COMMENT_MAX))
        return baton__fail(err, errlen, BATON_EINVAL,
                           "untrusted comment must be one line of at most %d bytes",
                           BATON_MINISIGN_COMMENT_MAX);
    if (!one_line(trusted_comment, BATON_MINISIGN_TRUSTED_MAX))
        return baton__fail(err, errlen, BATON_EINVAL,
                           "trusted comment must be one line of at most %d bytes",
                           BATON_MINISIGN_TRUSTED_MAX);
    ulen = strlen(untrusted_comment);
    tlen = strlen(trusted_comment);

    memcpy(blob, "ED", 2);
    memcpy(blob + 2, sk->keynum, 8);
    crypto_sign_detached(blob + 10, NULL, prehash, BATON_MINISIGN_PREHASH_BYTES, sk->sk);

    /* Global signature: over the content signature and the trusted comment. */
    gmsg = malloc(BATON_MINISIGN_SIG_BYTES + tlen);
    if (gmsg == NULL) {
        baton__fail(err, errlen, rc, "out of memory");
        goto out;
    }
    memcpy(gmsg, blob + 10, BATON_MINISIGN_SIG_BYTES);
    memcpy(gmsg + BATON_MINISIGN_SIG_BYTES, trusted_comment, tlen);
    crypto_sign_detached(gsig, NULL, gmsg, BATON_MINISIGN_SIG_BYTES + tlen, sk->sk);

    total = sizeof untrusted_prefix - 1 + ulen + 1 + SIG_B64_LEN + 1 + sizeof trusted_prefix - 1 +
            tlen + 1 + GSIG_B64_LEN + 1;
    text = sodium_malloc(total + 1);
    if (text == NULL) {
        baton__fail(err, errlen, rc, "out of secure memory");
        goto out;
    }
    pos = 0;
    memcpy(text + pos, untrusted_prefix, sizeof untrusted_prefix - 1);
    pos += sizeof untrusted_prefix - 1;
    memcpy(text + pos, untrusted_comment, ulen);
    pos += ulen;
    text[pos++] = '\n';
    baton__b64_encode(text + pos, blob, sizeof blob, 1);
    pos += SIG_B64_LEN;
    text[pos++] = '\n';
    memcpy(text + pos, trusted_prefix, sizeof trusted_prefix - 1);
    pos += sizeof trusted_prefix - 1;
    memcpy(text + pos, trusted_comment, tlen);
    pos += tlen;
    text[pos++] = '\n';
    baton__b64_encode(text + pos, gsig, sizeof gsig, 1);
    pos += GSIG_B64_LEN;
    text[pos++] = '\n';
    text[pos] = '\0';
    *out = text;
    if (outlen != NULL)
        *outlen = total;
    rc = 0;
out:
    free(gmsg);
    return rc;
}

BATON_API int baton_minisign_sign_buffer(const baton_minisign_seckey *sk, const void *data,
                                         size_t len, const char *untrusted_comment,
                                         const char *trusted_comment, char **out, size_t *outlen,
                                         char *err, size_t errlen)
{
    uint8_t ph[BATON_MINISIGN_PREHASH_BYTES];

    *out = NULL;
    if (sodium_init() < 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "libsodium failed to initialise");
    crypto_generichash(ph, sizeof ph, len ? data : (const void *)"", len, NULL, 0);
    return baton_minisign_sign_prehashed(sk, ph, untrusted_comment, trusted_comment, out, outlen,
                                         err, errlen);
}

/* Streams a file through the prehash. */
static int prehash_file(const char *path, uint8_t ph[BATON_MINISIGN_PREHASH_BYTES], char *err,
                        size_t errlen)
{
    baton_minisign_prehash *h = NULL;
    uint8_t *buf = NULL;
    int fd;
    int rc;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return baton__fail(err, errlen, errno == ENOENT ? BATON_ENOENT : BATON_EIO, "%s: %s", path,
                           strerror(errno));
    rc = BATON_ENOMEM;
    buf = malloc(FILE_BUF_BYTES);
    if (buf == NULL || baton_minisign_prehash_new(&h) != 0)
        goto out;
    for (;;) {
        ssize_t n = read(fd, buf, FILE_BUF_BYTES);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = baton__fail(err, errlen, BATON_EIO, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        baton_minisign_prehash_update(h, buf, (size_t)n);
    }
    rc = baton_minisign_prehash_final(h, ph);
out:
    close(fd);
    free(buf);
    baton_minisign_prehash_free(h);
    return rc;
}

BATON_API int baton_minisign_sign_file(const baton_minisign_seckey *sk, const char *path,
                                       const char *untrusted_comment, const char *trusted_comment,
                                       char **out, size_t *outlen, char *err, size_t errlen)
{
    uint8_t ph[BATON_MINISIGN_PREHASH_BYTES];
    int rc;

    *out = NULL;
    if ((rc = prehash_file(path, ph, err, errlen)) != 0)
        return rc;
    return baton_minisign_sign_prehashed(sk, ph, untrusted_comment, trusted_comment, out, outlen,
                                         err, errlen);
}

/* Next line of text[pos..len): sets the line and its length (without LF) and advances pos.
 * The last line may lack its LF. Returns 0, or -1 when nothing is left. */
static int next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n)
{
    const char *nl;
    if (*pos >= len)
        return -1;
    *line = text + *pos;
    nl = memchr(*line, '\n', len - *pos);
    if (nl == NULL) {
        *n = len - *pos;
        *pos = len;
    } else {
        *n = (size_t)(nl - *line);
        *pos += *n + 1;
    }
    return 0;
}

static int comment_line(const char *line, size_t n, const char *prefix, size_t max, char *dst,
                        char *err, size_t errlen, const char *what)
{
    size_t plen = strlen(prefix);
    if (n < plen || memcmp(line, prefix, plen) != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "%s line must start with \"%s\"", what,
                           prefix);
    if (n - plen > max)
        return baton__fail(err, errlen, BATON_EINVAL, "%s too long", what);
    memcpy(dst, line + plen, n - plen);
    dst[n - plen] = '\0';
    return 0;
}

BATON_API int baton_minisign_sig_parse(const char *text, size_t len, baton_minisign_sig *sig,
                                       char *err, size_t errlen)
{
    uint8_t blob[SIG_BLOB_BYTES + 2];
    const char *line;
    size_t n, got, pos = 0;
    int rc;

    memset(sig, 0, sizeof *sig);
    if (memchr(text, '\0', len) != NULL || memchr(text, '\r', len) != NULL)
        return baton__fail(err, errlen, BATON_EINVAL, "signature contains NUL or CR characters");
    if (next_line(text, len, &pos, &line, &n) != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "empty signature");
    if ((rc = comment_line(line, n, untrusted_prefix, BATON_MINISIGN_COMMENT_MAX,
                           sig->untrusted_comment, err, errlen, "untrusted comment")) != 0)
        return rc;
    if (next_line(text, len, &pos, &line, &n) != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "missing signature line");
    if (baton__b64_decode(line, n, blob, sizeof blob, &got, 1) != 0 || got != SIG_BLOB_BYTES)
        return baton__fail(err, errlen, BATON_EINVAL,
                           "signature line is not canonical base64 of %d bytes", SIG_BLOB_BYTES);
    if (memcmp(blob, "Ed", 2) == 0)
        return baton__fail(err, errlen, BATON_EUNSUPP,
                           "legacy non-prehashed signature (\"Ed\") refused; sign with a "
                           "current minisign");
    if (memcmp(blob, "ED", 2) != 0)
        return baton__fail(err, errlen, BATON_EUNSUPP, "unsupported signature algorithm");
    memcpy(sig->keynum, blob + 2, 8);
    memcpy(sig->sig, blob + 10, 64);
    if (next_line(text, len, &pos, &line, &n) != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "missing trusted comment");
    if ((rc = comment_line(line, n, trusted_prefix, BATON_MINISIGN_TRUSTED_MAX,
                           sig->trusted_comment, err, errlen, "trusted comment")) != 0)
        return rc;
    if (next_line(text, len, &pos, &line, &n) != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "missing global signature");
    if (baton__b64_decode(line, n, sig->global_sig, sizeof sig->global_sig, &got, 1) != 0 ||
        got != BATON_MINISIGN_SIG_BYTES)
        return baton__fail(err, errlen, BATON_EINVAL,
                           "global signature is not canonical base64 of 64 bytes");
    if (pos < len)
        return baton__fail(err, errlen, BATON_EINVAL, "unexpected data after the signature");
    return 0;
}

BATON_API int baton_minisign_verify_prehashed(const baton_minisign_pubkey *pub,
                                              const baton_minisign_sig *sig,
                                              const uint8_t prehash[BATON_MINISIGN_PREHASH_BYTES],
                                              char *err, size_t errlen)
{
    uint8_t *gmsg;
    size_t tlen;
    int ok;

    if (sodium_init() < 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "libsodium failed to initialise");
    if (memcmp(pub->keynum, sig->keynum, BATON_MINISIGN_KEYNUM_BYTES) != 0) {
        char a[BATON_MINISIGN_KEYID_HEX_LEN + 1], b[BATON_MINISIGN_KEYID_HEX_LEN + 1];
        baton_minisign_keyid_hex(sig->keynum, a);
        baton_minisign_keyid_hex(pub->keynum, b);
        return baton__fail(err, errlen, BATON_EINVAL,
                           "signature key id %s does not match public key %s", a, b);
    }
    if (crypto_sign_verify_detached(sig->sig, prehash, BATON_MINISIGN_PREHASH_BYTES, pub->pk) != 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "signature verification failed");
    tlen = strnlen(sig->trusted_comment, sizeof sig->trusted_comment);
    gmsg = malloc(BATON_MINISIGN_SIG_BYTES + tlen);
    if (gmsg == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    memcpy(gmsg, sig->sig, BATON_MINISIGN_SIG_BYTES);
    memcpy(gmsg + BATON_MINISIGN_SIG_BYTES, sig->trusted_comment, tlen);
    ok = crypto_sign_verify_detached(sig->global_sig, gmsg, BATON_MINISIGN_SIG_BYTES + tlen,
                                     pub->pk) == 0;
    free(gmsg);
    if (!ok)
        return baton__fail(err, errlen, BATON_ECRYPTO,
                           "trusted comment verification failed (comment altered)");
    return 0;
}

static int verify_common(const baton_minisign_pubkey *pub, const uint8_t *ph, const char *sigtext,
                         size_t siglen, char *trusted_comment, size_t tclen, char *err,
                         size_t errlen)
{
    baton_minisign_sig *sig = malloc(sizeof *sig);
    int rc;

    if (trusted_comment != NULL && tclen > 0)
        trusted_comment[0] = '\0';
    if (sig == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    rc = baton_minisign_sig_parse(sigtext, siglen, sig, err, errlen);
    if (rc == 0)
        rc = baton_minisign_verify_prehashed(pub, sig, ph, err, errlen);
    if (rc == 0 && trusted_comment != NULL && tclen > 0)
        snprintf(trusted_comment, tclen, "%s", sig->trusted_comment);
    free(sig);
    return rc;
}

BATON_API int baton_minisign_verify_buffer(const baton_minisign_pubkey *pub, const void *data,
                                           size_t len, const char *sigtext, size_t siglen,
                                           char *trusted_comment, size_t tclen, char *err,
                                           size_t errlen)
{
    uint8_t ph[BATON_MINISIGN_PREHASH_BYTES];
    if (sodium_init() < 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "libsodium failed to initialise");
    crypto_generichash(ph, sizeof ph, len ? data : (const void *)"", len, NULL, 0);
    return verify_common(pub, ph, sigtext, siglen, trusted_comment, tclen, err, errlen);
}

BATON_API int baton_minisign_verify_file(const baton_minisign_pubkey *pub, const char *path,
                                         const char *sigtext, size_t siglen, char *trusted_comment,
                                         size_t tclen, char *err, size_t errlen)
{
    uint8_t ph[BATON_MINISIGN_PREHASH_BYTES];
    int rc = prehash_file(path, ph, err, errlen);
    if (rc != 0)
        return rc;
    return verify_common(pub, ph, sigtext, siglen, trusted_comment, tclen, err, errlen);
}
