/*
 * case_events.c - posting, receiving and listing the signed events of a
 * placed case for one tenant (case_events.h). The format and signatures
 * are libbaton's (baton/event.h), the rows the store's (store_events.c),
 * the delivery to the other tenant handoff_deliver.c's.
 */
#include "case_events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "audit_log.h"
#include "baton/error.h"
#include "baton/receipt.h"
#include "baton/sha256.h"
#include "handoff_answer.h"
#include "handoff_deliver.h"
#include "json_input.h"
#include "log.h"
#include "money_text.h"

static int hex_to_32(const char *hex, uint8_t out[32])
{
    size_t n = 0;
    if (strlen(hex) != 64 || sodium_hex2bin(out, 32, hex, 64, NULL, &n, NULL) != 0 || n != 32)
        return -1;
    return 0;
}

/* ---- the handoff as each side sees it -------------------------------------- */

int bh_event_handoff_agency(bh_tenant_state *agency, const char *handoff_id, bh_event_handoff *out,
                            bh_handoff_error *e)
{
    char err[512];
    bh_handoff h;
    memset(out, 0, sizeof *out);
    int rc = bh_store_handoff_get(agency->store, handoff_id, &h, err, sizeof err);
    if (rc != 0)
        return bh_handoff_lookup_failed(e, rc, "unknown_handoff", err);
    if (strcmp(h.status, "rejected") == 0)
        return bh_handoff_fail(e, 409, "handoff_rejected", BATON_EDENIED,
                               "handoff %s was rejected by %s: there is no placement to report on",
                               handoff_id, h.recipient);
    int external = strncmp(h.recipient, "external:", 9) == 0;
    /* A tenant firm's events start once it accepted (its receipt is here);
     * an external firm's receipt may never be posted back. */
    if (!external && strcmp(h.status, "accepted") != 0)
        return bh_handoff_fail(
            e, 409, "handoff_not_accepted", BATON_EDENIED,
            "handoff %s is %s: its events start once %s has accepted the package", handoff_id,
            h.status, h.recipient);
    snprintf(out->handoff_id, sizeof out->handoff_id, "%s", h.id);
    snprintf(out->case_id, sizeof out->case_id, "%s", h.case_id);
    snprintf(out->agency, sizeof out->agency, "%s", agency->id);
    snprintf(out->firm, sizeof out->firm, "%s", external ? h.recipient + 9 : h.recipient);
    snprintf(out->counterpart, sizeof out->counterpart, "%s", external ? "" : h.recipient);
    out->self = BATON_EVENT_AGENCY;
    out->agency_pub = agency->keys->sign_pub;
    if (baton_minisign_pubkey_decode(h.recipient_sign_pub, strlen(h.recipient_sign_pub),
                                     &out->firm_pub, err, sizeof err) != 0 ||
        hex_to_32(h.tagmanifest_sha256, out->tagmanifest_sha256) != 0)
        return bh_handoff_internal(e, "reading the handoff",
                                   "its stored key or digest is malformed");
    /* The placement recorded with the handoff has the case's currency. */
    bh_placement_record pl;
    rc = bh_store_placement_get(agency->store, handoff_id, &pl, err, sizeof err);
    if (rc == 0)
        memcpy(out->currency, pl.currency, sizeof out->currency);
    else if (rc != BATON_ENOENT)
        return bh_handoff_internal(e, "the store", err);
    return 0;
}

/* The currency of the claim's principal in a case JSON text ("" when
 * absent). */
static void case_currency(const char *case_json, char out[4])
{
    bh_json_error je;
    out[0] = '\0';
    cJSON *c = bh_json_parse(case_json, strlen(case_json), &je);
    const cJSON *claim = cJSON_GetObjectItemCaseSensitive(c, "claim");
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(claim, "principal");
    const cJSON *cur = cJSON_GetObjectItemCaseSensitive(p, "currency");
    if (cJSON_IsString(cur) && strlen(cur->valuestring) == 3)
        memcpy(out, cur->valuestring, 4);
    cJSON_Delete(c);
}

