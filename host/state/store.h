/*
 * store.h - a tenant's durable state: documents, handoffs sent, packages
 * received (inbox), uploaded plugin versions and their activations, the
 * outbox of records to deliver to other stores after a commit, and the
 * append-only, hash-chained audit log with its signed checkpoints.
 *
 * One store per tenant (one SQLite database file per tenant under
 * <data_dir>/tenants/<tenant>/store.db, WAL journal, synchronous=FULL so a
 * commit is on disk when the call returns). Isolation between tenants is
 * physical: a handle can only ever reach its own tenant's file.
 *
 * This header is the store interface; store_sqlite.c implements it with
 * SQLite. A PostgreSQL implementation would implement the same functions
 * with a tenant column in every key.
 *
 * Handles are safe to use from several threads (the SQLite connection is
 * opened in serialized mode), so calls may run on libuv's thread pool; they
 * block on disk and must not run on the event loop thread when the call
 * commits.
 *
 * Every function returns 0 or a negative BATON_E* code (BATON_ENOENT when a
 * row does not exist, BATON_EEXIST on a duplicate id, BATON_EIO on a
 * database failure) with detail in err.
 */
#ifndef BH_STORE_H
#define BH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

typedef struct bh_store bh_store;

/* Opens (creating when absent) the store at path. */
int bh_store_open(const char *path, bh_store **out, char *err, size_t errlen);
void bh_store_close(bh_store *s);

/* --- documents uploaded with PUT /v1/documents --- */

typedef struct bh_document {
    char id[40];      /* "doc_" + 32 hex */
    char name[256];   /* the file name given by the client */
    uint64_t size;    /* bytes */
    char sha256[65];  /* hex */
    char path[512];   /* where the bytes are, inside the tenant's data dir */
    char created[32]; /* RFC 3339 UTC */
} bh_document;

int bh_store_document_add(bh_store *s, const bh_document *d, char *err, size_t errlen);
int bh_store_document_get(bh_store *s, const char *id, bh_document *out, char *err, size_t errlen);

/* --- handoffs this tenant sent (outbox) --- */

typedef struct bh_handoff {
    char id[40]; /* "ho_" + 32 hex */
    char case_id[128];
    char recipient[128];         /* tenant id, or "external:<name>" */
    char recipient_sign_pub[64]; /* minisign key its receipts must carry */
    int64_t sequence;
    char package_path[512];
    char tagmanifest_sha256[65];
    char package_sha256[65]; /* of the encrypted file, which receipts name */
    char status[16];         /* "sent", "accepted", "rejected" */
    char created[32];
    char updated[32];
} bh_handoff;

int bh_store_handoff_add(bh_store *s, const bh_handoff *h, char *err, size_t errlen);
int bh_store_handoff_get(bh_store *s, const char *id, bh_handoff *out, char *err, size_t errlen);
/* Records the receipt (JSON text, kept verbatim) and the new status. */
int bh_store_handoff_set_receipt(bh_store *s, const char *id, const char *status,
                                 const char *receipt, char *err, size_t errlen);
/* The receipt text of a handoff (caller frees), or BATON_ENOENT. */
int bh_store_handoff_receipt(bh_store *s, const char *id, char **receipt, char *err, size_t errlen);
/* Next sequence number for packages this tenant sends (starts at 1). */
int bh_store_next_sequence(bh_store *s, int64_t *out, char *err, size_t errlen);
/* Handoffs as a JSON array, newest first (caller frees with cJSON_Delete). */
int bh_store_handoff_list(bh_store *s, cJSON **out, char *err, size_t errlen);
/* The case a handoff placed, as the agency sent it (store_handoff_case.c):
 * kept in the handoff's transaction; the text (caller frees), or
 * BATON_ENOENT for a handoff made before cases were kept. */
int bh_store_handoff_case_put(bh_store *s, const char *handoff_id, const char *case_json,
                              size_t len, char *err, size_t errlen);
int bh_store_handoff_case(bh_store *s, const char *handoff_id, char **case_json, char *err,
                          size_t errlen);

/* --- packages received (inbox) --- */

typedef struct bh_inbox_item {
    char id[40];         /* "in_" + 32 hex */
    char sender[128];    /* tenant id, or "external:<name>" */
    char handoff_id[40]; /* the sender's handoff id when on this host */
    char package_path[512];
    char status[16];  /* "pending", "accepted", "rejected" */
    char reason[256]; /* why rejected, "" otherwise */
    char received[32];
    char decided[32];
} bh_inbox_item;

int bh_store_inbox_add(bh_store *s, const bh_inbox_item *it, char *err, size_t errlen);
int bh_store_inbox_get(bh_store *s, const char *id, bh_inbox_item *out, char *err, size_t errlen);
/*
 * Moves a pending item to accepted or rejected, storing the imported case
 * JSON (accepted only) and the receipt text. BATON_EEXIST when the item was
 * already decided: a package is accepted or rejected once.
 */
