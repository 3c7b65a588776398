/* lnn.c: Lua bindings of the nn kernels (nn_conv.h, nn_pool.h, nn_act.h,
 * nn_loss.h), see ltensor.h for the binding conventions.
 *
 * lt_open_nn puts a table `_nn` into the module table (torch._nn after
 * init).  Its functions carry THNN's names and argument lists without the
 * state pointer, so lua/nn/<Module>.lua calls them as Torch's modules called
 * `input.THNN.<name>(input:cdata(), ...)`:
 *
 *   SpatialConvolutionMM_updateOutput(input, output, weight, bias, finput, fgradInput,
 *                                     kW, kH, dW, dH, padW, padH)
 *   SpatialConvolutionMM_updateGradInput(input, gradOutput, gradInput, weight, finput,
 *                                        fgradInput, kW, kH, dW, dH, padW, padH)
 *   SpatialConvolutionMM_accGradParameters(input, gradOutput, gradWeight, gradBias, finput,
 *                                          fgradInput, kW, kH, dW, dH, padW, padH, [scale=1])
 *   SpatialConvolutionMap_updateOutput(input, output, weight, bias, connTable,
 *                                      nInputPlane, nOutputPlane, dW, dH)
 *   SpatialConvolutionMap_updateGradInput(input, gradOutput, gradInput, weight, bias,
 *                                         connTable, nInputPlane, nOutputPlane, dW, dH)
 *   SpatialConvolutionMap_accGradParameters(input, gradOutput, gradWeight, gradBias,
 *                                           connTable, nInputPlane, nOutputPlane, dW, dH,
 *                                           [scale=1])
 *   SpatialDilatedMaxPooling_updateOutput(input, output, indices, kW, kH, dW, dH, padW, padH,
 *                                         dilationW, dilationH, ceil_mode)
 *   SpatialDilatedMaxPooling_updateGradInput(input, gradOutput, gradInput, indices, kW, kH,
 *                                            dW, dH, padW, padH, dilationW, dilationH,
 *                                            ceil_mode)
 *   SpatialMaxPooling_updateOutput(input, output, indices, kW, kH, dW, dH, padW, padH,
 *                                  ceil_mode)
 *   SpatialMaxPooling_updateGradInput(input, gradOutput, gradInput, indices, kW, kH, dW, dH,
 *                                     padW, padH, ceil_mode)
 *   SpatialAveragePooling_updateOutput(input, output, kW, kH, dW, dH, padW, padH, ceil_mode,
 *                                      count_include_pad)
 *   SpatialAveragePooling_updateGradInput(input, gradOutput, gradInput, kW, kH, dW, dH, padW,
 *                                         padH, ceil_mode, count_include_pad)
 *   Tanh_updateOutput(input, output)        Tanh_updateGradInput(input, gradOutput, gradInput, output)
 *       (vectorised, bit-identical to libm's tanhf / tanh, i.e. Torch7's values)
 *   Sigmoid_updateOutput(input, output)     Sigmoid_updateGradInput(input, gradOutput, gradInput, output)
 *   Threshold_updateOutput(input, output, threshold, val, inplace)
 *   Threshold_updateGradInput(input, gradOutput, gradInput, threshold, val, inplace)
 *   HardTanh_updateOutput(input, output, min_val, max_val, inplace)
 *   HardTanh_updateGradInput(input, gradOutput, gradInput, min_val, max_val, inplace)
 *   SoftMax_updateOutput(input, output)     SoftMax_updateGradInput(input, gradOutput, gradInput, output)
 *   LogSoftMax_updateOutput(input, output)  LogSoftMax_updateGradInput(input, gradOutput, gradInput, output)
 *   Square_updateOutput(input, output)      Square_updateGradInput(input, gradOutput, gradInput)
 *   Sqrt_updateOutput(input, output, eps)   Sqrt_updateGradInput(input, gradOutput, gradInput, output)
 *   ClassNLLCriterion_updateOutput(input, target, output, sizeAverage, weights|nil,
 *                                  total_weight, [ignore_index=-100])   -> loss, total_weight
 *   ClassNLLCriterion_updateGradInput(input, target, gradInput, sizeAverage, weights|nil,
 *                                     total_weight, [ignore_index=-100])
 *   MSECriterion_updateOutput(input, target, output, sizeAverage)        -> loss
 *   MSECriterion_updateGradInput(input, target, gradInput, sizeAverage)
 *   AbsCriterion_updateOutput(input, target, output, sizeAverage)        -> loss
 *   AbsCriterion_updateGradInput(input, target, gradInput, sizeAverage)
 *   BCECriterion_updateOutput(input, target, output, sizeAverage, weights|nil)  -> loss
 *   BCECriterion_updateGradInput(input, target, gradInput, sizeAverage, weights|nil)
 *   MultiMarginCriterion_updateOutput(input, target, output, sizeAverage, p, weights|nil,
 *                                     margin)                            -> loss
 *   MultiMarginCriterion_updateGradInput(input, target, gradInput, sizeAverage, p,
 *                                        weights|nil, margin)
 *
 * Rules shared by all of them:
 *  - input is a FloatTensor or DoubleTensor; every other real tensor must have
 *    the same type (bad argument #k ... torch.DoubleTensor expected, got
 *    torch.FloatTensor).  Class targets and max-pooling indices are integer
 *    tensors (any type for targets, converted; LongTensor for indices, which
 *    hold Torch's 1-based positions); connTable may be any type (1-based pairs).
 *  - Results (output, gradInput, indices, finput, fgradInput, total_weight and
 *    the criterions' one-element output) are resized here and keep their
 *    storage when it is large enough: no allocation in the steady state.
 *  - Non-contiguous inputs are read through a contiguous copy.  Parameters
 *    accumulated into (gradWeight, gradBias) must be contiguous.
 *  - accGradParameters ACCUMULATES scale * gradient; updateGradInput
 *    overwrites gradInput.  accGradParameters of SpatialConvolutionMM reads
 *    finput from the updateOutput call on the same input (as Torch) and uses
 *    fgradInput as scratch; both are the kernels' buffers (nn_conv.h), 1-D.
 *  - Shape errors carry Torch's texts (`3D or 4D input tensor expected but got:
 *    [5 x 5]`, `Need input of dimension 3 and input.size[0] == 2 but got input to
 *    be of shape: [1 x 5 x 5]`, `... Output size is too small`, `pad should be
 *    smaller than half of kernel size ...`, `only p=1 and p=2 supported`,
 *    `target out of range`, `input tensor should be 1D or 2D`, `multi-target
 *    not supported`) prefixed by the function name or in `bad argument` form. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ltensor.h"
#include "nn_act.h"
#include "nn_conv.h"
#include "nn_loss.h"
#include "nn_pool.h"

/* ======================================================================
 * argument helpers
 * ====================================================================== */

/* "[5 x 5]" as THNN's THDescBuff prints sizes. */
static const char *size_desc(const Tensor *t, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "[");
    for (int d = 0; d < t->ndim && n < cap; d++)
        n += (size_t)snprintf(buf + n, cap - n, d ? " x %lld" : "%lld", (long long)t->size[d]);
    if (n < cap) snprintf(buf + n, cap - n, "]");
    return buf;
}

/* `bad argument #arg to 'fn' (message)`, Torch's THArgCheck form. */
static int argfail(lua_State *L, const char *fn, int arg, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return luaL_error(L, "bad argument #%d to '%s' (%s)", arg, fn, msg);
}

