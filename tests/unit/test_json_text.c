/* test_json_text.c - API answers are written exactly as cJSON writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

/* Every byte value at every position of strings from 0 to 40 bytes long
 * (so across the writer's 8-byte steps and their tails), against cJSON. */
static void escapes_every_byte_at_every_position(void **state)
{
    char text[41];
    (void)state;
    for (size_t len = 0; len <= 40; len++) {
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writes_what_cjson_writes),
        cmocka_unit_test(writes_built_trees_and_raw_items),
        cmocka_unit_test(escapes_every_byte_at_every_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
