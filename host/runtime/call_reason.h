/*
 * call_reason.h - why the most recent host function call refused a plugin's
 * argument (the last_error member of baton_host_api, SDK 1.1).
 *
 * One line per thread: a plugin call runs on one thread from start to end
 * (a loop thread in process, the worker's only thread when isolated), so
 * the thread's reason is the call's. The call's runner clears it before a
 * capability runs (bh_reason_clear) and reads it when the capability
 * fails; a host function that refuses sets it (bh_refuse); a successful one
 * leaves it alone, like errno.
 *
 * Owns: the per-thread text and the quoting of plugin-supplied strings in
 * it. Does not own: the rules themselves (builder_rules.c, result.c,
 * letter.c, host_api.c for views).
 */
#ifndef BH_CALL_REASON_H
#define BH_CALL_REASON_H

#include <stddef.h>

/* Longest reason kept, NUL included; longer ones are cut. */
#define BH_REASON_MAX 256

/* Records the reason (printf format) and returns rc, so a refusal reads
 * "return bh_refuse(BATON_EINVAL, ...)". */
int bh_refuse(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Forgets this thread's reason (start of a capability call). */
void bh_reason_clear(void);

/* This thread's reason; "" when none. Valid until the next refusal on the
 * thread. Implements baton_host_api.last_error. */
const char *bh_reason_last(void);

/*
 * s as a reason quotes it: "..." with '"', '\\' and bytes below 0x20 or
 * 0x7f escaped, cut after 48 bytes with "..." (plugin text may be long, and
 * reasons reach logs and answers). NULL gives NULL without quotes. Returns
 * buf (len >= 64 keeps every quote whole).
 */
const char *bh_reason_quote(const char *s, char *buf, size_t len);

/*
 * A reason that came from elsewhere (an isolated worker's REPLY) made safe
 * to show: copied into out (at most len - 1 bytes), every byte that is a
 * control character, or not part of valid UTF-8, replaced by '?'.
 */
void bh_reason_sanitize(const char *in, char *out, size_t len);

#endif
