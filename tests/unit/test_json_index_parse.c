/*
 * test_json_index_parse.c - the one-pass parser of a case into its index
 * (json_index_parse.h), as any JSON text and with the case rules checked
 * as it reads (bh_jindex_parse_case), against the cJSON route it stands in for
 * (bh_json_parse, bh_case_validate, bh_jindex_build).
 *
 * The property every test checks (differential): whenever the fast route
 * accepts a text, the cJSON route accepts it too and builds the same
 * index (same nodes, keys, types, values, order). The fast route may
 * refuse what the cJSON route accepts (it then falls back), but every
 * shipped example case and the usual shapes of JSON must go the fast way,
 * or it would be useless: those are checked to be accepted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/jindex_routes.h"
#include "../support/test_files.h"

enum verdict { REFUSED = 0, FAST = 1 };

static size_t fast_count;

/* Runs both routes over text (jindex_routes.h), failing the test when
 * they split; returns FAST when the fast route took the text. */
static enum verdict both_routes(const char *text, size_t len, int as_case)
{
    char why[600];
    int rc = jindex_routes(text, len, as_case, why, sizeof why);
    if (rc == ROUTES_SPLIT)
        fail_msg("the fast route took a text the cJSON route answers otherwise: %s: %.*s", why,
                 (int)(len > 300 ? 300 : len), text);
    assert_true(rc != ROUTES_NOMEM);
    if (rc == ROUTES_AGREE)
        fast_count++;
    return rc == ROUTES_AGREE ? FAST : REFUSED;
}

static char *base_text(size_t *len)
{
    char path[1100];
    return test_slurp(test_path("integration/cases/gb-ew-2k.json", path, sizeof path), len);
}

static void every_example_case_goes_the_fast_way(void **state)
{
    static const char *const rel[] = {"cases", "integration/cases", "../docs/examples"};
    int seen = 0;
    (void)state;
    for (size_t d = 0; d < 3; d++) {
        char dir_path[1100];
        DIR *dir = opendir(test_path(rel[d], dir_path, sizeof dir_path));
        struct dirent *ent;
        assert_non_null(dir);
        while ((ent = readdir(dir)) != NULL) {
            char path[1400];
            size_t len, n = strlen(ent->d_name);
            if (n < 6 || strcmp(ent->d_name + n - 5, ".json") != 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", dir_path, ent->d_name);
            char *text = test_slurp(path, &len);
            if (both_routes(text, len, 1) != FAST)
                fail_msg("%s: the fast route refused a valid case", path);
            free(text);
            seen++;
        }
        closedir(dir);
    }
    assert_true(seen >= 20);
}

/* The base case with "ext": VALUE added before its closing brace. */
static char *with_ext(const char *value, size_t *len)
{
    size_t blen;
    char *base = base_text(&blen);
    char *end = strrchr(base, '}');
    assert_non_null(end);
    size_t head = (size_t)(end - base), vlen = strlen(value);
    char *out = malloc(head + vlen + 32);
    assert_non_null(out);
    memcpy(out, base, head);
    size_t n = head;
    n += (size_t)sprintf(out + n, ",\"ext\":");
    memcpy(out + n, value, vlen);
    n += vlen;
    out[n++] = '}';
    out[n] = '\0';
    free(base);
    *len = n;
    return out;
}

/* JSON the fast route must take (in a case's ext, where anything goes). */
static const char *const taken[] = {
    "{}",
    "{\"a\":[]}",
    "{\"a\":{},\"b\":[{}],\"c\":[[],[[]]]}",
    "{\"n\":0,\"m\":-0,\"k\":-1,\"big\":9007199254740992,\"neg\":-9007199254740992}",
    "{\"d\":1234567890123456}",
    "{\"t\":true,\"f\":false,\"z\":null}",
    "{\"s\":\"plain\",\"e\":\"\",\"esc\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
    "{\"u\":\"\\u00e9\\u20ac\\uD83D\\uDE00\\u0041\",\"raw\":"
    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}",
    "{\"dup\":1,\"dup\":\"two\",\"\":\"empty key\",\"k.e[y]\":1}",
    "{\"\\u006b\":\"escaped key\"}",
    " \t\r\n{ \"spaced\" : [ 1 , 2 ] , \"x\" : { } } \n",
};

