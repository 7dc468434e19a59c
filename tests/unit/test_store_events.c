/*
 * test_store_events.c - the case events a tenant store keeps
 * (store_events.c) on a real SQLite file: the two unique keys, append-only
 * rows, the last of a chain, lookups by event id and by kind after a
 * position, listing in order of arrival (by handoff or all, after a
 * position, limited, stopped by the visitor), and the outbox records of one
 * kind and handoff in commit order.
 */
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
    snprintf(path, sizeof path, "/tmp/baton-test-store-events-%d-XXXXXX", (int)getpid());
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

static int add(bh_store *s, const char *handoff, const char *role, const char *sender, int64_t seq,
               const char *event_id, const char *line)
{
    char err[256];
    bh_stored_event e;
    memset(&e, 0, sizeof e);
    snprintf(e.handoff_id, sizeof e.handoff_id, "%s", handoff);
    snprintf(e.role, sizeof e.role, "%s", role);
    snprintf(e.sender, sizeof e.sender, "%s", sender);
    e.seq = seq;
    snprintf(e.event_id, sizeof e.event_id, "%s", event_id);
    snprintf(e.kind, sizeof e.kind, "contact");
    snprintf(e.date, sizeof e.date, "2026-03-02");
    e.line = (char *)line;
    e.minisig = (char *)"sig";
    int rc = bh_store_event_add(s, &e, err, sizeof err);
    return rc == 0 ? (int)e.pos : rc;
}

