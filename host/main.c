/*
 * main.c - batond's entry: options, --check-config, token issuing, and
 * handing over to the daemon (daemon.h).
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "audit_log.h"
#include "auth.h"
#include "baton/plugin.h"
#include "config.h"
#include "daemon.h"
#include "id_index.h"
#include "log.h"
#include "plugin_set.h"
#include "store.h"

#define DEFAULT_CONFIG "config/batond.json"

static void usage(FILE *out)
{
    fprintf(out, "usage: batond [OPTIONS]\n"
                 "       batond [OPTIONS] token create TENANT [TENANT...]\n"
                 "       batond [OPTIONS] audit verify TENANT\n"
                 "\n"
                 "Baton's multi-tenant plugin host: serves the HTTP API for the tenants in\n"
                 "its config, with their plugins loaded through the versioned SDK.\n"
                 "\n"
                 "options:\n"
                 "  -c, --config FILE     config file (default " DEFAULT_CONFIG ")\n"
                 "  -l, --listen H:P      listen address, e.g. 127.0.0.1:8080 or [::1]:8080\n"
                 "      --plugin-dir DIR  where tenant plugin paths are resolved\n"
                 "      --data-dir DIR    state directory (token hashes, stores)\n"
                 "      --check-config    validate the config and load every plugin; report\n"
                 "                        every problem and exit 1 if there is any\n"
                 "      --issue-token T   same as 'token create T'\n"
                 "  -h, --help            this text\n"
                 "  -V, --version         version and SDK version\n"
                 "\n"
                 "token create TENANT prints a new bearer token for TENANT once, on stdout,\n"
                 "and stores only its BLAKE2b-256 hash in DATA_DIR/tokens/TENANT.hashes.\n"
                 "A running batond picks it up on SIGHUP. With several tenants, one line\n"
                 "\"TENANT TOKEN\" each (the config is read once).\n"
                 "\n"
                 "audit verify TENANT checks TENANT's audit log in DATA_DIR: the hash chain\n"
                 "row by row and every signed checkpoint (so rows cut off after one are\n"
                 "found); exit 0 when intact, 1 naming the first bad row and why\n"
                 "(docs/audit.md). It may run next to a running batond.\n"
                 "\n"
                 "signals: SIGHUP reloads config and plugins; SIGTERM drains and exits 0.\n"
                 "exit status: 0 ok, 1 invalid config or runtime failure, 2 usage error.\n");
}

static void print_problem(void *ctx, const char *line)
{
    int *count = ctx;
    (*count)++;
    fprintf(stderr, "%s\n", line);
}

struct check_ctx {
    int problems;
};

static void print_refusal(void *ctx, const char *tenant, const char *path, const char *message)
{
    struct check_ctx *c = ctx;
    (void)path;
    c->problems++;
    fprintf(stderr, "tenant %s: %s\n", tenant, message);
}

/* Adds tenant i's n token hashes to t; each one another tenant holds is a
 * problem, printed (the hash itself is not). Returns the problems. */
static int check_tokens(bh_token_table *t, const bh_config *cfg, size_t i,
                        const unsigned char (*h)[BH_TOKEN_HASH_BYTES], size_t n, const char *where)
{
    int problems = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t holder = 0;
        int rc = bh_token_table_add(t, h[k], (uint32_t)i, &holder);
        if (rc == BATON_EEXIST)
            fprintf(stderr,
                    "tenant %s: token hash %zu of %s is also a token hash of tenant %s: one token "
                    "names one tenant\n",
                    cfg->tenants[i].id, k + 1, where, cfg->tenants[holder].id);
        else if (rc != 0)
            fprintf(stderr, "tenant %s: out of memory\n", cfg->tenants[i].id);
        problems += rc != 0;
    }
    return problems;
}

