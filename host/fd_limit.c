/* fd_limit.c - raising and stating the file descriptor limit (fd_limit.h). */
#include "fd_limit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "log.h"

/* Descriptors batond holds besides connections and tenant stores: the
 * listener, loops, signal pipes, the log, a few workers. A margin, not a
 * count. */
#define FD_BASE_MARGIN 64

static void text_of(rlim_t v, char *buf, size_t len)
{
    if (v == RLIM_INFINITY)
        snprintf(buf, len, "unlimited");
    else
        snprintf(buf, len, "%llu", (unsigned long long)v);
}

void bh_fd_limit_raise(unsigned workers, uint32_t max_connections)
{
    struct rlimit rl;
    char soft[24], hard[24], want[24];
    unsigned long long conns = (unsigned long long)workers * max_connections + FD_BASE_MARGIN;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        bh_log(BH_LOG_WARN, "cannot read the file descriptor limit", "reason", strerror(errno),
               NULL);
        return;
    }
    if (rl.rlim_cur != rl.rlim_max) {
        struct rlimit raised = {rl.rlim_max, rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            rl.rlim_cur = rl.rlim_max;
        else
            bh_log(BH_LOG_WARN, "cannot raise the file descriptor limit", "reason", strerror(errno),
                   NULL);
    }
    text_of(rl.rlim_cur, soft, sizeof soft);
    text_of(rl.rlim_max, hard, sizeof hard);
    snprintf(want, sizeof want, "%llu", conns);
    if (rl.rlim_cur != RLIM_INFINITY && (unsigned long long)rl.rlim_cur < conns)
        bh_log(BH_LOG_WARN,
               "the file descriptor limit is below what the configured connections may take; "
               "raise the hard limit (e.g. LimitNOFILE=) or lower limits.max_connections",
               "event", "fd_limit", "limit", soft, "hard", hard, "connections_need", want, NULL);
    else
        bh_log(BH_LOG_INFO, "file descriptor limit", "event", "fd_limit", "limit", soft, "hard",
               hard, "connections_need", want, NULL);
}