/* JSON the fast route must refuse (the cJSON route decides). */
static const char *const refused[] = {
    "{\"a\":1.5}",
    "{\"a\":1e3}",
    "{\"a\":1E3}",
    "{\"a\":-0.0}",
    "{\"a\":01}",
    "{\"a\":-01}",
    "{\"a\":9007199254740993}",
    "{\"a\":-9007199254740993}",
    "{\"a\":12345678901234567}",
    "{\"a\":+1}",
    "{\"a\":-}",
    "{\"a\":1.}",
    "{\"a\":.5}",
    "{\"a\":\"\\u0000\"}",
    "{\"a\":\"\\uD800\"}",
    "{\"a\":\"\\uDC00\\uD800\"}",
    "{\"a\":\"\\uD800\\u0041\"}",
    "{\"a\":\"\\uD83D.uDE00\"}", /* the low half's backslash replaced (found by fuzz_case_parse) */
    "{\"a\":\"\\u00g0\"}",
    "{\"a\":\"\\x\"}",
    "{\"a\":\"\x01\"}",
    "{\"a\":\"\t\"}",
    "{\"a\":\"\xc0\xaf\"}",
    "{\"a\":\"\xed\xa0\x80\"}",
    "{\"a\":\"\xf4\x90\x80\x80\"}",
    "{\"a\":\"\xc3\"}",
    "{\"a\":\"\x80\"}",
    "{\"a\":tru}",
    "{\"a\":nul}",
    "{\"a\":True}",
    "{\"a\":[1,]}",
    "{\"a\":1,}",
    "{\"a\" 1}",
    "{a:1}",
    "{\"a\":[1 2]}",
    "{\"a\":\f1}",
    "{\"a\":\v1}",
    "{\"a\":\"unterminated}",
    "{\"a\":[}",
    "{\"a\":{]}",
};

static void the_usual_json_goes_the_fast_way(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++) {
        size_t len;
        char *text = with_ext(taken[i], &len);
        if (both_routes(text, len, 1) != FAST)
            fail_msg("refused: %s", taken[i]);
        free(text);
        /* and on its own, as a JSON text */
        if (both_routes(taken[i], strlen(taken[i]), 0) != FAST)
            fail_msg("refused alone: %s", taken[i]);
    }
}

static void what_it_does_not_know_falls_back(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        size_t len;
        char *text = with_ext(refused[i], &len);
        if (both_routes(text, len, 1) != REFUSED)
            fail_msg("taken: %s", refused[i]);
        free(text);
        if (both_routes(refused[i], strlen(refused[i]), 0) != REFUSED)
            fail_msg("taken alone: %s", refused[i]);
    }
    /* a byte order mark and other whitespace cJSON skips */
    static const char *const odd[] = {"\xef\xbb\xbf{}", "{}\x01", "\x0b{}", "", " ",
                                      "{}{}",           "[1]x"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
        assert_int_equal(both_routes(odd[i], strlen(odd[i]), 0), REFUSED);
}

/* Nesting: up to BH_JINDEX_PARSE_MAX_DEPTH levels the fast way, deeper
 * through cJSON (which takes 1000). */
static void nesting_is_bounded(void **state)
{
    (void)state;
    char buf[2 * (BH_JINDEX_PARSE_MAX_DEPTH + 1) + 1];
    for (int depth = BH_JINDEX_PARSE_MAX_DEPTH; depth <= BH_JINDEX_PARSE_MAX_DEPTH + 1; depth++) {
        memset(buf, '[', (size_t)depth);
        memset(buf + depth, ']', (size_t)depth);
        assert_int_equal(both_routes(buf, 2 * (size_t)depth, 0),
                         depth <= BH_JINDEX_PARSE_MAX_DEPTH ? FAST : REFUSED);
    }
}

/* The case rules over the index: each way of breaking a case (members
 * removed, wrong types, enums, money, dates, duplicates) is refused by
 * the fast route, and what the format allows is taken. */
