/*
 * http_body_stream.c - request bodies streamed to the application.
 *
 * Owns: the application's side of a streamed body once on_headers asked
 * for one: resuming a paused stream, failing it (bh_http_stream_fail), and
 * telling the application the stream ends without on_request (on_abort).
 * Does not own: delivering chunks (cb_body in http_request.c), reading
 * (http_conn.c).
 */
#include "http_internal.h"

#include <stdlib.h>

/* Tells the application that a streamed body ends without on_request. */
void bh__http_stream_abort(bh_http_exchange *ex)
{
    if (!ex->streaming)
        return;
    ex->streaming = 0;
    ex->discard = 1;
    if (ex->stream.on_abort)
        ex->stream.on_abort(ex->stream.stream_ctx);
}

int bh__http_fail_stream_now(bh_http_conn *c, bh_http_exchange *ex)
{
    char *b = ex->fail_body;
    size_t len = ex->fail_len;
    int status = ex->fail_status ? ex->fail_status : 400;

    ex->fail_body = NULL;
    if (b == NULL)
        b = bh__http_json_error("bad_request", "the request body was refused", &len);
    bh__http_server_error_body(c, status, b, len);
    return BH_HPA_STOP;
}

void bh_http_resume(bh_http_exchange *ex)
{
    bh_http_conn *c;

    if (ex == NULL || ex->conn == NULL)
        return;
    c = ex->conn;
    if (ex->in_chunk) {
        c->resume_req = 1;
        return;
    }
    if (c->app_paused != ex || c->closed)
        return;
    c->app_paused = NULL;
    /* the pause was the application's: it does not count against the body */
    ex->body_start += uv_now(c->srv->loop) - ex->paused_at;
    bh__http_pump(c);
}

void bh_http_stream_fail(bh_http_exchange *ex, int status, const char *code, const char *message)
{
    bh_http_conn *c;

    if (ex == NULL || ex->responded || ex->conn == NULL)
        return;
    c = ex->conn;
    free(ex->fail_body);
    ex->fail_body = bh__http_json_error(code, message, &ex->fail_len);
    ex->fail_status = status >= 400 && status <= 599 ? status : 400;
    if (ex->in_chunk || c->in_parse || c->closed)
        return; /* acted on when the parser callback returns */
    if (ex->state == EX_DONE) {
        char *b = ex->fail_body;
        ex->fail_body = NULL;
        if (b == NULL)
            bh_http_respond_error(ex, ex->fail_status, code, message);
        else
            bh__http_respond_impl(ex, ex->fail_status, "application/json", NULL, ex->fail_len, NULL,
                                  b);
        return;
    }
    if (c->cur == ex) {
        bh__http_fail_stream_now(c, ex);
        bh__http_pump(c);
    }
}
