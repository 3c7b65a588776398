/* nn_conv.h: 2-D convolution kernels of nn (SpatialConvolutionMM and
 * SpatialConvolutionMap), Float and Double, on contiguous raw arrays.
 *
 * Layouts (all row-major, contiguous, dim 0 outermost):
 *   in      (N, C, H, W)         a 3-D input is N = 1
 *   out     (N, F, oH, oW)
 *   weight  (F, C*kH*kW)         column (c*kH + u)*kW + v, the MM layout;
 *                                a 4-D (F, C, kH, kW) weight is the same memory
 *   bias    (F) or NULL
 *   finput, fgradin              scratch of nn_conv2d_finput_size(c) and
 *                                nn_conv2d_fgradin_size(c) elements (see
 *                                SpatialConvolutionMM below)
 *
 * y[n][f][i][j] = b[f] + sum_{c,u,v} w[f][c][u][v] * x[n][c][i*dH-padH+u][j*dW-padW+v]
 * (cross-correlation; taps outside the image read 0).
 *
 * Every kernel takes a DType (DT_FLOAT or DT_DOUBLE; anything else returns -1
 * with an error) and void pointers to arrays of that type.  Kernels never
 * allocate: scratch buffers are passed in.  Buffers must not alias inputs. */
#ifndef EMBER_NN_CONV_H
#define EMBER_NN_CONV_H

#include <stdint.h>

#include "dtype.h"

/* im2col columns of at most this many elements per GEMM (2 MB of Float):
 * a batch is cut into chunks of samples below it.  Measured on the
 * tutorial's conv2 (640 KB of Float columns a sample), one thread: chunks of
 * 1-2 samples run at the per-sample speed, 6 samples 5-10% and 16-32
 * samples 15-25% slower in the forward and backward-input passes (the
 * columns no longer stay in L2 between im2col and the GEMM), so a chunk is
 * kept small: enough columns (300 for conv2) for a GEMM to split well
 * between threads.  finput keeps the columns of the whole batch for
 * backward-weight only when they fit this bound too; larger batches are
 * unfolded again there (0.03 ms a sample for conv2), which measured cheaper
 * than keeping them: im2col into a buffer of tens of MB misses the caches,
 * and conv2's forward pass at batch 32 ran 20% slower. */
#define NN_CONV_CHUNK_ELEMS ((int64_t)1 << 19)
/* K = C*kH*kW up to this goes to the small-K kernels (the first layer). */
#define NN_CONV_SMALL_K 32

/* Geometry of one convolution (shared by the MM and Map kernels). */
typedef struct NNConv2d {
    int64_t batch;          /* N: samples (1 for a 3-D input) */
    int64_t nin, ih, iw;    /* input planes, height, width */
    int64_t nout, oh, ow;   /* output planes, height, width */
    int64_t kw, kh, dw, dh, padw, padh;
    /* How SpatialConvolutionMM runs, chosen by nn_conv2d_init from the shape
     * (a caller may override these, as the tests do, then sizes its buffers
     * with nn_conv2d_finput_size and nn_conv2d_fgradin_size): */
    int64_t chunk;          /* samples per GEMM, >= 1 */
    int smallk;             /* 1: small-K kernels, one sample at a time */
    int stored;             /* 1: finput keeps the whole batch's columns */
} NNConv2d;

/* Fills c (all fields) and computes oH = floor((H + 2padH - kH)/dH) + 1 and
 * likewise oW.  Errors (-1): non-positive kernel or stride, negative padding
 * (Torch's texts `kernel size should be greater than zero, but got kH: 5 kW: 0`,
 * `stride should be greater than zero, ...`), or an output smaller than 1x1:
 * `Given input size: (1 x 2 x 2). Calculated output size: (1 x 0 x 0). Output
 * size is too small` (Torch's THNN text). */
int nn_conv2d_init(NNConv2d *c, int64_t batch, int64_t nin, int64_t ih, int64_t iw,
                   int64_t nout, int64_t kw, int64_t kh, int64_t dw, int64_t dh,
                   int64_t padw, int64_t padh);

/* ---- im2col / col2im (one sample) ---------------------------------------- */

/* in (C, H, W) -> col (C*kH*kW, oH*oW): col[(c,u,v)][(i,j)] = x[c][i*dH-padH+u][j*dW-padW+v]
 * (0 outside the image).  Overwrites col. */
int nn_im2col(DType dt, const void *in, void *col, const NNConv2d *c);
/* col (C*kH*kW, oH*oW) -> gin (C, H, W): the transpose of im2col; ACCUMULATES
 * (+=) every column entry into the image element it was read from. */
int nn_col2im(DType dt, const void *col, void *gin, const NNConv2d *c);

