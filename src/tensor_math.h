/* tensor_math.h: Torch7's tensor math on the one Tensor struct.
 *
 * Conventions (on top of tensor.h's):
 *  - every function returns 0 on success, -1 with th_seterror() on failure,
 *    and leaves its result untouched when it fails on a check;
 *  - `res` arguments are resized to the result's shape (a `res` that already
 *    has that shape keeps its geometry, even when it is a strided view, as in
 *    TH); `res` may be the same object as an input (in-place ops);
 *  - element-wise binary ops need equal element COUNTS, not shapes (TH's rule):
 *    the result takes the first operand's shape and elements pair up in
 *    row-major order;
 *  - scalars arrive as double and are converted to the element type first
 *    (TH's cwrap did the same), so `ByteTensor:add(1.5)` adds 1;
 *  - dims are 0-based.  Tensors holding indices (LongTensor) carry a `base`
 *    argument: the value that means "first" (the Lua binding passes 1);
 *  - functions marked [F] exist only for Float and Double tensors and fail
 *    with an error for the other types; the rest work on all seven types.
 *    Integer division/remainder by zero is an error (TH would raise SIGFPE). */
#ifndef EMBER_TENSOR_MATH_H
#define EMBER_TENSOR_MATH_H

#include "tensor.h"

/* ---- element-wise ------------------------------------------------------ */

typedef enum TMUnary {
    TM_ABS, TM_SIGN,     /* all types (abs of unsigned bytes is the identity) */
    TM_NEG,              /* all types (integer negation wraps) */
    TM_EXP, TM_LOG, TM_LOG1P, TM_SQRT, TM_RSQRT, TM_TANH, TM_SIGMOID,   /* [F] from here */
    TM_SIN, TM_COS, TM_TAN, TM_ASIN, TM_ACOS, TM_ATAN, TM_SINH, TM_COSH,
    TM_CEIL, TM_FLOOR, TM_ROUND, TM_TRUNC, TM_FRAC, TM_CINV,
    TM_UNARY_COUNT
} TMUnary;

/* res = f(src). */
int tensor_unary(Tensor *res, const Tensor *src, TMUnary op);
/* f applied to a plain number (torch.exp(2)), in double precision. */
double tensor_unary_number(double x, TMUnary op);

typedef enum TMScalarOp {
    TM_ADDV,       /* x + v */
    TM_MULV,       /* x * v */
    TM_DIVV,       /* x / v (C integer division for integer types) */
    TM_FMODV,      /* C fmod / C % */
    TM_REMV,       /* Python-style remainder: the sign of v */
    TM_CMAXV,      /* max(x, v) */
    TM_CMINV,      /* min(x, v) */
    TM_POWV,       /* [F] x ^ v */
    TM_TPOWV       /* [F] v ^ x */
} TMScalarOp;

/* res = src op v. */
int tensor_scalar(Tensor *res, const Tensor *src, TMScalarOp op, double v);
/* res = min(max(src, lo), hi). */
int tensor_clamp(Tensor *res, const Tensor *src, double lo, double hi);
/* Every element set to v / to 0 (works on any view, no copies). */
int tensor_fill(Tensor *t, double v);
int tensor_zero(Tensor *t);

typedef enum TMBinary {
    TM_CADD,       /* a + v * b */
    TM_CMUL, TM_CDIV, TM_CPOW, TM_CMAX, TM_CMIN, TM_CFMOD,
    TM_CREM,       /* Python-style remainder */
    TM_ATAN2       /* [F] */
} TMBinary;

/* res = a op b (v is only used by TM_CADD).  a, b: equal element counts. */
int tensor_binary(Tensor *res, const Tensor *a, const Tensor *b, TMBinary op, double v);
/* res = t + v * a * b  /  res = t + v * a / b. */
int tensor_addcmul(Tensor *res, const Tensor *t, double v, const Tensor *a, const Tensor *b);
int tensor_addcdiv(Tensor *res, const Tensor *t, double v, const Tensor *a, const Tensor *b);
/* [F] res = a + w * (b - a). */
int tensor_lerp(Tensor *res, const Tensor *a, const Tensor *b, double w);

/* ---- comparisons ------------------------------------------------------- */

typedef enum TMCompare { TM_LT, TM_LE, TM_GT, TM_GE, TM_EQ, TM_NE } TMCompare;

/* res = (a op v) as 1/0.  res is a ByteTensor or has a's type. */
int tensor_compare_scalar(Tensor *res, const Tensor *a, TMCompare op, double v);
/* res = (a op b) element-wise, equal element counts. */
int tensor_compare(Tensor *res, const Tensor *a, const Tensor *b, TMCompare op);
/* 1 when a and b have the same type, sizes and values, else 0. */
int tensor_equal(const Tensor *a, const Tensor *b);

