/*
 * sandbox.h - the lockdown layers of baton-worker, the isolated plugin
 * worker (worker_main.c), applied in this order:
 *
 *   at start      bh_sandbox_close_fds, bh_sandbox_process, bh_sandbox_rlimits,
 *                 bh_sandbox_fault_handler (SIGSYS -> one FAULT frame)
 *   before        bh_sandbox_no_new_privs, bh_sandbox_namespaces,
 *   dlopen        bh_sandbox_landlock, bh_sandbox_lower_nofile,
 *                 bh_sandbox_seccomp: the one and final filter
 *
 * Nothing of the plugin runs before the last layer is in force: its ELF
 * constructors, init and every call run under all of them, and the filter
 * traps seccomp(2) and the prctl calls that could loosen it, so plugin code
 * can neither add a filter of its own nor change the rlimits.
 *
 * Each function returns 0 or a negative errno and ORs the BH_SANDBOX_* bits
 * (worker_proto.h) of the layers it brought up into *in_force, so LOADED
 * reports what is really in force on this kernel. Namespaces are best
 * effort; a failure of no_new_privs, of the rlimits or of seccomp refuses
 * the load, and so does a kernel without Landlock unless the host passed
 * --allow-no-landlock (Landlock returns 0 without its bit there).
 *
 * Owns: process-wide state of the worker (rlimits, namespaces, the
 * Landlock domain, the seccomp filter, the SIGSYS handler). Does not own
 * the protocol (worker_main.c) or the plugin (plugin_loader.h).
 */
#ifndef BH_WORKER_SANDBOX_H
#define BH_WORKER_SANDBOX_H

/* Exit status of a worker that made a forbidden system call. */
#define BH_WORKER_EXIT_FAULT 70

/*
 * RLIMIT_NOFILE from before dlopen on: 0-3 are open, and dlopen opens a
 * plugin and each library it needs one at a time (each closed once mapped),
 * which leaves room for a plugin's own short-lived descriptors.
 */
#define BH_WORKER_NOFILE 16

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

/* Lowers RLIMIT_NOFILE (soft and hard) to BH_WORKER_NOFILE. */
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
 * A Landlock domain that handles every file system right the kernel's ABI
 * knows and allows only reading files and directories beneath /lib, /lib64,
 * /usr/lib and /usr/lib64, and reading /etc/ld.so.cache and plugin_path.
 * Where the ABI has them, TCP bind/connect are denied too and abstract UNIX
 * sockets and signals are scoped to the domain. Returns 0 without
 * BH_SANDBOX_LANDLOCK where the kernel has no Landlock or has it disabled
 * (the caller decides whether to go on).
 */
int bh_sandbox_landlock(const char *plugin_path, unsigned *in_force);

/*
 * Installs the SIGSYS handler the seccomp filter traps into: it writes one
 * FAULT frame ("forbidden system call NAME") to BH_WORKER_FD with write(2)
 * from static memory and _exits with BH_WORKER_EXIT_FAULT. Call before the
 * filter; the filter refuses rt_sigaction on SIGSYS afterwards.
 */
int bh_sandbox_fault_handler(void);

/*
 * The worker's one seccomp filter, final: what the dynamic loader, the
 * runtime and a well-behaved plugin need is allowed (opening read-only,
 * executable memory only as a mapping of a file, never writable too);
 * hostile calls trap (seccomp, the prctl options that could loosen the
 * sandbox, exec, fork/clone, sockets, ptrace, signals to other processes,
 * opens for writing, anonymous executable memory, mprotect to executable,
 * unlink/rename/mkdir, mount, module loading, ...); anything else fails
 * with EPERM (setting an rlimit, a SIGSYS handler among them). Sets
 * BH_SANDBOX_SECCOMP.
 */
int bh_sandbox_seccomp(unsigned *in_force);

#endif
