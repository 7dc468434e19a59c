/*
 * text_format.c - printf-style texts without printf (see text_format.h).
 *
 * The straight path: a template's literal runs are found with one
 * strchrnul each (the run's end and the template's end in one call) and
 * copied without a call when short; %s, %d, %zu, %ld, %lld and %% are
 * written from a switch on the byte after '%', with no flag parsing, and
 * so is a zero-padded %d of width 1 to 9. Everything else (a space-padded
 * width, "%lu", "%04u") takes the general parser
 * below it, and a conversion neither knows is left to vsnprintf, whole.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strchrnul */
#endif
#include "text_format.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "baton/error.h"

/* The first '%' of s, or its NUL. Runs of none or one byte (a template's
 * end right after a conversion, "-" between two) are common and looked at
 * here before a call. */
static inline const char *next_pct(const char *s)
{
    if (s[0] == '%' || s[0] == '\0')
        return s;
    if (s[1] == '%' || s[1] == '\0')
        return s + 1;
#if defined(__GLIBC__) || defined(__linux__)
    return strchrnul(s + 2, '%');
#else
    const char *p = strchr(s + 2, '%');
    return p != NULL ? p : s + 2 + strlen(s + 2);
#endif
}

/* n bytes from s to d, n at most 16, without a call: two overlapping
 * moves of the largest power of two not above n. */
static inline void copy_short(char *d, const char *s, size_t n)
{
    if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        memcpy(d, &a, 8);
        memcpy(d + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(d, &a, 4);
        memcpy(d + n - 4, &b, 4);
    } else if (n > 0) {
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}

/* Writes n bytes of s at o, as many as fit before end (the NUL's place),
 * as snprintf drops what does not fit. Returns the new end of the text. */
static inline char *put(char *o, char *end, const char *s, size_t n)
{
    size_t room = (size_t)(end - o);
    if (n > room)
        n = room;
    if (n <= 16)
        copy_short(o, s, n);
    else
        memcpy(o, s, n);
    return o + n;
}

static char *put_fill(char *o, char *end, char c, size_t n)
{
    size_t room = (size_t)(end - o);
    if (n > room)
        n = room;
    memset(o, c, n);
    return o + n;
}

static const char two_digits[201] = "00010203040506070809"
                                    "10111213141516171819"
                                    "20212223242526272829"
                                    "30313233343536373839"
                                    "40414243444546474849"
                                    "50515253545556575859"
                                    "60616263646566676869"
                                    "70717273747576777879"
                                    "80818283848586878889"
                                    "90919293949596979899";

/* The decimal digits of mag, ending at e (two a step); returns their start. */
static inline char *digits_of(uintmax_t mag, char *e)
{
    while (mag >= 100) {
        unsigned r = (unsigned)(mag % 100);
        mag /= 100;
        e -= 2;
        memcpy(e, two_digits + 2 * r, 2);
    }
    if (mag >= 10) {
        e -= 2;
        memcpy(e, two_digits + 2 * mag, 2);
    } else {
        *--e = (char)('0' + mag);
    }
    return e;
}

/* An integer without flags or width: the sign, then the digits. */
static inline char *put_plain_int(char *o, char *end, int negative, uintmax_t mag)
{
    char digits[24], *e = digits + sizeof digits, *d = digits_of(mag, e);
    if (negative)
        *--d = '-';
    return put(o, end, d, (size_t)(e - d));
}

/* An integer as %d / %u with flags: zero or space padding to width, the
 * sign counted in the width and written before the zeros. */
static char *put_int(char *o, char *end, int negative, uintmax_t mag, int zero, size_t width)
{
    char digits[24], *e = digits + sizeof digits, *d = digits_of(mag, e);
    size_t n = (size_t)(e - d), total = n + (negative ? 1 : 0);
    if (!zero && width > total)
        o = put_fill(o, end, ' ', width - total);
    if (negative)
        o = put(o, end, "-", 1);
    if (zero && width > total)
        o = put_fill(o, end, '0', width - total);
    return put(o, end, d, n);
}

static uintmax_t magnitude(intmax_t v)
{
    return v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
}

int bpc_vformat(char *buf, size_t len, const char *fmt, va_list ap)
{
    char *o = buf, *end;
    int rc = 0;
    const char *whole = fmt;
    va_list from_start;
    if (len == 0)
        return 0;
    end = buf + len - 1;
    va_copy(from_start, ap);
    for (;;) {
        const char *pct = next_pct(fmt);
        int zero = 0, longs = 0, size = 0;
        size_t width = 0;
        o = put(o, end, fmt, (size_t)(pct - fmt));
        if (*pct == '\0')
            break;
        fmt = pct + 1;
        /* The straight path: the conversions the plugins' texts use. */
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL)
                s = "(null)";
            o = put(o, end, s, strlen(s));
            fmt++;
            continue;
        }
        case 'd': {
            int v = va_arg(ap, int);
            o = put_plain_int(o, end, v < 0, magnitude(v));
            fmt++;
            continue;
        }
        case 'z':
            if (fmt[1] == 'u') {
                o = put_plain_int(o, end, 0, va_arg(ap, size_t));
                fmt += 2;
                continue;
            }
            break;
        case 'l':
            if (fmt[1] == 'l' && fmt[2] == 'd') {
                long long v = va_arg(ap, long long);
                o = put_plain_int(o, end, v < 0, magnitude(v));
                fmt += 3;
                continue;
            }
            if (fmt[1] == 'd') {
                long v = va_arg(ap, long);
                o = put_plain_int(o, end, v < 0, magnitude(v));
                fmt += 2;
                continue;
            }
            break;
        case '%':
            o = put(o, end, "%", 1);
            fmt++;
            continue;
        case '0': /* "%02d", "%04d": dates' parts */
            if (fmt[1] >= '1' && fmt[1] <= '9' && fmt[2] == 'd') {
                int v = va_arg(ap, int);
                o = put_int(o, end, v < 0, magnitude(v), 1, (size_t)(fmt[1] - '0'));
                fmt += 3;
                continue;
            }
            break;
        default:
            break;
        }
        /* The general parser: a '0' flag, a width, a length. */
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
            o = put(o, end, s, strlen(s));
        } else if (*fmt == 'd' && !size) {
            intmax_t v = longs == 2   ? (intmax_t)va_arg(ap, long long)
                         : longs == 1 ? (intmax_t)va_arg(ap, long)
                                      : (intmax_t)va_arg(ap, int);
            o = put_int(o, end, v < 0, magnitude(v), zero, width);
        } else if (*fmt == 'u') {
            uintmax_t v = size         ? (uintmax_t)va_arg(ap, size_t)
                          : longs == 2 ? (uintmax_t)va_arg(ap, unsigned long long)
                          : longs == 1 ? (uintmax_t)va_arg(ap, unsigned long)
                                       : (uintmax_t)va_arg(ap, unsigned);
            o = put_int(o, end, 0, v, zero, width);
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
    *o = '\0';
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
