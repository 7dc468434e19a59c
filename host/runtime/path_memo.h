/*
 * path_memo.h - a thread's memo of the paths plugins read cases by, so a
 * path read before is answered without walking it again.
 *
 * The plugins read the same few dozen paths of every case, most of them
 * string literals ("claim.principal"), several more than once per case
 * (view_type, then view_bool; each plugin its own "as_of"). The memo keeps
 * each such path taken apart into places: one per distinct path text and
 * each of its prefixes ("claim", "claim.interest",
 * "claim.interest.statutory"), shared by every path that has it, so
 * "claim" is looked up once per case however many paths start with it.
 * A place holds, for the case read last, the node it names there, and the
 * date or money parsed from that node, so a value is parsed once per case
 * however many plugins ask for it. Another case looks each place up again
 * from its parent's node, once (members still matched by length, then
 * bytes: every case's layout is its own): when the thread turns to it,
 * in one pass, for the places read in the case before (a portfolio's
 * cases are read alike), and any other when it is first read.
 *
 * An address says what text it holds only where that text cannot change:
 * a path is memoised only when all its bytes lie in a segment of a loaded
 * image mapped without write access (PT_LOAD without PF_W), where string
 * literals live. Any other path (a stack buffer a plugin writes
 * "documents[3].kind" into, the heap, a writable array) is walked every
 * time, as before: its address is remembered only as "walk this", which
 * holds whatever the text there becomes. The segments are taken again,
 * and everything remembered forgotten, whenever the dynamic linker's
 * counts of images loaded and unloaded have moved, which is looked at each
 * time the thread turns to another case (an image that a case's plugins
 * live in stays loaded while the case is read: its plugin set holds it).
 * Another thread may close another plugin's image meanwhile (an upload
 * drops a tenant's old set): the loader says so first
 * (bh_path_memo_image_closing), and a memo that sees it forgets everything
 * before its next answer; places keep copies of their keys, so nothing
 * the memo holds reads an image's memory after the path was taken apart.
 *
 * Per thread, so no locks: an in-process plugin runs on its loop's
 * thread, an isolated one in its worker. Made on a thread's first case
 * read (about 45 KiB), freed when the thread ends. Without memory for it,
 * every path is walked.
 *
 * Owns: remembering addresses and places, taking a path apart, looking a
 * place up on an index, the read-only test. Does not own: the path syntax
 * and the walk every other path takes (case_view.h, case_view.c), the
 * index (json_index.h), the accessors' answers and refusals (case_view.c).
 */
#ifndef BH_PATH_MEMO_H
#define BH_PATH_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "baton/plugin.h"
#include "json_index.h"

#define BH_PATH_MEMO_SLOTS  512         /* addresses; a power of two */
#define BH_PATH_MEMO_PLACES 512         /* distinct paths and prefixes */
#define BH_PATH_MEMO_STEPS  8           /* paths of more steps are walked */
#define BH_PATH_MEMO_BYTES  512         /* and longer ones */
#define BH_PATH_MEMO_RANGES 256         /* read-only segments looked in (more: walked) */
#define BH_PATH_MEMO_KEYS   (16u << 10) /* bytes of the places' keys, copied */

/* What a place names in the case of its serial. */
enum {
    BH_MEMO_MISSING = 0, /* nothing: BATON_ENOENT */
    BH_MEMO_NODE = 1,    /* node */
    BH_MEMO_AS_OF = 2,   /* the view's own as_of (the case has none): the view answers */
};

/* A value parsed from a place's node, kept while serial is the case's. */
enum { BH_MEMO_VALUE_NONE = 0, BH_MEMO_VALUE_DATE = 1, BH_MEMO_VALUE_MONEY = 2 };

/* A path's text, or a prefix of it: its parent's plus one step, a key
 * (key[0..key_len)) or a subscript (key_len 0, index). Place 0 is the
 * root (""). */
typedef struct bh_path_memo_place {
    uint64_t serial;                   /* the index node and value are of; 0: none yet */
    const bh_jnode *node;              /* BH_MEMO_NODE: the node; NULL otherwise */
    const char *key;                   /* a copy in the memo's keys: never the image's text */
    struct bh_path_memo_place *parent; /* NULL for the root */
    uint32_t index;
    uint32_t read;                      /* the memo's case count when a plugin last read it */
    uint16_t first_child, next_sibling; /* places; 0: none (0 is no child) */
    uint8_t key_len;
    uint8_t answer;
    uint8_t value_kind;
    union {
        baton_date date;
        baton_money money;
    } value;
} bh_path_memo_place;

/* An address a plugin passed: its place, or NULL (walk the path). */
typedef struct bh_path_memo_entry {
    const char *path; /* NULL: a free slot */
    bh_path_memo_place *place;
} bh_path_memo_entry;

typedef struct bh_path_memo_ranges {
    unsigned n;
    struct {
        uintptr_t lo, hi;
    } r[BH_PATH_MEMO_RANGES];
} bh_path_memo_ranges;

