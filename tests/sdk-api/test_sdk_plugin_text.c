/*
 * test_sdk_plugin_text.c - baton/plugin_text.h: money per currency and
 * locale, basis points as percentages, dates in words, exactly as the
 * header's table promises, and its refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "baton/plugin_text.h"

static void money_is(int64_t minor, const char *cur, const char *locale, const char *want)
{
    char buf[BATON_TEXT_MAX];
    assert_int_equal(baton_money_text(baton_money_make(minor, cur), locale, buf, sizeof buf), 0);
    assert_string_equal(buf, want);
}

static void money_in_each_locale(void **state)
{
    (void)state;
    money_is(123456, "GBP", "en-GB",
             "\xc2\xa3"
             "1,234.56");
    money_is(-123456, "GBP", "en-GB",
             "-\xc2\xa3"
             "1,234.56");
    money_is(123456, "EUR", "en-GB", "1,234.56 EUR");
    money_is(-5, "EUR", "en", "-0.05 EUR");
    money_is(123456, "EUR", "en-IE",
             "\xe2\x82\xac"
             "1,234.56");
    money_is(123456, "USD", "en-US", "$1,234.56");
    money_is(-123456, "USD", "en-US", "-$1,234.56");
    money_is(123456, "EUR", "de-DE", "1.234,56 \xe2\x82\xac");
    money_is(-123456, "EUR", "de", "-1.234,56 \xe2\x82\xac");
    money_is(123456, "USD", "de-DE", "1.234,56 USD");
    money_is(123456, "EUR", "de-AT", "\xe2\x82\xac 1.234,56");
    money_is(123456, "EUR", "nl-NL", "\xe2\x82\xac 1.234,56");
    money_is(-123456, "EUR", "nl-NL", "\xe2\x82\xac -1.234,56");
    money_is(123456, "EUR", "nl-BE", "\xe2\x82\xac 1.234,56");
    money_is(0, "GBP", "en-GB",
             "\xc2\xa3"
             "0.00");
    money_is(100000000, "GBP", "en-GB",
             "\xc2\xa3"
             "1,000,000.00");
    money_is(INT64_MIN, "GBP", "en-GB",
             "-\xc2\xa3"
             "92,233,720,368,547,758.08");
    /* ISO 4217 minor digits. */
    money_is(123456, "JPY", "en-GB", "123,456 JPY");
    money_is(123456, "KWD", "de-DE", "123,456 KWD");
    money_is(1234567, "KWD", "en-GB", "1,234.567 KWD");
}

static void money_refusals(void **state)
{
    (void)state;
    char buf[BATON_TEXT_MAX], small[6];
    assert_int_equal(baton_money_text(baton_money_make(1, "GBP"), "fr-FR", buf, sizeof buf),
                     BATON_EINVAL);
    assert_string_equal(buf, "");
    assert_int_equal(baton_money_text(baton_money_make(1, "gbp"), "en-GB", buf, sizeof buf),
                     BATON_EINVAL);
    assert_int_equal(
        baton_money_text(baton_money_make(123456, "GBP"), "en-GB", small, sizeof small),
        BATON_ELIMIT);
    assert_string_equal(small, "");
}

static void rates_in_basis_points(void **state)
{
    (void)state;
    char buf[BATON_TEXT_MAX];
    assert_int_equal(baton_bp_text(825, "en-GB", buf, sizeof buf), 0);
    assert_string_equal(buf, "8.25%");
    assert_int_equal(baton_bp_text(825, "de-DE", buf, sizeof buf), 0);
    assert_string_equal(buf, "8,25 %");
    assert_int_equal(baton_bp_text(825, "nl-NL", buf, sizeof buf), 0);
    assert_string_equal(buf, "8,25%");
    assert_int_equal(baton_bp_text(-150, "en-US", buf, sizeof buf), 0);
    assert_string_equal(buf, "-1.50%");
    assert_int_equal(baton_bp_text(5, "en", buf, sizeof buf), 0);
    assert_string_equal(buf, "0.05%");
    assert_int_equal(baton_bp_text(100000, "de", buf, sizeof buf), 0);
    assert_string_equal(buf, "1.000,00 %");
}

static void date_is(int y, int m, int d, const char *locale, const char *want)
{
    char buf[BATON_TEXT_MAX];
    baton_date date = {y, m, d};
    assert_int_equal(baton_date_words(date, locale, buf, sizeof buf), 0);
    assert_string_equal(buf, want);
}

static void dates_in_words(void **state)
{
    (void)state;
    char buf[BATON_TEXT_MAX];
    date_is(2026, 1, 2, "en-GB", "2 January 2026");
    date_is(2026, 1, 2, "en-US", "January 2, 2026");
    date_is(2026, 3, 2, "de-DE", "2. M\xc3\xa4rz 2026");
    date_is(2026, 1, 31, "de-AT", "31. J\xc3\xa4nner 2026");
    date_is(2026, 12, 25, "nl-NL", "25 december 2026");
    date_is(1, 1, 1, "en", "1 January 1");
    baton_date bad = {2026, 2, 29};
    assert_int_equal(baton_date_words(bad, "en-GB", buf, sizeof buf), BATON_EINVAL);
    assert_string_equal(buf, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(money_in_each_locale),
        cmocka_unit_test(money_refusals),
        cmocka_unit_test(rates_in_basis_points),
        cmocka_unit_test(dates_in_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
