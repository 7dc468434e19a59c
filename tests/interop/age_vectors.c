/*
 * age_vectors.c - runs the C2SP age test vectors (npm package cctv-age,
 * unpacked by tools/fetch-test-vectors) through libbaton's age decryptor.
 *
 * Vector format (cctv-age README): "key: value" header lines, an empty
 * line, then the age file, zlib-compressed when "compressed: zlib". Keys
 * used here: expect, payload (SHA-256 of all plaintext the API may release),
 * identity (repeatable), passphrase, armored, compressed.
 *
 * Every vector whose identities are all X25519 is run twice: once with
 * large reads and once with erratic small reads (to exercise the streaming
 * parser). Vectors needing armor, passphrases only, or hybrid (ML-KEM)
 * identities are skipped and counted by reason. Exit status 1 on any
 * failure, on a missing directory, or when nothing ran.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "baton/age.h"
#include "baton/error.h"
#include "baton/sha256.h"

#define MAX_IDS 8

struct vec {
    char expect[64];
    char payload[65];
    int has_payload;
    char *ids[MAX_IDS];
    int nids;
    int passphrases;
    int armored;
    int compressed;
    int other_identity;
    uint8_t *body;
    size_t bodylen;
};

struct src {
    const uint8_t *p;
    size_t len, pos;
    int erratic;
    unsigned step;
};

static long src_read(void *ctx, uint8_t *buf, size_t cap)
{
    static const size_t sizes[] = {1, 7, 64, 3, 4096, 65537, 13, 100000};
    struct src *s = ctx;
    size_t n = s->len - s->pos;
    if (s->erratic) {
        size_t lim = sizes[s->step++ % (sizeof sizes / sizeof sizes[0])];
        if (n > lim)
            n = lim;
    }
    if (n > cap)
        n = cap;
    memcpy(buf, s->p + s->pos, n);
    s->pos += n;
    return (long)n;
}

static int sink_write(void *ctx, const uint8_t *data, size_t len)
{
    return baton_sha256_update(ctx, data, len);
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    if (f == NULL)
        return NULL;
    for (;;) {
        if (n == cap) {
            uint8_t *tmp;
            cap = cap ? cap * 2 : 65536;
            tmp = realloc(buf, cap);
            if (tmp == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = tmp;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0)
            break;
        n += r;
    }
    fclose(f);
    *len = n;
    return buf;
}

static int inflate_all(const uint8_t *in, size_t inlen, uint8_t **out, size_t *outlen)
{
    z_stream zs;
    size_t cap = inlen * 4 + 1024;
    uint8_t *buf = malloc(cap);
    int zr;
    if (buf == NULL)
        return -1;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK) {
        free(buf);
        return -1;
    }
    zs.next_in = (Bytef *)in;
    zs.avail_in = (uInt)inlen;
    do {
        if (zs.total_out == cap) {
            uint8_t *tmp = realloc(buf, cap * 2);
            if (tmp == NULL) {
                inflateEnd(&zs);
                free(buf);
                return -1;
            }
            buf = tmp;
            cap *= 2;
        }
        zs.next_out = buf + zs.total_out;
        zs.avail_out = (uInt)(cap - zs.total_out);
        zr = inflate(&zs, Z_NO_FLUSH);
    } while (zr == Z_OK);
    *outlen = zs.total_out;
    inflateEnd(&zs);
    if (zr != Z_STREAM_END) {
        free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}

static int parse_vec(uint8_t *raw, size_t len, struct vec *v)
{
    size_t pos = 0;
    memset(v, 0, sizeof *v);
    for (;;) {
        char *line = (char *)raw + pos;
        char *nl = memchr(line, '\n', len - pos);
        if (nl == NULL)
            return -1;
        *nl = '\0';
        pos = (size_t)(nl - (char *)raw) + 1;
        if (line[0] == '\0')
            break;
        char *sep = strstr(line, ": ");
        if (sep == NULL)
            return -1;
        *sep = '\0';
        const char *val = sep + 2;
        if (strcmp(line, "expect") == 0)
            snprintf(v->expect, sizeof v->expect, "%s", val);
        else if (strcmp(line, "payload") == 0) {
            snprintf(v->payload, sizeof v->payload, "%s", val);
            v->has_payload = 1;
        } else if (strcmp(line, "identity") == 0) {
            if (strncmp(val, "AGE-SECRET-KEY-1", 16) != 0)
                v->other_identity = 1;
            else if (v->nids < MAX_IDS)
                v->ids[v->nids++] = (char *)val;
        } else if (strcmp(line, "passphrase") == 0)
            v->passphrases++;
        else if (strcmp(line, "armored") == 0)
            v->armored = strcmp(val, "yes") == 0;
        else if (strcmp(line, "compressed") == 0)
            v->compressed = 1;
    }
    v->body = raw + pos;
    v->bodylen = len - pos;
    return 0;
}

/* Returns 0 when the outcome matches the vector, 1 otherwise (with a reason). */
static int run_one(const struct vec *v, const uint8_t *body, size_t bodylen, int erratic, char *why,
                   size_t whylen)
{
    baton_age_identity *ids[MAX_IDS] = {0};
    baton_age_decryptor *d = NULL;
    baton_sha256 *h = NULL;
    struct src s = {body, bodylen, 0, erratic, 0};
    char err[256] = "";
    const char *got;
    uint8_t digest[32];
    char hex[65];
    int rc, bad = 0;

    for (int i = 0; i < v->nids; i++) {
        if (baton_age_identity_parse(v->ids[i], strlen(v->ids[i]), &ids[i], err, sizeof err)) {
            snprintf(why, whylen, "identity does not parse: %s", err);
            bad = 1;
            goto out;
        }
    }
    if (baton_sha256_new(&h) != 0) {
        snprintf(why, whylen, "out of memory");
        bad = 1;
        goto out;
    }
    rc = baton_age_decrypt_init(&d, ids, (size_t)v->nids, src_read, &s, sink_write, h, err,
                                sizeof err);
    if (rc == BATON_EINVAL)
        got = "header failure";
    else if (rc == BATON_ENOENT)
        got = "no match";
    else if (rc == BATON_ECRYPTO)
        got = "HMAC failure";
    else if (rc != 0)
        got = "other error";
    else
        got = baton_age_decrypt_final(d, err, sizeof err) == 0 ? "success" : "payload failure";
    if (strcmp(got, v->expect) != 0) {
        snprintf(why, whylen, "expected %s, got %s (%s)", v->expect, got, err);
        bad = 1;
        goto out;
    }
    if (v->has_payload) {
        baton_sha256_final(h, digest);
        baton_sha256_hex(digest, hex);
        if (strcmp(hex, v->payload) != 0) {
            snprintf(why, whylen, "%s as expected, but released plaintext hash %s != %s", got, hex,
                     v->payload);
            bad = 1;
        }
    }
out:
    baton_age_decrypt_free(d);
    baton_sha256_free(h);
    for (int i = 0; i < v->nids; i++)
        baton_age_identity_free(ids[i]);
    return bad;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0, skip_armor = 0, skip_scrypt = 0, skip_hybrid = 0;
    struct dirent **names = NULL;
    int count;

    if (argc != 2) {
        fprintf(stderr, "usage: age_vectors DIR\n");
        return 2;
    }
    count = scandir(argv[1], &names, NULL, alphasort);
    if (count < 0) {
        fprintf(stderr, "age_vectors: cannot read %s (run tools/fetch-test-vectors)\n", argv[1]);
        return 1;
    }
    for (int i = 0; i < count; i++) {
        const char *name = names[i]->d_name;
        char path[4096];
        uint8_t *raw = NULL, *plain = NULL;
        size_t rawlen = 0, plainlen = 0;
        struct vec v;
        char why[512] = "";

        if (name[0] == '.')
            goto next;
        snprintf(path, sizeof path, "%s/%s", argv[1], name);
        raw = slurp(path, &rawlen);
        if (raw == NULL || parse_vec(raw, rawlen, &v) != 0) {
            printf("FAIL %s: unreadable vector\n", name);
            failed++;
            goto next;
        }
        if (v.armored || strcmp(v.expect, "armor failure") == 0) {
            skip_armor++;
            goto next;
        }
        if (v.other_identity) {
            skip_hybrid++;
            goto next;
        }
        if (v.nids == 0 && v.passphrases > 0) {
            skip_scrypt++;
            goto next;
        }
        if (v.compressed) {
            if (inflate_all(v.body, v.bodylen, &plain, &plainlen) != 0) {
                printf("FAIL %s: cannot inflate\n", name);
                failed++;
                goto next;
            }
        }
        {
            const uint8_t *b = v.compressed ? plain : v.body;
            size_t bl = v.compressed ? plainlen : v.bodylen;
            if (run_one(&v, b, bl, 0, why, sizeof why) || run_one(&v, b, bl, 1, why, sizeof why)) {
                printf("FAIL %s: %s\n", name, why);
                failed++;
            } else {
                passed++;
            }
        }
    next:
        free(raw);
        free(plain);
        free(names[i]);
    }
    free(names);
    printf("age vectors: %d passed, %d failed, skipped %d (armor) + %d (passphrase only) + %d "
           "(hybrid/other identity)\n",
           passed, failed, skip_armor, skip_scrypt, skip_hybrid);
    if (passed == 0) {
        fprintf(stderr, "age_vectors: no vector ran\n");
        return 1;
    }
    return failed == 0 ? 0 : 1;
}
