/* test_handoff.c - an agency hands a case to a law firm on the same host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include "baton/error.h"
#include "baton/sha256.h"
#include "handoff.h"
#include "handoff_deliver.h"

static char data_dir[PATH_MAX];
static bh_tenant_state *agency, *firm, *other;

static const char *case_json = "{\"case_id\":\"NW-2026-0042\",\"jurisdiction\":\"gb-ew\","
                               "\"claim\":{\"principal\":{\"amount\":\"1250.00\",\"currency\":"
                               "\"GBP\"}}}";

static int setup(void **state)
{
    (void)state;
    char err[256];
    snprintf(data_dir, sizeof data_dir, "/tmp/baton-test-handoff-XXXXXX");
    if (mkdtemp(data_dir) == NULL)
        return -1;
    if (bh_tenant_state_get(data_dir, "northwind", &agency, err, sizeof err) != 0 ||
        bh_tenant_state_get(data_dir, "harbor-law", &firm, err, sizeof err) != 0 ||
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

/* Stores a document for st as an upload would. */
static void add_document(bh_tenant_state *st, const char *name, const char *content, char *id_out)
{
    char err[256];
    bh_document d;
    memset(&d, 0, sizeof d);
    bh_store_new_id("doc_", d.id, sizeof d.id);
    snprintf(d.name, sizeof d.name, "%s", name);
    bh_tenant_state_path(st, "documents", d.id, d.path, sizeof d.path);
    FILE *f = fopen(d.path, "wb");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
    d.size = strlen(content);
    uint8_t h[32];
    baton_sha256_buffer(content, strlen(content), h);
    baton_sha256_hex(h, d.sha256);
    bh_store_now(d.created, sizeof d.created);
    assert_int_equal(bh_store_document_add(st->store, &d, err, sizeof err), 0);
    strcpy(id_out, d.id);
}

static const char *first_pending_inbox_item(bh_tenant_state *st)
{
    static char id[40];
    char err[256];
    cJSON *list, *it;
    assert_int_equal(bh_store_inbox_list(st->store, &list, err, sizeof err), 0);
    id[0] = '\0';
    cJSON_ArrayForEach(it, list)
    {
        if (strcmp(cJSON_GetObjectItem(it, "status")->valuestring, "pending") == 0)
            snprintf(id, sizeof id, "%s", cJSON_GetObjectItem(it, "id")->valuestring);
    }
    cJSON_Delete(list);
    return id;
}

