/*
 * inbox.c - the law firm's side of handoffs (handoff.h): accepting a
 * package from the inbox (verify, extract, import, signed receipt) or
 * declining it. The decision, the receipt for the agency and the ledger
 * entry are committed in one transaction of the firm's store, with their
 * outbox records, and delivered after (handoff_deliver.h).
 */
#include "handoff.h"

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "audit_log.h"
#include "baton/docindex.h"
#include "baton/error.h"
#include "baton/package.h"
#include "baton/receipt.h"
#include "baton/sha256.h"
#include "handoff_answer.h"
#include "handoff_deliver.h"

#define MAX_CASE_JSON (4 * 1024 * 1024)

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    return remove(path) != 0 ? -1 : 0;
}

/* Removes a bag this module extracted (no symlinks are followed). */
static void rm_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The inbox item, which must still be pending (404 / 409 otherwise). */
static int load_pending(bh_tenant_state *firm, const char *item_id, bh_inbox_item *it,
                        bh_handoff_error *e)
{
    char err[512];
    int rc = bh_store_inbox_get(firm->store, item_id, it, err, sizeof err);
    if (rc != 0)
        return bh_handoff_lookup_failed(e, rc, "unknown_inbox_item", err);
    if (strcmp(it->status, "pending") != 0)
        return bh_handoff_fail(e, 409, "already_decided", BATON_EEXIST,
                               "inbox item %s was already %s", item_id, it->status);
    return 0;
}

/* Signs a receipt by the firm into its stored form (free with cJSON_free). */
static int sign_receipt(bh_tenant_state *firm, const baton_receipt *r, char **blob,
                        bh_handoff_error *e)
{
    char err[512];
    char *json = NULL, *sig = NULL;
    size_t jl, sl;
    int rc = baton_receipt_sign(firm->keys->sign, r, &json, &jl, &sig, &sl, err, sizeof err);
    if (rc != 0)
        return bh_handoff_internal(e, "signing the receipt", err);
    *blob = bh_receipt_blob(json, sig);
    free(json);
    free(sig);
    if (*blob == NULL)
        return bh_handoff_no_memory(e);
    return 0;
}

/* What a decision commits besides the inbox row. */
typedef struct decision {
    const char *status;    /* "accepted" or "rejected" */
    const char *reason;    /* kept with the item ("" when accepted) */
    const char *case_json; /* accepted: the imported case */
    const char *blob;      /* the signed receipt, stored */
    const char *action;    /* the audit action */
    char *audit_detail;    /* owned JSON text */
    char *receipt_payload; /* owned: outbox "receipt" record, NULL for none */
    char *ledger_payload;  /* owned: outbox "ledger" record, NULL for none */
    char receipt_rec[40];  /* ids of the records written */
    char ledger_rec[40];
    int audit_failed; /* the commit failed at the audit record */
} decision;

static void decision_free(decision *d)
{
    cJSON_free(d->audit_detail);
    cJSON_free(d->receipt_payload);
    cJSON_free(d->ledger_payload);
}

/* The outbox record that carries the receipt to the sending tenant: every
 * inbox item came from a tenant on this host (handoff_deliver.c). */
static char *receipt_payload(const baton_receipt *r, const char *status, const char *blob)
{
    bh_jobj j;
    bh_jobj_init(&j);
    bh_jobj_str(&j, "status", status);
    bh_jobj_str(&j, "reason", r->reason);
    bh_jobj_str(&j, "receipt", blob);
    return bh_jobj_text(&j);
}

/* Commits the decision, its outbox records and its audit record at once. */
static int commit_decision(bh_tenant_state *firm, const bh_inbox_item *it, decision *d, char *err,
                           size_t errlen)
{
    int rc = bh_store_begin(firm->store, err, errlen);
    if (rc != 0)
        return rc;
    d->receipt_rec[0] = d->ledger_rec[0] = '\0';
    rc = bh_store_inbox_decide(firm->store, it->id, d->status, d->reason, d->case_json, d->blob,
                               err, errlen);
    if (rc == 0 && d->receipt_payload != NULL && it->handoff_id[0] != '\0')
        rc = bh_store_outbox_add(firm->store, "receipt", it->sender, it->handoff_id,
                                 d->receipt_payload, d->receipt_rec, err, errlen);
    if (rc == 0 && d->ledger_payload != NULL)
        rc = bh_store_outbox_add(firm->store, "ledger", firm->id, it->handoff_id, d->ledger_payload,
                                 d->ledger_rec, err, errlen);
    if (rc == 0)
        d->audit_failed =
            (rc = bh_audit_append(firm, d->action, it->id, d->audit_detail, err, errlen)) != 0;
    if (rc != 0) {
        bh_store_rollback(firm->store);
        return rc;
    }
    return bh_store_commit(firm->store, err, errlen);
}

