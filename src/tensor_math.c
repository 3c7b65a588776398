/* tensor_math.c: Torch7's tensor math (see tensor_math.h for the contract).
 *
 * The typed loops live in tensor_math_impl.h, included once per element
 * type below.  This file does the type-independent work: argument checks,
 * making operands contiguous (or walking a strided view row by row), result
 * allocation, and one `switch (dtype)` per call to pick the typed loop. */
#include "tensor_math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "error.h"
#include "nn_act.h"

/* ==== typed kernels ====================================================== */

#define ACCREAL int64_t
#define TM_FLOAT 0
#define TM_UNSIGNED 1
#define REAL uint8_t
#define SFX(n) n##_u8
#include "tensor_math_impl.h"
#undef REAL
#undef SFX
#undef TM_UNSIGNED
#define TM_UNSIGNED 0
#define REAL int8_t
#define SFX(n) n##_i8
#include "tensor_math_impl.h"
#undef REAL
#undef SFX
#define REAL int16_t
#define SFX(n) n##_i16
#include "tensor_math_impl.h"
#undef REAL
#undef SFX
#define REAL int32_t
#define SFX(n) n##_i32
#include "tensor_math_impl.h"
#undef REAL
#undef SFX
#define REAL int64_t
#define SFX(n) n##_i64
#include "tensor_math_impl.h"
#undef REAL
#undef SFX
#undef ACCREAL
#undef TM_FLOAT

#define ACCREAL double
#define TM_FLOAT 1
#define REAL float
#define SFX(n) n##_f32
#define TM_F(fn) fn##f
#include "tensor_math_impl.h"
#undef REAL
#undef SFX
#undef TM_F
#define REAL double
#define SFX(n) n##_f64
#define TM_F(fn) fn
#include "tensor_math_impl.h"
#undef REAL
#undef SFX
#undef TM_F
#undef ACCREAL
#undef TM_FLOAT
#undef TM_UNSIGNED

/* ==== helpers ============================================================= */

static int need_floating(const Tensor *t, const char *fn)
{
    if (dtype_is_floating(t->dtype)) return 0;
    return th_seterror("%s: only defined for Float and Double tensors, got a %sTensor", fn,
                       dtype_name(t->dtype));
}

static int same_type(const Tensor *a, const Tensor *b, const char *fn)
{
    if (a->dtype == b->dtype) return 0;
    return th_seterror("%s: expected a %sTensor, got a %sTensor", fn, dtype_name(a->dtype),
                       dtype_name(b->dtype));
}

static int check_dim(const Tensor *t, int dim, const char *fn)
{
    if (dim >= 0 && dim < t->ndim) return 0;
    return th_seterror("%s: dimension %d out of range of %dD tensor", fn, dim + 1, t->ndim);
}

/* The element-count rule of TH's apply macros, with its message. */
static int check_count2(const Tensor *a, const Tensor *b)
{
    if (tensor_nelement(a) == tensor_nelement(b)) return 0;
    char sa[128], sb[128];
    return th_seterror("inconsistent tensor size, expected tensor [%s] and src [%s] to have the "
                       "same number of elements, but got %lld and %lld elements respectively",
                       tensor_size_string(a, sa, sizeof sa), tensor_size_string(b, sb, sizeof sb),
                       (long long)tensor_nelement(a), (long long)tensor_nelement(b));
}

static int has_shape(const Tensor *t, int ndim, const int64_t *size)
{
    if (t->ndim != ndim) return 0;
    for (int i = 0; i < ndim; i++)
        if (t->size[i] != size[i]) return 0;
    return 1;
}

/* TH's resizeAs: a tensor that already has the shape keeps its geometry. */
static int resize_to(Tensor *t, int ndim, const int64_t *size)
{
    return has_shape(t, ndim, size) ? 0 : tensor_resize(t, ndim, size);
}

static int64_t prod_sizes(const int64_t *size, int from, int to)
{
    int64_t p = 1;
    for (int i = from; i < to; i++) p *= size[i];
    return p;
}

/* Element-wise operands.  Inputs are made contiguous first (a copy when
 * strided), so an input that is also the result is read before being
 * written.  The kernel writes `out`: the result itself when it is
 * contiguous and of the kernel's type, else a temporary copied back into the
 * result by ew_end (this is how results that are strided views, or
 * comparisons written into a non-Byte result, work). */
typedef struct Ew {
    Tensor *res;
    Tensor *out;
    Tensor *in[3];
    int64_t n;
} Ew;

static void ew_release(Ew *e)
{
    for (int i = 0; i < 3; i++) tensor_release(e->in[i]);
    if (e->out != e->res) tensor_release(e->out);
}

static int ew_begin(Ew *e, Tensor *res, int ndim, const int64_t *size, DType out_dt,
                    const Tensor *a, const Tensor *b, const Tensor *c)
{
    const Tensor *ins[3] = {a, b, c};
    memset(e, 0, sizeof *e);
    e->res = res;
    e->out = res;
    for (int i = 0; i < 3; i++) {
        if (!ins[i]) continue;
        e->in[i] = tensor_contiguous((Tensor *)ins[i]);
        if (!e->in[i]) { ew_release(e); return -1; }
    }
    if (resize_to(res, ndim, size)) { ew_release(e); return -1; }
    e->n = tensor_nelement(res);
    if (res->dtype != out_dt || !tensor_is_contiguous(res) || (e->n > 0 && !res->storage)) {
        e->out = tensor_new_sized(out_dt, ndim, size);
        if (!e->out) { e->out = res; ew_release(e); return -1; }
    }
    return 0;
}

/* rc: the kernel's status; on success copies a temporary back. */
static int ew_end(Ew *e, int rc)
{
    if (rc == 0 && e->out != e->res) rc = tensor_copy(e->res, e->out);
    ew_release(e);
    return rc;
}

static void *din(const Ew *e, int i) { return tensor_data(e->in[i]); }
static void *dout(const Ew *e) { return tensor_data(e->out); }

/* ==== element-wise ======================================================== */

static int unary_kernel(DType dt, void *y, const void *x, int64_t n, TMUnary op)
{
    /* tanh of Float/Double: nn's vectorised kernel returns libm's bits
     * (tanhf / tanh, as TH's loop), ~10x faster; y == x is allowed there */
    if (op == TM_TANH && (dt == DT_FLOAT || dt == DT_DOUBLE)) return nn_tanh_forward(dt, x, y, n);
    switch (dt) {
#define X(DT, T, S) case DT: unary_##S((T *)y, (const T *)x, n, op); return 0;
        DTYPE_FOREACH(X)
#undef X
    default: return th_seterror("unsupported tensor type");
    }
}

static const char *const unary_names[TM_UNARY_COUNT] = {
    "abs", "sign", "neg", "exp", "log", "log1p", "sqrt", "rsqrt", "tanh", "sigmoid", "sin",
    "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "ceil", "floor", "round", "trunc",
    "frac", "cinv"};

/* One kernel call over n contiguous elements: y from x[0], x[1], x[2];
 * dt is the type of the inputs (the kernels dispatch on it). */
typedef int (*EwFn)(DType dt, void *y, void *const *x, int64_t n, const void *arg);

/* Runs fn element-wise: res (resized to shape's shape, of type out_dt) from
 * the inputs a, b, c (b, c may be NULL).  Three strategies, fastest first:
 *  1. everything contiguous: one call over all elements;
 *  2. all operands of the same shape with a dense innermost dim (narrows,
 *     sub-matrices): one call per row, no copies;
 *  3. otherwise contiguous copies through Ew (strided results are written
 *     back, inputs that alias the result are read before it is written). */
static int ew_run(Tensor *res, const Tensor *shape, DType out_dt, const Tensor *a, const Tensor *b,
                  const Tensor *c, EwFn fn, const void *arg)
{
    const Tensor *ins[3] = {a, b, c};
    int nin = c ? 3 : b ? 2 : 1, nd = shape->ndim;
    int has = has_shape(res, nd, shape->size);
    int is_input = res == a || res == b || res == c;
    if (res->dtype == out_dt && (has || !is_input)) {
        if (!has && tensor_resize(res, nd, shape->size)) return -1;
        int64_t n = tensor_nelement(res);
        if (n == 0) return 0;
        void *xs[3] = {NULL, NULL, NULL};
        int contig = tensor_is_contiguous(res);
        for (int k = 0; k < nin; k++) {
            contig &= tensor_is_contiguous(ins[k]);
            xs[k] = tensor_data(ins[k]);
        }
        if (contig) return fn(a->dtype, tensor_data(res), xs, n, arg);
        int rows = nd >= 1 && (res->stride[nd - 1] == 1 || shape->size[nd - 1] == 1);
        for (int k = 0; rows && k < nin; k++)
            rows = has_shape(ins[k], nd, shape->size) &&
                   (ins[k]->stride[nd - 1] == 1 || shape->size[nd - 1] == 1);
        if (rows) {
            int64_t len = shape->size[nd - 1], nrows = n / len, idx[TENSOR_MAXDIM] = {0};
            int64_t off[4] = {0, 0, 0, 0};   /* res, then the inputs, in elements */
            const Tensor *ts[4] = {res, a, b, c};
            size_t eo = dtype_size(out_dt), ei = dtype_size(a->dtype);
            char *base[4] = {tensor_data(res), xs[0], xs[1], xs[2]};
            int rc = 0;
            for (int64_t r = 0; r < nrows && rc == 0; r++) {
                void *px[3];
                for (int k = 0; k < nin; k++) px[k] = base[k + 1] + off[k + 1] * (int64_t)ei;
                rc = fn(a->dtype, base[0] + off[0] * (int64_t)eo, px, len, arg);
                for (int d = nd - 2; d >= 0; d--) {
                    for (int k = 0; k <= nin; k++) off[k] += ts[k]->stride[d];
                    if (++idx[d] < shape->size[d]) break;
                    for (int k = 0; k <= nin; k++) off[k] -= ts[k]->stride[d] * shape->size[d];
                    idx[d] = 0;
                }
            }
            return rc;
        }
    }
    Ew e;
    if (ew_begin(&e, res, nd, shape->size, out_dt, a, b, c)) return -1;
    void *xs[3] = {din(&e, 0), b ? din(&e, 1) : NULL, c ? din(&e, 2) : NULL};
    return ew_end(&e, e.n ? fn(a->dtype, dout(&e), xs, e.n, arg) : 0);
}

static int k_unary(DType dt, void *y, void *const *x, int64_t n, const void *arg)
{
    return unary_kernel(dt, y, x[0], n, *(const TMUnary *)arg);
}

int tensor_unary(Tensor *res, const Tensor *src, TMUnary op)
{
    if (op < 0 || op >= TM_UNARY_COUNT) return th_seterror("unknown unary op");
    if (op >= TM_EXP && need_floating(src, unary_names[op])) return -1;
    if (same_type(src, res, unary_names[op])) return -1;
    return ew_run(res, src, src->dtype, src, NULL, NULL, k_unary, &op);
}

