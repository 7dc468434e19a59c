/*
 * test_letters_compose.c - bh_letter_compose with the in-tree plugins: who
 * writes which kind, the agency letterhead on top, and each error the
 * letters API answers with (400, 404, 422, 502).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "letter_render.h"
#include "letters.h"
#include "test_plugins.h"

static cJSON *read_json(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", BATON_SOURCE_DIR, rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *j = cJSON_Parse(buf);
    assert_non_null(j);
    return j;
}

/* A tenant with gb-ew, us-ca and northwind, configured as shipped. */
static bh_plugin_set *tenant(int with_agency)
{
    cJSON *list = cJSON_CreateArray();
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "path", "gb-ew.so");
    cJSON_AddItemToObject(e, "config", read_json("docs/plugins/gb-ew.config.json"));
    cJSON_AddItemToArray(list, e);
    e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "path", "us-ca.so");
    cJSON_AddItemToObject(e, "config", cJSON_CreateObject());
    cJSON_AddItemToArray(list, e);
    if (with_agency) {
        e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "path", "northwind.so");
        cJSON_AddItemToObject(e, "config", read_json("docs/plugins/northwind.config.json"));
        cJSON_AddItemToArray(list, e);
    }
    bh_plugin_set *set = NULL;
    char err[512] = "";
    assert_int_equal(
        test_plugin_set_load("t", list, BATON_PLUGIN_DIR, NULL, NULL, &set, err, sizeof err), 0);
    assert_int_equal(set->count, with_agency ? 3 : 2);
    cJSON_Delete(list);
    return set;
}

