/*
 * letter_render_pdf.c - a composed letter as an A4 PDF, laid out with Pango
 * on a cairo PDF surface.
 *
 * Owns: the PDF page layout: margins, fonts (DejaVu Sans from Debian's
 * fonts-dejavu-core, which covers Latin, Greek, Cyrillic and the currency
 * signs), the style of each block kind, line wrapping (Pango, word then
 * character), page breaks (paragraphs split between lines; address blocks,
 * rows and bullets kept whole; a heading never left alone at the foot of a
 * page), and on a letter of several pages a running header with title and
 * reference on every page after the first and "Page n of N" at the foot of
 * every page.
 *
 * Layout runs twice over the same blocks: the first pass only measures, to
 * learn N for "Page n of N"; the second draws. Both passes make the same
 * decisions because they measure the same layouts.
 *
 * Threading: no global state of its own. Pango's default font map is per
 * thread (Pango >= 1.32.6), so letters may be rendered on several
 * thread-pool threads at once.
 *
 * Does not own: the letter's content, text or HTML output.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "letter_render.h"

#if defined(__has_include)
#if __has_include(<pango/pangocairo.h>)
#define HAVE_PANGOCAIRO 1
#endif
#endif

#ifdef HAVE_PANGOCAIRO

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

/* A4 in PostScript points (1 pt = 1/72 in): 210 x 297 mm. */
#define PAGE_W    595.276
#define PAGE_H    841.890
#define MARGIN_L  62.0 /* 22 mm */
#define MARGIN_R  56.7 /* 20 mm */
#define MARGIN_T  56.7
#define MARGIN_B  62.0
#define CONTENT_W (PAGE_W - MARGIN_L - MARGIN_R)
#define BOTTOM    (PAGE_H - MARGIN_B)
#define RUNHEAD_H 22.0 /* space the running header takes on later pages */
#define LABEL_W   (CONTENT_W * 0.38)
#define COL_GAP   10.0
#define BULLET_IN 14.0

#define FONT_BODY  "DejaVu Sans 9.5"
#define FONT_SMALL "DejaVu Sans 7.5"
#define FONT_TITLE "DejaVu Sans Bold 13.5"
#define FONT_HEAD  "DejaVu Sans Bold 10.5"
#define FONT_LH1   "DejaVu Sans Bold 12.5"
#define FONT_LH    "DejaVu Sans 7.5"

typedef struct pdf_out {
    char *data;
    size_t len, cap;
} pdf_out;

typedef struct pager {
    cairo_t *cr;
    PangoContext *pc;
    bool draw;           /* second pass: draw; first pass: measure only */
    int page;            /* current page, from 1 */
    int pages;           /* total pages (known in the second pass) */
    double y;            /* next free y on the page */
    bool page_empty;     /* nothing placed on this page yet */
    const char *runhead; /* title / reference for later pages, may be NULL */
    bool multi;          /* the letter has more than one page */
} pager;

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
    pdf_out *o = closure;
    if (o->len + length > o->cap) {
        size_t cap = o->cap != 0 ? o->cap : 65536;
        while (cap < o->len + length)
            cap *= 2;
        char *p = realloc(o->data, cap);
        if (p == NULL)
            return CAIRO_STATUS_NO_MEMORY;
        o->data = p;
        o->cap = cap;
    }
    memcpy(o->data + o->len, data, length);
    o->len += length;
    return CAIRO_STATUS_SUCCESS;
}

