/* wire.c - frame byte encoding (wire.h). */
#include "wire.h"

#include <stdlib.h>
#include <string.h>

void bh_wbuf_init(bh_wbuf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

void bh_wbuf_free(bh_wbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void bh_wbuf_reset(bh_wbuf *b)
{
    b->len = 0;
    b->failed = 0;
}

/* Room for n more bytes, or NULL (and failed) when memory or max says no. */
static uint8_t *room(bh_wbuf *b, size_t n)
{
    if (b->failed)
        return NULL;
    if (n > SIZE_MAX - b->len || (b->max != 0 && b->len + n > b->max)) {
        b->failed = 1;
        return NULL;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n)
            cap = cap > SIZE_MAX / 2 ? b->len + n : cap * 2;
        if (b->max != 0 && cap > b->max)
            cap = b->max;
        uint8_t *p = realloc(b->data, cap);
        if (p == NULL) {
            b->failed = 1;
            return NULL;
        }
        b->data = p;
        b->cap = cap;
    }
    uint8_t *at = b->data + b->len;
    b->len += n;
    return at;
}

void bh_wbuf_bytes(bh_wbuf *b, const void *p, size_t n)
{
    uint8_t *at = room(b, n);
    if (at != NULL && n > 0)
        memcpy(at, p, n);
}

void bh_wbuf_u8(bh_wbuf *b, uint8_t v)
{
    bh_wbuf_bytes(b, &v, 1);
}

void bh_wbuf_u16(bh_wbuf *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    bh_wbuf_bytes(b, x, 2);
}

void bh_wbuf_u32(bh_wbuf *b, uint32_t v)
{
    uint8_t x[4];
    bh_wire_put_u32(x, v);
    bh_wbuf_bytes(b, x, 4);
}

void bh_wbuf_i64(bh_wbuf *b, int64_t v)
{
    uint64_t u = (uint64_t)v;
    bh_wbuf_u32(b, (uint32_t)u);
    bh_wbuf_u32(b, (uint32_t)(u >> 32));
}

void bh_wbuf_strn(bh_wbuf *b, const char *s, size_t n)
{
    if (n > UINT32_MAX - 1) {
        b->failed = 1;
        return;
    }
    bh_wbuf_u32(b, (uint32_t)n);
    bh_wbuf_bytes(b, s, n);
    bh_wbuf_u8(b, 0);
}

void bh_wbuf_str(bh_wbuf *b, const char *s)
{
    if (s == NULL)
        s = "";
    bh_wbuf_strn(b, s, strlen(s));
}

size_t bh_wbuf_frame_begin(bh_wbuf *b)
{
    size_t at = b->len;
    bh_wbuf_u32(b, 0);
    return at;
}

void bh_wbuf_frame_end(bh_wbuf *b, size_t begin)
{
    if (b->failed || begin + 4 > b->len)
        return;
    size_t n = b->len - begin - 4;
    if (n > UINT32_MAX) {
        b->failed = 1;
        return;
    }
    bh_wire_put_u32(b->data + begin, (uint32_t)n);
}

static const uint8_t *take(bh_rbuf *r, size_t n)
{
    if (r->failed || (size_t)(r->end - r->p) < n) {
        r->failed = 1;
        return NULL;
    }
    const uint8_t *at = r->p;
    r->p += n;
    return at;
}

uint8_t bh_rbuf_u8(bh_rbuf *r)
{
    const uint8_t *p = take(r, 1);
    return p ? p[0] : 0;
}

uint16_t bh_rbuf_u16(bh_rbuf *r)
{
    const uint8_t *p = take(r, 2);
    return p ? (uint16_t)(p[0] | (p[1] << 8)) : 0;
}

uint32_t bh_rbuf_u32(bh_rbuf *r)
{
    const uint8_t *p = take(r, 4);
    return p ? bh_wire_get_u32(p) : 0;
}

int64_t bh_rbuf_i64(bh_rbuf *r)
{
    uint64_t lo = bh_rbuf_u32(r);
    uint64_t hi = bh_rbuf_u32(r);
    return (int64_t)(lo | hi << 32);
}

const char *bh_rbuf_str(bh_rbuf *r, size_t *len)
{
    uint32_t n = bh_rbuf_u32(r);
    const uint8_t *p = r->failed ? NULL : take(r, (size_t)n + 1);
    if (p == NULL || p[n] != 0 || memchr(p, 0, n) != NULL) {
        r->failed = 1;
        if (len != NULL)
            *len = 0;
        return "";
    }
    if (len != NULL)
        *len = n;
    return (const char *)p;
}
