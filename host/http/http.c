/*
 * http.c - batond's HTTP/1.1 server on a libuv loop (contract in http.h).
 *
 * Owns: the listening socket, connections, exchanges (one request and its
 * response), the per-connection response queue, timeouts and the write path.
 * Does not own: request parsing proper (http_parser_adapter.c), routing or
 * anything the application does with a request.
 *
 * How it is put together, for the next reader:
 *
 * - Reading. All connections of a server read into one shared buffer: each
 *   read callback parses what arrived before it returns, so the buffer is
 *   free again for the next connection. Only when parsing has to stop early
 *   (the application paused a streamed body, too many pipelined requests
 *   wait for answers, or a server error) are the unparsed bytes copied into
 *   the connection's own `pend` buffer, and reading stops until they have
 *   been parsed. Reading is on exactly when update_reading() says so.
 *
 * - Exchanges. A request gets an exchange at its first byte; the exchange
 *   joins the connection's queue and stays there until its response has
 *   been written. Strings of the request live in the exchange's arena,
 *   which, like its body and response buffers, is reused: exchanges return
 *   to a per-server pool, so a keep-alive request costs no allocation once
 *   the pool is warm.
 *
 * - Writing. Responses may be given in any order; flush() writes the
 *   answered exchanges at the front of the queue, several at once with one
 *   uv_try_write (writev), and falls back to uv_write for what the socket
 *   did not take. Flushing is deferred while a connection is parsing, so a
 *   pipelined burst is answered with one write. A body streamed from a file
 *   (struct fbody) is read chunk by chunk on the thread pool and written as
 *   the chunks arrive; answers behind it wait for its last byte.
 *
 * - Timeouts. One timer per connection. Its meaning (idle, header, body gap,
 *   send, linger) follows the connection's state; extending a deadline only
 *   stores it, and the timer re-arms itself for the remainder when it fires
 *   early, so the busy path does not touch the timer heap.
 *
 * - Closing. Connections that must close after a response shut down their
 *   write side and keep reading (and dropping) for a short while, so that a
 *   client still sending a body sees the response instead of a reset.
 */
#include "http.h"

#include "http_parser_adapter.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/random.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#ifdef __linux__
#include <linux/sockios.h>
#endif

#define READ_BUF_SIZE    (256 * 1024) /* shared by all connections of a server */
#define POOL_MAX         256          /* exchanges kept for reuse per server */
#define ARENA_KEEP       (16 * 1024)  /* larger buffers are freed on reuse */
#define BODY_KEEP        (64 * 1024)
#define RESP_KEEP        (64 * 1024)
#define DISCARD_MAX      (64 * 1024) /* body dropped after an early answer */
#define LINGER_MS        2000
#define MAX_BATCH        64 /* exchanges per write */
#define LISTEN_BACKLOG   4096
#define PEER_LEN         64
#define ARENA_FIRST      1024
#define HEAD_LINE_EXTRA  12           /* " HTTP/1.1\r\n" after the target */
#define HEADER_LINE_COST 4            /* ": " and CRLF */
#define FILE_CHUNK       (256 * 1024) /* one read of a file body */
#define FILE_CHUNKS      4            /* chunks per file body: one read, the rest written */

enum ex_state { EX_HEAD, EX_BODY, EX_DONE };
enum part { PART_NONE, PART_URL, PART_FIELD, PART_VALUE };
enum tkind { T_NONE, T_IDLE, T_HEAD, T_BODY, T_SEND, T_LINGER };

struct hpos {
    size_t name;
    size_t value;
};

struct fbody;

struct bh_http_exchange {
    bh_http_exchange *next, *prev;
    bh_http_server *srv;
    bh_http_conn *conn; /* NULL once orphaned (client gone, app still busy) */
    bh_http_request req;
    char rid[17];
    char peer[PEER_LEN];

    /* request head storage */
    char *arena;
    size_t alen, acap;
    struct hpos *hpos;
    size_t hcount, hcap;
    bh_http_header *hdrs;
    size_t hdrs_cap;
    size_t target_len;
    size_t head_bytes;
    enum part last;

    /* body */
    char *body;
    size_t body_cap;
    uint64_t body_len;
    uint64_t body_limit;
    uint64_t expect_len; /* Content-Length, 0 when absent */
    bh_http_body_stream stream;

    unsigned char state;
    unsigned char chunked;
    unsigned char streaming;      /* chunks go to stream.on_chunk */
    unsigned char request_called; /* on_request has been called */
    unsigned char responded;
    unsigned char in_write;
    unsigned char expects_continue;
    unsigned char want_continue; /* send "100 Continue" when first in line */
    unsigned char continue_sent;
    unsigned char close_after; /* close the connection after this response */
    unsigned char discard;     /* drop the rest of the body */
    unsigned char in_chunk;    /* inside stream.on_chunk */
    unsigned char is_head;
    unsigned char orphan;

    int fail_status; /* set by bh_http_stream_fail */
    char *fail_body;
    size_t fail_len;

    /* response */
    int status;
    char *resp;
    size_t resp_len, resp_cap;
    char *obody; /* owned body written after resp */
    size_t obody_len;
    struct fbody *file; /* body read from a file descriptor, NULL otherwise */
};

/*
 * A response body read from a file descriptor (bh_http_respond_file). At
 * most one read runs on the thread pool at a time, into a free chunk; a
 * chunk that has been read is written at once and is free again when its
 * write completes, so a connection never holds more than FILE_CHUNKS chunks
 * however large the file. Reads are sequential, hence so are the writes.
 * The exchange stays first in its connection's queue until the last byte
 * has been written: nothing after it is written before.
 */
struct fchunk {
    uv_write_t w;
    struct fbody *fb;
    char *buf;
    size_t cap;
    size_t len; /* bytes read into buf */
    int busy;   /* being read into or written */
};

struct fbody {
    uv_fs_t rreq;
    uv_write_t hreq;      /* the response head */
    bh_http_exchange *ex; /* NULL once the exchange let go during a read */
    int fd;
    uint64_t size;     /* bytes to send (Content-Length) */
    uint64_t read_off; /* bytes read so far */
    int reading;       /* rreq is on the thread pool */
    int rchunk;        /* the chunk being read into */
    int writes;        /* head and chunk writes in flight */
    struct fchunk ch[FILE_CHUNKS];
};

struct bh_http_conn {
    uv_tcp_t tcp;
    uv_timer_t timer;
    uv_shutdown_t shutdown_req;
    bh_http_server *srv;
    bh_http_conn *next, *prev;
    bh_hpa *hp;

    bh_http_exchange *qhead, *qtail;
    size_t qlen;
    bh_http_exchange *cur;        /* exchange being parsed */
    bh_http_exchange *app_paused; /* streamed exchange paused by the app */

    char *pend; /* unparsed input kept while parsing is stopped */
    size_t pend_off, pend_len, pend_cap;

    int handles; /* open libuv handles (tcp, timer) */
    size_t writes_pending;
    unsigned char closed;  /* uv_close issued */
    unsigned char reading; /* uv_read_start active */
    unsigned char no_more; /* parse no further request */
    unsigned char errored; /* a server error answer is queued */
    unsigned char eof;     /* the client half-closed */
    unsigned char lingering;
    unsigned char close_pending; /* a close_after response has been written */
    unsigned char in_parse;
    unsigned char in_flush;
    unsigned char in_pump;
    unsigned char pump_again;
    unsigned char flush_again;
    unsigned char resume_req;

