/* tensor_math_impl.h: the typed inner loops of tensor_math.c, included once
 * per element type with
 *   REAL         the element type            ACCREAL   TH's accumulation type
 *   SFX(name)    name##_<type suffix>         TM_FLOAT  1 for float/double
 *   TM_UNSIGNED  1 for uint8                  TM_F(f)   float libm name (floorf / floor)
 * Everything here is static.  Kernels take plain pointers to CONTIGUOUS data
 * (the callers in tensor_math.c make operands contiguous or walk rows) and
 * switch on the operation once per call, never per element, so each case is
 * a simple loop the compiler can vectorise.  Arithmetic follows TH's
 * expressions term by term (same operand order, same precision) so results
 * match Torch7 bit for bit; in particular TH used the float libm functions
 * (expf, powf...) for Float tensors (its TH_MATH_NAME), and the double ones
 * in a few places (tpow, cpow, fmod, remainder's floor), kept here. */

#if TM_FLOAT
#define TM_ISNAN(x) isnan(x)
#else
#define TM_ISNAN(x) 0
#endif

/* double scalar -> element: integers go through int64 so out-of-range values
 * wrap instead of being undefined behaviour (TH's casts did wrap on x86). */
static inline REAL SFX(cv)(double v)
{
#if TM_FLOAT
    return (REAL)v;
#else
    /* out of range or NaN: what x86's conversion gives (INT64_MIN), without
     * the undefined behaviour of the C cast */
    if (!(v > -9223372036854775808.0 && v < 9223372036854775808.0)) return (REAL)INT64_MIN;
    return (REAL)(int64_t)v;
#endif
}

/* Integer + and * that wrap (in unsigned arithmetic: signed overflow is
 * undefined in C); plain for floats. */
#if TM_FLOAT
#define TM_ADD(a, b) ((a) + (b))
#define TM_MUL(a, b) ((a) * (b))
#else
#define TM_ADD(a, b) ((REAL)((uint64_t)(int64_t)(a) + (uint64_t)(int64_t)(b)))
#define TM_MUL(a, b) ((REAL)((uint64_t)(int64_t)(a) * (uint64_t)(int64_t)(b)))
#endif

/* Integer negation that wraps (INT_MIN / -1 traps in C). */
static inline REAL SFX(wrapneg)(REAL x)
{
    return (REAL)(0 - (uint64_t)(int64_t)x);
}

/* ---- fill / unary -------------------------------------------------------- */

static void SFX(fill)(REAL *y, int64_t n, int64_t st, REAL v)
{
    if (st == 1) {
        for (int64_t i = 0; i < n; i++) y[i] = v;
    } else {
        for (int64_t i = 0; i < n; i++) y[i * st] = v;
    }
}

static void SFX(unary)(REAL *y, const REAL *x, int64_t n, TMUnary op)
{
    int64_t i;
    switch (op) {
    case TM_ABS:
#if TM_UNSIGNED
        for (i = 0; i < n; i++) y[i] = x[i];
#elif TM_FLOAT
        for (i = 0; i < n; i++) y[i] = TM_F(fabs)(x[i]);
#else
        for (i = 0; i < n; i++) y[i] = x[i] < 0 ? SFX(wrapneg)(x[i]) : x[i];
#endif
        break;
    case TM_SIGN:
#if TM_UNSIGNED
        for (i = 0; i < n; i++) y[i] = x[i] > 0 ? 1 : 0;
#else
        for (i = 0; i < n; i++) y[i] = x[i] > 0 ? 1 : (x[i] < 0 ? -1 : 0);
#endif
        break;
    case TM_NEG:
#if TM_FLOAT
        for (i = 0; i < n; i++) y[i] = -x[i];
#else
        for (i = 0; i < n; i++) y[i] = SFX(wrapneg)(x[i]);
#endif
        break;
#if TM_FLOAT
    case TM_EXP: for (i = 0; i < n; i++) y[i] = TM_F(exp)(x[i]); break;
    case TM_LOG: for (i = 0; i < n; i++) y[i] = TM_F(log)(x[i]); break;
    case TM_LOG1P: for (i = 0; i < n; i++) y[i] = TM_F(log1p)(x[i]); break;
    case TM_SQRT: for (i = 0; i < n; i++) y[i] = TM_F(sqrt)(x[i]); break;
    case TM_RSQRT: for (i = 0; i < n; i++) y[i] = (REAL)1 / TM_F(sqrt)(x[i]); break;
    /* tanh: unreached for float/double, unary_kernel calls nn_tanh_forward (same bits) */
    case TM_TANH: for (i = 0; i < n; i++) y[i] = TM_F(tanh)(x[i]); break;
    case TM_SIGMOID: for (i = 0; i < n; i++) y[i] = (REAL)1 / ((REAL)1 + TM_F(exp)(-x[i])); break;
    case TM_SIN: for (i = 0; i < n; i++) y[i] = TM_F(sin)(x[i]); break;
    case TM_COS: for (i = 0; i < n; i++) y[i] = TM_F(cos)(x[i]); break;
    case TM_TAN: for (i = 0; i < n; i++) y[i] = TM_F(tan)(x[i]); break;
    case TM_ASIN: for (i = 0; i < n; i++) y[i] = TM_F(asin)(x[i]); break;
    case TM_ACOS: for (i = 0; i < n; i++) y[i] = TM_F(acos)(x[i]); break;
    case TM_ATAN: for (i = 0; i < n; i++) y[i] = TM_F(atan)(x[i]); break;
    case TM_SINH: for (i = 0; i < n; i++) y[i] = TM_F(sinh)(x[i]); break;
    case TM_COSH: for (i = 0; i < n; i++) y[i] = TM_F(cosh)(x[i]); break;
    case TM_CEIL: for (i = 0; i < n; i++) y[i] = TM_F(ceil)(x[i]); break;
    case TM_FLOOR: for (i = 0; i < n; i++) y[i] = TM_F(floor)(x[i]); break;
    case TM_ROUND: for (i = 0; i < n; i++) y[i] = TM_F(round)(x[i]); break;
    case TM_TRUNC: for (i = 0; i < n; i++) y[i] = TM_F(trunc)(x[i]); break;
    case TM_FRAC: for (i = 0; i < n; i++) y[i] = x[i] - TM_F(trunc)(x[i]); break;
    /* TH: TH_MATH_NAME(1.0) / x, i.e. 1.0f / x for floats */
    case TM_CINV: for (i = 0; i < n; i++) y[i] = (REAL)1 / x[i]; break;
#endif
    default: break;
    }
}

