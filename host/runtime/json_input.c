/* json_input.c - the one rule for JSON text from outside (json_input.h). */
#include "json_input.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "baton/error.h"

/*
 * The mark on a number written with a fraction or an exponent: a bit of
 * cJSON's type word that cJSON itself never sets. cJSON tests types with
 * (type & 0xFF), frees by cJSON_IsReference and cJSON_StringIsConst only,
 * and cJSON_Duplicate copies the word, so the mark travels with copies.
 */
#define FRACTION_SPELLED (1 << 12)

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned hex4(const unsigned char *p)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        v = v << 4 | (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

/* RFC 3629 section 4, the table of well-formed byte sequences. */
size_t bh_json_utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned char c = p[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */

    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlongs */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90; /* no overlongs */
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0; /* a continuation byte, C0, C1 or F5..FF */
    }
    if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static int refuse(const char *text, size_t off, const char *why, bh_json_error *e)
{
    e->offset = off;
    e->line = 1;
    e->column = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            e->line++;
            e->column = 1;
        } else {
            e->column++;
        }
    }
    e->why = why;
    return BATON_EINVAL;
}

/* Checks the escape at p (p[0] == '\\', inside a string) and returns its
 * length, or 0 after filling *e. Other malformed escapes are left to
 * cJSON's grammar check. */
static size_t check_escape(const char *text, const unsigned char *p, const unsigned char *end,
                           bh_json_error *e)
{
    size_t off = (size_t)((const char *)p - text);
    if (end - p < 2 || p[1] != 'u')
        return end - p < 2 ? 1 : 2;
    if (end - p < 6 || !is_hex(p[2]) || !is_hex(p[3]) || !is_hex(p[4]) || !is_hex(p[5])) {
        refuse(text, off, "a \\u escape needs four hex digits", e);
        return 0;
    }
    unsigned u = hex4(p + 2);
    if (u == 0) {
        refuse(text, off, "a NUL character (\\u0000) is not allowed", e);
        return 0;
    }
    if (u >= 0xDC00 && u <= 0xDFFF) {
        refuse(text, off, "a \\u escape of a low surrogate without a high one before it", e);
        return 0;
    }
    if (u < 0xD800 || u > 0xDBFF)
        return 6;
    if (end - p < 12 || p[6] != '\\' || p[7] != 'u' || !is_hex(p[8]) || !is_hex(p[9]) ||
        !is_hex(p[10]) || !is_hex(p[11]) || hex4(p + 8) < 0xDC00 || hex4(p + 8) > 0xDFFF) {
        refuse(text, off, "a \\u escape of a high surrogate not followed by a low one", e);
        return 0;
    }
    return 12;
}

/*
 * Bytes the scan must look at, by state; every other byte is skipped in a
 * tight loop (most of a case is plain ASCII text). In strings: controls,
 * '"', '\\' and non-ASCII. Outside: NUL, '"', what marks a fraction or
 * exponent, and non-ASCII.
 */
static unsigned char in_string_stop[256], outside_stop[256];

static void init_stops(void)
{
    for (int c = 0; c < 256; c++) {
        in_string_stop[c] = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
        outside_stop[c] = c == 0 || c == '"' || c == '.' || c == 'e' || c == 'E' || c >= 0x80;
    }
}

int bh_json_check(const char *text, size_t len, int *fractions, bh_json_error *e)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    const unsigned char *start = (const unsigned char *)text, *p = start, *end = p + len;
    int in_string = 0, frac = 0;

    pthread_once(&once, init_stops);
    while (p < end) {
        const unsigned char *stop = in_string ? in_string_stop : outside_stop;
        while (p < end && !stop[*p])
            p++;
        if (p == end)
            break;
        unsigned char c = *p;
        if (c >= 0x80) {
            size_t n = bh_json_utf8_len(p, end);
            if (n == 0)
                return refuse(text, (size_t)(p - start),
                              "invalid UTF-8 (overlong, surrogate, above U+10FFFF, truncated or "
                              "a stray continuation byte)",
                              e);
            p += n;
            continue;
        }
        if (c == 0)
            return refuse(text, (size_t)(p - start), "a NUL byte", e);
        if (in_string) {
            if (c == '"') {
                in_string = 0;
            } else if (c == '\\') {
                size_t n = check_escape(text, p, end, e);
                if (n == 0)
                    return BATON_EINVAL;
                p += n;
                continue;
            } else {
                return refuse(text, (size_t)(p - start),
                              "a control character inside a string must be escaped", e);
            }
        } else if (c == '"') {
            in_string = 1;
        } else if (c != 'e' || (p > start && p[-1] >= '0' && p[-1] <= '9')) {
            /* Outside strings '.' and 'E' occur only in numbers, and 'e'
             * right after a digit ("true" and "false" have it after a
             * letter). */
            frac = 1;
        }
        p++;
    }
    if (fractions != NULL)
        *fractions = frac;
    return 0;
}

