/*
 * package_case.h - internal to libbaton: the binding between a package's
 * data/case.json and its signed case id.
 *
 * Owns one check, made by the packer before it signs and by the opener
 * after it verified the signature: case.json is one JSON object (RFC 8259,
 * UTF-8, no NUL) whose "case_id" member is a string equal to the case id
 * in the trusted comment. Does not own the case format beyond that (the
 * host validates cases, docs/case-format.md).
 */
#ifndef BATON_PACKAGE_CASE_H
#define BATON_PACKAGE_CASE_H

#include <stddef.h>

/* 0, or BATON_EINVAL with the reason in err. The reason may quote the
 * text's case_id raw: callers escape it before it is shown. */
int pkg_case_check(const char *json, size_t len, const char *case_id, char *err, size_t errlen);

#endif