double tensor_unary_number(double x, TMUnary op)
{
    switch (op) {
    case TM_ABS: return fabs(x);
    case TM_SIGN: return x > 0 ? 1 : (x < 0 ? -1 : 0);
    case TM_NEG: return -x;
    case TM_EXP: return exp(x);
    case TM_LOG: return log(x);
    case TM_LOG1P: return log1p(x);
    case TM_SQRT: return sqrt(x);
    case TM_RSQRT: return 1 / sqrt(x);
    case TM_TANH: return tanh(x);
    case TM_SIGMOID: return 1 / (1 + exp(-x));
    case TM_SIN: return sin(x);
    case TM_COS: return cos(x);
    case TM_TAN: return tan(x);
    case TM_ASIN: return asin(x);
    case TM_ACOS: return acos(x);
    case TM_ATAN: return atan(x);
    case TM_SINH: return sinh(x);
    case TM_COSH: return cosh(x);
    case TM_CEIL: return ceil(x);
    case TM_FLOOR: return floor(x);
    case TM_ROUND: return round(x);
    case TM_TRUNC: return trunc(x);
    case TM_FRAC: return x - trunc(x);
    case TM_CINV: return 1 / x;
    default: return x;
    }
}

static int scalar_kernel(DType dt, void *y, const void *x, int64_t n, TMScalarOp op, double v)
{
    switch (dt) {
#define X(DT, T, S) case DT: return scalar_##S((T *)y, (const T *)x, n, op, cv_##S(v));
        DTYPE_FOREACH(X)
#undef X
    default: return th_seterror("unsupported tensor type");
    }
}

typedef struct { TMScalarOp op; double v; } ScalarArg;
static int k_scalar(DType dt, void *y, void *const *x, int64_t n, const void *arg)
{
    const ScalarArg *a = arg;
    return scalar_kernel(dt, y, x[0], n, a->op, a->v);
}

int tensor_scalar(Tensor *res, const Tensor *src, TMScalarOp op, double v)
{
    if ((op == TM_POWV || op == TM_TPOWV) && need_floating(src, "pow")) return -1;
    if (same_type(src, res, "scalar op")) return -1;
    ScalarArg a = {op, v};
    return ew_run(res, src, src->dtype, src, NULL, NULL, k_scalar, &a);
}

typedef struct { double lo, hi; } ClampArg;
static int k_clamp(DType dt, void *y, void *const *x, int64_t n, const void *arg)
{
    const ClampArg *a = arg;
    switch (dt) {
#define X(DT, T, S) case DT: clamp_##S(y, x[0], n, cv_##S(a->lo), cv_##S(a->hi)); break;
        DTYPE_FOREACH(X)
#undef X
    default: break;
    }
    return 0;
}

int tensor_clamp(Tensor *res, const Tensor *src, double lo, double hi)
{
    if (same_type(src, res, "clamp")) return -1;
    ClampArg a = {lo, hi};
    return ew_run(res, src, src->dtype, src, NULL, NULL, k_clamp, &a);
}

int tensor_fill(Tensor *t, double v)
{
    int64_t n = tensor_nelement(t);
    if (n == 0) return 0;
    TensorRows r = tensor_rows_info(t);
    char *base = tensor_data(t);
    size_t es = dtype_size(t->dtype);
    for (int64_t i = 0; i < r.nrows; i++) {
        void *p = base + tensor_row_offset(t, i) * (int64_t)es;
        switch (t->dtype) {
#define X(DT, T, S) case DT: fill_##S(p, r.row_len, r.row_stride, cv_##S(v)); break;
            DTYPE_FOREACH(X)
#undef X
        default: break;
        }
    }
    return 0;
}

int tensor_zero(Tensor *t) { return tensor_fill(t, 0); }

typedef struct { TMBinary op; double v; } BinArg;
static int k_binary(DType dt, void *y, void *const *x, int64_t n, const void *arg)
{
    const BinArg *a = arg;
    switch (dt) {
#define X(DT, T, S) case DT: return binary_##S(y, x[0], x[1], n, a->op, cv_##S(a->v));
        DTYPE_FOREACH(X)
#undef X
    default: return 0;
    }
}

int tensor_binary(Tensor *res, const Tensor *a, const Tensor *b, TMBinary op, double v)
{
    if (same_type(a, b, "element-wise op") || same_type(a, res, "element-wise op")) return -1;
    if (op == TM_ATAN2 && need_floating(a, "atan2")) return -1;
    if (check_count2(a, b)) return -1;
    DType dt = a->dtype;
    /* TH's cadd: in place on contiguous data goes through BLAS axpy */
    if (op == TM_CADD && res == a && dtype_is_floating(dt) && tensor_is_contiguous(a) &&
        tensor_is_contiguous(b) && v != 1) {
        blas_axpy(dt, tensor_nelement(a), v, tensor_data(b), 1, tensor_data(res), 1);
        return 0;
    }
    BinArg arg = {op, v};
    return ew_run(res, a, dt, a, b, NULL, k_binary, &arg);
}

typedef struct { double v; int mul; } AddcArg;
static int k_addc(DType dt, void *y, void *const *x, int64_t n, const void *arg)
{
    const AddcArg *a = arg;
    switch (dt) {
#define X(DT, T, S) case DT: return addcmul_##S(y, x[0], x[1], x[2], n, cv_##S(a->v), a->mul);
        DTYPE_FOREACH(X)
#undef X
    default: return 0;
    }
}

static int addc(Tensor *res, const Tensor *t, double v, const Tensor *a, const Tensor *b, int mul)
{
    const char *fn = mul ? "addcmul" : "addcdiv";
    if (same_type(t, a, fn) || same_type(t, b, fn) || same_type(t, res, fn)) return -1;
    if (check_count2(t, a) || check_count2(a, b)) return -1;
    AddcArg arg = {v, mul};
    return ew_run(res, t, t->dtype, t, a, b, k_addc, &arg);
}

int tensor_addcmul(Tensor *res, const Tensor *t, double v, const Tensor *a, const Tensor *b)
{
    return addc(res, t, v, a, b, 1);
}

int tensor_addcdiv(Tensor *res, const Tensor *t, double v, const Tensor *a, const Tensor *b)
{
    return addc(res, t, v, a, b, 0);
}

static int k_lerp(DType dt, void *y, void *const *x, int64_t n, const void *arg)
{
    double w = *(const double *)arg;
    if (dt == DT_FLOAT) lerp_f32(y, x[0], x[1], n, (float)w);
    else lerp_f64(y, x[0], x[1], n, w);
    return 0;
}

int tensor_lerp(Tensor *res, const Tensor *a, const Tensor *b, double w)
{
    if (need_floating(a, "lerp") || same_type(a, b, "lerp") || same_type(a, res, "lerp"))
        return -1;
    if (check_count2(a, b)) return -1;
    return ew_run(res, a, a->dtype, a, b, NULL, k_lerp, &w);
}

/* ==== comparisons ========================================================== */

static int cmp_result_ok(const Tensor *res, const Tensor *a)
{
    if (res->dtype == DT_BYTE || res->dtype == a->dtype) return 0;
    return th_seterror("comparison result must be a ByteTensor or a %sTensor, got a %sTensor",
                       dtype_name(a->dtype), dtype_name(res->dtype));
}

typedef struct { TMCompare op; double v; } CmpArg;
static int k_cmp_scalar(DType dt, void *y, void *const *x, int64_t n, const void *arg)
{
    const CmpArg *a = arg;
    switch (dt) {
#define X(DT, T, S) case DT: cmp_scalar_##S(y, x[0], n, a->op, cv_##S(a->v)); break;
        DTYPE_FOREACH(X)
#undef X
    default: break;
    }
    return 0;
}

static int k_cmp(DType dt, void *y, void *const *x, int64_t n, const void *arg)
{
    const CmpArg *a = arg;
    switch (dt) {
#define X(DT, T, S) case DT: cmp_##S(y, x[0], x[1], n, a->op); break;
        DTYPE_FOREACH(X)
#undef X
    default: break;
    }
    return 0;
}

/* A result of a's own type goes through a Byte temporary (ew_run strategy 3). */
int tensor_compare_scalar(Tensor *res, const Tensor *a, TMCompare op, double v)
{
    if (cmp_result_ok(res, a)) return -1;
    CmpArg arg = {op, v};
    return ew_run(res, a, DT_BYTE, a, NULL, NULL, k_cmp_scalar, &arg);
}

int tensor_compare(Tensor *res, const Tensor *a, const Tensor *b, TMCompare op)
{
    if (cmp_result_ok(res, a) || same_type(a, b, "comparison") || check_count2(a, b)) return -1;
    CmpArg arg = {op, 0};
    return ew_run(res, a, DT_BYTE, a, b, NULL, k_cmp, &arg);
}

int tensor_equal(const Tensor *a, const Tensor *b)
{
    if (a->dtype != b->dtype || !tensor_is_same_size(a, b)) return 0;
    int64_t n = tensor_nelement(a);
    if (n == 0) return 1;
    Tensor *m = tensor_new(DT_BYTE);
    int eq = 0;
    if (m && tensor_compare(m, a, b, TM_NE) == 0) {
        const uint8_t *p = tensor_data(m);
        eq = 1;
        for (int64_t i = 0; i < n && eq; i++) eq = !p[i];
    }
    tensor_release(m);
    return eq;
}

/* ==== whole-tensor reductions ============================================= */

/* Walks t row by row (row-major order, TH's apply order), calling fn on each
 * strided row. */
typedef void (*RowFn)(const Tensor *t, const void *row, int64_t n, int64_t st, void *state);
static void walk_rows(const Tensor *t, RowFn fn, void *state)
{
    if (tensor_nelement(t) == 0) return;
    TensorRows r = tensor_rows_info(t);
    const char *base = tensor_data(t);
    size_t es = dtype_size(t->dtype);
    for (int64_t i = 0; i < r.nrows; i++)
        fn(t, base + tensor_row_offset(t, i) * (int64_t)es, r.row_len, r.row_stride, state);
}


typedef struct { int64_t i; double d; int prod; } SumState;
static void sum_row(const Tensor *t, const void *p, int64_t n, int64_t st, void *state)
{
    SumState *s = state;
    switch (t->dtype) {
    case DT_BYTE: (s->prod ? row_prod_u8 : row_sum_u8)(p, n, st, &s->i); break;
    case DT_CHAR: (s->prod ? row_prod_i8 : row_sum_i8)(p, n, st, &s->i); break;
    case DT_SHORT: (s->prod ? row_prod_i16 : row_sum_i16)(p, n, st, &s->i); break;
    case DT_INT: (s->prod ? row_prod_i32 : row_sum_i32)(p, n, st, &s->i); break;
    case DT_LONG: (s->prod ? row_prod_i64 : row_sum_i64)(p, n, st, &s->i); break;
    case DT_FLOAT: (s->prod ? row_prod_f32 : row_sum_f32)(p, n, st, &s->d); break;
    case DT_DOUBLE: (s->prod ? row_prod_f64 : row_sum_f64)(p, n, st, &s->d); break;
    default: break;
    }
}

