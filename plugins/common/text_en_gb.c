/*
 * text_en_gb.c - en-GB dates and money on a straight path (see
 * text_en_gb.h).
 */
#include "text_en_gb.h"

#include <stdint.h>
#include <string.h>

#include "baton/plugin_text.h"

/* Month names padded to ten bytes, so nine are always there to copy. */
static const char month_name[12][10] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};
static const unsigned char month_len[12] = {7, 8, 5, 5, 3, 4, 4, 6, 9, 7, 8, 8};

int bpc_date_words_en_gb(baton_date d, char *buf, size_t len)
{
    char *o = buf;
    unsigned y;
    if (len < 18 || d.year < 1000 || !baton_date_valid(d))
        return baton_date_words(d, "en-GB", buf, len);
    /* "30 September 2031": at most 17 bytes and the NUL. */
    if (d.day >= 10)
        *o++ = (char)('0' + d.day / 10);
    *o++ = (char)('0' + d.day % 10);
    *o++ = ' ';
    memcpy(o, month_name[d.month - 1], 9);
    o += month_len[d.month - 1];
    *o++ = ' ';
    y = (unsigned)d.year;
    o[0] = (char)('0' + y / 1000);
    o[1] = (char)('0' + y / 100 % 10);
    o[2] = (char)('0' + y / 10 % 10);
    o[3] = (char)('0' + y % 10);
    o[4] = '\0';
    return 0;
}

int bpc_money_text_en_gb(baton_money m, char *buf, size_t len)
{
    char digits[32], *e = digits + sizeof digits, *d = e;
    uint64_t mag, whole;
    unsigned frac;
    size_t n;
    char *o = buf;
    if (len < 32 || memcmp(m.currency, "GBP", 4) != 0)
        return baton_money_text(m, "en-GB", buf, len);
    /* The pound sign first, the sign before it, a comma every three
     * digits, two decimals: at most "-£92,233,720,368,547,758.08", 29 bytes
     * and the NUL. */
    mag = baton_u64_magnitude(m.minor);
    whole = mag / 100;
    frac = (unsigned)(mag % 100);
    *--d = (char)('0' + frac % 10);
    *--d = (char)('0' + frac / 10);
    *--d = '.';
    while (whole >= 1000) {
        unsigned g = (unsigned)(whole % 1000);
        whole /= 1000;
        d -= 4;
        d[0] = ',';
        d[1] = (char)('0' + g / 100);
        d[2] = (char)('0' + g / 10 % 10);
        d[3] = (char)('0' + g % 10);
    }
    do {
        *--d = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole > 0);
    if (m.minor < 0)
        *o++ = '-';
    *o++ = '\xc2';
    *o++ = '\xa3';
    n = (size_t)(e - d);
    memcpy(o, d, n);
    o[n] = '\0';
    return 0;
}
