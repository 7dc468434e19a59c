/* result.c - the evaluation answer builder (result.h). */
#include "result.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "builder_rules.h"
#include "decimal_text.h"
#include "call_reason.h"
#include "json_index.h"
#include "json_input.h"
#include "money_text.h"

#define MAX_JSON_INT INT64_C(9007199254740992) /* 2^53: JSON numbers stay exact below */

/* A finding or a cost: its fields, or (from a prior answer) its JSON. */
struct bh_rfinding {
    struct bh_rfinding *next;
    const char *category, *code, *status, *text, *basis, *plugin;
    const cJSON *raw; /* the whole item in a prior answer (borrowed), or NULL */
    /* the texts' lengths, taken where they are copied (the answer's writer
     * reads them instead of scanning each text for its end) */
    size_t category_len, code_len, status_len, text_len, basis_len, plugin_len;
};

struct bh_rcost {
    struct bh_rcost *next;
    const char *kind, *label, *basis, *plugin;
    baton_money amount;
    char amount_text[32]; /* bh_money_format of amount */
    const cJSON *raw;     /* the whole item in a prior answer (borrowed), or NULL */
    size_t kind_len, label_len, basis_len, plugin_len, amount_len; /* as in bh_rfinding */
};

enum fact_kind { FACT_OBJECT, FACT_STRING, FACT_INT, FACT_RAW };

/* A node of the facts tree: an object with children, or a leaf. */
struct bh_rfact {
    struct bh_rfact *next; /* the next sibling */
    struct bh_rfact *child, *last_child;
    const char *key;
    size_t key_len;
    enum fact_kind kind;
    int key_unchecked; /* copied from a prior answer: escaped when written */
    union {            /* by kind */
        struct {
            const char *text; /* FACT_STRING */
            size_t text_len;  /* FACT_STRING: taken where text is copied */
        };
        int64_t i;         /* FACT_INT */
        const cJSON *json; /* FACT_RAW: a value in a prior answer (borrowed) */
        /* FACT_OBJECT: a bit per child, by name_bit of its name, so a
         * name whose bit is clear is no child's (fact_place then need
         * not pass over the children to know a new fact is new) */
        uint64_t names;
    };
};

/* r (zeroed) made an empty result over its arena, already started. */
static int result_start(baton_result *r)
{
    r->facts = bh_arena_zalloc(&r->arena, sizeof *r->facts);
    if (r->facts == NULL)
        return BATON_ENOMEM;
    r->facts->kind = FACT_OBJECT;
    r->view = bh_view_of(NULL);
    r->view.result = r;
    r->cursor = &r->cursor_store;
    return 0;
}

/* The bit of names a child named key[0..len) sets: any function of the
 * name would do; this one reads two bytes and the length. */
static inline uint64_t name_bit(const char *key, size_t len)
{
    unsigned last = len > 0 ? (unsigned char)key[len - 1] : 0;
    return (uint64_t)1 << (((unsigned char)key[0] + last * 3 + (unsigned)len * 5) & 63);
}

static baton_result *result_alloc(void)
{
    baton_result *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    if (bh_arena_init(&r->arena, BH_RESULT_FIRST, BH_RESULT_MAX_BYTES) != 0 ||
        result_start(r) != 0) {
        bh_arena_free(&r->arena);
        free(r);
        return NULL;
    }
    return r;
}

baton_result *bh_result_new(void)
{
    return result_alloc();
}

baton_result *bh_result_new_in(bh_arena *from, size_t first)
{
    if (first < BH_ARENA_OVER_MIN)
        first = BH_ARENA_OVER_MIN;
    baton_result *r = bh_arena_alloc(from, sizeof *r);
    void *mem = bh_arena_alloc(from, BH_ARENA_CHUNK_HEADER + first);
    if (r == NULL || mem == NULL)
        return NULL;
    memset(r, 0, sizeof *r);
    bh_arena_init_over(&r->arena, mem, BH_ARENA_CHUNK_HEADER + first, BH_RESULT_MAX_BYTES);
    r->in_arena = 1;
    if (result_start(r) != 0) {
        bh_arena_free(&r->arena);
        return NULL;
    }
    return r;
}

void bh_result_free(baton_result *r)
{
    if (r == NULL)
        return;
    bh_arena_free(&r->arena);
    if (!r->in_arena)
        free(r);
}

void bh_result_set_plugin(baton_result *r, const char *plugin)
{
    r->plugin = plugin;
    r->plugin_len = plugin != NULL ? strlen(plugin) : 0;
}

int bh_result_empty(const baton_result *r)
{
    return r->findings == NULL && r->costs == NULL && r->facts->child == NULL;
}

/* Each status's name and its length, by the status's value (1 to 5). */
static const struct {
    const char *name;
    size_t len;
} statuses[] = {
    [BATON_FINDING_MET] = {"met", 3},     [BATON_FINDING_MISSING] = {"missing", 7},
    [BATON_FINDING_BLOCK] = {"block", 5}, [BATON_FINDING_INFO] = {"info", 4},
    [BATON_FINDING_WARN] = {"warn", 4},
};

const char *bh_finding_status_name(enum baton_finding_status s)
{
    return (unsigned)s < sizeof statuses / sizeof statuses[0] ? statuses[s].name : NULL;
}

/* The decimal text of m into buf (32 bytes); 0, or -1 when m cannot be an
 * answer's money: |minor| above 2^53 (the "minor" number must stay
 * exact) or an unknown currency. */
static int money_text(baton_money m, char *buf)
{
    if (m.minor > MAX_JSON_INT || m.minor < -MAX_JSON_INT)
        return -1;
    if (bh_currency_exponent(m.currency) < 0 || bh_money_format(m, buf, 32) != 0)
        return -1;
    return 0;
}

/* Room put_money takes beyond its amount text. */
#define MONEY_FIXED (sizeof "{\"amount\":\"\",\"currency\":\"XXX\",\"minor\":}" - 1 + BH_JW_INT_MAX)

/* {"amount":"<text>","currency":"<code>","minor":<minor>} at out (room
 * MONEY_FIXED + text_len); currency is three bytes (a rule-checked code). */
static char *put_money(char *out, const char *text, size_t text_len, const char *currency,
                       int64_t minor)
{
    out = bh_jw_put_lit(out, "{\"amount\":");
    out = bh_jw_put_plain(out, text, text_len);
    out = bh_jw_put_lit(out, ",\"currency\":\"");
    memcpy(out, currency, 3);
    out = bh_jw_put_lit(out + 3, "\",\"minor\":");
    out = bh_jw_put_int(out, minor);
    *out++ = '}';
    return out;
}

cJSON *bh_money_json(baton_money m)
{
    char amount[32];
    if (money_text(m, amount) != 0)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return NULL;
    if (cJSON_AddStringToObject(o, "amount", amount) == NULL ||
        cJSON_AddStringToObject(o, "currency", m.currency) == NULL ||
        cJSON_AddNumberToObject(o, "minor", (double)m.minor) == NULL) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* A copy of s[0..len] (its NUL included) at *at, which moves past it. */
static const char *put_text(char **at, const char *s, size_t len)
{
    char *c = *at;
    memcpy(c, s, len + 1);
    *at = c + len + 1;
    return c;
}

/* Copies s[0..n) to d, n at most a fact key and its NUL: by 8-byte
 * words, the last one overlapping (inside both, as they hold n bytes),
 * shorter ones by 4-byte words or bytes. */
static inline void copy_key(char *d, const char *s, size_t n)
{
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8)
            memcpy(d + i, s + i, 8);
        memcpy(d + n - 8, s + n - 8, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(d, &a, 4);
        memcpy(d + n - 4, &b, 4);
    } else {
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    }
}

/* The same for a code (its length at most BATON_CODE_MAX, its NUL
 * after it), copied with it by copy_key. */
static inline const char *put_code(char **at, const char *s, size_t len)
{
    char *c = *at;
    copy_key(c, s, len + 1);
    *at = c + len + 1;
    return c;
}

/* The refusal the full rule words for what a quick check turned down: the
 * quick check and the rule agree, but should they ever drift, an argument
 * the quick check refused is still refused, never taken as done. */
static int worded(int rc)
{
    return rc != 0 ? rc : BATON_EINVAL;
}

