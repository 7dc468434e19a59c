/*
 * b64.h - strict base64 for the key, signature and header formats.
 *
 * Owns: encoding with the standard alphabet (padded for minisign, unpadded
 * for age) and decoding that accepts only the canonical encoding: no
 * whitespace, no characters outside the alphabet, the padding the variant
 * demands, and zero unused bits in the last character.
 *
 * Does not own: line wrapping (the callers' formats decide that).
 */
#ifndef BATON_B64_H
#define BATON_B64_H

#include <stddef.h>
#include <stdint.h>

/* Length of the encoding of n bytes, without NUL. */
size_t baton__b64_encoded_len(size_t n, int padded);

/* Writes the encoding of in[0..n) and a NUL to out, which must hold
 * baton__b64_encoded_len(n, padded) + 1 bytes. */
void baton__b64_encode(char *out, const uint8_t *in, size_t n, int padded);

/* Decodes s[0..len) into out (room for outmax bytes); *outlen gets the byte
 * count. Returns 0, or BATON_EINVAL for anything but the canonical encoding
 * (or when it does not fit in outmax). */
int baton__b64_decode(const char *s, size_t len, uint8_t *out, size_t outmax, size_t *outlen,
                      int padded);

#endif
