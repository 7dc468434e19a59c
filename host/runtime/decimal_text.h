/*
 * decimal_text.h - unsigned integers as decimal digits without printf,
 * two digits a step, for the numbers written into every answer (the JSON
 * writer's integers, json_text.h; money amounts, money_text.h).
 *
 * Owns: the digits. Does not own: signs, decimal points, buffers (the
 * caller has room for BH_DECIMAL_MAX bytes where it writes).
 */
#ifndef BH_DECIMAL_TEXT_H
#define BH_DECIMAL_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Digits of the largest uint64_t, 18446744073709551615. */
#define BH_DECIMAL_MAX 20

/* How many digits u has (1 for 0): the bit length times log10(2)
 * (1233 / 4096) gives it or one more, a comparison tells which
 * (Sean Eron Anderson, "Bit Twiddling Hacks", integer log base 10).
 * u | 1 has as many digits as u: a power of ten is never odd. */
static inline size_t bh_decimal_digits(uint64_t u)
{
    static const uint64_t powers_of_ten[20] = {UINT64_C(1),
                                               UINT64_C(10),
                                               UINT64_C(100),
                                               UINT64_C(1000),
                                               UINT64_C(10000),
                                               UINT64_C(100000),
                                               UINT64_C(1000000),
                                               UINT64_C(10000000),
                                               UINT64_C(100000000),
                                               UINT64_C(1000000000),
                                               UINT64_C(10000000000),
                                               UINT64_C(100000000000),
                                               UINT64_C(1000000000000),
                                               UINT64_C(10000000000000),
                                               UINT64_C(100000000000000),
                                               UINT64_C(1000000000000000),
                                               UINT64_C(10000000000000000),
                                               UINT64_C(100000000000000000),
                                               UINT64_C(1000000000000000000),
                                               UINT64_C(10000000000000000000)};
    u |= 1;
    unsigned t = ((unsigned)(64 - __builtin_clzll(u)) * 1233u) >> 12;
    return (size_t)t + (u >= powers_of_ten[t]);
}

/* "00" to "99": two digits a step. */
static const char bh_two_digits[201] = "00010203040506070809"
                                       "10111213141516171819"
                                       "20212223242526272829"
                                       "30313233343536373839"
                                       "40414243444546474849"
                                       "50515253545556575859"
                                       "60616263646566676869"
                                       "70717273747576777879"
                                       "80818283848586878889"
                                       "90919293949596979899";

/* Writes v (below 100) as exactly two digits at out ("05"). */
static inline char *bh_decimal_put2(char *out, unsigned v)
{
    memcpy(out, bh_two_digits + 2 * v, 2);
    return out + 2;
}

/* Writes u's digits at out, no NUL; returns their end. */
static inline char *bh_decimal_put(char *out, uint64_t u)
{
    char *end = out + bh_decimal_digits(u), *p = end;
    while (u > UINT32_MAX) {
        p -= 2;
        bh_decimal_put2(p, (unsigned)(u % 100));
        u /= 100;
    }
    /* The rest in 32 bits: cheaper divisions (most numbers start here). */
    uint32_t v = (uint32_t)u;
    while (v >= 100) {
        p -= 2;
        bh_decimal_put2(p, v % 100);
        v /= 100;
    }
    if (v >= 10)
        bh_decimal_put2(p - 2, v);
    else
        p[-1] = (char)('0' + v);
    return end;
}

#endif
