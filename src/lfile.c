/* lfile.c: torch.DiskFile / torch.MemoryFile (Torch7's File classes) over
 * file.c, plus the C halves of tensor and storage serialization.
 *
 * Classes: the metatable "torch.File" holds the methods common to both files
 * (File.lua adds readObject/writeObject and friends to it); "torch.DiskFile"
 * and "torch.MemoryFile" hold their own extras and inherit from it through
 * their metatable, as luaT's classes did.  Each userdata has one user value:
 * an environment table (Torch7's torch.getenv(file)), where File.lua keeps
 * the reference memo.
 *
 * Method names starting with `_` are private helpers for File.lua: they move
 * the tensor/storage payloads of t7-format.md §4 without going through the
 * tensor binding's Lua API, and give File.lua object identities
 * (torch.pointer semantics) for the reference memo. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "file.h"
#include "ltensor.h"

#define FILE_MT "torch.File"
#define DISK_MT "torch.DiskFile"
#define MEMORY_MT "torch.MemoryFile"

/* ==================================================================
 * Boxes
 * ================================================================== */

/* luaL_error with printf's formats (lua_pushfstring has no %lld). */
static int raise(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int raise(lua_State *L, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    lua_pushstring(L, buf);
    return lua_error(L);
}

static File **file_box(lua_State *L, int idx)
{
    File **box = luaL_testudata(L, idx, DISK_MT);
    if (!box) box = luaL_testudata(L, idx, MEMORY_MT);
    return box;
}

static File *check_file(lua_State *L, int idx)
{
    File **box = file_box(L, idx);
    if (!box) luaL_typeerror(L, idx, "torch.File");
    if (!*box) luaL_error(L, "attempt to use a closed file");
    return *box;
}

/* Pushes a box holding NULL (filled by the caller once the C file exists,
 * so an allocation error cannot leak it) with its environment table. */
static File **push_box(lua_State *L, const char *tname)
{
    File **box = lua_newuserdatauv(L, sizeof(File *), 1);
    *box = NULL;
    luaL_setmetatable(L, tname);
    lua_newtable(L);
    lua_setiuservalue(L, -2, 1);
    return box;
}

static int f_gc(lua_State *L)
{
    File **box = file_box(L, 1);
    if (box && *box) {
        file_free(*box);
        *box = NULL;
    }
    return 0;
}

/* ==================================================================
 * Constructors
 * ================================================================== */

/* torch.DiskFile(name, [mode='r'], [quiet=false]); a quiet open failure
 * returns nil instead of raising. */
static int t_diskfile(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    const char *mode = luaL_optstring(L, 2, "r");
    int quiet = lua_toboolean(L, 3);
    File **box = push_box(L, DISK_MT);
    *box = file_disk_open(name, mode, quiet);
    if (!*box) {
        if (quiet && strncmp(th_lasterror(), "cannot open", 11) == 0) {
            lua_pushnil(L);
            return 1;
        }
        return lt_error(L);
    }
    return 1;
}

/* torch.MemoryFile([charStorage], [mode='rw']) or torch.MemoryFile(mode).
 * The file starts with a copy of the storage's bytes. */
static int t_memoryfile(lua_State *L)
{
    const char *data = NULL;
    size_t size = 0;
    int mode_idx = 1;
    if (!lua_isnoneornil(L, 1) && lua_type(L, 1) != LUA_TSTRING) {
        Storage *s = lt_tostorage(L, 1);
        if (!s || s->dtype != DT_CHAR) luaL_typeerror(L, 1, "torch.CharStorage");
        data = s->data;
        size = (size_t)s->size;
        mode_idx = 2;
    }
    const char *mode = luaL_optstring(L, mode_idx, "rw");
    File **box = push_box(L, MEMORY_MT);
    *box = file_memory_open(data, size, mode);
    if (!*box) return lt_error(L);
    return 1;
}

/* ==================================================================
 * Typed reads and writes: readByte ... writeDouble
 * ================================================================== */

typedef union Scalar {
    uint8_t u8;
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
} Scalar;

static void push_scalar(lua_State *L, DType dt, const Scalar *v)
{
    switch (dt) {
    case DT_BYTE: lua_pushinteger(L, v->u8); break;
    case DT_CHAR: lua_pushinteger(L, v->i8); break;
    case DT_SHORT: lua_pushinteger(L, v->i16); break;
    case DT_INT: lua_pushinteger(L, v->i32); break;
    case DT_LONG: lua_pushinteger(L, v->i64); break;
    case DT_FLOAT: lua_pushnumber(L, v->f32); break;
    default: lua_pushnumber(L, v->f64); break;
    }
}

/* A Lua number converted as C would (Torch7's bindings cast the double). */
static void to_scalar(lua_State *L, int idx, DType dt, Scalar *v)
{
    lua_Integer i = 0;
    int isint = lua_isinteger(L, idx);
    double d = luaL_checknumber(L, idx);
    if (isint) i = lua_tointeger(L, idx);
    switch (dt) {
    case DT_BYTE: v->u8 = isint ? (uint8_t)i : (uint8_t)(int64_t)d; break;
    case DT_CHAR: v->i8 = isint ? (int8_t)i : (int8_t)(int64_t)d; break;
    case DT_SHORT: v->i16 = isint ? (int16_t)i : (int16_t)(int64_t)d; break;
    case DT_INT: v->i32 = isint ? (int32_t)i : (int32_t)(int64_t)d; break;
    case DT_LONG: v->i64 = isint ? (int64_t)i : (int64_t)d; break;
    case DT_FLOAT: v->f32 = (float)d; break;
    default: v->f64 = isint ? (double)i : d; break;
    }
}

static Storage *check_typed_storage(lua_State *L, int idx, DType dt)
{
    Storage *s = lt_tostorage(L, idx);
    if (!s || s->dtype != dt) luaL_typeerror(L, idx, lt_storage_tname[dt]);
    return s;
}

/* readX(): one value; readX(n): a new n-element storage; readX(storage):
 * fills it and returns the count read.  The dtype is the upvalue. */
static int f_read(lua_State *L)
{
    DType dt = (DType)lua_tointeger(L, lua_upvalueindex(1));
    File *f = check_file(L, 1);
    if (lua_isnoneornil(L, 2)) {
        Scalar v;
        memset(&v, 0, sizeof v);
        if (file_read(f, dt, &v, 1) < 0) return lt_error(L);
        push_scalar(L, dt, &v);
        return 1;
    }
    if (lua_type(L, 2) == LUA_TNUMBER) {
        int64_t n = lt_checkint(L, 2);
        luaL_argcheck(L, n >= 0, 2, "number of values must be non-negative");
        /* refuse a size the data cannot hold before allocating for it */
        if (file_check_available(f, dt, n)) return lt_error(L);
        Storage *s = storage_new(dt, n);
        if (!s) return lt_error(L);
        lt_pushstorage(L, s);
        int64_t got = file_read(f, dt, s->data, n);
        if (got < 0) return lt_error(L);
        if (got < n && storage_resize(s, got)) return lt_error(L);
        return 1;
    }
    Storage *s = check_typed_storage(L, 2, dt);
    int64_t got = file_read(f, dt, s->data, s->size);
    if (got < 0) return lt_error(L);
    lua_pushinteger(L, got);
    return 1;
}

/* writeX(number) writes one value, writeX(storage) all of them; returns the
 * count written. */
static int f_write(lua_State *L)
{
    DType dt = (DType)lua_tointeger(L, lua_upvalueindex(1));
    File *f = check_file(L, 1);
    int64_t n;
    if (lua_type(L, 2) == LUA_TNUMBER) {
        Scalar v;
        to_scalar(L, 2, dt, &v);
        n = file_write(f, dt, &v, 1);
    } else {
        Storage *s = check_typed_storage(L, 2, dt);
        n = file_write(f, dt, s->data, s->size);
    }
    if (n < 0) return lt_error(L);
    lua_pushinteger(L, n);
    return 1;
}

static void add_typed_methods(lua_State *L)
{
    /* the File metatable is on top */
    char name[32];
    for (int dt = 0; dt < DT_COUNT; dt++) {
        snprintf(name, sizeof name, "read%s", dtype_name((DType)dt));
        lua_pushinteger(L, dt);
        lua_pushcclosure(L, f_read, 1);
        lua_setfield(L, -2, name);
        snprintf(name, sizeof name, "write%s", dtype_name((DType)dt));
        lua_pushinteger(L, dt);
        lua_pushcclosure(L, f_write, 1);
        lua_setfield(L, -2, name);
    }
}

/* ==================================================================
 * Strings, modes, position
 * ================================================================== */

static int f_readString(lua_State *L)
{
    File *f = check_file(L, 1);
    const char *fmt = luaL_optstring(L, 2, "*a");
    char *s;
    size_t len;
    if (file_read_string(f, fmt, &s, &len)) return lt_error(L);
    if (!s) {
        lua_pushliteral(L, "");   /* quiet file at end of data */
        return 1;
    }
    lua_pushlstring(L, s, len);
    free(s);
    return 1;
}

static int f_writeString(lua_State *L)
{
    File *f = check_file(L, 1);
    size_t len;
    const char *s = luaL_checklstring(L, 2, &len);
    if (file_write_string(f, s, len)) return lt_error(L);
    lua_pushinteger(L, (lua_Integer)len);
    return 1;
}

/* Setters return the file, so `f:binary():readObject()` chains (Torch7). */
#define SETTER(fname, call)                  \
    static int fname(lua_State *L)           \
    {                                        \
        File *f = check_file(L, 1);          \
        call;                                \
        lua_settop(L, 1);                    \
        return 1;                            \
    }
SETTER(f_binary, file_set_binary(f, 1))
SETTER(f_ascii, file_set_binary(f, 0))
SETTER(f_autoSpacing, file_set_autospacing(f, 1))
SETTER(f_noAutoSpacing, file_set_autospacing(f, 0))
SETTER(f_quiet, file_set_quiet(f, 1))
SETTER(f_pedantic, file_set_quiet(f, 0))
SETTER(f_clearError, file_clear_error(f))
SETTER(f_nativeEndianEncoding, file_set_endian(f, FILE_ENDIAN_NATIVE))
SETTER(f_littleEndianEncoding, file_set_endian(f, FILE_ENDIAN_LITTLE))
SETTER(f_bigEndianEncoding, file_set_endian(f, FILE_ENDIAN_BIG))

#define GETTER(fname, expr)                  \
    static int fname(lua_State *L)           \
    {                                        \
        File *f = check_file(L, 1);          \
        lua_pushboolean(L, expr);            \
        return 1;                            \
    }
GETTER(f_isBinary, file_is_binary(f))
GETTER(f_isAutoSpacing, file_is_autospacing(f))
GETTER(f_isQuiet, file_is_quiet(f))
GETTER(f_isReadable, file_is_readable(f))
GETTER(f_isWritable, file_is_writable(f))
GETTER(f_hasError, file_has_error(f))

static int f_isOpened(lua_State *L)
{
    File **box = file_box(L, 1);
    if (!box) luaL_typeerror(L, 1, "torch.File");
    lua_pushboolean(L, *box && file_is_open(*box));
    return 1;
}

static int f_longSize(lua_State *L)
{
    File *f = check_file(L, 1);
    int64_t n = lt_checkint(L, 2);
    /* checked before the cast, which would wrap 2^32 + 4 to a valid 4 */
    if (n != 0 && n != 4 && n != 8)
        return luaL_error(L, "Invalid long size specified: expected 0, 4 or 8, got %I", (lua_Integer)n);
    if (file_set_longsize(f, (int)n)) return lt_error(L);
    lua_settop(L, 1);
    return 1;
}

/* seek(pos) with Torch7's 1-based positions */
static int f_seek(lua_State *L)
{
    File *f = check_file(L, 1);
    int64_t pos = lt_checkint(L, 2);
    luaL_argcheck(L, pos > 0, 2, "position must be positive");
    if (file_seek(f, pos - 1)) return lt_error(L);
    lua_settop(L, 1);
    return 1;
}

static int f_seekEnd(lua_State *L)
{
    File *f = check_file(L, 1);
    if (file_seek_end(f)) return lt_error(L);
    lua_settop(L, 1);
    return 1;
}

static int f_position(lua_State *L)
{
    File *f = check_file(L, 1);
    int64_t pos = file_position(f);
    if (pos < 0) return lt_error(L);
    lua_pushinteger(L, pos + 1);
    return 1;
}

static int f_synchronize(lua_State *L)
{
    File *f = check_file(L, 1);
    if (file_synchronize(f)) return lt_error(L);
    lua_settop(L, 1);
    return 1;
}

static int f_close(lua_State *L)
{
    File *f = check_file(L, 1);
    if (file_close(f)) return lt_error(L);
    return 0;
}

/* MemoryFile:storage(): a CharStorage copy of the bytes written so far. */
static int f_storage(lua_State *L)
{
    File **box = luaL_checkudata(L, 1, MEMORY_MT);
    if (!*box) return luaL_error(L, "attempt to use a closed file");
    size_t size;
    const char *data = file_memory_data(*box, &size);
    if (!data) return lt_error(L);
    Storage *s = storage_new(DT_CHAR, (int64_t)size);
    if (!s) return lt_error(L);
    if (size) memcpy(s->data, data, size);
    lt_pushstorage(L, s);
    return 1;
}

/* ==================================================================
 * Private helpers for File.lua (object graph)
 * ================================================================== */

/* MemoryFile:_contents(): the bytes as a Lua string (torch.serialize). */
static int f_contents(lua_State *L)
{
    File **box = luaL_checkudata(L, 1, MEMORY_MT);
    if (!*box) return luaL_error(L, "attempt to use a closed file");
    size_t size;
    const char *data = file_memory_data(*box, &size);
    if (!data) return lt_error(L);
    lua_pushlstring(L, data, size);
    return 1;
}

/* memoryFromString(s, [mode='rw']): a MemoryFile holding the bytes of s
 * (torch.deserialize; the public constructor takes a string as the mode). */
static int t_memory_from_string(lua_State *L)
{
    size_t size;
    const char *data = luaL_checklstring(L, 1, &size);
    const char *mode = luaL_optstring(L, 2, "rw");
    File **box = push_box(L, MEMORY_MT);
    *box = file_memory_open(data, size, mode);
    if (!*box) return lt_error(L);
    return 1;
}

/* _checkAvailable(n, typeName): refuses n values that the data left cannot
 * hold (file_check_available), for sizes File.lua reads (table pair counts). */
static int f_checkAvailable(lua_State *L)
{
    File *f = check_file(L, 1);
    int64_t n = lt_checkint(L, 2);
    DType dt = dtype_from_name(luaL_checkstring(L, 3));
    luaL_argcheck(L, dt != DT_COUNT, 3, "type name expected");
    if (file_check_available(f, dt, n)) return lt_error(L);
    return 0;
}

/* The environment table (Torch7's torch.getenv(file)). */
static int f_env(lua_State *L)
{
    if (!file_box(L, 1)) luaL_typeerror(L, 1, "torch.File");
    lua_getiuservalue(L, 1, 1);
    return 1;
}

static int f_name(lua_State *L)
{
    File **box = file_box(L, 1);
    if (!box) luaL_typeerror(L, 1, "torch.File");
    lua_pushstring(L, *box ? file_name(*box) : "?");
    return 1;
}

/* 0-based byte offset, or nil when it cannot be told (for error messages). */
static int f_offset(lua_State *L)
{
    File **box = file_box(L, 1);
    int64_t pos = box && *box && file_is_open(*box) ? file_position(*box) : -1;
    if (pos < 0) lua_pushnil(L);
    else lua_pushinteger(L, pos);
    return 1;
}

/* _readChars(n): n Chars (after checking they can exist) as a Lua string. */
static int f_readChars(lua_State *L)
{
    File *f = check_file(L, 1);
    int64_t n = lt_checkint(L, 2);
    if (n < 0) return raise(L, "read error: negative string length %lld", (long long)n);
    if (file_check_available(f, DT_CHAR, n)) return lt_error(L);
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, (size_t)n);
    int64_t got = file_read(f, DT_CHAR, p, n);
    if (got < 0) return lt_error(L);
    luaL_pushresultsize(&b, (size_t)got);
    return 1;
}

