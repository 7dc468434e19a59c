/*
 * test_json_index.c - the compact index plugin views read (json_index.h),
 * and the result's view over its records (result.h): for every path form
 * the SDK has, each accessor answers exactly what the view over the cJSON
 * tree answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "call_reason.h"
#include "case_view.h"
#include "json_index.h"
#include "json_index_parse.h"
#include "json_input.h"
#include "result.h"
#include "view_compare.h"

static const char *case_text =
    "{\"case_id\":\"C-1\",\"claim\":{\"principal\":{\"amount\":\"1250.50\",\"currency\":\"GBP\"},"
    "\"due_date\":\"2025-03-01\",\"rate\":1.5,\"exp\":3e1,\"count\":3,\"big\":9007199254740994,"
    "\"neg\":-42,\"zero\":0},"
    "\"letters_sent\":[{\"kind\":\"reminder\",\"date\":\"2025-04-01\"},"
    "{\"kind\":\"final_demand\",\"date\":\"2025-05-01\"}],"
    "\"debtor\":{\"consumer\":true,\"trader\":false,\"address\":null,\"name\":\"A \\u00e9 "
    "\\\"q\\\"\"},"
    "\"bad_money\":{\"amount\":12,\"currency\":\"GBP\"},\"bad_date\":\"2025-02-30\","
    "\"dup\":1,\"dup\":2,\"empty_obj\":{},\"empty_arr\":[],\"nested\":[[1,[2,[3]]],{\"a\":[{\"b\":"
    "\"deep\"}]}],\"\":\"empty key\",\"k.e.y\":1}";

/* Paths of every form: keys, dotted keys, indexes, chains of indexes,
 * the root, missing members and elements, wrong containers, malformed. */
static const char *const paths[] = {
    "",
    "case_id",
    "claim",
    "claim.principal",
    "claim.principal.amount",
    "claim.principal.currency",
    "claim.due_date",
    "claim.rate",
    "claim.exp",
    "claim.count",
    "claim.big",
    "claim.neg",
    "claim.zero",
    "letters_sent",
    "letters_sent[0]",
    "letters_sent[1].kind",
    "letters_sent[1].date",
    "letters_sent[2]",
    "letters_sent[2].kind",
    "letters_sent[100000000]",
    "letters_sent.kind",
    "debtor.consumer",
    "debtor.trader",
    "debtor.address",
    "debtor.name",
    "bad_money",
    "bad_date",
    "dup",
    "empty_obj",
    "empty_arr",
    "empty_arr[0]",
    "nested[0][1][1][0]",
    "nested[0][1][1]",
    "nested[1].a[0].b",
    "nested[1].a[0].c",
    "nested[1][0]",
    "[0]",
    "case_id[0]",
    "case_id.x",
    "as_of",
    "claim.as_of",
    "nope",
    "nope.deeper..x",
    "claim..due_date",
    ".claim",
    "claim.",
    "letters_sent[",
    "letters_sent[01]",
    "letters_sent[x]",
    "letters_sent[0]x",
    "letters_sent[-1]",
    "letters_sent[999999999999]",
    "claim.[0]",
    "k.e.y",
    "letters_sent[0].",
    "letters_sent[0]..kind",
    "letters_sent[0][",
    "letters_sent[1]]",
    "letters_sent[0]kind",
    "letters_sent.[0]",
    "[",
    "]",
    ".",
    "claim]",
    "as_of.x",
    "as_of[0]",
    "claim.principal.amount.x",
    "claim.principal.amount[0]",
    "nested[0][1][1][0][0]",
    "nested[1].a[0].b.c",
    "empty_obj.x",
    "dup.x",
};

static cJSON *parse(const char *text)
{
    bh_json_error e;
    cJSON *root = bh_json_parse(text, strlen(text), &e);
    assert_non_null(root);
    return root;
}

static void the_index_answers_every_path_as_the_tree_does(void **state)
{
    (void)state;
    cJSON *root = parse(case_text);
    bh_arena a;
    bh_jindex x;
    assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
    assert_int_equal(bh_jindex_build(root, &a, &x), 0);
    baton_view tree = bh_case_view_of(root, "2026-01-31");
    baton_view indexed = bh_case_view_indexed(root, &x, "2026-01-31");
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        assert_views_alike(&tree, &indexed, paths[i]);
    /* Without an as_of of the view's own, the tree's (missing) one. */
    baton_view tree_plain = bh_view_of(root);
    baton_view indexed_plain = tree_plain;
    indexed_plain.index = &x;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        assert_views_alike(&tree_plain, &indexed_plain, paths[i]);
    bh_arena_free(&a);
    cJSON_Delete(root);
}

/*
 * Keys of every length the member lookup treats differently (1-3 bytes,
 * 4-7, 8-16, longer with words between, to 40), each next to siblings of the same length that
 * differ in one byte (first, middle, last): the index finds the key and
 * none of its near misses, as the tree does.
 */
