/*
 * cmd_pack.c - "baton pack": builds a signed, encrypted handoff package
 * (docs/handoff-packages.md) from a case file and documents.
 *
 * Also owns the per-key sequence state: KEY.seq next to the secret key
 * holds the last sequence number used with that key; it is advanced (under
 * an exclusive lock, fsynced) before the package is written, so a number is
 * never used twice even when packing fails half-way.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "baton/error.h"
#include "baton/package.h"
#include "baton/sha256.h"
#include "case_validate.h"
#include "cli_util.h"
#include "command.h"
#include "evaluate.h"
#include "json_input.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: baton pack -k SENDER.key -r RECIPIENT -c CASE.json [-d FILE]... -o OUT\n"
            "                  [--seq N] [--expires DURATION] [--sender NAME]\n"
            "                  [--recipient-name NAME] [--case-id ID] [--passphrase-file F]\n"
            "                  [--force]\n\n"
            "Packs a case for a law firm: a BagIt bag (data/case.json, data/documents/...)\n"
            "in a reproducible tar, its tagmanifest signed with minisign by the sender,\n"
            "encrypted with age to the firm. See docs/handoff-packages.md.\n\n"
            "  -k, --key FILE           sender's minisign secret key (baton keygen)\n"
            "  -r, --recipient R        age recipient \"age1...\" or a file with one per line\n"
            "                           (repeatable: several recipients)\n"
            "  -c, --case FILE          the case JSON\n"
            "  -d, --document FILE      a document, given its file name (the basename);\n"
            "                           stored as data/documents/0001.<ext> ..., the name in\n"
            "                           the signed documents.json (repeatable)\n"
            "  -o, --output FILE        the package to write (written atomically)\n"
            "      --seq N              sequence number (default: one more than the last one\n"
            "                           used with this key, kept in KEY.seq; never reused)\n"
            "      --expires DURATION   validity, e.g. 30d, 12h, 2w (default 30d)\n"
            "      --sender NAME        sender name (default: key file name without .key)\n"
            "      --recipient-name N   law firm's name (default: recipient file name\n"
            "                           without .agepub)\n"
            "      --case-id ID         case id (default: the case's \"case_id\")\n"
            "      --passphrase-file F  passphrase of an encrypted key\n"
            "      --force              replace OUT\n\n"
            "Prints key=value lines: tagmanifest_sha256 (what the firm's receipt names),\n"
            "sequence, payload_bytes, files, package_bytes.\n"
            "Exit codes: 0 written, 1 error, 2 usage.\n");
}

/* Reserves the next sequence number (or the explicit one, which must be
 * above every number used before) in KEY.seq. */