/* _writeChars(s): the bytes of s as one Char array (ascii: raw + '\n'). */
static int f_writeChars(lua_State *L)
{
    File *f = check_file(L, 1);
    size_t len;
    const char *s = luaL_checklstring(L, 2, &len);
    if (file_write(f, DT_CHAR, s, (int64_t)len) < 0) return lt_error(L);
    return 0;
}

/* Class name of a tensor or storage userdata, else nil. */
static int t_torchclass(lua_State *L)
{
    Tensor *t = lt_totensor(L, 1);
    if (t) {
        lua_pushstring(L, lt_tensor_tname[t->dtype]);
        return 1;
    }
    Storage *s = lt_tostorage(L, 1);
    if (s) {
        lua_pushstring(L, lt_storage_tname[s->dtype]);
        return 1;
    }
    lua_pushnil(L);
    return 1;
}

/* Identity for the reference memo (torch.pointer): the C object for tensors
 * and storages, so two boxes of one tensor are one object; the Lua address
 * otherwise. */
static int t_identity(lua_State *L)
{
    const void *p = lt_totensor(L, 1);
    if (!p) p = lt_tostorage(L, 1);
    if (!p) p = lua_topointer(L, 1);
    lua_pushinteger(L, (lua_Integer)(intptr_t)p);
    return 1;
}

