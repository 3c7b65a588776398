/* ltensor.c: the Lua binding of tensors and storages (see ltensor.h).
 *
 * Every tensor is a full userdata box holding one `Tensor *` reference (one
 * Lua user value is reserved for torch.getenv/setenv); storages likewise hold
 * a `Storage *`.  Each of the 14 metatables carries, under a private
 * light-userdata key, an integer "kind" (dtype for tensors, 8 + dtype for
 * storages), so recognising one of our boxes costs one raw lookup and never
 * compares names.
 *
 * Argument errors use Torch7's numbering (self is #1, as luaT did, not Lua's
 * method-adjusted numbering) and name the function explicitly:
 * `bad argument #2 to 'narrow' (dimension 3 out of range of 2D tensor)`. */
#include "ltensor.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

const char *const lt_tensor_tname[DT_COUNT] = {
    "torch.ByteTensor", "torch.CharTensor", "torch.ShortTensor", "torch.IntTensor",
    "torch.LongTensor", "torch.FloatTensor", "torch.DoubleTensor"};
const char *const lt_storage_tname[DT_COUNT] = {
    "torch.ByteStorage", "torch.CharStorage", "torch.ShortStorage", "torch.IntStorage",
    "torch.LongStorage", "torch.FloatStorage", "torch.DoubleStorage"};

#define KIND_STORAGE 8
static const char kind_key = 'k';          /* address = key of the kind field */
static const char *const default_key = "ember.defaulttensortype";

/* ======================================================================
 * boxes and checks
 * ====================================================================== */

/* Kind of the value at idx: 0..6 tensor, 8..14 storage, -1 anything else. */
static int kind_of(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return -1;
    int k = -1;
    if (lua_rawgetp(L, -1, &kind_key) == LUA_TNUMBER) k = (int)lua_tointeger(L, -1);
    lua_pop(L, 2);
    return k;
}

/* Name to show for the value at idx in "expected X, got Y" messages: the
 * class name of torch objects, the Lua type otherwise. */
static const char *type_label(lua_State *L, int idx)
{
    if (luaL_getmetafield(L, idx, "__name") != LUA_TNIL) {
        const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        lua_pop(L, 1);   /* the string stays alive in the metatable */
        if (name) return name;
    }
    return luaL_typename(L, idx);
}

/* Raises `bad argument #arg to 'fn' (<formatted message>)`. */
static int argerr(lua_State *L, int arg, const char *fn, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int argerr(lua_State *L, int arg, const char *fn, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return luaL_error(L, "bad argument #%d to '%s' (%s)", arg, fn, msg);
}

/* Same with the core's last error as the message. */
static int core_argerr(lua_State *L, int arg, const char *fn)
{
    return argerr(L, arg, fn, "%s", th_lasterror());
}

Tensor *lt_totensor(lua_State *L, int idx)
{
    int k = kind_of(L, idx);
    if (k < 0 || k >= DT_COUNT) return NULL;
    return *(Tensor **)lua_touserdata(L, idx);
}

Storage *lt_tostorage(lua_State *L, int idx)
{
    int k = kind_of(L, idx);
    if (k < KIND_STORAGE || k >= KIND_STORAGE + DT_COUNT) return NULL;
    return *(Storage **)lua_touserdata(L, idx);
}

Tensor *lt_checktensor(lua_State *L, int idx)
{
    Tensor *t = lt_totensor(L, idx);
    if (!t) luaL_typeerror(L, idx, "torch.*Tensor");
    return t;
}

Tensor *lt_checktensortype(lua_State *L, int idx, DType dt)
{
    Tensor *t = lt_totensor(L, idx);
    if (!t || t->dtype != dt) luaL_typeerror(L, idx, lt_tensor_tname[dt]);
    return t;
}

Storage *lt_checkstorage(lua_State *L, int idx)
{
    Storage *s = lt_tostorage(L, idx);
    if (!s) luaL_typeerror(L, idx, "torch.*Storage");
    return s;
}

/* Our own checks, with Torch7 numbering and an explicit function name. */
static Tensor *check_tensor(lua_State *L, int idx, const char *fn)
{
    Tensor *t = lt_totensor(L, idx);
    if (!t) argerr(L, idx, fn, "torch.*Tensor expected, got %s", type_label(L, idx));
    return t;
}

static Storage *check_storage(lua_State *L, int idx, const char *fn)
{
    Storage *s = lt_tostorage(L, idx);
    if (!s) argerr(L, idx, fn, "torch.*Storage expected, got %s", type_label(L, idx));
    return s;
}

/* Pushes an empty box (NULL) with the metatable of a dtype's tensor.  The box
 * is on the stack before the C object exists, so an error after allocation
 * cannot leak it: __gc releases whatever the box holds. */
static Tensor **new_tensor_box(lua_State *L, DType dt)
{
    Tensor **box = lua_newuserdatauv(L, sizeof *box, 1);
    *box = NULL;
    luaL_setmetatable(L, lt_tensor_tname[dt]);
    return box;
}

static Storage **new_storage_box(lua_State *L, DType dt)
{
    Storage **box = lua_newuserdatauv(L, sizeof *box, 1);
    *box = NULL;
    luaL_setmetatable(L, lt_storage_tname[dt]);
    return box;
}

int lt_error(lua_State *L)
{
    return luaL_error(L, "%s", th_lasterror());
}

void lt_pushtensor(lua_State *L, Tensor *t)
{
    if (!t) lt_error(L);
    Tensor **box = new_tensor_box(L, t->dtype);
    *box = t;
}

void lt_pushstorage(lua_State *L, Storage *s)
{
    if (!s) lt_error(L);
    Storage **box = new_storage_box(L, s->dtype);
    *box = s;
}

/* Pushes a new empty tensor of dt and returns it. */
static Tensor *push_new_tensor(lua_State *L, DType dt)
{
    Tensor **box = new_tensor_box(L, dt);
    *box = tensor_new(dt);
    if (!*box) lt_error(L);
    return *box;
}

/* Pushes a new tensor object viewing src (same storage and geometry). */
static Tensor *push_view(lua_State *L, const Tensor *src)
{
    Tensor **box = new_tensor_box(L, src->dtype);
    *box = tensor_new_view(src);
    if (!*box) lt_error(L);
    return *box;
}

/* Pushes a new LongStorage holding n values. */
static void push_longs(lua_State *L, int n, const int64_t *v)
{
    Storage **box = new_storage_box(L, DT_LONG);
    *box = storage_new(DT_LONG, n);
    if (!*box) lt_error(L);
    if (n > 0) memcpy((*box)->data, v, sizeof(int64_t) * (size_t)n);
}

/* ======================================================================
 * numbers
 * ====================================================================== */

int64_t lt_checkint(lua_State *L, int idx)
{
    int ok;
    lua_Integer v = lua_tointegerx(L, idx, &ok);
    if (!ok) {
        if (lua_type(L, idx) == LUA_TNUMBER)
            luaL_argerror(L, idx, "number has no integer representation");
        else
            luaL_typeerror(L, idx, "number");
    }
    return (int64_t)v;
}

int64_t lt_optint(lua_State *L, int idx, int64_t def)
{
    return lua_isnoneornil(L, idx) ? def : lt_checkint(L, idx);
}

/* Integer argument with Torch7 numbering; accepts integral floats. */
static int64_t get_int(lua_State *L, int idx, const char *fn)
{
    int ok;
    lua_Integer v = lua_tointegerx(L, idx, &ok);
    if (!ok) {
        if (lua_type(L, idx) == LUA_TNUMBER)
            argerr(L, idx, fn, "number has no integer representation, got %s", lua_tostring(L, idx));
        argerr(L, idx, fn, "number expected, got %s", type_label(L, idx));
    }
    return (int64_t)v;
}

static int64_t opt_int(lua_State *L, int idx, const char *fn, int64_t def)
{
    return lua_isnoneornil(L, idx) ? def : get_int(L, idx, fn);
}

/* A dimension argument (1-based in Lua) checked against t, returned 0-based. */
static int get_dim(lua_State *L, int idx, const Tensor *t, const char *fn)
{
    int64_t d = get_int(L, idx, fn);
    if (d < 1 || d > t->ndim)
        argerr(L, idx, fn, "dimension %lld out of range of %dD tensor", (long long)d, t->ndim);
    return (int)(d - 1);
}

/* double -> int64 the way x86 converts (out of range and NaN give INT64_MIN),
 * without the undefined behaviour of a plain C cast. */
static int64_t dbl_to_i64(double v)
{
    if (v >= -9223372036854775808.0 && v < 9223372036854775808.0) return (int64_t)v;
    return INT64_MIN;
}

/* Converts the Lua number at idx into one element of type dt at p.  Integers
 * stay exact (a LongTensor holds all 64 bits); floats go through int64 for
 * the integral types, as (real)lua_tonumber did in Torch7 on x86. */
static void store_elem(lua_State *L, int idx, DType dt, void *p)
{
    if (lua_isinteger(L, idx)) {
        int64_t v = (int64_t)lua_tointeger(L, idx);
        switch (dt) {
        case DT_BYTE: *(uint8_t *)p = (uint8_t)v; break;
        case DT_CHAR: *(int8_t *)p = (int8_t)v; break;
        case DT_SHORT: *(int16_t *)p = (int16_t)v; break;
        case DT_INT: *(int32_t *)p = (int32_t)v; break;
        case DT_LONG: *(int64_t *)p = v; break;
        case DT_FLOAT: *(float *)p = (float)v; break;
        case DT_DOUBLE: *(double *)p = (double)v; break;
        default: break;
        }
    } else {
        double v = lua_tonumber(L, idx);
        switch (dt) {
        case DT_BYTE: *(uint8_t *)p = (uint8_t)dbl_to_i64(v); break;
        case DT_CHAR: *(int8_t *)p = (int8_t)dbl_to_i64(v); break;
        case DT_SHORT: *(int16_t *)p = (int16_t)dbl_to_i64(v); break;
        case DT_INT: *(int32_t *)p = (int32_t)dbl_to_i64(v); break;
        case DT_LONG: *(int64_t *)p = dbl_to_i64(v); break;
        case DT_FLOAT: *(float *)p = (float)v; break;
        case DT_DOUBLE: *(double *)p = v; break;
        default: break;
        }
    }
}

/* Pushes the element at p: integers for the integral types, floats else. */
static void push_elem(lua_State *L, DType dt, const void *p)
{
    switch (dt) {
    case DT_BYTE: lua_pushinteger(L, *(const uint8_t *)p); break;
    case DT_CHAR: lua_pushinteger(L, *(const int8_t *)p); break;
    case DT_SHORT: lua_pushinteger(L, *(const int16_t *)p); break;
    case DT_INT: lua_pushinteger(L, *(const int32_t *)p); break;
    case DT_LONG: lua_pushinteger(L, (lua_Integer) * (const int64_t *)p); break;
    case DT_FLOAT: lua_pushnumber(L, *(const float *)p); break;
    case DT_DOUBLE: lua_pushnumber(L, *(const double *)p); break;
    default: lua_pushnil(L); break;
    }
}

/* Address of the element at storage index `i` (absolute, 0-based). */
static char *storage_ptr(const Storage *s, int64_t i)
{
    return (char *)s->data + i * (int64_t)dtype_size(s->dtype);
}

/* Fills n elements (stride st) at p with the typed value in val. */
static void fill_run(DType dt, char *p, int64_t n, int64_t st, const void *val)
{
    /* zero (all bits clear, so not -0.0) on a dense run is a memset: the
     * gradient buffers are zeroed every training step */
    static const char zeros[8];
    if (st == 1 && memcmp(val, zeros, dtype_size(dt)) == 0) {
        memset(p, 0, (size_t)n * dtype_size(dt));
        return;
    }
    switch (dt) {
#define X(DT, T, SFX)                                       \
    case DT: {                                              \
        T x, *q = (T *)p;                                   \
        memcpy(&x, val, sizeof x);                          \
        if (st == 1)                                        \
            for (int64_t j = 0; j < n; j++) q[j] = x;       \
        else                                                \
            for (int64_t j = 0; j < n; j++) q[j * st] = x;  \
    } break;
        DTYPE_FOREACH(X)
#undef X
    default: break;
    }
}

/* Sets every element of the view to the typed value in val, row by row. */
static void fill_view(Tensor *t, const void *val)
{
    TensorRows r = tensor_rows_info(t);
    if (r.nrows == 0) return;
    char *base = tensor_data(t);
    size_t es = dtype_size(t->dtype);
    for (int64_t row = 0; row < r.nrows; row++)
        fill_run(t->dtype, base + tensor_row_offset(t, row) * (int64_t)es, r.row_len,
                 r.row_stride, val);
}

/* Fills t with the Lua number at idx. */
static void fill_from_lua(lua_State *L, Tensor *t, int idx)
{
    int64_t val[1];   /* 8 bytes, aligned for every element type */
    store_elem(L, idx, t->dtype, val);
    fill_view(t, val);
}

/* Iterates over a view in row-major order: *off is the storage index of the
 * current element; returns 0 after the last one. */
static int iter_next(const Tensor *t, int64_t *idx, int64_t *off)
{
    for (int d = t->ndim - 1; d >= 0; d--) {
        if (++idx[d] < t->size[d]) {
            *off += t->stride[d];
            return 1;
        }
        *off -= (t->size[d] - 1) * t->stride[d];
        idx[d] = 0;
    }
    return 0;
}

/* ======================================================================
 * size lists
 * ====================================================================== */

/* Reads sizes given as numbers from `first` to `last`, or as one
 * LongStorage at `first`.  Returns the count; no sizes at all gives 0. */
static int read_sizes(lua_State *L, int first, int last, const char *fn, int64_t *size)
{
    Storage *s = lt_tostorage(L, first);
    if (s) {
        if (s->dtype != DT_LONG)
            argerr(L, first, fn, "torch.LongStorage or numbers expected, got %s",
                   type_label(L, first));
        if (s->size > TENSOR_MAXDIM)
            argerr(L, first, fn, "too many dimensions: %lld (at most %d)",
                   (long long)s->size, TENSOR_MAXDIM);
        if (s->size > 0) memcpy(size, s->data, sizeof(int64_t) * (size_t)s->size);
        return (int)s->size;
    }
    int n = 0;
    for (int i = first; i <= last; i++) {
        if (n == TENSOR_MAXDIM)
            argerr(L, i, fn, "too many dimensions: %d (at most %d)", last - first + 1,
                   TENSOR_MAXDIM);
        size[n++] = get_int(L, i, fn);
    }
    return n;
}

/* Torch7's rule for constructor/resize size lists: the first size <= 0 ends
 * the list (torch.Tensor(0) is empty, torch.Tensor(2,0,3) is 1-D). */
static int truncate_sizes(int n, const int64_t *size)
{
    for (int i = 0; i < n; i++)
        if (size[i] <= 0) return i;
    return n;
}

/* "2x3x4" into buf. */
static const char *sizes_str(int n, const int64_t *size, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int d = 0; d < n && used < cap; d++)
        used += (size_t)snprintf(buf + used, cap - used, d ? "x%lld" : "%lld", (long long)size[d]);
    return buf;
}

