/*
 * cmd_receipt.c - "baton receipt": the law firm signs a receipt for a
 * package it checked (implemented with "baton open" in cmd_open.c), and
 * "baton receipt verify": the sender checks such a receipt.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "baton/error.h"
#include "baton/receipt.h"
#include "baton/sha256.h"
#include "cli_util.h"
#include "command.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: baton receipt verify -p FIRM.pub [--package FILE] [--tagmanifest HEX]\n"
                 "                            [-x RECEIPT.minisig] RECEIPT\n\n"
                 "Checks a law firm's receipt: the minisign signature by the firm's key, the\n"
                 "canonical form, and when given, that it names this package (SHA-256 of the\n"
                 "encrypted file) and this tagmanifest (as printed by baton pack). Prints the\n"
                 "receipt's fields as key=value lines.\n\n"
                 "  -p, --trust KEY        the firm's minisign .pub file or base64 key\n"
                 "      --package FILE     the package the receipt must name\n"
                 "      --tagmanifest HEX  the tagmanifest SHA-256 the receipt must name\n"
                 "  -x, --sig FILE         signature (default RECEIPT.minisig)\n\n"
                 "exit codes: 0 valid receipt (its verdict may still be 'rejected': see the\n"
                 "verdict line), 1 error, 2 usage, 5 bad signature, 7 the receipt names another\n"
                 "package or tagmanifest, 13 malformed receipt.\n");
}

static int verify_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"trust", required_argument, NULL, 'p'},
        {"package", required_argument, NULL, 'P'},
        {"tagmanifest", required_argument, NULL, 'T'},
        {"sig", required_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *pkg = NULL, *tmhex = NULL, *sigpath = NULL;
    baton_minisign_pubkey *keys = NULL;
    size_t n_keys = 0, jl = 0, sl = 0;
    char *json = NULL, *sig = NULL, err[512] = "", sigbuf[4096];
    int opt, status = CU_EXIT_USAGE;
    baton_receipt r;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "p:x:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'p':
            if (cu_add_pubkey(optarg, &keys, &n_keys, err, sizeof err) < 0) {
                fprintf(stderr, "baton receipt verify: -p %s: %s\n", optarg, err);
                status = CU_EXIT_ERROR;
                goto out;
            }
            break;
        case 'P':
            pkg = optarg;
            break;
        case 'T':
            tmhex = optarg;
            break;
        case 'x':
            sigpath = optarg;
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
    if (n_keys != 1 || optind + 1 != argc) {
        usage(stderr);
        goto out;
    }
    status = CU_EXIT_ERROR;
    if (sigpath == NULL) {
        snprintf(sigbuf, sizeof sigbuf, "%s.minisig", argv[optind]);
        sigpath = sigbuf;
    }
    if (cu_read_file(argv[optind], 65536, &json, &jl, err, sizeof err) < 0 ||
        cu_read_file(sigpath, 65536, &sig, &sl, err, sizeof err) < 0) {
        fprintf(stderr, "baton receipt verify: %s\n", err);
        goto out;
    }
    int rc = baton_receipt_verify(&keys[0], json, jl, sig, sl, &r, err, sizeof err);
    if (rc < 0) {
        status = rc == BATON_ECRYPTO ? cu_exit_for(BATON_PKG_BAD_SIGNATURE)
                                     : cu_exit_for(BATON_PKG_MALFORMED);
        fprintf(stderr, "baton receipt verify: %s: %s\n",
                rc == BATON_ECRYPTO ? "bad signature" : "malformed", err);
        goto out;
    }
    if (pkg != NULL) {
        uint8_t d[32];
        if (baton_sha256_file(pkg, d, err, sizeof err) < 0) {
            fprintf(stderr, "baton receipt verify: %s\n", err);
            goto out;
        }
        if (sodium_memcmp(d, r.package_sha256, 32) != 0) {
            fprintf(stderr, "baton receipt verify: the receipt names another package\n");
            status = cu_exit_for(BATON_PKG_TAMPERED);
            goto out;
        }
    }
    char tm[65] = "", ph[65], t[21];
    if (r.have_tagmanifest)
        baton_sha256_hex(r.tagmanifest_sha256, tm);
    if (tmhex != NULL && strcmp(tmhex, tm) != 0) {
        fprintf(stderr, "baton receipt verify: the receipt names another tagmanifest\n");
        status = cu_exit_for(BATON_PKG_TAMPERED);
        goto out;
    }
    baton_sha256_hex(r.package_sha256, ph);
    baton_pkg_time_format(r.received, t);
    printf("verdict=%s\nreason=%s\ncase_id=%s\nsender=%s\nrecipient=%s\nsequence=%" PRIu64
           "\nreceived=%s\npackage_sha256=%s\ntagmanifest_sha256=%s\n",
           r.accepted ? "accepted" : "rejected", r.reason, r.case_id, r.sender, r.recipient,
           r.sequence, t, ph, tm);
    status = CU_EXIT_OK;
out:
    free(keys);
    free(json);
    free(sig);
    return status;
}

static int run(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return verify_main(argc - 1, argv + 1);
    return cu_open_main(argc, argv, CU_RECEIPT);
}

BATON_COMMAND("receipt", run, "sign a receipt for a package ('receipt verify' checks one)")
