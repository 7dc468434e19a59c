/*
 * config.c - reading and validating batond.json and tenant files (config.h).
 */
#include "config.h"
#include "counterparts.h"
#include "id_index.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton/error.h"
#include "baton/minisign.h"
#include "bytes_hash.h"
#include "json_input.h"
#include "log.h"
#include "plugin_store.h"

#define CONFIG_MAX_BYTES (4u << 20)

/* Validation state for one file. */
struct vctx {
    const char *file;
    bh_problem_fn report;
    void *ctx;
    int problems;
    char *err;
    size_t errlen;
};

static void problem(struct vctx *v, const char *field, const char *fmt, ...)
{
    char detail[512];
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    if (field != NULL && field[0] != '\0')
        snprintf(line, sizeof(line), "%s: %s: %s", v->file, field, detail);
    else
        snprintf(line, sizeof(line), "%s: %s", v->file, detail);
    if (v->problems == 0 && v->err != NULL && v->errlen > 0)
        snprintf(v->err, v->errlen, "%s", line);
    v->problems++;
    if (v->report != NULL)
        v->report(v->ctx, line);
}

const char *bh_tenant_kind_name(enum bh_tenant_kind k)
{
    return k == BH_TENANT_AGENCY ? "agency" : k == BH_TENANT_LAWFIRM ? "lawfirm" : "unknown";
}

int bh_tenant_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 63 || id[0] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return 1;
}

int bh_parse_listen(const char *s, char **host, int *port)
{
    const char *colon;
    const char *h;
    size_t hlen;
    char *end;
    long p;

    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (close == NULL || close[1] != ':')
            return BATON_EINVAL;
        h = s + 1;
        hlen = (size_t)(close - h);
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (colon == NULL)
            return BATON_EINVAL;
        h = s;
        hlen = (size_t)(colon - s);
    }
    errno = 0;
    p = strtol(colon + 1, &end, 10);
    if (colon[1] == '\0' || *end != '\0' || errno != 0 || p < 0 || p > 65535)
        return BATON_EINVAL;
    if (hlen == 0) {
        h = "127.0.0.1";
        hlen = strlen(h);
    }
    *host = strndup(h, hlen);
    if (*host == NULL)
        return BATON_ENOMEM;
    *port = (int)p;
    return 0;
}

static const char *file_kind(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    return "not a regular file";
}

/*
 * Reads a config file whole. Only regular files up to CONFIG_MAX_BYTES
 * are read: the open does not block (O_NONBLOCK: a FIFO without a writer
 * would otherwise hang start-up and reloads), and the kind is checked on
 * the opened descriptor, so what is checked is what is read.
 */
