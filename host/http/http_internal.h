/*
 * http_internal.h - what the files of batond's HTTP server share. Private to
 * host/http/: nothing outside that folder includes it; the API is http.h.
 *
 * Owns: the server's, connections' and exchanges' layout, the constants
 * more than one file uses, and the bh__http_ functions one file of the
 * server calls in another. Does not own: anything an application may use
 * (http.h), the parser (http_parser_adapter.h).
 *
 * The files, one concern each:
 *
 *   http.c              the server: listener, limits, drain and free, request
 *                       ids, the shared buffer helper
 *   http_balance.c      the servers of one address kept within a connection
 *                       of each other (connections handed between loops)
 *   http_conn.c         a connection from accept to close: reading, the
 *                       input it keeps, pump(), the half-close and linger
 *   http_timeout.c      the one timer per connection and what it means
 *   http_exchange.c     exchanges: the pool, the per-connection queue,
 *                       orphans, completion reports
 *   http_request.c      the parser callbacks that build a request, and the
 *                       errors the server answers by itself
 *   http_body_stream.c  streamed request bodies: resume, fail, abort
 *   http_response.c     composing an answer (status line, headers, body)
 *   http_write.c        writing answers in request order, batched
 *   http_file.c         answer bodies streamed from a file descriptor
 *   http_chunked.c      answers written as the application produces them
 *                       (chunked), also while the request body arrives
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
 * - Writing. Responses may be given in any order; bh__http_flush() writes
 *   the answered exchanges at the front of the queue, several at once with
 *   one uv_try_write (writev), and falls back to uv_write for what the
 *   socket did not take. Flushing is deferred while a connection is
 *   parsing, so a pipelined burst is answered with one write. A body
 *   streamed from a file (struct fbody) is read chunk by chunk on the
 *   thread pool and written as the chunks arrive; answers behind it wait
 *   for its last byte.
 *
 * - Timeouts. One timer per connection. Its meaning (idle, header, body gap,
 *   send, linger) follows the connection's state; extending a deadline only
 *   stores it, and the timer re-arms itself for the remainder when it fires
 *   early, so the busy path does not touch the timer heap.
 *
 * - Closing. Connections that must close after a response shut down their
 *   write side and keep reading (and dropping) for a short while, so that a
 *   client still sending a body sees the response instead of a reset.
 *   Draining closes every connection that way too, and a timer on the
 *   server (drain_timeout_ms) closes what is left at once.
 *
 * - Memory. Nothing is sized from what a client announces: a buffered body
 *   grows as its bytes arrive. Buffers a connection or a pooled exchange
 *   keeps between requests are capped (http_exchange.c, http_conn.c), and
 *   after many connections have closed the server gives freed memory back
 *   to the system (malloc_trim, http_conn.c), so a burst of slow clients
 *   does not leave the process large once they are gone.
 */
#ifndef BH_HTTP_INTERNAL_H
#define BH_HTTP_INTERNAL_H

#include "http.h"

#include "http_parser_adapter.h"

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#define READ_BUF_SIZE (256 * 1024) /* shared by all connections of a server */
#define PEER_LEN      64
#define FILE_CHUNKS   4 /* chunks per file body: one read, the rest written */

enum ex_state { EX_HEAD, EX_BODY, EX_DONE };
enum part { PART_NONE, PART_URL, PART_FIELD, PART_VALUE };
enum tkind { T_NONE, T_IDLE, T_HEAD, T_BODY, T_SEND, T_LINGER };

struct hpos {
    size_t name;
    size_t value;
};

struct fbody;
struct cbody;

/* How an answer's head frames its body. */
enum framing {
    FRAME_LENGTH,  /* Content-Length */
    FRAME_CHUNKED, /* Transfer-Encoding: chunked */
    FRAME_CLOSE,   /* neither: the body ends when the connection does (HTTP/1.0) */
};

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
    uint64_t body_start; /* loop time (ms) the body began, moved on by app pauses */
    uint64_t paused_at;  /* loop time the application paused the body */
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
    struct fbody *file;        /* body read from a file descriptor, NULL otherwise */
    struct cbody *chunked_out; /* body the application writes as it goes, NULL otherwise */
};

