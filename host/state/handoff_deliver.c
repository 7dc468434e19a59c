/* handoff_deliver.c - delivering outbox records to other stores, again after
 * a crash (handoff_deliver.h). */
#include "handoff_deliver.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "audit_log.h"
#include "baton/error.h"
#include "case_events.h"
#include "log.h"

bh_tenant_state *bh_resolve_one(void *ctx, const char *tenant_id)
{
    bh_tenant_state *st = ctx;
    return st != NULL && strcmp(st->id, tenant_id) == 0 ? st : NULL;
}

void bh_inbox_id_for(const char *sender, const char *handoff_id, char out[40])
{
    crypto_hash_sha256_state h;
    unsigned char d[32];
    char hex[65];
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)sender, strlen(sender));
    crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
    crypto_hash_sha256_update(&h, (const unsigned char *)handoff_id, strlen(handoff_id));
    crypto_hash_sha256_final(&h, d);
    sodium_bin2hex(hex, sizeof hex, d, sizeof d);
    snprintf(out, 40, "in_%.32s", hex);
}

/* Copies src to a new file dst (across file systems, where link fails). */
static int copy_file(const char *src, const char *dst, char *err, size_t errlen)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    int out = in < 0 ? -1 : open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int rc = (in < 0 || out < 0) ? BATON_EIO : 0;
    char buf[65536];
    ssize_t n;
    while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 || write(out, buf, (size_t)n) != n)
            rc = BATON_EIO;
    }
    if (rc == 0 && fsync(out) != 0)
        rc = BATON_EIO;
    if (rc != 0) {
        snprintf(err, errlen, "cannot copy to %s: %s", dst, strerror(errno));
        if (out >= 0)
            unlink(dst);
    }
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    return rc;
}

/*
 * Puts src at dst: hard-linked (or copied) under a temporary name next to
 * it, then renamed, so dst is either absent or complete, and a delivery
 * interrupted half-way is simply done again.
 */
static int place_file(const char *src, const char *dst, char *err, size_t errlen)
{
    char tmp[PATH_MAX];
    const char *slash = strrchr(dst, '/');
    int n = slash != NULL
                ? snprintf(tmp, sizeof tmp, "%.*s/.%s.delivery", (int)(slash - dst), dst, slash + 1)
                : snprintf(tmp, sizeof tmp, ".%s.delivery", dst);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        snprintf(err, errlen, "the path %s is too long", dst);
        return BATON_ELIMIT;
    }
    unlink(tmp); /* left by an interrupted delivery */
    if (link(src, tmp) != 0) {
        if (errno != EXDEV && errno != EPERM) {
            snprintf(err, errlen, "cannot link %s: %s", tmp, strerror(errno));
            return BATON_EIO;
        }
        int rc = copy_file(src, tmp, err, errlen);
        if (rc != 0)
            return rc;
    }
    if (rename(tmp, dst) != 0) {
        snprintf(err, errlen, "cannot move %s into place: %s", dst, strerror(errno));
        unlink(tmp);
        return BATON_EIO;
    }
    return 0;
}

static const char *str_of(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int num_of(const cJSON *o, const char *name, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v))
        return -1;
    *out = v->valuedouble;
    return 0;
}

/* Writes the inbox row (and its audit record) in the firm's transaction;
 * *added is 0 when the item was there already. */
static int record_in_inbox(bh_tenant_state *firm, const bh_inbox_item *it, const char *detail,
                           int *added, char *err, size_t errlen)
{
    int rc = bh_store_begin(firm->store, err, errlen);
    if (rc != 0)
        return rc;
    *added = 0;
    rc = bh_store_inbox_add(firm->store, it, err, errlen);
    if (rc == 0) {
        *added = 1;
        rc = bh_audit_append(firm, "handoff.received", it->id, detail, err, errlen);
    } else if (rc == BATON_EEXIST) {
        rc = 0;
    }
    if (rc != 0) {
        bh_store_rollback(firm->store);
        return rc;
    }
    return bh_store_commit(firm->store, err, errlen);
}

