/*
 * seccomp_filter.c - the worker's seccomp filter and the SIGSYS handler it
 * traps into (sandbox.h).
 *
 * One filter, installed before dlopen and never followed by another (the
 * filter traps seccomp(2) and prctl(PR_SET_SECCOMP)): every line of plugin
 * code, its ELF constructors included, runs under exactly this filter.
 *
 * Three answers: ALLOW for what the worker and a well-behaved plugin need,
 * TRAP for what only a hostile or broken plugin would try (the worker then
 * reports a FAULT naming the call and exits), ERRNO(EPERM) for everything
 * else, so that probing libraries (isatty, sysconf, locale lookups) fail
 * softly instead of killing the worker.
 *
 * Argument checks are written so that the ALLOW and TRAP rules of one call
 * cover disjoint sets and anything neither covers falls to EPERM. The
 * kernel truncates int arguments to 32 bits but seccomp compares all 64, so
 * an ALLOW rule never tests "not equal" on an int argument (a value with
 * high bits set would pass the filter yet act on the truncated number);
 * rt_sigaction, for one, allows each signal range explicitly rather than
 * "anything but SIGSYS".
 */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wire.h"
#include "worker_proto.h"

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41 /* Linux 5.17 */
#endif
#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59 /* Linux 5.11 */
#endif

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp SIGSYS (asm-generic/siginfo.h) */
#endif

/* ---- the SIGSYS handler ---- */

#define MAX_TRAPPED 192

/* Names of the calls the filter traps, filled in while the filter is
 * built, read by the handler. */
static struct {
    int nr;
    char name[28];
} trapped[MAX_TRAPPED];
static size_t trapped_count;

static void remember_trap(int nr, const char *name)
{
    for (size_t i = 0; i < trapped_count; i++) {
        if (trapped[i].nr == nr)
            return;
    }
    if (trapped_count == MAX_TRAPPED || strlen(name) >= sizeof trapped[0].name)
        return;
    trapped[trapped_count].nr = nr;
    memcpy(trapped[trapped_count].name, name, strlen(name) + 1);
    trapped_count++;
}

/* The FAULT frame is assembled here: no allocation in a signal handler. */
static uint8_t fault_frame[128];

static size_t put(uint8_t *at, size_t off, const char *s)
{
    while (*s != '\0' && off < sizeof fault_frame - 1)
        at[off++] = (uint8_t)*s++;
    return off;
}

/*
 * Async-signal-safe: static memory and raw system calls only (no libc
 * wrapper a sanitizer intercepts: AddressSanitizer's _exit runs its own
 * exit work, which may itself trap while SIGSYS is blocked here).
 */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
    const char *name = NULL;
    char number[16];
    (void)sig;
    (void)uc;
    if (si->si_code == SYS_SECCOMP) {
        for (size_t i = 0; i < trapped_count && name == NULL; i++) {
            if (trapped[i].nr == si->si_syscall)
                name = trapped[i].name;
        }
    }
    if (name == NULL) {
        /* Not one of ours (a SIGSYS raised by hand): its number. */
        unsigned v = si->si_code == SYS_SECCOMP ? (unsigned)si->si_syscall : 0;
        size_t n = sizeof number - 1;
        number[n] = '\0';
        do {
            number[--n] = (char)('0' + v % 10);
            v /= 10;
        } while (v != 0 && n > 0);
        name = number + n;
    }
    /* u32 length, u8 FAULT, u32 string length, the string, NUL. */
    size_t off = put(fault_frame, 9, "forbidden system call ");
    off = put(fault_frame, off, name);
    fault_frame[off] = 0;
    bh_wire_put_u32(fault_frame + 5, (uint32_t)(off - 9));
    fault_frame[4] = BH_FRAME_FAULT;
    bh_wire_put_u32(fault_frame, (uint32_t)(off + 1 - 4));
    const uint8_t *p = fault_frame;
    size_t left = off + 1;
    while (left > 0) {
        long w = syscall(SYS_write, BH_WORKER_FD, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        p += w;
        left -= (size_t)w;
    }
    syscall(SYS_exit_group, BH_WORKER_EXIT_FAULT);
}

