/*
 * test_letter_render.c - the text, HTML and PDF letter renderers on letters
 * built here (no plugins): every block kind comes out, text is escaped in
 * HTML, UTF-8 (£ € ä ß) survives into the PDF's text layer as read back by
 * poppler's pdftotext, and a long letter breaks across pages with a running
 * header and page numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "letter.h"
#include "letter_render.h"

static baton_letter *sample(int paragraphs)
{
    baton_letter *l = bh_letter_new();
    assert_non_null(l);
    bh_letter_set_plugin(l, "test");
    assert_int_equal(bh_letter_set(l, "title", "Letter of Claim"), 0);
    assert_int_equal(bh_letter_set(l, "reference", "NW-2025-0042"), 0);
    assert_int_equal(
        bh_letter_block_add(l, BATON_BLOCK_LETTERHEAD,
                            "Northwind Recoveries Ltd\n1 Harbour Street\nBristol BS1 4AA"),
        0);
    assert_int_equal(
        bh_letter_block_add(l, BATON_BLOCK_ADDRESS, "Jürgen Müller\nGroße Straße 7\n10115 Berlin"),
        0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_DATE, "3 March 2025"), 0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_TITLE, "Letter of Claim"), 0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_HEADING, "What is owed"), 0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_ROW, "Principal\t£1,234.56"), 0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_ROW, "Verzugszinsen\t€17.20"), 0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_ROW,
                                         "A label long enough to need its own line in text\tvalue"),
                     0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_BULLET, "Information Sheet"), 0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_BULLET, "Reply Form"), 0);
    assert_int_equal(
        bh_letter_block_add(l, BATON_BLOCK_PARAGRAPH,
                            "Tags <script>alert('x')</script> & \"quotes\" stay text."),
        0);
    for (int i = 0; i < paragraphs; i++) {
        char buf[1024];
        snprintf(buf, sizeof buf,
                 "Paragraph %d. You owe us money under the agreement dated 1 May 2023. "
                 "Please pay the balance or reply using the Reply Form within 30 days of the "
                 "date of this letter; if you need time, say so, and tell us if you are "
                 "seeking debt advice. Straße, Maß, Gebühr, £ and € appear here too.",
                 i + 1);
        assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_PARAGRAPH, buf), 0);
    }
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_SIGNATURE, "Yours faithfully\n\nA. Clerk"),
                     0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_SMALLPRINT,
                                         "Registered in England and Wales, no. 01234567."),
                     0);
    return l;
}

/* Runs a poppler tool on a PDF written to a temp file; returns its output. */
static char *poppler(const char *tool, const char *pdf, size_t len)
{
    char path[] = "/tmp/baton-letter-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf, len), (ssize_t)len);
    close(fd);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s %s 2>&1", tool, path,
             strcmp(tool, "pdftotext") == 0 ? "-" : "");
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t r;
    while ((r = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += r;
        if (n + 1 >= cap) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
    }
    out[n] = '\0';
    assert_int_equal(pclose(p), 0);
    unlink(path);
    return out;
}

/* A "Name:   value" field of pdfinfo's output, value trimmed; NULL if absent. */
static const char *info_field(const char *info, const char *name, char *buf, size_t len)
{
    const char *p = strstr(info, name);
    if (p == NULL)
        return NULL;
    p += strlen(name);
    while (*p == ' ')
        p++;
    size_t n = strcspn(p, "\n");
    if (n >= len)
        n = len - 1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static void text_has_every_block(void **state)
{
    (void)state;
    baton_letter *l = sample(2);
    char *out = NULL, err[256] = "";
    size_t len = 0;
    assert_int_equal(bh_letter_render_text(l, &out, &len, err, sizeof err), 0);
    assert_int_equal(strlen(out), len);
    assert_non_null(strstr(out, "Northwind Recoveries Ltd\n"));
    assert_non_null(strstr(out, "Jürgen Müller\nGroße Straße 7\n"));
    assert_non_null(strstr(out, "Letter of Claim\n===============\n"));
    assert_non_null(strstr(out, "What is owed\n------------\n"));
    /* Rows align values in one column, counting code points not bytes. */
    assert_non_null(strstr(out, "Principal                     £1,234.56\n"));
    assert_non_null(strstr(out, "Verzugszinsen                 €17.20\n"));
    assert_non_null(strstr(out, "  - Information Sheet\n  - Reply Form\n"));
    /* No line is wider than 72 columns. */
    for (char *line = out; *line != '\0';) {
        char *eol = strchr(line, '\n');
        size_t n = eol != NULL ? (size_t)(eol - line) : strlen(line);
        size_t w = 0;
        for (size_t i = 0; i < n; i++)
            w += ((unsigned char)line[i] & 0xC0) != 0x80;
        assert_true(w <= 72);
        line += n + (eol != NULL);
    }
    free(out);
    bh_letter_free(l);
}

static void html_escapes_and_is_self_contained(void **state)
{
    (void)state;
    baton_letter *l = sample(1);
    char *out = NULL, err[256] = "";
    size_t len = 0;
    assert_int_equal(bh_letter_render_html(l, &out, &len, err, sizeof err), 0);
    assert_non_null(strstr(out, "<meta charset=\"utf-8\">"));
    assert_non_null(strstr(out, "<title>Letter of Claim</title>"));
    assert_null(strstr(out, "<script>"));
    assert_non_null(strstr(out, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                                "&quot;quotes&quot;"));
    assert_non_null(strstr(out, "<tr><th>Principal</th><td>£1,234.56</td></tr>"));
    assert_non_null(strstr(out, "Jürgen Müller<br>\nGroße Straße 7"));
    assert_non_null(strstr(out, "@page{size:A4"));
    assert_int_equal(count(out, "<table class=\"rows\">"), 1);
    assert_int_equal(count(out, "<ul>"), 1);
    /* Nothing is loaded from elsewhere. */
    assert_null(strstr(out, "src="));
    assert_null(strstr(out, "href="));
    assert_null(strstr(out, "@import"));
    free(out);
    bh_letter_free(l);
}

static void pdf_keeps_utf8_text(void **state)
{
    (void)state;
    baton_letter *l = sample(1);
    char *pdf = NULL, err[256] = "";
    size_t len = 0;
    int rc = bh_letter_render_pdf(l, &pdf, &len, err, sizeof err);
    if (rc != 0)
        fail_msg("render_pdf: %s", err);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);
    char *txt = poppler("pdftotext", pdf, len);
    assert_non_null(strstr(txt, "£1,234.56"));
    assert_non_null(strstr(txt, "€17.20"));
    assert_non_null(strstr(txt, "Jürgen Müller"));
    assert_non_null(strstr(txt, "Große Straße 7"));
    assert_non_null(strstr(txt, "Northwind Recoveries Ltd"));
    assert_non_null(strstr(txt, "Information Sheet"));
    assert_non_null(strstr(txt, "<script>alert('x')</script>"));
    assert_null(strstr(txt, "Page 1 of"));
    char *info = poppler("pdfinfo", pdf, len);
    char buf[128];
    assert_string_equal(info_field(info, "Pages:", buf, sizeof buf), "1");
    assert_string_equal(info_field(info, "Page size:", buf, sizeof buf),
                        "595.276 x 841.89 pts (A4)");
    assert_string_equal(info_field(info, "Title:", buf, sizeof buf),
                        "Letter of Claim \u2014 NW-2025-0042");
    free(info);
    free(txt);
    free(pdf);
    bh_letter_free(l);
}

