/*
 * fuzz_http.c - libFuzzer target over batond's HTTP request path.
 *
 * Drives the real server (host/http.c over host/http_parser_adapter.c) on a
 * libuv loop in this process: one bh_http_server listens on 127.0.0.1 with
 * small limits, and each input is sent over a fresh loopback connection,
 * then the client half-closes and the loop runs until the connection is
 * gone. The server owns every byte of parsing; this file only plays client
 * and application.
 *
 * Input layout: byte 0 chooses how the rest (the bytes on the wire) is
 * delivered: 0 sends it in one write, 255 one byte per write, 254 one write
 * after which the client resets the connection instead of half-closing it,
 * anything else splits it in two writes at rest_len * byte0 / 256, with the
 * loop run in between so the server parses the halves separately. Byte 0
 * modulo 3 is also how many loop iterations deferred answers and resumes
 * wait, and an odd byte 0 (but 255) opens a bystander connection first:
 * another client with an answer pending and a paused, unfinished streamed
 * body, which must get both its answers whatever the fuzzed one does.
 *
 * The application answers by path, so mutations of the request line reach
 * every way an application can use the server:
 *   /echo...       buffered body, answered at once with the body
 *   /async...      answered from a later loop iteration (owned body)
 *   /status/NNN    answered at once with status NNN (200..599)
 *   /big           answered at once with 64 KiB (more than the socket takes)
 *   /early...      answered 401 from on_headers, before the body
 *   /stream...     body streamed with a 64-byte limit; each chunk's bytes
 *                  steer the handler: 'P' pause and resume later, 'S' pause
 *                  and resume at once, 'X' refuse the chunk, 'F' fail the
 *                  stream, 'R' answer from inside the chunk, 'E' answer
 *                  while paused, 'f' fail while paused
 *   anything else  404 from bh_http_respond_error
 *
 * Checks after each input, beyond ASan/UBSan/LSan:
 *   - the bytes each client received are exactly the responses the server
 *     reported through on_complete, in that order: each starts with
 *     "HTTP/1.1 <status>", carries a Content-Length that matches its body
 *     (no body after HEAD; no Content-Length on 1xx, 204, 304), and its
 *     size equals bytes_out;
 *     interim "100 Continue" lines appear only for requests that asked;
 *     nothing follows a "Connection: close" response;
 *   - no more responses than requests whose head completed (plus one error
 *     answer);
 *   - a streamed exchange gets exactly one of on_request and on_abort (a
 *     second call finds its context freed: ASan reports it);
 *   - request fields keep their documented shape (lower-case header names,
 *     HTTP/1.1 requests have one Host, bodies within the limits);
 *   - the connection closes without any timeout firing, every exchange is
 *     finished (in_flight 0) and every connection handle is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <uv.h>

#include "http.h"

#define MAX_HEADER_BYTES 1024
#define MAX_BODY_BYTES   256
#define STREAM_MAX_BYTES 64
#define MAX_PIPELINED    4
/* Far longer than any input takes: a timeout that fires is a stall. */
#define TIMEOUT_MS 5000
#define STALL_NS   (3ull * 1000 * 1000 * 1000)
#define INPUT_MAX  (64 * 1024)
#define BIG_BYTES  (64 * 1024)
/* The bystander's requests: one answered later, one streamed body that
 * pauses and is left one byte short until the fuzzed connection is done. */
#define BYSTANDER_HEAD                                                                             \
    "GET /async HTTP/1.1\r\nHost: b\r\n\r\n"                                                       \
    "POST /stream HTTP/1.1\r\nHost: b\r\nContent-Length: 4\r\n\r\nPab"
#define BYSTANDER_REST "c"
#define SNDBUF_BYTES   4096

struct completion {
    int status;
    int is_head;
    uint64_t bytes;
    char peer[64]; /* which client connection */
};

/* One streamed exchange; freed after on_request's answer or in on_abort. */
struct sctx {
    bh_http_exchange *ex;
    struct sctx *next;  /* in the deferred list */
    struct sctx *lnext; /* in the live list */
    int queued;
    char action; /* deferred: 'P' resume, 'E' answer, 'f' fail */
    uint64_t got;
};

static uv_loop_t loop;
static uv_idle_t idle;
static bh_http_server *srv;
static int port;
static int base_handles;
static uint32_t conn_serial;
static int trace; /* FUZZ_HTTP_TRACE set: print each input's statuses */

