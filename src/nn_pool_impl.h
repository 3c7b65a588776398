/* nn_pool_impl.h: typed bodies of the pooling kernels (nn_pool.h).  Included
 * once per type by nn_pool.c with REAL and SFX(name) defined. */

/* ---- max pooling ----------------------------------------------------------- */

static void SFX(maxpool2d_forward)(const REAL *in, REAL *out, int64_t *ind, const NNPool2d *p)
{
    const int64_t isz = p->ih * p->iw, osz = p->oh * p->ow;
    for (int64_t pl = 0; pl < p->batch * p->planes; pl++) {
        const REAL *x = in + pl * isz;
        REAL *y = out + pl * osz;
        int64_t *id = ind + pl * osz;
        for (int64_t i = 0; i < p->oh; i++) {
            int64_t hs = i * p->dh - p->padh;
            int64_t he = hs + (p->kh - 1) * p->dilh + 1;
            if (he > p->ih) he = p->ih;
            while (hs < 0) hs += p->dilh;
            for (int64_t j = 0; j < p->ow; j++) {
                int64_t ws = j * p->dw - p->padw;
                int64_t we = ws + (p->kw - 1) * p->dilw + 1;
                if (we > p->iw) we = p->iw;
                while (ws < 0) ws += p->dilw;
                REAL m = -INFINITY;
                int64_t mi = -1;
                for (int64_t r = hs; r < he; r += p->dilh)
                    for (int64_t c = ws; c < we; c += p->dilw) {
                        REAL v = x[r * p->iw + c];
                        if (v > m || isnan(v)) {
                            m = v;
                            mi = r * p->iw + c;
                        }
                    }
                /* A window of only -inf keeps mi = -1 in THNN (index 0, which
                 * its backward would write before the plane): point at the
                 * window's first element instead.  An empty window (ceil mode
                 * with a stride larger than the kernel) keeps index 0. */
                if (mi < 0 && hs < he && ws < we) mi = hs * p->iw + ws;
                y[i * p->ow + j] = m;
                id[i * p->ow + j] = mi + 1;
            }
        }
    }
}

static void SFX(maxpool2d_forward_naive)(const REAL *in, REAL *out, int64_t *ind,
                                         const NNPool2d *p)
{
    for (int64_t pl = 0; pl < p->batch * p->planes; pl++)
        for (int64_t i = 0; i < p->oh; i++)
            for (int64_t j = 0; j < p->ow; j++) {
                REAL m = -INFINITY;
                int64_t mi = -1;
                for (int64_t a = 0; a < p->kh; a++)
                    for (int64_t b = 0; b < p->kw; b++) {
                        int64_t r = i * p->dh - p->padh + a * p->dilh;
                        int64_t c = j * p->dw - p->padw + b * p->dilw;
                        if (r < 0 || r >= p->ih || c < 0 || c >= p->iw) continue;
                        REAL v = in[(pl * p->ih + r) * p->iw + c];
                        if (mi < 0 || v > m || isnan(v)) {
                            m = v;
                            mi = r * p->iw + c;
                        }
                    }
                out[(pl * p->oh + i) * p->ow + j] = m;
                ind[(pl * p->oh + i) * p->ow + j] = mi + 1;
            }
}

static int SFX(maxpool2d_backward)(const REAL *gout, REAL *gin, const int64_t *ind,
                                   const NNPool2d *p)
{
    const int64_t isz = p->ih * p->iw, osz = p->oh * p->ow;
    memset(gin, 0, (size_t)(p->batch * p->planes * isz) * sizeof(REAL));
    for (int64_t pl = 0; pl < p->batch * p->planes; pl++) {
        REAL *gx = gin + pl * isz;
        const REAL *g = gout + pl * osz;
        const int64_t *id = ind + pl * osz;
        for (int64_t k = 0; k < osz; k++) {
            if (id[k] == 0) continue;   /* empty window: nothing to route */
            /* indices come from a user-visible tensor: never trust them */
            if (id[k] < 1 || id[k] > isz)
                return th_seterror("max pooling index %lld out of range (expected 1..%lld)",
                                   (long long)id[k], (long long)isz);
            gx[id[k] - 1] += g[k];
        }
    }
    return 0;
}

