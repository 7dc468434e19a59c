/*
 * http_response.c - composing answers.
 *
 * Owns: the bh_http_respond family: the status line, the Date, framing and
 * connection headers, the application's extra headers and the body (copied,
 * taken, or from a file), what an early answer does to the rest of the
 * request body, answers to exchanges whose client went away, reason phrases
 * and the JSON error shape.
 * Does not own: when and how an answer is written (http_write.c), reading
 * a file body (http_file.c).
 */
#include "http_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DISCARD_MAX (64 * 1024) /* body dropped after an early answer */

const char *bh_http_reason(int status)
{
    /* Reason phrases as registered by IANA (RFC 9110 section 15). */
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 416:
        return "Range Not Satisfiable";
    case 417:
        return "Expectation Failed";
    case 422:
        return "Unprocessable Content";
    case 425:
        return "Too Early";
    case 426:
        return "Upgrade Required";
    case 428:
        return "Precondition Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    case 507:
        return "Insufficient Storage";
    default:
        return "Unknown";
    }
}

/* ------------------------------------------------------------------- date */

/*
 * The Date header, formatted once per wall-clock second. Between seconds
 * only the loop's cached time is compared, so a busy loop does not read the
 * clock for every response.
 */
static const char *http_date(bh_http_server *s)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    uint64_t now_ms = uv_now(s->loop);
    struct timespec ts;
    struct tm tm;

    if (s->date_len > 0 && now_ms < s->date_next)
        return s->date;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || gmtime_r(&ts.tv_sec, &tm) == NULL)
        return s->date;
    /* IMF-fixdate, RFC 9110 section 5.6.7. */
    s->date_len = (size_t)snprintf(s->date, sizeof(s->date), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                   days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
                                   tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (s->date_len >= sizeof(s->date))
        s->date_len = sizeof(s->date) - 1;
    s->date_next = now_ms + (uint64_t)(1000 - ts.tv_nsec / 1000000);
    return s->date;
}

/* ------------------------------------------------------------- JSON error */

char *bh__http_json_error(const char *code, const char *message, size_t *len)
{
    static const char hex[] = "0123456789abcdef";
    const char *parts[2];
    size_t cap = 40, n = 0;
    char *out;
    int k;

    parts[0] = code ? code : "error";
    parts[1] = message ? message : "";
    for (k = 0; k < 2; k++)
        cap += strlen(parts[k]) * 6;
    out = malloc(cap);
    if (out == NULL)
        return NULL;
    for (k = 0; k < 2; k++) {
        const unsigned char *p = (const unsigned char *)parts[k];
        const char *pre = k == 0 ? "{\"error\":{\"code\":\"" : "\",\"message\":\"";
        memcpy(out + n, pre, strlen(pre));
        n += strlen(pre);
        for (; *p; p++) {
            if (*p == '"' || *p == '\\') {
                out[n++] = '\\';
                out[n++] = (char)*p;
            } else if (*p < 0x20) {
                memcpy(out + n, "\\u00", 4);
                n += 4;
                out[n++] = hex[*p >> 4];
                out[n++] = hex[*p & 0xf];
            } else {
                out[n++] = (char)*p;
            }
        }
    }
    memcpy(out + n, "\"}}", 4);
    n += 3;
    *len = n;
    return out;
}

/* ------------------------------------------------------------- responses */

static int header_line_ok(const char *s)
{
    for (; *s; s++)
        if (*s == '\r' || *s == '\n')
            return 0;
    return 1;
}

static size_t put(char *dst, size_t n, const char *src, size_t len)
{
    memcpy(dst + n, src, len);
    return n + len;
}

static size_t put_u64(char *dst, size_t n, uint64_t v)
{
    char tmp[24];
    size_t k = 0;

    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (k > 0)
        dst[n++] = tmp[--k];
    return n;
}

/*
 * Composes the head of ex's answer into ex->resp (grown to hold it and
 * body_room more bytes): status line, Date, Content-Type, the framing
 * (Content-Length: clen, Transfer-Encoding: chunked, or none when the body
 * ends with the connection), Connection, X-Request-Id, the extra headers
 * and the blank line. Sets ex->resp_len; 0 or -ENOMEM.
 */
