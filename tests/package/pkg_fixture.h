/*
 * pkg_fixture.h - shared helpers of the package tests: fresh keys, packing
 * into memory, opening from memory, and a tar crafter that builds
 * correctly signed bags whose entries a test can then bend (extra, missing,
 * renamed, links, devices, ...) before encrypting them.
 */
#ifndef BATON_TEST_PKG_FIXTURE_H
#define BATON_TEST_PKG_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "baton/age.h"
#include "baton/ledger.h"
#include "baton/minisign.h"
#include "baton/package.h"

typedef struct fx_keys {
    baton_minisign_seckey *sender_sk;
    baton_minisign_pubkey sender_pk;
    baton_minisign_seckey *other_sk; /* a sender nobody trusts */
    baton_minisign_pubkey other_pk;
    baton_age_identity *firm_id;
    baton_age_recipient firm_rcpt;
    baton_age_identity *other_id;
    baton_age_recipient other_rcpt;
} fx_keys;

void fx_keys_make(fx_keys *k);
void fx_keys_free(fx_keys *k);

/* Meta for a package created now, valid for a day, sender "northwind",
 * recipient "harbor-law". */
baton_pkg_meta fx_meta(uint64_t seq);

/* Packs case_json plus n documents (given as name/content pairs written to
 * a temporary folder) into *out (malloc'd). Returns the pack result code. */
int fx_pack(const fx_keys *k, const baton_pkg_meta *m, const char *case_json,
            const char *const *doc_names, const char *const *doc_bodies, size_t n_docs,
            uint8_t **out, size_t *outlen);

/* Opens a package held in memory. dir may be NULL (verify only). */
int fx_open(const fx_keys *k, const uint8_t *pkg, size_t len, baton_ledger *ledger, const char *dir,
            int64_t now, baton_pkg_open_result *res, char *err, size_t errlen);

/* One tar entry for the crafter. */
enum { FX_FILE, FX_DIR, FX_SYMLINK, FX_HARDLINK, FX_CHARDEV, FX_FIFO };
typedef struct fx_entry {
    char *path;
    int type;
    char *data; /* files */
    size_t len;
    char *link; /* symlink target / hardlink source */
} fx_entry;

typedef struct fx_tar {
    fx_entry *e;
    size_t n;
} fx_tar;

/* The entries of a valid, signed bag holding case_json and the given
 * payload files (paths relative to the bag, e.g. "data/documents/a.pdf"),
 * signed by sk with meta m, in Baton's order: bag/, the tag files and the
 * signature, then the payload. */
void fx_bag(fx_tar *t, const baton_minisign_seckey *sk, const baton_pkg_meta *m,
            const char *case_json, const char *const *payload_paths,
            const char *const *payload_bodies, size_t n);

/* Same in the byte order of the names (`tar --sort=name`): the payload
 * comes before manifest-sha256.txt and the signature. */
void fx_bag_payload_first(fx_tar *t, const baton_minisign_seckey *sk, const baton_pkg_meta *m,
                          const char *case_json, const char *const *payload_paths,
                          const char *const *payload_bodies, size_t n);

/* Same, but the manifest text is given verbatim (for canonical-form tests);
 * the tagmanifest and signature still match it. */
void fx_bag_manifest(fx_tar *t, const baton_minisign_seckey *sk, const baton_pkg_meta *m,
                     const char *case_json, const char *const *payload_paths,
                     const char *const *payload_bodies, size_t n, const char *manifest);

/* Same, with a document index (bag/documents.json) given verbatim and
 * listed in the tagmanifest; manifest_text may be NULL. */
void fx_bag_index(fx_tar *t, const baton_minisign_seckey *sk, const baton_pkg_meta *m,
                  const char *case_json, const char *const *payload_paths,
                  const char *const *payload_bodies, size_t n, const char *manifest_text,
                  const char *index_text);

void fx_tar_add(fx_tar *t, const char *path, int type, const char *data, size_t len,
                const char *link);
/* Removes the entry with this path; returns 1 if found. */
int fx_tar_remove(fx_tar *t, const char *path);
void fx_tar_free(fx_tar *t);

/* Writes the entries as a tar (pax restricted) and encrypts it to rcpt. */
void fx_seal(const fx_tar *t, const baton_age_recipient *rcpt, uint8_t **out, size_t *outlen);

/* mkdtemp under $TMPDIR; caller frees. */
char *fx_tmpdir(void);
void fx_rmtree(const char *path);
/* Number of entries in a folder other than . and .., -1 if it is absent. */
int fx_count_entries(const char *dir);

#endif
