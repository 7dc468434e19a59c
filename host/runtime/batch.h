/*
 * batch.h - the NDJSON batch format of POST /v1/cases/evaluate/batch and
 * `baton evaluate --batch` (docs/batch.md): cases in, one a line; answers
 * out, one a line, in the same order, then a summary line.
 *
 * Owns: splitting input that arrives in pieces into numbered lines with a
 * bound on a line's length and on the memory held (bh_ndjson_in), parsing
 * one line with the one JSON input rule (json_input.h) and the single
 * endpoint's error for it, and the text of each output line: an answer
 * ({"line":N, ...the answer's members}), an error ({"line":N,"status":S,
 * "error":{"code","message"}}) and the summary. Does not own: evaluating a
 * case (evaluate.h), where the lines come from or go to (the endpoint in
 * host/api/api_evaluate_batch.c, the CLI in tools/baton/cmd_evaluate.c).
 */
#ifndef BH_BATCH_H
#define BH_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "evaluate.h"
#include "json_text.h"

/* Input split into lines. Line numbers count every line of the input from
 * 1, blank ones too, so they match the caller's file. */
typedef struct bh_ndjson_in {
    char *buf;
    size_t off, len, cap; /* bytes held: buf[off..len) */
    size_t line_max;      /* longest line taken, without its newline */
    uint64_t line_no;     /* number of the last line returned or skipped */
    int skipping;         /* dropping the rest of an over-long line */
} bh_ndjson_in;

enum bh_ndjson_next {
    BH_NDJSON_NONE = 0, /* no complete line held: feed more (or the input ended) */
    BH_NDJSON_LINE,     /* *text, *len: a line (without its newline or CR) */
    BH_NDJSON_TOO_LONG, /* the line is longer than line_max: it is dropped */
};

void bh_ndjson_init(bh_ndjson_in *in, size_t line_max);
void bh_ndjson_free(bh_ndjson_in *in);

/*
 * Adds input. What is held stays below line_max plus what one call adds
 * plus the complete lines not yet taken: the rest of an over-long line is
 * dropped as it arrives. 0 or -ENOMEM.
 */
int bh_ndjson_feed(bh_ndjson_in *in, const char *data, size_t len);

/*
 * The next line that is not blank (blank lines are counted and skipped).
 * at_end: the input has ended, so a last line without a newline counts.
 * *line_no is its number. A returned text stays valid until the next
 * feed. Returns one of enum bh_ndjson_next.
 */
int bh_ndjson_next(bh_ndjson_in *in, int at_end, const char **text, size_t *len, uint64_t *line_no);

/* Bytes held (complete lines not yet taken and a partial line). */
size_t bh_ndjson_held(const bh_ndjson_in *in);

/*
 * Parses one line as POST /v1/cases/evaluate parses its body: the tree
 * (caller frees with cJSON_Delete), or NULL with e filled (400
 * invalid_json "invalid JSON at line 1, column C (byte offset N): why",
 * or 503 out_of_memory).
 */
cJSON *bh_batch_parse(const char *text, size_t len, bh_eval_error *e);

/* The error of a line longer than line_max (413 body_too_large). */
void bh_batch_too_long(bh_eval_error *e, size_t line_max);

/*
 * An answer line is head + answer_text[1..] + "\n": head is {"line":N,
 * (no comma when the answer is "{}"), written NUL-terminated into out
 * (at least BH_BATCH_HEAD_MAX bytes); returns its length.
 */
#define BH_BATCH_HEAD_MAX 40
size_t bh_batch_answer_head(char *out, uint64_t line_no, const char *answer_text);

/*
 * The same line written in one text with its answer, no copy: open
 * appends {"line":N to w and answers where the answer is to start; the
 * answer (a JSON object) is appended there; close makes the two one line
 * (the answer's '{' becomes the comma, or goes when the answer is "{}")
 * and ends it. Close only a line whose answer was written whole (w did
 * not fail).
 */
size_t bh_batch_line_open(bh_jw *w, uint64_t line_no);
void bh_batch_line_close(bh_jw *w, size_t answer_at);

/* {"line":N,"status":S,"error":{"code":C,"message":M}}\n, malloc'd (the
 * caller frees), its length in *len; NULL when out of memory. */
char *bh_batch_error_line(uint64_t line_no, const bh_eval_error *e, size_t *len);

/* What a batch answered. */
typedef struct bh_batch_counts {
    uint64_t lines;  /* lines of input, blank ones included */
    uint64_t ok;     /* cases answered */
    uint64_t errors; /* lines answered with an error */
} bh_batch_counts;

/* {"summary":{"lines":L,"cases":C,"ok":K,"errors":E}}\n into out (at
 * least BH_BATCH_SUMMARY_MAX bytes); returns its length. */
#define BH_BATCH_SUMMARY_MAX 160
size_t bh_batch_summary(char *out, const bh_batch_counts *c);

#endif
