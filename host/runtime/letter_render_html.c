/*
 * letter_render_html.c - a composed letter as one self-contained HTML page.
 *
 * Owns: the HTML markup and its print stylesheet (A4, 20 mm margins, page
 * breaks where the letter asks for them). The page loads nothing from
 * anywhere (no scripts, fonts, images or external styles), and every piece
 * of letter text is escaped, so a plugin's text can never become markup.
 * Does not own: the letter's content, plain text or PDF output.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "letter_buf.h"
#include "letter_render.h"

static const char STYLE[] =
    "@page{size:A4;margin:20mm 20mm 22mm 22mm}"
    "html{background:#eee}"
    "body{margin:0;font-family:'DejaVu Sans',Verdana,sans-serif;font-size:10pt;"
    "line-height:1.4;color:#111}"
    ".letter{background:#fff;max-width:170mm;margin:10mm auto;padding:18mm 20mm;"
    "box-shadow:0 0 4px #999}"
    ".letterhead{text-align:right;font-size:8.5pt;color:#333;border-bottom:1px solid #999;"
    "padding-bottom:3mm;margin-bottom:6mm}"
    ".letterhead div:first-child{font-size:13pt;font-weight:bold;color:#000}"
    "h1{font-size:14pt;margin:6mm 0 3mm}"
    "h2{font-size:11pt;margin:5mm 0 2mm;break-after:avoid}"
    "address{font-style:normal;margin:4mm 0}"
    ".date{text-align:right}"
    "table.rows{border-collapse:collapse;width:100%;margin:2mm 0}"
    "table.rows th{text-align:left;font-weight:normal;color:#333;width:38%;"
    "vertical-align:top;padding:1px 8px 1px 0}"
    "table.rows td{vertical-align:top;padding:1px 0}"
    "table.rows tr{break-inside:avoid}"
    "ul{margin:2mm 0;padding-left:6mm}"
    ".signature{margin-top:8mm}"
    ".small{font-size:7.5pt;color:#333}"
    ".page-break{break-after:page;border-top:1px dashed #bbb;margin:6mm 0}"
    "@media print{html{background:none}.letter{box-shadow:none;margin:0;padding:0;"
    "max-width:none}.page-break{border:0;margin:0}}";

/* Appends text with & < > " ' escaped; '\n' becomes <br> when br is set. */
static int esc(bh_lbuf *b, const char *s, size_t n, bool br)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        case '\n':
            rep = br ? "<br>\n" : " ";
            break;
        default:
            break;
        }
        if (rep != NULL) {
            if (bh_lbuf_add(b, s + start, i - start) != 0 || bh_lbuf_str(b, rep) != 0)
                return BATON_ENOMEM;
            start = i + 1;
        }
    }
    return bh_lbuf_add(b, s + start, n - start);
}

static int esc_str(bh_lbuf *b, const char *s, bool br)
{
    return esc(b, s, strlen(s), br);
}

static int tag(bh_lbuf *b, const char *open, const char *text, const char *close)
{
    if (bh_lbuf_str(b, open) != 0 || esc_str(b, text, true) != 0 || bh_lbuf_str(b, close) != 0)
        return BATON_ENOMEM;
    return 0;
}

/* Each line of a letterhead block becomes one <div>. */
static int letterhead(bh_lbuf *b, const char *text)
{
    const char *p = text;
    for (;;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol != NULL ? (size_t)(eol - p) : strlen(p);
        if (bh_lbuf_str(b, "<div>") != 0 || esc(b, p, n, false) != 0 ||
            bh_lbuf_str(b, "</div>\n") != 0)
            return BATON_ENOMEM;
        if (eol == NULL)
            return 0;
        p = eol + 1;
    }
}

static int row(bh_lbuf *b, const char *text)
{
    const char *tab = strchr(text, '\t');
    if (bh_lbuf_str(b, "<tr><th>") != 0)
        return BATON_ENOMEM;
    if (tab == NULL)
        return tag(b, "", text, "</th><td></td></tr>\n");
    if (esc(b, text, (size_t)(tab - text), true) != 0)
        return BATON_ENOMEM;
    return tag(b, "</th><td>", tab + 1, "</td></tr>\n");
}

/* Closing markup of a group (letterhead, rows, bullets) when it ends. */
static const char *group_close(enum baton_block_kind k)
{
    switch (k) {
    case BATON_BLOCK_LETTERHEAD:
        return "</header>\n";
    case BATON_BLOCK_ROW:
        return "</table>\n";
    case BATON_BLOCK_BULLET:
        return "</ul>\n";
    default:
        return "";
    }
}

