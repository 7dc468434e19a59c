/*
 * test_receipt.c - the law firm's receipt: exact JSON form, strict parsing,
 * signing and verification (wrong key, altered body, comment swapped).
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
#include "baton/receipt.h"

static baton_receipt sample(void)
{
    baton_receipt r;
    memset(&r, 0, sizeof r);
    memset(r.package_sha256, 0xab, 32);
    r.have_tagmanifest = 1;
    memset(r.tagmanifest_sha256, 0x01, 32);
    strcpy(r.case_id, "NW-2026-0001");
    strcpy(r.sender, "northwind");
    strcpy(r.recipient, "harbor-law");
    r.sequence = 12;
    r.received = 951827696; /* date -u -d @951827696: 2000-02-29T12:34:56Z */
    r.accepted = 1;
    strcpy(r.reason, "ok");
    return r;
}

static void receipt_has_the_documented_form(void **state)
{
    (void)state;
    baton_receipt r = sample();
    char *json;
    size_t len;
    assert_int_equal(baton_receipt_encode(&r, &json, &len, NULL, 0), 0);
    char want[1024];
    snprintf(
        want, sizeof want,
        "{\"type\":\"baton-receipt/1\",\"package_sha256\":\"%s\",\"tagmanifest_sha256\":\"%s\","
        "\"case_id\":\"NW-2026-0001\",\"sender\":\"northwind\",\"recipient\":\"harbor-law\","
        "\"sequence\":12,\"received\":\"2000-02-29T12:34:56Z\",\"verdict\":\"accepted\","
        "\"reason\":\"ok\"}\n",
        "abababababababababababababababababababababababababababababababab",
        "0101010101010101010101010101010101010101010101010101010101010101");
    assert_string_equal(json, want);
    baton_receipt back;
    assert_int_equal(baton_receipt_decode(json, len, &back, NULL, 0), 0);
    assert_memory_equal(&back, &r, sizeof r);
    free(json);
}

static void decoder_accepts_only_the_canonical_form(void **state)
{
    (void)state;
    baton_receipt r = sample(), back;
    char *json;
    size_t len;
    assert_int_equal(baton_receipt_encode(&r, &json, &len, NULL, 0), 0);
    /* A space after the first colon, no final newline, an extra key. */
    char *v1 = NULL, *v3 = NULL;
    assert_true(asprintf(&v1, "{\"type\": %s", json + strlen("{\"type\":")) > 0);
    assert_int_not_equal(baton_receipt_decode(v1, strlen(v1), &back, NULL, 0), 0);
    assert_int_not_equal(baton_receipt_decode(json, len - 1, &back, NULL, 0), 0);
    assert_true(asprintf(&v3, "%.*s,\"x\":1}\n", (int)len - 2, json) > 0);
    assert_int_not_equal(baton_receipt_decode(v3, strlen(v3), &back, NULL, 0), 0);
    /* Verdict and reason must agree with the words allowed. */
    char *v4 = strdup(json);
    memcpy(strstr(v4, "accepted"), "acceptex", 8);
    assert_int_not_equal(baton_receipt_decode(v4, len, &back, NULL, 0), 0);
    /* "accepted" must come with reason "ok", "rejected" with a class. */
    char *v5 = NULL;
    assert_true(asprintf(&v5, "%.*s\"expired\"}\n", (int)len - 6, json) > 0);
    assert_non_null(strstr(v5, "\"reason\":\"expired\""));
    assert_int_not_equal(baton_receipt_decode(v5, strlen(v5), &back, NULL, 0), 0);
    free(v1);
    free(v3);
    free(v4);
    free(v5);
    free(json);
}

static void signed_receipt_verifies_only_as_signed(void **state)
{
    (void)state;
    baton_minisign_seckey *firm, *other;
    baton_minisign_pubkey firm_pk, other_pk;
    assert_int_equal(baton_minisign_keygen(&firm, &firm_pk, NULL, 0), 0);
    assert_int_equal(baton_minisign_keygen(&other, &other_pk, NULL, 0), 0);
    baton_receipt r = sample(), back;
    r.accepted = 0;
    strcpy(r.reason, "expired");
    char *json, *sig;
    size_t jl, sl;
    assert_int_equal(baton_receipt_sign(firm, &r, &json, &jl, &sig, &sl, NULL, 0), 0);
    assert_int_equal(baton_receipt_verify(&firm_pk, json, jl, sig, sl, &back, NULL, 0), 0);
    assert_false(back.accepted);
    assert_string_equal(back.reason, "expired");
    assert_int_equal(baton_receipt_verify(&other_pk, json, jl, sig, sl, &back, NULL, 0),
                     BATON_ECRYPTO);
    /* Turning "rejected" into "accepted" breaks the signature. */
    char *forged = NULL;
    size_t fl = jl + 0;
    assert_non_null(strstr(json, "\"rejected\""));
    assert_true(asprintf(&forged, "%s", json) > 0);
    memcpy(strstr(forged, "\"rejected\""), "\"accepted\"", 10);
    assert_int_equal(baton_receipt_verify(&firm_pk, forged, fl, sig, sl, &back, NULL, 0),
                     BATON_ECRYPTO);
    free(forged);
    free(json);
    free(sig);
    baton_minisign_seckey_free(firm);
    baton_minisign_seckey_free(other);
}

/* The firm signs the receipt's JSON with a trusted comment naming the
 * package and the verdict; a receipt whose signed comment names another
 * package or another verdict is refused even though both signatures are
 * good (the comment is what stock minisign shows). */