/* ---- average pooling -------------------------------------------------------- */

/* The window of output (i, j) clipped to the image, and its divisor. */
typedef struct SFX(AvgWin) {
    int64_t hs, he, ws, we;
    REAL div;
} SFX(AvgWin);

static SFX(AvgWin) SFX(avg_window)(const NNPool2d *p, int64_t i, int64_t j)
{
    SFX(AvgWin) a;
    a.hs = i * p->dh - p->padh;
    a.ws = j * p->dw - p->padw;
    a.he = a.hs + p->kh < p->ih + p->padh ? a.hs + p->kh : p->ih + p->padh;
    a.we = a.ws + p->kw < p->iw + p->padw ? a.ws + p->kw : p->iw + p->padw;
    int64_t pool = (a.he - a.hs) * (a.we - a.ws);
    if (a.hs < 0) a.hs = 0;
    if (a.ws < 0) a.ws = 0;
    if (a.he > p->ih) a.he = p->ih;
    if (a.we > p->iw) a.we = p->iw;
    a.div = (REAL)(p->count_include_pad ? pool : (a.he - a.hs) * (a.we - a.ws));
    return a;
}

/* Every window inside the image (no padding, no ceil overhang): the divisor
 * is kH*kW for every output and no clipping is needed.  The common 2x2/2
 * pooling of the tutorial takes this path. */
static int SFX(avg_all_full)(const NNPool2d *p)
{
    return p->padw == 0 && p->padh == 0 && (p->oh - 1) * p->dh + p->kh <= p->ih &&
           (p->ow - 1) * p->dw + p->kw <= p->iw;
}

static void SFX(avgpool2d_forward)(const REAL *in, REAL *out, const NNPool2d *p)
{
    const int64_t isz = p->ih * p->iw, osz = p->oh * p->ow;
    if (SFX(avg_all_full)(p)) {
        const REAL div = (REAL)(p->kh * p->kw);
        for (int64_t pl = 0; pl < p->batch * p->planes; pl++) {
            const REAL *x = in + pl * isz;
            REAL *y = out + pl * osz;
            for (int64_t i = 0; i < p->oh; i++)
                for (int64_t j = 0; j < p->ow; j++) {
                    const REAL *w = x + i * p->dh * p->iw + j * p->dw;
                    REAL s = 0;   /* same summation order as the general path */
                    for (int64_t r = 0; r < p->kh; r++)
                        for (int64_t c = 0; c < p->kw; c++) s += w[r * p->iw + c];
                    y[i * p->ow + j] = s / div;
                }
        }
        return;
    }
    for (int64_t pl = 0; pl < p->batch * p->planes; pl++) {
        const REAL *x = in + pl * isz;
        REAL *y = out + pl * osz;
        for (int64_t i = 0; i < p->oh; i++)
            for (int64_t j = 0; j < p->ow; j++) {
                SFX(AvgWin) a = SFX(avg_window)(p, i, j);
                REAL s = 0;   /* REAL sum as Torch: windows are small */
                for (int64_t r = a.hs; r < a.he; r++)
                    for (int64_t c = a.ws; c < a.we; c++) s += x[r * p->iw + c];
                y[i * p->ow + j] = s / a.div;
            }
    }
}

