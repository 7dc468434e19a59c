/*
 * baton/mockhost.h - a host in a library, for unit-testing plugin
 * functions without batond (libbaton-mockhost.a, SDK 1.1).
 *
 * It is batond's own view, result and letter code (the same rules, the
 * same refusals and reasons), driven by the test: load a case as JSON,
 * call a plugin's init and capability functions directly - the plugin's
 * sources or static library linked into the test, no dlopen - and look at
 * what they wrote. Link: -lbaton-mockhost -lbaton -lcjson.
 *
 *     baton_mockhost *mh = baton_mockhost_new();
 *     const baton_host_api *api = baton_mockhost_api(mh);
 *     baton_mockhost_set_case(mh, case_json, "2026-03-01", err, sizeof err);
 *     const baton_plugin *p = baton_plugin_entry();
 *     p->init(api, NULL, baton_mockhost_config(mh), &state, err, sizeof err);
 *     rc = p->filing_rules->evaluate(state, baton_mockhost_case(mh),
 *                                    baton_mockhost_result(mh));
 *     api->view_string(api->result_view(baton_mockhost_result(mh)),
 *                      "facts.limitation.deadline", &deadline);
 *     baton_mockhost_free(mh);
 *
 * Not thread-safe: one mock host per thread. Owns the case, the config,
 * the result and the letter it hands out (valid until reset or free).
 */
#ifndef BATON_MOCKHOST_H
#define BATON_MOCKHOST_H

#include <stddef.h>

#include "baton/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct baton_mockhost baton_mockhost;

/* A mock host with an empty case "{}" and config "{}"; NULL on ENOMEM. */
baton_mockhost *baton_mockhost_new(void);
void baton_mockhost_free(baton_mockhost *mh);

/* The host API table: batond's, with log lines kept for the test. */
const baton_host_api *baton_mockhost_api(const baton_mockhost *mh);

/*
 * The case the capability reads: JSON text (checked as batond checks
 * request bodies) and the evaluation date "YYYY-MM-DD" used when the case
 * has no "as_of". 0, or BATON_EINVAL with the reason in err.
 */
int baton_mockhost_set_case(baton_mockhost *mh, const char *json, const char *as_of, char *err,
                            size_t errlen);
/* The plugin config init() reads (JSON text); 0 or BATON_EINVAL. */
int baton_mockhost_set_config(baton_mockhost *mh, const char *json, char *err, size_t errlen);

const baton_view *baton_mockhost_case(baton_mockhost *mh);
const baton_view *baton_mockhost_config(baton_mockhost *mh);

/* The result and letter of the current call, empty after reset. */
baton_result *baton_mockhost_result(baton_mockhost *mh);
baton_letter *baton_mockhost_letter(baton_mockhost *mh);

/* Empties result, letter, logs and the last reason, for the next call. */
int baton_mockhost_reset(baton_mockhost *mh);

/* The answer so far as JSON text (as batond shapes it); free() it. */
char *baton_mockhost_result_json(baton_mockhost *mh);

/* The letter: its blocks (0 or BATON_ENOENT past the last) and
 * properties ("title", "language", "reference"; NULL when unset). */
size_t baton_mockhost_block_count(const baton_mockhost *mh);
int baton_mockhost_block(const baton_mockhost *mh, size_t i, enum baton_block_kind *kind,
                         const char **text);
const char *baton_mockhost_letter_property(const baton_mockhost *mh, const char *key);

/* Log lines the plugin wrote since the last reset (at most 256 kept). */
size_t baton_mockhost_log_count(const baton_mockhost *mh);
const char *baton_mockhost_log_line(const baton_mockhost *mh, size_t i);

/* The reason of the last refused host call (what last_error() says). */
const char *baton_mockhost_last_error(void);

#ifdef __cplusplus
}
#endif

#endif
