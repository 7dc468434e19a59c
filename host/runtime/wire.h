/*
 * wire.h - the byte encoding of the frames batond and an isolated plugin
 * worker exchange (worker_proto.h): a growing write buffer and a bounds-
 * checked reader.
 *
 * Integers are little-endian. A string is u32 length, the bytes, and a
 * terminating NUL (not counted in the length), so a reader hands out
 * pointers into the frame without copying; the reader refuses a string
 * whose NUL is missing or which holds a NUL inside.
 *
 * Owns: encoding only. Does not own: what frames mean (worker_proto.h).
 */
#ifndef BH_WIRE_H
#define BH_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* The little-endian u32 at p: a frame's length, or a field. */
static inline uint32_t bh_wire_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void bh_wire_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

typedef struct bh_wbuf {
    uint8_t *data; /* owned */
    size_t len, cap;
    int failed; /* set once an append ran out of memory or past max */
    size_t max; /* largest size the buffer may grow to; 0 = no limit */
} bh_wbuf;

void bh_wbuf_init(bh_wbuf *b, size_t max);
void bh_wbuf_free(bh_wbuf *b);
/* Empties the buffer, keeping its memory; clears failed. */
void bh_wbuf_reset(bh_wbuf *b);

/* Appenders; on failure they set b->failed and do nothing more. */
void bh_wbuf_u8(bh_wbuf *b, uint8_t v);
void bh_wbuf_u16(bh_wbuf *b, uint16_t v);
void bh_wbuf_u32(bh_wbuf *b, uint32_t v);
void bh_wbuf_i64(bh_wbuf *b, int64_t v);
void bh_wbuf_bytes(bh_wbuf *b, const void *p, size_t n);
/* A string (NULL is written as the empty string). */
void bh_wbuf_str(bh_wbuf *b, const char *s);
void bh_wbuf_strn(bh_wbuf *b, const char *s, size_t n);

/*
 * Frames: bh_wbuf_frame_begin reserves the 4-byte length, bh_wbuf_frame_end
 * fills it in with the number of bytes written since. Several frames may
 * follow one another in one buffer.
 */
size_t bh_wbuf_frame_begin(bh_wbuf *b);
void bh_wbuf_frame_end(bh_wbuf *b, size_t begin);

typedef struct bh_rbuf {
    const uint8_t *p, *end;
    int failed; /* set once a read ran past the end or met a bad string */
} bh_rbuf;

static inline bh_rbuf bh_rbuf_of(const void *data, size_t len)
{
    bh_rbuf r = {(const uint8_t *)data, (const uint8_t *)data + len, 0};
    return r;
}

/* Readers; past the end (or after a failure) they set r->failed and
 * return 0 / "" . */
uint8_t bh_rbuf_u8(bh_rbuf *r);
uint16_t bh_rbuf_u16(bh_rbuf *r);
uint32_t bh_rbuf_u32(bh_rbuf *r);
int64_t bh_rbuf_i64(bh_rbuf *r);
/* A string, pointing into the frame; *len (may be NULL) gets its length. */
const char *bh_rbuf_str(bh_rbuf *r, size_t *len);
/* True when every byte was read and nothing failed. */
static inline int bh_rbuf_done(const bh_rbuf *r)
{
    return !r->failed && r->p == r->end;
}

#endif
