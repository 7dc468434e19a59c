/*
 * json_text.c - compact JSON text of a cJSON tree (see json_text.h).
 */
#include "json_text.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal_text.h"

int bh_jw_init(bh_jw *w, size_t cap)
{
    memset(w, 0, sizeof *w);
    if (cap < 64)
        cap = 64;
    w->b = malloc(cap);
    if (w->b == NULL) {
        bh_jw_fail(w);
        return -ENOMEM;
    }
    w->cap = cap;
    return 0;
}

void bh_jw_free(bh_jw *w)
{
    free(w->b);
    memset(w, 0, sizeof *w);
}

char *bh_jw_take(bh_jw *w, size_t *len)
{
    char *b = NULL;
    if (!w->failed && w->b != NULL) {
        b = w->b;
        b[w->n] = '\0'; /* bh_jw_grow() always leaves room for it */
        *len = w->n;
        w->b = NULL;
    }
    bh_jw_free(w);
    return b;
}

void bh_jw_fail(bh_jw *w)
{
    if (!w->failed)
        w->held = w->cap;
    w->failed = 1;
    w->n = 0;
    w->cap = 0; /* every room check fails from now on */
}

void bh_jw_back_to(bh_jw *w, size_t n)
{
    if (w->failed) {
        w->failed = 0;
        w->cap = w->held;
        w->held = 0;
    }
    w->n = n;
}

int bh_jw_grow(bh_jw *o, size_t more)
{
    size_t ncap;
    char *nb;
    if (o->failed)
        return -1;
    if (more < o->cap - o->n)
        return 0;
    if (more > (SIZE_MAX / 4) - o->n) {
        bh_jw_fail(o);
        return -1;
    }
    ncap = o->cap > 0 ? o->cap * 2 : 64;
    while (ncap < o->n + more + 1)
        ncap *= 2;
    nb = realloc(o->b, ncap);
    if (nb == NULL) {
        bh_jw_fail(o);
        return -1;
    }
    o->b = nb;
    o->cap = ncap;
    return 0;
}

bh_jw_span bh_jw_more(bh_jw *w, char *out, size_t need)
{
    bh_jw_span s = {NULL, NULL};
    if (w->failed)
        return s;
    bh_jw_done(w, out);
    if (bh_jw_open(w, need, &s.out, &s.limit) != 0)
        s.out = s.limit = NULL;
    return s;
}

/* 1 for the bytes a JSON string must escape: controls, '"' and '\'. */
static const unsigned char needs_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, ['\\'] = 1,
};

/* Whether any of the eight bytes in x is a control (below 0x20), '"'
 * or '\\': the classic "has a byte less than n" and "has a zero byte"
 * tests over the word. Bytes of 0x80 and above never count (UTF-8 goes
 * out as it is). */
static inline int word_needs_escape(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    uint64_t below_space = (x - ones * 0x20) & ~x;
    uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
    uint64_t quote = (q - ones) & ~q, backslash = (b - ones) & ~b;
    return ((below_space | quote | backslash) & highs) != 0;
}

/* The escape of c (one that needs_escape[] marks) written at out; the
 * end of it. cJSON's forms: \" \\ \b \f \n \r \t, else \u00XX. */
static char *put_escape(char *out, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    *out++ = '\\';
    switch (c) {
    case '"':
    case '\\':
        *out++ = (char)c;
        break;
    case '\b':
        *out++ = 'b';
        break;
    case '\f':
        *out++ = 'f';
        break;
    case '\n':
        *out++ = 'n';
        break;
    case '\r':
        *out++ = 'r';
        break;
    case '\t':
        *out++ = 't';
        break;
    default:
        memcpy(out, "u00", 3);
        out[3] = hex[c >> 4];
        out[4] = hex[c & 15];
        out += 5;
    }
    return out;
}

/*
 * The escaping scan. Most strings of an answer need no escape at all, so
 * bh_jw_put_string tests a whole string first and copies it with plain
 * stores: with SSE2 (every x86_64) sixteen bytes a compare, one mask whose
 * bits are the bytes that need an escape; shorter strings as two
 * overlapping words inside the string. No byte outside s[0..len) is read,
 * none outside the room reserved written. At the first byte that needs an
 * escape the rest goes to put_escaped, which copies the runs between
 * escapes eight bytes at a time.
 */
static __attribute__((noinline)) char *put_escaped(char *out, const unsigned char *p,
                                                   const unsigned char *end)
{
    while (p < end) {
        while (end - p >= 8) {
            uint64_t x;
            memcpy(&x, p, 8);
            if (word_needs_escape(x))
                break;
            memcpy(out, p, 8);
            p += 8;
            out += 8;
        }
        while (p < end && !needs_escape[*p])
            *out++ = (char)*p++;
        if (p < end)
            out = put_escape(out, *p++);
    }
    *out++ = '"';
    return out;
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* Bit i set when byte i of v needs an escape. */
static inline unsigned escape_mask(__m128i v)
{
    const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    /* v <= 0x1f, unsigned: min(v, 0x1f) == v */
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), control));
}

