/*
 * id_index.h - an index from a text key (a tenant id) to a number (its
 * position in some array), found in constant time.
 *
 * Open addressing with linear probing in a power-of-two table kept at most
 * half full; it grows as keys are added. Keys are borrowed: the caller keeps
 * each key's text alive and unchanged while the index holds it. Positions
 * are never removed (the tables indexed here are built once, or only grow).
 *
 * The index is for keys an operator chose (tenant ids from the config):
 * its hash (FNV-1a) is not keyed, so it is not for text a client sends.
 * Token hashes, which clients do choose, have their own keyed table
 * (token_table.h).
 *
 * Owns: the slot array. Does not own: the keys, or what the numbers mean.
 * Not thread-safe for writers; any number of readers may find() at once
 * while nobody adds.
 */
#ifndef BH_ID_INDEX_H
#define BH_ID_INDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct bh_id_slot {
    const char *key; /* borrowed; NULL: empty */
    uint32_t value;
    uint32_t hash;
} bh_id_slot;

typedef struct bh_id_index {
    bh_id_slot *slots; /* owned; NULL until the first add */
    size_t mask;       /* slot count - 1 */
    size_t count;
} bh_id_index;

/* An empty index; bh_id_index_reserve may size it for n keys up front. */
void bh_id_index_init(bh_id_index *x);
int bh_id_index_reserve(bh_id_index *x, size_t n);

/*
 * Adds key -> value. 0; BATON_EEXIST (and *existing, when not NULL, the
 * value already held) when key is there already, nothing changed;
 * BATON_ENOMEM.
 */
int bh_id_index_add(bh_id_index *x, const char *key, uint32_t value, uint32_t *existing);

/* 1 and *value when key is held, else 0. */
int bh_id_index_find(const bh_id_index *x, const char *key, uint32_t *value);

void bh_id_index_free(bh_id_index *x);

#endif