/* An empty torch.<T>Tensor / torch.<T>Storage for a class name, else nil. */
static int t_newtorch(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    for (int dt = 0; dt < DT_COUNT; dt++) {
        if (strcmp(name, lt_tensor_tname[dt]) == 0) {
            lt_pushtensor(L, tensor_new((DType)dt));
            return 1;
        }
        if (strcmp(name, lt_storage_tname[dt]) == 0) {
            lt_pushstorage(L, storage_new((DType)dt, 0));
            return 1;
        }
    }
    lua_pushnil(L);
    return 1;
}

/* _writeTensor(t): nDimension, sizes, strides, 1-based offset (§4.1);
 * returns the storage (a new box of the same C storage) or nil, for
 * File.lua to write as an object. */
static int f_writeTensor(lua_State *L)
{
    File *f = check_file(L, 1);
    Tensor *t = lt_checktensor(L, 2);
    int32_t nd = t->ndim;
    int64_t off = t->offset + 1;
    if (file_write(f, DT_INT, &nd, 1) < 0 || file_write(f, DT_LONG, t->size, nd) < 0 ||
        file_write(f, DT_LONG, t->stride, nd) < 0 || file_write(f, DT_LONG, &off, 1) < 0)
        return lt_error(L);
    if (!t->storage) {
        lua_pushnil(L);
        return 1;
    }
    storage_retain(t->storage);
    lt_pushstorage(L, t->storage);
    return 1;
}

