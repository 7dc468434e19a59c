/*
 * http_write.c - writing answers, in request order.
 *
 * Owns: the write path: taking the answered exchanges at the front of a
 * connection's queue (never one behind an unanswered one), writing several
 * at once (uv_try_write, then uv_write for the rest), "100 Continue", and
 * completing exchanges whose answer went out.
 * Does not own: composing answers (http_response.c), file bodies
 * (http_file.c), closing (http_conn.c).
 */
#include "http_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_BATCH 64 /* exchanges per write */

struct write_req {
    uv_write_t req;
    bh_http_conn *conn;
    size_t nex;
    bh_http_exchange *ex[MAX_BATCH];
};

/* Exchanges whose response went out (ok) or never will (!ok). */
void bh__http_complete_written(bh_http_conn *c, bh_http_exchange **exs, size_t n, int ok)
{
    size_t i;

    for (i = 0; i < n; i++) {
        bh_http_exchange *ex = exs[i];
        uint64_t bytes = ex->resp_len + ex->obody_len + (ex->file ? ex->file->size : 0) +
                         (ex->chunked_out ? ex->chunked_out->sent : 0);
        bh__http_q_remove(c, ex);
        ex->in_write = 0;
        if (ex == c->cur) {
            /* an early answer went out while its body was still arriving */
            c->cur = NULL;
            c->no_more = 1;
        }
        if (ex->close_after)
            c->close_pending = 1;
        bh__http_report_complete(ex, ok ? ex->status : 0, ok ? bytes : 0);
        bh__http_ex_recycle(ex);
    }
    c->pump_again = 1; /* the queue shrank: parsing may go on */
}

void bh__http_after_writes(bh_http_conn *c)
{
    if (c->closed)
        return;
    if (c->close_pending && c->writes_pending == 0) {
        bh__http_begin_close(c);
        return;
    }
    bh__http_pump(c);
}

static void write_cb(uv_write_t *req, int status)
{
    struct write_req *wr = (struct write_req *)req;
    bh_http_conn *c = wr->conn;

    c->writes_pending--;
    bh__http_complete_written(c, wr->ex, wr->nex, status == 0);
    free(wr);
    if (status < 0) {
        bh__http_close_conn(c);
        return;
    }
    bh__http_after_writes(c);
}

static const char continue_line[] = "HTTP/1.1 100 Continue\r\n\r\n";

static void flush_once(bh_http_conn *c)
{
    uv_buf_t bufs[2 * MAX_BATCH + 1];
    bh_http_exchange *exs[MAX_BATCH];
    size_t nb = 0, nex = 0, total = 0, i;
    bh_http_exchange *ex;
    struct write_req *wr;
    int r;

    for (ex = c->qhead; ex != NULL && nex < MAX_BATCH; ex = ex->next) {
        if (ex->in_write) {
            if (ex->chunked_out != NULL)
                bh__http_chunked_flush(c, ex);
            if (ex->file != NULL || ex->chunked_out != NULL)
                break; /* nothing overtakes a body being sent */
            continue;
        }
        if (ex->chunked_out != NULL) {
            /* its head may go out while its request body still arrives */
            if (nb == 0) {
                bh__http_chunked_begin(c, ex);
                return;
            }
            c->flush_again = 1; /* once the answers before it are queued */
            break;
        }
        if (!ex->responded || (ex->state != EX_DONE && !ex->close_after)) {
            if (ex->want_continue && !ex->responded) {
                bufs[nb++] = uv_buf_init((char *)continue_line, sizeof(continue_line) - 1);
                total += sizeof(continue_line) - 1;
                ex->want_continue = 0;
                ex->continue_sent = 1;
            }
            break;
        }
        if (ex->file != NULL) {
            if (nb == 0) {
                bh__http_file_begin(c, ex);
                return;
            }
            c->flush_again = 1; /* once the answers before it are queued */
            break;
        }
        bufs[nb].base = ex->resp;
        bufs[nb++].len = ex->resp_len;
        total += ex->resp_len;
        if (ex->obody_len > 0) {
            bufs[nb].base = ex->obody;
            bufs[nb++].len = ex->obody_len;
            total += ex->obody_len;
        }
        ex->in_write = 1;
        exs[nex++] = ex;
        if (ex->close_after)
            break;
    }
    if (nb == 0)
        return;
    r = 0;
    if (c->writes_pending == 0) {
        r = uv_try_write((uv_stream_t *)&c->tcp, bufs, (unsigned int)nb);
        if (r == UV_EAGAIN || r == UV_ENOSYS)
            r = 0;
        if (r < 0) {
            for (i = 0; i < nex; i++)
                exs[i]->in_write = 0;
            bh__http_close_conn(c);
            return;
        }
        if ((size_t)r == total) {
            bh__http_complete_written(c, exs, nex, 1);
            if (!c->close_pending)
                c->flush_again = 1; /* more may be ready */
            return;
        }
    }
    /* skip what the socket took, queue the rest */
    i = 0;
    while (r > 0) {
        if ((size_t)r >= bufs[i].len) {
            r -= (int)bufs[i].len;
            i++;
        } else {
            bufs[i].base += r;
            bufs[i].len -= (size_t)r;
            r = 0;
        }
    }
    wr = malloc(sizeof(*wr));
    if (wr == NULL) {
        for (i = 0; i < nex; i++)
            exs[i]->in_write = 0;
        bh__http_close_conn(c);
        return;
    }
    wr->conn = c;
    wr->nex = nex;
    memcpy(wr->ex, exs, nex * sizeof(exs[0]));
    if (uv_write(&wr->req, (uv_stream_t *)&c->tcp, bufs + i, (unsigned int)(nb - i), write_cb) !=
        0) {
        for (i = 0; i < nex; i++)
            exs[i]->in_write = 0;
        free(wr);
        bh__http_close_conn(c);
        return;
    }
    c->writes_pending++;
    bh__http_arm_timer(c);
}

/* Writes what is ready; only bh__http_pump() calls it. */
void bh__http_flush(bh_http_conn *c)
{
    int rounds = 0;

    if (c->closed || c->in_flush)
        return;
    c->in_flush = 1;
    do {
        c->flush_again = 0;
        flush_once(c);
    } while (c->flush_again && !c->closed && ++rounds < 1000);
    c->in_flush = 0;
    if (!c->closed && c->close_pending && c->writes_pending == 0)
        bh__http_begin_close(c);
}
