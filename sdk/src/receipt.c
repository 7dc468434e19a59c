/*
 * receipt.c - the law firm's signed receipt (see baton/receipt.h): a fixed
 * one-line JSON form, its strict parser, and minisign signing/verifying.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "baton/receipt.h"
#include "baton/sha256.h"
#include "fail.h"
#include "visibility.h"

BATON_API void baton_receipt_from_result(const baton_pkg_open_result *r, int64_t received,
                                         baton_receipt *out)
{
    memset(out, 0, sizeof *out);
    memcpy(out->package_sha256, r->package_sha256, 32);
    if (r->have_tagmanifest) {
        out->have_tagmanifest = 1;
        memcpy(out->tagmanifest_sha256, r->tagmanifest_sha256, 32);
    }
    if (r->have_meta) {
        memcpy(out->case_id, r->meta.case_id, sizeof out->case_id);
        memcpy(out->sender, r->meta.sender, sizeof out->sender);
        memcpy(out->recipient, r->meta.recipient, sizeof out->recipient);
        out->sequence = r->meta.sequence;
    }
    out->received = received;
    out->accepted = r->verdict == BATON_PKG_OK;
    snprintf(out->reason, sizeof out->reason, "%s", baton_pkg_verdict_name(r->verdict));
}

static int opt_name_ok(const char *s)
{
    return s[0] == '\0' || baton_pkg_name_valid(s);
}

BATON_API int baton_receipt_encode(const baton_receipt *r, char **out, size_t *outlen, char *err,
                                   size_t errlen)
{
    char pkg[65], tm[65] = "", t[21];
    *out = NULL;
    if (!opt_name_ok(r->case_id) || !opt_name_ok(r->sender) || !opt_name_ok(r->recipient))
        return baton__fail(err, errlen, BATON_EINVAL,
                           "receipt names must be package names or empty");
    for (const char *c = r->reason; *c != '\0'; c++) {
        if (!((*c >= 'a' && *c <= 'z') || *c == '-'))
            return baton__fail(err, errlen, BATON_EINVAL, "receipt reason must be a verdict token");
    }
    if (r->reason[0] == '\0' || r->sequence > INT64_MAX ||
        (r->accepted != 0) != (strcmp(r->reason, "ok") == 0))
        return baton__fail(err, errlen, BATON_EINVAL, "receipt reason or sequence invalid");
    if (baton_pkg_time_format(r->received, t) < 0)
        return baton__fail(err, errlen, BATON_ERANGE, "received time out of range");
    baton_sha256_hex(r->package_sha256, pkg);
    if (r->have_tagmanifest)
        baton_sha256_hex(r->tagmanifest_sha256, tm);
    char *s = NULL;
    int n = asprintf(&s,
                     "{\"type\":\"" BATON_RECEIPT_TAG "\",\"package_sha256\":\"%s\","
                     "\"tagmanifest_sha256\":\"%s\",\"case_id\":\"%s\",\"sender\":\"%s\","
                     "\"recipient\":\"%s\",\"sequence\":%" PRIu64 ",\"received\":\"%s\","
                     "\"verdict\":\"%s\",\"reason\":\"%s\"}\n",
                     pkg, tm, r->case_id, r->sender, r->recipient, r->sequence, t,
                     r->accepted ? "accepted" : "rejected", r->reason);
    if (n < 0)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    *out = s;
    *outlen = (size_t)n;
    return 0;
}

/* Expects the literal lit at *p. */
static int lit(const char **p, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
        return -1;
    *p += n;
    return 0;
}

/* A string value up to the next '"' into out (at most max bytes). */
static int str(const char **p, const char *end, char *out, size_t max)
{
    const char *q = memchr(*p, '"', (size_t)(end - *p));
    if (q == NULL || (size_t)(q - *p) > max)
        return -1;
    memcpy(out, *p, (size_t)(q - *p));
    out[q - *p] = '\0';
    *p = q;
    return 0;
}