static void keys_of_every_length_are_told_from_their_near_misses(void **state)
{
    (void)state;
    char text[32768], key[48], path[64];
    size_t used = 0;
    used += (size_t)snprintf(text + used, sizeof text - used, "{\"o\":{");
    for (size_t len = 1; len <= 40; len++) {
        for (size_t v = 1; v <= 4; v++) {
            /* variants 1..3: the first, middle or last byte changed,
             * written before the key itself (variant 0), so a lookup that
             * stopped at the first sibling of the same length is wrong. */
            size_t variant = v % 4;
            for (size_t i = 0; i < len; i++)
                key[i] = (char)('a' + (i % 26));
            key[len] = '\0';
            size_t at = variant == 1 ? 0 : variant == 2 ? len / 2 : len - 1;
            if (variant != 0)
                key[at] = 'Z';
            used += (size_t)snprintf(text + used, sizeof text - used, "%s\"%s\":%zu",
                                     len == 1 && v == 1 ? "" : ",", key,
                                     variant == 0 ? 1000 + len : len * 10 + variant);
        }
    }
    used += (size_t)snprintf(text + used, sizeof text - used, "}}");
    assert_true(used < sizeof text);
    cJSON *root = parse(text);
    bh_arena a;
    bh_jindex x;
    assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
    assert_int_equal(bh_jindex_build(root, &a, &x), 0);
    baton_view tree = bh_case_view_of(root, "2026-01-31");
    baton_view indexed = bh_case_view_indexed(root, &x, "2026-01-31");
    for (size_t len = 1; len <= 40; len++) {
        int64_t i = 0;
        for (size_t k = 0; k < len; k++)
            key[k] = (char)('a' + (k % 26));
        key[len] = '\0';
        snprintf(path, sizeof path, "o.%s", key);
        assert_int_equal(bh_view_int(&indexed, path, &i), 0);
        assert_true(i == (int64_t)(1000 + len));
        assert_views_alike(&tree, &indexed, path);
        /* Not there: each byte changed to one no sibling has there. */
        for (size_t k = 0; k < len; k++) {
            char was = key[k];
            key[k] = 'Y';
            snprintf(path, sizeof path, "o.%s", key);
            assert_int_equal(bh_view_int(&indexed, path, &i), BATON_ENOENT);
            assert_views_alike(&tree, &indexed, path);
            key[k] = was;
        }
        /* One byte shorter or longer than a key that is there. */
        snprintf(path, sizeof path, "o.%.*s", (int)len - 1, key);
        assert_views_alike(&tree, &indexed, path);
        snprintf(path, sizeof path, "o.%sa", key);
        assert_views_alike(&tree, &indexed, path);
    }
    bh_arena_free(&a);
    cJSON_Delete(root);
}

/* The next number of a xorshift64 sequence (the same in every run). */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/*
 * Paths made at random: one of the paths above, then up to three edits,
 * each appending a piece the syntax has (a key that is there or not, '.',
 * '[', ']', a subscript, a leading zero), or putting one of those bytes
 * in place of a byte, or cutting a byte out. The index and the tree give
 * every accessor the same answer, so the index's own path loop refuses,
 * misses and finds exactly where bh_path_next does.
 */
static void random_paths_answer_as_the_tree_does(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        ".claim", ".principal", ".amount", ".kind", ".a", ".b",  ".as_of", "as_of",
        ".nope",  ".",          "..",      "[",     "]",  "[0]", "[1]",    "[01]",
        "[10]",   "0",          "x",       ".dup",  ".k", "].",
    };
    static const char bytes[] = ".[]0129ax";
    const size_t npaths = sizeof paths / sizeof paths[0];
    const size_t npieces = sizeof pieces / sizeof pieces[0];
    cJSON *root = parse(case_text);
    bh_arena a;
    bh_jindex x;
    assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
    assert_int_equal(bh_jindex_build(root, &a, &x), 0);
    baton_view tree = bh_case_view_of(root, "2026-01-31");
    baton_view indexed = bh_case_view_indexed(root, &x, "2026-01-31");
    baton_view tree_plain = bh_view_of(root);
    baton_view indexed_plain = tree_plain;
    indexed_plain.index = &x;
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    size_t found = 0, missing = 0, malformed = 0;
    for (int round = 0; round < 20000; round++) {
        char path[256];
        snprintf(path, sizeof path, "%s", paths[next_random(&rng) % npaths]);
        for (uint64_t edits = next_random(&rng) % 4; edits > 0; edits--) {
            uint64_t r = next_random(&rng);
            size_t len = strlen(path);
            if (r % 3 == 0 || len == 0) {
                snprintf(path + len, sizeof path - len, "%s", pieces[(r >> 8) % npieces]);
            } else if (r % 3 == 1) {
                path[(r >> 8) % len] = bytes[(r >> 24) % (sizeof bytes - 1)];
            } else {
                size_t at = (r >> 8) % len;
                memmove(path + at, path + at + 1, len - at);
            }
        }
        const char *s;
        int rc = bh_view_string(&indexed, path, &s);
        found += bh_view_type(&indexed, path) != BATON_VIEW_MISSING;
        missing += rc == BATON_ENOENT;
        malformed += rc == BATON_EINVAL;
        assert_views_alike(&tree, &indexed, path);
        assert_views_alike(&tree_plain, &indexed_plain, path);
    }
    /* The edits reach all three answers often. */
    print_message("found %zu, missing %zu, malformed %zu\n", found, missing, malformed);
    assert_true(found > 2000 && missing > 2000 && malformed > 2000);
    bh_arena_free(&a);
    cJSON_Delete(root);
}

