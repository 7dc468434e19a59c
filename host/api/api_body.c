/* api_body.c - JSON request bodies and their errors (api_body.h). */
#include "api_body.h"

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

static void reply_invalid_json(bh_req *r, const char *body, size_t len, const char *at)
{
    char msg[160];
    size_t off = at != NULL && at >= body ? (size_t)(at - body) : 0;
    unsigned line = 1, col = 1;

    if (len == 0) {
        bh_reply_error(r, 400, "invalid_json", "the request body is empty; expected JSON");
        return;
    }
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        if (body[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    snprintf(msg, sizeof(msg), "invalid JSON at line %u, column %u (byte offset %zu)", line, col,
             off);
    bh_reply_error(r, 400, "invalid_json", msg);
}

int bh_req_json_value(bh_req *r, cJSON **out)
{
    const bh_http_request *h = r->http;
    const char *end = NULL;
    cJSON *doc;

    *out = NULL;
    if (!bh_is_json_type(bh_http_header_get(h, "content-type"))) {
        bh_reply_error(r, 415, "unsupported_media_type",
                       "send the body with Content-Type: application/json");
        return -1;
    }
    if (h->body == NULL || h->body_len == 0) {
        reply_invalid_json(r, "", 0, NULL);
        return -1;
    }
    /* The buffered body is NUL-terminated (http.h); passing the terminator
     * keeps cJSON's trailing-whitespace check inside the buffer. A NUL byte
     * inside the body is invalid JSON at that offset. */
    const char *nul = memchr(h->body, '\0', h->body_len);
    doc = nul == NULL ? cJSON_ParseWithLengthOpts(h->body, h->body_len + 1, &end, 1) : NULL;
    if (nul != NULL)
        end = nul;
    if (doc == NULL) {
        reply_invalid_json(r, h->body, h->body_len, end);
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
