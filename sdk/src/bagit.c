/*
 * bagit.c - bag path rules, manifest lines, bagit.txt and bag-info.txt
 * (the strict BagIt 1.0 subset described in baton/bagit.h).
 *
 * Owns parsing and writing of those text forms only; it never touches the
 * file system, tar or signatures. The rule for each path component is the
 * one name rule of names.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "baton/bagit.h"
#include "baton/error.h"
#include "baton/names.h"
#include "fail.h"
#include "visibility.h"

BATON_API int baton_bagit_path_check(const char *path, size_t len, char *err, size_t errlen)
{
    if (path == NULL || len == 0)
        return baton__fail(err, errlen, BATON_EINVAL, "empty path");
    if (len > BATON_BAGIT_PATH_MAX)
        return baton__fail(err, errlen, BATON_EINVAL, "path longer than %d bytes",
                           BATON_BAGIT_PATH_MAX);
    if (path[0] == '/')
        return baton__fail(err, errlen, BATON_EINVAL, "absolute path");
    if (memchr(path, '\0', len) != NULL)
        return baton__fail(err, errlen, BATON_EINVAL, "NUL in path");
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && path[i] != '/')
            continue;
        char why[200];
        if (i == start)
            return baton__fail(err, errlen, BATON_EINVAL, "empty path component at byte %zu",
                               start);
        if (baton_name_check(path + start, i - start, why, sizeof why) < 0)
            return baton__fail(err, errlen, BATON_EINVAL, "path component at byte %zu: %s", start,
                               why);
        start = i + 1;
    }
    return 0;
}

/* RFC 8493 section 2.1.3: a manifest path has '%', CR and LF written as
 * %25, %0D and %0A (hex digits of either case, RFC 3986 section 2.1); any
 * other '%' is refused. Decodes p[0..n) into out (n + 1 bytes). */
static int percent_decode(const char *p, size_t n, char *out, size_t *outlen)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '%') {
            out[w++] = p[i];
            continue;
        }
        if (n - i < 3)
            return -1;
        char a = p[i + 1], b = p[i + 2];
        if (a == '2' && b == '5')
            out[w++] = '%';
        else if (a == '0' && (b == 'D' || b == 'd'))
            out[w++] = '\r';
        else if (a == '0' && (b == 'A' || b == 'a'))
            out[w++] = '\n';
        else
            return -1;
        i += 2;
    }
    out[w] = '\0';
    *outlen = w;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int cmp_bytes(const char *a, const char *b)
{
    return strcmp(a, b); /* strcmp compares as unsigned char */
}

BATON_API void baton_bagit_manifest_free(baton_bagit_manifest *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->entries[i].path);
    free(m->entries);
    m->entries = NULL;
    m->n = 0;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