/* Per input. */
static struct completion *comps;
static size_t ncomps, comps_cap;
static size_t heads_seen, expects_seen;
static bh_http_exchange **later; /* async answers */
static size_t nlater, later_cap;
static struct sctx *deferred;
static struct sctx *live;               /* streams not yet ended */
static unsigned delay_iters, idle_wait; /* loop iterations before deferred work */

static void fail(const char *why)
{
    fprintf(stderr, "fuzz_http: %s\n", why);
    abort();
}

static void need(int ok, const char *why)
{
    if (!ok)
        fail(why);
}

static void *grow_array(void *p, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return p;
    *cap = *cap ? *cap * 2 : 16;
    p = realloc(p, *cap * elem);
    if (p == NULL)
        fail("out of memory");
    return p;
}

static void wake(void);
static void undefer_stream(struct sctx *s);

static void defer_stream(struct sctx *s, char action)
{
    s->action = action;
    if (s->queued)
        return;
    s->queued = 1;
    s->next = deferred;
    deferred = s;
    wake();
}

/* Ends a stream: the server will not mention it again. */
static void stream_end(struct sctx *s)
{
    struct sctx **pp;

    undefer_stream(s);
    for (pp = &live; *pp != NULL; pp = &(*pp)->lnext) {
        if (*pp == s) {
            *pp = s->lnext;
            break;
        }
    }
    free(s);
}

static void undefer_stream(struct sctx *s)
{
    struct sctx **pp;

    if (!s->queued)
        return;
    for (pp = &deferred; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    }
    s->queued = 0;
}

/* ------------------------------------------------------------ the app */

static void check_request(const bh_http_request *req)
{
    size_t i;
    const char *p;

    need(req->method != NULL && req->target != NULL && req->path != NULL && req->query != NULL,
         "request string missing");
    need(req->http_minor == 0 || req->http_minor == 1, "http_minor out of range");
    need(req->keep_alive == 0 || req->keep_alive == 1, "keep_alive not a flag");
    need(req->request_id != NULL && strlen(req->request_id) == 16, "request id not 16 chars");
    need(req->header_count == 0 || req->headers != NULL, "headers missing");
    for (i = 0; i < req->header_count; i++) {
        need(req->headers[i].name != NULL && req->headers[i].value != NULL, "header missing");
        for (p = req->headers[i].name; *p; p++)
            need(!(*p >= 'A' && *p <= 'Z'), "header name not lower-cased");
    }
    if (req->http_minor == 1) {
        size_t hosts = 0;
        for (i = 0; i < req->header_count; i++)
            hosts += strcmp(req->headers[i].name, "host") == 0;
        need(hosts == 1, "HTTP/1.1 request without exactly one Host reached the app");
    }
}

static int stream_chunk(void *ctx, const char *data, size_t len)
{
    struct sctx *s = ctx;
    bh_http_exchange *ex = s->ex;

    need(s->ex != NULL, "chunk after the stream ended");
    s->got += len;
    need(s->got <= STREAM_MAX_BYTES, "streamed body above its limit");
    if (memchr(data, 'X', len) != NULL)
        return -1;
    if (memchr(data, 'F', len) != NULL) {
        bh_http_stream_fail(ex, 422, "refused", "the chunk was refused");
        return 0;
    }
    if (memchr(data, 'R', len) != NULL) {
        /* on_abort runs inside this call and frees s */
        bh_http_respond(ex, 200, "text/plain", "early\n", 6, NULL);
        return 0;
    }
    if (memchr(data, 'S', len) != NULL) {
        bh_http_resume(ex);
        return BH_HTTP_PAUSE;
    }
    if (memchr(data, 'E', len) != NULL) {
        defer_stream(s, 'E');
        return BH_HTTP_PAUSE;
    }
    if (memchr(data, 'f', len) != NULL) {
        defer_stream(s, 'f');
        return BH_HTTP_PAUSE;
    }
    if (memchr(data, 'P', len) != NULL) {
        defer_stream(s, 'P');
        return BH_HTTP_PAUSE;
    }
    return 0;
}

static void stream_abort(void *ctx)
{
    struct sctx *s = ctx;

    need(s->ex != NULL, "on_abort twice");
    stream_end(s);
}