/*
 * The root's directory (root_from): roots whose members share slots,
 * repeat keys, or number more than 255 (then every slot scans all) are
 * answered as the tree answers, by both ways an index is made.
 */
static void root_members_are_found_past_shared_slots_and_repeats(void **state)
{
    (void)state;
    static const size_t sizes[] = {1, 12, 64, 255, 256, 300};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        size_t members = sizes[z], cap = 64 + members * 24, used = 0;
        char *text = malloc(cap), path[32];
        assert_non_null(text);
        used += (size_t)snprintf(text + used, cap - used, "{");
        for (size_t i = 0; i < members; i++) {
            /* Keys of a few lengths and first bytes, so slots are shared;
             * every fifth repeats the one before it with another value. */
            size_t k = i % 5 == 4 ? i - 1 : i;
            used += (size_t)snprintf(text + used, cap - used, "%s\"%c%zu\":%zu", i ? "," : "",
                                     (char)('a' + k % 3), k, i);
        }
        used += (size_t)snprintf(text + used, cap - used, "}");
        assert_true(used < cap);
        cJSON *root = parse(text);
        bh_arena a, b;
        bh_jindex x, y;
        assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
        assert_int_equal(bh_arena_init(&b, 1024, 0), 0);
        assert_int_equal(bh_jindex_build(root, &a, &x), 0);
        assert_int_equal(bh_jindex_parse(text, used, &b, &y), 0);
        assert_memory_equal(x.root_from, y.root_from, sizeof x.root_from);
        baton_view tree = bh_case_view_of(root, "2026-01-31");
        baton_view built = bh_case_view_indexed(root, &x, "2026-01-31");
        baton_view parsed = bh_case_view_indexed(root, &y, "2026-01-31");
        for (size_t i = 0; i <= members + 3; i++) {
            for (int first = 'a'; first <= 'd'; first++) {
                int64_t want = -1, got = -1;
                snprintf(path, sizeof path, "%c%zu", first, i);
                int rc = bh_view_int(&tree, path, &want);
                assert_int_equal(bh_view_int(&built, path, &got), rc);
                assert_true(got == want);
                got = -1;
                assert_int_equal(bh_view_int(&parsed, path, &got), rc);
                assert_true(got == want);
                assert_views_alike(&tree, &built, path);
            }
        }
        bh_arena_free(&a);
        bh_arena_free(&b);
        cJSON_Delete(root);
        free(text);
    }
}

static void lookups_return_typed_values_and_the_first_of_repeated_keys(void **state)
{
    (void)state;
    cJSON *root = parse(case_text);
    bh_arena a;
    bh_jindex x;
    const char *s;
    int64_t i;
    size_t n;
    assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
    assert_int_equal(bh_jindex_build(root, &a, &x), 0);
    baton_view v = bh_case_view_indexed(root, &x, "2026-01-31");
    assert_int_equal(bh_view_int(&v, "dup", &i), 0);
    assert_true(i == 1);
    assert_int_equal(bh_view_string(&v, "nested[1].a[0].b", &s), 0);
    assert_string_equal(s, "deep");
    assert_int_equal(bh_view_string(&v, "as_of", &s), 0);
    assert_string_equal(s, "2026-01-31");
    assert_int_equal(bh_view_int(&v, "claim.exp", &i), BATON_ERANGE); /* 3e1 is no integer */
    assert_int_equal(bh_view_int(&v, "claim.big", &i), BATON_ERANGE); /* beyond 2^53 */
    assert_int_equal(bh_view_int(&v, "claim.neg", &i), 0);
    assert_true(i == -42);
    assert_int_equal(bh_view_type(&v, "claim.rate"), BATON_VIEW_NUMBER);
    assert_int_equal(bh_view_type(&v, "debtor.address"), BATON_VIEW_NULL);
    assert_int_equal(bh_view_type(&v, "nope"), BATON_VIEW_MISSING);
    assert_int_equal(bh_view_string(&v, "nope", &s), BATON_ENOENT);
    assert_int_equal(bh_view_string(&v, "claim..due_date", &s), BATON_EINVAL);
    assert_int_equal(bh_view_count(&v, "empty_arr", &n), 0);
    assert_int_equal(n, 0);
    /* Children sit next to each other: the root's members are nodes 1..n. */
    assert_int_equal(x.nodes[0].first, 1);
    assert_string_equal(x.nodes[1].key, "case_id");
    bh_arena_free(&a);
    cJSON_Delete(root);
}

