/*
 * court_calendar.c - closed days and moved deadlines (see court_calendar.h).
 */
#include "court_calendar.h"

#include <stdio.h>
#include <string.h>

#include "text_format.h"

static int applies(const bpc_holiday *h, uint32_t region)
{
    return h->regions == 0 || (h->regions & region) != 0;
}

int bpc_calendar_closed(const bpc_court_calendar *c, baton_date d, uint32_t region,
                        const char **why, int *beyond)
{
    const char *name = NULL;
    int wd = baton_date_weekday(d);

    if (d.year < c->first_year || d.year > c->last_year) {
        if (beyond != NULL)
            *beyond = 1;
    } else {
        /* Binary search for the first entry on d; a date may carry several
         * entries (one per group of regions). */
        size_t lo = 0, hi = c->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (baton_date_cmp(c->days[mid].date, d) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t i = lo; i < c->n && baton_date_cmp(c->days[i].date, d) == 0; i++) {
            if (applies(&c->days[i], region)) {
                name = c->days[i].name;
                break;
            }
        }
    }
    if (name == NULL && c->weekend_closed && wd >= 6)
        name = wd == 6 ? "Saturday" : "Sunday";
    if (why != NULL)
        *why = name;
    return name != NULL;
}

int bpc_deadline_move(const bpc_court_calendar *c, baton_date unmoved, uint32_t region,
                      const char *rule, bpc_deadline *out)
{
    baton_date d = unmoved;
    const char *why = NULL;

    memset(out, 0, sizeof *out);
    out->unmoved = unmoved;
    if (!bpc_calendar_closed(c, d, region, &out->closed_day, &out->beyond_horizon)) {
        out->date = unmoved;
        return 0;
    }
    for (int i = 0; i < BPC_MAX_CLOSED_RUN; i++) {
        d = baton_date_add_days(d, 1);
        if (!bpc_calendar_closed(c, d, region, &why, &out->beyond_horizon)) {
            out->date = d;
            out->moved = 1;
            out->rule = rule;
            return 0;
        }
    }
    return BATON_ERANGE;
}

int bpc_deadline_report(const baton_host_api *api, baton_result *out, const bpc_court_calendar *c,
                        const char *key, const bpc_deadline *dl)
{
    char k[160], text[400];
    size_t nk, np;
    int rc;

    /* The keys are key and its suffixes, then params.<name>.*: written as
     * parts (bpc_put_at), each cut short as "%s_moved_by" would be. */
    nk = bpc_put_at(k, sizeof k, 0, key, strlen(key));
    if ((rc = api->result_date(out, k, dl->date)) != 0)
        return rc;
    BPC_PUT_LIT(k, sizeof k, nk, "_moved_by");
    if ((rc = api->result_string(out, k, dl->moved ? dl->rule : "none")) != 0)
        return rc;
    if (dl->moved) {
        BPC_PUT_LIT(k, sizeof k, nk, "_unmoved");
        if ((rc = api->result_date(out, k, dl->unmoved)) != 0)
            return rc;
        BPC_PUT_LIT(k, sizeof k, nk, "_closed_day");
        if ((rc = api->result_string(out, k, dl->closed_day)) != 0)
            return rc;
    }
    np = BPC_PUT_LIT(k, sizeof k, 0, "params.");
    np = bpc_put_at(k, sizeof k, np, c->name, strlen(c->name));
    BPC_PUT_LIT(k, sizeof k, np, ".version");
    rc = api->result_string(out, k, c->version);
    if (rc == 0) {
        BPC_PUT_LIT(k, sizeof k, np, ".source");
        rc = api->result_string(out, k, c->source);
    }
    if (rc != 0 && rc != BATON_EEXIST)
        return rc;
    if (!dl->beyond_horizon)
        return 0;
    bpc_format(text, sizeof text,
               "%s falls in a year the court calendar %s (version %s) does not cover "
               "(%d-%d): only Saturdays and Sundays were taken as closed days, public holidays "
               "of that year were not; check the date by hand.",
               key, c->name, c->version, (int)c->first_year, (int)c->last_year);
    return api->result_finding(out, "params", "calendar_beyond_horizon", BATON_FINDING_WARN, text,
                               c->source);
}

int bpc_calendar_check(const bpc_court_calendar *c)
{
    if (c == NULL || c->name == NULL || c->version == NULL || c->source == NULL ||
        c->first_year > c->last_year)
        return BATON_EINVAL;
    for (size_t i = 0; i < c->n; i++) {
        const bpc_holiday *h = &c->days[i];
        if (!baton_date_valid(h->date) || h->name == NULL || h->date.year < c->first_year ||
            h->date.year > c->last_year)
            return BATON_EINVAL;
        if (i > 0 && baton_date_cmp(c->days[i - 1].date, h->date) > 0)
            return BATON_EINVAL;
    }
    return 0;
}
