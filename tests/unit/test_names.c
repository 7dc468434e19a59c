/*
 * test_names.c - the one name rule of baton/names.h: which names are
 * accepted (NFC, allowed categories, portable), which are refused (each
 * example of the audit), and which collide (the key: case folding and
 * compatibility forms beyond Latin-1).
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
#include "baton/names.h"

static int name_ok(const char *n)
{
    return baton_name_check(n, strlen(n), NULL, 0) == 0;
}

static char *key_of(const char *n)
{
    char *k = NULL;
    assert_int_equal(baton_name_key(n, strlen(n), &k), 0);
    assert_non_null(k);
    return k;
}

static int collide(const char *a, const char *b)
{
    char *x = key_of(a), *y = key_of(b);
    int same = strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

static void names_people_give_documents_are_accepted(void **state)
{
    (void)state;
    static const char *good[] = {
        "5% Zinsen.pdf",
        "Vergleich 50%.pdf",
        "\xc3\x9c"
        "berweisung M\xc3\xa4rz.pdf",                                   /* Überweisung März */
        "\xd0\xb4\xd0\xbe\xd0\xb3\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x80.pdf", /* договор */
        "\xe5\x90\x88\xe5\x90\x8c.pdf",                                 /* 合同 */
        "invoice 2026-01 (signed) [v2] #3 & co, ltd; 'x' ~ @ + = ! $ ^ ` {}.pdf",
        ".hidden",
        "console.txt",
        /* Devanagari: vowel sign U+093F and virama U+094D, marks outside
         * U+0300-036F that NFC leaves as they are. */
        "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xa6\xe0\xa5\x80.pdf",
        /* Cyrillic with the combining titlo U+0483. */
        "\xd0\xb1\xd2\x83.txt",
        /* Vietnamese, precomposed (NFC). */
        "Ti\xe1\xba\xbfng Vi\xe1\xbb\x87t.pdf",
        /* Korean (Hangul syllables are NFC). */
        "\xea\xb3\x84\xec\x95\xbd\xec\x84\x9c.pdf",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char err[256];
        if (baton_name_check(good[i], strlen(good[i]), err, sizeof err) != 0)
            fail_msg("refused good name #%zu: %s", i, err);
    }
}

static void invisible_and_unportable_names_are_refused(void **state)
{
    (void)state;
    static const char *bad[] = {
        "Mu\xcc\x88ller.pdf", /* u + U+0308 (NFD): not NFC */
        "\xe2\x84\xab.pdf",   /* Angstrom sign U+212B: NFC is U+00C5 */
        "\xe2\x84\xaa.pdf",   /* Kelvin sign U+212A: NFC is K */
        "Zins\xc2\xad"
        "satz.pdf", /* soft hyphen U+00AD */
        "a\xd8\x9c"
        "b.pdf", /* Arabic letter mark U+061C */
        "a\xe1\xa0\x8e"
        "b.pdf", /* Mongolian vowel separator U+180E */
        "a\xef\xbf\xb9"
        "b.pdf", /* interlinear annotation anchor U+FFF9 */
        "a\xf3\xa0\x81\x81"
        "b.pdf", /* tag character U+E0041 */
        "a\xe2\x80\xa8"
        "b.pdf", /* line separator U+2028 */
        "a\xe2\x80\xa9"
        "b.pdf", /* paragraph separator U+2029 */
        "a\xe2\x80\x8b"
        "b.pdf", /* zero-width space U+200B */
        "a\xe2\x80\x8d"
        "b.pdf", /* zero-width joiner U+200D */
        "\xe2\x80\xae"
        "fdp.exe", /* right-to-left override U+202E */
        "a\xe2\x81\xa6"
        "b.pdf", /* left-to-right isolate U+2066 */
        "a\xef\xbb\xbf"
        "b.pdf", /* BOM U+FEFF */
        "a\xef\xb8\x8f"
        "b.pdf", /* variation selector U+FE0F */
        "a\xcd\x8f"
        "b.pdf", /* combining grapheme joiner U+034F */
        "a\xe3\x85\xa4"
        "b.pdf", /* Hangul filler U+3164 */
        "a\xee\x80\x80"
        "b.pdf", /* private use U+E000 */
        "a\xcd\xb8"
        "b.pdf", /* unassigned U+0378 */
        "a\xef\xbf\xbe"
        "b.pdf", /* noncharacter U+FFFE */
        "a\xef\xb7\x90"
        "b.pdf", /* noncharacter U+FDD0 */
        "a\xc2\xa0"
        "b.pdf", /* no-break space U+00A0 */
        "a\xe3\x80\x80"
        "b.pdf", /* ideographic space U+3000 */
        "a\tb.pdf",
        "a\x7f"
        "b",
        "a\xc2\x85"
        "b",
        "a\rb",
        "a\nb",
        "a/b",
        "a\\b",
        "a:b",
        "a*b",
        "a?b",
        "a\"b",
        "a<b",
        "a>b",
        "a|b",
        " a.pdf",
        "a.pdf ",
        "a.",
        ".",
        "..",
        "",
        "NUL",
        "con.txt",
        "Com1.pdf",
        "LPT9",
        "\xc0\xaf",
        "\xed\xa0\x80",
        "\xff",
        "\xe2\x82",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (name_ok(bad[i]))
            fail_msg("accepted bad name #%zu", i);
    }
    /* The message names the code point and where it is, never the bytes. */
    char err[256];
    const char *shy = "Zins\xc2\xad"
                      "satz.pdf";
    assert_int_equal(baton_name_check(shy, strlen(shy), err, sizeof err), BATON_EINVAL);
    assert_non_null(strstr(err, "U+00AD at byte 4"));
    const char *nfd = "Mu\xcc\x88ller.pdf";
    assert_int_equal(baton_name_check(nfd, strlen(nfd), err, sizeof err), BATON_EINVAL);
    assert_non_null(strstr(err, "normalization form C"));
}

