/* test_http_query.c - query parameters of a request (bh_http_query_value). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http.h"

static int value(const char *query, const char *key, char *out, size_t len)
{
    bh_http_request req;
    memset(&req, 0, sizeof req);
    req.query = query;
    return bh_http_query_value(&req, key, out, len);
}

static void decodes_the_named_parameter(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(value("name=invoice%202025-017.pdf&x=1", "name", out, sizeof out), 0);
    assert_string_equal(out, "invoice 2025-017.pdf");
    assert_int_equal(value("a=1&name=b+c%2Fd", "name", out, sizeof out), 0);
    assert_string_equal(out, "b c/d");
    assert_int_equal(value("jurisdiction=gb-ew", "jurisdiction", out, sizeof out), 0);
    assert_string_equal(out, "gb-ew");
}

static void refuses_absent_malformed_and_oversized_values(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(value("", "name", out, sizeof out), -1);
    assert_int_equal(value("names=x", "name", out, sizeof out), -1);
    assert_int_equal(value("name=%2", "name", out, sizeof out), -1);
    assert_int_equal(value("name=%zz", "name", out, sizeof out), -1);
    assert_int_equal(value("name=a%00b", "name", out, sizeof out), -1);
    assert_int_equal(value("name=12345678", "name", out, sizeof out), -1);
    assert_int_equal(value("name=1234567", "name", out, sizeof out), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decodes_the_named_parameter),
        cmocka_unit_test(refuses_absent_malformed_and_oversized_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
