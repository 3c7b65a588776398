/* test_nn_conv.c: convolution kernels (nn_conv.h): im2col layout, GEMM path
 * against the direct naive loops on odd sizes/strides/padding/batches, the
 * Map kernels against a dense convolution with a sparse weight, and Torch's
 * golden numbers (tests/golden/nn_modules.out). */
#include "nn_conv.h"
#include "error.h"
#include "parallel.h"
#include "test_nn_util.h"

static const DType types[2] = {DT_FLOAT, DT_DOUBLE};

/* ---- im2col --------------------------------------------------------------- */

static void test_im2col_layout(void)
{
    /* rows (c, u, v), columns (i, j); taps outside the image are 0 */
    NNConv2d c;
    CHECK(nn_conv2d_init(&c, 1, 2, 5, 6, 1, 3, 2, 2, 1, 1, 1) == 0);
    CHECK(c.oh == 6 && c.ow == 3);   /* (5+2-2)/1+1, (6+2-3)/2+1 */
    for (int t = 0; t < 2; t++) {
        DType dt = types[t];
        int64_t K = 2 * 2 * 3, P = c.oh * c.ow;
        void *x = tnn_rand(dt, 2 * 5 * 6), *col = tnn_rand(dt, K * P);
        CHECK(nn_im2col(dt, x, col, &c) == 0);
        int bad = 0;
        for (int64_t ch = 0; ch < 2; ch++)
            for (int64_t u = 0; u < 2; u++)
                for (int64_t v = 0; v < 3; v++)
                    for (int64_t i = 0; i < c.oh; i++)
                        for (int64_t j = 0; j < c.ow; j++) {
                            int64_t y = i * 1 - 1 + u, xx = j * 2 - 1 + v;
                            double want = (y < 0 || y >= 5 || xx < 0 || xx >= 6)
                                              ? 0 : tnn_get(dt, x, (ch * 5 + y) * 6 + xx);
                            double got = tnn_get(dt, col, ((ch * 2 + u) * 3 + v) * P + i * c.ow + j);
                            if (got != want) bad++;
                        }
        CHECK(bad == 0);
        /* col2im is the transpose of im2col: <im2col(x), r> == <x, col2im(r)> */
        void *r = tnn_rand(dt, K * P), *back = tnn_zeros(dt, 2 * 5 * 6);
        CHECK(nn_col2im(dt, r, back, &c) == 0);
        double lhs = 0, rhs = 0;
        for (int64_t k = 0; k < K * P; k++) lhs += tnn_get(dt, col, k) * tnn_get(dt, r, k);
        for (int64_t k = 0; k < 2 * 5 * 6; k++) rhs += tnn_get(dt, x, k) * tnn_get(dt, back, k);
        CHECK_NEAR(lhs, rhs, dt == DT_FLOAT ? 1e-5 : 1e-12);
        free(x); free(col); free(r); free(back);
    }
}

/* ---- fast paths vs naive ---------------------------------------------------- */

typedef struct Cfg { int64_t nin, ih, iw, nout, kw, kh, dw, dh, padw, padh; } Cfg;

static const Cfg cfgs[] = {
    {1, 7, 7, 1, 3, 3, 1, 1, 0, 0},
    {2, 6, 7, 3, 3, 3, 1, 1, 0, 0},
    {3, 9, 8, 5, 3, 2, 2, 1, 1, 0},    /* kW != kH, strides, padding */
    {4, 11, 5, 2, 5, 3, 3, 2, 2, 1},   /* K = 60: GEMM path */
    {1, 13, 17, 4, 5, 5, 1, 1, 2, 2},
    {3, 5, 5, 7, 1, 1, 1, 1, 0, 0},    /* 1x1 kernel */
    {2, 4, 4, 3, 4, 4, 1, 1, 3, 3},    /* padding larger than half the kernel */
    {5, 8, 9, 6, 2, 3, 3, 3, 1, 2},
    {1, 32, 32, 9, 5, 5, 1, 1, 0, 0},  /* tutorial conv1 shape, fewer planes */
    {1, 19, 23, 11, 5, 5, 2, 3, 1, 2}, /* conv1-like, odd strides and padding */
    {6, 9, 10, 13, 3, 3, 1, 1, 1, 1},  /* K = 54 */
    {7, 6, 6, 9, 5, 5, 1, 1, 0, 0},    /* conv2-like, oW = 2 */
};
static const int64_t batches[] = {1, 2, 3, 7, 33};

