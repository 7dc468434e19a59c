/*
 * recommend.c - northwind's fee_schedule: its commission, the expected net
 * recovery and the recommendation (pre_legal, legal, hold, write_off).
 *
 * Runs after the jurisdiction plugin and reads what it found through
 * result_view: the findings (blocks, pre-action steps, the documentation
 * checklist) and the cost lines (principal, interest, compensation, court
 * and lawyer fees). It relies only on the shared vocabulary of
 * baton/plugin.h (categories "readiness", "limitation", "pre_action",
 * "debtor"; statuses; cost kinds), so it works with every jurisdiction.
 *
 * Decision, first rule that applies wins (docs/plugins/northwind.md):
 *   1. a BLOCK on limitation or an insolvent debtor      -> write_off
 *   2. any other BLOCK                                   -> hold
 *   3. vulnerable debtor, unanswered dispute, debt advice
 *      being sought, active payment plan                 -> hold
 *   4. expected net after legal costs < min_net_recovery:
 *        pre-legal net >= min_net_pre_legal              -> pre_legal
 *        otherwise                                       -> write_off
 *   5. documentation gaps (agreement, invoices, identity) -> pre_legal
 *   6. a pre-action step still missing or running         -> pre_legal
 *   7. otherwise                                          -> legal
 * Every rule that fires on the way adds a reason, so a hold also says
 * what else would have mattered.
 */
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "baton/plugin_text.h"
#include "case_view.h"
#include "northwind.h"
#include "text_format.h"

#define MAX_REASONS 10

typedef struct reasons {
    const char *codes[MAX_REASONS];
    char texts[MAX_REASONS][320];
    size_t n;
} reasons;