/* Elements a geometry spans (1 + sum (size-1)*stride), with strides < 0
 * replaced by contiguous ones (written back into stride).  Raises an error
 * naming fn when the byte count would pass STORAGE_MAX_BYTES. */
static int64_t geometry_extent(lua_State *L, int arg, const char *fn, DType dt, int n,
                               const int64_t *size, int64_t *stride)
{
    int64_t z = 1, extent = 1, limit = STORAGE_MAX_BYTES / (int64_t)dtype_size(dt);
    char buf[256];
    for (int d = n - 1; d >= 0; d--) {
        if (stride[d] < 0) stride[d] = z;
        if (size[d] > limit || (z > 0 && size[d] > limit / z))
            argerr(L, arg, fn, "tensor of size %s is too large to allocate",
                   sizes_str(n, size, buf, sizeof buf));
        z *= size[d];
        if (stride[d] > 0 && (size[d] - 1) > (limit - extent) / stride[d])
            argerr(L, arg, fn, "tensor of size %s is too large to allocate",
                   sizes_str(n, size, buf, sizeof buf));
        extent += (size[d] - 1) * stride[d];
    }
    return n ? extent : 0;
}

/* ======================================================================
 * construction: torch.XTensor(...), x.new(...), t:set(...)
 * ====================================================================== */

/* t becomes a fresh storage with the given geometry (stride NULL or < 0 =
 * contiguous).  Sizes must already be positive. */
static void alloc_geometry(lua_State *L, Tensor *t, int n, const int64_t *size,
                           const int64_t *stride_in, int arg, const char *fn)
{
    int64_t stride[TENSOR_MAXDIM];
    for (int d = 0; d < n; d++) stride[d] = stride_in ? stride_in[d] : -1;
    int64_t extent = geometry_extent(L, arg, fn, t->dtype, n, size, stride);
    Storage *s = n ? storage_new(t->dtype, extent) : NULL;
    if (n && !s) core_argerr(L, arg, fn);
    int rc = tensor_set_storage(t, s, 0, n, size, stride);
    storage_release(s);
    if (rc != 0) core_argerr(L, arg, fn);
}

/* Torch7's c_readTensorStorageSizeStride: makes t match the arguments from
 * stack index `first` to `top` (stack indices are the argument numbers the
 * user sees).  Forms: nothing (empty), a tensor of the
 * same type (view), a storage [offset [sizes/strides]], sizes (numbers or a
 * LongStorage [, stride LongStorage]). */
static void set_from_args(lua_State *L, Tensor *t, int first, int top, const char *fn)
{
    int64_t size[TENSOR_MAXDIM], stride[TENSOR_MAXDIM];
    if (first > top) {                                   /* nothing: empty */
        tensor_set_storage(t, NULL, 0, 0, NULL, NULL);
        return;
    }
    Tensor *src = lt_totensor(L, first);
    Storage *s = lt_tostorage(L, first);
    if (src && src->dtype == t->dtype) {                 /* a view of src */
        tensor_set(t, src);
        return;
    }
    if (s && s->dtype == t->dtype) {                     /* storage [offset [geometry]] */
        if (first + 1 > top) {
            int64_t n = s->size;
            if (tensor_set_storage(t, s, 0, n > 0, &n, NULL) != 0)
                core_argerr(L, first, fn);
            return;
        }
        int64_t offset = get_int(L, first + 1, fn);
        if (offset < 1 || (offset > s->size && s->size > 0))
            argerr(L, first + 1, fn, "storage offset %lld out of range [1, %lld]",
                   (long long)offset, (long long)s->size);
        int n = 0;
        Storage *ss = lt_tostorage(L, first + 2);
        if (ss) {
            n = read_sizes(L, first + 2, top, fn, size);
            for (int d = 0; d < n; d++) stride[d] = -1;
            if (first + 3 <= top) {
                Storage *st = lt_tostorage(L, first + 3);
                if (!st || st->dtype != DT_LONG)
                    argerr(L, first + 3, fn, "torch.LongStorage expected, got %s",
                           type_label(L, first + 3));
                if (st->size != n)
                    argerr(L, first + 3, fn,
                           "provided stride and size are inconsistent (%lld strides for %d sizes)",
                           (long long)st->size, n);
                if (n > 0) memcpy(stride, st->data, sizeof(int64_t) * (size_t)n);
            }
        } else {                                         /* (size, stride) pairs */
            for (int i = first + 2; i <= top; i += 2) {
                if (n == TENSOR_MAXDIM)
                    argerr(L, i, fn, "too many dimensions (at most %d)", TENSOR_MAXDIM);
                size[n] = get_int(L, i, fn);
                stride[n] = i + 1 <= top ? get_int(L, i + 1, fn) : -1;
                n++;
            }
        }
        n = truncate_sizes(n, size);
        if (tensor_set_storage(t, s, offset - 1, n, size, stride) != 0)
            core_argerr(L, first, fn);
        return;
    }
    if (lua_type(L, first) == LUA_TNUMBER || (s && s->dtype == DT_LONG)) {   /* sizes */
        int n = read_sizes(L, first, top, fn, size), has_stride = 0;
        if (s && first + 1 <= top && !lua_isnil(L, first + 1)) {
            Storage *st = lt_tostorage(L, first + 1);
            if (!st || st->dtype != DT_LONG)
                argerr(L, first + 1, fn, "torch.LongStorage expected, got %s",
                       type_label(L, first + 1));
            if (st->size != n)
                argerr(L, first + 1, fn,
                       "provided stride and size are inconsistent (%lld strides for %d sizes)",
                       (long long)st->size, n);
            if (n > 0) memcpy(stride, st->data, sizeof(int64_t) * (size_t)n);
            has_stride = 1;
        }
        n = truncate_sizes(n, size);
        alloc_geometry(L, t, n, size, has_stride ? stride : NULL, first, fn);
        return;
    }
    argerr(L, first, fn, "expecting number or %s or %s, got %s", lt_tensor_tname[t->dtype],
           lt_storage_tname[t->dtype], type_label(L, first));
}

