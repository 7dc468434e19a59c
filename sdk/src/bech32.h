/*
 * bech32.h - Bech32 (BIP-173, the original checksum constant 1) for age keys.
 *
 * Owns: encoding 8-bit data under a human-readable part, and decoding with
 * all of BIP-173's checks (character range, no mixed case, separator,
 * checksum, padding of the 5-to-8-bit conversion). The 90-character limit of
 * BIP-173 is enforced; age keys are shorter.
 *
 * Does not own: which HRP a caller expects, or its case (age wants "age" in
 * lower case for recipients and "AGE-SECRET-KEY-" in upper case for
 * identities; the caller compares the returned HRP).
 */
#ifndef BATON_BECH32_H
#define BATON_BECH32_H

#include <stddef.h>
#include <stdint.h>

#define BATON_BECH32_MAX 90

/* Encodes data under hrp (given in lower case) into out (room for outmax
 * bytes including NUL); upper != 0 upper-cases the whole string. Returns 0,
 * or BATON_EINVAL when the result would not fit or exceed 90 characters. */
int baton__bech32_encode(char *out, size_t outmax, const char *hrp, const uint8_t *data, size_t len,
                         int upper);

/* Decodes s[0..len). hrp receives the human-readable part as written
 * (NUL-terminated, room for hrpmax bytes); data receives the 8-bit payload.
 * Returns 0 or BATON_EINVAL. */
int baton__bech32_decode(const char *s, size_t len, char *hrp, size_t hrpmax, uint8_t *data,
                         size_t datamax, size_t *datalen);

#endif
