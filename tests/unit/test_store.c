/* test_store.c - the tenant store on a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baton/error.h"
#include "store.h"

static char path[256];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/baton-test-store-%d-XXXXXX", (int)getpid());
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[300];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    return 0;
}

static void documents_and_handoffs_survive_reopen(void **state)
{
    (void)state;
    char err[256];
    bh_store *s;
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    bh_document d = {0};
    bh_store_new_id("doc_", d.id, sizeof d.id);
    snprintf(d.name, sizeof d.name, "invoice-1.pdf");
    d.size = 1234;
    snprintf(d.sha256, sizeof d.sha256, "%064d", 7);
    snprintf(d.path, sizeof d.path, "documents/%s", d.id);
    bh_store_now(d.created, sizeof d.created);
    assert_int_equal(bh_store_document_add(s, &d, err, sizeof err), 0);
    assert_int_equal(bh_store_document_add(s, &d, err, sizeof err), BATON_EEXIST);

    int64_t a, b;
    assert_int_equal(bh_store_next_sequence(s, &a, err, sizeof err), 0);
    assert_int_equal(bh_store_next_sequence(s, &b, err, sizeof err), 0);
    assert_true(a == 1 && b == 2);

    bh_handoff h = {0};
    bh_store_new_id("ho_", h.id, sizeof h.id);
    snprintf(h.case_id, sizeof h.case_id, "NW-1");
    snprintf(h.recipient, sizeof h.recipient, "harbor-law");
    h.sequence = b;
    snprintf(h.status, sizeof h.status, "sent");
    bh_store_now(h.created, sizeof h.created);
    memcpy(h.updated, h.created, sizeof h.created);
    assert_int_equal(bh_store_handoff_add(s, &h, err, sizeof err), 0);
    assert_int_equal(
        bh_store_handoff_set_receipt(s, h.id, "accepted", "{\"r\":1}", err, sizeof err), 0);
    assert_int_equal(bh_store_handoff_set_receipt(s, h.id, "rejected", "{}", err, sizeof err),
                     BATON_EEXIST);
    bh_store_close(s);

    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    bh_document d2;
    assert_int_equal(bh_store_document_get(s, d.id, &d2, err, sizeof err), 0);
    assert_string_equal(d2.name, "invoice-1.pdf");
    assert_true(d2.size == 1234);
    assert_int_equal(bh_store_document_get(s, "doc_nope", &d2, err, sizeof err), BATON_ENOENT);
    char *receipt;
    assert_int_equal(bh_store_handoff_receipt(s, h.id, &receipt, err, sizeof err), 0);
    assert_string_equal(receipt, "{\"r\":1}");
    free(receipt);
    assert_int_equal(bh_store_next_sequence(s, &a, err, sizeof err), 0);
    assert_true(a == 3);
    bh_store_close(s);
}

static void inbox_items_are_decided_once(void **state)
{
    (void)state;
    char err[256];
    bh_store *s;
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    bh_inbox_item it = {0};
    bh_store_new_id("in_", it.id, sizeof it.id);
    snprintf(it.sender, sizeof it.sender, "northwind");
    snprintf(it.status, sizeof it.status, "pending");
    bh_store_now(it.received, sizeof it.received);
    assert_int_equal(bh_store_inbox_add(s, &it, err, sizeof err), 0);
    assert_int_equal(bh_store_inbox_decide(s, it.id, "accepted", NULL, "{}", "{}", err, sizeof err),
                     0);
    assert_int_equal(
        bh_store_inbox_decide(s, it.id, "rejected", "late", NULL, "{}", err, sizeof err),
        BATON_EEXIST);
    assert_non_null(strstr(err, "already accepted"));
    cJSON *list;
    assert_int_equal(bh_store_inbox_list(s, &list, err, sizeof err), 0);
    assert_int_equal(cJSON_GetArraySize(list), 1);
    cJSON_Delete(list);
    bh_store_close(s);
}

static void audit_chain_detects_a_changed_row(void **state)
{
    (void)state;
    char err[256];
    bh_store *s;
    uint64_t rows;
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(
            bh_store_audit(s, "northwind", "evaluation", "NW-1", "{\"n\":1}", err, sizeof err), 0);
    assert_int_equal(bh_store_audit_verify(s, &rows, NULL, NULL, err, sizeof err), 0);
    assert_true(rows == 5);
    bh_store_close(s);

    /* The store refuses updates; an attacker with the file drops the guard. */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(db, "UPDATE audit SET subject = 'NW-2' WHERE seq = 3", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TRIGGER audit_no_update;"
                                  "UPDATE audit SET subject = 'NW-2' WHERE seq = 3",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(bh_store_audit_verify(s, &rows, NULL, NULL, err, sizeof err), BATON_ECRYPTO);
    assert_non_null(strstr(err, "audit row 3: its content does not match its hash"));
    bh_store_close(s);
}

/* Five rows, then sql run on the file with the append-only guards dropped,
 * as someone holding the file could. */