/* Fills the contiguous data at *p from nested table at idx (depth d of n),
 * checking that it is rectangular. */
static void fill_from_nested(lua_State *L, int idx, DType dt, int n, const int64_t *size,
                             int d, char **p, const char *fn, int arg)
{
    if (!lua_istable(L, idx))
        argerr(L, arg, fn, "invalid tensor definition: %s where a table of depth %d was expected",
               luaL_typename(L, idx), n - d);
    int64_t len = (int64_t)lua_rawlen(L, idx);
    if (len != size[d])
        argerr(L, arg, fn, "invalid tensor sizes: a table at depth %d has %lld elements, expected %lld",
               d + 1, (long long)len, (long long)size[d]);
    luaL_checkstack(L, 2, "nested tensor table");
    size_t es = dtype_size(dt);
    for (int64_t i = 1; i <= len; i++) {
        lua_rawgeti(L, idx, (lua_Integer)i);
        if (d == n - 1) {
            if (!lua_isnumber(L, -1))
                argerr(L, arg, fn, "invalid element (not a number): %s at depth %d",
                       luaL_typename(L, -1), d + 1);
            store_elem(L, lua_gettop(L), dt, *p);
            *p += es;
        } else {
            fill_from_nested(L, lua_gettop(L), dt, n, size, d + 1, p, fn, arg);
        }
        lua_pop(L, 1);
    }
}

/* torch.XTensor{...}: shape from the first element at each nesting level. */
static void tensor_from_table(lua_State *L, DType dt, int idx, int arg, const char *fn)
{
    int64_t size[TENSOR_MAXDIM];
    int n = 0;
    lua_pushvalue(L, idx);
    while (lua_istable(L, -1) && lua_rawlen(L, -1) > 0) {
        if (n == TENSOR_MAXDIM)
            argerr(L, arg, fn, "invalid tensor sizes: more than %d nesting levels", TENSOR_MAXDIM);
        size[n++] = (int64_t)lua_rawlen(L, -1);
        lua_rawgeti(L, -1, 1);
        lua_remove(L, -2);
    }
    lua_pop(L, 1);
    Tensor *t = push_new_tensor(L, dt);
    if (n == 0) return;
    int64_t stride[TENSOR_MAXDIM];
    for (int d = 0; d < n; d++) stride[d] = -1;
    geometry_extent(L, arg, fn, dt, n, size, stride);
    if (tensor_resize(t, n, size) != 0) core_argerr(L, arg, fn);
    char *p = tensor_data(t);
    fill_from_nested(L, idx, dt, n, size, 0, &p, fn, arg);
}

/* Shared body of torch.XTensor(...) and x.new(...): the arguments are the
 * whole stack, numbered as the user wrote them. */
static int tensor_construct(lua_State *L)
{
    DType dt = (DType)lua_tointeger(L, lua_upvalueindex(1));
    const char *fn = lt_tensor_tname[dt];
    int top = lua_gettop(L);
    if (lua_type(L, 1) == LUA_TTABLE) {
        tensor_from_table(L, dt, 1, 1, fn);
        return 1;
    }
    Tensor *t = push_new_tensor(L, dt);
    set_from_args(L, t, 1, top, fn);
    return 1;
}

/* Constructor tables' __call: argument 1 is the table itself. */
static int t_call(lua_State *L)
{
    lua_remove(L, 1);
    return tensor_construct(L);
}

/* mt.new(...) (x.new): every argument is a constructor argument. */
static int t_new(lua_State *L)
{
    return tensor_construct(L);
}

/* t:set(...): same forms as the constructor; returns t. */
static int t_set(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "set");
    Tensor *src = lt_totensor(L, 2);
    if (src && src->dtype != t->dtype)
        argerr(L, 2, "set", "%s expected, got %s", lt_tensor_tname[t->dtype], type_label(L, 2));
    Storage *s = lt_tostorage(L, 2);
    if (s && s->dtype != t->dtype && s->dtype != DT_LONG)
        argerr(L, 2, "set", "%s expected, got %s", lt_storage_tname[t->dtype], type_label(L, 2));
    set_from_args(L, t, 2, lua_gettop(L), "set");
    lua_settop(L, 1);
    return 1;
}

/* ======================================================================
 * tensor geometry queries
 * ====================================================================== */

static int t_dim(lua_State *L)
{
    lua_pushinteger(L, check_tensor(L, 1, "dim")->ndim);
    return 1;
}

static int t_size(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "size");
    if (lua_isnoneornil(L, 2)) {
        push_longs(L, t->ndim, t->size);
        return 1;
    }
    lua_pushinteger(L, t->size[get_dim(L, 2, t, "size")]);
    return 1;
}

static int t_len(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "__len");
    push_longs(L, t->ndim, t->size);
    return 1;
}

static int t_stride(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "stride");
    if (lua_isnoneornil(L, 2)) {
        push_longs(L, t->ndim, t->stride);
        return 1;
    }
    lua_pushinteger(L, t->stride[get_dim(L, 2, t, "stride")]);
    return 1;
}

static int t_nelement(lua_State *L)
{
    lua_pushinteger(L, tensor_nelement(check_tensor(L, 1, "nElement")));
    return 1;
}

static int t_storage(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "storage");
    if (!t->storage) {
        lua_pushnil(L);
        return 1;
    }
    storage_retain(t->storage);
    lt_pushstorage(L, t->storage);
    return 1;
}

static int t_storage_offset(lua_State *L)
{
    lua_pushinteger(L, check_tensor(L, 1, "storageOffset")->offset + 1);
    return 1;
}

static int t_is_contiguous(lua_State *L)
{
    lua_pushboolean(L, tensor_is_contiguous(check_tensor(L, 1, "isContiguous")));
    return 1;
}

static int t_is_size(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "isSize");
    Storage *s = lt_tostorage(L, 2);
    if (!s || s->dtype != DT_LONG)
        argerr(L, 2, "isSize", "torch.LongStorage expected, got %s", type_label(L, 2));
    int same = s->size == t->ndim;
    for (int d = 0; same && d < t->ndim; d++) same = ((int64_t *)s->data)[d] == t->size[d];
    lua_pushboolean(L, same);
    return 1;
}

static int t_is_same_size_as(lua_State *L)
{
    Tensor *a = check_tensor(L, 1, "isSameSizeAs");
    Tensor *b = check_tensor(L, 2, "isSameSizeAs");
    lua_pushboolean(L, tensor_is_same_size(a, b));
    return 1;
}

/* Same storage, offset, sizes and strides (Torch7's isSetTo). */
static int t_is_set_to(lua_State *L)
{
    Tensor *a = check_tensor(L, 1, "isSetTo");
    Tensor *b = check_tensor(L, 2, "isSetTo");
    int same = a->storage && a->storage == b->storage && a->offset == b->offset &&
               a->ndim == b->ndim;
    for (int d = 0; same && d < a->ndim; d++)
        same = a->size[d] == b->size[d] && a->stride[d] == b->stride[d];
    lua_pushboolean(L, same);
    return 1;
}

static int t_element_size(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)dtype_size(check_tensor(L, 1, "elementSize")->dtype));
    return 1;
}

static int t_is_tensor(lua_State *L)
{
    lua_pushboolean(L, lt_totensor(L, 1) != NULL);
    return 1;
}

/* ======================================================================
 * copies and fills
 * ====================================================================== */

/* New tensor object: shares t's storage when contiguous, a copy otherwise.
 * Always a new object, as in Torch7 (resizing it must not resize t). */
static int t_contiguous(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "contiguous");
    Tensor **box = new_tensor_box(L, t->dtype);
    *box = tensor_contiguous(t);
    if (!*box) lt_error(L);
    return 1;
}

static int t_clone(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "clone");
    Tensor **box = new_tensor_box(L, t->dtype);
    *box = tensor_clone(t);
    if (!*box) lt_error(L);
    return 1;
}

/* Checks equal element counts with Torch7's key phrase. */
static void check_same_count(lua_State *L, int arg, const char *fn, const Tensor *dst,
                             const Tensor *src)
{
    int64_t a = tensor_nelement(dst), b = tensor_nelement(src);
    if (a != b) {
        char sa[128], sb[128];
        argerr(L, arg, fn, "inconsistent tensor size: %s has %lld elements, %s has %lld",
               a ? tensor_size_string(dst, sa, sizeof sa) : "empty tensor", (long long)a,
               b ? tensor_size_string(src, sb, sizeof sb) : "empty tensor", (long long)b);
    }
}

static int t_copy(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "copy");
    Tensor *src = check_tensor(L, 2, "copy");
    check_same_count(L, 2, "copy", t, src);
    if (tensor_copy(t, src) != 0) core_argerr(L, 2, "copy");
    lua_settop(L, 1);
    return 1;
}

static int t_fill(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "fill");
    if (lua_type(L, 2) != LUA_TNUMBER)
        argerr(L, 2, "fill", "number expected, got %s", type_label(L, 2));
    fill_from_lua(L, t, 2);
    lua_settop(L, 1);
    return 1;
}

static int t_zero(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "zero");
    int64_t zero = 0;   /* all-zero bytes are 0 in every element type */
    fill_view(t, &zero);
    lua_settop(L, 1);
    return 1;
}

/* t:resize(sizes...) / t:resize(LongStorage): keeps data when the layout is
 * unchanged, only ever grows the storage. */
