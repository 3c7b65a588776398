/* nn_conv_impl.h: typed bodies of the convolution kernels (nn_conv.h).
 * Included once per type by nn_conv.c with REAL, SFX(name) and DT (the
 * DType of REAL, for blas_gemm) defined; static functions only. */

/* ---- im2col / col2im ------------------------------------------------------ */

/* Output columns j whose tap x = j*dW - padW + v lies inside [0, W): the
 * half-open range [*lo, *hi).  Computed once per (u, v) row so the inner loops
 * run without bounds checks. */
static void SFX(valid_cols)(const NNConv2d *c, int64_t v, int64_t *lo, int64_t *hi)
{
    int64_t a = c->padw - v;                 /* need j*dW >= a */
    int64_t l = a <= 0 ? 0 : (a + c->dw - 1) / c->dw;
    int64_t b = c->iw - 1 + c->padw - v;     /* need j*dW <= b */
    int64_t h = b < 0 ? 0 : b / c->dw + 1;
    if (h > c->ow) h = c->ow;
    if (l > h) l = h;
    *lo = l;
    *hi = h;
}

/* dst += src on a short row (oW is 10 to 30 in the tutorial): fixed blocks
 * of 8 that GCC vectorises at -O2 (restrict: no alias check needed); 2.5x
 * faster col2im than the plain loop.  (im2col keeps memcpy, which measured
 * faster than the same blocking for copies.) */
static inline void SFX(row_add)(REAL *restrict dst, const REAL *restrict src, int64_t n)
{
    int64_t j = 0;
    for (; j + 8 <= n; j += 8)
        for (int q = 0; q < 8; q++) dst[j + q] += src[j + q];
    for (; j < n; j++) dst[j] += src[j];
}

static void SFX(im2col)(const REAL *in, REAL *col, const NNConv2d *c)
{
    const int64_t P = c->oh * c->ow;
    for (int64_t ch = 0; ch < c->nin; ch++) {
        const REAL *plane = in + ch * c->ih * c->iw;
        for (int64_t u = 0; u < c->kh; u++) {
            for (int64_t v = 0; v < c->kw; v++) {
                REAL *row = col + ((ch * c->kh + u) * c->kw + v) * P;
                int64_t lo, hi;
                SFX(valid_cols)(c, v, &lo, &hi);
                for (int64_t i = 0; i < c->oh; i++) {
                    REAL *dst = row + i * c->ow;
                    int64_t y = i * c->dh - c->padh + u;
                    if (y < 0 || y >= c->ih) {
                        memset(dst, 0, (size_t)c->ow * sizeof(REAL));
                        continue;
                    }
                    const REAL *src = plane + y * c->iw - c->padw + v;
                    for (int64_t j = 0; j < lo; j++) dst[j] = 0;
                    if (c->dw == 1) {
                        memcpy(dst + lo, src + lo, (size_t)(hi - lo) * sizeof(REAL));
                    } else {
                        for (int64_t j = lo; j < hi; j++) dst[j] = src[j * c->dw];
                    }
                    for (int64_t j = hi; j < c->ow; j++) dst[j] = 0;
                }
            }
        }
    }
}

static void SFX(col2im)(const REAL *col, REAL *gin, const NNConv2d *c)
{
    const int64_t P = c->oh * c->ow;
    for (int64_t ch = 0; ch < c->nin; ch++) {
        REAL *plane = gin + ch * c->ih * c->iw;
        for (int64_t u = 0; u < c->kh; u++) {
            for (int64_t v = 0; v < c->kw; v++) {
                const REAL *row = col + ((ch * c->kh + u) * c->kw + v) * P;
                int64_t lo, hi;
                SFX(valid_cols)(c, v, &lo, &hi);
                for (int64_t i = 0; i < c->oh; i++) {
                    int64_t y = i * c->dh - c->padh + u;
                    if (y < 0 || y >= c->ih) continue;
                    const REAL *src = row + i * c->ow;
                    REAL *dst = plane + y * c->iw - c->padw + v;
                    if (c->dw == 1) {
                        SFX(row_add)(dst + lo, src + lo, hi - lo);
                    } else {
                        for (int64_t j = lo; j < hi; j++) dst[j * c->dw] += src[j];
                    }
                }
            }
        }
    }
}

/* ---- SpatialConvolutionMM: im2col + GEMM ---------------------------------- */