static void long_pdf_breaks_across_pages(void **state)
{
    (void)state;
    baton_letter *l = sample(40);
    char *pdf = NULL, err[256] = "";
    size_t len = 0;
    int rc = bh_letter_render_pdf(l, &pdf, &len, err, sizeof err);
    if (rc != 0)
        fail_msg("render_pdf: %s", err);
    char *info = poppler("pdfinfo", pdf, len);
    char *p = strstr(info, "Pages:");
    assert_non_null(p);
    int pages = atoi(p + 6);
    assert_true(pages >= 2);
    char *txt = poppler("pdftotext", pdf, len);
    /* Every paragraph made it, in order, and pages are numbered. */
    const char *at = txt;
    for (int i = 1; i <= 40; i++) {
        char want[32];
        snprintf(want, sizeof want, "Paragraph %d.", i);
        const char *hit = strstr(at, want);
        if (hit == NULL)
            fail_msg("missing or out of order: %s", want);
        at = hit;
    }
    char want[64];
    snprintf(want, sizeof want, "Page %d of %d", pages, pages);
    assert_non_null(strstr(txt, want));
    assert_non_null(strstr(txt, "Page 1 of"));
    /* The running header on page 2 names the letter and its reference. */
    assert_true(count(txt, "NW-2025-0042") >= pages - 1);
    assert_int_equal(count(txt, "\f"), pages);
    free(txt);
    free(info);
    free(pdf);
    bh_letter_free(l);
}

static void page_break_block_starts_a_page(void **state)
{
    (void)state;
    baton_letter *l = bh_letter_new();
    assert_non_null(l);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_PARAGRAPH, "Letter."), 0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_PAGE_BREAK, ""), 0);
    assert_int_equal(bh_letter_block_add(l, BATON_BLOCK_HEADING, "Reply Form"), 0);
    char *pdf = NULL, err[256] = "";
    size_t len = 0;
    assert_int_equal(bh_letter_render_pdf(l, &pdf, &len, err, sizeof err), 0);
    char *info = poppler("pdfinfo", pdf, len);
    char buf[128];
    assert_string_equal(info_field(info, "Pages:", buf, sizeof buf), "2");
    free(info);
    free(pdf);
    char *txt = NULL;
    assert_int_equal(bh_letter_render_text(l, &txt, &len, err, sizeof err), 0);
    assert_non_null(strstr(txt, "Letter.\n\f\nReply Form\n"));
    free(txt);
    bh_letter_free(l);
}

static void empty_letter_is_refused(void **state)
{
    (void)state;
    baton_letter *l = bh_letter_new();
    assert_non_null(l);
    char *out = (char *)1, err[256] = "";
    size_t len = 7;
    for (int f = BH_LETTER_TEXT; f <= BH_LETTER_PDF; f++) {
        assert_int_equal(bh_letter_render(l, (enum bh_letter_format)f, &out, &len, err, sizeof err),
                         BATON_EINVAL);
        assert_null(out);
        assert_int_equal(len, 0);
        assert_non_null(strstr(err, "no content"));
    }
    bh_letter_free(l);
}

static void formats_parse(void **state)
{
    (void)state;
    enum bh_letter_format f;
    assert_int_equal(bh_letter_format_parse("pdf", &f), 0);
    assert_int_equal(f, BH_LETTER_PDF);
    assert_string_equal(bh_letter_format_content_type(f), "application/pdf");
    assert_int_equal(bh_letter_format_parse("html", &f), 0);
    assert_string_equal(bh_letter_format_content_type(f), "text/html; charset=utf-8");
    assert_int_equal(bh_letter_format_parse("text", &f), 0);
    assert_string_equal(bh_letter_format_content_type(f), "text/plain; charset=utf-8");
    assert_int_equal(bh_letter_format_parse("docx", &f), BATON_EINVAL);
    assert_int_equal(bh_letter_format_parse(NULL, &f), BATON_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_has_every_block),
        cmocka_unit_test(html_escapes_and_is_self_contained),
        cmocka_unit_test(pdf_keeps_utf8_text),
        cmocka_unit_test(long_pdf_breaks_across_pages),
        cmocka_unit_test(page_break_block_starts_a_page),
        cmocka_unit_test(empty_letter_is_refused),
        cmocka_unit_test(formats_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