int bh_event_handoff_firm(bh_tenant_state *firm, const char *item_id, bh_tenant_state *agency,
                          bh_event_handoff *out, bh_handoff_error *e)
{
    char err[512];
    bh_inbox_item it;
    char *blob = NULL, *case_json = NULL;
    baton_receipt r;
    memset(out, 0, sizeof *out);
    int rc = bh_store_inbox_get(firm->store, item_id, &it, err, sizeof err);
    if (rc != 0)
        return bh_handoff_lookup_failed(e, rc, "unknown_inbox_item", err);
    if (strcmp(it.status, "accepted") != 0)
        return bh_handoff_fail(e, 409, "not_accepted", BATON_EDENIED,
                               "inbox item %s is %s: events are reported on accepted packages",
                               item_id, it.status);
    if (agency == NULL || it.handoff_id[0] == '\0' || strcmp(agency->id, it.sender) != 0)
        return bh_handoff_fail(e, 409, "sender_not_on_host", BATON_EUNSUPP,
                               "inbox item %s came from %s, which is not a tenant on this host: "
                               "events go back only to an agency on this host",
                               item_id, it.sender);
    rc = bh_store_inbox_receipt(firm->store, item_id, &blob, err, sizeof err);
    if (rc == 0)
        rc = bh_store_inbox_case(firm->store, item_id, &case_json, err, sizeof err);
    if (rc != 0) {
        free(blob);
        return bh_handoff_internal(e, "reading the inbox item", err);
    }
    cJSON *stored = cJSON_Parse(blob);
    const cJSON *json = cJSON_GetObjectItemCaseSensitive(stored, "receipt");
    rc = cJSON_IsString(json) ? baton_receipt_decode(json->valuestring, strlen(json->valuestring),
                                                     &r, err, sizeof err)
                              : BATON_EINVAL;
    cJSON_Delete(stored);
    free(blob);
    if (rc != 0 || !r.have_tagmanifest) {
        free(case_json);
        return bh_handoff_internal(e, "reading the inbox item's receipt", "malformed receipt");
    }
    snprintf(out->handoff_id, sizeof out->handoff_id, "%s", it.handoff_id);
    snprintf(out->case_id, sizeof out->case_id, "%s", r.case_id);
    memcpy(out->tagmanifest_sha256, r.tagmanifest_sha256, 32);
    case_currency(case_json, out->currency);
    free(case_json);
    snprintf(out->agency, sizeof out->agency, "%s", agency->id);
    snprintf(out->firm, sizeof out->firm, "%s", firm->id);
    snprintf(out->counterpart, sizeof out->counterpart, "%s", agency->id);
    snprintf(out->inbox_id, sizeof out->inbox_id, "%s", item_id);
    out->self = BATON_EVENT_FIRM;
    out->agency_pub = agency->keys->sign_pub;
    out->firm_pub = firm->keys->sign_pub;
    return 0;
}

/* ---- rules the host adds to the format ---------------------------------------- */

/*
 * Money must be in the placed case's currency (any code Baton knows when
 * the handoff predates recording it), written with exactly the currency's
 * ISO 4217 digits ("500.00"). A draft's amounts are rewritten to that form
 * (normalize); a signed event's must already have it.
 */
static int money_rule(baton_event_money *m, const char *path, const char *currency, int normalize,
                      bh_handoff_error *e)
{
    char why[200], canon[48];
    baton_money v;
    if (currency[0] != '\0' && strcmp(m->currency, currency) != 0)
        return bh_handoff_fail(e, 422, "event_invalid", BATON_EINVAL,
                               "%s.currency: %s, but the placed case is in %s", path, m->currency,
                               currency);
    if (bh_money_parse(m->amount, m->currency, &v, why, sizeof why) != 0)
        return bh_handoff_fail(e, 422, "event_invalid", BATON_EINVAL, "%s.amount: %s", path, why);
    if (bh_money_format(v, canon, sizeof canon) != 0 || strlen(canon) > BATON_EVENT_AMOUNT_MAX)
        return bh_handoff_fail(e, 422, "event_invalid", BATON_EINVAL, "%s.amount: too large", path);
    if (strcmp(canon, m->amount) != 0) {
        if (!normalize)
            return bh_handoff_fail(e, 422, "event_invalid", BATON_EINVAL,
                                   "%s.amount: '%s' is not written with the %d decimals of %s "
                                   "(expected '%s')",
                                   path, m->amount, bh_currency_exponent(m->currency), m->currency,
                                   canon);
        snprintf(m->amount, sizeof m->amount, "%s", canon);
    }
    return 0;
}

