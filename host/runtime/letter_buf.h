/*
 * letter_buf.h - the growable byte buffer the text and HTML letter
 * renderers write into. Internal to the letter renderers; not an API.
 *
 * A buffer starts zeroed ({0}); every append keeps it NUL-terminated and
 * returns 0 or BATON_ENOMEM (after which the buffer is unchanged). The owner
 * frees data with free(), or hands it on.
 */
#ifndef BH_LETTER_BUF_H
#define BH_LETTER_BUF_H

#include <stdlib.h>
#include <string.h>

#include "baton/error.h"

typedef struct bh_lbuf {
    char *data;
    size_t len, cap;
} bh_lbuf;

static inline int bh_lbuf_add(bh_lbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap != 0 ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (p == NULL)
            return BATON_ENOMEM;
        b->data = p;
        b->cap = cap;
    }
    if (n != 0)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

static inline int bh_lbuf_str(bh_lbuf *b, const char *s)
{
    return bh_lbuf_add(b, s, strlen(s));
}

static inline int bh_lbuf_repeat(bh_lbuf *b, char c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (bh_lbuf_add(b, &c, 1) != 0)
            return BATON_ENOMEM;
    }
    return 0;
}

/* Number of code points in the first n bytes of UTF-8 text (the text
 * renderer's notion of width: one column per code point). */
static inline size_t bh_utf8_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            w++;
    }
    return w;
}

#endif
