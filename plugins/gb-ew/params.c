/*
 * params.c - the dated parameters gb-ew ships: Bank of England Bank Rate
 * (for the Late Payment Act reference rate), the county court issue fee
 * (CPFO 2008 Sch. 1 fee 1.1) and the track limits (CPR 26).
 *
 * Owns: the figures, their effective dates, versions, sources and
 * horizons (plugins/common/dated_table.h). Does not own: how they are
 * applied (interest.c, fees.c, route.c). A tenant may override the Bank
 * Rate table in its plugin config (plugin.c); the fee and track tables are
 * structured and change only with a new plugin version.
 */
#include <stdint.h>

#include "gb_ew.h"

/*
 * Bank of England, "Official Bank Rate history" (bankofengland.co.uk,
 * Bank Rate database), each row the first day a rate was in force; the
 * Monetary Policy Committee held Bank Rate at 3.75 % on 5 February 2026
 * (Bank of England Monetary Policy Summary, February 2026), the last
 * decision checked: the table's horizon.
 */
static const bpc_dated_value bank_rate_values[] = {
    {{2009, 3, 5}, 50, NULL},   {{2016, 8, 4}, 25, NULL},    {{2017, 11, 2}, 50, NULL},
    {{2018, 8, 2}, 75, NULL},   {{2020, 3, 11}, 25, NULL},   {{2020, 3, 19}, 10, NULL},
    {{2021, 12, 16}, 25, NULL}, {{2022, 2, 3}, 50, NULL},    {{2022, 3, 17}, 75, NULL},
    {{2022, 5, 5}, 100, NULL},  {{2022, 6, 16}, 125, NULL},  {{2022, 8, 4}, 175, NULL},
    {{2022, 9, 22}, 225, NULL}, {{2022, 11, 3}, 300, NULL},  {{2022, 12, 15}, 350, NULL},
    {{2023, 2, 2}, 400, NULL},  {{2023, 3, 23}, 425, NULL},  {{2023, 5, 11}, 450, NULL},
    {{2023, 6, 22}, 500, NULL}, {{2023, 8, 3}, 525, NULL},   {{2024, 8, 1}, 500, NULL},
    {{2024, 11, 7}, 475, NULL}, {{2025, 2, 6}, 450, NULL},   {{2025, 5, 8}, 425, NULL},
    {{2025, 8, 7}, 400, NULL},  {{2025, 12, 18}, 375, NULL},
};

const bpc_dated_table gbew_bank_rate = {
    .name = "bank_rate",
    .version = "boe-2026-02-05",
    .source = "Bank of England, Official Bank Rate history (MPC decisions to 5 February 2026)",
    .horizon = {2026, 2, 5},
    .values = bank_rate_values,
    .n = sizeof bank_rate_values / sizeof bank_rate_values[0],
};

#define POUNDS(p) ((int64_t)(p)*100)

/* S.I. 2014/874, Sch. 1 fee 1.1(a)-(n), in force 22 April 2014. */
static const gbew_fee_band bands_2014[] = {
    {POUNDS(300), GBEW_BAND_FIXED, POUNDS(35)},
    {POUNDS(500), GBEW_BAND_FIXED, POUNDS(50)},
    {POUNDS(1000), GBEW_BAND_FIXED, POUNDS(70)},
    {POUNDS(1500), GBEW_BAND_FIXED, POUNDS(80)},
    {POUNDS(3000), GBEW_BAND_FIXED, POUNDS(115)},
    {POUNDS(5000), GBEW_BAND_FIXED, POUNDS(205)},
    {POUNDS(15000), GBEW_BAND_FIXED, POUNDS(455)},
    {POUNDS(50000), GBEW_BAND_FIXED, POUNDS(610)},
    {POUNDS(100000), GBEW_BAND_FIXED, POUNDS(910)},
    {POUNDS(150000), GBEW_BAND_FIXED, POUNDS(1115)},
    {POUNDS(200000), GBEW_BAND_FIXED, POUNDS(1315)},
    {POUNDS(250000), GBEW_BAND_FIXED, POUNDS(1515)},
    {POUNDS(300000), GBEW_BAND_FIXED, POUNDS(1720)},
    {INT64_MAX, GBEW_BAND_FIXED, POUNDS(1920)},
};

