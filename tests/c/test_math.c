/* test_math.c: tensor math against naive reference loops.
 *
 * Every kernel is checked on contiguous tensors and on strided views
 * (transposes, narrows) with odd sizes, for the element types it supports;
 * the references read and write elements one at a time through
 * tensor_get/tensor_get_flat in double, so they share no code with the
 * kernels.  The OpenBLAS paths are checked against the plain-loop BLAS. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "blas.h"
#include "check.h"
#include "error.h"
#include "tensor_math.h"

/* ---- helpers -------------------------------------------------------------- */

static uint32_t rng_state = 12345;
static double urand(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (rng_state >> 8) / (double)(1u << 24);
}

/* Values that every type holds exactly: integers in [lo, hi]; floats get a
 * fractional part too. */
static void fill_rand(Tensor *t, int lo, int hi)
{
    int64_t n = tensor_nelement(t);
    Tensor *c = tensor_new_sized(t->dtype, 1, &n);
    for (int64_t i = 0; i < n; i++) {
        double v = lo + floor(urand() * (hi - lo + 1));
        if (dtype_is_floating(t->dtype)) v += floor(urand() * 8) / 8;
        int64_t ix = i;
        tensor_set_elem(c, &ix, v);
    }
    tensor_copy(t, c);
    tensor_release(c);
}

static Tensor *new2(DType dt, int64_t a, int64_t b)
{
    int64_t s[2] = {a, b};
    return tensor_new_sized(dt, 2, s);
}

static Tensor *new3(DType dt, int64_t a, int64_t b, int64_t c)
{
    int64_t s[3] = {a, b, c};
    return tensor_new_sized(dt, 3, s);
}

static Tensor *new1(DType dt, int64_t a) { return tensor_new_sized(dt, 1, &a); }

/* A rows x cols view that is NOT contiguous: the transpose of a cols x rows
 * tensor. */
static Tensor *new_t(DType dt, int64_t rows, int64_t cols)
{
    Tensor *base = new2(dt, cols, rows);
    Tensor *v = tensor_new(dt);
    tensor_transpose(v, base, 0, 1);
    tensor_release(base);
    return v;
}

/* A rows x cols view with dense rows but a row stride of cols + 3 (a
 * narrow): the row-by-row path of the element-wise ops. */
static Tensor *new_n(DType dt, int64_t rows, int64_t cols)
{
    Tensor *base = new2(dt, rows, cols + 3);
    Tensor *v = tensor_new(dt);
    tensor_narrow(v, base, 1, 2, cols);
    tensor_release(base);
    return v;
}

/* A strided 1-D view (every other element). */
static Tensor *new_strided1(DType dt, int64_t n)
{
    Tensor *base = new2(dt, n, 2);
    Tensor *v = tensor_new(dt);
    tensor_select(v, base, 1, 1);
    tensor_release(base);
    return v;
}

static double flat(const Tensor *t, int64_t i) { return tensor_get_flat(t, i); }

static double get2(const Tensor *t, int64_t i, int64_t j)
{
    int64_t ix[2] = {i, j};
    return tensor_get(t, ix);
}

static double get3(const Tensor *t, int64_t i, int64_t j, int64_t k)
{
    int64_t ix[3] = {i, j, k};
    return tensor_get(t, ix);
}

/* x converted to the element type dt, as the kernels convert scalars. */
static double as_type(DType dt, double x)
{
    switch (dt) {
    case DT_BYTE: return (uint8_t)(int64_t)x;
    case DT_CHAR: return (int8_t)(int64_t)x;
    case DT_SHORT: return (int16_t)(int64_t)x;
    case DT_INT: return (int32_t)(int64_t)x;
    case DT_LONG: return (double)(int64_t)x;
    case DT_FLOAT: return (float)x;
    default: return x;
    }
}

static double tol_of(DType dt) { return dt == DT_FLOAT ? 1e-5 : dt == DT_DOUBLE ? 1e-12 : 0; }

static const DType all_types[] = {DT_BYTE, DT_CHAR, DT_SHORT, DT_INT, DT_LONG, DT_FLOAT, DT_DOUBLE};
static const DType float_types[] = {DT_FLOAT, DT_DOUBLE};

/* Checks every element of got against want (same element count). */
static int all_near(const Tensor *got, const Tensor *want, double tol)
{
    if (tensor_nelement(got) != tensor_nelement(want)) return 0;
    for (int64_t i = 0; i < tensor_nelement(got); i++)
        if (!check_near(flat(got, i), flat(want, i), tol)) {
            printf("  element %lld: got %.17g want %.17g\n", (long long)i, flat(got, i), flat(want, i));
            return 0;
        }
    return 1;
}

/* ---- element-wise ----------------------------------------------------------- */

static double ref_unary(TMUnary op, double x, DType dt)
{
    switch (op) {
    case TM_ABS: return fabs(x);
    case TM_SIGN: return x > 0 ? 1 : x < 0 ? -1 : 0;
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
    default: (void)dt; return 0;
    }
}

static void test_unary(void)
{
    for (int ti = 0; ti < 2; ti++) {
        DType dt = float_types[ti];
        for (int op = 0; op < TM_UNARY_COUNT; op++) {
            for (int strided = 0; strided < 3; strided++) {
                Tensor *x = strided == 1 ? new_t(dt, 5, 7) : strided == 2 ? new_n(dt, 5, 7) : new2(dt, 5, 7);
                fill_rand(x, -3, 3);
                /* domains: positive for log/sqrt, [-1, 1] for asin/acos */
                if (op == TM_LOG || op == TM_SQRT || op == TM_RSQRT || op == TM_LOG1P || op == TM_CINV)
                    tensor_scalar(x, x, TM_ADDV, 4);
                if (op == TM_ASIN || op == TM_ACOS) tensor_scalar(x, x, TM_MULV, 0.25);
                Tensor *r = tensor_new(dt);
                CHECK(tensor_unary(r, x, (TMUnary)op) == 0);
                int ok = tensor_nelement(r) == 35;
                for (int64_t i = 0; ok && i < 35; i++)
                    ok = check_near(flat(r, i), ref_unary((TMUnary)op, flat(x, i), dt), tol_of(dt));
                CHECK(ok);
                /* in place on the (possibly strided) view itself */
                Tensor *c = tensor_clone(x);
                CHECK(tensor_unary(x, x, (TMUnary)op) == 0);
                ok = 1;
                for (int64_t i = 0; ok && i < 35; i++)
                    ok = check_near(flat(x, i), ref_unary((TMUnary)op, flat(c, i), dt), tol_of(dt));
                CHECK(ok);
                tensor_release(c);
                tensor_release(r);
                tensor_release(x);
            }
        }
    }
    /* integer types: abs/sign/neg; float-only ops refuse */
    for (int ti = 0; ti < 5; ti++) {
        DType dt = all_types[ti];
        Tensor *x = new_t(dt, 3, 5), *r = tensor_new(dt);
        fill_rand(x, dt == DT_BYTE ? 0 : -9, 9);
        CHECK(tensor_unary(r, x, TM_SIGN) == 0);
        int ok = 1;
        for (int64_t i = 0; i < 15; i++) ok &= flat(r, i) == ref_unary(TM_SIGN, flat(x, i), dt);
        CHECK(ok);
        CHECK(tensor_unary(r, x, TM_ABS) == 0);
        ok = 1;
        for (int64_t i = 0; i < 15; i++) ok &= flat(r, i) == fabs(flat(x, i));
        CHECK(ok);
        CHECK(tensor_unary(r, x, TM_EXP) == -1);
        CHECK(strstr(th_lasterror(), "only defined for Float and Double") != NULL);
        tensor_release(x);
        tensor_release(r);
    }
    CHECK_NEAR(tensor_unary_number(2, TM_EXP), exp(2), 1e-15);
    CHECK_NEAR(tensor_unary_number(-2.5, TM_FRAC), -0.5, 1e-15);
}

static double ref_scalar(TMScalarOp op, double x, double c, DType dt)
{
    int fl = dtype_is_floating(dt);
    switch (op) {
    case TM_ADDV: return as_type(dt, x + c);
    case TM_MULV: return as_type(dt, x * c);
    case TM_DIVV: return fl ? as_type(dt, x / c) : as_type(dt, trunc(x / c));
    case TM_FMODV: return fmod(x, c);
    case TM_REMV: return fl ? as_type(dt, x - c * floor(x / c)) : x - c * floor(x / c);
    case TM_CMAXV: return x > c ? x : c;
    case TM_CMINV: return x < c ? x : c;
    case TM_POWV: return as_type(dt, pow(x, c));
    case TM_TPOWV: return as_type(dt, pow(c, x));
    }
    return 0;
}

