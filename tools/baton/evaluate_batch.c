/*
 * evaluate_batch.c - "baton evaluate --batch" (evaluate_batch.h).
 *
 * Owns: reading the input in pieces (bounded memory whatever its size),
 * the plugin sets of the jurisdictions a batch names when no plugin list
 * is given (each loaded once), one evaluation per line with the same code
 * and the same lines as the endpoint (batch.h; a valid case straight into
 * its index, anything else through cJSON, as the endpoint does), the
 * progress line.
 * Does not own: the line format (host/runtime/batch.c), the options
 * (cmd_evaluate.c).
 */
#include "evaluate_batch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "case_validate.h"
#include "evaluate.h"
#include "json_text.h"
#include "plugin_call.h"

#define READ_CHUNK     (256 * 1024)
#define TEXT_FLUSH     (64 * 1024)   /* answer lines held before they are written out */
#define LINE_MAX_BYTES (1024 * 1024) /* batond's default limits.max_body_bytes */
#define MAX_SETS       64            /* jurisdictions in one batch without a plugin list */

/* A plugin set for one jurisdiction, or why it could not be loaded. */
typedef struct jur_set {
    char name[64];
    bh_plugin_set *set;
    bh_eval_error refused;
} jur_set;

typedef struct run {
    const cli_plugins *pl;
    const char *as_of;
    bh_plugin_set *fixed; /* from --plugin or --tenant-config */
    jur_set sets[MAX_SETS];
    size_t nsets;
    bh_sync_env sync;
    int sync_open;
    bh_arena arena; /* a line's case index and evaluation, reset for each line */
    FILE *out;
    /* Answer lines not yet written to out: each answer is written here by
     * the evaluation itself (bh_evaluate_index_into), after its line's
     * head, and goes out with the others in blocks. */
    bh_jw text;
    bh_batch_counts counts;
    /* progress */
    int progress;
    uint64_t in_size, in_read;
    int input_may_wait; /* a pipe or terminal: answers go out before each read */
    double t0, last;
} run;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void show_progress(run *r, int final)
{
    double t = now_s(), el = t - r->t0;
    uint64_t done = r->counts.ok + r->counts.errors;
    char eta[32] = "";

    if (!final && t - r->last < 0.25)
        return;
    r->last = t;
    if (r->in_size > 0 && r->in_read > 0 && !final) {
        double left = el * (double)(r->in_size - r->in_read) / (double)r->in_read;
        snprintf(eta, sizeof eta, ", ETA %d:%02d", (int)left / 60, (int)left % 60);
    }
    fprintf(stderr, "\r%llu cases (%llu errors), %.0f cases/s%s%s", (unsigned long long)done,
            (unsigned long long)r->counts.errors, el > 0 ? (double)done / el : 0.0, eta,
            final ? "\n" : "   ");
}

static bh_plugin_set *set_named(run *r, const char *name, bh_eval_error *e);

/* The set a case runs with, or NULL with e saying why. */
static bh_plugin_set *set_for(run *r, const cJSON *c, bh_eval_error *e)
{
    const cJSON *jur = cJSON_GetObjectItemCaseSensitive(c, "jurisdiction");
    jur_set *js;

    if (r->fixed != NULL)
        return r->fixed;
    if (!cJSON_IsString(jur) || strlen(jur->valuestring) >= sizeof js->name) {
        /* the validator words what is wrong with the case */
        if (bh_case_validate(c, e) == 0)
            bh_eval_fail(e, 400, "invalid_case", BATON_EINVAL,
                         "jurisdiction: expected a jurisdiction code");
        return NULL;
    }
    for (size_t i = 0; i < r->nsets; i++) {
        js = &r->sets[i];
        if (strcmp(js->name, jur->valuestring) == 0) {
            if (js->set == NULL)
                *e = js->refused;
            return js->set;
        }
    }
    /* Only a valid case's jurisdiction names a plugin file. */
    if (bh_case_validate(c, e) != 0)
        return NULL;
    return set_named(r, jur->valuestring, e);
}

/* The set of jurisdiction name (a valid case's), loaded on first use. */
static bh_plugin_set *set_named(run *r, const char *name, bh_eval_error *e)
{
    char err[512];
    jur_set *js;

    for (size_t i = 0; i < r->nsets; i++) {
        js = &r->sets[i];
        if (strcmp(js->name, name) == 0) {
            if (js->set == NULL)
                *e = js->refused;
            return js->set;
        }
    }
    if (r->nsets == MAX_SETS) {
        bh_eval_fail(e, 422, "plugin_refused", BATON_ELIMIT,
                     "more than %d jurisdictions in one batch; give the plugins with --plugin",
                     MAX_SETS);
        return NULL;
    }
    js = &r->sets[r->nsets++];
    snprintf(js->name, sizeof js->name, "%s", name);
    if (cli_plugins_load(r->pl, js->name, &js->set, err, sizeof err) != 0) {
        js->set = NULL;
        bh_eval_fail(&js->refused, 422, "plugin_refused", BATON_EPLUGIN, "%s", err);
        *e = js->refused;
    }
    return js->set;
}

