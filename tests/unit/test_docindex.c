/*
 * test_docindex.c - the document index of baton/docindex.h: bag names,
 * media types, what a given name may be, and the one canonical text
 * (written, read back, and every deviation refused).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "baton/docindex.h"
#include "baton/error.h"

static void bag_names_are_numbers_with_the_extension(void **state)
{
    (void)state;
    char f[64];
    baton_docindex_file_name(0, 3, "5% Zinsen.pdf", f);
    assert_string_equal(f, "data/documents/0001.pdf");
    baton_docindex_file_name(11, 12, "scan.TIFF", f);
    assert_string_equal(f, "data/documents/0012.TIFF");
    baton_docindex_file_name(0, 1, "\xd0\xb4\xd0\xbe\xd0\xb3.\xd0\xbf\xd0\xb4\xd1\x84", f);
    assert_string_equal(f, "data/documents/0001"); /* non-ASCII extension dropped */
    baton_docindex_file_name(0, 1, "archive.verylongextension", f);
    assert_string_equal(f, "data/documents/0001");
    baton_docindex_file_name(0, 1, ".hidden", f);
    assert_string_equal(f, "data/documents/0001");
    baton_docindex_file_name(41, 100000, "letters/a.txt", f);
    assert_string_equal(f, "data/documents/000042.txt"); /* width fits 100000 */
}

static void media_types_come_from_the_extension(void **state)
{
    (void)state;
    assert_string_equal(baton_docindex_media_type("a.PDF"), "application/pdf");
    assert_string_equal(baton_docindex_media_type("x/y.docx"),
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert_string_equal(baton_docindex_media_type("noext"), "application/octet-stream");
}

static void given_names_are_anything_a_file_name_may_hold(void **state)
{
    (void)state;
    static const char *good[] = {
        "5% Zinsen.pdf",
        "Frage?.pdf",
        "CON",
        "a\xe2\x80\xae"
        "b",
        "Mu\xcc\x88ller",
        "x/y.pdf",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(baton_docindex_name_check(good[i], NULL, 0), 0);
    static const char *bad[] = {"",   "a\nb", "a\rb", "a\x7f", "a\xc2\x85", "\xff",
                                "/a", "a/",   "a//b", "./a",   "a/..",      "\xed\xa0\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (baton_docindex_name_check(bad[i], NULL, 0) == 0)
            fail_msg("accepted bad name #%zu", i);
    }
}

static void the_text_has_one_canonical_form(void **state)
{
    (void)state;
    baton_docindex_entry e[2] = {
        {"data/documents/0002.txt", "Quote \"x\" back\\slash.txt", "text/plain", 5, {0}},
        {"data/documents/0001.pdf", "5% Zinsen.pdf", "application/pdf", 1234, {0}},
    };
    memset(e[0].sha256, 0xab, 32);
    memset(e[1].sha256, 0x01, 32);
    baton_docindex ix = {e, 2}, back;
    char *text;
    size_t len;
    assert_int_equal(baton_docindex_format(&ix, &text, &len, NULL, 0), 0);
    const char *want =
        "{\"type\":\"baton-documents/1\",\"documents\":[\n"
        "{\"file\":\"data/documents/0001.pdf\",\"name\":\"5% Zinsen.pdf\",\"media_type\":"
        "\"application/pdf\",\"size\":1234,\"sha256\":"
        "\"0101010101010101010101010101010101010101010101010101010101010101\"},\n"
        "{\"file\":\"data/documents/0002.txt\",\"name\":\"Quote \\\"x\\\" back\\\\slash.txt\","
        "\"media_type\":\"text/plain\",\"size\":5,\"sha256\":"
        "\"abababababababababababababababababababababababababababababababab\"}\n"
        "]}\n";
    assert_string_equal(text, want);
    assert_int_equal(baton_docindex_parse(text, len, &back, NULL, 0), 0);
    assert_int_equal(back.n, 2);
    assert_string_equal(back.entries[1].name, "Quote \"x\" back\\slash.txt");
    assert_int_equal(baton_docindex_find(&back, "data/documents/0002.txt"), 1);
    baton_docindex_free(&back);

    /* Every deviation is refused. */
    char *v[8];
    int n = 0;
    v[n++] = strdup("{\"type\":\"baton-documents/1\",\"documents\":[\n]}"); /* no final LF */
    v[n++] = strdup("{\"type\":\"baton-documents/2\",\"documents\":[\n]}\n");
    v[n++] = strdup(text);
    v[n - 1][strlen(v[n - 1]) - 1] = ' '; /* trailing space instead of LF */
    v[n++] = strdup(text);
    strstr(v[n - 1], "1234")[0] = '0'; /* leading zero: 0234 */
    v[n++] = strdup(text);
    strstr(v[n - 1], "0002.txt")[3] = '0'; /* 0000.txt after 0001.pdf: order */
    v[n++] = strdup(text);
    strstr(v[n - 1], "0101")[0] = 'A'; /* upper-case hex */
    v[n++] = strdup(text);
    strstr(v[n - 1], "\\\"x")[1] = 'n'; /* an escape other than \" and \\ */
    v[n++] = strdup(text);
    strstr(v[n - 1], "},\n")[2] = ' ';
    for (int i = 0; i < n; i++) {
        if (baton_docindex_parse(v[i], strlen(v[i]), &back, NULL, 0) == 0) {
            baton_docindex_free(&back);
            fail_msg("accepted variant %d", i);
        }
        free(v[i]);
    }
    free(text);
    const char *empty = "{\"type\":\"baton-documents/1\",\"documents\":[\n]}\n";
    assert_int_equal(baton_docindex_parse(empty, strlen(empty), &back, NULL, 0), 0);
    assert_int_equal(back.n, 0);
    baton_docindex_free(&back);
}

static void the_writer_refuses_what_the_reader_would(void **state)
{
    (void)state;
    baton_docindex_entry e[2] = {
        {"data/documents/0001.pdf", "a.pdf", "application/pdf", 1, {0}},
        {"data/documents/0001.pdf", "b.pdf", "application/pdf", 1, {0}},
    };
    baton_docindex ix = {e, 2};
    char *text;
    size_t len;
    assert_int_equal(baton_docindex_format(&ix, &text, &len, NULL, 0), BATON_EEXIST);
    e[1].file = "data/other/0002.pdf";
    assert_int_equal(baton_docindex_format(&ix, &text, &len, NULL, 0), BATON_EINVAL);
    e[1].file = "data/documents/0002.pdf";
    e[1].name = "a\nb";
    assert_int_equal(baton_docindex_format(&ix, &text, &len, NULL, 0), BATON_EINVAL);
    e[1].name = "b.pdf";
    e[1].media_type = "PDF";
    assert_int_equal(baton_docindex_format(&ix, &text, &len, NULL, 0), BATON_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bag_names_are_numbers_with_the_extension),
        cmocka_unit_test(media_types_come_from_the_extension),
        cmocka_unit_test(given_names_are_anything_a_file_name_may_hold),
        cmocka_unit_test(the_text_has_one_canonical_form),
        cmocka_unit_test(the_writer_refuses_what_the_reader_would),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
