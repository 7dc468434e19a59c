/*
 * recovery.c - Northwind's estimate of how likely a debt is to be
 * recovered, from what the case file shows.
 *
 * Owns: the scoring. Four parts, each with a ceiling, summed into a
 * likelihood in basis points (0 = hopeless, 10000 = certain):
 *
 *   engagement     2000 if the debtor engaged in the last 90 days, else 500;
 *                  minus 500 per broken payment promise and 500 for a
 *                  broken plan, not below 0
 *   documentation  3000 x readiness items met / items checked (the
 *                  jurisdiction's checklist findings)
 *   assets         3000 known, 1200 unknown, 0 none
 *   age            2000 up to 90 days past due, 1500 to 180, 1000 to 365,
 *                  500 to 730, 200 beyond
 *
 * An insolvent debtor is capped at 500 (dividends in an insolvency are
 * small and slow). The weights are Northwind's own judgment, written down
 * so that a recommendation can be explained.
 */
#include "northwind.h"

void nw_recovery_estimate(const nw_recovery_input *in, nw_recovery *out)
{
    int64_t e = in->engaged ? 2000 : 500;
    e -= 500 * (int64_t)(in->promises_broken > 0 ? in->promises_broken : 0);
    if (in->plan_broken)
        e -= 500;
    if (e < 0)
        e = 0;
    out->engagement_bp = (int32_t)e;

    out->documentation_bp =
        in->docs_total > 0 ? (int32_t)((int64_t)3000 * in->docs_met / in->docs_total) : 0;

    out->assets_bp = in->assets == 2 ? 3000 : in->assets == 1 ? 1200 : 0;

    if (in->age_days <= 90)
        out->age_bp = 2000;
    else if (in->age_days <= 180)
        out->age_bp = 1500;
    else if (in->age_days <= 365)
        out->age_bp = 1000;
    else if (in->age_days <= 730)
        out->age_bp = 500;
    else
        out->age_bp = 200;

    out->likelihood_bp = out->engagement_bp + out->documentation_bp + out->assets_bp + out->age_bp;
    if (out->likelihood_bp > 10000)
        out->likelihood_bp = 10000;
    if (in->insolvent && out->likelihood_bp > 500)
        out->likelihood_bp = 500;
}
