/*
 * test_ygc.c - the YGC fixed-width reader and writer (baton/ygc.h): the
 * layouts tile their records, every field of every record round-trips at
 * its exact boundaries, a sample file written from the published layouts
 * reads back field by field, and every malformed line is named by line and
 * field.
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

static void layouts_tile_their_records(void **state)
{
    (void)state;
    size_t n;
    const baton_ygc_layout *l = baton_ygc_layouts(&n);
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++) {
        size_t next = 1;
        for (size_t j = 0; j < l[i].n_fields; j++) {
            assert_int_equal(l[i].fields[j].start, next);
            next += l[i].fields[j].length;
            if (strcmp(l[i].fields[j].name, "FORW_ID") == 0)
                assert_int_equal(l[i].fields[j].start, l[i].from_receiver ? 58 : 48);
        }
        assert_int_equal(next - 1, l[i].length);
        assert_true(l[i].length <= BATON_YGC_MAX_RECORD);
        assert_int_equal(l[i].fields[5].start + l[i].fields[5].length - 1, BATON_YGC_HEADER);
        assert_ptr_equal(baton_ygc_layout_find(l[i].code), &l[i]);
    }
    assert_null(baton_ygc_layout_find("12"));
}

/* Fills field f of r with the widest value of its type; returns 0. */
static void fill_widest(baton_ygc_record *r, const baton_ygc_field *f)
{
    char err[256];
    char text[1100];
    switch (f->type) {
    case BATON_YGC_TEXT:
        memset(text, 'x', f->length);
        text[f->length - 1] = 'Z';
        text[0] = 'A';
        text[f->length] = '\0';
        assert_int_equal(baton_ygc_set_text(r, f->name, text, err, sizeof err), 0);
        break;
    case BATON_YGC_NUMBER: {
        uint64_t v = 0;
        for (unsigned i = 0; i < f->length; i++)
            v = v * 10 + 9;
        assert_int_equal(baton_ygc_set_number(r, f->name, v, err, sizeof err), 0);
        break;
    }
    case BATON_YGC_AMOUNT: {
        int64_t v = 0;
        for (unsigned i = 0; i < f->length - 1u; i++)
            v = v * 10 + 9;
        assert_int_equal(baton_ygc_set_amount(r, f->name, v, err, sizeof err), 0);
        break;
    }
    case BATON_YGC_RATE:
        assert_int_equal(baton_ygc_set_rate_bp(r, f->name, 1950, err, sizeof err), 0);
        break;
    case BATON_YGC_DATE:
        assert_int_equal(baton_ygc_set_date(r, f->name, 2024, 2, 29, err, sizeof err), 0);
        break;
    default:
        fail();
    }
}

static void check_widest(const baton_ygc_record *r, const baton_ygc_field *f)
{
    char text[1100];
    uint64_t n;
    int64_t a;
    int32_t bp, y, m, d;
    switch (f->type) {
    case BATON_YGC_TEXT:
        assert_int_equal(baton_ygc_text(r, f->name, text, sizeof text), f->length);
        assert_int_equal(text[0], 'A');
        if (f->length > 1)
            assert_int_equal(text[f->length - 1], 'Z');
        break;
    case BATON_YGC_NUMBER:
        assert_int_equal(baton_ygc_number(r, f->name, &n), 0);
        assert_true(n > 0 && n % 10 == 9);
        break;
    case BATON_YGC_AMOUNT:
        assert_int_equal(baton_ygc_amount(r, f->name, &a), 0);
        assert_true(a > 0 && a % 100 == 99);
        break;
    case BATON_YGC_RATE:
        assert_int_equal(baton_ygc_rate_bp(r, f->name, &bp), 0);
        assert_int_equal(bp, 1950);
        break;
    case BATON_YGC_DATE:
        assert_int_equal(baton_ygc_date(r, f->name, &y, &m, &d), 0);
        assert_int_equal(y * 10000 + m * 100 + d, 20240229);
        break;
    default:
        fail();
    }
}

