/* nn_conv.c: convolution kernels (see nn_conv.h).  The typed loops live in
 * nn_conv_impl.h, included once for float and once for double; the public
 * functions below only dispatch on the dtype. */
#include "nn_conv.h"

#include <string.h>

#include "blas.h"
#include "error.h"
#include "parallel.h"

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
    c->smallk = 0;
    c->chunk = 1;
    c->stored = 1;
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
    /* Thin GEMMs (K = 25 in the first layer) go to the small-K kernels, one
     * sample at a time.  Otherwise as many samples per GEMM as keep the
     * columns within NN_CONV_CHUNK_ELEMS, in chunks of about equal size (13
     * samples with room for 6 go as 5 + 5 + 3, not 6 + 6 + 1).  The columns
     * of the whole batch stay in finput for backward-weight when they fit
     * the same bound. */
    int64_t K = nin * kh * kw, P = c->oh * c->ow;
    if (K <= NN_CONV_SMALL_K) {
        c->smallk = 1;
    } else if (batch > 1) {
        int64_t most = NN_CONV_CHUNK_ELEMS / (K * P > 0 ? K * P : 1);
        if (most < 1) most = 1;
        int64_t nch = (batch + most - 1) / most;
        c->chunk = (batch + nch - 1) / nch;
    }
    c->stored = batch <= 1 || batch * K * P <= NN_CONV_CHUNK_ELEMS;
    return 0;
}

int64_t nn_conv2d_chunk(const NNConv2d *c)
{
    if (c->smallk || c->chunk < 1) return 1;
    return c->chunk < c->batch ? c->chunk : (c->batch > 0 ? c->batch : 1);
}

int64_t nn_conv2d_finput_size(const NNConv2d *c)
{
    int64_t m = nn_conv2d_chunk(c), K = c->nin * c->kh * c->kw, P = c->oh * c->ow;
    int64_t ncols = c->stored && c->batch > m ? c->batch : m;
    return K * ncols * P + (m > 1 ? c->nout * m * P : 0);
}

int64_t nn_conv2d_fgradin_size(const NNConv2d *c)
{
    int64_t m = nn_conv2d_chunk(c), K = c->nin * c->kh * c->kw, P = c->oh * c->ow;
    return (K + (m > 1 ? c->nout : 0)) * m * P;
}

int nn_im2col(DType dt, const void *in, void *col, const NNConv2d *c)
{
    int64_t P = c->oh * c->ow;
    DISPATCH(dt, im2col_f32(in, col, P, c), im2col_f64(in, col, P, c))
}

int nn_col2im(DType dt, const void *col, void *gin, const NNConv2d *c)
{
    int64_t P = c->oh * c->ow;
    DISPATCH(dt, col2im_f32(col, gin, P, c), col2im_f64(col, gin, P, c))
}

int nn_conv2d_forward(DType dt, const void *in, void *out, const void *w,
                      const void *b, void *finput, const NNConv2d *c)
{
    int64_t m = nn_conv2d_chunk(c);
    DISPATCH(dt, conv2d_forward_f32(in, out, w, b, finput, m, c),
             conv2d_forward_f64(in, out, w, b, finput, m, c))
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
    int64_t m = nn_conv2d_chunk(c);
    DISPATCH(dt, conv2d_backward_input_f32(gout, gin, w, fgradin, m, c),
             conv2d_backward_input_f64(gout, gin, w, fgradin, m, c))
}

int nn_conv2d_backward_input_naive(DType dt, const void *gout, void *gin,
                                   const void *w, const NNConv2d *c)
{
    DISPATCH(dt, conv2d_backward_input_naive_f32(gout, gin, w, c),
             conv2d_backward_input_naive_f64(gout, gin, w, c))
}

int nn_conv2d_backward_weight(DType dt, const void *in, const void *gout, void *gw, void *gb,
                              const void *finput, void *fgradin, double scale,
                              const NNConv2d *c)
{
    int64_t m = nn_conv2d_chunk(c);
    DISPATCH(dt, conv2d_backward_weight_f32(in, gout, gw, gb, finput, fgradin, (float)scale, m, c),
             conv2d_backward_weight_f64(in, gout, gw, gb, finput, fgradin, scale, m, c))
}

typedef struct BackwardJob {
    DType dt;
    const void *in, *gout, *w, *finput;
    void *gin, *gw, *gb, *fgradin;
    double scale;
    const NNConv2d *c;
    int err[2];
} BackwardJob;

/* task 0: the weight gradient, task 1: the input gradient.  The caller
 * claims task 0 first, so the weight gradient stays on the thread that
 * wrote finput in the forward pass (and reads gradWeight in the update);
 * the input gradient's column buffer fgradin lives and dies on the worker.
 * Measured at batch 1 on 2 threads (Float, conv2): the other order made the
 * next forward pass 1.2-1.7x slower (its im2col rewrites the columns the
 * worker had just read), this one leaves it at the 1-thread time. */
static void backward_task(void *p, int64_t t)
{
    BackwardJob *j = p;
    if (t == 1)
        j->err[0] = nn_conv2d_backward_input(j->dt, j->gout, j->gin, j->w, j->fgradin, j->c);
    else
        j->err[1] = nn_conv2d_backward_weight(j->dt, j->in, j->gout, j->gw, j->gb, j->finput,
                                              j->fgradin, j->scale, j->c);
}

int nn_conv2d_backward(DType dt, const void *in, const void *gout, void *gin, const void *w,
                       void *gw, void *gb, const void *finput, void *fgradin, double scale,
                       const NNConv2d *c)
{
    if (dt != DT_FLOAT && dt != DT_DOUBLE) return bad_type(dt);
    BackwardJob j = {dt, in, gout, w, finput, gin, gw, gb, fgradin, scale, c, {0, 0}};
    /* backward_weight touches fgradin only when it unfolds again (!stored)
     * or gathers a chunk (m > 1); otherwise the halves write disjoint memory */
    int disjoint = c->stored && nn_conv2d_chunk(c) == 1;
    if (gin && disjoint) {
        parallel_for(2, 2, backward_task, &j);
    } else {
        if (gin) backward_task(&j, 1);
        backward_task(&j, 0);
    }
    return j.err[0] || j.err[1] ? -1 : 0;
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
