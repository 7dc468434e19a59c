/* test_arena.c - bh_arena, the per-request bump allocator (arena.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "arena.h"

static void pieces_are_aligned_distinct_and_keep_their_bytes(void **state)
{
    (void)state;
    bh_arena a;
    assert_int_equal(bh_arena_init(&a, 256, 0), 0);
    unsigned char *p[200];
    for (size_t i = 0; i < 200; i++) {
        p[i] = bh_arena_alloc(&a, i % 37 + 1);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % BH_ARENA_ALIGN, 0);
        memset(p[i], (int)i, i % 37 + 1);
    }
    /* Later pieces (and the chunks they grew into) overwrote nothing. */
    for (size_t i = 0; i < 200; i++) {
        for (size_t k = 0; k < i % 37 + 1; k++)
            assert_int_equal(p[i][k], (unsigned char)i);
    }
    void *zero = bh_arena_alloc(&a, 0);
    assert_non_null(zero);
    assert_ptr_not_equal(zero, bh_arena_alloc(&a, 0));
    bh_arena_free(&a);
}

static void a_piece_larger_than_a_chunk_gets_a_chunk_of_its_own(void **state)
{
    (void)state;
    bh_arena a;
    assert_int_equal(bh_arena_init(&a, 256, 0), 0);
    unsigned char *big = bh_arena_alloc(&a, 100000);
    assert_non_null(big);
    memset(big, 0xab, 100000);
    unsigned char *z = bh_arena_zalloc(&a, 64);
    assert_non_null(z);
    for (size_t i = 0; i < 64; i++)
        assert_int_equal(z[i], 0);
    assert_int_equal(big[99999], 0xab);
    bh_arena_free(&a);
}

static void strings_are_copied_with_a_terminator(void **state)
{
    (void)state;
    bh_arena a;
    char src[] = "reminder letter";
    assert_int_equal(bh_arena_init(&a, 256, 0), 0);
    char *c = bh_arena_strdup(&a, src);
    char *n = bh_arena_strndup(&a, src, 8);
    src[0] = 'X'; /* copies, not the caller's bytes */
    assert_string_equal(c, "reminder letter");
    assert_string_equal(n, "reminder");
    bh_arena_free(&a);
}

static void the_limit_fails_allocations_past_it(void **state)
{
    (void)state;
    bh_arena a;
    assert_int_equal(bh_arena_init(&a, 1024, 4096), 0);
    assert_non_null(bh_arena_alloc(&a, 1000));
    assert_non_null(bh_arena_alloc(&a, 2000));
    assert_null(bh_arena_alloc(&a, 5000)); /* more than the whole limit */
    /* What the limit still leaves room for is given, then nothing. */
    size_t got = 0;
    while (bh_arena_alloc(&a, 16) != NULL)
        got += 16;
    assert_true(a.total <= 4096);
    assert_true(got < 4096);
    assert_null(bh_arena_alloc(&a, 16));
    assert_null(bh_arena_alloc(&a, SIZE_MAX));
    bh_arena_free(&a);
}

static void reset_keeps_the_first_chunk_and_frees_the_rest(void **state)
{
    (void)state;
    bh_arena a;
    assert_int_equal(bh_arena_init(&a, 512, 0), 0);
    void *first = bh_arena_alloc(&a, 16);
    for (int i = 0; i < 100; i++)
        assert_non_null(bh_arena_alloc(&a, 300));
    assert_true(a.total > 512);
    bh_arena_reset(&a);
    assert_int_equal(a.total, 512);
    /* The next request starts where the first one did. */
    assert_ptr_equal(bh_arena_alloc(&a, 16), first);
    bh_arena_free(&a);
    assert_int_equal(a.total, 0);
    assert_null(bh_arena_alloc(&a, 1)); /* freed: no chunk to cut from */
}

