/*
 * api_evaluate_batch.c - POST /v1/cases/evaluate/batch: many cases in one
 * request, NDJSON in (one case a line), NDJSON out (one answer a line, in
 * input order, then a summary line), both streamed (docs/batch.md).
 *
 * Owns: the batch's flow: the body arriving in chunks (split by batch.h),
 * a bounded number of cases evaluated at once (isolated plugins answer
 * later; in-process ones at once), answers written in input order into a
 * chunked answer (http.h bh_http_respond_chunked), and the backpressure
 * that keeps memory bounded whatever the batch's size: no more body is
 * read while BATCH_IN_FLIGHT cases are under way or more than
 * BATCH_OUT_HIGH bytes of answers wait for the client.
 * Does not own: one evaluation (evaluate.h, the same as
 * POST /v1/cases/evaluate), the line format (batch.h), HTTP.
 *
 * Answered before any case, with the usual error shape:
 *   415 unsupported_media_type  Content-Type is not application/x-ndjson
 *   503 out_of_memory           (router.h)
 * Everything after that is a 200 whose lines say what happened to each
 * case; a body limit or timeout after the answer began cuts the answer
 * short (no summary line, no last chunk).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "evaluate.h"
#include "json_text.h"
#include "router.h"

/* Cases evaluated at once; isolated plugins answer out of order, so this
 * many answers may wait for the oldest. Well under a tenant's default cap
 * of isolated calls (docs/isolation.md, 72), so that one batch does not
 * take them all. */
#define BATCH_IN_FLIGHT 16
/* Answer bytes written but not yet taken by the client above which no
 * more input is read. */
#define BATCH_OUT_HIGH (256 * 1024)
/* A slot's arena for its case's index and evaluation: what the 2 KB case
 * takes with room to spare; a larger case grows it for as long as it
 * runs (bh_arena_reset gives the growth back). */
#define SLOT_ARENA (48 * 1024)
/* A slot's answer text kept for its next case up to this size; a larger
 * one (a large case's answer) is freed once sent. */
#define SLOT_TEXT_KEEP (64 * 1024)

void bh_api_evaluate_batch(bh_req *r);
void bh_api_evaluate_batch_stream(bh_req *r, bh_http_body_stream *stream);

enum slot_state { SLOT_FREE, SLOT_BUSY, SLOT_DONE };

struct batch;

/* One case: from its line to its answer line. */
typedef struct slot {
    struct batch *b;
    enum slot_state state;
    uint64_t line_no;
    cJSON *doc;
    char *case_text; /* the line, kept for isolated plugins */
    char *answer;    /* answer JSON (ok) or a whole error line (!ok) */
    size_t answer_len;
    int ok;
    /* A valid case's route, without an allocation per case: its index
     * and evaluation in the slot's arena, its answer line written by the
     * evaluation into the slot's text (bh_evaluate_index_into); both
     * kept from case to case. */
    bh_arena arena;
    bh_jindex index;
    bh_jw text;
    size_t answer_at; /* where the answer starts in text */
    int in_text;      /* the answer line is text's (else answer's) */
} slot;

typedef struct batch {
    bh_req *r; /* NULL once the request was freed (cases may still run) */
    bh_registry *registry;
    bh_plugin_set *set;
    bh_call_env env;
    int isolated;
    char today[16];
    bh_ndjson_in in;
    slot slots[BATCH_IN_FLIGHT];
    unsigned head, count; /* the ring of cases under way, oldest first */
    bh_batch_counts counts;
    int started;   /* the chunked answer began */
    int paused;    /* the body is paused by us */
    int body_done; /* the whole body arrived (the handler ran) */
    int aborted;   /* the body ends without the handler: the answer is not ours */
    int failed;    /* the answer takes no more */
    int ended;
    int depth;     /* inside process(): freeing waits */
    int free_late; /* the request went while depth > 0 */
} batch;

static void slot_clear(slot *s)
{
    cJSON_Delete(s->doc);
    free(s->case_text);
    free(s->answer);
    s->doc = NULL;
    s->case_text = NULL;
    s->answer = NULL;
    s->in_text = 0;
    bh_arena_reset(&s->arena);
    if (s->text.cap > SLOT_TEXT_KEEP || s->text.failed)
        bh_jw_free(&s->text);
    else
        bh_jw_back_to(&s->text, 0);
    s->state = SLOT_FREE;
}

static void batch_free(batch *b)
{
    for (unsigned i = 0; i < BATCH_IN_FLIGHT; i++) {
        slot_clear(&b->slots[i]);
        bh_arena_free(&b->slots[i].arena);
        bh_jw_free(&b->slots[i].text);
    }
    bh_ndjson_free(&b->in);
    bh_plugin_set_unref(b->set);
    bh_registry_unref(b->registry);
    free(b);
}

/* The request is freed: cases still under way finish into nothing. */
static void batch_cleanup(bh_req *r)
{
    batch *b = r->stream_ctx;
    r->stream_ctx = NULL;
    if (b == NULL)
        return;
    b->r = NULL;
    if (b->depth > 0)
        b->free_late = 1;
    else if (b->count == 0)
        batch_free(b);
}

static int answer_write(batch *b, const void *data, size_t len)
{
    if (!b->failed && bh_http_chunked_write(b->r->ex, data, len) != 0)
        b->failed = 1;
    return b->failed ? -1 : 0;
}

static void on_writable(void *ctx);

/* Begins the chunked answer at its first line. */
static int answer_start(batch *b)
{
    if (b->started)
        return 0;
    if (bh_http_respond_chunked(b->r->ex, 200, "application/x-ndjson", NULL, on_writable, b) != 0) {
        b->failed = 1;
        return -1;
    }
    b->started = 1; /* r->status stays 0: the handler still runs at the body's end */
    return 0;
}

/* Writes the answers at the front of the ring that are ready, in order. */
static void emit_ready(batch *b)
{
    while (b->count > 0 && b->slots[b->head].state == SLOT_DONE) {
        slot *s = &b->slots[b->head];
        if (answer_start(b) == 0) {
            if (s->in_text) {
                answer_write(b, s->text.b, s->text.n);
            } else if (s->ok) {
                char head[BH_BATCH_HEAD_MAX];
                size_t n = bh_batch_answer_head(head, s->line_no, s->answer);
                answer_write(b, head, n);
                answer_write(b, s->answer + 1, s->answer_len - 1);
                answer_write(b, "\n", 1);
            } else {
                answer_write(b, s->answer, s->answer_len);
            }
        }
        if (s->ok)
            b->counts.ok++;
        else
            b->counts.errors++;
        slot_clear(s);
        b->head = (b->head + 1) % BATCH_IN_FLIGHT;
        b->count--;
    }
}

/* A case's answer line is ready (its text taken), or failed with e. */
static void slot_done(slot *s, char *answer, size_t len, const bh_eval_error *e)
{
    cJSON_Delete(s->doc);
    s->doc = NULL;
    free(s->case_text);
    s->case_text = NULL;
    s->ok = answer != NULL;
    if (answer == NULL) {
        bh_eval_error oom;
        answer = bh_batch_error_line(s->line_no, e, &len);
        if (answer == NULL) {
            /* the error line itself could not be built: a fixed one */
            bh_eval_out_of_memory(&oom, "writing the answer");
            static const char fixed[] = "{\"status\":503,\"error\":{\"code\":\"out_of_memory\","
                                        "\"message\":\"out of memory while writing the answer\"}}";
            char buf[sizeof fixed + BH_BATCH_HEAD_MAX + 1];
            size_t n = bh_batch_answer_head(buf, s->line_no, fixed);
            memcpy(buf + n, fixed + 1, sizeof fixed - 2);
            n += sizeof fixed - 2;
            buf[n++] = '\n';
            answer = malloc(n);
            if (answer != NULL)
                memcpy(answer, buf, n);
            len = answer != NULL ? n : 0;
        }
    }
    s->answer = answer;
    s->answer_len = len;
    s->state = SLOT_DONE;
}

static void process(batch *b);

/* Leaves a callback that may have seen the request go; 1 when b was freed. */
static int leave(batch *b)
{
    if (--b->depth > 0 || !b->free_late)
        return 0;
    b->free_late = 0;
    if (b->count > 0)
        return 0; /* the last case frees it */
    batch_free(b);
    return 1;
}

/* What follows a case's answer (or error) line being ready. */
static void after_done(batch *b);

static void on_evaluated(void *ctx, char *text, size_t len, const bh_eval_error *e)
{
    slot *s = ctx;
    slot_done(s, text, len, e);
    after_done(s->b);
}

/* The same for an answer written into the slot's text. */
static void on_evaluated_into(void *ctx, char *text, size_t len, const bh_eval_error *e)
{
    slot *s = ctx;
    (void)len;
    if (text == NULL) {
        bh_jw_back_to(&s->text, 0);
        slot_done(s, NULL, 0, e);
    } else {
        bh_batch_line_close(&s->text, s->answer_at);
        s->in_text = 1;
        s->ok = 1;
        s->state = SLOT_DONE;
    }
    after_done(s->b);
}

static void after_done(batch *b)
{
    if (b->depth > 0)
        return; /* in process(): it goes on from there */
    if (b->r == NULL) {
        /* the request is gone: drop answers as they come */
        while (b->count > 0 && b->slots[b->head].state == SLOT_DONE) {
            slot_clear(&b->slots[b->head]);
            b->head = (b->head + 1) % BATCH_IN_FLIGHT;
            b->count--;
        }
        if (b->count == 0)
            batch_free(b);
        return;
    }
    process(b);
}

/* Whether s has its arena and text (made at its first case, kept for the
 * batch's next ones); when they cannot be made its case takes the route
 * that makes its own. */
static int slot_ready(slot *s)
{
    if (s->arena.first == NULL && bh_arena_init(&s->arena, SLOT_ARENA, 0) != 0)
        return 0;
    return s->text.b != NULL || bh_jw_init(&s->text, 8192) == 0;
}

/* Starts evaluating one line in the next free slot. */
static void start_case(batch *b, const char *text, size_t len, uint64_t line_no, int too_long)
{
    slot *s = &b->slots[(b->head + b->count) % BATCH_IN_FLIGHT];
    bh_eval_error e;

    b->count++;
    memset(&e, 0, sizeof e);
    s->b = b;
    s->state = SLOT_BUSY;
    s->line_no = line_no;
    if (too_long) {
        bh_batch_too_long(&e, b->in.line_max);
        slot_done(s, NULL, 0, &e);
        return;
    }
    if (b->isolated) {
        /* the workers read the line as sent, after this chunk is gone */
        s->case_text = malloc(len + 1);
        if (s->case_text == NULL) {
            bh_eval_out_of_memory(&e, "evaluating");
            slot_done(s, NULL, 0, &e);
            return;
        }
        memcpy(s->case_text, text, len);
        s->case_text[len] = '\0';
        text = s->case_text;
    }
    /* A valid case goes straight into its index; any other line takes
     * the cJSON route, which answers it as the single endpoint does. */
    if (slot_ready(s)) {
        if (bh_case_index_parse(text, len, &s->arena, &s->index) == 0) {
            s->answer_at = bh_batch_line_open(&s->text, line_no);
            bh_evaluate_index_into(&b->env, b->set, &s->index, &s->arena, text, len, b->today,
                                   &s->text, on_evaluated_into, s);
            return;
        }
        bh_arena_reset(&s->arena);
    }
    s->doc = bh_batch_parse(text, len, &e);
    if (s->doc == NULL) {
        slot_done(s, NULL, 0, &e);
        return;
    }
    bh_evaluate_start_text(&b->env, b->set, s->doc, text, len, b->today, on_evaluated, s);
}

static int blocked(const batch *b)
{
    return b->count == BATCH_IN_FLIGHT ||
           (b->started && bh_http_chunked_queued(b->r->ex) > BATCH_OUT_HIGH);
}

/* The summary line and the last chunk; or, when the answer failed, its end
 * without a summary (the client sees the batch was cut). */
static void finish(batch *b)
{
    char sum[BH_BATCH_SUMMARY_MAX];

    b->ended = 1;
    b->counts.lines = b->in.line_no;
    if (!b->failed && answer_start(b) == 0)
        answer_write(b, sum, bh_batch_summary(sum, &b->counts));
    if (b->started) {
        bh_http_chunked_end(b->r->ex);
        return;
    }
    bh_reply_out_of_memory(b->r, "starting the batch answer");
}

/*
 * Moves the batch on: writes what is ready, starts cases while there is
 * room and input, finishes when the input ended and every case answered,
 * and resumes a paused body once there is room again.
 */
static void process(batch *b)
{
    b->depth++;
    for (;;) {
        const char *text = NULL;
        size_t len = 0;
        uint64_t line_no = 0;
        int next;

        emit_ready(b);
        if (b->failed || b->aborted || b->ended || b->r == NULL || blocked(b))
            break;
        next = bh_ndjson_next(&b->in, b->body_done, &text, &len, &line_no);
        if (next == BH_NDJSON_NONE) {
            if (b->body_done && b->count == 0)
                finish(b);
            break;
        }
        start_case(b, text, len, line_no, next == BH_NDJSON_TOO_LONG);
    }
    /* A failed answer ends once its cases are done; the rest of the body
     * is then dropped and the connection closes. */
    if (b->failed && !b->ended && !b->aborted && b->r != NULL && b->count == 0)
        finish(b);
    if (b->paused && b->r != NULL && !b->aborted && (b->ended || !blocked(b))) {
        b->paused = 0;
        bh_http_resume(b->r->ex);
    }
    leave(b);
}

static void on_writable(void *ctx)
{
    batch *b = ctx;
    if (b->r != NULL && !b->aborted)
        process(b);
}

static int on_chunk(void *ctx, const char *data, size_t len)
{
    batch *b = ctx;
    int rc = 0;

    if (b->failed)
        return 0; /* the answer is ending: the rest is dropped */
    b->depth++;
    if (bh_ndjson_feed(&b->in, data, len) != 0)
        b->failed = 1;
    process(b);
    if (b->r != NULL && !b->failed && !b->ended && blocked(b)) {
        b->paused = 1;
        rc = BH_HTTP_PAUSE;
    }
    if (leave(b))
        return 0;
    return rc;
}

static void on_abort(void *ctx)
{
    batch *b = ctx;
    b->aborted = 1;
    b->failed = 1;
}

static int is_ndjson_type(const char *ct)
{
    static const char *const types[] = {"application/x-ndjson", "application/jsonl"};
    if (ct == NULL)
        return 0;
    while (*ct == ' ')
        ct++;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        size_t n = strlen(types[i]);
        if (strncasecmp(ct, types[i], n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
            return 1;
    }
    return 0;
}

void bh_api_evaluate_batch_stream(bh_req *r, bh_http_body_stream *stream)
{
    batch *b;

    if (!is_ndjson_type(bh_http_header_get(r->http, "content-type"))) {
        bh_reply_error(r, 415, "unsupported_media_type",
                       "send the cases with Content-Type: application/x-ndjson, one case a line");
        return;
    }
    if ((b = calloc(1, sizeof *b)) == NULL) {
        bh_reply_out_of_memory(r, "starting the batch");
        return;
    }
    b->r = r;
    b->registry = bh_registry_ref(r->registry);
    b->set = bh_tenant_plugins(r->tenant);
    b->env = bh_req_call_env(r);
    b->isolated = bh_plugin_set_has_isolated(b->set);
    bh_today_utc(b->today);
    /* A line may be as long as the single endpoint's whole body. */
    bh_ndjson_init(&b->in, (size_t)r->registry->config->limits.max_body_bytes);
    r->stream_ctx = b;
    r->stream_cleanup = batch_cleanup;
    stream->on_chunk = on_chunk;
    stream->on_abort = on_abort;
    stream->stream_ctx = b;
    stream->max_bytes = UINT64_MAX; /* no total: memory is bounded per line */
}

void bh_api_evaluate_batch(bh_req *r)
{
    batch *b = r->stream_ctx;

    if (b == NULL) {
        bh_reply_out_of_memory(r, "starting the batch");
        return;
    }
    b->body_done = 1;
    b->depth++;
    process(b);
    leave(b);
}