static void app_headers(void *app, bh_http_exchange *ex, const bh_http_request *req,
                        bh_http_body_stream *stream)
{
    const char *expect;
    struct sctx *s;

    (void)app;
    heads_seen++;
    check_request(req);
    need(bh_http_exchange_request(ex) == req, "exchange and request disagree");
    expect = bh_http_header_get(req, "expect");
    if (expect != NULL && strcasecmp(expect, "100-continue") == 0)
        expects_seen++;
    if (strncmp(req->path, "/early", 6) == 0) {
        bh_http_respond_error(ex, 401, "unauthorized", "no token");
        return;
    }
    if (strncmp(req->path, "/stream", 7) != 0)
        return;
    s = calloc(1, sizeof(*s));
    if (s == NULL)
        fail("out of memory");
    s->ex = ex;
    s->lnext = live;
    live = s;
    stream->on_chunk = stream_chunk;
    stream->on_abort = stream_abort;
    stream->stream_ctx = s;
    stream->max_bytes = STREAM_MAX_BYTES;
}

static int path_status(const char *path)
{
    int n = atoi(path + 8);
    return n >= 200 && n <= 599 ? n : 200;
}

static void app_request(void *app, bh_http_exchange *ex, const bh_http_request *req)
{
    char extra[256];
    const char *extras[3] = {extra, "Cache-Control: no-store", NULL};

    (void)app;
    check_request(req);
    if (strncmp(req->path, "/stream", 7) == 0) {
        /* on_request has no stream_ctx: find it */
        struct sctx *s = live;
        while (s != NULL && s->ex != ex)
            s = s->lnext;
        need(s != NULL, "on_request for a stream that ended");
        need(req->body == NULL, "streamed request with a buffered body");
        need(req->body_len == s->got, "streamed body length differs from the chunks");
        stream_end(s);
        bh_http_respond(ex, 201, "text/plain", "stored\n", 7, NULL);
        return;
    }
    need(req->body != NULL && req->body[req->body_len] == '\0', "body not NUL-terminated");
    need(req->body_len <= MAX_BODY_BYTES, "buffered body above its limit");
    snprintf(extra, sizeof extra, "X-Query: %.200s", req->query);
    if (strncmp(req->path, "/echo", 5) == 0) {
        bh_http_respond(ex, 200, "application/octet-stream", req->body, req->body_len, extras);
    } else if (strcmp(req->path, "/big") == 0) {
        /* larger than a loopback socket takes at once: a partial write */
        char *big = malloc(BIG_BYTES);
        if (big == NULL)
            fail("out of memory");
        memset(big, 'b', BIG_BYTES);
        bh_http_respond_owned(ex, 200, "text/plain", big, BIG_BYTES, NULL);
    } else if (strncmp(req->path, "/status/", 8) == 0) {
        bh_http_respond(ex, path_status(req->path), "text/plain", "x", 1, NULL);
    } else if (strncmp(req->path, "/async", 6) == 0) {
        later = grow_array(later, &later_cap, nlater, sizeof(*later));
        later[nlater++] = ex;
        wake();
    } else {
        bh_http_respond_error(ex, 404, "not_found", req->path);
    }
}

static void app_complete(void *app, const bh_http_request *req, int status, uint64_t bytes_out,
                         uint64_t duration_ns)
{
    (void)app;
    (void)duration_ns;
    comps = grow_array(comps, &comps_cap, ncomps, sizeof(*comps));
    comps[ncomps].status = status;
    comps[ncomps].is_head = strcmp(req->method, "HEAD") == 0;
    comps[ncomps].bytes = bytes_out;
    snprintf(comps[ncomps].peer, sizeof comps[ncomps].peer, "%s", req->peer);
    ncomps++;
}

