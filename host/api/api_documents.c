/*
 * api_documents.c - PUT /v1/documents?name=FILE: an agency uploads one
 * document (raw body, any size) to use in later handoffs.
 *
 * The body is streamed: each chunk is written to a temporary file in the
 * tenant's documents folder and fed to SHA-256 as it arrives, so memory
 * stays bounded whatever the size. The write goes to the page cache on the
 * loop thread (microseconds per chunk); the fsync, the rename into place
 * and the store insert run on the thread pool. Nothing is kept when the
 * upload fails or the client goes away.
 *
 * Answers 201 {"id","name","size","sha256","created"}, or
 *   400 invalid_document_name  name missing or not a safe bag file name
 *   413 body_too_large         above the upload limit (BH_UPLOAD_MAX)
 *   500 upload_failed          the disk write failed
 *   500 audit_failed           the audit record could not be written; the
 *                              document was not kept (docs/audit.md)
 *   503 out_of_memory          (router.h)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "audit_log.h"
#include "baton/docindex.h"
#include "baton/sha256.h"
#include "router.h"
#include "tenant_state.h"

/* Largest single document accepted: 16 GiB. */
#define BH_UPLOAD_MAX ((uint64_t)16 << 30)

void bh_api_document_put(bh_req *r);
void bh_api_document_put_stream(bh_req *r, bh_http_body_stream *stream);

typedef struct upload {
    uv_work_t work;
    bh_req *req;
    bh_tenant_state *state;
    int fd;
    char tmp[PATH_MAX];
    baton_sha256 *hash;
    bh_document doc;
    int failed; /* errno of a failed write */
    /* results of the work */
    int rc;
    int audit_failed; /* the audit record was what failed */
    char err[300];
} upload;

static void upload_free(bh_req *r)
{
    upload *u = r->stream_ctx;
    if (u == NULL)
        return;
    if (u->fd >= 0)
        close(u->fd);
    if (u->tmp[0] != '\0')
        unlink(u->tmp);
    baton_sha256_free(u->hash);
    free(u);
    r->stream_ctx = NULL;
}

