/*
 * cmd_ygc.c - "baton ygc": the YGC interchange offline (docs/ygc.md).
 *
 *   baton ygc export   a case as the YGC placement records 01 and 02
 *   baton ygc import   a firm's YGC file (records 39, 30, 41, 43) as signed
 *                      event files, chained like `baton event` writes them
 *
 * The records are host/runtime's (ygc_placement.c, ygc_events.c), the same
 * batond answers GET /v1/handoffs/{id}/ygc and POST
 * /v1/inbox/{id}/events/ygc with; the events are libbaton's (baton/event.h),
 * signed as `baton event` signs them.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include <sodium.h>

#include "baton/error.h"
#include "baton/event.h"
#include "baton/receipt.h"
#include "baton/sha256.h"
#include "case_validate.h"
#include "cli_util.h"
#include "command.h"
#include "evaluate.h"
#include "json_input.h"
#include "ygc_events.h"
#include "ygc_placement.h"

/* As "event verify": a file with lines that cannot be mapped. */
enum { EXIT_MALFORMED = 13 };

static void usage(FILE *out)
{
    fprintf(out,
            "usage: baton ygc export --case CASE.json --file-number N --agency ID --firm ID\n"
            "                        [--date YYYY-MM-DD] [-o FILE]\n"
            "       baton ygc import -k FIRM.key (--receipt RECEIPT | --case ID --tagmanifest HEX\n"
            "                        --sender NAME --agency ID --file-number N) --handoff ID\n"
            "                        --currency CUR [--prev EVENT]\n"
            "                        [--judgment default|contested] -o DIR FILE.ygc\n\n"
            "export: writes the case as the YGC placement records 01 (New Account) and 02\n"
            "(Primary Debtor), CRLF lines, to FILE (default: standard output). FILENO is\n"
            "--file-number (the handoff's sequence number), FORW_FILE the case id, FORW_ID\n"
            "--agency, FIRM_ID --firm, DATE_FORW --date (default today, or $BATON_NOW).\n"
            "A value that does not fit its field is refused, naming the field.\n\n"
            "import: reads a YGC file from your collection system and writes every record\n"
            "as your signed case events for the agency to import (POST\n"
            "/v1/placements/{handoff}/events/import): DIR/<event id> and\n"
            "DIR/<event id>.minisig, each chained to the one before (the first to --prev,\n"
            "your last event on this handoff, or to the package). Case, package, your name,\n"
            "the agency and the file number come from the RECEIPT you signed (or are\n"
            "given: --sender is your name, --file-number the package's sequence number);\n"
            "--currency is the placed case's. If any line cannot be mapped nothing is written and "
            "every\n"
            "such line is listed with its field. An event already in DIR is not written\n"
            "again. --judgment says how the judgments of records 41 were obtained.\n\n"
            "  -k, --key FILE          your minisign secret key (the one your receipts use)\n"
            "      --passphrase-file F its passphrase, first line of F\n\n"
            "exit codes: 0 written, 1 error, 2 usage, 13 lines that cannot be mapped.\n");
}

/* --- export --- */

