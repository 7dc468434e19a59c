/*
 * tables.c - the California figures the plugin applies, each with its
 * source and the date it took effect. All amounts are cents.
 *
 * Owns: jurisdiction limits and filing fees, chosen by filing date. Does not
 * own: interest rates (claim.c, Civil Code 3289) or limitation periods
 * (claim.c, CCP 337/339), which are fixed by statute and not tabulated.
 *
 * Sources (read 2026-11-23; docs/plugins/us-ca.md lists the URLs):
 *   CCP 116.220(a)(1), 116.221  small-claims jurisdiction, as amended by
 *                               SB 71 (Stats. 2023, ch. 861), from 2024-01-01
 *   CCP 85(a)                   limited civil case ceiling, same bill
 *   CCP 116.230(b), (c)         small-claims filing fees
 *   GC 70613(a), (b)            limited civil first-paper fee
 *   GC 70602.5(a)-(c)           supplemental fees added to those uniform fees
 *   GC 70611, 70602.6           unlimited civil first-paper fee
 */
#include "us_ca.h"

#define USD(d) ((int64_t)(d)*100)

/* Filing dates before this are refused: the plugin was checked against the
 * statutes in force from 2021-01-01 on. */
static const baton_date first_date = {2021, 1, 1};

struct limits {
    baton_date from;
    int64_t natural; /* CCP 116.221 */
    int64_t entity;  /* CCP 116.220(a)(1) */
    int64_t limited; /* CCP 85(a) */
};

static const struct limits limit_table[] = {
    /* CCP 116.221 $10,000 (Stats. 2011, ch. 64, from 2012-01-01);
     * CCP 116.220(a)(1) $5,000; CCP 85(a) $25,000. */
    {{2021, 1, 1}, USD(10000), USD(5000), USD(25000)},
    /* SB 71: $12,500 natural persons, $6,250 others, limited civil $35,000. */
    {{2024, 1, 1}, USD(12500), USD(6250), USD(35000)},
};

static const struct limits *limits_at(baton_date filed)
{
    size_t n = sizeof limit_table / sizeof limit_table[0];
    const struct limits *best = &limit_table[0];
    for (size_t i = 0; i < n; i++)
        if (baton_date_cmp(limit_table[i].from, filed) <= 0)
            best = &limit_table[i];
    return best;
}

baton_date usca_tables_first_date(void)
{
    return first_date;
}

int64_t usca_small_claims_limit(baton_date filed, int natural)
{
    const struct limits *l = limits_at(filed);
    return natural ? l->natural : l->entity;
}

int64_t usca_limited_civil_limit(baton_date filed)
{
    return limits_at(filed)->limited;
}

int64_t usca_small_claims_fee(int64_t demand, int64_t filed_12_months, const char **basis)
{
    /* CCP 116.230(c): more than 12 other small claims in the state within
     * the previous 12 months: $100 whatever the demand. */
    if (filed_12_months > 12) {
        *basis = "CCP 116.230(c)";
        return USD(100);
    }
    /* CCP 116.230(b)(1): $1,500 or less: $30. */
    if (demand <= USD(1500)) {
        *basis = "CCP 116.230(b)(1)";
        return USD(30);
    }
    /* (b)(2): more than $1,500 up to and including $5,000: $50. */
    if (demand <= USD(5000)) {
        *basis = "CCP 116.230(b)(2)";
        return USD(50);
    }
    /* (b)(3): more than $5,000: $75. */
    *basis = "CCP 116.230(b)(3)";
    return USD(75);
}

int64_t usca_limited_civil_fee(int64_t demand, const char **basis)
{
    /* GC 70613(b): amount demanded $10,000 or less: $205, plus the $20
     * supplemental fee of GC 70602.5(c): $225. */
    if (demand <= USD(10000)) {
        *basis = "Gov. Code 70613(b) ($205) + 70602.5(c) ($20)";
        return USD(205) + USD(20);
    }
    /* GC 70613(a): $330, plus $40 under GC 70602.5(b): $370. */
    *basis = "Gov. Code 70613(a) ($330) + 70602.5(b) ($40)";
    return USD(330) + USD(40);
}

int64_t usca_unlimited_civil_fee(const char **basis)
{
    /* GC 70611: $355, plus $40 (GC 70602.5(a)) and $40 (GC 70602.6): $435. */
    *basis = "Gov. Code 70611 ($355) + 70602.5(a) ($40) + 70602.6 ($40)";
    return USD(355) + USD(40) + USD(40);
}