/* Deferred work: async answers and paused streams. */
static void idle_cb(uv_idle_t *h)
{
    size_t i, n = nlater;

    if (idle_wait > 0) {
        idle_wait--;
        return;
    }
    idle_wait = delay_iters;
    uv_idle_stop(h);
    for (i = 0; i < n; i++) {
        const bh_http_request *req = bh_http_exchange_request(later[i]);
        size_t len = req->body_len;
        char *body = malloc(len + 1);
        if (body == NULL)
            fail("out of memory");
        memcpy(body, req->body, len + 1);
        bh_http_respond_owned(later[i], 202, "text/plain", body, len, NULL);
    }
    /* answering lets the server parse on, which may queue more */
    if (n > 0) {
        memmove(later, later + n, (nlater - n) * sizeof(*later));
        nlater -= n;
    }
    while (deferred != NULL) {
        struct sctx *s = deferred;
        bh_http_exchange *ex = s->ex;
        deferred = s->next;
        s->queued = 0;
        /* s may be freed by any of these calls (on_abort) */
        if (s->action == 'E')
            bh_http_respond(ex, 507, "text/plain", "disk full\n", 10, NULL);
        else if (s->action == 'f')
            bh_http_stream_fail(ex, 500, "write_failed", "the write failed");
        else
            bh_http_resume(ex);
    }
    if (nlater > 0 || deferred != NULL)
        uv_idle_start(h, idle_cb);
}

static void wake(void)
{
    if (!uv_is_active((uv_handle_t *)&idle)) {
        idle_wait = delay_iters;
        uv_idle_start(&idle, idle_cb);
    }
}

/* ---------------------------------------------------------- the client */

struct rbuf {
    char *p;
    size_t len, cap;
};

/* Reads what the server sent; returns 1 once the server closed. */
static int client_read(int fd, struct rbuf *in)
{
    for (;;) {
        ssize_t n;
        if (in->cap - in->len < 4096) {
            in->cap = in->cap ? in->cap * 2 : 8192;
            in->p = realloc(in->p, in->cap);
            if (in->p == NULL)
                fail("out of memory");
        }
        n = read(fd, in->p + in->len, in->cap - in->len);
        if (n > 0) {
            in->len += (size_t)n;
            continue;
        }
        if (n == 0)
            return 1;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return 1; /* reset */
    }
}

/*
 * Accepted sockets inherit the listener's send buffer size (the server
 * polls its listening socket, a UV_POLL handle): a small one
 * makes large or many answers take the server's queued-write path (uv_write
 * after a partial uv_try_write) with short inputs.
 */
static void shrink_sndbuf(uv_handle_t *h, void *arg)
{
    uv_os_fd_t fd;

    (void)arg;
    if ((h->type == UV_TCP || h->type == UV_POLL) && uv_fileno(h, &fd) == 0 &&
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &(int){SNDBUF_BYTES}, sizeof(int)) != 0)
        fail("setsockopt SO_SNDBUF");
}

static void count_handle(uv_handle_t *h, void *arg)
{
    (void)h;
    (*(int *)arg)++;
}

static int loop_handles(void)
{
    int n = 0;
    uv_walk(&loop, count_handle, &n);
    return n;
}

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Every exchange answered or dropped, every connection handle closed. */
static int finished(void)
{
    return nlater == 0 && deferred == NULL && bh_http_server_in_flight(srv) == 0 &&
           loop_handles() == base_handles;
}

/* One loop iteration; aborts when nothing has finished since start. */
static void spin(uint64_t start)
{
    uv_run(&loop, UV_RUN_NOWAIT);
    if (mono_ns() - start > STALL_NS)
        fail("the connection did not finish: the server stalled");
}

/* Writes all of data, running the loop while the socket is full. */
static void client_write(int fd, const uint8_t *data, size_t len, struct rbuf *in, uint64_t start)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n > 0) {
            data += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            client_read(fd, in);
            spin(start);
            continue;
        }
        return; /* the server closed: the rest goes nowhere */
    }
}

/* Opens a client connection; sets peer to its "ip:port" as the server
 * reports it. */
