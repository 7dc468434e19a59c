/* json_index.c - the flat index of a JSON document (json_index.h). */
#include "json_index.h"

#include <stdatomic.h>
#include <string.h>

#include "case_view.h"

/* The serial the next index gets. */
static _Atomic uint64_t next_serial = 1;

/* The view type of n and, for integers and booleans, its value. */
static void classify(const cJSON *n, bh_jnode *out)
{
    out->type = (uint8_t)bh_json_node_type(n);
    if (out->type == BATON_VIEW_STRING)
        out->v.s = n->valuestring;
    else if (out->type == BATON_VIEW_INT)
        bh_json_node_int(n, &out->v.i);
    else if (out->type == BATON_VIEW_BOOL)
        out->v.i = cJSON_IsTrue(n) ? 1 : 0;
}

/* Nodes under and including n; 0 past the limits (too many nodes, or
 * nested deeper than BH_JINDEX_MAX_DEPTH). */
static size_t count_nodes(const cJSON *n, unsigned depth)
{
    size_t total = 1;
    if (depth > BH_JINDEX_MAX_DEPTH)
        return 0;
    for (const cJSON *c = n->child; c != NULL && (cJSON_IsArray(n) || cJSON_IsObject(n));
         c = c->next) {
        size_t sub = count_nodes(c, depth + 1);
        if (sub == 0 || sub > BH_JINDEX_MAX_NODES - total)
            return 0;
        total += sub;
    }
    return total;
}

size_t bh_jindex_count(const cJSON *root)
{
    return root != NULL ? count_nodes(root, 0) : 0;
}

void bh_jindex_fill(const cJSON *root, bh_jnode *nodes, const cJSON **scratch, size_t count)
{
    /* Breadth first, with the node array itself as the queue; scratch
     * holds the cJSON node each index node is made from. */
    size_t used = 1;
    memset(&nodes[0], 0, sizeof nodes[0]);
    scratch[0] = root;
    for (size_t i = 0; i < used; i++) {
        classify(scratch[i], &nodes[i]);
        if (nodes[i].type != BATON_VIEW_ARRAY && nodes[i].type != BATON_VIEW_OBJECT)
            continue;
        int is_object = nodes[i].type == BATON_VIEW_OBJECT;
        nodes[i].first = (uint32_t)used;
        for (const cJSON *c = scratch[i]->child; c != NULL && used < count; c = c->next) {
            bh_jnode *k = &nodes[used];
            memset(k, 0, sizeof *k);
            if (is_object && c->string != NULL) {
                k->key = c->string;
                k->key_len = (uint32_t)strlen(c->string);
            }
            scratch[used++] = c;
        }
        nodes[i].count = (uint32_t)(used - nodes[i].first);
    }
}

int bh_jindex_build(const cJSON *root, bh_arena *arena, bh_jindex *out)
{
    if (root == NULL)
        return BATON_EINVAL;
    size_t total = bh_jindex_count(root);
    if (total == 0)
        return BATON_ELIMIT;
    bh_jnode *nodes = bh_arena_alloc(arena, total * sizeof *nodes);
    const cJSON **scratch = bh_arena_alloc(arena, total * sizeof *scratch);
    if (nodes == NULL || scratch == NULL)
        return BATON_ENOMEM;
    bh_jindex_fill(root, nodes, scratch, total);
    bh_jindex_finish(out, nodes, (uint32_t)total);
    return 0;
}

void bh_jindex_finish(bh_jindex *x, const bh_jnode *nodes, uint32_t count)
{
    const bh_jnode *root = &nodes[0];
    x->nodes = nodes;
    x->count = count;
    x->serial = atomic_fetch_add_explicit(&next_serial, 1, memory_order_relaxed);
    memset(x->root_from, 0, sizeof x->root_from);
    if (root->type != BATON_VIEW_OBJECT)
        return;
    if (root->count > 255) {
        memset(x->root_from, 1, sizeof x->root_from);
        return;
    }
    /* Last to first, so each slot ends up naming its first child. */
    for (uint32_t i = root->count; i-- > 0;) {
        const bh_jnode *c = &nodes[root->first + i];
        if (c->key_len > 0) /* no path names the empty key */
            x->root_from[bh_jindex_root_slot(c->key_len, (unsigned char)c->key[0])] =
                (uint8_t)(i + 1);
    }
}
