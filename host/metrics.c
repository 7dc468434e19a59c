/*
 * metrics.c - counters and Prometheus text (see metrics.h).
 */
#include "metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "baton/plugin.h"

/* Statuses counted one by one; anything else counts as "other". */
static const int statuses[] = {0,   200, 201, 202, 204, 206, 301, 302, 304, 400, 401,
                               403, 404, 405, 408, 409, 410, 411, 412, 413, 414, 415,
                               416, 422, 429, 431, 500, 501, 502, 503, 504, 505};
#define STATUS_SLOTS (sizeof(statuses) / sizeof(statuses[0]) + 1) /* + other */

/* Latency bucket upper bounds in microseconds (le labels in seconds). */
static const uint64_t bucket_us[] = {100,    250,    500,     1000,    2500,
                                     5000,   10000,  25000,   50000,   100000,
                                     250000, 500000, 1000000, 2500000, 10000000};
static const char *const bucket_le[] = {"0.0001", "0.00025", "0.0005", "0.001", "0.0025",
                                        "0.005",  "0.01",    "0.025",  "0.05",  "0.1",
                                        "0.25",   "0.5",     "1",      "2.5",   "10"};
#define BUCKETS (sizeof(bucket_us) / sizeof(bucket_us[0]))

struct route_counters {
    atomic_uint_fast64_t by_status[STATUS_SLOTS];
    atomic_uint_fast64_t bucket[BUCKETS]; /* not cumulative; summed on render */
    atomic_uint_fast64_t count;
    atomic_uint_fast64_t sum_ns;
};

struct bh_metrics {
    size_t route_count;
    const char *const *methods;
    const char *const *patterns;
    struct route_counters *routes; /* route_count + 1 ("unmatched") */
    unsigned char slot_of[600];
    atomic_uint_fast64_t reloads_ok;
    atomic_uint_fast64_t reloads_failed;
    const bh_http_balance *connections; /* NULL: not shown */
    unsigned loops;
};

bh_metrics *bh_metrics_new(size_t route_count, const char *const *methods,
                           const char *const *patterns)
{
    bh_metrics *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return NULL;
    m->routes = calloc(route_count + 1, sizeof(*m->routes));
    if (m->routes == NULL) {
        free(m);
        return NULL;
    }
    m->route_count = route_count;
    m->methods = methods;
    m->patterns = patterns;
    memset(m->slot_of, STATUS_SLOTS - 1, sizeof(m->slot_of));
    for (size_t i = 0; i < STATUS_SLOTS - 1; i++)
        m->slot_of[statuses[i]] = (unsigned char)i;
    return m;
}

void bh_metrics_free(bh_metrics *m)
{
    if (m == NULL)
        return;
    free(m->routes);
    free(m);
}

void bh_metrics_request(bh_metrics *m, int route, int status, uint64_t duration_ns)
{
    struct route_counters *rc;
    uint64_t us = duration_ns / 1000;
    size_t b = 0;

    if (route < 0 || (size_t)route >= m->route_count)
        route = (int)m->route_count;
    rc = &m->routes[route];
    if (status < 0 || status >= (int)sizeof(m->slot_of))
        status = 599;
    atomic_fetch_add_explicit(&rc->by_status[m->slot_of[status]], 1, memory_order_relaxed);
    while (b < BUCKETS && us > bucket_us[b])
        b++;
    if (b < BUCKETS)
        atomic_fetch_add_explicit(&rc->bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&rc->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&rc->sum_ns, duration_ns, memory_order_relaxed);
}

void bh_metrics_reload(bh_metrics *m, int ok)
{
    atomic_fetch_add_explicit(ok ? &m->reloads_ok : &m->reloads_failed, 1, memory_order_relaxed);
}

struct text {
    char *b;
    size_t n, cap;
    int failed;
};

static void add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    int k;

    if (t->failed)
        return;
    for (;;) {
        size_t room = t->cap - t->n;
        va_start(ap, fmt);
        k = vsnprintf(t->b + t->n, room, fmt, ap);
        va_end(ap);
        if (k < 0) {
            t->failed = 1;
            return;
        }
        if ((size_t)k < room) {
            t->n += (size_t)k;
            return;
        }
        size_t ncap = t->cap * 2 + (size_t)k;
        char *nb = realloc(t->b, ncap);
        if (nb == NULL) {
            t->failed = 1;
            return;
        }
        t->b = nb;
        t->cap = ncap;
    }
}

