/*
 * tar_name.h - the name a tar entry's headers hold, byte for byte.
 *
 * libarchive hands out pax names composed to Unicode NFC, so a package
 * whose tar holds a decomposed name would open under a name the tar does
 * not hold (and that stock `tar -x` does not create). The opener keeps the
 * raw header blocks of each entry and compares: a name that is not
 * byte-equal to what libarchive reports is refused.
 *
 * Owns reading the name fields of header blocks (ustar name and prefix,
 * GNU long name 'L', pax 'path' record); it reads nothing else and writes
 * nothing. Does not own tar reading itself (libarchive does).
 */
#ifndef BATON_TAR_NAME_H
#define BATON_TAR_NAME_H

#include <stddef.h>
#include <stdint.h>

#define PKG_TAR_HEADERS_MAX (64u << 10) /* raw header bytes kept per entry */

/*
 * h[0..n) are the header blocks of one entry, from its first extension
 * header to the end of its ustar header (so n is a multiple of 512). Writes
 * the name into out (NUL-terminated, at most outcap - 1 bytes) and its
 * length into *outlen. Returns 0, or -1 when the blocks are not one
 * well-formed entry header, more than one extension header names the
 * entry, or the name does not fit.
 */
int pkg_tar_header_name(const uint8_t *h, size_t n, char *out, size_t outcap, size_t *outlen);

#endif
