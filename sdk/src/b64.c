/* b64.c - strict canonical base64 over libsodium's constant-time codec. */
#include "b64.h"

#include <sodium.h>
#include <string.h>

#include "baton/error.h"

static int variant(int padded)
{
    return padded ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
}

size_t baton__b64_encoded_len(size_t n, int padded)
{
    if (padded)
        return (n + 2) / 3 * 4;
    return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

void baton__b64_encode(char *out, const uint8_t *in, size_t n, int padded)
{
    sodium_bin2base64(out, sodium_base64_ENCODED_LEN(n, variant(padded)), in, n, variant(padded));
}

int baton__b64_decode(const char *s, size_t len, uint8_t *out, size_t outmax, size_t *outlen,
                      int padded)
{
    size_t n = 0;
    const char *end = NULL;

    *outlen = 0;
    if (padded ? (len % 4 != 0) : (len % 4 == 1))
        return BATON_EINVAL;
    for (size_t i = 0; i < len; i++) {
        /* Only the standard alphabet (and '=' padding): libsodium 1.0.18
         * stops at a NUL and decodes some bytes above 0x7f as if they were
         * '/' or '+', which would let two encodings stand for one value. */
        unsigned char c = (unsigned char)s[i];
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '+' || c == '/' || (padded && c == '=');
        if (!ok)
            return BATON_EINVAL;
    }
    if (sodium_base642bin(out, outmax, s, len, NULL, &n, &end, variant(padded)) != 0)
        return BATON_EINVAL;
    if (end != s + len)
        return BATON_EINVAL;
    /* libsodium rejects non-zero unused bits; the length check above and
     * this one make the encoding unique. */
    if (baton__b64_encoded_len(n, padded) != len)
        return BATON_EINVAL;
    *outlen = n;
    return 0;
}
