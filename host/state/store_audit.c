/*
 * store_audit.c - the tenant's hash-chained, append-only audit log and its
 * signed checkpoints, in the tenant's SQLite store (store.h).
 *
 * Owns the rows and the chain arithmetic. Does not own signing or checking
 * checkpoints (audit_log.c, which holds the tenant's key), nor deciding
 * what is audited (the callers).
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "store.h"
#include "store_internal.h"

static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

/* hash = hex(SHA-256(prev_hash "\n" seq "\n" ts "\n" actor "\n" action "\n"
 * subject "\n" detail)), seq in decimal; docs/audit.md. */
static void audit_hash(const char *prev, int64_t seq, const char *ts, const char *actor,
                       const char *action, const char *subject, const char *detail, char hex[65])
{
    crypto_hash_sha256_state h;
    unsigned char out[32];
    char num[24];
    const char *parts[] = {prev, num, ts, actor, action, subject, detail};
    snprintf(num, sizeof num, "%lld", (long long)seq);
    crypto_hash_sha256_init(&h);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (i > 0)
            crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
        crypto_hash_sha256_update(&h, (const unsigned char *)parts[i], strlen(parts[i]));
    }
    crypto_hash_sha256_final(&h, out);
    sodium_bin2hex(hex, 65, out, sizeof out);
}

static int bh_store_audit_head_locked(bh_store *s, int64_t *seq, char hash[65], char *err,
                                      size_t errlen)
{
    sqlite3_stmt *st;
    int rc = bh_sql_prepare(s, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &st, NULL,
                            0, err, errlen);
    if (rc != 0)
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        bh_sql_copy_col(st, 1, hash, 65);
    } else if (step == SQLITE_DONE) {
        *seq = 0;
        memcpy(hash, genesis, sizeof genesis);
    } else {
        rc = bh_sql_error(s, "audit head", err, errlen);
    }
    sqlite3_finalize(st);
    return rc;
}

