/*
 * api_metrics.c - GET /metrics: Prometheus text (metrics.h). Public unless
 * the config sets "metrics_auth": "tenant". An anonymous scrape names no
 * tenant; a scrape with a tenant's token adds that tenant's own plugin
 * counters (router.c resolves a token given to the public route). Never
 * tokens or case data.
 */
#include "router.h"

void bh_api_metrics(bh_req *r);

void bh_api_metrics(bh_req *r)
{
    char *text = NULL;
    size_t len = 0;

    if (bh_metrics_render(r->metrics, r->registry, r->tenant, &text, &len) != 0) {
        bh_reply_out_of_memory(r, "rendering metrics");
        return;
    }
    bh_reply_owned(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len, NULL);
}