/* in (N,C,H,W), w (F,K), b (F)|NULL -> out (N,F,P), finput (N,K,P);
 * K = C*kH*kW, P = oH*oW. */
static void SFX(conv2d_forward)(const REAL *in, REAL *out, const REAL *w,
                                const REAL *b, REAL *finput, const NNConv2d *c)
{
    const int64_t K = c->nin * c->kh * c->kw, P = c->oh * c->ow, F = c->nout;
    for (int64_t n = 0; n < c->batch; n++) {
        const REAL *x = in + n * c->nin * c->ih * c->iw;
        REAL *col = finput + n * K * P;
        REAL *y = out + n * F * P;
        SFX(im2col)(x, col, c);
        /* Torch fills the bias first and lets the GEMM add onto it (beta=1). */
        for (int64_t f = 0; f < F; f++) {
            REAL bf = b ? b[f] : 0;
            for (int64_t p = 0; p < P; p++) y[f * P + p] = bf;
        }
        if (K > 0 && F > 0)   /* BLAS rejects zero leading dimensions */
            blas_gemm(DT, 'n', 'n', F, P, K, 1, w, K, col, P, 1, y, P);
    }
}

static void SFX(conv2d_forward_naive)(const REAL *in, REAL *out, const REAL *w,
                                      const REAL *b, const NNConv2d *c)
{
    for (int64_t n = 0; n < c->batch; n++)
        for (int64_t f = 0; f < c->nout; f++)
            for (int64_t i = 0; i < c->oh; i++)
                for (int64_t j = 0; j < c->ow; j++) {
                    double s = b ? b[f] : 0;
                    for (int64_t ch = 0; ch < c->nin; ch++)
                        for (int64_t u = 0; u < c->kh; u++)
                            for (int64_t v = 0; v < c->kw; v++) {
                                int64_t y = i * c->dh - c->padh + u;
                                int64_t x = j * c->dw - c->padw + v;
                                if (y < 0 || y >= c->ih || x < 0 || x >= c->iw) continue;
                                s += (double)w[((f * c->nin + ch) * c->kh + u) * c->kw + v] *
                                     in[((n * c->nin + ch) * c->ih + y) * c->iw + x];
                            }
                    out[((n * c->nout + f) * c->oh + i) * c->ow + j] = (REAL)s;
                }
}

/* gout (N,F,P), w (F,K) -> gin (N,C,H,W) overwritten; fgradin (N,K,P) scratch. */
static void SFX(conv2d_backward_input)(const REAL *gout, REAL *gin, const REAL *w,
                                       REAL *fgradin, const NNConv2d *c)
{
    const int64_t K = c->nin * c->kh * c->kw, P = c->oh * c->ow, F = c->nout;
    const int64_t isz = c->nin * c->ih * c->iw;
    for (int64_t n = 0; n < c->batch; n++) {
        REAL *col = fgradin + n * K * P;
        if (K == 0) continue;   /* no input planes: nothing to write */
        /* beta = 0 overwrites col entirely (no need to zero it first). */
        if (F > 0)
            blas_gemm(DT, 't', 'n', K, P, F, 1, w, K, gout + n * F * P, P, 0, col, P);
        else
            memset(col, 0, (size_t)(K * P) * sizeof(REAL));
        memset(gin + n * isz, 0, (size_t)isz * sizeof(REAL));
        SFX(col2im)(col, gin + n * isz, c);
    }
}

static void SFX(conv2d_backward_input_naive)(const REAL *gout, REAL *gin, const REAL *w,
                                             const NNConv2d *c)
{
    /* Gather form: each input element sums the taps that read it, which is a
     * different loop order from the scatter of col2im. */
    for (int64_t n = 0; n < c->batch; n++)
        for (int64_t ch = 0; ch < c->nin; ch++)
            for (int64_t y = 0; y < c->ih; y++)
                for (int64_t x = 0; x < c->iw; x++) {
                    double s = 0;
                    for (int64_t f = 0; f < c->nout; f++)
                        for (int64_t u = 0; u < c->kh; u++)
                            for (int64_t v = 0; v < c->kw; v++) {
                                int64_t ty = y + c->padh - u, tx = x + c->padw - v;
                                if (ty < 0 || tx < 0 || ty % c->dh || tx % c->dw) continue;
                                int64_t i = ty / c->dh, j = tx / c->dw;
                                if (i >= c->oh || j >= c->ow) continue;
                                s += (double)w[((f * c->nin + ch) * c->kh + u) * c->kw + v] *
                                     gout[((n * c->nout + f) * c->oh + i) * c->ow + j];
                            }
                    gin[((n * c->nin + ch) * c->ih + y) * c->iw + x] = (REAL)s;
                }
}