int bh_result_finding(baton_result *r, const char *category, const char *code,
                      enum baton_finding_status status, const char *text, const char *basis)
{
    if (r == NULL)
        return bh_refuse(BATON_EINVAL, "result_finding: no result to write to");
    size_t category_len = bh_code_len(category), code_len = bh_code_len(code);
    if (category_len == 0 || code_len == 0 ||
        (unsigned)status >= sizeof statuses / sizeof statuses[0] || statuses[status].name == NULL ||
        text == NULL)
        return worded(bh_rule_finding(category, code, status, text));
    /* The record and its four texts in one piece. */
    size_t text_len = strlen(text), basis_len = basis != NULL ? strlen(basis) : 0;
    size_t size = sizeof(struct bh_rfinding) + category_len + code_len + text_len + 3 +
                  (basis != NULL ? basis_len + 1 : 0);
    struct bh_rfinding *f = bh_arena_alloc(&r->arena, size);
    if (f == NULL)
        return BATON_ENOMEM;
    char *at = (char *)(f + 1);
    f->next = NULL;
    f->category = put_code(&at, category, category_len);
    f->code = put_code(&at, code, code_len);
    f->status = statuses[status].name;
    f->text = put_text(&at, text, text_len);
    f->basis = basis != NULL ? put_text(&at, basis, basis_len) : NULL;
    f->plugin = r->plugin; /* borrowed: the plugin outlives its result */
    f->raw = NULL;
    f->category_len = category_len;
    f->code_len = code_len;
    f->status_len = statuses[status].len;
    f->text_len = text_len;
    f->basis_len = basis_len;
    f->plugin_len = r->plugin_len;
    if (r->findings_tail != NULL)
        r->findings_tail->next = f;
    else
        r->findings = f;
    r->findings_tail = f;
    r->finding_count++;
    return 0;
}

int bh_result_line_item(baton_result *r, const char *kind, const char *label, baton_money amount,
                        const char *basis)
{
    if (r == NULL)
        return bh_refuse(BATON_EINVAL, "result_line_item: no result to write to");
    /* bh_rule_line_item's quick yes (a kind of the list, a label, money
     * the answer can carry), the exponent kept for the amount's text;
     * anything else is worded by the rule. */
    size_t kind_len = bh_code_len(kind);
    int exponent = bh_money_quick_exponent(amount);
    if (!bh_line_item_kind(kind, kind_len) || label == NULL || exponent < 0)
        return worded(bh_rule_line_item(kind, label, amount));
    /* The record and its three texts in one piece. */
    size_t label_len = strlen(label);
    size_t basis_len = basis != NULL ? strlen(basis) : 0;
    size_t size =
        sizeof(struct bh_rcost) + kind_len + label_len + 2 + (basis != NULL ? basis_len + 1 : 0);
    struct bh_rcost *c = bh_arena_alloc(&r->arena, size);
    if (c == NULL)
        return BATON_ENOMEM;
    c->amount_len = bh_money_put(c->amount_text, amount.minor, exponent);
    c->amount_text[c->amount_len] = '\0';
    char *at = (char *)(c + 1);
    c->next = NULL;
    c->kind = put_code(&at, kind, kind_len);
    c->label = put_text(&at, label, label_len);
    c->basis = basis != NULL ? put_text(&at, basis, basis_len) : NULL;
    c->plugin = r->plugin;
    c->plugin_len = r->plugin_len;
    c->amount = amount;
    c->raw = NULL;
    c->kind_len = kind_len;
    c->label_len = label_len;
    c->basis_len = basis_len;
    if (r->costs_tail != NULL)
        r->costs_tail->next = c;
    else
        r->costs = c;
    r->costs_tail = c;
    r->cost_count++;
    return 0;
}

/* The child of node named key[0..len) (len >= 1), or NULL. A name whose
 * bit is clear in the node's names is none of its children's; else the
 * newest child is asked first: a plugin sets a group's facts one after
 * another. */
static inline __attribute__((always_inline)) struct bh_rfact *
fact_child(const struct bh_rfact *node, const char *key, size_t len)
{
    struct bh_rfact *last = node->last_child;
    if (last == NULL || !(node->names & name_bit(key, len)))
        return NULL;
    if (last->key_len == len && bh_jindex_key_equal(last->key, key, len))
        return last;
    for (struct bh_rfact *c = node->child; c != last; c = c->next) {
        if (c->key_len == len && bh_jindex_key_equal(c->key, key, len))
            return c;
    }
    return NULL;
}

/* Links f as the last child of parent (its name's bit set there). */
static inline void fact_append(struct bh_rfact *parent, struct bh_rfact *f)
{
    if (parent->last_child != NULL)
        parent->last_child->next = f;
    else
        parent->child = f;
    parent->last_child = f;
    parent->names |= name_bit(f->key, f->key_len);
}

/* A new last child of parent named key[0..len), the name borrowed (it
 * must outlive the result); NULL when out of memory. */
static struct bh_rfact *fact_link(baton_result *r, struct bh_rfact *parent, const char *key,
                                  size_t len, enum fact_kind kind)
{
    struct bh_rfact *f = bh_arena_zalloc(&r->arena, sizeof *f);
    if (f == NULL)
        return NULL;
    f->key = key;
    f->key_len = len;
    f->kind = kind;
    fact_append(parent, f);
    return f;
}

/* The same with the name key copied into the result. */
static struct bh_rfact *fact_add(baton_result *r, struct bh_rfact *parent, const char *key,
                                 enum fact_kind kind)
{
    size_t len = strlen(key);
    const char *copy = bh_arena_strndup(&r->arena, key, len);
    return copy != NULL ? fact_link(r, parent, copy, len, kind) : NULL;
}

/* fact_place_walk's refusal of a key whose part taken[0..taken_len) is
 * a fact already: a broken rule anywhere in the key first, then the
 * limit, then which of the two ways the key is taken. */
static int fact_taken(const baton_result *r, const char *key, const char *taken, size_t taken_len)
{
    int rc = bh_rule_fact_key(key);
    if (rc != 0)
        return rc;
    if (r->fact_count >= BH_RESULT_MAX_FACTS)
        return bh_refuse(BATON_ELIMIT,
                         "fact %s: the answer already holds %d facts, the most one "
                         "evaluation may set",
                         key, BH_RESULT_MAX_FACTS);
    if (taken[taken_len] == '\0')
        return bh_refuse(BATON_EEXIST, "fact %s: already set (each fact is set once)", key);
    return bh_refuse(BATON_EEXIST, "fact %s: %.*s is already a fact, not a group of facts", key,
                     (int)taken_len, taken);
}

/*
 * The leaf for facts.<key>, with the intermediate objects of a dotted key
 * made on the way (an existing object, a money fact included, is gone
 * into). Returns 0 and *out, or BATON_EINVAL (bad key), BATON_ELIMIT (too
 * many facts), BATON_EEXIST (the key, or a prefix of it as a leaf, is
 * taken) or BATON_ENOMEM, in that order of precedence: nothing changes
 * unless the whole key keeps the rule (builder_rules.h) and is free.
 *
 * One pass over the key checks each part against the rule and follows
 * the groups it names from the root (fact_place, before it, takes a key
 * that only adds a name to the last fact's group, and fact_place_group a
 * key that starts a new group of one fact); the nodes still
 * missing are then made in one piece with
 * their names (one copy of the rest of the key, each '.' made the end of
 * a name) and extra bytes for the caller's value at *extra_at (aligned
 * for any record).
 */
