/* test_nn_act.c: transfer functions and (log-)softmax (nn_act.h): fast vs
 * naive, backward kernels against central differences of the forward kernels
 * (double), in-place use, softmax dimension rules and Torch's golden numbers.
 * tanh: the vectorised kernel against libm's tanhf / tanh bit for bit (memcmp),
 * on ~4.2M strided float patterns (every exponent), ~20M double patterns
 * (random per range and per exponent), every threshold +-ulps, specials. */
#include <stdint.h>

#include "nn_act.h"
#include "error.h"
#include "parallel.h"
#include "test_nn_util.h"

static const DType types[2] = {DT_FLOAT, DT_DOUBLE};

static void test_fast_vs_naive(void)
{
    const int64_t sizes[] = {1, 7, 8, 33, 1000};
    for (int t = 0; t < 2; t++)
        for (int s = 0; s < 5; s++) {
            DType dt = types[t];
            int64_t n = sizes[s];
            void *x = tnn_rand(dt, n), *a = tnn_zeros(dt, n), *b = tnn_zeros(dt, n);
            /* spread inputs over [-12, 12] to reach the saturated ranges */
            for (int64_t k = 0; k < n; k++) tnn_set(dt, x, k, 12 * tnn_get(dt, x, k));
            CHECK(nn_tanh_forward(dt, x, a, n) == 0);
            CHECK(nn_tanh_forward_naive(dt, x, b, n) == 0);
            CHECK(memcmp(a, b, (size_t)n * dtype_size(dt)) == 0);   /* libm's bits */
            CHECK(nn_sigmoid_forward(dt, x, a, n) == 0);
            CHECK(nn_sigmoid_forward_naive(dt, x, b, n) == 0);
            CHECK(tnn_maxrel(dt, a, b, n) <= tnn_tol(dt));
            free(x); free(a); free(b);
        }
}

static void test_values(void)
{
    double x[5] = {-2, -0.5, 0, 1e-7, 3}, y[5], g[5] = {1, 1, 1, 1, 1}, gi[5];
    CHECK(nn_threshold_forward(DT_DOUBLE, x, y, 5, 0, -1) == 0);
    CHECK(y[0] == -1 && y[1] == -1 && y[2] == -1 && y[3] == 1e-7 && y[4] == 3);
    CHECK(nn_threshold_backward(DT_DOUBLE, x, g, gi, 5, 0) == 0);
    CHECK(gi[0] == 0 && gi[2] == 0 && gi[3] == 1 && gi[4] == 1);   /* 0 at x == th */
    CHECK(nn_hardtanh_forward(DT_DOUBLE, x, y, 5, -1, 1) == 0);
    CHECK(y[0] == -1 && y[1] == -0.5 && y[4] == 1);
    double xb[4] = {-1, -0.9, 1, 0.99};
    CHECK(nn_hardtanh_backward(DT_DOUBLE, xb, g, gi, 4, -1, 1) == 0);
    CHECK(gi[0] == 0 && gi[1] == 1 && gi[2] == 0 && gi[3] == 1);   /* strict bounds */
    double xn[1] = {NAN}, yn[1], gn[1] = {3}, gin[1];   /* THNN: NaN -> max, gradient passes */
    CHECK(nn_hardtanh_forward(DT_DOUBLE, xn, yn, 1, -1, 1) == 0 && yn[0] == 1);
    CHECK(nn_hardtanh_backward(DT_DOUBLE, xn, gn, gin, 1, -1, 1) == 0 && gin[0] == 3);
    double s[3] = {4, 0, 2.25}, r[3], gs[3] = {1, 1, 2}, gr[3];
    CHECK(nn_sqrt_forward(DT_DOUBLE, s, r, 3) == 0);
    CHECK(r[0] == 2 && r[1] == 0 && r[2] == 1.5);
    CHECK(nn_sqrt_backward(DT_DOUBLE, gs, gr, r, 3) == 0);
    CHECK(gr[0] == 0.25 && gr[1] == 0 && fabs(gr[2] - 2.0 / 3) < 1e-15);
    /* in place: out == in */
    double z[3] = {-1, 2, -3};
    CHECK(nn_square_forward(DT_DOUBLE, z, z, 3) == 0);
    CHECK(z[0] == 1 && z[1] == 4 && z[2] == 9);
    CHECK(nn_tanh_forward(DT_INT, z, z, 3) == -1);
    CHECK(strstr(th_lasterror(), "FloatTensor or DoubleTensor") != NULL);
}

