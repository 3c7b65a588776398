/* gemm_avx512.h: Ember's own AVX-512 sgemm and dgemm (see gemm_avx512.c).
 *
 * Same contract as blas_gemm (blas.h): ROW-MAJOR C (m x n) = alpha * op(A)
 * (m x k) . op(B) (k x n) + beta * C, `trans` 'n' or 't', leading dims >=
 * the row length, beta == 0 writes C without reading it.  A and B must not
 * overlap C.  The result depends only on the arguments: every element of C
 * is summed over k in the same order wherever it falls in the matrix, and
 * nothing depends on the thread or on earlier calls.
 *
 * Only call these when gemm_avx512_available() says so: the file is built
 * for AVX-512F whatever the compiler flags, and would fault on other CPUs. */
#ifndef EMBER_GEMM_AVX512_H
#define EMBER_GEMM_AVX512_H

#include <stdint.h>

/* 1 when the CPU runs AVX-512F (checked once), else 0. */
int gemm_avx512_available(void);

/* Return 0, or -1 (C untouched) when the calling thread's packing buffer
 * (about 0.5 MB, allocated on its first call and kept until the thread
 * exits) cannot be allocated; the caller then takes another path. */
int gemm_avx512_f32(char ta, char tb, int64_t m, int64_t n, int64_t k, float alpha,
                    const float *a, int64_t lda, const float *b, int64_t ldb, float beta,
                    float *c, int64_t ldc);
int gemm_avx512_f64(char ta, char tb, int64_t m, int64_t n, int64_t k, double alpha,
                    const double *a, int64_t lda, const double *b, int64_t ldb, double beta,
                    double *c, int64_t ldc);

#endif
