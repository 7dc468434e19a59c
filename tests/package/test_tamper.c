/*
 * test_tamper.c - flips every single byte of a small package, one at a
 * time, and checks that opening it fails and leaves the extraction folder
 * empty (and no temporary folder behind). Runs the same code path as
 * `baton open` (baton_pkg_open with an extraction folder), in process so
 * that thousands of attempts stay quick, also under ASan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pkg_fixture.h"

int main(void)
{
    fx_keys k;
    fx_keys_make(&k);
    baton_pkg_meta m = fx_meta(1);
    const char *names[] = {"statement.txt"};
    const char *bodies[] = {"Statement of account: 1234.56 GBP outstanding since 2025-01-31.\n"};
    uint8_t *pkg;
    size_t len;
    if (fx_pack(&k, &m, "{\"case_id\":\"NW-2026-0001\"}\n", names, bodies, 1, &pkg, &len) != 0)
        return 1;
    char *base = fx_tmpdir(), dir[4200], err[512];
    snprintf(dir, sizeof dir, "%s/inbox", base);
    if (mkdir(dir, 0700) != 0)
        return 1;

    /* The untouched package opens (so every failure below is the flip's). */
    baton_pkg_open_result res;
    if (fx_open(&k, pkg, len, NULL, dir, m.created, &res, err, sizeof err) != 0) {
        fprintf(stderr, "pristine package refused: %s\n", err);
        return 1;
    }
    fx_rmtree(dir);
    if (mkdir(dir, 0700) != 0)
        return 1;

    size_t failures = 0, counts[12] = {0};
    for (size_t i = 0; i < len; i++) {
        pkg[i] ^= 0x01;
        int rc = fx_open(&k, pkg, len, NULL, dir, m.created, &res, err, sizeof err);
        pkg[i] ^= 0x01;
        if (rc == 0 || res.verdict == BATON_PKG_OK) {
            fprintf(stderr, "byte %zu: flipped package was accepted\n", i);
            failures++;
        }
        if (fx_count_entries(dir) != 0 || fx_count_entries(base) != 1) {
            fprintf(stderr, "byte %zu: something was left behind\n", i);
            failures++;
        }
        if ((unsigned)res.verdict < 12)
            counts[res.verdict]++;
    }
    printf("flipped %zu bytes one at a time: %zu accepted or left files\n", len, failures);
    for (int v = 0; v < 12; v++) {
        if (counts[v] != 0)
            printf("  %-16s %zu\n", baton_pkg_verdict_name((baton_pkg_verdict)v), counts[v]);
    }
    fx_rmtree(base);
    free(base);
    free(pkg);
    fx_keys_free(&k);
    return failures == 0 ? 0 : 1;
}
