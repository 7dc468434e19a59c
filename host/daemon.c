/*
 * daemon.c - batond's threads, loops, signals and request lifecycle
 * (see daemon.h).
 */
#include "daemon.h"
#include "stale_temp.h"
#include "tenant_state.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <uv.h>

#include "baton/error.h"
#include "fd_limit.h"
#include "host_api.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "registry_retire.h"
#include "router.h"
#include "isolation_pool.h"
#include "tenant.h"
#include "tenant_recovery.h"

#define REQ_BUCKETS 1024

struct daemon;

struct worker {
    struct daemon *d;
    unsigned index;
    uv_loop_t loop;
    uv_async_t wake;   /* "drain now" from the main thread */
    bh_isolation *iso; /* this loop's isolated plugin workers */
    uv_thread_t thread;
    uv_sem_t ready;
    bh_http_server *srv;
    int start_rc;
    char start_err[256];
    /* Requests between on_request and on_complete, keyed by the request. */
    bh_req *buckets[REQ_BUCKETS];
};

struct daemon {
    const bh_daemon_options *opt;
    uv_loop_t *loop;
    uv_signal_t sig_term, sig_int, sig_hup;
    bh_registry_slot slot;
    bh_registry_retire retire; /* registries freed on this loop, not a worker's */
    bh_metrics *metrics;
    bh_http_balance *balance; /* the loops' servers, kept even */
    struct worker *workers;
    unsigned nworkers;
    char *host;
    int port;
    bh_http_limits limits;
    uint64_t generation;
    int stopping;
    /* reload on the thread pool */
    uv_work_t reload_work;
    int reloading;
    int reload_again;
    bh_registry *reload_next;
    int reload_rc;
    char reload_err[512];
};

/* ---- logging helpers ---------------------------------------------------- */

void bh_daemon_log_refusal(void *ctx, const char *tenant, const char *file, const char *message)
{
    (void)ctx;
    bh_log(BH_LOG_ERROR, message, "event", "plugin_refused", "tenant", tenant, "file", file, NULL);
}

static void log_problem(void *ctx, const char *line)
{
    (void)ctx;
    bh_log(BH_LOG_ERROR, line, "event", "config_problem", NULL);
}

/* A plugin's log line is cut to this many bytes, so that the fields that
 * say whose line it is always fit in the log line (log.c). */
#define PLUGIN_LOG_MAX 1024

static void plugin_log_sink(const char *tenant, const char *plugin, enum baton_log_level level,
                            const char *msg)
{
    char cut[PLUGIN_LOG_MAX + 4];
    size_t n = strlen(msg);
    if (n > PLUGIN_LOG_MAX) {
        n = PLUGIN_LOG_MAX;
        while (n > 0 && ((unsigned char)msg[n] & 0xC0) == 0x80)
            n--; /* not inside a UTF-8 sequence */
        memcpy(cut, msg, n);
        memcpy(cut + n, "...", 4);
        msg = cut;
    }
    enum bh_log_level l = level == BATON_LOG_DEBUG  ? BH_LOG_DEBUG
                          : level == BATON_LOG_INFO ? BH_LOG_INFO
                          : level == BATON_LOG_WARN ? BH_LOG_WARN
                                                    : BH_LOG_ERROR;
    bh_log(l, msg, "event", "plugin_log", "tenant", tenant, "plugin", plugin, NULL);
}

/* Says once which sandbox layers the plugin workers brought up on this
 * machine (docs/isolation.md: what degrades where). Every configured plugin
 * went through a worker at load, so any instance knows. */
static void log_sandbox(const bh_registry *reg)
{
    for (size_t i = 0; i < reg->count; i++) {
        bh_plugin_set *s = bh_tenant_plugins(&reg->tenants[i]);
        unsigned bits = 0;
        for (size_t k = 0; k < s->count && bits == 0; k++)
            bits = s->items[k]->info.sandbox;
        bh_plugin_set_unref(s);
        if (bits != 0) {
            char layers[160];
            bh_sandbox_names(bits, layers, sizeof layers);
            bh_log(BH_LOG_INFO, "plugin workers locked down", "event", "sandbox", "layers", layers,
                   NULL);
            return;
        }
    }
}

