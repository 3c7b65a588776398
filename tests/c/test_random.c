/* test_random.c: the generator against Torch7's golden streams
 * (tests/golden/random_streams.out) and the MT19937 reference, the refill
 * boundaries, the Box-Muller cache, state blobs and the tensor fills. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "error.h"
#include "random.h"
#include "tensor.h"

/* Exact double comparison (the golden file prints %.17g, which round-trips). */
#define CHECK_EQ_D(a, b) CHECK((double)(a) == (double)(b))

static Tensor *vec(DType dt, int64_t n)
{
    return tensor_new_sized(dt, 1, &n);
}

/* ---- the raw generator ---------------------------------------------------- */

static void test_first_draws(void)
{
    Generator g;
    /* Golden: torch.random() x5 after manualSeed(seed). */
    static const struct { uint64_t seed; uint32_t v[5]; } rows[] = {
        {0, {2357136044u, 2546248239u, 3071714933u, 3626093760u, 2588848963u}},
        {1, {1791095845u, 4282876139u, 3093770124u, 4005303368u, 491263u}},
        {42, {1608637542u, 3421126067u, 4083286876u, 787846414u, 3143890026u}},
        {123456789, {2288500408u, 4254805660u, 2294099250u, 56498137u, 2188513626u}},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        rng_manual_seed(&g, rows[r].seed);
        for (int i = 0; i < 5; i++) CHECK(rng_random(&g) == rows[r].v[i]);
        CHECK(rng_initial_seed(&g) == rows[r].seed);
    }
    /* Matsumoto and Nishimura's reference mt19937ar.c with init_genrand(5489)
     * (std::mt19937's default) starts 3499211612, 581869302, 3890346734. */
    rng_manual_seed(&g, 5489);
    CHECK(rng_random(&g) == 3499211612u);
    CHECK(rng_random(&g) == 581869302u);
    CHECK(rng_random(&g) == 3890346734u);
}

static void test_seed_low_bits(void)
{
    Generator g;
    rng_manual_seed(&g, 4294967296ULL + 42);
    CHECK(rng_initial_seed(&g) == 4294967338ULL);
    CHECK(rng_random(&g) == 1608637542u);
    CHECK(rng_random(&g) == 3421126067u);
    CHECK(rng_random(&g) == 4083286876u);
}

static void test_refill(void)
{
    Generator g;
    rng_manual_seed(&g, 1);
    uint32_t v[1251];
    for (int i = 1; i <= 1250; i++) v[i] = rng_random(&g);
    /* Golden: seed 1 draws #624, #625 (first of the second block), #1248-1250. */
    CHECK(v[624] == 2006116153u);
    CHECK(v[625] == 1104314680u);
    CHECK(v[1248] == 1926754611u);
    CHECK(v[1249] == 3239719367u);
    CHECK(v[1250] == 3879348080u);
}

static void test_uniform(void)
{
    Generator g;
    rng_manual_seed(&g, 42);
    CHECK_EQ_D(rng_uniform01(&g), 0.37454011430963874);
    CHECK_EQ_D(rng_uniform01(&g), 0.79654298420064151);
    CHECK_EQ_D(rng_uniform01(&g), 0.95071431156247854);
    rng_manual_seed(&g, 0);
    CHECK_EQ_D(rng_uniform(&g, -2, 3), 0.74406751152127981);
    CHECK_EQ_D(rng_uniform(&g, -2, 3), 0.96422308194451034);
    /* uniform01 is exactly random() / 2^32 */
    Generator h;
    rng_manual_seed(&g, 7);
    rng_manual_seed(&h, 7);
    for (int i = 0; i < 100; i++) CHECK_EQ_D(rng_uniform01(&g), rng_random(&h) / 4294967296.0);
}

