/* nn_act.h: element-wise transfer functions and (log-)softmax of nn, Float
 * and Double, on contiguous raw arrays of n elements.
 *
 * Element-wise kernels allow out == in (and gin == gout): they read element k
 * before writing element k and nothing else, so Torch's in-place modes work.
 * Every kernel takes DT_FLOAT or DT_DOUBLE (else -1 + error), never allocates.
 * Backward kernels OVERWRITE gin (transfer functions have no parameters). */
#ifndef EMBER_NN_ACT_H
#define EMBER_NN_ACT_H

#include <stdint.h>

#include "dtype.h"

/* y = tanh x  /  gin = gout * (1 - y^2) (from the forward OUTPUT y).
 * The forward returns libm's bits (tanhf for Float, tanh for Double: Torch7's
 * values), vectorised when the kernel matches this process's libm (checked
 * once, see nn_act.c), else through libm.  nn_tanh_is_vectorised says which
 * (1 or 0; 0 for other types). */
int nn_tanh_forward(DType dt, const void *in, void *out, int64_t n);
int nn_tanh_is_vectorised(DType dt);
int nn_tanh_backward(DType dt, const void *gout, void *gin, const void *out, int64_t n);

/* y = 1 / (1 + e^-x)  /  gin = gout * (1 - y) * y */
int nn_sigmoid_forward(DType dt, const void *in, void *out, int64_t n);
int nn_sigmoid_backward(DType dt, const void *gout, void *gin, const void *out, int64_t n);

/* y = x if x > th else val  /  gin = gout if x > th else 0 (x = forward input) */
int nn_threshold_forward(DType dt, const void *in, void *out, int64_t n, double th, double val);
int nn_threshold_backward(DType dt, const void *in, const void *gout, void *gin, int64_t n,
                          double th);

/* y = clamp(x, lo, hi)  /  gin = gout if lo < x < hi (strict) else 0 */
int nn_hardtanh_forward(DType dt, const void *in, void *out, int64_t n, double lo, double hi);
int nn_hardtanh_backward(DType dt, const void *in, const void *gout, void *gin, int64_t n,
                         double lo, double hi);

/* y = x^2  /  gin = 2 x gout */
int nn_square_forward(DType dt, const void *in, void *out, int64_t n);
int nn_square_backward(DType dt, const void *in, const void *gout, void *gin, int64_t n);

/* y = sqrt x  /  gin = 0.5 gout / y, and 0 where y == 0 */
int nn_sqrt_forward(DType dt, const void *in, void *out, int64_t n);
int nn_sqrt_backward(DType dt, const void *gout, void *gin, const void *out, int64_t n);

/* Plain scalar-libm loops used as references for the vectorised ones above:
 * nn_tanh_forward must equal nn_tanh_forward_naive (tanhf / tanh) bit for bit. */
int nn_tanh_forward_naive(DType dt, const void *in, void *out, int64_t n);
int nn_sigmoid_forward_naive(DType dt, const void *in, void *out, int64_t n);

/* ---- softmax over the feature dimension --------------------------------
 * The data is nframe blocks of (dim x stride): element d of vector (t, s) is
 * at t*dim*stride + d*stride + s.  nn_softmax_geometry maps Torch's rule:
 * 1-D (D): 1 x D x 1; 2-D (B, D): B x D x 1; 3-D (D, H, W): 1 x D x HW;
 * 4-D (B, D, H, W): B x D x HW; else `1D, 2D, 3D or 4D tensor expected`.
 * Sums are accumulated in double (Torch's accreal) for both types. */
int nn_softmax_geometry(int ndim, const int64_t *size, int64_t *nframe, int64_t *dim,
                        int64_t *stride);

/* y = e^(x - max) / sum  /  gin = y * (gout - sum_d gout_d y_d) */
int nn_softmax_forward(DType dt, const void *in, void *out, int64_t nframe, int64_t dim,
                       int64_t stride);
int nn_softmax_backward(DType dt, const void *gout, void *gin, const void *out,
                        int64_t nframe, int64_t dim, int64_t stride);

/* y = x - (max + log sum e^(x - max))  /  gin = gout - e^y * sum_d gout_d */
int nn_logsoftmax_forward(DType dt, const void *in, void *out, int64_t nframe, int64_t dim,
                          int64_t stride);
int nn_logsoftmax_backward(DType dt, const void *gout, void *gin, const void *out,
                           int64_t nframe, int64_t dim, int64_t stride);

#endif
