/*
 * age_decrypt.c - the streaming age reader: header via age_header.c, then
 * the payload nonce and 64 KiB ChaCha20-Poly1305 chunks (OpenSSL EVP, one
 * context reused, buffers allocated once).
 *
 * Chunk rules, as the reference implementation (age 1.1.1) applies them:
 * a short chunk is the last one (flag 1); a full chunk is tried as not-last
 * first and then as last; an empty last chunk is only valid as the very
 * first chunk (empty payload); after the last chunk the input must end.
 * Plaintext of a chunk is delivered only after its tag verified.
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "age_internal.h"
#include "baton/error.h"
#include "visibility.h"

struct baton_age_decryptor {
    EVP_CIPHER_CTX *ctx;
    struct baton__age_reader r;
    baton_age_write_fn write;
    void *wctx;
    uint8_t file_key[AGE_FILE_KEY_BYTES];
    uint8_t *pt; /* BATON_AGE_CHUNK_BYTES */
    uint64_t counter;
    int state; /* 0 open, 1 finished, -1 failed */
};

static void chunk_nonce(uint64_t counter, int last, uint8_t nonce[12])
{
    memset(nonce, 0, 12);
    for (int i = 0; i < 8; i++)
        nonce[10 - i] = (uint8_t)(counter >> (8 * i));
    nonce[11] = last ? 1 : 0;
}

/* 1 when the tag verified (plaintext in d->pt), 0 when not. */
static int open_chunk(baton_age_decryptor *d, const uint8_t *in, size_t n, int last)
{
    uint8_t nonce[12];
    int len = 0, fin = 0;
    size_t ptlen = n - AGE_TAG_BYTES;

    chunk_nonce(d->counter, last, nonce);
    if (EVP_DecryptInit_ex(d->ctx, NULL, NULL, NULL, nonce) != 1)
        return 0;
    if (ptlen > 0 && EVP_DecryptUpdate(d->ctx, d->pt, &len, in, (int)ptlen) != 1)
        return 0;
    if (EVP_CIPHER_CTX_ctrl(d->ctx, EVP_CTRL_AEAD_SET_TAG, AGE_TAG_BYTES, (void *)(in + ptlen)) !=
        1)
        return 0;
    return EVP_DecryptFinal_ex(d->ctx, d->pt + len, &fin) == 1;
}

static int setup_payload(baton_age_decryptor *d, char *err, size_t errlen)
{
    uint8_t key[32];
    int rc = baton__age_reader_fill(&d->r, AGE_NONCE_BYTES);
    if (rc != 0)
        return baton__fail(err, errlen, rc, "reading the payload failed");
    if (d->r.len - d->r.pos < AGE_NONCE_BYTES)
        return baton__fail(err, errlen, BATON_EINVAL, "payload nonce truncated");
    baton__age_payload_key(d->file_key, d->r.buf + d->r.pos, key);
    d->r.pos += AGE_NONCE_BYTES;
    rc = EVP_DecryptInit_ex(d->ctx, EVP_chacha20_poly1305(), NULL, key, NULL) == 1;
    sodium_memzero(key, sizeof key);
    sodium_memzero(d->file_key, sizeof d->file_key);
    if (!rc)
        return baton__fail(err, errlen, BATON_ECRYPTO, "ChaCha20-Poly1305 unavailable");
    return 0;
}

