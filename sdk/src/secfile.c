/* secfile.c - small key/signature file I/O with secret-friendly buffers. */
#include "secfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton/error.h"

static void seterr(char *err, size_t errlen, const char *path, const char *what)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "%s: %s", path, what);
}

int baton__secfile_read(const char *path, size_t max, char **out, size_t *len, char *err,
                        size_t errlen)
{
    char *buf = NULL;
    size_t n = 0;
    int fd;
    int rc;

    *out = NULL;
    *len = 0;
    /* sodium_malloc needs the library initialised (page size, canary). */
    if (sodium_init() < 0)
        return BATON_ECRYPTO;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        seterr(err, errlen, path, strerror(errno));
        return errno == ENOENT ? BATON_ENOENT : BATON_EIO;
    }
    rc = BATON_ENOMEM;
    buf = sodium_malloc(max + 1);
    if (buf == NULL)
        goto out;
    for (;;) {
        ssize_t r = read(fd, buf + n, max + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            seterr(err, errlen, path, strerror(errno));
            rc = BATON_EIO;
            goto out;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            seterr(err, errlen, path, "file too large");
            rc = BATON_ELIMIT;
            goto out;
        }
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
    rc = 0;
out:
    if (buf != NULL) {
        sodium_memzero(buf, max + 1);
        sodium_free(buf);
    }
    close(fd);
    return rc;
}

void baton__secfile_free(char *buf, size_t len)
{
    if (buf == NULL)
        return;
    sodium_memzero(buf, len);
    sodium_free(buf);
}

int baton__secfile_write(const char *path, const char *data, size_t len, int mode, int overwrite,
                         char *err, size_t errlen)
{
    /* O_NOFOLLOW: a key is never written through a planted symlink. */
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (overwrite ? O_TRUNC : O_EXCL);
    size_t done = 0;
    int fd;
    int rc = BATON_EIO;

    fd = open(path, flags, (mode_t)mode);
    if (fd < 0) {
        seterr(err, errlen, path, strerror(errno));
        return errno == EEXIST ? BATON_EEXIST : BATON_EIO;
    }
    /* An existing file keeps its mode under O_TRUNC; tighten it. */
    if (fchmod(fd, (mode_t)mode) != 0) {
        seterr(err, errlen, path, strerror(errno));
        goto out;
    }
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            seterr(err, errlen, path, strerror(errno));
            goto out;
        }
        done += (size_t)w;
    }
    if (fsync(fd) != 0) {
        seterr(err, errlen, path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (close(fd) != 0 && rc == 0) {
        seterr(err, errlen, path, strerror(errno));
        rc = BATON_EIO;
    }
    return rc;
}
