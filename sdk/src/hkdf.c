/* hkdf.c - HKDF-SHA256 per RFC 5869 sections 2.2 (extract) and 2.3 (expand). */
#include "hkdf.h"

#include <sodium.h>
#include <string.h>

#include "baton/error.h"

int baton__hkdf_sha256(uint8_t *out, size_t outlen, const uint8_t *ikm, size_t ikmlen,
                       const uint8_t *salt, size_t saltlen, const uint8_t *info, size_t infolen)
{
    static const uint8_t zero_salt[crypto_auth_hmacsha256_BYTES];
    uint8_t prk[crypto_auth_hmacsha256_BYTES];
    uint8_t t[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    size_t done = 0;
    uint8_t counter = 1;

    if (outlen > 255 * sizeof t)
        return BATON_EINVAL;
    if (saltlen == 0) {
        salt = zero_salt;
        saltlen = sizeof zero_salt;
    }
    /* Extract: PRK = HMAC-Hash(salt, IKM). */
    crypto_auth_hmacsha256_init(&st, salt, saltlen);
    crypto_auth_hmacsha256_update(&st, ikm, ikmlen);
    crypto_auth_hmacsha256_final(&st, prk);

    /* Expand: T(i) = HMAC-Hash(PRK, T(i-1) | info | i). */
    while (done < outlen) {
        size_t take = outlen - done < sizeof t ? outlen - done : sizeof t;
        crypto_auth_hmacsha256_init(&st, prk, sizeof prk);
        if (counter > 1)
            crypto_auth_hmacsha256_update(&st, t, sizeof t);
        if (infolen > 0)
            crypto_auth_hmacsha256_update(&st, info, infolen);
        crypto_auth_hmacsha256_update(&st, &counter, 1);
        crypto_auth_hmacsha256_final(&st, t);
        memcpy(out + done, t, take);
        done += take;
        counter++;
    }
    sodium_memzero(prk, sizeof prk);
    sodium_memzero(t, sizeof t);
    sodium_memzero(&st, sizeof st);
    return 0;
}