/* Delivers what a committed decision wrote: the ledger entry (we hold
 * open_mu) and the receipt. A failure is logged and retried at start. */
static void deliver_decision(bh_tenant_state *firm, const decision *d, bh_tenant_state *sender)
{
    if (d->ledger_rec[0] != '\0')
        bh_outbox_deliver(firm, d->ledger_rec, NULL, NULL, NULL);
    if (d->receipt_rec[0] != '\0')
        bh_outbox_deliver(firm, d->receipt_rec, bh_resolve_one, sender, NULL);
}

/*
 * Commits the decision, and only then tells the sender, so the agency never
 * holds a receipt for a decision the firm did not keep. The error answer
 * when it did not commit.
 */
static int decide(bh_tenant_state *firm, const bh_inbox_item *it, decision *d,
                  bh_tenant_state *sender, bh_handoff_error *e)
{
    char why[512];
    int rc = commit_decision(firm, it, d, why, sizeof why);
    if (rc != 0)
        return rc == BATON_EEXIST && !d->audit_failed
                   ? bh_handoff_fail(e, 409, "already_decided", rc, "%s", why)
                   : bh_handoff_commit_failed(e, d->audit_failed, "recording the decision", why);
    deliver_decision(firm, d, sender);
    return 0;
}

/* Reads the imported case.json of an extracted bag (caller frees). */
/* A file of at most MAX_CASE_JSON bytes under an extracted case folder,
 * NUL-terminated (free with free()); NULL when absent, too large or
 * unreadable. */
static char *read_bag_file(const char *dir, const char *rel, size_t *len)
{
    char path[PATH_MAX];
    char *text = NULL;
    long n = -1;
    if (snprintf(path, sizeof path, "%s/%s", dir, rel) >= (int)sizeof path)
        return NULL;
    FILE *f = fopen(path, "rb");
    if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n <= MAX_CASE_JSON &&
        fseek(f, 0, SEEK_SET) == 0 && (text = calloc(1, (size_t)n + 1)) != NULL &&
        fread(text, 1, (size_t)n, f) != (size_t)n) {
        free(text);
        text = NULL;
    }
    if (f != NULL)
        fclose(f);
    if (text != NULL && len != NULL)
        *len = (size_t)n;
    return text;
}

static char *read_case(const char *dir)
{
    return read_bag_file(dir, "bag/data/case.json", NULL);
}

/* The ledger entry of an accepted package, as an outbox payload. */
static char *ledger_payload(const baton_pkg_open_result *res, int64_t now)
{
    char pk[65], tm[65];
    bh_jobj j;
    sodium_bin2hex(pk, sizeof pk, res->sender.pk, sizeof res->sender.pk);
    bh_hex32(res->tagmanifest_sha256, tm);
    bh_jobj_init(&j);
    bh_jobj_str(&j, "sender_pk", pk);
    bh_jobj_num(&j, "sequence", (double)res->meta.sequence);
    bh_jobj_str(&j, "case_id", res->meta.case_id);
    bh_jobj_str(&j, "tagmanifest_sha256", tm);
    bh_jobj_num(&j, "accepted_at", (double)now);
    return bh_jobj_text(&j);
}

/* The answer to an accept, built before the commit. */
static cJSON *accept_answer(const bh_inbox_item *it, const baton_pkg_open_result *res, int accepted,
                            const char *why, const char *case_text, const char *blob)
{
    bh_jobj j;
    bh_jobj_init(&j);
    bh_jobj_str(&j, "id", it->id);
    bh_jobj_str(&j, "status", accepted ? "accepted" : "rejected");
    bh_jobj_str(&j, "verdict", baton_pkg_verdict_name(res->verdict));
    if (!accepted)
        bh_jobj_str(&j, "reason", why);
    if (res->have_meta) {
        bh_jobj_str(&j, "case_id", res->meta.case_id);
        bh_jobj_str(&j, "sender", res->meta.sender);
        bh_jobj_num(&j, "sequence", (double)res->meta.sequence);
    }
    if (accepted) {
        cJSON *c = cJSON_Parse(case_text);
        bh_jobj_item(&j, "case", c != NULL ? c : cJSON_CreateNull());
        bh_jobj_num(&j, "payload_files", (double)res->payload_files);
        bh_jobj_num(&j, "payload_bytes", (double)res->payload_bytes);
    }
    cJSON *r = cJSON_Parse(blob);
    bh_jobj_item(&j, "receipt", r != NULL ? r : cJSON_CreateNull());
    return bh_jobj_done(&j);
}

