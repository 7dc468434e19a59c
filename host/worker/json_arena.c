/* json_arena.c - JSON trees in memory the plugin can only read (json_arena.h). */
#include "json_arena.h"

#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALIGN alignof(max_align_t)
#define PAGE  4096u

struct bh_json_chunk {
    bh_json_chunk *next;
    size_t size; /* of the mapping, this header included */
    size_t used;
};

#define HEADER ((sizeof(bh_json_chunk) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) & ~(to - 1);
}

/* The main region as a memfd mapped twice; -errno when that is not to be
 * had (the caller falls back to one private mapping). */
static int map_twice(bh_json_arena *a)
{
    int rc, fd = memfd_create("baton-case", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return -errno;
    void *rw = MAP_FAILED, *ro = MAP_FAILED;
    if (ftruncate(fd, (off_t)a->size) != 0)
        goto fail;
    rw = mmap(NULL, a->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (rw == MAP_FAILED)
        goto fail;
    /* Sealed before the second mapping: that one can never gain PROT_WRITE,
     * while the first stays writable. */
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_FUTURE_WRITE | F_SEAL_SEAL) !=
        0)
        goto fail;
    ro = mmap(NULL, a->size, PROT_READ, MAP_SHARED, fd, 0);
    if (ro == MAP_FAILED)
        goto fail;
    close(fd);
    a->rw = rw;
    a->ro = ro;
    return 0;
fail:
    rc = -errno;
    if (rw != MAP_FAILED)
        munmap(rw, a->size);
    close(fd);
    return rc;
}

int bh_json_arena_init(bh_json_arena *a, size_t size)
{
    memset(a, 0, sizeof *a);
    a->size = round_up(size < PAGE ? PAGE : size, PAGE);
    if (map_twice(a) == 0)
        return 0;
    void *p = mmap(NULL, a->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -errno;
    a->rw = p;
    return 0;
}

static void unmap_chunks(bh_json_chunk *c)
{
    while (c != NULL) {
        bh_json_chunk *next = c->next;
        munmap(c, c->size);
        c = next;
    }
}

void bh_json_arena_free(bh_json_arena *a)
{
    unmap_chunks(a->more);
    if (a->rw != NULL)
        munmap(a->rw, a->size);
    if (a->ro != NULL)
        munmap(a->ro, a->size);
    memset(a, 0, sizeof *a);
}

void *bh_json_arena_alloc(bh_json_arena *a, size_t len)
{
    size_t need = round_up(len == 0 ? 1 : len, ALIGN);
    if (a->rw == NULL || len > SIZE_MAX / 4) {
        a->out_of_memory = 1;
        return NULL;
    }
    if (a->more == NULL && need <= a->size - a->used) {
        void *p = a->rw + a->used;
        a->used += need;
        return p;
    }
    bh_json_chunk *c = a->more;
    if (c == NULL || need > c->size - c->used) {
        /* Each overflow chunk doubles the last (the first doubles the main
         * region), or fits one large allocation. */
        size_t size = c != NULL ? c->size * 2 : a->size * 2;
        if (size < need + HEADER)
            size = round_up(need + HEADER, PAGE);
        void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) {
            a->out_of_memory = 1;
            return NULL;
        }
        c = m;
        c->size = size;
        c->used = HEADER;
        c->next = a->more;
        a->more = c;
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

void *bh_json_arena_public(const bh_json_arena *a, const void *p)
{
    const uint8_t *b = p;
    if (a->ro == NULL || b < a->rw || b >= a->rw + a->size)
        return (void *)p;
    return a->ro + (b - a->rw);
}

/* Rewrites the pointers of node, its siblings after it and their
 * descendants. Follows the writable addresses it finds before rewriting
 * them; recursion is bounded by cJSON's nesting limit. */
static void seal_nodes(bh_json_arena *a, cJSON *node)
{
    while (node != NULL) {
        cJSON *child = node->child, *next = node->next;
        node->child = bh_json_arena_public(a, node->child);
        node->next = bh_json_arena_public(a, node->next);
        node->prev = bh_json_arena_public(a, node->prev);
        node->string = bh_json_arena_public(a, node->string);
        node->valuestring = bh_json_arena_public(a, node->valuestring);
        seal_nodes(a, child);
        node = next;
    }
}

const cJSON *bh_json_arena_seal(bh_json_arena *a, cJSON *root)
{
    if (a->ro == NULL || root == NULL)
        return root;
    /* The root's own siblings are not part of the tree. */
    cJSON *next = root->next;
    root->next = NULL;
    seal_nodes(a, root);
    root->next = next;
    return bh_json_arena_public(a, root);
}

int bh_json_arena_protect(bh_json_arena *a, int readonly)
{
    int prot = readonly ? PROT_READ : PROT_READ | PROT_WRITE;
    if (a->ro == NULL && a->rw != NULL && mprotect(a->rw, a->size, prot) != 0)
        return -errno;
    for (bh_json_chunk *c = a->more; c != NULL; c = c->next) {
        if (mprotect(c, c->size, prot) != 0)
            return -errno;
    }
    return 0;
}

void bh_json_arena_reset(bh_json_arena *a)
{
    if (a->ro == NULL && a->rw != NULL)
        mprotect(a->rw, a->size, PROT_READ | PROT_WRITE);
    unmap_chunks(a->more);
    a->more = NULL;
    a->used = 0;
    a->out_of_memory = 0;
}