static void handoff_is_accepted_and_the_agency_sees_a_verified_receipt(void **state)
{
    (void)state;
    char doc[40];
    bh_handoff_error e;
    cJSON *answer = NULL;
    add_document(agency, "invoice-2025-017.pdf", "%PDF-1.4 invoice", doc);
    const char *docs[] = {doc};
    bh_handoff_target to = {.name = "harbor-law", .tenant = firm};
    assert_int_equal(bh_handoff_create(agency, case_json, strlen(case_json), docs, 1, &to,
                                       BH_HANDOFF_TTL_DEFAULT, &answer, &e),
                     0);
    char handoff_id[40];
    snprintf(handoff_id, sizeof handoff_id, "%s", cJSON_GetObjectItem(answer, "id")->valuestring);
    assert_string_equal(cJSON_GetObjectItem(answer, "status")->valuestring, "sent");
    cJSON_Delete(answer);

    const char *item = first_pending_inbox_item(firm);
    assert_true(item[0] != '\0');
    assert_int_equal(bh_inbox_accept(firm, item, &agency->keys->sign_pub, 1, agency, &answer, &e),
                     0);
    assert_string_equal(cJSON_GetObjectItem(answer, "status")->valuestring, "accepted");
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "case"), "case_id")->valuestring,
        "NW-2026-0042");
    cJSON_Delete(answer);

    /* A second accept of the same item is refused. */
    assert_true(bh_inbox_accept(firm, item, &agency->keys->sign_pub, 1, agency, &answer, &e) < 0);
    assert_int_equal(e.http_status, 409);

    assert_int_equal(bh_handoff_describe(agency, handoff_id, &answer, &e), 0);
    assert_string_equal(cJSON_GetObjectItem(answer, "status")->valuestring, "accepted");
    cJSON *receipt = cJSON_GetObjectItem(answer, "receipt");
    if (!cJSON_IsTrue(cJSON_GetObjectItem(receipt, "verified"))) {
        char *text = cJSON_PrintUnformatted(receipt);
        print_message("receipt: %s\n", text);
        cJSON_free(text);
    }
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(receipt, "verified")));
    assert_string_equal(cJSON_GetObjectItem(receipt, "verdict")->valuestring, "accepted");
    cJSON_Delete(answer);

    /* The same package delivered again is a replay. */
    char err[256];
    bh_handoff h;
    assert_int_equal(bh_store_handoff_get(agency->store, handoff_id, &h, err, sizeof err), 0);
    bh_inbox_item it;
    memset(&it, 0, sizeof it);
    bh_store_new_id("in_", it.id, sizeof it.id);
    strcpy(it.sender, "northwind");
    bh_tenant_state_path(firm, "inbox", "replayed.baton", it.package_path, sizeof it.package_path);
    assert_int_equal(link(h.package_path, it.package_path), 0);
    strcpy(it.status, "pending");
    bh_store_now(it.received, sizeof it.received);
    assert_int_equal(bh_store_inbox_add(firm->store, &it, err, sizeof err), 0);
    assert_int_equal(bh_inbox_accept(firm, it.id, &agency->keys->sign_pub, 1, NULL, &answer, &e),
                     0);
    assert_int_equal(e.http_status, 422);
    assert_string_equal(cJSON_GetObjectItem(answer, "verdict")->valuestring, "replayed");
    cJSON_Delete(answer);

    uint64_t rows;
    assert_int_equal(bh_store_audit_verify(agency->store, &rows, NULL, NULL, err, sizeof err), 0);
    assert_true(rows >= 2);
}

static void an_untrusted_sender_is_rejected_with_a_signed_receipt(void **state)
{
    (void)state;
    bh_handoff_error e;
    cJSON *answer = NULL;
    bh_handoff_target to = {.name = "harbor-law", .tenant = firm};
    assert_int_equal(bh_handoff_create(other, case_json, strlen(case_json), NULL, 0, &to,
                                       BH_HANDOFF_TTL_DEFAULT, &answer, &e),
                     0);
    char handoff_id[40];
    snprintf(handoff_id, sizeof handoff_id, "%s", cJSON_GetObjectItem(answer, "id")->valuestring);
    cJSON_Delete(answer);
    const char *item = first_pending_inbox_item(firm);
    /* The firm trusts northwind only. */
    assert_int_equal(bh_inbox_accept(firm, item, &agency->keys->sign_pub, 1, other, &answer, &e),
                     0);
    assert_int_equal(e.http_status, 422);
    assert_string_equal(cJSON_GetObjectItem(answer, "verdict")->valuestring, "untrusted-sender");
    cJSON_Delete(answer);
    assert_int_equal(bh_handoff_describe(other, handoff_id, &answer, &e), 0);
    cJSON *receipt = cJSON_GetObjectItem(answer, "receipt");
    if (!cJSON_IsTrue(cJSON_GetObjectItem(receipt, "verified"))) {
        char *text = cJSON_PrintUnformatted(receipt);
        print_message("receipt: %s\n", text);
        cJSON_free(text);
    }
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(receipt, "verified")));
    assert_string_equal(cJSON_GetObjectItem(receipt, "verdict")->valuestring, "rejected");
    cJSON_Delete(answer);
}

static void a_tenant_cannot_pack_another_tenants_document(void **state)
{
    (void)state;
    char doc[40];
    bh_handoff_error e;
    cJSON *answer = NULL;
    add_document(agency, "statement.pdf", "northwind only", doc);
    const char *docs[] = {doc};
    bh_handoff_target to = {.name = "harbor-law", .tenant = firm};
    assert_true(bh_handoff_create(other, case_json, strlen(case_json), docs, 1, &to,
                                  BH_HANDOFF_TTL_DEFAULT, &answer, &e) < 0);
    assert_int_equal(e.http_status, 404);
    assert_string_equal(e.code, "unknown_document");
    assert_null(answer);
}

