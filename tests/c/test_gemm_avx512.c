/* test_gemm_avx512.c: Ember's AVX-512 gemm (gemm_avx512.c) against a naive
 * triple loop summing in double.
 *
 * The kernel is called directly, not through blas_gemm, so it is tested
 * whatever shapes blas.c sends to it.  On a CPU without AVX-512F the tests
 * print a note and check nothing.
 *
 * Errors are measured against the largest |value| of the expected C: Float
 * within 1e-5 of it, Double within 1e-12.  Shapes: the tutorial ConvNet's
 * products (whole and as the blocks blas.c cuts them into), every size from
 * 1 to 70 in some dimension (primes, non-multiples of the 8-row tiles and
 * 16- or 8-lane vectors), k and n past one cache block (KC = 256, NC = 480
 * or 240), all four transposes, leading dims wider than the matrix, alpha in
 * {1, 0.5, -2} and beta in {0, 1, 0.25}.  C is surrounded by sentinels,
 * which must survive, and with beta = 0 it starts as NaN, which must not.
 * The same call twice, and a call cut into blocks of rows or columns, give
 * the same bits (memcmp). */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "gemm_avx512.h"

#include "test_rand.h"

#define SENTINEL 12345.0

/* ---- one case ------------------------------------------------------------ */

typedef struct Case {
    char ta, tb;
    int64_t m, n, k;
    int64_t pad;            /* extra elements per row of A, B and C */
    double alpha, beta;
} Case;

/* op(X)'s element (i, j) of a row-major matrix with leading dim ld */
static double at(const void *x, int dbl, char t, int64_t ld, int64_t i, int64_t j)
{
    int64_t o = t == 'n' ? i * ld + j : j * ld + i;
    return dbl ? ((const double *)x)[o] : ((const float *)x)[o];
}

static void *alloc_fill(int dbl, int64_t n, double fill, int random)
{
    void *p = malloc((size_t)(n > 0 ? n : 1) * (dbl ? 8 : 4));
    for (int64_t i = 0; i < n; i++) {
        double v = random ? 2 * urand() - 1 : fill;
        if (dbl) ((double *)p)[i] = v;
        else ((float *)p)[i] = (float)v;
    }
    return p;
}

static void call(int dbl, const Case *cs, const void *a, int64_t lda, const void *b,
                 int64_t ldb, void *c, int64_t ldc)
{
    int rc;
    if (dbl)
        rc = gemm_avx512_f64(cs->ta, cs->tb, cs->m, cs->n, cs->k, cs->alpha, a, lda, b, ldb,
                             cs->beta, c, ldc);
    else
        rc = gemm_avx512_f32(cs->ta, cs->tb, cs->m, cs->n, cs->k, (float)cs->alpha, a, lda,
                             b, ldb, (float)cs->beta, c, ldc);
    CHECK(rc == 0);
}

/* Runs one case and returns 1 when every element is within tolerance and
 * the sentinels outside C survive; prints the first bad element. */
