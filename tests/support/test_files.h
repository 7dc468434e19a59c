/*
 * test_files.h - files of tests/ for cmocka unit tests: a path under
 * tests/ found from the including file's own path (CMake compiles tests by
 * their full path), and a whole file read into memory. Include after
 * <cmocka.h>: failures end the test.
 */
#ifndef BATON_TEST_FILES_H
#define BATON_TEST_FILES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* tests/REL into buf; file is __FILE__ of a file one folder below tests/. */
static inline const char *test_path_from(const char *file, const char *rel, char *buf, size_t len)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", file);
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(dir, '/');
        assert_non_null(slash);
        *slash = '\0';
    }
    snprintf(buf, len, "%s/%s", dir, rel);
    return buf;
}
#define test_path(rel, buf, len) test_path_from(__FILE__, rel, buf, len)

/* The whole of path, NUL-terminated (the caller frees); its length in
 * *len. */
static inline char *test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("%s: cannot open", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

#endif
