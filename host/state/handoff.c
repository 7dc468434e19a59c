/*
 * handoff.c - the agency's side of handoffs (handoff.h): packing a case for
 * a counterpart and committing it with its outbox record and audit record,
 * receipts posted by external firms, describing a handoff. The law firm's
 * side is inbox.c; the delivery between them handoff_deliver.c.
 */
#include "handoff.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit_log.h"
#include "baton/error.h"
#include "baton/package.h"
#include "baton/receipt.h"
#include "baton/sha256.h"
#include "handoff_answer.h"
#include "handoff_deliver.h"

#define MAX_DOCUMENTS 1000
#define MAX_CASE_JSON (4 * 1024 * 1024)

/* The 201 answer of a new handoff, or NULL without memory. */
static cJSON *created_answer(const bh_handoff *h, const baton_pkg_pack_result *res, size_t n_docs,
                             int64_t expires)
{
    bh_jobj j;
    char t[21];
    baton_pkg_time_format(expires, t);
    bh_jobj_init(&j);
    bh_jobj_str(&j, "id", h->id);
    bh_jobj_str(&j, "case_id", h->case_id);
    bh_jobj_str(&j, "recipient", h->recipient);
    bh_jobj_num(&j, "sequence", (double)h->sequence);
    bh_jobj_str(&j, "status", h->status);
    bh_jobj_str(&j, "tagmanifest_sha256", h->tagmanifest_sha256);
    bh_jobj_str(&j, "package_sha256", h->package_sha256);
    bh_jobj_num(&j, "package_bytes", (double)res->package_bytes);
    bh_jobj_num(&j, "documents", (double)n_docs);
    bh_jobj_str(&j, "expires", t);
    bh_jobj_str(&j, "created", h->created);
    return bh_jobj_done(&j);
}

/*
 * Commits the handoff row with its placement and the case it placed, the
 * outbox record that carries the package to a tenant on this host (rec_id;
 * "" for an external firm) and the audit record, in one transaction of the
 * sender's store.
 */
