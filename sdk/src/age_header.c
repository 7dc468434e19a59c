/*
 * age_header.c - the age v1 header: building it for the encryptor, and
 * parsing, unwrapping and MAC-checking it for the decryptor.
 *
 * Format (age v1, https://age-encryption.org/v1 and C2SP's age.md):
 *   "age-encryption.org/v1\n"
 *   per stanza: "-> " type [" " arg]... "\n", then the body as unpadded
 *     canonical base64 in lines of exactly 64 columns, ended by one line of
 *     fewer than 64 (possibly empty)
 *   "--- " base64(HMAC-SHA256(HKDF(file key, "", "header"), header up to
 *     and including "---")) "\n"
 * X25519 stanza: "-> X25519 " base64(ephemeral share) with body
 *   ChaCha20-Poly1305(HKDF(shared, share | recipient,
 *   "age-encryption.org/v1/X25519"), nonce 0, file key).
 *
 * Strictness follows the reference implementation (age 1.1.1) and the C2SP
 * vectors: any syntax error is a header failure; unknown stanza types are
 * skipped; X25519 stanzas of the wrong shape and low-order shares are header
 * failures; an scrypt stanza must be alone.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "age_internal.h"
#include "b64.h"
#include "baton/error.h"
#include "hkdf.h"

#define HEADER_MAX      (1 << 20) /* bytes; age has no limit, we need one */
#define LINE_COLUMNS    64
#define BODY_LINE_BYTES 48

static const char intro[] = "age-encryption.org/v1\n";
static const char x25519_label[] = "age-encryption.org/v1/X25519";

static int mac_key(const uint8_t file_key[AGE_FILE_KEY_BYTES], uint8_t key[32])
{
    return baton__hkdf_sha256(key, 32, file_key, AGE_FILE_KEY_BYTES, NULL, 0,
                              (const uint8_t *)"header", 6);
}

int baton__age_payload_key(const uint8_t file_key[AGE_FILE_KEY_BYTES],
                           const uint8_t nonce[AGE_NONCE_BYTES], uint8_t key[32])
{
    return baton__hkdf_sha256(key, 32, file_key, AGE_FILE_KEY_BYTES, nonce, AGE_NONCE_BYTES,
                              (const uint8_t *)"payload", 7);
}

static int wrap_key(const uint8_t shared[32], const uint8_t share[32], const uint8_t recip[32],
                    uint8_t key[32])
{
    uint8_t salt[64];
    memcpy(salt, share, 32);
    memcpy(salt + 32, recip, 32);
    return baton__hkdf_sha256(key, 32, shared, 32, salt, sizeof salt, (const uint8_t *)x25519_label,
                              sizeof x25519_label - 1);
}

