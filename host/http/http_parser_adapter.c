/*
 * http_parser_adapter.c - libhttp-parser 2.9 behind the bh_hpa interface.
 *
 * Owns: the http_parser object, the mapping of its callbacks and error
 * numbers. Does not own: anything the callbacks store.
 */
#include "http_parser_adapter.h"

#include <stdlib.h>
#include <string.h>

#include <http_parser.h>

struct bh_hpa {
    http_parser hp; /* hp.data points back to this struct */
    const bh_hpa_callbacks *cb;
    void *ctx;
    enum bh_hpa_phase phase;
    int eof_error;
    int bad_name; /* a header name with a character outside tchar */
};

static bh_hpa *self(http_parser *hp)
{
    return hp->data;
}

/* Maps a bh_hpa callback result onto the library's convention. */
static int map_result(http_parser *hp, int r)
{
    if (r == BH_HPA_PAUSE) {
        http_parser_pause(hp, 1);
        return 0;
    }
    return r == 0 ? 0 : -1;
}

static int w_message_begin(http_parser *hp)
{
    bh_hpa *p = self(hp);
    p->phase = BH_HPA_HEAD;
    return p->cb->on_message_begin ? map_result(hp, p->cb->on_message_begin(p->ctx)) : 0;
}

static int w_url(http_parser *hp, const char *at, size_t len)
{
    bh_hpa *p = self(hp);
    return p->cb->on_url ? map_result(hp, p->cb->on_url(p->ctx, at, len)) : 0;
}

/* tchar, RFC 9110 section 5.6.2. */
static int is_tchar(unsigned char ch)
{
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
        return 1;
    return ch != 0 && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

static int w_header_field(http_parser *hp, const char *at, size_t len)
{
    bh_hpa *p = self(hp);
    size_t i;

    /* The library accepts spaces in names when built non-strict; RFC 9112
     * section 5.1 requires a 400 for whitespace before the colon. */
    for (i = 0; i < len; i++) {
        if (!is_tchar((unsigned char)at[i])) {
            p->bad_name = 1;
            return -1;
        }
    }
    return p->cb->on_header_field ? map_result(hp, p->cb->on_header_field(p->ctx, at, len)) : 0;
}

static int w_header_value(http_parser *hp, const char *at, size_t len)
{
    bh_hpa *p = self(hp);
    return p->cb->on_header_value ? map_result(hp, p->cb->on_header_value(p->ctx, at, len)) : 0;
}

static int w_headers_complete(http_parser *hp)
{
    bh_hpa *p = self(hp);
    bh_hpa_head h;

    p->phase = BH_HPA_BODY;
    if (p->cb->on_headers_complete == NULL)
        return 0;
    h.method = http_method_str((enum http_method)hp->method);
    h.http_major = hp->http_major;
    h.http_minor = hp->http_minor;
    h.keep_alive = http_should_keep_alive(hp) ? 1 : 0;
    h.chunked = (hp->flags & F_CHUNKED) ? 1 : 0;
    h.has_content_length = (hp->flags & F_CONTENTLENGTH) ? 1 : 0;
    h.content_length = h.has_content_length ? hp->content_length : 0;
    h.upgrade = hp->upgrade ? 1 : 0;
    h.is_connect = hp->method == HTTP_CONNECT;
    h.is_head = hp->method == HTTP_HEAD;
    return map_result(hp, p->cb->on_headers_complete(p->ctx, &h));
}

static int w_body(http_parser *hp, const char *at, size_t len)
{
    bh_hpa *p = self(hp);
    return p->cb->on_body ? map_result(hp, p->cb->on_body(p->ctx, at, len)) : 0;
}

static int w_message_complete(http_parser *hp)
{
    bh_hpa *p = self(hp);
    p->phase = BH_HPA_IDLE;
    return p->cb->on_message_complete ? map_result(hp, p->cb->on_message_complete(p->ctx)) : 0;
}

static const http_parser_settings settings = {
    .on_message_begin = w_message_begin,
    .on_url = w_url,
    .on_header_field = w_header_field,
    .on_header_value = w_header_value,
    .on_headers_complete = w_headers_complete,
    .on_body = w_body,
    .on_message_complete = w_message_complete,
};

bh_hpa *bh_hpa_new(const bh_hpa_callbacks *cb, void *ctx)
{
    bh_hpa *p = calloc(1, sizeof(*p));
    if (p == NULL)
        return NULL;
    http_parser_init(&p->hp, HTTP_REQUEST);
    p->hp.data = p;
    p->cb = cb;
    p->ctx = ctx;
    p->phase = BH_HPA_IDLE;
    return p;
}

void bh_hpa_free(bh_hpa *p)
{
    free(p);
}

size_t bh_hpa_execute(bh_hpa *p, const char *data, size_t len)
{
    size_t off = 0;

    if (len == 0 || p->eof_error)
        return 0;
    while (off < len) {
        size_t n = http_parser_execute(&p->hp, &settings, data + off, len - off);
        off += n;
        if (HTTP_PARSER_ERRNO(&p->hp) != HPE_OK)
            break;
        /*
         * Without an error the library stops early only after a message
         * that asked for a protocol upgrade. This server does not switch
         * protocols: the caller refuses upgrades that carry a body, and the
         * bytes that follow are parsed as the next request.
         */
        if (n == 0)
            break;
    }
    return off;
}

int bh_hpa_finish(bh_hpa *p)
{
    if (p->phase == BH_HPA_IDLE)
        return 0;
    p->eof_error = 1;
    return -1;
}

void bh_hpa_resume(bh_hpa *p)
{
    if (HTTP_PARSER_ERRNO(&p->hp) == HPE_PAUSED)
        http_parser_pause(&p->hp, 0);
}

enum bh_hpa_status bh_hpa_status(const bh_hpa *p)
{
    enum http_errno e = HTTP_PARSER_ERRNO(&p->hp);
    if (p->eof_error)
        return BH_HPA_ERROR;
    if (e == HPE_OK)
        return BH_HPA_OK;
    if (e == HPE_PAUSED)
        return BH_HPA_PAUSED;
    return BH_HPA_ERROR;
}

enum bh_hpa_phase bh_hpa_phase(const bh_hpa *p)
{
    return p->phase;
}

enum bh_hpa_error bh_hpa_error(const bh_hpa *p)
{
    enum http_errno e = HTTP_PARSER_ERRNO(&p->hp);
    if (p->eof_error)
        return BH_HPA_E_EOF;
    if (p->bad_name)
        return BH_HPA_E_SYNTAX;
    switch (e) {
    case HPE_OK:
    case HPE_PAUSED:
        return BH_HPA_E_NONE;
    case HPE_HEADER_OVERFLOW:
        return BH_HPA_E_HEADER_OVERFLOW;
    case HPE_CB_message_begin:
    case HPE_CB_url:
    case HPE_CB_header_field:
    case HPE_CB_header_value:
    case HPE_CB_headers_complete:
    case HPE_CB_body:
    case HPE_CB_message_complete:
    case HPE_CB_status:
    case HPE_CB_chunk_header:
    case HPE_CB_chunk_complete:
        return BH_HPA_E_CALLBACK;
    default:
        return BH_HPA_E_SYNTAX;
    }
}

const char *bh_hpa_error_text(const bh_hpa *p)
{
    if (p->eof_error)
        return "the connection ended inside a request";
    if (p->bad_name)
        return "invalid character in header name";
    return http_errno_description(HTTP_PARSER_ERRNO(&p->hp));
}
