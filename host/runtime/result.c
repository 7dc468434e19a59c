/* result.c - the evaluation answer builder (result.h). */
#include "result.h"

#include <stdlib.h>
#include <string.h>

#include "builder_rules.h"
#include "call_reason.h"
#include "json_input.h"
#include "money_text.h"

#define MAX_JSON_INT INT64_C(9007199254740992) /* 2^53: JSON numbers stay exact below */

/* A finding or a cost: its fields, or (from a prior answer) its JSON. */
struct bh_rfinding {
    struct bh_rfinding *next;
    const char *category, *code, *status, *text, *basis, *plugin;
    const cJSON *raw; /* the whole item in a prior answer (borrowed), or NULL */
};

struct bh_rcost {
    struct bh_rcost *next;
    const char *kind, *label, *basis, *plugin;
    baton_money amount;
    char amount_text[32]; /* bh_money_format of amount */
    const cJSON *raw;     /* the whole item in a prior answer (borrowed), or NULL */
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
    const char *text;  /* FACT_STRING */
    int64_t i;         /* FACT_INT */
    const cJSON *json; /* FACT_RAW: a value in a prior answer (borrowed) */
};

static baton_result *result_alloc(void)
{
    baton_result *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    if (bh_arena_init(&r->arena, 4096, BH_RESULT_MAX_BYTES) != 0)
        goto fail;
    r->facts = bh_arena_zalloc(&r->arena, sizeof *r->facts);
    if (r->facts == NULL)
        goto fail;
    r->facts->kind = FACT_OBJECT;
    r->view = bh_view_of(NULL);
    r->view.result = r;
    r->cursor = &r->cursor_store;
    return r;
fail:
    bh_arena_free(&r->arena);
    free(r);
    return NULL;
}

baton_result *bh_result_new(void)
{
    return result_alloc();
}

void bh_result_free(baton_result *r)
{
    if (r == NULL)
        return;
    bh_arena_free(&r->arena);
    free(r);
}

void bh_result_set_plugin(baton_result *r, const char *plugin)
{
    r->plugin = plugin;
}

int bh_result_empty(const baton_result *r)
{
    return r->findings == NULL && r->costs == NULL && r->facts->child == NULL;
}

