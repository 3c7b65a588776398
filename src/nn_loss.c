/* nn_loss.c: criterion kernels (see nn_loss.h); typed loops in nn_loss_impl.h. */
#include "nn_loss.h"

#include <math.h>
#include <string.h>

#include "error.h"

#define REAL float
#define SFX(n) n##_f32
#include "nn_loss_impl.h"
#undef REAL
#undef SFX

#define REAL double
#define SFX(n) n##_f64
#include "nn_loss_impl.h"
#undef REAL
#undef SFX

static int bad_type(DType dt)
{
    return th_seterror("nn kernels need a FloatTensor or DoubleTensor, got a %sTensor",
                       dtype_name(dt));
}

/* For kernels that cannot fail once the type is right. */
#define DISPATCH(dt, call_f32, call_f64)              \
    switch (dt) {                                     \
    case DT_FLOAT: call_f32; return 0;                \
    case DT_DOUBLE: call_f64; return 0;               \
    default: return bad_type(dt);                     \
    }

/* For kernels that validate targets and return their own status. */
#define DISPATCH_RET(dt, call_f32, call_f64)          \
    switch (dt) {                                     \
    case DT_FLOAT: return call_f32;                   \
    case DT_DOUBLE: return call_f64;                  \
    default: return bad_type(dt);                     \
    }

int nn_classnll_forward(DType dt, const void *in, const int64_t *target, const void *w,
                        int64_t nframe, int64_t nclass, int size_average,
                        int64_t ignore_index, double *loss, double *total_weight)
{
    DISPATCH_RET(dt,
                 classnll_forward_f32(in, target, w, nframe, nclass, size_average,
                                      ignore_index, loss, total_weight),
                 classnll_forward_f64(in, target, w, nframe, nclass, size_average,
                                      ignore_index, loss, total_weight))
}

int nn_classnll_backward(DType dt, const int64_t *target, void *gin, const void *w,
                         int64_t nframe, int64_t nclass, int batched, int size_average,
                         int64_t ignore_index, double total_weight)
{
    DISPATCH_RET(dt,
                 classnll_backward_f32(target, gin, w, nframe, nclass, batched, size_average,
                                       ignore_index, total_weight),
                 classnll_backward_f64(target, gin, w, nframe, nclass, batched, size_average,
                                       ignore_index, total_weight))
}

int nn_mse_forward(DType dt, const void *in, const void *target, int64_t n,
                   int size_average, double *loss)
{
    DISPATCH(dt, mse_forward_f32(in, target, n, size_average, loss),
             mse_forward_f64(in, target, n, size_average, loss))
}

int nn_mse_backward(DType dt, const void *in, const void *target, void *gin, int64_t n,
                    int size_average)
{
    DISPATCH(dt, mse_backward_f32(in, target, gin, n, size_average),
             mse_backward_f64(in, target, gin, n, size_average))
}

int nn_abs_forward(DType dt, const void *in, const void *target, int64_t n,
                   int size_average, double *loss)
{
    DISPATCH(dt, abs_forward_f32(in, target, n, size_average, loss),
             abs_forward_f64(in, target, n, size_average, loss))
}

int nn_abs_backward(DType dt, const void *in, const void *target, void *gin, int64_t n,
                    int size_average)
{
    DISPATCH(dt, abs_backward_f32(in, target, gin, n, size_average),
             abs_backward_f64(in, target, gin, n, size_average))
}

int nn_bce_forward(DType dt, const void *in, const void *target, const void *w, int64_t n,
                   int size_average, double *loss)
{
    DISPATCH(dt, bce_forward_f32(in, target, w, n, size_average, loss),
             bce_forward_f64(in, target, w, n, size_average, loss))
}

int nn_bce_backward(DType dt, const void *in, const void *target, const void *w, void *gin,
                    int64_t n, int size_average)
{
    DISPATCH(dt, bce_backward_f32(in, target, w, gin, n, size_average),
             bce_backward_f64(in, target, w, gin, n, size_average))
}

int nn_multimargin_forward(DType dt, const void *in, const int64_t *target, const void *w,
                           int64_t nframe, int64_t dim, int p, double margin,
                           int size_average, double *loss)
{
    if (p != 1 && p != 2) return th_seterror("only p=1 and p=2 supported");
    DISPATCH_RET(dt,
                 multimargin_forward_f32(in, target, w, nframe, dim, p, (float)margin,
                                         size_average, loss),
                 multimargin_forward_f64(in, target, w, nframe, dim, p, margin,
                                         size_average, loss))
}

int nn_multimargin_backward(DType dt, const void *in, const int64_t *target, const void *w,
                            void *gin, int64_t nframe, int64_t dim, int p, double margin,
                            int size_average)
{
    if (p != 1 && p != 2) return th_seterror("only p=1 and p=2 supported");
    DISPATCH_RET(dt,
                 multimargin_backward_f32(in, target, w, gin, nframe, dim, p, (float)margin,
                                          size_average),
                 multimargin_backward_f64(in, target, w, gin, nframe, dim, p, margin,
                                          size_average))
}
