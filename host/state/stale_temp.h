/*
 * stale_temp.h - what runs of batond that ended abruptly (kill -9, a
 * crash, power loss) left in the data directory, removed at start.
 *
 * Owns the list of temporary names batond creates and the rule for when
 * they may go:
 *   DATA/plugins/.incoming-...                  plugin uploads (plugin_store.c)
 *   DATA/tenants/<id>/tmp/...                   document uploads (api_documents.c)
 *   DATA/tenants/<id>/{outbox,inbox}/.<x>.tmp-... packages being packed (package.h)
 *   DATA/tenants/<id>/cases/.<x>.baton-open...   inbox imports being extracted
 *                                               (baton_pkg_clean_stale)
 * Only the batond that holds the data directory's lock (DATA/.batond.lock,
 * flock, held for the life of the process) removes them: a second batond on
 * the same directory would otherwise delete the live uploads of the first.
 *
 * Does not own the files' contents or the store rows that may name them.
 */
#ifndef BH_STALE_TEMP_H
#define BH_STALE_TEMP_H

#include <stddef.h>

typedef struct bh_stale_report {
    unsigned removed; /* entries removed */
    int locked_out;   /* another process holds the lock: nothing was removed */
} bh_stale_report;

/*
 * Takes the data directory's lock (kept until the process ends) and removes
 * the stale temporary entries listed above. Returns 0 (also when locked
 * out, see report), or a negative BATON_E* code with detail in err when the
 * lock file cannot be opened.
 */
int bh_stale_temp_clean(const char *data_dir, bh_stale_report *report, char *err, size_t errlen);

#endif
