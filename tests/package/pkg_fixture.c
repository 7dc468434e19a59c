/*
 * pkg_fixture.c - helpers of the package tests (see pkg_fixture.h). They
 * abort on any unexpected failure: a fixture that half-works must not let a
 * test pass.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <ftw.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "baton/sha256.h"
#include "pkg_fixture.h"

/* RFC 8493 section 2.1.1, for version 1.0 and UTF-8 tag files. */
static const char DECLARATION[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

#define FX_CHECK(c)                                                                                \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "%s:%d: fixture failure: %s\n", __FILE__, __LINE__, #c);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

void fx_keys_make(fx_keys *k)
{
    memset(k, 0, sizeof *k);
    FX_CHECK(baton_minisign_keygen(&k->sender_sk, &k->sender_pk, NULL, 0) == 0);
    FX_CHECK(baton_minisign_keygen(&k->other_sk, &k->other_pk, NULL, 0) == 0);
    FX_CHECK(baton_age_identity_generate(&k->firm_id, NULL, 0) == 0);
    baton_age_identity_recipient(k->firm_id, &k->firm_rcpt);
    FX_CHECK(baton_age_identity_generate(&k->other_id, NULL, 0) == 0);
    baton_age_identity_recipient(k->other_id, &k->other_rcpt);
}

void fx_keys_free(fx_keys *k)
{
    baton_minisign_seckey_free(k->sender_sk);
    baton_minisign_seckey_free(k->other_sk);
    baton_age_identity_free(k->firm_id);
    baton_age_identity_free(k->other_id);
}

baton_pkg_meta fx_meta(uint64_t seq)
{
    baton_pkg_meta m;
    memset(&m, 0, sizeof m);
    strcpy(m.case_id, "NW-2026-0001");
    strcpy(m.sender, "northwind");
    strcpy(m.recipient, "harbor-law");
    m.sequence = seq;
    m.created = (int64_t)time(NULL);
    m.expires = m.created + 86400;
    return m;
}

struct membuf {
    uint8_t *p;
    size_t len, cap;
};

static int mem_write(void *ctx, const uint8_t *data, size_t len)
{
    struct membuf *b = ctx;
    if (b->len + len > b->cap) {
        size_t ncap = b->cap ? b->cap : 4096;
        while (ncap < b->len + len)
            ncap *= 2;
        uint8_t *np = realloc(b->p, ncap);
        if (np == NULL)
            return -2;
        b->p = np;
        b->cap = ncap;
    }
    memcpy(b->p + b->len, data, len);
    b->len += len;
    return 0;
}

char *fx_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *s = NULL;
    FX_CHECK(asprintf(&s, "%s/baton-pkg-test-XXXXXX", base ? base : "/tmp") > 0);
    FX_CHECK(mkdtemp(s) != NULL);
    return s;
}

static int rm_cb(const char *p, const struct stat *st, int f, struct FTW *w)
{
    (void)st;
    (void)f;
    (void)w;
    remove(p);
    return 0;
}

void fx_rmtree(const char *path)
{
    nftw(path, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

int fx_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    }
    closedir(d);
    return n;
}

int fx_pack(const fx_keys *k, const baton_pkg_meta *m, const char *case_json,
            const char *const *doc_names, const char *const *doc_bodies, size_t n_docs,
            uint8_t **out, size_t *outlen)
{
    char *dir = fx_tmpdir();
    baton_pkg_document *docs = calloc(n_docs + 1, sizeof *docs);
    char **paths = calloc(n_docs + 1, sizeof *paths);
    FX_CHECK(docs != NULL && paths != NULL);
    for (size_t i = 0; i < n_docs; i++) {
        FX_CHECK(asprintf(&paths[i], "%s/doc%zu", dir, i) > 0);
        FILE *f = fopen(paths[i], "wb");
        FX_CHECK(f != NULL);
        fwrite(doc_bodies[i], 1, strlen(doc_bodies[i]), f);
        fclose(f);
        docs[i].path = paths[i];
        docs[i].name = doc_names[i];
    }
    baton_pkg_pack_params p;
    memset(&p, 0, sizeof p);
    p.sender_key = k->sender_sk;
    p.recipients = &k->firm_rcpt;
    p.n_recipients = 1;
    p.case_json = case_json;
    p.case_json_len = strlen(case_json);
    p.documents = docs;
    p.n_documents = n_docs;
    p.meta = *m;
    struct membuf b = {0};
    char err[256];
    int rc = baton_pkg_pack(&p, mem_write, &b, NULL, NULL, NULL, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "pack: %s\n", err);
    *out = b.p;
    *outlen = b.len;
    for (size_t i = 0; i < n_docs; i++)
        free(paths[i]);
    free(paths);
    free(docs);
    fx_rmtree(dir);
    free(dir);
    return rc;
}