static __attribute__((noinline)) int fact_place_walk(baton_result *r, const char *key,
                                                     enum fact_kind kind, size_t extra,
                                                     struct bh_rfact **out, void **extra_at)
{
    if (r == NULL)
        return bh_refuse(BATON_EINVAL, "result fact: no result to write to");
    if (key == NULL)
        return bh_rule_fact_key(key);
    /* A key has at most (BATON_FACT_KEY_MAX + 1) / 2 parts. */
    unsigned char lens[(BATON_FACT_KEY_MAX + 1) / 2];
    const char *part = key, *p;
    struct bh_rfact *node = r->facts, *child;
    size_t n, parts = 0;
    /* The groups the key names that exist, down to its first new part. */
    for (;;) {
        p = bh_code_run(part);
        n = (size_t)(p - part);
        if (n == 0 || n > BATON_CODE_MAX || (size_t)(p - key) > BATON_FACT_KEY_MAX ||
            (*p != '.' && *p != '\0'))
            return worded(bh_rule_fact_key(key));
        if ((child = fact_child(node, part, n)) == NULL)
            break;
        if (*p == '\0' || child->kind != FACT_OBJECT)
            return fact_taken(r, key, part, n); /* the whole key, or a part holding a value */
        node = child;
        part = p + 1;
    }
    /* The parts still to make, from part on: each checked, its length kept. */
    const char *rest = part;
    lens[parts++] = (unsigned char)n;
    while (*p == '.') {
        part = ++p;
        p = bh_code_run(p);
        n = (size_t)(p - part);
        if (n == 0 || n > BATON_CODE_MAX || (size_t)(p - key) > BATON_FACT_KEY_MAX ||
            (*p != '.' && *p != '\0'))
            return worded(bh_rule_fact_key(key));
        lens[parts++] = (unsigned char)n;
    }
    if (r->fact_count >= BH_RESULT_MAX_FACTS)
        return bh_refuse(BATON_ELIMIT,
                         "fact %s: the answer already holds %d facts, the most one "
                         "evaluation may set",
                         key, BH_RESULT_MAX_FACTS);
    size_t nodes = parts * sizeof(struct bh_rfact), names = (size_t)(p - rest) + 1;
    struct bh_rfact *f = bh_arena_alloc(&r->arena, nodes + extra + names);
    if (f == NULL)
        return BATON_ENOMEM;
    char *name = (char *)f + nodes + extra;
    struct bh_rfact *group = node;
    copy_key(name, rest, names);
    for (size_t i = 0; i < parts; i++) {
        struct bh_rfact *c = &f[i];
        group = node;
        name[lens[i]] = '\0';
        c->next = c->child = c->last_child = NULL;
        c->key = name;
        c->key_len = lens[i];
        c->kind = i + 1 < parts ? FACT_OBJECT : kind;
        c->key_unchecked = 0;
        c->names = 0;
        fact_append(node, c);
        node = c;
        name += lens[i] + 1;
    }
    r->fact_count++;
    /* The leaf's parent is the last fact's group from now on; its path
     * ends where the leaf's name starts. */
    if (group != r->last_group) {
        r->last_group = group;
        r->last_group_len = (size_t)(part - key);
        copy_key(r->last_group_key, key, r->last_group_len);
    }
    *out = node;
    *extra_at = (char *)f + nodes;
    return 0;
}

/*
 * fact_place_walk's answer for a key naming a group the facts do not
 * have yet, at the top, and one fact in it ("limitation.accrual" before
 * any "limitation."): both parts checked, the group known new by its
 * bit in the root's names, the group, the leaf and their names made in
 * one piece, the group remembered as the last fact's. Anything else goes
 * to fact_place_walk. r and key are not NULL, the answer not full.
 */
static __attribute__((noinline)) int fact_place_group(baton_result *r, const char *key,
                                                      enum fact_kind kind, size_t extra,
                                                      struct bh_rfact **out, void **extra_at)
{
    const char *dot = bh_code_run(key);
    size_t gn = (size_t)(dot - key);
    if (*dot != '.' || gn == 0 || gn > BATON_CODE_MAX || (r->facts->names & name_bit(key, gn)) != 0)
        return fact_place_walk(r, key, kind, extra, out, extra_at);
    const char *leaf = dot + 1, *end = bh_code_run(leaf);
    size_t n = (size_t)(end - leaf), len = (size_t)(end - key);
    if (*end != '\0' || n == 0 || n > BATON_CODE_MAX || len > BATON_FACT_KEY_MAX)
        return fact_place_walk(r, key, kind, extra, out, extra_at);
    struct bh_rfact *g = bh_arena_alloc(&r->arena, 2 * sizeof *g + extra + len + 1), *f = g + 1;
    if (g == NULL)
        return BATON_ENOMEM;
    char *name = (char *)(g + 2) + extra;
    copy_key(name, key, len + 1);
    name[len] = '\0'; /* checked as ending there: so it does, whatever the key's bytes do now */
    name[gn] = '\0';
    g->next = NULL;
    g->child = g->last_child = f;
    g->key = name;
    g->key_len = gn;
    g->kind = FACT_OBJECT;
    g->key_unchecked = 0;
    g->names = name_bit(leaf, n);
    f->next = f->child = f->last_child = NULL;
    f->key = name + gn + 1;
    f->key_len = n;
    f->kind = kind;
    f->key_unchecked = 0;
    f->names = 0;
    fact_append(r->facts, g);
    r->fact_count++;
    r->last_group = g;
    r->last_group_len = gn + 1;
    copy_key(r->last_group_key, key, gn + 1);
    *out = f;
    *extra_at = g + 2;
    return 0;
}

/*
 * fact_place_walk's answer for the common call: the key is the last
 * fact's group and one more part, a name that group does not hold yet
 * (its bit in the group's names clear, or no child by that name), and
 * the answer is not full. That part is checked against the rule, and
 * the leaf is made in one piece with its name and the caller's extra
 * bytes. Anything else (a first fact, another group, a deeper key, a
 * broken rule, a taken name, the limit) goes to fact_place_walk, which
 * answers it, refusals worded as always.
 */
static inline __attribute__((always_inline)) int fact_place(baton_result *r, const char *key,
                                                            enum fact_kind kind, size_t extra,
                                                            struct bh_rfact **out, void **extra_at)
{
    struct bh_rfact *group;
    if (r == NULL || key == NULL || r->fact_count >= BH_RESULT_MAX_FACTS)
        return fact_place_walk(r, key, kind, extra, out, extra_at);
    if ((group = r->last_group) == NULL || strncmp(key, r->last_group_key, r->last_group_len) != 0)
        return fact_place_group(r, key, kind, extra, out, extra_at);
    const char *leaf = key + r->last_group_len, *end = bh_code_run(leaf);
    size_t n = (size_t)(end - leaf);
    if (*end != '\0' || n == 0 || n > BATON_CODE_MAX || (size_t)(end - key) > BATON_FACT_KEY_MAX ||
        fact_child(group, leaf, n) != NULL)
        return fact_place_walk(r, key, kind, extra, out, extra_at);
    struct bh_rfact *f = bh_arena_alloc(&r->arena, sizeof *f + extra + n + 1);
    if (f == NULL)
        return BATON_ENOMEM;
    char *name = (char *)(f + 1) + extra;
    copy_key(name, leaf, n + 1);
    name[n] = '\0'; /* checked as ending there: so it does, whatever the key's bytes do now */
    f->next = f->child = f->last_child = NULL;
    f->key = name;
    f->key_len = n;
    f->kind = kind;
    f->key_unchecked = 0;
    f->names = 0;
    fact_append(group, f);
    r->fact_count++;
    *out = f;
    *extra_at = f + 1;
    return 0;
}

/* A string fact whose value's length is known. */
static int fact_string(baton_result *r, const char *key, const char *value, size_t len)
{
    struct bh_rfact *f;
    void *text;
    int rc = fact_place(r, key, FACT_STRING, len + 1, &f, &text);
    if (rc != 0)
        return rc;
    memcpy(text, value, len + 1);
    f->text = text;
    f->text_len = len;
    return 0;
}

int bh_result_string(baton_result *r, const char *key, const char *value)
{
    if (value == NULL)
        return bh_refuse(BATON_EINVAL, "fact string: value is NULL");
    return fact_string(r, key, value, strlen(value));
}

int bh_result_int(baton_result *r, const char *key, int64_t value)
{
    struct bh_rfact *f;
    void *unused;
    /* JSON numbers are doubles: refuse what a double cannot hold exactly. */
    if (value > MAX_JSON_INT || value < -MAX_JSON_INT)
        return bh_refuse(BATON_ERANGE, "fact integer %lld: beyond +-2^53 (not exact in JSON)",
                         (long long)value);
    int rc = fact_place(r, key, FACT_INT, 0, &f, &unused);
    if (rc != 0)
        return rc;
    f->i = value;
    return 0;
}

int bh_result_date(baton_result *r, const char *key, baton_date value)
{
    if (!baton_date_valid(value))
        return bh_refuse(BATON_EINVAL,
                         "fact date %d-%d-%d: not a date between 0001-01-01 and "
                         "9999-12-31",
                         (int)value.year, (int)value.month, (int)value.day);
    /* "YYYY-MM-DD" (bh_date_format's text of a valid date) written
     * straight into the fact's piece, two digits a step. */
    struct bh_rfact *f;
    char *text;
    int rc = fact_place(r, key, FACT_STRING, 11, &f, (void **)&text);
    if (rc != 0)
        return rc;
    unsigned y = (unsigned)value.year;
    char *p = bh_decimal_put2(text, y / 100);
    p = bh_decimal_put2(p, y % 100);
    *p++ = '-';
    p = bh_decimal_put2(p, (unsigned)value.month);
    *p++ = '-';
    p = bh_decimal_put2(p, (unsigned)value.day);
    *p = '\0';
    f->text = text;
    f->text_len = 10;
    return 0;
}

