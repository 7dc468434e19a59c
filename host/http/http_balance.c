/*
 * http_balance.c - the servers of one listening address (one per loop)
 * kept within one connection of each other (http.h, bh_http_balance).
 *
 * With SO_REUSEPORT the kernel picks a server for each new connection by
 * hashing its addresses. Over thousands of clients that evens out; over a
 * few dozen connections (a reverse proxy's pool, a benchmark) one loop
 * easily holds half as many again as another, and every request on it
 * waits longer while the other loop idles. So a server that accepts a
 * connection while another server of its group holds fewer hands it over:
 * the descriptor goes into that server's queue and its uv_async wakes its
 * loop, which takes it on as if it had accepted it itself. That is one
 * queue push and one eventfd write per connection handed over, never per
 * request.
 *
 * The group counts each server's connections: one more when a connection
 * is placed (kept or handed over), one less when a connection is released
 * or a queued descriptor is dropped. Placing and leaving hold the group's
 * mutex; releasing is an atomic decrement.
 *
 * Owns: the counts, the choice, the hand-over queues. Does not own: the
 * connections (http_conn.c) or the wake-up handles (each server's own).
 */
#include "http_internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct balance_slot {
    bh_http_server *server; /* NULL: not joined, or left */
    uv_async_t *wake;       /* the server's, on its loop */
    atomic_size_t connections;
    int *queue; /* descriptors handed over, not yet taken */
    size_t queued, cap;
};

struct bh_http_balance {
    uv_mutex_t mu;
    unsigned count;
    struct balance_slot slots[];
};

bh_http_balance *bh_http_balance_new(unsigned servers)
{
    if (servers == 0)
        return NULL;
    bh_http_balance *b = calloc(1, sizeof *b + servers * sizeof b->slots[0]);
    if (b == NULL)
        return NULL;
    if (uv_mutex_init(&b->mu) != 0) {
        free(b);
        return NULL;
    }
    b->count = servers;
    for (unsigned i = 0; i < servers; i++)
        atomic_init(&b->slots[i].connections, 0);
    return b;
}

void bh_http_balance_free(bh_http_balance *b)
{
    if (b == NULL)
        return;
    for (unsigned i = 0; i < b->count; i++) {
        struct balance_slot *s = &b->slots[i];
        for (size_t q = 0; q < s->queued; q++)
            close(s->queue[q]);
        free(s->queue);
    }
    uv_mutex_destroy(&b->mu);
    free(b);
}

size_t bh_http_balance_connections(const bh_http_balance *b, unsigned slot)
{
    if (b == NULL || slot >= b->count)
        return 0;
    return atomic_load_explicit(&b->slots[slot].connections, memory_order_relaxed);
}

int bh__http_balance_join(bh_http_balance *b, unsigned slot, bh_http_server *s, uv_async_t *wake)
{
    if (slot >= b->count)
        return UV_EINVAL;
    uv_mutex_lock(&b->mu);
    int rc = b->slots[slot].server != NULL ? UV_EBUSY : 0;
    if (rc == 0) {
        b->slots[slot].server = s;
        b->slots[slot].wake = wake;
    }
    uv_mutex_unlock(&b->mu);
    return rc;
}

static size_t connections_of(const struct balance_slot *s)
{
    return atomic_load_explicit(&s->connections, memory_order_relaxed);
}

/* Pushes fd onto s's queue: 0, or -1 when out of memory. */
static int enqueue(struct balance_slot *s, int fd)
{
    if (s->queued == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        int *q = realloc(s->queue, cap * sizeof *q);
        if (q == NULL)
            return -1;
        s->queue = q;
        s->cap = cap;
    }
    s->queue[s->queued++] = fd;
    return 0;
}

int bh__http_balance_place(bh_http_balance *b, unsigned slot, int fd)
{
    uv_mutex_lock(&b->mu);
    struct balance_slot *own = &b->slots[slot], *least = own;
    for (unsigned i = 0; i < b->count; i++) {
        struct balance_slot *s = &b->slots[i];
        if (s->server != NULL && connections_of(s) < connections_of(least))
            least = s;
    }
    int handed = 0;
    if (least != own && enqueue(least, fd) == 0) {
        atomic_fetch_add_explicit(&least->connections, 1, memory_order_relaxed);
        uv_async_send(least->wake);
        handed = 1;
    } else {
        atomic_fetch_add_explicit(&own->connections, 1, memory_order_relaxed);
    }
    uv_mutex_unlock(&b->mu);
    return handed;
}

size_t bh__http_balance_take(bh_http_balance *b, unsigned slot, int *fds, size_t max)
{
    uv_mutex_lock(&b->mu);
    struct balance_slot *s = &b->slots[slot];
    size_t n = s->queued < max ? s->queued : max;
    for (size_t i = 0; i < n; i++)
        fds[i] = s->queue[i];
    for (size_t i = n; i < s->queued; i++)
        s->queue[i - n] = s->queue[i];
    s->queued -= n;
    uv_mutex_unlock(&b->mu);
    return n;
}

void bh__http_balance_release(bh_http_balance *b, unsigned slot)
{
    atomic_fetch_sub_explicit(&b->slots[slot].connections, 1, memory_order_relaxed);
}

void bh__http_balance_leave(bh_http_balance *b, unsigned slot)
{
    uv_mutex_lock(&b->mu);
    struct balance_slot *s = &b->slots[slot];
    if (s->server != NULL) {
        for (size_t q = 0; q < s->queued; q++)
            close(s->queue[q]);
        atomic_fetch_sub_explicit(&s->connections, s->queued, memory_order_relaxed);
        s->queued = 0;
        s->server = NULL;
        s->wake = NULL;
    }
    uv_mutex_unlock(&b->mu);
}