/* "package": the agency's committed handoff into the firm's inbox. */
static int deliver_package(bh_tenant_state *agency, const bh_outbox_record *r,
                           bh_tenant_state *firm, const cJSON *p, char *err, size_t errlen)
{
    bh_inbox_item it, have;
    char name[64], why[256];
    double seq;
    const char *pkg = str_of(p, "package_path"), *case_id = str_of(p, "case_id");
    if (pkg == NULL || case_id == NULL || num_of(p, "sequence", &seq) != 0) {
        snprintf(err, errlen, "outbox record %s: malformed package record", r->id);
        return BATON_EINVAL;
    }
    memset(&it, 0, sizeof it);
    bh_inbox_id_for(agency->id, r->handoff_id, it.id);
    if (bh_store_inbox_get(firm->store, it.id, &have, why, sizeof why) == 0)
        return 0; /* delivered before a crash that kept the record */
    snprintf(it.sender, sizeof it.sender, "%s", agency->id);
    snprintf(it.handoff_id, sizeof it.handoff_id, "%s", r->handoff_id);
    snprintf(name, sizeof name, "%s.baton", it.id);
    if (bh_tenant_state_path(firm, "inbox", name, it.package_path, sizeof it.package_path) != 0) {
        snprintf(err, errlen, "the data directory path is too long");
        return BATON_ELIMIT;
    }
    snprintf(it.status, sizeof it.status, "pending");
    bh_store_now(it.received, sizeof it.received);
    int rc = place_file(pkg, it.package_path, err, errlen);
    if (rc != 0)
        return rc;
    if (bh_tenant_state_sync_dir(firm, "inbox") != 0) {
        snprintf(err, errlen, "cannot flush the inbox folder of %s", firm->id);
        return BATON_EIO;
    }
    char detail[400];
    snprintf(detail, sizeof detail, "{\"sender\":\"%s\",\"case_id\":\"%s\",\"sequence\":%.0f}",
             agency->id, case_id, seq);
    int added;
    return record_in_inbox(firm, &it, detail, &added, err, errlen);
}

