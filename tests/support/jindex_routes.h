/*
 * jindex_routes.h - the two routes a JSON text can take to a case index,
 * run side by side, for the differential tests (unit test
 * test_json_index_parse.c and the fuzz target fuzz_case_parse.c):
 *   fast:  bh_jindex_parse, or (a case) bh_jindex_parse_case;
 *   cJSON: bh_json_parse, then (a case) bh_case_validate, bh_jindex_build.
 * They agree when the fast route refuses (the caller falls back to the
 * cJSON route), or when both accept and the two indexes hold the same
 * nodes, keys, types, values and order, and the same root directory.
 */
#ifndef BATON_TEST_JINDEX_ROUTES_H
#define BATON_TEST_JINDEX_ROUTES_H

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "case_validate.h"
#include "evaluate.h"
#include "json_index.h"
#include "json_index_parse.h"
#include "json_input.h"

/* 1 when the two subtrees are the same: type, key, value, children. */
static inline int jindex_same(const bh_jindex *a, const bh_jnode *x, const bh_jindex *b,
                              const bh_jnode *y)
{
    if (x->type != y->type || (x->key == NULL) != (y->key == NULL))
        return 0;
    if (x->key != NULL && (x->key_len != y->key_len || memcmp(x->key, y->key, x->key_len + 1) != 0))
        return 0;
    switch (x->type) {
    case BATON_VIEW_STRING:
        return strcmp(x->v.s, y->v.s) == 0;
    case BATON_VIEW_INT:
    case BATON_VIEW_BOOL:
    case BATON_VIEW_NULL:
        return x->v.i == y->v.i;
    case BATON_VIEW_ARRAY:
    case BATON_VIEW_OBJECT:
        if (x->count != y->count)
            return 0;
        for (uint32_t i = 0; i < x->count; i++)
            if (!jindex_same(a, &a->nodes[x->first + i], b, &b->nodes[y->first + i]))
                return 0;
        return 1;
    default:
        return 0;
    }
}

enum { ROUTES_FAST_REFUSED = 0, ROUTES_AGREE = 1, ROUTES_SPLIT = -1, ROUTES_NOMEM = -2 };

/*
 * Runs both routes over text[0..len); as_case: as a case (else as any
 * JSON text). Returns ROUTES_FAST_REFUSED, ROUTES_AGREE, ROUTES_NOMEM, or
 * ROUTES_SPLIT with why saying how they differ.
 */
static inline int jindex_routes(const char *text, size_t len, int as_case, char *why, size_t whylen)
{
    bh_arena fa, sa;
    bh_jindex fx, sx;
    bh_json_error je;
    bh_eval_error ee;
    int rc = ROUTES_AGREE;

    if (bh_arena_init(&fa, bh_jindex_parse_arena_size(len), 0) != 0)
        return ROUTES_NOMEM;
    int prc =
        as_case ? bh_jindex_parse_case(text, len, &fa, &fx) : bh_jindex_parse(text, len, &fa, &fx);
    if (prc != 0) {
        bh_arena_free(&fa);
        return prc == BATON_ENOMEM ? ROUTES_NOMEM : ROUTES_FAST_REFUSED;
    }
    cJSON *tree = bh_json_parse(text, len, &je);
    if (tree == NULL) {
        snprintf(why, whylen, "the cJSON route refuses the text (%s at byte %zu)", je.why,
                 je.offset);
        rc = ROUTES_SPLIT;
    } else if (as_case && bh_case_validate(tree, &ee) != 0) {
        snprintf(why, whylen, "the validator refuses the case (%s)", ee.message);
        rc = ROUTES_SPLIT;
    } else if (bh_arena_init(&sa, 4096, 0) != 0) {
        rc = ROUTES_NOMEM;
    } else {
        int brc = bh_jindex_build(tree, &sa, &sx);
        if (brc == BATON_ENOMEM)
            rc = ROUTES_NOMEM;
        else if (brc != 0 || fx.count != sx.count ||
                 !jindex_same(&fx, &fx.nodes[0], &sx, &sx.nodes[0]) ||
                 memcmp(fx.root_from, sx.root_from, sizeof fx.root_from) != 0) {
            snprintf(why, whylen, "the two indexes differ (%u and %u nodes)", fx.count,
                     brc == 0 ? sx.count : 0);
            rc = ROUTES_SPLIT;
        }
        bh_arena_free(&sa);
    }
    cJSON_Delete(tree);
    bh_arena_free(&fa);
    return rc;
}

#endif
