/*
 * test_text_en_gb.c - plugins/common/text_en_gb.c writes what the SDK's
 * baton/plugin_text.h writes for "en-GB", byte for byte and with the same
 * return code: every date of the years 1000 to 2200 (and dates it hands
 * on: early years, invalid days and months), amounts of every number of
 * digits of both signs in GBP and in other currencies, each at every
 * buffer size from 1 to past the text.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "baton/plugin_text.h"
#include "text_en_gb.h"

static void same_date(baton_date d, size_t len)
{
    char want[64], got[64];
    int rw, rg;
    memset(want, 'y', sizeof want);
    memset(got, 'x', sizeof got);
    rw = baton_date_words(d, "en-GB", want, len);
    rg = bpc_date_words_en_gb(d, got, len);
    assert_int_equal(rg, rw);
    if (len > 0)
        assert_string_equal(got, want);
}

static void same_money(baton_money m, size_t len)
{
    char want[64], got[64];
    int rw, rg;
    memset(want, 'y', sizeof want);
    memset(got, 'x', sizeof got);
    rw = baton_money_text(m, "en-GB", want, len);
    rg = bpc_money_text_en_gb(m, got, len);
    assert_int_equal(rg, rw);
    if (len > 0)
        assert_string_equal(got, want);
}

static void test_every_date_of_1000_to_2200(void **s)
{
    (void)s;
    for (int32_t y = 1000; y <= 2200; y++) {
        for (int32_t m = 1; m <= 12; m++) {
            for (int32_t d = 1; d <= baton_days_in_month(y, m); d++) {
                baton_date date = {y, m, d};
                same_date(date, 18);
                same_date(date, 32);
            }
        }
    }
}

static void test_dates_at_every_buffer_size(void **s)
{
    static const baton_date dates[] = {
        {2031, 9, 30}, {2026, 3, 2},  {2025, 12, 1}, {9999, 12, 31}, {1000, 1, 1},
        {999, 5, 17},  {1, 1, 1},     {2026, 2, 29}, {2024, 2, 29},  {2026, 13, 1},
        {2026, 0, 1},  {2026, 4, 31}, {2026, 4, 0},  {0, 1, 1},      {10000, 1, 1},
    };
    (void)s;
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        for (size_t len = 0; len <= 40; len++)
            same_date(dates[i], len);
    }
}

static void test_amounts_of_every_length(void **s)
{
    static const char *const currencies[] = {"GBP", "EUR", "JPY", "BHD", "gbp", "GB", ""};
    (void)s;
    for (size_t c = 0; c < sizeof currencies / sizeof currencies[0]; c++) {
        for (int k = 0; k <= 18; k++) {
            int64_t p = 1;
            for (int j = 0; j < k; j++)
                p *= 10;
            for (int64_t v = p - 1; v <= p + 1; v++) {
                for (size_t len = 0; len <= 48; len++) {
                    same_money(baton_money_make(v, currencies[c]), len);
                    same_money(baton_money_make(-v, currencies[c]), len);
                }
            }
        }
        for (size_t len = 0; len <= 48; len++) {
            same_money(baton_money_make(INT64_MAX, currencies[c]), len);
            same_money(baton_money_make(INT64_MIN, currencies[c]), len);
            same_money(baton_money_make(1234567, currencies[c]), len);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_date_of_1000_to_2200),
        cmocka_unit_test(test_dates_at_every_buffer_size),
        cmocka_unit_test(test_amounts_of_every_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