static void both_keys_are_unique_and_rows_append_only(void **state)
{
    (void)state;
    char err[256];
    bh_store *s;
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(add(s, "ho_a", "firm", "harbor-law", 1, "e1", "l1\n"), 1);
    assert_int_equal(add(s, "ho_a", "agency", "northwind", 1, "e1", "a1\n"), 2);
    /* The same seq of the same chain; the same event id of the same sender. */
    assert_int_equal(add(s, "ho_a", "firm", "harbor-law", 1, "e9", "x\n"), BATON_EEXIST);
    assert_int_equal(add(s, "ho_a", "firm", "harbor-law", 2, "e1", "x\n"), BATON_EEXIST);
    /* Another handoff has its own chains and ids. */
    assert_int_equal(add(s, "ho_b", "firm", "harbor-law", 1, "e1", "b1\n"), 3);
    bh_store_close(s);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE events SET line = 'forged'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM events WHERE pos = 1", NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    int64_t n;
    assert_int_equal(bh_store_event_count(s, "ho_a", &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    bh_store_close(s);
}

static void last_of_a_chain_and_lookup_by_event_id(void **state)
{
    (void)state;
    char err[256];
    bh_store *s;
    bh_stored_event e;
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(bh_store_event_last(s, "ho_a", "firm", &e, err, sizeof err), BATON_ENOENT);
    add(s, "ho_a", "firm", "harbor-law", 1, "e1", "l1\n");
    add(s, "ho_a", "firm", "harbor-law", 2, "e2", "l2\n");
    add(s, "ho_a", "agency", "northwind", 1, "n1", "a1\n");
    assert_int_equal(bh_store_event_last(s, "ho_a", "firm", &e, err, sizeof err), 0);
    assert_int_equal(e.seq, 2);
    assert_string_equal(e.line, "l2\n");
    assert_string_equal(e.minisig, "sig");
    bh_stored_event_clear(&e);
    assert_int_equal(bh_store_event_last(s, "ho_a", "agency", &e, err, sizeof err), 0);
    assert_string_equal(e.event_id, "n1");
    bh_stored_event_clear(&e);
    assert_int_equal(bh_store_event_by_id(s, "ho_a", "harbor-law", "e1", &e, err, sizeof err), 0);
    assert_int_equal(e.seq, 1);
    assert_string_equal(e.date, "2026-03-02");
    bh_stored_event_clear(&e);
    assert_int_equal(bh_store_event_by_id(s, "ho_a", "northwind", "e1", &e, err, sizeof err),
                     BATON_ENOENT);
    /* The first event of a role and kind after a position. */
    int64_t pos = 0;
    assert_int_equal(bh_store_event_find(s, "ho_a", "firm", "contact", 0, &pos, err, sizeof err),
                     0);
    assert_int_equal(pos, 1);
    assert_int_equal(bh_store_event_find(s, "ho_a", "firm", "contact", 1, &pos, err, sizeof err),
                     0);
    assert_int_equal(pos, 2);
    assert_int_equal(bh_store_event_find(s, "ho_a", "firm", "contact", 2, &pos, err, sizeof err),
                     BATON_ENOENT);
    assert_int_equal(bh_store_event_find(s, "ho_a", "agency", "closed", 0, &pos, err, sizeof err),
                     BATON_ENOENT);
    bh_store_close(s);
}

typedef struct seen {
    char ids[16][8];
    int64_t pos[16];
    int n, stop_at;
} seen;

static int visit(void *ctx, const bh_stored_event *e)
{
    seen *v = ctx;
    snprintf(v->ids[v->n], sizeof v->ids[v->n], "%s", e->event_id);
    v->pos[v->n++] = e->pos;
    return v->n == v->stop_at ? 7 : 0;
}

static void listing_follows_arrival_after_a_position(void **state)
{
    (void)state;
    char err[256];
    bh_store *s;
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    add(s, "ho_a", "firm", "harbor-law", 1, "a1", "1\n");
    add(s, "ho_b", "firm", "harbor-law", 1, "b1", "2\n");
    add(s, "ho_a", "agency", "northwind", 1, "a2", "3\n");
    add(s, "ho_a", "firm", "harbor-law", 2, "a3", "4\n");
    seen v = {.stop_at = 0};
    assert_int_equal(bh_store_events_list(s, "ho_a", 0, 0, visit, &v, err, sizeof err), 0);
    assert_int_equal(v.n, 3);
    assert_string_equal(v.ids[0], "a1");
    assert_string_equal(v.ids[1], "a2");
    assert_string_equal(v.ids[2], "a3");
    seen after = {.stop_at = 0};
    assert_int_equal(bh_store_events_list(s, "ho_a", v.pos[0], 1, visit, &after, err, sizeof err),
                     0);
    assert_int_equal(after.n, 1);
    assert_string_equal(after.ids[0], "a2");
    seen all = {.stop_at = 0};
    assert_int_equal(bh_store_events_list(s, NULL, 0, 0, visit, &all, err, sizeof err), 0);
    assert_int_equal(all.n, 4);
    assert_string_equal(all.ids[1], "b1");
    seen stopped = {.stop_at = 2};
    assert_int_equal(bh_store_events_list(s, NULL, 0, 0, visit, &stopped, err, sizeof err), 7);
    assert_int_equal(stopped.n, 2);
    bh_store_close(s);
}

static void outbox_records_of_one_handoff_in_commit_order(void **state)
{
    (void)state;
    char err[256], ids[4][40];
    bh_store *s;
    bh_outbox_record *r;
    size_t n;
    assert_int_equal(bh_store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(
        bh_store_outbox_add(s, "event", "northwind", "ho_a", "{\"n\":1}", ids[0], err, sizeof err),
        0);
    assert_int_equal(
        bh_store_outbox_add(s, "receipt", "northwind", "ho_a", "{}", ids[1], err, sizeof err), 0);
    assert_int_equal(
        bh_store_outbox_add(s, "event", "northwind", "ho_b", "{}", ids[2], err, sizeof err), 0);
    assert_int_equal(
        bh_store_outbox_add(s, "event", "northwind", "ho_a", "{\"n\":2}", ids[3], err, sizeof err),
        0);
    assert_int_equal(bh_store_outbox_pending_for(s, "event", "ho_a", 10, &r, &n, err, sizeof err),
                     0);
    assert_int_equal(n, 2);
    assert_string_equal(r[0].id, ids[0]);
    assert_string_equal(r[1].id, ids[3]);
    assert_string_equal(r[1].payload, "{\"n\":2}");
    bh_outbox_records_free(r, n);
    assert_int_equal(bh_store_outbox_pending(s, NULL, 10, &r, &n, err, sizeof err), 0);
    assert_int_equal(n, 4);
    bh_outbox_records_free(r, n);
    bh_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(both_keys_are_unique_and_rows_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(last_of_a_chain_and_lookup_by_event_id, setup, teardown),
        cmocka_unit_test_setup_teardown(listing_follows_arrival_after_a_position, setup, teardown),
        cmocka_unit_test_setup_teardown(outbox_records_of_one_handoff_in_commit_order, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
