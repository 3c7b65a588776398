/* limage.c: raw file helpers for the image and mnist packages (see
 * ltensor.h for the binding conventions).  They land in `torch` like every
 * binding function:
 *   torch._png_load(path)        -> ByteTensor C x H x W (0..255), 8
 *                                   (bit depth, as Torch7's libpng.load)
 *   torch._png_save(path, t)     2-D H x W or 3-D C x H x W (C = 1..4) tensor,
 *                                   any type; non-Byte values are clamped to
 *                                   [0, 255] and truncated (image.savePNG
 *                                   scales [0, 1] images by 255 first)
 *   torch._idx_load(path)        -> tensor of the file's type and sizes
 *                                   (ByteTensor for MNIST), gzip'd or not */
#include "ltensor.h"

#include "idx.h"
#include "png.h"

static int i_png_load(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    Tensor *t = png_load(path);
    if (!t) return lt_error(L);
    lt_pushtensor(L, t);
    lua_pushinteger(L, 8);
    return 2;
}

static int i_png_save(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    Tensor *t = lt_checktensor(L, 2);
    if (png_save(path, t)) return lt_error(L);
    return 0;
}

static int i_idx_load(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    Tensor *t = idx_load(path);
    if (!t) return lt_error(L);
    lt_pushtensor(L, t);
    return 1;
}

static const luaL_Reg functions[] = {
    {"_png_load", i_png_load},
    {"_png_save", i_png_save},
    {"_idx_load", i_idx_load},
    {NULL, NULL},
};

void lt_open_image(lua_State *L)
{
    luaL_setfuncs(L, functions, 0);
}
