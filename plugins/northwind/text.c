/*
 * text.c - how the northwind plugin writes money and dates in findings and
 * letters. Formatting only.
 */
#include <stdio.h>
#include <string.h>

#include "northwind.h"

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

void nw_money_text(baton_money m, char *buf, size_t len)
{
    char digits[32], grouped[48];
    uint64_t mag = m.minor < 0 ? (uint64_t)0 - (uint64_t)m.minor : (uint64_t)m.minor;
    size_t n, g = 0;

    snprintf(digits, sizeof digits, "%llu", (unsigned long long)(mag / 100));
    n = strlen(digits);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[g++] = ',';
        grouped[g++] = digits[i];
    }
    grouped[g] = '\0';
    if (strcmp(m.currency, "GBP") == 0)
        snprintf(buf, len, "%s\xc2\xa3%s.%02llu", m.minor < 0 ? "-" : "", grouped,
                 (unsigned long long)(mag % 100));
    else
        snprintf(buf, len, "%s%s.%02llu %s", m.minor < 0 ? "-" : "", grouped,
                 (unsigned long long)(mag % 100), m.currency);
}

void nw_date_text(baton_date d, char *buf, size_t len)
{
    if (!baton_date_valid(d)) {
        snprintf(buf, len, "(invalid date)");
        return;
    }
    snprintf(buf, len, "%d %s %d", (int)d.day, month_names[d.month - 1], (int)d.year);
}
