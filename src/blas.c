/* blas.c: BLAS entry points by dtype (see blas.h).  The only file that
 * includes cblas.h: Float and Double call OpenBLAS, or for gemm on AVX-512
 * CPUs our own kernel (gemm_avx512.c, see use_avx512), and the integer types
 * use the plain loops of blas_impl.h.  OpenBLAS always runs single-threaded;
 * large gemm and gemv calls are cut into blocks of output rows or columns
 * that run on Ember's pool (parallel.h), one single-threaded call per block,
 * so the result does not depend on the thread count (see "splitting"). */
#include "blas.h"
#include "gemm_avx512.h"
#include "parallel.h"

#include <cblas.h>
#include <unistd.h>

#define REAL uint8_t
#define SFX(n) n##_u8
#include "blas_impl.h"
#undef REAL
#undef SFX
#define REAL int8_t
#define SFX(n) n##_i8
#include "blas_impl.h"
#undef REAL
#undef SFX
#define REAL int16_t
#define SFX(n) n##_i16
#include "blas_impl.h"
#undef REAL
#undef SFX
#define REAL int32_t
#define SFX(n) n##_i32
#include "blas_impl.h"
#undef REAL
#undef SFX
#define REAL int64_t
#define SFX(n) n##_i64
#include "blas_impl.h"
#undef REAL
#undef SFX
#define REAL float
#define SFX(n) n##_f32
#include "blas_impl.h"
#undef REAL
#undef SFX
#define REAL double
#define SFX(n) n##_f64
#include "blas_impl.h"
#undef REAL
#undef SFX

/* double -> integer element: through int64 so out-of-range values wrap
 * instead of being undefined behaviour. */
#define IV(T, v) ((T)(int64_t)(v))

static CBLAS_TRANSPOSE tr(char t) { return t == 'n' ? CblasNoTrans : CblasTrans; }

/* OpenBLAS takes int sizes; larger problems (never met in practice) and
 * degenerate ones (k == 0, where BLAS implementations differ on whether C is
 * scaled) take the plain loops. */
static int fits(int64_t a, int64_t b, int64_t c) { return a <= 0x7fffffff && b <= 0x7fffffff && c <= 0x7fffffff; }

/* ---- reference dispatch -------------------------------------------------- */

void blas_gemm_ref(DType dt, char ta, char tb, int64_t m, int64_t n, int64_t k, double alpha,
                   const void *a, int64_t lda, const void *b, int64_t ldb, double beta, void *c,
                   int64_t ldc)
{
    switch (dt) {
    case DT_BYTE: gemm_ref_u8(ta, tb, m, n, k, IV(uint8_t, alpha), a, lda, b, ldb, IV(uint8_t, beta), c, ldc); break;
    case DT_CHAR: gemm_ref_i8(ta, tb, m, n, k, IV(int8_t, alpha), a, lda, b, ldb, IV(int8_t, beta), c, ldc); break;
    case DT_SHORT: gemm_ref_i16(ta, tb, m, n, k, IV(int16_t, alpha), a, lda, b, ldb, IV(int16_t, beta), c, ldc); break;
    case DT_INT: gemm_ref_i32(ta, tb, m, n, k, IV(int32_t, alpha), a, lda, b, ldb, IV(int32_t, beta), c, ldc); break;
    case DT_LONG: gemm_ref_i64(ta, tb, m, n, k, IV(int64_t, alpha), a, lda, b, ldb, IV(int64_t, beta), c, ldc); break;
    case DT_FLOAT: gemm_ref_f32(ta, tb, m, n, k, (float)alpha, a, lda, b, ldb, (float)beta, c, ldc); break;
    case DT_DOUBLE: gemm_ref_f64(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc); break;
    default: break;
    }
}

