/* test_parallel.c: the thread pool (parallel.h) and the gemm/gemv split
 * over it (blas.c).
 *
 * The split must give BIT-IDENTICAL results for every thread count: each
 * shape is computed with 1 thread (its blocks run inline, in order) and with
 * 2, 3, 4, 5 and 8, and the outputs are compared with memcmp.  (Cutting by
 * thread count instead fails here for Float: OpenBLAS's sgemm rounds an
 * element differently depending on its place among the call's tiles.)
 * Inputs are random full-mantissa values, so any change in the order of the
 * sums would show in the last bits.  The shapes cover the tutorial ConvNet's
 * (conv1, conv2 forward/backward at batch 1 and 16, the Linear layers'
 * gemv and batch gemm), every transpose pair, odd sizes, leading dimensions
 * wider than the matrix, and alpha/beta values.  Then many concurrent
 * single-threaded OpenBLAS calls from several threads are checked against
 * the same call made alone (OpenBLAS 0.3.21's pthread build at one thread
 * must be safe to call from our workers). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "blas.h"
#include "check.h"
#include "parallel.h"

#define TEST_RNG_SEED 88172645463325252ull
#include "test_rand.h"
static int64_t irand(int64_t lo, int64_t hi) { return lo + (int64_t)(urand() * (hi - lo + 1)); }

static void *rand_buf(DType dt, int64_t n)
{
    void *p = malloc((size_t)(n > 0 ? n : 1) * dtype_size(dt));
    for (int64_t i = 0; i < n; i++) {
        double v = 2 * urand() - 1;
        if (dt == DT_FLOAT) ((float *)p)[i] = (float)v;
        else ((double *)p)[i] = v;
    }
    return p;
}

/* ---- the pool ----------------------------------------------------------- */

typedef struct Count {
    atomic_int hits[1000];
    atomic_int nested;
} Count;

static void count_task(void *p, int64_t i) { atomic_fetch_add(&((Count *)p)->hits[i], 1); }

static void nested_task(void *p, int64_t i)
{
    Count *c = p;
    (void)i;
    /* a call from inside a task runs inline, in the same thread */
    CHECK(parallel_in_task());
    Count inner = {0};
    parallel_for(4, 10, count_task, &inner);
    int ok = 1;
    for (int k = 0; k < 10; k++) ok &= atomic_load(&inner.hits[k]) == 1;
    if (ok) atomic_fetch_add(&c->nested, 1);
}

/* every task runs exactly once, for every pool size and task count */
static void test_each_task_once(void)
{
    static const int64_t counts[] = {0, 1, 2, 3, 7, 64, 1000};
    for (int t = 1; t <= 5; t++) {
        parallel_set_num_threads(t);
        CHECK(parallel_get_num_threads() == t);
        for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
            for (int rep = 0; rep < 50; rep++) {
                static Count cnt;
                for (int i = 0; i < 1000; i++) atomic_store(&cnt.hits[i], 0);
                parallel_for(t, counts[c], count_task, &cnt);
                int ok = 1;
                for (int64_t i = 0; i < 1000; i++)
                    ok &= atomic_load(&cnt.hits[i]) == (i < counts[c]);
                CHECK(ok);
            }
        }
    }
    CHECK(!parallel_in_task());
    parallel_set_num_threads(1);
}

/* With 2 threads a worker really takes tasks: tasks long enough (~0.2 ms)
 * that the worker wakes before the caller has run them all.  Retried, since
 * on a loaded machine the worker may not get a core in time. */
typedef struct Who {
    pthread_t caller;
    atomic_int by_worker;
} Who;

static void who_task(void *p, int64_t i)
{
    Who *w = p;
    struct timespec ts = {0, 200000};
    (void)i;
    nanosleep(&ts, NULL);
    if (!pthread_equal(pthread_self(), w->caller)) atomic_fetch_add(&w->by_worker, 1);
}

