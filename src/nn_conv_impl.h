/* nn_conv_impl.h: typed bodies of the convolution kernels (nn_conv.h).
 * Included once per type by nn_conv.c with REAL, SFX(name) and DT (the
 * DType of REAL, for blas_gemm) defined; static functions only. */

/* ---- im2col / col2im ------------------------------------------------------ */

/* Output positions j (< on) whose tap j*d - pad + t lies inside [0, n): the
 * half-open range [*lo, *hi).  Computed once per kernel row or column so the
 * inner loops run without bounds checks. */
static void SFX(valid_range)(int64_t pad, int64_t t, int64_t n, int64_t d, int64_t on,
                             int64_t *lo, int64_t *hi)
{
    int64_t a = pad - t;                 /* need j*d >= a */
    int64_t l = a <= 0 ? 0 : (a + d - 1) / d;
    int64_t b = n - 1 + pad - t;         /* need j*d <= b */
    int64_t h = b < 0 ? 0 : b / d + 1;
    if (h > on) h = on;
    if (l > h) l = h;
    *lo = l;
    *hi = h;
}

/* dst += src on a short row (oW is 10 to 30 in the tutorial): fixed blocks
 * of 8 that GCC vectorises at -O2 (restrict: no alias check needed); 2.5x
 * faster col2im than the plain loop.  (Copies use copy_row below, which
 * measured faster than the same blocking.) */
static inline void SFX(row_add)(REAL *restrict dst, const REAL *restrict src, int64_t n)
{
    int64_t j = 0;
    for (; j + 8 <= n; j += 8)
        for (int q = 0; q < 8; q++) dst[j + q] += src[j + q];
    for (; j < n; j++) dst[j] += src[j];
}

/* dst = src on a row: im2col's rows (10 Float values in conv2, 28 in
 * conv1) and gathered gradOutput rows (oH*oW values).  A row of 32 to 64 or
 * 64 to 128 bytes is two overlapping fixed-size moves, which the compiler
 * inlines as vector loads and stores; a memcpy call per such row cost more
 * than the copy (and a loop of 8-blocks more still); longer rows are one
 * memcpy. */
static inline void SFX(copy_row)(REAL *restrict dst, const REAL *restrict src, int64_t n)
{
    const int64_t h = 32 / (int64_t)sizeof(REAL);
    if (n >= h && n <= 2 * h) {
        memcpy(dst, src, 32);
        memcpy(dst + n - h, src + n - h, 32);
    } else if (n >= 2 * h && n <= 4 * h) {
        memcpy(dst, src, 64);
        memcpy(dst + n - 2 * h, src + n - 2 * h, 64);
    } else {
        memcpy(dst, src, (size_t)n * sizeof(REAL));
    }
}

/* in (C,H,W) -> col rows (c,u,v) of oH*oW values, row r at col + r*ld
 * (ld >= oH*oW: a chunk of samples side by side shares one matrix).  The
 * geometry is read into locals and the valid rows and columns of each tap
 * computed first: stores through col may alias *c as far as the compiler
 * knows, and the reloads and checks cost 40 instructions a row (conv2 has
 * 16000 rows of 10 values a sample); the common unpadded, unit-stride rows
 * are then one copy each. */