/* _readTensor(t): reads the geometry, then the storage object through
 * self:readObject() (so a shared storage comes back shared), and makes t a
 * view of it.  Every number from the file is checked before use: a corrupt
 * file gives an error naming what is wrong, never an out-of-bounds view. */
static int f_readTensor(lua_State *L)
{
    File *f = check_file(L, 1);
    Tensor *t = lt_checktensor(L, 2);
    int64_t at = file_position(f);
    int32_t nd;
    int64_t size[TENSOR_MAXDIM], stride[TENSOR_MAXDIM], off;
    if (file_read(f, DT_INT, &nd, 1) < 0) return lt_error(L);
    if (nd < 0 || nd > TENSOR_MAXDIM)
        return raise(L, "bad tensor header in <%s> at byte %lld: nDimension %d (expected 0..%d)",
                          file_name(f), (long long)at, (int)nd, TENSOR_MAXDIM);
    if (file_read(f, DT_LONG, size, nd) < 0 || file_read(f, DT_LONG, stride, nd) < 0 ||
        file_read(f, DT_LONG, &off, 1) < 0)
        return lt_error(L);
    lua_getfield(L, 1, "readObject");
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    Storage *s = NULL;
    if (!lua_isnil(L, -1)) {
        s = lt_tostorage(L, -1);
        if (!s || s->dtype != t->dtype)
            return raise(L, "bad tensor in <%s> at byte %lld: %s expected for its storage, got %s",
                              file_name(f), (long long)at, lt_storage_tname[t->dtype],
                              s ? lt_storage_tname[s->dtype] : luaL_typename(L, -1));
    }
    /* the view must lie inside the storage; checked without overflow */
    int64_t ssize = s ? s->size : 0, hi = 0;
    int empty = 0;
    for (int d = 0; d < nd; d++) {
        if (size[d] < 0)
            return raise(L, "bad tensor in <%s> at byte %lld: size %lld for dimension %d",
                              file_name(f), (long long)at, (long long)size[d], d + 1);
        if (size[d] == 0) empty = 1;
    }
    /* element count bound, zero dims left out (tensor_set_storage multiplies
     * the sizes of every dim) */
    int64_t count = 1;
    for (int d = 0; d < nd; d++) {
        if (size[d] == 0) continue;
        if (size[d] > STORAGE_MAX_BYTES / count)
            return raise(L, "bad tensor in <%s> at byte %lld: sizes too large", file_name(f), (long long)at);
        count *= size[d];
    }
    for (int d = 0; d < nd && !empty; d++) {
        if (size[d] == 1) continue;
        if (stride[d] < 0 || (stride[d] > 0 && size[d] - 1 > (ssize - hi) / stride[d]))
            return raise(L, "bad tensor in <%s> at byte %lld: sizes/strides reach past the end of "
                              "its %lld-element storage", file_name(f), (long long)at, (long long)ssize);
        hi += (size[d] - 1) * stride[d];
    }
    if (nd > 0 && !empty && (off < 1 || off > ssize - hi))
        return raise(L, "bad tensor in <%s> at byte %lld: storage offset %lld out of range for a "
                          "%lld-element storage", file_name(f), (long long)at, (long long)off, (long long)ssize);
    if ((nd == 0 || empty) && (off < 1 || off - 1 > ssize)) off = 1;
    /* a Torch7 file may give any stride for a size-1 (or empty) dim: keep
     * it when harmless, else use the contiguous one */
    for (int d = 0; d < nd; d++)
        if (stride[d] < 0 || (empty || size[d] <= 1 ? stride[d] > ssize : 0)) stride[d] = 1;
    if (tensor_set_storage(t, s, s ? off - 1 : 0, nd, size, stride)) return lt_error(L);
    return 0;
}

