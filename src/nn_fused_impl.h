/* nn_fused_impl.h: typed bodies of the fused kernels (nn_fused.h).  Included
 * once per type by nn_fused.c with REAL, SFX(name) and SQRT defined.  Inner
 * loops are unit-stride row updates the compiler vectorises; no FMA
 * contraction (ISO C mode), so each product is rounded as in the modules. */

/* dst[t] += a * src[t] for t < n */
static inline void SFX(axpy)(REAL *restrict dst, const REAL *restrict src, int64_t n, REAL a)
{
    for (int64_t t = 0; t < n; t++) dst[t] += a * src[t];
}

/* m = F(s) (h, w): the estimator's filter, zero padded, t a scratch plane.
 * kdim 1: k the kw horizontal taps, kv the kh vertical ones; kdim 2: k (kh, kw). */
static void SFX(subnorm_filter)(const REAL *s, REAL *t, REAL *m, const REAL *k, const REAL *kv,
                                int kdim, int64_t kh, int64_t kw, int64_t h, int64_t w)
{
    const int64_t ph = kh / 2, pw = kw / 2;
    memset(m, 0, (size_t)(h * w) * sizeof(REAL));
    if (kdim == 1) {
        /* horizontal pass into t, then vertical into m (SpatialConvolutionMap
         * along rows, then SpatialConvolution down columns, as in Torch7) */
        memset(t, 0, (size_t)(h * w) * sizeof(REAL));
        for (int64_t y = 0; y < h; y++)
            for (int64_t j = 0; j < kw; j++) {
                int64_t lo, hi;
                shift_range(j - pw, w, &lo, &hi);
                if (lo < hi) SFX(axpy)(t + y * w + lo, s + y * w + lo + j - pw, hi - lo, k[j]);
            }
        for (int64_t y = 0; y < h; y++)
            for (int64_t i = 0; i < kh; i++) {
                int64_t yy = y + i - ph;
                if (yy >= 0 && yy < h) SFX(axpy)(m + y * w, t + yy * w, w, kv[i]);
            }
        return;
    }
    for (int64_t y = 0; y < h; y++)
        for (int64_t i = 0; i < kh; i++) {
            int64_t yy = y + i - ph;
            if (yy < 0 || yy >= h) continue;
            for (int64_t j = 0; j < kw; j++) {
                int64_t lo, hi;
                shift_range(j - pw, w, &lo, &hi);
                if (lo < hi)
                    SFX(axpy)(m + y * w + lo, s + yy * w + lo + j - pw, hi - lo, k[i * kw + j]);
            }
        }
}

/* r = F^T(g) (h, w): every tap of F read backwards (scatter), t a scratch plane. */
static void SFX(subnorm_filter_t)(const REAL *g, REAL *t, REAL *r, const REAL *k,
                                  const REAL *kv, int kdim, int64_t kh, int64_t kw, int64_t h,
                                  int64_t w)
{
    const int64_t ph = kh / 2, pw = kw / 2;
    memset(r, 0, (size_t)(h * w) * sizeof(REAL));
    if (kdim == 1) {
        /* transposed vertical pass, then transposed horizontal pass */
        memset(t, 0, (size_t)(h * w) * sizeof(REAL));
        for (int64_t y = 0; y < h; y++)
            for (int64_t i = 0; i < kh; i++) {
                int64_t yy = y + i - ph;
                if (yy >= 0 && yy < h) SFX(axpy)(t + yy * w, g + y * w, w, kv[i]);
            }
        for (int64_t y = 0; y < h; y++)
            for (int64_t j = 0; j < kw; j++) {
                int64_t lo, hi;
                shift_range(j - pw, w, &lo, &hi);
                if (lo < hi) SFX(axpy)(r + y * w + lo + j - pw, t + y * w + lo, hi - lo, k[j]);
            }
        return;
    }
    for (int64_t y = 0; y < h; y++)
        for (int64_t i = 0; i < kh; i++) {
            int64_t yy = y + i - ph;
            if (yy < 0 || yy >= h) continue;
            for (int64_t j = 0; j < kw; j++) {
                int64_t lo, hi;
                shift_range(j - pw, w, &lo, &hi);
                if (lo < hi)
                    SFX(axpy)(r + yy * w + lo + j - pw, g + y * w + lo, hi - lo, k[i * kw + j]);
            }
        }
}

