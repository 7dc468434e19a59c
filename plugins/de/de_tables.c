/*
 * de_tables.c - German statutory fee tables (see de_tables.h).
 *
 * Both fee laws define their table the same way: a fee for values up to
 * 500 EUR, then for each value band an increase per started step of the
 * value ("für jeden angefangenen Betrag von weiteren ... Euro um ... Euro").
 * Anlage 2 of each law prints the result for values up to 500,000 EUR. The
 * bands below are typed from the statute text; the tests check the result
 * against the printed Anlage 2 values.
 */
#include <stddef.h>

#include "de_internal.h"
#include "de_tables.h"

#include "baton/error.h"

/* One band: values up to upto (cents; 0 = no upper end) grow by inc per
 * started step. */
typedef struct band {
    int64_t upto;
    int64_t step;
    int64_t inc;
} band;

typedef struct fee_law {
    int64_t base;      /* fee for values up to 500 EUR */
    band bands[7];     /* in ascending order; the last one may be open */
    int64_t table_end; /* highest value this plugin computes (0 = none) */
} fee_law;

#define EUR(x) ((int64_t)(x)*100)

/*
 * § 34 Abs. 1 GKG, version of the KostRÄG 2021 (Art. 1, G. v. 21.12.2020,
 * BGBl. I S. 3229), in force 2021-01-01 .. 2025-05-31.
 */
static const fee_law gkg_2021 = {
    EUR(38),
    {{EUR(2000), EUR(500), EUR(20)},
     {EUR(10000), EUR(1000), EUR(21)},
     {EUR(25000), EUR(3000), EUR(29)},
     {EUR(50000), EUR(5000), EUR(38)},
     {EUR(200000), EUR(15000), EUR(132)},
     {EUR(500000), EUR(30000), EUR(198)},
     {0, EUR(50000), EUR(198)}},
    0,
};

/*
 * § 34 Abs. 1 GKG, version of the KostBRÄG 2025 (Art. 5, G. v. 07.04.2025,
 * BGBl. 2025 I Nr. 109), in force from 2025-06-01.
 */
static const fee_law gkg_2025 = {
    EUR(40),
    {{EUR(2000), EUR(500), 2100},
     {EUR(10000), EUR(1000), 2250},
     {EUR(25000), EUR(3000), 3050},
     {EUR(50000), EUR(5000), 4050},
     {EUR(200000), EUR(15000), EUR(140)},
     {EUR(500000), EUR(30000), EUR(210)},
     {0, EUR(50000), EUR(210)}},
    0,
};

/*
 * § 13 Abs. 1 RVG, version of the KostRÄG 2021 (Art. 7, BGBl. 2020 I
 * S. 3229), in force 2021-01-01 .. 2025-05-31.
 */
static const fee_law rvg_2021 = {
    EUR(49),
    {{EUR(2000), EUR(500), EUR(39)},
     {EUR(10000), EUR(1000), EUR(56)},
     {EUR(25000), EUR(3000), EUR(52)},
     {EUR(50000), EUR(5000), EUR(81)},
     {EUR(200000), EUR(15000), EUR(94)},
     {EUR(500000), EUR(30000), EUR(132)},
     {0, EUR(50000), EUR(165)}},
    0,
};

/*
 * § 13 Abs. 1 RVG, version of the KostBRÄG 2025 (Art. 11, BGBl. 2025 I
 * Nr. 109), in force from 2025-06-01. The steps are those of Anlage 2 RVG
 * n.F. (51.50 EUR up to 500 EUR; +41.50 per 500 to 2,000; +59.50 per 1,000
 * to 10,000; +55 per 3,000 to 25,000; +86 per 5,000 to 50,000; +99.50 per
 * 15,000 to 200,000; +140 per 30,000 to 500,000). Values above 500,000 EUR
 * are refused (table_end).
 */
static const fee_law rvg_2025 = {
    5150,
    {{EUR(2000), EUR(500), 4150},
     {EUR(10000), EUR(1000), 5950},
     {EUR(25000), EUR(3000), EUR(55)},
     {EUR(50000), EUR(5000), EUR(86)},
     {EUR(200000), EUR(15000), 9950},
     {EUR(500000), EUR(30000), EUR(140)},
     {0, EUR(50000), 0}}, /* never reached: table_end */
    EUR(500000),
};

