/* test_json_input.c - the one rule for JSON text from outside (json_input.h):
 * NUL, invalid UTF-8 and lone surrogates refused at the right offset;
 * numbers written with a fraction or exponent marked; a member's raw span
 * found without parsing, or not at all when in doubt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "json_input.h"

/* Parses text (len bytes, may hold NULs) and expects a refusal at off
 * whose reason contains why. */
static void refused_at(const char *text, size_t len, size_t off, const char *why)
{
    bh_json_error e;
    memset(&e, 0, sizeof e);
    cJSON *j = bh_json_parse(text, len, &e);
    if (j != NULL)
        fail_msg("accepted: %.*s", (int)len, text);
    if (e.offset != off || strstr(e.why, why) == NULL)
        fail_msg("%.*s: refused at %zu (%s), expected %zu (%s)", (int)len, text, e.offset, e.why,
                 off, why);
}

#define REFUSED(lit, off, why) refused_at(lit, sizeof(lit) - 1, off, why)

static void accepted(const char *text)
{
    bh_json_error e;
    cJSON *j = bh_json_parse(text, strlen(text), &e);
    if (j == NULL)
        fail_msg("%s: refused at %zu: %s", text, e.offset, e.why);
    cJSON_Delete(j);
}

static void valid_text_is_parsed(void **state)
{
    (void)state;
    accepted("{\"name\":\"Zo\xc3\xab\"}");                     /* U+00EB, 2 bytes */
    accepted("{\"name\":\"\xe2\x82\xac 12\"}");                /* U+20AC, 3 bytes */
    accepted("{\"name\":\"\xf0\x9f\x98\x80\"}");               /* U+1F600, 4 bytes */
    accepted("{\"name\":\"\xf4\x8f\xbf\xbf\"}");               /* U+10FFFF, the last */
    accepted("{\"name\":\"\xed\x9f\xbf\"}");                   /* U+D7FF, below surrogates */
    accepted("{\"name\":\"\\ud83d\\ude00 \\u00e9 \\u0001\"}"); /* a pair; U+0001 escaped */
    accepted("{\"a\":\"\\\\u0000\"}");                         /* an escaped backslash, then text */
    accepted(" [1, 2.5, true, false, null, \"x\"] \n");
    accepted("\"just a string\"");
}

static void nul_is_refused(void **state)
{
    (void)state;
    /* "Evil\u0000Hidden" would be "Evil" in C strings. */
    REFUSED("{\"debtor\":\"Evil\\u0000Hidden\"}", 15, "NUL");
    REFUSED("{\"a\":\"x\"}\0", 9, "NUL");
    REFUSED("{\"a\":\"x\0y\"}", 7, "NUL");
}

static void invalid_utf8_is_refused(void **state)
{
    (void)state;
    REFUSED("{\"a\":\"\xc0\xaf\"}", 6, "UTF-8");         /* overlong '/' */
    REFUSED("{\"a\":\"\xc1\xbf\"}", 6, "UTF-8");         /* overlong */
    REFUSED("{\"a\":\"\xe0\x80\xaf\"}", 6, "UTF-8");     /* overlong, 3 bytes */
    REFUSED("{\"a\":\"\xf0\x80\x80\xaf\"}", 6, "UTF-8"); /* overlong, 4 bytes */
    REFUSED("{\"a\":\"\xed\xa0\x80\"}", 6, "UTF-8");     /* U+D800 encoded */
    REFUSED("{\"a\":\"\xed\xbf\xbf\"}", 6, "UTF-8");     /* U+DFFF encoded */
    REFUSED("{\"a\":\"\xf4\x90\x80\x80\"}", 6, "UTF-8"); /* U+110000 */
    REFUSED("{\"a\":\"\xf5\x80\x80\x80\"}", 6, "UTF-8"); /* F5 never occurs */
    REFUSED("{\"a\":\"ok\xe2\x82\"}", 8, "UTF-8");       /* truncated */
    REFUSED("{\"a\":\"\x80\"}", 6, "UTF-8");             /* stray continuation */
    REFUSED("{\"a\":\"\xc3\"", 6, "UTF-8");              /* truncated at the end */
    REFUSED("{\"\xff\":1}", 2, "UTF-8");                 /* in a member name */
}

