/*
 * text.c - how the gb-ew plugin writes money and dates in findings and
 * letters: British English (en-GB), the SDK's baton/plugin_text.h bytes
 * written on plugins/common's straight path (text_en_gb.h).
 * Owns the choice of locale only; no rule lives here.
 */
#include "gb_ew.h"
#include "text_en_gb.h"
#include "text_format.h"

void gbew_money_text(baton_money m, char *buf, size_t len)
{
    bpc_money_text_en_gb(m, buf, len);
}

void gbew_date_text(baton_date d, char *buf, size_t len)
{
    if (bpc_date_words_en_gb(d, buf, len) != 0)
        bpc_format(buf, len, "(invalid date)");
}

void gbew_date_iso(baton_date d, char *buf, size_t len)
{
    bpc_format(buf, len, "%04d-%02d-%02d", (int)d.year, (int)d.month, (int)d.day);
}
