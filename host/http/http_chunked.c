/*
 * http_chunked.c - answer bodies the application writes as it goes.
 *
 * Owns: bh_http_respond_chunked and the writes after it: collecting what
 * the application writes, sending it as chunks (RFC 9112 section 7.1) one
 * write at a time, telling the application when a write completed (its
 * backpressure), the last chunk, and cutting the answer short when the
 * request failed after its head went out.
 * Does not own: the answer's head (http_response.c), the order of answers
 * (http_write.c), the request body, which keeps arriving meanwhile
 * (http_request.c, http_body_stream.c).
 */
#include "http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char last_chunk[] = "0\r\n\r\n";

void bh__http_chunked_release(bh_http_exchange *ex)
{
    struct cbody *cb = ex->chunked_out;

    if (cb == NULL)
        return;
    ex->chunked_out = NULL;
    free(cb->buf[0]);
    free(cb->buf[1]);
    free(cb);
}

static void chunked_write_cb(uv_write_t *w, int status);

/* Starts the next write when none is in flight: the head (once), the
 * collected pieces as one chunk, and the last chunk once the application
 * ended. A cut answer closes the connection once what it held is out. */
static void chunked_next(bh_http_conn *c, struct cbody *cb)
{
    bh_http_exchange *ex = cb->ex;
    uv_buf_t b[5]; /* head, chunk size, data, CRLF, last chunk */
    unsigned nb = 0;
    int i = cb->fill;
    size_t len = cb->len[i];

    if (c->closed || cb->writing || !ex->in_write)
        return;
    if (ex->resp_len > 0) {
        b[nb++] = uv_buf_init(ex->resp, (unsigned int)ex->resp_len);
        cb->sent += ex->resp_len;
        ex->resp_len = 0; /* counted in sent from now on */
    }
    if (len > 0) {
        if (cb->framing == FRAME_CHUNKED) {
            int n = snprintf(cb->frame[i], sizeof cb->frame[i], "%zx\r\n", len);
            b[nb++] = uv_buf_init(cb->frame[i], (unsigned int)n);
            cb->sent += (uint64_t)n + 2;
        }
        b[nb++] = uv_buf_init(cb->buf[i], (unsigned int)len);
        if (cb->framing == FRAME_CHUNKED)
            b[nb++] = uv_buf_init((char *)last_chunk + 1, 2); /* CRLF */
        cb->sent += len;
        cb->fill = !i;
    }
    if (cb->ended && !cb->cut && !cb->last_sent) {
        if (cb->framing == FRAME_CHUNKED) {
            b[nb++] = uv_buf_init((char *)last_chunk, sizeof last_chunk - 1);
            cb->sent += sizeof last_chunk - 1;
        }
        cb->last_sent = 1;
    }
    if (nb == 0) {
        if (cb->cut)
            bh__http_close_conn(c);
        return;
    }
    cb->wbuf = len > 0 ? i : -1;
    cb->w.data = cb;
    if (uv_write(&cb->w, (uv_stream_t *)&c->tcp, b, nb, chunked_write_cb) != 0) {
        bh__http_close_conn(c);
        return;
    }
    cb->writing = 1;
    c->writes_pending++;
    bh__http_arm_timer(c);
}

static void chunked_write_cb(uv_write_t *w, int status)
{
    struct cbody *cb = w->data;
    bh_http_exchange *ex = cb->ex;
    bh_http_conn *c = ex->conn;

    cb->writing = 0;
    c->writes_pending--;
    if (cb->wbuf >= 0)
        cb->len[cb->wbuf] = 0;
    if (status < 0) {
        bh__http_close_conn(c);
        return;
    }
    if (cb->last_sent) {
        if (cb->framing == FRAME_CLOSE)
            ex->close_after = 1;
        bh__http_complete_written(c, &ex, 1, 1); /* frees cb */
        bh__http_after_writes(c);
        return;
    }
    chunked_next(c, cb);
    if (!c->closed && !cb->cut && !cb->ended && cb->on_writable != NULL)
        cb->on_writable(cb->ctx);
}

void bh__http_chunked_begin(bh_http_conn *c, bh_http_exchange *ex)
{
    ex->in_write = 1;
    chunked_next(c, ex->chunked_out);
}