static int export_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"case", required_argument, NULL, 'c'},   {"file-number", required_argument, NULL, 'n'},
        {"agency", required_argument, NULL, 'a'}, {"firm", required_argument, NULL, 'f'},
        {"date", required_argument, NULL, 'd'},   {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *case_path = NULL, *file_number = NULL, *agency = NULL, *firm = NULL;
    const char *date = NULL, *output = NULL;
    char err[512] = "";
    char *case_text = NULL, *text = NULL;
    size_t case_len = 0, len = 0;
    cJSON *cj = NULL;
    int opt, status = CU_EXIT_USAGE;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c':
            case_path = optarg;
            break;
        case 'n':
            file_number = optarg;
            break;
        case 'a':
            agency = optarg;
            break;
        case 'f':
            firm = optarg;
            break;
        case 'd':
            date = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return CU_EXIT_USAGE;
        }
    }
    if (optind != argc || case_path == NULL || file_number == NULL || agency == NULL ||
        firm == NULL) {
        usage(stderr);
        return CU_EXIT_USAGE;
    }
    status = CU_EXIT_ERROR;
    bh_ygc_placement p = {file_number, agency, firm, 0, 0, 0};
    if (date != NULL) {
        if (strlen(date) != 10 || sscanf(date, "%4d-%2d-%2d", &p.year, &p.month, &p.day) != 3) {
            fprintf(stderr, "baton ygc export: --date: expected YYYY-MM-DD\n");
            return CU_EXIT_USAGE;
        }
    } else {
        int64_t now;
        if (cu_now("ygc export", &now) != 0)
            return CU_EXIT_ERROR;
        time_t t = (time_t)now;
        struct tm tm;
        gmtime_r(&t, &tm);
        p.year = tm.tm_year + 1900;
        p.month = tm.tm_mon + 1;
        p.day = tm.tm_mday;
    }
    if (cu_read_file(case_path, 64u << 20, &case_text, &case_len, err, sizeof err) < 0) {
        fprintf(stderr, "baton ygc export: %s\n", err);
        goto out;
    }
    bh_json_error je;
    bh_eval_error ce;
    if ((cj = bh_json_parse(case_text, case_len, &je)) == NULL) {
        bh_json_error_text(&je, err, sizeof err);
        fprintf(stderr, "baton ygc export: %s: invalid JSON at %s\n", case_path, err);
        goto out;
    }
    if (bh_case_validate(cj, &ce) != 0) {
        fprintf(stderr, "baton ygc export: %s: invalid case: %s\n", case_path, ce.message);
        goto out;
    }
    if (bh_ygc_placement_records(cj, &p, &text, &len, err, sizeof err) != 0) {
        fprintf(stderr, "baton ygc export: %s\n", err);
        goto out;
    }
    FILE *f = output != NULL ? fopen(output, "wb") : stdout;
    if (f == NULL || fwrite(text, 1, len, f) != len || (output != NULL && fclose(f) != 0)) {
        fprintf(stderr, "baton ygc export: %s: %s\n", output ? output : "stdout", strerror(errno));
        goto out;
    }
    if (output == NULL)
        fflush(stdout);
    status = CU_EXIT_OK;
out:
    cJSON_Delete(cj);
    free(case_text);
    free(text);
    return status;
}

/* --- import --- */

/* Prints every line that cannot be mapped; returns how many. */
static int print_problems(const cJSON *answer)
{
    int n = 0;
    const cJSON *line;
    cJSON_ArrayForEach(line, cJSON_GetObjectItemCaseSensitive(answer, "lines"))
    {
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(line, "errors"))
        {
            const char *field = cJSON_GetObjectItemCaseSensitive(e, "field")->valuestring;
            fprintf(stderr, "line %d%s%s: %s\n",
                    cJSON_GetObjectItemCaseSensitive(line, "line")->valueint, field[0] ? ", " : "",
                    field, cJSON_GetObjectItemCaseSensitive(e, "message")->valuestring);
        }
        if (cJSON_GetObjectItemCaseSensitive(line, "errors") != NULL)
            n++;
    }
    return n;
}

typedef struct chain {
    baton_minisign_seckey *sk;
    baton_event base; /* case, package, sender, handoff */
    uint64_t seq;     /* of the last event written (0: none) */
    uint8_t prev_sha256[32];
    const char *dir;
} chain;

/*
 * An event file already at path from an earlier run: 1 when it is signed
 * (its .minisig is there), and the chain then goes on after it when it is
 * the latest so far, so a rerun after a stop, or a corrected file that
 * repeats lines, links its new events to the last one written; 0 when the
 * signature is missing (the run stopped between the two writes): the
 * unsigned file is removed so the event is written again; -1 with err.
 */