static int money_rules(baton_event *ev, const char *currency, int normalize, bh_handoff_error *e)
{
    int rc = 0;
    if (ev->amount.amount[0] != '\0')
        rc = money_rule(&ev->amount, "body.amount", currency, normalize, e);
    if (rc == 0 && ev->fees_deducted.amount[0] != '\0')
        rc = money_rule(&ev->fees_deducted, "body.fees_deducted", currency, normalize, e);
    for (size_t i = 0; rc == 0 && i < ev->n_instalments; i++) {
        char path[64];
        snprintf(path, sizeof path, "body.instalments[%zu].amount", i);
        rc = money_rule(&ev->instalments[i].amount, path, currency, normalize, e);
    }
    return rc;
}

/* Money can still move after a placement closed. */
static int moves_money(baton_event_kind k)
{
    return k == BATON_EVENT_REMITTANCE || k == BATON_EVENT_PAYMENT_RECEIVED ||
           k == BATON_EVENT_COST_INCURRED;
}

/* Whether the first event of role and kind after pos after exists (its
 * pos in *pos); -1 with e filled on a store failure. */
static int find(bh_tenant_state *self, const bh_event_handoff *h, const char *role,
                const char *kind, int64_t after, int64_t *pos, bh_handoff_error *e)
{
    char err[512];
    int rc =
        bh_store_event_find(self->store, h->handoff_id, role, kind, after, pos, err, sizeof err);
    if (rc == 0 || rc == BATON_ENOENT)
        return rc == 0;
    bh_handoff_internal(e, "reading the events", err);
    return -1;
}

/*
 * The closure and size limits, checked inside the transaction: closed once
 * the firm sent closed or returned, or acknowledged (an acknowledged event
 * stored after it) the agency's first recall.
 */
static int placement_open(bh_tenant_state *self, const bh_event_handoff *h, baton_event_kind kind,
                          bh_handoff_error *e)
{
    char err[512];
    int64_t pos, recall = 0, count = 0;
    int closed = find(self, h, "firm", "closed", 0, &pos, e);
    if (closed == 0)
        closed = find(self, h, "firm", "returned", 0, &pos, e);
    int recalled = closed == 0 ? find(self, h, "agency", "recall", 0, &recall, e) : 0;
    if (recalled == 1)
        closed = find(self, h, "firm", "acknowledged", recall, &pos, e);
    if (closed < 0 || recalled < 0)
        return BATON_EIO;
    if (closed && !moves_money(kind))
        return bh_handoff_fail(e, 409, "placement_closed", BATON_EDENIED,
                               "placement %s is %s: only remittance, payment_received and "
                               "cost_incurred events are still taken",
                               h->handoff_id, recalled == 1 ? "recalled" : "closed");
    int rc = bh_store_event_count(self->store, h->handoff_id, &count, err, sizeof err);
    if (rc != 0)
        return bh_handoff_internal(e, "reading the events", err);
    if (count >= BH_EVENTS_PER_HANDOFF)
        return bh_handoff_fail(e, 409, "too_many_events", BATON_ELIMIT,
                               "handoff %s has %d events, the most one placement keeps",
                               h->handoff_id, BH_EVENTS_PER_HANDOFF);
    return 0;
}

/* ---- answers ------------------------------------------------------------------ */

static cJSON *event_answer(int repeat, int64_t pos, const char *line, const char *minisig)
{
    uint8_t d[32];
    char hex[65];
    bh_jobj j;
    baton_sha256_buffer(line, strlen(line), d);
    baton_sha256_hex(d, hex);
    bh_jobj_init(&j);
    bh_jobj_bool(&j, "repeat", repeat);
    bh_jobj_num(&j, "pos", (double)pos);
    bh_jobj_str(&j, "sha256", hex);
    bh_jobj_item(&j, "event", cJSON_Parse(line));
    bh_jobj_str(&j, "line", line);
    bh_jobj_str(&j, "minisig", minisig);
    return bh_jobj_done(&j);
}

static int answer_with(cJSON **answer, int repeat, int64_t pos, const char *line,
                       const char *minisig, bh_handoff_error *e)
{
    if ((*answer = event_answer(repeat, pos, line, minisig)) == NULL)
        return bh_handoff_no_memory(e);
    return 0;
}

static char *audit_detail(const baton_event *ev, const char *from)
{
    bh_jobj j;
    bh_jobj_init(&j);
    bh_jobj_str(&j, "event_id", ev->event_id);
    bh_jobj_str(&j, "kind", baton_event_kind_name(ev->kind));
    bh_jobj_str(&j, "role", baton_event_role_name(ev->role));
    bh_jobj_num(&j, "seq", (double)ev->seq);
    if (from != NULL)
        bh_jobj_str(&j, "from", from);
    return bh_jobj_text(&j);
}

