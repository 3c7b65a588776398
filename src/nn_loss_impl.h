/* nn_loss_impl.h: typed bodies of the criterion kernels (nn_loss.h).
 * Included once per type by nn_loss.c with REAL and SFX(name) defined.
 * Targets are validated before anything is written, so an error leaves the
 * outputs untouched. */

static int SFX(classnll_forward)(const REAL *in, const int64_t *target, const REAL *w,
                                 int64_t nframe, int64_t nclass, int size_average,
                                 int64_t ignore, double *loss, double *total)
{
    for (int64_t i = 0; i < nframe; i++)
        if (target[i] != ignore && (target[i] < 1 || target[i] > nclass))
            return th_seterror("target out of range: target %lld is not in 1..%lld",
                               (long long)target[i], (long long)nclass);
    double l = 0, tw = 0;
    for (int64_t i = 0; i < nframe; i++) {
        if (target[i] == ignore) continue;
        int64_t t = target[i] - 1;
        double wt = w ? w[t] : 1;
        tw += wt;
        l -= in[i * nclass + t] * wt;
    }
    if (size_average && tw != 0) l /= tw;
    *loss = l;
    *total = tw;
    return 0;
}

static int SFX(classnll_backward)(const int64_t *target, REAL *gin, const REAL *w,
                                  int64_t nframe, int64_t nclass, int batched,
                                  int size_average, int64_t ignore, double total)
{
    for (int64_t i = 0; i < nframe; i++)
        if (target[i] != ignore && (target[i] < 1 || target[i] > nclass))
            return th_seterror("target out of range: target %lld is not in 1..%lld",
                               (long long)target[i], (long long)nclass);
    memset(gin, 0, (size_t)(nframe * nclass) * sizeof(REAL));
    if (!(total > 0)) return 0;
    for (int64_t i = 0; i < nframe; i++) {
        if (target[i] == ignore) continue;
        int64_t t = target[i] - 1;
        if (!batched) {
            /* 1-D: the weight cancels with the division by total_weight */
            gin[t] = (!size_average && w) ? -w[t] : -1;
        } else {
            double v = -(w ? w[t] : 1);
            if (size_average) v /= total;
            gin[i * nclass + t] = (REAL)v;
        }
    }
    return 0;
}

static void SFX(mse_forward)(const REAL *x, const REAL *t, int64_t n, int avg, double *loss)
{
    double s = 0;
    for (int64_t k = 0; k < n; k++) {
        double z = (double)x[k] - t[k];
        s += z * z;
    }
    *loss = avg && n > 0 ? s / n : s;
}

static void SFX(mse_backward)(const REAL *x, const REAL *t, REAL *gx, int64_t n, int avg)
{
    REAL norm = avg ? (REAL)(2.0 / n) : 2;
    for (int64_t k = 0; k < n; k++) gx[k] = norm * (x[k] - t[k]);
}

static void SFX(abs_forward)(const REAL *x, const REAL *t, int64_t n, int avg, double *loss)
{
    double s = 0;
    for (int64_t k = 0; k < n; k++) s += fabs((double)x[k] - t[k]);
    *loss = avg && n > 0 ? s / n : s;
}

static void SFX(abs_backward)(const REAL *x, const REAL *t, REAL *gx, int64_t n, int avg)
{
    REAL norm = avg ? (REAL)(1.0 / n) : 1;
    for (int64_t k = 0; k < n; k++) gx[k] = x[k] - t[k] >= 0 ? norm : -norm;
}

#define BCE_EPS 1e-12

static void SFX(bce_forward)(const REAL *x, const REAL *t, const REAL *w, int64_t n, int avg,
                             double *loss)
{
    double s = 0;
    for (int64_t k = 0; k < n; k++) {
        double v = log(x[k] + BCE_EPS) * t[k] + log(1. - x[k] + BCE_EPS) * (1. - t[k]);
        s -= w ? v * w[k] : v;
    }
    *loss = avg && n > 0 ? s / n : s;
}

static void SFX(bce_backward)(const REAL *x, const REAL *t, const REAL *w, REAL *gx, int64_t n,
                              int avg)
{
    double norm = avg ? 1.0 / n : 1.0;
    for (int64_t k = 0; k < n; k++) {
        double v = -norm * (t[k] - x[k]) / ((1. - x[k] + BCE_EPS) * (x[k] + BCE_EPS));
        gx[k] = (REAL)(w ? v * w[k] : v);
    }
}

static int SFX(check_targets)(const int64_t *target, int64_t nframe, int64_t dim)
{
    for (int64_t i = 0; i < nframe; i++)
        if (target[i] < 1 || target[i] > dim)
            return th_seterror("target out of range: target %lld is not in 1..%lld",
                               (long long)target[i], (long long)dim);
    return 0;
}

static int SFX(multimargin_forward)(const REAL *in, const int64_t *target, const REAL *w,
                                    int64_t nframe, int64_t dim, int p, REAL margin,
                                    int avg, double *loss)
{
    if (SFX(check_targets)(target, nframe, dim)) return -1;
    double s = 0;
    for (int64_t i = 0; i < nframe; i++) {
        const REAL *x = in + i * dim;
        int64_t t = target[i] - 1;
        for (int64_t d = 0; d < dim; d++) {
            if (d == t) continue;
            REAL z = margin - x[t] + x[d];
            if (z > 0) {
                double h = p == 1 ? z : (double)z * z;
                s += w ? h * w[t] : h;
            }
        }
    }
    s /= dim;
    if (avg) s /= nframe;
    *loss = s;
    return 0;
}

static int SFX(multimargin_backward)(const REAL *in, const int64_t *target, const REAL *w,
                                     REAL *gin, int64_t nframe, int64_t dim, int p,
                                     REAL margin, int avg)
{
    if (SFX(check_targets)(target, nframe, dim)) return -1;
    double g = avg ? 1.0 / ((double)nframe * dim) : 1.0 / dim;
    for (int64_t i = 0; i < nframe; i++) {
        const REAL *x = in + i * dim;
        REAL *gx = gin + i * dim;
        int64_t t = target[i] - 1;
        double gt = 0;
        for (int64_t d = 0; d < dim; d++) {
            if (d == t) continue;
            REAL z = margin - x[t] + x[d];
            if (z > 0) {
                double h = p == 1 ? g : 2 * g * z;
                if (w) h *= w[t];
                gt -= h;
                gx[d] = (REAL)h;
            } else {
                gx[d] = 0;
            }
        }
        gx[t] = (REAL)gt;
    }
    return 0;
}
