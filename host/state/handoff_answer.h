/*
 * handoff_answer.h - what handoff.c and inbox.c share to answer: filling a
 * bh_handoff_error (the client's message, the server log's detail), JSON
 * objects built with every cJSON result checked, and the stored form of a
 * receipt. Private to host/state.
 */
#ifndef BH_HANDOFF_ANSWER_H
#define BH_HANDOFF_ANSWER_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "handoff.h"

/* Fills e and returns rc. */
int bh_handoff_fail(bh_handoff_error *e, int status, const char *code, int rc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A server-side failure: detail (which may name paths) goes to the log,
 * the client gets 500 naming the step that failed. */
int bh_handoff_internal(bh_handoff_error *e, const char *step, const char *detail);
/* A store lookup failure: BATON_ENOENT is the client's 404 with code,
 * anything else internal. */
int bh_handoff_lookup_failed(bh_handoff_error *e, int rc, const char *code, const char *err);
/* A transaction that did not commit: 500 "audit_failed" when its audit
 * record could not be written (docs/audit.md: then nothing is done),
 * otherwise as bh_handoff_internal. */
int bh_handoff_commit_failed(bh_handoff_error *e, int audit_failed, const char *step,
                             const char *err);
/* 503 "out_of_memory" (the one out-of-memory answer, api/router.h); returns
 * BATON_ENOMEM. */
int bh_handoff_no_memory(bh_handoff_error *e);

/*
 * A JSON object under construction: each add checks cJSON's result, and
 * the first failure sticks (ok becomes 0, nothing more is added), so one
 * check at the end covers every step.
 */
typedef struct bh_jobj {
    cJSON *o;
    int ok;
} bh_jobj;

void bh_jobj_init(bh_jobj *j);
void bh_jobj_str(bh_jobj *j, const char *key, const char *value);
void bh_jobj_num(bh_jobj *j, const char *key, double value);
void bh_jobj_bool(bh_jobj *j, const char *key, int value);
/* Adds item (taken over, also on failure; NULL is a failure). */
void bh_jobj_item(bh_jobj *j, const char *key, cJSON *item);
/* The object, or NULL (freed) when any step failed. */
cJSON *bh_jobj_done(bh_jobj *j);
/* The unformatted text (free with cJSON_free), or NULL when any step
 * failed; the object is freed either way. */
char *bh_jobj_text(bh_jobj *j);

/* The stored form of a receipt, {"receipt": json, "minisig": text}
 * (free with cJSON_free), or NULL without memory. */
char *bh_receipt_blob(const char *json, const char *minisig);

/* Hex of a SHA-256 digest. */
void bh_hex32(const uint8_t d[32], char out[65]);

#endif
