/*
 * baton/bagit.h - the strict subset of BagIt 1.0 (RFC 8493) that handoff
 * packages use.
 *
 * Owns: the rules for path names inside a bag (split into components, each
 * checked by the name rule of baton/names.h), the
 * manifest line format ("<64 lower-case hex><two spaces><path>\n", sorted,
 * one file per line, so that `sha256sum -c` reads it), the exact bagit.txt
 * declaration, and bag-info.txt ("Label: value" lines).
 *
 * Does not own: tar, encryption, signatures, the package layout (which tag
 * files must exist, see package.h), the file system.
 *
 * Canonical forms are enforced on reading: anything this module would not
 * have written itself (CRLF, trailing whitespace, upper-case hex, one
 * space, unsorted or duplicate lines, continuation lines) is refused with
 * BATON_EINVAL and a message naming the line. Manifest paths follow RFC 8493
 * section 2.1.3: '%', CR and LF are written %25, %0D, %0A and decoded on
 * reading; any other '%' sequence is refused (a decoded CR or LF is then
 * refused by the name rule).
 *
 * All functions return 0 or a negative BATON_E* code with detail in err
 * (may be NULL); they never print.
 */
#ifndef BATON_BAGIT_H
#define BATON_BAGIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BATON_BAGIT_PATH_MAX      1024 /* bytes of a bag-relative path */
#define BATON_BAGIT_COMPONENT_MAX 255  /* bytes of one path component */

/* The bagit.txt declaration, byte for byte (RFC 8493 section 2.1.1). */
#define BATON_BAGIT_DECLARATION "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

/*
 * Path rules for a bag-relative path such as "data/documents/0001.pdf":
 * valid UTF-8, at most BATON_BAGIT_PATH_MAX bytes, no leading '/', no NUL,
 * components separated by single '/' (none empty), and each component
 * accepted by the one name rule of baton/names.h (NFC, allowed Unicode
 * categories, no default-ignorable code points, portable to Windows).
 * Returns 0 or BATON_EINVAL with the reason in err.
 */
int baton_bagit_path_check(const char *path, size_t len, char *err, size_t errlen);

/* One manifest line. */
typedef struct baton_bagit_entry {
    uint8_t sha256[32];
    char *path; /* NUL-terminated, owned by the manifest */
} baton_bagit_entry;

typedef struct baton_bagit_manifest {
    baton_bagit_entry *entries;
    size_t n;
} baton_bagit_manifest;

/*
 * Parses manifest text strictly: every line is exactly 64 lower-case hex
 * digits, two spaces, a path (percent-decoded, see above) accepted by
 * baton_bagit_path_check, and LF; the text ends with LF; paths are in
 * strictly increasing byte order (so there are no duplicates) and no two
 * have the same key (baton_name_key). Entries hold the decoded paths. An empty text
 * is an empty manifest. Caller frees with baton_bagit_manifest_free.
 */
int baton_bagit_manifest_parse(const char *text, size_t len, baton_bagit_manifest *out, char *err,
                               size_t errlen);
void baton_bagit_manifest_free(baton_bagit_manifest *m);

/* Index of path in a parsed manifest (binary search), or -1. */
long baton_bagit_manifest_find(const baton_bagit_manifest *m, const char *path);

/* Appends one canonical manifest line for (digest, path) to a growing
 * buffer ('%' in path written as %25) (*buf, *len, *cap; realloc-managed, caller frees *buf with
 * free()). The caller adds lines in increasing path order. */
int baton_bagit_manifest_append(char **buf, size_t *len, size_t *cap, const uint8_t sha256[32],
                                const char *path, char *err, size_t errlen);

/* One bag-info.txt field; label and value point into the parsed text copy. */
typedef struct baton_bagit_info {
    char *text; /* owned copy; label/value strings point into it */
    struct {
        const char *label;
        const char *value;
    } * fields;
    size_t n;
} baton_bagit_info;

/*
 * Parses bag-info.txt strictly: each line "Label: value\n" with a label of
 * [A-Za-z0-9-] starting with a letter, exactly one space after the colon, a
 * non-empty value of valid UTF-8 without control characters and without
 * leading or trailing space; no continuation lines, no CR, no empty lines,
 * final LF required. Labels may repeat (RFC 8493) but the reserved labels
 * Payload-Oxum, External-Identifier and Source-Organization may appear at
 * most once. Caller frees with baton_bagit_info_free.
 */
int baton_bagit_info_parse(const char *text, size_t len, baton_bagit_info *out, char *err,
                           size_t errlen);
void baton_bagit_info_free(baton_bagit_info *info);

/* First value for label (case-sensitive), or NULL. */
const char *baton_bagit_info_get(const baton_bagit_info *info, const char *label);

/* Parses a Payload-Oxum value "<octets>.<streams>" (decimal, no sign, no
 * leading zeros unless the number is 0). */
int baton_bagit_oxum_parse(const char *value, uint64_t *octets, uint64_t *streams);

#ifdef __cplusplus
}
#endif

#endif
