/*
 * params.c - the New York figures the plugin applies, as dated tables
 * (plugins/common/dated_table.h), each with its source.
 *
 * Owns: small-claims and commercial-claims limits by court, the filing
 * fees, and the CPLR 5004 rate for consumer debt. Does not own: how they
 * are applied (claim.c, fees.c). Amounts are cents.
 *
 * Sources (read 2026-12-05; docs/plugins/us-ny.md lists the addresses):
 *   NYC Civil Court Act (CCA) 1801: small claims up to $10,000 (nycourts.gov,
 *     legalatoms.com); CCA 1801-A/1803-A: commercial claims up to $10,000,
 *     $25 plus postage, five a calendar month (nycourts.gov commercial
 *     claims page, CCA 1803-A text)
 *   Uniform City Court Act 1801: $5,000 (nycourts.gov CourtHelp FAQ);
 *     commercial claims in City Courts $5,000, $25 plus postage (Onondaga
 *     and Sherrill City Court pages)
 *   Uniform District Court Act: $5,000 (ipropertymanagement.com)
 *   Uniform Justice Court Act 1801: $3,000 (nysenate.gov, 2022-09-02)
 *   Small-claims fees $15 (<= $1,000) / $20; Town and Village $10 / $15
 *     (nycourts.gov CourtHelp FAQ; legalatoms.com)
 *   CCA 202: Civil Court up to $50,000 from 2022-01-01; Civil Court fee $45,
 *     $140 for a consumer credit transaction (thelangelfirm.com, 2023)
 *   CPLR 8018(a): Supreme Court index number $210 (nycourts.gov)
 *   CPLR 5004(a): 9 %, 2 % on consumer debt against a natural person from
 *     2022-04-30 (L. 2021, ch. 831, Fair Consumer Judgment Interest Act)
 */
#include "us_ny.h"

#define USD(d) ((int64_t)(d)*100)

const baton_date usny_first_date = {2022, 5, 7};

static const usny_court_limits limits_2022 = {
    .small_claims = {USD(10000), USD(5000), USD(5000), USD(3000)},
    .commercial_claims = {USD(10000), USD(5000), USD(5000), USD(3000)},
    .civil_court_limit = USD(50000),
};

static const bpc_dated_value limits_values[] = {
    {{2022, 1, 1}, 0, &limits_2022},
};

const bpc_dated_table usny_limits_table = {
    .name = "us_ny_claims_limits",
    .version = "2026-12-05",
    .source = "CCA 1801, 1801-A, 202; UCCA 1801; UDCA 1801; UJCA 1801 (nycourts.gov)",
    .horizon = {2026, 12, 31},
    .values = limits_values,
    .n = sizeof limits_values / sizeof limits_values[0],
};

static const usny_fee_schedule fees_2022 = {
    .small_low = {USD(15), USD(15), USD(15), USD(10)},
    .small_high = {USD(20), USD(20), USD(20), USD(15)},
    .commercial = USD(25),
    .civil_court = USD(45),
    .civil_court_consumer_credit = USD(140),
    .supreme_court = USD(210),
};

static const bpc_dated_value fees_values[] = {
    {{2022, 1, 1}, 0, &fees_2022},
};

const bpc_dated_table usny_fees_table = {
    .name = "us_ny_filing_fees",
    .version = "2026-12-05",
    .source = "CCA/UCCA 1803, 1803-A, 1911; CPLR 8018(a) (nycourts.gov)",
    .horizon = {2026, 12, 31},
    .values = fees_values,
    .n = sizeof fees_values / sizeof fees_values[0],
};

/* CPLR 5004(a) for an action on a consumer debt against a natural person:
 * 9 % before the Fair Consumer Judgment Interest Act, 2 % from its
 * effective date. */
static const bpc_dated_value consumer_rate_values[] = {
    {{1981, 6, 25}, 900, NULL},
    {{2022, 4, 30}, 200, NULL},
};

const bpc_dated_table usny_judgment_rate_consumer = {
    .name = "us_ny_cplr_5004_consumer",
    .version = "L.2021 ch.831",
    .source = "CPLR 5004(a) (nysenate.gov); effective 2022-04-30",
    .horizon = {2026, 12, 31},
    .values = consumer_rate_values,
    .n = sizeof consumer_rate_values / sizeof consumer_rate_values[0],
};