/* ---- tanh: the vectorised kernel is libm, bit for bit ------------------------ */

/* Compares nn_tanh_forward with libm (tanh / tanhf) on x[0..n), bit for bit;
 * also in place and at every tail length.  Returns the number of differences
 * and prints the first few. */
static int64_t tanh_diffs_f64(const double *x, int64_t n)
{
    double *y = malloc((size_t)n * sizeof *y);
    int64_t bad = 0;
    nn_tanh_forward(DT_DOUBLE, x, y, n);
    for (int64_t k = 0; k < n; k++) {
        double want = tanh(x[k]);
        if (memcmp(&want, &y[k], sizeof want) != 0 && bad++ < 5)
            printf("  tanh(%a): kernel %a, libm %a\n", x[k], y[k], want);
    }
    free(y);
    return bad;
}

static int64_t tanh_diffs_f32(const float *x, int64_t n)
{
    float *y = malloc((size_t)n * sizeof *y);
    int64_t bad = 0;
    nn_tanh_forward(DT_FLOAT, x, y, n);
    for (int64_t k = 0; k < n; k++) {
        float want = tanhf(x[k]);
        if (memcmp(&want, &y[k], sizeof want) != 0 && bad++ < 5)
            printf("  tanhf(%a): kernel %a, libm %a\n", x[k], y[k], want);
    }
    free(y);
    return bad;
}

static double from_bits(uint64_t b) { double d; memcpy(&d, &b, sizeof d); return d; }
static float from_bits32(uint32_t b) { float f; memcpy(&f, &b, sizeof f); return f; }

static uint64_t rnd64(void)   /* xorshift64*, independent of tnn_state */
{
    static uint64_t s = 0x853c49e6748fea9bu;
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545f4914f6cdd1du;
}

/* glibc's branch points as |x| for tanh (thresholds on |x| and, through
 * y = 2|x|, on expm1's argument): 2^-55, |y| = ln2/2, |y| = 1.5 ln2, 1, 22;
 * float also 2^-26 (expm1f returns y below |y| = 2^-25). */
static const uint64_t TH64[] = {0x3c80000000000000u, 0x3fc62e4300000000u, 0x3fe0a2b200000000u,
                                0x3ff0000000000000u, 0x4036000000000000u};
static const uint32_t TH32[] = {0x24000000u, 0x32800000u, 0x3e317219u, 0x3f051592u,
                                0x3f800000u, 0x41b00000u};

