/* tensor_math_impl.h: the typed inner loops of tensor_math.c, included once
 * per element type with
 *   REAL         the element type            ACCREAL   TH's accumulation type
 *   SFX(name)    name##_<type suffix>         TM_FLOAT  1 for float/double
 *   TM_UNSIGNED  1 for uint8                  MATHF(f)  libm name (expf / exp)
 * Everything here is static.  Kernels take plain pointers to CONTIGUOUS data
 * (the callers in tensor_math.c make operands contiguous or walk rows) and
 * switch on the operation once per call, never per element, so each case is
 * a simple loop the compiler can vectorise.  Arithmetic follows TH's
 * expressions term by term (same operand order, same precision) so results
 * match Torch7 bit for bit. */

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
    return (REAL)(int64_t)v;
#endif
}

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
        for (i = 0; i < n; i++) y[i] = MATHF(fabs)(x[i]);
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
    case TM_EXP: for (i = 0; i < n; i++) y[i] = MATHF(exp)(x[i]); break;
    case TM_LOG: for (i = 0; i < n; i++) y[i] = MATHF(log)(x[i]); break;
    case TM_LOG1P: for (i = 0; i < n; i++) y[i] = MATHF(log1p)(x[i]); break;
    case TM_SQRT: for (i = 0; i < n; i++) y[i] = MATHF(sqrt)(x[i]); break;
    case TM_RSQRT: for (i = 0; i < n; i++) y[i] = (REAL)1 / MATHF(sqrt)(x[i]); break;
    case TM_TANH: for (i = 0; i < n; i++) y[i] = MATHF(tanh)(x[i]); break;
    case TM_SIGMOID:
        for (i = 0; i < n; i++) y[i] = (REAL)1 / ((REAL)1 + MATHF(exp)(-x[i]));
        break;
    case TM_SIN: for (i = 0; i < n; i++) y[i] = MATHF(sin)(x[i]); break;
    case TM_COS: for (i = 0; i < n; i++) y[i] = MATHF(cos)(x[i]); break;
    case TM_TAN: for (i = 0; i < n; i++) y[i] = MATHF(tan)(x[i]); break;
    case TM_ASIN: for (i = 0; i < n; i++) y[i] = MATHF(asin)(x[i]); break;
    case TM_ACOS: for (i = 0; i < n; i++) y[i] = MATHF(acos)(x[i]); break;
    case TM_ATAN: for (i = 0; i < n; i++) y[i] = MATHF(atan)(x[i]); break;
    case TM_SINH: for (i = 0; i < n; i++) y[i] = MATHF(sinh)(x[i]); break;
    case TM_COSH: for (i = 0; i < n; i++) y[i] = MATHF(cosh)(x[i]); break;
    case TM_CEIL: for (i = 0; i < n; i++) y[i] = MATHF(ceil)(x[i]); break;
    case TM_FLOOR: for (i = 0; i < n; i++) y[i] = MATHF(floor)(x[i]); break;
    case TM_ROUND: for (i = 0; i < n; i++) y[i] = MATHF(round)(x[i]); break;
    case TM_TRUNC: for (i = 0; i < n; i++) y[i] = MATHF(trunc)(x[i]); break;
    case TM_FRAC: for (i = 0; i < n; i++) y[i] = x[i] - MATHF(trunc)(x[i]); break;
    /* TH: 1.0 / x, a double division rounded to the element type */
    case TM_CINV: for (i = 0; i < n; i++) y[i] = (REAL)(1.0 / x[i]); break;
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
    case TM_ADDV: for (i = 0; i < n; i++) y[i] = x[i] + c; break;
    case TM_MULV: for (i = 0; i < n; i++) y[i] = x[i] * c; break;
    case TM_CMAXV: for (i = 0; i < n; i++) y[i] = x[i] > c ? x[i] : c; break;
    case TM_CMINV: for (i = 0; i < n; i++) y[i] = x[i] < c ? x[i] : c; break;