static char *read_file(const char *path, size_t *len, char *why, size_t whylen)
{
    struct stat st;
    char *buf = NULL;
    size_t n = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

    if (fd < 0) {
        snprintf(why, whylen, "cannot open: %s", strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0) {
        snprintf(why, whylen, "cannot stat: %s", strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, whylen, "%s; expected a regular file", file_kind(st.st_mode));
        goto fail;
    }
    if (st.st_size > (off_t)CONFIG_MAX_BYTES) {
        snprintf(why, whylen, "larger than %u bytes", CONFIG_MAX_BYTES);
        goto fail;
    }
    /* Sized by fstat; a file that grows meanwhile grows the buffer, up to
     * one byte past the limit. */
    size_t cap = (size_t)st.st_size + 2;
    if ((buf = malloc(cap)) == NULL) {
        snprintf(why, whylen, "out of memory");
        goto fail;
    }
    for (;;) {
        if (n + 1 == cap) {
            size_t ncap =
                cap * 2 > (size_t)CONFIG_MAX_BYTES + 2 ? (size_t)CONFIG_MAX_BYTES + 2 : cap * 2;
            /* n <= CONFIG_MAX_BYTES here (checked after each read), so
             * ncap > cap. */
            char *nb = realloc(buf, ncap);
            if (nb == NULL) {
                snprintf(why, whylen, "out of memory");
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        size_t want = cap - 1 - n;
        ssize_t got = read(fd, buf + n, want);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            snprintf(why, whylen, "read error: %s", strerror(errno));
            goto fail;
        }
        if (got == 0)
            break;
        n += (size_t)got;
        if (n > CONFIG_MAX_BYTES) {
            snprintf(why, whylen, "larger than %u bytes", CONFIG_MAX_BYTES);
            goto fail;
        }
        /* A read short of the buffer that has reached the size fstat
         * gave is the end: no second read to learn it (ten thousand tenant
         * files at every start). Short before that (a network file
         * system may answer in parts), read on. */
        if ((size_t)got < want && n >= (size_t)st.st_size)
            break;
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
fail:
    close(fd);
    free(buf);
    return NULL;
}

/* Parses a file's text as JSON by the one input rule (json_input.h),
 * reporting a refusal with line, column, byte offset and why. */
static cJSON *parse_text(struct vctx *v, const char *text, size_t len)
{
    char why[256];
    bh_json_error e;
    cJSON *root = bh_json_parse(text, len, &e);
    if (root == NULL) {
        bh_json_error_text(&e, why, sizeof why);
        problem(v, NULL, "invalid JSON at %s", why);
    }
    return root;
}

/* Reads and parses a whole file (parse_text). */
static cJSON *parse_file(struct vctx *v, const char *path)
{
    char why[256];
    size_t len = 0;
    cJSON *root;
    char *text = read_file(path, &len, why, sizeof(why));

    if (text == NULL) {
        problem(v, NULL, "%s", why);
        return NULL;
    }
    root = parse_text(v, text, len);
    free(text);
    return root;
}

/* dir + "/" + p unless p is absolute. Caller frees. */
static char *resolve(const char *dir, const char *p)
{
    char *out;
    size_t n;

    if (p[0] == '/' || dir == NULL || dir[0] == '\0')
        return strdup(p);
    n = strlen(dir) + 1 + strlen(p) + 1;
    out = malloc(n);
    if (out != NULL)
        snprintf(out, n, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", p);
    return out;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static const char *type_name(const cJSON *j)
{
    if (cJSON_IsString(j))
        return "a string";
    if (cJSON_IsNumber(j))
        return "a number";
    if (cJSON_IsBool(j))
        return "a boolean";
    if (cJSON_IsNull(j))
        return "null";
    if (cJSON_IsArray(j))
        return "an array";
    if (cJSON_IsObject(j))
        return "an object";
    return "something else";
}

/* Reports every member of obj whose name is not in allowed (NULL-ended). */
static void check_known(struct vctx *v, const cJSON *obj, const char *prefix,
                        const char *const *allowed)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, obj)
    {
        int ok = 0;
        for (const char *const *a = allowed; *a != NULL; a++) {
            if (strcmp(*a, m->string) == 0) {
                ok = 1;
                break;
            }
        }
        if (!ok) {
            char field[256];
            snprintf(field, sizeof(field), "%s%s", prefix, m->string);
            problem(v, field, "unknown field");
        }
    }
}

/* An integer member in [lo, hi]; leaves *out unchanged when absent. */
static void get_uint(struct vctx *v, const cJSON *obj, const char *name, const char *field,
                     long long lo, long long hi, unsigned long long *out)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (j == NULL)
        return;
    if (cJSON_IsNumber(j) && !bh_json_integer_text(j)) {
        problem(v, field,
                "expected an integer written with digits only, got %g written with a "
                "fraction or exponent",
                j->valuedouble);
        return;
    }
    if (!cJSON_IsNumber(j) || j->valuedouble != (double)(long long)j->valuedouble) {
        problem(v, field, "expected an integer, got %s", type_name(j));
        return;
    }
    if ((long long)j->valuedouble < lo || (long long)j->valuedouble > hi) {
        problem(v, field, "must be between %lld and %lld", lo, hi);
        return;
    }
    *out = (unsigned long long)(long long)j->valuedouble;
}

static const char *get_string(struct vctx *v, const cJSON *obj, const char *name, const char *field,
                              int required)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (j == NULL) {
        if (required)
            problem(v, field, "missing (expected a string)");
        return NULL;
    }
    if (!cJSON_IsString(j)) {
        problem(v, field, "expected a string, got %s", type_name(j));
        return NULL;
    }
    if (j->valuestring[0] == '\0') {
        problem(v, field, "must not be empty");
        return NULL;
    }
    return j->valuestring;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int parse_hash(const char *s, unsigned char out[BH_TOKEN_HASH_BYTES])
{
    static const char prefix[] = "blake2b256:";
    if (strncmp(s, prefix, sizeof(prefix) - 1) != 0)
        return -1;
    s += sizeof(prefix) - 1;
    if (strlen(s) != 2 * BH_TOKEN_HASH_BYTES)
        return -1;
    for (size_t i = 0; i < BH_TOKEN_HASH_BYTES; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/*
 * A list of minisign public keys (the base64 line of a .pub file, "RW...").
 * Returns 0 with *out (count in *n; NULL when the list is absent), or
 * BATON_ENOMEM; bad entries are problems.
 */
static int get_keys(struct vctx *v, const cJSON *obj, const char *name, char ***out, size_t *n)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(obj, name), *k;
    int i = 0;
    *out = NULL;
    *n = 0;
    if (list == NULL)
        return 0;
    if (!cJSON_IsArray(list)) {
        problem(v, name, "expected an array of minisign public keys, got %s", type_name(list));
        return 0;
    }
    if (cJSON_GetArraySize(list) > 64) {
        problem(v, name, "at most 64 keys");
        return 0;
    }
    if (cJSON_GetArraySize(list) > 0 &&
        (*out = calloc((size_t)cJSON_GetArraySize(list), sizeof **out)) == NULL)
        return BATON_ENOMEM;
    cJSON_ArrayForEach(k, list)
    {
        char field[64], why[160];
        baton_minisign_pubkey pub;
        snprintf(field, sizeof field, "%s[%d]", name, i++);
        if (!cJSON_IsString(k)) {
            problem(v, field, "expected a string, got %s", type_name(k));
            continue;
        }
        if (baton_minisign_pubkey_decode(k->valuestring, strlen(k->valuestring), &pub, why,
                                         sizeof why) != 0) {
            problem(v, field, "not a minisign public key (the \"RW...\" line of a .pub file): %s",
                    why);
            continue;
        }
        if (((*out)[(*n)++] = strdup(k->valuestring)) == NULL)
            return BATON_ENOMEM;
    }
    return 0;
}

/*
 * "plugin_signing_key_files": minisign .pub files (relative to the tenant
 * file's folder) whose keys join plugin_signing_keys. A file that is not
 * there yet adds nothing (tools/baton-up makes the demo tenants' keys on
 * first run); a file that is there must hold a minisign public key.
 */
static int get_key_files(struct vctx *v, const cJSON *root, const char *tenant_file,
                         bh_tenant_config *t)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "plugin_signing_key_files"), *f;
    int i = 0;
    if (list == NULL)
        return 0;
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > 64) {
        problem(v, "plugin_signing_key_files", "expected an array of at most 64 file names");
        return 0;
    }
    char *dir = dir_of(tenant_file);
    if (dir == NULL)
        return BATON_ENOMEM;
    int rc = 0;
    cJSON_ArrayForEach(f, list)
    {
        char field[64], why[200];
        baton_minisign_pubkey pub;
        size_t len = 0;
        snprintf(field, sizeof field, "plugin_signing_key_files[%d]", i++);
        if (!cJSON_IsString(f) || f->valuestring[0] == '\0') {
            problem(v, field, "expected a file name, got %s", type_name(f));
            continue;
        }
        char *path = resolve(dir, f->valuestring);
        if (path == NULL) {
            rc = BATON_ENOMEM;
            break;
        }
        char *text = access(path, F_OK) == 0 ? read_file(path, &len, why, sizeof why) : NULL;
        if (access(path, F_OK) == 0 && text == NULL) {
            problem(v, field, "%s: %s", path, why);
        } else if (text != NULL &&
                   baton_minisign_pubkey_file_decode(text, len, &pub, why, sizeof why) != 0) {
            problem(v, field, "%s: not a minisign public key file: %s", path, why);
        } else if (text != NULL) {
            char line[BATON_MINISIGN_PUBKEY_B64_LEN + 1];
            char **grown =
                realloc(t->plugin_signing_keys, (t->plugin_signing_key_count + 1) * sizeof *grown);
            baton_minisign_pubkey_encode(&pub, line);
            if (grown == NULL || (grown[t->plugin_signing_key_count] = strdup(line)) == NULL) {
                if (grown != NULL)
                    t->plugin_signing_keys = grown;
                free(text);
                free(path);
                rc = BATON_ENOMEM;
                break;
            }
            t->plugin_signing_keys = grown;
            t->plugin_signing_key_count++;
        }
        free(text);
        free(path);
    }
    free(dir);
    return rc;
}