/* ---- with a scalar -------------------------------------------------------- */

/* Fails (-1, error set) only for an integer division by zero. */
static int SFX(scalar)(REAL *y, const REAL *x, int64_t n, TMScalarOp op, REAL c)
{
    int64_t i;
    switch (op) {
    case TM_ADDV: for (i = 0; i < n; i++) y[i] = TM_ADD(x[i], c); break;
    case TM_MULV: for (i = 0; i < n; i++) y[i] = TM_MUL(x[i], c); break;
    case TM_CMAXV: for (i = 0; i < n; i++) y[i] = x[i] > c ? x[i] : c; break;
    case TM_CMINV: for (i = 0; i < n; i++) y[i] = x[i] < c ? x[i] : c; break;
#if TM_FLOAT
    case TM_DIVV: for (i = 0; i < n; i++) y[i] = x[i] / c; break;
    case TM_FMODV: for (i = 0; i < n; i++) y[i] = (REAL)fmod(x[i], c); break;
    case TM_REMV:
        /* TH: (c == 0) ? NAN : x - c * floor(x / c), floor in double */
        for (i = 0; i < n; i++)
            y[i] = c == 0 ? (REAL)NAN : (REAL)(x[i] - c * floor(x[i] / c));
        break;
    case TM_POWV:
        /* TH's special cases (exact products, sqrt) before powf/pow */
        if (c == 1) for (i = 0; i < n; i++) y[i] = x[i];
        else if (c == 2) for (i = 0; i < n; i++) y[i] = x[i] * x[i];
        else if (c == 3) for (i = 0; i < n; i++) y[i] = x[i] * x[i] * x[i];
        else if (c == 0.5) for (i = 0; i < n; i++) y[i] = TM_F(sqrt)(x[i]);
        else if (c == -0.5) for (i = 0; i < n; i++) y[i] = (REAL)1 / TM_F(sqrt)(x[i]);
        else if (c == -1) for (i = 0; i < n; i++) y[i] = (REAL)1 / x[i];
        else if (c == -2) for (i = 0; i < n; i++) y[i] = (REAL)1 / (x[i] * x[i]);
        else for (i = 0; i < n; i++) y[i] = TM_F(pow)(x[i], c);
        break;
    case TM_TPOWV: for (i = 0; i < n; i++) y[i] = (REAL)pow(c, x[i]); break;
#else
    case TM_DIVV:
    case TM_FMODV:
    case TM_REMV:
        if (c == 0) return th_seterror("integer division by zero");
        if (c == (REAL)-1) {
            /* x / -1 = -x (wrapping); x % -1 = 0 */
            for (i = 0; i < n; i++) y[i] = op == TM_DIVV ? SFX(wrapneg)(x[i]) : 0;
        } else if (op == TM_DIVV) {
            for (i = 0; i < n; i++) y[i] = x[i] / c;
        } else if (op == TM_FMODV) {
            for (i = 0; i < n; i++) y[i] = x[i] % c;
        } else {
            /* TH: r = x % c, then r += c when r and c have opposite signs */
            for (i = 0; i < n; i++) {
                REAL r = x[i] % c;
#if TM_UNSIGNED
                y[i] = r;
#else
                y[i] = (r != 0 && ((r < 0) != (c < 0))) ? (REAL)(r + c) : r;
#endif
            }
        }
        break;
#endif
    default: break;
    }
    return 0;
}

