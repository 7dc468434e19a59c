/*
 * auth.c - bearer tokens and their hashes (see auth.h).
 */
#include "auth.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "baton/error.h"

#define TOKEN_PREFIX       "bt_"
#define TOKEN_RANDOM_BYTES 32
/* A longer header cannot be a token; hashing it would only cost time. */
#define TOKEN_MAX_LEN 128

int bh_token_generate(char *out, size_t outlen)
{
    unsigned char raw[TOKEN_RANDOM_BYTES];
    size_t plen = strlen(TOKEN_PREFIX);

    if (outlen < BH_TOKEN_TEXT_MAX)
        return BATON_EINVAL;
    if (sodium_init() < 0)
        return BATON_ECRYPTO;
    randombytes_buf(raw, sizeof(raw));
    memcpy(out, TOKEN_PREFIX, plen);
    sodium_bin2base64(out + plen, outlen - plen, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    return 0;
}

void bh_token_hash(const char *token, size_t len, unsigned char out[BH_TOKEN_HASH_BYTES])
{
    crypto_generichash(out, BH_TOKEN_HASH_BYTES, (const unsigned char *)token, len, NULL, 0);
}

void bh_token_hash_text(const unsigned char hash[BH_TOKEN_HASH_BYTES], char *out)
{
    memcpy(out, "blake2b256:", 11);
    sodium_bin2hex(out + 11, BH_TOKEN_HASH_TEXT_MAX - 11, hash, BH_TOKEN_HASH_BYTES);
}

static int hash_file_path(const char *data_dir, const char *tenant, char *buf, size_t len)
{
    if (!bh_tenant_id_valid(tenant))
        return BATON_EINVAL;
    if ((size_t)snprintf(buf, len, "%s/tokens/%s.hashes", data_dir, tenant) >= len)
        return BATON_ERANGE;
    return 0;
}

static int ensure_dir(const char *path, char *err, size_t errlen)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST)
        return 0;
    snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
    return -errno;
}

int bh_token_store_add(const char *data_dir, const char *tenant,
                       const unsigned char hash[BH_TOKEN_HASH_BYTES], char *err, size_t errlen)
{
    char path[4096], dir[4096], line[BH_TOKEN_HASH_TEXT_MAX + 1];
    int fd = -1;
    int rc;
    size_t n;

    rc = hash_file_path(data_dir, tenant, path, sizeof(path));
    if (rc != 0) {
        snprintf(err, errlen, "invalid tenant id or data directory");
        return rc;
    }
    snprintf(dir, sizeof(dir), "%s/tokens", data_dir);
    if ((rc = ensure_dir(data_dir, err, errlen)) != 0 || (rc = ensure_dir(dir, err, errlen)) != 0)
        return rc;
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = -errno;
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        goto out;
    }
    bh_token_hash_text(hash, line);
    n = strlen(line);
    line[n++] = '\n';
    if (write(fd, line, n) != (ssize_t)n || fsync(fd) != 0) {
        rc = BATON_EIO;
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    return rc;
}

/* The hashes read so far from one hash file. */
struct hash_list {
    unsigned char (*list)[BH_TOKEN_HASH_BYTES];
    size_t n, cap;
};

/* One line of path (line[0..len), its end of line removed; numbered
 * lineno), added to l unless it is empty or a comment. */
static int hash_line(struct hash_list *l, char *line, size_t len, unsigned lineno, const char *path,
                     char *err, size_t errlen)
{
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
        len--;
    line[len] = '\0';
    if (len == 0 || line[0] == '#')
        return 0;
    if (l->n == l->cap) {
        size_t ncap = l->cap == 0 ? 4 : l->cap * 2;
        void *nl = realloc(l->list, ncap * BH_TOKEN_HASH_BYTES);
        if (nl == NULL) {
            snprintf(err, errlen, "out of memory");
            return BATON_ENOMEM;
        }
        l->list = nl;
        l->cap = ncap;
    }
    size_t binlen = 0;
    if (strncmp(line, "blake2b256:", 11) != 0 || len != 11 + 2 * BH_TOKEN_HASH_BYTES ||
        sodium_hex2bin(l->list[l->n], BH_TOKEN_HASH_BYTES, line + 11, len - 11, NULL, &binlen,
                       NULL) != 0 ||
        binlen != BH_TOKEN_HASH_BYTES) {
        snprintf(err, errlen, "%s: line %u: expected \"blake2b256:\" and 64 hex digits", path,
                 lineno);
        return BATON_EINVAL;
    }
    l->n++;
    return 0;
}

/*
 * Read with read(2) into a buffer on the stack, not stdio: ten thousand
 * tenants' files are read at every start and reload, and a FILE costs a
 * heap buffer and a stat each. Opened without blocking (a FIFO put there
 * reads as empty instead of hanging the build). Read until read(2)
 * answers 0: a short read is not the end on every file system.
 */
int bh_token_store_load(const char *data_dir, const char *tenant,
                        unsigned char (**hashes)[BH_TOKEN_HASH_BYTES], size_t *count, char *err,
                        size_t errlen)
{
    char path[4096], buf[4096], line[256];
    struct hash_list l = {NULL, 0, 0};
    size_t used = 0; /* of line */
    unsigned lineno = 0;
    int rc, fd;

    *hashes = NULL;
    *count = 0;
    rc = hash_file_path(data_dir, tenant, path, sizeof(path));
    if (rc != 0) {
        snprintf(err, errlen, "invalid tenant id or data directory");
        return rc;
    }
    fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        rc = -errno;
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return rc;
    }
    rc = 0;
    for (;;) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = BATON_EIO;
            snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
            goto out;
        }
        for (ssize_t i = 0; i < got && rc == 0; i++) {
            if (buf[i] != '\n' && used < sizeof line - 1) {
                line[used++] = buf[i];
                continue;
            }
            /* The end of a line, or a line too long to be a hash: what
             * it holds so far is refused as one. */
            rc = hash_line(&l, line, used, ++lineno, path, err, errlen);
            used = 0;
        }
        if (rc != 0)
            goto out;
        if (got == 0)
            break;
    }
    if (used > 0)
        rc = hash_line(&l, line, used, ++lineno, path, err, errlen);
out:
    close(fd);
    if (rc != 0) {
        free(l.list);
        return rc;
    }
    *hashes = l.list;
    *count = l.n;
    return 0;
}

enum bh_auth_result bh_auth_resolve(const bh_token_table *table, const char *authorization,
                                    uint32_t *tenant)
{
    unsigned char hash[BH_TOKEN_HASH_BYTES];
    const char *tok;
    size_t len;
    int found = 0;
    uint32_t who = 0;

    if (authorization == NULL)
        return BH_AUTH_MISSING;
    if (strncasecmp(authorization, "Bearer ", 7) != 0)
        return BH_AUTH_MALFORMED;
    tok = authorization + 7;
    while (*tok == ' ')
        tok++;
    len = strlen(tok);
    while (len > 0 && tok[len - 1] == ' ')
        len--;
    if (len == 0 || len > TOKEN_MAX_LEN)
        return len == 0 ? BH_AUTH_MALFORMED : BH_AUTH_UNKNOWN;
    bh_token_hash(tok, len, hash);
    found = bh_token_table_find(table, hash, &who);
    sodium_memzero(hash, sizeof(hash));
    if (!found)
        return BH_AUTH_UNKNOWN;
    *tenant = who;
    return BH_AUTH_OK;
}
