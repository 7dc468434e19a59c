/* json_index_parse.c - JSON text into a flat index in one pass, a case's
 * rules checked on the way (json_index_parse.h). */
#include "json_index_parse.h"

#include <stdint.h>
#include <string.h>

#include "baton/error.h"
#include "case_rules.h"
#include "case_validate.h"
#include "json_input.h"
#include "money_text.h"

/* SSE2 is part of every x86-64 CPU, so the 16-byte scans below need no
 * check at run time; elsewhere the 8-byte word scans serve alone. */
#if defined(__SSE2__)
#include <emmintrin.h>
#define SIMD16 1
#else
#define SIMD16 0
#endif

/* The largest integer the subset takes: the view's integers are within
 * +-2^53 (case_view.c), and up to there a double holds them exactly, so
 * cJSON's strtod gives the same value. */
#define MAX_INT_ABS INT64_C(9007199254740992)
#define MAX_DIGITS  16

/* Byte classes: STOP ends a run of plain string bytes (controls below
 * 0x20, '"', '\\', and non-ASCII, which is checked as UTF-8); WS is the
 * whitespace RFC 8259 allows (space, tab, LF, CR). */
enum { STOP = 1, WS = 2 };
static const unsigned char byte_class[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 1, 1, 3, 1, 1, /* 00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 10 */
    2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 20 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 70 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 80 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 90 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* A0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* B0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* C0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* D0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* E0 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* F0 */
};

/*
 * The STOP bytes among the eight bytes of x (loaded little-endian): the
 * high bit of each byte below 0x20, '"', '\\' or 0x80 and up, by the
 * classic tests for a zero byte and for a byte below n, a word at a time.
 * Those tests may also mark a byte above a marked one (a borrow carries
 * upwards), never one below: the lowest mark is the first STOP byte.
 */
#define ONES  UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
static inline uint64_t stop_marks(uint64_t x)
{
    uint64_t quote = x ^ (ONES * '"'), backslash = x ^ (ONES * '\\');
    uint64_t below_space = x - ONES * 0x20;
    uint64_t zero_quote = (quote - ONES) & ~quote;
    uint64_t zero_backslash = (backslash - ONES) & ~backslash;
    return (below_space | zero_quote | zero_backslash | x) & HIGHS;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORD_AT_A_TIME 1
#else
#define WORD_AT_A_TIME 0
#endif

#if SIMD16
/* The STOP bytes among the 16 bytes of x, a bit each (bit i: byte i):
 * '"', '\\', and below 0x20 or 0x80 and up, which are the bytes below
 * 0x20 when compared as signed. */
static inline unsigned stop_mask16(__m128i x)
{
    __m128i quote = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
    __m128i backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
    __m128i low_or_high = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), low_or_high));
}
#endif

/* skip_ws past a run of whitespace (p at a byte up to ' '). */
static const unsigned char *skip_ws_run(const unsigned char *p, const unsigned char *end)
{
#if SIMD16
    while (end - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned blank = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_cmpeq_epi8(x, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))));
        if (blank != 0xFFFF) {
            p += __builtin_ctz(~blank);
            if (*p > ' ')
                return p;
            break; /* a tab or CR goes on below; anything else stops there */
        }
        p += 16;
    }
#endif
    while (p < end && (byte_class[*p] & WS))
        p++;
    return p;
}

/*
 * p moved past the whitespace RFC 8259 allows (space, tab, LF, CR).
 * Pretty-printed JSON has a single space after each ':' and runs of
 * indentation after each line break: no whitespace or a single space is
 * answered here, inline; a run is skipped 16 bytes at a time.
 */
static inline const unsigned char *skip_ws(const unsigned char *p, const unsigned char *end)
{
    if (p < end && (*p > ' '))
        return p;
    if (end - p >= 2 && *p == ' ' && p[1] > ' ')
        return p + 1;
    return skip_ws_run(p, end);
}

static int hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The value of the escape "\uXXXX" at p, or -1 when p does not hold
 * one. */