static void test_normal_cache(void)
{
    Generator g;
    rng_manual_seed(&g, 42);
    CHECK_EQ_D(rng_normal(&g, 0, 1), -1.2582124295117618);
    CHECK_EQ_D(rng_normal(&g, 0, 1), 1.2655048495322101);
    CHECK_EQ_D(rng_normal(&g, 0, 1), 0.60634739694990403);
    CHECK_EQ_D(rng_normal(&g, 0, 1), -0.19400989014551728);
    CHECK_EQ_D(rng_normal(&g, 0, 1), -0.19636614211357709);

    /* The cached sin value survives an intervening uniform draw. */
    rng_manual_seed(&g, 42);
    CHECK_EQ_D(rng_normal(&g, 0, 1), -1.2582124295117618);
    CHECK_EQ_D(rng_uniform01(&g), 0.95071431156247854);
    CHECK_EQ_D(rng_normal(&g, 0, 1), 1.2655048495322101);

    /* Box-Muller by hand from two uniforms of a twin generator. */
    Generator h;
    rng_manual_seed(&g, 3);
    rng_manual_seed(&h, 3);
    double u1 = rng_uniform01(&h), u2 = rng_uniform01(&h);
    double rho = sqrt(-2 * log(1 - u2));
    CHECK_EQ_D(rng_normal(&g, 10, 0.5), rho * cos(2 * M_PI * u1) * 0.5 + 10);
    CHECK_EQ_D(rng_normal(&g, 10, 0.5), rho * sin(2 * M_PI * u1) * 0.5 + 10);
    CHECK(rng_random(&g) == rng_random(&h));   /* two draws for two normals */

    /* manualSeed forgets the cache. */
    rng_manual_seed(&g, 0);
    rng_normal(&g, 0, 1);
    rng_manual_seed(&g, 0);
    CHECK_EQ_D(rng_normal(&g, 0, 1), -1.2780081289048213);
    CHECK_EQ_D(rng_normal(&g, 0, 1), -0.40474189234755492);
    CHECK_EQ_D(rng_normal(&g, 10, 0.5), 9.790772472019583);  /* third of seed 0's normal(10,0.5) */
}

static void test_integer_forms(void)
{
    Generator g;
    static const int64_t r10[5] = {3, 8, 7, 5, 7}, r59[5] = {7, 7, 6, 9, 6};
    rng_manual_seed(&g, 42);
    for (int i = 0; i < 5; i++) CHECK(rng_random1(&g, 10) == r10[i]);
    rng_manual_seed(&g, 42);
    for (int i = 0; i < 5; i++) CHECK(rng_random2(&g, 5, 9) == r59[i]);
    /* Negative lower bounds: the same draw shifted. */
    Generator h;
    rng_manual_seed(&g, 9);
    rng_manual_seed(&h, 9);
    for (int i = 0; i < 50; i++) CHECK(rng_random2(&g, -5, 5) == (int64_t)(rng_random(&h) % 11) - 5);
    rng_manual_seed(&g, 9);
    rng_manual_seed(&h, 9);
    CHECK(rng_random2(&g, INT64_MIN, INT64_MAX) == (int64_t)((uint64_t)rng_random(&h) + (uint64_t)INT64_MIN));

    CHECK(rng_check_bound(0) == -1);
    CHECK(strstr(th_lasterror(), "upper bound must be strictly positive") != NULL);
    CHECK(rng_check_range(5, 4) == -1);
    CHECK(strstr(th_lasterror(), "upper bound must be larger than lower bound") != NULL);
    CHECK(rng_check_range(5, 5) == 0);
}

static void test_other_distributions(void)
{
    Generator g;
    static const int b03[5] = {0, 0, 0, 1, 0}, geo[5] = {1, 2, 3, 1, 2};
    rng_manual_seed(&g, 42);
    for (int i = 0; i < 5; i++) CHECK(rng_bernoulli(&g, 0.3) == b03[i]);
    rng_manual_seed(&g, 42);
    for (int i = 0; i < 5; i++) CHECK(rng_geometric(&g, 0.3) == geo[i]);
    rng_manual_seed(&g, 0);
    CHECK_EQ_D(rng_exponential(&g, 2), 0.39793725228288773);
    rng_manual_seed(&g, 0);
    CHECK_EQ_D(rng_cauchy(&g, 0, 1), 0.15456567820265193);
    rng_manual_seed(&g, 0);
    CHECK_EQ_D(rng_lognormal(&g, 0, 1), 0.27859166684525488);
    CHECK_EQ_D(rng_lognormal(&g, 0, 1), 0.66714898489612284);

    CHECK(rng_check_std(0) == -1);
    CHECK(strstr(th_lasterror(), "standard deviation must be strictly positive") != NULL);
    CHECK(rng_check_std(NAN) == -1);
    CHECK(rng_check_geometric(1) == -1);
    CHECK(rng_check_geometric(0) == -1);
    CHECK(rng_check_geometric(0.5) == 0);
    CHECK(rng_check_bernoulli(1.5) == -1);
    CHECK(rng_check_bernoulli(0) == 0 && rng_check_bernoulli(1) == 0);
    /* p = 0 and p = 1 are certain. */
    rng_manual_seed(&g, 1);
    for (int i = 0; i < 100; i++) CHECK(rng_bernoulli(&g, 0) == 0 && rng_bernoulli(&g, 1) == 1);
}