static const struct {
    const char *find, *replace; /* first occurrence in the base case's text */
    int valid;
} edits[] = {
    {"\"case_id\"", "\"case_idx\"", 0},
    {"\"jurisdiction\": \"gb-ew\"", "\"jurisdiction\": \"GB-EW\"", 0},
    {"\"kind\": \"business\"", "\"kind\": \"company\"", 0},
    {"\"currency\": \"GBP\"", "\"currency\": \"gbp\"", 0},
    {"\"currency\": \"GBP\"", "\"currency\": \"XYZ\"", 0},
    {"\"currency\": \"GBP\"", "\"currency\": \"GBP\", \"extra\": 1", 0},
    {"\"currency\": \"GBP\"", "\"currency\": \"GBP\", \"currency\": \"GBP\"", 0},
    {"\"amount\": \"", "\"amount\": \"-", 0},
    {"\"amount\": \"", "\"amount\": \"0", 0},
    {"\"due_date\": \"", "\"due_date\": \"1", 0},
    {"\"due_date\"", "\"due_date\": \"2200-01-01\", \"x\"", 0},
    {"\"case_id\"", "\"case_id\": \"A\", \"case_id\"", 0},
    {"\"debtor\"", "\"debtor_x\"", 0},
    {"\"name\": \"", "\"name\": 7, \"n\": \"", 0},
    {"\"format\": \"baton-case/1\"", "\"format\": \"baton-case/2\"", 0},
    {"\"format\": \"baton-case/1\"", "\"formatx\": \"baton-case/1\"", 1},
    {"\"as_of\": \"2026-03-02\"", "\"as_of\": \"2025-02-30\"", 0},
    {"\"as_of\": \"2026-03-02\"", "\"as_of\": \"2025-02-28\"", 1},
    {"\"as_of\": \"2026-03-02\"", "\"as_of\": null", 0},
    {"\"case_id\"", "\"unknown\": {\"any\": [1, \"x\", null]}, \"case_id\"", 1},
    {"\"documents\"", "\"documents\": {}, \"documents_x\"", 0},
    {"\"debtor_profile\"", "\"debtor_profile\": {\"promises_broken\": -1}, \"dp\"", 0},
    {"\"debtor_profile\"", "\"debtor_profile\": {\"promises_broken\": 3}, \"dp\"", 1},
    {"\"debtor_profile\"", "\"debtor_profile\": {\"promises_broken\": 1000000000000001}, \"dp\"",
     0},
    {"\"debtor_profile\"", "\"debtor_profile\": {\"promises_broken\": 1000000000000000}, \"dp\"",
     1},
    {"\"debtor_profile\"", "\"debtor_profile\": {\"assets\": \"some\"}, \"dp\"", 0},
    {"\"debtor_profile\"", "\"debtor_profile\": {\"assets\": \"none\"}, \"dp\"", 1},
    {"\"case_id\"", "\"collector\": {}, \"case_id\"", 0},
    {"\"case_id\"", "\"collector\": {\"name\": \"C\"}, \"case_id\"", 1},
    /* charges in the claim currency, read before or after the principal */
    {"\"principal\"",
     "\"charges\": [{\"label\": \"fee\", \"amount\": {\"amount\": \"1.00\", "
     "\"currency\": \"GBP\"}}], \"principal\"",
     1},
    {"\"principal\"",
     "\"charges\": [{\"label\": \"fee\", \"amount\": {\"amount\": \"1.00\", "
     "\"currency\": \"EUR\"}}], \"principal\"",
     0},
    {"\"reference\"",
     "\"charges\": [{\"label\": \"a\", \"amount\": {\"amount\": \"1.00\", "
     "\"currency\": \"GBP\"}}, {\"label\": \"b\", \"amount\": {\"amount\": \"2.00\", "
     "\"currency\": \"USD\"}}], \"reference\"",
     0},
    {"\"reference\"",
     "\"charges\": [{\"label\": \"a\", \"amount\": {\"amount\": \"1.00\", "
     "\"currency\": \"GBP\"}}, {\"label\": \"b\", \"amount\": {\"amount\": \"2.00\", "
     "\"currency\": \"GBP\"}}], \"reference\"",
     1},
    /* Names, enum words and dates written with escapes are unescaped and
     * then matched, as the tree walk matches them; a key whose text only
     * begins like a name is another member. */
    {"\"case_id\"", "\"c\\u0061se_id\"", 1},
    {"\"case_id\"", "\"case_id\": \"A\", \"\\u0063ase_id\"", 0},
    {"\"case_id\"", "\"case\\\"\": 1, \"case_id\"", 1},
    {"\"case_id\"", "\"case_i\": 1, \"case_idd\": 2, \"case_id\"", 1},
    {"\"kind\": \"business\"", "\"kind\": \"b\\u0075siness\"", 1},
    {"\"kind\": \"business\"", "\"kind\": \"businesses\"", 0},
    {"\"kind\": \"business\"", "\"kind\": \"busines\"", 0},
    {"\"kind\": \"business\"", "\"kind\": \"business\\n\"", 0},
    {"\"kind\": \"business\"", "\"kind\": \"individual\"", 1},
    {"\"kind\": \"business\"", "\"kind\": [\"business\"]", 0},
    {"\"due_date\": \"2025-08-29\"", "\"due_date\": \"2025-08-2\\u0039\"", 1},
    {"\"due_date\": \"2025-08-29\"", "\"due_date\": \"2025-08-29 \"", 0},
    {"\"due_date\": \"2025-08-29\"", "\"due_date\": null", 0},
    {"\"due_date\": \"2025-08-29\"", "\"due_date\": \"2025-08-29\", \"last_payment_date\": null",
     1},
    {"\"amount\": \"12345.67\"", "\"\\u0061mount\": \"12345.67\"", 1},
    {"\"amount\": \"12345.67\"", "\"amount\": 12345", 0},
    {"\"amount\": \"12345.67\"", "\"amount\": \"12345.678\"", 0},
    {"\"amount\": \"12345.67\", \"currency\": \"GBP\"", "\"currency\": \"GBP\", \"amount\": \"1\"",
     1},
    {"\"amount\": \"12345.67\", \"currency\": \"GBP\"", "\"amount\": \"12345.67\"", 0},
    /* arrays: each element as its rule says, as many as it allows */
    {"\"lines\": [\"3 Station Parade\"]", "\"lines\": []", 0},
    {"\"lines\": [\"3 Station Parade\"]", "\"lines\": [\"a\", \"b\", \"c\", \"d\"]", 1},
    {"\"lines\": [\"3 Station Parade\"]", "\"lines\": [\"a\", \"b\", \"c\", \"d\", \"e\"]", 0},
    {"\"lines\": [\"3 Station Parade\"]", "\"lines\": [\"a\", \"\"]", 0},
    {"\"lines\": [\"3 Station Parade\"]", "\"lines\": \"3 Station Parade\"", 0},
    {"\"disputes\": []", "\"disputes\": [{\"date\": \"2025-01-02\", \"answered\": true}]", 1},
    {"\"disputes\": []", "\"disputes\": [{\"date\": \"2025-01-02\"}]", 0},
    {"\"disputes\": []", "\"disputes\": [{\"date\": \"2025-01-02\", \"answered\": 1}]", 0},
    {"\"disputes\": []", "\"disputes\": [[]]", 0},
    /* numbers, booleans and nulls where the rules allow them */
    {"\"promises_broken\": 2", "\"promises_broken\": -0", 1},
    {"\"promises_broken\": 2", "\"promises_broken\": \"2\"", 0},
    {"\"promises_broken\": 2", "\"promises_broken\": null", 0},
    {"\"statutory\": false", "\"statutory\": null", 0},
    {"\"statutory\": false", "\"statutory\": 0", 0},
    {"\"statutory\": false", "\"contractual_rate_bp\": null", 1},
    {"\"statutory\": false", "\"contractual_rate_bp\": 100000", 1},
    {"\"statutory\": false", "\"contractual_rate_bp\": 100001", 0},
    {"\"statutory\": false", "\"contractual_rate_bp\": true", 0},
    /* objects: required members, any members in ext, nothing else */
    {"\"interest\": {", "\"interest\": [], \"i\": {", 0},
    {"\"assignments\": []", "\"assignments\": [], \"ext\": {\"case_id\": 5, \"claim\": []}", 1},
    {"\"assignments\": []", "\"assignments\": [], \"ext\": []", 0},
    {"\"city\": \"Guildford\",", "", 0},
    {"\"format\": \"baton-case/1\",", "", 1},
};

