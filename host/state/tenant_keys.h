/*
 * tenant_keys.h - a tenant's own keys: the minisign key it signs packages
 * and receipts with, and the age identity packages to it are encrypted to.
 *
 * Kept in <data_dir>/tenants/<tenant>/keys/ (directory 0700): sign.key
 * (minisign secret key, unencrypted so batond can start unattended; 0600),
 * sign.pub, age.key (age identity, 0600), age.pub (the recipient string).
 * Created on first use; loaded into sodium_malloc memory afterwards. The
 * public halves are what counterparts put in their trust lists.
 */
#ifndef BH_TENANT_KEYS_H
#define BH_TENANT_KEYS_H

#include <stddef.h>

#include "baton/age.h"
#include "baton/minisign.h"

typedef struct bh_tenant_keys {
    baton_minisign_seckey *sign; /* owned, sodium_malloc */
    baton_minisign_pubkey sign_pub;
    baton_age_identity *age; /* owned, sodium_malloc */
    baton_age_recipient age_pub;
    char sign_pub_b64[BATON_MINISIGN_PUBKEY_B64_LEN + 1];
    char age_pub_text[BATON_AGE_RECIPIENT_LEN + 1];
} bh_tenant_keys;

/* Loads the keys in dir, creating dir and any missing key pair first.
 * Caller frees *out with bh_tenant_keys_free. */
int bh_tenant_keys_load_or_create(const char *dir, bh_tenant_keys **out, char *err, size_t errlen);
void bh_tenant_keys_free(bh_tenant_keys *k);

#endif
