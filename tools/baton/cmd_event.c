/*
 * cmd_event.c - "baton event": a law firm outside the host writes a signed
 * case event (EVENT and EVENT.minisig) for the agency to import, chained to
 * its previous event file; "baton event verify" checks one (signature,
 * trusted comment, form, and the link to the previous event or package).
 * The format is libbaton's (baton/event.h); docs/placements.md has the
 * vocabulary.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "baton/error.h"
#include "baton/event.h"
#include "baton/receipt.h"
#include "baton/sha256.h"
#include "cli_util.h"
#include "command.h"

/* Exit codes of "event verify", as "receipt verify" uses them. */
enum { EXIT_BAD_SIGNATURE = 5, EXIT_NOT_CHAINED = 7, EXIT_MALFORMED = 13 };

static void usage(FILE *out)
{
    fprintf(out,
            "usage: baton event -k FIRM.key (--receipt RECEIPT | --case ID --tagmanifest HEX\n"
            "                   --sender NAME) --handoff ID [--prev EVENT] --event-id ID\n"
            "                   --kind KIND --date YYYY-MM-DD [--body JSON|@FILE] -o EVENT\n"
            "       baton event verify -p SENDER.pub [-x EVENT.minisig]\n"
            "                   [--prev EVENT | --tagmanifest HEX] EVENT\n\n"
            "Writes a signed case event for the agency that placed a case with you: EVENT (one\n"
            "line of JSON) and EVENT.minisig, which the agency posts to\n"
            "POST /v1/placements/{handoff}/events/import and `minisign -V -m EVENT -p` checks.\n"
            "Each event names the previous one: give the last event file you wrote for this\n"
            "handoff with --prev (none for the first, which names the package instead).\n\n"
            "  -k, --key FILE          your minisign secret key (the one your receipts use)\n"
            "      --passphrase-file F its passphrase, first line of F\n"
            "      --receipt FILE      the RECEIPT you signed for the package: case id,\n"
            "                          tagmanifest and your name are taken from it\n"
            "      --case ID           the case id (instead of --receipt)\n"
            "      --tagmanifest HEX   the package's tagmanifest SHA-256 (instead of --receipt)\n"
            "      --sender NAME       your name as the agency knows you (instead of --receipt)\n"
            "      --handoff ID        the agency's handoff id (ho_...)\n"
            "      --prev FILE         your previous event on this handoff\n"
            "      --event-id ID       your id for this event (1..64 characters of\n"
            "                          [A-Za-z0-9._:/@+-]); the agency answers a repeat of it\n"
            "      --kind KIND         acknowledged, letter_sent, contact, dispute_raised,\n"
            "                          payment_plan_agreed, payment_received, cost_incurred,\n"
            "                          suit_filed, judgment, enforcement_started, remittance,\n"
            "                          returned, closed (docs/placements.md)\n"
            "      --date YYYY-MM-DD   the day it happened\n"
            "      --body JSON|@FILE   the kind's members as a JSON object (default {})\n"
            "  -o, --output EVENT      where to write EVENT and EVENT.minisig (not replaced)\n\n"
            "The signing time is now, or $BATON_NOW (YYYY-MM-DDTHH:MM:SSZ).\n"
            "verify: -p the sender's .pub file or base64 key; --prev also checks the link to\n"
            "the previous event, --tagmanifest that the event is about this package (and,\n"
            "for the first event, its link to it). Prints the fields as key=value lines.\n\n"
            "exit codes: 0 written / valid, 1 error, 2 usage, 5 bad signature (or the\n"
            "trusted comment does not describe the event), 7 not chained, 13 malformed.\n");
}

static int hex32(const char *hex, uint8_t out[32])
{
    size_t n = 0;
    return strlen(hex) == 64 && sodium_hex2bin(out, 32, hex, 64, NULL, &n, NULL) == 0 && n == 32
               ? 0
               : -1;
}

/* Case, tagmanifest and the firm's name from a receipt the firm signed. */
static int from_receipt(const char *path, baton_event *ev, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len;
    baton_receipt r;
    if (cu_read_file(path, 65536, &text, &len, err, errlen) < 0)
        return -1;
    int rc = baton_receipt_decode(text, len, &r, err, errlen);
    free(text);
    if (rc != 0)
        return -1;
    if (!r.accepted || !r.have_tagmanifest) {
        snprintf(err, errlen, "%s: the receipt does not accept a package", path);
        return -1;
    }
    snprintf(ev->case_id, sizeof ev->case_id, "%s", r.case_id);
    snprintf(ev->sender, sizeof ev->sender, "%s", r.recipient);
    memcpy(ev->tagmanifest_sha256, r.tagmanifest_sha256, 32);
    return 0;
}

