/*
 * baton/event.h - case events after a handoff: what the law firm reports
 * back (acknowledged, suit filed, payments, costs, remittances, closure) and
 * what the agency instructs (recall, hold, resume, instruction, balance
 * adjustments), each signed by its sender and chained to the sender's
 * previous event on the same handoff (docs/placements.md).
 *
 * An event is one line of JSON with a fixed key order and no spaces, then
 * LF:
 *
 *   {"type":"baton-event/1","event_id":"<id>","handoff_id":"<id>",
 *    "case_id":"<id>","sender":"<name>","role":"firm|agency","seq":<n>,
 *    "prev_sha256":"<hex>","tagmanifest_sha256":"<hex>","date":"YYYY-MM-DD",
 *    "recorded":"YYYY-MM-DDTHH:MM:SSZ","kind":"<kind>","body":{...}}
 *
 * signed with minisign ("ED", prehashed) by the sender and kept as EVENT and
 * EVENT.minisig, so `minisign -V -m EVENT -p sender.pub` checks it too. The
 * trusted comment is "baton-event/1 handoff=<id> seq=<n> sha256=<hex of the
 * event bytes>".
 *
 * Chains: one per sender per handoff. seq counts 1, 2, 3... in the
 * sender's chain; prev_sha256 is the SHA-256 of the exact bytes (LF
 * included) of the sender's previous event, and for seq 1 it equals
 * tagmanifest_sha256: the chain is anchored at the signed package.
 *
 * Body members, in this order per kind (? = optional, omitted when absent):
 *   firm:   acknowledged {}; letter_sent {letter?}; contact {channel, note?};
 *           dispute_raised {reason}; payment_plan_agreed {instalments};
 *           payment_received {amount, paid_to}; cost_incurred {amount,
 *           category, recoverable}; suit_filed {court, court_case_number};
 *           judgment {amount, outcome}; enforcement_started {method};
 *           remittance {amount, covers, fees_deducted}; returned {reason};
 *           closed {outcome, note?}
 *   agency: recall {reason}; hold {reason}; resume {}; instruction {text};
 *           balance_adjusted {amount, reason, note?}
 * Money is {"amount":"500.00","currency":"GBP"}: digits with an optional
 * fraction of 1..4 digits, no sign, no leading zeros; whether the fraction
 * has the currency's ISO 4217 digits, and whether the currency is the
 * placed case's, is the host's check (it knows the case). Text is 1..2000
 * bytes of UTF-8 without control characters (C0, DEL, C1); in the line
 * only '"' and '\' are escaped, each with a backslash.
 *
 * Owns: the canonical form, strict decoding (only what encode writes),
 * reading a body from a JSON object in any key order (a draft), signing,
 * verifying (signature, key, and the trusted comment against the bytes),
 * and checking one link of a chain. Does not own: which keys belong to a
 * handoff, where events are stored, or whether a placement is closed.
 *
 * Plain C99, no compiler extensions. All functions return 0 or a negative
 * BATON_E* code (baton/error.h) with detail in err (may be NULL); detail
 * about a member starts with its path ("body.instalments[2].due: ...").
 */
#ifndef BATON_EVENT_H
#define BATON_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "baton/minisign.h"
#include "baton/package.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BATON_EVENT_TAG         "baton-event/1"
#define BATON_EVENT_ID_MAX      64     /* event_id: 1..64 name characters */
#define BATON_EVENT_TEXT_MAX    2000   /* bytes of one text member */
#define BATON_EVENT_AMOUNT_MAX  24     /* characters of a money amount */
#define BATON_EVENT_INSTALMENTS 600    /* at most, in a payment plan */
#define BATON_EVENT_COVERS_MAX  1000   /* at most, in a remittance */
#define BATON_EVENT_LINE_MAX    262144 /* bytes of an event line */
#define BATON_EVENT_SEQ_MAX     1000000000000000ULL
#define BATON_EVENT_TC_MAX      300 /* bytes of the trusted comment */
#define BATON_EVENT_OPTION_MAX  15  /* characters of an enumerated member */

typedef enum baton_event_role {
    BATON_EVENT_ROLE_NONE = 0,
    BATON_EVENT_FIRM = 1,
    BATON_EVENT_AGENCY = 2
} baton_event_role;

/* The vocabulary. Values are stable; new kinds are added at the end. */
typedef enum baton_event_kind {
    BATON_EVENT_KIND_NONE = 0,
    BATON_EVENT_ACKNOWLEDGED,
    BATON_EVENT_LETTER_SENT,
    BATON_EVENT_CONTACT,
    BATON_EVENT_DISPUTE_RAISED,
    BATON_EVENT_PAYMENT_PLAN_AGREED,
    BATON_EVENT_PAYMENT_RECEIVED,
    BATON_EVENT_COST_INCURRED,
    BATON_EVENT_SUIT_FILED,
    BATON_EVENT_JUDGMENT,
    BATON_EVENT_ENFORCEMENT_STARTED,
    BATON_EVENT_REMITTANCE,
    BATON_EVENT_RETURNED,
    BATON_EVENT_CLOSED,
    BATON_EVENT_RECALL,
    BATON_EVENT_HOLD,
    BATON_EVENT_RESUME,
    BATON_EVENT_INSTRUCTION,
    BATON_EVENT_BALANCE_ADJUSTED,
    BATON_EVENT_KIND_COUNT
} baton_event_kind;

