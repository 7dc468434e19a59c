/*
 * misbuilt.c - one plugin source, compiled with exactly one defect per
 * build (see CMakeLists.txt), to prove the host refuses each of them.
 * GOOD builds a sound probe plugin that echoes its config and case data,
 * used by the loader and runtime tests.
 *
 * CTOR_MARKER adds an ELF constructor that leaves a marker file, so a test
 * can tell in which process the plugin's code ran (see ctor_marker below);
 * with BAD_MAGIC it is a plugin the loader refuses whose constructor must
 * never run in batond. PROBE_V2 builds the sound probe as a second version
 * (another version string and finding) for upgrade-in-place tests.
 * NEEDS_CONFIG builds the sound probe refusing to start without its
 * "fee_minor" config (a plugin whose upload needs Baton-Plugin-Config).
 * INIT_LOG builds the sound probe logging "init_log_lines" lines (default
 * 1, at most 100) from its init.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef CTOR_MARKER
#include <unistd.h>
#endif

#include "baton/plugin.h"

struct probe {
    const baton_host_api *api;
    baton_host *host;
    int64_t fee_minor;
};

#ifdef BAD_INIT_CRASH
static volatile int *volatile crash_target = NULL;

/* Stores through a NULL pointer read from a volatile object, so the
 * compiler can neither see the NULL nor drop the store, and the process
 * dies of SIGSEGV. Not instrumented: under the sanitizers UBSan would
 * report the store first, and the report itself is a different death. */
__attribute__((noinline, no_sanitize("address", "undefined"))) static void crash(void)
{
    *crash_target = 1;
}
#endif

static int probe_init(const baton_host_api *api, baton_host *host, const baton_view *config,
                      void **state, char *err, size_t errlen)
{
#ifdef BAD_INIT_CRASH
    (void)api;
    (void)host;
    (void)config;
    (void)state;
    (void)err;
    (void)errlen;
    crash();
    return 0;
#elif defined(BAD_INIT)
    (void)api;
    (void)host;
    (void)config;
    (void)state;
    snprintf(err, errlen, "refusing to start: required config key 'rates' is missing");
    return BATON_EINVAL;
#else
#ifdef NEEDS_CONFIG
    if (config == NULL || api->view_type(config, "fee_minor") != BATON_VIEW_INT) {
        snprintf(err, errlen, "config.fee_minor: required (the probe's fee in minor units)");
        return BATON_EINVAL;
    }
#endif
    (void)err;
    (void)errlen;
    struct probe *p = calloc(1, sizeof *p);
    if (p == NULL)
        return BATON_ENOMEM;
    p->api = api;
    p->host = host;
    p->fee_minor = 100;
    api->view_int(config, "fee_minor", &p->fee_minor);
#ifdef INIT_LOG
    int64_t lines = 1;
    api->view_int(config, "init_log_lines", &lines);
    for (int64_t i = 0; i < lines && i < 100; i++) {
        char msg[64];
        snprintf(msg, sizeof msg, "probe starting, line %d", (int)i + 1);
        api->log(host, BATON_LOG_INFO, msg);
    }
#endif
    *state = p;
    return 0;
#endif
}

static void probe_fini(void *state)
{
    free(state);
}

#ifndef BAD_NO_CAPABILITY
/* Echoes what it reads so tests can check the view and result plumbing. */
static int probe_evaluate(void *state, const baton_view *c, baton_result *out)
{
    struct probe *p = state;
    const baton_host_api *api = p->api;
    baton_money principal;
    baton_date as_of;
    int rc = api->view_money(c, "claim.principal", &principal);
    if (rc != 0)
        return rc;
    if ((rc = api->view_date(c, "as_of", &as_of)) != 0)
        return rc;
    if ((rc = api->result_money(out, "probe.principal", principal)) != 0 ||
        (rc = api->result_date(out, "probe.as_of", as_of)) != 0)
        return rc;
    const char *fail;
    if (api->view_string(c, "probe_fail", &fail) == 0 && strcmp(fail, "evaluate") == 0)
        return BATON_EPLUGIN;
    api->log(p->host, BATON_LOG_INFO, "probe evaluated a case");
#ifdef PROBE_V2
    return api->result_finding(out, "readiness", "probe_seen_v2", BATON_FINDING_MET,
                               "Version 2 of the probe plugin read the case.", "test probe");
#else
    return api->result_finding(out, "readiness", "probe_seen", BATON_FINDING_MET,
                               "The probe plugin read the case.", "test probe");
#endif
}

static int probe_fees(void *state, const baton_view *c, baton_result *out)
{
    struct probe *p = state;
    baton_money principal;
    int rc = p->api->view_money(c, "claim.principal", &principal);
    if (rc != 0)
        return rc;
    return p->api->result_line_item(out, "court_fee", "Probe fee",
                                    baton_money_make(p->fee_minor, principal.currency),
                                    "test probe");
}

static const baton_filing_rules rules = {
    .struct_size = sizeof(baton_filing_rules),
    .evaluate = probe_evaluate,
};

static const baton_fee_schedule fees = {
    .struct_size = sizeof(baton_fee_schedule),
    .fees = probe_fees,
};
#endif

static const baton_plugin descriptor = {
    BATON_PLUGIN_HEADER,
#ifdef BAD_NAME
    /* 33 characters: one more than the name rule allows. */
    .name = "probe-with-a-name-of-33-character",
#else
    .name = "probe",
#endif
#ifdef PROBE_V2
    .version = "2.0.0",
#else
    .version = "1.0.0",
#endif
#ifdef BAD_SCOPE
    .scope = "planet:mars",
#else
    .scope = "jurisdiction:zz",
#endif
    .init = probe_init,
    .fini = probe_fini,
#ifndef BAD_NO_CAPABILITY
    .filing_rules = &rules,
    .fee_schedule = &fees,
#endif
};

#ifdef BAD_MAGIC
static baton_plugin patched;
#define PATCH() (patched = descriptor, patched.magic ^= 0xff, &patched)
#elif defined(BAD_MAJOR)
static baton_plugin patched;
#define PATCH() (patched = descriptor, patched.sdk_major = BATON_SDK_MAJOR + 1, &patched)
#elif defined(BAD_MINOR)
static baton_plugin patched;
#define PATCH() (patched = descriptor, patched.sdk_minor = BATON_SDK_MINOR + 1, &patched)
#elif defined(BAD_SIZE)
static baton_plugin patched;
#define PATCH()                                                                                    \
    (patched = descriptor, patched.struct_size = offsetof(baton_plugin, fee_schedule), &patched)
#else
#define PATCH() (&descriptor)
#endif

#ifdef CTOR_MARKER
/*
 * Runs when the object is loaded, before the host can look at the
 * descriptor. When BATON_TEST_CTOR_DIR is set it leaves an empty file
 * DIR/ctor-ran-in-<pid>, naming the process the constructor ran in; a test
 * sets the variable for batond and checks for batond's pid. A worker starts
 * with an empty environment, so there it does nothing: writing a file from
 * the worker would get it killed by its seccomp filter, and the refusal
 * would then name that instead of the plugin's defect.
 */
__attribute__((constructor)) static void ctor_marker(void)
{
    const char *dir = getenv("BATON_TEST_CTOR_DIR");
    char path[4096];
    FILE *f;
    if (dir == NULL || dir[0] == '\0')
        return;
    snprintf(path, sizeof path, "%s/ctor-ran-in-%ld", dir, (long)getpid());
    if ((f = fopen(path, "w")) != NULL)
        fclose(f);
}
#endif

#ifdef BAD_NO_ENTRY
/* Exports a misspelt entry point, as a plugin built against another SDK might. */
BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry_v0(void)
{
    return &descriptor;
}
#else
BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void)
{
    return PATCH();
}
#endif
