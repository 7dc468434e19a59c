/*
 * store_outbox.c - records of effects on other stores (a package for a law
 * firm's inbox, a receipt for an agency, a ledger entry), written in the
 * transaction of the change they belong to and removed once delivered
 * (store.h). Delivering them is handoff_deliver.c's.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "store.h"
#include "store_internal.h"

static int bh_store_outbox_add_locked(bh_store *s, const char *kind, const char *target,
                                      const char *handoff_id, const char *payload, char id_out[40],
                                      char *err, size_t errlen)
{
    sqlite3_stmt *st;
    char id[40], now[32];
    bh_store_new_id("ob_", id, sizeof id);
    bh_store_now(now, sizeof now);
    const char *t[] = {id, kind, target, handoff_id, payload, now};
    int rc = bh_sql_prepare(s,
                            "INSERT INTO outbox (id, kind, target, handoff_id, payload, created)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            &st, t, 6, err, errlen);
    if (rc != 0 || (rc = bh_sql_run(s, st, "outbox record", err, errlen)) != 0)
        return rc;
    if (id_out != NULL)
        memcpy(id_out, id, sizeof id);
    return 0;
}

void bh_outbox_records_free(bh_outbox_record *r, size_t n)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(r[i].payload);
    free(r);
}

/* Pending records, oldest first: record id, or every record of kind on
 * handoff_id, or all (NULL filters match anything). */
static int pending(bh_store *s, const char *id, const char *kind, const char *handoff_id,
                   size_t max, bh_outbox_record **out, size_t *n, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    bh_outbox_record *list = NULL;
    size_t count = 0;
    int step, rc;
    const char *t[] = {id, kind, handoff_id};
    *out = NULL;
    *n = 0;
    if (max == 0)
        return 0;
    rc = bh_sql_prepare(s,
                        "SELECT id, kind, target, handoff_id, payload, created FROM outbox"
                        " WHERE (?1 IS NULL OR id = ?1) AND (?2 IS NULL OR kind = ?2)"
                        " AND (?3 IS NULL OR handoff_id = ?3) ORDER BY created, rowid LIMIT ?4",
                        &st, t, 3, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 4, (sqlite3_int64)max);
    if ((list = calloc(max < 64 ? max : 64, sizeof *list)) == NULL) {
        sqlite3_finalize(st);
        snprintf(err, errlen, "store: out of memory reading the outbox");
        return BATON_ENOMEM;
    }
    size_t cap = max < 64 ? max : 64;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            bh_outbox_record *grown = realloc(list, cap * 2 * sizeof *grown);
            if (grown == NULL) {
                rc = BATON_ENOMEM;
                break;
            }
            list = grown;
            cap *= 2;
        }
        bh_outbox_record *r = &list[count];
        memset(r, 0, sizeof *r);
        count++;
        bh_sql_copy_col(st, 0, r->id, sizeof r->id);
        bh_sql_copy_col(st, 1, r->kind, sizeof r->kind);
        bh_sql_copy_col(st, 2, r->target, sizeof r->target);
        bh_sql_copy_col(st, 3, r->handoff_id, sizeof r->handoff_id);
        const unsigned char *p = sqlite3_column_text(st, 4);
        bh_sql_copy_col(st, 5, r->created, sizeof r->created);
        if ((r->payload = strdup(p != NULL ? (const char *)p : "{}")) == NULL) {
            rc = BATON_ENOMEM;
            break;
        }
    }
    if (rc == BATON_ENOMEM)
        snprintf(err, errlen, "store: out of memory reading the outbox");
    else if (step != SQLITE_DONE)
        rc = bh_sql_error(s, "outbox", err, errlen);
    sqlite3_finalize(st);
    if (rc != 0) {
        bh_outbox_records_free(list, count);
        return rc;
    }
    *out = list;
    *n = count;
    return 0;
}

static int bh_store_outbox_pending_locked(bh_store *s, const char *id, size_t max,
                                          bh_outbox_record **out, size_t *n, char *err,
                                          size_t errlen)
{
    return pending(s, id, NULL, NULL, max, out, n, err, errlen);
}

static int bh_store_outbox_pending_for_locked(bh_store *s, const char *kind, const char *handoff_id,
                                              size_t max, bh_outbox_record **out, size_t *n,
                                              char *err, size_t errlen)
{
    return pending(s, NULL, kind, handoff_id, max, out, n, err, errlen);
}

static int bh_store_outbox_done_locked(bh_store *s, const char *id, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {id};
    int rc = bh_sql_prepare(s, "DELETE FROM outbox WHERE id = ?1", &st, t, 1, err, errlen);
    return rc != 0 ? rc : bh_sql_run(s, st, "outbox record", err, errlen);
}

LOCKED(bh_store_outbox_add,
       (bh_store * s, const char *kind, const char *target, const char *handoff_id,
        const char *payload, char id_out[40], char *err, size_t errlen),
       (s, kind, target, handoff_id, payload, id_out, err, errlen))
LOCKED(bh_store_outbox_pending,
       (bh_store * s, const char *id, size_t max, bh_outbox_record **out, size_t *n, char *err,
        size_t errlen),
       (s, id, max, out, n, err, errlen))
LOCKED(bh_store_outbox_pending_for,
       (bh_store * s, const char *kind, const char *handoff_id, size_t max, bh_outbox_record **out,
        size_t *n, char *err, size_t errlen),
       (s, kind, handoff_id, max, out, n, err, errlen))
LOCKED(bh_store_outbox_done, (bh_store * s, const char *id, char *err, size_t errlen),
       (s, id, err, errlen))
