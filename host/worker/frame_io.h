/*
 * frame_io.h - blocking reads and writes of whole frames (worker_proto.h)
 * on the worker's end of the socketpair.
 *
 * Reads are buffered: the host writes a frame at once, so one read(2)
 * usually brings its length and its payload together.
 *
 * Owns: the receive buffer. Does not own: what a frame means
 * (worker_main.c) or its encoding (wire.h).
 */
#ifndef BH_WORKER_FRAME_IO_H
#define BH_WORKER_FRAME_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

typedef struct bh_frame_in {
    uint8_t *buf; /* owned */
    size_t cap;   /* allocated */
    size_t start; /* first byte not yet handed out */
    size_t end;   /* bytes read into buf */
} bh_frame_in;

/*
 * Reads one frame from fd: on success *payload and *len describe it (valid
 * until the next read; *len >= 1). A clean end of the stream before the
 * first byte of a frame gives 0 with *len = 0. A frame of length 0 or above
 * BH_FRAME_MAX, or a stream that ends inside a frame, gives -EPROTO; a
 * failed read -errno, running out of memory -ENOMEM.
 */
int bh_frame_read(int fd, bh_frame_in *in, const uint8_t **payload, size_t *len);
void bh_frame_in_free(bh_frame_in *in);

/* Writes the count buffers of iov to fd, in order and completely (iov is
 * used up): 0 or -errno. */
int bh_frame_writev(int fd, struct iovec *iov, int count);

/* Writes n bytes to fd: 0 or -errno. */
int bh_frame_write(int fd, const void *p, size_t n);

#endif
