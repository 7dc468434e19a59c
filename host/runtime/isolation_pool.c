/* isolation_pool.c - worker pools on an event loop (isolation_pool.h). */
#include "isolation_pool.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host_api.h"
#include "worker_frames.h"
#include "worker_proto.h"
#include "worker_replay.h"

#define POOL_BUCKETS   256
#define SWEEP_MS       1000
#define BACKOFF_MIN_MS 10
#define BACKOFF_MAX_MS 2000

typedef struct pool pool;
typedef struct worker worker;
typedef struct call call;

enum worker_state { W_STARTING, W_IDLE, W_BUSY, W_DYING };

struct call {
    bh_isolation *iso; /* for its close callback, which may outlive p */
    pool *p;
    worker *w; /* running on, or NULL while queued */
    call *next_queued;
    uv_timer_t deadline;
    bh_iso_call_args a;
    bh_iso_done done;
    void *ctx;
    uint32_t id;
    int finished;
    int requeued; /* given back to the queue once after a clean worker exit */
};

struct worker {
    pool *p;
    worker *next;
    enum worker_state state;
    pid_t pid;
    uv_pipe_t pipe;
    uv_poll_t exit_watch; /* the pidfd, readable once the process ended */
    int pidfd;
    int pipe_open, watch_open, reaped;
    call *current;
    bh_wbuf out; /* the frame being written */
    uv_write_t wreq;
    int writing;           /* wreq is queued: out must stay as it is */
    uv_timer_t load_timer; /* LOADED must come within load_timeout_ms */
    int load_timer_open;
    uint8_t *in; /* frames being read */
    size_t in_len, in_cap;
    char why[256]; /* why it is dying, when known before it is reaped */
    int why_set;
    int died_loading; /* it never answered LOADED */
    /* CPU time (clock ticks) at the last sweep that found it idle; an idle
     * worker is blocked reading its socket and spends none. */
    unsigned long long idle_cpu;
    int idle_cpu_valid;
};

struct pool {
    bh_isolation *iso;
    pool *next;
    bh_plugin_instance *in; /* one reference */
    worker *workers;
    size_t nworkers;
    call *queue_head, *queue_tail;
    unsigned start_failures;
    uint64_t next_start_ms;
    uv_timer_t backoff;
    int backoff_open;
    int closing;
    size_t alive; /* workers not yet freed, dying ones included */
};

struct bh_isolation {
    uv_loop_t *loop;
    pool *buckets[POOL_BUCKETS];
    uv_timer_t sweep;
    uint32_t next_call_id;
    size_t handles; /* open handles; the struct goes when closing and 0 */
    size_t workers;
    int closing;
};

static void worker_start(pool *p);
static void pool_dispatch(pool *p);
static void pool_maybe_free(pool *p);
static void on_backoff(uv_timer_t *t);
static void on_deadline(uv_timer_t *t);

/* ---- handles and freeing ---- */

static void maybe_free_iso(bh_isolation *iso)
{
    if (iso->closing && iso->handles == 0)
        free(iso);
}

static void on_handle_closed(uv_handle_t *h)
{
    bh_isolation *iso = h->data;
    iso->handles--;
    maybe_free_iso(iso);
}

/* ---- calls ---- */

static void call_closed(uv_handle_t *h)
{
    call *c = h->data;
    bh_isolation *iso = c->iso;
    free(c);
    iso->handles--;
    maybe_free_iso(iso);
}

/* Delivers the outcome once and frees the call. */
static void call_finish(call *c, const bh_iso_outcome *o)
{
    if (c->finished)
        return;
    c->finished = 1;
    uv_timer_stop(&c->deadline);
    if (c->a.tenant_busy != NULL)
        atomic_fetch_sub_explicit(c->a.tenant_busy, 1, memory_order_relaxed);
    c->done(c->ctx, o);
    c->deadline.data = c;
    uv_close((uv_handle_t *)&c->deadline, call_closed);
}

static void call_fail(call *c, enum bh_iso_status st, const char *fmt, const char *detail)
{
    bh_iso_outcome o;
    memset(&o, 0, sizeof o);
    o.status = st;
    snprintf(o.message, sizeof o.message, fmt, detail);
    call_finish(c, &o);
}

