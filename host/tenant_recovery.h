/*
 * tenant_recovery.h - what batond does with every tenant's state at start
 * and at shutdown so that two tenants stay consistent across a crash and
 * an audit log cannot be cut short unnoticed:
 *
 *   at start, before serving: deliver every outbox record a crash left
 *   (packages to inboxes, receipts to agencies, ledger entries) and remove
 *   packages no committed handoff names (handoff_deliver.h), in every
 *   tenant that has a store on disk (one that never stored anything has
 *   no outbox, and is not opened);
 *   at shutdown, after the drain: sign an audit checkpoint at the end of
 *   each open tenant's chain (audit_log.h).
 *
 * Failures are logged; neither step stops batond.
 */
#ifndef BH_TENANT_RECOVERY_H
#define BH_TENANT_RECOVERY_H

#include "tenant.h"

void bh_recover_tenants(const bh_registry *reg, const char *data_dir);
void bh_checkpoint_tenants(void);

#endif
