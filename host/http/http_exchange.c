/*
 * http_exchange.c - exchanges: one request and its answer.
 *
 * Owns: starting an exchange at a request's first byte, the connection's
 * queue of exchanges (request order), the server's pool of exchanges for
 * reuse, exchanges orphaned by a client that went away, and reporting an
 * exchange complete (on_complete).
 * Does not own: what fills an exchange (http_request.c, http_response.c),
 * when it is written (http_write.c).
 */
#include "http_internal.h"

#include <stdlib.h>
#include <string.h>

#define POOL_MAX   256         /* exchanges kept for reuse per server */
#define ARENA_KEEP (16 * 1024) /* larger buffers are freed on reuse */
#define BODY_KEEP  (16 * 1024)
#define RESP_KEEP  (16 * 1024)

const bh_http_request *bh_http_exchange_request(const bh_http_exchange *ex)
{
    return ex ? &ex->req : NULL;
}

void bh__http_ex_free(bh_http_exchange *ex)
{
    bh__http_file_release(ex);
    bh__http_chunked_release(ex);
    free(ex->arena);
    free(ex->hpos);
    free(ex->hdrs);
    free(ex->body);
    free(ex->resp);
    free(ex->obody);
    free(ex->fail_body);
    free(ex);
}

void bh__http_ex_recycle(bh_http_exchange *ex)
{
    bh_http_server *s = ex->srv;

    bh__http_file_release(ex);
    bh__http_chunked_release(ex);
    free(ex->obody);
    ex->obody = NULL;
    free(ex->fail_body);
    ex->fail_body = NULL;
    if (s->freeing || s->pool_n >= POOL_MAX) {
        bh__http_ex_free(ex);
        return;
    }
    if (ex->acap > ARENA_KEEP) {
        free(ex->arena);
        ex->arena = NULL;
        ex->acap = 0;
    }
    if (ex->body_cap > BODY_KEEP) {
        free(ex->body);
        ex->body = NULL;
        ex->body_cap = 0;
    }
    if (ex->resp_cap > RESP_KEEP) {
        free(ex->resp);
        ex->resp = NULL;
        ex->resp_cap = 0;
    }
    ex->next = s->pool;
    s->pool = ex;
    s->pool_n++;
}

static void q_push(bh_http_conn *c, bh_http_exchange *ex)
{
    ex->next = NULL;
    ex->prev = c->qtail;
    if (c->qtail)
        c->qtail->next = ex;
    else
        c->qhead = ex;
    c->qtail = ex;
    c->qlen++;
}

void bh__http_q_remove(bh_http_conn *c, bh_http_exchange *ex)
{
    if (ex->prev)
        ex->prev->next = ex->next;
    else
        c->qhead = ex->next;
    if (ex->next)
        ex->next->prev = ex->prev;
    else
        c->qtail = ex->prev;
    ex->next = ex->prev = NULL;
    c->qlen--;
}

/* Starts a new exchange at the tail of c's queue and makes it current. */
bh_http_exchange *bh__http_ex_start(bh_http_conn *c)
{
    bh_http_server *s = c->srv;
    bh_http_exchange *ex = s->pool;

    if (ex != NULL) {
        s->pool = ex->next;
        s->pool_n--;
    } else {
        ex = calloc(1, sizeof(*ex));
        if (ex == NULL)
            return NULL;
    }
    ex->srv = s;
    ex->conn = c;
    memset(&ex->req, 0, sizeof(ex->req));
    memcpy(ex->peer, c->peer, sizeof(ex->peer));
    bh__http_make_request_id(ex->rid);
    ex->req.method = "";
    ex->req.target = "";
    ex->req.path = "";
    ex->req.query = "";
    ex->req.request_id = ex->rid;
    ex->req.peer = ex->peer;
    ex->req.http_minor = 1;
    ex->req.start_ns = uv_hrtime();
    ex->alen = 0;
    ex->hcount = 0;
    ex->target_len = 0;
    ex->head_bytes = 0;
    ex->last = PART_NONE;
    ex->body_len = 0;
    ex->body_limit = 0;
    ex->expect_len = 0;
    memset(&ex->stream, 0, sizeof(ex->stream));
    ex->state = EX_HEAD;
    ex->chunked = 0;
    ex->streaming = 0;
    ex->request_called = 0;
    ex->responded = 0;
    ex->in_write = 0;
    ex->expects_continue = 0;
    ex->want_continue = 0;
    ex->continue_sent = 0;
    ex->close_after = 0;
    ex->discard = 0;
    ex->in_chunk = 0;
    ex->is_head = 0;
    ex->orphan = 0;
    ex->fail_status = 0;
    ex->fail_len = 0;
    ex->status = 0;
    ex->resp_len = 0;
    ex->obody_len = 0;
    q_push(c, ex);
    c->cur = ex;
    s->in_flight++;
    return ex;
}

void bh__http_report_complete(bh_http_exchange *ex, int status, uint64_t bytes)
{
    bh_http_server *s = ex->srv;
    if (s->cb.on_complete && !s->freeing)
        s->cb.on_complete(s->app, &ex->req, status, bytes, uv_hrtime() - ex->req.start_ns);
}

/* An exchange that will never be answered (client gone before on_request). */
void bh__http_drop_unanswered(bh_http_exchange *ex)
{
    bh__http_stream_abort(ex);
    if (!ex->responded) {
        ex->responded = 1;
        ex->srv->in_flight--;
    }
    bh__http_report_complete(ex, 0, 0);
    bh__http_ex_recycle(ex);
}

void bh__http_orphan_unlink(bh_http_server *s, bh_http_exchange *ex)
{
    if (ex->prev)
        ex->prev->next = ex->next;
    else
        s->orphans = ex->next;
    if (ex->next)
        ex->next->prev = ex->prev;
    ex->next = ex->prev = NULL;
}
