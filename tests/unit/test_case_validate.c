/* test_case_validate.c - the host checks a case against docs/case-format.md
 * before any plugin reads it (case_validate.h): every shipped example
 * passes; each way of breaking the format is refused with the path of the
 * first offending member and why. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case_rules.h"
#include "case_validate.h"
#include "case_view.h"
#include "evaluate.h"
#include "json_input.h"

#include "../support/test_files.h"

static cJSON *parse(const char *text, size_t len)
{
    bh_json_error e;
    cJSON *j = bh_json_parse(text, len, &e);
    if (j == NULL)
        fail_msg("not JSON at %zu: %s", e.offset, e.why);
    return j;
}

static cJSON *base_case(void)
{
    size_t len;
    char path[1100];
    char *text = test_slurp(test_path("integration/cases/gb-ew-2k.json", path, sizeof path), &len);
    cJSON *j = parse(text, len);
    free(text);
    return j;
}

static void every_example_is_valid(void **state)
{
    static const char *const rel[] = {"cases", "integration/cases", "../docs/examples"};
    int seen = 0;
    (void)state;
    for (size_t d = 0; d < 3; d++) {
        char dirs[3][1100];
        test_path(rel[d], dirs[d], sizeof dirs[d]);
        DIR *dir = opendir(dirs[d]);
        struct dirent *ent;
        assert_non_null(dir);
        while ((ent = readdir(dir)) != NULL) {
            char path[1024];
            size_t len, n = strlen(ent->d_name);
            if (n < 6 || strcmp(ent->d_name + n - 5, ".json") != 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", dirs[d], ent->d_name);
            char *text = test_slurp(path, &len);
            cJSON *c = parse(text, len);
            bh_eval_error e;
            if (bh_case_validate(c, &e) != 0)
                fail_msg("%s: %s", path, e.message);
            cJSON_Delete(c);
            free(text);
            seen++;
        }
        closedir(dir);
    }
    assert_true(seen >= 20);
}

/* The node holding the member path names ("claim.principal.amount",
 * "documents[1]"), or NULL. */
static cJSON *parent_of(cJSON *root, const char *path, char *last)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    char *dot = strrchr(buf, '.');
    char *name = dot != NULL ? dot + 1 : buf;
    if (dot != NULL)
        *dot = '\0';
    cJSON *node = root;
    if (dot != NULL) {
        for (char *tok = strtok(buf, "."); tok != NULL; tok = strtok(NULL, ".")) {
            char *br = strchr(tok, '[');
            if (br != NULL)
                *br = '\0';
            node = cJSON_GetObjectItemCaseSensitive(node, tok);
            if (br != NULL)
                node = cJSON_GetArrayItem(node, atoi(br + 1));
            assert_non_null(node);
        }
    }
    snprintf(last, 64, "%s", name);
    return node;
}