static void test_state(void)
{
    Generator g, h;
    unsigned char buf[RNG_STATE_BYTES];
    CHECK(RNG_STATE_BYTES == 5048);   /* Torch7's sizeof(THGeneratorState) */
    rng_manual_seed(&g, 7);
    rng_normal(&g, 0, 1);             /* leave a cached normal in the state */
    rng_get_state(&g, buf);
    double a = rng_normal(&g, 0, 1), b = rng_uniform01(&g);
    rng_manual_seed(&h, 99);
    CHECK(rng_set_state(&h, buf, sizeof buf) == 0);
    CHECK_EQ_D(rng_normal(&h, 0, 1), a);
    CHECK_EQ_D(rng_uniform01(&h), b);
    CHECK(rng_initial_seed(&h) == 7);

    /* Golden: seed 7, state saved before the first draw. */
    rng_manual_seed(&g, 7);
    rng_get_state(&g, buf);
    CHECK_EQ_D(rng_uniform01(&g), 0.076308291172608733);
    CHECK(rng_set_state(&g, buf, sizeof buf) == 0);
    CHECK_EQ_D(rng_uniform01(&g), 0.076308291172608733);

    /* Bad blobs are refused and leave the generator alone. */
    rng_manual_seed(&g, 5);
    CHECK(rng_set_state(&g, buf, sizeof buf - 1) == -1);
    CHECK(strstr(th_lasterror(), "wrong size") != NULL);
    unsigned char bad[RNG_STATE_BYTES];
    memcpy(bad, buf, sizeof bad);
    memset(bad + 8, 0xff, 4);         /* left = -1 */
    CHECK(rng_set_state(&g, bad, sizeof bad) == -1);
    CHECK(strstr(th_lasterror(), "Invalid RNG state") != NULL);
    memset(bad, 0, sizeof bad);       /* never seeded */
    CHECK(rng_set_state(&g, bad, sizeof bad) == -1);
    rng_manual_seed(&h, 5);
    CHECK(rng_random(&g) == rng_random(&h));
}

static void test_urandom_seed(void)
{
    Generator g, h;
    uint64_t s1 = 0, s2 = 0;
    CHECK(rng_seed(&g, &s1) == 0);
    CHECK(rng_initial_seed(&g) == s1);
    rng_manual_seed(&h, s1);
    CHECK(rng_random(&g) == rng_random(&h));
    CHECK(rng_seed(&g, &s2) == 0);
    CHECK(s1 != s2);                  /* 2^-64 chance of a false failure */
    CHECK(rng_default() == rng_default());
    CHECK(rng_default()->seeded == 1);
}

/* ---- tensor fills ---------------------------------------------------------- */

