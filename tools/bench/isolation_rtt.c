/*
 * isolation_rtt.c - what an isolated plugin call costs, next to the same
 * call in process (tools/bench/isolation runs it; docs/performance.md,
 * "Isolated plugins", has the method and figures).
 *
 *   isolation_rtt [-n CALLS] [-w WARMUP] [-E] PLUGIN_DIR [TENANT_JSON CASE_JSON]
 *
 * Part 1, the round trip of a no-op call: fault.so's filing_rules on the
 * case {"fault":"none"} (it adds one finding and one fact, so the reply
 * carries two operations and the host replays them into a real result).
 * Measured three ways, after a floor, CALLS calls each after WARMUP
 * unrecorded ones:
 *
 *   floor   not a plugin call: a forked child echoing 160 bytes over a
 *           socketpair, the least any socket-based round trip costs here
 *   sync    bh_worker_sync_call on one worker (the blocking client)
 *   async   bh_plugin_call through a bh_isolation on a private libuv loop,
 *           each call issued from the previous call's completion callback,
 *           as evaluate.c chains its steps
 *   inproc  bh_plugin_call on an in-process instance of the same .so
 *
 * Part 2 (with TENANT_JSON and CASE_JSON): a whole evaluation
 * (bh_evaluate_start) of the case with the tenant's plugins, all in process
 * and then all isolated, CALLS / 10 evaluations each, chained the same way.
 *
 * Each row gives the latency percentiles of one call, and what the call
 * cost the machine: CPU time of this process (CLOCK_PROCESS_CPUTIME_ID)
 * and of its worker processes (/proc/PID/schedstat), and their context
 * switches (getrusage, /proc/PID/status), divided by the number of calls.
 * Results go to stdout, one line per row; the exit status is 0 unless
 * something could not be set up.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "evaluate.h"
#include "isolation.h"
#include "isolation_pool.h"
#include "plugin_call.h"
#include "plugin_set.h"
#include "result.h"
#include "worker_proto.h"

#define TENANT       "bench"
#define AS_OF        "2026-03-02"
#define MAX_CHILDREN 64

static const char noop_case[] =
    "{\"jurisdiction\":\"fault\",\"fault\":\"none\","
    "\"claim\":{\"principal\":{\"amount\":\"1.00\",\"currency\":\"GBP\"}}}";

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- what the calls cost: CPU time and context switches ---- */

typedef struct cost {
    uint64_t self_ns, child_ns;   /* on-CPU time */
    uint64_t self_csw, child_csw; /* voluntary + involuntary */
} cost;

static uint64_t read_schedstat(pid_t pid)
{
    char path[64];
    unsigned long long ns = 0;
    snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    if (fscanf(f, "%llu", &ns) != 1)
        ns = 0;
    fclose(f);
    return ns;
}

static uint64_t read_ctx_switches(pid_t pid)
{
    char path[64], line[256];
    uint64_t sum = 0;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long long v;
        if (sscanf(line, "voluntary_ctxt_switches: %llu", &v) == 1 ||
            sscanf(line, "nonvoluntary_ctxt_switches: %llu", &v) == 1)
            sum += v;
    }
    fclose(f);
    return sum;
}

/* This process's live children (its workers); the count. */
static size_t children(pid_t *out, size_t max)
{
    char path[64];
    size_t n = 0;
    int pid;
    snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return 0;
    while (n < max && fscanf(f, "%d", &pid) == 1)
        out[n++] = pid;
    fclose(f);
    return n;
}

/*
 * The workers are the same processes at both ends of a measurement (they
 * are started during the warm-up), so their counters are read by pid.
 */
typedef struct meter {
    pid_t kids[MAX_CHILDREN];
    size_t nkids;
    cost start;
} meter;