static int run_case(int dbl, const Case *cs)
{
    int64_t ar = cs->ta == 'n' ? cs->m : cs->k, ac = cs->ta == 'n' ? cs->k : cs->m;
    int64_t br = cs->tb == 'n' ? cs->k : cs->n, bc = cs->tb == 'n' ? cs->n : cs->k;
    int64_t lda = ac + cs->pad, ldb = bc + cs->pad, ldc = cs->n + cs->pad;
    void *a = alloc_fill(dbl, ar * lda, 0, 1), *b = alloc_fill(dbl, br * ldb, 0, 1);
    /* C: m rows of ldc plus one sentinel row below */
    int64_t nc = (cs->m + 1) * ldc;
    void *c = alloc_fill(dbl, nc, SENTINEL, 0);
    double *c0 = malloc(sizeof(double) * (size_t)(cs->m * cs->n));
    for (int64_t i = 0; i < cs->m; i++)
        for (int64_t j = 0; j < cs->n; j++) {
            double v = cs->beta == 0 ? NAN : 2 * urand() - 1;
            if (dbl) ((double *)c)[i * ldc + j] = v;
            else ((float *)c)[i * ldc + j] = (float)v;
            /* the value as stored, so float rounding is part of the input */
            c0[i * cs->n + j] = dbl ? ((double *)c)[i * ldc + j] : ((float *)c)[i * ldc + j];
        }
    /* expected C; with float the scalars are the floats the kernel sees */
    double alpha = dbl ? cs->alpha : (float)cs->alpha, beta = dbl ? cs->beta : (float)cs->beta;
    double *want = malloc(sizeof(double) * (size_t)(cs->m * cs->n));
    double big = 0;
    for (int64_t i = 0; i < cs->m; i++)
        for (int64_t j = 0; j < cs->n; j++) {
            double s = 0;
            for (int64_t l = 0; l < cs->k; l++)
                s += at(a, dbl, cs->ta, lda, i, l) * at(b, dbl, cs->tb, ldb, l, j);
            double w = alpha * s + (beta == 0 ? 0 : beta * c0[i * cs->n + j]);
            want[i * cs->n + j] = w;
            if (fabs(w) > big) big = fabs(w);
        }
    call(dbl, cs, a, lda, b, ldb, c, ldc);
    double tol = (dbl ? 1e-12 : 1e-5) * (big > 0 ? big : 1);
    int ok = 1;
    for (int64_t i = 0; i <= cs->m && ok; i++)
        for (int64_t j = 0; j < ldc && ok; j++) {
            double got = dbl ? ((double *)c)[i * ldc + j] : ((float *)c)[i * ldc + j];
            int inside = i < cs->m && j < cs->n;
            double w = inside ? want[i * cs->n + j] : SENTINEL;
            if (inside ? !(fabs(got - w) <= tol) : got != w) {
                printf("%s %c%c m=%lld n=%lld k=%lld pad=%lld alpha=%g beta=%g: C[%lld,%lld] "
                       "= %.17g, want %.17g (tol %.3g)\n",
                       dbl ? "double" : "float", cs->ta, cs->tb, (long long)cs->m,
                       (long long)cs->n, (long long)cs->k, (long long)cs->pad, cs->alpha,
                       cs->beta, (long long)i, (long long)j, got, w, tol);
                ok = 0;
            }
        }
    free(a);
    free(b);
    free(c);
    free(c0);
    free(want);
    return ok;
}

static int skip(void)
{
    if (gemm_avx512_available()) return 0;
    printf("note: this CPU has no AVX-512F, the AVX-512 gemm is not tested\n");
    return 1;
}

/* ---- tests --------------------------------------------------------------- */

/* The tutorial ConvNet's products, whole and as blas.c's blocks. */
static void test_convnet_shapes(void)
{
    if (skip()) return;
    static const Case cases[] = {
        {'n', 'n', 64, 100, 1600, 0, 1, 1},     /* conv2 forward, bias in C */
        {'n', 'n', 64, 48, 1600, 0, 1, 0},
        {'n', 'n', 64, 52, 1600, 0, 1, 1},
        {'n', 'n', 64, 300, 1600, 0, 1, 0},
        {'n', 'n', 64, 156, 1600, 0, 1, 1},
        {'t', 'n', 1600, 100, 64, 0, 1, 0},     /* conv2 backward-input */
        {'t', 'n', 800, 300, 64, 0, 1, 0},
        {'n', 't', 64, 1600, 100, 0, 0.5, 1},   /* conv2 backward-weight */
        {'n', 't', 64, 800, 300, 0, -2, 1},
        {'n', 't', 64, 25, 784, 0, 0.5, 1},     /* conv1 backward-weight */
        {'n', 't', 32, 128, 1600, 0, 1, 1},     /* Linear 1600 -> 128 */
        {'n', 't', 64, 128, 1600, 0, 1, 0},
        {'n', 'n', 32, 1600, 128, 0, 1, 0},
        {'t', 'n', 128, 1600, 32, 0, 1, 1},
        {'t', 'n', 128, 800, 128, 0, 1, 1},
        {'n', 't', 128, 10, 128, 0, 1, 1},      /* Linear 128 -> 10 */
        {'n', 'n', 32, 128, 10, 0, 1, 0},
        {'t', 'n', 10, 128, 32, 0, 1, 1},
    };
    for (int dbl = 0; dbl < 2; dbl++)
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) CHECK(run_case(dbl, &cases[i]));
}

