/* error.c - baton_strerror: text for the BATON_E* codes of baton/error.h. */
#include "baton/error.h"
#include "visibility.h"

BATON_API const char *baton_strerror(int code)
{
    switch (code) {
    case BATON_OK:
        return "success";
    case BATON_EINVAL:
        return "invalid argument or malformed input";
    case BATON_ENOMEM:
        return "out of memory";
    case BATON_ENOENT:
        return "not found";
    case BATON_ETYPE:
        return "wrong type";
    case BATON_ERANGE:
        return "value out of range";
    case BATON_EEXIST:
        return "already set";
    case BATON_EIO:
        return "input/output error";
    case BATON_EVERSION:
        return "version mismatch";
    case BATON_ECRYPTO:
        return "cryptographic check failed";
    case BATON_EUNSUPP:
        return "not supported";
    case BATON_ELIMIT:
        return "limit exceeded";
    case BATON_EPLUGIN:
        return "plugin failure";
    case BATON_ETIMEDOUT:
        return "timed out";
    case BATON_EDENIED:
        return "permission denied";
    case BATON_ECANCELED:
        return "canceled";
    }
    return "unknown error";
}
