/*
 * de_calc.c - default interest, base rates, limitation and § 193 BGB
 * (see de_calc.h).
 */
#include "de_calc.h"

#include <stdint.h>

#include "baton/error.h"
#include "baton/money.h"

int de_base_rates_check(const de_base_rate *t, size_t n)
{
    if (t == NULL || n == 0)
        return BATON_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (!baton_date_valid(t[i].from) || t[i].from.day != 1 ||
            (t[i].from.month != 1 && t[i].from.month != 7))
            return BATON_EINVAL;
        if (i > 0 && baton_date_cmp(t[i - 1].from, t[i].from) >= 0)
            return BATON_EINVAL;
        if (t[i].bp < -10000 || t[i].bp > 10000)
            return BATON_EINVAL;
    }
    return 0;
}

/* Index of the entry in force on d, or -1. */
static long rate_index(const de_base_rate *t, size_t n, baton_date d)
{
    long found = -1;
    for (size_t i = 0; i < n; i++) {
        if (baton_date_cmp(t[i].from, d) <= 0)
            found = (long)i;
        else
            break;
    }
    return found;
}

int de_base_rate_at(const de_base_rate *t, size_t n, baton_date d, int32_t *bp)
{
    long i = rate_index(t, n, d);
    if (i < 0)
        return BATON_ENOENT;
    *bp = t[i].bp;
    return 0;
}

int de_interest_compute(const de_base_rate *t, size_t n, int64_t principal, baton_date from,
                        baton_date to, int use_fixed, int32_t fixed_bp, int32_t margin_bp,
                        de_interest *out)
{
    if (principal < 0 || baton_date_cmp(to, from) < 0 || out == NULL)
        return BATON_EINVAL;
    out->amount = 0;
    out->days = baton_date_diff(from, to) + 1;
    out->nseg = 0;

    long i = use_fixed ? 0 : rate_index(t, n, from);
    if (!use_fixed && i < 0)
        return BATON_ENOENT;

    /* Exact numerator: principal * bp * days, summed; one division at the
     * end. 128-bit keeps realistic amounts and periods exact. */
    baton_i128 num = baton_i128_of(0);
    baton_date cur = from;
    while (baton_date_cmp(cur, to) <= 0) {
        baton_date seg_end = to;
        int32_t rate = fixed_bp;
        if (!use_fixed) {
            rate = t[i].bp + margin_bp;
            if ((size_t)(i + 1) < n && baton_date_cmp(t[i + 1].from, to) <= 0)
                seg_end = baton_date_add_days(t[i + 1].from, -1);
        }
        int64_t days = baton_date_diff(cur, seg_end) + 1;
        num = baton_i128_add(num, baton_i128_mul64(baton_i128_mul(principal, rate), days));
        if (out->nseg < DE_MAX_SEGMENTS) {
            de_interest_segment *s = &out->seg[out->nseg++];
            s->from = cur;
            s->to = seg_end;
            s->days = days;
            s->rate_bp = rate;
        }
        cur = baton_date_add_days(seg_end, 1);
        if (!use_fixed)
            i++;
    }

    int64_t q;
    if (baton_i128_div_half_up(num, INT64_C(10000) * 365, &q) != 0)
        return BATON_ERANGE;
    out->amount = q;
    return 0;
}

baton_date de_easter(int32_t y)
{
    /* Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
    int32_t a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
    int32_t f = (b + 8) / 25, g = (b - f + 1) / 3;
    int32_t h = (19 * a + b - d - g + 15) % 30;
    int32_t i = c / 4, k = c % 4;
    int32_t l = (32 + 2 * e + 2 * i - h - k) % 7;
    int32_t m = (a + 11 * h + 22 * l) / 451;
    baton_date r;
    r.year = y;
    r.month = (h + l - 7 * m + 114) / 31;
    r.day = ((h + l - 7 * m + 114) % 31) + 1;
    return r;
}

int de_is_non_working_day(baton_date d)
{
    int wd = baton_date_weekday(d);
    if (wd >= 6)
        return 1;
    static const int fixed[][2] = {{1, 1}, {5, 1}, {10, 3}, {12, 25}, {12, 26}};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (d.month == fixed[i][0] && d.day == fixed[i][1])
            return 1;
    /* Karfreitag -2, Ostermontag +1, Christi Himmelfahrt +39,
     * Pfingstmontag +50 days from Easter Sunday. */
    int64_t e = baton_date_to_days(de_easter(d.year));
    int64_t n = baton_date_to_days(d);
    return n == e - 2 || n == e + 1 || n == e + 39 || n == e + 50;
}

baton_date de_period_end(baton_date d)
{
    while (de_is_non_working_day(d))
        d = baton_date_add_days(d, 1);
    return d;
}

baton_date de_limitation_deadline(baton_date due_date, const baton_date *restarts, size_t nrestarts,
                                  baton_date *basis_end)
{
    baton_date end = {due_date.year + 3, 12, 31};

    /* Consider the restarting acts oldest first. */
    baton_date acts[8];
    size_t n = 0;
    for (size_t i = 0; i < nrestarts && n < 8; i++) {
        if (!baton_date_valid(restarts[i]))
            continue;
        size_t j = n++;
        while (j > 0 && baton_date_cmp(acts[j - 1], restarts[i]) > 0) {
            acts[j] = acts[j - 1];
            j--;
        }
        acts[j] = restarts[i];
    }
    for (size_t i = 0; i < n; i++) {
        if (baton_date_cmp(acts[i], due_date) < 0)
            continue; /* before the claim fell due: not an acknowledgment of it */
        if (baton_date_cmp(acts[i], de_period_end(end)) > 0)
            break; /* the period had already run out: nothing to restart */
        baton_date renewed = baton_date_add_years(acts[i], 3);
        if (baton_date_cmp(renewed, end) > 0)
            end = renewed;
    }
    if (basis_end != NULL)
        *basis_end = end;
    return de_period_end(end);
}
