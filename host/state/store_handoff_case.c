/*
 * store_handoff_case.c - the case as the agency handed it off, kept with
 * the handoff (store.h): the package itself is encrypted to the firm, so
 * this is the agency's own copy of what it placed, which the YGC placement
 * export (GET /v1/handoffs/{id}/ygc) is written from. Written in the
 * handoff's own transaction (handoff.c).
 *
 * Owns: the handoff_cases table. Does not own: the handoff row (store_sqlite.c).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "store.h"
#include "store_internal.h"

static int bh_store_handoff_case_put_locked(bh_store *s, const char *handoff_id,
                                            const char *case_json, size_t len, char *err,
                                            size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {handoff_id};
    int rc = bh_sql_prepare(s, "INSERT INTO handoff_cases (handoff_id, case_json) VALUES (?1, ?2)",
                            &st, t, 1, err, errlen);
    if (rc != 0)
        return rc;
    if (sqlite3_bind_text(st, 2, case_json, (int)len, SQLITE_TRANSIENT) != SQLITE_OK) {
        sqlite3_finalize(st);
        return bh_sql_error(s, "bind", err, errlen);
    }
    return bh_sql_run(s, st, "handoff case", err, errlen);
}

static int bh_store_handoff_case_locked(bh_store *s, const char *handoff_id, char **case_json,
                                        char *err, size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {handoff_id};
    *case_json = NULL;
    int rc = bh_sql_prepare(s, "SELECT case_json FROM handoff_cases WHERE handoff_id = ?1", &st, t,
                            1, err, errlen);
    if (rc != 0)
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(st, 0);
        *case_json = strdup(text ? (const char *)text : "");
        rc = *case_json ? 0 : BATON_ENOMEM;
        if (rc != 0)
            snprintf(err, errlen, "out of memory");
    } else if (step == SQLITE_DONE) {
        snprintf(err, errlen, "handoff %s has no case kept with it", handoff_id);
        rc = BATON_ENOENT;
    } else {
        rc = bh_sql_error(s, "handoff case", err, errlen);
    }
    sqlite3_finalize(st);
    return rc;
}

LOCKED(bh_store_handoff_case_put,
       (bh_store * s, const char *handoff_id, const char *case_json, size_t len, char *err,
        size_t errlen),
       (s, handoff_id, case_json, len, err, errlen))
LOCKED(bh_store_handoff_case,
       (bh_store * s, const char *handoff_id, char **case_json, char *err, size_t errlen),
       (s, handoff_id, case_json, err, errlen))
