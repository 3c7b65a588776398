/* nn_fused.c: fused nn kernels (see nn_fused.h); typed loops in nn_fused_impl.h. */
#include "nn_fused.h"

#include <math.h>
#include <string.h>

#include "error.h"

/* Columns x with x + s inside [0, w): the valid range of a tap shifted by s. */
static inline void shift_range(int64_t s, int64_t w, int64_t *lo, int64_t *hi)
{
    *lo = s < 0 ? -s : 0;
    *hi = s > 0 ? w - s : w;
}

#define REAL float
#define SFX(n) n##_f32
#define SQRT sqrtf
#include "nn_fused_impl.h"
#undef REAL
#undef SFX
#undef SQRT

#define REAL double
#define SFX(n) n##_f64
#define SQRT sqrt
#include "nn_fused_impl.h"
#undef REAL
#undef SFX
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

static int check_kernel(int kdim, int64_t kh, int64_t kw)
{
    if (kdim != 1 && kdim != 2) return th_seterror("averaging kernel must be 2D or 1D");
    if (kh < 1 || kh % 2 == 0 || kw < 1 || kw % 2 == 0)
        return th_seterror("averaging kernel must have ODD dimensions");
    return 0;
}

int nn_subnorm_forward(DType dt, const void *x, void *y, const void *coef, const void *kernel,
                       const void *kv, int kdim, int64_t kh, int64_t kw, int64_t n, int64_t planes, int64_t h,
                       int64_t w, void *work)
{
    if (check_kernel(kdim, kh, kw) != 0) return -1;
    DISPATCH(dt,
             subnorm_forward_f32(x, y, coef, kernel, kv, kdim, kh, kw, n, planes, h, w, work),
             subnorm_forward_f64(x, y, coef, kernel, kv, kdim, kh, kw, n, planes, h, w, work))
}

int nn_subnorm_backward(DType dt, const void *g, void *gx, const void *coef, const void *kernel,
                        const void *kv, int kdim, int64_t kh, int64_t kw, int64_t n, int64_t planes, int64_t h,
                        int64_t w, void *work)
{
    if (check_kernel(kdim, kh, kw) != 0) return -1;
    DISPATCH(dt,
             subnorm_backward_f32(g, gx, coef, kernel, kv, kdim, kh, kw, n, planes, h, w, work),
             subnorm_backward_f64(g, gx, coef, kernel, kv, kdim, kh, kw, n, planes, h, w, work))
}

static int check_pool(int64_t h, int64_t w, int64_t kw, int64_t kh, int64_t dw, int64_t dh)
{
    if (kw < 1 || kh < 1 || dw < 1 || dh < 1)
        return th_seterror("kernel size and stride should be greater than zero, but got "
                           "kH: %lld kW: %lld dH: %lld dW: %lld", (long long)kh, (long long)kw,
                           (long long)dh, (long long)dw);
    if (h < kh || w < kw)
        return th_seterror("input image (%lldx%lld) smaller than kernel size (%lldx%lld)",
                           (long long)h, (long long)w, (long long)kh, (long long)kw);
    return 0;
}

int nn_lppool2_forward(DType dt, const void *x, void *y, int64_t np, int64_t h, int64_t w,
                       int64_t kw, int64_t kh, int64_t dw, int64_t dh)
{
    if (check_pool(h, w, kw, kh, dw, dh) != 0) return -1;
    DISPATCH(dt, lppool2_forward_f32(x, y, np, h, w, kw, kh, dw, dh),
             lppool2_forward_f64(x, y, np, h, w, kw, kh, dw, dh))
}

int nn_lppool2_backward(DType dt, const void *x, const void *g, const void *y, void *gx,
                        int64_t np, int64_t h, int64_t w, int64_t kw, int64_t kh, int64_t dw,
                        int64_t dh)
{
    if (check_pool(h, w, kw, kh, dw, dh) != 0) return -1;
    DISPATCH(dt, lppool2_backward_f32(x, g, y, gx, np, h, w, kw, kh, dw, dh),
             lppool2_backward_f64(x, g, y, gx, np, h, w, kw, kh, dw, dh))
}
