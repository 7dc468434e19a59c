/* store_sqlite.c - the tenant store (store.h) on one SQLite file per tenant. */
#include "store.h"
#include "store_internal.h"

#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "baton/error.h"

static const char *schema =
    "CREATE TABLE IF NOT EXISTS documents ("
    " id TEXT PRIMARY KEY, name TEXT NOT NULL, size INTEGER NOT NULL,"
    " sha256 TEXT NOT NULL, path TEXT NOT NULL, created TEXT NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS handoffs ("
    " id TEXT PRIMARY KEY, case_id TEXT NOT NULL, recipient TEXT NOT NULL,"
    " recipient_sign_pub TEXT NOT NULL, package_sha256 TEXT NOT NULL, sequence INTEGER NOT NULL "
    "UNIQUE, package_path TEXT NOT NULL,"
    " tagmanifest_sha256 TEXT NOT NULL, status TEXT NOT NULL, receipt TEXT,"
    " created TEXT NOT NULL, updated TEXT NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS inbox ("
    " id TEXT PRIMARY KEY, sender TEXT NOT NULL, handoff_id TEXT NOT NULL,"
    " package_path TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,"
    " case_json TEXT, receipt TEXT, received TEXT NOT NULL, decided TEXT NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS sequence (id INTEGER PRIMARY KEY CHECK (id = 1),"
    " next INTEGER NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS audit ("
    " seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
    " subject TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS plugin_versions ("
    " name TEXT NOT NULL, sha256 TEXT NOT NULL, version TEXT NOT NULL, scope TEXT NOT NULL,"
    " sdk TEXT NOT NULL, size INTEGER NOT NULL, signer TEXT NOT NULL, uploaded TEXT NOT NULL,"
    " PRIMARY KEY (name, sha256)) STRICT;"
    "CREATE TABLE IF NOT EXISTS plugin_activations ("
    " seq INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, config TEXT,"
    " activated TEXT NOT NULL, FOREIGN KEY (name, sha256)"
    " REFERENCES plugin_versions (name, sha256) ON DELETE CASCADE) STRICT;"
    "CREATE INDEX IF NOT EXISTS plugin_activations_name ON plugin_activations (name, seq);"
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TABLE IF NOT EXISTS audit_checkpoints ("
    " seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, ts TEXT NOT NULL, statement TEXT NOT NULL,"
    " minisig TEXT NOT NULL) STRICT;"
    "CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints"
    " BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints"
    " BEGIN SELECT RAISE(ABORT, 'audit checkpoints are append-only'); END;"
    "CREATE TABLE IF NOT EXISTS handoff_cases (handoff_id TEXT PRIMARY KEY,"
    " case_json TEXT NOT NULL) STRICT;"
    "CREATE TABLE IF NOT EXISTS outbox ("
    " id TEXT PRIMARY KEY, kind TEXT NOT NULL, target TEXT NOT NULL, handoff_id TEXT NOT NULL,"
    " payload TEXT NOT NULL, created TEXT NOT NULL) STRICT;"
    /* store_placements.c */
    "CREATE TABLE IF NOT EXISTS placements ("
    " handoff_id TEXT PRIMARY KEY, placed TEXT NOT NULL, amount_minor INTEGER NOT NULL,"
    " currency TEXT NOT NULL, forecast_minor INTEGER) STRICT;"
    "CREATE INDEX IF NOT EXISTS placements_placed ON placements (placed, handoff_id);";

int bh_sql_error(bh_store *s, const char *what, char *err, size_t errlen)
{
    snprintf(err, errlen, "store: %s: %s", what, sqlite3_errmsg(s->db));
    return BATON_EIO;
}

int bh_store_open(const char *path, bh_store **out, char *err, size_t errlen)
{
    int rc = BATON_ENOMEM;
    char *msg = NULL;
    bh_store *s = calloc(1, sizeof *s);
    pthread_mutexattr_t attr;
    *out = NULL;
    if (s == NULL) {
        snprintf(err, errlen, "store: out of memory");
        goto fail;
    }
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&s->mu, &attr);
    pthread_mutexattr_destroy(&attr);
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "store: cannot open %s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        rc = BATON_EIO;
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if (sqlite3_exec(s->db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                     NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(s->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "store: cannot prepare %s: %s", path, msg ? msg : "unknown");
        rc = BATON_EIO;
        goto fail;
    }
    if ((rc = bh_store_events_schema(s, err, errlen)) != 0)
        goto fail;
    *out = s;
    return 0;
fail:
    sqlite3_free(msg);
    if (s != NULL) {
        sqlite3_close(s->db);
        pthread_mutex_destroy(&s->mu);
    }
    free(s);
    return rc;
}

void bh_store_close(bh_store *s)
{
    if (s == NULL)
        return;
    sqlite3_close(s->db);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

void bh_store_now(char *buf, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void bh_store_new_id(const char *prefix, char *buf, size_t len)
{
    unsigned char raw[16];
    char hex[33];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(buf, len, "%s%s", prefix, hex);
}

/* Binds text parameters 1..n (NULL binds SQL NULL). */
int bh_sql_prepare(bh_store *s, const char *sql, sqlite3_stmt **st, const char *const *texts, int n,
                   char *err, size_t errlen)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return bh_sql_error(s, "prepare", err, errlen);
    for (int i = 0; i < n; i++) {
        if (sqlite3_bind_text(*st, i + 1, texts[i], -1, SQLITE_TRANSIENT) != SQLITE_OK) {
            sqlite3_finalize(*st);
            *st = NULL;
            return bh_sql_error(s, "bind", err, errlen);
        }
    }
    return 0;
}

/* Runs a statement that returns no rows; maps constraint failures to EEXIST. */
int bh_sql_run(bh_store *s, sqlite3_stmt *st, const char *what, char *err, size_t errlen)
{
    int step = sqlite3_step(st);
    int rc = 0;
    int failed = step != SQLITE_DONE && step != SQLITE_ROW;
    int ext = failed ? sqlite3_extended_errcode(s->db) : SQLITE_OK;
    /* A trigger's RAISE is a refusal with its own message, not a duplicate. */
    if (failed && ext != SQLITE_CONSTRAINT_TRIGGER &&
        (step == SQLITE_CONSTRAINT || (ext & 0xff) == SQLITE_CONSTRAINT)) {
        snprintf(err, errlen, "store: %s: already exists", what);
        rc = BATON_EEXIST;
    } else if (step != SQLITE_DONE) {
        rc = bh_sql_error(s, what, err, errlen);
    }
    sqlite3_finalize(st);
    return rc;
}

/*
 * Runs an UPDATE of row id that only applies while the row has a given
 * status (a receipt, a decision: each happens once). When nothing changed,
 * the row is looked up: BATON_ENOENT if it does not exist, BATON_EEXIST
 * naming the status it already has. table is a fixed name, never input.
 */
static int run_guarded(bh_store *s, sqlite3_stmt *st, const char *table, const char *what,
                       const char *id, char *err, size_t errlen)
{
    char sql[64];
    const char *t[] = {id};
    int rc = bh_sql_run(s, st, what, err, errlen);
    if (rc != 0 || sqlite3_changes(s->db) != 0)
        return rc;
    snprintf(sql, sizeof sql, "SELECT status FROM %s WHERE id = ?1", table);
    if ((rc = bh_sql_prepare(s, sql, &st, t, 1, err, errlen)) != 0)
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        snprintf(err, errlen, "%s %s was already %s", what, id,
                 (const char *)sqlite3_column_text(st, 0));
        rc = BATON_EEXIST;
    } else if (step == SQLITE_DONE) {
        snprintf(err, errlen, "%s %s does not exist", what, id);
        rc = BATON_ENOENT;
    } else {
        rc = bh_sql_error(s, what, err, errlen);
    }
    sqlite3_finalize(st);
    return rc;
}

void bh_sql_copy_col(sqlite3_stmt *st, int col, char *dst, size_t len)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, len, "%s", t ? (const char *)t : "");
}

