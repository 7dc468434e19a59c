/*
 * test_http.c - the HTTP/1.1 server against raw TCP clients.
 *
 * Each test starts a real server on 127.0.0.1 (port 0) with small limits and
 * drives its loop from the test thread: the client side uses non-blocking
 * sockets and runs the loop while it waits, so everything is one thread and
 * deterministic enough for sanitizers. The application is tiny: it echoes
 * method, path, query and body, answers /slow from a timer, holds /hold until
 * the test answers, streams /upload with pauses, answers /early from
 * on_headers, and answers /file from a file descriptor the test prepared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "http.h"

/* ------------------------------------------------------------------ app */

#define BIG_BODY (8u * 1024 * 1024)

struct upload {
    bh_http_exchange *ex;
    uint64_t bytes;
    uint64_t sum;
    int chunks;
    int pauses;
    int paused;
    int aborts;
    uv_timer_t resume_timer;
};

struct app {
    uv_loop_t loop;
    bh_http_server *srv;
    int port;
    bh_http_exchange *slow_ex;
    uv_timer_t slow_timer;
    bh_http_exchange *held;
    struct upload up;
    int completes;
    int completes_status0;
    int last_status;
    uint64_t last_bytes;
    int drained;
    int file_fd;            /* /file answers with a dup of it, -1 when none */
    uint64_t file_announce; /* the size /file announces */
};

static struct app A;

static void resume_cb(uv_timer_t *t)
{
    struct upload *u = t->data;
    if (u->paused && u->ex != NULL) {
        u->paused = 0;
        bh_http_resume(u->ex);
    }
}

static int up_chunk(void *ctx, const char *data, size_t len)
{
    struct upload *u = ctx;
    size_t i;

    for (i = 0; i < len; i++)
        u->sum += (unsigned char)data[i];
    u->bytes += len;
    u->chunks++;
    if (u->chunks % 3 == 0) {
        /* pretend an asynchronous write is under way */
        u->pauses++;
        u->paused = 1;
        uv_timer_start(&u->resume_timer, resume_cb, 2, 0);
        return BH_HTTP_PAUSE;
    }
    return 0;
}

/* Refuses the body at its first chunk, the way a type check would. */
static int refuse_chunk(void *ctx, const char *data, size_t len)
{
    struct upload *u = ctx;
    (void)data;
    u->bytes += len;
    bh_http_stream_fail(u->ex, 415, "unsupported_media_type", "not a \"case\" file");
    return -1;
}

static void up_abort(void *ctx)
{
    struct upload *u = ctx;
    u->aborts++;
    u->ex = NULL;
}

/* /echo-chunked: each piece of the body is written back at once, in a chunked
 * answer that begins at the first piece, while the body still arrives. */
static int echo_chunk(void *ctx, const char *data, size_t len)
{
    struct upload *u = ctx;
    if (u->chunks++ == 0)
        assert_int_equal(bh_http_respond_chunked(u->ex, 200, "text/plain", NULL, NULL, NULL), 0);
    assert_int_equal(bh_http_chunked_write(u->ex, data, len), 0);
    return 0;
}

static void on_headers(void *app, bh_http_exchange *ex, const bh_http_request *req,
                       bh_http_body_stream *stream)
{
    (void)app;
    if (strcmp(req->path, "/upload") == 0 || strcmp(req->path, "/upload-small") == 0) {
        A.up.ex = ex;
        A.up.bytes = A.up.sum = 0;
        A.up.chunks = 0;
        stream->on_chunk = up_chunk;
        stream->on_abort = up_abort;
        stream->stream_ctx = &A.up;
        stream->max_bytes = strcmp(req->path, "/upload") == 0 ? 1024 * 1024 : 1000;
    } else if (strcmp(req->path, "/echo-chunked") == 0) {
        A.up.ex = ex;
        A.up.chunks = 0;
        A.up.aborts = 0;
        stream->on_chunk = echo_chunk;
        stream->on_abort = up_abort;
        stream->stream_ctx = &A.up;
    } else if (strcmp(req->path, "/refuse") == 0) {
        A.up.ex = ex;
        A.up.bytes = 0;
        stream->on_chunk = refuse_chunk;
        stream->on_abort = up_abort;
        stream->stream_ctx = &A.up;
    } else if (strcmp(req->path, "/early") == 0) {
        bh_http_respond_error(ex, 401, "unauthorized", "no token");
    } else if (strcmp(req->path, "/close-after") == 0) {
        bh_http_close_after(ex);
        bh_http_respond(ex, 200, "text/plain", "bye", 3, NULL);
    }
}

static void slow_cb(uv_timer_t *t)
{
    (void)t;
    if (A.slow_ex != NULL) {
        bh_http_respond(A.slow_ex, 200, "text/plain", "slow", 4, NULL);
        A.slow_ex = NULL;
    }
}

static void on_request(void *app, bh_http_exchange *ex, const bh_http_request *req)
{
    char buf[8192];
    int n;

    (void)app;
    if (strcmp(req->path, "/slow") == 0) {
        A.slow_ex = ex;
        uv_timer_start(&A.slow_timer, slow_cb, 100, 0);
        return;
    }
    if (strcmp(req->path, "/hold") == 0) {
        A.held = ex;
        return;
    }
    if (strcmp(req->path, "/owned") == 0) {
        const char *extra[] = {"X-Bad: a\r\nInjected: b", "Location: /x", NULL};
        char *body = malloc(5);
        assert_non_null(body);
        memcpy(body, "owned", 5);
        bh_http_respond_owned(ex, 201, "text/plain", body, 5, extra);
        return;
    }
    if (strcmp(req->path, "/big") == 0) {
        size_t n = BIG_BODY;
        char *body = malloc(n);
        assert_non_null(body);
        memset(body, 'B', n);
        bh_http_respond_owned(ex, 200, "application/octet-stream", body, n, NULL);
        return;
    }
    if (strcmp(req->path, "/file") == 0) {
        const char *extra[] = {"X-Test: file", NULL};
        assert_true(A.file_fd >= 0);
        bh_http_respond_file(ex, 200, "application/octet-stream", dup(A.file_fd), A.file_announce,
                             extra);
        return;
    }
    if (strcmp(req->path, "/echo-chunked") == 0) {
        if (A.up.chunks == 0) /* an empty body: the answer begins here */
            assert_int_equal(bh_http_respond_chunked(ex, 200, "text/plain", NULL, NULL, NULL), 0);
        bh_http_chunked_write(ex, "<end>", 5);
        bh_http_chunked_end(ex);
        A.up.ex = NULL;
        return;
    }
    if (strcmp(req->path, "/upload") == 0) {
        A.up.ex = NULL;
        n = snprintf(buf, sizeof(buf), "bytes=%llu sum=%llu", (unsigned long long)A.up.bytes,
                     (unsigned long long)A.up.sum);
        bh_http_respond(ex, 200, "text/plain", buf, (size_t)n, NULL);
        return;
    }
    n = snprintf(buf, sizeof(buf), "%s %s ?%s [%.*s]", req->method, req->path, req->query,
                 (int)req->body_len, req->body ? req->body : "");
    {
        const char *extra[] = {"X-Test: yes", NULL};
        bh_http_respond(ex, 200, "text/plain", buf, (size_t)n, extra);
    }
}

static void on_complete(void *app, const bh_http_request *req, int status, uint64_t bytes_out,
                        uint64_t duration_ns)
{
    (void)app;
    (void)req;
    (void)bytes_out;
    (void)duration_ns;
    A.completes++;
    if (status == 0)
        A.completes_status0++;
    A.last_status = status;
    A.last_bytes = bytes_out;
}

static void drained(void *arg)
{
    int *flag = arg;
    *flag = 1;
}

static int start_server(bh_http_limits *lim)
{
    bh_http_server_options o;
    char err[256];
    int rc;

    memset(&o, 0, sizeof(o));
    o.host = "127.0.0.1";
    o.port = 0;
    o.limits = *lim;
    o.callbacks.on_headers = on_headers;
    o.callbacks.on_request = on_request;
    o.callbacks.on_complete = on_complete;
    rc = bh_http_server_start(&A.loop, &o, &A.srv, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "start: %s\n", err);
    A.port = rc == 0 ? bh_http_server_port(A.srv) : 0;
    return rc;
}

static int setup(void **state)
{
    bh_http_limits lim;

    (void)state;
    memset(&A, 0, sizeof(A));
    A.file_fd = -1;
    if (uv_loop_init(&A.loop) != 0)
        return -1;
    uv_timer_init(&A.loop, &A.slow_timer);
    uv_timer_init(&A.loop, &A.up.resume_timer);
    A.up.resume_timer.data = &A.up;
    bh_http_limits_default(&lim);
    lim.max_header_bytes = 1024;
    lim.max_body_bytes = 4096;
    lim.header_timeout_ms = 300;
    lim.body_timeout_ms = 300;
    lim.idle_timeout_ms = 400;
    lim.max_pipelined = 8;
    /* libuv keeps one spare descriptor per loop, opened with the loop's
     * first TCP handle (the server's first connection): open it now, so
     * that counting descriptors around a test sees only the test's own. */
    {
        uv_tcp_t t;
        uv_tcp_init(&A.loop, &t);
        uv_close((uv_handle_t *)&t, NULL);
        uv_run(&A.loop, UV_RUN_NOWAIT);
    }
    return start_server(&lim);
}

