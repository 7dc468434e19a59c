/*
 * baton/age.h - age v1 encryption to X25519 recipients, byte-compatible with
 * the age reference tools (checked against age 1.1.1) and conformant to the
 * C2SP age test vectors for X25519 identities.
 *
 * Owns: X25519 identities and recipients, their Bech32 text forms
 * ("age1..." and "AGE-SECRET-KEY-1..."), identity files as age-keygen writes
 * them, and the age v1 file format: header (stanzas, HMAC-SHA256 MAC) and the
 * STREAM payload (64 KiB ChaCha20-Poly1305 chunks), as a streaming writer
 * and a streaming reader with bounded memory.
 *
 * Does not own: scrypt (passphrase) recipients, SSH recipients, plugins,
 * ASCII armor; choosing recipients; what the plaintext means.
 *
 * Reading is strict: canonical unpadded base64 in the header, 64-column
 * stanza body lines, exactly one X25519 stanza shape, a MAC over the header,
 * low-order shared secrets refused, chunk rules (only an empty payload may
 * end in an empty chunk, a full last chunk is allowed, nothing may follow the
 * last chunk).
 *
 * Release semantics of the decryptor: a chunk is handed to the write
 * callback only after its Poly1305 tag verified, but the stream as a whole
 * (truncation, trailing data) is only known good when baton_age_decrypt_final
 * returns 0. Until then the caller must treat what it received as untrusted
 * (write it to a temporary place and discard it on error).
 *
 * All functions return 0 or a negative BATON_E* code with detail in err
 * (may be NULL); they never print. Identities live in sodium_malloc memory
 * and are wiped when freed.
 */
#ifndef BATON_AGE_H
#define BATON_AGE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BATON_AGE_KEY_BYTES     32
#define BATON_AGE_RECIPIENT_LEN 62 /* "age1" + 58 Bech32 chars, no NUL */
#define BATON_AGE_IDENTITY_LEN  74 /* "AGE-SECRET-KEY-1" + 58 chars, no NUL */
#define BATON_AGE_CHUNK_BYTES   65536

typedef struct baton_age_recipient {
    uint8_t pk[BATON_AGE_KEY_BYTES]; /* X25519 public key */
} baton_age_recipient;

/* Opaque; lives in sodium_malloc memory. */
typedef struct baton_age_identity baton_age_identity;

/* I/O callbacks. write: consume all len bytes, return 0 or a negative
 * BATON_E* code (which is passed back to the caller). read: fill up to cap
 * bytes, return the count (0 only at end of input) or a negative code. */
typedef int (*baton_age_write_fn)(void *ctx, const uint8_t *data, size_t len);
typedef long (*baton_age_read_fn)(void *ctx, uint8_t *buf, size_t cap);

/* Ready-made callbacks over a file descriptor; ctx points to an int fd. */
int baton_age_fd_write(void *ctx, const uint8_t *data, size_t len);
long baton_age_fd_read(void *ctx, uint8_t *buf, size_t cap);

/* ---- identities and recipients ------------------------------------------ */

/* New random X25519 identity. Caller frees with baton_age_identity_free. */
int baton_age_identity_generate(baton_age_identity **out, char *err, size_t errlen);

/* Wipes and frees; NULL is allowed. */
void baton_age_identity_free(baton_age_identity *id);

/* The recipient (public key) of an identity. */
void baton_age_identity_recipient(const baton_age_identity *id, baton_age_recipient *out);

/* Parses "AGE-SECRET-KEY-1..." (upper case only, as age requires; exact
 * length, valid Bech32 checksum, 32-byte payload). Caller frees *out with
 * baton_age_identity_free. */
int baton_age_identity_parse(const char *s, size_t len, baton_age_identity **out, char *err,
                             size_t errlen);

/* Writes the identity string, NUL-terminated. out is secret: wipe it
 * (sodium_memzero) when done. */
void baton_age_identity_encode(const baton_age_identity *id, char out[BATON_AGE_IDENTITY_LEN + 1]);

/* Identity file text exactly as age-keygen writes it:
 *   "# created: 2006-01-02T15:04:05Z07:00\n" (RFC 3339, local zone)
 *   "# public key: age1...\n" "AGE-SECRET-KEY-1...\n".
 * created 0 means now. Caller frees *out with baton_age_text_free. */
int baton_age_identity_file_encode(const baton_age_identity *id, time_t created, char **out,
                                   size_t *outlen, char *err, size_t errlen);

