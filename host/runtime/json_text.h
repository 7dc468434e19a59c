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
 * same bytes. One difference, on purpose: bh_jw_int writes an integer's
 * exact digits up to 2^53, where cJSON (and bh_jw_number, following it)
 * prints one of sixteen digits as %1.15g, 9007199254740992 as
 * 9.00719925474099e+15, which reads back as another number; the answer's
 * amounts in minor units and integer facts keep their exact value.
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
 * call does nothing and failed stays set; check once, at the end. A failed
 * writer also has n and cap 0, so the room check is one comparison. */
typedef struct bh_jw {
    char *b;
    size_t n, cap;
    int failed;
    size_t held; /* while failed: the buffer's size (cap is 0 then) */
} bh_jw;

/* An empty writer with cap bytes reserved. Returns 0 or -ENOMEM. */
int bh_jw_init(bh_jw *w, size_t cap);
/* Frees the buffer (also after bh_jw_take). */
void bh_jw_free(bh_jw *w);
/* Hands the NUL-terminated text to the caller (who frees it with free)
 * and its length in *len; NULL, and the buffer freed, when a write
 * failed. */
char *bh_jw_take(bh_jw *w, size_t *len);
/* Marks w failed: nothing more is written, bh_jw_take answers NULL. The
 * text written so far stays in the buffer (bh_jw_back_to). */
void bh_jw_fail(bh_jw *w);
/* Drops what was written after the first n bytes (n at most w's length
 * when it last succeeded), and a failure since: a writer holding many
 * answers (the batches') takes back one it could not finish. */
void bh_jw_back_to(bh_jw *w, size_t n);

/* Room for more bytes and a final NUL: 0, or -1 with failed set. The
 * common case (room already there) is inline: the answer is written in
 * a few hundred small pieces. n < cap unless failed (both 0 then). */
int bh_jw_grow(bh_jw *w, size_t more);
static inline int bh_jw_reserve(bh_jw *w, size_t more)
{
    if (more < w->cap - w->n)
        return 0;
    return bh_jw_grow(w, more);
}

/*
 * Writing a record with one capacity check: bh_jw_room reserves the
 * record's worst case and answers where to write (NULL after a failed
 * allocation: write nothing then); the bh_jw_put_* functions write there
 * with plain stores, each returning the end of what it wrote, and
 * bh_jw_done makes that end the writer's length. Each put needs the room
 * its BH_JW_*_MAX says, and writes no byte beyond what it returns.
 */
static inline char *bh_jw_room(bh_jw *w, size_t more)
{
    return bh_jw_reserve(w, more) == 0 ? w->b + w->n : NULL;
}
static inline void bh_jw_done(bh_jw *w, char *end)
{
    w->n = (size_t)(end - w->b);
}

/*
 * For a writer of many pieces (the facts tree): its position and the end
 * of its room kept in locals, so that the room check is a comparison of
 * two registers and no store through the text can be taken to change it.
 * bh_jw_open starts at the writer's length, bh_jw_ensure makes sure of
 * need bytes before limit, moving on (out becomes the length, the buffer
 * may move) when there are fewer; bh_jw_done(w, out) before any other
 * call on w. Both answer -1 (nothing to write) once the writer failed.
 */
typedef struct bh_jw_span {
    char *out, *limit; /* out NULL: failed */
} bh_jw_span;
bh_jw_span bh_jw_more(bh_jw *w, char *out, size_t need);
static inline int bh_jw_open(bh_jw *w, size_t need, char **out, char **limit)
{
    if (bh_jw_reserve(w, need) != 0)
        return -1;
    *out = w->b + w->n;
    *limit = w->b + w->cap - 1; /* the last byte is the NUL's */
    return 0;
}
static inline int bh_jw_ensure(bh_jw *w, size_t need, char **out, char **limit)
{
    if ((size_t)(*limit - *out) >= need)
        return 0;
    bh_jw_span s = bh_jw_more(w, *out, need);
    *out = s.out;
    *limit = s.limit;
    return s.out != NULL ? 0 : -1;
}

/* Room a JSON string of len bytes may take: every byte \u00XX, and the
 * quotes. len must be below SIZE_MAX / 8 (bh_jw_string checks). */
#define BH_JW_STRING_MAX(len) ((len)*6 + 2)
/* Room an integer may take: "-9223372036854775808". */
#define BH_JW_INT_MAX 20

/* Copies n bytes from s to out, n known only at run time; the short runs
 * an answer is made of (keys, codes, amounts) without a call to memcpy.
 * Overlapping loads and stores of fixed size, each inside [0, n). */
static inline char *bh_jw_put_raw(char *out, const char *s, size_t n)
{
    if (n >= 8) {
        if (n > 16) {
            memcpy(out, s, n);
        } else {
            uint64_t a, b;
            memcpy(&a, s, 8);
            memcpy(&b, s + n - 8, 8);
            memcpy(out, &a, 8);
            memcpy(out + n - 8, &b, 8);
        }
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, s, 4);
        memcpy(&b, s + n - 4, 4);
        memcpy(out, &a, 4);
        memcpy(out + n - 4, &b, 4);
    } else if (n > 0) {
        out[0] = s[0];
        out[n / 2] = s[n / 2];
        out[n - 1] = s[n - 1];
    }
    return out + n;
}
/* Writes a string literal. */
#define bh_jw_put_lit(out, lit) (memcpy((out), (lit), sizeof(lit) - 1), (out) + sizeof(lit) - 1)
/* Writes s[0..len) quoted but not escaped: for text a builder rule has
 * already held to bytes that need no escape (codes, fact keys, currency
 * codes, plugin names, decimal amounts); room len + 2. */
static inline char *bh_jw_put_plain(char *out, const char *s, size_t len)
{
    *out++ = '"';
    out = bh_jw_put_raw(out, s, len);
    *out++ = '"';
    return out;
}
/* Writes s[0..len) as a JSON string, quoted and escaped; room
 * BH_JW_STRING_MAX(len). */
char *bh_jw_put_string(char *out, const char *s, size_t len);
/* Writes v as a JSON number (bh_jw_int); room BH_JW_INT_MAX. */
char *bh_jw_put_int(char *out, int64_t v);

/* Appends s[0..len) as it is (already JSON). */
static inline void bh_jw_raw(bh_jw *w, const char *s, size_t len)
{
    char *out = bh_jw_room(w, len);
    if (out != NULL)
        bh_jw_done(w, bh_jw_put_raw(out, s, len));
}
/* Appends a string literal as it is. */
#define bh_jw_lit(w, lit) bh_jw_raw((w), (lit), sizeof(lit) - 1)
/* Appends s as a JSON string, quoted and escaped (NULL: ""). */
void bh_jw_string(bh_jw *w, const char *s);
/* Appends v as a JSON number; |v| must be below 2^53 to read back
 * exactly (result.h refuses larger ones before they get here). */
void bh_jw_int(bh_jw *w, int64_t v);
/* Appends d as cJSON would print it (NaN and infinities as null). */
void bh_jw_number(bh_jw *w, double d);
/* Appends json's text. */
void bh_jw_value(bh_jw *w, const cJSON *json);

#endif
