/* lnnfast.c: Lua bindings of the fused nn fast paths (nn_fused.h), in the
 * table `torch._nnfast`.  The nn modules call these from their own
 * updateOutput/updateGradInput and keep their Torch7 sub-module structure.
 * Arguments follow THNN's order: input, output/gradients, parameters,
 * buffers, then sizes.  Non-contiguous tensors are read through contiguous
 * copies; contiguous arguments (the steady state) allocate nothing. */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"
#include "ltensor.h"
#include "nn_fused.h"

static int fail(lua_State *L, const char *fn, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return luaL_error(L, "%s: %s", fn, msg);
}

/* Float or Double tensor at idx; with dt >= 0, exactly that type. */
static Tensor *tensor_arg(lua_State *L, int idx, int dt, const char *fn)
{
    Tensor *t = lt_totensor(L, idx);
    if (!t)
        luaL_error(L, "bad argument #%d to '%s' (torch.FloatTensor or torch.DoubleTensor "
                   "expected, got %s)", idx, fn, luaL_typename(L, idx));
    if (dt >= 0 && t->dtype != (DType)dt)
        luaL_error(L, "bad argument #%d to '%s' (%s expected, got %s)", idx, fn,
                   lt_tensor_tname[dt], lt_tensor_tname[t->dtype]);
    if (t->dtype != DT_FLOAT && t->dtype != DT_DOUBLE)
        luaL_error(L, "bad argument #%d to '%s' (torch.FloatTensor or torch.DoubleTensor "
                   "expected, got %s)", idx, fn, lt_tensor_tname[t->dtype]);
    return t;
}

/* t itself when contiguous, else a contiguous copy kept alive on the stack. */
static Tensor *contig(lua_State *L, Tensor *t)
{
    if (tensor_is_contiguous(t)) return t;
    Tensor *c = tensor_contiguous(t);
    lt_pushtensor(L, c);
    return c;
}

static void resize(lua_State *L, const char *fn, Tensor *t, int ndim, const int64_t *size)
{
    if (tensor_resize(t, ndim, size) != 0) luaL_error(L, "%s: %s", fn, th_lasterror());
}

static void sizes_str(const Tensor *t, char *buf, size_t cap)
{
    tensor_size_string(t, buf, cap);
}

/* ---- SpatialSubtractiveNormalization ---------------------------------------- */

/* The geometry of a call: x (P,H,W) or (N,P,H,W); coef (..., H, W)
 * contiguous, its first plane used; the taps from the mean estimator's
 * convolution weights: a 2-D kernel from SpatialConvolution's (1, P, kH, kW)
 * weight (argument kernarg, kernarg + 1 nil), a 1-D one from
 * SpatialConvolutionMap's (P, 1, K) weight (horizontal) and
 * SpatialConvolution's (1, P, K, 1) weight (vertical); plane 1's taps serve
 * for all planes, as the module builds them equal. */
typedef struct SubnormArgs {
    int64_t n, planes, h, w, kh, kw;
    int kdim;
    const Tensor *coef, *k, *kv;
} SubnormArgs;

static SubnormArgs subnorm_args(lua_State *L, const char *fn, const Tensor *x, int coefarg,
                                int kernarg)
{
    SubnormArgs a;
    char buf[128];
    if (x->ndim != 3 && x->ndim != 4) {
        sizes_str(x, buf, sizeof buf);
        fail(L, fn, "3D or 4D input expected, got %dD (%s)", x->ndim, buf);
    }
    a.n = x->ndim == 4 ? x->size[0] : 1;
    a.planes = x->size[x->ndim - 3];
    a.h = x->size[x->ndim - 2];
    a.w = x->size[x->ndim - 1];
    Tensor *coef = contig(L, tensor_arg(L, coefarg, x->dtype, fn));
    if (coef->ndim < 2 || coef->size[coef->ndim - 2] != a.h || coef->size[coef->ndim - 1] != a.w) {
        sizes_str(coef, buf, sizeof buf);
        fail(L, fn, "coef of size ...x%lldx%lld expected, got %s", (long long)a.h,
             (long long)a.w, buf);
    }
    Tensor *k = contig(L, tensor_arg(L, kernarg, x->dtype, fn)), *kv = NULL;
    if (k->ndim < 2) {
        sizes_str(k, buf, sizeof buf);
        fail(L, fn, "convolution weight expected, got size %s", buf);
    }
    a.kw = k->size[k->ndim - 1];
    a.kh = k->size[k->ndim - 2];
    a.kdim = 2;
    if (!lua_isnoneornil(L, kernarg + 1)) {
        kv = contig(L, tensor_arg(L, kernarg + 1, x->dtype, fn));
        if (kv->ndim < 2) {
            sizes_str(kv, buf, sizeof buf);
            fail(L, fn, "convolution weight expected, got size %s", buf);
        }
        a.kdim = 1;
        a.kh = kv->size[kv->ndim - 2];
    }
    a.coef = coef;
    a.k = k;
    a.kv = kv;
    return a;
}

