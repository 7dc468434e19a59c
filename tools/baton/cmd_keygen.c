/*
 * cmd_keygen.c - "baton keygen": a minisign signing key pair and an age
 * identity under one name, in the files minisign and age read.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton/age.h"
#include "baton/minisign.h"
#include "cli_util.h"
#include "command.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: baton keygen -o NAME [--passphrase-file FILE] [--force]\n\n"
                 "Creates the keys one party needs for handoff packages:\n"
                 "  NAME.key     minisign secret key (signs packages / receipts), mode 0600;\n"
                 "               scrypt-encrypted when a passphrase is given\n"
                 "  NAME.pub     minisign public key (what `minisign -V -p` reads)\n"
                 "  NAME.agekey  age identity (what `age -d -i` reads), mode 0600\n"
                 "  NAME.agepub  age recipient line (what `age -r` takes)\n\n"
                 "  -o NAME                 path prefix of the four files\n"
                 "      --passphrase-file F encrypt NAME.key with the first line of F\n"
                 "      --force             replace existing files\n\n"
                 "Exit codes: 0 created, 1 error (a file exists, I/O), 2 usage.\n");
}

static int write_text(const char *path, const char *text, int force, char *err, size_t errlen)
{
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL);
    int fd = open(path, flags, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t n = strlen(text);
    int rc = write(fd, text, n) == (ssize_t)n && fsync(fd) == 0 ? 0 : -1;
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
    close(fd);
    return rc;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *name = NULL, *pfile = NULL;
    int force = 0, opt, status = CU_EXIT_USAGE;
    char err[512] = "", paths[4][4096];
    static const char *const ext[4] = {".key", ".pub", ".agekey", ".agepub"};
    char *pass = NULL, *pubtext = NULL;
    baton_minisign_seckey *sk = NULL;
    baton_minisign_pubkey pk;
    baton_age_identity *id = NULL;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:fh", opts, NULL)) != -1) {
        switch (opt) {
        case 'o':
            name = optarg;
            break;
        case 'P':
            pfile = optarg;
            break;
        case 'f':
            force = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return CU_EXIT_USAGE;
        }
    }
    if (name == NULL || optind != argc) {
        usage(stderr);
        return CU_EXIT_USAGE;
    }
    status = CU_EXIT_ERROR;
    for (int i = 0; i < 4; i++) {
        struct stat st;
        if ((size_t)snprintf(paths[i], sizeof paths[i], "%s%s", name, ext[i]) >= sizeof paths[i]) {
            fprintf(stderr, "baton keygen: name too long\n");
            goto out;
        }
        if (!force && lstat(paths[i], &st) == 0) {
            fprintf(stderr, "baton keygen: %s exists (use --force to replace it)\n", paths[i]);
            goto out;
        }
    }
    if (pfile != NULL && cu_read_passphrase(pfile, &pass, err, sizeof err) < 0)
        goto fail;
    if (baton_minisign_keygen(&sk, &pk, err, sizeof err) < 0 ||
        baton_minisign_seckey_save(sk, paths[0], pass, 0, 0, force, err, sizeof err) < 0 ||
        baton_minisign_pubkey_save(&pk, paths[1], force, err, sizeof err) < 0)
        goto fail;
    if (baton_age_identity_generate(&id, err, sizeof err) < 0 ||
        baton_age_identity_save(id, paths[2], force, err, sizeof err) < 0)
        goto fail;
    baton_age_recipient r;
    char line[BATON_AGE_RECIPIENT_LEN + 2];
    baton_age_identity_recipient(id, &r);
    baton_age_recipient_encode(&r, line);
    strcat(line, "\n");
    if (write_text(paths[3], line, force, err, sizeof err) < 0)
        goto fail;
    char keyid[BATON_MINISIGN_KEYID_HEX_LEN + 1];
    baton_minisign_keyid_hex(pk.keynum, keyid);
    printf("minisign key id %s\nage recipient %s", keyid, line);
    status = CU_EXIT_OK;
    goto out;
fail:
    fprintf(stderr, "baton keygen: %s\n", err);
out:
    cu_secret_free(pass);
    free(pubtext);
    baton_minisign_seckey_free(sk);
    baton_age_identity_free(id);
    return status;
}

BATON_COMMAND("keygen", run, "create signing (minisign) and encryption (age) keys")
