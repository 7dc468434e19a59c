/* tenant_state.c - per-tenant folders, store, keys and ledger (tenant_state.h). */
#include "tenant_state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "baton/error.h"
#include "id_index.h"

/* Every state opened so far, and an index from tenant id to its position
 * (constant-time lookups with ten thousand tenants). One state per tenant
 * configured at some point in this process's life, so their number is
 * bounded by the configs the operator wrote, not by anything a client
 * sends: handlers open only the caller's state and those of tenants the
 * registry knows. */
static pthread_mutex_t states_mu = PTHREAD_MUTEX_INITIALIZER;
static bh_tenant_state **states;
static size_t state_count, state_cap;
static bh_id_index state_ids; /* keys are the states' own id strings */

/* The states being opened right now. Opening makes folders, opens two
 * SQLite files and may create the tenant's keys: milliseconds, more on a
 * slow disk. It runs outside states_mu, so a first use of one tenant does
 * not hold up every other tenant's lookups (some run on event loops);
 * a second caller for the same tenant waits for the first (opened_cv)
 * instead of opening it twice, which could create two different keys. */
struct opening {
    const char *id; /* the opener's, valid while it is listed */
    struct opening *next;
};
static struct opening *openings;
static pthread_cond_t opened_cv = PTHREAD_COND_INITIALIZER;

static int being_opened(const char *id)
{
    for (const struct opening *o = openings; o != NULL; o = o->next)
        if (strcmp(o->id, id) == 0)
            return 1;
    return 0;
}

static void state_free(bh_tenant_state *st)
{
    if (st == NULL)
        return;
    bh_store_close(st->store);
    bh_tenant_keys_free(st->keys);
    baton_ledger_close(st->ledger);
    pthread_mutex_destroy(&st->open_mu);
    free(st->id);
    free(st->dir);
    free(st);
}

static int make_dir(const char *path, char *err, size_t errlen)
{
    if (mkdir(path, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return BATON_EIO;
    }
    return 0;
}

int bh_tenant_state_path(const bh_tenant_state *st, const char *sub, const char *name, char *buf,
                         size_t len)
{
    int n = name != NULL ? snprintf(buf, len, "%s/%s/%s", st->dir, sub, name)
                         : snprintf(buf, len, "%s/%s", st->dir, sub);
    return (n < 0 || (size_t)n >= len) ? BATON_ELIMIT : 0;
}

int bh_tenant_state_sync_dir(const bh_tenant_state *st, const char *sub)
{
    char path[PATH_MAX];
    if (bh_tenant_state_path(st, sub, NULL, path, sizeof path) != 0)
        return BATON_ELIMIT;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return BATON_EIO;
    int rc = fsync(fd) == 0 ? 0 : BATON_EIO;
    close(fd);
    return rc;
}

static int state_open(const char *data_dir, const char *id, bh_tenant_state **out, char *err,
                      size_t errlen)
{
    static const char *const subdirs[] = {"documents", "outbox", "inbox", "cases", "tmp"};
    char path[PATH_MAX];
    int rc = BATON_ENOMEM;
    bh_tenant_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        goto fail;
    pthread_mutex_init(&st->open_mu, NULL);
    if ((st->id = strdup(id)) == NULL)
        goto fail;
    snprintf(path, sizeof path, "%s/tenants", data_dir);
    if ((rc = make_dir(data_dir, err, errlen)) != 0 || (rc = make_dir(path, err, errlen)) != 0)
        goto fail;
    snprintf(path, sizeof path, "%s/tenants/%s", data_dir, id);
    rc = BATON_ENOMEM;
    if ((st->dir = strdup(path)) == NULL)
        goto fail;
    if ((rc = make_dir(st->dir, err, errlen)) != 0)
        goto fail;
    for (size_t i = 0; i < sizeof subdirs / sizeof subdirs[0]; i++) {
        bh_tenant_state_path(st, subdirs[i], NULL, path, sizeof path);
        if ((rc = make_dir(path, err, errlen)) != 0)
            goto fail;
    }
    bh_tenant_state_path(st, "store.db", NULL, path, sizeof path);
    if ((rc = bh_store_open(path, &st->store, err, errlen)) != 0)
        goto fail;
    bh_tenant_state_path(st, "ledger.db", NULL, path, sizeof path);
    if ((rc = baton_ledger_open(path, &st->ledger, err, errlen)) != 0)
        goto fail;
    bh_tenant_state_path(st, "keys", NULL, path, sizeof path);
    if ((rc = bh_tenant_keys_load_or_create(path, &st->keys, err, errlen)) != 0)
        goto fail;
    *out = st;
    return 0;
fail:
    if (rc == BATON_ENOMEM)
        snprintf(err, errlen, "tenant %s: out of memory opening its state", id);
    state_free(st);
    return rc;
}

int bh_tenant_state_get(const char *data_dir, const char *id, bh_tenant_state **out, char *err,
                        size_t errlen)
{
    int rc = 0;
    uint32_t at;
    pthread_mutex_lock(&states_mu);
    for (;;) {
        if (bh_id_index_find(&state_ids, id, &at)) {
            *out = states[at];
            pthread_mutex_unlock(&states_mu);
            return 0;
        }
        if (!being_opened(id))
            break;
        /* Another thread opens it: its result (or its failure, after
         * which this one tries itself) is seen on the next turn. */
        pthread_cond_wait(&opened_cv, &states_mu);
    }
    struct opening me = {id, openings};
    openings = &me;
    pthread_mutex_unlock(&states_mu);

    bh_tenant_state *st = NULL;
    rc = state_open(data_dir, id, &st, err, errlen);

    pthread_mutex_lock(&states_mu);
    struct opening **link = &openings;
    while (*link != &me)
        link = &(*link)->next;
    *link = me.next;
    if (rc == 0 && state_count == state_cap) {
        size_t ncap = state_cap == 0 ? 64 : state_cap * 2;
        bh_tenant_state **ns = realloc(states, ncap * sizeof *ns);
        if (ns == NULL) {
            rc = BATON_ENOMEM;
        } else {
            states = ns;
            state_cap = ncap;
        }
    }
    if (rc == 0)
        rc = bh_id_index_add(&state_ids, st->id, (uint32_t)state_count, NULL);
    if (rc == 0) {
        states[state_count++] = st;
        *out = st;
    } else if (st != NULL) {
        snprintf(err, errlen, "tenant %s: out of memory opening its state", id);
        state_free(st);
    }
    pthread_cond_broadcast(&opened_cv);
    pthread_mutex_unlock(&states_mu);
    return rc;
}

int bh_tenant_state_existing(const char *data_dir, const char *id, bh_tenant_state **out, char *err,
                             size_t errlen)
{
    char path[PATH_MAX];
    struct stat sb;
    uint32_t at;
    int open_already;

    pthread_mutex_lock(&states_mu);
    open_already = bh_id_index_find(&state_ids, id, &at);
    if (open_already)
        *out = states[at];
    pthread_mutex_unlock(&states_mu);
    if (open_already)
        return 0;
    if (snprintf(path, sizeof path, "%s/tenants/%s/store.db", data_dir, id) >= (int)sizeof path) {
        snprintf(err, errlen, "tenant %s: data path too long", id);
        return BATON_ELIMIT;
    }
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT)
            return 1;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return BATON_EIO;
    }
    return bh_tenant_state_get(data_dir, id, out, err, errlen);
}