/* `fn: message`, for Torch's THError texts. */
static int fail(lua_State *L, const char *fn, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return luaL_error(L, "%s: %s", fn, msg);
}

/* The core's last error, prefixed by the function name. */
static int core_fail(lua_State *L, const char *fn)
{
    return luaL_error(L, "%s: %s", fn, th_lasterror());
}

/* The input tensor (argument 1): Float or Double; gives the type of the call. */
static Tensor *input_arg(lua_State *L, int idx, const char *fn)
{
    Tensor *t = lt_totensor(L, idx);
    if (!t)
        argfail(L, fn, idx, "torch.FloatTensor or torch.DoubleTensor expected, got %s",
                luaL_typename(L, idx));
    if (t->dtype != DT_FLOAT && t->dtype != DT_DOUBLE)
        argfail(L, fn, idx, "torch.FloatTensor or torch.DoubleTensor expected, got %s",
                lt_tensor_tname[t->dtype]);
    return t;
}

/* A tensor of exactly type dt (the input's type). */
static Tensor *typed_arg(lua_State *L, int idx, DType dt, const char *fn)
{
    Tensor *t = lt_totensor(L, idx);
    if (!t || t->dtype != dt)
        argfail(L, fn, idx, "%s expected, got %s", lt_tensor_tname[dt],
                t ? lt_tensor_tname[t->dtype] : luaL_typename(L, idx));
    return t;
}

/* Same, or NULL for nil/none (THNN's [OPTIONAL] tensors). */
static Tensor *opt_typed_arg(lua_State *L, int idx, DType dt, const char *fn)
{
    return lua_isnoneornil(L, idx) ? NULL : typed_arg(L, idx, dt, fn);
}

/* t itself when contiguous, else a contiguous copy kept alive by a box pushed
 * on the Lua stack (so a later error frees it through the GC).  Contiguous
 * arguments, the steady-state case, allocate nothing. */
static Tensor *contig(lua_State *L, Tensor *t)
{
    if (tensor_is_contiguous(t)) return t;
    Tensor *c = tensor_contiguous(t);
    lt_pushtensor(L, c);   /* raises the core error when c == NULL */
    return c;
}

/* The contiguous int64 values of an integer tensor (targets): t itself when
 * it is a contiguous LongTensor, else a converted copy boxed on the stack. */
static const int64_t *long_data(lua_State *L, Tensor *t)
{
    if (t->dtype == DT_LONG && tensor_is_contiguous(t)) return tensor_data(t);
    Tensor *c = tensor_convert(t, DT_LONG);
    lt_pushtensor(L, c);
    return tensor_data(c);
}

static void resize(lua_State *L, const char *fn, Tensor *t, int ndim, const int64_t *size)
{
    if (tensor_resize(t, ndim, size) != 0) core_fail(L, fn);
}

static void resize_as(lua_State *L, const char *fn, Tensor *t, const Tensor *like)
{
    if (tensor_resize(t, like->ndim, like->size) != 0) core_fail(L, fn);
}

static int int_arg(lua_State *L, const char *fn, int idx)
{
    int64_t v = lt_checkint(L, idx);
    /* truncating would turn 2^32 + 2 into a valid 2 */
    if (v < INT_MIN || v > INT_MAX)
        argfail(L, fn, idx, "number %lld out of range", (long long)v);
    return (int)v;
}

/* THNN_CHECK_DIM_SIZE: `Need gradOutput of dimension 3 and gradOutput.size[1] == 4
 * but got gradOutput to be of shape: [3 x 5 x 5]` */
static void check_dim_size(lua_State *L, const char *fn, const char *name, const Tensor *t,
                           int ndim, int dim, int64_t size)
{
    if (t->ndim != ndim || t->size[dim] != size) {
        char buf[256];
        fail(L, fn, "Need %s of dimension %d and %s.size[%d] == %lld but got %s to be of "
             "shape: %s", name, ndim, name, dim, (long long)size, name,
             size_desc(t, buf, sizeof buf));
    }
}

/* THNN_CHECK_NELEMENT between input and a same-sized companion. */
static void check_nelement(lua_State *L, const char *fn, const char *n1, const Tensor *a,
                           const char *n2, const Tensor *b)
{
    int64_t na = tensor_nelement(a), nb = tensor_nelement(b);
    if (na != nb) {
        char s1[256], s2[256];
        fail(L, fn, "%s and %s have different number of elements: %s%s has %lld elements, "
             "while %s%s has %lld elements", n1, n2, n1, size_desc(a, s1, sizeof s1),
             (long long)na, n2, size_desc(b, s2, sizeof s2), (long long)nb);
    }
}

/* A result resized before an argument is read must not be that argument. */
static void check_distinct(lua_State *L, const char *fn, const Tensor *a, const char *aname,
                           const Tensor *b, const char *bname)
{
    if (a == b) fail(L, fn, "%s and %s must be different tensors", aname, bname);
}

/* 3-D (C,H,W) or 4-D (N,C,H,W) input of the spatial modules. */
static void check_spatial_input(lua_State *L, const char *fn, int arg, const Tensor *in)
{
    if (in->ndim != 3 && in->ndim != 4) {
        char buf[256];
        argfail(L, fn, arg, "3D or 4D input tensor expected but got: %s",
                size_desc(in, buf, sizeof buf));
    }
}

/* ======================================================================
 * SpatialConvolutionMM
 * ====================================================================== */

/* The geometry of a call from its input, weight (2-D or 4-D) and kernel
 * arguments at positions karg..karg+5 (kW, kH, dW, dH, padW, padH). */
static void conv_geometry(lua_State *L, const char *fn, const Tensor *in, const Tensor *w,
                          const char *wname, int warg, int karg, NNConv2d *c)
{
    int64_t kw = lt_checkint(L, karg), kh = lt_checkint(L, karg + 1);
    int64_t dw = lt_checkint(L, karg + 2), dh = lt_checkint(L, karg + 3);
    int64_t padw = lt_checkint(L, karg + 4), padh = lt_checkint(L, karg + 5);
    char buf[256];
    if (w->ndim != 2 && w->ndim != 4)
        argfail(L, fn, warg, "2D or 4D %s tensor expected, but got: %s", wname,
                size_desc(w, buf, sizeof buf));
    if (kw <= 0 || kh <= 0)
        argfail(L, fn, karg, "kernel size should be greater than zero, but got kH: %lld kW: %lld",
                (long long)kh, (long long)kw);
    int64_t nout = w->size[0], nin;
    if (w->ndim == 4) {
        if (w->size[2] != kh || w->size[3] != kw)
            argfail(L, fn, warg, "%s of size %s does not match the kernel size %lldx%lld",
                    wname, size_desc(w, buf, sizeof buf), (long long)kw, (long long)kh);
        nin = w->size[1];
    } else {
        if (w->size[1] % (kh * kw) != 0)
            argfail(L, fn, warg, "%s of size %s does not match the kernel size %lldx%lld",
                    wname, size_desc(w, buf, sizeof buf), (long long)kw, (long long)kh);
        nin = w->size[1] / (kh * kw);
    }
    check_spatial_input(L, fn, 1, in);
    int b = in->ndim == 4;
    if (nn_conv2d_init(c, b ? in->size[0] : 1, nin, in->size[b + 1], in->size[b + 2], nout,
                       kw, kh, dw, dh, padw, padh) != 0)
        core_fail(L, fn);
    check_dim_size(L, fn, "input", in, in->ndim, b, nin);
}

