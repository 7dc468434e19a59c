/* test_plugin_catalog.c - a tenant's uploaded plugins: versions, the
 * activation history, removal, and what the registry build reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton/error.h"
#include "baton/sha256.h"
#include "plugin_catalog.h"

static char data_dir[PATH_MAX];

static int setup(void **state)
{
    (void)state;
    snprintf(data_dir, sizeof data_dir, "/tmp/baton-test-catalog-%d-XXXXXX", (int)getpid());
    return mkdtemp(data_dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[PATH_MAX + 16];
    (void)state;
    bh_tenant_states_close();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", data_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A file with these bytes (the catalog never loads it), and its version
 * record. */
static void fake_plugin(const char *name, const char *version, const char *bytes, char *path,
                        size_t pathlen, bh_plugin_version *v)
{
    uint8_t digest[BATON_SHA256_BYTES];
    FILE *f;
    snprintf(path, pathlen, "%s/%s-%s.so", data_dir, name, version);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs(bytes, f);
    fclose(f);
    memset(v, 0, sizeof *v);
    baton_sha256_buffer(bytes, strlen(bytes), digest);
    baton_sha256_hex(digest, v->sha256);
    snprintf(v->name, sizeof v->name, "%s", name);
    snprintf(v->version, sizeof v->version, "%s", version);
    snprintf(v->scope, sizeof v->scope, "agency:eastgate");
    snprintf(v->sdk, sizeof v->sdk, "1.0");
    snprintf(v->signer, sizeof v->signer, "F202467E048EFA97");
    v->size = strlen(bytes);
    bh_store_now(v->uploaded, sizeof v->uploaded);
}

static void a_tenant_without_state_has_no_uploads_and_gets_no_folder(void **state)
{
    (void)state;
    char err[256], path[PATH_MAX];
    bh_active_upload *a = (bh_active_upload *)1;
    size_t n = 7;
    cJSON *list = NULL;
    struct stat sb;
    assert_int_equal(bh_plugin_catalog_active(data_dir, "nobody", &a, &n, err, sizeof err), 0);
    assert_null(a);
    assert_int_equal(n, 0);
    assert_int_equal(bh_plugin_catalog_list(data_dir, "nobody", &list, err, sizeof err), 0);
    assert_int_equal(cJSON_GetArraySize(list), 0);
    cJSON_Delete(list);
    snprintf(path, sizeof path, "%s/tenants/nobody", data_dir);
    assert_int_not_equal(stat(path, &sb), 0);
}