static void keys_up_to_the_limit_are_read_and_longer_ones_refused(void **state)
{
    (void)state;
    char key[BH_PATH_MAX_KEY + 2], text[512];
    memset(key, 'k', sizeof key);
    key[BH_PATH_MAX_KEY] = '\0';
    snprintf(text, sizeof text, "{\"%s\":7}", key);
    cJSON *root = parse(text);
    bh_arena a;
    bh_jindex x;
    int64_t i;
    assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
    assert_int_equal(bh_jindex_build(root, &a, &x), 0);
    baton_view v = bh_case_view_indexed(root, &x, "2026-01-31");
    baton_view t = bh_view_of(root);
    assert_int_equal(bh_view_int(&v, key, &i), 0);
    assert_true(i == 7);
    key[BH_PATH_MAX_KEY] = 'k';
    key[BH_PATH_MAX_KEY + 1] = '\0';
    assert_int_equal(bh_view_int(&v, key, &i), BATON_EINVAL);
    assert_int_equal(bh_view_int(&t, key, &i), BATON_EINVAL);
    bh_arena_free(&a);
    cJSON_Delete(root);
}

static void hostile_nesting_is_indexed_without_recursion_limits_hit(void **state)
{
    (void)state;
    /* As deep as the parser goes (cJSON stops at 1000 levels). */
    size_t depth = 999;
    char *text = malloc(2 * depth + 2), *path = malloc(3 * depth + 1);
    assert_non_null(text);
    assert_non_null(path);
    memset(text, '[', depth);
    memset(text + depth, ']', depth);
    text[2 * depth] = '\0';
    cJSON *root = parse(text);
    bh_arena a;
    bh_jindex x;
    assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
    assert_int_equal(bh_jindex_build(root, &a, &x), 0);
    assert_int_equal(x.count, depth);
    baton_view v = bh_case_view_indexed(root, &x, "2026-01-31");
    baton_view t = bh_view_of(root);
    path[0] = '\0';
    for (size_t i = 0; i + 1 < depth; i++)
        strcat(path, "[0]");
    assert_int_equal(bh_view_type(&v, path), BATON_VIEW_ARRAY);
    assert_views_alike(&t, &v, path);
    strcat(path, "[0]");
    assert_int_equal(bh_view_type(&v, path), BATON_VIEW_MISSING);
    /* Deeper than the index takes (a tree made in memory): refused. */
    cJSON *deep = cJSON_CreateArray(), *at = deep;
    for (int i = 0; i < BH_JINDEX_MAX_DEPTH + 5; i++) {
        cJSON *c = cJSON_CreateArray();
        cJSON_AddItemToArray(at, c);
        at = c;
    }
    assert_int_equal(bh_jindex_build(deep, &a, &x), BATON_ELIMIT);
    cJSON_Delete(deep);
    bh_arena_free(&a);
    cJSON_Delete(root);
    free(text);
    free(path);
}

static void many_siblings_and_an_arena_too_small(void **state)
{
    (void)state;
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < 5000; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateNumber(i));
    bh_arena a;
    bh_jindex x;
    int64_t v;
    assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
    assert_int_equal(bh_jindex_build(arr, &a, &x), 0);
    baton_view view = bh_case_view_indexed(arr, &x, "2026-01-31");
    assert_int_equal(bh_view_int(&view, "[4999]", &v), 0);
    assert_true(v == 4999);
    assert_int_equal(bh_view_int(&view, "[5000]", &v), BATON_ENOENT);
    bh_arena_free(&a);
    /* An arena whose limit the index does not fit in: no index. */
    assert_int_equal(bh_arena_init(&a, 1024, 4096), 0);
    assert_int_equal(bh_jindex_build(arr, &a, &x), BATON_ENOMEM);
    bh_arena_free(&a);
    cJSON_Delete(arr);
}

/* A result with a bit of everything, and the tree of its own text. */
/* {"findings":...,"costs":...,"facts":...} of r, as the answer writes it
 * (the caller frees). */
static char *result_text(const baton_result *r)
{
    bh_jw w;
    size_t len;
    assert_int_equal(bh_jw_init(&w, 64), 0);
    bh_jw_lit(&w, "{");
    bh_result_write(r, &w);
    bh_jw_lit(&w, "}");
    char *text = bh_jw_take(&w, &len);
    assert_non_null(text);
    return text;
}