static int write_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, 'k'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {"receipt", required_argument, NULL, 'R'},
        {"case", required_argument, NULL, 'C'},
        {"tagmanifest", required_argument, NULL, 'T'},
        {"sender", required_argument, NULL, 'S'},
        {"handoff", required_argument, NULL, 'H'},
        {"prev", required_argument, NULL, 'p'},
        {"event-id", required_argument, NULL, 'E'},
        {"kind", required_argument, NULL, 'K'},
        {"date", required_argument, NULL, 'D'},
        {"body", required_argument, NULL, 'B'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *key = NULL, *pfile = NULL, *receipt = NULL, *case_id = NULL, *tm = NULL;
    const char *sender = NULL, *handoff = NULL, *prev = NULL, *event_id = NULL, *kind = NULL;
    const char *date = NULL, *body = "{}", *output = NULL;
    char err[512] = "", sigpath[4096];
    char *prev_text = NULL, *body_text = NULL, *line = NULL, *sig = NULL;
    size_t prev_len = 0, body_len = 0, ll = 0, sl = 0;
    baton_minisign_seckey *sk = NULL;
    baton_event ev, last;
    int opt, status = CU_EXIT_USAGE;
    baton_event_init(&ev);
    baton_event_init(&last);

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
            receipt = optarg;
            break;
        case 'C':
            case_id = optarg;
            break;
        case 'T':
            tm = optarg;
            break;
        case 'S':
            sender = optarg;
            break;
        case 'H':
            handoff = optarg;
            break;
        case 'p':
            prev = optarg;
            break;
        case 'E':
            event_id = optarg;
            break;
        case 'K':
            kind = optarg;
            break;
        case 'D':
            date = optarg;
            break;
        case 'B':
            body = optarg;
            break;
        case 'o':
            output = optarg;
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
    if (optind != argc || key == NULL || handoff == NULL || event_id == NULL || kind == NULL ||
        date == NULL || output == NULL ||
        (receipt != NULL) == (case_id != NULL && tm != NULL && sender != NULL) ||
        (receipt != NULL && (case_id != NULL || tm != NULL || sender != NULL))) {
        usage(stderr);
        goto out;
    }
    status = CU_EXIT_ERROR;
    if (receipt != NULL) {
        if (from_receipt(receipt, &ev, err, sizeof err) != 0) {
            fprintf(stderr, "baton event: --receipt %s\n", err);
            goto out;
        }
    } else {
        if (hex32(tm, ev.tagmanifest_sha256) != 0) {
            fprintf(stderr, "baton event: --tagmanifest: expected 64 hex digits\n");
            goto out;
        }
        snprintf(ev.case_id, sizeof ev.case_id, "%s", case_id);
        snprintf(ev.sender, sizeof ev.sender, "%s", sender);
    }
    snprintf(ev.handoff_id, sizeof ev.handoff_id, "%s", handoff);
    snprintf(ev.event_id, sizeof ev.event_id, "%s", event_id);
    snprintf(ev.date, sizeof ev.date, "%s", date);
    if (cu_now("event", &ev.recorded) != 0)
        goto out;
    if (body[0] == '@') {
        if (cu_read_file(body + 1, BATON_EVENT_LINE_MAX, &body_text, &body_len, err, sizeof err) <
            0) {
            fprintf(stderr, "baton event: --body %s\n", err);
            goto out;
        }
    } else if ((body_text = strdup(body)) != NULL) {
        body_len = strlen(body_text);
    }
    if (body_text == NULL ||
        baton_event_set_body(&ev, kind, body_text, body_len, err, sizeof err) != 0) {
        fprintf(stderr, "baton event: %s\n", body_text == NULL ? "out of memory" : err);
        goto out;
    }
    ev.role = baton_event_kind_role(ev.kind);
    if (prev == NULL) {
        ev.seq = 1;
        memcpy(ev.prev_sha256, ev.tagmanifest_sha256, 32);
    } else {
        if (cu_read_file(prev, BATON_EVENT_LINE_MAX, &prev_text, &prev_len, err, sizeof err) < 0 ||
            baton_event_decode(prev_text, prev_len, &last, err, sizeof err) != 0) {
            fprintf(stderr, "baton event: --prev %s: %s\n", prev, err);
            goto out;
        }
        ev.seq = last.seq + 1;
        baton_sha256_buffer(prev_text, prev_len, ev.prev_sha256);
        if (baton_event_chain_check(&ev, prev_text, prev_len, err, sizeof err) != 0) {
            fprintf(stderr, "baton event: --prev %s: %s\n", prev, err);
            goto out;
        }
    }
    if (cu_load_seckey(key, pfile, &sk, err, sizeof err) < 0) {
        fprintf(stderr, "baton event: -k %s: %s\n", key, err);
        goto out;
    }
    if (baton_event_sign(sk, &ev, &line, &ll, &sig, &sl, err, sizeof err) != 0) {
        fprintf(stderr, "baton event: %s\n", err);
        goto out;
    }
    if (snprintf(sigpath, sizeof sigpath, "%s.minisig", output) >= (int)sizeof sigpath ||
        cu_write_new(output, line, ll, err, sizeof err) != 0 ||
        cu_write_new(sigpath, sig, sl, err, sizeof err) != 0) {
        fprintf(stderr, "baton event: %s\n", err);
        goto out;
    }
    uint8_t d[32];
    char hex[65];
    baton_sha256_buffer(line, ll, d);
    baton_sha256_hex(d, hex);
    printf("event=%s\nseq=%" PRIu64 "\nsha256=%s\n", output, ev.seq, hex);
    status = CU_EXIT_OK;
out:
    baton_minisign_seckey_free(sk);
    baton_event_clear(&ev);
    baton_event_clear(&last);
    free(prev_text);
    free(body_text);
    free(line);
    free(sig);
    return status;
}

