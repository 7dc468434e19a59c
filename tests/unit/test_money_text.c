/* test_money_text.c - decimal money strings and ISO 4217 exponents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "money_text.h"

static void parses_amounts_into_minor_units(void **state)
{
    (void)state;
    static const struct {
        const char *amount, *currency;
        int64_t minor;
    } ok[] = {
        {"1250.00", "GBP", 125000},
        {"1250", "GBP", 125000},
        {"1250.5", "EUR", 125050},
        {"0.01", "USD", 1},
        {"-3.10", "GBP", -310},
        {"1500", "JPY", 1500},
        {"1.234", "BHD", 1234},
        {"0", "GBP", 0},
        {"92233720368547758.07", "GBP", INT64_MAX},
        {"-92233720368547758.08", "GBP", INT64_MIN},
        {"9223372036854775807", "JPY", INT64_MAX},
        {"-9223372036854775808", "JPY", INT64_MIN},
        {"922337203685477580", "JPY", INT64_C(922337203685477580)},
    };
    char err[128];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        baton_money m;
        assert_int_equal(bh_money_parse(ok[i].amount, ok[i].currency, &m, err, sizeof err), 0);
        assert_true(m.minor == ok[i].minor);
        assert_string_equal(m.currency, ok[i].currency);
    }
}

static void refuses_malformed_amounts_with_a_reason(void **state)
{
    (void)state;
    static const struct {
        const char *amount, *currency, *reason;
    } bad[] = {
        {"", "GBP", "empty"},
        {"12.345", "GBP", "decimal places"},
        {"1.5", "JPY", "decimal places"},
        {"1e3", "GBP", "invalid character"},
        {"1,000.00", "GBP", "invalid character"},
        {" 12", "GBP", "digit"},
        {"+12", "GBP", "digit"},
        {"12.", "GBP", "ends with"},
        {"1.2.3", "GBP", "more than one"},
        {"12", "GPB", "unknown currency"},
        {"12", "gbp", "unknown currency"},
        {"92233720368547758.08", "GBP", "too large"},
        {"-92233720368547758.09", "GBP", "too large"},
        {"9223372036854775808", "JPY", "too large"},
        {"-9223372036854775809", "JPY", "too large"},
        {"99999999999999999999x", "JPY", "too large"}, /* found before the 'x' */
    };
    char err[128];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        baton_money m;
        assert_true(bh_money_parse(bad[i].amount, bad[i].currency, &m, err, sizeof err) < 0);
        assert_non_null(strstr(err, bad[i].reason));
    }
}

static void formats_with_the_currency_digits(void **state)
{
    (void)state;
    char buf[32];
    assert_int_equal(bh_money_format(baton_money_make(125050, "GBP"), buf, sizeof buf), 0);
    assert_string_equal(buf, "1250.50");
    assert_int_equal(bh_money_format(baton_money_make(-5, "EUR"), buf, sizeof buf), 0);
    assert_string_equal(buf, "-0.05");
    assert_int_equal(bh_money_format(baton_money_make(1500, "JPY"), buf, sizeof buf), 0);
    assert_string_equal(buf, "1500");
    assert_int_equal(bh_money_format(baton_money_make(INT64_MIN, "GBP"), buf, sizeof buf), 0);
    assert_string_equal(buf, "-92233720368547758.08");
    assert_int_equal(bh_money_format(baton_money_make(125050, "GBP"), buf, 4), BATON_ELIMIT);
}

/* bh_money_put's text reads back through bh_money_parse as the same
 * amount, for every exponent, sign and digit count, and the text at the
 * largest magnitudes is the one the decimal arithmetic gives. */
static void amounts_read_back_at_every_digit_count(void **state)
{
    static const char *const codes[] = {"JPY", "EUR", "BHD"}; /* exponents 0, 2, 3 */
    static const int exps[] = {0, 2, 3};
    (void)state;
    for (size_t c = 0; c < 3; c++) {
        int64_t v = 1;
        for (int digits = 1; digits <= 18; digits++, v *= 10) {
            const int64_t tries[] = {v, v - 1, v + 1, -v, -(v - 1), -(v + 1), 0};
            for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
                char text[BH_MONEY_TEXT_MAX + 1], err[128];
                size_t n = bh_money_put(text, tries[i], exps[c]);
                assert_true(n <= BH_MONEY_TEXT_MAX);
                text[n] = '\0';
                baton_money m;
                assert_int_equal(bh_money_parse(text, codes[c], &m, err, sizeof err), 0);
                assert_true(m.minor == tries[i]);
                /* exactly exps[c] digits after the point, one before at least */
                const char *point = strchr(text, '.');
                if (exps[c] == 0) {
                    assert_null(point);
                } else {
                    assert_non_null(point);
                    assert_int_equal(strlen(point + 1), (size_t)exps[c]);
                    assert_true(point > text && point[-1] >= '0' && point[-1] <= '9');
                }
            }
        }
    }
    char text[BH_MONEY_TEXT_MAX + 1];
    text[bh_money_put(text, INT64_MAX, 3)] = '\0';
    assert_string_equal(text, "9223372036854775.807");
    text[bh_money_put(text, INT64_MIN, 0)] = '\0';
    assert_string_equal(text, "-9223372036854775808");
    text[bh_money_put(text, -1, 3)] = '\0';
    assert_string_equal(text, "-0.001");
    text[bh_money_put(text, 123456, 1)] = '\0'; /* no known code has 1: taken as 2 */
    assert_string_equal(text, "1234.56");
}

static void rounding_helpers_name_their_rule(void **state)
{
    (void)state;
    /* 5 % of 10,000.01 GBP = 500.0005 -> floor 500.00, half-up 500.00 */
    assert_true(baton_percent_bp_floor(1000001, 500) == 50000);
    /* 5 % of 10,000.10 = 500.005 -> floor 500.00, half-up 500.01 */
    assert_true(baton_percent_bp_floor(1000010, 500) == 50000);
    assert_true(baton_percent_bp_half_up(1000010, 500) == 50001);
    assert_true(baton_muldiv_floor(-7, 1, 2) == -4);
    assert_true(baton_muldiv_half_up(-7, 1, 2) == -4);
    assert_true(baton_muldiv_half_up(-5, 1, 4) == -1);
    assert_true(baton_muldiv_half_up(INT64_MAX / 2, 2, 2) == INT64_MAX / 2);
}

/* Exponents of known codes; anything not exactly a known three-byte code
 * is -1 (a prefix, a longer text, a typo, lower case, empty, NULL). */
static void currency_exponents_of_known_codes_only(void **state)
{
    (void)state;
    assert_int_equal(bh_currency_exponent("GBP"), 2);
    assert_int_equal(bh_currency_exponent("AED"), 2);
    assert_int_equal(bh_currency_exponent("ZAR"), 2);
    assert_int_equal(bh_currency_exponent("JPY"), 0);
    assert_int_equal(bh_currency_exponent("KWD"), 3);
    static const char *const unknown[] = {"GPB", "gbp", "GB", "G", "", "GBPX", "GBP ", "XXX"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        assert_int_equal(bh_currency_exponent(unknown[i]), -1);
    assert_int_equal(bh_currency_exponent(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_amounts_into_minor_units),
        cmocka_unit_test(refuses_malformed_amounts_with_a_reason),
        cmocka_unit_test(formats_with_the_currency_digits),
        cmocka_unit_test(amounts_read_back_at_every_digit_count),
        cmocka_unit_test(rounding_helpers_name_their_rule),
        cmocka_unit_test(currency_exponents_of_known_codes_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
