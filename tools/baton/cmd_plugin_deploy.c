/*
 * cmd_plugin_deploy.c - "baton plugin sign" and "baton plugin push": from a
 * built plugin to a version on a batond (docs/deploying-plugins.md).
 *
 *   baton plugin sign -k KEY.key PLUGIN.so
 *       writes PLUGIN.so.minisig, a standard minisign signature (prehashed,
 *       "ED"): `minisign -V -p KEY.pub -m PLUGIN.so` accepts it;
 *   baton plugin push --url URL --token-file FILE PLUGIN.so [--activate]
 *                     [--config C.json]
 *       uploads it with its signature (POST /v1/plugins) over HTTP/1.1 and,
 *       with --activate, makes that version the tenant's active one; the
 *       config goes with the upload (Baton-Plugin-Config, for batond's load
 *       check and smoke run) and with the activation.
 *
 * The client speaks plain HTTP to one host:port (batond behind a TLS
 * terminator is reached with the curl commands the guide gives).
 * cmd_plugin.c dispatches "sign" and "push" here.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "baton/minisign.h"
#include "cli_plugins.h"
#include "cli_util.h"

int cmd_plugin_deploy(int argc, char **argv);

/* ------------------------------------------------------------------ */
/* baton plugin sign                                                    */
/* ------------------------------------------------------------------ */

static void usage_sign(FILE *out)
{
    fprintf(out, "usage: baton plugin sign -k KEY.key [-W] [--passphrase-file F] [-t COMMENT]\n"
                 "                         [-c COMMENT] [-x SIGFILE] PLUGIN.so\n\n"
                 "Signs PLUGIN.so with a minisign secret key (baton keygen or minisign -G makes\n"
                 "one) and writes PLUGIN.so.minisig: the standard prehashed minisign signature,\n"
                 "so `minisign -V -p KEY.pub -m PLUGIN.so` verifies it. batond accepts an upload\n"
                 "only with a signature by one of the tenant's plugin_signing_keys.\n\n"
                 "  -k, --key KEY.key          the minisign secret key\n"
                 "  -W                         the key is not encrypted: never ask for a\n"
                 "                             passphrase (as minisign -W keys)\n"
                 "      --passphrase-file F    the passphrase of an encrypted key (first line);\n"
                 "                             without it, asked on the terminal\n"
                 "  -t, --trusted-comment C    signed comment (default: timestamp and file\n"
                 "                             name, as minisign writes it)\n"
                 "  -c, --comment C            untrusted comment\n"
                 "  -x, --sig SIGFILE          where to write the signature\n"
                 "                             (default PLUGIN.so.minisig)\n\n"
                 "Exit codes: 0 signed, 1 error (key, passphrase, I/O), 2 usage.\n");
}

