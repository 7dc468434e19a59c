/*
 * ygc_events.h - what a law firm's YGC records mean as case events.
 *
 * A firm's collection system reports back in YGC records 39 (notes), 30
 * (financial transactions), 41 (suit and judgment) and 43 (payment plan).
 * This module reads such a file (baton/ygc.h) and turns each line into the
 * event drafts of the baton-event/1 vocabulary (docs/placements.md) that
 * `POST /v1/inbox/{id}/events` takes: {"event_id","kind","date","body"}.
 * The mapping, field by field with its sources, is docs/ygc.md.
 *
 * Event ids are derived from the event itself (kind, date, body), so the
 * same fact reported twice (the suit repeated on the judgment's record 41,
 * a file posted again) gets the same id and the event rules answer it as a
 * repeat instead of storing it twice.
 *
 * Owns: checking that each line belongs to the placement (FILENO,
 * FORW_FILE, FIRM_ID, FORW_ID), the mapping, and naming every line that
 * cannot be mapped with its field. Does not own: the fixed-width syntax
 * (libbaton), signing, chaining or storing events (the events module).
 */
#ifndef BH_YGC_EVENTS_H
#define BH_YGC_EVENTS_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* The placement a file is imported into, as record 01 named it. */
typedef struct bh_ygc_placement_ids {
    const char *case_id;     /* FORW_FILE */
    const char *file_number; /* FILENO: the handoff's sequence number */
    const char *agency_id;   /* FORW_ID */
    const char *firm_id;     /* FIRM_ID */
    const char *currency;    /* the placed case's currency */
} bh_ygc_placement_ids;

/* Record 41 does not say how a judgment was obtained; the caller does. */
typedef enum bh_ygc_judgment {
    BH_YGC_JUDGMENT_UNSAID = 0,
    BH_YGC_JUDGMENT_DEFAULT,
    BH_YGC_JUDGMENT_CONTESTED
} bh_ygc_judgment;

/*
 * Reads a firm's YGC file and maps every line. *out is
 *   {"lines":[{"line":1,"record":"39","events":[DRAFT,...]},
 *             {"line":2,"record":"12","errors":[{"field":"RECORD_CODE",
 *                                                "message":"..."}]}, ...],
 *    "events":N, "problems":M}
 * with one entry per line, in file order (M lines have errors). Returns 0
 * (problems or not), or BATON_ELIMIT / BATON_ENOMEM with err.
 */
int bh_ygc_events_from_file(const char *data, size_t len, const bh_ygc_placement_ids *ids,
                            bh_ygc_judgment judgment, cJSON **out, char *err, size_t errlen);

#endif
