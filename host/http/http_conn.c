/*
 * http_conn.c - one HTTP connection, from accept to close.
 *
 * Owns: accepting a connection, reading into the server's shared buffer
 * and keeping what could not be parsed yet, deciding when to read,
 * bh__http_pump() (the one place that moves a connection on), the end of
 * input, the half-close and linger after the last answer, and closing and
 * releasing the connection (handing exchanges the application still holds
 * to the server's orphans).
 * Does not own: what a parsed byte means (http_request.c), the timeouts
 * (http_timeout.c), writing answers (http_write.c), exchanges
 * (http_exchange.c).
 */
#include "http_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

/* Unparsed input a connection keeps between requests; a larger buffer is
 * freed once it has been parsed. */
#define PEND_KEEP (16 * 1024)

/* ---------------------------------------------------------------- input */

/* Parses data; returns the bytes consumed. Never flushes (callers do). */
static size_t parse_input(bh_http_conn *c, const char *data, size_t len)
{
    size_t n;

    c->in_parse = 1;
    bh_hpa_resume(c->hp);
    n = bh_hpa_execute(c->hp, data, len);
    c->in_parse = 0;
    if (c->closed || c->errored)
        return n;
    if (bh_hpa_status(c->hp) == BH_HPA_ERROR) {
        switch (bh_hpa_error(c->hp)) {
        case BH_HPA_E_HEADER_OVERFLOW:
            bh__http_server_error(c, 431, "headers_too_large",
                                  "the request line and headers are too large");
            break;
        case BH_HPA_E_SYNTAX:
            bh__http_server_error(c, 400, "bad_request", bh_hpa_error_text(c->hp));
            break;
        default:
            bh__http_close_conn(c);
            break;
        }
    }
    return n;
}

static int may_start_request(bh_http_conn *c)
{
    return !c->srv->draining && c->qlen < c->srv->limits.max_pipelined;
}

static void update_reading(bh_http_conn *c);

static void read_alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    bh_http_conn *c = h->data;
    (void)suggested;
    buf->base = c->srv->rbuf;
    buf->len = READ_BUF_SIZE;
}

static int pend_append(bh_http_conn *c, const char *data, size_t len)
{
    if (c->pend_off > 0 && c->pend_off == c->pend_len)
        c->pend_off = c->pend_len = 0;
    if (bh__http_grow(&c->pend, &c->pend_cap, c->pend_len + len) != 0)
        return -ENOMEM;
    memcpy(c->pend + c->pend_len, data, len);
    c->pend_len += len;
    return 0;
}

/* Drops the partial request being parsed (the client went away). */
static void abort_current(bh_http_conn *c)
{
    bh_http_exchange *ex = c->cur;

    if (ex == NULL)
        return;
    c->cur = NULL;
    if (c->app_paused == ex)
        c->app_paused = NULL;
    ex->state = EX_DONE;
    bh__http_stream_abort(ex);
    if (ex->chunked_out != NULL && !ex->responded) {
        /* its answer began: what was written goes out, then the end */
        bh__http_chunked_cut(c, ex);
        return;
    }
    if (ex->responded) {
        ex->close_after = 1;
        return;
    }
    bh__http_q_remove(c, ex);
    bh__http_drop_unanswered(ex);
}

static void on_eof(bh_http_conn *c)
{
    c->eof = 1;
    c->no_more = 1;
    if (c->lingering) {
        bh__http_close_conn(c);
        return;
    }
    abort_current(c);
    c->pend_off = c->pend_len = 0;
    if (c->qlen == 0 && c->writes_pending == 0) {
        bh__http_close_conn(c);
        return;
    }
    bh__http_pump(c);
}

static void read_cb(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    bh_http_conn *c = st->data;
    size_t n;

    if (nread == 0 || c->closed)
        return;
    if (nread < 0) {
        if (nread == UV_EOF)
            on_eof(c);
        else
            bh__http_close_conn(c);
        return;
    }
    if (c->lingering || c->no_more)
        return; /* dropped */
    if (c->pend_len > c->pend_off || c->app_paused) {
        if (pend_append(c, buf->base, (size_t)nread) != 0)
            bh__http_close_conn(c);
        bh__http_pump(c);
        return;
    }
    n = parse_input(c, buf->base, (size_t)nread);
    if (!c->closed && !c->no_more && n < (size_t)nread) {
        if (pend_append(c, buf->base + n, (size_t)nread - n) != 0) {
            bh__http_close_conn(c);
            return;
        }
    }
    bh__http_pump(c);
}

