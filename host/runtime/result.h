/*
 * result.h - baton_result, the builder plugins write an evaluation into.
 *
 * The result is shaped like the API's answer:
 *   {"findings":[{"category","code","status","text","basis","plugin"}],
 *    "costs":[{"amount":{"amount","currency","minor"},"kind","label","basis","plugin"}],
 *    "facts":{ nested by the dots of each key }}
 * Every item records the plugin that added it (bh_result_set_plugin).
 * The builder functions implement the result_* members of baton_host_api;
 * each refuses bad input in one place (the check at its top) and answers
 * BATON_EINVAL, BATON_ERANGE, BATON_EEXIST, BATON_ELIMIT or BATON_ENOMEM
 * as baton/plugin.h says.
 *
 * Storage: records in an arena (arena.h) that the result owns: a finding
 * or a cost is one record with its strings, a fact a node of a small tree
 * (a money fact is an object node with "amount", "currency" and "minor"
 * leaves, as the answer shows it). Nothing is freed piece by piece. The
 * answer's JSON is written straight from the records (bh_result_write),
 * never through a cJSON tree, and result_view reads the records in place
 * (bh_result_view_*): what it shows is exactly the JSON
 * bh_result_write would write at that moment.
 *
 * Owns: the records. Does not own: the plugin name given to
 * bh_result_set_plugin, or a prior answer (both borrowed).
 */
#ifndef BH_RESULT_H
#define BH_RESULT_H

#include <cjson/cJSON.h>

#include "arena.h"
#include "baton/plugin.h"
#include "case_view.h"
#include "json_text.h"

/* Facts one evaluation may set (result_string & co. answer BATON_ELIMIT
 * beyond): a fact is found by key, so an unbounded number would make each
 * new one slower. */
#define BH_RESULT_MAX_FACTS 1024
/* Bytes of records one result may hold (builders answer BATON_ENOMEM
 * beyond): a plugin, or the replay of an isolated one, cannot make one
 * request take more memory than this. */
#define BH_RESULT_MAX_BYTES (64u << 20)

struct bh_rfinding;
struct bh_rcost;
struct bh_rfact;

struct baton_result {
    bh_arena arena;
    struct bh_rfinding *findings, *findings_tail;
    struct bh_rcost *costs, *costs_tail;
    size_t finding_count, cost_count; /* the records in each list (result_view counts) */
    struct bh_rfact *facts;           /* the "facts" object node */
    size_t fact_count;
    /* The group the last fact went into and its path in that fact's key
     * ("recovery.legal."): a plugin sets a group's facts one after
     * another, and a key starting with this path need not have it
     * checked and walked again (it kept the rule, and it names this
     * group: nodes are never removed or changed in kind). */
    struct bh_rfact *last_group;
    size_t last_group_len;
    char last_group_key[BATON_FACT_KEY_MAX + 1];
    const char *plugin; /* attribution of the next items */
    size_t plugin_len;
    baton_view view; /* result_view: reads the records (bh_result_view_*) */
    /* The last finding and cost result_view reached by index, so a plugin
     * reading findings[0..n) in turn takes one step per element, not i.
     * Records are only ever appended, so a remembered one stays valid.
     * Reached through a pointer: views read a const result. */
    struct bh_rcursor {
        const struct bh_rfinding *finding;
        size_t finding_at;
        const struct bh_rcost *cost;
        size_t cost_at;
        /* The last path result_view resolved, up to its last step
         * ("findings[3]" of "findings[3].status"), and where each of its
         * first steps ended and the node it led to: a plugin reads a
         * finding's members one after another, then the next
         * finding's, and a path sharing whole steps with this one
         * resolves on from the deepest node they share. A node stays
         * what its path names: records and facts are only ever
         * appended. steps 0: none. */
        char prefix[48];
        unsigned char steps;
        unsigned char step_end[4];
        unsigned char step_kind[4];
        const void *step_node[4];
    } cursor_store, *cursor;
    int in_arena; /* made by bh_result_new_in: the struct is the caller's arena's */
};

/* A new empty result, its records' first chunk BH_RESULT_FIRST bytes;
 * free with bh_result_free. NULL on ENOMEM. */
baton_result *bh_result_new(void);
/* The same made in the caller's arena from (the evaluation's), with the
 * first first bytes of its records there too (BH_RESULT_FIRST is what an
 * answer of a few kilobytes takes): no malloc until the records outgrow
 * them. bh_result_free frees what they outgrew into; from's pieces go
 * when from is reset or freed, after bh_result_free. NULL on ENOMEM.
 * Made with first BH_RESULT_FIRST, its chunks are those of
 * bh_result_new's, so a plugin meets BH_RESULT_MAX_BYTES at the same
 * record in process and in its isolated worker. */
#define BH_RESULT_FIRST (16u << 10)
baton_result *bh_result_new_in(bh_arena *from, size_t first);
void bh_result_free(baton_result *r);
/* A result that continues prior, an answer of the shape above (the worker
 * rebuilds result_view this way): its findings and costs are kept as they
 * are, its facts become the fact tree new facts go into. prior is
 * borrowed: the caller keeps it until bh_result_free. NULL when prior
 * lacks findings, costs or facts, or on ENOMEM. */
baton_result *bh_result_new_from(const cJSON *prior);

/* Attributes the items added from now on to plugin (borrowed string). */
void bh_result_set_plugin(baton_result *r, const char *plugin);

/* True when nothing was added (and nothing came from a prior answer). */
int bh_result_empty(const baton_result *r);

/*
 * Writes the result's three members, "findings":[...],"costs":[...],
 * "facts":{...}, into w (no braces around them: the caller writes the
 * object they belong to).
 */
void bh_result_write(const baton_result *r, bh_jw *w);

/*
 * Writes "totals":{"GBP":{"court_fee":money,...},...}: the costs summed
 * by kind per currency, in the order the answer has always had (a
 * currency where its first cost is; a kind moved last each time a cost
 * adds to it). Returns 0, or BATON_ERANGE when a sum leaves +-2^53.
 */
int bh_result_write_totals(const baton_result *r, bh_jw *w);

/* The result as a cJSON tree ({"findings","costs","facts"}) for callers
 * that want one (tests, the CLI's plugin check): the caller frees it with
 * cJSON_Delete; NULL on ENOMEM. The result is left empty. */
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

/* The view_* accessors of baton/plugin.h on a result's records, with the
 * same answers a cJSON tree of bh_result_write's text would give
 * (case_view.c sends a result's view here). */
enum baton_view_type bh_result_view_type(const baton_result *r, const char *path);
int bh_result_view_string(const baton_result *r, const char *path, const char **out);
int bh_result_view_int(const baton_result *r, const char *path, int64_t *out);
int bh_result_view_bool(const baton_result *r, const char *path, int *out);
int bh_result_view_money(const baton_result *r, const char *path, baton_money *out);
int bh_result_view_count(const baton_result *r, const char *path, size_t *out);
int bh_result_view_key(const baton_result *r, const char *path, size_t index, const char **out);

/* {"amount":"12.50","currency":"GBP","minor":1250}; NULL on ENOMEM or bad currency. */
cJSON *bh_money_json(baton_money m);

/* Name of a finding status ("met", "missing", "block", "info", "warn"). */
const char *bh_finding_status_name(enum baton_finding_status s);

#endif