static void test_fill_golden(void)
{
    Generator g;
    /* Golden, seed 0 blocks. */
    Tensor *d = vec(DT_DOUBLE, 5), *f = vec(DT_FLOAT, 5);
    double *dp = tensor_data(d);
    float *fp = tensor_data(f);
    rng_manual_seed(&g, 0);
    CHECK(rng_fill_uniform(&g, d, -0.1, 0.1) == 0);
    CHECK_EQ_D(dp[0], 0.0097627004608511897);
    CHECK_EQ_D(dp[4], 0.020552674075588584);
    rng_manual_seed(&g, 0);
    CHECK(rng_fill_uniform(&g, f, -0.1, 0.1) == 0);
    static const double fu[5] = {0.0097627006471157074, 0.018568923696875572, 0.043037872761487961,
                                 0.068853147327899933, 0.020552674308419228};
    for (int i = 0; i < 5; i++) CHECK_EQ_D(fp[i], fu[i]);
    /* Bounds are rounded to float before the double computation: b =
     * 3.0000001 becomes 3.0f, which changes the stored value for some u. */
    Generator h;
    Tensor *big = vec(DT_FLOAT, 200);
    rng_manual_seed(&g, 8);
    rng_manual_seed(&h, 8);
    CHECK(rng_fill_uniform(&g, big, 0, 3.0000001) == 0);
    int exact = 1, differs = 0;
    for (int i = 0; i < 200; i++) {
        double u = rng_uniform01(&h);
        float got = ((float *)tensor_data(big))[i];
        if (got != (float)(u * 3.0)) exact = 0;
        if ((float)(u * 3.0) != (float)(u * 3.0000001)) differs = 1;
    }
    CHECK(exact);
    CHECK(differs);   /* the check above can tell the two apart */
    tensor_release(big);
    rng_manual_seed(&g, 0);
    CHECK(rng_fill_normal(&g, d, 1, 2) == 0);
    CHECK_EQ_D(dp[0], -1.5560162578096426);
    CHECK_EQ_D(dp[4], -2.1558224036215319);
    rng_manual_seed(&g, 0);
    CHECK(rng_fill_bernoulli(&g, d, 0.7) == 0);
    static const double b07[5] = {1, 1, 0, 0, 1};
    for (int i = 0; i < 5; i++) CHECK_EQ_D(dp[i], b07[i]);
    rng_manual_seed(&g, 0);
    CHECK(rng_fill_exponential(&g, d, 2) == 0);
    CHECK_EQ_D(dp[3], 0.92980210603733437);
    rng_manual_seed(&g, 0);
    CHECK(rng_fill_geometric(&g, d, 0.3) == 0);
    static const double geo[5] = {1, 1, 2, 2, 1};
    for (int i = 0; i < 5; i++) CHECK_EQ_D(dp[i], geo[i]);
    rng_manual_seed(&g, 0);
    CHECK(rng_fill_cauchy(&g, d, 0, 1) == 0);
    CHECK_EQ_D(dp[3], 1.8781819888504034);
    rng_manual_seed(&g, 0);
    CHECK(rng_fill_lognormal(&g, d, 0, 1) == 0);
    CHECK_EQ_D(dp[4], 0.20640578827276357);
    rng_manual_seed(&g, 0);
    CHECK(rng_fill_random1(&g, d, 10) == 0);
    static const double r10[5] = {5, 10, 4, 1, 4};
    for (int i = 0; i < 5; i++) CHECK_EQ_D(dp[i], r10[i]);
    rng_manual_seed(&g, 0);
    CHECK(rng_fill_random2(&g, d, 5, 9) == 0);
    static const double r59[5] = {9, 9, 8, 5, 8};
    for (int i = 0; i < 5; i++) CHECK_EQ_D(dp[i], r59[i]);
    tensor_release(d);
    tensor_release(f);
}

/* t:random() per type, seed 1 (golden), and the modulus rule by hand. */
static void test_fill_random_types(void)
{
    static const struct { DType dt; double v[5]; } rows[] = {
        {DT_DOUBLE, {1791095845, 4282876139, 3093770124, 4005303368, 491263}},
        {DT_FLOAT, {12710843, 4685804, 6762196, 12325722, 491263}},
        {DT_BYTE, {37, 235, 140, 72, 255}},
        {DT_INT, {1791095845, 2135392491, 946286476, 1857819720, 491263}},
        {DT_LONG, {1791095845, 4282876139, 3093770124, 4005303368, 491263}},
    };
    Generator g, h;
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        Tensor *t = vec(rows[r].dt, 5);
        rng_manual_seed(&g, 1);
        CHECK(rng_fill_random(&g, t) == 0);
        for (int i = 0; i < 5; i++) CHECK_EQ_D(tensor_get_flat(t, i), rows[r].v[i]);
        tensor_release(t);
    }
    /* Char and Short (not in the golden file): random() % 128 / % 32768. */
    Tensor *c = vec(DT_CHAR, 40), *s = vec(DT_SHORT, 40);
    rng_manual_seed(&g, 3);
    rng_manual_seed(&h, 3);
    CHECK(rng_fill_random(&g, c) == 0);
    CHECK(rng_fill_random(&g, s) == 0);
    for (int i = 0; i < 40; i++) CHECK_EQ_D(tensor_get_flat(c, i), rng_random(&h) % 128);
    for (int i = 0; i < 40; i++) CHECK_EQ_D(tensor_get_flat(s, i), rng_random(&h) % 32768);
    /* random(a, b) with a negative a on integer types. */
    rng_manual_seed(&g, 4);
    rng_manual_seed(&h, 4);
    CHECK(rng_fill_random2(&g, c, -3, 3) == 0);
    for (int i = 0; i < 40; i++) CHECK_EQ_D(tensor_get_flat(c, i), (double)(rng_random(&h) % 7) - 3);
    /* random(b) into Byte wraps like Torch7's C cast. */
    rng_manual_seed(&g, 4);
    rng_manual_seed(&h, 4);
    Tensor *b = vec(DT_BYTE, 40);
    CHECK(rng_fill_random1(&g, b, 1000) == 0);
    for (int i = 0; i < 40; i++) CHECK_EQ_D(tensor_get_flat(b, i), (double)((rng_random(&h) % 1000 + 1) & 255));
    tensor_release(c);
    tensor_release(s);
    tensor_release(b);
}

