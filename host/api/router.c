/*
 * router.c - matching, access checks and reply helpers (see router.h).
 */
#include "router.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "json_text.h"

/* Compares one pattern with a path; on a match stores ":name" values in r. */
static int match_pattern(const char *pat, const char *path, bh_req *r)
{
    const char *names[BH_ROUTE_MAX_PARAMS];
    const char *vals[BH_ROUTE_MAX_PARAMS];
    size_t lens[BH_ROUTE_MAX_PARAMS];
    size_t n = 0;

    while (*pat != '\0' && *path != '\0') {
        if (*pat == ':') {
            const char *pend = strchr(pat, '/');
            const char *send = strchr(path, '/');
            size_t slen = send != NULL ? (size_t)(send - path) : strlen(path);
            if (slen == 0 || n == BH_ROUTE_MAX_PARAMS)
                return 0;
            names[n] = pat + 1;
            vals[n] = path;
            lens[n] = slen;
            n++;
            pat = pend != NULL ? pend : pat + strlen(pat);
            path += slen;
            continue;
        }
        if (*pat != *path)
            return 0;
        pat++;
        path++;
    }
    if (*pat != '\0' || *path != '\0')
        return 0;
    if (r != NULL) {
        for (size_t i = 0; i < n; i++) {
            r->param_values[i] = strndup(vals[i], lens[i]);
            if (r->param_values[i] == NULL)
                return -1;
            r->param_names[i] = names[i];
            r->param_count = i + 1;
        }
    }
    return 1;
}

int bh_router_match(const char *method, const char *path, bh_req *r, char *allow, size_t allowlen)
{
    int path_matched = 0;
    size_t used = 0;

    if (allow != NULL && allowlen > 0)
        allow[0] = '\0';
    for (size_t i = 0; i < bh_route_count; i++) {
        const bh_route *rt = &bh_routes[i];
        if (match_pattern(rt->pattern, path, NULL) != 1)
            continue;
        /* HEAD is GET without the body (RFC 9110 section 9.3.2): the HTTP
         * layer keeps the GET answer's headers and drops its body */
        if (strcmp(rt->method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
            if (r != NULL && match_pattern(rt->pattern, path, r) < 0)
                return -500;
            return (int)i;
        }
        if (allow != NULL && strstr(allow, rt->method) == NULL) {
            int get = strcmp(rt->method, "GET") == 0;
            int k = snprintf(allow + used, allowlen - used, "%s%s%s", used > 0 ? ", " : "",
                             rt->method, get ? ", HEAD" : "");
            if (k > 0 && used + (size_t)k < allowlen)
                used += (size_t)k;
        }
        path_matched = 1;
    }
    return path_matched ? -405 : -404;
}

bh_call_env bh_req_call_env(const bh_req *r)
{
    bh_call_env env = {r->iso, r->tenant != NULL ? &((bh_tenant *)r->tenant)->plugin_calls : NULL};
    return env;
}

const char *bh_req_param(const bh_req *r, const char *name)
{
    size_t nlen = strlen(name);
    for (size_t i = 0; i < r->param_count; i++) {
        const char *n = r->param_names[i];
        if (strncmp(n, name, nlen) == 0 && (n[nlen] == '\0' || n[nlen] == '/'))
            return r->param_values[i];
    }
    return NULL;
}

/* Whether the query string names parameter key (with or without a value). */
static int has_param(const char *query, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = query; p != NULL && *p != '\0';) {
        if (strncmp(p, key, k) == 0 && (p[k] == '=' || p[k] == '&' || p[k] == '\0'))
            return 1;
        p = strchr(p, '&');
        p = p != NULL ? p + 1 : NULL;
    }
    return 0;
}

int bh_req_query_has(const bh_req *r, const char *key)
{
    return has_param(r->http->query, key);
}

int bh_req_query_int(bh_req *r, const char *key, int64_t min, int64_t max, int64_t def,
                     int64_t *out)
{
    char text[32], *end, msg[160];
    *out = def;
    if (!has_param(r->http->query, key))
        return 0;
    if (bh_http_query_value(r->http, key, text, sizeof text) == 0 && text[0] >= '0' &&
        text[0] <= '9') {
        errno = 0;
        long long v = strtoll(text, &end, 10);
        if (*end == '\0' && errno == 0 && v >= min && v <= max) {
            *out = v;
            return 0;
        }
    }
    snprintf(msg, sizeof msg, "%s: expected a whole number from %lld to %lld", key, (long long)min,
             (long long)max);
    bh_reply_error(r, 400, "invalid_request", msg);
    return -1;
}

void bh_req_release(bh_req *r)
{
    for (size_t i = 0; i < r->param_count; i++)
        free(r->param_values[i]);
    r->param_count = 0;
}

void bh_reply(bh_req *r, int status, const char *content_type, const char *body, size_t len,
              const char *const *extra_headers)
{
    r->status = status;
    bh_http_respond(r->ex, status, content_type, body, len, extra_headers);
}

void bh_reply_owned(bh_req *r, int status, const char *content_type, char *body, size_t len,
                    const char *const *extra_headers)
{
    r->status = status;
    bh_http_respond_owned(r->ex, status, content_type, body, len, extra_headers);
}