/* (input, output, coef, weight, weight2 or nil, work):
 * output = input - mean(input) / coef */
static int f_subnorm_updateOutput(lua_State *L)
{
    const char *fn = "SpatialSubtractiveNormalization_updateOutput";
    Tensor *x = tensor_arg(L, 1, -1, fn);
    Tensor *y = tensor_arg(L, 2, (int)x->dtype, fn);
    Tensor *work = tensor_arg(L, 6, (int)x->dtype, fn);
    if (y == x || work == x || work == y) fail(L, fn, "input, output and work must be distinct");
    SubnormArgs a = subnorm_args(L, fn, x, 3, 4);
    x = contig(L, x);
    int64_t wsize = 3 * a.h * a.w;
    resize(L, fn, y, x->ndim, x->size);
    resize(L, fn, work, 1, &wsize);
    if (nn_subnorm_forward(x->dtype, tensor_data(x), tensor_data(y), tensor_data(a.coef),
                           tensor_data(a.k), a.kv ? tensor_data(a.kv) : NULL, a.kdim, a.kh, a.kw, a.n, a.planes, a.h, a.w,
                           tensor_data(work)) != 0)
        return luaL_error(L, "%s: %s", fn, th_lasterror());
    return 0;
}

/* (gradOutput, gradInput, coef, weight, weight2 or nil, work) */
static int f_subnorm_updateGradInput(lua_State *L)
{
    const char *fn = "SpatialSubtractiveNormalization_updateGradInput";
    Tensor *g = tensor_arg(L, 1, -1, fn);
    Tensor *gx = tensor_arg(L, 2, (int)g->dtype, fn);
    Tensor *work = tensor_arg(L, 6, (int)g->dtype, fn);
    if (gx == g || work == g || work == gx)
        fail(L, fn, "gradOutput, gradInput and work must be distinct");
    SubnormArgs a = subnorm_args(L, fn, g, 3, 4);
    g = contig(L, g);
    int64_t wsize = 3 * a.h * a.w;
    resize(L, fn, gx, g->ndim, g->size);
    resize(L, fn, work, 1, &wsize);
    if (nn_subnorm_backward(g->dtype, tensor_data(g), tensor_data(gx), tensor_data(a.coef),
                            tensor_data(a.k), a.kv ? tensor_data(a.kv) : NULL, a.kdim, a.kh, a.kw, a.n, a.planes, a.h, a.w,
                            tensor_data(work)) != 0)
        return luaL_error(L, "%s: %s", fn, th_lasterror());
    return 0;
}

/* ---- SpatialLPPooling, p = 2 ------------------------------------------------- */

typedef struct PoolArgs {
    int64_t np, h, w, oh, ow, kw, kh, dw, dh;
} PoolArgs;

static PoolArgs pool_args(lua_State *L, const char *fn, const Tensor *x, int karg)
{
    PoolArgs p;
    char buf[128];
    if (x->ndim != 3 && x->ndim != 4) {
        sizes_str(x, buf, sizeof buf);
        fail(L, fn, "3D or 4D input expected, got %dD (%s)", x->ndim, buf);
    }
    p.kw = lt_checkint(L, karg);
    p.kh = lt_checkint(L, karg + 1);
    p.dw = lt_checkint(L, karg + 2);
    p.dh = lt_checkint(L, karg + 3);
    p.h = x->size[x->ndim - 2];
    p.w = x->size[x->ndim - 1];
    p.np = x->size[x->ndim - 3] * (x->ndim == 4 ? x->size[0] : 1);
    if (p.kw < 1 || p.kh < 1 || p.dw < 1 || p.dh < 1)
        fail(L, fn, "kernel size and stride should be greater than zero, but got kH: %lld kW: "
             "%lld dH: %lld dW: %lld", (long long)p.kh, (long long)p.kw, (long long)p.dh,
             (long long)p.dw);
    if (p.h < p.kh || p.w < p.kw) {
        sizes_str(x, buf, sizeof buf);
        fail(L, fn, "input (%s) smaller than the %lldx%lld window", buf, (long long)p.kh,
             (long long)p.kw);
    }
    p.oh = (p.h - p.kh) / p.dh + 1;
    p.ow = (p.w - p.kw) / p.dw + 1;
    return p;
}

