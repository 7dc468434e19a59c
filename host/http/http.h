/*
 * http.h - batond's HTTP/1.1 server on a libuv loop.
 *
 * Owns: listening sockets, connections, request parsing (libhttp-parser is
 * hidden behind http_parser_adapter.c), limits (header and body size),
 * timeouts (header read, body read, keep-alive idle), keep-alive and
 * pipelining (responses are always written in request order), and writing
 * responses. It knows nothing about tenants, routes or JSON bodies: it hands
 * each complete request to the application's callbacks and writes what the
 * application answers.
 *
 * Does not own: routing, authentication, logging policy (it reports events
 * through callbacks), request ids beyond generating one per request.
 *
 * Errors the server answers by itself (before the application sees the
 * request) use the JSON error shape {"error":{"code":"...","message":"..."}}:
 *   400 bad_request        malformed request line, header or chunk encoding;
 *                          a Transfer-Encoding other than exactly "chunked",
 *                          or a TE header naming anything but "trailers"
 *   408 request_timeout    headers or body not received in time (gap, minimum
 *                          data rate, total body deadline)
 *   413 body_too_large     Content-Length or streamed body above the limit
 *   431 headers_too_large  request line plus headers above the limit
 *   505 version_not_supported  anything but HTTP/1.0 or HTTP/1.1
 * After such an error the connection is closed; other connections and the
 * server keep serving.
 *
 * Threading: one bh_http_server belongs to one uv_loop_t and every callback
 * runs on that loop's thread. To use several loops, create one server per
 * loop with reuse_port set; the kernel spreads connections over them, and
 * servers sharing a bh_http_balance even out what the kernel's choice left
 * uneven (below).
 */
#ifndef BH_HTTP_H
#define BH_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

typedef struct bh_http_server bh_http_server;
typedef struct bh_http_conn bh_http_conn;
typedef struct bh_http_exchange bh_http_exchange; /* one request/response */

typedef struct bh_http_header {
    const char *name; /* lower-cased */
    const char *value;
} bh_http_header;

/* A parsed request. All memory belongs to the exchange; valid until the
 * response has been sent (bh_http_respond returns). */
typedef struct bh_http_request {
    const char *method; /* "GET", "POST", ... */
    const char *target; /* raw request target as received */
    const char *path;   /* target without the query, percent-decoded */
    const char *query;  /* text after '?', "" when none */
    const bh_http_header *headers;
    size_t header_count;
    const char *body;       /* buffered body (NUL-terminated), NULL when streamed */
    size_t body_len;        /* bytes of body received (buffered or streamed) */
    const char *request_id; /* 16 hex chars, unique per process */
    uint64_t start_ns;      /* uv_hrtime() when the request line arrived */
    int http_minor;         /* 0 or 1 */
    int keep_alive;         /* the client wants to keep the connection */
    const char *peer;       /* "ip:port" of the client */
} bh_http_request;

/* The value of query parameter key, percent-decoded ('+' is a space), into
 * out. Returns 0, or -1 when it is absent, malformed (a bad %XX escape or
 * a %00) or longer than len - 1. */
int bh_http_query_value(const bh_http_request *req, const char *key, char *out, size_t len);

/* Case-insensitive header lookup; NULL when absent. */
const char *bh_http_header_get(const bh_http_request *req, const char *name);

/*
 * Body streaming. By default the server buffers a body up to max_body_bytes
 * and passes it in req->body. From on_headers, the application may instead
 * ask for the body to be streamed to it in chunks (for large uploads), with
 * its own limit. A chunk callback returns 0 to continue, BH_HTTP_PAUSE to
 * stop reading until bh_http_resume() is called (for backpressure, e.g. while
 * an asynchronous disk write is under way), or a negative value to abort the
 * request (the server then answers with the status given to
 * bh_http_stream_fail, or 400).
 */
#define BH_HTTP_PAUSE 1