void bh_metrics_watch_connections(bh_metrics *m, const bh_http_balance *b, unsigned loops)
{
    m->connections = b;
    m->loops = loops;
}

/* Label values here are route patterns, tenant ids and plugin names, which
 * config validation keeps free of quotes, backslashes and newlines. */
static const char *route_label(const bh_metrics *m, size_t i)
{
    return i < m->route_count ? m->patterns[i] : "unmatched";
}

static const char *method_label(const bh_metrics *m, size_t i)
{
    return i < m->route_count ? m->methods[i] : "";
}

int bh_metrics_render(bh_metrics *m, const bh_registry *reg, const bh_tenant *viewer, char **out,
                      size_t *len)
{
    struct text t = {malloc(8192), 0, 8192, 0};

    *out = NULL;
    *len = 0;
    if (t.b == NULL)
        return BATON_ENOMEM;

    add(&t,
        "# HELP baton_build_info Version of batond and the plugin SDK it offers.\n"
        "# TYPE baton_build_info gauge\n"
        "baton_build_info{version=\"%s\",sdk=\"%d.%d\"} 1\n",
        BATON_VERSION, BATON_SDK_MAJOR, BATON_SDK_MINOR);

    if (m->connections != NULL) {
        add(&t, "# HELP baton_http_connections Open HTTP connections, by event loop.\n"
                "# TYPE baton_http_connections gauge\n");
        for (unsigned i = 0; i < m->loops; i++)
            add(&t, "baton_http_connections{loop=\"%u\"} %zu\n", i,
                bh_http_balance_connections(m->connections, i));
    }

    add(&t, "# HELP baton_http_requests_total HTTP requests answered, by route and status.\n"
            "# TYPE baton_http_requests_total counter\n");
    for (size_t r = 0; r <= m->route_count; r++) {
        for (size_t s = 0; s < STATUS_SLOTS; s++) {
            uint64_t v = atomic_load_explicit(&m->routes[r].by_status[s], memory_order_relaxed);
            if (v == 0)
                continue;
            if (s < STATUS_SLOTS - 1)
                add(&t,
                    "baton_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} %llu\n",
                    method_label(m, r), route_label(m, r), statuses[s], (unsigned long long)v);
            else
                add(&t,
                    "baton_http_requests_total{method=\"%s\",route=\"%s\",status=\"other\"} "
                    "%llu\n",
                    method_label(m, r), route_label(m, r), (unsigned long long)v);
        }
    }

    add(&t, "# HELP baton_http_request_duration_seconds Time from request line to response "
            "written.\n"
            "# TYPE baton_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= m->route_count; r++) {
        struct route_counters *rc = &m->routes[r];
        uint64_t count = atomic_load_explicit(&rc->count, memory_order_relaxed);
        uint64_t cum = 0;
        uint64_t sum_ns;
        if (count == 0)
            continue;
        for (size_t b = 0; b < BUCKETS; b++) {
            cum += atomic_load_explicit(&rc->bucket[b], memory_order_relaxed);
            add(&t,
                "baton_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%s\"} "
                "%llu\n",
                method_label(m, r), route_label(m, r), bucket_le[b], (unsigned long long)cum);
        }
        if (cum > count)
            count = cum;
        sum_ns = atomic_load_explicit(&rc->sum_ns, memory_order_relaxed);
        add(&t,
            "baton_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} "
            "%llu\n"
            "baton_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %llu.%09llu\n"
            "baton_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
            method_label(m, r), route_label(m, r), (unsigned long long)count, method_label(m, r),
            route_label(m, r), (unsigned long long)(sum_ns / 1000000000u),
            (unsigned long long)(sum_ns % 1000000000u), method_label(m, r), route_label(m, r),
            (unsigned long long)count);
    }

    add(&t,
        "# HELP baton_config_reloads_total Config reloads (SIGHUP), by outcome.\n"
        "# TYPE baton_config_reloads_total counter\n"
        "baton_config_reloads_total{outcome=\"ok\"} %llu\n"
        "baton_config_reloads_total{outcome=\"failed\"} %llu\n",
        (unsigned long long)atomic_load(&m->reloads_ok),
        (unsigned long long)atomic_load(&m->reloads_failed));

    if (reg != NULL) {
        add(&t,
            "# HELP baton_config_generation Generation of the config in use (1 at start).\n"
            "# TYPE baton_config_generation gauge\n"
            "baton_config_generation %llu\n"
            "# HELP baton_tenants Tenants configured.\n"
            "# TYPE baton_tenants gauge\n"
            "baton_tenants %zu\n"
            "# HELP baton_plugins_refused Plugins refused when the config in use was loaded.\n"
            "# TYPE baton_plugins_refused gauge\n"
            "baton_plugins_refused %u\n",
            (unsigned long long)reg->generation, reg->count, reg->refused);
        /* Per tenant and plugin, from the instances' atomic counters. */
        static const struct {
            const char *name, *help;
            size_t off;
        } counters[] = {
            {"baton_plugin_calls_total",
             "Plugin capability calls (since the config in use was loaded): by tenant and "
             "plugin for the tenant scraping, by mode only for an anonymous scrape.",
             offsetof(bh_plugin_instance, calls)},
            {"baton_plugin_failures_total", "Plugin capability calls that failed.",
             offsetof(bh_plugin_instance, failures)},
            {"baton_plugin_crashes_total",
             "Isolated calls whose worker crashed, made a forbidden system call or broke the "
             "protocol.",
             offsetof(bh_plugin_instance, crashes)},
            {"baton_plugin_timeouts_total", "Isolated calls that missed their deadline.",
             offsetof(bh_plugin_instance, timeouts)},
        };
        static const enum bh_plugin_mode modes[] = {BH_MODE_IN_PROCESS, BH_MODE_ISOLATED};
        /* Each tenant's live set, taken once for all the counters. */
        bh_plugin_set **sets = calloc(reg->count + 1, sizeof *sets);
        for (size_t i = 0; sets != NULL && i < reg->count; i++)
            sets[i] = bh_tenant_plugins(&reg->tenants[i]);
        for (size_t c = 0; sets != NULL && c < sizeof counters / sizeof counters[0]; c++) {
            add(&t, "# HELP %s %s\n# TYPE %s counter\n", counters[c].name, counters[c].help,
                counters[c].name);
            if (viewer == NULL) {
                for (size_t md = 0; md < sizeof modes / sizeof modes[0]; md++) {
                    unsigned long long sum = 0;
                    for (size_t i = 0; i < reg->count; i++) {
                        for (size_t k = 0; k < sets[i]->count; k++) {
                            const bh_plugin_instance *in = sets[i]->items[k];
                            if (in->mode == modes[md])
                                sum += atomic_load(
                                    (atomic_uint_fast64_t *)((char *)in + counters[c].off));
                        }
                    }
                    add(&t, "%s{mode=\"%s\"} %llu\n", counters[c].name,
                        bh_plugin_mode_name(modes[md]), sum);
                }
                continue;
            }
            for (size_t i = 0; i < reg->count; i++) {
                if (strcmp(reg->tenants[i].id, viewer->id) != 0)
                    continue;
                for (size_t k = 0; k < sets[i]->count; k++) {
                    const bh_plugin_instance *in = sets[i]->items[k];
                    atomic_uint_fast64_t *v =
                        (atomic_uint_fast64_t *)((char *)in + counters[c].off);
                    add(&t, "%s{tenant=\"%s\",plugin=\"%s\",mode=\"%s\"} %llu\n", counters[c].name,
                        reg->tenants[i].id, in->info.name, bh_plugin_mode_name(in->mode),
                        (unsigned long long)atomic_load(v));
                }
            }
        }
        if (sets == NULL)
            t.failed = 1;
        for (size_t i = 0; sets != NULL && i < reg->count; i++)
            bh_plugin_set_unref(sets[i]);
        free(sets);
    }

    if (t.failed) {
        free(t.b);
        return BATON_ENOMEM;
    }
    *out = t.b;
    *len = t.n;
    return 0;
}
