/* isolation.c - worker spawning and the synchronous client (isolation.h). */
#include "isolation.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "worker_frames.h"
#include "worker_proto.h"
#include "worker_replay.h"

#ifndef BATON_WORKER_INSTALL_PATH
#define BATON_WORKER_INSTALL_PATH "/usr/local/libexec/baton/baton-worker"
#endif

#if defined(__SANITIZE_ADDRESS__)
#define BH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BH_ASAN 1
#endif
#endif

void bh_isolation_limits_default(bh_isolation_limits *l)
{
    memset(l, 0, sizeof *l);
    l->call_timeout_ms = 2000;
    l->memory_mb = 256;
    l->cpu_seconds = 60;
    l->workers_per_plugin = 2;
    l->tenant_concurrency = 8;
    l->tenant_queue = 64;
    l->load_timeout_ms = 5000;
    l->netns = 0;
    l->require_landlock = 1;
    l->worker_path = NULL;
}

static char worker_path[PATH_MAX];
static pthread_once_t worker_path_once = PTHREAD_ONCE_INIT;

static int executable(const char *p)
{
    return access(p, X_OK) == 0;
}

/* See bh_worker_default_path. A program running from the build tree takes
 * the build tree's worker, an installed one the worker of its own install
 * (BATON_WORKER_FROM_BINDIR, relative to the program's folder, so an
 * install copied to another prefix keeps working), else the configured
 * install path. */
static void find_worker(void)
{
    const char *env = getenv("BATON_WORKER");
    char self[PATH_MAX];
    if (env != NULL && env[0] != '\0') {
        snprintf(worker_path, sizeof worker_path, "%s", env);
        return;
    }
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    char *slash = n > 0 ? (self[n] = '\0', strrchr(self, '/')) : NULL;
    if (slash != NULL) {
        *slash = '\0';
        snprintf(worker_path, sizeof worker_path, "%s/baton-worker", self);
        if (executable(worker_path))
            return;
    }
#ifdef BATON_BUILD_DIR
    if (n > 0 && strncmp(self, BATON_BUILD_DIR "/", strlen(BATON_BUILD_DIR) + 1) == 0) {
        snprintf(worker_path, sizeof worker_path, "%s/host/baton-worker", BATON_BUILD_DIR);
        return;
    }
#endif
#ifdef BATON_WORKER_FROM_BINDIR
    if (slash != NULL) {
        snprintf(worker_path, sizeof worker_path, "%s/%s", self, BATON_WORKER_FROM_BINDIR);
        if (executable(worker_path))
            return;
    }
#endif
    snprintf(worker_path, sizeof worker_path, "%s", BATON_WORKER_INSTALL_PATH);
}

const char *bh_worker_default_path(void)
{
    pthread_once(&worker_path_once, find_worker);
    return worker_path;
}

size_t bh_sandbox_layers(unsigned bits, const char **names, size_t max)
{
    static const struct {
        unsigned bit;
        const char *name;
    } layers[] = {
        {BH_SANDBOX_NO_NEW_PRIVS, "no_new_privs"},
        {BH_SANDBOX_SECCOMP, "seccomp"},
        {BH_SANDBOX_LANDLOCK, "landlock"},
        {BH_SANDBOX_RLIMITS, "rlimits"},
        {BH_SANDBOX_NETNS, "netns"},
        {BH_SANDBOX_USERNS, "userns"},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof layers / sizeof layers[0] && n < max; i++)
        if (bits & layers[i].bit)
            names[n++] = layers[i].name;
    return n;
}

void bh_sandbox_names(unsigned bits, char *buf, size_t len)
{
    const char *names[8];
    size_t count = bh_sandbox_layers(bits, names, 8), n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < count && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i > 0 ? "," : "", names[i]);
    if (count == 0)
        snprintf(buf, len, "none");
}

void bh_plugin_info_clear(bh_plugin_info *info)
{
    if (info == NULL)
        return;
    free(info->name);
    free(info->version);
    free(info->scope);
    for (char **k = info->letter_kinds; k != NULL && *k != NULL; k++)
        free(*k);
    free(info->letter_kinds);
    memset(info, 0, sizeof *info);
}

