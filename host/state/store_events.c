/*
 * store_events.c - the case events a tenant keeps (store.h): both signed
 * chains of each handoff, append-only, unique per (handoff, role, seq) and
 * per (handoff, sender, event_id), listed in order of arrival.
 *
 * Owns the rows only. Checking, signing and chaining events is
 * case_events.c's (and libbaton's baton/event.h).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "store.h"
#include "store_internal.h"

static const char *events_schema =
    "CREATE TABLE IF NOT EXISTS events ("
    " pos INTEGER PRIMARY KEY, handoff_id TEXT NOT NULL, role TEXT NOT NULL,"
    " sender TEXT NOT NULL, seq INTEGER NOT NULL, event_id TEXT NOT NULL, kind TEXT NOT NULL,"
    " date TEXT NOT NULL, line TEXT NOT NULL, minisig TEXT NOT NULL, stored TEXT NOT NULL,"
    " UNIQUE (handoff_id, role, seq), UNIQUE (handoff_id, sender, event_id)) STRICT;"
    "CREATE INDEX IF NOT EXISTS events_kind ON events (handoff_id, role, kind, pos);"
    "CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events"
    " BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events"
    " BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;";

int bh_store_events_schema(bh_store *s, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, events_schema, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "store: cannot create the event tables: %s", msg ? msg : "unknown");
        sqlite3_free(msg);
        return BATON_EIO;
    }
    return 0;
}

void bh_stored_event_clear(bh_stored_event *e)
{
    if (e == NULL)
        return;
    free(e->line);
    free(e->minisig);
    e->line = NULL;
    e->minisig = NULL;
}

#define EVENT_COLUMNS                                                                              \
    "pos, handoff_id, role, sender, seq, event_id, kind, date, stored, line, minisig"

/* Fills e from a row of EVENT_COLUMNS; the texts point into the row (valid
 * until the next step) when copy is 0, else are strdup'ed. */
static int event_from_row(sqlite3_stmt *st, bh_stored_event *e, int copy)
{
    e->pos = sqlite3_column_int64(st, 0);
    bh_sql_copy_col(st, 1, e->handoff_id, sizeof e->handoff_id);
    bh_sql_copy_col(st, 2, e->role, sizeof e->role);
    bh_sql_copy_col(st, 3, e->sender, sizeof e->sender);
    e->seq = sqlite3_column_int64(st, 4);
    bh_sql_copy_col(st, 5, e->event_id, sizeof e->event_id);
    bh_sql_copy_col(st, 6, e->kind, sizeof e->kind);
    bh_sql_copy_col(st, 7, e->date, sizeof e->date);
    bh_sql_copy_col(st, 8, e->stored, sizeof e->stored);
    const char *line = (const char *)sqlite3_column_text(st, 9);
    const char *sig = (const char *)sqlite3_column_text(st, 10);
    if (!copy) {
        e->line = (char *)(line ? line : "");
        e->minisig = (char *)(sig ? sig : "");
        return 0;
    }
    e->line = strdup(line ? line : "");
    e->minisig = strdup(sig ? sig : "");
    if (e->line == NULL || e->minisig == NULL) {
        bh_stored_event_clear(e);
        return BATON_ENOMEM;
    }
    return 0;
}

static int bh_store_event_add_locked(bh_store *s, bh_stored_event *e, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    bh_store_now(e->stored, sizeof e->stored);
    const char *t[] = {e->handoff_id, e->role, e->sender,  e->event_id, e->kind,
                       e->date,       e->line, e->minisig, e->stored};
    int rc = bh_sql_prepare(s,
                            "INSERT INTO events (handoff_id, role, sender, event_id, kind, date,"
                            " line, minisig, stored, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                            " ?9, ?10)",
                            &st, t, 9, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 10, (sqlite3_int64)e->seq);
    if ((rc = bh_sql_run(s, st, "event", err, errlen)) == 0)
        e->pos = (int64_t)sqlite3_last_insert_rowid(s->db);
    return rc;
}

/* Steps a SELECT of at most one event row into out (copied). */
static int one_event(bh_store *s, sqlite3_stmt *st, bh_stored_event *out, char *err, size_t errlen)
{
    int rc = 0;
    memset(out, 0, sizeof *out);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        if (event_from_row(st, out, 1) != 0) {
            snprintf(err, errlen, "store: out of memory reading an event");
            rc = BATON_ENOMEM;
        }
    } else if (step == SQLITE_DONE) {
        rc = BATON_ENOENT;
    } else {
        rc = bh_sql_error(s, "event", err, errlen);
    }
    sqlite3_finalize(st);
    return rc;
}

