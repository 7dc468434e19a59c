/*
 * text.c - how the gb-ew plugin writes money and dates in findings and
 * letters: British English (en-GB) through the SDK's baton/plugin_text.h.
 * Owns the choice of locale only; no rule lives here.
 */
#include "baton/plugin_text.h"
#include "gb_ew.h"
#include "text_format.h"

void gbew_money_text(baton_money m, char *buf, size_t len)
{
    baton_money_text(m, "en-GB", buf, len);
}

void gbew_date_text(baton_date d, char *buf, size_t len)
{
    if (baton_date_words(d, "en-GB", buf, len) != 0)
        bpc_format(buf, len, "(invalid date)");
}

void gbew_date_iso(baton_date d, char *buf, size_t len)
{
    bpc_format(buf, len, "%04d-%02d-%02d", (int)d.year, (int)d.month, (int)d.day);
}