static void header_mac(const uint8_t file_key[AGE_FILE_KEY_BYTES], const uint8_t *hdr, size_t len,
                       uint8_t mac[32])
{
    uint8_t key[32];
    crypto_auth_hmacsha256_state st;
    mac_key(file_key, key);
    crypto_auth_hmacsha256_init(&st, key, sizeof key);
    crypto_auth_hmacsha256_update(&st, hdr, len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(key, sizeof key);
    sodium_memzero(&st, sizeof st);
}

int baton__age_header_build(const uint8_t file_key[AGE_FILE_KEY_BYTES],
                            const baton_age_recipient *r, size_t n, uint8_t **out, size_t *outlen,
                            char *err, size_t errlen)
{
    /* Per stanza: "-> X25519 " + 43 + "\n" + 43 + "\n". */
    size_t cap = sizeof intro + n * 100 + 64;
    char *h = malloc(cap);
    uint8_t eph[32], share[32], shared[32], key[32], body[AGE_FILE_KEY_BYTES + AGE_TAG_BYTES];
    uint8_t mac[32];
    static const uint8_t zero_nonce[12];
    size_t pos;
    int rc = 0;

    *out = NULL;
    *outlen = 0;
    if (h == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    memcpy(h, intro, sizeof intro - 1);
    pos = sizeof intro - 1;
    for (size_t i = 0; i < n; i++) {
        randombytes_buf(eph, sizeof eph);
        crypto_scalarmult_base(share, eph);
        if (crypto_scalarmult(shared, eph, r[i].pk) != 0) {
            rc =
                baton__fail(err, errlen, BATON_EINVAL, "recipient %zu is a low-order point", i + 1);
            goto out;
        }
        wrap_key(shared, share, r[i].pk, key);
        crypto_aead_chacha20poly1305_ietf_encrypt(body, NULL, file_key, AGE_FILE_KEY_BYTES, NULL, 0,
                                                  NULL, zero_nonce, key);
        memcpy(h + pos, "-> X25519 ", 10);
        pos += 10;
        baton__b64_encode(h + pos, share, sizeof share, 0);
        pos += 43;
        h[pos++] = '\n';
        baton__b64_encode(h + pos, body, sizeof body, 0);
        pos += 43;
        h[pos++] = '\n';
    }
    memcpy(h + pos, "---", 3);
    pos += 3;
    header_mac(file_key, (const uint8_t *)h, pos, mac);
    h[pos++] = ' ';
    baton__b64_encode(h + pos, mac, sizeof mac, 0);
    pos += 43;
    h[pos++] = '\n';
    *out = (uint8_t *)h;
    *outlen = pos;
    h = NULL;
out:
    sodium_memzero(eph, sizeof eph);
    sodium_memzero(shared, sizeof shared);
    sodium_memzero(key, sizeof key);
    free(h);
    return rc;
}

int baton__age_reader_fill(struct baton__age_reader *r, size_t want)
{
    if (r->len - r->pos >= want || r->eof)
        return 0;
    if (r->pos + want > r->cap) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    while (r->len - r->pos < want && r->len < r->cap) {
        long got = r->read(r->ctx, r->buf + r->len, r->cap - r->len);
        if (got < 0)
            return (int)got;
        if (got == 0) {
            r->eof = 1;
            break;
        }
        if ((size_t)got > r->cap - r->len)
            return BATON_EIO;
        r->len += (size_t)got;
    }
    return 0;
}

/* A parsed stanza we care about. */
struct x25519_stanza {
    uint8_t share[32];
    uint8_t body[AGE_FILE_KEY_BYTES + AGE_TAG_BYTES];
};

struct header {
    uint8_t *raw; /* the header bytes as read */
    size_t len, cap;
    size_t mac_end; /* offset just past "---" */
    uint8_t mac[32];
    struct x25519_stanza *x;
    size_t nx, capx;
    size_t nstanzas;
    int has_scrypt;
};

/* Appends the next line (with its LF) to h->raw; *line points at it. */
static int read_line(struct baton__age_reader *r, struct header *h, const char **line, size_t *n,
                     char *err, size_t errlen)
{
    size_t start = h->len;
    for (;;) {
        uint8_t *nl;
        size_t avail;
        int rc;
        if ((rc = baton__age_reader_fill(r, 1)) != 0)
            return baton__fail(err, errlen, rc, "reading the header failed");
        avail = r->len - r->pos;
        if (avail == 0)
            return baton__fail(err, errlen, BATON_EINVAL, "header truncated");
        nl = memchr(r->buf + r->pos, '\n', avail);
        size_t take = nl != NULL ? (size_t)(nl - (r->buf + r->pos)) + 1 : avail;
        if (h->len + take > HEADER_MAX)
            return baton__fail(err, errlen, BATON_EINVAL, "header too large");
        if (h->len + take > h->cap) {
            size_t ncap = h->cap ? h->cap * 2 : 4096;
            while (ncap < h->len + take)
                ncap *= 2;
            uint8_t *tmp = realloc(h->raw, ncap);
            if (tmp == NULL)
                return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
            h->raw = tmp;
            h->cap = ncap;
        }
        memcpy(h->raw + h->len, r->buf + r->pos, take);
        h->len += take;
        r->pos += take;
        if (nl != NULL)
            break;
    }
    *line = (const char *)h->raw + start;
    *n = h->len - start - 1; /* without the LF */
    return 0;
}

/* age's isValidString: non-empty, printable ASCII without space. */
static int valid_arg(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 33 || s[i] > 126)
            return 0;
    }
    return 1;
}

