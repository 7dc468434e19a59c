/* handoff.c - packages between agencies and law firms (handoff.h). */
#include "handoff.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "baton/error.h"
#include "baton/package.h"
#include "baton/receipt.h"
#include "baton/sha256.h"
#include "log.h"

#define MAX_DOCUMENTS 1000
#define MAX_CASE_JSON (4 * 1024 * 1024)

static int fail(bh_handoff_error *e, int status, const char *code, int rc, const char *fmt, ...)
{
    va_list ap;
    e->http_status = status;
    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return rc;
}

/* A server-side failure: the detail (which may name paths) goes to the log,
 * the client gets the step that failed. */
static int internal(bh_handoff_error *e, const char *what, const char *detail)
{
    bh_log(BH_LOG_ERROR, "handoff step failed", "step", what, "detail", detail, NULL);
    return fail(e, 500, "internal", BATON_EIO, "%s failed; the server log has the details", what);
}

/* Maps store errors of a lookup: not found is the client's 404. */
static int lookup_failed(bh_handoff_error *e, int rc, const char *code, const char *err)
{
    if (rc == BATON_ENOENT)
        return fail(e, 404, code, rc, "%s", err);
    return internal(e, "the store", err);
}

static void hex32(const uint8_t d[32], char out[65])
{
    baton_sha256_hex(d, out);
}

static void audit(bh_tenant_state *st, const char *action, const char *subject, const cJSON *detail)
{
    char err[256];
    char *text = detail ? cJSON_PrintUnformatted(detail) : NULL;
    /* An audit failure is logged by the store's caller through the error;
     * the action itself has already been committed. */
    bh_store_audit(st->store, st->id, action, subject, text, err, sizeof err);
    cJSON_free(text);
}

