/* th.c: the `th` command.  Embeds Lua 5.4, puts Ember's Lua packages and C
 * module on package.path/cpath (build tree or installed layout, found from
 * the executable's own location), loads torch, then runs the script given
 * on the command line with Torch7's `arg` conventions. */
#include <lauxlib.h>
#include <limits.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Directory of the running executable (no trailing slash) into buf. */
static void exe_dir(char *buf, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
    if (n <= 0) { snprintf(buf, cap, "."); return; }
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash) *slash = '\0';
}

static int file_exists(const char *p) { return access(p, R_OK) == 0; }

/* Prepends Ember's directories to package.path/cpath.  The user's
 * LUA_PATH/LUA_CPATH (already in package.path) keep priority. */
static void set_paths(lua_State *L)
{
    char dir[PATH_MAX], probe[PATH_MAX + 64], lpath[3 * PATH_MAX], cpath[PATH_MAX + 64];
    exe_dir(dir, sizeof dir);
    snprintf(probe, sizeof probe, "%s/../lua/torch/init.lua", dir);
    if (file_exists(probe)) {  /* build tree: build/th, lua/, build/lib/ */
        snprintf(lpath, sizeof lpath, "%s/../lua/?.lua;%s/../lua/?/init.lua", dir, dir);
        snprintf(cpath, sizeof cpath, "%s/lib/?.so", dir);
    } else {                   /* installed: PREFIX/bin/th */
        snprintf(lpath, sizeof lpath, "%s/../share/ember/lua/?.lua;%s/../share/ember/lua/?/init.lua", dir, dir);
        snprintf(cpath, sizeof cpath, "%s/../lib/?.so", dir);
    }
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "path");
    lua_pushfstring(L, "%s;%s", lua_tostring(L, -1), lpath);
    lua_setfield(L, -3, "path");
    lua_pop(L, 1);
    lua_getfield(L, -1, "cpath");
    lua_pushfstring(L, "%s;%s", lua_tostring(L, -1), cpath);
    lua_setfield(L, -3, "cpath");
    lua_pop(L, 2);
}

static int traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg) msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, msg, 1);
    return 1;
}

static int report(lua_State *L, int status)
{
    if (status != LUA_OK) {
        fprintf(stderr, "%s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    return status;
}

static int docall(lua_State *L, int nargs)
{
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, traceback);
    lua_insert(L, base);
    int status = lua_pcall(L, nargs, 0, base);
    lua_remove(L, base);
    return status;
}

int main(int argc, char **argv)
{
    lua_State *L = luaL_newstate();
    if (!L) { fprintf(stderr, "th: cannot create Lua state\n"); return 1; }
    luaL_openlibs(L);
    set_paths(L);
    lua_getglobal(L, "require");
    lua_pushstring(L, "torch");
    if (report(L, docall(L, 1)) != LUA_OK) return 1;
    if (argc < 2) {
        fprintf(stderr, "usage: th script.lua [args]\n");
        return 1;
    }
    /* arg[0] = script, arg[1..] = its arguments, arg[-1] = th */
    lua_createtable(L, argc, 1);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - 1);
    }
    lua_setglobal(L, "arg");
    int status = luaL_loadfile(L, argv[1]);
    if (status == LUA_OK) {
        for (int i = 2; i < argc; i++) lua_pushstring(L, argv[i]);
        status = docall(L, argc - 2);
    }
    status = report(L, status);
    lua_close(L);
    return status == LUA_OK ? 0 : 1;
}
