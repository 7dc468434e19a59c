/*
 * http_request.c - from parser callbacks to a request.
 *
 * Owns: the callbacks http_parser_adapter.c calls, storing the request
 * line and headers in the exchange's arena, splitting and decoding the
 * target, the checks on a request head (version, Host, limits), buffering
 * a body or handing it to a stream, handing the request to the
 * application, and the errors the server answers by itself (400, 408, 413,
 * 431, 505). Also the request accessors of http.h (headers, query).
 * Does not own: the parser (http_parser_adapter.c), feeding it input
 * (http_conn.c), streamed bodies' resume and failure (http_body_stream.c).
 */
#include "http_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_FIRST      1024
#define HEAD_LINE_EXTRA  12 /* " HTTP/1.1\r\n" after the target */
#define HEADER_LINE_COST 4  /* ": " and CRLF */

const char *bh_http_header_get(const bh_http_request *req, const char *name)
{
    size_t i;

    if (req == NULL || name == NULL)
        return NULL;
    for (i = 0; i < req->header_count; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

size_t bh_http_header_count(const bh_http_request *req, const char *name)
{
    size_t i, n = 0;

    if (req == NULL || name == NULL)
        return 0;
    for (i = 0; i < req->header_count; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            n++;
    return n;
}

/* ------------------------------------------------------- server errors */

/*
 * Answers the request being parsed (or a new exchange when none is) with an
 * error the server produced itself, then stops parsing; the connection
 * closes once the answer is written. body is a JSON error (owned) or NULL.
 */
void bh__http_server_error_body(bh_http_conn *c, int status, char *body, size_t len)
{
    bh_http_exchange *ex = c->cur;

    c->no_more = 1;
    c->errored = 1;
    if (ex == NULL) {
        ex = bh__http_ex_start(c);
        if (ex == NULL) {
            free(body);
            bh__http_close_conn(c);
            return;
        }
    }
    c->cur = NULL;
    if (c->app_paused == ex)
        c->app_paused = NULL;
    ex->state = EX_DONE;
    bh__http_stream_abort(ex);
    ex->close_after = 1;
    if (ex->chunked_out != NULL && !ex->responded) {
        /* its head went out: the status cannot change any more */
        free(body);
        bh__http_chunked_cut(c, ex);
        return;
    }
    if (ex->responded) {
        free(body);
        return;
    }
    if (body == NULL) {
        bh__http_close_conn(c);
        bh__http_respond_impl(ex, status, NULL, NULL, 0, NULL, NULL);
        return;
    }
    bh__http_respond_impl(ex, status, "application/json", NULL, len, NULL, body);
}

void bh__http_server_error(bh_http_conn *c, int status, const char *code, const char *message)
{
    size_t len = 0;
    char *body = bh__http_json_error(code, message, &len);
    bh__http_server_error_body(c, status, body, len);
}

/* ------------------------------------------------------ parser callbacks */

static int head_add(bh_http_conn *c, bh_http_exchange *ex, size_t n)
{
    ex->head_bytes += n;
    if (ex->head_bytes > c->srv->limits.max_header_bytes) {
        bh__http_server_error(c, 431, "headers_too_large",
                              "the request line and headers are too large");
        return BH_HPA_STOP;
    }
    return 0;
}

static int arena_put(bh_http_conn *c, bh_http_exchange *ex, const char *p, size_t n, int lower)
{
    size_t i;

    if (ex->alen + n + 1 > ex->acap) {
        size_t need = ex->alen + n + 1;
        if (need < ARENA_FIRST)
            need = ARENA_FIRST;
        if (bh__http_grow(&ex->arena, &ex->acap, need) != 0) {
            bh__http_close_conn(c);
            return BH_HPA_STOP;
        }
    }
    if (lower) {
        for (i = 0; i < n; i++) {
            unsigned char ch = (unsigned char)p[i];
            ex->arena[ex->alen + i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        }
    } else if (n > 0) {
        memcpy(ex->arena + ex->alen, p, n);
    }
    ex->alen += n;
    return 0;
}

/* Ends the string being collected (url, name or value). */
static int end_part(bh_http_conn *c, bh_http_exchange *ex)
{
    if (ex->last == PART_NONE)
        return 0;
    if (arena_put(c, ex, "", 1, 0) != 0)
        return BH_HPA_STOP;
    if (ex->last == PART_FIELD) {
        /* a name without a value callback: the value is empty */
        ex->hpos[ex->hcount - 1].value = ex->alen;
        if (arena_put(c, ex, "", 1, 0) != 0)
            return BH_HPA_STOP;
    }
    ex->last = PART_NONE;
    return 0;
}

static int cb_message_begin(void *ctx)
{
    bh_http_conn *c = ctx;
    bh_http_exchange *ex;

    if (c->closed || c->no_more)
        return BH_HPA_STOP;
    ex = bh__http_ex_start(c);
    if (ex == NULL) {
        bh__http_close_conn(c);
        return BH_HPA_STOP;
    }
    c->head_due = uv_now(c->srv->loop) + c->srv->limits.header_timeout_ms;
    return head_add(c, ex, HEAD_LINE_EXTRA + 16);
}

static int cb_url(void *ctx, const char *at, size_t len)
{
    bh_http_conn *c = ctx;
    bh_http_exchange *ex = c->cur;

    if (ex == NULL || head_add(c, ex, len) != 0)
        return BH_HPA_STOP;
    if (arena_put(c, ex, at, len, 0) != 0)
        return BH_HPA_STOP;
    ex->target_len += len;
    ex->last = PART_URL;
    return 0;
}

static int cb_header_field(void *ctx, const char *at, size_t len)
{
    bh_http_conn *c = ctx;
    bh_http_exchange *ex = c->cur;

    if (ex == NULL)
        return BH_HPA_STOP;
    if (ex->state != EX_HEAD) {
        /* a chunked body's trailer: counted against the head limit, not
         * stored (the request's strings are final by now) */
        size_t cost = len + (ex->last != PART_FIELD ? HEADER_LINE_COST : 0);
        ex->last = PART_FIELD;
        return head_add(c, ex, cost);
    }
    if (ex->last != PART_FIELD) {
        if (end_part(c, ex) != 0 || head_add(c, ex, HEADER_LINE_COST) != 0)
            return BH_HPA_STOP;
        if (ex->hcount == ex->hcap) {
            size_t n = ex->hcap ? ex->hcap * 2 : 16;
            struct hpos *p = realloc(ex->hpos, n * sizeof(*p));
            if (p == NULL) {
                bh__http_close_conn(c);
                return BH_HPA_STOP;
            }
            ex->hpos = p;
            ex->hcap = n;
        }
        ex->hpos[ex->hcount].name = ex->alen;
        ex->hpos[ex->hcount].value = 0;
        ex->hcount++;
        ex->last = PART_FIELD;
    }
    if (head_add(c, ex, len) != 0)
        return BH_HPA_STOP;
    return arena_put(c, ex, at, len, 1);
}

static int cb_header_value(void *ctx, const char *at, size_t len)
{
    bh_http_conn *c = ctx;
    bh_http_exchange *ex = c->cur;

    if (ex == NULL || ex->hcount == 0)
        return BH_HPA_STOP;
    if (ex->state != EX_HEAD) {
        ex->last = PART_VALUE;
        return head_add(c, ex, len);
    }
    if (ex->last != PART_VALUE) {
        if (arena_put(c, ex, "", 1, 0) != 0)
            return BH_HPA_STOP;
        ex->hpos[ex->hcount - 1].value = ex->alen;
        ex->last = PART_VALUE;
    }
    if (head_add(c, ex, len) != 0)
        return BH_HPA_STOP;
    return arena_put(c, ex, at, len, 0);
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/*
 * Splits the target into a percent-decoded path and the query, appends both
 * to the arena, and points the request's strings into it. Returns 0,
 * -EINVAL for a malformed target, or -ENOMEM.
 */
static int build_request(bh_http_conn *c, bh_http_exchange *ex)
{
    size_t tlen = ex->target_len, ps, pe, qs, qe, path_off, query_off, i;
    const char *t;

    if (end_part(c, ex) != 0)
        return -ENOMEM;
    t = ex->arena;
    if (t == NULL || tlen == 0)
        return -EINVAL;
    ps = 0;
    if (t[0] != '/') {
        /* absolute-form (RFC 9112 section 3.2.2) or "*" */
        const char *s = strstr(t, "://");
        if (tlen == 1 && t[0] == '*') {
            ps = 0;
        } else if (s == NULL) {
            return -EINVAL;
        } else {
            const char *slash = strchr(s + 3, '/');
            const char *q = strchr(s + 3, '?');
            if (slash == NULL || (q != NULL && q < slash))
                ps = q ? (size_t)(q - t) : tlen; /* empty path */
            else
                ps = (size_t)(slash - t);
        }
    }
    pe = ps;
    while (pe < tlen && t[pe] != '?' && t[pe] != '#')
        pe++;
    qs = qe = pe;
    if (pe < tlen && t[pe] == '?') {
        qs = pe + 1;
        qe = qs;
        while (qe < tlen && t[qe] != '#')
            qe++;
    }
    /* The arena may move while appending: copy from offsets. */
    path_off = ex->alen;
    if (ps == pe && arena_put(c, ex, "/", 1, 0) != 0)
        return -ENOMEM;
    for (i = ps; i < pe; i++) {
        char ch = ex->arena[i];
        if (ch == '%') {
            int hi, lo;
            if (i + 2 >= pe)
                return -EINVAL;
            hi = hexval((unsigned char)ex->arena[i + 1]);
            lo = hexval((unsigned char)ex->arena[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return -EINVAL;
            ch = (char)(hi * 16 + lo);
            i += 2;
        }
        if (arena_put(c, ex, &ch, 1, 0) != 0)
            return -ENOMEM;
    }
    if (arena_put(c, ex, "", 1, 0) != 0)
        return -ENOMEM;
    query_off = ex->alen;
    for (i = qs; i < qe; i++) {
        char ch = ex->arena[i];
        if (arena_put(c, ex, &ch, 1, 0) != 0)
            return -ENOMEM;
    }
    if (arena_put(c, ex, "", 1, 0) != 0)
        return -ENOMEM;

    if (ex->hcount > ex->hdrs_cap) {
        bh_http_header *h = realloc(ex->hdrs, ex->hcount * sizeof(*h));
        if (h == NULL) {
            bh__http_close_conn(c);
            return -ENOMEM;
        }
        ex->hdrs = h;
        ex->hdrs_cap = ex->hcount;
    }
    for (i = 0; i < ex->hcount; i++) {
        char *v = ex->arena + ex->hpos[i].value;
        size_t vl = strlen(v);
        while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
            v[--vl] = '\0';
        ex->hdrs[i].name = ex->arena + ex->hpos[i].name;
        ex->hdrs[i].value = v;
    }
    ex->req.target = ex->arena;
    ex->req.path = ex->arena + path_off;
    ex->req.query = ex->arena + query_off;
    ex->req.headers = ex->hcount ? ex->hdrs : NULL;
    ex->req.header_count = ex->hcount;
    return 0;
}

/* The next element of a comma-separated field value at *p, spaces around
 * it trimmed (possibly empty); moves *p past it and its comma. */
static const char *list_element(const char **p, size_t *len)
{
    const char *t = *p, *e;

    while (*t == ' ' || *t == '\t')
        t++;
    e = t;
    while (*e != '\0' && *e != ',')
        e++;
    *p = *e == ',' ? e + 1 : e;
    while (e > t && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    *len = (size_t)(e - t);
    return t;
}

static int is_word(const char *t, size_t len, const char *word)
{
    return len == strlen(word) && strncasecmp(t, word, len) == 0;
}

/*
 * The transfer codings a request may use or offer. Baton decodes only
 * "chunked" (RFC 9112 section 7.1) and applies no transfer coding to its
 * answers. Returns NULL when the request is fine, else why it is refused:
 * - Transfer-Encoding must be one field holding exactly "chunked": a list
 *   ("identity, chunked", "chunked, chunked") or another coding (gzip,
 *   identity, which RFC 7230 removed) is refused, so that no two parsers
 *   could read a different body length out of the same bytes;
 * - TE may only offer "trailers": RFC 9110 section 10.1.4 forbids sending
 *   "chunked" in TE, "identity" is no transfer coding, and Baton supports
 *   no other one in answers, so such a request is refused instead of being
 *   answered as if its offer had been understood.
 */
static const char *transfer_coding_problem(const bh_http_request *req)
{
    size_t i, len, te_fields = 0;

    for (i = 0; i < req->header_count; i++) {
        const char *name = req->headers[i].name, *p = req->headers[i].value, *t;
        if (strcmp(name, "transfer-encoding") == 0) {
            if (++te_fields > 1)
                return "more than one Transfer-Encoding header";
            t = list_element(&p, &len);
            if (!is_word(t, len, "chunked") || *p != '\0')
                return "Transfer-Encoding must be exactly \"chunked\"";
        } else if (strcmp(name, "te") == 0) {
            while (*p != '\0') {
                t = list_element(&p, &len);
                if (len > 0 && !is_word(t, len, "trailers"))
                    return "TE may only offer \"trailers\": this server applies no transfer "
                           "coding to its answers";
            }
        }
    }
    return NULL;
}

static int cb_headers_complete(void *ctx, const bh_hpa_head *head)
{
    bh_http_conn *c = ctx;
    bh_http_exchange *ex = c->cur;
    bh_http_server *s = c->srv;
    bh_http_body_stream stream;
    const char *expect, *problem;
    int rc;

    if (ex == NULL)
        return BH_HPA_STOP;
    ex->req.method = head->method;
    ex->req.http_minor = head->http_minor;
    ex->req.keep_alive = head->keep_alive;
    ex->is_head = (unsigned char)head->is_head;
    if (head_add(c, ex, 2) != 0)
        return BH_HPA_STOP;
    rc = build_request(c, ex);
    if (c->closed)
        return BH_HPA_STOP;
    if (head->http_major != 1 || head->http_minor > 1) {
        bh__http_server_error(c, 505, "version_not_supported",
                              "only HTTP/1.0 and HTTP/1.1 are supported");
        return BH_HPA_STOP;
    }
    if (rc != 0) {
        bh__http_server_error(c, 400, "bad_request", "malformed request target");
        return BH_HPA_STOP;
    }
    if (head->http_minor == 1 && bh_http_header_count(&ex->req, "host") != 1) {
        /* RFC 9112 section 3.2: exactly one Host in an HTTP/1.1 request */
        bh__http_server_error(c, 400, "bad_request",
                              "an HTTP/1.1 request needs exactly one Host header");
        return BH_HPA_STOP;
    }
    if (head->is_connect) {
        bh__http_server_error(c, 400, "bad_request", "CONNECT is not supported");
        return BH_HPA_STOP;
    }
    if (head->upgrade && (head->chunked || head->content_length > 0)) {
        bh__http_server_error(c, 400, "bad_request", "protocol upgrades are not supported");
        return BH_HPA_STOP;
    }
    if ((problem = transfer_coding_problem(&ex->req)) != NULL) {
        bh__http_server_error(c, 400, "bad_request", problem);
        return BH_HPA_STOP;
    }
    ex->state = EX_BODY;
    ex->body_start = uv_now(s->loop);
    ex->chunked = (unsigned char)head->chunked;
    ex->expect_len = head->has_content_length ? head->content_length : 0;
    if ((ex->expect_len > 0 || ex->chunked) && head->http_minor == 1) {
        expect = bh_http_header_get(&ex->req, "expect");
        if (expect != NULL && strcasecmp(expect, "100-continue") == 0)
            ex->expects_continue = 1;
    }

    memset(&stream, 0, sizeof(stream));
    if (s->cb.on_headers)
        s->cb.on_headers(s->app, ex, &ex->req, &stream);
    if (c->closed)
        return BH_HPA_STOP;
    if (stream.on_chunk != NULL) {
        ex->stream = stream;
        ex->streaming = 1;
        ex->body_limit = stream.max_bytes ? stream.max_bytes : s->limits.max_body_bytes;
    } else {
        ex->body_limit = s->limits.max_body_bytes;
    }
    if (ex->responded) {
        /* answered from on_headers: no chunk will be delivered */
        bh__http_stream_abort(ex);
        return 0;
    }
    if (ex->fail_status) {
        char *b = ex->fail_body;
        ex->fail_body = NULL;
        bh__http_server_error_body(c, ex->fail_status, b, ex->fail_len);
        return BH_HPA_STOP;
    }
    if (ex->expect_len > ex->body_limit) {
        bh__http_server_error(c, 413, "body_too_large", "the request body is larger than allowed");
        return BH_HPA_STOP;
    }
    if (ex->expects_continue)
        ex->want_continue = 1;
    return 0;
}

static int cb_body(void *ctx, const char *at, size_t len)
{
    bh_http_conn *c = ctx;
    bh_http_exchange *ex = c->cur;
    int r;

    if (ex == NULL)
        return BH_HPA_STOP;
    ex->body_len += len;
    if (ex->discard)
        return 0;
    if (ex->body_len > ex->body_limit) {
        bh__http_server_error(c, 413, "body_too_large", "the request body is larger than allowed");
        return BH_HPA_STOP;
    }
    if (ex->streaming) {
        if (ex->fail_status)
            return bh__http_fail_stream_now(c, ex);
        c->resume_req = 0;
        ex->in_chunk = 1;
        r = ex->stream.on_chunk(ex->stream.stream_ctx, at, len);
        ex->in_chunk = 0;
        if (c->closed)
            return BH_HPA_STOP;
        if (ex->discard)
            return 0; /* answered from inside on_chunk */
        if (r < 0 || ex->fail_status)
            return bh__http_fail_stream_now(c, ex);
        if (r == BH_HTTP_PAUSE && !c->resume_req) {
            c->app_paused = ex;
            ex->paused_at = uv_now(c->srv->loop);
            return BH_HPA_PAUSE;
        }
        return 0;
    }
    if (bh__http_grow(&ex->body, &ex->body_cap, (size_t)ex->body_len + 1) != 0) {
        bh__http_close_conn(c);
        return BH_HPA_STOP;
    }
    memcpy(ex->body + ex->body_len - len, at, len);
    return 0;
}

static int cb_message_complete(void *ctx)
{
    bh_http_conn *c = ctx;
    bh_http_exchange *ex = c->cur;
    bh_http_server *s = c->srv;

    if (ex == NULL)
        return BH_HPA_STOP;
    c->cur = NULL;
    ex->state = EX_DONE;
    ex->want_continue = 0;
    if (!ex->req.keep_alive || ex->close_after)
        c->no_more = 1;
    if (!ex->responded) {
        if (ex->streaming) {
            ex->req.body = NULL;
            ex->streaming = 0;
        } else {
            if (ex->body == NULL && bh__http_grow(&ex->body, &ex->body_cap, 1) != 0) {
                bh__http_close_conn(c);
                return BH_HPA_STOP;
            }
            ex->body[ex->body_len] = '\0';
            ex->req.body = ex->body;
        }
        ex->req.body_len = (size_t)ex->body_len;
        ex->request_called = 1;
        if (s->cb.on_request)
            s->cb.on_request(s->app, ex, &ex->req);
        else
            bh_http_respond_error(ex, 404, "not_found", "no handler");
    }
    if (c->closed)
        return BH_HPA_STOP;
    if (s->draining)
        c->no_more = 1;
    if (c->no_more || c->qlen >= s->limits.max_pipelined)
        return BH_HPA_PAUSE;
    return 0;
}

const bh_hpa_callbacks bh__http_hpa_callbacks = {
    .on_message_begin = cb_message_begin,
    .on_url = cb_url,
    .on_header_field = cb_header_field,
    .on_header_value = cb_header_value,
    .on_headers_complete = cb_headers_complete,
    .on_body = cb_body,
    .on_message_complete = cb_message_complete,
};

/* ---------------------------------------------------------------- query */

int bh_http_query_value(const bh_http_request *req, const char *key, char *out, size_t len)
{
    const char *query = req->query;
    size_t klen = strlen(key);
    for (const char *p = query; p != NULL && *p != '\0';) {
        const char *amp = strchr(p, '&');
        size_t n = amp ? (size_t)(amp - p) : strlen(p);
        if (n > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            size_t o = 0;
            for (size_t i = klen + 1; i < n; i++) {
                char c = p[i];
                if (c == '%') {
                    int hi = i + 2 < n ? hexval((unsigned char)p[i + 1]) : -1;
                    int lo = i + 2 < n ? hexval((unsigned char)p[i + 2]) : -1;
                    if (hi < 0 || lo < 0)
                        return -1;
                    c = (char)(hi * 16 + lo);
                    i += 2;
                } else if (c == '+') {
                    c = ' ';
                }
                if (o + 1 >= len || c == '\0')
                    return -1;
                out[o++] = c;
            }
            out[o] = '\0';
            return 0;
        }
        p = amp ? amp + 1 : NULL;
    }
    return -1;
}
