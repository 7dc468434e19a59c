/*
 * money_text.h - money as text: ISO 4217 minor-unit exponents, parsing the
 * decimal strings of the case format ("1250.00") into int64 minor units, and
 * formatting minor units back. No floating point anywhere.
 */
#ifndef BH_MONEY_TEXT_H
#define BH_MONEY_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "baton/error.h"
#include "baton/money.h"

/* Minor-unit digits of an ISO 4217 code (GBP 2, JPY 0, BHD 3), or -1 when
 * the code is not one Baton knows. */
int bh_currency_exponent(const char *code);

/*
 * Parses amount ("1250", "1250.5", "1250.50", "-3.10") in currency into *out.
 * Refuses (BATON_EINVAL, with the reason in err) an unknown currency, more
 * fraction digits than the currency has, signs other than a leading '-',
 * exponents, spaces, thousands separators and empty strings; BATON_ERANGE
 * when the amount does not fit int64 minor units.
 */
int bh_money_parse(const char *amount, const char *currency, baton_money *out, char *err,
                   size_t errlen);

/* Bytes bh_money_put may write: a sign, 20 digits and a point. */
#define BH_MONEY_TEXT_MAX 24

/* Writes minor units as a decimal amount with exponent fraction digits
 * (0, 2 or 3, the exponents of the codes Baton knows; any other is taken
 * as 2) at out, no NUL, and returns its length: "1250.50", "-0.05",
 * "1000" for exponent 0. out has room for BH_MONEY_TEXT_MAX bytes. For
 * callers that know the exponent and write the text into a larger one
 * (the answer's totals). */
size_t bh_money_put(char *out, int64_t minor, int exponent);

/* Writes m's amount as a decimal string with the currency's digits
 * ("1250.50"). Returns 0, or BATON_ELIMIT when buf is too small. */
int bh_money_format(baton_money m, char *buf, size_t len);

#endif
