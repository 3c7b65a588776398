/* error.c: thread-local last-error buffer (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

/* One buffer per thread: kernels may run on worker threads, and a message
 * set there must not be overwritten by another thread before it is read. */
static _Thread_local char err_buf[1024];

int th_seterror(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_buf, sizeof err_buf, fmt, ap);
    va_end(ap);
    return -1;
}

const char *th_lasterror(void)
{
    return err_buf;
}
