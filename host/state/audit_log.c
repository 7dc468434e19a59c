/* audit_log.c - appending, checkpointing and verifying a tenant's audit log
 * (audit_log.h). */
#include "audit_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"

int bh_audit_statement(const char *tenant, int64_t seq, const char *hash, const char *ts, char *buf,
                       size_t len)
{
    int n =
        snprintf(buf, len, "baton-audit-checkpoint/1\ntenant: %s\nseq: %lld\nhash: %s\ntime: %s\n",
                 tenant, (long long)seq, hash, ts);
    return (n < 0 || (size_t)n >= len) ? BATON_ELIMIT : 0;
}

/* The trusted comment of a checkpoint's signature: the statement on one line. */
static int trusted_comment(const char *tenant, int64_t seq, const char *hash, const char *ts,
                           char *buf, size_t len)
{
    int n = snprintf(buf, len, "baton-audit-checkpoint tenant=%s seq=%lld hash=%s time=%s", tenant,
                     (long long)seq, hash, ts);
    return (n < 0 || (size_t)n >= len) ? BATON_ELIMIT : 0;
}

static int sign_checkpoint(bh_tenant_state *st, int64_t seq, const char *hash, char *err,
                           size_t errlen)
{
    bh_audit_checkpoint c;
    char statement[512], tc[512];
    size_t siglen;
    memset(&c, 0, sizeof c);
    c.seq = seq;
    snprintf(c.hash, sizeof c.hash, "%s", hash);
    bh_store_now(c.ts, sizeof c.ts);
    if (bh_audit_statement(st->id, seq, hash, c.ts, statement, sizeof statement) != 0 ||
        trusted_comment(st->id, seq, hash, c.ts, tc, sizeof tc) != 0) {
        snprintf(err, errlen, "audit checkpoint: the tenant id is too long");
        return BATON_ELIMIT;
    }
    int rc =
        baton_minisign_sign_buffer(st->keys->sign, statement, strlen(statement),
                                   "baton audit checkpoint", tc, &c.minisig, &siglen, err, errlen);
    if (rc != 0)
        return rc;
    c.statement = statement;
    rc = bh_store_checkpoint_add(st->store, &c, err, errlen);
    baton_minisign_text_free(c.minisig);
    return rc == BATON_EEXIST ? 0 : rc;
}

int bh_audit_append(bh_tenant_state *st, const char *action, const char *subject,
                    const char *detail, char *err, size_t errlen)
{
    int64_t seq;
    char hash[65];
    int rc =
        bh_store_audit_add(st->store, st->id, action, subject, detail, &seq, hash, err, errlen);
    if (rc == 0 && seq % BH_AUDIT_CHECKPOINT_EVERY == 0)
        rc = sign_checkpoint(st, seq, hash, err, errlen);
    return rc;
}

int bh_audit_checkpoint_now(bh_tenant_state *st, char *err, size_t errlen)
{
    int64_t seq, last;
    char hash[65];
    int rc = bh_store_audit_head(st->store, &seq, hash, err, errlen);
    if (rc == 0)
        rc = bh_store_checkpoint_last(st->store, &last, err, errlen);
    if (rc != 0 || seq == 0 || seq <= last)
        return rc;
    return sign_checkpoint(st, seq, hash, err, errlen);
}

static int check_one(bh_store *s, const char *tenant, const baton_minisign_pubkey *pub,
                     const bh_audit_checkpoint *c, int64_t last_seq, char *err, size_t errlen)
{
    char statement[512], tc[512], got[BATON_MINISIGN_TRUSTED_MAX + 1], hash[65], why[256];
    if (bh_audit_statement(tenant, c->seq, c->hash, c->ts, statement, sizeof statement) != 0 ||
        trusted_comment(tenant, c->seq, c->hash, c->ts, tc, sizeof tc) != 0 ||
        strcmp(statement, c->statement) != 0) {
        snprintf(err, errlen, "audit checkpoint at row %lld: its statement does not match its row",
                 (long long)c->seq);
        return BATON_ECRYPTO;
    }
    if (baton_minisign_verify_buffer(pub, c->statement, strlen(c->statement), c->minisig,
                                     strlen(c->minisig), got, sizeof got, why, sizeof why) != 0) {
        snprintf(err, errlen, "audit checkpoint at row %lld: bad signature: %s", (long long)c->seq,
                 why);
        return BATON_ECRYPTO;
    }
    if (strcmp(got, tc) != 0) {
        snprintf(err, errlen,
                 "audit checkpoint at row %lld: the signed comment names another checkpoint",
                 (long long)c->seq);
        return BATON_ECRYPTO;
    }
    if (c->seq > last_seq) {
        snprintf(err, errlen,
                 "audit log ends at row %lld, but the checkpoint signed %s covers row %lld: rows "
                 "%lld..%lld were cut off",
                 (long long)last_seq, c->ts, (long long)c->seq, (long long)last_seq + 1,
                 (long long)c->seq);
        return BATON_ECRYPTO;
    }
    int rc = bh_store_audit_hash_at(s, c->seq, hash, why, sizeof why);
    if (rc != 0) {
        snprintf(err, errlen, "audit checkpoint at row %lld: %s", (long long)c->seq, why);
        return rc;
    }
    if (strcmp(hash, c->hash) != 0) {
        snprintf(err, errlen,
                 "audit row %lld has hash %.16s..., but the checkpoint signed %s says %.16s...",
                 (long long)c->seq, hash, c->ts, c->hash);
        return BATON_ECRYPTO;
    }
    return 0;
}

int bh_audit_verify(bh_store *s, const char *tenant, const baton_minisign_pubkey *pub,
                    bh_audit_report *rep, char *err, size_t errlen)
{
    bh_audit_checkpoint *cps = NULL;
    size_t n = 0;
    memset(rep, 0, sizeof *rep);
    int rc = bh_store_audit_verify(s, &rep->rows, &rep->last_seq, NULL, err, errlen);
    if (rc != 0)
        return rc;
    if ((rc = bh_store_checkpoint_all(s, &cps, &n, err, errlen)) != 0)
        return rc;
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = check_one(s, tenant, pub, &cps[i], rep->last_seq, err, errlen);
        if (rc == 0) {
            rep->checkpoints++;
            rep->last_checkpoint = cps[i].seq;
        }
    }
    bh_audit_checkpoints_free(cps, n);
    return rc;
}