void bh_reply_json(bh_req *r, int status, const cJSON *json)
{
    size_t len = 0;
    char *text = bh_json_text(json, &len);
    if (text == NULL) {
        bh_reply_out_of_memory(r, "writing the answer");
        return;
    }
    bh_reply_owned(r, status, "application/json", text, len, NULL);
}

static void reply_error_headers(bh_req *r, int status, const char *code, const char *message,
                                const char *const *extra_headers)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *e = root != NULL ? cJSON_AddObjectToObject(root, "error") : NULL;
    char *text = NULL;

    snprintf(r->error_code, sizeof(r->error_code), "%s", code);
    if (e != NULL && cJSON_AddStringToObject(e, "code", code) != NULL &&
        cJSON_AddStringToObject(e, "message", message) != NULL)
        text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (text == NULL) {
        r->status = status;
        bh_http_respond_error(r->ex, status, code, message);
        return;
    }
    bh_reply_owned(r, status, "application/json", text, strlen(text), extra_headers);
}

void bh_reply_error(bh_req *r, int status, const char *code, const char *message)
{
    reply_error_headers(r, status, code, message, NULL);
}

void bh_reply_out_of_memory(bh_req *r, const char *what)
{
    char msg[160];
    snprintf(msg, sizeof msg, "out of memory while %s", what);
    reply_error_headers(r, 503, "out_of_memory", msg, NULL);
}

/* Matches, authenticates and authorises r; 0 when the handler may run,
 * -1 when an error answer was sent. */
static int route_request(bh_req *r)
{
    char allow[128];
    char msg[256];
    const bh_http_request *h = r->http;
    int idx = bh_router_match(h->method, h->path, r, allow, sizeof(allow));
    enum bh_access access;

    if (idx == -404) {
        bh_reply_error(r, 404, "not_found", "no such endpoint");
        return -1;
    }
    if (idx == -405) {
        char hdr[160];
        const char *extra[] = {hdr, NULL};
        snprintf(hdr, sizeof(hdr), "Allow: %s", allow);
        snprintf(msg, sizeof(msg), "%s is not allowed here; allowed: %s", h->method, allow);
        reply_error_headers(r, 405, "method_not_allowed", msg, extra);
        return -1;
    }
    if (idx < 0) {
        bh_reply_out_of_memory(r, "routing the request");
        return -1;
    }
    r->route_index = idx;
    r->route = &bh_routes[idx];
    access = r->route->access;
    if (bh_http_header_count(h, "authorization") > 1) {
        /* RFC 9110 section 11.6.2: one set of credentials. Which one to
         * believe is no question to answer: refuse both. */
        bh_http_close_after(r->ex);
        bh_reply_error(r, 400, "bad_request", "more than one Authorization header");
        return -1;
    }
    if (access == BH_ACCESS_METRICS) {
        if (r->registry->config->metrics_auth) {
            access = BH_ACCESS_TENANT;
        } else {
            /* public metrics name no tenant; a valid token adds its own
             * tenant's counters (api_metrics.c), anything else is an
             * anonymous scrape, as on any public route */
            uint32_t who = 0;
            if (bh_auth_resolve(&r->registry->tokens, bh_http_header_get(h, "authorization"),
                                &who) == BH_AUTH_OK)
                r->tenant = &r->registry->tenants[who];
            access = BH_ACCESS_PUBLIC;
        }
    }

    if (access != BH_ACCESS_PUBLIC) {
        uint32_t who = 0;
        enum bh_auth_result ar =
            bh_auth_resolve(&r->registry->tokens, bh_http_header_get(h, "authorization"), &who);
        if (ar != BH_AUTH_OK) {
            static const char *const missing[] = {"WWW-Authenticate: Bearer realm=\"baton\"", NULL};
            static const char *const invalid[] = {
                "WWW-Authenticate: Bearer realm=\"baton\", error=\"invalid_token\"", NULL};
            /* answered at the headers, before any body byte is read; the
             * connection goes, so an unauthenticated client holds nothing */
            bh_http_close_after(r->ex);
            reply_error_headers(r, 401, "unauthorized",
                                ar == BH_AUTH_MISSING
                                    ? "this endpoint needs an Authorization: Bearer token"
                                    : "the bearer token is not valid",
                                ar == BH_AUTH_MISSING ? missing : invalid);
            return -1;
        }
        r->tenant = &r->registry->tenants[who];
        if ((access == BH_ACCESS_AGENCY && r->tenant->kind != BH_TENANT_AGENCY) ||
            (access == BH_ACCESS_LAWFIRM && r->tenant->kind != BH_TENANT_LAWFIRM)) {
            snprintf(msg, sizeof(msg), "this endpoint is for %s tenants; tenant %s is a %s",
                     access == BH_ACCESS_AGENCY ? "agency" : "law-firm", r->tenant->id,
                     bh_tenant_kind_name(r->tenant->kind));
            bh_reply_error(r, 403, "forbidden", msg);
            return -1;
        }
    }
    return 0;
}

void bh_router_dispatch(bh_req *r)
{
    if (r->status != 0)
        return; /* answered at headers time (a refused upload) */
    if (r->route != NULL || route_request(r) == 0)
        r->route->handler(r);
}

void bh_router_headers(bh_req *r, bh_http_body_stream *stream)
{
    if (route_request(r) == 0 && r->route->stream_open != NULL)
        r->route->stream_open(r, stream);
}
