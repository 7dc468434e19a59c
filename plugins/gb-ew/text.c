/*
 * text.c - how the gb-ew plugin writes money and dates in findings and
 * letters. Owns formatting only; no rule lives here.
 */
#include <stdio.h>
#include <string.h>

#include "gb_ew.h"

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

void gbew_money_text(baton_money m, char *buf, size_t len)
{
    char digits[32];
    char grouped[48];
    uint64_t mag = m.minor < 0 ? (uint64_t)0 - (uint64_t)m.minor : (uint64_t)m.minor;
    uint64_t whole = mag / 100, frac = mag % 100;
    size_t n, g = 0;

    snprintf(digits, sizeof digits, "%llu", (unsigned long long)whole);
    n = strlen(digits);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[g++] = ',';
        grouped[g++] = digits[i];
    }
    grouped[g] = '\0';
    if (strcmp(m.currency, "GBP") == 0)
        snprintf(buf, len, "%s\xc2\xa3%s.%02llu", m.minor < 0 ? "-" : "", grouped,
                 (unsigned long long)frac);
    else
        snprintf(buf, len, "%s%s.%02llu %s", m.minor < 0 ? "-" : "", grouped,
                 (unsigned long long)frac, m.currency);
}

void gbew_date_text(baton_date d, char *buf, size_t len)
{
    if (!baton_date_valid(d)) {
        snprintf(buf, len, "(invalid date)");
        return;
    }
    snprintf(buf, len, "%d %s %d", (int)d.day, month_names[d.month - 1], (int)d.year);
}

void gbew_date_iso(baton_date d, char *buf, size_t len)
{
    snprintf(buf, len, "%04d-%02d-%02d", (int)d.year, (int)d.month, (int)d.day);
}
