/*
 * http_parser_adapter.h - a small request-parser interface over libhttp-parser.
 *
 * Owns: the only use of <http_parser.h> in the tree. It turns the library's
 * callbacks into a narrower set with a context pointer, reports where the
 * parser is (between messages, in the head, in the body), maps the library's
 * error numbers onto the few kinds the server answers differently, and hides
 * the library's pause/resume protocol behind bh_hpa_execute.
 *
 * Does not own: limits, timeouts, storage of what was parsed, responses.
 * Those belong to the server (http.c and the http_*.c files beside it).
 *
 * Pausing: a callback returning BH_HPA_PAUSE stops the parser right after
 * that callback. bh_hpa_execute then returns the number of bytes consumed;
 * the caller keeps the rest and feeds it again (from its first byte) after
 * bh_hpa_resume. This is the library's own contract: after a pause inside the
 * final body callback the last body byte is reported as not consumed and is
 * consumed again, silently, when fed anew.
 */
#ifndef BH_HTTP_PARSER_ADAPTER_H
#define BH_HTTP_PARSER_ADAPTER_H

#include <stddef.h>
#include <stdint.h>

typedef struct bh_hpa bh_hpa;

/* Callback return values besides 0 (continue). */
#define BH_HPA_PAUSE 1  /* stop after this callback, resumable */
#define BH_HPA_STOP  -1 /* stop for good; bh_hpa_error() reports BH_HPA_E_CALLBACK */

/* What the request head said, passed to on_headers_complete. */
typedef struct bh_hpa_head {
    const char *method; /* static upper-case name, "GET" */
    int http_major;
    int http_minor;
    int keep_alive;         /* after Connection and the version are applied */
    int chunked;            /* Transfer-Encoding: chunked */
    int has_content_length; /* a Content-Length header was present */
    uint64_t content_length;
    int upgrade; /* CONNECT, or Upgrade with Connection: upgrade */
    int is_connect;
    int is_head;
} bh_hpa_head;

typedef struct bh_hpa_callbacks {
    int (*on_message_begin)(void *ctx);
    int (*on_url)(void *ctx, const char *at, size_t len);
    int (*on_header_field)(void *ctx, const char *at, size_t len);
    int (*on_header_value)(void *ctx, const char *at, size_t len);
    int (*on_headers_complete)(void *ctx, const bh_hpa_head *head);
    int (*on_body)(void *ctx, const char *at, size_t len);
    int (*on_message_complete)(void *ctx);
} bh_hpa_callbacks;

/* Where the parser stands. */
enum bh_hpa_phase {
    BH_HPA_IDLE = 0, /* between messages (leading CR/LF may have been skipped) */
    BH_HPA_HEAD = 1, /* request line or headers under way */
    BH_HPA_BODY = 2  /* headers complete, body under way */
};

/* Result of the last bh_hpa_execute. */
enum bh_hpa_status { BH_HPA_OK = 0, BH_HPA_PAUSED = 1, BH_HPA_ERROR = 2 };

/* Kind of a parse error. */
enum bh_hpa_error {
    BH_HPA_E_NONE = 0,
    BH_HPA_E_SYNTAX = 1,          /* malformed request line, header or chunking */
    BH_HPA_E_HEADER_OVERFLOW = 2, /* the library's own header-size cap (80 KiB) */
    BH_HPA_E_CALLBACK = 3,        /* a callback returned BH_HPA_STOP */
    BH_HPA_E_EOF = 4              /* the stream ended inside a message */
};

/*
 * Creates a request parser calling cb with ctx. The callbacks table must
 * outlive the parser. Returns NULL when out of memory. Free with
 * bh_hpa_free.
 */
bh_hpa *bh_hpa_new(const bh_hpa_callbacks *cb, void *ctx);
void bh_hpa_free(bh_hpa *p);

/*
 * Parses len bytes (len > 0). Returns the bytes consumed; fewer than len
 * when a callback paused or stopped the parser or on a parse error (see
 * bh_hpa_status).
 */
size_t bh_hpa_execute(bh_hpa *p, const char *data, size_t len);

/* Tells the parser the stream ended. Returns 0 when that is fine (between
 * messages), else sets the error BH_HPA_E_EOF and returns -1. */
int bh_hpa_finish(bh_hpa *p);

/* Clears a pause so the next bh_hpa_execute goes on. */
void bh_hpa_resume(bh_hpa *p);

enum bh_hpa_status bh_hpa_status(const bh_hpa *p);
enum bh_hpa_phase bh_hpa_phase(const bh_hpa *p);
enum bh_hpa_error bh_hpa_error(const bh_hpa *p);

/* Static English description of the last error ("invalid HTTP method"). */
const char *bh_hpa_error_text(const bh_hpa *p);

#endif
