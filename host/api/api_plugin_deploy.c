/*
 * api_plugin_deploy.c - tenants deploy their own plugins.
 *
 *   POST   /v1/plugins                  the .so as the body (streamed), its
 *                                       minisign signature in a header
 *   POST   /v1/plugins/:name/activate   {"sha256": "...", "config": {...}}
 *   POST   /v1/plugins/:name/rollback   back to the version active before
 *   DELETE /v1/plugins/:name/:sha256    remove a version that is not active
 * (GET /v1/plugins, in api_plugins.c, lists them.)
 *
 * An upload is checked in this order, each step only after the one before
 * passed, and refused at the first that fails:
 *   1. headers: Baton-Plugin-Signature is the base64 of a minisign .minisig
 *      whose key id is one of the tenant's plugin_signing_keys (and, when
 *      the operator's plugin_policy requires it, Baton-Operator-Signature
 *      by an operator key); Content-Length within max_plugin_bytes; the
 *      optional Baton-Plugin-Config the base64 of a JSON object of at most
 *      CONFIG_MAX bytes. Nothing is written before this passes.
 *   2. body: streamed to a temporary file, hashed (SHA-256 and minisign's
 *      BLAKE2b-512 prehash) on the way; the size limit holds for chunked
 *      bodies too.
 *   3. the signature(s) verified against the bytes received.
 *   4. the plugin loaded in a throwaway sandboxed worker (ABI checks, init
 *      with the Baton-Plugin-Config object, {} without one), never in
 *      batond.
 *   5. the scope rule: "agency:<the tenant's own id>" or "jurisdiction:<any>".
 *   6. a smoke run in that worker (so with that config) over a built-in
 *      case (whose jurisdiction is the plugin's, for a jurisdiction
 *      plugin): every capability once.
 *      A crash, hang or protocol error refuses the upload; an error code
 *      the plugin returns for the case does not.
 *   7. stored by content under the tenant's folder (plugin_catalog.h) and
 *      recorded as available.
 * The upload's config is for these checks only: the catalog keeps no
 * config with a version, and an activation takes its own "config".
 * Steps 3-7 run on the thread pool. Every upload, activation, rollback,
 * deletion and refusal goes into the tenant's audit log ("plugin.*").
 *
 * Activation and rollback swap the tenant's live plugin set
 * (bh_tenant_activate): requests already running finish on the set they
 * started with. The swap happens first and is recorded in the catalog
 * after, under the catalog's per-tenant lock.
 *
 * Errors (the one JSON shape; docs/deploying-plugins.md lists them all):
 *   400 signature_required            no Baton-Plugin-Signature
 *   400 operator_signature_required   policy wants Baton-Operator-Signature
 *   400 invalid_signature             not a minisign signature, or it does
 *                                     not match the bytes
 *   400 invalid_config                Baton-Plugin-Config is not the base64
 *                                     of a JSON object, or is too large
 *   403 untrusted_key                 signed by a key the tenant (operator)
 *                                     did not register
 *   403 scope_not_allowed             another agency's scope, or no scope
 *                                     a tenant may upload
 *   413 plugin_too_large              above plugin_policy.max_plugin_bytes
 *   422 plugin_refused                the worker refused to load it (ABI
 *                                     mismatch naming both versions, init,
 *                                     crash while loading)
 *   422 smoke_run_failed              crashed, hung or broke the protocol
 *                                     on the built-in case
 *   404 unknown_plugin, unknown_version
 *   409 version_active                DELETE of the active version
 *   409 nothing_to_roll_back          no activation to undo
 *   409 scope_in_use                  a configured plugin has that scope
 *   409 tenant_removed                activation, rollback or delete after a
 *                                     reload dropped the tenant
 *   400 invalid_request               a bad activation body
 */
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <uv.h>

#include "api_body.h"
#include "audit_log.h"
#include "baton/error.h"
#include "baton/minisign.h"
#include "baton/sha256.h"
#include "isolation.h"
#include "json_input.h"
#include "letter.h"
#include "log.h"
#include "plugin_catalog.h"
#include "plugin_store.h"
#include "result.h"
#include "router.h"
#include "tenant_state.h"
#include "worker_proto.h"

void bh_api_plugin_upload(bh_req *r);
void bh_api_plugin_upload_stream(bh_req *r, bh_http_body_stream *stream);
void bh_api_plugin_activate(bh_req *r);
void bh_api_plugin_rollback(bh_req *r);
void bh_api_plugin_delete(bh_req *r);

/* Largest .minisig accepted in a header, decoded. */
#define SIG_TEXT_MAX 12288

/* Largest Baton-Plugin-Config accepted, decoded. The server's header limit
 * (limits.max_header_bytes, default 16 KiB) usually binds first. */
#define CONFIG_MAX (64 * 1024)

/* A refused or failed operation, as the answer and the audit log get it. */
typedef struct outcome {
    int status; /* 0 while nothing failed */
    char code[40];
    char message[900];
} outcome;

