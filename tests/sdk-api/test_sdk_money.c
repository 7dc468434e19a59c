/*
 * test_sdk_money.c - baton_i128 and the muldiv functions of baton/money.h
 * (portable since SDK 1.1) against the compiler's own 128-bit integers,
 * over edge values and a fixed pseudo-random sweep: every product, sum,
 * quotient and rounding must agree exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "baton/money.h"

/* The reference: this test, not the header, may use the extension. */
__extension__ typedef __int128 ref128;
__extension__ typedef unsigned __int128 uref128;

static ref128 ref_of(baton_i128 a)
{
    return (ref128)(((uref128)a.hi << 64) | (uref128)a.lo);
}

static uint64_t rng = UINT64_C(0x9e3779b97f4a7c15);

static int64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    /* Mix magnitudes: small, medium and full-width values. */
    switch (rng & 3) {
    case 0:
        return (int64_t)(rng >> 48) - 32768;
    case 1:
        return (int64_t)(rng >> 20) - (INT64_C(1) << 43);
    default:
        return (int64_t)rng;
    }
}

static const int64_t edges[] = {0,
                                1,
                                -1,
                                2,
                                -2,
                                3650000,
                                -3650000,
                                INT64_MAX,
                                INT64_MIN,
                                INT64_MAX - 1,
                                INT64_MIN + 1,
                                INT64_C(9007199254740992),
                                -INT64_C(9007199254740992),
                                INT64_C(4294967296),
                                INT64_C(4294967295)};

static void check_mul_add(int64_t a, int64_t b, int64_t c)
{
    ref128 p = (ref128)a * b;
    assert_true(ref_of(baton_i128_mul(a, b)) == p);
    ref128 s = p + (ref128)c * 7;
    assert_true(ref_of(baton_i128_add(baton_i128_mul(a, b), baton_i128_mul(c, 7))) == s);
    assert_true(ref_of(baton_i128_mul64(baton_i128_of(a), b)) == p);
    int cmp = baton_i128_cmp(baton_i128_mul(a, b), baton_i128_mul(c, 7));
    assert_int_equal(cmp, (p > (ref128)c * 7) - (p < (ref128)c * 7));
}

static void check_div(baton_i128 n, int64_t d)
{
    ref128 rn = ref_of(n);
    ref128 q = rn / d, r = rn % d;
    int64_t got_q, got_r;
    int fits = q <= INT64_MAX && q >= INT64_MIN;
    assert_int_equal(baton_i128_divmod(n, d, &got_q, &got_r), fits ? 0 : -1);
    if (fits) {
        assert_true(got_q == (int64_t)q);
        assert_true(got_r == (int64_t)r);
    }
    ref128 fq = q - ((r != 0) && (rn < 0));
    fits = fq <= INT64_MAX && fq >= INT64_MIN;
    assert_int_equal(baton_i128_div_floor(n, d, &got_q), fits ? 0 : -1);
    if (fits)
        assert_true(got_q == (int64_t)fq);
    ref128 ar = r < 0 ? -r : r;
    ref128 hq = q + ((2 * ar >= d) ? (rn < 0 ? -1 : 1) : 0);
    fits = hq <= INT64_MAX && hq >= INT64_MIN;
    assert_int_equal(baton_i128_div_half_up(n, d, &got_q), fits ? 0 : -1);
    if (fits)
        assert_true(got_q == (int64_t)hq);
}

static void products_and_sums_match_128_bit_integers(void **state)
{
    (void)state;
    size_t ne = sizeof edges / sizeof edges[0];
    for (size_t i = 0; i < ne; i++)
        for (size_t j = 0; j < ne; j++)
            check_mul_add(edges[i], edges[j], edges[(i + j) % ne]);
    for (int k = 0; k < 200000; k++)
        check_mul_add(next(), next(), next());
}

static void divisions_match_with_each_rounding(void **state)
{
    (void)state;
    size_t ne = sizeof edges / sizeof edges[0];
    for (size_t i = 0; i < ne; i++) {
        for (size_t j = 0; j < ne; j++) {
            for (size_t k = 0; k < ne; k++) {
                if (edges[k] > 0)
                    check_div(baton_i128_mul(edges[i], edges[j]), edges[k]);
            }
        }
    }
    for (int k = 0; k < 200000; k++) {
        int64_t d = next();
        if (d == INT64_MIN)
            d = 1;
        d = d < 0 ? -d : d;
        if (d == 0)
            d = 3650000;
        check_div(baton_i128_mul64(baton_i128_mul(next(), next() & 0xffff), next() & 0x3ffff), d);
    }
}

static void muldiv_rounds_as_named(void **state)
{
    (void)state;
    assert_true(baton_muldiv_floor(-7, 1, 2) == -4);
    assert_true(baton_muldiv_half_up(-7, 1, 2) == -4);
    assert_true(baton_muldiv_half_up(7, 1, 2) == 4);
    assert_true(baton_muldiv_half_up(-5, 1, 4) == -1);
    assert_true(baton_muldiv_floor(INT64_MAX, INT64_MAX, INT64_MAX) == INT64_MAX);
    /* Beyond int64: clamped, no longer undefined. */
    assert_true(baton_muldiv_floor(INT64_MAX, 4, 2) == INT64_MAX);
    assert_true(baton_muldiv_half_up(INT64_MIN, 4, 2) == INT64_MIN);
    assert_true(baton_percent_bp_half_up(1000010, 500) == 50001);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(products_and_sums_match_128_bit_integers),
        cmocka_unit_test(divisions_match_with_each_rounding),
        cmocka_unit_test(muldiv_rounds_as_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
