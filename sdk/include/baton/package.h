/*
 * baton/package.h - signed, encrypted handoff packages (agency -> law firm).
 *
 * A package is, outside in: age v1 encryption (X25519, see age.h) of a
 * reproducible POSIX tar (pax/ustar, sorted, fixed owner, modes and times)
 * of a BagIt 1.0 bag under the top directory "bag/":
 *
 *   bag/bag-info.txt                    Payload-Oxum, External-Identifier, ...
 *   bag/bagit.txt                       the fixed BagIt 1.0 declaration
 *   bag/data/case.json                  the case file
 *   bag/data/documents/0001.pdf ...     the documents (optional), under
 *                                       names Baton makes (docindex.h)
 *   bag/documents.json                  the names the documents were given
 *                                       (a tag file; with documents only)
 *   bag/manifest-sha256.txt             sha256sum lines for data/
 *   bag/tagmanifest-sha256.txt          sha256sum lines for the other tag files
 *   bag/tagmanifest-sha256.txt.minisig  minisign "ED" signature of the
 *                                       tagmanifest by the sender, whose
 *                                       trusted comment is the package meta
 *
 * Owns: the layout above, the trusted comment syntax, packing in one
 * streaming pass, and opening (verify only, or extract atomically) with all
 * the checks stock tools do not make. Does not own: the crypto primitives
 * (age.h, minisign.h, sha256.h), the replay ledger's storage (ledger.h),
 * which keys are trusted (the caller passes them), receipts (receipt.h).
 *
 * Memory is bounded regardless of document size: documents are streamed and
 * hashed while they pass; only the tag files (limited in size), case.json
 * and one digest per payload file are kept.
 *
 * Entry order: the packer writes the signed part first (bag/, bagit.txt,
 * bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt and its
 * .minisig), then the payload (bag/data/... in byte order of the names).
 * The opener verifies the signature as soon as the signed part is in, and
 * then admits a payload entry only when the signed manifest lists it and
 * the signed Payload-Oxum leaves room for its size; its digest is compared
 * at its end. Payload that comes before the signed part (other tar orders)
 * is admitted up to BATON_PKG_UNSIGNED_MAX bytes and
 * BATON_PKG_UNSIGNED_ENTRIES entries, and checked once the signature is in.
 * Sparse entries are refused.
 *
 * All functions return 0 or a negative BATON_E* code with detail in err
 * (may be NULL); they never print.
 */
#ifndef BATON_PACKAGE_H
#define BATON_PACKAGE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "baton/age.h"
#include "baton/minisign.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- trusted comment -------------------------------------------------------
 *
 * The trusted comment of the tagmanifest signature is exactly
 *
 *   baton-handoff/1 case=<id> sender=<name> recipient=<name> seq=<n>
 *       created=<time> expires=<time>
 *
 * on one line: the keys in this order, separated by single spaces, nothing
 * before or after. <id> and <name> are 1..128 characters of
 * [A-Za-z0-9._:/@+-] starting with a letter or digit; <n> is a decimal
 * integer 1..9223372036854775807 without leading zeros; <time> is UTC in
 * the form YYYY-MM-DDTHH:MM:SSZ; created < expires.
 */
#define BATON_PKG_NAME_MAX 128

/* Opening refuses a package created more than BATON_PKG_CLOCK_SKEW seconds
 * after the opener's now, or valid for longer than BATON_PKG_MAX_LIFETIME. */
#define BATON_PKG_CLOCK_SKEW   300
#define BATON_PKG_MAX_LIFETIME (366 * 86400)
#define BATON_PKG_TC_TAG       "baton-handoff/1"

/* What an opener admits before the signature is verified (payload bytes
 * and tar entries that come ahead of the signed tag files), and the size
 * limit of data/case.json (which both sides parse). */
#define BATON_PKG_UNSIGNED_MAX     (1u << 20)
#define BATON_PKG_UNSIGNED_ENTRIES 256
#define BATON_PKG_CASE_MAX         (64u << 20)