/*
 * Numbers in a plugin's config: plugins read them with view_int, which
 * baton/plugin.h defines as a number written without fraction or
 * exponent, and the SDK has no reader for other numbers. So every number
 * must be written that way; "14.0" or "3e1" is refused here, by file and
 * field, instead of reading as 14 or 30.
 */
static void check_config_numbers(struct vctx *v, const cJSON *config, int index)
{
    char field[512];
    int k = snprintf(field, sizeof field, "plugins[%d].config", index);
    if (bh_json_find_fraction(config, field, (size_t)k, sizeof field))
        problem(v, field,
                "a number written with a fraction or exponent; plugin config numbers are "
                "integers written with digits only (baton/plugin.h)");
}

/*
 * What one config load learnt about plugin paths: plugin_dir resolved
 * once, and each distinct relative path resolved once (realpath walks
 * every component with a system call; ten thousand tenants naming the
 * same two files would otherwise pay it twenty thousand times).
 */
struct plugin_paths {
    const char *plugin_dir;
    int dir_state; /* 0 not resolved yet, 1 resolved, -1 cannot be */
    char dir_real[PATH_MAX];
    bh_id_index seen; /* path -> index into resolved */
    struct resolved_path {
        char *path; /* owned; the index's key */
        char *real; /* owned; NULL when it does not resolve */
    } * resolved;
    size_t count, cap;
};

static void plugin_paths_free(struct plugin_paths *pp)
{
    for (size_t i = 0; i < pp->count; i++) {
        free(pp->resolved[i].path);
        free(pp->resolved[i].real);
    }
    free(pp->resolved);
    bh_id_index_free(&pp->seen);
}

/* realpath of plugin_dir/path, once per distinct path: 0 with *real
 * (borrowed; NULL when the file is not there), or BATON_ENOMEM. */
static int resolve_plugin_path(struct plugin_paths *pp, const char *path, const char **real)
{
    char joined[PATH_MAX], file_real[PATH_MAX];
    uint32_t at;
    if (bh_id_index_find(&pp->seen, path, &at)) {
        *real = pp->resolved[at].real;
        return 0;
    }
    if (pp->count == pp->cap) {
        size_t ncap = pp->cap == 0 ? 8 : pp->cap * 2;
        struct resolved_path *n = realloc(pp->resolved, ncap * sizeof *n);
        if (n == NULL)
            return BATON_ENOMEM;
        pp->resolved = n;
        pp->cap = ncap;
    }
    struct resolved_path *r = &pp->resolved[pp->count];
    r->real = NULL;
    if ((r->path = strdup(path)) == NULL)
        return BATON_ENOMEM;
    if (snprintf(joined, sizeof joined, "%s/%s", pp->plugin_dir, path) < (int)sizeof joined &&
        realpath(joined, file_real) != NULL && (r->real = strdup(file_real)) == NULL) {
        free(r->path);
        return BATON_ENOMEM;
    }
    if (bh_id_index_add(&pp->seen, r->path, (uint32_t)pp->count, NULL) != 0) {
        free(r->path);
        free(r->real);
        return BATON_ENOMEM;
    }
    pp->count++;
    *real = r->real;
    return 0;
}

/*
 * A plugin path stays inside plugin_dir: relative, without "..", and,
 * when the file is there, not a symbolic link (or a path through one)
 * that resolves outside plugin_dir. A file that is not there is left to
 * the loader, which names it. 0, or BATON_ENOMEM.
 */
static int check_plugin_path(struct vctx *v, const char *field, const char *path,
                             struct plugin_paths *pp)
{
    const char *file_real;
    if (path[0] == '/') {
        problem(v, field, "\"%s\" is absolute; plugin paths are relative to plugin_dir", path);
        return 0;
    }
    for (const char *p = path; *p != '\0';) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            problem(v, field, "\"%s\" leaves plugin_dir (a \"..\" component)", path);
            return 0;
        }
        p += n;
        if (*p == '/')
            p++;
    }
    if (pp->dir_state == 0)
        pp->dir_state =
            pp->plugin_dir != NULL && realpath(pp->plugin_dir, pp->dir_real) != NULL ? 1 : -1;
    if (pp->dir_state < 0)
        return 0; /* the loader reports a missing plugin_dir */
    if (strlen(pp->plugin_dir) + 1 + strlen(path) >= PATH_MAX) {
        problem(v, field, "the path is too long");
        return 0;
    }
    if (resolve_plugin_path(pp, path, &file_real) != 0)
        return BATON_ENOMEM;
    if (file_real == NULL)
        return 0;
    size_t n = strlen(pp->dir_real);
    if (strcmp(pp->dir_real, "/") != 0 &&
        (strncmp(file_real, pp->dir_real, n) != 0 || file_real[n] != '/'))
        problem(v, field, "\"%s\" resolves to %s, outside plugin_dir %s (a symbolic link)", path,
                file_real, pp->dir_real);
    return 0;
}

