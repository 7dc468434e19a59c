/*
 * commission.c - Northwind's commission: a share of what is recovered,
 * higher at the legal stage than before it and higher for older debts.
 *
 * Owns: picking the row of the tenant's commission table (config
 * "commission", plugin.c) for a stage and an age. The figures themselves
 * are commercial terms, so they are config, not code; plugin.c carries a
 * default table for a tenant that gives none.
 */
#include "northwind.h"

int32_t nw_commission_bp(const nw_state *st, enum nw_stage stage, int64_t age_days)
{
    const nw_commission_row *row = NULL;
    if (age_days < 0)
        age_days = 0;
    for (size_t i = 0; i < st->n_commission; i++) {
        row = &st->commission[i];
        if (row->max_age_days < 0 || age_days <= row->max_age_days)
            break;
    }
    if (row == NULL)
        return 0;
    return stage == NW_LEGAL ? row->legal_bp : row->pre_legal_bp;
}
