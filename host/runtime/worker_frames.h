/*
 * worker_frames.h - building the host's frames (LOAD, CALL) and reading a
 * worker's (LOADED, REFUSED, REPLY, FAULT) as worker_proto.h lays them out.
 * Shared by the synchronous client (isolation.c) and the pools
 * (isolation_pool.c).
 */
#ifndef BH_WORKER_FRAMES_H
#define BH_WORKER_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "isolation.h"
#include "wire.h"

/* Appends a LOAD frame to b. */
void bh_frame_load(bh_wbuf *b, const char *tenant, const char *path, const char *config_json,
                   unsigned flags);

/* Appends a CALL frame to b. */
void bh_frame_call(bh_wbuf *b, uint32_t call_id, unsigned caps, const char *kind, const char *as_of,
                   const char *case_json, size_t case_len, const char *result_json);

/*
 * Reads the answer to LOAD from payload (one whole frame without its
 * length). LOADED: 0 with *info filled. REFUSED: BATON_EPLUGIN with the
 * worker's line in err. FAULT: BATON_EPLUGIN with "forbidden ...".
 * Anything else: BATON_EINVAL ("protocol error: ...").
 */
int bh_frame_read_loaded(const uint8_t *payload, size_t len, bh_plugin_info *info, char *err,
                         size_t errlen);

/*
 * Reads the header of a REPLY: *call_id, *plugin_rc, *failed and *reason
 * (both point into payload; reason is the worker's, unchecked beyond its
 * length: bh_reason_sanitize it before showing it), *op_count; r is left
 * at the first operation. A FAULT gives BATON_EPLUGIN with its message in
 * err; anything else BATON_EINVAL.
 */
int bh_frame_read_reply(const uint8_t *payload, size_t len, bh_rbuf *r, uint32_t *call_id,
                        int *plugin_rc, const char **failed, const char **reason,
                        uint32_t *op_count, char *err, size_t errlen);

/* "killed by signal 11 (SIGSEGV)" / "exited with status 0" from a wait status. */
void bh_describe_exit(int status, char *buf, size_t len);

#endif
