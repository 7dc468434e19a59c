/*
 * test_ygc_events.c - a firm's YGC records as case-event drafts: the
 * sample report maps line by line to the documented events, ids follow the
 * event (a fact reported twice gets one id), and every line that cannot be
 * mapped is named with its field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "baton/error.h"
#include "baton/ygc.h"
#include "ygc_events.h"

static const bh_ygc_placement_ids ids = {"NW-2026-0001", "3", "northwind", "harbor-law", "GBP"};

static char *slurp(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/ygc/%s", BATON_TEST_DATA_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

static cJSON *map(const char *data, size_t len, const bh_ygc_placement_ids *p, bh_ygc_judgment j)
{
    cJSON *out;
    char err[256];
    assert_int_equal(bh_ygc_events_from_file(data, len, p, j, &out, err, sizeof err), 0);
    return out;
}

static const cJSON *events_of(const cJSON *answer, int line)
{
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(answer, "lines"), line - 1);
    assert_non_null(e);
    assert_int_equal(cJSON_GetObjectItem(e, "line")->valueint, line);
    const cJSON *ev = cJSON_GetObjectItem(e, "events");
    if (ev == NULL) {
        char *t = cJSON_PrintUnformatted(e);
        fail_msg("line %d has no events: %s", line, t);
    }
    return ev;
}

/* The draft without its id, as compact JSON. */
static void draft_is(const cJSON *d, const char *want)
{
    cJSON *copy = cJSON_Duplicate(d, 1);
    const cJSON *id = cJSON_GetObjectItem(copy, "event_id");
    assert_true(cJSON_IsString(id));
    assert_int_equal(strlen(id->valuestring), 36);
    assert_memory_equal(id->valuestring, "ygc-", 4);
    cJSON_DeleteItemFromObject(copy, "event_id");
    char *got = cJSON_PrintUnformatted(copy);
    if (strcmp(got, want) != 0)
        fail_msg("got  %s\nwant %s", got, want);
    cJSON_free(got);
    cJSON_Delete(copy);
}

/* Whether the compact JSON of j contains s. */
static int contains(const cJSON *j, const char *s)
{
    char *t = cJSON_PrintUnformatted(j);
    int found = t != NULL && strstr(t, s) != NULL;
    cJSON_free(t);
    return found;
}

static const char *id_of(const cJSON *d)
{
    return cJSON_GetObjectItem(d, "event_id")->valuestring;
}

static void the_sample_report_maps_line_by_line(void **state)
{
    (void)state;
    size_t len;
    char *data = slurp("firm-report.ygc", &len);
    cJSON *a = map(data, len, &ids, BH_YGC_JUDGMENT_DEFAULT);
    assert_int_equal(cJSON_GetObjectItem(a, "problems")->valueint, 0);
    assert_int_equal(cJSON_GetObjectItem(a, "events")->valueint, 8);
    const cJSON *e = events_of(a, 1);
    assert_int_equal(cJSON_GetArraySize(e), 1);
    draft_is(cJSON_GetArrayItem(e, 0),
             "{\"kind\":\"contact\",\"date\":\"2026-03-10\",\"body\":{\"channel\":\"phone\","
             "\"note\":\"[*CC:S101] Called the debtor; promised to pay by Friday\"}}");
    e = events_of(a, 2);
    draft_is(cJSON_GetArrayItem(e, 0),
             "{\"kind\":\"suit_filed\",\"date\":\"2026-03-15\",\"body\":{\"court\":\"County "
             "Court Money Claims Centre\",\"court_case_number\":\"K00LV123\"}}");
    const char *suit_id = id_of(cJSON_GetArrayItem(e, 0));
    e = events_of(a, 3);
    assert_int_equal(cJSON_GetArraySize(e), 2);
    draft_is(cJSON_GetArrayItem(e, 0),
             "{\"kind\":\"payment_received\",\"date\":\"2026-04-01\",\"body\":{\"amount\":{"
             "\"amount\":\"500.00\",\"currency\":\"GBP\"},\"paid_to\":\"firm\"}}");
    const char *pay_id = id_of(cJSON_GetArrayItem(e, 0));
    char want[512];
    snprintf(want, sizeof want,
             "{\"kind\":\"remittance\",\"date\":\"2026-04-05\",\"body\":{\"amount\":{\"amount\":"
             "\"400.00\",\"currency\":\"GBP\"},\"covers\":[\"%s\"],\"fees_deducted\":{"
             "\"amount\":\"100.00\",\"currency\":\"GBP\"}}}",
             pay_id);
    draft_is(cJSON_GetArrayItem(e, 1), want);
    e = events_of(a, 4);
    draft_is(cJSON_GetArrayItem(e, 0),
             "{\"kind\":\"cost_incurred\",\"date\":\"2026-03-15\",\"body\":{\"amount\":{"
             "\"amount\":\"50.00\",\"currency\":\"GBP\"},\"category\":\"other\","
             "\"recoverable\":true}}");
    e = events_of(a, 5);
    assert_int_equal(cJSON_GetArraySize(e), 2);
    /* the suit repeated on the judgment's record is the same event */
    assert_string_equal(id_of(cJSON_GetArrayItem(e, 0)), suit_id);
    draft_is(cJSON_GetArrayItem(e, 1),
             "{\"kind\":\"judgment\",\"date\":\"2026-04-20\",\"body\":{\"amount\":{\"amount\":"
             "\"1300.00\",\"currency\":\"GBP\"},\"outcome\":\"default\"}}");
    e = events_of(a, 6);
    const cJSON *plan = cJSON_GetArrayItem(e, 0);
    assert_string_equal(cJSON_GetObjectItem(plan, "kind")->valuestring, "payment_plan_agreed");
    assert_string_equal(cJSON_GetObjectItem(plan, "date")->valuestring, "2026-04-25");
    const cJSON *inst = cJSON_GetObjectItem(cJSON_GetObjectItem(plan, "body"), "instalments");
    assert_int_equal(cJSON_GetArraySize(inst), 6);
    const char *dues[] = {"2026-05-01", "2026-06-01", "2026-07-01",
                          "2026-08-01", "2026-09-01", "2026-10-01"};
    for (int i = 0; i < 6; i++) {
        const cJSON *it = cJSON_GetArrayItem(inst, i);
        assert_string_equal(cJSON_GetObjectItem(it, "due")->valuestring, dues[i]);
        assert_string_equal(
            cJSON_GetObjectItem(cJSON_GetObjectItem(it, "amount"), "amount")->valuestring,
            "100.00");
    }
    /* mapping is a function of the file: the same file, the same ids */
    cJSON *b = map(data, len, &ids, BH_YGC_JUDGMENT_DEFAULT);
    assert_true(cJSON_Compare(a, b, 1));
    cJSON_Delete(b);
    cJSON_Delete(a);
}