static void result_view_answers_as_the_tree_of_its_text(void **state)
{
    (void)state;
    baton_result *r = bh_result_new();
    assert_non_null(r);
    bh_result_set_plugin(r, "gb-ew");
    assert_int_equal(bh_result_finding(r, "documentation", "agreement", BATON_FINDING_MET,
                                       "Signed \"agreement\" on file", "CPR 7"),
                     0);
    bh_result_set_plugin(r, NULL);
    assert_int_equal(
        bh_result_finding(r, "pre_action", "letter", BATON_FINDING_WARN, "No letter", NULL), 0);
    bh_result_set_plugin(r, "gb-ew");
    assert_int_equal(bh_result_line_item(r, "court_fee", "Claim fee",
                                         baton_money_make(45500, "GBP"), "Fees Order"),
                     0);
    assert_int_equal(
        bh_result_line_item(r, "interest", "Interest", baton_money_make(-1, "JPY"), NULL), 0);
    assert_int_equal(bh_result_string(r, "limitation.basis", "contract"), 0);
    assert_int_equal(bh_result_date(r, "limitation.expires", (baton_date){2031, 3, 1}), 0);
    assert_int_equal(bh_result_int(r, "days", -12), 0);
    assert_int_equal(bh_result_money(r, "recovery.net", baton_money_make(123456, "EUR")), 0);
    assert_int_equal(bh_result_string(r, "recovery.net.note", "inside money"), 0);

    char *text = result_text(r);
    cJSON *tree = parse(text);
    baton_view t = bh_view_of(tree);
    const baton_view *rv = bh_result_view(r);
    static const char *const rpaths[] = {
        "",
        "findings",
        "findings[0]",
        "findings[0].text",
        "findings[0].basis",
        "findings[0].plugin",
        "findings[1].basis",
        "findings[1].plugin",
        "findings[2]",
        "costs",
        "costs[0].amount",
        "costs[0].amount.amount",
        "costs[0].amount.minor",
        "costs[1].amount",
        "costs[1].amount.currency",
        "costs[1].kind",
        "costs[1].basis",
        "facts",
        "facts.limitation",
        "facts.limitation.expires",
        "facts.days",
        "facts.recovery.net",
        "facts.recovery.net.note",
        "facts.recovery.net.minor",
        "facts.nope",
        "findings.x",
        "costs[0][0]",
        "facts..x",
        "[0]",
        "findings[0].category",
        "findings[0].code",
        "findings[0].status",
        "findings[1].text",
        "findings[1]",
        "findings[0].Status",
        "findings[0].cod",
        "findings[0].codes",
        "findings[0].text.x",
        "costs[0].kind",
        "costs[0].label",
        "costs[0].plugin",
        "costs[0].basis",
        "costs[1]",
        "costs[1].plugin",
        "costs[0].amount.currency",
        "costs[0].amount.amount.x",
        "costs[0].amount.nope",
        "costs[0].amoun",
        "facts.recovery",
        "facts.recovery.net.amount",
        "facts.recovery.net.currency",
        "facts.limitation.basis",
        "facts.limitatio",
        "Findings",
        "cost",
        /* the forms result.c takes the quick way, read in turn, back and
         * again, and their near misses (which it leaves to the walk) */
        "findings[1].code",
        "findings[0].code",
        "findings[1].status",
        "findings[1].category",
        "findings[2].code",
        "findings[00].code",
        "findings[01].code",
        "findings[0",
        "findings[0]x",
        "findings[0].",
        "findings[0]..code",
        "findings[0].codex",
        "findings[0].categor",
        "findings[0].category.x",
        "findings[0].category[0]",
        "findings[0].kind",
        "findings[0].amount",
        "findings[1].label",
        "findings[123456789].code",
        "findings[1234567890].code",
        "findings[-1].code",
        "findings[].code",
        "findingsx",
        "findings.",
        "costs[1].amount",
        "costs[0].amount",
        "costs[1].label",
        "costs[0].status",
        "costs[0].text",
        "costs[0].category",
        "costs[2].kind",
        "costsx[0].kind",
        "costs[0].amountx",
        "facts.",
        "facts.recovery.",
        "facts.recovery..net",
        "facts.recovery.net.",
        "facts.days.x",
        "facts.days[0]",
        "facts.recovery[0]",
        "facts.recovery.net[0]",
        "facts[0]",
        "factsx",
        "facts.day",
        "facts.dayss",
    };
    for (size_t i = 0; i < sizeof rpaths / sizeof rpaths[0]; i++)
        assert_views_alike(&t, rv, rpaths[i]);

    /* A result continuing that answer (the worker's) views the same. */
    baton_result *cont = bh_result_new_from(tree);
    assert_non_null(cont);
    for (size_t i = 0; i < sizeof rpaths / sizeof rpaths[0]; i++)
        assert_views_alike(&t, bh_result_view(cont), rpaths[i]);
    assert_int_equal(bh_result_string(cont, "days", "again"), BATON_EEXIST);
    assert_int_equal(bh_result_string(cont, "limitation.note", "more"), 0);
    bh_result_free(cont);

    cJSON_Delete(tree);
    free(text);
    bh_result_free(r);
}