static void check_conv_gradout(lua_State *L, const char *fn, const Tensor *g, const Tensor *in,
                               const NNConv2d *c)
{
    int b = in->ndim == 4;
    check_dim_size(L, fn, "gradOutput", g, in->ndim, b, c->nout);
    check_dim_size(L, fn, "gradOutput", g, in->ndim, b + 1, c->oh);
    check_dim_size(L, fn, "gradOutput", g, in->ndim, b + 2, c->ow);
    if (b) check_dim_size(L, fn, "gradOutput", g, in->ndim, 0, c->batch);
}

/* finput / fgradInput: the kernels' scratch, 1-D, of nn_conv2d_finput_size
 * and nn_conv2d_fgradin_size elements (nn_conv.h: bounded by the chunk of
 * samples, or the whole batch's columns when they fit).  Torch's (N, K, P)
 * buffers of a loaded file are just resized. */
static void resize_scratch(lua_State *L, const char *fn, Tensor *t, int64_t n)
{
    resize(L, fn, t, 1, &n);
}

static int nn_SpatialConvolutionMM_updateOutput(lua_State *L)
{
    const char *fn = "SpatialConvolutionMM_updateOutput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *out = typed_arg(L, 2, dt, fn), *w = typed_arg(L, 3, dt, fn);
    Tensor *b = opt_typed_arg(L, 4, dt, fn);
    Tensor *fin = typed_arg(L, 5, dt, fn);
    typed_arg(L, 6, dt, fn);
    NNConv2d c;
    conv_geometry(L, fn, in, w, "weight", 3, 7, &c);
    if (b && tensor_nelement(b) != c.nout) check_dim_size(L, fn, "bias", b, 1, 0, c.nout);
    check_distinct(L, fn, out, "output", in, "input");
    check_distinct(L, fn, fin, "finput", in, "input");
    /* one tensor as both results would be resized for one and written as both */
    check_distinct(L, fn, out, "output", fin, "finput");
    in = contig(L, in);
    w = contig(L, w);
    if (b) b = contig(L, b);
    int64_t osz[4] = {c.batch, c.nout, c.oh, c.ow};
    if (in->ndim == 4) resize(L, fn, out, 4, osz);
    else resize(L, fn, out, 3, osz + 1);
    resize_scratch(L, fn, fin, nn_conv2d_finput_size(&c));
    if (nn_conv2d_forward(dt, tensor_data(in), tensor_data(out), tensor_data(w),
                          b ? tensor_data(b) : NULL, tensor_data(fin), &c) != 0)
        return core_fail(L, fn);
    return 0;
}

/* updateGradInput's checks on gradOutput g, gradInput gi and fgradInput fg
 * (the geometry c already from the weight); resizes gi and fg. */
static void gradin_args(lua_State *L, const char *fn, const Tensor *in, const Tensor *g,
                        Tensor *gi, Tensor *fg, const NNConv2d *c)
{
    check_conv_gradout(L, fn, g, in, c);
    check_distinct(L, fn, gi, "gradInput", g, "gradOutput");
    check_distinct(L, fn, fg, "fgradInput", g, "gradOutput");
    check_distinct(L, fn, gi, "gradInput", fg, "fgradInput");
    resize_as(L, fn, gi, in);
    resize_scratch(L, fn, fg, nn_conv2d_fgradin_size(c));
}

/* accGradParameters' checks on gradWeight gw (args warg, warg + 1 for gw, gb),
 * gradBias gb, finput fin and fgradInput fg; resizes fg. */
static void accgrad_args(lua_State *L, const char *fn, const Tensor *in, const Tensor *g,
                         const Tensor *gw, const Tensor *gb, const Tensor *fin, Tensor *fg,
                         int warg, const NNConv2d *c)
{
    check_conv_gradout(L, fn, g, in, c);
    if (!tensor_is_contiguous(gw)) argfail(L, fn, warg, "gradWeight tensor has to be contiguous");
    if (gb && !tensor_is_contiguous(gb)) argfail(L, fn, warg + 1, "gradBias tensor has to be contiguous");
    if (gb && tensor_nelement(gb) != c->nout) check_dim_size(L, fn, "gradBias", gb, 1, 0, c->nout);
    /* finput must hold what updateOutput left for this input (the columns
     * of the whole batch when they fit: its size then pins the batch size) */
    int64_t need = nn_conv2d_finput_size(c);
    if (tensor_nelement(fin) != need || !tensor_is_contiguous(fin)) {
        char buf[256];
        fail(L, fn, "finput of size %s does not match the input (%lld elements expected): "
             "call updateOutput first", size_desc(fin, buf, sizeof buf), (long long)need);
    }
    /* fgradInput is scratch here (chunks unfolded again from the input) */
    check_distinct(L, fn, fg, "fgradInput", fin, "finput");
    check_distinct(L, fn, fg, "fgradInput", g, "gradOutput");
    check_distinct(L, fn, fg, "fgradInput", in, "input");
    resize_scratch(L, fn, fg, nn_conv2d_fgradin_size(c));
}

static int nn_SpatialConvolutionMM_updateGradInput(lua_State *L)
{
    const char *fn = "SpatialConvolutionMM_updateGradInput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *g = typed_arg(L, 2, dt, fn), *gi = typed_arg(L, 3, dt, fn);
    Tensor *w = typed_arg(L, 4, dt, fn);
    typed_arg(L, 5, dt, fn);
    Tensor *fg = typed_arg(L, 6, dt, fn);
    NNConv2d c;
    conv_geometry(L, fn, in, w, "weight", 4, 7, &c);
    gradin_args(L, fn, in, g, gi, fg, &c);
    g = contig(L, g);
    w = contig(L, w);
    if (nn_conv2d_backward_input(dt, tensor_data(g), tensor_data(gi), tensor_data(w),
                                 tensor_data(fg), &c) != 0)
        return core_fail(L, fn);
    return 0;
}

static int nn_SpatialConvolutionMM_accGradParameters(lua_State *L)
{
    const char *fn = "SpatialConvolutionMM_accGradParameters";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *g = typed_arg(L, 2, dt, fn), *gw = typed_arg(L, 3, dt, fn);
    Tensor *gb = opt_typed_arg(L, 4, dt, fn);
    Tensor *fin = typed_arg(L, 5, dt, fn), *fg = typed_arg(L, 6, dt, fn);
    double scale = luaL_optnumber(L, 13, 1);
    NNConv2d c;
    conv_geometry(L, fn, in, gw, "gradWeight", 3, 7, &c);
    accgrad_args(L, fn, in, g, gw, gb, fin, fg, 3, &c);
    in = contig(L, in);
    g = contig(L, g);
    if (nn_conv2d_backward_weight(dt, tensor_data(in), tensor_data(g), tensor_data(gw),
                                  gb ? tensor_data(gb) : NULL, tensor_data(fin),
                                  tensor_data(fg), scale, &c) != 0)
        return core_fail(L, fn);
    return 0;
}

/* Both (input, gradOutput, gradInput|nil, weight, gradWeight, gradBias|nil,
 * finput, fgradInput, kW, kH, dW, dH, padW, padH, scale): updateGradInput
 * (unless gradInput is nil) then accGradParameters, as one call so that the
 * two products can overlap on the pool (nn_conv2d_backward). */
