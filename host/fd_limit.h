/*
 * fd_limit.h - batond's file descriptor budget.
 *
 * Connections, open tenant stores (two SQLite databases each, with their
 * WAL and shared-memory files), plugin workers and uploads all take file
 * descriptors, and a distribution's default soft limit (often 1024) is far
 * below what a daemon with ten thousand tenants and connections needs. At
 * start batond raises its soft RLIMIT_NOFILE to the hard limit (what an
 * unprivileged process may do; the operator sets the hard limit, e.g.
 * systemd's LimitNOFILE=), and says in the log what it has and what the
 * configured connections alone may take, warning when that is more.
 *
 * Owns: the soft limit and the log lines about it. Does not own: how many
 * connections (http.h) or tenant stores (tenant_state.h) are open.
 */
#ifndef BH_FD_LIMIT_H
#define BH_FD_LIMIT_H

#include <stdint.h>

/* Raises the soft limit to the hard one and logs both, with the
 * connections' share: workers * max_connections. Never fails batond. */
void bh_fd_limit_raise(unsigned workers, uint32_t max_connections);

#endif
