/* plugin_call.c - one capability call, in process or isolated (plugin_call.h). */
#include "plugin_call.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_view.h"
#include "host_api.h"
#include "json_text.h"
#include "letter.h"
#include "call_reason.h"
#include "result.h"
#include "worker_proto.h"

static const char *cap_name(unsigned caps)
{
    if (caps & BH_CAP_LETTER)
        return "render";
    return (caps & BH_CAP_FILING_RULES) ? "filing_rules" : "fee_schedule";
}

/*
 * The plugin-returned-an-error answer, the same in both modes. reason is
 * the last refusal of a host function in the call (call_reason.h; from an
 * isolated worker, untrusted: cleaned here), "" or NULL when none.
 */
static int plugin_failed(bh_plugin_instance *in, const char *capability, const char *kind, int rc,
                         const char *reason, bh_eval_error *e)
{
    char why[BH_REASON_MAX + 32] = "";
    atomic_fetch_add_explicit(&in->failures, 1, memory_order_relaxed);
    if (reason != NULL && reason[0] != '\0') {
        char clean[BH_REASON_MAX];
        bh_reason_sanitize(reason, clean, sizeof clean);
        snprintf(why, sizeof why, " (the host refused: %s)", clean);
    }
    if (kind != NULL)
        bh_eval_fail(e, 502, "plugin_failed", 0, "plugin %s failed to write the letter '%s': %s%s",
                     in->info.name, kind, rc < 0 ? baton_strerror(rc) : "returned a positive code",
                     why);
    else
        bh_eval_fail(e, 502, "plugin_failed", 0, "plugin %s %s failed in %s: %s%s", in->info.name,
                     in->info.version, capability,
                     rc < 0 ? baton_strerror(rc) : "returned a positive code", why);
    return rc < 0 ? rc : BATON_EPLUGIN;
}

static void call_in_process(bh_plugin_instance *in, unsigned caps, const char *kind,
                            const bh_case_input *cs, baton_result *result, baton_letter *letter,
                            bh_call_done_fn done, void *ctx)
{
    const baton_plugin *d = in->desc;
    baton_view view = cs->index != NULL ? bh_case_view_indexed(cs->json, cs->index, cs->as_of)
                                        : bh_case_view_of(cs->json, cs->as_of);
    bh_eval_error e;
    int rc = 0;
    memset(&e, 0, sizeof e);
    /* What the plugin logs names this tenant (its state may be shared). */
    const char *was = bh_host_calling_tenant(in->tenant);
    if ((caps & BH_CAP_FILING_RULES) && d->filing_rules != NULL) {
        atomic_fetch_add_explicit(&in->calls, 1, memory_order_relaxed);
        bh_reason_clear();
        rc = d->filing_rules->evaluate(in->state, &view, result);
        if (rc != 0)
            rc = plugin_failed(in, "filing_rules", NULL, rc, bh_reason_last(), &e);
    }
    if (rc == 0 && (caps & BH_CAP_FEE_SCHEDULE) && d->fee_schedule != NULL) {
        atomic_fetch_add_explicit(&in->calls, 1, memory_order_relaxed);
        bh_reason_clear();
        rc = d->fee_schedule->fees(in->state, &view, result);
        if (rc != 0)
            rc = plugin_failed(in, "fee_schedule", NULL, rc, bh_reason_last(), &e);
    }
    if (rc == 0 && (caps & BH_CAP_LETTER) && d->letter_formats != NULL) {
        atomic_fetch_add_explicit(&in->calls, 1, memory_order_relaxed);
        bh_reason_clear();
        rc = d->letter_formats->render(in->state, kind, &view, letter);
        if (rc != 0)
            rc = plugin_failed(in, "render", kind, rc, bh_reason_last(), &e);
    }
    bh_host_calling_tenant(was);
    done(ctx, rc, &e);
}

/* An isolated call in flight. */
struct pending {
    bh_plugin_instance *in;
    unsigned caps;
    const char *kind;
    char *result_json;
    bh_call_done_fn done;
    void *ctx;
};

static void on_isolated_done(void *arg, const bh_iso_outcome *o)
{
    struct pending *p = arg;
    bh_plugin_instance *in = p->in;
    bh_eval_error e;
    int rc = 0;
    memset(&e, 0, sizeof e);
    switch (o->status) {
    case BH_ISO_OK:
        if (o->plugin_rc != 0)
            rc = plugin_failed(in, o->failed[0] ? o->failed : cap_name(p->caps), p->kind,
                               o->plugin_rc, o->reason, &e);
        break;
    case BH_ISO_CRASHED:
        atomic_fetch_add_explicit(&in->failures, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&in->crashes, 1, memory_order_relaxed);
        bh_eval_fail(&e, 502, "plugin_crashed", 0, "plugin %s %s (isolated) crashed in %s: %s",
                     in->info.name, in->info.version, cap_name(p->caps), o->message);
        rc = BATON_EPLUGIN;
        break;
    case BH_ISO_TIMEOUT:
        atomic_fetch_add_explicit(&in->failures, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&in->timeouts, 1, memory_order_relaxed);
        bh_eval_fail(&e, 504, "plugin_timeout", 0, "plugin %s %s (isolated) timed out in %s: %s",
                     in->info.name, in->info.version, cap_name(p->caps), o->message);
        rc = BATON_ETIMEDOUT;
        break;
    default:
        bh_eval_fail(&e, 503, "plugin_unavailable", 0, "plugin %s %s (isolated): %s", in->info.name,
                     in->info.version, o->message);
        rc = BATON_EUNSUPP;
        break;
    }
    bh_call_done_fn done = p->done;
    void *ctx = p->ctx;
    free(p->result_json);
    free(p);
    done(ctx, rc, &e);
}