struct memin {
    const uint8_t *p;
    size_t len, off;
};

static long mem_read(void *ctx, uint8_t *buf, size_t cap)
{
    struct memin *in = ctx;
    size_t n = in->len - in->off < cap ? in->len - in->off : cap;
    memcpy(buf, in->p + in->off, n);
    in->off += n;
    return (long)n;
}

int fx_open(const fx_keys *k, const uint8_t *pkg, size_t len, baton_ledger *ledger, const char *dir,
            int64_t now, baton_pkg_open_result *res, char *err, size_t errlen)
{
    baton_age_identity *ids[1] = {k->firm_id};
    baton_pkg_open_params p;
    memset(&p, 0, sizeof p);
    p.identities = ids;
    p.n_identities = 1;
    p.trusted = &k->sender_pk;
    p.n_trusted = 1;
    p.recipient = "harbor-law";
    p.ledger = ledger;
    p.record = ledger != NULL;
    p.now = now;
    p.extract_dir = dir;
    struct memin in = {pkg, len, 0};
    return baton_pkg_open(&p, mem_read, &in, NULL, NULL, res, err, errlen);
}

void fx_tar_add(fx_tar *t, const char *path, int type, const char *data, size_t len,
                const char *link)
{
    fx_entry *ne = realloc(t->e, (t->n + 1) * sizeof *ne);
    FX_CHECK(ne != NULL);
    t->e = ne;
    fx_entry *e = &t->e[t->n++];
    memset(e, 0, sizeof *e);
    e->path = strdup(path);
    e->type = type;
    if (data != NULL) {
        e->data = malloc(len + 1);
        FX_CHECK(e->data != NULL);
        memcpy(e->data, data, len);
        e->len = len;
    }
    if (link != NULL)
        e->link = strdup(link);
}

int fx_tar_remove(fx_tar *t, const char *path)
{
    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->e[i].path, path) == 0) {
            free(t->e[i].path);
            free(t->e[i].data);
            free(t->e[i].link);
            memmove(&t->e[i], &t->e[i + 1], (t->n - i - 1) * sizeof *t->e);
            t->n--;
            return 1;
        }
    }
    return 0;
}

void fx_tar_free(fx_tar *t)
{
    while (t->n > 0)
        fx_tar_remove(t, t->e[0].path);
    free(t->e);
    t->e = NULL;
}

static void line(char **buf, const void *data, size_t len, const char *path)
{
    uint8_t d[32];
    char hex[65];
    FX_CHECK(baton_sha256_buffer(data, len, d) == 0);
    baton_sha256_hex(d, hex);
    size_t old = *buf ? strlen(*buf) : 0;
    char *nb = realloc(*buf, old + 64 + 2 + strlen(path) + 2);
    FX_CHECK(nb != NULL);
    sprintf(nb + old, "%s  %s\n", hex, path);
    *buf = nb;
}

static int cmp_idx_paths(const void *a, const void *b, void *ctx)
{
    const char *const *p = ctx;
    return strcmp(p[*(const size_t *)a], p[*(const size_t *)b]);
}

static void bag(fx_tar *t, const baton_minisign_seckey *sk, const baton_pkg_meta *m,
                const char *case_json, const char *const *payload_paths,
                const char *const *payload_bodies, size_t n, const char *manifest_text,
                int payload_first, const char *index_text)
{
    char info[1024], date[21], tc[1100], *manifest = NULL, *tagm = NULL, *sig = NULL;
    size_t siglen;
    uint64_t total = strlen(case_json);
    const char **paths = calloc(n + 1, sizeof *paths);
    const char **bodies = calloc(n + 1, sizeof *bodies);
    size_t *idx = calloc(n + 1, sizeof *idx);
    FX_CHECK(paths && bodies && idx);
    paths[0] = "data/case.json";
    bodies[0] = case_json;
    for (size_t i = 0; i < n; i++) {
        paths[i + 1] = payload_paths[i];
        bodies[i + 1] = payload_bodies[i];
        total += strlen(payload_bodies[i]);
    }
    for (size_t i = 0; i <= n; i++)
        idx[i] = i;
    qsort_r(idx, n + 1, sizeof *idx, cmp_idx_paths, paths);
    baton_pkg_time_format(m->created, date);
    date[10] = '\0';
    snprintf(info, sizeof info,
             "Bag-Software-Agent: baton\nBagging-Date: %s\nExternal-Identifier: %s\n"
             "Payload-Oxum: %llu.%zu\nSource-Organization: %s\n",
             date, m->case_id, (unsigned long long)total, n + 1, m->sender);
    fx_tar_add(t, "bag/", FX_DIR, NULL, 0, NULL);
    fx_tar_add(t, "bag/bag-info.txt", FX_FILE, info, strlen(info), NULL);
    fx_tar_add(t, "bag/bagit.txt", FX_FILE, DECLARATION, strlen(DECLARATION), NULL);
    for (size_t j = 0; j <= n; j++) {
        size_t i = idx[j];
        if (payload_first) {
            char full[2048];
            snprintf(full, sizeof full, "bag/%s", paths[i]);
            fx_tar_add(t, full, FX_FILE, bodies[i], strlen(bodies[i]), NULL);
        }
        line(&manifest, bodies[i], strlen(bodies[i]), paths[i]);
    }
    if (manifest_text != NULL) {
        free(manifest);
        manifest = strdup(manifest_text);
    }
    fx_tar_add(t, "bag/manifest-sha256.txt", FX_FILE, manifest, strlen(manifest), NULL);
    line(&tagm, info, strlen(info), "bag-info.txt");
    line(&tagm, DECLARATION, strlen(DECLARATION), "bagit.txt");
    if (index_text != NULL) {
        fx_tar_add(t, "bag/documents.json", FX_FILE, index_text, strlen(index_text), NULL);
        line(&tagm, index_text, strlen(index_text), "documents.json");
    }
    line(&tagm, manifest, strlen(manifest), "manifest-sha256.txt");
    fx_tar_add(t, "bag/tagmanifest-sha256.txt", FX_FILE, tagm, strlen(tagm), NULL);
    FX_CHECK(baton_pkg_tc_format(m, tc, sizeof tc, NULL, 0) == 0);
    FX_CHECK(baton_minisign_sign_buffer(sk, tagm, strlen(tagm), NULL, tc, &sig, &siglen, NULL, 0) ==
             0);
    fx_tar_add(t, "bag/tagmanifest-sha256.txt.minisig", FX_FILE, sig, siglen, NULL);
    for (size_t j = 0; j <= n && !payload_first; j++) {
        size_t i = idx[j];
        char full[2048];
        snprintf(full, sizeof full, "bag/%s", paths[i]);
        fx_tar_add(t, full, FX_FILE, bodies[i], strlen(bodies[i]), NULL);
    }
    baton_minisign_text_free(sig);
    free(manifest);
    free(tagm);
    free(paths);
    free(bodies);
    free(idx);
}

void fx_bag_index(fx_tar *t, const baton_minisign_seckey *sk, const baton_pkg_meta *m,
                  const char *case_json, const char *const *payload_paths,
                  const char *const *payload_bodies, size_t n, const char *manifest_text,
                  const char *index_text)
{
    bag(t, sk, m, case_json, payload_paths, payload_bodies, n, manifest_text, 0, index_text);
}