/* Hard-links (or, across file systems, copies) src to a new file dst. */
static int link_or_copy(const char *src, const char *dst, char *err, size_t errlen)
{
    if (link(src, dst) == 0)
        return 0;
    if (errno != EXDEV && errno != EPERM) {
        snprintf(err, errlen, "cannot link %s: %s", dst, strerror(errno));
        return BATON_EIO;
    }
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

/* ---- create ---------------------------------------------------------------- */

int bh_handoff_create(bh_tenant_state *sender, const char *case_json, size_t case_len,
                      const char *const *doc_ids, size_t n_docs, const bh_handoff_target *to,
                      int64_t ttl_seconds, cJSON **answer, bh_handoff_error *e)
{
    int rc;
    char err[512];
    cJSON *parsed = NULL, *out = NULL;
    baton_pkg_document *docs = NULL;
    bh_document *rows = NULL;
    bh_handoff h;
    char pkg_path[PATH_MAX], inbox_path[PATH_MAX] = "";
    int packed = 0, recorded = 0;

    *answer = NULL;
    memset(&h, 0, sizeof h);
    if (case_len > MAX_CASE_JSON)
        return fail(e, 413, "case_too_large", BATON_ELIMIT, "the case is over %d bytes",
                    MAX_CASE_JSON);
    if (n_docs > MAX_DOCUMENTS)
        return fail(e, 400, "too_many_documents", BATON_ELIMIT, "at most %d documents per handoff",
                    MAX_DOCUMENTS);
    if (ttl_seconds <= 0 || ttl_seconds > BH_HANDOFF_TTL_MAX)
        return fail(e, 400, "invalid_request", BATON_EINVAL,
                    "expires_in_days must be between 1 and 365");
    parsed = cJSON_ParseWithLength(case_json, case_len);
    const cJSON *case_id = cJSON_GetObjectItemCaseSensitive(parsed, "case_id");
    if (!cJSON_IsString(case_id) || !baton_pkg_name_valid(case_id->valuestring)) {
        rc = fail(e, 400, "invalid_case", BATON_EINVAL,
                  "case.case_id: required, 1..128 characters of A-Z a-z 0-9 . _ : / @ + - "
                  "starting with a letter or digit");
        goto out;
    }
    if (!baton_pkg_name_valid(to->name)) {
        rc = fail(e, 400, "invalid_recipient", BATON_EINVAL,
                  "recipient name must be 1..128 characters of A-Z a-z 0-9 . _ : / @ + -");
        goto out;
    }

    rc = fail(e, 500, "internal", BATON_ENOMEM, "out of memory");
    if (n_docs > 0 && ((docs = calloc(n_docs, sizeof *docs)) == NULL ||
                       (rows = calloc(n_docs, sizeof *rows)) == NULL))
        goto out;
    for (size_t i = 0; i < n_docs; i++) {
        rc = bh_store_document_get(sender->store, doc_ids[i], &rows[i], err, sizeof err);
        if (rc != 0) {
            rc = rc == BATON_ENOENT
                     ? fail(e, 404, "unknown_document", rc, "documents[%zu]: %s", i, err)
                     : internal(e, "the store", err);
            goto out;
        }
        docs[i].path = rows[i].path;
        docs[i].name = rows[i].name;
    }

    int64_t seq;
    if ((rc = bh_store_next_sequence(sender->store, &seq, err, sizeof err)) != 0) {
        rc = internal(e, "the store", err);
        goto out;
    }
    bh_store_new_id("ho_", h.id, sizeof h.id);
    char name[64];
    snprintf(name, sizeof name, "%s.baton", h.id);
    if (bh_tenant_state_path(sender, "outbox", name, pkg_path, sizeof pkg_path) != 0) {
        rc = internal(e, "package path", "the data directory path is too long");
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
            rc = fail(e, 400, "invalid_handoff", rc, "a document is listed twice: %s", err);
        else
            rc = rc == BATON_EINVAL ? fail(e, 400, "invalid_handoff", rc, "%s", err)
                                    : internal(e, "pack", err);
        goto out;
    }
    packed = 1;

    snprintf(h.case_id, sizeof h.case_id, "%s", case_id->valuestring);
    snprintf(h.recipient, sizeof h.recipient, "%s%s", to->tenant ? "" : "external:", to->name);
    baton_minisign_pubkey_encode(to->tenant ? &to->tenant->keys->sign_pub : &to->sign,
                                 h.recipient_sign_pub);
    h.sequence = seq;
    snprintf(h.package_path, sizeof h.package_path, "%s", pkg_path);
    hex32(res.tagmanifest_sha256, h.tagmanifest_sha256);
    uint8_t pkg_digest[32];
    if ((rc = baton_sha256_file(pkg_path, pkg_digest, err, sizeof err)) != 0) {
        rc = internal(e, "hashing the package", err);
        goto out;
    }
    hex32(pkg_digest, h.package_sha256);
    snprintf(h.status, sizeof h.status, "sent");
    bh_store_now(h.created, sizeof h.created);
    memcpy(h.updated, h.created, sizeof h.created);

    /* Deliver before recording: a delivery that fails leaves nothing behind
     * on either side, and the client may simply retry. */
    if (to->tenant != NULL) {
        bh_inbox_item it;
        memset(&it, 0, sizeof it);
        bh_store_new_id("in_", it.id, sizeof it.id);
        snprintf(it.sender, sizeof it.sender, "%s", sender->id);
        snprintf(it.handoff_id, sizeof it.handoff_id, "%s", h.id);
        snprintf(name, sizeof name, "%s.baton", it.id);
        if (bh_tenant_state_path(to->tenant, "inbox", name, it.package_path,
                                 sizeof it.package_path) != 0) {
            rc = internal(e, "delivery", "the data directory path is too long");
            goto out;
        }
        snprintf(it.status, sizeof it.status, "pending");
        memcpy(it.received, h.created, sizeof h.created);
        if ((rc = link_or_copy(pkg_path, it.package_path, err, sizeof err)) != 0) {
            rc = internal(e, "delivery", err);
            goto out;
        }
        snprintf(inbox_path, sizeof inbox_path, "%s", it.package_path);
        if (bh_tenant_state_sync_dir(to->tenant, "inbox") != 0) {
            rc = internal(e, "delivery", "cannot flush the inbox folder");
            goto out;
        }
        if ((rc = bh_store_inbox_add(to->tenant->store, &it, err, sizeof err)) != 0) {
            rc = internal(e, "delivery", err);
            goto out;
        }
        inbox_path[0] = '\0'; /* delivered: the firm's copy stays */
        cJSON *d = cJSON_CreateObject();
        cJSON_AddStringToObject(d, "sender", sender->id);
        cJSON_AddStringToObject(d, "case_id", h.case_id);
        cJSON_AddNumberToObject(d, "sequence", (double)seq);
        audit(to->tenant, "handoff.received", it.id, d);
        cJSON_Delete(d);
    }
    if ((rc = bh_store_handoff_add(sender->store, &h, err, sizeof err)) != 0) {
        rc = internal(e, "recording the handoff", err);
        goto out;
    }
    recorded = 1;

    rc = fail(e, 500, "internal", BATON_ENOMEM, "out of memory");
    out = cJSON_CreateObject();
    if (out == NULL)
        goto out;
    cJSON_AddStringToObject(out, "id", h.id);
    cJSON_AddStringToObject(out, "case_id", h.case_id);
    cJSON_AddStringToObject(out, "recipient", h.recipient);
    cJSON_AddNumberToObject(out, "sequence", (double)h.sequence);
    cJSON_AddStringToObject(out, "status", h.status);
    cJSON_AddStringToObject(out, "tagmanifest_sha256", h.tagmanifest_sha256);
    cJSON_AddStringToObject(out, "package_sha256", h.package_sha256);
    cJSON_AddNumberToObject(out, "package_bytes", (double)res.package_bytes);
    cJSON_AddNumberToObject(out, "documents", (double)n_docs);
    char t[21];
    baton_pkg_time_format(p.meta.expires, t);
    cJSON_AddStringToObject(out, "expires", t);
    cJSON_AddStringToObject(out, "created", h.created);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "recipient", h.recipient);
    cJSON_AddStringToObject(d, "case_id", h.case_id);
    cJSON_AddNumberToObject(d, "sequence", (double)seq);
    cJSON_AddStringToObject(d, "tagmanifest_sha256", h.tagmanifest_sha256);
    audit(sender, "handoff.sent", h.id, d);
    cJSON_Delete(d);
    *answer = out;
    out = NULL;
    rc = 0;
out:
    if (rc != 0 && inbox_path[0] != '\0')
        unlink(inbox_path); /* linked into the inbox, never listed there */
    if (rc != 0 && packed && !recorded)
        unlink(pkg_path); /* packed but never recorded (a delivered copy is its own link) */
    cJSON_Delete(out);
    cJSON_Delete(parsed);
    free(docs);
    free(rows);
    return rc;
}

/* ---- receipts ---------------------------------------------------------------- */

/* The stored form of a receipt: {"receipt": "<json line>", "minisig": "<text>"}. */
static char *receipt_blob(const char *json, const char *minisig)
{
    cJSON *o = cJSON_CreateObject();
    char *text = NULL;
    if (o != NULL && cJSON_AddStringToObject(o, "receipt", json) &&
        cJSON_AddStringToObject(o, "minisig", minisig))
        text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

/* Signs a receipt by the firm into its stored form (caller frees *blob). */
static int sign_receipt(bh_tenant_state *firm, const baton_receipt *r, char **blob,
                        bh_handoff_error *e)
{
    char err[512];
    char *json = NULL, *sig = NULL;
    size_t jl, sl;
    int rc = baton_receipt_sign(firm->keys->sign, r, &json, &jl, &sig, &sl, err, sizeof err);
    if (rc != 0)
        return internal(e, "signing the receipt", err);
    *blob = receipt_blob(json, sig);
    free(json);
    free(sig);
    if (*blob == NULL)
        return fail(e, 500, "internal", BATON_ENOMEM, "out of memory");
    return 0;
}

/*
 * Hands a recorded receipt to the sending tenant when it is on this host.
 * The firm's decision stands either way; a failure here is logged.
 */
static void deliver_receipt(bh_tenant_state *firm, const baton_receipt *r, const bh_inbox_item *it,
                            bh_tenant_state *sender, const char *blob)
{
    char err[512];
    if (sender == NULL || it->handoff_id[0] == '\0')
        return;
    int rc =
        bh_store_handoff_set_receipt(sender->store, it->handoff_id,
                                     r->accepted ? "accepted" : "rejected", blob, err, sizeof err);
    if (rc != 0 && rc != BATON_EEXIST) {
        bh_log(BH_LOG_ERROR, "receipt delivery failed", "tenant", sender->id, "handoff",
               it->handoff_id, "detail", err, NULL);
        return;
    }
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "recipient", firm->id);
    cJSON_AddStringToObject(d, "verdict", r->accepted ? "accepted" : "rejected");
    cJSON_AddStringToObject(d, "reason", r->reason);
    audit(sender, "receipt.received", it->handoff_id, d);
    cJSON_Delete(d);
}

