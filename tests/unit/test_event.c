/*
 * test_event.c - the case-event format (baton/event.h): the exact line,
 * every kind's body, every refusal of a body member, the strict decoder,
 * signing and verifying (other key, tampered bytes, a trusted comment about
 * other bytes), and chain links.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "baton/error.h"
#include "baton/event.h"
#include "baton/sha256.h"

/* A payment of 500.00 GBP, the second event of harbor-law's chain. */
static void sample(baton_event *ev)
{
    baton_event_init(ev);
    strcpy(ev->event_id, "hl-3");
    strcpy(ev->handoff_id, "ho_0123456789abcdef0123456789abcdef");
    strcpy(ev->case_id, "NW-2026-0301");
    strcpy(ev->sender, "harbor-law");
    ev->role = BATON_EVENT_FIRM;
    ev->seq = 2;
    memset(ev->prev_sha256, 0xab, 32);
    memset(ev->tagmanifest_sha256, 0x01, 32);
    strcpy(ev->date, "2026-03-02");
    ev->recorded = 1772445600; /* date -u -d @1772445600: 2026-03-02T10:00:00Z */
    ev->kind = BATON_EVENT_PAYMENT_RECEIVED;
    strcpy(ev->amount.amount, "500.00");
    strcpy(ev->amount.currency, "GBP");
    strcpy(ev->option, "firm");
}

#define HEX_AB "abababababababababababababababababababababababababababababababab"
#define HEX_01 "0101010101010101010101010101010101010101010101010101010101010101"

static const char sample_line[] =
    "{\"type\":\"baton-event/1\",\"event_id\":\"hl-3\","
    "\"handoff_id\":\"ho_0123456789abcdef0123456789abcdef\",\"case_id\":\"NW-2026-0301\","
    "\"sender\":\"harbor-law\",\"role\":\"firm\",\"seq\":2,\"prev_sha256\":\"" HEX_AB "\","
    "\"tagmanifest_sha256\":\"" HEX_01 "\",\"date\":\"2026-03-02\","
    "\"recorded\":\"2026-03-02T10:00:00Z\",\"kind\":\"payment_received\","
    "\"body\":{\"amount\":{\"amount\":\"500.00\",\"currency\":\"GBP\"},\"paid_to\":\"firm\"}}\n";

static void event_has_the_documented_form(void **state)
{
    (void)state;
    baton_event ev, back;
    char *line;
    size_t len;
    sample(&ev);
    assert_int_equal(baton_event_encode(&ev, &line, &len, NULL, 0), 0);
    assert_string_equal(line, sample_line);
    assert_int_equal(len, strlen(sample_line));
    baton_event_init(&back);
    assert_int_equal(baton_event_decode(line, len, &back, NULL, 0), 0);
    assert_string_equal(back.event_id, "hl-3");
    assert_int_equal(back.seq, 2);
    assert_int_equal(back.role, BATON_EVENT_FIRM);
    assert_int_equal(back.kind, BATON_EVENT_PAYMENT_RECEIVED);
    assert_int_equal(back.recorded, 1772445600);
    assert_memory_equal(back.prev_sha256, ev.prev_sha256, 32);
    assert_string_equal(back.amount.amount, "500.00");
    assert_string_equal(back.option, "firm");
    /* The trusted comment names handoff, seq and the SHA-256 of the bytes. */
    char tc[BATON_EVENT_TC_MAX], hex[65];
    uint8_t d[32];
    baton_sha256_buffer(line, len, d);
    baton_sha256_hex(d, hex);
    assert_int_equal(baton_event_trusted_comment(&back, line, len, tc, NULL, 0), 0);
    char want[200];
    snprintf(want, sizeof want,
             "baton-event/1 handoff=ho_0123456789abcdef0123456789abcdef seq=2 sha256=%s", hex);
    assert_string_equal(tc, want);
    free(line);
    baton_event_clear(&back);
    baton_event_clear(&ev);
}

/* One body per kind, written as a client would (any key order), and the
 * canonical body the line must carry. */
