/*
 * baton/plugin.h - the Baton plugin ABI, SDK version 1.1
 * (docs/sdk-reference.md is the reference, with the change log of minors).
 *
 * A plugin is a shared object that exports exactly one entry function,
 * baton_plugin_entry(), returning a pointer to a static baton_plugin
 * descriptor. The host reads the descriptor, checks it, calls init() with a
 * table of host functions, and from then on calls the capability tables the
 * descriptor points to.
 *
 * Compatibility rule (enforced by the host at load time):
 *
 *   - the plugin's sdk_major must equal the host's BATON_SDK_MAJOR, and
 *   - the plugin's sdk_minor must be <= the host's BATON_SDK_MINOR.
 *
 * Anything else is refused with one line naming the file, what the plugin
 * was built against and what the host offers; nothing of it stays loaded.
 *
 * Growth rules (what a minor version may do):
 *
 *   - baton_host_api only grows at its end. A plugin built against minor N
 *     may use every function of minor N; before calling a function added
 *     later it checks BATON_HOST_HAS(api, member).
 *   - baton_plugin and the capability tables only grow at their end. Each
 *     starts with struct_size; the host reads an optional field only when it
 *     lies inside the struct_size the plugin was built with.
 *   - Enum values and error codes are never renumbered.
 *
 * Targeting an older host (the target-minor switch): a plugin built with
 * these headers stamps BATON_SDK_TARGET_MINOR into its descriptor, which
 * defaults to BATON_SDK_MINOR. Build with -DBATON_SDK_TARGET_MINOR=0 and the
 * plugin loads in every 1.x host; the members of baton_host_api newer than
 * the target stay declared (the table's layout is the ABI) but a plugin
 * calls one only after BATON_HOST_HAS(api, member) says the host has it,
 * and the helpers that would call one unchecked (baton_last_error below
 * checks first) are written for any target. A member of the target minor
 * or older needs no check: the host refuses a plugin whose minor is newer
 * than its own.
 *
 * Values a plugin does not know (written for the day a later minor adds
 * one; item 9 of the SDK's rules):
 *
 *   - enum baton_view_type: a view_type() answer the plugin does not know
 *     is "present, but of no type this plugin reads": treat it like an item
 *     of the wrong type (as a BATON_ETYPE answer), never as missing and
 *     never as an error of the call.
 *   - error codes (baton/error.h): any other negative code is a failure of
 *     that host call; handle it like BATON_EINVAL (do not retry, do not
 *     guess) and pass it on or report your own. Never compare codes with
 *     < or > beyond "rc < 0".
 *   - finding statuses, block kinds and log levels are only ever passed by
 *     the plugin to the host; a host that predates a value the plugin
 *     passes refuses it with BATON_EINVAL (and says why: last_error).
 *
 * Refusals and their reasons (SDK 1.1): every host function that refuses
 * an argument returns a negative BATON_E* code and leaves a one-line reason
 * that last_error() returns, e.g.
 *     finding code "Final demand": not [a-z0-9_-]{1,64}
 * The reason belongs to the current capability call on the calling thread
 * (each call starts with none; a successful host call leaves it as it was,
 * like errno), reads the same in process and in an isolated worker, and is
 * what batond's 502 plugin_failed answer and `baton plugin check` print
 * when the capability then fails. The rules the builders apply:
 *
 *   - codes, categories and each dot-separated part of a fact key:
 *     [a-z0-9_-]{1,64} (BATON_CODE_MAX);
 *   - a fact key at most BATON_FACT_KEY_MAX (127) bytes, set once
 *     (BATON_EEXIST), at most BATON_FACTS_MAX (1024) facts per evaluation
 *     (BATON_ELIMIT); integers within +-2^53 (BATON_ERANGE), dates valid;
 *   - money: a known ISO 4217 code and |minor| <= 2^53;
 *   - cost kinds: the seven names at result_line_item;
 *   - letter texts and properties: valid UTF-8 (any length; an isolated
 *     call's whole answer is bounded at 16 MiB); at most
 *     BATON_LETTER_BLOCKS_MAX blocks; properties "title", "language",
 *     "reference" (BATON_ENOENT for another key).
 *
 * What never crosses the boundary: host-internal types (JSON nodes, event
 * loop handles) and memory one side must free with the other's allocator.
 * The plugin reads the case through a read-only baton_view and writes its
 * answers through host-provided builders (baton_result, baton_letter). All
 * strings the host hands out stay valid until the plugin call returns; all
 * strings the plugin hands in are copied by the host before the builder
 * returns. This is what lets the same .so run in process or in a sandboxed
 * worker process without recompiling.
 *
 * Money is int64 minor units plus an ISO 4217 code (baton/money.h); dates
 * are proleptic Gregorian civil dates (baton/date.h). No floating point.
 */
#ifndef BATON_PLUGIN_H
#define BATON_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include "baton/error.h"
#include "baton/date.h"
#include "baton/money.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BATON_SDK_MAJOR 1
#define BATON_SDK_MINOR 1

/* The minor a plugin targets (see "Targeting an older host" above). */
#ifndef BATON_SDK_TARGET_MINOR
#define BATON_SDK_TARGET_MINOR BATON_SDK_MINOR
#endif
#if BATON_SDK_TARGET_MINOR < 0 || BATON_SDK_TARGET_MINOR > BATON_SDK_MINOR
#error "BATON_SDK_TARGET_MINOR must lie between 0 and BATON_SDK_MINOR of these headers"
#endif

/* Limits the builders hold plugins to (see "Refusals" above). */
#define BATON_CODE_MAX          64
#define BATON_FACT_KEY_MAX      127
#define BATON_FACTS_MAX         1024
#define BATON_LETTER_BLOCKS_MAX 65536

/* "BATONPLG" as a little-endian 64-bit number. */
#define BATON_PLUGIN_MAGIC UINT64_C(0x474c504e4f544142)

/* The one symbol every plugin exports. */
#define BATON_PLUGIN_ENTRY_SYMBOL "baton_plugin_entry"

/* The attribute is spelled only for compilers that have it, so the header
 * stays standard C99 and C++ everywhere else. */
#if defined(__GNUC__) || defined(__clang__)
#define BATON_PLUGIN_EXPORT __attribute__((visibility("default")))
#elif defined(_WIN32)
#define BATON_PLUGIN_EXPORT __declspec(dllexport)
#else
#define BATON_PLUGIN_EXPORT
#endif

/* Opaque host objects; plugins only ever hold pointers to them. */
typedef struct baton_view baton_view;     /* read-only JSON-like tree */
typedef struct baton_result baton_result; /* evaluation answer builder */
typedef struct baton_letter baton_letter; /* letter content builder */
typedef struct baton_host baton_host;     /* the host instance, for logging */

/* Types a view item can have (baton_host_api.view_type). A value not
 * listed here (a later minor's) means "present, of another type": see
 * "Values a plugin does not know" above. */
enum baton_view_type {
    BATON_VIEW_MISSING = 0,
    BATON_VIEW_NULL = 1,
    BATON_VIEW_BOOL = 2,
    BATON_VIEW_INT = 3, /* a JSON number with no fraction or exponent */
    BATON_VIEW_STRING = 4,
    BATON_VIEW_ARRAY = 5,
    BATON_VIEW_OBJECT = 6,
    BATON_VIEW_NUMBER = 7, /* any other JSON number; never read as money */
};

/* Status of one finding in an evaluation. */
enum baton_finding_status {
    BATON_FINDING_MET = 1,     /* requirement satisfied */
    BATON_FINDING_MISSING = 2, /* requirement not satisfied; fixable */
    BATON_FINDING_BLOCK = 3,   /* legal action must not proceed */
    BATON_FINDING_INFO = 4,    /* an observation, no requirement */
    BATON_FINDING_WARN = 5,    /* a risk the user should weigh */
};

/* Kinds of letter blocks; the host lays them out (text, HTML, PDF). */
enum baton_block_kind {
    BATON_BLOCK_TITLE = 1,     /* the letter's headline */
    BATON_BLOCK_HEADING = 2,   /* a section heading */
    BATON_BLOCK_PARAGRAPH = 3, /* running text; may contain '\n' */
    BATON_BLOCK_ADDRESS = 4,   /* an address block, lines split by '\n' */
    BATON_BLOCK_DATE = 5,      /* the date line */
    BATON_BLOCK_ROW = 6,       /* a two-column row: "label\tvalue" */
    BATON_BLOCK_SIGNATURE = 7, /* closing and signatory */
    BATON_BLOCK_SMALLPRINT = 8,
    BATON_BLOCK_PAGE_BREAK = 9,  /* text ignored */
    BATON_BLOCK_LETTERHEAD = 10, /* sender identity at the top */
    BATON_BLOCK_BULLET = 11,     /* one item of a bulleted list */
};

/* Log levels for baton_host_api.log. */
enum baton_log_level {
    BATON_LOG_DEBUG = 0,
    BATON_LOG_INFO = 1,
    BATON_LOG_WARN = 2,
    BATON_LOG_ERROR = 3,
};

/*
 * The host API: a table of functions the host hands to init(). It only grows
 * at its end; struct_size tells which members this host provides.
 *
 * View paths are dot-separated object keys with [N] array subscripts, for
 * example "debtor.address.country" or "letters_sent[1].date". The empty
 * string "" names the view's root. Every view_* function returns 0, or
 * BATON_ENOENT when the path does not exist, BATON_ETYPE when the item has
 * another type, BATON_EINVAL for a malformed path or value.
 */
typedef struct baton_host_api {
    uint32_t struct_size;
    uint16_t sdk_major;
    uint16_t sdk_minor;

    /* --- views (read-only) --- */

    /* The type of the item at path; BATON_VIEW_MISSING if absent. */
    enum baton_view_type (*view_type)(const baton_view *v, const char *path);
    /* A string; *out stays valid until the current plugin call returns. */
    int (*view_string)(const baton_view *v, const char *path, const char **out);
    /* An integer (JSON number without fraction or exponent, within int64). */
    int (*view_int)(const baton_view *v, const char *path, int64_t *out);
    int (*view_bool)(const baton_view *v, const char *path, int *out);
    /* A date written "YYYY-MM-DD". */
    int (*view_date)(const baton_view *v, const char *path, baton_date *out);
    /*
     * Money written {"amount": "1234.56", "currency": "GBP"}: the amount is a
     * decimal string with at most the currency's ISO 4217 minor digits.
     */
    int (*view_money)(const baton_view *v, const char *path, baton_money *out);
    /* Number of elements of an array or members of an object. */
    int (*view_count)(const baton_view *v, const char *path, size_t *out);
    /* The key of the index-th member of an object (for iterating maps). */
    int (*view_key)(const baton_view *v, const char *path, size_t index, const char **out);

    /* --- evaluation results --- */

    /*
     * One finding. category groups it in the answer ("readiness",
     * "limitation", "pre_action", "route", "recovery", ...); code is a
     * stable machine name; text is for humans; basis names the rule it
     * rests on (statute, fee order) and may be NULL.
     */
    int (*result_finding)(baton_result *r, const char *category, const char *code,
                          enum baton_finding_status status, const char *text, const char *basis);
    /*
     * One cost or money line. kind is one of "court_fee", "lawyer_fee",
     * "interest", "compensation", "commission", "principal", "other";
     * basis names the rule and may be NULL.
     */
    int (*result_line_item)(baton_result *r, const char *kind, const char *label,
                            baton_money amount, const char *basis);
    /*
     * Named facts ("limitation.deadline", "route.track", ...). Dots nest:
     * "limitation.deadline" becomes facts.limitation.deadline in the answer.
     * Each key may be set once per evaluation; a second set returns
     * BATON_EEXIST. An evaluation holds at most 1024 facts (BATON_ELIMIT
     * beyond).
     */
    int (*result_string)(baton_result *r, const char *key, const char *value);
    int (*result_int)(baton_result *r, const char *key, int64_t value);
    int (*result_date)(baton_result *r, const char *key, baton_date value);
    int (*result_money)(baton_result *r, const char *key, baton_money value);

    /*
     * A read-only view of the answer built so far, shaped like the API's
     * answer: {"findings":[{category,code,status,text,basis,plugin}],
     * "costs":[{kind,label,amount,basis,plugin}], "facts":{...}}, money as
     * {"amount","currency"} and dates as "YYYY-MM-DD", status as "met",
     * "missing", "block", "info" or "warn". Lets an agency plugin weigh
     * what the jurisdiction plugin found. Valid until the call returns.
     */
    const baton_view *(*result_view)(baton_result *r);

    /* --- letters --- */

    /* Append one block to the letter being built. */
    int (*letter_block)(baton_letter *l, enum baton_block_kind kind, const char *text);
    /* Set a letter property ("title", "language", "reference"). */
    int (*letter_set)(baton_letter *l, const char *key, const char *value);

    /* --- diagnostics --- */

    /* Log one line attributed to the plugin; never log personal data. */
    void (*log)(baton_host *host, enum baton_log_level level, const char *msg);

    /* --- SDK 1.1 --- */

    /*
     * Why the most recent refused host call of this capability call failed:
     * one line naming the function's argument and the rule, e.g.
     * "fact key \"limitation..deadline\": part 2 is empty". Never NULL;
     * "" when nothing was refused since the call began. The text stays
     * valid until the next host call on this thread. Thread-safe: each
     * thread (each concurrent call) has its own. With a target minor of 0,
     * call it only after BATON_HOST_HAS(api, last_error), or use
     * baton_last_error(api), which checks.
     */
    const char *(*last_error)(void);

    /* New members are added here, at the end, in later minor versions. */
} baton_host_api;

/* The size of the host API table of SDK 1.0 (ending at log). */
#define BATON_HOST_API_SIZE_1_0                                                                    \
    (offsetof(baton_host_api, log) +                                                               \
     sizeof(void (*)(baton_host *, enum baton_log_level, const char *)))

/* True when the host's table includes member (a function added later). */
#define BATON_HOST_HAS(api, member)                                                                \
    ((api)->struct_size >= offsetof(baton_host_api, member) + sizeof((api)->member) &&             \
     (api)->member != NULL)

/* last_error() when the host has it (SDK 1.1), else "": safe for any target. */
static inline const char *baton_last_error(const baton_host_api *api)
{
    const char *s;
    if (api == NULL || !BATON_HOST_HAS(api, last_error))
        return "";
    s = api->last_error();
    return s != NULL ? s : "";
}

/*
 * The case view every capability receives is the case JSON as submitted
 * (format: docs/case-format.md), plus "as_of": the evaluation date as
 * "YYYY-MM-DD", always present (the host fills in today, UTC, when the
 * request gives none). Plugins never read the clock: results are
 * reproducible from the case alone.
 *
 * Evaluation order: the jurisdiction plugin named by the case's
 * "jurisdiction" (filing_rules, then fee_schedule), then the tenant's agency
 * plugins (fee_schedule), which may read the jurisdiction's findings through
 * result_view and set "recommendation.*" facts.
 *
 * Filing rules: what a jurisdiction requires before and when going to court.
 * evaluate() reads the case and adds findings (documentation checklist items
 * of the jurisdiction, limitation, pre-action steps, route) and facts.
 */
typedef struct baton_filing_rules {
    uint32_t struct_size;
    int (*evaluate)(void *state, const baton_view *case_view, baton_result *out);
} baton_filing_rules;

/*
 * Fee schedule: what the case costs. A jurisdiction adds court fees,
 * statutory lawyer fees, interest and compensation; an agency adds its
 * commission. Amounts are added as line items.
 */
typedef struct baton_fee_schedule {
    uint32_t struct_size;
    int (*fees)(void *state, const baton_view *case_view, baton_result *out);
} baton_fee_schedule;

/*
 * Letter formats: the letters this plugin writes. kinds is a NULL-terminated
 * list of letter kind names ("reminder", "final_demand", "letter_of_claim").
 * render() fills the letter for one of those kinds. An agency plugin that
 * offers the kind "letterhead" supplies the sender block the host places at
 * the top of every letter it renders for that tenant.
 */
typedef struct baton_letter_formats {
    uint32_t struct_size;
    const char *const *kinds;
    int (*render)(void *state, const char *kind, const baton_view *case_view, baton_letter *out);
} baton_letter_formats;

/*
 * The descriptor returned by the entry function. It must be static: the host
 * reads it for as long as the plugin stays loaded.
 *
 * init() is called once per plugin instance with the host API, a host
 * handle for log(), and the tenant's per-plugin config as a view (the view
 * is valid only during init; copy what you keep). It stores the instance
 * state in *state and returns 0, or a negative BATON_E* code with a message
 * in err. fini() releases the state. An instance may serve several tenants:
 * a host may initialise a plugin once for all tenants whose config for it is
 * the same and share the state (batond does, in process); lines logged
 * through the host handle name the tenant whose call is running. So the
 * state must depend only on the config.
 *
 * Capability functions receive that state. They return 0, or a negative
 * BATON_E* code; the host turns a failure into a clear per-request error.
 * They may be called concurrently from several threads, for the same state
 * too (batond runs one event loop per core): treat the state as read-only
 * after init, keep no global mutable data, and do not keep pointers to
 * views, results or letters after returning.
 */
typedef struct baton_plugin {
    uint64_t magic;       /* BATON_PLUGIN_MAGIC */
    uint16_t sdk_major;   /* BATON_SDK_MAJOR the plugin was built with */
    uint16_t sdk_minor;   /* BATON_SDK_MINOR the plugin was built with */
    uint32_t struct_size; /* sizeof(baton_plugin) the plugin was built with */

    const char *name;    /* "gb-ew", "northwind" */
    const char *version; /* the plugin's own version, "1.2.0" */
    const char *scope;   /* "jurisdiction:gb-ew" or "agency:northwind" */

    int (*init)(const baton_host_api *api, baton_host *host, const baton_view *config, void **state,
                char *err, size_t errlen);
    void (*fini)(void *state);

    /* Capability tables; NULL when the plugin does not provide one. */
    const baton_filing_rules *filing_rules;
    const baton_fee_schedule *fee_schedule;
    const baton_letter_formats *letter_formats;

    /* New capability tables are added here, at the end, in later minors. */
} baton_plugin;

/* The entry function's type and the declaration every plugin defines. */
typedef const baton_plugin *(*baton_plugin_entry_fn)(void);
BATON_PLUGIN_EXPORT const baton_plugin *baton_plugin_entry(void);

/*
 * The descriptor's size as each minor defines it: 1.0 and 1.1 end at
 * letter_formats. BATON_PLUGIN_HEADER stamps the target minor's.
 */
#define BATON_PLUGIN_SIZE_1_0                                                                      \
    (offsetof(baton_plugin, letter_formats) + sizeof(const baton_letter_formats *))
#define BATON_PLUGIN_SIZE_1_1 BATON_PLUGIN_SIZE_1_0
#define BATON_PLUGIN_TARGET_SIZE                                                                   \
    (BATON_SDK_TARGET_MINOR >= 1 ? BATON_PLUGIN_SIZE_1_1 : BATON_PLUGIN_SIZE_1_0)

/*
 * Fills the version header of a descriptor; use as the first initializers
 * (designated initializers: C99, or C++20). It stamps the target minor
 * (BATON_SDK_TARGET_MINOR), not necessarily the headers' own.
 */
#define BATON_PLUGIN_HEADER                                                                        \
    .magic = BATON_PLUGIN_MAGIC, .sdk_major = BATON_SDK_MAJOR,                                     \
    .sdk_minor = BATON_SDK_TARGET_MINOR, .struct_size = (uint32_t)BATON_PLUGIN_TARGET_SIZE

#ifdef __cplusplus
}
#endif

#endif