static int t_resize(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "resize");
    int64_t size[TENSOR_MAXDIM], stride[TENSOR_MAXDIM];
    int top = lua_gettop(L);
    Storage *st = NULL;
    if (lt_tostorage(L, 2) && top >= 3 && !lua_isnil(L, 3)) {   /* (size, stride) storages */
        st = lt_tostorage(L, 3);
        if (!st || st->dtype != DT_LONG)
            argerr(L, 3, "resize", "torch.LongStorage expected, got %s", type_label(L, 3));
        top = 2;
    }
    int n = read_sizes(L, 2, top, "resize", size);
    if (st && st->size != n)
        argerr(L, 3, "resize", "provided stride and size are inconsistent (%lld strides for %d sizes)",
               (long long)st->size, n);
    for (int d = 0; d < n; d++) stride[d] = st ? ((int64_t *)st->data)[d] : -1;
    n = truncate_sizes(n, size);
    int64_t extent = geometry_extent(L, 2, "resize", t->dtype, n, size, stride);
    if (!st) {
        if (tensor_resize(t, n, size) != 0) core_argerr(L, 2, "resize");
    } else {
        /* explicit strides (Torch7's resize(size, stride)): grow the storage
         * to cover the geometry from the current offset, then re-point */
        if (n > 0 && !t->storage) {
            t->storage = storage_new(t->dtype, extent);
            if (!t->storage) core_argerr(L, 2, "resize");
            t->offset = 0;
        } else if (n > 0 && t->offset + extent > t->storage->size &&
                   storage_resize(t->storage, t->offset + extent) != 0) {
            core_argerr(L, 2, "resize");
        }
        if (tensor_set_storage(t, t->storage, t->offset, n, size, stride) != 0)
            core_argerr(L, 2, "resize");
    }
    lua_settop(L, 1);
    return 1;
}

static int t_resize_as(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "resizeAs");
    Tensor *like = check_tensor(L, 2, "resizeAs");
    if (tensor_resize_as(t, like) != 0) core_argerr(L, 2, "resizeAs");
    lua_settop(L, 1);
    return 1;
}

/* ======================================================================
 * views
 * ====================================================================== */

static int t_narrow(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "narrow");
    int d = get_dim(L, 2, t, "narrow");
    int64_t first = get_int(L, 3, "narrow"), n = get_int(L, 4, "narrow");
    if (first < 1 || first > t->size[d])
        argerr(L, 3, "narrow", "index %lld out of range for dimension %d of size %lld",
               (long long)first, d + 1, (long long)t->size[d]);
    if (n < 1 || first - 1 + n > t->size[d])
        argerr(L, 4, "narrow", "size %lld out of range: indices %lld..%lld in dimension %d of size %lld",
               (long long)n, (long long)first, (long long)(first + n - 1), d + 1,
               (long long)t->size[d]);
    Tensor *v = push_view(L, t);
    if (tensor_narrow(v, t, d, first - 1, n) != 0) core_argerr(L, 2, "narrow");
    return 1;
}

/* t:sub(s1, e1 [, s2, e2 [, s3, e3 [, s4, e4]]]): inclusive ranges per dim,
 * negatives counting from the end. */
static int t_sub(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "sub");
    int64_t lo[4], hi[4];
    int nd = 0;
    for (int k = 0; k < 4; k++) {
        int a = 2 + 2 * k;
        if (k > 0 && lua_isnone(L, a)) break;
        int64_t s = get_int(L, a, "sub"), e = get_int(L, a + 1, "sub");
        if (k >= t->ndim)
            argerr(L, a, "sub", "invalid dimension %d for a %dD tensor", k + 1, t->ndim);
        int64_t sz = t->size[k];
        if (s < 0) s += sz + 1;
        if (e < 0) e += sz + 1;
        if (s < 1 || s > sz)
            argerr(L, a, "sub", "start index out of range: %lld for dimension %d of size %lld",
                   (long long)s, k + 1, (long long)sz);
        if (e < 1 || e > sz)
            argerr(L, a + 1, "sub", "end index out of range: %lld for dimension %d of size %lld",
                   (long long)e, k + 1, (long long)sz);
        if (e < s)
            argerr(L, a + 1, "sub", "end smaller than beginning: %lld < %lld", (long long)e,
                   (long long)s);
        lo[k] = s - 1;
        hi[k] = e - 1;
        nd++;
    }
    Tensor *v = push_view(L, t);
    for (int k = 0; k < nd; k++)
        if (tensor_narrow(v, v, k, lo[k], hi[k] - lo[k] + 1) != 0) core_argerr(L, 2 + 2 * k, "sub");
    return 1;
}

static int t_select(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "select");
    if (t->ndim == 0) argerr(L, 1, "select", "cannot select on an empty tensor");
    int d = get_dim(L, 2, t, "select");
    int64_t i = get_int(L, 3, "select");
    if (i < 1 || i > t->size[d])
        argerr(L, 3, "select", "index %lld out of range for dimension %d of size %lld",
               (long long)i, d + 1, (long long)t->size[d]);
    if (t->ndim == 1) {   /* Torch7: selecting in a vector gives the number */
        push_elem(L, t->dtype, storage_ptr(t->storage, t->offset + (i - 1) * t->stride[0]));
        return 1;
    }
    Tensor *v = push_view(L, t);
    if (tensor_select(v, t, d, i - 1) != 0) core_argerr(L, 2, "select");
    return 1;
}

static int t_transpose(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "transpose");
    int d1 = get_dim(L, 2, t, "transpose"), d2 = get_dim(L, 3, t, "transpose");
    Tensor *v = push_view(L, t);
    if (tensor_transpose(v, t, d1, d2) != 0) core_argerr(L, 2, "transpose");
    return 1;
}

static int t_t(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "t");
    if (t->ndim != 2)
        argerr(L, 1, "t", "Tensor must have 2 dimensions, got %dD", t->ndim);
    Tensor *v = push_view(L, t);
    if (tensor_transpose(v, t, 0, 1) != 0) core_argerr(L, 1, "t");
    return 1;
}

/* t:permute(p1, ..., pn): result dim i is t's dim p_i. */
static int t_permute(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "permute");
    int n = lua_gettop(L) - 1, perm[TENSOR_MAXDIM], seen[TENSOR_MAXDIM] = {0};
    if (n != t->ndim)
        argerr(L, 2, "permute", "Invalid permutation: %d dimensions given for a %dD tensor", n,
               t->ndim);
    for (int i = 0; i < n; i++) {
        int64_t p = get_int(L, 2 + i, "permute");
        if (p < 1 || p > n || seen[p - 1])
            argerr(L, 2 + i, "permute", "Invalid permutation: %lld is out of range or repeated",
                   (long long)p);
        seen[p - 1] = 1;
        perm[i] = (int)(p - 1);
    }
    Tensor *v = push_view(L, t);
    if (tensor_permute(v, t, perm) != 0) core_argerr(L, 2, "permute");
    return 1;
}

static int t_unfold(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "unfold");
    if (t->ndim == 0) argerr(L, 1, "unfold", "cannot unfold an empty tensor");
    int d = get_dim(L, 2, t, "unfold");
    int64_t size = get_int(L, 3, "unfold"), step = get_int(L, 4, "unfold");
    if (size < 1 || size > t->size[d])
        argerr(L, 3, "unfold", "size %lld out of range for dimension %d of size %lld",
               (long long)size, d + 1, (long long)t->size[d]);
    if (step < 1) argerr(L, 4, "unfold", "invalid step %lld: must be positive", (long long)step);
    if (t->ndim >= TENSOR_MAXDIM)
        argerr(L, 1, "unfold", "too many dimensions (at most %d)", TENSOR_MAXDIM);
    Tensor *v = push_view(L, t);
    if (tensor_unfold(v, t, d, size, step) != 0) core_argerr(L, 2, "unfold");
    return 1;
}

/* Result and source of the `res:f(src, ...)` / `t:f(...)` forms: when
 * argument 2 is a tensor, res = arg 1 (re-pointed) and src = arg 2;
 * otherwise src = arg 1 and *res = NULL (the caller pushes a new result
 * after reading its arguments).  Returns the index of the first remaining
 * argument. */
static int res_src(lua_State *L, const char *fn, Tensor **res, Tensor **src)
{
    Tensor *a = check_tensor(L, 1, fn), *b = lt_totensor(L, 2);
    if (b) {
        if (b->dtype != a->dtype)
            argerr(L, 2, fn, "%s expected, got %s", lt_tensor_tname[a->dtype], type_label(L, 2));
        *res = a;
        *src = b;
        return 3;
    }
    *src = a;
    *res = NULL;
    return 2;
}

/* t:view(sizes...) / t:view(LongStorage) / res:view(src, sizes...). */
static int t_view(lua_State *L)
{
    Tensor *res, *src;
    int64_t size[TENSOR_MAXDIM];
    int top = lua_gettop(L);
    int first = res_src(L, "view", &res, &src);
    if (first > top)
        argerr(L, first, "view", "sizes expected (numbers or a torch.LongStorage), got none");
    int n = read_sizes(L, first, lua_gettop(L), "view", size);
    if (n == 0) argerr(L, first, "view", "at least one size expected, got an empty size list");
    int infer = -1, overflow = 0;
    int64_t known = 1, count = tensor_nelement(src);
    for (int d = 0; d < n; d++) {
        if (size[d] == -1) {
            if (infer >= 0)
                argerr(L, first, "view", "only one dimension can be at -1");
            infer = d;
        } else if (size[d] <= 0) {
            argerr(L, first, "view", "invalid size %lld for dimension %d", (long long)size[d], d + 1);
        } else if (__builtin_mul_overflow(known, size[d], &known)) {
            overflow = 1;   /* a wrapped product could be 0 (x % 0) or match count */
        }
    }
    if (!tensor_is_contiguous(src))
        argerr(L, 1, "view", "expecting a contiguous tensor");
    char a[256], b[256];
    if (overflow || (infer >= 0 && count % known != 0) || (infer < 0 && known != count))
        argerr(L, first, "view", "Wrong size for view. Input size: %s. Output size: %s",
               src->ndim ? tensor_size_string(src, a, sizeof a) : "empty",
               sizes_str(n, size, b, sizeof b));
    if (infer >= 0) size[infer] = count / known;
    if (!res) res = push_new_tensor(L, src->dtype);
    else lua_pushvalue(L, 1);
    if (tensor_view(res, src, n, size) != 0) core_argerr(L, first, "view");
    return 1;
}