/* Parses identity file text as age does: one identity per line, lines that
 * are empty or start with '#' ignored, a trailing CR tolerated; anything else
 * is an error naming the line. At least one identity is required.
 * Caller frees with baton_age_identities_free(*out, *n). */
int baton_age_identities_parse(const char *text, size_t len, baton_age_identity ***out, size_t *n,
                               char *err, size_t errlen);
void baton_age_identities_free(baton_age_identity **ids, size_t n);

/* File variants. save creates the file with mode 0600 and fails with
 * BATON_EEXIST if it exists (unless overwrite is non-zero). */
int baton_age_identity_save(const baton_age_identity *id, const char *path, int overwrite,
                            char *err, size_t errlen);
int baton_age_identities_load(const char *path, baton_age_identity ***out, size_t *n, char *err,
                              size_t errlen);

/* Parses "age1..." (lower case only; exact length, checksum, 32 bytes). */
int baton_age_recipient_parse(const char *s, size_t len, baton_age_recipient *out, char *err,
                              size_t errlen);

/* Writes "age1...", NUL-terminated. */
void baton_age_recipient_encode(const baton_age_recipient *r,
                                char out[BATON_AGE_RECIPIENT_LEN + 1]);

/* Wipes (up to its NUL) and frees text handed out by this module. */
void baton_age_text_free(char *text);

/* ---- encryption (streaming writer) ---------------------------------------- */

typedef struct baton_age_encryptor baton_age_encryptor;

/* Starts an age file to n >= 1 recipients (at most 64): a fresh file key,
 * one X25519 stanza each, the header MAC and the payload nonce are written
 * through write right away. Caller frees *out with baton_age_encrypt_free
 * (also after a failure). Recipients are copied. */
int baton_age_encrypt_init(baton_age_encryptor **out, const baton_age_recipient *recipients,
                           size_t n, baton_age_write_fn write, void *ctx, char *err, size_t errlen);

/* Encrypts len bytes; full 64 KiB chunks are written as they fill. The last
 * full chunk is held back until more data or final() shows whether it is
 * the last one. */
int baton_age_encrypt_update(baton_age_encryptor *e, const void *data, size_t len, char *err,
                             size_t errlen);

/* Writes the last chunk. After this, update() and final() fail. */
int baton_age_encrypt_final(baton_age_encryptor *e, char *err, size_t errlen);

/* Wipes keys and frees; NULL is allowed. */
void baton_age_encrypt_free(baton_age_encryptor *e);

/* ---- decryption (streaming reader) --------------------------------------- */

typedef struct baton_age_decryptor baton_age_decryptor;

/* Reads and checks the header through read, unwraps the file key with the
 * first identity that matches and verifies the header MAC. Identities are
 * borrowed: they must outlive the call only. Errors:
 *   BATON_EINVAL  malformed header (syntax, base64, stanza shape, low-order
 *                 share, missing payload nonce) - "header failure";
 *   BATON_ENOENT  well-formed, but no identity matches;
 *   BATON_ECRYPTO the header MAC does not verify;
 *   BATON_EIO or a callback's code: reading failed.
 * Caller frees *out with baton_age_decrypt_free (also after a failure). */
int baton_age_decrypt_init(baton_age_decryptor **out, baton_age_identity *const *ids, size_t n,
                           baton_age_read_fn read, void *rctx, baton_age_write_fn write, void *wctx,
                           char *err, size_t errlen);

/* Decrypts one chunk and hands its plaintext to write. Returns 1 when more
 * chunks may follow, 0 when the last chunk verified and the input ended
 * there, negative on failure (BATON_ECRYPTO for a bad tag, BATON_EINVAL for
 * a truncated or over-long stream). */
int baton_age_decrypt_update(baton_age_decryptor *d, char *err, size_t errlen);

/* Runs update() until the end. 0 means the whole payload authenticated. */
int baton_age_decrypt_final(baton_age_decryptor *d, char *err, size_t errlen);

/* Wipes keys and frees; NULL is allowed. */
void baton_age_decrypt_free(baton_age_decryptor *d);

/* ---- one-shot helpers over memory ----------------------------------------- */

/* Caller frees *out with free(). */
int baton_age_encrypt_buffer(const baton_age_recipient *recipients, size_t n, const void *data,
                             size_t len, uint8_t **out, size_t *outlen, char *err, size_t errlen);

/* Caller frees *out with free(). On failure nothing is returned (no
 * partial plaintext). */
int baton_age_decrypt_buffer(baton_age_identity *const *ids, size_t n, const void *data, size_t len,
                             uint8_t **out, size_t *outlen, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
