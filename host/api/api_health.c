/*
 * api_health.c - GET /healthz: the process is up and serving. No token, no
 * tenant data; load balancers poll it, so it does no work at all.
 */
#include "router.h"

void bh_api_health(bh_req *r);

void bh_api_health(bh_req *r)
{
    static const char body[] = "{\"status\":\"ok\"}";
    bh_reply(r, 200, "application/json", body, sizeof(body) - 1, NULL);
}