typedef struct bh_http_body_stream {
    int (*on_chunk)(void *stream_ctx, const char *data, size_t len);
    void *stream_ctx;
    uint64_t max_bytes; /* 0 = no limit of its own (server limit applies) */
    /*
     * Optional. Once on_headers has set on_chunk, the server calls exactly
     * one of on_request (the whole body arrived and the exchange was not
     * answered yet) or on_abort (it will deliver no more chunks: the client
     * went away, a limit, timeout or framing error, on_chunk returned a
     * negative value, bh_http_stream_fail, or the exchange was answered from
     * on_headers). After on_abort the exchange is no longer the
     * application's: it must not answer, resume or fail it; the server
     * answers or closes by itself (an answer given from on_headers is still
     * sent).
     */
    void (*on_abort)(void *stream_ctx);
} bh_http_body_stream;

typedef struct bh_http_callbacks {
    /*
     * Called when the request line and headers are complete, before any body
     * byte. May fill *stream to stream the body. May also answer at once
     * (e.g. 401 before a large upload is read) with bh_http_respond; the body
     * is then discarded and the connection closed if the body is large.
     * NULL means: always buffer.
     */
    void (*on_headers)(void *app, bh_http_exchange *ex, const bh_http_request *req,
                       bh_http_body_stream *stream);
    /*
     * Called when the whole request has arrived. The application answers
     * with bh_http_respond, now or later (from work finished on another
     * thread, after returning to the loop thread). Exactly one response per
     * exchange; the exchange stays valid until then.
     */
    void (*on_request)(void *app, bh_http_exchange *ex, const bh_http_request *req);
    /*
     * Called after a response has been written (or the client went away),
     * with the final status and bytes written, for logs and metrics.
     * status 0 means the client closed before a response was written.
     */
    void (*on_complete)(void *app, const bh_http_request *req, int status, uint64_t bytes_out,
                        uint64_t duration_ns);
    /*
     * Optional. Called when accepting a connection failed (err is a
     * negative libuv code, e.g. UV_EMFILE when the process is out of file
     * descriptors), at most once per second per server; suppressed counts
     * how many failures since the last call were not reported. The server
     * stops accepting for a second after such a failure instead of
     * retrying at once, so a full descriptor table does not spin the loop.
     */
    void (*on_accept_error)(void *app, int err, uint64_t suppressed);
} bh_http_callbacks;

typedef struct bh_http_limits {
    size_t max_header_bytes;    /* request line + headers; default 16 KiB */
    uint64_t max_body_bytes;    /* buffered bodies; default 1 MiB */
    uint32_t header_timeout_ms; /* first byte to end of headers; default 10 s */
    uint32_t body_timeout_ms;   /* max gap between body reads; default 30 s */
    uint32_t idle_timeout_ms;   /* keep-alive idle; default 60 s */
    uint32_t max_pipelined;     /* queued requests per connection; default 64 */
    uint32_t max_connections;   /* per server; default 10000 */
    uint32_t body_min_rate;     /* bytes/s a body must average; default 1024 */
    uint32_t body_deadline_ms;  /* whole buffered body; default 60 s */
    uint32_t drain_timeout_ms;  /* drain to forced close; default 10 s */
} bh_http_limits;

/* Fills l with the defaults above. */
void bh_http_limits_default(bh_http_limits *l);

/*
 * Notes on limits: a field left 0 takes its default. max_header_bytes counts
 * the request line and header lines as received; libhttp-parser also stops
 * any head above 80 KiB (answered 431 as well), so larger settings have no
 * effect. A request whose head is not complete within header_timeout_ms,
 * or whose body pauses longer than body_timeout_ms (not counting pauses the
 * application asked for), is answered 408. A keep-alive connection idle for
 * idle_timeout_ms, or whose responses the client does not read for that
 * long, is closed without an answer.
 *
 * A body must also keep up an average rate: t ms after the headers ended,
 * at least body_min_rate * (t - body_timeout_ms) / 1000 bytes must have
 * arrived (the rule of Apache's mod_reqtimeout MinRate: the first
 * body_timeout_ms are free, then every byte buys 1000 / body_min_rate ms),
 * and a buffered body must be complete within body_deadline_ms of its
 * headers. Streamed bodies (large uploads) have no total deadline; the gap
 * and rate rules apply to them too. Pauses the application asked for do not
 * count against any of these. Failing one is answered 408.
 *
 * A buffered body's memory grows with the bytes that arrived, never with
 * the Content-Length announced, so a client that announces a megabyte and
 * trickles costs what it sent.
 */

