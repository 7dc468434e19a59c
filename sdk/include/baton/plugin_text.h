/*
 * baton/plugin_text.h - money, rates and dates written the way letters and
 * findings print them, per locale (SDK 1.1; header-only).
 *
 * What plugins kept rewriting: an amount with its currency in the reader's
 * conventions, a rate held in basis points as a percentage, a date in
 * words. Everything here is inline, pure integer code in the plugin: no
 * host function, so it works with any host minor (also for a plugin that
 * targets 1.0), in process and isolated alike, and adds nothing to the ABI.
 *
 * Locales (a BCP 47 tag; the language alone means its first country):
 *
 *   tag          money, home currency       money, other        date in words      rate
 *   en-GB, en    £1,234.56   -£1,234.56     1,234.56 EUR        2 January 2026     8.25%
 *   en-IE        €1,234.56   -€1,234.56     1,234.56 GBP        2 January 2026     8.25%
 *   en-US        $1,234.56   -$1,234.56     1,234.56 EUR        January 2, 2026    8.25%
 *   de-DE, de    1.234,56 €  -1.234,56 €    1.234,56 USD        2. Januar 2026     8,25 %
 *   de-AT        € 1.234,56  -€ 1.234,56    1.234,56 USD        2. Jänner 2026     8,25 %
 *   nl-NL, nl    € 1.234,56  € -1.234,56    1.234,56 USD        2 januari 2026     8,25%
 *   nl-BE        € 1.234,56  € -1.234,56    1.234,56 USD        2 januari 2026     8,25%
 *
 * The patterns are CLDR's (Unicode CLDR, locale data for the currency,
 * percent and long date formats of these locales), with two decisions of
 * Baton's: the space around a symbol or before "%" is a plain U+0020, not
 * CLDR's no-break space, so texts compare and search simply; and only the
 * locale's home currency is written with its symbol - any other currency
 * is written as the number and its ISO 4217 code ("1,234.56 EUR"), because
 * in a legal letter "$" or "kr" must not leave open which currency is
 * meant. Minor digits follow ISO 4217: 0 for CLP, ISK, JPY and KRW, 3 for
 * BHD, JOD, KWD, OMR and TND, 2 for every other code.
 *
 * Every function writes a NUL-terminated text into buf and returns 0, or
 * BATON_EINVAL (unknown locale, a currency that is not three capital
 * letters, an invalid date) or BATON_ELIMIT (buf too small; BATON_TEXT_MAX
 * bytes are always enough), leaving "" in buf on failure.
 */
#ifndef BATON_PLUGIN_TEXT_H
#define BATON_PLUGIN_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "baton/date.h"
#include "baton/error.h"
#include "baton/money.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A buffer this long holds any text of this header. */
#define BATON_TEXT_MAX 64

/* One locale's conventions (what the table above shows). */
typedef struct baton_text_locale {
    const char *tag;
    char home[4];       /* the currency written with its symbol */
    const char *symbol; /* that symbol, UTF-8 */
    char group;         /* thousands separator */
    char decimal;       /* decimal separator */
    int symbol_first;   /* 1: "£1.00" / "€ 1,00"; 0: "1,00 €" */
    int symbol_space;   /* a space between symbol and number */
    int sign_inside;    /* 1: "€ -1,00" (sign after the symbol) */
    int months;         /* 0 English, 1 German, 2 Austrian German, 3 Dutch */
    int date_style;     /* 0 "2 January 2026", 1 "January 2, 2026", 2 "2. Januar 2026" */
    int percent_space;  /* "8,25 %" */
} baton_text_locale;