static void test_tanh_specials(void)
{
    const double d[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, -NAN,
                        from_bits(0x7ff0000000000001u),   /* signalling NaN, payload 1 */
                        from_bits(0xfff8000000000123u), 0x1p-1074, -0x1p-1074, 0x1p-1022,
                        -0x1.fffffffffffffp-1023, 0x1.fffffffffffffp+1023, -0x1p-60, 1e-9,
                        0.5, -0.75, 1, -1, 3, 19.5, -21.999999, 22, -22, 40, 1e300};
    const int64_t nd = (int64_t)(sizeof d / sizeof d[0]);
    CHECK(tanh_diffs_f64(d, nd) == 0);
    float f[sizeof d / sizeof d[0]];
    for (int64_t k = 0; k < nd; k++) f[k] = (float)d[k];
    f[6] = from_bits32(0x7f800001u);                   /* signalling NaN */
    f[7] = from_bits32(0xffc00123u);
    f[8] = 0x1p-149f, f[9] = -0x1p-149f, f[10] = 0x1p-126f, f[11] = -0x1.fffffcp-127f;
    CHECK(tanh_diffs_f32(f, nd) == 0);
    /* signs of zero kept, saturation, NaN stays NaN */
    double y[6];
    CHECK(nn_tanh_forward(DT_DOUBLE, d, y, 6) == 0);
    CHECK(y[0] == 0 && !signbit(y[0]) && y[1] == 0 && signbit(y[1]));
    CHECK(y[2] == 1 && y[3] == -1 && isnan(y[4]) && isnan(y[5]));
    /* every length up to 3 vectors (tails), in place (out == in) */
    for (int64_t n = 1; n <= 48; n++) {
        double a[48], b[48];
        float af[48], bf[48];
        for (int64_t k = 0; k < n; k++) a[k] = d[k % nd] * 0.37 + (double)k / 7, af[k] = (float)a[k];
        for (int64_t k = 0; k < n; k++) b[k] = tanh(a[k]), bf[k] = tanhf(af[k]);
        nn_tanh_forward(DT_DOUBLE, a, a, n);
        nn_tanh_forward(DT_FLOAT, af, af, n);
        CHECK(memcmp(a, b, (size_t)n * sizeof a[0]) == 0);
        CHECK(memcmp(af, bf, (size_t)n * sizeof af[0]) == 0);
    }
#if defined(__FMA__) && defined(__AVX2__) && defined(__GLIBC__) && __GLIBC__ == 2 && \
    __GLIBC_MINOR__ == 36
    /* on the machine the kernels replay, the self-check must pick them */
    CHECK(nn_tanh_is_vectorised(DT_DOUBLE) == 1);
    CHECK(nn_tanh_is_vectorised(DT_FLOAT) == 1);
#endif
    CHECK(nn_tanh_is_vectorised(DT_INT) == 0);
}

/* Float: every 1021st bit pattern of all 2^32 (4.2M, ~8200 per exponent and
 * sign, NaNs and infinities included), then +-300 ulps around each branch
 * point and around each change of expm1f's k (|x| = (k - 1/2) ln2 / 2). */
static void test_tanh_float(void)
{
    enum { STRIDE = 1021 };
    int64_t n = (int64_t)((1ull << 32) / STRIDE) + 1, m = 0;
    float *x = malloc((size_t)n * sizeof *x);
    for (uint64_t b = 0; b < (1ull << 32); b += STRIDE) x[m++] = from_bits32((uint32_t)b);
    CHECK(tanh_diffs_f32(x, m) == 0);
    free(x);
    enum { W = 300 };
    float near[2 * (2 * W) * 80];
    m = 0;
    uint32_t pts[80];
    int np = 0;
    for (size_t i = 0; i < sizeof TH32 / sizeof TH32[0]; i++) pts[np++] = TH32[i];
    for (int k = 2; k <= 64; k++) {
        float c = (float)((k - 0.5) * 0.69314718055994531 / 2);
        memcpy(&pts[np++], &c, sizeof c);
    }
    for (int i = 0; i < np; i++)
        for (int d = -W; d < W; d++) {
            uint32_t b = pts[i] + (uint32_t)d;
            near[m++] = from_bits32(b);
            near[m++] = from_bits32(b | 0x80000000u);
        }
    CHECK(tanh_diffs_f32(near, m) == 0);
}

/* Double: 2M random patterns in each range where glibc takes another path
 * (|x| < 2^-55; expm1's k = 0, -1, -2..-3; k = 3..19, 20..56, 57..63;
 * >= 22), 2048 random mantissas for each of the 2048 exponents (both signs),
 * and +-300 ulps around the branch points and the changes of k. */
