/*
 * test_plugin_common.c - plugins/common: dated tables (lookup on both sides
 * of every change and of the horizon, overrides from config with their
 * errors, the params.* facts and the beyond-horizon warning) and court
 * calendars (closed days by region, deadlines moved and not moved, the
 * facts next to the date, the warning outside the covered years), element
 * paths, and the one-pass reads of documents[] and letters_sent[].
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "court_calendar.h"
#include "dated_table.h"
#include "case_view.h"
#include "host_api.h"
#include "result.h"

static const bpc_dated_value rate_values[] = {
    {{2025, 1, 1}, 227, NULL},
    {{2025, 7, 1}, 127, NULL},
    {{2026, 7, 1}, 152, NULL},
};
static const bpc_dated_table rates = {
    .name = "test_rate",
    .version = "2026-07-01",
    .source = "test source",
    .horizon = {2026, 12, 31},
    .values = rate_values,
    .n = 3,
};

static baton_date D(int y, int m, int d)
{
    baton_date r = {y, m, d};
    return r;
}

static void test_lookup_edges(void **s)
{
    (void)s;
    const bpc_dated_value *v = NULL;
    assert_int_equal(bpc_dated_check(&rates), 0);
    assert_int_equal(bpc_dated_lookup(&rates, D(2024, 12, 31), &v), BATON_ENOENT);
    assert_int_equal(bpc_dated_lookup(&rates, D(2025, 1, 1), &v), 0);
    assert_int_equal(v->value, 227);
    assert_int_equal(bpc_dated_lookup(&rates, D(2025, 6, 30), &v), 0);
    assert_int_equal(v->value, 227);
    assert_int_equal(bpc_dated_lookup(&rates, D(2025, 7, 1), &v), 0);
    assert_int_equal(v->value, 127);
    assert_int_equal(bpc_dated_lookup(&rates, D(2026, 6, 30), &v), 0);
    assert_int_equal(v->value, 127);
    assert_int_equal(bpc_dated_lookup(&rates, D(2026, 7, 1), &v), 0);
    assert_int_equal(v->value, 152);
    assert_int_equal(bpc_dated_lookup(&rates, D(2026, 12, 31), &v), 0);
    assert_int_equal(bpc_dated_lookup(&rates, D(2027, 1, 1), &v), BPC_BEYOND_HORIZON);
    assert_int_equal(v->value, 152);
}

static void test_check_refuses_unsorted(void **s)
{
    (void)s;
    bpc_dated_value bad[] = {{{2025, 7, 1}, 1, NULL}, {{2025, 7, 1}, 2, NULL}};
    bpc_dated_table t = rates;
    t.values = bad;
    t.n = 2;
    assert_int_equal(bpc_dated_check(&t), BATON_EINVAL);
    t.n = 0;
    assert_int_equal(bpc_dated_check(&t), BATON_EINVAL);
}

static bpc_dated_table *from_config(const char *json, int *rc, char *err, size_t errlen)
{
    cJSON *root = cJSON_Parse(json);
    bpc_dated_table *t = NULL;
    assert_non_null(root);
    baton_view v = bh_view_of(root);
    *rc = bpc_dated_table_from_config(bh_host_api(), &v, "params.test_rate", "value", &rates, &t,
                                      err, errlen);
    cJSON_Delete(root);
    return t;
}

static void test_override_from_config(void **s)
{
    (void)s;
    char err[256] = "";
    int rc;
    const bpc_dated_value *v;
    bpc_dated_table *t = from_config(
        "{\"params\":{\"test_rate\":{\"version\":\"tenant-1\",\"horizon\":\"2027-06-30\","
        "\"values\":[{\"from\":\"2020-01-01\",\"value\":5},{\"from\":\"2027-01-01\",\"value\":9}]}}"
        "}",
        &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    assert_non_null(t);
    assert_string_equal(t->name, "test_rate");
    assert_string_equal(t->version, "tenant-1");
    assert_string_equal(t->source, "tenant plugin config");
    assert_int_equal(bpc_dated_lookup(t, D(2027, 3, 1), &v), 0);
    assert_int_equal(v->value, 9);
    assert_int_equal(bpc_dated_lookup(t, D(2027, 7, 1), &v), BPC_BEYOND_HORIZON);
    bpc_dated_table_free(t);

    /* Absent: the shipped table stays. */
    t = from_config("{}", &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    assert_null(t);
}

