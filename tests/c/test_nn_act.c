/* test_nn_act.c: transfer functions and (log-)softmax (nn_act.h): fast vs
 * naive, backward kernels against central differences of the forward kernels
 * (double), in-place use, softmax dimension rules and Torch's golden numbers. */
#include "nn_act.h"
#include "error.h"
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
            CHECK(tnn_maxrel(dt, a, b, n) <= tnn_tol(dt));
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
    /* the vectorised tanh at its edges: signed zeros, infinities, NaN,
     * subnormals, the saturation cap, and lengths that leave a tail */
    double e[9] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 1e-310, -25, 19.5, 1e-9}, te[9];
    CHECK(nn_tanh_forward(DT_DOUBLE, e, te, 9) == 0);
    CHECK(te[0] == 0 && !signbit(te[0]) && te[1] == 0 && signbit(te[1]));
    CHECK(te[2] == 1 && te[3] == -1 && isnan(te[4]));
    CHECK(te[5] == 1e-310 && te[6] == -1 && te[7] == tanh(19.5) && te[8] == 1e-9);
    float ef[9], tf[9];
    for (int k = 0; k < 9; k++) ef[k] = (float)e[k];
    CHECK(nn_tanh_forward(DT_FLOAT, ef, tf, 9) == 0);
    CHECK(tf[2] == 1 && tf[3] == -1 && isnan(tf[4]) && signbit(tf[1]) && tf[8] == 1e-9f);
    /* double within a few ulp of libm over a sweep through every branch of
     * the range reduction; float correctly rounded from the double result */
    enum { M = 4001 };
    static double sx[M], sy[M];
    static float fx[M], fy[M];
    for (int k = 0; k < M; k++) sx[k] = (k - 2000) * 0.0123, fx[k] = (float)sx[k];
    nn_tanh_forward(DT_DOUBLE, sx, sy, M);
    nn_tanh_forward(DT_FLOAT, fx, fy, M);
    int bad = 0, fbad = 0;
    for (int k = 0; k < M; k++) {
        if (fabs(sy[k] - tanh(sx[k])) > 4 * 2.3e-16 * fabs(tanh(sx[k]))) bad++;
        if (fy[k] != (float)tanh((double)fx[k])) fbad++;
    }
    CHECK(bad == 0);
    CHECK(fbad == 0);
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
    {"fast_vs_naive", test_fast_vs_naive},
    {"values", test_values},
    {"gradients", test_gradients},
    {"softmax_geometry", test_softmax_geometry},
    {"golden", test_golden},
    {NULL, NULL},
};

CHECK_MAIN(tests)