typedef struct baton_pkg_meta {
    char case_id[BATON_PKG_NAME_MAX + 1];
    char sender[BATON_PKG_NAME_MAX + 1];
    char recipient[BATON_PKG_NAME_MAX + 1];
    uint64_t sequence;
    int64_t created; /* Unix seconds, UTC */
    int64_t expires; /* Unix seconds, UTC */
} baton_pkg_meta;

/* 1 if s is a valid <id>/<name> as above, else 0. */
int baton_pkg_name_valid(const char *s);

/* Writes the trusted comment (NUL-terminated) into out. */
int baton_pkg_tc_format(const baton_pkg_meta *m, char *out, size_t outlen, char *err,
                        size_t errlen);

/* Parses a trusted comment strictly (BATON_EINVAL on any deviation). */
int baton_pkg_tc_parse(const char *tc, baton_pkg_meta *m, char *err, size_t errlen);

/* UTC time as YYYY-MM-DDTHH:MM:SSZ (out: 21 bytes) and back. */
int baton_pkg_time_format(int64_t t, char out[21]);
int baton_pkg_time_parse(const char *s, size_t len, int64_t *t);

/* ---- verdicts ---------------------------------------------------------------
 * Why a package was refused; one class per kind of failure. */
typedef enum baton_pkg_verdict {
    BATON_PKG_OK = 0,
    BATON_PKG_ERROR = 1,         /* not a verdict: I/O, memory, bad arguments */
    BATON_PKG_NOT_FOR_ME = 2,    /* no identity opens it, or addressed to another */
    BATON_PKG_BAD_SIGNATURE = 3, /* signature by a trusted key does not verify */
    BATON_PKG_UNTRUSTED = 4,     /* signed by a key not in the trust list */
    BATON_PKG_TAMPERED = 5,      /* a digest or an authentication tag differs */
    BATON_PKG_EXTRA_FILE = 6,    /* a file or directory not in the manifests */
    BATON_PKG_MISSING_FILE = 7,  /* a file the manifests or layout require is absent */
    BATON_PKG_UNSAFE_PATH = 8,   /* .., absolute, link, device, duplicate, bad name */
    BATON_PKG_REPLAYED = 9,      /* sequence already accepted from that sender key */
    BATON_PKG_EXPIRED = 10,      /* now is at or past the expiry */
    BATON_PKG_MALFORMED = 11,    /* not the documented format or not canonical */
} baton_pkg_verdict;

/* Stable lower-case token for a verdict ("ok", "not-for-me", "bad-signature",
 * "untrusted-sender", "tampered", "extra-file", "missing-file", "unsafe-path",
 * "replayed", "expired", "malformed", "error"). */
const char *baton_pkg_verdict_name(baton_pkg_verdict v);

/* ---- packing --------------------------------------------------------------- */

typedef struct baton_pkg_document {
    const char *path; /* file to read */
    const char *name; /* the name it was given, may contain '/' (docindex.h) */
} baton_pkg_document;

typedef struct baton_pkg_pack_params {
    const baton_minisign_seckey *sender_key;
    const baton_age_recipient *recipients; /* 1..64 */
    size_t n_recipients;
    /* The case file: either a path (case_json NULL) or a buffer. */
    const char *case_json_path;
    const void *case_json;
    size_t case_json_len;
    const baton_pkg_document *documents;
    size_t n_documents;
    baton_pkg_meta meta;
} baton_pkg_pack_params;

typedef struct baton_pkg_pack_result {
    uint8_t tagmanifest_sha256[32]; /* what the receipt will name */
    uint64_t payload_bytes;
    uint64_t payload_files;
    uint64_t package_bytes; /* ciphertext bytes written */
} baton_pkg_pack_result;

