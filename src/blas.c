/* blas.c: BLAS entry points by dtype (see blas.h).  The only file that
 * includes cblas.h: Float and Double call OpenBLAS, the integer types use the
 * plain loops of blas_impl.h. */
#include "blas.h"

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

void blas_gemm(DType dt, char ta, char tb, int64_t m, int64_t n, int64_t k, double alpha,
               const void *a, int64_t lda, const void *b, int64_t ldb, double beta, void *c,
               int64_t ldc)
{
    if ((dt == DT_FLOAT || dt == DT_DOUBLE) && m > 0 && n > 0 && k > 0 && fits(m, n, k) &&
        fits(lda, ldb, ldc)) {
        if (dt == DT_FLOAT)
            cblas_sgemm(CblasRowMajor, tr(ta), tr(tb), (int)m, (int)n, (int)k, (float)alpha, a,
                        (int)lda, b, (int)ldb, (float)beta, c, (int)ldc);
        else
            cblas_dgemm(CblasRowMajor, tr(ta), tr(tb), (int)m, (int)n, (int)k, alpha, a,
                        (int)lda, b, (int)ldb, beta, c, (int)ldc);
        return;
    }
    blas_gemm_ref(dt, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void blas_gemv(DType dt, char trans, int64_t m, int64_t n, double alpha, const void *a,
               int64_t lda, const void *x, int64_t incx, double beta, void *y, int64_t incy)
{
    if ((dt == DT_FLOAT || dt == DT_DOUBLE) && m > 0 && n > 0 && fits(m, n, lda) &&
        fits(incx, incy, 1) && incx > 0 && incy > 0) {
        if (dt == DT_FLOAT)
            cblas_sgemv(CblasRowMajor, tr(trans), (int)m, (int)n, (float)alpha, a, (int)lda, x,
                        (int)incx, (float)beta, y, (int)incy);
        else
            cblas_dgemv(CblasRowMajor, tr(trans), (int)m, (int)n, alpha, a, (int)lda, x,
                        (int)incx, beta, y, (int)incy);
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

void blas_set_num_threads(int n)
{
    if (n < 1) n = 1;
    openblas_set_num_threads(n);
}

int blas_get_num_threads(void) { return openblas_get_num_threads(); }

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