/* Applies one change: value NULL deletes the member; else value is JSON. */
static void change(cJSON *root, const char *path, const char *value)
{
    char last[64];
    cJSON *parent = parent_of(root, path, last);
    char *br = strchr(last, '[');
    if (br != NULL) {
        *br = '\0';
        parent = cJSON_GetObjectItemCaseSensitive(parent, last);
        int i = atoi(br + 1);
        if (value == NULL)
            cJSON_DeleteItemFromArray(parent, i);
        else
            cJSON_ReplaceItemInArray(parent, i, parse(value, strlen(value)));
        return;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(parent, last);
    if (value != NULL)
        cJSON_AddItemToObject(parent, last, parse(value, strlen(value)));
}

static const struct {
    const char *path, *value; /* value NULL: member removed */
    const char *message;      /* the start of the error */
} refusals[] = {
    /* what the audit found accepted (200) or failing in a plugin (502) */
    {"case_id", NULL, "case_id: required"},
    {"creditor", NULL, "creditor: required: an object"},
    {"creditor.kind", NULL, "creditor.kind: required: one of \"business\""},
    {"debtor.name", NULL, "debtor.name: required: a non-empty string"},
    {"debtor.address", NULL, "debtor.address: required"},
    {"debtor", NULL, "debtor: required"},
    {"claim.due_date", NULL, "claim.due_date: required: a date"},
    {"claim.due_date", "\"9999-12-31\"", "claim.due_date: 9999-12-31 is outside the dates"},
    {"claim.principal.amount", "\"0\"", "claim.principal.amount: must be greater than zero"},
    {"claim.principal.amount", "\"0.00\"", "claim.principal.amount: must be greater than zero"},
    /* required members and types */
    {"jurisdiction", NULL, "jurisdiction: required"},
    {"jurisdiction", "\"GB-EW\"", "jurisdiction: expected a jurisdiction code"},
    {"case_id", "\"../etc\"", "case_id: expected 1..128 characters"},
    {"case_id", "\"A B\"", "case_id: expected 1..128"},
    {"case_id", "7",
     "case_id: expected 1..128 characters of A-Z a-z 0-9 . _ : / -, starting "
     "with a letter or digit, got a number"},
    {"format", "\"baton-case/2\"", "format: expected \"baton-case/1\""},
    {"creditor.name", "\"\"", "creditor.name: expected a non-empty string"},
    {"creditor.kind", "\"company\"",
     "creditor.kind: expected one of \"business\", "
     "\"individual\", \"sole_trader\""},
    {"creditor.address.country", "\"gb\"", "creditor.address.country: expected an ISO 3166-1"},
    {"creditor.address.lines", "[]", "creditor.address.lines: expected 1 to 4 entries, got 0"},
    {"creditor.address.lines", "[\"a\",\"b\",\"c\",\"d\",\"e\"]",
     "creditor.address.lines: expected 1 to 4 entries, got 5"},
    {"creditor.address.lines", "[\"a\",3]", "creditor.address.lines[1]: expected a non-empty"},
    {"creditor.contact.phone", "44", "creditor.contact.phone: expected a string, got a number"},
    {"creditor.small_claims_filed_12_months", "-1",
     "creditor.small_claims_filed_12_months: expected an integer >= 0"},
    {"debtor.kind", "\"person\"", "debtor.kind: expected one of \"individual\""},
    {"debtor.consumer", "\"yes\"", "debtor.consumer: expected true or false, got a string"},
    {"debtor.date_of_birth", "\"1985-02-30\"", "debtor.date_of_birth: expected a date"},
    {"claim", NULL, "claim: required"},
    {"claim.principal", NULL, "claim.principal: required: money"},
    {"claim.principal", "\"12.00\"", "claim.principal: expected money"},
    {"claim.principal.amount", "12.5", "claim.principal.amount: expected a decimal string"},
    {"claim.principal.amount", "\"-3.00\"", "claim.principal.amount: expected digits"},
    {"claim.principal.amount", "\"012.00\"", "claim.principal.amount: expected digits"},
    {"claim.principal.amount", "\"1e3\"", "claim.principal.amount: expected digits"},
    {"claim.principal.amount", "\"12.345\"", "claim.principal.amount: "},
    {"claim.principal.amount", "\"10000000000.01\"", "claim.principal.amount: above the largest"},
    {"claim.principal.currency", "\"gbp\"", "claim.principal.currency: expected an ISO 4217"},
    {"claim.principal.currency", "\"XYZ\"", "claim.principal.currency: unknown currency"},
    {"claim.principal.extra", "1", "claim.principal: unexpected member \"extra\""},
    {"claim.contract_type", "\"verbal\"", "claim.contract_type: expected one of \"written\""},
    {"claim.contract_type", NULL, "claim.contract_type: required"},
    {"claim.due_date", "\"2025-8-29\"", "claim.due_date: expected a date"},
    {"claim.due_date", "\"1899-12-31\"", "claim.due_date: 1899-12-31 is outside"},
    {"claim.due_date", "\"2200-01-01\"", "claim.due_date: 2200-01-01 is outside"},
    {"claim.last_payment_date", "\"2025-13-01\"", "claim.last_payment_date: expected a date"},
    {"claim.interest.contractual_rate_bp", "100001",
     "claim.interest.contractual_rate_bp: expected basis points"},
    {"claim.interest.contractual_rate_bp", "800.0",
     "claim.interest.contractual_rate_bp: expected basis points"},
    {"claim.interest.contractual_rate_bp", "8e2",
     "claim.interest.contractual_rate_bp: expected basis points"},
    {"claim.charges",
     "[{\"label\":\"fee\",\"amount\":{\"amount\":\"40.00\",\"currency\":"
     "\"EUR\"}}]",
     "claim.charges[0].amount.currency: EUR, but the claim (claim.principal) is in GBP"},
    {"claim.charges", "[{\"amount\":{\"amount\":\"40.00\",\"currency\":\"GBP\"}}]",
     "claim.charges[0].label: required"},
    {"claim.payments", "[{\"date\":\"2025-09-01\"}]", "claim.payments[0].amount: required"},
    {"claim.itemization",
     "{\"date_kind\":\"x\",\"date\":\"2025-01-01\",\"amount\":{\"amount\":"
     "\"1\",\"currency\":\"GBP\"}}",
     "claim.itemization.date_kind: expected one of"},
    {"documents[2].kind", "\"photo\"", "documents[2].kind: expected one of \"agreement\""},
    {"documents", "{}", "documents: expected an array, got an object"},
    {"letters_sent[1].date", NULL, "letters_sent[1].date: required"},
    {"letters_sent[0].method", "\"fax\"", "letters_sent[0].method: expected one of \"post\""},
    {"letters_sent[0].enclosures", "[\"reply_form\",\"cd\"]",
     "letters_sent[0].enclosures[1]: expected one of"},
    {"disputes", "[{\"date\":\"2025-09-01\"}]", "disputes[0].answered: required"},
    {"debtor_profile.assets", "\"some\"", "debtor_profile.assets: expected one of"},
    {"debtor_profile.promises_broken", "2.0",
     "debtor_profile.promises_broken: expected an "
     "integer >= 0 written with digits only"},
    {"assignments", "[{\"from\":\"A\",\"to\":\"\",\"date\":\"2024-01-01\"}]",
     "assignments[0].to: expected a non-empty string"},
    {"collector", "{}", "collector.name: required"},
    {"ext", "[]", "ext: expected an object"},
    /* anywhere, even in members the host does not know */
    {"ext", "{\"northwind\":{\"factor\":[1,2.5]}}",
     "ext.northwind.factor[1]: a number written with a fraction or exponent"},
    {"unknown", "3e1", "unknown: a number written with a fraction or exponent"},
};

static void each_breach_is_refused_with_its_path(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        cJSON *c = base_case();
        bh_eval_error e;
        memset(&e, 0, sizeof e);
        change(c, refusals[i].path, refusals[i].value);
        int rc = bh_case_validate(c, &e);
        if (rc != BATON_EINVAL)
            fail_msg("%s = %s: accepted", refusals[i].path,
                     refusals[i].value ? refusals[i].value : "(removed)");
        if (strncmp(e.message, refusals[i].message, strlen(refusals[i].message)) != 0)
            fail_msg("%s = %s:\n  got      %s\n  expected %s...", refusals[i].path,
                     refusals[i].value ? refusals[i].value : "(removed)", e.message,
                     refusals[i].message);
        assert_int_equal(e.http_status, 400);
        assert_string_equal(e.code, "invalid_case");
        cJSON_Delete(c);
    }
}

