/* nn_conv.c: convolution kernels (see nn_conv.h).  The typed loops live in
 * nn_conv_impl.h, included once for float and once for double; the public
 * functions below only dispatch on the dtype. */
#include "nn_conv.h"

#include <string.h>

#include "blas.h"
#include "error.h"

#define REAL float
#define SFX(n) n##_f32
#define DT DT_FLOAT
#include "nn_conv_impl.h"
#undef REAL
#undef SFX
#undef DT

#define REAL double
#define SFX(n) n##_f64
#define DT DT_DOUBLE
#include "nn_conv_impl.h"
#undef REAL
#undef SFX
#undef DT

static int bad_type(DType dt)
{
    return th_seterror("nn kernels need a FloatTensor or DoubleTensor, got a %sTensor",
                       dtype_name(dt));
}

/* One switch per public function: REAL-typed call for float and double. */
#define DISPATCH(dt, call_f32, call_f64)              \
    switch (dt) {                                     \
    case DT_FLOAT: call_f32; return 0;                \
    case DT_DOUBLE: call_f64; return 0;               \
    default: return bad_type(dt);                     \
    }

int nn_conv2d_init(NNConv2d *c, int64_t batch, int64_t nin, int64_t ih, int64_t iw,
                   int64_t nout, int64_t kw, int64_t kh, int64_t dw, int64_t dh,
                   int64_t padw, int64_t padh)
{
    if (kw <= 0 || kh <= 0)
        return th_seterror("kernel size should be greater than zero, but got kH: %lld kW: %lld",
                           (long long)kh, (long long)kw);
    if (dw <= 0 || dh <= 0)
        return th_seterror("stride should be greater than zero, but got dH: %lld dW: %lld",
                           (long long)dh, (long long)dw);
    if (padw < 0 || padh < 0)
        return th_seterror("padding should not be negative, but got padH: %lld padW: %lld",
                           (long long)padh, (long long)padw);
    c->batch = batch;
    c->nin = nin;
    c->ih = ih;
    c->iw = iw;
    c->nout = nout;
    c->kw = kw;
    c->kh = kh;
    c->dw = dw;
    c->dh = dh;
    c->padw = padw;
    c->padh = padh;
    /* Floor division (Torch's C division truncates toward zero, which would
     * accept a kernel larger than the padded image when the stride is > 1
     * and then read outside the image). */
    int64_t a = ih + 2 * padh - kh, b = iw + 2 * padw - kw;
    c->oh = (a >= 0 ? a / dh : -((-a + dh - 1) / dh)) + 1;
    c->ow = (b >= 0 ? b / dw : -((-b + dw - 1) / dw)) + 1;
    if (c->oh < 1 || c->ow < 1)
        return th_seterror("Given input size: (%lld x %lld x %lld). Calculated output size: "
                           "(%lld x %lld x %lld). Output size is too small",
                           (long long)nin, (long long)ih, (long long)iw, (long long)nout,
                           (long long)c->oh, (long long)c->ow);
    return 0;
}

int nn_im2col(DType dt, const void *in, void *col, const NNConv2d *c)
{
    DISPATCH(dt, im2col_f32(in, col, c), im2col_f64(in, col, c))
}

int nn_col2im(DType dt, const void *col, void *gin, const NNConv2d *c)
{
    DISPATCH(dt, col2im_f32(col, gin, c), col2im_f64(col, gin, c))
}

int nn_conv2d_forward(DType dt, const void *in, void *out, const void *w,
                      const void *b, void *finput, const NNConv2d *c)
{
    DISPATCH(dt, conv2d_forward_f32(in, out, w, b, finput, c),
             conv2d_forward_f64(in, out, w, b, finput, c))
}

int nn_conv2d_forward_naive(DType dt, const void *in, void *out, const void *w,
                            const void *b, const NNConv2d *c)
{
    DISPATCH(dt, conv2d_forward_naive_f32(in, out, w, b, c),
             conv2d_forward_naive_f64(in, out, w, b, c))
}

int nn_conv2d_backward_input(DType dt, const void *gout, void *gin, const void *w,
                             void *fgradin, const NNConv2d *c)
{
    DISPATCH(dt, conv2d_backward_input_f32(gout, gin, w, fgradin, c),
             conv2d_backward_input_f64(gout, gin, w, fgradin, c))
}

int nn_conv2d_backward_input_naive(DType dt, const void *gout, void *gin,
                                   const void *w, const NNConv2d *c)
{
    DISPATCH(dt, conv2d_backward_input_naive_f32(gout, gin, w, c),
             conv2d_backward_input_naive_f64(gout, gin, w, c))
}

int nn_conv2d_backward_weight(DType dt, const void *gout, void *gw, void *gb,
                              const void *finput, double scale, const NNConv2d *c)
{
    DISPATCH(dt, conv2d_backward_weight_f32(gout, gw, gb, finput, (float)scale, c),
             conv2d_backward_weight_f64(gout, gw, gb, finput, scale, c))
}

int nn_conv2d_backward_weight_naive(DType dt, const void *in, const void *gout,
                                    void *gw, void *gb, double scale, const NNConv2d *c)
{
    DISPATCH(dt, conv2d_backward_weight_naive_f32(in, gout, gw, gb, (float)scale, c),
             conv2d_backward_weight_naive_f64(in, gout, gw, gb, scale, c))
}

int nn_convmap_forward(DType dt, const void *in, void *out, const void *w,
                       const void *b, const int64_t *conn, int64_t nconn,
                       const NNConv2d *c)
{
    DISPATCH(dt, convmap_forward_f32(in, out, w, b, conn, nconn, c),
             convmap_forward_f64(in, out, w, b, conn, nconn, c))
}

int nn_convmap_backward_input(DType dt, const void *gout, void *gin, const void *w,
                              const int64_t *conn, int64_t nconn, const NNConv2d *c)
{
    DISPATCH(dt, convmap_backward_input_f32(gout, gin, w, conn, nconn, c),
             convmap_backward_input_f64(gout, gin, w, conn, nconn, c))
}

int nn_convmap_backward_weight(DType dt, const void *in, const void *gout, void *gw,
                               void *gb, const int64_t *conn, int64_t nconn,
                               double scale, const NNConv2d *c)
{
    DISPATCH(dt, convmap_backward_weight_f32(in, gout, gw, gb, conn, nconn, (float)scale, c),
             convmap_backward_weight_f64(in, gout, gw, gb, conn, nconn, scale, c))
}
