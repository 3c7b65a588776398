/* nn_fused.c: fused nn kernels (see nn_fused.h); typed loops in nn_fused_impl.h. */
#include "nn_fused.h"

#include <math.h>
#include <string.h>

#include "error.h"
#include "parallel.h"

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

/* LP pooling of this many input elements and more (4 MB of Float) runs as
 * two halves of the planes on the pool; planes are independent, so the
 * halves give the same bits as one pass.  Smaller inputs (the tutorial's
 * 50,176) stay on the caller, for the reason given at TANH_SPLIT_MIN in
 * nn_act.c. */
#ifndef LPPOOL_SPLIT_MIN
#define LPPOOL_SPLIT_MIN (1024 * 1024)
#endif

typedef struct LPJob {
    DType dt;
    int backward;
    const char *x, *g, *y;
    char *out;   /* y (forward) or gx (backward) */
    int64_t np, h, w, kw, kh, dw, dh;
} LPJob;

/* planes [lo, hi) of the job */
static void lppool_run(const LPJob *j, int64_t lo, int64_t hi)
{
    size_t es = dtype_size(j->dt);
    int64_t isz = j->h * j->w, osz = ((j->h - j->kh) / j->dh + 1) * ((j->w - j->kw) / j->dw + 1);
    const char *x = j->x + lo * isz * es;
    int64_t n = hi - lo;
    if (!j->backward) {
        char *y = j->out + lo * osz * es;
        if (j->dt == DT_FLOAT)
            lppool2_forward_f32((const float *)x, (float *)y, n, j->h, j->w, j->kw, j->kh, j->dw, j->dh);
        else
            lppool2_forward_f64((const double *)x, (double *)y, n, j->h, j->w, j->kw, j->kh, j->dw, j->dh);
    } else {
        const char *g = j->g + lo * osz * es, *y = j->y + lo * osz * es;
        char *gx = j->out + lo * isz * es;
        if (j->dt == DT_FLOAT)
            lppool2_backward_f32((const float *)x, (const float *)g, (const float *)y, (float *)gx,
                                 n, j->h, j->w, j->kw, j->kh, j->dw, j->dh);
        else
            lppool2_backward_f64((const double *)x, (const double *)g, (const double *)y,
                                 (double *)gx, n, j->h, j->w, j->kw, j->kh, j->dw, j->dh);
    }
}

static void lppool_task(void *p, int64_t t)
{
    const LPJob *j = p;
    int64_t half = j->np / 2;
    lppool_run(j, t ? half : 0, t ? j->np : half);
}

static int lppool(LPJob *j)
{
    if (check_pool(j->h, j->w, j->kw, j->kh, j->dw, j->dh) != 0) return -1;
    if (j->dt != DT_FLOAT && j->dt != DT_DOUBLE) return bad_type(j->dt);
    if (j->np >= 2 && j->np * j->h * j->w >= LPPOOL_SPLIT_MIN)
        parallel_for(2, 2, lppool_task, j);
    else
        lppool_run(j, 0, j->np);
    return 0;
}

int nn_lppool2_forward(DType dt, const void *x, void *y, int64_t np, int64_t h, int64_t w,
                       int64_t kw, int64_t kh, int64_t dw, int64_t dh)
{
    LPJob j = {dt, 0, x, NULL, NULL, y, np, h, w, kw, kh, dw, dh};
    return lppool(&j);
}

int nn_lppool2_backward(DType dt, const void *x, const void *g, const void *y, void *gx,
                        int64_t np, int64_t h, int64_t w, int64_t kw, int64_t kh, int64_t dw,
                        int64_t dh)
{
    LPJob j = {dt, 1, x, g, y, gx, np, h, w, kw, kh, dw, dh};
    return lppool(&j);
}
