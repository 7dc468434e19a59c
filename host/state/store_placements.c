/*
 * store_placements.c - the placements table of the tenant store (store.h,
 * "placements"): one row per handoff, written with it, read joined with
 * the handoff. Owns the SQL; the figures are placement_ledger.c's.
 */
#include "store.h"
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"

static int bh_store_placement_add_locked(bh_store *s, const bh_placement_record *p, char *err,
                                         size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {p->handoff_id, p->placed, p->currency};
    int rc = bh_sql_prepare(s,
                            "INSERT INTO placements (handoff_id, placed, currency, amount_minor,"
                            " forecast_minor) VALUES (?1, ?2, ?3, ?4, ?5)",
                            &st, t, 3, err, errlen);
    if (rc != 0)
        return rc;
    if (sqlite3_bind_int64(st, 4, p->amount_minor) != SQLITE_OK ||
        (p->forecast_known ? sqlite3_bind_int64(st, 5, p->forecast_minor)
                           : sqlite3_bind_null(st, 5)) != SQLITE_OK) {
        sqlite3_finalize(st);
        return bh_sql_error(s, "bind", err, errlen);
    }
    return bh_sql_run(s, st, "placement", err, errlen);
}

#define SELECT_PLACEMENT                                                                           \
    "SELECT p.handoff_id, h.recipient, h.case_id, p.placed, p.amount_minor, p.currency,"           \
    " p.forecast_minor FROM placements p JOIN handoffs h ON h.id = p.handoff_id"                   \
    " WHERE h.status <> 'rejected'"

static void placement_from_row(sqlite3_stmt *st, void *out)
{
    bh_placement_record *p = out;
    memset(p, 0, sizeof *p);
    bh_sql_copy_col(st, 0, p->handoff_id, sizeof p->handoff_id);
    bh_sql_copy_col(st, 1, p->firm, sizeof p->firm);
    bh_sql_copy_col(st, 2, p->case_id, sizeof p->case_id);
    bh_sql_copy_col(st, 3, p->placed, sizeof p->placed);
    p->amount_minor = sqlite3_column_int64(st, 4);
    bh_sql_copy_col(st, 5, p->currency, sizeof p->currency);
    p->forecast_known = sqlite3_column_type(st, 6) != SQLITE_NULL;
    p->forecast_minor = p->forecast_known ? sqlite3_column_int64(st, 6) : 0;
}

static int bh_store_placement_get_locked(bh_store *s, const char *handoff_id,
                                         bh_placement_record *out, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {handoff_id};
    int rc = bh_sql_prepare(s, SELECT_PLACEMENT " AND p.handoff_id = ?1", &st, t, 1, err, errlen);
    if (rc == 0 && (rc = bh_sql_get_row(s, st, placement_from_row, out, "placement", err,
                                        errlen)) == BATON_ENOENT)
        snprintf(err, errlen, "handoff %s is no placement of this tenant", handoff_id);
    return rc;
}

static int bh_store_placement_page_locked(bh_store *s, const char *from, const char *to,
                                          const char *firm, int64_t offset, int64_t limit,
                                          bh_placement_record **out, size_t *n, int64_t *total,
                                          char *err, size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {from, to, firm};
    int rc, step;
    *out = NULL;
    *n = 0;
    *total = 0;
    if (limit < 1 || limit > 1000 || offset < 0) {
        snprintf(err, errlen, "store: placement page: limit 1..1000 and offset >= 0");
        return BATON_EINVAL;
    }
    rc = bh_sql_prepare(s,
                        "SELECT count(*) FROM placements p JOIN handoffs h ON h.id = p.handoff_id"
                        " WHERE h.status <> 'rejected' AND (?1 IS NULL OR p.placed >= ?1)"
                        " AND (?2 IS NULL OR p.placed <= ?2) AND (?3 IS NULL OR h.recipient = ?3)",
                        &st, t, 3, err, errlen);
    if (rc != 0)
        return rc;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return bh_sql_error(s, "placements", err, errlen);
    }
    *total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    rc = bh_sql_prepare(s,
                        SELECT_PLACEMENT " AND (?1 IS NULL OR p.placed >= ?1)"
                                         " AND (?2 IS NULL OR p.placed <= ?2)"
                                         " AND (?3 IS NULL OR h.recipient = ?3)"
                                         " ORDER BY p.placed, p.handoff_id LIMIT ?4 OFFSET ?5",
                        &st, t, 3, err, errlen);
    if (rc != 0)
        return rc;
    bh_placement_record *v = calloc((size_t)limit, sizeof *v);
    if (v == NULL || sqlite3_bind_int64(st, 4, limit) != SQLITE_OK ||
        sqlite3_bind_int64(st, 5, offset) != SQLITE_OK) {
        sqlite3_finalize(st);
        free(v);
        snprintf(err, errlen, "store: out of memory listing placements");
        return BATON_ENOMEM;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < (size_t)limit)
        placement_from_row(st, &v[(*n)++]);
    if (step != SQLITE_DONE && step != SQLITE_ROW) {
        rc = bh_sql_error(s, "placements", err, errlen);
        free(v);
        *n = 0;
        v = NULL;
    }
    sqlite3_finalize(st);
    *out = v;
    return rc;
}

LOCKED(bh_store_placement_add,
       (bh_store * s, const bh_placement_record *p, char *err, size_t errlen), (s, p, err, errlen))
LOCKED(bh_store_placement_get,
       (bh_store * s, const char *handoff_id, bh_placement_record *out, char *err, size_t errlen),
       (s, handoff_id, out, err, errlen))
LOCKED(bh_store_placement_page,
       (bh_store * s, const char *from, const char *to, const char *firm, int64_t offset,
        int64_t limit, bh_placement_record **out, size_t *n, int64_t *total, char *err,
        size_t errlen),
       (s, from, to, firm, offset, limit, out, n, total, err, errlen))
