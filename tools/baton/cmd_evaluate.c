/*
 * cmd_evaluate.c - "baton evaluate": a case through plugins, offline, with
 * the same evaluation code and the same answer JSON as
 * POST /v1/cases/evaluate; with --batch, many cases as NDJSON, as
 * POST /v1/cases/evaluate/batch answers them (evaluate_batch.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_view.h"
#include "cli_plugins.h"
#include "command.h"
#include "evaluate.h"
#include "evaluate_batch.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: baton evaluate -c CASE.json [--as-of YYYY-MM-DD] [-o OUT.json] [--compact]\n"
            "                      [--plugin PATH[:CONFIG.json]]... [--tenant-config FILE]\n"
            "                      [--agency NAME] [--plugin-dir DIR]\n"
            "       baton evaluate --batch [FILE|-] [-o OUT.ndjson] [options as above]\n\n"
            "Evaluates a case (docs/case-format.md) with the same plugins and the same\n"
            "answer JSON as POST /v1/cases/evaluate, without a server.\n\n"
            "  -c, --case FILE        the case (\"-\" reads stdin)\n"
            "      --batch [FILE]     many cases, one JSON case a line (NDJSON; FILE or \"-\",\n"
            "                         the default, for stdin): one answer line each, in\n"
            "                         order, {\"line\":N,...} as POST /v1/cases/evaluate/batch\n"
            "                         writes them (errors too, per line), then a summary\n"
            "                         line (docs/batch.md). Without --plugin or\n"
            "                         --tenant-config each case uses its jurisdiction's\n"
            "                         plugin. A progress line goes to stderr when it is a\n"
            "                         terminal. Exit 0 when every line was answered, 1\n"
            "                         when a line failed or the input could not be read\n"
            "      --as-of DATE       evaluation date; overrides the case's as_of\n"
            "                         (default: the case's as_of, else today UTC)\n"
            "      --plugin SPEC      a plugin .so (or a name in the plugin dir) with an\n"
            "                         optional JSON config; repeatable\n"
            "      --tenant-config F  use the \"plugins\" list of a tenant config\n"
            "      --agency NAME      with neither: also load this agency plugin\n"
            "      --plugin-dir DIR   where plugin names resolve (default: $BATON_PLUGIN_DIR,\n"
            "                         else next to this executable)\n"
            "      --isolated         run every plugin in a sandboxed worker (as batond\n"
            "                         runs isolated plugins)\n"
            "  -o, --output FILE      write the answer here (default stdout)\n"
            "      --compact          one line of JSON\n\n"
            "With neither --plugin nor --tenant-config the case's jurisdiction plugin is\n"
            "used. Exit codes: 0 answered, 1 the case or a plugin failed (the error is\n"
            "printed as {\"error\":{\"status\",\"code\",\"message\"}} on stdout and as a line\n"
            "on stderr; codes: invalid_json, invalid_case, invalid_config, plugin_refused,\n"
            "output_failed, internal), 2 usage.\n");
}

enum { OPT_AS_OF = 256, OPT_COMPACT, OPT_BATCH };

/*
 * The failure promised by the usage text: {"error":{"status","code",
 * "message"}} on stdout, in the API's shape and codes, and one line on
 * stderr. Whatever failed (the case file, a plugin, the evaluation, the
 * output), a caller reading stdout gets JSON.
 */
