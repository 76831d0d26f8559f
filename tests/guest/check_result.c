/**
 * @file tests/guest/check_result.c
 * @brief Filling a struct check_result.
 */
#include <stdarg.h>
#include "check.h"
#include "print.h"

static void set(struct check_result *res, enum check_status status, const char *fmt, va_list ap)
{
    res->status = status;
    gvsnprintf(res->text, sizeof(res->text), fmt, ap);
}

void check_fail(struct check_result *res, const char *fmt, ...)
{
    va_list ap;
    if (res->status == CHECK_FAIL)
        return;
    va_start(ap, fmt);
    set(res, CHECK_FAIL, fmt, ap);
    va_end(ap);
}

void check_skip(struct check_result *res, const char *fmt, ...)
{
    va_list ap;
    if (res->status == CHECK_FAIL)
        return;
    va_start(ap, fmt);
    set(res, CHECK_SKIP, fmt, ap);
    va_end(ap);
}

void check_note(struct check_result *res, const char *fmt, ...)
{
    va_list ap;
    if (res->status != CHECK_PASS)
        return;
    va_start(ap, fmt);
    set(res, CHECK_PASS, fmt, ap);
    va_end(ap);
}
