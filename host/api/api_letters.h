/*
 * api_letters.h - the letters API of batond.
 *
 *   POST /v1/letters   {"kind": "...", "format": "text"|"html"|"pdf", "case": {...}}
 *                      -> the rendered letter (Content-Type by format)
 *   GET  /v1/letters   ?jurisdiction=gb-ew (optional)
 *                      -> {"letters": [{"kind", "plugin", "scope"}]}: the kinds
 *                         the tenant's plugins write
 *
 * Composition (letters.h) runs on the loop thread: plugin render calls are
 * short. Rendering runs in libuv's thread pool (uv_queue_work), so the loop
 * never waits for font shaping or PDF output; the answer is sent from the
 * work's completion callback on the loop thread. The request holds its
 * registry reference (router.h) until it is answered, so the tenant's
 * plugins, which the letter's blocks point into, stay loaded meanwhile.
 */
#ifndef BH_API_LETTERS_H
#define BH_API_LETTERS_H

#include "router.h"

void bh_api_letters_post(bh_req *r);
void bh_api_letters_list(bh_req *r);

#endif