static int nn_SpatialConvolutionMM_backward(lua_State *L)
{
    const char *fn = "SpatialConvolutionMM_backward";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *g = typed_arg(L, 2, dt, fn);
    Tensor *gi = opt_typed_arg(L, 3, dt, fn);
    Tensor *w = typed_arg(L, 4, dt, fn), *gw = typed_arg(L, 5, dt, fn);
    Tensor *gb = opt_typed_arg(L, 6, dt, fn);
    Tensor *fin = typed_arg(L, 7, dt, fn), *fg = typed_arg(L, 8, dt, fn);
    double scale = luaL_optnumber(L, 15, 1);
    NNConv2d c;
    conv_geometry(L, fn, in, w, "weight", 4, 9, &c);
    if (gw->ndim != w->ndim || tensor_nelement(gw) != tensor_nelement(w) ||
        gw->size[0] != w->size[0]) {
        char b1[256], b2[256];
        argfail(L, fn, 5, "gradWeight of size %s does not match weight of size %s",
                size_desc(gw, b1, sizeof b1), size_desc(w, b2, sizeof b2));
    }
    if (gi) {
        check_distinct(L, fn, gi, "gradInput", in, "input");
        check_distinct(L, fn, gi, "gradInput", gw, "gradWeight");
        check_distinct(L, fn, gi, "gradInput", fin, "finput");
        gradin_args(L, fn, in, g, gi, fg, &c);
    }
    accgrad_args(L, fn, in, g, gw, gb, fin, fg, 5, &c);
    in = contig(L, in);
    g = contig(L, g);
    w = contig(L, w);
    if (nn_conv2d_backward(dt, tensor_data(in), tensor_data(g), gi ? tensor_data(gi) : NULL,
                           tensor_data(w), tensor_data(gw), gb ? tensor_data(gb) : NULL,
                           tensor_data(fin), tensor_data(fg), scale, &c) != 0)
        return core_fail(L, fn);
    return 0;
}

/* ======================================================================
 * SpatialConvolutionMap
 * ====================================================================== */

/* Connection tables up to this size are converted on the C stack, so the
 * normalization layers (which run a Map convolution per call) allocate
 * nothing in the steady state. */
#define MAP_STACK_CONN 512

typedef struct MapArgs {
    NNConv2d c;
    int64_t *conn;   /* 2K entries, 0-based: `local` or a userdata on the stack */
    int64_t nconn;
    int64_t local[2 * MAP_STACK_CONN];
} MapArgs;

/* Geometry, connection table (checked against the plane counts) and buffer.
 * Arguments: weight/gradWeight at warg, connTable at carg, then nInputPlane,
 * nOutputPlane, dW, dH.  A large table is converted into a userdata left on
 * the Lua stack (freed by the GC even when a later check raises). */
static void map_args(lua_State *L, const char *fn, const Tensor *in, const Tensor *w, int warg,
                     int carg, MapArgs *m)
{
    Tensor *ct = lt_checktensor(L, carg);
    int64_t nin = lt_checkint(L, carg + 1), nout = lt_checkint(L, carg + 2);
    int64_t dw = lt_checkint(L, carg + 3), dh = lt_checkint(L, carg + 4);
    char buf[256];
    if (w->ndim != 3 || ct->ndim != 2 || ct->size[1] != 2 || ct->size[0] != w->size[0])
        argfail(L, fn, warg, "3D weight tensor expected (connTable:size(1) x kH x kW), got %s "
                "with a connTable of size %s", size_desc(w, buf, sizeof buf),
                size_desc(ct, buf + 128, 128));
    check_spatial_input(L, fn, 1, in);
    int b = in->ndim == 4;
    if (in->size[b] < nin) argfail(L, fn, 1, "invalid number of input planes");
    int64_t kh = w->size[1], kw = w->size[2];
    if (in->size[b + 1] < kh || in->size[b + 2] < kw)
        argfail(L, fn, 1, "input image smaller than kernel size");
    if (nn_conv2d_init(&m->c, b ? in->size[0] : 1, in->size[b], in->size[b + 1],
                       in->size[b + 2], nout, kw, kh, dw, dh, 0, 0) != 0)
        core_fail(L, fn);
    m->nconn = ct->size[0];
    m->conn = m->nconn <= MAP_STACK_CONN
                  ? m->local
                  : lua_newuserdatauv(L, (size_t)(2 * m->nconn) * sizeof(int64_t), 0);
    for (int64_t k = 0; k < m->nconn; k++) {
        int64_t idx[2] = {k, 0};
        double i = tensor_get(ct, idx);
        idx[1] = 1;
        double o = tensor_get(ct, idx);
        if (!(i >= 1 && i <= nin && o >= 1 && o <= nout))
            fail(L, fn, "connTable entry %lld (%g, %g) out of range (input planes 1..%lld, "
                 "output planes 1..%lld)", (long long)k + 1, i, o, (long long)nin,
                 (long long)nout);
        m->conn[2 * k] = (int64_t)i - 1;
        m->conn[2 * k + 1] = (int64_t)o - 1;
    }
}

static int nn_SpatialConvolutionMap_updateOutput(lua_State *L)
{
    const char *fn = "SpatialConvolutionMap_updateOutput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *out = typed_arg(L, 2, dt, fn), *w = typed_arg(L, 3, dt, fn);
    Tensor *b = typed_arg(L, 4, dt, fn);
    MapArgs m;
    map_args(L, fn, in, w, 3, 5, &m);
    if (tensor_nelement(b) != m.c.nout) check_dim_size(L, fn, "bias", b, 1, 0, m.c.nout);
    check_distinct(L, fn, out, "output", in, "input");
    in = contig(L, in);
    w = contig(L, w);
    b = contig(L, b);
    int64_t osz[4] = {m.c.batch, m.c.nout, m.c.oh, m.c.ow};
    if (in->ndim == 4) resize(L, fn, out, 4, osz);
    else resize(L, fn, out, 3, osz + 1);
    if (nn_convmap_forward(dt, tensor_data(in), tensor_data(out), tensor_data(w),
                           tensor_data(b), m.conn, m.nconn, &m.c) != 0)
        return core_fail(L, fn);
    return 0;
}

static int nn_SpatialConvolutionMap_updateGradInput(lua_State *L)
{
    const char *fn = "SpatialConvolutionMap_updateGradInput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *g = typed_arg(L, 2, dt, fn), *gi = typed_arg(L, 3, dt, fn);
    Tensor *w = typed_arg(L, 4, dt, fn);
    MapArgs m;
    map_args(L, fn, in, w, 4, 6, &m);
    check_conv_gradout(L, fn, g, in, &m.c);
    check_distinct(L, fn, gi, "gradInput", g, "gradOutput");
    g = contig(L, g);
    w = contig(L, w);
    resize_as(L, fn, gi, in);
    if (nn_convmap_backward_input(dt, tensor_data(g), tensor_data(gi), tensor_data(w), m.conn,
                                  m.nconn, &m.c) != 0)
        return core_fail(L, fn);
    return 0;
}

static int nn_SpatialConvolutionMap_accGradParameters(lua_State *L)
{
    const char *fn = "SpatialConvolutionMap_accGradParameters";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *g = typed_arg(L, 2, dt, fn), *gw = typed_arg(L, 3, dt, fn);
    Tensor *gb = opt_typed_arg(L, 4, dt, fn);
    double scale = luaL_optnumber(L, 10, 1);
    MapArgs m;
    map_args(L, fn, in, gw, 3, 5, &m);
    check_conv_gradout(L, fn, g, in, &m.c);
    if (!tensor_is_contiguous(gw)) argfail(L, fn, 3, "gradWeight tensor has to be contiguous");
    if (gb && !tensor_is_contiguous(gb)) argfail(L, fn, 4, "gradBias tensor has to be contiguous");
    if (gb && tensor_nelement(gb) != m.c.nout)
        check_dim_size(L, fn, "gradBias", gb, 1, 0, m.c.nout);
    in = contig(L, in);
    g = contig(L, g);
    if (nn_convmap_backward_weight(dt, tensor_data(in), tensor_data(g), tensor_data(gw),
                                   gb ? tensor_data(gb) : NULL, m.conn, m.nconn, scale,
                                   &m.c) != 0)
        return core_fail(L, fn);
    return 0;
}