static void fill_row(bh_stored_event *row, const baton_event *ev, char *line, char *minisig)
{
    memset(row, 0, sizeof *row);
    snprintf(row->handoff_id, sizeof row->handoff_id, "%s", ev->handoff_id);
    snprintf(row->role, sizeof row->role, "%s", baton_event_role_name(ev->role));
    snprintf(row->sender, sizeof row->sender, "%s", ev->sender);
    row->seq = (int64_t)ev->seq;
    snprintf(row->event_id, sizeof row->event_id, "%s", ev->event_id);
    snprintf(row->kind, sizeof row->kind, "%s", baton_event_kind_name(ev->kind));
    snprintf(row->date, sizeof row->date, "%s", ev->date);
    row->line = line;
    row->minisig = minisig;
}

/* Now, or $BATON_NOW (YYYY-MM-DDTHH:MM:SSZ) when set, as the CLI does. */
static int64_t now_utc(void)
{
    const char *s = getenv("BATON_NOW");
    int64_t t;
    if (s != NULL && s[0] != '\0' && baton_pkg_time_parse(s, strlen(s), &t) == 0)
        return t;
    return (int64_t)time(NULL);
}

/* ---- posting a draft --------------------------------------------------------------- */

/* Fills ev from the draft and h (everything but seq and prev_sha256). */
static int draft_event(const bh_event_handoff *h, const bh_event_draft *d, baton_event *ev,
                       bh_handoff_error *e)
{
    char err[512];
    baton_event_init(ev);
    if (d->event_id == NULL || strlen(d->event_id) > BATON_EVENT_ID_MAX ||
        !baton_pkg_name_valid(d->event_id))
        return bh_handoff_fail(e, 422, "event_invalid", BATON_EINVAL,
                               "event_id: expected 1..64 characters of [A-Za-z0-9._:/@+-], "
                               "starting with a letter or digit");
    snprintf(ev->event_id, sizeof ev->event_id, "%s", d->event_id);
    snprintf(ev->handoff_id, sizeof ev->handoff_id, "%s", h->handoff_id);
    snprintf(ev->case_id, sizeof ev->case_id, "%s", h->case_id);
    snprintf(ev->sender, sizeof ev->sender, "%s",
             h->self == BATON_EVENT_FIRM ? h->firm : h->agency);
    ev->role = h->self;
    memcpy(ev->tagmanifest_sha256, h->tagmanifest_sha256, 32);
    if (d->date == NULL || strlen(d->date) >= sizeof ev->date)
        return bh_handoff_fail(e, 422, "event_invalid", BATON_EINVAL,
                               "date: expected a date YYYY-MM-DD");
    snprintf(ev->date, sizeof ev->date, "%s", d->date);
    ev->recorded = now_utc();
    if (baton_event_set_body(ev, d->kind, d->body, d->body_len, err, sizeof err) != 0)
        return bh_handoff_fail(e, 422, "event_invalid", BATON_EINVAL, "%s", err);
    if (baton_event_kind_role(ev->kind) != h->self)
        return bh_handoff_fail(e, 422, "event_invalid", BATON_EINVAL,
                               "kind: %s events are sent by the %s, not the %s", d->kind,
                               baton_event_role_name(baton_event_kind_role(ev->kind)),
                               baton_event_role_name(h->self));
    ev->seq = 1; /* for the format check only; the chain decides */
    memcpy(ev->prev_sha256, ev->tagmanifest_sha256, 32);
    char *line = NULL;
    size_t len;
    if (baton_event_encode(ev, &line, &len, err, sizeof err) != 0)
        return bh_handoff_fail(e, 422, "event_invalid", BATON_EINVAL, "%s", err);
    free(line);
    return money_rules(ev, h->currency, 1, e);
}

/*
 * A stored event with the same sender and event_id: the same kind, date
 * and body (the draft written with the stored event's seq, prev_sha256
 * and recorded gives the same bytes) is a repeat (1), anything else a
 * conflict (409).
 */
