/* test_json_text.c - API answers are written exactly as cJSON writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_text.h"

static void same_as_cjson(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    char *want, *got;
    size_t len = 0;

    assert_non_null(j);
    want = cJSON_PrintUnformatted(j);
    got = bh_json_text(j, &len);
    assert_non_null(want);
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
    free(want);
    free(got);
    cJSON_Delete(j);
}

static void writes_what_cjson_writes(void **state)
{
    static const char *const docs[] = {
        "{}",
        "[]",
        "null",
        "true",
        "[false,true,null]",
        "0",
        "-0",
        "[1,-1,2147483647,2147483648,-2147483649,123456789012345,-999999999999999]",
        "[1e15,1.5e300,-2.5e-300,0.1,3.14159,1e-7,100.5,12345.67,0.30000000000000004]",
        "\"plain\"",
        "\"quote \\\" backslash \\\\ slash / tab \\t nl \\n cr \\r bs \\b ff \\f\"",
        "\"ctl \\u0001 \\u001f del \\u007f\"",
        "\"\\u00a3 12,345.67 \\u20ac \\ud83d\\ude00\"",
        "{\"a\":{\"b\":[{\"c\":\"d\"},[],{}]},\"\\u00e9\":1,\"k\\\"q\":null}",
        "{\"case_id\":\"NW-1\",\"costs\":[{\"kind\":\"court_fee\",\"amount\":{\"amount\":"
        "\"617.28\",\"currency\":\"GBP\",\"minor\":61728}}],\"facts\":{\"days_left\":-3}}",
    };
    (void)state;
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
        same_as_cjson(docs[i]);
}

static void writes_built_trees_and_raw_items(void **state)
{
    cJSON *root = cJSON_CreateObject();
    char *got, *want;
    size_t len = 0;
    (void)state;
    cJSON_AddNumberToObject(root, "big", 9007199254740993.0);
    cJSON_AddNumberToObject(root, "neg", -42);
    cJSON_AddRawToObject(root, "raw", "[1,2]");
    cJSON_AddStringToObject(root, "s", "x");
    got = bh_json_text(root, &len);
    want = cJSON_PrintUnformatted(root);
    assert_string_equal(got, want);
    free(got);
    free(want);
    cJSON_Delete(root);
}

/* Every byte value at every position of strings from 0 to 66 bytes long
 * (so across the writer's 4-, 8- and 16-byte tests, four 16-byte steps and
 * every tail), against cJSON. */
static void escapes_every_byte_at_every_position(void **state)
{
    char text[67];
    (void)state;
    for (size_t len = 0; len <= 66; len++) {
        for (size_t at = 0; at < (len > 0 ? len : 1); at++) {
            for (int c = 1; c < 256; c += (len > 0 ? 1 : 255)) {
                for (size_t i = 0; i < len; i++)
                    text[i] = (char)('a' + (int)(i % 26));
                if (len > 0)
                    text[at] = (char)c;
                text[len] = '\0';
                cJSON *j = cJSON_CreateString(text);
                assert_non_null(j);
                char *want = cJSON_PrintUnformatted(j), *got;
                size_t got_len = 0;
                got = bh_json_text(j, &got_len);
                assert_non_null(got);
                assert_string_equal(got, want);
                assert_int_equal(got_len, strlen(want));
                free(want);
                free(got);
                cJSON_Delete(j);
            }
        }
    }
}

/* s as cJSON writes it, as a JSON string (the caller frees). */
static char *cjson_string_text(const char *s)
{
    cJSON *j = cJSON_CreateString(s);
    assert_non_null(j);
    char *text = cJSON_PrintUnformatted(j);
    assert_non_null(text);
    cJSON_Delete(j);
    return text;
}

/* bh_jw_put_string of s[0..len) into room of exactly
 * BH_JW_STRING_MAX(len) bytes, from a copy of s in a buffer of exactly len
 * bytes (an AddressSanitizer build sees a read outside it), checked
 * against cJSON and for bytes written past the end it returns. */
