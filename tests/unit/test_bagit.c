/*
 * test_bagit.c - the strict BagIt subset of baton/bagit.h: path rules,
 * name folding, manifest lines (the sha256sum format), bag-info.txt and
 * Payload-Oxum.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "baton/bagit.h"
#include "baton/error.h"

/* SHA-256("abc"), FIPS 180-2 appendix B.1. */
static const char ABC_HEX[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const uint8_t ABC[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                                0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                                0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};

static int path_ok(const char *p)
{
    return baton_bagit_path_check(p, strlen(p), NULL, 0) == 0;
}

static void path_rules_accept_ordinary_names(void **state)
{
    (void)state;
    assert_true(path_ok("data/case.json"));
    assert_true(path_ok("data/documents/invoice 2026-01 (signed).pdf"));
    assert_true(path_ok("data/documents/Mahnung M\xc3\xbcller.pdf")); /* precomposed u-umlaut */
    assert_true(path_ok("data/documents/.hidden"));
    assert_true(path_ok("data/documents/console.txt"));   /* not a device name */
    assert_true(path_ok("data/documents/5% Zinsen.pdf")); /* '%' is ordinary in names */
}

/* "." and ".." components are refused by their own rule (its message names
 * them), not only because a later rule (no trailing '.') happens to match
 * them too: removing the rule must be noticed. */
static void dot_components_are_refused_by_their_own_rule(void **state)
{
    (void)state;
    static const char *dots[] = {"..", "data/..", "data/../x", "data/documents/../../x",
                                 ".",  "data/./x"};
    for (size_t i = 0; i < sizeof dots / sizeof dots[0]; i++) {
        char err[160] = "";
        assert_int_equal(baton_bagit_path_check(dots[i], strlen(dots[i]), err, sizeof err),
                         BATON_EINVAL);
        if (strstr(err, "'..'") == NULL)
            fail_msg("%s: refused with \"%s\", not by the '.'/'..' rule", dots[i], err);
    }
}

/* Each path rule refuses its own case with its own message, before a
 * later rule that would also refuse it: "/x" is an absolute path (not an
 * empty first component), "a//b" an empty component (not an empty name),
 * and a path is at most BATON_BAGIT_PATH_MAX bytes. */
static void path_tricks_are_refused_by_their_own_rule(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        const char *message;
    } cases[] = {
        {"/etc/passwd", "absolute path"},
        {"data//x", "empty path component at byte 5"},
        {"data/x/", "empty path component at byte 7"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[200] = "";
        assert_int_equal(
            baton_bagit_path_check(cases[i].path, strlen(cases[i].path), err, sizeof err),
            BATON_EINVAL);
        assert_string_equal(err, cases[i].message);
    }
    char path[BATON_BAGIT_PATH_MAX + 2], err[200] = "";
    /* "data/" and components of 200 'a' separated by '/': 1024 bytes in all. */
    memset(path, 'a', sizeof path);
    memcpy(path, "data/", 5);
    for (size_t i = 5 + 200; i < BATON_BAGIT_PATH_MAX; i += 201)
        path[i] = '/';
    path[BATON_BAGIT_PATH_MAX] = '\0';
    assert_int_equal(baton_bagit_path_check(path, BATON_BAGIT_PATH_MAX, err, sizeof err), 0);
    path[BATON_BAGIT_PATH_MAX] = 'a';
    path[BATON_BAGIT_PATH_MAX + 1] = '\0';
    assert_int_equal(baton_bagit_path_check(path, BATON_BAGIT_PATH_MAX + 1, err, sizeof err),
                     BATON_EINVAL);
    assert_non_null(strstr(err, "path longer than"));
}

static void path_rules_refuse_tricks(void **state)
{
    (void)state;
    static const char *bad[] = {
        "/etc/passwd",
        "data/../x",
        "..",
        "data/./x",
        "data//x",
        "data/x/",
        "data/a\\b",
        "data/a:b",
        "data/x\r",
        "data/ x",
        "data/x ",
        "data/x.",
        "data/NUL",
        "data/com1.txt",
        "data/LPT9",
        "data/Mu\xcc\x88ller.pdf",  /* u + combining diaeresis (NFD) */
        "data/a\xe2\x80\x8b.pdf",   /* zero-width space */
        "data/\xe2\x80\xaegpj.exe", /* right-to-left override */
        "data/\xc0\xaf",            /* overlong '/' */
        "data/\xed\xa0\x80",        /* UTF-16 surrogate */
        "data/\xff",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (path_ok(bad[i]))
            fail_msg("accepted path #%zu", i);
    }
    char longc[300];
    memset(longc, 'a', 256);
    longc[256] = '\0';
    assert_false(path_ok(longc));
}

static void manifest_line_is_sha256sum_format(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    assert_int_equal(baton_bagit_manifest_append(&buf, &len, &cap, ABC, "data/a b.txt", NULL, 0),
                     0);
    char want[128];
    strcpy(want, ABC_HEX);
    strcat(want, "  data/a b.txt\n");
    assert_int_equal(len, strlen(want));
    assert_memory_equal(buf, want, len);
    baton_bagit_manifest m;
    assert_int_equal(baton_bagit_manifest_parse(buf, len, &m, NULL, 0), 0);
    assert_int_equal(m.n, 1);
    assert_memory_equal(m.entries[0].sha256, ABC, 32);
    assert_string_equal(m.entries[0].path, "data/a b.txt");
    assert_int_equal(baton_bagit_manifest_find(&m, "data/a b.txt"), 0);
    assert_int_equal(baton_bagit_manifest_find(&m, "data/other"), -1);
    baton_bagit_manifest_free(&m);
    free(buf);
}

static int parses(const char *text)
{
    baton_bagit_manifest m;
    int rc = baton_bagit_manifest_parse(text, strlen(text), &m, NULL, 0);
    if (rc == 0)
        baton_bagit_manifest_free(&m);
    return rc == 0;
}

static void manifest_parser_refuses_non_canonical_text(void **state)
{
    (void)state;
    char t[512];
#define LINE(fmt) (snprintf(t, sizeof t, fmt, ABC_HEX, ABC_HEX), t)
    assert_true(parses(LINE("%s  data/a\n%s  data/b\n")));
    assert_true(parses(""));
    assert_false(parses(LINE("%s  data/b\n%s  data/a\n"))); /* unsorted */
    assert_false(parses(LINE("%s  data/a\n%s  data/a\n"))); /* duplicate */
    assert_false(parses(LINE("%s  data/A\n%s  data/a\n"))); /* differ by case only */
    assert_false(parses(LINE("%s  data/a\r\n%.0s")));       /* CRLF */
    assert_false(parses(LINE("%s  data/a %.0s\n")));        /* trailing space */
    assert_false(parses(LINE("%s data/a%.0s\n")));          /* one space */
    assert_false(parses(LINE("%s *data/a%.0s\n")));         /* binary marker */
    assert_false(parses(LINE("%s  data/a%.0s")));           /* no final newline */
    assert_false(parses(LINE("%s  data/%%41%.0s\n")));      /* other percent-encoding */
    assert_false(parses(LINE("%s  data/a%%%.0s\n")));       /* bare '%' */
    assert_false(parses(LINE("%s  data/a%%2%.0s\n")));      /* truncated escape */
    assert_false(parses(LINE("%s  data/a%%0A%.0s\n")));     /* LF decodes, then refused */
    assert_false(parses(LINE("%s  data/a%%0d%.0s\n")));     /* CR decodes, then refused */
    /* A-ring U+00C5 next to the Angstrom sign U+212B (not NFC). */
    assert_false(parses(LINE("%s  data/\xc3\x85\n%s  data/\xe2\x84\xab\n")));
    /* "fi" next to the ligature U+FB01 (NFC, but the same key). */
    assert_false(parses(LINE("%s  data/fi\n%s  data/\xef\xac\x81\n")));
    /* Greek capital and small sigma. */
    assert_false(parses(LINE("%s  data/\xce\xa3\n%s  data/\xcf\x83\n")));
    assert_false(parses(LINE("%s  ../a%.0s\n")));      /* path trick */
    assert_false(parses(LINE("\n%s  data/a%.0s\n")));  /* empty line */
    assert_false(parses(LINE("%.63s  data/a%.0s\n"))); /* short digest */
#undef LINE
    /* Upper-case hex. */
    snprintf(t, sizeof t, "%s  data/a\n", ABC_HEX);
    for (char *c = t; *c != ' '; c++)
        if (*c >= 'a' && *c <= 'f')
            *c = (char)(*c - 32);
    assert_false(parses(t));
}

static void manifest_paths_use_rfc8493_percent_encoding(void **state)
{
    (void)state;
    char *buf = NULL, want[160];
    size_t len = 0, cap = 0;
    assert_int_equal(
        baton_bagit_manifest_append(&buf, &len, &cap, ABC, "data/5% Zinsen.pdf", NULL, 0), 0);
    snprintf(want, sizeof want, "%s  data/5%%25 Zinsen.pdf\n", ABC_HEX);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(buf, want, len);
    baton_bagit_manifest m;
    assert_int_equal(baton_bagit_manifest_parse(buf, len, &m, NULL, 0), 0);
    assert_string_equal(m.entries[0].path, "data/5% Zinsen.pdf");
    assert_int_equal(baton_bagit_manifest_find(&m, "data/5% Zinsen.pdf"), 0);
    baton_bagit_manifest_free(&m);
    free(buf);
}

static void bag_info_is_strict(void **state)
{
    (void)state;
    baton_bagit_info info;
    const char *good = "External-Identifier: NW-1\nPayload-Oxum: 279164409.1198\n"
                       "Contact-Name: A B\nContact-Name: C D\n";
    assert_int_equal(baton_bagit_info_parse(good, strlen(good), &info, NULL, 0), 0);
    assert_string_equal(baton_bagit_info_get(&info, "Payload-Oxum"), "279164409.1198");
    assert_string_equal(baton_bagit_info_get(&info, "Contact-Name"), "A B");
    assert_null(baton_bagit_info_get(&info, "Bag-Size"));
    baton_bagit_info_free(&info);
    static const char *bad[] = {
        "Label: x\r\n", "Label:x\n",
        "Label: x \n",  "Label: x",
        "Label:  x\n",  "Label: x\n  continued\n",
        "1Label: x\n",  "La bel: x\n",
        "Label: \n",    "Payload-Oxum: 1.1\nPayload-Oxum: 1.1\n",
        "\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (baton_bagit_info_parse(bad[i], strlen(bad[i]), &info, NULL, 0) == 0) {
            baton_bagit_info_free(&info);
            fail_msg("accepted bag-info #%zu", i);
        }
    }
}

