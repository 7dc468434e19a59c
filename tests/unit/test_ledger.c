/*
 * test_ledger.c - the replay ledger: records survive reopening, a pair is
 * recorded once, senders are kept apart, rollback forgets, the file is
 * private.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "baton/error.h"
#include "baton/ledger.h"

static char dir[] = "/tmp/baton-ledger-test-XXXXXX";
static char path[128];

static int setup(void **state)
{
    (void)state;
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/ledger.sqlite", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[160];
    static const char *sfx[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}

static const uint8_t PK_A[32] = {1};
static const uint8_t PK_B[32] = {2};
static const uint8_t TM[32] = {9};

static void records_survive_reopening(void **state)
{
    (void)state;
    baton_ledger *l;
    char err[256];
    assert_int_equal(baton_ledger_open(path, &l, err, sizeof err), 0);
    assert_int_equal(baton_ledger_seen(l, PK_A, 5, NULL, 0), 0);
    assert_int_equal(baton_ledger_begin(l, NULL, 0), 0);
    assert_int_equal(baton_ledger_record(l, PK_A, 5, "C-1", TM, 1000, NULL, 0), 0);
    assert_int_equal(baton_ledger_commit(l, NULL, 0), 0);
    baton_ledger_close(l);

    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    assert_int_equal(baton_ledger_open(path, &l, err, sizeof err), 0);
    assert_int_equal(baton_ledger_seen(l, PK_A, 5, NULL, 0), 1);
    assert_int_equal(baton_ledger_seen(l, PK_B, 5, NULL, 0), 0); /* other sender */
    assert_int_equal(baton_ledger_seen(l, PK_A, 6, NULL, 0), 0);
    uint64_t last;
    assert_int_equal(baton_ledger_last(l, PK_A, &last, NULL, 0), 0);
    assert_int_equal(last, 5);
    assert_int_equal(baton_ledger_last(l, PK_B, &last, NULL, 0), 0);
    assert_int_equal(last, 0);
    baton_ledger_close(l);
}

static void a_pair_is_recorded_once(void **state)
{
    (void)state;
    baton_ledger *l;
    assert_int_equal(baton_ledger_open(path, &l, NULL, 0), 0);
    assert_int_equal(baton_ledger_record(l, PK_B, 1, "C-2", TM, 1000, NULL, 0), 0);
    assert_int_equal(baton_ledger_record(l, PK_B, 1, "C-3", TM, 1001, NULL, 0), BATON_EEXIST);
    assert_int_equal(baton_ledger_record(l, PK_B, 0, "C-3", TM, 1001, NULL, 0), BATON_ERANGE);
    baton_ledger_close(l);
}

static void rollback_forgets(void **state)
{
    (void)state;
    baton_ledger *l;
    assert_int_equal(baton_ledger_open(path, &l, NULL, 0), 0);
    assert_int_equal(baton_ledger_begin(l, NULL, 0), 0);
    assert_int_equal(baton_ledger_record(l, PK_A, 77, "C-4", TM, 1000, NULL, 0), 0);
    baton_ledger_rollback(l);
    assert_int_equal(baton_ledger_seen(l, PK_A, 77, NULL, 0), 0);
    /* An open transaction is rolled back on close, too. */
    assert_int_equal(baton_ledger_begin(l, NULL, 0), 0);
    assert_int_equal(baton_ledger_record(l, PK_A, 78, "C-5", TM, 1000, NULL, 0), 0);
    baton_ledger_close(l);
    assert_int_equal(baton_ledger_open(path, &l, NULL, 0), 0);
    assert_int_equal(baton_ledger_seen(l, PK_A, 78, NULL, 0), 0);
    baton_ledger_close(l);
}

/* The last sequence of a sender is the highest recorded, whatever the
 * order of recording. */
static void last_is_the_highest_sequence(void **state)
{
    (void)state;
    static const uint8_t PK_C[32] = {3};
    baton_ledger *l;
    uint64_t last = 0;
    assert_int_equal(baton_ledger_open(path, &l, NULL, 0), 0);
    assert_int_equal(baton_ledger_record(l, PK_C, 8, "C-8", TM, 1000, NULL, 0), 0);
    assert_int_equal(baton_ledger_record(l, PK_C, 3, "C-3", TM, 1001, NULL, 0), 0);
    assert_int_equal(baton_ledger_record(l, PK_C, 5, "C-5", TM, 1002, NULL, 0), 0);
    assert_int_equal(baton_ledger_last(l, PK_C, &last, NULL, 0), 0);
    assert_int_equal(last, 8);
    baton_ledger_close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_survive_reopening),
        cmocka_unit_test(a_pair_is_recorded_once),
        cmocka_unit_test(rollback_forgets),
        cmocka_unit_test(last_is_the_highest_sequence),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
