/*
 * mockhost.c - libbaton-mockhost: batond's views, builders and reasons
 * driven by an integrator's unit test (baton/mockhost.h).
 *
 * Owns: the case and config trees, the result and letter of the current
 * call, the log lines kept for the test. Does not own: any rule - views,
 * builders and reasons are host/runtime's own code, compiled into this
 * library, so a plugin meets exactly batond's behaviour.
 */
#include "baton/mockhost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_reason.h"
#include "case_view.h"
#include "host_api.h"
#include "json_input.h"
#include "json_text.h"
#include "letter.h"
#include "result.h"

#define MAX_LOGS 256

struct baton_mockhost {
    baton_host_api api;
    cJSON *case_json, *config_json;
    char as_of[11];
    baton_view case_view, config_view;
    baton_result *result;
    baton_letter *letter;
    char *logs[MAX_LOGS];
    size_t nlogs;
};

/* The table's log member has no context of its own: one mock host per
 * thread, remembered here (mockhost.h). */
static _Thread_local baton_mockhost *current;

static void keep_log(baton_host *host, enum baton_log_level level, const char *msg)
{
    (void)host;
    (void)level;
    if (current == NULL || msg == NULL || current->nlogs >= MAX_LOGS)
        return;
    char *copy = strdup(msg);
    if (copy != NULL)
        current->logs[current->nlogs++] = copy;
}

static cJSON *parse(const char *json, char *err, size_t errlen)
{
    bh_json_error e;
    cJSON *j = json != NULL ? bh_json_parse(json, strlen(json), &e) : NULL;
    if (j == NULL) {
        char why[200] = "no text";
        if (json != NULL)
            bh_json_error_text(&e, why, sizeof why);
        snprintf(err, errlen, "not JSON: %s", why);
    } else if (!cJSON_IsObject(j)) {
        snprintf(err, errlen, "not a JSON object");
        cJSON_Delete(j);
        j = NULL;
    }
    return j;
}

baton_mockhost *baton_mockhost_new(void)
{
    baton_mockhost *mh = calloc(1, sizeof *mh);
    char err[64];
    if (mh == NULL)
        return NULL;
    mh->api = *bh_host_api();
    mh->api.log = keep_log;
    strcpy(mh->as_of, "1970-01-01");
    if (baton_mockhost_set_case(mh, "{}", "1970-01-01", err, sizeof err) != 0 ||
        baton_mockhost_set_config(mh, "{}", err, sizeof err) != 0 ||
        baton_mockhost_reset(mh) != 0) {
        baton_mockhost_free(mh);
        return NULL;
    }
    current = mh;
    return mh;
}

static void drop_logs(baton_mockhost *mh)
{
    for (size_t i = 0; i < mh->nlogs; i++)
        free(mh->logs[i]);
    mh->nlogs = 0;
}

void baton_mockhost_free(baton_mockhost *mh)
{
    if (mh == NULL)
        return;
    if (current == mh)
        current = NULL;
    drop_logs(mh);
    bh_result_free(mh->result);
    bh_letter_free(mh->letter);
    cJSON_Delete(mh->case_json);
    cJSON_Delete(mh->config_json);
    free(mh);
}

const baton_host_api *baton_mockhost_api(const baton_mockhost *mh)
{
    return &mh->api;
}

int baton_mockhost_set_case(baton_mockhost *mh, const char *json, const char *as_of, char *err,
                            size_t errlen)
{
    baton_date d;
    if (as_of == NULL || bh_date_parse(as_of, &d) != 0) {
        snprintf(err, errlen, "as_of must be a date written YYYY-MM-DD");
        return BATON_EINVAL;
    }
    cJSON *j = parse(json, err, errlen);
    if (j == NULL)
        return BATON_EINVAL;
    cJSON_Delete(mh->case_json);
    mh->case_json = j;
    memcpy(mh->as_of, as_of, 11);
    mh->case_view = bh_case_view_of(mh->case_json, mh->as_of);
    return 0;
}

int baton_mockhost_set_config(baton_mockhost *mh, const char *json, char *err, size_t errlen)
{
    cJSON *j = parse(json, err, errlen);
    if (j == NULL)
        return BATON_EINVAL;
    cJSON_Delete(mh->config_json);
    mh->config_json = j;
    mh->config_view = bh_view_of(mh->config_json);
    return 0;
}

const baton_view *baton_mockhost_case(baton_mockhost *mh)
{
    current = mh;
    return &mh->case_view;
}

const baton_view *baton_mockhost_config(baton_mockhost *mh)
{
    current = mh;
    return &mh->config_view;
}

baton_result *baton_mockhost_result(baton_mockhost *mh)
{
    return mh->result;
}

baton_letter *baton_mockhost_letter(baton_mockhost *mh)
{
    return mh->letter;
}

int baton_mockhost_reset(baton_mockhost *mh)
{
    baton_result *r = bh_result_new();
    baton_letter *l = bh_letter_new();
    if (r == NULL || l == NULL) {
        bh_result_free(r);
        bh_letter_free(l);
        return BATON_ENOMEM;
    }
    bh_result_free(mh->result);
    bh_letter_free(mh->letter);
    mh->result = r;
    mh->letter = l;
    drop_logs(mh);
    bh_reason_clear();
    current = mh;
    return 0;
}

char *baton_mockhost_result_json(baton_mockhost *mh)
{
    bh_jw w;
    size_t len;
    if (bh_jw_init(&w, 4096) != 0)
        return NULL;
    bh_jw_lit(&w, "{");
    bh_result_write(mh->result, &w);
    bh_jw_lit(&w, "}");
    char *text = bh_jw_take(&w, &len);
    bh_jw_free(&w);
    return text;
}

size_t baton_mockhost_block_count(const baton_mockhost *mh)
{
    return mh->letter->count;
}

int baton_mockhost_block(const baton_mockhost *mh, size_t i, enum baton_block_kind *kind,
                         const char **text)
{
    if (i >= mh->letter->count)
        return BATON_ENOENT;
    *kind = mh->letter->blocks[i].kind;
    *text = mh->letter->blocks[i].text;
    return 0;
}

const char *baton_mockhost_letter_property(const baton_mockhost *mh, const char *key)
{
    if (strcmp(key, "title") == 0)
        return mh->letter->title;
    if (strcmp(key, "language") == 0)
        return mh->letter->language;
    if (strcmp(key, "reference") == 0)
        return mh->letter->reference;
    return NULL;
}

size_t baton_mockhost_log_count(const baton_mockhost *mh)
{
    return mh->nlogs;
}

const char *baton_mockhost_log_line(const baton_mockhost *mh, size_t i)
{
    return i < mh->nlogs ? mh->logs[i] : NULL;
}

const char *baton_mockhost_last_error(void)
{
    return bh_reason_last();
}
