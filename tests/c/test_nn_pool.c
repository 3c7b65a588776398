/* test_nn_pool.c: pooling kernels (nn_pool.h): output sizes (floor, ceil,
 * padding), fast vs naive on odd shapes, backward routing, Torch's golden
 * numbers and the error texts. */
#include "nn_pool.h"
#include "error.h"
#include "test_nn_util.h"

static const DType types[2] = {DT_FLOAT, DT_DOUBLE};

static void test_pool_sizes(void)
{
    NNPool2d p;
    CHECK(nn_pool2d_init(&p, 1, 2, 6, 7, 2, 2, 2, 2, 0, 0, 1, 1, 0, 1) == 0);
    CHECK(p.oh == 3 && p.ow == 3);
    CHECK(nn_pool2d_init(&p, 1, 2, 5, 7, 2, 2, 2, 2, 0, 0, 1, 1, 1, 1) == 0);   /* ceil */
    CHECK(p.oh == 3 && p.ow == 4);
    CHECK(nn_pool2d_init(&p, 1, 2, 6, 7, 3, 3, 2, 2, 1, 1, 1, 1, 0, 1) == 0);
    CHECK(p.oh == 3 && p.ow == 4);
    /* ceil + padding: the last window would start in the right padding only */
    CHECK(nn_pool2d_init(&p, 1, 1, 4, 4, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1) == 0);
    CHECK(p.oh == 3 && p.ow == 3);
    CHECK(nn_pool2d_init(&p, 1, 1, 5, 5, 3, 3, 1, 1, 0, 0, 2, 2, 0, 1) == 0);   /* dilation */
    CHECK(p.oh == 1 && p.ow == 1);
}

static void test_pool_errors(void)
{
    NNPool2d p;
    CHECK(nn_pool2d_init(&p, 1, 1, 5, 5, 2, 2, 2, 2, 2, 2, 1, 1, 0, 1) == -1);
    CHECK(strcmp(th_lasterror(), "pad should be smaller than half of kernel size, but got "
                                 "padW = 2, padH = 2, kW = 2, kH = 2") == 0);
    CHECK(nn_pool2d_init(&p, 1, 1, 2, 2, 3, 3, 1, 1, 0, 0, 1, 1, 0, 1) == -1);
    CHECK(strcmp(th_lasterror(), "Given input size: (1x2x2). Calculated output size: "
                                 "(1x0x0). Output size is too small") == 0);
    CHECK(nn_pool2d_init(&p, 1, 1, 5, 5, 2, 2, 0, 2, 0, 0, 1, 1, 0, 1) == -1);
    CHECK(strstr(th_lasterror(), "stride should be greater than zero") != NULL);
    /* a corrupted index tensor is an error, not a stray write */
    CHECK(nn_pool2d_init(&p, 1, 1, 4, 4, 2, 2, 2, 2, 0, 0, 1, 1, 0, 1) == 0);
    double g[4] = {1, 2, 3, 4}, gi[16];
    int64_t ind[4] = {1, 2, 17, 3};
    CHECK(nn_maxpool2d_backward(DT_DOUBLE, g, gi, ind, &p) == -1);
    CHECK(strstr(th_lasterror(), "out of range") != NULL);
}

typedef struct Cfg { int64_t n, c, h, w, kw, kh, dw, dh, padw, padh, dilw, dilh; int ceil; } Cfg;

static const Cfg cfgs[] = {
    {1, 2, 6, 7, 2, 2, 2, 2, 0, 0, 1, 1, 0},
    {2, 3, 9, 11, 3, 3, 2, 2, 1, 1, 1, 1, 0},
    {3, 1, 7, 5, 3, 2, 2, 2, 1, 1, 1, 1, 1},
    {1, 2, 5, 7, 2, 2, 2, 2, 0, 0, 1, 1, 1},
    {2, 2, 8, 9, 3, 3, 1, 1, 1, 0, 2, 1, 0},   /* dilated (max pooling only) */
    {1, 3, 13, 10, 5, 4, 3, 2, 2, 2, 1, 1, 1},
    {1, 1, 4, 4, 2, 2, 3, 3, 0, 0, 1, 1, 1},   /* stride > kernel, ceil */
};