/* ---- reductions -------------------------------------------------------- */

/* Whole-tensor reductions into *out.  sum/prod/trace accumulate in double for
 * Float/Double and in int64 for the integer types (TH's accreal). */
int tensor_sum_all(const Tensor *t, double *out);
int tensor_prod_all(const Tensor *t, double *out);
int tensor_mean_all(const Tensor *t, double *out);             /* [F] */
int tensor_var_all(const Tensor *t, int biased, double *out);  /* [F] */
int tensor_std_all(const Tensor *t, int biased, double *out);  /* [F] */
/* Largest/smallest element (a NaN wins); error on an empty tensor. */
int tensor_max_all(const Tensor *t, double *out);
int tensor_min_all(const Tensor *t, double *out);
/* [F] p = 0: count of non-zeros; else (sum |x|^p)^(1/p). */
int tensor_norm_all(const Tensor *t, double p, double *out);
/* [F] (sum |a - b|^p)^(1/p), equal element counts. */
int tensor_dist(const Tensor *a, const Tensor *b, double p, double *out);
/* Sum of the main diagonal of a 2-D tensor. */
int tensor_trace(const Tensor *t, double *out);
/* ByteTensor only: all elements non-zero / any element non-zero. */
int tensor_all(const Tensor *t, int *out);
int tensor_any(const Tensor *t, int *out);

/* Reductions along `dim`: res has src's shape with size[dim] = 1. */
int tensor_sum(Tensor *res, const Tensor *src, int dim);
int tensor_prod(Tensor *res, const Tensor *src, int dim);
int tensor_mean(Tensor *res, const Tensor *src, int dim);              /* [F] */
int tensor_var(Tensor *res, const Tensor *src, int dim, int biased);   /* [F] */
int tensor_std(Tensor *res, const Tensor *src, int dim, int biased);   /* [F] */
int tensor_norm(Tensor *res, const Tensor *src, double p, int dim);    /* [F] */
/* vals (src's type) and idx (LongTensor, index of the first extremum + base;
 * a NaN wins) get src's shape with size[dim] = 1. */
int tensor_max(Tensor *vals, Tensor *idx, const Tensor *src, int dim, int64_t base);
int tensor_min(Tensor *vals, Tensor *idx, const Tensor *src, int dim, int64_t base);
/* k-th smallest (k = 1..n) / lower median / most frequent value along dim. */
int tensor_kthvalue(Tensor *vals, Tensor *idx, const Tensor *src, int64_t k, int dim, int64_t base);
int tensor_median(Tensor *vals, Tensor *idx, const Tensor *src, int dim, int64_t base);
int tensor_mode(Tensor *vals, Tensor *idx, const Tensor *src, int dim, int64_t base);
/* Sorted copy along dim, with TH's (unstable) quicksort, so tied values get
 * Torch7's indices. */
int tensor_sort(Tensor *vals, Tensor *idx, const Tensor *src, int dim, int descending, int64_t base);
/* The k (1..n) smallest (largest when `largest`) along dim, in TH's
 * quickselect order, sorted when `sorted`. */
int tensor_topk(Tensor *vals, Tensor *idx, const Tensor *src, int64_t k, int dim, int largest,
                int sorted, int64_t base);
/* Running sum / product along dim (res has src's shape). */
int tensor_cumsum(Tensor *res, const Tensor *src, int dim);
int tensor_cumprod(Tensor *res, const Tensor *src, int dim);
/* [F] Each slice src.select(dim, i) whose p-norm exceeds maxnorm is scaled
 * by maxnorm / (norm + 1e-7); needs >= 2 dims. */
int tensor_renorm(Tensor *res, const Tensor *src, double p, int dim, double maxnorm);
/* [F] res (1-D, nbins) = histogram of src over [lo, hi]; lo == hi means the
 * data range. */
int tensor_histc(Tensor *res, const Tensor *src, int64_t nbins, double lo, double hi);

/* ---- linear algebra (BLAS for Float/Double, plain loops otherwise) ----- */

/* sum a[i]*b[i] (equal element counts). */
int tensor_dot(const Tensor *a, const Tensor *b, double *out);
/* res = beta * t + alpha * mat (n x m) . vec (m). */
int tensor_addmv(Tensor *res, double beta, const Tensor *t, double alpha,
                 const Tensor *mat, const Tensor *vec);
/* res = beta * t + alpha * m1 (n x k) . m2 (k x m). */
int tensor_addmm(Tensor *res, double beta, const Tensor *t, double alpha,
                 const Tensor *m1, const Tensor *m2);
/* res = beta * t + alpha * v1 (n) outer v2 (m). */
int tensor_addr(Tensor *res, double beta, const Tensor *t, double alpha,
                const Tensor *v1, const Tensor *v2);
