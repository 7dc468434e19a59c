/*
 * ygc_placement.h - a handed-off case as the YGC placement records: record
 * 01 (New Account: the creditor, the amounts, the dates, the ids) and
 * record 02 (the primary debtor), for a law firm whose collection system
 * takes placements in the YGC interchange.
 *
 * Owns: which case member goes into which field and how (docs/ygc.md,
 * "Export"). A value that does not fit its field is refused with the
 * field, its size and the value's, never cut; where a layout has an
 * overflow or long form (CRED_NAME2, ORIG_CRED2, D1_STREET_LONG) it is
 * used. Does not own: the fixed-width syntax (libbaton's baton/ygc.h),
 * where the case comes from (the handoff store).
 */
#ifndef BH_YGC_PLACEMENT_H
#define BH_YGC_PLACEMENT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

typedef struct bh_ygc_placement {
    const char *file_number;  /* FILENO: the handoff's sequence number */
    const char *agency_id;    /* FORW_ID: the placing tenant */
    const char *firm_id;      /* FIRM_ID: the firm it went to */
    int32_t year, month, day; /* DATE_FORW: the day of the handoff */
} bh_ygc_placement;

/*
 * Writes records 01 and 02 for case_obj (a case that passed case
 * validation) into *text (two CRLF-terminated lines, NUL-terminated; the
 * caller frees with free). Returns 0, BATON_ERANGE or BATON_EINVAL with
 * "FIELD: why" in err, or BATON_ENOMEM.
 */
int bh_ygc_placement_records(const cJSON *case_obj, const bh_ygc_placement *p, char **text,
                             size_t *len, char *err, size_t errlen);

#endif
