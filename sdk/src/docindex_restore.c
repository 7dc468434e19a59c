/*
 * docindex_restore.c - gives the documents of an opened package their
 * given names under <dir>/documents/ (baton_docindex_restore in
 * baton/docindex.h).
 *
 * The bag itself stays exactly as it came (so `sha256sum -c` still checks
 * it); the given names are hard links to its files, or copies where the
 * file system has no links. Everything is created with openat/mkdirat/
 * linkat below the folder the opener made, with O_EXCL and O_NOFOLLOW, and
 * the names were checked by the name rule before, so nothing lands outside
 * <dir>/documents/. Owns that step only; the index text is docindex.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton/docindex.h"
#include "baton/error.h"
#include "baton/names.h"
#include "fail.h"
#include "visibility.h"

#define INDEX_MAX (32u << 20) /* the opener's limit for the index */

static int read_index(int dirfd, char **text, size_t *len, char *err, size_t errlen)
{
    int rc = BATON_EIO;
    int fd = openat(dirfd, "bag/" BATON_DOCINDEX_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    char *buf = NULL;
    if (fd < 0)
        return errno == ENOENT ? BATON_ENOENT
                               : baton__fail(err, errlen, BATON_EIO,
                                             "bag/" BATON_DOCINDEX_FILE ": %s", strerror(errno));
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > INDEX_MAX) {
        rc = baton__fail(err, errlen, BATON_EINVAL,
                         "bag/" BATON_DOCINDEX_FILE " is not a regular file of at most %u bytes",
                         INDEX_MAX);
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
            rc = baton__fail(err, errlen, BATON_EIO, "bag/" BATON_DOCINDEX_FILE ": short read");
            goto out;
        }
        got += (size_t)r;
    }
    buf[got] = '\0';
    *text = buf;
    *len = got;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    close(fd);
    return rc;
}

static int copy_file(int dirfd, const char *src, int dstdir, const char *name)
{
    int in = openat(dirfd, src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out = -1, rc = -1;
    char buf[65536];
    if (in < 0)
        return errno;
    out = openat(dstdir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) {
        rc = errno;
        close(in);
        return rc;
    }
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = errno;
            break;
        }
        if (n == 0) {
            rc = fsync(out) == 0 ? 0 : errno;
            break;
        }
        for (ssize_t w = 0; w < n;) {
            ssize_t k = write(out, buf + w, (size_t)(n - w));
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0) {
                rc = k < 0 ? errno : EIO;
                goto done;
            }
            w += k;
        }
    }
done:
    close(in);
    close(out);
    if (rc != 0)
        unlinkat(dstdir, name, 0);
    return rc;
}

/* 1 when every part of a given name passes the name rule. */
static int name_allowed(const char *name)
{
    size_t len = strlen(name), start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && name[i] != '/')
            continue;
        if (baton_name_check(name + start, i - start, NULL, 0) < 0)
            return 0;
        start = i + 1;
    }
    return 1;
}

struct key {
    char *k;      /* key of the name or of one of its folders */
    size_t len;   /* bytes of the name this key covers */
    size_t entry; /* index order */
    int dir;
};

