/*
 * http.c - batond's HTTP/1.1 server on a libuv loop (contract in http.h;
 * how its files fit together in http_internal.h).
 *
 * Owns: the server: the listening socket, its limits, draining and freeing
 * it, request ids, and the buffer helper the other files share.
 * Does not own: connections (http_conn.c), exchanges (http_exchange.c),
 * parsing (http_request.c), answers and writing them (http_response.c,
 * http_write.c, http_file.c), timeouts (http_timeout.c).
 */
#include "http_internal.h"

#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>

#define LISTEN_BACKLOG 4096
/* After this many connections have closed the heap is trimmed, at most
 * once a second and a moment after the burst (bh__http_note_release). */
#define TRIM_AFTER     256
#define TRIM_EVERY_MS  1000
#define TRIM_SETTLE_MS 200

/* ---------------------------------------------------------------- helpers */

int bh__http_grow(char **buf, size_t *cap, size_t need)
{
    size_t n;
    char *p;

    if (need <= *cap)
        return 0;
    n = *cap ? *cap : 256;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return -ENOMEM;
        n *= 2;
    }
    p = realloc(*buf, n);
    if (p == NULL)
        return -ENOMEM;
    *buf = p;
    *cap = n;
    return 0;
}

static void set_err(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, fmt, a, b);
}

void bh_http_limits_default(bh_http_limits *l)
{
    l->max_header_bytes = 16 * 1024;
    l->max_body_bytes = 1024 * 1024;
    l->header_timeout_ms = 10 * 1000;
    l->body_timeout_ms = 30 * 1000;
    l->idle_timeout_ms = 60 * 1000;
    l->max_pipelined = 64;
    l->max_connections = 10000;
    l->body_min_rate = 1024;
    l->body_deadline_ms = 60 * 1000;
    l->drain_timeout_ms = 10 * 1000;
}

/* ------------------------------------------------------------ request ids */

static uv_once_t rid_once = UV_ONCE_INIT;
static uint64_t rid_prefix;
static atomic_uint_fast64_t rid_counter;

static void rid_init(void)
{
    uint64_t r = 0;
    if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
        r = uv_hrtime() ^ ((uint64_t)getpid() << 32);
    /* 24 random bits on top, a 40-bit counter below: unique within a process
     * for 2^40 requests, and unlikely to repeat across restarts. */
    rid_prefix = (r & 0xffffffu) << 40;
}

void bh__http_make_request_id(char out[17])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t n = atomic_fetch_add_explicit(&rid_counter, 1, memory_order_relaxed);
    uint64_t v = rid_prefix | (n & 0xffffffffffull);
    int i;

    for (i = 15; i >= 0; i--) {
        out[i] = hex[v & 0xf];
        v >>= 4;
    }
    out[16] = '\0';
}

/* ----------------------------------------------------------------- server */

static void server_destroy(bh_http_server *s)
{
    while (s->pool != NULL) {
        bh_http_exchange *ex = s->pool;
        s->pool = ex->next;
        bh__http_ex_free(ex);
    }
    free(s->rbuf);
    free(s);
}

void bh__http_maybe_destroy(bh_http_server *s)
{
    if (s->freeing && s->handles == 0 && s->nconns == 0)
        server_destroy(s);
}

static void handle_close_cb(uv_handle_t *h)
{
    bh_http_server *s = h->data;
    s->handles--;
    bh__http_maybe_destroy(s);
}

static void close_handle(bh_http_server *s, uv_handle_t *h)
{
    (void)s;
    if (!uv_is_closing(h))
        uv_close(h, handle_close_cb);
}

/* The server's timers go once nothing more can need them. */
static void close_timers(bh_http_server *s)
{
    close_handle(s, (uv_handle_t *)&s->accept_timer);
    close_handle(s, (uv_handle_t *)&s->drain_timer);
    close_handle(s, (uv_handle_t *)&s->trim_timer);
    if (s->balance != NULL)
        close_handle(s, (uv_handle_t *)&s->handover);
}

/* Leaves the group: no connection is handed over any more (those queued
 * are closed); the handover handle closes with the timers. */
static void leave_balance(bh_http_server *s)
{
    if (s->in_balance) {
        bh__http_balance_leave(s->balance, s->balance_slot);
        s->in_balance = 0;
    }
}

#define HANDOVER_BATCH 64

static void on_handover(uv_async_t *a)
{
    bh_http_server *s = a->data;
    int fds[HANDOVER_BATCH];
    size_t n;

    while ((n = bh__http_balance_take(s->balance, s->balance_slot, fds, HANDOVER_BATCH)) > 0) {
        for (size_t i = 0; i < n; i++)
            bh__http_take_handed(s, fds[i]);
    }
}

static void trim_cb(uv_timer_t *t)
{
    bh_http_server *s = t->data;
    s->released = 0;
    s->trim_at = uv_now(s->loop);
    malloc_trim(0);
}

/*
 * glibc keeps freed memory in its arenas: after a burst of connections (a
 * thousand slow clients, each with a body buffer) the process would stay
 * as large as at its peak. Once many connections have gone, the heap is
 * trimmed (malloc_trim returns free pages to the system), a moment after
 * the burst and at most once a second: it walks the arenas, a few
 * milliseconds at worst, which a steady keep-alive load never pays.
 */