static const struct {
    const char *path, *value;
} acceptances[] = {
    {"format", NULL},
    {"as_of", NULL},
    {"creditor.kind", "\"sole_trader\""},
    {"claim.principal.amount", "\"0.01\""},
    {"claim.principal.amount", "\"12\""},
    {"claim.principal.amount", "\"10000000000.00\""},
    {"claim.due_date", "\"1900-01-01\""},
    {"claim.due_date", "\"2199-12-31\""},
    {"claim.due_date", "\"2024-02-29\""},
    {"claim.last_payment_date", "null"},
    {"claim.interest.contractual_rate_bp", "null"},
    {"claim.interest.contractual_rate_bp", "100000"},
    {"claim.charges", "[{\"label\":\"fee\",\"amount\":{\"amount\":\"0\",\"currency\":\"GBP\"}}]"},
    {"case_id", "\"a.b_c:d/e-f\""},
    {"jurisdiction", "\"us-ny\""},
    {"unknown", "{\"anything\": [1, \"x\", null]}"},
    {"ext", "{\"northwind\":{\"factor\":25}}"},
};

static void what_the_format_allows_is_accepted(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof acceptances / sizeof acceptances[0]; i++) {
        cJSON *c = base_case();
        bh_eval_error e;
        change(c, acceptances[i].path, acceptances[i].value);
        if (bh_case_validate(c, &e) != 0)
            fail_msg("%s = %s: %s", acceptances[i].path,
                     acceptances[i].value ? acceptances[i].value : "(removed)", e.message);
        cJSON_Delete(c);
    }
}

static void not_an_object_is_refused(void **state)
{
    (void)state;
    bh_eval_error e;
    cJSON *a = cJSON_CreateArray();
    assert_int_equal(bh_case_validate(a, &e), BATON_EINVAL);
    assert_string_equal(e.message, "the case must be a JSON object");
    cJSON_Delete(a);
}

/* Validation runs once per request ahead of every plugin: it must stay a
 * small part of an evaluation (tens of microseconds). */
static void validation_is_cheap(void **state)
{
    (void)state;
    cJSON *c = base_case();
    bh_eval_error e;
    struct timespec t0, t1;
    const int n = 20000;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    for (int i = 0; i < n; i++)
        assert_int_equal(bh_case_validate(c, &e), 0);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    double ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / n;
    print_message("validating the 2 KB case: %.0f ns of CPU\n", ns);
    assert_true(ns < 50000);
    cJSON_Delete(c);
}

