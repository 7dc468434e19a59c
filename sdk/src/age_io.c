/*
 * age_io.c - ready-made I/O for the age streams: file-descriptor callbacks
 * and one-shot encryption/decryption of memory buffers.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "age_internal.h"
#include "baton/error.h"
#include "visibility.h"

BATON_API int baton_age_fd_write(void *ctx, const uint8_t *data, size_t len)
{
    int fd = *(const int *)ctx;
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return BATON_EIO;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

BATON_API long baton_age_fd_read(void *ctx, uint8_t *buf, size_t cap)
{
    int fd = *(const int *)ctx;
    for (;;) {
        ssize_t r = read(fd, buf, cap);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return BATON_EIO;
        return (long)r;
    }
}

struct membuf {
    uint8_t *p;
    size_t len, cap;
};

static int mem_write(void *ctx, const uint8_t *data, size_t len)
{
    struct membuf *m = ctx;
    if (len == 0)
        return 0;
    if (len > m->cap - m->len) {
        size_t ncap = m->cap ? m->cap : 4096;
        uint8_t *tmp;
        while (ncap - m->len < len) {
            if (ncap > SIZE_MAX / 2)
                return BATON_ENOMEM;
            ncap *= 2;
        }
        tmp = realloc(m->p, ncap);
        if (tmp == NULL)
            return BATON_ENOMEM;
        m->p = tmp;
        m->cap = ncap;
    }
    memcpy(m->p + m->len, data, len);
    m->len += len;
    return 0;
}

struct memsrc {
    const uint8_t *p;
    size_t len, pos;
};

static long mem_read(void *ctx, uint8_t *buf, size_t cap)
{
    struct memsrc *s = ctx;
    size_t n = s->len - s->pos;
    if (n > cap)
        n = cap;
    if (n > (size_t)LONG_MAX)
        n = (size_t)LONG_MAX;
    if (n == 0)
        return 0;
    memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    return (long)n;
}

BATON_API int baton_age_encrypt_buffer(const baton_age_recipient *recipients, size_t n,
                                       const void *data, size_t len, uint8_t **out, size_t *outlen,
                                       char *err, size_t errlen)
{
    struct membuf m = {NULL, 0, 0};
    baton_age_encryptor *e = NULL;
    int rc;

    *out = NULL;
    *outlen = 0;
    rc = baton_age_encrypt_init(&e, recipients, n, mem_write, &m, err, errlen);
    if (rc == 0)
        rc = baton_age_encrypt_update(e, data, len, err, errlen);
    if (rc == 0)
        rc = baton_age_encrypt_final(e, err, errlen);
    baton_age_encrypt_free(e);
    if (rc != 0) {
        free(m.p);
        return rc;
    }
    *out = m.p;
    *outlen = m.len;
    return 0;
}

BATON_API int baton_age_decrypt_buffer(baton_age_identity *const *ids, size_t n, const void *data,
                                       size_t len, uint8_t **out, size_t *outlen, char *err,
                                       size_t errlen)
{
    struct membuf m = {NULL, 0, 0};
    struct memsrc s = {data, len, 0};
    baton_age_decryptor *d = NULL;
    int rc;

    *out = NULL;
    *outlen = 0;
    rc = baton_age_decrypt_init(&d, ids, n, mem_read, &s, mem_write, &m, err, errlen);
    if (rc == 0)
        rc = baton_age_decrypt_final(d, err, errlen);
    baton_age_decrypt_free(d);
    if (rc != 0) {
        if (m.p != NULL)
            memset(m.p, 0, m.len);
        free(m.p);
        return rc;
    }
    if (m.p == NULL) {
        /* Empty plaintext: still hand out a valid pointer. */
        m.p = malloc(1);
        if (m.p == NULL)
            return BATON_ENOMEM;
    }
    *out = m.p;
    *outlen = m.len;
    return 0;
}
