/*
 * http_timeout.c - the timeouts of a connection.
 *
 * Owns: the one timer per connection, choosing which timeout applies
 * (idle, header, body gap, send, linger) from the connection's state, and
 * what happens when one expires (408, or closing without an answer).
 * Does not own: the limits' values (the server's bh_http_limits), the
 * connection's state itself (http_conn.c).
 */
#include "http_internal.h"

#include <sys/ioctl.h>
#ifdef __linux__
#include <linux/sockios.h>
#endif

#define LINGER_MS 2000

/*
 * Bytes of answers not yet taken by the client: what libuv still queues plus
 * what sits unacknowledged in the socket's send buffer (Linux SIOCOUTQ), so
 * a slow but steady reader is seen making progress.
 */
static size_t unsent_bytes(bh_http_conn *c)
{
    size_t n = c->tcp.write_queue_size;
#ifdef SIOCOUTQ
    uv_os_fd_t fd;
    int q = 0;
    if (uv_fileno((uv_handle_t *)&c->tcp, &fd) == 0 && ioctl(fd, SIOCOUTQ, &q) == 0 && q > 0)
        n += (size_t)q;
#endif
    return n;
}

static void timer_cb(uv_timer_t *t);

enum body_rule { BODY_GAP, BODY_RATE, BODY_DEADLINE };

/*
 * When the body of ex must have made progress by, and which rule says so:
 * the gap since the last read (body_timeout_ms), the average rate (the
 * first body_timeout_ms are free, then each byte buys 1000 / body_min_rate
 * ms), and for a buffered body the total deadline (body_deadline_ms).
 * body_start moves on by the pauses the application asked for.
 */
static uint64_t body_due(const bh_http_conn *c, const bh_http_exchange *ex, uint64_t now,
                         enum body_rule *rule)
{
    const bh_http_limits *l = &c->srv->limits;
    uint64_t due = now + l->body_timeout_ms;
    uint64_t rate = ex->body_start + l->body_timeout_ms + ex->body_len * 1000 / l->body_min_rate;
    enum body_rule why = BODY_GAP;

    if (rate < due) {
        due = rate;
        why = BODY_RATE;
    }
    if (!ex->streaming && ex->body_start + l->body_deadline_ms < due) {
        due = ex->body_start + l->body_deadline_ms;
        why = BODY_DEADLINE;
    }
    if (rule != NULL)
        *rule = why;
    return due;
}

/*
 * Sets the connection's current timeout. A running timer due no later than
 * the new deadline is left alone: timer_cb re-arms it for the remainder.
 */
static void set_timer_at(bh_http_conn *c, enum tkind kind, uint64_t deadline)
{
    uint64_t now = uv_now(c->srv->loop);

    c->tkind = kind;
    c->deadline = deadline;
    if (uv_is_active((uv_handle_t *)&c->timer) && c->tdue <= deadline)
        return;
    c->tdue = deadline;
    uv_timer_start(&c->timer, timer_cb, deadline > now ? deadline - now : 0, 0);
}

static void set_timer(bh_http_conn *c, enum tkind kind, uint32_t ms)
{
    set_timer_at(c, kind, uv_now(c->srv->loop) + ms);
}

/* No timeout applies; a running timer finds T_NONE and stays quiet. */
static void stop_timer(bh_http_conn *c)
{
    c->tkind = T_NONE;
}

/* Chooses the timeout that fits the connection's state now. */
void bh__http_arm_timer(bh_http_conn *c)
{
    const bh_http_limits *l = &c->srv->limits;
    enum bh_hpa_phase ph;

    if (c->closed)
        return;
    if (c->lingering) {
        if (c->tkind != T_LINGER)
            set_timer(c, T_LINGER, LINGER_MS);
        return;
    }
    ph = bh_hpa_phase(c->hp);
    if (!c->no_more && !c->app_paused && c->cur != NULL && ph == BH_HPA_HEAD) {
        set_timer_at(c, T_HEAD, c->head_due);
        return;
    }
    if (!c->no_more && !c->app_paused && c->cur != NULL && ph == BH_HPA_BODY) {
        set_timer_at(c, T_BODY, body_due(c, c->cur, uv_now(c->srv->loop), NULL));
        return;
    }
    if (c->writes_pending > 0) {
        if (c->tkind != T_SEND)
            c->send_mark = unsent_bytes(c);
        set_timer(c, T_SEND, l->idle_timeout_ms);
        return;
    }
    if (c->qlen == 0 && c->cur == NULL) {
        if (c->tkind != T_IDLE)
            set_timer(c, T_IDLE, l->idle_timeout_ms);
        return;
    }
    stop_timer(c); /* waiting for the application */
}

static void timer_cb(uv_timer_t *t)
{
    bh_http_conn *c = t->data;
    uint64_t now = uv_now(c->srv->loop);
    enum tkind kind = c->tkind;

    if (c->closed || kind == T_NONE)
        return;
    if (now < c->deadline) {
        c->tdue = c->deadline;
        uv_timer_start(&c->timer, timer_cb, c->deadline - now, 0);
        return;
    }
    if (kind == T_SEND && unsent_bytes(c) < c->send_mark) {
        /* the client is reading, slowly: give it another period */
        c->send_mark = unsent_bytes(c);
        c->deadline = now + c->srv->limits.idle_timeout_ms;
        c->tdue = c->deadline;
        uv_timer_start(&c->timer, timer_cb, c->srv->limits.idle_timeout_ms, 0);
        return;
    }
    c->tkind = T_NONE;
    switch (kind) {
    case T_HEAD:
        bh__http_server_error(c, 408, "request_timeout",
                              "the request headers did not arrive in time");
        bh__http_pump(c);
        break;
    case T_BODY: {
        enum body_rule why = BODY_GAP;
        if (c->cur != NULL)
            body_due(c, c->cur, now, &why);
        bh__http_server_error(c, 408, "request_timeout",
                              why == BODY_RATE       ? "the request body arrives too slowly"
                              : why == BODY_DEADLINE ? "the request body took too long in total"
                                                     : "the request body did not arrive in time");
        bh__http_pump(c);
        break;
    }
    default:
        bh__http_close_conn(c); /* idle, stalled send, end of linger: no answer */
        break;
    }
}