/*
 * An answer body the application writes piece by piece
 * (bh_http_respond_chunked). What it writes collects in one buffer while
 * the other is being written; each write sends the whole collected buffer
 * as one chunk, so a burst of small pieces costs one chunk and one system
 * call. The exchange stays first in its connection's queue until the last
 * chunk has been written: nothing after it is written before.
 */
struct cbody {
    uv_write_t w;
    bh_http_exchange *ex;
    char *buf[2];
    size_t len[2], cap[2];
    int fill;             /* the buffer pieces are added to; the other is written */
    int writing;          /* a write is in flight */
    int ended;            /* the application wrote its last piece */
    int cut;              /* the request failed: no last chunk, the connection closes */
    int last_sent;        /* the last chunk is written or being written */
    int wbuf;             /* the buffer being written, -1 when none */
    enum framing framing; /* FRAME_CHUNKED, or FRAME_CLOSE for an HTTP/1.0 client */
    uint64_t sent;        /* body bytes written, framing included */
    char frame[2][24];    /* chunk size lines */
    void (*on_writable)(void *ctx);
    void *ctx;
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
    /* The listening socket is polled and accepted here, not by libuv's
     * uv_listen, so that running out of descriptors pauses accepting
     * (with a backoff) instead of libuv's accept-and-close loop, which
     * reports nothing and can spin when its spare descriptor is taken. */
    uv_poll_t listener;
    int listen_fd;
    int listener_open;       /* accepting: the poll handle is not closed */
    uv_timer_t accept_timer; /* resumes accepting after a failure */
    uint32_t accept_backoff; /* ms; doubles on each failure, 0 after a success */
    int handles;             /* open libuv handles of the server itself */
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
    uv_timer_t drain_timer; /* drain_timeout_ms, then close what is left */
    int drain_timer_started;
    uv_timer_t trim_timer;  /* a malloc_trim after a burst of closes */
    uint64_t released;      /* connections released since the last trim */
    uint64_t trim_at;       /* loop time (ms) of the last malloc_trim */
    uint64_t accept_report; /* loop time (ms) of the last accept error reported */
    uint64_t accept_quiet;  /* accept errors since then, not reported */
    int freeing;
    void (*drain_done)(void *arg);
    void *drain_arg;

    uint64_t date_next; /* loop time (ms) when the Date text is stale */
    char date[32];
    size_t date_len;

    bh_http_balance *balance; /* NULL, or the group it belongs to */
    unsigned balance_slot;
    uv_async_t handover; /* wakes the loop for connections handed over */
    int in_balance;      /* joined, not yet left */
};

/* http.c: the server */

/* Grows *buf to at least need bytes (doubling); 0 or -ENOMEM. */
int bh__http_grow(char **buf, size_t *cap, size_t need);
void bh__http_make_request_id(char out[17]);
/* Calls the drain callback once nothing is left open or unanswered. */
void bh__http_check_drain(bh_http_server *s);
/* Frees a server being freed once its listener and connections are gone. */
void bh__http_maybe_destroy(bh_http_server *s);

/* http_conn.c: connections */

void bh__http_pump(bh_http_conn *c);
void bh__http_close_conn(bh_http_conn *c);
/* Half-closes and lingers (or closes at once when the client already
 * half-closed): the graceful way to end a connection. */
void bh__http_begin_close(bh_http_conn *c);
/* Accepts the connections waiting on the listening socket. */
void bh__http_accept(bh_http_server *s);

/* http.c: stops accepting for a while after accept failed (backoff). */
void bh__http_accept_pause(bh_http_server *s);
/* http.c: counts a released connection; trims the heap after many. */
void bh__http_note_release(bh_http_server *s);

/* http_balance.c: the group of servers of one address */

