/*
 * placement_ledger.h - one placement's balance, status and flags as of a
 * date, computed from the placement's facts (what was handed to which firm,
 * when, for how much) and its case events (both chains, the format of
 * docs/placements.md), under the agency's agreement with the firm.
 *
 * Owns: reading event lines for what reconciliation needs, their timeline
 * order, and every figure and flag of docs/placements.md
 * ("Reconciliation"). Pure: no I/O, no clock, no store; the caller hands
 * in the lines and the date. Does not own: validating, signing or storing
 * events (the events code did that before they were stored), per-firm
 * figures (placement_oversight.h), or answering HTTP (api_placements.c).
 *
 * Money is int64 minor units of the placement's currency; every sum is
 * checked for overflow (BATON_ERANGE). The one division, the firm's fee,
 * rounds half up to the minor unit.
 */
#ifndef BH_PLACEMENT_LEDGER_H
#define BH_PLACEMENT_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "baton/date.h"
#include "counterparts.h"

/* What was placed: recorded at handoff creation. */
typedef struct bh_placement {
    char handoff_id[40];
    char firm[128]; /* the handoff's recipient */
    char case_id[128];
    baton_date placed;      /* the day of the handoff */
    int64_t placed_minor;   /* the balance handed over */
    char currency[4];       /* ISO 4217 */
    int forecast_known;     /* 0: no plugin gave an expected recovery */
    int64_t forecast_minor; /* expected recovery at placement */
} bh_placement;

enum bh_placement_status {
    BH_PLACEMENT_PLACED,
    BH_PLACEMENT_ACKNOWLEDGED,
    BH_PLACEMENT_IN_SUIT,
    BH_PLACEMENT_JUDGMENT,
    BH_PLACEMENT_ENFORCEMENT,
    BH_PLACEMENT_PAYMENT_PLAN,
    BH_PLACEMENT_ON_HOLD,
    BH_PLACEMENT_RECALLED,
    BH_PLACEMENT_RETURNED,
    BH_PLACEMENT_CLOSED,
};

/* "placed", "in_suit", ... */
const char *bh_placement_status_name(enum bh_placement_status s);

/* Recalled, returned or closed: the firm's work on the case has ended. */
int bh_placement_status_ended(enum bh_placement_status s);

enum bh_placement_flag {
    BH_FLAG_REMITTANCE_OVERDUE = 1 << 0,
    BH_FLAG_PAYMENT_NEVER_REMITTED = 1 << 1,
    BH_FLAG_COST_OVER_BUDGET = 1 << 2,
    BH_FLAG_STALLED = 1 << 3,
    BH_FLAG_JUDGMENT_WITHOUT_ENFORCEMENT = 1 << 4,
    BH_FLAG_MISSED_INSTALMENT = 1 << 5,
};
#define BH_FLAG_COUNT 6

/* The name of flag bit i (0..BH_FLAG_COUNT-1): "remittance_overdue", ... */
const char *bh_placement_flag_name(int i);

/* One event line, parsed, with what ordering and reconciliation read. */
typedef struct bh_placement_event {
    cJSON *json;          /* the whole event, owned by the list */
    const char *event_id; /* inside json */
    const char *role;     /* "firm" or "agency" */
    const char *kind;
    const char *recorded;
    const cJSON *body;
    int64_t seq;
    baton_date date;
} bh_placement_event;

typedef struct bh_placement_events {
    bh_placement_event *v; /* in timeline order */
    size_t n;
} bh_placement_events;

/*
 * Parses n event lines (lines[i] of lens[i] bytes, a trailing LF allowed)
 * and orders them into one timeline: by date, then recorded, then role
 * ("agency" before "firm"), then seq. A line that is not an event of the
 * format, or whose money is not in currency, is refused (BATON_EINVAL,
 * naming the line's index and field in err): stored events were checked
 * when stored, so this is damage, never a client's mistake. Free with
 * bh_placement_events_free.
 */
int bh_placement_events_parse(const char *const *lines, const size_t *lens, size_t n,
                              const char *currency, bh_placement_events *out, char *err,
                              size_t errlen);
void bh_placement_events_free(bh_placement_events *ev);

typedef struct bh_placement_ledger {
    enum bh_placement_status status;
    unsigned flags; /* BH_FLAG_* */
    /* money, minor units of the placement's currency */
    int64_t collected;          /* every payment_received */
    int64_t collected_by_firm;  /* paid_to "firm" */
    int64_t collected_direct;   /* paid_to "creditor" */
    int64_t costs;              /* every cost_incurred */
    int64_t costs_reimbursable; /* in a category the agreement reimburses */
    int64_t costs_recoverable;  /* marked recoverable from the debtor */
    int64_t remitted;           /* every remittance's amount */
    int64_t fees_deducted;      /* as the firm's remittances state them */
    int64_t firm_fee;           /* under the agreement */
    int64_t owed_by_firm;       /* negative: the agency owes the firm */
    int64_t adjusted;           /* every balance_adjusted */
    int64_t credit_notes;       /* balance_adjusted with reason credit_note */
    int64_t outstanding;        /* never below zero */
    int64_t credits;            /* discounts granted (docs: "share of credits") */
    /* dates */
    baton_date last_event; /* the later of the placement day and the last
                              event's date */
    int64_t days_since_last_event;
    int has_suit, has_judgment;
    int64_t days_to_suit, days_to_judgment; /* from the placement date */
    /* days from each payment to the firm to the first remittance covering
     * it (for those covered), owned; bh_placement_ledger_clear frees */
    int64_t *remittance_lags;
    size_t n_remittance_lags;
    size_t events_counted; /* events dated on or before as_of */
    size_t events_after;   /* events dated after as_of, left out */
} bh_placement_ledger;

/*
 * Computes p's ledger as of as_of from its events (timeline order) under
 * agreement a. Events dated after as_of are left out. Returns 0, or
 * BATON_ERANGE when a sum does not fit int64 (err names it), BATON_ENOMEM.
 */
int bh_placement_ledger_compute(const bh_placement *p, const bh_agreement *a,
                                const bh_placement_events *ev, baton_date as_of,
                                bh_placement_ledger *out, char *err, size_t errlen);
void bh_placement_ledger_clear(bh_placement_ledger *l);

#endif