void bh_state_folders_list(const char *data_dir, bh_state_folders *f)
{
    char path[PATH_MAX];
    memset(f, 0, sizeof *f);
    bh_id_index_init(&f->ids);
    if (snprintf(path, sizeof path, "%s/tenants", data_dir) >= (int)sizeof path) {
        f->unlisted = 1;
        return;
    }
    DIR *d = opendir(path);
    if (d == NULL) {
        /* No folder yet: no tenant has state. Any other failure: ask. */
        f->unlisted = errno != ENOENT;
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (f->count == f->cap) {
            size_t ncap = f->cap == 0 ? 64 : f->cap * 2;
            char **grown = realloc(f->names, ncap * sizeof *grown);
            if (grown == NULL)
                goto unlisted;
            f->names = grown;
            f->cap = ncap;
        }
        if ((f->names[f->count] = strdup(e->d_name)) == NULL)
            goto unlisted;
        if (bh_id_index_add(&f->ids, f->names[f->count], (uint32_t)f->count, NULL) ==
            BATON_ENOMEM) {
            free(f->names[f->count]);
            goto unlisted;
        }
        f->count++;
    }
    closedir(d);
    return;
unlisted:
    closedir(d);
    f->unlisted = 1; /* out of memory: ask for each tenant, as without a list */
}

int bh_state_folders_may_have(const bh_state_folders *f, const char *id)
{
    uint32_t at;
    if (f->unlisted || bh_id_index_find(&f->ids, id, &at))
        return 1;
    pthread_mutex_lock(&states_mu);
    int open_now = bh_id_index_find(&state_ids, id, &at);
    pthread_mutex_unlock(&states_mu);
    return open_now;
}

void bh_state_folders_free(bh_state_folders *f)
{
    for (size_t i = 0; i < f->count; i++)
        free(f->names[i]);
    free(f->names);
    bh_id_index_free(&f->ids);
    memset(f, 0, sizeof *f);
}

void bh_tenant_states_each(void (*fn)(bh_tenant_state *st, void *ctx), void *ctx)
{
    /* States are only added, never removed before bh_tenant_states_close,
     * but the list may move as it grows: each one is read under the lock,
     * fn runs outside it (fn may open states itself). */
    for (size_t i = 0;; i++) {
        pthread_mutex_lock(&states_mu);
        bh_tenant_state *st = i < state_count ? states[i] : NULL;
        pthread_mutex_unlock(&states_mu);
        if (st == NULL)
            return;
        fn(st, ctx);
    }
}

void bh_tenant_states_close(void)
{
    pthread_mutex_lock(&states_mu);
    /* A state still opening on another thread is waited for, so it is
     * closed with the others instead of added to a table already freed. */
    while (openings != NULL)
        pthread_cond_wait(&opened_cv, &states_mu);
    for (size_t i = 0; i < state_count; i++)
        state_free(states[i]);
    free(states);
    states = NULL;
    state_count = state_cap = 0;
    bh_id_index_free(&state_ids);
    pthread_mutex_unlock(&states_mu);
}
