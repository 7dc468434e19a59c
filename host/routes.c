/*
 * routes.c - batond's one route table.
 *
 * To add an endpoint, add one line to BH_ROUTE_TABLE below:
 *     ROUTE("POST", "/v1/things/:id", bh_api_things_post, BH_ACCESS_AGENCY)
 * and write the handler, void bh_api_things_post(bh_req *r), in
 * api_<area>.c. The line declares the handler too; nothing else needs
 * editing. Patterns are literal segments or ":name" (see router.h); order
 * matters only between patterns that could match the same path (first wins).
 * The pattern is also the route label in /metrics and in the access log.
 */
#include "router.h"

/* clang-format off */
#define BH_ROUTE_TABLE(ROUTE)                                                               \
    ROUTE("GET",  "/healthz",           bh_api_health,   BH_ACCESS_PUBLIC)                  \
    ROUTE("GET",  "/metrics",           bh_api_metrics,  BH_ACCESS_METRICS)                 \
    ROUTE("GET",  "/v1/plugins",        bh_api_plugins,  BH_ACCESS_TENANT)                  \
    ROUTE("POST", "/v1/cases/evaluate", bh_api_evaluate, BH_ACCESS_AGENCY)                  \
    ROUTE("GET",  "/v1/letters",        bh_api_letters_list, BH_ACCESS_TENANT)              \
    ROUTE("POST", "/v1/letters",        bh_api_letters_post, BH_ACCESS_AGENCY)
/* clang-format on */

#define DECLARE(method, pattern, handler, access) void handler(bh_req *r);
BH_ROUTE_TABLE(DECLARE)

#define ENTRY(method, pattern, handler, access) {method, pattern, handler, access},
const bh_route bh_routes[] = {BH_ROUTE_TABLE(ENTRY)};
const size_t bh_route_count = sizeof(bh_routes) / sizeof(bh_routes[0]);
