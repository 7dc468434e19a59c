/* host_api.c - the baton_host_api table handed to plugins (host_api.h). */
#include "host_api.h"

#include "case_view.h"
#include "letter.h"
#include "call_reason.h"
#include "result.h"

static bh_plugin_log_sink log_sink;

void bh_host_api_set_log_sink(bh_plugin_log_sink sink)
{
    log_sink = sink;
}

void bh_host_log(const char *tenant, const char *plugin, enum baton_log_level level,
                 const char *msg)
{
    if (log_sink != NULL && msg != NULL)
        log_sink(tenant, plugin, level, msg);
}

static _Thread_local const char *calling_tenant;
static _Thread_local bh_plugin_log_tap log_tap;
static _Thread_local void *log_tap_ctx;

const char *bh_host_calling_tenant(const char *tenant)
{
    const char *previous = calling_tenant;
    calling_tenant = tenant;
    return previous;
}

void bh_host_log_tap(bh_plugin_log_tap tap, void *ctx)
{
    log_tap = tap;
    log_tap_ctx = ctx;
}

static void plugin_log(baton_host *host, enum baton_log_level level, const char *msg)
{
    if (host == NULL)
        return;
    bh_host_log(host->tenant != NULL ? host->tenant : calling_tenant, host->plugin, level, msg);
    if (log_tap != NULL && msg != NULL)
        log_tap(log_tap_ctx, level, msg);
}

/*
 * The view members: the lookups of case_view.c, with the reason of a
 * refusal recorded here, in one place, by the code the lookup returned.
 * what names the type the plugin asked for.
 */
static int view_refused(const char *fn, const char *path, int rc, const char *what,
                        const char *value_rule)
{
    char q[80];
    const char *p = bh_reason_quote(path, q, sizeof q);
    switch (rc) {
    case BATON_ENOENT:
        return bh_refuse(rc, "%s(%s): no such item", fn, p);
    case BATON_ETYPE:
        return bh_refuse(rc, "%s(%s): the item is not %s", fn, p, what);
    case BATON_ERANGE:
        if (value_rule != NULL)
            return bh_refuse(rc, "%s(%s): the value is out of range", fn, p);
        return bh_refuse(rc,
                         "%s(%s): not an integer within +-2^53 written without fraction or "
                         "exponent",
                         fn, p);
    case BATON_EINVAL:
        if (value_rule != NULL)
            return bh_refuse(rc, "%s(%s): malformed path, or the value is not %s", fn, p,
                             value_rule);
        return bh_refuse(rc, "%s(%s): malformed path (keys joined by '.', [N] subscripts)", fn, p);
    default:
        return bh_refuse(rc, "%s(%s): %s", fn, p, baton_strerror(rc));
    }
}

#define VIEW_CHECKED(fn, what, value_rule, call)                                                   \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        return rc_ == 0 ? 0 : view_refused(fn, path, rc_, what, value_rule);                       \
    } while (0)

/*
 * Each member first tries the case's path memo (case_view.h
 * bh_view_memo_hit): a path read before in this case is answered there,
 * with no call further and no stack frame. Anything else (another view, a
 * path not read yet, a refusal) goes the checked way out of line.
 */
#define CHECKED static __attribute__((noinline)) int

CHECKED string_checked(const baton_view *v, const char *path, const char **out)
{
    VIEW_CHECKED("view_string", "a string", NULL, bh_view_string(v, path, out));
}

static int view_string(const baton_view *v, const char *path, const char **out)
{
    const bh_path_memo_place *p = bh_view_memo_hit(v, path);
    if (p != NULL && p->node != NULL && bh_jnode_string(p->node, out) == 0)
        return 0;
    return string_checked(v, path, out);
}

CHECKED int_checked(const baton_view *v, const char *path, int64_t *out)
{
    VIEW_CHECKED("view_int", "a number", NULL, bh_view_int(v, path, out));
}

static int view_int(const baton_view *v, const char *path, int64_t *out)
{
    const bh_path_memo_place *p = bh_view_memo_hit(v, path);
    if (p != NULL && p->node != NULL && bh_jnode_int(p->node, out) == 0)
        return 0;
    return int_checked(v, path, out);
}

CHECKED bool_checked(const baton_view *v, const char *path, int *out)
{
    VIEW_CHECKED("view_bool", "a boolean", NULL, bh_view_bool(v, path, out));
}

static int view_bool(const baton_view *v, const char *path, int *out)
{
    const bh_path_memo_place *p = bh_view_memo_hit(v, path);
    if (p != NULL && p->node != NULL && bh_jnode_bool(p->node, out) == 0)
        return 0;
    return bool_checked(v, path, out);
}

CHECKED date_checked(const baton_view *v, const char *path, baton_date *out)
{
    VIEW_CHECKED("view_date", "a string", "a real date written YYYY-MM-DD",
                 bh_view_date(v, path, out));
}

static int view_date(const baton_view *v, const char *path, baton_date *out)
{
    const bh_path_memo_place *p = bh_view_memo_hit(v, path);
    if (p != NULL && p->value_kind == BH_MEMO_VALUE_DATE) {
        *out = p->value.date;
        return 0;
    }
    return date_checked(v, path, out);
}

CHECKED money_checked(const baton_view *v, const char *path, baton_money *out)
{
    VIEW_CHECKED("view_money", "money ({\"amount\": \"12.34\", \"currency\": \"EUR\"})",
                 "a decimal amount within its currency's minor digits in a known currency",
                 bh_view_money(v, path, out));
}

static int view_money(const baton_view *v, const char *path, baton_money *out)
{
    const bh_path_memo_place *p = bh_view_memo_hit(v, path);
    if (p != NULL && p->value_kind == BH_MEMO_VALUE_MONEY) {
        *out = p->value.money;
        return 0;
    }
    return money_checked(v, path, out);
}

CHECKED count_checked(const baton_view *v, const char *path, size_t *out)
{
    VIEW_CHECKED("view_count", "an array or object", NULL, bh_view_count(v, path, out));
}

static int view_count(const baton_view *v, const char *path, size_t *out)
{
    const bh_path_memo_place *p = bh_view_memo_hit(v, path);
    if (p != NULL && p->node != NULL && bh_jnode_count(p->node, out) == 0)
        return 0;
    return count_checked(v, path, out);
}

static int view_key(const baton_view *v, const char *path, size_t index, const char **out)
{
    VIEW_CHECKED("view_key", "an object", NULL, bh_view_key(v, path, index, out));
}

static const baton_host_api api = {
    .struct_size = sizeof(baton_host_api),
    .sdk_major = BATON_SDK_MAJOR,
    .sdk_minor = BATON_SDK_MINOR,
    .view_type = bh_view_type,
    .view_string = view_string,
    .view_int = view_int,
    .view_bool = view_bool,
    .view_date = view_date,
    .view_money = view_money,
    .view_count = view_count,
    .view_key = view_key,
    .result_finding = bh_result_finding,
    .result_line_item = bh_result_line_item,
    .result_string = bh_result_string,
    .result_int = bh_result_int,
    .result_date = bh_result_date,
    .result_money = bh_result_money,
    .result_view = bh_result_view,
    .letter_block = bh_letter_block_add,
    .letter_set = bh_letter_set,
    .log = plugin_log,
    .last_error = bh_reason_last,
};

const baton_host_api *bh_host_api(void)
{
    return &api;
}
