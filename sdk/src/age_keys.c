/*
 * age_keys.c - age X25519 identities and recipients and their text forms.
 *
 * Owns: generation, Bech32 encoding ("age1..." lower case, "AGE-SECRET-KEY-1"
 * upper case), strict parsing, identity files as age-keygen writes them and
 * as age reads them. Does not own: encryption (age_encrypt.c, age_decrypt.c).
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "age_internal.h"
#include "baton/error.h"
#include "bech32.h"
#include "secfile.h"
#include "visibility.h"

#define IDENTITY_FILE_MAX (1 << 20)

static const char hrp_recipient[] = "age";
static const char hrp_identity[] = "AGE-SECRET-KEY-";

BATON_API int baton_age_identity_generate(baton_age_identity **out, char *err, size_t errlen)
{
    baton_age_identity *id;

    *out = NULL;
    if (sodium_init() < 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "libsodium failed to initialise");
    id = sodium_malloc(sizeof *id);
    if (id == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of secure memory");
    randombytes_buf(id->sk, sizeof id->sk);
    crypto_scalarmult_base(id->pk, id->sk);
    *out = id;
    return 0;
}

BATON_API void baton_age_identity_free(baton_age_identity *id)
{
    if (id == NULL)
        return;
    sodium_memzero(id, sizeof *id);
    sodium_free(id);
}

BATON_API void baton_age_identity_recipient(const baton_age_identity *id, baton_age_recipient *out)
{
    memcpy(out->pk, id->pk, sizeof out->pk);
}

BATON_API int baton_age_identity_parse(const char *s, size_t len, baton_age_identity **out,
                                       char *err, size_t errlen)
{
    char hrp[32];
    uint8_t data[BATON_AGE_KEY_BYTES + 8];
    size_t n = 0;
    baton_age_identity *id;
    int rc = BATON_EINVAL;

    *out = NULL;
    if (sodium_init() < 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "libsodium failed to initialise");
    if (len != BATON_AGE_IDENTITY_LEN ||
        baton__bech32_decode(s, len, hrp, sizeof hrp, data, sizeof data, &n) != 0) {
        baton__fail(err, errlen, rc, "malformed age identity (not valid Bech32)");
        goto out;
    }
    if (strcmp(hrp, hrp_identity) != 0 || n != BATON_AGE_KEY_BYTES) {
        baton__fail(err, errlen, rc, "not an age X25519 identity (AGE-SECRET-KEY-1...)");
        goto out;
    }
    rc = BATON_ENOMEM;
    id = sodium_malloc(sizeof *id);
    if (id == NULL) {
        baton__fail(err, errlen, rc, "out of secure memory");
        goto out;
    }
    memcpy(id->sk, data, sizeof id->sk);
    crypto_scalarmult_base(id->pk, id->sk);
    *out = id;
    rc = 0;
out:
    sodium_memzero(data, sizeof data);
    return rc;
}

BATON_API void baton_age_identity_encode(const baton_age_identity *id,
                                         char out[BATON_AGE_IDENTITY_LEN + 1])
{
    /* Cannot fail: the length is fixed and within Bech32's limit. */
    (void)baton__bech32_encode(out, BATON_AGE_IDENTITY_LEN + 1, "age-secret-key-", id->sk,
                               sizeof id->sk, 1);
}

BATON_API int baton_age_recipient_parse(const char *s, size_t len, baton_age_recipient *out,
                                        char *err, size_t errlen)
{
    char hrp[32];
    uint8_t data[BATON_AGE_KEY_BYTES + 8];
    size_t n = 0;

    if (len != BATON_AGE_RECIPIENT_LEN ||
        baton__bech32_decode(s, len, hrp, sizeof hrp, data, sizeof data, &n) != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "malformed age recipient (not valid Bech32)");
    if (strcmp(hrp, hrp_recipient) != 0 || n != BATON_AGE_KEY_BYTES)
        return baton__fail(err, errlen, BATON_EINVAL, "not an age X25519 recipient (age1...)");
    memcpy(out->pk, data, sizeof out->pk);
    return 0;
}

BATON_API void baton_age_recipient_encode(const baton_age_recipient *r,
                                          char out[BATON_AGE_RECIPIENT_LEN + 1])
{
    (void)baton__bech32_encode(out, BATON_AGE_RECIPIENT_LEN + 1, hrp_recipient, r->pk, sizeof r->pk,
                               0);
}

