/*
 * case_view.h - reading the usual parts of a case (docs/case-format.md)
 * through the host's view, and writing money and dates as letters and
 * findings print them.
 *
 * Owns: optional reads with a default, the documents / letters_sent /
 * disputes questions every jurisdiction asks, and formatting of amounts
 * ("$1,234.56", "€ 1.234,56") and ISO dates. Does not own: what a plugin
 * concludes from them.
 *
 * Not SDK ABI: compiled into each in-tree plugin (see dated_table.h).
 */
#ifndef BATON_PLUGIN_COMMON_CASE_VIEW_H
#define BATON_PLUGIN_COMMON_CASE_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "baton/plugin.h"

/* The string at path, or dflt when absent or not a string. Valid until the
 * plugin call returns. */
const char *bpc_str(const baton_host_api *api, const baton_view *v, const char *path,
                    const char *dflt);
/* The boolean at path (0 or 1), or dflt. */
int bpc_bool(const baton_host_api *api, const baton_view *v, const char *path, int dflt);
/* The integer at path, or dflt. */
int64_t bpc_int(const baton_host_api *api, const baton_view *v, const char *path, int64_t dflt);

/* How many documents[] have this kind. */
int bpc_count_documents(const baton_host_api *api, const baton_view *v, const char *kind);
/*
 * Disputes not answered: disputes[] entries with answered false; without a
 * disputes array, dispute documents minus dispute_answer documents.
 */
int bpc_unanswered_disputes(const baton_host_api *api, const baton_view *v);
/*
 * The latest dated letters_sent[] entry of kind: 1 and *date (and *method,
 * "post" by default, when method is not NULL), or 0 when there is none.
 */
int bpc_latest_letter(const baton_host_api *api, const baton_view *v, const char *kind,
                      baton_date *date, const char **method);

/* "YYYY-MM-DD" into buf (at least 11 bytes). */
void bpc_iso_date(baton_date d, char *buf);
/*
 * cents as "<prefix><grouped units><decimal><2 digits>", units grouped by
 * three with group: bpc_money_text(123456, "$", ',', '.') is "$1,234.56",
 * bpc_money_text(123456, "€ ", '.', ',') is "€ 1.234,56". A negative
 * amount gets a leading "-".
 */
void bpc_money_text(int64_t cents, const char *prefix, char group, char decimal, char *buf,
                    size_t len);

#endif
