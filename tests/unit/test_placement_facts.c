/* test_placement_facts.c - what a placement starts from: the amount placed
 * (placement_facts.h), the expected recovery of the evaluation, the day
 * ($BATON_NOW), and the placements table that keeps them (store.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baton/error.h"
#include "placement_facts.h"
#include "store.h"

static void the_amount_placed_is_principal_plus_charges(void **state)
{
    int64_t minor = 0;
    char cur[4], err[200];
    (void)state;
    cJSON *c = cJSON_Parse(
        "{\"claim\":{\"principal\":{\"amount\":\"1150.00\",\"currency\":\"GBP\"},"
        "\"charges\":[{\"label\":\"fee\",\"amount\":{\"amount\":\"40.00\",\"currency\":\"GBP\"}},"
        "{\"label\":\"fee\",\"amount\":{\"amount\":\"10.5\",\"currency\":\"GBP\"}}]}}");
    assert_int_equal(bh_placement_amount(c, &minor, cur, err, sizeof err), 0);
    assert_int_equal(minor, 120050);
    assert_string_equal(cur, "GBP");
    cJSON_Delete(c);
    c = cJSON_Parse("{\"claim\":{\"principal\":{\"amount\":\"1150.00\",\"currency\":\"GBP\"},"
                    "\"charges\":[{\"amount\":{\"amount\":\"4\",\"currency\":\"EUR\"}}]}}");
    assert_int_equal(bh_placement_amount(c, &minor, cur, err, sizeof err), BATON_EINVAL);
    assert_string_equal(err, "case.claim.charges[0].amount: expected money in GBP");
    cJSON_Delete(c);
    c = cJSON_Parse("{\"claim\":{}}");
    assert_int_equal(bh_placement_amount(c, &minor, cur, err, sizeof err), BATON_EINVAL);
    assert_string_equal(err, "case.claim.principal: expected money");
    cJSON_Delete(c);
}

static void the_forecast_is_the_legal_gross_recovery_or_unknown(void **state)
{
    int64_t minor = -1;
    (void)state;
    cJSON *e = cJSON_Parse("{\"facts\":{\"recovery\":{\"legal\":{\"gross\":"
                           "{\"amount\":\"828.00\",\"currency\":\"GBP\"}}}}}");
    assert_int_equal(bh_placement_forecast(e, "GBP", &minor), 1);
    assert_int_equal(minor, 82800);
    assert_int_equal(bh_placement_forecast(e, "EUR", &minor), 0); /* another currency */
    cJSON_Delete(e);
    e = cJSON_Parse("{\"facts\":{\"recovery\":{\"expected_net\":"
                    "{\"amount\":\"500.00\",\"currency\":\"GBP\"}}}}");
    assert_int_equal(bh_placement_forecast(e, "GBP", &minor), 0); /* not the fact */
    cJSON_Delete(e);
    assert_int_equal(bh_placement_forecast(NULL, "GBP", &minor), 0); /* no evaluation */
}

static void today_follows_baton_now(void **state)
{
    char day[11];
    (void)state;
    setenv("BATON_NOW", "2026-03-01T23:59:59Z", 1);
    bh_placement_today(day);
    assert_string_equal(day, "2026-03-01");
    setenv("BATON_NOW", "yesterday", 1); /* not a UTC time: the clock */
    bh_placement_today(day);
    assert_int_equal(strlen(day), 10);
    assert_true(strcmp(day, "2026-03-01") != 0);
    unsetenv("BATON_NOW");
}