static void queue_remove(pool *p, call *c)
{
    call **pp = &p->queue_head, *prev = NULL;
    while (*pp != NULL && *pp != c) {
        prev = *pp;
        pp = &(*pp)->next_queued;
    }
    if (*pp == NULL)
        return;
    *pp = c->next_queued;
    if (p->queue_tail == c)
        p->queue_tail = prev;
    c->next_queued = NULL;
}

/* ---- workers ---- */

static void worker_maybe_free(worker *w)
{
    if (w->pipe_open || w->watch_open || w->load_timer_open || !w->reaped)
        return;
    pool *p = w->p;
    bh_wbuf_free(&w->out);
    free(w->in);
    free(w);
    p->iso->workers--;
    p->alive--;
    pool_maybe_free(p);
}

static void on_pipe_closed(uv_handle_t *h)
{
    worker *w = h->data;
    w->pipe_open = 0;
    w->p->iso->handles--;
    worker_maybe_free(w);
}

static void on_watch_closed(uv_handle_t *h)
{
    worker *w = h->data;
    w->watch_open = 0;
    close(w->pidfd); /* uv_poll does not own the fd it watches */
    w->pidfd = -1;
    w->p->iso->handles--;
    worker_maybe_free(w);
}

static void on_load_timer_closed(uv_handle_t *h)
{
    worker *w = h->data;
    w->load_timer_open = 0;
    w->p->iso->handles--;
    worker_maybe_free(w);
}

static void worker_unlink(worker *w)
{
    pool *p = w->p;
    for (worker **pp = &p->workers; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == w) {
            *pp = w->next;
            p->nworkers--;
            return;
        }
    }
}

static void set_why(worker *w, const char *fmt, const char *detail)
{
    if (w->why_set)
        return;
    snprintf(w->why, sizeof w->why, fmt, detail);
    w->why_set = 1;
}

static void after_reaped(worker *w, int status);

/*
 * The worker is done for: kill it, stop reading, leave the pool. Its call
 * (if any) is finished once the process has been reaped, so the outcome
 * can say how it ended.
 */
static void worker_kill(worker *w)
{
    if (w->state == W_DYING)
        return;
    int starting = w->state == W_STARTING;
    w->state = W_DYING;
    worker_unlink(w);
    if (w->pid > 0 && !w->reaped)
        if (kill(-w->pid, SIGKILL) != 0) /* its process group: it leads one */
            kill(w->pid, SIGKILL);
    if (w->pipe_open)
        uv_close((uv_handle_t *)&w->pipe, on_pipe_closed);
    if (w->load_timer_open && !uv_is_closing((uv_handle_t *)&w->load_timer))
        uv_close((uv_handle_t *)&w->load_timer, on_load_timer_closed);
    if (starting) {
        pool *p = w->p;
        w->died_loading = 1;
        p->start_failures++;
        uint64_t delay = BACKOFF_MIN_MS << (p->start_failures < 8 ? p->start_failures - 1 : 7);
        if (delay > BACKOFF_MAX_MS)
            delay = BACKOFF_MAX_MS;
        p->next_start_ms = uv_now(p->iso->loop) + delay;
    }
    if (w->pidfd < 0) {
        /* No pidfd (old kernel): the kill above ends it; reap it now. */
        int status = 0;
        while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
            ;
        after_reaped(w, status);
    }
}