static int same_draft(const bh_stored_event *have, baton_event *ev, bh_handoff_error *e)
{
    char err[256];
    baton_event stored;
    char *line = NULL;
    size_t len = 0;
    baton_event_init(&stored);
    int same = 0;
    if (baton_event_decode(have->line, strlen(have->line), &stored, err, sizeof err) == 0) {
        uint64_t seq = ev->seq;
        int64_t rec = ev->recorded;
        uint8_t prev[32];
        memcpy(prev, ev->prev_sha256, 32);
        ev->seq = stored.seq;
        ev->recorded = stored.recorded;
        memcpy(ev->prev_sha256, stored.prev_sha256, 32);
        same = baton_event_encode(ev, &line, &len, err, sizeof err) == 0 &&
               len == strlen(have->line) && memcmp(line, have->line, len) == 0;
        ev->seq = seq;
        ev->recorded = rec;
        memcpy(ev->prev_sha256, prev, 32);
    }
    free(line);
    baton_event_clear(&stored);
    if (same)
        return 1;
    return bh_handoff_fail(e, 409, "event_id_conflict", BATON_EEXIST,
                           "event_id %s was already used by %s on handoff %s for another event "
                           "(seq %lld)",
                           have->event_id, have->sender, have->handoff_id, (long long)have->seq);
}

/* Delivers the pending event records of h to the other tenant, in order. */
static void deliver_pending(bh_tenant_state *self, const bh_event_handoff *h,
                            bh_tenant_state *counterpart)
{
    if (h->counterpart[0] != '\0')
        bh_outbox_deliver_for(self, "event", h->handoff_id, bh_resolve_one, counterpart, NULL);
}

static char *outbox_payload(const char *line, const char *minisig)
{
    bh_jobj j;
    bh_jobj_init(&j);
    bh_jobj_str(&j, "line", line);
    bh_jobj_str(&j, "minisig", minisig);
    return bh_jobj_text(&j);
}

/* Inside self's transaction: the repeat check, the chain's next link,
 * the closure rule, signing, the row, the audit and outbox records. */
static int post_locked(bh_tenant_state *self, const bh_event_handoff *h, baton_event *ev,
                       cJSON **answer, int *audit_failed, bh_handoff_error *e)
{
    char err[512];
    bh_stored_event have, row;
    char *line = NULL, *sig = NULL, *detail = NULL, *payload = NULL;
    size_t len, siglen;
    const char *role = baton_event_role_name(ev->role);
    int rc = bh_store_event_by_id(self->store, h->handoff_id, ev->sender, ev->event_id, &have, err,
                                  sizeof err);
    if (rc == 0) {
        rc = same_draft(&have, ev, e);
        if (rc == 1)
            rc = answer_with(answer, 1, have.pos, have.line, have.minisig, e);
        bh_stored_event_clear(&have);
        return rc;
    }
    if (rc != BATON_ENOENT)
        return bh_handoff_internal(e, "the store", err);
    if ((rc = placement_open(self, h, ev->kind, e)) != 0)
        return rc;
    rc = bh_store_event_last(self->store, h->handoff_id, role, &have, err, sizeof err);
    if (rc == 0) {
        ev->seq = (uint64_t)have.seq + 1;
        baton_sha256_buffer(have.line, strlen(have.line), ev->prev_sha256);
        bh_stored_event_clear(&have);
    } else if (rc == BATON_ENOENT) {
        ev->seq = 1;
        memcpy(ev->prev_sha256, ev->tagmanifest_sha256, 32);
    } else {
        return bh_handoff_internal(e, "the store", err);
    }
    rc = baton_event_sign(self->keys->sign, ev, &line, &len, &sig, &siglen, err, sizeof err);
    if (rc != 0) {
        rc = bh_handoff_internal(e, "signing the event", err);
        goto out;
    }
    detail = audit_detail(ev, NULL);
    payload = h->counterpart[0] != '\0' ? outbox_payload(line, sig) : NULL;
    if (detail == NULL || (h->counterpart[0] != '\0' && payload == NULL)) {
        rc = bh_handoff_no_memory(e);
        goto out;
    }
    fill_row(&row, ev, line, sig);
    rc = bh_store_event_add(self->store, &row, err, sizeof err);
    if (rc == 0 && payload != NULL)
        rc = bh_store_outbox_add(self->store, "event", h->counterpart, h->handoff_id, payload, NULL,
                                 err, sizeof err);
    if (rc == 0)
        *audit_failed =
            (rc = bh_audit_append(self, "event.sent", h->handoff_id, detail, err, sizeof err)) != 0;
    if (rc != 0) {
        rc = bh_handoff_commit_failed(e, *audit_failed, "recording the event", err);
        goto out;
    }
    rc = answer_with(answer, 0, row.pos, line, sig, e);
out:
    free(line);
    free(sig);
    cJSON_free(detail);
    cJSON_free(payload);
    return rc;
}

