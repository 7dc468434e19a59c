/* stale_temp.c - removal of stale temporary entries at start (stale_temp.h). */
#include "stale_temp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "baton/error.h"
#include "baton/package.h"

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* ".<x>.tmp-XXXXXX": baton_pkg_pack_file's temporary sibling. */
static int pack_temp_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] == '.' && n > 12 && memcmp(name + n - 11, ".tmp-", 5) == 0;
}

static int incoming_name(const char *name)
{
    return strncmp(name, ".incoming-", 10) == 0;
}

static int any_name(const char *name)
{
    return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* Removes the entries of dir whose name matches (recursively for folders). */
static void remove_matching(const char *dir, int (*match)(const char *), unsigned *removed)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *de;
    char path[PATH_MAX];
    while ((de = readdir(d)) != NULL) {
        if (!any_name(de->d_name) || !match(de->d_name))
            continue;
        int n = snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (n < 0 || (size_t)n >= sizeof path)
            continue;
        if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0)
            (*removed)++;
    }
    closedir(d);
}

int bh_stale_temp_clean(const char *data_dir, bh_stale_report *report, char *err, size_t errlen)
{
    /* Kept open (and locked) until the process ends. */
    static int lock_fd = -1;
    char path[PATH_MAX];
    report->removed = 0;
    report->locked_out = 0;
    if (lock_fd < 0) {
        snprintf(path, sizeof path, "%s/.batond.lock", data_dir);
        lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (lock_fd < 0) {
            snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
            return BATON_EIO;
        }
        if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
            close(lock_fd);
            lock_fd = -1;
            report->locked_out = 1;
            return 0;
        }
    }
    snprintf(path, sizeof path, "%s/plugins", data_dir);
    remove_matching(path, incoming_name, &report->removed);
    snprintf(path, sizeof path, "%s/tenants", data_dir);
    DIR *d = opendir(path);
    if (d == NULL)
        return 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        static const struct {
            const char *sub;
            int (*match)(const char *);
        } dirs[] = {{"tmp", any_name}, {"outbox", pack_temp_name}, {"inbox", pack_temp_name}};
        for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
            int n =
                snprintf(path, sizeof path, "%s/tenants/%s/%s", data_dir, de->d_name, dirs[i].sub);
            if (n > 0 && (size_t)n < sizeof path)
                remove_matching(path, dirs[i].match, &report->removed);
        }
        unsigned opens = 0;
        int n = snprintf(path, sizeof path, "%s/tenants/%s/cases", data_dir, de->d_name);
        if (n > 0 && (size_t)n < sizeof path && baton_pkg_clean_stale(path, &opens, NULL, 0) == 0)
            report->removed += opens;
    }
    closedir(d);
    return 0;
}