BATON_API void baton_age_text_free(char *text)
{
    if (text == NULL)
        return;
    sodium_memzero(text, strlen(text));
    sodium_free(text);
}

/* RFC 3339 in the local zone, as Go's time.RFC3339 prints it. */
static void rfc3339(time_t t, char out[40])
{
    struct tm tm;
    long off;
    localtime_r(&t, &tm);
    strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    off = tm.tm_gmtoff;
    if (off == 0) {
        strcat(out, "Z");
    } else {
        char z[16];
        char sign = off < 0 ? '-' : '+';
        if (off < 0)
            off = -off;
        snprintf(z, sizeof z, "%c%02ld:%02ld", sign, (off / 3600) % 100, (off / 60) % 60);
        strcat(out, z);
    }
}

BATON_API int baton_age_identity_file_encode(const baton_age_identity *id, time_t created,
                                             char **out, size_t *outlen, char *err, size_t errlen)
{
    char when[40];
    char rec[BATON_AGE_RECIPIENT_LEN + 1];
    char key[BATON_AGE_IDENTITY_LEN + 1];
    baton_age_recipient r;
    size_t cap = 256;
    char *text;
    int n;

    *out = NULL;
    if (outlen != NULL)
        *outlen = 0;
    if (sodium_init() < 0)
        return baton__fail(err, errlen, BATON_ECRYPTO, "libsodium failed to initialise");
    text = sodium_malloc(cap);
    if (text == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of secure memory");
    rfc3339(created != 0 ? created : time(NULL), when);
    baton_age_identity_recipient(id, &r);
    baton_age_recipient_encode(&r, rec);
    baton_age_identity_encode(id, key);
    n = snprintf(text, cap, "# created: %s\n# public key: %s\n%s\n", when, rec, key);
    sodium_memzero(key, sizeof key);
    if (n < 0 || (size_t)n >= cap) {
        sodium_memzero(text, cap);
        sodium_free(text);
        return baton__fail(err, errlen, BATON_EINVAL, "identity file too long");
    }
    *out = text;
    if (outlen != NULL)
        *outlen = (size_t)n;
    return 0;
}

BATON_API void baton_age_identities_free(baton_age_identity **ids, size_t n)
{
    if (ids == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        baton_age_identity_free(ids[i]);
    free(ids);
}

BATON_API int baton_age_identities_parse(const char *text, size_t len, baton_age_identity ***out,
                                         size_t *n, char *err, size_t errlen)
{
    baton_age_identity **ids = NULL;
    size_t count = 0, cap = 0, pos = 0, lineno = 0;
    int rc = 0;

    *out = NULL;
    *n = 0;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl != NULL ? (size_t)(nl - line) : len - pos;
        pos += ll + (nl != NULL ? 1 : 0);
        lineno++;
        /* bufio.ScanLines drops one trailing CR. */
        if (ll > 0 && line[ll - 1] == '\r')
            ll--;
        if (ll == 0 || line[0] == '#')
            continue;
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            baton_age_identity **tmp = realloc(ids, ncap * sizeof *tmp);
            if (tmp == NULL) {
                rc = baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
                goto out;
            }
            ids = tmp;
            cap = ncap;
        }
        if ((rc = baton_age_identity_parse(line, ll, &ids[count], NULL, 0)) != 0) {
            baton__fail(err, errlen, rc, "line %zu: not an age X25519 identity", lineno);
            goto out;
        }
        count++;
    }
    if (count == 0) {
        rc = baton__fail(err, errlen, BATON_ENOENT, "no identities found");
        goto out;
    }
    *out = ids;
    *n = count;
    ids = NULL;
    count = 0;
out:
    baton_age_identities_free(ids, count);
    return rc;
}

BATON_API int baton_age_identity_save(const baton_age_identity *id, const char *path, int overwrite,
                                      char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    int rc = baton_age_identity_file_encode(id, 0, &text, &len, err, errlen);
    if (rc != 0)
        return rc;
    rc = baton__secfile_write(path, text, len, 0600, overwrite, err, errlen);
    baton_age_text_free(text);
    return rc;
}

BATON_API int baton_age_identities_load(const char *path, baton_age_identity ***out, size_t *n,
                                        char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    int rc = baton__secfile_read(path, IDENTITY_FILE_MAX, &text, &len, err, errlen);
    *out = NULL;
    *n = 0;
    if (rc != 0)
        return rc;
    rc = baton_age_identities_parse(text, len, out, n, err, errlen);
    baton__secfile_free(text, len);
    return rc;
}
