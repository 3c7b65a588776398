/* random.c: Torch7's generator and distributions (see random.h).
 *
 * The Mersenne Twister part follows Matsumoto and Nishimura's MT19937 with
 * the 2002 initialisation, in the refill style of Shawn Cokus that Torch7's
 * THRandom.c uses: the state is regenerated all at once when `left` reaches
 * zero, so the 625th draw after a seed is the first of the second block. */
#include "random.h"

#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"

/* ======================================================================
 * MT19937
 * ====================================================================== */

#define MT_M 397
#define MATRIX_A 0x9908b0dfULL
#define UMASK 0x80000000ULL
#define LMASK 0x7fffffffULL
#define MIXBITS(u, v) (((u) & UMASK) | ((v) & LMASK))
#define TWIST(u, v) ((MIXBITS(u, v) >> 1) ^ (((v) & 1ULL) ? MATRIX_A : 0ULL))

void rng_manual_seed(Generator *g, uint64_t seed)
{
    /* A blank struct first: reseeding must also forget the cached normal,
     * and zeroed padding keeps getRNGState's bytes deterministic. */
    memset(g, 0, sizeof *g);
    g->initial_seed = seed;
    g->state[0] = seed & 0xffffffffULL;
    for (int j = 1; j < RNG_MT_N; j++) {
        uint64_t prev = g->state[j - 1];
        /* Knuth TAOCP vol. 2, 3rd ed., p. 106 multiplier. */
        g->state[j] = (1812433253ULL * (prev ^ (prev >> 30)) + (uint64_t)j) & 0xffffffffULL;
    }
    /* left = 1 makes the very first draw refill the whole state. */
    g->left = 1;
    g->seeded = 1;
}

uint64_t rng_initial_seed(const Generator *g)
{
    return g->initial_seed;
}

/* Regenerates all 624 words at once (Cokus's loop split in three parts so
 * that no index needs a modulo). */
static void next_state(Generator *g)
{
    uint64_t *p = g->state;
    int j;

    g->left = RNG_MT_N;
    g->next = 0;
    for (j = RNG_MT_N - MT_M + 1; --j; p++)
        *p = p[MT_M] ^ TWIST(p[0], p[1]);
    for (j = MT_M; --j; p++)
        *p = p[MT_M - RNG_MT_N] ^ TWIST(p[0], p[1]);
    *p = p[MT_M - RNG_MT_N] ^ TWIST(p[0], g->state[0]);
}

uint32_t rng_random(Generator *g)
{
    uint64_t y;

    if (--g->left == 0) next_state(g);
    y = g->state[g->next++];
    /* Tempering */
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680ULL;
    y ^= (y << 15) & 0xefc60000ULL;
    y ^= (y >> 18);
    return (uint32_t)y;
}

/* ---- seeding from the system and state blobs ---------------------------- */

int rng_seed(Generator *g, uint64_t *seed)
{
    uint64_t s = 0;
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0) return th_seterror("seed: unable to open /dev/urandom");
    ssize_t got = read(fd, &s, sizeof s);
    close(fd);
    if (got != (ssize_t)sizeof s) return th_seterror("seed: unable to read from /dev/urandom");
    rng_manual_seed(g, s);
    if (seed) *seed = s;
    return 0;
}

Generator *rng_default(void)
{
    static Generator global;
    static int ready;
    if (!ready) {
        uint64_t s;
        /* Without /dev/urandom, time and pid still give distinct runs. */
        if (rng_seed(&global, &s) != 0)
            rng_manual_seed(&global, (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32));
        ready = 1;
    }
    return &global;
}

void rng_get_state(const Generator *g, unsigned char *buf)
{
    memcpy(buf, g, sizeof *g);
}

int rng_set_state(Generator *g, const unsigned char *buf, size_t n)
{
    Generator tmp;
    if (n != sizeof tmp)
        return th_seterror("RNG state is wrong size (expected %zu bytes, got %zu)", sizeof tmp, n);
    memcpy(&tmp, buf, sizeof tmp);
    /* Torch7's THGenerator_isValid, plus 32-bit state words and a 0/1 cache
     * flag: anything else would make draws leave [0, 2^32). */
    int ok = tmp.seeded == 1 && tmp.left > 0 && tmp.left <= RNG_MT_N && tmp.next <= RNG_MT_N &&
             (tmp.normal_is_valid == 0 || tmp.normal_is_valid == 1);
    for (int i = 0; ok && i < RNG_MT_N; i++)
        if (tmp.state[i] > 0xffffffffULL) ok = 0;
    if (!ok) return th_seterror("Invalid RNG state");
    *g = tmp;
    return 0;
}

