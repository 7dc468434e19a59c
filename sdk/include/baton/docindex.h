/*
 * baton/docindex.h - the document index of a handoff package: the names
 * people gave their documents, kept apart from the names the files have
 * inside the bag.
 *
 * Payload files are stored under names Baton makes (data/documents/0001.pdf:
 * a sequence number and the given name's extension when it is 1..10 ASCII
 * letters or digits), so the bag holds only plain ASCII names that every
 * file system and `sha256sum -c` handle. The given names, with media type,
 * size and SHA-256, travel in the tag file bag/documents.json, which the
 * tagmanifest lists, so the sender's signature covers it
 * (docs/handoff-packages.md, "Document index").
 *
 * The text is one canonical form, written by baton_docindex_format and
 * refused on reading when it differs by a byte:
 *
 *   {"type":"baton-documents/1","documents":[
 *   {"file":"data/documents/0001.pdf","name":"5%
 * Zinsen.pdf","media_type":"application/pdf","size":1234,"sha256":"<64 hex>"},
 *   ...
 *   ]}
 *
 * one document per line, sorted by file, strings escaping only '"' and '\'.
 * A given name is carried exactly as given: valid UTF-8 without control
 * characters, 1..BATON_DOCINDEX_NAME_MAX bytes, '/' separating folders
 * (no empty, "." or ".." part, each part at most BATON_NAME_MAX bytes).
 * Names may differ only in case, or use characters the name rule of
 * baton/names.h refuses on disk: the index keeps them, and restoring to
 * disk applies the rule (see baton_docindex_restore).
 *
 * Owns the index text, the bag names and media types, and restoring given
 * names on disk after an open (docindex_restore.c). Does not own the bag's
 * manifests or tar (the opener checks that the index matches the signed
 * manifest). Functions return 0 or a negative BATON_E* code with detail in
 * err (may be NULL); they never print.
 */
#ifndef BATON_DOCINDEX_H
#define BATON_DOCINDEX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BATON_DOCINDEX_FILE     "documents.json" /* under bag/, a tag file */
#define BATON_DOCINDEX_TYPE     "baton-documents/1"
#define BATON_DOCINDEX_NAME_MAX 1024 /* bytes of a given name with its folders */

typedef struct baton_docindex_entry {
    char *file;       /* path in the bag, e.g. "data/documents/0001.pdf" */
    char *name;       /* the name the sender gave, e.g. "5% Zinsen.pdf" */
    char *media_type; /* e.g. "application/pdf" */
    uint64_t size;
    uint8_t sha256[32];
} baton_docindex_entry;

typedef struct baton_docindex {
    baton_docindex_entry *entries;
    size_t n;
} baton_docindex;

/* Checks a given name for the index (see above). 0 or BATON_EINVAL. */
int baton_docindex_name_check(const char *name, char *err, size_t errlen);

/* The bag path of document i (0-based) of n with the given name, into out:
 * "data/documents/" + i + 1 zero-padded to max(4, digits of n) + the
 * extension. out needs 64 bytes. */
void baton_docindex_file_name(size_t i, size_t n, const char *given, char out[64]);

/* The media type for a name's extension (IANA registry names), else
 * "application/octet-stream". Static string. */
const char *baton_docindex_media_type(const char *name);

/* Writes the canonical text of ix (entries in any order; they are written
 * sorted by file) into *text (caller frees with free()). Refuses names
 * against the rule, keys that collide, and duplicate files. */
int baton_docindex_format(const baton_docindex *ix, char **text, size_t *len, char *err,
                          size_t errlen);

/* Parses canonical index text strictly (see above). Caller frees with
 * baton_docindex_free. */
int baton_docindex_parse(const char *text, size_t len, baton_docindex *out, char *err,
                         size_t errlen);
void baton_docindex_free(baton_docindex *ix);

/* Index of the entry for file, or -1. */
long baton_docindex_find(const baton_docindex *ix, const char *file);

/*
 * After a package was opened into dir (dir/bag/ exists): when the bag has a
 * document index, gives each document its given name under dir/documents/
 * (a hard link to the file in the bag, or a copy where links are not
 * possible), creating sub-folders. The name rule of baton/names.h decides
 * what is restored: a name it refuses (errnum EINVAL: decomposed,
 * invisible or unportable characters) and a name whose key equals that of
 * an earlier document, or a folder of one (errnum EEXIST: differs only in
 * case or Unicode compatibility forms), stay under their bag name; so does
 * a name the file system refuses (its errno). report (may be NULL) is
 * called for every document, in index order, with the path it got
 * relative to dir ("documents/<name>") or NULL and the errnum, so the
 * caller can show the mapping. *restored and *total (may be NULL) count
 * documents. Returns 0 (also when the bag has no index: a package of the
 * layout before the index, whose documents keep their bag names), or
 * BATON_EINVAL/BATON_EIO/BATON_ENOMEM for an index that cannot be read.
 */
typedef void (*baton_docindex_report_fn)(void *ctx, const baton_docindex_entry *e,
                                         const char *restored_as, int errnum);
int baton_docindex_restore(const char *dir, baton_docindex_report_fn report, void *ctx,
                           size_t *restored, size_t *total, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
