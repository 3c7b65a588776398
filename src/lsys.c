/* lsys.c: the operating-system calls behind torch.Timer, sys and paths.
 *
 * Torch7 spread these over three C libraries (libtorch's Timer.c, libsys,
 * libpaths).  Ember keeps only the raw system calls in C and writes the
 * logic (path string manipulation, recursion, formatting) in Lua, in
 * lua/torch/Timer.lua, lua/sys/init.lua and lua/paths/init.lua.  The
 * functions below are registered in the ember.core table under names
 * starting with `_sys_`; they are private to those three packages (which
 * fetch them with require 'ember.core') and not part of Torch's API.
 *
 * Failures on user input (a missing directory, a bad path) are reported the
 * Lua way, `nil, message, errno`, as Torch's paths.mkdir does; only a wrong
 * argument type raises an error. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "ltensor.h"

/* Pushes `true`, or `nil, "<path>: <strerror>", errno` (paths.c's
 * pushresult); errno must still hold the failing call's code. */
static int push_result(lua_State *L, int ok, const char *path)
{
    int en = errno;
    if (ok) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", path, strerror(en));
    lua_pushinteger(L, en);
    return 3;
}

/* ---------------------------------------------------------------------- */
/* clocks                                                                  */

/* _sys_walltime() -> seconds since the epoch, microsecond resolution
 * (gettimeofday, as Torch's sys.clock and Timer real time). */
static int s_walltime(lua_State *L)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    lua_pushnumber(L, (double)tv.tv_sec + (double)tv.tv_usec / 1e6);
    return 1;
}

/* _sys_cputime() -> user, sys: CPU seconds consumed by this process
 * (getrusage, as Torch's Timer on Unix). */
static int s_cputime(lua_State *L)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) {
        lua_pushnumber(L, 0);
        lua_pushnumber(L, 0);
        return 2;
    }
    lua_pushnumber(L, (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6);
    lua_pushnumber(L, (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
    return 2;
}

/* _sys_usleep(us): sleeps for us microseconds (a float is accepted and
 * truncated; negative means 0).  nanosleep is restarted after a signal so
 * the full time elapses, like Torch's sys.usleep. */
static int s_usleep(lua_State *L)
{
    double us = luaL_checknumber(L, 1);
    struct timespec req, rem;
    if (!(us > 0))
        return 0;
    req.tv_sec = (time_t)(us / 1e6);
    req.tv_nsec = (long)((us - (double)req.tv_sec * 1e6) * 1e3);
    if (req.tv_nsec >= 1000000000L)
        req.tv_nsec = 999999999L;
    while (nanosleep(&req, &rem) != 0 && errno == EINTR)
        req = rem;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* files and directories                                                   */

/* _sys_kind(path) -> 'dir', 'file' (anything stat accepts that is not a
 * directory, as paths.filep) or nil when stat fails. */
static int s_kind(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    struct stat st;
    if (stat(path, &st) != 0)
        lua_pushnil(L);
    else if (S_ISDIR(st.st_mode))
        lua_pushliteral(L, "dir");
    else
        lua_pushliteral(L, "file");
    return 1;
}

/* _sys_mkdir(path) -> true | nil, msg, errno.  One level only: the Lua side
 * creates the parents first, as paths.mkdir does. */
static int s_mkdir(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    return push_result(L, mkdir(path, 0777) == 0, path);
}

/* _sys_rmdir(path) -> true | nil, msg, errno (the directory must be empty). */
static int s_rmdir(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    return push_result(L, rmdir(path) == 0, path);
}

/* _sys_dir(path) -> array of entry names in readdir order (with '.' and
 * '..'), or nil when the directory cannot be opened. */
static int s_dir(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    DIR *d = opendir(path);
    struct dirent *e;
    lua_Integer k = 0;
    if (!d) {
        lua_pushnil(L);
        return 1;
    }
    lua_newtable(L);
    /* Only an out-of-memory error could escape between opendir and
     * closedir (leaking d); that ends the program anyway. */
    while ((e = readdir(d)) != NULL) {
        lua_pushstring(L, e->d_name);
        lua_rawseti(L, -2, ++k);
    }
    closedir(d);
    return 1;
}

/* _sys_cwd() -> the current directory, or '.' when it cannot be read
 * (deleted or too long), as paths.cwd. */
static int s_cwd(lua_State *L)
{
    char buf[PATH_MAX];
    if (getcwd(buf, sizeof buf))
        lua_pushstring(L, buf);
    else
        lua_pushliteral(L, ".");
    return 1;
}

/* _sys_uname() -> sysname, nodename, machine ('Linux', host, 'x86_64'). */
static int s_uname(lua_State *L)
{
    struct utsname u;
    if (uname(&u) != 0) {
        lua_pushliteral(L, "Unknown");
        return 1;
    }
    lua_pushstring(L, u.sysname);
    lua_pushstring(L, u.nodename);
    lua_pushstring(L, u.machine);
    return 3;
}

/* _sys_isatty(fd) -> whether file descriptor fd (1 = stdout) is a terminal. */
static int s_isatty(lua_State *L)
{
    lua_Integer fd = luaL_checkinteger(L, 1);
    /* a double cast to int is undefined beyond int's range */
    lua_pushboolean(L, fd >= 0 && fd <= INT_MAX && isatty((int)fd));
    return 1;
}

static const luaL_Reg sys_funcs[] = {
    {"_sys_walltime", s_walltime},
    {"_sys_cputime", s_cputime},
    {"_sys_usleep", s_usleep},
    {"_sys_kind", s_kind},
    {"_sys_mkdir", s_mkdir},
    {"_sys_rmdir", s_rmdir},
    {"_sys_dir", s_dir},
    {"_sys_cwd", s_cwd},
    {"_sys_uname", s_uname},
    {"_sys_isatty", s_isatty},
    {NULL, NULL}
};

void lt_open_sys(lua_State *L)
{
    luaL_setfuncs(L, sys_funcs, 0);
}
