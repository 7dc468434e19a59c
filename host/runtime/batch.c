/* batch.c - the NDJSON batch format: lines in, answer lines out (batch.h). */
#include "batch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal_text.h"
#include "json_input.h"
#include "json_text.h"

void bh_ndjson_init(bh_ndjson_in *in, size_t line_max)
{
    memset(in, 0, sizeof *in);
    in->line_max = line_max;
}

void bh_ndjson_free(bh_ndjson_in *in)
{
    free(in->buf);
    memset(in, 0, sizeof *in);
}

size_t bh_ndjson_held(const bh_ndjson_in *in)
{
    return in->len - in->off;
}

int bh_ndjson_feed(bh_ndjson_in *in, const char *data, size_t len)
{
    if (in->skipping) {
        const char *nl = memchr(data, '\n', len);
        if (nl == NULL)
            return 0; /* still inside the over-long line */
        in->skipping = 0;
        len -= (size_t)(nl + 1 - data);
        data = nl + 1;
    }
    if (len == 0)
        return 0;
    if (in->off > 0) {
        memmove(in->buf, in->buf + in->off, in->len - in->off);
        in->len -= in->off;
        in->off = 0;
    }
    if (in->len + len > in->cap) {
        size_t cap = in->cap ? in->cap : 64 * 1024;
        while (cap < in->len + len)
            cap *= 2;
        char *p = realloc(in->buf, cap);
        if (p == NULL)
            return -ENOMEM;
        in->buf = p;
        in->cap = cap;
    }
    memcpy(in->buf + in->len, data, len);
    in->len += len;
    return 0;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

int bh_ndjson_next(bh_ndjson_in *in, int at_end, const char **text, size_t *len, uint64_t *line_no)
{
    while (in->off < in->len) {
        char *s = in->buf + in->off;
        size_t avail = in->len - in->off, n;
        char *nl = memchr(s, '\n', avail);
        if (nl != NULL) {
            n = (size_t)(nl - s);
            in->off += n + 1;
        } else if (avail > in->line_max) {
            /* no end in sight within the limit: drop what is held and the
             * rest of the line as it arrives */
            in->off = in->len = 0;
            in->skipping = 1;
            *line_no = ++in->line_no;
            return BH_NDJSON_TOO_LONG;
        } else if (at_end) {
            n = avail;
            in->off = in->len;
        } else {
            return BH_NDJSON_NONE;
        }
        in->line_no++;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (n > in->line_max) {
            *line_no = in->line_no;
            return BH_NDJSON_TOO_LONG;
        }
        if (blank(s, n))
            continue;
        *text = s;
        *len = n;
        *line_no = in->line_no;
        return BH_NDJSON_LINE;
    }
    return BH_NDJSON_NONE;
}

cJSON *bh_batch_parse(const char *text, size_t len, bh_eval_error *e)
{
    bh_json_error je;
    cJSON *doc = bh_json_parse(text, len, &je);
    if (doc == NULL) {
        char where[200];
        if (je.why != NULL && strcmp(je.why, "out of memory") == 0) {
            bh_eval_out_of_memory(e, "parsing the case");
            return NULL;
        }
        bh_json_error_text(&je, where, sizeof where);
        bh_eval_fail(e, 400, "invalid_json", BATON_EINVAL, "invalid JSON at %s", where);
    }
    return doc;
}

void bh_batch_too_long(bh_eval_error *e, size_t line_max)
{
    bh_eval_fail(e, 413, "body_too_large", BATON_ELIMIT,
                 "the line is longer than %zu bytes, the limit of one case (limits.max_body_bytes)",
                 line_max);
}

/* {"line":N at out (room BH_BATCH_HEAD_MAX); its end. */
static char *put_line_number(char *out, uint64_t line_no)
{
    memcpy(out, "{\"line\":", 8);
    return bh_decimal_put(out + 8, line_no);
}

size_t bh_batch_answer_head(char *out, uint64_t line_no, const char *answer_text)
{
    char *end = put_line_number(out, line_no);
    if (!(answer_text[0] == '{' && answer_text[1] == '}'))
        *end++ = ',';
    *end = '\0';
    return (size_t)(end - out);
}

size_t bh_batch_line_open(bh_jw *w, uint64_t line_no)
{
    char *out = bh_jw_room(w, BH_BATCH_HEAD_MAX);
    if (out != NULL)
        bh_jw_done(w, put_line_number(out, line_no));
    return w->n;
}

void bh_batch_line_close(bh_jw *w, size_t answer_at)
{
    if (w->b[answer_at + 1] == '}') {
        bh_jw_back_to(w, answer_at); /* "{}": the line is {"line":N} */
        bh_jw_lit(w, "}\n");
    } else {
        w->b[answer_at] = ',';
        bh_jw_lit(w, "\n");
    }
}

char *bh_batch_error_line(uint64_t line_no, const bh_eval_error *e, size_t *len)
{
    cJSON *o = cJSON_CreateObject(), *err;
    char *text = NULL, *out = NULL;
    size_t n = 0;

    if (o != NULL && cJSON_AddNumberToObject(o, "line", (double)line_no) != NULL &&
        cJSON_AddNumberToObject(o, "status", e->http_status > 0 ? e->http_status : 500) != NULL &&
        (err = cJSON_AddObjectToObject(o, "error")) != NULL &&
        cJSON_AddStringToObject(err, "code", e->code[0] != '\0' ? e->code : "evaluation_failed") !=
            NULL &&
        cJSON_AddStringToObject(err, "message", e->message) != NULL)
        text = bh_json_text(o, &n);
    cJSON_Delete(o);
    if (text != NULL && (out = realloc(text, n + 1)) != NULL) {
        out[n] = '\n';
        *len = n + 1;
    } else {
        free(text);
    }
    return out;
}

size_t bh_batch_summary(char *out, const bh_batch_counts *c)
{
    return (size_t)snprintf(
        out, BH_BATCH_SUMMARY_MAX,
        "{\"summary\":{\"lines\":%llu,\"cases\":%llu,\"ok\":%llu,\"errors\":%llu}}\n",
        (unsigned long long)c->lines, (unsigned long long)(c->ok + c->errors),
        (unsigned long long)c->ok, (unsigned long long)c->errors);
}