static void test_override_errors_name_the_path(void **s)
{
    (void)s;
    char err[256] = "";
    int rc;
    bpc_dated_table *t = from_config(
        "{\"params\":{\"test_rate\":{\"version\":\"x\",\"values\":[{\"from\":\"2027-01-01\","
        "\"value\":1},{\"from\":\"2026-01-01\",\"value\":2}]}}}",
        &rc, err, sizeof err);
    assert_int_equal(rc, BATON_EINVAL);
    assert_null(t);
    assert_string_equal(err, "config.params.test_rate.values[1].from: dates must be strictly "
                             "ascending");
    t = from_config("{\"params\":{\"test_rate\":{\"values\":[{\"from\":\"2027-01-01\","
                    "\"value\":1}]}}}",
                    &rc, err, sizeof err);
    assert_int_equal(rc, BATON_EINVAL);
    assert_string_equal(err, "config.params.test_rate.version: is required");
    t = from_config("{\"params\":{\"test_rate\":{\"version\":\"x\",\"values\":[{\"from\":"
                    "\"2027-01-01\",\"value\":\"1\"}]}}}",
                    &rc, err, sizeof err);
    assert_int_equal(rc, BATON_EINVAL);
    assert_string_equal(err, "config.params.test_rate.values[0].value: must be an integer");
    t = from_config("{\"params\":{\"test_rate\":[]}}", &rc, err, sizeof err);
    assert_int_equal(rc, BATON_EINVAL);
    assert_null(t);
}

/* Two entries of a tenant override for the same date are refused as well
 * ("strictly ascending"): which one applies would be a guess. */
static void test_override_with_a_repeated_date_is_refused(void **s)
{
    (void)s;
    char err[256] = "";
    int rc;
    bpc_dated_table *t = from_config(
        "{\"params\":{\"test_rate\":{\"version\":\"x\",\"values\":[{\"from\":\"2026-01-01\","
        "\"value\":1},{\"from\":\"2026-01-01\",\"value\":2}]}}}",
        &rc, err, sizeof err);
    assert_int_equal(rc, BATON_EINVAL);
    assert_null(t);
    assert_string_equal(err, "config.params.test_rate.values[1].from: dates must be strictly "
                             "ascending");
}

static void test_note_sets_version_and_warns_once(void **s)
{
    (void)s;
    baton_result *r = bh_result_new();
    const baton_host_api *api = bh_host_api();
    assert_non_null(r);
    assert_int_equal(bpc_dated_note(api, r, &rates, D(2026, 8, 1)), 0);
    assert_int_equal(bpc_dated_note(api, r, &rates, D(2026, 8, 1)), 0);
    assert_int_equal(bpc_dated_note(api, r, &rates, D(2027, 2, 1)), 0);
    assert_int_equal(bpc_dated_note(api, r, &rates, D(2027, 3, 1)), 0);
    cJSON *j = bh_result_take(r);
    const cJSON *p = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(j, "facts"), "params"), "test_rate");
    assert_string_equal(cJSON_GetObjectItem(p, "version")->valuestring, "2026-07-01");
    assert_string_equal(cJSON_GetObjectItem(p, "source")->valuestring, "test source");
    assert_string_equal(cJSON_GetObjectItem(p, "horizon")->valuestring, "2026-12-31");
    const cJSON *f = cJSON_GetObjectItem(j, "findings");
    assert_int_equal(cJSON_GetArraySize(f), 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(f, 0), "code")->valuestring,
                        "params_beyond_horizon");
    assert_non_null(
        strstr(cJSON_GetObjectItem(cJSON_GetArrayItem(f, 0), "text")->valuestring, "test_rate"));
    cJSON_Delete(j);
    bh_result_free(r);
}

/* 2026: 25 Dec is a Friday, 28 Dec the Boxing Day substitute; region bit 1
 * has a holiday on Monday 4 May only there. */
static const bpc_holiday test_days[] = {
    {{2026, 5, 4}, "Regional Day", 1u << 1},
    {{2026, 12, 25}, "Christmas Day", 0},
    {{2026, 12, 28}, "Boxing Day (substitute day)", 0},
};
static const bpc_court_calendar cal = {
    .name = "test_calendar",
    .version = "v1",
    .source = "test days",
    .first_year = 2026,
    .last_year = 2026,
    .weekend_closed = 1,
    .days = test_days,
    .n = 3,
};