static void test_scalar(void)
{
    const TMScalarOp ops[] = {TM_ADDV, TM_MULV, TM_DIVV, TM_FMODV, TM_REMV, TM_CMAXV, TM_CMINV, TM_POWV, TM_TPOWV};
    const double consts[] = {3, -2, 0.5, 2, 3, -1};
    for (int ti = 0; ti < 7; ti++) {
        DType dt = all_types[ti];
        int fl = dtype_is_floating(dt);
        for (int oi = 0; oi < 9; oi++) {
            if (!fl && (ops[oi] == TM_POWV || ops[oi] == TM_TPOWV)) continue;
            for (int ci = 0; ci < 6; ci++) {
                double c = consts[ci];
                if (dt == DT_BYTE && c < 0) continue;
                if (!fl && c == 0.5) continue;
                for (int strided = 0; strided < 2; strided++) {
                    Tensor *x = strided ? new_t(dt, 3, 7) : new1(dt, 19);
                    fill_rand(x, dt == DT_BYTE || ops[oi] == TM_POWV ? 1 : -20, 20);
                    Tensor *r = tensor_new(dt);
                    CHECK(tensor_scalar(r, x, ops[oi], c) == 0);
                    int ok = 1;
                    for (int64_t i = 0; ok && i < tensor_nelement(x); i++) {
                        double want = ref_scalar(ops[oi], flat(x, i), as_type(dt, c), dt);
                        ok = check_near(flat(r, i), want, fl ? tol_of(dt) : 0);
                        if (!ok) printf("  %s op %d c %g x %g: got %g want %g\n", dtype_name(dt), oi, c, flat(x, i), flat(r, i), want);
                    }
                    CHECK(ok);
                    tensor_release(x);
                    tensor_release(r);
                }
            }
        }
        /* integer division by zero is an error, not a crash */
        if (!fl) {
            Tensor *x = new1(dt, 3);
            CHECK(tensor_scalar(x, x, TM_DIVV, 0) == -1);
            CHECK(strstr(th_lasterror(), "division by zero") != NULL);
            CHECK(tensor_scalar(x, x, TM_REMV, 0) == -1);
            tensor_release(x);
        }
    }
    /* known values: C integer division truncates; remainder takes the sign of c */
    Tensor *x = new1(DT_INT, 2);
    int64_t i0 = 0, i1 = 1;
    tensor_set_elem(x, &i0, -7);
    tensor_set_elem(x, &i1, 7);
    Tensor *r = tensor_new(DT_INT);
    tensor_scalar(r, x, TM_DIVV, 2);
    CHECK(flat(r, 0) == -3 && flat(r, 1) == 3);
    tensor_scalar(r, x, TM_FMODV, 3);
    CHECK(flat(r, 0) == -1 && flat(r, 1) == 1);
    tensor_scalar(r, x, TM_REMV, 3);   /* the sign of the divisor */
    CHECK(flat(r, 0) == 2 && flat(r, 1) == 1);
    tensor_scalar(r, x, TM_REMV, -3);
    CHECK(flat(r, 0) == -1 && flat(r, 1) == -2);
    Tensor *xf = tensor_convert(x, DT_DOUBLE), *rf = tensor_new(DT_DOUBLE);
    tensor_scalar(rf, xf, TM_REMV, 3);   /* floats: the sign of the divisor */
    CHECK(flat(rf, 0) == 2 && flat(rf, 1) == 1);
    tensor_scalar(rf, xf, TM_REMV, -3);
    CHECK(flat(rf, 0) == -1 && flat(rf, 1) == -2);
    tensor_release(xf);
    tensor_release(rf);
    tensor_release(x);
    tensor_release(r);
    /* ByteTensor:add(1.5) adds 1; add(-1) wraps */
    Tensor *b = new1(DT_BYTE, 1);
    tensor_scalar(b, b, TM_ADDV, 1.5);
    CHECK(flat(b, 0) == 1);
    tensor_scalar(b, b, TM_ADDV, -2);
    CHECK(flat(b, 0) == 255);
    tensor_release(b);
    /* clamp and fill on a strided view */
    Tensor *t = new_t(DT_DOUBLE, 4, 5), *c = tensor_new(DT_DOUBLE);
    fill_rand(t, -5, 5);
    CHECK(tensor_clamp(c, t, -1, 2) == 0);
    int ok = 1;
    for (int64_t k = 0; k < 20; k++) ok &= flat(c, k) == fmin(fmax(flat(t, k), -1), 2);
    CHECK(ok);
    tensor_fill(t, 7);
    ok = 1;
    for (int64_t k = 0; k < 20; k++) ok &= flat(t, k) == 7;
    CHECK(ok);
    tensor_release(t);
    tensor_release(c);
}

static double ref_binary(TMBinary op, double a, double b, double v, DType dt)
{
    int fl = dtype_is_floating(dt);
    switch (op) {
    case TM_CADD: return as_type(dt, a + as_type(dt, v) * b);
    case TM_CMUL: return as_type(dt, a * b);
    case TM_CDIV: return fl ? as_type(dt, a / b) : as_type(dt, trunc(a / b));
    case TM_CPOW: return as_type(dt, pow(a, b));
    case TM_CMAX: return a > b ? a : b;
    case TM_CMIN: return a < b ? a : b;
    case TM_CFMOD: return fmod(a, b);
    case TM_CREM: return as_type(dt, a - b * floor(a / b));
    case TM_ATAN2: return atan2(a, b);
    }
    return 0;
}

static void test_binary(void)
{
    const TMBinary ops[] = {TM_CADD, TM_CMUL, TM_CDIV, TM_CPOW, TM_CMAX, TM_CMIN, TM_CFMOD, TM_CREM, TM_ATAN2};
    for (int ti = 0; ti < 7; ti++) {
        DType dt = all_types[ti];
        int fl = dtype_is_floating(dt);
        for (int oi = 0; oi < 9; oi++) {
            TMBinary op = ops[oi];
            if (op == TM_ATAN2 && !fl) continue;
            for (int layout = 0; layout < 4; layout++) {
                /* same shape contiguous; transposed views; different shapes with
                 * equal counts; narrowed views (dense rows) */
                Tensor *a = layout == 1 ? new_t(dt, 3, 7) : layout == 3 ? new_n(dt, 3, 7) : new2(dt, 3, 7);
                Tensor *b = layout == 0 ? new2(dt, 3, 7) : layout == 1 ? new_t(dt, 3, 7)
                          : layout == 3 ? new_n(dt, 3, 7) : new1(dt, 21);
                int small = op == TM_CPOW;
                fill_rand(a, dt == DT_BYTE || small ? 0 : -9, small ? 3 : 9);
                fill_rand(b, 1, small ? 3 : 9);   /* non-zero divisors */
                if (!small && dt != DT_BYTE && (op == TM_CFMOD || op == TM_CREM || op == TM_CDIV))
                    tensor_scalar(b, b, TM_MULV, -1);
                Tensor *r = layout == 3 ? new_n(dt, 3, 7) : tensor_new(dt);
                CHECK(tensor_binary(r, a, b, op, 2) == 0);
                CHECK(r->ndim == 2);   /* the first operand's shape */
                int ok = 1;
                for (int64_t i = 0; ok && i < 21; i++) {
                    double want = ref_binary(op, flat(a, i), flat(b, i), 2, dt);
                    ok = check_near(flat(r, i), want, fl ? tol_of(dt) : 0);
                    if (!ok) printf("  %s op %d: %g %g got %g want %g\n", dtype_name(dt), op, flat(a, i), flat(b, i), flat(r, i), want);
                }
                CHECK(ok);
                /* in place into the first operand */
                Tensor *ac = tensor_clone(a);
                CHECK(tensor_binary(a, a, b, op, 2) == 0);
                ok = 1;
                for (int64_t i = 0; i < 21; i++) ok &= flat(a, i) == flat(r, i);
                CHECK(ok);
                tensor_release(ac);
                tensor_release(a);
                tensor_release(b);
                tensor_release(r);
            }
        }
    }
    /* element counts must agree */
    Tensor *a = new1(DT_DOUBLE, 2), *b = new1(DT_DOUBLE, 3), *r = tensor_new(DT_DOUBLE);
    CHECK(tensor_binary(r, a, b, TM_CADD, 1) == -1);
    CHECK(strstr(th_lasterror(), "inconsistent tensor size") != NULL);
    CHECK(strstr(th_lasterror(), "2 and 3 elements") != NULL);
    Tensor *f = new1(DT_FLOAT, 2);
    CHECK(tensor_binary(r, a, f, TM_CMUL, 1) == -1);
    Tensor *iz = new1(DT_INT, 2), *iz2 = new1(DT_INT, 2);
    CHECK(tensor_binary(iz, iz, iz2, TM_CDIV, 1) == -1);
    CHECK(strstr(th_lasterror(), "division by zero") != NULL);
    tensor_release(iz);
    tensor_release(iz2);
    tensor_release(f);
    tensor_release(a);
    tensor_release(b);
    tensor_release(r);
}