static double sum_or_prod(const Tensor *t, int prod)
{
    SumState s = {prod, prod, prod};
    walk_rows(t, sum_row, &s);
    return dtype_is_floating(t->dtype) ? s.d : (double)s.i;
}

int tensor_sum_all(const Tensor *t, double *out)
{
    *out = sum_or_prod(t, 0);
    return 0;
}

int tensor_prod_all(const Tensor *t, double *out)
{
    *out = sum_or_prod(t, 1);
    return 0;
}

int tensor_mean_all(const Tensor *t, double *out)
{
    if (need_floating(t, "mean")) return -1;
    if (tensor_nelement(t) == 0) return th_seterror("mean: empty Tensor");
    /* TH: sumall / nElement */
    *out = sum_or_prod(t, 0) / (double)tensor_nelement(t);
    return 0;
}

typedef struct { double mean, acc; } DevState;
static void sqdev_row(const Tensor *t, const void *p, int64_t n, int64_t st, void *state)
{
    DevState *s = state;
    if (t->dtype == DT_FLOAT) row_sqdev_f32(p, n, st, s->mean, &s->acc);
    else row_sqdev_f64(p, n, st, s->mean, &s->acc);
}

int tensor_var_all(const Tensor *t, int biased, double *out)
{
    if (need_floating(t, "var")) return -1;
    if (tensor_nelement(t) == 0) return th_seterror("var: empty Tensor");
    int64_t n = tensor_nelement(t);
    DevState s = {sum_or_prod(t, 0) / (double)n, 0};
    walk_rows(t, sqdev_row, &s);
    *out = s.acc / (double)(n - (biased ? 0 : 1));
    return 0;
}

int tensor_std_all(const Tensor *t, int biased, double *out)
{
    if (tensor_var_all(t, biased, out)) return -1;
    *out = sqrt(*out);
    return 0;
}

typedef struct { int ismax, stop; double best; } ExtState;
static void ext_row(const Tensor *t, const void *p, int64_t n, int64_t st, void *state)
{
    ExtState *s = state;
    switch (t->dtype) {
#define X(DT, T, S) case DT: { T b = (T)s->best; row_extremum_##S(p, n, st, s->ismax, &b, &s->stop); s->best = (double)b; break; }
        DTYPE_FOREACH(X)
#undef X
    default: break;
    }
}

static int extremum_all(const Tensor *t, int ismax, double *out)
{
    if (tensor_nelement(t) == 0)
        return th_seterror("%s: tensor must have one dimension (got an empty tensor)",
                           ismax ? "max" : "min");
    ExtState s = {ismax, 0, tensor_get_flat(t, 0)};
    walk_rows(t, ext_row, &s);
    *out = s.best;
    return 0;
}

int tensor_max_all(const Tensor *t, double *out) { return extremum_all(t, 1, out); }
int tensor_min_all(const Tensor *t, double *out) { return extremum_all(t, 0, out); }

typedef struct { double p, acc; } NormState;
static void norm_row(const Tensor *t, const void *p, int64_t n, int64_t st, void *state)
{
    NormState *s = state;
    if (t->dtype == DT_FLOAT) row_norm_f32(p, n, st, s->p, &s->acc);
    else row_norm_f64(p, n, st, s->p, &s->acc);
}

int tensor_norm_all(const Tensor *t, double p, double *out)
{
    if (need_floating(t, "norm")) return -1;
    NormState s = {p, 0};
    walk_rows(t, norm_row, &s);
    if (p == 0 || p == 1) *out = s.acc;
    else if (p == 2) *out = sqrt(s.acc);
    else if (t->dtype == DT_FLOAT) *out = powf((float)s.acc, (float)(1.0 / (float)p));
    else *out = pow(s.acc, 1.0 / p);
    return 0;
}

int tensor_dist(const Tensor *a, const Tensor *b, double p, double *out)
{
    if (need_floating(a, "dist") || same_type(a, b, "dist") || check_count2(a, b)) return -1;
    Tensor *ca = tensor_contiguous((Tensor *)a), *cb = tensor_contiguous((Tensor *)b);
    int rc = -1;
    if (ca && cb) {
        double acc = 0;
        int64_t n = tensor_nelement(a);
        if (a->dtype == DT_FLOAT) {
            dist_f32(tensor_data(ca), tensor_data(cb), n, p, &acc);
            *out = powf((float)acc, (float)(1.0 / (float)p));
        } else {
            dist_f64(tensor_data(ca), tensor_data(cb), n, p, &acc);
            *out = pow(acc, 1.0 / p);
        }
        rc = 0;
    }
    tensor_release(ca);
    tensor_release(cb);
    return rc;
}

int tensor_trace(const Tensor *t, double *out)
{
    if (t->ndim != 2) return th_seterror("trace: expected a matrix, got a %dD tensor", t->ndim);
    Tensor *d = tensor_new(t->dtype);
    if (!d) return -1;
    int rc = tensor_diag(d, t, 0);
    if (rc == 0) rc = tensor_sum_all(d, out);
    tensor_release(d);
    return rc;
}

static int all_any(const Tensor *t, int *out, int any)
{
    if (t->dtype != DT_BYTE)
        return th_seterror("%s: only defined for ByteTensor, got a %sTensor", any ? "any" : "all",
                           dtype_name(t->dtype));
    if (tensor_nelement(t) == 0) return th_seterror("%s: empty Tensor", any ? "any" : "all");
    Tensor *c = tensor_contiguous((Tensor *)t);
    if (!c) return -1;
    const uint8_t *p = tensor_data(c);
    int64_t n = tensor_nelement(c);
    int r = !any;
    for (int64_t i = 0; i < n; i++)
        if ((p[i] != 0) == any) { r = any; break; }
    tensor_release(c);
    *out = r;
    return 0;
}

int tensor_all(const Tensor *t, int *out) { return all_any(t, out, 0); }
int tensor_any(const Tensor *t, int *out) { return all_any(t, out, 1); }

/* ==== reductions along a dim ================================================ */

/* A reduction's operands: src made contiguous and seen as (outer, n, inner);
 * output shape = src's with size[dim] = kout. */
typedef struct Red {
    Ew e;
    int64_t outer, n, inner;
    int ndim;
    int64_t size[TENSOR_MAXDIM];
} Red;

static int red_begin(Red *r, Tensor *res, const Tensor *src, int dim, int64_t kout, DType out_dt,
                     const char *fn)
{
    if (check_dim(src, dim, fn)) return -1;
    r->ndim = src->ndim;
    memcpy(r->size, src->size, sizeof r->size);
    r->size[dim] = kout;
    r->outer = prod_sizes(src->size, 0, dim);
    r->n = src->size[dim];
    r->inner = prod_sizes(src->size, dim + 1, src->ndim);
    return ew_begin(&r->e, res, r->ndim, r->size, out_dt, src, NULL, NULL);
}

/* The LongTensor of indices that goes with a values result. */
static int idx_begin(Ew *e, Tensor *idx, const Red *r)
{
    if (idx->dtype != DT_LONG)
        return th_seterror("indices must be a LongTensor, got a %sTensor", dtype_name(idx->dtype));
    return ew_begin(e, idx, r->ndim, r->size, DT_LONG, NULL, NULL, NULL);
}

/* A scratch array of at least n 8-byte accumulators. */
static void *scratch(int64_t n)
{
    void *p = malloc((size_t)(n > 0 ? n : 1) * 8);
    if (!p) th_seterror("out of memory");
    return p;
}

static int sum_prod_dim(Tensor *res, const Tensor *src, int dim, int prod)
{
    const char *fn = prod ? "prod" : "sum";
    if (same_type(src, res, fn)) return -1;
    Red r;
    if (red_begin(&r, res, src, dim, 1, src->dtype, fn)) return -1;
    /* TH summed in accreal only when the reduced dim had unit stride */
    int real_acc = src->stride[dim] != 1;
    void *acc = scratch(r.inner);
    if (!acc) return ew_end(&r.e, -1);
    switch (src->dtype) {
#define X(DT, T, S) case DT: dim_sum_##S(dout(&r.e), din(&r.e, 0), r.outer, r.n, r.inner, acc, prod, real_acc); break;
        DTYPE_FOREACH(X)
#undef X
    default: break;
    }
    free(acc);
    return ew_end(&r.e, 0);
}

int tensor_sum(Tensor *res, const Tensor *src, int dim) { return sum_prod_dim(res, src, dim, 0); }
int tensor_prod(Tensor *res, const Tensor *src, int dim) { return sum_prod_dim(res, src, dim, 1); }

int tensor_mean(Tensor *res, const Tensor *src, int dim)
{
    if (need_floating(src, "mean") || same_type(src, res, "mean")) return -1;
    Red r;
    if (red_begin(&r, res, src, dim, 1, src->dtype, "mean")) return -1;
    void *acc = scratch(r.inner);
    if (!acc) return ew_end(&r.e, -1);
    int real_acc = src->stride[dim] != 1;   /* as in tensor_sum */
    if (src->dtype == DT_FLOAT) dim_mean_f32(dout(&r.e), din(&r.e, 0), r.outer, r.n, r.inner, acc, real_acc);
    else dim_mean_f64(dout(&r.e), din(&r.e, 0), r.outer, r.n, r.inner, acc, real_acc);
    free(acc);
    return ew_end(&r.e, 0);
}

static int var_dim(Tensor *res, const Tensor *src, int dim, int biased, int take_sqrt)
{
    const char *fn = take_sqrt ? "std" : "var";
    if (need_floating(src, fn) || same_type(src, res, fn)) return -1;
    Red r;
    if (red_begin(&r, res, src, dim, 1, src->dtype, fn)) return -1;
    double *acc = scratch(2 * r.inner);
    if (!acc) return ew_end(&r.e, -1);
    if (src->dtype == DT_FLOAT)
        dim_var_f32(dout(&r.e), din(&r.e, 0), r.outer, r.n, r.inner, acc, acc + r.inner, biased, take_sqrt);
    else
        dim_var_f64(dout(&r.e), din(&r.e, 0), r.outer, r.n, r.inner, acc, acc + r.inner, biased, take_sqrt);
    free(acc);
    return ew_end(&r.e, 0);
}

int tensor_var(Tensor *res, const Tensor *src, int dim, int biased) { return var_dim(res, src, dim, biased, 0); }
int tensor_std(Tensor *res, const Tensor *src, int dim, int biased) { return var_dim(res, src, dim, biased, 1); }

int tensor_norm(Tensor *res, const Tensor *src, double p, int dim)
{
    if (need_floating(src, "norm") || same_type(src, res, "norm")) return -1;
    Red r;
    if (red_begin(&r, res, src, dim, 1, src->dtype, "norm")) return -1;
    double *acc = scratch(r.inner);
    if (!acc) return ew_end(&r.e, -1);
    if (src->dtype == DT_FLOAT) dim_norm_f32(dout(&r.e), din(&r.e, 0), r.outer, r.n, r.inner, acc, p);
    else dim_norm_f64(dout(&r.e), din(&r.e, 0), r.outer, r.n, r.inner, acc, p);
    free(acc);
    return ew_end(&r.e, 0);
}