static int reserve_seq(const char *key_path, uint64_t want, uint64_t *out, char *err, size_t errlen)
{
    char path[4096], buf[32];
    int rc = BATON_EIO;
    if ((size_t)snprintf(path, sizeof path, "%s.seq", key_path) >= sizeof path)
        return snprintf(err, errlen, "key path too long"), BATON_ELIMIT;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return BATON_EIO;
    }
    if (flock(fd, LOCK_EX) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    buf[n] = '\0';
    uint64_t last = 0;
    if (n > 0) {
        char *end;
        errno = 0;
        last = strtoull(buf, &end, 10);
        if (errno != 0 || end == buf || (*end != '\n' && *end != '\0')) {
            snprintf(err, errlen, "%s: not a sequence number", path);
            rc = BATON_EINVAL;
            goto out;
        }
    }
    uint64_t next = want != 0 ? want : last + 1;
    if (next <= last) {
        snprintf(err, errlen,
                 "sequence %" PRIu64 " is not above %" PRIu64
                 ", the last one used with this key (%s)",
                 next, last, path);
        rc = BATON_EEXIST;
        goto out;
    }
    if (next > INT64_MAX) {
        snprintf(err, errlen, "sequence out of range");
        rc = BATON_ERANGE;
        goto out;
    }
    /* Fixed width and no truncation: the file never passes through an empty
     * state, so a crash cannot send the numbering back to 1. */
    int len = snprintf(buf, sizeof buf, "%020" PRIu64 "\n", next);
    if (pwrite(fd, buf, (size_t)len, 0) != len || fsync(fd) < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    *out = next;
    rc = 0;
out:
    close(fd);
    return rc;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, 'k'},
        {"recipient", required_argument, NULL, 'r'},
        {"case", required_argument, NULL, 'c'},
        {"document", required_argument, NULL, 'd'},
        {"output", required_argument, NULL, 'o'},
        {"seq", required_argument, NULL, 'S'},
        {"expires", required_argument, NULL, 'E'},
        {"sender", required_argument, NULL, 's'},
        {"recipient-name", required_argument, NULL, 'R'},
        {"case-id", required_argument, NULL, 'I'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *key_path = NULL, *case_path = NULL, *out_path = NULL, *sender = NULL, *rname = NULL,
               *case_id = NULL, *pfile = NULL, *last_rcpt = NULL;
    int force = 0, opt, status = CU_EXIT_USAGE;
    uint64_t seq = 0;
    int64_t expires = 30 * 86400;
    char err[512] = "";
    baton_age_recipient *rcpts = NULL;
    size_t n_rcpts = 0, n_docs = 0;
    baton_pkg_document *docs = NULL;
    char *case_text = NULL;
    size_t case_len = 0;
    cJSON *cj = NULL;
    baton_minisign_seckey *sk = NULL;
    baton_pkg_pack_params p;
    baton_pkg_pack_result res;

    memset(&p, 0, sizeof p);
    docs = calloc((size_t)argc, sizeof *docs);
    if (docs == NULL)
        return CU_EXIT_ERROR;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "k:r:c:d:o:fh", opts, NULL)) != -1) {
        switch (opt) {
        case 'k':
            key_path = optarg;
            break;
        case 'r':
            if (cu_add_recipients(optarg, &rcpts, &n_rcpts, err, sizeof err) < 0) {
                fprintf(stderr, "baton pack: %s\n", err);
                status = CU_EXIT_ERROR;
                goto out;
            }
            last_rcpt = optarg;
            break;
        case 'c':
            case_path = optarg;
            break;
        case 'd': {
            const char *b = strrchr(optarg, '/');
            docs[n_docs].path = optarg;
            docs[n_docs].name = b != NULL ? b + 1 : optarg;
            n_docs++;
            break;
        }
        case 'o':
            out_path = optarg;
            break;
        case 'S': {
            char *end;
            errno = 0;
            seq = strtoull(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || seq == 0 || optarg[0] == '-') {
                fprintf(stderr, "baton pack: --seq: expected a number from 1\n");
                goto out;
            }
            break;
        }
        case 'E':
            if (cu_parse_duration(optarg, &expires) < 0 || expires > BATON_PKG_MAX_LIFETIME) {
                fprintf(
                    stderr,
                    "baton pack: --expires: expected e.g. 90s, 45m, 12h, 30d, 2w (at most 366d)\n");
                goto out;
            }
            break;
        case 's':
            sender = optarg;
            break;
        case 'R':
            rname = optarg;
            break;
        case 'I':
            case_id = optarg;
            break;
        case 'P':
            pfile = optarg;
            break;
        case 'f':
            force = 1;
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
    if (key_path == NULL || n_rcpts == 0 || case_path == NULL || out_path == NULL ||
        optind != argc) {
        usage(stderr);
        goto out;
    }
    status = CU_EXIT_ERROR;
    /* Names: explicit, else derived from the key and recipient file names. */
    cu_stem(key_path, ".key", p.meta.sender, sizeof p.meta.sender);
    if (sender != NULL)
        snprintf(p.meta.sender, sizeof p.meta.sender, "%s", sender);
    if (rname != NULL) {
        snprintf(p.meta.recipient, sizeof p.meta.recipient, "%s", rname);
    } else if (strncmp(last_rcpt, "age1", 4) != 0) {
        cu_stem(last_rcpt, ".agepub", p.meta.recipient, sizeof p.meta.recipient);
    } else {
        fprintf(stderr, "baton pack: give --recipient-name when -r is a bare recipient\n");
        status = CU_EXIT_USAGE;
        goto out;
    }
    if (cu_read_file(case_path, 64u << 20, &case_text, &case_len, err, sizeof err) < 0)
        goto fail;
    bh_json_error je;
    bh_eval_error ce;
    cj = bh_json_parse(case_text, case_len, &je);
    if (cj == NULL) {
        bh_json_error_text(&je, err, sizeof err);
        fprintf(stderr, "baton pack: %s: invalid JSON at %s\n", case_path, err);
        goto out;
    }
    /* The rules batond applies to a handoff's case (case_validate.h). */
    if (bh_case_validate(cj, &ce) != 0) {
        fprintf(stderr, "baton pack: %s: invalid case: %s\n", case_path, ce.message);
        goto out;
    }
    if (case_id == NULL) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(cj, "case_id");
        if (!cJSON_IsString(id)) {
            fprintf(stderr, "baton pack: %s has no \"case_id\"; give --case-id\n", case_path);
            goto out;
        }
        case_id = id->valuestring;
    }
    snprintf(p.meta.case_id, sizeof p.meta.case_id, "%s", case_id);
    if (!baton_pkg_name_valid(p.meta.case_id) || strcmp(p.meta.case_id, case_id) != 0 ||
        !baton_pkg_name_valid(p.meta.sender) || !baton_pkg_name_valid(p.meta.recipient)) {
        fprintf(stderr,
                "baton pack: case id '%s', sender '%s' and recipient '%s' must each be 1..%d "
                "characters of A-Za-z0-9._:/@+- starting with a letter or digit\n",
                case_id, p.meta.sender, p.meta.recipient, BATON_PKG_NAME_MAX);
        goto out;
    }
    if (cu_load_seckey(key_path, pfile, &sk, err, sizeof err) < 0)
        goto fail;
    if (cu_now("pack", &p.meta.created) < 0) {
        status = CU_EXIT_USAGE;
        goto out;
    }
    p.meta.expires = p.meta.created + expires;
    p.sender_key = sk;
    p.recipients = rcpts;
    p.n_recipients = n_rcpts;
    p.case_json = case_text;
    p.case_json_len = case_len;
    p.documents = docs;
    p.n_documents = n_docs;
    if (!force && access(out_path, F_OK) == 0) {
        fprintf(stderr, "baton pack: %s exists (use --force to replace it)\n", out_path);
        goto out;
    }
    if (reserve_seq(key_path, seq, &p.meta.sequence, err, sizeof err) < 0)
        goto fail;
    int rc =
        baton_pkg_pack_file(&p, out_path, force, cu_progress, "packing", &res, err, sizeof err);
    cu_progress_end();
    if (rc < 0)
        goto fail;
    char hex[65];
    baton_sha256_hex(res.tagmanifest_sha256, hex);
    printf("tagmanifest_sha256=%s\nsequence=%" PRIu64 "\npayload_bytes=%" PRIu64 "\nfiles=%" PRIu64
           "\npackage_bytes=%" PRIu64 "\n",
           hex, p.meta.sequence, res.payload_bytes, res.payload_files, res.package_bytes);
    status = CU_EXIT_OK;
    goto out;
fail:
    fprintf(stderr, "baton pack: %s\n", err);
out:
    cJSON_Delete(cj);
    free(case_text);
    free(rcpts);
    free(docs);
    baton_minisign_seckey_free(sk);
    return status;
}

BATON_COMMAND("pack", run, "pack a case into a signed, encrypted handoff package")