    enum tkind tkind;
    uint64_t deadline; /* loop time when the current timeout expires */
    uint64_t tdue;     /* loop time the timer is set for */
    uint64_t head_due; /* header deadline of the request being parsed */
    size_t send_mark;  /* bytes queued when the send timeout last looked */
    char peer[PEER_LEN];
};

struct bh_http_server {
    uv_loop_t *loop;
    uv_tcp_t listener;
    int listener_open;
    int handles;
    bh_http_limits limits;
    bh_http_callbacks cb;
    void *app;
    int port;

    char *rbuf;
    bh_http_conn *conns;
    size_t nconns;
    bh_http_exchange *pool;
    size_t pool_n;
    bh_http_exchange *orphans;
    size_t in_flight;

    int draining;
    int drain_called;
    int freeing;
    void (*drain_done)(void *arg);
    void *drain_arg;

    uint64_t date_next; /* loop time (ms) when the Date text is stale */
    char date[32];
    size_t date_len;
};

static void pump(bh_http_conn *c);
static void flush(bh_http_conn *c);
static void close_conn(bh_http_conn *c);
static void arm_timer(bh_http_conn *c);
static size_t unsent_bytes(bh_http_conn *c);
static void respond_impl(bh_http_exchange *ex, int status, const char *ctype, const char *body,
                         size_t body_len, const char *const *extra, char *owned);
static void check_drain(bh_http_server *s);
static void file_release(bh_http_exchange *ex);

/* ---------------------------------------------------------------- helpers */

static int grow(char **buf, size_t *cap, size_t need)
{
    size_t n;
    char *p;

    if (need <= *cap)
        return 0;
    n = *cap ? *cap : 256;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return -ENOMEM;
        n *= 2;
    }
    p = realloc(*buf, n);
    if (p == NULL)
        return -ENOMEM;
    *buf = p;
    *cap = n;
    return 0;
}

static void set_err(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, fmt, a, b);
}

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

void bh_http_limits_default(bh_http_limits *l)
{
    l->max_header_bytes = 16 * 1024;
    l->max_body_bytes = 1024 * 1024;
    l->header_timeout_ms = 10 * 1000;
    l->body_timeout_ms = 30 * 1000;
    l->idle_timeout_ms = 60 * 1000;
    l->max_pipelined = 64;
    l->max_connections = 10000;
}

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

const bh_http_request *bh_http_exchange_request(const bh_http_exchange *ex)
{
    return ex ? &ex->req : NULL;
}

/* ------------------------------------------------------------ request ids */

static uv_once_t rid_once = UV_ONCE_INIT;
static uint64_t rid_prefix;
static atomic_uint_fast64_t rid_counter;

static void rid_init(void)
{
    uint64_t r = 0;
    if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
        r = uv_hrtime() ^ ((uint64_t)getpid() << 32);
    /* 24 random bits on top, a 40-bit counter below: unique within a process
     * for 2^40 requests, and unlikely to repeat across restarts. */
    rid_prefix = (r & 0xffffffu) << 40;
}

static void make_request_id(char out[17])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t n = atomic_fetch_add_explicit(&rid_counter, 1, memory_order_relaxed);
    uint64_t v = rid_prefix | (n & 0xffffffffffull);
    int i;

    for (i = 15; i >= 0; i--) {
        out[i] = hex[v & 0xf];
        v >>= 4;
    }
    out[16] = '\0';
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

/* Builds {"error":{"code":..,"message":..}}; malloc'd, caller frees. */
static char *json_error(const char *code, const char *message, size_t *len)
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

/* -------------------------------------------------------------- exchanges */

static void ex_free(bh_http_exchange *ex)
{
    file_release(ex);
    free(ex->arena);
    free(ex->hpos);
    free(ex->hdrs);
    free(ex->body);
    free(ex->resp);
    free(ex->obody);
    free(ex->fail_body);
    free(ex);
}

static void ex_recycle(bh_http_exchange *ex)
{
    bh_http_server *s = ex->srv;

    file_release(ex);
    free(ex->obody);
    ex->obody = NULL;
    free(ex->fail_body);
    ex->fail_body = NULL;
    if (s->freeing || s->pool_n >= POOL_MAX) {
        ex_free(ex);
        return;
    }
    if (ex->acap > ARENA_KEEP) {
        free(ex->arena);
        ex->arena = NULL;
        ex->acap = 0;
    }
    if (ex->body_cap > BODY_KEEP) {
        free(ex->body);
        ex->body = NULL;
        ex->body_cap = 0;
    }
    if (ex->resp_cap > RESP_KEEP) {
        free(ex->resp);
        ex->resp = NULL;
        ex->resp_cap = 0;
    }
    ex->next = s->pool;
    s->pool = ex;
    s->pool_n++;
}

static void q_push(bh_http_conn *c, bh_http_exchange *ex)
{
    ex->next = NULL;
    ex->prev = c->qtail;
    if (c->qtail)
        c->qtail->next = ex;
    else
        c->qhead = ex;
    c->qtail = ex;
    c->qlen++;
}

static void q_remove(bh_http_conn *c, bh_http_exchange *ex)
{
    if (ex->prev)
        ex->prev->next = ex->next;
    else
        c->qhead = ex->next;
    if (ex->next)
        ex->next->prev = ex->prev;
    else
        c->qtail = ex->prev;
    ex->next = ex->prev = NULL;
    c->qlen--;
}

/* Starts a new exchange at the tail of c's queue and makes it current. */
static bh_http_exchange *ex_start(bh_http_conn *c)
{
    bh_http_server *s = c->srv;
    bh_http_exchange *ex = s->pool;

    if (ex != NULL) {
        s->pool = ex->next;
        s->pool_n--;
    } else {
        ex = calloc(1, sizeof(*ex));
        if (ex == NULL)
            return NULL;
    }
    ex->srv = s;
    ex->conn = c;
    memset(&ex->req, 0, sizeof(ex->req));
    memcpy(ex->peer, c->peer, sizeof(ex->peer));
    make_request_id(ex->rid);
    ex->req.method = "";
    ex->req.target = "";
    ex->req.path = "";
    ex->req.query = "";
    ex->req.request_id = ex->rid;
    ex->req.peer = ex->peer;
    ex->req.http_minor = 1;
    ex->req.start_ns = uv_hrtime();
    ex->alen = 0;
    ex->hcount = 0;
    ex->target_len = 0;
    ex->head_bytes = 0;
    ex->last = PART_NONE;
    ex->body_len = 0;
    ex->body_limit = 0;
    ex->expect_len = 0;
    memset(&ex->stream, 0, sizeof(ex->stream));
    ex->state = EX_HEAD;
    ex->chunked = 0;
    ex->streaming = 0;
    ex->request_called = 0;
    ex->responded = 0;
    ex->in_write = 0;
    ex->expects_continue = 0;
    ex->want_continue = 0;
    ex->continue_sent = 0;
    ex->close_after = 0;
    ex->discard = 0;
    ex->in_chunk = 0;
    ex->is_head = 0;
    ex->orphan = 0;
    ex->fail_status = 0;
    ex->fail_len = 0;
    ex->status = 0;
    ex->resp_len = 0;
    ex->obody_len = 0;
    q_push(c, ex);
    c->cur = ex;
    s->in_flight++;
    return ex;
}

