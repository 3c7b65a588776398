/* ltensor.h: what every Lua binding file (l*.c) shares.
 *
 * Userdata layout: a tensor is a full userdata holding one `Tensor *` (the
 * box), with metatable "torch.<Type>Tensor" (luaL_newmetatable, so __name is
 * set and luaL_checkudata messages read `torch.FloatTensor expected, got nil`).
 * The box holds a reference; __gc releases it.  Two boxes of one C tensor
 * compare equal (__eq on the pointers), as in Torch7.  Storages likewise with
 * "torch.<Type>Storage".
 *
 * Methods live in the metatable itself (as in Torch7's luaT): the __index
 * metamethod handles number/table/LongStorage/ByteTensor keys and otherwise
 * does a raw lookup of the key in the metatable.  Binding files add their
 * methods with lt_add_methods(); Lua files add theirs by assigning into
 * torch.getmetatable('torch.DoubleTensor') (or the constructor table, whose
 * __newindex writes into the metatable).
 *
 * The C module `ember.core` (luaopen_ember_core in ltorch.c) returns one
 * table; each binding file's lt_open_* adds its torch-level functions
 * (torch.add, torch.manualSeed, ...) to that table, and lua/torch/init.lua
 * copies them into `torch`. */
#ifndef EMBER_LTENSOR_H
#define EMBER_LTENSOR_H

#include <lauxlib.h>
#include <lua.h>

#include "tensor.h"

#define LT_ALL ((1u << DT_COUNT) - 1)
#define LT_FLOATING ((1u << DT_FLOAT) | (1u << DT_DOUBLE))
#define LT_INTEGRAL (LT_ALL & ~LT_FLOATING)

/* "torch.ByteTensor" ... "torch.DoubleTensor" / "torch.ByteStorage" ... */
extern const char *const lt_tensor_tname[DT_COUNT];
extern const char *const lt_storage_tname[DT_COUNT];

/* Tensor at idx, or NULL if the value is not a tensor. */
Tensor *lt_totensor(lua_State *L, int idx);
/* Tensor at idx of any type, else a Lua error
 * `bad argument #idx to 'fn' (torch.*Tensor expected, got <type>)`. */
Tensor *lt_checktensor(lua_State *L, int idx);
/* Tensor of exactly type dt (error names the expected class). */
Tensor *lt_checktensortype(lua_State *L, int idx, DType dt);
/* Pushes a new box for t, taking over one reference of the caller
 * (so `lt_pushtensor(L, tensor_new(dt))` leaks nothing).  t == NULL: raises the
 * core's last error (allocation failure paths). */
void lt_pushtensor(lua_State *L, Tensor *t);

Storage *lt_tostorage(lua_State *L, int idx);
Storage *lt_checkstorage(lua_State *L, int idx);
void lt_pushstorage(lua_State *L, Storage *s);   /* takes over one reference */

/* Raises the core's last error as a Lua error (never returns). */
int lt_error(lua_State *L);

/* Integer argument that also accepts integral floats (Lua 5.4 `512.0`);
 * a non-integral number is an error `number has no integer representation`. */
int64_t lt_checkint(lua_State *L, int idx);
int64_t lt_optint(lua_State *L, int idx, int64_t def);

/* Adds fns to the method tables of every tensor type whose bit is in mask. */
void lt_add_methods(lua_State *L, const luaL_Reg *fns, unsigned mask);

/* The default tensor type (torch.setdefaulttensortype), Double initially. */
DType lt_default_dtype(lua_State *L);

/* Registration hooks called by luaopen_ember_core with the module table on
 * top of the stack; each adds its functions to it and its methods to the
 * tensor metatables (which lt_open_tensor creates first). */
void lt_open_tensor(lua_State *L);   /* ltensor.c: types, construction, views, indexing */
void lt_open_math(lua_State *L);     /* lmath.c: elementwise, reductions, BLAS, sort, operators */
void lt_open_random(lua_State *L);   /* lrandom.c: generator, random fills */
void lt_open_nn(lua_State *L);       /* lnn.c: nn kernels */
void lt_open_nnfast(lua_State *L);   /* lnnfast.c: fused nn fast paths */
void lt_open_file(lua_State *L);     /* lfile.c: DiskFile/MemoryFile primitives */
void lt_open_image(lua_State *L);    /* limage.c: png, idx, image kernels */
void lt_open_sys(lua_State *L);      /* lsys.c: clock, timer, paths helpers */

#endif