int bh_store_inbox_decide(bh_store *s, const char *id, const char *status, const char *reason,
                          const char *case_json, const char *receipt, char *err, size_t errlen);
int bh_store_inbox_list(bh_store *s, cJSON **out, char *err, size_t errlen);
/* The imported case of an accepted item (strdup'ed; BATON_ENOENT when the
 * item is not accepted or does not exist). */
int bh_store_inbox_case(bh_store *s, const char *id, char **case_json, char *err, size_t errlen);
/* The stored receipt of a decided item ({"receipt", "minisig"} text,
 * strdup'ed; BATON_ENOENT when there is none). */
int bh_store_inbox_receipt(bh_store *s, const char *id, char **receipt, char *err, size_t errlen);

/* --- uploaded plugins (plugin_catalog.h gives them meaning) --- */

/*
 * A plugin version a tenant uploaded. Its bytes are stored by content in
 * the tenant's plugins folder (plugin_catalog.h); (name, sha256) is unique,
 * and a sha256 has exactly one name (the name is inside the file).
 */
typedef struct bh_plugin_version {
    char name[64];     /* the descriptor's name */
    char sha256[65];   /* hex, of the .so */
    char version[64];  /* the descriptor's version string */
    char scope[128];   /* "jurisdiction:gb-ew", "agency:<tenant>" */
    char sdk[16];      /* "1.0": the SDK it was built against */
    uint64_t size;     /* bytes */
    char signer[24];   /* minisign key id (hex) of the tenant key that signed it */
    char uploaded[32]; /* RFC 3339 UTC */
} bh_plugin_version;

/*
 * Activations of a name form a stack: activating pushes, rolling back
 * pops, the top is the active version. Deleting a version removes it from
 * the stack too, so a rollback never returns to a deleted version.
 */
typedef struct bh_plugin_activation {
    char sha256[65];    /* "" when there is none */
    char *config;       /* owned JSON text, NULL when none; free() it */
    char activated[32]; /* RFC 3339 UTC */
} bh_plugin_activation;

/* Adds a version; BATON_EEXIST when (name, sha256) is there already. */
int bh_store_plugin_add(bh_store *s, const bh_plugin_version *v, char *err, size_t errlen);
/* One version; BATON_ENOENT when absent. */
int bh_store_plugin_get(bh_store *s, const char *name, const char *sha256, bh_plugin_version *out,
                        char *err, size_t errlen);
/* Every version as a JSON array of objects (the fields above plus
 * "active": true/false), by name then upload time. */
int bh_store_plugin_list(bh_store *s, cJSON **out, char *err, size_t errlen);
/*
 * Makes (name, sha256) the active version with config (JSON text or NULL):
 * pushes it, or, when it is already the top, replaces the top's config.
 * BATON_ENOENT when the version does not exist.
 */
int bh_store_plugin_push(bh_store *s, const char *name, const char *sha256, const char *config,
                         char *err, size_t errlen);
/* Pops the top of name's stack if its sha256 is sha256 (BATON_EEXIST
 * otherwise: it changed meanwhile; BATON_ENOENT when empty). */
int bh_store_plugin_pop(bh_store *s, const char *name, const char *sha256, char *err,
                        size_t errlen);
/* The top (active) and the entry below it (what a rollback returns to) of
 * name's stack; either sha256 is "" when absent. Free both with
 * bh_plugin_activation_clear. */
int bh_store_plugin_top(bh_store *s, const char *name, bh_plugin_activation *top,
                        bh_plugin_activation *below, char *err, size_t errlen);
void bh_plugin_activation_clear(bh_plugin_activation *a);
/* The active version of every name: [{"name","sha256","config"}], config
 * being the JSON text or null. */
int bh_store_plugin_active(bh_store *s, cJSON **out, char *err, size_t errlen);
/* Removes a version that is not active; BATON_EEXIST when it is (the top
 * of its stack), BATON_ENOENT when absent. */
int bh_store_plugin_remove(bh_store *s, const char *name, const char *sha256, char *err,
                           size_t errlen);

/* --- placements: what each handoff placed (store_placements.c) --- */

/*
 * Recorded with the handoff, in its transaction: the day, the balance
 * handed over and the expected recovery at placement (placement_facts.h).
 * Read back joined with the handoff (firm, case id); a handoff the firm
 * rejected is no placement and is not listed.
 */
typedef struct bh_placement_record {
    char handoff_id[40];
    char firm[128];    /* the handoff's recipient (read only) */
    char case_id[128]; /* (read only) */
    char placed[11];   /* YYYY-MM-DD */
    int64_t amount_minor;
    char currency[4];
    int forecast_known; /* 0: the forecast is unknown */
    int64_t forecast_minor;
} bh_placement_record;