typedef struct bh_path_memo {
    bh_path_memo_entry slots[BH_PATH_MEMO_SLOTS]; /* open addressing from bh_path_memo_slot */
    unsigned used;                                /* slots taken: all forgotten at 3/4 */
    bh_path_memo_place places[BH_PATH_MEMO_PLACES];
    unsigned nplaces;
    uint64_t serial; /* the index this thread read last */
    uint32_t cases;  /* cases this thread turned to (wraps) */
    /* The dynamic linker's counts, and bh_path_memo_closings, when the
     * segments were taken. */
    unsigned long long adds, subs;
    uint64_t closings;
    int taken;
    bh_path_memo_ranges read_only;
    unsigned keys_used;
    char keys[BH_PATH_MEMO_KEYS];
} bh_path_memo;

/* Plugin images closed so far (bh_path_memo_image_closing), in any
 * thread: a memo that saw another count forgets everything before its
 * next answer, so an address of an image closed in the middle of a case
 * (a plugin upload on another loop dropping the old set) is never taken
 * for the text it held. */
extern uint64_t bh_path_memo_closings; /* read and written with __atomic builtins only */

/* Called before a plugin's image is closed (dlclose). */
void bh_path_memo_image_closing(void);

/* This thread's memo, or NULL before its first case read (or without
 * memory for one). Initial-exec: read with one load from the thread
 * pointer, no call, in code built position-independent too (batond,
 * baton-worker and the CLI link it statically). The installed mockhost
 * library, which an integrator may link into a shared object that is
 * itself dlopen'ed, is built with BH_PATH_MEMO_TLS empty (the default
 * model), which any object can load. */
#ifndef BH_PATH_MEMO_TLS
#define BH_PATH_MEMO_TLS __attribute__((tls_model("initial-exec")))
#endif
extern _Thread_local bh_path_memo *bh_path_memo_mine BH_PATH_MEMO_TLS;

/* The slot an address hashes to (multiplicative: literals sit a few bytes
 * apart, and the product's high bits mix all of the address's). */
static inline unsigned bh_path_memo_slot(const char *path)
{
    return (unsigned)(((uintptr_t)path * 0x9e3779b97f4a7c15ull) >> 55) & (BH_PATH_MEMO_SLOTS - 1);
}

/*
 * The place of path, looked up on index x, or NULL: walk path (not
 * memoised, x made without a serial, or no memory). Looks the place up
 * on x when it was not yet; turns the memo to x's case first when the
 * thread read another case last.
 */
bh_path_memo_place *bh_path_memo_take(const bh_jindex *x, const char *path);

/* The place of path when it is already looked up on x, else NULL (then
 * bh_path_memo_take): a few loads, no call. */
static inline bh_path_memo_place *bh_path_memo_hit(const bh_jindex *x, const char *path)
{
    bh_path_memo *m = bh_path_memo_mine;
    if (m == NULL)
        return NULL;
    if (__atomic_load_n(&bh_path_memo_closings, __ATOMIC_ACQUIRE) != m->closings)
        return NULL; /* an image closed: bh_path_memo_take forgets first */
    const bh_path_memo_entry *e = &m->slots[bh_path_memo_slot(path)];
    bh_path_memo_place *p = e->place;
    /* A free slot has no place. A slot's place was looked up when the
     * slot was taken, on an index with a serial (bh_path_memo_take takes
     * none without), so its serial is never 0, and an index without one
     * never matches it. */
    if (e->path != path || p == NULL || p->serial != x->serial)
        return NULL;
    if (p->read != m->cases)
        p->read = m->cases; /* read in this case: looked up with the next before it is asked */
    return p;
}

/* 1 when path is an address this thread's memo walks (known not to hold
 * read-only text): the walk, without asking bh_path_memo_take. */
static inline int bh_path_memo_walks(const char *path)
{
    const bh_path_memo *m = bh_path_memo_mine;
    if (m == NULL || __atomic_load_n(&bh_path_memo_closings, __ATOMIC_ACQUIRE) != m->closings)
        return 0;
    const bh_path_memo_entry *e = &m->slots[bh_path_memo_slot(path)];
    return e->path == path && e->place == NULL;
}

/*
 * For tests, which lay paths out in memory they keep unchanged and cannot
 * put in an image: [p, p + n) is taken as read-only by this thread's memo
 * (replacing what was trusted so before), until bh_path_memo_forget.
 * 0, or BATON_ENOMEM.
 */
int bh_path_memo_trust(const void *p, size_t n);

/* Everything this thread's memo holds is forgotten (and what
 * bh_path_memo_trust trusted). */
void bh_path_memo_forget(void);

/* For tests: 1 when path's bytes lie in a read-only segment of a loaded
 * image, as the memo judges it. */
int bh_path_memo_read_only(const char *path);

#endif
