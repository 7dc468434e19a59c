/*
 * cmd_plugin_new.c - "baton plugin new": scaffolds an out-of-tree plugin
 * project for one jurisdiction (or one agency working in one country).
 *
 * Owns: the options, the table of countries the scaffold knows (currency,
 * the shape of an address there, example names), filling in the templates
 * of scaffold_templates.c, and the golden answers the scaffold ships
 * (computed here with the SDK's own rounding, so they are what the
 * scaffolded plugin answers). Not the name rule: that is the loader's
 * (bh_plugin_name_valid), so a scaffold never makes a plugin batond refuses.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "baton/date.h"
#include "baton/money.h"
#include "baton/plugin.h"
#include "cli_plugins.h"
#include "money_text.h"
#include "plugin_loader.h"
#include "scaffold_templates.h"

/*
 * What the example case looks like in a country: its currency, a principal
 * of the usual size written with the currency's digits, and two addresses
 * in the local format (street line, postcode, town, and the region where
 * addresses carry one). jurisdiction: the in-tree plugin an agency's
 * example case is evaluated with there, NULL when Baton has none.
 */
typedef struct country {
    const char *code; /* ISO 3166-1 alpha-2, lower case as in jurisdiction codes */
    const char *name;
    const char *currency;
    const char *principal;
    const char *jurisdiction;
    const char *creditor, *creditor_address;
    const char *debtor, *debtor_address;
} country;

#define ADDR(lines, city, postcode, region, cc)                                                    \
    "{\"lines\": [\"" lines "\"], \"city\": \"" city "\", " postcode region "\"country\": \"" cc   \
    "\"}"
#define PC(p)  "\"postcode\": \"" p "\", "
#define REG(r) "\"region\": \"" r "\", "

