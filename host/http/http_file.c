/*
 * http_file.c - answer bodies streamed from a file descriptor.
 *
 * Owns: reading a file body (bh_http_respond_file) chunk by chunk on the
 * thread pool and writing each chunk as it arrives, with at most
 * FILE_CHUNKS chunks per connection, and the file body's memory and
 * descriptor.
 * Does not own: the answer's head (http_response.c), the order of answers
 * (http_write.c).
 */
#include "http_internal.h"

#include <stdlib.h>
#include <unistd.h>

#define FILE_CHUNK (256 * 1024) /* one read of a file body */

static void fbody_free(struct fbody *fb)
{
    int i;

    if (fb->fd >= 0)
        close(fb->fd);
    for (i = 0; i < FILE_CHUNKS; i++)
        free(fb->ch[i].buf);
    free(fb);
}

/*
 * Lets go of an exchange's file body. A read still on the thread pool owns
 * the body from then on and frees it when it returns. Never called with a
 * write in flight: the write callbacks of a closing connection run before
 * its close callback releases the exchanges.
 */
void bh__http_file_release(bh_http_exchange *ex)
{
    struct fbody *fb = ex->file;

    if (fb == NULL)
        return;
    ex->file = NULL;
    if (fb->reading) {
        fb->ex = NULL;
        return;
    }
    fbody_free(fb);
}

static void file_read_cb(uv_fs_t *req);

/* Starts the next read when none runs and a chunk is free. */
static void file_read_next(bh_http_conn *c, struct fbody *fb)
{
    struct fchunk *ch = NULL;
    uint64_t left = fb->size - fb->read_off;
    size_t want = left < FILE_CHUNK ? (size_t)left : FILE_CHUNK;
    uv_buf_t b;
    int i;

    if (fb->reading || left == 0)
        return;
    for (i = 0; i < FILE_CHUNKS && ch == NULL; i++)
        if (!fb->ch[i].busy)
            ch = &fb->ch[i];
    if (ch == NULL)
        return; /* every chunk waits for the client */
    if (ch->cap < want) {
        char *p = realloc(ch->buf, want);
        if (p == NULL) {
            bh__http_close_conn(c);
            return;
        }
        ch->buf = p;
        ch->cap = want;
    }
    b = uv_buf_init(ch->buf, (unsigned int)want);
    fb->rreq.data = fb;
    if (uv_fs_read(c->srv->loop, &fb->rreq, fb->fd, &b, 1, (int64_t)fb->read_off, file_read_cb) !=
        0) {
        bh__http_close_conn(c);
        return;
    }
    ch->busy = 1;
    fb->rchunk = (int)(ch - fb->ch);
    fb->reading = 1;
}

/* The whole body has been written: the exchange is complete. */
static void file_done(bh_http_conn *c, struct fbody *fb)
{
    bh_http_exchange *ex = fb->ex;

    close(fb->fd);
    fb->fd = -1;
    bh__http_complete_written(c, &ex, 1, 1); /* frees fb */
    bh__http_after_writes(c);
}

/* Moves a file body on after a read or a write completed. */
static void file_step(bh_http_conn *c, struct fbody *fb)
{
    if (c->closed)
        return;
    if (fb->read_off == fb->size && fb->writes == 0 && !fb->reading) {
        file_done(c, fb);
        return;
    }
    file_read_next(c, fb);
    bh__http_arm_timer(c); /* a completed write is progress: the send timeout starts over */
}

static void file_write_cb(uv_write_t *w, int status)
{
    struct fchunk *ch = w->data;
    struct fbody *fb = ch->fb;
    bh_http_conn *c = fb->ex->conn;

    ch->busy = 0;
    fb->writes--;
    c->writes_pending--;
    if (status < 0) {
        bh__http_close_conn(c);
        return;
    }
    file_step(c, fb);
}

static void file_head_cb(uv_write_t *w, int status)
{
    struct fbody *fb = w->data;
    bh_http_conn *c = fb->ex->conn;

    fb->writes--;
    c->writes_pending--;
    if (status < 0) {
        bh__http_close_conn(c);
        return;
    }
    file_step(c, fb);
}

static void file_read_cb(uv_fs_t *req)
{
    struct fbody *fb = req->data;
    bh_http_exchange *ex = fb->ex;
    struct fchunk *ch = &fb->ch[fb->rchunk];
    ssize_t n = req->result;
    bh_http_conn *c;
    uv_buf_t b;

    uv_fs_req_cleanup(req);
    fb->reading = 0;
    ch->busy = 0;
    if (ex == NULL) {
        fbody_free(fb); /* the connection closed while the read ran */
        return;
    }
    c = ex->conn;
    if (c->closed)
        return; /* its close callback releases fb */
    if (n <= 0) {
        /* A read error, or the file ends before the announced size. The
         * head is out: only a short body can tell the client. */
        bh__http_close_conn(c);
        return;
    }
    ch->len = (size_t)n;
    fb->read_off += (uint64_t)n;
    ch->w.data = ch;
    ch->fb = fb;
    b = uv_buf_init(ch->buf, (unsigned int)ch->len);
    if (uv_write(&ch->w, (uv_stream_t *)&c->tcp, &b, 1, file_write_cb) != 0) {
        bh__http_close_conn(c);
        return;
    }
    ch->busy = 1;
    fb->writes++;
    c->writes_pending++;
    file_step(c, fb);
}

/* Writes the head of a file answer that is first in line and starts reading. */
void bh__http_file_begin(bh_http_conn *c, bh_http_exchange *ex)
{
    struct fbody *fb = ex->file;
    uv_buf_t b = uv_buf_init(ex->resp, (unsigned int)ex->resp_len);

    ex->in_write = 1;
    fb->hreq.data = fb;
    if (uv_write(&fb->hreq, (uv_stream_t *)&c->tcp, &b, 1, file_head_cb) != 0) {
        bh__http_close_conn(c);
        return;
    }
    fb->writes++;
    c->writes_pending++;
    file_read_next(c, fb);
    bh__http_arm_timer(c);
}
