/*
 * cli_util.c - helpers shared by keygen, pack, verify, open and receipt
 * (see cli_util.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "baton/error.h"
#include "baton/escape.h"
#include "cli_util.h"

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err != NULL && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

int cu_exit_for(baton_pkg_verdict v)
{
    if (v == BATON_PKG_OK)
        return CU_EXIT_OK;
    if (v == BATON_PKG_ERROR)
        return CU_EXIT_ERROR;
    return 2 + (int)v;
}

const char cu_exit_help[] = "exit codes:\n"
                            "   0  accepted\n"
                            "   1  error (I/O, keys, ledger; no verdict on the package)\n"
                            "   2  usage\n"
                            "   4  not for me (no identity opens it, or addressed to another)\n"
                            "   5  bad signature\n"
                            "   6  untrusted sender (signing key not in the trust list)\n"
                            "   7  tampered content (digest or authentication tag differs)\n"
                            "   8  extra file (not in the manifests)\n"
                            "   9  missing file\n"
                            "  10  unsafe path (.., absolute, link, device, duplicate name)\n"
                            "  11  replayed (sequence already accepted from that sender)\n"
                            "  12  expired\n"
                            "  13  malformed (not the documented format, or not canonical)\n";

int cu_write_new(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
    /* Written and synced under a temporary name beside path, then linked
     * to path (which fails when path exists): a stop part way leaves no
     * half-written file under the real name, only a ".partial-" one. */
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.partial-XXXXXX", path) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc =
        fchmod(fd, 0644) == 0 && write(fd, text, len) == (ssize_t)len && fsync(fd) == 0 ? 0 : -1;
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
    close(fd);
    if (rc == 0 && link(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        rc = -1;
    }
    unlink(tmp);
    return rc;
}