int bh_sandbox_fault_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigfillset(&sa.sa_mask);
    return sigaction(SIGSYS, &sa, NULL) == 0 ? 0 : -errno;
}

/* ---- building the filter ---- */

/* A filter under construction; the first failure sticks in rc. */
typedef struct filter {
    scmp_filter_ctx ctx;
    int rc;
} filter;

/* One rule: action for name when every comparison in cmp holds. */
static void rule(filter *f, uint32_t action, const char *name, unsigned n,
                 const struct scmp_arg_cmp *cmp)
{
    if (f->rc != 0)
        return;
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR)
        return; /* unknown to this libseccomp: nothing to allow or deny */
    if (action == SCMP_ACT_TRAP)
        remember_trap(nr, name);
    f->rc = seccomp_rule_add_array(f->ctx, action, nr, n, cmp);
}

static struct scmp_arg_cmp cmp(unsigned arg, enum scmp_compare op, uint64_t a, uint64_t b)
{
    struct scmp_arg_cmp c = {arg, op, a, b};
    return c;
}

static void rule1(filter *f, uint32_t action, const char *name, struct scmp_arg_cmp c)
{
    rule(f, action, name, 1, &c);
}

/* Calls allowed without conditions. */
static const char *const plain_allow[] = {
    /* memory (mmap and mprotect: no_exec_memory) */
    "brk",
    "munmap",
    "mremap",
    "madvise",
    "mincore",
    /* descriptors: reading what the file system rules let it open, writing
     * to fd 3 and to stdout/stderr (/dev/null); RLIMIT_FSIZE 0 stops a
     * write to any file */
    "read",
    "readv",
    "pread64",
    "write",
    "writev",
    "close",
    "fstat",
    "lseek",
    "newfstatat",
    "statx",
    "getdents64",
    "readlink",
    "readlinkat",
    "access",
    "faccessat",
    "faccessat2",
    "getcwd",
    /* signals and time within the process */
    "futex",
    "exit",
    "exit_group",
    "restart_syscall",
    "rt_sigreturn",
    "rt_sigprocmask",
    "sigaltstack",
    "sched_yield",
    "clock_gettime",
    "clock_getres",
    "gettimeofday",
    "time",
    "nanosleep",
    "clock_nanosleep",
    /* facts about itself */
    "getrusage",
    "getpid",
    "gettid",
    "getppid",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "getrandom",
    "sysinfo",
    "uname",
};

/* Calls a plugin has no business making. */
static const char *const hostile[] = {
    "seccomp", /* a filter of its own could answer for the worker's */
    "execve",
    "execveat",
    "fork",
    "vfork",
    "clone",
    "clone3",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "process_madvise",
    "pidfd_open",
    "pidfd_getfd",
    "pidfd_send_signal",
    "kcmp",
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "sendmmsg",
    "recvmmsg",
    "openat2", /* its flags are behind a pointer the filter cannot read */
    "creat",
    "unlink",
    "unlinkat",
    "rename",
    "renameat",
    "renameat2",
    "mkdir",
    "mkdirat",
    "rmdir",
    "link",
    "linkat",
    "symlink",
    "symlinkat",
    "chmod",
    "fchmod",
    "fchmodat",
    "chown",
    "fchown",
    "lchown",
    "fchownat",
    "truncate",
    "ftruncate",
    "mknod",
    "mknodat",
    "utime",
    "utimes",
    "utimensat",
    "futimesat",
    "setxattr",
    "lsetxattr",
    "fsetxattr",
    "removexattr",
    "lremovexattr",
    "fremovexattr",
    "name_to_handle_at",
    "open_by_handle_at",
    "memfd_create",
    "memfd_secret",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "bpf",
    "perf_event_open",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "fsopen",
    "fsmount",
    "fsconfig",
    "move_mount",
    "open_tree",
    "fspick",
    "mount_setattr",
    "setuid",
    "setgid",
    "setreuid",
    "setregid",
    "setresuid",
    "setresgid",
    "setgroups",
    "setfsuid",
    "setfsgid",
    "capset",
    "keyctl",
    "add_key",
    "request_key",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "swapon",
    "swapoff",
    "iopl",
    "ioperm",
    "acct",
    "quotactl",
    "settimeofday",
    "clock_settime",
    "adjtimex",
    "clock_adjtime",
    "sethostname",
    "setdomainname",
    "vhangup",
};