static void test_addc_lerp(void)
{
    for (int ti = 0; ti < 7; ti++) {
        DType dt = all_types[ti];
        int fl = dtype_is_floating(dt);
        Tensor *t = new_t(dt, 4, 3), *a = new2(dt, 4, 3), *b = new1(dt, 12), *r = tensor_new(dt);
        fill_rand(t, 0, 9);
        fill_rand(a, 0, 9);
        fill_rand(b, 1, 4);
        CHECK(tensor_addcmul(r, t, 3, a, b) == 0);
        int ok = 1;
        for (int64_t i = 0; i < 12; i++)
            ok &= check_near(flat(r, i), as_type(dt, flat(t, i) + 3 * flat(a, i) * flat(b, i)), tol_of(dt));
        CHECK(ok);
        CHECK(tensor_addcdiv(r, t, 2, a, b) == 0);
        ok = 1;
        for (int64_t i = 0; i < 12; i++) {
            double q = fl ? 2 * flat(a, i) / flat(b, i) : trunc(2 * flat(a, i) / flat(b, i));
            ok &= check_near(flat(r, i), as_type(dt, flat(t, i) + q), tol_of(dt));
        }
        CHECK(ok);
        if (fl) {
            CHECK(tensor_lerp(r, a, t, 0.25) == 0);
            ok = 1;
            for (int64_t i = 0; i < 12; i++)
                ok &= check_near(flat(r, i), flat(a, i) + 0.25 * (flat(t, i) - flat(a, i)), tol_of(dt));
            CHECK(ok);
        } else {
            CHECK(tensor_lerp(r, a, t, 0.25) == -1);
        }
        tensor_release(t);
        tensor_release(a);
        tensor_release(b);
        tensor_release(r);
    }
}

static void test_compare(void)
{
    for (int ti = 0; ti < 7; ti++) {
        DType dt = all_types[ti];
        Tensor *a = ti % 2 ? new_t(dt, 3, 5) : new_n(dt, 3, 5), *b = new1(dt, 15);
        fill_rand(a, 0, 4);
        fill_rand(b, 0, 4);
        for (int op = TM_LT; op <= TM_NE; op++) {
            Tensor *rb = tensor_new(DT_BYTE), *rs = ti % 2 ? tensor_new(dt) : new_n(dt, 3, 5);
            CHECK(tensor_compare(rb, a, b, (TMCompare)op) == 0);
            CHECK(tensor_compare_scalar(rs, a, (TMCompare)op, 2) == 0);
            int ok = rb->ndim == 2 && rs->dtype == dt;
            for (int64_t i = 0; i < 15; i++) {
                double x = flat(a, i), y = flat(b, i);
                int w1 = op == TM_LT ? x < y : op == TM_LE ? x <= y : op == TM_GT ? x > y
                       : op == TM_GE ? x >= y : op == TM_EQ ? x == y : x != y;
                int w2 = op == TM_LT ? x < 2 : op == TM_LE ? x <= 2 : op == TM_GT ? x > 2
                       : op == TM_GE ? x >= 2 : op == TM_EQ ? x == 2 : x != 2;
                ok &= flat(rb, i) == w1 && flat(rs, i) == w2;
            }
            CHECK(ok);
            tensor_release(rb);
            tensor_release(rs);
        }
        Tensor *wrong = tensor_new(dt == DT_INT ? DT_LONG : DT_INT);
        CHECK(tensor_compare_scalar(wrong, a, TM_LT, 1) == -1);
        tensor_release(wrong);
        Tensor *c = tensor_clone(a);
        CHECK(tensor_equal(a, c) == 1);
        tensor_scalar(c, c, TM_ADDV, 1);
        CHECK(tensor_equal(a, c) == 0);
        CHECK(tensor_equal(a, b) == 0);  /* same values count, different shape */
        tensor_release(c);
        tensor_release(a);
        tensor_release(b);
    }
}

/* ---- reductions ---------------------------------------------------------------- */

static void test_reduce_all(void)
{
    for (int ti = 0; ti < 7; ti++) {
        DType dt = all_types[ti];
        int fl = dtype_is_floating(dt);
        for (int strided = 0; strided < 2; strided++) {
            Tensor *x = strided ? new_t(dt, 5, 3) : new2(dt, 5, 3);
            fill_rand(x, dt == DT_BYTE ? 0 : -5, 5);
            double s = 0, p = 1, mx = -1e300, mn = 1e300;
            for (int64_t i = 0; i < 15; i++) {
                double v = flat(x, i);
                s += v;
                p *= v;
                mx = fmax(mx, v);
                mn = fmin(mn, v);
            }
            double got;
            CHECK(tensor_sum_all(x, &got) == 0 && got == s);
            CHECK(tensor_prod_all(x, &got) == 0 && check_near(got, fl ? p : (double)(int64_t)p, 1e-12));
            CHECK(tensor_max_all(x, &got) == 0 && got == mx);
            CHECK(tensor_min_all(x, &got) == 0 && got == mn);
            if (fl) {
                double mean = s / 15, ss = 0;
                for (int64_t i = 0; i < 15; i++) ss += (flat(x, i) - mean) * (flat(x, i) - mean);
                CHECK(tensor_mean_all(x, &got) == 0 && check_near(got, mean, 1e-12));
                CHECK(tensor_var_all(x, 0, &got) == 0 && check_near(got, ss / 14, 1e-12));
                CHECK(tensor_std_all(x, 1, &got) == 0 && check_near(got, sqrt(ss / 15), 1e-12));
                double n1 = 0, n3 = 0, n0 = 0;
                for (int64_t i = 0; i < 15; i++) {
                    n1 += fabs(flat(x, i));
                    n3 += pow(fabs(flat(x, i)), 3.5);
                    n0 += flat(x, i) != 0;
                }
                CHECK(tensor_norm_all(x, 1, &got) == 0 && check_near(got, n1, 1e-12));
                CHECK(tensor_norm_all(x, 3.5, &got) == 0 && check_near(got, pow(n3, 1 / 3.5), dt == DT_FLOAT ? 1e-5 : 1e-12));
                CHECK(tensor_norm_all(x, 0, &got) == 0 && got == n0);
            } else {
                CHECK(tensor_mean_all(x, &got) == -1);
            }
            tensor_release(x);
        }
    }
    /* double accumulation for floats: {1e8, 1, -1e8} sums to 1 */
    Tensor *f = new1(DT_FLOAT, 3);
    int64_t i0 = 0, i1 = 1, i2 = 2;
    tensor_set_elem(f, &i0, 1e8);
    tensor_set_elem(f, &i1, 1);
    tensor_set_elem(f, &i2, -1e8);
    double got;
    tensor_sum_all(f, &got);
    CHECK(got == 1);
    /* NaN wins max */
    tensor_set_elem(f, &i1, NAN);
    tensor_max_all(f, &got);
    CHECK(isnan(got));
    tensor_release(f);
    Tensor *e = tensor_new(DT_DOUBLE);
    CHECK(tensor_max_all(e, &got) == -1);
    CHECK(tensor_sum_all(e, &got) == 0 && got == 0);
    tensor_release(e);
    /* all / any */
    Tensor *b = new1(DT_BYTE, 3);
    int v;
    CHECK(tensor_any(b, &v) == 0 && v == 0);
    tensor_set_elem(b, &i1, 1);
    CHECK(tensor_any(b, &v) == 0 && v == 1);
    CHECK(tensor_all(b, &v) == 0 && v == 0);
    tensor_fill(b, 2);
    CHECK(tensor_all(b, &v) == 0 && v == 1);
    Tensor *d = new1(DT_DOUBLE, 2);
    CHECK(tensor_all(d, &v) == -1);
    tensor_release(d);
    tensor_release(b);
}