int cu_read_file(const char *path, size_t max, char **out, size_t *len, char *err, size_t errlen)
{
    int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    size_t cap = 4096, n = 0;
    char *buf = NULL;
    int rc = BATON_EIO;
    if (fd < 0)
        return fail(err, errlen, errno == ENOENT ? BATON_ENOENT : BATON_EIO, "%s: %s", path,
                    strerror(errno));
    buf = malloc(cap);
    if (buf == NULL) {
        rc = fail(err, errlen, BATON_ENOMEM, "out of memory");
        goto out;
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max + 1) {
                rc = fail(err, errlen, BATON_ELIMIT, "%s: larger than %zu bytes", path, max);
                goto out;
            }
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                rc = fail(err, errlen, BATON_ENOMEM, "out of memory");
                goto out;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = fail(err, errlen, BATON_EIO, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > max) {
        rc = fail(err, errlen, BATON_ELIMIT, "%s: larger than %zu bytes", path, max);
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    if (fd > 0)
        close(fd);
    return rc;
}

void cu_secret_free(char *s)
{
    if (s != NULL) {
        sodium_memzero(s, strlen(s));
        sodium_free(s);
    }
}

static char *secret_dup(const char *s, size_t n)
{
    if (sodium_init() < 0)
        return NULL;
    char *p = sodium_malloc(n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

int cu_read_passphrase(const char *path, char **out, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len;
    int rc = cu_read_file(path, 4096, &text, &len, err, errlen);
    if (rc < 0)
        return rc;
    size_t n = strcspn(text, "\r\n");
    *out = secret_dup(text, n);
    sodium_memzero(text, len);
    free(text);
    if (*out == NULL)
        return fail(err, errlen, BATON_ENOMEM, "out of memory");
    if (n == 0) {
        cu_secret_free(*out);
        *out = NULL;
        return fail(err, errlen, BATON_EINVAL, "%s: empty passphrase", path);
    }
    return 0;
}

static char *prompt_passphrase(const char *what)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct termios old, quiet;
    char line[1024];
    size_t n = 0;
    char *res = NULL;
    dprintf(fd, "Passphrase for %s: ", what);
    if (tcgetattr(fd, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    while (n + 1 < sizeof line) {
        char c;
        if (read(fd, &c, 1) != 1 || c == '\n')
            break;
        line[n++] = c;
    }
    tcsetattr(fd, TCSAFLUSH, &old);
    dprintf(fd, "\n");
    close(fd);
    res = secret_dup(line, n);
    sodium_memzero(line, sizeof line);
    return res;
}

int cu_load_seckey(const char *path, const char *passphrase_file, baton_minisign_seckey **out,
                   char *err, size_t errlen)
{
    char *text = NULL, *pass = NULL;
    size_t len;
    int rc = cu_read_file(path, 65536, &text, &len, err, errlen);
    if (rc < 0)
        return rc;
    int enc = baton_minisign_seckey_is_encrypted(text, len);
    if (enc < 0) {
        rc = fail(err, errlen, BATON_EINVAL, "%s: not a minisign secret key", path);
        goto out;
    }
    if (enc == 1) {
        if (passphrase_file != NULL)
            rc = cu_read_passphrase(passphrase_file, &pass, err, errlen);
        else if ((pass = prompt_passphrase(path)) == NULL)
            rc = fail(err, errlen, BATON_EDENIED,
                      "%s is encrypted: give --passphrase-file or run on a terminal", path);
        if (rc < 0)
            goto out;
    }
    rc = baton_minisign_seckey_decode(text, len, pass, out, err, errlen);
    if (rc == BATON_ECRYPTO)
        fail(err, errlen, rc, "%s: wrong passphrase", path);
out:
    cu_secret_free(pass);
    if (text != NULL) {
        sodium_memzero(text, len);
        free(text);
    }
    return rc;
}

static int push_recipient(baton_age_recipient **list, size_t *n, const baton_age_recipient *r)
{
    baton_age_recipient *nl = realloc(*list, (*n + 1) * sizeof *nl);
    if (nl == NULL)
        return BATON_ENOMEM;
    nl[(*n)++] = *r;
    *list = nl;
    return 0;
}

int cu_add_recipients(const char *arg, baton_age_recipient **list, size_t *n, char *err,
                      size_t errlen)
{
    baton_age_recipient r;
    char *text = NULL;
    size_t len;
    int rc;
    if (strncmp(arg, "age1", 4) == 0 && access(arg, F_OK) != 0) {
        rc = baton_age_recipient_parse(arg, strlen(arg), &r, err, errlen);
        return rc < 0 ? rc : push_recipient(list, n, &r);
    }
    rc = cu_read_file(arg, 1 << 20, &text, &len, err, errlen);
    if (rc < 0)
        return rc;
    size_t found = 0, line = 0;
    char *save = NULL;
    for (char *l = strtok_r(text, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save)) {
        line++;
        size_t ll = strlen(l);
        if (ll > 0 && l[ll - 1] == '\r')
            l[--ll] = '\0';
        if (ll == 0 || l[0] == '#')
            continue;
        if ((rc = baton_age_recipient_parse(l, ll, &r, err, errlen)) < 0) {
            fail(err, errlen, rc, "%s line %zu: not an age recipient", arg, line);
            goto out;
        }
        if ((rc = push_recipient(list, n, &r)) < 0)
            goto out;
        found++;
    }
    rc = found > 0 ? 0 : fail(err, errlen, BATON_EINVAL, "%s: no age recipient", arg);
out:
    free(text);
    return rc;
}

int cu_add_pubkey(const char *arg, baton_minisign_pubkey **list, size_t *n, char *err,
                  size_t errlen)
{
    baton_minisign_pubkey pk;
    int rc;
    if (access(arg, F_OK) == 0)
        rc = baton_minisign_pubkey_load(arg, &pk, err, errlen);
    else
        rc = baton_minisign_pubkey_decode(arg, strlen(arg), &pk, err, errlen);
    if (rc < 0)
        return rc;
    baton_minisign_pubkey *nl = realloc(*list, (*n + 1) * sizeof *nl);
    if (nl == NULL)
        return fail(err, errlen, BATON_ENOMEM, "out of memory");
    nl[(*n)++] = pk;
    *list = nl;
    return 0;
}

int cu_parse_duration(const char *s, int64_t *seconds)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || v <= 0 || s[0] == '+' || s[0] == ' ')
        return BATON_EINVAL;
    int64_t unit;
    if (strcmp(end, "s") == 0)
        unit = 1;
    else if (strcmp(end, "m") == 0)
        unit = 60;
    else if (strcmp(end, "h") == 0)
        unit = 3600;
    else if (strcmp(end, "d") == 0)
        unit = 86400;
    else if (strcmp(end, "w") == 0)
        unit = 7 * 86400;
    else
        return BATON_EINVAL;
    if (v > (long long)(100LL * 366 * 86400) / unit)
        return BATON_ERANGE;
    *seconds = (int64_t)v * unit;
    return 0;
}

void cu_stem(const char *path, const char *suffix, char *out, size_t outlen)
{
    const char *b = strrchr(path, '/');
    b = b != NULL ? b + 1 : path;
    size_t n = strlen(b), sl = strlen(suffix);
    if (n > sl && strcmp(b + n - sl, suffix) == 0)
        n -= sl;
    snprintf(out, outlen, "%.*s", (int)n, b);
}

int cu_now(const char *cmd, int64_t *now)
{
    const char *s = getenv("BATON_NOW");
    if (s == NULL || s[0] == '\0') {
        *now = (int64_t)time(NULL);
        return 0;
    }
    if (baton_pkg_time_parse(s, strlen(s), now) == 0)
        return 0;
    char shown[128];
    baton_escape(s, strlen(s), shown, sizeof shown);
    fprintf(stderr,
            "baton %s: BATON_NOW='%s' is not a UTC time like 2026-11-24T09:00:00Z "
            "(YYYY-MM-DDTHH:MM:SSZ); unset it to use the clock\n",
            cmd, shown);
    return -1;
}

static volatile sig_atomic_t *signal_flag;

static void on_signal(int sig)
{
    if (signal_flag != NULL)
        *signal_flag = sig;
}

void cu_signals_catch(volatile sig_atomic_t *flag)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocking read returns EINTR */
    signal_flag = flag;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

void cu_signals_end(volatile sig_atomic_t *flag)
{
    int sig = *flag;
    if (sig == 0)
        return;
    signal(sig, SIG_DFL);
    raise(sig);
}

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0700) < 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return 0;
}

