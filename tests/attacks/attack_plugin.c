/*
 * attack_plugin.c - "attack", a jurisdiction plugin that attacks the
 * isolated-mode sandbox and the worker protocol on request (security
 * review, tests/attacks/README.md). Never load it in process.
 *
 * filing_rules reads the case's string field "attack" and does that one
 * thing. When an operation the sandbox should stop is NOT stopped, the
 * plugin says so in a finding (code "attack_*") and returns 0; "probe"
 * reports, one finding per system call, what the non-trapped calls answered.
 *
 * The forge_* attacks write their own REPLY frame to fd 3 (the worker's
 * socket), with the call id found in the worker's own frame buffer.
 *
 * Case fields used besides "attack":
 *   "ops"     forge_facts / forge_logs: the number of operations (default 100000)
 */

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "baton/plugin.h"

#define WORKER_FD 3

typedef struct state {
    const baton_host_api *api;
    baton_host *host;
} state;

typedef int (*attack_fn)(const state *st, const baton_view *c, baton_result *out);

static int report(const state *st, baton_result *out, const char *code, const char *text)
{
    return st->api->result_finding(out, "readiness", code, BATON_FINDING_WARN, text,
                                   "tests/attacks/README.md");
}

/* ---- the worker's socket ---------------------------------------------- */

