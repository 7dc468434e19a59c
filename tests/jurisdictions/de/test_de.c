/*
 * test_de.c - the built de.so through the host runtime: a plugin set with
 * the default config (plugins/de/config.default.json), evaluations of the
 * case files tests/cases/de-*.json (some varied in place: as_of, amounts,
 * parties), and the first_demand letter checked for every § 13a Abs. 1 RDG
 * item.
 *
 * Expected amounts are worked from the published tables (GKG/RVG Anlage 2,
 * 2025 version), the Bundesbank base rate (1.27 % from 2025-07-01 and
 * 2026-01-01) and § 288 BGB; the arithmetic is in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "evaluate.h"
#include "letter.h"
#include "letter_render.h"
#include "letters.h"
#include "plugin_set.h"
#include "test_plugins.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && fseek(f, 0, SEEK_SET) == 0) {
            buf = malloc((size_t)n + 1);
            if (buf != NULL) {
                size_t got = fread(buf, 1, (size_t)n, f);
                buf[got] = '\0';
            }
        }
    }
    fclose(f);
    return buf;
}

static cJSON *load_json(const char *path)
{
    char *text = slurp(path);
    assert_non_null(text);
    cJSON *j = cJSON_Parse(text);
    free(text);
    assert_non_null(j);
    return j;
}

static cJSON *load_case(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", DE_CASES_DIR, name);
    return load_json(path);
}

/* Sets (or replaces) a string at a dot path of objects in c. */
static void set_string(cJSON *c, const char *path, const char *value)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    cJSON *node = c;
    char *save = NULL;
    char *part = strtok_r(buf, ".", &save);
    while (part != NULL) {
        char *next = strtok_r(NULL, ".", &save);
        if (next == NULL) {
            cJSON_DeleteItemFromObjectCaseSensitive(node, part);
            assert_non_null(cJSON_AddStringToObject(node, part, value));
            return;
        }
        cJSON *child = cJSON_GetObjectItemCaseSensitive(node, part);
        if (child == NULL)
            child = cJSON_AddObjectToObject(node, part);
        assert_non_null(child);
        node = child;
        part = next;
    }
}

static void set_number(cJSON *c, const char *obj_path, const char *key, double v)
{
    cJSON *node = c;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", obj_path);
    char *save = NULL;
    for (char *p = strtok_r(buf, ".", &save); p != NULL; p = strtok_r(NULL, ".", &save))
        node = cJSON_GetObjectItemCaseSensitive(node, p);
    assert_non_null(node);
    cJSON_DeleteItemFromObjectCaseSensitive(node, key);
    assert_non_null(cJSON_AddNumberToObject(node, key, v));
}

static void remove_item(cJSON *c, const char *obj, const char *key)
{
    cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, obj), key);
}

typedef struct fixture {
    bh_plugin_set *set;
    int refusals;
    char last[512];
} fixture;

static void on_refusal(void *ctx, const char *tenant, const char *path, const char *message)
{
    (void)tenant;
    (void)path;
    fixture *f = ctx;
    f->refusals++;
    snprintf(f->last, sizeof f->last, "%s", message);
}

static bh_plugin_set *load_set(fixture *f, cJSON *config)
{
    cJSON *plugins = cJSON_CreateArray();
    cJSON *entry = cJSON_CreateObject();
    assert_non_null(plugins);
    assert_non_null(entry);
    cJSON_AddStringToObject(entry, "path", "de.so");
    if (config != NULL)
        cJSON_AddItemToObject(entry, "config", config);
    cJSON_AddItemToArray(plugins, entry);
    char err[256] = "";
    bh_plugin_set *set = NULL;
    assert_int_equal(test_plugin_set_load("tenant-de", plugins, BATON_PLUGIN_DIR, on_refusal, f,
                                          &set, err, sizeof err),
                     0);
    cJSON_Delete(plugins);
    return set;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    f->set = load_set(f, load_json(DE_CONFIG_FILE));
    if (f->set == NULL || f->set->count != 1) {
        fprintf(stderr, "de.so not loaded: %s\n", f->last);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    bh_plugin_set_unref(f->set);
    free(f);
    return 0;
}

static cJSON *evaluate(fixture *f, cJSON *c)
{
    cJSON *answer = NULL;
    bh_eval_error e;
    memset(&e, 0, sizeof e);
    int rc = bh_evaluate(f->set, c, NULL, &answer, &e);
    if (rc != 0)
        fail_msg("evaluation failed: %s %s", e.code, e.message);
    return answer;
}

/* Sum of the cost lines of kind whose label starts with prefix (NULL: any);
 * -1 when there is none. */
static int64_t cost(const cJSON *answer, const char *kind, const char *prefix)
{
    int64_t sum = -1;
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(answer, "costs"))
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(item, "kind");
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(item, "label");
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(item, "amount");
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(a, "minor");
        if (!cJSON_IsString(k) || strcmp(k->valuestring, kind) != 0)
            continue;
        if (prefix != NULL &&
            (!cJSON_IsString(l) || strncmp(l->valuestring, prefix, strlen(prefix)) != 0))
            continue;
        assert_true(cJSON_IsNumber(m));
        sum = (sum < 0 ? 0 : sum) + (int64_t)m->valuedouble;
    }
    return sum;
}

