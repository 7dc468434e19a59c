/*
 * package_meta.c - the package's trusted comment (its signed metadata), UTC
 * time stamps and verdict names, as specified in baton/package.h.
 *
 * Owns the text forms only; packing and opening use them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "baton/error.h"
#include "baton/date.h"
#include "baton/package.h"
#include "fail.h"
#include "visibility.h"

static int name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '/' || c == '@' || c == '+' || c == '-';
}

static int alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int name_valid_n(const char *s, size_t n)
{
    if (n == 0 || n > BATON_PKG_NAME_MAX || !alnum(s[0]))
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!name_char(s[i]))
            return 0;
    }
    return 1;
}

BATON_API int baton_pkg_name_valid(const char *s)
{
    return s != NULL && name_valid_n(s, strlen(s));
}

BATON_API int baton_pkg_time_format(int64_t t, char out[21])
{
    /* Years 1970..9999 only, so the form stays fixed-width. */
    if (t < 0 || t > 253402300799LL)
        return BATON_ERANGE;
    int64_t rem = t % 86400;
    baton_date d = baton_days_to_date(t / 86400);
    snprintf(out, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)d.year, (int)d.month, (int)d.day,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
    return 0;
}

static int digits(const char *s, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 0;
}

BATON_API int baton_pkg_time_parse(const char *s, size_t len, int64_t *t)
{
    int y, mo, d, h, mi, se;
    if (len != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        s[19] != 'Z')
        return BATON_EINVAL;
    if (digits(s, 4, &y) < 0 || digits(s + 5, 2, &mo) < 0 || digits(s + 8, 2, &d) < 0 ||
        digits(s + 11, 2, &h) < 0 || digits(s + 14, 2, &mi) < 0 || digits(s + 17, 2, &se) < 0)
        return BATON_EINVAL;
    baton_date date = {y, mo, d};
    if (y < 1970 || !baton_date_valid(date) || h > 23 || mi > 59 || se > 59)
        return BATON_EINVAL;
    *t = baton_date_to_days(date) * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

BATON_API int baton_pkg_tc_format(const baton_pkg_meta *m, char *out, size_t outlen, char *err,
                                  size_t errlen)
{
    char c[21], e[21];
    if (!baton_pkg_name_valid(m->case_id) || !baton_pkg_name_valid(m->sender) ||
        !baton_pkg_name_valid(m->recipient))
        return baton__fail(err, errlen, BATON_EINVAL,
                           "case id, sender and recipient must be 1..%d characters of "
                           "[A-Za-z0-9._:/@+-] starting with a letter or digit",
                           BATON_PKG_NAME_MAX);
    if (m->sequence == 0 || m->sequence > INT64_MAX)
        return baton__fail(err, errlen, BATON_ERANGE, "sequence number must be 1..%" PRId64,
                           INT64_MAX);
    if (baton_pkg_time_format(m->created, c) < 0 || baton_pkg_time_format(m->expires, e) < 0)
        return baton__fail(err, errlen, BATON_ERANGE, "created or expiry time out of range");
    if (m->expires <= m->created)
        return baton__fail(err, errlen, BATON_ERANGE, "expiry must be after creation");
    int n = snprintf(out, outlen,
                     BATON_PKG_TC_TAG " case=%s sender=%s recipient=%s seq=%" PRIu64
                                      " created=%s expires=%s",
                     m->case_id, m->sender, m->recipient, m->sequence, c, e);
    if (n < 0 || (size_t)n >= outlen)
        return baton__fail(err, errlen, BATON_ELIMIT, "trusted comment too long");
    return 0;
}

/* Expects "key=" at *p, then a value up to the next space (or the end when
 * last); advances *p past the separator. */
static int field(const char **p, const char *key, int last, const char **v, size_t *vl)
{
    size_t kl = strlen(key);
    if (strncmp(*p, key, kl) != 0 || (*p)[kl] != '=')
        return -1;
    const char *s = *p + kl + 1;
    const char *end = strchr(s, ' ');
    if (last) {
        if (end != NULL)
            return -1;
        end = s + strlen(s);
    } else if (end == NULL) {
        return -1;
    }
    *v = s;
    *vl = (size_t)(end - s);
    *p = last ? end : end + 1;
    return 0;
}

static int copy_name(char *dst, const char *v, size_t vl)
{
    if (!name_valid_n(v, vl))
        return -1;
    memcpy(dst, v, vl);
    dst[vl] = '\0';
    return 0;
}

BATON_API int baton_pkg_tc_parse(const char *tc, baton_pkg_meta *m, char *err, size_t errlen)
{
    const char *p = tc, *v;
    size_t vl;
    memset(m, 0, sizeof *m);
    size_t tl = strlen(BATON_PKG_TC_TAG);
    if (strncmp(p, BATON_PKG_TC_TAG, tl) != 0 || p[tl] != ' ')
        return baton__fail(err, errlen, BATON_EINVAL, "trusted comment does not start with '%s '",
                           BATON_PKG_TC_TAG);
    p += tl + 1;
    if (field(&p, "case", 0, &v, &vl) < 0 || copy_name(m->case_id, v, vl) < 0)
        return baton__fail(err, errlen, BATON_EINVAL, "trusted comment: bad or missing case=");
    if (field(&p, "sender", 0, &v, &vl) < 0 || copy_name(m->sender, v, vl) < 0)
        return baton__fail(err, errlen, BATON_EINVAL, "trusted comment: bad or missing sender=");
    if (field(&p, "recipient", 0, &v, &vl) < 0 || copy_name(m->recipient, v, vl) < 0)
        return baton__fail(err, errlen, BATON_EINVAL, "trusted comment: bad or missing recipient=");
    if (field(&p, "seq", 0, &v, &vl) < 0 || vl == 0 || vl > 19 || v[0] == '0')
        return baton__fail(err, errlen, BATON_EINVAL, "trusted comment: bad or missing seq=");
    uint64_t seq = 0;
    for (size_t i = 0; i < vl; i++) {
        if (v[i] < '0' || v[i] > '9')
            return baton__fail(err, errlen, BATON_EINVAL, "trusted comment: bad seq=");
        seq = seq * 10 + (uint64_t)(v[i] - '0');
    }
    if (seq > INT64_MAX)
        return baton__fail(err, errlen, BATON_EINVAL, "trusted comment: seq= out of range");
    m->sequence = seq;
    if (field(&p, "created", 0, &v, &vl) < 0 || baton_pkg_time_parse(v, vl, &m->created) < 0)
        return baton__fail(err, errlen, BATON_EINVAL, "trusted comment: bad or missing created=");
    if (field(&p, "expires", 1, &v, &vl) < 0 || baton_pkg_time_parse(v, vl, &m->expires) < 0)
        return baton__fail(err, errlen, BATON_EINVAL, "trusted comment: bad or missing expires=");
    if (m->expires <= m->created)
        return baton__fail(err, errlen, BATON_EINVAL,
                           "trusted comment: expires is not after created");
    return 0;
}

BATON_API const char *baton_pkg_verdict_name(baton_pkg_verdict v)
{
    switch (v) {
    case BATON_PKG_OK:
        return "ok";
    case BATON_PKG_ERROR:
        return "error";
    case BATON_PKG_NOT_FOR_ME:
        return "not-for-me";
    case BATON_PKG_BAD_SIGNATURE:
        return "bad-signature";
    case BATON_PKG_UNTRUSTED:
        return "untrusted-sender";
    case BATON_PKG_TAMPERED:
        return "tampered";
    case BATON_PKG_EXTRA_FILE:
        return "extra-file";
    case BATON_PKG_MISSING_FILE:
        return "missing-file";
    case BATON_PKG_UNSAFE_PATH:
        return "unsafe-path";
    case BATON_PKG_REPLAYED:
        return "replayed";
    case BATON_PKG_EXPIRED:
        return "expired";
    case BATON_PKG_MALFORMED:
        return "malformed";
    }
    return "error";
}
