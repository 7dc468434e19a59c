/*
 * escape.c - printable forms of untrusted text (see baton/escape.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "baton/escape.h"
#include "visibility.h"

/* Decodes one shortest-form UTF-8 sequence at s (at most n bytes); returns
 * its length and the code point, or 0 when the bytes are not valid UTF-8. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2, c = s[0] & 0x1F, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, c = s[0] & 0x0F, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Code points that are valid but must not be shown as themselves. */
static int hidden(uint32_t c)
{
    return (c >= 0x80 && c <= 0x9F) || c == 0x061C || c == 0x180E || (c >= 0x200B && c <= 0x200F) ||
           c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF ||
           (c >= 0xFFF9 && c <= 0xFFFB) || (c >= 0xE0000 && c <= 0xE007F);
}

/* The escape for the unit at s: fills esc and returns the bytes consumed;
 * *plain is set when the unit passes unchanged (esc unused). */
static size_t unit(const unsigned char *s, size_t n, char esc[16], int *plain)
{
    uint32_t c;
    size_t k = utf8_decode(s, n, &c);
    *plain = 0;
    if (k == 0) {
        snprintf(esc, 16, "\\x%02x", s[0]);
        return 1;
    }
    if (c == '\\') {
        memcpy(esc, "\\\\", 3);
    } else if (c == '\n') {
        memcpy(esc, "\\n", 3);
    } else if (c == '\r') {
        memcpy(esc, "\\r", 3);
    } else if (c == '\t') {
        memcpy(esc, "\\t", 3);
    } else if (c < 0x20 || c == 0x7F) {
        snprintf(esc, 16, "\\x%02x", (unsigned)c);
    } else if (hidden(c)) {
        if (c > 0xFFFF)
            snprintf(esc, 16, "\\U%08x", (unsigned)c);
        else
            snprintf(esc, 16, "\\u%04x", (unsigned)c);
    } else {
        *plain = 1;
    }
    return k;
}

/* Length of the escaped form of in[0..len). */
static size_t escaped_len(const unsigned char *s, size_t len)
{
    size_t i = 0, n = 0;
    while (i < len) {
        char esc[16];
        int plain;
        size_t k = unit(s + i, len - i, esc, &plain);
        n += plain ? k : strlen(esc);
        i += k;
    }
    return n;
}

BATON_API size_t baton_escape(const char *in, size_t len, char *out, size_t outlen)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0, o = 0;
    if (outlen == 0)
        return 0;
    /* When it does not all fit, keep room for "..." after the last piece. */
    size_t reserve = escaped_len(s, len) + 1 > outlen ? 3 : 0;
    while (i < len) {
        char esc[16];
        int plain;
        size_t k = unit(s + i, len - i, esc, &plain);
        const char *piece = plain ? in + i : esc;
        size_t pl = plain ? k : strlen(esc);
        if (o + pl + reserve + 1 > outlen)
            break;
        memcpy(out + o, piece, pl);
        o += pl;
        i += k;
    }
    if (i < len) {
        size_t room = outlen - 1 - o < 3 ? outlen - 1 - o : 3;
        memcpy(out + o, "...", room);
        o += room;
    }
    out[o] = '\0';
    return o;
}

BATON_API int baton_escape_clean(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        char esc[16];
        int plain;
        i += unit((const unsigned char *)s + i, len - i, esc, &plain);
        if (!plain)
            return 0;
    }
    return 1;
}