/* Values + indices reductions: mode 'x' max, 'n' min, 's' sort, 't' topk,
 * 'k' kthvalue, 'm' mode (see dim_sort). */
static int vi_dim(Tensor *vals, Tensor *idx, const Tensor *src, int dim, int64_t kout, int desc,
                  int64_t k, int sorted, char mode, int64_t base, const char *fn)
{
    if (same_type(src, vals, fn)) return -1;
    if (vals == idx) return th_seterror("%s: values and indices must be different tensors", fn);
    if (src->ndim > 0 && dim >= 0 && dim < src->ndim && src->size[dim] == 0)
        return th_seterror("%s: cannot reduce an empty dimension", fn);
    Red r;
    Ew ei;
    if (red_begin(&r, vals, src, dim, kout, src->dtype, fn)) return -1;
    if (idx_begin(&ei, idx, &r)) return ew_end(&r.e, -1);
    int rc = 0;
    int64_t *yi = dout(&ei);
    if (mode == 'x' || mode == 'n') {
        switch (src->dtype) {
#define X(DT, T, S) case DT: dim_extremum_##S(dout(&r.e), yi, din(&r.e, 0), r.outer, r.n, r.inner, mode == 'x', base); break;
            DTYPE_FOREACH(X)
#undef X
        default: break;
        }
    } else {
        switch (src->dtype) {
#define X(DT, T, S) case DT: rc = dim_sort_##S(dout(&r.e), yi, din(&r.e, 0), r.outer, r.n, r.inner, mode, desc, k, sorted, base); break;
            DTYPE_FOREACH(X)
#undef X
        default: break;
        }
    }
    rc = ew_end(&ei, rc);
    return ew_end(&r.e, rc);
}

int tensor_max(Tensor *vals, Tensor *idx, const Tensor *src, int dim, int64_t base)
{
    return vi_dim(vals, idx, src, dim, 1, 0, 0, 0, 'x', base, "max");
}

int tensor_min(Tensor *vals, Tensor *idx, const Tensor *src, int dim, int64_t base)
{
    return vi_dim(vals, idx, src, dim, 1, 0, 0, 0, 'n', base, "min");
}

int tensor_kthvalue(Tensor *vals, Tensor *idx, const Tensor *src, int64_t k, int dim, int64_t base)
{
    if (check_dim(src, dim, "kthvalue")) return -1;
    if (k < 1 || k > src->size[dim])
        return th_seterror("kthvalue: k = %lld out of range (dimension %d has %lld elements)",
                           (long long)k, dim + 1, (long long)src->size[dim]);
    return vi_dim(vals, idx, src, dim, 1, 0, k, 0, 'k', base, "kthvalue");
}

int tensor_median(Tensor *vals, Tensor *idx, const Tensor *src, int dim, int64_t base)
{
    if (check_dim(src, dim, "median")) return -1;
    /* TH: the lower median, k = (n - 1) / 2 + 1 */
    return vi_dim(vals, idx, src, dim, 1, 0, (src->size[dim] - 1) / 2 + 1, 0, 'k', base, "median");
}

int tensor_mode(Tensor *vals, Tensor *idx, const Tensor *src, int dim, int64_t base)
{
    return vi_dim(vals, idx, src, dim, 1, 0, 0, 0, 'm', base, "mode");
}

int tensor_sort(Tensor *vals, Tensor *idx, const Tensor *src, int dim, int descending, int64_t base)
{
    if (check_dim(src, dim, "sort")) return -1;
    return vi_dim(vals, idx, src, dim, src->size[dim], descending, 0, 0, 's', base, "sort");
}

int tensor_topk(Tensor *vals, Tensor *idx, const Tensor *src, int64_t k, int dim, int largest,
                int sorted, int64_t base)
{
    if (check_dim(src, dim, "topk")) return -1;
    if (k < 1 || k > src->size[dim])
        return th_seterror("topk: k = %lld out of range (dimension %d has %lld elements)",
                           (long long)k, dim + 1, (long long)src->size[dim]);
    return vi_dim(vals, idx, src, dim, k, largest, k, sorted, 't', base, "topk");
}

static int cum_dim(Tensor *res, const Tensor *src, int dim, int prod)
{
    const char *fn = prod ? "cumprod" : "cumsum";
    if (same_type(src, res, fn)) return -1;
    Red r;
    if (check_dim(src, dim, fn)) return -1;
    if (red_begin(&r, res, src, dim, src->size[dim], src->dtype, fn)) return -1;
    void *acc = scratch(r.inner);
    if (!acc) return ew_end(&r.e, -1);
    switch (src->dtype) {
#define X(DT, T, S) case DT: dim_cum_##S(dout(&r.e), din(&r.e, 0), r.outer, r.n, r.inner, acc, prod); break;
        DTYPE_FOREACH(X)
#undef X
    default: break;
    }
    free(acc);
    return ew_end(&r.e, 0);
}

int tensor_cumsum(Tensor *res, const Tensor *src, int dim) { return cum_dim(res, src, dim, 0); }
int tensor_cumprod(Tensor *res, const Tensor *src, int dim) { return cum_dim(res, src, dim, 1); }

int tensor_renorm(Tensor *res, const Tensor *src, double p, int dim, double maxnorm)
{
    if (need_floating(src, "renorm") || same_type(src, res, "renorm")) return -1;
    if (check_dim(src, dim, "renorm")) return -1;
    if (!(p > 0)) return th_seterror("renorm: non-positive norm not supported (p = %g)", p);
    if (src->ndim < 2)
        return th_seterror("renorm: need at least 2 dimensions, got %d dimensions", src->ndim);
    Red r;
    if (red_begin(&r, res, src, dim, src->size[dim], src->dtype, "renorm")) return -1;
    int rc;
    if (src->dtype == DT_FLOAT) rc = renorm_f32(dout(&r.e), din(&r.e, 0), r.outer, r.n, r.inner, (float)p, (float)maxnorm);
    else rc = renorm_f64(dout(&r.e), din(&r.e, 0), r.outer, r.n, r.inner, p, maxnorm);
    return ew_end(&r.e, rc);
}

int tensor_histc(Tensor *res, const Tensor *src, int64_t nbins, double lo, double hi)
{
    if (need_floating(src, "histc") || same_type(src, res, "histc")) return -1;
    if (nbins <= 0) return th_seterror("histc: number of bins must be positive, got %lld", (long long)nbins);
    int dflt = (src->dtype == DT_FLOAT) ? (float)lo == (float)hi : lo == hi;
    if (dflt && tensor_nelement(src) > 0) {
        if (tensor_min_all(src, &lo) || tensor_max_all(src, &hi)) return -1;
    }
    if (src->dtype == DT_FLOAT ? (float)lo == (float)hi : lo == hi) {
        lo -= 1;
        hi += 1;
    }
    Ew e;
    if (ew_begin(&e, res, 1, &nbins, src->dtype, src, NULL, NULL)) return -1;
    if (src->dtype == DT_FLOAT) {
        fill_f32(dout(&e), nbins, 1, 0);
        histc_f32(dout(&e), din(&e, 0), tensor_nelement(src), nbins, (float)lo, (float)hi);
    } else {
        fill_f64(dout(&e), nbins, 1, 0);
        histc_f64(dout(&e), din(&e, 0), tensor_nelement(src), nbins, lo, hi);
    }
    return ew_end(&e, 0);
}

/* ==== linear algebra ========================================================= */

/* A 2-D operand as BLAS wants it: row-major ('n') or transposed ('t') with
 * a leading dim, or, when the view has no unit stride, a contiguous copy
 * (owned here, released by mat_done). */
typedef struct Mat {
    void *p;
    char tr;
    int64_t ld;
    Tensor *own;
} Mat;

static int64_t max1(int64_t v) { return v > 1 ? v : 1; }

/* 1 when t is usable as is; fills m. */
static int mat_view(Mat *m, const Tensor *t)
{
    int64_t r = t->size[0], c = t->size[1], s0 = t->stride[0], s1 = t->stride[1];
    m->own = NULL;
    m->p = tensor_data(t);
    if ((c == 1 || s1 == 1) && (r == 1 || s0 >= max1(c))) {
        m->tr = 'n';
        m->ld = r == 1 ? max1(c) : s0;
        return 1;
    }
    if ((r == 1 || s0 == 1) && (c == 1 || s1 >= max1(r))) {
        m->tr = 't';
        m->ld = c == 1 ? max1(r) : s1;
        return 1;
    }
    return 0;
}

static int mat_prep(Mat *m, const Tensor *t)
{
    if (mat_view(m, t)) return 0;
    m->own = tensor_contiguous((Tensor *)t);
    if (!m->own) return -1;
    m->p = tensor_data(m->own);
    m->tr = 'n';
    m->ld = max1(t->size[1]);
    return 0;
}

static void mat_done(Mat *m) { tensor_release(m->own); }

static char flip(char t) { return t == 'n' ? 't' : 'n'; }

static int check_2d(const Tensor *t, const char *fn, const char *what)
{
    if (t->ndim == 2) return 0;
    return th_seterror("%s: %s must be a 2D matrix, got a %dD tensor", fn, what, t->ndim);
}

static int check_1d(const Tensor *t, const char *fn, const char *what)
{
    if (t->ndim == 1) return 0;
    return th_seterror("%s: %s must be a 1D vector, got a %dD tensor", fn, what, t->ndim);
}

/* res = t (TH: resizeAs + copy, skipped when res is t). */
static int init_from(Tensor *res, const Tensor *t)
{
    if (res == t) return 0;
    if (resize_to(res, t->ndim, t->size)) return -1;
    return tensor_copy(res, t);
}

/* A contiguous stand-in for a result view BLAS cannot write (no unit stride):
 * returns res itself or a copy; res_done copies back. */
static Tensor *res_begin(Tensor *res, int usable, double beta)
{
    if (usable) return res;
    Tensor *tmp = tensor_new_sized(res->dtype, res->ndim, res->size);
    if (tmp && beta != 0 && tensor_copy(tmp, res)) {
        tensor_release(tmp);
        return NULL;
    }
    return tmp;
}

static int res_done(Tensor *res, Tensor *w, int rc)
{
    if (w != res) {
        if (rc == 0) rc = tensor_copy(res, w);
        tensor_release(w);
    }
    return rc;
}

int tensor_dot(const Tensor *a, const Tensor *b, double *out)
{
    if (same_type(a, b, "dot") || check_count2(a, b)) return -1;
    Tensor *ca = tensor_contiguous((Tensor *)a), *cb = tensor_contiguous((Tensor *)b);
    int rc = -1;
    if (ca && cb) {
        *out = blas_dot(a->dtype, tensor_nelement(a), tensor_data(ca), 1, tensor_data(cb), 1);
        rc = 0;
    }
    tensor_release(ca);
    tensor_release(cb);
    return rc;
}