static const struct {
    const char *kind;
    const char *body;
    const char *canonical;
} bodies[] = {
    {"acknowledged", "{}", "{}"},
    {"letter_sent", "{}", "{}"},
    {"letter_sent", "{\"letter\":\"LBA\"}", "{\"letter\":\"LBA\"}"},
    {"contact", "{\"note\":\"rang\",\"channel\":\"phone\"}",
     "{\"channel\":\"phone\",\"note\":\"rang\"}"},
    {"dispute_raised", "{\"reason\":\"goods faulty\"}", "{\"reason\":\"goods faulty\"}"},
    {"payment_plan_agreed",
     "{\"instalments\":[{\"amount\":{\"currency\":\"GBP\",\"amount\":\"100.00\"},\"due\":"
     "\"2026-04-01\"},{\"due\":\"2026-05-01\",\"amount\":{\"amount\":\"100.00\",\"currency\":"
     "\"GBP\"}}]}",
     "{\"instalments\":[{\"due\":\"2026-04-01\",\"amount\":{\"amount\":\"100.00\",\"currency\":"
     "\"GBP\"}},{\"due\":\"2026-05-01\",\"amount\":{\"amount\":\"100.00\",\"currency\":\"GBP\"}}"
     "]}"},
    {"payment_received",
     "{\"paid_to\":\"creditor\",\"amount\":{\"amount\":\"5\",\"currency\":"
     "\"GBP\"}}",
     "{\"amount\":{\"amount\":\"5\",\"currency\":\"GBP\"},\"paid_to\":\"creditor\"}"},
    {"cost_incurred",
     "{\"recoverable\":false,\"category\":\"lawyer_fee\",\"amount\":{\"amount\":\"50.00\","
     "\"currency\":\"GBP\"}}",
     "{\"amount\":{\"amount\":\"50.00\",\"currency\":\"GBP\"},\"category\":\"lawyer_fee\","
     "\"recoverable\":false}"},
    {"suit_filed", "{\"court_case_number\":\"K00LS123\",\"court\":\"County Court at Leeds\"}",
     "{\"court\":\"County Court at Leeds\",\"court_case_number\":\"K00LS123\"}"},
    {"judgment",
     "{\"outcome\":\"default\",\"amount\":{\"amount\":\"2450.00\",\"currency\":"
     "\"GBP\"}}",
     "{\"amount\":{\"amount\":\"2450.00\",\"currency\":\"GBP\"},\"outcome\":\"default\"}"},
    {"enforcement_started", "{\"method\":\"writ of control\"}", "{\"method\":\"writ of control\"}"},
    {"remittance",
     "{\"fees_deducted\":{\"amount\":\"0\",\"currency\":\"GBP\"},\"covers\":[\"hl-3\",\"hl-7\"],"
     "\"amount\":{\"amount\":\"400.00\",\"currency\":\"GBP\"}}",
     "{\"amount\":{\"amount\":\"400.00\",\"currency\":\"GBP\"},\"covers\":[\"hl-3\",\"hl-7\"],"
     "\"fees_deducted\":{\"amount\":\"0\",\"currency\":\"GBP\"}}"},
    {"remittance",
     "{\"amount\":{\"amount\":\"0.00\",\"currency\":\"GBP\"},\"covers\":[],\"fees_deducted\":{"
     "\"amount\":\"0.00\",\"currency\":\"GBP\"}}",
     "{\"amount\":{\"amount\":\"0.00\",\"currency\":\"GBP\"},\"covers\":[],\"fees_deducted\":{"
     "\"amount\":\"0.00\",\"currency\":\"GBP\"}}"},
    {"returned", "{\"reason\":\"debtor deceased\"}", "{\"reason\":\"debtor deceased\"}"},
    {"closed", "{\"outcome\":\"paid\"}", "{\"outcome\":\"paid\"}"},
    {"closed", "{\"note\":\"in full\",\"outcome\":\"settled\"}",
     "{\"outcome\":\"settled\",\"note\":\"in full\"}"},
    {"recall", "{\"reason\":\"paid us directly\"}", "{\"reason\":\"paid us directly\"}"},
    {"hold", "{\"reason\":\"dispute\"}", "{\"reason\":\"dispute\"}"},
    {"resume", "{}", "{}"},
    {"instruction", "{\"text\":\"say \\\"hi\\\" \\\\ bye \\u00e9\"}",
     "{\"text\":\"say \\\"hi\\\" \\\\ bye \xc3\xa9\"}"},
    {"balance_adjusted",
     "{\"note\":\"credit note 17\",\"reason\":\"credit_note\",\"amount\":{\"amount\":\"12.50\","
     "\"currency\":\"GBP\"}}",
     "{\"amount\":{\"amount\":\"12.50\",\"currency\":\"GBP\"},\"reason\":\"credit_note\","
     "\"note\":\"credit note 17\"}"},
};

