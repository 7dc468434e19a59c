/*
 * utf8.h - decoding one UTF-8 sequence, for the SDK's name and text rules
 * (bagit.c, names.c, docindex.c). Internal: not part of the public API.
 */
#ifndef BATON_UTF8_H
#define BATON_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one UTF-8 sequence at s (n bytes left); returns its length and
 * the code point, or 0 when the bytes are not shortest-form UTF-8 (or are
 * a surrogate or above U+10FFFF, or n is 0). */
size_t baton__utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

#endif