static int append(bh_store *s, const char *actor, const char *action, const char *subject,
                  const char *detail, int64_t *seq_out, char hash_out[65], char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    char prev[65], hash[65], ts[32];
    int64_t seq;
    int rc = bh_store_audit_head_locked(s, &seq, prev, err, errlen);
    if (rc != 0)
        return rc;
    seq++;
    bh_store_now(ts, sizeof ts);
    audit_hash(prev, seq, ts, actor, action, subject, detail, hash);
    const char *t[] = {ts, actor, action, subject, detail, prev, hash};
    rc = bh_sql_prepare(s,
                        "INSERT INTO audit (ts, actor, action, subject, detail, prev_hash, hash,"
                        " seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        &st, t, 7, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 8, seq);
    if ((rc = bh_sql_run(s, st, "audit", err, errlen)) != 0)
        return rc;
    if (seq_out != NULL)
        *seq_out = seq;
    if (hash_out != NULL)
        memcpy(hash_out, hash, sizeof hash);
    return 0;
}

static int bh_store_audit_add_locked(bh_store *s, const char *actor, const char *action,
                                     const char *subject, const char *detail, int64_t *seq,
                                     char hash[65], char *err, size_t errlen)
{
    int rc;
    if (detail == NULL)
        detail = "{}";
    /* Inside the caller's transaction the row joins it; alone it is its
     * own transaction, so the head read and the insert cannot interleave
     * with another writer. */
    if (!sqlite3_get_autocommit(s->db))
        return append(s, actor, action, subject, detail, seq, hash, err, errlen);
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return bh_sql_error(s, "audit begin", err, errlen);
    rc = append(s, actor, action, subject, detail, seq, hash, err, errlen);
    if (rc == 0 && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = bh_sql_error(s, "audit commit", err, errlen);
    if (rc != 0 && !sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int bh_store_audit_locked(bh_store *s, const char *actor, const char *action,
                                 const char *subject, const char *detail, char *err, size_t errlen)
{
    return bh_store_audit_add_locked(s, actor, action, subject, detail, NULL, NULL, err, errlen);
}

static const char *col_text(sqlite3_stmt *st, int c)
{
    const unsigned char *t = sqlite3_column_text(st, c);
    return t != NULL ? (const char *)t : "";
}

static int bh_store_audit_verify_locked(bh_store *s, uint64_t *rows, int64_t *last_seq,
                                        char last_hash[65], char *err, size_t errlen)
{
    sqlite3_stmt *st;
    char prev[65], hash[65];
    int64_t expect = 1;
    int rc = bh_sql_prepare(s,
                            "SELECT seq, ts, actor, action, subject, detail, prev_hash, hash"
                            " FROM audit ORDER BY seq",
                            &st, NULL, 0, err, errlen);
    if (rc != 0)
        return rc;
    memcpy(prev, genesis, sizeof genesis);
    *rows = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        const char *col[7];
        for (int c = 0; c < 7; c++)
            col[c] = col_text(st, c + 1);
        if (seq != expect) {
            snprintf(err, errlen, "audit row %lld follows row %lld: row %lld is missing",
                     (long long)seq, (long long)expect - 1, (long long)expect);
            rc = BATON_ECRYPTO;
            break;
        }
        /* The stored link is checked on its own: a row whose prev_hash was
         * changed while its hash still matches the true chain is broken too. */
        if (strcmp(col[5], prev) != 0) {
            snprintf(err, errlen,
                     "audit row %lld: prev_hash %.16s... is not the hash of row %lld (%.16s...)",
                     (long long)seq, col[5], (long long)seq - 1, prev);
            rc = BATON_ECRYPTO;
            break;
        }
        audit_hash(prev, seq, col[0], col[1], col[2], col[3], col[4], hash);
        if (strcmp(col[6], hash) != 0) {
            snprintf(err, errlen,
                     "audit row %lld: its content does not match its hash (stored %.16s..., "
                     "computed %.16s...): the row was changed",
                     (long long)seq, col[6], hash);
            rc = BATON_ECRYPTO;
            break;
        }
        memcpy(prev, hash, sizeof prev);
        expect++;
        (*rows)++;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = bh_sql_error(s, "audit verify", err, errlen);
    sqlite3_finalize(st);
    if (rc == 0) {
        if (last_seq != NULL)
            *last_seq = expect - 1;
        if (last_hash != NULL)
            memcpy(last_hash, prev, sizeof prev);
    }
    return rc;
}

static int bh_store_audit_page_locked(bh_store *s, int64_t after, int limit, cJSON **out, char *err,
                                      size_t errlen)
{
    sqlite3_stmt *st;
    int rc = bh_sql_prepare(s,
                            "SELECT seq, ts, actor, action, subject, detail, prev_hash, hash"
                            " FROM audit WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                            &st, NULL, 0, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int(st, 2, limit);
    return bh_sql_rows_to_json(s, st, out, err, errlen);
}

static int bh_store_audit_hash_at_locked(bh_store *s, int64_t seq, char hash[65], char *err,
                                         size_t errlen)
{
    sqlite3_stmt *st;
    int rc = bh_sql_prepare(s, "SELECT hash FROM audit WHERE seq = ?1", &st, NULL, 0, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 1, seq);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        bh_sql_copy_col(st, 0, hash, 65);
    } else if (step == SQLITE_DONE) {
        snprintf(err, errlen, "audit row %lld does not exist", (long long)seq);
        rc = BATON_ENOENT;
    } else {
        rc = bh_sql_error(s, "audit row", err, errlen);
    }
    sqlite3_finalize(st);
    return rc;
}

static int bh_store_checkpoint_add_locked(bh_store *s, const bh_audit_checkpoint *c, char *err,
                                          size_t errlen)
{
    sqlite3_stmt *st;
    const char *t[] = {c->hash, c->ts, c->statement, c->minisig};
    int rc = bh_sql_prepare(s,
                            "INSERT INTO audit_checkpoints (hash, ts, statement, minisig, seq)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            &st, t, 4, err, errlen);
    if (rc != 0)
        return rc;
    sqlite3_bind_int64(st, 5, c->seq);
    return bh_sql_run(s, st, "audit checkpoint", err, errlen);
}

void bh_audit_checkpoints_free(bh_audit_checkpoint *c, size_t n)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        free(c[i].statement);
        free(c[i].minisig);
    }
    free(c);
}

static int bh_store_checkpoint_all_locked(bh_store *s, bh_audit_checkpoint **out, size_t *n,
                                          char *err, size_t errlen)
{
    sqlite3_stmt *st;
    bh_audit_checkpoint *list = NULL;
    size_t count = 0, cap = 0;
    int step;
    *out = NULL;
    *n = 0;
    int rc = bh_sql_prepare(s,
                            "SELECT seq, hash, ts, statement, minisig FROM audit_checkpoints"
                            " ORDER BY seq",
                            &st, NULL, 0, err, errlen);
    if (rc != 0)
        return rc;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            bh_audit_checkpoint *grown = realloc(list, ncap * sizeof *grown);
            if (grown == NULL) {
                rc = BATON_ENOMEM;
                break;
            }
            list = grown;
            cap = ncap;
        }
        bh_audit_checkpoint *c = &list[count];
        memset(c, 0, sizeof *c);
        count++;
        c->seq = sqlite3_column_int64(st, 0);
        bh_sql_copy_col(st, 1, c->hash, sizeof c->hash);
        bh_sql_copy_col(st, 2, c->ts, sizeof c->ts);
        c->statement = strdup(col_text(st, 3));
        c->minisig = strdup(col_text(st, 4));
        if (c->statement == NULL || c->minisig == NULL) {
            rc = BATON_ENOMEM;
            break;
        }
    }
    if (rc == BATON_ENOMEM)
        snprintf(err, errlen, "store: out of memory reading audit checkpoints");
    else if (step != SQLITE_DONE)
        rc = bh_sql_error(s, "audit checkpoints", err, errlen);
    sqlite3_finalize(st);
    if (rc != 0) {
        bh_audit_checkpoints_free(list, count);
        return rc;
    }
    *out = list;
    *n = count;
    return 0;
}

static int bh_store_checkpoint_last_locked(bh_store *s, int64_t *seq, char *err, size_t errlen)
{
    sqlite3_stmt *st;
    int rc = bh_sql_prepare(s, "SELECT COALESCE(MAX(seq), 0) FROM audit_checkpoints", &st, NULL, 0,
                            err, errlen);
    if (rc != 0)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        *seq = sqlite3_column_int64(st, 0);
    else
        rc = bh_sql_error(s, "audit checkpoints", err, errlen);
    sqlite3_finalize(st);
    return rc;
}

LOCKED(bh_store_audit_add,
       (bh_store * s, const char *actor, const char *action, const char *subject,
        const char *detail, int64_t *seq, char hash[65], char *err, size_t errlen),
       (s, actor, action, subject, detail, seq, hash, err, errlen))
LOCKED(bh_store_audit,
       (bh_store * s, const char *actor, const char *action, const char *subject,
        const char *detail, char *err, size_t errlen),
       (s, actor, action, subject, detail, err, errlen))
LOCKED(bh_store_audit_verify,
       (bh_store * s, uint64_t *rows, int64_t *last_seq, char last_hash[65], char *err,
        size_t errlen),
       (s, rows, last_seq, last_hash, err, errlen))
LOCKED(bh_store_audit_page,
       (bh_store * s, int64_t after, int limit, cJSON **out, char *err, size_t errlen),
       (s, after, limit, out, err, errlen))
LOCKED(bh_store_audit_hash_at, (bh_store * s, int64_t seq, char hash[65], char *err, size_t errlen),
       (s, seq, hash, err, errlen))
LOCKED(bh_store_audit_head, (bh_store * s, int64_t *seq, char hash[65], char *err, size_t errlen),
       (s, seq, hash, err, errlen))
LOCKED(bh_store_checkpoint_add,
       (bh_store * s, const bh_audit_checkpoint *c, char *err, size_t errlen), (s, c, err, errlen))
LOCKED(bh_store_checkpoint_all,
       (bh_store * s, bh_audit_checkpoint **out, size_t *n, char *err, size_t errlen),
       (s, out, n, err, errlen))
LOCKED(bh_store_checkpoint_last, (bh_store * s, int64_t *seq, char *err, size_t errlen),
       (s, seq, err, errlen))
