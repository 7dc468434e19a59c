/* bech32.c - BIP-173 Bech32 encode/decode (checksum constant 1). */
#include "bech32.h"

#include <string.h>

#include "baton/error.h"

static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static uint32_t polymod_step(uint32_t pre)
{
    uint8_t b = (uint8_t)(pre >> 25);
    return ((pre & 0x1ffffff) << 5) ^ (-((b >> 0) & 1) & 0x3b6a57b2UL) ^
           (-((b >> 1) & 1) & 0x26508e6dUL) ^ (-((b >> 2) & 1) & 0x1ea119faUL) ^
           (-((b >> 3) & 1) & 0x3d4233ddUL) ^ (-((b >> 4) & 1) & 0x2a1462b3UL);
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static uint32_t hrp_polymod(const char *hrp, size_t hrplen)
{
    uint32_t chk = 1;
    for (size_t i = 0; i < hrplen; i++)
        chk = polymod_step(chk) ^ ((uint32_t)lower((unsigned char)hrp[i]) >> 5);
    chk = polymod_step(chk);
    for (size_t i = 0; i < hrplen; i++)
        chk = polymod_step(chk) ^ ((uint32_t)lower((unsigned char)hrp[i]) & 0x1f);
    return chk;
}

int baton__bech32_encode(char *out, size_t outmax, const char *hrp, const uint8_t *data, size_t len,
                         int upper)
{
    size_t hrplen = strlen(hrp);
    size_t nwords = (len * 8 + 4) / 5;
    size_t total = hrplen + 1 + nwords + 6;
    uint32_t chk;
    uint32_t acc = 0;
    int bits = 0;
    size_t pos;

    if (hrplen == 0 || total > BATON_BECH32_MAX || total + 1 > outmax)
        return BATON_EINVAL;
    for (size_t i = 0; i < hrplen; i++) {
        unsigned char c = (unsigned char)hrp[i];
        if (c < 33 || c > 126 || (c >= 'A' && c <= 'Z'))
            return BATON_EINVAL;
        out[i] = (char)c;
    }
    out[hrplen] = '1';
    pos = hrplen + 1;
    chk = hrp_polymod(hrp, hrplen);
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | data[i];
        bits += 8;
        while (bits >= 5) {
            uint32_t v = (acc >> (bits - 5)) & 0x1f;
            bits -= 5;
            chk = polymod_step(chk) ^ v;
            out[pos++] = charset[v];
        }
    }
    if (bits > 0) {
        uint32_t v = (acc << (5 - bits)) & 0x1f;
        chk = polymod_step(chk) ^ v;
        out[pos++] = charset[v];
    }
    for (int i = 0; i < 6; i++)
        chk = polymod_step(chk);
    chk ^= 1;
    for (int i = 0; i < 6; i++)
        out[pos++] = charset[(chk >> (5 * (5 - i))) & 0x1f];
    out[pos] = '\0';
    if (upper) {
        for (size_t i = 0; i < pos; i++) {
            if (out[i] >= 'a' && out[i] <= 'z')
                out[i] = (char)(out[i] - 'a' + 'A');
        }
    }
    return 0;
}

int baton__bech32_decode(const char *s, size_t len, char *hrp, size_t hrpmax, uint8_t *data,
                         size_t datamax, size_t *datalen)
{
    int has_lower = 0, has_upper = 0;
    size_t sep = 0;
    int found = 0;
    uint32_t chk;
    uint32_t acc = 0;
    int bits = 0;
    size_t n = 0;

    *datalen = 0;
    if (len > BATON_BECH32_MAX || len < 8)
        return BATON_EINVAL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 33 || c > 126)
            return BATON_EINVAL;
        if (c >= 'a' && c <= 'z')
            has_lower = 1;
        if (c >= 'A' && c <= 'Z')
            has_upper = 1;
        if (c == '1') {
            sep = i;
            found = 1;
        }
    }
    if (has_lower && has_upper)
        return BATON_EINVAL;
    /* At least one HRP character and six checksum characters. */
    if (!found || sep < 1 || sep + 7 > len || sep + 1 > hrpmax)
        return BATON_EINVAL;
    memcpy(hrp, s, sep);
    hrp[sep] = '\0';
    chk = hrp_polymod(s, sep);
    for (size_t i = sep + 1; i < len; i++) {
        const char *p = strchr(charset, lower((unsigned char)s[i]));
        uint32_t v;
        if (p == NULL || *p == '\0')
            return BATON_EINVAL;
        v = (uint32_t)(p - charset);
        chk = polymod_step(chk) ^ v;
        if (i + 6 < len) {
            acc = (acc << 5) | v;
            bits += 5;
            if (bits >= 8) {
                if (n >= datamax)
                    return BATON_EINVAL;
                data[n++] = (uint8_t)(acc >> (bits - 8));
                bits -= 8;
            }
            acc &= (1u << bits) - 1;
        }
    }
    if (chk != 1)
        return BATON_EINVAL;
    /* Conversion padding: fewer than 5 leftover bits, all zero. */
    if (bits >= 5 || acc != 0)
        return BATON_EINVAL;
    *datalen = n;
    return 0;
}
