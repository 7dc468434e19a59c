/*
 * test_package.c - handoff packages through libbaton: a round trip, and one
 * test per refusal class (replay, expiry, wrong recipient, untrusted sender,
 * bad signature, tampered, extra file, missing file, unsafe paths,
 * non-canonical manifests), each checking that the extraction folder stays
 * empty. The bent packages are correctly signed bags crafted with
 * libarchive, so each is refused for the reason under test only.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "baton/docindex.h"
#include "baton/error.h"
#include "baton/sha256.h"
#include "pkg_fixture.h"

static fx_keys K;

static const char CASE[] = "{\"case_id\":\"NW-2026-0001\",\"debtor\":\"Example Ltd\"}\n";

/* Opens pkg into a fresh empty folder; returns the verdict and checks that
 * a refused package left the folder empty. */
static baton_pkg_verdict open_in_dir(const uint8_t *pkg, size_t len, baton_ledger *ledger,
                                     int64_t now, baton_pkg_open_result *res)
{
    char *base = fx_tmpdir(), dir[4200], err[512] = "";
    snprintf(dir, sizeof dir, "%s/inbox", base);
    assert_int_equal(mkdir(dir, 0700), 0);
    baton_pkg_open_result local;
    if (res == NULL)
        res = &local;
    int rc = fx_open(&K, pkg, len, ledger, dir, now, res, err, sizeof err);
    if (rc != 0) {
        assert_int_equal(fx_count_entries(dir), 0);
        assert_int_equal(fx_count_entries(base), 1); /* no temporary folder left */
        assert_true(err[0] != '\0');
    } else {
        assert_int_equal(res->verdict, BATON_PKG_OK);
    }
    fx_rmtree(base);
    free(base);
    return res->verdict;
}

static baton_pkg_verdict seal_and_open(fx_tar *t, const baton_age_recipient *r)
{
    uint8_t *pkg;
    size_t len;
    fx_seal(t, r, &pkg, &len);
    baton_pkg_verdict v = open_in_dir(pkg, len, NULL, (int64_t)time(NULL), NULL);
    free(pkg);
    fx_tar_free(t);
    return v;
}

static void round_trip_extracts_the_bag(void **state)
{
    (void)state;
    const char *names[] = {"invoice 2026-01.pdf", "letters/final demand.txt",
                           "Mahnung M\xc3\xbcller.txt"};
    const char *bodies[] = {"%PDF-1.4 invoice", "Dear debtor", "Sehr geehrte"};
    baton_pkg_meta m = fx_meta(1);
    uint8_t *pkg;
    size_t len;
    assert_int_equal(fx_pack(&K, &m, CASE, names, bodies, 3, &pkg, &len), 0);

    char *base = fx_tmpdir(), dir[4200], path[4300], err[512] = "", *lpath;
    snprintf(dir, sizeof dir, "%s/inbox", base);
    assert_true(asprintf(&lpath, "%s/ledger.sqlite", base) > 0);
    baton_ledger *l;
    assert_int_equal(baton_ledger_open(lpath, &l, err, sizeof err), 0);
    baton_pkg_open_result res;
    int rc = fx_open(&K, pkg, len, l, dir, (int64_t)time(NULL), &res, err, sizeof err);
    if (rc != 0)
        fail_msg("open: %s", err);
    assert_int_equal(res.verdict, BATON_PKG_OK);
    assert_string_equal(res.meta.case_id, "NW-2026-0001");
    assert_int_equal(res.meta.sequence, 1);
    assert_int_equal(res.payload_files, 4);
    assert_int_equal(res.payload_bytes,
                     strlen(CASE) + strlen(bodies[0]) + strlen(bodies[1]) + strlen(bodies[2]));
    /* The bag holds the documents under names Baton made ... */
    snprintf(path, sizeof path, "%s/bag/data/documents/0003.txt", dir);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/bag/" BATON_DOCINDEX_FILE, dir);
    assert_int_equal(access(path, R_OK), 0);
    /* ... and restoring gives them back the names they were given. */
    size_t restored, total;
    assert_int_equal(baton_docindex_restore(dir, NULL, NULL, &restored, &total, err, sizeof err),
                     0);
    assert_int_equal(restored, 3);
    assert_int_equal(total, 3);
    snprintf(path, sizeof path, "%s/documents/Mahnung M\xc3\xbcller.txt", dir);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/documents/invoice 2026-01.pdf", dir);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/documents/letters/final demand.txt", dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char buf[64] = "";
    assert_int_equal(fread(buf, 1, sizeof buf, f), strlen(bodies[1]));
    fclose(f);
    assert_string_equal(buf, "Dear debtor");
    assert_int_equal(baton_ledger_seen(l, K.sender_pk.pk, 1, NULL, 0), 1);
    baton_ledger_close(l);
    fx_rmtree(base);
    free(base);
    free(lpath);
    free(pkg);
}

static void packing_is_reproducible_apart_from_encryption(void **state)
{
    (void)state;
    /* Same inputs -> same verified tagmanifest digest (the tar and bag are
     * deterministic; only the age layer is randomised). */
    baton_pkg_meta m = fx_meta(2);
    uint8_t *a, *b;
    size_t al, bl;
    const char *names[] = {"x.txt"};
    const char *bodies[] = {"x"};
    assert_int_equal(fx_pack(&K, &m, CASE, names, bodies, 1, &a, &al), 0);
    assert_int_equal(fx_pack(&K, &m, CASE, names, bodies, 1, &b, &bl), 0);
    baton_pkg_open_result ra, rb;
    char err[256];
    assert_int_equal(fx_open(&K, a, al, NULL, NULL, m.created, &ra, err, sizeof err), 0);
    assert_int_equal(fx_open(&K, b, bl, NULL, NULL, m.created, &rb, err, sizeof err), 0);
    assert_memory_equal(ra.tagmanifest_sha256, rb.tagmanifest_sha256, 32);
    assert_int_equal(al, bl);
    free(a);
    free(b);
}

