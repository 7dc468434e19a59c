/*
 * event_sign.c - signing and verifying case events and checking one link
 * of a sender's chain (baton/event.h). The format itself is event.c's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton/error.h"
#include "baton/event.h"
#include "baton/sha256.h"
#include "fail.h"
#include "visibility.h"

BATON_API int baton_event_trusted_comment(const baton_event *ev, const char *text, size_t len,
                                          char out[BATON_EVENT_TC_MAX], char *err, size_t errlen)
{
    uint8_t d[32];
    char hex[65];
    if (!baton_pkg_name_valid(ev->handoff_id))
        return baton__fail(err, errlen, BATON_EINVAL, "handoff_id: not a valid id");
    if (baton_sha256_buffer(text, len, d) != 0)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    baton_sha256_hex(d, hex);
    snprintf(out, BATON_EVENT_TC_MAX, BATON_EVENT_TAG " handoff=%s seq=%" PRIu64 " sha256=%s",
             ev->handoff_id, ev->seq, hex);
    return 0;
}

BATON_API int baton_event_sign(const baton_minisign_seckey *sk, const baton_event *ev, char **line,
                               size_t *linelen, char **minisig, size_t *siglen, char *err,
                               size_t errlen)
{
    char tc[BATON_EVENT_TC_MAX];
    char *sig = NULL;
    *minisig = NULL;
    int rc = baton_event_encode(ev, line, linelen, err, errlen);
    if (rc != 0)
        return rc;
    rc = baton_event_trusted_comment(ev, *line, *linelen, tc, err, errlen);
    if (rc == 0)
        rc = baton_minisign_sign_buffer(sk, *line, *linelen, "signature from baton event key", tc,
                                        &sig, siglen, err, errlen);
    if (rc == 0 && (*minisig = strndup(sig, *siglen)) == NULL)
        rc = baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    baton_minisign_text_free(sig);
    if (rc != 0) {
        free(*line);
        *line = NULL;
    }
    return rc;
}

BATON_API int baton_event_verify(const baton_minisign_pubkey *pub, const char *line, size_t linelen,
                                 const char *minisig, size_t siglen, baton_event *ev, char *err,
                                 size_t errlen)
{
    char want[BATON_EVENT_TC_MAX];
    baton_event_clear(ev);
    baton_minisign_sig *sig = malloc(sizeof *sig);
    if (sig == NULL)
        return baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    int rc = baton_minisign_sig_parse(minisig, siglen, sig, err, errlen);
    if (rc != 0)
        rc = BATON_EINVAL;
    else if (memcmp(sig->keynum, pub->keynum, sizeof pub->keynum) != 0)
        rc = baton__fail(err, errlen, BATON_EDENIED, "the event is signed by another key");
    else if (baton_minisign_verify_buffer(pub, line, linelen, minisig, siglen, NULL, 0, err,
                                          errlen) != 0)
        rc = BATON_ECRYPTO;
    else if ((rc = baton_event_decode(line, linelen, ev, err, errlen)) == 0) {
        rc = baton_event_trusted_comment(ev, line, linelen, want, err, errlen);
        if (rc == 0 && strcmp(sig->trusted_comment, want) != 0)
            rc = baton__fail(err, errlen, BATON_ECRYPTO,
                             "the signature's trusted comment does not describe this event "
                             "(expected \"%s\")",
                             want);
        if (rc != 0)
            baton_event_clear(ev);
    }
    free(sig);
    return rc;
}

BATON_API int baton_event_chain_check(const baton_event *ev, const char *prev, size_t prevlen,
                                      char *err, size_t errlen)
{
    if (prev == NULL) {
        if (ev->seq != 1)
            return baton__fail(err, errlen, BATON_EINVAL,
                               "seq: %" PRIu64 " but %s has no earlier event on this handoff",
                               ev->seq, ev->sender);
        if (memcmp(ev->prev_sha256, ev->tagmanifest_sha256, 32) != 0)
            return baton__fail(err, errlen, BATON_EINVAL,
                               "prev_sha256: the first event must name the package's "
                               "tagmanifest_sha256");
        return 0;
    }
    baton_event p;
    uint8_t d[32];
    baton_event_init(&p);
    int rc = baton_event_decode(prev, prevlen, &p, err, errlen);
    if (rc != 0)
        return baton__fail(err, errlen, BATON_EINVAL, "the previous event cannot be read");
    if (strcmp(p.handoff_id, ev->handoff_id) != 0 || strcmp(p.case_id, ev->case_id) != 0 ||
        strcmp(p.sender, ev->sender) != 0 || p.role != ev->role ||
        memcmp(p.tagmanifest_sha256, ev->tagmanifest_sha256, 32) != 0)
        rc = baton__fail(err, errlen, BATON_EINVAL,
                         "the previous event belongs to another sender, handoff or package");
    else if (ev->seq != p.seq + 1)
        rc = baton__fail(err, errlen, BATON_EINVAL,
                         "seq: %" PRIu64 " but %s's last event on this handoff is %" PRIu64,
                         ev->seq, ev->sender, p.seq);
    else if (baton_sha256_buffer(prev, prevlen, d) != 0)
        rc = baton__fail(err, errlen, BATON_ENOMEM, "out of memory");
    else if (memcmp(d, ev->prev_sha256, 32) != 0)
        rc = baton__fail(err, errlen, BATON_EINVAL,
                         "prev_sha256: not the hash of %s's event %" PRIu64 " on this handoff",
                         ev->sender, p.seq);
    baton_event_clear(&p);
    return rc;
}