static const cJSON *errors_of(const cJSON *answer, int line)
{
    const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(answer, "lines"), line - 1);
    assert_non_null(e);
    assert_null(cJSON_GetObjectItem(e, "events"));
    const cJSON *errs = cJSON_GetObjectItem(e, "errors");
    assert_true(cJSON_GetArraySize(errs) > 0);
    return errs;
}

static void error_is(const cJSON *answer, int line, const char *field, const char *says)
{
    const cJSON *errs = errors_of(answer, line);
    const cJSON *e;
    cJSON_ArrayForEach(e, errs)
    {
        if (strcmp(cJSON_GetObjectItem(e, "field")->valuestring, field) == 0 &&
            strstr(cJSON_GetObjectItem(e, "message")->valuestring, says) != NULL)
            return;
    }
    char *t = cJSON_PrintUnformatted(errs);
    fail_msg("line %d: no error on %s saying \"%s\": %s", line, field, says, t);
}

static void a_judgment_needs_to_be_told_its_outcome(void **state)
{
    (void)state;
    size_t len;
    char *data = slurp("firm-report.ygc", &len);
    cJSON *a = map(data, len, &ids, BH_YGC_JUDGMENT_UNSAID);
    assert_int_equal(cJSON_GetObjectItem(a, "problems")->valueint, 1);
    error_is(a, 5, "JDGMNT_AMT", "judgment=default or judgment=contested");
    cJSON_Delete(a);
    a = map(data, len, &ids, BH_YGC_JUDGMENT_CONTESTED);
    assert_true(contains(a, "\"outcome\":\"contested\""));
    cJSON_Delete(a);
}

static void lines_of_another_placement_are_refused(void **state)
{
    (void)state;
    size_t len;
    char *data = slurp("firm-report.ygc", &len);
    bh_ygc_placement_ids other = {"NW-2026-0002", "4", "southbank", "other-law", "GBP"};
    cJSON *a = map(data, len, &other, BH_YGC_JUDGMENT_DEFAULT);
    assert_int_equal(cJSON_GetObjectItem(a, "problems")->valueint, 6);
    assert_int_equal(cJSON_GetObjectItem(a, "events")->valueint, 0);
    error_is(a, 1, "FILENO", "FILENO '3' is another placement's (this one is '4')");
    error_is(a, 1, "FORW_FILE", "'NW-2026-0001' is another account");
    error_is(a, 1, "FIRM_ID", "'harbor-law' is not the firm");
    error_is(a, 1, "FORW_ID", "'northwind' is not the agency");
    cJSON_Delete(a);
}

/* One receiver's record with the placement's header. */
static void start(baton_ygc_record *r, const char *code)
{
    char err[256];
    assert_int_equal(baton_ygc_init(r, code), 0);
    assert_int_equal(baton_ygc_set_text(r, "FORW_FILE", "NW-2026-0001", err, sizeof err), 0);
}

static size_t append(char *buf, size_t at, const baton_ygc_record *r)
{
    return at + baton_ygc_format(r, buf + at, BATON_YGC_MAX_RECORD + 3);
}

