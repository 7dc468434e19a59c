/*
 * letter_render_text.c - a composed letter as plain UTF-8 text.
 *
 * Owns: the plain-text layout: 72 columns (one column per code point),
 * words wrapped at spaces, headings underlined, two-column rows aligned
 * with a hanging indent, bullets as "- ", a form feed for a page break.
 * Does not own: the letter's content, HTML or PDF output.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "letter_buf.h"
#include "letter_render.h"

#define WIDTH     72
#define LABEL_COL 30

/*
 * Appends text wrapped to WIDTH columns. Each output line starts with
 * first (on the first line) or cont (on the following ones); '\n' in text
 * starts a new line with cont. A word longer than the line is put on a line
 * of its own, unbroken. start_col is the column the output starts at.
 */
static int wrap_at(bh_lbuf *b, size_t start_col, const char *text, const char *first,
                   const char *cont)
{
    const char *prefix = first;
    const char *p = text;
    for (;;) {
        const char *eol = strchr(p, '\n');
        size_t linelen = eol != NULL ? (size_t)(eol - p) : strlen(p);
        size_t pw = bh_utf8_width(prefix, strlen(prefix));
        size_t col = start_col + pw;
        start_col = 0;
        bool empty = true;
        if (bh_lbuf_str(b, prefix) != 0)
            return BATON_ENOMEM;
        size_t i = 0;
        while (i < linelen) {
            while (i < linelen && p[i] == ' ')
                i++;
            if (i >= linelen)
                break;
            size_t j = i;
            while (j < linelen && p[j] != ' ')
                j++;
            size_t ww = bh_utf8_width(p + i, j - i);
            if (!empty && col + 1 + ww > WIDTH) {
                if (bh_lbuf_str(b, "\n") != 0 || bh_lbuf_str(b, cont) != 0)
                    return BATON_ENOMEM;
                col = bh_utf8_width(cont, strlen(cont));
                empty = true;
            }
            if (!empty) {
                if (bh_lbuf_str(b, " ") != 0)
                    return BATON_ENOMEM;
                col++;
            }
            if (bh_lbuf_add(b, p + i, j - i) != 0)
                return BATON_ENOMEM;
            col += ww;
            empty = false;
            i = j;
        }
        if (bh_lbuf_str(b, "\n") != 0)
            return BATON_ENOMEM;
        if (eol == NULL)
            break;
        p = eol + 1;
        prefix = cont;
    }
    return 0;
}

static int wrap(bh_lbuf *b, const char *text, const char *first, const char *cont)
{
    return wrap_at(b, 0, text, first, cont);
}

/* Lines as given, no wrapping (addresses, letterheads, signatures). */
static int lines(bh_lbuf *b, const char *text, const char *indent)
{
    const char *p = text;
    for (;;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol != NULL ? (size_t)(eol - p) : strlen(p);
        if (bh_lbuf_str(b, indent) != 0 || bh_lbuf_add(b, p, n) != 0 || bh_lbuf_str(b, "\n") != 0)
            return BATON_ENOMEM;
        if (eol == NULL)
            return 0;
        p = eol + 1;
    }
}

static int underline(bh_lbuf *b, const char *text, char c)
{
    size_t w = bh_utf8_width(text, strcspn(text, "\n"));
    if (w > WIDTH)
        w = WIDTH;
    if (bh_lbuf_repeat(b, c, w) != 0 || bh_lbuf_str(b, "\n") != 0)
        return BATON_ENOMEM;
    return 0;
}

/* "label<TAB>value": the label padded to LABEL_COL, the value wrapped with a
 * hanging indent; a label too wide for its column gets a line of its own. */
static int row(bh_lbuf *b, const char *text)
{
    const char *tab = strchr(text, '\t');
    if (tab == NULL)
        return wrap(b, text, "", "");
    size_t lw = bh_utf8_width(text, (size_t)(tab - text));
    char indent[LABEL_COL + 1];
    memset(indent, ' ', LABEL_COL);
    indent[LABEL_COL] = '\0';
    if (bh_lbuf_add(b, text, (size_t)(tab - text)) != 0)
        return BATON_ENOMEM;
    if (lw + 2 > LABEL_COL) {
        if (bh_lbuf_str(b, "\n") != 0)
            return BATON_ENOMEM;
        return wrap(b, tab + 1, indent, indent);
    }
    if (bh_lbuf_repeat(b, ' ', LABEL_COL - lw) != 0)
        return BATON_ENOMEM;
    return wrap_at(b, LABEL_COL, tab + 1, "", indent);
}

int bh_letter_render_text(const baton_letter *l, char **out, size_t *len, char *err, size_t errlen)
{
    bh_lbuf b = {0};
    int rc = BATON_ENOMEM;
    enum baton_block_kind prev = 0;

    *out = NULL;
    *len = 0;
    if (l == NULL || l->count == 0) {
        rc = BATON_EINVAL;
        snprintf(err, errlen, "the letter has no content");
        goto out;
    }
    for (size_t i = 0; i < l->count; i++) {
        const bh_letter_block *blk = &l->blocks[i];
        enum baton_block_kind k = blk->kind;
        bool grouped = (k == prev) && (k == BATON_BLOCK_ROW || k == BATON_BLOCK_BULLET ||
                                       k == BATON_BLOCK_LETTERHEAD);
        /* A rule closes the letterhead. */
        if (prev == BATON_BLOCK_LETTERHEAD && k != BATON_BLOCK_LETTERHEAD &&
            bh_lbuf_repeat(&b, '-', WIDTH) != 0)
            goto out;
        if (prev == BATON_BLOCK_LETTERHEAD && k != BATON_BLOCK_LETTERHEAD &&
            bh_lbuf_str(&b, "\n") != 0)
            goto out;
        if (i > 0 && !grouped && k != BATON_BLOCK_PAGE_BREAK && prev != BATON_BLOCK_PAGE_BREAK &&
            bh_lbuf_str(&b, "\n") != 0)
            goto out;
        int r = 0;
        switch (k) {
        case BATON_BLOCK_TITLE:
            r = lines(&b, blk->text, "");
            if (r == 0)
                r = underline(&b, blk->text, '=');
            break;
        case BATON_BLOCK_HEADING:
            r = lines(&b, blk->text, "");
            if (r == 0)
                r = underline(&b, blk->text, '-');
            break;
        case BATON_BLOCK_ADDRESS:
        case BATON_BLOCK_DATE:
        case BATON_BLOCK_SIGNATURE:
        case BATON_BLOCK_LETTERHEAD:
            r = lines(&b, blk->text, "");
            break;
        case BATON_BLOCK_ROW:
            r = row(&b, blk->text);
            break;
        case BATON_BLOCK_BULLET:
            r = wrap(&b, blk->text, "  - ", "    ");
            break;
        case BATON_BLOCK_PAGE_BREAK:
            r = bh_lbuf_str(&b, "\f\n");
            break;
        case BATON_BLOCK_PARAGRAPH:
        case BATON_BLOCK_SMALLPRINT:
        default:
            r = wrap(&b, blk->text, "", "");
            break;
        }
        if (r != 0)
            goto out;
        prev = k;
    }
    if (prev == BATON_BLOCK_LETTERHEAD &&
        (bh_lbuf_repeat(&b, '-', WIDTH) != 0 || bh_lbuf_str(&b, "\n") != 0))
        goto out;
    *out = b.data;
    *len = b.len;
    b.data = NULL;
    rc = 0;
out:
    if (rc == BATON_ENOMEM)
        snprintf(err, errlen, "out of memory rendering the letter as text");
    free(b.data);
    return rc;
}