/* Status of the finding with code, or NULL. */
static const char *finding(const cJSON *answer, const char *code)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(answer, "findings"))
    {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(item, "code");
        if (cJSON_IsString(c) && strcmp(c->valuestring, code) == 0)
            return cJSON_GetObjectItemCaseSensitive(item, "status")->valuestring;
    }
    return NULL;
}

/* A fact as a string ("facts.a.b" nested); NULL when absent. */
static const char *fact(const cJSON *answer, const char *a, const char *b)
{
    const cJSON *facts = cJSON_GetObjectItemCaseSensitive(answer, "facts");
    const cJSON *n =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(facts, a), b);
    return cJSON_IsString(n) ? n->valuestring : NULL;
}

/* facts.a.b.c as a string, or NULL. */
static const char *fact3(const cJSON *answer, const char *a, const char *b, const char *c)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(answer, "facts");
    n = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(n, a), b);
    n = cJSON_GetObjectItemCaseSensitive(n, c);
    return cJSON_IsString(n) ? n->valuestring : NULL;
}

static void assert_status(const cJSON *answer, const char *code, const char *want)
{
    const char *got = finding(answer, code);
    if (got == NULL || strcmp(got, want) != 0)
        fail_msg("finding %s: %s, want %s", code, got ? got : "(absent)", want);
}