static void replayed_sequence_is_refused(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(7);
    uint8_t *pkg;
    size_t len;
    assert_int_equal(fx_pack(&K, &m, CASE, NULL, NULL, 0, &pkg, &len), 0);
    char *base = fx_tmpdir(), *lpath, err[256];
    assert_true(asprintf(&lpath, "%s/ledger.sqlite", base) > 0);
    baton_ledger *l;
    assert_int_equal(baton_ledger_open(lpath, &l, err, sizeof err), 0);
    int64_t now = (int64_t)time(NULL);
    assert_int_equal(open_in_dir(pkg, len, l, now, NULL), BATON_PKG_OK);
    assert_int_equal(open_in_dir(pkg, len, l, now, NULL), BATON_PKG_REPLAYED);
    /* A different package with the same sequence from the same key too. */
    uint8_t *pkg2;
    size_t len2;
    strcpy(m.case_id, "NW-2026-0002");
    assert_int_equal(fx_pack(&K, &m, "{\"case_id\":\"NW-2026-0002\"}", NULL, NULL, 0, &pkg2, &len2),
                     0);
    baton_ledger_close(l);
    /* The ledger is durable: reopen it. */
    assert_int_equal(baton_ledger_open(lpath, &l, err, sizeof err), 0);
    assert_int_equal(open_in_dir(pkg2, len2, l, now, NULL), BATON_PKG_REPLAYED);
    baton_ledger_close(l);
    fx_rmtree(base);
    free(base);
    free(lpath);
    free(pkg);
    free(pkg2);
}

/* The replay check itself, not only the ledger's record step: a package
 * whose sequence the ledger holds is refused by a verify-only open (no
 * record step runs) and by an extracting open, with the replay message,
 * and nothing is written. */
static void replay_is_checked_without_recording(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(9);
    uint8_t *pkg;
    size_t len;
    assert_int_equal(fx_pack(&K, &m, CASE, NULL, NULL, 0, &pkg, &len), 0);
    char *base = fx_tmpdir(), *lpath, *ppath, *dir, err[256] = "";
    assert_true(asprintf(&lpath, "%s/ledger.sqlite", base) > 0);
    assert_true(asprintf(&ppath, "%s/case.baton", base) > 0);
    assert_true(asprintf(&dir, "%s/inbox", base) > 0);
    FILE *f = fopen(ppath, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(pkg, 1, len, f), len);
    fclose(f);
    baton_ledger *l;
    assert_int_equal(baton_ledger_open(lpath, &l, err, sizeof err), 0);
    baton_age_identity *ids[1] = {K.firm_id};
    baton_pkg_open_params p;
    memset(&p, 0, sizeof p);
    p.identities = ids;
    p.n_identities = 1;
    p.trusted = &K.sender_pk;
    p.n_trusted = 1;
    p.recipient = "harbor-law";
    p.ledger = l;
    p.now = (int64_t)time(NULL);
    baton_pkg_open_result res;
    /* Not yet seen: a verify-only open passes and records nothing. */
    assert_int_equal(baton_pkg_open_file(&p, ppath, NULL, NULL, &res, err, sizeof err), 0);
    assert_int_equal(baton_ledger_seen(l, K.sender_pk.pk, 9, NULL, 0), 0);
    /* Accepted once (recorded)... */
    assert_int_equal(baton_ledger_begin(l, NULL, 0), 0);
    assert_int_equal(baton_ledger_record(l, K.sender_pk.pk, 9, "NW-2026-0001",
                                         res.tagmanifest_sha256, p.now, NULL, 0),
                     0);
    assert_int_equal(baton_ledger_commit(l, NULL, 0), 0);
    /* ...then refused without a record step, verifying only... */
    assert_int_equal(baton_pkg_open_file(&p, ppath, NULL, NULL, &res, err, sizeof err),
                     BATON_EEXIST);
    assert_int_equal(res.verdict, BATON_PKG_REPLAYED);
    assert_non_null(strstr(err, "replayed"));
    /* ...and extracting. */
    p.extract_dir = dir;
    assert_int_equal(baton_pkg_open_file(&p, ppath, NULL, NULL, &res, err, sizeof err),
                     BATON_EEXIST);
    assert_int_equal(res.verdict, BATON_PKG_REPLAYED);
    assert_non_null(strstr(err, "replayed"));
    assert_true(fx_count_entries(dir) <= 0);
    assert_int_equal(fx_count_entries(base), 4); /* ledger (+ -wal, -shm) and the package */
    baton_ledger_close(l);
    fx_rmtree(base);
    free(base);
    free(lpath);
    free(ppath);
    free(dir);
    free(pkg);
}

static void expired_package_is_refused(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    uint8_t *pkg;
    size_t len;
    assert_int_equal(fx_pack(&K, &m, CASE, NULL, NULL, 0, &pkg, &len), 0);
    assert_int_equal(open_in_dir(pkg, len, NULL, m.expires - 1, NULL), BATON_PKG_OK);
    assert_int_equal(open_in_dir(pkg, len, NULL, m.expires, NULL), BATON_PKG_EXPIRED);
    free(pkg);
}

static void packages_from_the_future_or_forever_are_malformed(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    uint8_t *pkg;
    size_t len;
    assert_int_equal(fx_pack(&K, &m, CASE, NULL, NULL, 0, &pkg, &len), 0);
    /* The opener's clock 10 minutes behind the sender's: past the skew. */
    assert_int_equal(open_in_dir(pkg, len, NULL, m.created - BATON_PKG_CLOCK_SKEW - 1, NULL),
                     BATON_PKG_MALFORMED);
    assert_int_equal(open_in_dir(pkg, len, NULL, m.created - BATON_PKG_CLOCK_SKEW, NULL),
                     BATON_PKG_OK);
    free(pkg);
    m.expires = m.created + BATON_PKG_MAX_LIFETIME + 1;
    assert_int_equal(fx_pack(&K, &m, CASE, NULL, NULL, 0, &pkg, &len), 0);
    assert_int_equal(open_in_dir(pkg, len, NULL, m.created, NULL), BATON_PKG_MALFORMED);
    free(pkg);
}

static void package_for_another_firm_is_refused(void **state)
{
    (void)state;
    /* Encrypted to someone else. */
    fx_tar t = {0};
    baton_pkg_meta m = fx_meta(1);
    fx_bag(&t, K.sender_sk, &m, CASE, NULL, NULL, 0);
    assert_int_equal(seal_and_open(&t, &K.other_rcpt), BATON_PKG_NOT_FOR_ME);
    /* Encrypted to us, but signed as addressed to another firm. */
    strcpy(m.recipient, "other-firm");
    fx_bag(&t, K.sender_sk, &m, CASE, NULL, NULL, 0);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_NOT_FOR_ME);
}

static void untrusted_sender_is_refused(void **state)
{
    (void)state;
    fx_tar t = {0};
    baton_pkg_meta m = fx_meta(1);
    fx_bag(&t, K.other_sk, &m, CASE, NULL, NULL, 0);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_UNTRUSTED);
}