static int verify_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"trust", required_argument, NULL, 'p'}, {"sig", required_argument, NULL, 'x'},
        {"prev", required_argument, NULL, 'P'},  {"tagmanifest", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const char *sigpath = NULL, *prev = NULL, *tm = NULL;
    baton_minisign_pubkey *keys = NULL;
    size_t n_keys = 0, ll = 0, sl = 0, pl = 0;
    char *line = NULL, *sig = NULL, *prev_text = NULL, err[512] = "", sigbuf[4096];
    int opt, status = CU_EXIT_USAGE;
    baton_event ev;
    baton_event_init(&ev);

    optind = 1;
    while ((opt = getopt_long(argc, argv, "p:x:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'p':
            if (cu_add_pubkey(optarg, &keys, &n_keys, err, sizeof err) < 0) {
                fprintf(stderr, "baton event verify: -p %s: %s\n", optarg, err);
                status = CU_EXIT_ERROR;
                goto out;
            }
            break;
        case 'x':
            sigpath = optarg;
            break;
        case 'P':
            prev = optarg;
            break;
        case 'T':
            tm = optarg;
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
    if (n_keys != 1 || optind + 1 != argc || (prev != NULL && tm != NULL)) {
        usage(stderr);
        goto out;
    }
    status = CU_EXIT_ERROR;
    if (sigpath == NULL) {
        snprintf(sigbuf, sizeof sigbuf, "%s.minisig", argv[optind]);
        sigpath = sigbuf;
    }
    if (cu_read_file(argv[optind], BATON_EVENT_LINE_MAX, &line, &ll, err, sizeof err) < 0 ||
        cu_read_file(sigpath, 65536, &sig, &sl, err, sizeof err) < 0 ||
        (prev != NULL &&
         cu_read_file(prev, BATON_EVENT_LINE_MAX, &prev_text, &pl, err, sizeof err) < 0)) {
        fprintf(stderr, "baton event verify: %s\n", err);
        goto out;
    }
    int rc = baton_event_verify(&keys[0], line, ll, sig, sl, &ev, err, sizeof err);
    if (rc != 0) {
        status = rc == BATON_EINVAL ? EXIT_MALFORMED : EXIT_BAD_SIGNATURE;
        fprintf(stderr, "baton event verify: %s: %s\n",
                rc == BATON_EINVAL ? "malformed" : "bad signature", err);
        goto out;
    }
    if (tm != NULL) {
        uint8_t want[32];
        if (hex32(tm, want) != 0) {
            fprintf(stderr, "baton event verify: --tagmanifest: expected 64 hex digits\n");
            goto out;
        }
        if (memcmp(want, ev.tagmanifest_sha256, 32) != 0) {
            fprintf(stderr, "baton event verify: the event names another package\n");
            status = EXIT_NOT_CHAINED;
            goto out;
        }
    }
    if ((prev != NULL || (tm != NULL && ev.seq == 1)) &&
        baton_event_chain_check(&ev, prev_text, pl, err, sizeof err) != 0) {
        fprintf(stderr, "baton event verify: not chained: %s\n", err);
        status = EXIT_NOT_CHAINED;
        goto out;
    }
    char prevhex[65], tmhex[65], t[21];
    baton_sha256_hex(ev.prev_sha256, prevhex);
    baton_sha256_hex(ev.tagmanifest_sha256, tmhex);
    baton_pkg_time_format(ev.recorded, t);
    printf("event_id=%s\nhandoff_id=%s\ncase_id=%s\nsender=%s\nrole=%s\nseq=%" PRIu64
           "\nkind=%s\ndate=%s\nrecorded=%s\nprev_sha256=%s\ntagmanifest_sha256=%s\n",
           ev.event_id, ev.handoff_id, ev.case_id, ev.sender, baton_event_role_name(ev.role),
           ev.seq, baton_event_kind_name(ev.kind), ev.date, t, prevhex, tmhex);
    status = CU_EXIT_OK;
out:
    baton_event_clear(&ev);
    free(keys);
    free(line);
    free(sig);
    free(prev_text);
    return status;
}

static int run(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return verify_main(argc - 1, argv + 1);
    return write_main(argc, argv);
}

BATON_COMMAND("event", run, "write a signed case event ('event verify' checks one)")
