/*
 * json_index.h - bh_jindex, a compact read-only index of a parsed JSON
 * document, for the path lookups of plugin views (case_view.h).
 *
 * The index is one flat array of nodes. A container's children sit next
 * to each other in the array (breadth first), so "[N]" is one addition
 * and a member is found by scanning a few contiguous nodes whose key
 * length was taken once, when the index was built, comparing bytes only
 * of keys of the right length, instead of walking cJSON's linked list
 * and comparing every key with strcmp.
 * Each node also carries its view type (baton/plugin.h) and, for an
 * integer, its value, so view_type and view_int do no work of their own.
 *
 * Two ways make one: bh_jindex_build from a cJSON tree (breadth first;
 * the index borrows the tree's strings, so the tree must outlive it), and
 * bh_jindex_parse straight from JSON text (json_index_parse.h: each
 * container's children laid out when it closes; strings copied into the
 * arena). Lookups see no difference. An index lives in an arena (arena.h)
 * and never changes afterwards, so any number of readers may share it.
 *
 * Owns: the layout and the lookups. Does not own: the JSON rule
 * (json_input.h) or what a case must contain (case_validate.h): the tree
 * has passed both before an index is made of it.
 */
#ifndef BH_JSON_INDEX_H
#define BH_JSON_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "arena.h"
#include "baton/plugin.h"

typedef struct bh_jnode {
    const char *key; /* member name; NULL for array elements and the root */
    union {
        const char *s; /* BATON_VIEW_STRING */
        int64_t i;     /* BATON_VIEW_INT, BATON_VIEW_BOOL (0 or 1) */
    } v;
    uint32_t key_len; /* bytes of key, its NUL not counted */
    uint32_t first;   /* containers: index of the first child */
    uint32_t count;   /* containers: number of children */
    uint8_t type;     /* enum baton_view_type */
} bh_jnode;

typedef struct bh_jindex {
    const bh_jnode *nodes; /* nodes[0] is the root */
    uint32_t count;
    /* Where a member of the root is looked for (every path a plugin reads
     * starts there): a key of length n and first byte c among the root's
     * children from root_from[bh_jindex_root_slot(n, c)] - 1 on, the
     * first child with that slot; 0: no child has it. Filled by
     * bh_jindex_finish. */
    uint8_t root_from[64];
    /* This index among every index the process made (from 1 on; 0: made
     * without bh_jindex_finish), so what a reader remembers of one index
     * (path_memo.h) is never taken for another at the same address. */
    uint64_t serial;
} bh_jindex;

/* The slot of root_from for a key of length n starting with byte c. */
static inline unsigned bh_jindex_root_slot(size_t n, unsigned char c)
{
    return (c ^ ((unsigned)n << 2)) & 63u;
}

/*
 * Makes x the index of nodes[0..count) (nodes[0] the root, laid out as
 * above) and fills its root_from: the one way every builder (build,
 * fill's callers, bh_jindex_parse) finishes an index, and the one that
 * gives it its serial. A root of more than 255 members has every slot 1
 * (scan them all).
 */
void bh_jindex_finish(bh_jindex *x, const bh_jnode *nodes, uint32_t count);

/* Most nodes an index holds, and the deepest nesting it takes
 * (bh_jindex_build answers BATON_ELIMIT beyond; cJSON's parser stops at
 * 1000 levels, so every parsed document fits). */
#define BH_JINDEX_MAX_NODES (1u << 24)
#define BH_JINDEX_MAX_DEPTH 1000

/*
 * Builds the index of root in arena: 0 and *out, or BATON_ENOMEM, or
 * BATON_ELIMIT (past the limits above), or BATON_EINVAL (root NULL).
 */
int bh_jindex_build(const cJSON *root, bh_arena *arena, bh_jindex *out);

/* The same in two steps, for callers with memory of their own (the
 * worker's arena): the number of nodes root's index has (0: past the
 * limits), then the index written into nodes[0..count), with scratch
 * (count pointers) used on the way. */
size_t bh_jindex_count(const cJSON *root);
void bh_jindex_fill(const cJSON *root, bh_jnode *nodes, const cJSON **scratch, size_t count);

/*
 * 1 when a[0..len) and b[0..len) hold the same bytes (len >= 1): a few
 * word loads instead of a call to memcmp, for the short keys of a case.
 * Reads no byte outside the two ranges.
 */
static inline int bh_jindex_key_equal(const char *a, const char *b, size_t len)
{
    if (len >= 8) {
        uint64_t a0, b0, a1, b1;
        for (size_t i = 8; i + 8 < len; i += 8) { /* the words between, if any */
            memcpy(&a0, a + i, 8);
            memcpy(&b0, b + i, 8);
            if (a0 != b0)
                return 0;
        }
        memcpy(&a0, a, 8);
        memcpy(&b0, b, 8);
        memcpy(&a1, a + len - 8, 8);
        memcpy(&b1, b + len - 8, 8);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    if (len >= 4) {
        uint32_t a0, b0, a1, b1;
        memcpy(&a0, a, 4);
        memcpy(&b0, b, 4);
        memcpy(&a1, a + len - 4, 4);
        memcpy(&b1, b + len - 4, 4);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    /* 1 to 3 bytes: the first, the middle and the last cover them all. */
    return a[0] == b[0] && a[len / 2] == b[len / 2] && a[len - 1] == b[len - 1];
}

/*
 * The member key[0..len) of object node n (its first, when repeated)
 * among n's children from the from-th on, or NULL when n is no object or
 * has no such member there. The
 * children are scanned by length, and only keys of the same length are
 * compared: a plugin's keys are short and an object's few, so this costs
 * less than taking a hash of the key first.
 */
static inline const bh_jnode *bh_jindex_member_from(const bh_jindex *x, const bh_jnode *n,
                                                    size_t from, const char *key, size_t len)
{
    if (n->type != BATON_VIEW_OBJECT || from >= n->count)
        return NULL;
    const bh_jnode *c = &x->nodes[n->first + from], *end = &x->nodes[n->first + n->count];
    for (; c < end; c++) {
        if (c->key_len == len && (len == 0 || bh_jindex_key_equal(c->key, key, len)))
            return c;
    }
    return NULL;
}

/* bh_jindex_member_from with from 0: all of n's children. */
static inline const bh_jnode *bh_jindex_member(const bh_jindex *x, const bh_jnode *n,
                                               const char *key, size_t len)
{
    return bh_jindex_member_from(x, n, 0, key, len);
}

/* Element i of array node n, or NULL. */
static inline const bh_jnode *bh_jindex_element(const bh_jindex *x, const bh_jnode *n, size_t i)
{
    if (n->type != BATON_VIEW_ARRAY || i >= n->count)
        return NULL;
    return &x->nodes[n->first + i];
}

#endif