enum de_fee_version de_fee_version_for(baton_date d)
{
    const bpc_dated_value *v;
    if (bpc_dated_lookup(&de_fee_tables, d, &v) < 0)
        return DE_FEES_NONE;
    return (enum de_fee_version)v->value;
}

const char *de_fee_version_name(enum de_fee_version v)
{
    switch (v) {
    case DE_FEES_2021:
        return "KostRÄG 2021";
    case DE_FEES_2025:
        return "KostBRÄG 2025";
    default:
        return "none";
    }
}

static int law_fee(const fee_law *law, int64_t value, int64_t *fee)
{
    if (value <= 0)
        return BATON_EINVAL;
    if (law->table_end != 0 && value > law->table_end)
        return BATON_ERANGE;
    int64_t f = law->base;
    int64_t lower = EUR(500);
    for (size_t i = 0; i < sizeof law->bands / sizeof law->bands[0] && value > lower; i++) {
        const band *b = &law->bands[i];
        int64_t top = (b->upto == 0 || value < b->upto) ? value : b->upto;
        if (top > lower) {
            int64_t steps = (top - lower - 1) / b->step + 1; /* started steps */
            f += steps * b->inc;
        }
        if (b->upto == 0)
            break;
        lower = b->upto;
    }
    *fee = f;
    return 0;
}

int de_gkg_fee(enum de_fee_version v, int64_t value, int64_t *fee)
{
    if (v == DE_FEES_2021)
        return law_fee(&gkg_2021, value, fee);
    if (v == DE_FEES_2025)
        return law_fee(&gkg_2025, value, fee);
    return BATON_EINVAL;
}

int de_rvg_fee(enum de_fee_version v, int64_t value, int64_t *fee)
{
    if (v == DE_FEES_2021)
        return law_fee(&rvg_2021, value, fee);
    if (v == DE_FEES_2025)
        return law_fee(&rvg_2025, value, fee);
    return BATON_EINVAL;
}

int64_t de_fee_rate(int64_t fee, int tenths)
{
    /* Cents are integers, so fee * tenths / 10 has at most one decimal
     * digit of a cent: round half up (fees are never negative). */
    int64_t p = fee * tenths;
    return (p + 5) / 10;
}

int64_t de_kv1100_minimum(enum de_fee_version v)
{
    /* KV GKG 1100 "mindestens 36,00 €" (KostRÄG 2021); 38,00 € from
     * 2025-06-01 (KostBRÄG 2025). */
    return v == DE_FEES_2025 ? 3800 : 3600;
}

int de_court_fee_mahnverfahren(enum de_fee_version v, int64_t value, int64_t *fee)
{
    int64_t simple;
    int rc = de_gkg_fee(v, value, &simple);
    if (rc != 0)
        return rc;
    int64_t f = de_fee_rate(simple, 5);
    int64_t min = de_kv1100_minimum(v);
    *fee = f < min ? min : f;
    return 0;
}

int de_court_fee_klage(enum de_fee_version v, int64_t value, int64_t *fee)
{
    int64_t simple;
    int rc = de_gkg_fee(v, value, &simple);
    if (rc != 0)
        return rc;
    *fee = de_fee_rate(simple, 30);
    return 0;
}

int64_t de_vv7002(int64_t fees)
{
    int64_t p = (fees * 20 + 50) / 100; /* 20 %, half-up to the cent */
    return p > EUR(20) ? EUR(20) : p;
}

int de_rvg_fee_inkasso(enum de_fee_version v, int64_t value, int64_t *fee)
{
    if (value <= 0)
        return BATON_EINVAL;
    if (v != DE_FEES_2021 && v != DE_FEES_2025)
        return BATON_EINVAL;
    if (value <= EUR(50)) {
        *fee = EUR(30);
        return 0;
    }
    return de_rvg_fee(v, value, fee);
}

int64_t de_amtsgericht_limit(baton_date d)
{
    const bpc_dated_value *v = &de_amtsgericht_limits.values[0];
    if (bpc_dated_lookup(&de_amtsgericht_limits, d, &v) < 0)
        v = &de_amtsgericht_limits.values[0];
    return v->value;
}
