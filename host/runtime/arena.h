/*
 * arena.h - bh_arena, a bump allocator for memory that lives exactly as
 * long as one request (or one evaluation).
 *
 * An evaluation allocates many small pieces (the result's findings, costs
 * and facts, the strings plugins hand in, the case index) and drops them
 * all at once when the answer is written. malloc/free per piece was the
 * largest item of the evaluate profile (docs/performance.md); an arena
 * makes each piece a pointer bump and the whole request one free.
 *
 * Memory comes in chunks: the first is malloc'd at init, or is a piece
 * of memory the caller lends (bh_arena_init_over: a piece of another
 * arena, so that one evaluation's arenas are one allocation), later ones are malloc'd as needed (at
 * least twice the previous one, or the piece's size when larger). bh_arena_reset keeps the first
 * chunk for the next request and frees the others; nothing is freed piece by piece. Pieces are
 * aligned for any C object (BH_ARENA_ALIGN). A limit bounds the total a request may take: past it
 * allocations fail (NULL), as they do when malloc fails.
 *
 * The common case, a piece that fits in the current chunk, is inline
 * here (one comparison and a pointer bump, and for bh_arena_zalloc and
 * bh_arena_strndup a memset or memcpy the compiler sees the size of);
 * growing into a new chunk is arena.c's, out of line.
 *
 * Owns: the chunks. Does not own: what callers store in the pieces (no
 * destructors run). Not thread-safe: one arena per request.
 */
#ifndef BH_ARENA_H
#define BH_ARENA_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define BH_ARENA_ALIGN 16

struct bh_arena_chunk;

typedef struct bh_arena {
    unsigned char *next;          /* the next piece's start in the current chunk (aligned) */
    unsigned char *end;           /* the current chunk's end; next == end == NULL: no chunk */
    struct bh_arena_chunk *chunk; /* current chunk (the newest) */
    struct bh_arena_chunk *first; /* kept across resets */
    size_t total;                 /* bytes of all chunks */
    size_t limit;                 /* most bytes all chunks may hold; 0: none */
    int first_lent;               /* the first chunk is the caller's: never freed here */
} bh_arena;

/* Starts an arena whose first chunk holds first_size bytes (malloc'd
 * now), growing to at most limit bytes in all (0: no limit). Returns 0
 * or -ENOMEM. */
int bh_arena_init(bh_arena *a, size_t first_size, size_t limit);

/* Smallest memory bh_arena_init_over takes: a chunk's header and one
 * piece. */
#define BH_ARENA_OVER_MIN 64

/* The bytes of a chunk before its first piece: memory of size
 * BH_ARENA_CHUNK_HEADER + n lent to bh_arena_init_over holds what a first
 * chunk of bh_arena_init(a, n, limit) holds, and counts as much. */
#define BH_ARENA_CHUNK_HEADER 16

/* Starts an arena whose first chunk is mem[0..size) (aligned to
 * BH_ARENA_ALIGN, at least BH_ARENA_OVER_MIN bytes), lent by the caller
 * for as long as the arena lives and never freed by it; later chunks are
 * malloc'd as usual. The lent bytes count towards limit. */
void bh_arena_init_over(bh_arena *a, void *mem, size_t size, size_t limit);

/* Frees every chunk (but a lent first one). The arena may be
 * initialised again. */
void bh_arena_free(bh_arena *a);

/* Drops every piece; keeps the first chunk for reuse. */
void bh_arena_reset(bh_arena *a);

/* bh_arena_alloc when the piece does not fit in the current chunk (or
 * n is 0 or too large): a new chunk, or NULL. Callers use
 * bh_arena_alloc. */
void *bh_arena_alloc_slow(bh_arena *a, size_t n);

/* n bytes (uninitialised), aligned to BH_ARENA_ALIGN; NULL when out of
 * memory or past the limit. n == 0 gives a valid unique pointer. */
static inline void *bh_arena_alloc(bh_arena *a, size_t n)
{
    /* rounded is 0 for n == 0 and for an n that wraps around: both take
     * the slow path, as rounded - 1 is then SIZE_MAX. */
    size_t rounded = (n + BH_ARENA_ALIGN - 1) & ~(size_t)(BH_ARENA_ALIGN - 1);
    if (rounded - 1 < (size_t)(a->end - a->next)) {
        void *p = a->next;
        a->next += rounded;
        return p;
    }
    return bh_arena_alloc_slow(a, n);
}

/* n zeroed bytes; NULL as for bh_arena_alloc. */
static inline void *bh_arena_zalloc(bh_arena *a, size_t n)
{
    void *p = bh_arena_alloc(a, n);
    if (p != NULL)
        memset(p, 0, n);
    return p;
}

/* A copy of s[0..len) with a NUL after it; NULL as for bh_arena_alloc. */
static inline char *bh_arena_strndup(bh_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *p = bh_arena_alloc(a, len + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

/* A copy of the NUL-terminated s; NULL as for bh_arena_alloc. */
static inline char *bh_arena_strdup(bh_arena *a, const char *s)
{
    return bh_arena_strndup(a, s, strlen(s));
}

#endif