void bh__http_note_release(bh_http_server *s)
{
    uint64_t now, wait;

    if (++s->released < TRIM_AFTER || s->freeing || uv_is_active((uv_handle_t *)&s->trim_timer) ||
        uv_is_closing((uv_handle_t *)&s->trim_timer))
        return;
    now = uv_now(s->loop);
    wait = s->trim_at + TRIM_EVERY_MS > now ? s->trim_at + TRIM_EVERY_MS - now : 0;
    if (wait < TRIM_SETTLE_MS)
        wait = TRIM_SETTLE_MS;
    uv_timer_start(&s->trim_timer, trim_cb, wait, 0);
}

void bh__http_check_drain(bh_http_server *s)
{
    if (s->draining && !s->drain_called && !s->freeing && !s->listener_open && s->nconns == 0 &&
        s->in_flight == 0) {
        s->drain_called = 1;
        close_timers(s);
        if (s->drain_done)
            s->drain_done(s->drain_arg);
    }
}

/* The drain took longer than drain_timeout_ms: close what is still open. */
static void drain_timeout_cb(uv_timer_t *t)
{
    bh_http_server *s = t->data;
    bh_http_conn *c;

    for (c = s->conns; c != NULL; c = c->next)
        bh__http_close_conn(c);
    bh__http_check_drain(s);
}

static void listener_close_cb(uv_handle_t *h)
{
    bh_http_server *s = h->data;
    close(s->listen_fd);
    s->listen_fd = -1;
    s->listener_open = 0;
    s->handles--;
    bh__http_check_drain(s);
    bh__http_maybe_destroy(s);
}

/* Stops accepting for good: the listening socket is closed. */
static void stop_listening(bh_http_server *s)
{
    if (s->listener_open && !uv_is_closing((uv_handle_t *)&s->listener)) {
        uv_poll_stop(&s->listener);
        uv_timer_stop(&s->accept_timer);
        uv_close((uv_handle_t *)&s->listener, listener_close_cb);
    }
}

static void on_listen_readable(uv_poll_t *p, int status, int events)
{
    (void)events;
    (void)status; /* an error on a listening socket shows in accept() */
    bh__http_accept(p->data);
}

static void accept_again_cb(uv_timer_t *t)
{
    bh_http_server *s = t->data;
    if (!s->listener_open || s->draining || s->freeing)
        return;
    if (uv_poll_start(&s->listener, UV_READABLE, on_listen_readable) == 0)
        bh__http_accept(s);
}

void bh__http_accept_pause(bh_http_server *s)
{
    /* 5 ms doubling to one second, as Go's net/http backs off */
    s->accept_backoff = s->accept_backoff == 0 ? 5 : s->accept_backoff * 2;
    if (s->accept_backoff > 1000)
        s->accept_backoff = 1000;
    uv_poll_stop(&s->listener);
    uv_timer_start(&s->accept_timer, accept_again_cb, s->accept_backoff, 0);
}

static void normalize_limits(bh_http_limits *l, const bh_http_limits *in)
{
    bh_http_limits d;

    bh_http_limits_default(&d);
    *l = *in;
    if (l->max_header_bytes == 0)
        l->max_header_bytes = d.max_header_bytes;
    if (l->max_body_bytes == 0)
        l->max_body_bytes = d.max_body_bytes;
    if (l->header_timeout_ms == 0)
        l->header_timeout_ms = d.header_timeout_ms;
    if (l->body_timeout_ms == 0)
        l->body_timeout_ms = d.body_timeout_ms;
    if (l->idle_timeout_ms == 0)
        l->idle_timeout_ms = d.idle_timeout_ms;
    if (l->max_pipelined == 0)
        l->max_pipelined = d.max_pipelined;
    if (l->max_connections == 0)
        l->max_connections = d.max_connections;
    if (l->body_min_rate == 0)
        l->body_min_rate = d.body_min_rate;
    if (l->body_deadline_ms == 0)
        l->body_deadline_ms = d.body_deadline_ms;
    if (l->drain_timeout_ms == 0)
        l->drain_timeout_ms = d.drain_timeout_ms;
}