int tensor_addmm(Tensor *res, double beta, const Tensor *t, double alpha, const Tensor *m1,
                 const Tensor *m2)
{
    if (same_type(t, m1, "addmm") || same_type(t, m2, "addmm") || same_type(t, res, "addmm"))
        return -1;
    if (check_2d(m1, "addmm", "m1") || check_2d(m2, "addmm", "m2") || check_2d(t, "addmm", "t"))
        return -1;
    if (m1->size[1] != m2->size[0])
        return th_seterror("size mismatch, m1: [%lld x %lld], m2: [%lld x %lld]",
                           (long long)m1->size[0], (long long)m1->size[1],
                           (long long)m2->size[0], (long long)m2->size[1]);
    if (t->size[0] != m1->size[0] || t->size[1] != m2->size[1])
        return th_seterror("size mismatch, t: [%lld x %lld], m1 . m2: [%lld x %lld]",
                           (long long)t->size[0], (long long)t->size[1],
                           (long long)m1->size[0], (long long)m2->size[1]);
    if (init_from(res, t)) return -1;
    int64_t M = m1->size[0], N = m2->size[1], K = m1->size[1];
    Mat a, b, c;
    if (mat_prep(&a, m1)) return -1;
    if (mat_prep(&b, m2)) { mat_done(&a); return -1; }
    int ok = mat_view(&c, res);
    Tensor *w = res_begin(res, ok, beta);
    int rc = -1;
    if (w) {
        if (w != res) mat_view(&c, w);
        if (c.tr == 'n')
            blas_gemm(res->dtype, a.tr, b.tr, M, N, K, alpha, a.p, a.ld, b.p, b.ld, beta, c.p, c.ld);
        else  /* C column-major: C^T = op(B)^T . op(A)^T, row-major */
            blas_gemm(res->dtype, flip(b.tr), flip(a.tr), N, M, K, alpha, b.p, b.ld, a.p, a.ld,
                      beta, c.p, c.ld);
        rc = res_done(res, w, 0);
    }
    mat_done(&a);
    mat_done(&b);
    return rc;
}

/* A vector operand with a positive stride (or a contiguous copy). */
static int vec_prep(const Tensor *v, void **p, int64_t *inc, Tensor **own)
{
    *own = NULL;
    if (v->stride[0] > 0 || v->size[0] <= 1) {
        *p = tensor_data(v);
        *inc = v->size[0] <= 1 ? 1 : v->stride[0];
        return 0;
    }
    *own = tensor_contiguous((Tensor *)v);
    if (!*own) return -1;
    *p = tensor_data(*own);
    *inc = 1;
    return 0;
}

int tensor_addmv(Tensor *res, double beta, const Tensor *t, double alpha, const Tensor *mat,
                 const Tensor *vec)
{
    if (same_type(t, mat, "addmv") || same_type(t, vec, "addmv") || same_type(t, res, "addmv"))
        return -1;
    if (check_2d(mat, "addmv", "mat") || check_1d(vec, "addmv", "vec") || check_1d(t, "addmv", "t"))
        return -1;
    if (mat->size[1] != vec->size[0])
        return th_seterror("size mismatch, mat: [%lld x %lld], vec: [%lld]",
                           (long long)mat->size[0], (long long)mat->size[1], (long long)vec->size[0]);
    if (t->size[0] != mat->size[0])
        return th_seterror("size mismatch, t: [%lld], mat: [%lld x %lld]", (long long)t->size[0],
                           (long long)mat->size[0], (long long)mat->size[1]);
    if (init_from(res, t)) return -1;
    Mat a;
    Tensor *vown;
    void *x;
    int64_t incx;
    if (mat_prep(&a, mat)) return -1;
    if (vec_prep(vec, &x, &incx, &vown)) { mat_done(&a); return -1; }
    int ok = res->stride[0] > 0 || res->size[0] <= 1;
    Tensor *w = res_begin(res, ok, beta);
    int rc = -1;
    if (w) {
        int64_t incy = w->size[0] <= 1 ? 1 : w->stride[0];
        int64_t r = mat->size[0], c = mat->size[1];
        if (a.tr == 'n')
            blas_gemv(res->dtype, 'n', r, c, alpha, a.p, a.ld, x, incx, beta, tensor_data(w), incy);
        else  /* mat^T is stored row-major as c x r */
            blas_gemv(res->dtype, 't', c, r, alpha, a.p, a.ld, x, incx, beta, tensor_data(w), incy);
        rc = res_done(res, w, 0);
    }
    mat_done(&a);
    tensor_release(vown);
    return rc;
}

int tensor_addr(Tensor *res, double beta, const Tensor *t, double alpha, const Tensor *v1,
                const Tensor *v2)
{
    if (same_type(t, v1, "addr") || same_type(t, v2, "addr") || same_type(t, res, "addr"))
        return -1;
    if (check_1d(v1, "addr", "vec1") || check_1d(v2, "addr", "vec2") || check_2d(t, "addr", "t"))
        return -1;
    if (t->size[0] != v1->size[0] || t->size[1] != v2->size[0])
        return th_seterror("size mismatch, t: [%lld x %lld], vec1: [%lld], vec2: [%lld]",
                           (long long)t->size[0], (long long)t->size[1], (long long)v1->size[0],
                           (long long)v2->size[0]);
    if (init_from(res, t)) return -1;
    /* TH: BLAS ger has no beta, so zero or scale first */
    if (beta == 0) {
        if (tensor_zero(res)) return -1;
    } else if (beta != 1 && tensor_scalar(res, res, TM_MULV, beta)) {
        return -1;
    }
    Tensor *o1, *o2;
    void *x, *y;
    int64_t incx, incy;
    if (vec_prep(v1, &x, &incx, &o1)) return -1;
    if (vec_prep(v2, &y, &incy, &o2)) { tensor_release(o1); return -1; }
    Mat c;
    int ok = mat_view(&c, res);
    Tensor *w = res_begin(res, ok, 1);
    int rc = -1;
    if (w) {
        if (w != res) mat_view(&c, w);
        int64_t r = res->size[0], n = res->size[1];
        if (c.tr == 'n') blas_ger(res->dtype, r, n, alpha, x, incx, y, incy, c.p, c.ld);
        else blas_ger(res->dtype, n, r, alpha, y, incy, x, incx, c.p, c.ld);
        rc = res_done(res, w, 0);
    }
    tensor_release(o1);
    tensor_release(o2);
    return rc;
}

static int check_3d(const Tensor *t, const char *fn, const char *what)
{
    if (t->ndim == 3) return 0;
    return th_seterror("%s: %s must be a 3D tensor, got a %dD tensor", fn, what, t->ndim);
}

static int batch_check(const Tensor *b1, const Tensor *b2, const char *fn)
{
    if (same_type(b1, b2, fn) || check_3d(b1, fn, "batch1") || check_3d(b2, fn, "batch2")) return -1;
    if (b1->size[0] != b2->size[0])
        return th_seterror("%s: equal number of batches expected, got %lld and %lld", fn,
                           (long long)b1->size[0], (long long)b2->size[0]);
    if (b1->size[2] != b2->size[1])
        return th_seterror("size mismatch, m1: [%lld x %lld], m2: [%lld x %lld]",
                           (long long)b1->size[1], (long long)b1->size[2],
                           (long long)b2->size[1], (long long)b2->size[2]);
    return 0;
}

int tensor_addbmm(Tensor *res, double beta, const Tensor *t, double alpha, const Tensor *b1,
                  const Tensor *b2)
{
    if (batch_check(b1, b2, "addbmm") || same_type(t, b1, "addbmm") || check_2d(t, "addbmm", "t"))
        return -1;
    if (t->size[0] != b1->size[1] || t->size[1] != b2->size[2])
        return th_seterror("size mismatch, t: [%lld x %lld], batch product: [%lld x %lld]",
                           (long long)t->size[0], (long long)t->size[1],
                           (long long)b1->size[1], (long long)b2->size[2]);
    if (init_from(res, t)) return -1;
    Tensor *m1 = tensor_new_view(b1), *m2 = tensor_new_view(b2);
    int rc = (m1 && m2) ? 0 : -1;
    if (rc == 0 && b1->size[0] == 0 && beta != 1)
        rc = beta == 0 ? tensor_zero(res) : tensor_scalar(res, res, TM_MULV, beta);
    for (int64_t i = 0; rc == 0 && i < b1->size[0]; i++) {
        rc = tensor_select(m1, b1, 0, i);
        if (rc == 0) rc = tensor_select(m2, b2, 0, i);
        if (rc == 0) rc = tensor_addmm(res, beta, res, alpha, m1, m2);
        beta = 1;  /* accumulate over the batches */
    }
    tensor_release(m1);
    tensor_release(m2);
    return rc;
}

int tensor_baddbmm(Tensor *res, double beta, const Tensor *t, double alpha, const Tensor *b1,
                   const Tensor *b2)
{
    if (batch_check(b1, b2, "baddbmm") || same_type(t, b1, "baddbmm") ||
        check_3d(t, "baddbmm", "t"))
        return -1;
    if (t->size[0] != b1->size[0] || t->size[1] != b1->size[1] || t->size[2] != b2->size[2])
        return th_seterror("size mismatch, t: [%lld x %lld x %lld], batch product: [%lld x %lld x %lld]",
                           (long long)t->size[0], (long long)t->size[1], (long long)t->size[2],
                           (long long)b1->size[0], (long long)b1->size[1], (long long)b2->size[2]);
    if (init_from(res, t)) return -1;
    Tensor *m1 = tensor_new_view(b1), *m2 = tensor_new_view(b2), *r = tensor_new_view(res);
    int rc = (m1 && m2 && r) ? 0 : -1;
    for (int64_t i = 0; rc == 0 && i < b1->size[0]; i++) {
        rc = tensor_select(m1, b1, 0, i);
        if (rc == 0) rc = tensor_select(m2, b2, 0, i);
        if (rc == 0) rc = tensor_select(r, res, 0, i);
        if (rc == 0) rc = tensor_addmm(r, beta, r, alpha, m1, m2);
    }
    tensor_release(m1);
    tensor_release(m2);
    tensor_release(r);
    return rc;
}

int tensor_mv(Tensor *res, const Tensor *mat, const Tensor *vec)
{
    if (check_2d(mat, "mv", "mat") || check_1d(vec, "mv", "vec")) return -1;
    if (resize_to(res, 1, mat->size)) return -1;
    return tensor_addmv(res, 0, res, 1, mat, vec);
}