/* ---- plugin lists ---- */

static void plugin_list_free(bh_plugin_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; l->config_texts != NULL && i < l->count; i++)
        free(l->config_texts[i]);
    free(l->config_texts);
    cJSON_Delete(l->entries);
    free(l->key);
    free(l);
}

void bh_config_drop_plugin_lists(bh_config *c)
{
    for (size_t i = 0; i < c->tenant_count; i++)
        c->tenants[i].plugins = NULL;
    for (size_t i = 0; i < c->plugin_list_count; i++)
        plugin_list_free(c->plugin_lists[i]);
    free(c->plugin_lists);
    c->plugin_lists = NULL;
    c->plugin_list_count = c->plugin_list_cap = 0;
    bh_id_index_free(&c->plugin_list_keys);
    bh_id_index_init(&c->plugin_list_keys);
}

/* The hex digest of bytes (bytes_hash.h) the lists are indexed by. */
static void key_digest(const char *bytes, size_t n, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)bh_bytes_hash(bytes, n));
}

/* The shared list parsed from the bytes text[at..end), or NULL. */
static const bh_plugin_list *plugin_list_find(const bh_config *c, const char *text, size_t at,
                                              size_t end)
{
    char digest[17];
    uint32_t i;
    key_digest(text + at, end - at, digest);
    if (!bh_id_index_find(&c->plugin_list_keys, digest, &i))
        return NULL;
    const bh_plugin_list *l = c->plugin_lists[i];
    return l->key_len == end - at && memcmp(l->key, text + at, end - at) == 0 ? l : NULL;
}

/*
 * A list of the validated entries (taken), each config printed once,
 * owned by c; shared under key (key_len bytes, taken from a tenant file)
 * when key is not NULL. 0 with *out, or BATON_ENOMEM (entries freed).
 */
static int plugin_list_add(bh_config *c, cJSON *entries, const char *key, size_t key_len,
                           const bh_plugin_list **out)
{
    bh_plugin_list *l = calloc(1, sizeof *l);
    int n = cJSON_GetArraySize(entries);
    if (l == NULL) {
        cJSON_Delete(entries);
        return BATON_ENOMEM;
    }
    l->entries = entries;
    if (n > 0 && (l->config_texts = calloc((size_t)n, sizeof *l->config_texts)) == NULL)
        goto fail;
    const cJSON *e;
    cJSON_ArrayForEach(e, entries)
    {
        const cJSON *config = cJSON_GetObjectItemCaseSensitive(e, "config");
        l->config_texts[l->count] = config != NULL ? cJSON_PrintUnformatted(config) : strdup("{}");
        if (l->config_texts[l->count++] == NULL)
            goto fail;
    }
    if (key != NULL) {
        if ((l->key = malloc(key_len)) == NULL)
            goto fail;
        memcpy(l->key, key, key_len);
        l->key_len = key_len;
        key_digest(key, key_len, l->digest);
    }
    if (c->plugin_list_count == c->plugin_list_cap) {
        size_t ncap = c->plugin_list_cap == 0 ? 16 : c->plugin_list_cap * 2;
        bh_plugin_list **grown = realloc(c->plugin_lists, ncap * sizeof *grown);
        if (grown == NULL)
            goto fail;
        c->plugin_lists = grown;
        c->plugin_list_cap = ncap;
    }
    /* Another list with the same digest (a collision: the caller found
     * no list of these bytes) keeps the index; this one is not shared. */
    if (l->key != NULL && bh_id_index_add(&c->plugin_list_keys, l->digest,
                                          (uint32_t)c->plugin_list_count, NULL) == BATON_ENOMEM)
        goto fail;
    c->plugin_lists[c->plugin_list_count++] = l;
    *out = l;
    return 0;
fail:
    plugin_list_free(l);
    return BATON_ENOMEM;
}

static void tenant_config_clear(bh_tenant_config *t)
{
    free_strings(t->plugin_signing_keys, t->plugin_signing_key_count);
    free(t->id);
    free(t->name);
    free(t->source);
    cJSON_Delete(t->counterparts);
    free(t->token_hashes);
    memset(t, 0, sizeof(*t));
}

/*
 * Reads one tenant file into *t. Returns 0, or <0 when out of memory; other
 * problems are counted in v.
 *
 * A file whose "plugins" holds the same bytes as one already read without
 * problems in this load takes that file's list: those bytes are blanked
 * (to "[]" and spaces, so every offset stays where it was) before the
 * parse, and checking them again would find what it found then, nothing.
 * The rest of the file is parsed and checked as always, so its problems
 * are reported exactly as they would be without the shortcut.
 */