static void test_tanh_double(void)
{
    const uint64_t band[][2] = {
        {0, 0x3c80000000000000u},                     /* tiny, subnormals */
        {0x3c80000000000000u, 0x3fc62e4300000000u},  /* k = 0 */
        {0x3fc62e4300000000u, 0x3fe0a2b200000000u},  /* k = -1 */
        {0x3fe0a2b200000000u, 0x3ff0000000000000u},  /* k = -2, -3 */
        {0x3ff0000000000000u, 0x401b0861a6c0f69bu},  /* 1 <= |x| < 19.5 ln2 / 2: k < 20 */
        {0x401b0861a6c0f69bu, 0x403394d72518e725u},  /* k = 20 .. 56 */
        {0x403394d72518e725u, 0x4036000000000000u},  /* k > 56 */
        {0x4036000000000000u, 0x7ff0000000000000u},  /* saturated */
    };
    enum { PER = 2000000 };
    double *x = malloc(PER * sizeof *x);
    for (size_t b = 0; b < sizeof band / sizeof band[0]; b++) {
        uint64_t lo = band[b][0], span = band[b][1] - lo;
        for (int64_t k = 0; k < PER; k++)
            x[k] = from_bits((lo + rnd64() % span) | (rnd64() & 0x8000000000000000u));
        int64_t bad = tanh_diffs_f64(x, PER);
        if (bad) printf("  band %zu: %lld differences\n", b, (long long)bad);
        CHECK(bad == 0);
    }
    int64_t m = 0;
    double *e = malloc(2048 * 2048 * sizeof *e);
    for (uint64_t ex = 0; ex < 2048; ex++)
        for (int k = 0; k < 2048; k++)
            e[m++] = from_bits((ex << 52) | (rnd64() & 0x800fffffffffffffu));
    CHECK(tanh_diffs_f64(e, m) == 0);
    enum { W = 300 };
    m = 0;
    for (int i = 0; i < 5 + 63; i++) {
        uint64_t p;
        if (i < 5) {
            p = TH64[i];
        } else {
            double c = (i - 5 + 1.5) * 0.69314718055994531 / 2;   /* k = 2 .. 64 */
            memcpy(&p, &c, sizeof c);
        }
        for (int d = -W; d < W; d++) {
            e[m++] = from_bits(p + (uint64_t)(int64_t)d);
            e[m++] = from_bits((p + (uint64_t)(int64_t)d) | 0x8000000000000000u);
        }
    }
    CHECK(tanh_diffs_f64(e, m) == 0);
    free(e);
    free(x);
}

/* gin from the backward kernel vs sum_j g_j d(out_j)/d(in_k) by central
 * differences of the forward kernel, in double. */
typedef int (*Fwd)(const double *x, double *y, int64_t n);
typedef int (*Bwd)(const double *x, const double *g, double *gi, const double *y, int64_t n);

static int f_tanh(const double *x, double *y, int64_t n) { return nn_tanh_forward(DT_DOUBLE, x, y, n); }
static int b_tanh(const double *x, const double *g, double *gi, const double *y, int64_t n)
{ (void)x; return nn_tanh_backward(DT_DOUBLE, g, gi, y, n); }
static int f_sig(const double *x, double *y, int64_t n) { return nn_sigmoid_forward(DT_DOUBLE, x, y, n); }
static int b_sig(const double *x, const double *g, double *gi, const double *y, int64_t n)
{ (void)x; return nn_sigmoid_backward(DT_DOUBLE, g, gi, y, n); }
static int f_sq(const double *x, double *y, int64_t n) { return nn_square_forward(DT_DOUBLE, x, y, n); }
static int b_sq(const double *x, const double *g, double *gi, const double *y, int64_t n)
{ (void)y; return nn_square_backward(DT_DOUBLE, x, g, gi, n); }
static int f_sqrt(const double *x, double *y, int64_t n) { return nn_sqrt_forward(DT_DOUBLE, x, y, n); }
static int b_sqrt(const double *x, const double *g, double *gi, const double *y, int64_t n)
{ (void)x; return nn_sqrt_backward(DT_DOUBLE, g, gi, y, n); }
static int f_ht(const double *x, double *y, int64_t n) { return nn_hardtanh_forward(DT_DOUBLE, x, y, n, -0.5, 0.7); }
static int b_ht(const double *x, const double *g, double *gi, const double *y, int64_t n)
{ (void)y; return nn_hardtanh_backward(DT_DOUBLE, x, g, gi, n, -0.5, 0.7); }
static int f_th(const double *x, double *y, int64_t n) { return nn_threshold_forward(DT_DOUBLE, x, y, n, 0.1, 0.1); }
static int b_th(const double *x, const double *g, double *gi, const double *y, int64_t n)
{ (void)y; return nn_threshold_backward(DT_DOUBLE, x, g, gi, n, 0.1); }

