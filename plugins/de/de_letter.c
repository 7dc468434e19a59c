/*
 * de_letter.c - the letters of the de plugin: "first_demand", a collection
 * agency's first demand (erste Geltendmachung) to a private person with
 * every disclosure of § 13a Abs. 1 RDG (version in force since 2025-01-01,
 * BGBl. 2023 I Nr. 64), written in German:
 *
 *   Nr. 1  name and address of the client (creditor)
 *   Nr. 2  ground of the claim: subject of the contract, date of contract
 *   Nr. 3  interest calculation: principal, rate, period
 *   Nr. 4  a separate notice when the rate exceeds the statutory default rate
 *   Nr. 5  kind, amount and ground of the collection costs
 *   Nr. 6  VAT on collection costs (none is claimed; the letter says so)
 *   Nr. 7  when the address was researched: a notice and how to object
 *   Nr. 8  name, address and electronic contact of the supervisory authority
 *
 * The collection costs claimed are a Geschäftsgebühr (Nr. 2300 VV RVG, rate
 * from config, default 0.5 for a first demand on an undisputed claim, Anm.
 * Abs. 2) plus the VV 7002 flat rate, capped at what a lawyer could claim
 * (§ 13e Abs. 1 RDG); only once the debtor is in default (§ 286 BGB).
 *
 * A letter that would lack a mandatory item (contract date, creditor
 * address, supervisory authority) is refused with BATON_EINVAL and a log
 * line naming the item, never rendered incomplete.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "de_internal.h"

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        rc = (expr);                                                                               \
        if (rc != 0)                                                                               \
            goto out;                                                                              \
    } while (0)

static const char *const de_kinds[] = {"first_demand", NULL};

/* Appends printf output to buf at *len (truncating silently at cap). */
static void appendf(char *buf, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void appendf(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
    if (*len >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len = (*len + (size_t)n < cap) ? *len + (size_t)n : cap - 1;
}

/*
 * Formats the address at prefix ("creditor.address") into buf, lines
 * separated by sep. Returns 0, or BATON_ENOENT when city or lines are
 * missing.
 */
static int format_address(const baton_host_api *api, const baton_view *cv, const char *prefix,
                          const char *sep, char *buf, size_t cap)
{
    char path[96];
    size_t n = 0, len = 0;
    const char *s, *city, *pc = NULL, *country = NULL;
    buf[0] = '\0';
    snprintf(path, sizeof path, "%s.lines", prefix);
    if (api->view_count(cv, path, &n) != 0 || n == 0)
        return BATON_ENOENT;
    snprintf(path, sizeof path, "%s.city", prefix);
    if (api->view_string(cv, path, &city) != 0)
        return BATON_ENOENT;
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s.lines[%zu]", prefix, i);
        if (api->view_string(cv, path, &s) == 0)
            appendf(buf, cap, &len, "%s%s", len ? sep : "", s);
    }
    snprintf(path, sizeof path, "%s.postcode", prefix);
    if (api->view_string(cv, path, &pc) != 0)
        pc = NULL;
    appendf(buf, cap, &len, "%s%s%s%s", sep, pc ? pc : "", pc ? " " : "", city);
    snprintf(path, sizeof path, "%s.country", prefix);
    if (api->view_string(cv, path, &country) == 0 && strcmp(country, "DE") != 0)
        appendf(buf, cap, &len, "%s%s", sep, country);
    return 0;
}

static const char *opt_str(const baton_host_api *api, const baton_view *cv, const char *path)
{
    const char *s;
    return api->view_string(cv, path, &s) == 0 && s[0] != '\0' ? s : NULL;
}

static int refuse(const de_state *st, const char *what)
{
    char msg[200];
    snprintf(msg, sizeof msg, "first_demand not rendered: %s is required by § 13a Abs. 1 RDG",
             what);
    st->api->log(st->host, BATON_LOG_WARN, msg);
    return BATON_EINVAL;
}

static int row(const baton_host_api *api, baton_letter *l, const char *label, const char *value)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s\t%s", label, value);
    return api->letter_block(l, BATON_BLOCK_ROW, buf);
}

