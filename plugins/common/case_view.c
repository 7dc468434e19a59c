/*
 * case_view.c - reads of the usual case parts and money/date text (see
 * case_view.h).
 */
#include "case_view.h"

#include <string.h>

#include "text_format.h"

const char *bpc_str(const baton_host_api *api, const baton_view *v, const char *path,
                    const char *dflt)
{
    const char *s = NULL;
    if (api->view_string(v, path, &s) != 0 || s == NULL)
        return dflt;
    return s;
}

int bpc_bool(const baton_host_api *api, const baton_view *v, const char *path, int dflt)
{
    int b;
    if (api->view_bool(v, path, &b) != 0)
        return dflt;
    return b != 0;
}

int64_t bpc_int(const baton_host_api *api, const baton_view *v, const char *path, int64_t dflt)
{
    int64_t i;
    if (api->view_int(v, path, &i) != 0)
        return dflt;
    return i;
}

void bpc_path_at(char *buf, size_t size, const char *before, size_t index, const char *after)
{
    char digits[24], *d = digits + sizeof digits;
    size_t n = 0, nd, nb, na;
    if (size == 0)
        return;
    do {
        *--d = (char)('0' + index % 10);
        index /= 10;
    } while (index != 0);
    nd = (size_t)(digits + sizeof digits - d);
    nb = strlen(before);
    na = strlen(after);
    if (nb + nd + na + 3 <= size) {
        /* The usual case: it fits, so copy runs instead of bytes. */
        memcpy(buf, before, nb);
        buf[nb] = '[';
        memcpy(buf + nb + 1, d, nd);
        buf[nb + 1 + nd] = ']';
        memcpy(buf + nb + nd + 2, after, na + 1);
        return;
    }
    for (const char *s = before; *s != '\0' && n + 1 < size; s++)
        buf[n++] = *s;
    if (n + 1 < size)
        buf[n++] = '[';
    for (; d < digits + sizeof digits && n + 1 < size; d++)
        buf[n++] = *d;
    if (n + 1 < size)
        buf[n++] = ']';
    for (const char *s = after; *s != '\0' && n + 1 < size; s++)
        buf[n++] = *s;
    buf[n] = '\0';
}

int bpc_count_documents(const baton_host_api *api, const baton_view *v, const char *kind)
{
    size_t n = 0;
    int count = 0;
    if (api->view_count(v, "documents", &n) != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char path[48];
        BPC_PATH_AT(path, sizeof path, "documents", i, ".kind");
        if (strcmp(bpc_str(api, v, path, ""), kind) == 0)
            count++;
    }
    return count;
}

static const char *const doc_kinds[BPC_DOC_KINDS] = {
    "agreement",          "invoice",           "statement",
    "proof_of_delivery",  "communication_log", "identity_check",
    "collection_attempt", "dispute",           "dispute_answer",
};

static const char *const letter_kinds[BPC_LETTER_KINDS] = {
    "reminder",          "final_demand", "letter_of_claim",
    "validation_notice", "first_demand", "fourteen_day_letter",
};

/* The string at "before[i]after", or NULL. Inlined where before and after
 * are literals, so their strlen is taken when compiled. */
static inline __attribute__((always_inline)) const char *element_string(const baton_host_api *api,
                                                                        const baton_view *v,
                                                                        const char *before,
                                                                        size_t i, const char *after)
{
    char path[48];
    const char *s;
    bpc_path_at_lit(path, sizeof path, before, strlen(before), i, after, strlen(after));
    return api->view_string(v, path, &s) == 0 ? s : NULL;
}

/* s is names[k] (the first byte already seen to match). */
static inline int named(const char *s, const char *const *names, int k)
{
    return strcmp(s + 1, names[k] + 1) == 0 ? k : -1;
}

/* The document kind s names, or -1: told apart by its first bytes, then
 * one comparison (a loop over all nine names cost ten times that). */
static int doc_kind_of(const char *s)
{
    switch (s[0]) {
    case 'a':
        return named(s, doc_kinds, BPC_DOC_AGREEMENT);
    case 'i':
        return named(s, doc_kinds, s[1] == 'n' ? BPC_DOC_INVOICE : BPC_DOC_IDENTITY_CHECK);
    case 's':
        return named(s, doc_kinds, BPC_DOC_STATEMENT);
    case 'p':
        return named(s, doc_kinds, BPC_DOC_PROOF_OF_DELIVERY);
    case 'c':
        return named(s, doc_kinds,
                     s[1] == 'o' && s[2] == 'm' ? BPC_DOC_COMMUNICATION_LOG
                                                : BPC_DOC_COLLECTION_ATTEMPT);
    case 'd': {
        int k = named(s, doc_kinds, BPC_DOC_DISPUTE);
        return k >= 0 ? k : named(s, doc_kinds, BPC_DOC_DISPUTE_ANSWER);
    }
    default:
        return -1;
    }
}

