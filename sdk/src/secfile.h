/*
 * secfile.h - reading and writing the small text files that hold keys and
 * signatures.
 *
 * Owns: reading a whole file up to a size limit into memory (sodium_malloc,
 * so secret key files never sit in ordinary heap), and writing a file
 * atomically enough for keys: created with mode 0600 (or 0644 for public
 * material), O_EXCL unless overwriting, fsync before close.
 *
 * Does not own: the formats of what is read or written.
 */
#ifndef BATON_SECFILE_H
#define BATON_SECFILE_H

#include <stddef.h>

/* Reads path (at most max bytes) into *out, NUL-terminated, allocated with
 * sodium_malloc; caller frees with baton__secfile_free(*out, *len).
 * BATON_ENOENT, BATON_EIO or BATON_ELIMIT with detail in err. */
int baton__secfile_read(const char *path, size_t max, char **out, size_t *len, char *err,
                        size_t errlen);

/* Wipes and frees what baton__secfile_read returned. */
void baton__secfile_free(char *buf, size_t len);

/* Writes data to path with the given mode; fails with BATON_EEXIST when the
 * file exists and overwrite is 0. */
int baton__secfile_write(const char *path, const char *data, size_t len, int mode, int overwrite,
                         char *err, size_t errlen);

#endif