static int commit_handoff(bh_tenant_state *sender, const bh_handoff *h,
                          const bh_placement_record *placement, const char *case_json,
                          size_t case_len, int local, char rec_id[40], int *audit_failed, char *err,
                          size_t errlen)
{
    bh_jobj d, p;
    int rc = BATON_ENOMEM;
    char *detail = NULL, *payload = NULL;
    bh_jobj_init(&d);
    bh_jobj_str(&d, "recipient", h->recipient);
    bh_jobj_str(&d, "case_id", h->case_id);
    bh_jobj_num(&d, "sequence", (double)h->sequence);
    bh_jobj_str(&d, "tagmanifest_sha256", h->tagmanifest_sha256);
    bh_jobj_init(&p);
    bh_jobj_str(&p, "package_path", h->package_path);
    bh_jobj_str(&p, "case_id", h->case_id);
    bh_jobj_num(&p, "sequence", (double)h->sequence);
    if ((detail = bh_jobj_text(&d)) == NULL || (payload = bh_jobj_text(&p)) == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    rec_id[0] = '\0';
    if ((rc = bh_store_begin(sender->store, err, errlen)) != 0)
        goto out;
    rc = bh_store_handoff_add(sender->store, h, err, errlen);
    if (rc == 0 && placement != NULL) {
        bh_placement_record pl = *placement;
        snprintf(pl.handoff_id, sizeof pl.handoff_id, "%s", h->id);
        rc = bh_store_placement_add(sender->store, &pl, err, errlen);
    }
    if (rc == 0)
        rc = bh_store_handoff_case_put(sender->store, h->id, case_json, case_len, err, errlen);
    if (rc == 0 && local)
        rc = bh_store_outbox_add(sender->store, "package", h->recipient, h->id, payload, rec_id,
                                 err, errlen);
    if (rc == 0)
        *audit_failed =
            (rc = bh_audit_append(sender, "handoff.sent", h->id, detail, err, errlen)) != 0;
    if (rc == 0)
        rc = bh_store_commit(sender->store, err, errlen);
    else
        bh_store_rollback(sender->store);
out:
    cJSON_free(detail);
    cJSON_free(payload);
    return rc;
}

/* ---- create ---------------------------------------------------------------- */

int bh_handoff_create(bh_tenant_state *sender, const char *case_json, size_t case_len,
                      const char *const *doc_ids, size_t n_docs, const bh_handoff_target *to,
                      int64_t ttl_seconds, cJSON **answer, bh_handoff_error *e)
{
    int rc;
    char err[512], rec_id[40];
    cJSON *parsed = NULL, *out = NULL;
    baton_pkg_document *docs = NULL;
    bh_document *rows = NULL;
    bh_handoff h;
    char pkg_path[PATH_MAX];
    int packed = 0;

    *answer = NULL;
    memset(&h, 0, sizeof h);
    if (case_len > MAX_CASE_JSON)
        return bh_handoff_fail(e, 413, "case_too_large", BATON_ELIMIT, "the case is over %d bytes",
                               MAX_CASE_JSON);
    if (n_docs > MAX_DOCUMENTS)
        return bh_handoff_fail(e, 400, "too_many_documents", BATON_ELIMIT,
                               "at most %d documents per handoff", MAX_DOCUMENTS);
    if (ttl_seconds <= 0 || ttl_seconds > BH_HANDOFF_TTL_MAX)
        return bh_handoff_fail(e, 400, "invalid_request", BATON_EINVAL,
                               "expires_in_days must be between 1 and 365");
    parsed = cJSON_ParseWithLength(case_json, case_len);
    const cJSON *case_id = cJSON_GetObjectItemCaseSensitive(parsed, "case_id");
    if (!cJSON_IsString(case_id) || !baton_pkg_name_valid(case_id->valuestring)) {
        rc = bh_handoff_fail(e, 400, "invalid_case", BATON_EINVAL,
                             "case.case_id: required, 1..128 characters of A-Z a-z 0-9 . _ : / "
                             "@ + - starting with a letter or digit");
        goto out;
    }
    if (!baton_pkg_name_valid(to->name)) {
        rc = bh_handoff_fail(e, 400, "invalid_recipient", BATON_EINVAL,
                             "recipient name must be 1..128 characters of A-Z a-z 0-9 . _ : / @ "
                             "+ -");
        goto out;
    }

    rc = bh_handoff_no_memory(e);
    if (n_docs > 0 && ((docs = calloc(n_docs, sizeof *docs)) == NULL ||
                       (rows = calloc(n_docs, sizeof *rows)) == NULL))
        goto out;
    for (size_t i = 0; i < n_docs; i++) {
        rc = bh_store_document_get(sender->store, doc_ids[i], &rows[i], err, sizeof err);
        if (rc != 0) {
            rc = rc == BATON_ENOENT
                     ? bh_handoff_fail(e, 404, "unknown_document", rc, "documents[%zu]: %s", i, err)
                     : bh_handoff_internal(e, "the store", err);
            goto out;
        }
        docs[i].path = rows[i].path;
        docs[i].name = rows[i].name;
    }

    int64_t seq;
    if ((rc = bh_store_next_sequence(sender->store, &seq, err, sizeof err)) != 0) {
        rc = bh_handoff_internal(e, "the store", err);
        goto out;
    }
    bh_store_new_id("ho_", h.id, sizeof h.id);
    char name[64];
    snprintf(name, sizeof name, "%s.baton", h.id);
    if (bh_tenant_state_path(sender, "outbox", name, pkg_path, sizeof pkg_path) != 0) {
        rc = bh_handoff_internal(e, "package path", "the data directory path is too long");
        goto out;
    }

    baton_pkg_pack_params p;
    memset(&p, 0, sizeof p);
    p.sender_key = sender->keys->sign;
    baton_age_recipient recipient = to->tenant ? to->tenant->keys->age_pub : to->age;
    p.recipients = &recipient;
    p.n_recipients = 1;
    p.case_json = case_json;
    p.case_json_len = case_len;
    p.documents = docs;
    p.n_documents = n_docs;
    snprintf(p.meta.case_id, sizeof p.meta.case_id, "%s", case_id->valuestring);
    snprintf(p.meta.sender, sizeof p.meta.sender, "%s", sender->id);
    snprintf(p.meta.recipient, sizeof p.meta.recipient, "%s", to->name);
    p.meta.sequence = (uint64_t)seq;
    p.meta.created = (int64_t)time(NULL);
    p.meta.expires = p.meta.created + ttl_seconds;

    baton_pkg_pack_result res;
    rc = baton_pkg_pack_file(&p, pkg_path, 0, NULL, NULL, &res, err, sizeof err);
    if (rc != 0) {
        if (rc == BATON_EEXIST)
            rc = bh_handoff_fail(e, 400, "invalid_handoff", rc, "a document is listed twice: %s",
                                 err);
        else
            rc = rc == BATON_EINVAL ? bh_handoff_fail(e, 400, "invalid_handoff", rc, "%s", err)
                                    : bh_handoff_internal(e, "pack", err);
        goto out;
    }
    packed = 1;

    snprintf(h.case_id, sizeof h.case_id, "%s", case_id->valuestring);
    snprintf(h.recipient, sizeof h.recipient, "%s%s", to->tenant ? "" : "external:", to->name);
    baton_minisign_pubkey_encode(to->tenant ? &to->tenant->keys->sign_pub : &to->sign,
                                 h.recipient_sign_pub);
    h.sequence = seq;
    snprintf(h.package_path, sizeof h.package_path, "%s", pkg_path);
    bh_hex32(res.tagmanifest_sha256, h.tagmanifest_sha256);
    uint8_t pkg_digest[32];
    if ((rc = baton_sha256_file(pkg_path, pkg_digest, err, sizeof err)) != 0) {
        rc = bh_handoff_internal(e, "hashing the package", err);
        goto out;
    }
    bh_hex32(pkg_digest, h.package_sha256);
    snprintf(h.status, sizeof h.status, "sent");
    bh_store_now(h.created, sizeof h.created);
    memcpy(h.updated, h.created, sizeof h.created);

    /* The answer exists before the commit, so a committed handoff is never
     * answered with an error for want of memory. */
    if ((out = created_answer(&h, &res, n_docs, p.meta.expires)) == NULL) {
        rc = bh_handoff_no_memory(e);
        goto out;
    }
    /* Committed before anything reaches the firm: the firm's inbox only
     * ever holds handoffs the agency has recorded. */
    int audit_failed = 0;
    if ((rc = commit_handoff(sender, &h, to->placement, case_json, case_len, to->tenant != NULL,
                             rec_id, &audit_failed, err, sizeof err)) != 0) {
        rc = bh_handoff_commit_failed(e, audit_failed, "recording the handoff", err);
        goto out;
    }
    packed = 0; /* recorded: the package stays */
    if (rec_id[0] != '\0')
        bh_outbox_deliver(sender, rec_id, bh_resolve_one, to->tenant, NULL);
    *answer = out;
    out = NULL;
    rc = 0;
out:
    if (rc != 0 && packed)
        unlink(pkg_path);
    cJSON_Delete(out);
    cJSON_Delete(parsed);
    free(docs);
    free(rows);
    return rc;
}

/* ---- receipts from external firms ------------------------------------------ */

/* Checks a stored or posted receipt against the handoff it must answer. */
static int check_receipt(const bh_handoff *h, const char *json, const char *minisig,
                         baton_receipt *r, char *err, size_t errlen)
{
    baton_minisign_pubkey firm;
    int rc = baton_minisign_pubkey_decode(h->recipient_sign_pub, strlen(h->recipient_sign_pub),
                                          &firm, err, errlen);
    if (rc != 0)
        return rc;
    rc = baton_receipt_verify(&firm, json, strlen(json), minisig, strlen(minisig), r, err, errlen);
    if (rc != 0)
        return rc;
    char tm[65];
    bh_hex32(r->package_sha256, tm);
    if (strcmp(tm, h->package_sha256) != 0) {
        snprintf(err, errlen, "the receipt names another package (sha256 %s)", tm);
        return BATON_EINVAL;
    }
    if (r->have_tagmanifest) {
        bh_hex32(r->tagmanifest_sha256, tm);
        if (strcmp(tm, h->tagmanifest_sha256) != 0) {
            snprintf(err, errlen, "the receipt names another package (tagmanifest %s)", tm);
            return BATON_EINVAL;
        }
    }
    /* A package rejected before its signed metadata could be trusted yields
     * a receipt without case and sequence; when they are there they must
     * be this handoff's. */
    if (r->case_id[0] != '\0') {
        if (r->sequence != (uint64_t)h->sequence || strcmp(r->case_id, h->case_id) != 0) {
            snprintf(err, errlen, "the receipt names another case or sequence");
            return BATON_EINVAL;
        }
    }
    return 0;
}

/* Stores an external receipt with its audit record in one transaction. */
static int commit_receipt(bh_tenant_state *sender, const bh_handoff *h, const baton_receipt *r,
                          const char *blob, int *audit_failed, char *err, size_t errlen)
{
    bh_jobj d;
    bh_jobj_init(&d);
    bh_jobj_str(&d, "recipient", h->recipient);
    bh_jobj_str(&d, "verdict", r->accepted ? "accepted" : "rejected");
    char *detail = bh_jobj_text(&d);
    if (detail == NULL) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    int rc = bh_store_begin(sender->store, err, errlen);
    if (rc == 0) {
        rc = bh_store_handoff_set_receipt(sender->store, h->id,
                                          r->accepted ? "accepted" : "rejected", blob, err, errlen);
        if (rc == 0)
            *audit_failed =
                (rc = bh_audit_append(sender, "receipt.received", h->id, detail, err, errlen)) != 0;
        if (rc == 0)
            rc = bh_store_commit(sender->store, err, errlen);
        else
            bh_store_rollback(sender->store);
    }
    cJSON_free(detail);
    return rc;
}

int bh_handoff_add_receipt(bh_tenant_state *sender, const char *handoff_id,
                           const char *receipt_json, const char *minisig, cJSON **answer,
                           bh_handoff_error *e)
{
    char err[512];
    bh_handoff h;
    baton_receipt r;
    *answer = NULL;
    int rc = bh_store_handoff_get(sender->store, handoff_id, &h, err, sizeof err);
    if (rc != 0)
        return bh_handoff_lookup_failed(e, rc, "unknown_handoff", err);
    if (strncmp(h.recipient, "external:", 9) != 0)
        return bh_handoff_fail(
            e, 409, "receipt_not_external", BATON_EDENIED,
            "handoff %s went to a tenant on this host, whose receipt arrives by itself",
            handoff_id);
    if (check_receipt(&h, receipt_json, minisig, &r, err, sizeof err) != 0)
        return bh_handoff_fail(e, 422, "invalid_receipt", BATON_ECRYPTO, "%s", err);
    char *blob = bh_receipt_blob(receipt_json, minisig);
    if (blob == NULL)
        return bh_handoff_no_memory(e);
    int audit_failed = 0;
    rc = commit_receipt(sender, &h, &r, blob, &audit_failed, err, sizeof err);
    cJSON_free(blob);
    if (rc != 0)
        return rc == BATON_EEXIST && !audit_failed
                   ? bh_handoff_fail(e, 409, "receipt_exists", rc, "%s", err)
                   : bh_handoff_commit_failed(e, audit_failed, "recording the receipt", err);
    return bh_handoff_describe(sender, handoff_id, answer, e);
}

/* ---- describe ------------------------------------------------------------------ */

/* The "receipt" member of a described handoff, its signature checked again. */
static cJSON *describe_receipt(const bh_handoff *h, const char *blob)
{
    char err[512];
    baton_receipt r;
    bh_jobj j;
    cJSON *stored = cJSON_Parse(blob);
    const cJSON *json = cJSON_GetObjectItemCaseSensitive(stored, "receipt");
    const cJSON *sig = cJSON_GetObjectItemCaseSensitive(stored, "minisig");
    snprintf(err, sizeof err, "the stored receipt is malformed");
    int ok = cJSON_IsString(json) && cJSON_IsString(sig) &&
             check_receipt(h, json->valuestring, sig->valuestring, &r, err, sizeof err) == 0;
    bh_jobj_init(&j);
    bh_jobj_bool(&j, "verified", ok);
    if (!ok) {
        bh_jobj_str(&j, "error", err);
    } else {
        char t[21];
        baton_pkg_time_format(r.received, t);
        bh_jobj_str(&j, "verdict", r.accepted ? "accepted" : "rejected");
        bh_jobj_str(&j, "reason", r.reason);
        bh_jobj_str(&j, "received", t);
    }
    if (cJSON_IsString(json))
        bh_jobj_str(&j, "receipt", json->valuestring);
    if (cJSON_IsString(sig))
        bh_jobj_str(&j, "minisig", sig->valuestring);
    cJSON_Delete(stored);
    return bh_jobj_done(&j);
}

int bh_handoff_describe(bh_tenant_state *sender, const char *handoff_id, cJSON **answer,
                        bh_handoff_error *e)
{
    char err[512];
    bh_handoff h;
    char *blob = NULL;
    bh_jobj j;
    *answer = NULL;
    int rc = bh_store_handoff_get(sender->store, handoff_id, &h, err, sizeof err);
    if (rc != 0)
        return bh_handoff_lookup_failed(e, rc, "unknown_handoff", err);
    rc = bh_store_handoff_receipt(sender->store, handoff_id, &blob, err, sizeof err);
    if (rc != 0 && rc != BATON_ENOENT)
        return bh_handoff_internal(e, "the store", err);
    bh_jobj_init(&j);
    bh_jobj_str(&j, "id", h.id);
    bh_jobj_str(&j, "case_id", h.case_id);
    bh_jobj_str(&j, "recipient", h.recipient);
    bh_jobj_num(&j, "sequence", (double)h.sequence);
    bh_jobj_str(&j, "status", h.status);
    bh_jobj_str(&j, "tagmanifest_sha256", h.tagmanifest_sha256);
    bh_jobj_str(&j, "package_sha256", h.package_sha256);
    bh_jobj_str(&j, "created", h.created);
    bh_jobj_str(&j, "updated", h.updated);
    if (blob != NULL)
        bh_jobj_item(&j, "receipt", describe_receipt(&h, blob));
    free(blob);
    if ((*answer = bh_jobj_done(&j)) == NULL)
        return bh_handoff_no_memory(e);
    return 0;
}