static void after_reaped(worker *w, int status)
{
    pool *p = w->p;
    char how[96];
    w->reaped = 1;
    bh_describe_exit(status, how, sizeof how);
    set_why(w, "worker %s", how);
    if (w->state != W_DYING)
        worker_kill(w);
    if (w->watch_open)
        uv_close((uv_handle_t *)&w->exit_watch, on_watch_closed);
    call *c = w->current;
    w->current = NULL;
    if (c != NULL && WIFEXITED(status) && WEXITSTATUS(status) == 0 && !c->requeued && !p->closing) {
        /* A worker that retires (its CPU budget half spent) exits 0 right
         * after a reply; a call sent to it meanwhile was never read. It
         * goes back to the front of the queue, once. */
        c->requeued = 1;
        c->w = NULL;
        c->next_queued = p->queue_head;
        p->queue_head = c;
        if (p->queue_tail == NULL)
            p->queue_tail = c;
        c = NULL;
    }
    if (c != NULL)
        call_fail(c, BH_ISO_CRASHED, "%s", w->why);
    /* Calls waiting for this worker to load are failed too: it could not
     * load the plugin now, and the next start waits for the backoff. */
    if (w->died_loading) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s%s",
                 strstr(w->why, "while loading") ? "" : "while loading: ", w->why);
        while (p->queue_head != NULL) {
            call *q = p->queue_head;
            queue_remove(p, q);
            call_fail(q, BH_ISO_CRASHED, "%s", msg);
        }
    }
    int dispatch = !p->closing;
    p->alive++; /* keep p while dispatching */
    worker_maybe_free(w);
    if (dispatch)
        pool_dispatch(p);
    p->alive--;
    pool_maybe_free(p);
}

static void on_exit_readable(uv_poll_t *h, int status, int events)
{
    (void)status;
    (void)events;
    worker *w = h->data;
    int ws = 0;
    pid_t r;
    while ((r = waitpid(w->pid, &ws, WNOHANG)) < 0 && errno == EINTR)
        ;
    if (r == 0)
        return; /* not yet */
    uv_poll_stop(h);
    after_reaped(w, ws);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    worker *w = h->data;
    (void)hint;
    if (w->in_cap - w->in_len < 65536) {
        size_t cap = w->in_cap ? w->in_cap * 2 : 65536;
        if (cap > BH_FRAME_MAX + 4 + 65536)
            cap = BH_FRAME_MAX + 4 + 65536;
        uint8_t *p = cap > w->in_cap ? realloc(w->in, cap) : NULL;
        if (p != NULL) {
            w->in = p;
            w->in_cap = cap;
        }
    }
    *buf = uv_buf_init((char *)w->in + w->in_len, (unsigned)(w->in_cap - w->in_len));
}

static void handle_loaded(worker *w, const uint8_t *payload, size_t len)
{
    bh_plugin_info info;
    char why[256];
    int rc = bh_frame_read_loaded(payload, len, &info, why, sizeof why);
    if (rc == 0 && (strcmp(info.name, w->p->in->info.name) != 0 ||
                    strcmp(info.scope, w->p->in->info.scope) != 0)) {
        snprintf(why, sizeof why, "protocol error: the plugin loaded as %s (%s)", info.name,
                 info.scope);
        rc = BATON_EINVAL;
    }
    bh_plugin_info_clear(&info);
    if (rc != 0) {
        set_why(w, "worker failed while loading: %s", why);
        worker_kill(w);
        return;
    }
    w->p->start_failures = 0;
    uv_timer_stop(&w->load_timer);
    w->state = W_IDLE;
    pool_dispatch(w->p);
}

