/*
 * counterparts.h - whom a tenant exchanges packages with.
 *
 * A tenant file may list its counterparts:
 *   "counterparts": [
 *     {"tenant": "harbor-law"},                       a tenant on this host
 *     {"name": "baker-legal",                         a firm or agency elsewhere
 *      "sign_pub": "RWQ...",                          its minisign public key
 *      "age_recipient": "age1..."}                    its age recipient
 *   ]
 * An agency may hand cases only to its counterparts; a law firm accepts
 * packages only when signed by a counterpart's key (for a tenant on this
 * host, the key batond keeps for it). For an external law firm both keys
 * are required (encrypt to it, verify its receipts); for an external sender
 * sign_pub is.
 */
#ifndef BH_COUNTERPARTS_H
#define BH_COUNTERPARTS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "baton/age.h"
#include "baton/minisign.h"

typedef struct bh_counterpart {
    const char *tenant; /* tenant id on this host, or NULL */
    const char *name;   /* external name, or NULL */
    int has_sign;
    baton_minisign_pubkey sign;
    int has_age;
    baton_age_recipient age;
} bh_counterpart;

/* Validates a "counterparts" value. On a problem returns -1 and writes the
 * field path ("counterparts[1].sign_pub") and the reason. */
int bh_counterparts_check(const cJSON *list, char *field, size_t fieldlen, char *why,
                          size_t whylen);

/* Fills out with entry i of a validated list; -1 past the end. */
int bh_counterpart_at(const cJSON *list, int i, bh_counterpart *out);

/* The counterpart called name (tenant id or external name), or -1. */
int bh_counterpart_find(const cJSON *list, const char *name, bh_counterpart *out);

#endif