static void every_kind_round_trips_with_its_body_in_the_fixed_order(void **state)
{
    (void)state;
    int kinds_seen[BATON_EVENT_KIND_COUNT] = {0};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        baton_event ev, back;
        char err[256], *line, *again;
        size_t len, alen;
        sample(&ev);
        int rc = baton_event_set_body(&ev, bodies[i].kind, bodies[i].body, strlen(bodies[i].body),
                                      err, sizeof err);
        if (rc != 0)
            fail_msg("%s: %s", bodies[i].kind, err);
        ev.role = baton_event_kind_role(ev.kind);
        kinds_seen[ev.kind] = 1;
        assert_int_equal(baton_event_encode(&ev, &line, &len, err, sizeof err), 0);
        const char *body = strstr(line, ",\"body\":") + 8;
        assert_int_equal(strlen(body), strlen(bodies[i].canonical) + 2);
        assert_memory_equal(body, bodies[i].canonical, strlen(bodies[i].canonical));
        baton_event_init(&back);
        rc = baton_event_decode(line, len, &back, err, sizeof err);
        if (rc != 0)
            fail_msg("%s: %s", bodies[i].kind, err);
        assert_int_equal(baton_event_encode(&back, &again, &alen, NULL, 0), 0);
        assert_int_equal(alen, len);
        assert_memory_equal(again, line, len);
        /* The other role may not send it. */
        back.role = back.role == BATON_EVENT_FIRM ? BATON_EVENT_AGENCY : BATON_EVENT_FIRM;
        free(again);
        assert_int_equal(baton_event_encode(&back, &again, &alen, err, sizeof err), BATON_EINVAL);
        assert_non_null(strstr(err, "kind: "));
        free(line);
        baton_event_clear(&back);
        baton_event_clear(&ev);
    }
    for (int k = 1; k < BATON_EVENT_KIND_COUNT; k++) {
        assert_true(kinds_seen[k]);
        assert_int_equal(baton_event_kind_parse(baton_event_kind_name((baton_event_kind)k)), k);
    }
    assert_int_equal(baton_event_kind_parse("Acknowledged"), BATON_EVENT_KIND_NONE);
    assert_null(baton_event_kind_name(BATON_EVENT_KIND_COUNT));
}

