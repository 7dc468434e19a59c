/*
 * letter.c - the letter "fourteen_day_letter": the veertiendagenbrief a
 * creditor must send a consumer before collection costs become due
 * (art. 6:96 lid 6 BW), in Dutch.
 *
 * What the letter must contain (art. 6:96 lid 6 BW; HR 25 November 2016,
 * ECLI:NL:HR:2016:2704):
 *   - a demand to pay within fourteen days, counted from the day after the
 *     debtor received the letter; the Hoge Raad's own wording "binnen
 *     veertien dagen vanaf de dag nadat deze brief bij u is bezorgd" is used;
 *   - the consequence of not paying: the collection costs become due;
 *   - the amount of those costs, computed under the Besluit (with VAT when
 *     the creditor cannot deduct it);
 *   - sent after the debtor is in default: the plugin refuses to write it
 *     on or before the due date.
 * Owns: those blocks and the data they are filled from. Does not own: the
 * letterhead (the tenant's agency plugin supplies it) or layout.
 */
#include <stdio.h>
#include <string.h>

#include "nl.h"

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ < 0)                                                                               \
            return rc_;                                                                            \
    } while (0)

static void address(const nl_state *st, const baton_view *v, const char *prefix, const char *name,
                    char *buf, size_t len)
{
    char path[96];
    size_t n = 0, used = 0;
    int w = snprintf(buf, len, "%s\n", name);
    if (w < 0 || (size_t)w >= len)
        return;
    used = (size_t)w;
    snprintf(path, sizeof path, "%s.lines", prefix);
    if (st->api->view_count(v, path, &n) == 0) {
        for (size_t i = 0; i < n && i < 4; i++) {
            snprintf(path, sizeof path, "%s.lines[%zu]", prefix, i);
            w = snprintf(buf + used, len - used, "%s\n", bpc_str(st->api, v, path, ""));
            if (w < 0 || (size_t)w >= len - used)
                return;
            used += (size_t)w;
        }
    }
    char p1[96], p2[96];
    snprintf(p1, sizeof p1, "%s.postcode", prefix);
    snprintf(p2, sizeof p2, "%s.city", prefix);
    snprintf(buf + used, len - used, "%s  %s", bpc_str(st->api, v, p1, ""),
             bpc_str(st->api, v, p2, ""));
}

static void log_warn(const nl_state *st, const char *msg)
{
    if (st->api->log != NULL)
        st->api->log(st->host, BATON_LOG_WARN, msg);
}

