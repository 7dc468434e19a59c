/*
 * cmd_letter.c - "baton letter": compose and render one letter offline with
 * the same composer and renderers as POST /v1/letters.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_view.h"
#include "cli_plugins.h"
#include "command.h"
#include "letter_render.h"
#include "letters.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: baton letter -c CASE.json -k KIND [-f text|html|pdf] [-o OUT]\n"
                 "                    [--as-of YYYY-MM-DD] [--plugin PATH[:CONFIG.json]]...\n"
                 "                    [--tenant-config FILE] [--agency NAME] [--plugin-dir DIR]\n"
                 "       baton letter -c CASE.json --list [plugin options]\n\n"
                 "Writes the letter KIND for a case: the agency's letterhead (when a loaded\n"
                 "agency plugin offers one), then the letter from the case's jurisdiction\n"
                 "plugin or an agency plugin (docs/letters.md).\n\n"
                 "  -c, --case FILE     the case (\"-\" reads stdin)\n"
                 "  -k, --kind KIND     letter_of_claim, validation_notice, first_demand,\n"
                 "                      reminder, final_demand, ... (see --list)\n"
                 "  -f, --format F      text (default), html or pdf\n"
                 "  -o, --output FILE   default stdout\n"
                 "      --as-of DATE    the letter's date; overrides the case's as_of\n"
                 "      --list          print the letter kinds the loaded plugins write\n"
                 "Plugin options as for 'baton evaluate --help'.\n\n"
                 "Exit codes: 0 written, 1 the case, kind or a plugin failed, 2 usage.\n");
}

enum { OPT_AS_OF = 256, OPT_LIST };

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"case", required_argument, NULL, 'c'},
        {"kind", required_argument, NULL, 'k'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        CLI_PLUGIN_OPTIONS,
        {"list", no_argument, NULL, OPT_LIST},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_plugins pl = {0};
    const char *case_path = NULL, *kind = NULL, *format = "text", *output = "-", *as_of = NULL;
    int list = 0, status = 2, opt;
    char err[512] = "";
    cJSON *c = NULL;
    bh_plugin_set *set = NULL;
    baton_letter *letter = NULL;
    char *doc = NULL;
    size_t len = 0;
    enum bh_letter_format fmt;
    baton_date d;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:k:f:o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            case_path = optarg;
            break;
        case 'k':
            kind = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case OPT_AS_OF:
            as_of = optarg;
            break;
        case CLI_OPT_PLUGIN:
        case CLI_OPT_TENANT:
        case CLI_OPT_AGENCY:
        case CLI_OPT_DIR:
        case CLI_OPT_ISOLATED:
            if (cli_plugins_option(&pl, opt, optarg, err, sizeof err) != 0) {
                fprintf(stderr, "baton letter: %s\n", err);
                goto out;
            }
            break;
        case OPT_LIST:
            list = 1;
            break;
        case 'h':
            usage(stdout);
            status = 0;
            goto out;
        default:
            usage(stderr);
            goto out;
        }
    }
    if (case_path == NULL || optind != argc || (kind == NULL && !list)) {
        usage(stderr);
        goto out;
    }
    if (bh_letter_format_parse(format, &fmt) != 0) {
        fprintf(stderr, "baton letter: -f %s: expected text, html or pdf\n", format);
        goto out;
    }
    if (as_of != NULL && bh_date_parse(as_of, &d) != 0) {
        fprintf(stderr, "baton letter: --as-of %s: expected a date YYYY-MM-DD\n", as_of);
        goto out;
    }
    status = 1;
    c = cli_read_json(case_path, err, sizeof err);
    if (c == NULL) {
        fprintf(stderr, "baton letter: %s\n", err);
        goto out;
    }
    if (as_of != NULL && cJSON_IsObject(c)) {
        cJSON_DeleteItemFromObjectCaseSensitive(c, "as_of");
        if (cJSON_AddStringToObject(c, "as_of", as_of) == NULL)
            goto out;
    }
    const cJSON *jur = cJSON_GetObjectItemCaseSensitive(c, "jurisdiction");
    const char *jurisdiction = cJSON_IsString(jur) ? jur->valuestring : NULL;
    if (cli_plugins_load(&pl, jurisdiction, &set, err, sizeof err) != 0) {
        fprintf(stderr, "baton letter: %s\n", err);
        goto out;
    }
    if (list) {
        cJSON *kinds = bh_letter_kinds(set, jurisdiction);
        char *t = kinds != NULL ? cJSON_Print(kinds) : NULL;
        if (t != NULL) {
            printf("%s\n", t);
            status = 0;
        }
        cJSON_free(t);
        cJSON_Delete(kinds);
        goto out;
    }
    bh_eval_error e;
    if (bh_letter_compose(set, c, kind, NULL, &letter, &e) != 0) {
        fprintf(stderr, "baton letter: %s (%s)\n", e.message, e.code);
        goto out;
    }
    if (bh_letter_render(letter, fmt, &doc, &len, err, sizeof err) != 0) {
        fprintf(stderr, "baton letter: %s\n", err);
        goto out;
    }
    if (cli_write_file(output, doc, len, err, sizeof err) != 0) {
        fprintf(stderr, "baton letter: %s\n", err);
        goto out;
    }
    status = 0;
out:
    free(doc);
    bh_letter_free(letter);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
    cli_plugins_free(&pl);
    return status;
}

BATON_COMMAND("letter", run, "compose and render a letter offline (text, HTML or PDF)")
