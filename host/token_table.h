/*
 * token_table.h - the known token hashes of one registry and the tenant
 * each names, looked up in constant time.
 *
 * Open addressing with linear probing in a power-of-two table kept at most
 * half full. A hash's first slot is SipHash-2-4 (crypto_shorthash) of the
 * token hash under a random key drawn for each table, so where an entry
 * sits, and how long the run of occupied slots a lookup walks is, says
 * nothing about the hashes held: a client choosing tokens cannot aim at an
 * occupied run. A lookup compares the presented hash with every entry of
 * the run it lands in, with sodium_memcmp and without stopping at a match,
 * so its time does not depend on which entry (if any) matched. With the
 * table half full a run holds about two entries, whatever the number of
 * tenants: the cost of resolving a token no longer grows with them.
 *
 * One hash names one tenant: adding a hash another tenant holds is refused
 * (a token that opens two tenants is a config mistake, not a choice), the
 * same hash twice for one tenant is kept once.
 *
 * A table is built once, with its registry, and only read afterwards (by
 * any number of threads); a reload builds a new registry with a new table
 * and swaps the two whole (tenant.h).
 *
 * Owns: the slots and the SipHash key. Does not own: the token format and
 * hashing (auth.h), the tenants the numbers index (tenant.h). Holds token
 * hashes, never tokens; nothing here logs.
 */
#ifndef BH_TOKEN_TABLE_H
#define BH_TOKEN_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "config.h" /* BH_TOKEN_HASH_BYTES */

#define BH_TOKEN_NO_TENANT UINT32_MAX /* an empty slot */

typedef struct bh_token_slot {
    unsigned char hash[BH_TOKEN_HASH_BYTES];
    uint32_t tenant; /* BH_TOKEN_NO_TENANT: empty */
} bh_token_slot;

typedef struct bh_token_table {
    bh_token_slot *slots; /* owned; NULL while empty */
    size_t mask;          /* slot count - 1 */
    size_t count;         /* distinct hashes held */
    unsigned char key[crypto_shorthash_KEYBYTES];
} bh_token_table;

/* An empty table with a fresh random key: 0, or BATON_ECRYPTO when
 * libsodium cannot start (the table is then empty and usable, its key
 * zero). */
int bh_token_table_init(bh_token_table *t);

/*
 * Adds hash for tenant. 0 (also when tenant holds it already);
 * BATON_EEXIST with *holder set when another tenant holds it; BATON_ENOMEM.
 */
int bh_token_table_add(bh_token_table *t, const unsigned char hash[BH_TOKEN_HASH_BYTES],
                       uint32_t tenant, uint32_t *holder);

/* 1 and *tenant when hash is held, else 0 (*tenant untouched). Constant
 * time in the sense above. */
int bh_token_table_find(const bh_token_table *t, const unsigned char hash[BH_TOKEN_HASH_BYTES],
                        uint32_t *tenant);

/* Frees the slots (wiped first) and leaves an empty table. */
void bh_token_table_free(bh_token_table *t);

#endif