static void five_rows_then(const char *sql)
{
    char err[256];
    bh_store *s;
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(
            bh_store_audit(s, "northwind", "evaluation", "NW-1", "{\"n\":1}", err, sizeof err), 0);
    bh_store_close(s);
    sqlite3 *db;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

static void audit_chain_detects_a_changed_prev_hash_link(void **state)
{
    (void)state;
    char err[256];
    bh_store *s;
    uint64_t rows;
    /* Only the stored link of row 4 changes; its own hash still matches the
     * true chain, so only a verifier that checks the link finds it. */
    five_rows_then("UPDATE audit SET prev_hash = '"
                   "ffffffffffffffffffffffffffffffff"
                   "ffffffffffffffffffffffffffffffff' WHERE seq = 4");
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(bh_store_audit_verify(s, &rows, NULL, NULL, err, sizeof err), BATON_ECRYPTO);
    assert_non_null(
        strstr(err, "audit row 4: prev_hash ffffffffffffffff... is not the hash of row 3"));
    bh_store_close(s);
}

static void audit_chain_detects_a_removed_row(void **state)
{
    (void)state;
    char err[256];
    bh_store *s;
    uint64_t rows;
    five_rows_then("DELETE FROM audit WHERE seq = 2");
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(bh_store_audit_verify(s, &rows, NULL, NULL, err, sizeof err), BATON_ECRYPTO);
    assert_string_equal(err, "audit row 3 follows row 1: row 2 is missing");
    bh_store_close(s);
}

static void audit_chain_end_and_pages_carry_the_chain_fields(void **state)
{
    (void)state;
    char err[256], hash[65], last_hash[65];
    bh_store *s;
    uint64_t rows;
    int64_t last, head;
    five_rows_then("SELECT 1");
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(bh_store_audit_verify(s, &rows, &last, last_hash, err, sizeof err), 0);
    assert_int_equal(bh_store_audit_head(s, &head, hash, err, sizeof err), 0);
    assert_true(rows == 5 && last == 5 && head == 5);
    assert_string_equal(hash, last_hash);
    cJSON *page;
    assert_int_equal(bh_store_audit_page(s, 3, 10, &page, err, sizeof err), 0);
    assert_int_equal(cJSON_GetArraySize(page), 2);
    cJSON *r4 = cJSON_GetArrayItem(page, 0), *r5 = cJSON_GetArrayItem(page, 1);
    assert_int_equal((int)cJSON_GetObjectItem(r4, "seq")->valuedouble, 4);
    assert_string_equal(cJSON_GetObjectItem(r5, "prev_hash")->valuestring,
                        cJSON_GetObjectItem(r4, "hash")->valuestring);
    assert_string_equal(cJSON_GetObjectItem(r5, "hash")->valuestring, hash);
    cJSON_Delete(page);
    bh_store_close(s);
}

static int count_rows(bh_store *s, const char *table)
{
    (void)s;
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[64];
    int n = -1;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void a_rolled_back_transaction_keeps_neither_the_change_nor_its_audit_record(void **state)
{
    (void)state;
    char err[256], rec[40];
    bh_store *s;
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    bh_handoff h = {0};
    bh_store_new_id("ho_", h.id, sizeof h.id);
    snprintf(h.case_id, sizeof h.case_id, "NW-1");
    snprintf(h.recipient, sizeof h.recipient, "harbor-law");
    h.sequence = 1;
    snprintf(h.status, sizeof h.status, "sent");
    assert_int_equal(bh_store_begin(s, err, sizeof err), 0);
    assert_int_equal(bh_store_begin(s, err, sizeof err), BATON_EINVAL); /* never nested */
    assert_int_equal(bh_store_handoff_add(s, &h, err, sizeof err), 0);
    assert_int_equal(
        bh_store_outbox_add(s, "package", "harbor-law", h.id, "{}", rec, err, sizeof err), 0);
    assert_int_equal(bh_store_audit(s, "northwind", "handoff.sent", h.id, NULL, err, sizeof err),
                     0);
    bh_store_rollback(s);
    assert_int_equal(count_rows(s, "handoffs"), 0);
    assert_int_equal(count_rows(s, "outbox"), 0);
    assert_int_equal(count_rows(s, "audit"), 0);

    assert_int_equal(bh_store_begin(s, err, sizeof err), 0);
    assert_int_equal(bh_store_handoff_add(s, &h, err, sizeof err), 0);
    assert_int_equal(
        bh_store_outbox_add(s, "package", "harbor-law", h.id, "{\"a\":1}", rec, err, sizeof err),
        0);
    assert_int_equal(bh_store_audit(s, "northwind", "handoff.sent", h.id, NULL, err, sizeof err),
                     0);
    assert_int_equal(bh_store_commit(s, err, sizeof err), 0);
    assert_int_equal(count_rows(s, "handoffs"), 1);
    assert_int_equal(count_rows(s, "audit"), 1);

    bh_outbox_record *recs;
    size_t n;
    assert_int_equal(bh_store_outbox_pending(s, NULL, 10, &recs, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(recs[0].id, rec);
    assert_string_equal(recs[0].kind, "package");
    assert_string_equal(recs[0].handoff_id, h.id);
    assert_string_equal(recs[0].payload, "{\"a\":1}");
    bh_outbox_records_free(recs, n);
    assert_int_equal(bh_store_outbox_done(s, rec, err, sizeof err), 0);
    assert_int_equal(bh_store_outbox_pending(s, rec, 10, &recs, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);
    bh_outbox_records_free(recs, n);
    bh_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(documents_and_handoffs_survive_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(inbox_items_are_decided_once, setup, teardown),
        cmocka_unit_test_setup_teardown(audit_chain_detects_a_changed_row, setup, teardown),
        cmocka_unit_test_setup_teardown(audit_chain_detects_a_changed_prev_hash_link, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(audit_chain_detects_a_removed_row, setup, teardown),
        cmocka_unit_test_setup_teardown(audit_chain_end_and_pages_carry_the_chain_fields, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            a_rolled_back_transaction_keeps_neither_the_change_nor_its_audit_record, setup,
            teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