static void handle_reply(worker *w, const uint8_t *payload, size_t len)
{
    bh_rbuf r;
    uint32_t id, ops;
    int plugin_rc;
    const char *failed, *reason;
    char why[256];
    call *c = w->current;
    int rc = bh_frame_read_reply(payload, len, &r, &id, &plugin_rc, &failed, &reason, &ops, why,
                                 sizeof why);
    if (rc == 0 && w->writing) {
        /* It cannot have read the whole call: a forged reply. */
        snprintf(why, sizeof why, "protocol error: a reply before the call was read");
        rc = BATON_EINVAL;
    }
    if (rc == BATON_EPLUGIN) { /* FAULT: the worker exits right after */
        set_why(w, "%s", why);
        w->current = NULL;
        worker_kill(w);
        if (c != NULL)
            call_fail(c, BH_ISO_CRASHED, "%s", w->why); /* no need to wait for the reap */
        return;
    }
    if (rc == 0 && (c == NULL || id != c->id)) {
        snprintf(why, sizeof why, "protocol error: a reply nobody asked for");
        rc = BATON_EINVAL;
    }
    if (rc == 0) {
        const char *plugin = w->p->in->info.name;
        rc = bh_worker_replay(&r, ops, c->a.result, c->a.letter, w->p->in->tenant, plugin, why,
                              sizeof why);
        if (rc == 0 && !bh_rbuf_done(&r)) {
            snprintf(why, sizeof why, "trailing bytes in a reply");
            rc = BATON_EINVAL;
        }
        if (rc != 0 && strncmp(why, "protocol error", 14) != 0) {
            char tmp[256];
            snprintf(tmp, sizeof tmp, "protocol error: %s", why);
            snprintf(why, sizeof why, "%s", tmp);
        }
    }
    if (rc != 0) {
        set_why(w, "%s", why);
        worker_kill(w);
        return;
    }
    w->current = NULL;
    w->state = W_IDLE;
    bh_iso_outcome o;
    memset(&o, 0, sizeof o);
    o.status = BH_ISO_OK;
    o.plugin_rc = plugin_rc;
    o.failed = failed;
    o.reason = reason;
    call_finish(c, &o);
    pool_dispatch(w->p);
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    worker *w = s->data;
    (void)buf;
    if (n < 0) {
        set_why(w, "%s", "worker closed its connection");
        worker_kill(w);
        return;
    }
    w->in_len += (size_t)n;
    size_t at = 0;
    while (w->state != W_DYING && w->in_len - at >= 4) {
        const uint8_t *h = w->in + at;
        uint32_t len =
            (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
        if (len == 0 || len > BH_FRAME_MAX) {
            set_why(w, "%s", "protocol error: a frame of a bad size");
            worker_kill(w);
            return;
        }
        if (w->in_len - at - 4 < len)
            break;
        const uint8_t *payload = h + 4;
        at += 4 + (size_t)len;
        if (w->state == W_STARTING)
            handle_loaded(w, payload, len);
        else if (w->state == W_BUSY)
            handle_reply(w, payload, len);
        else {
            bh_rbuf r = bh_rbuf_of(payload, len);
            if (bh_rbuf_u8(&r) == BH_FRAME_FAULT)
                set_why(w, "%s", bh_rbuf_str(&r, NULL));
            else
                set_why(w, "%s", "protocol error: a frame while idle");
            worker_kill(w);
        }
    }
    if (w->state == W_DYING)
        return;
    if (at > 0) {
        memmove(w->in, w->in + at, w->in_len - at);
        w->in_len -= at;
    }
    if (w->in_len == 0 && w->in_cap > (1u << 20)) {
        /* A large reply is over: give its buffer back. */
        free(w->in);
        w->in = NULL;
        w->in_cap = 0;
    }
}

static void on_written(uv_write_t *req, int status)
{
    worker *w = req->data;
    w->writing = 0;
    if (status != 0 && w->state != W_DYING) {
        set_why(w, "%s", "worker stopped reading");
        worker_kill(w);
    }
}

static int worker_send(worker *w)
{
    uv_buf_t b = uv_buf_init((char *)w->out.data, (unsigned)w->out.len);
    /* A frame usually fits the socket buffer: write it now, which saves
     * libuv arming (and disarming) a write watcher for it. */
    int n = uv_try_write((uv_stream_t *)&w->pipe, &b, 1);
    if (n == (int)b.len)
        return 0;
    if (n > 0)
        b = uv_buf_init(b.base + n, b.len - (unsigned)n);
    else if (n != UV_EAGAIN)
        return n;
    w->wreq.data = w;
    int rc = uv_write(&w->wreq, (uv_stream_t *)&w->pipe, &b, 1, on_written);
    w->writing = rc == 0;
    return rc;
}

static void on_load_timeout(uv_timer_t *t)
{
    worker *w = t->data;
    if (w->state != W_STARTING)
        return;
    set_why(w, "%s", "worker timed out while loading");
    worker_kill(w);
}

static void worker_start(pool *p)
{
    bh_isolation *iso = p->iso;
    bh_plugin_instance *in = p->in;
    char err[256];
    worker *w = calloc(1, sizeof *w);
    int fd = -1;
    if (w == NULL)
        return;
    w->p = p;
    w->pidfd = -1;
    bh_wbuf_init(&w->out, BH_FRAME_MAX);
    if (bh_worker_spawn(&in->limits, &w->pid, &fd, err, sizeof err) != 0) {
        bh_wbuf_free(&w->out);
        free(w);
        p->start_failures++;
        p->next_start_ms = uv_now(iso->loop) + BACKOFF_MAX_MS;
        while (p->queue_head != NULL) {
            call *q = p->queue_head;
            queue_remove(p, q);
            call_fail(q, BH_ISO_CRASHED, "%s", err);
        }
        return;
    }
    iso->workers++;
    p->alive++;
    w->next = p->workers;
    p->workers = w;
    p->nworkers++;
    w->state = W_STARTING;
    uv_timer_init(iso->loop, &w->load_timer);
    w->load_timer.data = w;
    w->load_timer_open = 1;
    iso->handles++;
    uv_update_time(iso->loop);
    uv_timer_start(&w->load_timer, on_load_timeout, in->limits.load_timeout_ms, 0);
    uv_pipe_init(iso->loop, &w->pipe, 0);
    w->pipe.data = w;
    uv_pipe_open(&w->pipe, fd);
    w->pipe_open = 1;
    iso->handles++;
    w->pidfd = (int)syscall(SYS_pidfd_open, w->pid, 0);
    if (w->pidfd >= 0 && uv_poll_init(iso->loop, &w->exit_watch, w->pidfd) == 0) {
        w->exit_watch.data = w;
        w->watch_open = 1;
        iso->handles++;
        uv_poll_start(&w->exit_watch, UV_READABLE, on_exit_readable);
    } else if (w->pidfd >= 0) {
        close(w->pidfd);
        w->pidfd = -1;
    }
    bh_frame_load(&w->out, in->tenant, in->path, in->config_json, 0);
    uv_read_start((uv_stream_t *)&w->pipe, on_alloc, on_read);
    if (w->out.failed || worker_send(w) != 0) {
        set_why(w, "%s", "worker failed while loading: cannot send the plugin");
        worker_kill(w);
    }
}

/* Gives queued calls to idle workers, starting workers as allowed. */
static void pool_dispatch(pool *p)
{
    bh_isolation *iso = p->iso;
    while (p->queue_head != NULL) {
        worker *idle = NULL;
        size_t starting = 0;
        for (worker *w = p->workers; w != NULL; w = w->next) {
            if (w->state == W_IDLE && idle == NULL)
                idle = w;
            if (w->state == W_STARTING)
                starting++;
        }
        if (idle == NULL) {
            size_t max = p->in->limits.workers_per_plugin;
            if (max > p->in->limits.tenant_concurrency)
                max = p->in->limits.tenant_concurrency;
            if (p->nworkers >= max || starting > 0)
                return;
            uint64_t now = uv_now(iso->loop);
            if (now < p->next_start_ms) {
                uv_timer_start(&p->backoff, on_backoff, p->next_start_ms - now, 0);
                return;
            }
            worker_start(p);
            continue; /* a start that failed at once has failed the queue */
        }
        call *c = p->queue_head;
        queue_remove(p, c);
        bh_wbuf_reset(&idle->out);
        bh_frame_call(&idle->out, c->id, c->a.caps, c->a.kind, c->a.as_of, c->a.case_text,
                      c->a.case_len, c->a.result_json);
        if (idle->out.failed) {
            call_fail(c, BH_ISO_CRASHED, "%s", "the case is too large for a worker call");
            continue;
        }
        idle->state = W_BUSY;
        idle->current = c;
        idle->idle_cpu_valid = 0;
        c->w = idle;
        /* From here the plugin's own deadline runs. */
        uv_update_time(iso->loop);
        uv_timer_start(&c->deadline, on_deadline, p->in->limits.call_timeout_ms, 0);
        if (worker_send(idle) != 0) {
            set_why(idle, "%s", "worker stopped reading");
            worker_kill(idle);
        }
    }
}

static void on_backoff(uv_timer_t *t)
{
    pool_dispatch(t->data);
}

static void on_deadline(uv_timer_t *t)
{
    call *c = t->data;
    char ms[24];
    snprintf(ms, sizeof ms, "%u", (unsigned)c->p->in->limits.call_timeout_ms);
    if (c->w == NULL) {
        snprintf(ms, sizeof ms, "%u",
                 (unsigned)(c->p->in->limits.call_timeout_ms + c->p->in->limits.load_timeout_ms));
        queue_remove(c->p, c);
        call_fail(c, BH_ISO_TIMEOUT, "no worker was free within %s ms", ms);
        return;
    }
    worker *w = c->w;
    w->current = NULL;
    if (w->state == W_DYING) {
        /* It already failed (EOF, a fault, a protocol error) and is only
         * slow to be reaped: that is the call's outcome, not the clock. */
        call_fail(c, BH_ISO_CRASHED, "%s", w->why_set ? w->why : "worker died");
        return;
    }
    set_why(w, "%s", "deadline passed");
    worker_kill(w);
    call_fail(c, BH_ISO_TIMEOUT, "the call did not finish within the deadline of %s ms", ms);
}

/* ---- pools ---- */

static size_t bucket(const bh_plugin_instance *in)
{
    return ((uintptr_t)in >> 4) % POOL_BUCKETS;
}

static pool *pool_get(bh_isolation *iso, bh_plugin_instance *in)
{
    pool **head = &iso->buckets[bucket(in)];
    for (pool *p = *head; p != NULL; p = p->next)
        if (p->in == in)
            return p;
    pool *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->iso = iso;
    p->in = bh_plugin_instance_ref(in);
    atomic_fetch_add_explicit(&in->pool_refs, 1, memory_order_relaxed);
    uv_timer_init(iso->loop, &p->backoff);
    p->backoff.data = p;
    p->backoff_open = 1;
    iso->handles++;
    p->next = *head;
    *head = p;
    return p;
}

static void pool_maybe_free(pool *p)
{
    if (!p->closing || p->backoff_open || p->alive > 0)
        return;
    bh_isolation *iso = p->iso;
    atomic_fetch_sub_explicit(&p->in->pool_refs, 1, memory_order_relaxed);
    bh_plugin_instance_unref(p->in);
    free(p);
    maybe_free_iso(iso);
}

static void on_backoff_closed(uv_handle_t *h)
{
    pool *p = h->data;
    p->backoff_open = 0;
    p->iso->handles--;
    pool_maybe_free(p);
}

/* Fails its queue, kills its workers, frees it after the timer closed. */
static void pool_close(pool *p)
{
    p->closing = 1;
    while (p->queue_head != NULL) {
        call *q = p->queue_head;
        queue_remove(p, q);
        call_fail(q, BH_ISO_UNAVAILABLE, "%s", "the plugin's workers are shutting down");
    }
    while (p->workers != NULL)
        worker_kill(p->workers);
    uv_close((uv_handle_t *)&p->backoff, on_backoff_closed);
}

/* User + system CPU time of pid in clock ticks, or 0 when unknown. */
static unsigned long long cpu_ticks(pid_t pid)
{
    char path[64], buf[512];
    unsigned long long utime = 0, stime = 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* Fields after the command name (which may hold spaces) start after
     * the last ')': state is field 3, utime 14, stime 15. */
    char *p = strrchr(buf, ')');
    if (p == NULL || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                            &stime) != 2)
        return 0;
    return utime + stime;
}

