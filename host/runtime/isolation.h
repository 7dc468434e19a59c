/*
 * isolation.h - running a plugin in a sandboxed worker process.
 *
 * An isolated plugin is never dlopened by batond: a worker (host/worker/,
 * the baton-worker binary) is fork+exec'd with an empty environment, locks
 * itself down (no_new_privs, seccomp, Landlock where the kernel has it,
 * rlimits, its own namespaces where permitted), loads the plugin and
 * answers calls over a socketpair (worker_proto.h). docs/isolation.md holds
 * the threat model.
 *
 * Two ways to talk to workers:
 *
 *   - bh_worker_sync_*: blocking, one worker, for load checks (config load,
 *     SIGHUP reload, --check-config, plugin uploads) and the CLI. Never on
 *     an event-loop thread.
 *   - bh_isolation (isolation_pool.h): asynchronous pools on an event loop,
 *     for requests.
 *
 * Owns: limits, locating the worker binary, spawning, the synchronous
 * client. Does not own: the protocol encoding (worker_proto.h, wire.h) or
 * the sandbox itself (host/worker/sandbox.c).
 */
#ifndef BH_ISOLATION_H
#define BH_ISOLATION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "baton/plugin.h"

/* Limits of isolated plugins (batond.json "isolation"; config.h). */
typedef struct bh_isolation_limits {
    uint32_t call_timeout_ms;    /* deadline of one call in a worker; 2000 */
    uint32_t memory_mb;          /* RLIMIT_AS of a worker; 256 */
    uint32_t cpu_seconds;        /* RLIMIT_CPU of a worker (it retires at half); 60 */
    uint32_t workers_per_plugin; /* per (plugin instance, event loop); 2 */
    uint32_t tenant_concurrency; /* a tenant's calls in workers at once; 8 */
    uint32_t tenant_queue;       /* a tenant's calls waiting beyond that; 64 */
    uint32_t load_timeout_ms;    /* worker start to LOADED (and, added to the call
                                    deadline, the longest wait for a worker); 5000 */
    int netns;                   /* give each worker its own network namespace */
    int require_landlock;        /* refuse isolated plugins without Landlock; 1 */
    const char *worker_path;     /* NULL: bh_worker_default_path() */
} bh_isolation_limits;

void bh_isolation_limits_default(bh_isolation_limits *l);

/*
 * The worker binary: $BATON_WORKER when set, else baton-worker next to the
 * running executable, else (for a program of the build tree: tests, the
 * CLI) the build tree's host/baton-worker, else the libexec/baton/baton-worker
 * of the install the executable belongs to (found relative to it), else the
 * configured install path.
 * Returns a static string.
 */
const char *bh_worker_default_path(void);

/* What a worker reports about the plugin it loaded (LOADED). Owned
 * strings; free with bh_plugin_info_clear. */
typedef struct bh_plugin_info {
    char *name, *version, *scope;
    unsigned sdk_major, sdk_minor;
    unsigned caps;       /* BH_CAP_* bits (worker_proto.h) */
    char **letter_kinds; /* NULL-terminated */
    unsigned sandbox;    /* BH_SANDBOX_* bits in force in the worker */
} bh_plugin_info;

void bh_plugin_info_clear(bh_plugin_info *info);

/* The names of the BH_SANDBOX_* bits set ("no_new_privs", "seccomp",
 * "landlock", "rlimits", "netns", "userns"), at most max of them, into
 * names (static strings); returns how many. */
size_t bh_sandbox_layers(unsigned bits, const char **names, size_t max);

/* The same, comma-separated into buf ("none" when none). */
void bh_sandbox_names(unsigned bits, char *buf, size_t len);
/* A deep copy; 0 or BATON_ENOMEM. */
int bh_plugin_info_copy(bh_plugin_info *dst, const bh_plugin_info *src);

/*
 * A spawned worker process with its end of the socketpair. pid and fd are
 * the caller's: bh_worker_spawn does not wait for it.
 */
int bh_worker_spawn(const bh_isolation_limits *lim, pid_t *pid, int *fd, char *err, size_t errlen);

/* ---- the synchronous client ---- */

typedef struct bh_worker_sync bh_worker_sync;

/*
 * Spawns a worker and loads path for tenant with config_json ("" or NULL:
 * {}). load_flags: BH_LOAD_PROBE for a load check only. On success *out is
 * the worker and *info describes the plugin. On refusal (ABI, init) returns
 * BATON_EPLUGIN with the worker's one line in err; on a crash or timeout
 * BATON_EPLUGIN with what happened ("worker killed by signal 11 (SIGSEGV)
 * while loading"). Stop with bh_worker_sync_stop.
 */
int bh_worker_sync_start(const bh_isolation_limits *lim, const char *tenant, const char *path,
                         const char *config_json, unsigned load_flags, bh_worker_sync **out,
                         bh_plugin_info *info, char *err, size_t errlen);

/*
 * One call (caps BH_CAP_* bits; kind for BH_CAP_LETTER). *plugin_rc gets
 * the plugin's return code; the builder operations are replayed into result
 * (if not NULL) and letter (if not NULL), attributed to the plugin. Returns
 * 0 when the worker answered, else BATON_EPLUGIN with what happened
 * (crash, timeout after lim->call_timeout_ms, protocol error); the worker is
 * then dead and only bh_worker_sync_stop remains.
 */
int bh_worker_sync_call(bh_worker_sync *w, unsigned caps, const char *kind, const char *as_of,
                        const char *case_json, size_t case_len, const char *result_json,
                        baton_result *result, baton_letter *letter, int *plugin_rc, char *err,
                        size_t errlen);

/* Closes the socket, waits for the worker (SIGKILL after a short grace). */
void bh_worker_sync_stop(bh_worker_sync *w);

/*
 * Loads path in a throwaway worker with BH_LOAD_PROBE and stops it: the
 * load check batond runs before it trusts a plugin in process, and before
 * it accepts an upload. 0 with *info filled, or a negative code with one
 * line in err.
 */
int bh_plugin_probe(const bh_isolation_limits *lim, const char *tenant, const char *path,
                    const char *config_json, bh_plugin_info *info, char *err, size_t errlen);

#endif
