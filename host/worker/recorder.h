/*
 * recorder.h - the host API table a plugin gets inside the worker.
 *
 * It is a copy of bh_host_api()'s table (views, result_view and the SDK
 * version are the runtime's own) whose result_*, letter_* and log members
 * call the real builders and, when a builder accepts an operation, append
 * it to the REPLY's operation list exactly as worker_proto.h encodes it
 * (BH_OP_*). The host replays the list into its own result or letter, so
 * whatever the plugin sees here (return codes, result_view) is what it
 * would have seen in process.
 *
 * An operation is recorded only inside a call (bh_recorder_begin .. end)
 * and only for that call's result or letter; anything else gets
 * BATON_EINVAL without reaching a builder. At most BH_REPLY_MAX_OPS
 * operations and BH_REPLY_MAX_LOGS log lines are recorded per call: past
 * the first limit, or when the REPLY would outgrow BH_FRAME_MAX (or its
 * buffer cannot grow), builders answer BATON_ELIMIT; log lines past the second are dropped. Log
 * lines made outside a call (during init) are dropped: LOADED has no room for them.
 *
 * Owns: the operation list (process-wide; the worker holds one call at a
 * time). Does not own the result or the letter.
 */
#ifndef BH_WORKER_RECORDER_H
#define BH_WORKER_RECORDER_H

#include <stdint.h>

#include "baton/plugin.h"
#include "wire.h"

/* The recording table; static, valid for the life of the process. */
const baton_host_api *bh_recorder_api(void);

/* Starts recording a call whose builder target is result or letter (the
 * other NULL); empties the operation list. */
void bh_recorder_begin(baton_result *result, baton_letter *letter);

/* Stops recording; the list stays readable until the next begin. */
void bh_recorder_end(void);

/* The encoded operations of the last call and their number. */
const bh_wbuf *bh_recorder_ops(uint32_t *count);

/* Frees the list's memory. */
void bh_recorder_free(void);

#endif