static inline __m128i load16(const unsigned char *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

char *bh_jw_put_string(char *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    *out++ = '"';
    if (len >= 16) {
        /* Sixteen bytes a step while more than sixteen are left, then the
         * string's last sixteen, stored where they belong: the bytes they
         * share with the step before are written again, the same (no
         * escape so far, so the text is a copy of the string). */
        while (end - p > 16) {
            __m128i v = load16(p);
            if (escape_mask(v) != 0)
                return put_escaped(out, p, end);
            _mm_storeu_si128((__m128i *)(void *)out, v);
            p += 16;
            out += 16;
        }
        __m128i v = load16(end - 16);
        if (escape_mask(v) != 0)
            return put_escaped(out, p, end);
        out += end - p;
        _mm_storeu_si128((__m128i *)(void *)(out - 16), v);
    } else if (len >= 4) {
        /* The first and last eight (or four) bytes, overlapping, tested
         * as one vector. */
        __m128i v;
        if (len >= 8) {
            int64_t a, b;
            memcpy(&a, p, 8);
            memcpy(&b, end - 8, 8);
            v = _mm_set_epi64x(b, a);
        } else {
            int32_t a, b;
            memcpy(&a, p, 4);
            memcpy(&b, end - 4, 4);
            v = _mm_set_epi32(b, a, b, a);
        }
        if (escape_mask(v) != 0)
            return put_escaped(out, p, end);
        out = bh_jw_put_raw(out, s, len);
    } else if (len > 0) {
        /* One to three bytes: the first, middle and last are all. */
        if (needs_escape[p[0]] | needs_escape[p[len / 2]] | needs_escape[p[len - 1]])
            return put_escaped(out, p, end);
        out = bh_jw_put_raw(out, s, len);
    }
    *out++ = '"';
    return out;
}
#else
char *bh_jw_put_string(char *out, const char *s, size_t len)
{
    *out++ = '"';
    return put_escaped(out, (const unsigned char *)s, (const unsigned char *)s + len);
}
#endif

void bh_jw_string(bh_jw *o, const char *s)
{
    const char *p = s != NULL ? s : "";
    size_t len = strlen(p);
    if (len > SIZE_MAX / 8) {
        bh_jw_fail(o);
        return;
    }
    char *out = bh_jw_room(o, BH_JW_STRING_MAX(len));
    if (out != NULL)
        bh_jw_done(o, bh_jw_put_string(out, p, len));
}

char *bh_jw_put_int(char *out, int64_t v)
{
    if (v < 0)
        *out++ = '-';
    return bh_decimal_put(out, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
}

void bh_jw_int(bh_jw *o, int64_t v)
{
    char *out = bh_jw_room(o, BH_JW_INT_MAX);
    if (out != NULL)
        bh_jw_done(o, bh_jw_put_int(out, v));
}

/* cJSON's test of whether 15 digits read back as the same number: equal
 * within one DBL_EPSILON relative to the larger magnitude. */
static int close_enough(double a, double b)
{
    double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= m * DBL_EPSILON;
}

void bh_jw_number(bh_jw *o, double d)
{
    char buf[32];
    int k;

    if (isnan(d) || isinf(d)) {
        bh_jw_lit(o, "null");
        return;
    }
    /* Integers below 2^53 print exactly as %1.15g would for up to 15
     * digits; cJSON's %1.15g/%1.17g choice gives the same digits. */
    if (d == floor(d) && fabs(d) < 1e15) {
        if (d == 0 && signbit(d))
            bh_jw_lit(o, "-0");
        else
            bh_jw_int(o, (int64_t)d);
        return;
    }
    k = snprintf(buf, sizeof(buf), "%1.15g", d);
    if (k > 0 && !close_enough(strtod(buf, NULL), d))
        k = snprintf(buf, sizeof(buf), "%1.17g", d);
    if (k > 0)
        bh_jw_raw(o, buf, (size_t)k);
}

void bh_jw_value(bh_jw *o, const cJSON *j)
{
    const cJSON *c;
    int first = 1;

    if (o->failed)
        return;
    switch (j->type & 0xFF) {
    case cJSON_NULL:
        bh_jw_lit(o, "null");
        break;
    case cJSON_False:
        bh_jw_lit(o, "false");
        break;
    case cJSON_True:
        bh_jw_lit(o, "true");
        break;
    case cJSON_Number:
        bh_jw_number(o, j->valuedouble);
        break;
    case cJSON_String:
        bh_jw_string(o, j->valuestring);
        break;
    case cJSON_Raw:
        if (j->valuestring != NULL)
            bh_jw_raw(o, j->valuestring, strlen(j->valuestring));
        else
            bh_jw_fail(o);
        break;
    case cJSON_Array:
        bh_jw_lit(o, "[");
        for (c = j->child; c != NULL; c = c->next) {
            if (!first)
                bh_jw_lit(o, ",");
            first = 0;
            bh_jw_value(o, c);
        }
        bh_jw_lit(o, "]");
        break;
    case cJSON_Object:
        bh_jw_lit(o, "{");
        for (c = j->child; c != NULL; c = c->next) {
            if (!first)
                bh_jw_lit(o, ",");
            first = 0;
            bh_jw_string(o, c->string);
            bh_jw_lit(o, ":");
            bh_jw_value(o, c);
        }
        bh_jw_lit(o, "}");
        break;
    default:
        bh_jw_fail(o);
    }
}

char *bh_json_text(const cJSON *json, size_t *len)
{
    bh_jw o;
    if (bh_jw_init(&o, 8192) != 0)
        return NULL;
    bh_jw_value(&o, json);
    return bh_jw_take(&o, len);
}