static void altered_tagmanifest_breaks_the_signature(void **state)
{
    (void)state;
    fx_tar t = {0};
    baton_pkg_meta m = fx_meta(1);
    fx_bag(&t, K.sender_sk, &m, CASE, NULL, NULL, 0);
    for (size_t i = 0; i < t.n; i++) {
        if (strcmp(t.e[i].path, "bag/tagmanifest-sha256.txt") == 0)
            t.e[i].data[0] = t.e[i].data[0] == 'a' ? 'b' : 'a';
    }
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_BAD_SIGNATURE);
}

static void altered_document_is_tampered(void **state)
{
    (void)state;
    fx_tar t = {0};
    baton_pkg_meta m = fx_meta(1);
    const char *p[] = {"data/documents/a.txt"}, *b[] = {"original"};
    fx_bag(&t, K.sender_sk, &m, CASE, p, b, 1);
    for (size_t i = 0; i < t.n; i++) {
        if (strcmp(t.e[i].path, "bag/data/documents/a.txt") == 0)
            t.e[i].data[0] = 'O';
    }
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_TAMPERED);
}

static void extra_files_are_refused(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    fx_tar t = {0};
    fx_bag(&t, K.sender_sk, &m, CASE, NULL, NULL, 0);
    fx_tar_add(&t, "bag/data/documents/smuggled.exe", FX_FILE, "MZ", 2, NULL);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_EXTRA_FILE);

    fx_bag(&t, K.sender_sk, &m, CASE, NULL, NULL, 0);
    fx_tar_add(&t, "bag/manifest-md5.txt", FX_FILE, "x", 1, NULL);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_EXTRA_FILE);

    fx_bag(&t, K.sender_sk, &m, CASE, NULL, NULL, 0);
    fx_tar_add(&t, "bag/data/documents/empty/", FX_DIR, NULL, 0, NULL);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_EXTRA_FILE);
}

/* A second tar appended after the signed bag's end marker (it would show
 * up with `tar -i`) is malformed, not silently ignored. */
static void data_after_the_tar_end_is_refused(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    fx_tar bag = {0}, extra = {0};
    uint8_t *a, *b, *pa, *pb, *pkg;
    size_t al, bl, pal, pbl, len;
    baton_age_identity *ids[] = {K.firm_id};
    fx_bag(&bag, K.sender_sk, &m, CASE, NULL, NULL, 0);
    fx_tar_add(&extra, "bag/data/documents/evil.txt", FX_FILE, "EVIL\n", 5, NULL);
    fx_seal(&bag, &K.firm_rcpt, &a, &al);
    fx_seal(&extra, &K.firm_rcpt, &b, &bl);
    assert_int_equal(baton_age_decrypt_buffer(ids, 1, a, al, &pa, &pal, NULL, 0), 0);
    assert_int_equal(baton_age_decrypt_buffer(ids, 1, b, bl, &pb, &pbl, NULL, 0), 0);
    uint8_t *cat = malloc(pal + pbl);
    assert_non_null(cat);
    memcpy(cat, pa, pal);
    memcpy(cat + pal, pb, pbl);
    assert_int_equal(baton_age_encrypt_buffer(&K.firm_rcpt, 1, cat, pal + pbl, &pkg, &len, NULL, 0),
                     0);
    assert_int_equal(open_in_dir(pkg, len, NULL, (int64_t)time(NULL), NULL), BATON_PKG_MALFORMED);
    free(cat);
    free(a);
    free(b);
    free(pa);
    free(pb);
    free(pkg);
    fx_tar_free(&bag);
    fx_tar_free(&extra);
}

static void missing_files_are_refused(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    const char *p[] = {"data/documents/a.txt"}, *b[] = {"a"};
    fx_tar t = {0};
    fx_bag(&t, K.sender_sk, &m, CASE, p, b, 1);
    assert_true(fx_tar_remove(&t, "bag/data/documents/a.txt"));
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_MISSING_FILE);

    fx_bag(&t, K.sender_sk, &m, CASE, NULL, NULL, 0);
    assert_true(fx_tar_remove(&t, "bag/tagmanifest-sha256.txt.minisig"));
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_MISSING_FILE);
}

static void unsafe_paths_are_refused(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    static const struct {
        const char *path;
        int type;
        const char *link;
    } bad[] = {
        {"bag/data/../../evil.txt", FX_FILE, NULL},
        {"../evil.txt", FX_FILE, NULL},
        {"/tmp/evil.txt", FX_FILE, NULL},
        {"bag/data/documents/link", FX_SYMLINK, "/etc/passwd"},
        {"bag/data/documents/hard", FX_HARDLINK, "bag/bagit.txt"},
        {"bag/data/documents/null", FX_CHARDEV, NULL},
        {"bag/data/documents/pipe", FX_FIFO, NULL},
        {"bag/data/case.json", FX_FILE, NULL},         /* duplicate */
        {"bag/data/CASE.json", FX_FILE, NULL},         /* same up to case */
        {"bag/data/documents/./x", FX_FILE, NULL},     /* '.' component */
        {"bag/data/documents/a\\b", FX_FILE, NULL},    /* backslash */
        {"bag/data/documents/con.txt", FX_FILE, NULL}, /* device name */
        {"outside/x.txt", FX_FILE, NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fx_tar t = {0};
        fx_bag(&t, K.sender_sk, &m, CASE, NULL, NULL, 0);
        fx_tar_add(&t, bad[i].path, bad[i].type, "x", 1, bad[i].link);
        baton_pkg_verdict v = seal_and_open(&t, &K.firm_rcpt);
        if (v != BATON_PKG_UNSAFE_PATH)
            fail_msg("%s: verdict %s, want unsafe-path", bad[i].path, baton_pkg_verdict_name(v));
    }
}

/* Every example of the audit, as a correctly signed bag whose payload
 * holds that name: refused as an unsafe path (item 3 of the hardening
 * issue; docs/handoff-packages.md "Names"). */
static void names_outside_the_name_rule_are_unsafe_paths(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    static const char *bad[][2] = {
        {"data/documents/\xc3\x85.txt", "data/documents/\xe2\x84\xab.txt"}, /* U+00C5, U+212B */
        {"data/documents/K.txt", "data/documents/\xe2\x84\xaa.txt"},        /* K, Kelvin sign */
        {"data/documents/\xce\xa3.txt", "data/documents/\xcf\x83.txt"},     /* Greek case twins */
        {"data/documents/\xd0\x94.txt", "data/documents/\xd0\xb4.txt"},     /* Cyrillic twins */
        {"data/documents/\xef\xac\x81.txt", "data/documents/fi.txt"},       /* ligature */
        {"data/documents/x\xd2\x83\xcc\xa3.txt", NULL}, /* marks outside U+0300-036F, not NFC */
        {"data/documents/Zins\xc2\xadsatz.txt", NULL},  /* U+00AD */
        {"data/documents/a\xd8\x9c.txt", NULL},         /* U+061C */
        {"data/documents/a\xe1\xa0\x8e.txt", NULL},     /* U+180E */
        {"data/documents/a\xef\xbf\xb9.txt", NULL},     /* U+FFF9 */
        {"data/documents/a\xf3\xa0\x81\x81.txt", NULL}, /* tag character U+E0041 */
        {"data/documents/a\xe2\x80\xa8.txt", NULL},     /* U+2028 */
        {"data/documents/Mu\xcc\x88ller.txt", NULL},    /* decomposed */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *bodies[2] = {"1", "2"};
        fx_tar t = {0};
        /* Payload first, so the entry's name is checked before the
         * manifest that lists it (which refuses it as malformed). */
        fx_bag_payload_first(&t, K.sender_sk, &m, CASE, bad[i], bodies, bad[i][1] != NULL ? 2 : 1);
        baton_pkg_verdict v = seal_and_open(&t, &K.firm_rcpt);
        if (v != BATON_PKG_UNSAFE_PATH)
            fail_msg("#%zu: verdict %s, want unsafe-path", i, baton_pkg_verdict_name(v));
    }
    /* Combining marks outside U+0300-036F are fine in NFC (Cyrillic with
     * titlo U+0483, Devanagari vowel sign and virama). */
    static const char *good[] = {
        "data/documents/\xd0\xb1\xd2\x83.txt",
        "data/documents/"
        "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\xa8\xe0\xa5\x8d\xe0\xa4\xa6\xe0\xa5\x80.txt",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        const char *body = "1";
        fx_tar t = {0};
        fx_bag(&t, K.sender_sk, &m, CASE, &good[i], &body, 1);
        assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_OK);
    }
}