static int write_file(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
    char tmp[PATH_MAX];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    int ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int plugin_sign(int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, 'k'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {"trusted-comment", required_argument, NULL, 't'},
        {"comment", required_argument, NULL, 'c'},
        {"sig", required_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *key = NULL, *pfile = NULL, *trusted = NULL, *untrusted = NULL, *sigpath = NULL;
    int unencrypted = 0, opt, status = CU_EXIT_ERROR;
    char err[600] = "", tc[BATON_MINISIGN_TRUSTED_MAX + 1], out[PATH_MAX];
    char *keytext = NULL, *sig = NULL;
    size_t keylen = 0, siglen = 0;
    baton_minisign_seckey *sk = NULL;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "k:t:c:x:Wh", opts, NULL)) != -1) {
        switch (opt) {
        case 'k':
            key = optarg;
            break;
        case 'P':
            pfile = optarg;
            break;
        case 't':
            trusted = optarg;
            break;
        case 'c':
            untrusted = optarg;
            break;
        case 'x':
            sigpath = optarg;
            break;
        case 'W':
            unencrypted = 1;
            break;
        case 'h':
            usage_sign(stdout);
            return CU_EXIT_OK;
        default:
            usage_sign(stderr);
            return CU_EXIT_USAGE;
        }
    }
    if (key == NULL || optind + 1 != argc) {
        usage_sign(stderr);
        return CU_EXIT_USAGE;
    }
    const char *plugin = argv[optind];
    struct stat st;
    if (stat(plugin, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "baton plugin sign: %s: %s\n", plugin,
                errno != 0 ? strerror(errno) : "not a regular file");
        return CU_EXIT_ERROR;
    }
    if (unencrypted) {
        if (cu_read_file(key, 65536, &keytext, &keylen, err, sizeof err) != 0)
            goto out;
        if (baton_minisign_seckey_is_encrypted(keytext, keylen) == 1) {
            snprintf(err, sizeof err,
                     "%s is encrypted: leave out -W to be asked for its passphrase", key);
            goto out;
        }
        if (baton_minisign_seckey_decode(keytext, keylen, NULL, &sk, err, sizeof err) != 0)
            goto out;
    } else if (cu_load_seckey(key, pfile, &sk, err, sizeof err) != 0) {
        goto out;
    }
    if (trusted == NULL) {
        const char *base = strrchr(plugin, '/');
        snprintf(tc, sizeof tc, "timestamp:%lld\tfile:%s\thashed", (long long)time(NULL),
                 base != NULL ? base + 1 : plugin);
        trusted = tc;
    }
    if (baton_minisign_sign_file(sk, plugin, untrusted, trusted, &sig, &siglen, err, sizeof err) !=
        0)
        goto out;
    if (sigpath == NULL) {
        snprintf(out, sizeof out, "%s.minisig", plugin);
        sigpath = out;
    }
    if (write_file(sigpath, sig, siglen, err, sizeof err) != 0)
        goto out;
    printf("signed %s -> %s\n", plugin, sigpath);
    status = CU_EXIT_OK;
out:
    if (status != CU_EXIT_OK)
        fprintf(stderr, "baton plugin sign: %s\n", err);
    if (keytext != NULL) {
        sodium_memzero(keytext, keylen);
        free(keytext);
    }
    baton_minisign_text_free(sig);
    baton_minisign_seckey_free(sk);
    return status;
}

/* ------------------------------------------------------------------ */
/* baton plugin push: a small HTTP/1.1 client                            */
/* ------------------------------------------------------------------ */

typedef struct endpoint {
    char host[256];
    char port[8];
    char base[512]; /* path prefix without a trailing '/' */
} endpoint;

/* "http://host[:port][/prefix]" */
static int parse_url(const char *url, endpoint *e, char *err, size_t errlen)
{
    memset(e, 0, sizeof *e);
    if (strncmp(url, "https://", 8) == 0) {
        snprintf(err, errlen,
                 "%s: baton plugin push speaks plain HTTP; through TLS, use the curl commands "
                 "of docs/deploying-plugins.md",
                 url);
        return -1;
    }
    if (strncmp(url, "http://", 7) != 0) {
        snprintf(err, errlen, "%s: expected http://HOST[:PORT]", url);
        return -1;
    }
    const char *h = url + 7, *slash = strchr(h, '/');
    size_t hl = slash != NULL ? (size_t)(slash - h) : strlen(h);
    const char *colon = NULL;
    if (hl > 0 && h[0] == '[') {
        const char *close = memchr(h, ']', hl);
        if (close == NULL)
            goto bad;
        snprintf(e->host, sizeof e->host, "%.*s", (int)(close - h - 1), h + 1);
        if (close + 1 < h + hl && close[1] == ':')
            colon = close + 1;
    } else {
        colon = memchr(h, ':', hl);
        size_t n = colon != NULL ? (size_t)(colon - h) : hl;
        if (n == 0 || n >= sizeof e->host)
            goto bad;
        snprintf(e->host, sizeof e->host, "%.*s", (int)n, h);
    }
    if (colon != NULL) {
        size_t pl = (size_t)(h + hl - colon - 1);
        if (pl == 0 || pl >= sizeof e->port || strspn(colon + 1, "0123456789") < pl)
            goto bad;
        snprintf(e->port, sizeof e->port, "%.*s", (int)pl, colon + 1);
    } else {
        snprintf(e->port, sizeof e->port, "80");
    }
    if (slash != NULL)
        snprintf(e->base, sizeof e->base, "%s", slash);
    size_t bl = strlen(e->base);
    while (bl > 0 && e->base[bl - 1] == '/')
        e->base[--bl] = '\0';
    return 0;
bad:
    snprintf(err, errlen, "%s: expected http://HOST[:PORT]", url);
    return -1;
}