static char *edited(const char *base, const char *find, const char *replace, size_t *len)
{
    const char *at = strstr(base, find);
    if (at == NULL)
        fail_msg("the base case has no %s", find);
    size_t head = (size_t)(at - base), fl = strlen(find), rl = strlen(replace);
    size_t tail = strlen(at + fl);
    char *out = malloc(head + rl + tail + 1);
    assert_non_null(out);
    memcpy(out, base, head);
    memcpy(out + head, replace, rl);
    memcpy(out + head + rl, at + fl, tail + 1);
    *len = head + rl + tail;
    return out;
}

static void case_rules_over_the_index(void **state)
{
    size_t blen;
    char *base = base_text(&blen);
    (void)state;
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        size_t len;
        char *text = edited(base, edits[i].find, edits[i].replace, &len);
        enum verdict v = both_routes(text, len, 1);
        if (v != (edits[i].valid ? FAST : REFUSED))
            fail_msg("%s -> %s: %s", edits[i].find, edits[i].replace,
                     v == FAST ? "taken" : "refused");
        /* whatever the fast route said, the validator says the same */
        bh_json_error je;
        bh_eval_error ee;
        cJSON *tree = bh_json_parse(text, len, &je);
        assert_non_null(tree);
        assert_int_equal(bh_case_validate(tree, &ee) == 0, edits[i].valid);
        cJSON_Delete(tree);
        free(text);
    }
    /* Texts whose strings only begin like a date, an enum word or a
     * member's name: no JSON at all when read as it is (the string runs
     * on to the next quote), so the fast route must not take them. */
    static const struct {
        const char *find, *replace;
    } broken[] = {
        {"\"due_date\": \"2025-08-29\"", "\"due_date\": \"2025-08-29x, \"x\": \"y\""},
        {"\"kind\": \"business\"", "\"kind\": \"businessx, \"x\": \"y\""},
        {"\"case_id\": ", "\"case_idx, \"x\": 1, \"y\": "},
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        size_t len;
        char *text = edited(base, broken[i].find, broken[i].replace, &len);
        if (both_routes(text, len, 1) != REFUSED || both_routes(text, len, 0) != REFUSED)
            fail_msg("taken: %s -> %s", broken[i].find, broken[i].replace);
        free(text);
    }
    /* A case is an object: the base case inside an array, and other
     * JSON texts, are taken as JSON and refused as a case. */
    size_t wlen = blen + 2;
    char *wrapped = malloc(wlen + 1);
    assert_non_null(wrapped);
    wrapped[0] = '[';
    memcpy(wrapped + 1, base, blen);
    wrapped[blen + 1] = ']';
    assert_int_equal(both_routes(wrapped, wlen, 1), REFUSED);
    assert_int_equal(both_routes(wrapped, wlen, 0), FAST);
    static const char *const not_objects[] = {"[]", "\"case\"", "7", "null", "true"};
    for (size_t i = 0; i < sizeof not_objects / sizeof not_objects[0]; i++) {
        assert_int_equal(both_routes(not_objects[i], strlen(not_objects[i]), 1), REFUSED);
        assert_int_equal(both_routes(not_objects[i], strlen(not_objects[i]), 0), FAST);
    }
    free(wrapped);
    free(base);
}