/* The conventions of tag, or NULL when this header does not know it. */
static inline const baton_text_locale *baton_text_locale_find(const char *tag)
{
    static const baton_text_locale locales[] = {
        {"en-GB", "GBP", "\xc2\xa3", ',', '.', 1, 0, 0, 0, 0, 0},
        {"en", "GBP", "\xc2\xa3", ',', '.', 1, 0, 0, 0, 0, 0},
        {"en-IE", "EUR", "\xe2\x82\xac", ',', '.', 1, 0, 0, 0, 0, 0},
        {"en-US", "USD", "$", ',', '.', 1, 0, 0, 0, 1, 0},
        {"de-DE", "EUR", "\xe2\x82\xac", '.', ',', 0, 1, 0, 1, 2, 1},
        {"de", "EUR", "\xe2\x82\xac", '.', ',', 0, 1, 0, 1, 2, 1},
        {"de-AT", "EUR", "\xe2\x82\xac", '.', ',', 1, 1, 0, 2, 2, 1},
        {"nl-NL", "EUR", "\xe2\x82\xac", '.', ',', 1, 1, 1, 3, 0, 0},
        {"nl", "EUR", "\xe2\x82\xac", '.', ',', 1, 1, 1, 3, 0, 0},
        {"nl-BE", "EUR", "\xe2\x82\xac", '.', ',', 1, 1, 1, 3, 0, 0},
    };
    size_t i;
    for (i = 0; tag != NULL && i < sizeof locales / sizeof locales[0]; i++) {
        if (strcmp(tag, locales[i].tag) == 0)
            return &locales[i];
    }
    return NULL;
}

/* ISO 4217 minor digits of a three-letter code (see above). */
static inline int baton_currency_digits(const char *code)
{
    static const char zero[] = "CLP ISK JPY KRW ";
    static const char three[] = "BHD JOD KWD OMR TND ";
    size_t i;
    for (i = 0; i + 3 < sizeof zero; i += 4) {
        if (memcmp(code, zero + i, 3) == 0)
            return 0;
    }
    for (i = 0; i + 3 < sizeof three; i += 4) {
        if (memcmp(code, three + i, 3) == 0)
            return 3;
    }
    return 2;
}

/* Appends s to buf at *o; 0, or -1 (and nothing appended) when it does
 * not fit with its NUL. */
static inline int baton_text_put(char *buf, size_t len, size_t *o, const char *s, size_t n)
{
    if (*o + n + 1 > len)
        return -1;
    memcpy(buf + *o, s, n);
    *o += n;
    buf[*o] = '\0';
    return 0;
}

static inline int baton_text_fail(char *buf, size_t len, int rc)
{
    if (len > 0)
        buf[0] = '\0';
    return rc;
}

