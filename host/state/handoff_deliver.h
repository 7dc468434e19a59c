/*
 * handoff_deliver.h - the cross-tenant steps of a handoff, made recoverable.
 *
 * A change that must reach another store is committed first, together with
 * an outbox record (store.h) in the same transaction, and delivered after:
 *
 *   "package"  agency -> law firm: the package is linked into the firm's
 *              inbox folder and its inbox row written (with the firm's
 *              handoff.received audit record) in the firm's transaction;
 *   "receipt"  law firm -> agency: the receipt is stored on the agency's
 *              handoff (with its receipt.received audit record);
 *   "ledger"   law firm -> its own replay ledger: the accepted sequence;
 *   "event"    either party -> the other: a signed case event, received
 *              with the same checks as an import (case_events.h), keyed by
 *              (handoff, sender, event_id).
 *
 * Every delivery is idempotent, keyed by the handoff id: the inbox item id
 * is derived from (sender, handoff id), a receipt is stored once, a ledger
 * entry once. A record is removed only after its delivery committed, so a
 * crash (kill -9) at any point leaves either the record, which is
 * delivered again at the next start (bh_outbox_recover), or its effect.
 *
 * Blocking: thread pool, startup or tests only.
 */
#ifndef BH_HANDOFF_DELIVER_H
#define BH_HANDOFF_DELIVER_H

#include <stddef.h>

#include "tenant_state.h"

/* Finds the state of a tenant on this host by id, or NULL when it is not
 * (or no longer) configured. */
typedef bh_tenant_state *(*bh_tenant_resolver)(void *ctx, const char *tenant_id);

/* A resolver that knows one tenant: ctx is its bh_tenant_state (or NULL). */
bh_tenant_state *bh_resolve_one(void *ctx, const char *tenant_id);

/* The inbox item id of a handoff delivered on this host:
 * "in_" + the first 32 hex digits of SHA-256(sender "\n" handoff_id). */
void bh_inbox_id_for(const char *sender, const char *handoff_id, char out[40]);

/*
 * Delivers st's pending outbox record id (every pending record when id is
 * NULL). A record whose target cannot be resolved or whose delivery fails
 * stays for the next attempt; that is logged. Returns the number of
 * records still pending in *left (may be NULL); 0, or the first failure.
 */
int bh_outbox_deliver(bh_tenant_state *st, const char *id, bh_tenant_resolver resolve, void *ctx,
                      size_t *left);

/*
 * The same for every pending record of kind on handoff_id, oldest first
 * (the events of one handoff arrive in the order they were committed).
 */
int bh_outbox_deliver_for(bh_tenant_state *st, const char *kind, const char *handoff_id,
                          bh_tenant_resolver resolve, void *ctx, size_t *left);

/*
 * At start, before serving: delivers every pending record of st and
 * removes packages in st's outbox folder that no committed handoff names
 * (a crash between packing and the commit leaves them).
 */
int bh_outbox_recover(bh_tenant_state *st, bh_tenant_resolver resolve, void *ctx, size_t *left);

#endif
