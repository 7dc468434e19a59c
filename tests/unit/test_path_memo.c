/*
 * test_path_memo.c - the thread's memo of case paths (path_memo.h): a
 * path answered from the memo answers what the walk over the cJSON tree
 * answers, in every case it is read in, and an address whose text
 * changes is answered for the text it holds now.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arena.h"
#include "case_view.h"
#include "json_index.h"
#include "json_input.h"
#include "path_memo.h"
#include "view_compare.h"

/* Two cases of one shape, then one with its members moved, repeated
 * before the one a path names, or gone. */
static const char *const cases[] = {
    "{\"as_of\":\"2026-01-31\",\"claim\":{\"principal\":{\"amount\":\"1250.50\",\"currency\":"
    "\"GBP\"},\"due_date\":\"2025-03-01\",\"count\":3,\"interest\":{\"statutory\":true}},"
    "\"documents\":[{\"kind\":\"invoice\"},{\"kind\":\"statement\",\"ref\":\"S-1\"}],"
    "\"debtor\":{\"kind\":\"consumer\",\"consumer\":true}}",
    "{\"as_of\":\"2026-02-28\",\"claim\":{\"principal\":{\"amount\":\"99.99\",\"currency\":"
    "\"EUR\"},\"due_date\":\"2024-12-31\",\"count\":4,\"interest\":{\"statutory\":false}},"
    "\"documents\":[{\"kind\":\"agreement\"},{\"kind\":\"invoice\",\"ref\":\"I-9\"}],"
    "\"debtor\":{\"kind\":\"business\",\"consumer\":false}}",
    "{\"debtor\":{\"consumer\":1,\"kind\":\"x\",\"kind\":\"y\"},\"claim\":{\"count\":\"3\","
    "\"interest\":[],\"due_date\":\"2025-02-30\",\"principal\":{\"amount\":12,\"currency\":"
    "\"GBP\"},\"principal\":{\"amount\":\"1.00\",\"currency\":\"GBP\"}},\"documents\":[]}",
    "{\"claim\":{},\"documents\":{\"kind\":1}}",
};

/* String literals: read-only text, so the memo keeps them by address. */
static const char *const literals[] = {
    "",
    "as_of",
    "as_of.x",
    "claim",
    "claim.principal",
    "claim.principal.amount",
    "claim.due_date",
    "claim.count",
    "claim.interest",
    "claim.interest.statutory",
    "claim.interest[0]",
    "claim.nope",
    "documents",
    "documents[0]",
    "documents[0].kind",
    "documents[1].ref",
    "documents[2].kind",
    "documents.kind",
    "debtor.kind",
    "debtor.consumer",
    "debtor..kind",
    "[0]",
    "claim.a.b.c.d.e.f.g.h.i",
};

static cJSON *parse(const char *text)
{
    bh_json_error e;
    cJSON *root = bh_json_parse(text, strlen(text), &e);
    assert_non_null(root);
    return root;
}

/*
 * The literals read over every case in turn, each twice (the second
 * answered from the memo), with and without an as_of of the view's own,
 * three rounds (the later ones looked up in one pass as the thread turns
 * to the case): each answer is the tree's.
 */
static void literals_answer_as_the_tree_in_every_case(void **state)
{
    (void)state;
    const size_t ncases = sizeof cases / sizeof cases[0];
    cJSON *roots[sizeof cases / sizeof cases[0]];
    bh_jindex x[sizeof cases / sizeof cases[0]];
    bh_arena a;
    assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
    for (size_t c = 0; c < ncases; c++) {
        roots[c] = parse(cases[c]);
        assert_int_equal(bh_jindex_build(roots[c], &a, &x[c]), 0);
        assert_true(x[c].serial != 0);
    }
    assert_true(bh_path_memo_read_only(literals[4]));
    for (int round = 0; round < 3; round++) {
        for (size_t c = 0; c < ncases; c++) {
            baton_view tree = bh_case_view_of(roots[c], "2026-03-31");
            baton_view indexed = bh_case_view_indexed(roots[c], &x[c], "2026-03-31");
            baton_view tree_plain = bh_view_of(roots[c]);
            baton_view indexed_plain = tree_plain;
            indexed_plain.index = &x[c];
            for (size_t i = 0; i < sizeof literals / sizeof literals[0]; i++) {
                assert_views_alike(&indexed, &tree, literals[i]);
                assert_views_alike(&indexed, &tree, literals[i]);
                assert_views_alike(&indexed_plain, &tree_plain, literals[i]);
            }
        }
    }
    for (size_t c = 0; c < ncases; c++)
        cJSON_Delete(roots[c]);
    bh_arena_free(&a);
}

