/*
 * sandbox.h - the lockdown layers of baton-worker, the isolated plugin
 * worker (worker_main.c), applied in this order:
 *
 *   at start      bh_sandbox_close_fds, bh_sandbox_process, bh_sandbox_rlimits,
 *                 bh_sandbox_fault_handler (SIGSYS -> one FAULT frame)
 *   stage 1       bh_sandbox_no_new_privs, bh_sandbox_namespaces,
 *   (before       bh_sandbox_landlock, bh_sandbox_seccomp_stage1:
 *    dlopen)      the plugin's ELF constructors already run under these
 *   stage 2       bh_sandbox_lower_nofile, bh_sandbox_seccomp_stage2:
 *   (before init) no file can be opened any more, no executable memory
 *                 mapped, reads only from the host's socket
 *
 * Each function returns 0 or a negative errno and ORs the BH_SANDBOX_* bits
 * (worker_proto.h) of the layers it brought up into *in_force, so LOADED
 * reports what is really in force on this kernel. The worker goes on
 * without the layers marked best effort when they fail (Landlock returns 0
 * without its bit on a kernel that has none); a failure of no_new_privs or
 * of either seccomp stage refuses the load.
 *
 * Owns: process-wide state of the worker (rlimits, namespaces, the
 * Landlock domain, the seccomp filters, the SIGSYS handler). Does not own
 * the protocol (worker_main.c) or the plugin (plugin_loader.h).
 */
#ifndef BH_WORKER_SANDBOX_H
#define BH_WORKER_SANDBOX_H

/* Exit status of a worker that made a forbidden system call. */
#define BH_WORKER_EXIT_FAULT 70

/* RLIMIT_NOFILE once the plugin is loaded (0-3 are open). */
#define BH_WORKER_NOFILE 8

/* Closes every descriptor above BH_WORKER_FD. */
int bh_sandbox_close_fds(void);

/* Makes the worker its own process group leader (harmless when it already
 * is) and asks for SIGKILL when its parent dies. */
int bh_sandbox_process(void);

/*
 * RLIMIT_CORE 0, RLIMIT_FSIZE 0, RLIMIT_NPROC 0 (best effort: root is
 * exempt), RLIMIT_CPU cpu_seconds soft / cpu_seconds + 1 hard, and
 * RLIMIT_AS memory_mb MiB except in AddressSanitizer builds, whose shadow
 * memory cannot live under RLIMIT_AS (the host caps the sanitizer's
 * allocator through ASAN_OPTIONS there). Sets BH_SANDBOX_RLIMITS.
 */
int bh_sandbox_rlimits(unsigned memory_mb, unsigned cpu_seconds, unsigned *in_force);

/* Lowers RLIMIT_NOFILE to BH_WORKER_NOFILE. */
int bh_sandbox_lower_nofile(void);

/* PR_SET_NO_NEW_PRIVS; sets BH_SANDBOX_NO_NEW_PRIVS. Required by Landlock
 * and by seccomp for an unprivileged worker. */
int bh_sandbox_no_new_privs(unsigned *in_force);

/*
 * Best effort: a new user, network and IPC namespace; when a user namespace
 * is refused, network and IPC alone (which root may create). A new network
 * namespace holds only a loopback device that is down: no network at all.
 * Sets BH_SANDBOX_USERNS and/or BH_SANDBOX_NETNS.
 */
int bh_sandbox_namespaces(unsigned *in_force);

/*
 * Best effort (0 without BH_SANDBOX_LANDLOCK where the kernel has no
 * Landlock): a Landlock domain that handles every file system right the
 * kernel's ABI knows and allows only reading files and directories beneath
 * /lib, /lib64, /usr/lib and /usr/lib64, and reading /etc/ld.so.cache and
 * plugin_path. Where the ABI has them, TCP bind/connect are denied too and
 * abstract UNIX sockets and signals are scoped to the domain.
 */
int bh_sandbox_landlock(const char *plugin_path, unsigned *in_force);

/*
 * Installs the SIGSYS handler the seccomp filters trap into: it writes one
 * FAULT frame ("forbidden system call NAME") to BH_WORKER_FD with write(2)
 * from static memory and _exits with BH_WORKER_EXIT_FAULT. Call before the
 * first filter; the filters refuse rt_sigaction on SIGSYS afterwards.
 */
int bh_sandbox_fault_handler(void);

/*
 * Stage 1 filter: what the dynamic loader, the runtime and a plugin's
 * constructors need (read-only opens among them) is allowed; hostile calls
 * (exec, fork/clone, sockets, ptrace, signals to other processes, opens for
 * writing, unlink/rename/mkdir, mount, module loading, ...) trap; anything
 * else fails with EPERM. Sets BH_SANDBOX_SECCOMP.
 */
int bh_sandbox_seccomp_stage1(unsigned *in_force);

/*
 * Stage 2 filter, stacked on stage 1: no open of any kind (trap), mmap and
 * mprotect without PROT_EXEC, read only from BH_WORKER_FD, write only to it
 * and to stdout/stderr (/dev/null), no close of BH_WORKER_FD, no new
 * filters or rlimits.
 */
int bh_sandbox_seccomp_stage2(void);

#endif
