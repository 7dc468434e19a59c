/* arena.c - bump allocation per request (arena.h): chunks, and the slow
 * path of bh_arena_alloc (a piece that needs a new chunk). The fast path
 * and the string and zeroing helpers are inline in arena.h. */
#include "arena.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bh_arena_chunk {
    struct bh_arena_chunk *prev; /* the chunk before (older), NULL for the first */
    size_t size;                 /* usable bytes after the header */
};

/* The header rounded up so that the first piece is aligned. */
#define HEADER_SIZE                                                                                \
    ((sizeof(struct bh_arena_chunk) + BH_ARENA_ALIGN - 1) & ~(size_t)(BH_ARENA_ALIGN - 1))

_Static_assert(HEADER_SIZE == BH_ARENA_CHUNK_HEADER, "arena.h states the chunk header's size");

static unsigned char *chunk_base(struct bh_arena_chunk *c)
{
    return (unsigned char *)c + HEADER_SIZE;
}

/* Makes c the current chunk, its pieces starting at its base. */
static void use_chunk(bh_arena *a, struct bh_arena_chunk *c)
{
    a->chunk = c;
    a->next = chunk_base(c);
    a->end = a->next + c->size;
}

static struct bh_arena_chunk *chunk_new(bh_arena *a, size_t size)
{
    if (size > SIZE_MAX - HEADER_SIZE)
        return NULL;
    if (a->limit != 0 && (a->total > a->limit || size > a->limit - a->total))
        return NULL;
    struct bh_arena_chunk *c = malloc(HEADER_SIZE + size);
    if (c == NULL)
        return NULL;
    c->prev = NULL;
    c->size = size;
    a->total += size;
    return c;
}

int bh_arena_init(bh_arena *a, size_t first_size, size_t limit)
{
    memset(a, 0, sizeof *a);
    a->limit = limit;
    if (first_size < 256)
        first_size = 256;
    if (limit != 0 && first_size > limit)
        first_size = limit;
    a->first = chunk_new(a, first_size);
    if (a->first == NULL)
        return -ENOMEM;
    use_chunk(a, a->first);
    return 0;
}

void bh_arena_init_over(bh_arena *a, void *mem, size_t size, size_t limit)
{
    struct bh_arena_chunk *c = mem;
    memset(a, 0, sizeof *a);
    a->limit = limit;
    a->first_lent = 1;
    c->prev = NULL;
    c->size = size - HEADER_SIZE;
    a->total = c->size;
    a->first = c;
    use_chunk(a, c);
}

/* Frees the chunks newer than keep (keep itself stays). */
static void free_down_to(bh_arena *a, struct bh_arena_chunk *keep)
{
    struct bh_arena_chunk *c = a->chunk;
    while (c != NULL && c != keep) {
        struct bh_arena_chunk *prev = c->prev;
        a->total -= c->size;
        free(c);
        c = prev;
    }
}

void bh_arena_free(bh_arena *a)
{
    free_down_to(a, a->first_lent ? a->first : NULL);
    memset(a, 0, sizeof *a);
}

void bh_arena_reset(bh_arena *a)
{
    free_down_to(a, a->first);
    if (a->first != NULL) {
        use_chunk(a, a->first);
    } else {
        a->chunk = NULL;
        a->next = a->end = NULL;
    }
}

void *bh_arena_alloc_slow(bh_arena *a, size_t n)
{
    size_t rounded;
    if (a->chunk == NULL || n > SIZE_MAX - BH_ARENA_ALIGN)
        return NULL;
    rounded = (n + BH_ARENA_ALIGN - 1) & ~(size_t)(BH_ARENA_ALIGN - 1);
    if (rounded == 0)
        rounded = BH_ARENA_ALIGN;
    if (rounded > (size_t)(a->end - a->next)) {
        size_t size = a->chunk->size <= SIZE_MAX / 2 ? a->chunk->size * 2 : a->chunk->size;
        if (size < rounded)
            size = rounded;
        if (a->limit != 0 && size > a->limit - a->total && rounded <= a->limit - a->total)
            size = a->limit - a->total; /* the last chunk the limit leaves room for */
        struct bh_arena_chunk *c = chunk_new(a, size);
        if (c == NULL)
            return NULL;
        c->prev = a->chunk;
        use_chunk(a, c);
    }
    void *p = a->next;
    a->next += rounded;
    return p;
}