/* Adds the placement of handoff p->handoff_id; inside a transaction it
 * joins it. BATON_EEXIST when that handoff has one. */
int bh_store_placement_add(bh_store *s, const bh_placement_record *p, char *err, size_t errlen);
/* One placement; BATON_ENOENT when there is none (or it was rejected). */
int bh_store_placement_get(bh_store *s, const char *handoff_id, bh_placement_record *out, char *err,
                           size_t errlen);
/*
 * Placements made from from to to (YYYY-MM-DD, inclusive; NULL: no
 * bound) with firm (a handoff recipient; NULL: any), by day then handoff
 * id, skipping offset, at most limit (1..1000). *out (free()) holds *n
 * records; *total counts all that match.
 */
int bh_store_placement_page(bh_store *s, const char *from, const char *to, const char *firm,
                            int64_t offset, int64_t limit, bh_placement_record **out, size_t *n,
                            int64_t *total, char *err, size_t errlen);

/* --- transactions --- */

/*
 * Opens a write transaction (BEGIN IMMEDIATE) and holds the store's lock
 * until bh_store_commit or bh_store_rollback: the calls this thread makes
 * on s meanwhile join it, other threads wait. An action and its audit
 * record are written in one transaction, so both are kept or neither
 * (docs/audit.md). Never open a second one on the same store before
 * closing the first (BATON_EINVAL). bh_store_commit always ends the
 * transaction (rolled back when the commit fails).
 */
int bh_store_begin(bh_store *s, char *err, size_t errlen);
int bh_store_commit(bh_store *s, char *err, size_t errlen);
void bh_store_rollback(bh_store *s);

/* --- outbox: effects on other stores, delivered after the commit --- */

/*
 * A record written in the same transaction as the change it belongs to,
 * and delivered afterwards (handoff_deliver.c): a package to a law firm's
 * inbox, a receipt to an agency's handoff, a ledger entry to this tenant's
 * replay ledger, a case event to the other party of a handoff. It stays until bh_store_outbox_done,
 * so what a crash interrupted is delivered again at the next start; deliveries are idempotent,
 * keyed by the handoff id.
 */
typedef struct bh_outbox_record {
    char id[40];         /* "ob_" + 32 hex */
    char kind[16];       /* "package", "receipt", "ledger", "event" */
    char target[128];    /* the tenant it goes to (this tenant for "ledger") */
    char handoff_id[40]; /* the handoff it belongs to */
    char *payload;       /* JSON object text, owned */
    char created[32];
} bh_outbox_record;

/* Adds a record; its id is written to id_out (40 bytes). */
int bh_store_outbox_add(bh_store *s, const char *kind, const char *target, const char *handoff_id,
                        const char *payload, char id_out[40], char *err, size_t errlen);
/* Records not yet delivered, oldest first (only record id when id is not
 * NULL), at most max. Free with bh_outbox_records_free. */
int bh_store_outbox_pending(bh_store *s, const char *id, size_t max, bh_outbox_record **out,
                            size_t *n, char *err, size_t errlen);
/* The same for every pending record of kind on handoff_id, oldest first. */
int bh_store_outbox_pending_for(bh_store *s, const char *kind, const char *handoff_id, size_t max,
                                bh_outbox_record **out, size_t *n, char *err, size_t errlen);
void bh_outbox_records_free(bh_outbox_record *r, size_t n);
/* Removes a delivered record (0 also when it was gone already). */
int bh_store_outbox_done(bh_store *s, const char *id, char *err, size_t errlen);

/* --- case events (store_events.c; baton/event.h gives them meaning) --- */

/*
 * A signed case event as this tenant keeps it: both chains of a handoff
 * (the firm's and the agency's) are stored by both tenants. Rows are
 * append-only; (handoff_id, role, seq) and (handoff_id, sender, event_id)
 * are unique (BATON_EEXIST on a duplicate). pos is the row's place in this
 * store's order of arrival (1, 2, ...; shared by every handoff of the
 * tenant), which GET .../events?since=N pages by.
 */
typedef struct bh_stored_event {
    int64_t pos;
    char handoff_id[40];
    char role[8]; /* "firm", "agency" */
    char sender[130];
    int64_t seq;
    char event_id[66];
    char kind[24];
    char date[12];   /* YYYY-MM-DD */
    char stored[32]; /* RFC 3339 UTC: when this store received it */
    char *line;      /* owned: the exact event line, LF included */
    char *minisig;   /* owned: its .minisig text */
} bh_stored_event;

/* Frees what e owns (e itself is the caller's). */
void bh_stored_event_clear(bh_stored_event *e);

/* Adds e (pos and stored are set by the store; e->pos receives the new
 * one). Inside a transaction it joins it. */