/* _writeStorage(s): size (Long) then the elements in one call (§4.2). */
static int f_writeStorage(lua_State *L)
{
    File *f = check_file(L, 1);
    Storage *s = lt_checkstorage(L, 2);
    int64_t n = s->size;
    if (file_write(f, DT_LONG, &n, 1) < 0 || file_write(f, s->dtype, s->data, n) < 0)
        return lt_error(L);
    return 0;
}

/* _readStorage(s): resizes the (fresh) storage to the declared size, once
 * the file is known to hold that much, and fills it. */
static int f_readStorage(lua_State *L)
{
    File *f = check_file(L, 1);
    Storage *s = lt_checkstorage(L, 2);
    int64_t n;
    if (file_read(f, DT_LONG, &n, 1) < 0) return lt_error(L);
    if (file_check_available(f, s->dtype, n)) return lt_error(L);
    if (storage_resize(s, n)) return lt_error(L);
    if (file_read(f, s->dtype, s->data, n) < 0) return lt_error(L);
    return 0;
}

/* ==================================================================
 * Registration
 * ================================================================== */

static const luaL_Reg file_methods[] = {
    {"readString", f_readString},
    {"writeString", f_writeString},
    {"binary", f_binary},
    {"ascii", f_ascii},
    {"autoSpacing", f_autoSpacing},
    {"noAutoSpacing", f_noAutoSpacing},
    {"quiet", f_quiet},
    {"pedantic", f_pedantic},
    {"clearError", f_clearError},
    {"isBinary", f_isBinary},
    {"isAutoSpacing", f_isAutoSpacing},
    {"isQuiet", f_isQuiet},
    {"isReadable", f_isReadable},
    {"isWritable", f_isWritable},
    {"hasError", f_hasError},
    {"isOpened", f_isOpened},
    {"longSize", f_longSize},
    {"seek", f_seek},
    {"seekEnd", f_seekEnd},
    {"position", f_position},
    {"synchronize", f_synchronize},
    {"close", f_close},
    {"_env", f_env},
    {"_name", f_name},
    {"_offset", f_offset},
    {"_readChars", f_readChars},
    {"_writeChars", f_writeChars},
    {"_writeTensor", f_writeTensor},
    {"_readTensor", f_readTensor},
    {"_writeStorage", f_writeStorage},
    {"_readStorage", f_readStorage},
    {"_checkAvailable", f_checkAvailable},
    {NULL, NULL},
};

