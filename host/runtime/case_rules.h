/*
 * case_rules.h - the case format's structural rules as data
 * (docs/case-format.md, docs/case.schema.json): for each object of a case,
 * its members, what each must be, which are required.
 *
 * Two readers follow these tables: case_validate.c walks a cJSON tree
 * (with the error naming the first offending member), and the one-pass
 * parser of a case's text checks each member as it reads it
 * (json_index_parse.c, bh_jindex_parse_case: yes or no). Keeping the
 * rules here, once, is what makes the two agree.
 *
 * Owns: the tables and the checks of one value both readers share. Does
 * not own: following them (the two files above), the wording of errors
 * (case_validate.c).
 */
#ifndef BH_CASE_RULES_H
#define BH_CASE_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "baton/date.h"
#include "json_index.h"

/* What a member must be. */
enum bh_case_kind {
    BH_CK_STRING,    /* any string */
    BH_CK_TEXT,      /* a non-empty string */
    BH_CK_ENUM,      /* one of arg's words (struct bh_case_word) */
    BH_CK_DATE,      /* YYYY-MM-DD in the case's date range */
    BH_CK_DATE_NULL, /* a date or null */
    BH_CK_MONEY,     /* {"amount": "12.50", "currency": "GBP"}, amount >= 0 */
    BH_CK_PRINCIPAL, /* money above zero; its currency is the claim currency */
    BH_CK_CLAIM_CCY, /* money in the claim currency */
    BH_CK_BOOL,      /* true or false */
    BH_CK_COUNT,     /* an integer >= 0 */
    BH_CK_RATE_NULL, /* basis points 0..100000, or null */
    BH_CK_OBJECT,    /* an object of shape arg */
    BH_CK_ARRAY,     /* an array whose elements are arg (a member), min..max long */
    BH_CK_CASE_ID,   /* the submitter's id */
    BH_CK_CODE,      /* a jurisdiction code */
    BH_CK_COUNTRY,   /* ISO 3166-1 alpha-2 */
    BH_CK_FORMAT,    /* "baton-case/1" */
};

struct bh_case_member {
    const char *name;       /* NULL for an array's elements */
    unsigned char name_len; /* strlen(name) */
    unsigned char kind;
    unsigned char required;
    unsigned char min, max; /* BH_CK_ARRAY: element count bounds (max 0: none) */
    const void *arg;        /* BH_CK_ENUM: words, ended by a NULL text; BH_CK_OBJECT: shape;
                               BH_CK_ARRAY: the element's member */
};

/* One value an enum member may take: its text and strlen(text). */
struct bh_case_word {
    const char *text;
    unsigned char len;
};

struct bh_case_shape {
    const struct bh_case_member *members;
    size_t count;       /* at most 32: check_object keeps a bit per member */
    uint32_t *required; /* bit i: members[i] is required (bh_case_rules_ready) */
};

/* The members of a case (the root object). */
extern const struct bh_case_shape bh_case_shape_root;

/* Fills each shape's required bits, once per process (thread-safe);
 * call before reading them. */
void bh_case_rules_ready(void);

/* The checks of one value that both walks make the same way, each true
 * when the value passes: */

/* s (NULL: not a string) is what member m of a string kind (STRING, TEXT,
 * ENUM, CASE_ID, CODE, COUNTRY, FORMAT) must be. */
int bh_case_string_ok(const struct bh_case_member *m, const char *s);

/* The word of words (ended by a NULL text) that s[0..len) spells, or
 * NULL: lengths first, then bytes. */
static inline const struct bh_case_word *bh_case_word_of(const struct bh_case_word *words,
                                                         const char *s, size_t len)
{
    for (const struct bh_case_word *w = words; w->text != NULL; w++)
        if (w->len == len && bh_jindex_key_equal(w->text, s, len))
            return w;
    return NULL;
}

/* A date already parsed (bh_date_parse) lies in BH_CASE_DATE_MIN..MAX. */
int bh_case_date_in_range(const char *date);

/* The value of the decimal digit c, or a number above 9 when c is none. */
static inline unsigned bh_case_digit_of(char c)
{
    return (unsigned)(unsigned char)c - '0';
}

/* The years BH_CASE_DATE_MIN and BH_CASE_DATE_MAX begin and end (each on
 * a year's first and last day; test_case_validate compares
 * bh_case_date_ok with bh_date_parse and bh_case_date_in_range). */
#define BH_CASE_YEAR_MIN 1900
#define BH_CASE_YEAR_MAX 2199

/* s is a date bh_date_parse takes ("YYYY-MM-DD", a real calendar day)
 * that lies in BH_CASE_DATE_MIN..MAX: the two checks above in one pass
 * over ten bytes, for the parser of a case's text (which only needs yes
 * or no; inline, as it checks each date as it reads it); the tree walk
 * keeps the two, whose errors differ. */
static inline int bh_case_date_ok(const char *s)
{
    unsigned y0, y1, y2, y3, m0, m1, d0, d1;
    /* Each byte is read only when the ones before it were digits or
     * dashes, so a shorter string stops at its NUL. */
    if ((y0 = bh_case_digit_of(s[0])) > 9 || (y1 = bh_case_digit_of(s[1])) > 9 ||
        (y2 = bh_case_digit_of(s[2])) > 9 || (y3 = bh_case_digit_of(s[3])) > 9 || s[4] != '-' ||
        (m0 = bh_case_digit_of(s[5])) > 9 || (m1 = bh_case_digit_of(s[6])) > 9 || s[7] != '-' ||
        (d0 = bh_case_digit_of(s[8])) > 9 || (d1 = bh_case_digit_of(s[9])) > 9 || s[10] != '\0')
        return 0;
    int32_t year = (int32_t)(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
    int32_t month = (int32_t)(m0 * 10 + m1), day = (int32_t)(d0 * 10 + d1);
    if (year < BH_CASE_YEAR_MIN || year > BH_CASE_YEAR_MAX || month < 1 || month > 12 || day < 1)
        return 0;
    return day <= baton_days_in_month(year, month);
}

/* Three upper-case letters, the spelling of an ISO 4217 code (whether the
 * code is known is bh_currency_exponent's). */
int bh_case_currency_spelled(const char *code);

/* An amount written with digits and an optional fraction, no sign, no
 * leading zeros, at most 21 characters ("1250.00"); its value and the
 * currency's fraction digits are bh_money_parse's. */
int bh_case_amount_spelled(const char *amount);

#endif
