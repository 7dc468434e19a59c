/*
 * package_pack.c - writes a handoff package in one streaming pass over the
 * tar (see baton/package.h for the layout).
 *
 * Order of the tar entries: the signed part first, so an opener can verify
 * the signature before it expands anything, then the payload in byte order
 * of the paths:
 *   bag/, bag/bagit.txt, bag/bag-info.txt, bag/documents.json (with
 *   documents), bag/manifest-sha256.txt, bag/tagmanifest-sha256.txt,
 *   bag/tagmanifest-sha256.txt.minisig, bag/data/, bag/data/case.json,
 *   bag/data/documents/0001.pdf ...
 * The manifest needs every digest before it is written, so each document
 * is read twice: once to hash it (the size comes from fstat), once while
 * its bytes go to libarchive, which hands full blocks to the age
 * encryptor, which hands ciphertext to the caller. The second read is
 * hashed again (on a second thread) and must give the same digest, so a
 * document that changes meanwhile fails the pack instead of producing a
 * package that would be refused as tampered. Memory: two read buffers,
 * libarchive's block, one age chunk, and the manifest text.
 *
 * Owns the packing pipeline only; does not own the crypto primitives, the
 * trusted comment syntax (package_meta.c), the case binding
 * (package_case.c) or the manifest text (bagit.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "baton/bagit.h"
#include "baton/docindex.h"
#include "baton/error.h"
#include "baton/escape.h"
#include "baton/package.h"
#include "baton/sha256.h"
#include "package_case.h"
#include "package_hasher.h"
#include "fail.h"
#include "visibility.h"

#define READ_CHUNK   (1u << 20)
#define TAR_BLOCK    65536
#define DOCUMENT_MAX 100000     /* files per package */
#define HASHER_MIN   (8u << 20) /* payload size from which hashing gets its own thread */

/* libarchive converts names through the calling thread's locale; package
 * names are UTF-8 whatever the process locale is, so the work runs under a
 * thread-local C.UTF-8 locale (the process locale is not touched). */
static locale_t utf8_locale_push(locale_t *made)
{
    *made = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    return *made != (locale_t)0 ? uselocale(*made) : (locale_t)0;
}

static void utf8_locale_pop(locale_t old, locale_t made)
{
    if (made != (locale_t)0) {
        uselocale(old);
        freelocale(made);
    }
}

struct item {
    char *bagpath;     /* "data/..." */
    const char *src;   /* file to read, or NULL for the case.json buffer */
    const char *given; /* the document's given name (NULL for case.json) */
    uint64_t size;
    uint8_t digest[32]; /* from the first read */
};

struct packer {
    const baton_pkg_pack_params *p;
    baton_age_write_fn write;
    void *wctx;
    baton_age_encryptor *enc;
    struct archive *a;
    int io_rc; /* first failure seen inside a libarchive callback */
    char io_err[256];
    uint64_t out_bytes;
    baton_sha256 *h;
    uint8_t *buf[2];
    struct hasher hz;
    int hz_on;
    struct item *items;
    size_t n_items;
    const void *case_buf;
    size_t case_len;
    char *case_owned;
    char *dirs[64]; /* directories emitted along the current path */
    size_t n_dirs;
};

static int count_write(void *ctx, const uint8_t *data, size_t len)
{
    struct packer *k = ctx;
    int rc = k->write(k->wctx, data, len);
    if (rc == 0)
        k->out_bytes += len;
    return rc;
}

static la_ssize_t tar_write(struct archive *a, void *ctx, const void *buf, size_t len)
{
    struct packer *k = ctx;
    (void)a;
    int rc = baton_age_encrypt_update(k->enc, buf, len, k->io_err, sizeof k->io_err);
    if (rc < 0) {
        if (k->io_rc == 0)
            k->io_rc = rc;
        return -1;
    }
    return (la_ssize_t)len;
}

static int arc_fail(struct packer *k, char *err, size_t errlen, const char *what)
{
    if (k->io_rc != 0)
        return baton__fail(err, errlen, k->io_rc, "%s: %s", what, k->io_err);
    return baton__fail(err, errlen, BATON_EIO, "%s: %s", what, archive_error_string(k->a));
}