/* The ways to run one convolution: as nn_conv2d_init chose, forced small-K,
 * forced GEMMs of 1, 2, 3 samples and of the whole batch; odd modes keep
 * the batch's columns in finput, even ones unfold them again. */
enum { MODE_INIT, MODE_SMALLK, MODE_SMALLK_RE, MODE_CHUNK1, MODE_CHUNK1_RE, MODE_CHUNK2,
       MODE_CHUNK2_RE, MODE_CHUNK3, MODE_CHUNK3_RE, MODE_WHOLE, NMODES };

static void set_mode(NNConv2d *c, int mode)
{
    if (mode == MODE_INIT) return;
    c->smallk = mode == MODE_SMALLK || mode == MODE_SMALLK_RE;
    c->chunk = mode == MODE_CHUNK2 || mode == MODE_CHUNK2_RE ? 2
             : mode == MODE_CHUNK3 || mode == MODE_CHUNK3_RE ? 3
             : mode == MODE_WHOLE ? c->batch : 1;
    c->stored = mode % 2 == 1;
}

/* Largest |a - b| relative to the magnitude of the result, max |b| (a
 * gradient summed over 33 x 784 products has entries near 0 whose Float
 * rounding is that of the large ones). */
static double rel_err(DType dt, const void *a, const void *b, int64_t n)
{
    double d = 0, m = 0;
    for (int64_t k = 0; k < n; k++) {
        double x = tnn_get(dt, a, k), y = tnn_get(dt, b, k);
        if (!(fabs(x - y) <= d)) d = fabs(x - y);   /* NaN sticks */
        if (fabs(y) > m) m = fabs(y);
    }
    return d / (m > 0 ? m : 1);
}

/* The geometry of cfg g at batch n, run in `mode`; -1 if init rejects it. */
static int case_geometry(NNConv2d *c, const Cfg *g, int64_t n, int mode)
{
    if (nn_conv2d_init(c, n, g->nin, g->ih, g->iw, g->nout, g->kw, g->kh, g->dw, g->dh,
                       g->padw, g->padh) != 0)
        return -1;
    set_mode(c, mode);
    return 0;
}

/* One geometry in one mode: forward, backward-input and backward-weight
 * against the naive loops (Float 1e-5, Double 1e-12 relative to the largest
 * value); finput is left intact by backward-weight, a second call accumulates. */