BATON_API int baton_age_decrypt_init(baton_age_decryptor **out, baton_age_identity *const *ids,
                                     size_t n, baton_age_read_fn read, void *rctx,
                                     baton_age_write_fn write, void *wctx, char *err, size_t errlen)
{
    baton_age_decryptor *d;
    int rc = BATON_ENOMEM;

    *out = NULL;
    if (sodium_init() < 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "libsodium failed to initialise");
    if (read == NULL || write == NULL || (n > 0 && ids == NULL))
        return baton__fail(err, errlen, BATON_EINVAL, "read, write and identities required");
    d = calloc(1, sizeof *d);
    if (d == NULL)
        return baton__fail(err, errlen, rc, "out of memory");
    *out = d;
    d->state = -1;
    d->write = write;
    d->wctx = wctx;
    d->r.read = read;
    d->r.ctx = rctx;
    d->r.cap = AGE_ENC_CHUNK_BYTES;
    d->r.buf = malloc(d->r.cap);
    d->pt = malloc(BATON_AGE_CHUNK_BYTES);
    d->ctx = EVP_CIPHER_CTX_new();
    if (d->r.buf == NULL || d->pt == NULL || d->ctx == NULL)
        return baton__fail(err, errlen, rc, "out of memory");
    rc = baton__age_header_open(&d->r, ids, n, d->file_key, err, errlen);
    if (rc != 0)
        return rc;
    /* The payload nonce belongs to the header stage: age (and the C2SP
     * vectors) treat a missing or short nonce as a header failure. */
    if ((rc = setup_payload(d, err, errlen)) != 0)
        return rc;
    d->state = 0;
    return 0;
}

static int step(baton_age_decryptor *d, char *err, size_t errlen)
{
    const uint8_t *in;
    size_t n;
    int last = 0;
    int rc;

    if ((rc = baton__age_reader_fill(&d->r, AGE_ENC_CHUNK_BYTES)) != 0)
        return baton__fail(err, errlen, rc, "reading the payload failed");
    n = d->r.len - d->r.pos;
    if (n > AGE_ENC_CHUNK_BYTES)
        n = AGE_ENC_CHUNK_BYTES;
    in = d->r.buf + d->r.pos;
    if (n == 0)
        return baton__fail(err, errlen, BATON_EINVAL,
                           "payload truncated: the last chunk is missing");
    if (n < AGE_ENC_CHUNK_BYTES) {
        last = 1;
        if (n < AGE_TAG_BYTES)
            return baton__fail(err, errlen, BATON_EINVAL, "payload chunk %llu truncated",
                               (unsigned long long)d->counter);
        if (n == AGE_TAG_BYTES && d->counter != 0)
            return baton__fail(err, errlen, BATON_EINVAL,
                               "empty last chunk after a non-empty payload");
    }
    if (!open_chunk(d, in, n, last)) {
        if (last || !open_chunk(d, in, n, 1))
            return baton__fail(err, errlen, BATON_ECRYPTO,
                               "payload chunk %llu does not authenticate",
                               (unsigned long long)d->counter);
        last = 1;
    }
    d->r.pos += n;
    if (d->counter == UINT64_MAX)
        return baton__fail(err, errlen, BATON_ELIMIT, "payload too large");
    d->counter++;
    if ((rc = d->write(d->wctx, d->pt, n - AGE_TAG_BYTES)) != 0)
        return baton__fail(err, errlen, rc < 0 ? rc : BATON_EIO, "writing failed");
    if (!last)
        return 1;
    /* Nothing may follow the last chunk. */
    if ((rc = baton__age_reader_fill(&d->r, 1)) != 0)
        return baton__fail(err, errlen, rc, "reading the payload failed");
    if (d->r.len - d->r.pos > 0)
        return baton__fail(err, errlen, BATON_EINVAL, "trailing data after the last chunk");
    return 0;
}

BATON_API int baton_age_decrypt_update(baton_age_decryptor *d, char *err, size_t errlen)
{
    int rc;
    if (d->state == 1)
        return 0;
    if (d->state != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "decryptor is not open");
    rc = step(d, err, errlen);
    if (rc < 0)
        d->state = -1;
    else if (rc == 0)
        d->state = 1;
    return rc;
}

BATON_API int baton_age_decrypt_final(baton_age_decryptor *d, char *err, size_t errlen)
{
    int rc;
    while ((rc = baton_age_decrypt_update(d, err, errlen)) == 1)
        ;
    return rc;
}

BATON_API void baton_age_decrypt_free(baton_age_decryptor *d)
{
    if (d == NULL)
        return;
    EVP_CIPHER_CTX_free(d->ctx);
    sodium_memzero(d->file_key, sizeof d->file_key);
    if (d->pt != NULL)
        sodium_memzero(d->pt, BATON_AGE_CHUNK_BYTES);
    free(d->pt);
    free(d->r.buf);
    free(d);
}
