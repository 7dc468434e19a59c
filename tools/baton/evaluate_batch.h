/*
 * evaluate_batch.h - "baton evaluate --batch": many cases offline, NDJSON
 * in and out, in the format of POST /v1/cases/evaluate/batch
 * (docs/batch.md).
 */
#ifndef BATON_EVALUATE_BATCH_H
#define BATON_EVALUATE_BATCH_H

#include "cli_plugins.h"

/*
 * Evaluates every line of input ("-" = stdin) with the plugins pl chooses
 * (per case's jurisdiction when pl names none), writing answer lines and
 * the summary to output ("-" = stdout), and a progress line on stderr when
 * stderr is a terminal. as_of, when not NULL, replaces each case's as_of.
 * Returns the exit status: 0 every case answered, 1 some line failed or
 * the input or output failed.
 */
int evaluate_batch(const cli_plugins *pl, const char *input, const char *output, const char *as_of);

#endif
