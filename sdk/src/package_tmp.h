/*
 * package_tmp.h - internal to libbaton: the temporary folder an extraction
 * fills before it is renamed into place, and the removal of such folders
 * that an interrupted run left behind (baton_pkg_clean_stale, package.h).
 *
 * A temporary folder is named ".<target>.baton-open.<pid>.<random>" next
 * to the target, and its creator holds an flock(LOCK_EX) on it for as long
 * as it lives. Another run treats such a folder as stale only when the lock
 * is free and the pid is not a running process (or is its own pid, whose
 * lock it would hold), so a folder of a live open is never touched and
 * nothing that is not ours matches the name.
 */
#ifndef BATON_PACKAGE_TMP_H
#define BATON_PACKAGE_TMP_H

#include <stddef.h>

#define PKG_TMP_MARKER ".baton-open."

/* Creates the folder for target (mode 0700) and locks it. On success *path
 * (caller frees) and *fd (an O_DIRECTORY descriptor holding the lock;
 * caller closes after removing the folder). BATON_EIO/ENOMEM otherwise. */
int pkg_tmpdir_create(const char *target, char **path, int *fd, char *err, size_t errlen);

#endif