static const country COUNTRIES[] = {
    {"gb", "the United Kingdom", "GBP", "1250.00", "gb-ew", "Example Supplies Ltd",
     ADDR("1 Example Street", "Manchester", PC("M1 1AE"), "", "GB"), "Sample Trading Ltd",
     ADDR("2 Sample Road", "Leeds", PC("LS1 4AP"), "", "GB")},
    {"ie", "Ireland", "EUR", "1250.00", NULL, "Example Supplies Ltd",
     ADDR("1 Example Street", "Dublin 2", PC("D02 X285"), REG("Co. Dublin"), "IE"),
     "Sample Trading Ltd", ADDR("2 Sample Road", "Cork", PC("T12 X70A"), REG("Co. Cork"), "IE")},
    {"de", "Germany", "EUR", "1250.00", "de", "Beispiel GmbH",
     ADDR("Beispielstraße 1", "Berlin", PC("10115"), "", "DE"), "Muster Handel GmbH",
     ADDR("Musterweg 2", "München", PC("80331"), "", "DE")},
    {"at", "Austria", "EUR", "1250.00", NULL, "Beispiel GmbH",
     ADDR("Beispielgasse 1", "Wien", PC("1010"), "", "AT"), "Muster Handel GmbH",
     ADDR("Mustergasse 2", "Graz", PC("8010"), "", "AT")},
    {"ch", "Switzerland", "CHF", "1250.00", NULL, "Beispiel AG",
     ADDR("Beispielstrasse 1", "Zürich", PC("8001"), REG("ZH"), "CH"), "Muster Handel GmbH",
     ADDR("Musterweg 2", "Bern", PC("3011"), REG("BE"), "CH")},
    {"fr", "France", "EUR", "1250.00", NULL, "Exemple SARL",
     ADDR("1 rue de l'Exemple", "Paris", PC("75002"), "", "FR"), "Modèle SAS",
     ADDR("2 avenue du Modèle", "Lyon", PC("69002"), "", "FR")},
    {"be", "Belgium", "EUR", "1250.00", NULL, "Voorbeeld BV",
     ADDR("Voorbeeldstraat 1", "Brussel", PC("1000"), "", "BE"), "Exemple SRL",
     ADDR("Rue de l'Exemple 2", "Liège", PC("4000"), "", "BE")},
    {"nl", "the Netherlands", "EUR", "1250.00", "nl", "Voorbeeld B.V.",
     ADDR("Voorbeeldstraat 1", "Amsterdam", PC("1012 AB"), "", "NL"), "Proef Handel B.V.",
     ADDR("Proefweg 2", "Rotterdam", PC("3011 CD"), "", "NL")},
    {"es", "Spain", "EUR", "1250.00", NULL, "Ejemplo S.L.",
     ADDR("Calle del Ejemplo 1", "Madrid", PC("28013"), REG("Madrid"), "ES"), "Muestra S.A.",
     ADDR("Avenida de la Muestra 2", "Sevilla", PC("41001"), REG("Sevilla"), "ES")},
    {"it", "Italy", "EUR", "1250.00", NULL, "Esempio S.r.l.",
     ADDR("Via dell'Esempio 1", "Roma", PC("00184"), REG("RM"), "IT"), "Modello S.p.A.",
     ADDR("Corso del Modello 2", "Milano", PC("20121"), REG("MI"), "IT")},
    {"pl", "Poland", "PLN", "5000.00", NULL, "Przykład sp. z o.o.",
     ADDR("ul. Przykładowa 1", "Warszawa", PC("00-001"), "", "PL"), "Wzór S.A.",
     ADDR("ul. Wzorcowa 2", "Kraków", PC("30-001"), "", "PL")},
    {"se", "Sweden", "SEK", "12500.00", NULL, "Exempel AB",
     ADDR("Exempelgatan 1", "Stockholm", PC("111 22"), "", "SE"), "Prov Handel AB",
     ADDR("Provvägen 2", "Göteborg", PC("411 01"), "", "SE")},
    {"dk", "Denmark", "DKK", "9500.00", NULL, "Eksempel ApS",
     ADDR("Eksempelvej 1", "København K", PC("1050"), "", "DK"), "Prøve Handel A/S",
     ADDR("Prøvegade 2", "Aarhus C", PC("8000"), "", "DK")},
    {"no", "Norway", "NOK", "14000.00", NULL, "Eksempel AS",
     ADDR("Eksempelveien 1", "Oslo", PC("0150"), "", "NO"), "Prøve Handel AS",
     ADDR("Prøvegata 2", "Bergen", PC("5003"), "", "NO")},
    {"us", "the United States", "USD", "1250.00", "us-ca", "Example Supplies Inc.",
     ADDR("100 Example Street", "Sacramento", PC("95814"), REG("CA"), "US"), "Sample Trading LLC",
     ADDR("200 Sample Avenue", "Los Angeles", PC("90012"), REG("CA"), "US")},
    {"ca", "Canada", "CAD", "1250.00", NULL, "Example Supplies Inc.",
     ADDR("100 Example Street", "Toronto", PC("M5H 2N2"), REG("ON"), "CA"), "Sample Trading Ltd.",
     ADDR("200 Sample Avenue", "Vancouver", PC("V6B 1A1"), REG("BC"), "CA")},
    {"au", "Australia", "AUD", "1250.00", NULL, "Example Supplies Pty Ltd",
     ADDR("1 Example Street", "Sydney", PC("2000"), REG("NSW"), "AU"), "Sample Trading Pty Ltd",
     ADDR("2 Sample Road", "Melbourne", PC("3000"), REG("VIC"), "AU")},
    {"nz", "New Zealand", "NZD", "1250.00", NULL, "Example Supplies Ltd",
     ADDR("1 Example Street", "Auckland", PC("1010"), "", "NZ"), "Sample Trading Ltd",
     ADDR("2 Sample Road", "Wellington", PC("6011"), "", "NZ")},
    {"jp", "Japan", "JPY", "180000", NULL, "Example Supplies K.K.",
     ADDR("1-1 Marunouchi", "Chiyoda-ku", PC("100-0005"), REG("Tokyo"), "JP"),
     "Sample Trading G.K.", ADDR("2-2 Umeda", "Kita-ku", PC("530-0001"), REG("Osaka"), "JP")},
};

/* A country the table does not know: given with --country CC --currency
 * XXX, its example uses this generic international address. */
static const country GENERIC = {
    NULL, NULL, NULL, NULL, NULL, "Example Supplies Ltd", NULL, "Sample Trading Ltd", NULL,
};

static const country *find_country(const char *code)
{
    for (size_t i = 0; i < sizeof COUNTRIES / sizeof COUNTRIES[0]; i++) {
        if (strcmp(COUNTRIES[i].code, code) == 0)
            return &COUNTRIES[i];
    }
    return NULL;
}