/*
 * A worker that burns CPU while it has no call (a plugin that forged its
 * reply and kept running) is stopped: between two sweeps an idle worker
 * must not have used more than a fifth of the interval.
 */
static void check_idle_cpu(pool *p)
{
    long hz = sysconf(_SC_CLK_TCK);
    unsigned long long limit = (unsigned long long)(hz > 0 ? hz : 100) * SWEEP_MS / 1000 / 5;
    for (worker *w = p->workers, *next; w != NULL; w = next) {
        next = w->next;
        if (w->state != W_IDLE)
            continue;
        unsigned long long now = cpu_ticks(w->pid);
        if (w->idle_cpu_valid && now > w->idle_cpu + limit) {
            bh_host_log(p->in->tenant, p->in->info.name, BATON_LOG_WARN,
                        "the plugin's worker used CPU while it had no call; it was stopped");
            set_why(w, "%s", "worker used CPU while idle");
            worker_kill(w);
            continue;
        }
        w->idle_cpu = now;
        w->idle_cpu_valid = 1;
    }
}

static void on_sweep(uv_timer_t *t)
{
    bh_isolation *iso = t->data;
    for (size_t b = 0; b < POOL_BUCKETS; b++) {
        pool **pp = &iso->buckets[b];
        while (*pp != NULL) {
            pool *p = *pp;
            int busy = p->queue_head != NULL;
            for (worker *w = p->workers; w != NULL; w = w->next)
                busy |= w->state == W_BUSY;
            /* Only pools (on this loop and others) still hold it: the
             * tenant's plugins moved on. */
            if (!busy && atomic_load_explicit(&p->in->refs, memory_order_acquire) ==
                             atomic_load_explicit(&p->in->pool_refs, memory_order_acquire)) {
                *pp = p->next;
                pool_close(p);
            } else {
                check_idle_cpu(p);
                pp = &p->next;
            }
        }
    }
}