BATON_API int baton_bagit_manifest_parse(const char *text, size_t len, baton_bagit_manifest *out,
                                         char *err, size_t errlen)
{
    int rc = BATON_ENOMEM;
    char **keys = NULL;
    size_t cap = 0, line = 0;
    out->entries = NULL;
    out->n = 0;
    if (len > 0 && text[len - 1] != '\n') {
        rc = baton__fail(err, errlen, BATON_EINVAL, "manifest does not end with a newline");
        goto out;
    }
    size_t pos = 0;
    while (pos < len) {
        line++;
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t ll = (size_t)(nl - (text + pos));
        const char *l = text + pos;
        if (ll < 67 || l[64] != ' ' || l[65] != ' ') {
            rc = baton__fail(err, errlen, BATON_EINVAL,
                             "manifest line %zu is not '<64 hex><two spaces><path>'", line);
            goto out;
        }
        if (memchr(l, '\r', ll) != NULL) {
            rc = baton__fail(err, errlen, BATON_EINVAL, "manifest line %zu contains CR", line);
            goto out;
        }
        if (out->n == cap) {
            size_t ncap = cap != 0 ? cap * 2 : 16;
            baton_bagit_entry *ne = realloc(out->entries, ncap * sizeof *ne);
            if (ne == NULL)
                goto out;
            out->entries = ne;
            cap = ncap;
        }
        baton_bagit_entry *e = &out->entries[out->n];
        for (int i = 0; i < 32; i++) {
            int hi = hexval(l[2 * i]), lo = hexval(l[2 * i + 1]);
            if (hi < 0 || lo < 0) {
                rc = baton__fail(err, errlen, BATON_EINVAL,
                                 "manifest line %zu: digest is not 64 lower-case hex digits", line);
                goto out;
            }
            e->sha256[i] = (uint8_t)(hi << 4 | lo);
        }
        const char *p = l + 66;
        size_t pl = ll - 66, dl;
        char perr[256];
        e->path = malloc(pl + 1);
        if (e->path == NULL)
            goto out;
        out->n++;
        if (percent_decode(p, pl, e->path, &dl) < 0) {
            rc = baton__fail(err, errlen, BATON_EINVAL,
                             "manifest line %zu: '%%' in a path must begin %%25, %%0D or %%0A "
                             "(RFC 8493 section 2.1.3)",
                             line);
            goto out;
        }
        if (baton_bagit_path_check(e->path, dl, perr, sizeof perr) < 0) {
            rc = baton__fail(err, errlen, BATON_EINVAL, "manifest line %zu: %s", line, perr);
            goto out;
        }
        /* Encoding keeps the byte order ('%' becomes "%25"; decoded CR and
         * LF are refused above), so decoded paths are compared. */
        if (out->n > 1 && cmp_bytes(out->entries[out->n - 2].path, e->path) >= 0) {
            rc = baton__fail(err, errlen, BATON_EINVAL,
                             "manifest line %zu: paths are not in strictly increasing byte order",
                             line);
            goto out;
        }
        pos += ll + 1;
    }
    /* No two paths may have the same key (baton/names.h). */
    if (out->n > 1) {
        keys = calloc(out->n, sizeof *keys);
        if (keys == NULL)
            goto out;
        for (size_t i = 0; i < out->n; i++) {
            if (baton_name_key(out->entries[i].path, strlen(out->entries[i].path), &keys[i]) < 0)
                goto out;
        }
        qsort(keys, out->n, sizeof *keys, key_cmp);
        for (size_t i = 1; i < out->n; i++) {
            if (strcmp(keys[i - 1], keys[i]) == 0) {
                rc = baton__fail(err, errlen, BATON_EINVAL,
                                 "manifest lists two paths that are the same name up to letter "
                                 "case or Unicode compatibility forms");
                goto out;
            }
        }
    }
    rc = 0;
out:
    if (keys != NULL) {
        for (size_t i = 0; i < out->n; i++)
            free(keys[i]);
        free(keys);
    }
    if (rc < 0)
        baton_bagit_manifest_free(out);
    return rc;
}

BATON_API long baton_bagit_manifest_find(const baton_bagit_manifest *m, const char *path)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_bytes(m->entries[mid].path, path);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

BATON_API int baton_bagit_manifest_append(char **buf, size_t *len, size_t *cap,
                                          const uint8_t sha256[32], const char *path, char *err,
                                          size_t errlen)
{
    static const char hex[] = "0123456789abcdef";
    size_t pl = strlen(path);
    int rc = baton_bagit_path_check(path, pl, err, errlen);
    if (rc < 0)
        return rc;
    size_t pct = 0;
    for (size_t i = 0; i < pl; i++)
        pct += path[i] == '%';
    size_t need = *len + 64 + 2 + pl + 2 * pct + 1;
    if (need > *cap) {
        size_t ncap = *cap != 0 ? *cap : 256;
        while (ncap < need)
            ncap *= 2;
        char *nb = realloc(*buf, ncap);
        if (nb == NULL)
            return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
        *buf = nb;
        *cap = ncap;
    }
    char *w = *buf + *len;
    for (int i = 0; i < 32; i++) {
        *w++ = hex[sha256[i] >> 4];
        *w++ = hex[sha256[i] & 15];
    }
    *w++ = ' ';
    *w++ = ' ';
    for (size_t i = 0; i < pl; i++) {
        *w++ = path[i];
        if (path[i] == '%') { /* RFC 8493 section 2.1.3 */
            *w++ = '2';
            *w++ = '5';
        }
    }
    *w++ = '\n';
    *len = need;
    return 0;
}