/* Reference for a dim reduction of a 3-D tensor: fn over the slice. */
static void test_reduce_dim(void)
{
    for (int ti = 0; ti < 7; ti++) {
        DType dt = all_types[ti];
        int fl = dtype_is_floating(dt);
        for (int strided = 0; strided < 2; strided++) {
            Tensor *x;
            if (strided) {   /* a permuted 3x5x7 view */
                Tensor *base = new3(dt, 7, 3, 5);
                x = tensor_new(dt);
                int perm[3] = {1, 2, 0};
                tensor_permute(x, base, perm);
                tensor_release(base);
            } else {
                x = new3(dt, 3, 5, 7);
            }
            fill_rand(x, dt == DT_BYTE ? 0 : -4, 4);
            for (int dim = 0; dim < 3; dim++) {
                Tensor *s = tensor_new(dt), *p = tensor_new(dt), *mv = tensor_new(dt),
                       *mi = tensor_new(DT_LONG), *nv = tensor_new(dt), *ni = tensor_new(DT_LONG),
                       *cs = tensor_new(dt), *sv = tensor_new(dt), *si = tensor_new(DT_LONG),
                       *md = tensor_new(dt), *mdi = tensor_new(DT_LONG);
                CHECK(tensor_sum(s, x, dim) == 0);
                CHECK(tensor_prod(p, x, dim) == 0);
                CHECK(tensor_max(mv, mi, x, dim, 1) == 0);
                CHECK(tensor_min(nv, ni, x, dim, 0) == 0);
                CHECK(tensor_cumsum(cs, x, dim) == 0);
                CHECK(tensor_sort(sv, si, x, dim, dim == 1, 1) == 0);
                CHECK(tensor_median(md, mdi, x, dim, 1) == 0);
                CHECK(s->ndim == 3 && s->size[dim] == 1 && mi->size[dim] == 1);
                int ok = 1;
                int64_t n = x->size[dim];
                for (int64_t a = 0; a < x->size[(dim + 1) % 3]; a++)
                    for (int64_t b = 0; b < x->size[(dim + 2) % 3]; b++) {
                        int64_t ix[3], ox[3];
                        ix[(dim + 1) % 3] = ox[(dim + 1) % 3] = a;
                        ix[(dim + 2) % 3] = ox[(dim + 2) % 3] = b;
                        ox[dim] = 0;
                        double sum = 0, prod = 1, mx = -1e300, mn = 1e300;
                        int64_t amx = -1, amn = -1;
                        double vals[16];
                        for (int64_t k = 0; k < n; k++) {
                            ix[dim] = k;
                            double v = tensor_get(x, ix);
                            vals[k] = v;
                            sum += v;
                            prod *= v;
                            if (v > mx) { mx = v; amx = k; }
                            if (v < mn) { mn = v; amn = k; }
                            ok &= tensor_get(cs, ix) == as_type(dt, sum);
                        }
                        ok &= tensor_get(s, ox) == as_type(dt, sum);
                        ok &= tensor_get(p, ox) == as_type(dt, prod);
                        ok &= tensor_get(mv, ox) == mx && tensor_get(mi, ox) == amx + 1;
                        ok &= tensor_get(nv, ox) == mn && tensor_get(ni, ox) == amn;
                        /* sorted (descending along dim 1), a permutation via the indices */
                        for (int64_t k = 0; k < n; k++) {
                            ix[dim] = k;
                            double v = tensor_get(sv, ix);
                            int64_t src = (int64_t)tensor_get(si, ix) - 1;
                            ok &= src >= 0 && src < n && vals[src] == v;
                            if (k > 0) {
                                ix[dim] = k - 1;
                                double prev = tensor_get(sv, ix);
                                ok &= dim == 1 ? prev >= v : prev <= v;
                            }
                        }
                        /* lower median: the ((n-1)/2)-th smallest */
                        int cnt_below = 0, cnt_eq = 0;
                        double med = tensor_get(md, ox);
                        for (int64_t k = 0; k < n; k++) {
                            cnt_below += vals[k] < med;
                            cnt_eq += vals[k] == med;
                        }
                        ok &= cnt_below <= (n - 1) / 2 && cnt_below + cnt_eq > (n - 1) / 2;
                        ok &= vals[(int64_t)tensor_get(mdi, ox) - 1] == med;
                    }
                CHECK(ok);
                if (fl) {
                    Tensor *mean = tensor_new(dt), *var = tensor_new(dt), *sd = tensor_new(dt),
                           *nrm = tensor_new(dt);
                    CHECK(tensor_mean(mean, x, dim) == 0);
                    CHECK(tensor_var(var, x, dim, 0) == 0);
                    CHECK(tensor_std(sd, x, dim, 1) == 0);
                    CHECK(tensor_norm(nrm, x, 3, dim) == 0);
                    int okf = 1;
                    for (int64_t a = 0; a < x->size[(dim + 1) % 3]; a++)
                        for (int64_t b = 0; b < x->size[(dim + 2) % 3]; b++) {
                            int64_t ix[3], ox[3];
                            ix[(dim + 1) % 3] = ox[(dim + 1) % 3] = a;
                            ix[(dim + 2) % 3] = ox[(dim + 2) % 3] = b;
                            ox[dim] = 0;
                            double sum = 0, ss = 0, n3 = 0;
                            for (int64_t k = 0; k < n; k++) { ix[dim] = k; sum += tensor_get(x, ix); }
                            double m = sum / n;
                            for (int64_t k = 0; k < n; k++) {
                                ix[dim] = k;
                                double d = tensor_get(x, ix) - m;
                                ss += d * d;
                                n3 += fabs(pow(tensor_get(x, ix), 3));
                            }
                            double tl = dt == DT_FLOAT ? 1e-5 : 1e-10;
                            okf &= check_near(tensor_get(mean, ox), m, tl);
                            okf &= check_near(tensor_get(var, ox), ss / (n - 1), tl);
                            okf &= check_near(tensor_get(sd, ox), sqrt(ss / n), tl);
                            okf &= check_near(tensor_get(nrm, ox), pow(n3, 1.0 / 3), tl);
                        }
                    CHECK(okf);
                    tensor_release(mean);
                    tensor_release(var);
                    tensor_release(sd);
                    tensor_release(nrm);
                }
                tensor_release(s); tensor_release(p); tensor_release(mv); tensor_release(mi);
                tensor_release(nv); tensor_release(ni); tensor_release(cs); tensor_release(sv);
                tensor_release(si); tensor_release(md); tensor_release(mdi);
            }
            Tensor *r = tensor_new(dt);
            CHECK(tensor_sum(r, x, 3) == -1);
            CHECK(strstr(th_lasterror(), "out of range") != NULL);
            tensor_release(r);
            tensor_release(x);
        }
    }
}

static void test_sort_family(void)
{
    /* by hand: {3, 1, 2, 1, 5} */
    Tensor *x = new1(DT_DOUBLE, 5);
    const double xv[5] = {3, 1, 2, 1, 5};
    for (int64_t i = 0; i < 5; i++) tensor_set_elem(x, &i, xv[i]);
    Tensor *v = tensor_new(DT_DOUBLE), *ix = tensor_new(DT_LONG);
    CHECK(tensor_sort(v, ix, x, 0, 0, 1) == 0);
    CHECK(flat(v, 0) == 1 && flat(v, 1) == 1 && flat(v, 2) == 2 && flat(v, 4) == 5);
    CHECK(flat(ix, 0) == 2 && flat(ix, 1) == 4 && flat(ix, 4) == 5);   /* stable */
    CHECK(tensor_topk(v, ix, x, 2, 0, 1, 1, 1) == 0);
    CHECK(v->size[0] == 2 && flat(v, 0) == 5 && flat(v, 1) == 3 && flat(ix, 0) == 5 && flat(ix, 1) == 1);
    CHECK(tensor_topk(v, ix, x, 3, 0, 0, 1, 1) == 0);
    CHECK(flat(v, 0) == 1 && flat(v, 1) == 1 && flat(v, 2) == 2);
    CHECK(tensor_kthvalue(v, ix, x, 3, 0, 1) == 0);
    CHECK(flat(v, 0) == 2 && flat(ix, 0) == 3);
    CHECK(tensor_mode(v, ix, x, 0, 1) == 0);
    CHECK(flat(v, 0) == 1);
    CHECK(tensor_median(v, ix, x, 0, 1) == 0);
    CHECK(flat(v, 0) == 2);
    CHECK(tensor_kthvalue(v, ix, x, 6, 0, 1) == -1);
    CHECK(tensor_topk(v, ix, x, 6, 0, 1, 1, 1) == -1);
    CHECK(tensor_topk(v, ix, x, 0, 0, 1, 1, 1) == -1);
    Tensor *c = tensor_new(DT_DOUBLE);
    CHECK(tensor_cumprod(c, x, 0) == 0);
    CHECK(flat(c, 0) == 3 && flat(c, 1) == 3 && flat(c, 2) == 6 && flat(c, 4) == 30);
    /* histc: 5 bins over the data range [1, 5] */
    CHECK(tensor_histc(c, x, 5, 0, 0) == 0);
    CHECK(c->size[0] == 5 && flat(c, 0) == 2 && flat(c, 1) == 1 && flat(c, 2) == 1 &&
          flat(c, 3) == 0 && flat(c, 4) == 1);
    double d;
    Tensor *y = tensor_new(DT_DOUBLE);
    tensor_scalar(y, x, TM_ADDV, 1);
    CHECK(tensor_dist(x, y, 2, &d) == 0 && check_near(d, sqrt(5), 1e-15));
    CHECK(tensor_dist(x, y, 1, &d) == 0 && d == 5);
    tensor_release(y);
    tensor_release(c);
    tensor_release(x);
    tensor_release(v);
    tensor_release(ix);
}

