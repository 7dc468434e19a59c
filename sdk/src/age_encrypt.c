/*
 * age_encrypt.c - the streaming age writer: header, payload nonce, then the
 * STREAM payload in 64 KiB ChaCha20-Poly1305 chunks (OpenSSL EVP, one
 * context reused for every chunk, buffers allocated once).
 *
 * The last chunk carries flag 1 in the last nonce byte; a full chunk is held
 * back until more data (or final) tells whether it is the last. An empty
 * payload is one empty last chunk.
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "age_internal.h"
#include "baton/error.h"
#include "visibility.h"

struct baton_age_encryptor {
    EVP_CIPHER_CTX *ctx;
    baton_age_write_fn write;
    void *wctx;
    uint64_t counter;
    uint8_t *pt; /* BATON_AGE_CHUNK_BYTES plaintext being filled */
    size_t ptlen;
    uint8_t *ct; /* AGE_ENC_CHUNK_BYTES */
    int state;   /* 0 open, 1 finished, -1 failed */
};

static void chunk_nonce(uint64_t counter, int last, uint8_t nonce[12])
{
    memset(nonce, 0, 12);
    for (int i = 0; i < 8; i++)
        nonce[10 - i] = (uint8_t)(counter >> (8 * i));
    nonce[11] = last ? 1 : 0;
}

static int seal_chunk(baton_age_encryptor *e, const uint8_t *in, size_t n, int last, char *err,
                      size_t errlen)
{
    uint8_t nonce[12];
    int len = 0, fin = 0;
    int rc;

    if (e->counter == UINT64_MAX)
        return baton__fail(err, errlen, BATON_ELIMIT, "payload too large");
    chunk_nonce(e->counter, last, nonce);
    if (EVP_EncryptInit_ex(e->ctx, NULL, NULL, NULL, nonce) != 1 ||
        (n > 0 && EVP_EncryptUpdate(e->ctx, e->ct, &len, in, (int)n) != 1) ||
        EVP_EncryptFinal_ex(e->ctx, e->ct + len, &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(e->ctx, EVP_CTRL_AEAD_GET_TAG, AGE_TAG_BYTES, e->ct + n) != 1)
        return baton__fail(err, errlen, BATON_ECRYPTO, "ChaCha20-Poly1305 failed");
    e->counter++;
    rc = e->write(e->wctx, e->ct, n + AGE_TAG_BYTES);
    if (rc != 0)
        return baton__fail(err, errlen, rc < 0 ? rc : BATON_EIO, "writing failed");
    return 0;
}

BATON_API int baton_age_encrypt_init(baton_age_encryptor **out,
                                     const baton_age_recipient *recipients, size_t n,
                                     baton_age_write_fn write, void *ctx, char *err, size_t errlen)
{
    baton_age_encryptor *e = NULL;
    uint8_t file_key[AGE_FILE_KEY_BYTES];
    uint8_t nonce[AGE_NONCE_BYTES];
    uint8_t key[32];
    uint8_t *hdr = NULL;
    size_t hdrlen = 0;
    int rc;

    *out = NULL;
    if (sodium_init() < 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "libsodium failed to initialise");
    if (n == 0 || n > AGE_MAX_RECIPIENTS || recipients == NULL || write == NULL)
        return baton__fail(err, errlen, BATON_EINVAL, "between 1 and %d recipients required",
                           AGE_MAX_RECIPIENTS);
    rc = BATON_ENOMEM;
    e = calloc(1, sizeof *e);
    if (e == NULL)
        return baton__fail(err, errlen, rc, "out of memory");
    *out = e;
    e->state = -1;
    e->write = write;
    e->wctx = ctx;
    e->pt = malloc(BATON_AGE_CHUNK_BYTES);
    e->ct = malloc(AGE_ENC_CHUNK_BYTES);
    e->ctx = EVP_CIPHER_CTX_new();
    if (e->pt == NULL || e->ct == NULL || e->ctx == NULL) {
        baton__fail(err, errlen, rc, "out of memory");
        goto out;
    }
    randombytes_buf(file_key, sizeof file_key);
    randombytes_buf(nonce, sizeof nonce);
    if ((rc = baton__age_header_build(file_key, recipients, n, &hdr, &hdrlen, err, errlen)) != 0)
        goto out;
    baton__age_payload_key(file_key, nonce, key);
    if (EVP_EncryptInit_ex(e->ctx, EVP_chacha20_poly1305(), NULL, key, NULL) != 1) {
        rc = baton__fail(err, errlen, BATON_ECRYPTO, "ChaCha20-Poly1305 unavailable");
        goto out;
    }
    /* Header and nonce go out together (the header buffer has no room, so
     * two writes). */
    if ((rc = write(ctx, hdr, hdrlen)) != 0 || (rc = write(ctx, nonce, sizeof nonce)) != 0) {
        baton__fail(err, errlen, rc < 0 ? rc : BATON_EIO, "writing the header failed");
        rc = rc < 0 ? rc : BATON_EIO;
        goto out;
    }
    e->state = 0;
    rc = 0;
out:
    sodium_memzero(file_key, sizeof file_key);
    sodium_memzero(key, sizeof key);
    free(hdr);
    return rc;
}

BATON_API int baton_age_encrypt_update(baton_age_encryptor *e, const void *data, size_t len,
                                       char *err, size_t errlen)
{
    const uint8_t *p = data;
    int rc;

    if (e->state != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "encryptor is not open");
    while (len > 0) {
        size_t take;
        if (e->ptlen == BATON_AGE_CHUNK_BYTES) {
            /* More data follows, so the buffered full chunk is not last. */
            if ((rc = seal_chunk(e, e->pt, e->ptlen, 0, err, errlen)) != 0)
                goto fail;
            e->ptlen = 0;
        }
        if (e->ptlen == 0 && len > BATON_AGE_CHUNK_BYTES) {
            /* Seal straight from the caller's buffer; data remains after. */
            if ((rc = seal_chunk(e, p, BATON_AGE_CHUNK_BYTES, 0, err, errlen)) != 0)
                goto fail;
            p += BATON_AGE_CHUNK_BYTES;
            len -= BATON_AGE_CHUNK_BYTES;
            continue;
        }
        take = BATON_AGE_CHUNK_BYTES - e->ptlen;
        if (take > len)
            take = len;
        memcpy(e->pt + e->ptlen, p, take);
        e->ptlen += take;
        p += take;
        len -= take;
    }
    return 0;
fail:
    e->state = -1;
    return rc;
}

BATON_API int baton_age_encrypt_final(baton_age_encryptor *e, char *err, size_t errlen)
{
    int rc;
    if (e->state != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "encryptor is not open");
    rc = seal_chunk(e, e->pt, e->ptlen, 1, err, errlen);
    e->state = rc == 0 ? 1 : -1;
    return rc;
}

BATON_API void baton_age_encrypt_free(baton_age_encryptor *e)
{
    if (e == NULL)
        return;
    EVP_CIPHER_CTX_free(e->ctx); /* cleanses the key schedule */
    if (e->pt != NULL)
        sodium_memzero(e->pt, BATON_AGE_CHUNK_BYTES);
    free(e->pt);
    free(e->ct);
    free(e);
}
