/* test_audit_log.c - appending with signed checkpoints, and the verifier
 * finding a tail cut off after a checkpoint or a forged checkpoint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_log.h"
#include "baton/error.h"
#include "tenant_state.h"

static char data_dir[PATH_MAX];
static bh_tenant_state *agency, *other;

static int setup(void **state)
{
    (void)state;
    char err[256];
    snprintf(data_dir, sizeof data_dir, "/tmp/baton-test-audit-XXXXXX");
    if (mkdtemp(data_dir) == NULL)
        return -1;
    if (bh_tenant_state_get(data_dir, "northwind", &agency, err, sizeof err) != 0 ||
        bh_tenant_state_get(data_dir, "southbank", &other, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[PATH_MAX + 16];
    bh_tenant_states_close();
    snprintf(cmd, sizeof cmd, "rm -rf %s", data_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void append(int n)
{
    char err[256];
    for (int i = 0; i < n; i++)
        assert_int_equal(
            bh_audit_append(agency, "evaluation", "NW-1", "{\"n\":1}", err, sizeof err), 0);
}

/* Runs sql on the agency's store file as someone holding the file could:
 * with the append-only guards dropped. */
static void tamper(const char *sql)
{
    char path[PATH_MAX], *msg = NULL;
    sqlite3 *db;
    bh_tenant_state_path(agency, "store.db", NULL, path, sizeof path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const char *drop = "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS "
                       "audit_no_delete; DROP TRIGGER IF EXISTS audit_checkpoints_no_update;"
                       "DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;";
    if (sqlite3_exec(db, drop, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

static int verify(bh_audit_report *rep, char *err, size_t errlen)
{
    return bh_audit_verify(agency->store, agency->id, &agency->keys->sign_pub, rep, err, errlen);
}

static void a_checkpoint_is_signed_every_hundred_rows(void **state)
{
    (void)state;
    char err[512];
    bh_audit_report rep;
    append(250);
    assert_int_equal(verify(&rep, err, sizeof err), 0);
    assert_int_equal(rep.rows, 250);
    assert_int_equal(rep.last_seq, 250);
    assert_int_equal(rep.checkpoints, 2);
    assert_int_equal(rep.last_checkpoint, 200);
    /* At shutdown: one at the end of the chain, once. */
    assert_int_equal(bh_audit_checkpoint_now(agency, err, sizeof err), 0);
    assert_int_equal(bh_audit_checkpoint_now(agency, err, sizeof err), 0);
    assert_int_equal(verify(&rep, err, sizeof err), 0);
    assert_int_equal(rep.checkpoints, 3);
    assert_int_equal(rep.last_checkpoint, 250);
}

static void a_tail_cut_off_after_a_checkpoint_is_found(void **state)
{
    (void)state;
    char err[512];
    bh_audit_report rep;
    append(5);
    assert_int_equal(bh_audit_checkpoint_now(agency, err, sizeof err), 0);
    /* The chain that is left is intact: only the checkpoint tells. */
    tamper("DELETE FROM audit WHERE seq >= 4");
    uint64_t rows;
    assert_int_equal(bh_store_audit_verify(agency->store, &rows, NULL, NULL, err, sizeof err), 0);
    assert_int_equal(verify(&rep, err, sizeof err), BATON_ECRYPTO);
    assert_non_null(strstr(err, "audit log ends at row 3, but the checkpoint signed "));
    assert_non_null(strstr(err, "covers row 5: rows 4..5 were cut off"));
}

/* The same when exactly one row, the one the checkpoint signed, is cut: the
 * cut is named as such (not only as a row the checkpoint cannot find). */
static void a_single_row_cut_under_a_checkpoint_is_found(void **state)
{
    (void)state;
    char err[512];
    bh_audit_report rep;
    append(5);
    assert_int_equal(bh_audit_checkpoint_now(agency, err, sizeof err), 0);
    tamper("DELETE FROM audit WHERE seq = 5");
    assert_int_equal(verify(&rep, err, sizeof err), BATON_ECRYPTO);
    assert_non_null(strstr(err, "audit log ends at row 4, but the checkpoint signed "));
    assert_non_null(strstr(err, "covers row 5: rows 5..5 were cut off"));
}

/* A checkpoint row whose seq and hash were rewritten while its signed
 * statement was left alone is refused by the statement check itself (the
 * statement no longer describes the row), before the signature and the
 * comment checks would also notice. */
static void a_checkpoint_whose_statement_describes_another_row_is_refused(void **state)
{
    (void)state;
    char err[512], hash[65], sql[512];
    bh_audit_report rep;
    append(5);
    assert_int_equal(bh_audit_checkpoint_now(agency, err, sizeof err), 0);
    assert_int_equal(bh_store_audit_hash_at(agency->store, 3, hash, err, sizeof err), 0);
    snprintf(sql, sizeof sql, "UPDATE audit_checkpoints SET seq = 3, hash = '%s'", hash);
    tamper(sql);
    assert_int_equal(verify(&rep, err, sizeof err), BATON_ECRYPTO);
    assert_non_null(strstr(err, "audit checkpoint at row 3: its statement does not match its row"));
}

/* A checkpoint signed with the tenant's own key over the right statement,
 * but whose signed trusted comment names another row, is refused by the
 * comment check (what stock minisign shows must match the row too). */
static void a_checkpoint_whose_signed_comment_names_another_row_is_refused(void **state)
{
    (void)state;
    char err[512], hash[65], statement[512], tc[512];
    bh_audit_report rep;
    append(3);
    bh_audit_checkpoint c;
    size_t siglen;
    memset(&c, 0, sizeof c);
    c.seq = 3;
    assert_int_equal(bh_store_audit_hash_at(agency->store, 3, hash, err, sizeof err), 0);
    snprintf(c.hash, sizeof c.hash, "%s", hash);
    snprintf(c.ts, sizeof c.ts, "2026-12-05T12:00:00Z");
    assert_int_equal(bh_audit_statement(agency->id, 3, hash, c.ts, statement, sizeof statement), 0);
    snprintf(tc, sizeof tc, "baton-audit-checkpoint tenant=%s seq=2 hash=%s time=%s", agency->id,
             hash, c.ts);
    assert_int_equal(baton_minisign_sign_buffer(agency->keys->sign, statement, strlen(statement),
                                                NULL, tc, &c.minisig, &siglen, err, sizeof err),
                     0);
    c.statement = statement;
    assert_int_equal(bh_store_checkpoint_add(agency->store, &c, err, sizeof err), 0);
    baton_minisign_text_free(c.minisig);
    assert_int_equal(verify(&rep, err, sizeof err), BATON_ECRYPTO);
    assert_non_null(strstr(err, "the signed comment names another checkpoint"));
}

static void a_checkpoint_moved_to_the_new_end_fails_its_signature(void **state)
{
    (void)state;
    char err[512], hash[65], statement[512], sql[2048];
    bh_audit_report rep;
    append(5);
    assert_int_equal(bh_audit_checkpoint_now(agency, err, sizeof err), 0);
    /* Cut rows 4-5 and rewrite the checkpoint to row 3, statement and all;
     * only the signature, which needs the tenant's key, is left as it was. */
    assert_int_equal(bh_store_audit_hash_at(agency->store, 3, hash, err, sizeof err), 0);
    bh_audit_checkpoint *c;
    size_t n;
    assert_int_equal(bh_store_checkpoint_all(agency->store, &c, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(bh_audit_statement(agency->id, 3, hash, c[0].ts, statement, sizeof statement),
                     0);
    snprintf(sql, sizeof sql,
             "DELETE FROM audit WHERE seq >= 4; UPDATE audit_checkpoints SET seq = 3, hash = "
             "'%s', statement = '%s'",
             hash, statement);
    bh_audit_checkpoints_free(c, n);
    tamper(sql);
    assert_int_equal(verify(&rep, err, sizeof err), BATON_ECRYPTO);
    assert_non_null(strstr(err, "audit checkpoint at row 3: bad signature"));
}

static void a_checkpoint_must_be_signed_by_the_tenants_key(void **state)
{
    (void)state;
    char err[512];
    bh_audit_report rep;
    append(3);
    assert_int_equal(bh_audit_checkpoint_now(agency, err, sizeof err), 0);
    assert_int_equal(
        bh_audit_verify(agency->store, agency->id, &other->keys->sign_pub, &rep, err, sizeof err),
        BATON_ECRYPTO);
    assert_non_null(strstr(err, "audit checkpoint at row 3: bad signature"));
}

static void a_row_changed_under_a_checkpoint_is_found(void **state)
{
    (void)state;
    char err[512];
    bh_audit_report rep;
    append(4);
    assert_int_equal(bh_audit_checkpoint_now(agency, err, sizeof err), 0);
    tamper("UPDATE audit SET subject = 'NW-2' WHERE seq = 2");
    assert_int_equal(verify(&rep, err, sizeof err), BATON_ECRYPTO);
    assert_non_null(strstr(err, "audit row 2: its content does not match its hash"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_checkpoint_is_signed_every_hundred_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(a_tail_cut_off_after_a_checkpoint_is_found, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_single_row_cut_under_a_checkpoint_is_found, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            a_checkpoint_whose_signed_comment_names_another_row_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(
            a_checkpoint_whose_statement_describes_another_row_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(a_checkpoint_moved_to_the_new_end_fails_its_signature,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_checkpoint_must_be_signed_by_the_tenants_key, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_row_changed_under_a_checkpoint_is_found, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
