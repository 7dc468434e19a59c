/*
 * package_tmp.c - extraction folders and their stale leftovers (see
 * package_tmp.h and baton_pkg_clean_stale in baton/package.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton/error.h"
#include "baton/package.h"
#include "fail.h"
#include "package_tmp.h"
#include "visibility.h"

int pkg_tmpdir_create(const char *target, char **path, int *fd, char *err, size_t errlen)
{
    char *dc = strdup(target), *bc = strdup(target), *tmp = NULL;
    int rc = BATON_ENOMEM;
    *path = NULL;
    *fd = -1;
    if (dc == NULL || bc == NULL)
        goto out;
    if (asprintf(&tmp, "%s/.%s" PKG_TMP_MARKER "%ld.XXXXXX", dirname(dc), basename(bc),
                 (long)getpid()) < 0) {
        tmp = NULL;
        goto out;
    }
    if (mkdtemp(tmp) == NULL) {
        rc = baton__fail(err, errlen, BATON_EIO, "creating a folder next to %s: %s", target,
                         strerror(errno));
        goto out;
    }
    *fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (*fd < 0 || flock(*fd, LOCK_EX | LOCK_NB) < 0) {
        rc = baton__fail(err, errlen, BATON_EIO, "%s: %s", tmp, strerror(errno));
        if (*fd >= 0)
            close(*fd);
        *fd = -1;
        rmdir(tmp);
        goto out;
    }
    *path = tmp;
    tmp = NULL;
    rc = 0;
out:
    if (rc == BATON_ENOMEM)
        baton__fail(err, errlen, rc, "out of memory");
    free(tmp);
    free(dc);
    free(bc);
    return rc;
}

/* The pid in ".<x>.baton-open.<pid>.<6 chars>", or -1 when name is not of
 * that form. */
static long marked_pid(const char *name)
{
    if (name[0] != '.')
        return -1;
    const char *m = strstr(name + 1, PKG_TMP_MARKER), *next;
    /* The target's own name may contain the marker: use the last one. */
    while (m != NULL && (next = strstr(m + 1, PKG_TMP_MARKER)) != NULL)
        m = next;
    if (m == NULL || m == name + 1)
        return -1;
    const char *p = m + strlen(PKG_TMP_MARKER);
    long pid = 0;
    size_t digits = 0;
    for (; *p >= '0' && *p <= '9' && digits < 10; p++, digits++)
        pid = pid * 10 + (*p - '0');
    if (digits == 0 || pid <= 0 || *p != '.' || strlen(p + 1) != 6)
        return -1;
    return pid;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

BATON_API int baton_pkg_clean_stale(const char *dir, unsigned *removed, char *err, size_t errlen)
{
    unsigned n = 0;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (removed != NULL)
        *removed = 0;
    if (dfd < 0)
        return errno == ENOENT
                   ? 0
                   : baton__fail(err, errlen, BATON_EIO, "%s: %s", dir, strerror(errno));
    DIR *d = fdopendir(dfd);
    if (d == NULL) {
        close(dfd);
        return baton__fail(err, errlen, BATON_EIO, "%s: %s", dir, strerror(errno));
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        long pid = marked_pid(de->d_name);
        if (pid < 0)
            continue;
        if (pid != (long)getpid() && (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
            continue; /* its run may still be going */
        int fd = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue; /* not a folder of ours (or gone meanwhile) */
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            char *full = NULL;
            if (asprintf(&full, "%s/%s", dir, de->d_name) >= 0) {
                nftw(full, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
                free(full);
                n++;
            }
        }
        close(fd);
    }
    closedir(d);
    if (removed != NULL)
        *removed = n;
    return 0;
}
