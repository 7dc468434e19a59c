/*
 * tables.c - the California figures the plugin applies, each with its
 * source and the date it took effect. All amounts are cents.
 *
 * Owns: jurisdiction limits (dated tables, plugins/common/dated_table.h,
 * overridable per tenant in plugin.c) and filing fees, chosen by filing
 * date. Does not own: interest rates (claim.c, Civil Code 3289) or limitation periods
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

/* CCP 116.221: $10,000 (Stats. 2011, ch. 64, from 2012-01-01); SB 71
 * (Stats. 2023, ch. 861): $12,500 from 2024-01-01. */
static const bpc_dated_value natural_values[] = {
    {{2021, 1, 1}, USD(10000), NULL},
    {{2024, 1, 1}, USD(12500), NULL},
};
/* CCP 116.220(a)(1): $5,000; SB 71: $6,250 from 2024-01-01. */
static const bpc_dated_value entity_values[] = {
    {{2021, 1, 1}, USD(5000), NULL},
    {{2024, 1, 1}, USD(6250), NULL},
};
/* CCP 85(a): $25,000; SB 71: $35,000 from 2024-01-01. */
static const bpc_dated_value limited_values[] = {
    {{2021, 1, 1}, USD(25000), NULL},
    {{2024, 1, 1}, USD(35000), NULL},
};

/* Horizon: the statutes as read on 2026-11-23 (docs/plugins/us-ca.md);
 * California changes these on 1 January, by statutes enacted the year
 * before. */
const bpc_dated_table usca_small_claims_natural = {
    .name = "small_claims_limit_natural",
    .version = "sb71-2024-01-01",
    .source = "CCP 116.221 (SB 71, Stats. 2023, ch. 861)",
    .horizon = {2026, 12, 31},
    .values = natural_values,
    .n = sizeof natural_values / sizeof natural_values[0],
};
const bpc_dated_table usca_small_claims_entity = {
    .name = "small_claims_limit_entity",
    .version = "sb71-2024-01-01",
    .source = "CCP 116.220(a)(1) (SB 71, Stats. 2023, ch. 861)",
    .horizon = {2026, 12, 31},
    .values = entity_values,
    .n = sizeof entity_values / sizeof entity_values[0],
};
const bpc_dated_table usca_limited_civil = {
    .name = "limited_civil_limit",
    .version = "sb71-2024-01-01",
    .source = "CCP 85(a) (SB 71, Stats. 2023, ch. 861)",
    .horizon = {2026, 12, 31},
    .values = limited_values,
    .n = sizeof limited_values / sizeof limited_values[0],
};

/* The fee figures below, as one dated version (the code applies them). */
static const bpc_dated_value fee_values[] = {
    {{2021, 1, 1}, 0, NULL},
};
const bpc_dated_table usca_filing_fees = {
    .name = "filing_fees",
    .version = "ca-fees-2021-01-01",
    .source = "CCP 116.230(b), (c); Gov. Code 70602.5, 70602.6, 70611, 70613",
    .horizon = {2026, 12, 31},
    .values = fee_values,
    .n = sizeof fee_values / sizeof fee_values[0],
};

baton_date usca_tables_first_date(void)
{
    return first_date;
}

static int64_t value_on(const bpc_dated_table *t, baton_date d)
{
    const bpc_dated_value *v = &t->values[0];
    if (bpc_dated_lookup(t, d, &v) < 0)
        v = &t->values[0];
    return v->value;
}

int64_t usca_small_claims_limit(const usca_state *st, baton_date filed, int natural)
{
    return value_on(natural ? st->small_claims_natural : st->small_claims_entity, filed);
}

int64_t usca_limited_civil_limit(const usca_state *st, baton_date filed)
{
    return value_on(st->limited_civil, filed);
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