static int key_cmp(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    int c = strcmp(x->k, y->k);
    if (c != 0)
        return c;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/*
 * Sets verdict[i] for each entry: 0 to restore, EINVAL when the name rule
 * refuses it, EEXIST when its key (or a folder's) equals that of an earlier
 * document in a way the disk would merge: two files, a file and a folder,
 * or two spellings of one folder. The earliest document keeps its name.
 */
static int choose(const baton_docindex *ix, int *verdict)
{
    int rc = BATON_ENOMEM;
    size_t n = 0, cap = 0;
    struct key *keys = NULL;
    for (size_t i = 0; i < ix->n; i++) {
        const char *name = ix->entries[i].name;
        size_t len = strlen(name);
        verdict[i] = name_allowed(name) ? 0 : EINVAL;
        if (verdict[i] != 0)
            continue;
        for (size_t j = 0; j <= len; j++) {
            if (j < len && name[j] != '/')
                continue;
            if (n == cap) {
                size_t ncap = cap != 0 ? cap * 2 : 64;
                struct key *nk = realloc(keys, ncap * sizeof *nk);
                if (nk == NULL)
                    goto out;
                keys = nk;
                cap = ncap;
            }
            if (baton_name_key(name, j, &keys[n].k) < 0)
                goto out;
            keys[n].len = j;
            keys[n].entry = i;
            keys[n].dir = j < len;
            n++;
        }
    }
    if (n > 1)
        qsort(keys, n, sizeof *keys, key_cmp);
    for (size_t g = 0; g < n;) {
        size_t h = g + 1;
        while (h < n && strcmp(keys[h].k, keys[g].k) == 0)
            h++;
        /* keys[g] is the earliest document with this key; a later one
         * conflicts unless both are the same folder spelled the same. */
        const struct key *first = &keys[g];
        const char *fname = ix->entries[first->entry].name;
        for (size_t m = g + 1; m < h; m++) {
            const struct key *k = &keys[m];
            const char *kname = ix->entries[k->entry].name;
            int same_folder =
                first->dir && k->dir && first->len == k->len && memcmp(fname, kname, k->len) == 0;
            if (!same_folder && k->entry != first->entry)
                verdict[k->entry] = EEXIST;
        }
        g = h;
    }
    rc = 0;
out:
    for (size_t i = 0; i < n; i++)
        free(keys[i].k);
    free(keys);
    return rc;
}

/* Gives one document its name below docs (a directory fd): folders of the
 * name are created as needed. Returns 0 or an errno value. */
static int restore_one(int dirfd, int docs, const baton_docindex_entry *e)
{
    char src[96], *name = strdup(e->name);
    int parent = docs, rc = 0;
    if (name == NULL)
        return ENOMEM;
    snprintf(src, sizeof src, "bag/%s", e->file);
    char *part = name, *slash;
    while ((slash = strchr(part, '/')) != NULL) {
        *slash = '\0';
        if (mkdirat(parent, part, 0700) < 0 && errno != EEXIST) {
            rc = errno;
            goto out;
        }
        int next = openat(parent, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            rc = errno;
            goto out;
        }
        if (parent != docs)
            close(parent);
        parent = next;
        part = slash + 1;
    }
    if (linkat(dirfd, src, parent, part, 0) < 0) {
        rc = errno;
        if (rc == EXDEV || rc == EPERM || rc == ENOTSUP || rc == EMLINK || rc == ENOSYS)
            rc = copy_file(dirfd, src, parent, part);
    }
out:
    if (parent != docs)
        close(parent);
    free(name);
    return rc;
}

BATON_API int baton_docindex_restore(const char *dir, baton_docindex_report_fn report, void *ctx,
                                     size_t *restored, size_t *total, char *err, size_t errlen)
{
    baton_docindex ix = {0};
    char *text = NULL;
    size_t len = 0, ok = 0;
    int docs = -1, rc, *verdict = NULL;
    if (restored != NULL)
        *restored = 0;
    if (total != NULL)
        *total = 0;
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return baton__fail(err, errlen, BATON_EIO, "%s: %s", dir, strerror(errno));
    rc = read_index(dirfd, &text, &len, err, errlen);
    if (rc == BATON_ENOENT) {
        rc = 0; /* the layout before the index: documents keep their bag names */
        goto out;
    }
    if (rc < 0)
        goto out;
    if ((rc = baton_docindex_parse(text, len, &ix, err, errlen)) < 0)
        goto out;
    if (total != NULL)
        *total = ix.n;
    if (ix.n == 0)
        goto out;
    if (mkdirat(dirfd, "documents", 0700) < 0 ||
        (docs = openat(dirfd, "documents", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        rc = baton__fail(err, errlen, BATON_EIO, "%s/documents: %s", dir, strerror(errno));
        goto out;
    }
    if ((verdict = calloc(ix.n, sizeof *verdict)) == NULL || choose(&ix, verdict) < 0) {
        rc = baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < ix.n; i++) {
        int e = verdict[i] != 0 ? verdict[i] : restore_one(dirfd, docs, &ix.entries[i]);
        char as[BATON_DOCINDEX_NAME_MAX + 16];
        snprintf(as, sizeof as, "documents/%s", ix.entries[i].name);
        if (e == 0)
            ok++;
        if (report != NULL)
            report(ctx, &ix.entries[i], e == 0 ? as : NULL, e);
    }
    fsync(docs);
    if (restored != NULL)
        *restored = ok;
out:
    if (docs >= 0)
        close(docs);
    close(dirfd);
    free(text);
    free(verdict);
    baton_docindex_free(&ix);
    return rc;
}
