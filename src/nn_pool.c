/* nn_pool.c: pooling kernels (see nn_pool.h); typed loops in nn_pool_impl.h. */
#include "nn_pool.h"

#include <math.h>
#include <string.h>

#include "error.h"

#define REAL float
#define SFX(n) n##_f32
#include "nn_pool_impl.h"
#undef REAL
#undef SFX

#define REAL double
#define SFX(n) n##_f64
#include "nn_pool_impl.h"
#undef REAL
#undef SFX

static int bad_type(DType dt)
{
    return th_seterror("nn kernels need a FloatTensor or DoubleTensor, got a %sTensor",
                       dtype_name(dt));
}

#define DISPATCH(dt, call_f32, call_f64)              \
    switch (dt) {                                     \
    case DT_FLOAT: call_f32; return 0;                \
    case DT_DOUBLE: call_f64; return 0;               \
    default: return bad_type(dt);                     \
    }

/* THNN computes the pooled size in float (ceil/floor of a float quotient). */
static int64_t pooled_size(int64_t in, int64_t k, int64_t pad, int64_t d, int64_t dil,
                           int ceil_mode)
{
    float q = (float)(in - (dil * (k - 1) + 1) + 2 * pad) / (float)d;
    int64_t o = (int64_t)(ceil_mode ? ceilf(q) : floorf(q)) + 1;
    if (pad > 0 && (o - 1) * d >= in + pad) o--;
    return o;
}

int nn_pool2d_init(NNPool2d *p, int64_t batch, int64_t planes, int64_t ih, int64_t iw,
                   int64_t kw, int64_t kh, int64_t dw, int64_t dh, int64_t padw,
                   int64_t padh, int64_t dilw, int64_t dilh, int ceil_mode,
                   int count_include_pad)
{
    if (kw <= 0 || kh <= 0)
        return th_seterror("kernel size should be greater than zero, but got kH: %lld kW: %lld",
                           (long long)kh, (long long)kw);
    if (dw <= 0 || dh <= 0)
        return th_seterror("stride should be greater than zero, but got dH: %lld dW: %lld",
                           (long long)dh, (long long)dw);
    if (dilw <= 0 || dilh <= 0)
        return th_seterror("dilation should be greater than zero, but got dilationH: %lld "
                           "dilationW: %lld", (long long)dilh, (long long)dilw);
    if (padw < 0 || padh < 0 || kw / 2 < padw || kh / 2 < padh)
        return th_seterror("pad should be smaller than half of kernel size, but got "
                           "padW = %lld, padH = %lld, kW = %lld, kH = %lld",
                           (long long)padw, (long long)padh, (long long)kw, (long long)kh);
    p->batch = batch;
    p->planes = planes;
    p->ih = ih;
    p->iw = iw;
    p->kw = kw;
    p->kh = kh;
    p->dw = dw;
    p->dh = dh;
    p->padw = padw;
    p->padh = padh;
    p->dilw = dilw;
    p->dilh = dilh;
    p->ceil_mode = ceil_mode;
    p->count_include_pad = count_include_pad;
    p->oh = pooled_size(ih, kh, padh, dh, dilh, ceil_mode);
    p->ow = pooled_size(iw, kw, padw, dw, dilw, ceil_mode);
    if (p->oh < 1 || p->ow < 1)
        return th_seterror("Given input size: (%lldx%lldx%lld). Calculated output size: "
                           "(%lldx%lldx%lld). Output size is too small",
                           (long long)planes, (long long)ih, (long long)iw, (long long)planes,
                           (long long)p->oh, (long long)p->ow);
    return 0;
}

int nn_maxpool2d_forward(DType dt, const void *in, void *out, int64_t *ind, const NNPool2d *p)
{
    DISPATCH(dt, maxpool2d_forward_f32(in, out, ind, p), maxpool2d_forward_f64(in, out, ind, p))
}

int nn_maxpool2d_forward_naive(DType dt, const void *in, void *out, int64_t *ind,
                               const NNPool2d *p)
{
    DISPATCH(dt, maxpool2d_forward_naive_f32(in, out, ind, p),
             maxpool2d_forward_naive_f64(in, out, ind, p))
}

int nn_maxpool2d_backward(DType dt, const void *gout, void *gin, const int64_t *ind,
                          const NNPool2d *p)
{
    switch (dt) {
    case DT_FLOAT: return maxpool2d_backward_f32(gout, gin, ind, p);
    case DT_DOUBLE: return maxpool2d_backward_f64(gout, gin, ind, p);
    default: return bad_type(dt);
    }
}

int nn_avgpool2d_forward(DType dt, const void *in, void *out, const NNPool2d *p)
{
    DISPATCH(dt, avgpool2d_forward_f32(in, out, p), avgpool2d_forward_f64(in, out, p))
}

int nn_avgpool2d_forward_naive(DType dt, const void *in, void *out, const NNPool2d *p)
{
    DISPATCH(dt, avgpool2d_forward_naive_f32(in, out, p), avgpool2d_forward_naive_f64(in, out, p))
}

int nn_avgpool2d_backward(DType dt, const void *gout, void *gin, const NNPool2d *p)
{
    DISPATCH(dt, avgpool2d_backward_f32(gout, gin, p), avgpool2d_backward_f64(gout, gin, p))
}

int nn_avgpool2d_backward_naive(DType dt, const void *gout, void *gin, const NNPool2d *p)
{
    DISPATCH(dt, avgpool2d_backward_naive_f32(gout, gin, p),
             avgpool2d_backward_naive_f64(gout, gin, p))
}