void bh_plugin_call(const bh_call_env *env, bh_plugin_instance *in, unsigned caps, const char *kind,
                    const bh_case_input *cs, baton_result *result, baton_letter *letter,
                    bh_call_done_fn done, void *ctx)
{
    bh_eval_error e;
    memset(&e, 0, sizeof e);
    if (result != NULL)
        bh_result_set_plugin(result, in->info.name);
    if (letter != NULL)
        bh_letter_set_plugin(letter, in->info.name);
    if (in->mode == BH_MODE_IN_PROCESS) {
        call_in_process(in, caps, kind, cs, result, letter, done, ctx);
        return;
    }
    if (env == NULL || env->iso == NULL) {
        bh_eval_fail(&e, 503, "plugin_unavailable", 0,
                     "plugin %s %s is isolated and no worker pool serves this call", in->info.name,
                     in->info.version);
        done(ctx, BATON_EUNSUPP, &e);
        return;
    }
    struct pending *p = calloc(1, sizeof *p);
    if (p == NULL)
        goto nomem;
    p->in = in;
    p->caps = caps;
    p->kind = kind;
    p->done = done;
    p->ctx = ctx;
    /* result_view in the worker sees what earlier plugins found. */
    if (result != NULL && !bh_result_empty(result)) {
        bh_jw w;
        size_t n;
        if (bh_jw_init(&w, 4096) != 0)
            goto nomem;
        bh_jw_lit(&w, "{");
        bh_result_write(result, &w);
        bh_jw_lit(&w, "}");
        if ((p->result_json = bh_jw_take(&w, &n)) == NULL)
            goto nomem;
    }
    atomic_fetch_add_explicit(&in->calls, 1, memory_order_relaxed);
    bh_iso_call_args a = {
        .caps = caps,
        .kind = kind,
        .as_of = cs->as_of,
        .case_text = cs->text,
        .case_len = cs->len,
        .result_json = p->result_json,
        .result = result,
        .letter = letter,
        .tenant_busy = env->tenant_busy,
    };
    int rc = bh_isolation_call(env->iso, in, &a, on_isolated_done, p);
    if (rc == 0)
        return;
    free(p->result_json);
    free(p);
    if (rc == BATON_ELIMIT) {
        bh_eval_fail(&e, 429, "tenant_busy", 0,
                     "too many plugin calls of this tenant are in flight; retry shortly");
    } else if (rc == BATON_ENOMEM) {
        bh_eval_out_of_memory(&e, "calling the plugin");
    } else {
        bh_eval_fail(&e, 503, "plugin_unavailable", 0, "plugin %s %s: the server is shutting down",
                     in->info.name, in->info.version);
    }
    done(ctx, rc, &e);
    return;
nomem:
    if (p != NULL)
        free(p->result_json);
    free(p);
    bh_eval_out_of_memory(&e, "calling the plugin");
    done(ctx, BATON_ENOMEM, &e);
}

int bh_case_input_init(bh_case_input *cs, const bh_plugin_set *set, const cJSON *json,
                       const char *as_of, const char *text, size_t len, char **owned)
{
    cs->json = json;
    cs->index = NULL;
    cs->as_of = as_of;
    cs->text = text;
    cs->len = len;
    *owned = NULL;
    if (text == NULL && bh_plugin_set_has_isolated(set)) {
        if (json == NULL)
            return BATON_EINVAL;
        if ((*owned = bh_json_text(json, &cs->len)) == NULL)
            return BATON_ENOMEM;
        cs->text = *owned;
    }
    return 0;
}

void bh_steps_done(void *steps, int rc, const bh_eval_error *e)
{
    bh_steps *s = steps;
    s->done = 1;
    s->rc = rc;
    if (rc != 0)
        s->err = *e;
    if (!s->running)
        s->run(s->job);
}

int bh_sync_env_begin(bh_sync_env *s)
{
    memset(s, 0, sizeof *s);
    if (uv_loop_init(&s->loop) != 0)
        return BATON_ENOMEM;
    s->env.iso = bh_isolation_new(&s->loop);
    if (s->env.iso == NULL) {
        uv_loop_close(&s->loop);
        return BATON_ENOMEM;
    }
    return 0;
}

void bh_sync_env_wait(bh_sync_env *s, const int *flag)
{
    while (!*flag && uv_run(&s->loop, UV_RUN_ONCE) != 0)
        ;
}

void bh_sync_env_end(bh_sync_env *s)
{
    bh_isolation_close(s->env.iso);
    uv_run(&s->loop, UV_RUN_DEFAULT);
    uv_loop_close(&s->loop);
}