/* ---- requests ------------------------------------------------------------ */

static size_t bucket_of(const bh_http_request *req)
{
    return ((uintptr_t)req >> 4) % REQ_BUCKETS;
}

static void map_put(struct worker *w, bh_req *r)
{
    size_t b = bucket_of(r->http);
    r->next = w->buckets[b];
    w->buckets[b] = r;
}

static bh_req *map_take(struct worker *w, const bh_http_request *req)
{
    bh_req **p = &w->buckets[bucket_of(req)];
    while (*p != NULL) {
        if ((*p)->http == req) {
            bh_req *r = *p;
            *p = r->next;
            return r;
        }
        p = &(*p)->next;
    }
    return NULL;
}

/* Counts and logs one finished request; req is valid only during
 * on_complete, so this runs there. */
static void account(struct worker *w, bh_req *r, const bh_http_request *req, int status,
                    uint64_t bytes, uint64_t ns)
{
    bh_metrics_request(w->d->metrics, r->route_index, status, ns);
    if (r->registry->config->log_requests) {
        bh_log_request_fields f = {
            .request_id = req->request_id,
            .method = req->method,
            .route = r->route != NULL ? r->route->pattern : NULL,
            .path = req->path,
            .tenant = r->tenant != NULL ? r->tenant->id : NULL,
            .peer = req->peer,
            .error = r->error_code[0] != '\0' ? r->error_code : NULL,
            .status = status,
            .duration_ns = ns,
            .bytes_out = bytes,
        };
        bh_log_request(&f);
    }
}

static void req_free(bh_req *r)
{
    if (r->stream_cleanup != NULL)
        r->stream_cleanup(r);
    bh_req_release(r);
    bh_registry_unref(r->registry);
    free(r);
}

static bh_req *map_find(struct worker *w, const bh_http_request *req)
{
    for (bh_req *r = w->buckets[bucket_of(req)]; r != NULL; r = r->next) {
        if (r->http == req)
            return r;
    }
    return NULL;
}

static bh_req *req_new(struct worker *w, bh_http_exchange *ex, const bh_http_request *req)
{
    bh_req *r = calloc(1, sizeof(*r));

    if (r == NULL) {
        bh_http_respond_error(ex, 503, "out_of_memory", "the server is out of memory");
        return NULL;
    }
    r->ex = ex;
    r->http = req;
    r->loop = &w->loop;
    r->iso = w->iso;
    r->metrics = w->d->metrics;
    r->route_index = -1;
    r->registry = bh_registry_slot_acquire(&w->d->slot);
    r->slot = &w->d->slot;
    map_put(w, r);
    return r;
}

/* Every request is routed and authenticated here, before its body: a
 * refused one is answered without reading the body, and an upload opens
 * its sink so the body streams instead of being buffered. */
static void on_headers(void *app, bh_http_exchange *ex, const bh_http_request *req,
                       bh_http_body_stream *stream)
{
    struct worker *w = app;
    bh_req *r;

    if ((r = req_new(w, ex, req)) == NULL)
        return;
    r->dispatching = 1;
    bh_router_headers(r, stream);
    r->dispatching = 0;
    if (r->completed)
        req_free(r);
}

static void on_request(void *app, bh_http_exchange *ex, const bh_http_request *req)
{
    struct worker *w = app;
    bh_req *r = map_find(w, req);

    if (r == NULL && (r = req_new(w, ex, req)) == NULL)
        return;
    /* A response written at once may complete inside dispatch; r is then
     * freed only once dispatch has returned (see on_complete). */
    r->dispatching = 1;
    bh_router_dispatch(r);
    r->dispatching = 0;
    if (r->completed)
        req_free(r);
}