static void test_closed_days_by_region(void **s)
{
    (void)s;
    const char *why = NULL;
    int beyond = 0;
    assert_int_equal(bpc_calendar_check(&cal), 0);
    assert_int_equal(bpc_calendar_closed(&cal, D(2026, 5, 4), 0, &why, &beyond), 0);
    assert_int_equal(bpc_calendar_closed(&cal, D(2026, 5, 4), 1u << 2, &why, &beyond), 0);
    assert_int_equal(bpc_calendar_closed(&cal, D(2026, 5, 4), 1u << 1, &why, &beyond), 1);
    assert_string_equal(why, "Regional Day");
    assert_int_equal(bpc_calendar_closed(&cal, D(2026, 12, 27), 0, &why, &beyond), 1);
    assert_string_equal(why, "Sunday");
    assert_int_equal(bpc_calendar_closed(&cal, D(2026, 12, 29), 0, &why, &beyond), 0);
    assert_null(why);
    assert_int_equal(beyond, 0);
    assert_int_equal(bpc_calendar_closed(&cal, D(2027, 1, 1), 0, &why, &beyond), 0);
    assert_int_equal(beyond, 1);
}

static void test_deadline_moved_over_christmas(void **s)
{
    (void)s;
    bpc_deadline dl;
    assert_int_equal(bpc_deadline_move(&cal, D(2026, 12, 25), 0, "rule X", &dl), 0);
    assert_true(dl.moved);
    assert_int_equal(baton_date_cmp(dl.date, D(2026, 12, 29)), 0);
    assert_string_equal(dl.rule, "rule X");
    assert_string_equal(dl.closed_day, "Christmas Day");

    baton_result *r = bh_result_new();
    assert_int_equal(bpc_deadline_report(bh_host_api(), r, &cal, "limitation.deadline", &dl), 0);
    cJSON *j = bh_result_take(r);
    const cJSON *lim = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "facts"), "limitation");
    assert_string_equal(cJSON_GetObjectItem(lim, "deadline")->valuestring, "2026-12-29");
    assert_string_equal(cJSON_GetObjectItem(lim, "deadline_moved_by")->valuestring, "rule X");
    assert_string_equal(cJSON_GetObjectItem(lim, "deadline_unmoved")->valuestring, "2026-12-25");
    assert_string_equal(cJSON_GetObjectItem(lim, "deadline_closed_day")->valuestring,
                        "Christmas Day");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "findings")), 0);
    cJSON_Delete(j);
    bh_result_free(r);
}

static void test_deadline_on_open_day_not_moved(void **s)
{
    (void)s;
    bpc_deadline dl;
    assert_int_equal(bpc_deadline_move(&cal, D(2026, 12, 24), 0, "rule X", &dl), 0);
    assert_false(dl.moved);
    assert_int_equal(baton_date_cmp(dl.date, D(2026, 12, 24)), 0);
    baton_result *r = bh_result_new();
    assert_int_equal(bpc_deadline_report(bh_host_api(), r, &cal, "x.deadline", &dl), 0);
    cJSON *j = bh_result_take(r);
    const cJSON *x = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "facts"), "x");
    assert_string_equal(cJSON_GetObjectItem(x, "deadline_moved_by")->valuestring, "none");
    assert_null(cJSON_GetObjectItem(x, "deadline_unmoved"));
    cJSON_Delete(j);
    bh_result_free(r);
}

static void test_deadline_beyond_calendar_warns(void **s)
{
    (void)s;
    bpc_deadline dl;
    /* 2 January 2027 is a Saturday: moved to Monday 4 January, holidays unknown. */
    assert_int_equal(bpc_deadline_move(&cal, D(2027, 1, 2), 0, "rule X", &dl), 0);
    assert_int_equal(baton_date_cmp(dl.date, D(2027, 1, 4)), 0);
    assert_true(dl.beyond_horizon);
    baton_result *r = bh_result_new();
    assert_int_equal(bpc_deadline_report(bh_host_api(), r, &cal, "x.deadline", &dl), 0);
    cJSON *j = bh_result_take(r);
    const cJSON *f = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "findings"), 0);
    assert_non_null(f);
    assert_string_equal(cJSON_GetObjectItem(f, "code")->valuestring, "calendar_beyond_horizon");
    assert_non_null(strstr(cJSON_GetObjectItem(f, "text")->valuestring, "test_calendar"));
    cJSON_Delete(j);
    bh_result_free(r);
}

