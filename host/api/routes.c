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
    ROUTE("POST", "/v1/plugins/:name/activate", bh_api_plugin_activate, BH_ACCESS_TENANT)   \
    ROUTE("POST", "/v1/plugins/:name/rollback", bh_api_plugin_rollback, BH_ACCESS_TENANT)   \
    ROUTE("DELETE", "/v1/plugins/:name/:sha256", bh_api_plugin_delete, BH_ACCESS_TENANT)    \
    ROUTE("POST", "/v1/cases/evaluate", bh_api_evaluate, BH_ACCESS_AGENCY)                  \
    ROUTE("GET",  "/v1/letters",        bh_api_letters_list, BH_ACCESS_TENANT)              \
    ROUTE("POST", "/v1/letters",        bh_api_letters_post, BH_ACCESS_AGENCY)              \
    ROUTE("POST", "/v1/handoffs",       bh_api_handoff_create, BH_ACCESS_AGENCY)            \
    ROUTE("GET",  "/v1/handoffs",       bh_api_handoff_list, BH_ACCESS_AGENCY)              \
    ROUTE("GET",  "/v1/handoffs/:id",   bh_api_handoff_get, BH_ACCESS_AGENCY)               \
    ROUTE("GET",  "/v1/handoffs/:id/package", bh_api_handoff_package, BH_ACCESS_AGENCY)     \
    ROUTE("POST", "/v1/handoffs/:id/receipt", bh_api_handoff_receipt, BH_ACCESS_AGENCY)     \
    ROUTE("GET",  "/v1/handoffs/:id/ygc", bh_api_handoff_ygc, BH_ACCESS_AGENCY)             \
    ROUTE("GET",  "/v1/inbox",          bh_api_inbox_list, BH_ACCESS_LAWFIRM)               \
    ROUTE("GET",  "/v1/inbox/:id",      bh_api_inbox_get, BH_ACCESS_LAWFIRM)                \
    ROUTE("POST", "/v1/inbox/:id/accept", bh_api_inbox_accept, BH_ACCESS_LAWFIRM)           \
    ROUTE("POST", "/v1/inbox/:id/reject", bh_api_inbox_reject, BH_ACCESS_LAWFIRM)           \
    ROUTE("POST", "/v1/inbox/:id/events", bh_api_inbox_events_post, BH_ACCESS_LAWFIRM)     \
    ROUTE("POST", "/v1/inbox/:id/events/ygc", bh_api_inbox_events_ygc, BH_ACCESS_LAWFIRM)  \
    ROUTE("GET",  "/v1/inbox/:id/events", bh_api_inbox_events_list, BH_ACCESS_LAWFIRM)      \
    ROUTE("POST", "/v1/placements/:id/events", bh_api_placement_events_post, BH_ACCESS_AGENCY) \
    ROUTE("POST", "/v1/placements/:id/events/import", bh_api_placement_events_import,       \
          BH_ACCESS_AGENCY)                                                                 \
    ROUTE("GET",  "/v1/placements/:id/events", bh_api_placement_events_list, BH_ACCESS_AGENCY) \
    ROUTE("GET",  "/v1/placements",     bh_api_placements_list, BH_ACCESS_AGENCY)            \
    ROUTE("GET",  "/v1/placements/:id", bh_api_placement_get, BH_ACCESS_AGENCY)              \
    ROUTE("GET",  "/v1/oversight",      bh_api_oversight, BH_ACCESS_AGENCY)                  \
    ROUTE("GET",  "/v1/audit",          bh_api_audit, BH_ACCESS_TENANT)                     \
    ROUTE("GET",  "/v1/audit/checkpoints", bh_api_audit_checkpoints, BH_ACCESS_TENANT)

/*
 * Uploads: the body streams to stream_open's sink (router.h) instead of
 * being buffered; the handler runs when it has all arrived.
 *     UPLOAD(method, pattern, handler, stream_open, access)
 */
#define BH_UPLOAD_TABLE(UPLOAD)                                                             \
    UPLOAD("PUT", "/v1/documents", bh_api_document_put, bh_api_document_put_stream,         \
           BH_ACCESS_AGENCY)                                                                \
    UPLOAD("POST", "/v1/plugins", bh_api_plugin_upload, bh_api_plugin_upload_stream,        \
           BH_ACCESS_TENANT)                                                                \
    UPLOAD("POST", "/v1/cases/evaluate/batch", bh_api_evaluate_batch,                       \
           bh_api_evaluate_batch_stream, BH_ACCESS_AGENCY)
/* clang-format on */

#define DECLARE(method, pattern, handler, access) void handler(bh_req *r);
#define DECLARE_UPLOAD(method, pattern, handler, stream_open, access)                              \
    void handler(bh_req *r);                                                                       \
    void stream_open(bh_req *r, bh_http_body_stream *stream);
BH_ROUTE_TABLE(DECLARE)
BH_UPLOAD_TABLE(DECLARE_UPLOAD)

#define ENTRY(method, pattern, handler, access) {method, pattern, handler, access, NULL},
#define UPLOAD_ENTRY(method, pattern, handler, stream_open, access)                                \
    {method, pattern, handler, access, stream_open},
const bh_route bh_routes[] = {BH_ROUTE_TABLE(ENTRY) BH_UPLOAD_TABLE(UPLOAD_ENTRY)};
const size_t bh_route_count = sizeof(bh_routes) / sizeof(bh_routes[0]);
