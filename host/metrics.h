/*
 * metrics.h - batond's counters and their Prometheus text exposition.
 *
 * Counts requests by route and status, a latency histogram per route, and
 * (read at scrape time from the current registry) plugin calls and failures
 * per tenant and plugin, shown to that tenant only (see bh_metrics_render).
 * Counters are atomics updated with relaxed ordering, so any loop thread may
 * record without locks; a scrape reads each counter once and may mix values
 * from requests still finishing, as Prometheus expects.
 *
 * Owns: the counters and the text format (exposition format 0.0.4).
 * Does not own: the routes (it is told their labels at creation) or the
 * plugin counters (plugin_set.h keeps those).
 */
#ifndef BH_METRICS_H
#define BH_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "tenant.h"

typedef struct bh_metrics bh_metrics;

/* A metrics set for route_count routes; methods[i] and patterns[i] label
 * route i (borrowed, must outlive the set). NULL on ENOMEM. */
bh_metrics *bh_metrics_new(size_t route_count, const char *const *methods,
                           const char *const *patterns);
void bh_metrics_free(bh_metrics *m);

/* Records one finished request. route is an index below route_count, or -1
 * when no route matched (or the HTTP layer answered by itself). status 0
 * means the client went away before an answer. */
void bh_metrics_request(bh_metrics *m, int route, int status, uint64_t duration_ns);

/* Shows each of the loops' open connections (baton_http_connections) from
 * b (borrowed, must outlive the set), read at scrape time. */
void bh_metrics_watch_connections(bh_metrics *m, const bh_http_balance *b, unsigned loops);

/* Records a registry reload: ok or failed. */
void bh_metrics_reload(bh_metrics *m, int ok);

/*
 * Renders every metric as Prometheus text; reg (may be NULL) supplies the
 * plugin counters and tenant counts. viewer is the tenant the scrape
 * authenticated as, or NULL for an anonymous scrape:
 *   - with a viewer, the plugin counters are that tenant's own, labelled
 *     with its id and plugin names; no other tenant appears;
 *   - without one, they are summed over all tenants and plugins by mode
 *     only, so an anonymous scrape names no tenant (nor an agency's
 *     plugin, which is often named after it).
 * On success *out is a malloc'd buffer the caller frees and *len its length.
 */
int bh_metrics_render(bh_metrics *m, const bh_registry *reg, const bh_tenant *viewer, char **out,
                      size_t *len);

#endif
