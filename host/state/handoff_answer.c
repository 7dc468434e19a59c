/* handoff_answer.c - errors, checked JSON and receipt blobs of the handoff
 * functions (handoff_answer.h). */
#include "handoff_answer.h"

#include <stdarg.h>
#include <stdio.h>

#include "baton/error.h"
#include "baton/sha256.h"
#include "log.h"

int bh_handoff_fail(bh_handoff_error *e, int status, const char *code, int rc, const char *fmt, ...)
{
    va_list ap;
    e->http_status = status;
    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return rc;
}

int bh_handoff_internal(bh_handoff_error *e, const char *step, const char *detail)
{
    bh_log(BH_LOG_ERROR, "handoff step failed", "step", step, "detail", detail, NULL);
    return bh_handoff_fail(e, 500, "internal", BATON_EIO,
                           "%s failed; the server log has the details", step);
}

int bh_handoff_lookup_failed(bh_handoff_error *e, int rc, const char *code, const char *err)
{
    if (rc == BATON_ENOENT)
        return bh_handoff_fail(e, 404, code, rc, "%s", err);
    return bh_handoff_internal(e, "the store", err);
}

int bh_handoff_commit_failed(bh_handoff_error *e, int audit_failed, const char *step,
                             const char *err)
{
    if (!audit_failed)
        return bh_handoff_internal(e, step, err);
    bh_log(BH_LOG_ERROR, "audit record not written; the change was rolled back", "step", step,
           "detail", err, NULL);
    return bh_handoff_fail(e, 500, "audit_failed", BATON_EIO,
                           "%s was not done: its audit record could not be written", step);
}

int bh_handoff_no_memory(bh_handoff_error *e)
{
    return bh_handoff_fail(e, 503, "out_of_memory", BATON_ENOMEM, "out of memory");
}

void bh_jobj_init(bh_jobj *j)
{
    j->o = cJSON_CreateObject();
    j->ok = j->o != NULL;
}

void bh_jobj_str(bh_jobj *j, const char *key, const char *value)
{
    if (j->ok && cJSON_AddStringToObject(j->o, key, value) == NULL)
        j->ok = 0;
}

void bh_jobj_num(bh_jobj *j, const char *key, double value)
{
    if (j->ok && cJSON_AddNumberToObject(j->o, key, value) == NULL)
        j->ok = 0;
}

void bh_jobj_bool(bh_jobj *j, const char *key, int value)
{
    if (j->ok && cJSON_AddBoolToObject(j->o, key, value) == NULL)
        j->ok = 0;
}

void bh_jobj_item(bh_jobj *j, const char *key, cJSON *item)
{
    if (item == NULL || !j->ok || !cJSON_AddItemToObject(j->o, key, item)) {
        cJSON_Delete(item);
        j->ok = 0;
    }
}

cJSON *bh_jobj_done(bh_jobj *j)
{
    if (!j->ok) {
        cJSON_Delete(j->o);
        j->o = NULL;
    }
    return j->o;
}

char *bh_jobj_text(bh_jobj *j)
{
    char *text = j->ok ? cJSON_PrintUnformatted(j->o) : NULL;
    cJSON_Delete(j->o);
    j->o = NULL;
    return text;
}

char *bh_receipt_blob(const char *json, const char *minisig)
{
    bh_jobj j;
    bh_jobj_init(&j);
    bh_jobj_str(&j, "receipt", json);
    bh_jobj_str(&j, "minisig", minisig);
    return bh_jobj_text(&j);
}

void bh_hex32(const uint8_t d[32], char out[65])
{
    baton_sha256_hex(d, out);
}