int bh_plugin_info_copy(bh_plugin_info *dst, const bh_plugin_info *src)
{
    size_t n = 0;
    *dst = *src;
    dst->name = strdup(src->name);
    dst->version = strdup(src->version);
    dst->scope = strdup(src->scope);
    while (src->letter_kinds != NULL && src->letter_kinds[n] != NULL)
        n++;
    dst->letter_kinds = calloc(n + 1, sizeof *dst->letter_kinds);
    if (dst->name == NULL || dst->version == NULL || dst->scope == NULL ||
        dst->letter_kinds == NULL)
        goto oom;
    for (size_t i = 0; i < n; i++)
        if ((dst->letter_kinds[i] = strdup(src->letter_kinds[i])) == NULL)
            goto oom;
    return 0;
oom:
    bh_plugin_info_clear(dst);
    return BATON_ENOMEM;
}

int bh_worker_spawn(const bh_isolation_limits *lim, pid_t *pid, int *fd, char *err, size_t errlen)
{
    int sv[2], rc = BATON_EIO;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, all;
    char mem[24], cpu[24];
    const char *path = lim->worker_path != NULL ? lim->worker_path : bh_worker_default_path();

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(err, errlen, "worker socketpair: %s", strerror(errno));
        return BATON_EIO;
    }
    /* dup2 onto the same number would keep close-on-exec: keep clear of 3. */
    if (sv[1] == BH_WORKER_FD) {
        int moved = fcntl(sv[1], F_DUPFD_CLOEXEC, BH_WORKER_FD + 1);
        close(sv[1]);
        sv[1] = moved;
        if (moved < 0) {
            close(sv[0]);
            snprintf(err, errlen, "worker socket: %s", strerror(errno));
            return BATON_EIO;
        }
    }
    snprintf(mem, sizeof mem, "%u", (unsigned)lim->memory_mb);
    snprintf(cpu, sizeof cpu, "%u", (unsigned)lim->cpu_seconds);
    char *argv[8];
    int argc = 0;
    argv[argc++] = (char *)"baton-worker";
    argv[argc++] = (char *)"--memory-mb";
    argv[argc++] = mem;
    argv[argc++] = (char *)"--cpu-seconds";
    argv[argc++] = cpu;
    if (!lim->netns)
        argv[argc++] = (char *)"--no-netns";
    if (!lim->require_landlock)
        argv[argc++] = (char *)"--allow-no-landlock";
    argv[argc] = NULL;
    /* The worker gets no environment of batond's (which may hold secrets).
     * In a sanitizer build its allocator enforces the memory cap, since
     * AddressSanitizer cannot run under RLIMIT_AS. */
#ifdef BH_ASAN
    char asan[256];
    snprintf(asan, sizeof asan,
             "ASAN_OPTIONS=max_allocation_size_mb=%u:allocator_may_return_null=1:"
             "detect_leaks=0:handle_abort=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:"
             "handle_sigill=0:symbolize=0",
             (unsigned)lim->memory_mb);
    char *envp[] = {asan, NULL};
#else
    char *envp[] = {NULL};
#endif

    sigemptyset(&none);
    sigfillset(&all);
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, sv[1], BH_WORKER_FD);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    int e = posix_spawn(pid, path, &fa, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(sv[1]);
    if (e != 0) {
        close(sv[0]);
        snprintf(err, errlen, "cannot start the plugin worker %s: %s", path, strerror(e));
        return rc;
    }
    *fd = sv[0];
    return 0;
}

/* ---- the synchronous client ---- */