/* The host's API with view_string and view_date counted: how many
 * lookups a reader makes is what it costs the host. */
static const baton_host_api *real_api;
static size_t n_view_string, n_view_date;

static int counting_view_string(const baton_view *v, const char *path, const char **out)
{
    n_view_string++;
    return real_api->view_string(v, path, out);
}

static int counting_view_date(const baton_view *v, const char *path, baton_date *out)
{
    n_view_date++;
    return real_api->view_date(v, path, out);
}

static baton_host_api counting_api(void)
{
    baton_host_api a = *bh_host_api();
    real_api = bh_host_api();
    a.view_string = counting_view_string;
    a.view_date = counting_view_date;
    n_view_string = n_view_date = 0;
    return a;
}

static const char census_case[] =
    "{\"documents\":[{\"kind\":\"invoice\"},{\"kind\":\"agreement\",\"ref\":\"A\"},"
    "{\"kind\":\"invoice\"},{\"kind\":\"dispute\"},{\"kind\":\"not_a_kind\"},{\"ref\":\"no kind\"},"
    "{\"kind\":\"dispute_answer\"},{\"kind\":\"statement\"},{\"kind\":\"dispute\"}],"
    "\"letters_sent\":[{\"kind\":\"reminder\",\"date\":\"2025-03-01\"},"
    "{\"kind\":\"final_demand\",\"date\":\"2025-05-01\",\"method\":\"email\"},"
    "{\"kind\":\"reminder\",\"date\":\"2025-04-01\"},"
    "{\"kind\":\"final_demand\",\"date\":\"2025-05-01\",\"method\":\"hand\"},"
    "{\"kind\":\"final_demand\",\"date\":\"not a date\"},"
    "{\"kind\":\"letter_of_claim\",\"date\":\"2025-02-01\"}]}";

/* census_case parsed (the caller deletes *root) and its view, with the
 * counting API in *a. */
static baton_view census_view(cJSON **root, baton_host_api *a)
{
    *root = cJSON_Parse(census_case);
    assert_non_null(*root);
    *a = counting_api();
    return bh_view_of(*root);
}

/* One pass: each entry's kind read once, the counts and first entries
 * those of one bpc_count_documents pass per kind. */
static void test_documents_read_once_for_every_kind(void **s)
{
    static const char *const kinds[BPC_DOC_KINDS] = {
        "agreement",          "invoice",           "statement",
        "proof_of_delivery",  "communication_log", "identity_check",
        "collection_attempt", "dispute",           "dispute_answer"};
    cJSON *root;
    baton_host_api a;
    baton_view v = census_view(&root, &a);
    bpc_documents d;
    (void)s;
    bpc_documents_read(&a, &v, &d);
    assert_int_equal(n_view_string, 9);
    for (int k = 0; k < BPC_DOC_KINDS; k++)
        assert_int_equal(d.count[k], (size_t)bpc_count_documents(bh_host_api(), &v, kinds[k]));
    assert_int_equal(d.count[BPC_DOC_INVOICE], 2);
    assert_int_equal(d.first[BPC_DOC_INVOICE], 0);
    assert_int_equal(d.first[BPC_DOC_AGREEMENT], 1);
    assert_int_equal(d.first[BPC_DOC_DISPUTE], 3);
    assert_int_equal(d.count[BPC_DOC_DISPUTE], 2);
    assert_int_equal(bpc_unanswered_disputes(bh_host_api(), &v), 1);
    cJSON_Delete(root);
}

/* One pass: dates read only for the kinds asked for; the latest (ties keep
 * the earlier entry, undated entries count but are never latest) as
 * bpc_latest_letter finds it, with its method. */
