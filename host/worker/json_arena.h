/*
 * json_arena.h - parsing JSON into memory that can be made read-only.
 *
 * The case a plugin reads is a cJSON tree the worker parsed from the CALL
 * frame. A plugin that casts away the view's const and writes into it
 * would, in process, change the case every later plugin sees; in the
 * worker such a write must crash instead. So the tree is parsed into an
 * arena of anonymous mappings (cJSON's allocation hooks point at the arena
 * during the parse only), and the arena is mprotect'ed PROT_READ for the
 * duration of the plugin call.
 *
 * Owns: the mappings. A tree parsed here must never be given to
 * cJSON_Delete: bh_json_arena_reset frees it wholesale. Single-threaded.
 */
#ifndef BH_WORKER_JSON_ARENA_H
#define BH_WORKER_JSON_ARENA_H

#include <stddef.h>

#include <cjson/cJSON.h>

typedef struct bh_json_chunk bh_json_chunk;

typedef struct bh_json_arena {
    bh_json_chunk *first; /* kept across resets */
    bh_json_chunk *more;  /* chunks past the first, unmapped on reset */
    int out_of_memory;    /* an allocation failed since the last reset */
} bh_json_arena;

/* Maps the first chunk: 0 or -errno. */
int bh_json_arena_init(bh_json_arena *a);
/* Unmaps everything. */
void bh_json_arena_free(bh_json_arena *a);

/* len bytes aligned for any type, or NULL (and out_of_memory). */
void *bh_json_arena_alloc(bh_json_arena *a, size_t len);
/* A copy of s in the arena, or NULL. */
char *bh_json_arena_strdup(bh_json_arena *a, const char *s);

/*
 * Parses text (NUL-terminated, nothing after the value but white space)
 * into the arena and restores cJSON's default allocator before returning.
 * NULL when text is not JSON or the arena ran out (then out_of_memory).
 */
cJSON *bh_json_arena_parse(bh_json_arena *a, const char *text);

/* Makes every chunk read-only (readonly != 0) or writable again: 0 or
 * -errno. */
int bh_json_arena_protect(bh_json_arena *a, int readonly);

/* Writable again and empty: the first chunk is kept, the rest unmapped. */
void bh_json_arena_reset(bh_json_arena *a);

#endif