static int bh_store_event_last_locked(bh_store *s, const char *handoff_id, const char *role,
                                      bh_stored_event *out, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {handoff_id, role};
    int rc = bh_sql_prepare(s,
                            "SELECT " EVENT_COLUMNS " FROM events WHERE handoff_id = ?1 AND"
                            " role = ?2 ORDER BY seq DESC LIMIT 1",
                            &st, t, 2, err, errlen);
    if (rc == 0 && (rc = one_event(s, st, out, err, errlen)) == BATON_ENOENT)
        snprintf(err, errlen, "handoff %s has no %s events", handoff_id, role);
    return rc;
}

static int bh_store_event_by_id_locked(bh_store *s, const char *handoff_id, const char *sender,
                                       const char *event_id, bh_stored_event *out, char *err,
                                       size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {handoff_id, sender, event_id};
    int rc = bh_sql_prepare(s,
                            "SELECT " EVENT_COLUMNS " FROM events WHERE handoff_id = ?1 AND"
                            " sender = ?2 AND event_id = ?3",
                            &st, t, 3, err, errlen);
    if (rc == 0 && (rc = one_event(s, st, out, err, errlen)) == BATON_ENOENT)
        snprintf(err, errlen, "%s sent no event %s on handoff %s", sender, event_id, handoff_id);
    return rc;
}

static int bh_store_event_count_locked(bh_store *s, const char *handoff_id, int64_t *n, char *err,
                                       size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {handoff_id};
    int rc = bh_sql_prepare(s, "SELECT count(*) FROM events WHERE handoff_id = ?1", &st, t, 1, err,
                            errlen);
    if (rc != 0)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = sqlite3_column_int64(st, 0);
    else
        rc = bh_sql_error(s, "event count", err, errlen);
    sqlite3_finalize(st);
    return rc;
}

static int bh_store_event_find_locked(bh_store *s, const char *handoff_id, const char *role,
                                      const char *kind, int64_t after, int64_t *pos, char *err,
                                      size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {handoff_id, role, kind};
    int rc = bh_sql_prepare(s,
                            "SELECT min(pos) FROM events WHERE handoff_id = ?1 AND role = ?2 AND"
                            " kind = ?3 AND pos > ?4",
                            &st, t, 3, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 4, (sqlite3_int64)after);
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = bh_sql_error(s, "events", err, errlen);
    else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
        rc = BATON_ENOENT;
    else
        *pos = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

static int bh_store_events_list_locked(bh_store *s, const char *handoff_id, int64_t since,
                                       int64_t limit, bh_event_visit fn, void *ctx, char *err,
                                       size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {handoff_id};
    int rc = bh_sql_prepare(s,
                            "SELECT " EVENT_COLUMNS " FROM events WHERE (?1 IS NULL OR"
                            " handoff_id = ?1) AND pos > ?2 ORDER BY pos LIMIT ?3",
                            &st, t, 1, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
    sqlite3_bind_int64(st, 3, limit > 0 ? (sqlite3_int64)limit : -1);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        bh_stored_event e;
        memset(&e, 0, sizeof e);
        event_from_row(st, &e, 0);
        if ((rc = fn(ctx, &e)) != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bh_sql_error(s, "events", err, errlen);
    sqlite3_finalize(st);
    return rc;
}

LOCKED(bh_store_event_add, (bh_store * s, bh_stored_event *e, char *err, size_t errlen),
       (s, e, err, errlen))
LOCKED(bh_store_event_last,
       (bh_store * s, const char *handoff_id, const char *role, bh_stored_event *out, char *err,
        size_t errlen),
       (s, handoff_id, role, out, err, errlen))
LOCKED(bh_store_event_by_id,
       (bh_store * s, const char *handoff_id, const char *sender, const char *event_id,
        bh_stored_event *out, char *err, size_t errlen),
       (s, handoff_id, sender, event_id, out, err, errlen))
LOCKED(bh_store_event_count,
       (bh_store * s, const char *handoff_id, int64_t *n, char *err, size_t errlen),
       (s, handoff_id, n, err, errlen))
LOCKED(bh_store_event_find,
       (bh_store * s, const char *handoff_id, const char *role, const char *kind, int64_t after,
        int64_t *pos, char *err, size_t errlen),
       (s, handoff_id, role, kind, after, pos, err, errlen))
LOCKED(bh_store_events_list,
       (bh_store * s, const char *handoff_id, int64_t since, int64_t limit, bh_event_visit fn,
        void *ctx, char *err, size_t errlen),
       (s, handoff_id, since, limit, fn, ctx, err, errlen))
