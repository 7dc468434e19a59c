/*
 * package_case.c - case.json bound to the signed case id (see
 * package_case.h).
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "baton/error.h"
#include "fail.h"
#include "package_case.h"

/* 1 when s[0..len) is valid, shortest-form UTF-8 without NUL. */
static int utf8_text(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        unsigned cp;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xE0) == 0xC0)
            n = 2, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
            n = 3, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0)
            n = 4, cp = c & 0x07;
        else
            return 0;
        if (i + n > len)
            return 0;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n;
    }
    return 1;
}

/* 1 when the text holds the escape \u0000, which JSON readers built on C
 * strings (cJSON among them) silently cut a string at. */
static int escaped_nul(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] != '\\')
            continue;
        if (s[i + 1] == 'u' && i + 5 < len && memcmp(s + i + 2, "0000", 4) == 0)
            return 1;
        i++; /* skip the escaped character: "\\\\" then "u0000" is text */
    }
    return 0;
}

int pkg_case_check(const char *json, size_t len, const char *case_id, char *err, size_t errlen)
{
    const char *end = NULL;
    int rc;
    if (!utf8_text((const unsigned char *)json, len))
        return baton__fail(err, errlen, BATON_EINVAL,
                           "data/case.json is not UTF-8 text (invalid bytes or NUL)");
    if (escaped_nul(json, len))
        return baton__fail(err, errlen, BATON_EINVAL, "data/case.json contains \\u0000");
    cJSON *c = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (c == NULL) {
        size_t at = end != NULL && end >= json ? (size_t)(end - json) : 0;
        return baton__fail(err, errlen, BATON_EINVAL,
                           "data/case.json is not JSON (syntax error near byte %zu)", at);
    }
    /* Only white space may follow the value. */
    for (const char *p = end; p < json + len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            rc = baton__fail(err, errlen, BATON_EINVAL,
                             "data/case.json is not JSON (text after the value at byte %zu)",
                             (size_t)(p - json));
            goto out;
        }
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "case_id");
    if (!cJSON_IsObject(c)) {
        rc = baton__fail(err, errlen, BATON_EINVAL, "data/case.json is not a JSON object");
    } else if (!cJSON_IsString(id) || id->valuestring == NULL) {
        rc = baton__fail(err, errlen, BATON_EINVAL, "data/case.json has no \"case_id\" string");
    } else if (strcmp(id->valuestring, case_id) != 0) {
        /* Raw: the caller escapes the whole message (baton/escape.h). */
        rc = baton__fail(err, errlen, BATON_EINVAL,
                         "data/case.json has case_id \"%.160s\", but the package is signed for "
                         "case %s",
                         id->valuestring, case_id);
    } else {
        rc = 0;
    }
out:
    cJSON_Delete(c);
    return rc;
}
