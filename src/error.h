/* error.h: the core's last-error message.
 *
 * Core functions that can fail on user input return an int status (0 = ok,
 * -1 = error) after storing a message with th_seterror().  The Lua binding
 * then raises it: `return luaL_error(L, "%s", th_lasterror());`.
 * Nothing in the core exits or aborts on user input. */
#ifndef EMBER_ERROR_H
#define EMBER_ERROR_H

/* Formats a message into a thread-local buffer (truncated at 1 KiB).
 * Always returns -1, so a failing path can `return th_seterror(...)`. */
int th_seterror(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The last message set on this thread ("" when none). Valid until the next
 * th_seterror() on the same thread. */
const char *th_lasterror(void);

#endif