/* res (n x m) = beta * t + alpha * sum_b b1[b] (n x k) . b2[b] (k x m). */
int tensor_addbmm(Tensor *res, double beta, const Tensor *t, double alpha,
                  const Tensor *b1, const Tensor *b2);
/* res[b] (B x n x m) = beta * t[b] + alpha * b1[b] . b2[b]. */
int tensor_baddbmm(Tensor *res, double beta, const Tensor *t, double alpha,
                   const Tensor *b1, const Tensor *b2);
/* Plain products (res is overwritten; it must not alias an input). */
int tensor_mv(Tensor *res, const Tensor *mat, const Tensor *vec);
int tensor_mm(Tensor *res, const Tensor *m1, const Tensor *m2);
int tensor_ger(Tensor *res, const Tensor *v1, const Tensor *v2);
int tensor_bmm(Tensor *res, const Tensor *b1, const Tensor *b2);

/* ---- shape-building ops ------------------------------------------------- */

/* Cross product along dim (dim < 0: the first dim of size 3). */
int tensor_cross(Tensor *res, const Tensor *a, const Tensor *b, int dim);
/* 1-D src -> square matrix with src on diagonal k; 2-D src -> its k-th
 * diagonal as a 1-D tensor (k > 0 above the main diagonal). */
int tensor_diag(Tensor *res, const Tensor *src, int64_t k);
/* Lower / upper triangle (from diagonal k) of a 2-D src, zeros elsewhere. */
int tensor_tril(Tensor *res, const Tensor *src, int64_t k);
int tensor_triu(Tensor *res, const Tensor *src, int64_t k);
/* Concatenation of n tensors along dim; dim < 0 means the last dim of the
 * input with the most dims.  Empty (0-dim) inputs are skipped. */
int tensor_cat(Tensor *res, Tensor *const *ts, int n, int dim);
/* res (n x m) = identity (m <= 0: m = n). */
int tensor_eye(Tensor *res, int64_t n, int64_t m);
/* res (1-D) = a, a+step, ... up to b (inclusive when reached). */
int tensor_range(Tensor *res, double a, double b, double step);
/* [F] n points from a to b / from 10^a to 10^b. */
int tensor_linspace(Tensor *res, double a, double b, int64_t n);
int tensor_logspace(Tensor *res, double a, double b, int64_t n);

/* ---- indexing ----------------------------------------------------------- */

/* res = src's slices idx[0], idx[1], ... along dim (idx: 1-D LongTensor). */
int tensor_index_select(Tensor *res, const Tensor *src, int dim, const Tensor *idx, int64_t base);
/* dst's slice idx[i] along dim = / += src's slice i; = v. */
int tensor_index_copy(Tensor *dst, int dim, const Tensor *idx, const Tensor *src, int64_t base);
int tensor_index_add(Tensor *dst, int dim, const Tensor *idx, const Tensor *src, int64_t base);
int tensor_index_fill(Tensor *dst, int dim, const Tensor *idx, double v, int64_t base);
/* res[..i..] = src[..idx[..i..]..] along dim; res takes idx's shape. */
int tensor_gather(Tensor *res, const Tensor *src, int dim, const Tensor *idx, int64_t base);
/* dst[..idx[..i..]..] = src[..i..] (src == NULL: the value v). */
int tensor_scatter(Tensor *dst, int dim, const Tensor *idx, const Tensor *src, double v,
                   int64_t base);
/* mask: ByteTensor with the same element count as the other tensor. */
int tensor_masked_select(Tensor *res, const Tensor *src, const Tensor *mask);
int tensor_masked_fill(Tensor *dst, const Tensor *mask, double v);
int tensor_masked_copy(Tensor *dst, const Tensor *mask, const Tensor *src);
/* res (LongTensor, count x ndim) = indices (+ base) of the non-zeros. */
int tensor_nonzero(Tensor *res, const Tensor *src, int64_t base);

/* ---- convolution (2-D, Float/Double) ------------------------------------ */

/* res = full ('F') or valid ('V') 2-D convolution / cross-correlation:
 * x (H,W) with k (kH,kW) -> (oH,oW); x (P,H,W) with k (P,kH,kW) -> plane by
 * plane (P,oH,oW); x (P,H,W) with k (O,P,kH,kW) -> (O,oH,oW), each output
 * plane the sum over the input planes.  Float/Double only. */
int tensor_conv2(Tensor *res, const Tensor *x, const Tensor *k, char type, int xcorr);

/* The same in 3-D: x (D,H,W) with k (kD,kH,kW) -> (oD,oH,oW). */
int tensor_conv3(Tensor *res, const Tensor *x, const Tensor *k, char type, int xcorr);

#endif
