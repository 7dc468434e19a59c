/* fail.h - libbaton's one way of reporting an error: detail into the
 * caller's buffer (when given), the code as the return value. */
#ifndef BATON_FAIL_H
#define BATON_FAIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

static inline int baton__fail(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static inline int baton__fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err != NULL && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

#endif
