/*
 * letter.h - baton_letter, the builder plugins write letter content into:
 * an ordered list of blocks (baton_block_kind + UTF-8 text) and a few
 * properties ("title", "language", "reference"). Rendering to text, HTML
 * and PDF is done elsewhere (letter_render*.c) from this list.
 */
#ifndef BH_LETTER_H
#define BH_LETTER_H

#include <stddef.h>

#include "baton/plugin.h"

typedef struct bh_letter_block {
    enum baton_block_kind kind;
    char *text;         /* owned, UTF-8, never NULL */
    const char *plugin; /* borrowed: the plugin that wrote it */
} bh_letter_block;

struct baton_letter {
    bh_letter_block *blocks;
    size_t count, cap;
    char *title, *language, *reference; /* owned, may be NULL */
    const char *plugin;                 /* attribution of the next blocks */
};

/* A new empty letter; free with bh_letter_free. NULL on ENOMEM. */
baton_letter *bh_letter_new(void);
void bh_letter_free(baton_letter *l);
void bh_letter_set_plugin(baton_letter *l, const char *plugin);

/* Implement letter_block and letter_set of baton_host_api. Text must be
 * valid UTF-8 (BATON_EINVAL otherwise). */
int bh_letter_block_add(baton_letter *l, enum baton_block_kind kind, const char *text);
int bh_letter_set(baton_letter *l, const char *key, const char *value);

#endif
