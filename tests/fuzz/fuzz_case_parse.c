/*
 * fuzz_case_parse.c - libFuzzer target over the evaluate path's one-pass
 * parser (json_index_parse.h), as any JSON text and with the case rules
 * checked as it reads (bh_jindex_parse_case), against the cJSON route it
 * stands in for.
 *
 * The input is a request body. Whenever the fast route takes it, the
 * cJSON route must take it too and build the same index, both as any JSON
 * text and as a case (jindex_routes.h); a split aborts, which libFuzzer
 * reports with the input. The seed corpus (corpus/case_parse) holds
 * example cases, so mutations start from texts the fast route takes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../support/jindex_routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[600];
    for (int as_case = 0; as_case <= 1; as_case++) {
        int rc = jindex_routes((const char *)data, size, as_case, why, sizeof why);
        if (rc == ROUTES_SPLIT) {
            fprintf(stderr, "fuzz_case_parse: routes split (%s): %s\n",
                    as_case ? "as a case" : "as JSON", why);
            abort();
        }
    }
    return 0;
}
