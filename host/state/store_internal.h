/*
 * store_internal.h - what the files of the SQLite store share (store.h is
 * the interface): the handle, the statement helpers, and the macro that
 * runs a public entry point under the store's lock.
 *
 * Only store_sqlite.c (documents, handoffs, inbox, plugins, transactions),
 * store_audit.c (the audit log and its checkpoints) and store_outbox.c
 * (records to deliver after a commit) and store_events.c (case events)
 * include it.
 */
#ifndef BH_STORE_INTERNAL_H
#define BH_STORE_INTERNAL_H

#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "store.h"

/*
 * One connection per tenant, shared by every thread. SQLite's own mutex
 * covers single calls, not a transaction or the changes/errmsg read after a
 * statement, so every public function holds mu for its whole run, and
 * bh_store_begin holds it until the commit or rollback. It is recursive
 * because some functions call others (a lookup after an update) and calls
 * made inside a transaction take it again.
 */
struct bh_store {
    sqlite3 *db;
    pthread_mutex_t mu;
};

/* "store: <what>: <sqlite message>" into err; returns BATON_EIO. */
int bh_sql_error(bh_store *s, const char *what, char *err, size_t errlen);
/* Prepares sql and binds text parameters 1..n (NULL binds SQL NULL). */
int bh_sql_prepare(bh_store *s, const char *sql, sqlite3_stmt **st, const char *const *texts, int n,
                   char *err, size_t errlen);
/* Runs a statement that returns no rows and finalizes it; constraint
 * failures are BATON_EEXIST. */
int bh_sql_run(bh_store *s, sqlite3_stmt *st, const char *what, char *err, size_t errlen);
/* Copies text column col into dst ("" for NULL). */
void bh_sql_copy_col(sqlite3_stmt *st, int col, char *dst, size_t len);
/* Steps a one-row SELECT: 0 with the row given to fill, BATON_ENOENT when
 * there is no row, or a database error about what. Finalizes st. */
int bh_sql_get_row(bh_store *s, sqlite3_stmt *st, void (*fill)(sqlite3_stmt *, void *), void *out,
                   const char *what, char *err, size_t errlen);
/* Every row of a SELECT as a JSON object keyed by column, in an array.
 * Finalizes st. */
int bh_sql_rows_to_json(bh_store *s, sqlite3_stmt *st, cJSON **out, char *err, size_t errlen);

/* Creates the case-event tables when absent (store_events.c). */
int bh_store_events_schema(bh_store *s, char *err, size_t errlen);

/* The public entry points: each runs its _locked body under the store lock. */
#define LOCKED(name, params, args)                                                                 \
    int name params                                                                                \
    {                                                                                              \
        pthread_mutex_lock(&s->mu);                                                                \
        int rc = name##_locked args;                                                               \
        pthread_mutex_unlock(&s->mu);                                                              \
        return rc;                                                                                 \
    }

#endif