/* A transposed (non-contiguous) view is filled in its own row-major order. */
static void test_fill_order(void)
{
    Generator g, h;
    int64_t sz[2] = {3, 4};
    Tensor *base = tensor_new_sized(DT_DOUBLE, 2, sz);
    Tensor *t = tensor_new_view(base);
    CHECK(tensor_transpose(t, base, 0, 1) == 0);  /* 4x3 view, strides (1, 4) */
    rng_manual_seed(&g, 11);
    rng_manual_seed(&h, 11);
    CHECK(rng_fill_uniform(&g, t, 0, 1) == 0);
    const double *bp = tensor_data(base);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 3; j++) CHECK_EQ_D(bp[j * 4 + i], rng_uniform01(&h));

    /* A narrowed column (stride 4, offset 2) leaves the rest untouched. */
    Tensor *col = tensor_new_view(base);
    CHECK(tensor_narrow(col, base, 1, 2, 1) == 0);
    double before[12];
    memcpy(before, bp, sizeof before);
    rng_manual_seed(&g, 12);
    rng_manual_seed(&h, 12);
    CHECK(rng_fill_random1(&g, col, 6) == 0);
    for (int k = 0; k < 12; k++) {
        if (k % 4 == 2) CHECK_EQ_D(bp[k], rng_random(&h) % 6 + 1);
        else CHECK_EQ_D(bp[k], before[k]);
    }
    /* An empty tensor draws nothing. */
    Tensor *e = tensor_new(DT_DOUBLE);
    rng_manual_seed(&g, 13);
    rng_manual_seed(&h, 13);
    CHECK(rng_fill_normal(&g, e, 0, 1) == 0);
    CHECK(rng_random(&g) == rng_random(&h));
    tensor_release(e);
    tensor_release(col);
    tensor_release(t);
    tensor_release(base);
}

static void test_fill_errors(void)
{
    Generator g;
    rng_manual_seed(&g, 1);
    Tensor *i = vec(DT_INT, 3), *d = vec(DT_DOUBLE, 3), *f = vec(DT_FLOAT, 3);
    CHECK(rng_fill_uniform(&g, i, 0, 1) == -1);
    CHECK(strstr(th_lasterror(), "only Float and Double") != NULL);
    CHECK(rng_fill_normal(&g, d, 0, -1) == -1);
    CHECK(strstr(th_lasterror(), "standard deviation must be strictly positive") != NULL);
    /* 1e-50 rounds to 0 as a float, so a FloatTensor refuses it. */
    CHECK(rng_fill_normal(&g, f, 0, 1e-50) == -1);
    CHECK(rng_fill_normal(&g, d, 0, 1e-50) == 0);
    CHECK(rng_fill_geometric(&g, i, 1.5) == -1);
    CHECK(rng_fill_bernoulli(&g, i, -0.1) == -1);
    CHECK(rng_fill_random1(&g, i, 0) == -1);
    CHECK(rng_fill_random2(&g, i, 3, 2) == -1);
    CHECK(rng_fill_lognormal(&g, d, 1, 0) == -1);
    /* Failing checks consume no random numbers. */
    Generator h;
    rng_manual_seed(&h, 1);
    for (int k = 0; k < 4; k++) rng_random(&h);  /* the successful fill: 3 normals = 2 pairs */
    CHECK(rng_random(&g) == rng_random(&h));
    tensor_release(i);
    tensor_release(d);
    tensor_release(f);
}