/* Splits on single spaces; returns the argument count or -1 when more than
 * max. */
static int split_args(const char *line, size_t n, const char **a, size_t *al, int max)
{
    int count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || line[i] == ' ') {
            if (count == max)
                return -1;
            a[count] = line + start;
            al[count] = i - start;
            count++;
            start = i + 1;
        }
    }
    return count;
}

#define MAX_ARGS 32

static int parse_stanza(struct baton__age_reader *r, struct header *h, const char *line, size_t n,
                        char *err, size_t errlen)
{
    const char *a[MAX_ARGS];
    size_t al[MAX_ARGS];
    uint8_t body[BODY_LINE_BYTES];
    uint8_t full[AGE_FILE_KEY_BYTES + AGE_TAG_BYTES + 1];
    size_t fulllen = 0, got;
    size_t arg_off[MAX_ARGS];
    int argc = split_args(line, n, a, al, MAX_ARGS);
    int is_x25519, rc;

    if (argc < 2 || al[0] != 2 || memcmp(a[0], "->", 2) != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "malformed stanza line");
    for (int i = 1; i < argc; i++) {
        if (!valid_arg(a[i], al[i]))
            return baton__fail(err, errlen, BATON_EINVAL, "invalid stanza argument");
        /* Remember offsets: reading the body may move h->raw. */
        arg_off[i] = (size_t)(a[i] - (const char *)h->raw);
    }
    h->nstanzas++;
    is_x25519 = al[1] == 6 && memcmp(a[1], "X25519", 6) == 0;
    if (al[1] == 6 && memcmp(a[1], "scrypt", 6) == 0)
        h->has_scrypt = 1;
    if (is_x25519) {
        if (h->nx == h->capx) {
            size_t ncap = h->capx ? h->capx * 2 : 4;
            struct x25519_stanza *tmp = realloc(h->x, ncap * sizeof *tmp);
            if (tmp == NULL)
                return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
            h->x = tmp;
            h->capx = ncap;
        }
        if (argc != 3)
            return baton__fail(err, errlen, BATON_EINVAL,
                               "invalid X25519 stanza: wants exactly one argument");
    }
    /* Body: full 64-column lines, then one short line. */
    for (;;) {
        const char *bl;
        size_t bn;
        if ((rc = read_line(r, h, &bl, &bn, err, errlen)) != 0)
            return rc;
        if (bn > LINE_COLUMNS || baton__b64_decode(bl, bn, body, sizeof body, &got, 0) != 0)
            return baton__fail(err, errlen, BATON_EINVAL,
                               "malformed stanza body line (must be canonical unpadded "
                               "base64, at most 64 columns, ending with a short line)");
        if (is_x25519) {
            if (fulllen + got > sizeof full - 1)
                return baton__fail(err, errlen, BATON_EINVAL,
                                   "invalid X25519 stanza: body is not 32 bytes");
            memcpy(full + fulllen, body, got);
        }
        fulllen += got;
        if (got < BODY_LINE_BYTES)
            break;
    }
    if (is_x25519) {
        struct x25519_stanza *s = &h->x[h->nx];
        const char *share = (const char *)h->raw + arg_off[2];
        if (baton__b64_decode(share, al[2], s->share, sizeof s->share, &got, 0) != 0 || got != 32)
            return baton__fail(err, errlen, BATON_EINVAL,
                               "invalid X25519 stanza: share is not canonical base64 of 32 "
                               "bytes");
        if (fulllen != sizeof s->body)
            return baton__fail(err, errlen, BATON_EINVAL,
                               "invalid X25519 stanza: body is not 32 bytes");
        memcpy(s->body, full, sizeof s->body);
        h->nx++;
    }
    return 0;
}