/* A small deterministic generator, so a failure is repeatable. */
static uint32_t rng_state = 2463534242u;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Mutations of the base case's text, byte by byte: every one the fast
 * route takes must be one the cJSON route takes, with the same index. */
static void mutations_never_split_the_routes(void **state)
{
    static const char bytes[] = "\"\\{}[]:,0159-.eEuU tfn\x01\x7f\x80\xc3\xa9\xed\xf0/\n";
    size_t blen;
    char *base = base_text(&blen);
    char *buf = malloc(blen + 8);
    assert_non_null(buf);
    (void)state;
    fast_count = 0;
    const int rounds = 6000;
    for (int i = 0; i < rounds; i++) {
        size_t at = rng() % blen, len = blen;
        char b = bytes[rng() % (sizeof bytes - 1)];
        memcpy(buf, base, blen);
        switch (rng() % 4) {
        case 0: /* replace */
            buf[at] = b;
            break;
        case 1: /* insert */
            memmove(buf + at + 1, buf + at, blen - at);
            buf[at] = b;
            len++;
            break;
        case 2: /* delete */
            memmove(buf + at, buf + at + 1, blen - at - 1);
            len--;
            break;
        default: /* cut short */
            len = at;
            break;
        }
        both_routes(buf, len, 1);
        both_routes(buf, len, 0);
    }
    /* Most single-byte changes inside strings keep a valid case, so the
     * fast route must have taken a good share of them: the comparison
     * above ran. */
    print_message("mutations taken by the fast route: %zu of %d\n", fast_count, 2 * rounds);
    assert_true(fast_count > (size_t)rounds / 4);
    free(buf);
    free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_example_case_goes_the_fast_way),
        cmocka_unit_test(the_usual_json_goes_the_fast_way),
        cmocka_unit_test(what_it_does_not_know_falls_back),
        cmocka_unit_test(nesting_is_bounded),
        cmocka_unit_test(case_rules_over_the_index),
        cmocka_unit_test(mutations_never_split_the_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