static const struct {
    const char *kind;
    const char *body;
    const char *path; /* what the error must start with */
} refusals[] = {
    {"acknowledged", "{\"note\":\"x\"}", "body.note: not a member"},
    {"acknowledged", "[]", "body: expected an object"},
    {"acknowledged", "{", "body: not a JSON object"},
    {"dispute_raised", "{}", "body.reason: missing"},
    {"dispute_raised", "{\"reason\":\"a\",\"reason\":\"b\"}", "body.reason: given twice"},
    {"dispute_raised", "{\"reason\":7}", "body.reason: expected a string"},
    {"dispute_raised", "{\"reason\":\"\"}", "body.reason: empty"},
    {"dispute_raised", "{\"reason\":\"a\\nb\"}", "body.reason: contains a control character"},
    {"dispute_raised", "{\"reason\":\"a\\u0085b\"}", "body.reason: contains a control character"},
    {"dispute_raised", "{\"reason\":\"a\\u007fb\"}", "body.reason: contains a control character"},
    {"dispute_raised", "{\"reason\":\"\xc3\"}", "body.reason: not valid UTF-8"},
    {"letter_sent", "{\"letter\":null}", "body.letter: expected a string"},
    {"contact", "{\"channel\":\"fax\"}", "body.channel: expected one of"},
    {"payment_received",
     "{\"amount\":{\"amount\":\"-5.00\",\"currency\":\"GBP\"},"
     "\"paid_to\":\"firm\"}",
     "body.amount.amount: expected a decimal string"},
    {"payment_received",
     "{\"amount\":{\"amount\":\"0.00\",\"currency\":\"GBP\"},"
     "\"paid_to\":\"firm\"}",
     "body.amount.amount: must be above zero"},
    {"payment_received",
     "{\"amount\":{\"amount\":\"05.00\",\"currency\":\"GBP\"},"
     "\"paid_to\":\"firm\"}",
     "body.amount.amount: leading zeros"},
    {"payment_received",
     "{\"amount\":{\"amount\":\"5.00001\",\"currency\":\"GBP\"},"
     "\"paid_to\":\"firm\"}",
     "body.amount.amount: expected 1 to 4 digits"},
    {"payment_received", "{\"amount\":{\"amount\":5,\"currency\":\"GBP\"},\"paid_to\":\"firm\"}",
     "body.amount.amount: expected a string"},
    {"payment_received",
     "{\"amount\":{\"amount\":\"5\",\"currency\":\"gbp\"},"
     "\"paid_to\":\"firm\"}",
     "body.amount.currency: expected an ISO 4217 code"},
    {"payment_received", "{\"amount\":{\"amount\":\"5\"},\"paid_to\":\"firm\"}",
     "body.amount.currency: missing"},
    {"payment_received",
     "{\"amount\":{\"amount\":\"5\",\"currency\":\"GBP\",\"x\":1},"
     "\"paid_to\":\"firm\"}",
     "body.amount.x: not a member"},
    {"cost_incurred",
     "{\"amount\":{\"amount\":\"5\",\"currency\":\"GBP\"},\"category\":"
     "\"court_fee\",\"recoverable\":\"yes\"}",
     "body.recoverable: expected true or false"},
    {"payment_plan_agreed", "{\"instalments\":[]}", "body.instalments: expected 1 to 600"},
    {"payment_plan_agreed",
     "{\"instalments\":[{\"due\":\"2026-05-01\",\"amount\":{\"amount\":\"1\",\"currency\":\"GBP\""
     "}},{\"due\":\"2026-05-01\",\"amount\":{\"amount\":\"1\",\"currency\":\"GBP\"}}]}",
     "body.instalments[1].due: dates must be strictly increasing"},
    {"payment_plan_agreed",
     "{\"instalments\":[{\"due\":\"2026-02-30\",\"amount\":{\"amount\":\"1\",\"currency\":\"GBP\""
     "}}]}",
     "body.instalments[0].due: expected a date"},
    {"payment_plan_agreed",
     "{\"instalments\":[{\"due\":\"2026-02-03\",\"amount\":{\"amount\":\"0\",\"currency\":\"GBP\""
     "}}]}",
     "body.instalments[0].amount.amount: must be above zero"},
    {"remittance",
     "{\"amount\":{\"amount\":\"4\",\"currency\":\"GBP\"},\"covers\":[\"a\",\"a\"],"
     "\"fees_deducted\":{\"amount\":\"0\",\"currency\":\"GBP\"}}",
     "body.covers[1]: 'a' is listed twice"},
    {"remittance",
     "{\"amount\":{\"amount\":\"4\",\"currency\":\"GBP\"},\"covers\":[\"-x\"],"
     "\"fees_deducted\":{\"amount\":\"0\",\"currency\":\"GBP\"}}",
     "body.covers[0]: expected an event id"},
    {"remittance",
     "{\"amount\":{\"amount\":\"4\",\"currency\":\"GBP\"},\"covers\":[],"
     "\"fees_deducted\":{\"amount\":\"0\",\"currency\":\"EUR\"}}",
     "body.fees_deducted.currency: differs"},
    {"closed", "{\"outcome\":\"won\"}", "body.outcome: expected one of"},
    {"balance_adjusted", "{\"amount\":{\"amount\":\"1\",\"currency\":\"GBP\"},\"reason\":\"x\"}",
     "body.reason: expected one of"},
    {"teleported", "{}", "kind: 'teleported' is not in the vocabulary"},
};

