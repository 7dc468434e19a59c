/*
 * minisign_internal.h - what minisign_key.c and minisign_sig.c share: the
 * secret key layout in guarded memory and the error-detail helper.
 */
#ifndef BATON_MINISIGN_INTERNAL_H
#define BATON_MINISIGN_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>

#include "baton/minisign.h"

struct baton_minisign_seckey {
    uint8_t keynum[BATON_MINISIGN_KEYNUM_BYTES];
    uint8_t sk[64]; /* libsodium Ed25519 secret key: seed | public key */
};

static inline int baton__ms_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes detail to err (when given) and returns rc. */
static inline int baton__ms_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    if (err != NULL && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

#endif
