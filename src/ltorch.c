/* ltorch.c: luaopen_ember_core, the one C module holding every binding.
 * lua/torch/init.lua requires it first (as Torch7's init.lua required
 * libtorch) and copies the returned table's functions into `torch`. */
#include "blas.h"
#include "ltensor.h"

int luaopen_ember_core(lua_State *L);

int luaopen_ember_core(lua_State *L)
{
    /* Ember starts single-threaded (Torch7 started with one thread per core):
     * scripts choose with torch.setnumthreads(n), as the tutorial does. */
    blas_park_threads();
    lua_newtable(L);
    lt_open_tensor(L);  /* first: creates the metatables the others extend */
    lt_open_math(L);
    lt_open_random(L);
    lt_open_nn(L);
    lt_open_nnfast(L);
    lt_open_file(L);
    lt_open_image(L);
    lt_open_sys(L);
    return 1;
}
