/*
 * api_body.h - reading a request's JSON body, with the API's errors:
 *   415 unsupported_media_type  Content-Type is not application/json
 *   400 invalid_json            empty, not JSON, or refused by the one input
 *                               rule (json_input.h: NUL, invalid UTF-8, lone
 *                               surrogates); line, column, byte offset, why
 *   400 invalid_request         JSON, but not an object
 * Shared by every handler that takes a JSON body.
 */
#ifndef BH_API_BODY_H
#define BH_API_BODY_H

#include <cjson/cJSON.h>

#include "router.h"

/* True for "application/json" with or without parameters. */
int bh_is_json_type(const char *content_type);

/* Parses the body into *out (caller frees with cJSON_Delete) and returns 0;
 * or answers the request with the error above and returns -1. */
int bh_req_json_body(bh_req *r, cJSON **out);

/* The same for any JSON value (the caller judges its shape). */
int bh_req_json_value(bh_req *r, cJSON **out);

#endif