static void SFX(clamp)(REAL *y, const REAL *x, int64_t n, REAL lo, REAL hi)
{
    /* TH: (x < lo) ? lo : (x > hi ? hi : x) */
    for (int64_t i = 0; i < n; i++) y[i] = x[i] < lo ? lo : (x[i] > hi ? hi : x[i]);
}

/* ---- element-wise between tensors --------------------------------------- */

static int SFX(binary)(REAL *y, const REAL *a, const REAL *b, int64_t n, TMBinary op, REAL c)
{
    int64_t i;
    switch (op) {
    case TM_CADD:
        if (c == 1) for (i = 0; i < n; i++) y[i] = TM_ADD(a[i], b[i]);
        else for (i = 0; i < n; i++) y[i] = TM_ADD(a[i], TM_MUL(c, b[i]));
        break;
    case TM_CMUL: for (i = 0; i < n; i++) y[i] = TM_MUL(a[i], b[i]); break;
    case TM_CMAX: for (i = 0; i < n; i++) y[i] = a[i] > b[i] ? a[i] : b[i]; break;
    case TM_CMIN: for (i = 0; i < n; i++) y[i] = a[i] < b[i] ? a[i] : b[i]; break;
#if TM_FLOAT
    case TM_CDIV: for (i = 0; i < n; i++) y[i] = a[i] / b[i]; break;
    case TM_CPOW: for (i = 0; i < n; i++) y[i] = (REAL)pow(a[i], b[i]); break;
    case TM_CFMOD: for (i = 0; i < n; i++) y[i] = (REAL)fmod(a[i], b[i]); break;
    case TM_CREM:
        for (i = 0; i < n; i++)
            y[i] = b[i] == 0 ? (REAL)NAN : (REAL)(a[i] - b[i] * floor(a[i] / b[i]));
        break;
    case TM_ATAN2: for (i = 0; i < n; i++) y[i] = TM_F(atan2)(a[i], b[i]); break;
#else
    case TM_CPOW: for (i = 0; i < n; i++) y[i] = SFX(cv)(pow((double)a[i], (double)b[i])); break;
    case TM_CDIV:
    case TM_CFMOD:
    case TM_CREM:
        for (i = 0; i < n; i++)
            if (b[i] == 0) return th_seterror("integer division by zero");
        for (i = 0; i < n; i++) {
            REAL d = b[i], r;
            if (d == (REAL)-1) r = op == TM_CDIV ? SFX(wrapneg)(a[i]) : 0;
            else if (op == TM_CDIV) r = a[i] / d;
            else {
                r = a[i] % d;
#if !TM_UNSIGNED
                if (op == TM_CREM && r != 0 && ((r < 0) != (d < 0))) r = (REAL)(r + d);
#endif
            }
            y[i] = r;
        }
        break;
#endif
    default: break;
    }
    return 0;
}

/* y = t + c * a * b (mul) or t + c * a / b (!mul); TH's operand order. */
static int SFX(addcmul)(REAL *y, const REAL *t, const REAL *a, const REAL *b, int64_t n, REAL c,
                        int mul)
{
    int64_t i;
    if (mul) {
        for (i = 0; i < n; i++) y[i] = TM_ADD(t[i], TM_MUL(TM_MUL(c, a[i]), b[i]));
        return 0;
    }
#if !TM_FLOAT
    for (i = 0; i < n; i++)
        if (b[i] == 0) return th_seterror("integer division by zero");
#endif
#if TM_FLOAT
    for (i = 0; i < n; i++) y[i] = t[i] + c * a[i] / b[i];
#else
    for (i = 0; i < n; i++) {
        REAL q = TM_MUL(c, a[i]);
        y[i] = TM_ADD(t[i], b[i] == -1 ? SFX(wrapneg)(q) : q / b[i]);
    }
#endif
    return 0;
}

#if TM_FLOAT
static void SFX(lerp)(REAL *y, const REAL *a, const REAL *b, int64_t n, REAL w)
{
    for (int64_t i = 0; i < n; i++) y[i] = a[i] + w * (b[i] - a[i]);
}
#endif

/* ---- comparisons (1/0 bytes) --------------------------------------------- */

static void SFX(cmp_scalar)(uint8_t *y, const REAL *a, int64_t n, TMCompare op, REAL c)
{
    int64_t i;
    switch (op) {
    case TM_LT: for (i = 0; i < n; i++) y[i] = a[i] < c; break;
    case TM_LE: for (i = 0; i < n; i++) y[i] = a[i] <= c; break;
    case TM_GT: for (i = 0; i < n; i++) y[i] = a[i] > c; break;
    case TM_GE: for (i = 0; i < n; i++) y[i] = a[i] >= c; break;
    case TM_EQ: for (i = 0; i < n; i++) y[i] = a[i] == c; break;
    case TM_NE: for (i = 0; i < n; i++) y[i] = a[i] != c; break;
    }
}