static cJSON *receipt_json_of(const char *blob)
{
    cJSON *r = cJSON_Parse(blob);
    return r != NULL ? r : cJSON_CreateNull();
}

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
        return lookup_failed(e, rc, "unknown_inbox_item", err);
    if (strcmp(it->status, "pending") != 0)
        return fail(e, 409, "already_decided", BATON_EEXIST, "inbox item %s was already %s",
                    item_id, it->status);
    return 0;
}

int bh_inbox_accept(bh_tenant_state *firm, const char *item_id,
                    const baton_minisign_pubkey *trusted, size_t n_trusted, bh_tenant_state *sender,
                    cJSON **answer, bh_handoff_error *e)
{
    char err[512];
    bh_inbox_item it;
    char dir[PATH_MAX], case_path[PATH_MAX];
    char *blob = NULL, *case_text = NULL;
    cJSON *out = NULL;
    int rc;

    *answer = NULL;
    e->http_status = 200;
    /* One accept at a time per firm: the status check, the ledger's
     * check-and-record and the decision must not interleave. */
    pthread_mutex_lock(&firm->open_mu);
    if ((rc = load_pending(firm, item_id, &it, e)) != 0)
        goto unlock;

    if (bh_tenant_state_path(firm, "cases", it.id, dir, sizeof dir) != 0) {
        rc = internal(e, "case folder", "the data directory path is too long");
        goto unlock;
    }
    baton_pkg_open_params p;
    memset(&p, 0, sizeof p);
    baton_age_identity *ids[1] = {firm->keys->age};
    p.identities = ids;
    p.n_identities = 1;
    p.trusted = trusted;
    p.n_trusted = n_trusted;
    p.recipient = firm->id;
    p.ledger = firm->ledger;
    p.record = 1;
    p.now = (int64_t)time(NULL);
    p.extract_dir = dir;
    p.hash_package = 1; /* the receipt names the package by its SHA-256 */
    baton_pkg_open_result res;
    memset(&res, 0, sizeof res);
    int open_rc = baton_pkg_open_file(&p, it.package_path, NULL, NULL, &res, err, sizeof err);
    if (open_rc != 0 && res.verdict == BATON_PKG_ERROR) {
        rc = internal(e, "opening the package", err);
        goto unlock;
    }

    int accepted = open_rc == 0 && res.verdict == BATON_PKG_OK;
    if (accepted) {
        snprintf(case_path, sizeof case_path, "%s/bag/data/case.json", dir);
        FILE *f = fopen(case_path, "rb");
        long n = -1;
        if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n <= MAX_CASE_JSON &&
            fseek(f, 0, SEEK_SET) == 0 && (case_text = calloc(1, (size_t)n + 1)) != NULL &&
            fread(case_text, 1, (size_t)n, f) != (size_t)n) {
            free(case_text);
            case_text = NULL;
        }
        if (f != NULL)
            fclose(f);
        if (case_text == NULL) {
            rc = internal(e, "import", "cannot read the extracted case.json");
            goto out;
        }
    }

    /* Sign, record the decision, and only then tell the sender, so the
     * agency never holds a receipt for a decision the firm did not keep. */
    baton_receipt receipt;
    baton_receipt_from_result(&res, p.now, &receipt);
    if ((rc = sign_receipt(firm, &receipt, &blob, e)) != 0)
        goto out;
    rc = bh_store_inbox_decide(firm->store, it.id, accepted ? "accepted" : "rejected",
                               accepted ? "" : baton_pkg_verdict_name(res.verdict), case_text, blob,
                               err, sizeof err);
    if (rc != 0) {
        rc = rc == BATON_EEXIST ? fail(e, 409, "already_decided", rc, "%s", err)
                                : internal(e, "recording the decision", err);
        goto out;
    }
    deliver_receipt(firm, &receipt, &it, sender, blob);

    rc = fail(e, 500, "internal", BATON_ENOMEM, "out of memory");
    out = cJSON_CreateObject();
    if (out == NULL)
        goto out;
    cJSON_AddStringToObject(out, "id", it.id);
    cJSON_AddStringToObject(out, "status", accepted ? "accepted" : "rejected");
    cJSON_AddStringToObject(out, "verdict", baton_pkg_verdict_name(res.verdict));
    if (!accepted)
        cJSON_AddStringToObject(out, "reason", err);
    if (res.have_meta) {
        cJSON_AddStringToObject(out, "case_id", res.meta.case_id);
        cJSON_AddStringToObject(out, "sender", res.meta.sender);
        cJSON_AddNumberToObject(out, "sequence", (double)res.meta.sequence);
    }
    if (accepted) {
        cJSON *c = cJSON_Parse(case_text);
        cJSON_AddItemToObject(out, "case", c ? c : cJSON_CreateNull());
        cJSON_AddNumberToObject(out, "payload_files", (double)res.payload_files);
        cJSON_AddNumberToObject(out, "payload_bytes", (double)res.payload_bytes);
    }
    cJSON_AddItemToObject(out, "receipt", receipt_json_of(blob));
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "verdict", baton_pkg_verdict_name(res.verdict));
    cJSON_AddStringToObject(d, "sender", it.sender);
    audit(firm, accepted ? "handoff.accepted" : "handoff.rejected", it.id, d);
    cJSON_Delete(d);
    *answer = out;
    out = NULL;
    rc = 0;
    e->http_status = 200;
    if (!accepted)
        fail(e, 422, "package_rejected", 0, "%s: %s", baton_pkg_verdict_name(res.verdict), err);
