/* test_tenant.c - the tenant registry: ids and tokens found through their
 * indexes, a reload's registry swapped whole while a request holds the old
 * one, a token hash two tenants hold refused by name; in-process plugin
 * instances shared by tenants configured alike (each keeping its own
 * instance), rebuilt by a reload only where file or config changed, never
 * for isolated plugins; what a shared init logged, logged for each tenant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "auth.h"
#include "baton/error.h"
#include "config.h"
#include "host_api.h"
#include "registry_retire.h"
#include "tenant.h"
#include "tenant_state.h"

static char root[64];

static void put(const char *rel, const char *text)
{
    char path[256];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", root, rel);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void drop(const char *rel)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    assert_int_equal(unlink(path), 0);
}

static int setup(void **state)
{
    char sub[128];
    (void)state;
    snprintf(root, sizeof root, "/tmp/baton-tenant-XXXXXX");
    if (mkdtemp(root) == NULL || sodium_init() < 0)
        return -1;
    snprintf(sub, sizeof sub, "%s/tenants", root);
    if (mkdir(sub, 0700) != 0)
        return -1;
    put("batond.json", "{\"plugin_dir\": \".\", \"data_dir\": \"data\", "
                       "\"tenants\": [\"tenants/\"]}");
    return 0;
}

static int teardown(void **state)
{
    char cmd[160];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* A tenant file of kind with the hash of token (or none). */
static void put_tenant(const char *id, const char *kind, const char *token)
{
    char rel[128], text[512], hash_text[BH_TOKEN_HASH_TEXT_MAX];
    unsigned char hash[BH_TOKEN_HASH_BYTES];
    snprintf(rel, sizeof rel, "tenants/%s.json", id);
    if (token != NULL) {
        bh_token_hash(token, strlen(token), hash);
        bh_token_hash_text(hash, hash_text);
        snprintf(text, sizeof text,
                 "{\"id\": \"%s\", \"kind\": \"%s\", \"token_hashes\": [\"%s\"]}", id, kind,
                 hash_text);
    } else {
        snprintf(text, sizeof text, "{\"id\": \"%s\", \"kind\": \"%s\"}", id, kind);
    }
    put(rel, text);
}

static bh_registry *build(uint64_t generation, int *rc, char *err, size_t errlen)
{
    char path[128];
    bh_config *cfg = NULL;
    bh_registry *r = NULL;
    snprintf(path, sizeof path, "%s/batond.json", root);
    assert_int_equal(bh_config_load(path, NULL, NULL, NULL, &cfg, err, errlen), 0);
    *rc = bh_registry_build(cfg, generation, NULL, NULL, NULL, &r, err, errlen);
    return r;
}

/* The tenant a bearer token resolves to in r, or NULL. */
static const char *who(const bh_registry *r, const char *token)
{
    char header[128];
    uint32_t i = UINT32_MAX;
    snprintf(header, sizeof header, "Bearer %s", token);
    if (bh_auth_resolve(&r->tokens, header, &i) != BH_AUTH_OK)
        return NULL;
    assert_true(i < r->count);
    return r->tenants[i].id;
}

/* Three hundred tenants: each id and each token finds its own tenant. */
static void ids_and_tokens_find_their_tenants(void **state)
{
    char id[32], tok[32], err[512];
    int rc;
    (void)state;
    for (int i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "t-%03d", i);
        snprintf(tok, sizeof tok, "bt_token_%03d", i);
        put_tenant(id, i % 3 == 0 ? "lawfirm" : "agency", tok);
    }
    bh_registry *r = build(1, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    assert_int_equal(r->count, 300);
    for (int i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "t-%03d", i);
        snprintf(tok, sizeof tok, "bt_token_%03d", i);
        const bh_tenant *t = bh_registry_find(r, id);
        assert_non_null(t);
        assert_string_equal(t->id, id);
        assert_int_equal(t->kind, i % 3 == 0 ? BH_TENANT_LAWFIRM : BH_TENANT_AGENCY);
        assert_string_equal(who(r, tok), id);
    }
    assert_null(bh_registry_find(r, "t-300"));
    assert_null(who(r, "bt_token_300"));
    bh_registry_unref(r);
    for (int i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "tenants/t-%03d.json", i);
        drop(id);
    }
}

