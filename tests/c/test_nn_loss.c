/* test_nn_loss.c: criterion kernels (nn_loss.h): Torch's golden losses and
 * gradients, gradients against central differences of the losses, weights,
 * ignore index, and the error texts. */
#include "nn_loss.h"
#include "error.h"
#include "test_nn_util.h"

static const DType types[2] = {DT_FLOAT, DT_DOUBLE};

static void golden_nll(const char *title, int64_t nf, int64_t nc, const int64_t *tg,
                       const double *wv, int batched, int avg)
{
    for (int t = 0; t < 2; t++) {
        DType dt = types[t];
        double tol = dt == DT_FLOAT ? 1e-6 : 1e-14;
        void *x = tnn_sinT(dt, nf * nc), *gi = tnn_rand(dt, nf * nc), *w = NULL;
        if (wv) {
            w = tnn_zeros(dt, nc);
            for (int64_t k = 0; k < nc; k++) tnn_set(dt, w, k, wv[k]);
        }
        double loss, tw;
        CHECK(nn_classnll_forward(dt, x, tg, w, nf, nc, avg, -100, &loss, &tw) == 0);
        CHECK(nn_classnll_backward(dt, tg, gi, w, nf, nc, batched, avg, -100, tw) == 0);
        CHECK(tnn_golden_match(title, "loss", DT_DOUBLE, &loss, 1, tol));
        CHECK(tnn_golden_match(title, "gradInput", dt, gi, (int)(nf * nc), tol));
        free(x); free(gi); free(w);
    }
}

static void test_classnll_golden(void)
{
    const int64_t t1[1] = {3}, t4[4] = {2, 5, 1, 3}, t5[1] = {5};
    const double w[5] = {1, 2, 0.5, 1, 3};
    golden_nll("ClassNLLCriterion 1-D input, target 3", 1, 5, t1, NULL, 0, 1);
    golden_nll("ClassNLLCriterion 2-D input (4x5)", 4, 5, t4, NULL, 1, 1);
    golden_nll("ClassNLLCriterion(weights={1,2,0.5,1,3}) 2-D", 4, 5, t4, w, 1, 1);
    golden_nll("ClassNLLCriterion(weights={1,2,0.5,1,3}) sizeAverage=false", 1, 5, t5, w, 0, 0);
}

static void test_classnll_ignore_and_errors(void)
{
    double x[6] = {-1, -2, -3, -4, -5, -6}, gi[6], loss, tw;
    int64_t tg[2] = {2, 7};
    CHECK(nn_classnll_forward(DT_DOUBLE, x, tg, NULL, 2, 3, 1, -100, &loss, &tw) == -1);
    CHECK(strstr(th_lasterror(), "target out of range") != NULL);
    /* 7 as the ignore index: skipped in the loss, the weight and the gradient */
    CHECK(nn_classnll_forward(DT_DOUBLE, x, tg, NULL, 2, 3, 1, 7, &loss, &tw) == 0);
    CHECK(loss == 2 && tw == 1);
    CHECK(nn_classnll_backward(DT_DOUBLE, tg, gi, NULL, 2, 3, 1, 1, 7, tw) == 0);
    CHECK(gi[1] == -1 && gi[0] == 0 && gi[3] == 0 && gi[4] == 0 && gi[5] == 0);
    /* everything ignored: loss 0, total weight 0, gradient all zero */
    int64_t all[2] = {7, 7};
    CHECK(nn_classnll_forward(DT_DOUBLE, x, all, NULL, 2, 3, 1, 7, &loss, &tw) == 0);
    CHECK(loss == 0 && tw == 0);
    CHECK(nn_classnll_backward(DT_DOUBLE, all, gi, NULL, 2, 3, 1, 1, 7, tw) == 0);
    CHECK(gi[0] == 0 && gi[1] == 0);
    int64_t zero[1] = {0};
    CHECK(nn_classnll_backward(DT_DOUBLE, zero, gi, NULL, 1, 3, 0, 1, -100, 1) == -1);
}

static void golden_crit(const char *title, int which, int64_t nf, int64_t dim,
                        const int64_t *tg, int avg, int p, const double *wv, double margin)
{
    for (int t = 0; t < 2; t++) {
        DType dt = types[t];
        double tol = dt == DT_FLOAT ? 1e-6 : 1e-14;
        int64_t n = nf * dim;
        void *x = tnn_sinT(dt, n), *tt = tnn_cosT(dt, n), *gi = tnn_rand(dt, n), *w = NULL;
        double loss;
        if (which == 0) {
            CHECK(nn_mse_forward(dt, x, tt, n, avg, &loss) == 0);
            CHECK(nn_mse_backward(dt, x, tt, gi, n, avg) == 0);
        } else {
            for (int64_t k = 0; k < n; k++) tnn_set(dt, x, k, tnn_get(dt, x, k) * 0.3);
            if (wv) {
                w = tnn_zeros(dt, dim);
                for (int64_t k = 0; k < dim; k++) tnn_set(dt, w, k, wv[k]);
            }
            CHECK(nn_multimargin_forward(dt, x, tg, w, nf, dim, p, margin, avg, &loss) == 0);
            CHECK(nn_multimargin_backward(dt, x, tg, w, gi, nf, dim, p, margin, avg) == 0);
        }
        CHECK(tnn_golden_match(title, "loss", DT_DOUBLE, &loss, 1, tol));
        CHECK(tnn_golden_match(title, "gradInput", dt, gi, (int)n, tol));
        free(x); free(tt); free(gi); free(w);
    }
}