static void placements_are_kept_with_their_handoff_and_paged(void **state)
{
    char path[256], err[256], p2[300];
    bh_store *s;
    (void)state;
    snprintf(path, sizeof path, "/tmp/baton-test-placements-%d.db", (int)getpid());
    unlink(path);
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    static const char *const days[] = {"2026-01-05", "2026-02-10", "2026-03-15"};
    char ids[3][40];
    for (int i = 0; i < 3; i++) {
        bh_handoff h = {0};
        bh_store_new_id("ho_", h.id, sizeof h.id);
        memcpy(ids[i], h.id, sizeof h.id);
        snprintf(h.case_id, sizeof h.case_id, "NW-%d", i);
        snprintf(h.recipient, sizeof h.recipient, "harbor-law");
        h.sequence = i + 1;
        snprintf(h.status, sizeof h.status, i == 1 ? "rejected" : "sent");
        bh_store_now(h.created, sizeof h.created);
        memcpy(h.updated, h.created, sizeof h.created);
        assert_int_equal(bh_store_handoff_add(s, &h, err, sizeof err), 0);
        bh_placement_record p = {0};
        memcpy(p.handoff_id, h.id, sizeof h.id);
        snprintf(p.placed, sizeof p.placed, "%s", days[i]);
        p.amount_minor = 100000 + i;
        memcpy(p.currency, "GBP", 4);
        p.forecast_known = i != 2;
        p.forecast_minor = 5000;
        assert_int_equal(bh_store_placement_add(s, &p, err, sizeof err), 0);
        assert_int_equal(bh_store_placement_add(s, &p, err, sizeof err), BATON_EEXIST);
    }
    bh_placement_record r;
    assert_int_equal(bh_store_placement_get(s, ids[0], &r, err, sizeof err), 0);
    assert_string_equal(r.firm, "harbor-law");
    assert_string_equal(r.case_id, "NW-0");
    assert_string_equal(r.placed, "2026-01-05");
    assert_int_equal(r.amount_minor, 100000);
    assert_true(r.forecast_known);
    assert_int_equal(r.forecast_minor, 5000);
    /* The firm rejected the second: no placement. */
    assert_int_equal(bh_store_placement_get(s, ids[1], &r, err, sizeof err), BATON_ENOENT);
    assert_int_equal(bh_store_placement_get(s, "ho_none", &r, err, sizeof err), BATON_ENOENT);
    assert_string_equal(err, "handoff ho_none is no placement of this tenant");

    bh_placement_record *v;
    size_t n;
    int64_t total;
    assert_int_equal(
        bh_store_placement_page(s, NULL, NULL, NULL, 0, 1, &v, &n, &total, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(total, 2);
    assert_string_equal(v[0].handoff_id, ids[0]);
    free(v);
    assert_int_equal(
        bh_store_placement_page(s, NULL, NULL, NULL, 1, 1, &v, &n, &total, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].handoff_id, ids[2]);
    assert_false(v[0].forecast_known);
    free(v);
    assert_int_equal(bh_store_placement_page(s, "2026-01-06", "2026-03-15", NULL, 0, 10, &v, &n,
                                             &total, err, sizeof err),
                     0);
    assert_int_equal(n, 1);
    assert_int_equal(total, 1);
    assert_string_equal(v[0].placed, "2026-03-15");
    free(v);
    assert_int_equal(bh_store_placement_page(s, "2026-01-01", "2026-01-05", NULL, 0, 10, &v, &n,
                                             &total, err, sizeof err),
                     0);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].placed, "2026-01-05");
    free(v);
    assert_int_equal(
        bh_store_placement_page(s, NULL, NULL, NULL, 0, 1001, &v, &n, &total, err, sizeof err),
        BATON_EINVAL);
    assert_int_equal(bh_store_placement_page(s, NULL, NULL, "harbor-law", 0, 10, &v, &n, &total,
                                             err, sizeof err),
                     0);
    assert_int_equal(total, 2);
    free(v);
    assert_int_equal(bh_store_placement_page(s, NULL, NULL, "baker-legal", 0, 10, &v, &n, &total,
                                             err, sizeof err),
                     0);
    assert_true(n == 0 && total == 0);
    free(v);
    bh_store_close(s);
    unlink(path);
    snprintf(p2, sizeof p2, "%s-wal", path);
    unlink(p2);
    snprintf(p2, sizeof p2, "%s-shm", path);
    unlink(p2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_amount_placed_is_principal_plus_charges),
        cmocka_unit_test(the_forecast_is_the_legal_gross_recovery_or_unknown),
        cmocka_unit_test(today_follows_baton_now),
        cmocka_unit_test(placements_are_kept_with_their_handoff_and_paged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