/* The next number token at or after *p outside strings (the text passed
 * the check and the parse, so it is well formed); says whether it has a
 * fraction or exponent and moves *p past it. */
static int next_number_fraction(const char **p)
{
    const char *s = *p;
    while (*s != '-' && (*s < '0' || *s > '9')) {
        if (*s == '"') {
            for (s++; *s != '"'; s++)
                if (*s == '\\')
                    s++;
        }
        s++;
    }
    int frac = 0;
    for (;
         (*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == '.' || *s == 'e' || *s == 'E';
         s++)
        frac |= *s == '.' || *s == 'e' || *s == 'E';
    *p = s;
    return frac;
}

/* Marks the numbers of the tree in text order (cJSON keeps members and
 * elements in the order of the text). */
static void mark_numbers(cJSON *node, const char **p)
{
    for (; node != NULL; node = node->next) {
        if (cJSON_IsNumber(node) && next_number_fraction(p))
            node->type |= FRACTION_SPELLED;
        else if (node->child != NULL)
            mark_numbers(node->child, p);
    }
}

cJSON *bh_json_parse(const char *text, size_t len, bh_json_error *e)
{
    int frac = 0;
    const char *end = NULL;
    cJSON *root;

    if (len == 0) {
        refuse("", 0, "the text is empty; expected JSON", e);
        return NULL;
    }
    if (bh_json_check(text, len, &frac, e) != 0)
        return NULL;
    root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (root == NULL) {
        size_t off = end != NULL && end >= text && end <= text + len ? (size_t)(end - text) : 0;
        refuse(text, off, "syntax error", e);
        return NULL;
    }
    size_t off = (size_t)(end - text);
    while (off < len &&
           (text[off] == ' ' || text[off] == '\t' || text[off] == '\n' || text[off] == '\r'))
        off++;
    if (off < len) {
        cJSON_Delete(root);
        refuse(text, off, "unexpected text after the JSON value", e);
        return NULL;
    }
    if (frac) {
        /* Only texts with a fraction or exponent somewhere pay for this
         * second walk. The text is not NUL-terminated, but the last
         * number token ends before len: a well-formed text ends with a
         * value and whitespace, and a number at the very end is the
         * root, which the walk reads first. */
        const char *p = text;
        if (cJSON_IsNumber(root)) {
            if (memchr(text, '.', len) != NULL || memchr(text, 'e', len) != NULL ||
                memchr(text, 'E', len) != NULL)
                root->type |= FRACTION_SPELLED;
        } else {
            mark_numbers(root->child, &p);
        }
    }
    return root;
}

void bh_json_error_text(const bh_json_error *e, char *buf, size_t len)
{
    snprintf(buf, len, "line %u, column %u (byte offset %zu): %s", e->line, e->column, e->offset,
             e->why != NULL ? e->why : "invalid JSON");
}

int bh_json_integer_text(const cJSON *n)
{
    return cJSON_IsNumber(n) && (n->type & FRACTION_SPELLED) == 0;
}

/* The first number under node written with a fraction or exponent. */
static const cJSON *first_fraction(const cJSON *node)
{
    const cJSON *m, *hit;
    if (cJSON_IsNumber(node))
        return bh_json_integer_text(node) ? NULL : node;
    cJSON_ArrayForEach(m, node)
    {
        if ((hit = first_fraction(m)) != NULL)
            return hit;
    }
    return NULL;
}

/* Appends the path from node down to target; 1 when target is under node. */
static int path_to(const cJSON *node, const cJSON *target, char *path, size_t used, size_t cap)
{
    const cJSON *m;
    int i = 0;
    if (node == target)
        return 1;
    cJSON_ArrayForEach(m, node)
    {
        int k = cJSON_IsArray(node) ? snprintf(path + used, cap - used, "[%d]", i)
                                    : snprintf(path + used, cap - used, ".%s", m->string);
        size_t at = k > 0 && (size_t)k < cap - used ? used + (size_t)k : used;
        if (path_to(m, target, path, at, cap))
            return 1;
        path[used] = '\0';
        i++;
    }
    return 0;
}

int bh_json_find_fraction(const cJSON *node, char *path, size_t used, size_t cap)
{
    /* Walked once without writing anything; the path only for a find. */
    const cJSON *hit = first_fraction(node);
    return hit != NULL && path_to(node, hit, path, used, cap);
}

/* ---- member spans (bh_json_member_span) ---- */

static size_t skip_space(const char *t, size_t i, size_t len)
{
    while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

/* Bytes the span scan stops at: in a string '"' and '\\', between values
 * also brackets and braces. Everything else is skipped a byte per table
 * look-up (the plugin configs of a tenant file are a kilobyte or more). */
enum { SCAN_PLAIN = 0, SCAN_QUOTE, SCAN_ESCAPE, SCAN_OPEN, SCAN_CLOSE };
static unsigned char scan_class[256];
static pthread_once_t scan_once = PTHREAD_ONCE_INIT;

static void init_scan_class(void)
{
    scan_class['"'] = SCAN_QUOTE;
    scan_class['\\'] = SCAN_ESCAPE;
    scan_class['{'] = scan_class['['] = SCAN_OPEN;
    scan_class['}'] = scan_class[']'] = SCAN_CLOSE;
}

/* t[i] is '"': the index past the closing quote, or 0 when there is none;
 * *escaped set when the string holds a backslash. */
static size_t skip_string(const char *t, size_t i, size_t len, int *escaped)
{
    for (i++; i < len; i++) {
        unsigned char c = scan_class[(unsigned char)t[i]];
        if (c == SCAN_ESCAPE) {
            *escaped = 1;
            i++;
        } else if (c == SCAN_QUOTE) {
            return i + 1;
        }
    }
    return 0;
}

/* The index past the value at t[i], or 0 when it does not scan. */
static size_t skip_value(const char *t, size_t i, size_t len)
{
    int escaped = 0;
    if (i >= len)
        return 0;
    if (t[i] == '"')
        return skip_string(t, i, len, &escaped);
    if (t[i] == '{' || t[i] == '[') {
        size_t depth = 0;
        for (; i < len; i++) {
            unsigned char c = scan_class[(unsigned char)t[i]];
            if (c == SCAN_PLAIN || c == SCAN_ESCAPE)
                continue;
            if (c == SCAN_QUOTE) {
                size_t past = skip_string(t, i, len, &escaped);
                if (past == 0)
                    return 0;
                i = past - 1;
            } else if (c == SCAN_OPEN) {
                depth++;
            } else if (--depth == 0) {
                return i + 1;
            }
        }
        return 0;
    }
    size_t from = i;
    while (i < len && t[i] != ',' && t[i] != '}' && t[i] != ']' && t[i] != ' ' && t[i] != '\t' &&
           t[i] != '\n' && t[i] != '\r')
        i++;
    return i > from ? i : 0;
}

int bh_json_member_span(const char *text, size_t len, const char *key, size_t *start, size_t *end)
{
    pthread_once(&scan_once, init_scan_class);
    size_t klen = strlen(key);
    size_t i = skip_space(text, 0, len);
    if (i >= len || text[i] != '{')
        return BATON_ENOENT;
    for (i = skip_space(text, i + 1, len); i < len && text[i] == '"';) {
        int escaped = 0;
        size_t past = skip_string(text, i, len, &escaped);
        if (past == 0 || escaped)
            return BATON_ENOENT;
        int match = past - i - 2 == klen && memcmp(text + i + 1, key, klen) == 0;
        i = skip_space(text, past, len);
        if (i >= len || text[i] != ':')
            return BATON_ENOENT;
        i = skip_space(text, i + 1, len);
        past = skip_value(text, i, len);
        if (past == 0)
            return BATON_ENOENT;
        if (match) {
            *start = i;
            *end = past;
            return 0;
        }
        i = skip_space(text, past, len);
        if (i >= len || text[i] != ',')
            return BATON_ENOENT;
        i = skip_space(text, i + 1, len);
    }
    return BATON_ENOENT;
}