/* Optional progress callback: bytes of payload done out of total. */
typedef void (*baton_pkg_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/*
 * Writes a package through write (called with ciphertext in order). The
 * documents are read once. A document that changes size while it is read
 * fails the pack. result and progress may be NULL.
 */
int baton_pkg_pack(const baton_pkg_pack_params *p, baton_age_write_fn write, void *wctx,
                   baton_pkg_progress_fn progress, void *pctx, baton_pkg_pack_result *result,
                   char *err, size_t errlen);

/* Same into a file: written to a temporary sibling, fsynced, then renamed
 * to out_path; nothing is left behind on failure. Fails with BATON_EEXIST
 * if out_path exists unless overwrite is non-zero. */
int baton_pkg_pack_file(const baton_pkg_pack_params *p, const char *out_path, int overwrite,
                        baton_pkg_progress_fn progress, void *pctx, baton_pkg_pack_result *result,
                        char *err, size_t errlen);

/* ---- opening --------------------------------------------------------------- */

struct baton_ledger; /* ledger.h */

typedef struct baton_pkg_open_params {
    baton_age_identity *const *identities; /* the opener's age identities */
    size_t n_identities;
    const baton_minisign_pubkey *trusted; /* sender keys trusted by the opener */
    size_t n_trusted;
    const char *recipient;       /* opener's name; must equal the trusted comment's */
    struct baton_ledger *ledger; /* replay check; NULL skips it (not recommended) */
    int record;                  /* non-zero: record the sequence when accepted */
    int64_t now;                 /* Unix seconds, for the expiry check */
    const char *extract_dir;     /* NULL: verify only, write nothing */
    int hash_package;            /* open_file: also compute package_sha256 (for receipts) */
    /* When not NULL and it becomes non-zero (a signal handler sets it), the
     * open stops at the next block with BATON_ECANCELED and removes what it
     * wrote. */
    const volatile sig_atomic_t *cancel;
} baton_pkg_open_params;

typedef struct baton_pkg_open_result {
    baton_pkg_verdict verdict;
    int have_meta; /* meta holds a verified trusted comment */
    baton_pkg_meta meta;
    int have_tagmanifest;           /* tagmanifest_sha256 is set */
    uint8_t tagmanifest_sha256[32]; /* of the tagmanifest as received */
    uint8_t package_sha256[32];     /* of the ciphertext (open_file with hash_package) */
    int have_sender;
    baton_minisign_pubkey sender; /* the trusted key that signed */
    uint64_t payload_bytes;
    uint64_t payload_files;
} baton_pkg_open_result;

/*
 * Decrypts and checks a package read through read, in one pass. Returns 0
 * and verdict BATON_PKG_OK only when every check passed: decryption and
 * authentication, tar entry types and names, layout, bagit.txt,
 * bag-info.txt, the signature by a trusted key, the trusted comment, both
 * manifests, the recipient name, the expiry and the ledger. Otherwise a
 * negative code with the verdict class in result->verdict.
 *
 * With extract_dir, the bag is written into a fresh temporary sibling of
 * extract_dir, fsynced, and renamed to extract_dir only after every check
 * passed (extract_dir must not exist or be an empty directory; it then holds
 * "bag/"). With a ledger and record set, the sequence is recorded in the
 * same step, so a package is either extracted and recorded or neither. On
 * any failure nothing is left behind.
 *
 * data/case.json must be a JSON object whose "case_id" is the signed case
 * id (else BATON_PKG_MALFORMED). Names and text from the package that
 * appear in err are escaped (baton/escape.h).
 *
 * Before extracting, stale temporary folders of interrupted opens next to
 * extract_dir are removed (baton_pkg_clean_stale).
 */
int baton_pkg_open(const baton_pkg_open_params *p, baton_age_read_fn read, void *rctx,
                   baton_pkg_progress_fn progress, void *pctx, baton_pkg_open_result *result,
                   char *err, size_t errlen);

/* Same over a file; with hash_package also sets result->package_sha256
 * (one more SHA-256 pass over the ciphertext, so only when needed). */
int baton_pkg_open_file(const baton_pkg_open_params *p, const char *path,
                        baton_pkg_progress_fn progress, void *pctx, baton_pkg_open_result *result,
                        char *err, size_t errlen);

/*
 * Removes, in dir, the temporary folders that opens interrupted by a crash
 * or SIGKILL left behind: ".<name>.baton-open.<pid>.<random>" folders whose
 * pid is no running process and whose lock no process holds. Anything else
 * is left alone. removed (may be NULL) gets the count. A missing dir is
 * not an error.
 */
int baton_pkg_clean_stale(const char *dir, unsigned *removed, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