/* ======================================================================
 * Distributions (THRandom_*)
 * ====================================================================== */

double rng_uniform01(Generator *g)
{
    return (double)rng_random(g) * (1.0 / 4294967296.0);
}

double rng_uniform(Generator *g, double a, double b)
{
    return rng_uniform01(g) * (b - a) + a;
}

double rng_normal(Generator *g, double mean, double std)
{
    /* Box-Muller: one pair of uniforms gives two normals; the second one is
     * kept for the next call, even across other kinds of draws. */
    if (!g->normal_is_valid) {
        g->normal_x = rng_uniform01(g);
        g->normal_y = rng_uniform01(g);
        g->normal_rho = sqrt(-2. * log(1.0 - g->normal_y));
        g->normal_is_valid = 1;
        return g->normal_rho * cos(2. * M_PI * g->normal_x) * std + mean;
    }
    g->normal_is_valid = 0;
    return g->normal_rho * sin(2. * M_PI * g->normal_x) * std + mean;
}

double rng_exponential(Generator *g, double lambda)
{
    return -1. / lambda * log(1 - rng_uniform01(g));
}

double rng_cauchy(Generator *g, double median, double sigma)
{
    return median + sigma * tan(M_PI * (rng_uniform01(g) - 0.5));
}

double rng_lognormal(Generator *g, double mean, double std)
{
    return exp(rng_normal(g, mean, std));
}

int rng_geometric(Generator *g, double p)
{
    return (int)(log(1 - rng_uniform01(g)) / log(p)) + 1;
}

int rng_bernoulli(Generator *g, double p)
{
    return rng_uniform01(g) <= p;
}

int64_t rng_random1(Generator *g, int64_t b)
{
    return (int64_t)(rng_random(g) % (uint64_t)b) + 1;
}

/* Width b + 1 - a computed in unsigned 64 bits so that any a <= b works;
 * 0 means the full 2^64 range, where the draw is used as is. */
static uint64_t range_width(int64_t a, int64_t b)
{
    return (uint64_t)b - (uint64_t)a + 1;
}

int64_t rng_random2(Generator *g, int64_t a, int64_t b)
{
    uint64_t w = range_width(a, b);
    uint64_t r = rng_random(g);
    return (int64_t)((w ? r % w : r) + (uint64_t)a);
}

/* ---- parameter checks ----------------------------------------------------- */

int rng_check_std(double std)
{
    if (!(std > 0)) return th_seterror("standard deviation must be strictly positive, got %g", std);
    return 0;
}

int rng_check_geometric(double p)
{
    if (!(p > 0 && p < 1)) return th_seterror("must be > 0 and < 1, got %g", p);
    return 0;
}

int rng_check_bernoulli(double p)
{
    if (!(p >= 0 && p <= 1)) return th_seterror("must be >= 0 and <= 1, got %g", p);
    return 0;
}

int rng_check_bound(int64_t b)
{
    if (b <= 0) return th_seterror("upper bound must be strictly positive, got %lld", (long long)b);
    return 0;
}

int rng_check_range(int64_t a, int64_t b)
{
    if (b < a)
        return th_seterror("upper bound must be larger than lower bound, got %lld and %lld",
                           (long long)a, (long long)b);
    return 0;
}

/* ======================================================================
 * Tensor fills
 * ====================================================================== */

/* What to draw for each element.  A fill walks the tensor row by row (rows
 * along the last dimension, in row-major order) and hands each row to the
 * typed loop of the tensor's dtype, which switches on `kind` once per row. */
typedef enum DrawKind {
    DRAW_RANDOM, DRAW_RANDOM1, DRAW_RANDOM2, DRAW_GEOMETRIC, DRAW_BERNOULLI,
    DRAW_BERNOULLI_ARRAY, DRAW_UNIFORM, DRAW_NORMAL, DRAW_EXPONENTIAL,
    DRAW_CAUCHY, DRAW_LOGNORMAL
} DrawKind;

typedef struct Draw {
    DrawKind kind;
    double a, b;          /* the distribution's parameters */
    int64_t ia;           /* integer bounds for random1/random2 */
    uint64_t width;       /* random2's b + 1 - a (0: full range) */
    const double *probs;  /* DRAW_BERNOULLI_ARRAY: one p per element, */
    int64_t consumed;     /* in row-major order, and how many are used */
} Draw;

