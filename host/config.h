/*
 * config.h - batond.json and the tenant files it names, read and validated.
 *
 * batond.json (every field optional except "tenants"):
 *   {
 *     "listen": "127.0.0.1:8080",        host:port ("[::1]:8080" for IPv6)
 *     "workers": 1,                       event loops (SO_REUSEPORT), 1..64
 *     "plugin_dir": "../build/plugins",   relative to the config file's folder
 *     "data_dir": "../data",              relative to the config file's folder;
 *                                         default ./data (current directory)
 *     "tenants": ["tenants/"],            files, or folders ending in "/" whose
 *                                         *.json are all read (relative to the
 *                                         config file's folder)
 *     "metrics_auth": "none",             "none" or "tenant" (any valid token)
 *     "log_level": "info",                debug, info, warn, error
 *     "log_requests": true,               one access line per request
 *     "limits": {"max_header_bytes", "max_body_bytes", "header_timeout_ms",
 *                "body_timeout_ms", "idle_timeout_ms", "max_pipelined",
 *                "max_connections", "body_min_rate", "body_deadline_ms",
 *                "drain_timeout_ms"},                 http.h, docs/http.md
 *     "isolation": {"call_timeout_ms": 2000, "memory_mb": 256,
 *                   "cpu_seconds": 60, "workers_per_plugin": 2,
 *                   "tenant_concurrency": 8, "tenant_queue": 64,
 *                   "load_timeout_ms": 5000, "netns": false,
 *                   "require_landlock": true,
 *                   "worker": "path/to/baton-worker"}       isolation.h
 *     "plugin_policy": {"operator_keys": ["RW..."],       minisign keys
 *                       "require_operator_signature": false,
 *                       "max_plugin_bytes": 67108864}
 *   }
 * A tenant file:
 *   {"id": "northwind", "kind": "agency" | "lawfirm", "name": "...",
 *    "plugins": [{"path": "gb-ew.so", "config": {...}, "isolated": false}, ...],
 *    "plugin_signing_keys": ["RW..."],   minisign public keys (the key line
 *                                        of a .pub file) the tenant signs
 *                                        the plugins it uploads with
 *    "plugin_signing_key_files": ["k.pub"],  the same from .pub files
 *                                        (relative to the tenant file; a
 *                                        file not there yet adds nothing)
 *    "token_hashes": ["blake2b256:<64 hex>", ...],   one token names one
 *                                        tenant: a hash two tenants hold is
 *                                        refused when the registry is built
 *    "counterparts": [{"tenant": "harbor-law", "agreement": {...}}, ...]}
 *                                        see counterparts.h (an agreement only
 *                                        in an agency's file)
 *
 * Validation is strict: unknown fields, wrong types and bad values are all
 * problems, each reported as one line naming the file and the exact field,
 * e.g. "config/tenants/northwind.json: plugins[1].path: expected a string".
 * Every problem is reported, not just the first. Also refused: a file that
 * is not a regular file (opened without blocking, so a FIFO never hangs a
 * start or reload) or is over 4 MiB; text breaking the JSON input rule
 * (json_input.h); a plugin path that is absolute, has a ".." component or
 * resolves (through a symbolic link) outside plugin_dir; a counterpart
 * {"tenant": ID} naming no other tenant of the config; an integer, in
 * batond.json or anywhere in a plugin's config, written with a fraction or
 * an exponent ("14.0", "3e1").
 *
 * Owns: parsing, validation, resolving relative paths. Does not own: opening
 * plugins (plugin_set.h) or the token hashes kept in the data directory
 * (auth.h).
 */
#ifndef BH_CONFIG_H
#define BH_CONFIG_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "http.h"
#include "id_index.h"
#include "isolation.h"

enum bh_tenant_kind {
    BH_TENANT_AGENCY = 1,
    BH_TENANT_LAWFIRM = 2,
};

#define BH_TOKEN_HASH_BYTES 32

/*
 * A tenant file's plugin entries, validated, each entry's config printed
 * once as JSON text. Tenant files whose "plugins" hold the same bytes share
 * one list, parsed, validated and printed once per config load: ten
 * thousand tenants configured alike cost one list, not ten thousand trees.
 */
typedef struct bh_plugin_list {
    cJSON *entries;      /* owned array of {"path","config","isolated"} */
    char **config_texts; /* owned: each entry's config as JSON text ("{}" when none) */
    size_t count;
    char *key; /* owned: the bytes of "plugins" it was parsed from; NULL: not shared */
    size_t key_len;
    char digest[17]; /* the key's hash (bytes_hash.h) in hex: its index key */
} bh_plugin_list;

typedef struct bh_tenant_config {
    char *id;
    enum bh_tenant_kind kind;
    char *name;                    /* display name; defaults to id */
    char *source;                  /* the file it came from */
    const bh_plugin_list *plugins; /* borrowed from the config; NULL: none, or once a
                                    * registry has loaded them (tenant.h) */
    char **plugin_signing_keys;    /* owned, validated minisign public key lines */
    size_t plugin_signing_key_count;
    cJSON *counterparts; /* owned array, validated (counterparts.h) */
    unsigned char (*token_hashes)[BH_TOKEN_HASH_BYTES];
    size_t token_hash_count;
} bh_tenant_config;

typedef struct bh_config {
    char *path; /* the config file as given */
    char *dir;  /* its folder */
    char *listen_host;
    int listen_port;
    unsigned workers;
    char *plugin_dir; /* resolved */
    char *data_dir;   /* resolved */
    int metrics_auth; /* 0 none, 1 any tenant token */
    int log_level;    /* enum bh_log_level */
    int log_requests;
    bh_http_limits limits;
    bh_isolation_limits isolation; /* worker_path points into worker_path */
    char *worker_path;             /* owned, resolved; NULL: the default */
    char **operator_keys;          /* owned minisign public key lines */
    size_t operator_key_count;
    int require_operator_signature;
    size_t max_plugin_bytes;
    bh_tenant_config *tenants;
    size_t tenant_count;
    /* The tenants' plugin lists (owned), and the shared ones by key. */
    bh_plugin_list **plugin_lists;
    size_t plugin_list_count, plugin_list_cap;
    bh_id_index plugin_list_keys; /* key digest -> index into plugin_lists */
} bh_config;

/* Command-line values that win over the file (NULL: keep the file's). */
typedef struct bh_config_overrides {
    const char *listen;
    const char *plugin_dir;
    const char *data_dir;
} bh_config_overrides;

/* Receives each problem as one line. */
typedef void (*bh_problem_fn)(void *ctx, const char *line);

/*
 * Reads and validates path (and its tenant files). On success returns 0 and
 * *out (free with bh_config_free). When there are problems, each goes to
 * report (may be NULL), the first also to err, and a negative code returns.
 */
int bh_config_load(const char *path, const bh_config_overrides *ov, bh_problem_fn report, void *ctx,
                   bh_config **out, char *err, size_t errlen);
void bh_config_free(bh_config *c);

/* Frees the plugin lists (what a registry build has loaded, it no longer
 * needs); every tenant's plugins is NULL after. */
void bh_config_drop_plugin_lists(bh_config *c);

/* Parses "host:port", "[v6]:port" or ":port" (host "127.0.0.1"). */
int bh_parse_listen(const char *s, char **host, int *port);

/* "agency" / "lawfirm". */
const char *bh_tenant_kind_name(enum bh_tenant_kind k);

/* Checks a tenant id: 1-63 of [a-z0-9-], starting with a letter or digit. */
int bh_tenant_id_valid(const char *id);

#endif
