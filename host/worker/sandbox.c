/* sandbox.c - descriptors, process, rlimits, no_new_privs, namespaces (sandbox.h). */
#include "sandbox.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "worker_proto.h"

#if defined(__SANITIZE_ADDRESS__)
#define WORKER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WORKER_ASAN 1
#endif
#endif

int bh_sandbox_close_fds(void)
{
    if (close_range(BH_WORKER_FD + 1, ~0u, 0) == 0)
        return 0;
    /* Kernels before 5.9: close one by one up to the descriptor limit. */
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > 65536)
        max = 65536;
    for (int fd = BH_WORKER_FD + 1; fd < max; fd++)
        close(fd);
    return 0;
}

int bh_sandbox_process(void)
{
    /* Fails with EPERM when the worker already leads a session: harmless. */
    (void)setpgid(0, 0);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
        return -errno;
    return 0;
}

static int set_limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit rl = {soft, hard};
    return setrlimit(resource, &rl) == 0 ? 0 : -errno;
}

int bh_sandbox_rlimits(unsigned memory_mb, unsigned cpu_seconds, unsigned *in_force)
{
    int rc;
    if ((rc = set_limit(RLIMIT_CORE, 0, 0)) != 0 || (rc = set_limit(RLIMIT_FSIZE, 0, 0)) != 0 ||
        (rc = set_limit(RLIMIT_CPU, cpu_seconds, (rlim_t)cpu_seconds + 1)) != 0)
        return rc;
#ifndef WORKER_ASAN
    if ((rc = set_limit(RLIMIT_AS, (rlim_t)memory_mb << 20, (rlim_t)memory_mb << 20)) != 0)
        return rc;
#else
    (void)memory_mb;
#endif
    /* Best effort: root and CAP_SYS_RESOURCE are exempt, and fork is
     * refused by seccomp anyway. */
    (void)set_limit(RLIMIT_NPROC, 0, 0);
    *in_force |= BH_SANDBOX_RLIMITS;
    return 0;
}

int bh_sandbox_lower_nofile(void)
{
    return set_limit(RLIMIT_NOFILE, BH_WORKER_NOFILE, BH_WORKER_NOFILE);
}

int bh_sandbox_no_new_privs(unsigned *in_force)
{
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -errno;
    *in_force |= BH_SANDBOX_NO_NEW_PRIVS;
    return 0;
}

int bh_sandbox_namespaces(unsigned *in_force)
{
    /*
     * A user namespace first: inside it the worker holds no capability in
     * the initial namespace any more, even when started as root. Without
     * one (unprivileged user namespaces disabled), root can still create
     * the network and IPC namespaces.
     */
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWIPC) == 0) {
        *in_force |= BH_SANDBOX_USERNS | BH_SANDBOX_NETNS;
        return 0;
    }
    if (unshare(CLONE_NEWNET | CLONE_NEWIPC) == 0) {
        *in_force |= BH_SANDBOX_NETNS;
        return 0;
    }
    return -errno;
}
