/*
 * text_en_gb.h - dates in words and money as British English writes them,
 * on a straight path for the in-tree plugins that write en-GB (gb-ew,
 * northwind).
 *
 * Owns: the usual cases written directly (a date of the years 1000 to
 * 9999 in a buffer of at least 18 bytes; an amount in GBP in one of at
 * least 32), each the same bytes as the SDK's baton/plugin_text.h writes
 * for the locale "en-GB" (baton_date_words, baton_money_text); anything
 * else is handed to those functions, so the answer and the return code are
 * theirs in every case (a unit test compares the two over every date of
 * 1000 to 2200, amounts of every length and every buffer size). The SDK's
 * functions look the locale up, write a byte at a time and check the room
 * before each piece: about 250 instructions a date and 350 an amount,
 * against about 40 and 80 here. Does not own: other locales, or which
 * texts a plugin writes.
 *
 * Not SDK ABI: compiled into each in-tree plugin (see dated_table.h).
 */
#ifndef BATON_PLUGIN_COMMON_TEXT_EN_GB_H
#define BATON_PLUGIN_COMMON_TEXT_EN_GB_H

#include <stddef.h>

#include "baton/date.h"
#include "baton/money.h"

/* baton_date_words(d, "en-GB", buf, len): "2 January 2026". */
int bpc_date_words_en_gb(baton_date d, char *buf, size_t len);

/* baton_money_text(m, "en-GB", buf, len): "£12,345.67", "-£0.05". */
int bpc_money_text_en_gb(baton_money m, char *buf, size_t len);

#endif