int bh_store_event_add(bh_store *s, bh_stored_event *e, char *err, size_t errlen);
/* The last event of role's chain on handoff_id, or BATON_ENOENT. */
int bh_store_event_last(bh_store *s, const char *handoff_id, const char *role, bh_stored_event *out,
                        char *err, size_t errlen);
/* The event sender sent with event_id on handoff_id, or BATON_ENOENT. */
int bh_store_event_by_id(bh_store *s, const char *handoff_id, const char *sender,
                         const char *event_id, bh_stored_event *out, char *err, size_t errlen);
/* The first event of role's chain on handoff_id of kind with pos > after:
 * its pos, or BATON_ENOENT. */
int bh_store_event_find(bh_store *s, const char *handoff_id, const char *role, const char *kind,
                        int64_t after, int64_t *pos, char *err, size_t errlen);
/* How many events of both chains handoff_id has. */
int bh_store_event_count(bh_store *s, const char *handoff_id, int64_t *n, char *err, size_t errlen);
/*
 * Calls fn for each event of handoff_id (of every handoff when NULL)
 * with pos > since, in order of
 * arrival, at most limit of them (0: no limit); fn returning non-zero stops
 * the walk, and that value is returned. The event (and its line) is valid
 * during the call only.
 */
typedef int (*bh_event_visit)(void *ctx, const bh_stored_event *e);
int bh_store_events_list(bh_store *s, const char *handoff_id, int64_t since, int64_t limit,
                         bh_event_visit fn, void *ctx, char *err, size_t errlen);
/* --- audit log (store_audit.c) --- */

/*
 * Appends one event and returns its seq and hash (either may be NULL).
 * Each row stores prev_hash (the previous row's hash, 64 zeros for the
 * first) and hash = SHA-256 over prev_hash, seq, ts, actor, action,
 * subject and detail joined by "\n" (docs/audit.md), so removing or
 * changing a row breaks the chain from there on. detail is a JSON object
 * text (never a secret) or NULL. Inside a transaction it joins it.
 */
int bh_store_audit_add(bh_store *s, const char *actor, const char *action, const char *subject,
                       const char *detail, int64_t *seq, char hash[65], char *err, size_t errlen);
int bh_store_audit(bh_store *s, const char *actor, const char *action, const char *subject,
                   const char *detail, char *err, size_t errlen);
/*
 * Walks the whole chain: seq contiguous from 1, each stored prev_hash equal
 * to the previous row's hash, each hash equal to its recomputation.
 * BATON_ECRYPTO with the first bad row and why in err. On 0, *rows is the
 * number of rows and last_seq/last_hash (may be NULL) the end of the chain
 * (0 and 64 zeros for an empty log).
 */
int bh_store_audit_verify(bh_store *s, uint64_t *rows, int64_t *last_seq, char last_hash[65],
                          char *err, size_t errlen);
/* Events with seq > after, oldest first, at most limit, as a JSON array of
 * {seq, ts, actor, action, subject, detail, prev_hash, hash}. */
int bh_store_audit_page(bh_store *s, int64_t after, int limit, cJSON **out, char *err,
                        size_t errlen);
/* The hash of row seq; BATON_ENOENT when there is no such row. */
int bh_store_audit_hash_at(bh_store *s, int64_t seq, char hash[65], char *err, size_t errlen);
/* The last row's seq and hash (0 and 64 zeros when the log is empty). */
int bh_store_audit_head(bh_store *s, int64_t *seq, char hash[65], char *err, size_t errlen);

/* A signed statement that the chain reached row seq with hash
 * (audit_log.h makes and checks them). */
typedef struct bh_audit_checkpoint {
    int64_t seq;
    char hash[65];
    char ts[32];
    char *statement; /* owned: the signed text */
    char *minisig;   /* owned: its minisign signature */
} bh_audit_checkpoint;

/* Adds a checkpoint; BATON_EEXIST when seq has one already. */
int bh_store_checkpoint_add(bh_store *s, const bh_audit_checkpoint *c, char *err, size_t errlen);
/* Every checkpoint, oldest first; free with bh_audit_checkpoints_free. */
int bh_store_checkpoint_all(bh_store *s, bh_audit_checkpoint **out, size_t *n, char *err,
                            size_t errlen);
void bh_audit_checkpoints_free(bh_audit_checkpoint *c, size_t n);
/* The highest checkpointed seq (0 when none). */
int bh_store_checkpoint_last(bh_store *s, int64_t *seq, char *err, size_t errlen);

/* Current UTC time as RFC 3339 ("2026-11-23T21:50:00Z"); buf >= 21 bytes. */
void bh_store_now(char *buf, size_t len);

/* A fresh random id: prefix + 32 lower-case hex chars. */
void bh_store_new_id(const char *prefix, char *buf, size_t len);

#endif
