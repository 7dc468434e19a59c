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
 * Memory comes in chunks: the first is embedded in the caller's buffer or
 * malloc'd at init, later ones are malloc'd as needed (at least twice the
 * previous one, or the piece's size when larger). bh_arena_reset keeps
 * the first chunk for the next request and frees the others; nothing is
 * freed piece by piece. Pieces are aligned for any C object
 * (BH_ARENA_ALIGN). A limit bounds the total a request may take: past it
 * allocations fail (NULL), as they do when malloc fails.
 *
 * Owns: the chunks. Does not own: what callers store in the pieces (no
 * destructors run). Not thread-safe: one arena per request.
 */
#ifndef BH_ARENA_H
#define BH_ARENA_H

#include <stddef.h>

#define BH_ARENA_ALIGN 16

struct bh_arena_chunk;

typedef struct bh_arena {
    struct bh_arena_chunk *chunk; /* current chunk (the newest) */
    struct bh_arena_chunk *first; /* kept across resets */
    size_t used;                  /* bytes used in the current chunk */
    size_t total;                 /* bytes of all chunks */
    size_t limit;                 /* most bytes all chunks may hold; 0: none */
} bh_arena;

/* Starts an arena whose first chunk holds first_size bytes (malloc'd
 * now), growing to at most limit bytes in all (0: no limit). Returns 0
 * or -ENOMEM. */
int bh_arena_init(bh_arena *a, size_t first_size, size_t limit);

/* Frees every chunk. The arena may be initialised again. */
void bh_arena_free(bh_arena *a);

/* Drops every piece; keeps the first chunk for reuse. */
void bh_arena_reset(bh_arena *a);

/* n bytes (uninitialised), aligned to BH_ARENA_ALIGN; NULL when out of
 * memory or past the limit. n == 0 gives a valid unique pointer. */
void *bh_arena_alloc(bh_arena *a, size_t n);

/* n zeroed bytes; NULL as for bh_arena_alloc. */
void *bh_arena_zalloc(bh_arena *a, size_t n);

/* A copy of s[0..len) with a NUL after it; NULL as for bh_arena_alloc. */
char *bh_arena_strndup(bh_arena *a, const char *s, size_t len);

/* A copy of the NUL-terminated s; NULL as for bh_arena_alloc. */
char *bh_arena_strdup(bh_arena *a, const char *s);

#endif