int bh__http_put_head(bh_http_exchange *ex, int status, const char *ctype, enum framing framing,
                      uint64_t clen, const char *const *extra, size_t body_room)
{
    bh_http_server *s = ex->srv;
    const char *reason = bh_http_reason(status);
    size_t need, n, i, ctlen, rlen = strlen(reason);

    if (ctype != NULL && !header_line_ok(ctype))
        ctype = NULL;
    ctlen = ctype ? strlen(ctype) : 0;
    need = 160 + rlen + ctlen + s->date_len + sizeof(s->date) + body_room;
    if (extra != NULL)
        for (i = 0; extra[i] != NULL; i++)
            need += strlen(extra[i]) + 2;
    if (bh__http_grow(&ex->resp, &ex->resp_cap, need) != 0)
        return -ENOMEM;
    n = put(ex->resp, 0, "HTTP/1.1 ", 9);
    ex->resp[n++] = (char)('0' + status / 100);
    ex->resp[n++] = (char)('0' + status / 10 % 10);
    ex->resp[n++] = (char)('0' + status % 10);
    ex->resp[n++] = ' ';
    n = put(ex->resp, n, reason, rlen);
    n = put(ex->resp, n, "\r\nDate: ", 8);
    http_date(s);
    n = put(ex->resp, n, s->date, s->date_len);
    n = put(ex->resp, n, "\r\n", 2);
    if (ctype != NULL) {
        n = put(ex->resp, n, "Content-Type: ", 14);
        n = put(ex->resp, n, ctype, ctlen);
        n = put(ex->resp, n, "\r\n", 2);
    }
    if (framing == FRAME_LENGTH && status >= 200 && status != 204 && status != 304) {
        n = put(ex->resp, n, "Content-Length: ", 16);
        n = put_u64(ex->resp, n, clen);
        n = put(ex->resp, n, "\r\n", 2);
    } else if (framing == FRAME_CHUNKED) {
        n = put(ex->resp, n, "Transfer-Encoding: chunked\r\n", 28);
    }
    if (ex->close_after)
        n = put(ex->resp, n, "Connection: close\r\n", 19);
    else
        n = put(ex->resp, n, "Connection: keep-alive\r\n", 24);
    n = put(ex->resp, n, "X-Request-Id: ", 14);
    n = put(ex->resp, n, ex->rid, 16);
    n = put(ex->resp, n, "\r\n", 2);
    if (extra != NULL) {
        for (i = 0; extra[i] != NULL; i++) {
            if (!header_line_ok(extra[i]) || extra[i][0] == '\0')
                continue;
            n = put(ex->resp, n, extra[i], strlen(extra[i]));
            n = put(ex->resp, n, "\r\n", 2);
        }
    }
    n = put(ex->resp, n, "\r\n", 2);
    ex->resp_len = n;
    return 0;
}

/* Drops the body an answer owns: a malloc'd buffer and/or a descriptor. */
static void drop_body(char *owned, int fd)
{
    free(owned);
    if (fd >= 0)
        close(fd);
}

/*
 * Builds the answer's head (and copies a small body into it) and queues it.
 * The body is body (copied), owned (taken) or, when fd >= 0, the first
 * fsize bytes of fd (taken; read while writing, see struct fbody).
 */
