/*
 * test_ygc_placement.c - a handed-off case as YGC records 01 and 02: the
 * export reads back with the strict reader field by field equal to the
 * case, values that do not fit are refused with their field, overflow and
 * long forms are used.
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
#include "ygc_placement.h"

static const char *case_text =
    "{\"case_id\":\"NW-2026-0001\",\"jurisdiction\":\"gb-ew\","
    "\"creditor\":{\"name\":\"Harrow & Finch Catering Supplies Ltd\",\"kind\":\"business\","
    "\"address\":{\"lines\":[\"Unit 4, Brookfield Trading Estate\",\"Carlton Road\"],"
    "\"city\":\"Leicester\",\"postcode\":\"LE4 9QP\",\"country\":\"GB\"}},"
    "\"debtor\":{\"name\":\"Blue Door Kitchens Ltd\",\"kind\":\"business\","
    "\"date_of_birth\":\"1980-02-29\","
    "\"address\":{\"lines\":[\"18 Market Street\",\"Hockley\"],\"city\":\"Nottingham\","
    "\"region\":\"NTT\",\"postcode\":\"NG1 6HX\",\"country\":\"GB\"}},"
    "\"claim\":{\"principal\":{\"amount\":\"7420.00\",\"currency\":\"GBP\"},"
    "\"contract_type\":\"written\",\"contract_date\":\"2025-02-10\",\"due_date\":\"2025-04-10\","
    "\"last_payment_date\":\"2025-05-30\","
    "\"payments\":[{\"date\":\"2025-05-01\",\"amount\":{\"amount\":\"10.00\",\"currency\":\"GBP\"}}"
    ","
    "{\"date\":\"2025-05-30\",\"amount\":{\"amount\":\"250.50\",\"currency\":\"GBP\"}}],"
    "\"charges\":[{\"label\":\"late fee\",\"amount\":{\"amount\":\"40.00\",\"currency\":\"GBP\"},"
    "\"date\":\"2025-05-01\"}],"
    "\"interest\":{\"contractual_rate_bp\":1950}},"
    "\"assignments\":[{\"from\":\"Original Ovens plc\",\"to\":\"X\",\"date\":\"2025-06-01\"},"
    "{\"from\":\"X\",\"to\":\"Harrow & Finch Catering Supplies Ltd\",\"date\":\"2025-07-15\"}],"
    "\"documents\":[{\"kind\":\"invoice\"}]}";

static const bh_ygc_placement placement = {"7", "northwind", "harbor-law", 2026, 3, 1};

static baton_ygc_file *export_and_read(const char *json)
{
    cJSON *c = cJSON_Parse(json);
    assert_non_null(c);
    char *text;
    size_t len;
    char err[256];
    int rc = bh_ygc_placement_records(c, &placement, &text, &len, err, sizeof err);
    if (rc != 0)
        fail_msg("%s", err);
    cJSON_Delete(c);
    assert_int_equal(len, 472 + 2 + 578 + 2);
    baton_ygc_file *f;
    assert_int_equal(baton_ygc_read(text, len, &f, err, sizeof err), 0);
    free(text);
    assert_int_equal(f->n_problems, 0);
    assert_int_equal(f->n_records, 2);
    return f;
}

static void text_is(const baton_ygc_record *r, const char *field, const char *want)
{
    char got[1100];
    int n = baton_ygc_text(r, field, got, sizeof got);
    assert_true(n >= 0);
    if (strcmp(got, want) != 0)
        fail_msg("%s: got \"%s\", want \"%s\"", field, got, want);
}

static void date_is(const baton_ygc_record *r, const char *field, int32_t want)
{
    int32_t y, m, d;
    assert_int_equal(baton_ygc_date(r, field, &y, &m, &d), 0);
    assert_int_equal(y * 10000 + m * 100 + d, want);
}

static void amount_is(const baton_ygc_record *r, const char *field, int64_t want)
{
    int64_t a;
    assert_int_equal(baton_ygc_amount(r, field, &a), 0);
    assert_int_equal(a, want);
}

static void the_export_reads_back_equal_to_the_case(void **state)
{
    (void)state;
    baton_ygc_file *f = export_and_read(case_text);
    const baton_ygc_record *r = &f->records[0];
    assert_string_equal(r->layout->code, "01");
    text_is(r, "FILENO", "7");
    text_is(r, "FORW_FILE", "NW-2026-0001");
    text_is(r, "MASCO_FILE", "");
    text_is(r, "FORW_ID", "northwind");
    text_is(r, "FIRM_ID", "harbor-law");
    date_is(r, "DATE_FORW", 20260301);
    amount_is(r, "ORIG_CLAIM", 742000);
    amount_is(r, "DEBT_BAL", 746000);
    int32_t bp;
    assert_int_equal(baton_ygc_rate_bp(r, "RATES_PRE", &bp), 0);
    assert_int_equal(bp, 1950);
    text_is(r, "CRED_NAME", "Harrow & Finch Catering");
    text_is(r, "CRED_NAME2", "Supplies Ltd");
    text_is(r, "CRED_STREET", ""); /* 33 bytes: no long form in record 01 */
    text_is(r, "CRED_CS", "Leicester");
    text_is(r, "CRED_ZIP", "LE4 9QP");
    text_is(r, "CRED_CNTRY", "GB");
    date_is(r, "DATE_LPAY", 20250530);
    amount_is(r, "AMT_LPAY", 25050);
    date_is(r, "DATE_OPEN", 20250210);
    text_is(r, "ORIG_CRED", "Original Ovens plc");
    date_is(r, "PURCHASE_D", 20250715);
    text_is(r, "MEDIA", "Y");
    date_is(r, "DELINQ_D", 20250411);
    int64_t a;
    assert_int_equal(baton_ygc_amount(r, "ORIG_INT", &a), BATON_ENOENT);
    const baton_ygc_record *d = &f->records[1];
    assert_string_equal(d->layout->code, "02");
    text_is(d, "FORW_FILE", "NW-2026-0001");
    text_is(d, "D1_NAME", "Blue Door Kitchens Ltd");
    text_is(d, "D1_STREET", "18 Market Street");
    text_is(d, "D1_STREET_LONG", "18 Market Street");
    text_is(d, "D1_STREET2", "Hockley");
    text_is(d, "D1_CITY", "Nottingham");
    text_is(d, "D1_STATE", "NTT");
    text_is(d, "D1_CS", "Nottingham NTT");
    text_is(d, "D1_ZIP", "NG1 6HX");
    text_is(d, "D1_CNTRY", "GB");
    date_is(d, "D1_DOB", 19800229);
    baton_ygc_file_free(f);
}