int bh_event_post(bh_tenant_state *self, const bh_event_handoff *h, const bh_event_draft *d,
                  bh_tenant_state *counterpart, cJSON **answer, bh_handoff_error *e)
{
    char err[512];
    baton_event ev;
    int audit_failed = 0;
    *answer = NULL;
    int rc = draft_event(h, d, &ev, e);
    if (rc == 0 && (rc = bh_store_begin(self->store, err, sizeof err)) != 0)
        rc = bh_handoff_internal(e, "the store", err);
    else if (rc == 0) {
        rc = post_locked(self, h, &ev, answer, &audit_failed, e);
        if (rc == 0 && (rc = bh_store_commit(self->store, err, sizeof err)) != 0)
            rc = bh_handoff_commit_failed(e, 0, "recording the event", err);
        else if (rc != 0)
            bh_store_rollback(self->store);
    }
    baton_event_clear(&ev);
    if (rc != 0) {
        cJSON_Delete(*answer);
        *answer = NULL;
        return rc;
    }
    deliver_pending(self, h, counterpart);
    return 0;
}

/* ---- receiving a signed event ----------------------------------------------------- */

/* The party whose key made sig: 0 and *role, or 403 event_foreign_signer. */
static int signer_of(const bh_event_handoff *h, const char *minisig, size_t siglen,
                     baton_event_role *role, const baton_minisign_pubkey **key, bh_handoff_error *e)
{
    char err[256];
    baton_minisign_sig *sig = malloc(sizeof *sig);
    if (sig == NULL)
        return bh_handoff_no_memory(e);
    int rc = baton_minisign_sig_parse(minisig, siglen, sig, err, sizeof err);
    if (rc != 0) {
        free(sig);
        return bh_handoff_fail(e, 422, "event_invalid", BATON_EINVAL, "minisig: %s", err);
    }
    *role = BATON_EVENT_ROLE_NONE;
    if (memcmp(sig->keynum, h->firm_pub.keynum, BATON_MINISIGN_KEYNUM_BYTES) == 0) {
        *role = BATON_EVENT_FIRM;
        *key = &h->firm_pub;
    } else if (memcmp(sig->keynum, h->agency_pub.keynum, BATON_MINISIGN_KEYNUM_BYTES) == 0) {
        *role = BATON_EVENT_AGENCY;
        *key = &h->agency_pub;
    }
    free(sig);
    if (*role == BATON_EVENT_ROLE_NONE)
        return bh_handoff_fail(e, 403, "event_foreign_signer", BATON_EDENIED,
                               "the event is signed by a key of neither party of handoff %s "
                               "(%s, %s)",
                               h->handoff_id, h->agency, h->firm);
    return 0;
}

/* Everything before the transaction: format, signer, signature, replay. */
static int check_signed(const bh_event_handoff *h, const char *line, size_t linelen,
                        const char *minisig, size_t siglen, baton_event *ev, bh_handoff_error *e)
{
    char err[512];
    baton_event_role signer;
    const baton_minisign_pubkey *key = NULL;
    int rc = baton_event_decode(line, linelen, ev, err, sizeof err);
    if (rc != 0)
        return bh_handoff_fail(e, 422, "event_invalid", BATON_EINVAL, "%s", err);
    if ((rc = money_rules(ev, h->currency, 0, e)) != 0)
        return rc;
    if ((rc = signer_of(h, minisig, siglen, &signer, &key, e)) != 0)
        return rc;
    rc = baton_event_verify(key, line, linelen, minisig, siglen, ev, err, sizeof err);
    if (rc != 0)
        return bh_handoff_fail(e, 422, "event_signature_invalid", BATON_ECRYPTO,
                               "the signature of %s does not verify: %s",
                               signer == BATON_EVENT_FIRM ? h->firm : h->agency, err);
    const char *party = signer == BATON_EVENT_FIRM ? h->firm : h->agency;
    if (ev->role != signer || strcmp(ev->sender, party) != 0)
        return bh_handoff_fail(e, 422, "event_signature_invalid", BATON_ECRYPTO,
                               "the event names %s (%s) as its sender but is signed by %s's key",
                               ev->sender, baton_event_role_name(ev->role), party);
    if (ev->role == h->self)
        return bh_handoff_fail(e, 422, "event_invalid", BATON_EINVAL,
                               "role: the %s's own events are posted as drafts, not imported",
                               baton_event_role_name(h->self));
    if (strcmp(ev->handoff_id, h->handoff_id) != 0 || strcmp(ev->case_id, h->case_id) != 0 ||
        memcmp(ev->tagmanifest_sha256, h->tagmanifest_sha256, 32) != 0)
        return bh_handoff_fail(e, 409, "event_replayed", BATON_EDENIED,
                               "the event belongs to handoff %s (case %s), not to handoff %s (case "
                               "%s) and its package",
                               ev->handoff_id, ev->case_id, h->handoff_id, h->case_id);
    return 0;
}

