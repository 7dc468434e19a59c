/* path_memo.c - a thread's memo of the paths plugins read cases by (path_memo.h). */
#include "path_memo.h"

#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "case_view.h"

_Thread_local bh_path_memo *bh_path_memo_mine BH_PATH_MEMO_TLS;

uint64_t bh_path_memo_closings;

void bh_path_memo_image_closing(void)
{
    __atomic_add_fetch(&bh_path_memo_closings, 1, __ATOMIC_SEQ_CST);
}

/* What bh_path_memo_trust trusted on this thread. */
static _Thread_local uintptr_t trusted_lo, trusted_hi;

static pthread_key_t memo_key;
static pthread_once_t memo_key_once = PTHREAD_ONCE_INIT;
static int memo_key_made;

/* A thread's memo goes when the thread ends. */
static void memo_free(void *m)
{
    if (bh_path_memo_mine == m)
        bh_path_memo_mine = NULL;
    free(m);
}

static void memo_key_make(void)
{
    memo_key_made = pthread_key_create(&memo_key, memo_free) == 0;
}

static void forget_all(bh_path_memo *m)
{
    memset(m->slots, 0, sizeof m->slots);
    m->used = 0;
    memset(&m->places[0], 0, sizeof m->places[0]); /* the root, with no children */
    m->nplaces = 1;
    m->keys_used = 0;
}

static bh_path_memo *memo_new(void)
{
    pthread_once(&memo_key_once, memo_key_make);
    if (!memo_key_made)
        return NULL;
    bh_path_memo *m = calloc(1, sizeof *m);
    if (m == NULL)
        return NULL;
    if (pthread_setspecific(memo_key, m) != 0) {
        free(m);
        return NULL;
    }
    forget_all(m);
    bh_path_memo_mine = m;
    return m;
}

/* The dynamic linker's counts of images loaded and unloaded so far (the
 * same in every image's record: the first one answers). */
static int counts_of(struct dl_phdr_info *info, size_t size, void *data)
{
    unsigned long long *counts = data;
    if (size < offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs)
        return 1; /* no counts: 0 and 0, so the segments are taken once */
    counts[0] = info->dlpi_adds;
    counts[1] = info->dlpi_subs;
    return 1;
}

/* Every loaded image's segments mapped without write access. */
static int read_only_of(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    bh_path_memo_ranges *ro = data;
    for (unsigned i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W) != 0 || ph->p_memsz == 0)
            continue;
        if (ro->n == BH_PATH_MEMO_RANGES)
            return 1;
        uintptr_t lo = (uintptr_t)info->dlpi_addr + (uintptr_t)ph->p_vaddr;
        ro->r[ro->n].lo = lo;
        ro->r[ro->n].hi = lo + (uintptr_t)ph->p_memsz;
        ro->n++;
    }
    return 0;
}

/* On the thread's turn to another case (x): when images were loaded or
 * unloaded since the segments were taken, an address may now hold other
 * text, so everything goes (1) and the segments are taken again. */
static int another_case(bh_path_memo *m, const bh_jindex *x)
{
    unsigned long long counts[2] = {0, 0};
    uint64_t closings = __atomic_load_n(&bh_path_memo_closings, __ATOMIC_ACQUIRE);
    m->serial = x->serial;
    dl_iterate_phdr(counts_of, counts);
    if (m->taken && counts[0] == m->adds && counts[1] == m->subs && closings == m->closings)
        return 0;
    m->closings = closings;
    forget_all(m);
    m->read_only.n = 0;
    dl_iterate_phdr(read_only_of, &m->read_only);
    m->adds = counts[0];
    m->subs = counts[1];
    m->taken = 1;
    return 1;
}

/* 1 when bytes [p, p + n) lie in one of the segments ro. */
static int in_ranges(const bh_path_memo_ranges *ro, const char *p, size_t n)
{
    uintptr_t lo = (uintptr_t)p, hi = lo + n;
    if (hi < lo)
        return 0;
    for (unsigned i = 0; i < ro->n; i++) {
        if (lo >= ro->r[i].lo && hi <= ro->r[i].hi)
            return 1;
    }
    return 0;
}

static int in_read_only(const bh_path_memo *m, const char *p, size_t n)
{
    uintptr_t lo = (uintptr_t)p;
    if (lo >= trusted_lo && lo + n <= trusted_hi && lo + n >= lo)
        return 1;
    return in_ranges(&m->read_only, p, n);
}

/* The child of place parent for the step key[0..key_len) (key_len 0: the
 * subscript index), made when there is none: its number, or 0 when the
 * places are all taken. */
