/*
 * case.c - the case items the gb-ew capabilities need, each read once.
 *
 * Owns: defaults of the case format that matter here (debtor.consumer
 * derived from debtor.kind; charges summed in the claim currency), and one
 * pass each over documents[] and letters_sent[] for filing_rules (every
 * view lookup costs the host a path walk, so a list is read once, not once
 * per question asked of it). Does not own: validation of the whole case
 * (the host does that before plugins run) or what the rules conclude.
 */
#include <string.h>

#include "case_view.h"
#include "gb_ew.h"

int gbew_case_read(const baton_host_api *api, const baton_view *v, gbew_case *c)
{
    const char *kind = NULL, *ckind = NULL;
    size_t n = 0;
    int rc;

    memset(c, 0, sizeof *c);
    if ((rc = api->view_date(v, "as_of", &c->as_of)) != 0)
        return rc;
    if ((rc = api->view_date(v, "claim.due_date", &c->due)) != 0)
        return rc;
    if ((rc = api->view_money(v, "claim.principal", &c->principal)) != 0)
        return rc;
    if ((rc = api->view_string(v, "debtor.kind", &kind)) != 0)
        return rc;
    if (api->view_string(v, "creditor.kind", &ckind) != 0)
        ckind = "business";

    c->debtor_individual = strcmp(kind, "individual") == 0 || strcmp(kind, "sole_trader") == 0;
    c->consumer = strcmp(kind, "individual") == 0;
    if (api->view_type(v, "debtor.consumer") == BATON_VIEW_BOOL)
        api->view_bool(v, "debtor.consumer", &c->consumer);
    /* A sole trader creditor acts in the course of a business: the Late
     * Payment Act applies (s.2(1)). */
    c->b2b = (strcmp(ckind, "business") == 0 || strcmp(ckind, "sole_trader") == 0) && !c->consumer;

    if (api->view_type(v, "claim.charges") == BATON_VIEW_ARRAY &&
        api->view_count(v, "claim.charges", &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            char path[48];
            baton_money m;
            bpc_path_at(path, sizeof path, "claim.charges", i, ".amount");
            if (api->view_money(v, path, &m) != 0 || !baton_money_same_currency(m, c->principal))
                return BATON_EINVAL;
            c->charges_minor += m.minor;
        }
    }
    return 0;
}

static const char *const doc_kinds[GBEW_DOC_KINDS] = {
    "agreement",          "invoice",           "statement",
    "proof_of_delivery",  "communication_log", "identity_check",
    "collection_attempt", "dispute",           "dispute_answer",
};

/* The string at "before[i]after", or NULL. */
static const char *element_string(const baton_host_api *api, const baton_view *v,
                                  const char *before, size_t i, const char *after)
{
    char path[48];
    const char *s;
    bpc_path_at(path, sizeof path, before, i, after);
    return api->view_string(v, path, &s) == 0 ? s : NULL;
}

static void read_documents(const baton_host_api *api, const baton_view *v, gbew_file *f)
{
    size_t n = 0, first_agreement = 0, first_delivery = 0;
    if (api->view_count(v, "documents", &n) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *kind = element_string(api, v, "documents", i, ".kind");
        if (kind == NULL)
            continue;
        for (int k = 0; k < GBEW_DOC_KINDS; k++) {
            if (strcmp(kind, doc_kinds[k]) != 0)
                continue;
            if (f->docs[k]++ == 0) {
                if (k == GBEW_DOC_AGREEMENT)
                    first_agreement = i;
                else if (k == GBEW_DOC_PROOF_OF_DELIVERY)
                    first_delivery = i;
            }
            break;
        }
    }
    if (f->docs[GBEW_DOC_AGREEMENT] > 0)
        f->agreement_ref = element_string(api, v, "documents", first_agreement, ".ref");
    if (f->docs[GBEW_DOC_PROOF_OF_DELIVERY] > 0)
        f->delivery_ref = element_string(api, v, "documents", first_delivery, ".ref");
}

static void latest(const baton_host_api *api, const baton_view *v, size_t i, gbew_letter *l)
{
    char path[48];
    baton_date d;
    bpc_path_at(path, sizeof path, "letters_sent", i, ".date");
    if (api->view_date(v, path, &d) != 0)
        return;
    if (l->index < 0 || baton_date_cmp(d, l->date) > 0) {
        l->index = (long)i;
        l->date = d;
    }
}

static void read_letters(const baton_host_api *api, const baton_view *v, gbew_file *f)
{
    size_t n = 0;
    if (api->view_count(v, "letters_sent", &n) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *kind = element_string(api, v, "letters_sent", i, ".kind");
        if (kind == NULL)
            continue;
        if (strcmp(kind, "reminder") == 0) {
            f->reminders++;
        } else if (strcmp(kind, "final_demand") == 0) {
            f->final_demands++;
            latest(api, v, i, &f->final_demand);
        } else if (strcmp(kind, "letter_of_claim") == 0) {
            latest(api, v, i, &f->letter_of_claim);
        }
    }
}

void gbew_file_read(const baton_host_api *api, const baton_view *v, gbew_file *f)
{
    memset(f, 0, sizeof *f);
    f->final_demand.index = -1;
    f->letter_of_claim.index = -1;
    read_documents(api, v, f);
    read_letters(api, v, f);
}