static int parse_header(struct baton__age_reader *r, struct header *h, char *err, size_t errlen)
{
    const char *line;
    size_t n;
    int rc;

    if ((rc = read_line(r, h, &line, &n, err, errlen)) != 0)
        return rc;
    if (n + 1 != sizeof intro - 1 || memcmp(line, intro, n + 1) != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "not an age v1 file (unexpected first line)");
    for (;;) {
        if ((rc = read_line(r, h, &line, &n, err, errlen)) != 0)
            return rc;
        if (n >= 3 && memcmp(line, "---", 3) == 0) {
            size_t got;
            if (n < 4 || line[3] != ' ' ||
                baton__b64_decode(line + 4, n - 4, h->mac, sizeof h->mac, &got, 0) != 0 ||
                got != 32)
                return baton__fail(err, errlen, BATON_EINVAL, "malformed closing line");
            h->mac_end = (size_t)(line - (const char *)h->raw) + 3;
            break;
        }
        if (n >= 2 && memcmp(line, "->", 2) == 0) {
            if ((rc = parse_stanza(r, h, line, n, err, errlen)) != 0)
                return rc;
            continue;
        }
        return baton__fail(err, errlen, BATON_EINVAL, "unexpected line in header");
    }
    if (h->nstanzas == 0)
        return baton__fail(err, errlen, BATON_EINVAL, "header has no recipient stanzas");
    if (h->has_scrypt && h->nstanzas != 1)
        return baton__fail(err, errlen, BATON_EINVAL, "an scrypt stanza must be the only one");
    return 0;
}

/* 1: unwrapped; 0: not for this identity; <0: header failure. */
static int unwrap(const baton_age_identity *id, const struct x25519_stanza *s,
                  uint8_t file_key[AGE_FILE_KEY_BYTES])
{
    static const uint8_t zero_nonce[12];
    uint8_t shared[32], key[32];
    int rc;

    if (crypto_scalarmult(shared, id->sk, s->share) != 0)
        return BATON_EINVAL; /* all-zero shared secret: low-order share */
    wrap_key(shared, s->share, id->pk, key);
    rc = crypto_aead_chacha20poly1305_ietf_decrypt(file_key, NULL, NULL, s->body, sizeof s->body,
                                                   NULL, 0, zero_nonce, key) == 0;
    sodium_memzero(shared, sizeof shared);
    sodium_memzero(key, sizeof key);
    return rc;
}

int baton__age_header_open(struct baton__age_reader *r, baton_age_identity *const *ids, size_t n,
                           uint8_t file_key[AGE_FILE_KEY_BYTES], char *err, size_t errlen)
{
    struct header h;
    uint8_t mac[32];
    int found = 0;
    int rc;

    memset(&h, 0, sizeof h);
    if ((rc = parse_header(r, &h, err, errlen)) != 0)
        goto out;
    /* Identities outer, stanzas inner, as age does. */
    for (size_t i = 0; i < n && !found; i++) {
        for (size_t j = 0; j < h.nx && !found; j++) {
            int u = unwrap(ids[i], &h.x[j], file_key);
            if (u < 0) {
                rc = baton__fail(err, errlen, BATON_EINVAL,
                                 "X25519 stanza %zu has a low-order share", j + 1);
                goto out;
            }
            found = u;
        }
    }
    if (!found) {
        rc = baton__fail(err, errlen, BATON_ENOENT,
                         "no identity matches any of the %zu recipient stanza(s)", h.nstanzas);
        goto out;
    }
    header_mac(file_key, h.raw, h.mac_end, mac);
    if (sodium_memcmp(mac, h.mac, sizeof mac) != 0) {
        rc = baton__fail(err, errlen, BATON_ECRYPTO, "header MAC does not verify");
        goto out;
    }
    rc = 0;
out:
    if (rc != 0)
        sodium_memzero(file_key, AGE_FILE_KEY_BYTES);
    free(h.raw);
    free(h.x);
    return rc;
}