int tensor_mm(Tensor *res, const Tensor *m1, const Tensor *m2)
{
    if (check_2d(m1, "mm", "m1") || check_2d(m2, "mm", "m2")) return -1;
    int64_t size[2] = {m1->size[0], m2->size[1]};
    if (m1->size[1] != m2->size[0])
        return th_seterror("size mismatch, m1: [%lld x %lld], m2: [%lld x %lld]",
                           (long long)m1->size[0], (long long)m1->size[1],
                           (long long)m2->size[0], (long long)m2->size[1]);
    if (resize_to(res, 2, size)) return -1;
    return tensor_addmm(res, 0, res, 1, m1, m2);
}

int tensor_ger(Tensor *res, const Tensor *v1, const Tensor *v2)
{
    if (check_1d(v1, "ger", "vec1") || check_1d(v2, "ger", "vec2")) return -1;
    int64_t size[2] = {v1->size[0], v2->size[0]};
    if (resize_to(res, 2, size)) return -1;
    return tensor_addr(res, 0, res, 1, v1, v2);
}

int tensor_bmm(Tensor *res, const Tensor *b1, const Tensor *b2)
{
    if (batch_check(b1, b2, "bmm")) return -1;
    int64_t size[3] = {b1->size[0], b1->size[1], b2->size[2]};
    if (resize_to(res, 3, size)) return -1;
    return tensor_baddbmm(res, 0, res, 1, b1, b2);
}

/* ==== shape-building ops ===================================================== */

int tensor_cross(Tensor *res, const Tensor *a, const Tensor *b, int dim)
{
    if (same_type(a, b, "cross") || same_type(a, res, "cross")) return -1;
    if (!tensor_is_same_size(a, b)) {
        char sa[128], sb[128];
        return th_seterror("cross: inconsistent tensor sizes %s and %s",
                           tensor_size_string(a, sa, sizeof sa), tensor_size_string(b, sb, sizeof sb));
    }
    if (dim < 0) {
        for (int i = 0; i < a->ndim && dim < 0; i++)
            if (a->size[i] == 3) dim = i;
        if (dim < 0) return th_seterror("cross: no dimension of size 3");
    }
    if (check_dim(a, dim, "cross")) return -1;
    if (a->size[dim] != 3)
        return th_seterror("cross: dimension %d does not have size 3 (got %lld)", dim + 1,
                           (long long)a->size[dim]);
    Ew e;
    if (ew_begin(&e, res, a->ndim, a->size, a->dtype, a, b, NULL)) return -1;
    int64_t outer = prod_sizes(a->size, 0, dim), inner = prod_sizes(a->size, dim + 1, a->ndim);
    switch (a->dtype) {
#define X(DT, T, S) case DT: cross_##S(dout(&e), din(&e, 0), din(&e, 1), outer, inner); break;
        DTYPE_FOREACH(X)
#undef X
    default: break;
    }
    return ew_end(&e, 0);
}

/* Copies one element of es bytes. */
static void copy_elem(void *dst, const void *src, size_t es) { memcpy(dst, src, es); }

int tensor_diag(Tensor *res, const Tensor *src, int64_t k)
{
    if (same_type(src, res, "diag")) return -1;
    if (src->ndim != 1 && src->ndim != 2)
        return th_seterror("diag: expected a 1D or 2D tensor, got a %dD tensor", src->ndim);
    /* no tensor is that large; the check also keeps -k and n + |k| from overflowing */
    if (k > STORAGE_MAX_BYTES || k < -STORAGE_MAX_BYTES)
        return th_seterror("diag: diagonal %lld out of range", (long long)k);
    /* work on a fresh tensor when res is src (diag changes the shape) */
    Tensor *out = res == src ? tensor_new(src->dtype) : res;
    if (!out) return -1;
    size_t es = dtype_size(src->dtype);
    const char *sp = tensor_data(src);
    int rc = 0;
    if (src->ndim == 1) {
        int64_t n = src->size[0], ak = k < 0 ? -k : k, sz = n + ak;
        int64_t size[2] = {sz, sz};
        rc = tensor_resize(out, 2, size);
        if (rc == 0) rc = tensor_zero(out);
        char *op = tensor_data(out);
        for (int64_t i = 0; rc == 0 && i < n; i++) {
            int64_t r = k >= 0 ? i : i + ak, c = k >= 0 ? i + ak : i;
            copy_elem(op + (r * out->stride[0] + c * out->stride[1]) * (int64_t)es,
                      sp + i * src->stride[0] * (int64_t)es, es);
        }
    } else {
        int64_t r0 = k >= 0 ? 0 : -k, c0 = k >= 0 ? k : 0;
        int64_t n = src->size[0] - r0 < src->size[1] - c0 ? src->size[0] - r0 : src->size[1] - c0;
        if (n <= 0) {
            rc = th_seterror("diag: diagonal %lld out of range for a %lldx%lld matrix", (long long)k,
                             (long long)src->size[0], (long long)src->size[1]);
        } else {
            rc = tensor_resize(out, 1, &n);
            char *op = tensor_data(out);
            for (int64_t i = 0; rc == 0 && i < n; i++)
                copy_elem(op + i * out->stride[0] * (int64_t)es,
                          sp + ((r0 + i) * src->stride[0] + (c0 + i) * src->stride[1]) * (int64_t)es, es);
        }
    }
    if (out != res) {
        if (rc == 0) tensor_set(res, out);
        tensor_release(out);
    }
    return rc;
}

static int tri(Tensor *res, const Tensor *src, int64_t k, int lower)
{
    const char *fn = lower ? "tril" : "triu";
    if (same_type(src, res, fn) || check_2d(src, fn, "input")) return -1;
    if (init_from(res, src)) return -1;
    size_t es = dtype_size(src->dtype);
    char *p = tensor_data(res);
    for (int64_t r = 0; r < res->size[0]; r++)
        for (int64_t c = 0; c < res->size[1]; c++) {
            int keep = lower ? c - r <= k : c - r >= k;
            /* zero bits are 0 (and +0.0) in every element type */
            if (!keep) memset(p + (r * res->stride[0] + c * res->stride[1]) * (int64_t)es, 0, es);
        }
    return 0;
}

int tensor_tril(Tensor *res, const Tensor *src, int64_t k) { return tri(res, src, k, 1); }
int tensor_triu(Tensor *res, const Tensor *src, int64_t k) { return tri(res, src, k, 0); }

int tensor_cat(Tensor *res, Tensor *const *ts, int n, int dim)
{
    int maxdim = 0, first = -1;
    for (int i = 0; i < n; i++) {
        if (same_type(ts[i], res, "cat")) return -1;
        if (ts[i] == res) return th_seterror("cat: the result must not be one of the inputs");
        if (ts[i]->ndim > maxdim) maxdim = ts[i]->ndim;
        if (first < 0 && ts[i]->ndim > 0) first = i;
    }
    if (dim < 0) dim = maxdim - 1;
    if (first < 0) return tensor_resize(res, 0, NULL);
    if (dim < 0 || dim >= TENSOR_MAXDIM || dim > maxdim)
        return th_seterror("cat: dimension %d out of range", dim + 1);
    int nd = maxdim > dim + 1 ? maxdim : dim + 1;
    /* inputs with fewer dims count as having trailing size-1 dims */
    int64_t size[TENSOR_MAXDIM];
    for (int d = 0; d < nd; d++) size[d] = d < ts[first]->ndim ? ts[first]->size[d] : 1;
    size[dim] = 0;
    for (int i = 0; i < n; i++) {
        const Tensor *t = ts[i];
        if (t->ndim == 0) continue;
        for (int d = 0; d < nd; d++) {
            int64_t s = d < t->ndim ? t->size[d] : 1;
            if (d == dim) size[d] += s;
            else if (s != size[d]) {
                char sa[128], sb[128];
                return th_seterror("inconsistent tensor sizes in cat: %s and %s (dimension %d)",
                                   tensor_size_string(ts[first], sa, sizeof sa),
                                   tensor_size_string(t, sb, sizeof sb), d + 1);
            }
        }
    }
    if (resize_to(res, nd, size)) return -1;
    Tensor *v = tensor_new_view(res);
    if (!v) return -1;
    int64_t off = 0;
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        const Tensor *t = ts[i];
        if (t->ndim == 0) continue;
        int64_t s = dim < t->ndim ? t->size[dim] : 1;
        tensor_set(v, res);
        rc = tensor_narrow(v, v, dim, off, s);
        if (rc == 0) rc = tensor_copy(v, t);
        off += s;
    }
    tensor_release(v);
    return rc;
}

int tensor_eye(Tensor *res, int64_t n, int64_t m)
{
    if (n <= 0) return th_seterror("eye: size must be positive, got %lld", (long long)n);
    if (m <= 0) m = n;   /* TH: a missing or non-positive m means square */
    int64_t size[2] = {n, m};
    if (tensor_resize(res, 2, size) || tensor_zero(res)) return -1;
    for (int64_t i = 0; i < n && i < m; i++) {
        int64_t ix[2] = {i, i};
        tensor_set_elem(res, ix, 1);
    }
    return 0;
}

/* Writes n doubles into res (resized to 1-D n), converting to its type. */
static int from_doubles(Tensor *res, const double *v, int64_t n)
{
    if (resize_to(res, 1, &n)) return -1;
    Tensor *w = tensor_is_contiguous(res) ? res : tensor_new_sized(res->dtype, 1, &n);
    if (!w) return -1;
    switch (res->dtype) {
#define X(DT, T, S) case DT: from_double_##S(tensor_data(w), v, n); break;
        DTYPE_FOREACH(X)
#undef X
    default: break;
    }
    return res_done(res, w, 0);
}

int tensor_range(Tensor *res, double a, double b, double step)
{
    if (step == 0) return th_seterror("range: step must be a non-null number");
    if ((step > 0 && b < a) || (step < 0 && b > a))
        return th_seterror("range: upper bound and larger bound incoherent with step sign");
    /* checked as a double: the cast of NaN or >= 2^63 is undefined, and a
     * huge n would wrap n * sizeof *v into a small buffer */
    double count = (b - a) / step + 1;
    if (!(count >= 1 && count <= (double)(STORAGE_MAX_BYTES / (int64_t)sizeof(double))))
        return th_seterror("range: cannot make a range of %g elements (from %g to %g by %g)",
                           count, a, b, step);
    int64_t n = (int64_t)count;
    double *v = malloc((size_t)n * sizeof *v);
    if (!v) return th_seterror("out of memory");
    for (int64_t i = 0; i < n; i++) v[i] = a + (double)i * step;
    int rc = from_doubles(res, v, n);
    free(v);
    return rc;
}

static int lin_log(Tensor *res, double a, double b, int64_t n, int logsp)
{
    const char *fn = logsp ? "logspace" : "linspace";
    if (need_floating(res, fn)) return -1;
    if (!(n > 1 || (n == 1 && a == b)))
        return th_seterror("%s: invalid number of points (%lld)", fn, (long long)n);
    if (resize_to(res, 1, &n)) return -1;
    Tensor *w = tensor_is_contiguous(res) ? res : tensor_new_sized(res->dtype, 1, &n);
    if (!w) return -1;
    if (res->dtype == DT_FLOAT) linspace_f32(tensor_data(w), n, (float)a, (float)b, logsp);
    else linspace_f64(tensor_data(w), n, a, b, logsp);
    return res_done(res, w, 0);
}

