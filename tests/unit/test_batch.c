/*
 * test_batch.c - the NDJSON batch format (host/runtime/batch.h): lines split
 * whatever the pieces the input arrives in, line numbers that count blank
 * lines, CRLF, a last line without newline, over-long lines dropped as
 * they arrive (held memory bounded), and the answer, error and summary
 * lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "batch.h"

/* Feeds text in pieces of size step, taking every line as it completes;
 * writes "N:text|" or "N:LONG|" for each into out. */
static void split(const char *text, size_t step, size_t line_max, char *out, size_t outlen,
                  size_t *max_held)
{
    bh_ndjson_in in;
    size_t len = strlen(text), off = 0, o = 0;
    const char *t;
    size_t n;
    uint64_t no;
    int r;

    bh_ndjson_init(&in, line_max);
    out[0] = '\0';
    *max_held = 0;
    for (;;) {
        int at_end = off == len;
        while ((r = bh_ndjson_next(&in, at_end, &t, &n, &no)) != BH_NDJSON_NONE) {
            if (r == BH_NDJSON_LINE)
                o += (size_t)snprintf(out + o, outlen - o, "%llu:%.*s|", (unsigned long long)no,
                                      (int)n, t);
            else
                o += (size_t)snprintf(out + o, outlen - o, "%llu:LONG|", (unsigned long long)no);
        }
        if (at_end)
            break;
        size_t k = len - off < step ? len - off : step;
        assert_int_equal(bh_ndjson_feed(&in, text + off, k), 0);
        off += k;
        if (bh_ndjson_held(&in) > *max_held)
            *max_held = bh_ndjson_held(&in);
    }
    bh_ndjson_free(&in);
}

static void lines_whatever_the_pieces(void **state)
{
    static const char text[] = "{\"a\":1}\n\n  \t\r\n{\"b\":2}\r\n{\"c\":3}";
    char out[256];
    size_t held;
    (void)state;
    for (size_t step = 1; step <= sizeof text; step++) {
        split(text, step, 64, out, sizeof out, &held);
        assert_string_equal(out, "1:{\"a\":1}|4:{\"b\":2}|5:{\"c\":3}|");
    }
}

static void over_long_lines_are_dropped_as_they_arrive(void **state)
{
    char text[4096], out[256];
    size_t held, n = 0;
    (void)state;
    n += (size_t)snprintf(text + n, sizeof text - n, "{\"a\":1}\n");
    memset(text + n, 'x', 3000);
    n += 3000;
    n += (size_t)snprintf(text + n, sizeof text - n, "\n{\"b\":2}\n");
    memset(text + n, 'y', 40); /* exactly the limit: taken */
    n += 40;
    text[n] = '\0';
    for (size_t step = 1; step <= 300; step += 37) {
        split(text, step, 40, out, sizeof out, &held);
        assert_string_equal(out, "1:{\"a\":1}|2:LONG|3:{\"b\":2}|4:"
                                 "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy|");
        /* never more than the limit plus one piece */
        assert_true(held <= 40 + step + 1);
    }
    /* a whole over-long line in one piece, newline included */
    split("{\"a\":1}\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n{}\n", 4096, 40, out,
          sizeof out, &held);
    assert_string_equal(out, "1:{\"a\":1}|2:LONG|3:{}|");
}

static void answer_error_and_summary_lines(void **state)
{
    char head[BH_BATCH_HEAD_MAX], sum[BH_BATCH_SUMMARY_MAX];
    bh_eval_error e;
    size_t len = 0;
    char *line;
    bh_batch_counts c = {7, 3, 2};
    (void)state;

    assert_int_equal(bh_batch_answer_head(head, 42, "{\"case_id\":\"x\"}"), 11);
    assert_string_equal(head, "{\"line\":42,");
    bh_batch_answer_head(head, 18446744073709551615ull, "{}");
    assert_string_equal(head, "{\"line\":18446744073709551615");

    memset(&e, 0, sizeof e);
    bh_eval_fail(&e, 422, "no_jurisdiction_plugin", -1, "no plugin for \"de\"\n");
    line = bh_batch_error_line(3, &e, &len);
    assert_non_null(line);
    static const char want[] = "{\"line\":3,\"status\":422,\"error\":{\"code\":"
                               "\"no_jurisdiction_plugin\",\"message\":\"no plugin for "
                               "\\\"de\\\"\\n\"}}\n";
    assert_int_equal(len, sizeof want - 1);
    assert_memory_equal(line, want, len);
    free(line);

    bh_batch_summary(sum, &c);
    assert_string_equal(sum, "{\"summary\":{\"lines\":7,\"cases\":5,\"ok\":3,\"errors\":2}}\n");

    cJSON *doc = bh_batch_parse("{\"a\": }", 7, &e);
    assert_null(doc);
    assert_int_equal(e.http_status, 400);
    assert_string_equal(e.code, "invalid_json");
    assert_non_null(strstr(e.message, "invalid JSON at line 1, column 7 (byte offset 6)"));
    doc = bh_batch_parse("{\"a\": 1}", 8, &e);
    assert_non_null(doc);
    cJSON_Delete(doc);
    bh_batch_too_long(&e, 65536);
    assert_int_equal(e.http_status, 413);
    assert_string_equal(e.code, "body_too_large");
}

/* An answer written after its line's head in one text: the same line
 * bh_batch_answer_head makes, for every line number's length, an empty
 * answer, and a text that already holds lines. */
static void an_answer_written_after_its_head_makes_the_same_line(void **state)
{
    static const char *const answers[] = {"{\"plugins\":[],\"as_of\":\"2026-01-02\"}", "{}",
                                          "{\"a\":{}}"};
    static const uint64_t numbers[] = {
        0, 1, 9, 10, 99, 100, 12345, 4294967295ull, 4294967296ull, 18446744073709551615ull};
    (void)state;
    for (size_t a = 0; a < sizeof answers / sizeof answers[0]; a++) {
        for (size_t k = 0; k < sizeof numbers / sizeof numbers[0]; k++) {
            char head[BH_BATCH_HEAD_MAX], want[256];
            size_t alen = strlen(answers[a]);
            size_t n = bh_batch_answer_head(head, numbers[k], answers[a]);
            memcpy(want, "earlier\n", 8);
            memcpy(want + 8, head, n);
            memcpy(want + 8 + n, answers[a] + 1, alen - 1);
            memcpy(want + 8 + n + alen - 1, "\n", 1);
            size_t want_len = 8 + n + alen;

            bh_jw w;
            assert_int_equal(bh_jw_init(&w, 16), 0); /* grows on the way */
            bh_jw_lit(&w, "earlier\n");
            size_t at = bh_batch_line_open(&w, numbers[k]);
            bh_jw_raw(&w, answers[a], alen);
            bh_batch_line_close(&w, at);
            size_t len = 0;
            char *text = bh_jw_take(&w, &len);
            assert_non_null(text);
            assert_int_equal(len, want_len);
            assert_memory_equal(text, want, len);
            free(text);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_whatever_the_pieces),
        cmocka_unit_test(over_long_lines_are_dropped_as_they_arrive),
        cmocka_unit_test(answer_error_and_summary_lines),
        cmocka_unit_test(an_answer_written_after_its_head_makes_the_same_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