static int write_all(int fd, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

typedef struct buf {
    uint8_t *p;
    size_t len, cap;
} buf;

static void put(buf *b, const void *s, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void put_u8(buf *b, uint8_t v)
{
    put(b, &v, 1);
}

static void put_u32(buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, x, 4);
}

static void put_str(buf *b, const char *s)
{
    put_u32(b, (uint32_t)strlen(s));
    put(b, s, strlen(s) + 1);
}

/*
 * The id of the CALL being answered, read from the worker's frame buffer
 * on its heap: u8 2, u32 id, u8 caps, str "" (the letter kind), str as_of.
 * The highest id found is the current call (ids only grow).
 */
static int64_t find_call_id(void)
{
    static const uint8_t tail[] = {0, 0, 0, 0, 0, 10, 0, 0, 0};
    struct mallinfo2 mi = mallinfo2();
    uint8_t *top = sbrk(0);
    uint8_t *bottom = top - mi.arena;
    int64_t best = -1;
    for (uint8_t *p = bottom + 6; p + sizeof tail + 11 < top; p++) {
        if (p[0] != 0 || memcmp(p, tail, sizeof tail) != 0)
            continue;
        const uint8_t *d = p + sizeof tail;
        if (p[-6] != 2 || d[4] != '-' || d[7] != '-' || d[10] != 0)
            continue;
        uint32_t id =
            (uint32_t)p[-5] | (uint32_t)p[-4] << 8 | (uint32_t)p[-3] << 16 | (uint32_t)p[-2] << 24;
        if ((int64_t)id > best)
            best = id;
    }
    return best;
}

/* REPLY header (host/runtime/worker_proto.h): u8 103, u32 id, i32 rc,
 * str failed, str reason, u32 count. */
static void reply_begin(buf *b, uint32_t id, uint32_t count)
{
    put_u32(b, 0); /* length, set by reply_send */
    put_u8(b, 103);
    put_u32(b, id);
    put_u32(b, 0);
    put_str(b, "");
    put_str(b, "");
    put_u32(b, count);
}

static int reply_send(buf *b)
{
    uint32_t n = (uint32_t)(b->len - 4);
    b->p[0] = (uint8_t)n;
    b->p[1] = (uint8_t)(n >> 8);
    b->p[2] = (uint8_t)(n >> 16);
    b->p[3] = (uint8_t)(n >> 24);
    int rc = write_all(WORKER_FD, b->p, b->len);
    free(b->p);
    memset(b, 0, sizeof *b);
    return rc;
}

static _Noreturn void sleep_forever(void)
{
    for (;;) {
        struct timespec t = {3600, 0};
        nanosleep(&t, NULL);
    }
}

/* Starts a forged REPLY of count operations to the call being answered:
 * 0, or -1 when its id is not found. */
static int forge_begin(buf *b, uint32_t count)
{
    int64_t id = find_call_id();
    if (id < 0)
        return -1;
    reply_begin(b, (uint32_t)id, count);
    return 0;
}

/* Sends the forged REPLY, then never returns to the worker. */
static _Noreturn void forge_send_and_sleep(buf *b)
{
    reply_send(b);
    sleep_forever();
}

static int64_t ops_wanted(const state *st, const baton_view *c)
{
    int64_t n = 100000;
    st->api->view_int(c, "ops", &n);
    return n;
}

/* ---- attacks on the host's side of the socket --------------------------- */

/* A valid REPLY of ours, then CPU burnt after the host thinks the call ended. */
static int attack_forge_burn(const state *st, const baton_view *c, baton_result *out)
{
    buf b = {0};
    (void)st;
    (void)c;
    (void)out;
    if (forge_begin(&b, 0) != 0)
        return BATON_EIO;
    signal(SIGXCPU, SIG_IGN); /* the soft RLIMIT_CPU, too */
    reply_send(&b);
    volatile uint64_t spins = 0;
    for (;;)
        spins++;
}

/* A REPLY of n facts at distinct keys of one object: the host's set_fact
 * looks each key up linearly, on the event loop. The worker never built
 * them, so it paid nothing. */
static int attack_forge_facts(const state *st, const baton_view *c, baton_result *out)
{
    buf b = {0};
    char key[80], pad[60];
    int64_t n = ops_wanted(st, c);
    (void)out;
    if (forge_begin(&b, (uint32_t)n) != 0)
        return BATON_EIO;
    memset(pad, 'a', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    for (int64_t i = 0; i < n; i++) {
        snprintf(key, sizeof key, "%s%04lld", pad, (long long)i);
        put_u8(&b, 3); /* FACT_STRING */
        put_str(&b, key);
        put_str(&b, "v");
    }
    forge_send_and_sleep(&b);
}

/* A REPLY of n log lines (64 are logged). */
static int attack_forge_logs(const state *st, const baton_view *c, baton_result *out)
{
    buf b = {0};
    int64_t n = ops_wanted(st, c);
    (void)out;
    if (forge_begin(&b, (uint32_t)n) != 0)
        return BATON_EIO;
    for (int64_t i = 0; i < n; i++) {
        put_u8(&b, 9);
        put_u8(&b, 1);
        put_str(&b, "forged log line");
    }
    forge_send_and_sleep(&b);
}

/* A REPLY with an operation the host's builder must refuse. */
static int attack_forge_bad_op(const state *st, const baton_view *c, baton_result *out)
{
    buf b = {0};
    (void)st;
    (void)c;
    (void)out;
    if (forge_begin(&b, 1) != 0)
        return BATON_EIO;
    put_u8(&b, 1); /* FINDING with an invalid category */
    put_str(&b, "NOT A CODE");
    put_str(&b, "x");
    put_u8(&b, 0);
    put_str(&b, "text");
    put_u8(&b, 0);
    put_str(&b, "");
    forge_send_and_sleep(&b);
}

/* A REPLY of ours and then the worker's own: the second arrives idle. */
static int attack_forge_twice(const state *st, const baton_view *c, baton_result *out)
{
    buf b = {0};
    if (forge_begin(&b, 0) != 0)
        return BATON_EIO;
    reply_send(&b);
    (void)c;
    return report(st, out, "attack_forged_twice", "second reply follows");
}

/* A frame header larger than BH_FRAME_MAX. */
static int attack_oversize(const state *st, const baton_view *c, baton_result *out)
{
    uint8_t h[5] = {0x01, 0x00, 0x00, 0x01, 103}; /* 16 MiB + 1 */
    (void)st;
    (void)c;
    (void)out;
    write_all(WORKER_FD, h, sizeof h);
    sleep_forever();
}

/* Half a frame, then the worker's reply is swallowed as its payload. */
static int attack_half_frame(const state *st, const baton_view *c, baton_result *out)
{
    uint8_t h[4] = {0x00, 0x00, 0x10, 0x00}; /* 1 MiB announced */
    write_all(WORKER_FD, h, sizeof h);
    (void)c;
    return report(st, out, "attack_half_frame", "the host got a frame it could not finish");
}

/* 64 log lines of ~4 KiB: the log line is cut before tenant and plugin. */
static int attack_log_spoof(const state *st, const baton_view *c, baton_result *out)
{
    char msg[4200];
    (void)c;
    /* {"ts":"2025-01-01T00:00:00.000Z","level":"error","msg":" is 56 bytes;
     * the line holds 4093 before "}\n". */
    size_t room = 4093 - 56 - 1;
    const char *text = "operator key rotated; all tenants re-keyed";
    memset(msg, ' ', room);
    memcpy(msg, text, strlen(text));
    msg[room] = '\0';
    st->api->log(st->host, BATON_LOG_ERROR, msg);
    return report(st, out, "attack_log_spoof", "logged");
}

/* ---- attacks on the sandbox (trapped calls end the worker) ---------------- */

static void *thread_main(void *arg)
{
    (void)arg;
    for (;;) {
        static const char junk[] = "\x05\x00\x00\x00\x67\x00\x00\x00\x00";
        write(WORKER_FD, junk, sizeof junk - 1);
        sleep(1);
    }
    return NULL;
}

static int attack_thread(const state *st, const baton_view *c, baton_result *out)
{
    pthread_t t;
    (void)c;
    int rc = pthread_create(&t, NULL, thread_main, NULL);
    char text[64];
    snprintf(text, sizeof text, "pthread_create returned %d", rc);
    return rc == 0 ? report(st, out, "attack_thread", text) : BATON_EIO;
}

static int attack_vfork(const state *st, const baton_view *c, baton_result *out)
{
    (void)c;
    pid_t p = (pid_t)syscall(SYS_vfork);
    if (p == 0)
        _exit(0);
    return p > 0 ? report(st, out, "attack_vfork", "vforked") : BATON_EIO;
}

static int attack_syscall(const state *st, baton_result *out, const char *code, long r)
{
    char text[96];
    if (r < 0)
        return BATON_EIO;
    snprintf(text, sizeof text, "returned %ld", r);
    return report(st, out, code, text);
}

static int attack_io_uring(const state *st, const baton_view *c, baton_result *out)
{
    uint8_t params[120] = {0};
    (void)c;
    return attack_syscall(st, out, "attack_io_uring", syscall(SYS_io_uring_setup, 8, params));
}

static int attack_userfaultfd(const state *st, const baton_view *c, baton_result *out)
{
    (void)c;
    return attack_syscall(st, out, "attack_userfaultfd", syscall(SYS_userfaultfd, O_CLOEXEC));
}

static int attack_bpf(const state *st, const baton_view *c, baton_result *out)
{
    uint8_t attr[128] = {0};
    (void)c;
    return attack_syscall(st, out, "attack_bpf", syscall(SYS_bpf, 0, attr, sizeof attr));
}

static int attack_keyctl(const state *st, const baton_view *c, baton_result *out)
{
    (void)c;
    return attack_syscall(st, out, "attack_keyctl", syscall(SYS_keyctl, 0, -3, 0));
}

static int attack_memfd(const state *st, const baton_view *c, baton_result *out)
{
    (void)c;
    return attack_syscall(st, out, "attack_memfd", syscall(SYS_memfd_create, "x", 0));
}

static int attack_mprotect_exec(const state *st, const baton_view *c, baton_result *out)
{
    (void)c;
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return BATON_EIO;
    return attack_syscall(st, out, "attack_mprotect_exec",
                          mprotect(p, 4096, PROT_READ | PROT_EXEC));
}

static int attack_proc_self_mem(const state *st, const baton_view *c, baton_result *out)
{
    (void)c;
    return attack_syscall(st, out, "attack_proc_self_mem", open("/proc/self/mem", O_RDWR));
}

static int attack_kill_group(const state *st, const baton_view *c, baton_result *out)
{
    (void)c;
    return attack_syscall(st, out, "attack_kill_group", kill(0, SIGKILL));
}

static int attack_kill_parent(const state *st, const baton_view *c, baton_result *out)
{
    (void)c;
    return attack_syscall(st, out, "attack_kill_parent", kill(getppid(), SIGTERM));
}

static int attack_close3(const state *st, const baton_view *c, baton_result *out)
{
    (void)c;
    close(WORKER_FD);
    return report(st, out, "attack_close3", "closed fd 3");
}

static void on_segv(int sig)
{
    (void)sig; /* returning re-runs the faulting store: a fault loop */
}

static int attack_segv_loop(const state *st, const baton_view *c, baton_result *out)
{
    (void)st;
    (void)c;
    (void)out;
    signal(SIGSEGV, on_segv);
    volatile int *volatile bad = NULL;
    *bad = 1;
    return BATON_EPLUGIN;
}

/* SIGSYS blocked, then a trapped call: the kernel must still end us. */
static int attack_block_sigsys(const state *st, const baton_view *c, baton_result *out)
{
    sigset_t s;
    (void)c;
    sigemptyset(&s);
    sigaddset(&s, SIGSYS);
    sigprocmask(SIG_BLOCK, &s, NULL);
    return attack_syscall(st, out, "attack_block_sigsys", open("/etc/passwd", O_RDONLY));
}

/* Calls that fall to EPERM (not trapped): each one's answer as a finding. */
static int attack_probe(const state *st, const baton_view *c, baton_result *out)
{
    char text[128];
    const char *s;
    struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
    struct itimerval it = {{0, 0}, {1, 0}};
    int n = 0;
    struct {
        const char *name;
        long r;
        int err;
    } probes[16];
#define PROBE(label, expr)                                                                         \
    do {                                                                                           \
        errno = 0;                                                                                 \
        probes[n].name = label;                                                                    \
        probes[n].r = (long)(expr);                                                                \
        probes[n].err = errno;                                                                     \
        n++;                                                                                       \
    } while (0)
    int avail = 0;
    PROBE("ioctl_fionread_fd3", ioctl(WORKER_FD, FIONREAD, &avail));
    PROBE("personality", personality(READ_IMPLIES_EXEC));
    PROBE("setrlimit_as", setrlimit(RLIMIT_AS, &rl));
    PROBE("prlimit_cpu", prlimit(0, RLIMIT_CPU, &rl, NULL));
    PROBE("dup_fd3", dup(WORKER_FD));
    PROBE("fcntl_dupfd", fcntl(WORKER_FD, F_DUPFD, 10));
    PROBE("setitimer", setitimer(ITIMER_REAL, &it, NULL));
    PROBE("alarm_via_timer_create", syscall(SYS_timer_create, CLOCK_REALTIME, NULL, &avail));
    PROBE("setpriority", setpriority(PRIO_PROCESS, 0, -5));
    PROBE("rt_sigaction_sigsys", signal(SIGSYS, SIG_IGN) == SIG_ERR ? -1 : 0);
    if (st->api->view_string(c, "case_id", &s) == 0) {
        uintptr_t page = (uintptr_t)s & ~(uintptr_t)4095;
        PROBE("mprotect_view_rw", mprotect((void *)page, 4096, PROT_READ | PROT_WRITE));
    }
    for (int i = 0; i < n; i++) {
        snprintf(text, sizeof text, "%s: %ld (%s)", probes[i].name, probes[i].r,
                 probes[i].r < 0 ? strerror(probes[i].err) : "ok");
        st->api->result_finding(out, "readiness", "attack_probe", BATON_FINDING_INFO, text, NULL);
    }
    return 0;
}

static const struct {
    const char *name;
    attack_fn fn;
} attacks[] = {
    {"forge_burn", attack_forge_burn},
    {"forge_facts", attack_forge_facts},
    {"forge_logs", attack_forge_logs},
    {"forge_bad_op", attack_forge_bad_op},
    {"forge_twice", attack_forge_twice},
    {"oversize", attack_oversize},
    {"half_frame", attack_half_frame},
    {"log_spoof", attack_log_spoof},
    {"thread", attack_thread},
    {"vfork", attack_vfork},
    {"io_uring", attack_io_uring},
    {"userfaultfd", attack_userfaultfd},
    {"bpf", attack_bpf},
    {"keyctl", attack_keyctl},
    {"memfd", attack_memfd},
    {"mprotect_exec", attack_mprotect_exec},
    {"proc_self_mem", attack_proc_self_mem},
    {"kill_group", attack_kill_group},
    {"kill_parent", attack_kill_parent},
    {"close3", attack_close3},
    {"segv_loop", attack_segv_loop},
    {"block_sigsys", attack_block_sigsys},
    {"probe", attack_probe},
};

static int attack_evaluate(void *stp, const baton_view *c, baton_result *out)
{
    const state *st = stp;
    const char *which = "none";
    if (st->api->view_type(c, "attack") != BATON_VIEW_MISSING &&
        st->api->view_string(c, "attack", &which) != 0)
        return BATON_EINVAL;
    if (strcmp(which, "none") == 0)
        return st->api->result_string(out, "attack.outcome", "none");
    for (size_t i = 0; i < sizeof attacks / sizeof attacks[0]; i++) {
        if (strcmp(which, attacks[i].name) == 0)
            return attacks[i].fn(st, c, out);
    }
    return BATON_EINVAL;
}

static int attack_fees(void *stp, const baton_view *c, baton_result *out)
{
    (void)stp;
    (void)c;
    (void)out;
    return 0;
}

static int attack_init(const baton_host_api *api, baton_host *host, const baton_view *config,
                       void **stp, char *err, size_t errlen)
{
    state *st = calloc(1, sizeof *st);
    (void)config;
    if (st == NULL) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    st->api = api;
    st->host = host;
    *stp = st;
    return 0;
}

static void attack_fini(void *stp)
{
    free(stp);
}

static const baton_filing_rules filing_rules = {
    .struct_size = sizeof(baton_filing_rules),
    .evaluate = attack_evaluate,
};

static const baton_fee_schedule fee_schedule = {
    .struct_size = sizeof(baton_fee_schedule),
    .fees = attack_fees,
};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,
    .name = "attack",
    .version = "1.0.0",
    .scope = "jurisdiction:attack",
    .init = attack_init,
    .fini = attack_fini,
    .filing_rules = &filing_rules,
    .fee_schedule = &fee_schedule,
    .letter_formats = NULL,
};

BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    return &descriptor;
}