static void trusted_comment_must_match_the_receipt(void **state)
{
    (void)state;
    baton_minisign_seckey *firm;
    baton_minisign_pubkey firm_pk;
    assert_int_equal(baton_minisign_keygen(&firm, &firm_pk, NULL, 0), 0);
    baton_receipt r = sample(), back;
    char *json;
    size_t jl;
    assert_int_equal(baton_receipt_encode(&r, &json, &jl, NULL, 0), 0);
    static const char *wrong[] = {
        /* another package: only the hash's last digit differs */
        "baton-receipt/1 package="
        "ababababababababababababababababababababababababababababababab00 verdict=accepted",
        /* the same package, the other verdict */
        "baton-receipt/1 package="
        "abababababababababababababababababababababababababababababababab verdict=rejected",
        "signature from minisign secret key",
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        char *sig, err[256] = "";
        size_t sl;
        assert_int_equal(
            baton_minisign_sign_buffer(firm, json, jl, NULL, wrong[i], &sig, &sl, NULL, 0), 0);
        assert_int_equal(baton_receipt_verify(&firm_pk, json, jl, sig, sl, &back, err, sizeof err),
                         BATON_ECRYPTO);
        assert_non_null(strstr(err, "trusted comment"));
        baton_minisign_text_free(sig);
    }
    /* The comment the firm's code writes is accepted. */
    char *sig;
    size_t sl;
    assert_int_equal(baton_minisign_sign_buffer(firm, json, jl, NULL,
                                                "baton-receipt/1 package="
                                                "abababababababababababababababababababababababab"
                                                "abababababababab verdict=accepted",
                                                &sig, &sl, NULL, 0),
                     0);
    assert_int_equal(baton_receipt_verify(&firm_pk, json, jl, sig, sl, &back, NULL, 0), 0);
    baton_minisign_text_free(sig);
    free(json);
    baton_minisign_seckey_free(firm);
}

/* Fields the trusted comment does not repeat (case, sender, recipient,
 * sequence, received time) are covered by the signature over the JSON:
 * changing any of them breaks it. */
static void every_field_is_covered_by_the_signature(void **state)
{
    (void)state;
    baton_minisign_seckey *firm;
    baton_minisign_pubkey firm_pk;
    assert_int_equal(baton_minisign_keygen(&firm, &firm_pk, NULL, 0), 0);
    baton_receipt r = sample(), back;
    char *json, *sig;
    size_t jl, sl;
    assert_int_equal(baton_receipt_sign(firm, &r, &json, &jl, &sig, &sl, NULL, 0), 0);
    static const char *from[] = {"NW-2026-0001", "\"northwind\"", "harbor-law", "\"sequence\":12",
                                 "12:34:56Z"};
    static const char *to[] = {"NW-2026-0002", "\"northwinc\"", "harbor-lax", "\"sequence\":13",
                               "12:34:57Z"};
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++) {
        char *forged = strdup(json);
        assert_non_null(forged);
        char *at = strstr(forged, from[i]);
        assert_non_null(at);
        memcpy(at, to[i], strlen(to[i]));
        assert_int_equal(baton_receipt_verify(&firm_pk, forged, jl, sig, sl, &back, NULL, 0),
                         BATON_ECRYPTO);
        free(forged);
    }
    free(json);
    free(sig);
    baton_minisign_seckey_free(firm);
}

/* The decoder takes only the verdict words "accepted" and "rejected", and
 * sequences without leading zeros. */
static void decoder_refuses_other_verdicts_and_padded_sequences(void **state)
{
    (void)state;
    baton_receipt r = sample(), back;
    r.accepted = 0;
    strcpy(r.reason, "expired");
    char *json;
    size_t len;
    assert_int_equal(baton_receipt_encode(&r, &json, &len, NULL, 0), 0);
    /* Each refused by its own rule (the message names it), not only by the
     * re-encoding that follows. */
    char *v = strdup(json), werr[256] = "";
    memcpy(strstr(v, "rejected"), "rejectex", 8);
    assert_int_equal(baton_receipt_decode(v, len, &back, werr, sizeof werr), BATON_EINVAL);
    assert_string_equal(werr, "malformed receipt: verdict");
    free(v);
    char *disagree = NULL;
    assert_true(asprintf(&disagree, "%.*s\"accepted\",\"reason\":\"expired\"}\n",
                         (int)(strstr(json, "\"rejected\"") - json), json) > 0);
    assert_int_equal(baton_receipt_decode(disagree, strlen(disagree), &back, werr, sizeof werr),
                     BATON_EINVAL);
    assert_string_equal(werr, "malformed receipt: verdict and reason disagree");
    free(disagree);
    /* "07": refused by the sequence rule itself (its message says so). */
    char *padded = NULL, err[256] = "";
    const char *seq = strstr(json, "\"sequence\":12");
    assert_non_null(seq);
    assert_true(asprintf(&padded, "%.*s\"sequence\":07%s", (int)(seq - json), json,
                         seq + strlen("\"sequence\":12")) > 0);
    assert_int_equal(baton_receipt_decode(padded, strlen(padded), &back, err, sizeof err),
                     BATON_EINVAL);
    assert_string_equal(err, "malformed receipt: sequence");
    free(padded);
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(receipt_has_the_documented_form),
        cmocka_unit_test(decoder_accepts_only_the_canonical_form),
        cmocka_unit_test(signed_receipt_verifies_only_as_signed),
        cmocka_unit_test(trusted_comment_must_match_the_receipt),
        cmocka_unit_test(every_field_is_covered_by_the_signature),
        cmocka_unit_test(decoder_refuses_other_verdicts_and_padded_sequences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