/* A money fact's three leaves and their texts, made with its node. Their
 * names are these arrays, so the answer's writer knows a money fact the
 * builder made by its first leaf's name (write_money_fact). */
static const char money_amount_key[] = "amount", money_currency_key[] = "currency",
                  money_minor_key[] = "minor";
struct money_leaves {
    struct bh_rfact amount, currency, minor;
    char amount_text[32], currency_text[4];
};
_Static_assert(sizeof((struct money_leaves *)0)->amount_text > BH_MONEY_TEXT_MAX &&
                   sizeof((struct bh_rcost *)0)->amount_text > BH_MONEY_TEXT_MAX,
               "amount texts hold what amount_text writes");

int bh_result_money(baton_result *r, const char *key, baton_money value)
{
    struct bh_rfact *m;
    struct money_leaves *l;
    /* bh_rule_money's quick yes, its exponent kept for the amount's text;
     * anything else is worded by the rule. */
    int exponent = bh_money_quick_exponent(value);
    if (exponent < 0)
        return worded(bh_rule_money("fact money", value));
    int rc = fact_place(r, key, FACT_OBJECT, sizeof *l, &m, (void **)&l);
    if (rc != 0)
        return rc;
    /* The three leaves are one fact: they do not count on their own.
     * Their names are the key arrays above, kept as they are. m is new: they are
     * its only children. */
    size_t amount_len = bh_money_put(l->amount_text, value.minor, exponent);
    l->amount_text[amount_len] = '\0';
    memcpy(l->currency_text, value.currency, 4); /* three letters and the end: the rule */
    l->amount = (struct bh_rfact){.next = &l->currency,
                                  .key = money_amount_key,
                                  .key_len = 6,
                                  .kind = FACT_STRING,
                                  .text = l->amount_text,
                                  .text_len = amount_len};
    l->currency = (struct bh_rfact){.next = &l->minor,
                                    .key = money_currency_key,
                                    .key_len = 8,
                                    .kind = FACT_STRING,
                                    .text = l->currency_text,
                                    .text_len = 3};
    l->minor =
        (struct bh_rfact){.key = money_minor_key, .key_len = 5, .kind = FACT_INT, .i = value.minor};
    m->child = &l->amount;
    m->last_child = &l->minor;
    m->names = name_bit("amount", 6) | name_bit("currency", 8) | name_bit("minor", 5);
    return 0;
}

/* ---- the answer's text ----
 *
 * Each record is written with one capacity check for its worst case
 * (json_text.h: bh_jw_room, then bh_jw_put_* with plain stores). Texts a
 * builder rule held to safe bytes (categories, codes, statuses, kinds,
 * fact keys, currencies, plugin names, amounts) are copied without an
 * escape scan; free texts (a finding's text, a cost's label, bases, fact
 * strings) are escaped.
 */

static void write_finding(const struct bh_rfinding *f, bh_jw *w)
{
    if (f->raw != NULL) {
        bh_jw_value(w, f->raw);
        return;
    }
    char *out = bh_jw_room(w, sizeof "{'category':'','code':'','status':'','text':'','basis':'',"
                                     "'plugin':''}" +
                                  f->category_len + f->code_len + f->status_len + f->plugin_len +
                                  BH_JW_STRING_MAX(f->text_len + f->basis_len));
    if (out == NULL)
        return;
    out = bh_jw_put_lit(out, "{\"category\":");
    out = bh_jw_put_plain(out, f->category, f->category_len);
    out = bh_jw_put_lit(out, ",\"code\":");
    out = bh_jw_put_plain(out, f->code, f->code_len);
    out = bh_jw_put_lit(out, ",\"status\":");
    out = bh_jw_put_plain(out, f->status, f->status_len);
    out = bh_jw_put_lit(out, ",\"text\":");
    out = bh_jw_put_string(out, f->text, f->text_len);
    if (f->basis != NULL) {
        out = bh_jw_put_lit(out, ",\"basis\":");
        out = bh_jw_put_string(out, f->basis, f->basis_len);
    }
    if (f->plugin != NULL) {
        out = bh_jw_put_lit(out, ",\"plugin\":");
        out = bh_jw_put_plain(out, f->plugin, f->plugin_len);
    }
    *out++ = '}';
    bh_jw_done(w, out);
}

static void write_cost(const struct bh_rcost *c, bh_jw *w)
{
    if (c->raw != NULL) {
        bh_jw_value(w, c->raw);
        return;
    }
    char *out = bh_jw_room(w, sizeof "{'amount':,'kind':'','label':'','basis':'','plugin':''}" +
                                  MONEY_FIXED + c->amount_len + c->kind_len + c->plugin_len +
                                  BH_JW_STRING_MAX(c->label_len + c->basis_len));
    if (out == NULL)
        return;
    out = bh_jw_put_lit(out, "{\"amount\":");
    out = put_money(out, c->amount_text, c->amount_len, c->amount.currency, c->amount.minor);
    out = bh_jw_put_lit(out, ",\"kind\":");
    out = bh_jw_put_plain(out, c->kind, c->kind_len);
    out = bh_jw_put_lit(out, ",\"label\":");
    out = bh_jw_put_string(out, c->label, c->label_len);
    if (c->basis != NULL) {
        out = bh_jw_put_lit(out, ",\"basis\":");
        out = bh_jw_put_string(out, c->basis, c->basis_len);
    }
    if (c->plugin != NULL) {
        out = bh_jw_put_lit(out, ",\"plugin\":");
        out = bh_jw_put_plain(out, c->plugin, c->plugin_len);
    }
    *out++ = '}';
    bh_jw_done(w, out);
}

/* The money fact bh_result_money made as the object node o, when o is
 * one and holds nothing more (a fact may be set inside a money fact):
 * its leaves, whose texts are an amount and a currency code, or NULL.
 * Its first leaf is named by money_amount_key itself, not a copy (a
 * prior answer's facts have copies: money_shaped finds those). */
static const struct money_leaves *money_fact(const struct bh_rfact *o)
{
    const struct bh_rfact *a = o->child;
    if (a == NULL || a->key != money_amount_key)
        return NULL;
    const struct money_leaves *l = (const struct money_leaves *)(const void *)a;
    return l->minor.next == NULL ? l : NULL;
}

/* Room write_money_fact takes beyond the amount's text. */
#define MONEY_FACT_FIXED (sizeof "{'amount':'','currency':'XXX','minor':}" - 1 + BH_JW_INT_MAX)

/* {"amount":"<text>","currency":"<code>","minor":<minor>} of l at out
 * (room MONEY_FACT_FIXED + the amount's length): the bytes the member
 * loop writes for the three leaves, the texts copied without an escape
 * scan (an amount is digits, '-' and '.'; a currency three letters). */
static char *write_money_fact(char *out, const struct money_leaves *l)
{
    out = bh_jw_put_lit(out, "{\"amount\":\"");
    out = bh_jw_put_raw(out, l->amount_text, l->amount.text_len);
    out = bh_jw_put_lit(out, "\",\"currency\":\"");
    memcpy(out, l->currency_text, 3);
    out = bh_jw_put_lit(out + 3, "\",\"minor\":");
    out = bh_jw_put_int(out, l->minor.i);
    *out++ = '}';
    return out;
}

/* Whether the object node o is shaped as a money fact is: "amount" and
 * "currency" strings and a "minor" integer, nothing more. Such an object
 * (twelve in the 2 KB case's answer) is written in one piece, the same
 * bytes the member loop would write, without a call a level deeper. */
static int money_shaped(const struct bh_rfact *o)
{
    const struct bh_rfact *a = o->child, *c, *m;
    return a != NULL && a->kind == FACT_STRING && a->key_len == 6 &&
           memcmp(a->key, "amount", 6) == 0 && (c = a->next) != NULL && c->kind == FACT_STRING &&
           c->key_len == 8 && memcmp(c->key, "currency", 8) == 0 && (m = c->next) != NULL &&
           m->kind == FACT_INT && m->key_len == 5 && memcmp(m->key, "minor", 5) == 0 &&
           m->next == NULL;
}

/* The object node f: its members written in one loop, leaves in place,
 * only objects (and a prior answer's values) a call deeper. Facts nest at
 * most BATON_FACT_KEY_MAX / 2 levels (one byte and a dot each), so this
 * recursion is bounded. */