static void on_complete(void *app, const bh_http_request *req, int status, uint64_t bytes_out,
                        uint64_t duration_ns)
{
    struct worker *w = app;
    bh_req *r = map_take(w, req);

    if (r == NULL) {
        /* Answered by the HTTP layer itself (malformed, too large, timeout). */
        bh_metrics_request(w->d->metrics, -1, status, duration_ns);
        bh_log_request_fields f = {
            .request_id = req->request_id,
            .method = req->method,
            .path = req->path,
            .peer = req->peer,
            .status = status,
            .duration_ns = duration_ns,
            .bytes_out = bytes_out,
        };
        bh_log_request(&f);
        return;
    }
    account(w, r, req, status, bytes_out, duration_ns);
    if (r->dispatching)
        r->completed = 1; /* freed when dispatch returns */
    else
        req_free(r);
}

/* The HTTP layer calls this at most once a second per loop. */
static void on_accept_error(void *app, int err, uint64_t suppressed)
{
    char more[24];
    (void)app;
    snprintf(more, sizeof(more), "%llu", (unsigned long long)suppressed);
    bh_log(BH_LOG_ERROR,
           err == UV_EMFILE || err == UV_ENFILE
               ? "cannot accept a connection: out of file descriptors; accepting again shortly"
               : "cannot accept a connection; accepting again shortly",
           "event", "accept_failed", "reason", uv_strerror(err), "suppressed", more, NULL);
}

/* ---- workers ------------------------------------------------------------- */

static void on_drained(void *arg)
{
    struct worker *w = arg;
    /* The server is freed once uv_run returns, outside its own callback.
     * Requests have all finished: the workers can go. */
    uv_close((uv_handle_t *)&w->wake, NULL);
    bh_isolation_close(w->iso);
    w->iso = NULL;
    bh_log_detach_loop();
}

static void on_wake(uv_async_t *a)
{
    struct worker *w = a->data;
    if (w->srv != NULL)
        bh_http_server_drain(w->srv, on_drained, w);
}

static void worker_main(void *arg)
{
    struct worker *w = arg;
    struct daemon *d = w->d;
    bh_http_server_options so;

    memset(&so, 0, sizeof(so));
    so.host = d->host;
    so.port = d->port;
    so.reuse_port = d->nworkers > 1;
    so.balance = d->balance;
    so.balance_slot = w->index;
    so.limits = d->limits;
    so.callbacks.on_headers = on_headers;
    so.callbacks.on_request = on_request;
    so.callbacks.on_complete = on_complete;
    so.callbacks.on_accept_error = on_accept_error;
    so.app = w;

    w->start_rc = uv_loop_init(&w->loop);
    if (w->start_rc != 0) {
        snprintf(w->start_err, sizeof(w->start_err), "uv_loop_init: %s", uv_strerror(w->start_rc));
        uv_sem_post(&w->ready);
        return;
    }
    w->wake.data = w;
    uv_async_init(&w->loop, &w->wake, on_wake);
    if ((w->iso = bh_isolation_new(&w->loop)) == NULL) {
        w->start_rc = UV_ENOMEM;
        snprintf(w->start_err, sizeof(w->start_err), "out of memory");
        uv_close((uv_handle_t *)&w->wake, NULL);
        uv_run(&w->loop, UV_RUN_DEFAULT);
        uv_sem_post(&w->ready);
        uv_loop_close(&w->loop);
        return;
    }
    w->start_rc = bh_http_server_start(&w->loop, &so, &w->srv, w->start_err, sizeof(w->start_err));
    if (w->start_rc == 0) {
        bh_log_attach_loop(&w->loop);
        if (d->port == 0)
            d->port = bh_http_server_port(w->srv); /* the others bind the same port */
        uv_sem_post(&w->ready);
        uv_run(&w->loop, UV_RUN_DEFAULT);
        bh_http_server_free(w->srv);
        w->srv = NULL;
        uv_run(&w->loop, UV_RUN_DEFAULT);
    } else {
        uv_close((uv_handle_t *)&w->wake, NULL);
        bh_isolation_close(w->iso);
        uv_run(&w->loop, UV_RUN_DEFAULT);
        uv_sem_post(&w->ready);
    }
    bh_log_flush();
    uv_loop_close(&w->loop);
}

/*
 * The log fields saying how a registry's in-process plugins were built:
 * instances its tenants share (distinct file and config), and how many of
 * them this build opened and initialised (the rest came from the previous
 * registry).
 */