static void SFX(cmp)(uint8_t *y, const REAL *a, const REAL *b, int64_t n, TMCompare op)
{
    int64_t i;
    switch (op) {
    case TM_LT: for (i = 0; i < n; i++) y[i] = a[i] < b[i]; break;
    case TM_LE: for (i = 0; i < n; i++) y[i] = a[i] <= b[i]; break;
    case TM_GT: for (i = 0; i < n; i++) y[i] = a[i] > b[i]; break;
    case TM_GE: for (i = 0; i < n; i++) y[i] = a[i] >= b[i]; break;
    case TM_EQ: for (i = 0; i < n; i++) y[i] = a[i] == b[i]; break;
    case TM_NE: for (i = 0; i < n; i++) y[i] = a[i] != b[i]; break;
    }
}

/* ---- whole-tensor reductions over one strided row ------------------------ *
 * Called once per row (tensor_rows), carrying the running state, so the
 * summation order is TH's row-major order. */

static void SFX(row_sum)(const REAL *x, int64_t n, int64_t st, ACCREAL *acc)
{
    ACCREAL s = *acc;
    for (int64_t i = 0; i < n; i++) s += x[i * st];
    *acc = s;
}

static void SFX(row_prod)(const REAL *x, int64_t n, int64_t st, ACCREAL *acc)
{
    ACCREAL s = *acc;
    for (int64_t i = 0; i < n; i++) s *= x[i * st];
    *acc = s;
}

#if TM_FLOAT
/* sum (x - mean)^2 in double (TH's varall) */
static void SFX(row_sqdev)(const REAL *x, int64_t n, int64_t st, double mean, double *acc)
{
    double s = *acc;
    for (int64_t i = 0; i < n; i++) s += (x[i * st] - mean) * (x[i * st] - mean);
    *acc = s;
}
#endif

/* TH's maxall/minall: the first extremum, and a NaN stops the scan. */
static void SFX(row_extremum)(const REAL *x, int64_t n, int64_t st, int ismax, REAL *best,
                              int *stop)
{
    REAL m = *best;
    for (int64_t i = 0; i < n && !*stop; i++) {
        REAL v = x[i * st];
        if (ismax ? !(v <= m) : !(v >= m)) {
            m = v;
            if (TM_ISNAN(v)) *stop = 1;
        }
    }
    *best = m;
}

#if TM_FLOAT
/* TH's normall: the element is widened to double first. */
static void SFX(row_norm)(const REAL *x, int64_t n, int64_t st, double p, double *acc)
{
    double s = *acc;
    int64_t i;
    if (p == 0) for (i = 0; i < n; i++) s += x[i * st] != 0;
    else if (p == 1) for (i = 0; i < n; i++) s += TM_F(fabs)(x[i * st]);
    else if (p == 2) for (i = 0; i < n; i++) { double z = x[i * st]; s += z * z; }
    else for (i = 0; i < n; i++) s += TM_F(pow)(TM_F(fabs)(x[i * st]), (REAL)p);
    *acc = s;
}

/* TH's dist: the sum of pow(fabs(x - y), p) is kept in REAL. */
static void SFX(dist)(const REAL *a, const REAL *b, int64_t n, double p, double *acc)
{
    REAL s = (REAL)*acc;
    for (int64_t i = 0; i < n; i++) s += TM_F(pow)(TM_F(fabs)(a[i] - b[i]), (REAL)p);
    *acc = s;
}
#endif

/* ---- reductions along a dim ---------------------------------------------- *
 * x is contiguous, seen as (outer, n, inner) with the reduced dim in the
 * middle; y is (outer, inner).  Looping k outside i keeps the inner loop
 * unit-stride while each output still accumulates in TH's order (k = 0..n-1).
 * acc holds `inner` ACCREALs (two arrays for var/std). */

static void SFX(dim_sum)(REAL *y, const REAL *x, int64_t outer, int64_t n, int64_t inner,
                         ACCREAL *acc, int prod, int real_acc)
{
    for (int64_t o = 0; o < outer; o++) {
        const REAL *xo = x + o * n * inner;
        REAL *yo = y + o * inner;
        if (real_acc) {
            /* TH accumulated straight into the (REAL) result when the
             * reduced dim was not the unit-stride one */
            for (int64_t i = 0; i < inner; i++) yo[i] = prod ? 1 : 0;
            for (int64_t k = 0; k < n; k++) {
                const REAL *row = xo + k * inner;
                if (prod) for (int64_t i = 0; i < inner; i++) yo[i] = yo[i] * row[i];
                else for (int64_t i = 0; i < inner; i++) yo[i] = yo[i] + row[i];
            }
            continue;
        }
        for (int64_t i = 0; i < inner; i++) acc[i] = prod ? 1 : 0;
        for (int64_t k = 0; k < n; k++) {
            const REAL *row = xo + k * inner;
            if (prod) for (int64_t i = 0; i < inner; i++) acc[i] *= row[i];
            else for (int64_t i = 0; i < inner; i++) acc[i] += row[i];
        }
        for (int64_t i = 0; i < inner; i++) yo[i] = (REAL)acc[i];
    }
}