/* Row-major walk over any view: the odometer idx runs over every dim but
 * the last, whose (len, step) row the callers loop over. */
typedef struct RowWalk {
    const Tensor *t;
    int64_t idx[TENSOR_MAXDIM];
    int64_t offset;       /* element offset of the current row */
    int64_t len, step;
    int64_t rows_left;
} RowWalk;

static void walk_begin(RowWalk *w, const Tensor *t)
{
    memset(w, 0, sizeof *w);
    w->t = t;
    w->offset = t->offset;
    if (t->ndim == 0) return;
    int64_t rows = 1;
    for (int d = 0; d < t->ndim - 1; d++) rows *= t->size[d];
    w->len = t->size[t->ndim - 1];
    w->step = t->stride[t->ndim - 1];
    w->rows_left = w->len > 0 ? rows : 0;
}

/* Element offset of the next row, or -1 when done. */
static int64_t walk_next(RowWalk *w)
{
    if (w->rows_left == 0) return -1;
    int64_t here = w->offset;
    if (--w->rows_left > 0) {
        const Tensor *t = w->t;
        for (int d = t->ndim - 2; d >= 0; d--) {
            w->offset += t->stride[d];
            if (++w->idx[d] < t->size[d]) break;
            w->offset -= t->stride[d] * t->size[d];
            w->idx[d] = 0;
        }
    }
    return here;
}

static int64_t nelement(const Tensor *t)
{
    if (t->ndim == 0) return 0;
    int64_t n = 1;
    for (int d = 0; d < t->ndim; d++) n *= t->size[d];
    return n;
}

/* Largest value + 1 of t:random() per type, as Torch7 takes it modulo
 * (TYPE_MAX + 1); for Float and Double the mantissa range + 1. */
#define RANDOM_MOD_u8 256ULL
#define RANDOM_MOD_i8 128ULL
#define RANDOM_MOD_i16 32768ULL
#define RANDOM_MOD_i32 2147483648ULL
#define RANDOM_MOD_i64 9223372036854775808ULL
#define RANDOM_MOD_f32 ((1ULL << 24) + 1)
#define RANDOM_MOD_f64 ((1ULL << 53) + 1)

/* The typed row loops.  Integer results are converted straight from the
 * integer draw (never through double), which is what Torch7's casts do.
 * Floating-only kinds are never requested for integer types. */