/* s = sum of the planes of x (P, h*w) */
static void SFX(plane_sum)(const REAL *x, REAL *s, int64_t planes, int64_t hw)
{
    memcpy(s, x, (size_t)hw * sizeof(REAL));
    for (int64_t p = 1; p < planes; p++) SFX(axpy)(s, x + p * hw, hw, 1);
}

static void SFX(subnorm_forward)(const REAL *x, REAL *y, const REAL *coef, const REAL *k,
                                 const REAL *kv, int kdim, int64_t kh, int64_t kw, int64_t n,
                                 int64_t planes, int64_t h, int64_t w, REAL *work)
{
    const int64_t hw = h * w;
    REAL *s = work, *t = work + hw, *m = work + 2 * hw;
    for (int64_t b = 0; b < n; b++) {
        const REAL *xb = x + b * planes * hw;
        REAL *yb = y + b * planes * hw;
        SFX(plane_sum)(xb, s, planes, hw);
        SFX(subnorm_filter)(s, t, m, k, kv, kdim, kh, kw, h, w);
        for (int64_t q = 0; q < hw; q++) m[q] = m[q] / coef[q];   /* CDivTable */
        for (int64_t p = 0; p < planes; p++)                      /* CSubTable */
            for (int64_t q = 0; q < hw; q++) yb[p * hw + q] = xb[p * hw + q] - m[q];
    }
}

static void SFX(subnorm_backward)(const REAL *g, REAL *gx, const REAL *coef, const REAL *k,
                                  const REAL *kv, int kdim, int64_t kh, int64_t kw, int64_t n,
                                  int64_t planes, int64_t h, int64_t w, REAL *work)
{
    const int64_t hw = h * w;
    REAL *s = work, *t = work + hw, *r = work + 2 * hw;
    for (int64_t b = 0; b < n; b++) {
        const REAL *gb = g + b * planes * hw;
        REAL *gxb = gx + b * planes * hw;
        SFX(plane_sum)(gb, s, planes, hw);
        for (int64_t q = 0; q < hw; q++) s[q] = s[q] / coef[q];
        SFX(subnorm_filter_t)(s, t, r, k, kv, kdim, kh, kw, h, w);
        for (int64_t p = 0; p < planes; p++)
            for (int64_t q = 0; q < hw; q++) gxb[p * hw + q] = gb[p * hw + q] - r[q];
    }
}

static void SFX(lppool2_forward)(const REAL *x, REAL *y, int64_t np, int64_t h, int64_t w,
                                 int64_t kw, int64_t kh, int64_t dw, int64_t dh)
{
    const int64_t oh = (h - kh) / dh + 1, ow = (w - kw) / dw + 1;
    const REAL div = (REAL)(kh * kw), c = (REAL)(kw * kh);
    if (kw == 2 && kh == 2 && dw == 2 && dh == 2) {
        /* the tutorial's case with constant trip counts (same sums, same order) */
        for (int64_t pl = 0; pl < np; pl++)
            for (int64_t i = 0; i < oh; i++) {
                const REAL *r0 = x + pl * h * w + 2 * i * w, *r1 = r0 + w;
                REAL *yr = y + (pl * oh + i) * ow;
                for (int64_t j = 0; j < ow; j++) {
                    REAL a = r0[2 * j], b = r0[2 * j + 1], cc = r1[2 * j], d = r1[2 * j + 1];
                    REAL s = a * a + b * b + cc * cc + d * d;
                    yr[j] = SQRT((s / div) * c);
                }
            }
        return;
    }
    for (int64_t pl = 0; pl < np; pl++) {
        const REAL *xp = x + pl * h * w;
        REAL *yp = y + pl * oh * ow;
        for (int64_t i = 0; i < oh; i++)
            for (int64_t j = 0; j < ow; j++) {
                const REAL *win = xp + i * dh * w + j * dw;
                REAL s = 0;   /* Square, then SpatialAveragePooling's row-by-row sum */
                for (int64_t r = 0; r < kh; r++)
                    for (int64_t cc = 0; cc < kw; cc++) {
                        REAL v = win[r * w + cc];
                        s += v * v;
                    }
                yp[i * ow + j] = SQRT((s / div) * c);   /* average, MulConstant, Sqrt */
            }
    }
}

