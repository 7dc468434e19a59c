/*
 * json_input.h - JSON text entering Baton from outside, checked and parsed
 * by one rule.
 *
 * Every JSON text batond or the baton CLI takes from outside (request
 * bodies, case files, batond.json and tenant files, uploaded plugin
 * configs) is parsed here, never by calling cJSON directly (a case on the
 * evaluate path may instead be parsed by json_index_parse.h, which applies
 * this rule to the strict subset of JSON it takes and leaves everything
 * else to bh_json_parse). On top of
 * RFC 8259 the rule refuses what cJSON would let through silently:
 *   - NUL, raw or escaped (\u0000): C strings end there, so a debtor named
 *     "Evil\u0000Hidden" would be "Evil" in letters and stored cases;
 *   - raw control characters (U+0000..U+001F) inside strings, which
 *     RFC 8259 section 7 requires to be escaped;
 *   - invalid UTF-8 (RFC 3629 section 4): overlong forms, surrogates
 *     (U+D800..U+DFFF) encoded in UTF-8, code points above U+10FFFF,
 *     truncated sequences, stray continuation bytes;
 *   - an escaped surrogate that is not half of a pair (\uD800 alone, or a
 *     \uDC00 first);
 *   - anything but whitespace after the value.
 * Each refusal names the byte offset (and line and column) and why.
 *
 * Numbers: cJSON keeps only a double, so "30", "3e1" and "30.0" would all
 * read as the integer 30. baton/plugin.h promises that an integer is a
 * number written without fraction or exponent; numbers written with one
 * are marked in the tree (bh_json_integer_text tells), so the config, the
 * case validator and the plugin views can refuse them as integers.
 *
 * Owns: the check and the parse. Does not own: what a document must
 * contain (config.c, case_validate.c).
 */
#ifndef BH_JSON_INPUT_H
#define BH_JSON_INPUT_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Where and why a text was refused. */
typedef struct bh_json_error {
    size_t offset;   /* byte offset of the offending byte */
    unsigned line;   /* 1-based line of that byte */
    unsigned column; /* 1-based column, counted in bytes */
    const char *why; /* static text: "a NUL character ...", "syntax error" */
} bh_json_error;

/*
 * Checks text[0..len) against the rule above (not the JSON grammar, which
 * cJSON checks). Returns 0, or BATON_EINVAL and fills *e. When
 * fractions is not NULL, *fractions says whether some number is written
 * with a fraction or an exponent.
 */
int bh_json_check(const char *text, size_t len, int *fractions, bh_json_error *e);

/*
 * Checks and parses text[0..len) (no NUL terminator needed). Returns the
 * tree (caller frees with cJSON_Delete), or NULL with *e filled: the rule
 * above, a syntax error, an empty text, or out of memory (e->why says
 * "out of memory", offset 0).
 */
cJSON *bh_json_parse(const char *text, size_t len, bh_json_error *e);

/* Length of the well-formed UTF-8 sequence at p (at most end - p bytes;
 * p[0] is not ASCII), or 0 when it is not one: the rule's test above
 * (RFC 3629 section 4), shared with json_index_parse.c. */
size_t bh_json_utf8_len(const unsigned char *p, const unsigned char *end);

/* Writes "line L, column C (byte offset N): WHY" into buf. */
void bh_json_error_text(const bh_json_error *e, char *buf, size_t len);

/*
 * True when number n was written as an integer (digits only, no fraction
 * or exponent) or was built in memory; false for a number parsed here from
 * text such as "14.0" or "3e1". Non-numbers: false.
 */
int bh_json_integer_text(const cJSON *n);

/*
 * Finds the first number under node (node included, in text order)
 * written with a fraction or exponent. Returns 1 and appends its path to
 * path (path[0..used) is node's own path; ".member" and "[N]" are added;
 * cap is path's size), or 0 when there is none.
 */
int bh_json_find_fraction(const cJSON *node, char *path, size_t used, size_t cap);

/*
 * Finds, without parsing, the raw text of the value of member key in the
 * object text[0..len) holds: 0 with text[*start..*end) that value, or
 * BATON_ENOENT when the text is not an object whose members up to the
 * first one named key scan as well formed, keys written without escapes.
 * A coarse scan, not a check: what it finds in a text bh_json_parse
 * refuses may be anything. It is exact for a text bh_json_parse accepts,
 * so a span whose bytes equal one found in such a text is that value
 * (config.c reuses what it parsed from identical spans).
 */
int bh_json_member_span(const char *text, size_t len, const char *key, size_t *start, size_t *end);

#endif