/* "receipt": the firm's committed decision onto the agency's handoff. */
static int deliver_receipt(bh_tenant_state *firm, const bh_outbox_record *r,
                           bh_tenant_state *agency, const cJSON *p, char *err, size_t errlen)
{
    const char *status = str_of(p, "status"), *blob = str_of(p, "receipt");
    const char *reason = str_of(p, "reason");
    if (status == NULL || blob == NULL || reason == NULL) {
        snprintf(err, errlen, "outbox record %s: malformed receipt record", r->id);
        return BATON_EINVAL;
    }
    cJSON *d = cJSON_CreateObject();
    char *detail = NULL;
    if (d == NULL || cJSON_AddStringToObject(d, "recipient", firm->id) == NULL ||
        cJSON_AddStringToObject(d, "verdict", status) == NULL ||
        cJSON_AddStringToObject(d, "reason", reason) == NULL ||
        (detail = cJSON_PrintUnformatted(d)) == NULL) {
        cJSON_Delete(d);
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    cJSON_Delete(d);
    int rc = bh_store_begin(agency->store, err, errlen);
    if (rc == 0) {
        rc = bh_store_handoff_set_receipt(agency->store, r->handoff_id, status, blob, err, errlen);
        if (rc == 0)
            rc = bh_audit_append(agency, "receipt.received", r->handoff_id, detail, err, errlen);
        else if (rc == BATON_EEXIST)
            rc = 0; /* stored before a crash that kept the record */
        if (rc == 0)
            rc = bh_store_commit(agency->store, err, errlen);
        else
            bh_store_rollback(agency->store);
    }
    cJSON_free(detail);
    return rc;
}

/* "ledger": an accepted sequence into the firm's own replay ledger. The
 * caller holds st->open_mu, or runs before serving. */
static int deliver_ledger(bh_tenant_state *st, const bh_outbox_record *r, const cJSON *p, char *err,
                          size_t errlen)
{
    uint8_t pk[32], tm[32];
    double seq, at;
    const char *pk_hex = str_of(p, "sender_pk"), *tm_hex = str_of(p, "tagmanifest_sha256");
    const char *case_id = str_of(p, "case_id");
    if (pk_hex == NULL || tm_hex == NULL || case_id == NULL || num_of(p, "sequence", &seq) != 0 ||
        num_of(p, "accepted_at", &at) != 0 ||
        sodium_hex2bin(pk, sizeof pk, pk_hex, strlen(pk_hex), NULL, NULL, NULL) != 0 ||
        sodium_hex2bin(tm, sizeof tm, tm_hex, strlen(tm_hex), NULL, NULL, NULL) != 0) {
        snprintf(err, errlen, "outbox record %s: malformed ledger record", r->id);
        return BATON_EINVAL;
    }
    int rc = baton_ledger_begin(st->ledger, err, errlen);
    if (rc != 0)
        return rc;
    rc = baton_ledger_seen(st->ledger, pk, (uint64_t)seq, err, errlen);
    if (rc == 0)
        rc = baton_ledger_record(st->ledger, pk, (uint64_t)seq, case_id, tm, (int64_t)at, err,
                                 errlen);
    else if (rc == 1)
        rc = 0; /* recorded before a crash that kept the record */
    if (rc == 0)
        return baton_ledger_commit(st->ledger, err, errlen);
    baton_ledger_rollback(st->ledger);
    return rc;
}

static int deliver_one(bh_tenant_state *st, const bh_outbox_record *r, bh_tenant_resolver resolve,
                       void *ctx, char *err, size_t errlen)
{
    int rc;
    cJSON *p = cJSON_Parse(r->payload);
    if (!cJSON_IsObject(p)) {
        cJSON_Delete(p);
        snprintf(err, errlen, "outbox record %s: its payload is not a JSON object", r->id);
        return BATON_EINVAL;
    }
    if (strcmp(r->kind, "ledger") == 0) {
        rc = deliver_ledger(st, r, p, err, errlen);
    } else {
        bh_tenant_state *target = resolve != NULL ? resolve(ctx, r->target) : NULL;
        if (target == NULL) {
            snprintf(err, errlen, "tenant %s is not on this host now", r->target);
            rc = BATON_ENOENT;
        } else if (strcmp(r->kind, "package") == 0) {
            rc = deliver_package(st, r, target, p, err, errlen);
        } else if (strcmp(r->kind, "receipt") == 0) {
            rc = deliver_receipt(st, r, target, p, err, errlen);
        } else if (strcmp(r->kind, "event") == 0) {
            const char *line = str_of(p, "line"), *sig = str_of(p, "minisig");
            if (line == NULL || sig == NULL) {
                snprintf(err, errlen, "outbox record %s: malformed event record", r->id);
                rc = BATON_EINVAL;
            } else {
                rc = bh_event_deliver(st, target, r->handoff_id, line, sig, err, errlen);
            }
        } else {
            snprintf(err, errlen, "outbox record %s: unknown kind %s", r->id, r->kind);
            rc = BATON_EINVAL;
        }
    }
    cJSON_Delete(p);
    if (rc == 0)
        rc = bh_store_outbox_done(st->store, r->id, err, errlen);
    return rc;
}

/* Records handled per call; what is left waits for the next call. */
#define OUTBOX_BATCH 10000

static int deliver_records(bh_tenant_state *st, const char *id, const char *kind,
                           const char *handoff_id, bh_tenant_resolver resolve, void *ctx,
                           size_t *left)
{
    bh_outbox_record *recs = NULL;
    size_t n = 0, pending = 0;
    char err[512];
    int first = 0;
    int rc = kind != NULL
                 ? bh_store_outbox_pending_for(st->store, kind, handoff_id, OUTBOX_BATCH, &recs, &n,
                                               err, sizeof err)
                 : bh_store_outbox_pending(st->store, id, OUTBOX_BATCH, &recs, &n, err, sizeof err);
    if (rc != 0) {
        bh_log(BH_LOG_ERROR, "cannot read the outbox", "tenant", st->id, "detail", err, NULL);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        rc = deliver_one(st, &recs[i], resolve, ctx, err, sizeof err);
        if (rc != 0) {
            pending++;
            if (first == 0)
                first = rc;
            bh_log(BH_LOG_ERROR, "delivery failed; it is retried at the next start", "tenant",
                   st->id, "record", recs[i].id, "kind", recs[i].kind, "to", recs[i].target,
                   "handoff", recs[i].handoff_id, "detail", err, NULL);
        }
    }
    bh_outbox_records_free(recs, n);
    if (left != NULL)
        *left = pending;
    return first;
}

int bh_outbox_deliver(bh_tenant_state *st, const char *id, bh_tenant_resolver resolve, void *ctx,
                      size_t *left)
{
    return deliver_records(st, id, NULL, NULL, resolve, ctx, left);
}

int bh_outbox_deliver_for(bh_tenant_state *st, const char *kind, const char *handoff_id,
                          bh_tenant_resolver resolve, void *ctx, size_t *left)
{
    return deliver_records(st, NULL, kind, handoff_id, resolve, ctx, left);
}

/* Removes packages in the outbox folder that no committed handoff names. */
static void remove_orphan_packages(bh_tenant_state *st)
{
    char dir[PATH_MAX], path[PATH_MAX], id[64], why[256];
    bh_handoff h;
    if (bh_tenant_state_path(st, "outbox", NULL, dir, sizeof dir) != 0)
        return;
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, "ho_", 3) != 0 || n < 7 || n - 6 >= sizeof id ||
            strcmp(e->d_name + n - 6, ".baton") != 0)
            continue;
        memcpy(id, e->d_name, n - 6);
        id[n - 6] = '\0';
        if (bh_store_handoff_get(st->store, id, &h, why, sizeof why) != BATON_ENOENT)
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < (int)sizeof path &&
            unlink(path) == 0)
            bh_log(BH_LOG_INFO, "removed a package no handoff was committed for", "tenant", st->id,
                   "handoff", id, NULL);
    }
    closedir(d);
}

int bh_outbox_recover(bh_tenant_state *st, bh_tenant_resolver resolve, void *ctx, size_t *left)
{
    remove_orphan_packages(st);
    return bh_outbox_deliver(st, NULL, resolve, ctx, left);
}