static void fail_json(int status, const char *code, const char *message)
{
    cJSON *eo = cJSON_CreateObject();
    cJSON *in = eo != NULL ? cJSON_AddObjectToObject(eo, "error") : NULL;
    char *text = NULL;

    fprintf(stderr, "baton evaluate: %s (%s)\n", message, code);
    if (in != NULL && cJSON_AddNumberToObject(in, "status", status) != NULL &&
        cJSON_AddStringToObject(in, "code", code) != NULL &&
        cJSON_AddStringToObject(in, "message", message) != NULL)
        text = cJSON_PrintUnformatted(eo);
    if (text != NULL)
        printf("%s\n", text);
    else /* out of memory: still JSON, fixed text */
        printf("{\"error\":{\"status\":500,\"code\":\"internal\",\"message\":\"out of "
               "memory\"}}\n");
    fflush(stdout);
    cJSON_free(text);
    cJSON_Delete(eo);
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"case", required_argument, NULL, 'c'},
        {"output", required_argument, NULL, 'o'},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        CLI_PLUGIN_OPTIONS,
        {"compact", no_argument, NULL, OPT_COMPACT},
        {"batch", no_argument, NULL, OPT_BATCH},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_plugins pl = {0};
    const char *case_path = NULL, *as_of = NULL, *output = "-";
    int compact = 0, batch = 0, status = 2, opt;
    char err[512] = "";
    cJSON *c = NULL, *answer = NULL;
    bh_plugin_set *set = NULL;
    char *text = NULL;
    baton_date d;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            case_path = optarg;
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
                /* A plugin's config file that cannot be read or parsed. */
                fail_json(400, "invalid_config", err);
                status = 1;
                goto out;
            }
            break;
        case OPT_COMPACT:
            compact = 1;
            break;
        case OPT_BATCH:
            batch = 1;
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
    if (batch) {
        /* the input: -c FILE, or one operand, else stdin */
        if (case_path == NULL && optind < argc)
            case_path = argv[optind++];
        if (optind != argc || compact) {
            usage(stderr);
            goto out;
        }
        if (as_of != NULL && bh_date_parse(as_of, &d) != 0) {
            fprintf(stderr, "baton evaluate: --as-of %s: expected a date YYYY-MM-DD\n", as_of);
            goto out;
        }
        status = evaluate_batch(&pl, case_path != NULL ? case_path : "-", output, as_of);
        goto out;
    }
    if (case_path == NULL || optind != argc) {
        usage(stderr);
        goto out;
    }
    if (as_of != NULL && bh_date_parse(as_of, &d) != 0) {
        fprintf(stderr, "baton evaluate: --as-of %s: expected a date YYYY-MM-DD\n", as_of);
        goto out;
    }
    status = 1;
    c = cli_read_json(case_path, err, sizeof err);
    if (c == NULL) {
        /* Unreadable or not JSON: the API answers a body that is not JSON so. */
        fail_json(400, "invalid_json", err);
        goto out;
    }
    if (as_of != NULL && cJSON_IsObject(c)) {
        cJSON_DeleteItemFromObjectCaseSensitive(c, "as_of");
        if (cJSON_AddStringToObject(c, "as_of", as_of) == NULL) {
            fail_json(500, "internal", "out of memory");
            goto out;
        }
    }
    const cJSON *jur = cJSON_GetObjectItemCaseSensitive(c, "jurisdiction");
    if (cli_plugins_load(&pl, cJSON_IsString(jur) ? jur->valuestring : NULL, &set, err,
                         sizeof err) != 0) {
        /* The code batond's deploy API gives a plugin whose load or init
         * fails (docs/deploying-plugins.md). */
        fail_json(422, "plugin_refused", err);
        goto out;
    }
    bh_eval_error e;
    memset(&e, 0, sizeof e);
    if (bh_evaluate(set, c, NULL, &answer, &e) != 0) {
        fail_json(e.http_status, e.code, e.message);
        goto out;
    }
    text = compact ? cJSON_PrintUnformatted(answer) : cJSON_Print(answer);
    if (text == NULL) {
        fail_json(500, "internal", "out of memory");
        goto out;
    }
    size_t n = strlen(text);
    text[n] = '\n'; /* replaces the NUL; written with its length below */
    if (cli_write_file(output, text, n + 1, err, sizeof err) != 0) {
        fail_json(500, "output_failed", err);
        goto out;
    }
    status = 0;
out:
    cJSON_free(text);
    cJSON_Delete(answer);
    cJSON_Delete(c);
    bh_plugin_set_unref(set);
    cli_plugins_free(&pl);
    return status;
}

BATON_COMMAND("evaluate", run, "evaluate a case offline with plugins (same answer as the API)")