/* Joins s (whose loop wake wakes) to slot: 0, UV_EBUSY or UV_EINVAL. */
int bh__http_balance_join(bh_http_balance *b, unsigned slot, bh_http_server *s, uv_async_t *wake);
/* A connection just accepted by slot's server: 1 when it was handed over
 * to a server with fewer connections (its loop is woken), 0 when slot's
 * server takes it on. Either way it is counted. */
int bh__http_balance_place(bh_http_balance *b, unsigned slot, int fd);
/* Up to max descriptors handed over to slot, oldest first. */
size_t bh__http_balance_take(bh_http_balance *b, unsigned slot, int *fds, size_t max);
/* One connection of slot's server is gone. */
void bh__http_balance_release(bh_http_balance *b, unsigned slot);
/* Slot's server takes no more connections; those queued for it are closed. */
void bh__http_balance_leave(bh_http_balance *b, unsigned slot);

/* http_conn.c: takes a handed-over socket on as a connection. */
void bh__http_take_handed(bh_http_server *s, int fd);

/* http_timeout.c: timeouts */

void bh__http_arm_timer(bh_http_conn *c);

/* http_exchange.c: exchanges */

bh_http_exchange *bh__http_ex_start(bh_http_conn *c);
void bh__http_ex_free(bh_http_exchange *ex);
void bh__http_ex_recycle(bh_http_exchange *ex);
void bh__http_q_remove(bh_http_conn *c, bh_http_exchange *ex);
void bh__http_report_complete(bh_http_exchange *ex, int status, uint64_t bytes);
void bh__http_drop_unanswered(bh_http_exchange *ex);
void bh__http_orphan_unlink(bh_http_server *s, bh_http_exchange *ex);

/* http_request.c: parsing into a request, errors the server answers */

extern const bh_hpa_callbacks bh__http_hpa_callbacks;
void bh__http_server_error_body(bh_http_conn *c, int status, char *body, size_t len);
void bh__http_server_error(bh_http_conn *c, int status, const char *code, const char *message);

/* http_body_stream.c: streamed request bodies */

void bh__http_stream_abort(bh_http_exchange *ex);
int bh__http_fail_stream_now(bh_http_conn *c, bh_http_exchange *ex);

/* http_response.c: composing answers */

/* Builds {"error":{"code":..,"message":..}}; malloc'd, caller frees. */
char *bh__http_json_error(const char *code, const char *message, size_t *len);
void bh__http_respond_impl(bh_http_exchange *ex, int status, const char *ctype, const char *body,
                           size_t body_len, const char *const *extra, char *owned);

/* http_write.c: the write path */

void bh__http_flush(bh_http_conn *c);
void bh__http_complete_written(bh_http_conn *c, bh_http_exchange **exs, size_t n, int ok);
void bh__http_after_writes(bh_http_conn *c);

/* http_chunked.c: bodies the application writes as it goes */

/* Writes the chunked answer ex (first in line): its head with the first
 * chunk, then each chunk as the previous write completes. */
void bh__http_chunked_begin(bh_http_conn *c, bh_http_exchange *ex);
/* The request of a chunked answer failed (a limit, a timeout): what is
 * queued is written, then the connection closes without the last chunk. */
void bh__http_chunked_cut(bh_http_conn *c, bh_http_exchange *ex);
/* Sends what the application wrote meanwhile (the flush after parsing). */
void bh__http_chunked_flush(bh_http_conn *c, bh_http_exchange *ex);
void bh__http_chunked_release(bh_http_exchange *ex);

/* http_response.c: the head of an answer into ex->resp */
int bh__http_put_head(bh_http_exchange *ex, int status, const char *ctype, enum framing framing,
                      uint64_t clen, const char *const *extra, size_t body_room);

/* http_file.c: file bodies */

void bh__http_file_begin(bh_http_conn *c, bh_http_exchange *ex);
void bh__http_file_release(bh_http_exchange *ex);

#endif