static int conv_case(DType dt, const Cfg *g, int64_t n, int mode)
{
    NNConv2d c;
    if (case_geometry(&c, g, n, mode) != 0) return 1;
    int64_t K = c.nin * c.kh * c.kw, P = c.oh * c.ow;
    int64_t nb = nn_conv2d_finput_size(&c), ng = nn_conv2d_fgradin_size(&c);
    int64_t nx = c.batch * c.nin * c.ih * c.iw, ny = c.batch * c.nout * P;
    size_t es = dtype_size(dt);
    int bad = 0;
    void *x = tnn_rand(dt, nx), *w = tnn_rand(dt, c.nout * K), *b = tnn_rand(dt, c.nout);
    void *y1 = tnn_rand(dt, ny), *y2 = tnn_rand(dt, ny);
    void *fin = tnn_rand(dt, nb), *fgin = tnn_rand(dt, ng), *keep = tnn_zeros(dt, nb);
    bad += nn_conv2d_forward(dt, x, y1, w, b, fin, &c) != 0;
    nn_conv2d_forward_naive(dt, x, y2, w, b, &c);
    bad += rel_err(dt, y1, y2, ny) > tnn_tol(dt);
    /* no bias */
    bad += nn_conv2d_forward(dt, x, y1, w, NULL, fin, &c) != 0;
    nn_conv2d_forward_naive(dt, x, y2, w, NULL, &c);
    bad += rel_err(dt, y1, y2, ny) > tnn_tol(dt);
    memcpy(keep, fin, (size_t)nb * es);

    void *go = tnn_rand(dt, ny), *gi1 = tnn_rand(dt, nx), *gi2 = tnn_rand(dt, nx);
    bad += nn_conv2d_backward_input(dt, go, gi1, w, fgin, &c) != 0;
    nn_conv2d_backward_input_naive(dt, go, gi2, w, &c);
    bad += rel_err(dt, gi1, gi2, nx) > tnn_tol(dt);

    /* accumulation: start from the same non-zero gradients, apply twice */
    void *gw1 = tnn_rand(dt, c.nout * K), *gb1 = tnn_rand(dt, c.nout);
    void *gw2 = malloc((size_t)(c.nout * K) * es), *gb2 = malloc((size_t)c.nout * es);
    memcpy(gw2, gw1, (size_t)(c.nout * K) * es);
    memcpy(gb2, gb1, (size_t)c.nout * es);
    bad += nn_conv2d_backward_weight(dt, x, go, gw1, gb1, fin, fgin, 0.5, &c) != 0;
    bad += memcmp(keep, fin, (size_t)nb * es) != 0;
    bad += nn_conv2d_backward_weight(dt, x, go, gw1, gb1, fin, fgin, 0.25, &c) != 0;
    nn_conv2d_backward_weight_naive(dt, x, go, gw2, gb2, 0.75, &c);
    bad += rel_err(dt, gw1, gw2, c.nout * K) > tnn_tol(dt);
    bad += rel_err(dt, gb1, gb2, c.nout) > tnn_tol(dt);
    free(x); free(w); free(b); free(y1); free(y2); free(fin); free(fgin); free(keep);
    free(go); free(gi1); free(gi2); free(gw1); free(gb1); free(gw2); free(gb2);
    return bad;
}

/* nn_conv2d_backward = backward_input then backward_weight, bit for bit,
 * with 1 and 2 threads (batch 1 runs the two as pool tasks), and with
 * gin NULL = backward_weight alone. */
static int fused_case(DType dt, const Cfg *g, int64_t n, int mode)
{
    NNConv2d c;
    if (case_geometry(&c, g, n, mode) != 0) return 1;
    int64_t K = c.nin * c.kh * c.kw, nw = c.nout * K;
    int64_t nx = c.batch * c.nin * c.ih * c.iw, ny = c.batch * c.nout * c.oh * c.ow;
    size_t es = dtype_size(dt);
    void *x = tnn_rand(dt, nx), *w = tnn_rand(dt, nw), *go = tnn_rand(dt, ny);
    void *fin = tnn_rand(dt, nn_conv2d_finput_size(&c));
    void *fgin = tnn_rand(dt, nn_conv2d_fgradin_size(&c));
    void *gw0 = tnn_rand(dt, nw), *gb0 = tnn_rand(dt, c.nout);
    void *gi[2], *gw[2], *gb[2];
    for (int k = 0; k < 2; k++) {
        gi[k] = tnn_rand(dt, nx);
        gw[k] = malloc((size_t)nw * es);
        gb[k] = malloc((size_t)c.nout * es);
    }
    void *y = tnn_rand(dt, ny);
    int bad = nn_conv2d_forward(dt, x, y, w, NULL, fin, &c) != 0;
    memcpy(gw[0], gw0, (size_t)nw * es);
    memcpy(gb[0], gb0, (size_t)c.nout * es);
    bad += nn_conv2d_backward_input(dt, go, gi[0], w, fgin, &c) != 0;
    bad += nn_conv2d_backward_weight(dt, x, go, gw[0], gb[0], fin, fgin, 0.5, &c) != 0;
    for (int threads = 1; threads <= 2; threads++)
        for (int with_gin = 0; with_gin < 2; with_gin++) {
            parallel_set_num_threads(threads);
            memcpy(gw[1], gw0, (size_t)nw * es);
            memcpy(gb[1], gb0, (size_t)c.nout * es);
            bad += nn_conv2d_backward(dt, x, go, with_gin ? gi[1] : NULL, w, gw[1], gb[1], fin,
                                      fgin, 0.5, &c) != 0;
            if (with_gin) bad += memcmp(gi[0], gi[1], (size_t)nx * es) != 0;
            bad += memcmp(gw[0], gw[1], (size_t)nw * es) != 0;
            bad += memcmp(gb[0], gb[1], (size_t)c.nout * es) != 0;
        }
    parallel_set_num_threads(1);
    free(x); free(y); free(w); free(go); free(fin); free(fgin); free(gw0); free(gb0);
    for (int k = 0; k < 2; k++) { free(gi[k]); free(gw[k]); free(gb[k]); }
    return bad;
}