out:
    if (rc != 0 && accepted)
        rm_tree(dir);
    cJSON_Delete(out);
    free(blob);
    free(case_text);
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
    int rc;

    *answer = NULL;
    pthread_mutex_lock(&firm->open_mu);
    if ((rc = load_pending(firm, item_id, &it, e)) != 0)
        goto out;

    baton_receipt receipt;
    memset(&receipt, 0, sizeof receipt);
    uint8_t digest[32];
    if (baton_sha256_file(it.package_path, digest, err, sizeof err) != 0) {
        rc = internal(e, "hashing the package", err);
        goto out;
    }
    memcpy(receipt.package_sha256, digest, sizeof digest);
    snprintf(receipt.sender, sizeof receipt.sender, "%s", it.sender);
    snprintf(receipt.recipient, sizeof receipt.recipient, "%s", firm->id);
    receipt.received = (int64_t)time(NULL);
    snprintf(receipt.reason, sizeof receipt.reason, "declined");
    if ((rc = sign_receipt(firm, &receipt, &blob, e)) != 0)
        goto out;
    rc = bh_store_inbox_decide(firm->store, it.id, "rejected", reason, NULL, blob, err, sizeof err);
    if (rc != 0) {
        rc = rc == BATON_EEXIST ? fail(e, 409, "already_decided", rc, "%s", err)
                                : internal(e, "recording the decision", err);
        goto out;
    }
    deliver_receipt(firm, &receipt, &it, sender, blob);
    cJSON *out = cJSON_CreateObject();
    if (out == NULL) {
        rc = fail(e, 500, "internal", BATON_ENOMEM, "out of memory");
        goto out;
    }
    cJSON_AddStringToObject(out, "id", it.id);
    cJSON_AddStringToObject(out, "status", "rejected");
    cJSON_AddStringToObject(out, "reason", reason);
    cJSON_AddItemToObject(out, "receipt", receipt_json_of(blob));
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "reason", reason);
    audit(firm, "handoff.declined", it.id, d);
    cJSON_Delete(d);
    *answer = out;