#if TM_FLOAT
    case TM_DIVV: for (i = 0; i < n; i++) y[i] = x[i] / c; break;
    case TM_FMODV: for (i = 0; i < n; i++) y[i] = MATHF(fmod)(x[i], c); break;
    case TM_REMV:
        /* TH: (c == 0) ? NAN : x - c * floor(x / c), floor in double */
        for (i = 0; i < n; i++)
            y[i] = c == 0 ? (REAL)NAN : (REAL)(x[i] - c * floor(x[i] / c));
        break;
    case TM_POWV:
        /* TH's special cases (exact products instead of pow) */
        if (c == 1) for (i = 0; i < n; i++) y[i] = x[i];
        else if (c == 2) for (i = 0; i < n; i++) y[i] = x[i] * x[i];
        else if (c == 3) for (i = 0; i < n; i++) y[i] = x[i] * x[i] * x[i];
        else if (c == 0.5) for (i = 0; i < n; i++) y[i] = MATHF(sqrt)(x[i]);
        else if (c == -0.5) for (i = 0; i < n; i++) y[i] = (REAL)1 / MATHF(sqrt)(x[i]);
        else if (c == -1) for (i = 0; i < n; i++) y[i] = (REAL)(1.0 / x[i]);
        else if (c == -2) for (i = 0; i < n; i++) y[i] = (REAL)(1.0 / (x[i] * x[i]));
        else for (i = 0; i < n; i++) y[i] = MATHF(pow)(x[i], c);
        break;
    case TM_TPOWV: for (i = 0; i < n; i++) y[i] = MATHF(pow)(c, x[i]); break;
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
        if (c == 1) for (i = 0; i < n; i++) y[i] = a[i] + b[i];
        else for (i = 0; i < n; i++) y[i] = a[i] + c * b[i];
        break;
    case TM_CMUL: for (i = 0; i < n; i++) y[i] = a[i] * b[i]; break;
    case TM_CMAX: for (i = 0; i < n; i++) y[i] = a[i] > b[i] ? a[i] : b[i]; break;
    case TM_CMIN: for (i = 0; i < n; i++) y[i] = a[i] < b[i] ? a[i] : b[i]; break;
#if TM_FLOAT
    case TM_CDIV: for (i = 0; i < n; i++) y[i] = a[i] / b[i]; break;
    case TM_CPOW: for (i = 0; i < n; i++) y[i] = MATHF(pow)(a[i], b[i]); break;
    case TM_CFMOD: for (i = 0; i < n; i++) y[i] = MATHF(fmod)(a[i], b[i]); break;
    case TM_CREM:
        for (i = 0; i < n; i++)
            y[i] = b[i] == 0 ? (REAL)NAN : (REAL)(a[i] - b[i] * floor(a[i] / b[i]));
        break;
    case TM_ATAN2: for (i = 0; i < n; i++) y[i] = MATHF(atan2)(a[i], b[i]); break;
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
        for (i = 0; i < n; i++) y[i] = t[i] + c * a[i] * b[i];
        return 0;
    }
#if !TM_FLOAT
    for (i = 0; i < n; i++)
        if (b[i] == 0) return th_seterror("integer division by zero");
#endif
    for (i = 0; i < n; i++) y[i] = t[i] + c * a[i] / b[i];
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
    else if (p == 1) for (i = 0; i < n; i++) s += fabs((double)x[i * st]);
    else if (p == 2) for (i = 0; i < n; i++) { double z = x[i * st]; s += z * z; }
    else if (p == 3) for (i = 0; i < n; i++) { double z = x[i * st]; s += fabs(z * z * z); }
    else for (i = 0; i < n; i++) s += pow(fabs((double)x[i * st]), p);
    *acc = s;
}

/* TH's dist: sum pow(fabs(x - y), p) with the difference in REAL. */
static void SFX(dist)(const REAL *a, const REAL *b, int64_t n, double p, double *acc)
{
    double s = *acc;
    for (int64_t i = 0; i < n; i++) s += pow(fabs((double)(REAL)(a[i] - b[i])), p);
    *acc = s;
}
#endif

