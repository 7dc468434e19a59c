/*
 * cmd_open.c - "baton open": verifies a handoff package and extracts it
 * atomically; also the shared implementation of "baton verify" (checks
 * only, writes nothing) and "baton receipt" (checks, optionally extracts,
 * and writes the firm's signed receipt).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baton/docindex.h"
#include "baton/error.h"
#include "baton/ledger.h"
#include "baton/names.h"
#include "baton/package.h"
#include "baton/receipt.h"
#include "baton/sha256.h"
#include "cli_util.h"
#include "command.h"

static void usage(FILE *out, enum cu_open_mode mode)
{
    if (mode == CU_VERIFY)
        fprintf(out, "usage: baton verify -i IDENTITY -p SENDER.pub [-p ...] [options] FILE\n\n"
                     "Checks a handoff package completely and writes nothing (the ledger is\n"
                     "read, not updated).\n\n");
    else if (mode == CU_OPEN)
        fprintf(out,
                "usage: baton open -i IDENTITY -p SENDER.pub [-p ...] -C DIR [options] FILE\n\n"
                "Checks a handoff package, then extracts it into DIR (DIR/bag/...). DIR\n"
                "must not exist or be empty; it is filled atomically: on any failure\n"
                "nothing is left in it. The sequence number is recorded in the ledger.\n"
                "Documents get back the names they were given under DIR/documents/ (where\n"
                "the name rule allows; one document=... line each says where it is).\n\n");
    else
        fprintf(out,
                "usage: baton receipt -k FIRM.key -i IDENTITY -p SENDER.pub [-C DIR] [options]\n"
                "                     -o RECEIPT FILE\n"
                "       baton receipt verify -p FIRM.pub [--package FILE] [--tagmanifest HEX]\n"
                "                     RECEIPT\n\n"
                "Checks a handoff package (and extracts it with -C, recording it in the\n"
                "ledger), then writes the firm's receipt RECEIPT (one JSON line) and\n"
                "RECEIPT.minisig (minisign signature by FIRM.key), for accepted and refused\n"
                "packages alike. 'receipt verify' is the sender's side: see its --help.\n\n"
                "  -k, --key FILE           the firm's minisign secret key\n"
                "  -o, --output FILE        receipt to write (and FILE.minisig)\n"
                "      --passphrase-file F  passphrase of an encrypted key\n");
    fprintf(out,
            "  -i, --identity FILE      the firm's age identity (baton keygen's .agekey or\n"
            "                           age-keygen's file)\n"
            "  -p, --trust KEY          a trusted sender: minisign .pub file or base64 key\n"
            "                           (repeatable)\n"
            "%s"
            "      --recipient-name N   the firm's name as senders address it (default:\n"
            "                           NAME for an identity file NAME.agekey; required\n"
            "                           for any other identity file name)\n"
            "      --ledger FILE        replay ledger (default $BATON_LEDGER, else\n"
            "                           $XDG_STATE_HOME/baton/ledger.sqlite, else\n"
            "                           ~/.local/state/baton/ledger.sqlite)\n"
            "      --no-ledger          skip the replay check (not recommended)\n\n"
            "Checks: age decryption and authentication; tar entries only regular files and\n"
            "folders under bag/ with safe, unique names; the BagIt layout and canonical\n"
            "manifests; the tagmanifest signature by a trusted key; its trusted comment;\n"
            "every digest; no extra or missing file; the recipient name; the expiry\n"
            "($BATON_NOW overrides the clock); the ledger. One line on stderr says why a\n"
            "package is refused. SIGINT/SIGTERM/SIGHUP stop it cleanly: nothing is left.\n\n%s",
            mode == CU_VERIFY ? "" : "  -C, --directory DIR      extract into DIR\n", cu_exit_help);
}

static int write_file(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
    /* A receipt once written is evidence: never replaced silently. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s%s", path, strerror(errno),
                 errno == EEXIST ? " (a receipt is never overwritten; choose another -o)" : "");
        return -1;
    }
    int rc = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0 ? 0 : -1;
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
    close(fd);
    return rc;
}

static int write_receipt(const char *key_path, const char *pfile, const char *out_path,
                         const baton_pkg_open_result *res, int64_t now)
{
    baton_minisign_seckey *sk = NULL;
    baton_receipt r;
    char *json = NULL, *sig = NULL, err[512], sigpath[4096];
    size_t jl, sl;
    int rc = -1;
    if (cu_load_seckey(key_path, pfile, &sk, err, sizeof err) < 0)
        goto fail;
    baton_receipt_from_result(res, now, &r);
    if (baton_receipt_sign(sk, &r, &json, &jl, &sig, &sl, err, sizeof err) < 0)
        goto fail;
    snprintf(sigpath, sizeof sigpath, "%s.minisig", out_path);
    if (write_file(out_path, json, jl, err, sizeof err) < 0 ||
        write_file(sigpath, sig, sl, err, sizeof err) < 0)
        goto fail;
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "baton receipt: %s\n", err);
out:
    free(json);
    free(sig);
    baton_minisign_seckey_free(sk);
    return rc;
}

static volatile sig_atomic_t stop_signal;

/* A given name for the terminal: as is when the name rule accepts every
 * part of it (no invisible or direction-changing characters), else with
 * each non-ASCII code point written \u{XXXX}; '"' and '\' escaped. */