/* Sizes 1..70 (and a few past KC and NC), every transpose pair, padded
 * leading dims, every alpha and beta: a fixed pseudo-random sample of the
 * combinations, plus every m and every n from 1 to 70 at least once. */
static void test_odd_shapes(void)
{
    if (skip()) return;
    static const int64_t sizes[] = {1, 2, 3, 5, 7, 8, 9, 11, 13, 15, 16, 17, 23, 24, 25,
                                    31, 32, 33, 37, 41, 47, 48, 49, 53, 59, 61, 64, 67, 70};
    static const double alphas[] = {1, 0.5, -2}, betas[] = {0, 1, 0.25};
    static const char trs[4][2] = {{'n', 'n'}, {'n', 't'}, {'t', 'n'}, {'t', 't'}};
    int ns = (int)(sizeof sizes / sizeof *sizes);
    for (int dbl = 0; dbl < 2; dbl++) {
        int bad = 0;
        for (int i = 0; i < 600; i++) {
            Case cs = {trs[i % 4][0], trs[i % 4][1], sizes[next_u64() % ns],
                       sizes[next_u64() % ns], sizes[next_u64() % ns],
                       (int64_t)(next_u64() % 3) * 5, alphas[(i / 4) % 3],
                       betas[(i / 12) % 3]};
            bad += !run_case(dbl, &cs);
        }
        for (int64_t s = 1; s <= 70; s++) {
            Case rows = {trs[s % 4][0], trs[s % 4][1], s, 29, 37, 3, alphas[s % 3], betas[s % 3]};
            Case cols = {trs[s % 4][0], trs[s % 4][1], 19, s, 41, 1, alphas[s % 3],
                         betas[(s + 1) % 3]};
            Case deep = {trs[s % 4][0], trs[s % 4][1], 13, 21, s, 2, alphas[(s + 1) % 3],
                         betas[s % 3]};
            bad += !run_case(dbl, &rows) + !run_case(dbl, &cols) + !run_case(dbl, &deep);
        }
        /* several k steps (KC = 256) and B blocks (NC = 480 floats, 240 doubles) */
        static const Case big[] = {
            {'n', 'n', 9, 1000, 600, 3, 0.5, 0.25}, {'t', 't', 17, 497, 513, 0, -2, 1},
            {'n', 't', 67, 250, 257, 1, 1, 0},      {'t', 'n', 5, 963, 300, 7, 1, 1},
        };
        for (size_t i = 0; i < sizeof big / sizeof *big; i++) bad += !run_case(dbl, &big[i]);
        CHECK(bad == 0);
    }
}

/* k == 0 or alpha == 0: C = beta * C, A and B not read (NULL here). */
static void test_degenerate(void)
{
    if (skip()) return;
    float cf[6] = {1, 2, 3, 4, 5, 6};
    double cd[6] = {1, 2, 3, 4, 5, 6};
    CHECK(gemm_avx512_f32('n', 'n', 2, 3, 0, 1, NULL, 1, NULL, 3, 0.5f, cf, 3) == 0);
    CHECK(gemm_avx512_f64('t', 'n', 2, 3, 4, 0, NULL, 2, NULL, 3, 2, cd, 3) == 0);
    CHECK(cf[0] == 0.5f && cf[5] == 3);
    CHECK(cd[0] == 2 && cd[5] == 12);
    for (int i = 0; i < 6; i++) cf[i] = NAN;
    CHECK(gemm_avx512_f32('n', 't', 2, 3, 0, 1, NULL, 1, NULL, 1, 0, cf, 3) == 0);
    CHECK(cf[0] == 0 && cf[5] == 0);
}

/* Random operands of one case: A, B and C with their leading dimensions
 * (C's elements random too, for beta != 0). */
typedef struct Operands {
    char *a, *b, *c;
    int64_t lda, ldb, ldc, nc;
    size_t es;
} Operands;