/* A reload: the new registry has its own table; a request that took the
 * old one before the swap still resolves the old tokens on it. */
static void a_reload_swaps_the_token_table_whole(void **state)
{
    char err[512];
    int rc;
    (void)state;
    put_tenant("northwind", "agency", "bt_northwind");
    put_tenant("harbor-law", "lawfirm", "bt_harbor");
    bh_registry *first = build(1, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    bh_registry_slot slot;
    bh_registry_slot_init(&slot, first);
    bh_registry *in_flight = bh_registry_slot_acquire(&slot);

    drop("tenants/harbor-law.json");
    put_tenant("southbank", "agency", "bt_southbank");
    put_tenant("northwind", "agency", "bt_northwind_2"); /* token replaced */
    bh_registry *second = build(2, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    bh_registry_slot_swap(&slot, second);

    bh_registry *now = bh_registry_slot_acquire(&slot);
    assert_ptr_equal(now, second);
    assert_string_equal(who(now, "bt_southbank"), "southbank");
    assert_string_equal(who(now, "bt_northwind_2"), "northwind");
    assert_null(who(now, "bt_harbor"));
    assert_null(who(now, "bt_northwind"));
    assert_null(bh_registry_find(now, "harbor-law"));
    /* The request that started before the swap finishes on its registry. */
    assert_string_equal(who(in_flight, "bt_harbor"), "harbor-law");
    assert_string_equal(who(in_flight, "bt_northwind"), "northwind");
    assert_null(who(in_flight, "bt_southbank"));
    assert_non_null(bh_registry_find(in_flight, "harbor-law"));
    bh_registry_unref(in_flight);
    bh_registry_unref(now);
    bh_registry_slot_clear(&slot);
    drop("tenants/northwind.json");
    drop("tenants/southbank.json");
}

/* After a reload the last reference to the old registry often goes with a
 * request ending on a worker loop. With the retire queue started, that
 * thread only queues it; the main loop frees it, and nothing keeps that
 * loop running when there is nothing to free. */
static void *drop_on_another_thread(void *arg)
{
    bh_registry_unref(arg);
    return NULL;
}

static void never_fires(uv_timer_t *t)
{
    (void)t;
}

static void a_retired_registry_is_freed_on_the_main_loop(void **state)
{
    char err[512];
    int rc;
    uv_loop_t loop;
    uv_timer_t alive; /* what keeps batond's main loop running: its signals */
    bh_registry_retire rr;
    pthread_t worker;
    (void)state;
    put_tenant("northwind", "agency", "bt_northwind");
    assert_int_equal(uv_loop_init(&loop), 0);
    assert_int_equal(bh_registry_retire_start(&rr, &loop), 0);
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0); /* the wake-up keeps nothing alive */
    assert_int_equal(uv_timer_init(&loop, &alive), 0);
    assert_int_equal(uv_timer_start(&alive, never_fires, 3600 * 1000, 0), 0);

    bh_registry *first = build(1, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    bh_registry_slot slot;
    bh_registry_slot_init(&slot, first);
    bh_registry *in_flight = bh_registry_slot_acquire(&slot);
    bh_registry *second = build(2, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    bh_registry_slot_swap(&slot, second); /* the request holds the last reference */
    assert_ptr_equal(rr.queue, NULL);

    assert_int_equal(pthread_create(&worker, NULL, drop_on_another_thread, in_flight), 0);
    assert_int_equal(pthread_join(worker, NULL), 0);
    assert_ptr_equal(rr.queue, first); /* queued, not freed, on that thread */
    assert_int_equal(rr.freed, 0);
    uv_run(&loop, UV_RUN_NOWAIT);
    assert_ptr_equal(rr.queue, NULL);
    assert_int_equal(rr.freed, 1);
    uv_close((uv_handle_t *)&alive, NULL);

    /* Shutdown: what is queued when the queue stops is freed by the stop,
     * and a last reference after it is freed where it goes. */
    bh_registry_slot_clear(&slot);
    assert_ptr_equal(rr.queue, second);
    bh_registry_retire_stop(&rr, &loop);
    assert_int_equal(rr.freed, 2);
    assert_int_equal(uv_loop_close(&loop), 0);
    bh_registry *third = build(3, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    bh_registry_unref(third);
    assert_int_equal(rr.freed, 2);
    drop("tenants/northwind.json");
}

/* One token hash in two tenants' files: the build is refused, naming both
 * tenants and where the hash came from, and not the hash. */
static void a_token_hash_two_tenants_hold_is_refused(void **state)
{
    char err[512], hash_text[BH_TOKEN_HASH_TEXT_MAX];
    unsigned char hash[BH_TOKEN_HASH_BYTES];
    int rc;
    (void)state;
    put_tenant("northwind", "agency", "bt_shared");
    put_tenant("southbank", "agency", "bt_shared");
    bh_registry *r = build(1, &rc, err, sizeof err);
    assert_null(r);
    assert_int_equal(rc, BATON_EEXIST);
    assert_non_null(strstr(err, "tenant southbank: token hash 1 of its tenant file is also a "
                                "token hash of tenant northwind"));
    bh_token_hash("bt_shared", 9, hash);
    bh_token_hash_text(hash, hash_text);
    assert_null(strstr(err, hash_text + 11));
    drop("tenants/northwind.json");
    drop("tenants/southbank.json");
}

/* ---- shared plugin instances ---- */

/* A config in folder sub (under root) whose plugins are the build's, with
 * the build's worker for the load checks. */
static void put_plugin_config(const char *sub)
{
    char rel[128], text[1024], dir[192];
    snprintf(dir, sizeof dir, "%s/%s", root, sub);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/%s/tenants", root, sub);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/%s/data", root, sub); /* batond makes it at start */
    mkdir(dir, 0700);
    snprintf(rel, sizeof rel, "%s/batond.json", sub);
    snprintf(text, sizeof text,
             "{\"plugin_dir\": \"%s\", \"data_dir\": \"data\", \"tenants\": [\"tenants/\"], "
             "\"isolation\": {\"worker\": \"%s\"}}",
             BATON_PLUGIN_DIR, BATON_WORKER_PATH);
    put(rel, text);
}

/* Tenant id of config sub using plugin file with config (JSON text). */
static void put_plugin_tenant(const char *sub, const char *id, const char *file, const char *config,
                              int isolated)
{
    char rel[128], text[512];
    snprintf(rel, sizeof rel, "%s/tenants/%s.json", sub, id);
    snprintf(text, sizeof text,
             "{\"id\": \"%s\", \"kind\": \"agency\", \"plugins\": [{\"path\": \"%s\", "
             "\"config\": %s, \"isolated\": %s}]}",
             id, file, config, isolated ? "true" : "false");
    put(rel, text);
}

static void print_refusal(void *ctx, const char *tenant, const char *file, const char *message)
{
    (void)ctx;
    fprintf(stderr, "refused: %s %s: %s\n", tenant, file, message);
}

static bh_registry *build_in(const char *sub, uint64_t generation, bh_registry *previous)
{
    char path[192], err[512];
    bh_config *cfg = NULL;
    bh_registry *r = NULL;
    snprintf(path, sizeof path, "%s/%s/batond.json", root, sub);
    assert_int_equal(bh_config_load(path, NULL, NULL, NULL, &cfg, err, sizeof err), 0);
    assert_int_equal(
        bh_registry_build(cfg, generation, previous, print_refusal, NULL, &r, err, sizeof err), 0);
    assert_int_equal(r->refused, 0);
    return r;
}

/* The one instance of tenant id in r. */
static bh_plugin_instance *only_instance(const bh_registry *r, const char *id)
{
    const bh_tenant *t = bh_registry_find(r, id);
    assert_non_null(t);
    assert_int_equal(t->live->count, 1);
    return t->live->items[0];
}

/* Two tenants with the same file and config share one initialised
 * instance, each with its own instance (counters, name); a third with
 * another config has its own. A reload takes over what did not change and
 * opens only the changed one; the old registry freed, the new instances
 * still run. */
static void identical_configs_share_one_instance_a_reload_rebuilds_only_changes(void **state)
{
    (void)state;
    put_plugin_config("share");
    put_plugin_tenant("share", "a", "good-probe.so", "{\"fee_minor\": 100}", 0);
    put_plugin_tenant("share", "b", "good-probe.so", "{\"fee_minor\": 100}", 0);
    put_plugin_tenant("share", "c", "good-probe.so", "{\"fee_minor\": 250}", 0);
    bh_registry *r1 = build_in("share", 1, NULL);
    bh_plugin_instance *a = only_instance(r1, "a"), *b = only_instance(r1, "b"),
                       *c = only_instance(r1, "c");
    assert_ptr_not_equal(a, b);
    assert_non_null(a->shared);
    assert_ptr_equal(a->shared, b->shared);
    assert_ptr_equal(a->state, b->state);
    assert_ptr_not_equal(c->shared, a->shared);
    assert_string_equal(a->tenant, "a");
    assert_string_equal(b->tenant, "b");
    assert_string_equal(a->config_json, "{\"fee_minor\":100}");
    assert_string_equal(c->config_json, "{\"fee_minor\":250}");
    atomic_fetch_add(&a->calls, 3);
    assert_int_equal(atomic_load(&b->calls), 0);
    assert_int_equal(r1->shared_stats.count, 2);
    assert_int_equal(r1->shared_stats.opened, 2);
    assert_int_equal(r1->shared_stats.reused, 0);
    assert_int_equal(r1->shared_stats.hits, 1);

    /* c's config changes: only c's instance is opened again. */
    put_plugin_tenant("share", "c", "good-probe.so", "{\"fee_minor\": 300}", 0);
    bh_registry *r2 = build_in("share", 2, r1);
    bh_plugin_instance *a2 = only_instance(r2, "a"), *c2 = only_instance(r2, "c");
    assert_ptr_equal(a2->shared, a->shared);
    assert_ptr_not_equal(a2, a); /* counters start again with the config */
    assert_int_equal(atomic_load(&a2->calls), 0);
    assert_ptr_not_equal(c2->shared, c->shared);
    assert_string_equal(c2->config_json, "{\"fee_minor\":300}");
    assert_int_equal(r2->shared_stats.count, 2);
    assert_int_equal(r2->shared_stats.opened, 1);
    assert_int_equal(r2->shared_stats.reused, 1);
    bh_shared_plugin *kept = a2->shared;
    bh_registry_unref(r1);

    /* Nothing changes: nothing is opened. */
    bh_registry *r3 = build_in("share", 3, r2);
    assert_ptr_equal(only_instance(r3, "b")->shared, kept);
    assert_int_equal(r3->shared_stats.opened, 0);
    assert_int_equal(r3->shared_stats.reused, 2);
    bh_registry_unref(r2);
    assert_string_equal(only_instance(r3, "a")->info.scope, "jurisdiction:zz");
    bh_registry_unref(r3);
}

/* Isolated plugins are never shared: tenants with the same isolated file
 * and config each have their own instance (and so their own workers). */
static void isolated_plugins_are_never_shared(void **state)
{
    (void)state;
    put_plugin_config("iso");
    put_plugin_tenant("iso", "d", "good-probe.so", "{}", 1);
    put_plugin_tenant("iso", "e", "good-probe.so", "{}", 1);
    bh_registry *r = build_in("iso", 1, NULL);
    bh_plugin_instance *d = only_instance(r, "d"), *e = only_instance(r, "e");
    assert_int_equal(d->mode, BH_MODE_ISOLATED);
    assert_int_equal(e->mode, BH_MODE_ISOLATED);
    assert_ptr_not_equal(d, e);
    assert_null(d->shared);
    assert_null(e->shared);
    assert_ptr_not_equal(d->config_json, e->config_json);
    assert_int_equal(r->shared_stats.count, 0);
    bh_registry_unref(r);
}

struct logged {
    char tenant[16][32];
    char msg[16][64];
    int n;
};
static struct logged logged;

static void capture_log(const char *tenant, const char *plugin, enum baton_log_level level,
                        const char *msg)
{
    (void)plugin;
    (void)level;
    if (logged.n < 16) {
        snprintf(logged.tenant[logged.n], sizeof logged.tenant[0], "%s", tenant ? tenant : "-");
        snprintf(logged.msg[logged.n], sizeof logged.msg[0], "%s", msg);
    }
    logged.n++;
}

/* What a shared instance's init logged is logged for each tenant sharing
 * it, naming that tenant; an init that logs more than the instance keeps
 * is not shared, and each tenant's own init logs its lines. */
static void init_lines_are_logged_for_each_sharing_tenant(void **state)
{
    (void)state;
    put_plugin_config("initlog");
    put_plugin_tenant("initlog", "x", "init-log.so", "{\"init_log_lines\": 2}", 0);
    put_plugin_tenant("initlog", "y", "init-log.so", "{\"init_log_lines\": 2}", 0);
    put_plugin_tenant("initlog", "z", "init-log.so", "{\"init_log_lines\": 2}", 0);
    memset(&logged, 0, sizeof logged);
    bh_host_api_set_log_sink(capture_log);
    bh_registry *r = build_in("initlog", 1, NULL);
    assert_int_equal(logged.n, 6);
    static const char *const who[] = {"x", "x", "y", "y", "z", "z"};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(logged.tenant[i], who[i]);
        assert_string_equal(logged.msg[i],
                            i % 2 == 0 ? "probe starting, line 1" : "probe starting, line 2");
    }
    assert_ptr_equal(only_instance(r, "x")->shared, only_instance(r, "z")->shared);
    /* A reload that takes the instance over logs them again for each. */
    memset(&logged, 0, sizeof logged);
    bh_registry *r2 = build_in("initlog", 2, r);
    assert_int_equal(logged.n, 6);
    assert_string_equal(logged.tenant[5], "z");
    assert_int_equal(r2->shared_stats.opened, 0);
    bh_registry_unref(r2);
    bh_registry_unref(r);

    char many[64];
    snprintf(many, sizeof many, "{\"init_log_lines\": %d}", BH_SHARED_INIT_LOG_MAX + 1);
    put_plugin_tenant("initlog", "x", "init-log.so", many, 0);
    put_plugin_tenant("initlog", "y", "init-log.so", many, 0);
    drop("initlog/tenants/z.json");
    memset(&logged, 0, sizeof logged);
    r = build_in("initlog", 1, NULL);
    assert_int_equal(logged.n, 2 * (BH_SHARED_INIT_LOG_MAX + 1));
    assert_string_equal(logged.tenant[0], "x");
    assert_ptr_not_equal(only_instance(r, "x")->shared, only_instance(r, "y")->shared);
    assert_int_equal(r->shared_stats.count, 0);
    assert_int_equal(r->shared_stats.unshared, 2);
    bh_registry_unref(r);
    bh_host_api_set_log_sink(NULL);
}

/* A build and the start's recovery list the tenants' state folders once:
 * a tenant without a folder has no state, unless this process opened its
 * state since; a folder that cannot be listed leaves every tenant to be
 * asked. */
static void state_folders_say_who_may_have_state(void **state)
{
    char data[192], sub[256], err[300];
    bh_state_folders f;
    bh_tenant_state *st = NULL;
    (void)state;
    snprintf(data, sizeof data, "%s/folders", root);
    assert_int_equal(mkdir(data, 0700), 0);
    bh_state_folders_list(data, &f);
    assert_int_equal(f.unlisted, 0);
    assert_int_equal(bh_state_folders_may_have(&f, "a"), 0);
    bh_state_folders_free(&f);

    snprintf(sub, sizeof sub, "%s/tenants", data);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(sub, sizeof sub, "%s/tenants/b", data);
    assert_int_equal(mkdir(sub, 0700), 0);
    bh_state_folders_list(data, &f);
    assert_int_equal(bh_state_folders_may_have(&f, "b"), 1);
    assert_int_equal(bh_state_folders_may_have(&f, "a"), 0);
    assert_int_equal(bh_tenant_state_get(data, "a", &st, err, sizeof err), 0);
    assert_int_equal(bh_state_folders_may_have(&f, "a"), 1); /* opened after the listing */
    bh_state_folders_free(&f);
    bh_tenant_states_close();

    snprintf(sub, sizeof sub, "%s/unlistable", root);
    assert_int_equal(mkdir(sub, 0700), 0);
    put("unlistable/tenants", "not a folder");
    bh_state_folders_list(sub, &f);
    assert_int_equal(f.unlisted, 1);
    assert_int_equal(bh_state_folders_may_have(&f, "c"), 1);
    bh_state_folders_free(&f);
}

struct opener {
    const char *data, *id;
    bh_tenant_state *st;
    int rc;
    char err[300];
    volatile int done;
};

static void *open_state(void *arg)
{
    struct opener *o = arg;
    o->rc = bh_tenant_state_get(o->data, o->id, &o->st, o->err, sizeof o->err);
    __atomic_store_n(&o->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static volatile int closed;

static void *close_states(void *arg)
{
    (void)arg;
    bh_tenant_states_close();
    __atomic_store_n(&closed, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* A state opens outside the state table's lock: while one tenant's state
 * is stuck opening (its signing key a FIFO nobody writes, as a disk that
 * does not answer), a state already open is found at once and another
 * tenant's state opens; eight threads asking for one new tenant at once
 * get one state; closing the states waits for the open under way. Before,
 * the stuck open held the lock and every lookup waited (the alarm ends
 * the test then). */
static void a_stuck_open_holds_up_no_other_tenant(void **state)
{
    char data[192], path[320], err[300];
    bh_tenant_state *fast = NULL, *again = NULL, *other = NULL;
    struct opener slow = {0}, many[8];
    pthread_t slow_thread, many_threads[8];
    (void)state;
    snprintf(data, sizeof data, "%s/stuck", root);
    assert_int_equal(mkdir(data, 0700), 0);
    snprintf(path, sizeof path, "%s/tenants", data);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/tenants/slow", data);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/tenants/slow/keys", data);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/tenants/slow/keys/sign.key", data);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(bh_tenant_state_get(data, "fast", &fast, err, sizeof err), 0);

    alarm(20);
    slow.data = data;
    slow.id = "slow";
    assert_int_equal(pthread_create(&slow_thread, NULL, open_state, &slow), 0);
    usleep(200 * 1000);
    assert_int_equal(__atomic_load_n(&slow.done, __ATOMIC_ACQUIRE), 0); /* stuck on the FIFO */
    assert_int_equal(bh_tenant_state_get(data, "fast", &again, err, sizeof err), 0);
    assert_ptr_equal(again, fast);
    assert_int_equal(bh_tenant_state_get(data, "other", &other, err, sizeof err), 0);
    for (int i = 0; i < 8; i++) {
        many[i] = (struct opener){.data = data, .id = "many"};
        assert_int_equal(pthread_create(&many_threads[i], NULL, open_state, &many[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(many_threads[i], NULL);
        assert_int_equal(many[i].rc, 0);
        assert_ptr_equal(many[i].st, many[0].st);
    }

    /* Closing the states waits for the open still under way. */
    pthread_t closer;
    closed = 0;
    assert_int_equal(pthread_create(&closer, NULL, close_states, NULL), 0);
    usleep(200 * 1000);
    assert_int_equal(__atomic_load_n(&closed, __ATOMIC_ACQUIRE), 0);

    /* A writer gives the stuck open bytes that are no key: it fails, and
     * nothing of it is kept. */
    char junk[8192];
    memset(junk, 'x', sizeof junk);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    close(fd);
    pthread_join(slow_thread, NULL);
    pthread_join(closer, NULL);
    alarm(0);
    assert_int_equal(closed, 1);
    assert_int_not_equal(slow.rc, 0);
    assert_non_null(strstr(slow.err, "sign.key"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ids_and_tokens_find_their_tenants),
        cmocka_unit_test(a_reload_swaps_the_token_table_whole),
        cmocka_unit_test(a_retired_registry_is_freed_on_the_main_loop),
        cmocka_unit_test(a_token_hash_two_tenants_hold_is_refused),
        cmocka_unit_test(identical_configs_share_one_instance_a_reload_rebuilds_only_changes),
        cmocka_unit_test(isolated_plugins_are_never_shared),
        cmocka_unit_test(init_lines_are_logged_for_each_sharing_tenant),
        cmocka_unit_test(state_folders_say_who_may_have_state),
        cmocka_unit_test(a_stuck_open_holds_up_no_other_tenant),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