static void declining_sends_a_declined_receipt(void **state)
{
    (void)state;
    bh_handoff_error e;
    cJSON *answer = NULL;
    bh_handoff_target to = {.name = "harbor-law", .tenant = firm};
    assert_int_equal(bh_handoff_create(agency, case_json, strlen(case_json), NULL, 0, &to,
                                       BH_HANDOFF_TTL_DEFAULT, &answer, &e),
                     0);
    char handoff_id[40];
    snprintf(handoff_id, sizeof handoff_id, "%s", cJSON_GetObjectItem(answer, "id")->valuestring);
    cJSON_Delete(answer);
    const char *item = first_pending_inbox_item(firm);
    assert_int_equal(bh_inbox_reject(firm, item, "conflict of interest", agency, &answer, &e), 0);
    cJSON_Delete(answer);
    assert_int_equal(bh_handoff_describe(agency, handoff_id, &answer, &e), 0);
    cJSON *receipt = cJSON_GetObjectItem(answer, "receipt");
    if (!cJSON_IsTrue(cJSON_GetObjectItem(receipt, "verified"))) {
        char *text = cJSON_PrintUnformatted(receipt);
        print_message("receipt: %s\n", text);
        cJSON_free(text);
    }
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(receipt, "verified")));
    assert_string_equal(cJSON_GetObjectItem(receipt, "reason")->valuestring, "declined");
    cJSON_Delete(answer);
}

/* How many audit records of action on subject st's log holds. */
static int count_audit(bh_tenant_state *st, const char *action, const char *subject)
{
    char err[256];
    cJSON *page, *row;
    int n = 0;
    assert_int_equal(bh_store_audit_page(st->store, 0, 100000, &page, err, sizeof err), 0);
    cJSON_ArrayForEach(row, page)
    {
        if (strcmp(cJSON_GetObjectItem(row, "action")->valuestring, action) == 0 &&
            strcmp(cJSON_GetObjectItem(row, "subject")->valuestring, subject) == 0)
            n++;
    }
    cJSON_Delete(page);
    return n;
}

static size_t pending_records(bh_tenant_state *st)
{
    char err[256];
    bh_outbox_record *r;
    size_t n;
    assert_int_equal(bh_store_outbox_pending(st->store, NULL, 1000, &r, &n, err, sizeof err), 0);
    bh_outbox_records_free(r, n);
    return n;
}

/* Hands the test case from the agency to the firm; the handoff id into id. */
static void hand_over(char id[40])
{
    bh_handoff_error e;
    cJSON *answer = NULL;
    bh_handoff_target to = {.name = "harbor-law", .tenant = firm};
    assert_int_equal(bh_handoff_create(agency, case_json, strlen(case_json), NULL, 0, &to,
                                       BH_HANDOFF_TTL_DEFAULT, &answer, &e),
                     0);
    snprintf(id, 40, "%s", cJSON_GetObjectItem(answer, "id")->valuestring);
    cJSON_Delete(answer);
}

static void status_of_handoff(const char *id, const char *want)
{
    char err[256];
    bh_handoff h;
    assert_int_equal(bh_store_handoff_get(agency->store, id, &h, err, sizeof err), 0);
    assert_string_equal(h.status, want);
}

