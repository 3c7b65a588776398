/* nn_act.c: transfer-function and softmax kernels (see nn_act.h); typed loops
 * in nn_act_impl.h. */
#include "nn_act.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>
#if defined(__FMA__) && defined(__AVX2__)
#include <immintrin.h>
#endif

#include "error.h"
#include "parallel.h"

/* ---- tanh, bit-identical to glibc ---------------------------------------------
 * Torch7 computed nn.Tanh with libm (tanh for Double, tanhf for Float), so its
 * numbers are glibc's; libm costs ~12 ns per element here, more than the
 * tutorial's convolutions that surround the first Tanh.  The kernels below
 * replay glibc 2.36's algorithm lane by lane, operation for operation, so they
 * return the same bits (tests/c/test_nn_act.c compares them with libm):
 *
 *   tanh x = x (1 + x)                 |x| < 2^-55 (1 + x rounds to 1: x itself)
 *          = -t / (t + 2),             |x| < 1,  t = expm1(-2|x|)
 *          = 1 - 2 / (t + 2),          |x| < 22, t = expm1(2|x|)
 *          = 1 - tiny = 1              above,    then the sign of x
 *          = 1/x + 1 (x > 0), 1/x - 1  for x = +-inf (+-1) and NaN (x, quieted)
 *
 * glibc's tanh and tanhf (sysdeps/ieee754/{dbl-64,flt-32}/s_tanh*.c) are
 * fdlibm's; expm1 is fdlibm's s_expm1.c: x = k ln2 + r (hi/lo split with a
 * correction c), a rational approximation in hxs = r^2 / 2, then one of five
 * reconstructions chosen by k.  For the arguments tanh passes, only these
 * occur: k in {0, -1, -2, -3} for expm1(-2|x|) in (-2, 0), and k in [3, 63]
 * for expm1(2|x|) in [2, 44).  All branches are computed in every lane and
 * blended, so a vector never branches; the lane keeps the branch glibc takes.
 * Each rounding happens in the same order as in glibc's machine code, because
 * one reordered or fused operation moves the last bit:
 *  - double: libm's expm1 is an ifunc; on a CPU with FMA and AVX2 (this one)
 *    it runs __expm1_fma, the same C compiled with -mfma, where GCC fused 11
 *    of the multiply-adds on tanh's paths (marked FMA below, read off its
 *    disassembly; tanh itself is plain SSE2).  We replay that variant with
 *    explicit FMA intrinsics, so the kernel is only built when the compiler
 *    targets FMA and AVX2 (-march=native here), where glibc's resolver picks
 *    the same variant.  Otherwise libm is called.
 *  - float: expm1f and tanhf have no ifunc; plain SSE, evaluated as written
 *    (Horner), which the vector code repeats.  This file is compiled with
 *    -std=c11, i.e. -ffp-contract=off, so GCC fuses nothing by itself.
 * Assumes the default rounding mode (glibc's 1 - tiny and huge + x depend on
 * it), as all of Ember does.  A self-check at first use (below) falls back to
 * libm if the libm this process runs computes otherwise.
 * Speed (50,176 elements, Zen 4, AVX-512, busy machine, medians): Double
 * 17.7 -> 2.8 ns per element, Float 17.5 -> 1.5; instructions per element
 * (callgrind, AVX2 build) 113 -> 40 and 115 -> 20.5.  The two divisions per
 * lane (expm1's and tanh's) are glibc's and must stay. */

/* Lane selection: m is all ones where the first value is wanted. */
#define SEL(m, a, b, T, L) ((T)(((m) & (L)(a)) | (~(m) & (L)(b))))

#if defined(__FMA__) && defined(__AVX2__)

/* DW doubles per vector: 8 with AVX-512, else 4 (AVX2). */
#ifdef __AVX512F__
#define DW 8
#define FMA_PD(op) _mm512_##op##_pd
typedef __m512d MD;
#else
#define DW 4
#define FMA_PD(op) _mm256_##op##_pd
typedef __m256d MD;
#endif
typedef double VD __attribute__((vector_size(8 * DW)));
typedef int64_t VL __attribute__((vector_size(8 * DW)));
typedef uint64_t VUL __attribute__((vector_size(8 * DW)));
typedef int32_t VDI __attribute__((vector_size(4 * DW)));

