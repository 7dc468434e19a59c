/*
 * view_compare.h - two case views compared at one path, accessor by
 * accessor, for cmocka unit tests that check a faster route (the index,
 * the path memo) against the cJSON tree's. Include after <cmocka.h> and
 * the host's case_view.h: a difference ends the test, naming the path
 * and the accessor.
 */
#ifndef BATON_TEST_VIEW_COMPARE_H
#define BATON_TEST_VIEW_COMPARE_H

#include <stdint.h>
#include <string.h>

/* Every accessor on v and w at path agrees (return code and value),
 * the keys of an object's members included. */
static inline void assert_views_alike(const baton_view *v, const baton_view *w, const char *path)
{
    const char *s1 = NULL, *s2 = NULL;
    int64_t i1 = 0, i2 = 0;
    int b1 = 0, b2 = 0;
    size_t n1 = 0, n2 = 0;
    baton_date d1 = {0, 0, 0}, d2 = {0, 0, 0};
    baton_money m1, m2;
    memset(&m1, 0, sizeof m1);
    memset(&m2, 0, sizeof m2);
    int rc1, rc2;

    if (bh_view_type(v, path) != bh_view_type(w, path))
        fail_msg("type of '%s': %d vs %d", path, bh_view_type(v, path), bh_view_type(w, path));
    rc1 = bh_view_string(v, path, &s1);
    rc2 = bh_view_string(w, path, &s2);
    if (rc1 != rc2 || (rc1 == 0 && strcmp(s1, s2) != 0))
        fail_msg("string of '%s': %d vs %d", path, rc1, rc2);
    rc1 = bh_view_int(v, path, &i1);
    rc2 = bh_view_int(w, path, &i2);
    if (rc1 != rc2 || i1 != i2)
        fail_msg("int of '%s': %d vs %d", path, rc1, rc2);
    rc1 = bh_view_bool(v, path, &b1);
    rc2 = bh_view_bool(w, path, &b2);
    if (rc1 != rc2 || b1 != b2)
        fail_msg("bool of '%s': %d vs %d", path, rc1, rc2);
    rc1 = bh_view_date(v, path, &d1);
    rc2 = bh_view_date(w, path, &d2);
    if (rc1 != rc2 || memcmp(&d1, &d2, sizeof d1) != 0)
        fail_msg("date of '%s': %d vs %d", path, rc1, rc2);
    rc1 = bh_view_money(v, path, &m1);
    rc2 = bh_view_money(w, path, &m2);
    if (rc1 != rc2 || m1.minor != m2.minor || strcmp(m1.currency, m2.currency) != 0)
        fail_msg("money of '%s': %d vs %d", path, rc1, rc2);
    rc1 = bh_view_count(v, path, &n1);
    rc2 = bh_view_count(w, path, &n2);
    if (rc1 != rc2 || n1 != n2)
        fail_msg("count of '%s': %d vs %d", path, rc1, rc2);
    for (size_t k = 0; k <= n1 + 1; k++) {
        s1 = s2 = NULL;
        rc1 = bh_view_key(v, path, k, &s1);
        rc2 = bh_view_key(w, path, k, &s2);
        if (rc1 != rc2 || (rc1 == 0 && strcmp(s1, s2) != 0))
            fail_msg("key %zu of '%s': %d vs %d", k, path, rc1, rc2);
    }
}

#endif