static void lone_surrogate_escapes_are_refused(void **state)
{
    (void)state;
    REFUSED("{\"a\":\"x\\ud800\"}", 7, "high surrogate");
    REFUSED("{\"a\":\"\\ud800\\u0041\"}", 6, "high surrogate");
    REFUSED("{\"a\":\"\\udc00\\ud800\"}", 6, "low surrogate");
    REFUSED("{\"a\":\"\\uDFFF\"}", 6, "low surrogate");
    REFUSED("{\"a\":\"\\u12\"}", 6, "four hex");
}

static void raw_control_characters_in_strings_are_refused(void **state)
{
    (void)state;
    REFUSED("{\"a\":\"line\nbreak\"}", 10, "control character");
    REFUSED("{\"a\":\"tab\there\"}", 9, "control character");
    accepted("{\"a\":\n\t\"ok\"\r\n}");
}

static void syntax_errors_and_trailing_text_name_the_offset(void **state)
{
    (void)state;
    REFUSED("{\"a\":1,}", 7, "syntax error");
    REFUSED("{\"a\":1} x", 8, "after the JSON value");
    REFUSED("", 0, "empty");
    /* line and column of the offending byte */
    bh_json_error e;
    assert_null(bh_json_parse("{\n  \"a\": \"\\u0000\"\n}", 19, &e));
    assert_int_equal(e.line, 2);
    assert_int_equal(e.column, 9);
    assert_int_equal(e.offset, 10);
    char buf[200];
    bh_json_error_text(&e, buf, sizeof buf);
    assert_non_null(strstr(buf, "line 2, column 9 (byte offset 10)"));
}

static void numbers_with_fraction_or_exponent_are_marked(void **state)
{
    (void)state;
    bh_json_error e;
    const char *text = "{\"s\":\"1.5e3 -2.0\",\"k.e\":30,\"a\":[3e1,14.0,-7,1E+2,0.5],"
                       "\"o\":{\"x\":[{\"y\":2},{\"z\":2.50}]},\"t\":true,\"f\":false,\"n\":12}";
    cJSON *j = bh_json_parse(text, strlen(text), &e);
    assert_non_null(j);
    assert_true(bh_json_integer_text(cJSON_GetObjectItem(j, "k.e")));
    cJSON *a = cJSON_GetObjectItem(j, "a");
    assert_false(bh_json_integer_text(cJSON_GetArrayItem(a, 0)));
    assert_false(bh_json_integer_text(cJSON_GetArrayItem(a, 1)));
    assert_true(bh_json_integer_text(cJSON_GetArrayItem(a, 2)));
    assert_false(bh_json_integer_text(cJSON_GetArrayItem(a, 3)));
    assert_false(bh_json_integer_text(cJSON_GetArrayItem(a, 4)));
    assert_true(bh_json_integer_text(cJSON_GetObjectItem(j, "n")));
    assert_false(bh_json_integer_text(cJSON_GetObjectItem(j, "s"))); /* not a number */

    char path[128] = "";
    assert_int_equal(bh_json_find_fraction(j, path, 0, sizeof path), 1);
    assert_string_equal(path, ".a[0]");
    cJSON *o = cJSON_GetObjectItem(j, "o");
    strcpy(path, "o");
    assert_int_equal(bh_json_find_fraction(o, path, 1, sizeof path), 1);
    assert_string_equal(path, "o.x[1].z");
    /* Copies keep the mark. */
    cJSON *copy = cJSON_Duplicate(o, 1);
    path[0] = '\0';
    assert_int_equal(bh_json_find_fraction(copy, path, 0, sizeof path), 1);
    cJSON_Delete(copy);
    cJSON_Delete(j);

    /* Integers only: nothing marked, nothing found. */
    text = "{\"a\":[1,-2,{\"b\":300}],\"e\":\"3e1\"}";
    j = bh_json_parse(text, strlen(text), &e);
    assert_non_null(j);
    path[0] = '\0';
    assert_int_equal(bh_json_find_fraction(j, path, 0, sizeof path), 0);
    cJSON_Delete(j);

    /* A number alone. */
    j = bh_json_parse("3e1 ", 4, &e);
    assert_non_null(j);
    assert_false(bh_json_integer_text(j));
    cJSON_Delete(j);
    j = bh_json_parse("30", 2, &e);
    assert_true(bh_json_integer_text(j));
    cJSON_Delete(j);

    /* Built in memory: an integer. */
    j = cJSON_CreateNumber(30);
    assert_true(bh_json_integer_text(j));
    cJSON_Delete(j);
}

