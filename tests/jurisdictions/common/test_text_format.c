/*
 * test_text_format.c - plugins/common/text_format.c: every conversion it
 * writes gives snprintf's bytes, at every buffer size from 1 to past the
 * text (truncation included); appends behave as snprintf at the end of the
 * text; a conversion it does not write is left to vsnprintf, whole.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "baton/error.h"
#include "text_format.h"

/* Formats with both at every size up to len + 2 and compares. */
#define SAME(...)                                                                                  \
    do {                                                                                           \
        char want_[256], got_[256];                                                                \
        int n_ = snprintf(want_, sizeof want_, __VA_ARGS__);                                       \
        assert_true(n_ >= 0 && (size_t)n_ < sizeof want_);                                         \
        for (size_t len_ = 1; len_ <= (size_t)n_ + 2; len_++) {                                    \
            memset(got_, 'x', sizeof got_);                                                        \
            memset(want_, 'y', sizeof want_);                                                      \
            snprintf(want_, len_, __VA_ARGS__);                                                    \
            assert_int_equal(bpc_format(got_, len_, __VA_ARGS__), 0);                              \
            assert_string_equal(got_, want_);                                                      \
        }                                                                                          \
    } while (0)

static void test_strings_and_literals(void **s)
{
    (void)s;
    SAME("plain text, no conversion");
    SAME("%s", "");
    SAME("%s%s", "Agreement on file", ": ref 1");
    SAME("100%% sure, %s", "\xc2\xa3"
                           "1,234.56");
    SAME("ends with a percent %%");
    SAME("%s and %s and %s", "a", "bb", "ccc");
}

/* The straight path copies a literal run or a string of up to 16 bytes
 * with overlapping moves, longer ones with memcpy: every length from 0 to
 * 40, as a literal run before and after a conversion and as a %s argument,
 * at every buffer size. */
static void test_runs_and_strings_of_every_length(void **s)
{
    static const char text[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH";
    char run[48], tmpl[128];
    (void)s;
    for (size_t n = 0; n <= 40; n++) {
        memcpy(run, text, n);
        run[n] = '\0';
        SAME("%s", run);
        SAME("<%s>", run);
        SAME("%zu%s%d", n, run, (int)n);
        snprintf(tmpl, sizeof tmpl, "%s%%s%s", run, run + n / 2);
        {
            /* A template built at run time: the printf check cannot see it. */
            const char *volatile t = tmpl;
            char want[256], got[256];
            int w = snprintf(want, sizeof want, t, run);
            for (size_t len = 1; len <= (size_t)w + 2; len++) {
                memset(got, 'x', sizeof got);
                snprintf(want, len, t, run);
                assert_int_equal(bpc_format(got, len, t, run), 0);
                assert_string_equal(got, want);
            }
        }
    }
}

static void test_null_string_prints_as_glibc_does(void **s)
{
    char buf[16];
    const char *volatile none = NULL;
    (void)s;
    assert_int_equal(bpc_format(buf, sizeof buf, "<%s>", none), 0);
    assert_string_equal(buf, "<(null)>");
}

static void test_integers_of_every_length(void **s)
{
    (void)s;
    SAME("%d|%d|%d|%d", 0, 7, -7, INT_MAX);
    SAME("%d", INT_MIN);
    SAME("%u|%u", 0u, UINT_MAX);
    SAME("%ld|%ld", LONG_MIN, LONG_MAX);
    SAME("%lld|%lld|%lld", LLONG_MIN, LLONG_MAX, -2009LL);
    SAME("%zu|%zu", (size_t)0, SIZE_MAX);
    SAME("%zu invoice(s) and %zu statement(s)", (size_t)1, (size_t)12);
    /* Every number of digits, both signs, on the straight path (%d, %ld,
     * %lld, %zu) and through the general parser (%lu, %llu, %u). */
    for (int k = 0; k < 19; k++) {
        long long p = 1;
        for (int j = 0; j < k; j++)
            p *= 10;
        for (long long v = p - 1; v <= p + 1; v++) {
            SAME("%lld|%lld|%ld|%ld", v, -v, (long)v, (long)-v);
            SAME("%zu|%llu|%lu", (size_t)v, (unsigned long long)v, (unsigned long)v);
            if (v <= INT_MAX)
                SAME("%d|%d|%u", (int)v, (int)-v, (unsigned)v);
        }
    }
}

static void test_padding(void **s)
{
    (void)s;
    SAME("%04d-%02d-%02d", 2026, 3, 2);
    SAME("%04d-%02d-%02d", 12, 11, 30);
    SAME("%04d|%02d|%04d", -5, -5, 123456);
    SAME("%04u-%02u-%02u", 999u, 1u, 9u);
    SAME("%02lld|%5d|%3u", 7LL, -42, 7u);
    SAME("%d.%02d%%", 8, 25);
}

static void test_append_is_snprintf_at_the_end(void **s)
{
    char got[16] = "ab", want[16] = "ab";
    const char *parts[] = {", reply_form", "more", "x", ""};
    (void)s;
    /* Until the buffer is full, and once more after. */
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        size_t used = strlen(want);
        assert_int_equal(bpc_format_append(got, sizeof got, "%s", parts[i]), 0);
        snprintf(want + used, sizeof want - used, "%s", parts[i]);
        assert_string_equal(got, want);
    }
    assert_int_equal(strlen(got), sizeof got - 1);
}

