/*
 * baton/error.h - the one error enum shared by the SDK, libbaton and the host.
 *
 * Every function in the SDK and libbaton returns 0 on success or one of the
 * negative BATON_E* codes below. Human detail goes into an error buffer the
 * caller passes (char *err, size_t errlen); library code never prints.
 *
 * ABI: values are stable within a major version; new codes are only ever
 * added at the end (more negative).
 */
#ifndef BATON_ERROR_H
#define BATON_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

enum baton_error {
    BATON_OK = 0,
    BATON_EINVAL = -1,     /* an argument or input is malformed */
    BATON_ENOMEM = -2,     /* allocation failed */
    BATON_ENOENT = -3,     /* the path, key or item does not exist */
    BATON_ETYPE = -4,      /* the item exists but has another type */
    BATON_ERANGE = -5,     /* a number, date or amount is out of range */
    BATON_EEXIST = -6,     /* the item was already set */
    BATON_EIO = -7,        /* reading or writing failed */
    BATON_EVERSION = -8,   /* SDK or format version mismatch */
    BATON_ECRYPTO = -9,    /* a signature, MAC or decryption check failed */
    BATON_EUNSUPP = -10,   /* the operation is not provided */
    BATON_ELIMIT = -11,    /* a size or count limit was exceeded */
    BATON_EPLUGIN = -12,   /* the plugin reported a failure */
    BATON_ETIMEDOUT = -13, /* a deadline passed */
    BATON_EDENIED = -14,   /* not permitted */
    BATON_ECANCELED = -15, /* stopped on the caller's request (e.g. a signal) */
};

/* Returns a static, never-NULL English description of a BATON_E* code. */
const char *baton_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif
