/*
 * package_open.c - verifies a handoff package and, optionally, extracts it
 * atomically (see baton/package.h).
 *
 * Pipeline, one pass: ciphertext -> age decryptor (each 64 KiB chunk is
 * authenticated before it is released) -> libarchive tar reader (tar only,
 * no filters) -> per entry: name and type checks, then the bytes are hashed
 * while they are written into a temporary sibling directory (or discarded
 * when only verifying). Tag files are kept in memory (size-limited).
 *
 * Nothing is expanded on trust: as soon as the five signed tag files are
 * in, the signature, trusted comment, manifests, bag-info, recipient and
 * expiry are checked (package_signed.c). From then on a payload entry is
 * admitted only when the signed manifest lists it and the signed
 * Payload-Oxum leaves room for its declared size, and its digest is
 * compared as soon as its last byte is in. Payload that comes before the
 * signed part (tar orders other than Baton's) is admitted on credit up to
 * BATON_PKG_UNSIGNED_MAX bytes and BATON_PKG_UNSIGNED_ENTRIES entries.
 * Sparse entries, holes and data beyond an entry's declared size are
 * refused, so what is written is bounded by what was sent. At the end: the
 * age stream must be complete, every listed file present, and only then is
 * the temporary directory renamed into place.
 *
 * Owns the opening pipeline and the extraction directory; does not own the
 * crypto primitives, the manifest and name rules (bagit.c), the checks of
 * the signed part (package_signed.c) or the ledger's storage (ledger.c).
 * Entries are written with openat(O_EXCL | O_NOFOLLOW) below a directory
 * this code created itself, after the name checks, so nothing in the
 * archive can make it write elsewhere.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <sodium.h>

#include "baton/bagit.h"
#include "baton/error.h"
#include "baton/escape.h"
#include "baton/ledger.h"
#include "baton/names.h"
#include "baton/package.h"
#include "baton/sha256.h"
#include "package_hasher.h"
#include "package_open.h"
#include "package_tmp.h"
#include "tar_name.h"
#include "visibility.h"

#define ENTRY_MAX    100003 /* files and directories per package */
#define MANIFEST_MAX (32u << 20)
#define TAGFILE_MAX  (64u << 10)
#define HASH_BUF     (256u << 10) /* batch handed to the hasher thread */
#define HASHER_MIN   (1u << 20)   /* entry size from which the hasher thread runs */

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

const char *const pkg_tag_names[T_COUNT] = {"bagit.txt",
                                            "bag-info.txt",
                                            "manifest-sha256.txt",
                                            "tagmanifest-sha256.txt",
                                            "tagmanifest-sha256.txt.minisig",
                                            BATON_DOCINDEX_FILE};

int pkg_verdict(struct opener *o, baton_pkg_verdict v, int code, const char *fmt, ...)
{
    o->res->verdict = v;
    if (o->err != NULL && o->errlen > 0) {
        char raw[1024];
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        if (n < 0)
            raw[0] = '\0';
        baton_escape(raw, strlen(raw), o->err, o->errlen);
    }
    return code;
}

static int canceled(const struct opener *o)
{
    return o->p->cancel != NULL && *o->p->cancel != 0;
}

/* ---- set of names -------------------------------------------------------- */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static struct node **slot(struct opener *o, const char *fold)
{
    size_t mask = o->cap - 1, i = (size_t)fnv1a(fold) & mask;
    while (o->table[i] != NULL && strcmp(o->table[i]->fold, fold) != 0)
        i = (i + 1) & mask;
    return &o->table[i];
}

static int grow(struct opener *o)
{
    size_t ncap = o->cap != 0 ? o->cap * 2 : 256;
    struct node **old = o->table;
    size_t ocap = o->cap;
    o->table = calloc(ncap, sizeof *o->table);
    if (o->table == NULL) {
        o->table = old;
        return BATON_ENOMEM;
    }
    o->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (old[i] != NULL)
            *slot(o, old[i]->fold) = old[i];
    }
    free(old);
    return 0;
}

struct node *pkg_lookup(struct opener *o, const char *path, size_t len)
{
    char *key;
    if (o->cap == 0 || baton_name_key(path, len, &key) < 0)
        return NULL;
    struct node *n = *slot(o, key);
    free(key);
    return n;
}

/* Finds or adds the node for path[0..len). *created tells which. */
static int intern(struct opener *o, const char *path, size_t len, int type, struct node **out,
                  int *created)
{
    char *key;
    if ((o->count + 1) * 2 > o->cap && grow(o) < 0)
        return BATON_ENOMEM;
    if (baton_name_key(path, len, &key) < 0)
        return BATON_ENOMEM;
    struct node **s = slot(o, key);
    *created = 0;
    if (*s == NULL) {
        struct node *n = NULL;
        if (o->count >= ENTRY_MAX || (n = calloc(1, sizeof *n)) == NULL ||
            (n->path = strndup(path, len)) == NULL) {
            int rc = o->count >= ENTRY_MAX ? BATON_ELIMIT : BATON_ENOMEM;
            free(n);
            free(key);
            return rc;
        }
        n->fold = key;
        n->type = type;
        *s = n;
        o->count++;
        *created = 1;
    } else {
        free(key);
    }
    *out = *s;
    return 0;
}

/* ---- decryption bridge ----------------------------------------------------- */

static int plain_write(void *ctx, const uint8_t *data, size_t len)
{
    struct opener *o = ctx;
    if (len == 0)
        return 0;
    if (o->draining) {
        for (size_t i = 0; i < len; i++)
            o->trailing |= data[i];
        return 0;
    }
    if (o->plain_len + len > o->plain_cap) {
        size_t ncap = o->plain_len + len;
        uint8_t *nb = realloc(o->plain, ncap);
        if (nb == NULL)
            return BATON_ENOMEM;
        o->plain = nb;
        o->plain_cap = ncap;
    }
    memcpy(o->plain + o->plain_len, data, len);
    o->plain_len += len;
    return 0;
}

static la_ssize_t tar_read(struct archive *a, void *ctx, const void **buf)
{
    struct opener *o = ctx;
    (void)a;
    /* The buffer libarchive is done with stays as the previous one: the
     * raw header blocks of the next entry may begin in it. */
    uint8_t *spare = o->prev;
    size_t spare_cap = o->prev_cap;
    o->prev = o->plain;
    o->prev_cap = o->plain_cap;
    o->prev_len = o->plain_len;
    o->plain = spare;
    o->plain_cap = spare_cap;
    o->plain_len = 0;
    while (o->plain_len == 0 && !o->dec_done) {
        if (canceled(o)) {
            o->dec_rc = BATON_ECANCELED;
            snprintf(o->dec_err, sizeof o->dec_err, "interrupted");
            return -1;
        }
        int rc = baton_age_decrypt_update(o->dec, o->dec_err, sizeof o->dec_err);
        if (rc < 0) {
            o->dec_rc = rc;
            return -1;
        }
        if (rc == 0)
            o->dec_done = 1;
    }
    o->fed += o->plain_len;
    *buf = o->plain;
    return (la_ssize_t)o->plain_len;
}

/*
 * After the tar's end marker: the bytes libarchive was handed but did not
 * consume (the rest of the last buffer) must be zero padding, like what
 * the decryptor delivers afterwards. Returns 0 when they are.
 */
static int check_tail(struct opener *o)
{
    la_int64_t consumed = archive_filter_bytes(o->a, 0);
    uint64_t start = o->fed - o->plain_len; /* offset of the buffer still held */
    if (consumed < 0 || (uint64_t)consumed > o->fed || (uint64_t)consumed < start)
        return -1;
    for (uint64_t i = (uint64_t)consumed - start; i < o->plain_len; i++)
        o->trailing |= o->plain[i];
    return 0;
}

/* Classifies a failure of the age stream. */
static int age_failure(struct opener *o, int rc, const char *detail)
{
    if (rc == BATON_ECANCELED)
        return pkg_verdict(o, BATON_PKG_ERROR, rc, "interrupted");
    if (rc == BATON_ECRYPTO || rc == BATON_EINVAL)
        return pkg_verdict(o, BATON_PKG_TAMPERED, BATON_ECRYPTO,
                           "tampered: encrypted payload does not authenticate (%s)", detail);
    if (rc == BATON_ENOMEM)
        return pkg_verdict(o, BATON_PKG_ERROR, rc, "out of memory");
    return pkg_verdict(o, BATON_PKG_ERROR, rc, "reading package: %s", detail);
}

static int archive_failure(struct opener *o, const char *what)
{
    if (o->dec_rc != 0)
        return age_failure(o, o->dec_rc, o->dec_err);
    return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL, "malformed: %s: %s", what,
                       archive_error_string(o->a) != NULL ? archive_error_string(o->a)
                                                          : "bad tar data");
}

/*
 * The name the entry's raw tar headers hold must be byte-equal to the name
 * libarchive reports (which composes pax names to NFC): what stock tar
 * creates is what the manifest names. The header blocks are read back
 * from the decrypted buffers still held (this one and the previous one).
 */
static int check_raw_name(struct opener *o, const char *path)
{
    la_int64_t hpos = archive_read_header_position(o->a), dpos = archive_filter_bytes(o->a, 0);
    uint64_t cur = o->fed - o->plain_len, prev = cur - o->prev_len;
    if (hpos < 0 || dpos < hpos || (uint64_t)(dpos - hpos) > PKG_TAR_HEADERS_MAX ||
        (uint64_t)hpos < prev || (uint64_t)dpos > o->fed)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                           "malformed: the tar headers of an entry are larger than %u bytes",
                           PKG_TAR_HEADERS_MAX);
    size_t span = (size_t)(dpos - hpos), w = 0;
    uint8_t *raw = malloc(span != 0 ? span : 1);
    char name[BATON_BAGIT_PATH_MAX + 8];
    size_t nl;
    if (raw == NULL)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_ENOMEM, "out of memory");
    for (uint64_t at = (uint64_t)hpos; at < (uint64_t)dpos; at++)
        raw[w++] = at < cur ? o->prev[at - prev] : o->plain[at - cur];
    int r = pkg_tar_header_name(raw, span, name, sizeof name, &nl);
    free(raw);
    if (r < 0)
        return pkg_verdict(
            o, BATON_PKG_MALFORMED, BATON_EINVAL,
            "malformed: a tar header is not one well-formed entry header, or its name "
            "is longer than %d bytes",
            BATON_BAGIT_PATH_MAX + 4);
    if (nl != strlen(path) || memcmp(name, path, nl) != 0)
        return pkg_verdict(
            o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED,
            "unsafe path: a tar header holds a name in another byte form than it reads "
            "as (decomposed accents, invalid UTF-8); names must be byte-exact NFC");
    return 0;
}

/* ---- extraction helpers ----------------------------------------------------- */

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* mkdir for "bag/<rel>" below the temporary root; existing is fine (it can
 * only be one of ours, the name set forbids file/directory clashes). */
static int make_dir(struct opener *o, const char *rel)
{
    char full[BATON_BAGIT_PATH_MAX + 8];
    snprintf(full, sizeof full, "bag/%s", rel);
    if (mkdirat(o->rootfd, full, 0700) < 0 && errno != EEXIST)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_EIO, "creating %s: %s", full, strerror(errno));
    return 0;
}

static int open_out(struct opener *o, const char *rel, int *fd)
{
    char full[BATON_BAGIT_PATH_MAX + 8];
    snprintf(full, sizeof full, "bag/%s", rel);
    *fd = openat(o->rootfd, full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (*fd < 0)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_EIO, "creating %s: %s", full, strerror(errno));
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void remove_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- entries ------------------------------------------------------------------ */

/* Adds the ancestors of rel as (implicit) directories and marks them as
 * holding a file when is_file. Refuses a clash with a file. */
static int add_ancestors(struct opener *o, const char *rel, int is_file)
{
    size_t len = strlen(rel);
    for (size_t i = 0; i < len; i++) {
        if (rel[i] != '/')
            continue;
        struct node *n;
        int created, rc = intern(o, rel, i, N_DIR, &n, &created);
        if (rc < 0)
            return pkg_verdict(o, rc == BATON_ELIMIT ? BATON_PKG_MALFORMED : BATON_PKG_ERROR, rc,
                               "too many entries");
        if (n->type != N_DIR || strncmp(n->path, rel, i) != 0 || n->path[i] != '\0')
            return pkg_verdict(o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED,
                               "unsafe path: bag/%s clashes with another entry", rel);
        if (is_file)
            n->has_file = 1;
        if (created && o->tmpdir != NULL) {
            int r = make_dir(o, n->path);
            if (r < 0)
                return r;
        }
    }
    return 0;
}

/* Posts the filled batch to the hasher and switches to the other buffer
 * (which the wait inside made free). */
static int hash_flush(struct opener *o)
{
    int rc = pkg_hasher_wait(&o->hz);
    if (rc < 0)
        return rc;
    if (o->hfill > 0) {
        pkg_hasher_post(&o->hz, o->hbuf[o->hcur], o->hfill);
        o->hcur ^= 1;
        o->hfill = 0;
    }
    return 0;
}

/* Uses the hasher thread for this entry when it is large (started on the
 * first such entry). */
static void hash_begin(struct opener *o, uint64_t declared)
{
    o->hz_entry = 0;
    if (declared < HASHER_MIN)
        return;
    if (!o->hz_on) {
        o->hbuf[0] = malloc(HASH_BUF);
        o->hbuf[1] = malloc(HASH_BUF);
        if (o->hbuf[0] == NULL || o->hbuf[1] == NULL || pkg_hasher_start(&o->hz, o->h) < 0)
            return;
        o->hz_on = 1;
    }
    o->hz_entry = 1;
    o->hfill = 0;
}

static int hash_end(struct opener *o, uint8_t digest[32])
{
    if (o->hz_entry) {
        o->hz_entry = 0;
        if (hash_flush(o) < 0 || pkg_hasher_wait(&o->hz) < 0)
            return BATON_EIO;
    }
    return baton_sha256_final(o->h, digest);
}

/* Hands n bytes of an entry to its sinks: the tag buffer or the digest,
 * and the extraction file. */
static int feed(struct opener *o, int fd, char *keep, size_t keep_max, size_t *kept,
                const void *data, size_t n)
{
    if (keep != NULL) {
        if (*kept + n > keep_max)
            return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_ELIMIT,
                               "malformed: tag file larger than declared");
        memcpy(keep + *kept, data, n);
        *kept += n;
    } else if (o->hz_entry) {
        const uint8_t *d = data;
        while (n > 0) {
            size_t k = HASH_BUF - o->hfill < n ? HASH_BUF - o->hfill : n;
            memcpy(o->hbuf[o->hcur] + o->hfill, d, k);
            o->hfill += k;
            d += k;
            n -= k;
            if (o->hfill == HASH_BUF && hash_flush(o) < 0)
                return pkg_verdict(o, BATON_PKG_ERROR, BATON_EIO, "hashing failed");
        }
        n = (size_t)(d - (const uint8_t *)data);
    } else {
        baton_sha256_update(o->h, data, n);
    }
    if (fd >= 0 && write_all(fd, data, n) < 0)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_EIO, "writing: %s", strerror(errno));
    return 0;
}

/*
 * Streams an entry's data without copying it (libarchive hands out blocks
 * of the decrypted buffer). The blocks must be contiguous (a hole means a
 * sparse entry) and end exactly at the declared size: the first byte
 * beyond it stops the open.
 */
static int read_entry_data(struct opener *o, const char *rel, uint64_t declared, int fd, char *keep,
                           size_t *kept)
{
    uint64_t pos = 0;
    int rc;
    for (;;) {
        const void *blk;
        size_t n;
        la_int64_t off;
        if (canceled(o))
            return pkg_verdict(o, BATON_PKG_ERROR, BATON_ECANCELED, "interrupted");
        int r = archive_read_data_block(o->a, &blk, &n, &off);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK)
            return archive_failure(o, "reading entry data");
        if (off < 0 || (uint64_t)off != pos)
            return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                               "malformed: bag/%s is a sparse entry (data resumes at byte %lld "
                               "after byte %llu); sparse entries are refused",
                               rel, (long long)off, (unsigned long long)pos);
        if (n > declared - pos)
            return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                               "malformed: bag/%s has more data than its declared %llu bytes", rel,
                               (unsigned long long)declared);
        if (n > 0 && (rc = feed(o, fd, keep, declared, kept, blk, n)) < 0)
            return rc;
        pos += n;
    }
    if (pos != declared)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                           "malformed: bag/%s has %llu bytes of data, its header declares %llu",
                           rel, (unsigned long long)pos, (unsigned long long)declared);
    return 0;
}

/* 1 when the signed manifest lists a file below folder rel. */
static int folder_in_manifest(const struct opener *o, const char *rel)
{
    size_t len = strlen(rel);
    size_t lo = 0, hi = o->man.n;
    /* First entry not below rel + "/" in byte order, then a prefix test. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(o->man.entries[mid].path, rel, len);
        if (c < 0 || (c == 0 && (unsigned char)o->man.entries[mid].path[len] < '/'))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < o->man.n && strncmp(o->man.entries[lo].path, rel, len) == 0 &&
           o->man.entries[lo].path[len] == '/';
}

/*
 * Admits a payload entry of declared bytes before its data is read:
 * before the signature on credit, after it only when the signed manifest
 * lists it and Payload-Oxum leaves room.
 */
static int admit_payload(struct opener *o, const char *rel, uint64_t declared)
{
    if (!o->signed_ok) {
        if (declared > BATON_PKG_UNSIGNED_MAX - o->unsigned_bytes)
            return pkg_verdict(
                o, BATON_PKG_MALFORMED, BATON_ELIMIT,
                "malformed: bag/%s (%llu bytes) comes before the signed tag files and goes "
                "beyond the %u bytes of payload admitted before the signature is verified; "
                "put bagit.txt, bag-info.txt, the manifests and the signature first in the tar",
                rel, (unsigned long long)declared, (unsigned)BATON_PKG_UNSIGNED_MAX);
        o->unsigned_bytes += declared;
        return 0;
    }
    if (baton_bagit_manifest_find(&o->man, rel) < 0)
        return pkg_verdict(o, BATON_PKG_EXTRA_FILE, BATON_EDENIED,
                           "extra file: bag/%s is not in the manifest", rel);
    if (o->payload_files >= o->oxum_streams || declared > o->oxum_octets - o->payload_bytes)
        return pkg_verdict(o, BATON_PKG_TAMPERED, BATON_ELIMIT,
                           "tampered: bag/%s declares %llu bytes, more than the %llu bytes the "
                           "signed Payload-Oxum leaves",
                           rel, (unsigned long long)declared,
                           (unsigned long long)(o->oxum_octets - o->payload_bytes));
    return 0;
}

/* The signed part is complete when the required tag files are in, and the
 * document index too when the tagmanifest lists it (its strict check comes
 * with the signature's, package_signed.c). */
static int signed_part_in(const struct opener *o)
{
    if (o->tags_done - o->tag_seen[T_INDEX] != T_INDEX)
        return 0;
    return o->tag_seen[T_INDEX] ||
           strstr(o->tags[T_TAGMANIFEST], "  " BATON_DOCINDEX_FILE "\n") == NULL;
}

static int read_tag(struct opener *o, int tag, const char *rel, uint64_t declared, int fd)
{
    size_t max = tag == T_MANIFEST || tag == T_INDEX ? MANIFEST_MAX : TAGFILE_MAX;
    if (tag == T_INDEX && o->signed_ok)
        return pkg_verdict(o, BATON_PKG_EXTRA_FILE, BATON_EDENIED,
                           "extra file: bag/%s is not in the signed tagmanifest", rel);
    if (declared > max)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_ELIMIT,
                           "malformed: bag/%s larger than %zu bytes", rel, max);
    o->tags[tag] = malloc((size_t)declared + 1);
    if (o->tags[tag] == NULL)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_ENOMEM, "out of memory");
    o->tag_seen[tag] = 1;
    int rc = read_entry_data(o, rel, declared, fd, o->tags[tag], &o->tag_len[tag]);
    if (rc < 0)
        return rc;
    o->tags[tag][o->tag_len[tag]] = '\0';
    o->tags_done++;
    if (signed_part_in(o))
        return pkg_verify_signed(o);
    return 0;
}

static int read_payload(struct opener *o, struct node *n, uint64_t declared, int fd)
{
    int rc = admit_payload(o, n->path, declared);
    if (rc < 0)
        return rc;
    if (strcmp(n->path, "data/case.json") == 0) {
        /* Kept whole: it is bound to the signed case id (package_case.c). */
        if (declared > BATON_PKG_CASE_MAX)
            return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_ELIMIT,
                               "malformed: data/case.json is larger than %u bytes",
                               (unsigned)BATON_PKG_CASE_MAX);
        o->case_json = malloc((size_t)declared + 1);
        if (o->case_json == NULL)
            return pkg_verdict(o, BATON_PKG_ERROR, BATON_ENOMEM, "out of memory");
        if ((rc = read_entry_data(o, n->path, declared, fd, o->case_json, &o->case_len)) < 0)
            return rc;
        o->case_json[o->case_len] = '\0';
        baton_sha256_buffer(o->case_json, o->case_len, n->digest);
    } else {
        baton_sha256_reset(o->h);
        hash_begin(o, declared);
        if ((rc = read_entry_data(o, n->path, declared, fd, NULL, NULL)) < 0)
            return rc;
        if (hash_end(o, n->digest) < 0)
            return pkg_verdict(o, BATON_PKG_ERROR, BATON_EIO, "hashing failed");
    }
    n->size = declared;
    return o->signed_ok ? pkg_check_payload(o, n) : 0;
}

static int do_entry(struct opener *o, struct archive_entry *e)
{
    const char *path = archive_entry_pathname_utf8(e);
    if (path == NULL || path[0] == '\0')
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                           "malformed: tar entry without a UTF-8 name");
    /* Before the name check: a sparse entry's stored name is not its name. */
    if (archive_entry_sparse_count(e) > 0)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                           "malformed: %s is a sparse entry; sparse entries are refused", path);
    int raw_rc = check_raw_name(o, path);
    if (raw_rc < 0)
        return raw_rc;
    if (!o->signed_ok && ++o->unsigned_entries > BATON_PKG_UNSIGNED_ENTRIES)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_ELIMIT,
                           "malformed: more than %d tar entries before the signed tag files",
                           BATON_PKG_UNSIGNED_ENTRIES);
    if (archive_entry_hardlink(e) != NULL)
        return pkg_verdict(o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED, "unsafe path: hard link %s",
                           path);
    mode_t ft = archive_entry_filetype(e);
    if (ft == AE_IFLNK || archive_entry_symlink(e) != NULL)
        return pkg_verdict(o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED, "unsafe path: symbolic link %s",
                           path);
    if (ft != AE_IFREG && ft != AE_IFDIR)
        return pkg_verdict(o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED,
                           "unsafe path: %s is a device, FIFO or socket", path);
    la_int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : 0;
    if (size < 0)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL, "malformed: %s has no size", path);
    uint64_t declared = (uint64_t)size;
    int dir = ft == AE_IFDIR;
    size_t len = strlen(path);
    if (path[0] == '/')
        return pkg_verdict(o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED, "unsafe path: absolute path %s",
                           path);
    for (size_t i = 0; i < len; i++) {
        if ((i == 0 || path[i - 1] == '/') && path[i] == '.' && path[i + 1] == '.' &&
            (path[i + 2] == '/' || path[i + 2] == '\0'))
            return pkg_verdict(o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED, "unsafe path: '..' in %s",
                               path);
    }
    if (dir && len > 1 && path[len - 1] == '/')
        len--;
    if (dir && declared != 0)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                           "malformed: folder %.*s declares data", (int)len, path);
    if (len == 3 && memcmp(path, "bag", 3) == 0) {
        if (!dir)
            return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                               "malformed: bag is not a folder");
        if (o->root_seen)
            return pkg_verdict(o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED,
                               "unsafe path: duplicate entry bag/");
        o->root_seen = 1;
        return 0;
    }
    if (len < 5 || memcmp(path, "bag/", 4) != 0)
        return pkg_verdict(o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED,
                           "unsafe path: %.*s is outside bag/", (int)len, path);
    char rel[BATON_BAGIT_PATH_MAX + 1], perr[160];
    size_t rlen = len - 4;
    if (rlen > BATON_BAGIT_PATH_MAX)
        return pkg_verdict(o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED, "unsafe path: name too long");
    memcpy(rel, path + 4, rlen);
    rel[rlen] = '\0';
    if (baton_bagit_path_check(rel, rlen, perr, sizeof perr) < 0)
        return pkg_verdict(o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED, "unsafe path: bag/%s: %s", rel,
                           perr);
    int top = strchr(rel, '/') == NULL;
    int in_data = strncmp(rel, "data/", 5) == 0;
    int tag = -1;
    if (top && !dir) {
        for (int t = 0; t < T_COUNT; t++) {
            if (strcmp(rel, pkg_tag_names[t]) == 0)
                tag = t;
        }
    }
    /* Refusals that need no data come before anything is created. */
    if (dir && !(in_data || strcmp(rel, "data") == 0))
        return pkg_verdict(o, BATON_PKG_EXTRA_FILE, BATON_EDENIED,
                           "extra file: unexpected folder bag/%s", rel);
    if (dir && o->signed_ok && strcmp(rel, "data") != 0 && !folder_in_manifest(o, rel))
        return pkg_verdict(o, BATON_PKG_EXTRA_FILE, BATON_EDENIED,
                           "extra file: folder bag/%s holds nothing the manifest lists", rel);
    if (!dir && tag < 0 && !in_data)
        return pkg_verdict(o, BATON_PKG_EXTRA_FILE, BATON_EDENIED,
                           "extra file: bag/%s is not part of the package layout", rel);
    int rc = add_ancestors(o, rel, !dir);
    if (rc < 0)
        return rc;
    struct node *n;
    int created;
    rc = intern(o, rel, rlen, dir ? N_DIR : N_FILE, &n, &created);
    if (rc < 0)
        return pkg_verdict(o, rc == BATON_ELIMIT ? BATON_PKG_MALFORMED : BATON_PKG_ERROR, rc,
                           "too many entries");
    if (!created && (dir ? (n->type != N_DIR || n->explicit_entry) : 1))
        return pkg_verdict(o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED,
                           "unsafe path: duplicate entry bag/%s (names that differ only in "
                           "letter case or Unicode compatibility forms count as the same)",
                           rel);
    if (!created && strcmp(n->path, rel) != 0)
        return pkg_verdict(o, BATON_PKG_UNSAFE_PATH, BATON_EDENIED,
                           "unsafe path: bag/%s and bag/%s differ only in letter case or Unicode "
                           "compatibility forms",
                           n->path, rel);
    n->explicit_entry = 1;
    if (dir) {
        if (created && o->tmpdir != NULL)
            return make_dir(o, rel);
        return 0;
    }
    int fd = -1;
    if (o->tmpdir != NULL && (rc = open_out(o, rel, &fd)) < 0)
        return rc;
    if (tag >= 0)
        rc = read_tag(o, tag, rel, declared, fd);
    else
        rc = read_payload(o, n, declared, fd);
    if (rc == 0 && fd >= 0 && fsync(fd) < 0)
        rc = pkg_verdict(o, BATON_PKG_ERROR, BATON_EIO, "fsync bag/%s: %s", rel, strerror(errno));
    if (fd >= 0)
        close(fd);
    return rc;
}

/* ---- finishing -------------------------------------------------------------- */

static int fsync_dirs(struct opener *o)
{
    char full[BATON_BAGIT_PATH_MAX + 8];
    for (size_t i = 0; i <= o->cap; i++) {
        int fd;
        if (i == o->cap) {
            fd = openat(o->rootfd, "bag", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        } else {
            struct node *n = o->table[i];
            if (n == NULL || n->type != N_DIR)
                continue;
            snprintf(full, sizeof full, "bag/%s", n->path);
            fd = openat(o->rootfd, full, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0 || fsync(fd) < 0) {
            if (fd >= 0)
                close(fd);
            return pkg_verdict(o, BATON_PKG_ERROR, BATON_EIO, "fsync: %s", strerror(errno));
        }
        close(fd);
    }
    if (fsync(o->rootfd) < 0)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_EIO, "fsync: %s", strerror(errno));
    return 0;
}

static void fsync_parent(const char *path)
{
    char *c = strdup(path);
    if (c == NULL)
        return;
    int fd = open(dirname(c), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(c);
}

/* 1 when path does not exist or is an empty directory. */
static int target_free(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return errno == ENOENT;
    struct dirent *de;
    int empty = 1;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            empty = 0;
    }
    closedir(d);
    return empty;
}

/* Clears stale leftovers of interrupted opens next to the target, then
 * makes this open's temporary folder there. */
static int make_tmpdir(struct opener *o)
{
    const char *target = o->p->extract_dir;
    char e[300], *dc = strdup(target);
    if (dc == NULL)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_ENOMEM, "out of memory");
    /* Best effort: a leftover that cannot be removed does not stop this open. */
    baton_pkg_clean_stale(dirname(dc), NULL, NULL, 0);
    free(dc);
    if (pkg_tmpdir_create(target, &o->tmpdir, &o->rootfd, e, sizeof e) < 0)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_EIO, "%s", e);
    if (mkdirat(o->rootfd, "bag", 0700) < 0)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_EIO, "%s: %s", o->tmpdir, strerror(errno));
    return 0;
}

/* Everything verified: rename into place and record, or neither. */
static int commit(struct opener *o)
{
    const baton_pkg_open_params *p = o->p;
    char e[256];
    int rc, in_tx = 0, renamed = 0;
    if (p->ledger != NULL) {
        if (baton_ledger_begin(p->ledger, e, sizeof e) < 0)
            return pkg_verdict(o, BATON_PKG_ERROR, BATON_EIO, "%s", e);
        in_tx = 1;
        rc = baton_ledger_seen(p->ledger, o->res->sender.pk, o->res->meta.sequence, e, sizeof e);
        if (rc < 0) {
            rc = pkg_verdict(o, BATON_PKG_ERROR, rc, "%s", e);
            goto out;
        }
        if (rc == 1) {
            rc = pkg_verdict(o, BATON_PKG_REPLAYED, BATON_EEXIST,
                             "replayed: sequence %llu from this sender was already accepted",
                             (unsigned long long)o->res->meta.sequence);
            goto out;
        }
    }
    if (o->tmpdir != NULL) {
        if ((rc = fsync_dirs(o)) < 0)
            goto out;
        if (rename(o->tmpdir, p->extract_dir) < 0) {
            rc =
                pkg_verdict(o, BATON_PKG_ERROR,
                            errno == ENOTEMPTY || errno == EEXIST ? BATON_EEXIST : BATON_EIO,
                            "cannot move the package into %s: %s", p->extract_dir, strerror(errno));
            goto out;
        }
        renamed = 1;
        fsync_parent(p->extract_dir);
    }
    if (p->ledger != NULL && p->record) {
        rc = baton_ledger_record(p->ledger, o->res->sender.pk, o->res->meta.sequence,
                                 o->res->meta.case_id, o->res->tagmanifest_sha256, p->now, e,
                                 sizeof e);
        if (rc == 0)
            rc = baton_ledger_commit(p->ledger, e, sizeof e);
        if (rc < 0) {
            rc = pkg_verdict(o, rc == BATON_EEXIST ? BATON_PKG_REPLAYED : BATON_PKG_ERROR, rc, "%s",
                             e);
            goto out;
        }
        in_tx = 0;
    }
    rc = 0;
out:
    if (in_tx)
        baton_ledger_rollback(p->ledger);
    if (rc < 0 && renamed) {
        /* Undo: the temporary name is still free (mkdtemp made it ours). */
        if (rename(p->extract_dir, o->tmpdir) == 0)
            mkdir(p->extract_dir, 0700);
    } else if (rc == 0 && renamed) {
        free(o->tmpdir);
        o->tmpdir = NULL;
    }
    return rc;
}

static int run(struct opener *o)
{
    const baton_pkg_open_params *p = o->p;
    int rc;
    char e[256];

    if (p->recipient == NULL || p->identities == NULL || p->n_identities == 0)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_EINVAL,
                           "an identity and the recipient name are needed");
    if (p->extract_dir != NULL) {
        if (!target_free(p->extract_dir))
            return pkg_verdict(o, BATON_PKG_ERROR, BATON_EEXIST,
                               "%s exists and is not an empty folder", p->extract_dir);
        if ((rc = make_tmpdir(o)) < 0)
            return rc;
    }
    if (baton_sha256_new(&o->h) < 0)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_ENOMEM, "out of memory");

    rc = baton_age_decrypt_init(&o->dec, p->identities, p->n_identities, o->read, o->rctx,
                                plain_write, o, e, sizeof e);
    if (rc == BATON_ENOENT)
        return pkg_verdict(o, BATON_PKG_NOT_FOR_ME, BATON_EDENIED,
                           "not for me: none of the given identities can decrypt this package");
    if (rc == BATON_EINVAL)
        return pkg_verdict(o, BATON_PKG_MALFORMED, rc, "malformed: not an age file: %s", e);
    if (rc == BATON_ECRYPTO)
        return pkg_verdict(o, BATON_PKG_TAMPERED, rc, "tampered: age header MAC: %s", e);
    if (rc < 0)
        return pkg_verdict(o, BATON_PKG_ERROR, rc, "reading package: %s", e);

    o->a = archive_read_new();
    if (o->a == NULL)
        return pkg_verdict(o, BATON_PKG_ERROR, BATON_ENOMEM, "out of memory");
    if (archive_read_support_format_tar(o->a) != ARCHIVE_OK ||
        archive_read_open2(o->a, o, NULL, tar_read, NULL, NULL) != ARCHIVE_OK)
        return archive_failure(o, "tar");
    for (;;) {
        struct archive_entry *ent;
        int r = archive_read_next_header(o->a, &ent);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK)
            return archive_failure(o, "tar header");
        if ((rc = do_entry(o, ent)) < 0)
            return rc;
    }
    /* The whole age stream must authenticate; what follows the tar's end
     * marker must be zero padding. */
    if (check_tail(o) != 0)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                           "malformed: cannot tell where the tar archive ends");
    if (!o->dec_done) {
        o->draining = 1;
        rc = baton_age_decrypt_final(o->dec, e, sizeof e);
        if (rc < 0)
            return age_failure(o, rc, e);
    }
    if (o->trailing)
        return pkg_verdict(o, BATON_PKG_MALFORMED, BATON_EINVAL,
                           "malformed: data after the end of the tar archive");

    if ((rc = pkg_check_complete(o)) < 0)
        return rc;
    return commit(o);
}

