/*
 * baton/ledger.h - the replay ledger: which (sender key, sequence number)
 * pairs a law firm has already accepted, in a durable SQLite file.
 *
 * Owns: the ledger file (schema, WAL, synchronous=FULL), lookups, and
 * recording inside an exclusive write transaction so that the check and the
 * record happen atomically with whatever the caller commits alongside (the
 * package opener renames the extracted bag into place between them).
 *
 * Does not own: deciding whether a package is valid (package.h), trust.
 *
 * All functions return 0 or a negative BATON_E* code with detail in err
 * (may be NULL); they never print.
 */
#ifndef BATON_LEDGER_H
#define BATON_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct baton_ledger baton_ledger;

/* Opens (creating when absent, with mode 0600) the ledger at path. Caller
 * closes with baton_ledger_close. */
int baton_ledger_open(const char *path, baton_ledger **out, char *err, size_t errlen);
void baton_ledger_close(baton_ledger *l);

/* Starts an exclusive write transaction (BEGIN IMMEDIATE; waits up to 10 s
 * for another writer). */
int baton_ledger_begin(baton_ledger *l, char *err, size_t errlen);
int baton_ledger_commit(baton_ledger *l, char *err, size_t errlen);
void baton_ledger_rollback(baton_ledger *l);

/* 1 if (sender_pk, seq) was accepted before, 0 if not, negative on error. */
int baton_ledger_seen(baton_ledger *l, const uint8_t sender_pk[32], uint64_t seq, char *err,
                      size_t errlen);

/* Records an accepted package; BATON_EEXIST if the pair is already there.
 * Call inside begin/commit for atomicity with other effects. */
int baton_ledger_record(baton_ledger *l, const uint8_t sender_pk[32], uint64_t seq,
                        const char *case_id, const uint8_t tagmanifest_sha256[32],
                        int64_t accepted_at, char *err, size_t errlen);

/* Highest sequence accepted from sender_pk (0 when none). */
int baton_ledger_last(baton_ledger *l, const uint8_t sender_pk[32], uint64_t *seq, char *err,
                      size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
