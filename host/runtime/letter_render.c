/*
 * letter_render.c - letter output formats: names, Content-Types, and the
 * dispatch to the text, HTML and PDF renderers (letter_render_*.c).
 */
#include <stdio.h>
#include <string.h>

#include "letter_render.h"

int bh_letter_format_parse(const char *name, enum bh_letter_format *out)
{
    if (name == NULL)
        return BATON_EINVAL;
    if (strcmp(name, "text") == 0 || strcmp(name, "txt") == 0)
        *out = BH_LETTER_TEXT;
    else if (strcmp(name, "html") == 0)
        *out = BH_LETTER_HTML;
    else if (strcmp(name, "pdf") == 0)
        *out = BH_LETTER_PDF;
    else
        return BATON_EINVAL;
    return 0;
}

const char *bh_letter_format_name(enum bh_letter_format f)
{
    switch (f) {
    case BH_LETTER_TEXT:
        return "text";
    case BH_LETTER_HTML:
        return "html";
    case BH_LETTER_PDF:
        return "pdf";
    }
    return "unknown";
}

const char *bh_letter_format_content_type(enum bh_letter_format f)
{
    switch (f) {
    case BH_LETTER_TEXT:
        return "text/plain; charset=utf-8";
    case BH_LETTER_HTML:
        return "text/html; charset=utf-8";
    case BH_LETTER_PDF:
        return "application/pdf";
    }
    return "application/octet-stream";
}

int bh_letter_render(const baton_letter *l, enum bh_letter_format f, char **out, size_t *len,
                     char *err, size_t errlen)
{
    switch (f) {
    case BH_LETTER_TEXT:
        return bh_letter_render_text(l, out, len, err, errlen);
    case BH_LETTER_HTML:
        return bh_letter_render_html(l, out, len, err, errlen);
    case BH_LETTER_PDF:
        return bh_letter_render_pdf(l, out, len, err, errlen);
    }
    *out = NULL;
    *len = 0;
    snprintf(err, errlen, "unknown letter format");
    return BATON_EINVAL;
}