/* Sizes past TH's insertion-sort cutoff (11), with many ties. */
static void test_sort_large(void)
{
    for (int ti = 0; ti < 7; ti++) {
        DType dt = all_types[ti];
        int64_t n = 257;
        Tensor *x = new_t(dt, 3, n), *v = tensor_new(dt), *ix = tensor_new(DT_LONG);
        fill_rand(x, 0, 20);
        for (int desc = 0; desc < 2; desc++) {
            CHECK(tensor_sort(v, ix, x, 1, desc, 1) == 0);
            int ok = 1;
            for (int64_t r = 0; r < 3; r++) {
                uint8_t seen[257] = {0};
                for (int64_t j = 0; j < n; j++) {
                    int64_t k = (int64_t)get2(ix, r, j) - 1;
                    ok &= k >= 0 && k < n && !seen[k] && get2(x, r, k) == get2(v, r, j);
                    if (k >= 0 && k < n) seen[k] = 1;
                    if (j) ok &= desc ? get2(v, r, j - 1) >= get2(v, r, j) : get2(v, r, j - 1) <= get2(v, r, j);
                }
            }
            CHECK(ok);
        }
        /* topk / kthvalue agree with the sorted values */
        Tensor *sv = tensor_new(dt), *si = tensor_new(DT_LONG), *tv = tensor_new(dt), *tix = tensor_new(DT_LONG);
        CHECK(tensor_sort(sv, si, x, 1, 0, 1) == 0);
        for (int largest = 0; largest < 2; largest++) {
            CHECK(tensor_topk(tv, tix, x, 40, 1, largest, 1, 1) == 0);
            int ok = tv->size[1] == 40;
            for (int64_t r = 0; r < 3; r++)
                for (int64_t j = 0; j < 40; j++) {
                    ok &= get2(tv, r, j) == get2(sv, r, largest ? n - 1 - j : j);
                    ok &= get2(x, r, (int64_t)get2(tix, r, j) - 1) == get2(tv, r, j);
                }
            CHECK(ok);
        }
        CHECK(tensor_kthvalue(tv, tix, x, 100, 1, 1) == 0);
        int ok = 1;
        for (int64_t r = 0; r < 3; r++)
            ok &= get2(tv, r, 0) == get2(sv, r, 99) && get2(x, r, (int64_t)get2(tix, r, 0) - 1) == get2(tv, r, 0);
        CHECK(ok);
        tensor_release(sv); tensor_release(si); tensor_release(tv); tensor_release(tix);
        tensor_release(x); tensor_release(v); tensor_release(ix);
    }
}

static void test_renorm(void)
{
    Tensor *x = new_t(DT_DOUBLE, 3, 4), *r = tensor_new(DT_DOUBLE);
    fill_rand(x, -5, 5);
    CHECK(tensor_renorm(r, x, 2, 0, 3) == 0);
    int ok = 1;
    for (int64_t i = 0; i < 3; i++) {
        double n = 0;
        for (int64_t j = 0; j < 4; j++) n += get2(x, i, j) * get2(x, i, j);
        n = sqrt(n);
        double f = n > 3 ? 3 / (n + 1e-7) : 1;
        for (int64_t j = 0; j < 4; j++) ok &= check_near(get2(r, i, j), get2(x, i, j) * f, 1e-12);
    }
    CHECK(ok);
    Tensor *v = new1(DT_DOUBLE, 3);
    CHECK(tensor_renorm(r, v, 2, 0, 1) == -1);
    tensor_release(v);
    tensor_release(x);
    tensor_release(r);
}

/* ---- BLAS -------------------------------------------------------------------- */

static void test_blas_vs_ref(void)
{
    /* OpenBLAS against the plain loops, all transpose combinations, odd sizes */
    for (int ti = 0; ti < 2; ti++) {
        DType dt = float_types[ti];
        size_t es = dtype_size(dt);
        int64_t m = 7, n = 5, k = 9;
        for (int ta = 0; ta < 2; ta++)
            for (int tb = 0; tb < 2; tb++) {
                Tensor *A = ta ? new2(dt, k, m) : new2(dt, m, k);
                Tensor *B = tb ? new2(dt, n, k) : new2(dt, k, n);
                Tensor *C1 = new2(dt, m, n), *C2;
                fill_rand(A, -3, 3);
                fill_rand(B, -3, 3);
                fill_rand(C1, -3, 3);
                C2 = tensor_clone(C1);
                blas_gemm(dt, ta ? 't' : 'n', tb ? 't' : 'n', m, n, k, 1.5, tensor_data(A),
                          A->size[1], tensor_data(B), B->size[1], 0.5, tensor_data(C1), n);
                blas_gemm_ref(dt, ta ? 't' : 'n', tb ? 't' : 'n', m, n, k, 1.5, tensor_data(A),
                              A->size[1], tensor_data(B), B->size[1], 0.5, tensor_data(C2), n);
                CHECK(all_near(C1, C2, tol_of(dt)));
                tensor_release(A);
                tensor_release(B);
                tensor_release(C1);
                tensor_release(C2);
            }
        for (int tr = 0; tr < 2; tr++) {
            Tensor *A = new2(dt, 6, 11), *x = new1(dt, 22), *y1 = new1(dt, 33), *y2;
            fill_rand(A, -3, 3);
            fill_rand(x, -3, 3);
            fill_rand(y1, -3, 3);
            y2 = tensor_clone(y1);
            int64_t len = tr ? 6 : 11;   /* x length = op(A)'s columns */
            (void)len;
            blas_gemv(dt, tr ? 't' : 'n', 6, 11, 2, tensor_data(A), 11, tensor_data(x), 2, -1, tensor_data(y1), 3);
            blas_gemv_ref(dt, tr ? 't' : 'n', 6, 11, 2, tensor_data(A), 11, tensor_data(x), 2, -1, tensor_data(y2), 3);
            CHECK(all_near(y1, y2, tol_of(dt)));
            tensor_release(A);
            tensor_release(x);
            tensor_release(y1);
            tensor_release(y2);
        }
        Tensor *x = new1(dt, 13), *y = new1(dt, 13), *A1 = new2(dt, 13, 13), *A2;
        fill_rand(x, -3, 3);
        fill_rand(y, -3, 3);
        fill_rand(A1, -3, 3);
        A2 = tensor_clone(A1);
        blas_ger(dt, 13, 13, 0.5, tensor_data(x), 1, tensor_data(y), 1, tensor_data(A1), 13);
        blas_ger_ref(dt, 13, 13, 0.5, tensor_data(x), 1, tensor_data(y), 1, tensor_data(A2), 13);
        CHECK(all_near(A1, A2, tol_of(dt)));
        CHECK_NEAR(blas_dot(dt, 13, tensor_data(x), 1, tensor_data(y), 1),
                   blas_dot_ref(dt, 13, tensor_data(x), 1, tensor_data(y), 1), 1e-6);
        Tensor *y2 = tensor_clone(y);
        blas_axpy(dt, 6, 3, tensor_data(x), 2, tensor_data(y), 2);
        blas_axpy_ref(dt, 6, 3, tensor_data(x), 2, tensor_data(y2), 2);
        CHECK(all_near(y, y2, tol_of(dt)));
        (void)es;
        tensor_release(x);
        tensor_release(y);
        tensor_release(y2);
        tensor_release(A1);
        tensor_release(A2);
    }
    /* beta = 0 ignores NaNs in C */
    double a = 2, b = 3, c = NAN;
    blas_gemm(DT_DOUBLE, 'n', 'n', 1, 1, 1, 1, &a, 1, &b, 1, 0, &c, 1);
    CHECK(c == 6);
    c = NAN;
    blas_gemm_ref(DT_DOUBLE, 'n', 'n', 1, 1, 1, 1, &a, 1, &b, 1, 0, &c, 1);
    CHECK(c == 6);
}

/* Naive res = beta * t + alpha * A . B through element access. */
static void ref_addmm(Tensor *want, double beta, const Tensor *t, double alpha, const Tensor *A,
                      const Tensor *B)
{
    int64_t M = A->size[0], K = A->size[1], N = B->size[1];
    int64_t s[2] = {M, N};
    tensor_resize(want, 2, s);
    for (int64_t i = 0; i < M; i++)
        for (int64_t j = 0; j < N; j++) {
            double acc = 0;
            for (int64_t l = 0; l < K; l++) acc += get2(A, i, l) * get2(B, l, j);
            int64_t ix[2] = {i, j};
            tensor_set_elem(want, ix, as_type(want->dtype, beta * get2(t, i, j) + alpha * acc));
        }
}