/* ---- SpatialConvolutionMM ------------------------------------------------ *
 * K = C*kH*kW, P = oH*oW, m = the chunk (1 when c->smallk or N = 1).  The
 * samples go m at a time: their im2col matrices side by side form one
 * (K, m*P) matrix, so each product is ONE GEMM over the chunk (w * cols for
 * the output, w^T * gout for the input gradient, gout * cols^T for the
 * weight gradient) instead of one per sample.  finput holds the columns
 * (of the whole batch when c->stored, else of a chunk) and, when m > 1, the
 * output chunk in GEMM layout (F, m*P); fgradin holds a chunk's column
 * gradients (K, m*P) and, when m > 1, its gradOutput in GEMM layout.  With
 * c->smallk (K <= NN_CONV_SMALL_K) register-blocked loops replace the thin
 * forward and backward-input GEMMs.  Results depend on the shape and c,
 * never on the thread count. */

/* The m the kernels use: 1 with c->smallk, else c->chunk clamped to [1, N]. */
int64_t nn_conv2d_chunk(const NNConv2d *c);
/* Elements of finput: K*S*P (S = N when c->stored, else m) plus F*m*P when
 * m > 1. */
int64_t nn_conv2d_finput_size(const NNConv2d *c);
/* Elements of fgradin: (K + F) * m*P when m > 1, else K*P. */
int64_t nn_conv2d_fgradin_size(const NNConv2d *c);

/* in (N,C,H,W), w (F,C*kH*kW), b (F)|NULL -> out (N,F,oH,oW).  finput ends
 * holding the columns of the whole batch when c->stored (read by
 * nn_conv2d_backward_weight), else of the last chunk. */
int nn_conv2d_forward(DType dt, const void *in, void *out, const void *w,
                      const void *b, void *finput, const NNConv2d *c);
/* Reference: direct 7-loop convolution, no buffer. */
int nn_conv2d_forward_naive(DType dt, const void *in, void *out, const void *w,
                            const void *b, const NNConv2d *c);

/* gout (N,F,oH,oW), w (F,C*kH*kW) -> gin (N,C,H,W), OVERWRITTEN (not
 * accumulated, as Torch).  fgradin is scratch: the column gradients
 * w^T * gout of a chunk, then col2im into gin. */
int nn_conv2d_backward_input(DType dt, const void *gout, void *gin, const void *w,
                             void *fgradin, const NNConv2d *c);
int nn_conv2d_backward_input_naive(DType dt, const void *gout, void *gin,
                                   const void *w, const NNConv2d *c);

/* in (N,C,H,W), gout (N,F,oH,oW) -> gw (F, C*kH*kW) += scale * sum_n
 * gout_n * cols_n^T and gb (F) += scale * sum_{n,i,j} gout[n][f][i][j]
 * (summed in double; gb may be NULL).  ACCUMULATES, like Torch's
 * accGradParameters.  With c->stored the columns are read from finput, which
 * must come from nn_conv2d_forward on the same input (as Torch reads
 * finput); otherwise each chunk is unfolded again from in, into fgradin
 * (scratch).  finput is never modified. */
int nn_conv2d_backward_weight(DType dt, const void *in, const void *gout, void *gw,
                              void *gb, const void *finput, void *fgradin, double scale,
                              const NNConv2d *c);
/* Both halves of a backward pass: nn_conv2d_backward_input (skipped when gin
 * is NULL) then nn_conv2d_backward_weight, with the same arguments and the
 * same results, bit for bit.  When the two share no scratch (c->stored and
 * one sample per GEMM: batch 1 or small-K) they run as two tasks of the
 * thread pool, so with 2 threads the input and weight products of a batch-1
 * step overlap instead of each being cut in two. */
int nn_conv2d_backward(DType dt, const void *in, const void *gout, void *gin, const void *w,
                       void *gw, void *gb, const void *finput, void *fgradin, double scale,
                       const NNConv2d *c);
/* Reference from the input itself (no finput). ACCUMULATES. */
int nn_conv2d_backward_weight_naive(DType dt, const void *in, const void *gout,
                                    void *gw, void *gb, double scale, const NNConv2d *c);

/* ---- SpatialConvolutionMap ----------------------------------------------- *
 * conn: nconn pairs (in plane, out plane), 0-BASED and already range-checked
 * (0 <= in < C, 0 <= out < F); w (nconn, kH, kW): kernel k connects plane
 * conn[2k] to plane conn[2k+1].  No padding (c->padw = c->padh = 0). */

/* in (N,C,H,W), w (K,kH,kW), b (F) -> out (N,F,oH,oW):
 * y[o] = b[o] + sum over connections k into o of validXCorr(x[in_k], w[k]). */
int nn_convmap_forward(DType dt, const void *in, void *out, const void *w,
                       const void *b, const int64_t *conn, int64_t nconn,
                       const NNConv2d *c);
/* gout (N,F,oH,oW) -> gin (N,C,H,W), OVERWRITTEN. */
int nn_convmap_backward_input(DType dt, const void *gout, void *gin, const void *w,
                              const int64_t *conn, int64_t nconn, const NNConv2d *c);
/* gw (K,kH,kW) += scale * correlation of x[in_k] with gout[out_k];
 * gb (F) += scale * sum of gout over (n, i, j) (gb may be NULL). ACCUMULATES. */
int nn_convmap_backward_weight(DType dt, const void *in, const void *gout, void *gw,
                               void *gb, const int64_t *conn, int64_t nconn,
                               double scale, const NNConv2d *c);

#endif