static int check_config(const char *path, const bh_config_overrides *ov)
{
    struct check_ctx c = {0};
    bh_config *cfg = NULL;
    char err[512];
    size_t plugins = 0;

    if (bh_config_load(path, ov, print_problem, &c.problems, &cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s: %d problem%s\n", path, c.problems, c.problems == 1 ? "" : "s");
        return 1;
    }
    /* One check per distinct plugin file and config, and one token table
     * over all tenants, as a registry build has (tenant.h). */
    bh_plugin_load_cache *cache = bh_plugin_load_cache_new();
    bh_token_table tokens;
    if (bh_token_table_init(&tokens) != 0) {
        fprintf(stderr, "batond: cannot start libsodium\n");
        c.problems++;
    }
    for (size_t i = 0; i < cfg->tenant_count; i++) {
        const bh_tenant_config *t = &cfg->tenants[i];
        bh_plugin_set *set = NULL;
        unsigned char(*hashes)[BH_TOKEN_HASH_BYTES] = NULL;
        size_t n = 0;

        /* Every plugin is loaded in a worker only: a plugin whose
         * constructors or init crash is reported, never run here. */
        bh_plugin_load_opts opts = {
            .plugin_dir = cfg->plugin_dir,
            .limits = &cfg->isolation,
            .force_isolated = 1,
            .cache = cache,
            .on_refusal = print_refusal,
            .ctx = &c,
            .source = t->source,
        };
        if (bh_plugin_set_load_texts(
                t->id, t->plugins != NULL ? t->plugins->entries : NULL,
                t->plugins != NULL ? (const char *const *)t->plugins->config_texts : NULL, &opts,
                &set, err, sizeof(err)) != 0) {
            fprintf(stderr, "%s: plugins: %s\n", t->source, err);
            c.problems++;
        } else {
            plugins += set->count;
            bh_plugin_set_unref(set);
        }
        if (bh_token_store_load(cfg->data_dir, t->id, &hashes, &n, err, sizeof(err)) != 0) {
            fprintf(stderr, "tenant %s: %s\n", t->id, err);
            c.problems++;
        }
        c.problems += check_tokens(&tokens, cfg, i,
                                   (const unsigned char(*)[BH_TOKEN_HASH_BYTES])t->token_hashes,
                                   t->token_hash_count, "its tenant file");
        c.problems +=
            check_tokens(&tokens, cfg, i, (const unsigned char(*)[BH_TOKEN_HASH_BYTES])hashes, n,
                         "the data directory's token file");
        free(hashes);
    }
    bh_token_table_free(&tokens);
    bh_plugin_load_cache_free(cache);
    if (c.problems > 0) {
        fprintf(stderr, "%s: %d problem%s\n", path, c.problems, c.problems == 1 ? "" : "s");
        bh_config_free(cfg);
        return 1;
    }
    printf("%s: ok (%zu tenant%s, %zu plugin%s loaded from %s)\n", path, cfg->tenant_count,
           cfg->tenant_count == 1 ? "" : "s", plugins, plugins == 1 ? "" : "s", cfg->plugin_dir);
    bh_config_free(cfg);
    return 0;
}

/* Loads the config and checks that it has tenant: 0, or 1 with the
 * problem printed. */
static int load_with_tenant(const char *path, const bh_config_overrides *ov, const char *tenant,
                            bh_config **cfg)
{
    int problems = 0;
    char err[512];
    if (bh_config_load(path, ov, print_problem, &problems, cfg, err, sizeof(err)) != 0)
        return 1;
    for (size_t i = 0; i < (*cfg)->tenant_count; i++) {
        if (strcmp((*cfg)->tenants[i].id, tenant) == 0)
            return 0;
    }
    fprintf(stderr, "batond: no tenant '%s' in %s\n", tenant, path);
    bh_config_free(*cfg);
    *cfg = NULL;
    return 1;
}

static int audit_verify(const char *path, const bh_config_overrides *ov, const char *tenant)
{
    int rc = 1;
    bh_config *cfg = NULL;
    bh_store *store = NULL;
    baton_minisign_pubkey pub;
    bh_audit_report rep;
    char err[512], dir[PATH_MAX], file[PATH_MAX + 32];

    if (load_with_tenant(path, ov, tenant, &cfg) != 0)
        return 1;
    snprintf(dir, sizeof(dir), "%s/tenants/%s", cfg->data_dir, tenant);
    snprintf(file, sizeof(file), "%s/store.db", dir);
    if (access(file, F_OK) != 0) {
        fprintf(stderr, "batond: tenant '%s' has no audit log yet (no %s)\n", tenant, file);
        goto out;
    }
    snprintf(file, sizeof(file), "%s/keys/sign.pub", dir);
    if (baton_minisign_pubkey_load(file, &pub, err, sizeof(err)) != 0) {
        fprintf(stderr, "batond: cannot read the key checkpoints are signed with: %s\n", err);
        goto out;
    }
    snprintf(file, sizeof(file), "%s/store.db", dir);
    if (bh_store_open(file, &store, err, sizeof(err)) != 0) {
        fprintf(stderr, "batond: %s\n", err);
        goto out;
    }
    if (bh_audit_verify(store, tenant, &pub, &rep, err, sizeof(err)) != 0) {
        fprintf(stderr, "batond: the audit log of tenant '%s' is broken: %s\n", tenant, err);
        goto out;
    }
    printf("batond: the audit log of tenant '%s' is intact: %llu rows, %zu signed checkpoint%s",
           tenant, (unsigned long long)rep.rows, rep.checkpoints, rep.checkpoints == 1 ? "" : "s");
    if (rep.last_checkpoint > 0)
        printf(" (the last at row %lld)", (long long)rep.last_checkpoint);
    if (rep.last_seq > rep.last_checkpoint)
        printf("; rows %lld..%lld are not covered by a checkpoint yet",
               (long long)rep.last_checkpoint + 1, (long long)rep.last_seq);
    printf("\n");
    rc = 0;
out:
    bh_store_close(store);
    bh_config_free(cfg);
    return rc;
}

/*
 * token create TENANT...: one tenant prints its token alone; several print
 * "TENANT TOKEN" lines (the config is read once, so provisioning ten
 * thousand tenants is one command). Every tenant is checked before any
 * token is made: an unknown one creates nothing.
 */
static int issue_tokens(const char *path, const bh_config_overrides *ov, char *const *tenants,
                        size_t n)
{
    bh_config *cfg = NULL;
    bh_id_index ids;
    char err[512];
    unsigned char hash[BH_TOKEN_HASH_BYTES];
    char *token = NULL;
    int rc = 1;
    uint32_t at;

    bh_id_index_init(&ids);
    if (load_with_tenant(path, ov, tenants[0], &cfg) != 0)
        return 1;
    if (bh_id_index_reserve(&ids, cfg->tenant_count) != 0)
        goto oom;
    for (size_t i = 0; i < cfg->tenant_count; i++)
        if (bh_id_index_add(&ids, cfg->tenants[i].id, (uint32_t)i, NULL) == BATON_ENOMEM)
            goto oom;
    for (size_t i = 1; i < n; i++) {
        if (!bh_id_index_find(&ids, tenants[i], &at)) {
            fprintf(stderr, "batond: no tenant '%s' in %s; no token was created\n", tenants[i],
                    path);
            goto out;
        }
    }
    if (sodium_init() < 0 || (token = sodium_malloc(BH_TOKEN_TEXT_MAX)) == NULL) {
        fprintf(stderr, "batond: cannot set up secure memory\n");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (bh_token_generate(token, BH_TOKEN_TEXT_MAX) != 0) {
            fprintf(stderr, "batond: cannot generate a token\n");
            goto out;
        }
        bh_token_hash(token, strlen(token), hash);
        if (bh_token_store_add(cfg->data_dir, tenants[i], hash, err, sizeof(err)) != 0) {
            fprintf(stderr, "batond: %s\n", err);
            goto out;
        }
        if (n == 1)
            printf("%s\n", token);
        else
            printf("%s %s\n", tenants[i], token);
    }
    fflush(stdout);
    if (n == 1)
        fprintf(stderr,
                "batond: token for tenant '%s' printed once; only its hash is kept, in "
                "%s/tokens/%s.hashes. A running batond uses it after SIGHUP.\n",
                tenants[0], cfg->data_dir, tenants[0]);
    else
        fprintf(stderr,
                "batond: %zu tokens printed once, one line per tenant; only their hashes are "
                "kept, in %s/tokens/. A running batond uses them after SIGHUP.\n",
                n, cfg->data_dir);
    rc = 0;
    goto out;
oom:
    fprintf(stderr, "batond: out of memory\n");
out:
    if (token != NULL) {
        sodium_memzero(token, BH_TOKEN_TEXT_MAX);
        sodium_free(token);
    }
    bh_id_index_free(&ids);
    bh_config_free(cfg);
    return rc;
}

int main(int argc, char **argv)
{
    enum { OPT_PLUGIN_DIR = 256, OPT_DATA_DIR, OPT_CHECK, OPT_ISSUE };
    static const struct option longopts[] = {
        {"config", required_argument, NULL, 'c'},
        {"listen", required_argument, NULL, 'l'},
        {"plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR},
        {"data-dir", required_argument, NULL, OPT_DATA_DIR},
        {"check-config", no_argument, NULL, OPT_CHECK},
        {"issue-token", required_argument, NULL, OPT_ISSUE},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    bh_daemon_options opt;
    char *issue_one[1] = {NULL};
    char *const *issue = NULL;
    size_t issue_count = 0;
    const char *verify = NULL;
    int check = 0;
    int c;

    memset(&opt, 0, sizeof(opt));
    opt.config_path = DEFAULT_CONFIG;
    while ((c = getopt_long(argc, argv, "+c:l:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            opt.config_path = optarg;
            break;
        case 'l':
            opt.overrides.listen = optarg;
            break;
        case OPT_PLUGIN_DIR:
            opt.overrides.plugin_dir = optarg;
            break;
        case OPT_DATA_DIR:
            opt.overrides.data_dir = optarg;
            break;
        case OPT_CHECK:
            check = 1;
            break;
        case OPT_ISSUE:
            issue_one[0] = optarg;
            issue = issue_one;
            issue_count = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("batond %s (plugin SDK %d.%d)\n", BATON_VERSION, BATON_SDK_MAJOR,
                   BATON_SDK_MINOR);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        if (argc - optind >= 3 && strcmp(argv[optind], "token") == 0 &&
            strcmp(argv[optind + 1], "create") == 0) {
            issue = argv + optind + 2;
            issue_count = (size_t)(argc - optind - 2);
        } else if (argc - optind == 3 && strcmp(argv[optind], "audit") == 0 &&
                   strcmp(argv[optind + 1], "verify") == 0) {
            verify = argv[optind + 2];
        } else {
            fprintf(stderr, "batond: unexpected argument '%s'\n", argv[optind]);
            usage(stderr);
            return 2;
        }
    }
    if (check)
        return check_config(opt.config_path, &opt.overrides);
    if (verify != NULL)
        return audit_verify(opt.config_path, &opt.overrides, verify);
    if (issue != NULL)
        return issue_tokens(opt.config_path, &opt.overrides, issue, issue_count);
    return bh_daemon_run(&opt);
}
