/*
 * json_text.h - compact JSON text of a cJSON tree, for API answers.
 *
 * The same text cJSON_PrintUnformatted writes, produced faster: one growing
 * buffer, integers formatted without printf and without cJSON's
 * print-then-scan round trip (answers are mostly integers: amounts in minor
 * units, counts, days). Other numbers take cJSON's own route (%1.15g, or
 * %1.17g when that does not read back within one DBL_EPSILON); NaN and
 * infinities are written as null, as cJSON does.
 *
 * Owns: serialisation only. Does not own: the tree (borrowed, unchanged).
 */
#ifndef BH_JSON_TEXT_H
#define BH_JSON_TEXT_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Writes json as compact text. On success returns a malloc'd NUL-terminated
 * buffer the caller frees, and its length in *len; NULL when out of memory. */
char *bh_json_text(const cJSON *json, size_t *len);

#endif
