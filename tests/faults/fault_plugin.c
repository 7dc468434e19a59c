/*
 * fault_plugin.c - "fault", a jurisdiction plugin that misbehaves on request.
 *
 * Built with the SDK only, like any tenant's plugin. It exists to prove that
 * batond survives whatever an isolated plugin does: filing_rules reads the
 * case's string field "fault" and does exactly that one thing (README.md in
 * this folder lists each fault and the answer batond must give). A missing
 * "fault" means "none"; an unknown one returns BATON_EINVAL.
 *
 * Never load it in process: most faults take the whole process down (or
 * worse). The sandbox of an isolated worker is what makes them harmless.
 * When a forbidden operation is NOT stopped, the plugin says so in a finding
 * (code "fault_*") and returns 0, so a test sees a 200 with the evidence
 * instead of the documented error.
 *
 * Case fields used besides "fault":
 *   "target"  read_file: the path to read
 *   "port"    connect: the TCP port on 127.0.0.1
 *   "tag"     write_tmp: the file is /tmp/baton-fault-<tag> ([A-Za-z0-9_-])
 *   "depth"   stack_overflow: a recursion limit (absent: none)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "baton/plugin.h"

_Static_assert(sizeof(size_t) >= 8, "alloc_8g needs a 64-bit size_t");

/* The worker's socket to batond (the isolated-mode protocol). */
#define FAULT_WORKER_FD 3
/* read_file reads at most this much. */
#define FAULT_READ_MAX 4096
/* fork_bomb stops here if fork() is not trapped, so a broken sandbox
 * cannot take the machine down with it; the first fork() is what counts. */
#define FAULT_FORK_CAP 256

typedef struct fault_state {
    const baton_host_api *api;
} fault_state;

typedef int (*fault_fn)(const fault_state *st, const baton_view *c, baton_result *out);

static int report(const fault_state *st, baton_result *out, const char *code, const char *text)
{
    return st->api->result_finding(out, "readiness", code, BATON_FINDING_WARN, text,
                                   "tests/faults/README.md");
}

static int fault_none(const fault_state *st, const baton_view *c, baton_result *out)
{
    int rc;
    (void)c;
    rc = st->api->result_finding(out, "readiness", "fault_none", BATON_FINDING_INFO,
                                 "The fault plugin ran without a fault.", "tests/faults/README.md");
    if (rc == 0)
        rc = st->api->result_string(out, "fault.outcome", "none");
    return rc;
}

static int fault_segfault(const fault_state *st, const baton_view *c, baton_result *out)
{
    (void)st;
    (void)c;
    (void)out;
    /* Both volatile: the compiler can neither see the NULL nor drop the store. */
    volatile int *volatile bad = NULL;
    *bad = 1;
    return BATON_EPLUGIN;
}

static int fault_abort(const fault_state *st, const baton_view *c, baton_result *out)
{
    (void)st;
    (void)c;
    (void)out;
    abort();
}

/*
 * Each frame holds a volatile buffer whose address the next level receives,
 * and the caller uses its own frame after the call returns: no tail call,
 * no frame the compiler may drop, and a limit it cannot see through.
 */
__attribute__((noinline)) static int64_t recurse(volatile char *up, int64_t depth, int64_t limit)
{
    volatile char frame[512];
    if (depth >= limit)
        return 0;
    frame[0] = (char)depth;
    frame[sizeof frame - 1] = up != NULL ? up[0] : 0;
    return recurse(frame, depth + 1, limit) + frame[(size_t)depth % sizeof frame];
}

static int fault_stack_overflow(const fault_state *st, const baton_view *c, baton_result *out)
{
    int64_t limit = INT64_MAX;
    char text[96];
    st->api->view_int(c, "depth", &limit);
    snprintf(text, sizeof text, "recursion returned %lld", (long long)recurse(NULL, 0, limit));
    return report(st, out, "fault_recursed", text);
}

static int fault_exit0(const fault_state *st, const baton_view *c, baton_result *out)
{
    (void)st;
    (void)c;
    (void)out;
    exit(0);
}

static int fault_infinite_loop(const fault_state *st, const baton_view *c, baton_result *out)
{
    volatile uint64_t spins = 0;
    (void)st;
    (void)c;
    (void)out;
    for (;;)
        spins++;
    return BATON_EPLUGIN;
}

static int fault_sleep(const fault_state *st, const baton_view *c, baton_result *out)
{
    struct timespec left = {30, 0}, rem;
    (void)c;
    while (nanosleep(&left, &rem) != 0 && errno == EINTR)
        left = rem;
    return report(st, out, "fault_slept", "slept 30 s without being stopped");
}

static int fault_alloc_8g(const fault_state *st, const baton_view *c, baton_result *out)
{
    const size_t n = (size_t)8 << 30;
    char text[96];
    /* volatile: the compiler may not drop the allocation or assume it. */
    unsigned char *volatile p = malloc(n);
    (void)c;
    if (p == NULL)
        return BATON_ENOMEM;
    memset(p, 0xa5, n);
    snprintf(text, sizeof text, "allocated and touched %zu bytes (last byte %02x)", n, p[n - 1]);
    free(p);
    return report(st, out, "fault_allocated", text);
}

static int fault_fork_bomb(const fault_state *st, const baton_view *c, baton_result *out)
{
    pid_t pids[FAULT_FORK_CAP];
    int n = 0;
    char text[96];
    (void)c;
    while (n < FAULT_FORK_CAP) {
        pid_t p = fork();
        if (p == 0)
            _exit(0);
        if (p > 0)
            pids[n++] = p;
    }
    for (int i = 0; i < n; i++)
        waitpid(pids[i], NULL, 0);
    snprintf(text, sizeof text, "forked %d processes", n);
    return report(st, out, "fault_forked", text);
}

static int fault_exec_shell(const fault_state *st, const baton_view *c, baton_result *out)
{
    char *const argv[] = {"/bin/sh", "-c", "touch /tmp/baton-fault-exec", NULL};
    char *const envp[] = {"PATH=/usr/bin:/bin", NULL};
    (void)st;
    (void)c;
    (void)out;
    execve("/bin/sh", argv, envp);
    return BATON_EIO;
}