static void test_conv_fused_backward(void)
{
    for (size_t ci = 0; ci < sizeof cfgs / sizeof cfgs[0]; ci++)
        for (size_t bi = 0; bi < 3; bi++)
            for (int mode = 0; mode < NMODES; mode++)
                for (int t = 0; t < 2; t++) {
                    int bad = fused_case(types[t], &cfgs[ci], batches[bi], mode);
                    if (bad) fprintf(stderr, "  fused: cfg %zu batch %lld mode %d %s: %d failures\n",
                                     ci, (long long)batches[bi], mode, dtype_name(types[t]), bad);
                    CHECK(bad == 0);
                }
    /* bad dtype */
    NNConv2d c;
    CHECK(nn_conv2d_init(&c, 1, 1, 5, 5, 1, 3, 3, 1, 1, 0, 0) == 0);
    CHECK(nn_conv2d_backward(DT_INT, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 1, &c) == -1);
}

static void test_conv_fast_vs_naive(void)
{
    for (size_t ci = 0; ci < sizeof cfgs / sizeof cfgs[0]; ci++)
        for (size_t bi = 0; bi < sizeof batches / sizeof batches[0]; bi++)
            for (int mode = 0; mode < NMODES; mode++)
                for (int t = 0; t < 2; t++) {
                    int bad = conv_case(types[t], &cfgs[ci], batches[bi], mode);
                    if (bad) fprintf(stderr, "  cfg %zu batch %lld mode %d %s: %d failures\n",
                                     ci, (long long)batches[bi], mode,
                                     dtype_name(types[t]), bad);
                    CHECK(bad == 0);
                }
}

/* nn_conv2d_init's choice: small-K kernels for the first layer, balanced
 * chunks below NN_CONV_CHUNK_ELEMS, buffer sizes to match; and a batch cut
 * into uneven chunks against the naive loops. */
static void test_conv_chunks(void)
{
    NNConv2d c;
    CHECK(nn_conv2d_init(&c, 128, 1, 32, 32, 64, 5, 5, 1, 1, 0, 0) == 0);
    CHECK(c.smallk == 1 && nn_conv2d_chunk(&c) == 1);
    CHECK(c.stored == 0 && nn_conv2d_finput_size(&c) == 25 * 784);
    CHECK(nn_conv2d_fgradin_size(&c) == 25 * 784);
    /* batch 16: 16 x 19600 columns are kept */
    CHECK(nn_conv2d_init(&c, 16, 1, 32, 32, 64, 5, 5, 1, 1, 0, 0) == 0);
    CHECK(c.stored == 1 && nn_conv2d_finput_size(&c) == 25 * 16 * 784);
    /* conv2: 160000 elements per sample, 3 fit a chunk: 128 = 42 chunks of 3
     * and one of 2; the batch's columns are not kept */
    CHECK(nn_conv2d_init(&c, 128, 64, 14, 14, 64, 5, 5, 1, 1, 0, 0) == 0);
    CHECK(c.smallk == 0 && c.stored == 0 && nn_conv2d_chunk(&c) == 3);
    CHECK(nn_conv2d_finput_size(&c) == (1600 + 64) * 3 * 100);
    CHECK(nn_conv2d_fgradin_size(&c) == (1600 + 64) * 3 * 100);
    /* batch 3: one chunk, kept */
    CHECK(nn_conv2d_init(&c, 3, 64, 14, 14, 64, 5, 5, 1, 1, 0, 0) == 0);
    CHECK(c.stored == 1 && nn_conv2d_chunk(&c) == 3);
    CHECK(nn_conv2d_finput_size(&c) == (1600 + 64) * 3 * 100);
    CHECK(nn_conv2d_init(&c, 1, 64, 14, 14, 64, 5, 5, 1, 1, 0, 0) == 0);
    CHECK(nn_conv2d_chunk(&c) == 1 && nn_conv2d_finput_size(&c) == 1600 * 100);
    CHECK(nn_conv2d_fgradin_size(&c) == 1600 * 100);
    /* 36 x 3844 elements per sample: 3 fit, 7 samples go as 3 + 3 + 1 */
    const Cfg big = {4, 64, 64, 3, 3, 3, 1, 1, 0, 0};
    CHECK(nn_conv2d_init(&c, 7, 4, 64, 64, 3, 3, 3, 1, 1, 0, 0) == 0);
    CHECK(c.smallk == 0 && c.stored == 0 && nn_conv2d_chunk(&c) == 3);
    for (int t = 0; t < 2; t++) CHECK(conv_case(types[t], &big, 7, MODE_INIT) == 0);
}