static const luaL_Reg disk_methods[] = {
    {"nativeEndianEncoding", f_nativeEndianEncoding},
    {"littleEndianEncoding", f_littleEndianEncoding},
    {"bigEndianEncoding", f_bigEndianEncoding},
    {NULL, NULL},
};

static const luaL_Reg memory_methods[] = {
    {"storage", f_storage},
    {"_contents", f_contents},
    {NULL, NULL},
};

/* Creates a class metatable `name` (methods in the metatable itself,
 * __index = itself) whose metatable is the parent's, for inheritance. */
static void new_class(lua_State *L, const char *name, const luaL_Reg *methods, const char *parent)
{
    luaL_newmetatable(L, name);
    lua_pushvalue(L, -1);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__typename");
    luaL_setfuncs(L, methods, 0);
    if (parent) {
        lua_pushcfunction(L, f_gc);
        lua_setfield(L, -2, "__gc");
        luaL_getmetatable(L, parent);
        lua_setmetatable(L, -2);
    }
}

void lt_open_file(lua_State *L)
{
    /* the module table is on top */
    new_class(L, FILE_MT, file_methods, NULL);
    add_typed_methods(L);
    lua_pop(L, 1);
    new_class(L, DISK_MT, disk_methods, FILE_MT);
    lua_pop(L, 1);
    new_class(L, MEMORY_MT, memory_methods, FILE_MT);
    lua_pop(L, 1);

    static const luaL_Reg fns[] = {
        {"DiskFile", t_diskfile},
        {"MemoryFile", t_memoryfile},
        {NULL, NULL},
    };
    luaL_setfuncs(L, fns, 0);

    /* helpers for File.lua only, in one table it takes out of `torch` */
    static const luaL_Reg private[] = {
        {"class", t_torchclass},
        {"identity", t_identity},
        {"new", t_newtorch},
        {"memoryFromString", t_memory_from_string},
        {NULL, NULL},
    };
    luaL_newlib(L, private);
    luaL_getmetatable(L, FILE_MT);
    lua_setfield(L, -2, "File");
    lua_setfield(L, -2, "_serialization");
}