/* The answer's text is JSON exactly as cJSON prints the tree it parses
 * to (escapes, numbers, order), whatever the texts hold and wherever the
 * writer has to grow (it starts at 64 bytes here). */
static void the_answer_text_is_what_cjson_prints_of_it(void **state)
{
    (void)state;
    char long_text[700];
    for (size_t i = 0; i < sizeof long_text - 1; i++)
        long_text[i] = i % 97 == 13 ? '"' : i % 89 == 5 ? '\n' : (char)('a' + (int)(i % 26));
    long_text[sizeof long_text - 1] = '\0';
    baton_result *r = bh_result_new();
    assert_non_null(r);
    bh_result_set_plugin(r, "gb-ew");
    assert_int_equal(bh_result_finding(r, "readiness", "agreement", BATON_FINDING_MET,
                                       "Quote \" backslash \\ tab \t \xc2\xa3"
                                       "12,345.67 ctl \x01",
                                       long_text),
                     0);
    assert_int_equal(
        bh_result_finding(r, "limitation", "in_time", BATON_FINDING_WARN, long_text, NULL), 0);
    bh_result_set_plugin(r, NULL);
    assert_int_equal(bh_result_finding(r, "x", "y", BATON_FINDING_INFO, "", ""), 0);
    bh_result_set_plugin(r, "northwind");
    assert_int_equal(bh_result_line_item(r, "court_fee", "Fee for \"the\" claim",
                                         baton_money_make(-5, "BHD"), long_text),
                     0);
    assert_int_equal(
        bh_result_line_item(r, "other", long_text, baton_money_make(1234567, "JPY"), NULL), 0);
    assert_int_equal(bh_result_line_item(r, "principal", "P",
                                         baton_money_make(INT64_C(999999999999999), "GBP"), "b"),
                     0);
    assert_int_equal(bh_result_string(r, "a.b.c.d", "deep \"quoted\""), 0);
    assert_int_equal(bh_result_int(r, "a.b.n", INT64_C(-999999999999999)), 0);
    assert_int_equal(bh_result_money(r, "a.m", baton_money_make(-100, "EUR")), 0);
    assert_int_equal(bh_result_string(r, "a.long", long_text), 0);
    assert_int_equal(bh_result_int(r, "zero", 0), 0);
    assert_int_equal(bh_result_string(r, "empty", ""), 0);
    assert_int_equal(bh_result_date(r, "when", (baton_date){1, 1, 1}), 0);
    /* Facts shaped as money but set one by one, with texts to escape; one
     * shape with a member more, one in another order. */
    assert_int_equal(bh_result_string(r, "like.amount", "1\"2\\"), 0);
    assert_int_equal(bh_result_string(r, "like.currency", "x\ny"), 0);
    assert_int_equal(bh_result_int(r, "like.minor", -7), 0);
    assert_int_equal(bh_result_string(r, "more.amount", "1"), 0);
    assert_int_equal(bh_result_string(r, "more.currency", "GBP"), 0);
    assert_int_equal(bh_result_int(r, "more.minor", 1), 0);
    assert_int_equal(bh_result_int(r, "more.extra", 2), 0);
    assert_int_equal(bh_result_string(r, "other.currency", "GBP"), 0);
    assert_int_equal(bh_result_string(r, "other.amount", "1"), 0);
    assert_int_equal(bh_result_int(r, "other.minor", 1), 0);

    char *text = result_text(r);
    cJSON *tree = parse(text);
    char *printed = cJSON_PrintUnformatted(tree);
    assert_non_null(printed);
    assert_string_equal(text, printed);
    assert_non_null(strstr(text, "{\"amount\":\"-0.005\",\"currency\":\"BHD\",\"minor\":-5}"));
    assert_non_null(
        strstr(text, "{\"amount\":\"1234567\",\"currency\":\"JPY\",\"minor\":1234567}"));
    assert_non_null(strstr(text, "{\"amount\":\"9999999999999.99\",\"currency\":\"GBP\","
                                 "\"minor\":999999999999999}"));
    assert_non_null(strstr(text, "\"n\":-999999999999999"));
    assert_non_null(
        strstr(text, "\"like\":{\"amount\":\"1\\\"2\\\\\",\"currency\":\"x\\ny\",\"minor\":-7}"));

    /* A result continuing it writes the same text. */
    baton_result *cont = bh_result_new_from(tree);
    assert_non_null(cont);
    char *again = result_text(cont);
    assert_string_equal(again, text);
    free(again);
    bh_result_free(cont);

    free(printed);
    cJSON_Delete(tree);
    free(text);
    bh_result_free(r);

    /* Sixteen digits are written exactly (cJSON would print 2^53 as
     * 9.00719925474099e+15, which reads back as another number). */
    r = bh_result_new();
    assert_int_equal(bh_result_int(r, "n", INT64_C(-9007199254740992)), 0);
    assert_int_equal(bh_result_money(r, "m", baton_money_make(INT64_C(9007199254740992), "GBP")),
                     0);
    text = result_text(r);
    assert_string_equal(text, "{\"findings\":[],\"costs\":[],\"facts\":{\"n\":-9007199254740992,"
                              "\"m\":{\"amount\":\"90071992547409.92\",\"currency\":\"GBP\","
                              "\"minor\":9007199254740992}}}");
    free(text);
    bh_result_free(r);
}