static void update_reading(bh_http_conn *c)
{
    int want;

    if (c->closed)
        return;
    if (c->lingering)
        want = 1;
    else if (c->eof || c->no_more || c->app_paused != NULL || c->pend_len > c->pend_off)
        want = 0;
    else if (bh_hpa_phase(c->hp) == BH_HPA_IDLE && !may_start_request(c))
        want = 0;
    else
        want = 1;
    if (want && !c->reading) {
        if (uv_read_start((uv_stream_t *)&c->tcp, read_alloc_cb, read_cb) != 0) {
            bh__http_close_conn(c);
            return;
        }
        c->reading = 1;
    } else if (!want && c->reading) {
        uv_read_stop((uv_stream_t *)&c->tcp);
        c->reading = 0;
    }
}

/*
 * Parses kept input while nothing stops it, then sets reading, the timer
 * and writes what is ready. The one place that moves a connection on; it
 * loops instead of recursing when writing completed exchanges (which may
 * let more pipelined requests be parsed).
 */
void bh__http_pump(bh_http_conn *c)
{
    if (c->closed)
        return;
    if (c->in_parse || c->in_pump) {
        c->pump_again = 1;
        return;
    }
    c->in_pump = 1;
    do {
        c->pump_again = 0;
        while (!c->no_more && !c->closed && c->app_paused == NULL && c->pend_len > c->pend_off) {
            size_t n;
            if (bh_hpa_phase(c->hp) == BH_HPA_IDLE && !may_start_request(c))
                break;
            if (c->cur != NULL && c->cur->fail_status && c->cur->streaming) {
                bh__http_fail_stream_now(c, c->cur);
                break;
            }
            n = parse_input(c, c->pend + c->pend_off, c->pend_len - c->pend_off);
            c->pend_off += n;
            if (n == 0 && bh_hpa_status(c->hp) != BH_HPA_PAUSED)
                break;
        }
        if (c->closed)
            break;
        if (c->pend_off >= c->pend_len || c->no_more) {
            c->pend_off = c->pend_len = 0;
            if (c->pend_cap > PEND_KEEP) {
                free(c->pend);
                c->pend = NULL;
                c->pend_cap = 0;
            }
        }
        if (c->srv->draining && c->cur == NULL)
            c->no_more = 1;
        if (c->no_more && c->qlen == 0 && c->writes_pending == 0 && !c->lingering) {
            /* also when draining: a request the client sent meanwhile is
             * read and dropped, so the client sees the end, not a reset */
            bh__http_begin_close(c);
            break;
        }
        update_reading(c);
        bh__http_arm_timer(c);
        bh__http_flush(c);
    } while (c->pump_again && !c->closed);
    c->in_pump = 0;
}

/* -------------------------------------------------------------- closing */

static void shutdown_cb(uv_shutdown_t *req, int status)
{
    bh_http_conn *c = req->data;
    if (status < 0 && !c->closed)
        bh__http_close_conn(c);
}

/* Half-closes after the last response and drops input for a while. */
void bh__http_begin_close(bh_http_conn *c)
{
    if (c->closed || c->lingering)
        return;
    if (c->eof) {
        bh__http_close_conn(c);
        return;
    }
    c->lingering = 1;
    c->no_more = 1;
    c->shutdown_req.data = c;
    if (uv_shutdown(&c->shutdown_req, (uv_stream_t *)&c->tcp, shutdown_cb) != 0) {
        bh__http_close_conn(c);
        return;
    }
    update_reading(c);
    bh__http_arm_timer(c);
}

static void conn_release(bh_http_conn *c)
{
    bh_http_server *s = c->srv;

    if (--c->handles > 0)
        return;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    s->nconns--;
    if (s->balance != NULL)
        bh__http_balance_release(s->balance, s->balance_slot);
    if (c->hp)
        bh_hpa_free(c->hp);
    free(c->pend);
    free(c);
    bh__http_note_release(s);
    bh__http_check_drain(s);
    bh__http_maybe_destroy(s);
}

static void tcp_close_cb(uv_handle_t *h)
{
    bh_http_conn *c = h->data;
    bh_http_server *s = c->srv;
    bh_http_exchange *ex;

    c->cur = NULL;
    c->app_paused = NULL;
    while ((ex = c->qhead) != NULL) {
        bh__http_q_remove(c, ex);
        bh__http_stream_abort(ex);
        if (!ex->responded && ex->request_called && !s->freeing) {
            /* the application still owns it; its answer goes nowhere */
            ex->conn = NULL;
            ex->orphan = 1;
            ex->next = s->orphans;
            if (s->orphans)
                s->orphans->prev = ex;
            s->orphans = ex;
            continue;
        }
        if (!ex->responded) {
            bh__http_drop_unanswered(ex);
        } else {
            bh__http_report_complete(ex, 0, 0);
            bh__http_ex_recycle(ex);
        }
    }
    conn_release(c);
}

static void timer_close_cb(uv_handle_t *h)
{
    conn_release(h->data);
}

void bh__http_close_conn(bh_http_conn *c)
{
    if (c->closed)
        return;
    c->closed = 1;
    if (c->reading)
        uv_read_stop((uv_stream_t *)&c->tcp);
    c->reading = 0;
    uv_close((uv_handle_t *)&c->tcp, tcp_close_cb);
    uv_close((uv_handle_t *)&c->timer, timer_close_cb);
}

/* --------------------------------------------------------------- accept */

static void format_peer(bh_http_conn *c)
{
    struct sockaddr_storage ss;
    int len = (int)sizeof(ss);
    char ip[INET6_ADDRSTRLEN];

    c->peer[0] = '\0';
    if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &len) != 0)
        return;
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
        if (uv_ip4_name(a, ip, sizeof(ip)) == 0)
            snprintf(c->peer, sizeof(c->peer), "%s:%u", ip, (unsigned)ntohs(a->sin_port));
    } else if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
        if (uv_ip6_name(a, ip, sizeof(ip)) == 0)
            snprintf(c->peer, sizeof(c->peer), "[%s]:%u", ip, (unsigned)ntohs(a->sin6_port));
    }
}

/* Tells the application an accept failed, at most once a second. */
static void report_accept_error(bh_http_server *s, int status)
{
    uint64_t now = uv_now(s->loop);

    if (s->accept_report != 0 && now - s->accept_report < 1000) {
        s->accept_quiet++;
        return;
    }
    if (s->cb.on_accept_error != NULL && !s->freeing)
        s->cb.on_accept_error(s->app, status, s->accept_quiet);
    s->accept_report = now != 0 ? now : 1;
    s->accept_quiet = 0;
}

/* A socket placed with this server that never became a connection. */
static void drop_fd(bh_http_server *s, int fd)
{
    close(fd);
    if (s->balance != NULL)
        bh__http_balance_release(s->balance, s->balance_slot);
}

/* Takes one accepted socket on as a connection. */
static void start_conn(bh_http_server *s, int fd)
{
    bh_http_conn *c = calloc(1, sizeof(*c));

    if (c == NULL) {
        drop_fd(s, fd);
        return;
    }
    c->srv = s;
    if (uv_tcp_init(s->loop, &c->tcp) != 0) {
        free(c);
        drop_fd(s, fd);
        return;
    }
    uv_timer_init(s->loop, &c->timer);
    c->tcp.data = c;
    c->timer.data = c;
    c->handles = 2;
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    s->nconns++;
    if (uv_tcp_open(&c->tcp, fd) != 0) {
        close(fd);
        bh__http_close_conn(c);
        return;
    }
    if (s->nconns > s->limits.max_connections) {
        bh__http_close_conn(c);
        return;
    }
    c->hp = bh_hpa_new(&bh__http_hpa_callbacks, c);
    if (c->hp == NULL) {
        bh__http_close_conn(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    format_peer(c);
    bh__http_pump(c);
}

#define ACCEPT_BATCH 128 /* connections taken per wake-up, for fairness */

void bh__http_accept(bh_http_server *s)
{
    int i;

    for (i = 0; i < ACCEPT_BATCH && s->listener_open && !s->draining && !s->freeing; i++) {
        int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            /*
             * EMFILE, ENFILE, ENOBUFS, ENOMEM: the waiting connections stay
             * in the kernel's queue; try again after a pause instead of at
             * once, which would spin (the socket stays readable).
             */
            report_accept_error(s, -errno);
            bh__http_accept_pause(s);
            return;
        }
        s->accept_backoff = 0;
        if (s->balance != NULL && bh__http_balance_place(s->balance, s->balance_slot, fd))
            continue; /* handed over to a server with fewer connections */
        start_conn(s, fd);
    }
}

void bh__http_take_handed(bh_http_server *s, int fd)
{
    if (s->draining || s->freeing) {
        drop_fd(s, fd);
        return;
    }
    start_conn(s, fd);
}