static void test_addmm(void)
{
    for (int ti = 0; ti < 7; ti++) {
        DType dt = all_types[ti];
        for (int layout = 0; layout < 8; layout++) {
            int64_t M = 5, K = 7, N = 3;
            Tensor *A = layout & 1 ? new_t(dt, M, K) : new2(dt, M, K);
            Tensor *B = layout & 2 ? new_t(dt, K, N) : new2(dt, K, N);
            Tensor *t = new2(dt, M, N);
            Tensor *res = layout & 4 ? new_t(dt, M, N) : tensor_new(dt);
            fill_rand(A, 0, 3);
            fill_rand(B, 0, 3);
            fill_rand(t, 0, 3);
            Tensor *want = tensor_new(dt);
            ref_addmm(want, 2, t, 3, A, B);
            CHECK(tensor_addmm(res, 2, t, 3, A, B) == 0);
            CHECK(res->size[0] == M && res->size[1] == N);
            CHECK(all_near(res, want, tol_of(dt)));
            /* in place, t = res, beta 0 ignores the old content */
            tensor_fill(res, NAN);
            CHECK(tensor_addmm(res, 0, res, 1, A, B) == 0);
            Tensor *z = new2(dt, M, N);
            ref_addmm(want, 0, z, 1, A, B);
            CHECK(all_near(res, want, tol_of(dt)));
            Tensor *mm = tensor_new(dt);
            CHECK(tensor_mm(mm, A, B) == 0 && all_near(mm, want, tol_of(dt)));
            tensor_release(mm);
            tensor_release(z);
            tensor_release(A);
            tensor_release(B);
            tensor_release(t);
            tensor_release(res);
            tensor_release(want);
        }
    }
    /* a strided result that BLAS cannot write directly (a narrow of a narrow) */
    Tensor *big = new2(DT_DOUBLE, 6, 8), *res = tensor_new(DT_DOUBLE);
    tensor_narrow(res, big, 1, 1, 3);
    Tensor *res2 = tensor_new(DT_DOUBLE);
    tensor_transpose(res2, res, 0, 1);   /* 3 x 6, strides (1, 8) -> column-major */
    Tensor *A = new2(DT_DOUBLE, 3, 4), *B = new2(DT_DOUBLE, 4, 6), *want = tensor_new(DT_DOUBLE);
    fill_rand(A, -2, 2);
    fill_rand(B, -2, 2);
    fill_rand(big, -2, 2);
    Tensor *t0 = tensor_clone(res2);
    ref_addmm(want, 1, t0, 1, A, B);
    CHECK(tensor_addmm(res2, 1, res2, 1, A, B) == 0);
    CHECK(all_near(res2, want, 1e-12));
    /* expanded (stride 0) operand goes through a copy */
    Tensor *row = new2(DT_DOUBLE, 1, 4), *ex = tensor_new(DT_DOUBLE);
    fill_rand(row, -2, 2);
    int64_t es[2] = {3, 4};
    tensor_expand(ex, row, 2, es);
    Tensor *r3 = tensor_new(DT_DOUBLE), *z = new2(DT_DOUBLE, 3, 6);
    CHECK(tensor_addmm(r3, 0, z, 1, ex, B) == 0);
    ref_addmm(want, 0, z, 1, ex, B);
    CHECK(all_near(r3, want, 1e-12));
    /* errors */
    CHECK(tensor_mm(r3, A, A) == -1);
    CHECK(strstr(th_lasterror(), "size mismatch, m1: [3 x 4], m2: [3 x 4]") != NULL);
    Tensor *f = new2(DT_FLOAT, 4, 6);
    CHECK(tensor_mm(r3, A, f) == -1);
    CHECK(tensor_mm(r3, A, row->ndim == 2 ? t0 : t0) == -1);
    tensor_release(f);
    tensor_release(row); tensor_release(ex); tensor_release(r3); tensor_release(z);
    tensor_release(t0); tensor_release(big); tensor_release(res); tensor_release(res2);
    tensor_release(A); tensor_release(B); tensor_release(want);
}

static void test_addmv_addr_dot(void)
{
    for (int ti = 0; ti < 7; ti++) {
        DType dt = all_types[ti];
        for (int layout = 0; layout < 4; layout++) {
            Tensor *M = layout & 1 ? new_t(dt, 5, 7) : new2(dt, 5, 7);
            Tensor *v = layout & 2 ? new_strided1(dt, 7) : new1(dt, 7);
            Tensor *t = new1(dt, 5), *res = layout & 2 ? new_strided1(dt, 5) : tensor_new(dt);
            fill_rand(M, 0, 3);
            fill_rand(v, 0, 3);
            fill_rand(t, 0, 3);
            CHECK(tensor_addmv(res, 2, t, 3, M, v) == 0);
            int ok = res->ndim == 1 && res->size[0] == 5;
            for (int64_t i = 0; ok && i < 5; i++) {
                double acc = 0;
                for (int64_t j = 0; j < 7; j++) acc += get2(M, i, j) * flat(v, j);
                ok = check_near(flat(res, i), as_type(dt, 2 * flat(t, i) + 3 * acc), tol_of(dt));
            }
            CHECK(ok);
            Tensor *mv = tensor_new(dt);
            CHECK(tensor_mv(mv, M, v) == 0 && mv->size[0] == 5);
            /* addr: res (5 x 7) = 2 t + 3 x y^T, col-major result when layout & 1 */
            Tensor *x = new1(dt, 5), *T2 = new2(dt, 5, 7), *R = layout & 1 ? new_t(dt, 5, 7) : tensor_new(dt);
            fill_rand(x, 0, 3);
            fill_rand(T2, 0, 3);
            CHECK(tensor_addr(R, 2, T2, 3, x, v) == 0);
            ok = 1;
            for (int64_t i = 0; i < 5; i++)
                for (int64_t j = 0; j < 7; j++)
                    ok &= check_near(get2(R, i, j), as_type(dt, 2 * get2(T2, i, j) + 3 * flat(x, i) * flat(v, j)), tol_of(dt));
            CHECK(ok);
            Tensor *g = tensor_new(dt);
            CHECK(tensor_ger(g, x, v) == 0 && g->size[0] == 5 && g->size[1] == 7);
            CHECK(get2(g, 4, 6) == as_type(dt, flat(x, 4) * flat(v, 6)));
            double d, want = 0;
            for (int64_t j = 0; j < 7; j++) want += flat(v, j) * get2(M, 0, j);
            Tensor *row = tensor_new(dt);
            tensor_select(row, M, 0, 0);
            CHECK(tensor_dot(v, row, &d) == 0 && check_near(d, as_type(dt, want), tol_of(dt)));
            tensor_release(row); tensor_release(g); tensor_release(x); tensor_release(T2);
            tensor_release(R); tensor_release(mv); tensor_release(M); tensor_release(v);
            tensor_release(t); tensor_release(res);
        }
    }
    Tensor *M = new2(DT_DOUBLE, 2, 3), *v = new1(DT_DOUBLE, 4), *r = tensor_new(DT_DOUBLE);
    CHECK(tensor_mv(r, M, v) == -1);
    CHECK(strstr(th_lasterror(), "size mismatch") != NULL);
    tensor_release(M); tensor_release(v); tensor_release(r);
}

static void test_batched(void)
{
    for (int ti = 0; ti < 2; ti++) {
        DType dt = ti ? DT_DOUBLE : DT_INT;
        Tensor *b1 = new3(dt, 4, 3, 5), *b2 = new3(dt, 4, 5, 2), *t3 = new3(dt, 4, 3, 2),
               *t2 = new2(dt, 3, 2), *r3 = tensor_new(dt), *r2 = tensor_new(dt), *bm = tensor_new(dt);
        fill_rand(b1, 0, 3);
        fill_rand(b2, 0, 3);
        fill_rand(t3, 0, 3);
        fill_rand(t2, 0, 3);
        CHECK(tensor_baddbmm(r3, 2, t3, 3, b1, b2) == 0);
        CHECK(tensor_addbmm(r2, 2, t2, 3, b1, b2) == 0);
        CHECK(tensor_bmm(bm, b1, b2) == 0);
        int ok = 1;
        for (int64_t i = 0; i < 3; i++)
            for (int64_t j = 0; j < 2; j++) {
                double tot = 0;
                for (int64_t b = 0; b < 4; b++) {
                    double acc = 0;
                    for (int64_t l = 0; l < 5; l++) acc += get3(b1, b, i, l) * get3(b2, b, l, j);
                    tot += acc;
                    ok &= get3(r3, b, i, j) == 2 * get3(t3, b, i, j) + 3 * acc;
                    ok &= get3(bm, b, i, j) == acc;
                }
                ok &= get2(r2, i, j) == 2 * get2(t2, i, j) + 3 * tot;
            }
        CHECK(ok);
        tensor_release(b1); tensor_release(b2); tensor_release(t3); tensor_release(t2);
        tensor_release(r3); tensor_release(r2); tensor_release(bm);
    }
}

/* ---- shapes ----------------------------------------------------------------------- */