static void a_refused_fact_leaves_no_trace(void **state)
{
    (void)state;
    baton_result *r = bh_result_new();
    const char *s;
    assert_int_equal(bh_result_string(r, "a.B", "x"), BATON_EINVAL);
    assert_int_equal(bh_view_type(bh_result_view(r), "facts.a"), BATON_VIEW_MISSING);
    assert_int_equal(bh_result_string(r, "a", "x"), 0);
    assert_int_equal(bh_view_string(bh_result_view(r), "facts.a", &s), 0);
    assert_string_equal(s, "x");
    bh_result_free(r);
}

static void totals_sum_by_currency_and_kind_and_refuse_overflow(void **state)
{
    (void)state;
    baton_result *r = bh_result_new();
    bh_jw w;
    size_t len;
    assert_int_equal(bh_result_line_item(r, "court_fee", "a", baton_money_make(100, "GBP"), NULL),
                     0);
    assert_int_equal(bh_result_line_item(r, "interest", "b", baton_money_make(5, "GBP"), NULL), 0);
    assert_int_equal(bh_result_line_item(r, "court_fee", "c", baton_money_make(1, "EUR"), NULL), 0);
    assert_int_equal(bh_result_line_item(r, "court_fee", "d", baton_money_make(250, "GBP"), NULL),
                     0);
    assert_int_equal(bh_jw_init(&w, 64), 0);
    assert_int_equal(bh_result_write_totals(r, &w), 0);
    char *text = bh_jw_take(&w, &len);
    /* A kind added to moves last in its currency, as it always has. */
    assert_string_equal(text,
                        "\"totals\":{\"GBP\":{\"interest\":{\"amount\":\"0.05\",\"currency\":"
                        "\"GBP\",\"minor\":5},\"court_fee\":{\"amount\":\"3.50\",\"currency\":"
                        "\"GBP\",\"minor\":350}},\"EUR\":{\"court_fee\":{\"amount\":\"0.01\","
                        "\"currency\":\"EUR\",\"minor\":1}}}");
    free(text);
    /* Each currency's digits: none for JPY, three for BHD, signs kept. */
    baton_result *x = bh_result_new();
    assert_int_equal(bh_result_line_item(x, "other", "a", baton_money_make(-1500, "JPY"), NULL), 0);
    assert_int_equal(bh_result_line_item(x, "other", "b", baton_money_make(-7, "BHD"), NULL), 0);
    assert_int_equal(bh_result_line_item(x, "interest", "c", baton_money_make(1001, "BHD"), NULL),
                     0);
    assert_int_equal(bh_jw_init(&w, 16), 0);
    assert_int_equal(bh_result_write_totals(x, &w), 0);
    text = bh_jw_take(&w, &len);
    assert_string_equal(text, "\"totals\":{\"JPY\":{\"other\":{\"amount\":\"-1500\",\"currency\":"
                              "\"JPY\",\"minor\":-1500}},\"BHD\":{\"other\":{\"amount\":\"-0.007\","
                              "\"currency\":\"BHD\",\"minor\":-7},\"interest\":{\"amount\":"
                              "\"1.001\",\"currency\":\"BHD\",\"minor\":1001}}}");
    free(text);
    bh_result_free(x);
    int64_t max = INT64_C(9007199254740992);
    assert_int_equal(bh_result_line_item(r, "other", "e", baton_money_make(max, "GBP"), NULL), 0);
    assert_int_equal(bh_result_line_item(r, "other", "f", baton_money_make(1, "GBP"), NULL), 0);
    assert_int_equal(bh_jw_init(&w, 64), 0);
    assert_int_equal(bh_result_write_totals(r, &w), BATON_ERANGE);
    bh_jw_free(&w);
    bh_result_free(r);
}

/* findings[i] and costs[i] read in any order, with records added between
 * reads, answer the i-th record (result_view walks on from the last one
 * it reached when it can). */