static void a_name_of_255_bytes_is_the_limit(void **state)
{
    (void)state;
    char n[300];
    /* 127 two-byte letters (254 bytes) + "a": 255 bytes. */
    size_t w = 0;
    for (int i = 0; i < 127; i++) {
        n[w++] = '\xc3';
        n[w++] = '\xa4';
    }
    n[w++] = 'a';
    assert_int_equal(w, 255);
    assert_int_equal(baton_name_check(n, w, NULL, 0), 0);
    n[w++] = 'b';
    assert_int_equal(baton_name_check(n, w, NULL, 0), BATON_EINVAL);
}

static void case_twins_and_compatibility_forms_collide(void **state)
{
    (void)state;
    assert_true(collide("Invoice.PDF", "invoice.pdf"));
    assert_true(collide("\xc3\x85.pdf", "\xc3\xa5.pdf"));                 /* Å å */
    assert_true(collide("\xc3\x85.pdf", "\xe2\x84\xab.pdf"));             /* Å, Angstrom sign */
    assert_true(collide("K.pdf", "\xe2\x84\xaa.pdf"));                    /* K, Kelvin sign */
    assert_true(collide("\xce\xa3.txt", "\xcf\x83.txt"));                 /* Σ σ */
    assert_true(collide("\xcf\x82.txt", "\xcf\x83.txt"));                 /* ς σ */
    assert_true(collide("\xd0\x94\xd0\x9e.pdf", "\xd0\xb4\xd0\xbe.pdf")); /* ДО до */
    assert_true(collide("\xe1\x83\x90.txt", "\xe1\xb2\x90.txt"));         /* Georgian ა Ა */
    assert_true(collide("\xe1\x8e\xa0.txt", "\xea\xad\xb0.txt"));         /* Cherokee Ꭰ ꭰ */
    assert_true(collide("Stra\xc3\x9f"
                        "e",
                        "STRASSE"));                   /* ß ss */
    assert_true(collide("\xef\xac\x81le", "file"));    /* ﬁ ligature */
    assert_true(collide("\xef\xbc\xa1.pdf", "a.pdf")); /* full-width Ａ */
    assert_true(collide("\xe2\x91\xa0.pdf", "1.pdf")); /* circled ① */
    assert_true(collide("Docs/A.pdf", "docs/a.PDF"));
    assert_false(collide("a.pdf", "b.pdf"));
    assert_false(collide("\xd0\xb4.pdf", "d.pdf"));
    assert_false(collide("Docs/a.pdf", "Docsa.pdf")); /* '/' stays a separator */
    assert_false(collide("\xc3\xa4.pdf", "a.pdf"));   /* a diaeresis is not a */
}

static void unicode_version_is_recorded(void **state)
{
    (void)state;
    const char *v = baton_name_unicode_version();
    assert_non_null(v);
    assert_true(strlen(v) >= 5 && v[0] >= '1' && v[0] <= '9');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_people_give_documents_are_accepted),
        cmocka_unit_test(invisible_and_unportable_names_are_refused),
        cmocka_unit_test(a_name_of_255_bytes_is_the_limit),
        cmocka_unit_test(case_twins_and_compatibility_forms_collide),
        cmocka_unit_test(unicode_version_is_recorded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