/* S.I. 2015/576 art. 2(3): CPFO 2008 Sch. 1 fee 1.1(a)-(i), in force 9 March 2015. */
static const gbew_fee_band bands_2015[] = {
    {POUNDS(300), GBEW_BAND_FIXED, POUNDS(35)},    {POUNDS(500), GBEW_BAND_FIXED, POUNDS(50)},
    {POUNDS(1000), GBEW_BAND_FIXED, POUNDS(70)},   {POUNDS(1500), GBEW_BAND_FIXED, POUNDS(80)},
    {POUNDS(3000), GBEW_BAND_FIXED, POUNDS(115)},  {POUNDS(5000), GBEW_BAND_FIXED, POUNDS(205)},
    {POUNDS(10000), GBEW_BAND_FIXED, POUNDS(455)}, {POUNDS(200000), GBEW_BAND_PERCENT_FLOOR, 500},
    {INT64_MAX, GBEW_BAND_FIXED, POUNDS(10000)},
};

static const gbew_fee_table fee_2014 = {
    "Civil Proceedings Fees Order 2008 Sch. 1 fee 1.1, as substituted by S.I. 2014/874 "
    "(from 22 April 2014)",
    bands_2014, sizeof bands_2014 / sizeof bands_2014[0]};
static const gbew_fee_table fee_2015 = {
    "Civil Proceedings Fees Order 2008 Sch. 1 fee 1.1, as substituted by S.I. 2015/576 "
    "(from 9 March 2015)",
    bands_2015, sizeof bands_2015 / sizeof bands_2015[0]};

static const bpc_dated_value issue_fee_values[] = {
    {{2014, 4, 22}, 0, &fee_2014},
    {{2015, 3, 9}, 0, &fee_2015},
};

/* Horizon: checked against S.I. 2024/476 and S.I. 2025/351 (neither
 * changed fee 1.1) and the gov.uk page "Make a court claim for money:
 * court fees" as it stood at the end of 2025. */
const bpc_dated_table gbew_issue_fee_table = {
    .name = "issue_fee",
    .version = "cpfo-fee-1.1-2015-03-09",
    .source = "Civil Proceedings Fees Order 2008 (S.I. 2008/1053) Sch. 1 fee 1.1; gov.uk, "
              "Make a court claim for money: court fees",
    .horizon = {2025, 12, 31},
    .values = issue_fee_values,
    .n = sizeof issue_fee_values / sizeof issue_fee_values[0],
};

/*
 * CPR 26.6 (from 1 April 2013, Civil Procedure (Amendment) Rules 2013,
 * S.I. 2013/262): small claims up to £10,000, fast track up to £25,000,
 * multi-track above. CPR 26.9 as substituted by the Civil Procedure
 * (Amendment No. 3) Rules 2023 (S.I. 2023/572) from 1 October 2023 adds the
 * intermediate track up to £100,000.
 */
static const gbew_track_limits tracks_2013 = {POUNDS(10000), POUNDS(25000), 0};
static const gbew_track_limits tracks_2023 = {POUNDS(10000), POUNDS(25000), POUNDS(100000)};

static const bpc_dated_value track_values[] = {
    {{2013, 4, 1}, 0, &tracks_2013},
    {{2023, 10, 1}, 0, &tracks_2023},
};

const bpc_dated_table gbew_track_table = {
    .name = "track_limits",
    .version = "cpr-26-2023-10-01",
    .source = "CPR 26.6 (S.I. 2013/262); CPR 26.9 (S.I. 2023/572)",
    .horizon = {2026, 11, 30},
    .values = track_values,
    .n = sizeof track_values / sizeof track_values[0],
};
