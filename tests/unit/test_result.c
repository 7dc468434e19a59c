/*
 * test_result.c - the result builders (result.h, builder_rules.h): every
 * refusal's code and reason (SDK 1.1 last_error) word for word, which of
 * two broken rules a call is refused for, that a refused call leaves no
 * trace and a successful one leaves the last reason standing, and the
 * bytes of the answer the builders' records write.
 *
 * The expected reasons were taken from the builders as they were before
 * the fact path, the finding path and the currency lookup were made
 * cheaper (docs/performance.md): those changes must not move a byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call_reason.h"
#include "case_view.h"
#include "result.h"

#define MAX53 INT64_C(9007199254740992)

/* The refusal of call: its code and this thread's reason after it. */
static void refused_as(int rc, const char *call, int want_rc, const char *want_reason)
{
    if (rc != want_rc)
        fail_msg("%s: answered %d, want %d", call, rc, want_rc);
    if (strcmp(bh_reason_last(), want_reason) != 0)
        fail_msg("%s: reason\n  \"%s\"\nwant\n  \"%s\"", call, bh_reason_last(), want_reason);
}

#define REFUSES(call, want_rc, want_reason)                                                        \
    do {                                                                                           \
        bh_reason_clear();                                                                         \
        refused_as((call), #call, (want_rc), (want_reason));                                       \
    } while (0)

/* The answer's three members as bh_result_write writes them (the caller
 * frees). */
static char *text_of(const baton_result *r)
{
    bh_jw w;
    size_t len;
    assert_int_equal(bh_jw_init(&w, 64), 0);
    bh_result_write(r, &w);
    char *text = bh_jw_take(&w, &len);
    assert_non_null(text);
    return text;
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static baton_money money_raw(int64_t minor, const char cur[4])
{
    baton_money m;
    m.minor = minor;
    memcpy(m.currency, cur, 4);
    return m;
}

static void every_finding_and_line_item_refusal_reads_as_before(void **state)
{
    (void)state;
    baton_result *r = bh_result_new();
    char *a65 = repeat('a', 65), *bad70 = repeat('b', 70), *long_bad = repeat('Q', 100);
    bad70[66] = 'X';
    assert_non_null(r);
    bh_result_set_plugin(r, "p");

    REFUSES(bh_result_finding(NULL, "c", "d", BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "result_finding: no result to write to");
    REFUSES(bh_result_finding(r, NULL, "code", BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "finding category: NULL, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_finding(r, "", "code", BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "finding category \"\": empty, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_finding(r, "Cat", "code", BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "finding category \"Cat\": not [a-z0-9_-]{1,64} (byte 0)");
    REFUSES(bh_result_finding(r, "cat egory", "code", BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "finding category \"cat egory\": not [a-z0-9_-]{1,64} (byte 3)");
    REFUSES(bh_result_finding(r, a65, "code", BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "finding category \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"...: 65 bytes, "
            "at most 64 ([a-z0-9_-]{1,64})");
    REFUSES(bh_result_finding(r, bad70, "code", BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "finding category \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"...: not "
            "[a-z0-9_-]{1,64} (byte 66)");
    REFUSES(bh_result_finding(r, "c", NULL, BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "finding code: NULL, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_finding(r, "Bad", "Worse", BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "finding category \"Bad\": not [a-z0-9_-]{1,64} (byte 0)");
    REFUSES(bh_result_finding(r, "c", "Final demand", BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "finding code \"Final demand\": not [a-z0-9_-]{1,64} (byte 0)");
    REFUSES(bh_result_finding(r, "c", "a\x01\"q\\", BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "finding code \"a\\x01\\\"q\\\\\": not [a-z0-9_-]{1,64} (byte 1)");
    REFUSES(bh_result_finding(r, "c", "caf\xc3\xa9", BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "finding code \"caf\xc3\xa9\": not [a-z0-9_-]{1,64} (byte 3)");
    REFUSES(bh_result_finding(r, "c", long_bad, BATON_FINDING_MET, "t", NULL), BATON_EINVAL,
            "finding code \"QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\"...: not "
            "[a-z0-9_-]{1,64} (byte 0)");
    REFUSES(bh_result_finding(r, "c", "d", (enum baton_finding_status)0, "t", NULL), BATON_EINVAL,
            "finding d: status 0 is not BATON_FINDING_MET..BATON_FINDING_WARN (1..5)");
    REFUSES(bh_result_finding(r, "c", "d", (enum baton_finding_status)6, "t", NULL), BATON_EINVAL,
            "finding d: status 6 is not BATON_FINDING_MET..BATON_FINDING_WARN (1..5)");
    REFUSES(bh_result_finding(r, "c", "d", (enum baton_finding_status) - 1, NULL, NULL),
            BATON_EINVAL,
            "finding d: status -1 is not BATON_FINDING_MET..BATON_FINDING_WARN (1..5)");
    REFUSES(bh_result_finding(r, "c", "d", BATON_FINDING_WARN, NULL, "basis"), BATON_EINVAL,
            "finding d: text is NULL");

    REFUSES(bh_result_line_item(NULL, "other", "l", baton_money_make(1, "GBP"), NULL), BATON_EINVAL,
            "result_line_item: no result to write to");
    REFUSES(bh_result_line_item(r, NULL, "l", baton_money_make(1, "GBP"), NULL), BATON_EINVAL,
            "line item kind NULL: not court_fee, lawyer_fee, interest, compensation, commission, "
            "principal or other");
    REFUSES(bh_result_line_item(r, "fee", "l", baton_money_make(1, "GBP"), NULL), BATON_EINVAL,
            "line item kind \"fee\": not court_fee, lawyer_fee, interest, compensation, "
            "commission, principal or other");
    REFUSES(bh_result_line_item(r, "court_fee ", "l", baton_money_make(1, "GBP"), NULL),
            BATON_EINVAL,
            "line item kind \"court_fee \": not court_fee, lawyer_fee, interest, compensation, "
            "commission, principal or other");
    REFUSES(bh_result_line_item(r, "court_fe", "l", baton_money_make(1, "GBP"), NULL), BATON_EINVAL,
            "line item kind \"court_fe\": not court_fee, lawyer_fee, interest, compensation, "
            "commission, principal or other");
    REFUSES(bh_result_line_item(r, "other", NULL, baton_money_make(1, "XXX"), NULL), BATON_EINVAL,
            "line item other: label is NULL");
    REFUSES(bh_result_line_item(r, "other", "l", baton_money_make(1, "XXX"), NULL), BATON_EINVAL,
            "line item amount: currency \"XXX\" is not an ISO 4217 code Baton knows");
    REFUSES(bh_result_line_item(r, "other", "l", baton_money_make(1, "gbp"), NULL), BATON_EINVAL,
            "line item amount: currency \"gbp\" is not an ISO 4217 code Baton knows");
    REFUSES(bh_result_line_item(r, "other", "l", baton_money_make(1, "GB"), NULL), BATON_EINVAL,
            "line item amount: currency \"GB\" is not an ISO 4217 code Baton knows");
    REFUSES(bh_result_line_item(r, "other", "l", money_raw(1, "GBPX"), NULL), BATON_EINVAL,
            "line item amount: currency \"GBP\" is not an ISO 4217 code Baton knows");
    REFUSES(bh_result_line_item(r, "other", "l", baton_money_make(MAX53 + 1, "GBP"), NULL),
            BATON_EINVAL, "line item amount: 9007199254740993 minor units, beyond +-2^53");
    REFUSES(bh_result_line_item(r, "other", "l", baton_money_make(-MAX53 - 1, "JPY"), NULL),
            BATON_EINVAL, "line item amount: -9007199254740993 minor units, beyond +-2^53");

    /* Nothing refused was kept. */
    char *text = text_of(r);
    assert_string_equal(text, "\"findings\":[],\"costs\":[],\"facts\":{}");
    free(text);
    free(a65);
    free(bad70);
    free(long_bad);
    bh_result_free(r);
}

static void every_fact_refusal_reads_as_before(void **state)
{
    (void)state;
    baton_result *r = bh_result_new();
    char *k65 = repeat('k', 65), *k128 = repeat('d', 128), *k1000 = repeat('e', 1000);
    char *parts64 = repeat('p', 64 + 1 + 64);
    parts64[64] = '.';
    k128[64] = '.';
    assert_non_null(r);
    assert_int_equal(bh_result_string(r, "a", "x"), 0);
    assert_int_equal(bh_result_money(r, "m", baton_money_make(1250, "GBP")), 0);
    assert_int_equal(bh_result_int(r, "g.h", 1), 0);

    REFUSES(bh_result_string(NULL, "k", NULL), BATON_EINVAL, "fact string: value is NULL");
    REFUSES(bh_result_string(NULL, "k", "v"), BATON_EINVAL, "result fact: no result to write to");
    REFUSES(bh_result_int(NULL, "k", 1), BATON_EINVAL, "result fact: no result to write to");
    REFUSES(bh_result_string(r, NULL, "v"), BATON_EINVAL, "fact key: NULL");
    REFUSES(bh_result_string(r, "", "v"), BATON_EINVAL,
            "fact key \"\": part 1 is empty, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_string(r, ".", "v"), BATON_EINVAL,
            "fact key \".\": part 1 is empty, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_string(r, "b.", "v"), BATON_EINVAL,
            "fact key \"b.\": part 2 is empty, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_string(r, ".b", "v"), BATON_EINVAL,
            "fact key \".b\": part 1 is empty, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_string(r, "b..c", "v"), BATON_EINVAL,
            "fact key \"b..c\": part 2 is empty, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_string(r, "A", "v"), BATON_EINVAL,
            "fact key \"A\": part 1 has a character outside, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_string(r, "b c", "v"), BATON_EINVAL,
            "fact key \"b c\": part 1 has a character outside, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_string(r, "b.c.D", "v"), BATON_EINVAL,
            "fact key \"b.c.D\": part 3 has a character outside, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_string(r, "\xc3\xa9", "v"), BATON_EINVAL,
            "fact key \"\xc3\xa9\": part 1 has a character outside, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_string(r, "b\x01", "v"), BATON_EINVAL,
            "fact key \"b\\x01\": part 1 has a character outside, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_string(r, k65, "v"), BATON_EINVAL,
            "fact key \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\"...: part 1 is too "
            "long, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_string(r, parts64, "v"), BATON_EINVAL,
            "fact key \"pppppppppppppppppppppppppppppppppppppppppppppppp\"...: 129 bytes, at "
            "most 127");
    REFUSES(bh_result_string(r, k128, "v"), BATON_EINVAL,
            "fact key \"dddddddddddddddddddddddddddddddddddddddddddddddd\"...: 128 bytes, at "
            "most 127");
    REFUSES(bh_result_string(r, k1000, "v"), BATON_EINVAL,
            "fact key \"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\"...: 1000 bytes, at "
            "most 127");

    /* Taken keys: the key itself, or a part of it that holds a value. */
    REFUSES(bh_result_string(r, "a", "again"), BATON_EEXIST,
            "fact a: already set (each fact is set once)");
    REFUSES(bh_result_int(r, "g", 2), BATON_EEXIST, "fact g: already set (each fact is set once)");
    REFUSES(bh_result_string(r, "a.b", "v"), BATON_EEXIST,
            "fact a.b: a is already a fact, not a group of facts");
    REFUSES(bh_result_string(r, "g.h.i.j", "v"), BATON_EEXIST,
            "fact g.h.i.j: h is already a fact, not a group of facts");
    REFUSES(bh_result_string(r, "m.amount", "v"), BATON_EEXIST,
            "fact m.amount: already set (each fact is set once)");
    REFUSES(bh_result_int(r, "m.minor.x", 1), BATON_EEXIST,
            "fact m.minor.x: minor is already a fact, not a group of facts");
    REFUSES(bh_result_money(r, "m", baton_money_make(1, "EUR")), BATON_EEXIST,
            "fact m: already set (each fact is set once)");
    REFUSES(bh_result_date(r, "g.h", (baton_date){2026, 1, 2}), BATON_EEXIST,
            "fact g.h: already set (each fact is set once)");
    /* A broken key is refused for its rule before anything it would hit. */
    REFUSES(bh_result_string(r, "a.B", "v"), BATON_EINVAL,
            "fact key \"a.B\": part 2 has a character outside, must be [a-z0-9_-]{1,64}");
    REFUSES(bh_result_string(r, "a..b", "v"), BATON_EINVAL,
            "fact key \"a..b\": part 2 is empty, must be [a-z0-9_-]{1,64}");

    /* The value's own rule comes before the key's. */
    REFUSES(bh_result_int(r, "A", MAX53 + 1), BATON_ERANGE,
            "fact integer 9007199254740993: beyond +-2^53 (not exact in JSON)");
    REFUSES(bh_result_int(r, "a", -MAX53 - 1), BATON_ERANGE,
            "fact integer -9007199254740993: beyond +-2^53 (not exact in JSON)");
    REFUSES(bh_result_date(r, "A", (baton_date){2026, 2, 29}), BATON_EINVAL,
            "fact date 2026-2-29: not a date between 0001-01-01 and 9999-12-31");
    REFUSES(bh_result_date(r, "d", (baton_date){0, 1, 1}), BATON_EINVAL,
            "fact date 0-1-1: not a date between 0001-01-01 and 9999-12-31");
    REFUSES(bh_result_date(r, "d", (baton_date){2026, 13, 1}), BATON_EINVAL,
            "fact date 2026-13-1: not a date between 0001-01-01 and 9999-12-31");
    REFUSES(bh_result_money(r, "A", baton_money_make(1, "XXX")), BATON_EINVAL,
            "fact money: currency \"XXX\" is not an ISO 4217 code Baton knows");
    REFUSES(bh_result_money(r, "a", money_raw(1, "EURO")), BATON_EINVAL,
            "fact money: currency \"EUR\" is not an ISO 4217 code Baton knows");
    REFUSES(bh_result_money(r, "a", baton_money_make(-MAX53 - 1, "EUR")), BATON_EINVAL,
            "fact money: -9007199254740993 minor units, beyond +-2^53");
    REFUSES(bh_result_money(r, "A", baton_money_make(1, "EUR")), BATON_EINVAL,
            "fact key \"A\": part 1 has a character outside, must be [a-z0-9_-]{1,64}");

    /* A successful call leaves the last reason standing (like errno). */
    assert_int_equal(bh_result_string(r, "b.c", "v"), 0);
    assert_string_equal(bh_reason_last(), "fact key \"A\": part 1 has a character outside, must be "
                                          "[a-z0-9_-]{1,64}");

    /* Nothing refused was kept: no "b" left by "b.c.D", no "A". */
    char *text = text_of(r);
    assert_string_equal(text, "\"findings\":[],\"costs\":[],\"facts\":{\"a\":\"x\",\"m\":{"
                              "\"amount\":\"12.50\",\"currency\":\"GBP\",\"minor\":1250},\"g\":{"
                              "\"h\":1},\"b\":{\"c\":\"v\"}}");
    free(text);
    free(k65);
    free(k128);
    free(k1000);
    free(parts64);
    bh_result_free(r);
}

/* The most facts an answer may hold: past it every new fact is refused,
 * a broken key still for its rule, a taken one for the limit. */
static void the_fact_limit_comes_after_the_key_rule(void **state)
{
    (void)state;
    baton_result *r = bh_result_new();
    char key[32];
    assert_non_null(r);
    assert_int_equal(bh_result_money(r, "money", baton_money_make(1, "GBP")), 0);
    for (int i = 1; i < BH_RESULT_MAX_FACTS; i++) {
        snprintf(key, sizeof key, "g%d.f%d", i % 7, i);
        assert_int_equal(bh_result_int(r, key, i), 0);
    }
    REFUSES(bh_result_int(r, "one.more", 1), BATON_ELIMIT,
            "fact one.more: the answer already holds 1024 facts, the most one evaluation may set");
    REFUSES(bh_result_string(r, "g1.f1", "v"), BATON_ELIMIT,
            "fact g1.f1: the answer already holds 1024 facts, the most one evaluation may set");
    REFUSES(bh_result_money(r, "m2", baton_money_make(1, "GBP")), BATON_ELIMIT,
            "fact m2: the answer already holds 1024 facts, the most one evaluation may set");
    REFUSES(bh_result_date(r, "d", (baton_date){2026, 1, 2}), BATON_ELIMIT,
            "fact d: the answer already holds 1024 facts, the most one evaluation may set");
    REFUSES(bh_result_string(r, "Bad", "v"), BATON_EINVAL,
            "fact key \"Bad\": part 1 has a character outside, must be [a-z0-9_-]{1,64}");
    bh_result_free(r);
}

/* Every builder's record written as the answer has always had it: nested
 * facts in the order their groups were made, money as three leaves,
 * optional basis and plugin left out when absent, texts escaped. */
/* The records of every builder into r, and the answer's text of them. */
static void builders_write_the_same_answer(baton_result *r)
{
    assert_non_null(r);
    bh_result_set_plugin(r, "gb-ew");
    assert_int_equal(bh_result_finding(r, "readiness", "agreement", BATON_FINDING_MET,
                                       "Signed \"agreement\"\n\x01 \xc2\xa3 on file", "CPR 7.4"),
                     0);
    assert_int_equal(bh_result_finding(r, "pre_action", "letter-1", BATON_FINDING_BLOCK, "", NULL),
                     0);
    bh_result_set_plugin(r, NULL);
    assert_int_equal(bh_result_finding(r, "a", "b", BATON_FINDING_INFO, "i", "\\b"), 0);
    assert_int_equal(bh_result_line_item(r, "court_fee", "Issue \"fee\"",
                                         baton_money_make(61728, "GBP"), "CPFO fee 1.1"),
                     0);
    bh_result_set_plugin(r, "northwind");
    assert_int_equal(bh_result_line_item(r, "commission", "", baton_money_make(-1, "BHD"), NULL),
                     0);
    assert_int_equal(bh_result_line_item(r, "other", "x", baton_money_make(5, "JPY"), ""), 0);
    assert_int_equal(bh_result_int(r, "readiness.met", 7), 0);
    assert_int_equal(bh_result_int(r, "readiness.missing", 0), 0);
    assert_int_equal(bh_result_date(r, "limitation.deadline", (baton_date){2031, 9, 1}), 0);
    assert_int_equal(bh_result_string(r, "limitation.moved_by", "Pritam Kaur \xe2\x82\xac"), 0);
    assert_int_equal(bh_result_int(r, "limitation.days_left", -MAX53), 0);
    assert_int_equal(bh_result_string(r, "params.court_calendar.version", "v1"), 0);
    assert_int_equal(bh_result_money(r, "route.allocation_value", baton_money_make(1234567, "GBP")),
                     0);
    assert_int_equal(bh_result_string(r, "params.court_calendar.source", "gov.uk"), 0);
    assert_int_equal(bh_result_money(r, "recovery.legal.net", baton_money_make(-MAX53, "KWD")), 0);
    assert_int_equal(bh_result_money(r, "recovery.legal.gross", baton_money_make(0, "CLP")), 0);
    assert_int_equal(bh_result_string(r, "recovery.legal.net.note", "inside money"), 0);
    assert_int_equal(bh_result_int(r, "z", MAX53), 0);
    assert_int_equal(bh_result_string(r, "limitation.empty", ""), 0);

    char *text = text_of(r);
    assert_string_equal(
        text,
        "\"findings\":[{\"category\":\"readiness\",\"code\":\"agreement\",\"status\":\"met\","
        "\"text\":\"Signed \\\"agreement\\\"\\n\\u0001 \xc2\xa3 on file\",\"basis\":\"CPR "
        "7.4\",\"plugin\":\"gb-ew\"},{\"category\":\"pre_action\",\"code\":\"letter-1\","
        "\"status\":\"block\",\"text\":\"\",\"plugin\":\"gb-ew\"},{\"category\":\"a\",\"code\":"
        "\"b\",\"status\":\"info\",\"text\":\"i\",\"basis\":\"\\\\b\"}],\"costs\":[{\"amount\":{"
        "\"amount\":\"617.28\",\"currency\":\"GBP\",\"minor\":61728},\"kind\":\"court_fee\","
        "\"label\":\"Issue \\\"fee\\\"\",\"basis\":\"CPFO fee 1.1\"},{\"amount\":{\"amount\":\"-"
        "0.001\",\"currency\":\"BHD\",\"minor\":-1},\"kind\":\"commission\",\"label\":\"\","
        "\"plugin\":\"northwind\"},{\"amount\":{\"amount\":\"5\",\"currency\":\"JPY\",\"minor\":5},"
        "\"kind\":\"other\",\"label\":\"x\",\"basis\":\"\",\"plugin\":\"northwind\"}],\"facts\":{"
        "\"readiness\":{\"met\":7,\"missing\":0},\"limitation\":{\"deadline\":\"2031-09-01\","
        "\"moved_by\":\"Pritam Kaur \xe2\x82\xac\",\"days_left\":-9007199254740992,\"empty\":\"\"},"
        "\"params\":{\"court_calendar\":{\"version\":\"v1\",\"source\":\"gov.uk\"}},\"route\":{"
        "\"allocation_value\":{\"amount\":\"12345.67\",\"currency\":\"GBP\",\"minor\":1234567}},"
        "\"recovery\":{\"legal\":{\"net\":{\"amount\":\"-9007199254740.992\",\"currency\":\"KWD\","
        "\"minor\":-9007199254740992,\"note\":\"inside money\"},\"gross\":{\"amount\":\"0\","
        "\"currency\":\"CLP\",\"minor\":0}}},\"z\":9007199254740992}");
    free(text);
}

static void the_builders_records_write_the_same_answer(void **state)
{
    (void)state;
    baton_result *r = bh_result_new();
    builders_write_the_same_answer(r);
    bh_result_free(r);
}

/* Occurrences of needle in hay. */
static size_t occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* A money fact's (written whole from its leaves, write_money_fact), a
 * cost's and a total's "minor": the digits of the minor units for every
 * digit count, both signs and the exponents 0, 2 and 3. */
static void minor_units_of_every_money_are_written(void **state)
{
    (void)state;
    static const char *const currencies[] = {"JPY", "GBP", "KWD"};
    int64_t values[64];
    size_t nv = 0;
    for (int64_t p = 1; p <= INT64_C(1000000000000000); p *= 10) {
        values[nv++] = p;
        values[nv++] = p - 1;
        values[nv++] = p + 1;
    }
    values[nv++] = 2005;
    values[nv++] = 40;
    values[nv++] = MAX53;
    for (size_t c = 0; c < 3; c++) {
        for (size_t k = 0; k < nv; k++) {
            for (int sign = 1; sign >= -1; sign -= 2) {
                int64_t v = sign * values[k];
                baton_result *r = bh_result_new();
                assert_non_null(r);
                baton_money m = baton_money_make(v, currencies[c]);
                assert_int_equal(bh_result_money(r, "m", m), 0);
                assert_int_equal(bh_result_line_item(r, "other", "l", m, NULL), 0);
                char *text = text_of(r);
                bh_jw w;
                size_t len;
                assert_int_equal(bh_jw_init(&w, 64), 0);
                assert_int_equal(bh_result_write_totals(r, &w), 0);
                char *totals = bh_jw_take(&w, &len);
                assert_non_null(totals);
                char want[64];
                snprintf(want, sizeof want, "\"minor\":%lld}", (long long)v);
                if (occurrences(text, want) != 2 || occurrences(totals, want) != 1)
                    fail_msg("%s %lld: %s %s", currencies[c], (long long)v, text, totals);
                free(text);
                free(totals);
                bh_result_free(r);
            }
        }
    }
}

/* A result made in an evaluation's arena (bh_result_new_in) holds the
 * same records, also once they outgrow the bytes lent to it (its own
 * chunks then, freed by bh_result_free: the sanitizer build sees a leak
 * or a double free), and frees nothing of the arena's. */
static void a_result_in_an_arena_writes_the_same_answer(void **state)
{
    (void)state;
    for (size_t first = 0; first <= BH_RESULT_FIRST; first += BH_RESULT_FIRST / 4) {
        bh_arena a;
        assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
        baton_result *r = bh_result_new_in(&a, first);
        builders_write_the_same_answer(r);
        assert_int_equal(bh_result_finding(r, "after", "take", BATON_FINDING_INFO, "x", NULL), 0);
        bh_result_free(r);
        void *next = bh_arena_alloc(&a, 16); /* the arena goes on after it */
        assert_non_null(next);
        memset(next, 0, 16);
        bh_arena_free(&a);
    }
}

/* A plugin writing until the result's limit is refused at the same
 * record whichever way its result was made: in an evaluation's arena (in
 * process) or on its own (the isolated worker's, replayed by the host). */
static size_t findings_until_refused(baton_result *r, const char *text, int *rc)
{
    size_t n = 0;
    while ((*rc = bh_result_finding(r, "notes", "note", BATON_FINDING_INFO, text, NULL)) == 0)
        n++;
    return n;
}

static void the_limit_refuses_at_the_same_record_either_way(void **state)
{
    static char text[1001];
    int rc_in, rc_own;
    bh_arena a;
    (void)state;
    memset(text, 't', sizeof text - 1);
    assert_int_equal(bh_arena_init(&a, 1024, 0), 0);
    baton_result *in = bh_result_new_in(&a, BH_RESULT_FIRST);
    baton_result *own = bh_result_new();
    assert_non_null(in);
    assert_non_null(own);
    size_t n_in = findings_until_refused(in, text, &rc_in);
    size_t n_own = findings_until_refused(own, text, &rc_own);
    assert_int_not_equal(rc_in, 0);
    assert_int_equal(rc_in, rc_own);
    assert_true(n_in > (BH_RESULT_MAX_BYTES / 2) / sizeof text);
    assert_int_equal(n_in, n_own);
    bh_result_free(in);
    bh_result_free(own);
    bh_arena_free(&a);
}

/* Facts set one after another in a group go into that group (the
 * builder starts from the last fact's group when a key begins with its
 * path); keys that only look alike do not, and a taken result starts
 * afresh. */
static void facts_in_turn_go_into_their_own_groups(void **state)
{
    (void)state;
    baton_result *r = bh_result_new();
    assert_non_null(r);
    assert_int_equal(bh_result_int(r, "a.b.c", 1), 0);
    assert_int_equal(bh_result_int(r, "a.b.d", 2), 0);
    assert_int_equal(bh_result_int(r, "a.bb.x", 3), 0);
    assert_int_equal(bh_result_int(r, "a.b.e", 4), 0);
    assert_int_equal(bh_result_int(r, "a.b", 5), BATON_EEXIST);
    assert_int_equal(bh_result_int(r, "a.b.c", 5), BATON_EEXIST);
    assert_int_equal(bh_result_int(r, "a.b.c.d", 5), BATON_EEXIST);
    assert_int_equal(bh_result_int(r, "a.b.f.g", 6), 0);
    assert_int_equal(bh_result_int(r, "a.b.f.h", 7), 0);
    assert_int_equal(bh_result_int(r, "a.b.i", 8), 0);
    assert_int_equal(bh_result_int(r, "a", 9), BATON_EEXIST);
    assert_int_equal(bh_result_int(r, "b", 10), 0);
    assert_int_equal(bh_result_int(r, "a.c", 11), 0);
    assert_int_equal(bh_result_money(r, "a.b.m", baton_money_make(1, "GBP")), 0);
    assert_int_equal(bh_result_string(r, "a.b.m.note", "n"), 0);
    char *text = text_of(r);
    assert_string_equal(text, "\"findings\":[],\"costs\":[],\"facts\":{\"a\":{\"b\":{\"c\":1,"
                              "\"d\":2,\"e\":4,\"f\":{\"g\":6,\"h\":7},\"i\":8,\"m\":{"
                              "\"amount\":\"0.01\",\"currency\":\"GBP\",\"minor\":1,\"note\":"
                              "\"n\"}},\"bb\":{\"x\":3},\"c\":11},\"b\":10}");
    free(text);
    cJSON_Delete(bh_result_take(r));
    /* A key that only starts with the last group's name is no fact of
     * that group. */
    assert_int_equal(bh_result_int(r, "ab.x", 1), 0);
    assert_int_equal(bh_result_int(r, "abz", 2), 0);
    assert_int_equal(bh_result_int(r, "ab.y.z", 3), 0);
    assert_int_equal(bh_result_int(r, "ab.yw", 4), 0);
    text = text_of(r);
    assert_string_equal(text, "\"findings\":[],\"costs\":[],\"facts\":{\"ab\":{\"x\":1,\"y\":{"
                              "\"z\":3},\"yw\":4},\"abz\":2}");
    free(text);
    cJSON_Delete(bh_result_take(r));
    assert_int_equal(bh_result_int(r, "a.b.z", 1), 0);
    text = text_of(r);
    assert_string_equal(text, "\"findings\":[],\"costs\":[],\"facts\":{\"a\":{\"b\":{\"z\":1}}}");
    free(text);
    bh_result_free(r);
}

/* Names set in a group, alternately in two (so each fact leaves the
 * last fact's group), each taken once: a name is found again among
 * hundreds of siblings whatever bits of the group's name mask it shares,
 * a name is never taken for its near miss, and a leaf is no group. */
static void many_names_in_two_groups_each_taken_once(void **state)
{
    (void)state;
    baton_result *r = bh_result_new();
    char key[64], want[160];
    assert_non_null(r);
    for (int i = 0; i < 300; i++) {
        snprintf(key, sizeof key, "ga.n%d", i);
        assert_int_equal(bh_result_int(r, key, i), 0);
        snprintf(key, sizeof key, "gb.sub.n%d", i);
        assert_int_equal(bh_result_int(r, key, -i), 0);
    }
    for (int i = 0; i < 300; i++) {
        snprintf(key, sizeof key, "ga.n%d", i);
        snprintf(want, sizeof want, "fact %s: already set (each fact is set once)", key);
        REFUSES(bh_result_int(r, key, 1), BATON_EEXIST, want);
        snprintf(key, sizeof key, "gb.sub.n%d", i);
        snprintf(want, sizeof want, "fact %s: already set (each fact is set once)", key);
        REFUSES(bh_result_string(r, key, "again"), BATON_EEXIST, want);
        snprintf(key, sizeof key, "gb.sub.n%d.x", i);
        snprintf(want, sizeof want, "fact %s: n%d is already a fact, not a group of facts", key, i);
        REFUSES(bh_result_int(r, key, 1), BATON_EEXIST, want);
    }
    /* Near misses of taken names are new names. */
    assert_int_equal(bh_result_int(r, "ga.n3000", 1), 0);
    assert_int_equal(bh_result_int(r, "ga.n", 1), 0);
    assert_int_equal(bh_result_int(r, "ga.m1", 1), 0);
    assert_int_equal(bh_result_int(r, "gb.sub.n1x", 1), 0);
    REFUSES(bh_result_int(r, "ga", 1), BATON_EEXIST,
            "fact ga: already set (each fact is set once)");
    REFUSES(bh_result_int(r, "gb.sub", 1), BATON_EEXIST,
            "fact gb.sub: already set (each fact is set once)");
    /* Names of 1 to 24 bytes alike in their first and last bytes and
     * length (so alike in the name mask too) but for one byte between:
     * each is a name of its own. */
    for (size_t len = 1; len <= 24; len++) {
        for (size_t at = 0; at < len; at++) {
            char name[32] = "g2.";
            memset(name + 3, 'm', len);
            if (at > 0 && at + 1 < len)
                name[3 + at] = 'x'; /* at 0 (and len - 1): the name all 'm' */
            int rc = bh_result_int(r, name, (int64_t)at);
            if (rc != (at == 0 || at + 1 < len ? 0 : BATON_EEXIST))
                fail_msg("%s (at %zu): %d", name, at, rc);
        }
    }
    for (size_t len = 1; len <= 24; len++) {
        for (size_t at = 1; at + 1 < len; at++) {
            char name[32] = "g2.";
            memset(name + 3, 'm', len);
            name[3 + at] = 'x';
            assert_int_equal(bh_result_int(r, name, 0), BATON_EEXIST);
        }
    }
    char *text = text_of(r);
    assert_non_null(strstr(text, "\"g2\":{\"m\":0,\"mm\":0,\"mmm\":0,\"mxm\":1,\"mmmm\":0,"
                                 "\"mxmm\":1,\"mmxm\":2,"));
    assert_non_null(strstr(text, "\"ga\":{\"n0\":0,\"n1\":1,\"n2\":2,"));
    assert_non_null(strstr(text, "\"n299\":299,\"n3000\":1,\"n\":1,\"m1\":1}"));
    assert_non_null(strstr(text, "\"gb\":{\"sub\":{\"n0\":0,\"n1\":-1,"));
    assert_non_null(strstr(text, "\"n299\":-299,\"n1x\":1}}"));
    free(text);
    bh_result_free(r);
}

/* The seven line item kinds are taken, each with its amount written in
 * its currency's digits; a near miss of any of them is refused with the
 * rule's reason. */
static void line_item_kinds_are_the_seven_and_no_near_miss(void **state)
{
    (void)state;
    static const char *const kinds[] = {"court_fee",  "lawyer_fee", "interest", "compensation",
                                        "commission", "principal",  "other"};
    baton_result *r = bh_result_new();
    char miss[32], want[256];
    assert_non_null(r);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i]);
        assert_int_equal(
            bh_result_line_item(r, kinds[i], "l", baton_money_make(-12345, "BHD"), NULL), 0);
        for (int v = 0; v < 4; v++) {
            memcpy(miss, kinds[i], n + 1);
            if (v == 0)
                miss[0] = miss[0] == 'a' ? 'b' : 'a'; /* the first byte */
            else if (v == 1)
                miss[n - 1] = miss[n - 1] == 'a' ? 'b' : 'a'; /* the last */
            else if (v == 2)
                miss[n - 1] = '\0'; /* one short */
            else
                memcpy(miss + n, "s", 2); /* one more */
            snprintf(want, sizeof want,
                     "line item kind \"%s\": not court_fee, lawyer_fee, interest, compensation, "
                     "commission, principal or other",
                     miss);
            REFUSES(bh_result_line_item(r, miss, "l", baton_money_make(1, "GBP"), NULL),
                    BATON_EINVAL, want);
        }
    }
    char *text = text_of(r);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        snprintf(want, sizeof want,
                 "{\"amount\":{\"amount\":\"-12.345\",\"currency\":\"BHD\",\"minor\":-12345},"
                 "\"kind\":\"%s\",\"label\":\"l\"}",
                 kinds[i]);
        assert_non_null(strstr(text, want));
    }
    free(text);
    bh_result_free(r);
}

/* A date fact's text is bh_date_format's of the date, for years of one
 * to four digits, every month and days of one and two digits. */
static void date_facts_read_as_bh_date_format_writes_them(void **state)
{
    (void)state;
    static const int years[] = {1, 9, 10, 99, 100, 999, 1000, 2026, 9999};
    static const int days[] = {1, 9, 10, 28};
    baton_result *r = bh_result_new();
    assert_non_null(r);
    int n = 0;
    for (size_t y = 0; y < sizeof years / sizeof years[0]; y++) {
        for (int m = 1; m <= 12; m++) {
            for (size_t d = 0; d < sizeof days / sizeof days[0]; d++, n++) {
                baton_date date = {years[y], m, days[d]};
                char key[32], path[40], want[11];
                const char *got = NULL;
                snprintf(key, sizeof key, "dates.d%d", n);
                snprintf(path, sizeof path, "facts.%s", key);
                assert_int_equal(bh_result_date(r, key, date), 0);
                bh_date_format(date, want);
                assert_int_equal(bh_view_string(bh_result_view(r), path, &got), 0);
                assert_string_equal(got, want);
            }
        }
    }
    bh_result_free(r);
}

static void add_findings(baton_result *r, int from, int to)
{
    char code[16];
    for (int i = from; i < to; i++) {
        snprintf(code, sizeof code, "c%d", i);
        assert_int_equal(bh_result_finding(r, "cat", code, BATON_FINDING_MET, "t", NULL), 0);
    }
}

static void view_code(const baton_result *r, const char *path, int want_rc, const char *want)
{
    const char *s = NULL;
    int rc = bh_view_string(bh_result_view((baton_result *)r), path, &s);
    if (rc != want_rc || (rc == 0 && strcmp(s, want) != 0))
        fail_msg("%s: %d \"%s\", want %d \"%s\"", path, rc, rc == 0 ? s : "", want_rc,
                 want != NULL ? want : "");
}

/* result_view resumes a path from where the last path's prefix led only
 * when the two share whole steps: findings[1] is no prefix of
 * findings[10], a malformed rest is still malformed, and nothing read
 * before bh_result_take is reached after it. */
static void result_view_reads_after_reads_alike(void **state)
{
    (void)state;
    baton_result *r = bh_result_new();
    assert_non_null(r);
    add_findings(r, 0, 12);
    view_code(r, "findings[1].code", 0, "c1");
    view_code(r, "findings[10].code", 0, "c10");
    view_code(r, "findings[1].code", 0, "c1");
    view_code(r, "findings[1].category", 0, "cat");
    view_code(r, "findings[1]x", BATON_EINVAL, NULL);
    view_code(r, "findings[1].", BATON_EINVAL, NULL);
    view_code(r, "findings[1]..code", BATON_EINVAL, NULL);
    view_code(r, "findings[1][0]", BATON_ENOENT, NULL);
    view_code(r, "findings[1].codes", BATON_ENOENT, NULL);
    view_code(r, "findings[1].cod", BATON_ENOENT, NULL);
    view_code(r, "findings[11].code", 0, "c11");
    view_code(r, "findings[12].code", BATON_ENOENT, NULL);
    view_code(r, "findings[11].status", 0, "met");
    view_code(r, "findings[1].status", 0, "met");
    view_code(r, "findings.code", BATON_ENOENT, NULL);
    view_code(r, "findingsx[1].code", BATON_ENOENT, NULL);
    view_code(r, "findings[1].code", 0, "c1");

    /* Facts, and paths past what is remembered (48 bytes). */
    char key[128], path[160];
    memset(key, 'k', sizeof key);
    key[60] = '.';
    key[61] = 'v';
    key[62] = '\0';
    assert_int_equal(bh_result_string(r, key, "long"), 0);
    assert_int_equal(bh_result_string(r, "g.h", "1"), 0);
    assert_int_equal(bh_result_string(r, "g.hh", "2"), 0);
    view_code(r, "facts.g.hh", 0, "2");
    view_code(r, "facts.g.h", 0, "1");
    view_code(r, "facts.g.hh", 0, "2");
    snprintf(path, sizeof path, "facts.%s", key);
    view_code(r, path, 0, "long");
    view_code(r, path, 0, "long");
    view_code(r, "facts.g.h", 0, "1");

    /* A taken result's records are gone: reads see the new ones. */
    cJSON_Delete(bh_result_take(r));
    view_code(r, "findings[1].code", BATON_ENOENT, NULL);
    add_findings(r, 20, 24);
    view_code(r, "findings[1].status", 0, "met");
    view_code(r, "findings[1].code", 0, "c21");
    view_code(r, "findings[3].code", 0, "c23");
    cJSON_Delete(bh_result_take(r));
    add_findings(r, 30, 35);
    view_code(r, "findings[3].code", 0, "c33");
    view_code(r, "findings[4].code", 0, "c34");
    bh_result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_finding_and_line_item_refusal_reads_as_before),
        cmocka_unit_test(every_fact_refusal_reads_as_before),
        cmocka_unit_test(the_fact_limit_comes_after_the_key_rule),
        cmocka_unit_test(the_builders_records_write_the_same_answer),
        cmocka_unit_test(a_result_in_an_arena_writes_the_same_answer),
        cmocka_unit_test(the_limit_refuses_at_the_same_record_either_way),
        cmocka_unit_test(minor_units_of_every_money_are_written),
        cmocka_unit_test(facts_in_turn_go_into_their_own_groups),
        cmocka_unit_test(result_view_reads_after_reads_alike),
        cmocka_unit_test(many_names_in_two_groups_each_taken_once),
        cmocka_unit_test(line_item_kinds_are_the_seven_and_no_near_miss),
        cmocka_unit_test(date_facts_read_as_bh_date_format_writes_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