static void every_body_refusal_names_its_member(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        baton_event ev;
        char err[256] = "";
        sample(&ev);
        int rc = baton_event_set_body(&ev, refusals[i].kind, refusals[i].body,
                                      strlen(refusals[i].body), err, sizeof err);
        if (rc != BATON_EINVAL || strncmp(err, refusals[i].path, strlen(refusals[i].path)) != 0)
            fail_msg("%s %s: rc %d, err '%s', expected '%s'", refusals[i].kind, refusals[i].body,
                     rc, err, refusals[i].path);
        baton_event_clear(&ev);
    }
    /* Limits: 2000 bytes of text, 600 instalments. */
    char *big = malloc(2100);
    memcpy(big, "{\"reason\":\"", 11);
    memset(big + 11, 'x', 2001);
    strcpy(big + 11 + 2001, "\"}");
    baton_event ev;
    char err[256];
    sample(&ev);
    assert_int_equal(baton_event_set_body(&ev, "hold", big, strlen(big), err, sizeof err),
                     BATON_EINVAL);
    assert_non_null(strstr(err, "longer than 2000 bytes"));
    strcpy(big + 11 + 2000, "\"}");
    assert_int_equal(baton_event_set_body(&ev, "hold", big, strlen(big), err, sizeof err), 0);
    free(big);
    size_t cap = 601 * 80 + 64, n = 0;
    char *plan = malloc(cap);
    n += (size_t)snprintf(plan + n, cap - n, "{\"instalments\":[");
    for (int i = 0; i < 601; i++)
        n += (size_t)snprintf(plan + n, cap - n,
                              "%s{\"due\":\"%04d-%02d-01\",\"amount\":{\"amount\":\"1\","
                              "\"currency\":\"GBP\"}}",
                              i ? "," : "", 2000 + i / 12, i % 12 + 1);
    snprintf(plan + n, cap - n, "]}");
    assert_int_equal(
        baton_event_set_body(&ev, "payment_plan_agreed", plan, strlen(plan), err, sizeof err),
        BATON_EINVAL);
    assert_non_null(strstr(err, "expected 1 to 600 instalments"));
    free(plan);
    baton_event_clear(&ev);
}

static void decoder_accepts_only_the_canonical_form(void **state)
{
    (void)state;
    baton_event ev;
    char err[256];
    size_t len = strlen(sample_line);
    baton_event_init(&ev);
    assert_int_equal(baton_event_decode(sample_line, len, &ev, NULL, 0), 0);
    static const struct {
        const char *from, *to;
    } edits[] = {
        {"{\"type\":", "{ \"type\":"},                /* a space */
        {"\"seq\":2", "\"seq\":02"},                  /* a leading zero */
        {"\"seq\":2", "\"seq\":2.0"},                 /* a fraction */
        {"\"seq\":2", "\"seq\":2e0"},                 /* an exponent */
        {"\"seq\":2", "\"seq\":0"},                   /* below 1 */
        {"\"hl-3\"", "\"hl\\u002d3\""},               /* an escape not needed */
        {"\"firm\"}}", "\"firm\",\"x\":1}}"},         /* an extra body member */
        {"\"role\":\"firm\"", "\"role\":\"agency\""}, /* a kind of the other role */
        {"\"date\":\"2026-03-02\"", "\"date\":\"2026-3-2\""},
        {"\"recorded\":\"2026-03-02T10:00:00Z\"", "\"recorded\":\"2026-03-02 10:00:00\""},
        {"baton-event/1", "baton-event/2"},
        {HEX_AB, "ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB"},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        const char *at = strstr(sample_line, edits[i].from);
        assert_non_null(at);
        char *v = NULL;
        assert_true(asprintf(&v, "%.*s%s%s", (int)(at - sample_line), sample_line, edits[i].to,
                             at + strlen(edits[i].from)) > 0);
        if (baton_event_decode(v, strlen(v), &ev, err, sizeof err) == 0)
            fail_msg("accepted: %s", v);
        free(v);
    }
    /* Key order: the body's members swapped. */
    char *swapped = NULL;
    assert_true(asprintf(&swapped,
                         "%.*s{\"paid_to\":\"firm\",\"amount\":{\"amount\":\"500.00\","
                         "\"currency\":\"GBP\"}}}\n",
                         (int)(strstr(sample_line, "{\"amount\"") - sample_line), sample_line) > 0);
    assert_int_equal(baton_event_decode(swapped, strlen(swapped), &ev, err, sizeof err),
                     BATON_EINVAL);
    assert_non_null(strstr(err, "canonical"));
    free(swapped);
    /* Without the final LF, with CRLF, or two lines. */
    assert_int_not_equal(baton_event_decode(sample_line, len - 1, &ev, NULL, 0), 0);
    char *crlf = NULL, *two = NULL;
    assert_true(asprintf(&crlf, "%.*s\r\n", (int)len - 1, sample_line) > 0);
    assert_int_not_equal(baton_event_decode(crlf, strlen(crlf), &ev, NULL, 0), 0);
    assert_true(asprintf(&two, "%s%s", sample_line, sample_line) > 0);
    assert_int_not_equal(baton_event_decode(two, strlen(two), &ev, NULL, 0), 0);
    free(crlf);
    free(two);
    /* A NUL hidden in a text. */
    baton_event t;
    sample(&t);
    assert_int_equal(baton_event_set_body(&t, "hold", "{\"reason\":\"ab\"}", 15, NULL, 0), 0);
    t.role = BATON_EVENT_AGENCY;
    char *line;
    size_t ll;
    assert_int_equal(baton_event_encode(&t, &line, &ll, NULL, 0), 0);
    char *nul = NULL;
    const char *ab = strstr(line, "\"ab\"");
    assert_true(asprintf(&nul, "%.*s\"a\\u0000b\"%s", (int)(ab - line), line, ab + 4) > 0);
    assert_int_not_equal(baton_event_decode(nul, strlen(nul), &ev, NULL, 0), 0);
    free(nul);
    free(line);
    baton_event_clear(&t);
    baton_event_clear(&ev);
}