static int render_first_demand(const de_state *st, const baton_view *cv, baton_letter *l)
{
    const baton_host_api *api = st->api;
    int rc = 0;
    de_case c;
    de_claimed_interest ci;
    char why[160], buf[2048], addr[512], a1[40], a2[40], a3[40], d1[11], d2[11];
    size_t len;

    if (de_case_read(st, cv, &c, why, sizeof why) != 0)
        return refuse(st, "a readable claim (principal, due date, as_of)");
    if (!c.is_eur)
        return refuse(st, "a claim in euro");

    /* Mandatory items first: refuse rather than render an incomplete
     * statutory letter. */
    const char *cred = opt_str(api, cv, "creditor.name");
    char cred_addr[512];
    if (cred == NULL)
        return refuse(st, "creditor.name (Nr. 1)");
    if (format_address(api, cv, "creditor.address", ", ", cred_addr, sizeof cred_addr) != 0)
        return refuse(st, "creditor.address (Nr. 1)");
    const char *subject = opt_str(api, cv, "claim.description");
    baton_date contract_date;
    if (subject == NULL)
        return refuse(st, "claim.description, the subject of the contract (Nr. 2)");
    if (api->view_date(cv, "claim.contract_date", &contract_date) != 0)
        return refuse(st, "claim.contract_date (Nr. 2)");
    if (st->supervisor_name == NULL || st->supervisor_address == NULL ||
        st->supervisor_contact == NULL)
        return refuse(st, "config.supervisor name, address and contact (Nr. 8)");
    const char *debtor = opt_str(api, cv, "debtor.name");
    char debtor_addr[512];
    if (debtor == NULL ||
        format_address(api, cv, "debtor.address", "\n", debtor_addr, sizeof debtor_addr) != 0)
        return refuse(st, "debtor.name and debtor.address");

    rc = de_claimed_interest_compute(st, &c, &ci);
    if (rc != 0)
        return refuse(st, "interest computable from the base-rate table (Nr. 3)");

    /* Sender: the collection agency, else the creditor itself. */
    int agency = api->view_type(cv, "collector") == BATON_VIEW_OBJECT;
    const char *sender = agency ? opt_str(api, cv, "collector.name") : cred;
    if (sender == NULL)
        sender = cred;
    const char *registration = agency ? opt_str(api, cv, "collector.registration") : NULL;
    const char *contact_email = agency ? opt_str(api, cv, "collector.contact.email") : NULL;
    if (contact_email == NULL)
        contact_email = opt_str(api, cv, "creditor.contact.email");

    /* Collection costs: only once in default (they are damages for delay). */
    int64_t coll_fee = 0, coll_pausch = 0;
    int64_t simple;
    int costs = c.verzug != DE_VERZUG_NONE && c.fees != DE_FEES_NONE &&
                de_rvg_fee_inkasso(c.fees, c.principal.minor, &simple) == 0;
    if (costs) {
        coll_fee = de_fee_rate(simple, st->collection_fee_tenths);
        coll_pausch = de_vv7002(coll_fee);
    }
    int64_t interest = ci.any ? ci.calc.amount : 0;
    /* principal and costs are bounded (DE_MAX_PRINCIPAL); interest is not. */
    if (interest > INT64_MAX - c.principal.minor - coll_fee - coll_pausch)
        return refuse(st, "a total that fits the amount range");
    int64_t total = c.principal.minor + interest + coll_fee + coll_pausch;

    const char *ref = opt_str(api, cv, "claim.reference");
    if (ref == NULL)
        ref = opt_str(api, cv, "case_id");
    TRY(api->letter_set(l, "title", "Zahlungsaufforderung"));
    TRY(api->letter_set(l, "language", "de"));
    if (ref != NULL)
        TRY(api->letter_set(l, "reference", ref));

    /* Sender and addressee. */
    len = 0;
    buf[0] = '\0';
    appendf(buf, sizeof buf, &len, "%s", sender);
    if (agency && format_address(api, cv, "collector.address", ", ", addr, sizeof addr) == 0)
        appendf(buf, sizeof buf, &len, "\n%s", addr);
    else if (!agency)
        appendf(buf, sizeof buf, &len, "\n%s", cred_addr);
    if (registration != NULL)
        appendf(buf, sizeof buf, &len, "\nRegistrierung: %s", registration);
    TRY(api->letter_block(l, BATON_BLOCK_LETTERHEAD, buf));
    snprintf(buf, sizeof buf, "%s\n%s", debtor, debtor_addr);
    TRY(api->letter_block(l, BATON_BLOCK_ADDRESS, buf));
    de_fmt_date(c.as_of, d1);
    TRY(api->letter_block(l, BATON_BLOCK_DATE, d1));
    snprintf(buf, sizeof buf, "Zahlungsaufforderung – Gläubiger: %s%s%s", cred,
             ref ? ", Zeichen " : "", ref ? ref : "");
    TRY(api->letter_block(l, BATON_BLOCK_TITLE, buf));
    const char *dkind = opt_str(api, cv, "debtor.kind");
    char greeting[300];
    if (dkind != NULL && strcmp(dkind, "business") == 0)
        snprintf(greeting, sizeof greeting, "Sehr geehrte Damen und Herren,");
    else
        snprintf(greeting, sizeof greeting, "Guten Tag %s,", debtor);
    snprintf(buf, sizeof buf,
             "%s\n%s fordert Sie hiermit erstmals zur Zahlung der unten bezeichneten "
             "Forderung auf%s. Die folgenden Angaben machen wir nach § 13a Abs. 1 des "
             "Rechtsdienstleistungsgesetzes (RDG).",
             greeting, agency ? "unser Unternehmen" : cred,
             agency ? ", die uns unser Auftraggeber zur Einziehung übertragen hat" : "");
    TRY(api->letter_block(l, BATON_BLOCK_PARAGRAPH, buf));

    /* Nr. 1 */
    TRY(api->letter_block(l, BATON_BLOCK_HEADING, "1. Auftraggeber (Gläubiger)"));
    TRY(row(api, l, "Name", cred));
    TRY(row(api, l, "Anschrift", cred_addr));
    const char *orig = opt_str(api, cv, "assignments[0].from");
    if (orig != NULL)
        TRY(row(api, l, "Ursprünglicher Gläubiger", orig));

    /* Nr. 2 */
    TRY(api->letter_block(l, BATON_BLOCK_HEADING, "2. Forderungsgrund"));
    TRY(row(api, l, "Vertragsgegenstand", subject));
    de_fmt_date(contract_date, d1);
    TRY(row(api, l, "Datum des Vertragsschlusses", d1));
    if (ref != NULL)
        TRY(row(api, l, "Rechnung / Zeichen", ref));
    de_fmt_date(c.due_date, d1);
    TRY(row(api, l, "Fällig am", d1));

    /* Nr. 3 */
    TRY(api->letter_block(l, BATON_BLOCK_HEADING, "3. Zinsberechnung"));
    de_fmt_eur(c.principal.minor, a1, sizeof a1);
    if (ci.any) {
        TRY(row(api, l, "Zu verzinsende Forderung", a1));
        if (ci.contractual) {
            de_fmt_pct(c.contract_bp, a2, sizeof a2);
            snprintf(buf, sizeof buf, "%s p. a. (vertraglich vereinbart)", a2);
        } else {
            snprintf(buf, sizeof buf,
                     "%d Prozentpunkte über dem jeweiligen Basiszinssatz (§ 288 Abs. %d BGB, "
                     "§ 247 BGB)",
                     (int)(ci.margin_bp / 100), c.b2b ? 2 : 1);
        }
        TRY(row(api, l, "Zinssatz", buf));
        de_fmt_date(ci.calc.seg[0].from, d1);
        de_fmt_date(c.as_of, d2);
        snprintf(buf, sizeof buf, "vom %s bis %s (%lld Tage)", d1, d2, (long long)ci.calc.days);
        TRY(row(api, l, "Zeitraum", buf));
        for (size_t i = 0; i < ci.calc.nseg; i++) {
            de_fmt_date(ci.calc.seg[i].from, d1);
            de_fmt_date(ci.calc.seg[i].to, d2);
            de_fmt_pct(ci.calc.seg[i].rate_bp, a2, sizeof a2);
            snprintf(buf, sizeof buf, "%s bis %s: %s p. a. auf %s (%lld Tage)", d1, d2, a2, a1,
                     (long long)ci.calc.seg[i].days);
            TRY(api->letter_block(l, BATON_BLOCK_BULLET, buf));
        }
        de_fmt_eur(ci.calc.amount, a2, sizeof a2);
        TRY(row(api, l, "Zinsen", a2));
        TRY(api->letter_block(l, BATON_BLOCK_SMALLPRINT,
                              "Berechnung taggenau, Jahr zu 365 Tagen; Summe einmal auf den "
                              "Cent gerundet."));
    } else {
        TRY(api->letter_block(l, BATON_BLOCK_PARAGRAPH, "Zinsen werden nicht geltend gemacht."));
    }

    /* Nr. 4 */
    TRY(api->letter_block(l, BATON_BLOCK_HEADING, "4. Zinssatz und gesetzlicher Verzugszins"));
    if (ci.any && ci.contractual && c.contract_bp > ci.statutory_bp_now) {
        de_fmt_pct(c.contract_bp, a2, sizeof a2);
        de_fmt_pct(ci.statutory_bp_now, a3, sizeof a3);
        de_fmt_date(contract_date, d1);
        snprintf(buf, sizeof buf,
                 "Hinweis: Der geforderte Zinssatz von %s p. a. liegt über dem gesetzlichen "
                 "Verzugszinssatz von derzeit %s p. a. Grund: Der höhere Zinssatz ist im Vertrag "
                 "vom %s vereinbart (§ 288 Abs. 3 BGB).",
                 a2, a3, d1);
        TRY(api->letter_block(l, BATON_BLOCK_PARAGRAPH, buf));
    } else {
        TRY(api->letter_block(l, BATON_BLOCK_PARAGRAPH,
                              "Es wird kein Zinssatz über dem gesetzlichen Verzugszinssatz "
                              "verlangt."));
    }

    /* Nr. 5 */
    TRY(api->letter_block(l, BATON_BLOCK_HEADING, "5. Inkassokosten"));
    if (costs) {
        char rate[24];
        snprintf(rate, sizeof rate, "%d,%d", st->collection_fee_tenths / 10,
                 st->collection_fee_tenths % 10);
        TRY(row(api, l, "Art", "Inkassovergütung (Geschäftsgebühr) und Auslagenpauschale"));
        de_fmt_eur(coll_fee, a2, sizeof a2);
        snprintf(buf, sizeof buf, "Geschäftsgebühr %s nach Nr. 2300 VV RVG aus %s", rate, a1);
        TRY(row(api, l, buf, a2));
        de_fmt_eur(coll_pausch, a2, sizeof a2);
        TRY(row(api, l, "Pauschale für Post und Telekommunikation, Nr. 7002 VV RVG", a2));
        de_fmt_date(c.verzug_from, d1);
        snprintf(buf, sizeof buf,
                 "Entstehungsgrund: Sie befinden sich seit dem %s in Verzug (§ 286 BGB). Die "
                 "Kosten der Beauftragung eines Inkassodienstleisters sind Verzugsschaden "
                 "(§§ 280 Abs. 1 und 2, 286 BGB). Sie werden höchstens in der Höhe verlangt, die "
                 "einem Rechtsanwalt nach dem Rechtsanwaltsvergütungsgesetz zustünde (§ 13e "
                 "Abs. 1 RDG); Gebührentabelle des § 13 RVG in der Fassung des %s.",
                 d1, de_fee_version_name(c.fees));
        TRY(api->letter_block(l, BATON_BLOCK_PARAGRAPH, buf));
    } else {
        TRY(api->letter_block(l, BATON_BLOCK_PARAGRAPH,
                              "Inkassokosten werden nicht geltend gemacht."));
    }

    /* Nr. 6 */
    TRY(api->letter_block(l, BATON_BLOCK_HEADING, "6. Umsatzsteuer"));
    TRY(api->letter_block(l, BATON_BLOCK_PARAGRAPH,
                          "Auf die Inkassokosten wird keine Umsatzsteuer verlangt."));

    /* Nr. 7 */
    int researched = 0;
    if (api->view_bool(cv, "ext.de.address_researched", &researched) == 0 && researched) {
        TRY(api->letter_block(l, BATON_BLOCK_HEADING, "7. Ermittlung Ihrer Anschrift"));
        snprintf(buf, sizeof buf,
                 "Ihre Anschrift wurde uns nicht von unserem Auftraggeber mitgeteilt, sondern "
                 "anderweitig ermittelt. Ist sie fehlerhaft oder betrifft dieses Schreiben nicht "
                 "Sie, teilen Sie uns dies bitte schriftlich%s%s mit; wir berichtigen die Angaben "
                 "unverzüglich.",
                 contact_email ? " oder per E-Mail an " : "", contact_email ? contact_email : "");
        TRY(api->letter_block(l, BATON_BLOCK_PARAGRAPH, buf));
    }

    /* Nr. 8 */
    TRY(api->letter_block(l, BATON_BLOCK_HEADING, "8. Zuständige Aufsichtsbehörde"));
    TRY(row(api, l, "Behörde", st->supervisor_name));
    TRY(row(api, l, "Anschrift", st->supervisor_address));
    TRY(row(api, l, "Elektronisch erreichbar", st->supervisor_contact));

    /* Statement of account and payment. */
    TRY(api->letter_block(l, BATON_BLOCK_HEADING, "Forderungsaufstellung"));
    TRY(row(api, l, "Hauptforderung", a1));
    if (ci.any) {
        de_fmt_date(c.as_of, d1);
        de_fmt_eur(interest, a2, sizeof a2);
        snprintf(buf, sizeof buf, "Zinsen bis %s", d1);
        TRY(row(api, l, buf, a2));
    }
    if (costs) {
        de_fmt_eur(coll_fee + coll_pausch, a2, sizeof a2);
        TRY(row(api, l, "Inkassokosten", a2));
    }
    de_fmt_eur(total, a2, sizeof a2);
    TRY(row(api, l, "Gesamtbetrag", a2));

    de_fmt_date(baton_date_add_days(c.as_of, 14), d1);
    len = 0;
    buf[0] = '\0';
    appendf(buf, sizeof buf, &len, "Bitte zahlen Sie den Gesamtbetrag von %s bis zum %s", a2, d1);
    const char *iban = opt_str(api, cv, "creditor.payment.iban");
    const char *pref = opt_str(api, cv, "creditor.payment.reference");
    if (iban != NULL)
        appendf(buf, sizeof buf, &len, " auf das Konto IBAN %s", iban);
    if (pref != NULL || ref != NULL)
        appendf(buf, sizeof buf, &len, " unter Angabe von \"%s\"", pref ? pref : ref);
    appendf(buf, sizeof buf, &len, ".");
    TRY(api->letter_block(l, BATON_BLOCK_PARAGRAPH, buf));
    TRY(api->letter_block(l, BATON_BLOCK_PARAGRAPH,
                          "Halten Sie die Forderung für unberechtigt, teilen Sie uns dies bitte "
                          "mit. Auf Anfrage teilen wir Ihnen außerdem mit, in wessen Person die "
                          "Forderung entstanden ist und unter welchen wesentlichen Umständen der "
                          "Vertrag geschlossen wurde (§ 13a Abs. 2 RDG)."));
    snprintf(buf, sizeof buf, "Mit freundlichen Grüßen\n%s", sender);
    TRY(api->letter_block(l, BATON_BLOCK_SIGNATURE, buf));
out:
    return rc;
}

static int de_render(void *state, const char *kind, const baton_view *cv, baton_letter *out)
{
    if (kind == NULL || strcmp(kind, "first_demand") != 0)
        return BATON_EUNSUPP;
    return render_first_demand(state, cv, out);
}

const baton_letter_formats de_letter_formats = {
    sizeof(baton_letter_formats),
    de_kinds,
    de_render,
};