static int put_header(struct packer *k, const char *path, int dir, uint64_t size, char *err,
                      size_t errlen)
{
    int rc = 0;
    char full[BATON_BAGIT_PATH_MAX + 8];
    struct archive_entry *e = archive_entry_new();
    if (e == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    snprintf(full, sizeof full, "bag%s%s%s", path[0] != '\0' ? "/" : "", path, dir ? "/" : "");
    /* Names are UTF-8 whatever the locale: update_pathname_utf8 fills every
     * form libarchive may use, and the pax writer is told to keep UTF-8. */
    if (!archive_entry_update_pathname_utf8(e, full)) {
        archive_entry_free(e);
        return baton__fail(err, errlen, BATON_EINVAL, "%s: name not representable", full);
    }
    archive_entry_set_filetype(e, dir ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(e, dir ? 0755 : 0644);
    archive_entry_set_size(e, dir ? 0 : (la_int64_t)size);
    archive_entry_set_mtime(e, (time_t)k->p->meta.created, 0);
    archive_entry_set_uid(e, 0);
    archive_entry_set_gid(e, 0);
    if (archive_write_header(k->a, e) != ARCHIVE_OK)
        rc = arc_fail(k, err, errlen, full);
    archive_entry_free(e);
    return rc;
}

static int put_data(struct packer *k, const void *data, size_t len, char *err, size_t errlen)
{
    const char *p = data;
    while (len > 0) {
        la_ssize_t n = archive_write_data(k->a, p, len);
        if (n <= 0)
            return arc_fail(k, err, errlen, "writing tar data");
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* A small tag file from memory; its digest goes to digest when not NULL. */
static int put_buffer(struct packer *k, const char *path, const void *data, size_t len,
                      uint8_t digest[32], char *err, size_t errlen)
{
    int rc = put_header(k, path, 0, len, err, errlen);
    if (rc == 0)
        rc = put_data(k, data, len, err, errlen);
    if (rc == 0 && digest != NULL)
        rc = baton_sha256_buffer(data, len, digest);
    return rc;
}

/* Emits the directory entries between the current directory chain and the
 * parent of path ("data/documents/a/x.pdf" -> data, data/documents, ...).
 * Paths arrive in byte order, so a directory is never re-entered. */
static int enter_dirs(struct packer *k, const char *path, char *err, size_t errlen)
{
    size_t depth = 0;
    const char *s = path;
    for (;;) {
        const char *slash = strchr(s, '/');
        if (slash == NULL)
            break;
        size_t plen = (size_t)(slash - path);
        if (depth < k->n_dirs && strlen(k->dirs[depth]) == plen &&
            memcmp(k->dirs[depth], path, plen) == 0) {
            depth++;
            s = slash + 1;
            continue;
        }
        while (k->n_dirs > depth)
            free(k->dirs[--k->n_dirs]);
        if (k->n_dirs == sizeof k->dirs / sizeof k->dirs[0])
            return baton__fail(err, errlen, BATON_ELIMIT, "documents nested too deeply");
        char *d = strndup(path, plen);
        if (d == NULL)
            return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
        k->dirs[k->n_dirs++] = d;
        int rc = put_header(k, d, 1, 0, err, errlen);
        if (rc < 0)
            return rc;
        depth++;
        s = slash + 1;
    }
    return 0;
}

static int item_cmp(const void *a, const void *b)
{
    return strcmp(((const struct item *)a)->bagpath, ((const struct item *)b)->bagpath);
}

static int given_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Refuses a document given twice under the same name. Names that differ
 * only in case or Unicode forms are kept as given (the index carries them;
 * restoring to disk applies the name rule, baton/docindex.h). */
static int check_duplicates(struct packer *k, char *err, size_t errlen)
{
    size_t n = 0;
    const char **names = malloc((k->n_items + 1) * sizeof *names);
    if (names == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    for (size_t i = 0; i < k->n_items; i++) {
        if (k->items[i].given != NULL)
            names[n++] = k->items[i].given;
    }
    if (n > 1)
        qsort(names, n, sizeof *names, given_cmp);
    int rc = 0;
    for (size_t i = 1; i < n && rc == 0; i++) {
        if (strcmp(names[i - 1], names[i]) == 0)
            rc = baton__fail(err, errlen, BATON_EEXIST, "two documents have the same name");
    }
    free(names);
    return rc;
}

/* The text of bag/documents.json: the given names of the documents with
 * their bag names, media types, sizes and digests (baton/docindex.h). */
static int index_text(struct packer *k, char **text, size_t *len, char *err, size_t errlen)
{
    baton_docindex ix = {NULL, 0};
    ix.entries = calloc(k->n_items, sizeof *ix.entries);
    if (ix.entries == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    for (size_t i = 0; i < k->n_items; i++) {
        const struct item *it = &k->items[i];
        if (it->given == NULL)
            continue;
        baton_docindex_entry *e = &ix.entries[ix.n++];
        e->file = it->bagpath;
        e->name = (char *)it->given;
        e->media_type = (char *)baton_docindex_media_type(it->given);
        e->size = it->size;
        memcpy(e->sha256, it->digest, 32);
    }
    int rc = baton_docindex_format(&ix, text, len, err, errlen);
    free(ix.entries); /* the strings belong to the items */
    return rc;
}

static int read_small_file(const char *path, size_t max, char **out, size_t *outlen, char *err,
                           size_t errlen)
{
    int rc = BATON_EIO;
    char *buf = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return baton__fail(err, errlen, errno == ENOENT ? BATON_ENOENT : BATON_EIO, "%s: %s", path,
                           strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        rc = baton__fail(err, errlen, BATON_ETYPE, "%s: not a regular file", path);
        goto out;
    }
    if ((uint64_t)st.st_size > max) {
        rc = baton__fail(err, errlen, BATON_ELIMIT, "%s: larger than %zu bytes", path, max);
        goto out;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (buf == NULL) {
        rc = baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
        goto out;
    }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            rc = baton__fail(err, errlen, BATON_EIO, "%s: short read", path);
            goto out;
        }
        got += (size_t)r;
    }
    buf[got] = '\0';
    *out = buf;
    *outlen = got;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    close(fd);
    return rc;
}

/* First read of a document: its digest, for the manifest. */
static int hash_file(struct packer *k, struct item *it, baton_pkg_progress_fn progress, void *pctx,
                     uint64_t *done, uint64_t total, char *err, size_t errlen)
{
    int rc = 0;
    uint64_t got = 0;
    int fd = open(it->src, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return baton__fail(err, errlen, BATON_EIO, "%s: %s", it->src, strerror(errno));
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    baton_sha256_reset(k->h);
    for (;;) {
        ssize_t r = read(fd, k->buf[0], READ_CHUNK);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = baton__fail(err, errlen, BATON_EIO, "%s: %s", it->src, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        baton_sha256_update(k->h, k->buf[0], (size_t)r);
        got += (uint64_t)r;
        *done += (uint64_t)r;
        if (progress != NULL)
            progress(pctx, *done, total);
    }
    if (got != it->size) {
        rc = baton__fail(err, errlen, BATON_EIO, "%s: changed while packing (size)", it->src);
        goto out;
    }
    rc = baton_sha256_final(k->h, it->digest);
out:
    close(fd);
    return rc;
}

/* Second read of a document: hashing and writing each chunk; the digest
 * must be the first read's. */
static int put_file(struct packer *k, const struct item *it, baton_pkg_progress_fn progress,
                    void *pctx, uint64_t *done, uint64_t total, char *err, size_t errlen)
{
    int rc;
    int fd = open(it->src, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return baton__fail(err, errlen, BATON_EIO, "%s: %s", it->src, strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != it->size) {
        rc = baton__fail(err, errlen, BATON_EIO, "%s: changed while packing", it->src);
        goto out;
    }
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    rc = put_header(k, it->bagpath, 0, it->size, err, errlen);
    if (rc < 0)
        goto out;
    uint64_t left = it->size;
    int cur = 0;
    while (left > 0) {
        size_t want = left < READ_CHUNK ? (size_t)left : READ_CHUNK;
        uint8_t *b = k->buf[cur];
        /* b was posted two rounds ago; hasher_wait below made it free. */
        ssize_t r = read(fd, b, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = baton__fail(err, errlen, BATON_EIO, "%s: %s", it->src, strerror(errno));
            goto out;
        }
        if (r == 0) {
            rc =
                baton__fail(err, errlen, BATON_EIO, "%s: changed while packing (shorter)", it->src);
            goto out;
        }
        if (k->hz_on) {
            if ((rc = pkg_hasher_wait(&k->hz)) < 0)
                goto out;
            pkg_hasher_post(&k->hz, b, (size_t)r);
        } else if ((rc = baton_sha256_update(k->h, b, (size_t)r)) < 0) {
            goto out;
        }
        if ((rc = put_data(k, b, (size_t)r, err, errlen)) < 0)
            goto out;
        cur ^= 1;
        left -= (uint64_t)r;
        *done += (uint64_t)r;
        if (progress != NULL)
            progress(pctx, *done, total);
    }
    if (k->hz_on && (rc = pkg_hasher_wait(&k->hz)) < 0)
        goto out;
    char probe;
    if (read(fd, &probe, 1) != 0) {
        rc = baton__fail(err, errlen, BATON_EIO, "%s: changed while packing (longer)", it->src);
        goto out;
    }
    uint8_t digest[32];
    if ((rc = baton_sha256_final(k->h, digest)) < 0)
        goto out;
    if (memcmp(digest, it->digest, 32) != 0)
        rc = baton__fail(err, errlen, BATON_EIO, "%s: changed while packing (content)", it->src);
out:
    if (k->hz_on)
        pkg_hasher_wait(&k->hz);
    close(fd);
    return rc;
}

static int build_items(struct packer *k, char *err, size_t errlen)
{
    const baton_pkg_pack_params *p = k->p;
    int rc;
    if (p->n_documents > DOCUMENT_MAX)
        return baton__fail(err, errlen, BATON_ELIMIT, "more than %d documents", DOCUMENT_MAX);
    k->items = calloc(p->n_documents + 1, sizeof *k->items);
    if (k->items == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    k->items[0].bagpath = strdup("data/case.json");
    if (k->items[0].bagpath == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    k->items[0].size = k->case_len;
    k->n_items = 1;
    for (size_t i = 0; i < p->n_documents; i++) {
        const baton_pkg_document *d = &p->documents[i];
        struct item *it = &k->items[k->n_items];
        struct stat st;
        char perr[200];
        if (d->path == NULL || d->name == NULL)
            return baton__fail(err, errlen, BATON_EINVAL, "document %zu lacks a path or name", i);
        /* The bag holds the document under a name made here; the given
         * name travels in the document index (baton/docindex.h). */
        char file[64];
        rc = baton_docindex_name_check(d->name, perr, sizeof perr);
        if (rc < 0)
            return baton__fail(err, errlen, rc, "document %zu: %s", i + 1, perr);
        baton_docindex_file_name(i, p->n_documents, d->name, file);
        it->bagpath = strdup(file);
        if (it->bagpath == NULL)
            return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
        k->n_items++;
        it->given = d->name;
        if (stat(d->path, &st) < 0)
            return baton__fail(err, errlen, errno == ENOENT ? BATON_ENOENT : BATON_EIO, "%s: %s",
                               d->path, strerror(errno));
        if (!S_ISREG(st.st_mode))
            return baton__fail(err, errlen, BATON_ETYPE, "%s: not a regular file", d->path);
        it->src = d->path;
        it->size = (uint64_t)st.st_size;
    }
    qsort(k->items, k->n_items, sizeof *k->items, item_cmp);
    return check_duplicates(k, err, errlen);
}

static int pack_run(const baton_pkg_pack_params *p, baton_age_write_fn write, void *wctx,
                    baton_pkg_progress_fn progress, void *pctx, baton_pkg_pack_result *result,
                    char *err, size_t errlen)
{
    int rc = BATON_ENOMEM;
    struct packer k;
    char tc[BATON_MINISIGN_COMMENT_MAX + 1], date[21], info[1024];
    char *manifest = NULL, *tagmanifest = NULL, *sig = NULL, *index = NULL;
    size_t mlen = 0, mcap = 0, tlen = 0, tcap = 0, siglen = 0, ilen = 0;
    uint8_t tagdigest[32];
    uint64_t total = 0, done = 0;

    memset(&k, 0, sizeof k);
    k.p = p;
    k.write = write;
    k.wctx = wctx;
    if (p->sender_key == NULL || p->recipients == NULL || p->n_recipients == 0) {
        rc = baton__fail(err, errlen, BATON_EINVAL,
                         "a sender key and at least one recipient are needed");
        goto out;
    }
    if ((rc = baton_pkg_tc_format(&p->meta, tc, sizeof tc, err, errlen)) < 0)
        goto out;
    if (p->case_json != NULL) {
        k.case_buf = p->case_json;
        k.case_len = p->case_json_len;
    } else if (p->case_json_path != NULL) {
        rc = read_small_file(p->case_json_path, BATON_PKG_CASE_MAX, &k.case_owned, &k.case_len, err,
                             errlen);
        if (rc < 0)
            goto out;
        k.case_buf = k.case_owned;
    } else {
        rc = baton__fail(err, errlen, BATON_EINVAL, "no case.json given");
        goto out;
    }
    if (k.case_len > BATON_PKG_CASE_MAX) {
        rc = baton__fail(err, errlen, BATON_ELIMIT, "case.json is larger than %u bytes",
                         (unsigned)BATON_PKG_CASE_MAX);
        goto out;
    }
    /* The case travels bound to the signed case id: the opener refuses a
     * mismatch, so it is never packed. */
    {
        char raw[400];
        if ((rc = pkg_case_check(k.case_buf, k.case_len, p->meta.case_id, raw, sizeof raw)) < 0) {
            if (err != NULL && errlen > 0)
                baton_escape(raw, strlen(raw), err, errlen);
            goto out;
        }
    }
    if ((rc = build_items(&k, err, errlen)) < 0)
        goto out;
    for (size_t i = 0; i < k.n_items; i++)
        total += k.items[i].size;

    /* bag-info.txt: labels in byte order; everything here is also in the
     * signed trusted comment or derived from the payload. */
    baton_pkg_time_format(p->meta.created, date);
    date[10] = '\0';
    int n = snprintf(info, sizeof info,
                     "Bag-Software-Agent: baton\n"
                     "Bagging-Date: %s\n"
                     "External-Identifier: %s\n"
                     "Payload-Oxum: %llu.%zu\n"
                     "Source-Organization: %s\n",
                     date, p->meta.case_id, (unsigned long long)total, k.n_items, p->meta.sender);
    if (n < 0 || (size_t)n >= sizeof info) {
        rc = baton__fail(err, errlen, BATON_ELIMIT, "bag-info.txt too long");
        goto out;
    }

    rc = BATON_ENOMEM;
    k.buf[0] = malloc(READ_CHUNK);
    k.buf[1] = malloc(READ_CHUNK);
    if (k.buf[0] == NULL || k.buf[1] == NULL || baton_sha256_new(&k.h) < 0) {
        rc = baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
        goto out;
    }
    /* First read: every digest, so the signed part can lead the tar. */
    for (size_t i = 0; i < k.n_items; i++) {
        struct item *it = &k.items[i];
        if (it->src == NULL) {
            baton_sha256_buffer(k.case_buf, k.case_len, it->digest);
            done += k.case_len;
        } else if ((rc = hash_file(&k, it, progress, pctx, &done, 2 * total, err, errlen)) < 0) {
            goto out;
        }
        rc = baton_bagit_manifest_append(&manifest, &mlen, &mcap, it->digest, it->bagpath, err,
                                         errlen);
        if (rc < 0)
            goto out;
    }
    /* A second core only pays off for documents of some size. */
    if (total >= HASHER_MIN && pkg_hasher_start(&k.hz, k.h) == 0)
        k.hz_on = 1;
    rc = baton_age_encrypt_init(&k.enc, p->recipients, p->n_recipients, count_write, &k, err,
                                errlen);
    if (rc < 0)
        goto out;
    k.a = archive_write_new();
    if (k.a == NULL) {
        rc = baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
        goto out;
    }
    if (archive_write_set_format_pax_restricted(k.a) != ARCHIVE_OK ||
        archive_write_add_filter_none(k.a) != ARCHIVE_OK ||
        archive_write_set_format_option(k.a, "pax", "hdrcharset", "UTF-8") != ARCHIVE_OK ||
        archive_write_set_bytes_per_block(k.a, TAR_BLOCK) != ARCHIVE_OK ||
        archive_write_set_bytes_in_last_block(k.a, 1) != ARCHIVE_OK ||
        archive_write_open2(k.a, &k, NULL, tar_write, NULL, NULL) != ARCHIVE_OK) {
        rc = arc_fail(&k, err, errlen, "starting tar");
        goto out;
    }

    uint8_t info_d[32], bagit_d[32], manifest_d[32], index_d[32];
    baton_sha256_buffer(info, (size_t)n, info_d);
    baton_sha256_buffer(BATON_BAGIT_DECLARATION, strlen(BATON_BAGIT_DECLARATION), bagit_d);
    baton_sha256_buffer(manifest, mlen, manifest_d);
    if (p->n_documents > 0) {
        if ((rc = index_text(&k, &index, &ilen, err, errlen)) < 0)
            goto out;
        baton_sha256_buffer(index, ilen, index_d);
    }
    if ((rc = baton_bagit_manifest_append(&tagmanifest, &tlen, &tcap, info_d, "bag-info.txt", err,
                                          errlen)) < 0 ||
        (rc = baton_bagit_manifest_append(&tagmanifest, &tlen, &tcap, bagit_d, "bagit.txt", err,
                                          errlen)) < 0 ||
        (index != NULL &&
         (rc = baton_bagit_manifest_append(&tagmanifest, &tlen, &tcap, index_d, BATON_DOCINDEX_FILE,
                                           err, errlen)) < 0) ||
        (rc = baton_bagit_manifest_append(&tagmanifest, &tlen, &tcap, manifest_d,
                                          "manifest-sha256.txt", err, errlen)) < 0)
        goto out;
    baton_sha256_buffer(tagmanifest, tlen, tagdigest);
    rc = baton_minisign_sign_buffer(p->sender_key, tagmanifest, tlen,
                                    "signature from baton handoff sender key", tc, &sig, &siglen,
                                    err, errlen);
    if (rc < 0)
        goto out;
    /* The signed part, then the payload. */
    if ((rc = put_header(&k, "", 1, 0, err, errlen)) < 0 ||
        (rc = put_buffer(&k, "bagit.txt", BATON_BAGIT_DECLARATION, strlen(BATON_BAGIT_DECLARATION),
                         NULL, err, errlen)) < 0 ||
        (rc = put_buffer(&k, "bag-info.txt", info, (size_t)n, NULL, err, errlen)) < 0 ||
        (index != NULL &&
         (rc = put_buffer(&k, BATON_DOCINDEX_FILE, index, ilen, NULL, err, errlen)) < 0) ||
        (rc = put_buffer(&k, "manifest-sha256.txt", manifest, mlen, NULL, err, errlen)) < 0 ||
        (rc = put_buffer(&k, "tagmanifest-sha256.txt", tagmanifest, tlen, NULL, err, errlen)) < 0 ||
        (rc = put_buffer(&k, "tagmanifest-sha256.txt.minisig", sig, siglen, NULL, err, errlen)) < 0)
        goto out;
    for (size_t i = 0; i < k.n_items; i++) {
        const struct item *it = &k.items[i];
        if ((rc = enter_dirs(&k, it->bagpath, err, errlen)) < 0)
            goto out;
        if (it->src == NULL) {
            rc = put_buffer(&k, it->bagpath, k.case_buf, k.case_len, NULL, err, errlen);
            done += k.case_len;
        } else {
            rc = put_file(&k, it, progress, pctx, &done, 2 * total, err, errlen);
        }
        if (rc < 0)
            goto out;
    }
    if (archive_write_close(k.a) != ARCHIVE_OK) {
        rc = arc_fail(&k, err, errlen, "finishing tar");
        goto out;
    }
    if ((rc = baton_age_encrypt_final(k.enc, err, errlen)) < 0)
        goto out;
    if (result != NULL) {
        memcpy(result->tagmanifest_sha256, tagdigest, 32);
        result->payload_bytes = total;
        result->payload_files = k.n_items;
        result->package_bytes = k.out_bytes;
    }
    rc = 0;
out:
    if (k.a != NULL)
        archive_write_free(k.a);
    baton_age_encrypt_free(k.enc);
    baton_sha256_free(k.h);
    if (k.hz_on)
        pkg_hasher_stop(&k.hz);
    free(k.buf[0]);
    free(k.buf[1]);
    free(manifest);
    free(tagmanifest);
    free(index);
    baton_minisign_text_free(sig);
    free(k.case_owned);
    for (size_t i = 0; i < k.n_items; i++)
        free(k.items[i].bagpath);
    free(k.items);
    while (k.n_dirs > 0)
        free(k.dirs[--k.n_dirs]);
    return rc;
}

BATON_API int baton_pkg_pack(const baton_pkg_pack_params *p, baton_age_write_fn write, void *wctx,
                             baton_pkg_progress_fn progress, void *pctx,
                             baton_pkg_pack_result *result, char *err, size_t errlen)
{
    locale_t made, old = utf8_locale_push(&made);
    int rc = pack_run(p, write, wctx, progress, pctx, result, err, errlen);
    utf8_locale_pop(old, made);
    return rc;
}

struct fdout {
    int fd;
};

static int fd_write_all(void *ctx, const uint8_t *data, size_t len)
{
    struct fdout *o = ctx;
    while (len > 0) {
        ssize_t w = write(o->fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return BATON_EIO;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

BATON_API int baton_pkg_pack_file(const baton_pkg_pack_params *p, const char *out_path,
                                  int overwrite, baton_pkg_progress_fn progress, void *pctx,
                                  baton_pkg_pack_result *result, char *err, size_t errlen)
{
    int rc;
    char *dcopy = NULL, *bcopy = NULL, *tmp = NULL;
    struct fdout o = {-1};
    int dfd = -1;
    struct stat st;
    if (!overwrite && lstat(out_path, &st) == 0)
        return baton__fail(err, errlen, BATON_EEXIST, "%s exists (use --force to replace it)",
                           out_path);
    dcopy = strdup(out_path);
    bcopy = strdup(out_path);
    if (dcopy == NULL || bcopy == NULL) {
        rc = baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
        goto out;
    }
    const char *dir = dirname(dcopy), *base = basename(bcopy);
    if (asprintf(&tmp, "%s/.%s.tmp-XXXXXX", dir, base) < 0) {
        tmp = NULL;
        rc = baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
        goto out;
    }
    o.fd = mkostemp(tmp, O_CLOEXEC);
    if (o.fd < 0) {
        rc = baton__fail(err, errlen, BATON_EIO, "%s: %s", dir, strerror(errno));
        free(tmp);
        tmp = NULL;
        goto out;
    }
    rc = baton_pkg_pack(p, fd_write_all, &o, progress, pctx, result, err, errlen);
    if (rc < 0)
        goto out;
    if (fsync(o.fd) < 0 || fchmod(o.fd, 0644) < 0) {
        rc = baton__fail(err, errlen, BATON_EIO, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    if (overwrite) {
        if (rename(tmp, out_path) < 0) {
            rc = baton__fail(err, errlen, BATON_EIO, "%s: %s", out_path, strerror(errno));
            goto out;
        }
    } else {
        /* link() refuses to replace: no window where out_path is clobbered. */
        if (link(tmp, out_path) < 0) {
            rc = baton__fail(err, errlen, errno == EEXIST ? BATON_EEXIST : BATON_EIO, "%s: %s",
                             out_path, strerror(errno));
            goto out;
        }
        unlink(tmp);
    }
    free(tmp);
    tmp = NULL;
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    rc = 0;
out:
    if (o.fd >= 0)
        close(o.fd);
    if (tmp != NULL) {
        unlink(tmp);
        free(tmp);
    }
    free(dcopy);
    free(bcopy);
    return rc;
}
