/*
 * router.h - the route table's types, the per-request context handlers
 * receive, and dispatch: match, authenticate, authorise, call.
 *
 * Routes live in one table in routes.c. A route is a method, a path pattern
 * whose segments are literal or ":name" (one segment, available to the
 * handler as bh_req_param(r, "name")), a handler, and who may call it.
 * Dispatch answers by itself:
 *   404 not_found            no route matches the path
 *   405 method_not_allowed   the path matches but not the method (Allow: ...)
 *   400 bad_request          more than one Authorization header
 *   401 unauthorized         no or unknown bearer token (WWW-Authenticate);
 *                            the connection closes after it
 *   403 forbidden            the tenant's kind may not call this route
 * Every authenticated request is scoped to exactly one tenant (r->tenant),
 * resolved from its token against the registry the request holds; handlers
 * only ever look at that tenant's plugins and data.
 *
 * Owns: matching, access checks, the reply helpers (which record status and
 * error code for the access log). Does not own: what handlers do, the HTTP
 * connection (http.h), or the request's lifetime (daemon.c creates a
 * bh_req per request and frees it after the response is written).
 */
#ifndef BH_ROUTER_H
#define BH_ROUTER_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "metrics.h"
#include "plugin_call.h"
#include "tenant.h"

enum bh_access {
    BH_ACCESS_PUBLIC = 0,  /* no token needed */
    BH_ACCESS_METRICS = 1, /* public unless metrics_auth is "tenant" */
    BH_ACCESS_TENANT = 2,  /* any tenant's token */
    BH_ACCESS_AGENCY = 3,  /* agency tenants only */
    BH_ACCESS_LAWFIRM = 4, /* law-firm tenants only */
};

#define BH_ROUTE_MAX_PARAMS 4

typedef struct bh_req bh_req;
typedef void (*bh_handler_fn)(bh_req *r);
/* For uploads: called once the headers are in and the caller is
 * authenticated, before any body byte; fills *stream to receive the body in
 * chunks (or answers at once). The route's handler runs when the body has
 * arrived. */
typedef void (*bh_stream_fn)(bh_req *r, bh_http_body_stream *stream);

typedef struct bh_route {
    const char *method;
    const char *pattern;
    bh_handler_fn handler;
    enum bh_access access;
    bh_stream_fn stream_open; /* NULL: the body is buffered (most routes) */
} bh_route;

/* The route table (routes.c). */
extern const bh_route bh_routes[];
extern const size_t bh_route_count;

/* What a handler gets for one request. */
struct bh_req {
    bh_http_exchange *ex;
    const bh_http_request *http;
    uv_loop_t *loop;         /* the loop thread this request runs on */
    bh_isolation *iso;       /* that loop's isolated plugin workers */
    bh_registry *registry;   /* a reference held until the request is freed */
    bh_registry_slot *slot;  /* the current registry (for changes that must
                                reach it, not the one the request began on) */
    const bh_tenant *tenant; /* NULL on public routes */
    bh_metrics *metrics;
    const bh_route *route; /* NULL until matched */
    int route_index;       /* -1 until matched */
    size_t param_count;
    const char *param_names[BH_ROUTE_MAX_PARAMS];
    char *param_values[BH_ROUTE_MAX_PARAMS]; /* owned */
    int status;                              /* 0 until answered */
    char error_code[48];                     /* code of an error answer, "" otherwise */
    /* A streamed body's state, owned by the route's stream_open; cleanup
     * runs when the request is freed, answered or not. */
    void *stream_ctx;
    void (*stream_cleanup)(bh_req *r);
    /* daemon.c's bookkeeping */
    int dispatching;
    int completed;
    bh_req *next;
};

/* Matches method and path (HEAD matches a GET route). Returns the route index, -404 when no route
 * matches the path, -405 when only the method differs (allow then lists the
 * methods, comma-separated). On a match, fills r's params when r != NULL. */
int bh_router_match(const char *method, const char *path, bh_req *r, char *allow, size_t allowlen);

/* Routes, authenticates and calls the handler (or answers the error). */
void bh_router_dispatch(bh_req *r);

/* At headers time, for every request: routes, authenticates and
 * authorises it (or answers the error before any body byte is read; a
 * refused token also closes the connection), and for an upload route calls
 * stream_open. bh_router_dispatch later goes straight to the handler. */
void bh_router_headers(bh_req *r, bh_http_body_stream *stream);

/* The value of a ":name" path segment, or NULL. */
const char *bh_req_param(const bh_req *r, const char *name);

/* Whether the query names key at all ("key=...", or "key" alone). */
int bh_req_query_has(const bh_req *r, const char *key);

/* A whole number in [min, max] from query parameter key into *out (def
 * when the parameter is absent); -1 with 400 invalid_request answered
 * when it is there but not such a number. */
int bh_req_query_int(bh_req *r, const char *key, int64_t min, int64_t max, int64_t def,
                     int64_t *out);

/* Where r's isolated plugin calls go: its loop's workers, counted against
 * its tenant's cap. */
bh_call_env bh_req_call_env(const bh_req *r);

/* Frees what the router attached to r (params). */
void bh_req_release(bh_req *r);

/* Reply helpers. Each answers exactly once. */
void bh_reply(bh_req *r, int status, const char *content_type, const char *body, size_t len,
              const char *const *extra_headers);
/* Takes ownership of body (malloc'd). */
void bh_reply_owned(bh_req *r, int status, const char *content_type, char *body, size_t len,
                    const char *const *extra_headers);
/* Serialises json (not freed) as application/json. */
void bh_reply_json(bh_req *r, int status, const cJSON *json);
/* {"error":{"code":code,"message":message}}. */
void bh_reply_error(bh_req *r, int status, const char *code, const char *message);

/* The one answer when memory runs out while serving a request, wherever
 * it happens: 503 out_of_memory, "out of memory while WHAT". 503 because
 * the condition is the server's and passing: nothing was stored, and the
 * same request may succeed when retried (docs/http.md). */
void bh_reply_out_of_memory(bh_req *r, const char *what);

#endif