/* The tar holds a decomposed pax name for a file the signed manifest names
 * composed: libarchive reads the name composed, stock tar creates it
 * decomposed (and sha256sum -c then fails), so it is refused. */
static void decomposed_tar_name_is_not_read_as_composed(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    const char *nfc = "data/documents/M\xc3\xbcller.txt", *body = "1";
    fx_tar t = {0};
    fx_bag(&t, K.sender_sk, &m, CASE, &nfc, &body, 1);
    assert_true(fx_tar_remove(&t, "bag/data/documents/M\xc3\xbcller.txt"));
    fx_tar_add(&t, "bag/data/documents/Mu\xcc\x88ller.txt", FX_FILE, "1", 1, NULL);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_UNSAFE_PATH);
}

/* A bag from another tool with RFC 8493 percent-encoding in its manifest
 * (section 2.1.3) opens; other '%' sequences are malformed. */
static void rfc8493_percent_encoded_manifest_paths_open(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    uint8_t dc[32], dd[32];
    char hc[65], hd[65], *manifest;
    const char *paths[] = {"data/documents/5% Zinsen.pdf"}, *bodies[] = {"Zinsen"};
    baton_sha256_buffer(CASE, strlen(CASE), dc);
    baton_sha256_buffer("Zinsen", 6, dd);
    baton_sha256_hex(dc, hc);
    baton_sha256_hex(dd, hd);
    assert_true(asprintf(&manifest, "%s  data/case.json\n%s  data/documents/5%%25 Zinsen.pdf\n", hc,
                         hd) > 0);
    fx_tar t = {0};
    fx_bag_manifest(&t, K.sender_sk, &m, CASE, paths, bodies, 1, manifest);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_OK);
    free(manifest);
    assert_true(asprintf(&manifest, "%s  data/case.json\n%s  data/documents/5%%20Zinsen.pdf\n", hc,
                         hd) > 0);
    fx_bag_manifest(&t, K.sender_sk, &m, CASE, paths, bodies, 1, manifest);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_MALFORMED);
    free(manifest);
}

/* Which layer refuses an unsafe entry: each rule of the opener's entry
 * scan refuses its own case (the message names the rule) before a later
 * rule that would also refuse it (the BagIt path rules, pinned in
 * test_bagit.c; "outside bag/"; "device, FIFO or socket"), so removing one
 * layer is noticed. */