/* gout (N,F,P), finput (N,K,P) -> gw (F,K) += scale*gout_n*finput_n^T, gb += scale*rowsums. */
static void SFX(conv2d_backward_weight)(const REAL *gout, REAL *gw, REAL *gb,
                                        const REAL *finput, REAL scale, const NNConv2d *c)
{
    const int64_t K = c->nin * c->kh * c->kw, P = c->oh * c->ow, F = c->nout;
    for (int64_t n = 0; n < c->batch; n++) {
        const REAL *g = gout + n * F * P;
        if (K > 0 && F > 0)
            blas_gemm(DT, 'n', 't', F, K, P, scale, g, P, finput + n * K * P, P, 1, gw, K);
        if (gb) {
            for (int64_t f = 0; f < F; f++) {
                double s = 0;   /* double sum: P can be large for Float */
                for (int64_t p = 0; p < P; p++) s += g[f * P + p];
                gb[f] += (REAL)(scale * s);
            }
        }
    }
}

static void SFX(conv2d_backward_weight_naive)(const REAL *in, const REAL *gout, REAL *gw,
                                              REAL *gb, REAL scale, const NNConv2d *c)
{
    for (int64_t f = 0; f < c->nout; f++) {
        for (int64_t ch = 0; ch < c->nin; ch++)
            for (int64_t u = 0; u < c->kh; u++)
                for (int64_t v = 0; v < c->kw; v++) {
                    double s = 0;
                    for (int64_t n = 0; n < c->batch; n++)
                        for (int64_t i = 0; i < c->oh; i++)
                            for (int64_t j = 0; j < c->ow; j++) {
                                int64_t y = i * c->dh - c->padh + u;
                                int64_t x = j * c->dw - c->padw + v;
                                if (y < 0 || y >= c->ih || x < 0 || x >= c->iw) continue;
                                s += (double)gout[((n * c->nout + f) * c->oh + i) * c->ow + j] *
                                     in[((n * c->nin + ch) * c->ih + y) * c->iw + x];
                            }
                    gw[((f * c->nin + ch) * c->kh + u) * c->kw + v] += (REAL)(scale * s);
                }
        if (gb) {
            double s = 0;
            for (int64_t n = 0; n < c->batch; n++)
                for (int64_t p = 0; p < c->oh * c->ow; p++)
                    s += gout[(n * c->nout + f) * c->oh * c->ow + p];
            gb[f] += (REAL)(scale * s);
        }
    }
}

/* ---- SpatialConvolutionMap: per-connection direct correlation ------------- */

/* y[j] += a * x[j*dx], j < n.  The unit-stride case runs in fixed blocks of 8
 * on restrict pointers: GCC's default -O2 cost model only vectorises loops
 * whose trip count is a multiple of the vector width and that need no alias
 * check, which these blocks are. */
static inline void SFX(axpy)(REAL *restrict y, const REAL *restrict x, REAL a, int64_t n,
                             int64_t dx)
{
    int64_t j = 0;
    if (dx == 1) {
        for (; j + 8 <= n; j += 8)
            for (int q = 0; q < 8; q++) y[j + q] += a * x[j + q];
        for (; j < n; j++) y[j] += a * x[j];
    } else {
        for (; j < n; j++) y[j] += a * x[j * dx];
    }
}

/* Scatter form of the same: y[j*dy] += a * x[j]. */
static inline void SFX(axpy_scatter)(REAL *restrict y, const REAL *restrict x, REAL a,
                                     int64_t n, int64_t dy)
{
    if (dy == 1) {
        SFX(axpy)(y, x, a, n, 1);
        return;
    }
    for (int64_t j = 0; j < n; j++) y[j * dy] += a * x[j];
}

/* sum_j x[j] * y[j*dy] with 8 partial sums in double (a vectorisable
 * reduction without reassociating one running sum). */