/* Collects the documents of an accepted package with their given names
 * (baton_docindex_restore's report). */
struct given_names {
    cJSON *list;
    int oom;
};

static void add_given_name(void *ctx, const baton_docindex_entry *e, const char *restored_as,
                           int errnum)
{
    struct given_names *g = ctx;
    char hex[65];
    (void)errnum;
    cJSON *d = cJSON_CreateObject();
    baton_sha256_hex(e->sha256, hex);
    if (d == NULL || !cJSON_AddItemToArray(g->list, d) ||
        cJSON_AddStringToObject(d, "name", e->name) == NULL ||
        cJSON_AddStringToObject(d, "file", e->file) == NULL ||
        cJSON_AddStringToObject(d, "media_type", e->media_type) == NULL ||
        cJSON_AddNumberToObject(d, "size", (double)e->size) == NULL ||
        cJSON_AddStringToObject(d, "sha256", hex) == NULL ||
        (restored_as != NULL ? cJSON_AddStringToObject(d, "restored_as", restored_as)
                             : cJSON_AddNullToObject(d, "restored_as")) == NULL)
        g->oom = 1;
}

/* Gives the documents of an accepted bag their given names under
 * cases/<id>/documents/ where the name rule allows (baton/docindex.h) and
 * lists them for the answer; *list stays NULL when the bag has no index
 * (the layout before it, or no documents). */
static int restore_documents(const char *dir, cJSON **list, bh_handoff_error *e)
{
    char err[512];
    size_t total = 0;
    struct given_names g = {cJSON_CreateArray(), 0};
    *list = NULL;
    if (g.list == NULL)
        return bh_handoff_no_memory(e);
    if (baton_docindex_restore(dir, add_given_name, &g, NULL, &total, err, sizeof err) < 0) {
        cJSON_Delete(g.list);
        return bh_handoff_internal(e, "import", err);
    }
    if (g.oom) {
        cJSON_Delete(g.list);
        return bh_handoff_no_memory(e);
    }
    if (total == 0)
        cJSON_Delete(g.list);
    else
        *list = g.list;
    return 0;
}