static void test_crit_golden(void)
{
    const int64_t t1[1] = {2}, t4[4] = {2, 5, 1, 3};
    const double w[5] = {1, 2, 0.5, 1, 3};
    golden_crit("MSECriterion 3x4", 0, 3, 4, NULL, 1, 0, NULL, 0);
    golden_crit("MSECriterion sizeAverage=false", 0, 3, 4, NULL, 0, 0, NULL, 0);
    golden_crit("MultiMarginCriterion (p=1) 1-D", 1, 1, 5, t1, 1, 1, NULL, 1);
    golden_crit("MultiMarginCriterion (p=1) 2-D", 1, 4, 5, t4, 1, 1, NULL, 1);
    golden_crit("MultiMarginCriterion(2) (p=2)", 1, 4, 5, t4, 1, 2, NULL, 1);
    golden_crit("MultiMarginCriterion(1, weights", 1, 4, 5, t4, 1, 1, w, 0.5);
}

/* Gradient kernels vs central differences of the loss kernels (double). */
static void test_loss_gradients(void)
{
    enum { N = 12 };
    double x[N], tt[N], w[N], gi[N], lp, lm, err;
    for (int k = 0; k < N; k++) {
        x[k] = 0.1 + 0.8 * fabs(tnn_uniform());   /* inside (0,1) for BCE */
        tt[k] = fabs(tnn_uniform());
        w[k] = 0.5 + fabs(tnn_uniform());
    }
    for (int which = 0; which < 4; which++)
        for (int avg = 0; avg < 2; avg++) {
            const double *wp = which == 3 ? w : NULL;
            if (which == 0) nn_mse_backward(DT_DOUBLE, x, tt, gi, N, avg);
            if (which == 1) nn_abs_backward(DT_DOUBLE, x, tt, gi, N, avg);
            if (which >= 2) nn_bce_backward(DT_DOUBLE, x, tt, wp, gi, N, avg);
            err = 0;
            for (int k = 0; k < N; k++) {
                double keep = x[k];
                for (int s = 0; s < 2; s++) {
                    x[k] = keep + (s ? -1e-6 : 1e-6);
                    double *l = s ? &lm : &lp;
                    if (which == 0) nn_mse_forward(DT_DOUBLE, x, tt, N, avg, l);
                    if (which == 1) nn_abs_forward(DT_DOUBLE, x, tt, N, avg, l);
                    if (which >= 2) nn_bce_forward(DT_DOUBLE, x, tt, wp, N, avg, l);
                }
                x[k] = keep;
                double e = fabs((lp - lm) / 2e-6 - gi[k]);
                if (e > err) err = e;
            }
            CHECK(err < 1e-6);
        }
    /* multimargin, p = 1 and 2, with weights */
    int64_t tg[3] = {1, 4, 2};
    for (int p = 1; p <= 2; p++) {
        nn_multimargin_backward(DT_DOUBLE, x, tg, w, gi, 3, 4, p, 0.7, 1);
        err = 0;
        for (int k = 0; k < N; k++) {
            double keep = x[k];
            x[k] = keep + 1e-6;
            nn_multimargin_forward(DT_DOUBLE, x, tg, w, 3, 4, p, 0.7, 1, &lp);
            x[k] = keep - 1e-6;
            nn_multimargin_forward(DT_DOUBLE, x, tg, w, 3, 4, p, 0.7, 1, &lm);
            x[k] = keep;
            double e = fabs((lp - lm) / 2e-6 - gi[k]);
            if (e > err) err = e;
        }
        CHECK(err < 1e-6);
    }
}

static void test_crit_errors(void)
{
    double x[4] = {0, 1, 2, 3}, gi[4], loss;
    int64_t tg[1] = {5};
    CHECK(nn_multimargin_forward(DT_DOUBLE, x, tg, NULL, 1, 4, 3, 1, 1, &loss) == -1);
    CHECK(strcmp(th_lasterror(), "only p=1 and p=2 supported") == 0);
    CHECK(nn_multimargin_forward(DT_DOUBLE, x, tg, NULL, 1, 4, 1, 1, 1, &loss) == -1);
    CHECK(strstr(th_lasterror(), "target out of range") != NULL);
    CHECK(nn_multimargin_backward(DT_DOUBLE, x, tg, NULL, gi, 1, 4, 1, 1, 1) == -1);
    CHECK(nn_mse_forward(DT_LONG, x, x, 4, 1, &loss) == -1);
}

static const CheckTest tests[] = {
    {"classnll_golden", test_classnll_golden},
    {"classnll_ignore_and_errors", test_classnll_ignore_and_errors},
    {"crit_golden", test_crit_golden},
    {"loss_gradients", test_loss_gradients},
    {"crit_errors", test_crit_errors},
    {NULL, NULL},
};

CHECK_MAIN(tests)
