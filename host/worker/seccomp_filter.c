/*
 * seccomp_filter.c - the worker's two seccomp filters and the SIGSYS
 * handler they trap into (sandbox.h).
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
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "worker_proto.h"

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp SIGSYS (asm-generic/siginfo.h) */
#endif

/* ---- the SIGSYS handler ---- */

#define MAX_TRAPPED 192

/* Names of the calls the filters trap, filled in while the filters are
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

static void put_u32(uint8_t *at, uint32_t v)
{
    at[0] = (uint8_t)v;
    at[1] = (uint8_t)(v >> 8);
    at[2] = (uint8_t)(v >> 16);
    at[3] = (uint8_t)(v >> 24);
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
    put_u32(fault_frame + 5, (uint32_t)(off - 9));
    fault_frame[4] = BH_FRAME_FAULT;
    put_u32(fault_frame, (uint32_t)(off + 1 - 4));
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

/* ---- building the filters ---- */

enum { S1 = 1, S2 = 2 };

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

/* Calls allowed without conditions, and in which stages. */
static const struct {
    const char *name;
    unsigned stages;
} plain_allow[] = {
    /* memory */
    {"brk", S1 | S2},
    {"munmap", S1 | S2},
    {"mremap", S1 | S2},
    {"madvise", S1 | S2},
    {"mincore", S1 | S2},
    /* descriptors already open (stage 2 opens none) */
    {"close", S1 | S2},
    {"fstat", S1 | S2},
    {"lseek", S1 | S2},
    {"readv", S1},
    {"pread64", S1},
    {"newfstatat", S1},
    {"statx", S1},
    {"getdents64", S1},
    {"readlink", S1},
    {"readlinkat", S1},
    {"access", S1},
    {"faccessat", S1},
    {"faccessat2", S1},
    {"getcwd", S1},
    /* threads, signals and time within the process */
    {"futex", S1 | S2},
    {"exit", S1 | S2},
    {"exit_group", S1 | S2},
    {"restart_syscall", S1 | S2},
    {"rt_sigreturn", S1 | S2},
    {"rt_sigprocmask", S1 | S2},
    {"sigaltstack", S1 | S2},
    {"sched_yield", S1 | S2},
    {"clock_gettime", S1 | S2},
    {"clock_getres", S1 | S2},
    {"gettimeofday", S1 | S2},
    {"time", S1 | S2},
    {"nanosleep", S1 | S2},
    {"clock_nanosleep", S1 | S2},
    /* facts about itself */
    {"getrusage", S1 | S2},
    {"getpid", S1 | S2},
    {"gettid", S1 | S2},
    {"getppid", S1 | S2},
    {"getuid", S1 | S2},
    {"geteuid", S1 | S2},
    {"getgid", S1 | S2},
    {"getegid", S1 | S2},
    {"getrandom", S1 | S2},
    {"sysinfo", S1 | S2},
    {"uname", S1 | S2},
    /* stage 2 is loaded from stage 1 */
    {"seccomp", S1},
};