static void a_delivery_cut_short_after_the_commit_is_finished_at_start(void **state)
{
    (void)state;
    char inbox[PATH_MAX], away[PATH_MAX + 8], handoff_id[40], item[40], err[256];
    bh_inbox_item it;
    size_t left = 99;
    /* The firm's inbox folder is away, as if batond died before delivering:
     * the handoff is committed with its outbox record, nothing reaches the
     * firm. */
    bh_tenant_state_path(firm, "inbox", NULL, inbox, sizeof inbox);
    snprintf(away, sizeof away, "%s.away", inbox);
    assert_int_equal(rename(inbox, away), 0);
    hand_over(handoff_id);
    assert_int_equal(rename(away, inbox), 0);
    bh_inbox_id_for("northwind", handoff_id, item);
    assert_int_equal(bh_store_inbox_get(firm->store, item, &it, err, sizeof err), BATON_ENOENT);
    status_of_handoff(handoff_id, "sent");
    assert_int_equal(pending_records(agency), 1);

    assert_int_equal(bh_outbox_recover(agency, bh_resolve_one, firm, &left), 0);
    assert_int_equal(left, 0);
    assert_int_equal(bh_store_inbox_get(firm->store, item, &it, err, sizeof err), 0);
    assert_string_equal(it.status, "pending");
    assert_string_equal(it.handoff_id, handoff_id);
    assert_int_equal(count_audit(firm, "handoff.received", item), 1);
    /* Delivered once, however often recovery runs. */
    assert_int_equal(bh_outbox_recover(agency, bh_resolve_one, firm, &left), 0);
    assert_int_equal(count_audit(firm, "handoff.received", item), 1);

    bh_handoff_error e;
    cJSON *answer = NULL;
    assert_int_equal(bh_inbox_reject(firm, item, "tidy up", agency, &answer, &e), 0);
    cJSON_Delete(answer);
    status_of_handoff(handoff_id, "rejected");
}

static void a_receipt_lost_with_a_crash_is_delivered_again_at_start(void **state)
{
    (void)state;
    char handoff_id[40], item[40];
    bh_handoff_error e;
    cJSON *answer = NULL;
    size_t left = 99;
    hand_over(handoff_id);
    bh_inbox_id_for("northwind", handoff_id, item);
    /* No agency to deliver to: the receipt stays in the firm's outbox. */
    assert_int_equal(bh_inbox_accept(firm, item, &agency->keys->sign_pub, 1, NULL, &answer, &e), 0);
    assert_string_equal(cJSON_GetObjectItem(answer, "status")->valuestring, "accepted");
    cJSON_Delete(answer);
    status_of_handoff(handoff_id, "sent");
    assert_int_equal(pending_records(firm), 1);

    assert_int_equal(bh_outbox_recover(firm, bh_resolve_one, agency, &left), 0);
    assert_int_equal(left, 0);
    status_of_handoff(handoff_id, "accepted");
    assert_int_equal(bh_handoff_describe(agency, handoff_id, &answer, &e), 0);
    assert_true(
        cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(answer, "receipt"), "verified")));
    cJSON_Delete(answer);
    assert_int_equal(count_audit(agency, "receipt.received", handoff_id), 1);
    assert_int_equal(bh_outbox_recover(firm, bh_resolve_one, agency, &left), 0);
    assert_int_equal(count_audit(agency, "receipt.received", handoff_id), 1);
}

