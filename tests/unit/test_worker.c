/*
 * test_worker.c - the real baton-worker over a socketpair: loads, refusals,
 * calls that give what the plugin gives in process, protocol errors, and
 * the sandbox stopping a hostile plugin (worker_hostile_plugin.c) and the
 * constructor of tests/attacks/attack_ctor_plugin.c. Prints
 * the worker's start-to-LOADED time and a trivial call's round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../support/test_files.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "case_view.h"
#include "host_api.h"
#include "letter.h"
#include "plugin_loader.h"
#include "result.h"
#include "wire.h"
#include "worker_frames.h"
#include "worker_proto.h"

/* The SDK version these tests are built with, as the host prints it. */
#define SDK_XSTR(x) #x
#define SDK_STR(x)  SDK_XSTR(x)
#define SDK_TEXT    SDK_STR(BATON_SDK_MAJOR) "." SDK_STR(BATON_SDK_MINOR)

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif

#define TIMEOUT_MS 10000
#define AS_OF      "2025-11-03"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif

/* The kernel has no Landlock (or has it disabled): the worker refuses to
 * load without --allow-no-landlock, which spawn_args then passes. */
static int no_landlock;

typedef struct wk {
    pid_t pid;
    int fd;
    uint8_t *frame; /* last frame read (payload) */
    size_t len;
} wk;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void plugin_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s.so", BATON_PLUGIN_DIR, name);
}

static char *read_text(const char *path)
{
    size_t len;
    return test_slurp(path, &len);
}

static char *case_text(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", BATON_CASES_DIR, name);
    return read_text(path);
}

/* Starts the worker as batond does: the socket on fd 3, /dev/null on 0-2,
 * no environment but the sanitizer's options. extra: one more argument;
 * --allow-no-landlock too on a kernel without Landlock unless strict. */
static void spawn_opts(wk *w, unsigned cpu_seconds, const char *extra, int strict)
{
    int sv[2];
    char cpu[16];
    posix_spawn_file_actions_t fa;
    memset(w, 0, sizeof *w);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    if (sv[1] == BH_WORKER_FD) {
        int moved = fcntl(sv[1], F_DUPFD_CLOEXEC, BH_WORKER_FD + 1);
        close(sv[1]);
        sv[1] = moved;
    }
    snprintf(cpu, sizeof cpu, "%u", cpu_seconds);
    char *argv[] = {(char *)"baton-worker",
                    (char *)"--memory-mb",
                    (char *)"256",
                    (char *)"--cpu-seconds",
                    cpu,
                    (char *)extra,
                    NULL,
                    NULL};
    if (no_landlock && !strict)
        argv[extra != NULL ? 6 : 5] = (char *)"--allow-no-landlock";
#ifdef TEST_ASAN
    char *envp[] = {(char *)"ASAN_OPTIONS=max_allocation_size_mb=256:allocator_may_return_null=1:"
                            "detect_leaks=0:handle_abort=0:symbolize=0",
                    NULL};
#else
    char *envp[] = {NULL};
#endif
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, sv[1], BH_WORKER_FD);
    assert_int_equal(posix_spawn(&w->pid, BATON_WORKER_PATH, &fa, NULL, argv, envp), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(sv[1]);
    w->fd = sv[0];
}

static void spawn_args(wk *w, unsigned cpu_seconds, const char *extra)
{
    spawn_opts(w, cpu_seconds, extra, 0);
}

static void spawn(wk *w)
{
    spawn_args(w, 30, NULL);
}

static void send_bytes(wk *w, const void *p, size_t n)
{
    const uint8_t *at = p;
    while (n > 0) {
        ssize_t s = send(w->fd, at, n, MSG_NOSIGNAL);
        if (s < 0 && errno == EINTR)
            continue;
        assert_true(s > 0);
        at += s;
        n -= (size_t)s;
    }
}

static void send_buf(wk *w, bh_wbuf *b)
{
    assert_false(b->failed);
    send_bytes(w, b->data, b->len);
    bh_wbuf_free(b);
}

static void send_load(wk *w, const char *path, const char *config, uint32_t flags)
{
    bh_wbuf b;
    bh_wbuf_init(&b, 0);
    bh_frame_load(&b, "t1", path, config, flags);
    send_buf(w, &b);
}

static void send_call(wk *w, uint32_t id, unsigned caps, const char *kind, const char *as_of,
                      const char *case_json, const char *result_json)
{
    bh_wbuf b;
    bh_wbuf_init(&b, 0);
    bh_frame_call(&b, id, caps, kind, as_of, case_json, strlen(case_json), result_json);
    send_buf(w, &b);
}

