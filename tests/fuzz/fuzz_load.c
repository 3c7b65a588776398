/* fuzz_load.c: libFuzzer harness for the whole .t7 reader: File.lua's
 * readObject over lfile.c and the tensor core, in an embedded Lua state.
 *
 * Input: one mode byte (0 ascii, 1 binary, 3 b32; other values are reduced
 * to these), then the bytes given to torch.deserialize.  A Lua error is the
 * expected outcome for bad input and is ignored (it must be a string); any
 * crash, sanitizer report, non-string error or hang is a finding.  The core
 * and bindings are linked in (instrumented) and `ember.core` is preloaded.
 * Run from the repo root (package.path points at ./lua). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

int luaopen_ember_core(lua_State *L);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lua_State *L;

static const char *setup =
    "package.path = 'lua/?.lua;lua/?/init.lua;' .. package.path\n"
    "require 'torch'\n"
    "pcall(require, 'nn')\n"
    "local modes = {[0] = 'ascii', [1] = 'binary', [3] = 'b32'}\n"
    "local n = 0\n"
    "function fuzz_one(s, m)\n"
    "   local ok, err = pcall(torch.deserialize, s, modes[m])\n"
    "   if not ok and type(err) ~= 'string' then error('non-string error: ' .. tostring(err)) end\n"
    "   n = n + 1\n"
    "   if n % 64 == 0 then collectgarbage() end\n"
    "end\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    L = luaL_newstate();
    luaL_openlibs(L);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
    lua_pushcfunction(L, luaopen_ember_core);
    lua_setfield(L, -2, "ember.core");
    lua_pop(L, 1);
    if (luaL_dostring(L, setup) != LUA_OK) {
        fprintf(stderr, "fuzz_load setup failed: %s\n", lua_tostring(L, -1));
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    int m = data[0] & 3;
    if (m == 2) m = 1;
    lua_getglobal(L, "fuzz_one");
    lua_pushlstring(L, (const char *)data + 1, size - 1);
    lua_pushinteger(L, m);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        fprintf(stderr, "fuzz_load: %s\n", lua_tostring(L, -1));
        abort();
    }
    return 0;
}