static void print_name(const char *name)
{
    size_t len = strlen(name), start = 0;
    int plain = 1;
    for (size_t i = 0; i <= len && plain; i++) {
        if (i < len && name[i] != '/')
            continue;
        plain = baton_name_check(name + start, i - start, NULL, 0) == 0;
        start = i + 1;
    }
    putchar('"');
    for (const unsigned char *c = (const unsigned char *)name; *c != '\0';) {
        if (*c == '"' || *c == '\\') {
            printf("\\%c", *c++);
        } else if (*c < 0x80 || plain) {
            putchar(*c++);
        } else {
            /* Valid UTF-8 (the index was checked): decode one sequence. */
            int n = *c >= 0xf0 ? 4 : *c >= 0xe0 ? 3 : 2;
            unsigned cp = *c & (0x7f >> n);
            for (int k = 1; k < n; k++)
                cp = cp << 6 | (c[k] & 0x3f);
            printf("\\u{%04X}", cp);
            c += n;
        }
    }
    putchar('"');
}

/* One line per document of the index: where it is in the bag, the name it
 * was given, and where that name was restored (or why not). */
static void print_document(void *ctx, const baton_docindex_entry *e, const char *as, int errnum)
{
    (void)ctx;
    printf("document=%s name=", e->file);
    print_name(e->name);
    if (as != NULL) {
        printf(" restored=");
        print_name(as);
        putchar('\n');
    } else {
        printf(" restored=no reason=\"%s\"\n",
               errnum == EINVAL   ? "the name rule does not allow this name on disk"
               : errnum == EEXIST ? "another document has this name up to letter case or "
                                    "Unicode compatibility forms"
                                  : strerror(errnum));
    }
}