static void test_letters_read_once_latest_as_before(void **s)
{
    static const char *const kinds[BPC_LETTER_KINDS] = {"reminder",        "final_demand",
                                                        "letter_of_claim", "validation_notice",
                                                        "first_demand",    "fourteen_day_letter"};
    cJSON *root;
    baton_host_api a;
    baton_view v = census_view(&root, &a);
    bpc_letters l;
    (void)s;
    bpc_letters_read(&a, &v, BPC_LETTER_BIT(BPC_LETTER_FINAL_DEMAND), &l);
    assert_int_equal(n_view_string, 6);
    assert_int_equal(n_view_date, 3);
    assert_int_equal(l.count[BPC_LETTER_REMINDER], 2);
    assert_int_equal(l.count[BPC_LETTER_FINAL_DEMAND], 3);
    assert_int_equal(l.latest[BPC_LETTER_REMINDER], -1); /* not asked for */
    assert_int_equal(l.latest[BPC_LETTER_FINAL_DEMAND], 1);
    assert_string_equal(bpc_letter_method(bh_host_api(), &v, 1), "email");
    assert_string_equal(bpc_letter_method(bh_host_api(), &v, 0), "post");

    bpc_letters_read(bh_host_api(), &v, ~0u, &l);
    for (int k = 0; k < BPC_LETTER_KINDS; k++) {
        baton_date want = {0, 0, 0};
        const char *method = NULL;
        int found = bpc_latest_letter(bh_host_api(), &v, kinds[k], &want, &method);
        assert_int_equal(l.latest[k] >= 0, found);
        if (found) {
            assert_int_equal(baton_date_cmp(l.date[k], want), 0);
            assert_string_equal(bpc_letter_method(bh_host_api(), &v, (size_t)l.latest[k]), method);
        }
    }
    assert_int_equal(l.latest[BPC_LETTER_REMINDER], 2);
    assert_int_equal(l.latest[BPC_LETTER_LETTER_OF_CLAIM], 5);
    cJSON_Delete(root);
}

/* Kinds are told by their first bytes and one comparison: each name, and
 * near misses of each (a byte short, a byte more, the first byte or two
 * alone, one byte changed), counted as strcmp against every name counts
 * them. */
static void test_kinds_told_apart_from_near_misses(void **s)
{
    static const char *const docs[BPC_DOC_KINDS] = {
        "agreement",          "invoice",           "statement",
        "proof_of_delivery",  "communication_log", "identity_check",
        "collection_attempt", "dispute",           "dispute_answer"};
    static const char *const letters[BPC_LETTER_KINDS] = {"reminder",        "final_demand",
                                                          "letter_of_claim", "validation_notice",
                                                          "first_demand",    "fourteen_day_letter"};
    static const char *const others[] = {"",  "d",  "di", "dispute_", "f",   "fi",  "fin", "fo",
                                         "i", "in", "id", "co",       "col", "com", "c",   "final"};
    char json[16384], word[64];
    size_t o = 0;
    cJSON *root;
    baton_view v;
    bpc_documents d;
    bpc_letters l;
    (void)s;
    /* Every name of both tables, with its near misses, in both lists. */
    o += (size_t)snprintf(json + o, sizeof json - o, "{\"documents\":[");
    for (int pass = 0; pass < 2; pass++) {
        int first = 1;
        if (pass == 1)
            o += (size_t)snprintf(json + o, sizeof json - o, "],\"letters_sent\":[");
        for (size_t t = 0; t < BPC_DOC_KINDS + BPC_LETTER_KINDS + sizeof others / sizeof *others;
             t++) {
            const char *name = t < BPC_DOC_KINDS ? docs[t]
                               : t < BPC_DOC_KINDS + BPC_LETTER_KINDS
                                   ? letters[t - BPC_DOC_KINDS]
                                   : others[t - BPC_DOC_KINDS - BPC_LETTER_KINDS];
            size_t n = strlen(name);
            for (int m = 0; m < 5; m++) {
                memcpy(word, name, n + 1);
                if (m == 1 && n > 0)
                    word[n - 1] = '\0';
                else if (m == 2)
                    memcpy(word + n, "s", 2);
                else if (m == 3 && n > 2)
                    word[2] = '\0';
                else if (m == 4 && n > 3)
                    word[n / 2] = 'Q';
                o += (size_t)snprintf(json + o, sizeof json - o,
                                      "%s{\"kind\":\"%s\",\"date\":\"2025-01-01\"}",
                                      first ? "" : ",", word);
                first = 0;
                assert_true(o < sizeof json);
            }
        }
    }
    o += (size_t)snprintf(json + o, sizeof json - o, "]}");
    assert_true(o < sizeof json);
    root = cJSON_Parse(json);
    assert_non_null(root);
    v = bh_view_of(root);
    bpc_documents_read(bh_host_api(), &v, &d);
    for (int k = 0; k < BPC_DOC_KINDS; k++) {
        assert_int_equal(d.count[k], (size_t)bpc_count_documents(bh_host_api(), &v, docs[k]));
        assert_true(d.count[k] >= 1);
    }
    bpc_letters_read(bh_host_api(), &v, 0, &l);
    for (int k = 0; k < BPC_LETTER_KINDS; k++) {
        size_t want = 0, n = 0;
        bh_host_api()->view_count(&v, "letters_sent", &n);
        for (size_t i = 0; i < n; i++) {
            char path[48];
            snprintf(path, sizeof path, "letters_sent[%zu].kind", i);
            want += strcmp(bpc_str(bh_host_api(), &v, path, ""), letters[k]) == 0;
        }
        assert_int_equal(l.count[k], want);
        assert_true(want >= 1);
    }
    cJSON_Delete(root);
}

