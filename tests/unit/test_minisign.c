/*
 * test_minisign.c - libbaton's minisign module through its public API:
 * sign/verify round trips, streaming prehash, key files, encrypted keys, and
 * every tampering case verification must refuse. Interop with the real
 * minisign binary is in tests/interop.
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
#include "baton/minisign.h"

/* Small scrypt cost so tests stay quick (libsodium's minimums are 32768
 * ops and 16 MiB). */
#define OPS 32768
#define MEM (16u << 20)

struct keys {
    baton_minisign_seckey *sk;
    baton_minisign_pubkey pk;
};

static int setup(void **state)
{
    struct keys *k = calloc(1, sizeof *k);
    if (k == NULL || baton_minisign_keygen(&k->sk, &k->pk, NULL, 0) != 0)
        return -1;
    *state = k;
    return 0;
}

static int teardown(void **state)
{
    struct keys *k = *state;
    baton_minisign_seckey_free(k->sk);
    free(k);
    return 0;
}

static char *sign(struct keys *k, const char *msg, const char *tc)
{
    char *sig = NULL;
    size_t len = 0;
    assert_int_equal(
        baton_minisign_sign_buffer(k->sk, msg, strlen(msg), NULL, tc, &sig, &len, NULL, 0), 0);
    assert_int_equal(strlen(sig), len);
    return sig;
}

static int verify(struct keys *k, const char *msg, const char *sig)
{
    char err[256];
    return baton_minisign_verify_buffer(&k->pk, msg, strlen(msg), sig, strlen(sig), NULL, 0, err,
                                        sizeof err);
}

static void test_sign_then_verify_returns_trusted_comment(void **state)
{
    struct keys *k = *state;
    char *sig = sign(k, "hello", "case:42\tseq:7");
    char tc[128];
    assert_int_equal(
        baton_minisign_verify_buffer(&k->pk, "hello", 5, sig, strlen(sig), tc, sizeof tc, NULL, 0),
        0);
    assert_string_equal(tc, "case:42\tseq:7");
    baton_minisign_text_free(sig);
}

static void test_signature_text_has_minisign_layout(void **state)
{
    struct keys *k = *state;
    char *sig = sign(k, "x", "t");
    char *l2 = strchr(sig, '\n') + 1;
    char *l3 = strchr(l2, '\n') + 1;
    char *l4 = strchr(l3, '\n') + 1;
    assert_true(strncmp(sig, "untrusted comment: signature from minisign secret key\n", 54) == 0);
    assert_int_equal(l3 - l2, 101);         /* base64 of 74 bytes + LF */
    assert_true(strncmp(l2, "RU", 2) == 0); /* "ED" */
    assert_true(strncmp(l3, "trusted comment: t\n", 19) == 0);
    assert_int_equal(strlen(l4), 89); /* base64 of 64 bytes + LF */
    baton_minisign_text_free(sig);
}

static void test_streaming_prehash_matches_one_shot(void **state)
{
    struct keys *k = *state;
    baton_minisign_prehash *h = NULL;
    uint8_t ph[64];
    char msg[1000];
    baton_minisign_sig parsed;
    char *sig;
    for (size_t i = 0; i < sizeof msg - 1; i++)
        msg[i] = (char)('a' + i % 26);
    msg[sizeof msg - 1] = '\0';
    sig = sign(k, msg, "stream");
    assert_int_equal(baton_minisign_prehash_new(&h), 0);
    for (size_t off = 0; off < strlen(msg); off += 37) {
        size_t n = strlen(msg) - off < 37 ? strlen(msg) - off : 37;
        assert_int_equal(baton_minisign_prehash_update(h, msg + off, n), 0);
    }
    assert_int_equal(baton_minisign_prehash_final(h, ph), 0);
    assert_int_equal(baton_minisign_sig_parse(sig, strlen(sig), &parsed, NULL, 0), 0);
    assert_int_equal(baton_minisign_verify_prehashed(&k->pk, &parsed, ph, NULL, 0), 0);
    baton_minisign_prehash_free(h);
    baton_minisign_text_free(sig);
}

static void test_tampered_content_is_refused(void **state)
{
    struct keys *k = *state;
    char *sig = sign(k, "pay 100", "t");
    assert_int_equal(verify(k, "pay 900", sig), BATON_ECRYPTO);
    baton_minisign_text_free(sig);
}

static void test_tampered_trusted_comment_is_refused(void **state)
{
    struct keys *k = *state;
    char *sig = sign(k, "doc", "recipient:firm-a");
    char *p = strstr(sig, "firm-a");
    p[5] = 'b';
    assert_int_equal(verify(k, "doc", sig), BATON_ECRYPTO);
    baton_minisign_text_free(sig);
}