static void test_worker_takes_part(void)
{
    parallel_set_num_threads(2);
    int seen = 0;
    for (int rep = 0; rep < 200 && !seen; rep++) {
        Who w = {pthread_self(), 0};
        parallel_for(2, 8, who_task, &w);
        seen = atomic_load(&w.by_worker) > 0;
    }
    CHECK(seen);
    parallel_set_num_threads(1);
    Who w = {pthread_self(), 0};
    parallel_for(2, 8, who_task, &w);
    CHECK(atomic_load(&w.by_worker) == 0);   /* 1 thread: all inline */
}

static void test_nested_runs_inline(void)
{
    parallel_set_num_threads(3);
    Count c = {0};
    parallel_for(3, 6, nested_task, &c);
    CHECK(atomic_load(&c.nested) == 6);
    parallel_set_num_threads(1);
}

static void test_num_threads_clamped(void)
{
    parallel_set_num_threads(0);
    CHECK(parallel_get_num_threads() == 1);
    parallel_set_num_threads(1000000);
    CHECK(parallel_get_num_threads() == PARALLEL_MAX_THREADS);
    parallel_set_num_threads(1);
    CHECK(parallel_get_num_threads() == 1);
}

/* Two user threads calling parallel_for at once: one gets the pool, the
 * other runs inline; both must see every task once. */
static void *two_callers_main(void *p)
{
    int *ok = p;
    for (int rep = 0; rep < 2000; rep++) {
        Count *c = calloc(1, sizeof *c);
        parallel_for(4, 37, count_task, c);
        for (int i = 0; i < 1000; i++) *ok &= atomic_load(&c->hits[i]) == (i < 37);
        free(c);
    }
    return NULL;
}

static void test_two_callers(void)
{
    parallel_set_num_threads(3);
    pthread_t th[2];
    int ok[2] = {1, 1};
    for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, two_callers_main, &ok[i]);
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    CHECK(ok[0] && ok[1]);
    parallel_set_num_threads(1);
}

/* ---- bit-identical gemm and gemv ------------------------------------------ */

static const int THREADS[] = {2, 3, 4, 5, 8};
#define NTHREADS (int)(sizeof THREADS / sizeof *THREADS)

/* C = alpha op(A) op(B) + beta C with 1 thread, then with each of THREADS,
 * compared with memcmp; also within rounding of the plain-loop reference. */
static int gemm_same(DType dt, char ta, char tb, int64_t m, int64_t n, int64_t k, double alpha,
                     double beta, int pad)
{
    int64_t ar = ta == 'n' ? m : k, ac = ta == 'n' ? k : m;
    int64_t br = tb == 'n' ? k : n, bc = tb == 'n' ? n : k;
    int64_t lda = ac + pad, ldb = bc + pad, ldc = n + pad;
    size_t es = dtype_size(dt), csz = (size_t)(m * ldc) * es;
    void *a = rand_buf(dt, ar * lda), *b = rand_buf(dt, br * ldb), *c0 = rand_buf(dt, m * ldc);
    void *want = malloc(csz), *got = malloc(csz), *ref = malloc(csz);
    int ok = 1;

    parallel_set_num_threads(1);
    memcpy(want, c0, csz);
    blas_gemm(dt, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, want, ldc);
    for (int t = 0; t < NTHREADS; t++) {
        parallel_set_num_threads(THREADS[t]);
        memcpy(got, c0, csz);
        blas_gemm(dt, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, got, ldc);
        if (memcmp(got, want, csz) != 0) {
            printf("gemm %s %c%c %lldx%lldx%lld alpha %g beta %g pad %d: %d threads differ\n",
                   dt == DT_FLOAT ? "float" : "double", ta, tb, (long long)m, (long long)n,
                   (long long)k, alpha, beta, pad, THREADS[t]);
            ok = 0;
        }
    }
    parallel_set_num_threads(1);
    /* sanity: the right product, not just the same one */
    memcpy(ref, c0, csz);
    blas_gemm_ref(dt, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, ref, ldc);
    double tol = (dt == DT_FLOAT ? 1e-5 : 1e-12) * (double)k;
    for (int64_t i = 0; i < m && ok; i++)
        for (int64_t j = 0; j < n; j++) {
            int64_t o = i * ldc + j;
            double x = dt == DT_FLOAT ? ((float *)want)[o] : ((double *)want)[o];
            double y = dt == DT_FLOAT ? ((float *)ref)[o] : ((double *)ref)[o];
            if (!check_near(x, y, tol)) { ok = 0; break; }
        }
    free(a); free(b); free(c0); free(want); free(got); free(ref);
    return ok;
}

