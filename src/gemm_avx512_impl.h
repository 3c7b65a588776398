/* gemm_avx512_impl.h: the AVX-512 gemm for one element type, included by
 * gemm_avx512.c once per type with REAL, SFX(name), VL (elements per zmm),
 * VEC and MASK (vector and mask types), the V_* intrinsics, SFX(transpose)
 * (VL x VL in registers) and the block sizes KC and NC defined.  Static
 * functions only, plus the public gemm_avx512_<sfx>.  Undefines all of those
 * parameters at its end.
 *
 * The shape of the computation (row-major C, vectors along C's rows):
 *
 *   for pc in equal steps of at most KC over k (C is updated once per step)
 *     for jc in steps of NC over n
 *       pack B[pc.., jc..] (kc x nc) into panels of NR = 3 * VL columns,
 *         k-major and zero-padded to a multiple of VL: up to 0.5 MB, in L2
 *         (B transposed is turned VL x VL blocks at a time in registers)
 *       for each tile of MR = 8 rows of C
 *         for each panel: microkernel, C tile (8 x NR) += A tile . panel
 *
 * The microkernel keeps the 8 x 3 zmm sums of its tile in registers (24
 * accumulators; 3 more hold B's row, 1 the broadcast A element).  A is read
 * in place (both transposes give a cheap address pattern), so the tile's 8
 * rows x kc stay in L1 while the panels stream from L2; only a tile with
 * fewer than 8 rows is copied (zero-padded).  A narrower last panel runs the
 * 1- or 2-vector kernel and masks its last vector.
 *
 * Every element of C gets the same sequence of operations wherever it sits
 * (the k steps depend on k alone; padded rows and lanes are separate lanes),
 * so a block of C computed by a call of its own has the same bits as inside
 * a larger call. */

#define NR (3 * VL)

/* the first w lanes of a vector, 1 <= w <= VL */
static inline MASK SFX(lanes)(int64_t w) { return (MASK)((1u << w) - 1); }

/* ---- microkernel -------------------------------------------------------- */

/* C[0..mr, 0..(NV-1)*VL + popcount(last)] = alpha * op(A) tile . panel
 * + (first ? beta : 1) * C, over kc steps.  at == 0: element (r, p) of the
 * A tile is a[r * lda + p]; at == 1: a[p * lda + r].  bp is the packed panel,
 * kc rows of NV * VL.  With mr < MR, a is a zero-padded copy (pack_a)
 * whose extra rows are computed but not stored.  NV and at are constants
 * after inlining, so the loops unroll and acc stays in registers. */
static inline __attribute__((always_inline)) void
SFX(micro)(const int NV, const int at, int64_t kc, const REAL *a, int64_t lda,
           const REAL *bp, REAL *c, int64_t ldc, int mr, MASK last, REAL alpha,
           REAL beta, int first)
{
    VEC acc[GEMM_MR][3];
#pragma GCC unroll 8
    for (int r = 0; r < GEMM_MR; r++)
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) acc[r][v] = V_ZERO();
    /* the C tile is read at the end (unless first and beta == 0): start
     * bringing it in now, one cache line per vector */
    if (!first || beta != 0)
#pragma GCC unroll 8
        for (int r = 0; r < GEMM_MR; r++)
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++)
                if (r < mr) _mm_prefetch((const char *)(c + r * ldc + v * VL), _MM_HINT_T0);
    if (at == 0) {
        /* 8 row pointers walked by one index: 8 sequential streams */
        const REAL *ar[GEMM_MR];
#pragma GCC unroll 8
        for (int r = 0; r < GEMM_MR; r++) ar[r] = a + r * lda;
        for (int64_t p = 0; p < kc; p++) {
            VEC bv[3];
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++) bv[v] = V_LOAD(bp + v * VL);
#pragma GCC unroll 8
            for (int r = 0; r < GEMM_MR; r++) {
                VEC x = V_SET1(ar[r][p]);
#pragma GCC unroll 3
                for (int v = 0; v < NV; v++) acc[r][v] = V_FMA(x, bv[v], acc[r][v]);
            }
            bp += NV * VL;
        }
    } else {
        for (int64_t p = 0; p < kc; p++) {
            VEC bv[3];
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++) bv[v] = V_LOAD(bp + v * VL);
#pragma GCC unroll 8
            for (int r = 0; r < GEMM_MR; r++) {
                VEC x = V_SET1(a[r]);
#pragma GCC unroll 3
                for (int v = 0; v < NV; v++) acc[r][v] = V_FMA(x, bv[v], acc[r][v]);
            }
            bp += NV * VL;
            a += lda;
        }
    }
    /* One rounding per update (fma): alpha * sum + beta * C, or + C on the
     * later k steps.  beta == 0 on the first step never loads C. */
    VEC va = V_SET1(alpha), vb = V_SET1(beta);
    int mode = !first ? 1 : beta == 0 ? 0 : 2;
