/* test_auth.c - bearer tokens: format, hashing, hash files, resolution. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "baton/error.h"

static void tokens_are_prefixed_base64url_of_32_bytes(void **state)
{
    char a[BH_TOKEN_TEXT_MAX], b[BH_TOKEN_TEXT_MAX];
    (void)state;
    assert_int_equal(bh_token_generate(a, sizeof a), 0);
    assert_int_equal(bh_token_generate(b, sizeof b), 0);
    assert_int_equal(strlen(a), 3 + 43); /* 32 bytes, unpadded base64 */
    assert_memory_equal(a, "bt_", 3);
    for (const char *p = a + 3; *p; p++)
        assert_non_null(
            strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", *p));
    assert_string_not_equal(a, b);
    assert_int_equal(bh_token_generate(a, 10), BATON_EINVAL);
}

static void hash_is_blake2b_256(void **state)
{
    /* BLAKE2b with a 32-byte digest of "abc" (RFC 7693 algorithm; value
     * from Python's hashlib.blake2b(b"abc", digest_size=32)). */
    unsigned char h[BH_TOKEN_HASH_BYTES];
    char text[BH_TOKEN_HASH_TEXT_MAX];
    (void)state;
    bh_token_hash("abc", 3, h);
    bh_token_hash_text(h, text);
    assert_string_equal(text, "blake2b256:"
                              "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

static void resolves_each_token_to_its_tenant_only(void **state)
{
    bh_token_entry e[3];
    bh_token_table t = {e, 3};
    const char *toks[3] = {"bt_first", "bt_second", "bt_third"};
    char hdr[64];
    uint32_t who = 99;
    (void)state;
    for (uint32_t i = 0; i < 3; i++) {
        bh_token_hash(toks[i], strlen(toks[i]), e[i].hash);
        e[i].tenant = 10 + i;
    }
    for (uint32_t i = 0; i < 3; i++) {
        snprintf(hdr, sizeof hdr, "Bearer %s", toks[i]);
        assert_int_equal(bh_auth_resolve(&t, hdr, &who), BH_AUTH_OK);
        assert_int_equal(who, 10 + i);
    }
    assert_int_equal(bh_auth_resolve(&t, "bearer  bt_second ", &who), BH_AUTH_OK);
    assert_int_equal(who, 11);
    assert_int_equal(bh_auth_resolve(&t, NULL, &who), BH_AUTH_MISSING);
    assert_int_equal(bh_auth_resolve(&t, "Basic YTpi", &who), BH_AUTH_MALFORMED);
    assert_int_equal(bh_auth_resolve(&t, "Bearer ", &who), BH_AUTH_MALFORMED);
    assert_int_equal(bh_auth_resolve(&t, "Bearer bt_fourth", &who), BH_AUTH_UNKNOWN);
    assert_int_equal(bh_auth_resolve(&t, "Bearer bt_firs", &who), BH_AUTH_UNKNOWN);
    assert_int_equal(bh_auth_resolve(&t, "Bearer bt_first2", &who), BH_AUTH_UNKNOWN);
}

static void hash_files_round_trip_private(void **state)
{
    char dir[] = "/tmp/baton-auth-XXXXXX";
    char path[256], err[256];
    unsigned char h1[BH_TOKEN_HASH_BYTES], h2[BH_TOKEN_HASH_BYTES];
    unsigned char(*got)[BH_TOKEN_HASH_BYTES] = NULL;
    size_t n = 7;
    struct stat st;
    FILE *f;
    (void)state;

    assert_non_null(mkdtemp(dir));
    assert_int_equal(bh_token_store_load(dir, "northwind", &got, &n, err, sizeof err), 0);
    assert_int_equal(n, 0); /* no file: no tokens */
    bh_token_hash("one", 3, h1);
    bh_token_hash("two", 3, h2);
    assert_int_equal(bh_token_store_add(dir, "northwind", h1, err, sizeof err), 0);
    assert_int_equal(bh_token_store_add(dir, "northwind", h2, err, sizeof err), 0);
    assert_int_equal(bh_token_store_load(dir, "northwind", &got, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_memory_equal(got[0], h1, sizeof h1);
    assert_memory_equal(got[1], h2, sizeof h2);
    free(got);
    snprintf(path, sizeof path, "%s/tokens/northwind.hashes", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(path, sizeof path, "%s/tokens", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);

    /* A tenant id that could escape the folder is refused. */
    assert_int_not_equal(bh_token_store_add(dir, "../x", h1, err, sizeof err), 0);

    /* A damaged line is reported with its number. */
    snprintf(path, sizeof path, "%s/tokens/southbank.hashes", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("# comment\n\nblake2b256:zz\n", f);
    fclose(f);
    assert_int_equal(bh_token_store_load(dir, "southbank", &got, &n, err, sizeof err),
                     BATON_EINVAL);
    assert_non_null(strstr(err, "line 3"));

    unlink(path);
    snprintf(path, sizeof path, "%s/tokens/northwind.hashes", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/tokens", dir);
    rmdir(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tokens_are_prefixed_base64url_of_32_bytes),
        cmocka_unit_test(hash_is_blake2b_256),
        cmocka_unit_test(resolves_each_token_to_its_tenant_only),
        cmocka_unit_test(hash_files_round_trip_private),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
