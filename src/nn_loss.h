/* nn_loss.h: criterion kernels of nn, Float and Double, on contiguous raw
 * arrays.  Losses are returned as doubles (the binding stores them into
 * Torch's one-element output tensors); sums are accumulated in double.
 * Backward kernels OVERWRITE gin.  Class targets are int64 CLASS INDICES AS
 * TORCH STORES THEM (1-based); a target outside 1..nclass (other than the
 * ignore index) is an error `target out of range`.  Every kernel takes
 * DT_FLOAT or DT_DOUBLE (else -1 + error) and never allocates. */
#ifndef EMBER_NN_LOSS_H
#define EMBER_NN_LOSS_H

#include <stdint.h>

#include "dtype.h"

/* ---- ClassNLLCriterion ----------------------------------------------------
 * in (nframe, nclass) log-probabilities, target (nframe), w (nclass)|NULL.
 * loss = -sum_i w[t_i] in[i][t_i], total_weight = sum_i w[t_i] (w = 1 without
 * weights), targets equal to ignore_index (1-based, like the targets) skipped;
 * loss /= total_weight when size_average and total_weight != 0.
 * `batched` = 0 for a 1-D input (nframe must be 1): only the gradient rule
 * differs (gin[t] = -w[t] if w && !size_average, else -1). */
int nn_classnll_forward(DType dt, const void *in, const int64_t *target, const void *w,
                        int64_t nframe, int64_t nclass, int size_average,
                        int64_t ignore_index, double *loss, double *total_weight);
/* gin (nframe, nclass): zero except gin[i][t_i] = -w[t_i] (/ total_weight
 * when size_average); all zero when total_weight <= 0 (Torch). */
int nn_classnll_backward(DType dt, const int64_t *target, void *gin, const void *w,
                         int64_t nframe, int64_t nclass, int batched, int size_average,
                         int64_t ignore_index, double total_weight);

/* ---- MSECriterion: loss = sum (x - t)^2 [/ n]; gin = 2 (x - t) [/ n] ---- */
int nn_mse_forward(DType dt, const void *in, const void *target, int64_t n,
                   int size_average, double *loss);
int nn_mse_backward(DType dt, const void *in, const void *target, void *gin, int64_t n,
                    int size_average);

/* ---- AbsCriterion: loss = sum |x - t| [/ n]; gin = +-1 [/ n] (+ when x >= t) */
int nn_abs_forward(DType dt, const void *in, const void *target, int64_t n,
                   int size_average, double *loss);
int nn_abs_backward(DType dt, const void *in, const void *target, void *gin, int64_t n,
                    int size_average);

/* ---- BCECriterion (eps = 1e-12), w (n)|NULL ---------------------------------
 * loss = -sum w (t log(x + eps) + (1 - t) log(1 - x + eps)) [/ n];
 * gin = -w (t - x) / ((1 - x + eps)(x + eps)) [/ n]. */
int nn_bce_forward(DType dt, const void *in, const void *target, const void *w, int64_t n,
                   int size_average, double *loss);
int nn_bce_backward(DType dt, const void *in, const void *target, const void *w, void *gin,
                    int64_t n, int size_average);

/* ---- MultiMarginCriterion, p in {1, 2} -------------------------------------
 * in (nframe, dim), target (nframe), w (dim)|NULL:
 * loss = sum_i (1/dim) sum_{d != t_i} max(0, margin - x[t_i] + x[d])^p * w[t_i]
 * [/ nframe].  Errors: `only p=1 and p=2 supported`, `target out of range`. */
int nn_multimargin_forward(DType dt, const void *in, const int64_t *target, const void *w,
                           int64_t nframe, int64_t dim, int p, double margin,
                           int size_average, double *loss);
int nn_multimargin_backward(DType dt, const void *in, const int64_t *target, const void *w,
                            void *gin, int64_t nframe, int64_t dim, int p, double margin,
                            int size_average);

#endif