static int receive_locked(bh_tenant_state *self, const bh_event_handoff *h, baton_event *ev,
                          const char *line, size_t linelen, const char *minisig,
                          const char *audit_action, cJSON **answer, int *audit_failed,
                          bh_handoff_error *e)
{
    char err[512];
    bh_stored_event have, row;
    const char *role = baton_event_role_name(ev->role);
    int rc = bh_store_event_by_id(self->store, h->handoff_id, ev->sender, ev->event_id, &have, err,
                                  sizeof err);
    if (rc == 0 && strlen(have.line) == linelen && memcmp(have.line, line, linelen) == 0) {
        rc = answer_with(answer, 1, have.pos, have.line, have.minisig, e);
        bh_stored_event_clear(&have);
        return rc;
    }
    int id_taken = rc == 0;
    if (rc == 0)
        bh_stored_event_clear(&have);
    else if (rc != BATON_ENOENT)
        return bh_handoff_internal(e, "the store", err);
    rc = bh_store_event_last(self->store, h->handoff_id, role, &have, err, sizeof err);
    if (rc != 0 && rc != BATON_ENOENT)
        return bh_handoff_internal(e, "the store", err);
    int chained = baton_event_chain_check(ev, rc == 0 ? have.line : NULL,
                                          rc == 0 ? strlen(have.line) : 0, err, sizeof err);
    if (rc == 0)
        bh_stored_event_clear(&have);
    if (chained != 0)
        return bh_handoff_fail(e, 409, "event_not_chained", BATON_EINVAL, "%s", err);
    if (id_taken)
        return bh_handoff_fail(e, 409, "event_id_conflict", BATON_EEXIST,
                               "event_id %s was already used by %s on handoff %s for another event",
                               ev->event_id, ev->sender, h->handoff_id);
    if ((rc = placement_open(self, h, ev->kind, e)) != 0)
        return rc;
    char *detail = audit_detail(ev, ev->sender);
    char *line_copy = strndup(line, linelen), *sig_copy = strdup(minisig);
    if (detail == NULL || line_copy == NULL || sig_copy == NULL) {
        rc = bh_handoff_no_memory(e);
        goto out;
    }
    fill_row(&row, ev, line_copy, sig_copy);
    rc = bh_store_event_add(self->store, &row, err, sizeof err);
    if (rc == 0)
        *audit_failed =
            (rc = bh_audit_append(self, audit_action, h->handoff_id, detail, err, sizeof err)) != 0;
    if (rc != 0)
        rc = bh_handoff_commit_failed(e, *audit_failed, "recording the event", err);
    else
        rc = answer_with(answer, 0, row.pos, line_copy, sig_copy, e);
out:
    cJSON_free(detail);
    free(line_copy);
    free(sig_copy);
    return rc;
}

int bh_event_receive(bh_tenant_state *self, const bh_event_handoff *h, const char *line,
                     size_t linelen, const char *minisig, size_t siglen, const char *audit_action,
                     cJSON **answer, bh_handoff_error *e)
{
    char err[512];
    baton_event ev;
    int audit_failed = 0;
    *answer = NULL;
    baton_event_init(&ev);
    int rc = check_signed(h, line, linelen, minisig, siglen, &ev, e);
    if (rc == 0 && (rc = bh_store_begin(self->store, err, sizeof err)) != 0)
        rc = bh_handoff_internal(e, "the store", err);
    else if (rc == 0) {
        rc = receive_locked(self, h, &ev, line, linelen, minisig, audit_action, answer,
                            &audit_failed, e);
        if (rc == 0 && (rc = bh_store_commit(self->store, err, sizeof err)) != 0)
            rc = bh_handoff_commit_failed(e, 0, "recording the event", err);
        else if (rc != 0)
            bh_store_rollback(self->store);
    }
    baton_event_clear(&ev);
    if (rc != 0) {
        cJSON_Delete(*answer);
        *answer = NULL;
    }
    return rc;
}

