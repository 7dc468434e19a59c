/*
 * baton/ygc.h - the YGC interchange: fixed-width records as tables of fields,
 * a strict reader and a writer.
 *
 * The YGC ("You've Got Claims") interchange is how creditors, collection
 * agencies and law firms exchange placements and what follows them as
 * unsigned fixed-width text: one record per line, every record starting
 * with the same 67-byte header (RECORD_CODE, FILENO, FORW_FILE, MASCO_FILE
 * and the two YGC ids), then fields at fixed byte positions. Records
 * 01-29 go from the sender (creditor or agency) to the receiver (law firm),
 * 30-59 back; in the receiver's records the two ids swap places (FIRM_ID at
 * 48-57, FORW_ID at 58-67).
 *
 * The layouts are data (ygc_layouts.c), each field with the published name,
 * 1-based start byte, length and type, and each record with its source:
 * the Latitude/AIM documentation of the interchange (Genesys, "YGC Export
 * Record Type 01 - New Account", "YGC Import Record Type 30 - Financial
 * Transaction", ...), and for the fields those pages do not show, a public
 * implementation of the same record types (docs/ygc.md names which field
 * comes from where).
 *
 * Why in libbaton and not in the host: the reader and writer are pure text
 * work with no host state, and a law firm's own system, the `baton` CLI
 * and batond all read and write the same files (like receipts and
 * packages). What a record *means* for Baton (a placement from a case, a
 * case event from a firm's record) is host-side (host/runtime/ygc_*.c),
 * because it speaks the case format and the event vocabulary.
 *
 * Owns: the layouts, field syntax (text, numbers, amounts, rates, dates),
 * reading a whole file into records with every problem reported by line
 * and field, building and formatting records. Does not own: what records
 * mean, which record types a caller accepts, currencies (amounts are read
 * and written as hundredths, the layouts' "14.2").
 */
#ifndef BATON_YGC_H
#define BATON_YGC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Field types of the published layouts. */
typedef enum baton_ygc_type {
    /* "Char": left-aligned, right-padded with spaces; read trimmed of
     * surrounding spaces. UTF-8 without control characters; positions are
     * byte positions. */
    BATON_YGC_TEXT = 1,
    /* "Numeric" without decimals (RET_CODE, NO_PMTS, TA_NO): digits,
     * surrounded by spaces or zero-padded; written zero-padded. */
    BATON_YGC_NUMBER = 2,
    /* "Numeric 14.2": a decimal point and exactly two decimals, optionally
     * a leading '-' (the layout's NSF reversals), surrounded by spaces;
     * written right-aligned ("        500.00"). Read as hundredths. */
    BATON_YGC_AMOUNT = 3,
    /* "Numeric 5.4": a rate as a fraction with the point shown and up to
     * four decimals, ".1950" = 19.50 %; read and written as basis points. */
    BATON_YGC_RATE = 4,
    /* "Date": CCYYMMDD; "00000000" reads as blank. */
    BATON_YGC_DATE = 5
} baton_ygc_type;

typedef struct baton_ygc_field {
    const char *name;  /* as the layout names it, e.g. "PAY_DATE" */
    uint16_t start;    /* first byte, 1-based as the layouts count */
    uint16_t length;   /* bytes */
    uint8_t type;      /* baton_ygc_type */
    const char *about; /* one line: what the field holds */
} baton_ygc_field;

typedef struct baton_ygc_layout {
    const char *code;  /* "01", "02", "09", "30", "39", "41", "43" */
    const char *title; /* "New Account", "Financial Transaction", ... */
    int from_receiver; /* 1: a receiver's record (FIRM_ID before FORW_ID) */
    const baton_ygc_field *fields;
    size_t n_fields;
    size_t length;      /* bytes up to the end of the last field */
    const char *source; /* where the layout is published */
} baton_ygc_layout;

/* The longest layout this reader knows (record 39 with its call fields). */
#define BATON_YGC_MAX_RECORD 1141
/* The 67-byte header every record starts with. */
#define BATON_YGC_HEADER 67
/* Limits on one file: lines read, problems listed (then one line saying
 * how many more there were). */
#define BATON_YGC_MAX_LINES    10000
#define BATON_YGC_MAX_PROBLEMS 1000

