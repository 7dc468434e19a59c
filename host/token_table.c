/* token_table.c - token hash -> tenant in constant time (token_table.h). */
#include "token_table.h"

#include <stdlib.h>
#include <string.h>

#include "baton/error.h"

static size_t first_slot(const bh_token_table *t, const unsigned char hash[BH_TOKEN_HASH_BYTES])
{
    unsigned char h[crypto_shorthash_BYTES];
    uint64_t v = 0;
    crypto_shorthash(h, hash, BH_TOKEN_HASH_BYTES, t->key);
    for (size_t i = 0; i < sizeof h; i++)
        v = (v << 8) | h[i];
    return (size_t)v & t->mask;
}

int bh_token_table_init(bh_token_table *t)
{
    memset(t, 0, sizeof *t);
    if (sodium_init() < 0)
        return BATON_ECRYPTO;
    randombytes_buf(t->key, sizeof t->key);
    return 0;
}

void bh_token_table_free(bh_token_table *t)
{
    if (t->slots != NULL) {
        sodium_memzero(t->slots, (t->mask + 1) * sizeof *t->slots);
        free(t->slots);
    }
    sodium_memzero(t->key, sizeof t->key);
    memset(t, 0, sizeof *t);
}

static void place(bh_token_table *t, const bh_token_slot *s)
{
    size_t i = first_slot(t, s->hash);
    while (t->slots[i].tenant != BH_TOKEN_NO_TENANT)
        i = (i + 1) & t->mask;
    t->slots[i] = *s;
}

static int grow(bh_token_table *t)
{
    size_t old_n = t->slots != NULL ? t->mask + 1 : 0;
    size_t n = old_n == 0 ? 16 : old_n * 2;
    bh_token_slot *old = t->slots;
    if (n > SIZE_MAX / sizeof *old)
        return BATON_ENOMEM;
    bh_token_slot *ns = malloc(n * sizeof *ns);
    if (ns == NULL)
        return BATON_ENOMEM;
    for (size_t i = 0; i < n; i++)
        ns[i].tenant = BH_TOKEN_NO_TENANT;
    t->slots = ns;
    t->mask = n - 1;
    for (size_t i = 0; i < old_n; i++)
        if (old[i].tenant != BH_TOKEN_NO_TENANT)
            place(t, &old[i]);
    if (old != NULL) {
        sodium_memzero(old, old_n * sizeof *old);
        free(old);
    }
    return 0;
}

int bh_token_table_find(const bh_token_table *t, const unsigned char hash[BH_TOKEN_HASH_BYTES],
                        uint32_t *tenant)
{
    int found = 0;
    uint32_t who = 0;
    if (t->slots == NULL)
        return 0;
    /* The whole run is compared, the match (if any) included: no early
     * exit, so the time depends on the run's length only. */
    for (size_t i = first_slot(t, hash); t->slots[i].tenant != BH_TOKEN_NO_TENANT;
         i = (i + 1) & t->mask) {
        int same = sodium_memcmp(hash, t->slots[i].hash, BH_TOKEN_HASH_BYTES) == 0;
        who = same ? t->slots[i].tenant : who;
        found |= same;
    }
    if (found)
        *tenant = who;
    return found;
}

int bh_token_table_add(bh_token_table *t, const unsigned char hash[BH_TOKEN_HASH_BYTES],
                       uint32_t tenant, uint32_t *holder)
{
    uint32_t who;
    if (tenant == BH_TOKEN_NO_TENANT)
        return BATON_EINVAL;
    if (bh_token_table_find(t, hash, &who)) {
        if (who == tenant)
            return 0;
        if (holder != NULL)
            *holder = who;
        return BATON_EEXIST;
    }
    /* At most half full: runs stay short and a probe always ends. */
    if (t->slots == NULL || (t->count + 1) * 2 > t->mask + 1) {
        int rc = grow(t);
        if (rc != 0)
            return rc;
    }
    bh_token_slot s;
    memcpy(s.hash, hash, BH_TOKEN_HASH_BYTES);
    s.tenant = tenant;
    place(t, &s);
    sodium_memzero(&s, sizeof s);
    t->count++;
    return 0;
}