/* t:viewAs(t2) / res:viewAs(src, t2). */
static int t_view_as(lua_State *L)
{
    int two = lua_gettop(L) >= 3;
    Tensor *res = two ? check_tensor(L, 1, "viewAs") : NULL;
    Tensor *src = check_tensor(L, two ? 2 : 1, "viewAs");
    Tensor *like = check_tensor(L, two ? 3 : 2, "viewAs");
    char a[256], b[256];
    if (two && res->dtype != src->dtype)
        argerr(L, 2, "viewAs", "%s expected, got %s", lt_tensor_tname[res->dtype], type_label(L, 2));
    if (!tensor_is_contiguous(src)) argerr(L, two ? 2 : 1, "viewAs", "expecting a contiguous tensor");
    if (like->ndim == 0 || tensor_nelement(like) != tensor_nelement(src))
        argerr(L, two ? 3 : 2, "viewAs", "Wrong size for view. Input size: %s. Output size: %s",
               src->ndim ? tensor_size_string(src, a, sizeof a) : "empty",
               like->ndim ? tensor_size_string(like, b, sizeof b) : "empty");
    if (!res) res = push_new_tensor(L, src->dtype);
    else lua_pushvalue(L, 1);
    if (tensor_view(res, src, like->ndim, like->size) != 0) core_argerr(L, 2, "viewAs");
    return 1;
}

/* Shared check of expand/expandAs: size-1 dims may grow (stride 0). */
static void do_expand(lua_State *L, Tensor *res, Tensor *src, int n, const int64_t *size,
                      int arg, const char *fn)
{
    if (n != src->ndim)
        argerr(L, arg, fn, "the number of dimensions provided must equal tensor:dim(): %d given for a %dD tensor",
               n, src->ndim);
    for (int d = 0; d < n; d++)
        if (size[d] != src->size[d] && (src->size[d] != 1 || size[d] < 1))
            argerr(L, arg, fn, "incorrect size: only supporting singleton expansion (size=1): "
                   "dimension %d has size %lld, asked %lld", d + 1, (long long)src->size[d],
                   (long long)size[d]);
    if (tensor_expand(res, src, n, size) != 0) core_argerr(L, arg, fn);
}

/* t:expand(sizes...) / t:expand(LongStorage) / res:expand(src, sizes...). */
static int t_expand(lua_State *L)
{
    Tensor *res, *src;
    int64_t size[TENSOR_MAXDIM];
    int first = res_src(L, "expand", &res, &src);
    int n = read_sizes(L, first, lua_gettop(L), "expand", size);
    if (!res) res = push_new_tensor(L, src->dtype);
    else lua_pushvalue(L, 1);
    do_expand(L, res, src, n, size, first, "expand");
    return 1;
}

/* t:expandAs(t2) / res:expandAs(src, t2). */
static int t_expand_as(lua_State *L)
{
    int two = lua_gettop(L) >= 3;
    Tensor *res = two ? check_tensor(L, 1, "expandAs") : NULL;
    Tensor *src = check_tensor(L, two ? 2 : 1, "expandAs");
    Tensor *like = check_tensor(L, two ? 3 : 2, "expandAs");
    if (two && res->dtype != src->dtype)
        argerr(L, 2, "expandAs", "%s expected, got %s", lt_tensor_tname[res->dtype],
               type_label(L, 2));
    if (!res) res = push_new_tensor(L, src->dtype);
    else lua_pushvalue(L, 1);
    do_expand(L, res, src, like->ndim, like->size, two ? 3 : 2, "expandAs");
    return 1;
}

/* t:squeeze([d]) / res:squeeze(src [, d]).  Torch7 quirk: a result that is a
 * one-element 1-D tensor is returned as a number. */
static int t_squeeze(lua_State *L)
{
    Tensor *res, *src;
    int first = res_src(L, "squeeze", &res, &src);
    int d = lua_isnoneornil(L, first) ? -1 : get_dim(L, first, src, "squeeze");
    if (!res) res = push_new_tensor(L, src->dtype);
    else lua_pushvalue(L, 1);
    if (tensor_squeeze(res, src, d) != 0) core_argerr(L, first, "squeeze");
    if (res->ndim == 1 && res->size[0] == 1) push_elem(L, res->dtype, tensor_data(res));
    return 1;
}

/* t:reshape(sizes...) / res:reshape(src, sizes...): a copy in a new shape. */
static int t_reshape(lua_State *L)
{
    Tensor *res, *src;
    int64_t size[TENSOR_MAXDIM], stride[TENSOR_MAXDIM];
    int first = res_src(L, "reshape", &res, &src);
    int n = truncate_sizes(read_sizes(L, first, lua_gettop(L), "reshape", size), size);
    for (int d = 0; d < n; d++) stride[d] = -1;
    /* first: it rejects sizes whose product would overflow the count */
    geometry_extent(L, first, "reshape", src->dtype, n, size, stride);
    int64_t count = n ? 1 : 0;
    for (int d = 0; d < n; d++) count *= size[d];
    if (count != tensor_nelement(src)) {
        char a[256], b[256];
        argerr(L, first, "reshape", "inconsistent tensor size: cannot reshape %s (%lld elements) into %s",
               src->ndim ? tensor_size_string(src, a, sizeof a) : "empty tensor",
               (long long)tensor_nelement(src), n ? sizes_str(n, size, b, sizeof b) : "empty tensor");
    }
    if (!res) res = push_new_tensor(L, src->dtype);
    else lua_pushvalue(L, 1);
    int ri = lua_gettop(L);
    if (res == src) {   /* reshaping into itself: copy the source out first */
        Tensor **box = new_tensor_box(L, src->dtype);
        *box = tensor_clone(src);
        if (!*box) lt_error(L);
        src = *box;
    }
    if (tensor_resize(res, n, size) != 0 || tensor_copy(res, src) != 0)
        core_argerr(L, first, "reshape");
    lua_pushvalue(L, ri);
    return 1;
}

/* ======================================================================
 * type conversion
 * ====================================================================== */

/* Pushes t converted to dt: t itself if already of that type (Torch7's
 * aliasing rule), else a new contiguous copy. */
static void push_as_type(lua_State *L, int idx, Tensor *t, DType dt)
{
    if (t->dtype == dt) {
        lua_pushvalue(L, idx);
        return;
    }
    Tensor **box = new_tensor_box(L, dt);
    *box = tensor_convert(t, dt);
    if (!*box) lt_error(L);
}

/* Parses "torch.XTensor"; returns DT_COUNT when it is not a tensor class. */
static DType tensor_dtype_from_name(const char *name)
{
    for (int i = 0; i < DT_COUNT; i++)
        if (strcmp(name, lt_tensor_tname[i]) == 0) return (DType)i;
    return DT_COUNT;
}

static int t_type(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "type");
    if (lua_isnoneornil(L, 2)) {
        lua_pushstring(L, lt_tensor_tname[t->dtype]);
        return 1;
    }
    if (lua_type(L, 2) != LUA_TSTRING)
        argerr(L, 2, "type", "string expected, got %s", type_label(L, 2));
    DType dt = tensor_dtype_from_name(lua_tostring(L, 2));
    if (dt == DT_COUNT)
        argerr(L, 2, "type", "tensor type name expected (torch.ByteTensor ... torch.DoubleTensor), got '%s'",
               lua_tostring(L, 2));
    push_as_type(L, 1, t, dt);
    return 1;
}

/* t:byte() ... t:double(); the dtype is upvalue 1. */
static int t_totype(lua_State *L)
{
    DType dt = (DType)lua_tointeger(L, lua_upvalueindex(1));
    push_as_type(L, 1, check_tensor(L, 1, "type"), dt);
    return 1;
}

static int t_type_as(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "typeAs");
    Tensor *like = check_tensor(L, 2, "typeAs");
    push_as_type(L, 1, t, like->dtype);
    return 1;
}

static int t_real(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "real");
    push_as_type(L, 1, t, lt_default_dtype(L));
    return 1;
}

/* ======================================================================
 * apply / map / map2 / totable
 * ====================================================================== */

/* Stores the callback's result (at the top) into p: a number replaces the
 * element; nil (and false, as LuaJIT Torch7's FFI loop did) keeps it. */
static void store_result(lua_State *L, DType dt, void *p, int fidx, const char *fn)
{
    int ty = lua_type(L, -1);
    if (ty == LUA_TNUMBER) store_elem(L, lua_gettop(L), dt, p);
    else if (ty != LUA_TNIL && !(ty == LUA_TBOOLEAN && !lua_toboolean(L, -1)))
        argerr(L, fidx, fn, "given function should return a number or nil, got %s",
               type_label(L, -1));
    lua_pop(L, 1);
}

/* Calls f on up to three views element by element in row-major order. */
static int apply_n(lua_State *L, int ntensors, const char *fn)
{
    Tensor *t[3];
    int64_t idx[3][TENSOR_MAXDIM], off[3];
    for (int k = 0; k < ntensors; k++) {
        t[k] = check_tensor(L, 1 + k, fn);
        if (k > 0) check_same_count(L, 1 + k, fn, t[0], t[k]);
    }
    int fidx = 1 + ntensors;
    if (lua_type(L, fidx) != LUA_TFUNCTION)
        argerr(L, fidx, fn, "function expected, got %s", type_label(L, fidx));
    lua_settop(L, fidx);
    /* The callback may resize or re-set the tensors: iterate over private
     * views (kept on the stack) whose geometry cannot change, and check each
     * element against the storage's current size, which can still shrink. */
    for (int k = 0; k < ntensors; k++) t[k] = push_view(L, t[k]);
    int64_t n = tensor_nelement(t[0]);
    for (int k = 0; k < ntensors; k++) {
        memset(idx[k], 0, sizeof idx[k]);
        off[k] = t[k]->offset;
    }
    for (int64_t i = 0; i < n; i++) {
        for (int k = 0; k < ntensors; k++)
            if (off[k] >= t[k]->storage->size)
                argerr(L, fidx, fn, "the function resized the storage of tensor #%d during the call", k + 1);
        lua_pushvalue(L, fidx);
        for (int k = 0; k < ntensors; k++)
            push_elem(L, t[k]->dtype, storage_ptr(t[k]->storage, off[k]));
        lua_call(L, ntensors, 1);
        if (off[0] >= t[0]->storage->size)
            argerr(L, fidx, fn, "the function resized the storage of tensor #1 during the call");
        store_result(L, t[0]->dtype, storage_ptr(t[0]->storage, off[0]), fidx, fn);
        for (int k = 0; k < ntensors; k++) iter_next(t[k], idx[k], &off[k]);
    }
    lua_settop(L, 1);
    return 1;
}