static int load_tenant(struct vctx *v, const char *path, struct plugin_paths *pp, bh_config *c,
                       bh_tenant_config *t)
{
    static const char *const known[] = {"id",
                                        "kind",
                                        "name",
                                        "plugins",
                                        "token_hashes",
                                        "counterparts",
                                        "plugin_signing_keys",
                                        "plugin_signing_key_files",
                                        NULL};
    static const char *const plugin_known[] = {"path", "config", "isolated", NULL};
    int before = v->problems;
    int rc = BATON_ENOMEM;
    cJSON *root = NULL;
    const char *id, *kind, *name;
    const cJSON *plugins, *hashes, *counterparts;
    const bh_plugin_list *same = NULL;
    size_t span_at = 0, span_end = 0, len = 0;
    int spanned = 0;
    char why[256];
    char *text = read_file(path, &len, why, sizeof why);

    memset(t, 0, sizeof(*t));
    if (text == NULL) {
        problem(v, NULL, "%s", why);
        return 0;
    }
    if (bh_json_member_span(text, len, "plugins", &span_at, &span_end) == 0 &&
        text[span_at] == '[') {
        spanned = 1;
        same = plugin_list_find(c, text, span_at, span_end);
        if (same != NULL) {
            memset(text + span_at, ' ', span_end - span_at);
            text[span_at] = '[';
            text[span_at + 1] = ']';
        }
    }
    root = parse_text(v, text, len);
    if (root == NULL) {
        free(text);
        return 0;
    }
    if (!cJSON_IsObject(root)) {
        problem(v, NULL, "expected a JSON object, got %s", type_name(root));
        rc = 0;
        goto out;
    }
    check_known(v, root, "", known);
    id = get_string(v, root, "id", "id", 1);
    if (id != NULL && !bh_tenant_id_valid(id))
        problem(v, "id", "must be 1-63 characters of a-z, 0-9 and '-', not starting with '-'");
    kind = get_string(v, root, "kind", "kind", 1);
    if (kind != NULL) {
        if (strcmp(kind, "agency") == 0)
            t->kind = BH_TENANT_AGENCY;
        else if (strcmp(kind, "lawfirm") == 0)
            t->kind = BH_TENANT_LAWFIRM;
        else
            problem(v, "kind", "expected \"agency\" or \"lawfirm\", got \"%s\"", kind);
    }
    name = get_string(v, root, "name", "name", 0);

    plugins = cJSON_GetObjectItemCaseSensitive(root, "plugins");
    if (plugins != NULL && !cJSON_IsArray(plugins)) {
        problem(v, "plugins", "expected an array, got %s", type_name(plugins));
    } else if (plugins != NULL) {
        int i = 0;
        const cJSON *p;
        cJSON_ArrayForEach(p, plugins)
        {
            char field[64], prefix[64];
            snprintf(prefix, sizeof(prefix), "plugins[%d].", i);
            if (!cJSON_IsObject(p)) {
                snprintf(field, sizeof(field), "plugins[%d]", i);
                problem(v, field, "expected an object, got %s", type_name(p));
            } else {
                const cJSON *c = cJSON_GetObjectItemCaseSensitive(p, "config");
                const cJSON *iso = cJSON_GetObjectItemCaseSensitive(p, "isolated");
                check_known(v, p, prefix, plugin_known);
                if (iso != NULL && !cJSON_IsBool(iso)) {
                    snprintf(field, sizeof(field), "plugins[%d].isolated", i);
                    problem(v, field, "expected true or false, got %s", type_name(iso));
                }
                snprintf(field, sizeof(field), "plugins[%d].path", i);
                const char *ppath = get_string(v, p, "path", field, 1);
                if (ppath != NULL && check_plugin_path(v, field, ppath, pp) != 0) {
                    rc = BATON_ENOMEM;
                    goto out;
                }
                if (c != NULL && !cJSON_IsObject(c)) {
                    snprintf(field, sizeof(field), "plugins[%d].config", i);
                    problem(v, field, "expected an object, got %s", type_name(c));
                } else if (c != NULL) {
                    check_config_numbers(v, c, i);
                }
            }
            i++;
        }
    }

    hashes = cJSON_GetObjectItemCaseSensitive(root, "token_hashes");
    if (hashes != NULL && !cJSON_IsArray(hashes)) {
        problem(v, "token_hashes", "expected an array, got %s", type_name(hashes));
    } else if (hashes != NULL && cJSON_GetArraySize(hashes) > 0) {
        int i = 0;
        const cJSON *h;
        t->token_hashes = calloc((size_t)cJSON_GetArraySize(hashes), BH_TOKEN_HASH_BYTES);
        if (t->token_hashes == NULL)
            goto out;
        cJSON_ArrayForEach(h, hashes)
        {
            char field[64];
            snprintf(field, sizeof(field), "token_hashes[%d]", i++);
            if (!cJSON_IsString(h))
                problem(v, field, "expected a string, got %s", type_name(h));
            else if (parse_hash(h->valuestring, t->token_hashes[t->token_hash_count]) != 0)
                problem(v, field, "expected \"blake2b256:\" and 64 hex digits");
            else
                t->token_hash_count++;
        }
    }

    if (get_keys(v, root, "plugin_signing_keys", &t->plugin_signing_keys,
                 &t->plugin_signing_key_count) != 0)
        goto out;
    if (get_key_files(v, root, path, t) != 0)
        goto out;

    counterparts = cJSON_GetObjectItemCaseSensitive(root, "counterparts");
    if (counterparts != NULL) {
        char field[64], why[256];
        if (bh_counterparts_check(counterparts, field, sizeof(field), why, sizeof(why)) != 0) {
            problem(v, field, "%s", why);
        } else if (t->kind == BH_TENANT_LAWFIRM) {
            /* An agreement is the agency's view of what a firm owes it. */
            const cJSON *e;
            int i = 0;
            cJSON_ArrayForEach(e, counterparts)
            {
                snprintf(field, sizeof field, "counterparts[%d].agreement", i++);
                if (cJSON_GetObjectItemCaseSensitive(e, "agreement") != NULL)
                    problem(v, field,
                            "only an agency's tenant file records agreements with its firms");
            }
        }
    }

    if (v->problems == before) {
        /* Moved out of the parsed file, not copied: root goes just after. */
        t->counterparts = counterparts != NULL
                              ? cJSON_DetachItemViaPointer(root, (cJSON *)counterparts)
                              : cJSON_CreateArray();
        if (t->counterparts == NULL)
            goto out;
        t->id = strdup(id);
        t->name = strdup(name != NULL ? name : id);
        t->source = strdup(path);
        if (t->id == NULL || t->name == NULL || t->source == NULL)
            goto out;
        if (same != NULL) {
            t->plugins = same;
        } else if (plugins != NULL && cJSON_GetArraySize(plugins) > 0) {
            /* Moved out of the parsed file, not copied. */
            cJSON *entries = cJSON_DetachItemViaPointer(root, (cJSON *)plugins);
            if (plugin_list_add(c, entries, spanned ? text + span_at : NULL, span_end - span_at,
                                &t->plugins) != 0)
                goto out;
        }
    }
    rc = 0;
out:
    if (rc != 0 || v->problems != before)
        tenant_config_clear(t);
    cJSON_Delete(root);
    free(text);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the *.json files of folder (sorted) to *files. */
static int list_folder(struct vctx *v, const char *field, const char *folder, char ***files,
                       size_t *count)
{
    DIR *d = opendir(folder);
    struct dirent *e;
    size_t first = *count;

    if (d == NULL) {
        problem(v, field, "cannot read folder %s: %s", folder, strerror(errno));
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        char **nf;
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0 || e->d_name[0] == '.')
            continue;
        nf = realloc(*files, (*count + 1) * sizeof(**files));
        if (nf == NULL) {
            closedir(d);
            return BATON_ENOMEM;
        }
        *files = nf;
        nf[*count] = resolve(folder, e->d_name);
        if (nf[*count] == NULL) {
            closedir(d);
            return BATON_ENOMEM;
        }
        (*count)++;
    }
    closedir(d);
    qsort(*files + first, *count - first, sizeof(**files), cmp_str);
    return 0;
}

