/*
 * evaluate.h - one evaluation: a case through a tenant's plugins.
 *
 * Order (see baton/plugin.h): the jurisdiction plugin named by the case's
 * "jurisdiction" runs filing_rules then fee_schedule; then every agency
 * plugin of the tenant runs fee_schedule. Each step runs in process or in
 * a worker (plugin_call.h). The answer is
 *   {"case_id", "as_of", "jurisdiction",
 *    "plugins":[{name,version,scope,sdk,sha256,mode}],
 *    "findings":[...], "costs":[...], "totals":{...}, "facts":{...}}
 * where totals sums costs by kind per currency.
 */
#ifndef BH_EVALUATE_H
#define BH_EVALUATE_H

#include <cjson/cJSON.h>

#include "arena.h"
#include "case_validate.h"
#include "json_index.h"
#include "json_text.h"
#include "plugin_set.h"

typedef struct bh_eval_error {
    int http_status; /* 400 invalid case, 422 no plugin, 502 plugin failed */
    char code[40];   /* stable machine code: "invalid_case", ... */
    char message[400];
} bh_eval_error;

/* Fills *e (status, stable code, message) and returns rc: the one way the
 * runtime words a per-request error. */
int bh_eval_fail(bh_eval_error *e, int status, const char *code, int rc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The one out-of-memory error: 503 "out_of_memory", "out of memory while
 * WHAT" (api/router.h says why 503). Returns BATON_ENOMEM. */
int bh_eval_out_of_memory(bh_eval_error *e, const char *what);

/* answer (the receiver frees it with cJSON_Delete) on success, else NULL
 * and e says why. */
typedef void (*bh_eval_done_fn)(void *ctx, cJSON *answer, const bh_eval_error *e);

/* The answer as JSON text on success (NUL-terminated, len bytes, the
 * receiver frees it with free), else NULL and e says why. */
typedef void (*bh_eval_text_fn)(void *ctx, char *answer, size_t len, const bh_eval_error *e);
struct bh_call_env;

/*
 * Starts evaluating case_json (borrowed until done) with set. case_text is
 * the case as JSON text for isolated plugins (NULL: serialised here when
 * needed); default_as_of ("YYYY-MM-DD") is used when the case has no
 * "as_of". done runs exactly once: before this returns when every plugin
 * ran in process, else later on env's loop.
 */
void bh_evaluate_start(const struct bh_call_env *env, bh_plugin_set *set, const cJSON *case_json,
                       const char *case_text, size_t case_len, const char *default_as_of,
                       bh_eval_done_fn done, void *ctx);

/*
 * The same, answering with the answer's JSON text, written straight from
 * the plugins' results without a cJSON tree (the API's route: the text
 * becomes the response body as it is). bh_evaluate_start is this plus a
 * parse of the text.
 */
void bh_evaluate_start_text(const struct bh_call_env *env, bh_plugin_set *set,
                            const cJSON *case_json, const char *case_text, size_t case_len,
                            const char *default_as_of, bh_eval_text_fn done, void *ctx);

/*
 * The same from the case's JSON text, without a cJSON tree, when it can:
 * the text is parsed straight into the case index and validated as it
 * is read (bh_jindex_parse_case, json_index_parse.h). Returns 0 when it took the
 * case: done runs exactly once, as for bh_evaluate_start_text (case_text
 * is borrowed until then; isolated plugins read it as it is). Returns
 * BATON_EINVAL when the text is not a case it recognises as valid (its
 * parser takes a strict subset of JSON), or BATON_ENOMEM: done never
 * runs, and the caller takes the cJSON route (bh_json_parse, then
 * bh_evaluate_start_text), which answers that text as it always has,
 * error messages included.
 */
int bh_evaluate_try_text(const struct bh_call_env *env, bh_plugin_set *set, const char *case_text,
                         size_t case_len, const char *default_as_of, bh_eval_text_fn done,
                         void *ctx);

/*
 * The two halves of bh_evaluate_try_text, for callers that must read the
 * case before choosing its plugins and evaluate many cases in turn (the
 * CLI's batch). bh_case_index_parse: text straight into a validated case
 * index in arena (0), or BATON_EINVAL (not a case the fast route takes:
 * use the cJSON route) or BATON_ENOMEM. bh_evaluate_index_into: evaluates
 * that index (borrowed, as case_text is, until done runs): the
 * evaluation and its result are made in arena (the index's; the caller
 * resets it only after done ran), so a case of a few kilobytes allocates
 * nothing (a result past BH_RESULT_FIRST bytes grows on the heap, and out
 * grows when the answer does not fit), and the answer
 * is appended to out instead of handed over. done gets the answer's
 * place in out->b and its length (out's bytes: the receiver does not
 * free them, and they move when out is written to next), or NULL with
 * out as it was before and e saying why.
 */
int bh_case_index_parse(const char *text, size_t len, bh_arena *arena, bh_jindex *out);
void bh_evaluate_index_into(const struct bh_call_env *env, bh_plugin_set *set,
                            const bh_jindex *index, bh_arena *arena, const char *case_text,
                            size_t case_len, const char *default_as_of, bh_jw *out,
                            bh_eval_text_fn done, void *ctx);

/*
 * The same, synchronously (isolated plugins run on a private loop). On
 * success *out is the answer (caller frees with cJSON_Delete). On failure
 * returns a negative code and fills *e.
 */
int bh_evaluate(bh_plugin_set *set, const cJSON *case_json, const char *default_as_of, cJSON **out,
                bh_eval_error *e);

/* The evaluation date of a case: its "as_of", else default_as_of, else
 * today in UTC, written into today (at least 11 bytes). */
const char *bh_case_as_of(const cJSON *case_json, const char *default_as_of, char *today);

/* Today's date in UTC as "YYYY-MM-DD" (buf at least 11 bytes). */
void bh_today_utc(char *buf);

#endif
