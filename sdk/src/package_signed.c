/*
 * package_signed.c - the checks of a package's signed part and of each
 * payload file against it (see package_open.h).
 *
 * The signed part is the five tag files: bagit.txt, bag-info.txt,
 * manifest-sha256.txt, tagmanifest-sha256.txt and its .minisig. Once it
 * verifies, the manifest and bag-info are the sender's word: every payload
 * entry must be listed, fit in what Payload-Oxum leaves, and hash to the
 * listed digest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "baton/bagit.h"
#include "baton/error.h"
#include "baton/minisign.h"
#include "package_case.h"
#include "package_open.h"

static int check_signature(struct opener *o, baton_minisign_sig *sig)
{
    const baton_pkg_open_params *p = o->p;
    char e[256];
    uint8_t prehash[BATON_MINISIGN_PREHASH_BYTES];
    baton_minisign_prehash *ph = NULL;
    if (baton_minisign_sig_parse(o->tags[T_MINISIG], o->tag_len[T_MINISIG], sig, e, sizeof e) < 0)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL, "malformed: signature file: %s",
                           e);
    if (baton_minisign_prehash_new(&ph) < 0)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_ENOMEM, "out of memory");
    baton_minisign_prehash_update(ph, o->tags[T_TAGMANIFEST], o->tag_len[T_TAGMANIFEST]);
    baton_minisign_prehash_final(ph, prehash);
    baton_minisign_prehash_free(ph);
    int known = 0;
    for (size_t i = 0; i < p->n_trusted; i++) {
        if (memcmp(p->trusted[i].keynum, sig->keynum, BATON_MINISIGN_KEYNUM_BYTES) != 0)
            continue;
        known = 1;
        if (baton_minisign_verify_prehashed(&p->trusted[i], sig, prehash, e, sizeof e) == 0) {
            o->res->have_sender = 1;
            o->res->sender = p->trusted[i];
            return 0;
        }
    }
    char id[BATON_MINISIGN_KEYID_HEX_LEN + 1];
    baton_minisign_keyid_hex(sig->keynum, id);
    if (!known)
        return pkg_verdict(o, BATON_PKG_UNTRUSTED, BATON_EDENIED,
                           "untrusted sender: signed by key %s, which is not in the trust list",
                           id);
    return pkg_verdict(o, BATON_PKG_BAD_SIGNATURE, BATON_ECRYPTO,
                       "bad signature: the signature by key %s does not verify", id);
}

static int check_tagmanifest(struct opener *o)
{
    /* Byte order of the names; documents.json only when the bag has it. */
    static const int with_index[4] = {T_INFO, T_BAGIT, T_INDEX, T_MANIFEST};
    static const int without[3] = {T_INFO, T_BAGIT, T_MANIFEST};
    const int *covered = o->tag_seen[T_INDEX] ? with_index : without;
    size_t n_covered = o->tag_seen[T_INDEX] ? 4 : 3;
    baton_bagit_manifest m;
    char e[256];
    int rc = 0;
    if (baton_bagit_manifest_parse(o->tags[T_TAGMANIFEST], o->tag_len[T_TAGMANIFEST], &m, e,
                                   sizeof e) < 0)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL, "malformed: tagmanifest: %s", e);
    for (size_t i = 0; i < n_covered && rc == 0; i++) {
        uint8_t d[32];
        if (m.n != n_covered || strcmp(m.entries[i].path, pkg_tag_names[covered[i]]) != 0) {
            rc = pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                             "malformed: tagmanifest must list exactly bag-info.txt, bagit.txt, "
                             "manifest-sha256.txt and documents.json when the bag has it");
            break;
        }
        baton_sha256_buffer(o->tags[covered[i]], o->tag_len[covered[i]], d);
        if (sodium_memcmp(d, m.entries[i].sha256, 32) != 0)
            rc = pkg_verdict(o, BATON_PKG_TAMPERED, BATON_ECRYPTO,
                             "tampered: bag/%s does not match the tagmanifest", m.entries[i].path);
    }
    baton_bagit_manifest_free(&m);
    return rc;
}

/* The signed document index, when the bag has one, names every document
 * of the manifest once with its digest (sizes are compared as the files
 * arrive, pkg_check_payload). */