static void test_untrusted_comment_is_not_covered(void **state)
{
    struct keys *k = *state;
    char *sig = sign(k, "doc", "t");
    memcpy(sig + strlen("untrusted comment: "), "SIGNATURE", 9);
    assert_int_equal(verify(k, "doc", sig), 0);
    baton_minisign_text_free(sig);
}

static void test_other_key_is_refused_by_key_id(void **state)
{
    struct keys *k = *state;
    struct keys other;
    char *sig = sign(k, "doc", "t");
    char err[256];
    assert_int_equal(baton_minisign_keygen(&other.sk, &other.pk, NULL, 0), 0);
    assert_int_equal(baton_minisign_verify_buffer(&other.pk, "doc", 3, sig, strlen(sig), NULL, 0,
                                                  err, sizeof err),
                     BATON_EINVAL);
    assert_non_null(strstr(err, "key id"));
    /* Same key id, different key: the signature itself fails. */
    memcpy(other.pk.keynum, k->pk.keynum, 8);
    assert_int_equal(
        baton_minisign_verify_buffer(&other.pk, "doc", 3, sig, strlen(sig), NULL, 0, NULL, 0),
        BATON_ECRYPTO);
    baton_minisign_seckey_free(other.sk);
    baton_minisign_text_free(sig);
}

static void test_malformed_signatures_are_refused(void **state)
{
    struct keys *k = *state;
    char *sig = sign(k, "doc", "t");
    char buf[1024];
    char *l2 = strchr(sig, '\n') + 1;
    size_t off2 = (size_t)(l2 - sig);
    char *l4 = strrchr(sig, '\n');
    baton_minisign_sig parsed;

    /* Missing final newline is accepted, as minisign does. */
    snprintf(buf, sizeof buf, "%.*s", (int)strlen(sig) - 1, sig);
    assert_int_equal(verify(k, "doc", buf), 0);
    /* Extra data after the fourth line. */
    snprintf(buf, sizeof buf, "%sextra\n", sig);
    assert_int_equal(verify(k, "doc", buf), BATON_EINVAL);
    /* CRLF line endings. */
    snprintf(buf, sizeof buf, "%s", sig);
    buf[strlen(buf) - 1] = '\r';
    assert_int_equal(verify(k, "doc", buf), BATON_EINVAL);
    /* Legacy algorithm "Ed": "RUQ" -> "RWQ" changes byte 1 from 'D' to 'd'. */
    snprintf(buf, sizeof buf, "%s", sig);
    buf[off2 + 1] = 'W';
    assert_int_equal(baton_minisign_sig_parse(buf, strlen(buf), &parsed, NULL, 0), BATON_EUNSUPP);
    /* Non-canonical base64: the global signature's last character before
     * "==" carries 4 unused bits; set one of them. */
    snprintf(buf, sizeof buf, "%s", sig);
    {
        size_t last = (size_t)(l4 - sig) - 3; /* char before "==" */
        const char *alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        int v = (int)(strchr(alpha, buf[last]) - alpha);
        buf[last] = alpha[v ^ 1];
    }
    assert_int_equal(baton_minisign_sig_parse(buf, strlen(buf), &parsed, NULL, 0), BATON_EINVAL);
    /* Whitespace inside base64. */
    snprintf(buf, sizeof buf, "%s", sig);
    buf[off2 + 10] = ' ';
    assert_int_equal(baton_minisign_sig_parse(buf, strlen(buf), &parsed, NULL, 0), BATON_EINVAL);
    /* Wrong prefix. */
    snprintf(buf, sizeof buf, "untrusted: x\n%s", l2);
    assert_int_equal(baton_minisign_sig_parse(buf, strlen(buf), &parsed, NULL, 0), BATON_EINVAL);
    baton_minisign_text_free(sig);
}

/* Comments are at most BATON_MINISIGN_COMMENT_MAX (untrusted) and
 * BATON_MINISIGN_TRUSTED_MAX (trusted) bytes, exactly: a signature with a
 * comment at the limit parses, one byte more is refused (the parsed
 * signature holds the comments in buffers of that size). */