static void versions_are_stored_by_content_in_the_tenant_folder(void **state)
{
    (void)state;
    char err[256], src[PATH_MAX], stored[PATH_MAX];
    bh_tenant_state *st;
    bh_plugin_version v, got;
    struct stat sb;
    int existed = -1;

    assert_int_equal(bh_tenant_state_get(data_dir, "eastgate", &st, err, sizeof err), 0);
    fake_plugin("eastgate-fees", "1.0.0", "version one", src, sizeof src, &v);
    assert_int_equal(bh_plugin_catalog_add(st, src, 0, &v, &existed, err, sizeof err), 0);
    assert_int_equal(existed, 0);
    assert_int_equal(bh_plugin_catalog_path(st, v.sha256, stored, sizeof stored), 0);
    assert_non_null(strstr(stored, "/tenants/eastgate/plugins/"));
    assert_int_equal(stat(stored, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0444);
    assert_int_equal(bh_plugin_catalog_add(st, src, 0, &v, &existed, err, sizeof err), 0);
    assert_int_equal(existed, 1);
    assert_int_equal(bh_store_plugin_get(st->store, v.name, v.sha256, &got, err, sizeof err), 0);
    assert_string_equal(got.version, "1.0.0");
    assert_string_equal(got.signer, "F202467E048EFA97");
    assert_int_equal(got.size, strlen("version one"));

    /* A record whose hash is not the file's keeps nothing. */
    bh_plugin_version lie = v;
    memset(lie.sha256, 'a', 64);
    assert_int_equal(bh_plugin_catalog_add(st, src, 0, &lie, &existed, err, sizeof err),
                     BATON_ECRYPTO);
    assert_int_equal(bh_store_plugin_get(st->store, v.name, lie.sha256, &got, err, sizeof err),
                     BATON_ENOENT);
    assert_int_equal(stat(stored, &sb), 0); /* the real version's file is untouched */
    /* Too large for the limit given. */
    assert_int_equal(bh_plugin_catalog_add(st, src, 4, &lie, &existed, err, sizeof err),
                     BATON_ELIMIT);
}

static void activation_history_is_a_stack_and_survives_reopen(void **state)
{
    (void)state;
    char err[256], src[PATH_MAX], stored[PATH_MAX];
    bh_tenant_state *st;
    bh_plugin_version v1, v2;
    bh_plugin_activation top, below;
    bh_active_upload *a;
    size_t n;
    int existed;
    struct stat sb;

    assert_int_equal(bh_tenant_state_get(data_dir, "eastgate", &st, err, sizeof err), 0);
    fake_plugin("eastgate-fees", "1.0.0", "version one", src, sizeof src, &v1);
    assert_int_equal(bh_plugin_catalog_add(st, src, 0, &v1, &existed, err, sizeof err), 0);
    fake_plugin("eastgate-fees", "2.0.0", "version two", src, sizeof src, &v2);
    assert_int_equal(bh_plugin_catalog_add(st, src, 0, &v2, &existed, err, sizeof err), 0);

    assert_int_equal(bh_store_plugin_top(st->store, "eastgate-fees", &top, &below, err, sizeof err),
                     0);
    assert_string_equal(top.sha256, "");
    assert_int_equal(
        bh_store_plugin_push(st->store, "eastgate-fees", "0000", NULL, err, sizeof err),
        BATON_ENOENT);
    assert_int_equal(
        bh_store_plugin_push(st->store, "eastgate-fees", v1.sha256, NULL, err, sizeof err), 0);
    assert_int_equal(
        bh_store_plugin_push(st->store, "eastgate-fees", v2.sha256, "{\"a\":1}", err, sizeof err),
        0);
    /* The same version again only changes its config. */
    assert_int_equal(
        bh_store_plugin_push(st->store, "eastgate-fees", v2.sha256, "{\"a\":2}", err, sizeof err),
        0);
    assert_int_equal(bh_store_plugin_top(st->store, "eastgate-fees", &top, &below, err, sizeof err),
                     0);
    assert_string_equal(top.sha256, v2.sha256);
    assert_string_equal(top.config, "{\"a\":2}");
    assert_string_equal(below.sha256, v1.sha256);
    assert_null(below.config);
    bh_plugin_activation_clear(&top);
    bh_plugin_activation_clear(&below);

    /* The active version cannot go; an older one can, file and all. */
    assert_int_equal(bh_plugin_catalog_remove(st, "eastgate-fees", v2.sha256, err, sizeof err),
                     BATON_EEXIST);

    /* What the registry build reads, after the process "restarts". */
    bh_tenant_states_close();
    assert_int_equal(bh_plugin_catalog_active(data_dir, "eastgate", &a, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(a[0].name, "eastgate-fees");
    assert_string_equal(a[0].sha256, v2.sha256);
    assert_string_equal(a[0].config_json, "{\"a\":2}");
    assert_int_equal(stat(a[0].path, &sb), 0);
    bh_active_uploads_free(a, n);

    assert_int_equal(bh_tenant_state_get(data_dir, "eastgate", &st, err, sizeof err), 0);
    assert_int_equal(bh_store_plugin_pop(st->store, "eastgate-fees", v1.sha256, err, sizeof err),
                     BATON_EEXIST); /* not the top */
    assert_int_equal(bh_store_plugin_pop(st->store, "eastgate-fees", v2.sha256, err, sizeof err),
                     0);
    assert_int_equal(bh_plugin_catalog_remove(st, "eastgate-fees", v2.sha256, err, sizeof err), 0);
    assert_int_equal(bh_plugin_catalog_path(st, v2.sha256, stored, sizeof stored), 0);
    assert_int_not_equal(stat(stored, &sb), 0);
    assert_int_equal(bh_plugin_catalog_remove(st, "eastgate-fees", v2.sha256, err, sizeof err),
                     BATON_ENOENT);

    cJSON *list = NULL;
    assert_int_equal(bh_plugin_catalog_list(data_dir, "eastgate", &list, err, sizeof err), 0);
    assert_int_equal(cJSON_GetArraySize(list), 1);
    cJSON *g = cJSON_GetArrayItem(list, 0);
    assert_string_equal(cJSON_GetObjectItem(g, "active")->valuestring, v1.sha256);
    cJSON *vs = cJSON_GetObjectItem(g, "versions");
    assert_int_equal(cJSON_GetArraySize(vs), 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(vs, 0), "status")->valuestring,
                        "active");
    cJSON_Delete(list);

    /* Popping the last activation leaves the name inactive. */
    assert_int_equal(bh_store_plugin_pop(st->store, "eastgate-fees", v1.sha256, err, sizeof err),
                     0);
    assert_int_equal(bh_store_plugin_pop(st->store, "eastgate-fees", v1.sha256, err, sizeof err),
                     BATON_ENOENT);
    assert_int_equal(bh_plugin_catalog_active(data_dir, "eastgate", &a, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);
    bh_active_uploads_free(a, n);
}

static void deleting_a_version_drops_it_from_the_history(void **state)
{
    (void)state;
    char err[256], src[PATH_MAX];
    bh_tenant_state *st;
    bh_plugin_version v1, v2, v3;
    bh_plugin_activation top, below;
    int existed;

    assert_int_equal(bh_tenant_state_get(data_dir, "eastgate", &st, err, sizeof err), 0);
    fake_plugin("fees", "1", "one", src, sizeof src, &v1);
    assert_int_equal(bh_plugin_catalog_add(st, src, 0, &v1, &existed, err, sizeof err), 0);
    fake_plugin("fees", "2", "two", src, sizeof src, &v2);
    assert_int_equal(bh_plugin_catalog_add(st, src, 0, &v2, &existed, err, sizeof err), 0);
    fake_plugin("fees", "3", "three", src, sizeof src, &v3);
    assert_int_equal(bh_plugin_catalog_add(st, src, 0, &v3, &existed, err, sizeof err), 0);
    assert_int_equal(bh_store_plugin_push(st->store, "fees", v1.sha256, NULL, err, sizeof err), 0);
    assert_int_equal(bh_store_plugin_push(st->store, "fees", v2.sha256, NULL, err, sizeof err), 0);
    assert_int_equal(bh_store_plugin_push(st->store, "fees", v3.sha256, NULL, err, sizeof err), 0);
    assert_int_equal(bh_plugin_catalog_remove(st, "fees", v2.sha256, err, sizeof err), 0);
    assert_int_equal(bh_store_plugin_top(st->store, "fees", &top, &below, err, sizeof err), 0);
    assert_string_equal(top.sha256, v3.sha256);
    assert_string_equal(below.sha256, v1.sha256); /* a rollback skips the deleted v2 */
    bh_plugin_activation_clear(&top);
    bh_plugin_activation_clear(&below);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_tenant_without_state_has_no_uploads_and_gets_no_folder,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(versions_are_stored_by_content_in_the_tenant_folder, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(activation_history_is_a_stack_and_survives_reopen, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(deleting_a_version_drops_it_from_the_history, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