typedef struct baton_event_money {
    char amount[BATON_EVENT_AMOUNT_MAX + 1]; /* "500.00"; "" when absent */
    char currency[4];                        /* ISO 4217 code */
} baton_event_money;

typedef struct baton_event_instalment {
    char due[11]; /* YYYY-MM-DD */
    baton_event_money amount;
} baton_event_instalment;

/*
 * One event. Initialise with baton_event_init and release with
 * baton_event_clear: the text members, instalments and covers are owned by
 * the event (malloc'd; NULL when absent). Which body members a kind uses is
 * listed at the top of this header; the others stay empty.
 */
typedef struct baton_event {
    char event_id[BATON_EVENT_ID_MAX + 1];
    char handoff_id[BATON_PKG_NAME_MAX + 1];
    char case_id[BATON_PKG_NAME_MAX + 1];
    char sender[BATON_PKG_NAME_MAX + 1];
    baton_event_role role;
    uint64_t seq; /* 1.. within the sender's chain */
    uint8_t prev_sha256[32];
    uint8_t tagmanifest_sha256[32];
    char date[11];    /* YYYY-MM-DD: when it happened */
    int64_t recorded; /* Unix seconds, UTC: when the sender signed it */
    baton_event_kind kind;
    /* body */
    baton_event_money amount;        /* payment_received, cost_incurred, judgment,
                                        remittance, balance_adjusted */
    baton_event_money fees_deducted; /* remittance */
    /* The kind's one enumerated member: contact's channel, paid_to,
     * category, judgment's and closed's outcome, balance_adjusted's reason. */
    char option[BATON_EVENT_OPTION_MAX + 1];
    int recoverable; /* cost_incurred: 1 true, 0 false */
    char *letter, *note, *reason, *court, *court_case_number, *method, *text;
    baton_event_instalment *instalments;
    size_t n_instalments;
    char **covers; /* event ids of the payments a remittance covers */
    size_t n_covers;
} baton_event;

void baton_event_init(baton_event *ev);
/* Frees what ev owns and initialises it again. */
void baton_event_clear(baton_event *ev);

/* "acknowledged", ...; NULL for a value outside the vocabulary. */
const char *baton_event_kind_name(baton_event_kind kind);
/* The kind called name, or BATON_EVENT_KIND_NONE. */
baton_event_kind baton_event_kind_parse(const char *name);
/* Who may send a kind (BATON_EVENT_ROLE_NONE outside the vocabulary). */
baton_event_role baton_event_kind_role(baton_event_kind kind);
/* "firm", "agency"; NULL otherwise. */
const char *baton_event_role_name(baton_event_role role);

/*
 * Sets ev's kind (by name) and body from a JSON object text in any key
 * order (a draft as a client writes it): every member the kind lists,
 * optional ones may be absent, nothing else, no member twice, each of its
 * type and rules. BATON_EINVAL with the path in err otherwise. Whatever
 * body ev had is released first.
 */
int baton_event_set_body(baton_event *ev, const char *kind, const char *body_json, size_t len,
                         char *err, size_t errlen);

/* Checks ev and writes its canonical line (LF-terminated). Caller frees
 * *out with free(). */
int baton_event_encode(const baton_event *ev, char **out, size_t *outlen, char *err, size_t errlen);

/* Strict parse of exactly what encode writes (at most BATON_EVENT_LINE_MAX
 * bytes). ev is cleared first; on failure it is left empty. */
int baton_event_decode(const char *text, size_t len, baton_event *ev, char *err, size_t errlen);

/* The trusted comment of the event line text[0..len) about ev. */
int baton_event_trusted_comment(const baton_event *ev, const char *text, size_t len,
                                char out[BATON_EVENT_TC_MAX], char *err, size_t errlen);

/* Encodes ev and signs the line with sk. Caller frees *line and *minisig
 * with free(). */
int baton_event_sign(const baton_minisign_seckey *sk, const baton_event *ev, char **line,
                     size_t *linelen, char **minisig, size_t *siglen, char *err, size_t errlen);

/*
 * Verifies an event line and its .minisig with pub and decodes it into ev.
 * Returns BATON_EINVAL when the line or the signature text is malformed,
 * BATON_EDENIED when the signature is by another key than pub, and
 * BATON_ECRYPTO when the signature does not verify or its trusted comment
 * does not describe these bytes (tampered).
 */
int baton_event_verify(const baton_minisign_pubkey *pub, const char *line, size_t linelen,
                       const char *minisig, size_t siglen, baton_event *ev, char *err,
                       size_t errlen);

/*
 * Checks one link: ev follows prev (the exact line of the sender's previous
 * event on the handoff, prevlen bytes), or, when prev is NULL, ev is the
 * first (seq 1, prev_sha256 = tagmanifest_sha256). The previous event must
 * be by the same sender and role on the same handoff, case and package.
 * BATON_EINVAL with why in err when it does not chain.
 */
int baton_event_chain_check(const baton_event *ev, const char *prev, size_t prevlen, char *err,
                            size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