static int fault_read_file(const fault_state *st, const baton_view *c, baton_result *out)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char buf[FAULT_READ_MAX];
    const char *target;
    size_t got = 0;
    char *text = NULL;
    int fd, rc = st->api->view_string(c, "target", &target);

    if (rc != 0)
        return rc;
    fd = open(target, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return BATON_EIO;
    while (got < sizeof buf) {
        ssize_t r = read(fd, buf + got, sizeof buf - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    rc = BATON_ENOMEM;
    text = malloc(2 * got + 48);
    if (text == NULL)
        goto out;
    int at = snprintf(text, 48, "read %zu bytes: ", got);
    for (size_t i = 0; i < got; i++) {
        text[at++] = hex[buf[i] >> 4];
        text[at++] = hex[buf[i] & 15];
    }
    text[at] = '\0';
    rc = report(st, out, "fault_read_file", text);
out:
    free(text);
    return rc;
}

static int fault_connect(const fault_state *st, const baton_view *c, baton_result *out)
{
    struct sockaddr_in addr;
    int64_t port;
    int s, ok;

    if (st->api->view_int(c, "port", &port) != 0 || port < 1 || port > 65535)
        return BATON_EINVAL;
    s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return BATON_EIO;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok = connect(s, (const struct sockaddr *)&addr, sizeof addr) == 0;
    close(s);
    if (!ok)
        return BATON_EIO;
    return report(st, out, "fault_connected", "connected");
}

static int valid_tag(const char *tag)
{
    size_t n = 0;
    for (; tag[n] != '\0'; n++) {
        char ch = tag[n];
        if (n >= 64 || !((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                         (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
            return 0;
    }
    return n > 0;
}

static int fault_write_tmp(const fault_state *st, const baton_view *c, baton_result *out)
{
    static const char line[] = "the baton fault plugin wrote this\n";
    const char *tag;
    char path[96];
    int fd, ok;

    if (st->api->view_string(c, "tag", &tag) != 0 || !valid_tag(tag))
        return BATON_EINVAL;
    snprintf(path, sizeof path, "/tmp/baton-fault-%s", tag);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return BATON_EIO;
    ok = write(fd, line, sizeof line - 1) == (ssize_t)(sizeof line - 1);
    close(fd);
    if (!ok)
        return BATON_EIO;
    return report(st, out, "fault_wrote_tmp", path);
}

/* Writes into a string the host handed out read-only; a sandboxed worker
 * keeps the case where that write faults. */
static int fault_write_view(const fault_state *st, const baton_view *c, baton_result *out)
{
    const char *id;
    int rc = st->api->view_string(c, "case_id", &id);
    if (rc != 0)
        return rc;
    volatile char *w = (volatile char *)(uintptr_t)id;
    for (size_t i = 0; w[i] != '\0'; i++)
        w[i] = 'X';
    return report(st, out, "fault_view_written", "wrote into the case view");
}

/* 64 bytes that are no frame: the length prefix (0xefbeadde, little-endian)
 * is far beyond any frame limit, the rest is xorshift noise. */
static int fault_garbage_frames(const fault_state *st, const baton_view *c, baton_result *out)
{
    unsigned char buf[64] = {0xde, 0xad, 0xbe, 0xef};
    uint32_t x = 0x9e3779b9u;
    size_t done = 0;
    (void)st;
    (void)c;
    (void)out;
    for (size_t i = 4; i < sizeof buf; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
    while (done < sizeof buf) {
        ssize_t r = write(FAULT_WORKER_FD, buf + done, sizeof buf - done);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        done += (size_t)r;
    }
    return 0;
}

static const struct {
    const char *name;
    fault_fn fn;
} faults[] = {
    {"none", fault_none},
    {"segfault", fault_segfault},
    {"abort", fault_abort},
    {"stack_overflow", fault_stack_overflow},
    {"exit0", fault_exit0},
    {"infinite_loop", fault_infinite_loop},
    {"sleep", fault_sleep},
    {"alloc_8g", fault_alloc_8g},
    {"fork_bomb", fault_fork_bomb},
    {"exec_shell", fault_exec_shell},
    {"read_file", fault_read_file},
    {"connect", fault_connect},
    {"write_tmp", fault_write_tmp},
    {"write_view", fault_write_view},
    {"garbage_frames", fault_garbage_frames},
};

static int fault_evaluate(void *state, const baton_view *c, baton_result *out)
{
    const fault_state *st = state;
    const char *which = "none";

    if (st->api->view_type(c, "fault") != BATON_VIEW_MISSING &&
        st->api->view_string(c, "fault", &which) != 0)
        return BATON_EINVAL;
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        if (strcmp(which, faults[i].name) == 0)
            return faults[i].fn(st, c, out);
    }
    return BATON_EINVAL;
}

static int fault_fees(void *state, const baton_view *c, baton_result *out)
{
    (void)state;
    (void)c;
    (void)out;
    return 0;
}

static int fault_init(const baton_host_api *api, baton_host *host, const baton_view *config,
                      void **state, char *err, size_t errlen)
{
    fault_state *st;
    (void)host;
    (void)config;
    if (api == NULL || state == NULL)
        return BATON_EINVAL;
    st = calloc(1, sizeof *st);
    if (st == NULL) {
        snprintf(err, errlen, "out of memory");
        return BATON_ENOMEM;
    }
    st->api = api;
    *state = st;
    return 0;
}

static void fault_fini(void *state)
{
    free(state);
}

static const baton_filing_rules filing_rules = {
    .struct_size = sizeof(baton_filing_rules),
    .evaluate = fault_evaluate,
};

static const baton_fee_schedule fee_schedule = {
    .struct_size = sizeof(baton_fee_schedule),
    .fees = fault_fees,
};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,
    .name = "fault",
    .version = "1.0.0",
    .scope = "jurisdiction:fault",
    .init = fault_init,
    .fini = fault_fini,
    .filing_rules = &filing_rules,
    .fee_schedule = &fee_schedule,
    .letter_formats = NULL,
};

BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    return &descriptor;
}