int cu_default_ledger(char *out, size_t outlen, char *err, size_t errlen)
{
    const char *env = getenv("BATON_LEDGER"), *xdg = getenv("XDG_STATE_HOME"),
               *home = getenv("HOME");
    int n;
    if (env != NULL && env[0] != '\0')
        n = snprintf(out, outlen, "%s", env);
    else if (xdg != NULL && xdg[0] == '/')
        n = snprintf(out, outlen, "%s/baton/ledger.sqlite", xdg);
    else if (home != NULL && home[0] == '/')
        n = snprintf(out, outlen, "%s/.local/state/baton/ledger.sqlite", home);
    else
        return fail(err, errlen, BATON_ENOENT, "no ledger location: give --ledger or set HOME");
    if (n < 0 || (size_t)n >= outlen)
        return fail(err, errlen, BATON_ELIMIT, "ledger path too long");
    if (mkdirs(out) < 0)
        return fail(err, errlen, BATON_EIO, "%s: %s", out, strerror(errno));
    return 0;
}

static int progress_shown;

void cu_progress(void *ctx, uint64_t done, uint64_t total)
{
    static time_t last;
    if (!isatty(2))
        return;
    time_t now = time(NULL);
    if (now == last && done != total)
        return;
    last = now;
    progress_shown = 1;
    if (total > 0)
        fprintf(stderr, "\r%s: %llu / %llu MiB (%d%%)", (const char *)ctx,
                (unsigned long long)(done >> 20), (unsigned long long)(total >> 20),
                (int)(done * 100 / total));
    else
        fprintf(stderr, "\r%s: %llu MiB", (const char *)ctx, (unsigned long long)(done >> 20));
}

void cu_progress_end(void)
{
    if (progress_shown) {
        fprintf(stderr, "\r\033[K");
        progress_shown = 0;
    }
}