static void each_unsafe_entry_is_refused_by_its_own_rule(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    static const struct {
        const char *path;
        int type;
        const char *link;
        const char *rule;
    } cases[] = {
        {"bag/data/../../evil.txt", FX_FILE, NULL, "unsafe path: '..' in "},
        {"bag/data/documents/../x.txt", FX_FILE, NULL, "unsafe path: '..' in "},
        {"../evil.txt", FX_FILE, NULL, "unsafe path: '..' in "},
        {"bag/..", FX_FILE, NULL, "unsafe path: '..' in "},
        {"/tmp/evil.txt", FX_FILE, NULL, "unsafe path: absolute path "},
        {"bag/data/documents/link", FX_SYMLINK, "x.txt", "unsafe path: symbolic link "},
        {"bag/data/documents/hard", FX_HARDLINK, "bag/bagit.txt", "unsafe path: hard link "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fx_tar t = {0};
        uint8_t *pkg;
        size_t len;
        char err[512] = "";
        baton_pkg_open_result res;
        fx_bag(&t, K.sender_sk, &m, CASE, NULL, NULL, 0);
        fx_tar_add(&t, cases[i].path, cases[i].type, "x", 1, cases[i].link);
        fx_seal(&t, &K.firm_rcpt, &pkg, &len);
        fx_tar_free(&t);
        assert_int_not_equal(
            fx_open(&K, pkg, len, NULL, NULL, (int64_t)time(NULL), &res, err, sizeof err), 0);
        assert_int_equal(res.verdict, BATON_PKG_UNSAFE_PATH);
        if (strncmp(err, cases[i].rule, strlen(cases[i].rule)) != 0)
            fail_msg("%s: refused with \"%s\", not by \"%s\"", cases[i].path, err, cases[i].rule);
        free(pkg);
    }
}

struct restore_log {
    size_t n, not_restored;
    int errnum[16];
    char as[16][400];
};

static void log_restore(void *ctx, const baton_docindex_entry *e, const char *as, int errnum)
{
    struct restore_log *l = ctx;
    (void)e;
    if (l->n < 16) {
        l->errnum[l->n] = errnum;
        snprintf(l->as[l->n], sizeof l->as[l->n], "%s", as != NULL ? as : "");
    }
    l->n++;
    l->not_restored += as == NULL;
}

/* Issue "Documents keep the names people give them": every name comes back
 * exactly, in the signed index and on disk, where the name rule allows. */
static void documents_keep_the_names_people_give_them(void **state)
{
    (void)state;
    char n255[256];
    memset(n255, 'x', 251);
    memcpy(n255 + 251, ".pdf", 5); /* 255 bytes */
    const char *names[] = {
        "5% Zinsen.pdf",
        "\xc3\x9c"
        "berweisung M\xc3\xa4rz.pdf",
        "\xd0\xb4\xd0\xbe\xd0\xb3\xd0\xbe\xd0\xb2\xd0\xbe\xd1\x80.pdf",
        "\xe5\x90\x88\xe5\x90\x8c.pdf",
        "Rechnung.pdf",
        "RECHNUNG.pdf",
        n255,
    };
    const char *bodies[] = {"zinsen",     "ueberweisung", "dogovor", "hetong",
                            "rechnung 1", "rechnung 2",   "long"};
    size_t nd = sizeof names / sizeof names[0];
    baton_pkg_meta m = fx_meta(1);
    uint8_t *pkg;
    size_t len;
    assert_int_equal(fx_pack(&K, &m, CASE, names, bodies, nd, &pkg, &len), 0);
    char *base = fx_tmpdir(), dir[4200], path[4600], err[512] = "";
    snprintf(dir, sizeof dir, "%s/inbox", base);
    baton_pkg_open_result res;
    if (fx_open(&K, pkg, len, NULL, dir, (int64_t)time(NULL), &res, err, sizeof err) != 0)
        fail_msg("open: %s", err);
    /* The signed index names every document exactly as given. */
    snprintf(path, sizeof path, "%s/bag/" BATON_DOCINDEX_FILE, dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char text[8192];
    size_t tl = fread(text, 1, sizeof text, f);
    fclose(f);
    baton_docindex ix;
    assert_int_equal(baton_docindex_parse(text, tl, &ix, err, sizeof err), 0);
    assert_int_equal(ix.n, nd);
    for (size_t i = 0; i < nd; i++) {
        char file[64];
        baton_docindex_file_name(i, nd, names[i], file);
        long at = baton_docindex_find(&ix, file);
        assert_true(at >= 0);
        assert_string_equal(ix.entries[at].name, names[i]);
        assert_int_equal(ix.entries[at].size, strlen(bodies[i]));
    }
    assert_string_equal(ix.entries[0].file, "data/documents/0001.pdf");
    assert_string_equal(ix.entries[0].media_type, "application/pdf");
    baton_docindex_free(&ix);
    /* On disk: all but the case twin of an earlier name. */
    struct restore_log log = {0};
    size_t restored, total;
    assert_int_equal(
        baton_docindex_restore(dir, log_restore, &log, &restored, &total, err, sizeof err), 0);
    assert_int_equal(total, nd);
    assert_int_equal(restored, nd - 1);
    assert_int_equal(log.errnum[5], EEXIST); /* RECHNUNG.pdf after Rechnung.pdf */
    for (size_t i = 0; i < nd; i++) {
        if (i == 5)
            continue;
        snprintf(path, sizeof path, "%s/documents/%s", dir, names[i]);
        f = fopen(path, "rb");
        if (f == NULL)
            fail_msg("document %zu not restored under its name", i);
        char buf[64] = "";
        size_t got = fread(buf, 1, sizeof buf, f);
        fclose(f);
        assert_int_equal(got, strlen(bodies[i]));
        assert_memory_equal(buf, bodies[i], got);
    }
    /* The twin stays reachable under its bag name. */
    snprintf(path, sizeof path, "%s/bag/data/documents/0006.pdf", dir);
    assert_int_equal(access(path, R_OK), 0);
    fx_rmtree(base);
    free(base);
    free(pkg);
}

/* A bag in the layout before the index (documents under their own names,
 * no documents.json) still opens; restoring has nothing to do. */
static void packages_without_an_index_still_open(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    const char *paths[] = {"data/documents/invoice.pdf"}, *bodies[] = {"%PDF"};
    fx_tar t = {0};
    fx_bag(&t, K.sender_sk, &m, CASE, paths, bodies, 1);
    uint8_t *pkg;
    size_t len;
    fx_seal(&t, &K.firm_rcpt, &pkg, &len);
    fx_tar_free(&t);
    char *base = fx_tmpdir(), dir[4200], path[4300], err[512] = "";
    snprintf(dir, sizeof dir, "%s/inbox", base);
    baton_pkg_open_result res;
    assert_int_equal(fx_open(&K, pkg, len, NULL, dir, m.created, &res, err, sizeof err), 0);
    size_t restored = 9, total = 9;
    assert_int_equal(baton_docindex_restore(dir, NULL, NULL, &restored, &total, err, sizeof err),
                     0);
    assert_int_equal(total, 0);
    assert_int_equal(restored, 0);
    snprintf(path, sizeof path, "%s/bag/data/documents/invoice.pdf", dir);
    assert_int_equal(access(path, R_OK), 0);
    fx_rmtree(base);
    free(base);
    free(pkg);
}

/* The index is signed with the tagmanifest; one that disagrees with the
 * manifest (another digest, a missing document) is malformed. */
static void index_that_disagrees_with_the_manifest_is_malformed(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    const char *paths[] = {"data/documents/0001.pdf"}, *bodies[] = {"%PDF"};
    uint8_t d[32];
    char hex[65], *good, *wrong;
    baton_sha256_buffer("%PDF", 4, d);
    baton_sha256_hex(d, hex);
    const char *fmt = "{\"type\":\"baton-documents/1\",\"documents\":[\n"
                      "{\"file\":\"data/documents/%s\",\"name\":\"5%% Zinsen.pdf\",\"media_type\":"
                      "\"application/pdf\",\"size\":%d,\"sha256\":\"%s\"}\n]}\n";
    assert_true(asprintf(&good, fmt, "0001.pdf", 4, hex) > 0);
    fx_tar t = {0};
    fx_bag_index(&t, K.sender_sk, &m, CASE, paths, bodies, 1, NULL, good);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_OK);
    const char *variants[][2] = {{"0001.pdf", "5"}, {"0002.pdf", "4"}};
    for (size_t i = 0; i < 2; i++) {
        assert_true(asprintf(&wrong, fmt, variants[i][0], atoi(variants[i][1]), hex) > 0);
        fx_bag_index(&t, K.sender_sk, &m, CASE, paths, bodies, 1, NULL, wrong);
        assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_MALFORMED);
        free(wrong);
    }
    /* Not canonical (one space inserted). */
    assert_true(asprintf(&wrong, "%.*s %s", 41, good, good + 41) > 0);
    fx_bag_index(&t, K.sender_sk, &m, CASE, paths, bodies, 1, NULL, wrong);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_MALFORMED);
    free(wrong);
    /* Listed in no tagmanifest: an extra file. */
    fx_bag(&t, K.sender_sk, &m, CASE, paths, bodies, 1);
    fx_tar_add(&t, "bag/documents.json", FX_FILE, good, strlen(good), NULL);
    assert_int_not_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_OK);
    free(good);
}