/*
 * One address, several paths: a stack buffer (never read-only text)
 * holding one path, then another, is answered for the path it holds at
 * each read, and so is a literal's own address read again after.
 */
static void the_same_address_holding_another_path_answers_for_it(void **state)
{
    (void)state;
    static const char *const texts[] = {"claim.due_date",   "debtor.kind",       "claim.due_date",
                                        "documents[1].ref", "documents[0].kind", "as_of"};
    cJSON *root = parse(cases[0]);
    bh_arena a;
    bh_jindex x;
    assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
    assert_int_equal(bh_jindex_build(root, &a, &x), 0);
    baton_view tree = bh_case_view_of(root, "2026-03-31");
    baton_view indexed = bh_case_view_indexed(root, &x, "2026-03-31");
    char path[64];
    assert_false(bh_path_memo_read_only(path));
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
            snprintf(path, sizeof path, "%s", texts[i]);
            const char *want = NULL, *got = NULL;
            assert_int_equal(bh_view_string(&indexed, path, &got),
                             bh_view_string(&tree, path, &want));
            assert_string_equal(got, want);
            assert_views_alike(&indexed, &tree, path);
        }
    }
    /* The same bytes in heap memory that is later given other bytes. */
    char *heap = malloc(32);
    assert_non_null(heap);
    const char *s;
    strcpy(heap, "debtor.kind");
    assert_int_equal(bh_view_string(&indexed, heap, &s), 0);
    assert_string_equal(s, "consumer");
    strcpy(heap, "documents[0].kind");
    assert_int_equal(bh_view_string(&indexed, heap, &s), 0);
    assert_string_equal(s, "invoice");
    strcpy(heap, "claim.count");
    assert_int_equal(bh_view_string(&indexed, heap, &s), BATON_ETYPE);
    free(heap);
    cJSON_Delete(root);
    bh_arena_free(&a);
}

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/*
 * 20,000 paths made by editing the literals (pieces added, bytes
 * replaced, bytes cut), laid out in a page made read-only and trusted as
 * such, so the memo takes each apart and keeps it: over two cases in
 * turn, every accessor answers as the tree.
 */