static int gemv_same(DType dt, char tr, int64_t m, int64_t n, double alpha, double beta,
                     int pad, int64_t incx, int64_t incy)
{
    int64_t lda = n + pad, nx = tr == 'n' ? n : m, ny = tr == 'n' ? m : n;
    size_t es = dtype_size(dt), ysz = (size_t)(ny * incy) * es;
    void *a = rand_buf(dt, m * lda), *x = rand_buf(dt, nx * incx), *y0 = rand_buf(dt, ny * incy);
    void *want = malloc(ysz), *got = malloc(ysz);
    int ok = 1;

    parallel_set_num_threads(1);
    memcpy(want, y0, ysz);
    blas_gemv(dt, tr, m, n, alpha, a, lda, x, incx, beta, want, incy);
    for (int t = 0; t < NTHREADS; t++) {
        parallel_set_num_threads(THREADS[t]);
        memcpy(got, y0, ysz);
        blas_gemv(dt, tr, m, n, alpha, a, lda, x, incx, beta, got, incy);
        if (memcmp(got, want, ysz) != 0) {
            printf("gemv %s %c %lldx%lld alpha %g beta %g pad %d inc %lld/%lld: %d threads differ\n",
                   dt == DT_FLOAT ? "float" : "double", tr, (long long)m, (long long)n, alpha,
                   beta, pad, (long long)incx, (long long)incy, THREADS[t]);
            ok = 0;
        }
    }
    parallel_set_num_threads(1);
    memcpy(got, y0, ysz);
    blas_gemv_ref(dt, tr, m, n, alpha, a, lda, x, incx, beta, got, incy);
    double tol = (dt == DT_FLOAT ? 1e-5 : 1e-12) * (double)(tr == 'n' ? n : m);
    for (int64_t i = 0; i < ny && ok; i++) {
        int64_t o = i * incy;
        double u = dt == DT_FLOAT ? ((float *)want)[o] : ((double *)want)[o];
        double v = dt == DT_FLOAT ? ((float *)got)[o] : ((double *)got)[o];
        if (!check_near(u, v, tol)) ok = 0;
    }
    free(a); free(x); free(y0); free(want); free(got);
    return ok;
}

static const DType DTS[] = {DT_FLOAT, DT_DOUBLE};

/* The tutorial ConvNet's products (SpatialConvolutionMM as F x P x K
 * gemms, batch 1 and batch 16; Linear 1600 -> 128 -> 10). */
static void test_gemm_tutorial_shapes(void)
{
    static const struct { char ta, tb; int64_t m, n, k; double beta; } S[] = {
        {'n', 'n', 64, 784, 25, 1},     /* conv1 forward: w (F,K) . col (K,P) */
        {'t', 'n', 25, 784, 64, 0},     /* conv1 backward input */
        {'n', 't', 64, 25, 784, 1},     /* conv1 backward weight (accumulates) */
        {'n', 'n', 64, 100, 1600, 1},   /* conv2 forward */
        {'t', 'n', 1600, 100, 64, 0},   /* conv2 backward input */
        {'n', 't', 64, 1600, 100, 1},   /* conv2 backward weight */
        {'n', 'n', 64, 1600, 1600, 1},  /* conv2 forward, batch 16 */
        {'t', 'n', 1600, 1600, 64, 0},  /* conv2 backward input, batch 16 */
        {'n', 't', 64, 1600, 1600, 1},  /* conv2 backward weight, batch 16 */
        {'n', 'n', 64, 12544, 25, 1},   /* conv1 forward, batch 16 */
        {'n', 't', 16, 128, 1600, 0},   /* Linear forward, batch 16 */
        {'n', 'n', 16, 1600, 128, 0},   /* Linear backward input, batch 16 */
        {'t', 'n', 128, 1600, 16, 1},   /* Linear gradWeight, batch 16 */
    };
    for (size_t d = 0; d < 2; d++)
        for (size_t i = 0; i < sizeof S / sizeof *S; i++)
            CHECK(gemm_same(DTS[d], S[i].ta, S[i].tb, S[i].m, S[i].n, S[i].k, 1, S[i].beta, 0));
}

