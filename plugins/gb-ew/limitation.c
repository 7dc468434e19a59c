/*
 * limitation.c - the limitation deadline for a contract debt in England &
 * Wales.
 *
 * Owns: the arithmetic of the Limitation Act 1980 for simple contract
 * debts. Does not own: reading the case or reporting (rules.c).
 *
 * - s.5: an action founded on simple contract shall not be brought after
 *   the expiration of six years from the date on which the cause of action
 *   accrued. For a debt the cause of action accrues when payment is due and
 *   not made: the day after the due date.
 * - Computation: the day of accrual is excluded (Marren v Dawson Bentley
 *   [1961] 2 QB 135), so the six years end on the sixth anniversary of the
 *   accrual day; a claim issued that day is in time, the next day it is
 *   barred. (29 February accruals end on 28 February.)
 * - s.29(5): where the person liable acknowledges the claim (in writing,
 *   signed, s.30) or makes any payment in respect of it, the right is
 *   treated as having accrued on the date of the acknowledgment or payment.
 * - s.29(7): a current period may be extended repeatedly, but a right
 *   already barred is not revived by a later acknowledgment or payment.
 */
#include "gb_ew.h"

void gbew_limitation_compute(baton_date due, const baton_date *events, const int *kinds, size_t n,
                             gbew_limitation *out)
{
    baton_date used[64];
    int used_kind[64];
    size_t m = n < 64 ? n : 64;

    out->accrual = baton_date_add_days(due, 1);
    out->deadline = baton_date_add_years(out->accrual, 6);
    out->restarted = 0;
    out->restart_date = out->accrual;

    /* Walk the events in date order (insertion sort: a case has a few). */
    for (size_t i = 0; i < m; i++) {
        size_t j = i;
        used[i] = events[i];
        used_kind[i] = kinds[i];
        while (j > 0 && baton_date_cmp(used[j - 1], used[j]) > 0) {
            baton_date td = used[j - 1];
            int tk = used_kind[j - 1];
            used[j - 1] = used[j];
            used_kind[j - 1] = used_kind[j];
            used[j] = td;
            used_kind[j] = tk;
            j--;
        }
    }
    for (size_t i = 0; i < m; i++) {
        /* Only an event inside the running period restarts it (s.29(7)),
         * and an event before accrual (a payment on account) does not. */
        if (baton_date_cmp(used[i], out->accrual) <= 0)
            continue;
        if (baton_date_cmp(used[i], out->deadline) > 0)
            break;
        out->accrual = used[i];
        out->deadline = baton_date_add_years(used[i], 6);
        out->restarted = used_kind[i];
        out->restart_date = used[i];
    }
}
