/* test_case_view.c - path access to cases, and the result builder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "case_view.h"
#include "letter.h"
#include "result.h"

static const char *case_text =
    "{\"case_id\":\"C-1\",\"claim\":{\"principal\":{\"amount\":\"1250.50\",\"currency\":\"GBP\"},"
    "\"due_date\":\"2025-03-01\",\"rate\":1.5,\"count\":3},"
    "\"letters_sent\":[{\"kind\":\"reminder\",\"date\":\"2025-04-01\"},"
    "{\"kind\":\"final_demand\",\"date\":\"2025-05-01\"}],"
    "\"debtor\":{\"consumer\":true,\"address\":null},\"bad_money\":{\"amount\":12,"
    "\"currency\":\"GBP\"},\"bad_date\":\"2025-02-30\"}";

static void reads_typed_values_by_path(void **state)
{
    (void)state;
    cJSON *root = cJSON_Parse(case_text);
    baton_view v = bh_view_of(root);
    const char *s;
    int64_t i;
    int b;
    size_t n;
    baton_date d;
    baton_money m;
    assert_int_equal(bh_view_string(&v, "case_id", &s), 0);
    assert_string_equal(s, "C-1");
    assert_int_equal(bh_view_string(&v, "letters_sent[1].kind", &s), 0);
    assert_string_equal(s, "final_demand");
    assert_int_equal(bh_view_count(&v, "letters_sent", &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(bh_view_date(&v, "claim.due_date", &d), 0);
    assert_true(d.year == 2025 && d.month == 3 && d.day == 1);
    assert_int_equal(bh_view_money(&v, "claim.principal", &m), 0);
    assert_true(m.minor == 125050);
    assert_int_equal(bh_view_int(&v, "claim.count", &i), 0);
    assert_true(i == 3);
    assert_int_equal(bh_view_bool(&v, "debtor.consumer", &b), 0);
    assert_int_equal(b, 1);
    assert_int_equal(bh_view_type(&v, "debtor.address"), BATON_VIEW_NULL);
    assert_int_equal(bh_view_type(&v, "claim.rate"), BATON_VIEW_NUMBER);
    assert_int_equal(bh_view_type(&v, ""), BATON_VIEW_OBJECT);
    assert_int_equal(bh_view_key(&v, "claim", 1, &s), 0);
    assert_string_equal(s, "due_date");
    cJSON_Delete(root);
}

static void reports_missing_wrong_type_and_malformed_paths(void **state)
{
    (void)state;
    cJSON *root = cJSON_Parse(case_text);
    baton_view v = bh_view_of(root);
    const char *s;
    int64_t i;
    baton_money m;
    baton_date d;
    assert_int_equal(bh_view_string(&v, "nope", &s), BATON_ENOENT);
    assert_int_equal(bh_view_string(&v, "letters_sent[2].kind", &s), BATON_ENOENT);
    assert_int_equal(bh_view_string(&v, "claim", &s), BATON_ETYPE);
    assert_int_equal(bh_view_int(&v, "claim.rate", &i), BATON_ERANGE);
    assert_int_equal(bh_view_money(&v, "bad_money", &m), BATON_ETYPE);
    assert_int_equal(bh_view_date(&v, "bad_date", &d), BATON_EINVAL);
    static const char *const malformed[] = {
        "claim..due_date",  ".claim",          "claim.",           "letters_sent[",
        "letters_sent[01]", "letters_sent[x]", "letters_sent[0]x", "claim.[0]"};
    for (size_t k = 0; k < sizeof malformed / sizeof malformed[0]; k++)
        assert_int_equal(bh_view_string(&v, malformed[k], &s), BATON_EINVAL);
    cJSON_Delete(root);
}

static void result_nests_facts_and_refuses_second_set(void **state)
{
    (void)state;
    baton_result *r = bh_result_new();
    assert_non_null(r);
    bh_result_set_plugin(r, "gb-ew");
    baton_date d = {2031, 3, 1};
    assert_int_equal(bh_result_date(r, "limitation.deadline", d), 0);
    assert_int_equal(bh_result_string(r, "limitation.rule", "Limitation Act 1980 s.5"), 0);
    assert_int_equal(bh_result_date(r, "limitation.deadline", d), BATON_EEXIST);
    assert_int_equal(bh_result_string(r, "limitation", "x"), BATON_EEXIST);
    assert_int_equal(bh_result_string(r, "Bad Key", "x"), BATON_EINVAL);
    assert_int_equal(bh_result_line_item(r, "court_fee", "Issue fee",
                                         baton_money_make(11500, "GBP"), "CPFO 2008 fee 1.1"),
                     0);
    assert_int_equal(bh_result_line_item(r, "bribe", "x", baton_money_make(1, "GBP"), NULL),
                     BATON_EINVAL);
    assert_int_equal(bh_result_line_item(r, "other", "x", baton_money_make(1, "XXQ"), NULL),
                     BATON_EINVAL);
    assert_int_equal(bh_result_finding(r, "readiness", "agreement", BATON_FINDING_MISSING,
                                       "No signed agreement.", NULL),
                     0);
    assert_int_equal(
        bh_result_finding(r, "readiness", "x", (enum baton_finding_status)99, "t", NULL),
        BATON_EINVAL);

    /* The result view reads what was written, as an agency plugin would. */
    const baton_view *v = bh_result_view(r);
    const char *s;
    assert_int_equal(bh_view_string(v, "facts.limitation.deadline", &s), 0);
    assert_string_equal(s, "2031-03-01");
    assert_int_equal(bh_view_string(v, "findings[0].status", &s), 0);
    assert_string_equal(s, "missing");
    baton_money m;
    assert_int_equal(bh_view_money(v, "costs[0].amount", &m), 0);
    assert_true(m.minor == 11500);
    assert_int_equal(bh_view_string(v, "costs[0].plugin", &s), 0);
    assert_string_equal(s, "gb-ew");
    bh_result_free(r);
}

static void letter_keeps_blocks_in_order_and_refuses_bad_utf8(void **state)
{
    (void)state;
    baton_letter *l = bh_letter_new();
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_TITLE, "Letter of Claim"), 0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_PARAGRAPH,
                                         "Sum: \xc2\xa3"
                                         "1,250.50"),
                     0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_PARAGRAPH, "bad \xc3("), BATON_EINVAL);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_PARAGRAPH, "overlong \xc0\xaf"),
                     BATON_EINVAL);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_PARAGRAPH, "surrogate \xed\xa0\x80"),
                     BATON_EINVAL);
    assert_int_equal(bh_letter_block_add(l, (enum baton_block_kind)0, "x"), BATON_EINVAL);
    assert_int_equal(bh_letter_set(l, "title", "Letter of Claim"), 0);
    assert_int_equal(bh_letter_set(l, "colour", "red"), BATON_ENOENT);
    assert_int_equal(l->count, 2);
    assert_int_equal(l->blocks[1].kind, BATON_BLOCK_PARAGRAPH);
    assert_string_equal(l->title, "Letter of Claim");
    bh_letter_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_typed_values_by_path),
        cmocka_unit_test(reports_missing_wrong_type_and_malformed_paths),
        cmocka_unit_test(result_nests_facts_and_refuses_second_set),
        cmocka_unit_test(letter_keeps_blocks_in_order_and_refuses_bad_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