static void test_bernoulli_tensor(void)
{
    Generator g, h;
    Tensor *p = vec(DT_FLOAT, 6), *t = vec(DT_BYTE, 6);
    float *pp = tensor_data(p);
    static const float ps[6] = {0, 1, 0.25f, 0.5f, 0.75f, 1};
    memcpy(pp, ps, sizeof ps);
    rng_manual_seed(&g, 21);
    rng_manual_seed(&h, 21);
    CHECK(rng_fill_bernoulli_tensor(&g, t, p) == 0);
    for (int i = 0; i < 6; i++) CHECK_EQ_D(tensor_get_flat(t, i), rng_uniform01(&h) <= (double)ps[i]);
    /* Only element counts must agree (2x3 against 6). */
    int64_t sz[2] = {2, 3};
    Tensor *m = tensor_new_sized(DT_DOUBLE, 2, sz);
    rng_manual_seed(&g, 21);
    CHECK(rng_fill_bernoulli_tensor(&g, m, p) == 0);
    CHECK_EQ_D(tensor_get_flat(m, 0), 0);
    CHECK_EQ_D(tensor_get_flat(m, 1), 1);
    Tensor *short_p = vec(DT_DOUBLE, 5);
    CHECK(rng_fill_bernoulli_tensor(&g, t, short_p) == -1);
    CHECK(strstr(th_lasterror(), "inconsistent tensor size") != NULL);
    Tensor *lp = vec(DT_LONG, 6);
    CHECK(rng_fill_bernoulli_tensor(&g, t, lp) == -1);
    pp[2] = 2.0f;
    CHECK(rng_fill_bernoulli_tensor(&g, t, p) == -1);
    CHECK(strstr(th_lasterror(), "must be >= 0 and <= 1") != NULL);
    tensor_release(p);
    tensor_release(t);
    tensor_release(m);
    tensor_release(short_p);
    tensor_release(lp);
}

/* ---- randperm and multinomial ---------------------------------------------- */

static void test_randperm(void)
{
    Generator g;
    static const double p42[10] = {3, 7, 2, 9, 5, 6, 1, 10, 4, 8}, p0[10] = {5, 2, 8, 6, 4, 10, 1, 9, 7, 3};
    Tensor *r = tensor_new(DT_DOUBLE);
    rng_manual_seed(&g, 42);
    CHECK(rng_randperm(&g, r, 10) == 0);
    CHECK(r->ndim == 1 && r->size[0] == 10);
    for (int i = 0; i < 10; i++) CHECK_EQ_D(tensor_get_flat(r, i), p42[i]);
    rng_manual_seed(&g, 0);
    CHECK(rng_randperm(&g, r, 10) == 0);
    for (int i = 0; i < 10; i++) CHECK_EQ_D(tensor_get_flat(r, i), p0[i]);
    /* n = 1 draws nothing. */
    Generator h;
    rng_manual_seed(&g, 5);
    rng_manual_seed(&h, 5);
    CHECK(rng_randperm(&g, r, 1) == 0);
    CHECK(r->size[0] == 1 && tensor_get_flat(r, 0) == 1);
    CHECK(rng_random(&g) == rng_random(&h));
    /* A long permutation into a LongTensor is a permutation. */
    Tensor *l = tensor_new(DT_LONG);
    CHECK(rng_randperm(&g, l, 1000) == 0);
    int seen[1001] = {0};
    const int64_t *lp = tensor_data(l);
    int ok = 1;
    for (int i = 0; i < 1000; i++) {
        if (lp[i] < 1 || lp[i] > 1000 || seen[lp[i]]++) ok = 0;
    }
    CHECK(ok);
    CHECK(rng_randperm(&g, r, 0) == -1);
    CHECK(strstr(th_lasterror(), "must be strictly positive") != NULL);
    tensor_release(r);
    tensor_release(l);
}

