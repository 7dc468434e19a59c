/*
 * log.h - batond's log: one JSON object per line on stderr.
 *
 * Owns: the line format ({"ts","level","msg", then fields}), JSON escaping,
 * and getting lines out without interleaving when several loop threads log.
 * Lines are appended to a per-thread buffer; a loop thread registers a
 * prepare hook (bh_log_attach_loop) so its buffer is written once per loop
 * iteration, before the loop waits for I/O; any other thread writes each
 * line at once.
 *
 * Does not own: what is worth logging. Callers must never pass a token, an
 * Authorization header, a key or any other secret: the log has no filter
 * that could catch them.
 */
#ifndef BH_LOG_H
#define BH_LOG_H

#include <stdint.h>

#include <uv.h>

enum bh_log_level {
    BH_LOG_DEBUG = 0,
    BH_LOG_INFO = 1,
    BH_LOG_WARN = 2,
    BH_LOG_ERROR = 3,
};

/* Lines below this level are dropped (default BH_LOG_INFO). */
void bh_log_set_level(enum bh_log_level min);

/*
 * One line: msg plus string fields given as NULL-terminated name/value pairs,
 * e.g. bh_log(BH_LOG_INFO, "listening", "address", addr, NULL). A NULL value
 * leaves its field out.
 */
void bh_log(enum bh_log_level level, const char *msg, ...);

/* The access line of one finished request. Any string may be NULL. */
typedef struct bh_log_request_fields {
    const char *request_id;
    const char *method;
    const char *route; /* the route pattern, not the raw path */
    const char *path;
    const char *tenant;
    const char *peer;
    const char *error; /* error code of the answer, when it was an error */
    int status;
    uint64_t duration_ns;
    uint64_t bytes_out;
} bh_log_request_fields;

void bh_log_request(const bh_log_request_fields *f);

/* Batches this thread's lines per iteration of loop (call on loop's
 * thread). bh_log_detach_loop flushes and closes the hook. */
int bh_log_attach_loop(uv_loop_t *loop);
void bh_log_detach_loop(void);

/* Writes this thread's pending lines now. */
void bh_log_flush(void);

#endif