int cu_open_main(int argc, char **argv, enum cu_open_mode mode)
{
    static const struct option opts[] = {
        {"identity", required_argument, NULL, 'i'},
        {"trust", required_argument, NULL, 'p'},
        {"directory", required_argument, NULL, 'C'},
        {"recipient-name", required_argument, NULL, 'R'},
        {"ledger", required_argument, NULL, 'L'},
        {"no-ledger", no_argument, NULL, 'N'},
        {"key", required_argument, NULL, 'k'},
        {"output", required_argument, NULL, 'o'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = mode == CU_VERIFY ? "verify" : mode == CU_OPEN ? "open" : "receipt";
    const char *id_path = NULL, *dir = NULL, *rname = NULL, *ledger_path = NULL, *key_path = NULL,
               *out_path = NULL, *pfile = NULL;
    int no_ledger = 0, opt, status = CU_EXIT_USAGE;
    char err[1024] = "", ledger_buf[4096], recipient[BATON_PKG_NAME_MAX + 1];
    baton_minisign_pubkey *trusted = NULL;
    size_t n_trusted = 0, n_ids = 0;
    baton_age_identity **ids = NULL;
    baton_ledger *ledger = NULL;
    baton_pkg_open_params p;
    baton_pkg_open_result res;

    memset(&p, 0, sizeof p);
    memset(&res, 0, sizeof res);
    optind = 1;
    const char *shortopts = mode == CU_VERIFY ? "i:p:h"
                            : mode == CU_OPEN ? "i:p:C:h"
                                              : "i:p:C:k:o:h";
    while ((opt = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
        switch (opt) {
        case 'i':
            id_path = optarg;
            break;
        case 'p':
            if (cu_add_pubkey(optarg, &trusted, &n_trusted, err, sizeof err) < 0) {
                fprintf(stderr, "baton %s: -p %s: %s\n", cmd, optarg, err);
                status = CU_EXIT_ERROR;
                goto out;
            }
            break;
        case 'C':
            if (mode == CU_VERIFY)
                goto bad;
            dir = optarg;
            break;
        case 'R':
            rname = optarg;
            break;
        case 'L':
            ledger_path = optarg;
            break;
        case 'N':
            no_ledger = 1;
            break;
        case 'k':
        case 'o':
        case 'P':
            if (mode != CU_RECEIPT)
                goto bad;
            if (opt == 'k')
                key_path = optarg;
            else if (opt == 'o')
                out_path = optarg;
            else
                pfile = optarg;
            break;
        case 'h':
            usage(stdout, mode);
            status = 0;
            goto out;
        default:
            goto bad;
        }
    }
    if (id_path == NULL || n_trusted == 0 || optind + 1 != argc || (mode == CU_OPEN && !dir) ||
        (mode == CU_RECEIPT && (key_path == NULL || out_path == NULL)))
        goto bad;
    /* The opener's name: given, or NAME of NAME.agekey (baton keygen's
     * naming). Any other file name (age-keygen's keys.txt) says nothing
     * about who the firm is, so it is not guessed from. */
    if (rname != NULL) {
        snprintf(recipient, sizeof recipient, "%s", rname);
    } else {
        size_t il = strlen(id_path);
        cu_stem(id_path, ".agekey", recipient, sizeof recipient);
        if (il <= 7 || strcmp(id_path + il - 7, ".agekey") != 0 || recipient[0] == '\0') {
            fprintf(stderr,
                    "baton %s: give --recipient-name (the firm's name the sender wrote in the "
                    "package); it is only taken from the identity file's name for NAME.agekey\n",
                    cmd);
            goto out;
        }
    }
    status = CU_EXIT_ERROR;
    if (cu_now(cmd, &p.now) < 0) {
        status = CU_EXIT_USAGE;
        goto out;
    }
    if (baton_age_identities_load(id_path, &ids, &n_ids, err, sizeof err) < 0) {
        fprintf(stderr, "baton %s: %s\n", cmd, err);
        goto out;
    }
    if (!no_ledger) {
        if (ledger_path == NULL) {
            if (cu_default_ledger(ledger_buf, sizeof ledger_buf, err, sizeof err) < 0) {
                fprintf(stderr, "baton %s: %s\n", cmd, err);
                goto out;
            }
            ledger_path = ledger_buf;
        }
        /* verify writes nothing: without a ledger yet, nothing was seen. */
        if (mode == CU_VERIFY && access(ledger_path, F_OK) != 0)
            ledger_path = NULL;
        if (ledger_path != NULL && baton_ledger_open(ledger_path, &ledger, err, sizeof err) < 0) {
            fprintf(stderr, "baton %s: %s\n", cmd, err);
            goto out;
        }
    }
    p.identities = ids;
    p.n_identities = n_ids;
    p.trusted = trusted;
    p.n_trusted = n_trusted;
    p.recipient = recipient;
    p.ledger = ledger;
    p.record = dir != NULL;
    p.extract_dir = dir;
    p.hash_package = mode == CU_RECEIPT;
    p.cancel = &stop_signal;
    cu_signals_catch(&stop_signal);
    int rc = baton_pkg_open_file(&p, argv[optind], cu_progress, (void *)"opening", &res, err,
                                 sizeof err);
    cu_progress_end();
    if (stop_signal != 0) {
        /* Everything the open wrote is gone; end as the signal asked. */
        fprintf(stderr, "baton %s: interrupted; nothing was extracted\n", cmd);
        cu_signals_end(&stop_signal);
    }
    status = cu_exit_for(res.verdict);
    if (rc < 0)
        fprintf(stderr, "baton %s: %s\n", cmd, err);
    if (mode == CU_RECEIPT && (rc == 0 || res.verdict != BATON_PKG_ERROR)) {
        if (write_receipt(key_path, pfile, out_path, &res, p.now) < 0)
            status = CU_EXIT_ERROR;
    }
    if (rc == 0) {
        char tm[65], c[21], e[21];
        baton_sha256_hex(res.tagmanifest_sha256, tm);
        baton_pkg_time_format(res.meta.created, c);
        baton_pkg_time_format(res.meta.expires, e);
        printf("verdict=accepted\ncase_id=%s\nsender=%s\nrecipient=%s\nsequence=%" PRIu64
               "\ncreated=%s\nexpires=%s\nfiles=%" PRIu64 "\npayload_bytes=%" PRIu64
               "\ntagmanifest_sha256=%s\n",
               res.meta.case_id, res.meta.sender, res.meta.recipient, res.meta.sequence, c, e,
               res.payload_files, res.payload_bytes, tm);
        if (dir != NULL &&
            baton_docindex_restore(dir, print_document, NULL, NULL, NULL, err, sizeof err) < 0) {
            fprintf(stderr, "baton %s: %s: documents keep their bag names: %s\n", cmd, dir, err);
        }
    }
    goto out;
bad:
    usage(stderr, mode);
    status = CU_EXIT_USAGE;
out:
    baton_ledger_close(ledger);
    baton_age_identities_free(ids, n_ids);
    free(trusted);
    return status;
}

static int run(int argc, char **argv)
{
    return cu_open_main(argc, argv, CU_OPEN);
}

BATON_COMMAND("open", run, "verify a handoff package and extract it atomically")