static int hex32(const char *s, uint8_t out[32])
{
    if (strlen(s) != 64)
        return -1;
    for (int i = 0; i < 64; i++) {
        char c = s[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            return -1;
        if (i % 2 == 0)
            out[i / 2] = (uint8_t)(v << 4);
        else
            out[i / 2] |= (uint8_t)v;
    }
    return 0;
}

BATON_API int baton_receipt_decode(const char *text, size_t len, baton_receipt *out, char *err,
                                   size_t errlen)
{
    const char *p = text, *end = text + len;
    char pkg[65], tm[65], t[21], verdict[16];
    memset(out, 0, sizeof *out);
    if (lit(&p, end, "{\"type\":\"" BATON_RECEIPT_TAG "\",\"package_sha256\":\"") < 0 ||
        str(&p, end, pkg, 64) < 0 || hex32(pkg, out->package_sha256) < 0 ||
        lit(&p, end, "\",\"tagmanifest_sha256\":\"") < 0 || str(&p, end, tm, 64) < 0 ||
        (tm[0] != '\0' && hex32(tm, out->tagmanifest_sha256) < 0) ||
        lit(&p, end, "\",\"case_id\":\"") < 0 ||
        str(&p, end, out->case_id, BATON_PKG_NAME_MAX) < 0 || !opt_name_ok(out->case_id) ||
        lit(&p, end, "\",\"sender\":\"") < 0 || str(&p, end, out->sender, BATON_PKG_NAME_MAX) < 0 ||
        !opt_name_ok(out->sender) || lit(&p, end, "\",\"recipient\":\"") < 0 ||
        str(&p, end, out->recipient, BATON_PKG_NAME_MAX) < 0 || !opt_name_ok(out->recipient) ||
        lit(&p, end, "\",\"sequence\":") < 0)
        return baton__fail(err, errlen, BATON_EINVAL, "malformed receipt");
    out->have_tagmanifest = tm[0] != '\0';
    size_t digits = 0;
    uint64_t seq = 0;
    while (p < end && *p >= '0' && *p <= '9' && digits < 19) {
        seq = seq * 10 + (uint64_t)(*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || (digits > 1 && p[-(long)digits] == '0') || seq > INT64_MAX)
        return baton__fail(err, errlen, BATON_EINVAL, "malformed receipt: sequence");
    out->sequence = seq;
    if (lit(&p, end, ",\"received\":\"") < 0 || str(&p, end, t, 20) < 0 ||
        baton_pkg_time_parse(t, strlen(t), &out->received) < 0 ||
        lit(&p, end, "\",\"verdict\":\"") < 0 || str(&p, end, verdict, 15) < 0 ||
        lit(&p, end, "\",\"reason\":\"") < 0 || str(&p, end, out->reason, 31) < 0 ||
        lit(&p, end, "\"}\n") < 0 || p != end)
        return baton__fail(err, errlen, BATON_EINVAL, "malformed receipt");
    if (strcmp(verdict, "accepted") == 0)
        out->accepted = 1;
    else if (strcmp(verdict, "rejected") != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "malformed receipt: verdict");
    if (out->accepted != (strcmp(out->reason, "ok") == 0))
        return baton__fail(err, errlen, BATON_EINVAL,
                           "malformed receipt: verdict and reason disagree");
    /* Re-encode: only the canonical form is accepted. */
    char *again = NULL;
    size_t alen;
    int rc = baton_receipt_encode(out, &again, &alen, err, errlen);
    if (rc == 0 && (alen != len || memcmp(again, text, len) != 0))
        rc = baton__fail(err, errlen, BATON_EINVAL, "receipt is not in canonical form");
    free(again);
    return rc;
}

static void receipt_tc(const baton_receipt *r, char *out, size_t outlen)
{
    char pkg[65];
    baton_sha256_hex(r->package_sha256, pkg);
    snprintf(out, outlen, BATON_RECEIPT_TAG " package=%s verdict=%s", pkg,
             r->accepted ? "accepted" : "rejected");
}

BATON_API int baton_receipt_sign(const baton_minisign_seckey *sk, const baton_receipt *r,
                                 char **json, size_t *jsonlen, char **minisig, size_t *siglen,
                                 char *err, size_t errlen)
{
    char tc[160];
    int rc = baton_receipt_encode(r, json, jsonlen, err, errlen);
    if (rc < 0)
        return rc;
    receipt_tc(r, tc, sizeof tc);
    char *sig = NULL;
    rc = baton_minisign_sign_buffer(sk, *json, *jsonlen, "signature from baton receipt key", tc,
                                    &sig, siglen, err, errlen);
    *minisig = rc == 0 ? strndup(sig, *siglen) : NULL;
    baton_minisign_text_free(sig);
    if (rc == 0 && *minisig == NULL)
        rc = baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    if (rc < 0) {
        free(*json);
        *json = NULL;
    }
    return rc;
}

BATON_API int baton_receipt_verify(const baton_minisign_pubkey *firm, const char *json,
                                   size_t jsonlen, const char *minisig, size_t siglen,
                                   baton_receipt *out, char *err, size_t errlen)
{
    char want[160];
    baton_minisign_sig *sig = malloc(sizeof *sig);
    if (sig == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    /* A receipt signed by another key is a bad signature, not malformed. */
    int rc = baton_minisign_sig_parse(minisig, siglen, sig, err, errlen);
    if (rc == 0 && memcmp(sig->keynum, firm->keynum, sizeof firm->keynum) != 0)
        rc = baton__fail(err, errlen, BATON_ECRYPTO, "receipt is signed by another key");
    if (rc == 0)
        rc = baton_minisign_verify_buffer(firm, json, jsonlen, minisig, siglen, NULL, 0, err,
                                          errlen);
    if (rc == 0)
        rc = baton_receipt_decode(json, jsonlen, out, err, errlen);
    if (rc == 0) {
        receipt_tc(out, want, sizeof want);
        if (strcmp(sig->trusted_comment, want) != 0)
            rc = baton__fail(err, errlen, BATON_ECRYPTO,
                             "receipt's trusted comment does not match its content");
    }
    free(sig);
    return rc;
}