/* ---- reductions along a dim ---------------------------------------------- *
 * x is contiguous, seen as (outer, n, inner) with the reduced dim in the
 * middle; y is (outer, inner).  Looping k outside i keeps the inner loop
 * unit-stride while each output still accumulates in TH's order (k = 0..n-1).
 * acc holds `inner` ACCREALs (two arrays for var/std). */

static void SFX(dim_sum)(REAL *y, const REAL *x, int64_t outer, int64_t n, int64_t inner,
                         ACCREAL *acc, int prod)
{
    for (int64_t o = 0; o < outer; o++) {
        const REAL *xo = x + o * n * inner;
        for (int64_t i = 0; i < inner; i++) acc[i] = prod ? 1 : 0;
        for (int64_t k = 0; k < n; k++) {
            const REAL *row = xo + k * inner;
            if (prod) for (int64_t i = 0; i < inner; i++) acc[i] *= row[i];
            else for (int64_t i = 0; i < inner; i++) acc[i] += row[i];
        }
        for (int64_t i = 0; i < inner; i++) y[o * inner + i] = (REAL)acc[i];
    }
}

#if TM_FLOAT
/* TH's mean: sum rounded to REAL, then divided in REAL. */
static void SFX(dim_mean)(REAL *y, const REAL *x, int64_t outer, int64_t n, int64_t inner,
                          ACCREAL *acc)
{
    SFX(dim_sum)(y, x, outer, n, inner, acc, 0);
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
            y[o * inner + i] = take_sqrt ? MATHF(sqrt)((REAL)sum2) : (REAL)sum2;
        }
    }
}

/* TH's norm along a dim: products in REAL, sums in double. */
static void SFX(dim_norm)(REAL *y, const REAL *x, int64_t outer, int64_t n, int64_t inner,
                          double *acc, double p)
{
    for (int64_t o = 0; o < outer; o++) {
        const REAL *xo = x + o * n * inner;
        for (int64_t i = 0; i < inner; i++) acc[i] = 0;
        for (int64_t k = 0; k < n; k++) {
            const REAL *r = xo + k * inner;
            int64_t i;
            if (p == 0) for (i = 0; i < inner; i++) acc[i] += r[i] != 0;
            else if (p == 1) for (i = 0; i < inner; i++) acc[i] += MATHF(fabs)(r[i]);
            else if (p == 2) for (i = 0; i < inner; i++) acc[i] += r[i] * r[i];
            else if (p == 3) for (i = 0; i < inner; i++) acc[i] += MATHF(fabs)(r[i] * r[i] * r[i]);
            else for (i = 0; i < inner; i++) acc[i] += MATHF(pow)(MATHF(fabs)(r[i]), (REAL)p);
        }
        for (int64_t i = 0; i < inner; i++) {
            double s = acc[i];
            REAL v;
            if (p == 0 || p == 1) v = (REAL)s;
            else if (p == 2) v = (REAL)sqrt(s);
            else if (p == 3) v = (REAL)pow(s, 1.0 / 3);
            else v = (REAL)pow(s, 1.0 / p);
            y[o * inner + i] = v;
        }
    }
}