/* Signals only to itself: the process id is fixed before the filter loads. */
static void self_signals(filter *f, pid_t self)
{
    static const char *const by_pid[] = {"kill", "tgkill", "tkill", "rt_sigqueueinfo",
                                         "rt_tgsigqueueinfo"};
    for (size_t i = 0; i < sizeof by_pid / sizeof by_pid[0]; i++) {
        rule1(f, SCMP_ACT_ALLOW, by_pid[i], cmp(0, SCMP_CMP_EQ, (uint64_t)self, 0));
        rule1(f, SCMP_ACT_TRAP, by_pid[i], cmp(0, SCMP_CMP_NE, (uint64_t)self, 0));
    }
}

/* rt_sigaction for every signal but SIGSYS (which falls to EPERM): 1-30,
 * 32-63 and 64, spelt so that no high bits pass. */
static void sigactions(filter *f)
{
    rule1(f, SCMP_ACT_ALLOW, "rt_sigaction", cmp(0, SCMP_CMP_LT, SIGSYS, 0));
    rule1(f, SCMP_ACT_ALLOW, "rt_sigaction", cmp(0, SCMP_CMP_MASKED_EQ, ~(uint64_t)0x1f, 0x20));
    rule1(f, SCMP_ACT_ALLOW, "rt_sigaction", cmp(0, SCMP_CMP_EQ, 64, 0));
}

/* fcntl for descriptor flags only (no F_DUPFD: no new descriptors). */
static void fcntls(filter *f)
{
    static const int ops[] = {F_GETFD, F_SETFD, F_GETFL, F_SETFL};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        rule1(f, SCMP_ACT_ALLOW, "fcntl", cmp(1, SCMP_CMP_EQ, (uint64_t)ops[i], 0));
}

/* prctl: a few options that only read or name things are allowed; those
 * that could loosen the sandbox (a filter, no_new_privs, dumpable, a
 * ptracer, the parent-death signal, capabilities, the mm's fields, system
 * call dispatch) trap; any other fails with EPERM. */
static void prctls(filter *f)
{
    static const int allowed[] = {PR_GET_DUMPABLE,     PR_GET_NAME,    PR_SET_NAME,
                                  PR_GET_NO_NEW_PRIVS, PR_GET_SECCOMP, PR_SET_VMA};
    static const int loosening[] = {
        PR_SET_SECCOMP,
        PR_SET_NO_NEW_PRIVS,
        PR_SET_DUMPABLE,
        PR_SET_PTRACER,
        PR_SET_PDEATHSIG,
        PR_SET_MM,
        PR_CAPBSET_DROP,
        PR_CAP_AMBIENT,
        PR_SET_SECUREBITS,
        PR_SET_KEEPCAPS,
        PR_SET_CHILD_SUBREAPER,
        PR_SET_SPECULATION_CTRL,
        PR_SET_SYSCALL_USER_DISPATCH,
    };
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        rule1(f, SCMP_ACT_ALLOW, "prctl", cmp(0, SCMP_CMP_EQ, (uint64_t)allowed[i], 0));
    for (size_t i = 0; i < sizeof loosening / sizeof loosening[0]; i++)
        rule1(f, SCMP_ACT_TRAP, "prctl", cmp(0, SCMP_CMP_EQ, (uint64_t)loosening[i], 0));
}

/* Opening read-only (flags is argument flag_arg): the dynamic loader, and
 * whatever Landlock lets a plugin read. */
