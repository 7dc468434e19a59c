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

/* A token hash and the tenant it names, as a registry's table holds them. */
typedef struct entry {
    unsigned char hash[BH_TOKEN_HASH_BYTES];
    uint32_t tenant;
} entry;

/* bh_auth_resolve against a table holding the n entries of e. */
static enum bh_auth_result resolve_in(const entry *e, size_t n, const char *authorization,
                                      uint32_t *who)
{
    bh_token_table t;
    bh_token_table_init(&t);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(bh_token_table_add(&t, e[i].hash, e[i].tenant, NULL), 0);
    enum bh_auth_result r = bh_auth_resolve(&t, authorization, who);
    bh_token_table_free(&t);
    return r;
}

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
    entry e[3];
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
        assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], hdr, &who), BH_AUTH_OK);
        assert_int_equal(who, 10 + i);
    }
    assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], "bearer  bt_second ", &who), BH_AUTH_OK);
    assert_int_equal(who, 11);
    assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], NULL, &who), BH_AUTH_MISSING);
    assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], "Basic YTpi", &who), BH_AUTH_MALFORMED);
    assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], "Bearer ", &who), BH_AUTH_MALFORMED);
    assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], "Bearer bt_fourth", &who),
                     BH_AUTH_UNKNOWN);
    assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], "Bearer bt_firs", &who),
                     BH_AUTH_UNKNOWN);
    assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], "Bearer bt_first2", &who),
                     BH_AUTH_UNKNOWN);
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

/* Every byte of the hash decides: a table entry that differs from the
 * presented token's hash in any single byte (the first four equal, or all
 * but the last) is not a match. */
static void every_byte_of_the_hash_is_compared(void **state)
{
    entry e[1];
    uint32_t who = 99;
    (void)state;
    for (size_t i = 0; i < BH_TOKEN_HASH_BYTES; i++) {
        bh_token_hash("bt_presented", strlen("bt_presented"), e[0].hash);
        e[0].hash[i] ^= 0x01;
        e[0].tenant = 7;
        assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], "Bearer bt_presented", &who),
                         BH_AUTH_UNKNOWN);
        assert_int_equal(who, 99);
    }
    bh_token_hash("bt_presented", strlen("bt_presented"), e[0].hash);
    assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], "Bearer bt_presented", &who),
                     BH_AUTH_OK);
    assert_int_equal(who, 7);
}

/* Tokens are at most 128 bytes: one of exactly 128 resolves, a longer one
 * is never looked up, even when its hash is in the table. */
static void token_length_limit_is_128_bytes(void **state)
{
    entry e[2];
    char at_limit[129], over[130], hdr[160];
    uint32_t who = 99;
    (void)state;
    memset(at_limit, 'a', 128);
    at_limit[128] = '\0';
    memset(over, 'b', 129);
    over[129] = '\0';
    bh_token_hash(at_limit, 128, e[0].hash);
    e[0].tenant = 1;
    bh_token_hash(over, 129, e[1].hash);
    e[1].tenant = 2;
    snprintf(hdr, sizeof hdr, "Bearer %s", at_limit);
    assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], hdr, &who), BH_AUTH_OK);
    assert_int_equal(who, 1);
    who = 99;
    snprintf(hdr, sizeof hdr, "Bearer %s", over);
    assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], hdr, &who), BH_AUTH_UNKNOWN);
    assert_int_equal(who, 99);
}

/* The scheme is "Bearer" followed by a space: "Bearerbt_x" is not a
 * bearer token even when "bt_x" is one. */
static void scheme_needs_its_space(void **state)
{
    entry e[1];
    uint32_t who = 99;
    (void)state;
    bh_token_hash("bt_first", 8, e[0].hash);
    e[0].tenant = 3;
    assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], "Bearerxbt_first", &who),
                     BH_AUTH_MALFORMED);
    assert_int_equal(resolve_in(e, sizeof e / sizeof e[0], "Bearer\tbt_first", &who),
                     BH_AUTH_MALFORMED);
    assert_int_equal(who, 99);
}

/* A hash line is exactly "blake2b256:" and 64 hex digits. */
static void hash_lines_are_exact(void **state)
{
    static const char *bad[] = {
        "blake2b256:bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d5231900\n",
        "blake2b256:bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d523\n",
        "blake2b256:bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319x\n",
        "blake2b512:bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319\n",
    };
    char dir[] = "/tmp/baton-auth-XXXXXX";
    char path[256], err[256];
    unsigned char(*got)[BH_TOKEN_HASH_BYTES] = NULL;
    size_t n = 0;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/tokens", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/tokens/t.hashes", dir);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(bad[i], f);
        fclose(f);
        assert_int_equal(bh_token_store_load(dir, "t", &got, &n, err, sizeof err), BATON_EINVAL);
        assert_non_null(strstr(err, "line 1"));
    }
    unlink(path);
    snprintf(path, sizeof path, "%s/tokens", dir);
    rmdir(path);
    rmdir(dir);
}

/* A hash file longer than one read, with comments, blank lines, CRLF ends
 * and a last line without its end, reads whole and in order; a bad line
 * past the first read is named by its number; a FIFO reads as no hashes
 * instead of hanging. */
static void hash_files_read_whole_across_reads(void **state)
{
    char dir[] = "/tmp/baton-auth-XXXXXX";
    char path[256], err[256], line[BH_TOKEN_HASH_TEXT_MAX];
    unsigned char h[BH_TOKEN_HASH_BYTES];
    unsigned char(*got)[BH_TOKEN_HASH_BYTES] = NULL;
    size_t n = 0;
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/tokens", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/tokens/t.hashes", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# tokens of t\n\n", f);
    for (int i = 0; i < 150; i++) { /* 150 lines of 76 bytes: three reads */
        memset(h, i, sizeof h);
        bh_token_hash_text(h, line);
        fprintf(f, "%s%s", line, i == 149 ? "" : i % 2 ? "\r\n" : " \n");
    }
    fclose(f);
    assert_int_equal(bh_token_store_load(dir, "t", &got, &n, err, sizeof err), 0);
    assert_int_equal(n, 150);
    for (int i = 0; i < 150; i++) {
        memset(h, i, sizeof h);
        assert_memory_equal(got[i], h, sizeof h);
    }
    free(got);

    f = fopen(path, "a");
    fputs("\nblake2b256:00\n", f);
    fclose(f);
    assert_int_equal(bh_token_store_load(dir, "t", &got, &n, err, sizeof err), BATON_EINVAL);
    assert_non_null(strstr(err, "line 153:"));
    assert_null(got);

    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(bh_token_store_load(dir, "t", &got, &n, err, sizeof err), 0);
    assert_int_equal(n, 0);
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
        cmocka_unit_test(every_byte_of_the_hash_is_compared),
        cmocka_unit_test(token_length_limit_is_128_bytes),
        cmocka_unit_test(scheme_needs_its_space),
        cmocka_unit_test(hash_lines_are_exact),
        cmocka_unit_test(hash_files_read_whole_across_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
