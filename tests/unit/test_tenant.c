/* test_tenant.c - the tenant registry: ids and tokens found through their
 * indexes, a reload's registry swapped whole while a request holds the old
 * one, a token hash two tenants hold refused by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "auth.h"
#include "baton/error.h"
#include "config.h"
#include "tenant.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ids_and_tokens_find_their_tenants),
        cmocka_unit_test(a_reload_swaps_the_token_table_whole),
        cmocka_unit_test(a_token_hash_two_tenants_hold_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