/* ======================================================================
 * pooling
 * ====================================================================== */

/* Geometry from input and the arguments at karg: kW, kH, dW, dH, padW, padH,
 * then (dilated) dilationW, dilationH, then ceil_mode [, count_include_pad]. */
static void pool_geometry(lua_State *L, const char *fn, const Tensor *in, int karg,
                          int dilated, int avg, NNPool2d *p)
{
    int64_t kw = lt_checkint(L, karg), kh = lt_checkint(L, karg + 1);
    int64_t dw = lt_checkint(L, karg + 2), dh = lt_checkint(L, karg + 3);
    int64_t padw = lt_checkint(L, karg + 4), padh = lt_checkint(L, karg + 5);
    int64_t dilw = 1, dilh = 1;
    int next = karg + 6;
    if (dilated) {
        dilw = lt_checkint(L, next);
        dilh = lt_checkint(L, next + 1);
        next += 2;
    }
    int ceil_mode = lua_toboolean(L, next);
    int inc = avg ? lua_toboolean(L, next + 1) : 1;
    check_spatial_input(L, fn, 1, in);
    int b = in->ndim == 4;
    if (nn_pool2d_init(p, b ? in->size[0] : 1, in->size[b], in->size[b + 1], in->size[b + 2],
                       kw, kh, dw, dh, padw, padh, dilw, dilh, ceil_mode, inc) != 0) {
        /* Torch raises the pad check as an argument error, the rest as errors */
        if (strncmp(th_lasterror(), "Given", 5) == 0) core_fail(L, fn);
        argfail(L, fn, 2, "%s", th_lasterror());
    }
}

static void check_pool_gradout(lua_State *L, const char *fn, const Tensor *g, const Tensor *in,
                               const NNPool2d *p)
{
    int b = in->ndim == 4;
    check_dim_size(L, fn, "gradOutput", g, in->ndim, b, p->planes);
    check_dim_size(L, fn, "gradOutput", g, in->ndim, b + 1, p->oh);
    check_dim_size(L, fn, "gradOutput", g, in->ndim, b + 2, p->ow);
    if (b) check_dim_size(L, fn, "gradOutput", g, in->ndim, 0, p->batch);
}

static void resize_pooled(lua_State *L, const char *fn, Tensor *t, const Tensor *in,
                          const NNPool2d *p)
{
    int64_t sz[4] = {p->batch, p->planes, p->oh, p->ow};
    if (in->ndim == 4) resize(L, fn, t, 4, sz);
    else resize(L, fn, t, 3, sz + 1);
}

static int maxpool_forward(lua_State *L, const char *fn, int dilated)
{
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *out = typed_arg(L, 2, dt, fn);
    Tensor *ind = typed_arg(L, 3, DT_LONG, fn);
    NNPool2d p;
    pool_geometry(L, fn, in, 4, dilated, 0, &p);
    check_distinct(L, fn, out, "output", in, "input");
    in = contig(L, in);
    resize_pooled(L, fn, out, in, &p);
    resize_pooled(L, fn, ind, in, &p);
    if (nn_maxpool2d_forward(dt, tensor_data(in), tensor_data(out), tensor_data(ind), &p) != 0)
        return core_fail(L, fn);
    return 0;
}

static int maxpool_backward(lua_State *L, const char *fn, int dilated)
{
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *g = typed_arg(L, 2, dt, fn), *gi = typed_arg(L, 3, dt, fn);
    Tensor *ind = typed_arg(L, 4, DT_LONG, fn);
    NNPool2d p;
    pool_geometry(L, fn, in, 5, dilated, 0, &p);
    check_pool_gradout(L, fn, g, in, &p);
    if (tensor_nelement(ind) != tensor_nelement(g)) {
        char buf[256];
        fail(L, fn, "indices of size %s do not match gradOutput: call updateOutput first",
             size_desc(ind, buf, sizeof buf));
    }
    check_distinct(L, fn, gi, "gradInput", g, "gradOutput");
    g = contig(L, g);
    ind = contig(L, ind);
    resize_as(L, fn, gi, in);
    if (nn_maxpool2d_backward(dt, tensor_data(g), tensor_data(gi), tensor_data(ind), &p) != 0)
        return core_fail(L, fn);
    return 0;
}

static int nn_SpatialDilatedMaxPooling_updateOutput(lua_State *L)
{
    return maxpool_forward(L, "SpatialDilatedMaxPooling_updateOutput", 1);
}

static int nn_SpatialDilatedMaxPooling_updateGradInput(lua_State *L)
{
    return maxpool_backward(L, "SpatialDilatedMaxPooling_updateGradInput", 1);
}

static int nn_SpatialMaxPooling_updateOutput(lua_State *L)
{
    return maxpool_forward(L, "SpatialMaxPooling_updateOutput", 0);
}

static int nn_SpatialMaxPooling_updateGradInput(lua_State *L)
{
    return maxpool_backward(L, "SpatialMaxPooling_updateGradInput", 0);
}

static int nn_SpatialAveragePooling_updateOutput(lua_State *L)
{
    const char *fn = "SpatialAveragePooling_updateOutput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *out = typed_arg(L, 2, dt, fn);
    NNPool2d p;
    pool_geometry(L, fn, in, 3, 0, 1, &p);
    check_distinct(L, fn, out, "output", in, "input");
    in = contig(L, in);
    resize_pooled(L, fn, out, in, &p);
    if (nn_avgpool2d_forward(dt, tensor_data(in), tensor_data(out), &p) != 0)
        return core_fail(L, fn);
    return 0;
}

static int nn_SpatialAveragePooling_updateGradInput(lua_State *L)
{
    const char *fn = "SpatialAveragePooling_updateGradInput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *g = typed_arg(L, 2, dt, fn), *gi = typed_arg(L, 3, dt, fn);
    NNPool2d p;
    pool_geometry(L, fn, in, 4, 0, 1, &p);
    check_pool_gradout(L, fn, g, in, &p);
    check_distinct(L, fn, gi, "gradInput", g, "gradOutput");
    g = contig(L, g);
    resize_as(L, fn, gi, in);
    if (nn_avgpool2d_backward(dt, tensor_data(g), tensor_data(gi), &p) != 0)
        return core_fail(L, fn);
    return 0;
}

/* ======================================================================
 * element-wise transfer functions
 * ====================================================================== */

/* Kernels with the forward OUTPUT in backward (Tanh, Sigmoid, Sqrt). */
typedef int (*ActFwd)(DType, const void *, void *, int64_t);
typedef int (*ActBwdY)(DType, const void *, void *, const void *, int64_t);

/* output = f(input).  The input is read through a contiguous view or copy
 * taken before output is resized, so output may be the input tensor. */
static int act_forward(lua_State *L, const char *fn, ActFwd f)
{
    Tensor *in = input_arg(L, 1, fn);
    Tensor *out = typed_arg(L, 2, in->dtype, fn);
    Tensor *ci = contig(L, in);
    /* output == input: compute in the contiguous view or copy, then write back */
    Tensor *dst = out == in ? ci : out;
    if (out != in) resize_as(L, fn, out, in);
    if (f(in->dtype, tensor_data(ci), tensor_data(dst), tensor_nelement(in)) != 0)
        return core_fail(L, fn);
    if (dst != out && tensor_copy(out, dst) != 0) return core_fail(L, fn);
    return 0;
}