/*
 * The servers of one address, one per loop, kept within one connection of
 * each other: a server that accepts a connection while another server of
 * the group holds fewer hands the connection over to that one's loop
 * (least connections). The kernel's SO_REUSEPORT choice is a hash of the
 * connection's addresses, which over a few dozen connections (a proxy's
 * pool, a benchmark) leaves one loop with far more than another. The
 * group also counts each server's open connections, for metrics.
 *
 * Create it for n servers before starting them (slots 0..n-1, one server
 * each, any thread); free it after every server of it has been freed and
 * its loop has run to the end.
 */
typedef struct bh_http_balance bh_http_balance;
bh_http_balance *bh_http_balance_new(unsigned servers);
void bh_http_balance_free(bh_http_balance *b);
/* Open connections of the server in slot (0 when none joined); any thread. */
size_t bh_http_balance_connections(const bh_http_balance *b, unsigned slot);

typedef struct bh_http_server_options {
    const char *host; /* "127.0.0.1", "::", "0.0.0.0" */
    int port;         /* 0 = pick a free port (see bh_http_server_port) */
    int reuse_port;   /* set SO_REUSEPORT so several loops can share the port */
    bh_http_limits limits;
    bh_http_callbacks callbacks;
    void *app;
    bh_http_balance *balance; /* NULL, or the group this server joins */
    unsigned balance_slot;    /* its slot in the group */
} bh_http_server_options;

/*
 * Creates a server on loop and starts listening. Returns 0 and sets *out, or
 * a negative libuv/errno code with a message in err.
 */
int bh_http_server_start(uv_loop_t *loop, const bh_http_server_options *opt, bh_http_server **out,
                         char *err, size_t errlen);

/* The bound port (useful after port 0). */
int bh_http_server_port(const bh_http_server *s);

/* Number of requests received but not yet answered. */
size_t bh_http_server_in_flight(const bh_http_server *s);
/* (Counted from a request's first byte, including requests whose client
 * went away while the application still works on them.) */

/*
 * Stops accepting new connections, closes idle keep-alive connections,
 * lets in-flight requests finish (their connections close after the
 * response), then calls done(arg) once everything is closed.
 *
 * No request is read after the drain begins (one whose first byte had
 * arrived may still complete); the last answer on a connection says
 * "Connection: close". Connections are closed gracefully: the server shuts
 * down its sending side, reads and drops what the client still sends for
 * up to two seconds or until the client closes, then closes, so a client
 * that sent one more request sees the end of the connection, not a reset.
 * After limits.drain_timeout_ms every connection still open is closed at
 * once; done(arg) then follows as soon as the application has answered
 * (or dropped) the requests it still holds.
 */
void bh_http_server_drain(bh_http_server *s, void (*done)(void *arg), void *arg);

/* Closes everything at once and frees the server (after drain or on exit). */
void bh_http_server_free(bh_http_server *s);
/*
 * Handles close asynchronously: run the loop (uv_run) afterwards so their
 * memory is released. Exchanges the application still holds are freed at
 * once and must not be answered afterwards; on_complete is not called any
 * more, stream on_abort still is.
 */

/*
 * Answers an exchange. body is copied; extra_headers is NULL or a list of
 * full header lines without CRLF ("Location: /x"), NULL-terminated.
 * Must be called on the server's loop thread.
 */
void bh_http_respond(bh_http_exchange *ex, int status, const char *content_type, const char *body,
                     size_t body_len, const char *const *extra_headers);

/*
 * Lifetime details: the exchange and its request stay valid until on_complete
 * has returned for it. A second answer to the same exchange is ignored. An
 * answer to an exchange whose client went away is dropped (on_complete then
 * reports status 0). HEAD requests and 1xx/204/304 answers carry no body.
 * The answer closes the connection ("Connection: close") when the client
 * asked for it, the server is draining, or the body of a request answered
 * early (from on_headers) is chunked or larger than 64 KiB.
 */

