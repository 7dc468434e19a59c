/* id_index.c - text key -> number in constant time (id_index.h). */
#include "id_index.h"

#include <stdlib.h>
#include <string.h>

#include "baton/error.h"

/* FNV-1a, 32 bits (http://www.isthe.com/chongo/tech/comp/fnv/). */
static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

void bh_id_index_init(bh_id_index *x)
{
    memset(x, 0, sizeof *x);
}

void bh_id_index_free(bh_id_index *x)
{
    free(x->slots);
    bh_id_index_init(x);
}

/* Places a slot known not to be present into slots (mask). */
static void place(bh_id_slot *slots, size_t mask, const bh_id_slot *s)
{
    size_t i = s->hash & mask;
    while (slots[i].key != NULL)
        i = (i + 1) & mask;
    slots[i] = *s;
}

static int grow_to(bh_id_index *x, size_t slots_wanted)
{
    size_t n = 16;
    while (n < slots_wanted)
        n *= 2;
    if (x->slots != NULL && n <= x->mask + 1)
        return 0;
    bh_id_slot *ns = calloc(n, sizeof *ns);
    if (ns == NULL)
        return BATON_ENOMEM;
    for (size_t i = 0; x->slots != NULL && i <= x->mask; i++)
        if (x->slots[i].key != NULL)
            place(ns, n - 1, &x->slots[i]);
    free(x->slots);
    x->slots = ns;
    x->mask = n - 1;
    return 0;
}

int bh_id_index_reserve(bh_id_index *x, size_t n)
{
    if (n > SIZE_MAX / 4)
        return BATON_ENOMEM;
    return grow_to(x, n * 2);
}

int bh_id_index_find(const bh_id_index *x, const char *key, uint32_t *value)
{
    if (x->slots == NULL)
        return 0;
    uint32_t h = fnv1a(key);
    for (size_t i = h & x->mask; x->slots[i].key != NULL; i = (i + 1) & x->mask) {
        if (x->slots[i].hash == h && strcmp(x->slots[i].key, key) == 0) {
            *value = x->slots[i].value;
            return 1;
        }
    }
    return 0;
}

int bh_id_index_add(bh_id_index *x, const char *key, uint32_t value, uint32_t *existing)
{
    uint32_t held;
    if (bh_id_index_find(x, key, &held)) {
        if (existing != NULL)
            *existing = held;
        return BATON_EEXIST;
    }
    /* At most half full, so a probe always meets an empty slot soon. */
    if (x->slots == NULL || (x->count + 1) * 2 > x->mask + 1) {
        int rc = grow_to(x, (x->count + 1) * 2);
        if (rc != 0)
            return rc;
    }
    bh_id_slot s = {key, value, fnv1a(key)};
    place(x->slots, x->mask, &s);
    x->count++;
    return 0;
}