static void payload_oxum_parses_octets_and_streams(void **state)
{
    (void)state;
    uint64_t o, s;
    /* RFC 8493 section 2.2.2's example value. */
    assert_int_equal(baton_bagit_oxum_parse("279164409.1198", &o, &s), 0);
    assert_int_equal(o, 279164409);
    assert_int_equal(s, 1198);
    assert_int_equal(baton_bagit_oxum_parse("0.0", &o, &s), 0);
    assert_int_not_equal(baton_bagit_oxum_parse("01.1", &o, &s), 0);
    assert_int_not_equal(baton_bagit_oxum_parse("1", &o, &s), 0);
    assert_int_not_equal(baton_bagit_oxum_parse("1.", &o, &s), 0);
    assert_int_not_equal(baton_bagit_oxum_parse("-1.1", &o, &s), 0);
    assert_int_not_equal(baton_bagit_oxum_parse("18446744073709551616.1", &o, &s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(path_rules_accept_ordinary_names),
        cmocka_unit_test(path_rules_refuse_tricks),
        cmocka_unit_test(manifest_paths_use_rfc8493_percent_encoding),
        cmocka_unit_test(dot_components_are_refused_by_their_own_rule),
        cmocka_unit_test(path_tricks_are_refused_by_their_own_rule),
        cmocka_unit_test(manifest_line_is_sha256sum_format),
        cmocka_unit_test(manifest_parser_refuses_non_canonical_text),
        cmocka_unit_test(bag_info_is_strict),
        cmocka_unit_test(payload_oxum_parses_octets_and_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
