/*
 * handoff.h - moving cases between tenants as signed handoff packages: an
 * agency packs a case with its documents for a law firm, the firm accepts
 * (verify, import, sign a receipt) or rejects it, and the receipt goes back
 * to the agency.
 *
 * Every function here blocks on disk and crypto: call it from the thread
 * pool, never from the event loop thread. Each works only on the tenant
 * states it is handed; the caller (api_handoffs.c) decides which tenants
 * those are from the authenticated request, so one tenant never reaches
 * another's data except by the delivery step of a handoff addressed to it.
 *
 * Answers are cJSON objects the API returns as they are (caller frees).
 * Failures return a negative code with bh_handoff_error filled in.
 */
#ifndef BH_HANDOFF_H
#define BH_HANDOFF_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "baton/age.h"
#include "baton/minisign.h"
#include "tenant_state.h"

typedef struct bh_handoff_error {
    int http_status;
    const char *code; /* static string */
    char message[400];
} bh_handoff_error;

/* Where a handoff goes: a law-firm tenant on this host, or an external firm
 * known by its public keys. */
typedef struct bh_handoff_target {
    const char *name;           /* tenant id, or the external firm's name */
    bh_tenant_state *tenant;    /* non-NULL for a tenant on this host */
    baton_age_recipient age;    /* external: who the package is encrypted to */
    baton_minisign_pubkey sign; /* external: who must sign the receipt */
    /* What the handoff places (store.h, "placements"; its handoff_id is
     * filled in here), recorded in the handoff's transaction; NULL: none. */
    const bh_placement_record *placement;
} bh_handoff_target;

/* Default and maximum validity of a package. */
#define BH_HANDOFF_TTL_DEFAULT (30 * 24 * 3600)
#define BH_HANDOFF_TTL_MAX     (365 * 24 * 3600)

/*
 * Packs case_json (text, its case_id read from it) with the sender's
 * documents doc_ids into a package signed by the sender and encrypted to
 * the target, and commits the handoff with its audit record and, for a
 * tenant target, the outbox record that delivers it to the target's inbox
 * (handoff_deliver.h), delivered right after the commit. *answer describes
 * the handoff. 500 "audit_failed" when the audit record could not be
 * written: then nothing was kept.
 */
int bh_handoff_create(bh_tenant_state *sender, const char *case_json, size_t case_len,
                      const char *const *doc_ids, size_t n_docs, const bh_handoff_target *to,
                      int64_t ttl_seconds, cJSON **answer, bh_handoff_error *e);

/*
 * Opens inbox item item_id of the firm: verifies the package against the
 * trusted sender keys, checks replay and expiry, extracts it, imports the
 * case, signs a receipt, and commits the decision with its audit record
 * and the outbox records of the receipt (for the sending tenant) and of
 * the ledger entry; then delivers them, the receipt to sender (NULL: it
 * waits in the outbox for the next start). A package that fails a check
 * is rejected with its verdict and a signed receipt saying so; the answer
 * then has status "rejected" and the call returns 0 with e->http_status
 * 422 so the API can say what failed.
 */
int bh_inbox_accept(bh_tenant_state *firm, const char *item_id,
                    const baton_minisign_pubkey *trusted, size_t n_trusted, bh_tenant_state *sender,
                    cJSON **answer, bh_handoff_error *e);

/* Rejects a pending inbox item without opening it; the receipt says
 * "declined" and reason is kept with the item. */
int bh_inbox_reject(bh_tenant_state *firm, const char *item_id, const char *reason,
                    bh_tenant_state *sender, cJSON **answer, bh_handoff_error *e);

/*
 * One inbox item of the firm; an accepted one with its imported case and,
 * when its package has a document index, the documents with the names
 * their sender gave and where each was restored (null: kept only under its
 * bag name).
 */
int bh_inbox_describe(bh_tenant_state *firm, const char *item_id, cJSON **answer,
                      bh_handoff_error *e);

/*
 * Records a receipt posted back by an external firm for handoff_id after
 * verifying its signature with the key given at creation and that it names
 * this handoff's package (tagmanifest hash, case, sequence).
 */
int bh_handoff_add_receipt(bh_tenant_state *sender, const char *handoff_id,
                           const char *receipt_json, const char *minisig, cJSON **answer,
                           bh_handoff_error *e);

/* One handoff with its receipt, the receipt's signature checked again. */
int bh_handoff_describe(bh_tenant_state *sender, const char *handoff_id, cJSON **answer,
                        bh_handoff_error *e);

#endif