static int teardown(void **state)
{
    (void)state;
    bh_http_server_free(A.srv);
    A.srv = NULL;
    uv_close((uv_handle_t *)&A.slow_timer, NULL);
    uv_close((uv_handle_t *)&A.up.resume_timer, NULL);
    uv_run(&A.loop, UV_RUN_DEFAULT);
    if (A.file_fd >= 0)
        close(A.file_fd);
    A.file_fd = -1;
    return uv_loop_close(&A.loop) == 0 ? 0 : -1;
}

/* --------------------------------------------------------------- client */

struct client {
    int fd;
    char buf[1 << 17];
    size_t len;
    int eof;
};

struct resp {
    int status;
    char head[4096];
    char body[8192];
    size_t body_len;
};

static void spin(int ms)
{
    uint64_t end = uv_hrtime() + (uint64_t)ms * 1000000u;
    while (uv_hrtime() < end) {
        uv_run(&A.loop, UV_RUN_NOWAIT);
        usleep(500);
    }
}

static struct client *cli_open(void)
{
    struct client *c = calloc(1, sizeof(*c));
    struct sockaddr_in sa;

    assert_non_null(c);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(c->fd >= 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)A.port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return c;
}

static void cli_close(struct client *c)
{
    close(c->fd);
    free(c);
}

/* Sends everything, running the server loop while the socket is full. */
static void cli_send(struct client *c, const void *data, size_t len)
{
    const char *p = data;
    uint64_t end = uv_hrtime() + 5000000000ull;

    while (len > 0) {
        ssize_t n = send(c->fd, p, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return; /* the server closed: later reads tell */
        assert_true(uv_hrtime() < end);
        uv_run(&A.loop, UV_RUN_NOWAIT);
        usleep(200);
    }
}

static void cli_sends(struct client *c, const char *s)
{
    cli_send(c, s, strlen(s));
}

/* Reads more bytes into c->buf while running the loop; 0 on timeout. */
static int cli_fill(struct client *c, uint64_t end)
{
    while (uv_hrtime() < end) {
        ssize_t n;
        uv_run(&A.loop, UV_RUN_NOWAIT);
        if (c->len == sizeof(c->buf))
            return 1;
        n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, MSG_DONTWAIT);
        if (n > 0) {
            c->len += (size_t)n;
            return 1;
        }
        if (n == 0 || (n < 0 && errno == ECONNRESET)) {
            c->eof = 1;
            return 1;
        }
        usleep(200);
    }
    return 0;
}

static const char *find_header(const char *head, const char *name)
{
    const char *p = head;
    size_t nl = strlen(name);

    while ((p = strstr(p, "\r\n")) != NULL) {
        p += 2;
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':')
            return p + nl + 2;
    }
    return NULL;
}

/* Reads one response. 1: got one; 0: connection closed first; -1: timeout. */
static int cli_response(struct client *c, struct resp *r, int timeout_ms)
{
    uint64_t end = uv_hrtime() + (uint64_t)timeout_ms * 1000000u;
    char *hend;
    size_t hlen, blen = 0, total;
    const char *cl;

    memset(r, 0, sizeof(*r));
    for (;;) {
        c->buf[c->len < sizeof(c->buf) ? c->len : sizeof(c->buf) - 1] = '\0';
        hend = c->len >= 4 ? memmem(c->buf, c->len, "\r\n\r\n", 4) : NULL;
        if (hend != NULL) {
            hlen = (size_t)(hend - c->buf) + 4;
            if (hlen >= sizeof(r->head))
                return -1;
            memcpy(r->head, c->buf, hlen);
            r->head[hlen] = '\0';
            cl = find_header(r->head, "Content-Length");
            blen = cl ? strtoul(cl, NULL, 10) : 0;
            if (strncmp(r->head, "HTTP/1.1 ", 9) != 0)
                return -1;
            r->status = atoi(r->head + 9);
            total = hlen + blen;
            if (c->len >= total && blen < sizeof(r->body)) {
                memcpy(r->body, c->buf + hlen, blen);
                r->body[blen] = '\0';
                r->body_len = blen;
                memmove(c->buf, c->buf + total, c->len - total);
                c->len -= total;
                return 1;
            }
        }
        if (c->eof)
            return 0;
        if (!cli_fill(c, end))
            return -1;
    }
}

/* Reads only a head (for HEAD responses whose Content-Length has no body). */
static int cli_head_only(struct client *c, struct resp *r, int timeout_ms)
{
    uint64_t end = uv_hrtime() + (uint64_t)timeout_ms * 1000000u;
    char *hend;
    size_t hlen;

    memset(r, 0, sizeof(*r));
    for (;;) {
        hend = c->len >= 4 ? memmem(c->buf, c->len, "\r\n\r\n", 4) : NULL;
        if (hend != NULL) {
            hlen = (size_t)(hend - c->buf) + 4;
            assert_true(hlen < sizeof(r->head));
            memcpy(r->head, c->buf, hlen);
            r->head[hlen] = '\0';
            r->status = atoi(r->head + 9);
            memmove(c->buf, c->buf + hlen, c->len - hlen);
            c->len -= hlen;
            return 1;
        }
        if (c->eof)
            return 0;
        if (!cli_fill(c, end))
            return -1;
    }
}

/* 1 when the server closed the connection (after any pending bytes). */
static int cli_wait_eof(struct client *c, int timeout_ms)
{
    uint64_t end = uv_hrtime() + (uint64_t)timeout_ms * 1000000u;
    while (!c->eof) {
        if (!cli_fill(c, end))
            return 0;
    }
    return 1;
}

static void assert_json_error(const struct resp *r, int status, const char *code)
{
    char want[128];
    const char *conn = find_header(r->head, "Connection");

    assert_int_equal(r->status, status);
    snprintf(want, sizeof(want), "{\"error\":{\"code\":\"%s\",\"message\":\"", code);
    assert_non_null(strstr(r->body, want));
    assert_non_null(find_header(r->head, "Content-Type"));
    assert_non_null(conn);
    assert_int_equal(strncmp(conn, "close", 5), 0);
}

