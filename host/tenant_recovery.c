/* tenant_recovery.c - outbox replay at start, audit checkpoints at
 * shutdown (tenant_recovery.h). */
#include "tenant_recovery.h"

#include <stdio.h>

#include "audit_log.h"
#include "handoff_deliver.h"
#include "log.h"
#include "tenant_state.h"

typedef struct resolver {
    const bh_registry *reg;
    const char *data_dir;
} resolver;

/* A configured tenant's state; NULL for a tenant no longer configured. */
static bh_tenant_state *resolve(void *ctx, const char *id)
{
    resolver *r = ctx;
    bh_tenant_state *st;
    char err[300];
    if (bh_registry_find(r->reg, id) == NULL)
        return NULL;
    if (bh_tenant_state_get(r->data_dir, id, &st, err, sizeof err) != 0) {
        bh_log(BH_LOG_ERROR, "cannot open the tenant's state", "tenant", id, "reason", err, NULL);
        return NULL;
    }
    return st;
}

void bh_recover_tenants(const bh_registry *reg, const char *data_dir)
{
    resolver r = {reg, data_dir};
    bh_state_folders folders;
    bh_state_folders_list(data_dir, &folders);
    for (size_t i = 0; i < reg->count; i++) {
        bh_tenant_state *st = NULL;
        char err[300];
        size_t left = 0;
        /* A tenant without a store has no outbox: nothing to open. */
        if (!bh_state_folders_may_have(&folders, reg->tenants[i].id))
            continue;
        int rc = bh_tenant_state_existing(data_dir, reg->tenants[i].id, &st, err, sizeof err);
        if (rc < 0)
            bh_log(BH_LOG_ERROR, "cannot open the tenant's state", "tenant", reg->tenants[i].id,
                   "reason", err, NULL);
        if (rc != 0)
            continue;
        bh_outbox_recover(st, resolve, &r, &left);
        if (left > 0) {
            char n[24];
            snprintf(n, sizeof n, "%zu", left);
            bh_log(BH_LOG_WARN, "outbox records left undelivered until the next start", "tenant",
                   st->id, "records", n, NULL);
        }
    }
    bh_state_folders_free(&folders);
}

static void checkpoint(bh_tenant_state *st, void *ctx)
{
    char err[512];
    (void)ctx;
    if (bh_audit_checkpoint_now(st, err, sizeof err) != 0)
        bh_log(BH_LOG_ERROR, "cannot sign the audit checkpoint", "tenant", st->id, "detail", err,
               NULL);
}

void bh_checkpoint_tenants(void)
{
    bh_tenant_states_each(checkpoint, NULL);
}