static void an_accept_cut_short_before_its_commit_can_be_done_again(void **state)
{
    (void)state;
    char handoff_id[40], item[40], dir[PATH_MAX], path[PATH_MAX + 64];
    bh_handoff_error e;
    cJSON *answer = NULL;
    hand_over(handoff_id);
    bh_inbox_id_for("northwind", handoff_id, item);
    /* What an accept killed after extracting leaves: a bag, no decision. */
    bh_tenant_state_path(firm, "cases", item, dir, sizeof dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(path, sizeof path, "%s/bag", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/bag/half-written", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(bh_inbox_accept(firm, item, &agency->keys->sign_pub, 1, agency, &answer, &e),
                     0);
    assert_int_equal(e.http_status, 200);
    assert_string_equal(cJSON_GetObjectItem(answer, "status")->valuestring, "accepted");
    cJSON_Delete(answer);
    assert_int_not_equal(access(path, F_OK), 0);
    status_of_handoff(handoff_id, "accepted");
}

/* Runs sql on st's store file through a second connection. */
static void on_store_file(bh_tenant_state *st, const char *sql)
{
    char path[PATH_MAX], *msg = NULL;
    sqlite3 *db;
    bh_tenant_state_path(st, "store.db", NULL, path, sizeof path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

#define AUDIT_FAILS                                                                                \
    "CREATE TRIGGER audit_fails BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full'); "   \
    "END"

static void a_handoff_whose_audit_record_cannot_be_written_is_not_made(void **state)
{
    (void)state;
    char err[256];
    bh_handoff_error e;
    cJSON *answer = NULL, *before, *after, *inbox_before, *inbox_after;
    assert_int_equal(bh_store_handoff_list(agency->store, &before, err, sizeof err), 0);
    assert_int_equal(bh_store_inbox_list(firm->store, &inbox_before, err, sizeof err), 0);
    on_store_file(agency, AUDIT_FAILS);
    bh_handoff_target to = {.name = "harbor-law", .tenant = firm};
    assert_true(bh_handoff_create(agency, case_json, strlen(case_json), NULL, 0, &to,
                                  BH_HANDOFF_TTL_DEFAULT, &answer, &e) < 0);
    on_store_file(agency, "DROP TRIGGER audit_fails");
    assert_null(answer);
    assert_int_equal(e.http_status, 500);
    assert_string_equal(e.code, "audit_failed");
    assert_int_equal(bh_store_handoff_list(agency->store, &after, err, sizeof err), 0);
    assert_int_equal(bh_store_inbox_list(firm->store, &inbox_after, err, sizeof err), 0);
    assert_int_equal(cJSON_GetArraySize(after), cJSON_GetArraySize(before));
    assert_int_equal(cJSON_GetArraySize(inbox_after), cJSON_GetArraySize(inbox_before));
    assert_int_equal(pending_records(agency), 0);
    cJSON_Delete(before);
    cJSON_Delete(after);
    cJSON_Delete(inbox_before);
    cJSON_Delete(inbox_after);
}

static void an_accept_whose_audit_record_cannot_be_written_is_not_made(void **state)
{
    (void)state;
    char handoff_id[40], item[40], err[256], dir[PATH_MAX];
    bh_handoff_error e;
    bh_inbox_item it;
    cJSON *answer = NULL;
    hand_over(handoff_id);
    bh_inbox_id_for("northwind", handoff_id, item);
    on_store_file(firm, AUDIT_FAILS);
    assert_true(bh_inbox_accept(firm, item, &agency->keys->sign_pub, 1, agency, &answer, &e) < 0);
    on_store_file(firm, "DROP TRIGGER audit_fails");
    assert_string_equal(e.code, "audit_failed");
    assert_int_equal(bh_store_inbox_get(firm->store, item, &it, err, sizeof err), 0);
    assert_string_equal(it.status, "pending");
    bh_tenant_state_path(firm, "cases", item, dir, sizeof dir);
    assert_int_not_equal(access(dir, F_OK), 0);
    status_of_handoff(handoff_id, "sent");
    /* Nothing was recorded in the ledger either: the accept can be made. */
    assert_int_equal(bh_inbox_accept(firm, item, &agency->keys->sign_pub, 1, agency, &answer, &e),
                     0);
    assert_string_equal(cJSON_GetObjectItem(answer, "status")->valuestring, "accepted");
    cJSON_Delete(answer);
    status_of_handoff(handoff_id, "accepted");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(handoff_is_accepted_and_the_agency_sees_a_verified_receipt),
        cmocka_unit_test(an_untrusted_sender_is_rejected_with_a_signed_receipt),
        cmocka_unit_test(a_tenant_cannot_pack_another_tenants_document),
        cmocka_unit_test(declining_sends_a_declined_receipt),
        cmocka_unit_test(a_delivery_cut_short_after_the_commit_is_finished_at_start),
        cmocka_unit_test(a_receipt_lost_with_a_crash_is_delivered_again_at_start),
        cmocka_unit_test(an_accept_cut_short_before_its_commit_can_be_done_again),
        cmocka_unit_test(a_handoff_whose_audit_record_cannot_be_written_is_not_made),
        cmocka_unit_test(an_accept_whose_audit_record_cannot_be_written_is_not_made),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