/* The naive backward kernels against central differences of the naive
 * forward (double): ties the two references to the math, not to each other. */
static void test_conv_naive_gradients(void)
{
    NNConv2d c;
    CHECK(nn_conv2d_init(&c, 2, 2, 5, 6, 3, 3, 2, 2, 1, 1, 1) == 0);
    DType dt = DT_DOUBLE;
    int64_t K = c.nin * c.kh * c.kw, P = c.oh * c.ow;
    int64_t nx = c.batch * c.nin * c.ih * c.iw, ny = c.batch * c.nout * P;
    double *x = tnn_rand(dt, nx), *w = tnn_rand(dt, c.nout * K), *b = tnn_rand(dt, c.nout);
    double *go = tnn_rand(dt, ny), *y = tnn_zeros(dt, ny);
    double *gi = tnn_zeros(dt, nx), *gw = tnn_zeros(dt, c.nout * K), *gb = tnn_zeros(dt, c.nout);
    nn_conv2d_backward_input_naive(dt, go, gi, w, &c);
    nn_conv2d_backward_weight_naive(dt, x, go, gw, gb, 1.0, &c);
    const double eps = 1e-6;
    double err = 0;
    /* L = <go, y(x, w, b)>: dL/dp by central differences for every parameter */
    double *ps[3] = {x, w, b}, *gs[3] = {gi, gw, gb};
    int64_t ns[3] = {nx, c.nout * K, c.nout};
    for (int a = 0; a < 3; a++)
        for (int64_t k = 0; k < ns[a]; k++) {
            double keep = ps[a][k], lp = 0, lm = 0;
            ps[a][k] = keep + eps;
            nn_conv2d_forward_naive(dt, x, y, w, b, &c);
            for (int64_t q = 0; q < ny; q++) lp += go[q] * y[q];
            ps[a][k] = keep - eps;
            nn_conv2d_forward_naive(dt, x, y, w, b, &c);
            for (int64_t q = 0; q < ny; q++) lm += go[q] * y[q];
            ps[a][k] = keep;
            double e = fabs((lp - lm) / (2 * eps) - gs[a][k]);
            if (e > err) err = e;
        }
    CHECK(err < 1e-7);
    free(x); free(w); free(b); free(go); free(y); free(gi); free(gw); free(gb);
}

/* ---- Torch's numbers ------------------------------------------------------------ */

