/*
 * cli_util.h - small helpers shared by the key, package and receipt
 * subcommands of the baton CLI (keygen, pack, verify, open, receipt).
 *
 * Owns: reading key and recipient arguments the way minisign and age users
 * expect, passphrases, durations, default state locations, the exit codes of
 * the package commands, and terminal progress. Does not own any format
 * (libbaton does).
 */
#ifndef BATON_CLI_UTIL_H
#define BATON_CLI_UTIL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "baton/age.h"
#include "baton/minisign.h"
#include "baton/package.h"

/* Exit codes of pack, verify, open and receipt (documented in --help and
 * docs/handoff-packages.md). A refused package exits with 2 + its verdict
 * class number, so every class has its own code. */
enum {
    CU_EXIT_OK = 0,
    CU_EXIT_ERROR = 1, /* I/O, keys, arguments that parse but do not work */
    CU_EXIT_USAGE = 2,
};
int cu_exit_for(baton_pkg_verdict v);

/* The exit code table as --help text. */
extern const char cu_exit_help[];

/* Reads a whole file (at most max bytes) into a NUL-terminated malloc'd
 * buffer. "-" is stdin. */
int cu_read_file(const char *path, size_t max, char **out, size_t *len, char *err, size_t errlen);

/* Writes text to path, which must not exist, and syncs it (event files:
 * never replaced), all or nothing: under a temporary name first, then
 * linked to path. 0, or -1 with "path: why" in err. */
int cu_write_new(const char *path, const char *text, size_t len, char *err, size_t errlen);

/* Reads a passphrase file (first line, without its newline) into
 * sodium_malloc memory; free with cu_secret_free. */
int cu_read_passphrase(const char *path, char **out, char *err, size_t errlen);
void cu_secret_free(char *s);

/* Loads a minisign secret key; asks for the passphrase on the terminal when
 * it is encrypted and no passphrase file is given. */
int cu_load_seckey(const char *path, const char *passphrase_file, baton_minisign_seckey **out,
                   char *err, size_t errlen);

/* Appends recipients from arg: an "age1..." string, or a file with one per
 * line ('#' comments and empty lines ignored). */
int cu_add_recipients(const char *arg, baton_age_recipient **list, size_t *n, char *err,
                      size_t errlen);

/* Appends a trusted key from arg: a minisign .pub file, or a bare base64
 * public key (as minisign -P takes). */
int cu_add_pubkey(const char *arg, baton_minisign_pubkey **list, size_t *n, char *err,
                  size_t errlen);

/* "90s", "45m", "12h", "30d", "2w" -> seconds. */
int cu_parse_duration(const char *s, int64_t *seconds);

/* The basename of path without suffix (if it ends so), into out. */
void cu_stem(const char *path, const char *suffix, char *out, size_t outlen);

/* Current time, or $BATON_NOW (YYYY-MM-DDTHH:MM:SSZ) when set and not
 * empty: lets an auditor re-check an archived package as of a given time.
 * A malformed $BATON_NOW is refused: one line on stderr naming cmd and the
 * value, and -1. */
int cu_now(const char *cmd, int64_t *now);

/* SIGINT, SIGTERM and SIGHUP set *flag to the signal's number instead of
 * ending the process (and interrupt blocking reads), so a long operation
 * can stop and clean up; cu_signals_end then ends the process by that
 * signal when one came. */
void cu_signals_catch(volatile sig_atomic_t *flag);
void cu_signals_end(volatile sig_atomic_t *flag);

/* $BATON_LEDGER, else $XDG_STATE_HOME/baton/ledger.sqlite, else
 * ~/.local/state/baton/ledger.sqlite (folders created 0700). */
int cu_default_ledger(char *out, size_t outlen, char *err, size_t errlen);

/* Progress on stderr, only when stderr is a terminal. ctx: a const char *
 * label. */
void cu_progress(void *ctx, uint64_t done, uint64_t total);
void cu_progress_end(void);

/* verify / open / receipt share one implementation (cmd_open.c). */
enum cu_open_mode { CU_VERIFY, CU_OPEN, CU_RECEIPT };
int cu_open_main(int argc, char **argv, enum cu_open_mode mode);

#endif
