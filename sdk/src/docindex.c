/*
 * docindex.c - the document index text (baton/docindex.h): bag names,
 * media types, the canonical writer and its strict reader.
 *
 * The reader accepts exactly what the writer produces (a small fixed
 * grammar, not general JSON), so there is one byte form per index and
 * nothing to normalize. Owns the text only; restoring names on disk is
 * docindex_restore.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"
#include "baton/bagit.h"
#include "baton/docindex.h"
#include "baton/error.h"
#include "baton/names.h"
#include "fail.h"
#include "visibility.h"

#define HEAD        "{\"type\":\"" BATON_DOCINDEX_TYPE "\",\"documents\":[\n"
#define TAIL        "]}\n"
#define FILE_PREFIX "data/documents/"
#define EXT_MAX     10
#define MEDIA_MAX   127

BATON_API int baton_docindex_name_check(const char *name, char *err, size_t errlen)
{
    size_t len = name != NULL ? strlen(name) : 0, start = 0, i = 0;
    if (len == 0)
        return baton__fail(err, errlen, BATON_EINVAL, "empty document name");
    if (len > BATON_DOCINDEX_NAME_MAX)
        return baton__fail(err, errlen, BATON_EINVAL, "document name longer than %d bytes",
                           BATON_DOCINDEX_NAME_MAX);
    const unsigned char *u = (const unsigned char *)name;
    while (i <= len) {
        if (i == len || name[i] == '/') {
            size_t n = i - start;
            if (n == 0 || (n == 1 && name[start] == '.') ||
                (n == 2 && name[start] == '.' && name[start + 1] == '.'))
                return baton__fail(err, errlen, BATON_EINVAL,
                                   "document name has an empty, '.' or '..' part at byte %zu",
                                   start);
            if (n > BATON_NAME_MAX)
                return baton__fail(err, errlen, BATON_EINVAL,
                                   "document name has a part longer than %d bytes at byte %zu",
                                   BATON_NAME_MAX, start);
            start = ++i;
            continue;
        }
        uint32_t cp;
        size_t k = baton__utf8_next(u + i, len - i, &cp);
        if (k == 0)
            return baton__fail(err, errlen, BATON_EINVAL,
                               "document name: invalid UTF-8 at byte %zu", i);
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
            return baton__fail(err, errlen, BATON_EINVAL,
                               "document name: control character U+%04X at byte %zu", (unsigned)cp,
                               i);
        i += k;
    }
    return 0;
}

/* The extension of the last component when it is 1..EXT_MAX ASCII letters
 * or digits (so bag names stay plain ASCII), else NULL. */
static const char *extension(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base != NULL ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    if (dot == NULL || dot == base)
        return NULL;
    size_t n = strlen(dot + 1);
    if (n == 0 || n > EXT_MAX)
        return NULL;
    for (const char *c = dot + 1; *c != '\0'; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
            return NULL;
    }
    return dot + 1;
}

BATON_API void baton_docindex_file_name(size_t i, size_t n, const char *given, char out[64])
{
    int width = 4;
    for (size_t m = n; m >= 10000; m /= 10)
        width++;
    const char *ext = given != NULL ? extension(given) : NULL;
    snprintf(out, 64, FILE_PREFIX "%0*zu%s%s", width, i + 1, ext != NULL ? "." : "",
             ext != NULL ? ext : "");
}

BATON_API const char *baton_docindex_media_type(const char *name)
{
    /* IANA media types (https://www.iana.org/assignments/media-types) for
     * what case files commonly hold. */
    static const char *const types[][2] = {
        {"pdf", "application/pdf"},
        {"txt", "text/plain"},
        {"csv", "text/csv"},
        {"json", "application/json"},
        {"xml", "application/xml"},
        {"html", "text/html"},
        {"htm", "text/html"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"png", "image/png"},
        {"gif", "image/gif"},
        {"tif", "image/tiff"},
        {"tiff", "image/tiff"},
        {"eml", "message/rfc822"},
        {"zip", "application/zip"},
        {"rtf", "application/rtf"},
        {"doc", "application/msword"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xls", "application/vnd.ms-excel"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"odt", "application/vnd.oasis.opendocument.text"},
        {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
        {"msg", "application/vnd.ms-outlook"},
    };
    const char *ext = name != NULL ? extension(name) : NULL;
    if (ext != NULL) {
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
            if (strcasecmp(ext, types[i][0]) == 0)
                return types[i][1];
        }
    }
    return "application/octet-stream";
}

static int media_type_ok(const char *s)
{
    size_t n = strlen(s), slash = 0;
    if (n == 0 || n > MEDIA_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '/') {
            if (slash++ != 0 || i == 0 || i == n - 1)
                return 0;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     strchr("!#$&^_.+-", c) != NULL)) {
            return 0;
        }
    }
    return slash == 1;
}

