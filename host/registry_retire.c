/*
 * registry_retire.c - frees batond's retired registries on its main loop
 * (see registry_retire.h for why).
 *
 * Owns: the queue of registries whose last reference went, and waking the
 * main loop for them. Does not own: reference counting (tenant.c).
 */
#include "registry_retire.h"

#include <stdio.h>

#include "log.h"

/* Any thread: the registry's last reference went. */
static void enqueue(bh_registry *r, void *ctx)
{
    bh_registry_retire *rr = ctx;

    pthread_mutex_lock(&rr->mu);
    r->retire_next = rr->queue;
    rr->queue = r;
    pthread_mutex_unlock(&rr->mu);
    uv_async_send(&rr->wake);
}

static void free_queued(bh_registry_retire *rr)
{
    bh_registry *r;

    pthread_mutex_lock(&rr->mu);
    r = rr->queue;
    rr->queue = NULL;
    pthread_mutex_unlock(&rr->mu);
    while (r != NULL) {
        bh_registry *next = r->retire_next;
        char gen[24], ms[24];
        uint64_t t0 = uv_hrtime();
        snprintf(gen, sizeof gen, "%llu", (unsigned long long)r->generation);
        bh_registry_free(r);
        snprintf(ms, sizeof ms, "%.1f", (double)(uv_hrtime() - t0) / 1e6);
        bh_log(BH_LOG_DEBUG, "freed a retired registry", "event", "registry_retired", "generation",
               gen, "ms", ms, NULL);
        rr->freed++;
        r = next;
    }
}

static void on_wake(uv_async_t *h)
{
    free_queued(h->data);
}

int bh_registry_retire_start(bh_registry_retire *rr, uv_loop_t *loop)
{
    int rc;

    rr->queue = NULL;
    rr->freed = 0;
    rr->started = 0;
    rc = uv_async_init(loop, &rr->wake, on_wake);
    if (rc != 0)
        return rc;
    rr->wake.data = rr;
    uv_unref((uv_handle_t *)&rr->wake);
    pthread_mutex_init(&rr->mu, NULL);
    rr->started = 1;
    bh_registry_set_retire(enqueue, rr);
    return 0;
}

void bh_registry_retire_stop(bh_registry_retire *rr, uv_loop_t *loop)
{
    if (!rr->started)
        return;
    bh_registry_set_retire(NULL, NULL);
    free_queued(rr);
    uv_close((uv_handle_t *)&rr->wake, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
    pthread_mutex_destroy(&rr->mu);
    rr->started = 0;
}
