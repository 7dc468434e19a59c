/*
 * test_hkdf.c - HKDF-SHA256 against the SHA-256 test cases of RFC 5869
 * Appendix A (A.1 basic, A.2 long inputs and output, A.3 empty salt/info).
 *
 * HKDF is internal to libbaton (hidden symbol), so the source is compiled
 * into this test directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../sdk/src/hkdf.c"

static size_t unhex(const char *s, uint8_t *out)
{
    size_t n = strlen(s) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        sscanf(s + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
    return n;
}

static void check(const uint8_t *ikm, size_t ikmlen, const uint8_t *salt, size_t saltlen,
                  const uint8_t *info, size_t infolen, size_t L, const char *okm_hex)
{
    uint8_t want[128], got[128];
    size_t n = unhex(okm_hex, want);
    assert_int_equal(n, L);
    assert_int_equal(baton__hkdf_sha256(got, L, ikm, ikmlen, salt, saltlen, info, infolen), 0);
    assert_memory_equal(got, want, L);
}

/* RFC 5869 A.1 */
static void test_rfc5869_case1_basic(void **state)
{
    uint8_t ikm[22], salt[13], info[10];
    (void)state;
    memset(ikm, 0x0b, sizeof ikm);
    for (size_t i = 0; i < sizeof salt; i++)
        salt[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof info; i++)
        info[i] = (uint8_t)(0xf0 + i);
    check(ikm, sizeof ikm, salt, sizeof salt, info, sizeof info, 42,
          "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

/* RFC 5869 A.2 */
static void test_rfc5869_case2_long_inputs(void **state)
{
    uint8_t ikm[80], salt[80], info[80];
    (void)state;
    for (size_t i = 0; i < 80; i++) {
        ikm[i] = (uint8_t)i;
        salt[i] = (uint8_t)(0x60 + i);
        info[i] = (uint8_t)(0xb0 + i);
    }
    check(ikm, sizeof ikm, salt, sizeof salt, info, sizeof info, 82,
          "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
          "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
          "cc30c58179ec3e87c14c01d5c1f3434f1d87");
}

/* RFC 5869 A.3 */
static void test_rfc5869_case3_empty_salt_and_info(void **state)
{
    uint8_t ikm[22];
    (void)state;
    memset(ikm, 0x0b, sizeof ikm);
    check(ikm, sizeof ikm, NULL, 0, NULL, 0, 42,
          "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

static void test_output_longer_than_255_blocks_is_refused(void **state)
{
    static uint8_t out[255 * 32 + 1];
    uint8_t ikm[1] = {0};
    (void)state;
    assert_int_equal(baton__hkdf_sha256(out, sizeof out, ikm, 1, NULL, 0, NULL, 0), BATON_EINVAL);
    assert_int_equal(baton__hkdf_sha256(out, sizeof out - 1, ikm, 1, NULL, 0, NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc5869_case1_basic),
        cmocka_unit_test(test_rfc5869_case2_long_inputs),
        cmocka_unit_test(test_rfc5869_case3_empty_salt_and_info),
        cmocka_unit_test(test_output_longer_than_255_blocks_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
