/* test_escape.c - baton_escape: what text from a package may print as. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "baton/escape.h"

static const char *esc(const char *in, size_t len, size_t outlen)
{
    static char out[512];
    size_t n = baton_escape(in, len, out, outlen);
    assert_int_equal(n, strlen(out));
    return out;
}

#define E(s) esc(s, sizeof(s) - 1, 512)

static void printable_text_passes_unchanged(void **state)
{
    (void)state;
    assert_string_equal(E("invoice 2025-017.pdf"), "invoice 2025-017.pdf");
    assert_string_equal(E("Rechnung M\xc3\xa4rz \xe2\x82\xac \xe6\x97\xa5"),
                        "Rechnung M\xc3\xa4rz \xe2\x82\xac \xe6\x97\xa5");
    assert_true(baton_escape_clean("M\xc3\xbcller", 7));
}

static void line_breaks_and_terminal_escapes_cannot_pass(void **state)
{
    (void)state;
    assert_string_equal(E("x\nbaton open: verdict=accepted"), "x\\nbaton open: verdict=accepted");
    assert_string_equal(E("a\r\tb"), "a\\r\\tb");
    assert_string_equal(E("\x1b[2J\x07\x7f"), "\\x1b[2J\\x07\\x7f");
    assert_string_equal(E("back\\slash"), "back\\\\slash");
    assert_string_equal(E("nul\0x"), "nul\\x00x");
    assert_false(baton_escape_clean("a\nb", 3));
}

static void invalid_utf8_is_shown_byte_by_byte(void **state)
{
    (void)state;
    assert_string_equal(E("a\xff"
                          "b"),
                        "a\\xffb");
    assert_string_equal(E("\xc0\xaf"), "\\xc0\\xaf");          /* overlong '/' */
    assert_string_equal(E("\xed\xa0\x80"), "\\xed\\xa0\\x80"); /* surrogate */
    assert_string_equal(E("\xe2\x82"), "\\xe2\\x82");          /* cut short */
}

static void hidden_and_reordering_characters_are_escaped(void **state)
{
    (void)state;
    assert_string_equal(E("a\xe2\x80\xae"
                          "fdp.exe"),
                        "a\\u202efdp.exe");        /* RLO */
    assert_string_equal(E("\xc2\x9b"), "\\u009b"); /* C1 CSI */
    assert_string_equal(E("\xe2\x80\xa8"), "\\u2028");
    assert_string_equal(E("\xef\xbb\xbf"), "\\ufeff");
    assert_string_equal(E("\xf3\xa0\x81\x81"), "\\U000e0041"); /* tag character */
}

static void a_short_buffer_cuts_between_escapes(void **state)
{
    (void)state;
    /* 8 bytes: "ab" + "..." + NUL fits, "\x1b" would not. */
    assert_string_equal(esc("ab\x1b"
                            "cdef",
                            7, 8),
                        "ab...");
    assert_string_equal(esc("abc", 3, 4), "abc");
    assert_string_equal(esc("abcd", 4, 4), "...");
    assert_string_equal(esc("abcd", 4, 1), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(printable_text_passes_unchanged),
        cmocka_unit_test(line_breaks_and_terminal_escapes_cannot_pass),
        cmocka_unit_test(invalid_utf8_is_shown_byte_by_byte),
        cmocka_unit_test(hidden_and_reordering_characters_are_escaped),
        cmocka_unit_test(a_short_buffer_cuts_between_escapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