static inline VD vfma(VD a, VD b, VD c)    /* a*b + c, one rounding */
{ return (VD)FMA_PD(fmadd)((MD)a, (MD)b, (MD)c); }
static inline VD vfnma(VD a, VD b, VD c)   /* c - a*b */
{ return (VD)FMA_PD(fnmadd)((MD)a, (MD)b, (MD)c); }
static inline VD vfms(VD a, VD b, VD c)    /* a*b - c */
{ return (VD)FMA_PD(fmsub)((MD)a, (MD)b, (MD)c); }

#define SELD(m, a, b) SEL(m, a, b, VD, VL)

/* In place on *v: glibc's tanh of DW doubles. */
static inline __attribute__((always_inline)) void tanh_lanes_f64(VD *v)
{
    const VD x = *v;
    const VL bits = (VL)x;
    const VL sign = bits & INT64_MIN;
    const VL ix = (bits >> 32) & 0x7fffffff;   /* high word of |x| */
    const VD ax = (VD)(bits & INT64_MAX);
    const VL small = ix < 0x3ff00000;          /* |x| < 1 */
    /* expm1 runs for 2^-55 <= |x| < 22 only; other lanes get a harmless 1 */
    const VL live = (ix >= 0x3c800000) & (ix < 0x40360000);
    const VD zero = {0}, one = zero + 1;
    /* -2|x| (glibc: |x| * -2) or 2|x| (|x| + |x|): both exact, same bits */
    VD y = SELD(live, (VD)((VL)(ax + ax) | (small & INT64_MIN)), one);
    const VL neg = (VL)y < 0;

    /* ---- expm1(y): argument reduction y = k ln2 + (r - c) */
    const VL hy = ((VL)y >> 32) & 0x7fffffff;
    const VL reduce = hy > 0x3fd62e42;          /* |y| > ln2 / 2 */
    const VL near = hy < 0x3ff0a2b2;            /* |y| < 1.5 ln2: k = -+1 */
    const VD half = zero + 0.5;
    const VD ln2hi = zero + 6.93147180369123816490e-01;   /* glibc's constants */
    const VD ln2lo = zero + 1.90821492927058770002e-10;
    /* general k: (int)(y / ln2 +- 0.5), multiply and add rounded apart */
    VD kf = y * 1.44269504088896338700e+00 + SELD(neg, -half, half);
    VDI k32 = __builtin_convertvector(kf, VDI);              /* truncates */
    VD t = __builtin_convertvector(k32, VD);
    VL k = __builtin_convertvector(k32, VL);
    VD hi = vfnma(t, ln2hi, y);                             /* FMA (exact) */
    VD lo = t * ln2lo;
    /* |y| < 1.5 ln2: k = -+1 without a multiply */
    hi = SELD(near, SELD(neg, y + ln2hi, y - ln2hi), hi);
    lo = SELD(near, SELD(neg, -ln2lo, ln2lo), lo);
    k = SEL(near, neg | 1, k, VL, VL);                     /* -1 or 1 */
    VD rr = hi - lo;
    VD c = (hi - rr) - lo;
    const VD r = SELD(reduce, rr, y);
    k = reduce & k;                                          /* else k = 0 */

    /* ---- rational approximation (glibc's grouping, with its FMAs) */
    const VD hfx = r * 0.5;
    const VD hxs = r * hfx;
    const VD Q1 = zero + -3.33333333333331316428e-02, Q2 = zero + 1.58730158725481460165e-03,
              Q3 = zero + -7.93650757867487942473e-05, Q4 = zero + 4.00821782732936239552e-06,
              Q5 = zero + -2.01099218183624371326e-07;
    const VD R2 = vfma(hxs, Q3, Q2);                        /* FMA */
    const VD R3 = vfma(hxs, Q5, Q4);                        /* FMA */
    const VD h2 = hxs * hxs;
    const VD R1 = vfma(hxs, Q1, one);                       /* FMA */
    const VD h4 = h2 * h2;
    const VD r1 = vfma(h4, R3, vfma(h2, R2, R1));           /* FMA, FMA */
    const VD three = zero + 3, six = zero + 6;
    VD tt = vfnma(r1, hfx, three);                          /* FMA */
    VD e = (r1 - tt) / vfnma(r, tt, six) * hxs;             /* FMA */

    /* ---- reconstruction by k */
    const VD res0 = r - vfms(e, r, hxs);                    /* k = 0; FMA */
    e = vfms(e - c, r, c) - hxs;                             /* FMA */
    const VD resm1 = vfma(r - e, half, -half);              /* k = -1; FMA */
    const VUL kexp = (VUL)k << 52;                           /* k added to the exponent */
    /* k <= -2 or k > 56: 2^k (1 - (e - r)) - 1 */
    const VD ra = (VD)((VUL)(one - (e - r)) + kexp) - one;
    /* 1 < k < 20: 2^k ((1 - 2^-k) - (e - r)) */
    const VL one_bits = (VL)one;
    const VD tb = (VD)(one_bits - (((VL)zero + 0x200000) >> (k & 31) << 32));
    const VD rb = (VD)((VUL)(tb - (e - r)) + kexp);
    /* 20 <= k <= 56: 2^k ((r - (e + 2^-k)) + 1) */
    const VD tc = (VD)((0x3ff - k) << 52);
    const VD rc = (VD)((VUL)((r - (e + tc)) + one) + kexp);
    VD em1 = SELD((k <= -2) | (k > 56), ra, SELD(k < 20, rb, rc));
    em1 = SELD(k == -1, resm1, em1);
    em1 = SELD(k == 0, res0, em1);

    /* ---- tanh: one division serves all three uses of one */
    const VD two = zero + 2;
    const VL special = ix >= 0x7ff00000;                    /* inf, NaN */
    VD num = SELD(small, -em1, two), den = em1 + two;
    num = SELD(special, one, num);
    den = SELD(special, x, den);
    const VD q = num / den;
    VD z = SELD(small, q, one - q);
    z = SELD(ix >= 0x40360000, one, z);                      /* 1 - tiny */
    z = (VD)((VL)z ^ sign);
    z = SELD(special, q + (VD)((VL)one | sign), z);        /* 1/x +- 1 */
    z = SELD(ix < 0x3c800000, x * (one + x), z);             /* tiny and +-0 */
    *v = z;
}