static void shared_fields(const bh_registry *r, char out[2][24])
{
    const bh_shared_plugins_stats *s = &r->shared_stats;
    snprintf(out[0], sizeof out[0], "%zu", s->count + s->unshared);
    snprintf(out[1], sizeof out[1], "%zu", s->opened + s->unshared);
}

/* ---- reload -------------------------------------------------------------- */

static void reload_work(uv_work_t *req)
{
    struct daemon *d = req->data;
    bh_config *cfg = NULL;

    d->reload_next = NULL;
    d->reload_err[0] = '\0';
    d->reload_rc = bh_config_load(d->opt->config_path, &d->opt->overrides, log_problem, NULL, &cfg,
                                  d->reload_err, sizeof(d->reload_err));
    if (d->reload_rc != 0)
        return;
    /* The registry in use lends its plugin instances to the new one: what
     * did not change is not opened and initialised again. */
    bh_registry *previous = bh_registry_slot_acquire(&d->slot);
    d->reload_rc = bh_registry_build(cfg, d->generation + 1, previous, bh_daemon_log_refusal, NULL,
                                     &d->reload_next, d->reload_err, sizeof(d->reload_err));
    bh_registry_unref(previous);
}

static void start_reload(struct daemon *d);

static void reload_done(uv_work_t *req, int status)
{
    struct daemon *d = req->data;
    d->reloading = 0;
    if (status == 0 && d->reload_rc == 0 && !d->stopping) {
        char gen[24], tenants[24], refused[24], shared[2][24];
        const bh_config *c = d->reload_next->config;
        d->generation++;
        snprintf(gen, sizeof(gen), "%llu", (unsigned long long)d->generation);
        snprintf(tenants, sizeof(tenants), "%zu", d->reload_next->count);
        snprintf(refused, sizeof(refused), "%u", d->reload_next->refused);
        shared_fields(d->reload_next, shared);
        if (strcmp(c->listen_host, d->host) != 0 ||
            (c->listen_port != d->port && c->listen_port != 0) || c->workers != d->nworkers)
            bh_log(BH_LOG_WARN, "listen and workers changes take effect after a restart", "event",
                   "config_reload", NULL);
        bh_log_set_level((enum bh_log_level)c->log_level);
        if (bh_uploads_epoch() != d->reload_next->uploads_epoch && !d->reload_again) {
            /* An upload was activated while this registry was being built:
             * it may have read the catalog before. Build once more. */
            bh_log(BH_LOG_INFO, "a plugin was activated during the reload; reloading again",
                   "event", "config_reload", NULL);
            d->reload_again = 1;
        }
        bh_registry_slot_swap(&d->slot, d->reload_next);
        d->reload_next = NULL;
        bh_metrics_reload(d->metrics, 1);
        bh_log(BH_LOG_INFO, "config reloaded", "event", "config_reload", "generation", gen,
               "tenants", tenants, "plugins_refused", refused, "plugin_instances", shared[0],
               "plugin_inits", shared[1], NULL);
    } else {
        bh_registry_unref(d->reload_next);
        d->reload_next = NULL;
        bh_metrics_reload(d->metrics, 0);
        bh_log(BH_LOG_ERROR, "config reload failed; keeping the running config", "event",
               "config_reload", "reason", d->reload_err[0] != '\0' ? d->reload_err : "cancelled",
               NULL);
    }
    if (d->reload_again && !d->stopping) {
        d->reload_again = 0;
        start_reload(d);
    }
}

static void start_reload(struct daemon *d)
{
    int rc;
    if (d->reloading) {
        d->reload_again = 1; /* a newer SIGHUP: reload again after this one */
        return;
    }
    bh_log(BH_LOG_INFO, "reloading config", "event", "config_reload", "config", d->opt->config_path,
           NULL);
    d->reload_work.data = d;
    rc = uv_queue_work(d->loop, &d->reload_work, reload_work, reload_done);
    if (rc == 0)
        d->reloading = 1;
    else
        bh_log(BH_LOG_ERROR, "config reload could not start", "reason", uv_strerror(rc), NULL);
}