static int load_index(struct opener *o)
{
    char e[256];
    if (!o->tag_seen[T_INDEX])
        return 0;
    if (baton_docindex_parse(o->tags[T_INDEX], o->tag_len[T_INDEX], &o->index, e, sizeof e) < 0)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL, "malformed: documents.json: %s",
                           e);
    if (o->index.n + 1 != o->man.n)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                           "malformed: documents.json lists %zu documents, the manifest %zu",
                           o->index.n, o->man.n - 1);
    for (size_t i = 0; i < o->index.n; i++) {
        const baton_docindex_entry *d = &o->index.entries[i];
        long m = baton_bagit_manifest_find(&o->man, d->file);
        if (m < 0 || sodium_memcmp(o->man.entries[m].sha256, d->sha256, 32) != 0)
            return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                               "malformed: documents.json entry %zu does not match the manifest "
                               "(file or digest)",
                               i + 1);
    }
    return 0;
}

/* Parses the manifest into o->man and checks that it lists case.json and
 * nothing outside data/case.json and data/documents/. */
static int load_manifest(struct opener *o)
{
    char e[256];
    if (baton_bagit_manifest_parse(o->tags[T_MANIFEST], o->tag_len[T_MANIFEST], &o->man, e,
                                   sizeof e) < 0)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL, "malformed: manifest: %s", e);
    if (baton_bagit_manifest_find(&o->man, "data/case.json") < 0)
        return pkg_verdict(o, BATON_PKG_MISSING_FILE, BATON_ENOENT,
                           "missing file: the manifest does not list data/case.json");
    for (size_t i = 0; i < o->man.n; i++) {
        const char *path = o->man.entries[i].path;
        if (strcmp(path, "data/case.json") != 0 && strncmp(path, "data/documents/", 15) != 0)
            return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                               "malformed: manifest lists %s, outside data/case.json and "
                               "data/documents/",
                               path);
    }
    return 0;
}

static int check_info(struct opener *o)
{
    baton_bagit_info info;
    char e[256];
    int rc = 0;
    if (baton_bagit_info_parse(o->tags[T_INFO], o->tag_len[T_INFO], &info, e, sizeof e) < 0)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL, "malformed: bag-info.txt: %s", e);
    const char *oxum = baton_bagit_info_get(&info, "Payload-Oxum");
    const char *ext = baton_bagit_info_get(&info, "External-Identifier");
    const char *org = baton_bagit_info_get(&info, "Source-Organization");
    if (oxum == NULL || baton_bagit_oxum_parse(oxum, &o->oxum_octets, &o->oxum_streams) < 0)
        rc = pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                         "malformed: bag-info.txt has no valid Payload-Oxum");
    else if (o->oxum_streams != o->man.n)
        rc = pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                         "malformed: bag-info.txt Payload-Oxum counts %llu files, the manifest "
                         "lists %zu",
                         (unsigned long long)o->oxum_streams, o->man.n);
    else if (ext == NULL || strcmp(ext, o->res->meta.case_id) != 0)
        rc = pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                         "malformed: bag-info.txt External-Identifier differs from the signed "
                         "case id");
    else if (org != NULL && strcmp(org, o->res->meta.sender) != 0)
        rc = pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                         "malformed: bag-info.txt Source-Organization differs from the signed "
                         "sender");
    baton_bagit_info_free(&info);
    return rc;
}

static int check_addressee_and_times(struct opener *o)
{
    const baton_pkg_open_params *p = o->p;
    const baton_pkg_meta *m = &o->res->meta;
    if (strcmp(m->recipient, p->recipient) != 0)
        return pkg_verdict(o, BATON_PKG_NOT_FOR_ME, BATON_EDENIED,
                           "not for me: addressed to '%s', opened as '%s'", m->recipient,
                           p->recipient);
    /* A package from the future, or one meant to stay valid for years, is
     * not something a sender's clock or policy produces honestly. */
    if (m->created > p->now + BATON_PKG_CLOCK_SKEW)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                           "malformed: the package claims to be created in the future");
    if (m->expires - m->created > BATON_PKG_MAX_LIFETIME)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                           "malformed: the package is valid for more than 366 days");
    if (p->now >= m->expires) {
        char t[21];
        baton_pkg_time_format(m->expires, t);
        return pkg_verdict(o, BATON_PKG_EXPIRED, BATON_ETIMEDOUT,
                           "expired: the package expired at %s", t);
    }
    return 0;
}