static int t_apply(lua_State *L) { return apply_n(L, 1, "apply"); }
static int t_map(lua_State *L) { return apply_n(L, 2, "map"); }
static int t_map2(lua_State *L) { return apply_n(L, 3, "map2"); }

/* Pushes dims d.. of the view starting at storage index off as nested tables. */
static void push_table_rec(lua_State *L, const Tensor *t, int d, int64_t off)
{
    luaL_checkstack(L, 3, "totable");
    lua_createtable(L, (int)t->size[d], 0);
    for (int64_t i = 0; i < t->size[d]; i++) {
        int64_t o = off + i * t->stride[d];
        if (d == t->ndim - 1) push_elem(L, t->dtype, storage_ptr(t->storage, o));
        else push_table_rec(L, t, d + 1, o);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

static int t_totable(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "totable");
    if (t->ndim == 0 || tensor_nelement(t) == 0) lua_newtable(L);
    else push_table_rec(L, t, 0, t->offset);
    return 1;
}

/* ======================================================================
 * indexing: t[k] and t[k] = v
 * ====================================================================== */

/* Storage index of the element addressed by a LongStorage key. */
static int64_t longstorage_offset(lua_State *L, Tensor *t, Storage *key, const char *fn)
{
    if (key->size != t->ndim || t->ndim == 0)
        argerr(L, 2, fn, "invalid size: %lld indices for a %dD tensor", (long long)key->size,
               t->ndim);
    int64_t off = t->offset;
    for (int d = 0; d < t->ndim; d++) {
        int64_t z = ((int64_t *)key->data)[d];
        if (z < 0) z += t->size[d] + 1;
        if (z < 1 || z > t->size[d])
            argerr(L, 2, fn, "index out of bound: %lld for dimension %d of size %lld",
                   (long long)((int64_t *)key->data)[d], d + 1, (long long)t->size[d]);
        off += (z - 1) * t->stride[d];
    }
    return off;
}

/* Integer entry of a table key (on top of the stack); errors name the key,
 * argument 2 of the metamethod. */
static int64_t key_int(lua_State *L, const char *fn)
{
    int ok;
    lua_Integer v = lua_tointegerx(L, -1, &ok);
    if (!ok)
        argerr(L, 2, fn, "index entries must be integers, got %s", lua_tostring(L, -1));
    return (int64_t)v;
}

/* Applies a table key {i, {a,b}, {}, ...} to v (a fresh view of the
 * tensor).  Returns 1 and sets *elem to a storage index when it ends on a
 * single element of a 1-D view, 0 when v is the resulting view. */
static int apply_table_key(lua_State *L, Tensor *v, const char *fn, int64_t *elem)
{
    int ndims = v->ndim, cdim = 0;
    if ((int64_t)lua_rawlen(L, 2) > ndims)
        argerr(L, 2, fn, "too many indices provided: %lld for a %dD tensor",
               (long long)lua_rawlen(L, 2), ndims);
    for (int k = 1; k <= ndims; k++) {
        int ty = lua_rawgeti(L, 2, k);
        if (ty == LUA_TNUMBER) {
            int64_t z = key_int(L, fn), orig = z;
            lua_pop(L, 1);
            if (z < 0) z += v->size[cdim] + 1;
            if (z < 1 || z > v->size[cdim])
                argerr(L, 2, fn, "index out of bound: %lld for dimension %d of size %lld",
                       (long long)orig, cdim + 1, (long long)v->size[cdim]);
            if (v->ndim == 1) {
                *elem = v->offset + (z - 1) * v->stride[0];
                return 1;
            }
            if (tensor_select(v, v, cdim, z - 1) != 0) core_argerr(L, 2, fn);
        } else if (ty == LUA_TTABLE) {
            int64_t size = v->size[cdim], start = 1, end = size;
            if (lua_rawgeti(L, -1, 1) == LUA_TNUMBER) start = end = key_int(L, fn);
            lua_pop(L, 1);
            if (lua_rawgeti(L, -1, 2) == LUA_TNUMBER) end = key_int(L, fn);
            lua_pop(L, 2);
            int64_t s0 = start, e0 = end;
            if (start < 0) start += size + 1;
            if (start < 1 || start > size)
                argerr(L, 2, fn, "start index out of bound: %lld for dimension %d of size %lld",
                       (long long)s0, cdim + 1, (long long)size);
            if (end < 0) end += size + 1;
            if (end < 1 || end > size)
                argerr(L, 2, fn, "end index out of bound: %lld for dimension %d of size %lld",
                       (long long)e0, cdim + 1, (long long)size);
            if (end < start)
                argerr(L, 2, fn, "end index must be greater or equal to start index: %lld < %lld",
                       (long long)e0, (long long)s0);
            if (tensor_narrow(v, v, cdim, start - 1, end - start + 1) != 0) core_argerr(L, 2, fn);
            cdim++;
        } else {
            lua_pop(L, 1);
            break;   /* Torch7 stops at the first entry that is neither */
        }
    }
    return 0;
}

/* Checks a number key against dim 1; returns the 0-based index. */
static int64_t number_key(lua_State *L, Tensor *t, const char *fn)
{
    int64_t k = get_int(L, 2, fn), z = k;
    if (t->ndim == 0) argerr(L, 1, fn, "empty tensor: cannot index a tensor with no dimensions");
    if (z < 0) z += t->size[0] + 1;
    if (z < 1 || z > t->size[0])
        argerr(L, 2, fn, "index %lld out of range for dimension 1 of size %lld", (long long)k,
               (long long)t->size[0]);
    return z - 1;
}

/* Calls method `name` of the tensor at 1 with the stack values 2..(1+nargs). */
static int call_method(lua_State *L, const char *name, int nargs, int nres)
{
    lua_getmetatable(L, 1);
    if (lua_getfield(L, -1, name) != LUA_TFUNCTION)
        return luaL_error(L, "%s is not available for %s", name, type_label(L, 1));
    lua_remove(L, -2);
    for (int i = 0; i <= nargs; i++) lua_pushvalue(L, 1 + i);
    lua_call(L, nargs + 1, nres);
    return nres;
}

static int t_index(lua_State *L)
{
    int ty = lua_type(L, 2);
    if (ty == LUA_TSTRING) {   /* method lookup first: the common case */
        /* mt.__index(5, 'add') called directly: no metatable to look in */
        if (!lua_getmetatable(L, 1)) check_tensor(L, 1, "__index");
        lua_pushvalue(L, 2);
        lua_rawget(L, -2);
        return 1;
    }
    Tensor *t = check_tensor(L, 1, "__index");
    if (ty == LUA_TNUMBER) {
        int64_t z = number_key(L, t, "__index");
        if (t->ndim == 1) {
            push_elem(L, t->dtype, storage_ptr(t->storage, t->offset + z * t->stride[0]));
        } else {
            Tensor *v = push_view(L, t);
            if (tensor_select(v, t, 0, z) != 0) core_argerr(L, 2, "__index");
        }
        return 1;
    }
    if (ty == LUA_TTABLE) {
        Tensor *v = push_view(L, t);
        int64_t elem;
        if (apply_table_key(L, v, "__index", &elem))
            push_elem(L, t->dtype, storage_ptr(t->storage, elem));
        return 1;
    }
    Storage *s = lt_tostorage(L, 2);
    if (s && s->dtype == DT_LONG) {
        push_elem(L, t->dtype, storage_ptr(t->storage, longstorage_offset(L, t, s, "__index")));
        return 1;
    }
    Tensor *mask = lt_totensor(L, 2);
    if (mask && mask->dtype == DT_BYTE) {
        lua_settop(L, 2);
        return call_method(L, "maskedSelect", 1, 1);
    }
    lua_getmetatable(L, 1);   /* any other key: plain lookup (nil if absent) */
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

/* Writes value 3 into view v: a number fills, a tensor is copied in. */
static void assign_view(lua_State *L, Tensor *v, const char *fn)
{
    if (lua_type(L, 3) == LUA_TNUMBER) {
        fill_from_lua(L, v, 3);
        return;
    }
    Tensor *src = lt_totensor(L, 3);
    if (!src) argerr(L, 3, fn, "number or torch.*Tensor expected, got %s", type_label(L, 3));
    check_same_count(L, 3, fn, v, src);
    if (tensor_copy(v, src) != 0) core_argerr(L, 3, fn);
}

static void check_number_value(lua_State *L, const char *fn)
{
    if (lua_type(L, 3) != LUA_TNUMBER)
        argerr(L, 3, fn, "number expected, got %s", type_label(L, 3));
}

static int t_newindex(lua_State *L)
{
    Tensor *t = check_tensor(L, 1, "__newindex");
    int ty = lua_type(L, 2);
    if (ty == LUA_TNUMBER) {
        int64_t z = number_key(L, t, "__newindex");
        if (t->ndim == 1 && lua_type(L, 3) == LUA_TNUMBER) {
            store_elem(L, 3, t->dtype, storage_ptr(t->storage, t->offset + z * t->stride[0]));
            return 0;
        }
        Tensor *v = push_view(L, t);
        if (t->ndim == 1) {
            if (tensor_narrow(v, t, 0, z, 1) != 0) core_argerr(L, 2, "__newindex");
        } else if (tensor_select(v, t, 0, z) != 0) {
            core_argerr(L, 2, "__newindex");
        }
        assign_view(L, v, "__newindex");
        return 0;
    }
    if (ty == LUA_TTABLE) {
        Tensor *v = push_view(L, t);
        int64_t elem;
        if (apply_table_key(L, v, "__newindex", &elem)) {
            check_number_value(L, "__newindex");
            store_elem(L, 3, t->dtype, storage_ptr(t->storage, elem));
        } else {
            assign_view(L, v, "__newindex");
        }
        return 0;
    }
    Storage *s = lt_tostorage(L, 2);
    if (s && s->dtype == DT_LONG) {
        int64_t off = longstorage_offset(L, t, s, "__newindex");
        check_number_value(L, "__newindex");
        store_elem(L, 3, t->dtype, storage_ptr(t->storage, off));
        return 0;
    }
    Tensor *mask = lt_totensor(L, 2);
    if (mask && mask->dtype == DT_BYTE) {
        lua_settop(L, 3);
        if (lua_type(L, 3) == LUA_TNUMBER) return call_method(L, "maskedFill", 2, 0);
        if (lt_totensor(L, 3)) return call_method(L, "maskedCopy", 2, 0);
        return argerr(L, 3, "__newindex", "number or torch.*Tensor expected, got %s",
                      type_label(L, 3));
    }
    return luaL_error(L, "the class %s cannot be indexed (key %s)", lt_tensor_tname[t->dtype],
                      ty == LUA_TSTRING ? lua_tostring(L, 2) : type_label(L, 2));
}

static int t_gc(lua_State *L)
{
    /* Lua code can call the metamethod directly with any value
     * (getmetatable(x).__gc(io.stdout)): only release our own tensor boxes. */
    int k = kind_of(L, 1);
    Tensor **box = k >= 0 && k < DT_COUNT ? lua_touserdata(L, 1) : NULL;
    if (box) {
        tensor_release(*box);
        *box = NULL;
    }
    return 0;
}

/* Identity of the C tensor: two boxes of one tensor are equal. */
static int t_eq(lua_State *L)
{
    Tensor *a = lt_totensor(L, 1), *b = lt_totensor(L, 2);
    lua_pushboolean(L, a && a == b);
    return 1;
}

static int t_factory(lua_State *L)
{
    push_new_tensor(L, (DType)lua_tointeger(L, lua_upvalueindex(1)));
    return 1;
}

/* ======================================================================
 * storages
 * ====================================================================== */

static Storage *push_new_storage(lua_State *L, DType dt, int64_t n, int arg, const char *fn)
{
    if (n < 0) argerr(L, arg, fn, "invalid storage size %lld: must be non-negative", (long long)n);
    if (n > STORAGE_MAX_BYTES / (int64_t)dtype_size(dt))
        argerr(L, arg, fn, "storage of %lld elements is too large to allocate", (long long)n);
    Storage **box = new_storage_box(L, dt);
    *box = storage_new(dt, n);
    if (!*box) core_argerr(L, arg, fn);
    return *box;
}

/* torch.XStorage() / (n) / ({...}) / (storage [, offset [, size]]). */
static int storage_construct(lua_State *L)
{
    int first = 1;
    DType dt = (DType)lua_tointeger(L, lua_upvalueindex(1));
    const char *fn = lt_storage_tname[dt];
    int ty = lua_type(L, first);
    if (ty == LUA_TNONE || ty == LUA_TNIL) {
        push_new_storage(L, dt, 0, first, fn);
        return 1;
    }
    if (ty == LUA_TTABLE) {
        int64_t n = (int64_t)lua_rawlen(L, first);
        Storage *s = push_new_storage(L, dt, n, first, fn);
        for (int64_t i = 0; i < n; i++) {
            lua_rawgeti(L, first, (lua_Integer)i + 1);
            if (!lua_isnumber(L, -1))
                argerr(L, first, fn, "element at index %lld is not a number (got %s)",
                       (long long)i + 1, luaL_typename(L, -1));
            store_elem(L, lua_gettop(L), dt, storage_ptr(s, i));
            lua_pop(L, 1);
        }
        return 1;
    }
    if (ty == LUA_TNUMBER) {
        push_new_storage(L, dt, get_int(L, first, fn), first, fn);
        return 1;
    }
    Storage *base = lt_tostorage(L, first);
    if (base && base->dtype == dt) {
        int64_t offset = opt_int(L, first + 1, fn, 1);
        if (offset < 1 || offset > base->size)
            argerr(L, first + 1, fn, "offset out of bounds: %lld in a storage of size %lld",
                   (long long)offset, (long long)base->size);
        int64_t n = opt_int(L, first + 2, fn, base->size - offset + 1);
        if (n < 1 || offset - 1 + n > base->size)
            argerr(L, first + 2, fn,
                   "size out of bounds: %lld elements from offset %lld in a storage of size %lld",
                   (long long)n, (long long)offset, (long long)base->size);
        Storage **box = new_storage_box(L, dt);
        *box = storage_new_view(base, offset - 1, n);
        if (!*box) core_argerr(L, first, fn);
        return 1;
    }
    return argerr(L, first, fn, "number, table or %s expected, got %s", fn,
                  type_label(L, first));
}

static int s_call(lua_State *L)
{
    lua_remove(L, 1);   /* the constructor table */
    return storage_construct(L);
}

static int s_new(lua_State *L) { return storage_construct(L); }

static int s_factory(lua_State *L)
{
    DType dt = (DType)lua_tointeger(L, lua_upvalueindex(1));
    push_new_storage(L, dt, 0, 1, lt_storage_tname[dt]);
    return 1;
}

static int s_size(lua_State *L)
{
    lua_pushinteger(L, check_storage(L, 1, "size")->size);
    return 1;
}

static int s_element_size(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)dtype_size(check_storage(L, 1, "elementSize")->dtype));
    return 1;
}

