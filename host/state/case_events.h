/*
 * case_events.h - the signed events of a placed case as one tenant handles
 * them (docs/placements.md): the handoff as this tenant sees it (parties,
 * keys, package, currency), posting a draft (checked, signed with the
 * tenant's own key, stored with its audit record and the outbox record
 * that carries it to the other party on this host, in one transaction,
 * then delivered), receiving a signed event from the other party (an
 * import, or that delivery: the same checks either way), and listing.
 *
 * Owns the refusal codes and their order: 400/422 event_invalid, 403
 * event_foreign_signer, 422 event_signature_invalid, 409 event_replayed,
 * 409 event_not_chained, 409 event_id_conflict, 409 placement_closed, 409
 * too_many_events. Does not own the format (baton/event.h), the rows
 * (store.h) or the HTTP side (api_events.c).
 *
 * Blocking (disk, signatures): thread pool, startup or tests only. Answers
 * are cJSON objects (caller frees); failures fill bh_handoff_error.
 */
#ifndef BH_CASE_EVENTS_H
#define BH_CASE_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "baton/event.h"
#include "baton/minisign.h"
#include "handoff.h"
#include "tenant_state.h"

/* Events per handoff (both chains together) a tenant keeps at most. */
#define BH_EVENTS_PER_HANDOFF 10000

/* A handoff as the tenant handling its events sees it. */
typedef struct bh_event_handoff {
    char handoff_id[40]; /* the agency's handoff id: events name it */
    char case_id[BATON_PKG_NAME_MAX + 1];
    uint8_t tagmanifest_sha256[32];
    char currency[4];      /* of the placed case; "" when not recorded */
    baton_event_role self; /* this tenant's side */
    char agency[BATON_PKG_NAME_MAX + 1];
    char firm[BATON_PKG_NAME_MAX + 1];
    baton_minisign_pubkey agency_pub, firm_pub;
    char counterpart[130]; /* the other party's tenant id on this host; "" when external */
    char inbox_id[40];     /* the firm's inbox item; "" on the agency's side */
} bh_event_handoff;

/* The agency's handoff handoff_id: 404 unknown_handoff, 409
 * handoff_rejected (the firm refused the package: no placement). */
int bh_event_handoff_agency(bh_tenant_state *agency, const char *handoff_id, bh_event_handoff *out,
                            bh_handoff_error *e);

/*
 * The firm's accepted inbox item item_id, whose sender is agency (the
 * tenant on this host the item came from; NULL when it did not come from
 * one): 404 unknown_inbox_item, 409 not_accepted, 409 sender_not_on_host.
 */
int bh_event_handoff_firm(bh_tenant_state *firm, const char *item_id, bh_tenant_state *agency,
                          bh_event_handoff *out, bh_handoff_error *e);

/* What a client (or an importer such as the YGC reader) asks to record. */
typedef struct bh_event_draft {
    const char *event_id;
    const char *kind;
    const char *date; /* YYYY-MM-DD */
    const char *body; /* JSON object text */
    size_t body_len;
} bh_event_draft;

/*
 * Records a draft by self (h->self is its role): checks it, signs it with
 * self's minisign key as the next event of self's chain on h, and commits
 * it with its audit record ("event.sent") and, when the other party is a
 * tenant on this host, the outbox record that delivers it, then delivers
 * (to counterpart; NULL leaves it for the next start). A repeat of an
 * event_id with the same kind, date and body answers the stored event with
 * "repeat": true. *answer: {"repeat", "pos", "sha256", "event" (the
 * parsed line), "line", "minisig"}.
 */
int bh_event_post(bh_tenant_state *self, const bh_event_handoff *h, const bh_event_draft *d,
                  bh_tenant_state *counterpart, cJSON **answer, bh_handoff_error *e);

/*
 * Records an event signed by the other party of h after the checks in the
 * order above, committed with an audit record named audit_action
 * ("event.imported", "event.received"). A byte-identical repeat answers
 * the stored event with "repeat": true. Same answer as bh_event_post.
 */
int bh_event_receive(bh_tenant_state *self, const bh_event_handoff *h, const char *line,
                     size_t linelen, const char *minisig, size_t siglen, const char *audit_action,
                     cJSON **answer, bh_handoff_error *e);

/*
 * Both chains of h as self stores them, in order of arrival after pos
 * since, at most limit (1..1000): {"handoff_id", "events": [{"pos",
 * "role", "sender", "seq", "event_id", "kind", "date", "stored", "event",
 * "line", "minisig"}], "next_since"}.
 */
int bh_event_list(bh_tenant_state *self, const bh_event_handoff *h, int64_t since, int64_t limit,
                  cJSON **answer, bh_handoff_error *e);

/*
 * The delivery of an "event" outbox record (handoff_deliver.c): the event
 * from sent on handoff_id, received by to with bh_event_receive. 0 also
 * when to has it already. Detail in err otherwise.
 */
int bh_event_deliver(bh_tenant_state *from, bh_tenant_state *to, const char *handoff_id,
                     const char *line, const char *minisig, char *err, size_t errlen);

#endif