/* softmax family over a 2x3x2x2 tensor (4-D rule: dim 1) */
static int f_sm(const double *x, double *y, int64_t n) { (void)n; return nn_softmax_forward(DT_DOUBLE, x, y, 2, 3, 4); }
static int b_sm(const double *x, const double *g, double *gi, const double *y, int64_t n)
{ (void)x; (void)n; return nn_softmax_backward(DT_DOUBLE, g, gi, y, 2, 3, 4); }
static int f_lsm(const double *x, double *y, int64_t n) { (void)n; return nn_logsoftmax_forward(DT_DOUBLE, x, y, 2, 3, 4); }
static int b_lsm(const double *x, const double *g, double *gi, const double *y, int64_t n)
{ (void)x; (void)n; return nn_logsoftmax_backward(DT_DOUBLE, g, gi, y, 2, 3, 4); }

static double fd_error(Fwd f, Bwd b, int positive)
{
    enum { N = 24 };
    double x[N], g[N], y[N], gi[N], yp[N], ym[N], err = 0;
    for (int k = 0; k < N; k++) {
        x[k] = 2 * tnn_uniform();
        if (positive) x[k] = fabs(x[k]) + 0.1;
        /* keep away from the kinks of threshold/hardtanh */
        if (fabs(x[k] - 0.1) < 0.01 || fabs(x[k] + 0.5) < 0.01 || fabs(x[k] - 0.7) < 0.01)
            x[k] += 0.05;
        g[k] = tnn_uniform();
    }
    f(x, y, N);
    b(x, g, gi, y, N);
    for (int k = 0; k < N; k++) {
        double keep = x[k], num = 0;
        x[k] = keep + 1e-6;
        f(x, yp, N);
        x[k] = keep - 1e-6;
        f(x, ym, N);
        x[k] = keep;
        for (int j = 0; j < N; j++) num += g[j] * (yp[j] - ym[j]) / 2e-6;
        if (fabs(num - gi[k]) > err) err = fabs(num - gi[k]);
    }
    return err;
}

/* Large tensors are cut in two for the pool: every length around the cut
 * and the split threshold, 1 and 2 threads, in place too, stays libm's. */
static void test_tanh_split(void)
{
    static const int64_t M = 1024 * 1024;   /* TANH_SPLIT_MIN */
    const int64_t lens[] = {M - 1, M, M + 1, M + 63, 2 * M + 3};
    for (int threads = 1; threads <= 2; threads++) {
        parallel_set_num_threads(threads);
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            int64_t n = lens[i];
            double *x = malloc((size_t)n * sizeof *x);
            float *xf = malloc((size_t)n * sizeof *xf);
            for (int64_t k = 0; k < n; k++) {
                x[k] = (double)((k * 7919) % 20011) / 1000.0 - 10.0 + 1e-7 * (double)k;
                xf[k] = (float)x[k];
            }
            CHECK(tanh_diffs_f64(x, n) == 0);
            CHECK(tanh_diffs_f32(xf, n) == 0);
            int64_t bad = 0;
            double *y = malloc((size_t)n * sizeof *y);
            memcpy(y, x, (size_t)n * sizeof *y);
            nn_tanh_forward(DT_DOUBLE, y, y, n);   /* in place */
            for (int64_t k = 0; k < n; k++) {
                double want = tanh(x[k]);
                bad += memcmp(&want, &y[k], sizeof want) != 0;
            }
            CHECK(bad == 0);
            free(x); free(xf); free(y);
        }
    }
    parallel_set_num_threads(1);
}

static void test_gradients(void)
{
    CHECK(fd_error(f_tanh, b_tanh, 0) < 1e-8);
    CHECK(fd_error(f_sig, b_sig, 0) < 1e-8);
    CHECK(fd_error(f_sq, b_sq, 0) < 1e-8);
    CHECK(fd_error(f_sqrt, b_sqrt, 1) < 1e-7);
    CHECK(fd_error(f_ht, b_ht, 0) < 1e-8);
    CHECK(fd_error(f_th, b_th, 0) < 1e-8);
    CHECK(fd_error(f_sm, b_sm, 0) < 1e-8);
    CHECK(fd_error(f_lsm, b_lsm, 0) < 1e-8);
}