/* The example's due date and evaluation date, and so the days overdue the
 * scaffold's golden answer expects (baton/date.h, the plugin's arithmetic). */
#define EXAMPLE_DUE                                                                                \
    {                                                                                              \
        2025, 1, 31                                                                                \
    }
#define EXAMPLE_AS_OF                                                                              \
    {                                                                                              \
        2025, 6, 30                                                                                \
    }
#define EXAMPLE_FEE_BP 500

typedef struct scaffold {
    const char *name, *scope, *jurisdiction, *currency;
    char ident[BH_PLUGIN_NAME_MAX + 1];
    char country_code[3], country_name[64];
    char principal[32], fee[32];
    int64_t fee_minor;
    char creditor_address[256], debtor_address[256];
    const char *creditor, *debtor;
    int agency;
    const char *case_id; /* the case being written */
    int agreement;       /* whether its documents hold the agreement */
} scaffold;

/* Placeholder -> value, for write_template. */
static const char *placeholder(const scaffold *s, const char *key, size_t n)
{
    static char sdk[16];
    snprintf(sdk, sizeof sdk, "%d.%d", BATON_SDK_MAJOR, BATON_SDK_MINOR);
#define IS(k) (n == sizeof(k) - 1 && strncmp(key, k, n) == 0)
    if (IS("NAME"))
        return s->name;
    if (IS("IDENT"))
        return s->ident;
    if (IS("SCOPE"))
        return s->scope;
    if (IS("SDK"))
        return sdk;
    if (IS("JURISDICTION"))
        return s->jurisdiction;
    if (IS("CURRENCY"))
        return s->currency;
    if (IS("PRINCIPAL"))
        return s->principal;
    if (IS("COUNTRY_NAME"))
        return s->country_name;
    if (IS("CREDITOR_NAME"))
        return s->creditor;
    if (IS("DEBTOR_NAME"))
        return s->debtor;
    if (IS("CREDITOR_ADDRESS"))
        return s->creditor_address;
    if (IS("DEBTOR_ADDRESS"))
        return s->debtor_address;
    if (IS("CASE_ID"))
        return s->case_id;
    if (IS("AGREEMENT"))
        return s->agreement
                   ? "{\"kind\": \"agreement\", \"date\": \"2024-09-01\"},\n                "
                   : "";
    if (IS("FEE_KIND"))
        return s->agency ? "commission" : "court_fee";
    /* An agency plugin is evaluated with its country's jurisdiction plugin. */
    if (IS("WITH"))
        return s->agency ? " --with " : "";
    if (IS("WITH_PLUGIN"))
        return s->agency ? " --plugin " : "";
#undef IS
    return NULL;
}

/* Writes dir/file from tpl with every @KEY@ replaced (see placeholder);
 * @WITH@ and @WITH_PLUGIN@ are followed by the jurisdiction plugin's name. */