/* Signs ev's line with a trusted comment of the caller's choosing. */
static char *sign_with_comment(baton_minisign_seckey *sk, const char *line, const char *tc)
{
    char *sig = NULL, *copy;
    size_t sl;
    assert_int_equal(
        baton_minisign_sign_buffer(sk, line, strlen(line), NULL, tc, &sig, &sl, NULL, 0), 0);
    copy = strdup(sig);
    baton_minisign_text_free(sig);
    return copy;
}

static void signed_event_verifies_only_as_signed(void **state)
{
    (void)state;
    baton_minisign_seckey *firm, *other;
    baton_minisign_pubkey firm_pk, other_pk;
    assert_int_equal(baton_minisign_keygen(&firm, &firm_pk, NULL, 0), 0);
    assert_int_equal(baton_minisign_keygen(&other, &other_pk, NULL, 0), 0);
    baton_event ev, back;
    char *line, *sig, err[256];
    size_t ll, sl;
    sample(&ev);
    baton_event_init(&back);
    assert_int_equal(baton_event_sign(firm, &ev, &line, &ll, &sig, &sl, NULL, 0), 0);
    assert_string_equal(line, sample_line);
    assert_int_equal(baton_event_verify(&firm_pk, line, ll, sig, sl, &back, NULL, 0), 0);
    assert_string_equal(back.event_id, "hl-3");
    /* Another key. */
    assert_int_equal(baton_event_verify(&other_pk, line, ll, sig, sl, &back, err, sizeof err),
                     BATON_EDENIED);
    /* Tampered: 500.00 -> 900.00. */
    char *t = strdup(line);
    memcpy(strstr(t, "500.00"), "900.00", 6);
    assert_int_equal(baton_event_verify(&firm_pk, t, ll, sig, sl, &back, err, sizeof err),
                     BATON_ECRYPTO);
    free(t);
    /* Good signatures, but the trusted comment describes other bytes, or
     * another seq or handoff. */
    char tc[BATON_EVENT_TC_MAX];
    assert_int_equal(baton_event_trusted_comment(&ev, line, ll, tc, NULL, 0), 0);
    const char *wrong[] = {"baton-event/1 handoff=ho_0123456789abcdef0123456789abcdef seq=3",
                           "baton-event/1 handoff=ho_x seq=2",
                           "baton-receipt/1 package=00 verdict=accepted", NULL};
    for (int i = 0; wrong[i] != NULL; i++) {
        char *w = NULL;
        const char *sha = strstr(tc, " sha256=");
        assert_true(asprintf(&w, "%s%s", wrong[i], i < 2 ? sha : "") > 0);
        char *bad = sign_with_comment(firm, line, w);
        assert_int_equal(
            baton_event_verify(&firm_pk, line, ll, bad, strlen(bad), &back, err, sizeof err),
            BATON_ECRYPTO);
        assert_non_null(strstr(err, "trusted comment"));
        free(bad);
        free(w);
    }
    char *other_bytes = NULL;
    assert_true(asprintf(&other_bytes, "%.*s%c", (int)(strlen(tc) - 1), tc,
                         tc[strlen(tc) - 1] == '0' ? '1' : '0') > 0);
    char *bad = sign_with_comment(firm, line, other_bytes);
    assert_int_equal(
        baton_event_verify(&firm_pk, line, ll, bad, strlen(bad), &back, err, sizeof err),
        BATON_ECRYPTO);
    free(bad);
    free(other_bytes);
    /* A signature text that is not one. */
    assert_int_equal(baton_event_verify(&firm_pk, line, ll, "x", 1, &back, NULL, 0), BATON_EINVAL);
    free(line);
    free(sig);
    baton_event_clear(&back);
    baton_event_clear(&ev);
    baton_minisign_seckey_free(firm);
    baton_minisign_seckey_free(other);
}