int tensor_linspace(Tensor *res, double a, double b, int64_t n) { return lin_log(res, a, b, n, 0); }
int tensor_logspace(Tensor *res, double a, double b, int64_t n) { return lin_log(res, a, b, n, 1); }

/* ==== indexing ================================================================ */

static int check_index_tensor(const Tensor *idx, const char *fn)
{
    if (idx->dtype == DT_LONG) return 0;
    return th_seterror("%s: indices must be a LongTensor, got a %sTensor", fn, dtype_name(idx->dtype));
}

/* v = t's slice i along dim (a size-1 narrow, so 1-D tensors work too). */
static int slice(Tensor *v, const Tensor *t, int dim, int64_t i)
{
    tensor_set(v, t);
    return tensor_narrow(v, v, dim, i, 1);
}

/* Reads a 1-D index tensor into a 0-based array after range checks. */
static int64_t *read_indices(const Tensor *idx, int64_t base, int64_t limit, const char *fn)
{
    int64_t n = tensor_nelement(idx);
    int64_t *v = malloc((size_t)(n > 0 ? n : 1) * sizeof *v);
    if (!v) { th_seterror("out of memory"); return NULL; }
    const int64_t *p = tensor_data(idx);
    for (int64_t i = 0; i < n; i++) {
        v[i] = p[i * idx->stride[0]] - base;
        if (v[i] < 0 || v[i] >= limit) {
            th_seterror("%s: index %lld out of range (dimension size %lld)", fn,
                        (long long)(v[i] + base), (long long)limit);
            free(v);
            return NULL;
        }
    }
    return v;
}

static int check_index_vector(const Tensor *idx, const char *fn)
{
    if (check_index_tensor(idx, fn)) return -1;
    if (idx->ndim != 1)
        return th_seterror("%s: index must be a 1D vector, got a %dD tensor", fn, idx->ndim);
    return 0;
}

int tensor_index_select(Tensor *res, const Tensor *src, int dim, const Tensor *idx, int64_t base)
{
    if (same_type(src, res, "index") || check_index_vector(idx, "index") ||
        check_dim(src, dim, "index"))
        return -1;
    int64_t *ix = read_indices(idx, base, src->size[dim], "index");
    if (!ix) return -1;
    int64_t n = idx->size[0], size[TENSOR_MAXDIM];
    memcpy(size, src->size, sizeof size);
    size[dim] = n;
    Tensor *out = res == src ? tensor_new(src->dtype) : res;
    Tensor *vs = tensor_new_view(src), *vr = out ? tensor_new_view(out) : NULL;
    int rc = (out && vs && vr) ? resize_to(out, src->ndim, size) : -1;
    for (int64_t i = 0; rc == 0 && i < n; i++) {
        rc = slice(vs, src, dim, ix[i]);
        if (rc == 0) rc = slice(vr, out, dim, i);
        if (rc == 0) rc = tensor_copy(vr, vs);
    }
    if (out && out != res) {
        if (rc == 0) tensor_set(res, out);
        tensor_release(out);
    }
    tensor_release(vs);
    tensor_release(vr);
    free(ix);
    return rc;
}

/* index_copy / index_add / index_fill: slice ix[i] of dst gets slice i of src
 * (copied or added) or the value v. */
static int index_put(Tensor *dst, int dim, const Tensor *idx, const Tensor *src, double v,
                     int64_t base, char mode, const char *fn)
{
    if (check_index_vector(idx, fn) || check_dim(dst, dim, fn)) return -1;
    if (src) {
        if (same_type(dst, src, fn)) return -1;
        int ok = src->ndim == dst->ndim && src->size[dim] == idx->size[0];
        for (int d = 0; ok && d < dst->ndim; d++)
            if (d != dim && src->size[d] != dst->size[d]) ok = 0;
        /* a 1-D dst is filled element by element: only counts must agree */
        if (!ok && !(dst->ndim == 1 && tensor_nelement(src) == idx->size[0])) {
            char sa[128], sb[128];
            return th_seterror("%s: inconsistent tensor sizes, dst [%s], src [%s], %lld indices", fn,
                               tensor_size_string(dst, sa, sizeof sa),
                               tensor_size_string(src, sb, sizeof sb), (long long)idx->size[0]);
        }
    }
    int64_t *ix = read_indices(idx, base, dst->size[dim], fn);
    if (!ix) return -1;
    Tensor *vd = tensor_new_view(dst), *vs = src ? tensor_new_view(src) : NULL;
    int rc = (vd && (vs || !src)) ? 0 : -1;
    int sdim = src && src->ndim == dst->ndim ? dim : 0;
    for (int64_t i = 0; rc == 0 && i < idx->size[0]; i++) {
        rc = slice(vd, dst, dim, ix[i]);
        if (rc == 0 && src) rc = slice(vs, src, sdim, i);
        if (rc) break;
        if (mode == 'c') rc = tensor_copy(vd, vs);
        else if (mode == 'a') rc = tensor_binary(vd, vd, vs, TM_CADD, 1);
        else rc = tensor_fill(vd, v);
    }
    tensor_release(vd);
    tensor_release(vs);
    free(ix);
    return rc;
}

int tensor_index_copy(Tensor *dst, int dim, const Tensor *idx, const Tensor *src, int64_t base)
{
    return index_put(dst, dim, idx, src, 0, base, 'c', "indexCopy");
}

int tensor_index_add(Tensor *dst, int dim, const Tensor *idx, const Tensor *src, int64_t base)
{
    return index_put(dst, dim, idx, src, 0, base, 'a', "indexAdd");
}

int tensor_index_fill(Tensor *dst, int dim, const Tensor *idx, double v, int64_t base)
{
    return index_put(dst, dim, idx, NULL, v, base, 'f', "indexFill");
}

static int next_index(int64_t *ix, const int64_t *size, int nd)
{
    for (int d = nd - 1; d >= 0; d--) {
        if (++ix[d] < size[d]) return 1;
        ix[d] = 0;
    }
    return 0;
}

static int64_t offset_of(const Tensor *t, const int64_t *ix)
{
    int64_t o = 0;
    for (int d = 0; d < t->ndim; d++) o += ix[d] * t->stride[d];
    return o;
}

/* gather (!put): res[ix] = src[ix with dim = idx[ix]];
 * scatter (put): dst[ix with dim = idx[ix]] = src[ix] (or v). */
static int gather_scatter(Tensor *t, const Tensor *other, int dim, const Tensor *idx, double v,
                          int64_t base, int put, const char *fn)
{
    /* t is the tensor indexed through idx (src for gather, dst for scatter) */
    if (check_index_tensor(idx, fn) || check_dim(t, dim, fn)) return -1;
    if (idx->ndim != t->ndim)
        return th_seterror("%s: index tensor must have the same number of dimensions as the input (%d), got %d",
                           fn, t->ndim, idx->ndim);
    for (int d = 0; d < t->ndim; d++)
        if (d != dim && idx->size[d] != t->size[d])
            return th_seterror("%s: inconsistent tensor size at dimension %d: index %lld, tensor %lld",
                               fn, d + 1, (long long)idx->size[d], (long long)t->size[d]);
    if (put && other) {
        if (same_type(t, other, fn)) return -1;
        int ok = other->ndim == idx->ndim;
        for (int d = 0; ok && d < idx->ndim; d++)
            if (d == dim ? other->size[d] < idx->size[d] : other->size[d] != idx->size[d]) ok = 0;
        if (!ok) {
            char sa[128], sb[128];
            return th_seterror("%s: src [%s] does not match index [%s]", fn,
                               tensor_size_string(other, sa, sizeof sa),
                               tensor_size_string(idx, sb, sizeof sb));
        }
    }
    int64_t n = tensor_nelement(idx), ix[TENSOR_MAXDIM] = {0};
    const int64_t *ip = tensor_data(idx);
    /* check every index before writing anything */
    if (n > 0) do {
        int64_t k = ip[offset_of(idx, ix)] - base;
        if (k < 0 || k >= t->size[dim])
            return th_seterror("%s: index %lld out of range (dimension size %lld)", fn,
                               (long long)(k + base), (long long)t->size[dim]);
    } while (next_index(ix, idx->size, idx->ndim));
    size_t es = dtype_size(t->dtype);
    Tensor *val = NULL;
    if (put && !other) {
        int64_t one = 1;
        val = tensor_new_sized(t->dtype, 1, &one);
        if (!val) return -1;
        tensor_fill(val, v);
    }
    if (n > 0) {
        char *tp = tensor_data(t);
        const char *op = other ? tensor_data(other) : tensor_data(val);
        memset(ix, 0, sizeof ix);
        do {
            int64_t k = ip[offset_of(idx, ix)] - base, keep = ix[dim];
            int64_t o_other = other ? offset_of(other, ix) : 0;
            ix[dim] = k;
            int64_t o_t = offset_of(t, ix);
            ix[dim] = keep;
            if (put) copy_elem(tp + o_t * (int64_t)es, op + o_other * (int64_t)es, es);
            else copy_elem((char *)tensor_data(other) + o_other * (int64_t)es, tp + o_t * (int64_t)es, es);
        } while (next_index(ix, idx->size, idx->ndim));
    }
    tensor_release(val);
    return 0;
}

int tensor_gather(Tensor *res, const Tensor *src, int dim, const Tensor *idx, int64_t base)
{
    if (same_type(src, res, "gather")) return -1;
    Tensor *out = (res == src || res == idx) ? tensor_new(src->dtype) : res;
    if (!out) return -1;
    int rc = 0;
    if (check_index_tensor(idx, "gather")) rc = -1;
    if (rc == 0 && idx->ndim == src->ndim) rc = resize_to(out, idx->ndim, idx->size);
    if (rc == 0) rc = gather_scatter((Tensor *)src, out, dim, idx, 0, base, 0, "gather");
    if (out != res) {
        if (rc == 0) tensor_set(res, out);
        tensor_release(out);
    }
    return rc;
}

int tensor_scatter(Tensor *dst, int dim, const Tensor *idx, const Tensor *src, double v, int64_t base)
{
    return gather_scatter(dst, src, dim, idx, v, base, 1, "scatter");
}

static int check_mask(const Tensor *mask, const Tensor *t, const char *fn)
{
    if (mask->dtype != DT_BYTE)
        return th_seterror("%s: mask must be a ByteTensor, got a %sTensor", fn, dtype_name(mask->dtype));
    if (tensor_nelement(mask) != tensor_nelement(t)) {
        char sa[128], sb[128];
        return th_seterror("inconsistent tensor size, expected tensor [%s] and mask [%s] to have the "
                           "same number of elements, but got %lld and %lld elements respectively",
                           tensor_size_string(t, sa, sizeof sa), tensor_size_string(mask, sb, sizeof sb),
                           (long long)tensor_nelement(t), (long long)tensor_nelement(mask));
    }
    return 0;
}