/* (input, output, kW, kH, dW, dH) */
static int f_lppool2_updateOutput(lua_State *L)
{
    const char *fn = "SpatialLPPooling_updateOutput";
    Tensor *x = tensor_arg(L, 1, -1, fn);
    Tensor *y = tensor_arg(L, 2, (int)x->dtype, fn);
    if (y == x) fail(L, fn, "input and output must be distinct");
    PoolArgs p = pool_args(L, fn, x, 3);
    x = contig(L, x);
    int64_t size[4];
    for (int d = 0; d < x->ndim; d++) size[d] = x->size[d];
    size[x->ndim - 2] = p.oh;
    size[x->ndim - 1] = p.ow;
    resize(L, fn, y, x->ndim, size);
    if (nn_lppool2_forward(x->dtype, tensor_data(x), tensor_data(y), p.np, p.h, p.w, p.kw, p.kh,
                           p.dw, p.dh) != 0)
        return luaL_error(L, "%s: %s", fn, th_lasterror());
    return 0;
}

/* (input, gradOutput, gradInput, output, kW, kH, dW, dH) */
static int f_lppool2_updateGradInput(lua_State *L)
{
    const char *fn = "SpatialLPPooling_updateGradInput";
    Tensor *x = tensor_arg(L, 1, -1, fn);
    Tensor *g = tensor_arg(L, 2, (int)x->dtype, fn);
    Tensor *gx = tensor_arg(L, 3, (int)x->dtype, fn);
    Tensor *y = tensor_arg(L, 4, (int)x->dtype, fn);
    if (gx == x || gx == g || gx == y) fail(L, fn, "gradInput must not alias its inputs");
    PoolArgs p = pool_args(L, fn, x, 5);
    if (tensor_nelement(g) != p.np * p.oh * p.ow || tensor_nelement(y) != p.np * p.oh * p.ow) {
        char b1[128], b2[128];
        sizes_str(g, b1, sizeof b1);
        sizes_str(y, b2, sizeof b2);
        fail(L, fn, "gradOutput and output of %lldx%lld windows per plane expected, got %s and %s",
             (long long)p.oh, (long long)p.ow, b1, b2);
    }
    x = contig(L, x);
    g = contig(L, g);
    y = contig(L, y);
    resize(L, fn, gx, x->ndim, x->size);
    if (nn_lppool2_backward(x->dtype, tensor_data(x), tensor_data(g), tensor_data(y),
                            tensor_data(gx), p.np, p.h, p.w, p.kw, p.kh, p.dw, p.dh) != 0)
        return luaL_error(L, "%s: %s", fn, th_lasterror());
    return 0;
}

/* ---- transposed view into an existing tensor ------------------------------------ */

/* (res, src): res becomes src:t() (a view; src 2-D) and is returned.  Unlike
 * src:t() this makes no new tensor, so a module can keep one view and
 * re-point it every call without allocating. */
static int f_transpose(lua_State *L)
{
    const char *fn = "transpose";
    Tensor *res = lt_checktensor(L, 1);
    Tensor *src = lt_checktensor(L, 2);
    if (res->dtype != src->dtype)
        return luaL_error(L, "bad argument #1 to '%s' (%s expected, got %s)", fn,
                          lt_tensor_tname[src->dtype], lt_tensor_tname[res->dtype]);
    if (src->ndim != 2) {
        char buf[128];
        sizes_str(src, buf, sizeof buf);
        return fail(L, fn, "2D tensor expected, got %dD (%s)", src->ndim, buf);
    }
    if (tensor_transpose(res, src, 0, 1) != 0) return luaL_error(L, "%s: %s", fn, th_lasterror());
    lua_settop(L, 1);
    return 1;
}

static const luaL_Reg nnfast_fns[] = {
    {"transpose", f_transpose},
    {"SpatialSubtractiveNormalization_updateOutput", f_subnorm_updateOutput},
    {"SpatialSubtractiveNormalization_updateGradInput", f_subnorm_updateGradInput},
    {"SpatialLPPooling_updateOutput", f_lppool2_updateOutput},
    {"SpatialLPPooling_updateGradInput", f_lppool2_updateGradInput},
    {NULL, NULL}
};

void lt_open_nnfast(lua_State *L)
{
    lua_newtable(L);
    luaL_setfuncs(L, nnfast_fns, 0);
    lua_setfield(L, -2, "_nnfast");
}
