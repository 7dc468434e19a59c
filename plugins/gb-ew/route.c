/*
 * route.c - allocation track and the Letter of Claim waiting period.
 *
 * Owns: the value limits of the tracks and the Protocol's 30-day period.
 * Does not own: reading the case (rules.c).
 *
 * Tracks (the dated track_limits table of params.c), CPR 26.9 as
 * substituted by the Civil Procedure (Amendment No. 3) Rules 2023 (S.I.
 * 2023/572) for claims issued from 1 October 2023 (before: small claims and
 * fast track as below, multi-track above £25,000):
 *   small claims track   value not more than £10,000
 *   fast track           more than £10,000, not more than £25,000
 *   intermediate track   more than £25,000, not more than £100,000
 *   multi-track          more than £100,000
 * The financial value disregards interest, costs and any amount not in
 * dispute (CPR 26.13(2)). A court may allocate otherwise (complexity,
 * number of witnesses); this is the normal track.
 *
 * Pre-Action Protocol for Debt Claims (in force 1 October 2017): the
 * debtor should reply within 30 days of the date of the Letter of Claim;
 * if there is no reply in that time the creditor may start proceedings.
 * The 30 days run from the day after the letter's date, so they end on
 * letter + 30 and the first day a claim may be issued is letter + 31.
 */
#include "gb_ew.h"

enum gbew_track gbew_track_for(int64_t value_minor, baton_date d)
{
    const bpc_dated_value *v = &gbew_track_table.values[0];
    const gbew_track_limits *l;
    if (bpc_dated_lookup(&gbew_track_table, d, &v) < 0)
        v = &gbew_track_table.values[0];
    l = v->data;
    if (value_minor <= l->small)
        return GBEW_TRACK_SMALL;
    if (value_minor <= l->fast)
        return GBEW_TRACK_FAST;
    if (l->intermediate > 0 && value_minor <= l->intermediate)
        return GBEW_TRACK_INTERMEDIATE;
    return GBEW_TRACK_MULTI;
}

const char *gbew_track_name(enum gbew_track t)
{
    switch (t) {
    case GBEW_TRACK_SMALL:
        return "small_claims";
    case GBEW_TRACK_FAST:
        return "fast";
    case GBEW_TRACK_INTERMEDIATE:
        return "intermediate";
    case GBEW_TRACK_MULTI:
        return "multi";
    }
    return "unknown";
}

baton_date gbew_pap_earliest_issue(baton_date letter_date)
{
    return baton_date_add_days(letter_date, 31);
}