/* TH accepts only 0 and 1 in masks. */
static int mask_values_bad(const uint8_t *m, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        if (m[i] > 1) return th_seterror("Mask tensor can take 0 and 1 values only (got %d)", m[i]), 1;
    return 0;
}

int tensor_masked_select(Tensor *res, const Tensor *src, const Tensor *mask)
{
    if (same_type(src, res, "maskedSelect") || check_mask(mask, src, "maskedSelect")) return -1;
    Tensor *cs = tensor_contiguous((Tensor *)src), *cm = tensor_contiguous((Tensor *)mask);
    int rc = (cs && cm) ? 0 : -1;
    int64_t n = tensor_nelement(src), count = 0;
    const uint8_t *m = cm ? tensor_data(cm) : NULL;
    for (int64_t i = 0; rc == 0 && i < n; i++) count += m[i] != 0;
    if (rc == 0 && mask_values_bad(m, n)) rc = -1;
    Tensor *out = (res == src || res == mask) ? tensor_new(src->dtype) : res;
    if (!out) rc = -1;
    if (rc == 0) rc = count > 0 ? resize_to(out, 1, &count) : tensor_resize(out, 0, NULL);
    if (rc == 0 && count > 0) {
        size_t es = dtype_size(src->dtype);
        const char *sp = tensor_data(cs);
        char *op = tensor_data(out);
        int64_t st = out->stride[0] * (int64_t)es, k = 0;
        for (int64_t i = 0; i < n; i++)
            if (m[i]) copy_elem(op + (k++) * st, sp + i * (int64_t)es, es);
    }
    if (out && out != res) {
        if (rc == 0) tensor_set(res, out);
        tensor_release(out);
    }
    tensor_release(cs);
    tensor_release(cm);
    return rc;
}

/* masked_fill (src == NULL) / masked_copy: works on a contiguous stand-in of
 * dst, copied back when dst is strided. */
static int masked_put(Tensor *dst, const Tensor *mask, const Tensor *src, double v, const char *fn)
{
    if (check_mask(mask, dst, fn)) return -1;
    if (src && same_type(dst, src, fn)) return -1;
    Tensor *cm = tensor_contiguous((Tensor *)mask);
    Tensor *cs = src ? tensor_contiguous((Tensor *)src) : NULL;
    Tensor *cd = tensor_contiguous(dst);
    int64_t one = 1;
    Tensor *val = src ? NULL : tensor_new_sized(dst->dtype, 1, &one);
    int rc = (cm && cd && (src ? cs != NULL : val != NULL)) ? 0 : -1;
    int64_t n = tensor_nelement(dst);
    size_t es = dtype_size(dst->dtype);
    if (rc == 0 && mask_values_bad(tensor_data(cm), n)) rc = -1;
    if (rc == 0 && src) {
        const uint8_t *m = tensor_data(cm);
        int64_t count = 0;
        for (int64_t i = 0; i < n; i++) count += m[i] != 0;
        if (count > tensor_nelement(src))
            rc = th_seterror("maskedCopy: number of elements of src (%lld) < number of ones in mask (%lld)",
                             (long long)tensor_nelement(src), (long long)count);
    }
    if (rc == 0) {
        if (val) tensor_fill(val, v);
        const uint8_t *m = tensor_data(cm);
        char *dp = tensor_data(cd);
        const char *sp = src ? tensor_data(cs) : tensor_data(val);
        int64_t k = 0;
        for (int64_t i = 0; i < n; i++)
            if (m[i]) copy_elem(dp + i * (int64_t)es, sp + (src ? (k++) * (int64_t)es : 0), es);
        if (cd != dst) rc = tensor_copy(dst, cd);
    }
    tensor_release(cm);
    tensor_release(cs);
    tensor_release(cd);
    tensor_release(val);
    return rc;
}

int tensor_masked_fill(Tensor *dst, const Tensor *mask, double v)
{
    return masked_put(dst, mask, NULL, v, "maskedFill");
}

int tensor_masked_copy(Tensor *dst, const Tensor *mask, const Tensor *src)
{
    return masked_put(dst, mask, src, 0, "maskedCopy");
}

int tensor_nonzero(Tensor *res, const Tensor *src, int64_t base)
{
    if (res->dtype != DT_LONG)
        return th_seterror("nonzero: result must be a LongTensor, got a %sTensor", dtype_name(res->dtype));
    int64_t n = tensor_nelement(src);
    Tensor *cs = tensor_contiguous((Tensor *)src);
    uint8_t *m = malloc((size_t)(n > 0 ? n : 1));
    int rc = (cs && m) ? 0 : -1;
    if (rc) th_seterror("out of memory");
    int64_t count = 0;
    if (rc == 0) {
        switch (src->dtype) {
#define X(DT, T, S) case DT: nonzero_mask_##S(m, tensor_data(cs), n); break;
            DTYPE_FOREACH(X)
#undef X
        default: break;
        }
        for (int64_t i = 0; i < n; i++) count += m[i];
    }
    int nd = src->ndim;
    if (rc == 0 && count == 0) rc = tensor_resize(res, 0, NULL);
    if (rc == 0 && count > 0) {
        int64_t size[2] = {count, nd};
        rc = resize_to(res, 2, size);
        Tensor *w = rc == 0 ? res_begin(res, tensor_is_contiguous(res), 0) : NULL;
        if (rc == 0 && !w) rc = -1;
        if (rc == 0) {
            int64_t *o = tensor_data(w), ix[TENSOR_MAXDIM] = {0}, i = 0;
            do {
                if (m[i++])
                    for (int d = 0; d < nd; d++) *o++ = ix[d] + base;
            } while (next_index(ix, src->size, nd));
            rc = res_done(res, w, 0);
        }
    }
    free(m);
    tensor_release(cs);
    return rc;
}

/* ==== 2-D convolution ========================================================== */

int tensor_conv2(Tensor *res, const Tensor *x, const Tensor *k, char type, int xcorr)
{
    const char *fn = xcorr ? "xcorr2" : "conv2";
    if (need_floating(x, fn) || same_type(x, k, fn) || same_type(x, res, fn)) return -1;
    /* TH's three forms: conv2Dmul (2D, 2D), conv2Dcmul (3D, 3D: plane by
     * plane) and conv2Dmv (3D input, 4D kernel: each output plane sums the
     * input planes' convolutions) */
    int mode = x->ndim == 2 && k->ndim == 2 ? 0 : x->ndim == 3 && k->ndim == 3 ? 1
             : x->ndim == 3 && k->ndim == 4 ? 2 : -1;
    if (mode < 0)
        return th_seterror("%s: expected 2D input and 2D kernel, 3D input and 3D kernel, or 3D "
                           "input and 4D kernel, got %dD and %dD", fn, x->ndim, k->ndim);
    if (type != 'V' && type != 'F')
        return th_seterror("%s: type of convolution can be 'V' or 'F', got '%c'", fn, type);
    int full = type == 'F';
    int64_t planes = mode ? x->size[0] : 1, outs = mode == 2 ? k->size[0] : planes;
    int64_t ir = x->size[x->ndim - 2], ic = x->size[x->ndim - 1];
    int64_t kr = k->size[k->ndim - 2], kc = k->size[k->ndim - 1];
    if (mode && k->size[k->ndim - 3] != planes)
        return th_seterror("%s: the kernel has %lld planes, the input %lld", fn,
                           (long long)k->size[k->ndim - 3], (long long)planes);
    if (!full && (ir < kr || ic < kc))
        return th_seterror("%s: input image (%lldx%lld) is smaller than kernel (%lldx%lld)", fn,
                           (long long)ir, (long long)ic, (long long)kr, (long long)kc);
    int64_t oh = full ? ir + kr - 1 : ir - kr + 1, ow = full ? ic + kc - 1 : ic - kc + 1;
    int64_t size[3] = {outs, oh, ow};
    int nd = mode ? 3 : 2;
    Ew e;
    if (ew_begin(&e, res, nd, mode ? size : size + 1, x->dtype, x, k, NULL)) return -1;
    size_t es = dtype_size(x->dtype);
    char *out = dout(&e);
    const char *xp = din(&e, 0), *kp = din(&e, 1);
    int64_t xplane = ir * ic, kplane = kr * kc, oplane = oh * ow;
    if (x->dtype == DT_FLOAT) fill_f32((float *)out, e.n, 1, 0);
    else fill_f64((double *)out, e.n, 1, 0);
    for (int64_t o = 0; o < outs; o++)
        for (int64_t i = 0; i < planes; i++) {
            if (mode == 1 && i != o) continue;
            /* the kernels add into the output plane, accumulating over i */
            void *r = out + o * oplane * (int64_t)es;
            const void *t = xp + i * xplane * (int64_t)es;
            const void *w = kp + (mode == 2 ? o * planes + i : i) * kplane * (int64_t)es;
            if (x->dtype == DT_FLOAT) conv2_f32(r, t, ir, ic, w, kr, kc, full, xcorr);
            else conv2_f64(r, t, ir, ic, w, kr, kc, full, xcorr);
        }
    return ew_end(&e, 0);
}

int tensor_conv3(Tensor *res, const Tensor *x, const Tensor *k, char type, int xcorr)
{
    const char *fn = xcorr ? "xcorr3" : "conv3";
    if (need_floating(x, fn) || same_type(x, k, fn) || same_type(x, res, fn)) return -1;
    if (x->ndim != 3 || k->ndim != 3)
        return th_seterror("%s: expected 3D input and 3D kernel, got %dD and %dD", fn, x->ndim, k->ndim);
    if (type != 'V' && type != 'F')
        return th_seterror("%s: type of convolution can be 'V' or 'F', got '%c'", fn, type);
    int full = type == 'F';
    int64_t it = x->size[0], ir = x->size[1], ic = x->size[2];
    int64_t kt = k->size[0], kr = k->size[1], kc = k->size[2];
    if (!full && (it < kt || ir < kr || ic < kc))
        return th_seterror("%s: input (%lldx%lldx%lld) is smaller than kernel (%lldx%lldx%lld)", fn,
                           (long long)it, (long long)ir, (long long)ic, (long long)kt,
                           (long long)kr, (long long)kc);
    int64_t size[3] = {full ? it + kt - 1 : it - kt + 1, full ? ir + kr - 1 : ir - kr + 1,
                       full ? ic + kc - 1 : ic - kc + 1};
    Ew e;
    if (ew_begin(&e, res, 3, size, x->dtype, x, k, NULL)) return -1;
    if (x->dtype == DT_FLOAT) {
        fill_f32(dout(&e), e.n, 1, 0);
        conv3_f32(dout(&e), din(&e, 0), it, ir, ic, din(&e, 1), kt, kr, kc, full, xcorr);
    } else {
        fill_f64(dout(&e), e.n, 1, 0);
        conv3_f64(dout(&e), din(&e, 0), it, ir, ic, din(&e, 1), kt, kr, kc, full, xcorr);
    }
    return ew_end(&e, 0);
}