static void assert_put_string(const char *s, size_t len)
{
    char *in = malloc(len > 0 ? len : 1);
    size_t room = BH_JW_STRING_MAX(len);
    char *out = malloc(room + 16);
    assert_non_null(in);
    assert_non_null(out);
    memcpy(in, s, len);
    memset(out, 0x5a, room + 16);
    char *end = bh_jw_put_string(out, in, len);
    char *want = cjson_string_text(s);
    assert_int_equal((size_t)(end - out), strlen(want));
    assert_memory_equal(out, want, strlen(want));
    for (char *p = end; p < out + room + 16; p++)
        assert_int_equal((unsigned char)*p, 0x5a);
    free(want);
    free(out);
    free(in);
}

/* Two bytes needing an escape at every pair of positions, so the writer
 * goes from its no-escape test to the escaping copy and on across steps. */
static void escapes_two_bytes_at_every_pair_of_positions(void **state)
{
    static const char pairs[][2] = {{'"', '\\'}, {'\n', 0x01}, {0x1f, '"'}, {'\\', '\\'}};
    char text[50];
    (void)state;
    for (size_t len = 2; len <= 49; len++) {
        for (size_t i = 0; i < len; i++) {
            for (size_t k = i + 1; k < len; k++) {
                for (size_t q = 0; q < sizeof pairs / sizeof pairs[0]; q++) {
                    for (size_t x = 0; x < len; x++)
                        text[x] = (char)(x % 3 == 0 ? 0xc2 + (int)(x % 2) : 'A' + (int)(x % 26));
                    text[i] = pairs[q][0];
                    text[k] = pairs[q][1];
                    text[len] = '\0';
                    assert_put_string(text, len);
                }
            }
        }
    }
}

/* The lengths around each of the writer's steps, with and without an
 * escape at each position: exact room, no read outside the string, no
 * write past what it returns. */
static void strings_fill_exactly_their_room(void **state)
{
    static const size_t lens[] = {0,  1,  2,  3,  4,  5,  7,  8,  9,  15, 16,
                                  17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 200};
    char text[201];
    (void)state;
    for (size_t l = 0; l < sizeof lens / sizeof lens[0]; l++) {
        size_t len = lens[l];
        for (size_t x = 0; x < len; x++) {
            /* printable ASCII and UTF-8 lead bytes, nothing to escape */
            int c = x % 5 == 4 ? 0xe2 : 0x20 + (int)(x * 7 % 95);
            text[x] = (char)(c == '"' || c == '\\' ? 'q' : c);
        }
        text[len] = '\0';
        assert_put_string(text, len);
        for (size_t at = 0; at < len; at++) {
            char keep = text[at];
            text[at] = '\t';
            assert_put_string(text, len);
            text[at] = (char)0x7f; /* DEL is no control for JSON: written as it is */
            assert_put_string(text, len);
            text[at] = keep;
        }
    }
}

static void integers_at_every_digit_count(void **state)
{
    char want[32];
    (void)state;
    int64_t v = 1;
    for (int digits = 1; digits <= 19; digits++, v = digits < 19 ? v * 10 : v) {
        const int64_t tries[] = {v, v - 1, v + 1, -v, -(v - 1), v * 9 / 10 * 10 + 9};
        for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
            bh_jw w;
            size_t len;
            assert_int_equal(bh_jw_init(&w, 16), 0);
            bh_jw_int(&w, tries[i]);
            char *got = bh_jw_take(&w, &len);
            snprintf(want, sizeof want, "%lld", (long long)tries[i]);
            assert_string_equal(got, want);
            assert_int_equal(len, strlen(want));
            free(got);
        }
    }
    const int64_t edges[] = {INT64_MIN,
                             INT64_MAX,
                             INT64_MIN + 1,
                             (int64_t)UINT32_MAX,
                             (int64_t)UINT32_MAX + 1,
                             -(int64_t)UINT32_MAX - 1,
                             INT64_C(9007199254740992),
                             0};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        char out[BH_JW_INT_MAX + 1];
        char *end = bh_jw_put_int(out, edges[i]);
        *end = '\0';
        snprintf(want, sizeof want, "%lld", (long long)edges[i]);
        assert_string_equal(out, want);
    }
}

/* A writer that cannot grow any more answers no room from then on, writes
 * nothing, and hands out no text. */
