/* blas_impl.h: plain-loop BLAS for one element type, included by blas.c once
 * per type with REAL (element type) and SFX(name) (name suffix) defined.
 * Defines static functions only.  Sums accumulate in REAL, as TH's generic
 * THBlas did, so integer overflow wraps exactly as in Torch7. */

static void SFX(gemm_ref)(char ta, char tb, int64_t m, int64_t n, int64_t k, REAL alpha,
                          const REAL *a, int64_t lda, const REAL *b, int64_t ldb, REAL beta,
                          REAL *c, int64_t ldc)
{
    /* (i, l) of op(A) and (l, j) of op(B) in row-major storage */
    int64_t as_i = ta == 'n' ? lda : 1, as_l = ta == 'n' ? 1 : lda;
    int64_t bs_l = tb == 'n' ? ldb : 1, bs_j = tb == 'n' ? 1 : ldb;
    for (int64_t i = 0; i < m; i++) {
        for (int64_t j = 0; j < n; j++) {
            REAL s = 0;
            for (int64_t l = 0; l < k; l++)
                s += a[i * as_i + l * as_l] * b[l * bs_l + j * bs_j];
            REAL *cij = &c[i * ldc + j];
            /* beta == 0 must not read C: it may hold garbage or NaN */
            *cij = beta == 0 ? (REAL)(alpha * s) : (REAL)(beta * *cij + alpha * s);
        }
    }
}

static void SFX(gemv_ref)(char trans, int64_t m, int64_t n, REAL alpha, const REAL *a,
                          int64_t lda, const REAL *x, int64_t incx, REAL beta, REAL *y,
                          int64_t incy)
{
    /* op(A) is rows x cols; element (i, j) of op(A) */
    int64_t rows = trans == 'n' ? m : n, cols = trans == 'n' ? n : m;
    int64_t s_i = trans == 'n' ? lda : 1, s_j = trans == 'n' ? 1 : lda;
    for (int64_t i = 0; i < rows; i++) {
        REAL s = 0;
        for (int64_t j = 0; j < cols; j++)
            s += a[i * s_i + j * s_j] * x[j * incx];
        REAL *yi = &y[i * incy];
        *yi = beta == 0 ? (REAL)(alpha * s) : (REAL)(beta * *yi + alpha * s);
    }
}

static void SFX(ger_ref)(int64_t m, int64_t n, REAL alpha, const REAL *x, int64_t incx,
                         const REAL *y, int64_t incy, REAL *a, int64_t lda)
{
    for (int64_t i = 0; i < m; i++) {
        REAL ax = (REAL)(alpha * x[i * incx]);
        REAL *row = a + i * lda;
        for (int64_t j = 0; j < n; j++)
            row[j] += ax * y[j * incy];
    }
}

static REAL SFX(dot_ref)(int64_t n, const REAL *x, int64_t incx, const REAL *y, int64_t incy)
{
    REAL s = 0;
    for (int64_t i = 0; i < n; i++)
        s += x[i * incx] * y[i * incy];
    return s;
}

static void SFX(axpy_ref)(int64_t n, REAL alpha, const REAL *x, int64_t incx, REAL *y,
                          int64_t incy)
{
    for (int64_t i = 0; i < n; i++)
        y[i * incy] += alpha * x[i * incx];
}
