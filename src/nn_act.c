/* nn_act.c: transfer-function and softmax kernels (see nn_act.h); typed loops
 * in nn_act_impl.h. */
#include "nn_act.h"

#include <math.h>

#include "error.h"

#define REAL float
#define SFX(n) n##_f32
#define TANH tanhf
#define EXP expf
#define SQRT sqrtf
#include "nn_act_impl.h"
#undef REAL
#undef SFX
#undef TANH
#undef EXP
#undef SQRT

#define REAL double
#define SFX(n) n##_f64
#define TANH tanh
#define EXP exp
#define SQRT sqrt
#include "nn_act_impl.h"
#undef REAL
#undef SFX
#undef TANH
#undef EXP
#undef SQRT

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

int nn_tanh_forward(DType dt, const void *in, void *out, int64_t n)
{
    DISPATCH(dt, tanh_forward_f32(in, out, n), tanh_forward_f64(in, out, n))
}

int nn_tanh_forward_naive(DType dt, const void *in, void *out, int64_t n)
{
    DISPATCH(dt, tanh_forward_naive_f32(in, out, n), tanh_forward_naive_f64(in, out, n))
}

int nn_tanh_backward(DType dt, const void *gout, void *gin, const void *out, int64_t n)
{
    DISPATCH(dt, tanh_backward_f32(gout, gin, out, n), tanh_backward_f64(gout, gin, out, n))
}

int nn_sigmoid_forward(DType dt, const void *in, void *out, int64_t n)
{
    DISPATCH(dt, sigmoid_forward_f32(in, out, n), sigmoid_forward_f64(in, out, n))
}

int nn_sigmoid_forward_naive(DType dt, const void *in, void *out, int64_t n)
{
    DISPATCH(dt, sigmoid_forward_naive_f32(in, out, n), sigmoid_forward_naive_f64(in, out, n))
}

int nn_sigmoid_backward(DType dt, const void *gout, void *gin, const void *out, int64_t n)
{
    DISPATCH(dt, sigmoid_backward_f32(gout, gin, out, n), sigmoid_backward_f64(gout, gin, out, n))
}

int nn_threshold_forward(DType dt, const void *in, void *out, int64_t n, double th, double val)
{
    DISPATCH(dt, threshold_forward_f32(in, out, n, (float)th, (float)val),
             threshold_forward_f64(in, out, n, th, val))
}

int nn_threshold_backward(DType dt, const void *in, const void *gout, void *gin, int64_t n,
                          double th)
{
    DISPATCH(dt, threshold_backward_f32(in, gout, gin, n, (float)th),
             threshold_backward_f64(in, gout, gin, n, th))
}

int nn_hardtanh_forward(DType dt, const void *in, void *out, int64_t n, double lo, double hi)
{
    DISPATCH(dt, hardtanh_forward_f32(in, out, n, (float)lo, (float)hi),
             hardtanh_forward_f64(in, out, n, lo, hi))
}

int nn_hardtanh_backward(DType dt, const void *in, const void *gout, void *gin, int64_t n,
                         double lo, double hi)
{
    DISPATCH(dt, hardtanh_backward_f32(in, gout, gin, n, (float)lo, (float)hi),
             hardtanh_backward_f64(in, gout, gin, n, lo, hi))
}

int nn_square_forward(DType dt, const void *in, void *out, int64_t n)
{
    DISPATCH(dt, square_forward_f32(in, out, n), square_forward_f64(in, out, n))
}

int nn_square_backward(DType dt, const void *in, const void *gout, void *gin, int64_t n)
{
    DISPATCH(dt, square_backward_f32(in, gout, gin, n), square_backward_f64(in, gout, gin, n))
}

int nn_sqrt_forward(DType dt, const void *in, void *out, int64_t n)
{
    DISPATCH(dt, sqrt_forward_f32(in, out, n), sqrt_forward_f64(in, out, n))
}

int nn_sqrt_backward(DType dt, const void *gout, void *gin, const void *out, int64_t n)
{
    DISPATCH(dt, sqrt_backward_f32(gout, gin, out, n), sqrt_backward_f64(gout, gin, out, n))
}

int nn_softmax_geometry(int ndim, const int64_t *size, int64_t *nframe, int64_t *dim,
                        int64_t *stride)
{
    switch (ndim) {
    case 1: *nframe = 1; *dim = size[0]; *stride = 1; return 0;
    case 2: *nframe = size[0]; *dim = size[1]; *stride = 1; return 0;
    case 3: *nframe = 1; *dim = size[0]; *stride = size[1] * size[2]; return 0;
    case 4: *nframe = size[0]; *dim = size[1]; *stride = size[2] * size[3]; return 0;
    default: return th_seterror("1D, 2D, 3D or 4D tensor expected");
    }
}

int nn_softmax_forward(DType dt, const void *in, void *out, int64_t nframe, int64_t dim,
                       int64_t stride)
{
    DISPATCH(dt, softmax_forward_f32(in, out, nframe, dim, stride),
             softmax_forward_f64(in, out, nframe, dim, stride))
}

int nn_softmax_backward(DType dt, const void *gout, void *gin, const void *out,
                        int64_t nframe, int64_t dim, int64_t stride)
{
    DISPATCH(dt, softmax_backward_f32(gout, gin, out, nframe, dim, stride),
             softmax_backward_f64(gout, gin, out, nframe, dim, stride))
}

int nn_logsoftmax_forward(DType dt, const void *in, void *out, int64_t nframe, int64_t dim,
                          int64_t stride)
{
    DISPATCH(dt, logsoftmax_forward_f32(in, out, nframe, dim, stride),
             logsoftmax_forward_f64(in, out, nframe, dim, stride))
}

int nn_logsoftmax_backward(DType dt, const void *gout, void *gin, const void *out,
                           int64_t nframe, int64_t dim, int64_t stride)
{
    DISPATCH(dt, logsoftmax_backward_f32(gout, gin, out, nframe, dim, stride),
             logsoftmax_backward_f64(gout, gin, out, nframe, dim, stride))
}