static void every_unmappable_line_is_named_with_its_field(void **state)
{
    (void)state;
    static char file[16 * (BATON_YGC_MAX_RECORD + 3)];
    size_t n = 0;
    char err[256];
    baton_ygc_record r;
    /* 1: RET_CODE 2 is not in the layout */
    start(&r, "30");
    baton_ygc_set_number(&r, "RET_CODE", 2, err, sizeof err);
    baton_ygc_set_date(&r, "PAY_DATE", 2026, 4, 1, err, sizeof err);
    baton_ygc_set_amount(&r, "GROSS_PAY", 100, err, sizeof err);
    n = append(file, n, &r);
    /* 2: an NSF reversal (negative) */
    baton_ygc_set_number(&r, "RET_CODE", 1, err, sizeof err);
    baton_ygc_set_amount(&r, "GROSS_PAY", -5000, err, sizeof err);
    n = append(file, n, &r);
    /* 3: a note without its date */
    start(&r, "39");
    baton_ygc_set_text(&r, "PCMT", "no date", err, sizeof err);
    n = append(file, n, &r);
    /* 4: a plan whose payments do not add up to PLAN_BAL */
    start(&r, "43");
    baton_ygc_set_date(&r, "PLAN_DATE", 2026, 4, 25, err, sizeof err);
    baton_ygc_set_amount(&r, "PLAN_BAL", 60000, err, sizeof err);
    baton_ygc_set_date(&r, "FIRST_DATE", 2026, 5, 1, err, sizeof err);
    baton_ygc_set_amount(&r, "FIRST_AMT", 10000, err, sizeof err);
    baton_ygc_set_amount(&r, "PAY_AMT", 10000, err, sizeof err);
    baton_ygc_set_number(&r, "NO_PMTS", 5, err, sizeof err);
    baton_ygc_set_text(&r, "FREQUENCY", "W", err, sizeof err);
    n = append(file, n, &r);
    /* 5: the sender's own record */
    start(&r, "01");
    n = append(file, n, &r);
    /* 6: a line the reader refuses */
    memcpy(file + n, "77\r\n", 4);
    n += 4;
    /* 7: a cost without its amount */
    start(&r, "30");
    baton_ygc_set_number(&r, "RET_CODE", 40, err, sizeof err);
    baton_ygc_set_date(&r, "PAY_DATE", 2026, 4, 1, err, sizeof err);
    n = append(file, n, &r);
    /* 8: a cost partly recoverable is two events */
    baton_ygc_set_amount(&r, "LINE2_5", 10000, err, sizeof err);
    baton_ygc_set_amount(&r, "COSTSPENTRECOVERABLEFROMDEBTOR", 2500, err, sizeof err);
    n = append(file, n, &r);
    /* 9: a suit without its court number */
    start(&r, "41");
    baton_ygc_set_date(&r, "SUIT_DATE", 2026, 3, 15, err, sizeof err);
    baton_ygc_set_text(&r, "CRT_NAME", "County Court", err, sizeof err);
    n = append(file, n, &r);
    /* 10: a 1.5 pence payment in a JPY placement (below) */
    start(&r, "30");
    baton_ygc_set_number(&r, "RET_CODE", 6, err, sizeof err);
    baton_ygc_set_date(&r, "PAY_DATE", 2026, 4, 1, err, sizeof err);
    baton_ygc_set_amount(&r, "GROSS_PAY", 150, err, sizeof err);
    n = append(file, n, &r);

    cJSON *a = map(file, n, &ids, BH_YGC_JUDGMENT_DEFAULT);
    error_is(a, 1, "RET_CODE", "RET_CODE 2 is none of the layout's codes");
    error_is(a, 2, "GROSS_PAY", "a reversal has no event");
    error_is(a, 3, "PDATE", "a note needs its date");
    error_is(a, 4, "PLAN_BAL", "the payments add up to 500.00 but PLAN_BAL says 600.00");
    error_is(a, 5, "RECORD_CODE", "record 01 (New Account) is the sender's");
    error_is(a, 6, "RECORD_CODE", "unknown record code \"77\"");
    error_is(a, 7, "LINE2_5", "a cost (costs expended) needs its amount");
    const cJSON *two = events_of(a, 8);
    assert_int_equal(cJSON_GetArraySize(two), 2);
    assert_true(contains(two, "\"amount\":\"25.00\""));
    assert_true(contains(two, "\"amount\":\"75.00\""));
    error_is(a, 9, "DOCKET_NO", "needs the number the court gave it");
    draft_is(cJSON_GetArrayItem(events_of(a, 10), 0),
             "{\"kind\":\"payment_received\",\"date\":\"2026-04-01\",\"body\":{\"amount\":{"
             "\"amount\":\"1.50\",\"currency\":\"GBP\"},\"paid_to\":\"creditor\"}}");
    assert_int_equal(cJSON_GetObjectItem(a, "problems")->valueint, 8);
    cJSON_Delete(a);
    bh_ygc_placement_ids yen = ids;
    yen.currency = "JPY";
    a = map(file, n, &yen, BH_YGC_JUDGMENT_DEFAULT);
    error_is(a, 10, "GROSS_PAY", "more decimals than JPY has");
    cJSON_Delete(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_sample_report_maps_line_by_line),
        cmocka_unit_test(a_judgment_needs_to_be_told_its_outcome),
        cmocka_unit_test(lines_of_another_placement_are_refused),
        cmocka_unit_test(every_unmappable_line_is_named_with_its_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