static int on_chunk(void *ctx, const char *data, size_t len)
{
    upload *u = ctx;
    if (u->failed)
        return -1;
    baton_sha256_update(u->hash, data, len);
    while (len > 0) {
        ssize_t n = write(u->fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            u->failed = n < 0 ? errno : ENOSPC;
            bh_http_stream_fail(u->req->ex, 500, "upload_failed",
                                "the document could not be written to disk");
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

void bh_api_document_put_stream(bh_req *r, bh_http_body_stream *stream)
{
    char name[BATON_DOCINDEX_NAME_MAX + 1];
    char why[256];
    upload *u;
    if (bh_http_query_value(r->http, "name", name, sizeof name) != 0 || name[0] == '\0') {
        bh_reply_error(r, 400, "invalid_document_name",
                       "give the file name as ?name=... (percent-encoded)");
        return;
    }
    /* Any name a file may have (control characters excepted); it travels
     * in the package's document index (baton/docindex.h). */
    why[0] = '\0';
    if (baton_docindex_name_check(name, why, sizeof why) != 0 ||
        strlen(name) >= sizeof(((bh_document *)0)->name)) {
        char msg[400];
        snprintf(msg, sizeof msg, "name: not a document name: %s",
                 why[0] != '\0' ? why : "too long");
        bh_reply_error(r, 400, "invalid_document_name", msg);
        return;
    }
    u = calloc(1, sizeof *u);
    if (u == NULL || baton_sha256_new(&u->hash) != 0) {
        free(u);
        bh_reply_out_of_memory(r, "storing the document");
        return;
    }
    u->fd = -1;
    u->req = r;
    r->stream_ctx = u;
    r->stream_cleanup = upload_free;
    snprintf(u->doc.name, sizeof u->doc.name, "%s", name);
    /* Opening the tenant's state touches disk only on its first use. */
    if (bh_tenant_state_get(r->registry->config->data_dir, r->tenant->id, &u->state, why,
                            sizeof why) != 0) {
        bh_reply_error(r, 500, "upload_failed", "the tenant's storage is not available");
        return;
    }
    bh_store_new_id("doc_", u->doc.id, sizeof u->doc.id);
    bh_tenant_state_path(u->state, "tmp", u->doc.id, u->tmp, sizeof u->tmp);
    u->fd = open(u->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (u->fd < 0) {
        u->tmp[0] = '\0';
        bh_reply_error(r, 500, "upload_failed", "cannot create the upload file");
        return;
    }
    stream->on_chunk = on_chunk;
    stream->stream_ctx = u;
    stream->max_bytes = BH_UPLOAD_MAX;
}

static void finish_work(uv_work_t *w)
{
    upload *u = w->data;
    char final[PATH_MAX];
    uint8_t digest[32];
    u->rc = -1;
    if (fsync(u->fd) != 0 || close(u->fd) != 0) {
        u->fd = -1;
        snprintf(u->err, sizeof u->err, "cannot flush the document to disk");
        return;
    }
    u->fd = -1;
    bh_tenant_state_path(u->state, "documents", u->doc.id, final, sizeof final);
    if (rename(u->tmp, final) != 0) {
        snprintf(u->err, sizeof u->err, "cannot move the document into place");
        return;
    }
    u->tmp[0] = '\0';
    if (bh_tenant_state_sync_dir(u->state, "documents") != 0) {
        unlink(final);
        snprintf(u->err, sizeof u->err, "cannot flush the documents folder");
        return;
    }
    snprintf(u->doc.path, sizeof u->doc.path, "%s", final);
    baton_sha256_final(u->hash, digest);
    baton_sha256_hex(digest, u->doc.sha256);
    bh_store_now(u->doc.created, sizeof u->doc.created);
    char detail[400];
    snprintf(detail, sizeof detail, "{\"size\":%llu,\"sha256\":\"%s\"}",
             (unsigned long long)u->doc.size, u->doc.sha256);
    /* The document and its audit record are kept together or not at all
     * (docs/audit.md). */
    if (bh_store_begin(u->state->store, u->err, sizeof u->err) != 0) {
        unlink(final);
        return;
    }
    if (bh_store_document_add(u->state->store, &u->doc, u->err, sizeof u->err) != 0 ||
        (u->audit_failed = bh_audit_append(u->state, "document.uploaded", u->doc.id, detail, u->err,
                                           sizeof u->err) != 0)) {
        bh_store_rollback(u->state->store);
        unlink(final);
        return;
    }
    if (bh_store_commit(u->state->store, u->err, sizeof u->err) != 0) {
        unlink(final);
        return;
    }
    u->rc = 0;
}

static void finish_done(uv_work_t *w, int status)
{
    upload *u = w->data;
    bh_req *r = u->req;
    if (status == UV_ECANCELED) {
        bh_reply_error(r, 503, "unavailable", "batond is shutting down");
        return;
    }
    if (u->rc != 0 && u->audit_failed) {
        bh_reply_error(r, 500, "audit_failed",
                       "the document was not kept: its audit record could not be written");
        return;
    }
    if (u->rc != 0) {
        bh_reply_error(r, 500, "upload_failed", u->err);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    if (o == NULL || cJSON_AddStringToObject(o, "id", u->doc.id) == NULL ||
        cJSON_AddStringToObject(o, "name", u->doc.name) == NULL ||
        cJSON_AddNumberToObject(o, "size", (double)u->doc.size) == NULL ||
        cJSON_AddStringToObject(o, "sha256", u->doc.sha256) == NULL ||
        cJSON_AddStringToObject(o, "created", u->doc.created) == NULL) {
        cJSON_Delete(o);
        /* The document is stored and audited ("document.uploaded"); only
         * the answer could not be built. */
        bh_reply_out_of_memory(r, "answering; the document was stored, see the audit log");
        return;
    }
    bh_reply_json(r, 201, o);
    cJSON_Delete(o);
}

void bh_api_document_put(bh_req *r)
{
    upload *u = r->stream_ctx;
    if (u == NULL || u->fd < 0) {
        bh_reply_error(r, 500, "upload_failed", "the upload was not set up");
        return;
    }
    u->doc.size = r->http->body_len;
    u->work.data = u;
    if (uv_queue_work(r->loop, &u->work, finish_work, finish_done) != 0)
        bh_reply_error(r, 503, "unavailable", "cannot schedule the work");
}
