/*
 * audit_log.h - a tenant's audit log as an operator relies on it: appending
 * events (with a signed checkpoint every BH_AUDIT_CHECKPOINT_EVERY rows),
 * checkpoints on demand (at shutdown), and verifying the chain against the
 * checkpoints so that a changed, removed or cut-off row is found.
 *
 * A checkpoint is a short statement ("the chain of tenant T reached row N
 * with hash H at time X") signed with the tenant's minisign key; anyone
 * holding the tenant's sign.pub checks it with stock minisign
 * (docs/audit.md). The rows themselves and the hash arithmetic are the
 * store's (store.h, store_audit.c).
 *
 * Policy (docs/audit.md): an action and its audit record are written in one
 * store transaction; when the record cannot be written, the action is
 * rolled back and the request fails. Callers inside a transaction pass
 * their tenant state here and roll back on a non-zero return.
 *
 * Functions block on disk: thread pool or startup/shutdown only. They
 * return 0 or a negative BATON_E* code with detail in err.
 */
#ifndef BH_AUDIT_LOG_H
#define BH_AUDIT_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "baton/minisign.h"
#include "tenant_state.h"

/* A checkpoint is signed after every this many rows (and at shutdown). */
#define BH_AUDIT_CHECKPOINT_EVERY 100

/* Appends action on subject with detail (JSON object text or NULL) to st's
 * log, the actor being st's tenant; joins the caller's open transaction. */
int bh_audit_append(bh_tenant_state *st, const char *action, const char *subject,
                    const char *detail, char *err, size_t errlen);

/* Signs a checkpoint at the current end of st's chain unless one is there
 * already (or the log is empty). */
int bh_audit_checkpoint_now(bh_tenant_state *st, char *err, size_t errlen);

/* The statement a checkpoint signs, into buf (at most 256 bytes). */
int bh_audit_statement(const char *tenant, int64_t seq, const char *hash, const char *ts, char *buf,
                       size_t len);

typedef struct bh_audit_report {
    uint64_t rows;           /* rows in the chain */
    int64_t last_seq;        /* its last seq (0: empty) */
    size_t checkpoints;      /* checkpoints checked */
    int64_t last_checkpoint; /* the highest checkpointed seq (0: none) */
} bh_audit_report;

/*
 * Verifies tenant's log in s: the chain (store.h), then every checkpoint:
 * its statement and signature by pub, and the row it names, which must
 * exist and carry the hash it states (so rows cut off after a checkpoint
 * are found). BATON_ECRYPTO with the first problem (row or checkpoint and
 * why) in err.
 */
int bh_audit_verify(bh_store *s, const char *tenant, const baton_minisign_pubkey *pub,
                    bh_audit_report *rep, char *err, size_t errlen);

#endif