static void test_maxpool_fast_vs_naive(void)
{
    for (size_t ci = 0; ci < sizeof cfgs / sizeof cfgs[0]; ci++) {
        const Cfg *g = &cfgs[ci];
        for (int t = 0; t < 2; t++) {
            DType dt = types[t];
            NNPool2d p;
            CHECK(nn_pool2d_init(&p, g->n, g->c, g->h, g->w, g->kw, g->kh, g->dw, g->dh,
                                 g->padw, g->padh, g->dilw, g->dilh, g->ceil, 1) == 0);
            int64_t nx = p.batch * p.planes * p.ih * p.iw, ny = p.batch * p.planes * p.oh * p.ow;
            void *x = tnn_rand(dt, nx), *y1 = tnn_rand(dt, ny), *y2 = tnn_rand(dt, ny);
            int64_t *i1 = calloc((size_t)ny, 8), *i2 = calloc((size_t)ny, 8);
            CHECK(nn_maxpool2d_forward(dt, x, y1, i1, &p) == 0);
            CHECK(nn_maxpool2d_forward_naive(dt, x, y2, i2, &p) == 0);
            CHECK(tnn_maxrel(dt, y1, y2, ny) == 0);
            CHECK(memcmp(i1, i2, (size_t)ny * 8) == 0);
            /* the index points at an input equal to the output */
            int bad = 0;
            for (int64_t k = 0; k < ny; k++) {
                int64_t pl = k / (p.oh * p.ow);
                if (i1[k] == 0) continue;
                if (tnn_get(dt, x, pl * p.ih * p.iw + i1[k] - 1) != tnn_get(dt, y1, k)) bad++;
            }
            CHECK(bad == 0);
            /* backward: gin = scatter-add of gout through the indices */
            void *go = tnn_rand(dt, ny), *gi = tnn_rand(dt, nx), *want = tnn_zeros(dt, nx);
            for (int64_t k = 0; k < ny; k++) {
                if (i2[k] == 0) continue;
                int64_t at = (k / (p.oh * p.ow)) * p.ih * p.iw + i2[k] - 1;
                tnn_set(dt, want, at, tnn_get(dt, want, at) + tnn_get(dt, go, k));
            }
            CHECK(nn_maxpool2d_backward(dt, go, gi, i1, &p) == 0);
            CHECK(tnn_maxrel(dt, gi, want, nx) <= tnn_tol(dt));
            free(x); free(y1); free(y2); free(i1); free(i2); free(go); free(gi); free(want);
        }
    }
}

static void test_maxpool_ties_and_nan(void)
{
    /* first maximum in row-major window order wins; a NaN always wins */
    NNPool2d p;
    CHECK(nn_pool2d_init(&p, 1, 1, 2, 4, 2, 2, 2, 2, 0, 0, 1, 1, 0, 1) == 0);
    double x[8] = {1, 5, 2, NAN, 5, 5, 3, 1}, y[2];
    int64_t ind[2];
    CHECK(nn_maxpool2d_forward(DT_DOUBLE, x, y, ind, &p) == 0);
    CHECK(y[0] == 5 && ind[0] == 2);
    CHECK(isnan(y[1]) && ind[1] == 4);
}

static void test_avgpool_fast_vs_naive(void)
{
    for (size_t ci = 0; ci < sizeof cfgs / sizeof cfgs[0]; ci++) {
        const Cfg *g = &cfgs[ci];
        if (g->dilw != 1 || g->dilh != 1) continue;
        for (int inc = 0; inc < 2; inc++)
            for (int t = 0; t < 2; t++) {
                DType dt = types[t];
                NNPool2d p;
                CHECK(nn_pool2d_init(&p, g->n, g->c, g->h, g->w, g->kw, g->kh, g->dw, g->dh,
                                     g->padw, g->padh, 1, 1, g->ceil, inc) == 0);
                int64_t nx = p.batch * p.planes * p.ih * p.iw;
                int64_t ny = p.batch * p.planes * p.oh * p.ow;
                void *x = tnn_rand(dt, nx), *y1 = tnn_rand(dt, ny), *y2 = tnn_rand(dt, ny);
                CHECK(nn_avgpool2d_forward(dt, x, y1, &p) == 0);
                CHECK(nn_avgpool2d_forward_naive(dt, x, y2, &p) == 0);
                CHECK(tnn_maxrel(dt, y1, y2, ny) <= tnn_tol(dt));
                void *go = tnn_rand(dt, ny), *g1 = tnn_rand(dt, nx), *g2 = tnn_rand(dt, nx);
                CHECK(nn_avgpool2d_backward(dt, go, g1, &p) == 0);
                CHECK(nn_avgpool2d_backward_naive(dt, go, g2, &p) == 0);
                CHECK(tnn_maxrel(dt, g1, g2, nx) <= tnn_tol(dt));
                free(x); free(y1); free(y2); free(go); free(g1); free(g2);
            }
    }
}