/* Tells the application that a streamed body ends without on_request. */
static void stream_abort(bh_http_exchange *ex)
{
    if (!ex->streaming)
        return;
    ex->streaming = 0;
    ex->discard = 1;
    if (ex->stream.on_abort)
        ex->stream.on_abort(ex->stream.stream_ctx);
}

static void report_complete(bh_http_exchange *ex, int status, uint64_t bytes)
{
    bh_http_server *s = ex->srv;
    if (s->cb.on_complete && !s->freeing)
        s->cb.on_complete(s->app, &ex->req, status, bytes, uv_hrtime() - ex->req.start_ns);
}

/* An exchange that will never be answered (client gone before on_request). */
static void drop_unanswered(bh_http_exchange *ex)
{
    stream_abort(ex);
    if (!ex->responded) {
        ex->responded = 1;
        ex->srv->in_flight--;
    }
    report_complete(ex, 0, 0);
    ex_recycle(ex);
}

/* --------------------------------------------------------------- timers */

static void timer_cb(uv_timer_t *t);

/*
 * Sets the connection's current timeout. A running timer due no later than
 * the new deadline is left alone: timer_cb re-arms it for the remainder.
 */
static void set_timer_at(bh_http_conn *c, enum tkind kind, uint64_t deadline)
{
    uint64_t now = uv_now(c->srv->loop);

    c->tkind = kind;
    c->deadline = deadline;
    if (uv_is_active((uv_handle_t *)&c->timer) && c->tdue <= deadline)
        return;
    c->tdue = deadline;
    uv_timer_start(&c->timer, timer_cb, deadline > now ? deadline - now : 0, 0);
}

static void set_timer(bh_http_conn *c, enum tkind kind, uint32_t ms)
{
    set_timer_at(c, kind, uv_now(c->srv->loop) + ms);
}

/* No timeout applies; a running timer finds T_NONE and stays quiet. */
static void stop_timer(bh_http_conn *c)
{
    c->tkind = T_NONE;
}

/* Chooses the timeout that fits the connection's state now. */
static void arm_timer(bh_http_conn *c)
{
    const bh_http_limits *l = &c->srv->limits;
    enum bh_hpa_phase ph;

    if (c->closed)
        return;
    if (c->lingering) {
        if (c->tkind != T_LINGER)
            set_timer(c, T_LINGER, LINGER_MS);
        return;
    }
    ph = bh_hpa_phase(c->hp);
    if (!c->no_more && !c->app_paused && c->cur != NULL && ph == BH_HPA_HEAD) {
        set_timer_at(c, T_HEAD, c->head_due);
        return;
    }
    if (!c->no_more && !c->app_paused && c->cur != NULL && ph == BH_HPA_BODY) {
        set_timer(c, T_BODY, l->body_timeout_ms);
        return;
    }
    if (c->writes_pending > 0) {
        if (c->tkind != T_SEND)
            c->send_mark = unsent_bytes(c);
        set_timer(c, T_SEND, l->idle_timeout_ms);
        return;
    }
    if (c->qlen == 0 && c->cur == NULL) {
        if (c->tkind != T_IDLE)
            set_timer(c, T_IDLE, l->idle_timeout_ms);
        return;
    }
    stop_timer(c); /* waiting for the application */
}

/* ------------------------------------------------------- server errors */

/*
 * Answers the request being parsed (or a new exchange when none is) with an
 * error the server produced itself, then stops parsing; the connection
 * closes once the answer is written. body is a JSON error (owned) or NULL.
 */
static void server_error_body(bh_http_conn *c, int status, char *body, size_t len)
{
    bh_http_exchange *ex = c->cur;

    c->no_more = 1;
    c->errored = 1;
    if (ex == NULL) {
        ex = ex_start(c);
        if (ex == NULL) {
            free(body);
            close_conn(c);
            return;
        }
    }
    c->cur = NULL;
    if (c->app_paused == ex)
        c->app_paused = NULL;
    ex->state = EX_DONE;
    stream_abort(ex);
    ex->close_after = 1;
    if (ex->responded) {
        free(body);
        return;
    }
    if (body == NULL) {
        close_conn(c);
        respond_impl(ex, status, NULL, NULL, 0, NULL, NULL);
        return;
    }
    respond_impl(ex, status, "application/json", NULL, len, NULL, body);
}

static void server_error(bh_http_conn *c, int status, const char *code, const char *message)
{
    size_t len = 0;
    char *body = json_error(code, message, &len);
    server_error_body(c, status, body, len);
}

/* ------------------------------------------------------ parser callbacks */