static void read_only_open(filter *f, const char *name, unsigned flag_arg)
{
    const uint64_t writes = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC;
    rule1(f, SCMP_ACT_ALLOW, name, cmp(flag_arg, SCMP_CMP_MASKED_EQ, writes, 0));
    rule1(f, SCMP_ACT_TRAP, name, cmp(flag_arg, SCMP_CMP_MASKED_EQ, O_WRONLY, O_WRONLY));
    rule1(f, SCMP_ACT_TRAP, name, cmp(flag_arg, SCMP_CMP_MASKED_EQ, O_RDWR, O_RDWR));
    rule1(f, SCMP_ACT_TRAP, name, cmp(flag_arg, SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT));
    rule1(f, SCMP_ACT_TRAP, name, cmp(flag_arg, SCMP_CMP_MASKED_EQ, O_TRUNC, O_TRUNC));
}

/*
 * Executable memory only as a mapping of a file (the dynamic loader mapping
 * a library's code), never writable at the same time; no anonymous
 * executable mapping and no mprotect to executable (prot is argument 2,
 * mmap's flags argument 3; both unsigned long in the kernel).
 */
static void no_exec_memory(filter *f)
{
    const uint64_t wx = PROT_WRITE | PROT_EXEC;
    rule1(f, SCMP_ACT_ALLOW, "mmap", cmp(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    struct scmp_arg_cmp file_code[2] = {cmp(2, SCMP_CMP_MASKED_EQ, wx, PROT_EXEC),
                                        cmp(3, SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, 0)};
    rule(f, SCMP_ACT_ALLOW, "mmap", 2, file_code);
    struct scmp_arg_cmp anon_code[2] = {cmp(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC),
                                        cmp(3, SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, MAP_ANONYMOUS)};
    rule(f, SCMP_ACT_TRAP, "mmap", 2, anon_code);
    rule1(f, SCMP_ACT_TRAP, "mmap", cmp(2, SCMP_CMP_MASKED_EQ, wx, wx));
    static const char *const calls[] = {"mprotect", "pkey_mprotect"};
    for (size_t i = 0; i < 2; i++) {
        rule1(f, SCMP_ACT_ALLOW, calls[i], cmp(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
        rule1(f, SCMP_ACT_TRAP, calls[i], cmp(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC));
    }
}

static int build(filter *f)
{
    pid_t self = getpid();
    f->ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    if (f->ctx == NULL)
        return -ENOMEM;
    /* Another architecture's calling convention (int 0x80 on x86-64) is not
     * something to answer with EPERM. The worker set no_new_privs itself. */
    f->rc = seccomp_attr_set(f->ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    if (f->rc == 0)
        f->rc = seccomp_attr_set(f->ctx, SCMP_FLTATR_CTL_NNP, 0);
    if (f->rc == 0) /* a binary tree: fewer comparisons per call */
        (void)seccomp_attr_set(f->ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);

    for (size_t i = 0; i < sizeof plain_allow / sizeof plain_allow[0]; i++)
        rule(f, SCMP_ACT_ALLOW, plain_allow[i], 0, NULL);
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        rule(f, SCMP_ACT_TRAP, hostile[i], 0, NULL);
    self_signals(f, self);
    sigactions(f);
    fcntls(f);
    prctls(f);
    read_only_open(f, "open", 1);
    read_only_open(f, "openat", 2);
    no_exec_memory(f);
    /* getrlimit for itself; setting any limit (or another process's) falls
     * to EPERM: the worker set its own before loading the filter. */
    struct scmp_arg_cmp get[2] = {cmp(0, SCMP_CMP_EQ, 0, 0), cmp(2, SCMP_CMP_EQ, 0, 0)};
    rule(f, SCMP_ACT_ALLOW, "prlimit64", 2, get);
    return f->rc;
}

int bh_sandbox_seccomp(unsigned *in_force)
{
    filter f = {NULL, 0};
    int rc = build(&f);
    if (rc == 0)
        rc = seccomp_load(f.ctx);
    seccomp_release(f.ctx);
    if (rc == 0)
        *in_force |= BH_SANDBOX_SECCOMP;
    return rc < 0 ? rc : (rc > 0 ? -rc : 0);
}
