/* plugin_store.c - plugin files stored by content (plugin_store.h). */
#include "plugin_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton/error.h"
#include "baton/sha256.h"

int bh_plugin_store_path(const char *dir, const char *sha256, char *out, size_t outlen)
{
    size_t n = strlen(sha256);
    if (n != 64 || strspn(sha256, "0123456789abcdef") != 64)
        return BATON_EINVAL;
    int len = snprintf(out, outlen, "%s/%s.so", dir, sha256);
    return len < 0 || (size_t)len >= outlen ? BATON_EINVAL : 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int bh_plugin_store_put(const char *dir, const char *src, size_t max_bytes, char sha256[65],
                        char *out, size_t outlen, char *err, size_t errlen)
{
    int rc = BATON_EIO, in = -1, tmp = -1;
    baton_sha256 *h = NULL;
    unsigned char *buf = NULL;
    char tmp_path[4096] = "";
    uint8_t digest[BATON_SHA256_BYTES];
    struct stat st;

    if (max_bytes == 0)
        max_bytes = BH_PLUGIN_MAX_BYTES;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "plugin store %s: %s", dir, strerror(errno));
        return BATON_EIO;
    }
    in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0 && errno == ELOOP)
        in = open(src, O_RDONLY | O_CLOEXEC); /* a configured path may be a link */
    if (in < 0) {
        snprintf(err, errlen, "plugin %s: %s", src, strerror(errno));
        return errno == ENOENT ? BATON_ENOENT : BATON_EIO;
    }
    if (fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "plugin %s: not a regular file", src);
        rc = BATON_EINVAL;
        goto out;
    }
    if ((uint64_t)st.st_size > max_bytes) {
        snprintf(err, errlen, "plugin %s: %lld bytes, more than the %zu allowed", src,
                 (long long)st.st_size, max_bytes);
        rc = BATON_ELIMIT;
        goto out;
    }
    snprintf(tmp_path, sizeof tmp_path, "%s/.incoming-XXXXXX", dir);
    tmp = mkostemp(tmp_path, O_CLOEXEC);
    buf = malloc(65536);
    if (tmp < 0 || buf == NULL || baton_sha256_new(&h) != 0) {
        snprintf(err, errlen, "plugin store %s: %s", dir,
                 tmp < 0 ? strerror(errno) : "out of memory");
        goto out;
    }
    size_t total = 0;
    for (;;) {
        ssize_t n = read(in, buf, 65536);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "plugin %s: %s", src, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        total += (size_t)n;
        if (total > max_bytes) {
            snprintf(err, errlen, "plugin %s: more than the %zu bytes allowed", src, max_bytes);
            rc = BATON_ELIMIT;
            goto out;
        }
        if (baton_sha256_update(h, buf, (size_t)n) != 0 || write_all(tmp, buf, (size_t)n) != 0) {
            snprintf(err, errlen, "plugin store %s: %s", dir, strerror(errno));
            goto out;
        }
    }
    baton_sha256_final(h, digest);
    baton_sha256_hex(digest, sha256);
    if (bh_plugin_store_path(dir, sha256, out, outlen) != 0) {
        snprintf(err, errlen, "plugin store %s: path too long", dir);
        rc = BATON_EINVAL;
        goto out;
    }
    if (access(out, F_OK) == 0) {
        rc = 0; /* the same bytes are there already */
        goto out;
    }
    if (fchmod(tmp, 0444) != 0 || fsync(tmp) != 0 || rename(tmp_path, out) != 0) {
        snprintf(err, errlen, "plugin store %s: %s", dir, strerror(errno));
        goto out;
    }
    tmp_path[0] = '\0';
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    rc = 0;
out:
    if (tmp >= 0)
        close(tmp);
    if (tmp_path[0] != '\0')
        unlink(tmp_path);
    if (in >= 0)
        close(in);
    baton_sha256_free(h);
    free(buf);
    return rc;
}