static void every_field_round_trips_at_its_boundaries(void **state)
{
    (void)state;
    size_t n;
    const baton_ygc_layout *l = baton_ygc_layouts(&n);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 1; j < l[i].n_fields; j++) {
            const baton_ygc_field *f = &l[i].fields[j];
            baton_ygc_record r;
            assert_int_equal(baton_ygc_init(&r, l[i].code), 0);
            fill_widest(&r, f);
            /* the bytes on either side are untouched */
            assert_int_equal(r.text[f->start - 2], f->start == 3 ? l[i].code[1] : ' ');
            if ((size_t)(f->start + f->length - 1) < l[i].length)
                assert_int_equal(r.text[f->start + f->length - 1], ' ');
            char line[BATON_YGC_MAX_RECORD + 3];
            size_t len = baton_ygc_format(&r, line, sizeof line);
            assert_int_equal(len, l[i].length + 2);
            assert_memory_equal(line + len - 2, "\r\n", 2);
            baton_ygc_file *file;
            char err[256];
            assert_int_equal(baton_ygc_read(line, len, &file, err, sizeof err), 0);
            if (file->n_problems > 0)
                fail_msg("record %s field %s: %s", l[i].code, f->name, file->problems[0].message);
            assert_int_equal(file->n_records, 1);
            assert_ptr_equal(file->records[0].layout, &l[i]);
            check_widest(&file->records[0], f);
            /* every other text field of the record reads blank */
            for (size_t k = 1; k < l[i].n_fields; k++) {
                const baton_ygc_field *o = &l[i].fields[k];
                char text[1100];
                if (k != j && o->type == BATON_YGC_TEXT)
                    assert_int_equal(baton_ygc_text(&file->records[0], o->name, text, sizeof text),
                                     0);
            }
            baton_ygc_file_free(file);
        }
    }
}

static void a_value_one_byte_too_wide_is_refused_not_cut(void **state)
{
    (void)state;
    baton_ygc_record r;
    char err[256];
    assert_int_equal(baton_ygc_init(&r, "30"), 0);
    /* GROSS_PAY is 14 bytes: 99999999999.99 fits, 999999999999.99 does not */
    assert_int_equal(baton_ygc_set_amount(&r, "GROSS_PAY", 9999999999999, err, sizeof err), 0);
    assert_int_equal(baton_ygc_set_amount(&r, "GROSS_PAY", 99999999999999, err, sizeof err),
                     BATON_ERANGE);
    assert_non_null(strstr(err, "GROSS_PAY holds 14 bytes"));
    assert_int_equal(
        baton_ygc_set_text(&r, "DESC", "123456789012345678901234567890", err, sizeof err), 0);
    assert_int_equal(
        baton_ygc_set_text(&r, "DESC", "1234567890123456789012345678901", err, sizeof err),
        BATON_ERANGE);
    assert_non_null(strstr(err, "DESC holds 30 bytes"));
    assert_int_equal(baton_ygc_set_number(&r, "RET_CODE", 100, err, sizeof err), BATON_ERANGE);
    assert_int_equal(baton_ygc_set_date(&r, "PAY_DATE", 2026, 2, 29, err, sizeof err),
                     BATON_ERANGE);
    assert_int_equal(baton_ygc_set_text(&r, "DESC", "tab\there", err, sizeof err), BATON_EINVAL);
    assert_int_equal(baton_ygc_set_text(&r, "GROSS_PAY", "x", err, sizeof err), BATON_EINVAL);
    assert_int_equal(baton_ygc_set_text(&r, "RECORD_CODE", "31", err, sizeof err), BATON_EINVAL);
    assert_int_equal(baton_ygc_init(&r, "41"), 0);
    assert_int_equal(baton_ygc_set_rate_bp(&r, "RATES_POST", 10001, err, sizeof err), BATON_ERANGE);
    assert_int_equal(baton_ygc_set_rate_bp(&r, "RATES_POST", 10000, err, sizeof err), 0);
    int32_t bp;
    assert_int_equal(baton_ygc_rate_bp(&r, "RATES_POST", &bp), 0);
    assert_int_equal(bp, 10000);
}