static void tanh_vec_f64(const double *in, double *out, int64_t n)
{
    int64_t k = 0;
    for (; k + DW <= n; k += DW) {
        VD v;
        memcpy(&v, in + k, sizeof v);
        tanh_lanes_f64(&v);
        memcpy(out + k, &v, sizeof v);
    }
    if (k < n) {   /* tail: padded, each lane independent of the others */
        double buf[DW] = {0};
        memcpy(buf, in + k, (size_t)(n - k) * sizeof(double));
        VD v;
        memcpy(&v, buf, sizeof v);
        tanh_lanes_f64(&v);
        memcpy(buf, &v, sizeof v);
        memcpy(out + k, buf, (size_t)(n - k) * sizeof(double));
    }
}
#define TANH_VEC_F64 1
#else
/* Without FMA in the target we cannot replay __expm1_fma (which glibc picks on
 * any FMA machine): tanh_exact_f64 calls libm itself. */
#define TANH_VEC_F64 0
#endif

/* Float: 16 lanes with AVX-512, 8 with AVX, else 4 (plain SSE2). */
#ifdef __AVX512F__
#define FW 16
#elif defined(__AVX__)
#define FW 8
#else
#define FW 4
#endif
typedef float VF __attribute__((vector_size(4 * FW)));
typedef int32_t VI __attribute__((vector_size(4 * FW)));
typedef uint32_t VU __attribute__((vector_size(4 * FW)));
#define SELF(m, a, b) SEL(m, a, b, VF, VI)

static inline VF vf(float a)   /* broadcast */
{
    VF v;
    for (int i = 0; i < FW; i++) v[i] = a;
    return v;
}

