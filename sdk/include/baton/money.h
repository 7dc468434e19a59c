/*
 * baton/money.h - money as int64 minor units plus an ISO 4217 code.
 *
 * No floating point touches money anywhere in Baton. Percentages and rates
 * are expressed in basis points (1 bp = 0.01 %) or as ratios of integers,
 * and every division names its rounding rule in the function name:
 *
 *   _floor    round toward minus infinity (e.g. "rounded down to the penny")
 *   _half_up  round half away from zero (commercial rounding)
 *
 * Multiplications go through a 128-bit intermediate so that realistic
 * amounts (up to about 9.2e16 minor units) times rates times days never
 * overflow. The intermediate is baton_i128 below, a plain struct of two
 * 64-bit halves with portable arithmetic (standard C99 and C++, no
 * compiler-specific 128-bit type: the header compiles for i686, armv7 and
 * MSVC alike).
 * Products that fit in 64 bits take a direct path.
 */
#ifndef BATON_MONEY_H
#define BATON_MONEY_H

#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A signed 128-bit integer in two's complement: hi holds the upper 64 bits
 * (its top bit is the sign), lo the lower. Build one with baton_i128_of or
 * baton_i128_mul, sum with baton_i128_add, and divide back to 64 bits with
 * a named rounding (baton_i128_div_*). SDK 1.1; in 1.0 this name was a
 * compiler-specific 128-bit typedef.
 */
typedef struct baton_i128 {
    uint64_t hi;
    uint64_t lo;
} baton_i128;

static inline baton_i128 baton_i128_of(int64_t v)
{
    baton_i128 r;
    r.lo = (uint64_t)v;
    r.hi = v < 0 ? UINT64_MAX : 0;
    return r;
}

static inline int baton_i128_is_negative(baton_i128 a)
{
    return (a.hi >> 63) != 0;
}

static inline baton_i128 baton_i128_add(baton_i128 a, baton_i128 b)
{
    baton_i128 r;
    r.lo = a.lo + b.lo;
    r.hi = a.hi + b.hi + (r.lo < a.lo);
    return r;
}

static inline baton_i128 baton_i128_neg(baton_i128 a)
{
    baton_i128 r;
    r.lo = ~a.lo + 1;
    r.hi = ~a.hi + (r.lo == 0);
    return r;
}

/* <0, 0, >0 as a is less than, equal to, greater than b. */
static inline int baton_i128_cmp(baton_i128 a, baton_i128 b)
{
    /* Flipping the sign bit orders two's complement values as unsigned. */
    uint64_t ah = a.hi ^ (UINT64_C(1) << 63), bh = b.hi ^ (UINT64_C(1) << 63);
    if (ah != bh)
        return ah < bh ? -1 : 1;
    return (a.lo > b.lo) - (a.lo < b.lo);
}

/* The full 128-bit product of two unsigned 64-bit numbers. */
static inline baton_i128 baton_u64_mul_full(uint64_t a, uint64_t b)
{
    uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
    baton_i128 r;
    r.lo = (mid << 32) | (p00 & 0xffffffffu);
    r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    return r;
}

static inline uint64_t baton_u64_magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* a * b, exact. */
static inline baton_i128 baton_i128_mul(int64_t a, int64_t b)
{
    baton_i128 p = baton_u64_mul_full(baton_u64_magnitude(a), baton_u64_magnitude(b));
    return ((a < 0) != (b < 0)) ? baton_i128_neg(p) : p;
}

/* a * b where the product must fit in 128 bits (realistic principal x rate
 * x days always does); a product that does not is taken modulo 2^128. */
static inline baton_i128 baton_i128_mul64(baton_i128 a, int64_t b)
{
    int neg = baton_i128_is_negative(a) != (b < 0);
    baton_i128 m = baton_i128_is_negative(a) ? baton_i128_neg(a) : a;
    uint64_t bm = baton_u64_magnitude(b);
    baton_i128 p = baton_u64_mul_full(m.lo, bm);
    p.hi += m.hi * bm;
    return neg ? baton_i128_neg(p) : p;
}

/*
 * n / d truncated toward zero, with the remainder (sign of n); d > 0.
 * Returns 0, or -1 when the quotient does not fit in int64 (*q is then
 * INT64_MAX or INT64_MIN, by the sign).
 */