/* Every counterpart given as {"tenant": ID} names a tenant of this config
 * (other than the one whose file it is). */
static void check_counterpart_tenants(struct vctx *v, const bh_config *c, const bh_id_index *ids)
{
    const char *file = v->file;
    for (size_t i = 0; i < c->tenant_count; i++) {
        const bh_tenant_config *t = &c->tenants[i];
        const cJSON *e;
        int k = 0;
        v->file = t->source;
        cJSON_ArrayForEach(e, t->counterparts)
        {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "tenant");
            char field[48];
            uint32_t at;
            snprintf(field, sizeof field, "counterparts[%d].tenant", k++);
            if (!cJSON_IsString(id))
                continue;
            if (!bh_id_index_find(ids, id->valuestring, &at))
                problem(v, field, "no tenant \"%s\" in this config", id->valuestring);
            else if (strcmp(id->valuestring, t->id) == 0)
                problem(v, field, "a tenant cannot be its own counterpart");
        }
    }
    v->file = file;
}

void bh_config_free(bh_config *c)
{
    if (c == NULL)
        return;
    free(c->path);
    free(c->dir);
    free(c->listen_host);
    free(c->plugin_dir);
    free(c->data_dir);
    free(c->worker_path);
    free_strings(c->operator_keys, c->operator_key_count);
    bh_config_drop_plugin_lists(c);
    for (size_t i = 0; i < c->tenant_count; i++)
        tenant_config_clear(&c->tenants[i]);
    free(c->tenants);
    free(c);
}

