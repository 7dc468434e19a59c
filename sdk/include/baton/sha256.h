/*
 * baton/sha256.h - streaming SHA-256 for bulk data (manifests, payloads).
 *
 * Owns: an incremental SHA-256 context backed by OpenSSL's libcrypto, which
 * uses the CPU's SHA extensions where present (several times faster than a
 * portable implementation on large files), plus one-shot helpers for a
 * buffer and a file, and lower-case hex formatting.
 *
 * Does not own: HMAC or any keyed use of SHA-256 (see the age and minisign
 * modules); reading archives or manifests.
 *
 * All functions return 0 or a negative BATON_E* code.
 */
#ifndef BATON_SHA256_H
#define BATON_SHA256_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BATON_SHA256_BYTES   32
#define BATON_SHA256_HEX_LEN 64 /* without the terminating NUL */

typedef struct baton_sha256 baton_sha256;

/* Allocates a context ready for updates. Caller frees with baton_sha256_free. */
int baton_sha256_new(baton_sha256 **out);

/* Feeds len bytes; data may be NULL when len is 0. */
int baton_sha256_update(baton_sha256 *h, const void *data, size_t len);

/* Writes the digest and resets the context so it can hash a new message. */
int baton_sha256_final(baton_sha256 *h, uint8_t out[BATON_SHA256_BYTES]);

/* Discards everything fed so far. */
int baton_sha256_reset(baton_sha256 *h);

/* Frees the context; NULL is allowed. */
void baton_sha256_free(baton_sha256 *h);

/* One-shot digest of a buffer. */
int baton_sha256_buffer(const void *data, size_t len, uint8_t out[BATON_SHA256_BYTES]);

/* One-shot digest of a file, read in bounded chunks. BATON_ENOENT or
 * BATON_EIO with detail in err on failure. */
int baton_sha256_file(const char *path, uint8_t out[BATON_SHA256_BYTES], char *err, size_t errlen);

/* Lower-case hex of a digest, NUL-terminated (65 bytes). */
void baton_sha256_hex(const uint8_t digest[BATON_SHA256_BYTES], char out[BATON_SHA256_HEX_LEN + 1]);

#ifdef __cplusplus
}
#endif

#endif