static inline int baton_i128_divmod(baton_i128 n, int64_t d, int64_t *q, int64_t *r)
{
    int neg = baton_i128_is_negative(n);
    baton_i128 m = neg ? baton_i128_neg(n) : n;
    uint64_t ud = (uint64_t)d, rem = 0, qhi = 0, qlo = 0;
    int i;
    if (m.hi == 0) {
        qlo = m.lo / ud;
        rem = m.lo % ud;
    } else {
        for (i = 127; i >= 0; i--) {
            uint64_t bit = i >= 64 ? (m.hi >> (i - 64)) & 1u : (m.lo >> i) & 1u;
            uint64_t carry = rem >> 63;
            rem = (rem << 1) | bit;
            if (carry != 0 || rem >= ud) {
                rem -= ud;
                if (i >= 64)
                    qhi |= UINT64_C(1) << (i - 64);
                else
                    qlo |= UINT64_C(1) << i;
            }
        }
    }
    *r = neg ? -(int64_t)rem : (int64_t)rem;
    if (qhi != 0 || qlo > (uint64_t)INT64_MAX + (uint64_t)neg) {
        *q = neg ? INT64_MIN : INT64_MAX;
        return -1;
    }
    if (!neg)
        *q = (int64_t)qlo;
    else
        *q = qlo == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)qlo;
    return 0;
}

/* n / d rounded toward minus infinity; d > 0; 0 or -1 as baton_i128_divmod. */
static inline int baton_i128_div_floor(baton_i128 n, int64_t d, int64_t *q)
{
    int64_t r;
    int rc = baton_i128_divmod(n, d, q, &r);
    if (rc == 0 && r < 0) {
        if (*q == INT64_MIN)
            return -1;
        *q -= 1;
    }
    return rc;
}

/* n / d rounded half away from zero; d > 0; 0 or -1 as baton_i128_divmod. */
static inline int baton_i128_div_half_up(baton_i128 n, int64_t d, int64_t *q)
{
    int64_t r;
    int rc = baton_i128_divmod(n, d, q, &r);
    if (rc == 0 && 2 * baton_u64_magnitude(r) >= (uint64_t)d) {
        if (*q == (r < 0 ? INT64_MIN : INT64_MAX))
            return -1;
        *q += r < 0 ? -1 : 1;
    }
    return rc;
}

typedef struct baton_money {
    int64_t minor;    /* amount in minor units (pence, cents) */
    char currency[4]; /* ISO 4217 alphabetic code, NUL-terminated */
} baton_money;

static inline baton_money baton_money_make(int64_t minor, const char *currency)
{
    baton_money m;
    m.minor = minor;
    memset(m.currency, 0, sizeof m.currency);
    for (size_t i = 0; currency != NULL && i < 3 && currency[i] != '\0'; i++)
        m.currency[i] = currency[i];
    return m;
}

static inline int baton_money_same_currency(baton_money a, baton_money b)
{
    return memcmp(a.currency, b.currency, 3) == 0;
}

/*
 * a * num / den rounded toward minus infinity; den must be > 0. A quotient
 * beyond int64 is clamped to INT64_MIN or INT64_MAX (1.0 left it
 * undefined); amounts of money never come near.
 */
static inline int64_t baton_muldiv_floor(int64_t a, int64_t num, int64_t den)
{
    int64_t q;
    (void)baton_i128_div_floor(baton_i128_mul(a, num), den, &q);
    return q;
}

/* a * num / den rounded half away from zero; den must be > 0; clamped as
 * baton_muldiv_floor. */
static inline int64_t baton_muldiv_half_up(int64_t a, int64_t num, int64_t den)
{
    int64_t q;
    (void)baton_i128_div_half_up(baton_i128_mul(a, num), den, &q);
    return q;
}

/* amount * bp / 10000 with the named rounding. */
static inline int64_t baton_percent_bp_floor(int64_t amount, int64_t bp)
{
    return baton_muldiv_floor(amount, bp, 10000);
}

static inline int64_t baton_percent_bp_half_up(int64_t amount, int64_t bp)
{
    return baton_muldiv_half_up(amount, bp, 10000);
}

#ifdef __cplusplus
}
#endif

#endif