out:
    pthread_mutex_unlock(&firm->open_mu);
    free(blob);
    return rc;
}

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
    hex32(r->package_sha256, tm);
    if (strcmp(tm, h->package_sha256) != 0) {
        snprintf(err, errlen, "the receipt names another package (sha256 %s)", tm);
        return BATON_EINVAL;
    }
    if (r->have_tagmanifest) {
        hex32(r->tagmanifest_sha256, tm);
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
        return lookup_failed(e, rc, "unknown_handoff", err);
    if (strncmp(h.recipient, "external:", 9) != 0)
        return fail(e, 409, "receipt_not_external", BATON_EDENIED,
                    "handoff %s went to a tenant on this host, whose receipt arrives by itself",
                    handoff_id);
    if (check_receipt(&h, receipt_json, minisig, &r, err, sizeof err) != 0)
        return fail(e, 422, "invalid_receipt", BATON_ECRYPTO, "%s", err);
    char *blob = receipt_blob(receipt_json, minisig);
    if (blob == NULL)
        return fail(e, 500, "internal", BATON_ENOMEM, "out of memory");
    rc = bh_store_handoff_set_receipt(sender->store, handoff_id,
                                      r.accepted ? "accepted" : "rejected", blob, err, sizeof err);
    free(blob);
    if (rc != 0)
        return rc == BATON_EEXIST ? fail(e, 409, "receipt_exists", rc, "%s", err)
                                  : internal(e, "the store", err);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "recipient", h.recipient);
    cJSON_AddStringToObject(d, "verdict", r.accepted ? "accepted" : "rejected");
    audit(sender, "receipt.received", handoff_id, d);
    cJSON_Delete(d);
    return bh_handoff_describe(sender, handoff_id, answer, e);
}

int bh_handoff_describe(bh_tenant_state *sender, const char *handoff_id, cJSON **answer,
                        bh_handoff_error *e)
{
    char err[512];
    bh_handoff h;
    char *blob = NULL;
    *answer = NULL;
    int rc = bh_store_handoff_get(sender->store, handoff_id, &h, err, sizeof err);
    if (rc != 0)
        return lookup_failed(e, rc, "unknown_handoff", err);
    cJSON *out = cJSON_CreateObject();
    if (out == NULL)
        return fail(e, 500, "internal", BATON_ENOMEM, "out of memory");
    cJSON_AddStringToObject(out, "id", h.id);
    cJSON_AddStringToObject(out, "case_id", h.case_id);
    cJSON_AddStringToObject(out, "recipient", h.recipient);
    cJSON_AddNumberToObject(out, "sequence", (double)h.sequence);
    cJSON_AddStringToObject(out, "status", h.status);
    cJSON_AddStringToObject(out, "tagmanifest_sha256", h.tagmanifest_sha256);
    cJSON_AddStringToObject(out, "package_sha256", h.package_sha256);
    cJSON_AddStringToObject(out, "created", h.created);
    cJSON_AddStringToObject(out, "updated", h.updated);
    rc = bh_store_handoff_receipt(sender->store, handoff_id, &blob, err, sizeof err);
    if (rc == 0) {
        cJSON *stored = cJSON_Parse(blob);
        const cJSON *json = cJSON_GetObjectItemCaseSensitive(stored, "receipt");
        const cJSON *sig = cJSON_GetObjectItemCaseSensitive(stored, "minisig");
        baton_receipt r;
        int ok = cJSON_IsString(json) && cJSON_IsString(sig) &&
                 check_receipt(&h, json->valuestring, sig->valuestring, &r, err, sizeof err) == 0;
        cJSON *rec = cJSON_AddObjectToObject(out, "receipt");
        if (rec != NULL) {
            cJSON_AddBoolToObject(rec, "verified", ok);
            if (!ok)
                cJSON_AddStringToObject(rec, "error", err);
            else {
                cJSON_AddStringToObject(rec, "verdict", r.accepted ? "accepted" : "rejected");
                cJSON_AddStringToObject(rec, "reason", r.reason);
                char t[21];
                baton_pkg_time_format(r.received, t);
                cJSON_AddStringToObject(rec, "received", t);
            }
            if (cJSON_IsString(json))
                cJSON_AddStringToObject(rec, "receipt", json->valuestring);
            if (cJSON_IsString(sig))
                cJSON_AddStringToObject(rec, "minisig", sig->valuestring);
        }
        cJSON_Delete(stored);
        free(blob);
    } else if (rc != BATON_ENOENT) {
        cJSON_Delete(out);
        return internal(e, "the store", err);
    }
    *answer = out;
    return 0;
}