static void edited_paths_kept_by_the_memo_answer_as_the_tree(void **state)
{
    (void)state;
    static const char *const pieces[] = {".claim", ".kind", "[0]", "[1]", "[01]",   ".",    "..",
                                         "[",      "]",     "0",   "x",   ".as_of", "as_of"};
    static const char bytes[] = ".[]01ax";
    const size_t nlit = sizeof literals / sizeof literals[0];
    const size_t npaths = 20000, stride = 96;
    size_t size = npaths * stride;
    char *region = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(region != MAP_FAILED);
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    for (size_t k = 0; k < npaths; k++) {
        char *path = region + k * stride;
        snprintf(path, stride, "%s", literals[next_random(&rng) % nlit]);
        for (uint64_t edits = next_random(&rng) % 4; edits > 0; edits--) {
            uint64_t r = next_random(&rng);
            size_t len = strlen(path);
            if (r % 3 == 0 || len == 0) {
                snprintf(path + len, stride - len, "%s",
                         pieces[(r >> 8) % (sizeof pieces / sizeof pieces[0])]);
            } else if (r % 3 == 1) {
                path[(r >> 8) % len] = bytes[(r >> 24) % (sizeof bytes - 1)];
            } else {
                size_t at = (r >> 8) % len;
                memmove(path + at, path + at + 1, len - at);
            }
        }
    }
    assert_int_equal(mprotect(region, size, PROT_READ), 0);
    assert_int_equal(bh_path_memo_trust(region, size), 0);

    cJSON *r0 = parse(cases[0]), *r1 = parse(cases[2]);
    bh_arena a;
    bh_jindex x0, x1;
    assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
    assert_int_equal(bh_jindex_build(r0, &a, &x0), 0);
    assert_int_equal(bh_jindex_build(r1, &a, &x1), 0);
    baton_view t0 = bh_case_view_of(r0, "2026-03-31"), t1 = bh_case_view_of(r1, "2026-03-31");
    baton_view v0 = bh_case_view_indexed(r0, &x0, "2026-03-31");
    baton_view v1 = bh_case_view_indexed(r1, &x1, "2026-03-31");
    for (size_t k = 0; k < npaths; k++) {
        const char *path = region + k * stride;
        assert_views_alike(&v0, &t0, path);
        assert_views_alike(&v1, &t1, path);
        assert_views_alike(&v0, &t0, path);
    }
    bh_path_memo_forget();
    munmap(region, size);
    cJSON_Delete(r0);
    cJSON_Delete(r1);
    bh_arena_free(&a);
}

/*
 * An image unloaded while a thread is between two reads of one case (a
 * plugin upload on another loop drops the old set): what the memo made of
 * the image's paths never reads the image's memory again, and an address
 * in it that holds other text later answers for that text. Two pages
 * stand for the images' read-only text: the first unmapped after one
 * read, the second then read with a path that shares its first steps;
 * the first mapped again, announced, with other text at the same
 * address.
 */
static void an_unloaded_image_is_never_read_again(void **state)
{
    (void)state;
    long page = sysconf(_SC_PAGESIZE);
    char *text =
        mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(text != MAP_FAILED);
    char *a = text, *b = text + page;
    strcpy(a, "claim.principal.amount");
    strcpy(b, "claim.principal.currency");
    assert_int_equal(mprotect(text, 2 * (size_t)page, PROT_READ), 0);
    assert_int_equal(bh_path_memo_trust(text, 2 * (size_t)page), 0);

    cJSON *r0 = parse(cases[0]);
    bh_arena ar;
    bh_jindex x0;
    assert_int_equal(bh_arena_init(&ar, 1024, 0), 0);
    assert_int_equal(bh_jindex_build(r0, &ar, &x0), 0);
    baton_view t0 = bh_case_view_of(r0, "2026-03-31");
    baton_view v0 = bh_case_view_indexed(r0, &x0, "2026-03-31");
    assert_views_alike(&v0, &t0, a);

    /* The first page's image goes, in the window between the memo's look
     * at the closings and its next read (so unannounced): its text is
     * unreadable from now on. */
    assert_int_equal(munmap(a, (size_t)page), 0);
    assert_views_alike(&v0, &t0, b);

    /* Another image at the same address, with other text there. */
    bh_path_memo_image_closing();
    char *again = mmap(a, (size_t)page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    assert_ptr_equal(again, a);
    strcpy(a, "debtor.kind");
    assert_int_equal(mprotect(a, (size_t)page, PROT_READ), 0);
    const char *s = NULL;
    assert_int_equal(bh_view_string(&v0, a, &s), 0);
    assert_views_alike(&v0, &t0, a);
    assert_views_alike(&v0, &t0, b);

    bh_path_memo_forget();
    munmap(text, 2 * (size_t)page);
    cJSON_Delete(r0);
    bh_arena_free(&ar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(literals_answer_as_the_tree_in_every_case),
        cmocka_unit_test(the_same_address_holding_another_path_answers_for_it),
        cmocka_unit_test(edited_paths_kept_by_the_memo_answer_as_the_tree),
        cmocka_unit_test(an_unloaded_image_is_never_read_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