static void consumer_case_goes_to_mahnverfahren_with_2025_fees(void **state)
{
    fixture *f = *state;
    cJSON *c = load_case("de-consumer-mahnverfahren.json");
    cJSON *a = evaluate(f, c);

    /* Streitwert 1,250 EUR -> GKG row 1,500: 82,00; KV 1100 0.5 = 41,00. */
    assert_int_equal(cost(a, "court_fee", NULL), 4100);
    /* RVG row 1,500: 134,50; VV 3305 1.0 = 134,50; VV 3308 0.5 = 67,25;
     * VV 7002 20 % of 201,75 capped at 20,00. */
    assert_int_equal(cost(a, "lawyer_fee", "Verfahrensgebühr Mahnverfahren"), 13450);
    assert_int_equal(cost(a, "lawyer_fee", "Verfahrensgebühr Vollstreckungsbescheid"), 6725);
    assert_int_equal(cost(a, "lawyer_fee", "Pauschale"), 2000);
    /* Reminder posted 16.02.2026, received 19.02., default from 20.02.2026;
     * 131 days to 30.06.2026 at 1.27 + 5 = 6.27 %, then 146 days to
     * 23.11.2026 at 1.52 + 5 = 6.52 % (Basiszinssatz from 01.07.2026):
     * 1,250.00 * (6.27 % * 131 + 6.52 % * 146) / 365 = 60.729 -> 60.73. */
    assert_int_equal(cost(a, "interest", NULL), 6073);
    /* A consumer owes no § 288 Abs. 5 flat fee. */
    assert_int_equal(cost(a, "compensation", NULL), -1);

    assert_string_equal(fact(a, "route", "procedure"), "mahnverfahren");
    assert_string_equal(fact(a, "route", "court"), "amtsgericht");
    assert_string_equal(fact(a, "fees", "table_version"), "KostBRÄG 2025");
    assert_string_equal(fact(a, "interest", "from"), "2026-02-20");
    /* Due 31.01.2026: the period ends 31.12.2029 (a Monday). */
    assert_string_equal(fact(a, "limitation", "deadline"), "2029-12-31");
    assert_status(a, "limitation_regular", "met");
    assert_status(a, "verzug", "met");
    assert_status(a, "first_demand_13a", "met");
    assert_status(a, "debtor_address", "met");
    /* The shipped table reaches 01.07.2026 and is complete to 31.12.2026:
     * no warning, and the answer names its version. */
    assert_null(finding(a, "params_beyond_horizon"));
    assert_string_equal(fact3(a, "params", "basiszinssatz", "version"), "bundesbank-2026-07-01");
    assert_string_equal(fact3(a, "params", "gkg_rvg_fees", "version"), "kostbraeg-2025-06-01");
    cJSON_Delete(a);

    /* The same claim against a business debtor: § 288 Abs. 2 (+9 points)
     * and § 288 Abs. 5. 1,250.00 * (10.27 % * 131 + 10.52 % * 146) / 365 =
     * 98.674 -> 98.67. */
    set_string(c, "debtor.kind", "business");
    a = evaluate(f, c);
    assert_int_equal(cost(a, "interest", NULL), 9867);
    assert_int_equal(cost(a, "compensation", NULL), 4000);
    cJSON_Delete(a);
    /* A sole trader creditor is an Unternehmer (§ 14 BGB): the same. */
    set_string(c, "creditor.kind", "sole_trader");
    a = evaluate(f, c);
    assert_int_equal(cost(a, "interest", NULL), 9867);
    cJSON_Delete(a);
    /* A private creditor: § 288 Abs. 1 (+5 points) even against a business. */
    set_string(c, "creditor.kind", "individual");
    a = evaluate(f, c);
    assert_int_equal(cost(a, "interest", NULL), 6073);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void disputed_b2b_case_goes_to_the_landgericht(void **state)
{
    fixture *f = *state;
    cJSON *c = load_case("de-b2b-dispute-landgericht.json");
    cJSON *a = evaluate(f, c);
    /* Open dispute: Klage. 12,500 EUR > 10,000: Landgericht. GKG row
     * 13,000: 313,50 x 3.0 = 940,50. RVG row 13,000: 707,00; 1.3 = 919,10;
     * 1.2 = 848,40; VV 7002 20,00. */
    assert_string_equal(fact(a, "route", "procedure"), "klage");
    assert_string_equal(fact(a, "route", "court"), "landgericht");
    assert_int_equal(cost(a, "court_fee", NULL), 94050);
    assert_int_equal(cost(a, "lawyer_fee", "Verfahrensgebühr"), 91910);
    assert_int_equal(cost(a, "lawyer_fee", "Terminsgebühr"), 84840);
    assert_int_equal(cost(a, "lawyer_fee", "Pauschale"), 2000);
    /* Due date fixed by the calendar: default from 01.10.2025; 153 days to
     * 02.03.2026 at 1.27 + 9 = 10.27 %: 12,500 * 10.27 % * 153 / 365 =
     * 538.119 -> 538.12. */
    assert_int_equal(cost(a, "interest", NULL), 53812);
    assert_int_equal(cost(a, "compensation", NULL), 4000);
    assert_status(a, "disputes_open", "warn");
    /* Due in 2025: 31.12.2028 is a Sunday, 01.01.2029 Neujahr -> 02.01.2029. */
    assert_string_equal(fact(a, "limitation", "deadline"), "2029-01-02");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void expect_court(fixture *f, cJSON *c, const char *as_of, const char *amount,
                         const char *court)
{
    set_string(c, "as_of", as_of);
    set_string(c, "claim.principal.amount", amount);
    cJSON *a = evaluate(f, c);
    const char *got = fact(a, "route", "court");
    if (got == NULL || strcmp(got, court) != 0)
        fail_msg("%s on %s: %s, want %s", amount, as_of, got ? got : "(none)", court);
    cJSON_Delete(a);
}

static void amtsgericht_limit_edges_before_and_after_2026(void **state)
{
    fixture *f = *state;
    cJSON *c = load_case("de-b2b-dispute-landgericht.json");
    expect_court(f, c, "2025-12-31", "5000.00", "amtsgericht");
    expect_court(f, c, "2025-12-31", "5000.01", "landgericht");
    expect_court(f, c, "2026-01-01", "5000.01", "amtsgericht");
    expect_court(f, c, "2026-01-01", "10000.00", "amtsgericht");
    expect_court(f, c, "2026-01-01", "10000.01", "landgericht");
    cJSON_Delete(c);
}

static void court_fee_follows_the_filing_date_across_1_june_2025(void **state)
{
    fixture *f = *state;
    cJSON *c = load_case("de-consumer-mahnverfahren.json");
    set_string(c, "claim.due_date", "2025-01-31");
    /* 1,250 EUR, Mahnverfahren: 0.5 x 78,00 = 39,00 (2021 table) on
     * 31.05.2025; 0.5 x 82,00 = 41,00 (2025 table) on 01.06.2025. */
    set_string(c, "as_of", "2025-05-31");
    cJSON *a = evaluate(f, c);
    assert_int_equal(cost(a, "court_fee", NULL), 3900);
    /* RVG 2021 row 1,500: 127,00. */
    assert_int_equal(cost(a, "lawyer_fee", "Verfahrensgebühr Mahnverfahren"), 12700);
    assert_string_equal(fact(a, "fees", "table_version"), "KostRÄG 2021");
    cJSON_Delete(a);
    set_string(c, "as_of", "2025-06-01");
    a = evaluate(f, c);
    assert_int_equal(cost(a, "court_fee", NULL), 4100);
    assert_int_equal(cost(a, "lawyer_fee", "Verfahrensgebühr Mahnverfahren"), 13450);
    cJSON_Delete(a);
    /* A small claim pays the KV 1100 minimum: 300 EUR -> 0.5 x 40,00 =
     * 20,00, minimum 38,00. */
    set_string(c, "claim.principal.amount", "300.00");
    a = evaluate(f, c);
    assert_int_equal(cost(a, "court_fee", NULL), 3800);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void limitation_blocks_from_1_january(void **state)
{
    fixture *f = *state;
    cJSON *c = load_case("de-consumer-time-barred.json");
    /* Due 10.05.2021: period ends 31.12.2024 (Tuesday). */
    set_string(c, "as_of", "2024-12-31");
    cJSON *a = evaluate(f, c);
    assert_string_equal(fact(a, "limitation", "deadline"), "2024-12-31");
    assert_null(finding(a, "limitation_time_barred"));
    assert_status(a, "limitation_regular", "warn");
    cJSON_Delete(a);

    set_string(c, "as_of", "2025-01-01");
    a = evaluate(f, c);
    assert_status(a, "limitation_time_barred", "block");
    cJSON_Delete(a);

    /* An acknowledgment on 01.12.2024 restarts the period to 01.12.2027. */
    set_string(c, "claim.acknowledged_date", "2024-12-01");
    a = evaluate(f, c);
    assert_null(finding(a, "limitation_time_barred"));
    assert_string_equal(fact(a, "limitation", "deadline"), "2027-12-01");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* facts.a.b as an integer; fails when absent. */
static int64_t fact_int(const cJSON *answer, const char *a, const char *b)
{
    const cJSON *facts = cJSON_GetObjectItemCaseSensitive(answer, "facts");
    const cJSON *n =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(facts, a), b);
    if (!cJSON_IsNumber(n))
        fail_msg("facts.%s.%s: not a number", a, b);
    return (int64_t)n->valuedouble;
}

/* The limitation facts at their day edges: on the last day (31.12.2024)
 * the claim is not time-barred (0 days left), the next day it is; the
 * warning starts exactly 90 days before the last day (02.10.2024), not 91
 * (01.10.2024). */
static void limitation_facts_at_the_day_edges(void **state)
{
    fixture *f = *state;
    cJSON *c = load_case("de-consumer-time-barred.json");
    static const struct {
        const char *as_of;
        int64_t days_left, barred;
        const char *regular;
    } rows[] = {
        {"2024-10-01", 91, 0, "met"},
        {"2024-10-02", 90, 0, "warn"},
        {"2024-12-31", 0, 0, "warn"},
        {"2025-01-01", -1, 1, NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        set_string(c, "as_of", rows[i].as_of);
        cJSON *a = evaluate(f, c);
        assert_string_equal(fact(a, "limitation", "deadline"), "2024-12-31");
        assert_int_equal(fact_int(a, "limitation", "days_left"), rows[i].days_left);
        assert_int_equal(fact_int(a, "limitation", "time_barred"), rows[i].barred);
        if (rows[i].regular != NULL)
            assert_status(a, "limitation_regular", rows[i].regular);
        cJSON_Delete(a);
    }
    cJSON_Delete(c);
}

/* § 288 Abs. 5 BGB: the 40 EUR flat fee is owed from the first day of
 * default (20.02.2026 in this case), not only from the day after. */
static void flat_fee_is_owed_from_the_first_day_of_default(void **state)
{
    fixture *f = *state;
    cJSON *c = load_case("de-consumer-mahnverfahren.json");
    set_string(c, "debtor.kind", "business");
    set_string(c, "as_of", "2026-02-20");
    cJSON *a = evaluate(f, c);
    assert_string_equal(fact(a, "interest", "from"), "2026-02-20");
    assert_int_equal(cost(a, "compensation", NULL), 4000);
    cJSON_Delete(a);
    set_string(c, "as_of", "2026-02-19");
    a = evaluate(f, c);
    assert_int_equal(cost(a, "compensation", NULL), -1);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

static void no_default_means_no_interest_and_a_missing_item(void **state)
{
    fixture *f = *state;
    cJSON *c = load_case("de-consumer-mahnverfahren.json");
    cJSON_DeleteItemFromObjectCaseSensitive(c, "letters_sent");
    /* A consumer and no reminder: the invoice without the § 286 Abs. 3
     * notice does not put the debtor in default. */
    cJSON *a = evaluate(f, c);
    assert_status(a, "verzug", "missing");
    assert_status(a, "first_demand_13a", "missing");
    assert_int_equal(cost(a, "interest", NULL), -1);
    cJSON_Delete(a);
    /* With the notice on the invoice (15.01.2026, received 18.01.): due
     * 31.01.2026, default from 03.03.2026 (31 days after the due date). */
    cJSON_AddTrueToObject(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "ext"), "de"),
        "invoice_notice_30_days");
    a = evaluate(f, c);
    assert_status(a, "verzug", "met");
    assert_string_equal(fact(a, "interest", "from"), "2026-03-03");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* All block texts of a letter, one per line. */
static char *letter_text(const baton_letter *l)
{
    size_t n = 1;
    for (size_t i = 0; i < l->count; i++)
        n += strlen(l->blocks[i].text) + 1;
    char *s = malloc(n);
    assert_non_null(s);
    s[0] = '\0';
    for (size_t i = 0; i < l->count; i++) {
        strcat(s, l->blocks[i].text);
        strcat(s, "\n");
    }
    return s;
}

static void expect_in(const char *text, const char *what, const char *item)
{
    if (strstr(text, what) == NULL)
        fail_msg("%s: \"%s\" not in the letter", item, what);
}

static char *compose(fixture *f, cJSON *c, int *rc)
{
    baton_letter *l = NULL;
    bh_eval_error e;
    memset(&e, 0, sizeof e);
    *rc = bh_letter_compose(f->set, c, "first_demand", NULL, &l, &e);
    if (*rc != 0)
        return NULL;
    char *t = letter_text(l);
    bh_letter_free(l);
    return t;
}

static void first_demand_carries_every_13a_item(void **state)
{
    fixture *f = *state;
    int rc;
    cJSON *c = load_case("de-consumer-mahnverfahren.json");
    char *t = compose(f, c, &rc);
    assert_int_equal(rc, 0);
    /* Nr. 1: name and address of the client. */
    expect_in(t, "Name\tStadtwerke Musterstadt GmbH", "Nr. 1 name");
    expect_in(t, "Anschrift\tHauptstraße 1, 12345 Musterstadt", "Nr. 1 address");
    /* Nr. 2: subject and date of the contract. */
    expect_in(t, "Vertragsgegenstand\tStromlieferung Januar bis Dezember 2025", "Nr. 2 subject");
    expect_in(t, "Datum des Vertragsschlusses\t01.12.2024", "Nr. 2 date");
    /* Nr. 3: principal, rate, period. */
    expect_in(t, "Zu verzinsende Forderung\t1.250,00 €", "Nr. 3 principal");
    expect_in(t, "Zinssatz\t5 Prozentpunkte über dem jeweiligen Basiszinssatz", "Nr. 3 rate");
    expect_in(t, "Zeitraum\tvom 20.02.2026 bis 23.11.2026 (277 Tage)", "Nr. 3 period");
    expect_in(t, "6,52 % p. a.", "Nr. 3 rate in force");
    expect_in(t, "Zinsen\t60,73 €", "Nr. 3 amount");
    /* Nr. 4: no rate above the statutory one, and it says so. */
    expect_in(t, "kein Zinssatz über dem gesetzlichen Verzugszinssatz", "Nr. 4");
    /* Nr. 5: kind, amount and ground of the collection costs: RVG 2025 row
     * 1,500 = 134,50; 0.5 = 67,25; VV 7002 20 % = 13,45. */
    expect_in(t, "Art\tInkassovergütung", "Nr. 5 kind");
    expect_in(t, "Geschäftsgebühr 0,5 nach Nr. 2300 VV RVG aus 1.250,00 €\t67,25 €", "Nr. 5 fee");
    expect_in(t, "Nr. 7002 VV RVG\t13,45 €", "Nr. 5 Pauschale");
    expect_in(t, "Entstehungsgrund: Sie befinden sich seit dem 20.02.2026 in Verzug",
              "Nr. 5 ground");
    /* Nr. 6: VAT. */
    expect_in(t, "keine Umsatzsteuer", "Nr. 6");
    /* Nr. 7: the address was researched. */
    expect_in(t, "anderweitig ermittelt", "Nr. 7 notice");
    expect_in(t, "service@nordlicht-inkasso.example", "Nr. 7 how to object");
    /* Nr. 8: supervisory authority from the config. */
    expect_in(t, "Bundesamt für Justiz", "Nr. 8 name");
    expect_in(t, "Adenauerallee 99-103, 53113 Bonn", "Nr. 8 address");
    expect_in(t, "rdg@bfj.bund.de", "Nr. 8 electronic");
    /* 1,250.00 + 60.73 + 67.25 + 13.45 = 1,391.43. */
    expect_in(t, "Gesamtbetrag\t1.391,43 €", "total");
    expect_in(t, "Erika Mustermann\nHeidestraße 17\n51147 Köln", "addressee");
    free(t);

    /* Nr. 4 with a contractual rate above the statutory one (12 % > 6.52 %). */
    set_number(c, "claim.interest", "contractual_rate_bp", 1200);
    t = compose(f, c, &rc);
    assert_int_equal(rc, 0);
    expect_in(t,
              "Der geforderte Zinssatz von 12,00 % p. a. liegt über dem gesetzlichen "
              "Verzugszinssatz von derzeit 6,52 % p. a.",
              "Nr. 4 notice");
    expect_in(t, "im Vertrag vom 01.12.2024 vereinbart", "Nr. 4 reason");
    free(t);
    cJSON_Delete(c);
}

static void first_demand_to_a_business_uses_the_b2b_rate(void **state)
{
    fixture *f = *state;
    int rc;
    cJSON *c = load_case("de-b2b-dispute-landgericht.json");
    char *t = compose(f, c, &rc);
    assert_int_equal(rc, 0);
    expect_in(t, "Sehr geehrte Damen und Herren,", "greeting");
    expect_in(t, "9 Prozentpunkte über dem jeweiligen Basiszinssatz (§ 288 Abs. 2 BGB", "B2B rate");
    /* No collector: the creditor writes in its own name. */
    expect_in(t, "Maschinenbau Weber KG fordert Sie", "sender");
    /* 12,500.00 * 10.27 % * 153 / 365 = 538.12 (see the evaluation test). */
    expect_in(t, "Zinsen\t538,12 €", "interest");
    free(t);
    cJSON_Delete(c);
}

static void first_demand_is_refused_without_the_contract_date(void **state)
{
    fixture *f = *state;
    int rc;
    cJSON *c = load_case("de-consumer-mahnverfahren.json");
    remove_item(c, "claim", "contract_date");
    char *t = compose(f, c, &rc);
    assert_null(t);
    assert_true(rc < 0);
    cJSON_Delete(c);
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/*
 * The first demand as PDF, read back with pdftotext: the § 13a items and
 * the German characters survive layout. With BATON_WRITE_SAMPLES=DIR set,
 * the text and PDF renderings are also written to DIR (that is how
 * docs/plugins/de-first-demand.{txt,pdf} are made).
 */
static void first_demand_pdf_reads_back_with_every_item(void **state)
{
    fixture *f = *state;
    cJSON *c = load_case("de-consumer-mahnverfahren.json");
    baton_letter *l = NULL;
    bh_eval_error e;
    memset(&e, 0, sizeof e);
    assert_int_equal(bh_letter_compose(f->set, c, "first_demand", NULL, &l, &e), 0);

    char err[256] = "", *pdf = NULL, *txt = NULL;
    size_t pdf_len = 0, txt_len = 0;
    int rc = bh_letter_render_pdf(l, &pdf, &pdf_len, err, sizeof err);
    if (rc == BATON_EUNSUPP) {
        bh_letter_free(l);
        cJSON_Delete(c);
        skip(); /* built without pangocairo: nothing to read back */
    }
    assert_int_equal(rc, 0);
    assert_int_equal(bh_letter_render_text(l, &txt, &txt_len, err, sizeof err), 0);

    const char *samples = getenv("BATON_WRITE_SAMPLES");
    if (samples != NULL) {
        char path[512];
        snprintf(path, sizeof path, "%s/de-first-demand.pdf", samples);
        write_file(path, pdf, pdf_len);
        snprintf(path, sizeof path, "%s/de-first-demand.txt", samples);
        write_file(path, txt, txt_len);
    }

    char pdf_path[] = "/tmp/baton-de-XXXXXX";
    int fd = mkstemp(pdf_path);
    assert_true(fd >= 0);
    assert_int_equal(close(fd), 0);
    write_file(pdf_path, pdf, pdf_len);
    char cmd[1024], txt_path[600];
    snprintf(txt_path, sizeof txt_path, "%s.txt", pdf_path);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 -raw '%s' '%s'", pdf_path, txt_path);
    if (system(cmd) != 0) {
        unlink(pdf_path);
        free(pdf);
        free(txt);
        bh_letter_free(l);
        cJSON_Delete(c);
        skip(); /* pdftotext (poppler-utils) not installed */
    }
    char *back = slurp(txt_path);
    assert_non_null(back);
    expect_in(back, "Stadtwerke Musterstadt GmbH", "Nr. 1 name (PDF)");
    expect_in(back, "Hauptstraße 1, 12345 Musterstadt", "Nr. 1 address (PDF)");
    expect_in(back, "01.12.2024", "Nr. 2 date (PDF)");
    expect_in(back, "Zinsberechnung", "Nr. 3 (PDF)");
    expect_in(back, "1.250,00 €", "Nr. 3 principal (PDF)");
    expect_in(back, "Verzugszinssatz", "Nr. 4 (PDF)");
    expect_in(back, "Nr. 2300 VV RVG", "Nr. 5 (PDF)");
    expect_in(back, "Umsatzsteuer", "Nr. 6 (PDF)");
    expect_in(back, "anderweitig ermittelt", "Nr. 7 (PDF)");
    expect_in(back, "Bundesamt für Justiz", "Nr. 8 (PDF)");
    expect_in(back, "rdg@bfj.bund.de", "Nr. 8 electronic (PDF)");
    expect_in(back, "1.391,43 €", "total (PDF)");
    expect_in(back, "Grüßen", "signature (PDF)");
    free(back);
    unlink(txt_path);
    unlink(pdf_path);
    free(pdf);
    free(txt);
    bh_letter_free(l);
    cJSON_Delete(c);
}

/* Issue 11 items 5 and 7: de loads with no config at all (the
 * Basiszinssatz ships with it) and names the table it used. */
static void init_without_config_uses_the_shipped_basiszinssatz(void **state)
{
    (void)state;
    fixture f2;
    memset(&f2, 0, sizeof f2);
    bh_plugin_set *set = load_set(&f2, NULL);
    assert_int_equal(set->count, 1);
    assert_int_equal(f2.refusals, 0);
    f2.set = set;
    cJSON *c = load_case("de-consumer-mahnverfahren.json");
    cJSON *a = evaluate(&f2, c);
    assert_int_equal(cost(a, "interest", NULL), 6073);
    assert_string_equal(fact3(a, "params", "basiszinssatz", "version"), "bundesbank-2026-07-01");
    cJSON_Delete(a);
    /* The first demand names the default supervisory authority (Nr. 8). */
    int rc = -1;
    char *t = compose(&f2, c, &rc);
    assert_int_equal(rc, 0);
    expect_in(t, "Bundesamt für Justiz", "Nr. 8 default name");
    expect_in(t, "rdg@bfj.bund.de", "Nr. 8 default contact");
    free(t);
    /* Past the horizon (the 01.01.2027 rate is not published yet): the
     * newest rate is used and the table is named in a warning. */
    set_string(c, "as_of", "2027-02-01");
    a = evaluate(&f2, c);
    assert_status(a, "params_beyond_horizon", "warn");
    assert_string_equal(fact3(a, "params", "basiszinssatz", "horizon"), "2026-12-31");
    cJSON_Delete(a);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
}

/* A tenant's own table replaces the shipped one, is named, and is checked
 * like it (1 January / 1 July, § 247 BGB). */
static void tenant_basiszinssatz_overrides_and_is_checked(void **state)
{
    (void)state;
    fixture f2;
    memset(&f2, 0, sizeof f2);
    bh_plugin_set *set =
        load_set(&f2, cJSON_Parse("{\"params\": {\"basiszinssatz\": {\"version\": \"t-1\", "
                                  "\"horizon\": \"2026-12-31\", \"values\": [{\"from\": "
                                  "\"2026-01-01\", \"rate_bp\": 100}]}}}"));
    assert_int_equal(set->count, 1);
    f2.set = set;
    cJSON *c = load_case("de-consumer-mahnverfahren.json");
    cJSON *a = evaluate(&f2, c);
    /* 1,250.00 * 6.00 % * 277 / 365 = 56.917 -> 56.92. */
    assert_int_equal(cost(a, "interest", NULL), 5692);
    assert_string_equal(fact3(a, "params", "basiszinssatz", "version"), "t-1");
    cJSON_Delete(a);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);

    memset(&f2, 0, sizeof f2);
    set = load_set(&f2, cJSON_Parse("{\"base_rates\": [{\"from\": \"2026-02-01\", "
                                    "\"rate_bp\": 100}]}"));
    assert_int_equal(set->count, 0);
    assert_int_equal(f2.refusals, 1);
    assert_non_null(strstr(f2.last, "1 January or 1 July"));
    bh_plugin_set_unref(set);
}

/* Issue 11 item 2: a claim not yet due on as_of is blocked, with no route
 * and no fee lines; the day after the due date it is not. */
static void claim_not_yet_due_is_blocked_without_route_or_fees(void **state)
{
    fixture *f = *state;
    /* tests/cases/de-not-yet-due.json: due 15.12.2026, evaluated 23.11.2026. */
    cJSON *c = load_case("de-not-yet-due.json");
    cJSON *a = evaluate(f, c);
    assert_status(a, "not_yet_due", "block");
    assert_null(fact(a, "route", "procedure"));
    assert_int_equal(cost(a, "court_fee", NULL), -1);
    cJSON_Delete(a);
    cJSON_Delete(c);
    c = load_case("de-consumer-mahnverfahren.json");
    set_string(c, "as_of", "2026-01-31"); /* the due date */
    a = evaluate(f, c);
    assert_status(a, "not_yet_due", "block");
    assert_null(fact(a, "route", "procedure"));
    assert_int_equal(cost(a, "court_fee", NULL), -1);
    assert_int_equal(cost(a, "lawyer_fee", NULL), -1);
    assert_int_equal(cost(a, "interest", NULL), -1);
    cJSON_Delete(a);
    set_string(c, "as_of", "2026-02-01");
    a = evaluate(f, c);
    assert_null(finding(a, "not_yet_due"));
    assert_string_equal(fact(a, "route", "procedure"), "mahnverfahren");
    assert_int_equal(cost(a, "court_fee", NULL), 4100);
    cJSON_Delete(a);
    cJSON_Delete(c);
}

/* Issue 11 item 4: § 193 BGB with the holidays of the court's Land. An
 * acknowledgment on 31.05.2026 starts three years ending Thursday
 * 31.05.2029, Fronleichnam (Easter 2029 = 1 April, + 60 days): a holiday
 * in Nordrhein-Westfalen and Bayern, not in Berlin. */
static void limitation_end_moves_off_a_holiday_of_the_land(void **state)
{
    fixture *f = *state;
    cJSON *c = load_case("de-consumer-mahnverfahren.json");
    set_string(c, "claim.due_date", "2025-06-30");
    set_string(c, "claim.acknowledged_date", "2026-05-31");
    set_string(c, "debtor.address.region", "DE-NW");
    cJSON *a = evaluate(f, c);
    assert_string_equal(fact(a, "limitation", "deadline"), "2029-06-01");
    assert_string_equal(fact(a, "limitation", "deadline_unmoved"), "2029-05-31");
    assert_string_equal(fact(a, "limitation", "deadline_moved_by"), "§ 193 BGB");
    assert_string_equal(fact(a, "limitation", "deadline_closed_day"), "Fronleichnam");
    assert_string_equal(fact(a, "limitation", "holiday_land"), "NW");
    cJSON_Delete(a);

    /* The court's Land decides when the case names it: Berlin, no holiday. */
    set_string(c, "ext.de.court_land", "DE-BE");
    a = evaluate(f, c);
    assert_string_equal(fact(a, "limitation", "deadline"), "2029-05-31");
    assert_string_equal(fact(a, "limitation", "deadline_moved_by"), "none");
    assert_string_equal(fact(a, "limitation", "holiday_land"), "BE");
    cJSON_Delete(a);

    /* No Land known: nationwide holidays only, and that is said. */
    remove_item(c, "ext", "de");
    cJSON_DeleteItemFromObjectCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "debtor"), "address"),
        "region");
    a = evaluate(f, c);
    assert_string_equal(fact(a, "limitation", "deadline"), "2029-05-31");
    assert_status(a, "holiday_land_unknown", "info");
    cJSON_Delete(a);

    /* The regular end on Sunday 31.12.2028 moves over Neujahr to Tuesday
     * 02.01.2029 everywhere. */
    remove_item(c, "claim", "acknowledged_date");
    set_string(c, "claim.due_date", "2025-03-31");
    a = evaluate(f, c);
    assert_string_equal(fact(a, "limitation", "deadline"), "2029-01-02");
    assert_string_equal(fact(a, "limitation", "deadline_unmoved"), "2028-12-31");
    cJSON_Delete(a);
    cJSON_Delete(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(consumer_case_goes_to_mahnverfahren_with_2025_fees),
        cmocka_unit_test(disputed_b2b_case_goes_to_the_landgericht),
        cmocka_unit_test(amtsgericht_limit_edges_before_and_after_2026),
        cmocka_unit_test(court_fee_follows_the_filing_date_across_1_june_2025),
        cmocka_unit_test(limitation_blocks_from_1_january),
        cmocka_unit_test(limitation_facts_at_the_day_edges),
        cmocka_unit_test(flat_fee_is_owed_from_the_first_day_of_default),
        cmocka_unit_test(no_default_means_no_interest_and_a_missing_item),
        cmocka_unit_test(first_demand_carries_every_13a_item),
        cmocka_unit_test(first_demand_to_a_business_uses_the_b2b_rate),
        cmocka_unit_test(first_demand_is_refused_without_the_contract_date),
        cmocka_unit_test(first_demand_pdf_reads_back_with_every_item),
        cmocka_unit_test(init_without_config_uses_the_shipped_basiszinssatz),
        cmocka_unit_test(tenant_basiszinssatz_overrides_and_is_checked),
        cmocka_unit_test(claim_not_yet_due_is_blocked_without_route_or_fees),
        cmocka_unit_test(limitation_end_moves_off_a_holiday_of_the_land),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