/* Reference: linear search over the normalised cumulative sums. */
static int64_t naive_pick(const double *p, int k, double u)
{
    double sum = 0, acc = 0;
    for (int j = 0; j < k; j++) sum += p[j];
    for (int j = 0; j < k - 1; j++) {
        acc += p[j];
        if (acc / sum >= u) return j + 1;
    }
    return k;
}

static void test_multinomial(void)
{
    Generator g, h;
    static const double pr[4] = {0.1, 0.2, 0.3, 0.4};
    Tensor *p = vec(DT_DOUBLE, 4), *res = tensor_new(DT_LONG);
    memcpy(tensor_data(p), pr, sizeof pr);
    rng_manual_seed(&g, 31);
    rng_manual_seed(&h, 31);
    CHECK(rng_multinomial(&g, res, p, 50, 1) == 0);
    CHECK(res->ndim == 1 && res->size[0] == 50);
    const int64_t *rp = tensor_data(res);
    for (int i = 0; i < 50; i++) CHECK(rp[i] == naive_pick(pr, 4, rng_uniform01(&h)));

    /* Without replacement: 4 distinct categories out of 4. */
    CHECK(rng_multinomial(&g, res, p, 4, 0) == 0);
    rp = tensor_data(res);
    int seen[5] = {0};
    for (int i = 0; i < 4; i++) seen[rp[i]]++;
    CHECK(seen[1] == 1 && seen[2] == 1 && seen[3] == 1 && seen[4] == 1);

    /* 2-D probabilities (Float), rows unnormalised; a certain category. */
    int64_t sz[2] = {2, 3};
    Tensor *q = tensor_new_sized(DT_FLOAT, 2, sz);
    float *qp = tensor_data(q);
    qp[0] = 0; qp[1] = 5; qp[2] = 0;
    qp[3] = 2; qp[4] = 0; qp[5] = 2;
    CHECK(rng_multinomial(&g, res, q, 3, 1) == 0);
    CHECK(res->ndim == 2 && res->size[0] == 2 && res->size[1] == 3);
    rp = tensor_data(res);
    for (int j = 0; j < 3; j++) CHECK(rp[j] == 2);
    for (int j = 3; j < 6; j++) CHECK(rp[j] == 1 || rp[j] == 3);
    CHECK(rng_multinomial(&g, res, q, 2, 0) == -1);     /* row 0 has one nonzero */
    qp[0] = 1;
    CHECK(rng_multinomial(&g, res, q, 2, 0) == 0);
    rp = tensor_data(res);
    CHECK(rp[0] != rp[1] && rp[2] != rp[3]);
    CHECK((rp[0] == 1 || rp[0] == 2) && (rp[1] == 1 || rp[1] == 2));

    /* Errors. */
    CHECK(rng_multinomial(&g, res, p, 5, 0) == -1);
    CHECK(strstr(th_lasterror(), "without replacement") != NULL);
    CHECK(rng_multinomial(&g, res, p, 0, 1) == -1);
    double *pd = tensor_data(p);
    pd[0] = pd[1] = pd[2] = pd[3] = 0;
    CHECK(rng_multinomial(&g, res, p, 1, 1) == -1);
    CHECK(strstr(th_lasterror(), "sum of probabilities <= 0") != NULL);
    pd[0] = -1;
    pd[1] = 3;
    CHECK(rng_multinomial(&g, res, p, 1, 1) == -1);
    tensor_release(p);
    tensor_release(q);
    tensor_release(res);
}

static const CheckTest tests[] = {
    {"first_draws", test_first_draws},
    {"seed_low_bits", test_seed_low_bits},
    {"refill", test_refill},
    {"uniform", test_uniform},
    {"normal_cache", test_normal_cache},
    {"integer_forms", test_integer_forms},
    {"other_distributions", test_other_distributions},
    {"state", test_state},
    {"urandom_seed", test_urandom_seed},
    {"fill_golden", test_fill_golden},
    {"fill_random_types", test_fill_random_types},
    {"fill_order", test_fill_order},
    {"fill_errors", test_fill_errors},
    {"bernoulli_tensor", test_bernoulli_tensor},
    {"randperm", test_randperm},
    {"multinomial", test_multinomial},
    {NULL, NULL},
};

CHECK_MAIN(tests)