#if TM_FLOAT
/* TH's mean: its sum (rounded to REAL), then divided in REAL. */
static void SFX(dim_mean)(REAL *y, const REAL *x, int64_t outer, int64_t n, int64_t inner,
                          ACCREAL *acc, int real_acc)
{
    SFX(dim_sum)(y, x, outer, n, inner, acc, 0, real_acc);
    for (int64_t i = 0; i < outer * inner; i++) y[i] = y[i] / (REAL)n;
}

/* TH's var/std per slice: sum and sum of squares (squares in REAL), then
 * unbiased = sum2/(n-1) - n/(n-1) * mean^2 (ratio in REAL), clamped at 0. */
static void SFX(dim_var)(REAL *y, const REAL *x, int64_t outer, int64_t n, int64_t inner,
                         double *s1, double *s2, int biased, int take_sqrt)
{
    for (int64_t o = 0; o < outer; o++) {
        const REAL *xo = x + o * n * inner;
        for (int64_t i = 0; i < inner; i++) s1[i] = s2[i] = 0;
        for (int64_t k = 0; k < n; k++) {
            const REAL *row = xo + k * inner;
            for (int64_t i = 0; i < inner; i++) {
                REAL z = row[i];
                s1[i] += z;
                s2[i] += (REAL)(z * z);
            }
        }
        for (int64_t i = 0; i < inner; i++) {
            double sum = s1[i], sum2 = s2[i];
            if (biased) {
                sum /= n;
                sum2 /= n;
                sum2 -= sum * sum;
            } else {
                sum /= n;
                sum2 /= n - 1;
                sum2 -= ((REAL)n) / ((REAL)(n - 1)) * sum * sum;
            }
            if (sum2 < 0) sum2 = 0;
            y[o * inner + i] = take_sqrt ? (REAL)TM_F(sqrt)(sum2) : (REAL)sum2;
        }
    }
}

/* TH's norm along a dim: sum of powf(fabsf(x), p) in double (a count for
 * p = 0), then powf(sum, 1/p) (pow/fabs for doubles). */
static void SFX(dim_norm)(REAL *y, const REAL *x, int64_t outer, int64_t n, int64_t inner,
                          double *acc, double p)
{
    REAL pr = (REAL)p;
    for (int64_t o = 0; o < outer; o++) {
        const REAL *xo = x + o * n * inner;
        for (int64_t i = 0; i < inner; i++) acc[i] = 0;
        for (int64_t k = 0; k < n; k++) {
            const REAL *r = xo + k * inner;
            if (pr == 0) for (int64_t i = 0; i < inner; i++) acc[i] += r[i] != 0;
            else for (int64_t i = 0; i < inner; i++) acc[i] += TM_F(pow)(TM_F(fabs)(r[i]), pr);
        }
        for (int64_t i = 0; i < inner; i++)
            y[o * inner + i] = pr == 0 ? (REAL)acc[i] : (REAL)TM_F(pow)(acc[i], 1.0 / pr);
    }
}

/* TH's renorm: slice k = every element with index k along the dim.  TH
 * kept the norm in REAL (p = 2 adds squares computed in double). */
static int SFX(renorm)(REAL *y, const REAL *x, int64_t outer, int64_t n, int64_t inner, REAL p,
                       REAL maxnorm)
{
    REAL *norm = calloc((size_t)(n ? n : 1), sizeof *norm);
    if (!norm) return th_seterror("out of memory");
    for (int64_t o = 0; o < outer; o++)
        for (int64_t k = 0; k < n; k++) {
            const REAL *r = x + (o * n + k) * inner;
            REAL acc = norm[k];
            if (p == 1) for (int64_t i = 0; i < inner; i++) acc += fabs((double)r[i]);
            else if (p == 2) for (int64_t i = 0; i < inner; i++) { double z = r[i]; acc += z * z; }
            else for (int64_t i = 0; i < inner; i++) acc += TM_F(pow)(TM_F(fabs)(r[i]), p);
            norm[k] = acc;
        }
    for (int64_t o = 0; o < outer; o++)
        for (int64_t k = 0; k < n; k++) {
            REAL nk = (REAL)pow(norm[k], 1 / p);
            const REAL *r = x + (o * n + k) * inner;
            REAL *w = y + (o * n + k) * inner;
            if (nk > maxnorm) {
                REAL f = (REAL)(maxnorm / (nk + 1e-7));
                for (int64_t i = 0; i < inner; i++) w[i] = r[i] * f;
            } else {
                for (int64_t i = 0; i < inner; i++) w[i] = r[i];
            }
        }
    free(norm);
    return 0;
}

/* TH's histc: bins over [lo, hi] in REAL arithmetic; the top edge goes into
 * the last bin. */
static void SFX(histc)(REAL *h, const REAL *x, int64_t n, int64_t nbins, REAL lo, REAL hi)
{
    for (int64_t i = 0; i < n; i++) {
        if (x[i] >= lo && x[i] <= hi) {
            int64_t bin = (int64_t)((x[i] - lo) / (hi - lo) * nbins);
            h[bin < nbins - 1 ? bin : nbins - 1] += 1;
        }
    }
}