static int s_resize(lua_State *L)
{
    Storage *s = check_storage(L, 1, "resize");
    int64_t n = get_int(L, 2, "resize");
    if (n < 0) argerr(L, 2, "resize", "invalid storage size %lld: must be non-negative", (long long)n);
    if (n > STORAGE_MAX_BYTES / (int64_t)dtype_size(s->dtype))
        argerr(L, 2, "resize", "storage of %lld elements is too large to allocate", (long long)n);
    if (storage_resize(s, n) != 0) core_argerr(L, 1, "resize");
    lua_settop(L, 1);
    return 1;
}

static int s_fill(lua_State *L)
{
    Storage *s = check_storage(L, 1, "fill");
    if (lua_type(L, 2) != LUA_TNUMBER)
        argerr(L, 2, "fill", "number expected, got %s", type_label(L, 2));
    int64_t val[1];
    store_elem(L, 2, s->dtype, val);
    if (s->size > 0) fill_run(s->dtype, s->data, s->size, 1, val);
    lua_settop(L, 1);
    return 1;
}

/* A 1-D tensor viewing all of s (or an empty one), for converting copies. */
static Tensor *storage_as_tensor(lua_State *L, Storage *s)
{
    Tensor **box = new_tensor_box(L, s->dtype);
    *box = tensor_new(s->dtype);
    if (!*box) lt_error(L);
    int64_t n = s->size;
    if (n > 0 && tensor_set_storage(*box, s, 0, 1, &n, NULL) != 0) lt_error(L);
    return *box;
}

static int s_copy(lua_State *L)
{
    Storage *s = check_storage(L, 1, "copy");
    Storage *src = check_storage(L, 2, "copy");
    if (s->size != src->size)
        argerr(L, 2, "copy", "size mismatch: copying %lld elements into a storage of size %lld",
               (long long)src->size, (long long)s->size);
    Tensor *a = storage_as_tensor(L, s), *b = storage_as_tensor(L, src);
    if (tensor_copy(a, b) != 0) core_argerr(L, 2, "copy");
    lua_settop(L, 1);
    return 1;
}