int bh_config_load(const char *path, const bh_config_overrides *ov, bh_problem_fn report, void *ctx,
                   bh_config **out, char *err, size_t errlen)
{
    static const char *const known[] = {"listen",  "workers",      "plugin_dir",    "data_dir",
                                        "tenants", "metrics_auth", "log_level",     "log_requests",
                                        "limits",  "isolation",    "plugin_policy", NULL};
    static const char *const isolation_known[] = {"call_timeout_ms",
                                                  "memory_mb",
                                                  "cpu_seconds",
                                                  "workers_per_plugin",
                                                  "tenant_concurrency",
                                                  "tenant_queue",
                                                  "load_timeout_ms",
                                                  "netns",
                                                  "require_landlock",
                                                  "worker",
                                                  NULL};
    static const char *const policy_known[] = {"operator_keys", "require_operator_signature",
                                               "max_plugin_bytes", NULL};
    static const char *const limit_known[] = {"max_header_bytes",
                                              "max_body_bytes",
                                              "header_timeout_ms",
                                              "body_timeout_ms",
                                              "idle_timeout_ms",
                                              "max_pipelined",
                                              "max_connections",
                                              "body_min_rate",
                                              "body_deadline_ms",
                                              "drain_timeout_ms",
                                              NULL};
    struct vctx v = {path, report, ctx, 0, err, errlen};
    bh_id_index ids; /* tenant id -> index into c->tenants */
    struct plugin_paths paths;
    int rc = BATON_ENOMEM;
    bh_config *c = calloc(1, sizeof(*c));
    cJSON *root = NULL;
    char **files = NULL;
    size_t file_count = 0;
    const char *s;
    const cJSON *j;
    unsigned long long u;

    bh_id_index_init(&ids);
    memset(&paths, 0, sizeof paths);
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (c == NULL)
        goto out;
    c->path = strdup(path);
    c->dir = dir_of(path);
    if (c->path == NULL || c->dir == NULL)
        goto out;
    bh_http_limits_default(&c->limits);
    bh_isolation_limits_default(&c->isolation);
    c->max_plugin_bytes = BH_PLUGIN_MAX_BYTES;
    c->workers = 1;
    c->log_level = BH_LOG_INFO;
    c->log_requests = 1;

    root = parse_file(&v, path);
    if (root == NULL)
        goto done;
    if (!cJSON_IsObject(root)) {
        problem(&v, NULL, "expected a JSON object, got %s", type_name(root));
        goto done;
    }
    check_known(&v, root, "", known);

    s = ov != NULL && ov->listen != NULL ? ov->listen : NULL;
    if (s == NULL)
        s = get_string(&v, root, "listen", "listen", 0);
    if (s == NULL)
        s = "127.0.0.1:8080";
    rc = bh_parse_listen(s, &c->listen_host, &c->listen_port);
    if (rc == BATON_ENOMEM)
        goto out;
    if (rc != 0)
        problem(&v, ov != NULL && ov->listen != NULL ? "--listen" : "listen",
                "expected HOST:PORT, got \"%s\"", s);

    u = c->workers;
    get_uint(&v, root, "workers", "workers", 1, 64, &u);
    c->workers = (unsigned)u;

    if (ov != NULL && ov->plugin_dir != NULL) {
        c->plugin_dir = strdup(ov->plugin_dir);
    } else {
        s = get_string(&v, root, "plugin_dir", "plugin_dir", 0);
        c->plugin_dir = resolve(c->dir, s != NULL ? s : "plugins");
    }
    if (ov != NULL && ov->data_dir != NULL) {
        c->data_dir = strdup(ov->data_dir);
    } else {
        s = get_string(&v, root, "data_dir", "data_dir", 0);
        c->data_dir = s != NULL ? resolve(c->dir, s) : strdup("data");
    }
    if (c->plugin_dir == NULL || c->data_dir == NULL)
        goto out;

    s = get_string(&v, root, "metrics_auth", "metrics_auth", 0);
    if (s != NULL && strcmp(s, "none") != 0 && strcmp(s, "tenant") != 0)
        problem(&v, "metrics_auth", "expected \"none\" or \"tenant\", got \"%s\"", s);
    c->metrics_auth = s != NULL && strcmp(s, "tenant") == 0;

    s = get_string(&v, root, "log_level", "log_level", 0);
    if (s != NULL) {
        static const char *const levels[] = {"debug", "info", "warn", "error"};
        int found = -1;
        for (int i = 0; i < 4; i++)
            if (strcmp(s, levels[i]) == 0)
                found = i;
        if (found < 0)
            problem(&v, "log_level", "expected debug, info, warn or error, got \"%s\"", s);
        else
            c->log_level = found;
    }
    j = cJSON_GetObjectItemCaseSensitive(root, "log_requests");
    if (j != NULL && !cJSON_IsBool(j))
        problem(&v, "log_requests", "expected a boolean, got %s", type_name(j));
    else if (j != NULL)
        c->log_requests = cJSON_IsTrue(j);

    j = cJSON_GetObjectItemCaseSensitive(root, "limits");
    if (j != NULL && !cJSON_IsObject(j)) {
        problem(&v, "limits", "expected an object, got %s", type_name(j));
    } else if (j != NULL) {
        bh_http_limits *l = &c->limits;
        check_known(&v, j, "limits.", limit_known);
        u = l->max_header_bytes;
        get_uint(&v, j, "max_header_bytes", "limits.max_header_bytes", 1024, 1 << 20, &u);
        l->max_header_bytes = (size_t)u;
        u = l->max_body_bytes;
        get_uint(&v, j, "max_body_bytes", "limits.max_body_bytes", 1024, 1LL << 32, &u);
        l->max_body_bytes = u;
        u = l->header_timeout_ms;
        get_uint(&v, j, "header_timeout_ms", "limits.header_timeout_ms", 100, 3600000, &u);
        l->header_timeout_ms = (uint32_t)u;
        u = l->body_timeout_ms;
        get_uint(&v, j, "body_timeout_ms", "limits.body_timeout_ms", 100, 3600000, &u);
        l->body_timeout_ms = (uint32_t)u;
        u = l->idle_timeout_ms;
        get_uint(&v, j, "idle_timeout_ms", "limits.idle_timeout_ms", 100, 3600000, &u);
        l->idle_timeout_ms = (uint32_t)u;
        u = l->max_pipelined;
        get_uint(&v, j, "max_pipelined", "limits.max_pipelined", 1, 1024, &u);
        l->max_pipelined = (uint32_t)u;
        u = l->max_connections;
        get_uint(&v, j, "max_connections", "limits.max_connections", 1, 1000000, &u);
        l->max_connections = (uint32_t)u;
        u = l->body_min_rate;
        get_uint(&v, j, "body_min_rate", "limits.body_min_rate", 1, 1 << 30, &u);
        l->body_min_rate = (uint32_t)u;
        u = l->body_deadline_ms;
        get_uint(&v, j, "body_deadline_ms", "limits.body_deadline_ms", 100, 3600000, &u);
        l->body_deadline_ms = (uint32_t)u;
        u = l->drain_timeout_ms;
        get_uint(&v, j, "drain_timeout_ms", "limits.drain_timeout_ms", 100, 3600000, &u);
        l->drain_timeout_ms = (uint32_t)u;
    }

    j = cJSON_GetObjectItemCaseSensitive(root, "isolation");
    if (j != NULL && !cJSON_IsObject(j)) {
        problem(&v, "isolation", "expected an object, got %s", type_name(j));
    } else if (j != NULL) {
        bh_isolation_limits *l = &c->isolation;
        static const struct {
            const char *name;
            long long lo, hi;
            size_t off;
        } fields[] = {
            {"call_timeout_ms", 10, 600000, offsetof(bh_isolation_limits, call_timeout_ms)},
            {"memory_mb", 16, 1048576, offsetof(bh_isolation_limits, memory_mb)},
            {"cpu_seconds", 1, 86400, offsetof(bh_isolation_limits, cpu_seconds)},
            {"workers_per_plugin", 1, 64, offsetof(bh_isolation_limits, workers_per_plugin)},
            {"tenant_concurrency", 1, 4096, offsetof(bh_isolation_limits, tenant_concurrency)},
            {"tenant_queue", 0, 100000, offsetof(bh_isolation_limits, tenant_queue)},
            {"load_timeout_ms", 100, 600000, offsetof(bh_isolation_limits, load_timeout_ms)},
        };
        check_known(&v, j, "isolation.", isolation_known);
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            char field[64];
            uint32_t *slot = (uint32_t *)((char *)l + fields[i].off);
            snprintf(field, sizeof field, "isolation.%s", fields[i].name);
            u = *slot;
            get_uint(&v, j, fields[i].name, field, fields[i].lo, fields[i].hi, &u);
            *slot = (uint32_t)u;
        }
        static const struct {
            const char *name, *field;
            size_t off;
        } flags[] = {
            {"netns", "isolation.netns", offsetof(bh_isolation_limits, netns)},
            {"require_landlock", "isolation.require_landlock",
             offsetof(bh_isolation_limits, require_landlock)},
        };
        for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
            const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, flags[i].name);
            if (b != NULL && !cJSON_IsBool(b))
                problem(&v, flags[i].field, "expected true or false, got %s", type_name(b));
            else if (b != NULL)
                *(int *)((char *)l + flags[i].off) = cJSON_IsTrue(b);
        }
        s = get_string(&v, j, "worker", "isolation.worker", 0);
        if (s != NULL && (c->worker_path = resolve(c->dir, s)) == NULL)
            goto out;
        l->worker_path = c->worker_path;
    }

    j = cJSON_GetObjectItemCaseSensitive(root, "plugin_policy");
    if (j != NULL && !cJSON_IsObject(j)) {
        problem(&v, "plugin_policy", "expected an object, got %s", type_name(j));
    } else if (j != NULL) {
        check_known(&v, j, "plugin_policy.", policy_known);
        if (get_keys(&v, j, "operator_keys", &c->operator_keys, &c->operator_key_count) != 0)
            goto out;
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(j, "require_operator_signature");
        if (req != NULL && !cJSON_IsBool(req))
            problem(&v, "plugin_policy.require_operator_signature",
                    "expected true or false, got %s", type_name(req));
        else if (req != NULL)
            c->require_operator_signature = cJSON_IsTrue(req);
        if (c->require_operator_signature && c->operator_key_count == 0)
            problem(&v, "plugin_policy.require_operator_signature",
                    "true, but plugin_policy.operator_keys lists no key");
        u = c->max_plugin_bytes;
        get_uint(&v, j, "max_plugin_bytes", "plugin_policy.max_plugin_bytes", 4096, 1LL << 30, &u);
        c->max_plugin_bytes = (size_t)u;
    }

    j = cJSON_GetObjectItemCaseSensitive(root, "tenants");
    if (j == NULL) {
        problem(&v, "tenants", "missing (expected an array of files or folders)");
    } else if (!cJSON_IsArray(j)) {
        problem(&v, "tenants", "expected an array, got %s", type_name(j));
    } else {
        int i = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, j)
        {
            char field[32];
            snprintf(field, sizeof(field), "tenants[%d]", i++);
            if (!cJSON_IsString(e) || e->valuestring[0] == '\0') {
                problem(&v, field, "expected a file or folder name, got %s", type_name(e));
                continue;
            }
            char *p = resolve(c->dir, e->valuestring);
            if (p == NULL)
                goto out;
            size_t n = strlen(p);
            if (p[n - 1] == '/') {
                rc = list_folder(&v, field, p, &files, &file_count);
                free(p);
                if (rc != 0)
                    goto out;
            } else {
                char **nf = realloc(files, (file_count + 1) * sizeof(*files));
                if (nf == NULL) {
                    free(p);
                    goto out;
                }
                files = nf;
                files[file_count++] = p;
            }
        }
    }

    paths.plugin_dir = c->plugin_dir;
    if (file_count > 0) {
        c->tenants = calloc(file_count, sizeof(*c->tenants));
        if (c->tenants == NULL)
            goto out;
    }
    for (size_t i = 0; i < file_count; i++) {
        /* err keeps the first problem over all files. */
        struct vctx tv = {files[i], report, ctx, 0, v.problems == 0 ? err : NULL, errlen};
        bh_tenant_config *t = &c->tenants[c->tenant_count];
        rc = load_tenant(&tv, files[i], &paths, c, t);
        if (rc != 0)
            goto out;
        if (tv.problems > 0) {
            v.problems += tv.problems;
            continue;
        }
        uint32_t first;
        rc = bh_id_index_add(&ids, t->id, (uint32_t)c->tenant_count, &first);
        if (rc == BATON_ENOMEM)
            goto out;
        if (rc == BATON_EEXIST) {
            v.file = files[i];
            problem(&v, "id", "tenant \"%s\" is already defined in %s", t->id,
                    c->tenants[first].source);
            v.file = path;
        }
        rc = 0;
        c->tenant_count++;
    }

    check_counterpart_tenants(&v, c, &ids);

done:
    rc = v.problems > 0 ? BATON_EINVAL : 0;
out:
    if (rc == BATON_ENOMEM && err != NULL && errlen > 0)
        snprintf(err, errlen, "%s: out of memory", path);
    for (size_t i = 0; i < file_count; i++)
        free(files[i]);
    free(files);
    bh_id_index_free(&ids);
    plugin_paths_free(&paths);
    cJSON_Delete(root);
    if (rc != 0) {
        bh_config_free(c);
        c = NULL;
    }
    *out = c;
    return rc;
}