static int head_add(bh_http_conn *c, bh_http_exchange *ex, size_t n)
{
    ex->head_bytes += n;
    if (ex->head_bytes > c->srv->limits.max_header_bytes) {
        server_error(c, 431, "headers_too_large", "the request line and headers are too large");
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
        if (grow(&ex->arena, &ex->acap, need) != 0) {
            close_conn(c);
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
    ex = ex_start(c);
    if (ex == NULL) {
        close_conn(c);
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
                close_conn(c);
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
            close_conn(c);
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

static size_t host_count(const bh_http_exchange *ex)
{
    size_t i, n = 0;
    for (i = 0; i < ex->req.header_count; i++)
        if (strcmp(ex->req.headers[i].name, "host") == 0)
            n++;
    return n;
}

static int cb_headers_complete(void *ctx, const bh_hpa_head *head)
{
    bh_http_conn *c = ctx;
    bh_http_exchange *ex = c->cur;
    bh_http_server *s = c->srv;
    bh_http_body_stream stream;
    const char *expect;
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
        server_error(c, 505, "version_not_supported", "only HTTP/1.0 and HTTP/1.1 are supported");
        return BH_HPA_STOP;
    }
    if (rc != 0) {
        server_error(c, 400, "bad_request", "malformed request target");
        return BH_HPA_STOP;
    }
    if (head->http_minor == 1 && host_count(ex) != 1) {
        /* RFC 9112 section 3.2: exactly one Host in an HTTP/1.1 request */
        server_error(c, 400, "bad_request", "an HTTP/1.1 request needs exactly one Host header");
        return BH_HPA_STOP;
    }
    if (head->is_connect) {
        server_error(c, 400, "bad_request", "CONNECT is not supported");
        return BH_HPA_STOP;
    }
    if (head->upgrade && (head->chunked || head->content_length > 0)) {
        server_error(c, 400, "bad_request", "protocol upgrades are not supported");
        return BH_HPA_STOP;
    }
    ex->state = EX_BODY;
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
        stream_abort(ex);
        return 0;
    }
    if (ex->fail_status) {
        char *b = ex->fail_body;
        ex->fail_body = NULL;
        server_error_body(c, ex->fail_status, b, ex->fail_len);
        return BH_HPA_STOP;
    }
    if (ex->expect_len > ex->body_limit) {
        server_error(c, 413, "body_too_large", "the request body is larger than allowed");
        return BH_HPA_STOP;
    }
    if (!ex->streaming && ex->expect_len > 0 && ex->expect_len + 1 > ex->body_cap) {
        if (grow(&ex->body, &ex->body_cap, (size_t)ex->expect_len + 1) != 0) {
            close_conn(c);
            return BH_HPA_STOP;
        }
    }
    if (ex->expects_continue)
        ex->want_continue = 1;
    return 0;
}

static int fail_stream_now(bh_http_conn *c, bh_http_exchange *ex)
{
    char *b = ex->fail_body;
    size_t len = ex->fail_len;
    int status = ex->fail_status ? ex->fail_status : 400;

    ex->fail_body = NULL;
    if (b == NULL)
        b = json_error("bad_request", "the request body was refused", &len);
    server_error_body(c, status, b, len);
    return BH_HPA_STOP;
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
        server_error(c, 413, "body_too_large", "the request body is larger than allowed");
        return BH_HPA_STOP;
    }
    if (ex->streaming) {
        if (ex->fail_status)
            return fail_stream_now(c, ex);
        c->resume_req = 0;
        ex->in_chunk = 1;
        r = ex->stream.on_chunk(ex->stream.stream_ctx, at, len);
        ex->in_chunk = 0;
        if (c->closed)
            return BH_HPA_STOP;
        if (ex->discard)
            return 0; /* answered from inside on_chunk */
        if (r < 0 || ex->fail_status)
            return fail_stream_now(c, ex);
        if (r == BH_HTTP_PAUSE && !c->resume_req) {
            c->app_paused = ex;
            return BH_HPA_PAUSE;
        }
        return 0;
    }
    if (grow(&ex->body, &ex->body_cap, (size_t)ex->body_len + 1) != 0) {
        close_conn(c);
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
            if (ex->body == NULL && grow(&ex->body, &ex->body_cap, 1) != 0) {
                close_conn(c);
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

static const bh_hpa_callbacks hpa_callbacks = {
    .on_message_begin = cb_message_begin,
    .on_url = cb_url,
    .on_header_field = cb_header_field,
    .on_header_value = cb_header_value,
    .on_headers_complete = cb_headers_complete,
    .on_body = cb_body,
    .on_message_complete = cb_message_complete,
};

/* ---------------------------------------------------------------- input */

/* Parses data; returns the bytes consumed. Never flushes (callers do). */
static size_t parse_input(bh_http_conn *c, const char *data, size_t len)
{
    size_t n;

    c->in_parse = 1;
    bh_hpa_resume(c->hp);
    n = bh_hpa_execute(c->hp, data, len);
    c->in_parse = 0;
    if (c->closed || c->errored)
        return n;
    if (bh_hpa_status(c->hp) == BH_HPA_ERROR) {
        switch (bh_hpa_error(c->hp)) {
        case BH_HPA_E_HEADER_OVERFLOW:
            server_error(c, 431, "headers_too_large", "the request line and headers are too large");
            break;
        case BH_HPA_E_SYNTAX:
            server_error(c, 400, "bad_request", bh_hpa_error_text(c->hp));
            break;
        default:
            close_conn(c);
            break;
        }
    }
    return n;
}

static int may_start_request(bh_http_conn *c)
{
    return !c->srv->draining && c->qlen < c->srv->limits.max_pipelined;
}

static void update_reading(bh_http_conn *c);

static void read_alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    bh_http_conn *c = h->data;
    (void)suggested;
    buf->base = c->srv->rbuf;
    buf->len = READ_BUF_SIZE;
}

static int pend_append(bh_http_conn *c, const char *data, size_t len)
{
    if (c->pend_off > 0 && c->pend_off == c->pend_len)
        c->pend_off = c->pend_len = 0;
    if (grow(&c->pend, &c->pend_cap, c->pend_len + len) != 0)
        return -ENOMEM;
    memcpy(c->pend + c->pend_len, data, len);
    c->pend_len += len;
    return 0;
}

/* Drops the partial request being parsed (the client went away). */
static void abort_current(bh_http_conn *c)
{
    bh_http_exchange *ex = c->cur;

    if (ex == NULL)
        return;
    c->cur = NULL;
    if (c->app_paused == ex)
        c->app_paused = NULL;
    ex->state = EX_DONE;
    stream_abort(ex);
    if (ex->responded) {
        ex->close_after = 1;
        return;
    }
    q_remove(c, ex);
    drop_unanswered(ex);
}

static void begin_close(bh_http_conn *c);

static void on_eof(bh_http_conn *c)
{
    c->eof = 1;
    c->no_more = 1;
    if (c->lingering) {
        close_conn(c);
        return;
    }
    abort_current(c);
    c->pend_off = c->pend_len = 0;
    if (c->qlen == 0 && c->writes_pending == 0) {
        close_conn(c);
        return;
    }
    pump(c);
}

static void read_cb(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    bh_http_conn *c = st->data;
    size_t n;

    if (nread == 0 || c->closed)
        return;
    if (nread < 0) {
        if (nread == UV_EOF)
            on_eof(c);
        else
            close_conn(c);
        return;
    }
    if (c->lingering || c->no_more)
        return; /* dropped */
    if (c->pend_len > c->pend_off || c->app_paused) {
        if (pend_append(c, buf->base, (size_t)nread) != 0)
            close_conn(c);
        pump(c);
        return;
    }
    n = parse_input(c, buf->base, (size_t)nread);
    if (!c->closed && !c->no_more && n < (size_t)nread) {
        if (pend_append(c, buf->base + n, (size_t)nread - n) != 0) {
            close_conn(c);
            return;
        }
    }
    pump(c);
}

static void update_reading(bh_http_conn *c)
{
    int want;

    if (c->closed)
        return;
    if (c->lingering)
        want = 1;
    else if (c->eof || c->no_more || c->app_paused != NULL || c->pend_len > c->pend_off)
        want = 0;
    else if (bh_hpa_phase(c->hp) == BH_HPA_IDLE && !may_start_request(c))
        want = 0;
    else
        want = 1;
    if (want && !c->reading) {
        if (uv_read_start((uv_stream_t *)&c->tcp, read_alloc_cb, read_cb) != 0) {
            close_conn(c);
            return;
        }
        c->reading = 1;
    } else if (!want && c->reading) {
        uv_read_stop((uv_stream_t *)&c->tcp);
        c->reading = 0;
    }
}

/*
 * Parses kept input while nothing stops it, then sets reading, the timer
 * and writes what is ready. The one place that moves a connection on; it
 * loops instead of recursing when writing completed exchanges (which may
 * let more pipelined requests be parsed).
 */
static void pump(bh_http_conn *c)
{
    if (c->closed)
        return;
    if (c->in_parse || c->in_pump) {
        c->pump_again = 1;
        return;
    }
    c->in_pump = 1;
    do {
        c->pump_again = 0;
        while (!c->no_more && !c->closed && c->app_paused == NULL && c->pend_len > c->pend_off) {
            size_t n;
            if (bh_hpa_phase(c->hp) == BH_HPA_IDLE && !may_start_request(c))
                break;
            if (c->cur != NULL && c->cur->fail_status && c->cur->streaming) {
                fail_stream_now(c, c->cur);
                break;
            }
            n = parse_input(c, c->pend + c->pend_off, c->pend_len - c->pend_off);
            c->pend_off += n;
            if (n == 0 && bh_hpa_status(c->hp) != BH_HPA_PAUSED)
                break;
        }
        if (c->closed)
            break;
        if (c->pend_off >= c->pend_len || c->no_more)
            c->pend_off = c->pend_len = 0;
        if (c->srv->draining && c->cur == NULL)
            c->no_more = 1;
        if (c->no_more && c->qlen == 0 && c->writes_pending == 0 && !c->lingering) {
            if (c->eof || c->srv->draining)
                close_conn(c);
            else
                begin_close(c);
            break;
        }
        update_reading(c);
        arm_timer(c);
        flush(c);
    } while (c->pump_again && !c->closed);
    c->in_pump = 0;
}

/* --------------------------------------------------------------- output */

struct write_req {
    uv_write_t req;
    bh_http_conn *conn;
    size_t nex;
    bh_http_exchange *ex[MAX_BATCH];
};

static void shutdown_cb(uv_shutdown_t *req, int status)
{
    bh_http_conn *c = req->data;
    if (status < 0 && !c->closed)
        close_conn(c);
}

/* Half-closes after the last response and drops input for a while. */
static void begin_close(bh_http_conn *c)
{
    if (c->closed || c->lingering)
        return;
    if (c->eof) {
        close_conn(c);
        return;
    }
    c->lingering = 1;
    c->no_more = 1;
    c->shutdown_req.data = c;
    if (uv_shutdown(&c->shutdown_req, (uv_stream_t *)&c->tcp, shutdown_cb) != 0) {
        close_conn(c);
        return;
    }
    update_reading(c);
    arm_timer(c);
}

/* Exchanges whose response went out (ok) or never will (!ok). */
static void complete_written(bh_http_conn *c, bh_http_exchange **exs, size_t n, int ok)
{
    size_t i;

    for (i = 0; i < n; i++) {
        bh_http_exchange *ex = exs[i];
        uint64_t bytes = ex->resp_len + ex->obody_len + (ex->file ? ex->file->size : 0);
        q_remove(c, ex);
        ex->in_write = 0;
        if (ex == c->cur) {
            /* an early answer went out while its body was still arriving */
            c->cur = NULL;
            c->no_more = 1;
        }
        if (ex->close_after)
            c->close_pending = 1;
        report_complete(ex, ok ? ex->status : 0, ok ? bytes : 0);
        ex_recycle(ex);
    }
    c->pump_again = 1; /* the queue shrank: parsing may go on */
}

static void after_writes(bh_http_conn *c)
{
    if (c->closed)
        return;
    if (c->close_pending && c->writes_pending == 0) {
        begin_close(c);
        return;
    }
    pump(c);
}

static void write_cb(uv_write_t *req, int status)
{
    struct write_req *wr = (struct write_req *)req;
    bh_http_conn *c = wr->conn;

    c->writes_pending--;
    complete_written(c, wr->ex, wr->nex, status == 0);
    free(wr);
    if (status < 0) {
        close_conn(c);
        return;
    }
    after_writes(c);
}

/* ------------------------------------------------------------ file bodies */

static void fbody_free(struct fbody *fb)
{
    int i;

    if (fb->fd >= 0)
        close(fb->fd);
    for (i = 0; i < FILE_CHUNKS; i++)
        free(fb->ch[i].buf);
    free(fb);
}

/*
 * Lets go of an exchange's file body. A read still on the thread pool owns
 * the body from then on and frees it when it returns. Never called with a
 * write in flight: the write callbacks of a closing connection run before
 * its close callback releases the exchanges.
 */
static void file_release(bh_http_exchange *ex)
{
    struct fbody *fb = ex->file;

    if (fb == NULL)
        return;
    ex->file = NULL;
    if (fb->reading) {
        fb->ex = NULL;
        return;
    }
    fbody_free(fb);
}

static void file_read_cb(uv_fs_t *req);

/* Starts the next read when none runs and a chunk is free. */
static void file_read_next(bh_http_conn *c, struct fbody *fb)
{
    struct fchunk *ch = NULL;
    uint64_t left = fb->size - fb->read_off;
    size_t want = left < FILE_CHUNK ? (size_t)left : FILE_CHUNK;
    uv_buf_t b;
    int i;

    if (fb->reading || left == 0)
        return;
    for (i = 0; i < FILE_CHUNKS && ch == NULL; i++)
        if (!fb->ch[i].busy)
            ch = &fb->ch[i];
    if (ch == NULL)
        return; /* every chunk waits for the client */
    if (ch->cap < want) {
        char *p = realloc(ch->buf, want);
        if (p == NULL) {
            close_conn(c);
            return;
        }
        ch->buf = p;
        ch->cap = want;
    }
    b = uv_buf_init(ch->buf, (unsigned int)want);
    fb->rreq.data = fb;
    if (uv_fs_read(c->srv->loop, &fb->rreq, fb->fd, &b, 1, (int64_t)fb->read_off, file_read_cb) !=
        0) {
        close_conn(c);
        return;
    }
    ch->busy = 1;
    fb->rchunk = (int)(ch - fb->ch);
    fb->reading = 1;
}

/* The whole body has been written: the exchange is complete. */
static void file_done(bh_http_conn *c, struct fbody *fb)
{
    bh_http_exchange *ex = fb->ex;

    close(fb->fd);
    fb->fd = -1;
    complete_written(c, &ex, 1, 1); /* frees fb */
    after_writes(c);
}

/* Moves a file body on after a read or a write completed. */
static void file_step(bh_http_conn *c, struct fbody *fb)
{
    if (c->closed)
        return;
    if (fb->read_off == fb->size && fb->writes == 0 && !fb->reading) {
        file_done(c, fb);
        return;
    }
    file_read_next(c, fb);
    arm_timer(c); /* a completed write is progress: the send timeout starts over */
}

static void file_write_cb(uv_write_t *w, int status)
{
    struct fchunk *ch = w->data;
    struct fbody *fb = ch->fb;
    bh_http_conn *c = fb->ex->conn;

    ch->busy = 0;
    fb->writes--;
    c->writes_pending--;
    if (status < 0) {
        close_conn(c);
        return;
    }
    file_step(c, fb);
}

static void file_head_cb(uv_write_t *w, int status)
{
    struct fbody *fb = w->data;
    bh_http_conn *c = fb->ex->conn;

    fb->writes--;
    c->writes_pending--;
    if (status < 0) {
        close_conn(c);
        return;
    }
    file_step(c, fb);
}

static void file_read_cb(uv_fs_t *req)
{
    struct fbody *fb = req->data;
    bh_http_exchange *ex = fb->ex;
    struct fchunk *ch = &fb->ch[fb->rchunk];
    ssize_t n = req->result;
    bh_http_conn *c;
    uv_buf_t b;

    uv_fs_req_cleanup(req);
    fb->reading = 0;
    ch->busy = 0;
    if (ex == NULL) {
        fbody_free(fb); /* the connection closed while the read ran */
        return;
    }
    c = ex->conn;
    if (c->closed)
        return; /* its close callback releases fb */
    if (n <= 0) {
        /* A read error, or the file ends before the announced size. The
         * head is out: only a short body can tell the client. */
        close_conn(c);
        return;
    }
    ch->len = (size_t)n;
    fb->read_off += (uint64_t)n;
    ch->w.data = ch;
    ch->fb = fb;
    b = uv_buf_init(ch->buf, (unsigned int)ch->len);
    if (uv_write(&ch->w, (uv_stream_t *)&c->tcp, &b, 1, file_write_cb) != 0) {
        close_conn(c);
        return;
    }
    ch->busy = 1;
    fb->writes++;
    c->writes_pending++;
    file_step(c, fb);
}

/* Writes the head of a file answer that is first in line and starts reading. */
static void file_begin(bh_http_conn *c, bh_http_exchange *ex)
{
    struct fbody *fb = ex->file;
    uv_buf_t b = uv_buf_init(ex->resp, (unsigned int)ex->resp_len);

    ex->in_write = 1;
    fb->hreq.data = fb;
    if (uv_write(&fb->hreq, (uv_stream_t *)&c->tcp, &b, 1, file_head_cb) != 0) {
        close_conn(c);
        return;
    }
    fb->writes++;
    c->writes_pending++;
    file_read_next(c, fb);
    arm_timer(c);
}

static const char continue_line[] = "HTTP/1.1 100 Continue\r\n\r\n";

static void flush_once(bh_http_conn *c)
{
    uv_buf_t bufs[2 * MAX_BATCH + 1];
    bh_http_exchange *exs[MAX_BATCH];
    size_t nb = 0, nex = 0, total = 0, i;
    bh_http_exchange *ex;
    struct write_req *wr;
    int r;

    for (ex = c->qhead; ex != NULL && nex < MAX_BATCH; ex = ex->next) {
        if (ex->in_write) {
            if (ex->file != NULL)
                break; /* nothing overtakes a file body being sent */
            continue;
        }
        if (!ex->responded || (ex->state != EX_DONE && !ex->close_after)) {
            if (ex->want_continue && !ex->responded) {
                bufs[nb++] = uv_buf_init((char *)continue_line, sizeof(continue_line) - 1);
                total += sizeof(continue_line) - 1;
                ex->want_continue = 0;
                ex->continue_sent = 1;
            }
            break;
        }
        if (ex->file != NULL) {
            if (nb == 0) {
                file_begin(c, ex);
                return;
            }
            c->flush_again = 1; /* once the answers before it are queued */
            break;
        }
        bufs[nb].base = ex->resp;
        bufs[nb++].len = ex->resp_len;
        total += ex->resp_len;
        if (ex->obody_len > 0) {
            bufs[nb].base = ex->obody;
            bufs[nb++].len = ex->obody_len;
            total += ex->obody_len;
        }
        ex->in_write = 1;
        exs[nex++] = ex;
        if (ex->close_after)
            break;
    }
    if (nb == 0)
        return;
    r = 0;
    if (c->writes_pending == 0) {
        r = uv_try_write((uv_stream_t *)&c->tcp, bufs, (unsigned int)nb);
        if (r == UV_EAGAIN || r == UV_ENOSYS)
            r = 0;
        if (r < 0) {
            for (i = 0; i < nex; i++)
                exs[i]->in_write = 0;
            close_conn(c);
            return;
        }
        if ((size_t)r == total) {
            complete_written(c, exs, nex, 1);
            if (!c->close_pending)
                c->flush_again = 1; /* more may be ready */
            return;
        }
    }
    /* skip what the socket took, queue the rest */
    i = 0;
    while (r > 0) {
        if ((size_t)r >= bufs[i].len) {
            r -= (int)bufs[i].len;
            i++;
        } else {
            bufs[i].base += r;
            bufs[i].len -= (size_t)r;
            r = 0;
        }
    }
    wr = malloc(sizeof(*wr));
    if (wr == NULL) {
        for (i = 0; i < nex; i++)
            exs[i]->in_write = 0;
        close_conn(c);
        return;
    }
    wr->conn = c;
    wr->nex = nex;
    memcpy(wr->ex, exs, nex * sizeof(exs[0]));
    if (uv_write(&wr->req, (uv_stream_t *)&c->tcp, bufs + i, (unsigned int)(nb - i), write_cb) !=
        0) {
        for (i = 0; i < nex; i++)
            exs[i]->in_write = 0;
        free(wr);
        close_conn(c);
        return;
    }
    c->writes_pending++;
    arm_timer(c);
}

/* Writes what is ready; only pump() calls it. */
static void flush(bh_http_conn *c)
{
    int rounds = 0;

    if (c->closed || c->in_flush)
        return;
    c->in_flush = 1;
    do {
        c->flush_again = 0;
        flush_once(c);
    } while (c->flush_again && !c->closed && ++rounds < 1000);
    c->in_flush = 0;
    if (!c->closed && c->close_pending && c->writes_pending == 0)
        begin_close(c);
}

static void after_writes(bh_http_conn *c);

/*
 * Bytes of answers not yet taken by the client: what libuv still queues plus
 * what sits unacknowledged in the socket's send buffer (Linux SIOCOUTQ), so
 * a slow but steady reader is seen making progress.
 */
static size_t unsent_bytes(bh_http_conn *c)
{
    size_t n = c->tcp.write_queue_size;
#ifdef SIOCOUTQ
    uv_os_fd_t fd;
    int q = 0;
    if (uv_fileno((uv_handle_t *)&c->tcp, &fd) == 0 && ioctl(fd, SIOCOUTQ, &q) == 0 && q > 0)
        n += (size_t)q;
#endif
    return n;
}

static void timer_cb(uv_timer_t *t)
{
    bh_http_conn *c = t->data;
    uint64_t now = uv_now(c->srv->loop);
    enum tkind kind = c->tkind;

    if (c->closed || kind == T_NONE)
        return;
    if (now < c->deadline) {
        c->tdue = c->deadline;
        uv_timer_start(&c->timer, timer_cb, c->deadline - now, 0);
        return;
    }
    if (kind == T_SEND && unsent_bytes(c) < c->send_mark) {
        /* the client is reading, slowly: give it another period */
        c->send_mark = unsent_bytes(c);
        c->deadline = now + c->srv->limits.idle_timeout_ms;
        c->tdue = c->deadline;
        uv_timer_start(&c->timer, timer_cb, c->srv->limits.idle_timeout_ms, 0);
        return;
    }
    c->tkind = T_NONE;
    switch (kind) {
    case T_HEAD:
        server_error(c, 408, "request_timeout", "the request headers did not arrive in time");
        pump(c);
        break;
    case T_BODY:
        server_error(c, 408, "request_timeout", "the request body did not arrive in time");
        pump(c);
        break;
    default:
        close_conn(c); /* idle, stalled send, end of linger: no answer */
        break;
    }
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

static void orphan_unlink(bh_http_server *s, bh_http_exchange *ex)
{
    if (ex->prev)
        ex->prev->next = ex->next;
    else
        s->orphans = ex->next;
    if (ex->next)
        ex->next->prev = ex->prev;
    ex->next = ex->prev = NULL;
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
    const char *reason;
    size_t need, n, i, ctlen, rlen;
    uint64_t clen;
    int no_body;

    if (ex == NULL || ex->responded) {
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
        report_complete(ex, 0, 0);
        orphan_unlink(s, ex);
        ex->orphan = 0;
        ex_recycle(ex);
        check_drain(s);
        return;
    }
    if (c->closed) {
        drop_body(owned, fd); /* the close callback reports it */
        return;
    }
    if (ex->state != EX_DONE) {
        /* answered before the whole body arrived: drop the rest of it */
        stream_abort(ex);
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
    if (ctype != NULL && !header_line_ok(ctype))
        ctype = NULL;
    ctlen = ctype ? strlen(ctype) : 0;
    reason = bh_http_reason(status);
    rlen = strlen(reason);
    need = 160 + rlen + ctlen + s->date_len + sizeof(s->date);
    if (extra != NULL)
        for (i = 0; extra[i] != NULL; i++)
            need += strlen(extra[i]) + 2;
    if (!no_body && owned == NULL)
        need += body_len;
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
            close_conn(c);
            return;
        }
        ex->file->ex = ex;
        ex->file->fd = fd;
        ex->file->size = fsize;
    }
    if (grow(&ex->resp, &ex->resp_cap, need) != 0) {
        free(owned); /* a file body goes with the exchange when it closes */
        close_conn(c);
        return;
    }
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
    if (status >= 200 && status != 204 && status != 304) {
        n = put(ex->resp, n, "Content-Length: ", 16);
        n = put_u64(ex->resp, n, clen);
        n = put(ex->resp, n, "\r\n", 2);
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
    if (no_body) {
        free(owned);
    } else if (owned != NULL) {
        ex->obody = owned;
        ex->obody_len = body_len;
    } else if (body_len > 0) {
        n = put(ex->resp, n, body, body_len);
    }
    ex->resp_len = n;
    pump(c);
}

static void respond_impl(bh_http_exchange *ex, int status, const char *ctype, const char *body,
                         size_t body_len, const char *const *extra, char *owned)
{
    respond_core(ex, status, ctype, body, body_len, extra, owned, -1, 0);
}

void bh_http_respond(bh_http_exchange *ex, int status, const char *content_type, const char *body,
                     size_t body_len, const char *const *extra_headers)
{
    respond_impl(ex, status, content_type, body, body_len, extra_headers, NULL);
}

void bh_http_respond_owned(bh_http_exchange *ex, int status, const char *content_type, char *body,
                           size_t body_len, const char *const *extra_headers)
{
    if (body == NULL)
        body_len = 0;
    respond_impl(ex, status, content_type, NULL, body_len, extra_headers, body);
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
    char *body = json_error(code, message, &len);

    if (body == NULL) {
        respond_impl(ex, status, NULL, NULL, 0, NULL, NULL);
        return;
    }
    respond_impl(ex, status, "application/json", NULL, len, NULL, body);
}

void bh_http_resume(bh_http_exchange *ex)
{
    bh_http_conn *c;

    if (ex == NULL || ex->conn == NULL)
        return;
    c = ex->conn;
    if (ex->in_chunk) {
        c->resume_req = 1;
        return;
    }
    if (c->app_paused != ex || c->closed)
        return;
    c->app_paused = NULL;
    pump(c);
}

void bh_http_stream_fail(bh_http_exchange *ex, int status, const char *code, const char *message)
{
    bh_http_conn *c;

    if (ex == NULL || ex->responded || ex->conn == NULL)
        return;
    c = ex->conn;
    free(ex->fail_body);
    ex->fail_body = json_error(code, message, &ex->fail_len);
    ex->fail_status = status >= 400 && status <= 599 ? status : 400;
    if (ex->in_chunk || c->in_parse || c->closed)
        return; /* acted on when the parser callback returns */
    if (ex->state == EX_DONE) {
        char *b = ex->fail_body;
        ex->fail_body = NULL;
        if (b == NULL)
            bh_http_respond_error(ex, ex->fail_status, code, message);
        else
            respond_impl(ex, ex->fail_status, "application/json", NULL, ex->fail_len, NULL, b);
        return;
    }
    if (c->cur == ex) {
        fail_stream_now(c, ex);
        pump(c);
    }
}

/* ------------------------------------------------------------ connections */

static void server_destroy(bh_http_server *s)
{
    while (s->pool != NULL) {
        bh_http_exchange *ex = s->pool;
        s->pool = ex->next;
        ex_free(ex);
    }
    free(s->rbuf);
    free(s);
}

static void maybe_destroy(bh_http_server *s)
{
    if (s->freeing && !s->listener_open && s->nconns == 0)
        server_destroy(s);
}

static void check_drain(bh_http_server *s)
{
    if (s->draining && !s->drain_called && !s->freeing && !s->listener_open && s->nconns == 0 &&
        s->in_flight == 0) {
        s->drain_called = 1;
        if (s->drain_done)
            s->drain_done(s->drain_arg);
    }
}

static void conn_release(bh_http_conn *c)
{
    bh_http_server *s = c->srv;

    if (--c->handles > 0)
        return;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    s->nconns--;
    if (c->hp)
        bh_hpa_free(c->hp);
    free(c->pend);
    free(c);
    check_drain(s);
    maybe_destroy(s);
}

static void tcp_close_cb(uv_handle_t *h)
{
    bh_http_conn *c = h->data;
    bh_http_server *s = c->srv;
    bh_http_exchange *ex;

    c->cur = NULL;
    c->app_paused = NULL;
    while ((ex = c->qhead) != NULL) {
        q_remove(c, ex);
        stream_abort(ex);
        if (!ex->responded && ex->request_called && !s->freeing) {
            /* the application still owns it; its answer goes nowhere */
            ex->conn = NULL;
            ex->orphan = 1;
            ex->next = s->orphans;
            if (s->orphans)
                s->orphans->prev = ex;
            s->orphans = ex;
            continue;
        }
        if (!ex->responded) {
            drop_unanswered(ex);
        } else {
            report_complete(ex, 0, 0);
            ex_recycle(ex);
        }
    }
    conn_release(c);
}

static void timer_close_cb(uv_handle_t *h)
{
    conn_release(h->data);
}

static void close_conn(bh_http_conn *c)
{
    if (c->closed)
        return;
    c->closed = 1;
    if (c->reading)
        uv_read_stop((uv_stream_t *)&c->tcp);
    c->reading = 0;
    uv_close((uv_handle_t *)&c->tcp, tcp_close_cb);
    uv_close((uv_handle_t *)&c->timer, timer_close_cb);
}

static void format_peer(bh_http_conn *c)
{
    struct sockaddr_storage ss;
    int len = (int)sizeof(ss);
    char ip[INET6_ADDRSTRLEN];

    c->peer[0] = '\0';
    if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &len) != 0)
        return;
    if (ss.ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
        if (uv_ip4_name(a, ip, sizeof(ip)) == 0)
            snprintf(c->peer, sizeof(c->peer), "%s:%u", ip, (unsigned)ntohs(a->sin_port));
    } else if (ss.ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
        if (uv_ip6_name(a, ip, sizeof(ip)) == 0)
            snprintf(c->peer, sizeof(c->peer), "[%s]:%u", ip, (unsigned)ntohs(a->sin6_port));
    }
}

static void on_connection(uv_stream_t *ls, int status)
{
    bh_http_server *s = ls->data;
    bh_http_conn *c;

    if (status < 0 || s->draining || s->freeing)
        return;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return;
    c->srv = s;
    if (uv_tcp_init(s->loop, &c->tcp) != 0) {
        free(c);
        return;
    }
    uv_timer_init(s->loop, &c->timer);
    c->tcp.data = c;
    c->timer.data = c;
    c->handles = 2;
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    s->nconns++;
    if (uv_accept(ls, (uv_stream_t *)&c->tcp) != 0 || s->nconns > s->limits.max_connections) {
        close_conn(c);
        return;
    }
    c->hp = bh_hpa_new(&hpa_callbacks, c);
    if (c->hp == NULL) {
        close_conn(c);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    format_peer(c);
    pump(c);
}

/* ----------------------------------------------------------------- server */

static void listener_close_cb(uv_handle_t *h)
{
    bh_http_server *s = h->data;
    s->listener_open = 0;
    check_drain(s);
    maybe_destroy(s);
}

static void normalize_limits(bh_http_limits *l, const bh_http_limits *in)
{
    bh_http_limits d;

    bh_http_limits_default(&d);
    *l = *in;
    if (l->max_header_bytes == 0)
        l->max_header_bytes = d.max_header_bytes;
    if (l->max_body_bytes == 0)
        l->max_body_bytes = d.max_body_bytes;
    if (l->header_timeout_ms == 0)
        l->header_timeout_ms = d.header_timeout_ms;
    if (l->body_timeout_ms == 0)
        l->body_timeout_ms = d.body_timeout_ms;
    if (l->idle_timeout_ms == 0)
        l->idle_timeout_ms = d.idle_timeout_ms;
    if (l->max_pipelined == 0)
        l->max_pipelined = d.max_pipelined;
    if (l->max_connections == 0)
        l->max_connections = d.max_connections;
}

int bh_http_server_start(uv_loop_t *loop, const bh_http_server_options *opt, bh_http_server **out,
                         char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    socklen_t slen;
    const char *host;
    bh_http_server *s = NULL;
    int fd = -1, one = 1, rc;

    if (out != NULL)
        *out = NULL;
    if (loop == NULL || opt == NULL || out == NULL || opt->port < 0 || opt->port > 65535) {
        set_err(err, errlen, "%s%s", "invalid server options", "");
        return -EINVAL;
    }
    uv_once(&rid_once, rid_init);
    host = opt->host ? opt->host : "127.0.0.1";
    memset(&ss, 0, sizeof(ss));
    if (uv_ip4_addr(host, opt->port, (struct sockaddr_in *)&ss) == 0) {
        slen = sizeof(struct sockaddr_in);
    } else if (uv_ip6_addr(host, opt->port, (struct sockaddr_in6 *)&ss) == 0) {
        slen = sizeof(struct sockaddr_in6);
    } else {
        set_err(err, errlen, "listen address '%s' is not a numeric IPv4 or IPv6 address%s", host,
                "");
        return -EINVAL;
    }
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        rc = -errno;
        set_err(err, errlen, "socket: %s%s", strerror(-rc), "");
        return rc;
    }
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        (opt->reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0)) {
        rc = -errno;
        set_err(err, errlen, "setsockopt: %s%s", strerror(-rc), "");
        goto fail;
    }
    if (bind(fd, (struct sockaddr *)&ss, slen) != 0) {
        rc = -errno;
        set_err(err, errlen, "bind %s: %s", host, strerror(-rc));
        goto fail;
    }
    if (listen(fd, LISTEN_BACKLOG) != 0) {
        rc = -errno;
        set_err(err, errlen, "listen %s: %s", host, strerror(-rc));
        goto fail;
    }
    slen = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &slen) != 0) {
        rc = -errno;
        set_err(err, errlen, "getsockname: %s%s", strerror(-rc), "");
        goto fail;
    }
    rc = -ENOMEM;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        goto nomem;
    s->rbuf = malloc(READ_BUF_SIZE);
    if (s->rbuf == NULL)
        goto nomem;
    s->loop = loop;
    normalize_limits(&s->limits, &opt->limits);
    s->cb = opt->callbacks;
    s->app = opt->app;
    s->port = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                            : ((struct sockaddr_in6 *)&ss)->sin6_port);
    rc = uv_tcp_init(loop, &s->listener);
    if (rc != 0) {
        set_err(err, errlen, "uv_tcp_init: %s%s", uv_strerror(rc), "");
        goto fail;
    }
    s->listener.data = s;
    s->listener_open = 1;
    rc = uv_tcp_open(&s->listener, fd);
    if (rc == 0) {
        fd = -1; /* the handle owns it now */
        rc = uv_listen((uv_stream_t *)&s->listener, LISTEN_BACKLOG, on_connection);
    }
    if (rc != 0) {
        set_err(err, errlen, "listen: %s%s", uv_strerror(rc), "");
        if (fd >= 0)
            close(fd);
        /* the handle is registered with the loop: free once it has closed */
        s->freeing = 1;
        uv_close((uv_handle_t *)&s->listener, listener_close_cb);
        return rc;
    }
    *out = s;
    return 0;