static void write_fact_object(const struct bh_rfact *f, bh_jw *w)
{
    char *out, *limit;
    if (bh_jw_open(w, 2, &out, &limit) != 0)
        return;
    *out++ = '{';
    for (const struct bh_rfact *c = f->child; c != NULL; c = c->next) {
        /* ',', the key (escaped only when it came from a prior answer:
         * fact_place held the others to the code rule), ':', the value
         * (a string, an integer, or an object's '{') and this object's
         * '}' */
        size_t key = c->key_unchecked ? BH_JW_STRING_MAX(c->key_len) : c->key_len + 2;
        size_t value = c->kind == FACT_STRING ? BH_JW_STRING_MAX(c->text_len) : BH_JW_INT_MAX;
        if (bh_jw_ensure(w, 3 + key + value, &out, &limit) != 0)
            return;
        if (c != f->child)
            *out++ = ',';
        if (c->key_unchecked)
            out = bh_jw_put_string(out, c->key, c->key_len);
        else
            out = bh_jw_put_plain(out, c->key, c->key_len);
        *out++ = ':';
        const struct money_leaves *l;
        switch (c->kind) {
        case FACT_STRING:
            out = bh_jw_put_string(out, c->text, c->text_len);
            break;
        case FACT_INT:
            out = bh_jw_put_int(out, c->i);
            break;
        case FACT_OBJECT:
            if ((l = money_fact(c)) != NULL) {
                if (bh_jw_ensure(w, MONEY_FACT_FIXED + l->amount.text_len + 1, &out, &limit) != 0)
                    return;
                out = write_money_fact(out, l);
                break;
            }
            if (money_shaped(c)) {
                const struct bh_rfact *a = c->child, *cur = a->next;
                /* and this object's '}' (the literal's NUL counts for it) */
                size_t room = sizeof "{'amount':,'currency':,'minor':}" +
                              BH_JW_STRING_MAX(a->text_len) + BH_JW_STRING_MAX(cur->text_len) +
                              BH_JW_INT_MAX;
                if (bh_jw_ensure(w, room, &out, &limit) != 0)
                    return;
                out = bh_jw_put_lit(out, "{\"amount\":");
                out = bh_jw_put_string(out, a->text, a->text_len);
                out = bh_jw_put_lit(out, ",\"currency\":");
                out = bh_jw_put_string(out, cur->text, cur->text_len);
                out = bh_jw_put_lit(out, ",\"minor\":");
                out = bh_jw_put_int(out, cur->next->i);
                *out++ = '}';
                break;
            }
            /* fall through */
        case FACT_RAW:
            bh_jw_done(w, out);
            if (c->kind == FACT_OBJECT)
                write_fact_object(c, w);
            else
                bh_jw_value(w, c->json);
            if (bh_jw_open(w, 1, &out, &limit) != 0)
                return;
            break;
        }
    }
    *out++ = '}';
    bh_jw_done(w, out);
}

void bh_result_write(const baton_result *r, bh_jw *w)
{
    bh_jw_lit(w, "\"findings\":[");
    for (const struct bh_rfinding *f = r->findings; f != NULL; f = f->next) {
        if (f != r->findings)
            bh_jw_lit(w, ",");
        write_finding(f, w);
    }
    bh_jw_lit(w, "],\"costs\":[");
    for (const struct bh_rcost *c = r->costs; c != NULL; c = c->next) {
        if (c != r->costs)
            bh_jw_lit(w, ",");
        write_cost(c, w);
    }
    bh_jw_lit(w, "],\"facts\":");
    write_fact_object(r->facts, w);
}

/* One (currency, kind) sum of the totals. */
struct total {
    const char *currency, *kind;
    uint32_t code;   /* the currency's four bytes (currency_code) */
    size_t kind_len; /* the cost record's */
    int64_t minor;
    size_t order; /* position among its currency's kinds */
};

/* A line item's currency as one number: its three letters and the NUL the
 * money rule requires after them (bh_rule_money). */
static uint32_t currency_code(const char *currency)
{
    uint32_t code;
    memcpy(&code, currency, 4);
    return code;
}

int bh_result_write_totals(const baton_result *r, bh_jw *w)
{
    /* Few distinct (currency, kind) pairs: 7 kinds per currency. */
    struct total stack_sums[32], *sums = stack_sums;
    size_t n = 0, cap = sizeof stack_sums / sizeof stack_sums[0], order = 0;
    int rc = 0;
    for (const struct bh_rcost *c = r->costs; c != NULL; c = c->next) {
        if (c->raw != NULL)
            continue; /* a prior answer's cost: results made from one are not totalled */
        size_t i;
        uint32_t code = currency_code(c->amount.currency);
        for (i = 0; i < n; i++) {
            if (sums[i].code == code && sums[i].kind_len == c->kind_len &&
                memcmp(sums[i].kind, c->kind, c->kind_len) == 0)
                break;
        }
        if (i == n) {
            if (n == cap) {
                size_t ncap = cap * 2;
                struct total *g = malloc(ncap * sizeof *g);
                if (g == NULL) {
                    rc = BATON_ENOMEM;
                    goto out;
                }
                memcpy(g, sums, n * sizeof *g);
                if (sums != stack_sums)
                    free(sums);
                sums = g;
                cap = ncap;
            }
            sums[n].currency = c->amount.currency;
            sums[n].kind = c->kind;
            sums[n].code = code;
            sums[n].kind_len = c->kind_len;
            sums[n].minor = 0;
            n++;
        }
        if (__builtin_add_overflow(sums[i].minor, c->amount.minor, &sums[i].minor) ||
            sums[i].minor > MAX_JSON_INT || sums[i].minor < -MAX_JSON_INT) {
            rc = BATON_ERANGE;
            goto out;
        }
        sums[i].order = order++; /* a kind added to moves last, as it always has */
    }
    /* Currencies and kinds were held to known codes by the line item
     * rules (a prior answer's costs are not totalled), so they are
     * written without an escape scan; each sum's amount is formatted
     * once, with its currency's exponent looked up once per currency. */
    bh_jw_lit(w, "\"totals\":{");
    for (size_t i = 0; i < n; i++) {
        size_t first = i;
        for (size_t k = 0; k < i; k++) {
            if (sums[k].code == sums[i].code)
                first = k;
        }
        if (first != i)
            continue; /* this currency was written with its first pair */
        int exponent = bh_currency_exponent(sums[i].currency);
        if (exponent < 0) {
            rc = BATON_ERANGE;
            goto out;
        }
        char *at = bh_jw_room(w, sizeof ",\"XXX\":{");
        if (at == NULL)
            break;
        if (i > 0)
            *at++ = ',';
        *at++ = '"';
        memcpy(at, sums[i].currency, 3);
        bh_jw_done(w, bh_jw_put_lit(at + 3, "\":{"));
        /* This currency's kinds by their order, a selection each step. */
        size_t last = 0;
        int any = 0;
        for (;;) {
            size_t pick = n;
            for (size_t k = i; k < n; k++) {
                if (sums[k].code == sums[i].code && (!any || sums[k].order > last) &&
                    (pick == n || sums[k].order < sums[pick].order))
                    pick = k;
            }
            if (pick == n)
                break;
            size_t kind = sums[pick].kind_len;
            if ((at = bh_jw_room(w, sizeof ",\"\":" + kind + MONEY_FIXED + BH_MONEY_TEXT_MAX)) ==
                NULL)
                break;
            if (any)
                *at++ = ',';
            char amount[BH_MONEY_TEXT_MAX];
            size_t amount_len = bh_money_put(amount, sums[pick].minor, exponent);
            at = bh_jw_put_plain(at, sums[pick].kind, kind);
            *at++ = ':';
            at = put_money(at, amount, amount_len, sums[pick].currency, sums[pick].minor);
            bh_jw_done(w, at);
            last = sums[pick].order;
            any = 1;
        }
        bh_jw_lit(w, "}");
    }
    bh_jw_lit(w, "}");
out:
    if (sums != stack_sums)
        free(sums);
    return rc;
}

/* {"findings":...,"costs":...,"facts":...} parsed back; NULL on ENOMEM. */
static cJSON *as_tree(const baton_result *r)
{
    bh_jw w;
    size_t len;
    bh_json_error e;
    if (bh_jw_init(&w, 4096) != 0)
        return NULL;
    bh_jw_lit(&w, "{");
    bh_result_write(r, &w);
    bh_jw_lit(&w, "}");
    char *text = bh_jw_take(&w, &len);
    if (text == NULL)
        return NULL;
    cJSON *tree = bh_json_parse(text, len, &e);
    free(text);
    return tree;
}

const baton_view *bh_result_view(baton_result *r)
{
    return r != NULL ? &r->view : NULL;
}