static void statutory_letter_gets_the_agency_letterhead_first(void **state)
{
    (void)state;
    bh_plugin_set *set = tenant(1);
    cJSON *c = read_json("tests/cases/gb-ew-consumer-pap-waiting.json");
    baton_letter *l = NULL;
    bh_eval_error e;
    assert_int_equal(bh_letter_compose(set, c, "letter_of_claim", NULL, &l, &e), 0);
    assert_true(l->count > 5);
    /* Letterhead blocks first, from northwind; then gb-ew's letter. */
    assert_string_equal(l->blocks[0].plugin, "northwind");
    size_t i = 0;
    while (i < l->count && strcmp(l->blocks[i].plugin, "northwind") == 0)
        i++;
    assert_true(i > 0 && i < l->count);
    for (; i < l->count; i++)
        assert_string_equal(l->blocks[i].plugin, "gb-ew");
    assert_non_null(strstr(l->blocks[0].text, "Northwind Credit Management Ltd"));
    bh_letter_free(l);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static void without_an_agency_there_is_no_letterhead(void **state)
{
    (void)state;
    bh_plugin_set *set = tenant(0);
    cJSON *c = read_json("tests/cases/gb-ew-consumer-pap-waiting.json");
    baton_letter *l = NULL;
    bh_eval_error e;
    assert_int_equal(bh_letter_compose(set, c, "letter_of_claim", NULL, &l, &e), 0);
    for (size_t i = 0; i < l->count; i++)
        assert_string_equal(l->blocks[i].plugin, "gb-ew");
    /* The agency's letters are not there without the agency. */
    baton_letter *r = NULL;
    assert_int_equal(bh_letter_compose(set, c, "reminder", NULL, &r, &e), BATON_ENOENT);
    assert_int_equal(e.http_status, 404);
    assert_string_equal(e.code, "unknown_letter_kind");
    assert_null(r);
    bh_letter_free(l);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static void agency_letters_come_from_the_agency(void **state)
{
    (void)state;
    bh_plugin_set *set = tenant(1);
    cJSON *c = read_json("tests/cases/gb-ew-consumer-pap-waiting.json");
    const char *kinds[] = {"reminder", "final_demand"};
    for (size_t k = 0; k < 2; k++) {
        baton_letter *l = NULL;
        bh_eval_error e;
        assert_int_equal(bh_letter_compose(set, c, kinds[k], NULL, &l, &e), 0);
        for (size_t i = 0; i < l->count; i++)
            assert_string_equal(l->blocks[i].plugin, "northwind");
        char *txt = NULL, err[256];
        size_t len;
        assert_int_equal(bh_letter_render_text(l, &txt, &len, err, sizeof err), 0);
        assert_non_null(strstr(txt, "Mr Daniel Okafor"));
        free(txt);
        bh_letter_free(l);
    }
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

static void errors_have_their_status_and_code(void **state)
{
    (void)state;
    bh_plugin_set *set = tenant(1);
    cJSON *gb = read_json("tests/cases/gb-ew-consumer-pap-waiting.json");
    cJSON *b2b = read_json("tests/cases/us-ca-small-claims-invoice.json");
    baton_letter *l = NULL;
    bh_eval_error e;

    /* Another jurisdiction's statutory letter. */
    assert_int_equal(bh_letter_compose(set, gb, "validation_notice", NULL, &l, &e), BATON_EINVAL);
    assert_int_equal(e.http_status, 422);
    assert_string_equal(e.code, "letter_not_for_jurisdiction");
    assert_non_null(strstr(e.message, "us-ca"));
    /* Nobody writes it. */
    assert_int_equal(bh_letter_compose(set, gb, "first_demand", NULL, &l, &e), BATON_ENOENT);
    assert_int_equal(e.http_status, 404);
    /* Malformed kinds, and the letterhead on its own. */
    assert_int_equal(bh_letter_compose(set, gb, "", NULL, &l, &e), BATON_EINVAL);
    assert_int_equal(e.http_status, 400);
    assert_int_equal(bh_letter_compose(set, gb, "../x", NULL, &l, &e), BATON_EINVAL);
    assert_string_equal(e.code, "invalid_letter_kind");
    assert_int_equal(bh_letter_compose(set, gb, "letterhead", NULL, &l, &e), BATON_EINVAL);
    assert_string_equal(e.code, "invalid_letter_kind");
    /* A malformed case. */
    cJSON *bad = cJSON_Duplicate(gb, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(bad, "claim");
    assert_true(bh_letter_compose(set, bad, "letter_of_claim", NULL, &l, &e) < 0);
    assert_int_equal(e.http_status, 400);
    assert_string_equal(e.code, "invalid_case");
    cJSON_Delete(bad);
    /* A plugin that refuses: Regulation F notices are for consumer debts;
     * us-ca-small-claims-invoice is a business debt. */
    assert_true(bh_letter_compose(set, b2b, "validation_notice", NULL, &l, &e) < 0);
    assert_int_equal(e.http_status, 502);
    assert_string_equal(e.code, "plugin_failed");
    assert_non_null(strstr(e.message, "us-ca"));
    assert_null(l);

    cJSON_Delete(gb);
    cJSON_Delete(b2b);
    bh_plugin_set_unref(set);
}

static void kinds_list_excludes_the_letterhead(void **state)
{
    (void)state;
    bh_plugin_set *set = tenant(1);
    cJSON *all = bh_letter_kinds(set, NULL);
    cJSON *gb = bh_letter_kinds(set, "gb-ew");
    assert_non_null(all);
    assert_non_null(gb);
    int n_all = cJSON_GetArraySize(all), n_gb = cJSON_GetArraySize(gb);
    const cJSON *it;
    int saw_notice = 0;
    cJSON_ArrayForEach(it, all)
    {
        const char *k = cJSON_GetObjectItem(it, "kind")->valuestring;
        assert_string_not_equal(k, "letterhead");
        saw_notice |= strcmp(k, "validation_notice") == 0;
    }
    assert_true(saw_notice);
    cJSON_ArrayForEach(it, gb)
    {
        assert_string_not_equal(cJSON_GetObjectItem(it, "kind")->valuestring, "validation_notice");
    }
    assert_true(n_gb < n_all);
    cJSON_Delete(all);
    cJSON_Delete(gb);
    bh_plugin_set_unref(set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(statutory_letter_gets_the_agency_letterhead_first),
        cmocka_unit_test(without_an_agency_there_is_no_letterhead),
        cmocka_unit_test(agency_letters_come_from_the_agency),
        cmocka_unit_test(errors_have_their_status_and_code),
        cmocka_unit_test(kinds_list_excludes_the_letterhead),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
