/*
 * test_bech32.c - Bech32 against the BIP-173 test vectors (valid strings
 * with their checksums, and each listed invalid case), plus the 8-bit
 * conversion rules age relies on.
 *
 * Bech32 is internal to libbaton (hidden symbol), so the source is compiled
 * into this test directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../sdk/src/bech32.c"

/* BIP-173, "Test vectors": valid Bech32 strings. */
static const char *const valid[] = {
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
};

/* BIP-173, "Test vectors": invalid Bech32 strings with the reason given. */
static const char *const invalid[] = {
    "\x20"
    "1nwldj5", /* HRP character out of range */
    "\x7f"
    "1axkwrx", /* HRP character out of range */
    "\x80"
    "1eym55h", /* HRP character out of range */
    "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
    /* overall max length exceeded */
    "pzry9x0s0muk",  /* no separator character */
    "1pzry9x0s0muk", /* empty HRP */
    "x1b4n0q5v",     /* invalid data character */
    "li1dgmt3",      /* too short checksum */
    "de1lg7wt\xff",  /* invalid character in checksum */
    "A1G7SGD8",      /* checksum calculated with uppercase form of HRP */
    "10a06t8",       /* empty HRP */
    "1qzzfhee",      /* empty HRP */
};

static void test_bip173_valid_strings_decode_and_reencode(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        char hrp[100], lower_hrp[100], again[100], lower_in[100];
        uint8_t data[100];
        size_t n = 0, len = strlen(valid[i]);
        assert_int_equal(
            baton__bech32_decode(valid[i], len, hrp, sizeof hrp, data, sizeof data, &n), 0);
        for (size_t j = 0; j <= strlen(hrp); j++)
            lower_hrp[j] = (char)lower((unsigned char)hrp[j]);
        for (size_t j = 0; j <= len; j++)
            lower_in[j] = (char)lower((unsigned char)valid[i][j]);
        assert_int_equal(baton__bech32_encode(again, sizeof again, lower_hrp, data, n, 0), 0);
        assert_string_equal(again, lower_in);
    }
}

static void test_bip173_invalid_strings_are_refused(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        char hrp[100];
        uint8_t data[100];
        size_t n = 0;
        assert_int_equal(baton__bech32_decode(invalid[i], strlen(invalid[i]), hrp, sizeof hrp, data,
                                              sizeof data, &n),
                         BATON_EINVAL);
    }
}

static void test_single_character_changes_break_the_checksum(void **state)
{
    char s[] = "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw";
    (void)state;
    for (size_t i = 7; i < sizeof s - 1; i++) {
        char saved = s[i];
        char hrp[16];
        uint8_t data[64];
        size_t n;
        s[i] = saved == 'q' ? 'p' : 'q';
        assert_int_not_equal(
            baton__bech32_decode(s, strlen(s), hrp, sizeof hrp, data, sizeof data, &n), 0);
        s[i] = saved;
    }
}

static void test_mixed_case_is_refused(void **state)
{
    char hrp[16];
    uint8_t data[8];
    size_t n;
    (void)state;
    assert_int_equal(baton__bech32_decode("A12uEL5L", 8, hrp, sizeof hrp, data, sizeof data, &n),
                     BATON_EINVAL);
}

static void test_upper_case_encoding_of_32_bytes_round_trips(void **state)
{
    uint8_t key[32], back[40];
    char s[91], hrp[32];
    size_t n = 0;
    (void)state;
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)(i * 7 + 3);
    assert_int_equal(baton__bech32_encode(s, sizeof s, "age-secret-key-", key, 32, 1), 0);
    assert_int_equal(strlen(s), 74);
    assert_true(strncmp(s, "AGE-SECRET-KEY-1", 16) == 0);
    assert_int_equal(baton__bech32_decode(s, strlen(s), hrp, sizeof hrp, back, sizeof back, &n), 0);
    assert_string_equal(hrp, "AGE-SECRET-KEY-");
    assert_int_equal(n, 32);
    assert_memory_equal(back, key, 32);
}

static void test_non_zero_padding_bits_are_refused(void **state)
{
    /* "qp" under hrp "a" = 10 bits: 8 data bits and 2 padding bits. Build a
     * string whose padding bits are non-zero with a valid checksum by
     * encoding raw 5-bit words through the checksum code. */
    char s[32];
    char hrp[8];
    uint8_t data[8];
    size_t n;
    uint32_t chk = hrp_polymod("a", 1);
    const uint32_t words[2] = {0, 1}; /* second word's low bits are padding */
    size_t pos = 2;
    (void)state;
    s[0] = 'a';
    s[1] = '1';
    for (int i = 0; i < 2; i++) {
        chk = polymod_step(chk) ^ words[i];
        s[pos++] = charset[words[i]];
    }
    for (int i = 0; i < 6; i++)
        chk = polymod_step(chk);
    chk ^= 1;
    for (int i = 0; i < 6; i++)
        s[pos++] = charset[(chk >> (5 * (5 - i))) & 0x1f];
    s[pos] = '\0';
    assert_int_equal(baton__bech32_decode(s, pos, hrp, sizeof hrp, data, sizeof data, &n),
                     BATON_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bip173_valid_strings_decode_and_reencode),
        cmocka_unit_test(test_bip173_invalid_strings_are_refused),
        cmocka_unit_test(test_single_character_changes_break_the_checksum),
        cmocka_unit_test(test_mixed_case_is_refused),
        cmocka_unit_test(test_upper_case_encoding_of_32_bytes_round_trips),
        cmocka_unit_test(test_non_zero_padding_bits_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