cJSON *bh_result_take(baton_result *r)
{
    cJSON *tree = as_tree(r);
    /* Left empty: new records go into a fresh arena. */
    bh_arena_reset(&r->arena);
    r->findings = r->findings_tail = NULL;
    r->costs = r->costs_tail = NULL;
    r->finding_count = r->cost_count = 0;
    r->fact_count = 0;
    r->last_group = NULL;
    r->last_group_len = 0;
    memset(r->cursor, 0, sizeof *r->cursor);                 /* its records are gone */
    r->facts = bh_arena_zalloc(&r->arena, sizeof *r->facts); /* fits the first chunk */
    r->facts->kind = FACT_OBJECT;
    return tree;
}

/* ---- a result continuing a prior answer (the worker) ---- */

/* Copies prior's facts under node into the tree; counts the leaves as
 * facts (the old tree-based result did the same). Depth is bounded by
 * the parser's nesting limit; answers the host sends are a few levels. */
static int copy_facts(baton_result *r, struct bh_rfact *node, const cJSON *from)
{
    for (const cJSON *c = from->child; c != NULL; c = c->next) {
        if (c->string == NULL)
            return BATON_EINVAL;
        struct bh_rfact *f =
            fact_add(r, node, c->string, cJSON_IsObject(c) ? FACT_OBJECT : FACT_RAW);
        if (f == NULL)
            return BATON_ENOMEM;
        f->key_unchecked = 1;
        if (cJSON_IsObject(c)) {
            int rc = copy_facts(r, f, c);
            if (rc != 0)
                return rc;
        } else {
            f->json = c;
            r->fact_count++;
        }
    }
    return 0;
}

baton_result *bh_result_new_from(const cJSON *prior)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(prior, "findings");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(prior, "costs");
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(prior, "facts");
    const cJSON *item;
    if (!cJSON_IsObject(prior) || !cJSON_IsArray(f) || !cJSON_IsArray(c) || !cJSON_IsObject(x))
        return NULL;
    baton_result *r = result_alloc();
    if (r == NULL)
        return NULL;
    cJSON_ArrayForEach(item, f)
    {
        struct bh_rfinding *rf = bh_arena_zalloc(&r->arena, sizeof *rf);
        if (rf == NULL)
            goto fail;
        rf->raw = item;
        if (r->findings_tail != NULL)
            r->findings_tail->next = rf;
        else
            r->findings = rf;
        r->findings_tail = rf;
        r->finding_count++;
    }
    cJSON_ArrayForEach(item, c)
    {
        struct bh_rcost *rc = bh_arena_zalloc(&r->arena, sizeof *rc);
        if (rc == NULL)
            goto fail;
        rc->raw = item;
        if (r->costs_tail != NULL)
            r->costs_tail->next = rc;
        else
            r->costs = rc;
        r->costs_tail = rc;
        r->cost_count++;
    }
    if (copy_facts(r, r->facts, x) != 0)
        goto fail;
    return r;
fail:
    bh_result_free(r);
    return NULL;
}

/* ---- result_view: paths resolved over the records ---- */

enum rkind {
    RN_ROOT,     /* {"findings","costs","facts"} */
    RN_FINDINGS, /* the findings array */
    RN_COSTS,    /* the costs array */
    RN_FINDING,  /* one finding record */
    RN_COST,     /* one cost record */
    RN_MONEY,    /* a cost's "amount" object */
    RN_FACT,     /* an object node of the facts tree */
    RN_STR,      /* a string */
    RN_INT,      /* an integer */
    RN_JSON      /* a node of a prior answer */
};

/* Two words, so that nodes pass and return in registers. */
typedef struct rnode {
    enum rkind k;
    union {
        const void *p; /* the record, fact node or cJSON node */
        const char *s; /* RN_STR */
        int64_t i;     /* RN_INT */
    };
} rnode;

static rnode rn(enum rkind k, const void *p)
{
    rnode n = {.k = k, .p = p};
    return n;
}

static rnode rn_str(const char *s)
{
    rnode n = {.k = RN_STR, .s = s};
    return n;
}

static rnode rn_fact(const struct bh_rfact *f)
{
    rnode n = rn(RN_FACT, f);
    switch (f->kind) {
    case FACT_OBJECT:
        break;
    case FACT_STRING:
        n = rn_str(f->text);
        break;
    case FACT_INT:
        n.k = RN_INT;
        n.i = f->i;
        break;
    case FACT_RAW:
        n = rn(RN_JSON, f->json);
        break;
    }
    return n;
}

/* The members of the objects made from records (the root, a finding, a
 * cost, a cost's amount). */
enum rfield {
    RF_FINDINGS,
    RF_COSTS,
    RF_FACTS,
    RF_CATEGORY,
    RF_CODE,
    RF_STATUS,
    RF_TEXT,
    RF_BASIS,
    RF_PLUGIN,
    RF_MONEY, /* a cost's "amount" object */
    RF_KIND,
    RF_LABEL,
    RF_AMOUNT, /* the amount's text in it */
    RF_CURRENCY,
    RF_MINOR
};

/* A member's name is 4 to 8 bytes. */
struct member {
    const char *name;
    unsigned char len;
    unsigned char field; /* enum rfield */
};

#define MEMBER(name, field)                                                                        \
    {                                                                                              \
        name, sizeof name - 1, field                                                               \
    }
/* Each in the order bh_result_write writes them. */
static const struct member root_members[] = {MEMBER("findings", RF_FINDINGS),
                                             MEMBER("costs", RF_COSTS), MEMBER("facts", RF_FACTS)};
static const struct member finding_members[] = {
    MEMBER("category", RF_CATEGORY), MEMBER("code", RF_CODE),   MEMBER("status", RF_STATUS),
    MEMBER("text", RF_TEXT),         MEMBER("basis", RF_BASIS), MEMBER("plugin", RF_PLUGIN)};
static const struct member cost_members[] = {MEMBER("amount", RF_MONEY), MEMBER("kind", RF_KIND),
                                             MEMBER("label", RF_LABEL), MEMBER("basis", RF_BASIS),
                                             MEMBER("plugin", RF_PLUGIN)};
static const struct member money_members[] = {
    MEMBER("amount", RF_AMOUNT), MEMBER("currency", RF_CURRENCY), MEMBER("minor", RF_MINOR)};
#undef MEMBER

/* The members an object of kind k can have; *count of them (0 for a
 * node that is no record-made object). */
static const struct member *members_of(enum rkind k, size_t *count)
{
#define MEMBERS(table) (*count = sizeof table / sizeof table[0], table)
    switch (k) {
    case RN_ROOT:
        return MEMBERS(root_members);
    case RN_FINDING:
        return MEMBERS(finding_members);
    case RN_COST:
        return MEMBERS(cost_members);
    case RN_MONEY:
        return MEMBERS(money_members);
    default:
        *count = 0;
        return NULL;
    }
#undef MEMBERS
}

/* The value of member field of the record-made object n; 0, or
 * BATON_ENOENT when the record leaves that member out (no basis, no
 * plugin). */
static inline int member_value(const baton_result *r, const rnode *n, enum rfield field, rnode *out)
{
    const struct bh_rfinding *f = n->p;
    const struct bh_rcost *c = n->p;
    const char *s = NULL;
    switch (field) {
    case RF_FINDINGS:
        *out = rn(RN_FINDINGS, NULL);
        return 0;
    case RF_COSTS:
        *out = rn(RN_COSTS, NULL);
        return 0;
    case RF_FACTS:
        *out = rn(RN_FACT, r->facts);
        return 0;
    case RF_MONEY:
        *out = rn(RN_MONEY, c);
        return 0;
    case RF_MINOR:
        *out = (rnode){.k = RN_INT, .i = c->amount.minor};
        return 0;
    case RF_CATEGORY:
        s = f->category;
        break;
    case RF_CODE:
        s = f->code;
        break;
    case RF_STATUS:
        s = f->status;
        break;
    case RF_TEXT:
        s = f->text;
        break;
    case RF_BASIS:
        s = n->k == RN_FINDING ? f->basis : c->basis;
        break;
    case RF_PLUGIN:
        s = n->k == RN_FINDING ? f->plugin : c->plugin;
        break;
    case RF_KIND:
        s = c->kind;
        break;
    case RF_LABEL:
        s = c->label;
        break;
    case RF_AMOUNT:
        s = c->amount_text;
        break;
    case RF_CURRENCY:
        s = c->amount.currency;
        break;
    }
    if (s == NULL)
        return BATON_ENOENT;
    *out = rn_str(s);
    return 0;
}

/* How many members a record-made object n has; with name, also the name
 * of the index-th of them (left as it was when there are not that many). */
