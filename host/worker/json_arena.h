/*
 * json_arena.h - parsing JSON into memory the plugin can only read.
 *
 * The case a plugin reads is a cJSON tree the worker parsed from the CALL
 * frame. A plugin that casts away the view's const and writes into it
 * would, in process, change the case every later plugin sees; in the
 * worker such a write must crash instead. So the tree is parsed into an
 * arena (cJSON's allocation hooks point at it during the parse only) and
 * handed to the plugin read-only.
 *
 * Read-only without a system call per call: the arena's main region is a
 * memfd mapped twice, once writable (the parser builds the tree there) and
 * once read-only (what the plugin gets). bh_json_arena_seal rewrites the
 * tree's pointers into the read-only view; the read-only mapping was made
 * after the memfd was sealed against writes (F_SEAL_FUTURE_WRITE), so it
 * can never be mprotect'ed writable either. Toggling protection with
 * mprotect around each call instead costs two TLB flushes per call: 50 to
 * 1000 us each on the paravirtualised development machine, against a
 * 20 us round trip.
 *
 * A tree that outgrows the main region goes on in overflow chunks
 * (private mappings), which bh_json_arena_protect makes read-only for the
 * call with mprotect; so does the main region where memfd is not
 * available.
 *
 * Owns: the mappings. A tree parsed here must never be given to
 * cJSON_Delete: bh_json_arena_reset frees it wholesale. Single-threaded.
 */
#ifndef BH_WORKER_JSON_ARENA_H
#define BH_WORKER_JSON_ARENA_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

typedef struct bh_json_chunk bh_json_chunk;

typedef struct bh_json_arena {
    uint8_t *rw;         /* the main region, writable */
    uint8_t *ro;         /* its read-only view, or NULL (then rw is mprotect'ed) */
    size_t size, used;   /* of the main region */
    bh_json_chunk *more; /* overflow chunks, newest first; unmapped on reset */
    int out_of_memory;   /* an allocation failed since the last reset */
} bh_json_arena;

/* Maps a main region of size bytes (rounded up to pages): 0 or -errno. */
int bh_json_arena_init(bh_json_arena *a, size_t size);
/* Unmaps everything. */
void bh_json_arena_free(bh_json_arena *a);

/* len writable bytes aligned for any type, or NULL (and out_of_memory). */
void *bh_json_arena_alloc(bh_json_arena *a, size_t len);
/* A copy of s in the arena, or NULL. */
char *bh_json_arena_strdup(bh_json_arena *a, const char *s);

/*
 * Parses text (NUL-terminated, nothing after the value but white space)
 * into the arena and restores cJSON's default allocator before returning.
 * NULL when text is not JSON or the arena ran out (then out_of_memory).
 * The tree is writable until sealed.
 */
cJSON *bh_json_arena_parse(bh_json_arena *a, const char *text);

/* Where the plugin sees p, a pointer bh_json_arena_alloc returned: its
 * address in the read-only view (p itself outside the main region). */
void *bh_json_arena_public(const bh_json_arena *a, const void *p);

/* Moves a parsed tree's pointers into the read-only view; returns the
 * root as the plugin sees it. The tree is no longer changed after this. */
const cJSON *bh_json_arena_seal(bh_json_arena *a, cJSON *root);

/* Makes the memory that has no read-only view (overflow chunks; the main
 * region without memfd) read-only (readonly != 0) or writable again: 0 or
 * -errno. No system call when there is nothing to protect. */
int bh_json_arena_protect(bh_json_arena *a, int readonly);

/* Empties the arena: the main region is kept, overflow chunks unmapped. */
void bh_json_arena_reset(bh_json_arena *a);

#endif
