/*
 * cmd_plugin.c - "baton plugin": the integrator's tools.
 *
 *   baton plugin new NAME ...
 *       scaffolds an out-of-tree plugin project, in cmd_plugin_new.c;
 *   baton plugin check PLUGIN.so [--config CONFIG.json] [--cases DIR]...
 *       the conformance harness (docs/writing-a-plugin.md);
 *   baton plugin sign / push
 *       deploying to batond, in cmd_plugin_deploy.c (docs/deploying-plugins.md).
 *
 * The harness loads the plugin with the host's own loader (so it is refused
 * exactly when batond would refuse it), initialises it once, and then runs
 * every capability over a corpus of cases, each call in a forked child: a
 * crash, an abort or a hang costs that one call (reported with its signal),
 * never the harness. Each call runs twice and the two answers must be
 * byte-identical (plugins must not read clocks, random numbers or global
 * mutable state). On every answer it checks the money and text invariants
 * listed in check_result() and check_letter(). In a build with
 * AddressSanitizer the child exits normally after freeing what it built, so
 * LeakSanitizer reports the plugin's leaks and the child's non-zero exit
 * fails the call.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case_view.h"
#include "cli_plugins.h"
#include "command.h"
#include "evaluate.h"
#include "golden.h"
#include "json_diff.h"
#include "letter.h"
#include "money_text.h"
#include "plugin_loader.h"
#include "plugin_call.h"
#include "plugin_set.h"
#include "worker_proto.h"
#include "result.h"

/* ------------------------------------------------------------------ */
/* baton plugin check                                                   */
/* ------------------------------------------------------------------ */

/* A case every plugin can be run on even without a corpus. */
static const char BASE_CASE[] =
    "{\"format\":\"baton-case/1\",\"case_id\":\"CHECK-BASE\",\"jurisdiction\":\"gb-ew\","
    "\"as_of\":\"2025-06-30\","
    "\"creditor\":{\"name\":\"Check Creditor Ltd\",\"kind\":\"business\","
    "\"address\":{\"lines\":[\"1 Test Street\"],\"city\":\"London\",\"postcode\":\"EC1A 1AA\","
    "\"country\":\"GB\"},\"contact\":{\"phone\":\"020 7946 0000\",\"email\":\"a@example.org\"},"
    "\"payment\":{\"account_name\":\"Check Creditor Ltd\",\"sort_code\":\"00-00-00\","
    "\"account_number\":\"00000000\",\"iban\":\"DE02120300000000202051\",\"reference\":\"CHK\"}},"
    "\"debtor\":{\"name\":\"Jürgen Smith-Ωmega\",\"kind\":\"individual\",\"consumer\":true,"
    "\"identity_verified\":true,\"address\":{\"lines\":[\"2 Test Road\",\"Flat 3\"],"
    "\"city\":\"London\",\"postcode\":\"N1 1AA\",\"region\":\"CA\",\"country\":\"GB\"}},"
    "\"claim\":{\"principal\":{\"amount\":\"1234.56\",\"currency\":\"GBP\"},\"reference\":\"CHK-"
    "1\","
    "\"description\":\"Goods sold and delivered\",\"contract_type\":\"written\","
    "\"contract_date\":\"2024-01-15\",\"due_date\":\"2024-03-01\","
    "\"interest\":{\"contractual_rate_bp\":null,\"statutory\":true},"
    "\"charges\":[{\"label\":\"Late fee\",\"amount\":{\"amount\":\"25.00\",\"currency\":\"GBP\"},"
    "\"date\":\"2024-04-01\"}],"
    "\"payments\":[{\"date\":\"2024-05-01\",\"amount\":{\"amount\":\"100.00\",\"currency\":\"GBP\"}"
    "}],"
    "\"itemization\":{\"date_kind\":\"last_statement\",\"date\":\"2024-03-01\","
    "\"amount\":{\"amount\":\"1334.56\",\"currency\":\"GBP\"},"
    "\"interest_since\":{\"amount\":\"0\",\"currency\":\"GBP\"},"
    "\"fees_since\":{\"amount\":\"0\",\"currency\":\"GBP\"},"
    "\"payments_since\":{\"amount\":\"100.00\",\"currency\":\"GBP\"},"
    "\"credits_since\":{\"amount\":\"0\",\"currency\":\"GBP\"}}},"
    "\"documents\":[{\"kind\":\"agreement\",\"date\":\"2024-01-15\"},"
    "{\"kind\":\"invoice\",\"date\":\"2024-02-01\",\"ref\":\"INV-1\"},"
    "{\"kind\":\"statement\",\"date\":\"2024-03-01\"},{\"kind\":\"proof_of_delivery\"},"
    "{\"kind\":\"communication_log\"},{\"kind\":\"identity_check\"},"
    "{\"kind\":\"collection_attempt\",\"date\":\"2024-04-01\"}],"
    "\"letters_sent\":[{\"kind\":\"reminder\",\"date\":\"2024-04-01\"},"
    "{\"kind\":\"final_demand\",\"date\":\"2024-05-01\"}],"
    "\"disputes\":[{\"date\":\"2024-04-10\",\"answered\":true,\"answered_date\":\"2024-04-20\"}],"
    "\"debtor_profile\":{\"engaged\":false,\"assets\":\"known\",\"employment\":\"employed\","
    "\"insolvent\":false,\"payment_plan\":\"none\",\"promises_broken\":1},"
    "\"assignments\":[],"
    "\"collector\":{\"name\":\"Check Collections\",\"registration\":\"REG-1\","
    "\"address\":{\"lines\":[\"3 Test Lane\"],\"city\":\"London\",\"country\":\"GB\"}}}";

enum cap { CAP_INIT = 0, CAP_RULES, CAP_FEES, CAP_LETTER, CAP_EVALUATE };

typedef struct check_row {
    char name[80];
    unsigned calls, ok, refused, failed;
} check_row;

typedef struct harness {
    const char *so_path;
    cJSON *list; /* [{"path","config"}] for this plugin */
    bh_plugin_set *set;
    bh_plugin_instance *inst;
    int is_jurisdiction;
    const char *jurisdiction; /* the plugin's, for jurisdiction plugins */
    unsigned timeout;
    int verbose;
    int isolated;    /* --isolated: every call goes to a sandboxed worker */
    int golden;      /* --expect: evaluations are golden cases */
    cJSON *captured; /* --expect: the last evaluation's answer, when sound */
    check_row rows[40];
    size_t nrows;
    unsigned failures;
    unsigned shown;
} harness;

static check_row *row_for(harness *h, const char *name)
{
    for (size_t i = 0; i < h->nrows; i++) {
        if (strcmp(h->rows[i].name, name) == 0)
            return &h->rows[i];
    }
    if (h->nrows == sizeof h->rows / sizeof h->rows[0])
        return &h->rows[h->nrows - 1];
    check_row *r = &h->rows[h->nrows++];
    snprintf(r->name, sizeof r->name, "%s", name);
    return r;
}

static void failure(harness *h, check_row *row, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void failure(harness *h, check_row *row, const char *where, const char *fmt, ...)
{
    va_list ap;
    row->failed++;
    h->failures++;
    if (h->shown++ >= 40 && !h->verbose)
        return;
    fprintf(stdout, "FAIL  %-22s %s: ", row->name, where);
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static int utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != 0) {
        unsigned c = *p;
        int n;
        uint32_t cp;
        if (c < 0x80) {
            p++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        p += n + 1;
    }
    return 1;
}

/* Keeps the loader's one-line reason for a refused plugin. */
static void keep_refusal(void *ctx, const char *tenant, const char *path, const char *message)
{
    (void)tenant;
    (void)path;
    snprintf(ctx, 600, "%s", message);
}

/* The plugin as batond would load it, in the mode asked for. */
static int load_set(harness *h, char *why, bh_plugin_set **out, char *err, size_t errlen)
{
    bh_isolation_limits limits;
    bh_isolation_limits_default(&limits);
    limits.call_timeout_ms = h->timeout * 1000;
    bh_plugin_load_opts o = {
        .limits = &limits,
        .force_isolated = h->isolated,
        .on_refusal = keep_refusal,
        .ctx = why,
    };
    return bh_plugin_set_load("check", h->list, &o, out, err, errlen);
}

/* ---- running one call in a child ---- */

/* The loop isolated calls run on, made once per child. */
static bh_sync_env *child_env;

struct cap_wait {
    int finished, rc;
    char message[sizeof(((bh_eval_error *)0)->message)]; /* when rc != 0 */
};

static void on_cap_done(void *ctx, int rc, const bh_eval_error *e)
{
    struct cap_wait *w = ctx;
    w->finished = 1;
    w->rc = rc;
    if (rc != 0)
        snprintf(w->message, sizeof w->message, "%s", e->message);
}

/* One capability call through the host's own call path, so the harness
 * sees what batond sees in either mode. Returns the plugin's code (or the
 * failure of its worker). */
static int run_capability(harness *h, unsigned caps, const char *kind, const cJSON *c,
                          baton_result *r, baton_letter *l, cJSON *o)
{
    char today[16];
    struct cap_wait w = {0, 0, ""};
    char *text = NULL;
    bh_case_input cs = {.json = c, .as_of = bh_case_as_of(c, NULL, today)};
    if (h->inst->mode == BH_MODE_ISOLATED) {
        if (child_env == NULL) {
            child_env = calloc(1, sizeof *child_env);
            if (child_env == NULL || bh_sync_env_begin(child_env) != 0)
                return BATON_ENOMEM;
        }
        if ((text = cJSON_PrintUnformatted(c)) == NULL)
            return BATON_ENOMEM;
        cs.text = text;
        cs.len = strlen(text);
    }
    bh_plugin_call(child_env != NULL ? &child_env->env : NULL, h->inst, caps, kind, &cs, r, l,
                   on_cap_done, &w);
    if (child_env != NULL)
        bh_sync_env_wait(child_env, &w.finished);
    cJSON_free(text);
    /* The host's words for the failure (with the reason the host refused a
     * builder call, when it did), as batond's 502 says them. */
    if (w.rc != 0 && w.message[0] != '\0')
        cJSON_AddStringToObject(o, "message", w.message);
    return w.rc;
}

static char *child_call(harness *h, enum cap cap, const char *kind, const cJSON *c)
{
    cJSON *o = cJSON_CreateObject();
    char *text = NULL;
    int rc = 0;
    if (o == NULL)
        return NULL;
    if (cap == CAP_INIT) {
        /* A fresh instance: init, then fini (leaks show under LSan). */
        bh_plugin_set *s = NULL;
        char err[600] = "", why[600] = "";
        rc = load_set(h, why, &s, err, sizeof err);
        if (why[0] != '\0')
            fprintf(stderr, "%s\n", why);
        if (rc == 0 && s->count != 1)
            rc = BATON_EPLUGIN;
        bh_plugin_set_unref(s);
        cJSON_AddNumberToObject(o, "rc", rc);
    } else if (cap == CAP_RULES || cap == CAP_FEES) {
        baton_result *r = bh_result_new();
        if (r == NULL)
            goto out;
        rc = run_capability(h, cap == CAP_RULES ? BH_CAP_FILING_RULES : BH_CAP_FEE_SCHEDULE, NULL,
                            c, r, NULL, o);
        cJSON_AddNumberToObject(o, "rc", rc);
        cJSON *tree = bh_result_take(r);
        bh_result_free(r);
        if (tree != NULL)
            cJSON_AddItemToObject(o, "result", tree);
    } else if (cap == CAP_LETTER) {
        baton_letter *l = bh_letter_new();
        if (l == NULL)
            goto out;
        rc = run_capability(h, BH_CAP_LETTER, kind, c, NULL, l, o);
        cJSON_AddNumberToObject(o, "rc", rc);
        cJSON *blocks = cJSON_AddArrayToObject(o, "blocks");
        for (size_t i = 0; blocks != NULL && i < l->count; i++) {
            cJSON *b = cJSON_CreateObject();
            cJSON_AddNumberToObject(b, "kind", l->blocks[i].kind);
            cJSON_AddStringToObject(b, "text", l->blocks[i].text);
            cJSON_AddItemToArray(blocks, b);
        }
        if (l->title != NULL)
            cJSON_AddStringToObject(o, "title", l->title);
        if (l->reference != NULL)
            cJSON_AddStringToObject(o, "reference", l->reference);
        if (l->language != NULL)
            cJSON_AddStringToObject(o, "language", l->language);
        bh_letter_free(l);
    } else if (cap == CAP_EVALUATE) {
        cJSON *answer = NULL;
        bh_eval_error e;
        memset(&e, 0, sizeof e);
        rc = bh_evaluate(h->set, c, NULL, &answer, &e);
        cJSON_AddNumberToObject(o, "rc", rc);
        if (rc == 0) {
            cJSON_AddItemToObject(o, "answer", answer);
        } else {
            cJSON_AddNumberToObject(o, "status", e.http_status);
            cJSON_AddStringToObject(o, "code", e.code);
            cJSON_AddStringToObject(o, "message", e.message);
        }
    }
    text = cJSON_PrintUnformatted(o);
out:
    cJSON_Delete(o);
    return text;
}

typedef struct call_out {
    int exited;    /* exited normally */
    int code;      /* exit code */
    int signo;     /* killing signal, 0 if none */
    char *out;     /* what the child wrote on the result pipe */
    char err[600]; /* the start of its stderr */
} call_out;

static int read_fds(int fd_out, int fd_err, call_out *co)
{
    size_t n = 0, cap = 0, en = 0;
    struct pollfd p[2] = {{fd_out, POLLIN, 0}, {fd_err, POLLIN, 0}};
    int open_fds = 2;
    char buf[8192];
    while (open_fds > 0) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || p[i].revents == 0)
                continue;
            ssize_t r = read(p[i].fd, buf, sizeof buf);
            if (r <= 0) {
                p[i].fd = -1;
                open_fds--;
                continue;
            }
            if (i == 0) {
                if (n + (size_t)r + 1 > cap) {
                    size_t nc = cap != 0 ? cap * 2 : 65536;
                    while (nc < n + (size_t)r + 1)
                        nc *= 2;
                    char *q = realloc(co->out, nc);
                    if (q == NULL)
                        return -1;
                    co->out = q;
                    cap = nc;
                }
                memcpy(co->out + n, buf, (size_t)r);
                n += (size_t)r;
                co->out[n] = '\0';
            } else {
                size_t room = sizeof co->err - 1 - en;
                size_t take = (size_t)r < room ? (size_t)r : room;
                memcpy(co->err + en, buf, take);
                en += take;
                co->err[en] = '\0';
            }
        }
    }
    return 0;
}

typedef struct call_spec {
    enum cap cap;
    const char *kind; /* letter kind for CAP_LETTER */
    char row[80];     /* the table row it counts in */
} call_spec;

/* In the child: runs calls[from..n) one after the other, each twice, and
 * writes one line per call: {"i":index,"same":bool,"r":first answer}. The
 * line goes out before the next call starts, so when the child dies the
 * parent knows which call killed it. */
static int child_batch(harness *h, const call_spec *calls, size_t n, size_t from, const cJSON *c,
                       int fd)
{
    for (size_t i = from; i < n; i++) {
        alarm(h->timeout);
        char *first = child_call(h, calls[i].cap, calls[i].kind, c);
        char *second =
            calls[i].cap == CAP_INIT ? NULL : child_call(h, calls[i].cap, calls[i].kind, c);
        int same = calls[i].cap == CAP_INIT ||
                   (first != NULL && second != NULL && strcmp(first, second) == 0);
        size_t len = first != NULL ? strlen(first) : 0;
        char head[64];
        int hl = snprintf(head, sizeof head, "{\"i\":%zu,\"same\":%s,\"r\":", i,
                          same ? "true" : "false");
        struct piece {
            const char *p;
            size_t n;
        } parts[3] = {{head, (size_t)hl},
                      {first != NULL ? first : "null", first != NULL ? len : 4},
                      {"}\n", 2}};
        for (size_t k = 0; k < 3; k++) {
            size_t off = 0;
            while (off < parts[k].n) {
                ssize_t w = write(fd, parts[k].p + off, parts[k].n - off);
                if (w <= 0)
                    return 4;
                off += (size_t)w;
            }
        }
        cJSON_free(first);
        cJSON_free(second);
    }
    alarm(0);
    return 0;
}

/* Forks a child that runs calls[from..n) on case c (see child_batch). */
static int run_batch(harness *h, const call_spec *calls, size_t n, size_t from, const cJSON *c,
                     call_out *co)
{
    int po[2], pe[2];
    memset(co, 0, sizeof *co);
    if (pipe(po) != 0)
        return -1;
    if (pipe(pe) != 0) {
        close(po[0]);
        close(po[1]);
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(po[0]);
        close(po[1]);
        close(pe[0]);
        close(pe[1]);
        return -1;
    }
    if (pid == 0) {
        close(po[0]);
        close(pe[0]);
        dup2(pe[1], STDERR_FILENO);
        signal(SIGALRM, SIG_DFL);
        int st = child_batch(h, calls, n, from, c, po[1]);
        close(po[1]);
        /* The harness's own allocations are reachable from here; free the
         * plugin instance so that only the plugin's leaks remain for
         * LeakSanitizer. */
        if (child_env != NULL)
            bh_sync_env_end(child_env);
        free(child_env);
        bh_plugin_set_unref(h->set);
        exit(st);
    }
    close(po[1]);
    close(pe[1]);
    int rr = read_fds(po[0], pe[0], co);
    close(po[0]);
    close(pe[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    if (WIFSIGNALED(status)) {
        co->signo = WTERMSIG(status);
    } else if (WIFEXITED(status)) {
        co->exited = 1;
        co->code = WEXITSTATUS(status);
    }
    return rr;
}

/* ---- invariants ---- */

static const char *const COST_KINDS[] = {"court_fee",  "lawyer_fee", "interest", "compensation",
                                         "commission", "principal",  "other",    NULL};

static int cost_kind_ok(const char *k)
{
    for (const char *const *p = COST_KINDS; *p != NULL; p++) {
        if (strcmp(*p, k) == 0)
            return 1;
    }
    return 0;
}

/* A money object {"amount","currency","minor"} that is well formed and
 * whose decimal string and minor units agree. */
static const char *money_problem(const cJSON *m)
{
    const cJSON *amount = cJSON_GetObjectItemCaseSensitive(m, "amount");
    const cJSON *cur = cJSON_GetObjectItemCaseSensitive(m, "currency");
    const cJSON *minor = cJSON_GetObjectItemCaseSensitive(m, "minor");
    if (!cJSON_IsString(amount) || !cJSON_IsString(cur))
        return "money without amount or currency";
    if (bh_currency_exponent(cur->valuestring) < 0)
        return "unknown ISO 4217 currency code";
    baton_money parsed;
    char err[128];
    if (bh_money_parse(amount->valuestring, cur->valuestring, &parsed, err, sizeof err) != 0)
        return "amount is not a valid decimal for its currency";
    if (cJSON_IsNumber(minor) && (double)parsed.minor != minor->valuedouble)
        return "amount and minor units disagree";
    return NULL;
}

/* Walks facts for money objects (those with a "currency" member). */
static const char *facts_problem(const cJSON *node)
{
    if (cJSON_IsObject(node) && cJSON_GetObjectItemCaseSensitive(node, "currency") != NULL)
        return money_problem(node);
    if (cJSON_IsString(node) && !utf8_valid(node->valuestring))
        return "a fact is not valid UTF-8";
    const cJSON *child;
    cJSON_ArrayForEach(child, node)
    {
        const char *p = facts_problem(child);
        if (p != NULL)
            return p;
    }
    return NULL;
}

static int check_result(harness *h, check_row *row, const char *where, const cJSON *res)
{
    const cJSON *findings = cJSON_GetObjectItemCaseSensitive(res, "findings");
    const cJSON *costs = cJSON_GetObjectItemCaseSensitive(res, "costs");
    const cJSON *facts = cJSON_GetObjectItemCaseSensitive(res, "facts");
    const cJSON *it;
    cJSON_ArrayForEach(it, findings)
    {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(it, "code");
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(it, "text");
        const cJSON *cat = cJSON_GetObjectItemCaseSensitive(it, "category");
        if (!cJSON_IsString(code) || code->valuestring[0] == '\0' || !cJSON_IsString(cat) ||
            cat->valuestring[0] == '\0') {
            failure(h, row, where, "a finding without category or code");
            return -1;
        }
        if (!cJSON_IsString(text) || text->valuestring[0] == '\0' ||
            !utf8_valid(text->valuestring)) {
            failure(h, row, where, "finding %s has empty or invalid UTF-8 text", code->valuestring);
            return -1;
        }
    }
    cJSON_ArrayForEach(it, costs)
    {
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(it, "kind");
        const cJSON *label = cJSON_GetObjectItemCaseSensitive(it, "label");
        const cJSON *amount = cJSON_GetObjectItemCaseSensitive(it, "amount");
        const char *lab = cJSON_IsString(label) ? label->valuestring : "?";
        if (!cJSON_IsString(kind) || !cost_kind_ok(kind->valuestring)) {
            failure(h, row, where, "cost '%s' has an unknown kind", lab);
            return -1;
        }
        if (lab[0] == '\0' || !utf8_valid(lab)) {
            failure(h, row, where, "a %s line has an empty or invalid label", kind->valuestring);
            return -1;
        }
        const char *p = money_problem(amount);
        if (p != NULL) {
            failure(h, row, where, "cost '%s': %s", lab, p);
            return -1;
        }
        const cJSON *minor = cJSON_GetObjectItemCaseSensitive(amount, "minor");
        if (cJSON_IsNumber(minor) && minor->valuedouble < 0) {
            failure(h, row, where, "negative %s '%s': %s %s", kind->valuestring, lab,
                    cJSON_GetObjectItemCaseSensitive(amount, "amount")->valuestring,
                    cJSON_GetObjectItemCaseSensitive(amount, "currency")->valuestring);
            return -1;
        }
    }
    const char *p = facts_problem(facts);
    if (p != NULL) {
        failure(h, row, where, "facts: %s", p);
        return -1;
    }
    return 0;
}

/* totals[currency][kind] must equal the sum of the costs, computed here
 * with overflow checks. */
static int check_totals(harness *h, check_row *row, const char *where, const cJSON *answer)
{
    const cJSON *costs = cJSON_GetObjectItemCaseSensitive(answer, "costs");
    const cJSON *totals = cJSON_GetObjectItemCaseSensitive(answer, "totals");
    const cJSON *it;
    if (check_result(h, row, where, answer) != 0)
        return -1;
    cJSON_ArrayForEach(it, costs)
    {
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(it, "kind");
        const cJSON *amount = cJSON_GetObjectItemCaseSensitive(it, "amount");
        const char *cur = cJSON_GetObjectItemCaseSensitive(amount, "currency")->valuestring;
        int64_t sum = 0;
        const cJSON *jt;
        cJSON_ArrayForEach(jt, costs)
        {
            const cJSON *k2 = cJSON_GetObjectItemCaseSensitive(jt, "kind");
            const cJSON *a2 = cJSON_GetObjectItemCaseSensitive(jt, "amount");
            baton_money m;
            char err[64];
            if (strcmp(k2->valuestring, kind->valuestring) != 0 ||
                strcmp(cJSON_GetObjectItemCaseSensitive(a2, "currency")->valuestring, cur) != 0)
                continue;
            if (bh_money_parse(cJSON_GetObjectItemCaseSensitive(a2, "amount")->valuestring, cur, &m,
                               err, sizeof err) != 0 ||
                __builtin_add_overflow(sum, m.minor, &sum)) {
                failure(h, row, where, "the %s lines in %s overflow int64 minor units",
                        kind->valuestring, cur);
                return -1;
            }
        }
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(totals, cur), kind->valuestring);
        baton_money tm;
        char err[64];
        const cJSON *ta = cJSON_GetObjectItemCaseSensitive(t, "amount");
        if (!cJSON_IsString(ta) ||
            bh_money_parse(ta->valuestring, cur, &tm, err, sizeof err) != 0 || tm.minor != sum) {
            failure(h, row, where, "totals.%s.%s does not equal the sum of its %s lines", cur,
                    kind->valuestring, kind->valuestring);
            return -1;
        }
    }
    return 0;
}

static int check_letter(harness *h, check_row *row, const char *where, const cJSON *o)
{
    const cJSON *blocks = cJSON_GetObjectItemCaseSensitive(o, "blocks");
    const cJSON *b;
    size_t chars = 0;
    cJSON_ArrayForEach(b, blocks)
    {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(b, "text");
        if (!cJSON_IsString(t) || !utf8_valid(t->valuestring)) {
            failure(h, row, where, "a letter block is not valid UTF-8");
            return -1;
        }
        chars += strlen(t->valuestring);
    }
    if (cJSON_GetArraySize(blocks) == 0 || chars == 0) {
        failure(h, row, where, "the letter is empty");
        return -1;
    }
    const char *props[] = {"title", "reference", "language"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, props[i]);
        if (p != NULL && (!cJSON_IsString(p) || !utf8_valid(p->valuestring))) {
            failure(h, row, where, "letter %s is not valid UTF-8", props[i]);
            return -1;
        }
    }
    return 0;
}

/* ---- one capability over one case ---- */

static const char *signame(int s)
{
    const char *n = sigabbrev_np(s);
    return n != NULL ? n : "?";
}

/* Checks one answer line of a batch (see child_batch). native: an error
 * return counts as a failure. */
static void check_answer(harness *h, const call_spec *cs, const cJSON *line, const char *where,
                         int native)
{
    check_row *row = row_for(h, cs->row);
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(line, "r");
    if (!cJSON_IsObject(o)) {
        failure(h, row, where, "no answer came back from the call");
        return;
    }
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(line, "same"))) {
        failure(h, row, where, "not deterministic: the same case gave two different answers");
        return;
    }
    int rc = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "rc"));
    if (rc > 0) {
        failure(h, row, where, "returned %d: capabilities return 0 or a negative BATON_E code", rc);
        return;
    }
    if (rc < 0) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, "message");
        if (cs->cap == CAP_INIT) {
            failure(h, row, where, "a second instance failed to initialise: %s",
                    baton_strerror(rc));
        } else if (h->golden) {
            failure(h, row, where, "the golden case was refused: %s%s%s", baton_strerror(rc),
                    cJSON_IsString(m) ? " - " : "", cJSON_IsString(m) ? m->valuestring : "");
        } else if (native && cs->cap != CAP_LETTER) {
            /* (A letter may rightly be refused for a case it does not apply
             * to - a consumer notice for a business debt; but every letter
             * kind must render for some case, see plugin_check.) */
            failure(h, row, where, "refused a case of its own jurisdiction: %s%s%s",
                    baton_strerror(rc), cJSON_IsString(m) ? " - " : "",
                    cJSON_IsString(m) ? m->valuestring : "");
        } else {
            row->refused++;
            if (h->verbose)
                printf("info  %-22s %s: refused (%s%s%s)\n", cs->row, where, baton_strerror(rc),
                       cJSON_IsString(m) ? ": " : "", cJSON_IsString(m) ? m->valuestring : "");
        }
        return;
    }
    int bad = 0;
    if (cs->cap == CAP_RULES || cs->cap == CAP_FEES)
        bad = check_result(h, row, where, cJSON_GetObjectItemCaseSensitive(o, "result"));
    else if (cs->cap == CAP_LETTER)
        bad = check_letter(h, row, where, o);
    else if (cs->cap == CAP_EVALUATE)
        bad = check_totals(h, row, where, cJSON_GetObjectItemCaseSensitive(o, "answer"));
    if (bad == 0)
        row->ok++;
    if (bad == 0 && h->golden && cs->cap == CAP_EVALUATE) {
        cJSON_Delete(h->captured);
        h->captured = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(o, "answer"), 1);
    }
}

/* The first lines of a child's stderr, for a failure message. */
static const char *err_excerpt(call_out *co)
{
    char *nl = co->err;
    for (int lines = 0; nl != NULL && lines < 8; lines++)
        nl = strchr(nl + 1, '\n');
    if (nl != NULL)
        *nl = '\0';
    return co->err;
}

/* Runs every call on case c in as few children as possible: when a child
 * dies, the call it died in fails and a new child carries on after it. */
static void check_calls(harness *h, const call_spec *calls, size_t n, const cJSON *c,
                        const char *where, int native)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++)
        row_for(h, calls[i].row)->calls++;
    while (from < n) {
        call_out co;
        if (run_batch(h, calls, n, from, c, &co) != 0) {
            failure(h, row_for(h, calls[from].row), where, "could not run the call: %s",
                    strerror(errno));
            free(co.out);
            return;
        }
        size_t next = from;
        for (char *line = co.out; line != NULL && *line != '\0';) {
            char *eol = strchr(line, '\n');
            if (eol == NULL)
                break; /* a torn last line: the child died writing it */
            *eol = '\0';
            cJSON *j = cJSON_Parse(line);
            const cJSON *idx = cJSON_GetObjectItemCaseSensitive(j, "i");
            if (cJSON_IsNumber(idx) && (size_t)idx->valuedouble == next) {
                check_answer(h, &calls[next], j, where, native);
                next++;
            }
            cJSON_Delete(j);
            line = eol + 1;
        }
        if (next < n && co.signo != 0) {
            failure(h, row_for(h, calls[next].row), where, "crashed: killed by SIG%s%s%s%s",
                    signame(co.signo), co.signo == SIGALRM ? " (timed out)" : "",
                    co.err[0] != '\0' ? "\n      " : "", err_excerpt(&co));
            next++;
        } else if (next < n && strstr(co.err, "ERROR: AddressSanitizer: ") != NULL) {
            /* Under ASan a fault is reported by the sanitizer, which then
             * exits instead of dying by the signal. */
            const char *what = strstr(co.err, "ERROR: AddressSanitizer: ") + 25;
            failure(h, row_for(h, calls[next].row), where, "crashed: AddressSanitizer: %.*s",
                    (int)strcspn(what, "\n("), what);
            next++;
        } else if (next < n) {
            failure(h, row_for(h, calls[next].row), where,
                    "the call's process exited with %d before answering%s%s", co.code,
                    co.err[0] != '\0' ? ":\n      " : "", err_excerpt(&co));
            next++;
        } else if (co.signo != 0 || co.code != 0) {
            /* Every call answered, but the process failed on its way out:
             * in ASan builds, LeakSanitizer found a leak. */
            failure(h, row_for(h, "process exit (leaks)"), where,
                    "the calls' process %s %d after answering%s%s",
                    co.signo != 0 ? "was killed by signal" : "exited with",
                    co.signo != 0 ? co.signo : co.code, co.err[0] != '\0' ? ":\n      " : "",
                    err_excerpt(&co));
        }
        free(co.out);
        from = next;
    }
}

/* ---- the corpus ---- */

typedef struct variant {
    const char *name;
    void (*apply)(cJSON *c);
} variant;

static cJSON *claim_of(cJSON *c)
{
    return cJSON_GetObjectItemCaseSensitive(c, "claim");
}

static void set_str(cJSON *obj, const char *key, const char *value)
{
    if (!cJSON_IsObject(obj))
        return;
    cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
    cJSON_AddStringToObject(obj, key, value);
}

static void v_zero(cJSON *c)
{
    set_str(cJSON_GetObjectItemCaseSensitive(claim_of(c), "principal"), "amount", "0");
}

static void v_huge(cJSON *c)
{
    set_str(cJSON_GetObjectItemCaseSensitive(claim_of(c), "principal"), "amount", "1000000000.00");
}

static void v_minimal(cJSON *c)
{
    static const char *const top[] = {"documents",   "letters_sent", "disputes", "debtor_profile",
                                      "assignments", "collector",    "format"};
    static const char *const claim[] = {"interest",      "charges",           "payments",
                                        "itemization",   "reference",         "description",
                                        "contract_date", "last_payment_date", "acknowledged_date"};
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
        cJSON_DeleteItemFromObjectCaseSensitive(c, top[i]);
    for (size_t i = 0; i < sizeof claim / sizeof claim[0]; i++)
        cJSON_DeleteItemFromObjectCaseSensitive(claim_of(c), claim[i]);
    cJSON *cr = cJSON_GetObjectItemCaseSensitive(c, "creditor");
    cJSON_DeleteItemFromObjectCaseSensitive(cr, "contact");
    cJSON_DeleteItemFromObjectCaseSensitive(cr, "payment");
    cJSON_DeleteItemFromObjectCaseSensitive(cr, "company_number");
    cJSON *d = cJSON_GetObjectItemCaseSensitive(c, "debtor");
    cJSON_DeleteItemFromObjectCaseSensitive(d, "consumer");
    cJSON_DeleteItemFromObjectCaseSensitive(d, "identity_verified");
    cJSON_DeleteItemFromObjectCaseSensitive(d, "email");
}

static void v_currency(cJSON *c)
{
    set_str(cJSON_GetObjectItemCaseSensitive(claim_of(c), "principal"), "currency", "ZZZ");
}

static void v_leap(cJSON *c)
{
    set_str(claim_of(c), "due_date", "2024-02-29");
    set_str(c, "as_of", "2028-02-29");
}

static void v_due_today(cJSON *c)
{
    const cJSON *due = cJSON_GetObjectItemCaseSensitive(claim_of(c), "due_date");
    if (cJSON_IsString(due)) {
        char d[16];
        snprintf(d, sizeof d, "%s", due->valuestring);
        set_str(c, "as_of", d);
    }
}

static void v_before_due(cJSON *c)
{
    set_str(c, "as_of", "2000-01-01");
}

static void v_far_future(cJSON *c)
{
    set_str(c, "as_of", "2099-12-31");
}

static void v_epoch(cJSON *c)
{
    cJSON_DeleteItemFromObjectCaseSensitive(claim_of(c), "contract_date");
    set_str(claim_of(c), "due_date", "1970-01-01");
}

static const variant VARIANTS[] = {
    {"as given", NULL},
    {"zero principal", v_zero},
    {"huge principal", v_huge},
    {"optional fields missing", v_minimal},
    {"unknown currency ZZZ", v_currency},
    {"leap-day dates", v_leap},
    {"as_of = due date", v_due_today},
    {"as_of before due date", v_before_due},
    {"as_of 2099-12-31", v_far_future},
    {"due 1970-01-01", v_epoch},
};

typedef struct corpus_case {
    char *name;
    cJSON *json;
} corpus_case;

static int add_case(corpus_case **cases, size_t *n, const char *name, cJSON *json)
{
    corpus_case *p = realloc(*cases, (*n + 1) * sizeof **cases);
    if (p == NULL)
        return -1;
    *cases = p;
    p[*n].name = strdup(name);
    p[*n].json = json;
    if (p[*n].name == NULL)
        return -1;
    (*n)++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.json in dir (and its direct subfolders) that looks like a case. */
static void load_dir(const char *dir, int depth, corpus_case **cases, size_t *n)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    char *names[512];
    size_t k = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && k < 512) {
        if (e->d_name[0] == '.')
            continue;
        names[k] = strdup(e->d_name);
        if (names[k] != NULL)
            k++;
    }
    closedir(d);
    qsort(names, k, sizeof names[0], cmp_str);
    for (size_t i = 0; i < k; i++) {
        char path[PATH_MAX];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len = strlen(names[i]);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (depth < 1)
                load_dir(path, depth + 1, cases, n);
        } else if (len > 5 && strcmp(names[i] + len - 5, ".json") == 0) {
            char err[256];
            cJSON *j = cli_read_json(path, err, sizeof err);
            if (j != NULL && cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "claim")) &&
                cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "debtor"))) {
                if (add_case(cases, n, path, j) != 0)
                    cJSON_Delete(j);
            } else {
                cJSON_Delete(j);
            }
        }
        free(names[i]);
    }
}

/* Default corpus folders: ./tests/cases and ./docs/examples, else the same
 * relative to a source tree the executable was built in, else the cases/
 * and examples/ an install puts under share/baton (BATON_DATA_FROM_BINDIR,
 * relative to the executable's folder). Appended to dirs after the *n given
 * with --cases; store (two paths) holds their text and is indexed on its
 * own, since *n may already be past its size. */
static void default_dirs(const char **dirs, size_t *n, char store[][PATH_MAX])
{
    const char *rel[] = {"tests/cases", "docs/examples"};
    const char *installed[] = {"cases", "examples"};
    char exe[PATH_MAX];
    size_t used = 0;
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0)
        exe[len] = '\0';
    else
        exe[0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash != NULL)
        *slash = '\0';
    for (size_t i = 0; i < 2; i++) {
        struct stat st;
        if (stat(rel[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(store[used], PATH_MAX, "%s", rel[i]);
            dirs[(*n)++] = store[used++];
            continue;
        }
        if (exe[0] == '\0')
            continue;
        /* <src>/<build>/tools/baton -> <src> */
        snprintf(store[used], PATH_MAX, "%s/../../%s", exe, rel[i]);
        if (stat(store[used], &st) == 0 && S_ISDIR(st.st_mode)) {
            dirs[(*n)++] = store[used++];
            continue;
        }
#ifdef BATON_DATA_FROM_BINDIR
        /* <prefix>/bin/baton -> <prefix>/share/baton */
        char found[PATH_MAX + 64], real[PATH_MAX];
        snprintf(found, sizeof found, "%s/%s/%s", exe, BATON_DATA_FROM_BINDIR, installed[i]);
        if (realpath(found, real) != NULL && stat(real, &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(store[used], PATH_MAX, "%s", real);
            dirs[(*n)++] = store[used++];
        }
#else
        (void)installed;
#endif
    }
}

/* ---- golden cases (--expect) ---- */

/* The most golden cases one --expect folder may hold. */
#define GOLDEN_MAX 512

struct diff_print {
    unsigned shown, limit;
};

static void print_difference(void *ctx, const char *path, const char *expected, const char *got)
{
    struct diff_print *d = ctx;
    if (d->shown++ >= d->limit)
        return;
    const char *at = path[0] != '\0' ? path : "(the whole answer)";
    if (expected == NULL)
        printf("      %s: not expected, got %s\n", at, got);
    else if (got == NULL)
        printf("      %s: expected %s, missing from the answer\n", at, expected);
    else
        printf("      %s: expected %s, got %s\n", at, expected, got);
}

static void count_difference(void *ctx, const char *path, const char *expected, const char *got)
{
    (void)ctx;
    (void)path;
    (void)expected;
    (void)got;
}

/* One golden case: evaluated like every evaluation of the harness (in a
 * child, twice, the invariants checked), then compared with its
 * expected.json or, with update, written to it. Returns 0 when it matched
 * (or was written). */
static int golden_one(harness *h, check_row *row, const golden_case *g, int update)
{
    char err[PATH_MAX + 256];
    int rc = -1, missing = 0;
    cJSON *c = golden_read_case(g, err, sizeof err), *got = NULL, *expected = NULL, *want = NULL;
    if (c == NULL) {
        row->calls++;
        failure(h, row, g->name, "%s", err);
        return -1;
    }
    call_spec call = {.cap = CAP_EVALUATE, .row = "golden cases"};
    unsigned before = h->failures;
    cJSON_Delete(h->captured);
    h->captured = NULL;
    check_calls(h, &call, 1, c, g->name, 1);
    if (h->failures != before || h->captured == NULL)
        goto out;
    got = golden_normalise(h->captured, h->inst->info.name);
    if (got == NULL) {
        failure(h, row, g->name, "out of memory");
        goto out;
    }
    if (update) {
        if (golden_write_expected(g, got, err, sizeof err) != 0) {
            row->ok--;
            failure(h, row, g->name, "%s", err);
            goto out;
        }
        printf("wrote %s/expected.json\n", g->dir);
        rc = 0;
        goto out;
    }
    expected = golden_read_expected(g, &missing, err, sizeof err);
    want = expected != NULL ? golden_normalise(expected, h->inst->info.name) : NULL;
    if (want == NULL) {
        row->ok--;
        failure(h, row, g->name, "%s", expected == NULL ? err : "out of memory");
        goto out;
    }
    struct diff_print d = {0, h->verbose ? UINT32_MAX : 20};
    size_t n = json_diff(want, got, count_difference, NULL);
    if (n > 0) {
        row->ok--;
        failure(h, row, g->name,
                "the answer differs from %s/expected.json in %zu place(s):", g->dir, n);
        json_diff(want, got, print_difference, &d);
        if (n > d.limit)
            printf("      ... and %zu more (-v shows all)\n", n - d.limit);
        goto out;
    }
    rc = 0;
out:
    cJSON_Delete(c);
    cJSON_Delete(got);
    cJSON_Delete(expected);
    cJSON_Delete(want);
    return rc;
}

/* Every golden case of the --expect folders, evaluated with the plugin
 * plus the --with plugins. */
static void run_golden(harness *h, const char *const *dirs, size_t ndirs, int update,
                       const cJSON *with)
{
    char err[PATH_MAX + 256], why[600] = "";
    check_row *row = row_for(h, "golden cases");
    bh_plugin_set *eval = NULL;
    cJSON *list = cJSON_Duplicate(h->list, 1), *own = h->list;
    const cJSON *w;
    golden_case *cases = calloc(GOLDEN_MAX, sizeof *cases);
    if (list == NULL || cases == NULL) {
        failure(h, row, "golden", "out of memory");
        goto out;
    }
    cJSON_ArrayForEach(w, with)
    {
        cJSON_AddItemToArray(list, cJSON_Duplicate(w, 1));
    }
    h->list = list;
    int lrc = load_set(h, why, &eval, err, sizeof err);
    h->list = own;
    if (lrc != 0 || eval->count != (size_t)cJSON_GetArraySize(list)) {
        failure(h, row, "--with", "%s", why[0] != '\0' ? why : err);
        goto out;
    }
    bh_plugin_set *checked = h->set;
    h->set = eval;
    h->golden = 1;
    for (size_t i = 0; i < ndirs; i++) {
        unsigned matched = 0, differed = 0;
        int n = golden_list(dirs[i], cases, GOLDEN_MAX, err, sizeof err);
        if (n <= 0) {
            failure(h, row, dirs[i], "%s", n < 0 ? err : "no golden case (NAME/case.json) here");
            continue;
        }
        for (int k = 0; k < n; k++) {
            if (golden_one(h, row, &cases[k], update) == 0)
                matched++;
            else
                differed++;
        }
        printf("golden: %s: %d case(s), %u %s, %u failed\n", dirs[i], n, matched,
               update ? "written" : "matched", differed);
    }
    h->golden = 0;
    h->set = checked;
out:
    bh_plugin_set_unref(eval);
    cJSON_Delete(list);
    cJSON_Delete(h->captured);
    h->captured = NULL;
    free(cases);
}

static void usage_check(FILE *out)
{
    fprintf(out,
            "usage: baton plugin check PLUGIN.so [--config CONFIG.json] [--cases DIR]...\n"
            "                          [--no-default-cases] [--timeout SEC] [--isolated] [-v]\n"
            "       baton plugin check PLUGIN.so --expect DIR... [--update]\n"
            "                          [--with PLUGIN[:CONFIG.json]]... [--config CONFIG.json]\n"
            "                          [--timeout SEC] [--isolated] [-v]\n\n"
            "The conformance harness. Loads PLUGIN.so with batond's loader (a refused\n"
            "plugin fails with the loader's reason), initialises it with CONFIG.json\n"
            "(default: PLUGIN.json next to it, else {}), then calls every capability it\n"
            "has over the corpus - tests/cases/ and docs/examples/ (when found) plus the\n"
            "--cases folders and a built-in case - and over variants of each case: zero\n"
            "and huge principal, optional fields missing, an unknown currency, odd\n"
            "dates. For a jurisdiction plugin each case is set to its jurisdiction.\n"
            "Each call runs twice, in its own process (a crash or a hang after --timeout\n"
            "seconds, default 10, fails that call). Fails on: a crash, a non-zero exit\n"
            "(LeakSanitizer in ASan builds), answers that differ between the two runs,\n"
            "a negative or malformed money line, an unknown currency, totals that do not\n"
            "add up, invalid UTF-8, an empty letter, and an error returned for a case of\n"
            "the plugin's own jurisdiction as given (on variants an error is allowed).\n"
            "--isolated runs every call in a sandboxed worker, as batond runs isolated\n"
            "plugins: the answers must be the same in both modes.\n\n"
            "--expect DIR runs golden cases instead of the corpus: each DIR/NAME/case.json\n"
            "(with its own as_of) is evaluated - in a child, twice, with the same checks -\n"
            "and the answer compared with DIR/NAME/expected.json: every member written\n"
            "there must be in the answer with the same value (members left out are not\n"
            "compared; arrays must have the same length). Each difference is printed with\n"
            "its path, the expected value and the answer's. Never compared: plugins[].sha256,\n"
            ".sdk and .mode, and the findings and costs of other plugins. --with adds a\n"
            "plugin to the evaluation (an agency plugin needs a jurisdiction plugin).\n"
            "--update writes each expected.json from the answer instead of comparing.\n\n"
            "Exit codes: 0 passed, 1 failed, 2 usage.\n");
}

static int plugin_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'C'},
        {"cases", required_argument, NULL, 'd'},
        {"no-default-cases", no_argument, NULL, 'N'},
        {"timeout", required_argument, NULL, 't'},
        {"verbose", no_argument, NULL, 'v'},
        {"isolated", no_argument, NULL, 'I'},
        {"expect", required_argument, NULL, 'E'},
        {"update", no_argument, NULL, 'U'},
        {"with", required_argument, NULL, 'W'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    harness h;
    const char *expect[16];
    size_t nexpect = 0;
    int update = 0;
    cli_plugins with = {0};
    memset(&h, 0, sizeof h);
    h.timeout = 10;
    const char *config = NULL;
    const char *dirs[34];
    char dirstore[2][PATH_MAX];
    size_t ndirs = 0;
    int defaults = 1, opt, status = 2;
    corpus_case *cases = NULL;
    size_t ncases = 0;
    bh_plugin *probe = NULL;
    char err[1024] = "";
    char abspath[PATH_MAX];

    optind = 1;
    while ((opt = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
        switch (opt) {
        case 'C':
            config = optarg;
            break;
        case 'd':
            if (ndirs < 32)
                dirs[ndirs++] = optarg;
            break;
        case 'N':
            defaults = 0;
            break;
        case 't':
            h.timeout = (unsigned)strtoul(optarg, NULL, 10);
            if (h.timeout == 0)
                h.timeout = 10;
            break;
        case 'v':
            h.verbose = 1;
            break;
        case 'I':
            h.isolated = 1;
            break;
        case 'E':
            if (nexpect == sizeof expect / sizeof expect[0]) {
                fprintf(stderr, "baton plugin check: at most %zu --expect folders\n", nexpect);
                cli_plugins_free(&with);
                return 2;
            }
            expect[nexpect++] = optarg;
            break;
        case 'U':
            update = 1;
            break;
        case 'W':
            if (cli_plugins_add(&with, optarg, err, sizeof err) != 0) {
                fprintf(stderr, "baton plugin check: --with %s\n", err);
                cli_plugins_free(&with);
                return 2;
            }
            break;
        case 'h':
            usage_check(stdout);
            cli_plugins_free(&with);
            return 0;
        default:
            usage_check(stderr);
            cli_plugins_free(&with);
            return 2;
        }
    }
    if (optind + 1 != argc || ((update || with.list != NULL) && nexpect == 0)) {
        if (optind + 1 == argc)
            fprintf(stderr, "baton plugin check: --update and --with go with --expect DIR\n");
        usage_check(stderr);
        cli_plugins_free(&with);
        return 2;
    }
    h.so_path = argv[optind];
    if (realpath(h.so_path, abspath) == NULL) {
        fprintf(stderr, "baton plugin check: %s: %s\n", h.so_path, strerror(errno));
        cli_plugins_free(&with);
        return 1;
    }
    status = 1;

    /* 1. load with the host's loader */
    check_row *load = row_for(&h, "load (ABI checks)");
    load->calls++;
    if (bh_plugin_open(abspath, &probe, err, sizeof err) != 0) {
        failure(&h, load, "load", "%s", err);
        goto report;
    }
    load->ok++;
    const baton_plugin *d = bh_plugin_desc(probe);
    printf("plugin %s %s (%s), built against SDK %u.%u; host SDK %d.%d\n", d->name, d->version,
           d->scope, d->sdk_major, d->sdk_minor, BATON_SDK_MAJOR, BATON_SDK_MINOR);

    /* 2. the instance the calls share */
    cli_plugins pl = {0};
    char spec[PATH_MAX * 2 + 2];
    snprintf(spec, sizeof spec, "%s%s%s", abspath, config != NULL ? ":" : "",
             config != NULL ? config : "");
    if (cli_plugins_add(&pl, spec, err, sizeof err) != 0) {
        fprintf(stderr, "baton plugin check: %s\n", err);
        bh_plugin_close(probe);
        cli_plugins_free(&pl);
        cli_plugins_free(&with);
        return 2;
    }
    h.list = pl.list;
    check_row *init = row_for(&h, "init/fini");
    /* First in a child, so a crashing init is reported, not suffered; the
     * child also runs fini, so LeakSanitizer sees what init leaks. */
    call_spec init_call = {.cap = CAP_INIT, .row = "init/fini"};
    unsigned before = h.failures;
    check_calls(&h, &init_call, 1, NULL, "init then fini", 0);
    if (h.failures != before)
        goto report;
    init->ok = 0;
    char why[600] = "";
    if (load_set(&h, why, &h.set, err, sizeof err) != 0 || h.set->count != 1) {
        init->ok = 0;
        failure(&h, init, "init", "%s",
                why[0] != '\0'   ? why
                : err[0] != '\0' ? err
                                 : "init failed");
        goto report;
    }
    init->ok = 1;
    h.inst = h.set->items[0];
    h.is_jurisdiction = bh_plugin_scope_kind(h.inst) == 1;
    if (h.is_jurisdiction)
        h.jurisdiction = strchr(h.inst->info.scope, ':') + 1;

    /* 3. the golden cases, or the corpus */
    if (nexpect > 0) {
        run_golden(&h, expect, nexpect, update, with.list);
        goto report;
    }
    if (defaults)
        default_dirs(dirs, &ndirs, dirstore);
    cJSON *base = cJSON_Parse(BASE_CASE);
    if (base == NULL || add_case(&cases, &ncases, "(built-in case)", base) != 0) {
        cJSON_Delete(base);
        fprintf(stderr, "baton plugin check: out of memory\n");
        goto report;
    }
    for (size_t i = 0; i < ndirs; i++)
        load_dir(dirs[i], 0, &cases, &ncases);
    printf("corpus: %zu case(s) from", ncases - 1);
    for (size_t i = 0; i < ndirs; i++)
        printf(" %s", dirs[i]);
    printf("%s plus the built-in case, %zu variants each\n\n", ndirs == 0 ? " nowhere" : "",
           sizeof VARIANTS / sizeof VARIANTS[0]);

    const bh_plugin_info *info = &h.inst->info;
    for (size_t ci = 0; ci < ncases; ci++) {
        const cJSON *jur = cJSON_GetObjectItemCaseSensitive(cases[ci].json, "jurisdiction");
        int own = !h.is_jurisdiction ||
                  (cJSON_IsString(jur) && strcmp(jur->valuestring, h.jurisdiction) == 0);
        for (size_t vi = 0; vi < sizeof VARIANTS / sizeof VARIANTS[0]; vi++) {
            cJSON *c = cJSON_Duplicate(cases[ci].json, 1);
            if (c == NULL)
                continue;
            if (h.is_jurisdiction)
                set_str(c, "jurisdiction", h.jurisdiction);
            if (cJSON_GetObjectItemCaseSensitive(c, "as_of") == NULL)
                cJSON_AddStringToObject(c, "as_of", "2025-06-30");
            if (VARIANTS[vi].apply != NULL)
                VARIANTS[vi].apply(c);
            /* Native: a real case of the plugin's own jurisdiction, as given. */
            int native = own && vi == 0 && ci > 0;
            char where[PATH_MAX + 64];
            const char *base_name = strrchr(cases[ci].name, '/');
            snprintf(where, sizeof where, "%s [%s]",
                     base_name != NULL ? base_name + 1 : cases[ci].name, VARIANTS[vi].name);
            call_spec calls[40];
            size_t n = 0;
            if (info->caps & BH_CAP_FILING_RULES)
                calls[n++] = (call_spec){.cap = CAP_RULES, .row = "filing_rules"};
            if (info->caps & BH_CAP_FEE_SCHEDULE)
                calls[n++] = (call_spec){.cap = CAP_FEES, .row = "fee_schedule"};
            if (info->caps & BH_CAP_LETTER) {
                for (char **k = info->letter_kinds; *k != NULL && n < 39; k++) {
                    calls[n] = (call_spec){.cap = CAP_LETTER, .kind = *k};
                    snprintf(calls[n].row, sizeof calls[n].row, "letter %s", *k);
                    n++;
                }
            }
            if (h.is_jurisdiction)
                calls[n++] = (call_spec){.cap = CAP_EVALUATE, .row = "evaluate (totals)"};
            check_calls(&h, calls, n, c, where, native);
            cJSON_Delete(c);
        }
    }
    if (info->caps & BH_CAP_LETTER) {
        for (char **k = info->letter_kinds; *k != NULL; k++) {
            char rn[80];
            snprintf(rn, sizeof rn, "letter %s", *k);
            check_row *r = row_for(&h, rn);
            if (r->ok == 0 && r->failed == 0)
                failure(&h, r, "corpus", "the letter was never rendered: refused for every case");
        }
    }
    if (info->caps == 0)
        failure(&h, row_for(&h, "capabilities"), "descriptor", "the plugin offers no capability");

report:
    printf("\n%-28s %7s %7s %8s %7s\n", "check", "calls", "passed", "refused", "failed");
    for (size_t i = 0; i < h.nrows; i++) {
        check_row *r = &h.rows[i];
        printf("%-28s %7u %7u %8u %7u\n", r->name, r->calls, r->ok, r->refused, r->failed);
    }
    printf("\n%s: %u failure(s)\n", h.failures == 0 ? "PASS" : "FAIL", h.failures);
    status = h.failures == 0 ? 0 : 1;
    for (size_t i = 0; i < ncases; i++) {
        free(cases[i].name);
        cJSON_Delete(cases[i].json);
    }
    free(cases);
    bh_plugin_set_unref(h.set);
    cJSON_Delete(h.list);
    cli_plugins_free(&with);
    bh_plugin_close(probe);
    return status;
}

int cmd_plugin_deploy(int argc, char **argv); /* sign, push: cmd_plugin_deploy.c */
int cmd_plugin_new(int argc, char **argv);    /* new: cmd_plugin_new.c */

static int run(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "sign") == 0 || strcmp(argv[1], "push") == 0))
        return cmd_plugin_deploy(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "new") == 0)
        return cmd_plugin_new(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "check") == 0)
        return plugin_check(argc - 1, argv + 1);
    FILE *out = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
                    ? stdout
                    : stderr;
    fprintf(out,
            "usage: baton plugin new NAME [--country CC] [--currency CODE] [--agency] [-o DIR]\n"
            "       baton plugin check PLUGIN.so [--config CONFIG.json] [--cases DIR]...\n"
            "       baton plugin sign -k KEY.key PLUGIN.so\n"
            "       baton plugin push --url URL --token-file FILE PLUGIN.so [--activate]\n"
            "'baton plugin COMMAND --help' says more of each.\n");
    return out == stdout ? 0 : 2;
}

BATON_COMMAND("plugin", run, "scaffold (new), check, sign and push (deploy) a plugin")