static void SFX(im2col)(const REAL *restrict in, REAL *restrict col, int64_t ld,
                        const NNConv2d *c)
{
    const int64_t C = c->nin, H = c->ih, W = c->iw, kh = c->kh, kw = c->kw;
    const int64_t oh = c->oh, ow = c->ow, dh = c->dh, dw = c->dw;
    const int64_t padh = c->padh, padw = c->padw;
    for (int64_t ch = 0; ch < C; ch++) {
        const REAL *plane = in + ch * H * W;
        for (int64_t u = 0; u < kh; u++) {
            int64_t ilo, ihi;   /* output rows whose tap row is inside the image */
            SFX(valid_range)(padh, u, H, dh, oh, &ilo, &ihi);
            for (int64_t v = 0; v < kw; v++) {
                REAL *row = col + ((ch * kh + u) * kw + v) * ld;
                int64_t lo, hi;
                SFX(valid_range)(padw, v, W, dw, ow, &lo, &hi);
                memset(row, 0, (size_t)(ilo * ow) * sizeof(REAL));
                memset(row + ihi * ow, 0, (size_t)((oh - ihi) * ow) * sizeof(REAL));
                REAL *dst = row + ilo * ow;
                const REAL *src = plane + (ilo * dh - padh + u) * W - padw + v;
                if (dw == 1 && lo == 0 && hi == ow) {
                    for (int64_t i = ilo; i < ihi; i++, dst += ow, src += dh * W)
                        SFX(copy_row)(dst, src, ow);
                    continue;
                }
                for (int64_t i = ilo; i < ihi; i++, dst += ow, src += dh * W) {
                    for (int64_t j = 0; j < lo; j++) dst[j] = 0;
                    for (int64_t j = lo; j < hi; j++) dst[j] = src[j * dw];
                    for (int64_t j = hi; j < ow; j++) dst[j] = 0;
                }
            }
        }
    }
}

/* The transpose of im2col (same ld): ACCUMULATES every column entry into the
 * image element gin (C,H,W) it was read from.  Same precomputed ranges. */
static void SFX(col2im)(const REAL *restrict col, REAL *restrict gin, int64_t ld,
                        const NNConv2d *c)
{
    const int64_t C = c->nin, H = c->ih, W = c->iw, kh = c->kh, kw = c->kw;
    const int64_t oh = c->oh, ow = c->ow, dh = c->dh, dw = c->dw;
    const int64_t padh = c->padh, padw = c->padw;
    for (int64_t ch = 0; ch < C; ch++) {
        REAL *plane = gin + ch * H * W;
        for (int64_t u = 0; u < kh; u++) {
            int64_t ilo, ihi;
            SFX(valid_range)(padh, u, H, dh, oh, &ilo, &ihi);
            for (int64_t v = 0; v < kw; v++) {
                const REAL *src = col + ((ch * kh + u) * kw + v) * ld + ilo * ow;
                int64_t lo, hi;
                SFX(valid_range)(padw, v, W, dw, ow, &lo, &hi);
                REAL *dst = plane + (ilo * dh - padh + u) * W - padw + v;
                for (int64_t i = ilo; i < ihi; i++, src += ow, dst += dh * W) {
                    if (dw == 1) {
                        SFX(row_add)(dst + lo, src + lo, hi - lo);
                    } else {
                        for (int64_t j = lo; j < hi; j++) dst[j * dw] += src[j];
                    }
                }
            }
        }
    }
}

/* ---- small-K kernels (first layer: 1 plane, 5x5) --------------------------- *
 * With K = C*kH*kW <= NN_CONV_SMALL_K (c->smallk) the GEMMs are thin (K = 25 against
 * F = 64 and P = 784 in the tutorial) and OpenBLAS's packing dominates;
 * these register-blocked loops on GCC vectors (64 bytes: one AVX-512
 * register, split by the compiler on narrower machines) compute the forward
 * and backward-input products from the im2col matrix (K,P) of one sample,
 * 1.7x and 1.3x faster than OpenBLAS here.  (The backward-weight product,
 * a dot product over P per entry, stays a GEMM: the same blocking measured
 * 2x slower than OpenBLAS there.)  `#pragma GCC unroll` makes -O2 unroll the
 * row loops so the accumulators live in registers.  Every sum runs in a
 * fixed order: results do not depend on threads or alignment. */

typedef REAL SFX(vec) __attribute__((vector_size(64)));
#define VL ((int64_t)(64 / sizeof(REAL)))