static size_t members_present(const baton_result *r, const rnode *n, size_t index,
                              const char **name)
{
    size_t count, present = 0;
    const struct member *m = members_of(n->k, &count);
    rnode v;
    for (size_t i = 0; i < count; i++) {
        if (member_value(r, n, m[i].field, &v) != 0)
            continue;
        if (name != NULL && present == index)
            *name = m[i].name;
        present++;
    }
    return present;
}

/* The member key[0..klen) of object n; 0, or BATON_ENOENT (no such
 * member, or n is no object). */
static int child_key(const baton_result *r, rnode node, const char *key, size_t klen, rnode *out)
{
    const rnode *n = &node;
    if (n->k == RN_JSON) {
        const cJSON *j = n->p;
        if (!cJSON_IsObject(j))
            return BATON_ENOENT;
        for (const cJSON *c = j->child; c != NULL; c = c->next) {
            if (c->string != NULL && strncmp(c->string, key, klen) == 0 &&
                c->string[klen] == '\0') {
                *out = rn(RN_JSON, c);
                return 0;
            }
        }
        return BATON_ENOENT;
    }
    if (n->k == RN_FACT) {
        const struct bh_rfact *f = n->p;
        for (const struct bh_rfact *c = f->child; c != NULL; c = c->next) {
            if (c->key_len == klen && memcmp(c->key, key, klen) == 0) {
                *out = rn_fact(c);
                return 0;
            }
        }
        return BATON_ENOENT;
    }
    /* Names are unique in each table: the one whose length and bytes
     * match decides. */
    size_t count;
    const struct member *m = members_of(n->k, &count);
    for (size_t i = 0; i < count; i++) {
        if (m[i].len == klen && bh_jindex_key_equal(m[i].name, key, klen))
            return member_value(r, n, m[i].field, out);
    }
    return BATON_ENOENT;
}

static rnode item_of_finding(const struct bh_rfinding *f)
{
    return f->raw != NULL ? rn(RN_JSON, f->raw) : rn(RN_FINDING, f);
}

static rnode item_of_cost(const struct bh_rcost *c)
{
    return c->raw != NULL ? rn(RN_JSON, c->raw) : rn(RN_COST, c);
}

/* Element index of array n; 0, or BATON_ENOENT. The walk along findings
 * or costs starts at the cursor when that lies at or before index. */
static int child_index(const baton_result *r, rnode node, size_t index, rnode *out)
{
    const rnode *n = &node;
    struct bh_rcursor *cur = r->cursor;
    if (n->k == RN_FINDINGS) {
        const struct bh_rfinding *f = r->findings;
        size_t i = 0;
        if (cur->finding != NULL && cur->finding_at <= index) {
            f = cur->finding;
            i = cur->finding_at;
        }
        for (; f != NULL; f = f->next, i++) {
            if (i == index) {
                cur->finding = f;
                cur->finding_at = i;
                *out = item_of_finding(f);
                return 0;
            }
        }
    } else if (n->k == RN_COSTS) {
        const struct bh_rcost *c = r->costs;
        size_t i = 0;
        if (cur->cost != NULL && cur->cost_at <= index) {
            c = cur->cost;
            i = cur->cost_at;
        }
        for (; c != NULL; c = c->next, i++) {
            if (i == index) {
                cur->cost = c;
                cur->cost_at = i;
                *out = item_of_cost(c);
                return 0;
            }
        }
    } else if (n->k == RN_JSON && cJSON_IsArray((const cJSON *)n->p)) {
        const cJSON *c = cJSON_GetArrayItem(n->p, (int)index);
        if (c != NULL) {
            *out = rn(RN_JSON, c);
            return 0;
        }
    }
    return BATON_ENOENT;
}

/* Whether the path's rest at p is lit (len bytes) and ends there. With
 * a literal, the loop unrolls to byte compares against constants; the
 * first mismatch (the path's NUL among them) ends it, so nothing past
 * the path's end is read. */
static inline int rest_is(const char *p, const char *lit, size_t len)
{
#pragma GCC unroll 8
    for (size_t i = 0; i < len; i++) {
        if (p[i] != lit[i])
            return 0;
    }
    return p[len] == '\0';
}

/* The member of record n (a finding or a cost) named by the rest of the
 * path at p, or -1: picked by its first byte, each name unique by that
 * in its record but a finding's "category" and "code". */
static inline int record_field(enum rkind k, const char *p)
{
#define IS(name, field)                                                                            \
    if (rest_is(p, name, sizeof name - 1))                                                         \
        return field;
    switch (p[0]) {
    case 'c':
        if (k == RN_FINDING) {
            IS("category", RF_CATEGORY);
            IS("code", RF_CODE);
        }
        break;
    case 's':
        if (k == RN_FINDING)
            IS("status", RF_STATUS);
        break;
    case 't':
        if (k == RN_FINDING)
            IS("text", RF_TEXT);
        break;
    case 'k':
        if (k == RN_COST)
            IS("kind", RF_KIND);
        break;
    case 'a':
        if (k == RN_COST)
            IS("amount", RF_MONEY);
        break;
    case 'l':
        if (k == RN_COST)
            IS("label", RF_LABEL);
        break;
    case 'b':
        IS("basis", RF_BASIS);
        break;
    case 'p':
        IS("plugin", RF_PLUGIN);
        break;
    }
    return -1;
#undef IS
}

/* The index-th finding or cost (n is RN_FINDINGS or RN_COSTS), taken
 * on from the cursor when that lies at or before it (a plugin reads a
 * list in turn), else from the first; BATON_ENOENT when there is no such
 * record or it came from a prior answer (the walk answers those). */
static inline int element(const baton_result *r, rnode n, size_t index, rnode *out)
{
    struct bh_rcursor *cur = r->cursor;
    if (n.k == RN_FINDINGS) {
        const struct bh_rfinding *f = cur->finding;
        size_t at = cur->finding_at;
        if (f == NULL || at > index) {
            f = r->findings;
            at = 0;
        }
        for (; f != NULL && at < index; at++)
            f = f->next;
        if (f == NULL || f->raw != NULL)
            return BATON_ENOENT;
        cur->finding = f;
        cur->finding_at = at;
        *out = rn(RN_FINDING, f);
        return 0;
    }
    const struct bh_rcost *c = cur->cost;
    size_t at = cur->cost_at;
    if (c == NULL || at > index) {
        c = r->costs;
        at = 0;
    }
    for (; c != NULL && at < index; at++)
        c = c->next;
    if (c == NULL || c->raw != NULL)
        return BATON_ENOENT;
    cur->cost = c;
    cur->cost_at = at;
    *out = rn(RN_COST, c);
    return 0;
}

/*
 * The paths plugins read a result by, taken without the general walk:
 * "findings", "costs", "facts", "findings[N].member", "costs[N].member"
 * (a record's own member ending the path) and "facts.k1.k2..." (fact
 * object nodes, each key matched by its length and bytes). Returns 1 with
 * *out when path has one of these forms and leads to a node, else 0:
 * resolve then answers, every refusal included, so a path this does not
 * take reads exactly as it always has. Bytes are compared one at a time
 * against the names, a mismatch (the path's NUL included) ending the
 * comparison, so nothing past the path's end is read.
 */
static inline __attribute__((always_inline)) int quick_resolve(const baton_result *r,
                                                               const char *path, rnode *out)
{
    const char *p = path;
    rnode n;
    if (p[0] == 'f' && p[1] == 'i' && p[2] == 'n' && p[3] == 'd' && p[4] == 'i' && p[5] == 'n' &&
        p[6] == 'g' && p[7] == 's') {
        n = rn(RN_FINDINGS, NULL);
        p += 8;
    } else if (p[0] == 'c' && p[1] == 'o' && p[2] == 's' && p[3] == 't' && p[4] == 's') {
        n = rn(RN_COSTS, NULL);
        p += 5;
    } else if (p[0] == 'f' && p[1] == 'a' && p[2] == 'c' && p[3] == 't' && p[4] == 's') {
        const struct bh_rfact *f = r->facts;
        for (p += 5; *p == '.';) {
            const char *k = ++p;
            while (!bh_path_ends_key[(unsigned char)*p])
                p++;
            size_t klen = (size_t)(p - k);
            const struct bh_rfact *c = f->child;
            while (c != NULL && (c->key_len != klen || !bh_jindex_key_equal(c->key, k, klen)))
                c = c->next;
            if (c == NULL || klen == 0 || klen > BH_PATH_MAX_KEY)
                return 0;
            if (*p == '\0') {
                *out = rn_fact(c);
                return 1;
            }
            if (c->kind != FACT_OBJECT)
                return 0;
            f = c;
        }
        if (*p != '\0')
            return 0;
        *out = rn(RN_FACT, f);
        return 1;
    } else {
        return 0;
    }
    if (*p == '\0') {
        *out = n;
        return 1;
    }
    /* "[N]": digits without a leading zero, at most eight of them (as
     * bh_path_index_at takes them; a longer index goes the long way) */
    if (*p != '[' || (unsigned)(p[1] - '0') > 9 || (p[1] == '0' && p[2] != ']'))
        return 0;
    size_t index = (size_t)(p[1] - '0');
    for (p += 2; (unsigned)(*p - '0') <= 9; p++) {
        if (index > 9999999)
            return 0;
        index = index * 10 + (size_t)(*p - '0');
    }
    if (*p != ']' || element(r, n, index, &n) != 0 || n.k == RN_JSON)
        return 0;
    if (*++p == '\0') {
        *out = n;
        return 1;
    }
    if (*p != '.')
        return 0;
    int field = record_field(n.k, p + 1);
    return field >= 0 && member_value(r, &n, (enum rfield)field, out) == 0;
}

