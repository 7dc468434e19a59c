/* letter.c - the letter content builder (letter.h). */
#include "letter.h"

#include <stdlib.h>
#include <string.h>

#include "call_reason.h"

baton_letter *bh_letter_new(void)
{
    return calloc(1, sizeof(baton_letter));
}

void bh_letter_free(baton_letter *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->count; i++)
        free(l->blocks[i].text);
    free(l->blocks);
    free(l->title);
    free(l->language);
    free(l->reference);
    free(l);
}

void bh_letter_set_plugin(baton_letter *l, const char *plugin)
{
    l->plugin = plugin;
}

/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF.
 * Returns the offset of the first bad byte, or -1 when s is valid. */
static long utf8_error_at(const unsigned char *s)
{
    const unsigned char *start = s;
    while (*s != 0) {
        unsigned c = *s;
        int n;
        unsigned min;
        if (c < 0x80) {
            s++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1;
            min = 0x80;
            c &= 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2;
            min = 0x800;
            c &= 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3;
            min = 0x10000;
            c &= 0x07;
        } else {
            return (long)(s - start);
        }
        for (int i = 1; i <= n; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return (long)(s - start);
            c = (c << 6) | (s[i] & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return (long)(s - start);
        s += n + 1;
    }
    return -1;
}

int bh_letter_block_add(baton_letter *l, enum baton_block_kind kind, const char *text)
{
    long bad;
    if (l == NULL)
        return bh_refuse(BATON_EINVAL, "letter_block: no letter to write to");
    if (kind < BATON_BLOCK_TITLE || kind > BATON_BLOCK_BULLET)
        return bh_refuse(BATON_EINVAL,
                         "letter block kind %d: not BATON_BLOCK_TITLE..BATON_BLOCK_BULLET (1..11)",
                         (int)kind);
    if (text == NULL)
        text = "";
    if ((bad = utf8_error_at((const unsigned char *)text)) >= 0)
        return bh_refuse(BATON_EINVAL, "letter block %zu text: not valid UTF-8 at byte %ld",
                         l->count + 1, bad);
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        if (cap > 100000)
            return bh_refuse(BATON_ELIMIT, "letter block %zu: a letter holds at most %d blocks",
                             l->count + 1, BATON_LETTER_BLOCKS_MAX);
        bh_letter_block *b = realloc(l->blocks, cap * sizeof *b);
        if (b == NULL)
            return BATON_ENOMEM;
        l->blocks = b;
        l->cap = cap;
    }
    char *copy = strdup(text);
    if (copy == NULL)
        return BATON_ENOMEM;
    l->blocks[l->count].kind = kind;
    l->blocks[l->count].text = copy;
    l->blocks[l->count].plugin = l->plugin;
    l->count++;
    return 0;
}

int bh_letter_set(baton_letter *l, const char *key, const char *value)
{
    char **slot, q[80];
    long bad;
    if (l == NULL)
        return bh_refuse(BATON_EINVAL, "letter_set: no letter to write to");
    if (key == NULL || value == NULL)
        return bh_refuse(BATON_EINVAL, "letter property %s: %s is NULL",
                         bh_reason_quote(key, q, sizeof q), key == NULL ? "the key" : "the value");
    if ((bad = utf8_error_at((const unsigned char *)value)) >= 0)
        return bh_refuse(BATON_EINVAL, "letter property %s: not valid UTF-8 at byte %ld",
                         bh_reason_quote(key, q, sizeof q), bad);
    if (strcmp(key, "title") == 0)
        slot = &l->title;
    else if (strcmp(key, "language") == 0)
        slot = &l->language;
    else if (strcmp(key, "reference") == 0)
        slot = &l->reference;
    else
        return bh_refuse(BATON_ENOENT, "letter property %s: not title, language or reference",
                         bh_reason_quote(key, q, sizeof q));
    char *copy = strdup(value);
    if (copy == NULL)
        return BATON_ENOMEM;
    free(*slot);
    *slot = copy;
    return 0;
}
