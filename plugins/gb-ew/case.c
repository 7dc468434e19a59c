/*
 * case.c - the case items the gb-ew capabilities need, each read once.
 *
 * Owns: defaults of the case format that matter here (debtor.consumer
 * derived from debtor.kind; charges summed in the claim currency), and what
 * filing_rules reads of documents[] and letters_sent[], one pass each
 * (plugins/common's census: a list is read once, not once per question). Does not own: validation
 * of the whole case (the host does that before plugins run) or what the rules conclude.
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

    /* First bytes before strcmp: the kinds here differ there. */
    c->consumer = kind[0] == 'i' && strcmp(kind, "individual") == 0;
    c->debtor_individual = c->consumer || (kind[0] == 's' && strcmp(kind, "sole_trader") == 0);
    if (api->view_type(v, "debtor.consumer") == BATON_VIEW_BOOL)
        api->view_bool(v, "debtor.consumer", &c->consumer);
    /* A sole trader creditor acts in the course of a business: the Late
     * Payment Act applies (s.2(1)). */
    c->b2b = ((ckind[0] == 'b' && strcmp(ckind, "business") == 0) ||
              (ckind[0] == 's' && strcmp(ckind, "sole_trader") == 0)) &&
             !c->consumer;

    if (api->view_type(v, "claim.charges") == BATON_VIEW_ARRAY &&
        api->view_count(v, "claim.charges", &n) == 0) {
        c->charges = n;
        for (size_t i = 0; i < n; i++) {
            char path[48];
            baton_money m;
            BPC_PATH_AT(path, sizeof path, "claim.charges", i, ".amount");
            if (api->view_money(v, path, &m) != 0 || !baton_money_same_currency(m, c->principal))
                return BATON_EINVAL;
            c->charges_minor += m.minor;
        }
    }
    return 0;
}

/* The string at documents[i].ref, or NULL. */
static const char *document_ref(const baton_host_api *api, const baton_view *v, size_t i)
{
    char path[48];
    const char *s;
    BPC_PATH_AT(path, sizeof path, "documents", i, ".ref");
    return api->view_string(v, path, &s) == 0 ? s : NULL;
}

void gbew_file_read(const baton_host_api *api, const baton_view *v, gbew_file *f)
{
    const bpc_documents *d = &f->docs;
    memset(f, 0, sizeof *f);
    bpc_documents_read(api, v, &f->docs);
    if (d->count[BPC_DOC_AGREEMENT] > 0)
        f->agreement_ref = document_ref(api, v, d->first[BPC_DOC_AGREEMENT]);
    if (d->count[BPC_DOC_PROOF_OF_DELIVERY] > 0)
        f->delivery_ref = document_ref(api, v, d->first[BPC_DOC_PROOF_OF_DELIVERY]);
    bpc_letters_read(api, v,
                     BPC_LETTER_BIT(BPC_LETTER_FINAL_DEMAND) |
                         BPC_LETTER_BIT(BPC_LETTER_LETTER_OF_CLAIM),
                     &f->letters);
}