void fx_bag_manifest(fx_tar *t, const baton_minisign_seckey *sk, const baton_pkg_meta *m,
                     const char *case_json, const char *const *payload_paths,
                     const char *const *payload_bodies, size_t n, const char *manifest_text)
{
    bag(t, sk, m, case_json, payload_paths, payload_bodies, n, manifest_text, 0, NULL);
}

void fx_bag(fx_tar *t, const baton_minisign_seckey *sk, const baton_pkg_meta *m,
            const char *case_json, const char *const *payload_paths,
            const char *const *payload_bodies, size_t n)
{
    bag(t, sk, m, case_json, payload_paths, payload_bodies, n, NULL, 0, NULL);
}

void fx_bag_payload_first(fx_tar *t, const baton_minisign_seckey *sk, const baton_pkg_meta *m,
                          const char *case_json, const char *const *payload_paths,
                          const char *const *payload_bodies, size_t n)
{
    bag(t, sk, m, case_json, payload_paths, payload_bodies, n, NULL, 1, NULL);
}

static la_ssize_t tar_mem_write(struct archive *a, void *ctx, const void *buf, size_t len)
{
    (void)a;
    return mem_write(ctx, buf, len) == 0 ? (la_ssize_t)len : -1;
}

void fx_seal(const fx_tar *t, const baton_age_recipient *rcpt, uint8_t **out, size_t *outlen)
{
    struct membuf tar = {0};
    /* Names are UTF-8 bytes, written as given (not normalized) whatever
     * the process locale is. */
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    FX_CHECK(utf8 != (locale_t)0);
    locale_t old = uselocale(utf8);
    struct archive *a = archive_write_new();
    FX_CHECK(a != NULL);
    FX_CHECK(archive_write_set_format_pax_restricted(a) == ARCHIVE_OK);
    FX_CHECK(archive_write_open2(a, &tar, NULL, tar_mem_write, NULL, NULL) == ARCHIVE_OK);
    for (size_t i = 0; i < t->n; i++) {
        const fx_entry *e = &t->e[i];
        struct archive_entry *ae = archive_entry_new();
        archive_entry_set_pathname(ae, e->path);
        archive_entry_set_mtime(ae, 1700000000, 0);
        switch (e->type) {
        case FX_FILE:
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_perm(ae, 0644);
            archive_entry_set_size(ae, (la_int64_t)e->len);
            break;
        case FX_DIR:
            archive_entry_set_filetype(ae, AE_IFDIR);
            archive_entry_set_perm(ae, 0755);
            break;
        case FX_SYMLINK:
            archive_entry_set_filetype(ae, AE_IFLNK);
            archive_entry_set_perm(ae, 0777);
            archive_entry_set_symlink(ae, e->link);
            break;
        case FX_HARDLINK:
            archive_entry_set_filetype(ae, AE_IFREG);
            archive_entry_set_perm(ae, 0644);
            archive_entry_set_hardlink(ae, e->link);
            break;
        case FX_CHARDEV:
            archive_entry_set_filetype(ae, AE_IFCHR);
            archive_entry_set_perm(ae, 0644);
            archive_entry_set_rdevmajor(ae, 1);
            archive_entry_set_rdevminor(ae, 3);
            break;
        case FX_FIFO:
            archive_entry_set_filetype(ae, AE_IFIFO);
            archive_entry_set_perm(ae, 0644);
            break;
        }
        FX_CHECK(archive_write_header(a, ae) == ARCHIVE_OK);
        if (e->type == FX_FILE && e->len > 0)
            FX_CHECK(archive_write_data(a, e->data, e->len) == (la_ssize_t)e->len);
        archive_entry_free(ae);
    }
    FX_CHECK(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
    uselocale(old);
    freelocale(utf8);
    FX_CHECK(baton_age_encrypt_buffer(rcpt, 1, tar.p, tar.len, out, outlen, NULL, 0) == 0);
    free(tar.p);
}
