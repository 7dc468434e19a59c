/* test_router.c - matching requests to the route table: 404, 405 + Allow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "router.h"

static int index_of(const char *method, const char *pattern)
{
    for (size_t i = 0; i < bh_route_count; i++)
        if (strcmp(bh_routes[i].method, method) == 0 && strcmp(bh_routes[i].pattern, pattern) == 0)
            return (int)i;
    return -1;
}

static void matches_the_foundation_routes(void **state)
{
    char allow[64];
    (void)state;
    assert_true(index_of("GET", "/healthz") >= 0);
    assert_int_equal(bh_router_match("GET", "/healthz", NULL, allow, sizeof allow),
                     index_of("GET", "/healthz"));
    assert_int_equal(bh_router_match("GET", "/metrics", NULL, allow, sizeof allow),
                     index_of("GET", "/metrics"));
    assert_int_equal(bh_router_match("GET", "/v1/plugins", NULL, allow, sizeof allow),
                     index_of("GET", "/v1/plugins"));
    assert_int_equal(bh_router_match("POST", "/v1/cases/evaluate", NULL, allow, sizeof allow),
                     index_of("POST", "/v1/cases/evaluate"));
    assert_int_equal(bh_routes[index_of("GET", "/healthz")].access, BH_ACCESS_PUBLIC);
    assert_int_equal(bh_routes[index_of("POST", "/v1/cases/evaluate")].access, BH_ACCESS_AGENCY);
    assert_int_equal(bh_routes[index_of("GET", "/v1/plugins")].access, BH_ACCESS_TENANT);
}

static void unknown_paths_are_404_and_wrong_methods_405_with_allow(void **state)
{
    char allow[64];
    (void)state;
    assert_int_equal(bh_router_match("GET", "/", NULL, allow, sizeof allow), -404);
    assert_int_equal(bh_router_match("GET", "/healthz/", NULL, allow, sizeof allow), -404);
    assert_int_equal(bh_router_match("GET", "/v1/plugins/x", NULL, allow, sizeof allow), -404);
    assert_int_equal(bh_router_match("GET", "/v1", NULL, allow, sizeof allow), -404);
    assert_int_equal(bh_router_match("GET", "/HEALTHZ", NULL, allow, sizeof allow), -404);
    assert_int_equal(bh_router_match("DELETE", "/v1/plugins", NULL, allow, sizeof allow), -405);
    assert_string_equal(allow, "GET, HEAD, POST");
    assert_int_equal(bh_router_match("GET", "/v1/cases/evaluate", NULL, allow, sizeof allow), -405);
    assert_string_equal(allow, "POST");
    assert_int_equal(bh_router_match("get", "/healthz", NULL, allow, sizeof allow), -405);
}

static void head_matches_the_get_route_and_nothing_else(void **state)
{
    char allow[64];
    (void)state;
    assert_int_equal(bh_router_match("HEAD", "/healthz", NULL, allow, sizeof allow),
                     index_of("GET", "/healthz"));
    assert_int_equal(bh_router_match("HEAD", "/v1/handoffs/abc/package", NULL, allow, sizeof allow),
                     index_of("GET", "/v1/handoffs/:id/package"));
    /* a POST-only path does not answer HEAD */
    assert_int_equal(bh_router_match("HEAD", "/v1/cases/evaluate", NULL, allow, sizeof allow),
                     -405);
    assert_string_equal(allow, "POST");
}

static void every_route_is_well_formed_and_unique(void **state)
{
    (void)state;
    for (size_t i = 0; i < bh_route_count; i++) {
        assert_non_null(bh_routes[i].handler);
        assert_true(bh_routes[i].pattern[0] == '/');
        for (size_t k = i + 1; k < bh_route_count; k++)
            assert_false(strcmp(bh_routes[i].method, bh_routes[k].method) == 0 &&
                         strcmp(bh_routes[i].pattern, bh_routes[k].pattern) == 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_the_foundation_routes),
        cmocka_unit_test(unknown_paths_are_404_and_wrong_methods_405_with_allow),
        cmocka_unit_test(head_matches_the_get_route_and_nothing_else),
        cmocka_unit_test(every_route_is_well_formed_and_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