/* One golden case: weight/bias from the file, input sinT, gradOutput cosT. */
static void golden_conv(const char *title, int64_t n, int64_t kw, int64_t kh, int64_t dw,
                        int64_t dh, int64_t padw, int64_t padh, int nout_all)
{
    for (int t = 0; t < 2; t++) {
        DType dt = types[t];
        double tol = dt == DT_FLOAT ? 2e-5 : 1e-12;
        NNConv2d c;
        CHECK(nn_conv2d_init(&c, n, 2, 6, 7, 3, kw, kh, dw, dh, padw, padh) == 0);
        int64_t K = c.nin * c.kh * c.kw, P = c.oh * c.ow;
        int64_t nx = n * 2 * 6 * 7, ny = n * 3 * P;
        double wv[64], bv[3];
        CHECK(tnn_golden(title, "param1", wv, 64) == 3 * K);
        CHECK(tnn_golden(title, "param2", bv, 3) == 3);
        void *w = tnn_zeros(dt, 3 * K), *b = tnn_zeros(dt, 3);
        for (int64_t k = 0; k < 3 * K; k++) tnn_set(dt, w, k, wv[k]);
        for (int64_t k = 0; k < 3; k++) tnn_set(dt, b, k, bv[k]);
        void *x = tnn_sinT(dt, nx), *go = tnn_cosT(dt, ny);
        void *y = tnn_zeros(dt, ny), *fin = tnn_zeros(dt, nn_conv2d_finput_size(&c));
        void *fg = tnn_zeros(dt, nn_conv2d_fgradin_size(&c));
        void *gi = tnn_zeros(dt, nx), *gw = tnn_zeros(dt, 3 * K), *gb = tnn_zeros(dt, 3);
        CHECK(nn_conv2d_forward(dt, x, y, w, b, fin, &c) == 0);
        CHECK(nn_conv2d_backward_input(dt, go, gi, w, fg, &c) == 0);
        CHECK(nn_conv2d_backward_weight(dt, x, go, gw, gb, fin, fg, 1.0, &c) == 0);
        CHECK(tnn_golden_match(title, "output", dt, y, nout_all ? (int)ny : 16, tol));
        CHECK(tnn_golden_match(title, "gradInput", dt, gi, 16, tol));
        CHECK(tnn_golden_match(title, "gradParam1", dt, gw, (int)(3 * K), tol));
        CHECK(tnn_golden_match(title, "gradParam2", dt, gb, 3, tol));
        free(w); free(b); free(x); free(go); free(y); free(fin); free(fg); free(gi); free(gw);
        free(gb);
    }
}

static void test_conv_golden(void)
{
    golden_conv("SpatialConvolutionMM(2,3,3,3) on 2x6x7", 1, 3, 3, 1, 1, 0, 0, 1);
    golden_conv("SpatialConvolutionMM(2,3,3,2,2,1,1,0)", 1, 3, 2, 2, 1, 1, 0, 1);
    golden_conv("SpatialConvolutionMM(2,3,3,3) batch 2x2x6x7", 2, 3, 3, 1, 1, 0, 0, 0);
}

static void test_conv_errors(void)
{
    NNConv2d c;
    CHECK(nn_conv2d_init(&c, 1, 1, 2, 2, 1, 3, 3, 1, 1, 0, 0) == -1);
    CHECK(strcmp(th_lasterror(), "Given input size: (1 x 2 x 2). Calculated output size: "
                                 "(1 x 0 x 0). Output size is too small") == 0);
    /* stride 2 with a kernel one larger than the image: floor, not truncation */
    CHECK(nn_conv2d_init(&c, 1, 1, 2, 2, 1, 3, 3, 2, 2, 0, 0) == -1);
    CHECK(nn_conv2d_init(&c, 1, 1, 5, 5, 1, 0, 3, 1, 1, 0, 0) == -1);
    CHECK(strstr(th_lasterror(), "kernel size should be greater than zero") != NULL);
    CHECK(nn_conv2d_init(&c, 1, 1, 5, 5, 1, 3, 3, 0, 1, 0, 0) == -1);
    CHECK(strstr(th_lasterror(), "stride should be greater than zero") != NULL);
    CHECK(nn_conv2d_init(&c, 1, 1, 5, 5, 1, 3, 3, 1, 1, 0, 0) == 0);
    float a[1];
    CHECK(nn_conv2d_forward(DT_INT, a, a, a, NULL, a, &c) == -1);
    CHECK(strstr(th_lasterror(), "FloatTensor or DoubleTensor") != NULL);
}

/* ---- SpatialConvolutionMap ---------------------------------------------------- */