/* Every byte of a digest decides: a signed manifest that lists case.json
 * with a digest differing from the real one only in its last byte is
 * tampering, like any other difference (no real change of a file could
 * show this, so the manifest is written to order). */
static void a_digest_differing_in_its_last_byte_is_tampering(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    uint8_t d[32];
    char hex[65], manifest[200];
    baton_sha256_buffer(CASE, strlen(CASE), d);
    d[31] ^= 0x01;
    baton_sha256_hex(d, hex);
    snprintf(manifest, sizeof manifest, "%s  data/case.json\n", hex);
    fx_tar t = {0};
    fx_bag_manifest(&t, K.sender_sk, &m, CASE, NULL, NULL, 0, manifest);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_TAMPERED);
}

/* The same for the tag files: a signed tagmanifest whose digest of
 * bag-info.txt differs from the real one only in its last byte is
 * tampering. */
static void a_tag_digest_differing_in_its_last_byte_is_tampering(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    fx_tar t = {0};
    fx_bag(&t, K.sender_sk, &m, CASE, NULL, NULL, 0);
    fx_entry *tm = NULL, *sig = NULL;
    for (size_t i = 0; i < t.n; i++) {
        if (strcmp(t.e[i].path, "bag/tagmanifest-sha256.txt") == 0)
            tm = &t.e[i];
        if (strcmp(t.e[i].path, "bag/tagmanifest-sha256.txt.minisig") == 0)
            sig = &t.e[i];
    }
    assert_non_null(tm);
    assert_non_null(sig);
    /* The first line is bag-info.txt's: flip the low bit of its last byte. */
    assert_non_null(strstr(tm->data, "  bag-info.txt\n"));
    static const char hexd[] = "0123456789abcdef";
    char *last_hex = tm->data + 63;
    *last_hex = hexd[(strchr(hexd, *last_hex) - hexd) ^ 1];
    char tc[512], *text = NULL;
    size_t textlen;
    assert_int_equal(baton_pkg_tc_format(&m, tc, sizeof tc, NULL, 0), 0);
    assert_int_equal(baton_minisign_sign_buffer(K.sender_sk, tm->data, tm->len, NULL, tc, &text,
                                                &textlen, NULL, 0),
                     0);
    free(sig->data);
    sig->data = malloc(textlen + 1);
    assert_non_null(sig->data);
    memcpy(sig->data, text, textlen + 1);
    sig->len = textlen;
    baton_minisign_text_free(text);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_TAMPERED);
}

/* Payload read before the signed part is held to the signed Payload-Oxum
 * as soon as the signature is verified: a signed bag whose Payload-Oxum
 * declares one byte less than its files hold is tampering, refused when
 * the files are checked, not only by the final count. */
/* Replaces the line `from` of bag-info.txt with `to` (same length), puts its
 * new hash into the tagmanifest and signs that again with the sender's key
 * and m's trusted comment: a bag whose signature is good but whose
 * bag-info says something else than the signed comment, or the files. */
static void resign_bag_info(fx_tar *t, const baton_pkg_meta *m, const char *from, const char *to)
{
    fx_entry *info = NULL, *tm = NULL, *sig = NULL;
    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->e[i].path, "bag/bag-info.txt") == 0)
            info = &t->e[i];
        if (strcmp(t->e[i].path, "bag/tagmanifest-sha256.txt") == 0)
            tm = &t->e[i];
        if (strcmp(t->e[i].path, "bag/tagmanifest-sha256.txt.minisig") == 0)
            sig = &t->e[i];
    }
    assert_non_null(info);
    assert_non_null(tm);
    assert_non_null(sig);
    char *at = strstr(info->data, from);
    assert_non_null(at);
    assert_int_equal(strlen(from), strlen(to));
    memcpy(at, to, strlen(to));
    /* Re-hash bag-info.txt into the tagmanifest (its first line) and sign. */
    uint8_t d[32];
    char hex[65], tc[512], *text = NULL;
    size_t textlen;
    baton_sha256_buffer(info->data, info->len, d);
    baton_sha256_hex(d, hex);
    assert_non_null(strstr(tm->data, "  bag-info.txt\n"));
    memcpy(tm->data, hex, 64);
    assert_int_equal(baton_pkg_tc_format(m, tc, sizeof tc, NULL, 0), 0);
    assert_int_equal(baton_minisign_sign_buffer(K.sender_sk, tm->data, tm->len, NULL, tc, &text,
                                                &textlen, NULL, 0),
                     0);
    free(sig->data);
    sig->data = malloc(textlen + 1);
    assert_non_null(sig->data);
    memcpy(sig->data, text, textlen + 1);
    sig->len = textlen;
    baton_minisign_text_free(text);
}

static void payload_beyond_the_signed_oxum_is_tampering(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    const char *p[] = {"data/documents/a.txt"}, *b[] = {"abc"};
    fx_tar t = {0};
    fx_bag_payload_first(&t, K.sender_sk, &m, CASE, p, b, 1);
    /* Payload-Oxum: one octet less than case.json and a.txt hold. */
    char want[64], less[64];
    snprintf(want, sizeof want, "Payload-Oxum: %zu.2\n", strlen(CASE) + 3);
    snprintf(less, sizeof less, "Payload-Oxum: %zu.2\n", strlen(CASE) + 2);
    resign_bag_info(&t, &m, want, less);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_TAMPERED);
}

/* bag-info.txt names the case and the sender the signed trusted comment
 * names; a signed bag-info naming another case or sender is malformed
 * (case.json names the case too, but only bag-info names the sender, and
 * the two checks are separate). */
static void bag_info_names_the_signed_case_and_sender(void **state)
{
    (void)state;
    const char *p[] = {"data/documents/a.txt"}, *b[] = {"abc"};
    for (int field = 0; field < 2; field++) {
        baton_pkg_meta m = fx_meta(1);
        fx_tar t = {0};
        fx_bag(&t, K.sender_sk, &m, CASE, p, b, 1);
        const char *key = field == 0 ? "External-Identifier: " : "Source-Organization: ";
        const char *value = field == 0 ? m.case_id : m.sender;
        char from[256], to[256];
        snprintf(from, sizeof from, "%s%s\n", key, value);
        snprintf(to, sizeof to, "%s%s\n", key, value);
        to[strlen(to) - 2] = to[strlen(to) - 2] == 'x' ? 'y' : 'x'; /* last character */
        resign_bag_info(&t, &m, from, to);
        assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_MALFORMED);
    }
}