int bh_inbox_accept(bh_tenant_state *firm, const char *item_id,
                    const baton_minisign_pubkey *trusted, size_t n_trusted, bh_tenant_state *sender,
                    cJSON **answer, bh_handoff_error *e)
{
    char err[512];
    bh_inbox_item it;
    char dir[PATH_MAX];
    char *blob = NULL, *case_text = NULL;
    cJSON *out = NULL, *documents = NULL;
    decision d;
    struct stat sb;
    int rc, accepted = 0;

    *answer = NULL;
    memset(&d, 0, sizeof d);
    e->http_status = 200;
    /* One accept at a time per firm: the status check, the ledger's check
     * and the decision must not interleave. */
    pthread_mutex_lock(&firm->open_mu);
    if ((rc = load_pending(firm, item_id, &it, e)) != 0)
        goto unlock;

    if (bh_tenant_state_path(firm, "cases", it.id, dir, sizeof dir) != 0) {
        rc = bh_handoff_internal(e, "case folder", "the data directory path is too long");
        goto unlock;
    }
    /* The item is still pending, so a bag here is what an accept that was
     * interrupted before its commit extracted: nothing was decided. */
    if (lstat(dir, &sb) == 0)
        rm_tree(dir);

    baton_pkg_open_params p;
    memset(&p, 0, sizeof p);
    baton_age_identity *ids[1] = {firm->keys->age};
    p.identities = ids;
    p.n_identities = 1;
    p.trusted = trusted;
    p.n_trusted = n_trusted;
    p.recipient = firm->id;
    /* The ledger is checked here and written by the decision's outbox
     * record, after the commit: the decision in the store is the truth,
     * and the ledger entry follows it even across a crash. */
    p.ledger = firm->ledger;
    p.record = 0;
    p.now = (int64_t)time(NULL);
    p.extract_dir = dir;
    p.hash_package = 1; /* the receipt names the package by its SHA-256 */
    baton_pkg_open_result res;
    memset(&res, 0, sizeof res);
    int open_rc = baton_pkg_open_file(&p, it.package_path, NULL, NULL, &res, err, sizeof err);
    if (open_rc != 0 && res.verdict == BATON_PKG_ERROR) {
        rc = bh_handoff_internal(e, "opening the package", err);
        goto unlock;
    }

    accepted = open_rc == 0 && res.verdict == BATON_PKG_OK;
    if (accepted && (case_text = read_case(dir)) == NULL) {
        rc = bh_handoff_internal(e, "import", "cannot read the extracted case.json");
        goto out;
    }
    if (accepted && (rc = restore_documents(dir, &documents, e)) != 0)
        goto out;

    baton_receipt receipt;
    baton_receipt_from_result(&res, p.now, &receipt);
    if ((rc = sign_receipt(firm, &receipt, &blob, e)) != 0)
        goto out;
    d.status = accepted ? "accepted" : "rejected";
    d.reason = accepted ? "" : baton_pkg_verdict_name(res.verdict);
    d.case_json = case_text;
    d.blob = blob;
    d.action = accepted ? "handoff.accepted" : "handoff.rejected";
    bh_jobj a;
    bh_jobj_init(&a);
    bh_jobj_str(&a, "verdict", baton_pkg_verdict_name(res.verdict));
    bh_jobj_str(&a, "sender", it.sender);
    d.audit_detail = bh_jobj_text(&a);
    d.receipt_payload = receipt_payload(&receipt, d.status, blob);
    if (accepted)
        d.ledger_payload = ledger_payload(&res, p.now);
    out = accept_answer(&it, &res, accepted, err, case_text, blob);
    if (out != NULL && documents != NULL) {
        if (cJSON_AddItemToObject(out, "documents", documents)) {
            documents = NULL;
        } else {
            cJSON_Delete(out);
            out = NULL;
        }
    }
    if (d.audit_detail == NULL || d.receipt_payload == NULL ||
        (accepted && d.ledger_payload == NULL) || out == NULL) {
        rc = bh_handoff_no_memory(e);
        goto out;
    }
    if ((rc = decide(firm, &it, &d, sender, e)) != 0)
        goto out;
    *answer = out;
    out = NULL;
    rc = 0;
    e->http_status = 200;
    if (!accepted)
        bh_handoff_fail(e, 422, "package_rejected", 0, "%s: %s",
                        baton_pkg_verdict_name(res.verdict), err);
out:
    if (rc != 0 && accepted)
        rm_tree(dir);
    cJSON_Delete(out);
    cJSON_Delete(documents);
    cJSON_free(blob);
    free(case_text);
    decision_free(&d);
unlock:
    pthread_mutex_unlock(&firm->open_mu);
    return rc;
}

int bh_inbox_reject(bh_tenant_state *firm, const char *item_id, const char *reason,
                    bh_tenant_state *sender, cJSON **answer, bh_handoff_error *e)
{
    char err[512];
    bh_inbox_item it;
    char *blob = NULL;
    decision d;
    cJSON *out = NULL;
    int rc;

    *answer = NULL;
    memset(&d, 0, sizeof d);
    pthread_mutex_lock(&firm->open_mu);
    if ((rc = load_pending(firm, item_id, &it, e)) != 0)
        goto out;

    baton_receipt receipt;
    memset(&receipt, 0, sizeof receipt);
    uint8_t digest[32];
    if (baton_sha256_file(it.package_path, digest, err, sizeof err) != 0) {
        rc = bh_handoff_internal(e, "hashing the package", err);
        goto out;
    }
    memcpy(receipt.package_sha256, digest, sizeof digest);
    snprintf(receipt.sender, sizeof receipt.sender, "%s", it.sender);
    snprintf(receipt.recipient, sizeof receipt.recipient, "%s", firm->id);
    receipt.received = (int64_t)time(NULL);
    snprintf(receipt.reason, sizeof receipt.reason, "declined");
    if ((rc = sign_receipt(firm, &receipt, &blob, e)) != 0)
        goto out;
    d.status = "rejected";
    d.reason = reason;
    d.blob = blob;
    d.action = "handoff.declined";
    bh_jobj a, o;
    bh_jobj_init(&a);
    bh_jobj_str(&a, "reason", reason);
    d.audit_detail = bh_jobj_text(&a);
    d.receipt_payload = receipt_payload(&receipt, d.status, blob);
    bh_jobj_init(&o);
    bh_jobj_str(&o, "id", it.id);
    bh_jobj_str(&o, "status", "rejected");
    bh_jobj_str(&o, "reason", reason);
    cJSON *r = cJSON_Parse(blob);
    bh_jobj_item(&o, "receipt", r != NULL ? r : cJSON_CreateNull());
    out = bh_jobj_done(&o);
    if (d.audit_detail == NULL || d.receipt_payload == NULL || out == NULL) {
        rc = bh_handoff_no_memory(e);
        goto out;
    }
    if ((rc = decide(firm, &it, &d, sender, e)) != 0)
        goto out;
    *answer = out;
    out = NULL;
out:
    pthread_mutex_unlock(&firm->open_mu);
    cJSON_Delete(out);
    cJSON_free(blob);
    decision_free(&d);
    return rc;
}

