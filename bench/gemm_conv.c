/* gemm_conv.c: OpenBLAS against Ember's AVX-512 gemm (gemm_avx512.c) on the
 * tutorial ConvNet's products, one thread.
 *
 * The shapes are the blocks blas_gemm hands to one gemm call (blas.c cuts
 * calls of 2M+ multiply-adds into 2 blocks of C's larger dimension), so they
 * are what the dispatch in blas.c decides on.  For each shape and type the
 * two run interleaved (one sample of one, then one of the other), SAMPLES
 * times; a sample repeats the call for ~2 ms.  Reports the median and the
 * best sample in GFLOP/s (2 m n k flops) and the ratio ours / OpenBLAS.
 *
 *   make bench-gemm && build/bench/gemm_conv [samples] [filter]
 *
 * `filter` keeps the shapes whose name contains it.  The machine is shared:
 * compare medians and minimums, and rerun when they disagree. */
#include <cblas.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gemm_avx512.h"

typedef struct Shape {
    const char *name;
    char ta, tb;
    int m, n, k;
    double alpha, beta;
} Shape;

static const Shape shapes[] = {
    {"conv2 fwd b1 (48)", 'n', 'n', 64, 48, 1600, 1, 1},
    {"conv2 fwd b1 (52)", 'n', 'n', 64, 52, 1600, 1, 1},
    {"conv2 fwd b1 beta0", 'n', 'n', 64, 52, 1600, 1, 0},
    {"conv2 fwd b3 (144)", 'n', 'n', 64, 144, 1600, 1, 1},
    {"conv2 fwd b3 (156)", 'n', 'n', 64, 156, 1600, 1, 1},
    {"conv2 bwd-in b1", 't', 'n', 800, 100, 64, 1, 0},
    {"conv2 bwd-in b3", 't', 'n', 800, 300, 64, 1, 0},
    {"conv2 bwd-w b1", 'n', 't', 64, 800, 100, 0.5, 1},
    {"conv2 bwd-w b3", 'n', 't', 64, 800, 300, 0.5, 1},
    {"conv1 bwd-w", 'n', 't', 64, 25, 784, 0.5, 1},
    {"lin1 fwd b32 nt", 'n', 't', 32, 64, 1600, 1, 1},
    {"lin1 fwd b128 nt", 'n', 't', 64, 128, 1600, 1, 1},
    {"lin1 bwd-in b32 nn", 'n', 'n', 32, 800, 128, 1, 0},
    {"lin1 bwd-in b128 nn", 'n', 'n', 128, 800, 128, 1, 0},
    {"lin1 bwd-w b32 tn", 't', 'n', 128, 800, 32, 1, 1},
    {"lin1 bwd-w b128 tn", 't', 'n', 128, 800, 128, 1, 1},
    {"lin2 fwd b32 nt", 'n', 't', 32, 10, 128, 1, 1},
    {"lin2 fwd b128 nt", 'n', 't', 128, 10, 128, 1, 1},
    {"lin2 bwd-in b32 nn", 'n', 'n', 32, 128, 10, 1, 0},
    {"lin2 bwd-w b32 tn", 't', 'n', 10, 128, 32, 1, 1},
    {"lin2 bwd-w b128 tn", 't', 'n', 10, 128, 128, 1, 1},
    /* other shapes, for the dispatch rule in blas.c */
    {"other 1x100x100", 'n', 'n', 1, 100, 100, 1, 0},
    {"other 100x1x100", 'n', 'n', 100, 1, 100, 1, 0},
    {"other 100x100x1", 'n', 'n', 100, 100, 1, 1, 0},
    {"other 4x64x64", 'n', 'n', 4, 64, 64, 1, 0},
    {"other 64x4x64", 'n', 'n', 64, 4, 64, 1, 0},
    {"other 8x8x8", 'n', 'n', 8, 8, 8, 1, 0},
    {"other 16x16x16", 'n', 'n', 16, 16, 16, 1, 0},
    {"other 33x33x33 tt", 't', 't', 33, 33, 33, 1, 1},
    {"other 200x200x200 tt", 't', 't', 200, 200, 200, 1, 1},
    {"other 512x512x512", 'n', 'n', 512, 512, 512, 1, 0},
    {"other 1024x1024x1024", 'n', 'n', 1024, 1024, 1024, 1, 0},
    {"other 2048x64x2048 nt", 'n', 't', 2048, 64, 2048, 1, 0},
    /* near the edge of the rule (fill 0.5 .. 0.8) */
    {"edge 16x10x100", 'n', 'n', 16, 10, 100, 1, 0},
    {"edge 12x16x64 tn", 't', 'n', 12, 16, 64, 1, 1},
    {"edge 9x64x64", 'n', 'n', 9, 64, 64, 1, 0},
    {"edge 64x9x64 nt", 'n', 't', 64, 9, 64, 1, 0},
    {"edge 12x12x12", 'n', 'n', 12, 12, 12, 1, 0},
    {"edge 40x40x40", 'n', 'n', 40, 40, 40, 1, 0},
    {"edge 20x20x300 tt", 't', 't', 20, 20, 300, 1, 0},
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static CBLAS_TRANSPOSE tr(char t) { return t == 'n' ? CblasNoTrans : CblasTrans; }

static void run(int which, int dbl, const Shape *s, const void *a, int lda, const void *b,
                int ldb, void *c, int ldc)
{
    if (dbl) {
        if (which == 0)
            cblas_dgemm(CblasRowMajor, tr(s->ta), tr(s->tb), s->m, s->n, s->k, s->alpha, a,
                        lda, b, ldb, s->beta, c, ldc);
        else
            gemm_avx512_f64(s->ta, s->tb, s->m, s->n, s->k, s->alpha, a, lda, b, ldb,
                            s->beta, c, ldc);
    } else {
        if (which == 0)
            cblas_sgemm(CblasRowMajor, tr(s->ta), tr(s->tb), s->m, s->n, s->k,
                        (float)s->alpha, a, lda, b, ldb, (float)s->beta, c, ldc);
        else
            gemm_avx512_f32(s->ta, s->tb, s->m, s->n, s->k, (float)s->alpha, a, lda, b, ldb,
                            (float)s->beta, c, ldc);
    }
}

int main(int argc, char **argv)
{
    int samples = argc > 1 ? atoi(argv[1]) : 31;
    const char *filter = argc > 2 ? argv[2] : NULL;
    if (samples < 1) samples = 1;
    if (!gemm_avx512_available()) {
        printf("this CPU has no AVX-512F: nothing to compare\n");
        return 0;
    }
    openblas_set_num_threads(1);
    printf("%-22s %-6s %8s %8s   %8s %8s   %5s %5s\n", "shape", "type", "blas med", "best",
           "ours med", "best", "x med", "x best");
    double *t[2];
    t[0] = malloc(sizeof(double) * samples);
    t[1] = malloc(sizeof(double) * samples);
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        const Shape *s = &shapes[i];
        if (filter && !strstr(s->name, filter)) continue;
        for (int dbl = 0; dbl < 2; dbl++) {
            size_t es = dbl ? 8 : 4;
            int lda = s->ta == 'n' ? s->k : s->m, ldb = s->tb == 'n' ? s->n : s->k;
            int ldc = s->n;
            size_t na = (size_t)(s->ta == 'n' ? s->m : s->k) * lda;
            size_t nb = (size_t)(s->tb == 'n' ? s->k : s->n) * ldb;
            size_t nc = (size_t)s->m * ldc;
            char *a = malloc(na * es), *b = malloc(nb * es), *c = malloc(nc * es);
            /* small values so repeated beta = 1 accumulation stays finite */
            for (size_t j = 0; j < na; j++)
                if (dbl) ((double *)a)[j] = (double)(j % 17) / 17 - 0.5;
                else ((float *)a)[j] = (float)(j % 17) / 17 - 0.5f;
            for (size_t j = 0; j < nb; j++)
                if (dbl) ((double *)b)[j] = 1e-3 * ((double)(j % 13) / 13 - 0.5);
                else ((float *)b)[j] = 1e-3f * ((float)(j % 13) / 13 - 0.5f);
            memset(c, 0, nc * es);
            double flops = 2.0 * s->m * s->n * s->k;
            /* repeats per sample: ~2 ms of OpenBLAS */
            double t0 = now();
            int reps = 0;
            while (now() - t0 < 0.02) {
                run(0, dbl, s, a, lda, b, ldb, c, ldc);
                run(1, dbl, s, a, lda, b, ldb, c, ldc);
                reps++;
            }
            reps = reps / 10 > 1 ? reps / 10 : 1;
            for (int r = 0; r < samples; r++)
                for (int w = 0; w < 2; w++) {
                    int which = (r & 1) ? 1 - w : w;   /* alternate who goes first */
                    double s0 = now();
                    for (int q = 0; q < reps; q++) run(which, dbl, s, a, lda, b, ldb, c, ldc);
                    t[which][r] = (now() - s0) / reps;
                }
            double g[2][2];
            for (int w = 0; w < 2; w++) {
                qsort(t[w], samples, sizeof(double), cmp);
                g[w][0] = flops / t[w][samples / 2] * 1e-9;
                g[w][1] = flops / t[w][0] * 1e-9;
            }
            printf("%-22s %-6s %8.1f %8.1f   %8.1f %8.1f   %5.2f %5.2f\n", s->name,
                   dbl ? "double" : "float", g[0][0], g[0][1], g[1][0], g[1][1],
                   g[1][0] / g[0][0], g[1][1] / g[0][1]);
            fflush(stdout);
            free(a);
            free(b);
            free(c);
        }
    }
    free(t[0]);
    free(t[1]);
    return 0;
}
