/*
 * json_text.h - compact JSON text of a cJSON tree, for API answers.
 *
 * The same text cJSON_PrintUnformatted writes, produced faster: one growing
 * buffer, integers formatted without printf and without cJSON's
 * print-then-scan round trip (answers are mostly integers: amounts in minor
 * units, counts, days). Other numbers take cJSON's own route (%1.15g, or
 * %1.17g when that does not read back within one DBL_EPSILON); NaN and
 * infinities are written as null, as cJSON does.
 *
 * bh_jw is the writer underneath, for callers that write JSON text
 * directly (the evaluation answer, result.h) instead of building a tree
 * first: the same escaping and number forms, so both routes give the
 * same bytes.
 *
 * Owns: serialisation only. Does not own: the tree (borrowed, unchanged).
 */
#ifndef BH_JSON_TEXT_H
#define BH_JSON_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

/* Writes json as compact text. On success returns a malloc'd NUL-terminated
 * buffer the caller frees, and its length in *len; NULL when out of memory. */
char *bh_json_text(const cJSON *json, size_t *len);

/* A growing text buffer (malloc'd). After a failed allocation every later
 * call does nothing and failed stays set; check once, at the end. */
typedef struct bh_jw {
    char *b;
    size_t n, cap;
    int failed;
} bh_jw;

/* An empty writer with cap bytes reserved. Returns 0 or -ENOMEM. */
int bh_jw_init(bh_jw *w, size_t cap);
/* Frees the buffer (also after bh_jw_take). */
void bh_jw_free(bh_jw *w);
/* Hands the NUL-terminated text to the caller (who frees it with free)
 * and its length in *len; NULL, and the buffer freed, when a write
 * failed. */
char *bh_jw_take(bh_jw *w, size_t *len);

/* Room for more bytes and a final NUL: 0, or -1 with failed set. The
 * common case (room already there) is inline: the answer is written in
 * a few hundred small pieces. */
int bh_jw_grow(bh_jw *w, size_t more);
static inline int bh_jw_reserve(bh_jw *w, size_t more)
{
    if (!w->failed && more < w->cap && w->n + more < w->cap)
        return 0;
    return bh_jw_grow(w, more);
}

/* Appends s[0..len) as it is (already JSON). */
static inline void bh_jw_raw(bh_jw *w, const char *s, size_t len)
{
    if (bh_jw_reserve(w, len) != 0)
        return;
    memcpy(w->b + w->n, s, len);
    w->n += len;
}
/* Appends a string literal as it is. */
#define bh_jw_lit(w, lit) bh_jw_raw((w), (lit), sizeof(lit) - 1)
/* Appends s as a JSON string, quoted and escaped (NULL: ""). */
void bh_jw_string(bh_jw *w, const char *s);
/* Appends s quoted but not escaped: for text a builder rule has already
 * held to bytes that need no escape (codes, fact keys, currency codes,
 * plugin names, decimal amounts). */
static inline void bh_jw_plain(bh_jw *w, const char *s)
{
    size_t len = strlen(s);
    if (bh_jw_reserve(w, len + 2) != 0)
        return;
    char *out = w->b + w->n;
    out[0] = '"';
    memcpy(out + 1, s, len);
    out[len + 1] = '"';
    w->n += len + 2;
}
/* Appends v as a JSON number; |v| must be below 2^53 to read back
 * exactly (result.h refuses larger ones before they get here). */
void bh_jw_int(bh_jw *w, int64_t v);
/* Appends d as cJSON would print it (NaN and infinities as null). */
void bh_jw_number(bh_jw *w, double d);
/* Appends json's text. */
void bh_jw_value(bh_jw *w, const cJSON *json);

#endif