static int already_written(chain *c, const char *path, const char *sigpath, char *err,
                           size_t errlen)
{
    struct stat st;
    if (lstat(sigpath, &st) != 0) {
        if (unlink(path) != 0) {
            snprintf(err, errlen, "%s: unsigned, and cannot be removed: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    char *text = NULL;
    size_t len = 0;
    baton_event ev;
    baton_event_init(&ev);
    int rc = -1;
    if (cu_read_file(path, 1u << 20, &text, &len, err, errlen) < 0 ||
        baton_event_decode(text, len, &ev, err, errlen) != 0)
        goto out;
    if (strcmp(ev.handoff_id, c->base.handoff_id) != 0 || strcmp(ev.sender, c->base.sender) != 0) {
        snprintf(err, errlen,
                 "%s: an event of handoff %s by %s, not of this chain (one DIR per handoff)", path,
                 ev.handoff_id, ev.sender);
        goto out;
    }
    if (ev.seq > c->seq) {
        c->seq = ev.seq;
        baton_sha256_buffer(text, len, c->prev_sha256);
    }
    rc = 1;
out:
    baton_event_clear(&ev);
    free(text);
    return rc;
}

/* Signs and writes one draft as the next event of the chain (or notes it
 * as already written); 0 or -1 with err. */
static int write_draft(chain *c, const cJSON *d, int line_no, char *err, size_t errlen)
{
    const char *id = cJSON_GetObjectItemCaseSensitive(d, "event_id")->valuestring;
    const char *kind = cJSON_GetObjectItemCaseSensitive(d, "kind")->valuestring;
    const char *date = cJSON_GetObjectItemCaseSensitive(d, "date")->valuestring;
    char path[4096], sigpath[4200];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", c->dir, id) >= (int)sizeof path) {
        snprintf(err, errlen, "%s: path too long", c->dir);
        return -1;
    }
    snprintf(sigpath, sizeof sigpath, "%s.minisig", path);
    if (lstat(path, &st) == 0) {
        int repeat = already_written(c, path, sigpath, err, errlen);
        if (repeat < 0)
            return -1;
        if (repeat) {
            printf("line=%d event=%s kind=%s repeat=true\n", line_no, path, kind);
            return 0;
        }
    }
    char *body = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(d, "body"));
    char *text = NULL, *sig = NULL;
    size_t tl = 0, sl = 0;
    baton_event ev;
    baton_event_init(&ev);
    int rc = -1;
    if (body == NULL) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    memcpy(ev.handoff_id, c->base.handoff_id, sizeof ev.handoff_id);
    memcpy(ev.case_id, c->base.case_id, sizeof ev.case_id);
    memcpy(ev.sender, c->base.sender, sizeof ev.sender);
    memcpy(ev.tagmanifest_sha256, c->base.tagmanifest_sha256, 32);
    ev.recorded = c->base.recorded;
    snprintf(ev.event_id, sizeof ev.event_id, "%s", id);
    snprintf(ev.date, sizeof ev.date, "%s", date);
    if (baton_event_set_body(&ev, kind, body, strlen(body), err, errlen) != 0)
        goto out;
    ev.role = baton_event_kind_role(ev.kind);
    ev.seq = c->seq + 1;
    memcpy(ev.prev_sha256, c->seq == 0 ? c->base.tagmanifest_sha256 : c->prev_sha256, 32);
    if (baton_event_sign(c->sk, &ev, &text, &tl, &sig, &sl, err, errlen) != 0 ||
        cu_write_new(path, text, tl, err, errlen) != 0 ||
        cu_write_new(sigpath, sig, sl, err, errlen) != 0)
        goto out;
    baton_sha256_buffer(text, tl, c->prev_sha256);
    c->seq = ev.seq;
    printf("line=%d event=%s kind=%s seq=%" PRIu64 "\n", line_no, path, kind, ev.seq);
    rc = 0;
out:
    baton_event_clear(&ev);
    cJSON_free(body);
    free(text);
    free(sig);
    return rc;
}

static int import_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, 'k'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {"receipt", required_argument, NULL, 'R'},
        {"case", required_argument, NULL, 'c'},
        {"tagmanifest", required_argument, NULL, 'T'},
        {"sender", required_argument, NULL, 'S'},
        {"agency", required_argument, NULL, 'a'},
        {"file-number", required_argument, NULL, 'n'},
        {"handoff", required_argument, NULL, 'H'},
        {"currency", required_argument, NULL, 'C'},
        {"prev", required_argument, NULL, 'p'},
        {"judgment", required_argument, NULL, 'J'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *key = NULL, *pfile = NULL, *receipt_path = NULL, *handoff = NULL;
    const char *currency = NULL, *prev = NULL, *judgment = NULL, *dir = NULL;
    const char *case_id = NULL, *tm = NULL, *sender = NULL, *agency = NULL, *number = NULL;
    char err[512] = "";
    char *receipt_text = NULL, *file = NULL, *prev_text = NULL;
    size_t receipt_len = 0, file_len = 0, prev_len = 0;
    cJSON *mapped = NULL;
    chain c;
    memset(&c, 0, sizeof c);
    baton_event_init(&c.base);
    baton_event last;
    baton_event_init(&last);
    int opt, status = CU_EXIT_USAGE;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "k:o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'k':
            key = optarg;
            break;
        case 'P':
            pfile = optarg;
            break;
        case 'R':
            receipt_path = optarg;
            break;
        case 'c':
            case_id = optarg;
            break;
        case 'T':
            tm = optarg;
            break;
        case 'S':
            sender = optarg;
            break;
        case 'a':
            agency = optarg;
            break;
        case 'n':
            number = optarg;
            break;
        case 'H':
            handoff = optarg;
            break;
        case 'C':
            currency = optarg;
            break;
        case 'p':
            prev = optarg;
            break;
        case 'J':
            judgment = optarg;
            break;
        case 'o':
            dir = optarg;
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
    bh_ygc_judgment j = BH_YGC_JUDGMENT_UNSAID;
    if (judgment != NULL && strcmp(judgment, "default") == 0)
        j = BH_YGC_JUDGMENT_DEFAULT;
    else if (judgment != NULL && strcmp(judgment, "contested") == 0)
        j = BH_YGC_JUDGMENT_CONTESTED;
    else if (judgment != NULL) {
        fprintf(stderr, "baton ygc import: --judgment: expected default or contested\n");
        goto out;
    }
    int given = case_id != NULL && tm != NULL && sender != NULL && agency != NULL && number != NULL;
    int some = case_id != NULL || tm != NULL || sender != NULL || agency != NULL || number != NULL;
    if (optind + 1 != argc || key == NULL || handoff == NULL || currency == NULL || dir == NULL ||
        (receipt_path != NULL) == given || (receipt_path != NULL && some)) {
        usage(stderr);
        goto out;
    }
    status = CU_EXIT_ERROR;
    baton_receipt r;
    memset(&r, 0, sizeof r);
    if (receipt_path != NULL) {
        if (cu_read_file(receipt_path, 65536, &receipt_text, &receipt_len, err, sizeof err) < 0 ||
            baton_receipt_decode(receipt_text, receipt_len, &r, err, sizeof err) != 0) {
            fprintf(stderr, "baton ygc import: --receipt %s\n", err);
            goto out;
        }
        if (!r.accepted || !r.have_tagmanifest || r.sequence == 0) {
            fprintf(stderr, "baton ygc import: --receipt %s: it does not accept a package\n",
                    receipt_path);
            goto out;
        }
    } else {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(number, &end, 10);
        size_t hl = 0;
        if (number[0] < '0' || number[0] > '9' || *end != '\0' || errno != 0 || n == 0) {
            fprintf(stderr, "baton ygc import: --file-number: expected a positive number\n");
            goto out;
        }
        if (strlen(tm) != 64 ||
            sodium_hex2bin(r.tagmanifest_sha256, 32, tm, 64, NULL, &hl, NULL) != 0 || hl != 32) {
            fprintf(stderr, "baton ygc import: --tagmanifest: expected 64 hex digits\n");
            goto out;
        }
        r.sequence = n;
        snprintf(r.case_id, sizeof r.case_id, "%s", case_id);
        snprintf(r.sender, sizeof r.sender, "%s", agency);
        snprintf(r.recipient, sizeof r.recipient, "%s", sender);
    }
    char file_number[24];
    snprintf(file_number, sizeof file_number, "%" PRIu64, r.sequence);
    bh_ygc_placement_ids ids = {r.case_id, file_number, r.sender, r.recipient, currency};
    if (cu_read_file(argv[optind], 64u << 20, &file, &file_len, err, sizeof err) < 0) {
        fprintf(stderr, "baton ygc import: %s\n", err);
        goto out;
    }
    if (bh_ygc_events_from_file(file, file_len, &ids, j, &mapped, err, sizeof err) != 0) {
        fprintf(stderr, "baton ygc import: %s: %s\n", argv[optind], err);
        goto out;
    }
    if (print_problems(mapped) > 0) {
        fprintf(stderr, "baton ygc import: %s: nothing written\n", argv[optind]);
        status = EXIT_MALFORMED;
        goto out;
    }
    /* the chain: after --prev, or anchored at the package */
    snprintf(c.base.handoff_id, sizeof c.base.handoff_id, "%s", handoff);
    snprintf(c.base.case_id, sizeof c.base.case_id, "%s", r.case_id);
    snprintf(c.base.sender, sizeof c.base.sender, "%s", r.recipient);
    memcpy(c.base.tagmanifest_sha256, r.tagmanifest_sha256, 32);
    c.dir = dir;
    if (cu_now("ygc import", &c.base.recorded) != 0)
        goto out;
    if (prev != NULL) {
        if (cu_read_file(prev, BATON_EVENT_LINE_MAX, &prev_text, &prev_len, err, sizeof err) < 0 ||
            baton_event_decode(prev_text, prev_len, &last, err, sizeof err) != 0) {
            fprintf(stderr, "baton ygc import: --prev %s: %s\n", prev, err);
            goto out;
        }
        c.seq = last.seq;
        baton_sha256_buffer(prev_text, prev_len, c.prev_sha256);
    }
    if (cu_load_seckey(key, pfile, &c.sk, err, sizeof err) < 0) {
        fprintf(stderr, "baton ygc import: -k %s: %s\n", key, err);
        goto out;
    }
    const cJSON *line;
    cJSON_ArrayForEach(line, cJSON_GetObjectItemCaseSensitive(mapped, "lines"))
    {
        const cJSON *d;
        int no = cJSON_GetObjectItemCaseSensitive(line, "line")->valueint;
        cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(line, "events"))
        {
            if (write_draft(&c, d, no, err, sizeof err) != 0) {
                fprintf(stderr, "baton ygc import: line %d: %s\n", no, err);
                goto out;
            }
        }
    }
    status = CU_EXIT_OK;
out:
    baton_minisign_seckey_free(c.sk);
    baton_event_clear(&c.base);
    baton_event_clear(&last);
    cJSON_Delete(mapped);
    free(receipt_text);
    free(file);
    free(prev_text);
    return status;
}

static int run(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "export") == 0)
        return export_main(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "import") == 0)
        return import_main(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return 0;
    }
    usage(stderr);
    return CU_EXIT_USAGE;
}

BATON_COMMAND("ygc", run,
              "the YGC interchange: 'ygc export' a placement, 'ygc import' a "
              "firm's file as signed events")