static void chain_links_to_the_package_and_to_the_previous_bytes(void **state)
{
    (void)state;
    baton_event first, second;
    char *l1, *l2, err[256];
    size_t n1, n2;
    sample(&first);
    first.seq = 1;
    first.kind = BATON_EVENT_ACKNOWLEDGED;
    first.amount.amount[0] = '\0';
    first.option[0] = '\0';
    strcpy(first.event_id, "hl-1");
    memcpy(first.prev_sha256, first.tagmanifest_sha256, 32);
    assert_int_equal(baton_event_chain_check(&first, NULL, 0, NULL, 0), 0);
    assert_int_equal(baton_event_encode(&first, &l1, &n1, NULL, 0), 0);
    first.prev_sha256[31] ^= 1;
    assert_int_equal(baton_event_chain_check(&first, NULL, 0, err, sizeof err), BATON_EINVAL);
    assert_non_null(strstr(err, "prev_sha256"));

    sample(&second);
    baton_sha256_buffer(l1, n1, second.prev_sha256);
    assert_int_equal(baton_event_chain_check(&second, l1, n1, err, sizeof err), 0);
    assert_int_equal(baton_event_chain_check(&second, NULL, 0, err, sizeof err), BATON_EINVAL);
    second.seq = 3;
    assert_int_equal(baton_event_chain_check(&second, l1, n1, err, sizeof err), BATON_EINVAL);
    assert_non_null(strstr(err, "seq: 3"));
    second.seq = 2;
    second.prev_sha256[0] ^= 1;
    assert_int_equal(baton_event_chain_check(&second, l1, n1, err, sizeof err), BATON_EINVAL);
    assert_non_null(strstr(err, "prev_sha256"));
    second.prev_sha256[0] ^= 1;
    /* The previous event of another sender, or of another handoff. */
    strcpy(second.sender, "other-law");
    assert_int_equal(baton_event_chain_check(&second, l1, n1, err, sizeof err), BATON_EINVAL);
    strcpy(second.sender, "harbor-law");
    strcpy(second.handoff_id, "ho_ffffffffffffffffffffffffffffffff");
    assert_int_equal(baton_event_chain_check(&second, l1, n1, err, sizeof err), BATON_EINVAL);
    assert_int_equal(baton_event_encode(&second, &l2, &n2, NULL, 0), 0);
    free(l1);
    free(l2);
    baton_event_clear(&first);
    baton_event_clear(&second);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(event_has_the_documented_form),
        cmocka_unit_test(every_kind_round_trips_with_its_body_in_the_fixed_order),
        cmocka_unit_test(every_body_refusal_names_its_member),
        cmocka_unit_test(decoder_accepts_only_the_canonical_form),
        cmocka_unit_test(signed_event_verifies_only_as_signed),
        cmocka_unit_test(chain_links_to_the_package_and_to_the_previous_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