static unsigned child_of(bh_path_memo *m, unsigned parent, const char *key, size_t key_len,
                         size_t index)
{
    bh_path_memo_place *p = &m->places[parent];
    for (unsigned c = p->first_child; c != 0; c = m->places[c].next_sibling) {
        const bh_path_memo_place *q = &m->places[c];
        if (q->key_len == key_len &&
            (key_len == 0 ? q->index == index : memcmp(q->key, key, key_len) == 0))
            return c;
    }
    if (m->nplaces == BH_PATH_MEMO_PLACES || key_len > BH_PATH_MEMO_KEYS - m->keys_used)
        return 0;
    unsigned c = m->nplaces++;
    bh_path_memo_place *q = &m->places[c];
    memset(q, 0, sizeof *q);
    q->key = NULL;
    if (key_len != 0) {
        q->key = memcpy(m->keys + m->keys_used, key, key_len);
        m->keys_used += (unsigned)key_len;
    }
    q->key_len = (uint8_t)key_len;
    q->index = (uint32_t)index;
    q->parent = p;
    q->next_sibling = p->first_child;
    p->first_child = (uint16_t)c;
    return c;
}

/* Why a path is not memoised. */
enum { TAKEN = 0, MALFORMED = 1, TOO_LONG = 2, FULL = 3, WRITABLE = 4 };

/*
 * path (read-only text) taken apart by the rules of the index's own walk
 * (case_view.c index_lookup, case_view.h) into places: TAKEN with *place,
 * or why not (a malformed path is walked, so its malformed part is
 * refused where the walk reaches it, as always).
 */
static int take_apart(bh_path_memo *m, const char *path, unsigned *place)
{
    const char *p = path;
    unsigned at = 0, steps = 0;
    if (*p != '\0') {
        for (;;) {
            if (*p != '[') {
                const char *k = p;
                while (!bh_path_ends_key[(unsigned char)*p])
                    p++;
                size_t klen = (size_t)(p - k);
                if (klen == 0 || klen > BH_PATH_MAX_KEY)
                    return MALFORMED;
                if (++steps > BH_PATH_MEMO_STEPS)
                    return TOO_LONG;
                if ((at = child_of(m, at, k, klen, 0)) == 0)
                    return FULL;
            }
            while (*p == '[') {
                size_t idx;
                if (bh_path_index_at(&p, &idx) != 0)
                    return MALFORMED;
                if (++steps > BH_PATH_MEMO_STEPS)
                    return TOO_LONG;
                if ((at = child_of(m, at, NULL, 0, idx)) == 0)
                    return FULL;
            }
            if (*p == '\0')
                break;
            if (*p != '.' || p[1] == '[')
                return MALFORMED;
            p++;
        }
    }
    *place = at;
    return TAKEN;
}

/* The first member key[0..len) among nodes [c, end), or NULL. */
static inline const bh_jnode *first_with_key(const bh_jnode *c, const bh_jnode *end,
                                             const char *key, size_t len)
{
    for (; c < end; c++) {
        if (c->key_len == len && bh_jindex_key_equal(c->key, key, len))
            return c;
    }
    return NULL;
}

/* Place c looked up on x from its parent's answer (already x's): the
 * walk's step (case_view.c index_lookup), from the root's directory for
 * a member of the root. */
static inline __attribute__((always_inline)) void
look_up(const bh_jindex *x, const bh_path_memo_place *parent, bh_path_memo_place *c)
{
    const bh_jnode *n = NULL, *pn = parent->node;
    c->serial = x->serial;
    c->value_kind = BH_MEMO_VALUE_NONE;
    c->answer = BH_MEMO_MISSING;
    if (parent->answer == BH_MEMO_NODE) { /* else below nothing, or the view's as_of (a string) */
        const bh_jnode *kids = &x->nodes[pn->first], *end = kids + pn->count;
        if (c->key_len == 0) {
            if (pn->type == BATON_VIEW_ARRAY && c->index < pn->count)
                n = &kids[c->index];
        } else if (pn->type == BATON_VIEW_OBJECT) {
            if (parent->parent == NULL) {
                /* The root: from its first child whose key could match. */
                unsigned from =
                    x->root_from[bh_jindex_root_slot(c->key_len, (unsigned char)c->key[0])];
                kids = from != 0 ? kids + from - 1 : end;
            }
            n = first_with_key(kids, end, c->key, c->key_len);
        }
        if (n == NULL && parent->parent == NULL && c->key_len == 5 &&
            memcmp(c->key, "as_of", 5) == 0)
            c->answer = BH_MEMO_AS_OF;
    }
    c->node = n;
    if (n != NULL)
        c->answer = BH_MEMO_NODE;
}

/* Place p and the places above it looked up on x, from the nearest one
 * already looked up there (or the root) down, all marked read in this
 * case. */
