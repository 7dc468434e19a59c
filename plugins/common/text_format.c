/*
 * text_format.c - printf-style texts without printf (see text_format.h).
 */
#include "text_format.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "baton/error.h"

/* The output: buf holds at most cap - 1 bytes and a NUL; bytes past that
 * are dropped, as snprintf drops them. */
typedef struct out {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, const char *s, size_t n)
{
    size_t room = o->cap - 1 - o->len;
    if (n > room)
        n = room;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void put_fill(out *o, char c, size_t n)
{
    size_t room = o->cap - 1 - o->len;
    if (n > room)
        n = room;
    memset(o->buf + o->len, c, n);
    o->len += n;
}

/* An integer as %d / %u with flags: zero or space padding to width, the
 * sign counted in the width and written before the zeros. */
static void put_int(out *o, int negative, uintmax_t mag, int zero, size_t width)
{
    char digits[24], *d = digits + sizeof digits;
    size_t n, total;
    do {
        *--d = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag != 0);
    n = (size_t)(digits + sizeof digits - d);
    total = n + (negative ? 1 : 0);
    if (!zero && width > total)
        put_fill(o, ' ', width - total);
    if (negative)
        put(o, "-", 1);
    if (zero && width > total)
        put_fill(o, '0', width - total);
    put(o, d, n);
}

static uintmax_t magnitude(intmax_t v)
{
    return v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
}

int bpc_vformat(char *buf, size_t len, const char *fmt, va_list ap)
{
    out o = {buf, len, 0};
    int rc = 0;
    const char *whole = fmt;
    va_list from_start;
    if (len == 0)
        return 0;
    va_copy(from_start, ap);
    for (;;) {
        const char *pct = strchr(fmt, '%');
        int zero = 0, longs = 0, size = 0;
        size_t width = 0;
        if (pct == NULL) {
            put(&o, fmt, strlen(fmt));
            break;
        }
        put(&o, fmt, (size_t)(pct - fmt));
        fmt = pct + 1;
        if (*fmt == '%') {
            put(&o, "%", 1);
            fmt++;
            continue;
        }
        if (*fmt == '0') {
            zero = 1;
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (size_t)(*fmt++ - '0');
        if (*fmt == 'z') {
            size = 1;
            fmt++;
        } else {
            while (*fmt == 'l' && longs < 2) {
                longs++;
                fmt++;
            }
        }
        if (*fmt == 's' && !zero && width == 0 && !size && longs == 0) {
            const char *s = va_arg(ap, const char *);
            if (s == NULL)
                s = "(null)";
            put(&o, s, strlen(s));
        } else if (*fmt == 'd' && !size) {
            intmax_t v = longs == 2   ? (intmax_t)va_arg(ap, long long)
                         : longs == 1 ? (intmax_t)va_arg(ap, long)
                                      : (intmax_t)va_arg(ap, int);
            put_int(&o, v < 0, magnitude(v), zero, width);
        } else if (*fmt == 'u') {
            uintmax_t v = size         ? (uintmax_t)va_arg(ap, size_t)
                          : longs == 2 ? (uintmax_t)va_arg(ap, unsigned long long)
                          : longs == 1 ? (uintmax_t)va_arg(ap, unsigned long)
                                       : (uintmax_t)va_arg(ap, unsigned);
            put_int(&o, 0, v, zero, width);
        } else if (*fmt == '\0') {
            rc = BATON_EINVAL; /* a lone '%' at the end: no conversion at all */
            break;
        } else {
            /* A conversion this formatter does not write: the C library
             * writes the whole text instead, slower but the same. */
            vsnprintf(buf, len, whole, from_start);
            va_end(from_start);
            return 0;
        }
        fmt++;
    }
    va_end(from_start);
    buf[o.len] = '\0';
    return rc;
}

int bpc_format(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = bpc_vformat(buf, len, fmt, ap);
    va_end(ap);
    return rc;
}

int bpc_format_append(char *buf, size_t len, const char *fmt, ...)
{
    size_t used = len > 0 ? strlen(buf) : 0;
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = bpc_vformat(buf + used, len - used, fmt, ap);
    va_end(ap);
    return rc;
}