static void test_comment_limits_are_exact(void **state)
{
    struct keys *k = *state;
    baton_minisign_sig *parsed = malloc(sizeof *parsed);
    char *tc = malloc(BATON_MINISIGN_TRUSTED_MAX + 1), *buf = NULL, *sig, err[256];
    assert_non_null(parsed);
    assert_non_null(tc);
    memset(tc, 't', BATON_MINISIGN_TRUSTED_MAX);
    tc[BATON_MINISIGN_TRUSTED_MAX] = '\0';
    sig = sign(k, "doc", tc);
    assert_int_equal(verify(k, "doc", sig), 0);
    /* One more byte in the trusted comment line. */
    char *at = strstr(sig, "trusted comment: t") + strlen("trusted comment: ");
    assert_true(asprintf(&buf, "%.*st%s", (int)(at - sig), sig, at) > 0);
    assert_int_equal(baton_minisign_sig_parse(buf, strlen(buf), parsed, err, sizeof err),
                     BATON_EINVAL);
    assert_string_equal(err, "trusted comment too long");
    free(buf);
    /* The untrusted comment: at the limit, and one byte more. */
    char *l2 = strchr(sig, '\n') + 1;
    assert_true(asprintf(&buf, "untrusted comment: %0*d\n%s", BATON_MINISIGN_COMMENT_MAX, 0, l2) >
                0);
    assert_int_equal(baton_minisign_sig_parse(buf, strlen(buf), parsed, err, sizeof err), 0);
    free(buf);
    assert_true(
        asprintf(&buf, "untrusted comment: %0*d\n%s", BATON_MINISIGN_COMMENT_MAX + 1, 0, l2) > 0);
    assert_int_equal(baton_minisign_sig_parse(buf, strlen(buf), parsed, err, sizeof err),
                     BATON_EINVAL);
    assert_string_equal(err, "untrusted comment too long");
    free(buf);
    baton_minisign_text_free(sig);
    free(tc);
    free(parsed);
}

/* A CR anywhere is refused as malformed, before the lines are read: at the
 * end of the untrusted comment (which no signature covers, so nothing else
 * would notice) and at the end of the trusted comment (which would
 * otherwise be reported as a bad signature). */
static void test_carriage_returns_are_malformed(void **state)
{
    struct keys *k = *state;
    char *sig = sign(k, "doc", "t"), *buf = NULL, err[256];
    baton_minisign_sig parsed;
    char *nl1 = strchr(sig, '\n');
    assert_true(asprintf(&buf, "%.*s\r%s", (int)(nl1 - sig), sig, nl1) > 0);
    assert_int_equal(baton_minisign_sig_parse(buf, strlen(buf), &parsed, err, sizeof err),
                     BATON_EINVAL);
    assert_string_equal(err, "signature contains NUL or CR characters");
    free(buf);
    char *nl3 = strstr(sig, "trusted comment: t\n") + strlen("trusted comment: t");
    assert_true(asprintf(&buf, "%.*s\r%s", (int)(nl3 - sig), sig, nl3) > 0);
    assert_int_equal(verify(k, "doc", buf), BATON_EINVAL);
    free(buf);
    baton_minisign_text_free(sig);
}

static void test_comments_must_be_one_line(void **state)
{
    struct keys *k = *state;
    char *sig = NULL;
    assert_int_equal(baton_minisign_sign_buffer(k->sk, "d", 1, NULL, "a\nb", &sig, NULL, NULL, 0),
                     BATON_EINVAL);
    assert_int_equal(baton_minisign_sign_buffer(k->sk, "d", 1, "a\rb", "t", &sig, NULL, NULL, 0),
                     BATON_EINVAL);
    assert_null(sig);
}

static void test_unencrypted_secret_key_round_trips_like_minisign_W(void **state)
{
    struct keys *k = *state;
    baton_minisign_seckey *back = NULL;
    baton_minisign_pubkey pk2;
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(baton_minisign_seckey_encode(k->sk, NULL, 0, 0, NULL, &text, &len, NULL, 0),
                     0);
    assert_true(strncmp(text, "untrusted comment: minisign encrypted secret key\nRWQAAEIy", 56) ==
                0); /* "Ed" 00 00 "B2" */
    assert_int_equal(baton_minisign_seckey_is_encrypted(text, len), 0);
    assert_int_equal(baton_minisign_seckey_decode(text, len, NULL, &back, NULL, 0), 0);
    baton_minisign_seckey_public(back, &pk2);
    assert_memory_equal(&pk2, &k->pk, sizeof pk2);
    baton_minisign_seckey_free(back);
    baton_minisign_text_free(text);
}