static void test_convmap_vs_dense(void)
{
    /* a connection table with repeated outputs and skipped pairs, checked
     * against the dense naive convolution whose weight is zero off the table */
    const int64_t conn[] = {0, 0, 2, 0, 1, 1, 2, 2, 0, 2, 1, 3};
    const int64_t K = 6, C = 3, F = 4;
    const int64_t sizes[][5] = {{1, 7, 8, 3, 3}, {3, 9, 6, 2, 3}};   /* n, H, W, kW... */
    for (int s = 0; s < 2; s++)
        for (int t = 0; t < 2; t++) {
            DType dt = types[t];
            int64_t n = sizes[s][0], H = sizes[s][1], W = sizes[s][2], kw = sizes[s][3], kh = 3;
            int64_t dw = s ? 2 : 1, dh = s ? 1 : 2;
            NNConv2d c;
            CHECK(nn_conv2d_init(&c, n, C, H, W, F, kw, kh, dw, dh, 0, 0) == 0);
            int64_t P = c.oh * c.ow, nx = n * C * H * W, ny = n * F * P, ks = kh * kw;
            void *x = tnn_rand(dt, nx), *w = tnn_rand(dt, K * ks), *b = tnn_rand(dt, F);
            void *dense = tnn_zeros(dt, F * C * ks);
            for (int64_t k = 0; k < K; k++)
                for (int64_t q = 0; q < ks; q++) {
                    int64_t at = (conn[2 * k + 1] * C + conn[2 * k]) * ks + q;
                    tnn_set(dt, dense, at, tnn_get(dt, dense, at) + tnn_get(dt, w, k * ks + q));
                }
            void *y1 = tnn_rand(dt, ny), *y2 = tnn_rand(dt, ny);
            CHECK(nn_convmap_forward(dt, x, y1, w, b, conn, K, &c) == 0);
            CHECK(nn_conv2d_forward_naive(dt, x, y2, dense, b, &c) == 0);
            CHECK(tnn_maxrel(dt, y1, y2, ny) <= tnn_tol(dt));

            void *go = tnn_rand(dt, ny), *gi1 = tnn_rand(dt, nx), *gi2 = tnn_rand(dt, nx);
            CHECK(nn_convmap_backward_input(dt, go, gi1, w, conn, K, &c) == 0);
            CHECK(nn_conv2d_backward_input_naive(dt, go, gi2, dense, &c) == 0);
            CHECK(tnn_maxrel(dt, gi1, gi2, nx) <= tnn_tol(dt));

            /* gradWeight of connection k = dense gradient at (out_k, in_k) */
            void *gw = tnn_zeros(dt, K * ks), *gb = tnn_zeros(dt, F);
            void *gwd = tnn_zeros(dt, F * C * ks), *gbd = tnn_zeros(dt, F);
            CHECK(nn_convmap_backward_weight(dt, x, go, gw, gb, conn, K, 0.5, &c) == 0);
            CHECK(nn_convmap_backward_weight(dt, x, go, gw, gb, conn, K, 0.5, &c) == 0);
            CHECK(nn_conv2d_backward_weight_naive(dt, x, go, gwd, gbd, 1.0, &c) == 0);
            int bad = 0;
            for (int64_t k = 0; k < K; k++)
                for (int64_t q = 0; q < ks; q++) {
                    double a = tnn_get(dt, gw, k * ks + q);
                    double e = tnn_get(dt, gwd, (conn[2 * k + 1] * C + conn[2 * k]) * ks + q);
                    if (fabs(a - e) > tnn_tol(dt) * 10 * (fabs(e) > 1 ? fabs(e) : 1)) bad++;
                }
            CHECK(bad == 0);
            CHECK(tnn_maxrel(dt, gb, gbd, F) <= tnn_tol(dt) * 10);
            free(x); free(w); free(b); free(dense); free(y1); free(y2); free(go); free(gi1);
            free(gi2); free(gw); free(gb); free(gwd); free(gbd);
        }
}

static const CheckTest tests[] = {
    {"im2col_layout", test_im2col_layout},
    {"conv_fast_vs_naive", test_conv_fast_vs_naive},
    {"conv_fused_backward", test_conv_fused_backward},
    {"conv_chunks", test_conv_chunks},
    {"conv_naive_gradients", test_conv_naive_gradients},
    {"conv_golden", test_conv_golden},
    {"conv_errors", test_conv_errors},
    {"convmap_vs_dense", test_convmap_vs_dense},
    {NULL, NULL},
};

CHECK_MAIN(tests)
