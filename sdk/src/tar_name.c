/*
 * tar_name.c - reads the name fields of an entry's raw tar header blocks
 * (see tar_name.h). Formats: POSIX ustar (name, prefix), pax extended
 * headers ('x', record "path"), GNU long names ('L'); 'g' (pax global) and
 * 'K' (GNU long link) blocks are stepped over.
 */
#include <string.h>

#include "tar_name.h"

#define BLOCK 512

/* The size field at b[124..136): octal digits (leading spaces or zeros,
 * ended by NUL or space), or base-256 when the high bit is set. */
static int field_size(const uint8_t *b, uint64_t *out)
{
    const uint8_t *f = b + 124;
    uint64_t v = 0;
    if (f[0] & 0x80) {
        if (f[0] != 0x80 || f[1] != 0 || f[2] != 0 || f[3] != 0)
            return -1; /* negative or beyond 64 bits */
        for (int i = 4; i < 12; i++)
            v = v << 8 | f[i];
        *out = v;
        return 0;
    }
    int i = 0, digits = 0;
    while (i < 12 && f[i] == ' ')
        i++;
    for (; i < 12 && f[i] >= '0' && f[i] <= '7'; i++, digits++)
        v = v << 3 | (uint64_t)(f[i] - '0');
    if (digits == 0 || (i < 12 && f[i] != ' ' && f[i] != '\0'))
        return -1;
    *out = v;
    return 0;
}

/* The value of the last "path" record of pax data d[0..n), or NULL. A
 * record is "<len> <key>=<value>\n" with len counting the whole record. */
static int pax_path(const uint8_t *d, size_t n, const uint8_t **val, size_t *vlen)
{
    size_t pos = 0;
    *val = NULL;
    while (pos < n) {
        size_t len = 0, i = pos;
        while (i < n && d[i] >= '0' && d[i] <= '9' && len < 1000000)
            len = len * 10 + (size_t)(d[i++] - '0');
        if (i == pos || i >= n || d[i] != ' ' || len <= i - pos + 1 || len > n - pos ||
            d[pos + len - 1] != '\n')
            return -1;
        const uint8_t *key = d + i + 1, *end = d + pos + len - 1;
        const uint8_t *eq = memchr(key, '=', (size_t)(end - key));
        if (eq == NULL)
            return -1;
        if (eq - key == 4 && memcmp(key, "path", 4) == 0) {
            *val = eq + 1;
            *vlen = (size_t)(end - (eq + 1));
        }
        pos += len;
    }
    return 0;
}

static size_t field_len(const uint8_t *f, size_t max)
{
    const uint8_t *z = memchr(f, '\0', max);
    return z != NULL ? (size_t)(z - f) : max;
}

int pkg_tar_header_name(const uint8_t *h, size_t n, char *out, size_t outcap, size_t *outlen)
{
    const uint8_t *ext = NULL;
    size_t ext_len = 0, pos = 0;
    int named = 0;
    while (pos + BLOCK <= n) {
        const uint8_t *b = h + pos;
        uint8_t type = b[156];
        uint64_t size;
        if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
            if (field_size(b, &size) < 0 || size > n - pos - BLOCK)
                return -1;
            const uint8_t *data = b + BLOCK;
            if (type == 'x') {
                const uint8_t *v;
                size_t vl;
                if (pax_path(data, (size_t)size, &v, &vl) < 0)
                    return -1;
                if (v != NULL) {
                    ext = v;
                    ext_len = vl;
                    named++;
                }
            } else if (type == 'L') {
                ext = data;
                ext_len = field_len(data, (size_t)size);
                named++;
            }
            size_t blocks = (size_t)((size + BLOCK - 1) / BLOCK);
            pos += BLOCK + blocks * BLOCK;
            continue;
        }
        /* The entry's own header: the last block. */
        if (pos + BLOCK != n || named > 1)
            return -1;
        if (named == 1) {
            if (ext_len + 1 > outcap)
                return -1;
            memcpy(out, ext, ext_len);
            *outlen = ext_len;
        } else {
            size_t nl = field_len(b, 100), pl = 0;
            if (memcmp(b + 257, "ustar\0", 6) == 0)
                pl = field_len(b + 345, 155);
            if (pl + 1 + nl + 1 > outcap)
                return -1;
            size_t w = 0;
            if (pl > 0) {
                memcpy(out, b + 345, pl);
                out[pl] = '/';
                w = pl + 1;
            }
            memcpy(out + w, b, nl);
            *outlen = w + nl;
        }
        out[*outlen] = '\0';
        return 0;
    }
    return -1;
}
