/*
 * registry_retire.h - frees batond's retired registries on its main loop.
 *
 * The last reference to a registry goes with whichever holder drops it
 * last: after a reload that is often a request finishing on a worker loop.
 * Freeing a registry of ten thousand tenants (their plugin sets, configs,
 * token table) and trimming the heap takes tens of milliseconds, which every
 * connection of that loop would wait for. Once started, the last reference
 * queues the registry here instead, and the main loop (signals and reloads,
 * no connections) frees it.
 *
 * Owns: the queue, its wake-up handle, and the registry hook while started.
 * Does not own: the registries before their last reference goes (tenant.c).
 */
#ifndef BH_REGISTRY_RETIRE_H
#define BH_REGISTRY_RETIRE_H

#include <pthread.h>
#include <stddef.h>

#include <uv.h>

#include "tenant.h"

typedef struct bh_registry_retire {
    uv_async_t wake; /* on the main loop, unreferenced: it never keeps the loop alive */
    pthread_mutex_t mu;
    bh_registry *queue; /* linked through retire_next */
    size_t freed;       /* registries freed through the queue so far */
    int started;
} bh_registry_retire;

/* Starts queueing last references for loop's thread to free. Call on that
 * thread, before any other thread holds a registry. Returns 0 or a libuv
 * error code (then registries are freed where their last reference goes). */
int bh_registry_retire_start(bh_registry_retire *rr, uv_loop_t *loop);

/* Stops queueing (later last references free at once), frees what is
 * queued and closes the handle; runs loop once so the close completes.
 * Call on the loop's thread once no other thread holds a registry. */
void bh_registry_retire_stop(bh_registry_retire *rr, uv_loop_t *loop);

#endif
