/*
 * fuzz_package_open.c - libFuzzer target over the package opener.
 *
 * The input is the plaintext tar of a package: it is encrypted to a fresh
 * age identity and opened with baton_pkg_open, so the fuzzer works on what
 * an attacker who knows the firm's public key controls (tar entries, bag
 * files, manifests, signature file). The seed corpus (corpus/package_open)
 * holds the decrypted tars of real packages signed by the test keys below,
 * created 2026-01-01T00:00:00Z for sender "agency" and recipient
 * "harbor-law", so mutations reach the signature and manifest checks:
 * signed-first-*.tar are in Baton's order (signed part first, valid for a
 * year, accepted as they are), the others in name order (payload first,
 * admitted on credit; valid for longer than 366 days, so refused after the
 * signature verified). One input in eight is also extracted into a
 * temporary folder.
 */
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton/package.h"

/* minisign public keys of the (throw-away) keys that signed the seeds. */
static const char *const SEED_PUBKEYS[2] = {
    "RWQmLQ0MuQsl/aJObZGekfE9oRyTan9zFxJqQ0OA7ulwJm7rQXNTdjEz",
    "RWRhOnnBFBMCj3hsUV9T2OZiMPCk1hSjCqA28PFO1WcOeOm1Y2mpEz7l", /* signed-first-*.tar */
};
#define SEED_NOW 1767225601 /* 2026-01-01T00:00:01Z */

static baton_age_identity *id;
static baton_age_recipient rcpt;
static baton_minisign_pubkey trusted[2];
static char base[64];

struct memin {
    const uint8_t *p;
    size_t len, off;
};

static long mem_read(void *ctx, uint8_t *buf, size_t cap)
{
    struct memin *in = ctx;
    size_t n = in->len - in->off < cap ? in->len - in->off : cap;
    memcpy(buf, in->p + in->off, n);
    in->off += n;
    return (long)n;
}

static int rm_cb(const char *p, const struct stat *st, int f, struct FTW *w)
{
    (void)st;
    (void)f;
    (void)w;
    remove(p);
    return 0;
}

static void cleanup(void)
{
    nftw(base, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (baton_age_identity_generate(&id, NULL, 0) != 0)
        abort();
    for (int i = 0; i < 2; i++) {
        if (baton_minisign_pubkey_decode(SEED_PUBKEYS[i], strlen(SEED_PUBKEYS[i]), &trusted[i],
                                         NULL, 0) != 0)
            abort();
    }
    baton_age_identity_recipient(id, &rcpt);
    /* tmpfs when there is one: extraction creates and removes folders. */
    snprintf(base, sizeof base, "%s/baton-fuzz-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (mkdtemp(base) == NULL)
        abort();
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *pkg = NULL;
    size_t len;
    char dir[128], err[512];
    if (size > (4u << 20))
        return 0;
    if (baton_age_encrypt_buffer(&rcpt, 1, data, size, &pkg, &len, NULL, 0) != 0)
        abort();
    int extract = size > 0 && (data[size / 2] & 7) == 0;
    snprintf(dir, sizeof dir, "%s/x", base);
    baton_age_identity *ids[1] = {id};
    baton_pkg_open_params p;
    memset(&p, 0, sizeof p);
    p.identities = ids;
    p.n_identities = 1;
    p.trusted = trusted;
    p.n_trusted = 2;
    p.recipient = "harbor-law";
    p.now = SEED_NOW;
    p.extract_dir = extract ? dir : NULL;
    struct memin in = {pkg, len, 0};
    baton_pkg_open_result res;
    int rc = baton_pkg_open(&p, mem_read, &in, NULL, NULL, &res, err, sizeof err);
    /* The verdict and the return code must agree. */
    if ((rc == 0) != (res.verdict == BATON_PKG_OK))
        abort();
    if (extract) {
        /* Nothing but the accepted bag may exist next to it. */
        if (rc != 0 && access(dir, F_OK) == 0)
            abort();
        nftw(base, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
        mkdir(base, 0700);
    }
    free(pkg);
    return 0;
}