static Operands operands(int dbl, const Case *cs)
{
    Operands o;
    o.es = dbl ? 8 : 4;
    o.lda = (cs->ta == 'n' ? cs->k : cs->m) + cs->pad;
    o.ldb = (cs->tb == 'n' ? cs->n : cs->k) + cs->pad;
    o.ldc = cs->n + cs->pad;
    o.nc = cs->m * o.ldc;
    o.a = alloc_fill(dbl, (cs->ta == 'n' ? cs->m : cs->k) * o.lda, 0, 1);
    o.b = alloc_fill(dbl, (cs->tb == 'n' ? cs->k : cs->n) * o.ldb, 0, 1);
    o.c = alloc_fill(dbl, o.nc, 0, 1);
    return o;
}

/* a copy of o's C */
static char *copy_c(const Operands *o)
{
    char *c = malloc((size_t)o->nc * o->es);
    memcpy(c, o->c, (size_t)o->nc * o->es);
    return c;
}

static void free_operands(Operands *o)
{
    free(o->a);
    free(o->b);
    free(o->c);
}

/* The same call twice gives the same bits. */
static void test_deterministic(void)
{
    if (skip()) return;
    static const Case cases[] = {
        {'n', 'n', 64, 100, 1600, 0, 1, 1}, {'t', 'n', 800, 100, 64, 2, 1, 0},
        {'n', 't', 64, 800, 300, 0, 0.5, 1}, {'t', 't', 37, 53, 611, 1, -2, 0.25},
    };
    for (int dbl = 0; dbl < 2; dbl++)
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
            const Case *cs = &cases[i];
            Operands o = operands(dbl, cs);
            char *c2 = copy_c(&o);
            call(dbl, cs, o.a, o.lda, o.b, o.ldb, o.c, o.ldc);
            call(dbl, cs, o.a, o.lda, o.b, o.ldb, c2, o.ldc);
            CHECK(memcmp(o.c, c2, (size_t)o.nc * o.es) == 0);
            free(c2);
            free_operands(&o);
        }
}

/* A block of C's rows or columns computed by a call of its own has the
 * same bits as inside the whole call (blas.c relies on less: only that the
 * cut depends on the shape; this kernel gives both). */
static void test_blocks_match_whole(void)
{
    if (skip()) return;
    static const Case cases[] = {
        {'n', 'n', 64, 100, 1600, 0, 1, 1}, {'t', 'n', 1600, 100, 64, 0, 1, 0},
        {'n', 't', 64, 1600, 300, 0, 0.5, 1}, {'t', 't', 45, 77, 300, 3, -2, 0.25},
    };
    for (int dbl = 0; dbl < 2; dbl++)
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
            const Case *cs = &cases[i];
            Operands o = operands(dbl, cs);
            int64_t es = (int64_t)o.es, lda = o.lda, ldb = o.ldb, ldc = o.ldc;
            char *cols = copy_c(&o), *rows = copy_c(&o);
            call(dbl, cs, o.a, lda, o.b, ldb, o.c, ldc);
            /* columns [0, j) and [j, n), rows [0, r) and [r, m): odd cuts */
            int64_t j = cs->n / 2 - 3, r = cs->m / 2 + 5;
            Case left = *cs, right = *cs, top = *cs, bottom = *cs;
            left.n = j;
            right.n = cs->n - j;
            top.m = r;
            bottom.m = cs->m - r;
            call(dbl, &left, o.a, lda, o.b, ldb, cols, ldc);
            call(dbl, &right, o.a, lda, o.b + (cs->tb == 'n' ? j : j * ldb) * es, ldb,
                 cols + j * es, ldc);
            call(dbl, &top, o.a, lda, o.b, ldb, rows, ldc);
            call(dbl, &bottom, o.a + (cs->ta == 'n' ? r * lda : r) * es, lda, o.b, ldb,
                 rows + r * ldc * es, ldc);
            CHECK(memcmp(o.c, cols, (size_t)o.nc * o.es) == 0);
            CHECK(memcmp(o.c, rows, (size_t)o.nc * o.es) == 0);
            free(cols);
            free(rows);
            free_operands(&o);
        }
}

static const CheckTest tests[] = {
    {"convnet_shapes", test_convnet_shapes},
    {"odd_shapes", test_odd_shapes},
    {"degenerate", test_degenerate},
    {"deterministic", test_deterministic},
    {"blocks_match_whole", test_blocks_match_whole},
    {NULL, NULL},
};

CHECK_MAIN(tests)