static int fail(outcome *o, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(outcome *o, int status, const char *code, const char *fmt, ...)
{
    va_list ap;
    o->status = status;
    snprintf(o->code, sizeof o->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(o->message, sizeof o->message, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- audit ---------------------------------------------------------------- */

/* {"operation", "code", "message", "sha256"?} of a refusal. */
static cJSON *refusal_detail(const char *operation, const outcome *o, const char *sha256)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "operation", operation);
    cJSON_AddNumberToObject(d, "status", o->status);
    cJSON_AddStringToObject(d, "code", o->code);
    cJSON_AddStringToObject(d, "message", o->message);
    if (sha256 != NULL && sha256[0] != '\0')
        cJSON_AddStringToObject(d, "sha256", sha256);
    return d;
}

/*
 * Appends the record of a refusal to st's audit log (blocking: thread
 * pool). Consumes detail. Nothing changed and the answer is given, so a
 * record that cannot be written is logged (docs/audit.md).
 */
static void audit_refusal(bh_tenant_state *st, const char *action, const char *subject,
                          cJSON *detail)
{
    char why[256];
    char *text = detail != NULL ? cJSON_PrintUnformatted(detail) : NULL;
    if (text == NULL)
        snprintf(why, sizeof why, "out of memory");
    if (text == NULL || bh_audit_append(st, action, subject, text, why, sizeof why) != 0)
        bh_log(BH_LOG_ERROR, "audit record not written", "tenant", st->id, "action", action,
               "detail", why, NULL);
    cJSON_free(text);
    cJSON_Delete(detail);
}

/*
 * What a catalog change commits with its audit record (docs/audit.md: one
 * transaction, so neither is kept without the other).
 */
typedef struct change {
    enum { CHANGE_PUSH, CHANGE_POP, CHANGE_REMOVE } kind;
    const char *name, *sha256, *config; /* push: config JSON text or NULL */
    int audit_failed;                   /* out: the audit record failed */
} change;

static int apply(bh_tenant_state *st, change *c, char *why, size_t len)
{
    switch (c->kind) {
    case CHANGE_PUSH:
        return bh_store_plugin_push(st->store, c->name, c->sha256, c->config, why, len);
    case CHANGE_POP:
        return bh_store_plugin_pop(st->store, c->name, c->sha256, why, len);
    case CHANGE_REMOVE:
        return bh_plugin_catalog_remove_record(st, c->name, c->sha256, why, len);
    }
    return BATON_EINVAL;
}

/* Commits c and the audit record action/subject/detail (consumed) together:
 * 0, or the failure in why with c->audit_failed telling whether the record
 * was what failed. */
static int commit_with_audit(bh_tenant_state *st, change *c, const char *action,
                             const char *subject, cJSON *detail, char *why, size_t len)
{
    char *text = detail != NULL ? cJSON_PrintUnformatted(detail) : NULL;
    int rc = BATON_ENOMEM;
    cJSON_Delete(detail);
    c->audit_failed = 0;
    if (text == NULL) {
        snprintf(why, len, "out of memory");
        return rc;
    }
    if ((rc = bh_store_begin(st->store, why, len)) == 0) {
        rc = apply(st, c, why, len);
        if (rc == 0)
            c->audit_failed = (rc = bh_audit_append(st, action, subject, text, why, len)) != 0;
        if (rc == 0)
            rc = bh_store_commit(st->store, why, len);
        else
            bh_store_rollback(st->store);
    }
    cJSON_free(text);
    return rc;
}

/* An audit entry written later on the thread pool, for refusals answered
 * on the loop thread (at headers time); owns copies of everything. */
typedef struct audit_job {
    uv_work_t work;
    char *data_dir, *tenant, *action, *subject, *detail;
} audit_job;

static void audit_job_run(uv_work_t *w)
{
    audit_job *a = w->data;
    bh_tenant_state *st;
    char why[256];
    if (bh_tenant_state_get(a->data_dir, a->tenant, &st, why, sizeof why) != 0 ||
        bh_audit_append(st, a->action, a->subject, a->detail, why, sizeof why) != 0)
        bh_log(BH_LOG_ERROR, "audit record not written", "tenant", a->tenant, "action", a->action,
               "detail", why, NULL);
}

static void audit_job_free(uv_work_t *w, int status)
{
    audit_job *a = w->data;
    (void)status;
    free(a->data_dir);
    free(a->tenant);
    free(a->action);
    free(a->subject);
    free(a->detail);
    free(a);
}

static void audit_later(bh_req *r, const char *action, const char *subject, cJSON *detail)
{
    audit_job *a = calloc(1, sizeof *a);
    if (a != NULL) {
        a->work.data = a;
        a->data_dir = strdup(r->registry->config->data_dir);
        a->tenant = strdup(r->tenant->id);
        a->action = strdup(action);
        a->subject = strdup(subject);
        a->detail = detail != NULL ? cJSON_PrintUnformatted(detail) : NULL;
    }
    cJSON_Delete(detail);
    if (a == NULL)
        return;
    if (a->data_dir == NULL || a->tenant == NULL || a->action == NULL || a->subject == NULL ||
        uv_queue_work(r->loop, &a->work, audit_job_run, audit_job_free) != 0)
        audit_job_free(&a->work, 0);
}

/* ---- names, keys and signatures -------------------------------------------- */

/* Plugin names as they appear in paths: 1-63 of [a-z0-9._-], starting
 * with a letter or digit. */
static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 63 || strchr("._-", name[0]) != NULL)
        return 0;
    return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

static int sha_ok(const char *s)
{
    return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* Decodes the base64 of a header value, padded or not, spaces and tabs
 * ignored, into out (room for max bytes). 0, or -1 when it is not base64
 * or does not fit. (libbaton's decoder is internal and accepts only the
 * canonical form; a header value pasted from `base64` needs this leniency.) */
static int b64_decode(const char *b64, size_t n, unsigned char *out, size_t max, size_t *len)
{
    if (sodium_base642bin(out, max, b64, n, " \t", len, NULL, sodium_base64_VARIANT_ORIGINAL) == 0)
        return 0;
    return sodium_base642bin(out, max, b64, n, " \t", len, NULL,
                             sodium_base64_VARIANT_ORIGINAL_NO_PADDING) == 0
               ? 0
               : -1;
}

/*
 * Reads header (the base64 of a .minisig) into *sig. 0; 1 when the header
 * is absent; -1 when it is not a minisign signature (why says how).
 */
static int header_sig(const bh_req *r, const char *header, baton_minisign_sig *sig, char *why,
                      size_t whylen)
{
    /* bh_http_header_get is case-insensitive; messages show header as given. */
    const char *b64 = bh_http_header_get(r->http, header);
    size_t len = 0;
    int rc = -1;
    if (b64 == NULL || b64[0] == '\0')
        return 1;
    unsigned char *text = malloc(SIG_TEXT_MAX + 1);
    if (text == NULL) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    if (b64_decode(b64, strlen(b64), text, SIG_TEXT_MAX, &len) != 0) {
        snprintf(why, whylen,
                 "%s: not base64 (give the base64 of the whole .minisig file, e.g. "
                 "base64 -w0 plugin.so.minisig)",
                 header);
        goto out;
    }
    text[len] = '\0';
    char detail[256] = "";
    if (baton_minisign_sig_parse((const char *)text, len, sig, detail, sizeof detail) != 0) {
        snprintf(why, whylen, "%s: not a minisign signature: %s", header, detail);
        goto out;
    }
    rc = 0;
out:
    free(text);
    return rc;
}

/* The key among keys (minisign public key lines) whose id the signature
 * names. 0, or -1 when none has it. */
static int find_key(char *const *keys, size_t n, const baton_minisign_sig *sig,
                    baton_minisign_pubkey *out)
{
    for (size_t i = 0; i < n; i++) {
        baton_minisign_pubkey pk;
        if (baton_minisign_pubkey_decode(keys[i], strlen(keys[i]), &pk, NULL, 0) == 0 &&
            sodium_memcmp(pk.keynum, sig->keynum, sizeof pk.keynum) == 0) {
            *out = pk;
            return 0;
        }
    }
    return -1;
}

/*
 * Reads Baton-Plugin-Config (the base64 of a JSON object) into *json, the
 * object printed again (malloc'd; the caller frees it). 0; 1 when the
 * header is absent or empty; -1 when it is not usable (why says how).
 */
static int header_config(const bh_req *r, char **json, char *why, size_t whylen)
{
    const char *b64 = bh_http_header_get(r->http, "Baton-Plugin-Config");
    size_t len = 0, n;
    unsigned char *text = NULL;
    cJSON *cfg = NULL;
    int rc = -1;

    *json = NULL;
    if (b64 == NULL || b64[0] == '\0')
        return 1;
    n = strlen(b64);
    /* Four characters per three bytes, some slack for spaces. */
    if (n > (CONFIG_MAX + 2) / 3 * 4 + 256) {
        snprintf(why, whylen, "Baton-Plugin-Config: more than the %d KiB allowed",
                 CONFIG_MAX / 1024);
        return -1;
    }
    if ((text = malloc(CONFIG_MAX + 4)) == NULL) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    if (b64_decode(b64, n, text, CONFIG_MAX + 3, &len) != 0) {
        snprintf(why, whylen,
                 "Baton-Plugin-Config: not base64 (give the base64 of the plugin's JSON config, "
                 "e.g. base64 -w0 config.json)");
        goto out;
    }
    if (len > CONFIG_MAX) {
        snprintf(why, whylen, "Baton-Plugin-Config: more than the %d KiB allowed",
                 CONFIG_MAX / 1024);
        goto out;
    }
    text[len] = '\0';
    bh_json_error je;
    if ((cfg = bh_json_parse((const char *)text, len, &je)) == NULL) {
        char where[200];
        bh_json_error_text(&je, where, sizeof where);
        snprintf(why, whylen, "Baton-Plugin-Config: the decoded text is not valid JSON at %s",
                 where);
        goto out;
    }
    if (!cJSON_IsObject(cfg)) {
        snprintf(why, whylen, "Baton-Plugin-Config: expected a JSON object, the plugin's config");
        goto out;
    }
    /* The same rule as plugin configs in tenant files (config.c). */
    char field[200] = "config";
    if (bh_json_find_fraction(cfg, field, strlen(field), sizeof field)) {
        snprintf(why, whylen,
                 "Baton-Plugin-Config: %s: a number written with a fraction or exponent; plugin "
                 "config numbers are integers written with digits only (baton/plugin.h)",
                 field);
        goto out;
    }
    if ((*json = cJSON_PrintUnformatted(cfg)) == NULL) {
        snprintf(why, whylen, "out of memory");
        goto out;
    }
    rc = 0;
out:
    cJSON_Delete(cfg);
    free(text);
    return rc;
}

/* ---- POST /v1/plugins --------------------------------------------------- */

typedef struct upload {
    uv_work_t work;
    bh_req *req;
    const bh_config *config; /* the request's registry holds it */
    const bh_tenant *tenant;
    bh_tenant_state *state;
    int fd;
    int checking_slot;   /* checking_take's, -1 when none */
    char dir[PATH_MAX];  /* <tenant>/tmp/plg_<random>: this upload's own folder */
    char file[PATH_MAX]; /* the body, in dir */
    baton_sha256 *sha;
    baton_minisign_prehash *prehash;
    uint64_t received, max;
    baton_minisign_sig sig;
    baton_minisign_pubkey key;
    int operator_signed;
    baton_minisign_sig op_sig;
    baton_minisign_pubkey op_key;
    char *check_config; /* Baton-Plugin-Config as JSON text; NULL: none (so {}) */
    /* results */
    bh_plugin_version v;
    int existed, active;
    unsigned sandbox;
    outcome o;
} upload;

/* Removes the upload's temporary file and folder (idempotent). */
static void remove_temp(upload *u)
{
    if (u->fd >= 0)
        close(u->fd);
    u->fd = -1;
    if (u->file[0] != '\0')
        unlink(u->file);
    if (u->dir[0] != '\0')
        rmdir(u->dir);
    u->file[0] = u->dir[0] = '\0';
}

/*
 * Load checks and smoke runs block a thread of libuv's pool (4 threads, that
 * letters, documents and handoffs share), so at most UPLOADS_CHECKING run
 * at once, one per tenant; more get 429 upload_busy once their body is in.
 */
#define UPLOADS_CHECKING 2

static pthread_mutex_t checking_mu = PTHREAD_MUTEX_INITIALIZER;
static char checking[UPLOADS_CHECKING][64]; /* tenant ids, "" when free */

static int checking_take(const char *tenant)
{
    int slot = -1;
    pthread_mutex_lock(&checking_mu);
    for (int i = 0; i < UPLOADS_CHECKING; i++) {
        if (strcmp(checking[i], tenant) == 0) {
            slot = -1;
            break;
        }
        if (checking[i][0] == '\0' && slot < 0)
            slot = i;
    }
    if (slot >= 0)
        snprintf(checking[slot], sizeof checking[slot], "%s", tenant);
    pthread_mutex_unlock(&checking_mu);
    return slot;
}

static void checking_release(int slot)
{
    if (slot < 0)
        return;
    pthread_mutex_lock(&checking_mu);
    checking[slot][0] = '\0';
    pthread_mutex_unlock(&checking_mu);
}

static void upload_free(bh_req *r)
{
    upload *u = r->stream_ctx;
    if (u == NULL)
        return;
    checking_release(u->checking_slot);
    remove_temp(u);
    baton_sha256_free(u->sha);
    baton_minisign_prehash_free(u->prehash);
    free(u->check_config);
    free(u);
    r->stream_ctx = NULL;
}

static void refuse_upload_now(bh_req *r, const outcome *o)
{
    audit_later(r, "plugin.refused", "upload", refusal_detail("upload", o, NULL));
    bh_reply_error(r, o->status, o->code, o->message);
}

static int on_chunk(void *ctx, const char *data, size_t len)
{
    upload *u = ctx;
    u->received += len;
    if (u->received > u->max) {
        outcome o = {0};
        fail(&o, 413, "plugin_too_large", "the plugin is larger than the %llu bytes allowed",
             (unsigned long long)u->max);
        audit_later(u->req, "plugin.refused", "upload", refusal_detail("upload", &o, NULL));
        bh_http_stream_fail(u->req->ex, o.status, o.code, o.message);
        return -1;
    }
    baton_sha256_update(u->sha, data, len);
    baton_minisign_prehash_update(u->prehash, data, len);
    while (len > 0) {
        ssize_t n = write(u->fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            bh_http_stream_fail(u->req->ex, 500, "upload_failed",
                                "the plugin could not be written to disk");
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Step 1: headers. Answers at once (and audits) when the upload cannot be
 * accepted whatever its bytes. */
void bh_api_plugin_upload_stream(bh_req *r, bh_http_body_stream *stream)
{
    const bh_config *cfg = r->registry->config;
    const bh_tenant_config *tc = r->tenant->config;
    outcome o = {0};
    char why[600], id[40], keyid[BATON_MINISIGN_KEYID_HEX_LEN + 1];
    uint64_t max = cfg->max_plugin_bytes != 0 ? cfg->max_plugin_bytes : BH_PLUGIN_MAX_BYTES;
    upload *u = calloc(1, sizeof *u);

    if (u == NULL) {
        bh_reply_out_of_memory(r, "preparing the plugin upload");
        return;
    }
    u->fd = -1;
    u->checking_slot = -1;
    u->req = r;
    u->config = cfg;
    u->tenant = r->tenant;
    u->max = max;
    r->stream_ctx = u;
    r->stream_cleanup = upload_free;

    const char *clen = bh_http_header_get(r->http, "content-length");
    if (clen != NULL && strtoull(clen, NULL, 10) > max) {
        fail(&o, 413, "plugin_too_large", "the plugin is %s bytes, more than the %llu allowed",
             clen, (unsigned long long)max);
        goto refuse;
    }
    int rc = header_sig(r, "Baton-Plugin-Signature", &u->sig, why, sizeof why);
    if (rc == 1) {
        fail(&o, 400, "signature_required",
             "give the plugin's minisign signature, base64-encoded, in the "
             "Baton-Plugin-Signature header");
        goto refuse;
    }
    if (rc != 0) {
        fail(&o, 400, "invalid_signature", "%s", why);
        goto refuse;
    }
    baton_minisign_keyid_hex(u->sig.keynum, keyid);
    if (find_key(tc->plugin_signing_keys, tc->plugin_signing_key_count, &u->sig, &u->key) != 0) {
        if (tc->plugin_signing_key_count == 0)
            fail(&o, 403, "untrusted_key",
                 "signed with key %s, but tenant %s has no plugin_signing_keys", keyid,
                 r->tenant->id);
        else
            fail(&o, 403, "untrusted_key",
                 "signed with key %s, which is not among tenant %s's plugin_signing_keys", keyid,
                 r->tenant->id);
        goto refuse;
    }
    if (cfg->require_operator_signature) {
        rc = header_sig(r, "Baton-Operator-Signature", &u->op_sig, why, sizeof why);
        if (rc == 1) {
            fail(&o, 400, "operator_signature_required",
                 "this host's plugin policy requires a second signature by an operator key, "
                 "base64-encoded, in the Baton-Operator-Signature header");
            goto refuse;
        }
        if (rc != 0) {
            fail(&o, 400, "invalid_signature", "%s", why);
            goto refuse;
        }
        baton_minisign_keyid_hex(u->op_sig.keynum, keyid);
        if (find_key(cfg->operator_keys, cfg->operator_key_count, &u->op_sig, &u->op_key) != 0) {
            fail(&o, 403, "untrusted_key",
                 "the operator signature is by key %s, which is not among the operator keys",
                 keyid);
            goto refuse;
        }
        u->operator_signed = 1;
    }
    rc = header_config(r, &u->check_config, why, sizeof why);
    if (rc < 0) {
        fail(&o, 400, "invalid_config", "%s", why);
        goto refuse;
    }

    /* Step 2 starts: the tenant's state (opened on first use) and a
     * folder of this upload's own for the bytes. */
    if (bh_tenant_state_get(cfg->data_dir, r->tenant->id, &u->state, why, sizeof why) != 0) {
        bh_reply_error(r, 500, "upload_failed", "the tenant's storage is not available");
        return;
    }
    if (baton_sha256_new(&u->sha) != 0 || baton_minisign_prehash_new(&u->prehash) != 0) {
        bh_reply_out_of_memory(r, "preparing the plugin upload");
        return;
    }
    bh_store_new_id("plg_", id, sizeof id);
    if (bh_tenant_state_path(u->state, "tmp", id, u->dir, sizeof u->dir) != 0 ||
        mkdir(u->dir, 0700) != 0) {
        u->dir[0] = '\0';
        bh_reply_error(r, 500, "upload_failed", "cannot create the upload folder");
        return;
    }
    snprintf(u->file, sizeof u->file, "%s/upload.so", u->dir);
    u->fd = open(u->file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (u->fd < 0) {
        u->file[0] = '\0';
        bh_reply_error(r, 500, "upload_failed", "cannot create the upload file");
        return;
    }
    stream->on_chunk = on_chunk;
    stream->stream_ctx = u;
    /* The server's own limit sits above ours (by more than any one read),
     * so a chunked body over the limit meets on_chunk's precise error. */
    stream->max_bytes = max + (1u << 20);
    return;
refuse:
    refuse_upload_now(r, &o);
}

/* Replaces every "dir/" in s by nothing, so messages name the file by its
 * hash and never show the data directory. */
static void strip_dir(char *s, const char *dir)
{
    size_t dl = strlen(dir);
    char *p;
    while (dl > 0 && (p = strstr(s, dir)) != NULL) {
        size_t skip = dl + (p[dl] == '/' ? 1 : 0);
        memmove(p, p + skip, strlen(p + skip) + 1);
    }
}

/* The jurisdiction a smoke case gets: the plugin's own, else gb-ew. */
static char *smoke_case(const char *scope)
{
    const char *j = strncmp(scope, "jurisdiction:", 13) == 0 ? scope + 13 : "gb-ew";
    cJSON *c = cJSON_Parse(
        "{\"format\":\"baton-case/1\",\"case_id\":\"SMOKE-1\",\"as_of\":\"2025-06-30\","
        "\"creditor\":{\"name\":\"Smoke Test Supplies Ltd\",\"kind\":\"business\","
        "\"address\":{\"lines\":[\"1 Example Street\"],\"city\":\"Exampletown\","
        "\"postcode\":\"EX1 1AA\",\"country\":\"GB\"}},"
        "\"debtor\":{\"name\":\"Alex Example\",\"kind\":\"individual\",\"identity_verified\":true,"
        "\"address\":{\"lines\":[\"2 Sample Road\"],\"city\":\"Exampletown\","
        "\"postcode\":\"EX2 2BB\",\"country\":\"GB\"}},"
        "\"claim\":{\"principal\":{\"amount\":\"1250.00\",\"currency\":\"GBP\"},"
        "\"contract_type\":\"written\",\"contract_date\":\"2024-09-01\","
        "\"due_date\":\"2025-01-31\"},"
        "\"documents\":[{\"kind\":\"agreement\",\"date\":\"2024-09-01\"},"
        "{\"kind\":\"invoice\",\"date\":\"2025-01-01\",\"ref\":\"INV-1\"}]}");
    char *text = NULL;
    if (c != NULL && cJSON_AddStringToObject(c, "jurisdiction", j) != NULL)
        text = cJSON_PrintUnformatted(c);
    cJSON_Delete(c);
    return text;
}

/* The whole smoke run's time, and the letter kinds it tries: an upload
 * holds a thread of the pool meanwhile. */
#define SMOKE_BUDGET_MS   10000
#define SMOKE_MAX_LETTERS 16

/* Step 6: every capability once over the smoke case. The builder
 * operations are replayed into a result or letter the host throws away, so
 * they are validated as a request's would be. */
static int smoke_run(upload *u, bh_worker_sync *w, const bh_plugin_info *info)
{
    char why[600];
    int plugin_rc, rc = 0;
    uint64_t started = uv_hrtime() / 1000000;
    char *text = smoke_case(info->scope);
    unsigned caps = info->caps & (BH_CAP_FILING_RULES | BH_CAP_FEE_SCHEDULE);
    baton_result *result = bh_result_new();
    if (text == NULL || result == NULL) {
        rc = fail(&u->o, 503, "out_of_memory", "out of memory while checking the plugin");
        goto out;
    }
    bh_result_set_plugin(result, info->name);
    if (caps != 0 && bh_worker_sync_call(w, caps, "", "2025-06-30", text, strlen(text), "", result,
                                         NULL, &plugin_rc, why, sizeof why) != 0) {
        strip_dir(why, u->dir);
        rc = fail(&u->o, 422, "smoke_run_failed",
                  "plugin %s %s failed the smoke run (filing rules and fees over a built-in "
                  "case): %s",
                  info->name, info->version, why);
    }
    for (size_t i = 0; rc == 0 && (info->caps & BH_CAP_LETTER) && info->letter_kinds != NULL &&
                       info->letter_kinds[i] != NULL && i < SMOKE_MAX_LETTERS;
         i++) {
        const char *kind = info->letter_kinds[i];
        if (uv_hrtime() / 1000000 - started > SMOKE_BUDGET_MS) {
            rc = fail(&u->o, 422, "smoke_run_failed",
                      "plugin %s %s took more than %d ms for the smoke run (%zu letters "
                      "rendered); a plugin must answer a call in milliseconds",
                      info->name, info->version, SMOKE_BUDGET_MS, i);
            break;
        }
        baton_letter *letter = bh_letter_new();
        if (letter == NULL) {
            rc = fail(&u->o, 503, "out_of_memory", "out of memory while checking the plugin");
            break;
        }
        bh_letter_set_plugin(letter, info->name);
        if (bh_worker_sync_call(w, BH_CAP_LETTER, kind, "2025-06-30", text, strlen(text), "", NULL,
                                letter, &plugin_rc, why, sizeof why) != 0) {
            strip_dir(why, u->dir);
            rc = fail(&u->o, 422, "smoke_run_failed",
                      "plugin %s %s failed the smoke run (letter %s over a built-in case): %s",
                      info->name, info->version, kind, why);
        }
        bh_letter_free(letter);
    }
out:
    bh_result_free(result);
    free(text);
    return rc;
}

/* Step 5. */
static int scope_allowed(upload *u, const bh_plugin_info *info)
{
    const char *scope = info->scope;
    const char *id = u->tenant->id;
    if (strncmp(scope, "jurisdiction:", 13) == 0 && scope[13] != '\0')
        return 0;
    if (strncmp(scope, "agency:", 7) == 0 && strcmp(scope + 7, id) == 0)
        return 0;
    if (strncmp(scope, "agency:", 7) == 0)
        return fail(&u->o, 403, "scope_not_allowed",
                    "plugin %s has scope %s: tenant %s may upload agency:%s and jurisdiction "
                    "plugins only",
                    info->name, scope, id, id);
    return fail(&u->o, 403, "scope_not_allowed",
                "plugin %s has scope %s: a tenant may upload agency:%s and jurisdiction:<code> "
                "plugins only",
                info->name, scope, id);
}

/* The plugin.uploaded record of u, in the caller's transaction. */
static int audit_upload(upload *u, char *why, size_t len)
{
    cJSON *d = cJSON_CreateObject();
    char *text = NULL;
    int ok = d != NULL && cJSON_AddStringToObject(d, "sha256", u->v.sha256) != NULL &&
             cJSON_AddStringToObject(d, "version", u->v.version) != NULL &&
             cJSON_AddStringToObject(d, "scope", u->v.scope) != NULL &&
             cJSON_AddStringToObject(d, "sdk", u->v.sdk) != NULL &&
             cJSON_AddNumberToObject(d, "size", (double)u->v.size) != NULL &&
             cJSON_AddStringToObject(d, "signer", u->v.signer) != NULL &&
             cJSON_AddBoolToObject(d, "config", u->check_config != NULL) != NULL;
    if (ok && u->operator_signed) {
        char opid[BATON_MINISIGN_KEYID_HEX_LEN + 1];
        baton_minisign_keyid_hex(u->op_sig.keynum, opid);
        ok = cJSON_AddStringToObject(d, "operator_signer", opid) != NULL;
    }
    if (ok && u->existed)
        ok = cJSON_AddBoolToObject(d, "already_stored", 1) != NULL;
    if (ok)
        text = cJSON_PrintUnformatted(d);
    cJSON_Delete(d);
    if (text == NULL) {
        snprintf(why, len, "out of memory");
        return BATON_ENOMEM;
    }
    int rc = bh_audit_append(u->state, "plugin.uploaded", u->v.name, text, why, len);
    cJSON_free(text);
    return rc;
}

/* Steps 3-7, on the thread pool. */
static void upload_work(uv_work_t *work)
{
    upload *u = work->data;
    uint8_t prehash[BATON_MINISIGN_PREHASH_BYTES], digest[BATON_SHA256_BYTES];
    char why[900], named[PATH_MAX];
    bh_worker_sync *w = NULL;
    bh_plugin_info info;
    bh_plugin_activation top = {0};

    memset(&info, 0, sizeof info);
    baton_sha256_final(u->sha, digest);
    baton_sha256_hex(digest, u->v.sha256);
    baton_minisign_prehash_final(u->prehash, prehash);
    if (close(u->fd) != 0) {
        u->fd = -1;
        fail(&u->o, 500, "upload_failed", "the plugin could not be written to disk");
        goto refused;
    }
    u->fd = -1;

    /* 3. the signatures, against the bytes that arrived */
    if (baton_minisign_verify_prehashed(&u->key, &u->sig, prehash, why, sizeof why) != 0) {
        fail(&u->o, 400, "invalid_signature",
             "the signature does not match the uploaded plugin (sha256 %s): %s", u->v.sha256, why);
        goto refused;
    }
    if (u->operator_signed &&
        baton_minisign_verify_prehashed(&u->op_key, &u->op_sig, prehash, why, sizeof why) != 0) {
        fail(&u->o, 400, "invalid_signature",
             "the operator signature does not match the uploaded plugin (sha256 %s): %s",
             u->v.sha256, why);
        goto refused;
    }
    /* Named by its hash, so the worker's messages name it that way. */
    snprintf(named, sizeof named, "%s/%s.so", u->dir, u->v.sha256);
    if (rename(u->file, named) != 0) {
        fail(&u->o, 500, "upload_failed", "cannot prepare the plugin for its load check");
        goto refused;
    }
    snprintf(u->file, sizeof u->file, "%s", named);

    /* 4. the load check in a throwaway worker */
    if (bh_worker_sync_start(&u->config->isolation, u->tenant->id, u->file,
                             u->check_config != NULL ? u->check_config : "{}", 0, &w, &info, why,
                             sizeof why) != 0) {
        strip_dir(why, u->dir);
        /* The worker's words for a failed init (worker_main.c): say which
         * config it had and where a config goes. */
        if (strstr(why, "refused: init of ") == NULL)
            fail(&u->o, 422, "plugin_refused", "%s", why);
        else if (u->check_config == NULL)
            fail(&u->o, 422, "plugin_refused",
                 "%s (init failed with the empty config {}: give the config the load check "
                 "and smoke run should use, base64-encoded, in the Baton-Plugin-Config header)",
                 why);
        else
            fail(&u->o, 422, "plugin_refused",
                 "%s (init failed with the config of the Baton-Plugin-Config header)", why);
        goto refused;
    }
    u->sandbox = info.sandbox;
    if (!name_ok(info.name) || strlen(info.version) >= sizeof u->v.version ||
        strlen(info.scope) >= sizeof u->v.scope) {
        fail(&u->o, 422, "plugin_refused",
             "plugin name '%.80s' is not usable in URLs (1-63 of a-z, 0-9, '.', '_', '-'), or its "
             "version or scope is too long",
             info.name);
        goto refused;
    }
    snprintf(u->v.name, sizeof u->v.name, "%s", info.name);
    snprintf(u->v.version, sizeof u->v.version, "%s", info.version);
    snprintf(u->v.scope, sizeof u->v.scope, "%s", info.scope);
    snprintf(u->v.sdk, sizeof u->v.sdk, "%u.%u", info.sdk_major, info.sdk_minor);

    /* 5. whose plugin it may be; 6. the smoke run */
    if (scope_allowed(u, &info) != 0 || smoke_run(u, w, &info) != 0)
        goto refused;
    bh_worker_sync_stop(w);
    w = NULL;

    /* 7. stored and recorded */
    u->v.size = u->received;
    baton_minisign_keyid_hex(u->sig.keynum, u->v.signer);
    bh_store_now(u->v.uploaded, sizeof u->v.uploaded);
    /* The version and its audit record are kept together or not at all. */
    if (bh_store_begin(u->state->store, why, sizeof why) != 0) {
        fail(&u->o, 500, "upload_failed", "%s", why);
        goto refused;
    }
    if (bh_plugin_catalog_add(u->state, u->file, (size_t)u->max, &u->v, &u->existed, why,
                              sizeof why) != 0) {
        bh_store_rollback(u->state->store);
        strip_dir(why, u->dir);
        fail(&u->o, 500, "upload_failed", "%s", why);
        goto refused;
    }
    if (u->existed)
        bh_store_plugin_get(u->state->store, u->v.name, u->v.sha256, &u->v, why, sizeof why);
    if (bh_store_plugin_top(u->state->store, u->v.name, &top, NULL, why, sizeof why) == 0)
        u->active = strcmp(top.sha256, u->v.sha256) == 0;
    bh_plugin_activation_clear(&top);
    if (audit_upload(u, why, sizeof why) != 0) {
        bh_store_rollback(u->state->store);
        bh_log(BH_LOG_ERROR, "audit record not written; the upload was rolled back", "tenant",
               u->state->id, "detail", why, NULL);
        fail(&u->o, 500, "audit_failed",
             "the upload was not stored: its audit record could not be written");
        goto refused;
    }
    if (bh_store_commit(u->state->store, why, sizeof why) != 0) {
        fail(&u->o, 500, "upload_failed", "%s", why);
        goto refused;
    }
    bh_plugin_info_clear(&info);
    remove_temp(u); /* before the answer: nothing is left once it is out */
    return;
refused:
    bh_worker_sync_stop(w);
    remove_temp(u);
    audit_refusal(u->state, "plugin.refused", u->v.name[0] != '\0' ? u->v.name : "upload",
                  refusal_detail("upload", &u->o, u->v.sha256));
    bh_plugin_info_clear(&info);
}

static void add_sandbox(cJSON *o, unsigned bits)
{
    const char *names[8];
    size_t n = bh_sandbox_layers(bits, names, 8);
    cJSON *a = cJSON_AddArrayToObject(o, "sandbox");
    for (size_t i = 0; a != NULL && i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(names[i]));
}

static void upload_done(uv_work_t *work, int status)
{
    upload *u = work->data;
    bh_req *r = u->req;
    if (status == UV_ECANCELED) {
        bh_reply_error(r, 503, "unavailable", "batond is shutting down");
        return;
    }
    if (u->o.status != 0) {
        bh_reply_error(r, u->o.status, u->o.code, u->o.message);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", u->v.name);
    cJSON_AddStringToObject(o, "version", u->v.version);
    cJSON_AddStringToObject(o, "scope", u->v.scope);
    cJSON_AddStringToObject(o, "sdk", u->v.sdk);
    cJSON_AddStringToObject(o, "sha256", u->v.sha256);
    cJSON_AddStringToObject(o, "status", u->active ? "active" : "available");
    cJSON_AddNumberToObject(o, "size", (double)u->v.size);
    cJSON_AddStringToObject(o, "signer", u->v.signer);
    cJSON_AddStringToObject(o, "uploaded", u->v.uploaded);
    add_sandbox(o, u->sandbox);
    bh_reply_json(r, u->existed ? 200 : 201, o);
    cJSON_Delete(o);
}

void bh_api_plugin_upload(bh_req *r)
{
    upload *u = r->stream_ctx;
    if (u == NULL || u->fd < 0) {
        bh_reply_error(r, 500, "upload_failed", "the upload was not set up");
        return;
    }
    /* The slot is taken only now that the body is in: a client that sends
     * slowly holds no slot, and no one else's check waits for it. */
    if ((u->checking_slot = checking_take(r->tenant->id)) < 0) {
        outcome o = {0};
        fail(&o, 429, "upload_busy",
             "another upload of this tenant, or %d uploads in all, are being checked; retry "
             "shortly",
             UPLOADS_CHECKING);
        refuse_upload_now(r, &o);
        return;
    }
    u->work.data = u;
    if (uv_queue_work(r->loop, &u->work, upload_work, upload_done) != 0)
        bh_reply_error(r, 503, "unavailable", "cannot schedule the work");
}

/* ---- activate, rollback, delete ------------------------------------------- */

enum job_kind { JOB_ACTIVATE, JOB_ROLLBACK, JOB_DELETE };

static const char *const job_operation[] = {"activate", "rollback", "delete"};

typedef struct job {
    uv_work_t work;
    bh_req *req;
    enum job_kind kind;
    const bh_config *config;
    bh_tenant *tenant;
    char name[64];
    char sha256[65];
    cJSON *plugin_config; /* owned; NULL when none given */
    outcome o;
    cJSON *answer;
} job;

static void job_free(job *j)
{
    cJSON_Delete(j->plugin_config);
    cJSON_Delete(j->answer);
    free(j);
}

/* 1 when the tenant has some version of name. */
static int name_known(bh_tenant_state *st, const char *name)
{
    cJSON *list = NULL, *row;
    char why[256];
    int known = 0;
    if (bh_store_plugin_list(st->store, &list, why, sizeof why) == 0) {
        cJSON_ArrayForEach(row, list)
        {
            const cJSON *n = cJSON_GetObjectItemCaseSensitive(row, "name");
            known |= cJSON_IsString(n) && strcmp(n->valuestring, name) == 0;
        }
    }
    cJSON_Delete(list);
    return known;
}

/* 404 unknown_plugin when the tenant has no version of j's name: -1 then,
 * 0 when it has one. */
static int unknown_plugin(job *j, bh_tenant_state *st)
{
    if (name_known(st, j->name))
        return 0;
    return fail(&j->o, 404, "unknown_plugin", "tenant %s has uploaded no plugin named %s",
                j->tenant->id, j->name);
}

/* ENOENT from the catalog as the right 404: no version of name at all, or
 * not this one. */
static int not_found(job *j, bh_tenant_state *st)
{
    if (unknown_plugin(j, st) != 0)
        return -1;
    return fail(&j->o, 404, "unknown_version", "plugin %s has no version %s", j->name, j->sha256);
}

/* Makes a (a catalog activation: its sha256 and config) j's live version,
 * or leaves the name with no live version when path is NULL. */
static int swap_live(job *j, const char *path, const bh_plugin_activation *a, char *why,
                     size_t whylen)
{
    cJSON *cfg = path != NULL && a->config != NULL ? cJSON_Parse(a->config) : NULL;
    int rc = bh_tenant_activate(j->tenant, &j->config->isolation, j->name, path,
                                path != NULL ? a->sha256 : NULL, cfg, why, whylen);
    cJSON_Delete(cfg);
    return rc;
}

/* bh_tenant_activate's refusal as an answer. */
static int activate_failed(job *j, int rc, const char *why)
{
    if (rc == BATON_EEXIST)
        return fail(&j->o, 409, "scope_in_use", "%s", why);
    if (rc == BATON_EPLUGIN || rc == BATON_EVERSION || rc == BATON_EINVAL)
        return fail(&j->o, 422, "plugin_refused", "%s", why);
    return fail(&j->o, 500, "activation_failed", "%s", why);
}

/* A catalog change that was not committed: 500 audit_failed when its
 * audit record was what failed (docs/audit.md), else 500 code. */
static void change_failed(job *j, const change *c, const char *code, const char *what,
                          const char *why)
{
    if (!c->audit_failed) {
        fail(&j->o, 500, code, "%s", why);
        return;
    }
    bh_log(BH_LOG_ERROR, "audit record not written; the change was rolled back", "plugin", j->name,
           "step", what, "detail", why, NULL);
    fail(&j->o, 500, "audit_failed", "the %s was not done: its audit record could not be written",
         what);
}

static void run_activate(job *j, bh_tenant_state *st)
{
    char why[900], path[PATH_MAX], *text = NULL;
    bh_plugin_version v;
    bh_plugin_activation top = {0};
    int rc = bh_store_plugin_get(st->store, j->name, j->sha256, &v, why, sizeof why);
    if (rc == BATON_ENOENT) {
        not_found(j, st);
        return;
    }
    if (rc != 0 ||
        (rc = bh_store_plugin_top(st->store, j->name, &top, NULL, why, sizeof why)) != 0 ||
        (rc = bh_plugin_catalog_path(st, j->sha256, path, sizeof path)) != 0) {
        fail(&j->o, 500, "activation_failed", "%s", rc == BATON_EINVAL ? "bad sha256" : why);
        goto out;
    }
    if (j->plugin_config != NULL && (text = cJSON_PrintUnformatted(j->plugin_config)) == NULL) {
        fail(&j->o, 503, "out_of_memory", "out of memory while activating the plugin");
        goto out;
    }
    rc = bh_tenant_activate(j->tenant, &j->config->isolation, j->name, path, j->sha256,
                            j->plugin_config, why, sizeof why);
    if (rc != 0) {
        strip_dir(why, st->dir);
        activate_failed(j, rc, why);
        goto out;
    }
    cJSON *d = cJSON_CreateObject();
    if (d != NULL && (cJSON_AddStringToObject(d, "sha256", j->sha256) == NULL ||
                      cJSON_AddStringToObject(d, "version", v.version) == NULL ||
                      (top.sha256[0] != '\0' ? cJSON_AddStringToObject(d, "previous", top.sha256)
                                             : cJSON_AddNullToObject(d, "previous")) == NULL ||
                      cJSON_AddBoolToObject(d, "config", text != NULL) == NULL)) {
        cJSON_Delete(d);
        d = NULL;
    }
    change c = {.kind = CHANGE_PUSH, .name = j->name, .sha256 = j->sha256, .config = text};
    if ((rc = commit_with_audit(st, &c, "plugin.activated", j->name, d, why, sizeof why)) != 0) {
        /* Not recorded: put the live set back as the catalog has it. */
        char back[PATH_MAX], ignored[256];
        int has_back =
            top.sha256[0] != '\0' && bh_plugin_catalog_path(st, top.sha256, back, sizeof back) == 0;
        swap_live(j, has_back ? back : NULL, &top, ignored, sizeof ignored);
        change_failed(j, &c, "activation_failed", "activation", why);
        goto out;
    }

    j->answer = cJSON_CreateObject();
    cJSON_AddStringToObject(j->answer, "name", j->name);
    cJSON_AddStringToObject(j->answer, "version", v.version);
    cJSON_AddStringToObject(j->answer, "scope", v.scope);
    cJSON_AddStringToObject(j->answer, "sha256", j->sha256);
    cJSON_AddStringToObject(j->answer, "status", "active");
    cJSON_AddStringToObject(j->answer, "mode", "isolated");
    if (top.sha256[0] != '\0' && strcmp(top.sha256, j->sha256) != 0)
        cJSON_AddStringToObject(j->answer, "previous", top.sha256);
    else if (top.sha256[0] == '\0')
        cJSON_AddNullToObject(j->answer, "previous");
out:
    free(text);
    bh_plugin_activation_clear(&top);
}

static void run_rollback(job *j, bh_tenant_state *st)
{
    char why[900], path[PATH_MAX];
    bh_plugin_activation top = {0}, below = {0};
    int rc = bh_store_plugin_top(st->store, j->name, &top, &below, why, sizeof why);
    if (rc != 0) {
        fail(&j->o, 500, "rollback_failed", "%s", why);
        goto out;
    }
    if (top.sha256[0] == '\0') {
        if (unknown_plugin(j, st) == 0)
            fail(&j->o, 409, "nothing_to_roll_back", "plugin %s has no active version to roll back",
                 j->name);
        goto out;
    }
    if (below.sha256[0] != '\0' &&
        bh_plugin_catalog_path(st, below.sha256, path, sizeof path) != 0) {
        fail(&j->o, 500, "rollback_failed", "bad sha256 in the catalog");
        goto out;
    }
    /* With nothing below, the first activation is undone: the name is no
     * longer active. */
    if ((rc = swap_live(j, below.sha256[0] != '\0' ? path : NULL, &below, why, sizeof why)) != 0) {
        strip_dir(why, st->dir);
        activate_failed(j, rc, why);
        goto out;
    }
    cJSON *d = cJSON_CreateObject();
    if (d != NULL && (cJSON_AddStringToObject(d, "from", top.sha256) == NULL ||
                      (below.sha256[0] != '\0' ? cJSON_AddStringToObject(d, "to", below.sha256)
                                               : cJSON_AddNullToObject(d, "to")) == NULL)) {
        cJSON_Delete(d);
        d = NULL;
    }
    change c = {.kind = CHANGE_POP, .name = j->name, .sha256 = top.sha256};
    if ((rc = commit_with_audit(st, &c, "plugin.rolled_back", j->name, d, why, sizeof why)) != 0) {
        /* Not recorded: the live set goes back to the version still on top. */
        char back[PATH_MAX], ignored[256];
        if (bh_plugin_catalog_path(st, top.sha256, back, sizeof back) == 0)
            swap_live(j, back, &top, ignored, sizeof ignored);
        change_failed(j, &c, "rollback_failed", "rollback", why);
        goto out;
    }
    snprintf(j->sha256, sizeof j->sha256, "%s", top.sha256);

    j->answer = cJSON_CreateObject();
    cJSON_AddStringToObject(j->answer, "name", j->name);
    if (below.sha256[0] != '\0') {
        bh_plugin_version v;
        cJSON_AddStringToObject(j->answer, "sha256", below.sha256);
        if (bh_store_plugin_get(st->store, j->name, below.sha256, &v, why, sizeof why) == 0)
            cJSON_AddStringToObject(j->answer, "version", v.version);
        cJSON_AddStringToObject(j->answer, "status", "active");
    } else {
        cJSON_AddNullToObject(j->answer, "sha256");
        cJSON_AddStringToObject(j->answer, "status", "inactive");
    }
    cJSON_AddStringToObject(j->answer, "rolled_back_from", top.sha256);
out:
    bh_plugin_activation_clear(&top);
    bh_plugin_activation_clear(&below);
}

static void run_delete(job *j, bh_tenant_state *st)
{
    char why[600];
    bh_plugin_version v;
    change c = {.kind = CHANGE_REMOVE, .name = j->name, .sha256 = j->sha256};
    int rc = bh_store_plugin_get(st->store, j->name, j->sha256, &v, why, sizeof why);
    if (rc == 0) {
        cJSON *d = cJSON_CreateObject();
        if (d != NULL && (cJSON_AddStringToObject(d, "sha256", j->sha256) == NULL ||
                          cJSON_AddStringToObject(d, "version", v.version) == NULL)) {
            cJSON_Delete(d);
            d = NULL;
        }
        rc = commit_with_audit(st, &c, "plugin.deleted", j->name, d, why, sizeof why);
    }
    if (rc == BATON_ENOENT && !c.audit_failed) {
        not_found(j, st);
        return;
    }
    if (rc == BATON_EEXIST && !c.audit_failed) {
        fail(&j->o, 409, "version_active",
             "version %s of plugin %s is active: activate another version or roll back first",
             j->sha256, j->name);
        return;
    }
    if (rc != 0) {
        change_failed(j, &c, "delete_failed", "deletion", why);
        return;
    }
    bh_plugin_catalog_drop_file(st, j->sha256);
    j->answer = cJSON_CreateObject();
    cJSON_AddStringToObject(j->answer, "name", j->name);
    cJSON_AddStringToObject(j->answer, "version", v.version);
    cJSON_AddStringToObject(j->answer, "sha256", j->sha256);
    cJSON_AddStringToObject(j->answer, "status", "deleted");
}

static void job_run(job *j);

static void job_work(uv_work_t *work)
{
    job *j = work->data;
    /* Change the live set of the registry in use now: a reload may have
     * replaced the one this request began on. */
    bh_registry *cur = bh_registry_slot_acquire(j->req->slot);
    bh_tenant *began = j->tenant;
    const bh_config *began_config = j->config;
    const bh_tenant *now = cur != NULL ? bh_registry_find(cur, began->id) : NULL;
    if (now == NULL) {
        fail(&j->o, 409, "tenant_removed", "the tenant is no longer configured");
        bh_registry_unref(cur);
        return;
    }
    j->tenant = (bh_tenant *)now;
    j->config = cur->config;
    job_run(j);
    j->tenant = began;
    j->config = began_config;
    bh_registry_unref(cur);
}

static void job_run(job *j)
{
    bh_tenant_state *st;
    char why[300];
    if (bh_tenant_state_get(j->config->data_dir, j->tenant->id, &st, why, sizeof why) != 0) {
        fail(&j->o, 500, "tenant_state", "%s", why);
        return;
    }
    bh_plugin_catalog_lock(j->tenant->id);
    if (j->kind == JOB_ACTIVATE)
        run_activate(j, st);
    else if (j->kind == JOB_ROLLBACK)
        run_rollback(j, st);
    else
        run_delete(j, st);
    bh_plugin_catalog_unlock(j->tenant->id);
    if (j->o.status != 0)
        audit_refusal(st, "plugin.refused", j->name,
                      refusal_detail(job_operation[j->kind], &j->o, j->sha256));
}

static void job_done(uv_work_t *work, int status)
{
    job *j = work->data;
    bh_req *r = j->req;
    if (status == UV_ECANCELED)
        bh_reply_error(r, 503, "unavailable", "batond is shutting down");
    else if (j->o.status != 0 || j->answer == NULL)
        bh_reply_error(r, j->o.status ? j->o.status : 500, j->o.status ? j->o.code : "internal",
                       j->o.status ? j->o.message : "no answer");
    else
        bh_reply_json(r, 200, j->answer);
    job_free(j);
}

/* A job for r with its :name (and :sha256) checked; NULL when answered. */
static job *job_new(bh_req *r, enum job_kind kind)
{
    const char *name = bh_req_param(r, "name");
    const char *sha = bh_req_param(r, "sha256");
    job *j;
    if (name == NULL || !name_ok(name)) {
        bh_reply_error(r, 404, "unknown_plugin", "no uploaded plugin has that name");
        return NULL;
    }
    if (sha != NULL && !sha_ok(sha)) {
        bh_reply_error(r, 404, "unknown_version",
                       "a version is named by its sha256: 64 lower-case hex digits");
        return NULL;
    }
    if ((j = calloc(1, sizeof *j)) == NULL) {
        bh_reply_out_of_memory(r, "preparing the plugin upload");
        return NULL;
    }
    j->work.data = j;
    j->req = r;
    j->kind = kind;
    j->config = r->registry->config;
    /* The live set is the one mutable part of a tenant (tenant.h). */
    j->tenant = (bh_tenant *)r->tenant;
    snprintf(j->name, sizeof j->name, "%s", name);
    if (sha != NULL)
        snprintf(j->sha256, sizeof j->sha256, "%s", sha);
    return j;
}

static void queue(job *j)
{
    if (uv_queue_work(j->req->loop, &j->work, job_work, job_done) != 0) {
        bh_reply_error(j->req, 503, "unavailable", "cannot schedule the work");
        job_free(j);
    }
}

/* An activation body refused before any work: answered and audited. */
static void refuse_body(bh_req *r, job *j, const char *fmt, const char *a)
{
    outcome o = {0};
    fail(&o, 400, "invalid_request", fmt, a);
    audit_later(r, "plugin.refused", j->name, refusal_detail("activate", &o, NULL));
    bh_reply_error(r, o.status, o.code, o.message);
    job_free(j);
}

void bh_api_plugin_activate(bh_req *r)
{
    cJSON *body, *item;
    job *j = job_new(r, JOB_ACTIVATE);
    if (j == NULL)
        return;
    if (bh_req_json_body(r, &body) != 0) {
        job_free(j);
        return;
    }
    cJSON_ArrayForEach(item, body)
    {
        if (strcmp(item->string, "sha256") != 0 && strcmp(item->string, "config") != 0) {
            refuse_body(r, j, "%s: unknown field (expected \"sha256\" and optional \"config\")",
                        item->string);
            cJSON_Delete(body);
            return;
        }
    }
    const cJSON *sha = cJSON_GetObjectItemCaseSensitive(body, "sha256");
    cJSON *cfg = cJSON_GetObjectItemCaseSensitive(body, "config");
    if (!cJSON_IsString(sha) || !sha_ok(sha->valuestring)) {
        refuse_body(r, j, "sha256: expected the version's sha256 (64 lower-case hex digits)%s", "");
        cJSON_Delete(body);
        return;
    }
    if (cfg != NULL && !cJSON_IsObject(cfg) && !cJSON_IsNull(cfg)) {
        refuse_body(r, j, "config: expected an object%s", "");
        cJSON_Delete(body);
        return;
    }
    snprintf(j->sha256, sizeof j->sha256, "%s", sha->valuestring);
    if (cJSON_IsObject(cfg))
        j->plugin_config = cJSON_DetachItemViaPointer(body, cfg);
    cJSON_Delete(body);
    queue(j);
}

void bh_api_plugin_rollback(bh_req *r)
{
    job *j = job_new(r, JOB_ROLLBACK);
    if (j != NULL)
        queue(j);
}

void bh_api_plugin_delete(bh_req *r)
{
    job *j = job_new(r, JOB_DELETE);
    if (j != NULL)
        queue(j);
}