static void SFX(lppool2_backward)(const REAL *x, const REAL *g, const REAL *y, REAL *gx,
                                  int64_t np, int64_t h, int64_t w, int64_t kw, int64_t kh,
                                  int64_t dw, int64_t dh)
{
    const int64_t oh = (h - kh) / dh + 1, ow = (w - kw) / dw + 1;
    const REAL div = (REAL)(kh * kw), c = (REAL)(kw * kh);
    if (kw == 2 && kh == 2 && dw == 2 && dh == 2) {
        /* windows do not overlap: each covered element receives one share, and
         * 0 + v (as the zeroed accumulator gives) only turns -0 into +0 */
        for (int64_t pl = 0; pl < np; pl++) {
            const REAL *xp = x + pl * h * w, *gp = g + pl * oh * ow, *yp = y + pl * oh * ow;
            REAL *gxp = gx + pl * h * w;
            for (int64_t i = 0; i < oh; i++) {
                const REAL *x0 = xp + 2 * i * w, *x1 = x0 + w;
                REAL *g0 = gxp + 2 * i * w, *g1 = g0 + w;
                for (int64_t j = 0; j < ow; j++) {
                    const int64_t o = i * ow + j;
                    REAL v = yp[o] == 0 ? 0 : (REAL)0.5 * gp[o] / yp[o];
                    v = (REAL)0 + (v * c) / div;
                    g0[2 * j] = 2 * x0[2 * j] * v;
                    g0[2 * j + 1] = 2 * x0[2 * j + 1] * v;
                    g1[2 * j] = 2 * x1[2 * j] * v;
                    g1[2 * j + 1] = 2 * x1[2 * j + 1] * v;
                }
                for (int64_t q = 2 * ow; q < w; q++) {   /* odd width: uncovered column */
                    g0[q] = 2 * x0[q] * (REAL)0;
                    g1[q] = 2 * x1[q] * (REAL)0;
                }
            }
            for (int64_t q = 2 * oh * w; q < h * w; q++) gxp[q] = 2 * xp[q] * (REAL)0;
        }
        return;
    }
    for (int64_t pl = 0; pl < np; pl++) {
        const REAL *xp = x + pl * h * w, *gp = g + pl * oh * ow, *yp = y + pl * oh * ow;
        REAL *gxp = gx + pl * h * w;
        memset(gxp, 0, (size_t)(h * w) * sizeof(REAL));
        for (int64_t i = 0; i < oh; i++)
            for (int64_t j = 0; j < ow; j++) {
                const int64_t o = i * ow + j;
                /* Sqrt', MulConstant', then SpatialAveragePooling's share */
                REAL v = yp[o] == 0 ? 0 : (REAL)0.5 * gp[o] / yp[o];
                v = (v * c) / div;
                REAL *win = gxp + i * dh * w + j * dw;
                for (int64_t r = 0; r < kh; r++)
                    for (int64_t cc = 0; cc < kw; cc++) win[r * w + cc] += v;
            }
        for (int64_t q = 0; q < h * w; q++) gxp[q] = 2 * xp[q] * gxp[q];   /* Square' */
    }
}