static int read_full(int fd, uint8_t *p, size_t n)
{
    double deadline = now_ms() + TIMEOUT_MS;
    while (n > 0) {
        struct pollfd pfd = {fd, POLLIN, 0};
        int left = (int)(deadline - now_ms());
        if (left <= 0 || poll(&pfd, 1, left) <= 0)
            return -1;
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0 ? 1 : -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* The next frame into w->frame: 0, or 1 at the end of the stream. */
static int next_frame(wk *w)
{
    uint8_t hdr[4];
    free(w->frame);
    w->frame = NULL;
    w->len = 0;
    int rc = read_full(w->fd, hdr, 4);
    if (rc != 0) {
        assert_int_equal(rc, 1); /* a timeout fails the test */
        return 1;
    }
    uint32_t n = bh_wire_get_u32(hdr);
    assert_true(n >= 1 && n <= BH_FRAME_MAX);
    w->frame = malloc(n);
    assert_non_null(w->frame);
    assert_int_equal(read_full(w->fd, w->frame, n), 0);
    w->len = n;
    return 0;
}

/* Closes the host's end (unless already) and returns the wait status. */
static int finish(wk *w)
{
    int status = 0;
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    double deadline = now_ms() + TIMEOUT_MS;
    while (waitpid(w->pid, &status, WNOHANG) == 0) {
        if (now_ms() > deadline) {
            kill(w->pid, SIGKILL);
            waitpid(w->pid, &status, 0);
            fail_msg("worker did not exit");
        }
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    free(w->frame);
    w->frame = NULL;
    return status;
}

static void assert_exit(int status, int code)
{
    if (!WIFEXITED(status))
        fail_msg("worker did not exit normally (wait status %d, signal %d)", status,
                 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    assert_int_equal(WEXITSTATUS(status), code);
}

typedef struct loaded {
    char name[64], version[32], scope[96];
    unsigned sdk_major, sdk_minor, caps, kinds, sandbox;
    char first_kind[64];
} loaded;

/* Reads LOADED as the host does (worker_frames.h). */
static void expect_loaded(wk *w, loaded *out)
{
    bh_plugin_info info;
    char err[512];
    assert_int_equal(next_frame(w), 0);
    if (bh_frame_read_loaded(w->frame, w->len, &info, err, sizeof err) != 0)
        fail_msg("expected LOADED, got: %s", err);
    snprintf(out->name, sizeof out->name, "%s", info.name);
    snprintf(out->version, sizeof out->version, "%s", info.version);
    snprintf(out->scope, sizeof out->scope, "%s", info.scope);
    out->sdk_major = info.sdk_major;
    out->sdk_minor = info.sdk_minor;
    out->caps = info.caps;
    for (out->kinds = 0; info.letter_kinds[out->kinds] != NULL; out->kinds++)
        ;
    snprintf(out->first_kind, sizeof out->first_kind, "%s",
             out->kinds > 0 ? info.letter_kinds[0] : "");
    out->sandbox = info.sandbox;
    bh_plugin_info_clear(&info);
}

/* Expects a one-string frame of type (REFUSED or FAULT); returns a copy. */
static char *expect_message(wk *w, uint8_t type)
{
    assert_int_equal(next_frame(w), 0);
    bh_rbuf r = bh_rbuf_of(w->frame, w->len);
    uint8_t got = bh_rbuf_u8(&r);
    const char *msg = bh_rbuf_str(&r, NULL);
    if (got != type)
        fail_msg("expected frame type %u, got %u (%s)", type, got, r.failed ? "" : msg);
    assert_true(bh_rbuf_done(&r));
    assert_null(strchr(msg, '\n'));
    char *copy = strdup(msg);
    assert_non_null(copy);
    return copy;
}

/* Starts a worker, asks it to load path and expects a one-string frame of
 * type (REFUSED or FAULT); returns a copy. */
static char *load_expecting(wk *w, const char *path, const char *config, uint8_t type)
{
    spawn(w);
    send_load(w, path, config, 0);
    return expect_message(w, type);
}

/* Expects FAULT saying want, then the worker's end and exit status 70. */
static void expect_fault_exit(wk *w, const char *want)
{
    char *msg = expect_message(w, BH_FRAME_FAULT);
    assert_string_equal(msg, want);
    free(msg);
    assert_int_equal(next_frame(w), 1);
    assert_exit(finish(w), 70);
}

typedef struct reply {
    uint32_t id;
    int rc;
    char failed[32];
    char reason[256]; /* the worker's last host refusal when rc != 0 */
    uint32_t ops;
    unsigned findings, line_items, facts, blocks, sets, logs;
} reply;

/*
 * Reads a REPLY and replays its operations into result / letter (either
 * may be NULL) with the runtime's builders, as the host would: every one
 * must be accepted again.
 */
static void expect_reply(wk *w, reply *out, baton_result *result, baton_letter *letter)
{
    bh_rbuf r;
    const char *failed, *reason;
    char err[512];
    memset(out, 0, sizeof *out);
    assert_int_equal(next_frame(w), 0);
    if (bh_frame_read_reply(w->frame, w->len, &r, &out->id, &out->rc, &failed, &reason, &out->ops,
                            err, sizeof err) != 0)
        fail_msg("expected REPLY, got: %s", err);
    snprintf(out->failed, sizeof out->failed, "%s", failed);
    snprintf(out->reason, sizeof out->reason, "%s", reason);
    for (uint32_t i = 0; i < out->ops && !r.failed; i++) {
        uint8_t op = bh_rbuf_u8(&r);
        const char *a, *b, *c, *basis;
        uint8_t u, has;
        baton_money m;
        baton_date d;
        int rc = 0;
        switch (op) {
        case BH_OP_FINDING:
            a = bh_rbuf_str(&r, NULL);
            b = bh_rbuf_str(&r, NULL);
            u = bh_rbuf_u8(&r);
            c = bh_rbuf_str(&r, NULL);
            has = bh_rbuf_u8(&r);
            basis = bh_rbuf_str(&r, NULL);
            if (result != NULL)
                rc = bh_result_finding(result, a, b, u, c, has ? basis : NULL);
            out->findings++;
            break;
        case BH_OP_LINE_ITEM:
            a = bh_rbuf_str(&r, NULL);
            b = bh_rbuf_str(&r, NULL);
            m.minor = bh_rbuf_i64(&r);
            snprintf(m.currency, sizeof m.currency, "%s", bh_rbuf_str(&r, NULL));
            has = bh_rbuf_u8(&r);
            basis = bh_rbuf_str(&r, NULL);
            if (result != NULL)
                rc = bh_result_line_item(result, a, b, m, has ? basis : NULL);
            out->line_items++;
            break;
        case BH_OP_FACT_STRING:
            a = bh_rbuf_str(&r, NULL);
            b = bh_rbuf_str(&r, NULL);
            if (result != NULL)
                rc = bh_result_string(result, a, b);
            out->facts++;
            break;
        case BH_OP_FACT_INT: {
            a = bh_rbuf_str(&r, NULL);
            int64_t v = bh_rbuf_i64(&r);
            if (result != NULL)
                rc = bh_result_int(result, a, v);
            out->facts++;
            break;
        }
        case BH_OP_FACT_DATE:
            a = bh_rbuf_str(&r, NULL);
            d.year = (int32_t)bh_rbuf_u32(&r);
            d.month = bh_rbuf_u8(&r);
            d.day = bh_rbuf_u8(&r);
            if (result != NULL)
                rc = bh_result_date(result, a, d);
            out->facts++;
            break;
        case BH_OP_FACT_MONEY:
            a = bh_rbuf_str(&r, NULL);
            m.minor = bh_rbuf_i64(&r);
            snprintf(m.currency, sizeof m.currency, "%s", bh_rbuf_str(&r, NULL));
            if (result != NULL)
                rc = bh_result_money(result, a, m);
            out->facts++;
            break;
        case BH_OP_LETTER_BLOCK:
            u = bh_rbuf_u8(&r);
            a = bh_rbuf_str(&r, NULL);
            if (letter != NULL)
                rc = bh_letter_block_add(letter, u, a);
            out->blocks++;
            break;
        case BH_OP_LETTER_SET:
            a = bh_rbuf_str(&r, NULL);
            b = bh_rbuf_str(&r, NULL);
            if (letter != NULL)
                rc = bh_letter_set(letter, a, b);
            out->sets++;
            break;
        case BH_OP_LOG:
            u = bh_rbuf_u8(&r);
            (void)bh_rbuf_str(&r, NULL);
            assert_true(u <= BATON_LOG_ERROR);
            out->logs++;
            break;
        default:
            fail_msg("operation %u: unknown op %u", i, op);
        }
        assert_int_equal(rc, 0);
    }
    assert_true(bh_rbuf_done(&r));
}

/* Loads name (a file path) and expects LOADED. */
static void start_loaded(wk *w, const char *path, loaded *l)
{
    spawn(w);
    send_load(w, path, "", 0);
    expect_loaded(w, l);
}

/* ---- loads ---- */

static void loads_gb_ew_and_reports_descriptor_and_sandbox(void **state)
{
    (void)state;
    wk w;
    loaded l;
    char path[512];
    plugin_path(path, sizeof path, "gb-ew");
    start_loaded(&w, path, &l);
    assert_string_equal(l.name, "gb-ew");
    assert_string_equal(l.scope, "jurisdiction:gb-ew");
    assert_int_equal(l.sdk_major, 1);
    assert_int_equal(l.caps, BH_CAP_FILING_RULES | BH_CAP_FEE_SCHEDULE | BH_CAP_LETTER);
    assert_int_equal(l.kinds, 1);
    assert_string_equal(l.first_kind, "letter_of_claim");
    assert_true(l.sandbox & BH_SANDBOX_SECCOMP);
    assert_true(l.sandbox & BH_SANDBOX_NO_NEW_PRIVS);
    assert_true(l.sandbox & BH_SANDBOX_RLIMITS);
    if (!no_landlock)
        assert_true(l.sandbox & BH_SANDBOX_LANDLOCK);
    print_message("sandbox in force: 0x%x%s%s%s%s%s%s\n", l.sandbox,
                  l.sandbox & BH_SANDBOX_NO_NEW_PRIVS ? " no_new_privs" : "",
                  l.sandbox & BH_SANDBOX_SECCOMP ? " seccomp" : "",
                  l.sandbox & BH_SANDBOX_LANDLOCK ? " landlock" : "",
                  l.sandbox & BH_SANDBOX_RLIMITS ? " rlimits" : "",
                  l.sandbox & BH_SANDBOX_NETNS ? " netns" : "",
                  l.sandbox & BH_SANDBOX_USERNS ? " userns" : "");
    assert_exit(finish(&w), 0);
}

static void no_netns_leaves_the_network_namespace_alone(void **state)
{
    (void)state;
    wk w;
    loaded l;
    char path[512];
    plugin_path(path, sizeof path, "gb-ew");
    spawn_args(&w, 30, "--no-netns");
    send_load(&w, path, "", 0);
    expect_loaded(&w, &l);
    assert_false(l.sandbox & (BH_SANDBOX_NETNS | BH_SANDBOX_USERNS));
    assert_true(l.sandbox & BH_SANDBOX_SECCOMP);
    assert_exit(finish(&w), 0);
}

static void a_probe_load_answers_loaded_and_exits_at_eof(void **state)
{
    (void)state;
    wk w;
    loaded l;
    char path[512];
    plugin_path(path, sizeof path, "gb-ew");
    spawn(&w);
    send_load(&w, path, "", BH_LOAD_PROBE);
    expect_loaded(&w, &l);
    assert_string_equal(l.name, "gb-ew");
    assert_exit(finish(&w), 0);
}

static void refuses_an_abi_mismatch_naming_the_file(void **state)
{
    (void)state;
    wk w;
    char path[512];
    plugin_path(path, sizeof path, "bad-major");
    char *msg = load_expecting(&w, path, "", BH_FRAME_REFUSED);
    assert_non_null(strstr(msg, path));
    assert_non_null(strstr(msg, "built against SDK 2." SDK_STR(BATON_SDK_MINOR)));
    assert_int_equal(next_frame(&w), 1);
    assert_exit(finish(&w), 0);
    free(msg);
}

static void refuses_a_missing_file_naming_it(void **state)
{
    (void)state;
    wk w;
    char path[512];
    plugin_path(path, sizeof path, "does-not-exist");
    char *msg = load_expecting(&w, path, "", BH_FRAME_REFUSED);
    assert_non_null(strstr(msg, path));
    assert_non_null(strstr(msg, "cannot be loaded"));
    assert_exit(finish(&w), 0);
    free(msg);
}

static void refuses_a_failed_init_in_the_in_process_words(void **state)
{
    (void)state;
    wk w;
    char path[512], want[768];
    plugin_path(path, sizeof path, "bad-init");
    char *msg = load_expecting(&w, path, "", BH_FRAME_REFUSED);
    snprintf(want, sizeof want,
             "plugin %s refused: init of probe 1.0.0 (built against SDK " SDK_TEXT
             ") failed: refusing to "
             "start: required config key 'rates' is missing",
             path);
    assert_string_equal(msg, want);
    assert_exit(finish(&w), 0);
    free(msg);
}

static void init_reads_its_config_and_refuses_one_that_is_not_an_object(void **state)
{
    (void)state;
    wk w;
    char want[768];
    char *msg = load_expecting(&w, BATON_HOSTILE_PLUGIN, "{\"fail_init\": true}", BH_FRAME_REFUSED);
    snprintf(want, sizeof want,
             "plugin %s refused: init of hostile 0.0.1 (built against SDK " SDK_TEXT
             ") failed: config "
             "asks init to fail",
             BATON_HOSTILE_PLUGIN);
    assert_string_equal(msg, want);
    free(msg);
    assert_exit(finish(&w), 0);

    msg = load_expecting(&w, BATON_HOSTILE_PLUGIN, "[1, 2]", BH_FRAME_REFUSED);
    assert_non_null(strstr(msg, BATON_HOSTILE_PLUGIN));
    assert_non_null(strstr(msg, "config: expected a JSON object"));
    free(msg);
    assert_exit(finish(&w), 0);
}

/* ---- calls ---- */

/* gb-ew in this process, as batond runs a trusted plugin. */
static cJSON *evaluate_in_process(const char *path, const char *case_json)
{
    bh_plugin *p = NULL;
    char err[512], why[256] = "";
    void *st = NULL;
    static const cJSON empty = {.type = cJSON_Object};
    assert_int_equal(bh_plugin_open(path, &p, err, sizeof err), 0);
    const baton_plugin *d = bh_plugin_desc(p);
    struct baton_host host = {"t1", d->name};
    baton_view cfg = bh_view_of(&empty);
    assert_int_equal(d->init(bh_host_api(), &host, &cfg, &st, why, sizeof why), 0);
    cJSON *root = cJSON_Parse(case_json);
    baton_view v = bh_case_view_of(root, AS_OF);
    baton_result *r = bh_result_new();
    bh_result_set_plugin(r, d->name);
    assert_int_equal(d->filing_rules->evaluate(st, &v, r), 0);
    assert_int_equal(d->fee_schedule->fees(st, &v, r), 0);
    cJSON *out = bh_result_take(r);
    bh_result_free(r);
    cJSON_Delete(root);
    d->fini(st);
    bh_plugin_close(p);
    return out;
}

static void a_call_gives_exactly_what_the_plugin_gives_in_process(void **state)
{
    (void)state;
    wk w;
    loaded l;
    reply rp;
    char path[512];
    char *text = case_text("gb-ew-b2b-ready.json");
    plugin_path(path, sizeof path, "gb-ew");
    start_loaded(&w, path, &l);

    baton_result *replayed = bh_result_new();
    bh_result_set_plugin(replayed, "gb-ew");
    send_call(&w, 7, BH_CAP_FILING_RULES | BH_CAP_FEE_SCHEDULE, "", AS_OF, text, "");
    expect_reply(&w, &rp, replayed, NULL);
    assert_int_equal(rp.id, 7);
    assert_int_equal(rp.rc, 0);
    assert_string_equal(rp.failed, "");
    assert_true(rp.findings > 0);
    assert_true(rp.line_items > 0);

    /* The worker's operations, replayed, build the in-process answer. */
    cJSON *direct = evaluate_in_process(path, text);
    char *a = cJSON_PrintUnformatted(direct);
    cJSON *replayed_tree = bh_result_take(replayed);
    char *b = cJSON_PrintUnformatted(replayed_tree);
    assert_string_equal(a, b);
    free(a);
    free(b);
    cJSON_Delete(replayed_tree);
    cJSON_Delete(direct);
    bh_result_free(replayed);

    /* The same worker takes the next call. */
    send_call(&w, 8, BH_CAP_FEE_SCHEDULE, "", AS_OF, text, "");
    expect_reply(&w, &rp, NULL, NULL);
    assert_int_equal(rp.id, 8);
    assert_int_equal(rp.rc, 0);
    assert_true(rp.line_items > 0);
    assert_exit(finish(&w), 0);
    free(text);
}

static void renders_a_letter_into_blocks(void **state)
{
    (void)state;
    wk w;
    loaded l;
    reply rp;
    char path[512];
    char *text = case_text("gb-ew-b2b-ready.json");
    plugin_path(path, sizeof path, "gb-ew");
    start_loaded(&w, path, &l);
    baton_letter *letter = bh_letter_new();
    send_call(&w, 1, BH_CAP_LETTER, "letter_of_claim", AS_OF, text, "");
    expect_reply(&w, &rp, NULL, letter);
    assert_int_equal(rp.rc, 0);
    assert_true(rp.blocks > 5);
    assert_int_equal(letter->count, rp.blocks);
    assert_int_equal(rp.findings + rp.line_items + rp.facts, 0);
    bh_letter_free(letter);
    assert_exit(finish(&w), 0);
    free(text);
}

static void result_view_shows_the_answer_so_far(void **state)
{
    (void)state;
    wk w;
    loaded l;
    reply rp;
    start_loaded(&w, BATON_HOSTILE_PLUGIN, &l);
    assert_string_equal(l.name, "hostile");
    const char *prior = "{\"findings\":[{\"category\":\"readiness\",\"code\":\"a\",\"status\":"
                        "\"met\",\"text\":\"x\",\"plugin\":\"gb-ew\"},{\"category\":\"readiness\","
                        "\"code\":\"b\",\"status\":\"met\",\"text\":\"y\",\"plugin\":\"gb-ew\"}],"
                        "\"costs\":[],\"facts\":{}}";
    baton_result *r = bh_result_new();
    send_call(&w, 1, BH_CAP_FILING_RULES, "", AS_OF, "{\"probe_action\":\"prior\"}", prior);
    expect_reply(&w, &rp, r, NULL);
    assert_int_equal(rp.rc, 0);
    int64_t n = 0;
    assert_int_equal(bh_view_int(bh_result_view(r), "facts.probe.prior_findings", &n), 0);
    assert_int_equal(n, 2);
    bh_result_free(r);
    assert_exit(finish(&w), 0);
}

static void logs_are_capped_per_call_and_init_logs_dropped(void **state)
{
    (void)state;
    wk w;
    loaded l;
    reply rp;
    start_loaded(&w, BATON_HOSTILE_PLUGIN, &l);
    send_call(&w, 1, BH_CAP_FILING_RULES, "", AS_OF, "{\"probe_action\":\"log_flood\"}", "");
    expect_reply(&w, &rp, NULL, NULL);
    assert_int_equal(rp.rc, 0);
    assert_int_equal(rp.logs, BH_REPLY_MAX_LOGS);
    send_call(&w, 2, BH_CAP_FILING_RULES, "", AS_OF, "{\"probe_action\":\"ok\"}", "");
    baton_result *r = bh_result_new();
    expect_reply(&w, &rp, r, NULL);
    assert_int_equal(rp.logs, 1);
    assert_int_equal(rp.findings, 1);
    assert_int_equal(rp.facts, 1);
    bh_result_free(r);
    assert_exit(finish(&w), 0);
}

static void a_positive_return_code_is_reported_as_a_plugin_failure(void **state)
{
    (void)state;
    wk w;
    loaded l;
    reply rp;
    start_loaded(&w, BATON_HOSTILE_PLUGIN, &l);
    send_call(&w, 3, BH_CAP_FILING_RULES | BH_CAP_FEE_SCHEDULE, "", AS_OF,
              "{\"probe_action\":\"positive\"}", "");
    expect_reply(&w, &rp, NULL, NULL);
    assert_int_equal(rp.id, 3);
    assert_int_equal(rp.rc, BATON_EPLUGIN);
    assert_string_equal(rp.failed, "filing_rules");
    assert_exit(finish(&w), 0);
}

/* ---- protocol errors ---- */

static void expect_protocol_exit(wk *w)
{
    assert_int_equal(next_frame(w), 1);
    assert_exit(finish(w), 2);
}

static void malformed_frames_make_the_worker_exit(void **state)
{
    (void)state;
    wk w;
    loaded l;
    char path[512];
    plugin_path(path, sizeof path, "gb-ew");

    /* An unknown frame type first. */
    spawn(&w);
    const uint8_t unknown[] = {1, 0, 0, 0, 99};
    send_bytes(&w, unknown, sizeof unknown);
    expect_protocol_exit(&w);

    /* A frame longer than BH_FRAME_MAX. */
    spawn(&w);
    const uint8_t huge[] = {0xff, 0xff, 0xff, 0xff};
    send_bytes(&w, huge, sizeof huge);
    expect_protocol_exit(&w);

    /* An empty frame. */
    spawn(&w);
    const uint8_t empty[] = {0, 0, 0, 0};
    send_bytes(&w, empty, sizeof empty);
    expect_protocol_exit(&w);

    /* LOAD with a byte too many. */
    spawn(&w);
    bh_wbuf b;
    bh_wbuf_init(&b, 0);
    size_t at = bh_wbuf_frame_begin(&b);
    bh_wbuf_u8(&b, BH_FRAME_LOAD);
    bh_wbuf_str(&b, "t1");
    bh_wbuf_str(&b, path);
    bh_wbuf_str(&b, "");
    bh_wbuf_u32(&b, 0);
    bh_wbuf_u8(&b, 0);
    bh_wbuf_frame_end(&b, at);
    send_buf(&w, &b);
    expect_protocol_exit(&w);

    /* After LOADED: a CALL whose as_of is no date, and a second LOAD. */
    start_loaded(&w, path, &l);
    send_call(&w, 1, BH_CAP_FILING_RULES, "", "tomorrow", "{}", "");
    expect_protocol_exit(&w);
    start_loaded(&w, path, &l);
    send_load(&w, path, "", 0);
    expect_protocol_exit(&w);

    /* A CALL whose case is not JSON, and one with a letter bit and others. */
    start_loaded(&w, path, &l);
    send_call(&w, 1, BH_CAP_FILING_RULES, "", AS_OF, "{\"a\":", "");
    expect_protocol_exit(&w);
    start_loaded(&w, path, &l);
    send_call(&w, 1, BH_CAP_LETTER | BH_CAP_FILING_RULES, "letter_of_claim", AS_OF, "{}", "");
    expect_protocol_exit(&w);

    /* A CALL to a worker that only probed. */
    spawn(&w);
    send_load(&w, path, "", BH_LOAD_PROBE);
    expect_loaded(&w, &l);
    send_call(&w, 1, BH_CAP_FILING_RULES, "", AS_OF, "{}", "");
    expect_protocol_exit(&w);
}

/* ---- the sandbox ---- */

static void expect_fault(const char *action, const char *syscall_name)
{
    wk w;
    loaded l;
    char body[128], want[96];
    start_loaded(&w, BATON_HOSTILE_PLUGIN, &l);
    snprintf(body, sizeof body, "{\"probe_action\":\"%s\"}", action);
    send_call(&w, 1, BH_CAP_FILING_RULES, "", AS_OF, body, "");
    snprintf(want, sizeof want, "forbidden system call %s", syscall_name);
    expect_fault_exit(&w, want);
}

/* Runs action in the hostile plugin and returns its REPLY's facts. */
static baton_result *probe(const char *action, reply *rp)
{
    wk w;
    loaded l;
    char body[128];
    start_loaded(&w, BATON_HOSTILE_PLUGIN, &l);
    snprintf(body, sizeof body, "{\"probe_action\":\"%s\"}", action);
    baton_result *r = bh_result_new();
    send_call(&w, 1, BH_CAP_FILING_RULES, "", AS_OF, body, "");
    expect_reply(&w, rp, r, NULL);
    assert_exit(finish(&w), 0);
    return r;
}

static void opening_for_writing_faults_and_reading_is_confined(void **state)
{
    (void)state;
    reply rp;
    expect_fault("open_write", "openat");
    /* Reading is the dynamic loader's right; Landlock confines it to the
     * library folders and the plugin file. */
    baton_result *r = probe("open", &rp);
    int64_t e = -1;
    assert_int_equal(bh_view_int(bh_result_view(r), "facts.probe.open_errno", &e), 0);
    if (!no_landlock)
        assert_int_equal(e, EACCES);
    bh_result_free(r);
}

static void descriptors_are_capped_by_rlimit_nofile(void **state)
{
    (void)state;
    reply rp;
    baton_result *r = probe("nofile", &rp);
    int64_t n = -1;
    assert_int_equal(bh_view_int(bh_result_view(r), "facts.probe.opened", &n), 0);
    print_message("a call could open %d descriptors\n", (int)n);
    assert_true(n > 0);
    assert_true(n <= 16 - 4); /* BH_WORKER_NOFILE, 0-3 open */
    bh_result_free(r);
}

static void exec_socket_and_executable_memory_fault(void **state)
{
    (void)state;
    expect_fault("exec", "execve");
    expect_fault("socket", "socket");
    expect_fault("exec_memory", "mmap"); /* RWX anonymous */
    expect_fault("rwx_file", "mmap");    /* writable and executable */
    expect_fault("mprotect_exec", "mprotect");
}

static void a_filter_of_its_own_faults(void **state)
{
    (void)state;
    expect_fault("seccomp", "seccomp");
    expect_fault("prctl_seccomp", "prctl");
}

/*
 * tests/attacks/attack_ctor_plugin.c: its ELF constructor stacks a filter
 * answering seccomp and prlimit64 with "success". The worker's filter is
 * in force before dlopen and traps seccomp: FAULT during the load, which
 * the host reports as a refusal.
 */
static void a_constructor_cannot_add_a_filter(void **state)
{
    (void)state;
    wk w;
    char path[512];
    plugin_path(path, sizeof path, "attack-ctor");
    if (access(path, R_OK) != 0) {
        print_message("skipped: %s not built\n", path);
        skip();
    }
    spawn(&w);
    send_load(&w, path, "", 0);
    expect_fault_exit(&w, "forbidden system call seccomp");
}

/* Without Landlock the worker refuses unless allowed; with it, the
 * allowance changes nothing. */
static void landlock_is_required_unless_allowed(void **state)
{
    (void)state;
    wk w;
    loaded l;
    char path[512], want[768];
    plugin_path(path, sizeof path, "gb-ew");
    spawn_opts(&w, 30, NULL, 1);
    send_load(&w, path, "", 0);
    if (no_landlock) {
        char *msg = expect_message(&w, BH_FRAME_REFUSED);
        snprintf(want, sizeof want,
                 "plugin %s refused: the worker cannot lock itself down: Landlock (Linux 5.13+) "
                 "is not available",
                 path);
        assert_string_equal(msg, want);
        free(msg);
        assert_exit(finish(&w), 1);
    } else {
        expect_loaded(&w, &l);
        assert_true(l.sandbox & BH_SANDBOX_LANDLOCK);
        assert_exit(finish(&w), 0);
    }
    spawn_opts(&w, 30, "--allow-no-landlock", 1);
    send_load(&w, path, "", 0);
    expect_loaded(&w, &l);
    assert_int_equal(!(l.sandbox & BH_SANDBOX_LANDLOCK), no_landlock);
    assert_true(l.sandbox & BH_SANDBOX_SECCOMP);
    assert_exit(finish(&w), 0);
}

/* The shipped plugins load and answer under the filter. */
static void the_shipped_plugins_load_and_answer(void **state)
{
    (void)state;
    static const struct {
        const char *plugin, *case_file, *config; /* config: beneath the source tree */
        unsigned caps;
    } runs[] = {
        {"gb-ew", "gb-ew-b2b-ready.json", NULL, BH_CAP_FILING_RULES | BH_CAP_FEE_SCHEDULE},
        {"de", "de-b2b-dispute-landgericht.json", "plugins/de/config.default.json",
         BH_CAP_FILING_RULES | BH_CAP_FEE_SCHEDULE},
        {"us-ca", "us-ca-small-claims-invoice.json", NULL,
         BH_CAP_FILING_RULES | BH_CAP_FEE_SCHEDULE},
        {"northwind", "gb-ew-b2b-ready.json", NULL, BH_CAP_FEE_SCHEDULE},
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        wk w;
        loaded l;
        reply rp;
        char path[512];
        char *text = case_text(runs[i].case_file), *config = NULL;
        if (runs[i].config != NULL) {
            snprintf(path, sizeof path, "%s/../../%s", BATON_CASES_DIR, runs[i].config);
            config = read_text(path);
        }
        plugin_path(path, sizeof path, runs[i].plugin);
        spawn(&w);
        send_load(&w, path, config != NULL ? config : "", 0);
        expect_loaded(&w, &l);
        assert_string_equal(l.name, runs[i].plugin);
        assert_true(l.caps & runs[i].caps);
        send_call(&w, 1, runs[i].caps & l.caps, "", AS_OF, text, "");
        expect_reply(&w, &rp, NULL, NULL);
        assert_int_equal(rp.rc, 0);
        assert_true(rp.findings + rp.line_items + rp.facts > 0);
        assert_exit(finish(&w), 0);
        free(text);
        free(config);
    }
}

static void writing_into_the_case_view_crashes_the_worker(void **state)
{
    (void)state;
    wk w;
    loaded l;
    start_loaded(&w, BATON_HOSTILE_PLUGIN, &l);
    send_call(&w, 1, BH_CAP_FILING_RULES, "", AS_OF,
              "{\"case_id\":\"C-1\",\"probe_action\":\"write_view\"}", "");
    /* No REPLY: the write hit read-only memory. */
    if (next_frame(&w) == 0) {
        bh_rbuf r = bh_rbuf_of(w.frame, w.len);
        uint8_t type = bh_rbuf_u8(&r);
#ifdef TEST_ASAN
        /* AddressSanitizer's SIGSEGV report opens /proc/self/maps, which the
         * filter traps: a FAULT rather than death by SIGSEGV. */
        if (type == BH_FRAME_FAULT) {
            print_message("under AddressSanitizer: %s\n", bh_rbuf_str(&r, NULL));
            assert_int_equal(next_frame(&w), 1);
        } else
#endif
        {
            finish(&w);
            fail_msg("expected the worker to die, got frame type %u", type);
        }
    }
    int status = finish(&w);
    assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* A case whose tree outgrows the arena's main region (16 MiB at 256 MiB):
 * 400,000 empty strings, with action and case_id after them. */
static char *big_case(const char *action)
{
    enum { ITEMS = 400000 };
    size_t len = (size_t)ITEMS * 3 + 128;
    char *s = malloc(len), *p = s;
    assert_non_null(s);
    p += sprintf(p, "{\"pad\":[");
    for (int i = 0; i < ITEMS; i++)
        p += sprintf(p, i ? ",\"\"" : "\"\"");
    sprintf(p, "],\"case_id\":\"C-1\",\"probe_action\":\"%s\"}", action);
    return s;
}

static void a_case_larger_than_the_arena_is_read_only_too(void **state)
{
    (void)state;
    wk w;
    loaded l;
    reply rp;
    char *ok = big_case("ok"), *write = big_case("write_view");
    start_loaded(&w, BATON_HOSTILE_PLUGIN, &l);
    send_call(&w, 1, BH_CAP_FILING_RULES, "", AS_OF, ok, "");
    expect_reply(&w, &rp, NULL, NULL);
    assert_int_equal(rp.rc, 0);
    assert_int_equal(rp.findings, 1);
    send_call(&w, 2, BH_CAP_FILING_RULES, "", AS_OF, write, "");
    if (next_frame(&w) == 0) {
        bh_rbuf r = bh_rbuf_of(w.frame, w.len);
        uint8_t type = bh_rbuf_u8(&r);
#ifdef TEST_ASAN
        if (type == BH_FRAME_FAULT)
            assert_int_equal(next_frame(&w), 1);
        else
#endif
        {
            finish(&w);
            fail_msg("expected the worker to die, got frame type %u", type);
        }
    }
    int status = finish(&w);
    assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    free(ok);
    free(write);
}

static void landlock_hides_files_from_plugin_constructors(void **state)
{
    (void)state;
    wk w;
    loaded l;
    reply rp;
    start_loaded(&w, BATON_HOSTILE_PLUGIN, &l);
    baton_result *r = bh_result_new();
    send_call(&w, 1, BH_CAP_FILING_RULES, "", AS_OF, "{\"probe_action\":\"ctor\"}", "");
    expect_reply(&w, &rp, r, NULL);
    int64_t e = -1;
    assert_int_equal(bh_view_int(bh_result_view(r), "facts.probe.ctor_errno", &e), 0);
    if (l.sandbox & BH_SANDBOX_LANDLOCK)
        assert_int_equal(e, EACCES);
    else
        print_message("no Landlock on this kernel: the constructor's open gave errno %d\n", (int)e);
    bh_result_free(r);
    assert_exit(finish(&w), 0);
}

static void the_worker_retires_after_half_its_cpu_time(void **state)
{
    (void)state;
    wk w;
    loaded l;
    reply rp;
    spawn_args(&w, 1, NULL);
    send_load(&w, BATON_HOSTILE_PLUGIN, "", 0);
    expect_loaded(&w, &l);
    send_call(&w, 1, BH_CAP_FILING_RULES, "", AS_OF, "{\"probe_action\":\"spin\",\"spin_ms\":600}",
              "");
    expect_reply(&w, &rp, NULL, NULL);
    assert_int_equal(rp.rc, 0);
    assert_int_equal(next_frame(&w), 1); /* it left after answering */
    assert_exit(finish(&w), 0);
}

/* ---- timing ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void prints_start_and_round_trip_times(void **state)
{
    (void)state;
    enum { STARTS = 30, CALLS = 2000 };
    static double t[CALLS];
    const char *modes[] = {NULL, "--no-netns"};
    char path[512];
    plugin_path(path, sizeof path, "gb-ew");
    for (int m = 0; m < 2; m++) {
        for (int i = 0; i < STARTS; i++) {
            wk w;
            loaded l;
            double t0 = now_ms();
            spawn_args(&w, 30, modes[m]);
            send_load(&w, path, "", 0);
            expect_loaded(&w, &l);
            t[i] = now_ms() - t0;
            assert_exit(finish(&w), 0);
        }
        qsort(t, STARTS, sizeof t[0], cmp_double);
        print_message("start to LOADED (gb-ew%s): p50 %.2f ms, min %.2f, max %.2f\n",
                      modes[m] ? ", --no-netns" : "", t[STARTS / 2], t[0], t[STARTS - 1]);
    }

    wk w;
    loaded l;
    reply rp;
    start_loaded(&w, BATON_HOSTILE_PLUGIN, &l);
    for (int i = 0; i < CALLS; i++) {
        double t0 = now_ms();
        send_call(&w, (uint32_t)i, BH_CAP_FILING_RULES, "", AS_OF, "{\"probe_action\":\"ok\"}", "");
        expect_reply(&w, &rp, NULL, NULL);
        t[i] = now_ms() - t0;
        assert_int_equal(rp.rc, 0);
    }
    qsort(t, CALLS, sizeof t[0], cmp_double);
    print_message("trivial CALL round trip: p50 %.1f us, p99 %.1f us\n", t[CALLS / 2] * 1e3,
                  t[CALLS * 99 / 100] * 1e3);

    assert_exit(finish(&w), 0);

    char *text = case_text("gb-ew-b2b-ready.json");
    start_loaded(&w, path, &l);
    for (int i = 0; i < 200; i++) {
        double t0 = now_ms();
        send_call(&w, (uint32_t)i, BH_CAP_FILING_RULES | BH_CAP_FEE_SCHEDULE, "", AS_OF, text, "");
        expect_reply(&w, &rp, NULL, NULL);
        t[i] = now_ms() - t0;
        assert_int_equal(rp.rc, 0);
    }
    qsort(t, 200, sizeof t[0], cmp_double);
    print_message("gb-ew evaluation of gb-ew-b2b-ready.json in a worker: p50 %.1f us\n",
                  t[100] * 1e3);
    assert_exit(finish(&w), 0);
    free(text);
}

int main(void)
{
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1u /* VERSION */);
    no_landlock = abi < 1;
    if (no_landlock)
        print_message("no Landlock on this kernel: workers run with --allow-no-landlock\n");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_gb_ew_and_reports_descriptor_and_sandbox),
        cmocka_unit_test(no_netns_leaves_the_network_namespace_alone),
        cmocka_unit_test(a_probe_load_answers_loaded_and_exits_at_eof),
        cmocka_unit_test(refuses_an_abi_mismatch_naming_the_file),
        cmocka_unit_test(refuses_a_missing_file_naming_it),
        cmocka_unit_test(refuses_a_failed_init_in_the_in_process_words),
        cmocka_unit_test(init_reads_its_config_and_refuses_one_that_is_not_an_object),
        cmocka_unit_test(a_call_gives_exactly_what_the_plugin_gives_in_process),
        cmocka_unit_test(renders_a_letter_into_blocks),
        cmocka_unit_test(result_view_shows_the_answer_so_far),
        cmocka_unit_test(logs_are_capped_per_call_and_init_logs_dropped),
        cmocka_unit_test(a_positive_return_code_is_reported_as_a_plugin_failure),
        cmocka_unit_test(malformed_frames_make_the_worker_exit),
        cmocka_unit_test(opening_for_writing_faults_and_reading_is_confined),
        cmocka_unit_test(descriptors_are_capped_by_rlimit_nofile),
        cmocka_unit_test(exec_socket_and_executable_memory_fault),
        cmocka_unit_test(a_filter_of_its_own_faults),
        cmocka_unit_test(a_constructor_cannot_add_a_filter),
        cmocka_unit_test(landlock_is_required_unless_allowed),
        cmocka_unit_test(the_shipped_plugins_load_and_answer),
        cmocka_unit_test(writing_into_the_case_view_crashes_the_worker),
        cmocka_unit_test(a_case_larger_than_the_arena_is_read_only_too),
        cmocka_unit_test(landlock_hides_files_from_plugin_constructors),
        cmocka_unit_test(the_worker_retires_after_half_its_cpu_time),
        cmocka_unit_test(prints_start_and_round_trip_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