static void check_reports_fractions_without_parsing(void **state)
{
    (void)state;
    bh_json_error e;
    int frac = -1;
    assert_int_equal(bh_json_check("[true,false,1]", 14, &frac, &e), 0);
    assert_int_equal(frac, 0);
    assert_int_equal(bh_json_check("[1e5]", 5, &frac, &e), 0);
    assert_int_equal(frac, 1);
    assert_int_equal(bh_json_check("[\"\\u0000\"]", 10, &frac, &e), BATON_EINVAL);
}

/* The span of member key in text, "" (ENOENT) when there is none. */
static const char *span_of(const char *text, const char *key)
{
    static char out[256];
    size_t at = 0, end = 0;
    if (bh_json_member_span(text, strlen(text), key, &at, &end) != 0)
        return "";
    assert_true(end > at && end - at < sizeof out);
    memcpy(out, text + at, end - at);
    out[end - at] = '\0';
    return out;
}

static void member_spans_are_found_exactly_or_not_at_all(void **state)
{
    (void)state;
    assert_string_equal(span_of("{\"plugins\": [1, 2]}", "plugins"), "[1, 2]");
    assert_string_equal(span_of(" \n{ \"a\" : \"x,}]\\\"\" , \"b\": {\"c\": [\"]\", {}]}, "
                                "\"plugins\" :[{\"p\": \"[\"}] , \"d\": 1}",
                                "plugins"),
                        "[{\"p\": \"[\"}]");
    assert_string_equal(span_of("{\"n\": -1.5e3, \"t\": true, \"plugins\": null}", "plugins"),
                        "null");
    assert_string_equal(span_of("{\"plugins\": [], \"plugins\": [1]}", "plugins"), "[]");
    /* Only top-level members, the first of that name. */
    assert_string_equal(span_of("{\"x\": {\"plugins\": [1]}}", "plugins"), "");
    /* In doubt: an escaped key before it, a missing colon or comma, an
     * unterminated value, not an object. */
    assert_string_equal(span_of("{\"plugin\\u0073\": [0], \"plugins\": [1]}", "plugins"), "");
    assert_string_equal(span_of("{\"a\" 1, \"plugins\": [1]}", "plugins"), "");
    assert_string_equal(span_of("{\"a\": 1 \"plugins\": [1]}", "plugins"), "");
    assert_string_equal(span_of("{\"plugins\": [1, 2", "plugins"), "");
    assert_string_equal(span_of("{\"plugins\": \"abc", "plugins"), "");
    assert_string_equal(span_of("[{\"plugins\": [1]}]", "plugins"), "");
    assert_string_equal(span_of("{}", "plugins"), "");
    assert_string_equal(span_of("", "plugins"), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_text_is_parsed),
        cmocka_unit_test(nul_is_refused),
        cmocka_unit_test(invalid_utf8_is_refused),
        cmocka_unit_test(lone_surrogate_escapes_are_refused),
        cmocka_unit_test(raw_control_characters_in_strings_are_refused),
        cmocka_unit_test(syntax_errors_and_trailing_text_name_the_offset),
        cmocka_unit_test(numbers_with_fraction_or_exponent_are_marked),
        cmocka_unit_test(check_reports_fractions_without_parsing),
        cmocka_unit_test(member_spans_are_found_exactly_or_not_at_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