/* Products past the split thresholds (blas.c: 64 M multiply-adds for 2
 * blocks, 256 M for 4), cut by rows and by columns, every transpose. */
static void test_gemm_split_shapes(void)
{
    static const struct { char ta, tb; int64_t m, n, k; } S[] = {
        {'n', 'n', 520, 500, 260},   /* 2 blocks of rows */
        {'t', 'n', 300, 530, 430},   /* 2 blocks of columns */
        {'n', 't', 700, 650, 600},   /* 4 blocks of rows */
        {'t', 't', 610, 700, 620},   /* 4 blocks of columns */
    };
    for (size_t i = 0; i < sizeof S / sizeof S[0]; i++)
        for (int d = 0; d < 2; d++)
            CHECK(gemm_same(DTS[d], S[i].ta, S[i].tb, S[i].m, S[i].n, S[i].k, 0.5, d ? 1 : 0,
                            (int)i));
}

static void test_gemm_random_shapes(void)
{
    static const double ALPHA[] = {1, 0.5, -1.3}, BETA[] = {0, 1, 0.7};
    static const char TR[] = {'n', 't'};
    for (int rep = 0; rep < 160; rep++) {
        DType dt = DTS[rep % 2];
        char ta = TR[(rep / 2) % 2], tb = TR[(rep / 4) % 2];
        /* sizes from tiny (no split) to a few hundred, k up to 2000 (more
         * than one K block), odd sizes, and a few large flat shapes */
        int64_t m = irand(1, 300), n = irand(1, 300), k = irand(1, rep % 5 == 0 ? 2000 : 400);
        if (rep % 7 == 0) { m = irand(1, 8); n = irand(500, 3000); }
        if (rep % 11 == 0) { n = irand(1, 8); m = irand(500, 3000); }
        int pad = rep % 3 == 0 ? (int)irand(1, 9) : 0;
        CHECK(gemm_same(dt, ta, tb, m, n, k, ALPHA[rep % 3], BETA[(rep / 3) % 3], pad));
    }
}

static void test_gemv_shapes(void)
{
    static const double ALPHA[] = {1, 0.5, -1.3}, BETA[] = {0, 1, 0.7};
    for (size_t d = 0; d < 2; d++) {
        /* Linear 1600 -> 128 at batch 1: forward ('n') and backward input ('t') */
        CHECK(gemv_same(DTS[d], 'n', 128, 1600, 1, 1, 0, 1, 1));
        CHECK(gemv_same(DTS[d], 't', 128, 1600, 1, 0, 0, 1, 1));
        CHECK(gemv_same(DTS[d], 'n', 10, 128, 1, 1, 0, 1, 1));
    }
    /* big enough for 4 blocks */
    CHECK(gemv_same(DT_FLOAT, 'n', 4100, 4099, 1, 0.5, 3, 1, 1));
    CHECK(gemv_same(DT_FLOAT, 't', 4100, 4099, -1, 1, 0, 1, 2));
    for (int rep = 0; rep < 120; rep++) {
        DType dt = DTS[rep % 2];
        char tr = rep % 4 < 2 ? 'n' : 't';
        int64_t m = irand(1, 3000), n = irand(1, 3000);
        if (rep % 5 == 0) m = irand(1, 40);
        if (rep % 7 == 0) n = irand(1, 40);
        int pad = rep % 3 == 0 ? (int)irand(1, 9) : 0;
        int64_t incx = rep % 6 == 5 ? 2 : 1, incy = rep % 9 == 8 ? 3 : 1;
        CHECK(gemv_same(dt, tr, m, n, ALPHA[rep % 3], BETA[(rep / 3) % 3], pad, incx, incy));
    }
}