/*
 * Steps st, a SELECT of one row by key, and finalizes it: 0 with the row
 * copied into out by fill, BATON_ENOENT when there is no row (err is left
 * to the caller, who knows the key), or a database error about what.
 */
int bh_sql_get_row(bh_store *s, sqlite3_stmt *st, void (*fill)(sqlite3_stmt *, void *), void *out,
                   const char *what, char *err, size_t errlen)
{
    int rc = 0;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        fill(st, out);
    else if (step == SQLITE_DONE)
        rc = BATON_ENOENT;
    else
        rc = bh_sql_error(s, what, err, errlen);
    sqlite3_finalize(st);
    return rc;
}

static int bh_store_document_add_locked(bh_store *s, const bh_document *d, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {d->id, d->name, d->sha256, d->path, d->created};
    int rc = bh_sql_prepare(s,
                            "INSERT INTO documents (id, name, sha256, path, created, size)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            &st, t, 5, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 6, (sqlite3_int64)d->size);
    return bh_sql_run(s, st, "document", err, errlen);
}

static void document_from_row(sqlite3_stmt *st, void *out)
{
    bh_document *d = out;
    bh_sql_copy_col(st, 0, d->id, sizeof d->id);
    bh_sql_copy_col(st, 1, d->name, sizeof d->name);
    d->size = (uint64_t)sqlite3_column_int64(st, 2);
    bh_sql_copy_col(st, 3, d->sha256, sizeof d->sha256);
    bh_sql_copy_col(st, 4, d->path, sizeof d->path);
    bh_sql_copy_col(st, 5, d->created, sizeof d->created);
}

static int bh_store_document_get_locked(bh_store *s, const char *id, bh_document *out, char *err,
                                        size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {id};
    int rc = bh_sql_prepare(
        s, "SELECT id, name, size, sha256, path, created FROM documents WHERE id = ?1", &st, t, 1,
        err, errlen);
    if (rc == 0 && (rc = bh_sql_get_row(s, st, document_from_row, out, "document", err, errlen)) ==
                       BATON_ENOENT)
        snprintf(err, errlen, "document %s does not exist", id);
    return rc;
}

static int bh_store_handoff_add_locked(bh_store *s, const bh_handoff *h, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {
        h->id,     h->case_id, h->recipient, h->package_path,       h->tagmanifest_sha256,
        h->status, h->created, h->updated,   h->recipient_sign_pub, h->package_sha256};
    int rc = bh_sql_prepare(
        s,
        "INSERT INTO handoffs (id, case_id, recipient, package_path,"
        " tagmanifest_sha256, status, created, updated, recipient_sign_pub, package_sha256,"
        " sequence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &st, t, 10, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 11, h->sequence);
    return bh_sql_run(s, st, "handoff", err, errlen);
}

static void handoff_from_row(sqlite3_stmt *st, void *out)
{
    bh_handoff *h = out;
    bh_sql_copy_col(st, 0, h->id, sizeof h->id);
    bh_sql_copy_col(st, 1, h->case_id, sizeof h->case_id);
    bh_sql_copy_col(st, 2, h->recipient, sizeof h->recipient);
    h->sequence = sqlite3_column_int64(st, 3);
    bh_sql_copy_col(st, 4, h->package_path, sizeof h->package_path);
    bh_sql_copy_col(st, 5, h->tagmanifest_sha256, sizeof h->tagmanifest_sha256);
    bh_sql_copy_col(st, 6, h->status, sizeof h->status);
    bh_sql_copy_col(st, 7, h->created, sizeof h->created);
    bh_sql_copy_col(st, 8, h->updated, sizeof h->updated);
    bh_sql_copy_col(st, 9, h->recipient_sign_pub, sizeof h->recipient_sign_pub);
    bh_sql_copy_col(st, 10, h->package_sha256, sizeof h->package_sha256);
}

#define HANDOFF_COLUMNS                                                                            \
    "id, case_id, recipient, sequence, package_path, tagmanifest_sha256, status, created, "        \
    "updated, "                                                                                    \
    "recipient_sign_pub, package_sha256"

static int bh_store_handoff_get_locked(bh_store *s, const char *id, bh_handoff *out, char *err,
                                       size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {id};
    int rc = bh_sql_prepare(s, "SELECT " HANDOFF_COLUMNS " FROM handoffs WHERE id = ?1", &st, t, 1,
                            err, errlen);
    if (rc == 0 &&
        (rc = bh_sql_get_row(s, st, handoff_from_row, out, "handoff", err, errlen)) == BATON_ENOENT)
        snprintf(err, errlen, "handoff %s does not exist", id);
    return rc;
}

static int bh_store_handoff_set_receipt_locked(bh_store *s, const char *id, const char *status,
                                               const char *receipt, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    char now[32];
    bh_store_now(now, sizeof now);
    const char *t[] = {id, status, receipt, now};
    int rc = bh_sql_prepare(s,
                            "UPDATE handoffs SET status = ?2, receipt = ?3, updated = ?4"
                            " WHERE id = ?1 AND status = 'sent'",
                            &st, t, 4, err, errlen);
    if (rc != 0)
        return rc;
    return run_guarded(s, st, "handoffs", "handoff", id, err, errlen);
}

/* One text column of one row selected by id (sql binds ?1) into *out
 * (strdup'ed); BATON_ENOENT with "<what> <id> <missing>" when the row is
 * absent or the column NULL. */
static int get_text_by_id(bh_store *s, const char *sql, const char *id, const char *what,
                          const char *missing, char **out, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {id};
    *out = NULL;
    int rc = bh_sql_prepare(s, sql, &st, t, 1, err, errlen);
    if (rc != 0)
        return rc;
    int step = sqlite3_step(st);
    const unsigned char *text = step == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    if (text != NULL) {
        *out = strdup((const char *)text);
        rc = *out ? 0 : BATON_ENOMEM;
    } else if (step == SQLITE_ROW || step == SQLITE_DONE) {
        snprintf(err, errlen, "%s %s %s", what, id, missing);
        rc = BATON_ENOENT;
    } else {
        rc = bh_sql_error(s, what, err, errlen);
    }
    sqlite3_finalize(st);
    return rc;
}

static int bh_store_handoff_receipt_locked(bh_store *s, const char *id, char **receipt, char *err,
                                           size_t errlen)
{
    return get_text_by_id(s, "SELECT receipt FROM handoffs WHERE id = ?1", id, "handoff",
                          "has no receipt yet", receipt, err, errlen);
}

static int bh_store_inbox_case_locked(bh_store *s, const char *id, char **case_json, char *err,
                                      size_t errlen)
{
    return get_text_by_id(s, "SELECT case_json FROM inbox WHERE id = ?1", id, "inbox item",
                          "has no imported case", case_json, err, errlen);
}

static int bh_store_inbox_receipt_locked(bh_store *s, const char *id, char **receipt, char *err,
                                         size_t errlen)
{
    return get_text_by_id(s, "SELECT receipt FROM inbox WHERE id = ?1", id, "inbox item",
                          "has no receipt", receipt, err, errlen);
}

static int bh_store_next_sequence_locked(bh_store *s, int64_t *out, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc = bh_sql_prepare(s,
                            "INSERT INTO sequence (id, next) VALUES (1, 2)"
                            " ON CONFLICT (id) DO UPDATE SET next = next + 1 RETURNING next - 1",
                            &st, NULL, 0, err, errlen);
    if (rc != 0)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = 0;
    } else {
        rc = bh_sql_error(s, "sequence", err, errlen);
    }
    if (sqlite3_step(st) != SQLITE_DONE && rc == 0)
        rc = bh_sql_error(s, "sequence", err, errlen);
    sqlite3_finalize(st);
    return rc;
}

/* Runs a SELECT and turns every row into a JSON object keyed by column. */
int bh_sql_rows_to_json(bh_store *s, sqlite3_stmt *st, cJSON **out, char *err, size_t errlen)
{
    int rc = 0, step;
    cJSON *arr = cJSON_CreateArray();
    if (arr == NULL) {
        sqlite3_finalize(st);
        return BATON_ENOMEM;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *row = cJSON_CreateObject();
        if (row == NULL) {
            rc = BATON_ENOMEM;
            break;
        }
        cJSON_AddItemToArray(arr, row);
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            const char *name = sqlite3_column_name(st, c);
            cJSON *v;
            if (sqlite3_column_type(st, c) == SQLITE_INTEGER)
                v = cJSON_CreateNumber((double)sqlite3_column_int64(st, c));
            else if (sqlite3_column_type(st, c) == SQLITE_NULL)
                v = cJSON_CreateNull();
            else
                v = cJSON_CreateString((const char *)sqlite3_column_text(st, c));
            if (v == NULL) {
                rc = BATON_ENOMEM;
                break;
            }
            cJSON_AddItemToObject(row, name, v);
        }
        if (rc != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bh_sql_error(s, "list", err, errlen);
    sqlite3_finalize(st);
    if (rc != 0) {
        cJSON_Delete(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

static int bh_store_handoff_list_locked(bh_store *s, cJSON **out, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc = bh_sql_prepare(s,
                            "SELECT id, case_id, recipient, sequence, tagmanifest_sha256, status,"
                            " created, updated FROM handoffs ORDER BY created DESC, sequence DESC"
                            " LIMIT 1000",
                            &st, NULL, 0, err, errlen);
    return rc != 0 ? rc : bh_sql_rows_to_json(s, st, out, err, errlen);
}

static int bh_store_inbox_add_locked(bh_store *s, const bh_inbox_item *it, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {it->id,     it->sender, it->handoff_id, it->package_path,
                       it->status, it->reason, it->received,   it->decided};
    int rc =
        bh_sql_prepare(s,
                       "INSERT INTO inbox (id, sender, handoff_id, package_path, status, reason,"
                       " received, decided) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                       &st, t, 8, err, errlen);
    return rc != 0 ? rc : bh_sql_run(s, st, "inbox item", err, errlen);
}

static void inbox_from_row(sqlite3_stmt *st, void *out)
{
    bh_inbox_item *it = out;
    bh_sql_copy_col(st, 0, it->id, sizeof it->id);
    bh_sql_copy_col(st, 1, it->sender, sizeof it->sender);
    bh_sql_copy_col(st, 2, it->handoff_id, sizeof it->handoff_id);
    bh_sql_copy_col(st, 3, it->package_path, sizeof it->package_path);
    bh_sql_copy_col(st, 4, it->status, sizeof it->status);
    bh_sql_copy_col(st, 5, it->reason, sizeof it->reason);
    bh_sql_copy_col(st, 6, it->received, sizeof it->received);
    bh_sql_copy_col(st, 7, it->decided, sizeof it->decided);
}

static int bh_store_inbox_get_locked(bh_store *s, const char *id, bh_inbox_item *out, char *err,
                                     size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {id};
    int rc = bh_sql_prepare(s,
                            "SELECT id, sender, handoff_id, package_path, status, reason, received,"
                            " decided FROM inbox WHERE id = ?1",
                            &st, t, 1, err, errlen);
    if (rc == 0 && (rc = bh_sql_get_row(s, st, inbox_from_row, out, "inbox item", err, errlen)) ==
                       BATON_ENOENT)
        snprintf(err, errlen, "inbox item %s does not exist", id);
    return rc;
}

static int bh_store_inbox_decide_locked(bh_store *s, const char *id, const char *status,
                                        const char *reason, const char *case_json,
                                        const char *receipt, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    char now[32];
    bh_store_now(now, sizeof now);
    const char *t[] = {id, status, reason ? reason : "", case_json, receipt, now};
    int rc =
        bh_sql_prepare(s,
                       "UPDATE inbox SET status = ?2, reason = ?3, case_json = ?4, receipt = ?5,"
                       " decided = ?6 WHERE id = ?1 AND status = 'pending'",
                       &st, t, 6, err, errlen);
    if (rc != 0)
        return rc;
    return run_guarded(s, st, "inbox", "inbox item", id, err, errlen);
}

static int bh_store_inbox_list_locked(bh_store *s, cJSON **out, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc = bh_sql_prepare(s,
                            "SELECT id, sender, handoff_id, status, reason, received, decided"
                            " FROM inbox ORDER BY received DESC LIMIT 1000",
                            &st, NULL, 0, err, errlen);
    return rc != 0 ? rc : bh_sql_rows_to_json(s, st, out, err, errlen);
}

static int bh_store_plugin_add_locked(bh_store *s, const bh_plugin_version *v, char *err,
                                      size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {v->name, v->sha256, v->version, v->scope, v->sdk, v->signer, v->uploaded};
    int rc =
        bh_sql_prepare(s,
                       "INSERT INTO plugin_versions (name, sha256, version, scope, sdk, signer,"
                       " uploaded, size) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                       &st, t, 7, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 8, (sqlite3_int64)v->size);
    return bh_sql_run(s, st, "plugin version", err, errlen);
}

static void plugin_version_from_row(sqlite3_stmt *st, void *out)
{
    bh_plugin_version *v = out;
    bh_sql_copy_col(st, 0, v->name, sizeof v->name);
    bh_sql_copy_col(st, 1, v->sha256, sizeof v->sha256);
    bh_sql_copy_col(st, 2, v->version, sizeof v->version);
    bh_sql_copy_col(st, 3, v->scope, sizeof v->scope);
    bh_sql_copy_col(st, 4, v->sdk, sizeof v->sdk);
    v->size = (uint64_t)sqlite3_column_int64(st, 5);
    bh_sql_copy_col(st, 6, v->signer, sizeof v->signer);
    bh_sql_copy_col(st, 7, v->uploaded, sizeof v->uploaded);
}

static int bh_store_plugin_get_locked(bh_store *s, const char *name, const char *sha256,
                                      bh_plugin_version *out, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {name, sha256};
    int rc = bh_sql_prepare(s,
                            "SELECT name, sha256, version, scope, sdk, size, signer, uploaded"
                            " FROM plugin_versions WHERE name = ?1 AND sha256 = ?2",
                            &st, t, 2, err, errlen);
    if (rc == 0 && (rc = bh_sql_get_row(s, st, plugin_version_from_row, out, "plugin version", err,
                                        errlen)) == BATON_ENOENT)
        snprintf(err, errlen, "plugin %s has no version %s", name, sha256);
    return rc;
}

static int bh_store_plugin_list_locked(bh_store *s, cJSON **out, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    cJSON *row;
    int rc =
        bh_sql_prepare(s,
                       "SELECT v.name, v.sha256, v.version, v.scope, v.sdk, v.size, v.signer,"
                       " v.uploaded, COALESCE(v.sha256 = (SELECT a.sha256 FROM plugin_activations a"
                       " WHERE a.name = v.name ORDER BY a.seq DESC LIMIT 1), 0) AS active"
                       " FROM plugin_versions v ORDER BY v.name, v.uploaded, v.rowid",
                       &st, NULL, 0, err, errlen);
    if (rc != 0 || (rc = bh_sql_rows_to_json(s, st, out, err, errlen)) != 0)
        return rc;
    cJSON_ArrayForEach(row, *out)
    {
        cJSON *a = cJSON_GetObjectItemCaseSensitive(row, "active");
        cJSON_ReplaceItemInObjectCaseSensitive(
            row, "active", cJSON_CreateBool(cJSON_IsNumber(a) && a->valuedouble != 0));
    }
    return 0;
}

static void activation_from_row(sqlite3_stmt *st, bh_plugin_activation *a)
{
    const unsigned char *cfg = sqlite3_column_text(st, 1);
    bh_sql_copy_col(st, 0, a->sha256, sizeof a->sha256);
    a->config = cfg != NULL ? strdup((const char *)cfg) : NULL;
    bh_sql_copy_col(st, 2, a->activated, sizeof a->activated);
}

void bh_plugin_activation_clear(bh_plugin_activation *a)
{
    if (a == NULL)
        return;
    free(a->config);
    memset(a, 0, sizeof *a);
}

static int bh_store_plugin_top_locked(bh_store *s, const char *name, bh_plugin_activation *top,
                                      bh_plugin_activation *below, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {name};
    memset(top, 0, sizeof *top);
    if (below != NULL)
        memset(below, 0, sizeof *below);
    int rc =
        bh_sql_prepare(s,
                       "SELECT sha256, config, activated FROM plugin_activations WHERE name = ?1"
                       " ORDER BY seq DESC LIMIT 2",
                       &st, t, 1, err, errlen);
    if (rc != 0)
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        activation_from_row(st, top);
        step = sqlite3_step(st);
        if (step == SQLITE_ROW && below != NULL)
            activation_from_row(st, below);
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        rc = bh_sql_error(s, "plugin activations", err, errlen);
        bh_plugin_activation_clear(top);
        bh_plugin_activation_clear(below);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The sha256 at the top of name's stack into top ("" when empty) and its
 * seq into *seq. */
static int top_of(bh_store *s, const char *name, char top[65], int64_t *seq, char *err,
                  size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {name};
    int rc = bh_sql_prepare(s,
                            "SELECT sha256, seq FROM plugin_activations WHERE name = ?1"
                            " ORDER BY seq DESC LIMIT 1",
                            &st, t, 1, err, errlen);
    if (rc != 0)
        return rc;
    top[0] = '\0';
    *seq = 0;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        bh_sql_copy_col(st, 0, top, 65);
        *seq = sqlite3_column_int64(st, 1);
    } else if (step != SQLITE_DONE) {
        rc = bh_sql_error(s, "plugin activations", err, errlen);
    }
    sqlite3_finalize(st);
    return rc;
}

static int bh_store_plugin_push_locked(bh_store *s, const char *name, const char *sha256,
                                       const char *config, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    bh_plugin_version v;
    char top[65], now[32];
    int64_t seq;
    int rc = bh_store_plugin_get_locked(s, name, sha256, &v, err, errlen);
    if (rc != 0 || (rc = top_of(s, name, top, &seq, err, errlen)) != 0)
        return rc;
    bh_store_now(now, sizeof now);
    const char *t[] = {name, sha256, config, now};
    if (strcmp(top, sha256) == 0) {
        rc = bh_sql_prepare(
            s, "UPDATE plugin_activations SET config = ?3, activated = ?4 WHERE seq = ?5", &st, t,
            4, err, errlen);
        if (rc != 0)
            return rc;
        sqlite3_bind_int64(st, 5, seq);
    } else {
        rc = bh_sql_prepare(s,
                            "INSERT INTO plugin_activations (name, sha256, config, activated)"
                            " VALUES (?1, ?2, ?3, ?4)",
                            &st, t, 4, err, errlen);
        if (rc != 0)
            return rc;
    }
    return bh_sql_run(s, st, "plugin activation", err, errlen);
}

static int bh_store_plugin_pop_locked(bh_store *s, const char *name, const char *sha256, char *err,
                                      size_t errlen)
{
    sqlite3_stmt *st;
    char top[65];
    int64_t seq;
    int rc = top_of(s, name, top, &seq, err, errlen);
    if (rc != 0)
        return rc;
    if (top[0] == '\0') {
        snprintf(err, errlen, "plugin %s has no active version", name);
        return BATON_ENOENT;
    }
    if (strcmp(top, sha256) != 0) {
        snprintf(err, errlen, "plugin %s: the active version changed meanwhile", name);
        return BATON_EEXIST;
    }
    rc = bh_sql_prepare(s, "DELETE FROM plugin_activations WHERE seq = ?1", &st, NULL, 0, err,
                        errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 1, seq);
    return bh_sql_run(s, st, "plugin activation", err, errlen);
}

static int bh_store_plugin_active_locked(bh_store *s, cJSON **out, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc = bh_sql_prepare(s,
                            "SELECT a.name, a.sha256, a.config FROM plugin_activations a"
                            " WHERE a.seq = (SELECT max(b.seq) FROM plugin_activations b"
                            " WHERE b.name = a.name) ORDER BY a.name",
                            &st, NULL, 0, err, errlen);
    return rc != 0 ? rc : bh_sql_rows_to_json(s, st, out, err, errlen);
}

static int bh_store_plugin_remove_locked(bh_store *s, const char *name, const char *sha256,
                                         char *err, size_t errlen)
{
    sqlite3_stmt *st;
    char top[65];
    int64_t seq;
    const char *t[] = {name, sha256};
    int rc = top_of(s, name, top, &seq, err, errlen);
    if (rc != 0)
        return rc;
    if (strcmp(top, sha256) == 0) {
        snprintf(err, errlen, "version %s of plugin %s is active", sha256, name);
        return BATON_EEXIST;
    }
    /* The foreign key removes the version's older activations with it. */
    rc = bh_sql_prepare(s, "DELETE FROM plugin_versions WHERE name = ?1 AND sha256 = ?2", &st, t, 2,
                        err, errlen);
    if (rc != 0 || (rc = bh_sql_run(s, st, "plugin version", err, errlen)) != 0)
        return rc;
    if (sqlite3_changes(s->db) == 0) {
        snprintf(err, errlen, "plugin %s has no version %s", name, sha256);
        return BATON_ENOENT;
    }
    return 0;
}

/* ---- transactions (store.h): the lock is held from begin to commit ---- */

int bh_store_begin(bh_store *s, char *err, size_t errlen)
{
    int rc;
    pthread_mutex_lock(&s->mu);
    if (!sqlite3_get_autocommit(s->db)) {
        snprintf(err, errlen, "store: a transaction is already open on this store");
        pthread_mutex_unlock(&s->mu);
        return BATON_EINVAL;
    }
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        rc = bh_sql_error(s, "begin", err, errlen);
        pthread_mutex_unlock(&s->mu);
        return rc;
    }
    return 0;
}

int bh_store_commit(bh_store *s, char *err, size_t errlen)
{
    int rc = 0;
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        rc = bh_sql_error(s, "commit", err, errlen);
        if (!sqlite3_get_autocommit(s->db))
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

void bh_store_rollback(bh_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    pthread_mutex_unlock(&s->mu);
}

LOCKED(bh_store_document_add, (bh_store * s, const bh_document *d, char *err, size_t errlen),
       (s, d, err, errlen))
LOCKED(bh_store_document_get,
       (bh_store * s, const char *id, bh_document *out, char *err, size_t errlen),
       (s, id, out, err, errlen))
LOCKED(bh_store_handoff_add, (bh_store * s, const bh_handoff *h, char *err, size_t errlen),
       (s, h, err, errlen))
LOCKED(bh_store_handoff_get,
       (bh_store * s, const char *id, bh_handoff *out, char *err, size_t errlen),
       (s, id, out, err, errlen))
LOCKED(bh_store_handoff_set_receipt,
       (bh_store * s, const char *id, const char *status, const char *receipt, char *err,
        size_t errlen),
       (s, id, status, receipt, err, errlen))
LOCKED(bh_store_handoff_receipt,
       (bh_store * s, const char *id, char **receipt, char *err, size_t errlen),
       (s, id, receipt, err, errlen))
LOCKED(bh_store_next_sequence, (bh_store * s, int64_t *out, char *err, size_t errlen),
       (s, out, err, errlen))
LOCKED(bh_store_handoff_list, (bh_store * s, cJSON **out, char *err, size_t errlen),
       (s, out, err, errlen))
LOCKED(bh_store_inbox_add, (bh_store * s, const bh_inbox_item *it, char *err, size_t errlen),
       (s, it, err, errlen))
LOCKED(bh_store_inbox_get,
       (bh_store * s, const char *id, bh_inbox_item *out, char *err, size_t errlen),
       (s, id, out, err, errlen))
LOCKED(bh_store_inbox_decide,
       (bh_store * s, const char *id, const char *status, const char *reason, const char *case_json,
        const char *receipt, char *err, size_t errlen),
       (s, id, status, reason, case_json, receipt, err, errlen))
LOCKED(bh_store_inbox_case,
       (bh_store * s, const char *id, char **case_json, char *err, size_t errlen),
       (s, id, case_json, err, errlen))
LOCKED(bh_store_inbox_receipt,
       (bh_store * s, const char *id, char **receipt, char *err, size_t errlen),
       (s, id, receipt, err, errlen))
LOCKED(bh_store_inbox_list, (bh_store * s, cJSON **out, char *err, size_t errlen),
       (s, out, err, errlen))
LOCKED(bh_store_plugin_add, (bh_store * s, const bh_plugin_version *v, char *err, size_t errlen),
       (s, v, err, errlen))
LOCKED(bh_store_plugin_get,
       (bh_store * s, const char *name, const char *sha256, bh_plugin_version *out, char *err,
        size_t errlen),
       (s, name, sha256, out, err, errlen))
LOCKED(bh_store_plugin_list, (bh_store * s, cJSON **out, char *err, size_t errlen),
       (s, out, err, errlen))
LOCKED(bh_store_plugin_push,
       (bh_store * s, const char *name, const char *sha256, const char *config, char *err,
        size_t errlen),
       (s, name, sha256, config, err, errlen))
LOCKED(bh_store_plugin_pop,
       (bh_store * s, const char *name, const char *sha256, char *err, size_t errlen),
       (s, name, sha256, err, errlen))
LOCKED(bh_store_plugin_top,
       (bh_store * s, const char *name, bh_plugin_activation *top, bh_plugin_activation *below,
        char *err, size_t errlen),
       (s, name, top, below, err, errlen))
LOCKED(bh_store_plugin_active, (bh_store * s, cJSON **out, char *err, size_t errlen),
       (s, out, err, errlen))
LOCKED(bh_store_plugin_remove,
       (bh_store * s, const char *name, const char *sha256, char *err, size_t errlen),
       (s, name, sha256, err, errlen))
