/*
 * letter_render.h - laying out a composed baton_letter as plain text, HTML
 * or PDF.
 *
 * Owns: the three renderers (letter_render_text.c, letter_render_html.c,
 * letter_render_pdf.c) and the mapping between format names, formats and
 * Content-Types.
 *
 * Does not own: what the letter says (plugins write the blocks, letters.c
 * composes letterhead and body), HTTP, files.
 *
 * Every renderer reads the letter only, touches no global state of the host
 * and never blocks on I/O, so it may run on any thread: batond calls the PDF
 * renderer from a libuv thread-pool work item (uv_queue_work) so that the
 * event loop never waits for font shaping and PDF output. Different threads
 * may render different letters at the same time; a letter must not be
 * changed while it is rendered.
 */
#ifndef BH_LETTER_RENDER_H
#define BH_LETTER_RENDER_H

#include <stddef.h>

#include "letter.h"

enum bh_letter_format {
    BH_LETTER_TEXT = 1,
    BH_LETTER_HTML = 2,
    BH_LETTER_PDF = 3,
};

/* "text", "html" or "pdf" to a format; BATON_EINVAL for anything else. */
int bh_letter_format_parse(const char *name, enum bh_letter_format *out);
const char *bh_letter_format_name(enum bh_letter_format f);
/* "text/plain; charset=utf-8", "text/html; charset=utf-8", "application/pdf". */
const char *bh_letter_format_content_type(enum bh_letter_format f);

/*
 * Each renderer writes the whole document into a new buffer. On success *out
 * is the document (malloc'd; the caller frees it with free()) and *len its
 * length in bytes; text and HTML are also NUL-terminated. On failure returns
 * a negative BATON_E* code with the reason in err and leaves *out NULL.
 */
int bh_letter_render_text(const baton_letter *l, char **out, size_t *len, char *err, size_t errlen);
int bh_letter_render_html(const baton_letter *l, char **out, size_t *len, char *err, size_t errlen);
/* A4 PDF laid out with Pango (DejaVu fonts) on a cairo PDF surface. Safe to
 * call from a thread-pool thread; BATON_EUNSUPP when built without pangocairo. */
int bh_letter_render_pdf(const baton_letter *l, char **out, size_t *len, char *err, size_t errlen);

/* Dispatches to one of the three. */
int bh_letter_render(const baton_letter *l, enum bh_letter_format f, char **out, size_t *len,
                     char *err, size_t errlen);

#endif