/* A payload file the manifest does not list is refused wherever it sits in
 * the tar: after the signed part (refused at its header) and before it
 * (read on credit, refused once the manifest is known). */
static void unlisted_payload_before_the_signed_part_is_refused(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    fx_tar t = {0};
    fx_bag(&t, K.sender_sk, &m, CASE, NULL, NULL, 0);
    fx_tar_add(&t, "bag/data/documents/smuggled.exe", FX_FILE, "MZ", 2, NULL);
    /* Move the smuggled entry (last) to the front. */
    fx_entry last = t.e[t.n - 1];
    memmove(&t.e[1], &t.e[0], (t.n - 1) * sizeof t.e[0]);
    t.e[0] = last;
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_EXTRA_FILE);
}

static void non_canonical_manifests_are_malformed(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    /* sha256 of the case body, computed once by the fixture's own path. */
    uint8_t d[32];
    char hex[65], HEX[65], good[200], *variants[6];
    baton_sha256_buffer(CASE, strlen(CASE), d);
    baton_sha256_hex(d, hex);
    for (int i = 0; i < 65; i++)
        HEX[i] = (char)(hex[i] >= 'a' && hex[i] <= 'f' ? hex[i] - 32 : hex[i]);
    snprintf(good, sizeof good, "%s  data/case.json\n", hex);
    assert_true(asprintf(&variants[0], "%s  data/case.json\r\n", hex) > 0);
    assert_true(asprintf(&variants[1], "%s  data/case.json \n", hex) > 0);
    assert_true(asprintf(&variants[2], "%s data/case.json\n", hex) > 0);
    assert_true(asprintf(&variants[3], "%s  data/case.json\n", HEX) > 0);
    assert_true(asprintf(&variants[4], "%s *data/case.json\n", hex) > 0);
    assert_true(asprintf(&variants[5], "%s  data/case.json", hex) > 0);
    /* The canonical form passes, so each variant fails for its encoding. */
    fx_tar t = {0};
    fx_bag_manifest(&t, K.sender_sk, &m, CASE, NULL, NULL, 0, good);
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_OK);
    for (int i = 0; i < 6; i++) {
        fx_bag_manifest(&t, K.sender_sk, &m, CASE, NULL, NULL, 0, variants[i]);
        baton_pkg_verdict v = seal_and_open(&t, &K.firm_rcpt);
        if (v != BATON_PKG_MALFORMED)
            fail_msg("variant %d: verdict %s, want malformed", i, baton_pkg_verdict_name(v));
        free(variants[i]);
    }
}

static void truncated_package_leaves_nothing(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    const char *names[] = {"a.bin"};
    char *big = malloc(200001);
    memset(big, 'q', 200000);
    big[200000] = '\0';
    const char *bodies[] = {big};
    uint8_t *pkg;
    size_t len;
    assert_int_equal(fx_pack(&K, &m, CASE, names, bodies, 1, &pkg, &len), 0);
    assert_int_equal(open_in_dir(pkg, len - 1, NULL, m.created, NULL), BATON_PKG_TAMPERED);
    assert_int_equal(open_in_dir(pkg, 65536 + 200, NULL, m.created, NULL), BATON_PKG_TAMPERED);
    free(pkg);
    free(big);
}