static void look_up_path(bh_path_memo *m, const bh_jindex *x, bh_path_memo_place *p)
{
    bh_path_memo_place *chain[BH_PATH_MEMO_STEPS + 1];
    bh_path_memo_place *root = &m->places[0];
    unsigned n = 0;
    if (root->serial != x->serial) {
        root->serial = x->serial;
        root->node = &x->nodes[0];
        root->answer = BH_MEMO_NODE;
        root->value_kind = BH_MEMO_VALUE_NONE;
    }
    for (bh_path_memo_place *q = p; q->serial != x->serial; q = q->parent)
        chain[n++] = q;
    while (n-- > 0) {
        look_up(x, chain[n]->parent, chain[n]);
        chain[n]->read = m->cases; /* so the next case looks it up in one pass */
    }
}

/* On the thread's turn to x: the places read in the case before looked
 * up on x in one pass, parents before children (a place is made after
 * its parent), so the first reads of this case find them looked up. */
static void look_up_read(bh_path_memo *m, const bh_jindex *x)
{
    const uint32_t before = m->cases++, now = m->cases;
    const uint64_t serial = x->serial;
    bh_path_memo_place *root = &m->places[0], *end = &m->places[m->nplaces];
    root->serial = serial;
    root->node = &x->nodes[0];
    root->answer = BH_MEMO_NODE;
    root->value_kind = BH_MEMO_VALUE_NONE;
    for (bh_path_memo_place *q = root + 1; q < end; q++) {
        if (q->read != before)
            continue;
        bh_path_memo_place *parent = q->parent;
        if (parent->serial != serial)
            look_up_path(m, x, parent); /* a parent not read itself */
        parent->read = now;             /* needed while a child is read */
        look_up(x, parent, q);
    }
}

/* The slot of path: its own, or a free one where it goes. */
static bh_path_memo_entry *slot_of(bh_path_memo *m, const char *path)
{
    for (unsigned i = bh_path_memo_slot(path);; i = (i + 1) & (BH_PATH_MEMO_SLOTS - 1)) {
        bh_path_memo_entry *e = &m->slots[i];
        if (e->path == path || e->path == NULL)
            return e;
    }
}

bh_path_memo_place *bh_path_memo_take(const bh_jindex *x, const char *path)
{
    if (x->serial == 0 || path == NULL)
        return NULL;
    bh_path_memo *m = bh_path_memo_mine;
    if (m == NULL && (m = memo_new()) == NULL)
        return NULL;
    if ((m->serial != x->serial ||
         __atomic_load_n(&bh_path_memo_closings, __ATOMIC_ACQUIRE) != m->closings) &&
        !another_case(m, x))
        look_up_read(m, x);
    bh_path_memo_entry *e = slot_of(m, path);
    if (e->path == NULL) {
        if (m->used >= BH_PATH_MEMO_SLOTS / 4 * 3) {
            forget_all(m);
            e = slot_of(m, path);
        }
        /* Only text that cannot change is taken apart: places point into it. */
        unsigned place = 0;
        size_t len = strnlen(path, BH_PATH_MEMO_BYTES + 1);
        int why = len > BH_PATH_MEMO_BYTES || !in_read_only(m, path, len + 1)
                      ? WRITABLE
                      : take_apart(m, path, &place);
        if (why == FULL) {
            /* Every place taken: start afresh (a path has few steps). */
            forget_all(m);
            e = slot_of(m, path);
            why = take_apart(m, path, &place);
        }
        e->path = path;
        e->place = why == TAKEN ? &m->places[place] : NULL;
        m->used++;
        /* A malformed path may have made places for its first steps: they
         * stay, unused until another path shares them. */
    }
    if (e->place == NULL)
        return NULL;
    if (e->place->serial != x->serial)
        look_up_path(m, x, e->place);
    return e->place;
}

int bh_path_memo_trust(const void *p, size_t n)
{
    bh_path_memo_forget();
    trusted_lo = (uintptr_t)p;
    trusted_hi = (uintptr_t)p + n;
    if (bh_path_memo_mine == NULL && memo_new() == NULL)
        return BATON_ENOMEM;
    return 0;
}

void bh_path_memo_forget(void)
{
    trusted_lo = trusted_hi = 0;
    if (bh_path_memo_mine != NULL)
        forget_all(bh_path_memo_mine);
}

int bh_path_memo_read_only(const char *path)
{
    bh_path_memo_ranges *ro = calloc(1, sizeof *ro);
    if (ro == NULL)
        return 0;
    dl_iterate_phdr(read_only_of, ro);
    int yes = in_ranges(ro, path, strlen(path) + 1);
    free(ro);
    return yes;
}