BATON_API int baton_pkg_open(const baton_pkg_open_params *p, baton_age_read_fn read, void *rctx,
                             baton_pkg_progress_fn progress, void *pctx,
                             baton_pkg_open_result *result, char *err, size_t errlen)
{
    struct opener o;
    baton_pkg_open_result local;
    (void)progress;
    (void)pctx;
    if (result == NULL)
        result = &local;
    memset(result, 0, sizeof *result);
    memset(&o, 0, sizeof o);
    o.p = p;
    o.res = result;
    o.err = err;
    o.errlen = errlen;
    o.read = read;
    o.rctx = rctx;
    o.rootfd = -1;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    locale_t made, old = utf8_locale_push(&made);
    int rc = run(&o);
    if (rc == 0)
        result->verdict = BATON_PKG_OK;
    else if (result->verdict == BATON_PKG_OK)
        result->verdict = BATON_PKG_ERROR;

    if (o.hz_on)
        pkg_hasher_stop(&o.hz);
    free(o.hbuf[0]);
    free(o.hbuf[1]);
    if (o.a != NULL)
        archive_read_free(o.a);
    baton_age_decrypt_free(o.dec);
    baton_sha256_free(o.h);
    free(o.plain);
    free(o.prev);
    free(o.case_json);
    baton_bagit_manifest_free(&o.man);
    baton_docindex_free(&o.index);
    for (int t = 0; t < T_COUNT; t++)
        free(o.tags[t]);
    for (size_t i = 0; i < o.cap; i++) {
        if (o.table[i] != NULL) {
            free(o.table[i]->fold);
            free(o.table[i]->path);
            free(o.table[i]);
        }
    }
    free(o.table);
    utf8_locale_pop(old, made);
    /* Removed while still locked, so no other run takes it for stale. */
    if (o.tmpdir != NULL) {
        remove_tree(o.tmpdir);
        free(o.tmpdir);
    }
    if (o.rootfd >= 0)
        close(o.rootfd);
    return rc;
}

struct fdin {
    int fd;
    const volatile sig_atomic_t *cancel;
    baton_sha256 *h;
    baton_pkg_progress_fn progress;
    void *pctx;
    uint64_t done, total;
};

static long fd_read_hash(void *ctx, uint8_t *buf, size_t cap)
{
    struct fdin *in = ctx;
    for (;;) {
        ssize_t r = read(in->fd, buf, cap);
        if (r < 0 && errno == EINTR && in->cancel != NULL && *in->cancel != 0)
            return BATON_ECANCELED;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return BATON_EIO;
        if (in->h != NULL)
            baton_sha256_update(in->h, buf, (size_t)r);
        in->done += (uint64_t)r;
        if (in->progress != NULL && r > 0)
            in->progress(in->pctx, in->done, in->total);
        return (long)r;
    }
}

BATON_API int baton_pkg_open_file(const baton_pkg_open_params *p, const char *path,
                                  baton_pkg_progress_fn progress, void *pctx,
                                  baton_pkg_open_result *result, char *err, size_t errlen)
{
    struct fdin in = {.fd = -1, .cancel = p->cancel, .progress = progress, .pctx = pctx};
    baton_pkg_open_result local;
    struct stat st;
    int rc;
    if (result == NULL)
        result = &local;
    memset(result, 0, sizeof *result);
    in.fd = open(path, O_RDONLY | O_CLOEXEC);
    if (in.fd < 0) {
        result->verdict = BATON_PKG_ERROR;
        if (err != NULL && errlen > 0)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? BATON_ENOENT : BATON_EIO;
    }
    if (fstat(in.fd, &st) == 0)
        in.total = (uint64_t)st.st_size;
    posix_fadvise(in.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    if (p->hash_package && baton_sha256_new(&in.h) < 0) {
        close(in.fd);
        result->verdict = BATON_PKG_ERROR;
        return BATON_ENOMEM;
    }
    rc = baton_pkg_open(p, fd_read_hash, &in, NULL, NULL, result, err, errlen);
    if (in.h != NULL && (rc == 0 || result->verdict != BATON_PKG_ERROR)) {
        /* Hash what is left so package_sha256 names the whole file. */
        uint8_t tmp[65536];
        while (fd_read_hash(&in, tmp, sizeof tmp) > 0)
            ;
        baton_sha256_final(in.h, result->package_sha256);
    }
    baton_sha256_free(in.h);
    close(in.fd);
    return rc;
}
