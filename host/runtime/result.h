/*
 * result.h - baton_result, the builder plugins write an evaluation into.
 *
 * The result is a cJSON tree shaped like the API's answer:
 *   {"findings":[{"category","code","status","text","basis","plugin"}],
 *    "costs":[{"kind","label","amount":{"amount","currency"},"basis","plugin"}],
 *    "facts":{ nested by the dots of each key }}
 * Every item records the plugin that added it (bh_result_set_plugin).
 * The builder functions implement the result_* members of baton_host_api.
 */
#ifndef BH_RESULT_H
#define BH_RESULT_H

#include <cjson/cJSON.h>

#include "baton/plugin.h"
#include "case_view.h"

/* Facts one evaluation may set (result_string & co. answer BATON_ELIMIT
 * beyond): a fact is found by key, so an unbounded number would make each
 * new one slower. */
#define BH_RESULT_MAX_FACTS 1024

struct baton_result {
    cJSON *root; /* owned */
    size_t fact_count;
    cJSON *findings, *costs, *facts; /* borrowed from root */
    const char *plugin;              /* attribution of the next items */
    baton_view view;                 /* result_view over root */
};

/* A new empty result; free with bh_result_free. NULL on ENOMEM. */
baton_result *bh_result_new(void);
void bh_result_free(baton_result *r);
/* A result that continues prior, an answer of the shape above (the worker
 * rebuilds result_view this way). On success the result owns prior; NULL
 * (prior still the caller's) when prior lacks findings, costs or facts, or
 * on ENOMEM. */
baton_result *bh_result_new_from(cJSON *prior);

/* Attributes the items added from now on to plugin (borrowed string). */
void bh_result_set_plugin(baton_result *r, const char *plugin);

/* Hands the tree to the caller (who frees it with cJSON_Delete); the result
 * is left empty. */
cJSON *bh_result_take(baton_result *r);

int bh_result_finding(baton_result *r, const char *category, const char *code,
                      enum baton_finding_status status, const char *text, const char *basis);
int bh_result_line_item(baton_result *r, const char *kind, const char *label, baton_money amount,
                        const char *basis);
int bh_result_string(baton_result *r, const char *key, const char *value);
int bh_result_int(baton_result *r, const char *key, int64_t value);
int bh_result_date(baton_result *r, const char *key, baton_date value);
int bh_result_money(baton_result *r, const char *key, baton_money value);
const baton_view *bh_result_view(baton_result *r);

/* {"amount":"12.50","currency":"GBP","minor":1250}; NULL on ENOMEM or bad currency. */
cJSON *bh_money_json(baton_money m);

/* Name of a finding status ("met", "missing", "block", "info", "warn"). */
const char *bh_finding_status_name(enum baton_finding_status s);

#endif