#pragma GCC unroll 8
    for (int r = 0; r < GEMM_MR; r++) {
        if (r >= mr) break;
        REAL *cr = c + r * ldc;
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) {
            MASK mk = v == NV - 1 ? last : (MASK)~0;
            VEC out;
            if (mode == 0) out = V_MUL(va, acc[r][v]);
            else {
                VEC cv = V_MLOAD(mk, cr + v * VL);
                if (mode == 2) cv = V_MUL(vb, cv);
                out = V_FMA(va, acc[r][v], cv);
            }
            V_MSTORE(cr + v * VL, mk, out);
        }
    }
}

typedef void (*SFX(Kernel))(int64_t kc, const REAL *a, int64_t lda, const REAL *bp, REAL *c,
                            int64_t ldc, int mr, MASK last, REAL alpha, REAL beta, int first);

#define KERNEL(name, NV, AT)                                                          \
    static void SFX(name)(int64_t kc, const REAL *a, int64_t lda, const REAL *bp,     \
                          REAL *c, int64_t ldc, int mr, MASK last, REAL alpha,        \
                          REAL beta, int first)                                       \
    {                                                                                 \
        SFX(micro)(NV, AT, kc, a, lda, bp, c, ldc, mr, last, alpha, beta, first);     \
    }
KERNEL(kern_n1, 1, 0)
KERNEL(kern_n2, 2, 0)
KERNEL(kern_n3, 3, 0)
KERNEL(kern_t1, 1, 1)
KERNEL(kern_t2, 2, 1)
KERNEL(kern_t3, 3, 1)
#undef KERNEL

/* [at][NV - 1] */
static const SFX(Kernel) SFX(kernels)[2][3] = {
    {SFX(kern_n1), SFX(kern_n2), SFX(kern_n3)},
    {SFX(kern_t1), SFX(kern_t2), SFX(kern_t3)},
};

/* ---- packing ------------------------------------------------------------ */

/* Packs op(B)[pc .. pc+kc, jc .. jc+nc] into panels of NR columns: the panel
 * at column j (a multiple of NR) starts at dst + j * kc and holds kc rows of
 * w = min(NR, nc - j) values zero-padded to W = VL * ceil(w / VL). */
static void SFX(pack_b)(char tb, const REAL *b, int64_t ldb, int64_t pc, int64_t jc,
                        int64_t kc, int64_t nc, REAL *dst)
{
    for (int64_t j = 0; j < nc; j += NR) {
        int64_t w = nc - j < NR ? nc - j : NR;
        int nv = (int)((w + VL - 1) / VL);
        int64_t W = nv * VL;
        REAL *d = dst + j * kc;
        if (tb == 'n') {
            /* row p of the panel is a piece of B's row pc + p */
            const REAL *s = b + pc * ldb + jc + j;
            for (int64_t p = 0; p < kc; p++, s += ldb, d += W)
                for (int v = 0; v < nv; v++) {
                    int64_t left = w - v * VL;
                    MASK mk = left >= VL ? (MASK)~0 : SFX(lanes)(left);
                    V_STORE(d + v * VL, V_MLOAD(mk, s + v * VL));
                }
        } else {
            /* column q of op(B) is B's row jc + j + q: read VL of them VL
             * elements at a time and transpose in registers */
            for (int v = 0; v < nv; v++) {
                int64_t rows = w - v * VL < VL ? w - v * VL : VL;
                const REAL *s = b + (jc + j + v * VL) * ldb + pc;
                for (int64_t p0 = 0; p0 < kc; p0 += VL) {
                    int64_t np = kc - p0 < VL ? kc - p0 : VL;
                    MASK mk = SFX(lanes)(np);
                    VEC t[VL];
                    REAL *o = d + p0 * W + v * VL;
                    /* unrolled so that t lives in registers; full blocks
                     * (nearly all) without the edge tests */
                    if (rows == VL && np == VL) {
                        /* hide sp's progress from the compiler, which would
                         * otherwise keep 16 row pointers and spill them */
                        const REAL *sp = s + p0;
                        __asm__("" : "+r"(sp));
#pragma GCC unroll 16
                        for (int q = 0; q < VL; q++) t[q] = V_LOAD(sp + q * ldb);
                        SFX(transpose)(t);
#pragma GCC unroll 16
                        for (int q = 0; q < VL; q++) V_STORE(o + q * W, t[q]);
                        continue;
                    }
#pragma GCC unroll 16
                    for (int q = 0; q < VL; q++)
                        t[q] = q < rows ? V_MLOAD(mk, s + q * ldb + p0) : V_ZERO();
                    SFX(transpose)(t);
#pragma GCC unroll 16
                    for (int q = 0; q < VL; q++)
                        if (q < np) V_STORE(o + q * W, t[q]);
                }
            }
        }
    }
}