static void reason(reasons *r, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reason(reasons *r, const char *code, const char *fmt, ...)
{
    va_list ap;
    if (r->n >= MAX_REASONS)
        return;
    r->codes[r->n] = code;
    va_start(ap, fmt);
    bpc_vformat(r->texts[r->n], sizeof r->texts[r->n], fmt, ap);
    va_end(ap);
    r->n++;
}

/* What the jurisdiction reported, gathered from result_view. The texts
 * come last: nw_fees zeroes the rest and starts each text empty. */
typedef struct seen {
    int block_limitation, block_insolvent, block_other;
    int vulnerable, dispute_open, missing_docs, pre_action_open, limitation_near, debt_advice;
    int docs_met, docs_total;
    int64_t balance, court_costs;
    int have_principal;
    char block_text[320];
    char missing_doc_names[160];
    char pre_action_text[320];
} seen;

/* a is the word b. The first bytes are compared before strcmp is called:
 * most of the words read here differ there. */
static inline int is(const char *a, const char *b)
{
    return a != NULL && a[0] == b[0] && strcmp(a, b) == 0;
}

/* The categories and statuses the rules below look at, each finding's
 * told once by its first byte and one comparison (they were compared a
 * dozen times each). */
enum category { CAT_OTHER, CAT_READINESS, CAT_DEBTOR, CAT_LIMITATION, CAT_PRE_ACTION };
enum status { ST_OTHER, ST_MET, ST_MISSING, ST_BLOCK };

static enum category category_of(const char *c)
{
    switch (c[0]) {
    case 'r': /* readiness, not route or recommendation */
        return c[1] == 'e' && c[2] == 'a' && strcmp(c, "readiness") == 0 ? CAT_READINESS
                                                                         : CAT_OTHER;
    case 'd':
        return strcmp(c, "debtor") == 0 ? CAT_DEBTOR : CAT_OTHER;
    case 'l':
        return strcmp(c, "limitation") == 0 ? CAT_LIMITATION : CAT_OTHER;
    case 'p': /* pre_action, not params */
        return c[1] == 'r' && strcmp(c, "pre_action") == 0 ? CAT_PRE_ACTION : CAT_OTHER;
    default:
        return CAT_OTHER;
    }
}

static enum status status_of(const char *st)
{
    switch (st[0]) {
    case 'm': /* "met" by its bytes; "missing" */
        if (st[1] == 'e')
            return st[2] == 't' && st[3] == '\0' ? ST_MET : ST_OTHER;
        return strcmp(st, "missing") == 0 ? ST_MISSING : ST_OTHER;
    case 'b':
        return strcmp(st, "block") == 0 ? ST_BLOCK : ST_OTHER;
    default:
        return ST_OTHER;
    }
}

/* The string at path + member of the result so far, or NULL: path's
 * first np bytes are "findings[i]", written once per finding; member is a
 * literal, copied with its NUL. */
#define FINDING_ITEM(path, np, member)                                                             \
    finding_item(api, rv, (path), (np), "" member, sizeof(member))

static inline __attribute__((always_inline)) const char *finding_item(const baton_host_api *api,
                                                                      const baton_view *rv,
                                                                      char *path, size_t np,
                                                                      const char *member, size_t nm)
{
    const char *str;
    memcpy(path + np, member, nm);
    return api->view_string(rv, path, &str) == 0 ? str : NULL;
}

/*
 * Every result_view read walks the result's records, so each finding's
 * status and category are read, its code only when a rule below looks at
 * it, and its text only when it is the one quoted. The builder refuses a
 * finding without a code, so every finding in the view has one.
 */
static void read_findings(const baton_host_api *api, const baton_view *rv, seen *s)
{
    size_t n = 0;
    api->view_count(rv, "findings", &n);
    for (size_t i = 0; i < n; i++) {
        const char *cat, *code = NULL, *status, *text;
        enum category c;
        enum status st;
        char path[64];
        size_t np;
        BPC_PATH_AT(path, sizeof path, "findings", i, "");
        np = i < 10 ? sizeof "findings[0]" - 1 : i < 100 ? sizeof "findings[00]" - 1 : strlen(path);
        status = FINDING_ITEM(path, np, ".status");
        cat = FINDING_ITEM(path, np, ".category");
        if (cat == NULL || status == NULL)
            continue;
        c = category_of(cat);
        st = status_of(status);
        if (st == ST_BLOCK || (c != CAT_OTHER && (c != CAT_READINESS || st == ST_MISSING))) {
            code = FINDING_ITEM(path, np, ".code");
            if (code == NULL)
                continue;
        }

        if (st == ST_BLOCK) {
            if (c == CAT_LIMITATION && !is(code, "not_yet_due"))
                s->block_limitation = 1;
            else if (is(code, "debtor_insolvent"))
                s->block_insolvent = 1;
            else
                s->block_other = 1;
            if (s->block_text[0] == '\0' && (text = FINDING_ITEM(path, np, ".text")) != NULL)
                bpc_format(s->block_text, sizeof s->block_text, "%s", text);
        }
        switch (c) {
        case CAT_DEBTOR:
            if (is(code, "debtor_vulnerable"))
                s->vulnerable = 1;
            break;
        case CAT_LIMITATION:
            if (is(code, "limitation_near"))
                s->limitation_near = 1;
            break;
        case CAT_PRE_ACTION:
            if (is(code, "debt_advice"))
                s->debt_advice = 1;
            if (st == ST_MISSING) {
                if (!s->pre_action_open) {
                    text = FINDING_ITEM(path, np, ".text");
                    bpc_format(s->pre_action_text, sizeof s->pre_action_text, "%s",
                               text != NULL ? text : "");
                }
                s->pre_action_open = 1;
            }
            break;
        case CAT_READINESS:
            if (st == ST_MET || st == ST_MISSING) {
                s->docs_total++;
                if (st == ST_MET)
                    s->docs_met++;
            }
            if (st == ST_MISSING) {
                if (is(code, "disputes_answered")) {
                    s->dispute_open = 1;
                } else if (is(code, "agreement") || is(code, "invoices_statements") ||
                           is(code, "identity_verified")) {
                    s->missing_docs = 1;
                    bpc_format_append(s->missing_doc_names, sizeof s->missing_doc_names, "%s%s",
                                      s->missing_doc_names[0] != '\0' ? ", " : "", code);
                }
            }
            break;
        case CAT_OTHER:
            break;
        }
    }
}

static void read_costs(const baton_host_api *api, const baton_view *rv, const char *currency,
                       seen *s)
{
    size_t n = 0;
    api->view_count(rv, "costs", &n);
    for (size_t i = 0; i < n; i++) {
        char path[64];
        const char *kind = NULL;
        baton_money m;
        int owed, costs;
        BPC_PATH_AT(path, sizeof path, "costs", i, ".kind");
        if (api->view_string(rv, path, &kind) != 0)
            continue;
        /* The amount only of the kinds weighed here (commission is not). */
        owed = is(kind, "principal") || is(kind, "interest") || is(kind, "compensation") ||
               is(kind, "other");
        costs = is(kind, "court_fee") || is(kind, "lawyer_fee");
        if (!owed && !costs)
            continue;
        BPC_PATH_AT(path, sizeof path, "costs", i, ".amount");
        if (api->view_money(rv, path, &m) != 0 || strcmp(m.currency, currency) != 0)
            continue;
        if (owed) {
            s->balance += m.minor;
            if (is(kind, "principal"))
                s->have_principal = 1;
        } else {
            s->court_costs += m.minor;
        }
    }
}

/* The four actions; the rules below choose one of these texts, so the
 * choice is compared by address, not by strcmp. */
static const char ACT_LEGAL[] = "legal", ACT_PRE_LEGAL[] = "pre_legal", ACT_HOLD[] = "hold",
                  ACT_WRITE_OFF[] = "write_off";

/* A money fact in the claim currency: unit is an amount of it, made once
 * (baton_money_make copies the code a byte at a time). */
static int money_fact(const baton_host_api *api, baton_result *out, const char *key, int64_t v,
                      baton_money unit)
{
    unit.minor = v;
    return api->result_money(out, key, unit);
}

int nw_fees(void *state, const baton_view *v, baton_result *out)
{
    const nw_state *st = state;
    const baton_host_api *api = st->api;
    const baton_view *rv = api->result_view(out);
    seen s;
    reasons why;
    nw_recovery_input rin;
    nw_recovery rec;
    baton_date as_of, due;
    baton_money principal, unit;
    const char *cur, *action, *str, *plan = NULL;
    int64_t age, gross_legal, comm_legal, costs_legal, net_legal, gross_pre, comm_pre, net_pre;
    int64_t expected_net;
    int32_t bp_legal, bp_pre;
    char a[48], b[48], c[48], joined[MAX_REASONS * 330], codes[MAX_REASONS * 32];
    int rc;

    /* Not the texts: about 4 KB that each text's first byte starts. */
    memset(&s, 0, offsetof(seen, block_text));
    s.block_text[0] = s.missing_doc_names[0] = s.pre_action_text[0] = '\0';
    why.n = 0;
    memset(&rin, 0, sizeof rin);
    if ((rc = api->view_date(v, "as_of", &as_of)) != 0 ||
        (rc = api->view_date(v, "claim.due_date", &due)) != 0 ||
        (rc = api->view_money(v, "claim.principal", &principal)) != 0)
        return rc;
    if (rv == NULL)
        return BATON_EINVAL;
    cur = principal.currency;
    unit = baton_money_make(0, cur);
    read_findings(api, rv, &s);
    read_costs(api, rv, cur, &s);
    if (!s.have_principal)
        s.balance += principal.minor;

    /* The recovery estimate. */
    age = baton_date_diff(due, as_of);
    rin.assets = 1;
    /* debtor_profile is optional as a whole: without it, none of its reads. */
    if (api->view_type(v, "debtor_profile") == BATON_VIEW_OBJECT) {
        int64_t pb = 0;
        api->view_bool(v, "debtor_profile.engaged", &rin.engaged);
        if (api->view_int(v, "debtor_profile.promises_broken", &pb) == 0 && pb > 0)
            rin.promises_broken = pb > 10 ? 10 : (int)pb;
        if (api->view_string(v, "debtor_profile.payment_plan", &str) == 0)
            plan = str;
        if (api->view_string(v, "debtor_profile.assets", &str) == 0)
            rin.assets = strcmp(str, "known") == 0 ? 2 : strcmp(str, "none") == 0 ? 0 : 1;
        api->view_bool(v, "debtor_profile.insolvent", &rin.insolvent);
    }
    rin.plan_broken = is(plan, "broken");
    rin.docs_met = s.docs_met;
    rin.docs_total = s.docs_total;
    rin.age_days = age;
    nw_recovery_estimate(&rin, &rec);

    /* The two routes, in minor units, each division rounded down. */
    bp_legal = nw_commission_bp(st, NW_LEGAL, age);
    bp_pre = nw_commission_bp(st, NW_PRE_LEGAL, age);
    gross_legal = baton_percent_bp_floor(s.balance, rec.likelihood_bp);
    comm_legal = baton_percent_bp_floor(gross_legal, bp_legal);
    costs_legal = s.court_costs + st->legal_fee_minor;
    net_legal = gross_legal - comm_legal - costs_legal;
    gross_pre = baton_percent_bp_floor(gross_legal, st->pre_legal_factor_bp);
    comm_pre = baton_percent_bp_floor(gross_pre, bp_pre);
    net_pre = gross_pre - comm_pre;

    /* The decision. */
    if (s.block_limitation || s.block_insolvent) {
        action = ACT_WRITE_OFF;
        reason(&why, s.block_limitation ? "time_barred" : "debtor_insolvent", "%s", s.block_text);
    } else if (s.block_other) {
        action = ACT_HOLD;
        reason(&why, "legal_action_blocked", "%s", s.block_text);
    } else if (s.vulnerable || s.dispute_open || s.debt_advice || is(plan, "active")) {
        action = ACT_HOLD;
        if (s.vulnerable)
            reason(&why, "debtor_vulnerable",
                   "Signs of vulnerability recorded: review before any further step");
        if (s.dispute_open)
            reason(&why, "dispute_open", "A dispute is not answered yet: answer it first");
        if (s.debt_advice)
            reason(&why, "debt_advice",
                   "The debtor is seeking debt advice: allow reasonable time before any claim");
        if (is(plan, "active"))
            reason(&why, "payment_plan_active", "The debtor is paying under an arrangement");
    } else if (net_legal < st->min_net_legal_minor) {
        nw_money_text(baton_money_make(net_legal, cur), a, sizeof a);
        nw_money_text(baton_money_make(st->min_net_legal_minor, cur), b, sizeof b);
        nw_money_text(baton_money_make(net_pre, cur), c, sizeof c);
        if (net_pre >= st->min_net_pre_legal_minor) {
            action = ACT_PRE_LEGAL;
            reason(&why, "not_worth_suing",
                   "Expected net recovery after legal costs %s is below %s: continue pre-legal "
                   "collection (expected net %s)",
                   a, b, c);
        } else {
            action = ACT_WRITE_OFF;
            reason(&why, "too_small",
                   "Too small to pursue: expected net after legal costs %s (threshold %s), "
                   "pre-legal %s",
                   a, b, c);
        }
    } else if (s.missing_docs) {
        action = ACT_PRE_LEGAL;
        reason(&why, "documentation_incomplete",
               "Complete the file before going legal; missing: %s", s.missing_doc_names);
    } else if (s.pre_action_open) {
        action = ACT_PRE_LEGAL;
        reason(&why, "pre_action_pending", "%s", s.pre_action_text);
    } else {
        action = ACT_LEGAL;
        nw_money_text(baton_money_make(net_legal, cur), a, sizeof a);
        reason(&why, "legal_ready",
               "File complete, pre-action steps done, expected net recovery %s at %d%% "
               "likelihood",
               a, (int)(rec.likelihood_bp / 100));
        if (s.limitation_near)
            reason(&why, "limitation_near", "Issue promptly: the limitation deadline is near");
    }

    /* Report. */
    /* joined and codes: each reason appended where the last ended
     * (bpc_put_at cuts short as the "%s%s" appends did). */
    joined[0] = codes[0] = '\0';
    for (size_t i = 0, jl = 0, cl = 0; i < why.n; i++) {
        if (i > 0) {
            jl = BPC_PUT_LIT(joined, sizeof joined, jl, "; ");
            cl = BPC_PUT_LIT(codes, sizeof codes, cl, ",");
        }
        jl = bpc_put_at(joined, sizeof joined, jl, why.texts[i], strlen(why.texts[i]));
        cl = bpc_put_at(codes, sizeof codes, cl, why.codes[i], strlen(why.codes[i]));
        rc = api->result_finding(out, "recommendation", why.codes[i], BATON_FINDING_INFO,
                                 why.texts[i], "Northwind recommendation rules");
        if (rc != 0)
            return rc;
    }
    if (action == ACT_LEGAL)
        expected_net = net_legal;
    else if (action == ACT_PRE_LEGAL || action == ACT_HOLD)
        expected_net = net_pre;
    else
        expected_net = 0;

    if ((rc = api->result_string(out, "recommendation.action", action)) != 0 ||
        (rc = api->result_string(out, "recommendation.reasons", joined)) != 0 ||
        (rc = api->result_string(out, "recommendation.reason_codes", codes)) != 0 ||
        (rc = api->result_int(out, "recovery.likelihood_bp", rec.likelihood_bp)) != 0 ||
        (rc = api->result_int(out, "recovery.engagement_bp", rec.engagement_bp)) != 0 ||
        (rc = api->result_int(out, "recovery.documentation_bp", rec.documentation_bp)) != 0 ||
        (rc = api->result_int(out, "recovery.assets_bp", rec.assets_bp)) != 0 ||
        (rc = api->result_int(out, "recovery.age_bp", rec.age_bp)) != 0 ||
        (rc = api->result_int(out, "recovery.age_days", age)) != 0 ||
        (rc = money_fact(api, out, "recovery.balance", s.balance, unit)) != 0 ||
        (rc = money_fact(api, out, "recovery.legal.gross", gross_legal, unit)) != 0 ||
        (rc = money_fact(api, out, "recovery.legal.costs", costs_legal, unit)) != 0 ||
        (rc = money_fact(api, out, "recovery.legal.commission", comm_legal, unit)) != 0 ||
        (rc = money_fact(api, out, "recovery.legal.net", net_legal, unit)) != 0 ||
        (rc = money_fact(api, out, "recovery.pre_legal.gross", gross_pre, unit)) != 0 ||
        (rc = money_fact(api, out, "recovery.pre_legal.commission", comm_pre, unit)) != 0 ||
        (rc = money_fact(api, out, "recovery.pre_legal.net", net_pre, unit)) != 0 ||
        (rc = money_fact(api, out, "recovery.expected_net", expected_net, unit)) != 0 ||
        (rc = api->result_int(out, "commission.pre_legal_bp", bp_pre)) != 0 ||
        (rc = api->result_int(out, "commission.legal_bp", bp_legal)) != 0)
        return rc;

    if (action == ACT_LEGAL || action == ACT_PRE_LEGAL) {
        int legal = action == ACT_LEGAL;
        char label[200], rate[BATON_TEXT_MAX];
        nw_money_text(baton_money_make(legal ? gross_legal : gross_pre, cur), a, sizeof a);
        baton_bp_text(legal ? bp_legal : bp_pre, "en-GB", rate, sizeof rate);
        bpc_format(label, sizeof label,
                   "Northwind commission %s (%s stage, debt %lld days past due) on the "
                   "expected recovery of %s",
                   rate, legal ? "legal" : "pre-legal", (long long)(age < 0 ? 0 : age), a);
        rc = api->result_line_item(out, "commission", label,
                                   baton_money_make(legal ? comm_legal : comm_pre, cur),
                                   "Northwind terms of business (tenant config: commission)");
        if (rc == 0 && legal && st->legal_fee_minor > 0)
            rc = api->result_line_item(out, "lawyer_fee", "Panel solicitor's fee for issuing",
                                       baton_money_make(st->legal_fee_minor, cur),
                                       "Northwind terms of business (tenant config: legal_fee)");
    }
    return rc;
}
