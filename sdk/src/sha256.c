/* sha256.c - streaming SHA-256 over OpenSSL's EVP (uses SHA-NI when present). */
#include "baton/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baton/error.h"
#include "visibility.h"

struct baton_sha256 {
    EVP_MD_CTX *ctx;
};

BATON_API int baton_sha256_new(baton_sha256 **out)
{
    baton_sha256 *h = calloc(1, sizeof *h);
    *out = NULL;
    if (h == NULL)
        return BATON_ENOMEM;
    h->ctx = EVP_MD_CTX_new();
    if (h->ctx == NULL || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
        baton_sha256_free(h);
        return BATON_ENOMEM;
    }
    *out = h;
    return 0;
}

BATON_API int baton_sha256_update(baton_sha256 *h, const void *data, size_t len)
{
    if (len == 0)
        return 0;
    return EVP_DigestUpdate(h->ctx, data, len) == 1 ? 0 : BATON_ECRYPTO;
}

BATON_API int baton_sha256_final(baton_sha256 *h, uint8_t out[BATON_SHA256_BYTES])
{
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(h->ctx, out, &n) != 1 || n != BATON_SHA256_BYTES)
        return BATON_ECRYPTO;
    return baton_sha256_reset(h);
}

BATON_API int baton_sha256_reset(baton_sha256 *h)
{
    return EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) == 1 ? 0 : BATON_ECRYPTO;
}

BATON_API void baton_sha256_free(baton_sha256 *h)
{
    if (h == NULL)
        return;
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

BATON_API int baton_sha256_buffer(const void *data, size_t len, uint8_t out[BATON_SHA256_BYTES])
{
    unsigned int n = 0;
    if (EVP_Digest(len ? data : "", len, out, &n, EVP_sha256(), NULL) != 1)
        return BATON_ECRYPTO;
    return 0;
}

BATON_API int baton_sha256_file(const char *path, uint8_t out[BATON_SHA256_BYTES], char *err,
                                size_t errlen)
{
    enum { BUFSZ = 1 << 20 };
    baton_sha256 *h = NULL;
    uint8_t *buf = NULL;
    int fd = -1;
    int rc;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = errno == ENOENT ? BATON_ENOENT : BATON_EIO;
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    rc = BATON_ENOMEM;
    buf = malloc(BUFSZ);
    if (buf == NULL || baton_sha256_new(&h) != 0)
        goto out;
    for (;;) {
        ssize_t n = read(fd, buf, BUFSZ);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = BATON_EIO;
            if (err != NULL && errlen > 0)
                snprintf(err, errlen, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        if ((rc = baton_sha256_update(h, buf, (size_t)n)) != 0)
            goto out;
    }
    rc = baton_sha256_final(h, out);
out:
    if (fd >= 0)
        close(fd);
    free(buf);
    baton_sha256_free(h);
    return rc;
}

BATON_API void baton_sha256_hex(const uint8_t digest[BATON_SHA256_BYTES],
                                char out[BATON_SHA256_HEX_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < BATON_SHA256_BYTES; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[BATON_SHA256_HEX_LEN] = '\0';
}
