/*
 * baton/receipt.h - the law firm's signed receipt for a handoff package.
 *
 * A receipt is one line of JSON with a fixed key order, signed with
 * minisign ("ED", prehashed) by the law firm, stored as RECEIPT and
 * RECEIPT.minisig so `minisign -V -p firm.pub -m RECEIPT` checks it too:
 *
 *   {"type":"baton-receipt/1","package_sha256":"<hex>",
 *    "tagmanifest_sha256":"<hex or empty>","case_id":"<id>","sender":"<name>",
 *    "recipient":"<name>","sequence":<n>,"received":"<YYYY-MM-DDTHH:MM:SSZ>",
 *    "verdict":"accepted|rejected","reason":"<verdict token>"}
 *
 * (on one line, no spaces, then LF). Strings are limited to the name
 * characters of package.h (so no JSON escaping is ever needed); for a
 * rejected package whose signed metadata could not be read, the case id,
 * sender, recipient and tagmanifest are empty and the sequence is 0. The
 * trusted comment is "baton-receipt/1 package=<hex> verdict=<verdict>".
 *
 * package_sha256 (the SHA-256 of the encrypted file) is what the agency can
 * compute itself; tagmanifest_sha256 is what `baton pack` reports.
 *
 * Owns encoding, parsing (strict: only what encode writes is accepted),
 * signing and verifying receipts. Does not own opening packages.
 */
#ifndef BATON_RECEIPT_H
#define BATON_RECEIPT_H

#include <stddef.h>
#include <stdint.h>

#include "baton/minisign.h"
#include "baton/package.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BATON_RECEIPT_TAG "baton-receipt/1"

typedef struct baton_receipt {
    uint8_t package_sha256[32];
    int have_tagmanifest;
    uint8_t tagmanifest_sha256[32];
    char case_id[BATON_PKG_NAME_MAX + 1]; /* empty when unknown */
    char sender[BATON_PKG_NAME_MAX + 1];
    char recipient[BATON_PKG_NAME_MAX + 1];
    uint64_t sequence; /* 0 when unknown */
    int64_t received;  /* Unix seconds */
    int accepted;
    char reason[32]; /* baton_pkg_verdict_name() token; "ok" when accepted */
} baton_receipt;

/* Fills a receipt from an open result. */
void baton_receipt_from_result(const baton_pkg_open_result *r, int64_t received,
                               baton_receipt *out);

/* Canonical JSON line. Caller frees *out with free(). */
int baton_receipt_encode(const baton_receipt *r, char **out, size_t *outlen, char *err,
                         size_t errlen);

/* Strict parse of exactly what encode writes. */
int baton_receipt_decode(const char *text, size_t len, baton_receipt *out, char *err,
                         size_t errlen);

/* Encodes and signs. Caller frees *json and *minisig with free(). */
int baton_receipt_sign(const baton_minisign_seckey *sk, const baton_receipt *r, char **json,
                       size_t *jsonlen, char **minisig, size_t *siglen, char *err, size_t errlen);

/* Verifies the signature (and that its trusted comment matches the body)
 * with the firm's public key, then decodes into out. */
int baton_receipt_verify(const baton_minisign_pubkey *firm, const char *json, size_t jsonlen,
                         const char *minisig, size_t siglen, baton_receipt *out, char *err,
                         size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
