/*
 * worker_replay.h - applying the builder operations of a worker's REPLY to
 * the host's own result or letter.
 *
 * A worker is untrusted: every operation goes through the same builder
 * function a plugin in process would have called (bh_result_*,
 * bh_letter_*), so the host's answer obeys the same rules whichever way the
 * plugin ran. An operation the builder refuses, one of the wrong kind for
 * the call, or a malformed one, is a protocol error.
 */
#ifndef BH_WORKER_REPLAY_H
#define BH_WORKER_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "baton/plugin.h"
#include "wire.h"

/*
 * Reads count operations from r and applies them to result (finding, line
 * item, facts) or letter (blocks, properties); either may be NULL, and an
 * operation for a NULL target is an error. Log lines go to bh_host_log with
 * tenant and plugin. 0, or BATON_EINVAL with what was wrong in err.
 */
int bh_worker_replay(bh_rbuf *r, uint32_t count, baton_result *result, baton_letter *letter,
                     const char *tenant, const char *plugin, char *err, size_t errlen);

#endif