/* gradInput = f'(output) * gradOutput, arguments (input, gradOutput, gradInput, output). */
static int act_backward_y(lua_State *L, const char *fn, ActBwdY f, int yarg)
{
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *g = typed_arg(L, 2, dt, fn), *gi = typed_arg(L, 3, dt, fn);
    Tensor *y = typed_arg(L, yarg, dt, fn);
    check_nelement(L, fn, "output", y, "gradOutput", g);
    g = contig(L, g);
    y = contig(L, y);
    if (gi != g && gi != y) resize_as(L, fn, gi, y);
    else if (!tensor_is_contiguous(gi)) fail(L, fn, "in-place gradInput must be contiguous");
    if (f(dt, tensor_data(g), tensor_data(gi), tensor_data(y), tensor_nelement(y)) != 0)
        return core_fail(L, fn);
    return 0;
}

static int nn_Tanh_updateOutput(lua_State *L)
{
    return act_forward(L, "Tanh_updateOutput", nn_tanh_forward);
}

static int nn_Tanh_updateGradInput(lua_State *L)
{
    return act_backward_y(L, "Tanh_updateGradInput", nn_tanh_backward, 4);
}

static int nn_Sigmoid_updateOutput(lua_State *L)
{
    return act_forward(L, "Sigmoid_updateOutput", nn_sigmoid_forward);
}

static int nn_Sigmoid_updateGradInput(lua_State *L)
{
    return act_backward_y(L, "Sigmoid_updateGradInput", nn_sigmoid_backward, 4);
}

static int nn_Square_updateOutput(lua_State *L)
{
    return act_forward(L, "Square_updateOutput", nn_square_forward);
}

static int nn_Sqrt_updateOutput(lua_State *L)
{
    /* argument 3 (eps) is accepted and unused, as in Torch */
    return act_forward(L, "Sqrt_updateOutput", nn_sqrt_forward);
}

static int nn_Sqrt_updateGradInput(lua_State *L)
{
    return act_backward_y(L, "Sqrt_updateGradInput", nn_sqrt_backward, 4);
}

static int nn_Square_updateGradInput(lua_State *L)
{
    const char *fn = "Square_updateGradInput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *g = typed_arg(L, 2, dt, fn), *gi = typed_arg(L, 3, dt, fn);
    check_nelement(L, fn, "input", in, "gradOutput", g);
    Tensor *ci = contig(L, in);
    g = contig(L, g);
    if (gi != g && gi != ci) resize_as(L, fn, gi, in);
    else if (!tensor_is_contiguous(gi)) fail(L, fn, "in-place gradInput must be contiguous");
    if (nn_square_backward(dt, tensor_data(ci), tensor_data(g), tensor_data(gi),
                           tensor_nelement(in)) != 0)
        return core_fail(L, fn);
    return 0;
}

/* Threshold and HardTanh: forward (input, output, a, b, inplace) and backward
 * (input, gradOutput, gradInput, a, b, inplace).  In place, Torch writes into
 * input (resp. gradOutput) and makes output (gradInput) a view of it. */
enum { CLAMP_THRESHOLD, CLAMP_HARDTANH };

static int clamp_forward(lua_State *L, const char *fn, int kind)
{
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *out = typed_arg(L, 2, dt, fn);
    double a = luaL_checknumber(L, 3), b = luaL_checknumber(L, 4);
    int inplace = lua_toboolean(L, 5);
    Tensor *ci = contig(L, in);
    /* in place (or output == input): compute in the contiguous view or copy
     * of input, write back when that was a copy */
    int same = inplace || out == in;
    Tensor *dst = same ? ci : out;
    if (!same) resize_as(L, fn, out, in);
    int64_t n = tensor_nelement(in);
    int rc = kind == CLAMP_THRESHOLD
                 ? nn_threshold_forward(dt, tensor_data(ci), tensor_data(dst), n, a, b)
                 : nn_hardtanh_forward(dt, tensor_data(ci), tensor_data(dst), n, a, b);
    if (rc != 0) return core_fail(L, fn);
    if (same && ci != in && tensor_copy(in, ci) != 0) return core_fail(L, fn);
    if (inplace) tensor_set(out, in);
    return 0;
}

static int clamp_backward(lua_State *L, const char *fn, int kind)
{
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *g = typed_arg(L, 2, dt, fn), *gi = typed_arg(L, 3, dt, fn);
    double a = luaL_checknumber(L, 4), b = luaL_checknumber(L, 5);
    int inplace = lua_toboolean(L, 6);
    check_nelement(L, fn, "input", in, "gradOutput", g);
    if (!inplace) check_distinct(L, fn, gi, "gradInput", in, "input");
    Tensor *ci = contig(L, in), *cg = contig(L, g);
    /* in place (or gradInput == gradOutput): write into gradOutput's data */
    int same = inplace || gi == g;
    Tensor *dst = same ? cg : gi;
    if (!same) resize_as(L, fn, gi, in);
    int64_t n = tensor_nelement(in);
    int rc = kind == CLAMP_THRESHOLD
                 ? nn_threshold_backward(dt, tensor_data(ci), tensor_data(cg), tensor_data(dst), n, a)
                 : nn_hardtanh_backward(dt, tensor_data(ci), tensor_data(cg), tensor_data(dst), n,
                                        a, b);
    if (rc != 0) return core_fail(L, fn);
    if (same && cg != g && tensor_copy(g, cg) != 0) return core_fail(L, fn);
    if (inplace) tensor_set(gi, g);
    return 0;
}

static int nn_Threshold_updateOutput(lua_State *L)
{
    return clamp_forward(L, "Threshold_updateOutput", CLAMP_THRESHOLD);
}

static int nn_Threshold_updateGradInput(lua_State *L)
{
    return clamp_backward(L, "Threshold_updateGradInput", CLAMP_THRESHOLD);
}

static int nn_HardTanh_updateOutput(lua_State *L)
{
    return clamp_forward(L, "HardTanh_updateOutput", CLAMP_HARDTANH);
}

static int nn_HardTanh_updateGradInput(lua_State *L)
{
    return clamp_backward(L, "HardTanh_updateGradInput", CLAMP_HARDTANH);
}

/* ======================================================================
 * SoftMax / LogSoftMax
 * ====================================================================== */

typedef int (*SmFwd)(DType, const void *, void *, int64_t, int64_t, int64_t);
typedef int (*SmBwd)(DType, const void *, void *, const void *, int64_t, int64_t, int64_t);

static int softmax_forward(lua_State *L, const char *fn, SmFwd f)
{
    Tensor *in = input_arg(L, 1, fn);
    Tensor *out = typed_arg(L, 2, in->dtype, fn);
    int64_t nf, dim, st;
    if (nn_softmax_geometry(in->ndim, in->size, &nf, &dim, &st) != 0)
        return argfail(L, fn, 1, "%s", th_lasterror());
    check_distinct(L, fn, out, "output", in, "input");
    in = contig(L, in);
    resize_as(L, fn, out, in);
    if (f(in->dtype, tensor_data(in), tensor_data(out), nf, dim, st) != 0)
        return core_fail(L, fn);
    return 0;
}