int bh_http_server_start(uv_loop_t *loop, const bh_http_server_options *opt, bh_http_server **out,
                         char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t slen;
    const char *host;
    bh_http_server *s = NULL;
    int fd = -1, one = 1, rc;

    if (out != NULL)
        *out = NULL;
    if (loop == NULL || opt == NULL || out == NULL || opt->port < 0 || opt->port > 65535) {
        set_err(err, errlen, "%s%s", "invalid server options", "");
        return -EINVAL;
    }
    uv_once(&rid_once, rid_init);
    host = opt->host ? opt->host : "127.0.0.1";
    memset(&ss, 0, sizeof(ss));
    if (uv_ip4_addr(host, opt->port, (struct sockaddr_in *)&ss) == 0) {
        slen = sizeof(struct sockaddr_in);
    } else if (uv_ip6_addr(host, opt->port, (struct sockaddr_in6 *)&ss) == 0) {
        slen = sizeof(struct sockaddr_in6);
    } else {
        set_err(err, errlen, "listen address '%s' is not a numeric IPv4 or IPv6 address%s", host,
                "");
        return -EINVAL;
    }
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        rc = -errno;
        set_err(err, errlen, "socket: %s%s", strerror(-rc), "");
        return rc;
    }
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        (opt->reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0)) {
        rc = -errno;
        set_err(err, errlen, "setsockopt: %s%s", strerror(-rc), "");
        goto fail;
    }
    if (bind(fd, (struct sockaddr *)&ss, slen) != 0) {
        rc = -errno;
        set_err(err, errlen, "bind %s: %s", host, strerror(-rc));
        goto fail;
    }
    if (listen(fd, LISTEN_BACKLOG) != 0) {
        rc = -errno;
        set_err(err, errlen, "listen %s: %s", host, strerror(-rc));
        goto fail;
    }
    slen = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &slen) != 0) {
        rc = -errno;
        set_err(err, errlen, "getsockname: %s%s", strerror(-rc), "");
        goto fail;
    }
    rc = -ENOMEM;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        goto nomem;
    s->rbuf = malloc(READ_BUF_SIZE);
    if (s->rbuf == NULL)
        goto nomem;
    s->loop = loop;
    normalize_limits(&s->limits, &opt->limits);
    s->cb = opt->callbacks;
    s->app = opt->app;
    s->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                            : ((struct sockaddr_in6 *)&ss)->sin6_port);
    s->listen_fd = fd;
    uv_timer_init(loop, &s->accept_timer);
    uv_timer_init(loop, &s->drain_timer);
    uv_timer_init(loop, &s->trim_timer);
    s->accept_timer.data = s;
    s->drain_timer.data = s;
    s->trim_timer.data = s;
    s->handles = 3;
    rc = 0;
    if (opt->balance != NULL) {
        /* The first async handle of a loop opens an eventfd: it can fail
         * when descriptors run out. Only a handle that exists is counted,
         * closed and joined to the group. */
        rc = uv_async_init(loop, &s->handover, on_handover);
        if (rc == 0) {
            s->balance = opt->balance;
            s->balance_slot = opt->balance_slot;
            s->handover.data = s;
            s->handles++;
        }
    }
    if (rc == 0)
        rc = uv_poll_init_socket(loop, &s->listener, fd);
    if (rc == 0) {
        fd = -1; /* closed with the handle (listener_close_cb) */
        s->listener.data = s;
        s->listener_open = 1;
        s->handles++;
        rc = uv_poll_start(&s->listener, UV_READABLE, on_listen_readable);
    }
    const char *step = "listen: ";
    if (rc == 0 && s->balance != NULL) {
        rc = bh__http_balance_join(s->balance, s->balance_slot, s, &s->handover);
        s->in_balance = rc == 0;
        step = "joining the loops' connection balance: ";
    }
    if (rc != 0) {
        set_err(err, errlen, "%s%s", step, uv_strerror(rc));
        if (fd >= 0) {
            close(fd);
            s->listen_fd = -1;
        }
        /* the handles are registered with the loop: free once closed */
        s->freeing = 1;
        close_timers(s);
        if (s->listener_open)
            stop_listening(s);
        return rc;
    }
    *out = s;
    return 0;

nomem:
    set_err(err, errlen, "%s%s", "out of memory", "");
fail:
    if (s != NULL) {
        free(s->rbuf);
        free(s);
    }
    if (fd >= 0)
        close(fd);
    return rc;
}

int bh_http_server_port(const bh_http_server *s)
{
    return s ? s->port : -1;
}

size_t bh_http_server_in_flight(const bh_http_server *s)
{
    return s ? s->in_flight : 0;
}

void bh_http_server_drain(bh_http_server *s, void (*done)(void *arg), void *arg)
{
    bh_http_conn *c, *next;

    if (s == NULL || s->draining || s->freeing)
        return;
    s->draining = 1;
    s->drain_done = done;
    s->drain_arg = arg;
    leave_balance(s);
    stop_listening(s);
    uv_timer_start(&s->drain_timer, drain_timeout_cb, s->limits.drain_timeout_ms, 0);
    for (c = s->conns; c != NULL; c = next) {
        next = c->next;
        if (c->closed)
            continue;
        if (c->qlen == 0 && c->cur == NULL && c->writes_pending == 0)
            bh__http_begin_close(c);
        else
            bh__http_pump(c);
    }
    bh__http_check_drain(s);
}

void bh_http_server_free(bh_http_server *s)
{
    bh_http_conn *c;

    if (s == NULL || s->freeing)
        return;
    s->freeing = 1;
    leave_balance(s);
    stop_listening(s);
    close_timers(s);
    for (c = s->conns; c != NULL; c = c->next)
        bh__http_close_conn(c);
    while (s->orphans != NULL) {
        bh_http_exchange *ex = s->orphans;
        bh__http_orphan_unlink(s, ex);
        bh__http_ex_free(ex);
    }
    bh__http_maybe_destroy(s);
}