struct one {
    int finished;
    char *answer; /* JSON text */
    size_t len;
    bh_eval_error e;
};

static void on_done(void *ctx, char *answer, size_t len, const bh_eval_error *e)
{
    struct one *o = ctx;
    o->finished = 1;
    o->answer = answer;
    o->len = len;
    if (e != NULL)
        o->e = *e;
}

/* Writes out the answer lines held. */
static void flush_text(run *r)
{
    if (r->text.n > 0)
        fwrite(r->text.b, 1, r->text.n, r->out);
    bh_jw_back_to(&r->text, 0);
}

/* Appends data to the lines held, writing them out first when it does
 * not fit (and data itself when it is larger than they may be): the
 * buffer never grows here, so this does not fail. */
static void append_text(run *r, const char *data, size_t len)
{
    if (len >= r->text.cap - r->text.n) {
        flush_text(r);
        if (len >= TEXT_FLUSH) {
            fwrite(data, 1, len, r->out);
            return;
        }
    }
    bh_jw_raw(&r->text, data, len);
}

static void write_error(run *r, uint64_t line_no, const bh_eval_error *e)
{
    size_t len = 0;
    char *text = bh_batch_error_line(line_no, e, &len);

    r->counts.errors++;
    if (text == NULL) {
        char fixed[256];
        int n = snprintf(fixed, sizeof fixed,
                         "{\"line\":%llu,\"status\":503,\"error\":{\"code\":\"out_of_memory\","
                         "\"message\":\"out of memory while writing the answer\"}}\n",
                         (unsigned long long)line_no);
        append_text(r, fixed, (size_t)n);
        return;
    }
    append_text(r, text, len);
    free(text);
}

/* Evaluates (in the sync loop, when a plugin is isolated) and waits:
 * index (in the run's arena, the answer then appended to the lines
 * held) or tree c, the case's text or NULL. */
static void evaluate_one(run *r, bh_plugin_set *set, const bh_jindex *index, const cJSON *c,
                         const char *text, size_t len, struct one *o)
{
    if (bh_plugin_set_has_isolated(set) && !r->sync_open) {
        if (bh_sync_env_begin(&r->sync) != 0) {
            bh_eval_out_of_memory(&o->e, "evaluating");
            return;
        }
        r->sync_open = 1;
    }
    const bh_call_env *env = r->sync_open ? &r->sync.env : NULL;
    if (index != NULL)
        bh_evaluate_index_into(env, set, index, &r->arena, text, len, NULL, &r->text, on_done, o);
    else
        bh_evaluate_start_text(env, set, c, NULL, 0, NULL, on_done, o);
    if (r->sync_open)
        bh_sync_env_wait(&r->sync, &o->finished);
}

/* The answer line of an answer handed over (the cJSON route). */
static void write_answer(run *r, uint64_t line_no, char *json, size_t n)
{
    char head[BH_BATCH_HEAD_MAX];
    append_text(r, head, bh_batch_answer_head(head, line_no, json));
    append_text(r, json + 1, n - 1);
    append_text(r, "\n", 1);
    free(json);
    r->counts.ok++;
}

/*
 * A valid case without --as-of goes straight into its index (evaluate.h,
 * bh_case_index_parse) in the run's arena; 1 when it went that way (its
 * answer line written), 0 when the line takes the cJSON route.
 */
static int one_line_indexed(run *r, const char *text, size_t len, uint64_t line_no)
{
    struct one o;
    bh_jindex x;
    bh_plugin_set *set;

    if (r->as_of != NULL)
        return 0; /* --as-of rewrites the case: the tree does that */
    bh_arena_reset(&r->arena);
    if (bh_case_index_parse(text, len, &r->arena, &x) != 0)
        return 0;
    memset(&o, 0, sizeof o);
    if (r->fixed != NULL) {
        set = r->fixed;
    } else {
        const bh_jnode *jur = bh_jindex_member(&x, &x.nodes[0], "jurisdiction", 12);
        set = set_named(r, jur->v.s, &o.e);
    }
    if (set != NULL) {
        /* the line's head, then the answer after it */
        size_t mark = r->text.n, answer_at = bh_batch_line_open(&r->text, line_no);
        evaluate_one(r, set, &x, NULL, text, len, &o);
        if (o.answer != NULL) {
            bh_batch_line_close(&r->text, answer_at);
            r->counts.ok++;
            return 1;
        }
        bh_jw_back_to(&r->text, mark);
    }
    write_error(r, line_no, &o.e);
    return 1;
}

