/*
 * hkdf.h - HKDF-SHA256 (RFC 5869), built on libsodium's HMAC-SHA256 because
 * libsodium 1.0.18 has no HKDF.
 *
 * Owns: extract-then-expand key derivation. Does not own: what the derived
 * keys are used for (age header MAC, stanza wrap keys, payload keys).
 */
#ifndef BATON_HKDF_H
#define BATON_HKDF_H

#include <stddef.h>
#include <stdint.h>

/* out[0..outlen) = HKDF-SHA256(ikm, salt, info); salt may be empty (then
 * RFC 5869's string of 32 zero bytes is used, which HMAC treats the same).
 * outlen must be at most 255 * 32. Returns 0 or BATON_EINVAL. */
int baton__hkdf_sha256(uint8_t *out, size_t outlen, const uint8_t *ikm, size_t ikmlen,
                       const uint8_t *salt, size_t saltlen, const uint8_t *info, size_t infolen);

#endif