/* A conversion the formatter does not write is written by vsnprintf, the
 * whole text, so it is never cut or different; only a lone '%' at the end
 * is refused. Templates built at run time so the compiler's printf check
 * lets them through. */
static void test_other_conversions_are_written_as_snprintf_does(void **s)
{
    char buf[32], want[32];
    (void)s;
    const char *hex = "n=%u a%xb", *prec = "%s: a%.2sb", *left = "a%-5db", *fl = "a%.1fb";
    assert_int_equal(bpc_format(buf, sizeof buf, hex, 3u, 255u), 0);
    snprintf(want, sizeof want, hex, 3u, 255u);
    assert_string_equal(buf, want);
    assert_int_equal(bpc_format(buf, sizeof buf, prec, "p", "xyz"), 0);
    snprintf(want, sizeof want, prec, "p", "xyz");
    assert_string_equal(buf, want);
    assert_int_equal(bpc_format(buf, sizeof buf, left, 7), 0);
    snprintf(want, sizeof want, left, 7);
    assert_string_equal(buf, want);
    assert_int_equal(bpc_format(buf, 4, fl, 2.5), 0);
    snprintf(want, 4, fl, 2.5);
    assert_string_equal(buf, want);
    const char *lone = "a%";
    memset(buf, 'x', sizeof buf);
    assert_int_equal(bpc_format(buf, sizeof buf, lone, 1), BATON_EINVAL);
    assert_string_equal(buf, "a");
}

/* Keys written as parts (bpc_put_at, BPC_PUT_LIT) are what
 * snprintf("%s%s%s") writes, at every buffer size, parts of 0 to 20 bytes. */
static void test_parts_are_snprintf_of_the_parts(void **s)
{
    static const char text[] = "limitation.deadline_closed_day";
    char a[32], want[64], got[64];
    (void)s;
    for (size_t n = 0; n <= 20; n++) {
        memcpy(a, text, n);
        a[n] = '\0';
        for (size_t len = 1; len <= n + 20; len++) {
            size_t at;
            memset(got, 'x', sizeof got);
            snprintf(want, len, "params.%s.version", a);
            at = BPC_PUT_LIT(got, len, 0, "params.");
            at = bpc_put_at(got, len, at, a, n);
            at = BPC_PUT_LIT(got, len, at, ".version");
            assert_string_equal(got, want);
            assert_int_equal(at, strlen(want));
            /* A second suffix on the same stem, as the callers do. */
            snprintf(want, len, "%s_moved_by", a);
            at = bpc_put_at(got, len, 0, a, n);
            BPC_PUT_LIT(got, len, at, "_closed_day");
            BPC_PUT_LIT(got, len, at, "_moved_by");
            assert_string_equal(got, want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings_and_literals),
        cmocka_unit_test(test_runs_and_strings_of_every_length),
        cmocka_unit_test(test_null_string_prints_as_glibc_does),
        cmocka_unit_test(test_integers_of_every_length),
        cmocka_unit_test(test_padding),
        cmocka_unit_test(test_append_is_snprintf_at_the_end),
        cmocka_unit_test(test_parts_are_snprintf_of_the_parts),
        cmocka_unit_test(test_other_conversions_are_written_as_snprintf_does),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