int pkg_check_payload(struct opener *o, struct node *n)
{
    long i = baton_bagit_manifest_find(&o->man, n->path);
    if (i < 0)
        return pkg_verdict(o, BATON_PKG_EXTRA_FILE, BATON_EDENIED,
                           "extra file: bag/%s is not in the manifest", n->path);
    if (o->payload_files + 1 > o->oxum_streams || n->size > o->oxum_octets - o->payload_bytes)
        return pkg_verdict(o, BATON_PKG_TAMPERED, BATON_ELIMIT,
                           "tampered: bag/%s goes beyond the payload the signed Payload-Oxum "
                           "declares (%llu bytes in %llu files)",
                           n->path, (unsigned long long)o->oxum_octets,
                           (unsigned long long)o->oxum_streams);
    if (sodium_memcmp(n->digest, o->man.entries[i].sha256, 32) != 0)
        return pkg_verdict(o, BATON_PKG_TAMPERED, BATON_ECRYPTO,
                           "tampered: bag/%s does not match the manifest", n->path);
    if (o->index.n > 0) {
        long d = baton_docindex_find(&o->index, n->path);
        if (d >= 0 && o->index.entries[d].size != n->size)
            return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                               "malformed: bag/%s has another size than documents.json says",
                               n->path);
    }
    o->payload_files++;
    o->payload_bytes += n->size;
    n->checked = 1;
    if (strcmp(n->path, "data/case.json") == 0) {
        char e[300];
        if (pkg_case_check(o->case_json, o->case_len, o->res->meta.case_id, e, sizeof e) < 0)
            return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL, "malformed: %s", e);
    }
    return 0;
}

int pkg_verify_signed(struct opener *o)
{
    baton_minisign_sig *sig = malloc(sizeof *sig);
    char e[256];
    int rc;
    if (sig == NULL)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_ENOMEM, "out of memory");
    baton_sha256_buffer(o->tags[T_TAGMANIFEST], o->tag_len[T_TAGMANIFEST],
                        o->res->tagmanifest_sha256);
    o->res->have_tagmanifest = 1;
    if ((rc = check_signature(o, sig)) < 0)
        goto out;
    if (baton_pkg_tc_parse(sig->trusted_comment, &o->res->meta, e, sizeof e) < 0) {
        rc = pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL, "malformed: %s", e);
        goto out;
    }
    o->res->have_meta = 1;
    if (o->tag_len[T_BAGIT] != strlen(BATON_BAGIT_DECLARATION) ||
        memcmp(o->tags[T_BAGIT], BATON_BAGIT_DECLARATION, o->tag_len[T_BAGIT]) != 0) {
        rc = pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                         "malformed: bagit.txt is not the BagIt 1.0 UTF-8 declaration");
        goto out;
    }
    if ((rc = check_tagmanifest(o)) < 0 || (rc = load_manifest(o)) < 0 ||
        (rc = load_index(o)) < 0 || (rc = check_info(o)) < 0 ||
        (rc = check_addressee_and_times(o)) < 0)
        goto out;
    o->signed_ok = 1;
    /* What came on credit before the signed part, now against it. */
    for (size_t i = 0; i < o->cap; i++) {
        struct node *n = o->table[i];
        if (n != NULL && n->type == N_FILE && !n->checked && strncmp(n->path, "data/", 5) == 0 &&
            (rc = pkg_check_payload(o, n)) < 0)
            goto out;
    }
    rc = 0;
out:
    free(sig);
    return rc;
}

int pkg_check_complete(struct opener *o)
{
    for (int t = 0; t < T_COUNT; t++) {
        /* The index is missing when the tagmanifest lists it (so the
         * signed part never became complete). */
        if (!o->tag_seen[t] && (t != T_INDEX || !o->signed_ok))
            return pkg_verdict(o, BATON_PKG_MISSING_FILE, BATON_ENOENT, "missing file: bag/%s",
                               pkg_tag_names[t]);
    }
    for (size_t i = 0; i < o->man.n; i++) {
        const char *path = o->man.entries[i].path;
        struct node *n = pkg_lookup(o, path, strlen(path));
        if (n == NULL || n->type != N_FILE || !n->checked || strcmp(n->path, path) != 0)
            return pkg_verdict(o, BATON_PKG_MISSING_FILE, BATON_ENOENT,
                               "missing file: bag/%s is in the manifest but not in the package",
                               path);
    }
    if (o->payload_bytes != o->oxum_octets || o->payload_files != o->oxum_streams)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                           "malformed: bag-info.txt Payload-Oxum does not match the payload "
                           "(%llu.%llu)",
                           (unsigned long long)o->payload_bytes,
                           (unsigned long long)o->payload_files);
    for (size_t i = 0; i < o->cap; i++) {
        struct node *n = o->table[i];
        if (n != NULL && n->type == N_DIR && !n->has_file)
            return pkg_verdict(o, BATON_PKG_EXTRA_FILE, BATON_EDENIED,
                               "extra file: empty folder bag/%s", n->path);
    }
    o->res->payload_bytes = o->payload_bytes;
    o->res->payload_files = o->payload_files;
    return 0;
}