static void SFX(linspace)(REAL *y, int64_t n, REAL a, REAL b, int logspace)
{
    for (int64_t i = 0; i < n; i++) {
        REAL v = n == 1 ? a : a + (REAL)i * (b - a) / (REAL)(n - 1);
        y[i] = logspace ? (REAL)TM_F(pow)(10.0, v) : v;
    }
}

/* 2-D convolutions of a (ir x ic) by k (kr x kc) into r, TH's loop orders:
 * valid = gather (one sum per output), full = scatter (outer products). r is
 * zeroed by the caller. */
static void SFX(conv2)(REAL *r, const REAL *t, int64_t ir, int64_t ic, const REAL *k, int64_t kr,
                       int64_t kc, int full, int xcorr)
{
    if (!full) {
        int64_t orow = ir - kr + 1, oc = ic - kc + 1;
        for (int64_t yy = 0; yy < orow; yy++)
            for (int64_t xx = 0; xx < oc; xx++) {
                const REAL *pi = t + yy * ic + xx;
                REAL sum = 0;
                if (xcorr) {
                    const REAL *pw = k;
                    for (int64_t ky = 0; ky < kr; ky++, pi += ic, pw += kc)
                        for (int64_t kx = 0; kx < kc; kx++) sum += pi[kx] * pw[kx];
                } else {
                    const REAL *pw = k + kr * kc - 1;
                    for (int64_t ky = 0; ky < kr; ky++, pi += ic, pw -= kc)
                        for (int64_t kx = 0; kx < kc; kx++) sum += pi[kx] * pw[-kx];
                }
                r[yy * oc + xx] += sum;
            }
    } else {
        int64_t oc = ic + kc - 1;
        for (int64_t yy = 0; yy < ir; yy++)
            for (int64_t xx = 0; xx < ic; xx++) {
                REAL z = t[yy * ic + xx];
                REAL *po = r + yy * oc + xx;
                if (xcorr) {
                    const REAL *pw = k + kr * kc - 1;
                    for (int64_t ky = 0; ky < kr; ky++, po += oc, pw -= kc)
                        for (int64_t kx = 0; kx < kc; kx++) po[kx] += z * pw[-kx];
                } else {
                    const REAL *pw = k;
                    for (int64_t ky = 0; ky < kr; ky++, po += oc, pw += kc)
                        for (int64_t kx = 0; kx < kc; kx++) po[kx] += z * pw[kx];
                }
            }
    }
}

/* 3-D versions: a (it x ir x ic) by k (kt x kr x kc) into r (zeroed by the
 * caller), TH's conv3 loop orders (gather for valid, scatter for full). */
static void SFX(conv3)(REAL *r, const REAL *t, int64_t it, int64_t ir, int64_t ic, const REAL *k,
                       int64_t kt, int64_t kr, int64_t kc, int full, int xcorr)
{
    int64_t kvol = kt * kr * kc;
    if (!full) {
        int64_t ot = it - kt + 1, orow = ir - kr + 1, oc = ic - kc + 1;
        for (int64_t zz = 0; zz < ot; zz++)
            for (int64_t yy = 0; yy < orow; yy++)
                for (int64_t xx = 0; xx < oc; xx++) {
                    REAL sum = 0;
                    for (int64_t kz = 0; kz < kt; kz++)
                        for (int64_t ky = 0; ky < kr; ky++) {
                            const REAL *pi = t + ((zz + kz) * ir + yy + ky) * ic + xx;
                            int64_t kofs = (kz * kr + ky) * kc;
                            if (xcorr)
                                for (int64_t kx = 0; kx < kc; kx++) sum += pi[kx] * k[kofs + kx];
                            else
                                for (int64_t kx = 0; kx < kc; kx++) sum += pi[kx] * k[kvol - 1 - kofs - kx];
                        }
                    r[(zz * orow + yy) * oc + xx] += sum;
                }
    } else {
        int64_t orow = ir + kr - 1, oc = ic + kc - 1;
        for (int64_t zz = 0; zz < it; zz++)
            for (int64_t yy = 0; yy < ir; yy++)
                for (int64_t xx = 0; xx < ic; xx++) {
                    REAL z = t[(zz * ir + yy) * ic + xx];
                    for (int64_t kz = 0; kz < kt; kz++)
                        for (int64_t ky = 0; ky < kr; ky++) {
                            REAL *po = r + ((zz + kz) * orow + yy + ky) * oc + xx;
                            int64_t kofs = (kz * kr + ky) * kc;
                            if (xcorr)
                                for (int64_t kx = 0; kx < kc; kx++) po[kx] += z * k[kvol - 1 - kofs - kx];
                            else
                                for (int64_t kx = 0; kx < kc; kx++) po[kx] += z * k[kofs + kx];
                        }
                }
    }
}
#endif