static int dial(const endpoint *e, char *err, size_t errlen)
{
    struct addrinfo hints = {0}, *res = NULL, *ai;
    int fd = -1, rc;
    hints.ai_socktype = SOCK_STREAM;
    if ((rc = getaddrinfo(e->host, e->port, &hints, &res)) != 0) {
        snprintf(err, errlen, "%s:%s: %s", e->host, e->port, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        close(fd);
        fd = -1;
    }
    if (fd < 0)
        snprintf(err, errlen, "cannot connect to %s:%s: %s", e->host, e->port, strerror(errno));
    freeaddrinfo(res);
    if (fd >= 0) {
        /* An upload waits for batond's load check and smoke run. */
        struct timeval tv = {.tv_sec = 300};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    return fd;
}

static int send_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

typedef struct response {
    int status;
    char *body; /* NUL-terminated */
    size_t len;
} response;

/* Reads one response (Content-Length, or until the server closes). */
static int read_response(int fd, response *out, char *err, size_t errlen)
{
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap);
    char *hdr_end = NULL;
    long long clen = -1;
    memset(out, 0, sizeof *out);
    if (buf == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (;;) {
        if (hdr_end != NULL && clen >= 0 &&
            n >= (size_t)(hdr_end - buf) + 4 + (unsigned long long)clen)
            break;
        if (n + 1 >= cap) {
            if (cap > (64u << 20)) {
                snprintf(err, errlen, "answer too large");
                goto fail;
            }
            ptrdiff_t hdr_off = hdr_end != NULL ? hdr_end - buf : -1;
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                snprintf(err, errlen, "out of memory");
                goto fail;
            }
            buf = nb;
            hdr_end = hdr_off >= 0 ? buf + hdr_off : NULL;
            cap *= 2;
        }
        ssize_t r = recv(fd, buf + n, cap - n - 1, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, errlen, "reading the answer: %s",
                     errno == EAGAIN ? "timed out" : strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        buf[n] = '\0';
        if (hdr_end == NULL && (hdr_end = strstr(buf, "\r\n\r\n")) != NULL) {
            for (char *line = strstr(buf, "\r\n"); line != NULL && line < hdr_end;
                 line = strstr(line + 2, "\r\n")) {
                if (strncasecmp(line + 2, "content-length:", 15) == 0)
                    clen = strtoll(line + 17, NULL, 10);
            }
        }
    }
    buf[n] = '\0';
    if (hdr_end == NULL || sscanf(buf, "HTTP/1.%*d %d", &out->status) != 1) {
        snprintf(err, errlen, "not an HTTP answer");
        goto fail;
    }
    size_t off = (size_t)(hdr_end - buf) + 4;
    out->len = n - off;
    if (clen >= 0 && out->len > (size_t)clen)
        out->len = (size_t)clen;
    memmove(buf, buf + off, out->len);
    buf[out->len] = '\0';
    out->body = buf;
    return 0;
fail:
    free(buf);
    return -1;
}

/* One request: headers (each a full line without CRLF), then body bytes
 * from memory or from the file fd (size body_len either way). */
static int request(const endpoint *e, const char *method, const char *path,
                   const char *const *headers, const char *body, int body_fd, uint64_t body_len,
                   response *out, char *err, size_t errlen)
{
    int fd = dial(e, err, errlen), rc = -1;
    size_t hl = 1024 + strlen(path) + strlen(e->base);
    char *head;
    if (fd < 0)
        return -1;
    for (const char *const *h = headers; h != NULL && *h != NULL; h++)
        hl += strlen(*h) + 2;
    if ((head = malloc(hl)) == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    int n = snprintf(head, hl,
                     "%s %s%s HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: baton/%s\r\n"
                     "Connection: close\r\nContent-Length: %llu\r\n",
                     method, e->base, path, e->host, e->port, BATON_VERSION,
                     (unsigned long long)body_len);
    for (const char *const *h = headers; h != NULL && *h != NULL; h++)
        n += snprintf(head + n, hl - (size_t)n, "%s\r\n", *h);
    n += snprintf(head + n, hl - (size_t)n, "\r\n");
    if (send_all(fd, head, (size_t)n) != 0)
        goto io;
    if (body != NULL && send_all(fd, body, body_len) != 0)
        goto io;
    if (body_fd >= 0) {
        char buf[65536];
        uint64_t left = body_len;
        while (left > 0) {
            ssize_t r = read(body_fd, buf, sizeof buf < left ? sizeof buf : (size_t)left);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                snprintf(err, errlen, "reading the plugin: %s",
                         r < 0 ? strerror(errno) : "file shrank");
                goto out;
            }
            if (send_all(fd, buf, (size_t)r) != 0)
                break; /* batond may have answered early: read what it said */
            left -= (uint64_t)r;
        }
    }
    rc = read_response(fd, out, err, errlen);
    goto out;
io:
    snprintf(err, errlen, "sending to %s:%s: %s", e->host, e->port, strerror(errno));
out:
    free(head);
    close(fd);
    return rc;
}

/* The error message of a JSON error answer, or the body itself. */
static void report_failure(const char *what, const response *r)
{
    cJSON *j = cJSON_Parse(r->body);
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(e, "message");
    if (cJSON_IsString(code) && cJSON_IsString(msg))
        fprintf(stderr, "baton plugin push: %s refused: %d %s: %s\n", what, r->status,
                code->valuestring, msg->valuestring);
    else
        fprintf(stderr, "baton plugin push: %s refused: HTTP %d: %s\n", what, r->status, r->body);
    cJSON_Delete(j);
}

/* The padded base64 of data, malloc'd; NULL when out of memory. */
static char *base64_of(const void *data, size_t len)
{
    size_t cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *b64 = malloc(cap);
    if (b64 != NULL)
        sodium_bin2base64(b64, cap, data, len, sodium_base64_VARIANT_ORIGINAL);
    return b64;
}

/* "name: value" (a request header line), malloc'd; NULL when out of memory. */
static char *header_line(const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 3;
    char *line = malloc(n);
    if (line != NULL)
        snprintf(line, n, "%s: %s", name, value);
    return line;
}

/* base64 of a whole file (a .minisig), malloc'd. */
static char *file_base64(const char *path, char *err, size_t errlen)
{
    char *text = NULL, *b64;
    size_t len;
    if (cu_read_file(path, 16384, &text, &len, err, errlen) != 0)
        return NULL;
    if ((b64 = base64_of(text, len)) == NULL)
        snprintf(err, errlen, "out of memory");
    free(text);
    return b64;
}

static void usage_push(FILE *out)
{
    fprintf(out,
            "usage: baton plugin push --url URL --token-file FILE [--sig SIGFILE]\n"
            "                         [--operator-sig SIGFILE] [--config C.json] [--activate]\n"
            "                         PLUGIN.so\n\n"
            "Uploads PLUGIN.so to batond (POST /v1/plugins) with its signature\n"
            "(default PLUGIN.so.minisig, made by baton plugin sign), and prints batond's\n"
            "answer: name, version, scope, sdk, sha256, status. batond checks the\n"
            "signature against the tenant's plugin_signing_keys, loads the plugin in a\n"
            "sandboxed worker, runs it once over a built-in case, and stores it.\n\n"
            "  --url URL              batond's address, http://HOST:PORT (or $BATON_URL)\n"
            "  --token-file FILE      the tenant's API token, first line (or $BATON_TOKEN)\n"
            "  --sig SIGFILE          the plugin's minisign signature\n"
            "  --operator-sig SIGFILE a second signature by an operator key, when the\n"
            "                         host's plugin_policy requires one\n"
            "  --config C.json        the plugin's config (a JSON object): batond's load\n"
            "                         check and smoke run use it (Baton-Plugin-Config\n"
            "                         header), and so does the activation\n"
            "  --activate             then make this version the tenant's active one\n\n"
            "Exit codes: 0 done, 1 refused or failed (batond's error on stderr), 2 usage.\n");
}

static char *read_token(const char *path, char *err, size_t errlen)
{
    const char *env = getenv("BATON_TOKEN");
    char *text = NULL;
    size_t len;
    if (path == NULL) {
        if (env == NULL || env[0] == '\0') {
            snprintf(err, errlen, "give --token-file FILE (or set BATON_TOKEN)");
            return NULL;
        }
        return strdup(env);
    }
    if (cu_read_file(path, 4096, &text, &len, err, errlen) != 0)
        return NULL;
    text[strcspn(text, "\r\n")] = '\0';
    if (text[0] == '\0') {
        snprintf(err, errlen, "%s: empty", path);
        free(text);
        return NULL;
    }
    return text;
}

static int plugin_push(int argc, char **argv)
{
    static const struct option opts[] = {
        {"url", required_argument, NULL, 'u'}, {"token-file", required_argument, NULL, 'T'},
        {"sig", required_argument, NULL, 'x'}, {"operator-sig", required_argument, NULL, 'O'},
        {"activate", no_argument, NULL, 'a'},  {"config", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0},
    };
    const char *url = getenv("BATON_URL"), *tokfile = NULL, *sigpath = NULL, *opsig = NULL;
    const char *config = NULL;
    int activate = 0, opt, status = CU_EXIT_ERROR, fd = -1;
    char err[600] = "", defsig[PATH_MAX];
    char *token = NULL, *sig64 = NULL, *op64 = NULL, *auth = NULL, *sighdr = NULL, *ophdr = NULL;
    char *body = NULL, *cfgtext = NULL, *cfg64 = NULL, *cfghdr = NULL;
    cJSON *answer = NULL, *cfg = NULL;
    response res = {0};
    endpoint e;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case 'u':
            url = optarg;
            break;
        case 'T':
            tokfile = optarg;
            break;
        case 'x':
            sigpath = optarg;
            break;
        case 'O':
            opsig = optarg;
            break;
        case 'a':
            activate = 1;
            break;
        case 'C':
            config = optarg;
            break;
        case 'h':
            usage_push(stdout);
            return CU_EXIT_OK;
        default:
            usage_push(stderr);
            return CU_EXIT_USAGE;
        }
    }
    if (url == NULL || optind + 1 != argc) {
        usage_push(stderr);
        return CU_EXIT_USAGE;
    }
    const char *plugin = argv[optind];
    if (sigpath == NULL) {
        snprintf(defsig, sizeof defsig, "%s.minisig", plugin);
        sigpath = defsig;
    }
    if (parse_url(url, &e, err, sizeof err) != 0 ||
        (token = read_token(tokfile, err, sizeof err)) == NULL ||
        (sig64 = file_base64(sigpath, err, sizeof err)) == NULL ||
        (opsig != NULL && (op64 = file_base64(opsig, err, sizeof err)) == NULL))
        goto out;
    if (config != NULL && (cfg = cli_read_json(config, err, sizeof err)) == NULL)
        goto out;
    if (cfg != NULL && !cJSON_IsObject(cfg)) {
        snprintf(err, sizeof err, "%s: expected a JSON object, the plugin's config", config);
        goto out;
    }
    /* Baton-Plugin-Config: the base64 of the config, printed compactly. */
    if (cfg != NULL && ((cfgtext = cJSON_PrintUnformatted(cfg)) == NULL ||
                        (cfg64 = base64_of(cfgtext, strlen(cfgtext))) == NULL ||
                        (cfghdr = header_line("Baton-Plugin-Config", cfg64)) == NULL)) {
        snprintf(err, sizeof err, "out of memory");
        goto out;
    }
    struct stat st;
    if ((fd = open(plugin, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0) {
        snprintf(err, sizeof err, "%s: %s", plugin, strerror(errno));
        goto out;
    }
    auth = malloc(strlen(token) + 32);
    if (auth != NULL)
        snprintf(auth, strlen(token) + 32, "Authorization: Bearer %s", token);
    sighdr = header_line("Baton-Plugin-Signature", sig64);
    if (op64 != NULL)
        ophdr = header_line("Baton-Operator-Signature", op64);
    if (auth == NULL || sighdr == NULL || (op64 != NULL && ophdr == NULL)) {
        snprintf(err, sizeof err, "out of memory");
        goto out;
    }
    const char *headers[6] = {auth, sighdr, "Content-Type: application/octet-stream"};
    size_t nh = 3;
    if (ophdr != NULL)
        headers[nh++] = ophdr;
    if (cfghdr != NULL)
        headers[nh++] = cfghdr;
    headers[nh] = NULL;
    if (request(&e, "POST", "/v1/plugins", headers, NULL, fd, (uint64_t)st.st_size, &res, err,
                sizeof err) != 0)
        goto out;
    if (res.status != 200 && res.status != 201) {
        report_failure("upload", &res);
        goto done;
    }
    printf("%s\n", res.body);
    answer = cJSON_Parse(res.body);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(answer, "name");
    const cJSON *sha = cJSON_GetObjectItemCaseSensitive(answer, "sha256");
    if (!cJSON_IsString(name) || !cJSON_IsString(sha)) {
        snprintf(err, sizeof err, "unexpected answer to the upload: %s", res.body);
        goto out;
    }
    if (activate) {
        char path[256];
        cJSON *req = cJSON_CreateObject();
        cJSON_AddStringToObject(req, "sha256", sha->valuestring);
        if (cfg != NULL) {
            cJSON_AddItemToObject(req, "config", cfg);
            cfg = NULL;
        }
        body = cJSON_PrintUnformatted(req);
        cJSON_Delete(req);
        if (body == NULL) {
            snprintf(err, sizeof err, "out of memory");
            goto out;
        }
        snprintf(path, sizeof path, "/v1/plugins/%s/activate", name->valuestring);
        const char *jh[] = {auth, "Content-Type: application/json", NULL};
        free(res.body);
        res.body = NULL;
        if (request(&e, "POST", path, jh, body, -1, strlen(body), &res, err, sizeof err) != 0)
            goto out;
        if (res.status != 200) {
            report_failure("activation", &res);
            goto done;
        }
        printf("%s\n", res.body);
    }
    status = CU_EXIT_OK;
    goto done;
out:
    fprintf(stderr, "baton plugin push: %s\n", err);
done:
    if (fd >= 0)
        close(fd);
    if (token != NULL) {
        sodium_memzero(token, strlen(token));
        free(token);
    }
    if (auth != NULL) {
        sodium_memzero(auth, strlen(auth));
        free(auth);
    }
    free(sig64);
    free(op64);
    free(sighdr);
    free(ophdr);
    free(body);
    free(cfgtext);
    free(cfg64);
    free(cfghdr);
    free(res.body);
    cJSON_Delete(answer);
    cJSON_Delete(cfg);
    return status;
}

int cmd_plugin_deploy(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "sign") == 0)
        return plugin_sign(argc, argv);
    if (argc >= 1 && strcmp(argv[0], "push") == 0)
        return plugin_push(argc, argv);
    fprintf(stderr, "usage: baton plugin sign|push ...\n");
    return CU_EXIT_USAGE;
}
