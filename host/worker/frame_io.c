/* frame_io.c - whole frames over the worker's socket (frame_io.h). */
#include "frame_io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wire.h"
#include "worker_proto.h"

/* The buffer's size before any frame asks for more. */
#define FIRST_CAP (64u * 1024)

/* Makes room for want bytes from in->start: moves what is left to the
 * front and grows the buffer when it is too small. */
static int room_for(bh_frame_in *in, size_t want)
{
    if (in->start > 0) {
        memmove(in->buf, in->buf + in->start, in->end - in->start);
        in->end -= in->start;
        in->start = 0;
    }
    if (want <= in->cap)
        return 0;
    size_t cap = want < FIRST_CAP ? FIRST_CAP : want;
    uint8_t *b = realloc(in->buf, cap);
    if (b == NULL)
        return -ENOMEM;
    in->buf = b;
    in->cap = cap;
    return 0;
}

/* Reads until want bytes from in->start are buffered: 0, 1 when the stream
 * ended first, or -errno. */
static int fill(int fd, bh_frame_in *in, size_t want)
{
    if (in->end - in->start >= want)
        return 0;
    int rc = room_for(in, want);
    if (rc != 0)
        return rc;
    while (in->end < want) {
        ssize_t r = read(fd, in->buf + in->end, in->cap - in->end);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            return 1;
        in->end += (size_t)r;
    }
    return 0;
}

int bh_frame_read(int fd, bh_frame_in *in, const uint8_t **payload, size_t *len)
{
    *payload = NULL;
    *len = 0;
    int rc = fill(fd, in, 4);
    if (rc == 1)
        return in->end == in->start ? 0 : -EPROTO;
    if (rc != 0)
        return rc;
    uint32_t n = bh_wire_get_u32(in->buf + in->start);
    if (n == 0 || n > BH_FRAME_MAX)
        return -EPROTO;
    rc = fill(fd, in, 4 + (size_t)n);
    if (rc == 1)
        return -EPROTO;
    if (rc != 0)
        return rc;
    *payload = in->buf + in->start + 4;
    *len = n;
    in->start += 4 + (size_t)n;
    return 0;
}

void bh_frame_in_free(bh_frame_in *in)
{
    free(in->buf);
    memset(in, 0, sizeof *in);
}

int bh_frame_writev(int fd, struct iovec *iov, int count)
{
    while (count > 0) {
        if (iov->iov_len == 0) {
            iov++;
            count--;
            continue;
        }
        ssize_t w = writev(fd, iov, count);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        size_t done = (size_t)w;
        while (count > 0 && done >= iov->iov_len) {
            done -= iov->iov_len;
            iov++;
            count--;
        }
        if (count > 0) {
            iov->iov_base = (uint8_t *)iov->iov_base + done;
            iov->iov_len -= done;
        }
    }
    return 0;
}

int bh_frame_write(int fd, const void *p, size_t n)
{
    struct iovec iov = {(void *)p, n};
    return bh_frame_writev(fd, &iov, 1);
}