/* Calls a plugin has no business making, in either stage. */
static const char *const hostile[] = {
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
    "userfaultfd",
    "io_uring_setup",
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

/* Opening read-only (flags is argument flag_arg): the dynamic loader. */
static void read_only_open(filter *f, const char *name, unsigned flag_arg)
{
    const uint64_t writes = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC;
    rule1(f, SCMP_ACT_ALLOW, name, cmp(flag_arg, SCMP_CMP_MASKED_EQ, writes, 0));
    rule1(f, SCMP_ACT_TRAP, name, cmp(flag_arg, SCMP_CMP_MASKED_EQ, O_WRONLY, O_WRONLY));
    rule1(f, SCMP_ACT_TRAP, name, cmp(flag_arg, SCMP_CMP_MASKED_EQ, O_RDWR, O_RDWR));
    rule1(f, SCMP_ACT_TRAP, name, cmp(flag_arg, SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT));
    rule1(f, SCMP_ACT_TRAP, name, cmp(flag_arg, SCMP_CMP_MASKED_EQ, O_TRUNC, O_TRUNC));
}

/* Mapping without PROT_EXEC (prot is argument 2 of all three). */
static void no_exec_memory(filter *f)
{
    static const char *const calls[] = {"mmap", "mprotect", "pkey_mprotect"};
    for (size_t i = 0; i < 3; i++) {
        rule1(f, SCMP_ACT_ALLOW, calls[i], cmp(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
        rule1(f, SCMP_ACT_TRAP, calls[i], cmp(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC));
    }
}

/* Writing to the host's socket and to stdout/stderr (both /dev/null; libc's
 * fatal messages and sanitizer reports go there). */
static void stage2_writes(filter *f)
{
    static const char *const calls[] = {"write", "writev"};
    for (size_t i = 0; i < 2; i++) {
        for (uint64_t fd = 1; fd <= BH_WORKER_FD; fd++)
            rule1(f, SCMP_ACT_ALLOW, calls[i], cmp(0, SCMP_CMP_EQ, fd, 0));
        rule1(f, SCMP_ACT_TRAP, calls[i], cmp(0, SCMP_CMP_EQ, 0, 0));
        rule1(f, SCMP_ACT_TRAP, calls[i], cmp(0, SCMP_CMP_GT, BH_WORKER_FD, 0));
    }
}

static int build(filter *f, unsigned stage)
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

    for (size_t i = 0; i < sizeof plain_allow / sizeof plain_allow[0]; i++) {
        if (plain_allow[i].stages & stage)
            rule(f, SCMP_ACT_ALLOW, plain_allow[i].name, 0, NULL);
    }
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        rule(f, SCMP_ACT_TRAP, hostile[i], 0, NULL);
    self_signals(f, self);
    sigactions(f);
    fcntls(f);
    /* getrlimit for itself; stage 1 may also set RLIMIT_NOFILE (the worker
     * lowers it after loading the plugin). */
    struct scmp_arg_cmp get[2] = {cmp(0, SCMP_CMP_EQ, 0, 0), cmp(2, SCMP_CMP_EQ, 0, 0)};
    rule(f, SCMP_ACT_ALLOW, "prlimit64", 2, get);
    if (stage == S1) {
        struct scmp_arg_cmp nofile[2] = {cmp(0, SCMP_CMP_EQ, 0, 0),
                                         cmp(1, SCMP_CMP_EQ, RLIMIT_NOFILE, 0)};
        rule(f, SCMP_ACT_ALLOW, "prlimit64", 2, nofile);
        rule(f, SCMP_ACT_ALLOW, "read", 0, NULL);
        rule(f, SCMP_ACT_ALLOW, "write", 0, NULL);
        rule(f, SCMP_ACT_ALLOW, "writev", 0, NULL);
        rule(f, SCMP_ACT_ALLOW, "mmap", 0, NULL);
        rule(f, SCMP_ACT_ALLOW, "mprotect", 0, NULL);
        read_only_open(f, "open", 1);
        read_only_open(f, "openat", 2);
    } else {
        rule1(f, SCMP_ACT_ALLOW, "read", cmp(0, SCMP_CMP_EQ, BH_WORKER_FD, 0));
        rule1(f, SCMP_ACT_TRAP, "read", cmp(0, SCMP_CMP_NE, BH_WORKER_FD, 0));
        stage2_writes(f);
        no_exec_memory(f);
        rule(f, SCMP_ACT_TRAP, "open", 0, NULL);
        rule(f, SCMP_ACT_TRAP, "openat", 0, NULL);
        rule(f, SCMP_ACT_TRAP, "openat2", 0, NULL);
    }
    return f->rc;
}

static int install(unsigned stage)
{
    filter f = {NULL, 0};
    int rc = build(&f, stage);
    if (rc == 0)
        rc = seccomp_load(f.ctx);
    seccomp_release(f.ctx);
    return rc < 0 ? rc : (rc > 0 ? -rc : 0);
}

int bh_sandbox_seccomp_stage1(unsigned *in_force)
{
    int rc = install(S1);
    if (rc == 0)
        *in_force |= BH_SANDBOX_SECCOMP;
    return rc;
}

int bh_sandbox_seccomp_stage2(void)
{
    return install(S2);
}
