/* api_body.c - JSON request bodies and their errors (api_body.h). */
#include "api_body.h"

#include "json_input.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int bh_is_json_type(const char *ct)
{
    size_t n = strlen("application/json");
    if (ct == NULL)
        return 0;
    while (*ct == ' ')
        ct++;
    if (strncasecmp(ct, "application/json", n) != 0)
        return 0;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

int bh_req_json_value(bh_req *r, cJSON **out)
{
    const bh_http_request *h = r->http;
    bh_json_error e;
    cJSON *doc;

    *out = NULL;
    if (!bh_is_json_type(bh_http_header_get(h, "content-type"))) {
        bh_reply_error(r, 415, "unsupported_media_type",
                       "send the body with Content-Type: application/json");
        return -1;
    }
    if (h->body == NULL || h->body_len == 0) {
        bh_reply_error(r, 400, "invalid_json", "the request body is empty; expected JSON");
        return -1;
    }
    doc = bh_json_parse(h->body, h->body_len, &e);
    if (doc == NULL) {
        char where[200], msg[240];
        bh_json_error_text(&e, where, sizeof where);
        snprintf(msg, sizeof msg, "invalid JSON at %s", where);
        bh_reply_error(r, 400, "invalid_json", msg);
        return -1;
    }
    *out = doc;
    return 0;
}

int bh_req_json_body(bh_req *r, cJSON **out)
{
    if (bh_req_json_value(r, out) != 0)
        return -1;
    if (!cJSON_IsObject(*out)) {
        cJSON_Delete(*out);
        *out = NULL;
        bh_reply_error(r, 400, "invalid_request", "the body must be a JSON object");
        return -1;
    }
    return 0;
}