/* bpc_path_at writes what snprintf("%s[%zu]%s") would, at every size. */
static void test_path_at_is_snprintf_at_every_size(void **s)
{
    static const struct {
        const char *before, *after;
        size_t index;
    } paths[] = {
        {"documents", ".kind", 0},
        {"letters_sent", ".enclosures", 12},
        {"", "", 7},
        {"claim.charges", ".amount", (size_t)-1},
        {"findings", ".status", 1000},
        {"a", "", 99},
    };
    (void)s;
    for (size_t p = 0; p < sizeof paths / sizeof paths[0]; p++) {
        char want[80], got[80];
        int n = snprintf(want, sizeof want, "%s[%zu]%s", paths[p].before, paths[p].index,
                         paths[p].after);
        for (size_t size = 1; size <= (size_t)n + 2; size++) {
            memset(got, 'x', sizeof got);
            snprintf(want, size, "%s[%zu]%s", paths[p].before, paths[p].index, paths[p].after);
            bpc_path_at(got, size, paths[p].before, paths[p].index, paths[p].after);
            assert_string_equal(got, want);
        }
    }
}

/* BPC_PATH_AT (literals, inline) writes what snprintf("%s[%zu]%s") would,
 * for indexes of one, two and more digits, at every size. */
static void test_path_at_literals_is_snprintf_at_every_size(void **s)
{
    static const size_t indexes[] = {0, 7, 9, 10, 42, 99, 100, 12345, (size_t)-1};
    (void)s;
    for (size_t k = 0; k < sizeof indexes / sizeof indexes[0]; k++) {
        size_t index = indexes[k];
        char want[80], got[80];
        int n = snprintf(want, sizeof want, "letters_sent[%zu].kind", index);
        for (size_t size = 1; size <= (size_t)n + 2; size++) {
            memset(got, 'x', sizeof got);
            snprintf(want, size, "letters_sent[%zu].kind", index);
            BPC_PATH_AT(got, size, "letters_sent", index, ".kind");
            assert_string_equal(got, want);
            memset(got, 'x', sizeof got);
            snprintf(want, size, "[%zu]", index);
            BPC_PATH_AT(got, size, "", index, "");
            assert_string_equal(got, want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup_edges),
        cmocka_unit_test(test_check_refuses_unsorted),
        cmocka_unit_test(test_override_from_config),
        cmocka_unit_test(test_override_errors_name_the_path),
        cmocka_unit_test(test_override_with_a_repeated_date_is_refused),
        cmocka_unit_test(test_note_sets_version_and_warns_once),
        cmocka_unit_test(test_closed_days_by_region),
        cmocka_unit_test(test_deadline_moved_over_christmas),
        cmocka_unit_test(test_deadline_on_open_day_not_moved),
        cmocka_unit_test(test_deadline_beyond_calendar_warns),
        cmocka_unit_test(test_path_at_is_snprintf_at_every_size),
        cmocka_unit_test(test_path_at_literals_is_snprintf_at_every_size),
        cmocka_unit_test(test_documents_read_once_for_every_kind),
        cmocka_unit_test(test_letters_read_once_latest_as_before),
        cmocka_unit_test(test_kinds_told_apart_from_near_misses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
