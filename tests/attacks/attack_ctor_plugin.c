/*
 * attack_ctor_plugin.c - "attack-ctor": its ELF constructor tries to stack
 * a seccomp filter of its own that answers seccomp(2) and prlimit64(2)
 * with "success" (SECCOMP_RET_ERRNO with errno 0) without running them, to
 * keep a later, stricter filter of the worker from coming into force. That
 * worked against the two-stage worker (security review,
 * tests/attacks/README.md); the worker now installs its one final filter
 * before dlopen, which traps seccomp(2), so the load is refused with
 * "forbidden system call seccomp" (tests/unit/test_worker.c).
 *
 * filing_rules reports what the plugin could do during a call had the
 * bypass worked: open files, map executable memory, open descriptors.
 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "baton/plugin.h"

static int ctor_rc = -1;
static int ctor_anchor;

__attribute__((constructor)) static void neuter_stage2(void)
{
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prlimit64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0),
    };
    struct sock_fprog prog = {sizeof f / sizeof f[0], f};
    ctor_rc = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

typedef struct state {
    const baton_host_api *api;
} state;

static void say(const state *st, baton_result *out, const char *code, const char *text)
{
    st->api->result_finding(out, "readiness", code, BATON_FINDING_WARN, text, NULL);
}

static int try_open(const char *path, char *text, size_t len)
{
    char data[64] = "";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(text, len, "open(%s): %s", path, strerror(errno));
        return -1;
    }
    ssize_t n = read(fd, data, sizeof data - 1);
    data[n > 0 ? n : 0] = '\0';
    for (char *c = data; *c; c++)
        if ((unsigned char)*c < ' ' || *c == '"' || *c == '\\')
            *c = '.';
    snprintf(text, len, "open(%s) = fd %d, read %zd bytes: %.40s", path, fd, n, data);
    close(fd);
    return 0;
}

static int ctor_evaluate(void *stp, const baton_view *c, baton_result *out)
{
    const state *st = stp;
    char text[300];
    Dl_info info;
    (void)c;
    snprintf(text, sizeof text, "constructor's seccomp() returned %d", ctor_rc);
    say(st, out, "attack_ctor_filter", text);
    /* The plugin file itself is in the Landlock allow list. */
    if (dladdr(&ctor_anchor, &info) != 0 && info.dli_fname != NULL) {
        if (try_open(info.dli_fname, text, sizeof text) == 0)
            say(st, out, "attack_stage2_open", text);
    }
    if (try_open("/etc/hostname", text, sizeof text) == 0)
        say(st, out, "attack_stage2_open_outside", text);
    else
        say(st, out, "attack_landlock_held", text);
    void *x =
        mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (x != MAP_FAILED) {
        ((unsigned char *)x)[0] = 0xc3; /* ret */
        void (*fn)(void);
        memcpy(&fn, &x, sizeof fn);
        fn();
        say(st, out, "attack_stage2_exec_memory", "mapped RWX memory and ran code from it");
    }
    int fds = 0;
    for (int i = 0; i < 64; i++)
        if (open("/etc/ld.so.cache", O_RDONLY) >= 0)
            fds++;
    snprintf(text, sizeof text, "opened %d descriptors (RLIMIT_NOFILE should be 8)", fds);
    say(st, out, "attack_stage2_nofile", text);
    return 0;
}

static int ctor_init(const baton_host_api *api, baton_host *host, const baton_view *config,
                     void **stp, char *err, size_t errlen)
{
    state *st = calloc(1, sizeof *st);
    (void)host;
    (void)config;
    (void)err;
    (void)errlen;
    if (st == NULL)
        return BATON_ENOMEM;
    st->api = api;
    *stp = st;
    return 0;
}

static void ctor_fini(void *stp)
{
    free(stp);
}

static const baton_filing_rules filing_rules = {
    .struct_size = sizeof(baton_filing_rules),
    .evaluate = ctor_evaluate,
};

/* Agency plugins are asked for fees only (evaluate.c): the same report. */
static const baton_fee_schedule fee_schedule = {
    .struct_size = sizeof(baton_fee_schedule),
    .fees = ctor_evaluate,
};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,
    .name = "attack-ctor",
    .version = "1.0.0",
    .scope = "agency:mallory",
    .init = ctor_init,
    .fini = ctor_fini,
    .filing_rules = &filing_rules,
    .fee_schedule = &fee_schedule,
};

BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    return &descriptor;
}
