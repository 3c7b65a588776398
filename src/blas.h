/* blas.h: the few BLAS routines tensor math needs, for every element type.
 *
 * All matrices are ROW-MAJOR: element (i, j) of an r x c matrix A is
 * a[i * lda + j], with lda >= max(1, c).  `trans` is 'n' or 't' and says
 * whether the routine uses A or its transpose.  Float and Double go to
 * OpenBLAS (blas.c is the only file that includes cblas.h), gemm on AVX-512
 * CPUs mostly to Ember's own kernel (gemm_avx512.h); the integer types
 * use plain loops with TH's semantics (accumulation in the element type, so
 * overflow wraps as in Torch7).  `*_ref` are plain-loop references for every
 * type, kept to test the OpenBLAS paths against.
 *
 * Scalars arrive as double and are converted to the element type.  As in
 * BLAS, beta == 0 means the output is overwritten without being read (NaNs in
 * it do not survive).  Callers guarantee valid sizes and leading dims. */
#ifndef EMBER_BLAS_H
#define EMBER_BLAS_H

#include "dtype.h"

/* C (m x n) = alpha * op(A) (m x k) . op(B) (k x n) + beta * C */
void blas_gemm(DType dt, char transa, char transb, int64_t m, int64_t n, int64_t k,
               double alpha, const void *a, int64_t lda, const void *b, int64_t ldb,
               double beta, void *c, int64_t ldc);
/* y = alpha * op(A) . x + beta * y; A is m x n (before op). */
void blas_gemv(DType dt, char trans, int64_t m, int64_t n, double alpha, const void *a,
               int64_t lda, const void *x, int64_t incx, double beta, void *y, int64_t incy);
/* A (m x n) += alpha * x . y^T */
void blas_ger(DType dt, int64_t m, int64_t n, double alpha, const void *x, int64_t incx,
              const void *y, int64_t incy, void *a, int64_t lda);
/* sum x[i] * y[i], accumulated in the element type (sdot returns a float). */
double blas_dot(DType dt, int64_t n, const void *x, int64_t incx, const void *y, int64_t incy);
/* y += alpha * x */
void blas_axpy(DType dt, int64_t n, double alpha, const void *x, int64_t incx, void *y,
               int64_t incy);

/* Plain-loop references with the same contracts. */
void blas_gemm_ref(DType dt, char transa, char transb, int64_t m, int64_t n, int64_t k,
                   double alpha, const void *a, int64_t lda, const void *b, int64_t ldb,
                   double beta, void *c, int64_t ldc);
void blas_gemv_ref(DType dt, char trans, int64_t m, int64_t n, double alpha, const void *a,
                   int64_t lda, const void *x, int64_t incx, double beta, void *y, int64_t incy);
void blas_ger_ref(DType dt, int64_t m, int64_t n, double alpha, const void *x, int64_t incx,
                  const void *y, int64_t incy, void *a, int64_t lda);
double blas_dot_ref(DType dt, int64_t n, const void *x, int64_t incx, const void *y,
                    int64_t incy);
void blas_axpy_ref(DType dt, int64_t n, double alpha, const void *x, int64_t incx, void *y,
                   int64_t incy);

/* The number of cores the machine has (torch.getnumcores). */
int blas_get_num_cores(void);

/* Keeps OpenBLAS single-threaded for good and stops its workers.  The
 * pthread build starts one worker per core at load time, and each spins for
 * ~0.1 s after every call before sleeping: on a shared machine that burns a
 * core and makes the process's CPU time (os.clock) outrun the wall clock.
 * Threads come from Ember's own pool instead (parallel_set_num_threads,
 * torch.setnumthreads): blas_gemm and blas_gemv split large calls across it
 * so that 1 and N threads give bit-identical results, which OpenBLAS's own
 * threading does not (it splits some reductions). */
void blas_park_threads(void);

#endif