/* In place on *v: glibc's tanhf of FW floats (all in float, no FMA). */
static inline __attribute__((always_inline)) void tanh_lanes_f32(VF *v)
{
    const VF x = *v;
    const VI bits = (VI)x;
    const VI sign = bits & INT32_MIN;
    const VI ix = bits & 0x7fffffff;
    const VF ax = (VF)ix;
    const VI small = ix < 0x3f800000;                        /* |x| < 1 */
    const VI live = (ix >= 0x24000000) & (ix < 0x41b00000);  /* 2^-55 .. 22 */
    const VF one = vf(1), half = vf(0.5f);
    VF y = SELF(live, (VF)((VI)(ax + ax) | (small & INT32_MIN)), one);
    const VI neg = (VI)y < 0;

    /* ---- expm1f(y) */
    const VI hy = (VI)y & 0x7fffffff;
    const VI tiny = hy < 0x33000000;                         /* |y| < 2^-25: y */
    const VI reduce = hy > 0x3eb17218;
    const VI near = hy < 0x3f851592;
    const VF ln2hi = vf(6.9313812256e-01f), ln2lo = vf(9.0580006145e-06f);
    VF kf = y * 1.4426950216e+00f + SELF(neg, -half, half);
    VI k = __builtin_convertvector(kf, VI);                  /* truncates */
    VF t = __builtin_convertvector(k, VF);
    VF hi = y - t * ln2hi;                                   /* exact */
    VF lo = t * ln2lo;
    hi = SELF(near, SELF(neg, y + ln2hi, y - ln2hi), hi);
    lo = SELF(near, SELF(neg, -ln2lo, ln2lo), lo);
    k = SEL(near, neg | 1, k, VI, VI);
    VF rr = hi - lo;
    VF c = (hi - rr) - lo;
    const VF r = SELF(reduce, rr, y);
    k = reduce & k;

    const VF hfx = 0.5f * r;
    const VF hxs = r * hfx;
    /* Horner from Q5 down, as in s_expm1f.c */
    VF r1 = hxs * -2.0109921195e-07f + 4.0082177293e-06f;
    r1 = r1 * hxs + -7.9365076090e-05f;
    r1 = r1 * hxs + 1.5873016091e-03f;
    r1 = r1 * hxs + -3.3333335072e-02f;
    r1 = r1 * hxs + 1;
    VF tt = 3.0f - r1 * hfx;
    VF e = hxs * ((r1 - tt) / (6.0f - r * tt));

    const VF res0 = r - (r * e - hxs);                       /* k = 0 */
    e = (r * (e - c) - c) - hxs;
    const VF resm1 = 0.5f * (r - e) - 0.5f;                  /* k = -1 */
    const VU kexp = (VU)k << 23;
    const VF ra = (VF)((VU)(1.0f - (e - r)) + kexp) - 1.0f;  /* k <= -2, k > 56 */
    const VF tb = (VF)(0x3f800000 - (((VI)vf(0) + 0x1000000) >> (k & 31)));
    const VF rb = (VF)((VU)(tb - (e - r)) + kexp);           /* 1 < k < 23 */
    const VF tc = (VF)((0x7f - k) << 23);
    const VF rc = (VF)((VU)((r - (e + tc)) + 1.0f) + kexp);  /* 23 <= k <= 56 */
    VF em1 = SELF((k <= -2) | (k > 56), ra, SELF(k < 23, rb, rc));
    em1 = SELF(k == -1, resm1, em1);
    em1 = SELF(k == 0, res0, em1);
    em1 = SELF(tiny, y, em1);

    /* ---- tanhf */
    const VI special = ix >= 0x7f800000;
    VF num = SELF(small, -em1, vf(2)), den = em1 + 2.0f;
    num = SELF(special, one, num);
    den = SELF(special, x, den);
    const VF q = num / den;
    VF z = SELF(small, q, one - q);
    z = SELF(ix >= 0x41b00000, one, z);
    z = (VF)((VI)z ^ sign);
    z = SELF(special, q + (VF)((VI)one | sign), z);
    z = SELF(ix < 0x24000000, x * (one + x), z);
    *v = z;
}

static void tanh_vec_f32(const float *in, float *out, int64_t n)
{
    int64_t k = 0;
    for (; k + FW <= n; k += FW) {
        VF v;
        memcpy(&v, in + k, sizeof v);
        tanh_lanes_f32(&v);
        memcpy(out + k, &v, sizeof v);
    }
    if (k < n) {
        float buf[FW] = {0};
        memcpy(buf, in + k, (size_t)(n - k) * sizeof(float));
        VF v;
        memcpy(&v, buf, sizeof v);
        tanh_lanes_f32(&v);
        memcpy(buf, &v, sizeof v);
        memcpy(out + k, buf, (size_t)(n - k) * sizeof(float));
    }
}

/* The kernels replay one glibc (2.36, fdlibm's tanh; FMA expm1 for double).
 * Another glibc may compute tanh otherwise (newer ones have correctly
 * rounded tanhf, say), and then "Torch7's numbers" are that libm's.  So before
 * first use each kernel is checked against the libm this process runs, on a
 * fixed spread of inputs through every branch (2^-60 .. 2^8, both signs,
 * +-0, +-inf, NaN); on any difference tanh_exact uses libm from then on.
 * The check is deterministic and idempotent, so racing threads agree. */
