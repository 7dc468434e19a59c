/*
 * plugin_call.h - one capability call of a plugin instance, whichever its
 * mode, with the per-request error it turns into.
 *
 * In process the capability functions run at once, on the caller's thread,
 * and done runs before bh_plugin_call returns. Isolated, the call goes to a
 * worker through the loop's bh_isolation and done runs later on that loop.
 * Either way the plugin reads the same case view (the case, with "as_of"
 * overlaid when the case gives none) and its builder calls land in the
 * same result or letter.
 *
 * Errors (bh_eval_error):
 *   502 plugin_failed       the plugin returned an error code
 *   502 plugin_crashed      its worker died, broke the protocol, or made a
 *                           forbidden system call
 *   504 plugin_timeout      its worker missed the call deadline
 *   429 tenant_busy         the tenant has too many plugin calls in flight
 *   503 plugin_unavailable  no worker can be had (shutting down, or no loop)
 * Each message names the plugin, its version and mode, and the capability.
 */
#ifndef BH_PLUGIN_CALL_H
#define BH_PLUGIN_CALL_H

#include <stdatomic.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "evaluate.h"
#include "isolation_pool.h"
#include "json_index.h"
#include "plugin_set.h"

/* Where a request's isolated calls go. */
typedef struct bh_call_env {
    bh_isolation *iso;        /* the loop's; NULL: isolated calls are refused */
    atomic_uint *tenant_busy; /* the tenant's calls in flight; may be NULL */
} bh_call_env;

/* The case a call reads, as an index or a tree (in process) and as text
 * (isolated). */
typedef struct bh_case_input {
    const cJSON *json;      /* NULL when the case came as text: index then set */
    const bh_jindex *index; /* the case's index for in-process views, or NULL */
    const char *as_of;      /* "YYYY-MM-DD" */
    const char *text;       /* the case as JSON text */
    size_t len;
} bh_case_input;

/*
 * The case a job's calls read: json with as_of, and its text as given (the
 * request body); without text, and when set holds an isolated plugin, the
 * case is serialised once into *owned (the caller frees it). 0,
 * BATON_ENOMEM, or BATON_EINVAL (neither json nor text). No index: the caller may set one
 * afterwards.
 */
int bh_case_input_init(bh_case_input *cs, const bh_plugin_set *set, const cJSON *json,
                       const char *as_of, const char *text, size_t len, char **owned);

/* rc is 0 or a negative code; e is filled when rc != 0. */
typedef void (*bh_call_done_fn)(void *ctx, int rc, const bh_eval_error *e);

/*
 * Calls caps (BH_CAP_* bits; FILING_RULES and FEE_SCHEDULE run in that
 * order; LETTER renders kind) of in. Results go to result (attributed to
 * the plugin) or letter. done runs exactly once.
 */
void bh_plugin_call(const bh_call_env *env, bh_plugin_instance *in, unsigned caps, const char *kind,
                    const bh_case_input *cs, baton_result *result, baton_letter *letter,
                    bh_call_done_fn done, void *ctx);

/*
 * Steps: how a job that calls plugins one after another (an evaluation, a
 * letter) goes on whether a call finished at once (in process) or later on
 * the loop (isolated), without recursing:
 *
 *     static void run(void *job) {            // also the first call
 *         bh_steps_enter(&j->steps);
 *         for (;;) {
 *             if (bh_steps_finished(&j->steps)) { look at steps.rc / err }
 *             ... bh_plugin_call(..., bh_steps_done, &j->steps);
 *             if (bh_steps_wait(&j->steps))
 *                 return;                       // bh_steps_done calls run again
 *         }
 *     }
 */
typedef struct bh_steps {
    void (*run)(void *job);
    void *job;
    int running; /* inside run: a call that finishes at once returns there */
    int done;    /* a call finished and run has not looked at it yet */
    int rc;
    bh_eval_error err; /* when rc != 0 */
} bh_steps;

static inline void bh_steps_init(bh_steps *s, void (*run)(void *job), void *job)
{
    memset(s, 0, sizeof *s);
    s->run = run;
    s->job = job;
}

static inline void bh_steps_enter(bh_steps *s)
{
    s->running = 1;
}

/* 1 (once per call) when a call has finished: s->rc, s->err say how. */
static inline int bh_steps_finished(bh_steps *s)
{
    int done = s->done;
    s->done = 0;
    return done;
}

/* After a call: 1 when it is in flight (run must return now). */
static inline int bh_steps_wait(bh_steps *s)
{
    if (s->done)
        return 0;
    s->running = 0;
    return 1;
}

/* The bh_call_done_fn of a step (ctx is the bh_steps). */
void bh_steps_done(void *steps, int rc, const bh_eval_error *e);

/*
 * For callers without an event loop (the CLI, load checks): a private loop
 * and isolation context. bh_sync_env_begin fills env; bh_sync_env_wait runs
 * the loop until *flag is set; bh_sync_env_end closes everything.
 */
typedef struct bh_sync_env {
    uv_loop_t loop;
    bh_call_env env;
} bh_sync_env;

int bh_sync_env_begin(bh_sync_env *s);
void bh_sync_env_wait(bh_sync_env *s, const int *flag);
void bh_sync_env_end(bh_sync_env *s);

#endif