#define FILL_ROW(DT, T, SFX)                                                         \
    static void fill_row_##SFX(Generator *g, T *p, int64_t n, int64_t s, Draw *d)   \
    {                                                                                \
        int64_t i;                                                                   \
        switch (d->kind) {                                                           \
        case DRAW_RANDOM:                                                            \
            for (i = 0; i < n; i++) p[i * s] = (T)(rng_random(g) % RANDOM_MOD_##SFX); \
            break;                                                                   \
        case DRAW_RANDOM1:                                                           \
            for (i = 0; i < n; i++) p[i * s] = (T)rng_random1(g, d->ia);             \
            break;                                                                   \
        case DRAW_RANDOM2:                                                           \
            for (i = 0; i < n; i++) {                                                \
                uint64_t r = rng_random(g);                                          \
                p[i * s] = (T)(int64_t)((d->width ? r % d->width : r) + (uint64_t)d->ia); \
            }                                                                        \
            break;                                                                   \
        case DRAW_GEOMETRIC:                                                         \
            for (i = 0; i < n; i++) p[i * s] = (T)rng_geometric(g, d->a);            \
            break;                                                                   \
        case DRAW_BERNOULLI:                                                         \
            for (i = 0; i < n; i++) p[i * s] = (T)rng_bernoulli(g, d->a);            \
            break;                                                                   \
        case DRAW_BERNOULLI_ARRAY:                                                   \
            for (i = 0; i < n; i++)                                                  \
                p[i * s] = (T)rng_bernoulli(g, d->probs[d->consumed++]);             \
            break;                                                                   \
        case DRAW_UNIFORM:                                                           \
            for (i = 0; i < n; i++) p[i * s] = (T)rng_uniform(g, d->a, d->b);        \
            break;                                                                   \
        case DRAW_NORMAL:                                                            \
            for (i = 0; i < n; i++) p[i * s] = (T)rng_normal(g, d->a, d->b);         \
            break;                                                                   \
        case DRAW_EXPONENTIAL:                                                       \
            for (i = 0; i < n; i++) p[i * s] = (T)rng_exponential(g, d->a);          \
            break;                                                                   \
        case DRAW_CAUCHY:                                                            \
            for (i = 0; i < n; i++) p[i * s] = (T)rng_cauchy(g, d->a, d->b);         \
            break;                                                                   \
        case DRAW_LOGNORMAL:                                                         \
            for (i = 0; i < n; i++) p[i * s] = (T)rng_lognormal(g, d->a, d->b);      \
            break;                                                                   \
        }                                                                            \
    }
DTYPE_FOREACH(FILL_ROW)
#undef FILL_ROW

static int is_floating_kind(DrawKind k)
{
    return k >= DRAW_UNIFORM;
}

/* Walks t's rows and fills each with the typed loop. */
static int fill(Generator *g, Tensor *t, Draw *d, const char *what)
{
    if (is_floating_kind(d->kind) && t->dtype != DT_FLOAT && t->dtype != DT_DOUBLE)
        return th_seterror("%s: only Float and Double tensors are supported, got torch.%sTensor",
                           what, dtype_name(t->dtype));
    if (nelement(t) == 0) return 0;
    if (!t->storage || !t->storage->data) return th_seterror("%s: tensor has no storage", what);
    RowWalk w;
    walk_begin(&w, t);
    char *base = t->storage->data;
    size_t es = dtype_size(t->dtype);
    for (int64_t off; (off = walk_next(&w)) >= 0;) {
        void *row = base + off * (int64_t)es;
        switch (t->dtype) {
#define CASE(DT, T, SFX) case DT: fill_row_##SFX(g, (T *)row, w.len, w.step, d); break;
        DTYPE_FOREACH(CASE)
#undef CASE
        default: return th_seterror("%s: unknown tensor type", what);
        }
    }
    return 0;
}

/* Rounds v to float precision.  Kept out of line on purpose: at -O2, GCC
 * 12.2's SLP vectorizer drops the double->float->double round trip when two
 * of them end up stored side by side in a struct (as in the Draw setups
 * below), which silently handed FloatTensor fills unrounded parameters. */
__attribute__((noinline)) static double round_to_float(double v)
{
    volatile float f = (float)v;
    return f;
}

/* Torch7's binding passes real parameters as the tensor's `real`: a
 * FloatTensor sees them rounded to float. */
static double as_real(const Tensor *t, double v)
{
    return t->dtype == DT_FLOAT ? round_to_float(v) : v;
}

int rng_fill_uniform(Generator *g, Tensor *t, double a, double b)
{
    Draw d = {.kind = DRAW_UNIFORM, .a = as_real(t, a), .b = as_real(t, b)};
    return fill(g, t, &d, "uniform");
}

int rng_fill_normal(Generator *g, Tensor *t, double mean, double std)
{
    Draw d = {.kind = DRAW_NORMAL, .a = as_real(t, mean), .b = as_real(t, std)};
    if (rng_check_std(d.b)) return -1;
    return fill(g, t, &d, "normal");
}

int rng_fill_exponential(Generator *g, Tensor *t, double lambda)
{
    Draw d = {.kind = DRAW_EXPONENTIAL, .a = as_real(t, lambda)};
    return fill(g, t, &d, "exponential");
}

int rng_fill_cauchy(Generator *g, Tensor *t, double median, double sigma)
{
    Draw d = {.kind = DRAW_CAUCHY, .a = as_real(t, median), .b = as_real(t, sigma)};
    return fill(g, t, &d, "cauchy");
}

int rng_fill_lognormal(Generator *g, Tensor *t, double mean, double std)
{
    Draw d = {.kind = DRAW_LOGNORMAL, .a = as_real(t, mean), .b = as_real(t, std)};
    if (rng_check_std(d.b)) return -1;
    return fill(g, t, &d, "logNormal");
}

int rng_fill_geometric(Generator *g, Tensor *t, double p)
{
    Draw d = {.kind = DRAW_GEOMETRIC, .a = p};
    if (rng_check_geometric(p)) return -1;
    return fill(g, t, &d, "geometric");
}

int rng_fill_bernoulli(Generator *g, Tensor *t, double p)
{
    Draw d = {.kind = DRAW_BERNOULLI, .a = p};
    if (rng_check_bernoulli(p)) return -1;
    return fill(g, t, &d, "bernoulli");
}

int rng_fill_bernoulli_tensor(Generator *g, Tensor *t, const Tensor *p)
{
    if (p->dtype != DT_FLOAT && p->dtype != DT_DOUBLE)
        return th_seterror("bernoulli: probabilities must be a FloatTensor or DoubleTensor, got a %sTensor",
                           dtype_name(p->dtype));
    int64_t n = nelement(t), np = nelement(p);
    if (n != np)
        return th_seterror("bernoulli: inconsistent tensor size, expected %lld probabilities, got %lld",
                           (long long)n, (long long)np);
    if (n == 0) return 0;
    if (!p->storage || !p->storage->data) return th_seterror("bernoulli: probability tensor has no storage");

    /* Gather p in row-major order first (p may alias t), checking every
     * value before anything is drawn. */
    double *probs = malloc((size_t)n * sizeof *probs);
    if (!probs) return th_seterror("bernoulli: out of memory (%lld probabilities)", (long long)n);
    RowWalk w;
    walk_begin(&w, p);
    int64_t k = 0;
    for (int64_t off; (off = walk_next(&w)) >= 0;) {
        for (int64_t i = 0; i < w.len; i++) {
            int64_t at = off + i * w.step;
            probs[k++] = p->dtype == DT_FLOAT ? (double)((const float *)p->storage->data)[at]
                                              : ((const double *)p->storage->data)[at];
        }
    }
    for (int64_t i = 0; i < n; i++) {
        if (rng_check_bernoulli(probs[i])) {
            double bad = probs[i];
            free(probs);
            return th_seterror("bernoulli: probability %lld must be >= 0 and <= 1 (got %g)",
                               (long long)i + 1, bad);
        }
    }
    Draw d = {.kind = DRAW_BERNOULLI_ARRAY, .probs = probs};
    int rc = fill(g, t, &d, "bernoulli");
    free(probs);
    return rc;
}

int rng_fill_random(Generator *g, Tensor *t)
{
    Draw d = {.kind = DRAW_RANDOM};
    return fill(g, t, &d, "random");
}

int rng_fill_random1(Generator *g, Tensor *t, int64_t b)
{
    Draw d = {.kind = DRAW_RANDOM1, .ia = b};
    if (rng_check_bound(b)) return -1;
    return fill(g, t, &d, "random");
}

/* Torch7 computes `random() % (b+1-a) + a` in unsigned long and converts
 * that to the element type; for integer types this is the same as here.
 * For Float/Double with a < 0 Torch7 stores the unsigned wrap-around (about
 * 1.8e19); here the signed value is stored instead. */
int rng_fill_random2(Generator *g, Tensor *t, int64_t a, int64_t b)
{
    Draw d = {.kind = DRAW_RANDOM2, .ia = a, .width = range_width(a, b)};
    if (rng_check_range(a, b)) return -1;
    return fill(g, t, &d, "random");
}

/* ======================================================================
 * randperm and multinomial
 * ====================================================================== */

#define PERM_FILL(DT, T, SFX)                                                 \
    static void perm_##SFX(Generator *g, T *r, int64_t n, int64_t s)          \
    {                                                                         \
        for (int64_t i = 0; i < n; i++) r[i * s] = (T)i;                      \
        for (int64_t i = 0; i < n - 1; i++) {                                 \
            int64_t z = (int64_t)(rng_random(g) % (uint64_t)(n - i));         \
            T sav = r[i * s];                                                 \
            r[i * s] = r[(z + i) * s];                                        \
            r[(z + i) * s] = sav;                                             \
        }                                                                     \
        /* Torch7's binding adds 1 afterwards, in the element type. */        \
        for (int64_t i = 0; i < n; i++) r[i * s] = (T)(r[i * s] + 1);         \
    }
DTYPE_FOREACH(PERM_FILL)
#undef PERM_FILL

int rng_randperm(Generator *g, Tensor *r, int64_t n)
{
    if (n <= 0) return th_seterror("n must be strictly positive, got %lld", (long long)n);
    if (tensor_resize(r, 1, &n)) return -1;
    void *data = tensor_data(r);
    switch (r->dtype) {
#define CASE(DT, T, SFX) case DT: perm_##SFX(g, (T *)data, n, r->stride[0]); break;
    DTYPE_FOREACH(CASE)
#undef CASE
    default: return th_seterror("randperm: unknown tensor type");
    }
    return 0;
}

/* probs[i][j] as a double (Float or Double probs, any strides). */
static double prob_at(const Tensor *p, int64_t i, int64_t j)
{
    int64_t at = p->offset + (p->ndim == 2 ? i * p->stride[0] + j * p->stride[1] : j * p->stride[0]);
    return p->dtype == DT_FLOAT ? (double)((const float *)p->storage->data)[at]
                                : ((const double *)p->storage->data)[at];
}

int rng_multinomial(Generator *g, Tensor *res, const Tensor *probs, int64_t n, int replacement)
{
    if (res->dtype != DT_LONG)
        return th_seterror("multinomial: result must be a LongTensor, got a %sTensor", dtype_name(res->dtype));
    if (probs->dtype != DT_FLOAT && probs->dtype != DT_DOUBLE)
        return th_seterror("multinomial: probabilities must be a FloatTensor or DoubleTensor, got a %sTensor",
                           dtype_name(probs->dtype));
    if (probs->ndim != 1 && probs->ndim != 2)
        return th_seterror("multinomial: prob_dist must be 1 or 2 dim, got %dD", probs->ndim);
    int64_t ndist = probs->ndim == 2 ? probs->size[0] : 1;
    int64_t ncat = probs->size[probs->ndim - 1];
    if (n <= 0) return th_seterror("multinomial: cannot sample n_sample <= 0 samples (got %lld)", (long long)n);
    if (!replacement && n > ncat)
        return th_seterror("multinomial: cannot sample n_sample > prob_dist:size(1) samples without "
                           "replacement (%lld > %lld)", (long long)n, (long long)ncat);
    if (ncat == 0 || ndist == 0)
        return th_seterror("multinomial: invalid multinomial distribution (no categories)");
    /* Validate every row before drawing anything, so a failure consumes no
     * random numbers and leaves res untouched. */
    for (int64_t i = 0; i < ndist; i++) {
        double sum = 0;
        int64_t nonzero = 0;
        for (int64_t j = 0; j < ncat; j++) {
            double v = prob_at(probs, i, j);
            if (!(v >= 0) || isinf(v))
                return th_seterror("multinomial: invalid multinomial distribution (probability %g at %lld)",
                                   v, (long long)j + 1);
            sum += v;
            nonzero += v > 0;
        }
        if (!(sum > 0))
            return th_seterror("multinomial: invalid multinomial distribution (sum of probabilities <= 0)");
        /* Torch7 would divide by zero once the mass is used up. */
        if (!replacement && n > nonzero)
            return th_seterror("multinomial: cannot sample %lld distinct categories without replacement "
                               "from a distribution with %lld nonzero probabilities",
                               (long long)n, (long long)nonzero);
    }

    double *cum = malloc((size_t)ncat * sizeof *cum);
    if (!cum) return th_seterror("multinomial: out of memory (%lld categories)", (long long)ncat);
    int64_t size2[2] = {ndist, n};
    int rc = probs->ndim == 2 ? tensor_resize(res, 2, size2) : tensor_resize(res, 1, &n);
    if (rc) {
        free(cum);
        return -1;
    }
    int64_t *out = tensor_data(res);

    for (int64_t i = 0; i < ndist; i++) {
        /* Normalised cumulative distribution of row i. */
        double sum = 0;
        for (int64_t j = 0; j < ncat; j++) {
            sum += prob_at(probs, i, j);
            cum[j] = sum;
        }
        for (int64_t j = 0; j < ncat; j++) cum[j] /= sum;

        for (int64_t j = 0; j < n; j++) {
            double u = rng_uniform(g, 0, 1);
            /* Rounding must never let u fall past the last bucket. */
            cum[ncat - 1] = 1;
            /* Binary search: first slot with cum[slot] >= u. */
            int64_t left = 0, right = ncat;
            while (right - left > 0) {
                int64_t mid = left + (right - left) / 2;
                if (cum[mid] < u) left = mid + 1;
                else right = mid;
            }
            int64_t k = left;
            out[i * n + j] = k + 1;   /* res is contiguous after the resize */

            if (!replacement) {
                /* Remove k's mass from the cumulative sums and renormalise
                 * so it cannot be drawn again (Torch7's update, verbatim). */
                double before = k > 0 ? cum[k - 1] : 0;
                double diff = cum[k] - before;
                double rest = 1.0 - diff;
                for (int64_t c = 0; c < ncat; c++) {
                    double v = cum[c];
                    if (c >= k) v -= diff;
                    cum[c] = v / rest;
                }
            }
        }
    }
    free(cum);
    return 0;
}