static PangoLayout *make_layout(pager *pg, const char *font, const char *text, double width,
                                PangoAlignment align)
{
    PangoLayout *lay = pango_layout_new(pg->pc);
    if (lay == NULL)
        return NULL;
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(lay, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(lay, align);
    pango_layout_set_text(lay, text, -1);
    return lay;
}

static double layout_height(PangoLayout *lay)
{
    int w, h;
    pango_layout_get_size(lay, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void grey(pager *pg, double v)
{
    if (pg->draw)
        cairo_set_source_rgb(pg->cr, v, v, v);
}

/* Footer of the current page ("Page n of N") when the letter has several. */
static void finish_page(pager *pg)
{
    if (!pg->draw || !pg->multi)
        return;
    char buf[64];
    snprintf(buf, sizeof buf, "Page %d of %d", pg->page, pg->pages);
    PangoLayout *lay = make_layout(pg, FONT_SMALL, buf, CONTENT_W, PANGO_ALIGN_RIGHT);
    if (lay == NULL)
        return;
    grey(pg, 0.35);
    cairo_move_to(pg->cr, MARGIN_L, PAGE_H - MARGIN_B + 20.0);
    pango_cairo_show_layout(pg->cr, lay);
    grey(pg, 0.0);
    g_object_unref(lay);
}

static void new_page(pager *pg)
{
    finish_page(pg);
    if (pg->draw)
        cairo_show_page(pg->cr);
    pg->page++;
    pg->y = MARGIN_T;
    pg->page_empty = true;
    if (pg->runhead != NULL) {
        if (pg->draw) {
            PangoLayout *lay =
                make_layout(pg, FONT_SMALL, pg->runhead, CONTENT_W * 0.7, PANGO_ALIGN_LEFT);
            if (lay != NULL) {
                pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
                grey(pg, 0.35);
                cairo_move_to(pg->cr, MARGIN_L, MARGIN_T - 14.0);
                pango_cairo_show_layout(pg->cr, lay);
                cairo_set_line_width(pg->cr, 0.4);
                cairo_move_to(pg->cr, MARGIN_L, MARGIN_T - 2.0);
                cairo_line_to(pg->cr, MARGIN_L + CONTENT_W, MARGIN_T - 2.0);
                cairo_stroke(pg->cr);
                grey(pg, 0.0);
                g_object_unref(lay);
            }
        }
        pg->y = MARGIN_T + RUNHEAD_H - 14.0;
    }
}

/* Starts a new page unless h more points fit (or the page is still empty). */
static void need(pager *pg, double h)
{
    if (pg->y + h > BOTTOM && !pg->page_empty)
        new_page(pg);
}

static void space(pager *pg, double h)
{
    if (!pg->page_empty)
        pg->y += h;
}

/*
 * Places a layout at x, line by line, breaking to a new page between lines
 * when the page is full. With keep set the block moves to the next page as
 * a whole when it does not fit (unless it is taller than a page).
 */
static void place(pager *pg, PangoLayout *lay, double x, bool keep)
{
    double h = layout_height(lay);
    if (keep && h <= BOTTOM - MARGIN_T - RUNHEAD_H)
        need(pg, h);
    PangoLayoutIter *it = pango_layout_get_iter(lay);
    double top = -1.0; /* layout y of the first line on this page */
    double base_y = pg->y;
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double ly = (double)logical.y / PANGO_SCALE;
        double lh = (double)logical.height / PANGO_SCALE;
        double baseline = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        if (top < 0.0)
            top = ly;
        if (base_y + (ly - top) + lh > BOTTOM && !(pg->page_empty && ly == top)) {
            new_page(pg);
            base_y = pg->y;
            top = ly;
        }
        if (pg->draw) {
            PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
            cairo_move_to(pg->cr, x + (double)logical.x / PANGO_SCALE, base_y + (baseline - top));
            pango_cairo_show_layout_line(pg->cr, line);
        }
        pg->y = base_y + (ly - top) + lh;
        pg->page_empty = false;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* Draws a layout at (x, y) without any page logic (a row's cells). */
static void put(pager *pg, PangoLayout *lay, double x, double y)
{
    if (!pg->draw)
        return;
    cairo_move_to(pg->cr, x, y);
    pango_cairo_show_layout(pg->cr, lay);
}

static int block_text(pager *pg, const char *font, const char *text, double x, double w,
                      PangoAlignment align, bool keep)
{
    PangoLayout *lay = make_layout(pg, font, text, w, align);
    if (lay == NULL)
        return BATON_ENOMEM;
    place(pg, lay, x, keep);
    g_object_unref(lay);
    return 0;
}

static int row(pager *pg, const char *text)
{
    const char *tab = strchr(text, '\t');
    char *label = strndup(text, tab != NULL ? (size_t)(tab - text) : strlen(text));
    if (label == NULL)
        return BATON_ENOMEM;
    PangoLayout *l1 = make_layout(pg, FONT_BODY, label, LABEL_W, PANGO_ALIGN_LEFT);
    PangoLayout *l2 = make_layout(pg, FONT_BODY, tab != NULL ? tab + 1 : "",
                                  CONTENT_W - LABEL_W - COL_GAP, PANGO_ALIGN_LEFT);
    free(label);
    int rc = BATON_ENOMEM;
    if (l1 == NULL || l2 == NULL)
        goto out;
    double h1 = layout_height(l1), h2 = layout_height(l2);
    double h = h1 > h2 ? h1 : h2;
    need(pg, h);
    grey(pg, 0.25);
    put(pg, l1, MARGIN_L, pg->y);
    grey(pg, 0.0);
    put(pg, l2, MARGIN_L + LABEL_W + COL_GAP, pg->y);
    pg->y += h + 1.5;
    pg->page_empty = false;
    rc = 0;
out:
    if (l1 != NULL)
        g_object_unref(l1);
    if (l2 != NULL)
        g_object_unref(l2);
    return rc;
}

static int bullet(pager *pg, const char *text)
{
    PangoLayout *lay = make_layout(pg, FONT_BODY, text, CONTENT_W - BULLET_IN, PANGO_ALIGN_LEFT);
    PangoLayout *dot = make_layout(pg, FONT_BODY, "\u2022", BULLET_IN, PANGO_ALIGN_LEFT);
    int rc = BATON_ENOMEM;
    if (lay == NULL || dot == NULL)
        goto out;
    double h = layout_height(lay);
    if (h <= BOTTOM - MARGIN_T - RUNHEAD_H)
        need(pg, h);
    else
        need(pg, layout_height(dot));
    put(pg, dot, MARGIN_L + 3.0, pg->y);
    place(pg, lay, MARGIN_L + BULLET_IN, false);
    pg->y += 2.0;
    rc = 0;
out:
    if (lay != NULL)
        g_object_unref(lay);
    if (dot != NULL)
        g_object_unref(dot);
    return rc;
}

/* The letterhead: right-aligned, first line of the first block large. */
static int letterhead(pager *pg, const char *text, bool first)
{
    const char *rest = text;
    if (first) {
        size_t n = strcspn(text, "\n");
        char *name = strndup(text, n);
        if (name == NULL)
            return BATON_ENOMEM;
        int rc = block_text(pg, FONT_LH1, name, MARGIN_L, CONTENT_W, PANGO_ALIGN_RIGHT, true);
        free(name);
        if (rc != 0)
            return rc;
        pg->y += 2.0;
        rest = text[n] == '\n' ? text + n + 1 : NULL;
    }
    if (rest == NULL || *rest == '\0')
        return 0;
    grey(pg, 0.2);
    int rc = block_text(pg, FONT_LH, rest, MARGIN_L, CONTENT_W, PANGO_ALIGN_RIGHT, true);
    grey(pg, 0.0);
    return rc;
}

static void rule(pager *pg)
{
    pg->y += 4.0;
    if (pg->draw) {
        cairo_set_source_rgb(pg->cr, 0.55, 0.55, 0.55);
        cairo_set_line_width(pg->cr, 0.6);
        cairo_move_to(pg->cr, MARGIN_L, pg->y);
        cairo_line_to(pg->cr, MARGIN_L + CONTENT_W, pg->y);
        cairo_stroke(pg->cr);
        cairo_set_source_rgb(pg->cr, 0, 0, 0);
    }
    pg->y += 10.0;
}

/* Height of n body lines, for keeping a heading with what follows it. */
static double body_lines(pager *pg, int n)
{
    PangoLayout *lay = make_layout(pg, FONT_BODY, "Ag", CONTENT_W, PANGO_ALIGN_LEFT);
    if (lay == NULL)
        return 12.0 * n;
    double h = layout_height(lay) * n;
    g_object_unref(lay);
    return h;
}

/* One pass over the letter; returns the number of pages, or a negative code. */
static int lay_out(pager *pg, const baton_letter *l)
{
    enum baton_block_kind prev = 0;
    bool seen_letterhead = false;
    pg->page = 1;
    pg->y = MARGIN_T;
    pg->page_empty = true;
    cairo_set_source_rgb(pg->cr, 0, 0, 0);
    for (size_t i = 0; i < l->count; i++) {
        const bh_letter_block *blk = &l->blocks[i];
        enum baton_block_kind k = blk->kind;
        int rc = 0;
        if (prev == BATON_BLOCK_LETTERHEAD && k != BATON_BLOCK_LETTERHEAD)
            rule(pg);
        switch (k) {
        case BATON_BLOCK_LETTERHEAD:
            rc = letterhead(pg, blk->text, !seen_letterhead);
            seen_letterhead = true;
            break;
        case BATON_BLOCK_TITLE:
            space(pg, 12.0);
            need(pg, 18.0 + body_lines(pg, 3));
            rc = block_text(pg, FONT_TITLE, blk->text, MARGIN_L, CONTENT_W, PANGO_ALIGN_LEFT, true);
            pg->y += 4.0;
            break;
        case BATON_BLOCK_HEADING:
            space(pg, 10.0);
            need(pg, 16.0 + body_lines(pg, 3));
            rc = block_text(pg, FONT_HEAD, blk->text, MARGIN_L, CONTENT_W, PANGO_ALIGN_LEFT, true);
            pg->y += 3.0;
            break;
        case BATON_BLOCK_ADDRESS:
            space(pg, 10.0);
            rc = block_text(pg, FONT_BODY, blk->text, MARGIN_L, CONTENT_W * 0.6, PANGO_ALIGN_LEFT,
                            true);
            pg->y += 6.0;
            break;
        case BATON_BLOCK_DATE:
            space(pg, 6.0);
            rc = block_text(pg, FONT_BODY, blk->text, MARGIN_L, CONTENT_W, PANGO_ALIGN_RIGHT, true);
            break;
        case BATON_BLOCK_ROW:
            if (prev != BATON_BLOCK_ROW)
                space(pg, 6.0);
            rc = row(pg, blk->text);
            break;
        case BATON_BLOCK_BULLET:
            if (prev != BATON_BLOCK_BULLET)
                space(pg, 5.0);
            rc = bullet(pg, blk->text);
            break;
        case BATON_BLOCK_SIGNATURE:
            space(pg, 16.0);
            rc = block_text(pg, FONT_BODY, blk->text, MARGIN_L, CONTENT_W, PANGO_ALIGN_LEFT, true);
            break;
        case BATON_BLOCK_SMALLPRINT:
            space(pg, 6.0);
            grey(pg, 0.2);
            rc =
                block_text(pg, FONT_SMALL, blk->text, MARGIN_L, CONTENT_W, PANGO_ALIGN_LEFT, false);
            grey(pg, 0.0);
            break;
        case BATON_BLOCK_PAGE_BREAK:
            if (!pg->page_empty)
                new_page(pg);
            break;
        case BATON_BLOCK_PARAGRAPH:
        default:
            space(pg, 7.0);
            rc = block_text(pg, FONT_BODY, blk->text, MARGIN_L, CONTENT_W, PANGO_ALIGN_LEFT, false);
            break;
        }
        if (rc != 0)
            return rc;
        prev = k;
    }
    if (prev == BATON_BLOCK_LETTERHEAD)
        rule(pg);
    finish_page(pg);
    return pg->page;
}

/* "Title — Ref. X" for the running header; NULL when the letter has neither. */
static char *running_head(const baton_letter *l)
{
    const char *title = l->title;
    for (size_t i = 0; title == NULL && i < l->count; i++) {
        if (l->blocks[i].kind == BATON_BLOCK_TITLE)
            title = l->blocks[i].text;
    }
    const char *ref = l->reference;
    if (title == NULL && ref == NULL)
        return NULL;
    size_t n = (title != NULL ? strlen(title) : 0) + (ref != NULL ? strlen(ref) : 0) + 16;
    char *s = malloc(n);
    if (s == NULL)
        return NULL;
    if (title != NULL && ref != NULL)
        snprintf(s, n, "%s \u2014 %s", title, ref);
    else
        snprintf(s, n, "%s", title != NULL ? title : ref);
    /* One line only. */
    for (char *p = s; *p != '\0'; p++) {
        if (*p == '\n')
            *p = ' ';
    }
    return s;
}

/*
 * The PDF's creation date, when SOURCE_DATE_EPOCH (the reproducible-builds
 * convention: seconds since 1970 UTC) is set, so that a letter rendered
 * twice gives the same bytes; otherwise cairo writes the current time.
 */
static bool source_date(char *buf, size_t len)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    if (env == NULL || *env == '\0')
        return false;
    long long t = strtoll(env, &end, 10);
    if (*end != '\0' || t < 0 || t > 253402300799LL) /* up to 9999-12-31 */
        return false;
    long long days = t / 86400, secs = t % 86400;
    baton_date d = baton_days_to_date(days);
    snprintf(buf, len, "%04d-%02d-%02dT%02lld:%02lld:%02lldZ", (int)d.year, (int)d.month,
             (int)d.day, secs / 3600, secs / 60 % 60, secs % 60);
    return true;
}

int bh_letter_render_pdf(const baton_letter *l, char **out, size_t *len, char *err, size_t errlen)
{
    pdf_out o = {0};
    cairo_surface_t *surface = NULL;
    cairo_t *cr = NULL;
    PangoContext *pc = NULL;
    char *runhead = NULL;
    char created[32];
    int rc = BATON_ENOMEM;

    *out = NULL;
    *len = 0;
    if (l == NULL || l->count == 0) {
        snprintf(err, errlen, "the letter has no content");
        return BATON_EINVAL;
    }
    runhead = running_head(l);
    surface = cairo_pdf_surface_create_for_stream(pdf_write, &o, PAGE_W, PAGE_H);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cannot create a PDF surface: %s",
                 cairo_status_to_string(cairo_surface_status(surface)));
        rc = BATON_EIO;
        goto out;
    }
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
    if (runhead != NULL)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, runhead);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Baton");
    if (source_date(created, sizeof created))
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, created);
    cr = cairo_create(surface);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        goto out;
    pc = pango_cairo_create_context(cr);
    if (pc == NULL)
        goto out;
    {
        /* Metrics that do not depend on the output device's hinting, so
         * the measuring pass and the drawing pass agree exactly. */
        cairo_font_options_t *fo = cairo_font_options_create();
        cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
        pango_cairo_context_set_font_options(pc, fo);
        cairo_font_options_destroy(fo);
    }

    pager pg = {.cr = cr, .pc = pc, .draw = false, .runhead = runhead};
    int pages = lay_out(&pg, l);
    if (pages < 0) {
        rc = pages;
        goto out;
    }
    pg = (pager){
        .cr = cr, .pc = pc, .draw = true, .runhead = runhead, .pages = pages, .multi = pages > 1};
    int drawn = lay_out(&pg, l);
    if (drawn < 0) {
        rc = drawn;
        goto out;
    }
    cairo_destroy(cr);
    cr = NULL;
    cairo_surface_finish(surface);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "writing the PDF failed: %s",
                 cairo_status_to_string(cairo_surface_status(surface)));
        rc = cairo_surface_status(surface) == CAIRO_STATUS_NO_MEMORY ? BATON_ENOMEM : BATON_EIO;
        goto out;
    }
    if (o.len == 0) {
        snprintf(err, errlen, "the PDF came out empty");
        rc = BATON_EIO;
        goto out;
    }
    *out = o.data;
    *len = o.len;
    o.data = NULL;
    rc = 0;
out:
    if (rc == BATON_ENOMEM)
        snprintf(err, errlen, "out of memory rendering the letter as PDF");
    if (pc != NULL)
        g_object_unref(pc);
    if (cr != NULL)
        cairo_destroy(cr);
    if (surface != NULL)
        cairo_surface_destroy(surface);
    free(o.data);
    free(runhead);
    return rc;
}

#else /* no pangocairo */

int bh_letter_render_pdf(const baton_letter *l, char **out, size_t *len, char *err, size_t errlen)
{
    (void)l;
    *out = NULL;
    *len = 0;
    snprintf(err, errlen, "this build has no PDF support (pangocairo was not found)");
    return BATON_EUNSUPP;
}

#endif