/* An A tile of mr < MR rows, as at == 1 with lda = MR: dst[p * MR + r],
 * rows r >= mr zero. */
static void SFX(pack_a)(char ta, const REAL *a, int64_t lda, int64_t i0, int64_t pc, int mr,
                        int64_t kc, REAL *dst)
{
    if (ta == 't') {
        /* row p of the tile is a piece of A's row pc + p: a masked copy
         * (the masked-off lanes are neither read nor, past MR, written) */
        MASK mk = SFX(lanes)(mr), keep = SFX(lanes)(GEMM_MR);
        for (int64_t p = 0; p < kc; p++)
            V_MSTORE(dst + p * GEMM_MR, keep, V_MLOAD(mk, a + (pc + p) * lda + i0));
        return;
    }
    /* A's rows i0 .. i0+mr run along p: one at a time, then the zero rows */
    for (int r = 0; r < GEMM_MR; r++) {
        const REAL *row = a + (i0 + r) * lda + pc;
        if (r < mr)
            for (int64_t p = 0; p < kc; p++) dst[p * GEMM_MR + r] = row[p];
        else
            for (int64_t p = 0; p < kc; p++) dst[p * GEMM_MR + r] = 0;
    }
}

/* ---- driver ------------------------------------------------------------- */

int SFX(gemm_avx512)(char ta, char tb, int64_t m, int64_t n, int64_t k, REAL alpha,
                     const REAL *a, int64_t lda, const REAL *b, int64_t ldb, REAL beta,
                     REAL *c, int64_t ldc)
{
    if (m <= 0 || n <= 0) return 0;
    if (k <= 0 || alpha == 0) {
        /* as BLAS: only C = beta * C, A and B unread */
        for (int64_t i = 0; i < m; i++)
            for (int64_t j = 0; j < n; j++)
                c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j];
        return 0;
    }
    REAL *bbuf = gemm_buffer();
    if (!bbuf) return -1;
    REAL *abuf = bbuf + KC * NC;
    /* k in equal steps of at most KC (1600 = 7 x 229, not 6 x 256 + 64) */
    int64_t steps = (k + KC - 1) / KC, kstep = (k + steps - 1) / steps;
    for (int64_t pc = 0; pc < k; pc += kstep) {
        int64_t kc = k - pc < kstep ? k - pc : kstep;
        for (int64_t jc = 0; jc < n; jc += NC) {
            int64_t nc = n - jc < NC ? n - jc : NC;
            SFX(pack_b)(tb, b, ldb, pc, jc, kc, nc, bbuf);
            for (int64_t i0 = 0; i0 < m; i0 += GEMM_MR) {
                int mr = m - i0 < GEMM_MR ? (int)(m - i0) : GEMM_MR;
                const REAL *at;
                int64_t alda = lda;
                int tr = ta == 't';
                if (mr < GEMM_MR) {
                    SFX(pack_a)(ta, a, lda, i0, pc, mr, kc, abuf);
                    at = abuf;
                    alda = GEMM_MR;
                    tr = 1;
                } else {
                    at = ta == 'n' ? a + i0 * lda + pc : a + pc * lda + i0;
                }
                REAL *ct = c + i0 * ldc + jc;
                for (int64_t j = 0; j < nc; j += NR) {
                    int64_t w = nc - j < NR ? nc - j : NR;
                    int nv = (int)((w + VL - 1) / VL);
                    MASK last = SFX(lanes)(w - (nv - 1) * VL);
                    SFX(kernels)[tr][nv - 1](kc, at, alda, bbuf + j * kc, ct + j, ldc, mr,
                                             last, alpha, beta, pc == 0);
                }
            }
        }
    }
    return 0;
}

#undef NR

/* the including file's parameters, ready for the next type */
#undef REAL
#undef SFX
#undef VL
#undef VEC
#undef MASK
#undef KC
#undef NC
#undef V_ZERO
#undef V_SET1
#undef V_LOAD
#undef V_STORE
#undef V_MLOAD
#undef V_MSTORE
#undef V_FMA
#undef V_MUL