static long hex4_at(const unsigned char *p, const unsigned char *end)
{
    long v = 0;
    if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
        return -1;
    for (int i = 2; i < 6; i++) {
        int d = hex_digit(p[i]);
        if (d < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

static unsigned char *put_utf8(unsigned char *o, unsigned long cp)
{
    if (cp < 0x80) {
        *o++ = (unsigned char)cp;
    } else if (cp < 0x800) {
        *o++ = (unsigned char)(0xC0 | cp >> 6);
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = (unsigned char)(0xE0 | cp >> 12);
        *o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    } else {
        *o++ = (unsigned char)(0xF0 | cp >> 18);
        *o++ = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        *o++ = (unsigned char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/*
 * The string at *pp (*pp[0] == '"') unescaped to *pool, NUL-terminated;
 * moves *pp past its closing quote and *pool past the NUL. Returns the
 * unescaped length, or -1 when the string is outside the subset.
 */
static inline __attribute__((always_inline)) long
parse_string(const unsigned char **pp, const unsigned char *end, unsigned char **pool)
{
    const unsigned char *p = *pp + 1;
    unsigned char *o = *pool, *start = o;
    for (;;) {
        /* Up to the next STOP byte: 16 bytes at a time (SSE2) or eight
         * while that many are left (copied whole, the pool's next writes
         * overwrite what lies past the stop), then byte by byte. The pool
         * never overruns: its writes trail the text's reads by at least
         * the string's opening quote, so writing 16 or 8 bytes where as
         * many can be read stays inside its len + 1 bytes. */
#if SIMD16
        if (end - p >= 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
            _mm_storeu_si128((__m128i *)(void *)o, x);
            unsigned marks = stop_mask16(x);
            if (marks == 0) {
                o += 16;
                p += 16;
                continue;
            }
            unsigned k = (unsigned)__builtin_ctz(marks);
            o += k;
            p += k;
        } else
#endif
            if (WORD_AT_A_TIME && end - p >= 8) {
            uint64_t x;
            memcpy(&x, p, 8);
            memcpy(o, &x, 8);
            uint64_t marks = stop_marks(x);
            if (marks == 0) {
                o += 8;
                p += 8;
                continue;
            }
            size_t k = (size_t)__builtin_ctzll(marks) >> 3;
            o += k;
            p += k;
        } else {
            while (p < end && !(byte_class[*p] & STOP))
                *o++ = *p++;
            if (p == end)
                return -1;
        }
        unsigned char c = *p;
        if (c == '"')
            break;
        if (c >= 0x80) {
            size_t n = bh_json_utf8_len(p, end);
            if (n == 0)
                return -1;
            memcpy(o, p, n);
            o += n;
            p += n;
            continue;
        }
        if (c != '\\' || end - p < 2)
            return -1; /* a raw control character, or a text ending in "\" */
        switch (p[1]) {
        case '"':
        case '\\':
        case '/':
            *o++ = p[1];
            break;
        case 'b':
            *o++ = '\b';
            break;
        case 'f':
            *o++ = '\f';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 't':
            *o++ = '\t';
            break;
        case 'u': {
            long u = hex4_at(p, end);
            if (u <= 0 || (u >= 0xDC00 && u <= 0xDFFF))
                return -1; /* not hex, NUL, or a low surrogate first */
            if (u >= 0xD800 && u <= 0xDBFF) {
                long lo = hex4_at(p + 6, end);
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return -1;
                o = put_utf8(o, 0x10000 + ((unsigned long)(u - 0xD800) << 10) +
                                    (unsigned long)(lo - 0xDC00));
                p += 12;
            } else {
                o = put_utf8(o, (unsigned long)u);
                p += 6;
            }
            continue;
        }
        default:
            return -1;
        }
        p += 2;
    }
    *o++ = '\0';
    *pp = p + 1;
    *pool = o;
    return (long)(o - start - 1);
}

/* A growable array of nodes in the arena (old blocks stay as garbage). */
typedef struct nodes {
    bh_jnode *v;
    size_t used, cap;
} nodes;

static int nodes_reserve(bh_arena *a, nodes *n, size_t more)
{
    if (n->cap - n->used >= more)
        return 0;
    size_t cap = n->cap;
    while (cap - n->used < more)
        cap *= 2;
    if (cap > BH_JINDEX_MAX_NODES) {
        if (n->used + more > BH_JINDEX_MAX_NODES)
            return BATON_EINVAL;
        cap = BH_JINDEX_MAX_NODES;
    }
    bh_jnode *v = bh_arena_alloc(a, cap * sizeof *v);
    if (v == NULL)
        return BATON_ENOMEM;
    memcpy(v, n->v, n->used * sizeof *v);
    n->v = v;
    n->cap = cap;
    return 0;
}

static size_t first_capacity(size_t len)
{
    /* A case spends 12 to 20 bytes of text per node. */
    return len / 12 + 16;
}

size_t bh_jindex_parse_arena_size(size_t len)
{
    return 2 * first_capacity(len) * sizeof(bh_jnode) + len + 1 + 4 * BH_ARENA_ALIGN;
}

/* ---- the case rules, as the text is read -------------------------------- */

/*
 * The rules of case_rules.h are the tables case_validate.c walks over a
 * cJSON tree; here they drive the parse instead: each value is read
 * knowing the member it is (its rule, NULL where no rule applies: the
 * whole text when no case is asked for, an unknown member's value, ext),
 * and checked as it is read, so a case's text is walked once. The checks
 * are the tree walk's, kind for kind; what the tree walk refuses, this
 * refuses (without a reason: the caller then takes the tree route, which
 * words it).
 *
 * Names and enum words are first looked for in the text itself: a key
 * whose bytes up to its closing quote are a member's name is that member
 * (it holds no escape), and its node borrows the table's name (static,
 * NUL-terminated) instead of a copy; the same for an enum's value. A key
 * or value written with escapes is unescaped as any string and then
 * matched the way the tree walk matches.
 */

/* Money, read as an object of these two members (both strings, each once,
 * nothing else), then checked as a whole when it closes. */
static const struct bh_case_member money_members[] = {
    {"amount", 6, BH_CK_STRING, 1, 0, 0, NULL},
    {"currency", 8, BH_CK_STRING, 1, 0, 0, NULL},
};
static uint32_t money_required = 3;
static const struct bh_case_shape money_shape = {money_members, 2, &money_required};

/* What a case's text must be as a whole: an object of the root shape. */
static const struct bh_case_member case_rule = {NULL, 0, BH_CK_OBJECT,       1,
                                                0,    0, &bh_case_shape_root};

static inline int is_money(unsigned kind)
{
    return kind == BH_CK_MONEY || kind == BH_CK_PRINCIPAL || kind == BH_CK_CLAIM_CCY;
}

/* The text at q holds word[0..len) and then a quote: the string that
 * opens just before q is word, written without escapes (len >= 1). */
static inline int quoted_word_at(const unsigned char *q, const unsigned char *end, const char *word,
                                 size_t len)
{
    return (size_t)(end - q) > len && q[len] == '"' &&
           bh_jindex_key_equal((const char *)q, word, len);
}

/* The member of s the key at q (just past its opening quote) names
 * without escapes, from the next-th round the table (cases mostly list
 * members in the table's order, so most lookups hit at once; names in a
 * shape are distinct, so where the scan starts does not change what it
 * finds); s->count when none. */
static inline size_t member_in_text(const struct bh_case_shape *s, size_t next,
                                    const unsigned char *q, const unsigned char *end)
{
    size_t i = next;
    for (size_t left = s->count; left > 0; left--) {
        if (quoted_word_at(q, end, s->members[i].name, s->members[i].name_len))
            return i;
        if (++i == s->count)
            i = 0;
    }
    return s->count;
}

/* The member of s named key[0..len) (unescaped), or s->count. */
static size_t member_named(const struct bh_case_shape *s, const char *key, size_t len)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->members[i].name_len == len && bh_jindex_key_equal(s->members[i].name, key, len))
            return i;
    return s->count;
}

/* The enum word the string at q (just past its opening quote) spells
 * without escapes, or NULL. */
static inline const struct bh_case_word *
word_in_text(const struct bh_case_word *w, const unsigned char *q, const unsigned char *end)
{
    for (; w->text != NULL; w++)
        if (quoted_word_at(q, end, w->text, w->len))
            return w;
    return NULL;
}

/* check_value of case_validate.c for a string s[0..len) (unescaped, no
 * NUL inside: the parser refuses "\u0000"). */
static inline int string_fits(const struct bh_case_member *m, const char *s, size_t len)
{
    switch ((enum bh_case_kind)m->kind) {
    case BH_CK_STRING:
        return 1;
    case BH_CK_TEXT:
        return len != 0;
    case BH_CK_DATE:
    case BH_CK_DATE_NULL:
        return len == 10 && bh_case_date_ok(s);
    case BH_CK_ENUM:
        return bh_case_word_of(m->arg, s, len) != NULL;
    case BH_CK_CASE_ID:
    case BH_CK_CODE:
    case BH_CK_COUNTRY:
    case BH_CK_FORMAT:
        return bh_case_string_ok(m, s);
    default:
        return 0;
    }
}

/* check_money of case_validate.c over a money object's two members
 * (amount and currency, in either order, both strings: money_shape has
 * seen to that). A member in the claim currency is compared with the
 * first such member (*claim_ccy) here, and that one with
 * claim.principal.currency once the whole case is read
 * (claim_currency_fits): the claim may come after its charges. */
static int money_fits(unsigned kind, const bh_jnode *c, const char **claim_ccy)
{
    const bh_jnode *amount = c[0].key_len == 6 ? &c[0] : &c[1];
    const bh_jnode *currency = c[0].key_len == 6 ? &c[1] : &c[0];
    const char *ccy = currency->v.s, *a = amount->v.s;
    char why[160];
    baton_money v;

    /* An unknown currency: bh_money_parse below refuses it. */
    if (!bh_case_currency_spelled(ccy))
        return 0;
    if (kind == BH_CK_CLAIM_CCY) {
        if (*claim_ccy == NULL)
            *claim_ccy = ccy;
        else if (strcmp(ccy, *claim_ccy) != 0)
            return 0; /* they cannot both be the claim's currency */
    }
    if (!bh_case_amount_spelled(a) || bh_money_parse(a, ccy, &v, why, sizeof why) != 0)
        return 0;
    if (v.minor > BH_MAX_AMOUNT_MINOR)
        return 0;
    return kind != BH_CK_PRINCIPAL || v.minor != 0;
}

/* The members in the claim currency (all spelled ccy) are in
 * claim.principal.currency, or there is none to compare with (then the
 * case is refused anyway: the principal is required). */
static int claim_currency_fits(const bh_jindex *x, const char *ccy)
{
    const bh_jnode *claim = bh_jindex_member(x, &x->nodes[0], "claim", 5);
    const bh_jnode *principal = claim != NULL ? bh_jindex_member(x, claim, "principal", 9) : NULL;
    const bh_jnode *c = principal != NULL ? bh_jindex_member(x, principal, "currency", 8) : NULL;
    return c == NULL || c->type != BATON_VIEW_STRING || strcmp(c->v.s, ccy) == 0;
}

/* A container of rule r closing with children c[0..count): for an object
 * of shape s (NULL: any members), the members it met (seen). */
static inline int closed_fits(const struct bh_case_member *r, const struct bh_case_shape *s,
                              uint32_t seen, const bh_jnode *c, size_t count,
                              const char **claim_ccy)
{
    if (r->kind == BH_CK_ARRAY)
        return count >= r->min && (r->max == 0 || count <= r->max);
    if (s == NULL)
        return 1; /* ext: anything */
    if ((seen & *s->required) != *s->required)
        return 0;
    return !is_money(r->kind) || (count == 2 && money_fits(r->kind, c, claim_ccy));
}

/* ---- the parse ------------------------------------------------------------ */

/* An open container. */
struct frame {
    const struct bh_case_member *rule; /* what it must be; NULL: no rule */
    const struct bh_case_shape *shape; /* an object's members' rules; NULL: none */
    uint32_t start;                    /* its children's first slot in pending */
    uint32_t seen;                     /* with a shape: the members met, a bit each */
    uint8_t next;                      /* with a shape: the member after the last one met */
    uint8_t object;
};

/* The parse of json_index_parse.h: with root NULL, any JSON text in the
 * subset; with a rule, a text that also keeps it. */
static int parse(const char *text, size_t len, bh_arena *a, const struct bh_case_member *root,
                 bh_jindex *out)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    /* pending: the nodes of open containers' children (each container's
     * own node sits just before its children), moved to laid as a block
     * when their container closes. */
    nodes pending = {NULL, 0, 0}, laid = {NULL, 1, 0};
    struct frame frames[BH_JINDEX_PARSE_MAX_DEPTH];
    /* The innermost open container (NULL: none), whose frame the loop
     * reads and writes as it goes. */
    struct frame *f = NULL;
    /* The next value: its member name and its rule. */
    const char *key = NULL;
    uint32_t key_len = 0;
    const struct bh_case_member *m = root;
    const char *claim_ccy = NULL; /* the first money in the claim currency's */
    int rc;

    if (text == NULL || len == 0)
        return BATON_EINVAL;
    unsigned char *pool = bh_arena_alloc(a, len + 1);
    pending.cap = laid.cap = first_capacity(len);
    pending.v = bh_arena_alloc(a, pending.cap * sizeof *pending.v);
    laid.v = bh_arena_alloc(a, laid.cap * sizeof *laid.v);
    if (pool == NULL || pending.v == NULL || laid.v == NULL)
        return BATON_ENOMEM;

value:
    p = skip_ws(p, end);
    if (p == end)
        return BATON_EINVAL;
value_at: /* p < end, at the value's first byte */
    if (pending.used == pending.cap && (rc = nodes_reserve(a, &pending, 1)) != 0)
        return rc;
    bh_jnode *n = &pending.v[pending.used++];
    n->key = key;
    n->key_len = key_len;
    n->v.i = 0;
    n->first = n->count = 0;
    switch (*p) {
    case '{':
    case '[': {
        int object = *p == '{';
        const struct bh_case_shape *s = NULL;
        if (m != NULL) {
            if (object) {
                if (m->kind == BH_CK_OBJECT)
                    s = m->arg;
                else if (is_money(m->kind))
                    s = &money_shape;
                else
                    return BATON_EINVAL;
                if (s->count == 0)
                    s = NULL; /* ext: any members */
            } else if (m->kind != BH_CK_ARRAY) {
                return BATON_EINVAL;
            }
        }
        n->type = object ? BATON_VIEW_OBJECT : BATON_VIEW_ARRAY;
        if (f == &frames[BH_JINDEX_PARSE_MAX_DEPTH - 1])
            return BATON_EINVAL;
        f = f != NULL ? f + 1 : frames;
        f->rule = m;
        f->shape = s;
        f->start = (uint32_t)pending.used;
        f->seen = 0;
        f->next = 0;
        f->object = (uint8_t)object;
        p = skip_ws(p + 1, end);
        if (p < end && *p == (object ? '}' : ']')) {
            p++;
            goto close;
        }
        if (object)
            goto member;
        key = NULL;
        key_len = 0;
        m = m != NULL ? m->arg : NULL;
        goto value;
    }
    case '"': {
        n->type = BATON_VIEW_STRING;
        if (m != NULL && m->kind == BH_CK_ENUM) {
            const struct bh_case_word *w = word_in_text(m->arg, p + 1, end);
            if (w != NULL) {
                n->v.s = w->text;
                p += w->len + 2;
                break;
            }
        }
        n->v.s = (const char *)pool;
        if (m != NULL && (m->kind == BH_CK_DATE || m->kind == BH_CK_DATE_NULL) && end - p >= 12 &&
            p[11] == '"') {
            /* Ten bytes and a quote: a date when they pass the date
             * check, which takes only digits and dashes (so no escape or
             * quote lies among them); else read as any string. The pool
             * has room: its writes trail the text's reads. */
            memcpy(pool, p + 1, 10);
            pool[10] = '\0';
            if (bh_case_date_ok((const char *)pool)) {
                pool += 11;
                p += 12;
                break;
            }
        }
        long sl = parse_string(&p, end, &pool);
        if (sl < 0 || (m != NULL && !string_fits(m, n->v.s, (size_t)sl)))
            return BATON_EINVAL;
        break;
    }
    case 't':
    case 'f':
    case 'n': {
        /* true, false, null: their first four bytes compared as one word
         * ("fals", then the 'e'). */
        static const char words[3][5] = {"true", "fals", "null"};
        int w = *p == 't' ? 0 : *p == 'f' ? 1 : 2;
        size_t wl = w == 1 ? 5 : 4;
        if ((size_t)(end - p) < wl || memcmp(p, words[w], 4) != 0 || (w == 1 && p[4] != 'e'))
            return BATON_EINVAL;
        if (m != NULL && (w == 2 ? m->kind != BH_CK_DATE_NULL && m->kind != BH_CK_RATE_NULL
                                 : m->kind != BH_CK_BOOL))
            return BATON_EINVAL;
        n->type = w == 2 ? BATON_VIEW_NULL : BATON_VIEW_BOOL;
        n->v.i = w == 0;
        p += wl;
        break;
    }
    default: {
        int neg = *p == '-';
        int64_t v = 0;
        int digits = 0;
        if (neg)
            p++;
        if (p == end || *p < '0' || *p > '9')
            return BATON_EINVAL;
        if (*p == '0') {
            p++;
            if (p < end && *p >= '0' && *p <= '9')
                return BATON_EINVAL; /* a leading zero: cJSON's strtod reads it */
        } else {
            while (p < end && *p >= '0' && *p <= '9') {
                if (++digits > MAX_DIGITS)
                    return BATON_EINVAL;
                v = v * 10 + (*p++ - '0');
            }
        }
        if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
            return BATON_EINVAL;
        if (v > MAX_INT_ABS)
            return BATON_EINVAL;
        n->type = BATON_VIEW_INT;
        n->v.i = neg ? -v : v;
        /* A count or a rate: the tree walk's test of the same value (an
         * INT node is an integer written with digits, exact in a
         * double); "-0" is 0 to both. */
        if (m != NULL && (m->kind == BH_CK_COUNT ? n->v.i < 0 || n->v.i > INT64_C(1000000000000000)
                          : m->kind == BH_CK_RATE_NULL ? n->v.i < 0 || n->v.i > 100000
                                                       : 1))
            return BATON_EINVAL;
        break;
    }
    }

next: /* after a value */
    if (f == NULL)
        goto done;
    if (p == end || *p != ',') {
        p = skip_ws(p, end);
        if (p == end)
            return BATON_EINVAL;
    }
    if (*p == ',') {
        p++;
        if (f->object)
            goto member;
        key = NULL;
        key_len = 0;
        m = f->rule != NULL ? f->rule->arg : NULL;
        goto value;
    }
    if (*p != (f->object ? '}' : ']'))
        return BATON_EINVAL;
    p++;

close : {
    size_t start = f->start, count = pending.used - start;
    if (f->rule != NULL &&
        !closed_fits(f->rule, f->shape, f->seen, &pending.v[start], count, &claim_ccy))
        return BATON_EINVAL;
    if (laid.cap - laid.used < count && (rc = nodes_reserve(a, &laid, count)) != 0)
        return rc;
    bh_jnode *c = &pending.v[start - 1];
    c->first = (uint32_t)laid.used;
    c->count = (uint32_t)count;
    memcpy(&laid.v[laid.used], &pending.v[start], count * sizeof *laid.v);
    laid.used += count;
    pending.used = start;
    f = f != frames ? f - 1 : NULL;
    goto next;
}

member:
    p = skip_ws(p, end);
    if (p == end || *p != '"')
        return BATON_EINVAL;
    {
        const struct bh_case_shape *shape = f->shape;
        size_t i = 0;
        if (shape != NULL && (i = member_in_text(shape, f->next, p + 1, end)) < shape->count) {
            key = shape->members[i].name;
            key_len = shape->members[i].name_len;
            p += key_len + 2;
        } else {
            const unsigned char *q = p;
            key = (const char *)pool;
            long kl = parse_string(&p, end, &pool);
            if (kl < 0)
                return BATON_EINVAL;
            key_len = (uint32_t)kl;
            /* Escapes make a key shorter than its text; without any, it
             * spells no name (member_in_text would have found it). */
            if (shape == NULL || (size_t)(p - q - 2) == (size_t)kl ||
                (i = member_named(shape, key, key_len)) == shape->count) {
                m = NULL; /* a member no rule names: anything */
                goto colon;
            }
        }
        /* A known member: once, and as its rule says. */
        if (f->seen & (UINT32_C(1) << i))
            return BATON_EINVAL;
        f->seen |= UINT32_C(1) << i;
        m = &shape->members[i];
        f->next = (uint8_t)(i + 1 == shape->count ? 0 : i + 1);
    }
colon:
    /* ": " then the value, as pretty-printed JSON has it, or ':' then
     * the value, as compact JSON has it: past value's whitespace check
     * at once. */
    if (end - p >= 3 && p[0] == ':' && p[1] == ' ' && p[2] > ' ') {
        p += 2;
        goto value_at;
    }
    if (p < end && *p == ':') {
        p++;
    } else {
        p = skip_ws(p, end);
        if (p == end || *p != ':')
            return BATON_EINVAL;
        p++;
    }
    goto value;

done:
    p = skip_ws(p, end);
    if (p != end)
        return BATON_EINVAL;
    laid.v[0] = pending.v[0];
    bh_jindex_finish(out, laid.v, (uint32_t)laid.used);
    if (claim_ccy != NULL && !claim_currency_fits(out, claim_ccy))
        return BATON_EINVAL;
    return 0;
}

int bh_jindex_parse(const char *text, size_t len, bh_arena *a, bh_jindex *out)
{
    return parse(text, len, a, NULL, out);
}

int bh_jindex_parse_case(const char *text, size_t len, bh_arena *a, bh_jindex *out)
{
    bh_case_rules_ready();
    return parse(text, len, a, &case_rule, out);
}