static void a_failed_writer_writes_nothing_more(void **state)
{
    bh_jw w;
    size_t len = 7;
    char *out = NULL, *limit = NULL;
    (void)state;
    assert_int_equal(bh_jw_init(&w, 64), 0);
    bh_jw_lit(&w, "[1");
    assert_int_equal(bh_jw_open(&w, 8, &out, &limit), 0);
    assert_true(limit - out >= 8);
    assert_int_equal(bh_jw_ensure(&w, SIZE_MAX / 2, &out, &limit), -1);
    assert_true(w.failed);
    assert_null(bh_jw_room(&w, 1));
    assert_int_equal(bh_jw_open(&w, 1, &out, &limit), -1);
    bh_jw_string(&w, "more");
    bh_jw_int(&w, 5);
    bh_jw_lit(&w, "]");
    assert_int_equal(w.n, 0);
    assert_null(bh_jw_take(&w, &len));
    assert_int_equal(len, 7);
}

/* A writer holding several answers takes back the one it could not
 * finish, a failure included, and writes on after the ones before. */
static void a_writer_takes_back_what_it_could_not_finish(void **state)
{
    bh_jw w;
    size_t len = 0;
    (void)state;
    assert_int_equal(bh_jw_init(&w, 64), 0);
    bh_jw_lit(&w, "[1,");
    size_t mark = w.n;
    bh_jw_lit(&w, "\"half");
    bh_jw_back_to(&w, mark);
    bh_jw_lit(&w, "2,");
    mark = w.n;
    bh_jw_string(&w, "partly written");
    assert_null(bh_jw_room(&w, SIZE_MAX / 2));
    assert_true(w.failed);
    bh_jw_back_to(&w, mark);
    assert_false(w.failed);
    for (int i = 0; i < 100; i++) /* and grows again */
        bh_jw_lit(&w, "3,");
    bh_jw_lit(&w, "4]");
    char *text = bh_jw_take(&w, &len);
    assert_non_null(text);
    assert_int_equal(len, 5 + 200 + 2);
    assert_memory_equal(text, "[1,2,3,3,", 9);
    assert_memory_equal(text + len - 4, "3,4]", 4);
    free(text);
}

/* Pieces written at a position kept in locals (bh_jw_open/ensure) land
 * where bh_jw_* calls would put them, across the buffer's growth. */
static void written_in_place_across_growth(void **state)
{
    bh_jw a, b;
    char *out = NULL, *limit = NULL;
    size_t alen, blen;
    (void)state;
    assert_int_equal(bh_jw_init(&a, 64), 0);
    assert_int_equal(bh_jw_init(&b, 64), 0);
    assert_int_equal(bh_jw_open(&b, 1, &out, &limit), 0);
    for (int i = 0; i < 300; i++) {
        const char *s = i % 3 == 0 ? "plain" : i % 3 == 1 ? "tab\there" : "";
        bh_jw_lit(&a, ",");
        bh_jw_string(&a, s);
        bh_jw_int(&a, -i * 1000003);
        assert_int_equal(
            bh_jw_ensure(&b, 1 + BH_JW_STRING_MAX(strlen(s)) + BH_JW_INT_MAX, &out, &limit), 0);
        out = bh_jw_put_lit(out, ",");
        out = bh_jw_put_string(out, s, strlen(s));
        out = bh_jw_put_int(out, -i * 1000003);
    }
    bh_jw_done(&b, out);
    char *at = bh_jw_take(&a, &alen), *bt = bh_jw_take(&b, &blen);
    assert_non_null(at);
    assert_non_null(bt);
    assert_int_equal(alen, blen);
    assert_string_equal(at, bt);
    free(at);
    free(bt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_what_cjson_writes),
        cmocka_unit_test(writes_built_trees_and_raw_items),
        cmocka_unit_test(escapes_every_byte_at_every_position),
        cmocka_unit_test(escapes_two_bytes_at_every_pair_of_positions),
        cmocka_unit_test(strings_fill_exactly_their_room),
        cmocka_unit_test(integers_at_every_digit_count),
        cmocka_unit_test(a_failed_writer_writes_nothing_more),
        cmocka_unit_test(a_writer_takes_back_what_it_could_not_finish),
        cmocka_unit_test(written_in_place_across_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
