/* host_api.c - the baton_host_api table handed to plugins (host_api.h). */
#include "host_api.h"

#include "case_view.h"
#include "letter.h"
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

static void plugin_log(baton_host *host, enum baton_log_level level, const char *msg)
{
    if (host != NULL)
        bh_host_log(host->tenant, host->plugin, level, msg);
}

static const baton_host_api api = {
    .struct_size = sizeof(baton_host_api),
    .sdk_major = BATON_SDK_MAJOR,
    .sdk_minor = BATON_SDK_MINOR,
    .view_type = bh_view_type,
    .view_string = bh_view_string,
    .view_int = bh_view_int,
    .view_bool = bh_view_bool,
    .view_date = bh_view_date,
    .view_money = bh_view_money,
    .view_count = bh_view_count,
    .view_key = bh_view_key,
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
};

const baton_host_api *bh_host_api(void)
{
    return &api;
}