/* ---- signals ------------------------------------------------------------- */

static void on_signal(uv_signal_t *h, int signum)
{
    struct daemon *d = h->data;

    if (signum == SIGHUP) {
        if (!d->stopping)
            start_reload(d);
        return;
    }
    if (d->stopping)
        return;
    d->stopping = 1;
    bh_log(BH_LOG_INFO, "draining: no new connections, finishing requests in flight", "event",
           "shutdown", "signal", signum == SIGTERM ? "SIGTERM" : "SIGINT", NULL);
    for (unsigned i = 0; i < d->nworkers; i++)
        uv_async_send(&d->workers[i].wake);
    uv_close((uv_handle_t *)&d->sig_term, NULL);
    uv_close((uv_handle_t *)&d->sig_int, NULL);
    uv_close((uv_handle_t *)&d->sig_hup, NULL);
}

/* ---- run ----------------------------------------------------------------- */

static int make_data_dir(const char *path)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST)
        return 0;
    return -errno;
}

int bh_daemon_run(const bh_daemon_options *opt)
{
    struct daemon d;
    bh_config *cfg = NULL;
    bh_registry *reg = NULL;
    const char *methods[64], *patterns[64];
    char err[512], addr[300], buf[3][24], shared[2][24];
    unsigned started = 0;
    int start_failed = 0;
    int exit_code = 1;
    int rc;

    memset(&d, 0, sizeof(d));
    d.opt = opt;
    d.loop = uv_default_loop();
    bh_host_api_set_log_sink(plugin_log_sink);
    /* A peer closing a socket mid-write must not kill the process. */
    signal(SIGPIPE, SIG_IGN);

    rc = bh_config_load(opt->config_path, &opt->overrides, log_problem, NULL, &cfg, err,
                        sizeof(err));
    if (rc != 0) {
        bh_log(BH_LOG_ERROR, "invalid config; not starting", "config", opt->config_path, NULL);
        return 1;
    }
    bh_log_set_level((enum bh_log_level)cfg->log_level);
    bh_fd_limit_raise(cfg->workers, cfg->limits.max_connections);
    if ((rc = make_data_dir(cfg->data_dir)) != 0) {
        bh_log(BH_LOG_ERROR, "cannot create the data directory", "data_dir", cfg->data_dir,
               "reason", strerror(-rc), NULL);
        bh_config_free(cfg);
        return 1;
    }
    {
        /* What an abrupt end of an earlier run left behind (stale_temp.h). */
        bh_stale_report sr;
        char n[24];
        if (bh_stale_temp_clean(cfg->data_dir, &sr, err, sizeof(err)) != 0) {
            bh_log(BH_LOG_ERROR, "cannot lock the data directory", "reason", err, NULL);
        } else if (sr.locked_out) {
            bh_log(BH_LOG_WARN,
                   "another process holds the data directory's lock; stale temporary files are "
                   "left alone",
                   "data_dir", cfg->data_dir, NULL);
        } else if (sr.removed > 0) {
            snprintf(n, sizeof n, "%u", sr.removed);
            bh_log(BH_LOG_INFO, "removed stale temporary files of an earlier run", "count", n,
                   NULL);
        }
    }
    d.host = strdup(cfg->listen_host);
    d.port = cfg->listen_port;
    d.nworkers = cfg->workers;
    d.limits = cfg->limits;
    if (d.host == NULL) {
        bh_config_free(cfg);
        return 1;
    }
    rc = bh_registry_build(cfg, 1, NULL, bh_daemon_log_refusal, NULL, &reg, err, sizeof(err));
    if (rc != 0) {
        bh_log(BH_LOG_ERROR, "cannot build the tenant registry; not starting", "reason", err, NULL);
        free(d.host);
        return 1;
    }
    d.generation = 1;
    bh_registry_slot_init(&d.slot, reg);
    if (bh_registry_retire_start(&d.retire, d.loop) != 0)
        bh_log(BH_LOG_WARN,
               "cannot hand retired registries to the main loop; a request ending after a "
               "reload frees the old one on its own loop",
               NULL);
    /* Tenants' stores and keys are opened on first use (tenant_state.h),
     * not here: ten thousand tenants start in the time of their config. */
    /* What a crash interrupted between two tenants is finished before the
     * first request (docs/handoffs-api.md, "Crashes"). */
    bh_recover_tenants(reg, cfg->data_dir);

    if (bh_route_count > sizeof(methods) / sizeof(methods[0])) {
        bh_log(BH_LOG_ERROR, "too many routes for the metrics table; not starting", NULL);
        goto out;
    }
    for (size_t i = 0; i < bh_route_count; i++) {
        methods[i] = bh_routes[i].method;
        patterns[i] = bh_routes[i].pattern;
    }
    d.metrics = bh_metrics_new(bh_route_count, methods, patterns);
    d.workers = calloc(d.nworkers, sizeof(*d.workers));
    d.balance = bh_http_balance_new(d.nworkers);
    if (d.metrics == NULL || d.workers == NULL || d.balance == NULL)
        goto out;
    bh_metrics_watch_connections(d.metrics, d.balance, d.nworkers);

    for (unsigned i = 0; i < d.nworkers; i++) {
        struct worker *w = &d.workers[i];
        w->d = &d;
        w->index = i;
        uv_sem_init(&w->ready, 0);
        if (uv_thread_create(&w->thread, worker_main, w) != 0) {
            uv_sem_destroy(&w->ready);
            bh_log(BH_LOG_ERROR, "cannot start a worker thread", NULL);
            start_failed = 1;
            break;
        }
        uv_sem_wait(&w->ready);
        uv_sem_destroy(&w->ready);
        started++;
        if (w->start_rc != 0) {
            bh_log(BH_LOG_ERROR, "cannot listen", "address", d.host, "reason", w->start_err, NULL);
            start_failed = 1;
            break;
        }
    }
    if (start_failed) {
        for (unsigned i = 0; i < started; i++)
            if (d.workers[i].start_rc == 0)
                uv_async_send(&d.workers[i].wake);
        for (unsigned i = 0; i < started; i++)
            uv_thread_join(&d.workers[i].thread);
        goto out;
    }

    d.sig_term.data = d.sig_int.data = d.sig_hup.data = &d;
    uv_signal_init(d.loop, &d.sig_term);
    uv_signal_init(d.loop, &d.sig_int);
    uv_signal_init(d.loop, &d.sig_hup);
    uv_signal_start(&d.sig_term, on_signal, SIGTERM);
    uv_signal_start(&d.sig_int, on_signal, SIGINT);
    uv_signal_start(&d.sig_hup, on_signal, SIGHUP);

    snprintf(addr, sizeof(addr), strchr(d.host, ':') != NULL ? "[%s]:%d" : "%s:%d", d.host, d.port);
    snprintf(buf[0], sizeof(buf[0]), "%u", d.nworkers);
    snprintf(buf[1], sizeof(buf[1]), "%zu", reg->count);
    snprintf(buf[2], sizeof(buf[2]), "%u", reg->refused);
    shared_fields(reg, shared);
    bh_log(BH_LOG_INFO, "listening", "event", "listening", "address", addr, "workers", buf[0],
           "tenants", buf[1], "plugins_refused", buf[2], "plugin_instances", shared[0],
           "plugin_inits", shared[1], "config", opt->config_path, "version", BATON_VERSION, NULL);
    log_sandbox(reg);

    uv_run(d.loop, UV_RUN_DEFAULT);
    for (unsigned i = 0; i < d.nworkers; i++)
        uv_thread_join(&d.workers[i].thread);
    bh_log(BH_LOG_INFO, "stopped", "event", "shutdown", NULL);
    exit_code = 0;
out:
    bh_registry_slot_clear(&d.slot);
    bh_registry_retire_stop(&d.retire, d.loop);
    bh_checkpoint_tenants();
    bh_tenant_states_close();
    bh_metrics_free(d.metrics);
    bh_http_balance_free(d.balance);
    free(d.workers);
    free(d.host);
    uv_loop_close(d.loop);
    bh_log_flush();
    return exit_code;
}
