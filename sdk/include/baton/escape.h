/*
 * baton/escape.h - text from outside (a package's entry names, its
 * case.json, a sender's bag-info) made safe to print.
 *
 * Owns one rule: what may reach a terminal, a log line or an error message
 * unchanged. Printable ASCII and printable, valid UTF-8 pass; everything
 * else is written as an escape, so a name can neither end a line, start a
 * terminal escape sequence, reorder what follows it, nor smuggle bytes that
 * are not UTF-8:
 *
 *   backslash                        \\
 *   C0 controls, DEL                 \n \r \t, else \xNN (e.g. ESC = \x1b)
 *   invalid or overlong UTF-8        \xNN per byte
 *   C1 controls U+0080..U+009F,
 *   line/paragraph separators U+2028/U+2029,
 *   invisible and direction-changing
 *   format characters (U+061C, U+180E, U+200B..U+200F, U+202A..U+202E,
 *   U+2060..U+2064, U+2066..U+2069, U+FEFF, U+FFF9..U+FFFB,
 *   U+E0000..U+E007F tags)           \uXXXX / \UXXXXXXXX
 *
 * Does not own: what a name may be (bagit.h), JSON string escaping (the
 * JSON writer does that on top of this).
 */
#ifndef BATON_ESCAPE_H
#define BATON_ESCAPE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Writes the escaped form of in[0..len) into out (outlen > 0), always
 * NUL-terminated. When out is too small the text is cut before an escape,
 * never inside one, and ends with "..." . Returns the length written
 * (without the NUL).
 */
size_t baton_escape(const char *in, size_t len, char *out, size_t outlen);

/* 1 when baton_escape would leave s[0..len) unchanged, else 0. */
int baton_escape_clean(const char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif
