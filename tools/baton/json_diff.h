/*
 * json_diff.h - compares a JSON answer with an expected one and names each
 * difference by its path, for `baton plugin check --expect`.
 *
 * The rule (docs/writing-a-plugin.md, "Golden cases"):
 *   - an object matches when every member of the expected object is in the
 *     answer and matches there; members the expected object leaves out are
 *     not compared (so an expected file pins what it states, no more);
 *   - an array matches when it has as many elements as expected and each
 *     matches the expected element at its index;
 *   - strings, numbers, booleans and null match when equal (numbers as
 *     JSON numbers: 5 and 5.0 are equal; a string "5" is not the number 5).
 * Owns the comparison only; which members are ignored before comparing is
 * golden.c's.
 */
#ifndef BATON_JSON_DIFF_H
#define BATON_JSON_DIFF_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* One difference: path ("costs[1].amount.minor", "" for the root), the
 * expected value and what the answer has there, both as compact JSON text
 * cut to a readable length; got is NULL when the answer lacks the member or
 * element, expected is NULL for an element the answer has beyond the
 * expected array. For arrays of different lengths one more difference at
 * the array's path gives both lengths ("3 elements", "2 elements"). */
typedef void (*json_diff_fn)(void *ctx, const char *path, const char *expected, const char *got);

/* Calls report once per difference, in document order; returns how many
 * there were. */
size_t json_diff(const cJSON *expected, const cJSON *got, json_diff_fn report, void *ctx);

#endif