/*
 * Makes the connection close after this exchange's answer (the answer says
 * "Connection: close"). For answers that should not leave a connection
 * open, such as a refused authentication. Call before answering.
 */
void bh_http_close_after(bh_http_exchange *ex);

/* Number of header fields named name (case-insensitive) in req. */
size_t bh_http_header_count(const bh_http_request *req, const char *name);

/* As bh_http_respond, taking ownership of a malloc'd body (no copy). */
void bh_http_respond_owned(bh_http_exchange *ex, int status, const char *content_type, char *body,
                           size_t body_len, const char *const *extra_headers);

/*
 * Answers with the bytes [0, size) of fd as the body (Content-Length: size),
 * for bodies too large to hold in memory. The server takes ownership of fd
 * and closes it when done or on failure (also when the answer carries no
 * body: HEAD, 1xx, 204, 304, or an exchange whose client went away). The
 * body is read in chunks of 256 KiB on the libuv thread pool, one read at a
 * time, and written with backpressure: a connection never holds more than
 * four chunks (1 MiB), whatever the size, and a client that stops reading is
 * closed after idle_timeout_ms like any stalled reader. Answers pipelined
 * after this one are written after its last byte. If the file ends before
 * size bytes or a read fails, the connection is closed: the client sees a
 * body shorter than Content-Length, and on_complete reports status 0.
 * fd < 0 is answered 500 internal. fd should be a regular file opened for
 * reading; reads use explicit offsets (pread), its file position is unused.
 */
void bh_http_respond_file(bh_http_exchange *ex, int status, const char *content_type, int fd,
                          uint64_t size, const char *const *extra_headers);

/*
 * Answers with a body the application writes as it goes: a long answer
 * produced piece by piece, possibly while the request body still arrives
 * (a streamed body keeps being delivered to its on_chunk; this is the one
 * answer that does not end the request body). The head says
 * "Transfer-Encoding: chunked" (to an HTTP/1.0 client no framing, and the
 * connection closes after the body) and goes out once this exchange is
 * first in its connection's queue, with what was written by then.
 *
 * bh_http_chunked_write copies data into the answer; 0, or -1 when the
 * answer cannot take more (client gone, request failed, out of memory):
 * stop producing and end it. What is written meanwhile is sent as one
 * chunk per write to the socket. bh_http_chunked_queued is what was
 * written but not yet handed to the socket: the application bounds its
 * memory by producing no more (e.g. pausing its request body) while that
 * is above its own limit, and on_writable(ctx) is called after each write
 * to the socket completed, to go on. bh_http_chunked_end writes the last
 * chunk; the exchange completes once it is out (ended before the request
 * body arrived, the rest of that body is dropped and the connection
 * closes).
 *
 * If the request fails after the head went out (a body limit or timeout:
 * what the server would answer 408 or 413), the status can no longer
 * change: the stream's on_abort is called, what was written is sent, and
 * the connection closes without the last chunk, so the client sees an
 * incomplete answer. Returns 0, or -1 (already answered, a HEAD request,
 * the client gone, out of memory: nothing was sent).
 */
int bh_http_respond_chunked(bh_http_exchange *ex, int status, const char *content_type,
                            const char *const *extra_headers, void (*on_writable)(void *ctx),
                            void *ctx);
int bh_http_chunked_write(bh_http_exchange *ex, const void *data, size_t len);
size_t bh_http_chunked_queued(const bh_http_exchange *ex);
void bh_http_chunked_end(bh_http_exchange *ex);

/* Answers with the JSON error shape {"error":{"code":code,"message":message}}. */
void bh_http_respond_error(bh_http_exchange *ex, int status, const char *code, const char *message);

/* Resumes reading a paused streamed body. */
void bh_http_resume(bh_http_exchange *ex);

/* Makes a streamed upload fail with this status and error (before respond). */
void bh_http_stream_fail(bh_http_exchange *ex, int status, const char *code, const char *message);

/* The request of an exchange (valid until the response is sent). */
const bh_http_request *bh_http_exchange_request(const bh_http_exchange *ex);

/* Reason phrase for a status code ("Not Found"). */
const char *bh_http_reason(int status);

#endif
