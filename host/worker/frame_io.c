/* frame_io.c - whole frames over the worker's socket (frame_io.h). */
#include "frame_io.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "worker_proto.h"

/* Reads exactly n bytes: the count read (less than n only at the end of
 * the stream) or -errno. */
static ssize_t read_full(int fd, uint8_t *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

int bh_frame_read(int fd, bh_frame_in *in, const uint8_t **payload, size_t *len)
{
    uint8_t hdr[4];
    *payload = NULL;
    *len = 0;
    ssize_t r = read_full(fd, hdr, sizeof hdr);
    if (r < 0)
        return (int)r;
    if (r == 0)
        return 0;
    if (r < (ssize_t)sizeof hdr)
        return -EPROTO;
    uint32_t n =
        (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 | (uint32_t)hdr[3] << 24;
    if (n == 0 || n > BH_FRAME_MAX)
        return -EPROTO;
    if (n > in->cap) {
        uint8_t *b = realloc(in->buf, n);
        if (b == NULL)
            return -ENOMEM;
        in->buf = b;
        in->cap = n;
    }
    r = read_full(fd, in->buf, n);
    if (r < 0)
        return (int)r;
    if ((size_t)r < n)
        return -EPROTO;
    *payload = in->buf;
    *len = n;
    return 0;
}

void bh_frame_in_free(bh_frame_in *in)
{
    free(in->buf);
    in->buf = NULL;
    in->cap = 0;
}

int bh_frame_write(int fd, const void *p, size_t n)
{
    const uint8_t *at = p;
    while (n > 0) {
        ssize_t w = write(fd, at, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        at += w;
        n -= (size_t)w;
    }
    return 0;
}