/* data/documents/ + 4 or more digits + optional "." + extension. */
static int file_ok(const char *f)
{
    size_t pl = sizeof FILE_PREFIX - 1;
    if (strncmp(f, FILE_PREFIX, pl) != 0)
        return 0;
    const char *d = f + pl, *p = d;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p - d < 4 || p - d > 20)
        return 0;
    if (*p == '\0')
        return 1;
    return *p == '.' && extension(f) == p + 1;
}

static int entry_check(const baton_docindex_entry *e, size_t i, char *err, size_t errlen)
{
    char why[256];
    if (e->file == NULL || !file_ok(e->file) ||
        baton_bagit_path_check(e->file, strlen(e->file), NULL, 0) < 0)
        return baton__fail(err, errlen, BATON_EINVAL,
                           "document %zu: file is not data/documents/<number>[.<extension>]",
                           i + 1);
    if (baton_docindex_name_check(e->name, why, sizeof why) < 0)
        return baton__fail(err, errlen, BATON_EINVAL, "document %zu: %s", i + 1, why);
    if (e->media_type == NULL || !media_type_ok(e->media_type))
        return baton__fail(err, errlen, BATON_EINVAL,
                           "document %zu: media_type is not type/subtype", i + 1);
    return 0;
}

static int entry_file_cmp(const void *a, const void *b)
{
    const baton_docindex_entry *const *x = a, *const *y = b;
    return strcmp((*x)->file, (*y)->file);
}

/* A growing text buffer. */
struct buf {
    char *p;
    size_t n, cap;
    int oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t ncap = b->cap != 0 ? b->cap : 1024;
        while (ncap < b->n + n + 1)
            ncap *= 2;
        char *np = realloc(b->p, ncap);
        if (np == NULL) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = ncap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void put_s(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* A JSON string escaping only '"' and '\' (names hold no control
 * characters, and UTF-8 is written as is). */
static void put_json(struct buf *b, const char *s)
{
    put(b, "\"", 1);
    for (const char *c = s; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\')
            put(b, "\\", 1);
        put(b, c, 1);
    }
    put(b, "\"", 1);
}

BATON_API int baton_docindex_format(const baton_docindex *ix, char **text, size_t *len, char *err,
                                    size_t errlen)
{
    static const char hex[] = "0123456789abcdef";
    struct buf b = {0};
    const baton_docindex_entry **order = NULL;
    int rc;
    *text = NULL;
    *len = 0;
    for (size_t i = 0; i < ix->n; i++) {
        if ((rc = entry_check(&ix->entries[i], i, err, errlen)) < 0)
            return rc;
    }
    if (ix->n > 0 && (order = malloc(ix->n * sizeof *order)) == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    for (size_t i = 0; i < ix->n; i++)
        order[i] = &ix->entries[i];
    if (ix->n > 1)
        qsort(order, ix->n, sizeof *order, entry_file_cmp);
    put_s(&b, HEAD);
    for (size_t i = 0; i < ix->n; i++) {
        const baton_docindex_entry *e = order[i];
        char num[32], h[65];
        if (i > 0 && strcmp(order[i - 1]->file, e->file) == 0) {
            free(order);
            free(b.p);
            return baton__fail(err, errlen, BATON_EEXIST, "two documents have the file %s",
                               e->file);
        }
        for (int k = 0; k < 32; k++) {
            h[2 * k] = hex[e->sha256[k] >> 4];
            h[2 * k + 1] = hex[e->sha256[k] & 15];
        }
        h[64] = '\0';
        snprintf(num, sizeof num, "%llu", (unsigned long long)e->size);
        put_s(&b, "{\"file\":");
        put_json(&b, e->file);
        put_s(&b, ",\"name\":");
        put_json(&b, e->name);
        put_s(&b, ",\"media_type\":");
        put_json(&b, e->media_type);
        put_s(&b, ",\"size\":");
        put_s(&b, num);
        put_s(&b, ",\"sha256\":\"");
        put_s(&b, h);
        put_s(&b, i + 1 < ix->n ? "\"},\n" : "\"}\n");
    }
    put_s(&b, TAIL);
    free(order);
    if (b.oom) {
        free(b.p);
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    }
    *text = b.p;
    *len = b.n;
    return 0;
}

BATON_API void baton_docindex_free(baton_docindex *ix)
{
    if (ix == NULL)
        return;
    for (size_t i = 0; i < ix->n; i++) {
        free(ix->entries[i].file);
        free(ix->entries[i].name);
        free(ix->entries[i].media_type);
    }
    free(ix->entries);
    ix->entries = NULL;
    ix->n = 0;
}

/* The reader: a cursor over the text. */
struct rd {
    const char *p, *end;
};

static int lit(struct rd *r, const char *s)
{
    size_t n = strlen(s);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, s, n) != 0)
        return -1;
    r->p += n;
    return 0;
}