static char *replace(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    char *out = malloc(strlen(s) + strlen(to) + 1);
    assert_non_null(out);
    sprintf(out, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    return out;
}

static int export_error(const char *json, char *err, size_t errlen)
{
    cJSON *c = cJSON_Parse(json);
    assert_non_null(c);
    char *text = NULL;
    size_t len;
    int rc = bh_ygc_placement_records(c, &placement, &text, &len, err, errlen);
    cJSON_Delete(c);
    free(text);
    return rc;
}

static void a_value_that_does_not_fit_names_its_field(void **state)
{
    (void)state;
    char err[256];
    char *j = replace(case_text, "NW-2026-0001", "NW-2026-0001-ABCDEFGHIJ");
    assert_int_equal(export_error(j, err, sizeof err), BATON_ERANGE);
    assert_non_null(strstr(err, "FORW_FILE holds 20 bytes"));
    free(j);
    j = replace(case_text, "Blue Door Kitchens Ltd", "Blue Door Kitchens and Bathrooms Ltd");
    assert_int_equal(export_error(j, err, sizeof err), BATON_ERANGE);
    assert_non_null(strstr(err, "D1_NAME holds 30 bytes"));
    free(j);
    j = replace(case_text, "Harrow & Finch Catering Supplies Ltd",
                "Harrow & Finch Catering Supplies and Kitchen Equipment Ltd");
    assert_int_equal(export_error(j, err, sizeof err), BATON_ERANGE);
    assert_non_null(strstr(err, "CRED_NAME and CRED_NAME2 together hold 50 bytes"));
    free(j);
    /* a BHD amount with a third decimal cannot be written in hundredths */
    j = replace(case_text, "\"amount\":\"7420.00\",\"currency\":\"GBP\"",
                "\"amount\":\"7420.005\",\"currency\":\"BHD\"");
    assert_int_equal(export_error(j, err, sizeof err), BATON_ERANGE);
    assert_non_null(strstr(err, "ORIG_CLAIM"));
    free(j);
}

static void a_zero_decimal_currency_is_written_in_hundredths(void **state)
{
    (void)state;
    char *j = replace(case_text, "\"amount\":\"7420.00\",\"currency\":\"GBP\"",
                      "\"amount\":\"7420\",\"currency\":\"JPY\"");
    char *k = replace(j, "\"amount\":\"40.00\",\"currency\":\"GBP\"",
                      "\"amount\":\"40\",\"currency\":\"JPY\"");
    baton_ygc_file *f = export_and_read(k);
    amount_is(&f->records[0], "ORIG_CLAIM", 742000);
    amount_is(&f->records[0], "DEBT_BAL", 746000);
    baton_ygc_file_free(f);
    free(j);
    free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_export_reads_back_equal_to_the_case),
        cmocka_unit_test(a_value_that_does_not_fit_names_its_field),
        cmocka_unit_test(a_zero_decimal_currency_is_written_in_hundredths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