/* The letter kind s names, or -1 (as doc_kind_of). */
static int letter_kind_of(const char *s)
{
    switch (s[0]) {
    case 'r':
        return named(s, letter_kinds, BPC_LETTER_REMINDER);
    case 'l':
        return named(s, letter_kinds, BPC_LETTER_LETTER_OF_CLAIM);
    case 'v':
        return named(s, letter_kinds, BPC_LETTER_VALIDATION_NOTICE);
    case 'f':
        return named(s, letter_kinds,
                     s[1] == 'i' ? (s[2] == 'n' ? BPC_LETTER_FINAL_DEMAND : BPC_LETTER_FIRST_DEMAND)
                                 : BPC_LETTER_FOURTEEN_DAY_LETTER);
    default:
        return -1;
    }
}

void bpc_documents_read(const baton_host_api *api, const baton_view *v, bpc_documents *d)
{
    size_t n = 0;
    memset(d, 0, sizeof *d);
    if (api->view_count(v, "documents", &n) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *kind = element_string(api, v, "documents", i, ".kind");
        int k = kind != NULL ? doc_kind_of(kind) : -1;
        if (k >= 0 && d->count[k]++ == 0)
            d->first[k] = i;
    }
}

void bpc_letters_read(const baton_host_api *api, const baton_view *v, unsigned dated,
                      bpc_letters *l)
{
    size_t n = 0;
    memset(l, 0, sizeof *l);
    for (int k = 0; k < BPC_LETTER_KINDS; k++)
        l->latest[k] = -1;
    if (api->view_count(v, "letters_sent", &n) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        char path[48];
        baton_date d;
        const char *kind = element_string(api, v, "letters_sent", i, ".kind");
        int k = kind != NULL ? letter_kind_of(kind) : -1;
        if (k < 0)
            continue;
        l->count[k]++;
        if (!(dated & BPC_LETTER_BIT(k)))
            continue;
        BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".date");
        if (api->view_date(v, path, &d) != 0)
            continue;
        if (l->latest[k] < 0 || baton_date_cmp(d, l->date[k]) > 0) {
            l->latest[k] = (long)i;
            l->date[k] = d;
        }
    }
}

const char *bpc_letter_method(const baton_host_api *api, const baton_view *v, size_t index)
{
    const char *m = element_string(api, v, "letters_sent", index, ".method");
    return m != NULL ? m : "post";
}

int bpc_unanswered_disputes(const baton_host_api *api, const baton_view *v)
{
    size_t n = 0;
    int count = 0;
    if (api->view_count(v, "disputes", &n) == 0) {
        for (size_t i = 0; i < n; i++) {
            char path[48];
            BPC_PATH_AT(path, sizeof path, "disputes", i, ".answered");
            if (!bpc_bool(api, v, path, 0))
                count++;
        }
        return count;
    }
    bpc_documents d;
    bpc_documents_read(api, v, &d);
    size_t raised = d.count[BPC_DOC_DISPUTE], answered = d.count[BPC_DOC_DISPUTE_ANSWER];
    return raised > answered ? (int)(raised - answered) : 0;
}

int bpc_latest_letter(const baton_host_api *api, const baton_view *v, const char *kind,
                      baton_date *date, const char **method)
{
    size_t n = 0;
    int found = 0;
    if (api->view_count(v, "letters_sent", &n) != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char path[48];
        baton_date d;
        BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".kind");
        if (strcmp(bpc_str(api, v, path, ""), kind) != 0)
            continue;
        BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".date");
        if (api->view_date(v, path, &d) != 0)
            continue;
        if (!found || baton_date_cmp(d, *date) > 0) {
            *date = d;
            if (method != NULL) {
                BPC_PATH_AT(path, sizeof path, "letters_sent", i, ".method");
                *method = bpc_str(api, v, path, "post");
            }
        }
        found = 1;
    }
    return found;
}

void bpc_iso_date(baton_date d, char *buf)
{
    unsigned y = (unsigned)d.year % 10000u, m = (unsigned)d.month % 100u;
    unsigned day = (unsigned)d.day % 100u;
    bpc_format(buf, 11, "%04u-%02u-%02u", y, m, day);
}
