/*
 * text.c - how the northwind plugin writes money and dates in findings and
 * letters: British English (en-GB) through the SDK's baton/plugin_text.h.
 * Owns the choice of locale only.
 */
#include <stdio.h>

#include "baton/plugin_text.h"
#include "northwind.h"

void nw_money_text(baton_money m, char *buf, size_t len)
{
    baton_money_text(m, "en-GB", buf, len);
}

void nw_date_text(baton_date d, char *buf, size_t len)
{
    if (baton_date_words(d, "en-GB", buf, len) != 0)
        snprintf(buf, len, "(invalid date)");
}
