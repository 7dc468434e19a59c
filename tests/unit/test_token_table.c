/* test_token_table.c - token hash -> tenant: every hash reaches its own
 * tenant, collisions of first slots, growth, duplicates, constant-time
 * comparison kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth.h"
#include "baton/error.h"
#include "token_table.h"

static void hash_of(unsigned i, unsigned char h[BH_TOKEN_HASH_BYTES])
{
    char tok[32];
    int n = snprintf(tok, sizeof tok, "bt_tenant_%u", i);
    bh_token_hash(tok, (size_t)n, h);
}

/* Ten thousand tenants with two tokens each: every hash finds its own
 * tenant, a hash nobody holds finds nothing, and the table stays at most
 * half full. */
static void every_hash_finds_its_tenant_at_scale(void **state)
{
    bh_token_table t;
    unsigned char h[BH_TOKEN_HASH_BYTES];
    uint32_t who;
    (void)state;
    bh_token_table_init(&t);
    for (unsigned i = 0; i < 20000; i++) {
        hash_of(i, h);
        assert_int_equal(bh_token_table_add(&t, h, i / 2, NULL), 0);
    }
    assert_int_equal(t.count, 20000);
    assert_true((t.mask + 1) >= 2 * t.count);
    for (unsigned i = 0; i < 20000; i++) {
        hash_of(i, h);
        who = UINT32_MAX - 1;
        assert_int_equal(bh_token_table_find(&t, h, &who), 1);
        assert_int_equal(who, i / 2);
    }
    for (unsigned i = 20000; i < 21000; i++) {
        hash_of(i, h);
        who = 77;
        assert_int_equal(bh_token_table_find(&t, h, &who), 0);
        assert_int_equal(who, 77);
    }
    bh_token_table_free(&t);
    assert_null(t.slots);
    hash_of(1, h);
    assert_int_equal(bh_token_table_find(&t, h, &who), 0);
}

/* Hashes whose first slots collide (found by trying, in a small table)
 * sit in one run; each still finds its own tenant, also after the table
 * grew, and a hash differing from one of them in its last byte finds
 * nothing although it walks the same run. */
static void colliding_first_slots_keep_their_tenants(void **state)
{
    bh_token_table t;
    unsigned char h[8][BH_TOKEN_HASH_BYTES], x[BH_TOKEN_HASH_BYTES];
    unsigned n = 0;
    uint32_t who;
    (void)state;
    bh_token_table_init(&t);
    /* t starts with 16 slots: collect 4 hashes whose first slot (SipHash
     * under t's key, big-endian, masked: token_table.c) is the same. */
    size_t target = (size_t)-1;
    for (unsigned i = 0; n < 4 && i < 100000; i++) {
        hash_of(i, x);
        unsigned char s[crypto_shorthash_BYTES];
        crypto_shorthash(s, x, BH_TOKEN_HASH_BYTES, t.key);
        uint64_t v = 0;
        for (size_t k = 0; k < sizeof s; k++)
            v = (v << 8) | s[k];
        size_t slot = (size_t)v & 15;
        if (target == (size_t)-1)
            target = slot;
        if (slot == target)
            memcpy(h[n++], x, sizeof x);
    }
    assert_int_equal(n, 4);
    for (unsigned i = 0; i < n; i++)
        assert_int_equal(bh_token_table_add(&t, h[i], 100 + i, NULL), 0);
    assert_int_equal(t.mask, 15); /* still the small table: one run */
    for (unsigned i = 0; i < n; i++) {
        assert_int_equal(bh_token_table_find(&t, h[i], &who), 1);
        assert_int_equal(who, 100 + i);
    }
    memcpy(x, h[3], sizeof x);
    x[BH_TOKEN_HASH_BYTES - 1] ^= 1;
    who = 5;
    assert_int_equal(bh_token_table_find(&t, x, &who), 0);
    assert_int_equal(who, 5);
    /* Growth moves every entry; each still resolves. */
    for (unsigned i = 200000; i < 200100; i++) {
        hash_of(i, x);
        assert_int_equal(bh_token_table_add(&t, x, 1, NULL), 0);
    }
    assert_true(t.mask > 15);
    for (unsigned i = 0; i < n; i++) {
        assert_int_equal(bh_token_table_find(&t, h[i], &who), 1);
        assert_int_equal(who, 100 + i);
    }
    bh_token_table_free(&t);
}

/* One hash names one tenant: a second tenant adding it is refused with
 * the holder named; the same tenant adding it again keeps one entry. */
static void a_hash_names_one_tenant(void **state)
{
    bh_token_table t;
    unsigned char h[BH_TOKEN_HASH_BYTES];
    uint32_t holder = 0, who = 0;
    (void)state;
    bh_token_table_init(&t);
    hash_of(1, h);
    assert_int_equal(bh_token_table_add(&t, h, 4, NULL), 0);
    assert_int_equal(bh_token_table_add(&t, h, 4, NULL), 0);
    assert_int_equal(t.count, 1);
    assert_int_equal(bh_token_table_add(&t, h, 9, &holder), BATON_EEXIST);
    assert_int_equal(holder, 4);
    assert_int_equal(bh_token_table_find(&t, h, &who), 1);
    assert_int_equal(who, 4);
    assert_int_equal(bh_token_table_add(&t, h, BH_TOKEN_NO_TENANT, NULL), BATON_EINVAL);
    bh_token_table_free(&t);
}

/* Each table draws its own key, so where a hash sits differs between two
 * tables (a reload's new table tells nothing about the old one's layout). */
static void each_table_has_its_own_key(void **state)
{
    bh_token_table a, b;
    (void)state;
    bh_token_table_init(&a);
    bh_token_table_init(&b);
    assert_memory_not_equal(a.key, b.key, sizeof a.key);
    bh_token_table_free(&a);
    bh_token_table_free(&b);
}

/* The comparison is sodium_memcmp over the whole hash, and the run is
 * walked to its end: a hash held in the table, with a near miss (all but
 * the last byte equal) placed before it in the same run, still resolves
 * to its own tenant, and the near miss alone resolves to nobody. */
static void near_miss_before_the_match_does_not_decide(void **state)
{
    bh_token_table t;
    unsigned char real[BH_TOKEN_HASH_BYTES], near[BH_TOKEN_HASH_BYTES];
    uint32_t who = 0;
    (void)state;
    hash_of(42, real);
    memcpy(near, real, sizeof near);
    near[BH_TOKEN_HASH_BYTES - 1] ^= 0x80;
    bh_token_table_init(&t);
    assert_int_equal(bh_token_table_add(&t, near, 1, NULL), 0);
    assert_int_equal(bh_token_table_add(&t, real, 2, NULL), 0);
    assert_int_equal(bh_token_table_find(&t, real, &who), 1);
    assert_int_equal(who, 2);
    assert_int_equal(bh_token_table_find(&t, near, &who), 1);
    assert_int_equal(who, 1);
    bh_token_table_free(&t);
    bh_token_table_init(&t);
    assert_int_equal(bh_token_table_add(&t, near, 1, NULL), 0);
    who = 9;
    assert_int_equal(bh_token_table_find(&t, real, &who), 0);
    assert_int_equal(who, 9);
    bh_token_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_hash_finds_its_tenant_at_scale),
        cmocka_unit_test(colliding_first_slots_keep_their_tenants),
        cmocka_unit_test(a_hash_names_one_tenant),
        cmocka_unit_test(each_table_has_its_own_key),
        cmocka_unit_test(near_miss_before_the_match_does_not_decide),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
