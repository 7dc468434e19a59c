/*
 * ledger.c - the replay ledger in SQLite (see baton/ledger.h).
 *
 * One table, accepted(sender_pk, seq, ...), primary key (sender_pk, seq).
 * WAL with synchronous=FULL so that a committed record survives a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "baton/error.h"
#include "baton/ledger.h"
#include "fail.h"
#include "visibility.h"

struct baton_ledger {
    sqlite3 *db;
    int in_tx;
};

static void hex32(const uint8_t in[32], char out[65])
{
    static const char hx[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hx[in[i] >> 4];
        out[2 * i + 1] = hx[in[i] & 15];
    }
    out[64] = '\0';
}

static int exec(baton_ledger *l, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(l->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = baton__fail(err, errlen, BATON_EIO, "ledger: %s", msg != NULL ? msg : "error");
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

BATON_API int baton_ledger_open(const char *path, baton_ledger **out, char *err, size_t errlen)
{
    int rc = BATON_ENOMEM;
    baton_ledger *l = calloc(1, sizeof *l);
    *out = NULL;
    if (l == NULL)
        return baton__fail(err, errlen, rc, "out of memory");
    /* Create the file 0600 ourselves: SQLite would use the umask. */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        rc = baton__fail(err, errlen, errno == ENOENT ? BATON_ENOENT : BATON_EIO, "ledger %s: %s",
                         path, strerror(errno));
        goto out;
    }
    close(fd);
    if (sqlite3_open_v2(path, &l->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) !=
        SQLITE_OK) {
        rc = baton__fail(err, errlen, BATON_EIO, "ledger %s: %s", path,
                         l->db != NULL ? sqlite3_errmsg(l->db) : "cannot open");
        goto out;
    }
    sqlite3_busy_timeout(l->db, 10000);
    rc = exec(l,
              "PRAGMA journal_mode=WAL;"
              "PRAGMA synchronous=FULL;"
              "CREATE TABLE IF NOT EXISTS accepted("
              " sender_pk TEXT NOT NULL,"
              " seq INTEGER NOT NULL CHECK (seq > 0),"
              " case_id TEXT NOT NULL,"
              " tagmanifest_sha256 TEXT NOT NULL,"
              " accepted_at INTEGER NOT NULL,"
              " PRIMARY KEY (sender_pk, seq)) WITHOUT ROWID;",
              err, errlen);
    if (rc < 0)
        goto out;
    *out = l;
    l = NULL;
    rc = 0;
out:
    baton_ledger_close(l);
    return rc;
}

BATON_API void baton_ledger_close(baton_ledger *l)
{
    if (l == NULL)
        return;
    if (l->in_tx)
        baton_ledger_rollback(l);
    sqlite3_close(l->db);
    free(l);
}

BATON_API int baton_ledger_begin(baton_ledger *l, char *err, size_t errlen)
{
    int rc = exec(l, "BEGIN IMMEDIATE", err, errlen);
    if (rc == 0)
        l->in_tx = 1;
    return rc;
}

BATON_API int baton_ledger_commit(baton_ledger *l, char *err, size_t errlen)
{
    int rc = exec(l, "COMMIT", err, errlen);
    if (rc == 0)
        l->in_tx = 0;
    return rc;
}

BATON_API void baton_ledger_rollback(baton_ledger *l)
{
    if (l->in_tx) {
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        l->in_tx = 0;
    }
}

BATON_API int baton_ledger_seen(baton_ledger *l, const uint8_t sender_pk[32], uint64_t seq,
                                char *err, size_t errlen)
{
    char pk[65];
    sqlite3_stmt *st = NULL;
    int rc;
    if (seq == 0 || seq > INT64_MAX)
        return baton__fail(err, errlen, BATON_ERANGE, "sequence out of range");
    hex32(sender_pk, pk);
    if (sqlite3_prepare_v2(l->db, "SELECT 1 FROM accepted WHERE sender_pk = ?1 AND seq = ?2", -1,
                           &st, NULL) != SQLITE_OK) {
        rc = baton__fail(err, errlen, BATON_EIO, "ledger: %s", sqlite3_errmsg(l->db));
        goto out;
    }
    sqlite3_bind_text(st, 1, pk, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        rc = 1;
    else if (s == SQLITE_DONE)
        rc = 0;
    else
        rc = baton__fail(err, errlen, BATON_EIO, "ledger: %s", sqlite3_errmsg(l->db));
out:
    sqlite3_finalize(st);
    return rc;
}

BATON_API int baton_ledger_record(baton_ledger *l, const uint8_t sender_pk[32], uint64_t seq,
                                  const char *case_id, const uint8_t tagmanifest_sha256[32],
                                  int64_t accepted_at, char *err, size_t errlen)
{
    char pk[65], tm[65];
    sqlite3_stmt *st = NULL;
    int rc;
    if (seq == 0 || seq > INT64_MAX)
        return baton__fail(err, errlen, BATON_ERANGE, "sequence out of range");
    hex32(sender_pk, pk);
    hex32(tagmanifest_sha256, tm);
    if (sqlite3_prepare_v2(l->db,
                           "INSERT INTO accepted(sender_pk, seq, case_id, tagmanifest_sha256,"
                           " accepted_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = baton__fail(err, errlen, BATON_EIO, "ledger: %s", sqlite3_errmsg(l->db));
        goto out;
    }
    sqlite3_bind_text(st, 1, pk, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    sqlite3_bind_text(st, 3, case_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, tm, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, accepted_at);
    int s = sqlite3_step(st);
    if (s == SQLITE_DONE)
        rc = 0;
    else if (sqlite3_extended_errcode(l->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
        rc = baton__fail(err, errlen, BATON_EEXIST, "sequence %llu already recorded",
                         (unsigned long long)seq);
    else
        rc = baton__fail(err, errlen, BATON_EIO, "ledger: %s", sqlite3_errmsg(l->db));
out:
    sqlite3_finalize(st);
    return rc;
}

BATON_API int baton_ledger_last(baton_ledger *l, const uint8_t sender_pk[32], uint64_t *seq,
                                char *err, size_t errlen)
{
    char pk[65];
    sqlite3_stmt *st = NULL;
    int rc;
    hex32(sender_pk, pk);
    *seq = 0;
    if (sqlite3_prepare_v2(l->db, "SELECT max(seq) FROM accepted WHERE sender_pk = ?1", -1, &st,
                           NULL) != SQLITE_OK) {
        rc = baton__fail(err, errlen, BATON_EIO, "ledger: %s", sqlite3_errmsg(l->db));
        goto out;
    }
    sqlite3_bind_text(st, 1, pk, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = baton__fail(err, errlen, BATON_EIO, "ledger: %s", sqlite3_errmsg(l->db));
        goto out;
    }
    if (sqlite3_column_type(st, 0) != SQLITE_NULL)
        *seq = (uint64_t)sqlite3_column_int64(st, 0);
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}