static int s_totable(lua_State *L)
{
    Storage *s = check_storage(L, 1, "totable");
    lua_createtable(L, (int)s->size, 0);
    for (int64_t i = 0; i < s->size; i++) {
        push_elem(L, s->dtype, storage_ptr(s, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* s:string() -> the bytes; s:string(str) -> s resized to #str with its bytes. */
static int s_string(lua_State *L)
{
    Storage *s = check_storage(L, 1, "string");
    if (lua_isnoneornil(L, 2)) {
        lua_pushlstring(L, s->size ? (const char *)s->data : "", (size_t)s->size);
        return 1;
    }
    if (lua_type(L, 2) != LUA_TSTRING)
        argerr(L, 2, "string", "string expected, got %s", type_label(L, 2));
    size_t len;
    const char *str = lua_tolstring(L, 2, &len);
    if (storage_resize(s, (int64_t)len) != 0) core_argerr(L, 1, "string");
    if (len) memcpy(s->data, str, len);
    lua_settop(L, 1);
    return 1;
}

static int64_t storage_key(lua_State *L, Storage *s, const char *fn)
{
    int64_t i = get_int(L, 2, fn);
    if (i < 1 || i > s->size)
        argerr(L, 2, fn, "index %lld out of bounds for a storage of size %lld", (long long)i,
               (long long)s->size);
    return i - 1;
}

static int s_index(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TNUMBER) {
        Storage *s = check_storage(L, 1, "__index");
        push_elem(L, s->dtype, storage_ptr(s, storage_key(L, s, "__index")));
        return 1;
    }
    if (!lua_getmetatable(L, 1)) check_storage(L, 1, "__index");   /* direct call on a non-storage */
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

static int s_newindex(lua_State *L)
{
    Storage *s = check_storage(L, 1, "__newindex");
    if (lua_type(L, 2) != LUA_TNUMBER)
        return luaL_error(L, "the class %s cannot be indexed (key %s)", lt_storage_tname[s->dtype],
                          lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : type_label(L, 2));
    int64_t i = storage_key(L, s, "__newindex");
    check_number_value(L, "__newindex");
    store_elem(L, 3, s->dtype, storage_ptr(s, i));
    return 0;
}

static int s_len(lua_State *L)
{
    lua_pushinteger(L, check_storage(L, 1, "__len")->size);
    return 1;
}

static int s_gc(lua_State *L)
{
    /* As t_gc: never release a box that is not one of our storages. */
    int k = kind_of(L, 1);
    Storage **box = k >= KIND_STORAGE && k < KIND_STORAGE + DT_COUNT ? lua_touserdata(L, 1) : NULL;
    if (box) {
        storage_release(*box);
        *box = NULL;
    }
    return 0;
}

static int s_eq(lua_State *L)
{
    Storage *a = lt_tostorage(L, 1), *b = lt_tostorage(L, 2);
    lua_pushboolean(L, a && a == b);
    return 1;
}

/* ======================================================================
 * torch-level functions
 * ====================================================================== */

DType lt_default_dtype(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, default_key);
    DType dt = lua_isinteger(L, -1) ? (DType)lua_tointeger(L, -1) : DT_DOUBLE;
    lua_pop(L, 1);
    return dt;
}

/* Points tbl.Tensor / tbl.Storage (tbl at idx) at the constructor tables of dt. */
static void set_aliases(lua_State *L, int idx, DType dt)
{
    idx = lua_absindex(L, idx);
    luaL_getmetatable(L, lt_tensor_tname[dt]);
    lua_getfield(L, -1, "__constructor");
    lua_setfield(L, idx, "Tensor");
    lua_pop(L, 1);
    luaL_getmetatable(L, lt_storage_tname[dt]);
    lua_getfield(L, -1, "__constructor");
    lua_setfield(L, idx, "Storage");
    lua_pop(L, 1);
}

/* torch.setdefaulttensortype(name): switches torch.Tensor/torch.Storage (in
 * the C module table, upvalue 1, and in the global `torch`). */
static int l_setdefaulttensortype(lua_State *L)
{
    if (lua_type(L, 1) != LUA_TSTRING)
        return argerr(L, 1, "setdefaulttensortype", "string expected, got %s", type_label(L, 1));
    const char *name = lua_tostring(L, 1);
    DType dt = tensor_dtype_from_name(name);
    if (dt == DT_COUNT)
        return argerr(L, 1, "setdefaulttensortype", "<%s> is not a string describing a torch object",
                      name);
    lua_pushinteger(L, dt);
    lua_setfield(L, LUA_REGISTRYINDEX, default_key);
    set_aliases(L, lua_upvalueindex(1), dt);
    if (lua_getglobal(L, "torch") == LUA_TTABLE) set_aliases(L, -1, dt);
    lua_pop(L, 1);
    return 0;
}

static int l_getdefaulttensortype(lua_State *L)
{
    lua_pushstring(L, lt_tensor_tname[lt_default_dtype(L)]);
    return 1;
}

static int l_istensor(lua_State *L)
{
    lua_pushboolean(L, lt_totensor(L, 1) != NULL);
    return 1;
}

static int l_isstorage(lua_State *L)
{
    lua_pushboolean(L, lt_tostorage(L, 1) != NULL);
    return 1;
}

/* torch.pointer(obj): the C object's address for tensors and storages (two
 * boxes of one tensor give the same number), lua_topointer otherwise. */
static int l_pointer(lua_State *L)
{
    Tensor *t = lt_totensor(L, 1);
    Storage *s = lt_tostorage(L, 1);
    const void *p = t ? (const void *)t : s ? (const void *)s : lua_topointer(L, 1);
    lua_pushinteger(L, (lua_Integer)(intptr_t)p);
    return 1;
}

/* torch.getenv(u): the per-userdata Lua table (user value 1 of our boxes and
 * of every Ember userdata made with one user value), created empty on first
 * use so `torch.getenv(t).key = v` works. */
static int l_getenv(lua_State *L)
{
    if (lua_type(L, 1) != LUA_TUSERDATA)
        return argerr(L, 1, "getenv", "userdata expected, got %s", type_label(L, 1));
    if (lua_getiuservalue(L, 1, 1) == LUA_TNONE)
        return argerr(L, 1, "getenv", "%s has no environment slot", type_label(L, 1));
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setiuservalue(L, 1, 1);
    }
    return 1;
}

/* torch.setenv(u, tbl): replaces that table. */
static int l_setenv(lua_State *L)
{
    if (lua_type(L, 1) != LUA_TUSERDATA)
        return argerr(L, 1, "setenv", "userdata expected, got %s", type_label(L, 1));
    if (lua_type(L, 2) != LUA_TTABLE)
        return argerr(L, 2, "setenv", "table expected, got %s", type_label(L, 2));
    lua_settop(L, 2);
    if (!lua_setiuservalue(L, 1, 1))
        return argerr(L, 1, "setenv", "%s has no environment slot", type_label(L, 1));
    return 0;
}

/* ======================================================================
 * registration
 * ====================================================================== */

static const luaL_Reg tensor_methods[] = {
    {"dim", t_dim},
    {"nDimension", t_dim},
    {"size", t_size},
    {"stride", t_stride},
    {"nElement", t_nelement},
    {"numel", t_nelement},
    {"storage", t_storage},
    {"storageOffset", t_storage_offset},
    {"isContiguous", t_is_contiguous},
    {"isSize", t_is_size},
    {"isSameSizeAs", t_is_same_size_as},
    {"isSetTo", t_is_set_to},
    {"elementSize", t_element_size},
    {"isTensor", t_is_tensor},
    {"contiguous", t_contiguous},
    {"clone", t_clone},
    {"copy", t_copy},
    {"fill", t_fill},
    {"zero", t_zero},
    {"resize", t_resize},
    {"resizeAs", t_resize_as},
    {"set", t_set},
    {"narrow", t_narrow},
    {"sub", t_sub},
    {"select", t_select},
    {"transpose", t_transpose},
    {"t", t_t},
    {"permute", t_permute},
    {"unfold", t_unfold},
    {"view", t_view},
    {"viewAs", t_view_as},
    {"expand", t_expand},
    {"expandAs", t_expand_as},
    {"squeeze", t_squeeze},
    {"reshape", t_reshape},
    {"type", t_type},
    {"typeAs", t_type_as},
    {"real", t_real},
    {"apply", t_apply},
    {"map", t_map},
    {"map2", t_map2},
    {"totable", t_totable},
    {"__index", t_index},
    {"__newindex", t_newindex},
    {"__len", t_len},
    {"__eq", t_eq},
    {"__gc", t_gc},
    {NULL, NULL}};

static const luaL_Reg storage_methods[] = {
    {"size", s_size},
    {"elementSize", s_element_size},
    {"resize", s_resize},
    {"fill", s_fill},
    {"copy", s_copy},
    {"totable", s_totable},
    {"__index", s_index},
    {"__newindex", s_newindex},
    {"__len", s_len},
    {"__eq", s_eq},
    {"__gc", s_gc},
    {NULL, NULL}};

void lt_add_methods(lua_State *L, const luaL_Reg *fns, unsigned mask)
{
    for (int dt = 0; dt < DT_COUNT; dt++) {
        if (!(mask & (1u << dt))) continue;
        luaL_getmetatable(L, lt_tensor_tname[dt]);
        luaL_setfuncs(L, fns, 0);
        lua_pop(L, 1);
    }
}

/* Creates the metatable `name` (kind k) with its constructor table
 * (callable; reads and writes go to the metatable, so `torch.DoubleTensor.foo
 * = f` adds a method) stored as module[short name] and mt.__constructor. */
static void create_class(lua_State *L, int module, const char *name, int kind,
                         const luaL_Reg *methods, lua_CFunction call, lua_CFunction newfn,
                         lua_CFunction factory, DType dt)
{
    luaL_newmetatable(L, name);
    luaL_setfuncs(L, methods, 0);
    lua_pushinteger(L, kind);
    lua_rawsetp(L, -2, &kind_key);
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__typename");
    lua_pushinteger(L, dt);
    lua_pushcclosure(L, newfn, 1);
    lua_setfield(L, -2, "new");
    lua_pushinteger(L, dt);
    lua_pushcclosure(L, factory, 1);
    lua_setfield(L, -2, "__factory");

    lua_newtable(L);                      /* constructor table */
    lua_createtable(L, 0, 4);             /* its metatable, named like the class */
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__typename");
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__newindex");
    lua_pushinteger(L, dt);
    lua_pushcclosure(L, call, 1);
    lua_setfield(L, -2, "__call");
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "__constructor");
    lua_setfield(L, module, name + strlen("torch."));
    lua_pop(L, 1);
}

void lt_open_tensor(lua_State *L)
{
    int module = lua_gettop(L);
    for (int dt = 0; dt < DT_COUNT; dt++) {
        create_class(L, module, lt_tensor_tname[dt], dt, tensor_methods, t_call, t_new,
                     t_factory, (DType)dt);
        create_class(L, module, lt_storage_tname[dt], KIND_STORAGE + dt, storage_methods, s_call,
                     s_new, s_factory, (DType)dt);
    }
    /* byte() ... double() on every tensor type */
    for (int dt = 0; dt < DT_COUNT; dt++) {
        char lname[16];
        snprintf(lname, sizeof lname, "%s", dtype_name((DType)dt));
        lname[0] = (char)(lname[0] - 'A' + 'a');
        for (int ot = 0; ot < DT_COUNT; ot++) {
            luaL_getmetatable(L, lt_tensor_tname[ot]);
            lua_pushinteger(L, dt);
            lua_pushcclosure(L, t_totype, 1);
            lua_setfield(L, -2, lname);
            lua_pop(L, 1);
        }
    }
    /* string() only for the byte-sized storages */
    static const luaL_Reg string_fn[] = {{"string", s_string}, {NULL, NULL}};
    luaL_getmetatable(L, lt_storage_tname[DT_BYTE]);
    luaL_setfuncs(L, string_fn, 0);
    lua_pop(L, 1);
    luaL_getmetatable(L, lt_storage_tname[DT_CHAR]);
    luaL_setfuncs(L, string_fn, 0);
    lua_pop(L, 1);

    set_aliases(L, module, lt_default_dtype(L));
    lua_pushvalue(L, module);
    lua_pushcclosure(L, l_setdefaulttensortype, 1);
    lua_setfield(L, module, "setdefaulttensortype");
    static const luaL_Reg fns[] = {
        {"getdefaulttensortype", l_getdefaulttensortype},
        {"isTensor", l_istensor},
        {"isStorage", l_isstorage},
        {"pointer", l_pointer},
        {"getenv", l_getenv},
        {"setenv", l_setenv},
        {NULL, NULL}};
    luaL_setfuncs(L, fns, 0);
}