static void sample(const meter *m, cost *u)
{
    memset(u, 0, sizeof *u);
    struct timespec ts;
    struct rusage ru;
    /* This process exactly (schedstat moves at scheduler events only); its
     * workers from /proc. */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    u->self_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    getrusage(RUSAGE_SELF, &ru);
    u->self_csw = (uint64_t)ru.ru_nvcsw + (uint64_t)ru.ru_nivcsw;
    for (size_t i = 0; i < m->nkids; i++) {
        u->child_ns += read_schedstat(m->kids[i]);
        u->child_csw += read_ctx_switches(m->kids[i]);
    }
}

static void meter_start(meter *m)
{
    m->nkids = children(m->kids, MAX_CHILDREN);
    sample(m, &m->start);
}

static void meter_stop(const meter *m, cost *spent)
{
    cost end;
    sample(m, &end);
    spent->self_ns = end.self_ns - m->start.self_ns;
    spent->child_ns = end.child_ns - m->start.child_ns;
    spent->self_csw = end.self_csw - m->start.self_csw;
    spent->child_csw = end.child_csw - m->start.child_csw;
}

/* ---- percentiles ---- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static double pct_us(const uint64_t *sorted, size_t n, unsigned pct)
{
    size_t i = (n * pct) / 100;
    if (i >= n)
        i = n - 1;
    return (double)sorted[i] / 1000.0;
}

static void header(void)
{
    printf("%-30s %9s %9s %9s %9s %12s %13s %9s\n", "row", "p50_us", "p90_us", "p99_us", "max_us",
           "host_cpu_us", "worker_cpu_us", "csw");
}

/* One row: latency percentiles, then CPU and context switches per call. */
static void report(const char *name, uint64_t *lat, size_t n, const cost *u)
{
    qsort(lat, n, sizeof *lat, cmp_u64);
    printf("%-30s %9.1f %9.1f %9.1f %9.1f %12.2f %13.2f %9.2f\n", name, pct_us(lat, n, 50),
           pct_us(lat, n, 90), pct_us(lat, n, 99), (double)lat[n - 1] / 1000.0,
           (double)u->self_ns / 1000.0 / (double)n, (double)u->child_ns / 1000.0 / (double)n,
           (double)(u->self_csw + u->child_csw) / (double)n);
    fflush(stdout);
}

/* ---- loading ---- */

static void on_refusal(void *ctx, const char *tenant, const char *path, const char *message)
{
    (void)ctx;
    fprintf(stderr, "isolation_rtt: %s: %s refused: %s\n", tenant, path, message);
}

/* A set of plugins (a tenant's "plugins" array), every one isolated or
 * every one in process. */
static int load_set(const char *plugin_dir, const cJSON *plugins, int isolated,
                    const bh_isolation_limits *lim, bh_plugin_set **out)
{
    char err[512];
    int rc = BATON_ENOMEM;
    cJSON *copy = cJSON_Duplicate(plugins, 1);
    cJSON *e;
    if (copy == NULL)
        goto out;
    cJSON_ArrayForEach(e, copy)
    {
        cJSON_DeleteItemFromObjectCaseSensitive(e, "isolated");
        if (cJSON_AddBoolToObject(e, "isolated", isolated) == NULL)
            goto out;
    }
    bh_plugin_load_opts o = {
        .plugin_dir = plugin_dir,
        .limits = lim,
        .on_refusal = on_refusal,
    };
    rc = bh_plugin_set_load(TENANT, copy, &o, out, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "isolation_rtt: %s\n", err);
    else if ((*out)->count != (size_t)cJSON_GetArraySize(plugins)) {
        bh_plugin_set_unref(*out);
        *out = NULL;
        rc = BATON_EPLUGIN;
    }
out:
    cJSON_Delete(copy);
    return rc;
}

/* ---- the driver: each call issued when the last one ended ---- */

typedef struct chain chain;
typedef void (*issue_fn)(chain *c);

struct chain {
    issue_fn issue;
    int chained; /* issue the next call from the completion callback */
    size_t warmup, calls, done_calls;
    uint64_t *lat;
    uint64_t t0;
    int finished, failed;
    meter m;
    cost spent;
    /* a single call */
    bh_call_env *env;
    bh_plugin_instance *in;
    bh_case_input cs;
    baton_result *result;
    /* an evaluation */
    bh_plugin_set *set;
    const cJSON *case_json;
};

/* Records the call that just ended and, when chained, starts the next. */
static void chain_next(chain *c, uint64_t t1)
{
    if (c->done_calls >= c->warmup)
        c->lat[c->done_calls - c->warmup] = t1 - c->t0;
    c->done_calls++;
    if (c->done_calls == c->warmup)
        meter_start(&c->m);
    if (c->done_calls == c->warmup + c->calls) {
        meter_stop(&c->m, &c->spent);
        c->finished = 1;
        return;
    }
    if (c->chained) {
        c->t0 = now_ns();
        c->issue(c);
    }
}

static void on_call_done(void *ctx, int rc, const bh_eval_error *e)
{
    chain *c = ctx;
    uint64_t t1 = now_ns();
    bh_result_free(c->result);
    c->result = NULL;
    if (rc != 0) {
        fprintf(stderr, "isolation_rtt: call failed: %s: %s\n", e->code, e->message);
        c->failed = c->finished = 1;
        return;
    }
    chain_next(c, t1);
}

static void issue_call(chain *c)
{
    /* The builder is made before the clock starts (and freed after it
     * stopped), in both modes. */
    uint64_t pause = now_ns();
    c->result = bh_result_new();
    if (c->result == NULL) {
        c->failed = c->finished = 1;
        return;
    }
    c->t0 += now_ns() - pause;
    bh_plugin_call(c->env, c->in, BH_CAP_FILING_RULES, NULL, &c->cs, c->result, NULL, on_call_done,
                   c);
}

static void on_eval_done(void *ctx, cJSON *answer, const bh_eval_error *e)
{
    chain *c = ctx;
    uint64_t t1 = now_ns();
    if (answer == NULL) {
        fprintf(stderr, "isolation_rtt: evaluation failed: %s: %s\n", e->code, e->message);
        c->failed = c->finished = 1;
        return;
    }
    cJSON_Delete(answer);
    chain_next(c, t1);
}

static void issue_eval(chain *c)
{
    bh_evaluate_start(c->env, c->set, c->case_json, c->cs.text, c->cs.len, AS_OF, on_eval_done, c);
}

/*
 * Runs the chain. With a loop (isolated), every call after the first is
 * issued from the previous one's completion callback on the loop. Without
 * (in process: done runs before the call returns), a plain loop issues
 * them, since 20,000 nested callbacks would only measure the stack.
 */
static int chain_run(chain *c, uv_loop_t *loop)
{
    c->lat = calloc(c->calls, sizeof *c->lat);
    if (c->lat == NULL)
        return BATON_ENOMEM;
    if (c->warmup == 0)
        meter_start(&c->m);
    c->chained = loop != NULL;
    if (loop != NULL) {
        c->t0 = now_ns();
        c->issue(c);
        while (!c->finished && uv_run(loop, UV_RUN_ONCE) != 0)
            ;
    } else {
        while (!c->finished) {
            c->t0 = now_ns();
            c->issue(c);
        }
    }
    return c->failed || !c->finished ? BATON_EPLUGIN : 0;
}

static void chain_free(chain *c)
{
    free(c->lat);
    c->lat = NULL;
}

/* ---- part 1: the no-op call ---- */

/*
 * The floor under any socket-based design on this machine: a forked child
 * echoing a message the size of a no-op CALL over a socketpair, with
 * blocking reads and writes (two wake-ups per round trip, no sandbox, no
 * frames, no JSON).
 */
static int bench_floor(size_t warmup, size_t calls)
{
    char buf[160];
    int sv[2], rc = BATON_ENOMEM;
    pid_t pid;
    meter m;
    cost spent;
    uint64_t *lat = calloc(calls, sizeof *lat);
    if (lat == NULL)
        return rc;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 || (pid = fork()) < 0) {
        free(lat);
        return BATON_EIO;
    }
    if (pid == 0) {
        close(sv[0]);
        for (;;) {
            ssize_t n = read(sv[1], buf, sizeof buf);
            if (n <= 0 || write(sv[1], buf, (size_t)n) != n)
                _exit(0);
        }
    }
    close(sv[1]);
    memset(buf, 'x', sizeof buf);
    rc = 0;
    for (size_t i = 0; i < warmup + calls && rc == 0; i++) {
        if (i == warmup)
            meter_start(&m);
        uint64_t t0 = now_ns();
        size_t got = 0;
        if (write(sv[0], buf, sizeof buf) != (ssize_t)sizeof buf)
            rc = BATON_EIO;
        while (rc == 0 && got < sizeof buf) {
            ssize_t n = read(sv[0], buf + got, sizeof buf - got);
            if (n <= 0)
                rc = BATON_EIO;
            else
                got += (size_t)n;
        }
        if (i >= warmup)
            lat[i - warmup] = now_ns() - t0;
    }
    if (rc == 0) {
        meter_stop(&m, &spent);
        report("socketpair echo (the floor)", lat, calls, &spent);
    }
    close(sv[0]);
    waitpid(pid, NULL, 0);
    free(lat);
    return rc;
}

static int bench_sync(const char *plugin_path, const bh_isolation_limits *lim, size_t warmup,
                      size_t calls)
{
    char err[512];
    bh_worker_sync *w = NULL;
    bh_plugin_info info;
    meter m;
    cost spent;
    int rc = BATON_ENOMEM, plugin_rc = 0;
    uint64_t *lat = calloc(calls, sizeof *lat);
    if (lat == NULL)
        goto out;
    rc = bh_worker_sync_start(lim, TENANT, plugin_path, "", 0, &w, &info, err, sizeof err);
    bh_plugin_info_clear(&info);
    if (rc != 0) {
        fprintf(stderr, "isolation_rtt: %s\n", err);
        goto out;
    }
    for (size_t i = 0; i < warmup + calls; i++) {
        if (i == warmup)
            meter_start(&m);
        baton_result *r = bh_result_new();
        if (r == NULL) {
            rc = BATON_ENOMEM;
            goto out;
        }
        uint64_t t0 = now_ns();
        rc = bh_worker_sync_call(w, BH_CAP_FILING_RULES, NULL, AS_OF, noop_case,
                                 sizeof noop_case - 1, NULL, r, NULL, &plugin_rc, err, sizeof err);
        uint64_t t1 = now_ns();
        bh_result_free(r);
        if (rc != 0 || plugin_rc != 0) {
            fprintf(stderr, "isolation_rtt: sync call: %s\n",
                    rc != 0 ? err : baton_strerror(plugin_rc));
            rc = rc != 0 ? rc : plugin_rc;
            goto out;
        }
        if (i >= warmup)
            lat[i - warmup] = t1 - t0;
    }
    meter_stop(&m, &spent);
    report("noop isolated sync client", lat, calls, &spent);
out:
    bh_worker_sync_stop(w);
    free(lat);
    return rc;
}

static int bench_call(const char *name, bh_plugin_instance *in, bh_sync_env *loop, size_t warmup,
                      size_t calls)
{
    cJSON *json = cJSON_Parse(noop_case);
    chain c;
    int rc;
    if (json == NULL)
        return BATON_ENOMEM;
    memset(&c, 0, sizeof c);
    c.issue = issue_call;
    c.warmup = warmup;
    c.calls = calls;
    c.env = loop != NULL ? &loop->env : NULL;
    c.in = in;
    c.cs.json = json;
    c.cs.as_of = AS_OF;
    c.cs.text = noop_case;
    c.cs.len = sizeof noop_case - 1;
    rc = chain_run(&c, loop != NULL ? &loop->loop : NULL);
    if (rc == 0)
        report(name, c.lat, calls, &c.spent);
    chain_free(&c);
    cJSON_Delete(json);
    return rc;
}

static int part_noop(const char *plugin_dir, const bh_isolation_limits *lim, size_t warmup,
                     size_t calls)
{
    char path[4096];
    bh_plugin_set *inproc = NULL, *isolated = NULL;
    bh_sync_env env;
    int env_open = 0, rc = BATON_ENOMEM;
    cJSON *plugins = cJSON_Parse("[{\"path\":\"fault.so\"}]");
    if (plugins == NULL)
        goto out;

    printf("no-op call: fault.so filing_rules on {\"fault\":\"none\"} (one finding and one fact "
           "replayed), %zu calls after %zu warm-up\n",
           calls, warmup);
    header();
    if ((rc = bench_floor(warmup, calls)) != 0)
        goto out;
    snprintf(path, sizeof path, "%s/fault.so", plugin_dir);
    if ((rc = bench_sync(path, lim, warmup, calls)) != 0)
        goto out;

    if ((rc = load_set(plugin_dir, plugins, 1, lim, &isolated)) != 0)
        goto out;
    if ((rc = bh_sync_env_begin(&env)) != 0)
        goto out;
    env_open = 1;
    if ((rc = bench_call("noop isolated async (uv loop)", isolated->items[0], &env, warmup,
                         calls)) != 0)
        goto out;

    /* "none" is harmless in process; the other faults are not. */
    if ((rc = load_set(plugin_dir, plugins, 0, lim, &inproc)) != 0)
        goto out;
    rc = bench_call("noop in process (reference)", inproc->items[0], NULL, warmup, calls);
out:
    if (env_open)
        bh_sync_env_end(&env);
    bh_plugin_set_unref(isolated);
    bh_plugin_set_unref(inproc);
    cJSON_Delete(plugins);
    return rc;
}

/* ---- part 2: a whole evaluation ---- */

static char *slurp(const char *path, size_t *len)
{
    char *buf = NULL;
    long n;
    FILE *f = fopen(path, "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n + 1)) == NULL ||
        fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    } else {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    if (f != NULL)
        fclose(f);
    return buf;
}

static int bench_eval(const char *name, bh_plugin_set *set, bh_sync_env *loop,
                      const cJSON *case_json, const char *text, size_t len, size_t warmup,
                      size_t calls)
{
    chain c;
    int rc;
    memset(&c, 0, sizeof c);
    c.issue = issue_eval;
    c.warmup = warmup;
    c.calls = calls;
    c.env = loop != NULL ? &loop->env : NULL;
    c.set = set;
    c.case_json = case_json;
    c.cs.text = text;
    c.cs.len = len;
    rc = chain_run(&c, loop != NULL ? &loop->loop : NULL);
    if (rc == 0)
        report(name, c.lat, calls, &c.spent);
    chain_free(&c);
    return rc;
}

static int part_evaluate(const char *plugin_dir, const char *tenant_path, const char *case_path,
                         const bh_isolation_limits *lim, size_t warmup, size_t calls)
{
    size_t tlen = 0, clen = 0;
    char *tenant_text = slurp(tenant_path, &tlen);
    char *case_text = slurp(case_path, &clen);
    cJSON *tenant = tenant_text != NULL ? cJSON_Parse(tenant_text) : NULL;
    cJSON *case_json = case_text != NULL ? cJSON_Parse(case_text) : NULL;
    const cJSON *plugins = cJSON_GetObjectItemCaseSensitive(tenant, "plugins");
    bh_plugin_set *inproc = NULL, *isolated = NULL;
    bh_sync_env env;
    int env_open = 0, rc = BATON_EINVAL;

    if (!cJSON_IsArray(plugins) || case_json == NULL) {
        fprintf(stderr, "isolation_rtt: cannot read %s or %s\n", tenant_path, case_path);
        goto out;
    }
    printf("\nevaluate: %s with the plugins of %s, %zu evaluations after %zu warm-up\n", case_path,
           tenant_path, calls, warmup);
    header();
    if ((rc = load_set(plugin_dir, plugins, 0, lim, &inproc)) != 0)
        goto out;
    if ((rc = bench_eval("evaluate in process", inproc, NULL, case_json, case_text, clen, warmup,
                         calls)) != 0)
        goto out;
    if ((rc = load_set(plugin_dir, plugins, 1, lim, &isolated)) != 0)
        goto out;
    if ((rc = bh_sync_env_begin(&env)) != 0)
        goto out;
    env_open = 1;
    rc = bench_eval("evaluate isolated", isolated, &env, case_json, case_text, clen, warmup, calls);
out:
    if (env_open)
        bh_sync_env_end(&env);
    bh_plugin_set_unref(isolated);
    bh_plugin_set_unref(inproc);
    cJSON_Delete(case_json);
    cJSON_Delete(tenant);
    free(case_text);
    free(tenant_text);
    return rc;
}

/* ---- main ---- */

static void usage(FILE *to)
{
    fprintf(to,
            "usage: isolation_rtt [-n CALLS] [-w WARMUP] [-E] PLUGIN_DIR [TENANT_JSON CASE_JSON]\n"
            "\n"
            "Round trip of an isolated no-op call (PLUGIN_DIR/fault.so) through the\n"
            "synchronous client and the libuv pool, and the same call in process; with\n"
            "TENANT_JSON and CASE_JSON also a whole evaluation with that tenant's plugins,\n"
            "in process and isolated. Latencies in microseconds; host_cpu_us and\n"
            "worker_cpu_us are CPU time per call of this process and of its workers,\n"
            "csw their context switches per call.\n"
            "\n"
            "  -n CALLS    calls per row (default 20000; evaluations: CALLS / 10)\n"
            "  -w WARMUP   unrecorded calls first (default 2000; evaluations: / 10)\n"
            "  -E          the evaluation rows only (for profiling them)\n"
            "\n"
            "The worker is $BATON_WORKER, else baton-worker of the build tree.\n");
}

static int parse_count(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v > 100000000ull)
        return -1;
    *out = (size_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    size_t calls = 20000, warmup = 2000;
    bh_isolation_limits lim;
    int opt, rc = 0, eval_only = 0;

    while ((opt = getopt(argc, argv, "n:w:Eh")) != -1) {
        if (opt == 'E') {
            eval_only = 1;
            continue;
        }
        if (opt == 'n' && parse_count(optarg, &calls) == 0 && calls >= 10)
            continue;
        if (opt == 'w' && parse_count(optarg, &warmup) == 0)
            continue;
        usage(opt == 'h' ? stdout : stderr);
        return opt == 'h' ? 0 : 2;
    }
    if ((argc - optind != 1 && argc - optind != 3) || (eval_only && argc - optind != 3)) {
        usage(stderr);
        return 2;
    }
    bh_isolation_limits_default(&lim);
    /* One worker per plugin: the calls are one at a time anyway, and the
     * counters then cover every process involved. */
    lim.workers_per_plugin = 1;
    printf("worker: %s\n", bh_worker_default_path());
    if (!eval_only)
        rc = part_noop(argv[optind], &lim, warmup, calls);
    if (rc == 0 && argc - optind == 3)
        rc = part_evaluate(argv[optind], argv[optind + 1], argv[optind + 2], &lim, warmup / 10,
                           calls / 10);
    if (rc != 0) {
        fprintf(stderr, "isolation_rtt: failed: %s\n", baton_strerror(rc));
        return 1;
    }
    return 0;
}