static int softmax_backward(lua_State *L, const char *fn, SmBwd f)
{
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *g = typed_arg(L, 2, dt, fn), *gi = typed_arg(L, 3, dt, fn);
    Tensor *y = typed_arg(L, 4, dt, fn);
    int64_t nf, dim, st;
    if (nn_softmax_geometry(y->ndim, y->size, &nf, &dim, &st) != 0)
        return argfail(L, fn, 4, "%s", th_lasterror());
    check_nelement(L, fn, "output", y, "gradOutput", g);
    check_distinct(L, fn, gi, "gradInput", y, "output");
    g = contig(L, g);
    y = contig(L, y);
    if (gi != g) resize_as(L, fn, gi, y);
    if (f(dt, tensor_data(g), tensor_data(gi), tensor_data(y), nf, dim, st) != 0)
        return core_fail(L, fn);
    return 0;
}

static int nn_SoftMax_updateOutput(lua_State *L)
{
    return softmax_forward(L, "SoftMax_updateOutput", nn_softmax_forward);
}

static int nn_SoftMax_updateGradInput(lua_State *L)
{
    return softmax_backward(L, "SoftMax_updateGradInput", nn_softmax_backward);
}

static int nn_LogSoftMax_updateOutput(lua_State *L)
{
    return softmax_forward(L, "LogSoftMax_updateOutput", nn_logsoftmax_forward);
}

static int nn_LogSoftMax_updateGradInput(lua_State *L)
{
    return softmax_backward(L, "LogSoftMax_updateGradInput", nn_logsoftmax_backward);
}

/* ======================================================================
 * criterions
 * ====================================================================== */

/* Stores v into the one-element tensor t (resized to 1). */
static void set_scalar(lua_State *L, const char *fn, Tensor *t, double v)
{
    int64_t one = 1;
    resize(L, fn, t, 1, &one);
    if (t->dtype == DT_FLOAT) *(float *)tensor_data(t) = (float)v;
    else *(double *)tensor_data(t) = v;
}

static double get_scalar(lua_State *L, const char *fn, int arg, const Tensor *t)
{
    if (tensor_nelement(t) < 1) argfail(L, fn, arg, "total_weight is empty: call updateOutput first");
    return tensor_get_flat(t, 0);
}

/* ClassNLL shape rules; returns nframe and nclass. */
static void nll_shape(lua_State *L, const char *fn, const Tensor *in, const Tensor *tg,
                      const Tensor *w, int64_t *nframe, int64_t *nclass)
{
    if (tg->ndim > 1) fail(L, fn, "multi-target not supported");
    if (in->ndim != 1 && in->ndim != 2) fail(L, fn, "input tensor should be 1D or 2D");
    *nclass = in->size[in->ndim - 1];
    *nframe = in->ndim == 2 ? in->size[0] : 1;
    if (w && tensor_nelement(w) != *nclass) {
        char buf[256];
        fail(L, fn, "weight tensor should be defined either for all %lld classes or no "
             "classes but got weight tensor of shape: %s", (long long)*nclass,
             size_desc(w, buf, sizeof buf));
    }
    if (tensor_nelement(tg) != *nframe)
        fail(L, fn, "target has %lld elements but the input has %lld sample(s)",
             (long long)tensor_nelement(tg), (long long)*nframe);
}

static int nn_ClassNLLCriterion_updateOutput(lua_State *L)
{
    const char *fn = "ClassNLLCriterion_updateOutput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *tg = lt_checktensor(L, 2);
    Tensor *out = typed_arg(L, 3, dt, fn);
    int avg = lua_toboolean(L, 4);
    Tensor *w = opt_typed_arg(L, 5, dt, fn);
    Tensor *tw = typed_arg(L, 6, dt, fn);
    int64_t ignore = lt_optint(L, 7, -100);
    int64_t nf, nc;
    nll_shape(L, fn, in, tg, w, &nf, &nc);
    in = contig(L, in);
    if (w) w = contig(L, w);
    const int64_t *t = long_data(L, tg);
    double loss, total;
    if (nn_classnll_forward(dt, tensor_data(in), t, w ? tensor_data(w) : NULL, nf, nc, avg,
                            ignore, &loss, &total) != 0)
        return core_fail(L, fn);
    set_scalar(L, fn, out, loss);
    set_scalar(L, fn, tw, total);
    lua_pushnumber(L, tensor_get_flat(out, 0));
    lua_pushnumber(L, tensor_get_flat(tw, 0));
    return 2;
}

static int nn_ClassNLLCriterion_updateGradInput(lua_State *L)
{
    const char *fn = "ClassNLLCriterion_updateGradInput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *tg = lt_checktensor(L, 2);
    Tensor *gi = typed_arg(L, 3, dt, fn);
    int avg = lua_toboolean(L, 4);
    Tensor *w = opt_typed_arg(L, 5, dt, fn);
    Tensor *tw = typed_arg(L, 6, dt, fn);
    int64_t ignore = lt_optint(L, 7, -100);
    int64_t nf, nc;
    nll_shape(L, fn, in, tg, w, &nf, &nc);
    double total = get_scalar(L, fn, 6, tw);
    check_distinct(L, fn, gi, "gradInput", in, "input");
    if (w) w = contig(L, w);
    const int64_t *t = long_data(L, tg);
    resize_as(L, fn, gi, in);
    if (nn_classnll_backward(dt, t, tensor_data(gi), w ? tensor_data(w) : NULL, nf, nc,
                             in->ndim == 2, avg, ignore, total) != 0)
        return core_fail(L, fn);
    return 0;
}

/* MSE, Abs: (input, target, output|gradInput, sizeAverage). */
typedef int (*PairFwd)(DType, const void *, const void *, int64_t, int, double *);
typedef int (*PairBwd)(DType, const void *, const void *, void *, int64_t, int);

static int pair_forward(lua_State *L, const char *fn, PairFwd f)
{
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *tg = typed_arg(L, 2, dt, fn), *out = typed_arg(L, 3, dt, fn);
    int avg = lua_toboolean(L, 4);
    check_nelement(L, fn, "input", in, "target", tg);
    in = contig(L, in);
    tg = contig(L, tg);
    double loss;
    if (f(dt, tensor_data(in), tensor_data(tg), tensor_nelement(in), avg, &loss) != 0)
        return core_fail(L, fn);
    set_scalar(L, fn, out, loss);
    lua_pushnumber(L, tensor_get_flat(out, 0));
    return 1;
}

static int pair_backward(lua_State *L, const char *fn, PairBwd f)
{
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *tg = typed_arg(L, 2, dt, fn), *gi = typed_arg(L, 3, dt, fn);
    int avg = lua_toboolean(L, 4);
    check_nelement(L, fn, "input", in, "target", tg);
    check_distinct(L, fn, gi, "gradInput", in, "input");
    check_distinct(L, fn, gi, "gradInput", tg, "target");
    in = contig(L, in);
    tg = contig(L, tg);
    resize_as(L, fn, gi, in);
    if (f(dt, tensor_data(in), tensor_data(tg), tensor_data(gi), tensor_nelement(in), avg) != 0)
        return core_fail(L, fn);
    return 0;
}

static int nn_MSECriterion_updateOutput(lua_State *L)
{
    return pair_forward(L, "MSECriterion_updateOutput", nn_mse_forward);
}

static int nn_MSECriterion_updateGradInput(lua_State *L)
{
    return pair_backward(L, "MSECriterion_updateGradInput", nn_mse_backward);
}

static int nn_AbsCriterion_updateOutput(lua_State *L)
{
    return pair_forward(L, "AbsCriterion_updateOutput", nn_abs_forward);
}

