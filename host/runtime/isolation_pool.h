/*
 * isolation_pool.h - isolated plugin calls on an event loop.
 *
 * Each event loop has one bh_isolation. It keeps a pool of worker processes
 * per isolated plugin instance it has called (so per tenant and plugin
 * version), spawned on demand up to the instance's workers_per_plugin, and
 * queues calls beyond that. The loop never waits on a worker: frames are
 * written and read with libuv, a worker's exit is seen through its pidfd.
 *
 * Every call has a deadline: call_timeout_ms from the moment a worker takes
 * it, and call_timeout_ms + load_timeout_ms for waiting for a free (or a
 * newly started) worker before that. What can
 * happen to a call, and what the caller is told (bh_iso_outcome):
 *   BH_ISO_OK        the plugin answered; plugin_rc is its return code and
 *                    its builder operations were replayed into the call's
 *                    result or letter
 *   BH_ISO_CRASHED   the worker died (signal, exit, forbidden system call),
 *                    broke the protocol, or failed while loading; it was
 *                    killed and is replaced for the next call
 *   BH_ISO_TIMEOUT   the deadline passed; the worker (if the call was
 *                    running) was killed
 *   BH_ISO_UNAVAILABLE  the loop is shutting down
 * A worker that fails while starting makes the pool wait before the next
 * start (10 ms doubling to 2 s), so a plugin that cannot load does not
 * become a fork loop.
 *
 * A pool holds a reference to its instance; a sweep every second closes the
 * pools whose instance nobody else holds any more (the tenant's set moved
 * on), killing their workers.
 *
 * Thread model: everything here runs on the loop's thread.
 */
#ifndef BH_ISOLATION_POOL_H
#define BH_ISOLATION_POOL_H

#include <stdatomic.h>
#include <stddef.h>

#include <uv.h>

#include "plugin_set.h"

typedef struct bh_isolation bh_isolation;

/* A new isolation context on loop; NULL on ENOMEM. */
bh_isolation *bh_isolation_new(uv_loop_t *loop);

/* Fails calls still queued, kills every worker and closes every handle;
 * the memory goes once the loop has run the close callbacks. */
void bh_isolation_close(bh_isolation *iso);

enum bh_iso_status {
    BH_ISO_OK = 0,
    BH_ISO_CRASHED = 1,
    BH_ISO_TIMEOUT = 2,
    BH_ISO_UNAVAILABLE = 3,
};

typedef struct bh_iso_outcome {
    enum bh_iso_status status;
    int plugin_rc;      /* BH_ISO_OK: the plugin's return code */
    const char *failed; /* BH_ISO_OK with plugin_rc != 0: the capability */
    const char *reason; /* and the worker's last host refusal ("" or NULL: none; untrusted) */
    char message[320];  /* otherwise: what happened */
} bh_iso_outcome;

typedef void (*bh_iso_done)(void *ctx, const bh_iso_outcome *o);

typedef struct bh_iso_call_args {
    unsigned caps;    /* BH_CAP_* bits */
    const char *kind; /* letter kind for BH_CAP_LETTER, else NULL */
    const char *as_of;
    const char *case_text; /* the case as JSON text; borrowed until done */
    size_t case_len;
    const char *result_json; /* the answer so far for result_view; NULL: none */
    baton_result *result;    /* replay targets; borrowed until done */
    baton_letter *letter;
    atomic_uint *tenant_busy; /* the tenant's calls in flight or queued; may be NULL */
} bh_iso_call_args;

/*
 * Starts a call of in (an isolated instance). done runs exactly once, on
 * the loop: later, or before this returns when the call fails at once (no
 * worker can be started, the case is too large for a frame). Returns 0, or without calling done:
 * BATON_ELIMIT when the tenant already has tenant_concurrency + tenant_queue calls in flight (429
 * tenant_busy), BATON_ENOMEM, or BATON_EINVAL (not isolated).
 */
int bh_isolation_call(bh_isolation *iso, bh_plugin_instance *in, const bh_iso_call_args *a,
                      bh_iso_done done, void *ctx);

/* Worker processes alive on this loop (for metrics and tests). */
size_t bh_isolation_worker_count(const bh_isolation *iso);

#endif