const char *bh_finding_status_name(enum baton_finding_status s)
{
    switch (s) {
    case BATON_FINDING_MET:
        return "met";
    case BATON_FINDING_MISSING:
        return "missing";
    case BATON_FINDING_BLOCK:
        return "block";
    case BATON_FINDING_INFO:
        return "info";
    case BATON_FINDING_WARN:
        return "warn";
    }
    return NULL;
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

static void write_money(bh_jw *w, const char *amount_text, const char *currency, int64_t minor)
{
    bh_jw_lit(w, "{\"amount\":");
    bh_jw_plain(w, amount_text);
    bh_jw_lit(w, ",\"currency\":");
    bh_jw_plain(w, currency);
    bh_jw_lit(w, ",\"minor\":");
    bh_jw_int(w, minor);
    bh_jw_lit(w, "}");
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

/* A copy of s in the result's arena; NULL stays NULL. *failed is set
 * when out of memory. */
static const char *keep(baton_result *r, const char *s, int *failed)
{
    if (s == NULL)
        return NULL;
    const char *c = bh_arena_strdup(&r->arena, s);
    if (c == NULL)
        *failed = 1;
    return c;
}

int bh_result_finding(baton_result *r, const char *category, const char *code,
                      enum baton_finding_status status, const char *text, const char *basis)
{
    const char *status_name = bh_finding_status_name(status);
    if (r == NULL)
        return bh_refuse(BATON_EINVAL, "result_finding: no result to write to");
    int rc = bh_rule_finding(category, code, status, text);
    if (rc != 0)
        return rc;
    int failed = 0;
    struct bh_rfinding *f = bh_arena_zalloc(&r->arena, sizeof *f);
    if (f == NULL)
        return BATON_ENOMEM;
    f->category = keep(r, category, &failed);
    f->code = keep(r, code, &failed);
    f->status = status_name;
    f->text = keep(r, text, &failed);
    f->basis = keep(r, basis, &failed);
    f->plugin = r->plugin; /* borrowed: the plugin outlives its result */
    if (failed)
        return BATON_ENOMEM;
    if (r->findings_tail != NULL)
        r->findings_tail->next = f;
    else
        r->findings = f;
    r->findings_tail = f;
    return 0;
}

int bh_result_line_item(baton_result *r, const char *kind, const char *label, baton_money amount,
                        const char *basis)
{
    char amount_text[32];
    if (r == NULL)
        return bh_refuse(BATON_EINVAL, "result_line_item: no result to write to");
    int rc = bh_rule_line_item(kind, label, amount);
    if (rc != 0)
        return rc;
    if (money_text(amount, amount_text) != 0)
        return BATON_ENOMEM; /* the rules passed it: only a cut buffer is left */
    int failed = 0;
    struct bh_rcost *c = bh_arena_zalloc(&r->arena, sizeof *c);
    if (c == NULL)
        return BATON_ENOMEM;
    c->kind = keep(r, kind, &failed);
    c->label = keep(r, label, &failed);
    c->basis = keep(r, basis, &failed);
    c->plugin = r->plugin;
    c->amount = amount;
    memcpy(c->amount_text, amount_text, sizeof amount_text);
    if (failed)
        return BATON_ENOMEM;
    if (r->costs_tail != NULL)
        r->costs_tail->next = c;
    else
        r->costs = c;
    r->costs_tail = c;
    return 0;
}

/* The child of node named key[0..len), or NULL. */
static struct bh_rfact *fact_child(const struct bh_rfact *node, const char *key, size_t len)
{
    for (struct bh_rfact *c = node->child; c != NULL; c = c->next) {
        if (c->key_len == len && memcmp(c->key, key, len) == 0)
            return c;
    }
    return NULL;
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
    if (parent->last_child != NULL)
        parent->last_child->next = f;
    else
        parent->child = f;
    parent->last_child = f;
    return f;
}

/* The same with the name key[0..len) copied into the result. */
static struct bh_rfact *fact_add_n(baton_result *r, struct bh_rfact *parent, const char *key,
                                   size_t len, enum fact_kind kind)
{
    const char *copy = bh_arena_strndup(&r->arena, key, len);
    return copy != NULL ? fact_link(r, parent, copy, len, kind) : NULL;
}

#define fact_add_literal(r, parent, lit, kind)                                                     \
    fact_link((r), (parent), (lit), sizeof(lit) - 1, (kind))

static struct bh_rfact *fact_add(baton_result *r, struct bh_rfact *parent, const char *key,
                                 enum fact_kind kind)
{
    return fact_add_n(r, parent, key, strlen(key), kind);
}

/*
 * The leaf for facts.<key>, with the intermediate objects of a dotted key
 * made on the way (an existing object, a money fact included, is gone
 * into). Returns 0 and *out, or BATON_EINVAL (bad key), BATON_ELIMIT (too
 * many facts), BATON_EEXIST (the key, or a prefix of it as a leaf, is
 * taken) or BATON_ENOMEM.
 */
static int fact_place(baton_result *r, const char *key, enum fact_kind kind, struct bh_rfact **out)
{
    if (r == NULL)
        return bh_refuse(BATON_EINVAL, "result fact: no result to write to");
    /* Every segment is checked before anything changes (builder_rules.c). */
    int rc = bh_rule_fact_key(key);
    if (rc != 0)
        return rc;
    if (r->fact_count >= BH_RESULT_MAX_FACTS)
        return bh_refuse(BATON_ELIMIT,
                         "fact %s: the answer already holds %d facts, the most one "
                         "evaluation may set",
                         key, BH_RESULT_MAX_FACTS);
    struct bh_rfact *node = r->facts;
    const char *seg = key;
    for (;;) {
        const char *dot = strchr(seg, '.');
        size_t len = dot != NULL ? (size_t)(dot - seg) : strlen(seg);
        struct bh_rfact *child = fact_child(node, seg, len);
        if (dot == NULL) {
            if (child != NULL)
                return bh_refuse(BATON_EEXIST, "fact %s: already set (each fact is set once)", key);
            if ((*out = fact_add_n(r, node, seg, len, kind)) == NULL)
                return BATON_ENOMEM;
            r->fact_count++;
            return 0;
        }
        if (child == NULL) {
            if ((child = fact_add_n(r, node, seg, len, FACT_OBJECT)) == NULL)
                return BATON_ENOMEM;
        } else if (child->kind != FACT_OBJECT) {
            return bh_refuse(BATON_EEXIST, "fact %s: %.*s is already a fact, not a group of facts",
                             key, (int)len, seg);
        }
        node = child;
        seg = dot + 1;
    }
}

int bh_result_string(baton_result *r, const char *key, const char *value)
{
    struct bh_rfact *f;
    if (value == NULL)
        return bh_refuse(BATON_EINVAL, "fact string: value is NULL");
    int rc = fact_place(r, key, FACT_STRING, &f);
    if (rc != 0)
        return rc;
    if ((f->text = bh_arena_strdup(&r->arena, value)) == NULL)
        return BATON_ENOMEM;
    return 0;
}

int bh_result_int(baton_result *r, const char *key, int64_t value)
{
    struct bh_rfact *f;
    /* JSON numbers are doubles: refuse what a double cannot hold exactly. */
    if (value > MAX_JSON_INT || value < -MAX_JSON_INT)
        return bh_refuse(BATON_ERANGE, "fact integer %lld: beyond +-2^53 (not exact in JSON)",
                         (long long)value);
    int rc = fact_place(r, key, FACT_INT, &f);
    if (rc != 0)
        return rc;
    f->i = value;
    return 0;
}

int bh_result_date(baton_result *r, const char *key, baton_date value)
{
    char buf[11];
    if (!baton_date_valid(value))
        return bh_refuse(BATON_EINVAL,
                         "fact date %d-%d-%d: not a date between 0001-01-01 and "
                         "9999-12-31",
                         (int)value.year, (int)value.month, (int)value.day);
    bh_date_format(value, buf);
    return bh_result_string(r, key, buf);
}

int bh_result_money(baton_result *r, const char *key, baton_money value)
{
    char amount[32];
    struct bh_rfact *m, *leaf;
    int rc = bh_rule_money("fact money", value);
    if (rc != 0)
        return rc;
    if (money_text(value, amount) != 0)
        return BATON_ENOMEM; /* the rules passed it: only a cut buffer is left */
    rc = fact_place(r, key, FACT_OBJECT, &m);
    if (rc != 0)
        return rc;
    /* The three leaves are one fact: they do not count on their own.
     * Their names are literals, kept as they are. */
    if ((leaf = fact_add_literal(r, m, "amount", FACT_STRING)) == NULL ||
        (leaf->text = bh_arena_strdup(&r->arena, amount)) == NULL ||
        (leaf = fact_add_literal(r, m, "currency", FACT_STRING)) == NULL ||
        (leaf->text = bh_arena_strndup(&r->arena, value.currency, 3)) == NULL ||
        (leaf = fact_add_literal(r, m, "minor", FACT_INT)) == NULL)
        return BATON_ENOMEM;
    leaf->i = value.minor;
    return 0;
}

/* ---- the answer's text ---- */

static void write_finding(const struct bh_rfinding *f, bh_jw *w)
{
    if (f->raw != NULL) {
        bh_jw_value(w, f->raw);
        return;
    }
    bh_jw_lit(w, "{\"category\":");
    bh_jw_plain(w, f->category);
    bh_jw_lit(w, ",\"code\":");
    bh_jw_plain(w, f->code);
    bh_jw_lit(w, ",\"status\":");
    bh_jw_plain(w, f->status);
    bh_jw_lit(w, ",\"text\":");
    bh_jw_string(w, f->text);
    if (f->basis != NULL) {
        bh_jw_lit(w, ",\"basis\":");
        bh_jw_string(w, f->basis);
    }
    if (f->plugin != NULL) {
        bh_jw_lit(w, ",\"plugin\":");
        bh_jw_plain(w, f->plugin);
    }
    bh_jw_lit(w, "}");
}

static void write_cost(const struct bh_rcost *c, bh_jw *w)
{
    if (c->raw != NULL) {
        bh_jw_value(w, c->raw);
        return;
    }
    bh_jw_lit(w, "{\"amount\":");
    write_money(w, c->amount_text, c->amount.currency, c->amount.minor);
    bh_jw_lit(w, ",\"kind\":");
    bh_jw_plain(w, c->kind);
    bh_jw_lit(w, ",\"label\":");
    bh_jw_string(w, c->label);
    if (c->basis != NULL) {
        bh_jw_lit(w, ",\"basis\":");
        bh_jw_string(w, c->basis);
    }
    if (c->plugin != NULL) {
        bh_jw_lit(w, ",\"plugin\":");
        bh_jw_plain(w, c->plugin);
    }
    bh_jw_lit(w, "}");
}

/* Facts nest at most BATON_FACT_KEY_MAX / 2 levels (one byte and a dot each),
 * so this recursion is bounded. */
static void write_fact(const struct bh_rfact *f, bh_jw *w)
{
    switch (f->kind) {
    case FACT_OBJECT:
        bh_jw_lit(w, "{");
        for (const struct bh_rfact *c = f->child; c != NULL; c = c->next) {
            if (c != f->child)
                bh_jw_lit(w, ",");
            if (c->key_unchecked)
                bh_jw_string(w, c->key);
            else
                bh_jw_plain(w, c->key); /* held to the code rule by fact_place */
            bh_jw_lit(w, ":");
            write_fact(c, w);
        }
        bh_jw_lit(w, "}");
        break;
    case FACT_STRING:
        bh_jw_string(w, f->text);
        break;
    case FACT_INT:
        bh_jw_int(w, f->i);
        break;
    case FACT_RAW:
        bh_jw_value(w, f->json);
        break;
    }
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
    write_fact(r->facts, w);
}

/* One (currency, kind) sum of the totals. */
struct total {
    const char *currency, *kind;
    int64_t minor;
    size_t order; /* position among its currency's kinds */
};

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
        for (i = 0; i < n; i++) {
            if (strcmp(sums[i].currency, c->amount.currency) == 0 &&
                strcmp(sums[i].kind, c->kind) == 0)
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
    bh_jw_lit(w, "\"totals\":{");
    for (size_t i = 0; i < n; i++) {
        size_t first = i;
        for (size_t k = 0; k < i; k++) {
            if (strcmp(sums[k].currency, sums[i].currency) == 0)
                first = k;
        }
        if (first != i)
            continue; /* this currency was written with its first pair */
        if (i > 0)
            bh_jw_lit(w, ",");
        bh_jw_string(w, sums[i].currency);
        bh_jw_lit(w, ":{");
        /* This currency's kinds by their order, a selection each step. */
        size_t last = 0;
        int any = 0;
        for (;;) {
            size_t pick = n;
            for (size_t k = i; k < n; k++) {
                if (strcmp(sums[k].currency, sums[i].currency) == 0 &&
                    (!any || sums[k].order > last) &&
                    (pick == n || sums[k].order < sums[pick].order))
                    pick = k;
            }
            if (pick == n)
                break;
            char text[32];
            baton_money m = baton_money_make(sums[pick].minor, sums[pick].currency);
            if (money_text(m, text) != 0) {
                rc = BATON_ERANGE;
                goto out;
            }
            if (any)
                bh_jw_lit(w, ",");
            bh_jw_string(w, sums[pick].kind);
            bh_jw_lit(w, ":");
            write_money(w, text, sums[pick].currency, sums[pick].minor);
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
    r->fact_count = 0;
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

typedef struct rnode {
    enum rkind k;
    const void *p; /* the record, fact node or cJSON node */
    const char *s; /* RN_STR */
    int64_t i;     /* RN_INT */
} rnode;

static rnode rn(enum rkind k, const void *p)
{
    rnode n = {k, p, NULL, 0};
    return n;
}

static rnode rn_str(const char *s)
{
    rnode n = {RN_STR, NULL, s, 0};
    return n;
}

static rnode rn_fact(const struct bh_rfact *f)
{
    rnode n = {RN_FACT, f, NULL, 0};
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

#define MAX_FIELDS 6

/* The members of a record-made object, in the order bh_result_write
 * writes them; how many. */
static size_t fields(const baton_result *r, const rnode *n, const char **names, rnode *vals)
{
    size_t k = 0;
#define FIELD(name, val)                                                                           \
    do {                                                                                           \
        names[k] = (name);                                                                         \
        vals[k++] = (val);                                                                         \
    } while (0)
    switch (n->k) {
    case RN_ROOT:
        FIELD("findings", rn(RN_FINDINGS, NULL));
        FIELD("costs", rn(RN_COSTS, NULL));
        FIELD("facts", rn(RN_FACT, r->facts));
        break;
    case RN_FINDING: {
        const struct bh_rfinding *f = n->p;
        FIELD("category", rn_str(f->category));
        FIELD("code", rn_str(f->code));
        FIELD("status", rn_str(f->status));
        FIELD("text", rn_str(f->text));
        if (f->basis != NULL)
            FIELD("basis", rn_str(f->basis));
        if (f->plugin != NULL)
            FIELD("plugin", rn_str(f->plugin));
        break;
    }
    case RN_COST: {
        const struct bh_rcost *c = n->p;
        FIELD("amount", rn(RN_MONEY, c));
        FIELD("kind", rn_str(c->kind));
        FIELD("label", rn_str(c->label));
        if (c->basis != NULL)
            FIELD("basis", rn_str(c->basis));
        if (c->plugin != NULL)
            FIELD("plugin", rn_str(c->plugin));
        break;
    }
    case RN_MONEY: {
        const struct bh_rcost *c = n->p;
        rnode minor = {RN_INT, NULL, NULL, c->amount.minor};
        FIELD("amount", rn_str(c->amount_text));
        FIELD("currency", rn_str(c->amount.currency));
        FIELD("minor", minor);
        break;
    }
    default:
        break;
    }
#undef FIELD
    return k;
}

/* The member key[0..klen) of object n; 0, or BATON_ENOENT (no such
 * member, or n is no object). */
static int child_key(const baton_result *r, const rnode *n, const char *key, size_t klen,
                     rnode *out)
{
    const char *names[MAX_FIELDS];
    rnode vals[MAX_FIELDS];
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
    size_t count = fields(r, n, names, vals);
    for (size_t i = 0; i < count; i++) {
        if (strncmp(names[i], key, klen) == 0 && names[i][klen] == '\0') {
            *out = vals[i];
            return 0;
        }
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
static int child_index(const baton_result *r, const rnode *n, size_t index, rnode *out)
{
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

/* The node at path: 0, BATON_ENOENT or BATON_EINVAL (case_view.h). */
static int resolve(const baton_result *r, const char *path, rnode *out)
{
    rnode n = rn(RN_ROOT, NULL);
    if (r == NULL || path == NULL)
        return BATON_EINVAL;
    bh_path t = bh_path_of(path);
    for (;;) {
        const char *k;
        size_t klen, idx;
        int rc, step = bh_path_next(&t, &k, &klen, &idx);
        if (step == BH_PATH_END) {
            *out = n;
            return 0;
        }
        if (step < 0)
            return BATON_EINVAL;
        rc = step == BH_PATH_KEY ? child_key(r, &n, k, klen, &n) : child_index(r, &n, idx, &n);
        if (rc != 0)
            return rc;
    }
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
    return resolve(r, path, &n) == 0 ? node_type(&n) : BATON_VIEW_MISSING;
}

int bh_result_view_string(const baton_result *r, const char *path, const char **out)
{
    rnode n;
    int rc = resolve(r, path, &n);
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
    int rc = resolve(r, path, &n);
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
    int rc = resolve(r, path, &n);
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
    int rc = resolve(r, path, &n);
    if (rc != 0)
        return rc;
    if (node_type(&n) != BATON_VIEW_OBJECT)
        return BATON_ETYPE;
    if (child_key(r, &n, "amount", 6, &amount) != 0 ||
        child_key(r, &n, "currency", 8, &currency) != 0)
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
    const char *names[MAX_FIELDS];
    rnode vals[MAX_FIELDS];
    size_t count = 0;
    int rc = resolve(r, path, &n);
    if (rc != 0)
        return rc;
    switch (n.k) {
    case RN_JSON:
        return bh_json_node_count(n.p, out);
    case RN_STR:
    case RN_INT:
        return BATON_ETYPE;
    case RN_FINDINGS:
        for (const struct bh_rfinding *f = r->findings; f != NULL; f = f->next)
            count++;
        break;
    case RN_COSTS:
        for (const struct bh_rcost *c = r->costs; c != NULL; c = c->next)
            count++;
        break;
    case RN_FACT:
        for (const struct bh_rfact *f = ((const struct bh_rfact *)n.p)->child; f != NULL;
             f = f->next)
            count++;
        break;
    default:
        count = fields(r, &n, names, vals);
        break;
    }
    *out = count;
    return 0;
}

int bh_result_view_key(const baton_result *r, const char *path, size_t index, const char **out)
{
    rnode n;
    const char *names[MAX_FIELDS];
    rnode vals[MAX_FIELDS];
    int rc = resolve(r, path, &n);
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
    size_t count = fields(r, &n, names, vals);
    if (index >= count)
        return BATON_ENOENT;
    *out = names[index];
    return 0;
}