static int write_template(const scaffold *s, const char *dir, const char *file,
                          const char *const *tpl)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "wx");
    if (f == NULL) {
        fprintf(stderr, "baton plugin new: %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (; *tpl != NULL; tpl++) {
        for (const char *p = *tpl; *p != '\0';) {
            const char *end = p[0] == '@' ? strchr(p + 1, '@') : NULL;
            const char *v = end != NULL ? placeholder(s, p + 1, (size_t)(end - p - 1)) : NULL;
            if (v == NULL) {
                fputc(*p++, f);
                continue;
            }
            fputs(v, f);
            if (s->agency && (strncmp(p, "@WITH@", 6) == 0 || strncmp(p, "@WITH_PLUGIN@", 13) == 0))
                fputs(s->jurisdiction, f);
            p = end + 1;
        }
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "baton plugin new: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* The answer the scaffolded plugin gives for the golden case being written
 * (s->case_id, s->agreement), as its expected.json: for a jurisdiction plugin its
 * finding, fee line, fact and totals; for an agency plugin (whose filing
 * rules an evaluation does not call) its commission line. */
static int write_expected(const scaffold *s, const char *dir)
{
    char path[PATH_MAX];
    int rc = -1;
    cJSON *e = cJSON_CreateObject(), *money = cJSON_CreateObject();
    if (e == NULL || money == NULL)
        goto out;
    cJSON_AddStringToObject(money, "amount", s->fee);
    cJSON_AddStringToObject(money, "currency", s->currency);
    cJSON_AddNumberToObject(money, "minor", (double)s->fee_minor);
    cJSON_AddStringToObject(e, "case_id", s->case_id);
    cJSON_AddStringToObject(e, "jurisdiction", s->jurisdiction);
    if (!s->agency) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "category", "readiness");
        cJSON_AddStringToObject(f, "code", "agreement");
        cJSON_AddStringToObject(f, "status", s->agreement ? "met" : "missing");
        cJSON_AddStringToObject(f, "text",
                                s->agreement ? "Agreement on file" : "No signed agreement on file");
        cJSON_AddStringToObject(f, "plugin", s->name);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(e, "findings"), f);
    }
    cJSON *line = cJSON_CreateObject();
    cJSON_AddItemToObject(line, "amount", cJSON_Duplicate(money, 1));
    cJSON_AddStringToObject(line, "kind", s->agency ? "commission" : "court_fee");
    cJSON_AddStringToObject(line, "label", "Example filing fee");
    cJSON_AddStringToObject(line, "basis", "Example fee table: fee_bp of the principal");
    cJSON_AddStringToObject(line, "plugin", s->name);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(e, "costs"), line);
    if (!s->agency) {
        baton_date due = EXAMPLE_DUE, as_of = EXAMPLE_AS_OF;
        cJSON *claim = cJSON_AddObjectToObject(cJSON_AddObjectToObject(e, "facts"), "claim");
        cJSON_AddNumberToObject(claim, "days_overdue", baton_date_diff(due, as_of));
        cJSON *cur = cJSON_AddObjectToObject(cJSON_AddObjectToObject(e, "totals"), s->currency);
        cJSON_AddItemToObject(cur, "court_fee", cJSON_Duplicate(money, 1));
    }
    char *text = cJSON_Print(e);
    if (text == NULL)
        goto out;
    snprintf(path, sizeof path, "%s/expected.json", dir);
    FILE *f = fopen(path, "wx");
    if (f == NULL || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0) {
        fprintf(stderr, "baton plugin new: %s: %s\n", path, strerror(errno));
        rc = -1;
    } else {
        rc = 0;
    }
    cJSON_free(text);
out:
    cJSON_Delete(e);
    cJSON_Delete(money);
    return rc;
}

static void usage_new(FILE *out)
{
    fprintf(out,
            "usage: baton plugin new NAME [--country CC] [--currency CODE] [-o DIR]\n"
            "       baton plugin new NAME --agency [--country CC | --jurisdiction CODE]\n"
            "                        [--currency CODE] [-o DIR]\n\n"
            "Creates DIR (default ./NAME) with a plugin project built against the installed\n"
            "SDK: NAME.c (filing rules, a fee schedule, a reminder letter), CMakeLists.txt\n"
            "(find_package(baton-sdk)), a Makefile (pkg-config), ci.sh (both builds, then\n"
            "`baton plugin check` and `--expect golden`), README.md, examples/case.json\n"
            "and golden/ (two golden cases with their expected answers).\n\n"
            "NAME is %s. For a jurisdiction plugin it is the\n"
            "jurisdiction code cases use (scope jurisdiction:NAME); its country is the part\n"
            "before the first '-' (ie, fr, us-tx -> us) unless --country says otherwise.\n"
            "With --agency, NAME is the agency (scope agency:NAME), and its example case\n"
            "is evaluated with the country's jurisdiction plugin (--jurisdiction CODE).\n"
            "The country decides the example's currency and address format; known:\n ",
            BH_PLUGIN_NAME_RULE);
    for (size_t i = 0; i < sizeof COUNTRIES / sizeof COUNTRIES[0]; i++)
        fprintf(out, " %s", COUNTRIES[i].code);
    fprintf(out, ".\nAnother country needs --currency (an ISO 4217 code).\n\n"
                 "Exit codes: 0 created, 1 could not write, 2 usage.\n");
}