/* ---- concurrent OpenBLAS calls --------------------------------------------- */

typedef struct Conc {
    DType dt;
    char ta, tb;
    int64_t m, n, k;
    void *a, *b, *want;
    int ok;
} Conc;

/* Each thread repeats its own gemm (or gemv) many times while the others
 * run theirs, and compares every result with the one computed alone. */
static void *conc_main(void *p)
{
    Conc *c = p;
    size_t sz = (size_t)(c->m * c->n) * dtype_size(c->dt);
    void *got = malloc(sz);
    for (int rep = 0; rep < 200; rep++) {
        if (c->k > 0)
            blas_gemm(c->dt, c->ta, c->tb, c->m, c->n, c->k, 1, c->a, c->ta == 'n' ? c->k : c->m,
                      c->b, c->tb == 'n' ? c->n : c->k, 0, got, c->n);
        else
            blas_gemv(c->dt, c->ta, c->m, c->n, 1, c->a, c->n, c->b, 1, 0, got, 1);
        if (memcmp(got, c->want, c->k > 0 ? sz : (size_t)(c->ta == 'n' ? c->m : c->n) *
                                                       dtype_size(c->dt)) != 0)
            c->ok = 0;
    }
    free(got);
    return NULL;
}

static void test_concurrent_openblas(void)
{
    enum { N = 6 };
    Conc cs[N];
    blas_park_threads();
    parallel_set_num_threads(1);   /* each call is one single-threaded OpenBLAS call */
    for (int i = 0; i < N; i++) {
        Conc *c = &cs[i];
        c->dt = DTS[i % 2];
        c->ta = i % 3 == 1 ? 't' : 'n';
        c->tb = i % 4 == 2 ? 't' : 'n';
        c->m = 64 + 7 * i;
        c->n = 100 + 13 * i;
        c->k = i == 5 ? 0 : 300 + 50 * i;   /* the last one is a gemv */
        int64_t ka = c->k > 0 ? c->k : c->n;
        c->a = rand_buf(c->dt, c->m * ka);
        c->b = rand_buf(c->dt, (c->k > 0 ? c->k : c->n + c->m) * c->n);
        c->want = malloc((size_t)(c->m * c->n) * dtype_size(c->dt));
        if (c->k > 0)
            blas_gemm(c->dt, c->ta, c->tb, c->m, c->n, c->k, 1, c->a, c->ta == 'n' ? c->k : c->m,
                      c->b, c->tb == 'n' ? c->n : c->k, 0, c->want, c->n);
        else
            blas_gemv(c->dt, c->ta, c->m, c->n, 1, c->a, c->n, c->b, 1, 0, c->want, 1);
        c->ok = 1;
    }
    pthread_t th[N];
    for (int i = 0; i < N; i++) pthread_create(&th[i], NULL, conc_main, &cs[i]);
    for (int i = 0; i < N; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < N; i++) {
        CHECK(cs[i].ok);
        free(cs[i].a); free(cs[i].b); free(cs[i].want);
    }
}

static const CheckTest tests[] = {
    {"each_task_once", test_each_task_once},
    {"worker_takes_part", test_worker_takes_part},
    {"nested_runs_inline", test_nested_runs_inline},
    {"num_threads_clamped", test_num_threads_clamped},
    {"two_callers", test_two_callers},
    {"gemm_tutorial_shapes", test_gemm_tutorial_shapes},
    {"gemm_split_shapes", test_gemm_split_shapes},
    {"gemm_random_shapes", test_gemm_random_shapes},
    {"gemv_shapes", test_gemv_shapes},
    {"concurrent_openblas", test_concurrent_openblas},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    blas_park_threads();   /* as luaopen_ember_core does */
    return check_main(tests, argc, argv);
}