/* A string as put_json writes it; *out is malloc'd. */
static int str(struct rd *r, char **out)
{
    struct buf b = {0};
    if (lit(r, "\"") < 0)
        return -1;
    while (r->p < r->end && *r->p != '"') {
        char c = *r->p++;
        if ((unsigned char)c < 0x20) {
            free(b.p);
            return -1;
        }
        if (c == '\\') {
            if (r->p >= r->end || (*r->p != '"' && *r->p != '\\')) {
                free(b.p);
                return -1;
            }
            c = *r->p++;
        }
        put(&b, &c, 1);
        if (b.n > BATON_DOCINDEX_NAME_MAX)
            break;
    }
    if (b.oom || b.n > BATON_DOCINDEX_NAME_MAX || lit(r, "\"") < 0) {
        free(b.p);
        return -1;
    }
    if (b.p == NULL && (b.p = calloc(1, 1)) == NULL)
        return -1;
    *out = b.p;
    return 0;
}

static int u64(struct rd *r, uint64_t *out)
{
    const char *s = r->p;
    uint64_t v = 0;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        uint64_t d = (uint64_t)(*r->p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
        r->p++;
    }
    if (r->p == s || (r->p - s > 1 && *s == '0'))
        return -1;
    *out = v;
    return 0;
}

static int hex64(struct rd *r, uint8_t out[32])
{
    if (r->end - r->p < 64)
        return -1;
    for (int i = 0; i < 64; i++) {
        char c = r->p[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            return -1;
        if (i % 2 == 0)
            out[i / 2] = (uint8_t)(v << 4);
        else
            out[i / 2] |= (uint8_t)v;
    }
    r->p += 64;
    return 0;
}

BATON_API int baton_docindex_parse(const char *text, size_t len, baton_docindex *out, char *err,
                                   size_t errlen)
{
    struct rd r = {text, text + len};
    size_t cap = 0;
    int rc;
    memset(out, 0, sizeof *out);
    if (lit(&r, HEAD) < 0) {
        rc = baton__fail(err, errlen, BATON_EINVAL,
                         "document index does not begin with the " BATON_DOCINDEX_TYPE " header");
        goto out;
    }
    for (int more = lit(&r, TAIL) < 0; more;) {
        if (out->n == cap) {
            size_t ncap = cap != 0 ? cap * 2 : 16;
            baton_docindex_entry *ne = realloc(out->entries, ncap * sizeof *ne);
            if (ne == NULL) {
                rc = baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
                goto out;
            }
            out->entries = ne;
            cap = ncap;
        }
        baton_docindex_entry *e = &out->entries[out->n];
        memset(e, 0, sizeof *e);
        out->n++;
        if (lit(&r, "{\"file\":") < 0 || str(&r, &e->file) < 0 || lit(&r, ",\"name\":") < 0 ||
            str(&r, &e->name) < 0 || lit(&r, ",\"media_type\":") < 0 ||
            str(&r, &e->media_type) < 0 || lit(&r, ",\"size\":") < 0 || u64(&r, &e->size) < 0 ||
            lit(&r, ",\"sha256\":\"") < 0 || hex64(&r, e->sha256) < 0 || lit(&r, "\"}") < 0) {
            rc = baton__fail(err, errlen, BATON_EINVAL,
                             "document index line %zu is not in the canonical form", out->n + 1);
            goto out;
        }
        if (lit(&r, ",\n") == 0) {
            more = 1;
        } else if (lit(&r, "\n") == 0 && lit(&r, TAIL) == 0) {
            more = 0;
        } else {
            rc = baton__fail(err, errlen, BATON_EINVAL,
                             "document index line %zu is not in the canonical form", out->n + 1);
            goto out;
        }
        if ((rc = entry_check(e, out->n - 1, err, errlen)) < 0)
            goto out;
        if (out->n > 1 && strcmp(out->entries[out->n - 2].file, e->file) >= 0) {
            rc = baton__fail(err, errlen, BATON_EINVAL,
                             "document index: files are not in strictly increasing byte order");
            goto out;
        }
    }
    if (r.p != r.end) {
        rc = baton__fail(err, errlen, BATON_EINVAL, "document index: text after the final ]}");
        goto out;
    }
    rc = 0;
out:
    if (rc < 0)
        baton_docindex_free(out);
    return rc;
}

BATON_API long baton_docindex_find(const baton_docindex *ix, const char *file)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ix->entries[mid].file, file);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}