/* TH's max/min along a dim: index of the first extremum; once the running
 * extremum is NaN it stays (TH breaks out of the scan). */
static void SFX(dim_extremum)(REAL *y, int64_t *yi, const REAL *x, int64_t outer, int64_t n,
                              int64_t inner, int ismax, int64_t base)
{
    for (int64_t o = 0; o < outer; o++) {
        const REAL *xo = x + o * n * inner;
        REAL *m = y + o * inner;
        int64_t *mi = yi + o * inner;
        for (int64_t i = 0; i < inner; i++) { m[i] = xo[i]; mi[i] = 0; }
        for (int64_t k = 1; k < n; k++) {
            const REAL *row = xo + k * inner;
            if (ismax) {
                for (int64_t i = 0; i < inner; i++)
                    if (!(row[i] <= m[i]) && !TM_ISNAN(m[i])) { m[i] = row[i]; mi[i] = k; }
            } else {
                for (int64_t i = 0; i < inner; i++)
                    if (!(row[i] >= m[i]) && !TM_ISNAN(m[i])) { m[i] = row[i]; mi[i] = k; }
            }
        }
        for (int64_t i = 0; i < inner; i++) mi[i] += base;
    }
}

static void SFX(dim_cum)(REAL *y, const REAL *x, int64_t outer, int64_t n, int64_t inner,
                         ACCREAL *acc, int prod)
{
    for (int64_t o = 0; o < outer; o++) {
        for (int64_t i = 0; i < inner; i++) acc[i] = prod ? 1 : 0;
        for (int64_t k = 0; k < n; k++) {
            const REAL *row = x + (o * n + k) * inner;
            REAL *w = y + (o * n + k) * inner;
            if (prod) for (int64_t i = 0; i < inner; i++) { acc[i] *= row[i]; w[i] = (REAL)acc[i]; }
            else for (int64_t i = 0; i < inner; i++) { acc[i] += row[i]; w[i] = (REAL)acc[i]; }
        }
    }
}

/* ---- sorting along a dim ---------------------------------------------------
 * TH's quicksort (Sedgewick 1978: median-of-three pivot, subfiles of at most
 * 10 elements left to one final insertion sort) and quickselect, kept step for
 * step: neither is stable, and reproducing their exact swaps is what makes the
 * indices of tied values come out as in Torch7. */

/* a sorts after b: a > b ascending, a < b descending (NaN compares false) */
static inline int SFX(after)(REAL a, REAL b, int desc) { return desc ? a < b : a > b; }

#define TM_SWAP2(A, B)                                                      \
    do {                                                                    \
        REAL sv_ = v[A]; v[A] = v[B]; v[B] = sv_;                           \
        int64_t si_ = ix[A]; ix[A] = ix[B]; ix[B] = si_;                    \
    } while (0)

static void SFX(qsort)(REAL *v, int64_t *ix, int64_t n, int desc)
{
    int64_t beg[300], end[300], stack = 0, L = 0, R = n - 1;
    int done = n - 1 <= 10;
    while (!done) {
        int64_t P = (L + R) >> 1;
        TM_SWAP2(P, L + 1);
        if (SFX(after)(v[L + 1], v[R], desc)) TM_SWAP2(L + 1, R);
        if (SFX(after)(v[L], v[R], desc)) TM_SWAP2(L, R);
        if (SFX(after)(v[L + 1], v[L], desc)) TM_SWAP2(L + 1, L);
        int64_t i = L + 1, j = R;
        REAL piv = v[L];
        for (;;) {
            do i++; while (SFX(after)(piv, v[i], desc));
            do j--; while (SFX(after)(v[j], piv, desc));
            if (j < i) break;
            TM_SWAP2(i, j);
        }
        TM_SWAP2(L, j);
        int64_t left = j - L, right = R - i + 1;
        if (left <= 10 && right <= 10) {
            if (stack == 0) done = 1;
            else { stack--; L = beg[stack]; R = end[stack]; }
        } else if (left <= 10 || right <= 10) {
            /* continue with the large subfile */
            if (left > right) R = j - 1;
            else L = i;
        } else {
            /* push the large subfile, continue with the small one */
            if (left > right) { beg[stack] = L; end[stack] = j - 1; stack++; L = i; }
            else { beg[stack] = i; end[stack] = R; stack++; R = j - 1; }
        }
    }
    for (int64_t i = n - 2; i >= 0; i--) {
        if (SFX(after)(v[i], v[i + 1], desc)) {
            REAL piv = v[i];
            int64_t pid = ix[i], j = i + 1;
            do { v[j - 1] = v[j]; ix[j - 1] = ix[j]; j++; } while (j < n && SFX(after)(piv, v[j], desc));
            v[j - 1] = piv;
            ix[j - 1] = pid;
        }
    }
}