void blas_gemv_ref(DType dt, char trans, int64_t m, int64_t n, double alpha, const void *a,
                   int64_t lda, const void *x, int64_t incx, double beta, void *y, int64_t incy)
{
    switch (dt) {
    case DT_BYTE: gemv_ref_u8(trans, m, n, IV(uint8_t, alpha), a, lda, x, incx, IV(uint8_t, beta), y, incy); break;
    case DT_CHAR: gemv_ref_i8(trans, m, n, IV(int8_t, alpha), a, lda, x, incx, IV(int8_t, beta), y, incy); break;
    case DT_SHORT: gemv_ref_i16(trans, m, n, IV(int16_t, alpha), a, lda, x, incx, IV(int16_t, beta), y, incy); break;
    case DT_INT: gemv_ref_i32(trans, m, n, IV(int32_t, alpha), a, lda, x, incx, IV(int32_t, beta), y, incy); break;
    case DT_LONG: gemv_ref_i64(trans, m, n, IV(int64_t, alpha), a, lda, x, incx, IV(int64_t, beta), y, incy); break;
    case DT_FLOAT: gemv_ref_f32(trans, m, n, (float)alpha, a, lda, x, incx, (float)beta, y, incy); break;
    case DT_DOUBLE: gemv_ref_f64(trans, m, n, alpha, a, lda, x, incx, beta, y, incy); break;
    default: break;
    }
}

void blas_ger_ref(DType dt, int64_t m, int64_t n, double alpha, const void *x, int64_t incx,
                  const void *y, int64_t incy, void *a, int64_t lda)
{
    switch (dt) {
    case DT_BYTE: ger_ref_u8(m, n, IV(uint8_t, alpha), x, incx, y, incy, a, lda); break;
    case DT_CHAR: ger_ref_i8(m, n, IV(int8_t, alpha), x, incx, y, incy, a, lda); break;
    case DT_SHORT: ger_ref_i16(m, n, IV(int16_t, alpha), x, incx, y, incy, a, lda); break;
    case DT_INT: ger_ref_i32(m, n, IV(int32_t, alpha), x, incx, y, incy, a, lda); break;
    case DT_LONG: ger_ref_i64(m, n, IV(int64_t, alpha), x, incx, y, incy, a, lda); break;
    case DT_FLOAT: ger_ref_f32(m, n, (float)alpha, x, incx, y, incy, a, lda); break;
    case DT_DOUBLE: ger_ref_f64(m, n, alpha, x, incx, y, incy, a, lda); break;
    default: break;
    }
}

double blas_dot_ref(DType dt, int64_t n, const void *x, int64_t incx, const void *y, int64_t incy)
{
    switch (dt) {
    case DT_BYTE: return dot_ref_u8(n, x, incx, y, incy);
    case DT_CHAR: return dot_ref_i8(n, x, incx, y, incy);
    case DT_SHORT: return dot_ref_i16(n, x, incx, y, incy);
    case DT_INT: return dot_ref_i32(n, x, incx, y, incy);
    case DT_LONG: return (double)dot_ref_i64(n, x, incx, y, incy);
    case DT_FLOAT: return dot_ref_f32(n, x, incx, y, incy);
    case DT_DOUBLE: return dot_ref_f64(n, x, incx, y, incy);
    default: return 0;
    }
}

void blas_axpy_ref(DType dt, int64_t n, double alpha, const void *x, int64_t incx, void *y,
                   int64_t incy)
{
    switch (dt) {
    case DT_BYTE: axpy_ref_u8(n, IV(uint8_t, alpha), x, incx, y, incy); break;
    case DT_CHAR: axpy_ref_i8(n, IV(int8_t, alpha), x, incx, y, incy); break;
    case DT_SHORT: axpy_ref_i16(n, IV(int16_t, alpha), x, incx, y, incy); break;
    case DT_INT: axpy_ref_i32(n, IV(int32_t, alpha), x, incx, y, incy); break;
    case DT_LONG: axpy_ref_i64(n, IV(int64_t, alpha), x, incx, y, incy); break;
    case DT_FLOAT: axpy_ref_f32(n, (float)alpha, x, incx, y, incy); break;
    case DT_DOUBLE: axpy_ref_f64(n, alpha, x, incx, y, incy); break;
    default: break;
    }
}

/* ---- OpenBLAS for Float and Double --------------------------------------- */

/* Whether our AVX-512 gemm (gemm_avx512.c) takes an m x n product instead
 * of OpenBLAS.  It computes C in tiles of 8 rows by 16 floats (8 doubles),
 * zero-padding the edge tiles.  Measured with bench/gemm_conv.c (one
 * thread), it runs 1.3-2.6x OpenBLAS's Haswell kernels on every ConvNet
 * block and on 8..2048-sized products of any transposes, edges included
 * (12x12x12 Float 1.4x, 33x33x33 1.4x, 64x4x64 1.25x), and loses with fewer
 * than 8 rows (4x64x64 Float 0.88x, 1x100x100 0.95x) or one column
 * (100x1x100 Float 0.8x).  The choice depends on the block's shape alone,
 * so the result still does not depend on the thread count. */