static void result_view_elements_in_any_order(void **state)
{
    (void)state;
    baton_result *r = bh_result_new();
    const baton_view *rv = bh_result_view(r);
    char path[48], code[16];
    const char *s;
    static const size_t order[] = {0, 1, 2, 2, 5, 3, 0, 4, 1, 6, 6, 0};
    size_t added = 0;
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        if (k % 3 == 0) { /* two more of each */
            for (int j = 0; j < 2; j++, added++) {
                snprintf(code, sizeof code, "c%zu", added);
                assert_int_equal(
                    bh_result_finding(r, "readiness", code, BATON_FINDING_MET, "t", NULL), 0);
                assert_int_equal(bh_result_line_item(r, "other", code,
                                                     baton_money_make((int64_t)added, "GBP"), NULL),
                                 0);
            }
        }
        size_t i = order[k];
        snprintf(path, sizeof path, "findings[%zu].code", i);
        int rc = bh_view_string(rv, path, &s);
        snprintf(path, sizeof path, "costs[%zu].label", i);
        int rc2 = bh_view_string(rv, path, &s);
        if (i >= added) {
            assert_int_equal(rc, BATON_ENOENT);
            assert_int_equal(rc2, BATON_ENOENT);
            continue;
        }
        snprintf(code, sizeof code, "c%zu", i);
        assert_int_equal(rc2, 0);
        assert_string_equal(s, code);
        snprintf(path, sizeof path, "findings[%zu].code", i);
        assert_int_equal(bh_view_string(rv, path, &s), 0);
        assert_string_equal(s, code);
    }
    bh_result_free(r);
}

/* The fact key rule at its edges: parts of 1 to 64 code bytes joined by
 * '.', at most 127 bytes in all. */
static void fact_keys_at_the_edges_of_the_rule(void **state)
{
    (void)state;
    char k64[65], k65[66], k127[128], k128[129];
    memset(k64, 'a', 64);
    k64[64] = '\0';
    memset(k65, 'b', 65);
    k65[65] = '\0';
    memset(k127, 'c', 127);
    k127[63] = '.';
    k127[127] = '\0'; /* 63 + '.' + 63 */
    memset(k128, 'd', 128);
    k128[64] = '.';
    k128[128] = '\0'; /* 64 + '.' + 63 */
    const char *good[] = {"a", "a.b", "a-b_c.d9", "0", "x.y.z.w", k64, k127};
    const char *bad[] = {"", ".", "a.", ".a", "a..b", "A", "a b", "a.B", "\xc3\xa9", k65, k128};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        baton_result *r = bh_result_new();
        assert_int_equal(bh_result_int(r, good[i], 1), 0);
        bh_result_free(r);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        baton_result *r = bh_result_new();
        assert_int_equal(bh_result_int(r, bad[i], 1), BATON_EINVAL);
        assert_non_null(strstr(bh_reason_last(), "fact key"));
        bh_result_free(r);
    }
    baton_result *r = bh_result_new();
    assert_int_equal(bh_result_int(r, NULL, 1), BATON_EINVAL);
    bh_result_free(r);
}

/* A prior answer's fact keys are not held to the code rule (they were
 * read from JSON): they are written escaped, so the text stays JSON. */
static void a_prior_answers_odd_fact_keys_are_written_escaped(void **state)
{
    (void)state;
    cJSON *prior = cJSON_Parse("{\"findings\":[],\"costs\":[],\"facts\":"
                               "{\"q\\\"k\":{\"back\\\\slash\":1},\"nl\\n\":\"x\"}}");
    assert_non_null(prior);
    baton_result *r = bh_result_new_from(prior);
    assert_non_null(r);
    assert_int_equal(bh_result_string(r, "plain_key", "v"), 0);
    char *text = result_text(r);
    cJSON *back = cJSON_Parse(text);
    assert_non_null(back);
    cJSON *facts = cJSON_GetObjectItemCaseSensitive(back, "facts");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(facts, "q\"k"), "back\\slash")));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(facts, "nl\n")->valuestring, "x");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(facts, "plain_key")->valuestring, "v");
    cJSON_Delete(back);
    free(text);
    bh_result_free(r);
    cJSON_Delete(prior);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_index_answers_every_path_as_the_tree_does),
        cmocka_unit_test(the_answer_text_is_what_cjson_prints_of_it),
        cmocka_unit_test(lookups_return_typed_values_and_the_first_of_repeated_keys),
        cmocka_unit_test(keys_of_every_length_are_told_from_their_near_misses),
        cmocka_unit_test(random_paths_answer_as_the_tree_does),
        cmocka_unit_test(root_members_are_found_past_shared_slots_and_repeats),
        cmocka_unit_test(keys_up_to_the_limit_are_read_and_longer_ones_refused),
        cmocka_unit_test(hostile_nesting_is_indexed_without_recursion_limits_hit),
        cmocka_unit_test(many_siblings_and_an_arena_too_small),
        cmocka_unit_test(result_view_answers_as_the_tree_of_its_text),
        cmocka_unit_test(a_refused_fact_leaves_no_trace),
        cmocka_unit_test(totals_sum_by_currency_and_kind_and_refuse_overflow),
        cmocka_unit_test(a_prior_answers_odd_fact_keys_are_written_escaped),
        cmocka_unit_test(fact_keys_at_the_edges_of_the_rule),
        cmocka_unit_test(result_view_elements_in_any_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