/* A fresh connection still gets a normal answer. */
static void assert_fresh_ok(void)
{
    struct client *c = cli_open();
    struct resp r;

    cli_sends(c, "GET /fresh HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "GET /fresh ? []");
    cli_close(c);
}

/* The server closes c after an error answer. */
static void assert_error_then_close(struct client *c, int status, const char *code)
{
    struct resp r;

    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_json_error(&r, status, code);
    assert_true(cli_wait_eof(c, 3000));
}

/* ---------------------------------------------------------------- tests */

static int is_hex16(const char *s)
{
    int i;
    for (i = 0; i < 16; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return s[16] == '\r';
}

static void test_simple_get_has_standard_headers(void **state)
{
    struct client *c = cli_open();
    struct resp r;
    const char *rid;

    (void)state;
    cli_sends(c, "GET /hello?x=1 HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "GET /hello ?x=1 []");
    assert_int_equal(strncmp(r.head, "HTTP/1.1 200 OK\r\n", 17), 0);
    assert_non_null(find_header(r.head, "Date"));
    assert_non_null(strstr(find_header(r.head, "Date"), " GMT\r\n"));
    assert_int_equal(strncmp(find_header(r.head, "Content-Type"), "text/plain\r\n", 12), 0);
    assert_int_equal(strncmp(find_header(r.head, "Connection"), "keep-alive", 10), 0);
    assert_int_equal(strncmp(find_header(r.head, "X-Test"), "yes\r\n", 5), 0);
    rid = find_header(r.head, "X-Request-Id");
    assert_non_null(rid);
    assert_true(is_hex16(rid));
    cli_close(c);
    spin(20);
    assert_int_equal(A.completes, 1);
    assert_int_equal(A.last_status, 200);
    assert_int_equal(bh_http_server_in_flight(A.srv), 0);
}

static void test_keep_alive_reuses_connection_with_distinct_ids(void **state)
{
    struct client *c = cli_open();
    struct resp r1, r2;

    (void)state;
    cli_sends(c, "GET /one HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r1, 2000), 1);
    cli_sends(c, "GET /two HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r2, 2000), 1);
    assert_string_equal(r1.body, "GET /one ? []");
    assert_string_equal(r2.body, "GET /two ? []");
    assert_int_not_equal(
        memcmp(find_header(r1.head, "X-Request-Id"), find_header(r2.head, "X-Request-Id"), 16), 0);
    cli_close(c);
}

static void test_http10_keep_alive_only_when_asked(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "GET /ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(strncmp(find_header(r.head, "Connection"), "keep-alive", 10), 0);
    cli_sends(c, "GET /plain HTTP/1.0\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "GET /plain ? []");
    assert_int_equal(strncmp(find_header(r.head, "Connection"), "close", 5), 0);
    assert_true(cli_wait_eof(c, 3000));
    cli_close(c);
}

static void test_pipelined_answers_keep_request_order(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    /* /slow is answered from a timer, after the two others were answered */
    cli_sends(c, "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"
                 "GET /b HTTP/1.1\r\nHost: t\r\n\r\n"
                 "POST /c HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nxyz");
    assert_int_equal(cli_response(c, &r, 3000), 1);
    assert_string_equal(r.body, "slow");
    assert_int_equal(cli_response(c, &r, 3000), 1);
    assert_string_equal(r.body, "GET /b ? []");
    assert_int_equal(cli_response(c, &r, 3000), 1);
    assert_string_equal(r.body, "POST /c ? [xyz]");
    cli_close(c);
}

static void test_pipelined_beyond_limit_all_answered_in_order(void **state)
{
    struct client *c = cli_open();
    struct resp r;
    char req[64], want[64];
    int i;

    (void)state;
    for (i = 0; i < 30; i++) {
        snprintf(req, sizeof(req), "GET /p%d HTTP/1.1\r\nHost: t\r\n\r\n", i);
        cli_sends(c, req);
    }
    for (i = 0; i < 30; i++) {
        assert_int_equal(cli_response(c, &r, 3000), 1);
        snprintf(want, sizeof(want), "GET /p%d ? []", i);
        assert_string_equal(r.body, want);
    }
    cli_close(c);
}

static void test_chunked_body_is_reassembled(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "POST /echo ? [hello world]");
    cli_close(c);
}

static void test_chunked_trailers_are_ignored_safely(void **state)
{
    struct client *c = cli_open();
    struct resp r;
    char trailer[4000];
    bh_http_limits lim;

    (void)state;
    /* a head limit above the first arena size, so a stored trailer would
     * move the request's strings */
    bh_http_server_free(A.srv);
    bh_http_limits_default(&lim);
    assert_int_equal(start_server(&lim), 0);
    cli_close(c);
    c = cli_open();
    memset(trailer, 't', sizeof(trailer));
    cli_sends(c, "POST /tr HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "3\r\nabc\r\n0\r\nX-Trailer: ");
    cli_send(c, trailer, sizeof(trailer));
    cli_sends(c, "\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "POST /tr ? [abc]");
    cli_close(c);
}

static void test_content_length_body_split_over_writes(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "PUT /put HTTP/1.1\r\nHost: t\r\nContent-Le");
    spin(20);
    cli_sends(c, "ngth: 11\r\n\r\nhello");
    spin(20);
    cli_sends(c, " there");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "PUT /put ? [hello there]");
    cli_close(c);
}

static void test_path_is_percent_decoded_and_bad_escape_is_400(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "GET /a%20b%2Fc?q=%20 HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "GET /a b/c ?q=%20 []");
    cli_sends(c, "GET /bad%zz HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_error_then_close(c, 400, "bad_request");
    cli_close(c);
    assert_fresh_ok();
}

static void test_413_from_content_length_before_body(void **state)
{
    struct client *c = cli_open();

    (void)state;
    /* no body byte is sent: the answer comes from the header alone */
    cli_sends(c, "POST /big HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");
    assert_error_then_close(c, 413, "body_too_large");
    cli_close(c);
    assert_fresh_ok();
}

static void test_413_when_chunked_body_grows_past_limit(void **state)
{
    struct client *c = cli_open();
    char chunk[1100];

    (void)state;
    memset(chunk, 'a', sizeof(chunk));
    cli_sends(c, "POST /buffered HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 5; i++) {
        cli_sends(c, "44c\r\n");
        cli_send(c, chunk, sizeof(chunk));
        cli_sends(c, "\r\n");
    }
    assert_error_then_close(c, 413, "body_too_large");
    cli_close(c);
    assert_fresh_ok();
}

static void test_413_streamed_upload_over_its_limit_aborts_stream(void **state)
{
    struct client *c = cli_open();
    char chunk[600];

    (void)state;
    memset(chunk, 'b', sizeof(chunk));
    cli_sends(c, "POST /upload-small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 3; i++) {
        cli_sends(c, "258\r\n");
        cli_send(c, chunk, sizeof(chunk));
        cli_sends(c, "\r\n");
    }
    assert_error_then_close(c, 413, "body_too_large");
    assert_int_equal(A.up.aborts, 1);
    assert_true(A.up.bytes <= 1000);
    cli_close(c);
    assert_fresh_ok();
}

static void test_streamed_upload_with_pauses_counts_every_byte(void **state)
{
    struct client *c = cli_open();
    struct resp r;
    size_t n = 300000, i;
    char *body = malloc(n);
    char head[128], want[64];
    uint64_t sum = 0;

    (void)state;
    assert_non_null(body);
    for (i = 0; i < n; i++) {
        body[i] = (char)(i * 7 + 3);
        sum += (unsigned char)body[i];
    }
    snprintf(head, sizeof(head), "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: %zu\r\n\r\n",
             n);
    cli_sends(c, head);
    for (i = 0; i < n; i += 4096) {
        cli_send(c, body + i, n - i < 4096 ? n - i : 4096);
        if (i % 65536 == 0)
            spin(1);
    }
    assert_int_equal(cli_response(c, &r, 5000), 1);
    snprintf(want, sizeof(want), "bytes=%zu sum=%llu", n, (unsigned long long)sum);
    assert_string_equal(r.body, want);
    assert_true(A.up.pauses > 0);
    assert_int_equal(A.up.aborts, 0);
    /* the connection is still usable */
    cli_sends(c, "GET /after HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "GET /after ? []");
    free(body);
    cli_close(c);
}

static void test_431_for_oversized_headers(void **state)
{
    struct client *c = cli_open();
    char big[2000];

    (void)state;
    memset(big, 'h', sizeof(big));
    cli_sends(c, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: ");
    cli_send(c, big, sizeof(big));
    cli_sends(c, "\r\n\r\n");
    assert_error_then_close(c, 431, "headers_too_large");
    cli_close(c);
    assert_fresh_ok();
}

/* The head limit (1024 here) is exact. The head is counted as the request
 * line, its method taken as 16 bytes ("GET" + 13; http_request.c
 * HEAD_LINE_EXTRA), the target and " HTTP/1.1" CRLF (12), then each header
 * line (name, ": ", value, CRLF) and the final CRLF: "GET /x HTTP/1.1",
 * "Host: t" and "X-Big: <n bytes>" cost 28 + 2 + 9 + (9 + n) + 2 = 50 + n.
 * n = 974 is exactly at the limit and answered; one byte more is 431. */
static void test_header_limit_is_exact(void **state)
{
    char big[1000];
    struct resp r;

    (void)state;
    memset(big, 'h', sizeof(big));
    struct client *c = cli_open();
    cli_sends(c, "GET /x HTTP/1.1\r\nHost: t\r\nX-Big: ");
    cli_send(c, big, 974);
    cli_sends(c, "\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(r.status, 200);
    cli_close(c);

    c = cli_open();
    cli_sends(c, "GET /x HTTP/1.1\r\nHost: t\r\nX-Big: ");
    cli_send(c, big, 975);
    cli_sends(c, "\r\n\r\n");
    assert_error_then_close(c, 431, "headers_too_large");
    cli_close(c);
    assert_fresh_ok();
}

static void test_400_for_bad_request_line(void **state)
{
    struct client *c = cli_open();

    (void)state;
    cli_sends(c, "G@T / HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_error_then_close(c, 400, "bad_request");
    cli_close(c);
    assert_fresh_ok();
}

static void test_400_for_bad_header(void **state)
{
    struct client *c = cli_open();

    (void)state;
    cli_sends(c, "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n");
    assert_error_then_close(c, 400, "bad_request");
    cli_close(c);
    assert_fresh_ok();
}

static void test_400_for_header_without_colon(void **state)
{
    struct client *c = cli_open();

    (void)state;
    cli_sends(c, "GET / HTTP/1.1\r\nHost: t\r\nNoColonHere\r\n\r\n");
    assert_error_then_close(c, 400, "bad_request");
    cli_close(c);
    assert_fresh_ok();
}

static void test_400_for_http11_without_host(void **state)
{
    struct client *c = cli_open();

    (void)state;
    cli_sends(c, "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n");
    assert_error_then_close(c, 400, "bad_request");
    cli_close(c);
    c = cli_open();
    cli_sends(c, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
    assert_error_then_close(c, 400, "bad_request");
    cli_close(c);
    assert_fresh_ok();
}

static void test_400_for_bad_chunk_size(void **state)
{
    struct client *c = cli_open();

    (void)state;
    cli_sends(c, "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    assert_error_then_close(c, 400, "bad_request");
    cli_close(c);
    assert_fresh_ok();
}

static void test_505_for_http2_request_line(void **state)
{
    struct client *c = cli_open();

    (void)state;
    cli_sends(c, "GET / HTTP/2.0\r\nHost: t\r\n\r\n");
    assert_error_then_close(c, 505, "version_not_supported");
    cli_close(c);
    assert_fresh_ok();
}

static void test_error_after_pipelined_request_comes_after_its_answer(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "GET /slow HTTP/1.1\r\nHost: t\r\n\r\nG@T / HTTP/1.1\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 3000), 1);
    assert_string_equal(r.body, "slow");
    assert_error_then_close(c, 400, "bad_request");
    cli_close(c);
    assert_fresh_ok();
}

static void test_truncated_body_then_close_is_dropped(void **state)
{
    struct client *c = cli_open();
    struct resp r;
    int got;

    (void)state;
    cli_sends(c, "POST /t HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly ten..");
    spin(20);
    shutdown(c->fd, SHUT_WR);
    got = cli_response(c, &r, 2000);
    /* either no answer at all, or a 400 */
    assert_true(got == 0 || (got == 1 && r.status == 400));
    assert_true(cli_wait_eof(c, 2000));
    cli_close(c);
    spin(20);
    assert_int_equal(bh_http_server_in_flight(A.srv), 0);
    assert_fresh_ok();
}

static void test_client_gone_before_async_answer(void **state)
{
    struct client *c = cli_open();

    (void)state;
    struct linger lg = {1, 0};

    cli_sends(c, "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
    spin(30);
    assert_non_null(A.slow_ex);
    /* close with a reset, so the server learns at once that the client is gone */
    assert_int_equal(setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
    cli_close(c);
    spin(200); /* the timer answers into a closed connection */
    assert_null(A.slow_ex);
    assert_int_equal(A.completes_status0, 1);
    assert_int_equal(bh_http_server_in_flight(A.srv), 0);
    assert_fresh_ok();
}

static void test_header_timeout_answers_408(void **state)
{
    struct client *c = cli_open();

    (void)state;
    cli_sends(c, "GET / HTTP/1.1\r\nHost: t\r\n");
    assert_error_then_close(c, 408, "request_timeout");
    cli_close(c);
    assert_fresh_ok();
}

static void test_body_timeout_answers_408(void **state)
{
    struct client *c = cli_open();

    (void)state;
    cli_sends(c, "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
    assert_error_then_close(c, 408, "request_timeout");
    cli_close(c);
    assert_fresh_ok();
}

/* Reads until c->buf holds want (or times out); 1 when it does. */
static int cli_until(struct client *c, const char *want, int timeout_ms)
{
    uint64_t end = uv_hrtime() + (uint64_t)timeout_ms * 1000000u;
    while (memmem(c->buf, c->len, want, strlen(want)) == NULL) {
        if (c->eof || !cli_fill(c, end))
            return 0;
    }
    return 1;
}

static void test_chunked_answer_flows_while_the_body_arrives(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "POST /echo-chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "3\r\nabc\r\n");
    /* the first piece comes back before the body has ended */
    assert_true(cli_until(c, "\r\n\r\n3\r\nabc\r\n", 2000));
    assert_non_null(strstr(c->buf, "HTTP/1.1 200 OK\r\n"));
    assert_non_null(strstr(c->buf, "Transfer-Encoding: chunked\r\n"));
    assert_null(strstr(c->buf, "Content-Length"));
    cli_sends(c, "4\r\ndefg\r\n0\r\n\r\nGET /after HTTP/1.1\r\nHost: t\r\n\r\n");
    /* written while one read was parsed: one chunk */
    assert_true(cli_until(c, "9\r\ndefg<end>\r\n0\r\n\r\n", 2000));
    /* the pipelined request behind it is answered after its last chunk */
    char *after = strstr(c->buf, "0\r\n\r\n") + 5;
    c->len -= (size_t)(after - c->buf);
    memmove(c->buf, after, c->len);
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "GET /after"));
    assert_int_equal(A.last_status, 200);
    cli_close(c);
}

static void test_chunked_answer_to_an_empty_body_and_to_http10(void **state)
{
    struct client *c = cli_open();

    (void)state;
    cli_sends(c, "POST /echo-chunked HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
    /* head, size line, data, CRLF and the last chunk leave in one write */
    assert_true(cli_until(c, "\r\n\r\n5\r\n<end>\r\n0\r\n\r\n", 2000));
    cli_close(c);
    c = cli_open();
    cli_sends(c, "POST /echo-chunked HTTP/1.0\r\nContent-Length: 2\r\n\r\nhi");
    assert_true(cli_until(c, "\r\n\r\nhi<end>", 2000));
    assert_null(strstr(c->buf, "Transfer-Encoding"));
    assert_non_null(strstr(c->buf, "Connection: close\r\n"));
    assert_int_equal(cli_wait_eof(c, 2000), 1);
    cli_close(c);
}

static void test_chunked_answer_cut_when_the_body_fails(void **state)
{
    struct client *c = cli_open();

    (void)state;
    /* the body stalls past body_timeout_ms after the answer began: no 408
     * can follow a 200; what was written arrives, then the end, without
     * the last chunk */
    cli_sends(c, "POST /echo-chunked HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
    assert_true(cli_until(c, "\r\n\r\n3\r\nabc\r\n", 2000));
    assert_int_equal(cli_wait_eof(c, 5000), 1);
    assert_null(strstr(c->buf, "0\r\n\r\n"));
    assert_null(strstr(c->buf, "408"));
    assert_int_equal(A.up.aborts, 1);
    cli_close(c);
    /* the client half-closes in the middle of its body: the same */
    c = cli_open();
    cli_sends(c, "POST /echo-chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "2\r\nxy\r\n");
    assert_true(cli_until(c, "2\r\nxy\r\n", 2000));
    shutdown(c->fd, SHUT_WR);
    assert_int_equal(cli_wait_eof(c, 2000), 1);
    assert_null(strstr(c->buf, "0\r\n\r\n"));
    cli_close(c);
    assert_fresh_ok();
}

static void test_idle_keep_alive_connection_closes_silently(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "GET /x HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_true(cli_wait_eof(c, 2000));
    assert_int_equal(c->len, 0); /* nothing was written before the close */
    cli_close(c);
    assert_fresh_ok();
}

static void test_stalled_reader_is_closed_slow_reader_is_served(void **state)
{
    struct client *c;
    size_t got = 0, want;
    char *p, *buf;
    ssize_t n;
    bh_http_limits lim;

    (void)state;
    bh_http_server_free(A.srv);
    bh_http_limits_default(&lim);
    lim.idle_timeout_ms = 500;
    assert_int_equal(start_server(&lim), 0);
    c = cli_open();
    /* nobody reads the 8 MiB answer: closed after the idle timeout */
    cli_sends(c, "GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
    spin(1500);
    assert_int_equal(A.completes_status0, 1);
    cli_close(c);

    /* a reader that takes a while but keeps going gets all of it */
    c = cli_open();
    buf = malloc(256 * 1024);
    assert_non_null(buf);
    cli_sends(c, "GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
    want = 0;
    /* about 256 KiB per 50 ms: the transfer spans several idle periods */
    for (;;) {
        spin(50);
        n = recv(c->fd, buf, 256 * 1024, MSG_DONTWAIT);
        if (n <= 0) {
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
                break;
            continue;
        }
        if (want == 0) {
            p = memmem(buf, (size_t)n, "\r\n\r\n", 4);
            assert_non_null(p);
            want = BIG_BODY + (size_t)(p + 4 - buf);
        }
        got += (size_t)n;
        if (got >= want)
            break;
    }
    assert_int_equal(got, want);
    free(buf);
    cli_close(c);
    spin(20);
    assert_int_equal(A.completes_status0, 1);
    assert_int_equal(A.last_status, 200);
}

static void test_expect_100_continue_is_answered(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c,
              "POST /e HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    assert_int_equal(cli_head_only(c, &r, 2000), 1);
    assert_int_equal(r.status, 100);
    cli_sends(c, "12345");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "POST /e ? [12345]");
    cli_close(c);
}

static void test_head_response_has_length_but_no_body(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "HEAD /h HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_head_only(c, &r, 2000), 1);
    assert_int_equal(r.status, 200);
    /* what GET would have sent: "HEAD /h ? []" */
    assert_int_equal(atoi(find_header(r.head, "Content-Length")), 12);
    cli_sends(c, "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "GET /next ? []"); /* no stray body bytes before it */
    cli_close(c);
}

static void test_early_answer_from_on_headers_skips_small_body(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "POST /early HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(r.status, 401);
    assert_non_null(strstr(r.body, "\"code\":\"unauthorized\""));
    cli_sends(c, "GET /again HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "GET /again ? []");
    cli_close(c);
}

static void test_refused_stream_answers_given_status_and_aborts(void **state)
{
    struct client *c = cli_open();

    (void)state;
    cli_sends(c, "POST /refuse HTTP/1.1\r\nHost: t\r\nContent-Length: 20\r\n\r\n0123456789");
    assert_error_then_close(c, 415, "unsupported_media_type");
    assert_int_equal(A.up.aborts, 1);
    cli_close(c);
    assert_fresh_ok();
}

static void test_owned_body_and_extra_headers_without_injection(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "GET /owned HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(r.status, 201);
    assert_int_equal(strncmp(r.head, "HTTP/1.1 201 Created\r\n", 22), 0);
    assert_string_equal(r.body, "owned");
    assert_int_equal(strncmp(find_header(r.head, "Location"), "/x\r\n", 4), 0);
    assert_null(find_header(r.head, "Injected"));
    assert_null(find_header(r.head, "X-Bad"));
    cli_close(c);
}

static void test_early_answer_to_large_upload_closes_after_answer(void **state)
{
    struct client *c = cli_open();
    struct resp r;
    char chunk[8192];
    const char *conn;
    int i;

    (void)state;
    memset(chunk, 'z', sizeof(chunk));
    cli_sends(c, "POST /early HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n");
    for (i = 0; i < 16; i++)
        cli_send(c, chunk, sizeof(chunk)); /* the client keeps sending a while */
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(r.status, 401);
    conn = find_header(r.head, "Connection");
    assert_int_equal(strncmp(conn, "close", 5), 0);
    cli_close(c);
    assert_fresh_ok();
}

static void test_requests_split_at_every_byte_parse_the_same(void **state)
{
    struct client *c = cli_open();
    struct resp r;
    const char *req = "POST /split?a=b HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                      "\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                      "GET /next HTTP/1.1\r\nHost: t\r\n\r\n";
    size_t i;
    int one = 1;

    (void)state;
    assert_int_equal(setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)), 0);
    for (i = 0; req[i] != '\0'; i++) {
        cli_send(c, req + i, 1);
        uv_run(&A.loop, UV_RUN_NOWAIT); /* loopback: the byte is there to read */
    }
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "POST /split ?a=b [abcde]");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "GET /next ? []");
    cli_close(c);
}

static void test_garbage_never_crashes_the_server(void **state)
{
    unsigned int seed = 12345;
    char junk[512];
    int k;
    size_t i;

    (void)state;
    for (k = 0; k < 20; k++) {
        struct client *c = cli_open();
        for (i = 0; i < sizeof(junk); i++) {
            seed = seed * 1103515245u + 12345u;
            junk[i] = (char)(seed >> 16);
        }
        if (k % 2 == 0)
            memcpy(junk, "GET / HTTP/1.1\r\n", 16); /* garbage in the headers */
        cli_send(c, junk, sizeof(junk));
        spin(5);
        cli_close(c);
    }
    spin(50);
    assert_fresh_ok();
    assert_int_equal(bh_http_server_in_flight(A.srv), 0);
}

static unsigned int prng(unsigned int *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 16;
}

/*
 * Mutated valid requests (bytes flipped, inserted, dropped), sent in random
 * fragments. The server must survive all of them and stay correct for a
 * fresh client. BATON_HTTP_MUTATIONS raises the count and BATON_HTTP_SEED
 * changes the sequence for longer runs by hand.
 */
static void mutate_run(int default_limits)
{
    static const char *corpus[] = {
        NULL, /* filled below: long header and long trailer */
        "GET /a?b=c HTTP/1.1\r\nHost: t\r\nAccept: */*\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: "
        "t\r\n\r\n",
        "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwiki\r\n0\r\n\r\n",
        "PUT /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nExpect: "
        "100-continue\r\n\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: 1\r\n\r\n",
        "HEAD /h HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /early HTTP/1.1\r\nHost: "
        "t\r\nContent-Length: 3\r\n\r\nabc",
    };
    const char *env = getenv("BATON_HTTP_MUTATIONS");
    int iters = env ? atoi(env) : 60;
    const char *seed_env = getenv("BATON_HTTP_SEED");
    unsigned int seed = seed_env ? (unsigned int)strtoul(seed_env, NULL, 10) : 4242;
    static char longreq[1600];
    char buf[2048];
    int k;

    if (corpus[0] == NULL) {
        char a[600], b[600];
        memset(a, 'a', sizeof(a) - 1);
        a[sizeof(a) - 1] = '\0';
        memset(b, 'b', sizeof(b) - 1);
        b[sizeof(b) - 1] = '\0';
        snprintf(longreq, sizeof(longreq),
                 "POST /long?q=1 HTTP/1.1\r\nHost: t\r\nX-Long: %s\r\nTransfer-Encoding: "
                 "chunked\r\n\r\n2\r\nok\r\n0\r\nX-T: %s\r\n\r\n",
                 a, b);
        corpus[0] = longreq;
    }

    if (default_limits) {
        bh_http_limits lim;
        bh_http_server_free(A.srv);
        bh_http_limits_default(&lim);
        lim.idle_timeout_ms = 400;
        lim.header_timeout_ms = 300;
        lim.body_timeout_ms = 300;
        assert_int_equal(start_server(&lim), 0);
    }
    for (k = 0; k < iters; k++) {
        const char *src = corpus[prng(&seed) % (sizeof(corpus) / sizeof(corpus[0]))];
        size_t n = strlen(src), off = 0;
        int m, edits = 1 + (int)(prng(&seed) % 4);
        struct client *c;

        memcpy(buf, src, n);
        for (m = 0; m < edits; m++) {
            size_t at = prng(&seed) % n;
            switch (prng(&seed) % 3) {
            case 0:
                buf[at] = (char)prng(&seed);
                break;
            case 1:
                if (n < sizeof(buf) - 1 - 64) {
                    memmove(buf + at + 1, buf + at, n - at);
                    buf[at] = (char)prng(&seed);
                    n++;
                }
                break;
            default:
                if (n > 1) {
                    memmove(buf + at, buf + at + 1, n - at - 1);
                    n--;
                }
                break;
            }
        }
        c = cli_open();
        while (off < n) {
            size_t piece = 1 + prng(&seed) % 64;
            if (piece > n - off)
                piece = n - off;
            cli_send(c, buf + off, piece);
            off += piece;
            uv_run(&A.loop, UV_RUN_NOWAIT);
        }
        spin(1);
        cli_close(c);
    }
    spin(150); /* /slow answers and closes settle */
    assert_fresh_ok();
    spin(20);
    assert_int_equal(bh_http_server_in_flight(A.srv), 0);
}

static void test_mutated_requests_never_break_the_server(void **state)
{
    (void)state;
    mutate_run(0);
}

static void test_mutated_requests_with_default_head_limit(void **state)
{
    (void)state;
    mutate_run(1);
}

static void test_drain_finishes_in_flight_then_calls_done(void **state)
{
    struct client *busy = cli_open();
    struct client *idle = cli_open();
    struct resp r;
    struct sockaddr_in sa;
    int fd, rc;

    (void)state;
    cli_sends(idle, "GET /i HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(idle, &r, 2000), 1);
    cli_sends(busy, "GET /hold HTTP/1.1\r\nHost: t\r\n\r\n");
    spin(30);
    assert_non_null(A.held);
    assert_int_equal(bh_http_server_in_flight(A.srv), 1);

    bh_http_server_drain(A.srv, drained, &A.drained);
    spin(30);
    assert_true(cli_wait_eof(idle, 1000)); /* idle keep-alive closed */
    cli_close(idle);                       /* as a client does on the end */
    assert_int_equal(A.drained, 0);        /* /hold still in flight */

    /* no new connections */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)A.port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    assert_int_equal(rc, -1);
    close(fd);

    bh_http_respond(A.held, 200, "text/plain", "held", 4, NULL);
    A.held = NULL;
    assert_int_equal(cli_response(busy, &r, 2000), 1);
    assert_string_equal(r.body, "held");
    assert_int_equal(strncmp(find_header(r.head, "Connection"), "close", 5), 0);
    assert_true(cli_wait_eof(busy, 3000));
    cli_close(busy);
    spin(50);
    assert_int_equal(A.drained, 1);
}

/* ------------------------------------------- transfer codings, slow bodies */

/* Restarts the server with the test's limits over the defaults. */
static void restart_with(bh_http_limits *lim)
{
    bh_http_server_free(A.srv);
    A.srv = NULL;
    assert_int_equal(start_server(lim), 0);
}

static void test_transfer_codings_but_chunked_are_refused(void **state)
{
    static const char *const refused[] = {
        "Transfer-Encoding: identity, chunked\r\n",
        "Transfer-Encoding: chunked, chunked\r\n",
        "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: chunked\r\nTE: identity, chunked\r\n",
        "Transfer-Encoding: chunked\r\nTE: gzip\r\n",
        "Transfer-Encoding: chunked\r\nTE: trailers, chunked\r\n",
    };
    static const char *const accepted[] = {
        "Transfer-Encoding: chunked\r\n",
        "Transfer-Encoding: CHUNKED \r\n",
        "Transfer-Encoding: chunked\r\nTE: trailers\r\n",
        "Transfer-Encoding: chunked\r\nTE: ,trailers, \r\n",
    };
    char req[512];
    struct resp r;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        struct client *c = cli_open();
        snprintf(req, sizeof(req), "POST /te HTTP/1.1\r\nHost: t\r\n%s\r\n2\r\nok\r\n0\r\n\r\n",
                 refused[i]);
        cli_sends(c, req);
        assert_error_then_close(c, 400, "bad_request");
        cli_close(c);
    }
    for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
        struct client *c = cli_open();
        snprintf(req, sizeof(req), "POST /te HTTP/1.1\r\nHost: t\r\n%s\r\n2\r\nok\r\n0\r\n\r\n",
                 accepted[i]);
        cli_sends(c, req);
        assert_int_equal(cli_response(c, &r, 2000), 1);
        assert_int_equal(r.status, 200);
        assert_string_equal(r.body, "POST /te ? [ok]");
        cli_close(c);
    }
}

/* Sends body bytes one every gap_ms until the server answers; returns the
 * milliseconds it took. */
static int trickle_until_answer(struct client *c, const char *byte, int gap_ms, int max_ms,
                                struct resp *r)
{
    uint64_t t0 = uv_hrtime();
    int rc = -1;

    while ((uv_hrtime() - t0) / 1000000u < (uint64_t)max_ms) {
        cli_sends(c, byte);
        rc = cli_response(c, r, gap_ms);
        if (rc != -1)
            break;
    }
    assert_int_equal(rc, 1);
    return (int)((uv_hrtime() - t0) / 1000000u);
}

static void test_body_below_the_minimum_rate_answers_408(void **state)
{
    bh_http_limits lim;
    struct client *c;
    struct resp r;
    int took;

    (void)state;
    bh_http_limits_default(&lim);
    lim.body_timeout_ms = 300; /* also the grace before the rate counts */
    lim.body_min_rate = 50;    /* bytes/s: each byte buys 20 ms */
    restart_with(&lim);
    c = cli_open();
    cli_sends(c, "POST /slowbody HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n");
    /* a byte every 100 ms: never a 300 ms gap, but 10 bytes/s */
    took = trickle_until_answer(c, "x", 100, 3000, &r);
    assert_json_error(&r, 408, "request_timeout");
    assert_non_null(strstr(r.body, "too slowly"));
    assert_true(took >= 300 && took < 1500);
    assert_true(cli_wait_eof(c, 3000));
    cli_close(c);
    assert_fresh_ok();
}

static void test_buffered_body_deadline_answers_408_streamed_body_has_none(void **state)
{
    bh_http_limits lim;
    struct client *c;
    struct resp r;
    int took;

    (void)state;
    bh_http_limits_default(&lim);
    lim.body_timeout_ms = 300;
    lim.body_min_rate = 10;
    lim.body_deadline_ms = 600;
    restart_with(&lim);
    c = cli_open();
    cli_sends(c, "POST /deadline HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n");
    /* 100 bytes/s: well above the rate, but the whole body takes 10 s */
    took = trickle_until_answer(c, "x", 10, 3000, &r);
    assert_json_error(&r, 408, "request_timeout");
    assert_non_null(strstr(r.body, "took too long in total"));
    assert_true(took >= 550 && took < 1500);
    cli_close(c);

    /* a streamed upload at the same pace runs past the deadline */
    c = cli_open();
    cli_sends(c, "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 90\r\n\r\n");
    took = trickle_until_answer(c, "x", 10, 3000, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "bytes=90 sum=10800");
    assert_true(took >= 600);
    cli_close(c);
}

static void test_close_after_ends_the_connection_after_the_answer(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "GET /close-after HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(r.status, 200);
    assert_int_equal(strncmp(find_header(r.head, "Connection"), "close", 5), 0);
    assert_true(cli_wait_eof(c, 3000));
    cli_close(c);
}

/* Reads until the end of the connection; 1 on a clean end (FIN), 0 on a
 * reset, -1 on timeout. */
static int cli_end_kind(struct client *c, int timeout_ms)
{
    uint64_t end = uv_hrtime() + (uint64_t)timeout_ms * 1000000u;
    char buf[4096];

    while (uv_hrtime() < end) {
        ssize_t n;
        uv_run(&A.loop, UV_RUN_NOWAIT);
        n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
        if (n == 0)
            return 1;
        if (n < 0 && errno == ECONNRESET)
            return 0;
        usleep(200);
    }
    return -1;
}

static void test_drain_ends_keep_alive_connections_without_a_reset(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(strncmp(find_header(r.head, "Connection"), "keep-alive", 10), 0);
    bh_http_server_drain(A.srv, drained, &A.drained);
    /* the client did not see the drain coming: one more request */
    cli_sends(c, "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
    spin(50);
    assert_int_equal(cli_end_kind(c, 3000), 1);
    cli_close(c);
    spin(30);
    assert_int_equal(A.drained, 1);
}

static void test_drain_timeout_closes_what_is_left(void **state)
{
    bh_http_limits lim;
    struct client *c;
    uint64_t t0;

    (void)state;
    bh_http_limits_default(&lim);
    lim.drain_timeout_ms = 300;
    lim.body_timeout_ms = 10000;
    restart_with(&lim);
    c = cli_open();
    cli_sends(c, "POST /half HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
    spin(30);
    t0 = uv_hrtime();
    bh_http_server_drain(A.srv, drained, &A.drained);
    while (!A.drained && uv_hrtime() - t0 < 3000000000ull)
        spin(10);
    assert_int_equal(A.drained, 1);
    assert_true((uv_hrtime() - t0) / 1000000u >= 280);
    assert_true((uv_hrtime() - t0) / 1000000u < 1500);
    assert_true(cli_wait_eof(c, 1000));
    cli_close(c);
}

static void test_reuse_port_shares_a_port_and_busy_port_fails(void **state)
{
    bh_http_server_options o;
    bh_http_server *s1 = NULL, *s2 = NULL, *s3 = NULL;
    char err[256] = "";
    int rc;

    (void)state;
    memset(&o, 0, sizeof(o));
    o.host = "127.0.0.1";
    o.reuse_port = 1;
    o.callbacks.on_request = on_request;
    assert_int_equal(bh_http_server_start(&A.loop, &o, &s1, err, sizeof(err)), 0);
    o.port = bh_http_server_port(s1);
    assert_int_equal(bh_http_server_start(&A.loop, &o, &s2, err, sizeof(err)), 0);
    assert_int_equal(bh_http_server_port(s2), o.port);
    o.reuse_port = 0;
    rc = bh_http_server_start(&A.loop, &o, &s3, err, sizeof(err));
    assert_int_equal(rc, -EADDRINUSE);
    assert_null(s3);
    assert_non_null(strstr(err, "bind"));
    o.host = "not-an-address";
    assert_int_equal(bh_http_server_start(&A.loop, &o, &s3, err, sizeof(err)), -EINVAL);
    bh_http_server_free(s1);
    bh_http_server_free(s2);
}

static void test_connections_over_the_limit_are_closed(void **state)
{
    bh_http_limits lim;
    struct client *c1, *c2, *c3;
    struct resp r;

    (void)state;
    bh_http_server_free(A.srv);
    bh_http_limits_default(&lim);
    lim.max_connections = 2;
    assert_int_equal(start_server(&lim), 0);
    c1 = cli_open();
    c2 = cli_open();
    spin(20);
    c3 = cli_open();
    assert_true(cli_wait_eof(c3, 2000));
    assert_int_equal(c3->len, 0);
    cli_sends(c1, "GET /1 HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c1, &r, 2000), 1);
    cli_sends(c2, "GET /2 HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c2, &r, 2000), 1);
    cli_close(c1);
    cli_close(c2);
    cli_close(c3);
}

static void test_drain_lets_a_half_sent_request_finish(void **state)
{
    struct client *c = cli_open();
    struct resp r;

    (void)state;
    cli_sends(c, "POST /d HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nab");
    spin(20);
    bh_http_server_drain(A.srv, drained, &A.drained);
    spin(20);
    cli_sends(c, "cd");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "POST /d ? [abcd]");
    assert_int_equal(strncmp(find_header(r.head, "Connection"), "close", 5), 0);
    assert_true(cli_wait_eof(c, 2000));
    cli_close(c);
    spin(30);
    assert_int_equal(A.drained, 1);
}

static void test_drain_without_connections_calls_done(void **state)
{
    (void)state;
    bh_http_server_drain(A.srv, drained, &A.drained);
    spin(20);
    assert_int_equal(A.drained, 1);
}

/* ------------------------------------------------------------ file bodies */

/* The byte at offset i of a pattern file: not periodic over 256 bytes, so a
 * chunk sent twice, dropped or out of order shows. */
static unsigned char file_byte(uint64_t i)
{
    return (unsigned char)((i * 131u) ^ (i >> 9));
}

/* An unlinked temporary file of size bytes, made the /file body; pattern
 * bytes when pattern, else sparse (zeros that take no disk). */
static void use_file(uint64_t size, int pattern)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    static char block[65536];
    uint64_t off = 0;
    int fd;

    snprintf(path, sizeof(path), "%s/baton-http-XXXXXX", dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    if (pattern) {
        while (off < size) {
            size_t n = size - off < sizeof(block) ? (size_t)(size - off) : sizeof(block);
            for (size_t i = 0; i < n; i++)
                block[i] = (char)file_byte(off + i);
            assert_int_equal(write(fd, block, n), (ssize_t)n);
            off += n;
        }
    } else {
        assert_int_equal(ftruncate(fd, (off_t)size), 0);
    }
    if (A.file_fd >= 0)
        close(A.file_fd);
    A.file_fd = fd;
    A.file_announce = size;
}

/* Open descriptors of this process (the server's included). */
static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1; /* the directory stream's own */
}

/*
 * Reads the body of an answer whose head is in r, up to its Content-Length
 * or the end of the connection, and returns the bytes received. With check,
 * every byte is compared with the pattern and *bad counts mismatches.
 */
static uint64_t cli_body(struct client *c, const struct resp *r, int check, int *bad,
                         int timeout_ms)
{
    uint64_t end = uv_hrtime() + (uint64_t)timeout_ms * 1000000u;
    const char *cl = find_header(r->head, "Content-Length");
    uint64_t want = cl ? strtoull(cl, NULL, 10) : 0, got = 0;

    while (got < want) {
        size_t take;
        if (c->len == 0) {
            if (c->eof || !cli_fill(c, end))
                break;
            continue;
        }
        take = c->len < want - got ? c->len : (size_t)(want - got);
        if (check)
            for (size_t i = 0; i < take; i++)
                if ((unsigned char)c->buf[i] != file_byte(got + i))
                    (*bad)++;
        got += take;
        memmove(c->buf, c->buf + take, c->len - take);
        c->len -= take;
    }
    return got;
}

static void test_file_body_small_is_sent_whole(void **state)
{
    struct client *c;
    struct resp r;
    int fds, bad = 0;

    (void)state;
    use_file(1000, 1);
    fds = count_fds();
    c = cli_open();
    cli_sends(c, "GET /file HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_head_only(c, &r, 2000), 1);
    assert_int_equal(r.status, 200);
    assert_int_equal(
        strncmp(find_header(r.head, "Content-Type"), "application/octet-stream\r\n", 26), 0);
    assert_int_equal(strncmp(find_header(r.head, "X-Test"), "file\r\n", 6), 0);
    assert_int_equal(strncmp(find_header(r.head, "Connection"), "keep-alive", 10), 0);
    assert_int_equal(strtoull(find_header(r.head, "Content-Length"), NULL, 10), 1000);
    assert_int_equal(cli_body(c, &r, 1, &bad, 2000), 1000);
    assert_int_equal(bad, 0);
    /* the connection goes on with nothing stray before the next answer */
    cli_sends(c, "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "GET /next ? []");
    cli_close(c);
    spin(20);
    assert_int_equal(A.completes, 2);
    assert_int_equal(A.completes_status0, 0);
    assert_int_equal(bh_http_server_in_flight(A.srv), 0);
    assert_int_equal(count_fds(), fds);
}

static void test_file_body_empty_has_zero_length(void **state)
{
    struct client *c;
    struct resp r;
    int fds;

    (void)state;
    use_file(0, 1);
    fds = count_fds();
    c = cli_open();
    cli_sends(c, "GET /file HTTP/1.1\r\nHost: t\r\n\r\nGET /after HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_int_equal(r.status, 200);
    assert_int_equal(atoi(find_header(r.head, "Content-Length")), 0);
    assert_int_equal(r.body_len, 0);
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "GET /after ? []");
    cli_close(c);
    spin(20);
    assert_int_equal(A.completes, 2);
    assert_int_equal(count_fds(), fds);
}

static void test_file_body_keeps_pipelined_order(void **state)
{
    /* several chunks and a partial last one */
    const uint64_t size = 3u * 1024 * 1024 + 123;
    struct client *c;
    struct resp r;
    int fds, bad = 0;

    (void)state;
    use_file(size, 1);
    fds = count_fds();
    c = cli_open();
    /* /slow is answered last, /b at once: both wait for their turn */
    cli_sends(c, "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"
                 "GET /file HTTP/1.1\r\nHost: t\r\n\r\n"
                 "GET /b HTTP/1.1\r\nHost: t\r\n\r\n"
                 "GET /file HTTP/1.1\r\nHost: t\r\n\r\n"
                 "GET /c HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 3000), 1);
    assert_string_equal(r.body, "slow");
    assert_int_equal(cli_head_only(c, &r, 3000), 1);
    assert_int_equal(r.status, 200);
    assert_int_equal(cli_body(c, &r, 1, &bad, 5000), size);
    assert_int_equal(cli_response(c, &r, 3000), 1);
    assert_string_equal(r.body, "GET /b ? []");
    assert_int_equal(cli_head_only(c, &r, 3000), 1);
    assert_int_equal(cli_body(c, &r, 1, &bad, 5000), size);
    assert_int_equal(bad, 0);
    assert_int_equal(cli_response(c, &r, 3000), 1);
    assert_string_equal(r.body, "GET /c ? []");
    cli_close(c);
    spin(20);
    assert_int_equal(A.completes, 5);
    assert_int_equal(A.completes_status0, 0);
    assert_int_equal(count_fds(), fds);
}

static void test_file_body_bytes_out_counts_the_file(void **state)
{
    struct client *c;
    struct resp r;
    int bad = 0;
    uint64_t head_len;

    (void)state;
    use_file(700000, 1);
    c = cli_open();
    cli_sends(c, "GET /file HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    assert_int_equal(cli_head_only(c, &r, 2000), 1);
    head_len = strlen(r.head);
    assert_int_equal(strncmp(find_header(r.head, "Connection"), "close", 5), 0);
    assert_int_equal(cli_body(c, &r, 1, &bad, 3000), 700000);
    assert_int_equal(bad, 0);
    assert_true(cli_wait_eof(c, 3000));
    cli_close(c);
    spin(20);
    assert_int_equal(A.last_status, 200);
    assert_int_equal(A.last_bytes, head_len + 700000);
}

static void test_file_body_head_request_sends_length_only(void **state)
{
    struct client *c;
    struct resp r;
    int fds;

    (void)state;
    use_file(5000, 1);
    fds = count_fds();
    c = cli_open();
    cli_sends(c, "HEAD /file HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_head_only(c, &r, 2000), 1);
    assert_int_equal(r.status, 200);
    assert_int_equal(atoi(find_header(r.head, "Content-Length")), 5000);
    cli_sends(c, "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "GET /next ? []"); /* no body bytes before it */
    cli_close(c);
    spin(20);
    assert_int_equal(count_fds(), fds);
}

static void test_file_shorter_than_announced_closes_connection(void **state)
{
    struct client *c;
    struct resp r;
    int fds, bad = 0;

    (void)state;
    use_file(300000, 1);
    A.file_announce = 500000;
    fds = count_fds();
    c = cli_open();
    cli_sends(c, "GET /file HTTP/1.1\r\nHost: t\r\n\r\nGET /never HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_head_only(c, &r, 2000), 1);
    assert_int_equal(atoi(find_header(r.head, "Content-Length")), 500000);
    assert_int_equal(cli_body(c, &r, 1, &bad, 3000), 300000);
    assert_int_equal(bad, 0);
    assert_true(cli_wait_eof(c, 2000));
    assert_int_equal(c->len, 0); /* /never was not answered */
    cli_close(c);
    spin(20);
    assert_int_equal(A.completes_status0, 2);
    assert_int_equal(bh_http_server_in_flight(A.srv), 0);
    assert_int_equal(count_fds(), fds);
    assert_fresh_ok();
}

static void test_file_read_error_closes_connection(void **state)
{
    struct client *c;
    struct resp r;
    int fds, bad = 0;

    (void)state;
    A.file_fd = open("/", O_RDONLY | O_CLOEXEC); /* reading a directory fails */
    assert_true(A.file_fd >= 0);
    A.file_announce = 4096;
    fds = count_fds();
    c = cli_open();
    cli_sends(c, "GET /file HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_head_only(c, &r, 2000), 1);
    assert_int_equal(cli_body(c, &r, 0, &bad, 2000), 0);
    assert_true(c->eof);
    cli_close(c);
    spin(20);
    assert_int_equal(A.completes_status0, 1);
    assert_int_equal(count_fds(), fds);
}

static void test_file_body_client_gone_mid_file(void **state)
{
    struct client *c;
    struct resp r;
    struct linger lg = {1, 0};
    char buf[65536];
    int fds, k;

    (void)state;
    use_file(32u * 1024 * 1024, 0);
    fds = count_fds();
    for (k = 0; k < 2; k++) {
        uint64_t got = 0;
        c = cli_open();
        cli_sends(c, "GET /file HTTP/1.1\r\nHost: t\r\n\r\n");
        assert_int_equal(cli_head_only(c, &r, 2000), 1);
        got = c->len;
        while (got < 3 * sizeof(buf)) {
            ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
            if (n > 0)
                got += (uint64_t)n;
            spin(1);
        }
        /* first with a reset, then with an orderly close and unread data */
        if (k == 0)
            assert_int_equal(setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
        cli_close(c);
        spin(200);
        assert_int_equal(A.completes_status0, k + 1);
        assert_int_equal(bh_http_server_in_flight(A.srv), 0);
        assert_int_equal(count_fds(), fds);
    }
    assert_fresh_ok();
}

static void test_file_body_to_orphaned_exchange_closes_fd(void **state)
{
    struct client *c = cli_open();
    struct linger lg = {1, 0};
    int fds;

    (void)state;
    cli_sends(c, "GET /hold HTTP/1.1\r\nHost: t\r\n\r\n");
    spin(30);
    assert_non_null(A.held);
    assert_int_equal(setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
    cli_close(c);
    spin(50);
    use_file(100000, 1);
    fds = count_fds();
    bh_http_respond_file(A.held, 200, "application/octet-stream", dup(A.file_fd), 100000, NULL);
    A.held = NULL;
    assert_int_equal(count_fds(), fds);
    spin(20);
    assert_int_equal(A.completes_status0, 1);
    assert_int_equal(bh_http_server_in_flight(A.srv), 0);
    assert_fresh_ok();
}

static void test_file_body_during_drain_is_sent_then_closed(void **state)
{
    const uint64_t size = 2u * 1024 * 1024;
    struct client *c;
    struct resp r;
    int fds, bad = 0;

    (void)state;
    use_file(size, 1);
    fds = count_fds();
    c = cli_open();
    cli_sends(c, "GET /hold HTTP/1.1\r\nHost: t\r\n\r\n");
    spin(30);
    assert_non_null(A.held);
    bh_http_server_drain(A.srv, drained, &A.drained);
    spin(20);
    bh_http_respond_file(A.held, 200, "application/octet-stream", dup(A.file_fd), size, NULL);
    A.held = NULL;
    assert_int_equal(cli_head_only(c, &r, 2000), 1);
    assert_int_equal(strncmp(find_header(r.head, "Connection"), "close", 5), 0);
    assert_int_equal(A.drained, 0); /* not before the last byte */
    assert_int_equal(cli_body(c, &r, 1, &bad, 5000), size);
    assert_int_equal(bad, 0);
    assert_true(cli_wait_eof(c, 3000));
    cli_close(c);
    spin(50);
    assert_int_equal(A.drained, 1);
    assert_int_equal(A.last_status, 200);
    assert_int_equal(count_fds(), fds - 1); /* the listener closed too */
}

static void test_file_body_stalled_reader_is_closed(void **state)
{
    struct client *c;
    bh_http_limits lim;
    int fds;

    (void)state;
    bh_http_server_free(A.srv);
    bh_http_limits_default(&lim);
    lim.idle_timeout_ms = 500;
    assert_int_equal(start_server(&lim), 0);
    spin(20);
    use_file(64u * 1024 * 1024, 0);
    fds = count_fds();
    c = cli_open();
    cli_sends(c, "GET /file HTTP/1.1\r\nHost: t\r\n\r\n");
    spin(1600); /* nobody reads */
    assert_int_equal(A.completes_status0, 1);
    assert_int_equal(bh_http_server_in_flight(A.srv), 0);
    cli_close(c);
    spin(20);
    assert_int_equal(count_fds(), fds);
}

static void test_server_free_during_file_body_releases_it(void **state)
{
    struct client *c;
    bh_http_limits lim;
    int fds;

    (void)state;
    use_file(16u * 1024 * 1024, 0);
    fds = count_fds();
    c = cli_open();
    cli_sends(c, "GET /file HTTP/1.1\r\nHost: t\r\n\r\n");
    spin(30);
    bh_http_server_free(A.srv); /* a read may still be on the thread pool */
    A.srv = NULL;
    uv_run(&A.loop, UV_RUN_DEFAULT);
    cli_close(c);
    assert_int_equal(count_fds(), fds - 1); /* the listener went too */
    bh_http_limits_default(&lim);
    assert_int_equal(start_server(&lim), 0);
}

/* A value in kB from /proc/self/status ("VmRSS", "VmHWM"); 0 when absent. */
static uint64_t status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    size_t kl = strlen(key);
    uint64_t v = 0;

    if (f == NULL)
        return 0;
    while (fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, key, kl) == 0 && line[kl] == ':')
            v = strtoull(line + kl + 1, NULL, 10);
    fclose(f);
    return v;
}

/* Resets VmHWM to the current RSS (Linux 4.0+); 0 when that worked. */
static int reset_peak_rss(void)
{
    int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
    int ok;

    if (fd < 0)
        return -1;
    ok = write(fd, "5", 1) == 1;
    close(fd);
    return ok ? 0 : -1;
}

static void test_file_body_256mib_to_slow_reader_keeps_memory_bounded(void **state)
{
    const uint64_t size = 256u * 1024 * 1024;
    const size_t rbuf_len = 1024 * 1024;
    struct client *c;
    struct resp r;
    char *rbuf = malloc(rbuf_len);
    uint64_t base_kb, peak_kb, kb, got, next_pause;
    int fds, bad = 0, hwm_ok;

    (void)state;
    assert_non_null(rbuf);
    memset(rbuf, 1, rbuf_len);
    /* warm up: thread pool, chunk buffers' first use, client paths */
    use_file(2u * 1024 * 1024, 1);
    fds = count_fds();
    c = cli_open();
    cli_sends(c, "GET /file HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_head_only(c, &r, 2000), 1);
    assert_int_equal(cli_body(c, &r, 1, &bad, 3000), 2u * 1024 * 1024);
    assert_int_equal(bad, 0);

    use_file(size, 0);
    spin(20);
    base_kb = status_kb("VmRSS");
    hwm_ok = reset_peak_rss() == 0;
    peak_kb = base_kb;
    cli_sends(c, "GET /file HTTP/1.1\r\nHost: t\r\n\r\n");
    /* the reader is slow: at first it takes nothing, so the server has to
     * stop at its chunk limit with the socket buffers full */
    spin(300);
    kb = status_kb("VmRSS");
    peak_kb = kb > peak_kb ? kb : peak_kb;
    assert_int_equal(cli_head_only(c, &r, 2000), 1);
    assert_int_equal(r.status, 200);
    got = c->len;
    c->len = 0;
    next_pause = 0;
    while (got < size) {
        ssize_t n;
        uv_run(&A.loop, UV_RUN_NOWAIT);
        n = recv(c->fd, rbuf, rbuf_len < size - got ? rbuf_len : (size_t)(size - got),
                 MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
            break;
        if (n > 0)
            got += (uint64_t)n;
        if (got >= next_pause) {
            /* now and then it stops for a moment */
            next_pause += 16u * 1024 * 1024;
            kb = status_kb("VmRSS");
            peak_kb = kb > peak_kb ? kb : peak_kb;
            usleep(2000);
        }
    }
    assert_int_equal(got, size);
    kb = hwm_ok ? status_kb("VmHWM") : 0;
    peak_kb = kb > peak_kb ? kb : peak_kb;
    print_message("file body: %llu MiB sent, peak RSS %llu KiB above the start (%s)\n",
                  (unsigned long long)(size >> 20), (unsigned long long)(peak_kb - base_kb),
                  hwm_ok ? "VmHWM" : "VmRSS samples");
    /* a copy of the file would be 262144 KiB; the chunks are 1024 KiB */
    assert_true(peak_kb - base_kb < 6 * 1024);
    cli_sends(c, "GET /after HTTP/1.1\r\nHost: t\r\n\r\n");
    assert_int_equal(cli_response(c, &r, 2000), 1);
    assert_string_equal(r.body, "GET /after ? []");
    cli_close(c);
    free(rbuf);
    spin(20);
    assert_int_equal(count_fds(), fds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_simple_get_has_standard_headers),
        T(test_keep_alive_reuses_connection_with_distinct_ids),
        T(test_http10_keep_alive_only_when_asked),
        T(test_pipelined_answers_keep_request_order),
        T(test_pipelined_beyond_limit_all_answered_in_order),
        T(test_chunked_body_is_reassembled),
        T(test_chunked_trailers_are_ignored_safely),
        T(test_content_length_body_split_over_writes),
        T(test_path_is_percent_decoded_and_bad_escape_is_400),
        T(test_413_from_content_length_before_body),
        T(test_413_when_chunked_body_grows_past_limit),
        T(test_413_streamed_upload_over_its_limit_aborts_stream),
        T(test_streamed_upload_with_pauses_counts_every_byte),
        T(test_431_for_oversized_headers),
        T(test_header_limit_is_exact),
        T(test_400_for_bad_request_line),
        T(test_400_for_bad_header),
        T(test_400_for_header_without_colon),
        T(test_400_for_http11_without_host),
        T(test_400_for_bad_chunk_size),
        T(test_505_for_http2_request_line),
        T(test_error_after_pipelined_request_comes_after_its_answer),
        T(test_truncated_body_then_close_is_dropped),
        T(test_client_gone_before_async_answer),
        T(test_header_timeout_answers_408),
        T(test_body_timeout_answers_408),
        T(test_chunked_answer_flows_while_the_body_arrives),
        T(test_chunked_answer_to_an_empty_body_and_to_http10),
        T(test_chunked_answer_cut_when_the_body_fails),
        T(test_transfer_codings_but_chunked_are_refused),
        T(test_body_below_the_minimum_rate_answers_408),
        T(test_buffered_body_deadline_answers_408_streamed_body_has_none),
        T(test_close_after_ends_the_connection_after_the_answer),
        T(test_drain_ends_keep_alive_connections_without_a_reset),
        T(test_drain_timeout_closes_what_is_left),
        T(test_idle_keep_alive_connection_closes_silently),
        T(test_stalled_reader_is_closed_slow_reader_is_served),
        T(test_expect_100_continue_is_answered),
        T(test_head_response_has_length_but_no_body),
        T(test_early_answer_from_on_headers_skips_small_body),
        T(test_refused_stream_answers_given_status_and_aborts),
        T(test_owned_body_and_extra_headers_without_injection),
        T(test_early_answer_to_large_upload_closes_after_answer),
        T(test_requests_split_at_every_byte_parse_the_same),
        T(test_garbage_never_crashes_the_server),
        T(test_mutated_requests_never_break_the_server),
        T(test_mutated_requests_with_default_head_limit),
        T(test_drain_finishes_in_flight_then_calls_done),
        T(test_reuse_port_shares_a_port_and_busy_port_fails),
        T(test_connections_over_the_limit_are_closed),
        T(test_drain_lets_a_half_sent_request_finish),
        T(test_drain_without_connections_calls_done),
        T(test_file_body_small_is_sent_whole),
        T(test_file_body_empty_has_zero_length),
        T(test_file_body_keeps_pipelined_order),
        T(test_file_body_bytes_out_counts_the_file),
        T(test_file_body_head_request_sends_length_only),
        T(test_file_shorter_than_announced_closes_connection),
        T(test_file_read_error_closes_connection),
        T(test_file_body_client_gone_mid_file),
        T(test_file_body_to_orphaned_exchange_closes_fd),
        T(test_file_body_during_drain_is_sent_then_closed),
        T(test_file_body_stalled_reader_is_closed),
        T(test_server_free_during_file_body_releases_it),
        T(test_file_body_256mib_to_slow_reader_keeps_memory_bounded),
#undef T
    };
    const char *only = getenv("BATON_HTTP_TESTS"); /* e.g. "test_file_*" */

    if (only != NULL && *only != '\0')
        cmocka_set_test_filter(only);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