static inline SFX(vec) SFX(vload)(const REAL *p)
{
    SFX(vec) v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void SFX(vstore)(REAL *p, SFX(vec) v)
{
    memcpy(p, &v, sizeof v);
}

/* Rows blocked per pass: 8 accumulators.  Rows past the end of a block are
 * clamped to the last valid row: computed and never stored, so there is no
 * tail loop in rows. */
#define SK_R 8

/* acc += w * x as one fused multiply-add, as OpenBLAS's kernels do (the
 * build's -std=c11 turns contraction off elsewhere): with one rounding per
 * term, the tutorial script's forward numbers (tests/golden) come out bit
 * for bit as from the GEMM path, and the kernels run no slower. */
#ifndef SK_FMA
#if defined(__GNUC__) && !defined(__clang__)
#define SK_FMA __attribute__((optimize("fp-contract=fast")))
#else
#define SK_FMA
#endif
#endif

/* cols (K,P) rows ld apart, w (F,K), b (F)|NULL -> out (F,P) = w*cols + b. */
SK_FMA static void SFX(smallk_forward)(const REAL *cols, REAL *out, const REAL *w, const REAL *b,
                                       int64_t F, int64_t K, int64_t P, int64_t ld)
{
    const int64_t pv = P - P % VL;   /* vector part of each row */
    for (int64_t f0 = 0; f0 < F; f0 += SK_R) {
        int64_t nf = F - f0 < SK_R ? F - f0 : SK_R;
        const REAL *wr[SK_R];
        REAL br[SK_R];
        #pragma GCC unroll 8
        for (int r = 0; r < SK_R; r++) {
            int64_t f = f0 + (r < nf ? r : nf - 1);
            wr[r] = w + f * K;
            br[r] = b ? b[f] : 0;
        }
        for (int64_t p0 = 0; p0 < pv; p0 += VL) {
            SFX(vec) acc[SK_R];
            #pragma GCC unroll 8
            for (int r = 0; r < SK_R; r++) acc[r] = (SFX(vec)){0};
            for (int64_t k = 0; k < K; k++) {
                SFX(vec) x = SFX(vload)(cols + k * ld + p0);
                #pragma GCC unroll 8
                for (int r = 0; r < SK_R; r++) acc[r] += wr[r][k] * x;
            }
            /* the bias goes on last, as onto a GEMM's product (beta = 1) */
            for (int r = 0; r < nf; r++) SFX(vstore)(out + (f0 + r) * P + p0, acc[r] + br[r]);
        }
        for (int64_t p = pv; p < P; p++)
            for (int r = 0; r < nf; r++) {
                REAL s = 0;
                for (int64_t k = 0; k < K; k++) s += wr[r][k] * cols[k * ld + p];
                out[(f0 + r) * P + p] = s + br[r];
            }
    }
}

/* gout (F,P), w (F,K) -> gcols (K,P) = w^T * gout (overwritten). */
SK_FMA static void SFX(smallk_backward_input)(const REAL *gout, REAL *gcols, const REAL *w,
                                              int64_t F, int64_t K, int64_t P)
{
    const int64_t pv = P - P % VL;
    for (int64_t k0 = 0; k0 < K; k0 += SK_R) {
        int64_t nk = K - k0 < SK_R ? K - k0 : SK_R;
        int64_t kk[SK_R];
        #pragma GCC unroll 8
        for (int r = 0; r < SK_R; r++) kk[r] = k0 + (r < nk ? r : nk - 1);
        for (int64_t p0 = 0; p0 < pv; p0 += VL) {
            SFX(vec) acc[SK_R];
            #pragma GCC unroll 8
            for (int r = 0; r < SK_R; r++) acc[r] = (SFX(vec)){0};
            for (int64_t f = 0; f < F; f++) {
                SFX(vec) g = SFX(vload)(gout + f * P + p0);
                const REAL *wf = w + f * K;
                #pragma GCC unroll 8
                for (int r = 0; r < SK_R; r++) acc[r] += wf[kk[r]] * g;
            }
            for (int r = 0; r < nk; r++) SFX(vstore)(gcols + (k0 + r) * P + p0, acc[r]);
        }
        for (int64_t p = pv; p < P; p++)
            for (int r = 0; r < nk; r++) {
                REAL s = 0;
                for (int64_t f = 0; f < F; f++) s += w[f * K + k0 + r] * gout[f * P + p];
                gcols[(k0 + r) * P + p] = s;
            }
    }
}

#undef VL

/* ---- SpatialConvolutionMM: im2col + GEMM ---------------------------------- *
 * Samples go m at a time (m = nn_conv2d_chunk): the im2col rows of a chunk
 * lie side by side in one (K, mm*P) matrix (mm <= m samples), so each
 * product is one GEMM with mm*P columns, which OpenBLAS (or Ember's threads)
 * can split evenly; with m = 1 the GEMMs read and write the sample's own
 * (F,P) planes and no gather is needed.  When c->stored, finput keeps the
 * columns of the whole batch, (K, N*P) with rows N*P apart, for
 * backward-weight; else only a chunk's, (K, mm*P).  Then come (when m > 1)
 * an (F, m*P) matrix for the output chunk in GEMM layout.  fgradin holds a
 * chunk's column gradients (K, mm*P) (or re-unfolded columns) and the
 * gradOutput chunk (F, mm*P).  K = C*kH*kW, P = oH*oW. */

/* sum of x[0..n) in double, as 8 interleaved partial sums added in a fixed
 * order: one serial chain of double adds (4 cycles each) made the bias
 * gradient of conv1 (64 x 784 values a sample) cost half of the GEMM. */
static double SFX(sum)(const REAL *x, int64_t n)
{
    double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0}, s = 0;
    int64_t j = 0;
    for (; j + 8 <= n; j += 8)
#pragma GCC unroll 8
        for (int q = 0; q < 8; q++) acc[q] += x[j + q];
    for (; j < n; j++) s += x[j];
    return s + ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

/* gout rows of samples n0..n0+mm-1 -> gt (F, mm*P): gt[f][s*P + p] = g[n0+s][f][p]. */
static void SFX(gather_chunk)(const REAL *gout, REAL *gt, int64_t n0, int64_t mm,
                              int64_t F, int64_t P)
{
    for (int64_t f = 0; f < F; f++)
        for (int64_t s = 0; s < mm; s++)
            SFX(copy_row)(gt + (f * mm + s) * P, gout + ((n0 + s) * F + f) * P, P);
}

/* in (N,C,H,W), w (F,K), b (F)|NULL -> out (N,F,P); finput as above. */
static void SFX(conv2d_forward)(const REAL *in, REAL *out, const REAL *w, const REAL *b,
                                REAL *finput, int64_t m, const NNConv2d *c)
{
    const int64_t K = c->nin * c->kh * c->kw, P = c->oh * c->ow, F = c->nout;
    const int64_t isz = c->nin * c->ih * c->iw, N = c->batch;
    if (K == 0) {   /* no input planes: the bias alone (BLAS rejects zero sizes) */
        for (int64_t n = 0; n < N; n++)
            for (int64_t f = 0; f < F; f++)
                for (int64_t p = 0; p < P; p++) out[(n * F + f) * P + p] = b ? b[f] : 0;
        return;
    }
    REAL *yt = finput + K * (c->stored ? N : m) * P;   /* (F, mm*P) when m > 1 */
    for (int64_t n0 = 0; n0 < N; n0 += m) {
        int64_t mm = N - n0 < m ? N - n0 : m, ld = mm * P;
        /* this chunk's columns: a block of the batch's matrix, or their own */
        REAL *cols = c->stored ? finput + n0 * P : finput;
        int64_t ldc = c->stored ? N * P : ld;
        for (int64_t s = 0; s < mm; s++) SFX(im2col)(in + (n0 + s) * isz, cols + s * P, ldc, c);
        if (c->smallk) {   /* m == 1 */
            SFX(smallk_forward)(cols, out + n0 * F * P, w, b, F, K, P, ldc);
        } else if (mm == 1) {
            /* Torch fills the bias first and lets the GEMM add onto it (beta=1). */
            REAL *y = out + n0 * F * P;
            for (int64_t f = 0; f < F; f++) {
                REAL bf = b ? b[f] : 0;
                for (int64_t p = 0; p < P; p++) y[f * P + p] = bf;
            }
            if (F > 0) blas_gemm(DT, 'n', 'n', F, P, K, 1, w, K, cols, ldc, 1, y, P);
        } else if (F > 0) {
            /* one GEMM for the chunk into (F, mm*P), scattered to (mm,F,P) + bias */
            blas_gemm(DT, 'n', 'n', F, ld, K, 1, w, K, cols, ldc, 0, yt, ld);
            for (int64_t s = 0; s < mm; s++)
                for (int64_t f = 0; f < F; f++) {
                    REAL bf = b ? b[f] : 0, *y = out + ((n0 + s) * F + f) * P;
                    const REAL *src = yt + f * ld + s * P;
                    for (int64_t p = 0; p < P; p++) y[p] = src[p] + bf;
                }
        }
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

/* gout (N,F,P), w (F,K) -> gin (N,C,H,W) overwritten; fgradin scratch: the
 * (K, mm*P) column gradients w^T * gout, then gout's chunk in GEMM layout. */
static void SFX(conv2d_backward_input)(const REAL *gout, REAL *gin, const REAL *w,
                                       REAL *fgradin, int64_t m, const NNConv2d *c)
{
    const int64_t K = c->nin * c->kh * c->kw, P = c->oh * c->ow, F = c->nout;
    const int64_t isz = c->nin * c->ih * c->iw;
    if (K == 0) return;   /* no input planes: nothing to write */
    for (int64_t n0 = 0; n0 < c->batch; n0 += m) {
        int64_t mm = c->batch - n0 < m ? c->batch - n0 : m, ld = mm * P;
        if (F == 0) {
            memset(fgradin, 0, (size_t)(K * ld) * sizeof(REAL));
        } else if (c->smallk) {   /* m == 1 */
            SFX(smallk_backward_input)(gout + n0 * F * P, fgradin, w, F, K, P);
        } else {
            const REAL *g = gout + n0 * F * P;
            if (mm > 1) {
                REAL *gt = fgradin + K * m * P;
                SFX(gather_chunk)(gout, gt, n0, mm, F, P);
                g = gt;
            }
            /* beta = 0 overwrites the columns entirely (no need to zero them) */
            blas_gemm(DT, 't', 'n', K, ld, F, 1, w, K, g, ld, 0, fgradin, ld);
        }
        for (int64_t s = 0; s < mm; s++) {
            REAL *gx = gin + (n0 + s) * isz;
            memset(gx, 0, (size_t)isz * sizeof(REAL));
            SFX(col2im)(fgradin + s * P, gx, ld, c);
        }
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

/* in (N,C,H,W), gout (N,F,P) -> gw (F,K) += scale * sum_n gout_n * cols_n^T,
 * gb (F) += scale * sum of gout (in double).  With c->stored the columns are
 * read from finput (as Torch reads finput; the buffer's size pins N, so a
 * forward pass on another batch size is caught by the caller); otherwise
 * every chunk is unfolded again from in, into fgradin.  finput is never
 * written. */
static void SFX(conv2d_backward_weight)(const REAL *in, const REAL *gout, REAL *gw, REAL *gb,
                                        const REAL *finput, REAL *fgradin, REAL scale,
                                        int64_t m, const NNConv2d *c)
{
    const int64_t K = c->nin * c->kh * c->kw, P = c->oh * c->ow, F = c->nout;
    const int64_t isz = c->nin * c->ih * c->iw, N = c->batch;
    if (K > 0 && F > 0) {
        for (int64_t n0 = 0; n0 < N; n0 += m) {
            int64_t mm = N - n0 < m ? N - n0 : m, ld = mm * P;
            const REAL *cols = finput + n0 * P;
            int64_t ldc = N * P;
            if (!c->stored) {
                for (int64_t s = 0; s < mm; s++)
                    SFX(im2col)(in + (n0 + s) * isz, fgradin + s * P, ld, c);
                cols = fgradin;
                ldc = ld;
            }
            const REAL *g = gout + n0 * F * P;
            if (mm > 1) {
                REAL *gt = fgradin + K * m * P;
                SFX(gather_chunk)(gout, gt, n0, mm, F, P);
                g = gt;
            }
            blas_gemm(DT, 'n', 't', F, K, ld, scale, g, ld, cols, ldc, 1, gw, K);
        }
    }
    if (gb) {
        for (int64_t f = 0; f < F; f++) {
            double s = 0;   /* double sum: N*P can be large for Float */
            for (int64_t n = 0; n < N; n++) s += SFX(sum)(gout + (n * F + f) * P, P);
            gb[f] += (REAL)(scale * s);
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
