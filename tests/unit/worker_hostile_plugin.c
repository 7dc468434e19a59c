/*
 * worker_hostile_plugin.c - a test-only plugin for test_worker.c that does,
 * on request, what an isolated worker must stop or contain. The case's
 * "probe_action" picks the behaviour of evaluate():
 *
 *   "ok"          a finding, a fact and a log line
 *   "open"        open("/etc/passwd") read-only; its errno into a fact
 *                 (Landlock refuses it: EACCES)
 *   "open_write"  open("/tmp/...", O_WRONLY | O_CREAT) (FAULT: openat)
 *   "nofile"      opens /etc/ld.so.cache until refused; the count into a
 *                 fact (RLIMIT_NOFILE caps it)
 *   "exec"        execve("/bin/sh") (FAULT: execve)
 *   "socket"      socket(AF_INET) (FAULT: socket)
 *   "exec_memory" an executable anonymous mapping (FAULT: mmap)
 *   "rwx_file"    a writable and executable private mapping of
 *                 /etc/ld.so.cache (FAULT: mmap)
 *   "mprotect_exec" an anonymous mapping made executable (FAULT: mprotect)
 *   "seccomp"     a seccomp filter of its own (FAULT: seccomp)
 *   "prctl_seccomp" the same through prctl(PR_SET_SECCOMP) (FAULT: prctl)
 *   "write_view"  writes into a string the case view handed out (SIGSEGV)
 *   "log_flood"   100 log lines
 *   "prior"       counts the findings result_view shows into a fact
 *   "ctor"        the errno its ELF constructor got opening /etc/passwd
 *                 (it runs under the worker's whole lockdown)
 *   "spin"        burns "spin_ms" of CPU time
 *   "positive"    returns a positive code
 *
 * Built into a test-only directory (tests/unit/CMakeLists.txt), never
 * installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "baton/plugin.h"

static int ctor_errno = -1;

/* Runs inside dlopen, under the worker's whole lockdown. */
__attribute__((constructor)) static void probe_files(void)
{
    int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
    ctor_errno = fd < 0 ? errno : 0;
    if (fd >= 0)
        close(fd);
}

struct hostile {
    const baton_host_api *api;
    baton_host *host;
};

static int hostile_init(const baton_host_api *api, baton_host *host, const baton_view *config,
                        void **state, char *err, size_t errlen)
{
    int fail = 0;
    api->log(host, BATON_LOG_INFO, "init log line (dropped by the worker)");
    if (api->view_bool(config, "fail_init", &fail) == 0 && fail) {
        snprintf(err, errlen, "config asks init to fail");
        return BATON_EINVAL;
    }
    struct hostile *h = calloc(1, sizeof *h);
    if (h == NULL)
        return BATON_ENOMEM;
    h->api = api;
    h->host = host;
    *state = h;
    return 0;
}

static void hostile_fini(void *state)
{
    free(state);
}

static long cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000L +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000L;
}

static int hostile_evaluate(void *state, const baton_view *c, baton_result *out)
{
    struct hostile *h = state;
    const baton_host_api *api = h->api;
    const char *action = "ok";
    api->view_string(c, "probe_action", &action);

    if (strcmp(action, "open") == 0) {
        int fd = open("/etc/passwd", O_RDONLY);
        int64_t e = fd < 0 ? errno : 0;
        return api->result_int(out, "probe.open_errno", e);
    } else if (strcmp(action, "open_write") == 0) {
        int fd = open("/tmp/baton-hostile-probe", O_WRONLY | O_CREAT, 0600);
        return fd < 0 ? BATON_EIO : 0;
    } else if (strcmp(action, "nofile") == 0) {
        int64_t n = 0;
        while (n < 64 && open("/etc/ld.so.cache", O_RDONLY) >= 0)
            n++;
        return api->result_int(out, "probe.opened", n);
    } else if (strcmp(action, "exec") == 0) {
        char *argv[] = {(char *)"sh", NULL};
        execve("/bin/sh", argv, NULL);
        return BATON_EIO;
    } else if (strcmp(action, "socket") == 0) {
        return socket(AF_INET, SOCK_STREAM, 0) < 0 ? BATON_EIO : 0;
    } else if (strcmp(action, "exec_memory") == 0) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
        return p == MAP_FAILED ? BATON_EIO : 0;
    } else if (strcmp(action, "rwx_file") == 0) {
        int fd = open("/etc/ld.so.cache", O_RDONLY);
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE, fd, 0);
        return p == MAP_FAILED ? BATON_EIO : 0;
    } else if (strcmp(action, "mprotect_exec") == 0) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return BATON_ENOMEM;
        return mprotect(p, 4096, PROT_READ | PROT_EXEC) != 0 ? BATON_EIO : 0;
    } else if (strcmp(action, "seccomp") == 0) {
        /* SECCOMP_SET_MODE_STRICT: nothing needs building to ask. */
        return syscall(SYS_seccomp, 0, 0, NULL) != 0 ? BATON_EIO : 0;
    } else if (strcmp(action, "prctl_seccomp") == 0) {
        return prctl(PR_SET_SECCOMP, 1, 0, 0, 0) != 0 ? BATON_EIO : 0;
    } else if (strcmp(action, "write_view") == 0) {
        const char *s;
        if (api->view_string(c, "case_id", &s) != 0)
            return BATON_EINVAL;
        ((char *)s)[0] = 'X'; /* a write the worker must turn into a crash */
        return 0;
    } else if (strcmp(action, "log_flood") == 0) {
        for (int i = 0; i < 100; i++)
            api->log(h->host, BATON_LOG_DEBUG, "flood");
        return 0;
    } else if (strcmp(action, "prior") == 0) {
        size_t n = 0;
        int rc = api->view_count(api->result_view(out), "findings", &n);
        if (rc != 0)
            return rc;
        return api->result_int(out, "probe.prior_findings", (int64_t)n);
    } else if (strcmp(action, "ctor") == 0) {
        return api->result_int(out, "probe.ctor_errno", ctor_errno);
    } else if (strcmp(action, "spin") == 0) {
        int64_t ms = 0;
        api->view_int(c, "spin_ms", &ms);
        long until = cpu_ms() + (long)ms;
        volatile unsigned long x = 0;
        while (cpu_ms() < until)
            x++;
        return 0;
    } else if (strcmp(action, "positive") == 0) {
        return 5;
    }
    api->log(h->host, BATON_LOG_INFO, "hostile plugin behaved");
    int rc =
        api->result_finding(out, "readiness", "probe_ok", BATON_FINDING_MET, "All well.", NULL);
    return rc != 0 ? rc : api->result_string(out, "probe.action", action);
}

static int hostile_render(void *state, const char *kind, const baton_view *c, baton_letter *out)
{
    struct hostile *h = state;
    (void)c;
    int rc = h->api->letter_set(out, "title", "A note");
    if (rc == 0)
        rc = h->api->letter_block(out, BATON_BLOCK_PARAGRAPH, kind);
    return rc;
}

static const char *const kinds[] = {"note", NULL};

static const baton_filing_rules rules = {
    .struct_size = sizeof(baton_filing_rules),
    .evaluate = hostile_evaluate,
};

static const baton_letter_formats letters = {
    .struct_size = sizeof(baton_letter_formats),
    .kinds = kinds,
    .render = hostile_render,
};

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,    .name = "hostile",
    .version = "0.0.1",     .scope = "jurisdiction:zz-hostile",
    .init = hostile_init,   .fini = hostile_fini,
    .filing_rules = &rules, .letter_formats = &letters,
};

BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    return &descriptor;
}