/* ---- describe ------------------------------------------------------------------ */

/* Whether document e of the bag in dir is at dir/documents/<given name>:
 * the hard link restoring made, or its copy. */
static int is_restored(const char *dir, const baton_docindex_entry *e)
{
    char bag_path[PATH_MAX], given_path[PATH_MAX];
    struct stat b, g;
    if (snprintf(bag_path, sizeof bag_path, "%s/bag/%s", dir, e->file) >= (int)sizeof bag_path ||
        snprintf(given_path, sizeof given_path, "%s/documents/%s", dir, e->name) >=
            (int)sizeof given_path)
        return 0;
    if (stat(bag_path, &b) != 0 || lstat(given_path, &g) != 0 || !S_ISREG(g.st_mode))
        return 0;
    return (b.st_dev == g.st_dev && b.st_ino == g.st_ino) || (uint64_t)g.st_size == e->size;
}

/* The documents of an accepted bag with their given names, from the signed
 * index the accept checked; NULL *list when the bag has none. */
static int describe_documents(const char *dir, cJSON **list, bh_handoff_error *e)
{
    char err[512];
    size_t len = 0;
    baton_docindex ix;
    *list = NULL;
    char *text = read_bag_file(dir, "bag/" BATON_DOCINDEX_FILE, &len);
    if (text == NULL)
        return 0; /* the layout before the index, or no documents */
    int rc = baton_docindex_parse(text, len, &ix, err, sizeof err);
    free(text);
    if (rc != 0)
        return bh_handoff_internal(e, "the stored document index", err);
    struct given_names g = {cJSON_CreateArray(), 0};
    for (size_t i = 0; g.list != NULL && i < ix.n; i++) {
        char restored[PATH_MAX];
        int ok = is_restored(dir, &ix.entries[i]) &&
                 snprintf(restored, sizeof restored, "documents/%s", ix.entries[i].name) <
                     (int)sizeof restored;
        add_given_name(&g, &ix.entries[i], ok ? restored : NULL, 0);
    }
    baton_docindex_free(&ix);
    if (g.list == NULL || g.oom) {
        cJSON_Delete(g.list);
        return bh_handoff_no_memory(e);
    }
    *list = g.list;
    return 0;
}

int bh_inbox_describe(bh_tenant_state *firm, const char *item_id, cJSON **answer,
                      bh_handoff_error *e)
{
    char err[512], dir[PATH_MAX];
    bh_inbox_item it;
    char *case_text = NULL;
    cJSON *documents = NULL;
    bh_jobj j;
    *answer = NULL;
    int rc = bh_store_inbox_get(firm->store, item_id, &it, err, sizeof err);
    if (rc != 0)
        return bh_handoff_lookup_failed(e, rc, "unknown_inbox_item", err);
    if (strcmp(it.status, "accepted") == 0) {
        rc = bh_store_inbox_case(firm->store, it.id, &case_text, err, sizeof err);
        if (rc != 0)
            return bh_handoff_internal(e, "the store", err);
        if (bh_tenant_state_path(firm, "cases", it.id, dir, sizeof dir) != 0) {
            free(case_text);
            return bh_handoff_internal(e, "case folder", "the data directory path is too long");
        }
        if ((rc = describe_documents(dir, &documents, e)) != 0) {
            free(case_text);
            return rc;
        }
    }
    bh_jobj_init(&j);
    bh_jobj_str(&j, "id", it.id);
    bh_jobj_str(&j, "sender", it.sender);
    bh_jobj_str(&j, "handoff_id", it.handoff_id);
    bh_jobj_str(&j, "status", it.status);
    bh_jobj_str(&j, "reason", it.reason);
    bh_jobj_str(&j, "received", it.received);
    bh_jobj_str(&j, "decided", it.decided);
    if (case_text != NULL) {
        cJSON *c = cJSON_Parse(case_text);
        bh_jobj_item(&j, "case", c != NULL ? c : cJSON_CreateNull());
    }
    if (documents != NULL)
        bh_jobj_item(&j, "documents", documents);
    free(case_text);
    if ((*answer = bh_jobj_done(&j)) == NULL)
        return bh_handoff_no_memory(e);
    return 0;
}