static void test_shapes(void)
{
    /* cross along dim 1 of a 4 x 3 (non-contiguous) */
    Tensor *a = new_t(DT_DOUBLE, 4, 3), *b = new2(DT_DOUBLE, 4, 3), *c = tensor_new(DT_DOUBLE);
    fill_rand(a, -3, 3);
    fill_rand(b, -3, 3);
    CHECK(tensor_cross(c, a, b, -1) == 0);   /* first dim of size 3 is dim 1 */
    int ok = 1;
    for (int64_t i = 0; i < 4; i++) {
        double x0 = get2(a, i, 0), x1 = get2(a, i, 1), x2 = get2(a, i, 2);
        double y0 = get2(b, i, 0), y1 = get2(b, i, 1), y2 = get2(b, i, 2);
        ok &= get2(c, i, 0) == x1 * y2 - x2 * y1 && get2(c, i, 1) == x2 * y0 - x0 * y2 &&
              get2(c, i, 2) == x0 * y1 - x1 * y0;
    }
    CHECK(ok);
    CHECK(tensor_cross(c, a, b, 0) == -1);
    /* diag both ways, with offsets */
    Tensor *v = new1(DT_LONG, 3), *d = tensor_new(DT_LONG), *back = tensor_new(DT_LONG);
    fill_rand(v, 1, 9);
    CHECK(tensor_diag(d, v, 1) == 0 && d->size[0] == 4 && d->size[1] == 4);
    CHECK(get2(d, 0, 1) == flat(v, 0) && get2(d, 2, 3) == flat(v, 2) && get2(d, 0, 0) == 0);
    CHECK(tensor_diag(back, d, 1) == 0 && back->size[0] == 3 && all_near(back, v, 0));
    CHECK(tensor_diag(d, v, -2) == 0 && d->size[0] == 5 && get2(d, 2, 0) == flat(v, 0));
    double tr;
    Tensor *sq = new_t(DT_DOUBLE, 3, 3);
    fill_rand(sq, -4, 4);
    CHECK(tensor_trace(sq, &tr) == 0 && tr == get2(sq, 0, 0) + get2(sq, 1, 1) + get2(sq, 2, 2));
    /* tril / triu */
    Tensor *m = new_t(DT_FLOAT, 4, 5), *lo = tensor_new(DT_FLOAT), *up = tensor_new(DT_FLOAT);
    fill_rand(m, 1, 9);
    CHECK(tensor_tril(lo, m, 0) == 0 && tensor_triu(up, m, 1) == 0);
    ok = 1;
    for (int64_t i = 0; i < 4; i++)
        for (int64_t j = 0; j < 5; j++) {
            ok &= get2(lo, i, j) == (j <= i ? get2(m, i, j) : 0);
            ok &= get2(up, i, j) == (j >= i + 1 ? get2(m, i, j) : 0);
            ok &= get2(lo, i, j) + get2(up, i, j) == get2(m, i, j);
        }
    CHECK(ok);
    /* cat: default dim (last), explicit dim, size mismatch */
    Tensor *p = new2(DT_INT, 2, 3), *q = new2(DT_INT, 2, 2), *r = tensor_new(DT_INT);
    fill_rand(p, 0, 9);
    fill_rand(q, 0, 9);
    Tensor *list[2] = {p, q};
    CHECK(tensor_cat(r, list, 2, -1) == 0 && r->size[0] == 2 && r->size[1] == 5);
    CHECK(get2(r, 1, 2) == get2(p, 1, 2) && get2(r, 1, 4) == get2(q, 1, 1));
    CHECK(tensor_cat(r, list, 2, 0) == -1);
    CHECK(strstr(th_lasterror(), "inconsistent tensor sizes") != NULL);
    Tensor *v1 = new1(DT_INT, 2), *v2 = new1(DT_INT, 2);
    Tensor *l2[2] = {v1, v2};
    CHECK(tensor_cat(r, l2, 2, 1) == 0 && r->ndim == 2 && r->size[0] == 2 && r->size[1] == 2);
    /* eye / range / linspace / logspace */
    Tensor *e = tensor_new(DT_BYTE);
    CHECK(tensor_eye(e, 2, 3) == 0 && get2(e, 1, 1) == 1 && get2(e, 1, 2) == 0 && get2(e, 0, 0) == 1);
    Tensor *g = tensor_new(DT_DOUBLE);
    CHECK(tensor_range(g, 1, 2, 0.25) == 0 && g->size[0] == 5 && flat(g, 4) == 2 && flat(g, 1) == 1.25);
    CHECK(tensor_range(g, 3, 1, -1) == 0 && g->size[0] == 3 && flat(g, 2) == 1);
    CHECK(tensor_range(g, 1, 2, -1) == -1);
    CHECK(tensor_range(g, 1, 2, 0) == -1);
    CHECK(tensor_linspace(g, 0, 1, 5) == 0 && g->size[0] == 5 && flat(g, 1) == 0.25 && flat(g, 4) == 1);
    CHECK(tensor_logspace(g, 0, 2, 3) == 0 && check_near(flat(g, 1), 10, 1e-14) && check_near(flat(g, 2), 100, 1e-14));
    CHECK(tensor_linspace(e, 0, 1, 5) == -1);
    tensor_release(a); tensor_release(b); tensor_release(c); tensor_release(v); tensor_release(d);
    tensor_release(back); tensor_release(sq); tensor_release(m); tensor_release(lo); tensor_release(up);
    tensor_release(p); tensor_release(q); tensor_release(r); tensor_release(v1); tensor_release(v2);
    tensor_release(e); tensor_release(g);
}

/* ---- indexing --------------------------------------------------------------------- */

static Tensor *long_vec(int n, const int64_t *v)
{
    Tensor *t = new1(DT_LONG, n);
    for (int64_t i = 0; i < n; i++) tensor_set_elem(t, &i, (double)v[i]);
    return t;
}

static void test_indexing(void)
{
    Tensor *x = new_t(DT_DOUBLE, 4, 3);
    fill_rand(x, -9, 9);
    const int64_t iv[3] = {3, 1, 3};
    Tensor *idx = long_vec(3, iv), *r = tensor_new(DT_DOUBLE);
    /* index along dim 0 with 1-based indices */
    CHECK(tensor_index_select(r, x, 0, idx, 1) == 0 && r->size[0] == 3 && r->size[1] == 3);
    int ok = 1;
    for (int64_t i = 0; i < 3; i++)
        for (int64_t j = 0; j < 3; j++) ok &= get2(r, i, j) == get2(x, iv[i] - 1, j);
    CHECK(ok);
    CHECK(tensor_index_select(r, x, 1, idx, 0) == -1);   /* 0-based 3 is out of range */
    CHECK(strstr(th_lasterror(), "out of range") != NULL);
    /* indexCopy / indexAdd / indexFill along dim 1 */
    Tensor *dst = new2(DT_DOUBLE, 4, 3), *src = new2(DT_DOUBLE, 4, 2);
    fill_rand(src, 1, 9);
    const int64_t jv[2] = {3, 1};
    Tensor *jdx = long_vec(2, jv);
    CHECK(tensor_index_copy(dst, 1, jdx, src, 1) == 0);
    CHECK(get2(dst, 2, 2) == get2(src, 2, 0) && get2(dst, 2, 0) == get2(src, 2, 1) && get2(dst, 2, 1) == 0);
    CHECK(tensor_index_add(dst, 1, jdx, src, 1) == 0);
    CHECK(get2(dst, 3, 2) == 2 * get2(src, 3, 0));
    CHECK(tensor_index_fill(dst, 1, jdx, -1, 1) == 0);
    CHECK(get2(dst, 0, 0) == -1 && get2(dst, 0, 2) == -1 && get2(dst, 0, 1) == 0);
    /* gather / scatter along dim 1 */
    Tensor *gi = new2(DT_LONG, 4, 2), *gr = tensor_new(DT_DOUBLE);
    fill_rand(gi, 1, 3);
    CHECK(tensor_gather(gr, x, 1, gi, 1) == 0 && gr->size[0] == 4 && gr->size[1] == 2);
    ok = 1;
    for (int64_t i = 0; i < 4; i++)
        for (int64_t j = 0; j < 2; j++) ok &= get2(gr, i, j) == get2(x, i, (int64_t)get2(gi, i, j) - 1);
    CHECK(ok);
    Tensor *sc = new2(DT_DOUBLE, 4, 3);
    CHECK(tensor_scatter(sc, 1, gi, gr, 0, 1) == 0);
    ok = 1;
    for (int64_t i = 0; i < 4; i++)
        for (int64_t j = 0; j < 2; j++) ok &= get2(sc, i, (int64_t)get2(gi, i, j) - 1) == get2(x, i, (int64_t)get2(gi, i, j) - 1);
    CHECK(ok);
    CHECK(tensor_scatter(sc, 1, gi, NULL, 5, 1) == 0 && get2(sc, 0, (int64_t)get2(gi, 0, 0) - 1) == 5);
    tensor_fill(gi, 4);
    CHECK(tensor_gather(gr, x, 1, gi, 1) == -1);
    /* masked ops in row-major order on a strided tensor */
    Tensor *mask = tensor_new(DT_BYTE);
    CHECK(tensor_compare_scalar(mask, x, TM_GT, 0) == 0);
    Tensor *sel = tensor_new(DT_DOUBLE);
    CHECK(tensor_masked_select(sel, x, mask) == 0);
    int64_t k = 0;
    ok = 1;
    for (int64_t i = 0; i < 12; i++)
        if (flat(x, i) > 0) ok &= flat(sel, k++) == flat(x, i);
    CHECK(ok && (k == 0 ? sel->ndim == 0 : sel->size[0] == k));
    Tensor *xc = tensor_clone(x);
    CHECK(tensor_masked_fill(x, mask, 100) == 0);
    ok = 1;
    for (int64_t i = 0; i < 12; i++) ok &= flat(x, i) == (flat(xc, i) > 0 ? 100 : flat(xc, i));
    CHECK(ok);
    Tensor *seq = tensor_new(DT_DOUBLE);
    tensor_range(seq, 1, 12, 1);
    CHECK(tensor_masked_copy(x, mask, seq) == 0);
    k = 0;
    ok = 1;
    for (int64_t i = 0; i < 12; i++) ok &= flat(xc, i) > 0 ? flat(x, i) == ++k : flat(x, i) == flat(xc, i);
    CHECK(ok);
    Tensor *nz = tensor_new(DT_LONG);
    CHECK(tensor_nonzero(nz, mask, 1) == 0);
    if (k > 0) {
        CHECK(nz->size[0] == k && nz->size[1] == 2);
        int64_t row = 0;
        ok = 1;
        for (int64_t i = 0; i < 4; i++)
            for (int64_t j = 0; j < 3; j++)
                if (get2(mask, i, j)) { ok &= get2(nz, row, 0) == i + 1 && get2(nz, row, 1) == j + 1; row++; }
        CHECK(ok);
    }
    Tensor *bad = new1(DT_BYTE, 5);
    CHECK(tensor_masked_fill(x, bad, 1) == -1);
    CHECK(strstr(th_lasterror(), "inconsistent tensor size") != NULL);
    tensor_release(bad); tensor_release(nz); tensor_release(seq); tensor_release(xc);
    tensor_release(sel); tensor_release(mask); tensor_release(sc); tensor_release(gi);
    tensor_release(gr); tensor_release(jdx); tensor_release(dst); tensor_release(src);
    tensor_release(x); tensor_release(idx); tensor_release(r);
}