static void the_sample_firm_report_reads_field_by_field(void **state)
{
    (void)state;
    size_t len;
    char *data = slurp("firm-report.ygc", &len);
    baton_ygc_file *f;
    char err[256];
    assert_int_equal(baton_ygc_read(data, len, &f, err, sizeof err), 0);
    assert_int_equal(f->n_problems, 0);
    assert_int_equal(f->n_lines, 6);
    assert_int_equal(f->n_records, 6);
    const char *codes[] = {"39", "41", "30", "30", "41", "43"};
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(f->records[i].layout->code, codes[i]);
        assert_int_equal(f->records[i].line, i + 1);
        char t[64];
        assert_int_equal(baton_ygc_text(&f->records[i], "FORW_FILE", t, sizeof t), 12);
        assert_string_equal(t, "NW-2026-0001");
        assert_int_equal(baton_ygc_text(&f->records[i], "FIRM_ID", t, sizeof t), 10);
        assert_string_equal(t, "harbor-law");
        assert_int_equal(baton_ygc_text(&f->records[i], "FORW_ID", t, sizeof t), 9);
        assert_string_equal(t, "northwind");
        assert_int_equal(baton_ygc_text(&f->records[i], "FILENO", t, sizeof t), 1);
    }
    char t[1100];
    int32_t y, m, d, bp;
    int64_t a;
    uint64_t n;
    /* 39 */
    assert_int_equal(baton_ygc_date(&f->records[0], "PDATE", &y, &m, &d), 0);
    assert_int_equal(y * 10000 + m * 100 + d, 20260310);
    assert_true(baton_ygc_text(&f->records[0], "PCMT", t, sizeof t) > 0);
    assert_string_equal(t, "Called the debtor; promised to pay by Friday");
    assert_true(baton_ygc_text(&f->records[0], "CALL_DIRECTION", t, sizeof t) == 1);
    assert_string_equal(t, "O");
    /* 41 suit only */
    assert_int_equal(baton_ygc_amount(&f->records[1], "SUIT_AMT", &a), 0);
    assert_int_equal(a, 125000);
    assert_int_equal(baton_ygc_date(&f->records[1], "JDGMNT_DATE", &y, &m, &d), BATON_ENOENT);
    assert_int_equal(baton_ygc_text(&f->records[1], "CRT_NAME", t, sizeof t), 32);
    /* 30 payment with its remittance */
    assert_int_equal(baton_ygc_number(&f->records[2], "RET_CODE", &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(baton_ygc_amount(&f->records[2], "GROSS_PAY", &a), 0);
    assert_int_equal(a, 50000);
    assert_int_equal(baton_ygc_amount(&f->records[2], "CHECK_AMT", &a), 0);
    assert_int_equal(a, 40000);
    assert_int_equal(baton_ygc_amount(&f->records[2], "FEES", &a), 0);
    assert_int_equal(a, 10000);
    assert_int_equal(baton_ygc_number(&f->records[2], "TA_NO", &n), 0);
    assert_int_equal(n, 17);
    assert_int_equal(baton_ygc_date(&f->records[2], "REMIT_DATE", &y, &m, &d), 0);
    assert_int_equal(y * 10000 + m * 100 + d, 20260405);
    /* 30 cost */
    assert_int_equal(baton_ygc_number(&f->records[3], "RET_CODE", &n), 0);
    assert_int_equal(n, 33);
    assert_int_equal(baton_ygc_amount(&f->records[3], "LINE2_5", &a), 0);
    assert_int_equal(a, 5000);
    assert_int_equal(baton_ygc_amount(&f->records[3], "COSTSPENTRECOVERABLEFROMDEBTOR", &a), 0);
    assert_int_equal(a, 5000);
    assert_int_equal(baton_ygc_amount(&f->records[3], "GROSS_PAY", &a), BATON_ENOENT);
    /* 41 judgment */
    assert_int_equal(baton_ygc_amount(&f->records[4], "JDGMNT_AMT", &a), 0);
    assert_int_equal(a, 130000);
    assert_int_equal(baton_ygc_rate_bp(&f->records[4], "RATES_POST", &bp), 0);
    assert_int_equal(bp, 800);
    /* 43 */
    assert_int_equal(baton_ygc_number(&f->records[5], "NO_PMTS", &n), 0);
    assert_int_equal(n, 6);
    assert_int_equal(baton_ygc_text(&f->records[5], "FREQUENCY", t, sizeof t), 1);
    assert_string_equal(t, "M");
    assert_int_equal(baton_ygc_date(&f->records[5], "LAST_DATE", &y, &m, &d), 0);
    assert_int_equal(y * 10000 + m * 100 + d, 20261001);
    /* asking for a field of another type or record is refused */
    assert_int_equal(baton_ygc_amount(&f->records[5], "PAY_DATE", &a), BATON_EINVAL);
    assert_int_equal(baton_ygc_text(&f->records[5], "PLAN_BAL", t, sizeof t), BATON_EINVAL);
    baton_ygc_file_free(f);
}

static void every_malformed_line_is_named_by_line_and_field(void **state)
{
    (void)state;
    size_t len;
    char *data = slurp("malformed.ygc", &len);
    baton_ygc_file *f;
    char err[256];
    assert_int_equal(baton_ygc_read(data, len, &f, err, sizeof err), 0);
    assert_int_equal(f->n_lines, 9);
    assert_int_equal(f->n_records, 1);
    assert_int_equal(f->records[0].line, 1);
    struct {
        size_t line;
        const char *field;
        const char *says;
    } want[] = {
        {2, "RECORD_CODE", "unknown record code \"12\""},
        {3, "PAY_DATE", "bytes 70-77 \"20261341\": not a calendar date"},
        {4, "GROSS_PAY", "bytes 78-91 \"         50000\": expected an amount with the point"},
        {5, "", "line is 154 bytes, longer than record 43"},
        {6, "", "empty line"},
        {7, "PCMT", "UTF-8"},
        {8, "RECORD_CODE", "too short"},
        {9, "RATES_POST", "bytes 203-207 \"8.000\": expected a rate"},
    };
    assert_int_equal(f->n_problems, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < f->n_problems; i++) {
        assert_int_equal(f->problems[i].line, want[i].line);
        assert_string_equal(f->problems[i].field, want[i].field);
        if (strstr(f->problems[i].message, want[i].says) == NULL)
            fail_msg("line %zu: \"%s\" does not say \"%s\"", want[i].line, f->problems[i].message,
                     want[i].says);
    }
    baton_ygc_file_free(f);
}

static void a_line_with_several_bad_fields_names_each(void **state)
{
    (void)state;
    baton_ygc_record r;
    char err[256];
    assert_int_equal(baton_ygc_init(&r, "43"), 0);
    memcpy(r.text + 67, "2026XX01", 8); /* PLAN_DATE */
    memcpy(r.text + 147, "  6x ", 5);   /* NO_PMTS */
    char line[BATON_YGC_MAX_RECORD + 3];
    size_t len = baton_ygc_format(&r, line, sizeof line);
    baton_ygc_file *f;
    assert_int_equal(baton_ygc_read(line, len, &f, err, sizeof err), 0);
    assert_int_equal(f->n_records, 0);
    assert_int_equal(f->n_problems, 2);
    assert_string_equal(f->problems[0].field, "PLAN_DATE");
    assert_string_equal(f->problems[1].field, "NO_PMTS");
    baton_ygc_file_free(f);
}

static void limits_on_lines_and_problems(void **state)
{
    (void)state;
    size_t n = BATON_YGC_MAX_LINES + 1;
    char *many = malloc(n * 3);
    assert_non_null(many);
    for (size_t i = 0; i < n; i++)
        memcpy(many + 3 * i, "99\n", 3);
    baton_ygc_file *f;
    char err[256];
    assert_int_equal(baton_ygc_read(many, n * 3, &f, err, sizeof err), BATON_ELIMIT);
    assert_non_null(strstr(err, "10001 lines"));
    /* exactly the limit: every line is a problem, the list stops at its cap
     * and its last entry says how many more there were */
    assert_int_equal(baton_ygc_read(many, (n - 1) * 3, &f, err, sizeof err), 0);
    assert_int_equal(f->n_records, 0);
    assert_int_equal(f->n_problems, BATON_YGC_MAX_PROBLEMS);
    assert_int_equal(f->problems[BATON_YGC_MAX_PROBLEMS - 2].line, BATON_YGC_MAX_PROBLEMS - 1);
    assert_int_equal(f->problems[BATON_YGC_MAX_PROBLEMS - 1].line, BATON_YGC_MAX_PROBLEMS);
    assert_non_null(
        strstr(f->problems[BATON_YGC_MAX_PROBLEMS - 1].message, "9001 further problems"));
    baton_ygc_file_free(f);
    free(many);
    /* no trailing newline: the last line still counts */
    assert_int_equal(baton_ygc_read("99", 2, &f, err, sizeof err), 0);
    assert_int_equal(f->n_lines, 1);
    assert_int_equal(f->n_problems, 1);
    baton_ygc_file_free(f);
    assert_int_equal(baton_ygc_read("", 0, &f, err, sizeof err), 0);
    assert_int_equal(f->n_lines, 0);
    baton_ygc_file_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layouts_tile_their_records),
        cmocka_unit_test(every_field_round_trips_at_its_boundaries),
        cmocka_unit_test(a_value_one_byte_too_wide_is_refused_not_cut),
        cmocka_unit_test(the_sample_firm_report_reads_field_by_field),
        cmocka_unit_test(every_malformed_line_is_named_by_line_and_field),
        cmocka_unit_test(a_line_with_several_bad_fields_names_each),
        cmocka_unit_test(limits_on_lines_and_problems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