static int use_avx512(int64_t m, int64_t n)
{
    return m >= 8 && n >= 4 && gemm_avx512_available();
}

/* One single-threaded product (sizes already checked by fits()): our
 * AVX-512 kernel where it wins, else OpenBLAS.  (The kernel fails only when
 * its per-thread buffer cannot be allocated; OpenBLAS then does the call.) */
static void gemm1(DType dt, char ta, char tb, int64_t m, int64_t n, int64_t k, double alpha,
                  const void *a, int64_t lda, const void *b, int64_t ldb, double beta, void *c,
                  int64_t ldc)
{
    if (use_avx512(m, n)) {
        int rc = dt == DT_FLOAT
                     ? gemm_avx512_f32(ta, tb, m, n, k, (float)alpha, a, lda, b, ldb,
                                       (float)beta, c, ldc)
                     : gemm_avx512_f64(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        if (rc == 0) return;
    }
    if (dt == DT_FLOAT)
        cblas_sgemm(CblasRowMajor, tr(ta), tr(tb), (int)m, (int)n, (int)k, (float)alpha, a,
                    (int)lda, b, (int)ldb, (float)beta, c, (int)ldc);
    else
        cblas_dgemm(CblasRowMajor, tr(ta), tr(tb), (int)m, (int)n, (int)k, alpha, a, (int)lda,
                    b, (int)ldb, beta, c, (int)ldc);
}

static void gemv1(DType dt, char trans, int64_t m, int64_t n, double alpha, const void *a,
                  int64_t lda, const void *x, int64_t incx, double beta, void *y, int64_t incy)
{
    if (dt == DT_FLOAT)
        cblas_sgemv(CblasRowMajor, tr(trans), (int)m, (int)n, (float)alpha, a, (int)lda, x,
                    (int)incx, (float)beta, y, (int)incy);
    else
        cblas_dgemv(CblasRowMajor, tr(trans), (int)m, (int)n, alpha, a, (int)lda, x, (int)incx,
                    beta, y, (int)incy);
}

/* ---- splitting over Ember's pool ----------------------------------------- */

/* Why a split result is bit-identical for every thread count.  OpenBLAS
 * runs at one thread always (blas_park_threads), so each cblas call is its
 * plain sequential code: deterministic for given arguments and memory, as is
 * our AVX-512 kernel, and which of the two runs a block depends on the
 * block's shape alone (use_avx512).  A
 * large call is cut into blocks of OUTPUT rows or columns (C's for gemm, y's
 * entries for gemv), never along K or a dot product, and the cut is a
 * function of the SHAPE alone (split_blocks): the thread count only decides
 * how many threads run the blocks, and 1 thread runs the same blocks inline,
 * in order.  So with 1, 2 or 8 threads the same cblas calls run on the same
 * inputs (no block reads what another writes) and produce the same bits.
 *
 * Cutting by thread count instead ("T blocks", 1 thread = 1 call) would NOT
 * be bit-identical with this OpenBLAS: its sgemm (0.3.21, Haswell kernels on
 * this AMD machine) computes an element differently depending on where it
 * falls among the call's tiles, e.g. columns 40..47 of a 48-column call
 * differ in the last bit from the same columns inside a 100-column call, for
 * cuts at every multiple of 16 to 96 we tried (dgemm happened to agree).
 * tests/c/test_parallel.c checks our contract with memcmp over many shapes,
 * transposes, leading dims, alpha and beta, 1 thread against 2, 3, 4, 5 and
 * 8, and fails on the "T blocks" scheme.
 *
 * The price is that 1 thread also makes 2 (or 4) calls for a large product,
 * each packing the shared operand again: measured 0-5% on the tutorial's
 * conv shapes when cutting the larger dimension (up to 12% cutting the
 * smaller one), which is why the larger is cut and small calls are not. */
#define SPLIT_ALIGN 16
/* Multiply-adds from which a call is cut in 2 blocks, and in 4.  With the
 * AVX-512 kernel (gemm_avx512.c) a conv2-sized product (64x100x1600, 10 M
 * multiply-adds) takes ~0.12 ms of Float, and cutting it measured SLOWER on
 * 2 threads (conv2 forward 0.18 -> 0.29 ms at batch 1, no gain at batch 32):
 * its B operand was just written by im2col on the caller's core, and the
 * worker's half crosses to the other core at a cost above the half of the
 * arithmetic it saves.  So only products with far more arithmetic per byte
 * (from ~400^3) are cut.  gemv is memory-bound and fast (~10 us for the
 * tutorial's 128x1600), so only far larger ones are cut. */
#ifndef GEMM_SPLIT_MIN
#define GEMM_SPLIT_MIN (64 * 1024 * 1024)
#endif
#ifndef GEMM_SPLIT_MIN4
#define GEMM_SPLIT_MIN4 (256 * 1024 * 1024)
#endif
#ifndef GEMV_SPLIT_MIN
#define GEMV_SPLIT_MIN (1024 * 1024)
#endif
#define GEMV_SPLIT_MIN4 (16 * 1024 * 1024)

typedef struct Split {
    DType dt;
    char ta, tb;                 /* gemv: ta is trans */
    int rows;                    /* 1: blocks of output rows, 0: of columns */
    int nblocks;
    int64_t dim;                 /* the output dimension being cut */
    int64_t m, n, k;
    double alpha, beta;
    const char *a, *b;           /* gemv: b is x */
    char *c;                     /* gemv: c is y */
    int64_t lda, ldb, ldc;       /* gemv: ldb is incx, ldc is incy */
} Split;

/* Start of block i: dim * i / nblocks rounded down to SPLIT_ALIGN, so every
 * block but the last has a multiple of SPLIT_ALIGN rows (nblocks <= dim /
 * SPLIT_ALIGN keeps every block non-empty). */
static int64_t block_start(const Split *s, int64_t i)
{
    if (i >= s->nblocks) return s->dim;
    int64_t e = s->dim * i / s->nblocks;
    return e - e % SPLIT_ALIGN;
}

/* How many blocks a `dim`-long output dimension of a call with `work`
 * multiply-adds is cut into: 1, 2 or 4, from the shape alone (never from the
 * thread count, see above).  Edges fall on multiples of SPLIT_ALIGN (whole
 * cache lines of C), so a block has at least SPLIT_ALIGN rows.  `work` is a
 * double because m * n * k can pass 2^63. */
static int split_blocks(int64_t dim, double work, double min2, double min4)
{
    int nb = work >= min4 ? 4 : work >= min2 ? 2 : 1;
    while (nb > 1 && dim / SPLIT_ALIGN < nb) nb /= 2;
    return nb;
}

static void gemm_task(void *p, int64_t i)
{
    const Split *s = p;
    size_t es = dtype_size(s->dt);
    int64_t lo = block_start(s, i), hi = block_start(s, i + 1);
    const char *a = s->a, *b = s->b;
    char *c = s->c;
    int64_t m = s->m, n = s->n;
    if (s->rows) {   /* rows lo..hi of C and of op(A) */
        a += (s->ta == 'n' ? lo * s->lda : lo) * es;
        c += lo * s->ldc * es;
        m = hi - lo;
    } else {         /* columns lo..hi of C and of op(B) */
        b += (s->tb == 'n' ? lo : lo * s->ldb) * es;
        c += lo * es;
        n = hi - lo;
    }
    gemm1(s->dt, s->ta, s->tb, m, n, s->k, s->alpha, a, s->lda, b, s->ldb, s->beta, c, s->ldc);
}

static void gemv_task(void *p, int64_t i)
{
    const Split *s = p;
    size_t es = dtype_size(s->dt);
    int64_t lo = block_start(s, i), hi = block_start(s, i + 1);
    /* y's entries lo..hi are rows lo..hi of op(A): rows of A for 'n',
     * columns of A for 't' */
    const char *a = s->a + (s->ta == 'n' ? lo * s->lda : lo) * es;
    char *y = s->c + lo * s->ldc * es;
    int64_t m = s->ta == 'n' ? hi - lo : s->m, n = s->ta == 'n' ? s->n : hi - lo;
    gemv1(s->dt, s->ta, m, n, s->alpha, a, s->lda, s->b, s->ldb, s->beta, y, s->ldc);
}

/* ---- OpenBLAS for Float and Double --------------------------------------- */

void blas_gemm(DType dt, char ta, char tb, int64_t m, int64_t n, int64_t k, double alpha,
               const void *a, int64_t lda, const void *b, int64_t ldb, double beta, void *c,
               int64_t ldc)
{
    if ((dt == DT_FLOAT || dt == DT_DOUBLE) && m > 0 && n > 0 && k > 0 && fits(m, n, k) &&
        fits(lda, ldb, ldc)) {
        /* cut the larger of C's dimensions: the blocks stay big and square-ish */
        int rows = m >= n;
        int nb = split_blocks(rows ? m : n, (double)m * n * k, GEMM_SPLIT_MIN, GEMM_SPLIT_MIN4);
        if (nb <= 1) {
            gemm1(dt, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        Split s = {dt, ta, tb, rows, nb, rows ? m : n, m, n, k, alpha, beta,
                   a, b, c, lda, ldb, ldc};
        parallel_for(nb, nb, gemm_task, &s);
        return;
    }
    blas_gemm_ref(dt, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void blas_gemv(DType dt, char trans, int64_t m, int64_t n, double alpha, const void *a,
               int64_t lda, const void *x, int64_t incx, double beta, void *y, int64_t incy)
{
    if ((dt == DT_FLOAT || dt == DT_DOUBLE) && m > 0 && n > 0 && fits(m, n, lda) &&
        fits(incx, incy, 1) && incx > 0 && incy > 0) {
        int64_t out = trans == 'n' ? m : n;
        int nb = split_blocks(out, (double)m * n, GEMV_SPLIT_MIN, GEMV_SPLIT_MIN4);
        if (nb <= 1) {
            gemv1(dt, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
            return;
        }
        Split s = {dt, trans, 'n', 1, nb, out, m, n, 0, alpha, beta,
                   a, x, y, lda, incx, incy};
        parallel_for(nb, nb, gemv_task, &s);
        return;
    }
    blas_gemv_ref(dt, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}

void blas_ger(DType dt, int64_t m, int64_t n, double alpha, const void *x, int64_t incx,
              const void *y, int64_t incy, void *a, int64_t lda)
{
    if ((dt == DT_FLOAT || dt == DT_DOUBLE) && m > 0 && n > 0 && fits(m, n, lda) &&
        fits(incx, incy, 1) && incx > 0 && incy > 0) {
        if (dt == DT_FLOAT)
            cblas_sger(CblasRowMajor, (int)m, (int)n, (float)alpha, x, (int)incx, y, (int)incy,
                       a, (int)lda);
        else
            cblas_dger(CblasRowMajor, (int)m, (int)n, alpha, x, (int)incx, y, (int)incy, a,
                       (int)lda);
        return;
    }
    blas_ger_ref(dt, m, n, alpha, x, incx, y, incy, a, lda);
}

double blas_dot(DType dt, int64_t n, const void *x, int64_t incx, const void *y, int64_t incy)
{
    if ((dt == DT_FLOAT || dt == DT_DOUBLE) && n > 0 && fits(n, incx, incy) && incx > 0 &&
        incy > 0) {
        if (dt == DT_FLOAT)
            return cblas_sdot((int)n, x, (int)incx, y, (int)incy);
        return cblas_ddot((int)n, x, (int)incx, y, (int)incy);
    }
    return blas_dot_ref(dt, n, x, incx, y, incy);
}

void blas_axpy(DType dt, int64_t n, double alpha, const void *x, int64_t incx, void *y,
               int64_t incy)
{
    if ((dt == DT_FLOAT || dt == DT_DOUBLE) && n > 0 && fits(n, incx, incy) && incx > 0 &&
        incy > 0) {
        if (dt == DT_FLOAT)
            cblas_saxpy((int)n, (float)alpha, x, (int)incx, y, (int)incy);
        else
            cblas_daxpy((int)n, alpha, x, (int)incx, y, (int)incy);
        return;
    }
    blas_axpy_ref(dt, n, alpha, x, incx, y, incy);
}

/* ---- threads -------------------------------------------------------------- */

/* OpenBLAS's internal call that stops its worker threads. */
int blas_thread_shutdown_(void);

void blas_park_threads(void)
{
    openblas_set_num_threads(1);
    blas_thread_shutdown_();
}

int blas_get_num_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : openblas_get_num_procs();
}