enum { TANH_PROBE = 1536 };

static uint64_t probe_next(uint64_t *s)   /* xorshift64 */
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int tanh_check_f64(void)
{
#if TANH_VEC_F64
    double x[TANH_PROBE], y[TANH_PROBE];   /* 24 KB of stack, no shared state */
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < TANH_PROBE; i++) {
        uint64_t r = probe_next(&s);
        /* biased exponents 0x3c3 .. 0x406: |x| in [2^-60, 2^8) */
        uint64_t e = 0x3c3 + (r >> 52) % 68;
        uint64_t b = (r & 0x800fffffffffffffu) | e << 52;
        memcpy(&x[i], &b, sizeof b);
    }
    /* specials, then inputs whose tanh changes when expm1 is built without
     * FMA (glibc's SSE2 variant): only ~1.4e-4 of inputs differ, so random
     * probes alone would miss a machine where glibc picks that variant */
    const double sp[] = {
        0.0, -0.0, INFINITY, -INFINITY, NAN, 0x1p-1070,
        -0x1.ad05ede842f14p-3, -0x1.c5534293ad291p-4, -0x1.abb887981f8aep-4,
        0x1.a1a348cd1779p-3, 0x1.a63e7b89a49fbp-4, -0x1.73e75c22e78fdp-3,
        0x1.122b273e8038ep-1, 0x1.190dddce4450bp-5, 0x1.e7530e45d70c9p-2,
        -0x1.e14d16bb7b6cdp-5, -0x1.146d483c22a3fp-6, 0x1.ae2aa8eda4b28p-1,
        0x1.01a2c300f955dp-6, -0x1.ec03bc5ae3dcbp+0, -0x1.ed633bb0fb133p-6,
        -0x1.c497edbb94574p-5, -0x1.baa6d35d87d7dp-7, 0x1.f9dcf2b4532b2p-2,
        0x1.1c18a916515b7p-1, 0x1.2d44fc8f78de4p+0, 0x1.f71a34417b9a5p-2};
    memcpy(x, sp, sizeof sp);
    tanh_vec_f64(x, y, TANH_PROBE);
    for (int i = 0; i < TANH_PROBE; i++) {
        double z = tanh(x[i]);
        if (memcmp(&z, &y[i], sizeof z) != 0) return -1;
    }
    return 1;
#else
    return -1;   /* no kernel built: libm */
#endif
}

static int tanh_check_f32(void)
{
    float x[TANH_PROBE], y[TANH_PROBE];
    uint64_t s = 0x2545f4914f6cdd1du;
    for (int i = 0; i < TANH_PROBE; i++) {
        uint32_t r = (uint32_t)(probe_next(&s) >> 16);
        uint32_t e = 0x43 + (r >> 23) % 68;   /* |x| in [2^-60, 2^8) */
        uint32_t b = (r & 0x807fffffu) | e << 23;
        memcpy(&x[i], &b, sizeof b);
    }
    /* specials, then inputs where glibc 2.36's tanhf is not correctly
     * rounded (a correctly rounded tanhf, as in later glibc, differs there) */
    const float sp[] = {
        0.0f, -0.0f, INFINITY, -INFINITY, NAN, 0x1p-140f,
        -0x1.1cca48p-8f, -0x1.8c6096p-8f, 0x1.0a33e4p-7f, 0x1.fe61b4p-7f, -0x1.6c42e2p-6f,
        0x1.7ffb0ep-6f, -0x1.6c5d8ap-5f, -0x1.27c1fap-5f, 0x1.16b994p-4f, 0x1.4fc29p-4f,
        -0x1.f47a16p-3f, 0x1.8bfce6p-3f, 0x1.9f9834p-2f, 0x1.54ef12p-2f, 0x1.b67054p-1f,
        -0x1.71574cp-1f};
    memcpy(x, sp, sizeof sp);
    tanh_vec_f32(x, y, TANH_PROBE);
    for (int i = 0; i < TANH_PROBE; i++) {
        float z = tanhf(x[i]);
        if (memcmp(&z, &y[i], sizeof z) != 0) return -1;
    }
    return 1;
}

/* Per type (0 float, 1 double): 0 = not checked yet, 1 = the kernel matches
 * libm, -1 = use libm.  Racing first calls compute the same answer. */
static _Atomic int tanh_state[2];