int nl_render(void *state, const char *kind, const baton_view *v, baton_letter *l)
{
    const nl_state *st = state;
    const baton_host_api *a = st->api;
    nl_claim c;
    char why[160], text[900], addr[600], date[40], due[40], amount[32], costs[32], row[200];
    const char *creditor, *debtor, *ref, *descr, *iban;

    if (strcmp(kind, "fourteen_day_letter") != 0)
        return BATON_ENOENT;
    if (nl_claim_read(st, v, &c, why, sizeof why) != 0) {
        log_warn(st, "nl: fourteen_day_letter refused: the case is incomplete");
        return BATON_EINVAL;
    }
    if (baton_date_cmp(c.as_of, c.due) <= 0) {
        /* Art. 6:96 lid 6 BW: the letter counts only once the debtor is in
         * default; written earlier it would mislead. */
        log_warn(st, "nl: fourteen_day_letter refused: the debt is not yet due on the letter date");
        return BATON_EINVAL;
    }
    creditor = bpc_str(st->api, v, "creditor.name", "");
    debtor = bpc_str(st->api, v, "debtor.name", "");
    ref = bpc_str(st->api, v, "claim.reference", NULL);
    descr = bpc_str(st->api, v, "claim.description", NULL);
    iban = bpc_str(st->api, v, "creditor.payment.iban", NULL);
    nl_long_date(c.as_of, date, sizeof date);
    nl_long_date(c.due, due, sizeof due);
    nl_eur(c.principal + c.charges, amount, sizeof amount);
    nl_eur(c.bik + c.bik_vat, costs, sizeof costs);

    CHECK(a->letter_set(l, "title", "Aanmaning"));
    CHECK(a->letter_set(l, "language", "nl"));
    if (ref != NULL)
        CHECK(a->letter_set(l, "reference", ref));
    address(st, v, "creditor.address", creditor, addr, sizeof addr);
    CHECK(a->letter_block(l, BATON_BLOCK_ADDRESS, addr));
    address(st, v, "debtor.address", debtor, addr, sizeof addr);
    CHECK(a->letter_block(l, BATON_BLOCK_ADDRESS, addr));
    snprintf(text, sizeof text, "%s, %s", bpc_str(st->api, v, "creditor.address.city", ""), date);
    CHECK(a->letter_block(l, BATON_BLOCK_DATE, text));
    CHECK(a->letter_block(l, BATON_BLOCK_TITLE, "Aanmaning: betaling binnen veertien dagen"));
    if (ref != NULL) {
        snprintf(row, sizeof row, "Kenmerk\t%s", ref);
        CHECK(a->letter_block(l, BATON_BLOCK_ROW, row));
    }
    snprintf(row, sizeof row, "Openstaand bedrag\t%s", amount);
    CHECK(a->letter_block(l, BATON_BLOCK_ROW, row));
    snprintf(row, sizeof row, "Vervaldatum\t%s", due);
    CHECK(a->letter_block(l, BATON_BLOCK_ROW, row));

    snprintf(text, sizeof text, "Geachte heer, mevrouw %s,", debtor);
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));
    snprintf(text, sizeof text,
             "Volgens onze administratie heeft u %s%s%s niet betaald. De betaling had uiterlijk "
             "op %s bij ons moeten zijn. Het openstaande bedrag is %s.",
             descr != NULL ? "het bedrag voor " : "het bedrag van uw rekening",
             descr != NULL ? descr : "", descr != NULL ? "" : "", due, amount);
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));
    snprintf(text, sizeof text,
             "Wij vragen u het bedrag van %s te betalen binnen veertien dagen vanaf de dag nadat "
             "deze brief bij u is bezorgd%s%s%s%s.",
             amount, iban != NULL ? ", op rekeningnummer " : "", iban != NULL ? iban : "",
             ref != NULL ? " onder vermelding van het kenmerk " : "", ref != NULL ? ref : "");
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));
    snprintf(text, sizeof text,
             "Betaalt u niet binnen deze termijn, dan bent u naast het openstaande bedrag "
             "buitengerechtelijke incassokosten verschuldigd van %s%s. Dit bedrag is berekend "
             "volgens het Besluit vergoeding voor buitengerechtelijke incassokosten.",
             costs, c.bik_vat > 0 ? " (inclusief 21 % btw)" : "");
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH, text));
    if (c.interest.claimed && !c.interest.contractual)
        CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH,
                              c.interest.commercial
                                  ? "Over het openstaande bedrag bent u bovendien de wettelijke "
                                    "handelsrente verschuldigd (artikel 6:119a Burgerlijk "
                                    "Wetboek)."
                                  : "Over het openstaande bedrag bent u bovendien de wettelijke "
                                    "rente verschuldigd (artikel 6:119 Burgerlijk Wetboek)."));
    CHECK(a->letter_block(l, BATON_BLOCK_PARAGRAPH,
                          "Bent u het niet eens met deze vordering, of kunt u niet in een keer "
                          "betalen? Neem dan binnen de termijn contact met ons op."));
    snprintf(text, sizeof text, "Met vriendelijke groet,\n%s", creditor);
    CHECK(a->letter_block(l, BATON_BLOCK_SIGNATURE, text));
    CHECK(a->letter_block(l, BATON_BLOCK_SMALLPRINT,
                          "Deze aanmaning is verzonden op grond van artikel 6:96 lid 6 Burgerlijk "
                          "Wetboek. De termijn van veertien dagen begint op de dag na ontvangst "
                          "van deze brief (Hoge Raad 25 november 2016, ECLI:NL:HR:2016:2704)."));
    return 0;
}
