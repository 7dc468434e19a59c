/* test_id_index.c - tenant id -> position: every id found, duplicates
 * refused with the first holder named, growth keeps everything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "id_index.h"

static void every_id_is_found_after_growth(void **state)
{
    enum { N = 10000 };
    static char ids[N][16];
    bh_id_index x;
    uint32_t v;
    (void)state;
    bh_id_index_init(&x);
    assert_int_equal(bh_id_index_find(&x, "anything", &v), 0);
    for (uint32_t i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "tenant-%05u", i);
        assert_int_equal(bh_id_index_add(&x, ids[i], i, NULL), 0);
    }
    assert_int_equal(x.count, N);
    assert_true(x.mask + 1 >= 2 * (size_t)N);
    for (uint32_t i = 0; i < N; i++) {
        assert_int_equal(bh_id_index_find(&x, ids[i], &v), 1);
        assert_int_equal(v, i);
    }
    v = 123;
    assert_int_equal(bh_id_index_find(&x, "tenant-10000", &v), 0);
    assert_int_equal(bh_id_index_find(&x, "tenant-0000", &v), 0);
    assert_int_equal(bh_id_index_find(&x, "", &v), 0);
    assert_int_equal(v, 123);
    bh_id_index_free(&x);
}

static void a_second_add_of_an_id_is_refused(void **state)
{
    bh_id_index x;
    uint32_t first = 0, v = 0;
    (void)state;
    bh_id_index_init(&x);
    assert_int_equal(bh_id_index_reserve(&x, 3), 0);
    assert_int_equal(bh_id_index_add(&x, "northwind", 0, NULL), 0);
    assert_int_equal(bh_id_index_add(&x, "harbor-law", 1, NULL), 0);
    assert_int_equal(bh_id_index_add(&x, "northwind", 2, &first), BATON_EEXIST);
    assert_int_equal(first, 0);
    assert_int_equal(bh_id_index_add(&x, "northwind", 2, NULL), BATON_EEXIST);
    assert_int_equal(x.count, 2);
    assert_int_equal(bh_id_index_find(&x, "northwind", &v), 1);
    assert_int_equal(v, 0);
    bh_id_index_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_id_is_found_after_growth),
        cmocka_unit_test(a_second_add_of_an_id_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