static void test_encrypted_secret_key_needs_the_password(void **state)
{
    struct keys *k = *state;
    baton_minisign_seckey *back = NULL;
    baton_minisign_pubkey pk2;
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(
        baton_minisign_seckey_encode(k->sk, "s3cret", OPS, MEM, NULL, &text, &len, NULL, 0), 0);
    assert_true(strncmp(text + 49, "RWRTY0Iy", 8) == 0); /* "Ed" "Sc" "B2" */
    assert_int_equal(baton_minisign_seckey_is_encrypted(text, len), 1);
    assert_int_equal(baton_minisign_seckey_decode(text, len, NULL, &back, NULL, 0), BATON_EDENIED);
    assert_int_equal(baton_minisign_seckey_decode(text, len, "wrong", &back, NULL, 0),
                     BATON_ECRYPTO);
    assert_null(back);
    assert_int_equal(baton_minisign_seckey_decode(text, len, "s3cret", &back, NULL, 0), 0);
    baton_minisign_seckey_public(back, &pk2);
    assert_memory_equal(&pk2, &k->pk, sizeof pk2);
    baton_minisign_seckey_free(back);
    baton_minisign_text_free(text);
}

static void test_public_key_file_and_bare_string_round_trip(void **state)
{
    struct keys *k = *state;
    char b64[BATON_MINISIGN_PUBKEY_B64_LEN + 1];
    char id[BATON_MINISIGN_KEYID_HEX_LEN + 1];
    char want[128];
    baton_minisign_pubkey back;
    char *text = NULL;
    size_t len = 0;
    baton_minisign_pubkey_encode(&k->pk, b64);
    assert_int_equal(strlen(b64), 56);
    assert_true(strncmp(b64, "RW", 2) == 0);
    assert_int_equal(baton_minisign_pubkey_decode(b64, strlen(b64), &back, NULL, 0), 0);
    assert_memory_equal(&back, &k->pk, sizeof back);
    assert_int_equal(baton_minisign_pubkey_file_encode(&k->pk, NULL, &text, &len), 0);
    baton_minisign_keyid_hex(k->pk.keynum, id);
    snprintf(want, sizeof want, "untrusted comment: minisign public key %s\n%s\n", id, b64);
    assert_string_equal(text, want);
    memset(&back, 0, sizeof back);
    assert_int_equal(baton_minisign_pubkey_file_decode(text, len, &back, NULL, 0), 0);
    assert_memory_equal(&back, &k->pk, sizeof back);
    /* Trailing junk after the key line is refused. */
    assert_int_not_equal(baton_minisign_pubkey_decode(b64, strlen(b64) - 1, &back, NULL, 0), 0);
    baton_minisign_text_free(text);
}

static void test_key_id_hex_is_little_endian_without_leading_zeros(void **state)
{
    const uint8_t keynum[8] = {0x54, 0x41, 0xad, 0x84, 0x17, 0x6e, 0x0f, 0x0c};
    char id[BATON_MINISIGN_KEYID_HEX_LEN + 1];
    (void)state;
    baton_minisign_keyid_hex(keynum, id);
    assert_string_equal(id, "C0F6E1784AD4154");
}

/* Every single-bit change after the untrusted comment line must be refused. */
static void test_every_bit_flip_in_signed_lines_is_refused(void **state)
{
    struct keys *k = *state;
    char *sig = sign(k, "doc", "case:1");
    size_t start = (size_t)(strchr(sig, '\n') - sig) + 1;
    size_t len = strlen(sig);
    char *bad = malloc(len + 1);
    assert_non_null(bad);
    for (size_t i = start; i < len - 1; i++) {
        for (int b = 0; b < 7; b++) {
            memcpy(bad, sig, len + 1);
            bad[i] = (char)(bad[i] ^ (1 << b));
            if (bad[i] == '\0')
                continue;
            assert_int_not_equal(verify(k, "doc", bad), 0);
        }
    }
    free(bad);
    baton_minisign_text_free(sig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_then_verify_returns_trusted_comment),
        cmocka_unit_test(test_signature_text_has_minisign_layout),
        cmocka_unit_test(test_streaming_prehash_matches_one_shot),
        cmocka_unit_test(test_tampered_content_is_refused),
        cmocka_unit_test(test_tampered_trusted_comment_is_refused),
        cmocka_unit_test(test_untrusted_comment_is_not_covered),
        cmocka_unit_test(test_other_key_is_refused_by_key_id),
        cmocka_unit_test(test_malformed_signatures_are_refused),
        cmocka_unit_test(test_every_bit_flip_in_signed_lines_is_refused),
        cmocka_unit_test(test_comments_must_be_one_line),
        cmocka_unit_test(test_comment_limits_are_exact),
        cmocka_unit_test(test_carriage_returns_are_malformed),
        cmocka_unit_test(test_unencrypted_secret_key_round_trips_like_minisign_W),
        cmocka_unit_test(test_encrypted_secret_key_needs_the_password),
        cmocka_unit_test(test_public_key_file_and_bare_string_round_trip),
        cmocka_unit_test(test_key_id_hex_is_little_endian_without_leading_zeros),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