static void SFX(avgpool2d_backward)(const REAL *gout, REAL *gin, const NNPool2d *p)
{
    const int64_t isz = p->ih * p->iw, osz = p->oh * p->ow;
    memset(gin, 0, (size_t)(p->batch * p->planes * isz) * sizeof(REAL));
    if (SFX(avg_all_full)(p)) {
        const REAL div = (REAL)(p->kh * p->kw);
        for (int64_t pl = 0; pl < p->batch * p->planes; pl++) {
            REAL *gx = gin + pl * isz;
            const REAL *g = gout + pl * osz;
            for (int64_t i = 0; i < p->oh; i++)
                for (int64_t j = 0; j < p->ow; j++) {
                    REAL *w = gx + i * p->dh * p->iw + j * p->dw;
                    REAL v = g[i * p->ow + j] / div;
                    for (int64_t r = 0; r < p->kh; r++)
                        for (int64_t c = 0; c < p->kw; c++) w[r * p->iw + c] += v;
                }
        }
        return;
    }
    for (int64_t pl = 0; pl < p->batch * p->planes; pl++) {
        REAL *gx = gin + pl * isz;
        const REAL *g = gout + pl * osz;
        for (int64_t i = 0; i < p->oh; i++)
            for (int64_t j = 0; j < p->ow; j++) {
                SFX(AvgWin) a = SFX(avg_window)(p, i, j);
                REAL v = g[i * p->ow + j] / a.div;
                for (int64_t r = a.hs; r < a.he; r++)
                    for (int64_t c = a.ws; c < a.we; c++) gx[r * p->iw + c] += v;
            }
    }
}

/* Naive: walk all kH x kW taps; a tap counts toward the padded divisor when
 * it lies inside [-pad, size+pad) and toward the sum when inside the image. */
static void SFX(avg_naive_window)(const NNPool2d *p, int64_t i, int64_t j, double *div)
{
    int64_t padded = 0, inside = 0;
    for (int64_t a = 0; a < p->kh; a++)
        for (int64_t b = 0; b < p->kw; b++) {
            int64_t r = i * p->dh - p->padh + a, c = j * p->dw - p->padw + b;
            if (r < p->ih + p->padh && c < p->iw + p->padw) padded++;
            if (r >= 0 && r < p->ih && c >= 0 && c < p->iw) inside++;
        }
    *div = (double)(p->count_include_pad ? padded : inside);
}

static void SFX(avgpool2d_forward_naive)(const REAL *in, REAL *out, const NNPool2d *p)
{
    for (int64_t pl = 0; pl < p->batch * p->planes; pl++)
        for (int64_t i = 0; i < p->oh; i++)
            for (int64_t j = 0; j < p->ow; j++) {
                double div, s = 0;
                SFX(avg_naive_window)(p, i, j, &div);
                for (int64_t a = 0; a < p->kh; a++)
                    for (int64_t b = 0; b < p->kw; b++) {
                        int64_t r = i * p->dh - p->padh + a, c = j * p->dw - p->padw + b;
                        if (r >= 0 && r < p->ih && c >= 0 && c < p->iw)
                            s += in[(pl * p->ih + r) * p->iw + c];
                    }
                out[(pl * p->oh + i) * p->ow + j] = (REAL)(s / div);
            }
}

static void SFX(avgpool2d_backward_naive)(const REAL *gout, REAL *gin, const NNPool2d *p)
{
    /* gather form: each input element collects from the windows covering it */
    for (int64_t pl = 0; pl < p->batch * p->planes; pl++)
        for (int64_t r = 0; r < p->ih; r++)
            for (int64_t c = 0; c < p->iw; c++) {
                double s = 0;
                for (int64_t i = 0; i < p->oh; i++)
                    for (int64_t j = 0; j < p->ow; j++) {
                        int64_t a = r - (i * p->dh - p->padh), b = c - (j * p->dw - p->padw);
                        if (a < 0 || a >= p->kh || b < 0 || b >= p->kw) continue;
                        double div;
                        SFX(avg_naive_window)(p, i, j, &div);
                        s += gout[(pl * p->oh + i) * p->ow + j] / div;
                    }
                gin[(pl * p->ih + r) * p->iw + c] = (REAL)s;
            }
}
