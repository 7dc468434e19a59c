/*
 * daemon.h - batond's process: loops, signals, reloads, draining.
 *
 * The main thread's loop handles signals and reloads; each of the config's
 * "workers" threads runs its own loop with its own HTTP server on the same
 * port (SO_REUSEPORT when there is more than one). Requests take a
 * reference on the current tenant registry when they start and drop it when
 * their response is written.
 *
 *   SIGHUP   re-reads the config and rebuilds the registry (tenants,
 *            plugins, token hashes) on the thread pool, then swaps it in;
 *            requests in flight finish on the registry they started with,
 *            which is freed after the last of them. A config that fails
 *            validation is logged and the running one kept. listen, workers
 *            and limits need a restart to change.
 *   SIGTERM  (and SIGINT) stops accepting, lets in-flight requests finish,
 *            closes the connections and returns 0.
 *
 * Owns: threads, loops, signal handling, the registry slot, per-request
 * contexts (bh_req) from creation to free, the access log and request
 * metrics. Does not own: parsing HTTP (http.h), routing (router.h).
 */
#ifndef BH_DAEMON_H
#define BH_DAEMON_H

#include "config.h"

typedef struct bh_daemon_options {
    const char *config_path;
    bh_config_overrides overrides;
} bh_daemon_options;

/* Runs batond until SIGTERM/SIGINT. Returns the process exit status: 0 after
 * a clean drain, 1 when the config is invalid or the port cannot be bound. */
int bh_daemon_run(const bh_daemon_options *opt);

/* The refusal/problem reporter the daemon uses, also used by
 * --check-config: logs one line per refused plugin. */
void bh_daemon_log_refusal(void *ctx, const char *tenant, const char *file, const char *message);

#endif