/* The node at path: 0, BATON_ENOENT or BATON_EINVAL (case_view.h). */
static int resolve(const baton_result *r, const char *path, rnode *out)
{
    enum { KEPT = sizeof r->cursor->step_end };
    rnode n = rn(RN_ROOT, NULL);
    if (r == NULL || path == NULL)
        return BATON_EINVAL;
    struct bh_rcursor *cur = r->cursor;
    bh_path t = bh_path_of(path);
    /* The first j steps of the last path are steps of this one when its
     * bytes up to their end are the same and a step starts there (a key
     * ends at '.' or '['): they led to that node. */
    size_t resumed = cur->steps, steps, total;
    for (; resumed > 0; resumed--) {
        size_t end = cur->step_end[resumed - 1];
        if (strncmp(path, cur->prefix, end) == 0 && (path[end] == '.' || path[end] == '[')) {
            n = rn((enum rkind)cur->step_kind[resumed - 1], cur->step_node[resumed - 1]);
            t.p = path + end;
            t.started = 1;
            break;
        }
    }
    unsigned char end[KEPT], kind[KEPT];
    const void *node[KEPT];
    /* A path ends where its text does (bh_path_next's BH_PATH_END comes
     * at the NUL and nowhere else), so the end is not asked for. */
    for (steps = total = resumed; *t.p != '\0'; total++) {
        const char *k;
        size_t klen, idx;
        int rc, step = bh_path_next(&t, &k, &klen, &idx);
        if (step < 0)
            return BATON_EINVAL;
        rc = step == BH_PATH_KEY ? child_key(r, n, k, klen, &n) : child_index(r, n, idx, &n);
        if (rc != 0)
            return rc;
        if (steps < KEPT && (size_t)(t.p - path) < sizeof cur->prefix) {
            end[steps] = (unsigned char)(t.p - path);
            kind[steps] = (unsigned char)n.k;
            node[steps++] = n.p;
        }
    }
    /* Remembered: the steps before the last (those resumed are there). */
    if (steps == total && steps > 0)
        steps--;
    if (steps > resumed || steps < cur->steps) {
        size_t from = resumed > 0 ? cur->step_end[resumed - 1] : 0;
        for (size_t i = resumed; i < steps; i++) {
            cur->step_end[i] = end[i];
            cur->step_kind[i] = kind[i];
            cur->step_node[i] = node[i];
        }
        if (steps > resumed)
            memcpy(cur->prefix + from, path + from, cur->step_end[steps - 1] - from);
        cur->steps = (unsigned char)steps;
    }
    *out = n;
    return 0;
}

/* The node at path: the quick forms first, then the general walk. */
static inline int view_node(const baton_result *r, const char *path, rnode *out)
{
    if (r != NULL && path != NULL && quick_resolve(r, path, out))
        return 0;
    return resolve(r, path, out);
}

static enum baton_view_type node_type(const rnode *n)
{
    switch (n->k) {
    case RN_FINDINGS:
    case RN_COSTS:
        return BATON_VIEW_ARRAY;
    case RN_STR:
        return BATON_VIEW_STRING;
    case RN_INT:
        return BATON_VIEW_INT; /* within +-2^53: bh_result_int refuses more */
    case RN_JSON:
        return bh_json_node_type(n->p);
    default:
        return BATON_VIEW_OBJECT;
    }
}

enum baton_view_type bh_result_view_type(const baton_result *r, const char *path)
{
    rnode n;
    return view_node(r, path, &n) == 0 ? node_type(&n) : BATON_VIEW_MISSING;
}

int bh_result_view_string(const baton_result *r, const char *path, const char **out)
{
    rnode n;
    int rc = view_node(r, path, &n);
    if (rc != 0)
        return rc;
    if (n.k == RN_JSON)
        return bh_json_node_string(n.p, out);
    if (n.k != RN_STR || n.s == NULL)
        return BATON_ETYPE;
    *out = n.s;
    return 0;
}

int bh_result_view_int(const baton_result *r, const char *path, int64_t *out)
{
    rnode n;
    int rc = view_node(r, path, &n);
    if (rc != 0)
        return rc;
    if (n.k == RN_JSON)
        return bh_json_node_int(n.p, out);
    if (n.k != RN_INT)
        return BATON_ETYPE;
    *out = n.i;
    return 0;
}

int bh_result_view_bool(const baton_result *r, const char *path, int *out)
{
    rnode n;
    int rc = view_node(r, path, &n);
    if (rc != 0)
        return rc;
    if (n.k == RN_JSON)
        return bh_json_node_bool(n.p, out);
    return BATON_ETYPE; /* a result holds no booleans of its own */
}

int bh_result_view_money(const baton_result *r, const char *path, baton_money *out)
{
    rnode n, amount, currency;
    const char *a, *c;
    char err[160];
    int rc = view_node(r, path, &n);
    if (rc != 0)
        return rc;
    if (n.k == RN_MONEY) {
        /* A cost's own amount: what parsing its text gives back, the
         * text being bh_money_format's of it in a currency the rules
         * checked. */
        const struct bh_rcost *cost = n.p;
        *out = baton_money_make(cost->amount.minor, cost->amount.currency);
        return 0;
    }
    if (node_type(&n) != BATON_VIEW_OBJECT)
        return BATON_ETYPE;
    if (child_key(r, n, "amount", 6, &amount) != 0 ||
        child_key(r, n, "currency", 8, &currency) != 0)
        return BATON_ETYPE;
    if (node_type(&amount) != BATON_VIEW_STRING || node_type(&currency) != BATON_VIEW_STRING)
        return BATON_ETYPE;
    a = amount.k == RN_JSON ? ((const cJSON *)amount.p)->valuestring : amount.s;
    c = currency.k == RN_JSON ? ((const cJSON *)currency.p)->valuestring : currency.s;
    return bh_money_parse(a, c, out, err, sizeof err);
}

int bh_result_view_count(const baton_result *r, const char *path, size_t *out)
{
    rnode n;
    size_t count = 0;
    int rc = view_node(r, path, &n);
    if (rc != 0)
        return rc;
    switch (n.k) {
    case RN_JSON:
        return bh_json_node_count(n.p, out);
    case RN_STR:
    case RN_INT:
        return BATON_ETYPE;
    case RN_FINDINGS:
        count = r->finding_count;
        break;
    case RN_COSTS:
        count = r->cost_count;
        break;
    case RN_FACT:
        for (const struct bh_rfact *f = ((const struct bh_rfact *)n.p)->child; f != NULL;
             f = f->next)
            count++;
        break;
    default:
        count = members_present(r, &n, 0, NULL);
        break;
    }
    *out = count;
    return 0;
}

int bh_result_view_key(const baton_result *r, const char *path, size_t index, const char **out)
{
    rnode n;
    int rc = view_node(r, path, &n);
    if (rc != 0)
        return rc;
    if (n.k == RN_JSON)
        return bh_json_node_key(n.p, index, out);
    if (node_type(&n) != BATON_VIEW_OBJECT)
        return BATON_ETYPE;
    if (n.k == RN_FACT) {
        size_t i = 0;
        for (const struct bh_rfact *f = ((const struct bh_rfact *)n.p)->child; f != NULL;
             f = f->next, i++) {
            if (i == index) {
                *out = f->key;
                return 0;
            }
        }
        return BATON_ENOENT;
    }
    return members_present(r, &n, index, out) > index ? 0 : BATON_ENOENT;
}
