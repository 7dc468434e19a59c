/*
 * text_format.h - the texts of findings, cost labels and facts written
 * from a printf-style template, without the C library's printf.
 *
 * Owns: a small formatter for the conversions the in-tree plugins use,
 * with snprintf's output byte for byte (a unit test compares the two) and
 * snprintf's truncation (cut at len - 1 bytes, always NUL-terminated).
 * glibc's vsnprintf costs about 1,000 instructions per call before the
 * first byte, and an evaluation formats a few dozen texts
 * (docs/performance.md); this one copies the template's literal runs with
 * memcpy and converts integers by hand. Does not own: what the texts say
 * (each plugin), money and dates in words (the SDK's baton/plugin_text.h).
 *
 * Conversions: %s (NULL prints "(null)", as glibc does), %d, %u, %ld,
 * %lld, %zu, each integer with an optional '0' flag and width ("%02d",
 * "%04u"), and %%. Anything else (a precision, %f, %x, '-', '+') is
 * written by the C library's vsnprintf instead, whole: slower, never
 * different (most callers do not check the return). Only a template
 * ending in a lone '%' is refused, with BATON_EINVAL.
 *
 * Not SDK ABI: compiled into each in-tree plugin (see dated_table.h).
 */
#ifndef BATON_PLUGIN_COMMON_TEXT_FORMAT_H
#define BATON_PLUGIN_COMMON_TEXT_FORMAT_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/*
 * Writes fmt with its arguments into buf (len bytes, NUL-terminated, cut
 * short like snprintf when too long). Returns 0, or BATON_EINVAL for a
 * template ending in a lone '%' (see above).
 */
int bpc_format(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int bpc_vformat(char *buf, size_t len, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/*
 * Appends fmt to the NUL-terminated text in buf (len bytes in all), the
 * way snprintf(buf + strlen(buf), len - strlen(buf), ...) would. Returns
 * as bpc_format.
 */
int bpc_format_append(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Writes n bytes of s at buf + at, behind a text of at bytes, as much as
 * fits in len bytes with the NUL: what snprintf(buf + at, len - at, "%s",
 * s) writes, cut short the same way. Returns the text's new length.
 * Nothing is written when at >= len (len > 0 and at <= len - 1 for any
 * text this wrote). For fact keys built from parts ("params." name
 * ".version") without a template: BPC_PUT_LIT takes a literal's length
 * when compiled.
 */
static inline size_t bpc_put_at(char *buf, size_t len, size_t at, const char *s, size_t n)
{
    if (at >= len)
        return at;
    if (n > len - 1 - at)
        n = len - 1 - at;
    memcpy(buf + at, s, n);
    buf[at + n] = '\0';
    return at + n;
}

#define BPC_PUT_LIT(buf, len, at, lit) bpc_put_at((buf), (len), (at), "" lit, sizeof(lit) - 1)

#endif
