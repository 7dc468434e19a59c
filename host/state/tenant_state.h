/*
 * tenant_state.h - each tenant's durable state on this host: its folder
 * under the data directory, its store (store.h), its keys (tenant_keys.h)
 * and its replay ledger (baton/ledger.h).
 *
 *   <data_dir>/tenants/<id>/store.db     documents, handoffs, inbox, audit
 *   <data_dir>/tenants/<id>/ledger.db    sequences accepted per sender key
 *   <data_dir>/tenants/<id>/keys/        sign.key, sign.pub, age.key, age.pub
 *   <data_dir>/tenants/<id>/documents/   uploaded documents (by id)
 *   <data_dir>/tenants/<id>/outbox/      packages sent (by handoff id)
 *   <data_dir>/tenants/<id>/inbox/       packages received (by inbox id)
 *   <data_dir>/tenants/<id>/cases/       bags of accepted packages
 *
 * States are opened on first use and kept for the life of the process
 * (config reloads do not reopen databases). Lookups are thread-safe; a state
 * is shared by every thread and its members are safe to use concurrently
 * (the store and ledger serialise internally, keys are read-only).
 */
#ifndef BH_TENANT_STATE_H
#define BH_TENANT_STATE_H

#include <pthread.h>
#include <stddef.h>

#include "baton/ledger.h"
#include "id_index.h"
#include "store.h"
#include "tenant_keys.h"

typedef struct bh_tenant_state {
    char *id;  /* owned */
    char *dir; /* owned: <data_dir>/tenants/<id> */
    bh_store *store;
    bh_tenant_keys *keys;
    baton_ledger *ledger;
    /* Held while a package is opened against the ledger: the ledger's
     * check-and-record transaction runs on one connection. */
    pthread_mutex_t open_mu;
} bh_tenant_state;

/* The state of tenant id under data_dir, opened (and created) on first use.
 * The state stays valid until bh_tenant_states_close. Opening runs outside
 * the lock of the state table: while one tenant's state opens, lookups of
 * states already open answer at once; a second caller for the same tenant
 * waits for the first opener and gets the same state. */
int bh_tenant_state_get(const char *data_dir, const char *id, bh_tenant_state **out, char *err,
                        size_t errlen);

/*
 * The state of tenant id if it has a store on disk already: 0 with *out
 * (opened now if it was not), 1 when it has none (a tenant that never used
 * its state: nothing is created just to find that out), or a negative code
 * with err. Reading what a tenant may have stored (its uploads, its outbox)
 * goes through here, so ten thousand tenants that never stored anything
 * cost a stat each, not a folder, two databases and keys each.
 */
int bh_tenant_state_existing(const char *data_dir, const char *id, bh_tenant_state **out, char *err,
                             size_t errlen);

/*
 * The tenants with a folder under data_dir/tenants, listed once: a
 * registry build and the start's outbox recovery ask it before
 * bh_tenant_state_existing, so ten thousand tenants that never stored
 * anything cost one directory listing, not a stat each.
 */
typedef struct bh_state_folders {
    bh_id_index ids; /* folder name -> index into names */
    char **names;    /* owned */
    size_t count, cap;
    int unlisted; /* the folder could not be read: any tenant may have one */
} bh_state_folders;

void bh_state_folders_list(const char *data_dir, bh_state_folders *f);
/* 0 when tenant id has no state: no folder when listed, and its state not
 * opened by this process since (opening creates the folder). 1 otherwise. */
int bh_state_folders_may_have(const bh_state_folders *f, const char *id);
void bh_state_folders_free(bh_state_folders *f);

/* Writes "<state dir>/<sub>/<name>" into buf. */
int bh_tenant_state_path(const bh_tenant_state *st, const char *sub, const char *name, char *buf,
                         size_t len);

/* fsyncs the folder <state dir>/<sub>, so a rename or link into it that
 * just happened survives a crash. */
int bh_tenant_state_sync_dir(const bh_tenant_state *st, const char *sub);

/* Calls fn on every state opened so far (at shutdown, one thread). */
void bh_tenant_states_each(void (*fn)(bh_tenant_state *st, void *ctx), void *ctx);

/* Closes every state (at exit). */
void bh_tenant_states_close(void);

#endif