static int tanh_use_kernel(DType dt)
{
    _Atomic int *s = &tanh_state[dt == DT_DOUBLE];
    int ok = atomic_load_explicit(s, memory_order_relaxed);
    if (ok == 0) {
        ok = dt == DT_DOUBLE ? tanh_check_f64() : tanh_check_f32();
        atomic_store_explicit(s, ok, memory_order_relaxed);
    }
    return ok > 0;
}

static void tanh_exact_f64(const double *in, double *out, int64_t n)
{
#if TANH_VEC_F64
    if (tanh_use_kernel(DT_DOUBLE)) {
        tanh_vec_f64(in, out, n);
        return;
    }
#endif
    for (int64_t k = 0; k < n; k++) out[k] = tanh(in[k]);
}

static void tanh_exact_f32(const float *in, float *out, int64_t n)
{
    if (tanh_use_kernel(DT_FLOAT)) {
        tanh_vec_f32(in, out, n);
        return;
    }
    for (int64_t k = 0; k < n; k++) out[k] = tanhf(in[k]);
}

int nn_tanh_is_vectorised(DType dt)
{
    return (dt == DT_FLOAT || dt == DT_DOUBLE) && tanh_use_kernel(dt);
}

#define REAL float
#define SFX(n) n##_f32
#define EXP expf
#define TANH tanhf
#define SQRT sqrtf
#include "nn_act_impl.h"
#undef REAL
#undef SFX
#undef EXP
#undef TANH
#undef SQRT

#define REAL double
#define SFX(n) n##_f64
#define EXP exp
#define TANH tanh
#define SQRT sqrt
#include "nn_act_impl.h"
#undef REAL
#undef SFX
#undef EXP
#undef TANH
#undef SQRT

static int bad_type(DType dt)
{
    return th_seterror("nn kernels need a FloatTensor or DoubleTensor, got a %sTensor",
                       dtype_name(dt));
}

#define DISPATCH(dt, call_f32, call_f64)              \
    switch (dt) {                                     \
    case DT_FLOAT: call_f32; return 0;                \
    case DT_DOUBLE: call_f64; return 0;               \
    default: return bad_type(dt);                     \
    }

/* Tensors from this many elements (4 MB of Float, past the caches) are cut
 * in two halves for the pool.  Each element is computed alone, so the cut
 * cannot change a bit.  Smaller ones stay on the caller: at the tutorial's
 * first Tanh (50,176 elements, produced by the caller's convolution and read
 * by its pooling next) the halves measured slower on 2 threads than one
 * pass, the worker's half crossing between the cores twice. */
#ifndef TANH_SPLIT_MIN
#define TANH_SPLIT_MIN (1024 * 1024)
#endif

typedef struct TanhJob {
    DType dt;
    const char *in;
    char *out;
    int64_t n;
} TanhJob;

static void tanh_task(void *p, int64_t t)
{
    const TanhJob *j = p;
    int64_t half = j->n / 2 - j->n / 2 % 64, lo = t ? half : 0, hi = t ? j->n : half;
    size_t es = dtype_size(j->dt);
    if (j->dt == DT_FLOAT)
        tanh_forward_f32((const float *)(j->in + lo * es), (float *)(j->out + lo * es), hi - lo);
    else
        tanh_forward_f64((const double *)(j->in + lo * es), (double *)(j->out + lo * es), hi - lo);
}

int nn_tanh_forward(DType dt, const void *in, void *out, int64_t n)
{
    if ((dt == DT_FLOAT || dt == DT_DOUBLE) && n >= TANH_SPLIT_MIN) {
        TanhJob j = {dt, in, out, n};
        parallel_for(2, 2, tanh_task, &j);
        return 0;
    }
    DISPATCH(dt, tanh_forward_f32(in, out, n), tanh_forward_f64(in, out, n))
}

int nn_tanh_forward_naive(DType dt, const void *in, void *out, int64_t n)
{
    DISPATCH(dt, tanh_forward_naive_f32(in, out, n), tanh_forward_naive_f64(in, out, n))
}

int nn_tanh_backward(DType dt, const void *gout, void *gin, const void *out, int64_t n)
{
    DISPATCH(dt, tanh_backward_f32(gout, gin, out, n), tanh_backward_f64(gout, gin, out, n))
}

int nn_sigmoid_forward(DType dt, const void *in, void *out, int64_t n)
{
    DISPATCH(dt, sigmoid_forward_f32(in, out, n), sigmoid_forward_f64(in, out, n))
}