static const char *group_open(enum baton_block_kind k)
{
    switch (k) {
    case BATON_BLOCK_LETTERHEAD:
        return "<header class=\"letterhead\">\n";
    case BATON_BLOCK_ROW:
        return "<table class=\"rows\">\n";
    case BATON_BLOCK_BULLET:
        return "<ul>\n";
    default:
        return "";
    }
}

int bh_letter_render_html(const baton_letter *l, char **out, size_t *len, char *err, size_t errlen)
{
    bh_lbuf b = {0};
    int rc = BATON_ENOMEM;
    enum baton_block_kind prev = 0;
    const char *title = NULL;

    *out = NULL;
    *len = 0;
    if (l == NULL || l->count == 0) {
        rc = BATON_EINVAL;
        snprintf(err, errlen, "the letter has no content");
        goto out;
    }
    title = l->title;
    for (size_t i = 0; title == NULL && i < l->count; i++) {
        if (l->blocks[i].kind == BATON_BLOCK_TITLE)
            title = l->blocks[i].text;
    }
    if (bh_lbuf_str(&b, "<!DOCTYPE html>\n<html lang=\"") != 0 ||
        esc_str(&b, l->language != NULL ? l->language : "en", false) != 0 ||
        bh_lbuf_str(&b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width\">\n"
                        "<meta http-equiv=\"Content-Security-Policy\" "
                        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n") != 0 ||
        tag(&b, "<title>", title != NULL ? title : "Letter", "</title>\n") != 0 ||
        bh_lbuf_str(&b, "<style>") != 0 || bh_lbuf_str(&b, STYLE) != 0 ||
        bh_lbuf_str(&b, "</style>\n</head>\n<body>\n<main class=\"letter\"") != 0)
        goto out;
    if (l->reference != NULL &&
        (bh_lbuf_str(&b, " data-reference=\"") != 0 || esc_str(&b, l->reference, false) != 0 ||
         bh_lbuf_str(&b, "\"") != 0))
        goto out;
    if (bh_lbuf_str(&b, ">\n") != 0)
        goto out;

    for (size_t i = 0; i < l->count; i++) {
        const bh_letter_block *blk = &l->blocks[i];
        enum baton_block_kind k = blk->kind;
        if (k != prev) {
            if (bh_lbuf_str(&b, group_close(prev)) != 0 || bh_lbuf_str(&b, group_open(k)) != 0)
                goto out;
        }
        int r = 0;
        switch (k) {
        case BATON_BLOCK_LETTERHEAD:
            r = letterhead(&b, blk->text);
            break;
        case BATON_BLOCK_TITLE:
            r = tag(&b, "<h1>", blk->text, "</h1>\n");
            break;
        case BATON_BLOCK_HEADING:
            r = tag(&b, "<h2>", blk->text, "</h2>\n");
            break;
        case BATON_BLOCK_ADDRESS:
            r = tag(&b, "<address>", blk->text, "</address>\n");
            break;
        case BATON_BLOCK_DATE:
            r = tag(&b, "<p class=\"date\">", blk->text, "</p>\n");
            break;
        case BATON_BLOCK_ROW:
            r = row(&b, blk->text);
            break;
        case BATON_BLOCK_BULLET:
            r = tag(&b, "<li>", blk->text, "</li>\n");
            break;
        case BATON_BLOCK_SIGNATURE:
            r = tag(&b, "<p class=\"signature\">", blk->text, "</p>\n");
            break;
        case BATON_BLOCK_SMALLPRINT:
            r = tag(&b, "<p class=\"small\">", blk->text, "</p>\n");
            break;
        case BATON_BLOCK_PAGE_BREAK:
            r = bh_lbuf_str(&b, "<div class=\"page-break\"></div>\n");
            break;
        case BATON_BLOCK_PARAGRAPH:
        default:
            r = tag(&b, "<p>", blk->text, "</p>\n");
            break;
        }
        if (r != 0)
            goto out;
        prev = k;
    }
    if (bh_lbuf_str(&b, group_close(prev)) != 0 ||
        bh_lbuf_str(&b, "</main>\n</body>\n</html>\n") != 0)
        goto out;
    *out = b.data;
    *len = b.len;
    b.data = NULL;
    rc = 0;
out:
    if (rc == BATON_ENOMEM)
        snprintf(err, errlen, "out of memory rendering the letter as HTML");
    free(b.data);
    return rc;
}
