/*
 * auth.h - bearer tokens: making them, hashing them, keeping their hashes,
 * and resolving an Authorization header to one tenant.
 *
 * A token is "bt_" followed by 32 random bytes in unpadded base64url. It is
 * shown once, when it is made, and never stored: batond keeps only its
 * BLAKE2b-256 hash, written "blake2b256:<64 hex>", either in a tenant's
 * config ("token_hashes") or in <data_dir>/tokens/<tenant>.hashes (folder
 * 0700, file 0600, one hash per line; lines starting with '#' are comments).
 *
 * Resolving looks the presented token's hash up in the registry's token
 * table (token_table.h): constant time whatever the number of tenants, and
 * compared with sodium_memcmp without stopping at a match, so the time
 * taken does not depend on which tenant (if any) matched.
 *
 * Owns: the token format, hashing, the hash files. Does not own: which
 * tenant may call which route (router.h) or the tenants themselves
 * (tenant.h). Nothing here logs; nothing here ever keeps a token.
 */
#ifndef BH_AUTH_H
#define BH_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "token_table.h"

#define BH_TOKEN_TEXT_MAX      64 /* buffer size for a token, NUL included */
#define BH_TOKEN_HASH_TEXT_MAX 80 /* buffer size for "blake2b256:<hex>" */

/* Writes a fresh token into out (sodium_malloc'd by the caller, at least
 * BH_TOKEN_TEXT_MAX bytes). */
int bh_token_generate(char *out, size_t outlen);

/* BLAKE2b-256 of the token's bytes. */
void bh_token_hash(const char *token, size_t len, unsigned char out[BH_TOKEN_HASH_BYTES]);

/* "blake2b256:<hex>" into out (at least BH_TOKEN_HASH_TEXT_MAX bytes). */
void bh_token_hash_text(const unsigned char hash[BH_TOKEN_HASH_BYTES], char *out);

/* Appends hash to <data_dir>/tokens/<tenant>.hashes, creating folders (0700)
 * and the file (0600) as needed, and syncs it. */
int bh_token_store_add(const char *data_dir, const char *tenant,
                       const unsigned char hash[BH_TOKEN_HASH_BYTES], char *err, size_t errlen);

/*
 * Reads <data_dir>/tokens/<tenant>.hashes. A missing file is no tokens.
 * On success *hashes (caller frees with free) holds *count hashes.
 */
int bh_token_store_load(const char *data_dir, const char *tenant,
                        unsigned char (**hashes)[BH_TOKEN_HASH_BYTES], size_t *count, char *err,
                        size_t errlen);

enum bh_auth_result {
    BH_AUTH_OK = 0,
    BH_AUTH_MISSING = 1,   /* no Authorization header */
    BH_AUTH_MALFORMED = 2, /* not "Bearer <token>" */
    BH_AUTH_UNKNOWN = 3,   /* a token nobody holds */
};

/* Resolves an Authorization header value (may be NULL) against table. On
 * BH_AUTH_OK, *tenant is the index of the token's tenant. */
enum bh_auth_result bh_auth_resolve(const bh_token_table *table, const char *authorization,
                                    uint32_t *tenant);

#endif
