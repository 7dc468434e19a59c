/*
 * json_index_parse.h - JSON text straight into a bh_jindex (json_index.h)
 * in one pass, without a cJSON tree: the evaluate path's parser
 * (docs/performance.md, "Evaluate at wire speed").
 *
 * It recognises a strict subset of what bh_json_parse (json_input.h)
 * accepts, and for that subset makes the index bh_jindex_build would make
 * of bh_json_parse's tree: the same nodes, keys, view types, integer
 * values and strings, members in the same order. Anything outside the
 * subset is refused without a reason; the caller then takes the cJSON
 * route, whose answer, error message included, stays what it always was.
 * The subset:
 *   - RFC 8259 JSON under the input rule of json_input.h (no NUL, raw or
 *     escaped; well-formed UTF-8; no raw control character in a string;
 *     \u escapes of surrogates only in pairs);
 *   - whitespace only space, tab, LF and CR (cJSON also skips other
 *     control bytes and a leading byte order mark);
 *   - numbers only integers written with digits, at most 16 of them and
 *     within +-2^53 (a fraction, an exponent, a leading zero or a longer
 *     number is refused: cJSON rounds those through a double, and a case
 *     refuses fractions and exponents anyway);
 *   - at most BH_JINDEX_PARSE_MAX_DEPTH levels of nesting;
 *   - at most BH_JINDEX_MAX_NODES nodes.
 *
 * Layout: nodes[0] is the root and each container's children are
 * contiguous, as json_index.h requires; the blocks of children are laid
 * out as their containers close (not breadth first as bh_jindex_build
 * lays them), which lookups do not see. Every string and key is unescaped
 * into the arena and NUL-terminated (or, in a case, borrowed from the
 * rules' tables, above): the index borrows nothing from text
 * (plugins get NUL-terminated strings, and the text, which has a quote
 * where the NUL would go, is sent as it is to isolated plugins, so it is
 * never written into). Strings and whitespace are scanned 16 bytes at a
 * time where SSE2 is (every x86-64), eight elsewhere.
 *
 * A case (bh_jindex_parse_case) is checked against the case rules
 * (case_rules.h) in the same pass: the rules' tables drive the parse, so
 * each member is matched with its rule as its key is read and each value
 * checked as it is read, and a case's text is walked once. It takes a
 * case exactly when the subset above takes the text and bh_case_validate
 * accepts the tree bh_json_parse makes of it. A key or an enum value
 * written without escapes is matched in the text itself, and its node
 * borrows the rule table's text (static) instead of a copy.
 *
 * Owns: the one-pass parse, and the case rules applied during it. Does
 * not own: the rule's wording or what cJSON accepts beyond the subset
 * (json_input.c), the rules themselves (case_rules.c) or their wording
 * (case_validate.c).
 */
#ifndef BH_JSON_INDEX_PARSE_H
#define BH_JSON_INDEX_PARSE_H

#include <stddef.h>

#include "arena.h"
#include "json_index.h"

#define BH_JINDEX_PARSE_MAX_DEPTH 128

/*
 * Parses text[0..len) into *out, its memory (nodes and strings, about
 * len + 80 bytes per node) from arena. Returns 0; BATON_EINVAL when the
 * text is outside the subset above; BATON_ENOMEM when the arena could not
 * grow. On failure the arena may hold pieces of the attempt.
 */
int bh_jindex_parse(const char *text, size_t len, bh_arena *arena, bh_jindex *out);

/*
 * The same for a case's text: 0 only when the text is in the subset and
 * a well-formed case (case_validate.h). BATON_EINVAL when either is not
 * so, without saying which or why (the caller takes the cJSON route,
 * whose validator words the error); BATON_ENOMEM as above.
 */
int bh_jindex_parse_case(const char *text, size_t len, bh_arena *arena, bh_jindex *out);

/* The first chunk an arena should have to parse a text of len bytes
 * (and hold its index) without growing, for texts like a case. */
size_t bh_jindex_parse_arena_size(size_t len);

#endif
