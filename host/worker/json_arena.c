/* json_arena.c - JSON trees in protectable memory (json_arena.h). */
#include "json_arena.h"

#include <errno.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

/* The first chunk; later ones double, or fit one large allocation. */
#define FIRST_CHUNK (256u * 1024)
#define ALIGN       alignof(max_align_t)

struct bh_json_chunk {
    bh_json_chunk *next;
    size_t size; /* of the mapping, this header included */
    size_t used;
};

#define HEADER ((sizeof(bh_json_chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

static bh_json_chunk *chunk_map(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    bh_json_chunk *c = p;
    c->next = NULL;
    c->size = size;
    c->used = HEADER;
    return c;
}

int bh_json_arena_init(bh_json_arena *a)
{
    memset(a, 0, sizeof *a);
    a->first = chunk_map(FIRST_CHUNK);
    return a->first != NULL ? 0 : -errno;
}

static void unmap_list(bh_json_chunk *c)
{
    while (c != NULL) {
        bh_json_chunk *next = c->next;
        munmap(c, c->size);
        c = next;
    }
}

void bh_json_arena_free(bh_json_arena *a)
{
    unmap_list(a->more);
    if (a->first != NULL)
        munmap(a->first, a->first->size);
    memset(a, 0, sizeof *a);
}

void *bh_json_arena_alloc(bh_json_arena *a, size_t len)
{
    bh_json_chunk *c = a->more != NULL ? a->more : a->first;
    size_t need = (len + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (c == NULL || len > SIZE_MAX / 2) {
        a->out_of_memory = 1;
        return NULL;
    }
    if (need > c->size - c->used) {
        size_t size = c->size * 2;
        if (size < need + HEADER)
            size = (need + HEADER + 4095) & ~(size_t)4095;
        bh_json_chunk *n = chunk_map(size);
        if (n == NULL) {
            a->out_of_memory = 1;
            return NULL;
        }
        /* The newest chunk heads the list: allocation goes on there. */
        n->next = a->more;
        a->more = n;
        c = n;
    }
    void *p = (uint8_t *)c + c->used;
    c->used += need;
    return p;
}

char *bh_json_arena_strdup(bh_json_arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = bh_json_arena_alloc(a, n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

/* cJSON's hooks carry no context: the arena being parsed into. */
static bh_json_arena *parsing;

static void *hook_malloc(size_t len)
{
    return bh_json_arena_alloc(parsing, len);
}

static void hook_free(void *p)
{
    (void)p; /* freed wholesale by bh_json_arena_reset */
}

cJSON *bh_json_arena_parse(bh_json_arena *a, const char *text)
{
    cJSON_Hooks hooks = {hook_malloc, hook_free};
    parsing = a;
    cJSON_InitHooks(&hooks);
    cJSON *root = cJSON_ParseWithOpts(text, NULL, 1);
    cJSON_InitHooks(NULL);
    parsing = NULL;
    return root;
}

int bh_json_arena_protect(bh_json_arena *a, int readonly)
{
    int prot = readonly ? PROT_READ : PROT_READ | PROT_WRITE;
    if (a->first != NULL && mprotect(a->first, a->first->size, prot) != 0)
        return -errno;
    for (bh_json_chunk *c = a->more; c != NULL; c = c->next) {
        if (mprotect(c, c->size, prot) != 0)
            return -errno;
    }
    return 0;
}

void bh_json_arena_reset(bh_json_arena *a)
{
    bh_json_arena_protect(a, 0);
    unmap_list(a->more);
    a->more = NULL;
    if (a->first != NULL)
        a->first->used = HEADER;
    a->out_of_memory = 0;
}
