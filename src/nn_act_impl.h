/* nn_act_impl.h: typed bodies of the transfer-function kernels (nn_act.h).
 * Included once per type by nn_act.c with REAL, SFX(name), EXP, SQRT and TANH
 * (the libm functions of that type) defined; SFX(tanh_exact) comes from
 * nn_act.c.
 * The loops have no branches that depend on earlier elements, so the
 * compiler may vectorise them. */

static void SFX(tanh_forward)(const REAL *x, REAL *y, int64_t n)
{
    SFX(tanh_exact)(x, y, n);   /* nn_act.c: vectorised, libm's bits */
}

static void SFX(tanh_backward)(const REAL *g, REAL *gx, const REAL *y, int64_t n)
{
    for (int64_t k = 0; k < n; k++) gx[k] = g[k] * (1 - y[k] * y[k]);
}

static void SFX(sigmoid_forward)(const REAL *x, REAL *y, int64_t n)
{
    for (int64_t k = 0; k < n; k++) y[k] = 1 / (1 + EXP(-x[k]));
}

static void SFX(sigmoid_backward)(const REAL *g, REAL *gx, const REAL *y, int64_t n)
{
    for (int64_t k = 0; k < n; k++) gx[k] = g[k] * (1 - y[k]) * y[k];
}

static void SFX(threshold_forward)(const REAL *x, REAL *y, int64_t n, REAL th, REAL val)
{
    for (int64_t k = 0; k < n; k++) y[k] = x[k] > th ? x[k] : val;
}

static void SFX(threshold_backward)(const REAL *x, const REAL *g, REAL *gx, int64_t n, REAL th)
{
    for (int64_t k = 0; k < n; k++) gx[k] = x[k] > th ? g[k] : 0;
}

static void SFX(hardtanh_forward)(const REAL *x, REAL *y, int64_t n, REAL lo, REAL hi)
{
    /* THNN's comparison order: a NaN input gives hi */
    for (int64_t k = 0; k < n; k++) y[k] = x[k] < lo ? lo : (x[k] <= hi ? x[k] : hi);
}

static void SFX(hardtanh_backward)(const REAL *x, const REAL *g, REAL *gx, int64_t n,
                                   REAL lo, REAL hi)
{
    /* written as THNN's test so a NaN input passes the gradient through */
    for (int64_t k = 0; k < n; k++) gx[k] = (x[k] <= lo || x[k] >= hi) ? 0 : g[k];
}

static void SFX(square_forward)(const REAL *x, REAL *y, int64_t n)
{
    for (int64_t k = 0; k < n; k++) y[k] = x[k] * x[k];
}

static void SFX(square_backward)(const REAL *x, const REAL *g, REAL *gx, int64_t n)
{
    for (int64_t k = 0; k < n; k++) gx[k] = 2 * x[k] * g[k];
}

static void SFX(sqrt_forward)(const REAL *x, REAL *y, int64_t n)
{
    for (int64_t k = 0; k < n; k++) y[k] = SQRT(x[k]);
}

static void SFX(sqrt_backward)(const REAL *g, REAL *gx, const REAL *y, int64_t n)
{
    for (int64_t k = 0; k < n; k++) gx[k] = y[k] == 0 ? 0 : (REAL)0.5 * g[k] / y[k];
}

/* References.  tanh: libm of the type (tanhf / tanh), what Torch7 called and
 * what tanh_forward must reproduce bit for bit.  sigmoid: libm in double,
 * then rounded (independent of EXP). */
static void SFX(tanh_forward_naive)(const REAL *x, REAL *y, int64_t n)
{
    for (int64_t k = 0; k < n; k++) y[k] = TANH(x[k]);
}

static void SFX(sigmoid_forward_naive)(const REAL *x, REAL *y, int64_t n)
{
    for (int64_t k = 0; k < n; k++) y[k] = (REAL)(1.0 / (1.0 + exp(-(double)x[k])));
}

/* ---- softmax / logsoftmax -------------------------------------------------- */

static void SFX(softmax_forward)(const REAL *in, REAL *out, int64_t nframe, int64_t dim,
                                 int64_t stride)
{
    for (int64_t t = 0; t < nframe * stride; t++) {
        const REAL *x = in + (t / stride) * dim * stride + t % stride;
        REAL *y = out + (t / stride) * dim * stride + t % stride;
        REAL m = -INFINITY;
        for (int64_t d = 0; d < dim; d++)
            if (x[d * stride] >= m) m = x[d * stride];
        double sum = 0;
        for (int64_t d = 0; d < dim; d++) {
            REAL z = (REAL)exp((double)(x[d * stride] - m));
            y[d * stride] = z;
            sum += z;
        }
        for (int64_t d = 0; d < dim; d++) y[d * stride] = (REAL)(y[d * stride] * (1 / sum));
    }
}

static void SFX(softmax_backward)(const REAL *gout, REAL *gin, const REAL *out,
                                  int64_t nframe, int64_t dim, int64_t stride)
{
    for (int64_t t = 0; t < nframe * stride; t++) {
        int64_t base = (t / stride) * dim * stride + t % stride;
        const REAL *g = gout + base, *y = out + base;
        REAL *gx = gin + base;
        double sum = 0;
        for (int64_t d = 0; d < dim; d++) sum += (double)g[d * stride] * y[d * stride];
        for (int64_t d = 0; d < dim; d++)
            gx[d * stride] = (REAL)(y[d * stride] * (g[d * stride] - sum));
    }
}

static void SFX(logsoftmax_forward)(const REAL *in, REAL *out, int64_t nframe, int64_t dim,
                                    int64_t stride)
{
    for (int64_t t = 0; t < nframe * stride; t++) {
        int64_t base = (t / stride) * dim * stride + t % stride;
        const REAL *x = in + base;
        REAL *y = out + base;
        REAL m = -INFINITY;
        for (int64_t d = 0; d < dim; d++)
            if (x[d * stride] > m) m = x[d * stride];
        double sum = 0;
        for (int64_t d = 0; d < dim; d++) sum += exp((double)(x[d * stride] - m));
        double logsum = m + log(sum);
        for (int64_t d = 0; d < dim; d++) y[d * stride] = (REAL)(x[d * stride] - logsum);
    }
}

static void SFX(logsoftmax_backward)(const REAL *gout, REAL *gin, const REAL *out,
                                     int64_t nframe, int64_t dim, int64_t stride)
{
    for (int64_t t = 0; t < nframe * stride; t++) {
        int64_t base = (t / stride) * dim * stride + t % stride;
        const REAL *g = gout + base, *y = out + base;
        REAL *gx = gin + base;
        double sum = 0;
        for (int64_t d = 0; d < dim; d++) sum += g[d * stride];
        for (int64_t d = 0; d < dim; d++)
            gx[d * stride] = (REAL)(g[d * stride] - exp((double)y[d * stride]) * sum);
    }
}
