/*
 * text.c - how the northwind plugin writes money and dates in findings and
 * letters: British English (en-GB), the SDK's baton/plugin_text.h bytes
 * written on plugins/common's straight path (text_en_gb.h).
 * Owns the choice of locale only.
 */
#include <stdio.h>

#include "northwind.h"
#include "text_en_gb.h"

void nw_money_text(baton_money m, char *buf, size_t len)
{
    bpc_money_text_en_gb(m, buf, len);
}

void nw_date_text(baton_date d, char *buf, size_t len)
{
    if (bpc_date_words_en_gb(d, buf, len) != 0)
        snprintf(buf, len, "(invalid date)");
}
