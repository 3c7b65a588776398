/* nn_fused.h: fused kernels for modules Torch7 builds out of other modules
 * (SpatialSubtractiveNormalization's mean estimator, SpatialLPPooling with
 * p = 2), Float and Double, on contiguous raw arrays.  The nn modules keep
 * their Torch7 structure (sub-modules, printing, serialization); these
 * kernels only replace the chain of sub-module calls, which at batch 1 costs
 * more in passes over memory and Lua calls than in arithmetic.
 *
 * Every kernel takes DT_FLOAT or DT_DOUBLE (else -1 + error) and never
 * allocates.  LP pooling of large tensors runs as two halves of the planes
 * on the thread pool; planes are independent, so results never depend on
 * the thread count. */
#ifndef EMBER_NN_FUSED_H
#define EMBER_NN_FUSED_H

#include <stdint.h>

#include "dtype.h"

/* ---- SpatialSubtractiveNormalization ----------------------------------------
 * The mean estimator of nn.SpatialSubtractiveNormalization is linear and the
 * same for every plane, so it is computed once per sample on the plane sum
 * S = sum_p x[p]:
 *   kdim 1 (k: kw horizontal taps, kv: kh vertical taps): M = V(H(S)), H the
 *     pass sum_j k[j] S[y][x+j-kw/2], V likewise down columns, zero padded;
 *   kdim 2 (kernel kh x kw): M[y][x] = sum_ij k[i][j] S[y+i-padH][x+j-padW].
 *   y[p] = x[p] - M / coef   (coef: the estimator on an image of ones).
 * Backward (coef constant): gx[p] = g[p] - F^T(sum_q g[q] / coef), F^T the
 * transposed filter (zero-padded correlation read backwards).
 * The taps are those of the estimator's convolutions (Torch7 divides the
 * kernel tensor in place, so a kernel shared with another module no longer
 * holds them).  kv is unused (may be NULL) for kdim 2.
 * Layouts: x, y, g, gx (N, P, H, W); coef (H, W); kernel (kw) or (kh, kw);
 * work at least 3*H*W elements of the same type.  y may not alias x; gx may
 * not alias g. */
int nn_subnorm_forward(DType dt, const void *x, void *y, const void *coef, const void *kernel,
                       const void *kv, int kdim, int64_t kh, int64_t kw, int64_t n, int64_t planes, int64_t h,
                       int64_t w, void *work);
int nn_subnorm_backward(DType dt, const void *g, void *gx, const void *coef, const void *kernel,
                        const void *kv, int kdim, int64_t kh, int64_t kw, int64_t n, int64_t planes, int64_t h,
                        int64_t w, void *work);

/* ---- SpatialLPPooling, p = 2 -------------------------------------------------
 * Torch7's Sequential{Square, SpatialAveragePooling(kW,kH,dW,dH),
 * MulConstant(kW*kH), Sqrt} in one pass, with the same operations in the
 * same order (square, window sum row by row, / (kW*kH), * (kW*kH), sqrt), so
 * the results are bit-identical to the composition.  Windows are those of
 * unpadded floor-mode pooling: oH = (H - kH) / dH + 1.
 * Backward: Sqrt's (0.5 g) / y (0 where y == 0), * kW*kH, / kW*kH, scattered
 * (+=, in window order) over each window, then 2 x times the sum.
 * Layouts: x, gx (NP, H, W) -> y, g (NP, oH, oW); gx may not alias x or g. */
int nn_lppool2_forward(DType dt, const void *x, void *y, int64_t np, int64_t h, int64_t w,
                       int64_t kw, int64_t kh, int64_t dw, int64_t dh);
int nn_lppool2_backward(DType dt, const void *x, const void *g, const void *y, void *gx,
                        int64_t np, int64_t h, int64_t w, int64_t kw, int64_t kh, int64_t dw,
                        int64_t dh);

#endif
