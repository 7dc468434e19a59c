/*
 * letters.h - composing one letter for a tenant: which plugin writes a
 * letter kind, and the agency's letterhead on top of it.
 *
 * Owns: choosing the plugin for a kind, calling its letter_formats render
 * with the case view, placing the letterhead, and the per-request errors of
 * letter composition. Does not own: the letter's content (plugins), the
 * layout (letter_render.h), HTTP (api_letters.c).
 *
 * Which plugin writes a kind:
 *   1. the jurisdiction plugin named by the case's "jurisdiction", when it
 *      offers the kind (statutory letters: letter_of_claim,
 *      validation_notice, first_demand, ...);
 *   2. otherwise the tenant's first agency plugin offering it (reminder,
 *      final_demand, ...).
 * A kind only another jurisdiction's plugin offers is refused (a German
 * first demand is not written for an English case). "letterhead" is not a
 * letter of its own: it is the sender block an agency plugin offers, and
 * the composer puts it at the top of every letter, taken from the agency
 * plugin that wrote the letter, else the tenant's first agency plugin that
 * offers one.
 */
#ifndef BH_LETTERS_H
#define BH_LETTERS_H

#include <cjson/cJSON.h>

#include "evaluate.h"
#include "letter.h"
#include "plugin_set.h"

/* Per-request errors use the evaluation's error shape (bh_eval_error):
 *   400 invalid_case          the case is malformed (bh_case_validate)
 *   400 invalid_letter_kind   kind empty, malformed, or "letterhead"
 *   404 unknown_letter_kind   no plugin of the tenant writes this kind
 *   422 letter_not_for_jurisdiction  only another jurisdiction writes it
 *   502 plugin_failed         the plugin returned an error or wrote nothing
 *   500 internal              out of memory */

/* letter (the receiver frees it with bh_letter_free) on success, else NULL
 * and e says why. */
typedef void (*bh_letter_done_fn)(void *ctx, baton_letter *letter, const bh_eval_error *e);

struct bh_call_env;

/*
 * Starts composing letter kind for case_json (borrowed until done; as_of
 * defaults to default_as_of, "YYYY-MM-DD", when the case has none).
 * case_text is the case as JSON text for isolated plugins (NULL: serialised
 * here when needed). done runs exactly once, before this returns when the
 * plugins run in process, else later on env's loop. The letter's blocks'
 * plugin fields point into set, so the letter must not outlive set.
 */
void bh_letter_compose_start(const struct bh_call_env *env, bh_plugin_set *set,
                             const cJSON *case_json, const char *case_text, size_t case_len,
                             const char *kind, const char *default_as_of, bh_letter_done_fn done,
                             void *ctx);

/* The same, synchronously. On success *out is the letter (caller frees with
 * bh_letter_free). On failure returns a negative BATON_E* code and fills *e. */
int bh_letter_compose(bh_plugin_set *set, const cJSON *case_json, const char *kind,
                      const char *default_as_of, baton_letter **out, bh_eval_error *e);

/* Whether inst's letter formats list kind. */
int bh_plugin_offers_letter(const bh_plugin_instance *inst, const char *kind);

/*
 * The letter kinds available to set for a case in jurisdiction (NULL: all),
 * as a JSON array of {"kind", "plugin", "scope"}; NULL on ENOMEM. Caller
 * frees with cJSON_Delete.
 */
cJSON *bh_letter_kinds(const bh_plugin_set *set, const char *jurisdiction);

#endif