static int client_connect(char peer[64])
{
    struct sockaddr_in sa;
    socklen_t slen = sizeof sa;
    char ip[INET_ADDRSTRLEN];
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0)
        fail("socket");
    /* A source address of its own per connection (127.0.0.0/8 is all
     * loopback): closed connections linger in TIME_WAIT for a minute, and
     * a long run would otherwise run out of ports to connect from. */
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(0x7f000000u | (2 + conn_serial++ % 0xfffff0u));
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        fail("bind");
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* Blocking connect: on loopback the kernel completes it before accept.
     * When the accept queue is momentarily full (the server only accepts
     * while this thread runs its loop), let the loop drain it and retry. */
    int tries = 0;
    while (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        if ((errno != ECONNREFUSED && errno != EAGAIN && errno != EINTR) || ++tries > 100) {
            fprintf(stderr, "fuzz_http: connect: %s\n", strerror(errno));
            fail("connect");
        }
        for (int i = 0; i < 10; i++)
            uv_run(&loop, UV_RUN_NOWAIT);
        close(fd);
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            fail("socket");
        struct sockaddr_in src;
        memset(&src, 0, sizeof src);
        src.sin_family = AF_INET;
        src.sin_addr.s_addr = htonl(0x7f000000u | (2 + conn_serial++ % 0xfffff0u));
        if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0)
            fail("bind");
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0)
        fail("fcntl");
    if (getsockname(fd, (struct sockaddr *)&sa, &slen) != 0 ||
        inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof ip) == NULL)
        fail("getsockname");
    snprintf(peer, 64, "%s:%u", ip, (unsigned)ntohs(sa.sin_port));
    return fd;
}

/* ------------------------------------------------------------- checks */

static const char continue_line[] = "HTTP/1.1 100 Continue\r\n\r\n";

static size_t skip_continues(const char *p, size_t len, size_t pos, size_t *count)
{
    size_t n = sizeof(continue_line) - 1;
    while (len - pos >= n && memcmp(p + pos, continue_line, n) == 0) {
        pos += n;
        (*count)++;
    }
    return pos;
}

static const char *find(const char *p, size_t len, const char *s)
{
    size_t n = strlen(s), i;
    for (i = 0; i + n <= len; i++)
        if (memcmp(p + i, s, n) == 0)
            return p + i;
    return NULL;
}

/* Checks what the client at peer received; returns the number of answers. */
static size_t check_responses(const struct rbuf *in, const char *peer)
{
    size_t pos = 0, i, continues = 0, finals = 0;
    int closed = 0;

    for (i = 0; i < ncomps; i++) {
        const struct completion *c = &comps[i];
        const char *r, *end, *cl;
        size_t head_len;
        uint64_t body = 0;
        int no_body;

        if (c->status == 0 || strcmp(c->peer, peer) != 0)
            continue;
        finals++;
        need(!closed, "a response follows one that said Connection: close");
        pos = skip_continues(in->p, in->len, pos, &continues);
        need(c->bytes <= in->len - pos, "fewer bytes received than on_complete reported");
        r = in->p + pos;
        need(c->bytes >= 13 && memcmp(r, "HTTP/1.1 ", 9) == 0,
             "response does not start with HTTP/1.1");
        need(r[9] - '0' == c->status / 100 && r[10] - '0' == c->status / 10 % 10 &&
                 r[11] - '0' == c->status % 10 && r[12] == ' ',
             "status line differs from the status on_complete reported");
        end = find(r, (size_t)c->bytes, "\r\n\r\n");
        need(end != NULL, "response head not terminated within bytes_out");
        head_len = (size_t)(end - r) + 4;
        no_body = c->status < 200 || c->status == 204 || c->status == 304;
        cl = find(r, head_len, "\r\nContent-Length: ");
        if (no_body) {
            need(cl == NULL, "Content-Length on a response without body");
        } else {
            need(cl != NULL, "response without Content-Length");
            body = strtoull(cl + 18, NULL, 10);
            if (c->is_head)
                body = 0;
        }
        need(head_len + body == c->bytes, "response size differs from its framing");
        if (find(r, head_len, "\r\nConnection: close\r\n") != NULL)
            closed = 1;
        else
            need(find(r, head_len, "\r\nConnection: keep-alive\r\n") != NULL,
                 "response without a Connection header");
        pos += (size_t)c->bytes;
    }
    pos = skip_continues(in->p, in->len, pos, &continues);
    need(pos == in->len, "bytes received that no on_complete accounts for");
    need(continues <= expects_seen, "100 Continue without Expect: 100-continue");
    need(finals <= heads_seen + 1, "more responses than requests");
    return finals;
}

/* ---------------------------------------------------------- the target */