static void extraction_needs_an_empty_folder(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    uint8_t *pkg;
    size_t len;
    assert_int_equal(fx_pack(&K, &m, CASE, NULL, NULL, 0, &pkg, &len), 0);
    char *base = fx_tmpdir(), dir[4200], keep[4300], err[256];
    snprintf(dir, sizeof dir, "%s/inbox", base);
    snprintf(keep, sizeof keep, "%s/keep.txt", dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    FILE *f = fopen(keep, "w");
    fclose(f);
    baton_pkg_open_result res;
    assert_true(fx_open(&K, pkg, len, NULL, dir, m.created, &res, err, sizeof err) < 0);
    assert_int_equal(fx_count_entries(dir), 1);
    assert_int_equal(fx_count_entries(base), 1);
    fx_rmtree(base);
    free(base);
    free(pkg);
}

static void pack_refuses_bad_document_names(void **state)
{
    (void)state;
    baton_pkg_meta m = fx_meta(1);
    /* Given names are carried as given (the index), so only what no file
     * name may hold is refused: control characters, invalid UTF-8, empty,
     * '.' or '..' parts, and the same name twice. */
    static const char *bad[][2] = {
        {"../x.pdf", NULL},
        {"a//b.pdf", NULL},
        {"/x.pdf", NULL},
        {"a\nb", NULL},
        {"a\x7f"
         "b",
         NULL},
        {"a\xc2\x85"
         "b",
         NULL},
        {"\xff.pdf", NULL},
        {"./a.pdf", NULL},
        {"a.pdf", "a.pdf"},
        {"x/", NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *names[2] = {bad[i][0], bad[i][1]};
        const char *bodies[2] = {"1", "2"};
        uint8_t *pkg = NULL;
        size_t len;
        int rc = fx_pack(&K, &m, CASE, names, bodies, bad[i][1] != NULL ? 2 : 1, &pkg, &len);
        free(pkg);
        if (rc == 0)
            fail_msg("pack accepted document name '%s'", bad[i][0]);
    }
}

/* Package names (case id, sender, recipient) start with a letter or digit,
 * so none can be "..", a hidden name or an option, and are at most
 * BATON_PKG_NAME_MAX bytes. */
static void package_names_start_with_a_letter_or_digit(void **state)
{
    (void)state;
    static const char *bad[] = {"../evil", "./x", ".hidden", "-rf", "/abs",
                                "_x",      ":x",  "@x",      "+x",  ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (baton_pkg_name_valid(bad[i]))
            fail_msg("accepted name \"%s\"", bad[i]);
    }
    assert_true(baton_pkg_name_valid("NW/2026:0001"));
    char longest[BATON_PKG_NAME_MAX + 2];
    memset(longest, 'a', sizeof longest);
    longest[BATON_PKG_NAME_MAX] = '\0';
    assert_true(baton_pkg_name_valid(longest));
    longest[BATON_PKG_NAME_MAX] = 'a';
    longest[BATON_PKG_NAME_MAX + 1] = '\0';
    assert_false(baton_pkg_name_valid(longest));
}

static void trusted_comment_round_trips_and_is_strict(void **state)
{
    (void)state;
    baton_pkg_meta m, back;
    memset(&m, 0, sizeof m);
    strcpy(m.case_id, "NW/2026:0001");
    strcpy(m.sender, "northwind");
    strcpy(m.recipient, "harbor-law");
    m.sequence = 42;
    m.created = 951827696;    /* date -u -d @951827696: 2000-02-29T12:34:56Z */
    m.expires = 2147483648LL; /* 2038-01-19T03:14:08Z */
    char tc[512];
    assert_int_equal(baton_pkg_tc_format(&m, tc, sizeof tc, NULL, 0), 0);
    assert_string_equal(tc, "baton-handoff/1 case=NW/2026:0001 sender=northwind "
                            "recipient=harbor-law seq=42 created=2000-02-29T12:34:56Z "
                            "expires=2038-01-19T03:14:08Z");
    assert_int_equal(baton_pkg_tc_parse(tc, &back, NULL, 0), 0);
    assert_memory_equal(&m, &back, sizeof m);
    static const char *bad[] = {
        "baton-handoff/1 case=A sender=b recipient=c seq=1 created=2000-01-01T00:00:00Z "
        "expires=2000-01-01T00:00:00Z", /* not after */
        "baton-handoff/1 case=A sender=b recipient=c seq=01 created=2000-01-01T00:00:00Z "
        "expires=2000-01-02T00:00:00Z", /* leading zero */
        "baton-handoff/1 case=A sender=b recipient=c seq=1 created=2000-01-01T00:00:00Z "
        "expires=2000-01-02T00:00:00Z ", /* trailing space */
        "baton-handoff/1 sender=b case=A recipient=c seq=1 created=2000-01-01T00:00:00Z "
        "expires=2000-01-02T00:00:00Z", /* order */
        "baton-handoff/1 case=A sender=b recipient=c seq=1 created=2001-02-29T00:00:00Z "
        "expires=2002-01-02T00:00:00Z", /* no 29 Feb in 2001 */
        "baton-handoff/1 case=A sender=b recipient=c d seq=1 created=2000-01-01T00:00:00Z "
        "expires=2000-01-02T00:00:00Z", /* stray word */
        "baton-handoff/2 case=A sender=b recipient=c seq=1 created=2000-01-01T00:00:00Z "
        "expires=2000-01-02T00:00:00Z", /* version */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (baton_pkg_tc_parse(bad[i], &back, NULL, 0) == 0)
            fail_msg("accepted: %s", bad[i]);
    }
}

static void large_documents_round_trip_through_the_hashing_threads(void **state)
{
    (void)state;
    /* 9 MiB + 1 byte: above both thresholds for the worker threads. */
    size_t big = (9u << 20) + 1;
    char *body = malloc(big + 1);
    assert_non_null(body);
    for (size_t i = 0; i < big; i++)
        body[i] = (char)('a' + (i * 7 + i / 4096) % 26);
    body[big] = '\0';
    const char *names[] = {"scan.tif", "note.txt"};
    const char *bodies[] = {body, "n"};
    baton_pkg_meta m = fx_meta(3);
    uint8_t *pkg;
    size_t len;
    assert_int_equal(fx_pack(&K, &m, CASE, names, bodies, 2, &pkg, &len), 0);
    char *base = fx_tmpdir(), dir[4200], path[4300], err[256];
    snprintf(dir, sizeof dir, "%s/inbox", base);
    baton_pkg_open_result res;
    int rc = fx_open(&K, pkg, len, NULL, dir, m.created, &res, err, sizeof err);
    if (rc != 0)
        fail_msg("open: %s", err);
    snprintf(path, sizeof path, "%s/bag/data/documents/0001.tif", dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *back = malloc(big + 1);
    assert_int_equal(fread(back, 1, big + 1, f), big);
    fclose(f);
    assert_memory_equal(back, body, big);
    fx_rmtree(base);
    free(base);
    free(back);
    free(pkg);

    /* One byte changed deep inside a large entry is caught. */
    fx_tar t = {0};
    const char *p[] = {"data/documents/scan.tif"};
    fx_bag(&t, K.sender_sk, &m, CASE, p, bodies, 1);
    for (size_t i = 0; i < t.n; i++) {
        if (strcmp(t.e[i].path, "bag/data/documents/scan.tif") == 0)
            t.e[i].data[big - 5] = 'Z';
    }
    assert_int_equal(seal_and_open(&t, &K.firm_rcpt), BATON_PKG_TAMPERED);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_extracts_the_bag),
        cmocka_unit_test(packing_is_reproducible_apart_from_encryption),
        cmocka_unit_test(replayed_sequence_is_refused),
        cmocka_unit_test(replay_is_checked_without_recording),
        cmocka_unit_test(expired_package_is_refused),
        cmocka_unit_test(packages_from_the_future_or_forever_are_malformed),
        cmocka_unit_test(package_for_another_firm_is_refused),
        cmocka_unit_test(untrusted_sender_is_refused),
        cmocka_unit_test(altered_tagmanifest_breaks_the_signature),
        cmocka_unit_test(altered_document_is_tampered),
        cmocka_unit_test(extra_files_are_refused),
        cmocka_unit_test(data_after_the_tar_end_is_refused),
        cmocka_unit_test(missing_files_are_refused),
        cmocka_unit_test(unsafe_paths_are_refused),
        cmocka_unit_test(names_outside_the_name_rule_are_unsafe_paths),
        cmocka_unit_test(decomposed_tar_name_is_not_read_as_composed),
        cmocka_unit_test(documents_keep_the_names_people_give_them),
        cmocka_unit_test(packages_without_an_index_still_open),
        cmocka_unit_test(index_that_disagrees_with_the_manifest_is_malformed),
        cmocka_unit_test(rfc8493_percent_encoded_manifest_paths_open),
        cmocka_unit_test(each_unsafe_entry_is_refused_by_its_own_rule),
        cmocka_unit_test(non_canonical_manifests_are_malformed),
        cmocka_unit_test(a_digest_differing_in_its_last_byte_is_tampering),
        cmocka_unit_test(a_tag_digest_differing_in_its_last_byte_is_tampering),
        cmocka_unit_test(payload_beyond_the_signed_oxum_is_tampering),
        cmocka_unit_test(bag_info_names_the_signed_case_and_sender),
        cmocka_unit_test(unlisted_payload_before_the_signed_part_is_refused),
        cmocka_unit_test(truncated_package_leaves_nothing),
        cmocka_unit_test(extraction_needs_an_empty_folder),
        cmocka_unit_test(pack_refuses_bad_document_names),
        cmocka_unit_test(trusted_comment_round_trips_and_is_strict),
        cmocka_unit_test(package_names_start_with_a_letter_or_digit),
        cmocka_unit_test(large_documents_round_trip_through_the_hashing_threads),
    };
    fx_keys_make(&K);
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    fx_keys_free(&K);
    return rc;
}