/* Called from http_write.c's flush for an answer already being written. */
void bh__http_chunked_flush(bh_http_conn *c, bh_http_exchange *ex)
{
    chunked_next(c, ex->chunked_out);
}

void bh__http_chunked_cut(bh_http_conn *c, bh_http_exchange *ex)
{
    struct cbody *cb = ex->chunked_out;

    cb->cut = 1;
    ex->close_after = 1;
    if (ex->in_write && !cb->writing)
        chunked_next(c, cb);
    else if (!ex->in_write)
        bh__http_close_conn(c); /* not first in line: nothing of it went out */
}

int bh_http_respond_chunked(bh_http_exchange *ex, int status, const char *content_type,
                            const char *const *extra_headers, void (*on_writable)(void *ctx),
                            void *ctx)
{
    bh_http_conn *c;
    struct cbody *cb;

    if (ex == NULL || ex->responded || ex->chunked_out != NULL || ex->is_head)
        return -1;
    c = ex->conn;
    if (c == NULL || c->closed || ex->discard)
        return -1;
    cb = calloc(1, sizeof(*cb));
    if (cb == NULL)
        return -1;
    if (status < 200 || status > 999 || status == 204 || status == 304)
        status = 500;
    cb->ex = ex;
    cb->wbuf = -1;
    cb->on_writable = on_writable;
    cb->ctx = ctx;
    /* An HTTP/1.0 client knows no chunked coding: the body ends with the
     * connection (RFC 9112 section 6.3, rule 8). */
    cb->framing = ex->req.http_minor == 0 ? FRAME_CLOSE : FRAME_CHUNKED;
    if (!ex->req.keep_alive || cb->framing == FRAME_CLOSE || c->srv->draining)
        ex->close_after = 1;
    ex->status = status;
    ex->want_continue = 0;
    if (bh__http_put_head(ex, status, content_type, cb->framing, 0, extra_headers, 0) != 0) {
        free(cb);
        return -1;
    }
    ex->chunked_out = cb;
    bh__http_pump(c);
    return 0;
}

int bh_http_chunked_write(bh_http_exchange *ex, const void *data, size_t len)
{
    struct cbody *cb;
    bh_http_conn *c;
    int i;

    if (ex == NULL || (cb = ex->chunked_out) == NULL || cb->ended || cb->cut)
        return -1;
    c = ex->conn;
    if (c == NULL || c->closed)
        return -1;
    if (len == 0)
        return 0;
    i = cb->fill;
    if (cb->len[i] + len > cb->cap[i] &&
        bh__http_grow(&cb->buf[i], &cb->cap[i], cb->len[i] + len) != 0)
        return -1;
    memcpy(cb->buf[i] + cb->len[i], data, len);
    cb->len[i] += len;
    /* While the connection parses, the flush after it sends what the
     * parsed requests produced together. */
    if (!c->in_parse && !c->in_pump)
        chunked_next(c, cb);
    return 0;
}

size_t bh_http_chunked_queued(const bh_http_exchange *ex)
{
    const struct cbody *cb = ex != NULL ? ex->chunked_out : NULL;

    if (cb == NULL)
        return 0;
    return cb->len[0] + cb->len[1];
}

void bh_http_chunked_end(bh_http_exchange *ex)
{
    struct cbody *cb;
    bh_http_server *s;
    bh_http_conn *c;

    if (ex == NULL || (cb = ex->chunked_out) == NULL || cb->ended || ex->responded)
        return;
    s = ex->srv;
    c = ex->conn;
    cb->ended = 1;
    ex->responded = 1;
    s->in_flight--;
    if (c == NULL) {
        /* the client went away while the application worked */
        bh__http_report_complete(ex, 0, 0);
        bh__http_orphan_unlink(s, ex);
        ex->orphan = 0;
        bh__http_ex_recycle(ex);
        bh__http_check_drain(s);
        return;
    }
    if (c->closed)
        return; /* its close callback reports it */
    if (ex->state != EX_DONE) {
        /* ended before the whole body arrived: drop the rest of it */
        bh__http_stream_abort(ex);
        ex->discard = 1;
        ex->close_after = 1;
        if (c->app_paused == ex)
            c->app_paused = NULL;
    }
    if (!c->in_parse && !c->in_pump)
        chunked_next(c, cb);
    bh__http_pump(c);
}