static inline double SFX(dot)(const REAL *restrict x, const REAL *restrict y, int64_t n,
                              int64_t dy)
{
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0}, s = 0;
    int64_t j = 0;
    if (dy == 1)
        for (; j + 8 <= n; j += 8)
            for (int q = 0; q < 8; q++) acc[q] += (double)x[j + q] * y[j + q];
    for (; j < n; j++) s += (double)x[j] * y[j * dy];
    return s + ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

static void SFX(convmap_forward)(const REAL *in, REAL *out, const REAL *w, const REAL *b,
                                 const int64_t *conn, int64_t nconn, const NNConv2d *c)
{
    const int64_t P = c->oh * c->ow, isz = c->ih * c->iw;
    for (int64_t n = 0; n < c->batch; n++) {
        REAL *y = out + n * c->nout * P;
        for (int64_t o = 0; o < c->nout; o++)
            for (int64_t p = 0; p < P; p++) y[o * P + p] = b ? b[o] : 0;
        for (int64_t k = 0; k < nconn; k++) {
            const REAL *x = in + (n * c->nin + conn[2 * k]) * isz;
            const REAL *wk = w + k * c->kh * c->kw;
            REAL *yo = y + conn[2 * k + 1] * P;
            for (int64_t i = 0; i < c->oh; i++)
                for (int64_t u = 0; u < c->kh; u++) {
                    const REAL *xr = x + (i * c->dh + u) * c->iw;
                    REAL *yr = yo + i * c->ow;
                    /* the output row accumulates one kernel row at a time, so
                     * the innermost loop runs along j (contiguous in y). */
                    for (int64_t v = 0; v < c->kw; v++)
                        SFX(axpy)(yr, xr + v, wk[u * c->kw + v], c->ow, c->dw);
                }
        }
    }
}

static void SFX(convmap_backward_input)(const REAL *gout, REAL *gin, const REAL *w,
                                        const int64_t *conn, int64_t nconn, const NNConv2d *c)
{
    const int64_t P = c->oh * c->ow, isz = c->ih * c->iw;
    memset(gin, 0, (size_t)(c->batch * c->nin * isz) * sizeof(REAL));
    for (int64_t n = 0; n < c->batch; n++)
        for (int64_t k = 0; k < nconn; k++) {
            REAL *gx = gin + (n * c->nin + conn[2 * k]) * isz;
            const REAL *g = gout + (n * c->nout + conn[2 * k + 1]) * P;
            const REAL *wk = w + k * c->kh * c->kw;
            for (int64_t i = 0; i < c->oh; i++)
                for (int64_t u = 0; u < c->kh; u++) {
                    REAL *xr = gx + (i * c->dh + u) * c->iw;
                    const REAL *gr = g + i * c->ow;
                    for (int64_t v = 0; v < c->kw; v++)
                        SFX(axpy_scatter)(xr + v, gr, wk[u * c->kw + v], c->ow, c->dw);
                }
        }
}

static void SFX(convmap_backward_weight)(const REAL *in, const REAL *gout, REAL *gw, REAL *gb,
                                         const int64_t *conn, int64_t nconn, REAL scale,
                                         const NNConv2d *c)
{
    const int64_t P = c->oh * c->ow, isz = c->ih * c->iw;
    if (gb) {
        for (int64_t o = 0; o < c->nout; o++) {
            double s = 0;
            for (int64_t n = 0; n < c->batch; n++)
                for (int64_t p = 0; p < P; p++) s += gout[(n * c->nout + o) * P + p];
            gb[o] += (REAL)(scale * s);
        }
    }
    for (int64_t k = 0; k < nconn; k++) {
        REAL *gwk = gw + k * c->kh * c->kw;
        for (int64_t u = 0; u < c->kh; u++)
            for (int64_t v = 0; v < c->kw; v++) {
                double s = 0;
                for (int64_t n = 0; n < c->batch; n++) {
                    const REAL *x = in + (n * c->nin + conn[2 * k]) * isz;
                    const REAL *g = gout + (n * c->nout + conn[2 * k + 1]) * P;
                    for (int64_t i = 0; i < c->oh; i++)
                        s += SFX(dot)(g + i * c->ow, x + (i * c->dh + u) * c->iw + v, c->ow,
                                      c->dw);
                }
                gwk[u * c->kw + v] += (REAL)(scale * s);
            }
    }
}
