/*
 * age_internal.h - what the age_*.c files share: the identity layout in
 * guarded memory, format constants, and the header codec used by the
 * encryptor and decryptor.
 */
#ifndef BATON_AGE_INTERNAL_H
#define BATON_AGE_INTERNAL_H

#include "fail.h"

#include <stdarg.h>
#include <stdio.h>

#include "baton/age.h"

#define AGE_FILE_KEY_BYTES  16
#define AGE_NONCE_BYTES     16 /* payload nonce after the header */
#define AGE_TAG_BYTES       16
#define AGE_ENC_CHUNK_BYTES (BATON_AGE_CHUNK_BYTES + AGE_TAG_BYTES)
#define AGE_MAX_RECIPIENTS  64

struct baton_age_identity {
    uint8_t sk[BATON_AGE_KEY_BYTES]; /* X25519 scalar */
    uint8_t pk[BATON_AGE_KEY_BYTES]; /* X25519(sk, basepoint) */
};

/* Builds the complete header (intro, one X25519 stanza per recipient, MAC
 * line) for file_key. *out is malloc'd; caller frees with free(). */
int baton__age_header_build(const uint8_t file_key[AGE_FILE_KEY_BYTES],
                            const baton_age_recipient *r, size_t n, uint8_t **out, size_t *outlen,
                            char *err, size_t errlen);

/* A buffered reader over the caller's read callback. */
struct baton__age_reader {
    baton_age_read_fn read;
    void *ctx;
    uint8_t *buf; /* cap bytes */
    size_t cap;
    size_t pos; /* next unread byte */
    size_t len; /* bytes valid in buf */
    int eof;
};

/* Reads more into r->buf[r->len..cap) until at least want bytes are buffered
 * from pos on, or end of input. Compacts the buffer first when needed.
 * Returns 0 or the callback's negative code. */
int baton__age_reader_fill(struct baton__age_reader *r, size_t want);

/* Parses and checks the header from r, unwraps the file key with ids and
 * verifies the MAC. On return r->pos is at the payload nonce. Error codes as
 * for baton_age_decrypt_init. */
int baton__age_header_open(struct baton__age_reader *r, baton_age_identity *const *ids, size_t n,
                           uint8_t file_key[AGE_FILE_KEY_BYTES], char *err, size_t errlen);

/* HKDF-SHA256 labels of the age v1 format. */
int baton__age_payload_key(const uint8_t file_key[AGE_FILE_KEY_BYTES],
                           const uint8_t nonce[AGE_NONCE_BYTES], uint8_t key[32]);

#endif