/* Golden: input sinT(2,H,W), gradOutput cosT of the output's size. */
static void golden_pool(const char *title, int max, int64_t h, int64_t w, int64_t k,
                        int64_t d, int64_t pad, int ceil, int inc, int gin_all)
{
    for (int t = 0; t < 2; t++) {
        DType dt = types[t];
        double tol = dt == DT_FLOAT ? 1e-6 : 1e-14;
        NNPool2d p;
        CHECK(nn_pool2d_init(&p, 1, 2, h, w, k, k, d, d, pad, pad, 1, 1, ceil, inc) == 0);
        int64_t nx = 2 * h * w, ny = 2 * p.oh * p.ow;
        void *x = tnn_sinT(dt, nx), *go = tnn_cosT(dt, ny);
        void *y = tnn_zeros(dt, ny), *gi = tnn_zeros(dt, nx);
        int64_t *ind = calloc((size_t)ny, 8);
        if (max) {
            CHECK(nn_maxpool2d_forward(dt, x, y, ind, &p) == 0);
            CHECK(nn_maxpool2d_backward(dt, go, gi, ind, &p) == 0);
            double di[64];
            for (int64_t q = 0; q < ny; q++) di[q] = (double)ind[q];
            CHECK(tnn_golden_match(title, "indices", DT_DOUBLE, di, (int)ny, 0));
        } else {
            CHECK(nn_avgpool2d_forward(dt, x, y, &p) == 0);
            CHECK(nn_avgpool2d_backward(dt, go, gi, &p) == 0);
        }
        CHECK(tnn_golden_match(title, "output", dt, y, (int)ny, tol));
        CHECK(tnn_golden_match(title, "gradInput", dt, gi, gin_all ? (int)nx : 16, tol));
        free(x); free(go); free(y); free(gi); free(ind);
    }
}

static void test_pool_golden(void)
{
    golden_pool("SpatialMaxPooling(2,2) on 2x6x7", 1, 6, 7, 2, 2, 0, 0, 1, 0);
    golden_pool("SpatialMaxPooling(3,3,2,2,1,1) on 2x6x7", 1, 6, 7, 3, 2, 1, 0, 1, 0);
    golden_pool("SpatialMaxPooling(2,2,2,2):ceil() on 2x5x7", 1, 5, 7, 2, 2, 0, 1, 1, 0);
    golden_pool("SpatialAveragePooling(2,2) (default stride 1) on 2x4x5", 0, 4, 5, 2, 1, 0, 0,
                1, 1);
    golden_pool("SpatialAveragePooling(2,2,2,2) on 2x6x7", 0, 6, 7, 2, 2, 0, 0, 1, 0);
    golden_pool("SpatialAveragePooling(3,3,2,2,1,1) count_include_pad=true", 0, 6, 7, 3, 2, 1,
                0, 1, 0);
    golden_pool("SpatialAveragePooling(3,3,2,2,1,1):setCountExcludePad()", 0, 6, 7, 3, 2, 1,
                0, 0, 0);
}

static const CheckTest tests[] = {
    {"pool_sizes", test_pool_sizes},
    {"pool_errors", test_pool_errors},
    {"maxpool_fast_vs_naive", test_maxpool_fast_vs_naive},
    {"maxpool_ties_and_nan", test_maxpool_ties_and_nan},
    {"avgpool_fast_vs_naive", test_avgpool_fast_vs_naive},
    {"pool_golden", test_pool_golden},
    {NULL, NULL},
};

CHECK_MAIN(tests)