struct bh_worker_sync {
    pid_t pid;
    int fd;
    int dead;       /* the worker failed; only stop remains */
    uint32_t calls; /* call ids */
    uint32_t timeout_ms;
    char *tenant, *plugin;
    uint8_t *frame; /* the last frame read */
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for the worker to end (it is killed first) and describes how. */
static void reap(bh_worker_sync *w, int kill_first, char *buf, size_t len)
{
    int status = 0;
    if (w->pid <= 0) {
        snprintf(buf, len, "ended");
        return;
    }
    if (kill_first)
        kill(w->pid, SIGKILL);
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    bh_describe_exit(status, buf, len);
}

/* Reads exactly n bytes before deadline; 0, 1 on EOF, -1 error, -2 timeout. */
static int read_full(int fd, void *buf, size_t n, int64_t deadline)
{
    uint8_t *p = buf;
    while (n > 0) {
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return -2;
        struct pollfd pfd = {fd, POLLIN, 0};
        int pr = poll(&pfd, 1, (int)left);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0)
            return -1;
        if (pr == 0)
            return -2;
        ssize_t got = read(fd, p, n);
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            return 1;
        p += got;
        n -= (size_t)got;
    }
    return 0;
}

static int write_full(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads one frame into w->frame; on failure the worker is reaped and err
 * says what happened while doing `what`. */
static int read_frame(bh_worker_sync *w, uint32_t timeout_ms, const char *what, size_t *len,
                      char *err, size_t errlen)
{
    uint8_t hdr[4];
    char how[96];
    int64_t deadline = now_ms() + timeout_ms;
    int rc = read_full(w->fd, hdr, 4, deadline);
    if (rc == 0) {
        uint32_t n = bh_wire_get_u32(hdr);
        if (n == 0 || n > BH_FRAME_MAX) {
            w->dead = 1;
            reap(w, 1, how, sizeof how);
            snprintf(err, errlen, "worker broke the protocol %s (frame of %u bytes)", what,
                     (unsigned)n);
            return BATON_EINVAL;
        }
        free(w->frame);
        if ((w->frame = malloc(n)) == NULL) {
            snprintf(err, errlen, "out of memory");
            return BATON_ENOMEM;
        }
        rc = read_full(w->fd, w->frame, n, deadline);
        *len = n;
    }
    if (rc == 0)
        return 0;
    w->dead = 1;
    if (rc == -2) {
        reap(w, 1, how, sizeof how);
        snprintf(err, errlen, "worker timed out after %u ms %s", (unsigned)timeout_ms, what);
        return BATON_ETIMEDOUT;
    }
    reap(w, rc != 1, how, sizeof how);
    snprintf(err, errlen, "worker %s %s", how, what);
    return BATON_EPLUGIN;
}

int bh_worker_sync_start(const bh_isolation_limits *lim, const char *tenant, const char *path,
                         const char *config_json, unsigned load_flags, bh_worker_sync **out,
                         bh_plugin_info *info, char *err, size_t errlen)
{
    int rc = BATON_ENOMEM;
    bh_wbuf b;
    size_t len = 0;
    char why[512];
    bh_worker_sync *w = calloc(1, sizeof *w);

    *out = NULL;
    memset(info, 0, sizeof *info);
    bh_wbuf_init(&b, BH_FRAME_MAX);
    if (w == NULL || (w->tenant = strdup(tenant)) == NULL || (w->plugin = strdup(path)) == NULL) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    w->fd = -1;
    w->timeout_ms = lim->call_timeout_ms;
    rc = bh_worker_spawn(lim, &w->pid, &w->fd, err, errlen);
    if (rc != 0)
        goto fail;
    bh_frame_load(&b, tenant, path, config_json != NULL ? config_json : "", load_flags);
    if (b.failed || write_full(w->fd, b.data, b.len) != 0) {
        char how[96];
        reap(w, 1, how, sizeof how);
        snprintf(err, errlen, "plugin %s: worker %s before loading", path, how);
        rc = BATON_EPLUGIN;
        goto fail;
    }
    rc = read_frame(w, lim->load_timeout_ms, "while loading", &len, why, sizeof why);
    if (rc == 0)
        rc = bh_frame_read_loaded(w->frame, len, info, why, sizeof why);
    if (rc != 0) {
        /* A refusal already names the file; anything else gets it here. */
        if (rc == BATON_EPLUGIN && strstr(why, path) != NULL)
            snprintf(err, errlen, "%s", why);
        else
            snprintf(err, errlen, "plugin %s refused: %s", path, why);
        if (rc != BATON_ENOMEM)
            rc = BATON_EPLUGIN;
        goto fail;
    }
    bh_wbuf_free(&b);
    *out = w;
    return 0;
fail:
    bh_wbuf_free(&b);
    bh_worker_sync_stop(w);
    return rc;
}

int bh_worker_sync_call(bh_worker_sync *w, unsigned caps, const char *kind, const char *as_of,
                        const char *case_json, size_t case_len, const char *result_json,
                        baton_result *result, baton_letter *letter, int *plugin_rc, char *err,
                        size_t errlen)
{
    bh_wbuf b;
    size_t len = 0;
    int rc;
    bh_rbuf r;
    uint32_t call_id, ops;
    const char *failed, *reason;

    *plugin_rc = 0;
    if (w->dead) {
        snprintf(err, errlen, "the worker has stopped");
        return BATON_EPLUGIN;
    }
    bh_wbuf_init(&b, BH_FRAME_MAX);
    bh_frame_call(&b, ++w->calls, caps, kind, as_of, case_json, case_len, result_json);
    if (b.failed) {
        bh_wbuf_free(&b);
        snprintf(err, errlen, "case too large for a worker call");
        return BATON_ELIMIT;
    }
    rc = write_full(w->fd, b.data, b.len);
    bh_wbuf_free(&b);
    if (rc != 0) {
        char how[96];
        w->dead = 1;
        reap(w, 1, how, sizeof how);
        snprintf(err, errlen, "worker %s", how);
        return BATON_EPLUGIN;
    }
    rc = read_frame(w, w->timeout_ms, "during the call", &len, err, errlen);
    if (rc != 0)
        return rc;
    rc = bh_frame_read_reply(w->frame, len, &r, &call_id, plugin_rc, &failed, &reason, &ops, err,
                             errlen);
    if (rc == 0 && call_id != w->calls) {
        snprintf(err, errlen, "protocol error: reply to call %u, expected %u", (unsigned)call_id,
                 (unsigned)w->calls);
        rc = BATON_EINVAL;
    }
    if (rc == 0) {
        char why[256];
        rc = bh_worker_replay(&r, ops, result, letter, w->tenant, w->plugin, why, sizeof why);
        if (rc == 0 && !bh_rbuf_done(&r)) {
            snprintf(why, sizeof why, "trailing bytes");
            rc = BATON_EINVAL;
        }
        if (rc != 0)
            snprintf(err, errlen, "protocol error: %s", why);
    }
    if (rc != 0) {
        char how[96];
        w->dead = 1;
        reap(w, 1, how, sizeof how);
        return rc == BATON_ENOMEM ? rc : BATON_EPLUGIN;
    }
    return 0;
}

void bh_worker_sync_stop(bh_worker_sync *w)
{
    if (w == NULL)
        return;
    if (w->fd >= 0)
        close(w->fd); /* EOF: the worker finis the plugin and exits */
    if (w->pid > 0) {
        int status;
        int64_t deadline = now_ms() + 1000;
        while (waitpid(w->pid, &status, WNOHANG) == 0) {
            if (now_ms() > deadline) {
                kill(w->pid, SIGKILL);
                waitpid(w->pid, &status, 0);
                break;
            }
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
    }
    free(w->tenant);
    free(w->plugin);
    free(w->frame);
    free(w);
}

int bh_plugin_probe(const bh_isolation_limits *lim, const char *tenant, const char *path,
                    const char *config_json, bh_plugin_info *info, char *err, size_t errlen)
{
    bh_worker_sync *w = NULL;
    int rc =
        bh_worker_sync_start(lim, tenant, path, config_json, BH_LOAD_PROBE, &w, info, err, errlen);
    bh_worker_sync_stop(w);
    return rc;
}
