/* gemm_avx512.c: Ember's AVX-512 sgemm and dgemm (see gemm_avx512.h).
 *
 * Why our own: OpenBLAS 0.3.21 on this machine runs its AVX2 (Haswell)
 * kernels, and the tutorial ConvNet's products are small and oddly shaped
 * (64 x 48..156 x 1600, 800 x 100 x 64, ...), where a plain register-blocked
 * AVX-512 kernel does better.  blas.c decides when to call it.
 *
 * The typed code is gemm_avx512_impl.h, included for float and for double.
 * Everything after the `target` pragma below is compiled for AVX-512F
 * whatever the build flags, so only gemm_avx512_available() may run on any
 * CPU; it sits above the pragma for that reason. */
#include "gemm_avx512.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

int gemm_avx512_available(void)
{
    /* threads may race to fill it in: they all store the same value */
    static atomic_int known = -1;
    int v = atomic_load_explicit(&known, memory_order_relaxed);
    if (v < 0) {
        __builtin_cpu_init();
        v = __builtin_cpu_supports("avx512f") ? 1 : 0;
        atomic_store_explicit(&known, v, memory_order_relaxed);
    }
    return v;
}

#pragma GCC push_options
#pragma GCC target("avx512f")
#include <immintrin.h>

/* Rows of C per microkernel tile (both types). */
#define GEMM_MR 8

/* ---- per-thread packing buffer ------------------------------------------ */

/* One buffer per thread, as blas.c runs gemm on several pool threads at
 * once: it is allocated on the thread's first call and freed by the key's
 * destructor when the thread exits.  Its size fits both types: the B block
 * (KC x NC) plus one edge A tile (KC x MR). */
#define BUF_BYTES (256 * 480 * 4 + 256 * GEMM_MR * 8 + 64)

static pthread_key_t buf_key;
static pthread_once_t buf_once = PTHREAD_ONCE_INIT;
static int buf_key_ok;

static void buf_key_init(void) { buf_key_ok = pthread_key_create(&buf_key, free) == 0; }

static void *gemm_buffer(void)
{
    pthread_once(&buf_once, buf_key_init);
    if (!buf_key_ok) return NULL;
    void *p = pthread_getspecific(buf_key);
    if (!p) {
        p = aligned_alloc(64, BUF_BYTES);
        if (p && pthread_setspecific(buf_key, p) != 0) {
            free(p);
            p = NULL;
        }
    }
    return p;
}

/* ---- transposes in registers -------------------------------------------- */

/* r[i] = row i of a 16 x 16 float block -> r[i] = column i.  Three rounds:
 * pairs of elements, pairs of pairs (as doubles), then 128-bit lanes. */
static inline __attribute__((always_inline)) void transpose_f32(__m512 r[16])
{
    __m512 t[16], u[16];
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    /* u[4i + x], 128-bit lane L: column 4L + x, rows 4i .. 4i+3 */
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        __m512d a0 = _mm512_castps_pd(t[4 * i]), a1 = _mm512_castps_pd(t[4 * i + 1]);
        __m512d a2 = _mm512_castps_pd(t[4 * i + 2]), a3 = _mm512_castps_pd(t[4 * i + 3]);
        u[4 * i + 0] = _mm512_castpd_ps(_mm512_unpacklo_pd(a0, a2));
        u[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a0, a2));
        u[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(a1, a3));
        u[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(a1, a3));
    }
    /* column 4L + x = lane L of u[x], u[4 + x], u[8 + x], u[12 + x] */
#pragma GCC unroll 4
    for (int x = 0; x < 4; x++) {
        __m512 v0 = _mm512_shuffle_f32x4(u[x], u[4 + x], 0x44);
        __m512 v1 = _mm512_shuffle_f32x4(u[x], u[4 + x], 0xEE);
        __m512 v2 = _mm512_shuffle_f32x4(u[8 + x], u[12 + x], 0x44);
        __m512 v3 = _mm512_shuffle_f32x4(u[8 + x], u[12 + x], 0xEE);
        r[x] = _mm512_shuffle_f32x4(v0, v2, 0x88);
        r[4 + x] = _mm512_shuffle_f32x4(v0, v2, 0xDD);
        r[8 + x] = _mm512_shuffle_f32x4(v1, v3, 0x88);
        r[12 + x] = _mm512_shuffle_f32x4(v1, v3, 0xDD);
    }
}

/* The same for an 8 x 8 double block: pairs, then 128-bit lanes. */
static inline __attribute__((always_inline)) void transpose_f64(__m512d r[8])
{
    __m512d t[8];
    /* t[2i + x], lane L: column 2L + x, rows 2i, 2i+1 */
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm512_unpacklo_pd(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_pd(r[2 * i], r[2 * i + 1]);
    }
#pragma GCC unroll 2
    for (int x = 0; x < 2; x++) {
        __m512d v0 = _mm512_shuffle_f64x2(t[x], t[2 + x], 0x44);
        __m512d v1 = _mm512_shuffle_f64x2(t[x], t[2 + x], 0xEE);
        __m512d v2 = _mm512_shuffle_f64x2(t[4 + x], t[6 + x], 0x44);
        __m512d v3 = _mm512_shuffle_f64x2(t[4 + x], t[6 + x], 0xEE);
        r[x] = _mm512_shuffle_f64x2(v0, v2, 0x88);
        r[2 + x] = _mm512_shuffle_f64x2(v0, v2, 0xDD);
        r[4 + x] = _mm512_shuffle_f64x2(v1, v3, 0x88);
        r[6 + x] = _mm512_shuffle_f64x2(v1, v3, 0xDD);
    }
}

/* ---- the two types ------------------------------------------------------- */

/* KC: k per step (the A tile, 8 x KC, stays in L1; C is read and written
 * once per step).  NC: B block width, a multiple of 3 * VL, so the packed
 * block (KC x NC, 0.5 MB) fits L2 (1 MB per core). */
#define REAL float
#define SFX(n) n##_f32
#define VL 16
#define VEC __m512
#define MASK __mmask16
#define KC 256
#define NC 480
#define V_ZERO() _mm512_setzero_ps()
#define V_SET1(x) _mm512_set1_ps(x)
#define V_LOAD(p) _mm512_loadu_ps(p)
#define V_STORE(p, v) _mm512_storeu_ps(p, v)
#define V_MLOAD(m, p) _mm512_maskz_loadu_ps(m, p)
#define V_MSTORE(p, m, v) _mm512_mask_storeu_ps(p, m, v)
#define V_FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define V_MUL(a, b) _mm512_mul_ps(a, b)
#include "gemm_avx512_impl.h"

#define REAL double
#define SFX(n) n##_f64
#define VL 8
#define VEC __m512d
#define MASK __mmask8
#define KC 256
#define NC 240
#define V_ZERO() _mm512_setzero_pd()
#define V_SET1(x) _mm512_set1_pd(x)
#define V_LOAD(p) _mm512_loadu_pd(p)
#define V_STORE(p, v) _mm512_storeu_pd(p, v)
#define V_MLOAD(m, p) _mm512_maskz_loadu_pd(m, p)
#define V_MSTORE(p, m, v) _mm512_mask_storeu_pd(p, m, v)
#define V_FMA(a, b, c) _mm512_fmadd_pd(a, b, c)
#define V_MUL(a, b) _mm512_mul_pd(a, b)
#include "gemm_avx512_impl.h"

#pragma GCC pop_options
