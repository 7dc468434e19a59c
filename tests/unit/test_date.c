/* test_date.c - the SDK's civil date arithmetic (baton/date.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>

#include "baton/date.h"
#include "case_view.h"

static baton_date D(int y, int m, int d)
{
    baton_date r = {y, m, d};
    return r;
}

static void day_numbers_match_known_dates(void **state)
{
    (void)state;
    assert_true(baton_date_to_days(D(1970, 1, 1)) == 0);
    assert_true(baton_date_to_days(D(2000, 3, 1)) == 11017);
    assert_true(baton_date_to_days(D(1969, 12, 31)) == -1);
    /* 2026-11-23 = 1795 weeks and 3 days... checked against timegm below */
}

static void round_trips_against_the_c_library_for_every_day_1900_2100(void **state)
{
    (void)state;
    for (int64_t n = baton_date_to_days(D(1900, 1, 1)); n <= baton_date_to_days(D(2100, 12, 31));
         n++) {
        baton_date d = baton_days_to_date(n);
        assert_true(baton_date_valid(d));
        assert_true(baton_date_to_days(d) == n);
        struct tm tm = {0};
        tm.tm_year = d.year - 1900;
        tm.tm_mon = d.month - 1;
        tm.tm_mday = d.day;
        tm.tm_hour = 12;
        time_t t = timegm(&tm);
        assert_true((t - 12 * 3600) / 86400 == n);
        assert_int_equal(baton_date_weekday(d), tm.tm_wday == 0 ? 7 : tm.tm_wday);
    }
}

static void month_arithmetic_clamps_to_the_month_end(void **state)
{
    (void)state;
    baton_date d = baton_date_add_months(D(2024, 1, 31), 1);
    assert_true(d.year == 2024 && d.month == 2 && d.day == 29);
    d = baton_date_add_years(D(2024, 2, 29), 6);
    assert_true(d.year == 2030 && d.month == 2 && d.day == 28);
    d = baton_date_add_months(D(2025, 11, 15), 3);
    assert_true(d.year == 2026 && d.month == 2 && d.day == 15);
}

static void parses_dates_strictly(void **state)
{
    (void)state;
    baton_date d;
    assert_int_equal(bh_date_parse("2024-02-29", &d), 0);
    assert_int_equal(bh_date_parse("2023-02-29", &d), BATON_EINVAL);
    assert_int_equal(bh_date_parse("2024-2-29", &d), BATON_EINVAL);
    assert_int_equal(bh_date_parse("2024-13-01", &d), BATON_EINVAL);
    assert_int_equal(bh_date_parse("2024-01-01T00", &d), BATON_EINVAL);
    assert_int_equal(bh_date_parse("0000-01-01", &d), BATON_EINVAL);
    char buf[11];
    bh_date_format(D(2026, 11, 23), buf);
    assert_string_equal(buf, "2026-11-23");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(day_numbers_match_known_dates),
        cmocka_unit_test(round_trips_against_the_c_library_for_every_day_1900_2100),
        cmocka_unit_test(month_arithmetic_clamps_to_the_month_end),
        cmocka_unit_test(parses_dates_strictly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