/* TH's renorm: slice k = every element with index k along the dim. */
static int SFX(renorm)(REAL *y, const REAL *x, int64_t outer, int64_t n, int64_t inner, double p,
                       double maxnorm)
{
    double *norm = calloc((size_t)(n ? n : 1), sizeof *norm);
    if (!norm) return th_seterror("out of memory");
    for (int64_t o = 0; o < outer; o++)
        for (int64_t k = 0; k < n; k++) {
            const REAL *r = x + (o * n + k) * inner;
            for (int64_t i = 0; i < inner; i++) norm[k] += pow(fabs((double)r[i]), p);
        }
    for (int64_t k = 0; k < n; k++) {
        double nk = pow(norm[k], 1.0 / p);
        norm[k] = nk > maxnorm ? (double)(REAL)(maxnorm / (nk + 1e-7)) : 1;
    }
    for (int64_t o = 0; o < outer; o++)
        for (int64_t k = 0; k < n; k++) {
            const REAL *r = x + (o * n + k) * inner;
            REAL *w = y + (o * n + k) * inner;
            REAL s = (REAL)norm[k];
            if (norm[k] == 1) for (int64_t i = 0; i < inner; i++) w[i] = r[i];
            else for (int64_t i = 0; i < inner; i++) w[i] = r[i] * s;
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
        y[i] = logspace ? MATHF(pow)((REAL)10, v) : v;
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

/* ---- sorting along a dim --------------------------------------------------- */

/* a goes before b: ascending with NaN largest, or descending with NaN first. */
static inline int SFX(before)(REAL a, REAL b, int desc)
{
    if (desc) return a > b || (TM_ISNAN(a) && !TM_ISNAN(b));
    return a < b || (!TM_ISNAN(a) && TM_ISNAN(b));
}

/* Stable bottom-up merge sort of (v, ix) pairs; tv/ti are scratch of n. */
static void SFX(sort_pairs)(REAL *v, int64_t *ix, int64_t n, int desc, REAL *tv, int64_t *ti)
{
    for (int64_t w = 1; w < n; w *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * w) {
            int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int64_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi) {
                /* take from the right only when strictly before: stability */
                if (SFX(before)(v[j], v[i], desc)) { tv[o] = v[j]; ti[o++] = ix[j++]; }
                else { tv[o] = v[i]; ti[o++] = ix[i++]; }
            }
            while (i < mid) { tv[o] = v[i]; ti[o++] = ix[i++]; }
            while (j < hi) { tv[o] = v[j]; ti[o++] = ix[j++]; }
        }
        memcpy(v, tv, (size_t)n * sizeof *v);
        memcpy(ix, ti, (size_t)n * sizeof *ix);
    }
}

/* Sorts every slice of x (outer, n, inner) and writes, per slice, either the
 * first `kout` sorted entries (mode 0: sort/topk; y is (outer, kout, inner)),
 * entry kout-1 (mode 1: kthvalue), or the most frequent value (mode 2: the
 * smallest of the most frequent values, with its last index in sorted order,
 * as TH's mode). */
static int SFX(dim_sort)(REAL *y, int64_t *yi, const REAL *x, int64_t outer, int64_t n,
                         int64_t inner, int desc, int64_t kout, int mode, int64_t base)
{
    size_t m = (size_t)(n ? n : 1);
    REAL *v = malloc(2 * m * sizeof *v);
    int64_t *ix = malloc(2 * m * sizeof *ix);
    if (!v || !ix) {
        free(v);
        free(ix);
        return th_seterror("out of memory");
    }
    int64_t ko = mode == 0 ? kout : 1;
    for (int64_t o = 0; o < outer; o++)
        for (int64_t i = 0; i < inner; i++) {
            const REAL *xs = x + o * n * inner + i;
            for (int64_t k = 0; k < n; k++) { v[k] = xs[k * inner]; ix[k] = k; }
            SFX(sort_pairs)(v, ix, n, desc, v + m, ix + m);
            REAL *ys = y + o * ko * inner + i;
            int64_t *yis = yi + o * ko * inner + i;
            if (mode == 0) {
                for (int64_t k = 0; k < kout; k++) { ys[k * inner] = v[k]; yis[k * inner] = ix[k] + base; }
            } else if (mode == 1) {
                ys[0] = v[kout - 1];
                yis[0] = ix[kout - 1] + base;
            } else {
                int64_t best = 0, freq = 0, bestfreq = 0;
                for (int64_t k = 0; k < n; k++) {
                    freq++;
                    if (k == n - 1 || v[k] != v[k + 1]) {
                        if (freq > bestfreq) { best = k; bestfreq = freq; }
                        freq = 0;
                    }
                }
                ys[0] = v[best];
                yis[0] = ix[best] + base;
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
