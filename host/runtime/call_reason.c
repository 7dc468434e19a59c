/* call_reason.c - the per-thread reason of the last refused host call (call_reason.h). */
#include "call_reason.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char reason[BH_REASON_MAX];

/* Length of the UTF-8 sequence a lead byte starts (1 for anything else). */
static size_t utf8_len(unsigned char c)
{
    if (c >= 0xf0)
        return 4;
    if (c >= 0xe0)
        return 3;
    return c >= 0xc0 ? 2 : 1;
}

/* A reason cut short by its buffer must not end inside a UTF-8 sequence:
 * it reaches JSON answers. */
static void trim_partial_utf8(char *s, size_t n)
{
    size_t i = n;
    while (i > 0 && n - i < 4 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
        i--;
    if (i > 0 && (unsigned char)s[i - 1] >= 0xc0 && i - 1 + utf8_len((unsigned char)s[i - 1]) > n)
        s[i - 1] = '\0';
}

int bh_refuse(int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof reason)
        trim_partial_utf8(reason, sizeof reason - 1);
    return rc;
}

void bh_reason_clear(void)
{
    reason[0] = '\0';
}

const char *bh_reason_last(void)
{
    return reason;
}

const char *bh_reason_quote(const char *s, char *buf, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0, i;
    if (len == 0)
        return buf;
    if (s == NULL) {
        snprintf(buf, len, "NULL");
        return buf;
    }
    /* Room for the closing quote, "..." and the NUL. */
    if (len < 8) {
        buf[0] = '\0';
        return buf;
    }
    buf[o++] = '"';
    for (i = 0; s[i] != '\0'; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[5];
        size_t n = 0;
        /* Cut only before a character (never inside one), keeping room
         * for a whole 4-byte character, the closing "..." and the NUL. */
        if ((c & 0xc0) != 0x80 && (i >= 48 || o + 4 + 4 + 5 > len)) {
            memcpy(buf + o, "\"...", 4);
            o += 4;
            buf[o] = '\0';
            return buf;
        }
        if (c == '"' || c == '\\') {
            esc[n++] = '\\';
            esc[n++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            esc[n++] = '\\';
            esc[n++] = 'x';
            esc[n++] = hex[c >> 4];
            esc[n++] = hex[c & 15];
        } else {
            esc[n++] = (char)c;
        }
        memcpy(buf + o, esc, n);
        o += n;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

void bh_reason_sanitize(const char *in, char *out, size_t len)
{
    size_t i = 0, o = 0;
    if (len == 0)
        return;
    while (in[i] != '\0' && o + 1 < len) {
        unsigned char c = (unsigned char)in[i];
        size_t n = utf8_len(c), k;
        int ok = c >= 0x20 && c != 0x7f && (c < 0x80 || c >= 0xc2) && c < 0xf5;
        for (k = 1; ok && k < n; k++)
            ok = ((unsigned char)in[i + k] & 0xc0) == 0x80;
        /* Overlongs, surrogates and values past U+10FFFF (RFC 3629). */
        if (ok && n == 3) {
            unsigned char d = (unsigned char)in[i + 1];
            ok = !(c == 0xe0 && d < 0xa0) && !(c == 0xed && d >= 0xa0);
        } else if (ok && n == 4) {
            unsigned char d = (unsigned char)in[i + 1];
            ok = !(c == 0xf0 && d < 0x90) && !(c == 0xf4 && d >= 0x90);
        }
        if (!ok || o + n >= len) {
            if (!ok)
                out[o++] = '?';
            else
                break;
            i++;
            continue;
        }
        for (k = 0; k < n; k++)
            out[o++] = in[i + k];
        i += n;
    }
    out[o] = '\0';
}
