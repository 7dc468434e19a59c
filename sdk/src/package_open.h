/*
 * package_open.h - internal to libbaton: the state of one opening, shared
 * by the streaming pipeline (package_open.c) and the checks of the signed
 * part (package_signed.c).
 */
#ifndef BATON_PACKAGE_OPEN_H
#define BATON_PACKAGE_OPEN_H

#include <stddef.h>
#include <stdint.h>

#include <archive.h>

#include "baton/bagit.h"
#include "baton/docindex.h"
#include "baton/package.h"
#include "baton/sha256.h"
#include "package_hasher.h"

enum { N_DIR = 1, N_FILE = 2 };

struct node {
    char *fold;         /* collision key, baton_name_key (hash key) */
    char *path;         /* exact bag-relative path */
    int type;           /* N_DIR or N_FILE */
    int explicit_entry; /* a tar entry named it (directories may be implicit) */
    int has_file;       /* a directory with a file somewhere below */
    int checked;        /* a payload file compared with the signed manifest */
    uint64_t size;
    uint8_t digest[32];
};

/* Tag files; the ones before T_INDEX are required, the document index
 * (baton/docindex.h) is there when the tagmanifest lists it. */
enum { T_BAGIT, T_INFO, T_MANIFEST, T_TAGMANIFEST, T_MINISIG, T_INDEX, T_COUNT };
extern const char *const pkg_tag_names[T_COUNT];

struct opener {
    const baton_pkg_open_params *p;
    baton_pkg_open_result *res;
    char *err;
    size_t errlen;

    baton_age_read_fn read;
    void *rctx;
    baton_age_decryptor *dec;
    uint8_t *plain;
    size_t plain_len, plain_cap;
    int dec_done, dec_rc, draining, trailing;
    uint8_t *prev; /* the buffer libarchive had before plain (tar_name.h) */
    size_t prev_len, prev_cap;
    uint64_t fed; /* plaintext bytes handed to libarchive so far */
    char dec_err[256];

    struct archive *a;
    baton_sha256 *h;

    /* Hashing of large payload entries on a worker thread: the decrypted
     * blocks are batched into hbuf[hcur] and posted when full. */
    struct hasher hz;
    int hz_on, hz_entry;
    uint8_t *hbuf[2];
    int hcur;
    size_t hfill;

    struct node **table; /* open addressing over fold keys */
    size_t cap, count;
    int root_seen;

    char *tags[T_COUNT];
    size_t tag_len[T_COUNT];
    int tag_seen[T_COUNT];
    int tags_done; /* how many tag files were read completely */

    /* Before the signature is verified: what was admitted on credit. */
    uint64_t unsigned_bytes;
    size_t unsigned_entries;
    /* After: the signed manifest and totals, and what came so far. */
    int signed_ok;
    baton_bagit_manifest man;
    baton_docindex index; /* the signed document index, when the bag has one */
    uint64_t oxum_octets, oxum_streams;
    uint64_t payload_bytes, payload_files;

    char *case_json; /* data/case.json, kept for the binding check */
    size_t case_len;
    int case_seen;

    char *tmpdir; /* temporary sibling of extract_dir, when extracting */
    int rootfd;   /* open on tmpdir, holding its lock */
};

/* Sets the verdict and the message (escaped: package text never reaches
 * err raw); returns code. */
int pkg_verdict(struct opener *o, baton_pkg_verdict v, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The node for path, or NULL. */
struct node *pkg_lookup(struct opener *o, const char *path, size_t len);

/* Verifies the signed part once all tag files are in: signature, trusted
 * comment, bagit.txt, tagmanifest, manifest, bag-info, recipient and
 * times; then the payload that came before it. Sets o->signed_ok. */
int pkg_verify_signed(struct opener *o);

/* Compares a payload file that is complete with the signed manifest (and,
 * for data/case.json, binds it to the signed case id). */
int pkg_check_payload(struct opener *o, struct node *n);

/* After the last entry: every manifest file present, Payload-Oxum exact,
 * no empty folder. */
int pkg_check_complete(struct opener *o);

#endif