/* ---- listing ----------------------------------------------------------------------- */

typedef struct list_ctx {
    cJSON *events;
    int64_t last;
    int failed;
} list_ctx;

static int visit_list(void *ctx, const bh_stored_event *ev)
{
    list_ctx *c = ctx;
    bh_jobj j;
    bh_jobj_init(&j);
    bh_jobj_num(&j, "pos", (double)ev->pos);
    bh_jobj_str(&j, "role", ev->role);
    bh_jobj_str(&j, "sender", ev->sender);
    bh_jobj_num(&j, "seq", (double)ev->seq);
    bh_jobj_str(&j, "event_id", ev->event_id);
    bh_jobj_str(&j, "kind", ev->kind);
    bh_jobj_str(&j, "date", ev->date);
    bh_jobj_str(&j, "stored", ev->stored);
    bh_jobj_item(&j, "event", cJSON_Parse(ev->line));
    bh_jobj_str(&j, "line", ev->line);
    bh_jobj_str(&j, "minisig", ev->minisig);
    cJSON *o = bh_jobj_done(&j);
    if (o == NULL || !cJSON_AddItemToArray(c->events, o)) {
        cJSON_Delete(o);
        c->failed = 1;
        return 1;
    }
    c->last = ev->pos;
    return 0;
}

int bh_event_list(bh_tenant_state *self, const bh_event_handoff *h, int64_t since, int64_t limit,
                  cJSON **answer, bh_handoff_error *e)
{
    char err[512];
    list_ctx c = {cJSON_CreateArray(), since, 0};
    *answer = NULL;
    if (c.events == NULL)
        return bh_handoff_no_memory(e);
    int rc = bh_store_events_list(self->store, h->handoff_id, since, limit, visit_list, &c, err,
                                  sizeof err);
    if (c.failed) {
        cJSON_Delete(c.events);
        return bh_handoff_no_memory(e);
    }
    if (rc != 0) {
        cJSON_Delete(c.events);
        return bh_handoff_internal(e, "reading the events", err);
    }
    bh_jobj j;
    bh_jobj_init(&j);
    bh_jobj_str(&j, "handoff_id", h->handoff_id);
    if (h->inbox_id[0] != '\0')
        bh_jobj_str(&j, "inbox_id", h->inbox_id);
    bh_jobj_str(&j, "case_id", h->case_id);
    bh_jobj_str(&j, "agency", h->agency);
    bh_jobj_str(&j, "firm", h->firm);
    bh_jobj_item(&j, "events", c.events);
    bh_jobj_num(&j, "next_since", (double)c.last);
    if ((*answer = bh_jobj_done(&j)) == NULL)
        return bh_handoff_no_memory(e);
    return 0;
}

/* ---- delivery between tenants on this host ------------------------------------------ */

int bh_event_deliver(bh_tenant_state *from, bh_tenant_state *to, const char *handoff_id,
                     const char *line, const char *minisig, char *err, size_t errlen)
{
    bh_event_handoff h;
    bh_handoff_error e;
    cJSON *answer = NULL;
    memset(&e, 0, sizeof e);
    int rc;
    /* The receiver sees the handoff from its own records: the agency from
     * its handoff, the firm from the inbox item the package became. */
    char item[40];
    bh_inbox_id_for(from->id, handoff_id, item);
    bh_inbox_item it;
    if (bh_store_inbox_get(to->store, item, &it, err, errlen) == 0)
        rc = bh_event_handoff_firm(to, item, from, &h, &e);
    else
        rc = bh_event_handoff_agency(to, handoff_id, &h, &e);
    if (rc == 0 && strcmp(h.counterpart, from->id) != 0)
        rc = bh_handoff_fail(&e, 403, "event_foreign_signer", BATON_EDENIED,
                             "%s is not a party of handoff %s", from->id, handoff_id);
    if (rc == 0)
        rc = bh_event_receive(to, &h, line, strlen(line), minisig, strlen(minisig),
                              "event.received", &answer, &e);
    cJSON_Delete(answer);
    if (rc != 0)
        snprintf(err, errlen, "%s: %s", e.code ? e.code : "internal", e.message);
    return rc;
}