static void a_chunk_is_filled_to_its_last_byte_before_the_next_one(void **state)
{
    (void)state;
    bh_arena a;
    assert_int_equal(bh_arena_init(&a, 256, 0), 0);
    unsigned char *p = bh_arena_alloc(&a, 240);
    assert_non_null(p);
    /* The last 16 bytes of the chunk, then a piece of 0 bytes, which
     * still gets 16 of its own: from a new chunk. */
    assert_ptr_equal(bh_arena_alloc(&a, 16), p + 240);
    assert_int_equal(a.total, 256);
    unsigned char *z = bh_arena_alloc(&a, 0);
    assert_non_null(z);
    assert_true(z < p || z >= p + 256);
    assert_true(a.total > 256);
    bh_arena_free(&a);
}

static void sizes_that_wrap_around_are_refused(void **state)
{
    (void)state;
    bh_arena a;
    assert_int_equal(bh_arena_init(&a, 4096, 0), 0);
    /* Each rounds up past SIZE_MAX (to 0): never a piece from the
     * current chunk, and no chunk asked of malloc. */
    for (size_t k = 0; k < BH_ARENA_ALIGN; k++)
        assert_null(bh_arena_alloc(&a, SIZE_MAX - k));
    assert_null(bh_arena_strndup(&a, "x", SIZE_MAX));
    assert_int_equal(a.total, 4096);
    assert_non_null(bh_arena_alloc(&a, 1));
    bh_arena_free(&a);
}

static void zalloc_zeroes_bytes_a_previous_request_left(void **state)
{
    (void)state;
    bh_arena a;
    assert_int_equal(bh_arena_init(&a, 256, 0), 0);
    memset(bh_arena_alloc(&a, 100), 0xee, 100);
    bh_arena_reset(&a);
    unsigned char *z = bh_arena_zalloc(&a, 100);
    assert_non_null(z);
    for (size_t i = 0; i < 100; i++)
        assert_int_equal(z[i], 0);
    bh_arena_free(&a);
}

/* An arena over memory the caller lends cuts its first pieces there,
 * grows into chunks of its own past it, counts the lent bytes towards
 * its limit, and frees only its own chunks (ASan: no leak, no free of
 * the lent bytes), on reset too. */
static void lent_memory_is_the_first_chunk_and_never_freed(void **state)
{
    (void)state;
    _Alignas(BH_ARENA_ALIGN) unsigned char lent[1024];
    bh_arena a;
    bh_arena_init_over(&a, lent, sizeof lent, 8192);
    unsigned char *p = bh_arena_alloc(&a, 100);
    assert_true(p >= lent && p + 100 <= lent + sizeof lent);
    assert_int_equal((uintptr_t)p % BH_ARENA_ALIGN, 0);
    assert_true(a.total <= sizeof lent);
    unsigned char *q = bh_arena_alloc(&a, 2000); /* its own chunk */
    assert_non_null(q);
    assert_true(q + 2000 <= lent || q >= lent + sizeof lent);
    memset(q, 1, 2000);
    assert_null(bh_arena_alloc(&a, 8192)); /* the limit counts the lent bytes */
    bh_arena_reset(&a);
    assert_ptr_equal(bh_arena_alloc(&a, 100), p);
    assert_non_null(bh_arena_alloc(&a, 5000));
    bh_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pieces_are_aligned_distinct_and_keep_their_bytes),
        cmocka_unit_test(a_piece_larger_than_a_chunk_gets_a_chunk_of_its_own),
        cmocka_unit_test(strings_are_copied_with_a_terminator),
        cmocka_unit_test(the_limit_fails_allocations_past_it),
        cmocka_unit_test(reset_keeps_the_first_chunk_and_frees_the_rest),
        cmocka_unit_test(a_chunk_is_filled_to_its_last_byte_before_the_next_one),
        cmocka_unit_test(sizes_that_wrap_around_are_refused),
        cmocka_unit_test(zalloc_zeroes_bytes_a_previous_request_left),
        cmocka_unit_test(lent_memory_is_the_first_chunk_and_never_freed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
