/*
 * crypto_driver.c - a small test-only command line over libbaton's minisign
 * and age modules, so the interop scripts can pit them against the real
 * minisign and age binaries. Not installed; not part of the baton CLI.
 *
 *   ms-keygen SK PK              new key pair (password from $BATON_TEST_PASSWORD
 *                                if set; scrypt cost from $BATON_TEST_OPSLIMIT and
 *                                $BATON_TEST_MEMLIMIT, else minisign's defaults)
 *   ms-sign SK FILE SIG [TRUSTED]
 *   ms-verify PK FILE SIG        prints the trusted comment
 *   ms-verify-b64 PKB64 FILE SIG
 *   age-keygen OUT               identity file as age-keygen writes it
 *   age-recipient IDFILE         prints the recipient of each identity
 *   age-encrypt OUT IN RECIPIENT...
 *   age-decrypt IDFILE IN OUT
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton/age.h"
#include "baton/error.h"
#include "baton/minisign.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (f == NULL)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            char *tmp;
            cap = cap ? cap * 2 : 8192;
            tmp = realloc(buf, cap);
            if (tmp == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = tmp;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int spit(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    if (fwrite(data, 1, len, f) != len) {
        fclose(f);
        return -1;
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int fail(const char *what, int rc, const char *err)
{
    fprintf(stderr, "%s: %s (%s)\n", what, err[0] ? err : "", baton_strerror(rc));
    return 1;
}

static int ms_keygen(const char *skpath, const char *pkpath)
{
    char err[256] = "";
    baton_minisign_seckey *sk = NULL;
    baton_minisign_pubkey pk;
    const char *pw = getenv("BATON_TEST_PASSWORD");
    const char *ops = getenv("BATON_TEST_OPSLIMIT");
    const char *mem = getenv("BATON_TEST_MEMLIMIT");
    int rc = baton_minisign_keygen(&sk, &pk, err, sizeof err);
    if (rc == 0)
        rc = baton_minisign_seckey_save(sk, skpath, pw, ops ? strtoull(ops, NULL, 10) : 0,
                                        mem ? strtoull(mem, NULL, 10) : 0, 1, err, sizeof err);
    if (rc == 0)
        rc = baton_minisign_pubkey_save(&pk, pkpath, 1, err, sizeof err);
    baton_minisign_seckey_free(sk);
    return rc ? fail("ms-keygen", rc, err) : 0;
}

static int ms_sign(const char *skpath, const char *file, const char *sigpath, const char *tc)
{
    char err[256] = "";
    baton_minisign_seckey *sk = NULL;
    char *sig = NULL;
    size_t siglen = 0;
    int rc =
        baton_minisign_seckey_load(skpath, getenv("BATON_TEST_PASSWORD"), &sk, err, sizeof err);
    if (rc == 0)
        rc = baton_minisign_sign_file(sk, file, NULL, tc ? tc : "baton interop", &sig, &siglen, err,
                                      sizeof err);
    if (rc == 0 && spit(sigpath, sig, siglen) != 0)
        rc = BATON_EIO;
    baton_minisign_text_free(sig);
    baton_minisign_seckey_free(sk);
    return rc ? fail("ms-sign", rc, err) : 0;
}

static int ms_verify(const char *pkarg, int b64, const char *file, const char *sigpath)
{
    char err[256] = "";
    char tc[BATON_MINISIGN_TRUSTED_MAX + 1];
    baton_minisign_pubkey pk;
    size_t siglen = 0;
    char *sig = slurp(sigpath, &siglen);
    int rc;
    if (sig == NULL)
        return fail("ms-verify", BATON_EIO, "cannot read signature");
    rc = b64 ? baton_minisign_pubkey_decode(pkarg, strlen(pkarg), &pk, err, sizeof err)
             : baton_minisign_pubkey_load(pkarg, &pk, err, sizeof err);
    if (rc == 0)
        rc = baton_minisign_verify_file(&pk, file, sig, siglen, tc, sizeof tc, err, sizeof err);
    free(sig);
    if (rc)
        return fail("ms-verify", rc, err);
    printf("%s\n", tc);
    return 0;
}

static int age_keygen(const char *out)
{
    char err[256] = "";
    baton_age_identity *id = NULL;
    int rc = baton_age_identity_generate(&id, err, sizeof err);
    if (rc == 0)
        rc = baton_age_identity_save(id, out, 1, err, sizeof err);
    baton_age_identity_free(id);
    return rc ? fail("age-keygen", rc, err) : 0;
}

static int age_recipient(const char *idfile)
{
    char err[256] = "";
    baton_age_identity **ids = NULL;
    size_t n = 0;
    int rc = baton_age_identities_load(idfile, &ids, &n, err, sizeof err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        baton_age_recipient r;
        char s[BATON_AGE_RECIPIENT_LEN + 1];
        baton_age_identity_recipient(ids[i], &r);
        baton_age_recipient_encode(&r, s);
        printf("%s\n", s);
    }
    baton_age_identities_free(ids, n);
    return rc ? fail("age-recipient", rc, err) : 0;
}

static int age_encrypt(const char *out, const char *in, char **rs, int nr)
{
    char err[256] = "";
    baton_age_recipient r[64];
    baton_age_encryptor *e = NULL;
    int ifd = -1, ofd = -1;
    int rc = 0;
    static uint8_t buf[1 << 20];

    if (nr < 1 || nr > 64)
        return fail("age-encrypt", BATON_EINVAL, "1..64 recipients");
    for (int i = 0; i < nr && rc == 0; i++)
        rc = baton_age_recipient_parse(rs[i], strlen(rs[i]), &r[i], err, sizeof err);
    if (rc)
        return fail("age-encrypt", rc, err);
    ifd = open(in, O_RDONLY);
    ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (ifd < 0 || ofd < 0) {
        rc = BATON_EIO;
        snprintf(err, sizeof err, "cannot open files");
        goto out;
    }
    rc = baton_age_encrypt_init(&e, r, (size_t)nr, baton_age_fd_write, &ofd, err, sizeof err);
    while (rc == 0) {
        ssize_t got = read(ifd, buf, sizeof buf);
        if (got < 0) {
            rc = BATON_EIO;
            break;
        }
        if (got == 0)
            break;
        rc = baton_age_encrypt_update(e, buf, (size_t)got, err, sizeof err);
    }
    if (rc == 0)
        rc = baton_age_encrypt_final(e, err, sizeof err);
out:
    baton_age_encrypt_free(e);
    if (ifd >= 0)
        close(ifd);
    if (ofd >= 0 && close(ofd) != 0 && rc == 0)
        rc = BATON_EIO;
    return rc ? fail("age-encrypt", rc, err) : 0;
}

static int age_decrypt(const char *idfile, const char *in, const char *out)
{
    char err[256] = "";
    baton_age_identity **ids = NULL;
    baton_age_decryptor *d = NULL;
    size_t n = 0;
    int ifd = -1, ofd = -1;
    int rc = baton_age_identities_load(idfile, &ids, &n, err, sizeof err);
    if (rc)
        return fail("age-decrypt", rc, err);
    ifd = open(in, O_RDONLY);
    ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (ifd < 0 || ofd < 0) {
        rc = BATON_EIO;
        snprintf(err, sizeof err, "cannot open files");
        goto out;
    }
    rc = baton_age_decrypt_init(&d, ids, n, baton_age_fd_read, &ifd, baton_age_fd_write, &ofd, err,
                                sizeof err);
    if (rc == 0)
        rc = baton_age_decrypt_final(d, err, sizeof err);
out:
    baton_age_decrypt_free(d);
    baton_age_identities_free(ids, n);
    if (ifd >= 0)
        close(ifd);
    if (ofd >= 0)
        close(ofd);
    if (rc) {
        /* Never leave unauthenticated output behind (but only remove what
         * this run created as a regular file, never a device). */
        struct stat st;
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode))
            unlink(out);
    }
    return rc ? fail("age-decrypt", rc, err) : 0;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : "";
    if (strcmp(cmd, "ms-keygen") == 0 && argc == 4)
        return ms_keygen(argv[2], argv[3]);
    if (strcmp(cmd, "ms-sign") == 0 && (argc == 5 || argc == 6))
        return ms_sign(argv[2], argv[3], argv[4], argc == 6 ? argv[5] : NULL);
    if (strcmp(cmd, "ms-verify") == 0 && argc == 5)
        return ms_verify(argv[2], 0, argv[3], argv[4]);
    if (strcmp(cmd, "ms-verify-b64") == 0 && argc == 5)
        return ms_verify(argv[2], 1, argv[3], argv[4]);
    if (strcmp(cmd, "age-keygen") == 0 && argc == 3)
        return age_keygen(argv[2]);
    if (strcmp(cmd, "age-recipient") == 0 && argc == 3)
        return age_recipient(argv[2]);
    if (strcmp(cmd, "age-encrypt") == 0 && argc >= 5)
        return age_encrypt(argv[2], argv[3], argv + 4, argc - 4);
    if (strcmp(cmd, "age-decrypt") == 0 && argc == 5)
        return age_decrypt(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: see the comment at the top of crypto_driver.c\n");
    return 2;
}