int nn_sigmoid_forward_naive(DType dt, const void *in, void *out, int64_t n)
{
    DISPATCH(dt, sigmoid_forward_naive_f32(in, out, n), sigmoid_forward_naive_f64(in, out, n))
}

int nn_sigmoid_backward(DType dt, const void *gout, void *gin, const void *out, int64_t n)
{
    DISPATCH(dt, sigmoid_backward_f32(gout, gin, out, n), sigmoid_backward_f64(gout, gin, out, n))
}

int nn_threshold_forward(DType dt, const void *in, void *out, int64_t n, double th, double val)
{
    DISPATCH(dt, threshold_forward_f32(in, out, n, (float)th, (float)val),
             threshold_forward_f64(in, out, n, th, val))
}

int nn_threshold_backward(DType dt, const void *in, const void *gout, void *gin, int64_t n,
                          double th)
{
    DISPATCH(dt, threshold_backward_f32(in, gout, gin, n, (float)th),
             threshold_backward_f64(in, gout, gin, n, th))
}

int nn_hardtanh_forward(DType dt, const void *in, void *out, int64_t n, double lo, double hi)
{
    DISPATCH(dt, hardtanh_forward_f32(in, out, n, (float)lo, (float)hi),
             hardtanh_forward_f64(in, out, n, lo, hi))
}

int nn_hardtanh_backward(DType dt, const void *in, const void *gout, void *gin, int64_t n,
                         double lo, double hi)
{
    DISPATCH(dt, hardtanh_backward_f32(in, gout, gin, n, (float)lo, (float)hi),
             hardtanh_backward_f64(in, gout, gin, n, lo, hi))
}

int nn_square_forward(DType dt, const void *in, void *out, int64_t n)
{
    DISPATCH(dt, square_forward_f32(in, out, n), square_forward_f64(in, out, n))
}

int nn_square_backward(DType dt, const void *in, const void *gout, void *gin, int64_t n)
{
    DISPATCH(dt, square_backward_f32(in, gout, gin, n), square_backward_f64(in, gout, gin, n))
}

int nn_sqrt_forward(DType dt, const void *in, void *out, int64_t n)
{
    DISPATCH(dt, sqrt_forward_f32(in, out, n), sqrt_forward_f64(in, out, n))
}

int nn_sqrt_backward(DType dt, const void *gout, void *gin, const void *out, int64_t n)
{
    DISPATCH(dt, sqrt_backward_f32(gout, gin, out, n), sqrt_backward_f64(gout, gin, out, n))
}

int nn_softmax_geometry(int ndim, const int64_t *size, int64_t *nframe, int64_t *dim,
                        int64_t *stride)
{
    switch (ndim) {
    case 1: *nframe = 1; *dim = size[0]; *stride = 1; return 0;
    case 2: *nframe = size[0]; *dim = size[1]; *stride = 1; return 0;
    case 3: *nframe = 1; *dim = size[0]; *stride = size[1] * size[2]; return 0;
    case 4: *nframe = size[0]; *dim = size[1]; *stride = size[2] * size[3]; return 0;
    default: return th_seterror("1D, 2D, 3D or 4D tensor expected");
    }
}

int nn_softmax_forward(DType dt, const void *in, void *out, int64_t nframe, int64_t dim,
                       int64_t stride)
{
    DISPATCH(dt, softmax_forward_f32(in, out, nframe, dim, stride),
             softmax_forward_f64(in, out, nframe, dim, stride))
}

int nn_softmax_backward(DType dt, const void *gout, void *gin, const void *out,
                        int64_t nframe, int64_t dim, int64_t stride)
{
    DISPATCH(dt, softmax_backward_f32(gout, gin, out, nframe, dim, stride),
             softmax_backward_f64(gout, gin, out, nframe, dim, stride))
}

int nn_logsoftmax_forward(DType dt, const void *in, void *out, int64_t nframe, int64_t dim,
                          int64_t stride)
{
    DISPATCH(dt, logsoftmax_forward_f32(in, out, nframe, dim, stride),
             logsoftmax_forward_f64(in, out, nframe, dim, stride))
}

int nn_logsoftmax_backward(DType dt, const void *gout, void *gin, const void *out,
                           int64_t nframe, int64_t dim, int64_t stride)
{
    DISPATCH(dt, logsoftmax_backward_f32(gout, gin, out, nframe, dim, stride),
             logsoftmax_backward_f64(gout, gin, out, nframe, dim, stride))
}