static void respond_core(bh_http_exchange *ex, int status, const char *ctype, const char *body,
                         size_t body_len, const char *const *extra, char *owned, int fd,
                         uint64_t fsize)
{
    bh_http_server *s;
    bh_http_conn *c;
    size_t n;
    uint64_t clen;
    int no_body;

    if (ex == NULL || ex->responded || ex->chunked_out != NULL) {
        drop_body(owned, fd);
        return;
    }
    s = ex->srv;
    c = ex->conn;
    ex->responded = 1;
    s->in_flight--;
    if (status < 100 || status > 999)
        status = 500;
    ex->status = status;
    if (fd >= 0) {
        body = NULL;
        body_len = 0;
    } else if (body == NULL && owned == NULL) {
        body_len = 0;
    }
    clen = fd >= 0 ? fsize : body_len;
    if (c == NULL) {
        /* the client went away while the application worked */
        drop_body(owned, fd);
        bh__http_report_complete(ex, 0, 0);
        bh__http_orphan_unlink(s, ex);
        ex->orphan = 0;
        bh__http_ex_recycle(ex);
        bh__http_check_drain(s);
        return;
    }
    if (c->closed) {
        drop_body(owned, fd); /* the close callback reports it */
        return;
    }
    if (ex->state != EX_DONE) {
        /* answered before the whole body arrived: drop the rest of it */
        bh__http_stream_abort(ex);
        ex->discard = 1;
        ex->want_continue = 0;
        if (c->app_paused == ex)
            c->app_paused = NULL;
        if (ex->chunked || ex->expect_len - ex->body_len > DISCARD_MAX ||
            (ex->expects_continue && !ex->continue_sent))
            ex->close_after = 1;
    }
    if (!ex->req.keep_alive)
        ex->close_after = 1;
    else if ((s->draining || c->eof) && ex == c->qtail && c->cur == NULL)
        ex->close_after = 1;

    no_body = ex->is_head || status < 200 || status == 204 || status == 304;
    if (no_body || fsize == 0) {
        /* nothing to read: the head says all */
        if (fd >= 0)
            close(fd);
        fd = -1;
    } else if (fd >= 0) {
        ex->file = calloc(1, sizeof(*ex->file));
        if (ex->file == NULL) {
            close(fd);
            free(owned);
            bh__http_close_conn(c);
            return;
        }
        ex->file->ex = ex;
        ex->file->fd = fd;
        ex->file->size = fsize;
    }
    if (bh__http_put_head(ex, status, ctype, FRAME_LENGTH, clen, extra,
                          !no_body && owned == NULL ? body_len : 0) != 0) {
        free(owned); /* a file body goes with the exchange when it closes */
        bh__http_close_conn(c);
        return;
    }
    n = ex->resp_len;
    if (no_body) {
        free(owned);
    } else if (owned != NULL) {
        ex->obody = owned;
        ex->obody_len = body_len;
    } else if (body_len > 0) {
        n = put(ex->resp, n, body, body_len);
    }
    ex->resp_len = n;
    bh__http_pump(c);
}

void bh_http_close_after(bh_http_exchange *ex)
{
    if (ex != NULL && !ex->responded)
        ex->close_after = 1;
}

void bh__http_respond_impl(bh_http_exchange *ex, int status, const char *ctype, const char *body,
                           size_t body_len, const char *const *extra, char *owned)
{
    respond_core(ex, status, ctype, body, body_len, extra, owned, -1, 0);
}

void bh_http_respond(bh_http_exchange *ex, int status, const char *content_type, const char *body,
                     size_t body_len, const char *const *extra_headers)
{
    bh__http_respond_impl(ex, status, content_type, body, body_len, extra_headers, NULL);
}

void bh_http_respond_owned(bh_http_exchange *ex, int status, const char *content_type, char *body,
                           size_t body_len, const char *const *extra_headers)
{
    if (body == NULL)
        body_len = 0;
    bh__http_respond_impl(ex, status, content_type, NULL, body_len, extra_headers, body);
}

void bh_http_respond_file(bh_http_exchange *ex, int status, const char *content_type, int fd,
                          uint64_t size, const char *const *extra_headers)
{
    if (fd < 0) {
        bh_http_respond_error(ex, 500, "internal", "the response body could not be opened");
        return;
    }
    respond_core(ex, status, content_type, NULL, 0, extra_headers, NULL, fd, size);
}

void bh_http_respond_error(bh_http_exchange *ex, int status, const char *code, const char *message)
{
    size_t len = 0;
    char *body = bh__http_json_error(code, message, &len);

    if (body == NULL) {
        bh__http_respond_impl(ex, status, NULL, NULL, 0, NULL, NULL);
        return;
    }
    bh__http_respond_impl(ex, status, "application/json", NULL, len, NULL, body);
}