/* Moves the k-th smallest (0-based) to position k, smaller ones before it. */
static void SFX(qselect)(REAL *v, int64_t *ix, int64_t k, int64_t n)
{
    int64_t L = 0, R = n - 1;
    for (;;) {
        if (R <= L) return;
        if (R == L + 1) {
            if (v[L] > v[R]) TM_SWAP2(L, R);
            return;
        }
        int64_t P = (L + R) >> 1;
        TM_SWAP2(P, L + 1);
        if (v[L + 1] > v[R]) TM_SWAP2(L + 1, R);
        if (v[L] > v[R]) TM_SWAP2(L, R);
        if (v[L + 1] > v[L]) TM_SWAP2(L + 1, L);
        int64_t i = L + 1, j = R;
        REAL piv = v[L];
        for (;;) {
            do i++; while (v[i] < piv);
            do j--; while (v[j] > piv);
            if (j < i) break;
            TM_SWAP2(i, j);
        }
        TM_SWAP2(L, j);
        if (j <= k) L = i;
        if (j >= k) R = j - 1;
    }
}
#undef TM_SWAP2

/* Per slice of x (outer, n, inner), as TH:
 *   's' sort (desc), y is (outer, n, inner);
 *   'k' k-th smallest (k 1-based), y is (outer, 1, inner);
 *   'm' mode: the smallest of the most frequent values, index of its last
 *       copy in sorted order;
 *   't' topk: the k smallest (or largest when desc), sorted when `sorted`,
 *       y is (outer, k, inner). */
static int SFX(dim_sort)(REAL *y, int64_t *yi, const REAL *x, int64_t outer, int64_t n,
                         int64_t inner, char mode, int desc, int64_t k, int sorted, int64_t base)
{
    size_t m = (size_t)(n ? n : 1);
    REAL *v = malloc(m * sizeof *v);
    int64_t *ix = malloc(m * sizeof *ix);
    if (!v || !ix) {
        free(v);
        free(ix);
        return th_seterror("out of memory");
    }
    int64_t ko = mode == 's' ? n : mode == 't' ? k : 1;
    for (int64_t o = 0; o < outer; o++)
        for (int64_t i = 0; i < inner; i++) {
            const REAL *xs = x + o * n * inner + i;
            for (int64_t j = 0; j < n; j++) { v[j] = xs[j * inner]; ix[j] = j; }
            REAL *ys = y + o * ko * inner + i;
            int64_t *yis = yi + o * ko * inner + i, first = 0;
            if (mode == 's') {
                SFX(qsort)(v, ix, n, desc);
            } else if (mode == 'k') {
                SFX(qselect)(v, ix, k - 1, n);
                first = k - 1;
            } else if (mode == 't' && desc) {
                first = n - k;
                if (first > 0) SFX(qselect)(v, ix, first - 1, n);
                if (sorted) SFX(qsort)(v + first, ix + first, k, 1);
            } else if (mode == 't') {
                SFX(qselect)(v, ix, k - 1, n);
                /* TH sorts the first k-1: the k-th is already in place */
                if (sorted) SFX(qsort)(v, ix, k - 1, 0);
            } else {
                SFX(qsort)(v, ix, n, 0);
                int64_t freq = 0, bestfreq = 0;
                for (int64_t j = 0; j < n; j++) {
                    freq++;
                    if (j == n - 1 || v[j] != v[j + 1]) {
                        if (freq > bestfreq) { first = j; bestfreq = freq; }
                        freq = 0;
                    }
                }
            }
            for (int64_t j = 0; j < ko; j++) {
                ys[j * inner] = v[first + j];
                yis[j * inner] = ix[first + j] + base;
            }
        }
    free(v);
    free(ix);
    return 0;
}

/* ---- cross product ----------------------------------------------------------- */

/* a, b, y contiguous (outer, 3, inner). */
static void SFX(cross)(REAL *y, const REAL *a, const REAL *b, int64_t outer, int64_t inner)
{
    for (int64_t o = 0; o < outer; o++) {
        const REAL *a0 = a + o * 3 * inner, *a1 = a0 + inner, *a2 = a1 + inner;
        const REAL *b0 = b + o * 3 * inner, *b1 = b0 + inner, *b2 = b1 + inner;
        REAL *y0 = y + o * 3 * inner, *y1 = y0 + inner, *y2 = y1 + inner;
        for (int64_t i = 0; i < inner; i++) {
            y0[i] = a1[i] * b2[i] - a2[i] * b1[i];
            y1[i] = a2[i] * b0[i] - a0[i] * b2[i];
            y2[i] = a0[i] * b1[i] - a1[i] * b0[i];
        }
    }
}

/* y = x converted from double (range/linspace results, eye's 1). */
static void SFX(from_double)(REAL *y, const double *x, int64_t n)
{
    for (int64_t i = 0; i < n; i++) y[i] = SFX(cv)(x[i]);
}

/* Non-zero test into bytes (nonzero, masks). */
static void SFX(nonzero_mask)(uint8_t *y, const REAL *x, int64_t n)
{
    for (int64_t i = 0; i < n; i++) y[i] = x[i] != 0;
}

#undef TM_ISNAN
#undef TM_ADD
#undef TM_MUL
