/*
 * golden.h - golden cases for `baton plugin check --expect DIR`: where they
 * are, what of an answer is compared, and writing expected answers.
 *
 * Layout (docs/writing-a-plugin.md, "Golden cases"): DIR/NAME/case.json is
 * a case, DIR/NAME/expected.json the answer it must get (json_diff.h says
 * how they are compared). DIR itself may be one such folder. case.json must
 * fix its date with "as_of": a golden answer cannot depend on the day it
 * runs.
 *
 * What is never compared, because it changes with every build or with how
 * the plugin is run, not with what it decides: each plugins[] entry's
 * "sha256", "sdk" and "mode". And the findings and costs of other plugins
 * (those loaded with --with) are left out of the answer, so a golden case
 * pins the plugin under test; their facts and the totals stay.
 *
 * Owns the files and that normalisation; running the plugin is
 * cmd_plugin.c's.
 */
#ifndef BATON_GOLDEN_H
#define BATON_GOLDEN_H

#include <limits.h>
#include <stddef.h>

#include <cjson/cJSON.h>

typedef struct golden_case {
    char name[256];     /* NAME, or DIR's own name for a single case */
    char dir[PATH_MAX]; /* the case's folder */
} golden_case;

/* The golden cases under dir, sorted by name, at most max. Returns how many
 * (0 when none), or -1 with err when dir cannot be read. */
int golden_list(const char *dir, golden_case *out, size_t max, char *err, size_t errlen);

/* The case.json of a golden case, checked to carry "as_of"; NULL with err. */
cJSON *golden_read_case(const golden_case *g, char *err, size_t errlen);

/* Its expected.json; NULL with err (and *missing set when there is none). */
cJSON *golden_read_expected(const golden_case *g, int *missing, char *err, size_t errlen);

/* answer without what is never compared (see above), for plugin under
 * test `plugin`: a new tree the caller frees with cJSON_Delete. */
cJSON *golden_normalise(const cJSON *answer, const char *plugin);

/* Writes expected.json (pretty printed, ending in a newline) atomically. */
int golden_write_expected(const golden_case *g, const cJSON *answer, char *err, size_t errlen);

#endif
