/*
 * minisign_internal.h - what minisign_key.c and minisign_sig.c share: the
 * secret key layout in guarded memory and the error-detail helper.
 */
#ifndef BATON_MINISIGN_INTERNAL_H
#define BATON_MINISIGN_INTERNAL_H

#include "fail.h"

#include <stdarg.h>
#include <stdio.h>

#include "baton/minisign.h"

struct baton_minisign_seckey {
    uint8_t keynum[BATON_MINISIGN_KEYNUM_BYTES];
    uint8_t sk[64]; /* libsodium Ed25519 secret key: seed | public key */
};

#endif
