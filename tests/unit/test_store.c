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
    assert_int_equal(bh_store_audit_verify(s, &rows, err, sizeof err), 0);
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
    assert_int_equal(bh_store_audit_verify(s, &rows, err, sizeof err), BATON_ECRYPTO);
    assert_non_null(strstr(err, "row 3"));
    bh_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(documents_and_handoffs_survive_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(inbox_items_are_decided_once, setup, teardown),
        cmocka_unit_test_setup_teardown(audit_chain_detects_a_changed_row, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