/* Fills s from the options; 0, or 2 after saying what is wrong. */
static int settle(scaffold *s, const char *country_opt, const char *currency_opt,
                  const char *jurisdiction_opt)
{
    /* The country: --country, else the jurisdiction code's first part
     * ("ie", "us-tx" -> "us"; "acme-courts" names none). */
    char cc[3] = "";
    const char *from = country_opt != NULL ? country_opt : !s->agency ? s->name : jurisdiction_opt;
    if (from != NULL && from[0] >= 'a' && from[0] <= 'z' && from[1] >= 'a' && from[1] <= 'z' &&
        (from[2] == '\0' || (from[2] == '-' && country_opt == NULL))) {
        cc[0] = from[0];
        cc[1] = from[1];
    }
    if (country_opt != NULL && cc[0] == '\0') {
        fprintf(stderr,
                "baton plugin new: --country '%s': an ISO 3166-1 alpha-2 code in lower case "
                "(ie, de, us)\n",
                country_opt);
        return 2;
    }
    const country *c = cc[0] != '\0' ? find_country(cc) : NULL;
    if (c == NULL && (cc[0] == '\0' || currency_opt == NULL)) {
        fprintf(stderr,
                "baton plugin new: %s%s%s: pass --country CC (see --help for the countries the "
                "scaffold knows), or --country CC --currency CODE for another\n",
                cc[0] == '\0' ? "cannot tell the country of '" : "the scaffold does not know '",
                cc[0] == '\0' ? (from != NULL ? from : s->name) : cc,
                cc[0] == '\0' ? "'" : "' (its currency and addresses)");
        return 2;
    }
    if (c == NULL)
        c = &GENERIC;
    s->currency = currency_opt != NULL ? currency_opt : c->currency;
    int digits = bh_currency_exponent(s->currency);
    if (digits < 0) {
        fprintf(stderr, "baton plugin new: --currency '%s' is not an ISO 4217 code Baton knows\n",
                s->currency);
        return 2;
    }
    s->country_code[0] = (char)(cc[0] - 'a' + 'A');
    s->country_code[1] = (char)(cc[1] - 'a' + 'A');
    snprintf(s->country_name, sizeof s->country_name, "%s",
             c->name != NULL ? c->name : s->country_code);
    /* The country's principal, or 1250 in another currency's units. */
    baton_money principal;
    char err[128];
    if (c->principal == NULL || strcmp(s->currency, c->currency) != 0 ||
        bh_money_parse(c->principal, s->currency, &principal, err, sizeof err) != 0) {
        principal = baton_money_make(1250, s->currency);
        for (int i = 0; i < digits; i++)
            principal.minor *= 10;
    }
    baton_money fee = principal;
    fee.minor = baton_percent_bp_half_up(principal.minor, EXAMPLE_FEE_BP);
    s->fee_minor = fee.minor;
    if (bh_money_format(principal, s->principal, sizeof s->principal) != 0 ||
        bh_money_format(fee, s->fee, sizeof s->fee) != 0)
        return 2;
    if (c->creditor_address != NULL) {
        snprintf(s->creditor_address, sizeof s->creditor_address, "%s", c->creditor_address);
        snprintf(s->debtor_address, sizeof s->debtor_address, "%s", c->debtor_address);
    } else {
        snprintf(s->creditor_address, sizeof s->creditor_address,
                 "{\"lines\": [\"1 Example Street\"], \"city\": \"Example City\", \"country\": "
                 "\"%s\"}",
                 s->country_code);
        snprintf(s->debtor_address, sizeof s->debtor_address,
                 "{\"lines\": [\"2 Sample Road\"], \"city\": \"Sample Town\", \"country\": "
                 "\"%s\"}",
                 s->country_code);
    }
    s->creditor = c->creditor;
    s->debtor = c->debtor;
    if (!s->agency) {
        s->jurisdiction = s->name;
    } else {
        s->jurisdiction = jurisdiction_opt != NULL ? jurisdiction_opt : c->jurisdiction;
        if (s->jurisdiction == NULL || !bh_plugin_name_valid(s->jurisdiction)) {
            fprintf(stderr,
                    "baton plugin new: an agency's example case needs a jurisdiction plugin to "
                    "be evaluated with; Baton has none for %s: pass --jurisdiction CODE\n",
                    s->country_name);
            return 2;
        }
    }
    return 0;
}

static int make_dir(const char *dir, const char *sub)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s%s%s", dir, sub[0] != '\0' ? "/" : "", sub);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "baton plugin new: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