bh_isolation *bh_isolation_new(uv_loop_t *loop)
{
    bh_isolation *iso = calloc(1, sizeof *iso);
    if (iso == NULL)
        return NULL;
    iso->loop = loop;
    uv_timer_init(loop, &iso->sweep);
    iso->sweep.data = iso;
    iso->handles = 1;
    uv_timer_start(&iso->sweep, on_sweep, SWEEP_MS, SWEEP_MS);
    uv_unref((uv_handle_t *)&iso->sweep);
    return iso;
}

void bh_isolation_close(bh_isolation *iso)
{
    if (iso == NULL || iso->closing)
        return;
    iso->closing = 1; /* calls failed below cannot start new pools */
    for (size_t b = 0; b < POOL_BUCKETS; b++) {
        while (iso->buckets[b] != NULL) {
            pool *p = iso->buckets[b];
            iso->buckets[b] = p->next;
            pool_close(p);
        }
    }
    iso->sweep.data = iso;
    uv_close((uv_handle_t *)&iso->sweep, on_handle_closed);
}

size_t bh_isolation_worker_count(const bh_isolation *iso)
{
    return iso->workers;
}

int bh_isolation_call(bh_isolation *iso, bh_plugin_instance *in, const bh_iso_call_args *a,
                      bh_iso_done done, void *ctx)
{
    if (in->mode != BH_MODE_ISOLATED)
        return BATON_EINVAL;
    if (iso->closing)
        return BATON_EUNSUPP;
    if (a->tenant_busy != NULL) {
        unsigned cap = in->limits.tenant_concurrency + in->limits.tenant_queue;
        if (atomic_fetch_add_explicit(a->tenant_busy, 1, memory_order_relaxed) >= cap) {
            atomic_fetch_sub_explicit(a->tenant_busy, 1, memory_order_relaxed);
            return BATON_ELIMIT;
        }
    }
    pool *p = pool_get(iso, in);
    call *c = p != NULL ? calloc(1, sizeof *c) : NULL;
    if (c == NULL) {
        if (a->tenant_busy != NULL)
            atomic_fetch_sub_explicit(a->tenant_busy, 1, memory_order_relaxed);
        return BATON_ENOMEM;
    }
    c->iso = iso;
    c->p = p;
    c->a = *a;
    c->done = done;
    c->ctx = ctx;
    c->id = ++iso->next_call_id;
    uv_timer_init(iso->loop, &c->deadline);
    c->deadline.data = c;
    iso->handles++;
    /* Waiting for a worker (one may have to start) is bounded too; the
     * call's own deadline starts when a worker takes it (pool_dispatch). */
    uv_update_time(iso->loop); /* the loop may have been busy since it last looked */
    uv_timer_start(&c->deadline, on_deadline,
                   (uint64_t)in->limits.call_timeout_ms + in->limits.load_timeout_ms, 0);
    if (p->queue_tail != NULL)
        p->queue_tail->next_queued = c;
    else
        p->queue_head = c;
    p->queue_tail = c;
    pool_dispatch(p);
    return 0;
}