BATON_API void baton_bagit_info_free(baton_bagit_info *info)
{
    if (info == NULL)
        return;
    free(info->text);
    free(info->fields);
    info->text = NULL;
    info->fields = NULL;
    info->n = 0;
}

static int value_ok(const char *v, size_t n)
{
    if (n == 0 || v[0] == ' ' || v[n - 1] == ' ')
        return 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = baton__utf8_next((const unsigned char *)v + i, n - i, &cp);
        if (k == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
            return 0;
        i += k;
    }
    return 1;
}

BATON_API int baton_bagit_info_parse(const char *text, size_t len, baton_bagit_info *out, char *err,
                                     size_t errlen)
{
    static const char *const unique[] = {"Payload-Oxum", "External-Identifier",
                                         "Source-Organization"};
    int rc = BATON_ENOMEM;
    size_t cap = 0, line = 0;
    memset(out, 0, sizeof *out);
    if (len == 0 || text[len - 1] != '\n') {
        rc = baton__fail(err, errlen, BATON_EINVAL,
                         "bag-info.txt is empty or lacks a final newline");
        goto out;
    }
    out->text = malloc(len + 1);
    if (out->text == NULL)
        goto out;
    memcpy(out->text, text, len);
    out->text[len] = '\0';
    size_t pos = 0;
    while (pos < len) {
        line++;
        char *l = out->text + pos;
        char *nl = memchr(l, '\n', len - pos);
        size_t ll = (size_t)(nl - l);
        *nl = '\0';
        char *colon = memchr(l, ':', ll);
        if (colon == NULL || colon == l || colon + 1 >= nl || colon[1] != ' ') {
            rc = baton__fail(err, errlen, BATON_EINVAL,
                             "bag-info.txt line %zu is not 'Label: value'", line);
            goto out;
        }
        if (!((l[0] >= 'A' && l[0] <= 'Z') || (l[0] >= 'a' && l[0] <= 'z'))) {
            rc = baton__fail(err, errlen, BATON_EINVAL, "bag-info.txt line %zu: bad label", line);
            goto out;
        }
        for (char *c = l; c < colon; c++) {
            if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
                  (*c >= '0' && *c <= '9') || *c == '-')) {
                rc = baton__fail(err, errlen, BATON_EINVAL, "bag-info.txt line %zu: bad label",
                                 line);
                goto out;
            }
        }
        char *v = colon + 2;
        if (!value_ok(v, (size_t)(nl - v))) {
            rc = baton__fail(err, errlen, BATON_EINVAL,
                             "bag-info.txt line %zu: empty value, stray whitespace or control "
                             "character",
                             line);
            goto out;
        }
        *colon = '\0';
        if (out->n == cap) {
            size_t ncap = cap != 0 ? cap * 2 : 8;
            void *nf = realloc(out->fields, ncap * sizeof *out->fields);
            if (nf == NULL)
                goto out;
            out->fields = nf;
            cap = ncap;
        }
        for (size_t u = 0; u < sizeof unique / sizeof unique[0]; u++) {
            if (strcmp(l, unique[u]) == 0 && baton_bagit_info_get(out, l) != NULL) {
                rc = baton__fail(err, errlen, BATON_EINVAL, "bag-info.txt repeats %s", unique[u]);
                goto out;
            }
        }
        out->fields[out->n].label = l;
        out->fields[out->n].value = v;
        out->n++;
        pos += ll + 1;
    }
    rc = 0;
out:
    if (rc < 0)
        baton_bagit_info_free(out);
    return rc;
}

BATON_API const char *baton_bagit_info_get(const baton_bagit_info *info, const char *label)
{
    for (size_t i = 0; i < info->n; i++) {
        if (strcmp(info->fields[i].label, label) == 0)
            return info->fields[i].value;
    }
    return NULL;
}

static int parse_u64(const char *s, size_t n, uint64_t *out)
{
    if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

BATON_API int baton_bagit_oxum_parse(const char *value, uint64_t *octets, uint64_t *streams)
{
    const char *dot = strchr(value, '.');
    if (dot == NULL)
        return BATON_EINVAL;
    if (parse_u64(value, (size_t)(dot - value), octets) < 0 ||
        parse_u64(dot + 1, strlen(dot + 1), streams) < 0)
        return BATON_EINVAL;
    return 0;
}