/* bh_case_date_ok (the case parser's date check) says what bh_date_parse
 * and bh_case_date_in_range (the tree walk's) say together: every day of
 * the years around the range's ends, impossible days and months, and
 * strings that are no date. */
static void the_date_check_in_one_pass_agrees_with_parse_and_range(void **state)
{
    (void)state;
    static const int years[] = {1,    999,  1000, 1600, 1899, 1900, 1901, 1999, 2000,
                                2024, 2100, 2198, 2199, 2200, 2201, 2400, 9999};
    char s[32];
    size_t checked = 0, valid = 0;
    for (size_t y = 0; y < sizeof years / sizeof years[0]; y++)
        for (int m = 0; m <= 13; m++)
            for (int d = 0; d <= 32; d++) {
                baton_date parsed;
                snprintf(s, sizeof s, "%04d-%02d-%02d", years[y], m, d);
                int both = bh_date_parse(s, &parsed) == 0 && bh_case_date_in_range(s);
                if (bh_case_date_ok(s) != both)
                    fail_msg("%s: one pass %d, parse and range %d", s, bh_case_date_ok(s), both);
                checked++;
                valid += (size_t)both;
            }
    assert_true(valid > 2000 && valid < checked);
    static const char *const odd[] = {"",
                                      "2026",
                                      "2026-03-0",
                                      "2026-3-02",
                                      "2026-03-02 ",
                                      " 2026-03-02",
                                      "2026/03/02",
                                      "+026-03-02",
                                      "2026-03-0a",
                                      "2026-0a-02",
                                      "2o26-03-02",
                                      "2026-03-02T00",
                                      "2026--03-02",
                                      "20260302",
                                      "2026-03-02\n",
                                      "1900-01-01"};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        baton_date parsed;
        int both = bh_date_parse(odd[i], &parsed) == 0 && bh_case_date_in_range(odd[i]);
        assert_int_equal(bh_case_date_ok(odd[i]), both);
    }
    assert_true(bh_case_date_ok("1900-01-01"));
    assert_true(bh_case_date_ok("2199-12-31"));
    assert_false(bh_case_date_ok("1899-12-31"));
    assert_false(bh_case_date_ok("2200-01-01"));
}

/* The spellings take exactly the characters the format names, byte by
 * byte over all 256: a currency and a country upper-case letters, a
 * jurisdiction code lower-case letters, digits and '-', an amount digits
 * and '.', a case id letters, digits and . _ : / - (case_rules.c reads
 * them from a table). */
static void each_spelling_takes_its_characters(void **state)
{
    (void)state;
    static const struct bh_case_member code = {"c", 1, BH_CK_CODE, 1, 0, 0, NULL};
    static const struct bh_case_member country = {"c", 1, BH_CK_COUNTRY, 1, 0, 0, NULL};
    static const struct bh_case_member case_id = {"c", 1, BH_CK_CASE_ID, 1, 0, 0, NULL};
    for (int b = 1; b < 256; b++) {
        char c = (char)b;
        int digit = b >= '0' && b <= '9', upper = b >= 'A' && b <= 'Z',
            lower = b >= 'a' && b <= 'z';
        int mark = b == '.' || b == '_' || b == ':' || b == '/' || b == '-';
        char ccy[4] = {'G', c, 'P', '\0'}, cc[3] = {'G', c, '\0'};
        char jur[4] = {'g', c, 'b', '\0'}, amount[4] = {'1', c, '0', '\0'};
        char id[4] = {'A', c, '1', '\0'};
        if (bh_case_currency_spelled(ccy) != upper)
            fail_msg("byte %d in a currency", b);
        if (bh_case_string_ok(&country, cc) != upper)
            fail_msg("byte %d in a country", b);
        if (bh_case_string_ok(&code, jur) != (lower || digit || b == '-'))
            fail_msg("byte %d in a jurisdiction code", b);
        if (bh_case_amount_spelled(amount) != (digit || b == '.'))
            fail_msg("byte %d in an amount", b);
        if (bh_case_string_ok(&case_id, id) != (upper || lower || digit || mark))
            fail_msg("byte %d in a case id", b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_example_is_valid),
        cmocka_unit_test(the_date_check_in_one_pass_agrees_with_parse_and_range),
        cmocka_unit_test(each_spelling_takes_its_characters),
        cmocka_unit_test(each_breach_is_refused_with_its_path),
        cmocka_unit_test(what_the_format_allows_is_accepted),
        cmocka_unit_test(not_an_object_is_refused),
        cmocka_unit_test(validation_is_cheap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