static int nn_AbsCriterion_updateGradInput(lua_State *L)
{
    return pair_backward(L, "AbsCriterion_updateGradInput", nn_abs_backward);
}

static int nn_BCECriterion_updateOutput(lua_State *L)
{
    const char *fn = "BCECriterion_updateOutput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *tg = typed_arg(L, 2, dt, fn), *out = typed_arg(L, 3, dt, fn);
    int avg = lua_toboolean(L, 4);
    Tensor *w = opt_typed_arg(L, 5, dt, fn);
    check_nelement(L, fn, "input", in, "target", tg);
    if (w) check_nelement(L, fn, "input", in, "weights", w);
    in = contig(L, in);
    tg = contig(L, tg);
    if (w) w = contig(L, w);
    double loss;
    if (nn_bce_forward(dt, tensor_data(in), tensor_data(tg), w ? tensor_data(w) : NULL,
                       tensor_nelement(in), avg, &loss) != 0)
        return core_fail(L, fn);
    set_scalar(L, fn, out, loss);
    lua_pushnumber(L, tensor_get_flat(out, 0));
    return 1;
}

static int nn_BCECriterion_updateGradInput(lua_State *L)
{
    const char *fn = "BCECriterion_updateGradInput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *tg = typed_arg(L, 2, dt, fn), *gi = typed_arg(L, 3, dt, fn);
    int avg = lua_toboolean(L, 4);
    Tensor *w = opt_typed_arg(L, 5, dt, fn);
    check_nelement(L, fn, "input", in, "target", tg);
    if (w) check_nelement(L, fn, "input", in, "weights", w);
    check_distinct(L, fn, gi, "gradInput", in, "input");
    check_distinct(L, fn, gi, "gradInput", tg, "target");
    in = contig(L, in);
    tg = contig(L, tg);
    if (w) w = contig(L, w);
    resize_as(L, fn, gi, in);
    if (nn_bce_backward(dt, tensor_data(in), tensor_data(tg), w ? tensor_data(w) : NULL,
                        tensor_data(gi), tensor_nelement(in), avg) != 0)
        return core_fail(L, fn);
    return 0;
}

/* MultiMargin shape rules; returns nframe and dim. */
static void mm_shape(lua_State *L, const char *fn, const Tensor *in, const Tensor *tg,
                     const Tensor *w, int p, int64_t *nframe, int64_t *dim)
{
    if (p != 1 && p != 2) argfail(L, fn, 5, "only p=1 and p=2 supported");
    if (in->ndim != 1 && in->ndim != 2) argfail(L, fn, 1, "vector or matrix expected");
    *dim = in->size[in->ndim - 1];
    *nframe = in->ndim == 2 ? in->size[0] : 1;
    if (tensor_nelement(tg) != *nframe) argfail(L, fn, 2, "inconsistent target size");
    if (w && tensor_nelement(w) != *dim)
        argfail(L, fn, 6, "weights should have %lld elements, got %lld", (long long)*dim,
                (long long)tensor_nelement(w));
}

static int nn_MultiMarginCriterion_updateOutput(lua_State *L)
{
    const char *fn = "MultiMarginCriterion_updateOutput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *tg = lt_checktensor(L, 2);
    Tensor *out = typed_arg(L, 3, dt, fn);
    int avg = lua_toboolean(L, 4);
    int p = int_arg(L, fn, 5);
    Tensor *w = opt_typed_arg(L, 6, dt, fn);
    double margin = luaL_optnumber(L, 7, 1);
    int64_t nf, dim;
    mm_shape(L, fn, in, tg, w, p, &nf, &dim);
    in = contig(L, in);
    if (w) w = contig(L, w);
    const int64_t *t = long_data(L, tg);
    double loss;
    if (nn_multimargin_forward(dt, tensor_data(in), t, w ? tensor_data(w) : NULL, nf, dim, p,
                               margin, avg, &loss) != 0)
        return argfail(L, fn, 2, "%s", th_lasterror());
    set_scalar(L, fn, out, loss);
    lua_pushnumber(L, tensor_get_flat(out, 0));
    return 1;
}

static int nn_MultiMarginCriterion_updateGradInput(lua_State *L)
{
    const char *fn = "MultiMarginCriterion_updateGradInput";
    Tensor *in = input_arg(L, 1, fn);
    DType dt = in->dtype;
    Tensor *tg = lt_checktensor(L, 2);
    Tensor *gi = typed_arg(L, 3, dt, fn);
    int avg = lua_toboolean(L, 4);
    int p = int_arg(L, fn, 5);
    Tensor *w = opt_typed_arg(L, 6, dt, fn);
    double margin = luaL_optnumber(L, 7, 1);
    int64_t nf, dim;
    mm_shape(L, fn, in, tg, w, p, &nf, &dim);
    check_distinct(L, fn, gi, "gradInput", in, "input");
    in = contig(L, in);
    if (w) w = contig(L, w);
    const int64_t *t = long_data(L, tg);
    resize_as(L, fn, gi, in);
    if (nn_multimargin_backward(dt, tensor_data(in), t, w ? tensor_data(w) : NULL,
                                tensor_data(gi), nf, dim, p, margin, avg) != 0)
        return argfail(L, fn, 2, "%s", th_lasterror());
    return 0;
}

/* ======================================================================
 * registration
 * ====================================================================== */

#define REG(name) {#name, nn_##name}

static const luaL_Reg nn_functions[] = {
    REG(SpatialConvolutionMM_updateOutput),
    REG(SpatialConvolutionMM_updateGradInput),
    REG(SpatialConvolutionMM_accGradParameters),
    REG(SpatialConvolutionMM_backward),
    REG(SpatialConvolutionMap_updateOutput),
    REG(SpatialConvolutionMap_updateGradInput),
    REG(SpatialConvolutionMap_accGradParameters),
    REG(SpatialDilatedMaxPooling_updateOutput),
    REG(SpatialDilatedMaxPooling_updateGradInput),
    REG(SpatialMaxPooling_updateOutput),
    REG(SpatialMaxPooling_updateGradInput),
    REG(SpatialAveragePooling_updateOutput),
    REG(SpatialAveragePooling_updateGradInput),
    REG(Tanh_updateOutput),
    REG(Tanh_updateGradInput),
    REG(Sigmoid_updateOutput),
    REG(Sigmoid_updateGradInput),
    REG(Threshold_updateOutput),
    REG(Threshold_updateGradInput),
    REG(HardTanh_updateOutput),
    REG(HardTanh_updateGradInput),
    REG(SoftMax_updateOutput),
    REG(SoftMax_updateGradInput),
    REG(LogSoftMax_updateOutput),
    REG(LogSoftMax_updateGradInput),
    REG(Square_updateOutput),
    REG(Square_updateGradInput),
    REG(Sqrt_updateOutput),
    REG(Sqrt_updateGradInput),
    REG(ClassNLLCriterion_updateOutput),
    REG(ClassNLLCriterion_updateGradInput),
    REG(MSECriterion_updateOutput),
    REG(MSECriterion_updateGradInput),
    REG(AbsCriterion_updateOutput),
    REG(AbsCriterion_updateGradInput),
    REG(BCECriterion_updateOutput),
    REG(BCECriterion_updateGradInput),
    REG(MultiMarginCriterion_updateOutput),
    REG(MultiMarginCriterion_updateGradInput),
    {NULL, NULL},
};

void lt_open_nn(lua_State *L)
{
    luaL_newlib(L, nn_functions);
    lua_setfield(L, -2, "_nn");
}