/* The layout of a record code ("30"), or NULL when this reader has none. */
const baton_ygc_layout *baton_ygc_layout_find(const char *code);
/* Every layout known, in code order; *n gets their number. */
const baton_ygc_layout *baton_ygc_layouts(size_t *n);
/* A field of a layout by name, or NULL. */
const baton_ygc_field *baton_ygc_field_find(const baton_ygc_layout *layout, const char *name);

/* One record: its layout and its bytes, padded with spaces to the layout's
 * length (a line may end early: what is missing reads as blank, which the
 * layouts allow for their long comment fields). */
typedef struct baton_ygc_record {
    const baton_ygc_layout *layout;
    size_t line; /* 1-based line in the file it was read from; 0 if built */
    char text[BATON_YGC_MAX_RECORD + 1];
} baton_ygc_record;

typedef struct baton_ygc_problem {
    size_t line;       /* 1-based */
    char field[40];    /* the field's layout name, "" for the line as a whole */
    char message[200]; /* what is wrong, with the bytes and what was expected */
} baton_ygc_problem;

typedef struct baton_ygc_file {
    baton_ygc_record *records; /* the well-formed records, in file order */
    size_t n_records;
    baton_ygc_problem *problems; /* every malformed or unknown line, in order */
    size_t n_problems;
    size_t n_lines; /* lines read */
} baton_ygc_file;

/*
 * Reads a YGC file: lines end with LF or CRLF (the last may end without).
 * Every line is either a record (in ->records) or named in ->problems with
 * its line and field: an unknown record code, a line longer than its
 * layout, a field whose bytes do not fit its type, an empty line. Nothing
 * is dropped silently. Returns 0 (problems or not), BATON_ELIMIT when the
 * file has more than BATON_YGC_MAX_LINES lines, BATON_ENOMEM. The caller
 * frees *out with baton_ygc_file_free.
 */
int baton_ygc_read(const char *data, size_t len, baton_ygc_file **out, char *err, size_t errlen);
void baton_ygc_file_free(baton_ygc_file *f);

/* Checks one record's bytes against its layout; 0 or BATON_EINVAL with
 * the first problem in *p. */
int baton_ygc_check(const baton_ygc_record *r, baton_ygc_problem *p);

/* --- reading fields of a checked record ---
 * Each returns 0, BATON_ENOENT when the field is blank, BATON_EINVAL when
 * the field is unknown to the layout, of another type, or malformed. */

/* The text trimmed of surrounding spaces, NUL-terminated (buf of at least
 * length + 1 bytes); returns its length (0 when blank) or a negative code. */
int baton_ygc_text(const baton_ygc_record *r, const char *field, char *buf, size_t buflen);
int baton_ygc_number(const baton_ygc_record *r, const char *field, uint64_t *value);
int baton_ygc_amount(const baton_ygc_record *r, const char *field, int64_t *hundredths);
int baton_ygc_rate_bp(const baton_ygc_record *r, const char *field, int32_t *bp);
int baton_ygc_date(const baton_ygc_record *r, const char *field, int32_t *year, int32_t *month,
                   int32_t *day);

/* --- building records ---
 * baton_ygc_init fills r with spaces and the record code. The setters
 * refuse (BATON_ERANGE, with the field, its size and the value's in err) a
 * value that does not fit, rather than cutting it. */
int baton_ygc_init(baton_ygc_record *r, const char *code);
/* Text is UTF-8 without control characters; surrounding spaces are
 * dropped. */
int baton_ygc_set_text(baton_ygc_record *r, const char *field, const char *text, char *err,
                       size_t errlen);
int baton_ygc_set_number(baton_ygc_record *r, const char *field, uint64_t value, char *err,
                         size_t errlen);
int baton_ygc_set_amount(baton_ygc_record *r, const char *field, int64_t hundredths, char *err,
                         size_t errlen);
int baton_ygc_set_rate_bp(baton_ygc_record *r, const char *field, int32_t bp, char *err,
                          size_t errlen);
int baton_ygc_set_date(baton_ygc_record *r, const char *field, int32_t year, int32_t month,
                       int32_t day, char *err, size_t errlen);
/* The record as a line: all its bytes up to the layout's length (blank
 * fields as spaces, so fixed-width readers find every position), then CRLF
 * (the layouts' line end), NUL-terminated in buf (at least
 * BATON_YGC_MAX_RECORD + 3 bytes); returns the length, 0 if buf is too
 * small. */
size_t baton_ygc_format(const baton_ygc_record *r, char *buf, size_t buflen);

#ifdef __cplusplus
}
#endif

#endif
