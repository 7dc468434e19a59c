/*
 * case_view.h - reading the usual parts of a case (docs/case-format.md)
 * through the host's view, and writing money and dates as letters and
 * findings print them.
 *
 * Owns: optional reads with a default, the documents / letters_sent /
 * disputes questions every jurisdiction asks, and ISO dates. Money, rates
 * and dates in words come from the SDK's baton/plugin_text.h. Does not
 * own: what a plugin concludes from them.
 *
 * Not SDK ABI: compiled into each in-tree plugin (see dated_table.h).
 */
#ifndef BATON_PLUGIN_COMMON_CASE_VIEW_H
#define BATON_PLUGIN_COMMON_CASE_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "baton/plugin.h"

/* The string at path, or dflt when absent or not a string. Valid until the
 * plugin call returns. */
const char *bpc_str(const baton_host_api *api, const baton_view *v, const char *path,
                    const char *dflt);
/* The boolean at path (0 or 1), or dflt. */
int bpc_bool(const baton_host_api *api, const baton_view *v, const char *path, int dflt);
/* The integer at path, or dflt. */
int64_t bpc_int(const baton_host_api *api, const baton_view *v, const char *path, int64_t dflt);

/*
 * Writes before "[index]" after into buf (size bytes; cut short like
 * snprintf when too long): the path of a member of one element, such as
 * "documents[3].kind", without printf. An evaluation builds hundreds of
 * these; snprintf made them a fifth of its CPU time (docs/performance.md).
 */
void bpc_path_at(char *buf, size_t size, const char *before, size_t index, const char *after);

/*
 * BPC_PATH_AT(buf, size, "documents", i, ".kind"): bpc_path_at for a
 * before and after written as string literals (anything else does not
 * compile), with the same bytes. Their lengths are known when compiled,
 * so an element path is a few stores instead of two strlen and three
 * memcpy calls: plugins build one for nearly every list item they read.
 */
#define BPC_PATH_AT(buf, size, before, index, after)                                               \
    bpc_path_at_lit((buf), (size), "" before, sizeof(before) - 1, (index), "" after,               \
                    sizeof(after) - 1)

/* BPC_PATH_AT's work: before[0..nb) "[index]" after[0..na] (with its NUL). */
static inline void bpc_path_at_lit(char *buf, size_t size, const char *before, size_t nb,
                                   size_t index, const char *after, size_t na)
{
    if (index < 100 && nb + na + 5 <= size) {
        char *p = buf + nb;
        memcpy(buf, before, nb);
        *p++ = '[';
        if (index >= 10)
            *p++ = (char)('0' + index / 10);
        *p++ = (char)('0' + index % 10);
        *p++ = ']';
        memcpy(p, after, na + 1);
        return;
    }
    bpc_path_at(buf, size, before, index, after); /* long indexes, or cut short */
}

/* How many documents[] have this kind (one pass; to ask about several
 * kinds, read them all at once with bpc_documents_read). */
int bpc_count_documents(const baton_host_api *api, const baton_view *v, const char *kind);

/* The document kinds of the case format (docs/case-format.md). */
enum bpc_doc_kind {
    BPC_DOC_AGREEMENT,
    BPC_DOC_INVOICE,
    BPC_DOC_STATEMENT,
    BPC_DOC_PROOF_OF_DELIVERY,
    BPC_DOC_COMMUNICATION_LOG,
    BPC_DOC_IDENTITY_CHECK,
    BPC_DOC_COLLECTION_ATTEMPT,
    BPC_DOC_DISPUTE,
    BPC_DOC_DISPUTE_ANSWER,
    BPC_DOC_KINDS
};

/* documents[] by kind: how many, and the index of the first of each kind
 * (meaningful when its count is not 0). A kind the format does not know
 * is not counted. */
typedef struct bpc_documents {
    size_t count[BPC_DOC_KINDS];
    size_t first[BPC_DOC_KINDS];
} bpc_documents;

/*
 * Reads every documents[] entry's kind once. Each view lookup walks a
 * path in the host, so a plugin asking "how many of kind K" for each of
 * nine kinds paid nine passes; this is one (docs/performance.md).
 */
void bpc_documents_read(const baton_host_api *api, const baton_view *v, bpc_documents *d);

/* The letter kinds of the case format. */
enum bpc_letter_kind {
    BPC_LETTER_REMINDER,
    BPC_LETTER_FINAL_DEMAND,
    BPC_LETTER_LETTER_OF_CLAIM,
    BPC_LETTER_VALIDATION_NOTICE,
    BPC_LETTER_FIRST_DEMAND,
    BPC_LETTER_FOURTEEN_DAY_LETTER,
    BPC_LETTER_KINDS
};

/* letters_sent[] by kind: how many, and of the kinds asked for, the
 * latest dated one (latest -1 when there is none; a later entry replaces
 * an earlier one only with a later date, as bpc_latest_letter). */
typedef struct bpc_letters {
    size_t count[BPC_LETTER_KINDS];
    long latest[BPC_LETTER_KINDS];
    baton_date date[BPC_LETTER_KINDS];
} bpc_letters;

/* The bit of a letter kind in bpc_letters_read's dated mask. */
#define BPC_LETTER_BIT(kind) (1u << (kind))

/*
 * Reads every letters_sent[] entry's kind once, and the date of each entry
 * of a kind in dated (BPC_LETTER_BIT of each kind whose latest is wanted;
 * only those dates are read).
 */
void bpc_letters_read(const baton_host_api *api, const baton_view *v, unsigned dated,
                      bpc_letters *l);
/* letters_sent[index].method, "post" when absent (as bpc_latest_letter). */
const char *bpc_letter_method(const baton_host_api *api, const baton_view *v, size_t index);
/*
 * Disputes not answered: disputes[] entries with answered false; without a
 * disputes array, dispute documents minus dispute_answer documents.
 */
int bpc_unanswered_disputes(const baton_host_api *api, const baton_view *v);
/*
 * The latest dated letters_sent[] entry of kind: 1 and *date (and *method,
 * "post" by default, when method is not NULL), or 0 when there is none.
 */
int bpc_latest_letter(const baton_host_api *api, const baton_view *v, const char *kind,
                      baton_date *date, const char **method);

/* "YYYY-MM-DD" into buf (at least 11 bytes). */
void bpc_iso_date(baton_date d, char *buf);

#endif
