/*
 * worker_main.c - baton-worker, the isolated plugin worker.
 *
 *   baton-worker --memory-mb N --cpu-seconds N [--no-netns] [--allow-no-landlock]
 *
 * batond (or the baton CLI) fork+execs it with its end of a socketpair on
 * fd 3 (BH_WORKER_FD), /dev/null on 0-2 and an empty environment, and
 * speaks worker_proto.h with it. The worker locks itself down completely
 * before it loads the plugin (sandbox.h: one final seccomp filter, so
 * nothing of the plugin runs before the last layer), then answers CALLs one
 * at a time until the host closes its end.
 *
 * Where worker_proto.h leaves room, this worker decides:
 *
 *   - Strict frames. Besides an unknown type or trailing bytes, these are
 *     protocol errors (exit 2): a first frame other than LOAD, a second
 *     LOAD, any frame after LOADED in a probe (BH_LOAD_PROBE), unknown LOAD
 *     flags, a CALL with no capability bit or an unknown one, BH_CAP_LETTER
 *     combined with another bit, a letter_kind with no BH_CAP_LETTER or an
 *     empty one with it, an as_of that is not a YYYY-MM-DD date, case_json
 *     that is not JSON, and a non-empty result_json that is not an answer
 *     shaped as result.h says (JSON text must hold one value and nothing but
 *     white space after it).
 *   - CALL bits for a capability the plugin lacks: FILING_RULES and
 *     FEE_SCHEDULE are skipped, as evaluate.c skips a missing table in
 *     process; LETTER without letter_formats answers BATON_EUNSUPP with
 *     failed_capability "render". result_json is ignored for LETTER.
 *   - A capability returning a positive code is reported as BATON_EPLUGIN
 *     (REPLY carries 0 or a negative code only).
 *   - REPLY lists the operations the plugin made even when the call failed
 *     (in process they reached the result before it was thrown away, and
 *     its log lines the log); the host decides what to keep.
 *   - When the worker itself runs out of memory parsing the case or the
 *     prior result, it still answers: rc BATON_ENOMEM, failed_capability
 *     the first capability it could not run.
 *   - Log lines a plugin writes during init are dropped (LOADED has no
 *     room for them); in a call, at most BH_REPLY_MAX_LOGS are recorded.
 *   - The REFUSED line is made one line (control characters become
 *     spaces). Refusals: the plugin's own (bh_plugin_open's line), a failed
 *     init (in plugin_set.c's words), a config that is not a JSON object
 *     ("plugin PATH refused: config: expected a JSON object"), and a
 *     sandbox that could not be set up ("plugin PATH refused: the worker
 *     cannot lock itself down: ..."), a kernel without Landlock among them
 *     ("...: Landlock (Linux 5.13+) is not available") unless the host
 *     passed --allow-no-landlock.
 *   - FAULT may arrive at any point after LOAD: a plugin's constructors run
 *     under the filter, before LOADED.
 *   - Retirement: after each REPLY, when the worker's CPU time (user +
 *     system, getrusage) is past half of --cpu-seconds, it finis the plugin
 *     and exits 0, so that RLIMIT_CPU never fires in the middle of a later
 *     call; the host sees the end of the stream after a complete REPLY and
 *     starts a fresh worker.
 *   - LOADED's sandbox bits: NO_NEW_PRIVS, SECCOMP, LANDLOCK (absent only
 *     with --allow-no-landlock), NETNS, USERNS as brought up; RLIMITS when
 *     the core, file size, CPU, descriptor and (outside AddressSanitizer
 *     builds) address space limits are set.
 *
 * Exit status: 0 at the end of the conversation (EOF, refusal, probe,
 * retirement), 1 when the worker itself fails (memory, socket, a sandbox
 * layer it requires), 2 on a usage or protocol error, 70 after FAULT.
 * Once locked down the worker leaves with _exit: nothing registered with
 * atexit may run under the filters (LeakSanitizer's exit check would need
 * to clone and ptrace).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "case_view.h"
#include "frame_io.h"
#include "host_api.h"
#include "json_arena.h"
#include "letter.h"
#include "plugin_loader.h"
#include "recorder.h"
#include "call_reason.h"
#include "result.h"
#include "sandbox.h"
#include "wire.h"
#include "worker_proto.h"

#define EXIT_PROTOCOL 2

typedef struct worker {
    unsigned memory_mb, cpu_seconds;
    int netns, allow_no_landlock;
    unsigned sandbox; /* BH_SANDBOX_* in force */
    bh_frame_in in;
    bh_json_arena arena;
    bh_plugin *plugin;
    const baton_plugin *desc; /* borrowed from plugin */
    void *state;
    unsigned caps; /* BH_CAP_* the plugin provides */
    char *tenant, *path;
    struct baton_host host;
    bh_wbuf out; /* frames to send */
} worker;

static void usage(FILE *to)
{
    fprintf(to, "usage: baton-worker --memory-mb N --cpu-seconds N [--no-netns]\n"
                "                    [--allow-no-landlock]\n"
                "\n"
                "The isolated plugin worker of batond. It is started by batond (or the baton\n"
                "CLI) with a socketpair on fd 3 and speaks the worker protocol there; it is\n"
                "not meant to be run by hand.\n"
                "\n"
                "  --memory-mb N     address space limit in MiB (16-1048576)\n"
                "  --cpu-seconds N   CPU time limit (1-86400); the worker retires after\n"
                "                    a call once half of it is used\n"
                "  --no-netns        do not create a network namespace\n"
                "  --allow-no-landlock\n"
                "                    load the plugin even where the kernel has no Landlock\n"
                "                    (Linux 5.13+) or has it disabled: the plugin can then\n"
                "                    read every file the worker's user can (refused otherwise)\n"
                "  --help            this text\n");
}

static int parse_number(const char *s, unsigned min, unsigned max, unsigned *out)
{
    char *end;
    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int bad_number(const char *option)
{
    fprintf(stderr, "baton-worker: %s needs a number in range\n", option);
    usage(stderr);
    return -1;
}

/* 0, or 1 after --help, or -1 on a usage error (reported on stderr). */
static int parse_args(int argc, char **argv, worker *w)
{
    int have_mem = 0, have_cpu = 0;
    w->netns = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return 1;
        } else if (strcmp(a, "--no-netns") == 0) {
            w->netns = 0;
        } else if (strcmp(a, "--allow-no-landlock") == 0) {
            w->allow_no_landlock = 1;
        } else if (strcmp(a, "--memory-mb") == 0) {
            const char *v = i + 1 < argc ? argv[++i] : NULL;
            if (parse_number(v, 16, 1048576, &w->memory_mb) != 0)
                return bad_number(a);
            have_mem = 1;
        } else if (strcmp(a, "--cpu-seconds") == 0) {
            const char *v = i + 1 < argc ? argv[++i] : NULL;
            if (parse_number(v, 1, 86400, &w->cpu_seconds) != 0)
                return bad_number(a);
            have_cpu = 1;
        } else {
            fprintf(stderr, "baton-worker: unknown argument %s\n", a);
            usage(stderr);
            return -1;
        }
    }
    if (have_mem && have_cpu)
        return 0;
    fprintf(stderr, "baton-worker: --memory-mb and --cpu-seconds are required\n");
    usage(stderr);
    return -1;
}

/* ---- leaving ---- */

static _Noreturn void finish(worker *w, int status)
{
    if (w->desc != NULL && w->desc->fini != NULL && w->state != NULL)
        w->desc->fini(w->state);
    _exit(status);
}

static int send_out(worker *w)
{
    if (w->out.failed)
        return -ENOMEM;
    int rc = bh_frame_write(BH_WORKER_FD, w->out.data, w->out.len);
    bh_wbuf_reset(&w->out);
    return rc;
}

/* Sends REFUSED (message made one line) and exits with status. */
static _Noreturn void refuse(worker *w, char *message, int status)
{
    for (char *c = message; *c != '\0'; c++) {
        if ((unsigned char)*c < ' ' || *c == 0x7f)
            *c = ' ';
    }
    size_t at = bh_wbuf_frame_begin(&w->out);
    bh_wbuf_u8(&w->out, BH_FRAME_REFUSED);
    bh_wbuf_str(&w->out, message);
    bh_wbuf_frame_end(&w->out, at);
    send_out(w);
    _exit(status);
}

/* ---- LOAD ---- */

/* Refuses the load: the sandbox cannot be brought up. */
static _Noreturn void cannot_lock_down(worker *w, const char *layer, const char *why)
{
    char line[512];
    snprintf(line, sizeof line, "plugin %s refused: the worker cannot lock itself down: %s%s%s",
             w->path, layer, why[0] ? ": " : "", why);
    refuse(w, line, 1);
}

/*
 * Every layer, before dlopen: nothing of the plugin runs before the seccomp
 * filter, the last one, is in force. Refuses the load when a required
 * layer fails.
 */
static void lock_down(worker *w)
{
    int rc = bh_sandbox_no_new_privs(&w->sandbox);
    if (rc != 0)
        cannot_lock_down(w, "no_new_privs", strerror(-rc));
    /* Best effort: the kernel or the host's privileges may not allow them,
     * and LOADED says what is in force. */
    if (w->netns)
        (void)bh_sandbox_namespaces(&w->sandbox);
    rc = bh_sandbox_landlock(w->path, &w->sandbox);
    if (!(w->sandbox & BH_SANDBOX_LANDLOCK) && !w->allow_no_landlock) {
        if (rc != 0)
            cannot_lock_down(w, "Landlock", strerror(-rc));
        cannot_lock_down(w, "Landlock (Linux 5.13+) is not available", "");
    }
    if ((rc = bh_sandbox_lower_nofile()) != 0)
        cannot_lock_down(w, "RLIMIT_NOFILE", strerror(-rc));
    if ((rc = bh_sandbox_seccomp(&w->sandbox)) != 0)
        cannot_lock_down(w, "seccomp", strerror(-rc));
}

static void send_loaded(worker *w)
{
    const baton_plugin *d = w->desc;
    const char *const *kinds = NULL;
    uint32_t n = 0;
    if (d->letter_formats != NULL && d->letter_formats->kinds != NULL) {
        kinds = d->letter_formats->kinds;
        while (kinds[n] != NULL)
            n++;
    }
    size_t at = bh_wbuf_frame_begin(&w->out);
    bh_wbuf_u8(&w->out, BH_FRAME_LOADED);
    bh_wbuf_str(&w->out, d->name);
    bh_wbuf_str(&w->out, d->version);
    bh_wbuf_str(&w->out, d->scope);
    bh_wbuf_u16(&w->out, d->sdk_major);
    bh_wbuf_u16(&w->out, d->sdk_minor);
    bh_wbuf_u8(&w->out, (uint8_t)w->caps);
    bh_wbuf_u32(&w->out, n);
    for (uint32_t i = 0; i < n; i++)
        bh_wbuf_str(&w->out, kinds[i]);
    bh_wbuf_u32(&w->out, w->sandbox);
    bh_wbuf_frame_end(&w->out, at);
    if (send_out(w) != 0)
        finish(w, 1);
}

/* The whole of LOAD: decode, lock down, open, init, LOADED. Returns the
 * load flags. */
static uint32_t load(worker *w)
{
    const uint8_t *p;
    size_t len;
    char err[768];
    static const cJSON empty = {.type = cJSON_Object};
    const cJSON *config = &empty;

    int rc = bh_frame_read(BH_WORKER_FD, &w->in, &p, &len);
    if (rc == 0 && len == 0)
        _exit(0); /* the host changed its mind */
    if (rc != 0)
        _exit(rc == -EPROTO ? EXIT_PROTOCOL : 1);
    bh_rbuf r = bh_rbuf_of(p, len);
    uint8_t type = bh_rbuf_u8(&r);
    const char *tenant = bh_rbuf_str(&r, NULL);
    const char *path = bh_rbuf_str(&r, NULL);
    const char *config_json = bh_rbuf_str(&r, NULL);
    uint32_t flags = bh_rbuf_u32(&r);
    if (type != BH_FRAME_LOAD || !bh_rbuf_done(&r) || (flags & ~(uint32_t)BH_LOAD_PROBE) != 0)
        _exit(EXIT_PROTOCOL);
    if ((w->tenant = strdup(tenant)) == NULL || (w->path = strdup(path)) == NULL)
        _exit(1);

    /* The config is parsed before anything of the plugin runs, into memory
     * init reads but cannot change. */
    if (config_json[0] != '\0') {
        cJSON *parsed = bh_json_arena_parse(&w->arena, config_json);
        if (parsed == NULL && w->arena.out_of_memory)
            _exit(1);
        config = bh_json_arena_seal(&w->arena, parsed);
        if (!cJSON_IsObject(config)) {
            snprintf(err, sizeof err, "plugin %s refused: config: expected a JSON object", w->path);
            refuse(w, err, 0);
        }
    }

    lock_down(w);
    rc = bh_plugin_open(w->path, &w->plugin, err, sizeof err);
    if (rc != 0)
        refuse(w, err, 0);
    w->desc = bh_plugin_desc(w->plugin);
    w->caps = (w->desc->filing_rules != NULL ? BH_CAP_FILING_RULES : 0) |
              (w->desc->fee_schedule != NULL ? BH_CAP_FEE_SCHEDULE : 0) |
              (w->desc->letter_formats != NULL ? BH_CAP_LETTER : 0);
    w->host.tenant = w->tenant;
    w->host.plugin = w->desc->name;

    if (w->desc->init != NULL) {
        char why[256] = "";
        baton_view *cfg = bh_json_arena_alloc(&w->arena, sizeof *cfg);
        if (cfg == NULL)
            _exit(1);
        *cfg = bh_view_of(config);
        if (bh_json_arena_protect(&w->arena, 1) != 0)
            _exit(1);
        rc = w->desc->init(bh_recorder_api(), &w->host, bh_json_arena_public(&w->arena, cfg),
                           &w->state, why, sizeof why);
        bh_json_arena_reset(&w->arena);
        if (rc != 0) {
            const baton_plugin *d = w->desc;
            w->state = NULL; /* nothing to fini after a failed init */
            snprintf(err, sizeof err,
                     "plugin %s refused: init of %s %s (built against SDK %u.%u) failed: %s",
                     w->path, d->name, d->version, d->sdk_major, d->sdk_minor,
                     why[0] ? why : baton_strerror(rc));
            refuse(w, err, 0);
        }
    }
    bh_json_arena_reset(&w->arena);
    send_loaded(w);
    return flags;
}

/* ---- CALL ---- */

/* An answer as result.h shapes it (what bh_result_new_from accepts). */
static int answer_shaped(const cJSON *j)
{
    return cJSON_IsObject(j) && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "findings")) &&
           cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "costs")) &&
           cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "facts"));
}

static const char *first_capability(unsigned caps)
{
    if (caps & BH_CAP_FILING_RULES)
        return "filing_rules";
    if (caps & BH_CAP_FEE_SCHEDULE)
        return "fee_schedule";
    return "render";
}

typedef struct call {
    uint32_t id;
    unsigned caps;
    int rc;
    const char *failed;
} call;

/* Runs the requested capabilities against view into r or l. */
static void run(worker *w, call *c, const char *kind, const baton_view *view, baton_result *r,
                baton_letter *l)
{
    const baton_plugin *d = w->desc;
    c->rc = 0;
    if ((c->caps & BH_CAP_FILING_RULES) && d->filing_rules != NULL) {
        c->failed = "filing_rules";
        c->rc = d->filing_rules->evaluate(w->state, view, r);
    }
    if (c->rc == 0 && (c->caps & BH_CAP_FEE_SCHEDULE) && d->fee_schedule != NULL) {
        c->failed = "fee_schedule";
        c->rc = d->fee_schedule->fees(w->state, view, r);
    }
    if (c->caps & BH_CAP_LETTER) {
        c->failed = "render";
        c->rc = d->letter_formats != NULL ? d->letter_formats->render(w->state, kind, view, l)
                                          : BATON_EUNSUPP;
    }
    if (c->rc > 0)
        c->rc = BATON_EPLUGIN;
    if (c->rc == 0)
        c->failed = "";
}

/* REPLY: the header from w->out, then the recorded operations as they lie. */
static int send_reply(worker *w, const call *c)
{
    uint32_t count = 0;
    const bh_wbuf *ops = bh_recorder_ops(&count);
    size_t at = bh_wbuf_frame_begin(&w->out);
    bh_wbuf_u8(&w->out, BH_FRAME_REPLY);
    bh_wbuf_u32(&w->out, c->id);
    bh_wbuf_u32(&w->out, (uint32_t)c->rc);
    bh_wbuf_str(&w->out, c->failed);
    bh_wbuf_str(&w->out, c->rc != 0 ? bh_reason_last() : "");
    bh_wbuf_u32(&w->out, count);
    if (w->out.failed)
        return -ENOMEM;
    bh_wire_put_u32(w->out.data + at, (uint32_t)(w->out.len - at - 4 + ops->len));
    /* One system call, so the host wakes once for the whole frame. */
    struct iovec iov[2] = {{w->out.data, w->out.len}, {ops->data, ops->len}};
    int rc = bh_frame_writev(BH_WORKER_FD, iov, 2);
    bh_wbuf_reset(&w->out);
    return rc;
}

/*
 * One CALL: 0 when answered, -EPROTO for a malformed frame, another
 * negative errno when the worker cannot go on.
 */
static int handle_call(worker *w, const uint8_t *p, size_t len)
{
    call c = {0, 0, 0, ""};
    baton_date date;
    size_t case_len, result_len;
    baton_result *r = NULL;
    baton_letter *l = NULL;
    cJSON *prior = NULL;
    int rc = -EPROTO;

    bh_recorder_begin(NULL, NULL); /* no operations until the plugin runs */
    bh_recorder_end();
    bh_rbuf in = bh_rbuf_of(p, len);
    (void)bh_rbuf_u8(&in); /* the type, already checked */
    c.id = bh_rbuf_u32(&in);
    c.caps = bh_rbuf_u8(&in);
    const char *kind = bh_rbuf_str(&in, NULL);
    const char *as_of = bh_rbuf_str(&in, NULL);
    const char *case_json = bh_rbuf_str(&in, &case_len);
    const char *result_json = bh_rbuf_str(&in, &result_len);
    int letter = (c.caps & BH_CAP_LETTER) != 0;
    if (!bh_rbuf_done(&in) || c.caps == 0 ||
        (c.caps & ~(unsigned)(BH_CAP_FILING_RULES | BH_CAP_FEE_SCHEDULE | BH_CAP_LETTER)) != 0 ||
        (letter && c.caps != BH_CAP_LETTER) || (letter != (kind[0] != '\0')) ||
        bh_date_parse(as_of, &date) != 0)
        return -EPROTO;

    /* The case, the view over it and the strings the view hands out live in
     * the arena, read-only while the plugin runs. */
    cJSON *parsed = bh_json_arena_parse(&w->arena, case_json);
    char *as_of_copy = bh_json_arena_strdup(&w->arena, as_of);
    char *kind_copy = bh_json_arena_strdup(&w->arena, kind);
    baton_view *view_rw = bh_json_arena_alloc(&w->arena, sizeof *view_rw);
    if (parsed == NULL && !w->arena.out_of_memory)
        goto out; /* not JSON */
    if (w->arena.out_of_memory) {
        c.rc = BATON_ENOMEM;
        c.failed = first_capability(c.caps);
        goto answer;
    }
    const cJSON *sealed = bh_json_arena_seal(&w->arena, parsed);
    const char *as_of_ro = bh_json_arena_public(&w->arena, as_of_copy);
    *view_rw = bh_case_view_of(sealed, as_of_ro);
    /* The same index the host's in-process views read (json_index.h), in
     * the arena too: read-only to the plugin like the tree. A case past
     * the index's limits is read through the tree. */
    size_t nodes = bh_jindex_count(sealed);
    if (nodes > 0) {
        bh_jnode *index_nodes = bh_json_arena_alloc(&w->arena, nodes * sizeof *index_nodes);
        const cJSON **scratch = bh_json_arena_alloc(&w->arena, nodes * sizeof *scratch);
        bh_jindex *index = bh_json_arena_alloc(&w->arena, sizeof *index);
        if (w->arena.out_of_memory) {
            c.rc = BATON_ENOMEM;
            c.failed = first_capability(c.caps);
            goto answer;
        }
        bh_jindex_fill(sealed, index_nodes, scratch, nodes);
        bh_jindex_finish(index, bh_json_arena_public(&w->arena, index_nodes), (uint32_t)nodes);
        *view_rw = bh_case_view_indexed(sealed, bh_json_arena_public(&w->arena, index), as_of_ro);
    }
    const baton_view *view = bh_json_arena_public(&w->arena, view_rw);
    const char *kind_ro = bh_json_arena_public(&w->arena, kind_copy);

    if (letter) {
        l = bh_letter_new();
        if (l != NULL)
            bh_letter_set_plugin(l, w->desc->name);
    } else if (result_len > 0) {
        prior = cJSON_ParseWithOpts(result_json, NULL, 1);
        if (prior != NULL && !answer_shaped(prior))
            goto out;
        if (prior == NULL)
            goto out;                  /* not JSON (or, rarely, no memory: the host restarts us) */
        r = bh_result_new_from(prior); /* borrows prior: freed after r */
    } else {
        r = bh_result_new();
    }
    if (r == NULL && l == NULL) {
        c.rc = BATON_ENOMEM;
        c.failed = first_capability(c.caps);
        goto answer;
    }
    if (r != NULL)
        bh_result_set_plugin(r, w->desc->name);

    bh_recorder_begin(r, l);
    if ((rc = bh_json_arena_protect(&w->arena, 1)) != 0)
        goto out;
    run(w, &c, kind_ro, view, r, l);
answer:
    rc = send_reply(w, &c);
out:
    bh_recorder_end();
    bh_json_arena_reset(&w->arena);
    bh_result_free(r);
    cJSON_Delete(prior);
    bh_letter_free(l);
    return rc;
}

/* True once the worker has used half of its CPU time limit. */
static int cpu_spent(const worker *w)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    uint64_t us = (uint64_t)ru.ru_utime.tv_sec * 1000000 + (uint64_t)ru.ru_utime.tv_usec +
                  (uint64_t)ru.ru_stime.tv_sec * 1000000 + (uint64_t)ru.ru_stime.tv_usec;
    return us * 2 > (uint64_t)w->cpu_seconds * 1000000;
}

static _Noreturn void serve(worker *w, uint32_t flags)
{
    for (;;) {
        const uint8_t *p;
        size_t len;
        int rc = bh_frame_read(BH_WORKER_FD, &w->in, &p, &len);
        if (rc == 0 && len == 0)
            finish(w, 0);
        if (rc != 0)
            finish(w, rc == -EPROTO ? EXIT_PROTOCOL : 1);
        if (p[0] != BH_FRAME_CALL || (flags & BH_LOAD_PROBE))
            finish(w, EXIT_PROTOCOL);
        rc = handle_call(w, p, len);
        if (rc != 0)
            finish(w, rc == -EPROTO ? EXIT_PROTOCOL : 1);
        if (cpu_spent(w))
            finish(w, 0);
    }
}

int main(int argc, char **argv)
{
    static worker w;
    int rc = parse_args(argc, argv, &w);
    if (rc != 0)
        return rc > 0 ? 0 : EXIT_PROTOCOL;
    bh_sandbox_close_fds();
    if (fcntl(BH_WORKER_FD, F_GETFD) < 0) {
        fprintf(stderr, "baton-worker: fd %d is not open: it is started by batond\n", BH_WORKER_FD);
        return EXIT_PROTOCOL;
    }
    /* The case arena's main region, a sixteenth of the memory limit
     * between 1 and 16 MiB (its two views count against RLIMIT_AS), is
     * made before RLIMIT_FSIZE forbids sizing its memfd. */
    size_t arena = ((size_t)w.memory_mb << 20) / 16;
    arena = arena < (1u << 20) ? (1u << 20) : arena > (16u << 20) ? (16u << 20) : arena;
    unsigned limits = 0;
    signal(SIGPIPE, SIG_IGN); /* a vanished host shows as EPIPE */
    if (bh_sandbox_process() != 0 || bh_json_arena_init(&w.arena, arena) != 0 ||
        bh_sandbox_rlimits(w.memory_mb, w.cpu_seconds, &limits) != 0 ||
        bh_sandbox_fault_handler() != 0)
        return 1;
    w.sandbox = limits;
    bh_wbuf_init(&w.out, BH_FRAME_MAX + 4);
    serve(&w, load(&w));
}