nomem:
    set_err(err, errlen, "%s%s", "out of memory", "");
fail:
    if (s != NULL) {
        free(s->rbuf);
        free(s);
    }
    if (fd >= 0)
        close(fd);
    return rc;
}

int bh_http_server_port(const bh_http_server *s)
{
    return s ? s->port : -1;
}

size_t bh_http_server_in_flight(const bh_http_server *s)
{
    return s ? s->in_flight : 0;
}

void bh_http_server_drain(bh_http_server *s, void (*done)(void *arg), void *arg)
{
    bh_http_conn *c, *next;

    if (s == NULL || s->draining || s->freeing)
        return;
    s->draining = 1;
    s->drain_done = done;
    s->drain_arg = arg;
    if (s->listener_open && !uv_is_closing((uv_handle_t *)&s->listener))
        uv_close((uv_handle_t *)&s->listener, listener_close_cb);
    for (c = s->conns; c != NULL; c = next) {
        next = c->next;
        if (c->closed)
            continue;
        if (c->qlen == 0 && c->cur == NULL)
            close_conn(c);
        else
            pump(c);
    }
    check_drain(s);
}

void bh_http_server_free(bh_http_server *s)
{
    bh_http_conn *c;

    if (s == NULL || s->freeing)
        return;
    s->freeing = 1;
    if (s->listener_open && !uv_is_closing((uv_handle_t *)&s->listener))
        uv_close((uv_handle_t *)&s->listener, listener_close_cb);
    for (c = s->conns; c != NULL; c = c->next)
        close_conn(c);
    while (s->orphans != NULL) {
        bh_http_exchange *ex = s->orphans;
        orphan_unlink(s, ex);
        ex_free(ex);
    }
    maybe_destroy(s);
}

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