int cmd_plugin_new(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"agency", no_argument, NULL, 'a'},
        {"country", required_argument, NULL, 'c'},
        {"currency", required_argument, NULL, 'm'},
        {"jurisdiction", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = NULL, *country_opt = NULL, *currency_opt = NULL, *jurisdiction_opt = NULL;
    scaffold s;
    int opt;
    memset(&s, 0, sizeof s);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            dir = optarg;
            break;
        case 'a':
            s.agency = 1;
            break;
        case 'c':
            country_opt = optarg;
            break;
        case 'm':
            currency_opt = optarg;
            break;
        case 'j':
            jurisdiction_opt = optarg;
            break;
        case 'h':
            usage_new(stdout);
            return 0;
        default:
            usage_new(stderr);
            return 2;
        }
    }
    if (optind + 1 != argc) {
        usage_new(stderr);
        return 2;
    }
    s.name = argv[optind];
    if (!bh_plugin_name_valid(s.name)) {
        fprintf(stderr, "baton plugin new: '%s': a plugin name is %s (batond refuses others)\n",
                s.name, BH_PLUGIN_NAME_RULE);
        return 2;
    }
    if (jurisdiction_opt != NULL && !s.agency) {
        fprintf(stderr, "baton plugin new: --jurisdiction is for --agency; a jurisdiction "
                        "plugin's name is its jurisdiction code\n");
        return 2;
    }
    int rc = settle(&s, country_opt, currency_opt, jurisdiction_opt);
    if (rc != 0)
        return rc;
    snprintf(s.ident, sizeof s.ident, "%s", s.name);
    for (char *p = s.ident; *p != '\0'; p++) {
        if (*p == '-')
            *p = '_';
    }
    char scope[BH_PLUGIN_NAME_MAX + 16], src[BH_PLUGIN_NAME_MAX + 3], ci[PATH_MAX];
    snprintf(scope, sizeof scope, "%s:%s", s.agency ? "agency" : "jurisdiction", s.name);
    s.scope = scope;
    if (dir == NULL)
        dir = s.name;
    snprintf(src, sizeof src, "%s.c", s.name);
    if (make_dir(dir, "") != 0 || make_dir(dir, "examples") != 0 || make_dir(dir, "golden") != 0 ||
        make_dir(dir, "golden/overdue-invoice") != 0 || make_dir(dir, "golden/no-agreement") != 0)
        return 1;
    s.case_id = "EXAMPLE-1";
    s.agreement = 1;
    if (write_template(&s, dir, src, SCAFFOLD_SOURCE) != 0 ||
        write_template(&s, dir, "CMakeLists.txt", SCAFFOLD_CMAKE) != 0 ||
        write_template(&s, dir, "Makefile", SCAFFOLD_MAKEFILE) != 0 ||
        write_template(&s, dir, "ci.sh", SCAFFOLD_CI) != 0 ||
        write_template(&s, dir, "README.md", SCAFFOLD_README) != 0 ||
        write_template(&s, dir, "examples/case.json", SCAFFOLD_CASE) != 0 ||
        write_template(&s, dir, "golden/overdue-invoice/case.json", SCAFFOLD_CASE) != 0)
        return 1;
    char gdir[PATH_MAX];
    snprintf(gdir, sizeof gdir, "%s/golden/overdue-invoice", dir);
    if (write_expected(&s, gdir) != 0)
        return 1;
    s.case_id = "EXAMPLE-2";
    s.agreement = 0;
    if (write_template(&s, dir, "golden/no-agreement/case.json", SCAFFOLD_CASE) != 0)
        return 1;
    snprintf(gdir, sizeof gdir, "%s/golden/no-agreement", dir);
    if (write_expected(&s, gdir) != 0)
        return 1;
    snprintf(ci, sizeof ci, "%s/ci.sh", dir);
    if (chmod(ci, 0755) != 0) {
        fprintf(stderr, "baton plugin new: %s: %s\n", ci, strerror(errno));
        return 1;
    }
    printf("created %s/ (%s, %s, example case in %s with %s addresses): %s, CMakeLists.txt,\n"
           "Makefile, ci.sh, README.md, examples/case.json, golden/overdue-invoice,\n"
           "golden/no-agreement\n"
           "next: cd %s && ./ci.sh\n",
           dir, s.scope, s.country_name, s.currency, s.country_code, src, dir);
    return 0;
}