static void test_softmax_geometry(void)
{
    int64_t nf, d, st;
    int64_t s4[4] = {2, 3, 4, 5};
    CHECK(nn_softmax_geometry(4, s4, &nf, &d, &st) == 0 && nf == 2 && d == 3 && st == 20);
    CHECK(nn_softmax_geometry(3, s4, &nf, &d, &st) == 0 && nf == 1 && d == 2 && st == 12);
    CHECK(nn_softmax_geometry(2, s4, &nf, &d, &st) == 0 && nf == 2 && d == 3 && st == 1);
    CHECK(nn_softmax_geometry(1, s4, &nf, &d, &st) == 0 && nf == 1 && d == 2 && st == 1);
    CHECK(nn_softmax_geometry(5, s4, &nf, &d, &st) == -1);
    CHECK(strcmp(th_lasterror(), "1D, 2D, 3D or 4D tensor expected") == 0);
    /* each (frame, position) vector sums to 1; float matches double */
    for (int t = 0; t < 2; t++) {
        DType dt = types[t];
        void *x = tnn_rand(dt, 120), *y = tnn_zeros(dt, 120);
        CHECK(nn_softmax_forward(dt, x, y, 2, 3, 20) == 0);
        double worst = 0;
        for (int64_t f = 0; f < 2; f++)
            for (int64_t s = 0; s < 20; s++) {
                double sum = 0;
                for (int64_t k = 0; k < 3; k++) sum += tnn_get(dt, y, f * 60 + k * 20 + s);
                if (fabs(sum - 1) > worst) worst = fabs(sum - 1);
            }
        CHECK(worst < (dt == DT_FLOAT ? 1e-6 : 1e-15));
        free(x); free(y);
    }
}

/* Golden cases: input sinT, gradOutput cosT, every value printed. */
static void golden_act(const char *title, int which, int64_t nf, int64_t dim, int64_t st)
{
    for (int t = 0; t < 2; t++) {
        DType dt = types[t];
        double tol = dt == DT_FLOAT ? 1e-6 : 1e-14;
        int64_t n = nf * dim * st;
        void *x = tnn_sinT(dt, n), *g = tnn_cosT(dt, n), *y = tnn_zeros(dt, n), *gi = tnn_zeros(dt, n);
        switch (which) {
        case 0: nn_tanh_forward(dt, x, y, n); nn_tanh_backward(dt, g, gi, y, n); break;
        case 1: nn_sigmoid_forward(dt, x, y, n); nn_sigmoid_backward(dt, g, gi, y, n); break;
        case 2: nn_softmax_forward(dt, x, y, nf, dim, st);
                nn_softmax_backward(dt, g, gi, y, nf, dim, st); break;
        case 3: nn_logsoftmax_forward(dt, x, y, nf, dim, st);
                nn_logsoftmax_backward(dt, g, gi, y, nf, dim, st); break;
        }
        CHECK(tnn_golden_match(title, "output", dt, y, (int)n, tol));
        CHECK(tnn_golden_match(title, "gradInput", dt, gi, (int)n, tol));
        free(x); free(g); free(y); free(gi);
    }
}

static void test_golden(void)
{
    golden_act("Tanh on 3x4", 0, 1, 12, 1);
    golden_act("Sigmoid on 3x4", 1, 1, 12, 1);
    golden_act("SoftMax 1-D (7)", 2, 1, 7, 1);
    golden_act("SoftMax 2-D (3x4, per row)", 2, 3, 4, 1);
    golden_act("SoftMax 3-D (3x2x2, over dim 1)", 2, 1, 3, 4);
    golden_act("LogSoftMax 1-D (7)", 3, 1, 7, 1);
    golden_act("LogSoftMax 2-D (3x4, per row)", 3, 3, 4, 1);
}

static const CheckTest tests[] = {
    {"tanh_split", test_tanh_split},
    {"fast_vs_naive", test_fast_vs_naive},
    {"values", test_values},
    {"tanh_specials", test_tanh_specials},
    {"tanh_float", test_tanh_float},
    {"tanh_double", test_tanh_double},
    {"gradients", test_gradients},
    {"softmax_geometry", test_softmax_geometry},
    {"golden", test_golden},
    {NULL, NULL},
};

CHECK_MAIN(tests)