/* ---- convolution -------------------------------------------------------------------- */

static void test_conv2(void)
{
    for (int ti = 0; ti < 2; ti++) {
        DType dt = float_types[ti];
        Tensor *x = new_t(dt, 6, 7), *k = new2(dt, 3, 2), *r = tensor_new(dt);
        fill_rand(x, -3, 3);
        fill_rand(k, -3, 3);
        for (int full = 0; full < 2; full++)
            for (int xc = 0; xc < 2; xc++) {
                CHECK(tensor_conv2(r, x, k, full ? 'F' : 'V', xc) == 0);
                int64_t oh = full ? 8 : 4, ow = full ? 8 : 6;
                int ok = r->size[0] == oh && r->size[1] == ow;
                for (int64_t i = 0; ok && i < oh; i++)
                    for (int64_t j = 0; j < ow; j++) {
                        double s = 0;
                        for (int64_t a = 0; a < 3; a++)
                            for (int64_t b = 0; b < 2; b++) {
                                /* input pixel under kernel tap (a, b) */
                                int64_t yi = full ? i - (xc ? 2 - a : a) : i + (xc ? a : 2 - a);
                                int64_t xi = full ? j - (xc ? 1 - b : b) : j + (xc ? b : 1 - b);
                                if (yi >= 0 && yi < 6 && xi >= 0 && xi < 7) s += get2(x, yi, xi) * get2(k, a, b);
                            }
                        ok &= check_near(get2(r, i, j), s, tol_of(dt));
                    }
                CHECK(ok);
            }
        CHECK(tensor_conv2(r, k, x, 'V', 0) == -1);
        /* 3D input, 4D kernel: output plane o = sum over planes i of conv2(x[i], k[o][i]) */
        Tensor *x3 = new3(dt, 2, 5, 6), *k4 = tensor_new_sized(dt, 4, (int64_t[]){3, 2, 2, 3});
        Tensor *r3 = tensor_new(dt), *xi = tensor_new(dt), *ki = tensor_new(dt), *kt = tensor_new(dt),
               *p2 = tensor_new(dt), *acc = tensor_new(dt);
        fill_rand(x3, -3, 3);
        fill_rand(k4, -3, 3);
        for (int full = 0; full < 2; full++) {
            CHECK(tensor_conv2(r3, x3, k4, full ? 'F' : 'V', 1) == 0);
            int ok = r3->ndim == 3 && r3->size[0] == 3;
            for (int64_t o = 0; ok && o < 3; o++) {
                for (int64_t i = 0; i < 2; i++) {
                    tensor_select(xi, x3, 0, i);
                    tensor_select(kt, k4, 0, o);
                    tensor_select(ki, kt, 0, i);
                    tensor_conv2(p2, xi, ki, full ? 'F' : 'V', 1);
                    if (i == 0) { tensor_resize_as(acc, p2); tensor_copy(acc, p2); }
                    else tensor_binary(acc, acc, p2, TM_CADD, 1);
                }
                tensor_select(kt, r3, 0, o);
                ok = all_near(kt, acc, tol_of(dt));
            }
            CHECK(ok);
        }
        /* 3D with 3D: plane by plane */
        Tensor *k3 = new3(dt, 2, 2, 2);
        fill_rand(k3, -3, 3);
        CHECK(tensor_conv2(r3, x3, k3, 'V', 0) == 0 && r3->size[0] == 2 && r3->size[1] == 4);
        tensor_select(xi, x3, 0, 1);
        tensor_select(ki, k3, 0, 1);
        tensor_conv2(p2, xi, ki, 'V', 0);
        tensor_select(acc, r3, 0, 1);
        CHECK(all_near(acc, p2, tol_of(dt)));
        CHECK(tensor_conv2(r3, x3, k, 'V', 0) == -1);
        tensor_release(k3); tensor_release(x3); tensor_release(k4); tensor_release(r3);
        tensor_release(xi); tensor_release(ki); tensor_release(kt); tensor_release(p2); tensor_release(acc);
        tensor_release(x);
        tensor_release(k);
        tensor_release(r);
    }
}

static void test_conv3(void)
{
    for (int ti = 0; ti < 2; ti++) {
        DType dt = float_types[ti];
        Tensor *x = new3(dt, 4, 5, 6), *k = new3(dt, 2, 3, 2), *r = tensor_new(dt);
        fill_rand(x, -3, 3);
        fill_rand(k, -3, 3);
        for (int full = 0; full < 2; full++)
            for (int xc = 0; xc < 2; xc++) {
                CHECK(tensor_conv3(r, x, k, full ? 'F' : 'V', xc) == 0);
                int64_t od = full ? 5 : 3, oh = full ? 7 : 3, ow = full ? 7 : 5;
                int ok = r->size[0] == od && r->size[1] == oh && r->size[2] == ow;
                for (int64_t z = 0; ok && z < od; z++)
                    for (int64_t i = 0; i < oh; i++)
                        for (int64_t j = 0; j < ow; j++) {
                            double sum = 0;
                            for (int64_t c = 0; c < 2; c++)
                                for (int64_t a = 0; a < 3; a++)
                                    for (int64_t b = 0; b < 2; b++) {
                                        /* input voxel under kernel tap (c, a, b) */
                                        int64_t zi = full ? z - (xc ? 1 - c : c) : z + (xc ? c : 1 - c);
                                        int64_t yi = full ? i - (xc ? 2 - a : a) : i + (xc ? a : 2 - a);
                                        int64_t xi = full ? j - (xc ? 1 - b : b) : j + (xc ? b : 1 - b);
                                        if (zi >= 0 && zi < 4 && yi >= 0 && yi < 5 && xi >= 0 && xi < 6)
                                            sum += get3(x, zi, yi, xi) * get3(k, c, a, b);
                                    }
                            ok &= check_near(get3(r, z, i, j), sum, tol_of(dt));
                        }
                CHECK(ok);
            }
        CHECK(tensor_conv3(r, k, x, 'V', 0) == -1);
        tensor_release(x);
        tensor_release(k);
        tensor_release(r);
    }
}

static const CheckTest tests[] = {
    {"unary", test_unary},
    {"scalar", test_scalar},
    {"binary", test_binary},
    {"addc_lerp", test_addc_lerp},
    {"compare", test_compare},
    {"reduce_all", test_reduce_all},
    {"reduce_dim", test_reduce_dim},
    {"sort_family", test_sort_family},
    {"sort_large", test_sort_large},
    {"renorm", test_renorm},
    {"blas_vs_ref", test_blas_vs_ref},
    {"addmm", test_addmm},
    {"addmv_addr_dot", test_addmv_addr_dot},
    {"batched", test_batched},
    {"shapes", test_shapes},
    {"indexing", test_indexing},
    {"conv2", test_conv2},
    {"conv3", test_conv3},
    {NULL, NULL}};

CHECK_MAIN(tests)
