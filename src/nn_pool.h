/* nn_pool.h: 2-D pooling kernels of nn (SpatialMaxPooling through THNN's
 * SpatialDilatedMaxPooling, SpatialAveragePooling), Float and Double, on
 * contiguous raw arrays.
 *
 * Layouts: in (N, C, H, W) -> out (N, C, oH, oW); a 3-D input is N = 1.
 * Max pooling's indices (N, C, oH, oW) are int64 and 1-BASED flat positions
 * r*W + c + 1 inside the sample's plane, exactly what Torch stores in the
 * module's LongTensor `indices`.  Every kernel takes DT_FLOAT or DT_DOUBLE
 * (else -1 + error) and never allocates. */
#ifndef EMBER_NN_POOL_H
#define EMBER_NN_POOL_H

#include <stdint.h>

#include "dtype.h"

typedef struct NNPool2d {
    int64_t batch, planes;  /* N, C */
    int64_t ih, iw, oh, ow;
    int64_t kw, kh, dw, dh, padw, padh, dilw, dilh;
    int ceil_mode;          /* output size rounded up instead of down */
    int count_include_pad;  /* average pooling: divide by the padded window size */
} NNPool2d;

/* Fills p and computes the output size as THNN does:
 *   oH = floor_or_ceil((float)(H - (dilH*(kH-1)+1) + 2padH) / dH) + 1,
 *   and, when padded, oH -= 1 if (oH-1)*dH >= H + padH (the last window must
 *   start inside the image or its left padding); same for W.
 * Errors (-1, Torch's texts): kernel/stride/dilation <= 0, negative padding,
 * `pad should be smaller than half of kernel size, but got padW = 2, padH = 2,
 * kW = 2, kH = 2`, `Given input size: (1x2x2). Calculated output size:
 * (1x0x0). Output size is too small`. */
int nn_pool2d_init(NNPool2d *p, int64_t batch, int64_t planes, int64_t ih, int64_t iw,
                   int64_t kw, int64_t kh, int64_t dw, int64_t dh, int64_t padw,
                   int64_t padh, int64_t dilw, int64_t dilh, int ceil_mode,
                   int count_include_pad);

/* ---- max pooling (dilated) ------------------------------------------------
 * Window of output (i, j): rows i*dH - padH + a*dilH (a < kH), columns
 * likewise, only those inside the image.  y = max with strict `>` (the first
 * maximum in row-major window order wins) except that a NaN always wins, as
 * in THNN; padding never wins. */

/* in (N,C,H,W) -> out (N,C,oH,oW), ind (N,C,oH,oW) 1-based. */
int nn_maxpool2d_forward(DType dt, const void *in, void *out, int64_t *ind,
                         const NNPool2d *p);
/* Reference: tests every tap of the full window against the image bounds. */
int nn_maxpool2d_forward_naive(DType dt, const void *in, void *out, int64_t *ind,
                               const NNPool2d *p);
/* gout (N,C,oH,oW), ind -> gin (N,C,H,W), OVERWRITTEN: zero except
 * gin[ind] += gout (overlapping windows accumulate).  An index outside
 * 1..H*W is an error (-1, gin partly written). */
int nn_maxpool2d_backward(DType dt, const void *gout, void *gin, const int64_t *ind,
                          const NNPool2d *p);

/* ---- average pooling ------------------------------------------------------
 * Window of output (i, j): rows hstart = i*dH - padH .. hend = min(hstart+kH,
 * H+padH), poolsize = (hend-hstart)*(wend-wstart) before clipping to the
 * image; divisor = poolsize if count_include_pad else the clipped area. */

/* in (N,C,H,W) -> out (N,C,oH,oW) = sum of in-image x / divisor. */
int nn_avgpool2d_forward(DType dt, const void *in, void *out, const NNPool2d *p);
/* Reference: every tap tested against the image and padding bounds. */
int nn_avgpool2d_forward_naive(DType dt, const void *in, void *out, const NNPool2d *p);
/* gout (N,C,oH,oW) -> gin (N,C,H,W), OVERWRITTEN: each gout/divisor is added
 * to every in-image element of its window. */
int nn_avgpool2d_backward(DType dt, const void *gout, void *gin, const NNPool2d *p);
int nn_avgpool2d_backward_naive(DType dt, const void *gout, void *gin, const NNPool2d *p);

#endif