static void trace_input(const struct rbuf *in)
{
    size_t i;

    if (!trace)
        return;
    fprintf(stderr, "fuzz_http: %zu heads, statuses:", heads_seen);
    for (i = 0; i < ncomps; i++)
        fprintf(stderr, " %d", comps[i].status);
    fprintf(stderr, ", %zu bytes back\n", in->len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    bh_http_server_options opt;
    char err[256];

    (void)argc;
    (void)argv;
    signal(SIGPIPE, SIG_IGN);
    trace = getenv("FUZZ_HTTP_TRACE") != NULL;
    if (uv_loop_init(&loop) != 0 || uv_idle_init(&loop, &idle) != 0)
        fail("loop init");
    memset(&opt, 0, sizeof opt);
    opt.host = "127.0.0.1";
    opt.port = 0;
    opt.limits.max_header_bytes = MAX_HEADER_BYTES;
    opt.limits.max_body_bytes = MAX_BODY_BYTES;
    opt.limits.header_timeout_ms = TIMEOUT_MS;
    opt.limits.body_timeout_ms = TIMEOUT_MS;
    opt.limits.idle_timeout_ms = TIMEOUT_MS;
    opt.limits.max_pipelined = MAX_PIPELINED;
    opt.callbacks.on_headers = app_headers;
    opt.callbacks.on_request = app_request;
    opt.callbacks.on_complete = app_complete;
    if (bh_http_server_start(&loop, &opt, &srv, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_http: %s\n", err);
        abort();
    }
    port = bh_http_server_port(srv);
    uv_walk(&loop, shrink_sndbuf, NULL); /* the listener (a poll handle) is the only socket */
    base_handles = loop_handles();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rbuf in = {NULL, 0, 0}, bin = {NULL, 0, 0};
    char peer[64], bpeer[64];
    const uint8_t *wire;
    size_t len, split, i;
    uint64_t start;
    int fd, bfd = -1, eof = 0, beof = 0;

    if (size < 1 || size > INPUT_MAX)
        return 0;
    wire = data + 1;
    len = size - 1;
    ncomps = heads_seen = expects_seen = 0;
    delay_iters = idle_wait = data[0] % 3;

    if ((data[0] & 1) && data[0] != 255) {
        /* a bystander: another client whose exchanges stay open meanwhile */
        bfd = client_connect(bpeer);
        start = mono_ns();
        client_write(bfd, (const uint8_t *)BYSTANDER_HEAD, strlen(BYSTANDER_HEAD), &bin, start);
        for (i = 0; i < 3; i++)
            spin(start);
    }
    fd = client_connect(peer);
    start = mono_ns();

    if (data[0] == 254) {
        /* the client sends, then goes away with a reset */
        client_write(fd, wire, len, &in, start);
        spin(start);
        spin(start);
        client_read(fd, &in);
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &(struct linger){1, 0}, sizeof(struct linger));
        close(fd);
        start = mono_ns();
        while (!finished())
            spin(start);
        trace_input(&in);
        need(live == NULL, "a streamed exchange got neither on_request nor on_abort");
        free(in.p);
        return 0;
    }
    if (data[0] == 255) {
        for (i = 0; i < len; i++) {
            start = mono_ns();
            client_write(fd, wire + i, 1, &in, start);
            spin(start);
            spin(start);
        }
    } else {
        split = data[0] == 0 ? 0 : len * data[0] / 256;
        if (split > 0) {
            client_write(fd, wire, split, &in, start);
            for (i = 0; i < 4; i++)
                spin(start);
            client_read(fd, &in);
        }
        client_write(fd, wire + split, len - split, &in, start);
    }
    shutdown(fd, SHUT_WR);
    start = mono_ns();

    /* Until the server has closed, then the bystander finishes, then every
     * exchange is finished. */
    while (!eof) {
        spin(start);
        eof = client_read(fd, &in);
        if (bfd >= 0)
            client_read(bfd, &bin);
    }
    if (bfd >= 0) {
        start = mono_ns();
        client_write(bfd, (const uint8_t *)BYSTANDER_REST, strlen(BYSTANDER_REST), &bin, start);
        shutdown(bfd, SHUT_WR);
        while (!beof) {
            spin(start);
            beof = client_read(bfd, &bin);
        }
        close(bfd);
    }
    start = mono_ns();
    while (!finished())
        spin(start);
    close(fd);

    trace_input(&in);
    check_responses(&in, peer);
    if (bfd >= 0)
        need(check_responses(&bin, bpeer) == 2, "the bystander connection lost an answer");
    need(live == NULL, "a streamed exchange got neither on_request nor on_abort");
    free(in.p);
    free(bin.p);
    return 0;
}
