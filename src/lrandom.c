/* lrandom.c: Lua bindings (see ltensor.h for the conventions). */
#include "ltensor.h"

void lt_open_random(lua_State *L)
{
    (void)L;
}
