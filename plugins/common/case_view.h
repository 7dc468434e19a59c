/*
 * case_view.h - reading the usual parts of a case (docs/case-format.md)
 * through the host's view, and writing money and dates as letters and
 * findings print them.
 *
 * Owns: optional reads with a default, the documents / letters_sent /
 * disputes questions every jurisdiction asks, and ISO dates. Money, rates
 * and dates in words come from the SDK's baton/plugin_text.h. Does not
 * own: what a plugin concludes from them.
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

/*
 * Writes before "[index]" after into buf (size bytes; cut short like
 * snprintf when too long): the path of a member of one element, such as
 * "documents[3].kind", without printf. An evaluation builds hundreds of
 * these; snprintf made them a fifth of its CPU time (docs/performance.md).
 */
void bpc_path_at(char *buf, size_t size, const char *before, size_t index, const char *after);

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

#endif