/* mag / 10^digits grouped, then the decimals: "1,234.56" (no sign). */
static inline int baton_text_number(uint64_t mag, int digits, char group, char decimal, char *buf,
                                    size_t len, size_t *o)
{
    char rev[40];
    size_t n = 0, k;
    int d;
    uint64_t scale = 1;
    for (d = 0; d < digits; d++)
        scale *= 10;
    uint64_t whole = mag / scale, frac = mag % scale;
    do {
        if (n > 0 && n % 4 == 3)
            rev[n++] = group;
        rev[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole > 0);
    for (k = 0; k < n; k++) {
        if (baton_text_put(buf, len, o, &rev[n - 1 - k], 1) != 0)
            return -1;
    }
    if (digits > 0) {
        char f[8];
        f[0] = decimal;
        for (d = digits; d > 0; d--) {
            f[d] = (char)('0' + frac % 10);
            frac /= 10;
        }
        if (baton_text_put(buf, len, o, f, (size_t)digits + 1) != 0)
            return -1;
    }
    return 0;
}

/* m as the locale writes it (see the table at the top). */
static inline int baton_money_text(baton_money m, const char *locale, char *buf, size_t len)
{
    const baton_text_locale *l = baton_text_locale_find(locale);
    uint64_t mag = baton_u64_magnitude(m.minor);
    size_t o = 0;
    int i, home, err = 0;
    if (len > 0)
        buf[0] = '\0';
    if (l == NULL)
        return baton_text_fail(buf, len, BATON_EINVAL);
    for (i = 0; i < 3; i++) {
        if (m.currency[i] < 'A' || m.currency[i] > 'Z')
            return baton_text_fail(buf, len, BATON_EINVAL);
    }
    if (m.currency[3] != '\0')
        return baton_text_fail(buf, len, BATON_EINVAL);
    home = memcmp(m.currency, l->home, 3) == 0;
    if (home && l->symbol_first) {
        if (m.minor < 0 && !l->sign_inside)
            err |= baton_text_put(buf, len, &o, "-", 1);
        err |= baton_text_put(buf, len, &o, l->symbol, strlen(l->symbol));
        if (l->symbol_space)
            err |= baton_text_put(buf, len, &o, " ", 1);
        if (m.minor < 0 && l->sign_inside)
            err |= baton_text_put(buf, len, &o, "-", 1);
    } else if (m.minor < 0) {
        err |= baton_text_put(buf, len, &o, "-", 1);
    }
    err |= baton_text_number(mag, baton_currency_digits(m.currency), l->group, l->decimal, buf, len,
                             &o);
    if (!home) {
        err |= baton_text_put(buf, len, &o, " ", 1);
        err |= baton_text_put(buf, len, &o, m.currency, 3);
    } else if (!l->symbol_first) {
        if (l->symbol_space)
            err |= baton_text_put(buf, len, &o, " ", 1);
        err |= baton_text_put(buf, len, &o, l->symbol, strlen(l->symbol));
    }
    return err != 0 ? baton_text_fail(buf, len, BATON_ELIMIT) : 0;
}

/* A rate in basis points as a percentage with two decimals: 825 is
 * "8.25%" (en), "8,25 %" (de), "8,25%" (nl). */
static inline int baton_bp_text(int64_t bp, const char *locale, char *buf, size_t len)
{
    const baton_text_locale *l = baton_text_locale_find(locale);
    size_t o = 0;
    int err = 0;
    if (len > 0)
        buf[0] = '\0';
    if (l == NULL)
        return baton_text_fail(buf, len, BATON_EINVAL);
    if (bp < 0)
        err |= baton_text_put(buf, len, &o, "-", 1);
    err |= baton_text_number(baton_u64_magnitude(bp), 2, l->group, l->decimal, buf, len, &o);
    if (l->percent_space)
        err |= baton_text_put(buf, len, &o, " ", 1);
    err |= baton_text_put(buf, len, &o, "%", 1);
    return err != 0 ? baton_text_fail(buf, len, BATON_ELIMIT) : 0;
}

/* Writes a small non-negative number in decimal. */
static inline int baton_text_uint(uint32_t v, char *buf, size_t len, size_t *o)
{
    char rev[12];
    size_t n = 0, k;
    do {
        rev[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    for (k = 0; k < n; k++) {
        if (baton_text_put(buf, len, o, &rev[n - 1 - k], 1) != 0)
            return -1;
    }
    return 0;
}

/* d in words as the locale writes it: "2 January 2026", "January 2, 2026",
 * "2. Januar 2026", "2 januari 2026". */
static inline int baton_date_words(baton_date d, const char *locale, char *buf, size_t len)
{
    static const char *const names[4][12] = {
        {"January", "February", "March", "April", "May", "June", "July", "August", "September",
         "October", "November", "December"},
        {"Januar", "Februar", "M\xc3\xa4rz", "April", "Mai", "Juni", "Juli", "August", "September",
         "Oktober", "November", "Dezember"},
        {"J\xc3\xa4nner", "Februar", "M\xc3\xa4rz", "April", "Mai", "Juni", "Juli", "August",
         "September", "Oktober", "November", "Dezember"},
        {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
         "oktober", "november", "december"},
    };
    const baton_text_locale *l = baton_text_locale_find(locale);
    const char *month;
    size_t o = 0;
    int err = 0;
    if (len > 0)
        buf[0] = '\0';
    if (l == NULL || !baton_date_valid(d))
        return baton_text_fail(buf, len, BATON_EINVAL);
    month = names[l->months][d.month - 1];
    if (l->date_style == 1) {
        err |= baton_text_put(buf, len, &o, month, strlen(month));
        err |= baton_text_put(buf, len, &o, " ", 1);
        err |= baton_text_uint((uint32_t)d.day, buf, len, &o);
        err |= baton_text_put(buf, len, &o, ", ", 2);
    } else {
        err |= baton_text_uint((uint32_t)d.day, buf, len, &o);
        err |= baton_text_put(buf, len, &o, l->date_style == 2 ? ". " : " ",
                              l->date_style == 2 ? 2 : 1);
        err |= baton_text_put(buf, len, &o, month, strlen(month));
        err |= baton_text_put(buf, len, &o, " ", 1);
    }
    err |= baton_text_uint((uint32_t)d.year, buf, len, &o);
    return err != 0 ? baton_text_fail(buf, len, BATON_ELIMIT) : 0;
}

#ifdef __cplusplus
}
#endif

#endif