/* Evaluates one line and writes its answer line. */
static void one_line(run *r, const char *text, size_t len, uint64_t line_no)
{
    struct one o;
    bh_plugin_set *set;
    cJSON *c;

    if (one_line_indexed(r, text, len, line_no))
        return;
    memset(&o, 0, sizeof o);
    c = bh_batch_parse(text, len, &o.e);
    if (c == NULL) {
        write_error(r, line_no, &o.e);
        return;
    }
    if (r->as_of != NULL && cJSON_IsObject(c)) {
        cJSON_DeleteItemFromObjectCaseSensitive(c, "as_of");
        if (cJSON_AddStringToObject(c, "as_of", r->as_of) == NULL) {
            bh_eval_out_of_memory(&o.e, "evaluating");
            goto fail;
        }
    }
    if ((set = set_for(r, c, &o.e)) == NULL)
        goto fail;
    evaluate_one(r, set, NULL, c, NULL, 0, &o);
    if (o.answer == NULL)
        goto fail;
    write_answer(r, line_no, o.answer, o.len);
    cJSON_Delete(c);
    return;
fail:
    cJSON_Delete(c);
    write_error(r, line_no, &o.e);
}

static int drain_lines(run *r, bh_ndjson_in *in, int at_end)
{
    const char *text;
    size_t len;
    uint64_t line_no;
    int next;
    bh_eval_error e;

    while ((next = bh_ndjson_next(in, at_end, &text, &len, &line_no)) != BH_NDJSON_NONE) {
        if (r->text.n >= TEXT_FLUSH)
            flush_text(r);
        if (next == BH_NDJSON_TOO_LONG) {
            bh_batch_too_long(&e, in->line_max);
            write_error(r, line_no, &e);
        } else {
            one_line(r, text, len, line_no);
        }
        if (r->progress && ((r->counts.ok + r->counts.errors) & 63) == 0)
            show_progress(r, 0);
    }
    return ferror(r->out) ? -1 : 0;
}

int evaluate_batch(const cli_plugins *pl, const char *input, const char *output, const char *as_of)
{
    run r;
    bh_ndjson_in in;
    char err[512], sum[BH_BATCH_SUMMARY_MAX];
    char *buf = NULL;
    int fd = -1, status = 1;
    struct stat st;

    memset(&r, 0, sizeof r);
    r.pl = pl;
    r.as_of = as_of;
    bh_ndjson_init(&in, LINE_MAX_BYTES);
    if (bh_arena_init(&r.arena, 65536, 0) != 0 || bh_jw_init(&r.text, 2 * TEXT_FLUSH) != 0) {
        fprintf(stderr, "baton evaluate: out of memory\n");
        goto out;
    }
    if (pl->list != NULL || pl->tenant_config != NULL) {
        if (cli_plugins_load(pl, NULL, &r.fixed, err, sizeof err) != 0) {
            fprintf(stderr, "baton evaluate: %s (plugin_refused)\n", err);
            goto out;
        }
    }
    fd = strcmp(input, "-") == 0 ? STDIN_FILENO : open(input, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "baton evaluate: %s: %s\n", input, strerror(errno));
        goto out;
    }
    r.out = strcmp(output, "-") == 0 ? stdout : fopen(output, "w");
    if (r.out == NULL) {
        fprintf(stderr, "baton evaluate: %s: %s\n", output, strerror(errno));
        goto out;
    }
    if ((buf = malloc(READ_CHUNK)) == NULL) {
        fprintf(stderr, "baton evaluate: out of memory\n");
        goto out;
    }
    r.progress = isatty(STDERR_FILENO);
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        r.in_size = (uint64_t)st.st_size;
    else
        r.input_may_wait = 1;
    r.t0 = r.last = now_s();
    for (;;) {
        ssize_t n;
        /* A pipe or a terminal may wait for whoever reads the answers:
         * what is answered goes out before a read that may block. A file
         * never waits, so its answers go out in blocks. */
        if (r.input_may_wait && r.text.n > 0) {
            flush_text(&r);
            fflush(r.out);
        }
        n = read(fd, buf, READ_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            fprintf(stderr, "baton evaluate: %s: %s\n", input, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        r.in_read += (uint64_t)n;
        if (bh_ndjson_feed(&in, buf, (size_t)n) != 0) {
            fprintf(stderr, "baton evaluate: out of memory\n");
            goto out;
        }
        if (drain_lines(&r, &in, 0) != 0)
            break;
    }
    if (drain_lines(&r, &in, 1) == 0) {
        r.counts.lines = in.line_no;
        append_text(&r, sum, bh_batch_summary(sum, &r.counts));
    }
    flush_text(&r);
    if (r.progress)
        show_progress(&r, 1);
    if (fflush(r.out) != 0 || ferror(r.out)) {
        fprintf(stderr, "baton evaluate: %s: %s\n", output, strerror(errno));
        goto out;
    }
    status = r.counts.errors > 0 ? 1 : 0;
out:
    if (r.out != NULL)
        flush_text(&r); /* the lines answered before a failure */
    if (r.out != NULL && r.out != stdout && fclose(r.out) != 0)
        status = 1;
    if (fd > STDIN_FILENO)
        close(fd);
    free(buf);
    bh_ndjson_free(&in);
    if (r.sync_open)
        bh_sync_env_end(&r.sync);
    bh_arena_free(&r.arena);
    bh_jw_free(&r.text);
    bh_plugin_set_unref(r.fixed);
    for (size_t i = 0; i < r.nsets; i++)
        bh_plugin_set_unref(r.sets[i].set);
    return status;
}
